/* fuzz-sources: src/app/theme.c src/base/yamldoc.c src/base/err.c src/base/termsafe.c src/base/utf8.c src/base/xmalloc.c src/base/paths.c */
/* fuzz-libs: -lyaml */
/*
 * fuzz_theme.c - libFuzzer target: any bytes as a theme file, then as a
 * config-style file.
 *
 * theme_load() reads a path, so each input is written to one temporary file
 * (made once per process). The loaded theme is then fitted to every colour
 * depth, and the same file read by yamldoc_read_pairs(), the reader config.c
 * and keys.yaml use. Neither may crash, leak, hang or read past a buffer,
 * and a failed load must leave the built-in theme.
 *
 * Build with -DFUZZ_MAIN (any compiler) for a main() that runs the files
 * named on the command line once each, to replay a corpus without clang.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lemma/app/theme.h"
#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/yamldoc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[4096];

static void
remove_input(void)
{
	if (path[0] != '\0')
		unlink(path);
}

static int
count_pair(void *arg, const char *file, const struct yamldoc_pair *p,
    struct err *e)
{
	(void)file;
	(void)e;
	if (p->key == NULL || p->key_line == 0 || p->key_col == 0)
		abort();
	++*(size_t *)arg;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int depths[][2] = { { 256, 0 }, { 16, 0 }, { 8, 0 },
	    { 1 << 24, 1 }, { 0, 0 } };
	struct theme t, builtin;
	struct err e;
	FILE *f;
	size_t npairs = 0;

	if (path[0] == '\0') {
		int fd;

		snprintf(path, sizeof path, "%s/fuzz_theme.XXXXXX",
		    paths_tmpdir());
		if ((fd = mkstemp(path)) == -1) {
			perror(path);
			abort();
		}
		close(fd);
		atexit(remove_input);
	}
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		abort();
	}

	err_clear(&e);
	if (theme_load(&t, path, NULL, &e) == -1) {
		/* The caller goes on with the default theme. */
		theme_default(&builtin);
		if (memcmp(t.el, builtin.el, sizeof t.el) != 0 || e.msg[0] == '\0')
			abort();
	}
	for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
		struct theme fitted = t;

		theme_fit(&fitted, depths[i][0], depths[i][1]);
		for (int k = 0; k < THEME_NELEMENTS; k++)
			if (!depths[i][1] && (fitted.el[k].fg > 255 ||
			    fitted.el[k].bg > 255))
				abort();
	}
	err_clear(&e);
	(void)yamldoc_read_pairs(path, count_pair, &npairs, &e);
	return 0;
}

#ifdef FUZZ_MAIN
#define CORPUS	"theme"
#include "fuzz-replay.h"
#endif
