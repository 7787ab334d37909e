#include "config.h"
#include "ui-fmt.h"

#include <math.h>
#include <string.h>
#include <time.h>

void fmt_duration(struct buf *b, int64_t s)
{
	if (s < 0)
		buf_puts(b, "-");
	else if (s < 60)
		buf_printf(b, "%llds", (long long)s);
	else if (s < 3600)
		buf_printf(b, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		buf_printf(b, "%lldh%02lldm", (long long)(s / 3600), (long long)(s / 60 % 60));
	else
		buf_printf(b, "%lldd%02lldh", (long long)(s / 86400), (long long)(s / 3600 % 24));
}

void fmt_duration_coarse(struct buf *b, int64_t s)
{
	if (s >= 60 && s < 3600)
		buf_printf(b, "%lldm", (long long)(s / 60));
	else
		fmt_duration(b, s);
}

void fmt_duration_f(struct buf *b, double s)
{
	if (!isfinite(s) || s < 0)
		buf_puts(b, "-");
	else if (s < 9.95 && s != floor(s))
		buf_printf(b, "%.1fs", s);
	else if (s > 1e12)
		buf_puts(b, ">30y");
	else
		fmt_duration(b, (int64_t)llround(s));
}

void fmt_opt_int(struct buf *b, const struct tq_opt_int *v)
{
	if (v->st == TQ_SET)
		buf_printf(b, "%lld", (long long)v->v);
	else
		buf_puts(b, "-");
}

void fmt_opt_dur(struct buf *b, const struct tq_opt_num *v)
{
	if (v->st == TQ_SET)
		fmt_duration_f(b, v->v);
	else
		buf_puts(b, "-");
}

void fmt_percent(struct buf *b, int64_t num, int64_t den)
{
	if (den <= 0 || num < 0)
		buf_puts(b, "-");
	else
		/* floor, so that 99.6% never shows as a met 100% */
		buf_printf(b, "%lld%%", (long long)(num * 100 / den));
}

void fmt_opt_time(struct buf *b, const struct tq_opt_time *t)
{
	struct tm tm;
	time_t tt;
	char out[32];

	if (t->st != TQ_SET) {
		buf_puts(b, "-");
		return;
	}
	tt = (time_t)t->v;
	if (!gmtime_r(&tt, &tm) || !strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &tm)) {
		buf_puts(b, "-");
		return;
	}
	buf_puts(b, out);
}

void fmt_interval(struct buf *b, int64_t ms)
{
	if (ms % 1000 == 0 && ms >= 60000 && ms % 60000 == 0)
		buf_printf(b, "%lldm", (long long)(ms / 60000));
	else if (ms % 1000 == 0)
		buf_printf(b, "%llds", (long long)(ms / 1000));
	else
		buf_printf(b, "%.1fs", (double)ms / 1000.0);
}

void fmt_window(struct buf *b, int minutes)
{
	if (minutes >= 1440 && minutes % 1440 == 0)
		buf_printf(b, "%dd", minutes / 1440);
	else if (minutes >= 60 && minutes % 60 == 0)
		buf_printf(b, "%dh", minutes / 60);
	else
		buf_printf(b, "%dm", minutes);
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid.  Hand
 * written: the locale may not be UTF-8 and mbrtowc would then refuse all
 * of it. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	unsigned cp = c & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* C1 controls (U+0080..U+009F) act like escapes on some terminals */
	if (cp < 0xa0)
		return 0;
	return n;
}

void ui_sanitize(struct buf *b, const char *str, bool ascii)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n;

		if (*s < 0x20 || *s == 0x7f) {
			buf_putc(b, '?');
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			buf_putc(b, '?');
			s++;
		} else if (n > 1 && ascii) {
			buf_putc(b, '?');
			s += n;
		} else {
			buf_append(b, s, n);
			s += n;
		}
	}
}

bool sla_share(const struct tq_split *sp, int64_t *num, int64_t *den)
{
	if (sp->below_reservations_accepted.st != TQ_SET ||
	    sp->above_reservations_accepted.st != TQ_SET)
		return false;
	*num = sp->below_reservations_accepted.v;
	*den = sp->below_reservations_accepted.v + sp->above_reservations_accepted.v;
	if (sp->above_tasks_canceled.st == TQ_SET)
		*den += sp->above_tasks_canceled.v;
	return *den > 0;
}

void fmt_tilde(struct buf *b, const char *text, const char *home)
{
	size_t hl = home ? strlen(home) : 0;
	const char *p = text;

	while (hl > 1 && home[hl - 1] == '/')
		hl--;
	if (hl <= 1) {
		buf_puts(b, text);
		return;
	}
	while (*p) {
		bool at_word = p == text || p[-1] == ' ' || p[-1] == '\'' || p[-1] == '"';

		if (at_word && strncmp(p, home, hl) == 0 && p[hl] == '/') {
			buf_putc(b, '~');
			p += hl;
			continue;
		}
		buf_putc(b, *p++);
	}
}
