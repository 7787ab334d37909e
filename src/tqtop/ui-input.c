#include "config.h"
#include "ui-input.h"

#include <curses.h>
#include <stdlib.h>
#include <wctype.h>

static const struct {
	int code;
	const char *name;
} named[] = {
	{ KEY_BTAB, "BTab" },
	{ KEY_ENTER, "Enter" },
	{ KEY_BACKSPACE, "Backspace" },
	{ KEY_DC, "Delete" },
	{ KEY_HOME, "Home" },
	{ KEY_END, "End" },
	{ KEY_UP, "Up" },
	{ KEY_DOWN, "Down" },
	{ KEY_LEFT, "Left" },
	{ KEY_RIGHT, "Right" },
	{ KEY_PPAGE, "PgUp" },
	{ KEY_NPAGE, "PgDn" },
};

void ui_key_name(wint_t ch, bool is_key, struct buf *out)
{
	if (is_key) {
		for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
			if ((wint_t)named[i].code == ch) {
				buf_puts(out, named[i].name);
				return;
			}
		}
		if (ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(12))
			buf_printf(out, "F%d", (int)(ch - (wint_t)KEY_F0));
		return;
	}
	switch (ch) {
	case ' ':
		buf_puts(out, "Space");
		return;
	case '\t':
		buf_puts(out, "Tab");
		return;
	case '\r':
	case '\n':
		buf_puts(out, "Enter");
		return;
	case 27:
		buf_puts(out, "Esc");
		return;
	case 127:
	case 8:
		/* terminals send either for the backspace key */
		buf_puts(out, "Backspace");
		return;
	default:
		break;
	}
	if (ch < 32) {
		buf_printf(out, "^%c", (char)('@' + ch));
		return;
	}
	if (ch < 127) {
		buf_putc(out, (char)ch);
		return;
	}
	/* other characters: their UTF-8 bytes (never bound, typed only) */
	char mb[8];
	int n = wctomb(mb, (wchar_t)ch);
	if (n > 0)
		buf_append(out, mb, (size_t)n);
}

bool ui_key_is_text(wint_t ch, bool is_key)
{
	return !is_key && ch >= 32 && ch != 127 && iswprint(ch);
}
