/* test_config.c - config.yaml: the theme key, and errors with line:col. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lemma/app/config.h"
#include "lemma/base/err.h"

static char data_dir[1024];

static int
setup(void **state)
{
	const char *src = getenv("LEMMA_SRCDIR");

	(void)state;
	if (src == NULL || *src == '\0')
		src = LEMMA_SRCDIR;
	snprintf(data_dir, sizeof data_dir, "%s/tests/data/config", src);
	return 0;
}

static void
test_good(void **state)
{
	static const struct {
		const char	*file;
		const char	*theme;
	} cases[] = {
		{ "good.yaml", "light" },
		{ "path.yaml", "../themes/my theme.yaml" },
		{ "empty.yaml", "mono" },	/* nothing set: the old value stays */
		{ "no-such-file.yaml", "mono" },	/* no file: not an error */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		struct err e;
		char path[1200];

		config_init(&c);
		assert_string_equal(c.theme, "");
		snprintf(c.theme, sizeof c.theme, "mono");
		snprintf(path, sizeof path, "%s/%s", data_dir, cases[i].file);
		err_clear(&e);
		if (config_load(&c, path, &e) != 0) {
			err_print(&e, stderr);
			fail_msg("%s", cases[i].file);
		}
		assert_string_equal(c.theme, cases[i].theme);
	}
}

static void
test_errors(void **state)
{
	static const struct {
		const char	*file;
		unsigned	 line, col;
		const char	*msg;
	} cases[] = {
		{ "unknown-key.yaml", 2, 1, "unknown setting 'colour' (known: theme)" },
		{ "duplicate.yaml", 2, 1, "'theme' is set twice" },
		{ "empty-value.yaml", 1, 7, "'theme' needs a value" },
		{ "list-value.yaml", 1, 9, "'theme' takes one value, not a list" },
		{ "not-mapping.yaml", 1, 1, "expected a mapping of key: value, not a list" },
		{ "syntax.yaml", 2, 1, "YAML syntax error: found unexpected end of stream" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		struct err e;
		char path[1200], text[1600];

		config_init(&c);
		snprintf(c.theme, sizeof c.theme, "mono");
		snprintf(path, sizeof path, "%s/%s", data_dir, cases[i].file);
		err_clear(&e);
		if (config_load(&c, path, &e) != -1)
			fail_msg("%s loaded", cases[i].file);
		err_format(&e, text, sizeof text);
		if (strcmp(e.path, path) != 0 || e.line != cases[i].line ||
		    e.col != cases[i].col || strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("%s: got \"%s\", want :%u:%u: %s", cases[i].file,
			    text, cases[i].line, cases[i].col, cases[i].msg);
		/* all or nothing: a bad file changes no setting */
		assert_string_equal(c.theme, "mono");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("config", tests, setup, NULL);
}
