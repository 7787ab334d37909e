/* Runs one fuzz target's entry point over its seed corpus as an ordinary
 * check program, so that `make check` (with ASan+UBSan when configured)
 * covers every fuzz target without clang.  Built once per target with
 * CORPUS naming the directory under tests/fuzz/.  Each input is an
 * exact-size heap copy, so an over-read is caught. */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool read_file(const char *path, struct buf *out)
{
	char chunk[4096];
	size_t got;
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(out, chunk, got);
	fclose(f);
	return true;
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	struct buf dir = BUF_INIT;
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	buf_printf(&dir, "%s/tests/fuzz/%s", top ? top : ".", CORPUS);
	d = opendir(buf_cstr(&dir));
	if (!d) {
		fprintf(stderr, "replay %s: cannot open %s (set top_srcdir)\n", CORPUS, buf_cstr(&dir));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct buf path = BUF_INIT, text = BUF_INIT;
		uint8_t *exact;

		buf_printf(&path, "%s/%s", buf_cstr(&dir), names[i]);
		if (!read_file(buf_cstr(&path), &text)) {
			fprintf(stderr, "replay %s: cannot read %s\n", CORPUS, buf_cstr(&path));
			return 1;
		}
		exact = xmalloc(text.len ? text.len : 1);
		if (text.len)
			memcpy(exact, text.data, text.len);
		LLVMFuzzerTestOneInput(exact, text.len);
		printf("ok %zu - %s (%zu bytes)\n", i + 1, names[i], text.len);
		free(exact);
		buf_free(&text);
		buf_free(&path);
		free(names[i]);
	}
	printf("1..%zu\n", n);
	free(names);
	buf_free(&dir);
	return n > 0 ? 0 : 1;
}
