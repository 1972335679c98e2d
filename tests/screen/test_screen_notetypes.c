/*
 * test_screen_notetypes.c - note types on screen, driving the real binary:
 * adding a note of a chosen type (the list shows the user's type, the
 * editor its field names); studying a "type in the answer" card (type,
 * Enter, the comparison marked as Anki marks it); a user's type with five
 * fields and two card templates (made with `lemma notetype add`, filled by
 * a text import naming it): its sections, hint and both cards.
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

#include "screen-util.h"

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
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* A progress file with the user's type Vocab (five fields, two templates),
 * a "type in the answer" note in deck T and a Vocab note in deck V. */
static void
make_db(const char *db)
{
	const char *add[] = { "notetype", "add", "Vocab", "--field", "Word",
	    "--field", "Meaning", "--field", "Example", "--field", "Pron",
	    "--field", "Notes", "--template", "Recognise",
	    "{{Word}}{{#Pron}} [{{Pron}}]{{/Pron}}{{^Notes}} (no notes){{/Notes}}",
	    "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{hint:Example}}",
	    "--template", "Recall", "{{Meaning}}",
	    "{{FrontSide}}<hr id=answer>{{Word}} ({{Card}}, {{Deck}})", NULL };
	const char *imp[] = { "import", NULL, NULL, NULL };
	char out[4096];

	write_file(st_path("t.txt"), "#separator:tab\n"
	    "#notetype:Basic (type in the answer)\n#deck:T\n"
	    "Capital of France?\tParis\n");
	write_file(st_path("v.txt"), "#separator:tab\n#notetype:vocab\n#deck:V\n"
	    "chat\tcat\tLe chat dort.\tsha\t\n");
	imp[1] = st_path("t.txt");
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	assert_int_equal(st_run(db, add, out, sizeof out), 0);
	assert_non_null(strstr(out, "Vocab: note type 5 added"));
	imp[1] = st_path("v.txt");
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
}

/* Add a note: the type list has every type; the editor shows the chosen
 * type's fields; the note gets the cards its templates make. */
static void
test_add_chosen_type(void **state)
{
	const char *db = st_path("add.db");
	struct vt *vt;

	(void)state;
	make_db(db);
	vt = st_start(db, NULL, NULL, 40, 80);
	st_expect(vt, "New Learn");
	vt_send(vt, "a");
	st_expect(vt, "Add a note: which type?");
	st_expect(vt, "5  Basic (type in the answer)");
	st_expect(vt, "6  Vocab  (5 fields, 2 card types)");
	/* Down five times and Enter: the same as 6. */
	vt_send(vt, "jjjjj\r");
	st_expect(vt, "New note: Vocab");
	st_expect(vt, "Example");
	st_expect(vt, "Notes");
	vt_send(vt, "chien\tdog\t\t\tmasc.");
	vt_send(vt, "\x13");	/* ^S */
	st_expect(vt, "Note added with 2 new cards.");
	st_quit(vt);
	assert_int_equal(query_int(db, "SELECT count(*) FROM notes WHERE "
	    "notetype = 5"), 2);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards c JOIN "
	    "notes n ON n.id = c.note_id WHERE n.sort_field = 'chien'"), 2);
	assert_int_equal(query_int(db, "SELECT count(*) FROM notes WHERE "
	    "fields = 'chien' || char(31) || 'dog' || char(31) || char(31) || "
	    "char(31) || 'masc.'"), 1);
}

/* Type in the answer: the keys go to the answer line; Enter shows the
 * answer with the typed text compared, character by character. */
static void
test_type_answer(void **state)
{
	const char *db = st_path("type.db");
	struct vt *vt;
	int row, col, row2, col2;

	(void)state;
	make_db(db);
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "New Learn");
	vt_send(vt, "\r");		/* T is first */
	st_expect(vt, "Capital of France?");
	st_expect(vt, "Answer:");
	st_expect(vt, "Enter: show the answer and compare");
	/* "1" and "q" are typed, not a grade and not leaving. */
	vt_send(vt, "Pairs1q");
	st_expect(vt, "Pairs1q");
	vt_send(vt, "\x7f\x7f");	/* two backspaces */
	st_expect_gone(vt, "Pairs1");
	vt_send(vt, "\r");
	/* difflib's reading of Pairs against Paris: "Pa", a missing "r",
	 * "i", a wrong "r", "s"; under it the arrow and the expected text. */
	st_expect(vt, "Pa-irs");
	st_expect(vt, "Again");
	assert_int_equal(vt_find(vt, "Pa-irs", &row, &col), 0);
	assert_int_equal(vt_find(vt, "Paris", &row2, &col2), 0);
	assert_int_equal(row2, row + 2);
	assert_int_equal(col2, col);
	{
		struct vt_cell_attrs good, bad;

		/* "P" is right and "r" (the fourth) wrong: not alike. */
		assert_int_equal(vt_cell(vt, row, col, &good), 0);
		assert_int_equal(vt_cell(vt, row, col + 4, &bad), 0);
		assert_memory_not_equal(&good, &bad, sizeof good);
	}
	/* Good on a new card: it comes back as a learning card, with an
	 * empty answer line again. */
	vt_send(vt, "3");
	st_expect(vt, "0 new 1 learn");
	st_expect_gone(vt, "Pa-irs");
	/* Esc gives the keys back to the study view (q would be typed). */
	vt_send(vt, "\x1b");
	st_expect_gone(vt, "Enter: show the answer");
	st_quit(vt);
	assert_int_equal(query_int(db, "SELECT count(*) FROM revlog"), 1);
}

/* The typed answer right: one line, all good. */
static void
test_type_answer_right(void **state)
{
	const char *db = st_path("right.db");
	struct vt *vt;

	(void)state;
	make_db(db);
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "New Learn");
	vt_send(vt, "\r");
	st_expect(vt, "Answer:");
	vt_send(vt, "Paris");
	st_expect(vt, "Answer: Paris");
	vt_send(vt, "\r");
	st_expect(vt, "Again");
	st_expect(vt, "Paris");
	assert_false(vt_contains(vt, "↓"));
	st_quit(vt);
}

/* A cloze type with {{type:cloze:Text}}: the answer expected is the
 * card's own deletion, as Anki's cloze typing. */
static void
test_type_cloze(void **state)
{
	const char *db = st_path("tcloze.db");
	const char *add[] = { "notetype", "add", "Cloze typing", "--cloze",
	    "--field", "Text", "--field", "Back Extra", "--template", "Cloze",
	    "{{cloze:Text}}{{type:cloze:Text}}",
	    "{{cloze:Text}}<br>{{type:cloze:Text}}", NULL };
	const char *imp[] = { "import", NULL, NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	write_file(st_path("c.txt"), "#separator:tab\n#notetype:Cloze typing\n"
	    "#deck:C\nThe {{c1::cat}} sat on the {{c2::mat}}.\t\n");
	write_file(st_path("e.txt"), "#deck:E\nq\ta\n");
	imp[1] = st_path("e.txt");
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	assert_int_equal(st_run(db, add, out, sizeof out), 0);
	imp[1] = st_path("c.txt");
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM cards c JOIN "
	    "notes n ON n.id = c.note_id WHERE n.notetype = 5"), 2);
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "New Learn");
	vt_send(vt, "\r");
	st_expect(vt, "The [...] sat on the mat.");
	st_expect(vt, "Answer:");
	vt_send(vt, "cat");
	st_expect(vt, "Answer: cat");
	vt_send(vt, "\r");
	st_expect(vt, "The cat sat on the mat.");
	st_expect(vt, "Again");
	/* Right: one line, no arrow, no expected line under it. */
	assert_false(vt_contains(vt, "↓"));
	st_quit(vt);
}

/* The user's type: sections, the hint behind h, both cards. */
static void
test_custom_type(void **state)
{
	const char *db = st_path("custom.db");
	const char *search[] = { "search", "note:vocab", NULL };
	const char *search2[] = { "search", "card:recall", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	make_db(db);
	/* Two cards: one per template. */
	assert_int_equal(st_run(db, search, out, sizeof out), 0);
	assert_non_null(strstr(out, "chat"));
	assert_non_null(strstr(strstr(out, "chat") + 1, "chat"));
	assert_int_equal(st_run(db, search2, out, sizeof out), 0);
	assert_non_null(strstr(out, "chat"));
	assert_null(strstr(strstr(out, "chat") + 1, "chat"));

	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "New Learn");
	vt_send(vt, "j\r");		/* V */
	st_expect(vt, "chat [sha] (no notes)");
	vt_send(vt, " ");
	st_expect(vt, "cat");
	st_expect(vt, "[Example: press h]");
	assert_false(vt_contains(vt, "Le chat dort."));
	vt_send(vt, "h");
	st_expect(vt, "Le chat dort.");
	st_expect_gone(vt, "press h");
	/* Bury siblings is on: the Recall card waits for tomorrow. */
	vt_send(vt, "3");
	st_quit(vt);
	assert_int_equal(query_int(db, "SELECT count(*) FROM revlog"), 1);

	/* Tomorrow the Recall card shows the Meaning; its back names the
	 * card and deck ({{Card}}, {{Deck}}). Answering the Recognise card,
	 * due first, would bury it again (bury new siblings, as Anki): that
	 * is turned off for this day. */
	{
		const char *args[] = { "--now", "2027-06-01T12:00:00Z", NULL };
		const char *nobury[] = { "preset", "set", "Default", "bury-new",
		    "no", NULL };

		assert_int_equal(st_run(db, nobury, out, sizeof out), 0);

		vt = st_start(db, args, NULL, 24, 80);
		st_expect(vt, "New Learn");
		vt_send(vt, "j\r");
		st_expect(vt, "show answer");
		if (vt_contains(vt, "chat [sha]")) {
			/* The review came first: grade it, then Recall. */
			vt_send(vt, " ");
			st_expect(vt, "Again");
			vt_send(vt, "3");
		}
		st_expect(vt, "cat");
		vt_send(vt, " ");
		st_expect(vt, "chat (Recall, V)");
		st_quit(vt);
	}
}

/* The browser's preview draws a card through its note type too; note:
 * and card: find the user's type and template. */
static void
test_browse_preview(void **state)
{
	const char *db = st_path("browse.db");
	struct vt *vt;

	(void)state;
	make_db(db);
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, "New Learn");
	vt_send(vt, "b");
	vt_send(vt, "/");
	vt_send(vt, "note:vocab card:recognise\r");
	st_expect(vt, "1 card");
	st_expect(vt, "chat [sha] (no notes)");
	st_expect(vt, "Le chat dort.");	/* hints are open in the preview */
	vt_send(vt, "/");
	vt_send(vt, "\x15note:\"basic (type*\"\r");	/* ^U clears the line */
	st_expect(vt, "Capital of France?");
	st_expect(vt, "Paris");
	st_quit(vt);
}

/*
 * The browser sorts by each note type's sort field and shows it (Gloss's
 * is its second field, Meaning), and the column's title names the
 * selected card's field, as Anki's "Sort Field" column.
 */
static void
test_browse_sort_field(void **state)
{
	const char *db = st_path("sortfield.db");
	const char *add[] = { "notetype", "add", "Gloss", "--sort-field", "2",
	    "--field", "Word", "--field", "Meaning", "--template", "Card 1",
	    "{{Word}}", "{{Meaning}}", NULL };
	const char *imp[] = { "import", NULL, NULL };
	char out[4096], line[128];
	int row, col, apple, mango, zebra;
	struct vt *vt;

	(void)state;
	make_db(db);
	assert_int_equal(st_run(db, add, out, sizeof out), 0);
	write_file(st_path("g.txt"), "#separator:tab\n#notetype:Gloss\n#deck:G\n"
	    "alpha\tzebra\nbeta\tapple\ngamma\tmango\n");
	imp[0] = "import";
	imp[1] = st_path("g.txt");
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, "New Learn");
	vt_send(vt, "b");
	vt_send(vt, "/");
	vt_send(vt, "note:gloss\r");
	st_expect(vt, "3 cards");
	st_expect(vt, "Sort field: Meaning");
	assert_int_equal(vt_find(vt, "apple", &apple, &col), 0);
	assert_int_equal(vt_find(vt, "mango", &mango, &col), 0);
	assert_int_equal(vt_find(vt, "zebra", &zebra, &col), 0);
	if (!(apple < mango && mango < zebra)) {
		vt_dump(vt, stderr);
		fail_msg("rows: apple %d, mango %d, zebra %d", apple, mango,
		    zebra);
	}
	/* Another type's card: its own sort field's name. */
	vt_send(vt, "/");
	vt_send(vt, "\x15note:vocab\r");
	st_expect(vt, "Sort field: Word");
	assert_int_equal(vt_find(vt, "Sort field: Word", &row, &col), 0);
	vt_row(vt, row, line, sizeof line);
	assert_null(strstr(line, "Meaning"));
	st_quit(vt);
}

/* lemma notetype list|show [--json], and add refusing what cannot work
 * (exit 1, the type and template named, nothing written). */
static void
test_notetype_cli(void **state)
{
	const char *db = st_path("cli.db");
	const char *list[] = { "notetype", "list", NULL };
	const char *json[] = { "notetype", "list", "--json", NULL };
	const char *show[] = { "notetype", "show", "VOCAB", NULL };
	const char *bad[] = { "notetype", "add", "Broken", "--field", "A",
	    "--template", "T", "{{#A}}{{A}}", "{{A}}", NULL };
	const char *usage[] = { "notetype", "add", "X", "--template", "T",
	    NULL };
	char out[8192];

	(void)state;
	make_db(db);
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_non_null(strstr(out, "Basic (optional reversed card)\tnormal, "
	    "3 fields, 2 card templates, 0 notes"));
	assert_non_null(strstr(out, "Vocab\tnormal, 5 fields, 2 card "
	    "templates, 1 note"));
	assert_int_equal(st_run(db, json, out, sizeof out), 0);
	assert_non_null(strstr(out, "{\"id\":4,\"name\":\"Basic (type in the "
	    "answer)\",\"kind\":\"normal\",\"sort_field\":0,\"fields\":"
	    "[\"Front\",\"Back\"],\"templates\":[{\"name\":\"Card 1\","
	    "\"front\":\"{{Front}}\\n\\n{{type:Back}}\""));
	assert_non_null(strstr(out, "{\"id\":2,\"name\":\"Cloze\",\"kind\":"
	    "\"cloze\""));
	assert_int_equal(st_run(db, show, out, sizeof out), 0);
	assert_non_null(strstr(out, "Vocab (normal, 1 note)"));
	assert_non_null(strstr(out, "  5. Notes"));
	assert_non_null(strstr(out, "Card template Recall:"));
	assert_int_equal(st_run(db, bad, out, sizeof out), 1);
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_null(strstr(out, "Broken"));
	assert_int_equal(st_run(db, usage, out, sizeof out), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_chosen_type),
		cmocka_unit_test(test_type_answer),
		cmocka_unit_test(test_type_answer_right),
		cmocka_unit_test(test_custom_type),
		cmocka_unit_test(test_type_cloze),
		cmocka_unit_test(test_browse_preview),
		cmocka_unit_test(test_browse_sort_field),
		cmocka_unit_test(test_notetype_cli),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
