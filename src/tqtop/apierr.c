#include "config.h"
#include "apierr.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

void apierr_set(struct apierr *e, enum apierr_kind kind, int http_status,
		int64_t code, const char *fmt, ...)
{
	va_list ap;

	apierr_clear(e);
	e->kind = kind;
	e->http_status = http_status;
	e->code = code;
	va_start(ap, fmt);
	e->message = xvasprintf(fmt, ap);
	va_end(ap);
}

void apierr_copy(struct apierr *dst, const struct apierr *src)
{
	if (dst == src)
		return;
	apierr_clear(dst);
	dst->kind = src->kind;
	dst->http_status = src->http_status;
	dst->code = src->code;
	dst->message = src->message ? xstrdup(src->message) : NULL;
	dst->more_info = src->more_info ? xstrdup(src->more_info) : NULL;
}

void apierr_clear(struct apierr *e)
{
	free(e->message);
	free(e->more_info);
	memset(e, 0, sizeof *e);
}

char *apierr_text(const struct apierr *e)
{
	struct buf b = BUF_INIT;

	if (e->kind == APIERR_NONE)
		return xstrdup("");
	if (e->code)
		buf_printf(&b, "%lld ", (long long)e->code);
	buf_puts(&b, e->message && *e->message ? e->message : apierr_kind_name(e->kind));
	if (e->http_status)
		buf_printf(&b, " (HTTP %d)", e->http_status);
	return buf_steal(&b);
}

const char *apierr_kind_name(enum apierr_kind k)
{
	switch (k) {
	case APIERR_NONE: return "none";
	case APIERR_TWILIO: return "twilio";
	case APIERR_HTTP: return "http";
	case APIERR_TRANSPORT: return "transport";
	case APIERR_PARSE: return "parse";
	case APIERR_FORBIDDEN: return "forbidden";
	case APIERR_NOT_AVAILABLE: return "not-available";
	case APIERR_CANCELED: return "canceled";
	}
	return "?";
}
