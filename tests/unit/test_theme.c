/* test_theme.c - themes: the shipped files, every error kind, inherit, fit. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lemma/app/theme.h"
#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/yamldoc.h"

static const char *const shipped[] = {
	"default", "light", "solarized-dark", "solarized-light",
	"high-contrast", "mono",
};
#define NSHIPPED (sizeof shipped / sizeof shipped[0])

static char themes_dir[1024], data_dir[1024];
static const char *shipped_dirs[2] = { themes_dir, NULL };

static int
setup(void **state)
{
	const char *src = getenv("LEMMA_SRCDIR");

	(void)state;
	if (src == NULL || *src == '\0')
		src = LEMMA_SRCDIR;
	snprintf(themes_dir, sizeof themes_dir, "%s/themes", src);
	snprintf(data_dir, sizeof data_dir, "%s/tests/data/themes", src);
	return 0;
}

static void
data_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", data_dir, name);
}

static int
same_theme(const struct theme *a, const struct theme *b)
{
	return memcmp(a->el, b->el, sizeof a->el) == 0 &&
	    a->is_light == b->is_light;
}

static void
load_ok(struct theme *t, const char *name, const char *const dirs[])
{
	char path[1200];
	struct err e;

	err_clear(&e);
	data_path(path, sizeof path, name);
	if (theme_load(t, path, dirs, &e) != 0) {
		err_print(&e, stderr);
		fail_msg("%s did not load", name);
	}
}

/* ---- the element list and colours ------------------------------------- */

static void
test_elements(void **state)
{
	(void)state;
	for (int i = 0; i < THEME_NELEMENTS; i++) {
		const char *key = theme_element_key(i);

		assert_non_null(key);
		assert_int_equal(theme_element_find(key), i);
	}
	assert_int_equal(theme_element_find("count.new"), THEME_COUNT_NEW);
	assert_int_equal(theme_element_find("button.again"), THEME_BUTTON_AGAIN);
	assert_int_equal(theme_element_find("graph.heat.4"), THEME_GRAPH_HEAT_4);
	assert_int_equal(theme_element_find("nope"), -1);
	assert_null(theme_element_key(THEME_NELEMENTS));
}

/* Resolution fills children from parents in one pass: parents come first. */
static void
test_parents_first(void **state)
{
	static const int parent[THEME_NELEMENTS] = {
#define X(id, key, p) THEME_##p,
		THEME_ELEMENTS(X)
#undef X
	};

	(void)state;
	assert_int_equal(parent[THEME_NORMAL], THEME_NORMAL);
	for (int i = 1; i < THEME_NELEMENTS; i++)
		assert_true(parent[i] < i);
}

static void
test_parse_color(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		int32_t		 want;
	} cases[] = {
		{ "default",		0, THEME_DEFAULT },
		{ "black",		0, 0 },
		{ "red",		0, 1 },
		{ "white",		0, 7 },
		{ "bright-black",	0, 8 },
		{ "grey",		0, 8 },
		{ "gray",		0, 8 },
		{ "Bright-Blue",	0, 12 },
		{ "bright-white",	0, 15 },
		{ "0",			0, 0 },
		{ "42",			0, 42 },
		{ "255",		0, 255 },
		{ "#ff8000",		0, THEME_RGB(0xff, 0x80, 0x00) },
		{ "#FF8000",		0, THEME_RGB(0xff, 0x80, 0x00) },
		{ "#f80",		0, THEME_RGB(0xff, 0x88, 0x00) },
		{ "#000000",		0, THEME_RGB(0, 0, 0) },
		{ "256",		-1, 0 },
		{ "1000",		-1, 0 },
		{ "-1",			-1, 0 },
		{ "#12345",		-1, 0 },
		{ "#gggggg",		-1, 0 },
		{ "redd",		-1, 0 },
		{ "",			-1, 0 },
		{ "bright red",		-1, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int32_t c = 12345;
		int rc = theme_parse_color(cases[i].in, &c);

		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d", cases[i].in, rc, cases[i].rc);
		if (rc == 0 && c != cases[i].want)
			fail_msg("'%s': %d, want %d", cases[i].in, (int)c,
			    (int)cases[i].want);
	}
	/* Black as RGB is not "palette 0" and not "default". */
	assert_true(THEME_IS_RGB(THEME_RGB(0, 0, 0)));
	assert_int_equal(theme_color_rgb(196), 0xff0000);
	assert_int_equal(theme_color_rgb(244), 0x808080);
	assert_int_equal(theme_color_rgb(12), 0x5c5cff);
	assert_int_equal(theme_color_rgb(THEME_RGB(1, 2, 3)), 0x010203);
}

/* ---- the shipped themes --------------------------------------------------- */

static void
test_shipped_load(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSHIPPED; i++) {
		struct theme t;
		struct err e;

		err_clear(&e);
		if (theme_open(&t, shipped[i], shipped_dirs, &e) != 0) {
			err_print(&e, stderr);
			fail_msg("shipped theme %s does not load", shipped[i]);
		}
		assert_true(t.name[0] != '\0');
	}
}

/* themes/default.yaml and the built-in theme say the same thing. */
static void
test_default_file_is_builtin(void **state)
{
	struct theme file, builtin;
	char path[1200];
	struct err e;

	(void)state;
	snprintf(path, sizeof path, "%s/default.yaml", themes_dir);
	assert_int_equal(theme_load(&file, path, NULL, &e), 0);
	theme_default(&builtin);
	for (int i = 0; i < THEME_NELEMENTS; i++) {
		const struct style *a = &file.el[i], *b = &builtin.el[i];

		if (a->fg != b->fg || a->bg != b->bg || a->attrs != b->attrs)
			fail_msg("%s differs: file %x/%x/%x, built-in %x/%x/%x",
			    theme_element_key(i), (unsigned)a->fg, (unsigned)a->bg,
			    a->attrs, (unsigned)b->fg, (unsigned)b->bg, b->attrs);
	}
	assert_true(same_theme(&file, &builtin));
	assert_string_equal(file.name, builtin.name);
}

/* With no theme files at all, "default" still works. */
static void
test_no_theme_files(void **state)
{
	static const char *const nowhere[] = { "/nonexistent/lemma", NULL };
	struct theme t, builtin;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(theme_open(&t, "default", nowhere, &e), 0);
	assert_int_equal(theme_open(&t, "default", NULL, &e), 0);
	theme_default(&builtin);
	assert_true(same_theme(&t, &builtin));
	assert_string_equal(e.msg, "");
}

/* mono: no colour, and only the attributes a VT100 has. */
static void
test_mono_vt100(void **state)
{
	struct theme t;
	struct err e;

	(void)state;
	assert_int_equal(theme_open(&t, "mono", shipped_dirs, &e), 0);
	for (int i = 0; i < THEME_NELEMENTS; i++) {
		assert_int_equal(t.el[i].fg, THEME_DEFAULT);
		assert_int_equal(t.el[i].bg, THEME_DEFAULT);
		assert_int_equal(t.el[i].attrs & ~(STYLE_BOLD | STYLE_UNDERLINE |
		    STYLE_REVERSE), 0);
	}
	assert_true(t.el[THEME_SELECTED].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_DECK_SELECTED].attrs & STYLE_REVERSE);
}

/*
 * At every colour depth, in every shipped theme: no text lands on its own
 * background, nothing (that was not meant to) vanishes into the assumed
 * terminal background, and the selection stays distinct from normal text.
 */
static void
test_shipped_fit_legible(void **state)
{
	static const int depths[][2] = { { 256, 0 }, { 16, 0 }, { 8, 0 },
	    { 1 << 24, 1 }, { 0, 0 } };

	(void)state;
	for (size_t i = 0; i < NSHIPPED; i++) {
		for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
			struct theme t;
			struct err e;
			const struct style *sel, *nor;

			assert_int_equal(theme_open(&t, shipped[i], shipped_dirs, &e), 0);
			theme_fit(&t, depths[d][0], depths[d][1]);
			for (int k = 0; k < THEME_NELEMENTS; k++) {
				const struct style *s = &t.el[k];

				if (depths[d][0] == 0)
					assert_true(s->fg == THEME_DEFAULT &&
					    s->bg == THEME_DEFAULT);
				if (!depths[d][1] && (s->fg > 255 || s->bg > 255))
					fail_msg("%s/%s: RGB left at %d colours",
					    shipped[i], theme_element_key(k),
					    depths[d][0]);
				if (s->fg >= 0 && s->fg == s->bg)
					fail_msg("%s/%s: fg == bg (%d) at %d colours",
					    shipped[i], theme_element_key(k),
					    (int)s->fg, depths[d][0]);
				if (s->bg == THEME_DEFAULT && depths[d][0] <= 16 &&
				    depths[d][0] > 0 && (t.is_light ?
				    (s->fg == 7 || s->fg == 15) : s->fg == 0))
					fail_msg("%s/%s: fg %d on the terminal's %s "
					    "background at %d colours", shipped[i],
					    theme_element_key(k), (int)s->fg,
					    t.is_light ? "light" : "dark",
					    depths[d][0]);
			}
			sel = &t.el[THEME_SELECTED];
			nor = &t.el[THEME_NORMAL];
			assert_false(sel->fg == nor->fg && sel->bg == nor->bg &&
			    sel->attrs == nor->attrs);
		}
	}
}

/* ---- errors: one per kind, with the exact line and column ---------------- */

static void
test_errors(void **state)
{
	static const struct {
		const char	*file;
		const char	*at;		/* the file the error is in */
		unsigned	 line, col;
		const char	*msg;		/* a part of the message */
	} cases[] = {
		{ "bad-syntax.yaml", NULL, 4, 8, "YAML syntax error: did not find expected ',' or '}'" },
		{ "bad-utf8.yaml", NULL, 1, 10, "not valid text" },
		{ "bad-alias.yaml", NULL, 3, 11, "undefined alias" },
		{ "bad-two-docs.yaml", NULL, 3, 1, "only one YAML document" },
		{ "bad-root.yaml", NULL, 1, 1, "a theme must be a mapping" },
		{ "bad-key.yaml", NULL, 2, 1, "unknown key 'colours' (use name, background, inherit or elements)" },
		{ "bad-key-type.yaml", NULL, 2, 3, "a key must be a single word, not a list" },
		{ "bad-duplicate.yaml", NULL, 4, 3, "duplicate element 'header'" },
		{ "bad-element.yaml", NULL, 4, 3, "unknown element 'headr' (did you mean 'header'?)" },
		{ "bad-style-key.yaml", NULL, 2, 12, "unknown style key 'fgg' in 'title' (did you mean 'fg'?)" },
		{ "bad-attr.yaml", NULL, 4, 19, "unknown attribute 'blink' (use bold, dim, italic, underline or reverse)" },
		{ "bad-color-name.yaml", NULL, 3, 20, "unknown colour 'bleu' for fg of 'count.new' (did you mean 'blue'?)" },
		{ "bad-color-hex.yaml", NULL, 3, 9, "bad colour '#30344' for bg of 'header': write #rrggbb" },
		{ "bad-color-range.yaml", NULL, 2, 10, "colour 300 for 'muted' is out of range 0-255" },
		{ "bad-color-comment.yaml", NULL, 3, 8, "fg of 'header' has no colour (a '#' starts a YAML comment" },
		{ "bad-type-elements.yaml", NULL, 2, 3, "elements must be a mapping of element: style, not a list" },
		{ "bad-type-style.yaml", NULL, 2, 11, "the style of 'header' must be a mapping" },
		{ "bad-type-attrs.yaml", NULL, 2, 20, "attrs must be a list such as [bold, underline], not a mapping" },
		{ "bad-type-name.yaml", NULL, 1, 7, "name must be a single value, not a list" },
		{ "bad-background.yaml", NULL, 1, 13, "background must be dark or light, not 'grey'" },
		{ "bad-inherit-unknown.yaml", NULL, 2, 10, "cannot inherit from 'no-such-theme': no such theme" },
		{ "cycle-self.yaml", NULL, 1, 10, "inheritance cycle" },
		{ "cycle-a.yaml", "cycle-b.yaml", 2, 10, "inheritance cycle: 'cycle-a.yaml'" },
		{ "inherit-broken.yaml", "bad-color-range.yaml", 2, 10, "out of range" },
		{ "no-such-file.yaml", NULL, 0, 0, "cannot open" },
		{ ".", NULL, 0, 0, "not a regular file" },
	};
	struct theme builtin;

	(void)state;
	theme_default(&builtin);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct theme t;
		struct err e;
		char path[1200], want_path[1200], text[1600];

		err_clear(&e);
		memset(&t, 0x55, sizeof t);
		data_path(path, sizeof path, cases[i].file);
		data_path(want_path, sizeof want_path,
		    cases[i].at != NULL ? cases[i].at : cases[i].file);
		if (theme_load(&t, path, shipped_dirs, &e) != -1)
			fail_msg("%s loaded", cases[i].file);
		err_format(&e, text, sizeof text);
		if (strcmp(e.path, want_path) != 0 || e.line != cases[i].line ||
		    e.col != cases[i].col || strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("%s: got \"%s\", want %s:%u:%u: ...%s...",
			    cases[i].file, text,
			    cases[i].at != NULL ? cases[i].at : cases[i].file,
			    cases[i].line, cases[i].col, cases[i].msg);
		/* The caller goes on with the default theme. */
		assert_true(same_theme(&t, &builtin));
		assert_string_equal(t.name, builtin.name);
		/* One sentence, no newline. */
		assert_null(strchr(e.msg, '\n'));
	}
}

/* The whole message as a user sees it. */
static void
test_error_format(void **state)
{
	struct theme t;
	struct err e;
	char path[1200], text[1600], want[1600];

	(void)state;
	data_path(path, sizeof path, "bad-element.yaml");
	assert_int_equal(theme_load(&t, path, NULL, &e), -1);
	err_format(&e, text, sizeof text);
	snprintf(want, sizeof want, "%s:4:3: unknown element 'headr' "
	    "(did you mean 'header'?)", path);
	assert_string_equal(text, want);
}

static void
test_open_unknown(void **state)
{
	struct theme t, builtin;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(theme_open(&t, "no-such-theme", shipped_dirs, &e), -1);
	assert_non_null(strstr(e.msg, "no theme called 'no-such-theme'"));
	theme_default(&builtin);
	assert_true(same_theme(&t, &builtin));
	assert_int_equal(theme_open(&t, "/nonexistent/x.yaml", NULL, &e), -1);
	assert_int_equal(theme_open(&t, "", shipped_dirs, &e), -1);
}

/* ---- inherit, parents, lookup -------------------------------------------- */

static void
test_inherit_by_name(void **state)
{
	struct theme t, light;
	struct err e;

	(void)state;
	load_ok(&t, "good-inherit.yaml", shipped_dirs);
	assert_int_equal(theme_open(&light, "light", shipped_dirs, &e), 0);
	assert_string_equal(t.name, "Light, tweaked");
	assert_int_equal(t.is_light, 1);
	/* header: fg changed; bg and attrs kept from light */
	assert_int_equal(t.el[THEME_HEADER].fg, THEME_RGB(0, 0, 0));
	assert_int_equal(t.el[THEME_HEADER].bg, light.el[THEME_HEADER].bg);
	assert_int_equal(t.el[THEME_HEADER].attrs, STYLE_BOLD);
	/* the shorthand sets the foreground */
	assert_int_equal(t.el[THEME_COUNT_NEW].fg, 1);
	/* button.again sets only fg in light: attrs follow the new button */
	assert_int_equal(t.el[THEME_BUTTON_AGAIN].attrs,
	    STYLE_BOLD | STYLE_UNDERLINE);
	assert_int_equal(t.el[THEME_BUTTON_AGAIN].fg,
	    light.el[THEME_BUTTON_AGAIN].fg);
	/* untouched elements are light's */
	assert_memory_equal(&t.el[THEME_SELECTED], &light.el[THEME_SELECTED],
	    sizeof(struct style));
	assert_memory_equal(&t.el[THEME_GRAPH_HEAT_2], &light.el[THEME_GRAPH_HEAT_2],
	    sizeof(struct style));
}

static void
test_inherit_by_path(void **state)
{
	struct theme t;

	(void)state;
	load_ok(&t, "good-path.yaml", NULL);
	assert_string_equal(t.name, "good-path");
	assert_int_equal(t.is_light, 0);
	assert_int_equal(t.el[THEME_SELECTED].attrs, STYLE_UNDERLINE);
	assert_int_equal(t.el[THEME_DECK_SELECTED].attrs, STYLE_UNDERLINE);
	assert_int_equal(t.el[THEME_HEADER].attrs, STYLE_REVERSE);	/* mono's */
}

static void
test_inherit_builtin(void **state)
{
	struct theme t, builtin;

	(void)state;
	load_ok(&t, "good-builtin.yaml", NULL);
	theme_default(&builtin);
	assert_true(same_theme(&t, &builtin));
	assert_string_equal(t.name, "Built in");
}

static void
test_parents(void **state)
{
	struct theme t;
	const struct style want_sel = { 7, 4, 0 }, want_again = { 3, 0, STYLE_BOLD },
	    want_plain = { 7, 0, 0 };

	(void)state;
	load_ok(&t, "good-parents.yaml", NULL);
	assert_memory_equal(&t.el[THEME_DECK_SELECTED], &want_sel, sizeof want_sel);
	assert_memory_equal(&t.el[THEME_BUTTON_AGAIN], &want_again, sizeof want_again);
	assert_memory_equal(&t.el[THEME_HEADER], &want_plain, sizeof want_plain);
	assert_memory_equal(&t.el[THEME_COUNT_ZERO], &want_plain, sizeof want_plain);
	assert_memory_equal(&t.el[THEME_GRAPH_TARGET], &want_plain, sizeof want_plain);

	/* An empty theme is every element plain, in terminal colours. */
	load_ok(&t, "good-empty.yaml", NULL);
	assert_string_equal(t.name, "good-empty");
	for (int i = 0; i < THEME_NELEMENTS; i++) {
		assert_int_equal(t.el[i].fg, THEME_DEFAULT);
		assert_int_equal(t.el[i].bg, THEME_DEFAULT);
		assert_int_equal(t.el[i].attrs, 0);
	}
}

static void
test_find(void **state)
{
	char user[1100], out[1200], want[1200];
	const char *dirs[3] = { user, themes_dir, NULL };
	const char *tiny[2] = { themes_dir, NULL };
	struct theme t;
	struct err e;

	(void)state;
	data_path(user, sizeof user, "user");
	/* the first directory wins: the user's mono shadows the shipped one */
	assert_int_equal(theme_find("mono", dirs, out, sizeof out), 0);
	snprintf(want, sizeof want, "%s/mono.yaml", user);
	assert_string_equal(out, want);
	assert_int_equal(theme_open(&t, "mono", dirs, &e), 0);
	assert_string_equal(t.name, "My mono");
	/* a name only in a later directory */
	assert_int_equal(theme_find("light", dirs, out, sizeof out), 0);
	snprintf(want, sizeof want, "%s/light.yaml", themes_dir);
	assert_string_equal(out, want);
	/* a path is used as it is */
	assert_int_equal(theme_find(want, NULL, out, sizeof out), 0);
	assert_string_equal(out, want);
	assert_int_equal(theme_find("/nonexistent/x.yaml", dirs, out, sizeof out), -1);
	assert_int_equal(theme_find("no-such", dirs, out, sizeof out), -1);
	assert_int_equal(theme_find("light", NULL, out, sizeof out), -1);
	assert_int_equal(theme_find("light", tiny, out, 8), -1);	/* too small */
}

/* ---- fitting to the terminal --------------------------------------------- */

static void
test_fit(void **state)
{
	static const struct {
		int	 ncolors, direct;
		int32_t	 header, title, status, message, error, selected;
	} cases[] = {
		/* #ff0000 #808080 #ffffff  12   200  bright-white */
		{ 256, 0, 196, 244, 231, 12, 200, 15 },
		{ 16, 0, 9, 8, 15, 12, 13, 15 },
		{ 8, 0, 1, 7, 7, 4, 5, 7 },
		{ 88, 0, 9, 8, 15, 12, 13, 15 },	/* 88 colours: use 16 */
		{ 1 << 24, 1, THEME_RGB(255, 0, 0), THEME_RGB(128, 128, 128),
		  THEME_RGB(255, 255, 255), THEME_RGB(0x5c, 0x5c, 0xff),
		  THEME_RGB(0xff, 0x00, 0xd7), THEME_RGB(255, 255, 255) },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct theme t;

		load_ok(&t, "fit-colors.yaml", NULL);
		theme_fit(&t, cases[i].ncolors, cases[i].direct);
		if (t.el[THEME_HEADER].fg != cases[i].header ||
		    t.el[THEME_TITLE].fg != cases[i].title ||
		    t.el[THEME_STATUS].fg != cases[i].status ||
		    t.el[THEME_MESSAGE].fg != cases[i].message ||
		    t.el[THEME_ERROR].fg != cases[i].error)
			fail_msg("%d colours: %d %d %d %d %d", cases[i].ncolors,
			    (int)t.el[THEME_HEADER].fg, (int)t.el[THEME_TITLE].fg,
			    (int)t.el[THEME_STATUS].fg, (int)t.el[THEME_MESSAGE].fg,
			    (int)t.el[THEME_ERROR].fg);
		assert_int_equal(t.el[THEME_NORMAL].fg, THEME_DEFAULT);
		/* Black on black was asked for: it is kept. */
		assert_int_equal(t.el[THEME_MUTED].fg, t.el[THEME_MUTED].bg);
		if (cases[i].direct)	/* #000000 would read as palette 0 */
			assert_int_equal(t.el[THEME_MUTED].fg, THEME_RGB(0, 0, 8));
		else
			assert_true(t.el[THEME_MUTED].fg <= 255);
		assert_int_equal(t.el[THEME_SELECTED].fg, cases[i].selected);
	}
}

/* A foreground that maps onto its own background takes the next nearest. */
static void
test_fit_keeps_text_legible(void **state)
{
	struct theme t;

	(void)state;
	load_ok(&t, "fit-colors.yaml", NULL);
	/* bright-white on #1e66f5: at 8 colours the blue goes to 4 and the
	 * white to 7; fine. Then check the solarized-light body text, which
	 * is the case that needs the rule: #657b83 on #fdf6e3. */
	theme_fit(&t, 8, 0);
	assert_int_equal(t.el[THEME_SELECTED].bg, 4);
	assert_int_equal(t.el[THEME_SELECTED].fg, 7);
	{
		struct err e;

		assert_int_equal(theme_open(&t, "solarized-light", shipped_dirs, &e), 0);
		theme_fit(&t, 8, 0);
		assert_int_equal(t.el[THEME_NORMAL].bg, 7);
		assert_int_not_equal(t.el[THEME_NORMAL].fg, 7);
		assert_int_not_equal(t.el[THEME_NORMAL].fg, THEME_DEFAULT);
	}
}

/* NO_COLOR: attributes only, and what colour marked is reversed. */
static void
test_no_color(void **state)
{
	struct theme t, mono, fitted;
	struct err e;

	(void)state;
	theme_default(&t);
	theme_fit(&t, 0, 0);
	for (int i = 0; i < THEME_NELEMENTS; i++) {
		assert_int_equal(t.el[i].fg, THEME_DEFAULT);
		assert_int_equal(t.el[i].bg, THEME_DEFAULT);
	}
	assert_true(t.el[THEME_SELECTED].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_DECK_SELECTED].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_HEADER].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_STATUS].attrs & STYLE_REVERSE);
	assert_false(t.el[THEME_NORMAL].attrs & STYLE_REVERSE);
	assert_false(t.el[THEME_COUNT_NEW].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_HEADER].attrs & STYLE_BOLD);	/* kept */

	/* A theme that paints its own background does not reverse it all. */
	assert_int_equal(theme_open(&t, "solarized-dark", shipped_dirs, &e), 0);
	theme_fit(&t, 0, 0);
	assert_false(t.el[THEME_NORMAL].attrs & STYLE_REVERSE);
	assert_false(t.el[THEME_QUESTION].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_SELECTED].attrs & STYLE_REVERSE);

	/* A theme with no selection style still shows the selection. */
	load_ok(&t, "good-empty.yaml", NULL);
	theme_fit(&t, 0, 0);
	assert_true(t.el[THEME_SELECTED].attrs & STYLE_REVERSE);
	assert_true(t.el[THEME_DECK_SELECTED].attrs & STYLE_REVERSE);

	/* mono is already attributes only: NO_COLOR leaves it as it is. */
	assert_int_equal(theme_open(&mono, "mono", shipped_dirs, &e), 0);
	fitted = mono;
	theme_fit(&fitted, 0, 0);
	assert_true(same_theme(&fitted, &mono));
	/* a terminal with fewer than 8 colours is treated the same way */
	fitted = mono;
	theme_fit(&fitted, 2, 0);
	assert_true(same_theme(&fitted, &mono));
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (long)(t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static int
count_pair(void *arg, const char *path, const struct yamldoc_pair *p,
    struct err *e)
{
	(void)path;
	(void)p;
	(void)e;
	(*(int *)arg)++;
	return 0;
}

/* Deep nesting (100,000 '[' in 200 KB) is refused at the 65th level, at
 * its line and column, at once: libyaml's document loader took seconds. A
 * theme, and the reader keys.yaml and config.yaml use. */
static void
test_deep_nesting(void **state)
{
	static const char *const shapes[] = { "[", "{a: " };
	char path[1200];
	struct theme t, builtin;
	struct timespec t0;
	struct err e;
	long ms;
	int pairs = 0;

	(void)state;
	theme_default(&builtin);
	snprintf(path, sizeof path, "%s/test_theme_deep_%d.yaml",
	    paths_tmpdir(), (int)getpid());
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		FILE *f = fopen(path, "w");
		size_t w = strlen(shapes[k]);

		assert_non_null(f);
		for (int i = 0; i < 100000; i++)
			fputs(shapes[k], f);
		fclose(f);

		err_clear(&e);
		memset(&t, 0x55, sizeof t);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(theme_load(&t, path, NULL, &e), -1);
		ms = ms_since(&t0);
		print_message("# theme of 100,000 '%s' refused in %ld ms: "
		    "%u:%u: %s\n", shapes[k], ms, e.line, e.col, e.msg);
		assert_non_null(strstr(e.msg, "nests more than 64 levels"));
		assert_int_equal(e.line, 1);
		assert_int_equal(e.col, 64 * w + 1);
		assert_true(ms < 1000);
		assert_true(same_theme(&t, &builtin));

		/* keys.yaml and config.yaml: a mapping whose value nests. */
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("quit: ", f);
		for (int i = 0; i < 100000; i++)
			fputs(shapes[k], f);
		fclose(f);
		err_clear(&e);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(yamldoc_read_pairs(path, count_pair, &pairs, &e),
		    -1);
		ms = ms_since(&t0);
		print_message("# keys file of 100,000 '%s' refused in %ld ms\n",
		    shapes[k], ms);
		assert_non_null(strstr(e.msg, "nests more than 64 levels"));
		assert_int_equal(e.line, 1);
		assert_int_equal(e.col, 7 + 63 * w);
		assert_true(ms < 1000);
	}

	/* 64 levels are fine. */
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs("quit: ", f);
		for (int i = 0; i < 63; i++)
			fputc('[', f);
		for (int i = 0; i < 63; i++)
			fputc(']', f);
		fputs("\nhelp: '?'\n", f);
		fclose(f);
		pairs = 0;
		err_clear(&e);
		assert_int_equal(yamldoc_read_pairs(path, count_pair, &pairs, &e), 0);
		assert_int_equal(pairs, 2);
	}
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_parents_first),
		cmocka_unit_test(test_parse_color),
		cmocka_unit_test(test_shipped_load),
		cmocka_unit_test(test_default_file_is_builtin),
		cmocka_unit_test(test_no_theme_files),
		cmocka_unit_test(test_mono_vt100),
		cmocka_unit_test(test_shipped_fit_legible),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_format),
		cmocka_unit_test(test_open_unknown),
		cmocka_unit_test(test_inherit_by_name),
		cmocka_unit_test(test_inherit_by_path),
		cmocka_unit_test(test_inherit_builtin),
		cmocka_unit_test(test_parents),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_fit_keeps_text_legible),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_deep_nesting),
	};

	return cmocka_run_group_tests_name("theme", tests, setup, NULL);
}
