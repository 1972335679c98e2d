/*
 * test_screen_undo.c - undo of what issue 17 left: a note edited in place
 * and in $EDITOR (its fields, tags and the cards the edit made or left
 * empty come back), refused when another program changed the note since;
 * custom study's "increase today's limit" taken back, from the deck list
 * and from the session; the browser's bulk flag and Toggle Mark; and a
 * browser move to a deck that was not there, whose undo removes the deck.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "screen-util.h"

#define CLOZE_DECK	"Cloze Forms"

/* A progress file with the cloze test deck: 4 notes, 7 cards. */
static const char *
cloze_db(const char *name)
{
	const char *db = st_path(name);
	const char *import[] = { "import", LEMMA_SRCDIR
	    "/tests/data/decks/cloze/cloze.txt", NULL };
	char out[4096];

	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	return db;
}

static struct vt *
open_browser(const char *db, const char *const env[])
{
	struct vt *vt = st_start(db, NULL, env, 30, 100);

	st_expect(vt, CLOZE_DECK);
	vt_send(vt, "b");
	st_expect(vt, "Search:");
	st_expect(vt, "7 cards");
	return vt;
}

static void
search(struct vt *vt, const char *query)
{
	vt_send(vt, "/");
	vt_send(vt, "\x15");	/* ^U clears the line */
	vt_send(vt, query);
	vt_send(vt, "\r");
}

/* How many lines `lemma search QUERY` prints (one a card). */
static int
count_cli(const char *db, const char *query)
{
	const char *args[] = { "search", query, NULL };
	char out[8192];
	int n = 0;

	assert_int_equal(st_run(db, args, out, sizeof out), 0);
	for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n;
}

/* Change the progress file as another program would. */
static void
poke(const char *db, const char *sql)
{
	sqlite3 *s;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	sqlite3_busy_timeout(s, 5000);
	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(s);
}

/* An edit in place adds a cloze card; undo takes the text and the card
 * back. A second edit, changed by another program since, is refused and
 * stays. */
static void
test_edit_in_place_undo(void **state)
{
	const char *db = cloze_db("inplace.db");
	struct vt *vt;

	(void)state;
	vt = open_browser(db, NULL);
	search(vt, "water");
	st_expect(vt, " 1 card ");
	vt_send(vt, "e");
	st_expect(vt, "Edit note");
	vt_send(vt, "{{c2::Hydrogen}} ");
	st_expect(vt, "Hydrogen}}");
	vt_send(vt, "\x13");		/* ^S */
	st_expect(vt, "1 new cloze card added");
	search(vt, "water");
	st_expect(vt, " 2 cards ");
	assert_int_equal(count_cli(db, "Hydrogen"), 2);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Update Note.");
	st_expect(vt, " 1 card ");
	assert_int_equal(count_cli(db, "Hydrogen"), 0);
	assert_int_equal(count_cli(db, "water"), 1);
	assert_int_equal(count_cli(db, "deck:*"), 7);

	/* Again, then another program touches the note: refused. */
	vt_send(vt, "e");
	st_expect(vt, "Edit note");
	vt_send(vt, "{{c2::Oxygen}} ");
	st_expect(vt, "Oxygen}}");
	vt_send(vt, "\x13");
	st_expect(vt, "1 new cloze card added");
	poke(db, "UPDATE notes SET modified = modified + 1 WHERE fields "
	    "LIKE '%Oxygen%'");
	vt_send(vt, "u");
	st_expect(vt, "cannot undo");
	st_expect(vt, "changed since");
	st_quit(vt);
	assert_int_equal(count_cli(db, "Oxygen"), 2);
	assert_int_equal(count_cli(db, "deck:*"), 8);
}

/* An edit in $EDITOR renumbers a cloze (c2 -> c3: card 2 is left empty,
 * card 3 is made) and changes the tags; undo puts all of it back. */
static void
test_edit_external_undo(void **state)
{
	char editor[700], env_editor[800];
	const char *env[] = { env_editor, "VISUAL=", NULL };
	const char *db = cloze_db("external.db");
	struct vt *vt;
	FILE *f;

	(void)state;
	snprintf(editor, sizeof editor, "%s", st_path("ed.sh"));
	f = fopen(editor, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nsed -i -e 's/{{c2::France}}/{{c3::France}}/' "
	    "-e 's/^## Tags$/## Tags\\ncapitals/' \"$1\"\n", f);
	fclose(f);
	chmod(editor, 0700);
	snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
	vt = open_browser(db, env);
	search(vt, "capital");
	st_expect(vt, " 2 cards ");
	vt_send(vt, "E");
	st_expect(vt, "Note saved");
	assert_int_equal(count_cli(db, "tag:capitals"), 3);
	assert_int_equal(count_cli(db, "is:empty"), 1);
	assert_int_equal(count_cli(db, "card:3 capital"), 1);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Update Note.");
	st_quit(vt);
	assert_int_equal(count_cli(db, "tag:capitals"), 0);
	assert_int_equal(count_cli(db, "is:empty"), 0);
	assert_int_equal(count_cli(db, "card:3 capital"), 0);
	assert_int_equal(count_cli(db, "France"), 2);
	assert_int_equal(count_cli(db, "deck:*"), 7);
}

/* The deck's new count in `lemma due --all` ("    N new"). */
static int
due_new(const char *db)
{
	const char *due[] = { "due", "--all", NULL };
	char out[4096];
	int n = -1;

	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	if (sscanf(out, " %d new", &n) != 1)
		fail_msg("lemma due printed \"%s\"", out);
	return n;
}

static void
custom_more_new(struct vt *vt, const char *count)
{
	vt_send(vt, "C");
	st_expect(vt, "6  study by card state or tag");
	vt_send(vt, "1");
	st_expect(vt, "More new cards today:");
	vt_send(vt, "\x15");
	vt_send(vt, count);
	vt_send(vt, "\r");
}

/* Custom study's "increase today's new card limit": undone from the deck
 * list, and from inside the session it opened (which then holds the
 * limit's cards only); the study view's n likewise, refused once another
 * program changed today's limits. */
static void
test_custom_study_undo(void **state)
{
	const char *db = cloze_db("custom.db");
	const char *preset[] = { "preset", "set", "Default", "new-per-day", "2",
	    NULL };
	char out[4096];
	struct vt *vt;
	int more;

	(void)state;
	assert_int_equal(st_run(db, preset, out, sizeof out), 0);
	assert_int_equal(due_new(db), 2);
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, CLOZE_DECK);
	custom_more_new(vt, "3");
	st_expect(vt, "show answer");
	assert_int_equal(due_new(db), 5);
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Custom Study.");
	assert_int_equal(due_new(db), 2);
	vt_send(vt, "u");
	st_expect(vt, "Nothing to undo.");

	/* From the session: two new cards are left to study. */
	custom_more_new(vt, "4");
	st_expect(vt, "show answer");
	assert_int_equal(due_new(db), 6);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Custom Study.");
	assert_int_equal(due_new(db), 2);
	for (int i = 0; i < 2; i++) {
		st_expect(vt, "show answer");
		vt_send(vt, " ");
		st_expect(vt, "Easy");
		vt_send(vt, "4");
		st_expect_gone(vt, "Easy");
	}
	st_expect(vt, "C  custom study");
	assert_int_equal(due_new(db), 0);

	/* The congratulations screen's n (10 more new cards) is one too;
	 * changed by another program since, its undo is refused. */
	vt_send(vt, "n");
	st_expect(vt, "show answer");
	/* The 5 new cards left, but for the siblings buried today. */
	more = due_new(db);
	assert_in_range(more, 1, 5);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Custom Study.");
	st_expect(vt, "C  custom study");
	assert_int_equal(due_new(db), 0);
	vt_send(vt, "n");
	st_expect(vt, "show answer");
	poke(db, "UPDATE settings SET value = substr(value, 1, instr(value, "
	    "' ')) || '11 0' WHERE key LIKE 'study.extend.%'");
	vt_send(vt, "u");
	st_expect(vt, "cannot undo Custom Study");
	st_quit(vt);
	assert_int_equal(due_new(db), more);
}

/* The browser's bulk flag (f, then 0-7 as the study view's prompt) and
 * Anki's Toggle Mark (^K, or *), each one undoable action. */
static void
test_browser_flag_mark(void **state)
{
	const char *db = cloze_db("flag.db");
	struct vt *vt;

	(void)state;
	vt = open_browser(db, NULL);
	vt_send(vt, " ");
	vt_send(vt, " ");
	vt_send(vt, " ");
	st_expect(vt, "3 selected");
	vt_send(vt, "f");
	st_expect(vt, "5 pink, 6 turquoise, 7 purple, 0 none");
	vt_send(vt, "3");
	st_expect(vt, "Flagged 3 cards 3 Green.");
	st_expect_gone(vt, "7 purple");
	assert_int_equal(count_cli(db, "flag:3"), 3);
	/* The cursor's card alone, another flag. */
	vt_send(vt, "f");
	st_expect(vt, "7 purple");
	vt_send(vt, "7");
	st_expect(vt, "Flagged 1 card 7 Purple.");
	assert_int_equal(count_cli(db, "flag:7"), 1);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Set Flag.");
	assert_int_equal(count_cli(db, "flag:7"), 0);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Set Flag.");
	assert_int_equal(count_cli(db, "flag:3"), 0);
	assert_int_equal(count_cli(db, "flag:0"), 7);
	/* Toggle Mark on two cards of two notes. */
	search(vt, "capital or water");
	st_expect(vt, " 3 cards ");
	vt_send(vt, " ");
	vt_send(vt, "G");
	vt_send(vt, " ");
	st_expect(vt, "2 selected");
	vt_send(vt, "\x0b");		/* ^K */
	st_expect(vt, "Marked 2 notes.");
	assert_int_equal(count_cli(db, "tag:marked"), 3);
	/* The first row is the water note's card: unmarked alone. */
	vt_send(vt, "g");
	vt_send(vt, "*");
	st_expect(vt, "Unmarked 1 note.");
	assert_int_equal(count_cli(db, "tag:marked"), 2);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Toggle Mark.");
	assert_int_equal(count_cli(db, "tag:marked"), 3);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Toggle Mark.");
	assert_int_equal(count_cli(db, "tag:marked"), 0);
	vt_send(vt, "?");
	st_expect(vt, "Flag the cards: f then 1-7 (0 clears)");
	st_expect(vt, "Mark / unmark the notes");
	vt_send(vt, "q");
	st_expect_gone(vt, "Flag the cards");
	st_quit(vt);
}

/* A move to a deck that was not there makes it (and its parent); undo of
 * the move takes both away, so that the deck added before it can be
 * undone too. A deck the move made that is in use since stays. */
static void
test_move_new_deck_undo(void **state)
{
	const char *db = cloze_db("move.db");
	const char *list[] = { "deck", "list", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, CLOZE_DECK);
	vt_send(vt, "n");
	st_expect(vt, "New deck:");
	vt_send(vt, "Zed\r");
	st_expect(vt, "Zed");
	vt_send(vt, "b");
	st_expect(vt, "7 cards");
	search(vt, "water");
	st_expect(vt, " 1 card ");
	vt_send(vt, "m");
	st_expect(vt, "Move to deck:");
	vt_send(vt, "Brand::New\r");
	st_expect(vt, "Moved 1 card to Brand::New.");
	vt_send(vt, "q");
	st_expect(vt, "Brand");
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_non_null(strstr(out, "Brand::New"));
	vt_send(vt, "u");
	st_expect(vt, "Undone: Change Deck.");
	st_expect_gone(vt, "Brand");
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_null(strstr(out, "Brand"));
	assert_non_null(strstr(out, "7 cards  Default           " CLOZE_DECK));
	vt_send(vt, "u");
	st_expect(vt, "Undone: Add Deck.");
	st_expect_gone(vt, "Zed");

	/* Made by a move, then given a card by another program: the move
	 * is undone, the deck stays. */
	vt_send(vt, "b");
	st_expect(vt, "Search:");
	search(vt, "water");
	st_expect(vt, " 1 card ");
	vt_send(vt, "m");
	st_expect(vt, "Move to deck:");
	vt_send(vt, "Kept\r");
	st_expect(vt, "Moved 1 card to Kept.");
	poke(db, "UPDATE cards SET deck_id = (SELECT id FROM decks WHERE "
	    "name = 'Kept') WHERE id = (SELECT max(id) FROM cards)");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Change Deck.");
	st_quit(vt);
	assert_int_equal(count_cli(db, "deck:Kept"), 1);
	assert_int_equal(count_cli(db, "water"), 1);
	assert_int_equal(count_cli(db, "water deck:Kept"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit_in_place_undo),
		cmocka_unit_test(test_edit_external_undo),
		cmocka_unit_test(test_custom_study_undo),
		cmocka_unit_test(test_browser_flag_mark),
		cmocka_unit_test(test_move_new_deck_undo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
