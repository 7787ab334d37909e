#include "config.h"
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static void reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		die("buffer overflow");
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		die("bad format string: %s", fmt);
	reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_put_urlencoded(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(b, esc, 3);
		}
	}
}

/* reserve() for bytes that may be a secret: realloc would leave the old
 * block behind unwiped, so move by hand and wipe it. */
static void reserve_wiped(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 4096;
	char *data;

	if (need < b->len)
		die("buffer overflow");
	if (need <= b->cap)
		return;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	data = xmalloc(cap);
	if (b->data) {
		memcpy(data, b->data, b->len + 1);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	b->data = data;
	b->cap = cap;
}

/* Reads straight into the buffer: a chunk on the stack would be a copy
 * of a secret left behind. */
enum buf_read buf_read_stream(struct buf *b, FILE *f, size_t max)
{
	size_t got = 0, n;

	do {
		reserve_wiped(b, 4096);
		n = fread(b->data + b->len, 1, b->cap - b->len - 1, f);
		b->len += n;
		b->data[b->len] = '\0';
		got += n;
		if (max && got > max)
			return BUF_READ_TOO_BIG;
	} while (n > 0);
	return ferror(f) ? BUF_READ_ERROR : BUF_READ_OK;
}

enum buf_read buf_read_file(struct buf *b, const char *path, size_t max)
{
	/* e: close on exec (tqtop runs --token-cmd and tqsim) */
	FILE *f = fopen(path, "rbe");
	enum buf_read r;
	int saved;

	if (!f)
		return BUF_READ_OPEN;
	/* No stdio buffer: it would be freed at fclose with the bytes in it. */
	setvbuf(f, NULL, _IONBF, 0);
	r = buf_read_stream(b, f, max);
	saved = errno;
	fclose(f);
	errno = saved;
	return r;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

const char *buf_cstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

char *buf_steal(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
