/* test_yamldoc.c - the YAML reader: key: value pairs with their places,
 * and the files it refuses (themes test the document walk and the depth
 * cap, test_theme's test_deep_nesting). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/yamldoc.h"

struct seen {
	char		 text[512];	/* "key=value@line:col/line:col;" */
	int		 stop_at;	/* fail on this pair (1-based); 0 never */
	int		 n;
};

static int
record(void *arg, const char *path, const struct yamldoc_pair *p,
    struct err *e)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	s->n++;
	if (s->n == s->stop_at)
		return err_set(e, path, p->key_line, p->key_col, "stop at %s",
		    p->key);
	snprintf(s->text + len, sizeof s->text - len, "%s=%s@%u:%u/%u:%u;",
	    p->key, p->value != NULL ? p->value : "(nested)", p->key_line,
	    p->key_col, p->value_line, p->value_col);
	return 0;
}

static const char *
write_file(const char *text)
{
	static char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/test_yamldoc_%d.yaml", paths_tmpdir(),
	    (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_pairs(void **state)
{
	static const struct {
		const char	*yaml;
		const char	*want;
	} cases[] = {
		{ "", "" },
		{ "# only a comment\n", "" },
		{ "a: 1\nb: two words\n",
		    "a=1@1:1/1:4;b=two words@2:1/2:4;" },
		{ "theme: 'mono'\nlist: [1, 2]\nmap:\n  x: y\n",
		    "theme=mono@1:1/1:8;list=1@2:1/2:8;list=2@2:1/2:11;"
		    "map=(nested)@3:1/4:3;" },
		{ "empty: []\n", "empty=(nested)@1:1/1:8;" },
		{ "empty:\nnext: \"#abc\"\n", "empty=@1:1/1:7;next=#abc@2:1/2:7;" },
		{ "&a k: &b v\nk2: *b\n", "k=v@1:1/1:7;k2=v@2:1/1:7;" },
	};
	struct seen s;
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = write_file(cases[i].yaml);

		memset(&s, 0, sizeof s);
		err_clear(&e);
		if (yamldoc_read_pairs(path, record, &s, &e) != 0)
			fail_msg("case %zu: %s", i, e.msg);
		assert_string_equal(s.text, cases[i].want);
		unlink(path);
	}
}

static void
test_refused(void **state)
{
	static const struct {
		const char	*yaml;
		unsigned	 line, col;
		const char	*msg;
	} cases[] = {
		{ "- a\n- b\n", 1, 1, "expected a mapping of key: value, not a list" },
		{ "just words\n", 1, 1, "not a single value" },
		{ "[a]: 1\n", 1, 1, "a key must be a single word, not a list" },
		{ "a: 1\n---\nb: 2\n", 3, 1, "only one YAML document" },
		{ "a: *nope\n", 1, 4, "undefined alias" },
		{ "a: [1, 2\n", 2, 1, "YAML syntax error" },
		{ "a: \xff\n", 1, 4, "not valid text" },
	};
	struct seen s;
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = write_file(cases[i].yaml);

		memset(&s, 0, sizeof s);
		err_clear(&e);
		assert_int_equal(yamldoc_read_pairs(path, record, &s, &e), -1);
		print_message("# %u:%u: %s\n", e.line, e.col, e.msg);
		if (strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: %s", i, e.msg);
		assert_int_equal(e.line, cases[i].line);
		assert_int_equal(e.col, cases[i].col);
		unlink(path);
	}
}

/* A missing file is not an error (1); fn's -1 stops the read with its
 * message; a directory is refused. */
static void
test_missing_and_stop(void **state)
{
	const char *path;
	struct seen s;
	struct err e;

	(void)state;
	memset(&s, 0, sizeof s);
	err_clear(&e);
	assert_int_equal(yamldoc_read_pairs("/nonexistent/lemma.yaml", record,
	    &s, &e), 1);
	assert_int_equal(s.n, 0);

	path = write_file("a: 1\nb: 2\nc: 3\n");
	s.stop_at = 2;
	assert_int_equal(yamldoc_read_pairs(path, record, &s, &e), -1);
	assert_string_equal(e.msg, "stop at b");
	assert_int_equal(e.line, 2);
	assert_int_equal(s.n, 2);
	unlink(path);

	err_clear(&e);
	assert_int_equal(yamldoc_read_pairs(paths_tmpdir(), record, &s, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_missing_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
