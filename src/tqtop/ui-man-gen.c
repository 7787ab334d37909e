/* ui-man-gen: prints the generated sections of the man pages from the
 * tables they document: `keys` (tqtop(1) KEYS, from keys.h) or
 * `theme-elements` (tqtop-theme(5), from theme.h).  `make update-man`
 * splices them in; test-keys and test-theme fail when a page is stale. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "keys.h"
#include "theme.h"

int main(int argc, char **argv)
{
	struct buf b = BUF_INIT;

	if (argc == 2 && strcmp(argv[1], "keys") == 0) {
		keys_man_section(&b);
	} else if (argc == 2 && strcmp(argv[1], "theme-elements") == 0) {
		theme_man_elements(&b);
	} else {
		fputs("usage: ui-man-gen keys|theme-elements\n", stderr);
		return 2;
	}
	fputs(buf_cstr(&b), stdout);
	buf_free(&b);
	return fflush(stdout) == 0 ? 0 : 1;
}
