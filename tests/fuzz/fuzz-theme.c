/* Fuzzes the theme parser: any bytes, on top of the default theme; every
 * error message must be printable, and the colours that come out must map
 * to a palette index on every kind of terminal. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(void *ud, const char *msg)
{
	(void)ud;
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int ncolors[] = { 0, 8, 16, 88, 256, 0x1000000 };
	struct theme t;

	theme_init_default(&t);
	theme_parse(&t, "fuzz", (const char *)data, size, check_msg, NULL);
	for (int e = 0; e < THEME_N_ELEMENTS; e++) {
		for (size_t i = 0; i < sizeof ncolors / sizeof ncolors[0]; i++) {
			int f = theme_color_index(t.style[e].fg, ncolors[i]);
			int b = theme_color_index(t.style[e].bg, ncolors[i]);

			if (f < -1 || b < -1 || (ncolors[i] <= 256 && (f >= ncolors[i] || b >= ncolors[i])))
				abort();
		}
	}
	return 0;
}
