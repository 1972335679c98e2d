/*
 * test_screen_study.c - studying as a person does: open the bundled deck,
 * reveal, grade with a mix of buttons, undo, leave with the summary; then
 * check that the progress file holds exactly the grades given.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds"

/* The fronts of the bundled cards, to tell which card is shown. */
static const char *const fronts[] = {
	"cross-entropy and", "forward KL", "RLHF objective",
	"role of temperature", "Shannon entropy", "operationally", "GRPO",
	"assigns zero", "DPO loss", "still reported",
};

static int
shown_card(struct vt *vt)
{
	for (size_t i = 0; i < sizeof fronts / sizeof fronts[0]; i++)
		if (vt_contains(vt, fronts[i]))
			return (int)i;
	return -1;
}

static long long
query_int(const char *db, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

static void
open_deck(struct vt *vt)
{
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
}

static void
test_study_session(void **state)
{
	/* The first grade of each new card, in the order they come. */
	static const char grades[] = "3314233413";
	const char *db = st_path("study.db");
	char keys[2] = { 0, 0 }, out[4096], ratings[64], expect[64];
	const char *due[] = { "due", NULL };
	struct vt *vt;
	int seen[10] = { 0 }, ngrades = 0;

	(void)state;
	vt = st_start(db, NULL, NULL, 24, 80);
	open_deck(vt);
	for (int i = 0; i < 10; i++) {
		int card;

		st_expect(vt, "show answer");
		card = shown_card(vt);
		assert_true(card >= 0);
		assert_false(seen[card]);	/* ten different new cards */
		seen[card] = 1;
		vt_send(vt, " ");
		st_expect(vt, "Again");
		st_expect(vt, "Easy");
		keys[0] = grades[i];
		vt_send(vt, keys);
		expect[ngrades++] = grades[i];
		if (i == 4) {
			/* Undo the fifth grade: the same card comes back. */
			vt_wait_idle(vt, 30, 1000);
			vt_send(vt, "u");
			st_expect(vt, "Undone");
			st_expect(vt, fronts[card]);
			ngrades--;
			vt_send(vt, " ");
			st_expect(vt, "Easy");
			vt_send(vt, "4");
			expect[ngrades++] = '4';
		}
		vt_wait_idle(vt, 30, 1000);
	}
	expect[ngrades] = '\0';
	/* Learning cards come back within the learn-ahead limit; leave. */
	vt_send(vt, "q");
	st_expect(vt, "10 reviews of 10 cards");
	st_expect(vt, BUNDLED_DECK);
	st_quit(vt);

	/* The progress file holds exactly the grades given, in order. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM revlog"), ngrades);
	{
		sqlite3 *s;
		sqlite3_stmt *st;
		int n = 0;

		sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL);
		sqlite3_prepare_v2(s, "SELECT rating FROM revlog ORDER BY id", -1,
		    &st, NULL);
		while (sqlite3_step(st) == SQLITE_ROW && n < 63)
			ratings[n++] = (char)('0' + sqlite3_column_int(st, 0));
		ratings[n] = '\0';
		sqlite3_finalize(st);
		sqlite3_close(s);
	}
	assert_string_equal(ratings, expect);
	/* Easy graduated two cards; the rest are learning. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards WHERE state = 0"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards WHERE state = 2"), 3);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, BUNDLED_DECK));
	assert_non_null(strstr(out, "    0 new     7 learn"));
}

static void
test_bytes_per_step(void **state)
{
	struct vt *vt;
	size_t total = 0, reveal_total = 0;
	int steps = 0;

	(void)state;
	vt = st_start(st_path("bytes.db"), NULL, NULL, 24, 80);
	open_deck(vt);
	vt_wait_idle(vt, 50, 1000);
	for (int i = 0; i < 8; i++) {
		size_t reveal;

		vt_mark(vt);
		vt_send(vt, " ");
		st_expect(vt, "Again");
		vt_wait_idle(vt, 40, 1000);
		reveal = vt_bytes_since_mark(vt);
		vt_send(vt, "3");
		st_expect(vt, "show answer");
		vt_wait_idle(vt, 40, 1000);
		reveal_total += reveal;
		total += vt_bytes_since_mark(vt);
		steps++;
	}
	print_message("# bytes per study step (reveal + grade + next card): "
	    "%zu on average; reveal alone %zu\n", total / (size_t)steps,
	    reveal_total / (size_t)steps);
	assert_in_range(total / (size_t)steps, 1, 1000);
	st_quit(vt);
}

/* Walk the bundled cards until the entropy card's answer shows, and expect
 * its formula rendered as want. */
static void
expect_entropy_formula(const char *db, const char *const env[],
    const char *want)
{
	struct vt *vt = st_start(db, NULL, env, 24, 80);
	int found = 0;

	open_deck(vt);
	for (int i = 0; i < 10 && !found; i++) {
		st_expect(vt, "show answer");
		vt_send(vt, " ");
		st_expect(vt, "Easy");
		if (vt_contains(vt, "Shannon")) {
			st_expect(vt, want);
			found = 1;
		}
		vt_send(vt, "4");
	}
	if (!found)
		vt_dump(vt, stderr);
	assert_true(found);
	st_quit(vt);
}

static void
test_formulas_on_screen(void **state)
{
	(void)state;
	expect_entropy_formula(st_path("formula.db"), NULL,
	    "−Σₓ p(x) log p(x)");
}

static void
test_formulas_ascii(void **state)
{
	const char *env[] = { "LANG=C", "LC_ALL=C", NULL };

	(void)state;
	expect_entropy_formula(st_path("ascii.db"), env, "-sum_x p(x) log p(x)");
}

static void
test_resize_mid_card(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("resize.db"), NULL, NULL, 24, 80);
	open_deck(vt);
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_resize(vt, 20, 60);
	st_expect(vt, "Perplexity");
	st_expect(vt, "Easy");
	/* Wide: the deck list and the card side by side, still revealed. */
	vt_resize(vt, 40, 120);
	st_expect(vt, "Perplexity = exp");
	st_expect(vt, "Learn");
	st_expect(vt, "Easy");
	vt_send(vt, "3");
	st_expect(vt, "forward KL");
	st_quit(vt);
}

static void
write_script(const char *path, const char *body)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s", body);
	fclose(f);
	assert_int_equal(chmod(path, 0700), 0);
}

static void
test_edit_in_editor(void **state)
{
	char editor[700], env_editor[800], log[700], body[2000];
	const char *env[] = { env_editor, "VISUAL=", NULL };
	const char *db = st_path("edit.db");
	struct vt *vt;

	(void)state;
	snprintf(editor, sizeof editor, "%s", st_path("editor.sh"));
	snprintf(log, sizeof log, "%s", st_path("editor.log"));
	write_script(editor, "sed -i 's/Perplexity = exp(cross-entropy)/"
	    "PPL is exp of the cross-entropy/' \"$1\"\n");
	snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
	vt = st_start(db, NULL, env, 24, 80);
	open_deck(vt);
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "E");
	st_expect(vt, "Note saved");
	st_expect(vt, "PPL is exp of the cross-entropy");
	/* The card keeps its place: still revealed, still gradable. */
	vt_send(vt, "3");
	st_expect(vt, "forward KL");

	/* A broken document is not saved: lemma asks, and edit again opens
	 * it with the problem on top; emptying it cancels and the note stays
	 * as it was. */
	snprintf(body, sizeof body,
	    "if grep -q 'lemma: not saved' \"$1\"; then cp \"$1\" '%s'; "
	    ": > \"$1\"; else sed -i '/^## Back/d' \"$1\"; fi\n", log);
	write_script(editor, body);
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "E");
	st_expect(vt, "e  edit again");
	vt_send(vt, "e");
	st_expect(vt, "Note unchanged");
	st_quit(vt);
	{
		FILE *f = fopen(log, "r");
		char text[4096];
		size_t n;

		assert_non_null(f);
		n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
		assert_non_null(strstr(text, "heading"));
		assert_non_null(strstr(text, "## Front"));
	}
	{
		char out[8192];
		const char *exp[] = { "export", NULL };
		assert_int_equal(st_run(db, exp, out, sizeof out), 0);
		assert_non_null(strstr(out, "PPL is exp of the cross-entropy"));
		assert_non_null(strstr(out, "forward KL"));
	}
}

/* Lines in a file (0 when it does not exist). */
static int
count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (f == NULL)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = calloc(1, 65536);

	assert_non_null(f);
	assert_non_null(text);
	if (fread(text, 1, 65535, f) == 0)
		text[0] = '\0';
	fclose(f);
	return text;
}

/* The last line of a file, without its newline, into buf. */
static void
last_line(const char *path, char *buf, size_t len)
{
	char *text = read_text(path), *end = text + strlen(text), *start;

	while (end > text && end[-1] == '\n')
		*--end = '\0';
	start = strrchr(text, '\n');
	snprintf(buf, len, "%s", start != NULL ? start + 1 : text);
	free(text);
}

/* Wait for the screen to settle after an answer, long enough that an
 * editor relaunched in a loop would have run many times. */
static void
settle(struct vt *vt)
{
	vt_wait_idle(vt, 400, 3000);
}

/* Wait until the editor has been launched n times in all. */
static void
wait_launches(struct vt *vt, const char *launches, int n)
{
	for (int waited = 0; count_lines(launches) < n; waited += 20) {
		if (waited >= 5000) {
			vt_dump(vt, stderr);
			fail_msg("the editor was launched %d times, not %d",
			    count_lines(launches), n);
		}
		vt_wait_idle(vt, 20, 20);
	}
}

/*
 * An editor that returns an invalid note: lemma shows what is wrong and
 * asks; it never launches the editor again without an answer. Each answer
 * is one launch at most (the editor script counts them), and the problem
 * noted on top of the text does not pile up.
 */
static void
test_editor_invalid_asks(void **state)
{
	char editor[700], env_editor[800], launches[700], copy[700];
	char body[2000], note[700], kept_msg[800];
	const char *env[] = { env_editor, "VISUAL=", NULL };
	const char *db = st_path("invalid.db");
	char *text;
	struct vt *vt;

	(void)state;
	snprintf(editor, sizeof editor, "%s", st_path("invalid-editor.sh"));
	snprintf(launches, sizeof launches, "%s", st_path("launches.log"));
	snprintf(copy, sizeof copy, "%s", st_path("as-saved.txt"));
	/* Each launch: note the file's name, drop the Back heading (the
	 * document is then invalid), keep a copy of what was saved. */
	snprintf(body, sizeof body, "echo \"$1\" >> '%s'\n"
	    "sed -i '/^## Back/d' \"$1\"\ncp \"$1\" '%s'\n", launches, copy);
	write_script(editor, body);
	snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
	vt = st_start(db, NULL, env, 24, 80);
	open_deck(vt);
	vt_send(vt, " ");
	st_expect(vt, "Easy");

	/* The problem is shown with the file and line, and lemma waits. */
	vt_send(vt, "E");
	st_expect(vt, "e  edit again");
	st_expect(vt, "d  discard");
	st_expect(vt, "k  keep");
	st_expect_wrapped(vt, "\"## Tags\" comes after all 2 fields");
	settle(vt);
	assert_int_equal(count_lines(launches), 1);
	last_line(launches, note, sizeof note);
	st_expect(vt, note);
	/* Other keys do nothing. */
	vt_send(vt, "x \r");
	settle(vt);
	assert_int_equal(count_lines(launches), 1);
	assert_true(vt_contains(vt, "e  edit again"));

	/* Edit again: one more launch, the problem on top once. */
	vt_send(vt, "e");
	wait_launches(vt, launches, 2);
	st_expect(vt, "e  edit again");
	settle(vt);
	assert_int_equal(count_lines(launches), 2);
	text = read_text(copy);
	assert_non_null(strstr(text, "# lemma: not saved"));
	assert_null(strstr(strstr(text, "# lemma: not saved") + 1,
	    "# lemma: not saved"));
	free(text);
	vt_send(vt, "e");
	wait_launches(vt, launches, 3);
	st_expect(vt, "e  edit again");
	settle(vt);
	assert_int_equal(count_lines(launches), 3);
	text = read_text(copy);
	assert_null(strstr(strstr(text, "# lemma: not saved") + 1,
	    "# lemma: not saved"));
	free(text);

	/* Discard: no launch, the note as it was, the file gone. */
	vt_send(vt, "d");
	st_expect(vt, "the note is unchanged");
	settle(vt);
	assert_int_equal(count_lines(launches), 3);
	assert_int_equal(access(note, F_OK), -1);
	assert_true(vt_contains(vt, "Easy"));

	/* Keep: the note as it was, the text kept in its file, named. */
	vt_send(vt, "E");
	st_expect(vt, "e  edit again");
	vt_send(vt, "k");
	st_expect(vt, "your text is in");
	settle(vt);
	assert_int_equal(count_lines(launches), 4);
	last_line(launches, note, sizeof note);
	snprintf(kept_msg, sizeof kept_msg, "%s", strrchr(note, '/') + 1);
	st_expect(vt, kept_msg);
	text = read_text(note);
	assert_non_null(strstr(text, "## Front"));
	assert_null(strstr(text, "## Back"));
	free(text);
	unlink(note);
	st_quit(vt);

	/* The note itself never changed. */
	assert_int_equal(query_int(db, "SELECT count(*) FROM notes WHERE "
	    "fields LIKE '%Perplexity = exp(cross-entropy)%'"), 1);
}

/* The question with a very long temporary path (one "word" of 1,200
 * bytes in the problem line): shown, clipped, and answered. */
static void
test_editor_invalid_long_path(void **state)
{
	char editor[700], env_editor[800], env_tmp[1400], dir[1400];
	const char *env[] = { env_editor, "VISUAL=", env_tmp, NULL };
	const char *db = st_path("longpath.db");
	struct vt *vt;

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_tmpdir());
	for (int i = 0; i < 5; i++) {
		size_t n = strlen(dir);
		dir[n++] = '/';
		memset(dir + n, 'd', 230);
		dir[n + 230] = '\0';
		assert_int_equal(mkdir(dir, 0700), 0);
	}
	snprintf(editor, sizeof editor, "%s", st_path("long-editor.sh"));
	write_script(editor, "sed -i '/^## Back/d' \"$1\"\n");
	snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
	snprintf(env_tmp, sizeof env_tmp, "TMPDIR=%s", dir);
	vt = st_start(db, NULL, env, 24, 80);
	open_deck(vt);
	vt_send(vt, "E");
	st_expect(vt, "e  edit again");
	vt_send(vt, "d");
	st_expect(vt, "the note is unchanged");
	st_quit(vt);
}

static void
test_deck_options(void **state)
{
	char out[4096];
	const char *due[] = { "due", NULL };
	const char *db = st_path("options.db");
	struct vt *vt;
	int r, c;
	char row[256];

	(void)state;
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "o");
	st_expect(vt, "Options: " BUNDLED_DECK);
	st_expect(vt, "New cards/day");
	/* New cards/day is the fourth field. */
	vt_send(vt, "\t\t\t\x15" "5\x13");
	st_expect(vt, "Options saved: preset Default");
	st_expect(vt, BUNDLED_DECK);
	assert_int_equal(vt_find(vt, BUNDLED_DECK, &r, &c), 0);
	vt_row(vt, r, row, sizeof row);
	assert_non_null(strstr(row, " 5 "));
	/* A retention out of range is refused and nothing is saved. */
	vt_send(vt, "o");
	st_expect(vt, "Desired retention");
	vt_send(vt, "\x15" "0.5\x13");
	st_expect(vt, "Not saved: Desired retention must be between 0.70 and "
	    "0.99");
	/* Esc with a change asks first. */
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes?");
	vt_send(vt, "y");
	st_expect(vt, "Options unchanged");
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "    5 new"));
}

/*
 * The words of a session (issue 18): counts agree with their nouns, the
 * summary says reviews and distinct cards, and n and a on the
 * congratulations screen say why nothing more comes.
 */
static void
test_session_words(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("words.db"), NULL, NULL, 24, 100);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "1");
	st_expect(vt, "show answer");
	vt_send(vt, "q");
	st_expect(vt, "1 review of 1 card in");
	assert_false(vt_contains(vt, "1 cards"));
	/* Easy on every card: all ten leave for days; then nothing is due. */
	vt_send(vt, "\r");
	for (int i = 0; i < 10; i++) {
		st_expect(vt, "show answer");
		vt_send(vt, " ");
		st_expect(vt, "Easy");
		vt_send(vt, "4");
		vt_wait_idle(vt, 30, 300);
	}
	st_expect(vt, "Congratulations");
	st_expect(vt, "10 reviews of 10 cards");
	assert_true(vt_contains(vt, "Again 0 times"));
	vt_send(vt, "n");
	st_expect(vt, "No more new cards in this deck");
	vt_send(vt, "a");
	st_expect(vt, "Nothing is due in the next day");
	st_quit(vt);
}

/* A bad FSRS parameter list is named once, not "FSRS parameters: FSRS
 * parameters:" (issue 18). */
static void
test_fsrs_words(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("fsrs-words.db"), NULL, NULL, 24, 160);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "o");
	st_expect(vt, "FSRS parameters");
	/* The FSRS parameters are the ninth field. */
	vt_send(vt, "\t\t\t\t\t\t\t\t" "1 2 3\x13");
	st_expect(vt, "Not saved: FSRS parameters: expected 21 numbers");
	assert_false(vt_contains(vt, "FSRS parameters: FSRS parameters"));
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes?");
	vt_send(vt, "y");
	vt_wait_idle(vt, 30, 300);
	st_quit(vt);
}

/* Issue 15: the study view decodes HTML character references from the
 * one table, as lemma search and export --format text do (test_cli). */
static void
test_entities_on_screen(void **state)
{
	const char *db = st_path("ent.db"), *deck = st_path("ent.tsv");
	char out[4096];
	const char *import[] = { "import", "--deck", "Ents", (char *)deck, NULL };
	struct vt *vt;
	FILE *f;

	(void)state;
	assert_non_null(f = fopen(deck, "w"));
	fputs("#separator:tab\n#html:true\n"
	    "Greek &alpha; &notin; &#128; &frac34 &ampx end\tback &lambda;\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "Ents");
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	st_expect(vt, "Greek \xce\xb1 \xe2\x88\x89 \xe2\x82\xac \xc2\xbe &x end");
	vt_send(vt, " ");
	st_expect(vt, "back \xce\xbb");
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_study_session),
		cmocka_unit_test(test_bytes_per_step),
		cmocka_unit_test(test_formulas_on_screen),
		cmocka_unit_test(test_formulas_ascii),
		cmocka_unit_test(test_resize_mid_card),
		cmocka_unit_test(test_edit_in_editor),
		cmocka_unit_test(test_editor_invalid_asks),
		cmocka_unit_test(test_editor_invalid_long_path),
		cmocka_unit_test(test_deck_options),
		cmocka_unit_test(test_session_words),
		cmocka_unit_test(test_fsrs_words),
		cmocka_unit_test(test_entities_on_screen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
