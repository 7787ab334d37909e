/* ui-draw: the drawing helpers (ui-draw.h). */
#include "config.h"
#include "ui-draw.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui-fmt.h"
#include "ui-priv.h"
#include "xalloc.h"

attr_t ui_attr(const struct ui *ui, enum theme_element el)
{
	if (ui->stale_ctx && (el == THEME_LABEL || el == THEME_VALUE || el == THEME_VALUE_CHANGED ||
			      el == THEME_VALUE_WARN || el == THEME_GRAPH))
		el = THEME_STALE;
	return ui->th.attr[el] | (ui->th.pair[el] ? COLOR_PAIR(ui->th.pair[el]) : 0);
}

void ui_clear(struct ui *ui, WINDOW *w, enum theme_element el)
{
	wbkgdset(w, ' ' | ui_attr(ui, el));
	werase(w);
}

/* s as wide characters, sanitised; *n gets the count.  Caller frees. */
static wchar_t *widen(const struct ui *ui, const char *s, size_t *n)
{
	struct buf clean = BUF_INIT;
	wchar_t *w;
	size_t len, i = 0;
	mbstate_t mb;
	const char *p;

	ui_sanitize(&clean, s, ui->ascii);
	p = buf_cstr(&clean);
	len = strlen(p);
	w = xcalloc(len + 1, sizeof *w);
	memset(&mb, 0, sizeof mb);
	while (*p) {
		size_t r = mbrtowc(&w[i], p, strlen(p), &mb);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			/* not decodable in this locale: one '?' per byte */
			memset(&mb, 0, sizeof mb);
			w[i++] = L'?';
			p++;
			continue;
		}
		if (wcwidth(w[i]) < 0)
			w[i] = L'?';
		i++;
		p += r;
	}
	w[i] = 0;
	*n = i;
	buf_free(&clean);
	return w;
}

static int wwidth(wchar_t c)
{
	int cw = wcwidth(c);

	return cw < 0 ? 1 : cw;
}

int ui_width(const struct ui *ui, const char *s)
{
	size_t n;
	wchar_t *w = widen(ui, s, &n);
	int cols = 0;

	for (size_t i = 0; i < n; i++)
		cols += wwidth(w[i]);
	free(w);
	return cols;
}

const char *ui_glyph_ellipsis(const struct ui *ui)
{
	return ui->ascii ? "~" : "\xe2\x80\xa6";
}

const char *ui_glyph_up(const struct ui *ui)
{
	return ui->ascii ? "^" : "\xe2\x86\x91";
}

const char *ui_glyph_down(const struct ui *ui)
{
	return ui->ascii ? "v" : "\xe2\x86\x93";
}

static void set_attr(struct ui *ui, WINDOW *w, enum theme_element el)
{
	wattrset(w, (int)ui_attr(ui, el));
}

int ui_put(struct ui *ui, WINDOW *w, int y, int x, int width, enum theme_element el,
	   const char *s)
{
	size_t n;
	wchar_t *ws;
	int cols = 0, maxx = getmaxx(w);
	size_t i, cut;

	if (width > maxx - x)
		width = maxx - x;
	if (width <= 0 || y < 0 || y >= getmaxy(w))
		return 0;
	ws = widen(ui, s, &n);
	for (i = 0; i < n; i++)
		cols += wwidth(ws[i]);
	if (cols > width) {
		/* keep what fits in width - 1 columns, then the ellipsis */
		int used = 0;

		for (cut = 0; cut < n && used + wwidth(ws[cut]) <= width - 1; cut++)
			used += wwidth(ws[cut]);
		ws[cut] = 0;
		set_attr(ui, w, el);
		mvwaddnwstr(w, y, x, ws, (int)cut);
		waddstr(w, ui_glyph_ellipsis(ui));
		free(ws);
		return used + 1;
	}
	set_attr(ui, w, el);
	mvwaddnwstr(w, y, x, ws, (int)n);
	free(ws);
	return cols;
}

int ui_put_wrapped(struct ui *ui, WINDOW *w, int y, int x, int width, int lines,
		   enum theme_element el, const char *s)
{
	int used = 0;

	while (*s && used < lines) {
		size_t n = strlen(s), cut = n;

		if (used == lines - 1 || ui_width(ui, s) <= width) {
			ui_put(ui, w, y + used, x, width, el, s);
			return used + 1;
		}
		/* the longest prefix that fits, ending at a blank */
		for (;;) {
			char *head;
			size_t sp = cut;

			while (sp > 0 && s[sp - 1] != ' ')
				sp--;
			if (sp == 0)
				break;
			head = xstrndup(s, sp - 1);
			if (ui_width(ui, head) <= width) {
				ui_put(ui, w, y + used, x, width, el, head);
				free(head);
				cut = sp;
				break;
			}
			free(head);
			cut = sp - 1;
		}
		if (cut == n || cut == 0 || s[cut - 1] != ' ') {
			/* one word longer than the line */
			ui_put(ui, w, y + used, x, width, el, s);
			return used + 1;
		}
		s += cut;
		used++;
	}
	return used;
}

int ui_put_right(struct ui *ui, WINDOW *w, int y, int x_end, int width, enum theme_element el,
		 const char *s)
{
	int cols = ui_width(ui, s);

	if (cols > width)
		cols = width;
	return ui_put(ui, w, y, x_end - cols, cols, el, s);
}

void ui_hline(struct ui *ui, WINDOW *w, int y, int x, int n, enum theme_element el)
{
	if (n <= 0)
		return;
	set_attr(ui, w, el);
	if (ui->ascii) {
		for (int i = 0; i < n && x + i < getmaxx(w); i++)
			mvwaddch(w, y, x + i, '-');
	} else {
		static const wchar_t line[] = { 0x2500, 0 };
		cchar_t cc;

		setcchar(&cc, line, ui_attr(ui, el) & ~A_COLOR, (short)PAIR_NUMBER(ui_attr(ui, el)), NULL);
		mvwhline_set(w, y, x, &cc, n);
	}
}

void ui_frame(struct ui *ui, WINDOW *w, const char *title, enum theme_element el,
	      enum theme_element title_el)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	bool stale = ui->stale_ctx;

	ui->stale_ctx = false;
	if (ui->ascii) {
		set_attr(ui, w, el);
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	} else {
		static const wchar_t v[] = { 0x2502, 0 }, h[] = { 0x2500, 0 }, tl[] = { 0x250c, 0 },
				     tr[] = { 0x2510, 0 }, bl[] = { 0x2514, 0 }, br[] = { 0x2518, 0 };
		cchar_t cv, ch, ctl, ctr, cbl, cbr;
		attr_t a = ui_attr(ui, el);
		short pair = (short)PAIR_NUMBER(a);

		a &= ~A_COLOR;
		setcchar(&cv, v, a, pair, NULL);
		setcchar(&ch, h, a, pair, NULL);
		setcchar(&ctl, tl, a, pair, NULL);
		setcchar(&ctr, tr, a, pair, NULL);
		setcchar(&cbl, bl, a, pair, NULL);
		setcchar(&cbr, br, a, pair, NULL);
		wborder_set(w, &cv, &cv, &ch, &ch, &ctl, &ctr, &cbl, &cbr);
	}
	if (title && *title && cols > 6) {
		struct buf t = BUF_INIT;

		buf_printf(&t, " %s ", title);
		ui_put(ui, w, 0, 2, cols - 4, title_el, buf_cstr(&t));
		buf_free(&t);
	}
	(void)rows;
	ui->stale_ctx = stale;
}

void ui_title(struct ui *ui, WINDOW *w, const char *title, const char *right,
	      enum theme_element right_el)
{
	int cols = getmaxx(w);
	bool stale = ui->stale_ctx;

	/* the frame is never dimmed: only the data is */
	ui->stale_ctx = false;
	ui_hline(ui, w, 0, 0, cols, THEME_BORDER);
	int x = 2 + ui_put(ui, w, 0, 2, cols - 4, THEME_TITLE, title);
	if (right) {
		struct buf r = BUF_INIT;

		buf_printf(&r, " %s ", right);
		int rw = ui_width(ui, buf_cstr(&r));
		if (x + 1 + rw <= cols - 1)
			ui_put(ui, w, 0, cols - 1 - rw, rw, right_el, buf_cstr(&r));
		buf_free(&r);
	}
	/* spaces around the title so it reads as a label on the rule */
	set_attr(ui, w, THEME_BORDER);
	mvwaddch(w, 0, 1, ' ');
	if (x < cols)
		mvwaddch(w, 0, x, ' ');
	ui->stale_ctx = stale;
}

enum theme_element ui_slot_age(struct ui *ui, const struct tq_slot *slot, struct buf *out)
{
	int64_t age = state_slot_age(slot, ui->now_ms);

	ui->stale_ctx = false;
	if (age < 0) {
		if (slot->err.kind != APIERR_NONE) {
			buf_puts(out, "no data");
			return THEME_STATUS_ERROR;
		}
		buf_puts(out, "loading");
		return THEME_AGE;
	}
	if (state_slot_stale(ui->st, slot, ui->now_ms)) {
		ui->stale_ctx = true;
		buf_puts(out, "STALE age ");
		fmt_duration(out, age / 1000);
		return THEME_STATUS_WARN;
	}
	buf_puts(out, "age ");
	fmt_duration(out, age / 1000);
	return THEME_AGE;
}

bool ui_slot_empty(struct ui *ui, WINDOW *w, const struct tq_slot *slot, int cols)
{
	if (slot->have)
		return false;
	if (slot->err.kind != APIERR_NONE) {
		char *e = apierr_text(&slot->err);
		ui_put(ui, w, 1, 1, cols - 2, THEME_VALUE_WARN, e);
		free(e);
	}
	ui->stale_ctx = false;
	return true;
}

int ui_pair(struct ui *ui, WINDOW *w, int y, int x, int x_end, const char *label,
	    const char *value, enum theme_element el)
{
	if (!w) {
		/* measuring (a flow without a window): where it would end */
		int need = (label && *label ? ui_width(ui, label) + 1 : 0) + ui_width(ui, value);

		return x + (need < x_end - x ? need : x_end - x) + 2;
	}
	if (label && *label) {
		x += ui_put(ui, w, y, x, x_end - x, THEME_LABEL, label);
		x += ui_put(ui, w, y, x, x_end - x, THEME_LABEL, " ");
	}
	x += ui_put(ui, w, y, x, x_end - x, el, value);
	return x + 2;
}

void ui_spark(struct ui *ui, WINDOW *w, int y, int x, int width, const struct trend *t)
{
	static const char *const utf8[] = {
		" ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char ascii[] = " _.-=+*#@";
	size_t n = t->n < (size_t)width ? t->n : (size_t)width;
	int64_t max = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t v = t->v[(t->head + t->n - n + i) % TREND_CAP];

		if (v > max)
			max = v;
	}
	set_attr(ui, w, THEME_GRAPH);
	/* the newest sample at the right edge */
	wmove(w, y, x + width - (int)n);
	for (size_t i = 0; i < n; i++) {
		int64_t v = t->v[(t->head + t->n - n + i) % TREND_CAP];
		int level = v <= 0 || max <= 0 ? 0 : (int)((v * 8 + max - 1) / max);

		if (level > 8)
			level = 8;
		if (ui->ascii)
			waddch(w, (chtype)(unsigned char)ascii[level]);
		else
			waddstr(w, utf8[level]);
	}
}

void flow_start(struct flow *f, struct ui *ui, WINDOW *w, int y, int x0, int x_end, int y_end)
{
	*f = (struct flow){ ui, w, y, x0, x0, x_end, y_end };
}

void flow_start_after(struct flow *f, struct ui *ui, WINDOW *w, int y, int x, int x_end, int y_end)
{
	flow_start(f, ui, w, y, 3, x_end, y_end);
	f->x = x;
}

void flow_newline(struct flow *f)
{
	if (f->x != f->x0) {
		f->y++;
		f->x = f->x0;
	}
}

static bool flow_room(struct flow *f, int need)
{
	if (f->x != f->x0 && f->x + need > f->x_end) {
		f->y++;
		f->x = f->x0;
	}
	return f->y < f->y_end;
}

bool flow_add(struct flow *f, const char *label, const char *value, enum theme_element el)
{
	int need = ui_width(f->ui, value) + (label && *label ? ui_width(f->ui, label) + 1 : 0);

	if (!flow_room(f, need))
		return false;
	f->x = ui_pair(f->ui, f->w, f->y, f->x, f->x_end, label, value, el);
	return true;
}

bool flow_add_delta(struct flow *f, const char *label, int64_t value, bool have, int64_t prev)
{
	struct buf v = BUF_INIT;
	const char *arrow = NULL;
	bool ok;

	if (!have) {
		ok = flow_add(f, label, "-", THEME_VALUE);
		return ok;
	}
	buf_printf(&v, "%lld", (long long)value);
	if (prev >= 0 && value != prev)
		arrow = value > prev ? ui_glyph_up(f->ui) : ui_glyph_down(f->ui);
	int need = ui_width(f->ui, buf_cstr(&v)) + (arrow ? 1 : 0) +
		   (label && *label ? ui_width(f->ui, label) + 1 : 0);
	if (!flow_room(f, need)) {
		buf_free(&v);
		return false;
	}
	if (!arrow) {
		f->x = ui_pair(f->ui, f->w, f->y, f->x, f->x_end, label, buf_cstr(&v), THEME_VALUE);
	} else if (!f->w) {
		f->x = ui_pair(f->ui, NULL, f->y, f->x, f->x_end, label, buf_cstr(&v), THEME_VALUE) + 1;
	} else {
		int x = ui_pair(f->ui, f->w, f->y, f->x, f->x_end, label, buf_cstr(&v),
				THEME_VALUE_CHANGED) - 2;
		x += ui_put(f->ui, f->w, f->y, x, f->x_end - x, THEME_VALUE_CHANGED, arrow);
		f->x = x + 2;
	}
	buf_free(&v);
	return true;
}

size_t flow_add_all(struct flow *f, const struct flow_item *items, size_t n)
{
	struct buf more = BUF_INIT;
	size_t k;

	/* the most items that fit with, when some are left out, the marker
	 * saying how many: tried on a window-less copy of the flow */
	for (k = n; k > 0; k--) {
		struct flow sim = *f;
		size_t i;

		sim.w = NULL;
		for (i = 0; i < k && flow_add(&sim, items[i].label, items[i].value, items[i].el); i++)
			;
		if (i < k)
			continue;
		if (k == n)
			break;
		buf_reset(&more);
		buf_printf(&more, "+%zu more", n - k);
		if (flow_add(&sim, NULL, buf_cstr(&more), THEME_LABEL))
			break;
	}
	for (size_t i = 0; i < k; i++)
		flow_add(f, items[i].label, items[i].value, items[i].el);
	if (k < n) {
		buf_reset(&more);
		buf_printf(&more, "+%zu more", n - k);
		flow_add(f, NULL, buf_cstr(&more), THEME_LABEL);
	}
	buf_free(&more);
	return k;
}

int flow_rows(const struct flow *f, int y0)
{
	return f->y - y0 + (f->x != f->x0 ? 1 : 0);
}
