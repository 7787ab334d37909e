/* buf: a growable byte string, always NUL-terminated.
 *
 * Contract: a zeroed struct buf (BUF_INIT) is a valid empty buffer;
 * data is NULL until the first append.  buf_cstr() never returns NULL.
 * buf_steal() hands the bytes to the caller and leaves the buffer empty.
 * Growth goes through xalloc, so appends cannot fail.
 */
#ifndef TQ_BUF_H
#define TQ_BUF_H

#include <stdarg.h>
#include <stddef.h>

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
void buf_reset(struct buf *b);
const char *buf_cstr(const struct buf *b);
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

#endif
