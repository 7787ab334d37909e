/* buf: a growable byte string, always NUL-terminated.
 *
 * Contract: a zeroed struct buf (BUF_INIT) is a valid empty buffer;
 * data is NULL until the first append.  buf_cstr() never returns NULL.
 * buf_steal() hands the bytes to the caller and leaves the buffer empty.
 * Growth goes through xalloc, so appends cannot fail.
 * buf_read_stream() / buf_read_file() append a whole stream or file; they
 * fail only on the I/O (errno says why) or past the caller's limit, and
 * keep no copy of the bytes outside the buffer (callers read secrets).
 */
#ifndef TQ_BUF_H
#define TQ_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s percent-encoded for a URL query or form body (RFC 3986
 * unreserved characters kept, everything else %XX). */
void buf_put_urlencoded(struct buf *b, const char *s);
/* Appending what a stream or file holds.  BUF_READ_OPEN: the file could
 * not be opened; BUF_READ_ERROR: a read failed (b keeps what came
 * before); errno says why in both.  BUF_READ_TOO_BIG: more than max bytes
 * (0: no limit) came, some of them appended. */
enum buf_read { BUF_READ_OK, BUF_READ_OPEN, BUF_READ_ERROR, BUF_READ_TOO_BIG };
/* Reads f to its end. */
enum buf_read buf_read_stream(struct buf *b, FILE *f, size_t max);
/* Opens path (close-on-exec), reads it to its end, closes it. */
enum buf_read buf_read_file(struct buf *b, const char *path, size_t max);
void buf_reset(struct buf *b);
const char *buf_cstr(const struct buf *b);
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

#endif
