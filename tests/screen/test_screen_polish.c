/*
 * test_screen_polish.c - issue 18, "wrong on screen": what a new user saw
 * at 80x24, 44x20 and 180x50 that was wrong (the header's count of today's
 * grades, ...). Each test failed before its fix.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds"

/* Open the bundled deck and give n grades of Good, each card revealed. */
static void
grade_good(struct vt *vt, int n)
{
	for (int i = 0; i < n; i++) {
		st_expect(vt, "show answer");
		vt_send(vt, " ");
		st_expect(vt, "Easy");
		vt_send(vt, "3");
		vt_wait_idle(vt, 30, 1000);
	}
}

/* The header counts today's grades from the file, after each grade and
 * after a restart, at every width (it stayed 0 at 80 and 100 columns until
 * the stats pane was opened once, and lagged a redraw at 110 and more). */
static void
test_header_studied_today(void **state)
{
	static const int widths[] = { 80, 100, 120 };
	char name[32], want[32];
	struct vt *vt;

	(void)state;
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		snprintf(name, sizeof name, "today-%d.db", widths[w]);
		vt = st_start(st_path(name), NULL, NULL, 24, widths[w]);
		st_expect(vt, BUNDLED_DECK);
		st_expect(vt, "studied today 0");
		vt_send(vt, "\r");
		grade_good(vt, 3);
		vt_send(vt, "q");
		st_expect(vt, "studied today 3");
		st_quit(vt);

		vt = st_start(st_path(name), NULL, NULL, 24, widths[w]);
		st_expect(vt, BUNDLED_DECK);
		st_expect(vt, "studied today 3");
		vt_send(vt, "\r");
		grade_good(vt, 1);
		vt_send(vt, "q");
		snprintf(want, sizeof want, "studied today %d", 4);
		st_expect(vt, want);
		st_quit(vt);
	}
}

/* One grade button as read from the screen: "N" (the key), an optional
 * name, then an interval such as "10m", "<1m" or "2.5mo". */
static int
is_button(const char *s, size_t n, int key)
{
	static const char *const names[] = { "Again", "Hard", "Good", "Easy" };
	size_t i = 2, nl = strlen(names[key - 1]);

	if (n < 3 || s[0] != '0' + key || s[1] != ' ')
		return 0;
	if (n > i + nl && strncmp(s + i, names[key - 1], nl) == 0 &&
	    s[i + nl] == ' ')
		i += nl + 1;
	if (s[i] == '<')
		i++;
	if (i >= n || !isdigit((unsigned char)s[i]))
		return 0;
	while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '.'))
		i++;
	if (i == n)
		return 0;
	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	return i == n;
}

/* Split the bottom rows at runs of two or more spaces: four buttons in
 * key order, none run into the next. */
static int
buttons_apart(struct vt *vt, int rows, char *why, size_t len)
{
	char line[512], all[1100] = "";
	int key = 1;

	/* The two rows above the status line. */
	for (int r = rows - 3; r < rows - 1; r++) {
		vt_row(vt, r, line, sizeof line);
		strcat(all, line);
		strcat(all, "  ");
	}
	for (const char *p = all; *p != '\0';) {
		const char *end;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = strstr(p, "  ");
		if (end == NULL)
			end = p + strlen(p);
		if (key > 4 || !is_button(p, (size_t)(end - p), key)) {
			snprintf(why, len, "button %d: \"%.*s\"", key,
			    (int)(end - p), p);
			return 0;
		}
		key++;
		p = end;
	}
	snprintf(why, len, "%d buttons", key - 1);
	return key == 5;
}

/* Grade buttons at every width never run into each other (at 44 columns
 * "1 Again 12 Hard 1.63 Good ..." read as false intervals): a compact
 * form, or two rows, when the full labels do not fit. */
static void
test_buttons_narrow(void **state)
{
	const char *db = st_path("narrow.db");
	char why[256];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 20, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	for (int cols = 80; cols >= 20; cols--) {
		vt_resize(vt, 20, cols);
		vt_wait_idle(vt, 50, 2000);
		if (!buttons_apart(vt, 20, why, sizeof why)) {
			vt_dump(vt, stderr);
			fail_msg("at %d columns: %s", cols, why);
		}
	}
	st_quit(vt);
}

/* Scrolling the stats column keeps its title (180x50, s, then j or ^D
 * gave "STodaytics · Math · 1m", and ^L kept it). */
static void
test_stats_title_scroll(void **state)
{
	static const char *const keys[] = { "j", "jjj", "\x04", "\x0c" };
	const char *db = st_path("stats.db");
	char line[512];
	struct vt *vt;
	int r, c;

	(void)state;
	vt = st_start(db, NULL, NULL, 50, 180);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "s");
	st_expect(vt, "Statistics ·");
	assert_int_equal(vt_find(vt, "Statistics ·", &r, &c), 0);
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		vt_send(vt, keys[k]);
		vt_wait_idle(vt, 50, 2000);
		vt_row(vt, r, line, sizeof line);
		if (strstr(line, "Statistics · ") == NULL ||
		    strstr(line, "Today") != NULL) {
			vt_dump(vt, stderr);
			fail_msg("after key %zu the title row reads \"%s\"", k,
			    line);
		}
	}
	st_quit(vt);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Code points before byte offset off of s: the cell column when every
 * character is one cell wide, as in the formula below. */
static int
cells_before(const char *s, size_t off)
{
	int n = 0;

	for (size_t i = 0; i < off && s[i] != '\0'; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/* In lines (rows of text, n of them), the line holding "Σ" with "n"
 * on the line above and "i=1" on the line below: the columns of the
 * three, in cells. 0 when found. */
static int
sum_columns(char lines[][512], int n, int *sum, int *upper, int *lower)
{
	for (int r = 1; r + 1 < n; r++) {
		const char *s = strstr(lines[r], "Σ"), *lo, *up;

		if (s == NULL || (lo = strstr(lines[r + 1], "i=1")) == NULL)
			continue;
		*sum = cells_before(lines[r], (size_t)(s - lines[r]));
		up = lines[r - 1] + strlen(lines[r - 1]);
		while (up > lines[r - 1] && up[-1] != 'n')
			up--;
		if (up == lines[r - 1])
			continue;
		*upper = cells_before(lines[r - 1], (size_t)(up - 1 - lines[r - 1]));
		*lower = cells_before(lines[r + 1], (size_t)(lo - lines[r + 1]));
		return 0;
	}
	return -1;
}

/* The screen's rows as lines; the sum's columns on it. */
static void
screen_sum(struct vt *vt, int rows, int *sum, int *upper, int *lower)
{
	static char lines[64][512];

	st_expect(vt, "i=1");
	vt_wait_idle(vt, 50, 2000);
	for (int r = 0; r < rows; r++)
		vt_row(vt, r, lines[r], sizeof lines[r]);
	if (sum_columns(lines, rows, sum, upper, lower) != 0) {
		vt_dump(vt, stderr);
		fail_msg("no sum with its limits on the screen");
	}
}

/* Display math is one block: the limits of \sum stay over and under the
 * Σ as export --format text places them, in the study view and in the
 * browser (each line was centred on its own, so "n" slid right of the
 * Σ and "i=1" left of it). */
static void
test_display_math_block(void **state)
{
	const char *db = st_path("math.db"), *deck = st_path("math.tsv");
	const char *import[] = { "import", "--deck", "Math", deck, NULL };
	const char *export[] = { "export", "--format", "text", NULL };
	static char out[4096], lines[64][512];
	int n = 0, s0, u0, l0, s, u, l;
	struct vt *vt;

	(void)state;
	write_text(deck, "#separator:tab\n"
	    "Sum: \\[ \\sum_{i=1}^n x_i^2 \\]\tok\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_int_equal(st_run(db, export, out, sizeof out), 0);
	for (char *p = out, *nl; n < 64 && *p != '\0'; p = nl + 1, n++) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		snprintf(lines[n], sizeof lines[n], "%.*s", (int)(nl - p), p);
		if (*nl == '\0')
			break;
	}
	assert_int_equal(sum_columns(lines, n, &s0, &u0, &l0), 0);

	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "Math");
	vt_send(vt, "\r");
	screen_sum(vt, 24, &s, &u, &l);
	if (u - s != u0 - s0 || l - s != l0 - s0) {
		vt_dump(vt, stderr);
		fail_msg("study view: n at %+d and i=1 at %+d of the Σ; "
		    "export: %+d and %+d", u - s, l - s, u0 - s0, l0 - s0);
	}
	vt_send(vt, "q");
	st_expect(vt, "Math");
	vt_send(vt, "b");
	st_expect(vt, "Sum");
	screen_sum(vt, 24, &s, &u, &l);
	if (u - s != u0 - s0 || l - s != l0 - s0) {
		vt_dump(vt, stderr);
		fail_msg("browser: n at %+d and i=1 at %+d of the Σ; "
		    "export: %+d and %+d", u - s, l - s, u0 - s0, l0 - s0);
	}
	st_quit(vt);
}

/* The first row below the header that holds text, or "". */
static const char *
row_with(struct vt *vt, int rows, const char *text)
{
	static char line[512];

	for (int r = 1; r < rows; r++) {
		vt_row(vt, r, line, sizeof line);
		if (strstr(line, text) != NULL)
			return line;
	}
	return "";
}

/* The wide layout's deck pane is sized from the names: at 180 columns two
 * long names show whole; at 110 they are cut with "…" keeping their
 * distinguishing ends; the header shows the selected deck's full name
 * (the pane was fixed at ~46 columns and both read "Tokens to Embodied
 * Minds · Drill"). */
static void
test_deck_pane_names(void **state)
{
	static const char *const names[] = {
		"Tokens to Embodied Minds · Drill cards · Ch 02",
		"Tokens to Embodied Minds · Drill cards · Ch 03",
	};
	const char *db = st_path("names.db"), *deck = st_path("names.tsv");
	char out[1024];
	struct vt *vt;

	(void)state;
	for (int i = 0; i < 2; i++) {
		char card[64];
		const char *import[] = { "import", "--deck", names[i],
		    deck, NULL };
		snprintf(card, sizeof card, "#separator:tab\nfront %d\tback\n", i);
		write_text(deck, card);
		assert_int_equal(st_run(db, import, out, sizeof out), 0);
	}
	vt = st_start(db, NULL, NULL, 30, 180);
	for (int i = 0; i < 2; i++)
		st_expect(vt, names[i]);
	st_quit(vt);

	vt = st_start(db, NULL, NULL, 30, 110);
	st_expect(vt, "Ch 02");
	st_expect(vt, "Ch 03");
	vt_wait_idle(vt, 50, 2000);
	for (int i = 0; i < 2; i++) {
		char end[8];

		snprintf(end, sizeof end, "Ch 0%d", i + 2);
		if (strstr(row_with(vt, 30, end), "…") == NULL) {
			vt_dump(vt, stderr);
			fail_msg("\"%s\" is not cut with an ellipsis", end);
		}
	}
	/* The first deck is selected: its full name is in the header. */
	vt_row(vt, 0, out, sizeof out);
	if (strstr(out, names[0]) == NULL) {
		vt_dump(vt, stderr);
		fail_msg("the header does not name the selected deck");
	}
	vt_send(vt, "j");
	st_expect(vt, names[1]);
	st_quit(vt);
}

/* A linear script is followed by a space before a symbol letter: "∇_θ ℓ_n"
 * read as "∇_(θℓ)" when written "∇_θℓ_n". Shown on the card and in
 * export --format text alike. */
static void
test_linear_script_space(void **state)
{
	const char *db = st_path("nabla.db"), *deck = st_path("nabla.tsv");
	const char *import[] = { "import", "--deck", "Grad", deck, NULL };
	const char *export[] = { "export", "--format", "text", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	write_text(deck, "#separator:tab\n"
	    "Gradient \\( \\nabla_\\theta \\ell_n \\)\tok\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_int_equal(st_run(db, export, out, sizeof out), 0);
	if (strstr(out, "∇_θ ℓ_n") == NULL)
		fail_msg("export: %s", out);
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "Grad");
	vt_send(vt, "\r");
	st_expect(vt, "∇_θ ℓ_n");
	st_quit(vt);
}

/* The browser's Ivl column names a learning card whole: "(learn" was
 * "(learn)" cut to the column's 6 cells. */
static void
test_browser_ivl_learn(void **state)
{
	const char *db = st_path("ivl.db");
	char line[512];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "1");		/* Again: a learning card */
	vt_wait_idle(vt, 30, 1000);
	vt_send(vt, "q");
	st_expect(vt, "1 review of 1 card");
	vt_send(vt, "b");
	st_expect(vt, "Ivl");
	vt_wait_idle(vt, 50, 2000);
	if (!vt_contains(vt, "learn") || vt_contains(vt, "(learn")) {
		vt_dump(vt, stderr);
		fail_msg("the learning card's Ivl is not \"learn\"");
	}
	/* The word sits under the column's title, whole. */
	for (int r = 1; r < 23; r++) {
		vt_row(vt, r, line, sizeof line);
		if (strstr(line, "learn") != NULL &&
		    strstr(line, "learn ") == NULL)
			fail_msg("row %d: \"%s\"", r, line);
	}
	st_quit(vt);
}

/* Rows from..to of the screen hold no '?': under LANG=C the UI's own
 * glyphs (·, arrows, ⚑, …) have ASCII forms and never show as '?'. */
static void
expect_no_question_marks(struct vt *vt, int from, int to, const char *where)
{
	char line[512];

	vt_wait_idle(vt, 50, 2000);
	for (int r = from; r <= to; r++) {
		vt_row(vt, r, line, sizeof line);
		if (strchr(line, '?') != NULL) {
			vt_dump(vt, stderr);
			fail_msg("%s, row %d: \"%s\"", where, r, line);
		}
	}
}

static void
test_ascii_glyphs(void **state)
{
	const char *env[] = { "LANG=C", "LC_ALL=C", NULL };
	const char *db = st_path("ascii.db");
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, env, 40, 180);
	st_expect(vt, "Tokens to Embodied Minds");
	st_expect(vt, "Statistics");
	/* The decks, the header and the stats pane (the status line has
	 * "? help"). */
	expect_no_question_marks(vt, 0, 38, "deck list and stats");
	vt_send(vt, "b");
	st_expect(vt, "Sort field");
	/* The browser's title rows: count, sort arrow, column titles. */
	expect_no_question_marks(vt, 0, 2, "browser");
	st_quit(vt);
}

/* Images and sounds leave a trace: "[image: name]" for <img src> and
 * "[sound: name]" for Anki's [sound:...], on the card and in export
 * --format text (the image was dropped without a word, the sound shown
 * as Anki's markup). */
static void
test_media_placeholders(void **state)
{
	const char *db = st_path("media.db"), *deck = st_path("media.tsv");
	const char *import[] = { "import", "--deck", "Media", deck, NULL };
	const char *export[] = { "export", "--format", "text", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	write_text(deck, "#separator:tab\n#html:true\n"
	    "Heart <img src=\"media/heart.png\" alt=\"\"> beats\t"
	    "Listen [sound:lub-dub.mp3] twice\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_int_equal(st_run(db, export, out, sizeof out), 0);
	if (strstr(out, "Heart [image: heart.png] beats") == NULL ||
	    strstr(out, "Listen [sound: lub-dub.mp3] twice") == NULL)
		fail_msg("export: %s", out);
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "Media");
	vt_send(vt, "\r");
	st_expect(vt, "Heart [image: heart.png] beats");
	vt_send(vt, " ");
	st_expect(vt, "Listen [sound: lub-dub.mp3] twice");
	st_quit(vt);
}

/* A message wider than the screen is wrapped, not cut, and the help
 * overlay keeps the recent ones after the next key took them away. */
static void
test_messages_wrapped_and_kept(void **state)
{
	const char *db = st_path("messages.db");
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 20, 44);
	st_expect(vt, "Tokens");
	vt_send(vt, "o");
	st_expect(vt, "Desired retention");
	vt_send(vt, "\x15" "0.5\x13");
	/* "Not saved: Desired retention must be between 0.70 and 0.99" */
	st_expect(vt, "Not saved: Desired retention");
	st_expect(vt, "0.70 and 0.99");
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes?");
	vt_send(vt, "y");
	st_expect(vt, "Options unchanged");
	vt_send(vt, "\x1b");
	st_expect_gone(vt, "Options unchanged");
	vt_resize(vt, 40, 100);
	vt_wait_idle(vt, 50, 2000);
	vt_send(vt, "?");
	st_expect(vt, "Recent messages");
	st_expect(vt, "Not saved: Desired retention must be between 0.70 and 0.99");
	st_expect(vt, "Options unchanged");
	vt_send(vt, "x");
	st_expect_gone(vt, "Recent messages");
	st_quit(vt);
}

/* From 20 columns up every view keeps words a person can read: the deck
 * list its names beside compact counts (at 20 columns the counts took
 * every cell and no name showed), the help its descriptions (cut to
 * nothing beside a 16-cell key column), the browser and stats their
 * titles. */
static void
test_views_at_20_columns(void **state)
{
	const char *db = st_path("cols20.db");
	struct vt *vt;
	char line[256];
	int r, c;

	(void)state;
	vt = st_start(db, NULL, NULL, 12, 20);
	st_expect(vt, "Lrn");
	assert_int_equal(vt_find(vt, "Lrn", &r, &c), 0);
	st_expect(vt, "10");
	vt_row(vt, r + 1, line, sizeof line);
	/* The bundled deck's leaf, cut around a "…", then its counts. */
	if (strstr(line, "T\u2026") == NULL || strstr(line, " 10 ") == NULL) {
		vt_dump(vt, stderr);
		fail_msg("deck row: \"%s\"", line);
	}
	vt_send(vt, "?");
	st_expect(vt, "Move up");
	st_expect(vt, "Move down");
	vt_send(vt, "x");
	st_expect_gone(vt, "Move up");
	vt_send(vt, "b");
	st_expect(vt, "10 cards");
	vt_send(vt, "\x1b");
	st_expect_gone(vt, "10 cards");
	vt_send(vt, "s");
	st_expect(vt, "Statistics");
	vt_send(vt, "\x1b");
	st_expect_gone(vt, "Statistics");
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_studied_today),
		cmocka_unit_test(test_buttons_narrow),
		cmocka_unit_test(test_views_at_20_columns),
		cmocka_unit_test(test_stats_title_scroll),
		cmocka_unit_test(test_display_math_block),
		cmocka_unit_test(test_deck_pane_names),
		cmocka_unit_test(test_linear_script_space),
		cmocka_unit_test(test_browser_ivl_learn),
		cmocka_unit_test(test_ascii_glyphs),
		cmocka_unit_test(test_media_placeholders),
		cmocka_unit_test(test_messages_wrapped_and_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
