/*
 * test_screen_themes.c - themes as a user meets them: each shipped theme
 * starts, a broken theme file gives its file:line:column and the default
 * theme, NO_COLOR gives no colour sequences, and old terminals work.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds"

static const char *
srcdir(void)
{
	const char *s = getenv("LEMMA_SRCDIR");

	return s != NULL ? s : LEMMA_SRCDIR;
}

static void
copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[4096];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void
test_shipped_themes(void **state)
{
	static const char *const themes[] = { "default", "light",
	    "solarized-dark", "solarized-light", "high-contrast", "mono" };
	const char *db = st_path("themes.db");

	(void)state;
	for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
		const char *args[] = { "--theme", themes[i], NULL };
		struct vt *vt = st_start(db, args, NULL, 24, 80);
		struct vt_cell_attrs a;
		int r, c;

		st_expect(vt, BUNDLED_DECK);
		/* No error on the status line: the theme loaded. */
		assert_false(vt_contains(vt, ".yaml:"));
		/* The selected deck row stands out (colour or reverse). */
		assert_int_equal(vt_find(vt, BUNDLED_DECK, &r, &c), 0);
		assert_int_equal(vt_cell(vt, r, c, &a), 0);
		assert_true(a.reverse || !a.bg_default);
		st_quit(vt);
	}
}

static void
test_broken_theme(void **state)
{
	static const struct {
		const char *file;
		const char *where;
	} cases[] = {
		{ "bad-color-name.yaml", "bad-color-name.yaml:3:" },
		{ "bad-syntax.yaml", "bad-syntax.yaml:" },
		{ "bad-element.yaml", "bad-element.yaml:" },
	};
	const char *db = st_path("broken.db");
	char from[1024], path[1024];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[] = { "--theme", path, NULL };
		struct vt *vt;

		/* A copy in the test's own folder: the status line shows the
		 * whole path only when it is short, and a source tree can be
		 * anywhere (make distcheck's is four folders deeper). */
		snprintf(from, sizeof from, "%s/tests/data/themes/%s", srcdir(),
		    cases[i].file);
		snprintf(path, sizeof path, "%s", st_path(cases[i].file));
		copy_file(from, path);
		vt = st_start(db, args, NULL, 24, 80);
		/* The message names the file, line and column; lemma still
		 * starts, with the default theme. */
		st_expect(vt, cases[i].where);
		st_expect(vt, BUNDLED_DECK);
		st_quit(vt);
	}
}

static void
test_no_color(void **state)
{
	const char *env[] = { "NO_COLOR=1", NULL };
	const char *raw;
	size_t len;
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("nocolor.db"), NULL, env, 24, 80);
	vt_mark(vt);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Again");
	vt_wait_idle(vt, 50, 1000);
	raw = vt_raw_since_mark(vt, &len);
	/* No SGR colour: 30-37, 38;..., 40-47, 48;..., 90-97, 100-107. */
	for (size_t i = 0; i + 3 < len; i++) {
		if (raw[i] != '\033' || raw[i + 1] != '[')
			continue;
		size_t j = i + 2;
		while (j < len && (raw[j] == ';' || (raw[j] >= '0' && raw[j] <= '9')))
			j++;
		if (j < len && raw[j] == 'm') {
			const char *p = raw + i + 2;
			while (p < raw + j) {
				int v = atoi(p);
				if ((v >= 30 && v <= 49 && v != 39) ||
				    (v >= 90 && v <= 107))
					fail_msg("colour sequence %.*s in NO_COLOR "
					    "output", (int)(j - i - 1), raw + i + 1);
				while (p < raw + j && *p != ';')
					p++;
				p++;
			}
		}
	}
	st_quit(vt);
}

static void
test_terminals(void **state)
{
	static const char *const terms[] = { "TERM=screen-256color",
	    "TERM=tmux-256color", "TERM=linux", "TERM=vt100" };
	const char *db = st_path("terms.db");

	(void)state;
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
		const char *env[] = { terms[i], NULL };
		struct vt *vt = st_start(db, NULL, env, 24, 80);

		st_expect(vt, BUNDLED_DECK);
		vt_send(vt, "\r");
		st_expect(vt, "show answer");
		vt_send(vt, " ");
		st_expect(vt, "Easy");
		st_quit(vt);
	}
}

static void
test_config_theme_and_keys(void **state)
{
	char dir[600], path[700], env_config[700];
	const char *env[] = { env_config, NULL };
	struct vt *vt;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("config"));
	snprintf(path, sizeof path, "mkdir -p '%s/lemma'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof path, "%s/lemma/keys.yaml", dir);
	f = fopen(path, "w");
	fputs("# my keys\ngood: g\nquit: x\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/lemma/config.yaml", dir);
	f = fopen(path, "w");
	fputs("theme: light\n", f);
	fclose(f);
	snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", dir);
	vt = st_start(st_path("keys.db"), NULL, env, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	st_expect(vt, "x quit");
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	/* 3 is no longer Good; g is. */
	vt_send(vt, "3");
	vt_wait_idle(vt, 50, 500);
	assert_true(vt_contains(vt, "Easy"));
	vt_send(vt, "g");
	st_expect(vt, "show answer");
	vt_send(vt, "?");
	st_expect(vt, "Grade: Good");
	vt_send(vt, " ");
	vt_send(vt, "q");
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "x");
	assert_int_equal(vt_close(vt, 5000), 0);

	/* A bad keys.yaml names its line and column; the defaults stay. */
	snprintf(path, sizeof path, "%s/lemma/keys.yaml", dir);
	f = fopen(path, "w");
	fputs("good: g\nfly: z\n", f);
	fclose(f);
	vt = st_start(st_path("keys.db"), NULL, env, 24, 80);
	st_expect_wrapped(vt, "keys.yaml:2:1: unknown action 'fly'");
	st_quit(vt);
}

static void
write_keys(const char *dir, const char *text)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/lemma/keys.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * keys.yaml (issue 18): a key that two actions of one view would share is a
 * conflict, named with both lines and the view, and the later line is not
 * used; every bad line is reported, not only the first, and the good lines
 * around them still count; an action takes a list of keys.
 */
static void
test_keys_conflicts_and_lists(void **state)
{
	char dir[600], path[700], env_config[700];
	const char *env[] = { env_config, NULL };
	struct vt *vt;

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("config-conflicts"));
	snprintf(path, sizeof path, "mkdir -p '%s/lemma'", dir);
	assert_int_equal(system(path), 0);
	snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", dir);

	/* suspend: 1 would take 1 from Again while the hints say "1 again". */
	write_keys(dir, "suspend: 1\n");
	vt = st_start(st_path("conflicts.db"), NULL, env, 24, 160);
	st_expect(vt, "keys.yaml:1:10: '1' is already again in Study");
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "1 again");
	st_quit(vt);

	/* Two lines that bind one key: both lines are named. */
	write_keys(dir, "good: g\nagain: g\n");
	vt = st_start(st_path("conflicts.db"), NULL, env, 24, 160);
	st_expect(vt, "keys.yaml:2:8: 'g' is already good (line 1) in Study");
	st_quit(vt);

	/* All bad lines are reported; the good ones (a list) still count. */
	write_keys(dir, "fly: z\ngood: [g, G]\nquit: C-zz\nbury: \n");
	vt = st_start(st_path("conflicts.db"), NULL, env, 24, 200);
	st_expect(vt, "keys.yaml:1:1: unknown action 'fly'");
	assert_true(vt_contains(vt, "; 3:7: 'C-zz' is not a key"));
	st_expect(vt, "; 4:6: '' is not a key");
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "G");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "g");
	st_expect(vt, "show answer");
	vt_send(vt, "q");
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "q");
	assert_int_equal(vt_close(vt, 5000), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_themes),
		cmocka_unit_test(test_broken_theme),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_terminals),
		cmocka_unit_test(test_config_theme_and_keys),
		cmocka_unit_test(test_keys_conflicts_and_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
