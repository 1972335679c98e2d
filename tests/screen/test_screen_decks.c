/*
 * test_screen_decks.c - managing the deck tree in the deck list as a
 * person does: add (a::b makes the parent), rename to another parent (the
 * subtree moves), move with m, delete after a question that counts the
 * cards and notes, a refused name, and undo of each, newest first.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds · Ch 02"

static struct vt *
open_decks(const char *db)
{
	struct vt *vt = st_start(db, NULL, NULL, 30, 100);

	st_expect(vt, BUNDLED_DECK);
	st_expect(vt, "q quit");
	return vt;
}

/* The deck names as `lemma deck list` prints them, into out. */
static void
deck_list(const char *db, char *out, size_t len)
{
	const char *args[] = { "deck", "list", NULL };

	assert_int_equal(st_run(db, args, out, len), 0);
}

static void
add_deck(struct vt *vt, const char *name)
{
	vt_send(vt, "n");
	st_expect(vt, "New deck:");
	vt_send(vt, name);
	vt_send(vt, "\r");
}

/* Put the cursor on the row showing text, after the screen shows header
 * on the deck list's first row: at 100 columns the list fills the screen
 * under the title row, with its first deck on row 2. */
static void
go_to_under(struct vt *vt, const char *header, const char *text)
{
	int r, c, r0, c0;

	st_expect(vt, header);
	st_expect(vt, text);
	assert_int_equal(vt_find(vt, header, &r0, &c0), 0);
	assert_int_equal(r0, 1);
	assert_int_equal(vt_find(vt, text, &r, &c), 0);
	vt_send(vt, "g");
	for (int i = r0 + 1; i < r; i++)
		vt_send(vt, "j");
}

static void
go_to(struct vt *vt, const char *text)
{
	go_to_under(vt, " Deck ", text);
}

static void
test_add_rename_move_undo(void **state)
{
	const char *db = st_path("tree.db");
	char out[4096];
	struct vt *vt;

	(void)state;
	vt = open_decks(db);
	/* q typed into the line is a letter, not quit. */
	add_deck(vt, "Quiz::Sub");
	st_expect(vt, "Added deck 'Quiz::Sub'; u undoes.");
	st_expect(vt, "Quiz");
	st_expect(vt, "Sub");
	/* Case-insensitively one deck. */
	add_deck(vt, "quiz");
	st_expect(vt, "a deck named 'Quiz' exists already");
	/* A refused name. */
	add_deck(vt, "a::::b");
	st_expect(vt, "empty part");
	/* Rename Sub to another parent: it moves. */
	go_to(vt, "Sub");
	vt_send(vt, "r");
	st_expect(vt, "Rename to:");
	vt_send(vt, "\x15");		/* ^U clears the line */
	vt_send(vt, "Other::Renamed");
	vt_send(vt, "\r");
	st_expect(vt, "Renamed to 'Other::Renamed'; u undoes.");
	/* Move it under the bundled deck with m. */
	vt_send(vt, "m");
	go_to_under(vt, "Move under which deck?", BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "Moved to '" BUNDLED_DECK "::Renamed'");
	st_quit(vt);
	deck_list(db, out, sizeof out);
	assert_non_null(strstr(out, BUNDLED_DECK "::Renamed\n"));
	assert_non_null(strstr(out, " Quiz\n"));
	assert_non_null(strstr(out, " Other\n"));
	assert_null(strstr(out, "Quiz::Sub"));

	/* Undo lasts until quit: a new start has nothing to undo. */
	vt = open_decks(db);
	vt_send(vt, "u");
	st_expect(vt, "Nothing to undo.");
	/* Each action undone, newest first, with Anki's labels. */
	go_to(vt, "Renamed");
	vt_send(vt, "m");
	st_expect(vt, "Move under which deck?");
	vt_send(vt, "t");
	st_expect(vt, "Moved to 'Renamed'");
	add_deck(vt, "Extra");
	st_expect(vt, "Added deck 'Extra'");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Add Deck.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Move Deck.");
	st_quit(vt);
	deck_list(db, out, sizeof out);
	assert_non_null(strstr(out, BUNDLED_DECK "::Renamed\n"));
	assert_null(strstr(out, "Extra"));
}

static void
test_rename_undo(void **state)
{
	const char *db = st_path("rename.db");
	char out[4096];
	struct vt *vt;

	(void)state;
	vt = open_decks(db);
	vt_send(vt, "r");
	st_expect(vt, "Rename to:");
	vt_send(vt, "\x15");
	vt_send(vt, "Books::Tokens");
	vt_send(vt, "\r");
	st_expect(vt, "Renamed to 'Books::Tokens'");
	st_expect_gone(vt, BUNDLED_DECK);
	vt_send(vt, "u");
	st_expect(vt, "Undone: Rename Deck.");
	st_expect(vt, BUNDLED_DECK);
	st_quit(vt);
	deck_list(db, out, sizeof out);
	assert_non_null(strstr(out, BUNDLED_DECK "\n"));
	assert_null(strstr(out, "Books"));
}

static void
test_delete_asks_and_undo(void **state)
{
	const char *db = st_path("delete.db");
	const char *due[] = { "due", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	vt = open_decks(db);
	vt_send(vt, "D");
	st_expect(vt, "Delete the deck?");
	st_expect(vt, "'" BUNDLED_DECK "', 10 cards and 10 notes will be "
	    "deleted.");
	vt_send(vt, "n");
	st_expect(vt, "Cancelled.");
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "D");
	st_expect(vt, "Delete the deck?");
	vt_send(vt, "y");
	st_expect(vt, "Deleted '" BUNDLED_DECK "': 10 cards, 10 notes; u "
	    "undoes.");
	st_expect(vt, "No decks yet");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Delete Deck.");
	st_expect(vt, BUNDLED_DECK);
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "   10 new"));
}

static void
test_collapse_kept(void **state)
{
	const char *db = st_path("collapse.db");
	struct vt *vt;

	(void)state;
	vt = open_decks(db);
	add_deck(vt, "Top::Child");
	st_expect(vt, "Child");
	go_to(vt, "Top");
	vt_send(vt, "h");
	st_expect_gone(vt, "Child");
	st_quit(vt);
	vt = open_decks(db);
	st_expect(vt, "Top");
	assert_false(vt_contains(vt, "Child"));
	go_to(vt, "Top");
	vt_send(vt, "l");
	st_expect(vt, "Child");
	st_quit(vt);
}

/* Presets in the options view: add one and give it to the deck, clone,
 * rename and delete presets, Esc with changes asks; each undone from the
 * deck list, newest first. */
static void
test_presets_and_undo(void **state)
{
	const char *db = st_path("presets.db");
	const char *opt[] = { "deck", "options", BUNDLED_DECK, NULL };
	const char *list[] = { "preset", "list", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "o");
	st_expect(vt, "Preset \"Default\" is used by 1 deck");
	vt_key(vt, "Up");		/* to the preset row */
	st_expect(vt, "Left/Right choose");
	vt_send(vt, "a");
	st_expect(vt, "New preset:");
	vt_send(vt, "Light\r");
	st_expect(vt, "Add Preset: done; u undoes.");
	st_expect(vt, "Preset \"Light\" is used by 0 decks");
	vt_send(vt, "\r");
	st_expect(vt, "Options saved: preset Light, used by 1 deck; u undoes.");
	st_expect(vt, " Deck ");
	assert_int_equal(st_run(db, opt, out, sizeof out), 0);
	assert_string_equal(out, "Light\n");

	/* Clone, rename, delete. */
	vt_send(vt, "o");
	st_expect(vt, "Preset \"Light\" is used by 1 deck");
	vt_key(vt, "Up");
	st_expect(vt, "Left/Right choose");
	vt_send(vt, "c");
	st_expect(vt, "Clone as:");
	vt_send(vt, "Heavy\r");
	st_expect(vt, "Clone Preset: done");
	vt_send(vt, "r");
	st_expect(vt, "Rename to:");
	vt_send(vt, "\x15" "Heavier\r");
	st_expect(vt, "Rename Preset: done");
	st_expect(vt, "Preset \"Heavier\"");
	vt_send(vt, "d");
	st_expect(vt, "Delete the preset?");
	vt_send(vt, "y");
	st_expect(vt, "Delete Preset: done");
	/* A change, then Esc: asked, kept, then let go. */
	vt_key(vt, "Down");		/* to the first option */
	vt_send(vt, "9");
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes?");
	vt_send(vt, "n");
	st_expect_gone(vt, "Discard your changes?");
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes?");
	vt_send(vt, "y");
	st_expect(vt, "Options unchanged.");
	st_expect(vt, " Deck ");

	/* Undo from the deck list, newest first. */
	vt_send(vt, "u");
	st_expect(vt, "Undone: Delete Preset.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Rename Preset.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Clone Preset.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Options.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Add Preset.");
	st_quit(vt);
	assert_int_equal(st_run(db, opt, out, sizeof out), 0);
	assert_string_equal(out, "Default\n");
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_string_equal(out, "   1 deck   Default\n");
}

/* The browser's changes each undone with Anki's label, in the browser
 * and from the deck list (one stack for every view). */
static void
test_browser_undo(void **state)
{
	const char *db = st_path("browse-undo.db");
	const char *due[] = { "due", NULL };
	const char *susp[] = { "search", "is:suspended", NULL };
	const char *tag[] = { "search", "tag:xtag", NULL };
	const char *learn[] = { "search", "is:learn", NULL };
	char out[8192];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	/* One card studied, so that a reset has something to reset. */
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "3");
	st_expect_gone(vt, "Easy");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	vt_send(vt, "b");
	st_expect(vt, "10 cards");
	vt_send(vt, "!");
	st_expect(vt, "Suspended 1 card.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Suspend.");
	vt_send(vt, "t");
	st_expect(vt, "Add tag:");
	vt_send(vt, "xtag\r");
	st_expect(vt, "Tagged 1 note 'xtag'.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Add Tags.");
	vt_send(vt, "m");
	st_expect(vt, "Move to deck:");
	vt_send(vt, "Other\r");
	st_expect(vt, "Moved 1 card to Other.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Change Deck.");
	vt_send(vt, "/");
	vt_send(vt, "\x15" "is:learn\r");
	st_expect(vt, " 1 card ");
	vt_send(vt, "R");
	st_expect(vt, "Reset the cards to new");
	vt_send(vt, "y");
	st_expect(vt, "Reset 1 card to new.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Reset.");
	st_expect(vt, " 1 card ");
	/* A change in the browser, undone from the deck list. */
	vt_send(vt, "!");
	st_expect(vt, "Suspended 1 card.");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Suspend.");
	/* Then the grade given before the browser opened. */
	vt_send(vt, "u");
	st_expect(vt, "Undone: Answer Card.");
	vt_send(vt, "u");
	st_expect(vt, "Nothing to undo.");
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "   10 new"));
	assert_int_equal(st_run(db, learn, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(st_run(db, susp, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(st_run(db, tag, out, sizeof out), 0);
	assert_string_equal(out, "");
}

/* A grade and a bury undone in the study view, and a grade from a
 * session that has ended undone from the deck list. */
static void
test_study_undo_anywhere(void **state)
{
	const char *db = st_path("study-undo.db");
	const char *due[] = { "due", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "4");
	st_expect_gone(vt, "Easy");
	vt_send(vt, "-");
	st_expect(vt, "Card buried until tomorrow.");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Bury Card.");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "3");
	st_expect_gone(vt, "Easy");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "    8 new"));
	/* The undo list lasts until quit: this start has its own. */
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "4");
	st_expect_gone(vt, "Easy");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Answer Card.");
	vt_send(vt, "u");
	st_expect(vt, "Nothing to undo.");
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "    8 new"));
}

/* Anki's seven flags: the prompt names all seven and goes with the
 * choice; the study view shows the flag's number and name, the browser a
 * column with it and the mark; flag:N and tag:marked find them. */
static void
test_flags_and_marks(void **state)
{
	const char *db = st_path("flags.db");
	const char *flag6[] = { "search", "flag:6", NULL };
	const char *marked[] = { "search", "tag:marked", NULL };
	char out[4096];
	struct vt *vt;
	int r, c;
	char row[512];

	(void)state;
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	vt_send(vt, "f");
	st_expect(vt, "5 pink, 6 turquoise, 7 purple, 0 none");
	vt_send(vt, "6");
	st_expect_gone(vt, "7 purple");
	st_expect(vt, "6 Turquoise");
	vt_send(vt, "*");
	st_expect(vt, "* marked");
	/* Both undoable, newest first; then set again. */
	vt_send(vt, "u");
	st_expect(vt, "Undone: Toggle Mark.");
	st_expect_gone(vt, "* marked");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Set Flag.");
	st_expect_gone(vt, "6 Turquoise");
	vt_send(vt, "f");
	st_expect(vt, "7 purple");
	vt_send(vt, "6");
	st_expect(vt, "6 Turquoise");
	vt_send(vt, "*");
	st_expect(vt, "* marked");
	vt_send(vt, "?");
	st_expect(vt, "Flag: f then 1-7 (0 clears)");
	vt_send(vt, "x");
	st_expect_gone(vt, "Flag: f then 1-7");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	vt_send(vt, "b");
	st_expect(vt, "10 cards");
	vt_send(vt, "/");
	vt_send(vt, "\x15" "flag:6\r");
	st_expect(vt, " 1 card ");
	assert_int_equal(vt_find(vt, "6*", &r, &c), 0);
	vt_row(vt, r, row, sizeof row);
	assert_non_null(strstr(row, "Tokens to"));
	st_quit(vt);
	assert_int_equal(st_run(db, flag6, out, sizeof out), 0);
	assert_non_null(strchr(out, '\n'));
	assert_null(strchr(strchr(out, '\n') + 1, '\n'));
	assert_int_equal(st_run(db, marked, out, sizeof out), 0);
	assert_non_null(strchr(out, '\n'));
}

/* Open custom study on the selected deck and pick kind (1-6), then type
 * the number line (after clearing its default). */
static void
custom(struct vt *vt, const char *kind, const char *line, const char *label)
{
	vt_send(vt, "C");
	st_expect(vt, "Custom study");
	st_expect(vt, "6  study by card state or tag");
	vt_send(vt, kind);
	st_expect(vt, label);
	vt_send(vt, "\x15");
	vt_send(vt, line);
	vt_send(vt, "\r");
}

/* Anki's six kinds of custom study, from the deck list and from the
 * congratulations screen; a filtered session's cards never leave their
 * deck, even when the program is killed (kill -9) in the middle. */
static void
test_custom_study(void **state)
{
	const char *db = st_path("custom.db");
	const char *due[] = { "due", NULL };
	const char *check[] = { "check", NULL };
	const char *list[] = { "deck", "list", NULL };
	const char *tagged[] = { "search", "tag:zz", NULL };
	char out[8192];
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	/* 1: five more new cards today, on a limit of 20 (10 cards): the
	 * session opens with the deck's cards. */
	custom(vt, "1", "5", "More new cards today:");
	st_expect(vt, "show answer");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	/* 6: new cards, 3 of them; preview 5 shows what is new. */
	custom(vt, "6", "new 3", "new|due|all [tag] [count]:");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "3");
	st_expect_gone(vt, "Easy");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "3");
	st_expect_gone(vt, "Easy");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "4");
	/* Two in learning come back in a minute; learn ahead shows them. */
	st_expect(vt, "show answer");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	/* 7 new left, 2 learning, in the deck: nothing went elsewhere. */
	assert_non_null(strstr(out, "    7 new"));
	/* 5: preview new cards: grades write nothing. */
	custom(vt, "5", "1", "Preview new cards added in the last days:");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "4");
	st_expect_gone(vt, "Easy");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "    7 new"));
	/* 3: forgotten today (none: nothing was graded Again). */
	custom(vt, "3", "1", "Forgotten in the last days:");
	st_expect(vt, "Custom study: no cards match");
	/* 4: review ahead 30 days: the Easy card. */
	custom(vt, "4", "30", "Review cards due in the next days:");
	st_expect(vt, "show answer");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	/* 2: more reviews. */
	custom(vt, "2", "10", "More reviews today:");
	st_expect(vt, "show answer");
	/* A bad number is refused. */
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	custom(vt, "3", "x", "Forgotten in the last days:");
	st_expect(vt, "Custom study: a whole number from 1 to 9999");
	st_quit(vt);

	/* kill -9 in the middle of a filtered session by tag. */
	{
		const char *tag[] = { "search", "is:new", NULL };

		assert_int_equal(st_run(db, tag, out, sizeof out), 0);
	}
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "b");
	st_expect(vt, "Search:");
	vt_send(vt, "/");
	vt_send(vt, "\x15" "is:new\r");
	st_expect(vt, " 7 cards ");
	vt_send(vt, " ");
	vt_send(vt, " ");
	st_expect(vt, "2 selected");
	vt_send(vt, "t");
	st_expect(vt, "Add tag:");
	vt_send(vt, "zz\r");
	st_expect(vt, "Tagged 2 notes 'zz'.");
	vt_send(vt, "q");
	st_expect(vt, " Deck ");
	custom(vt, "6", "all zz", "new|due|all [tag] [count]:");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "3");
	st_expect_gone(vt, "Easy");
	vt_signal(vt, SIGKILL);
	assert_true(WIFSIGNALED(vt_close(vt, 3000)));
	assert_int_equal(st_run(db, check, out, sizeof out), 0);
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_string_equal(out, "    10 cards  Default           "
	    BUNDLED_DECK "\n");
	assert_int_equal(st_run(db, tagged, out, sizeof out), 0);
	assert_non_null(strstr(out, BUNDLED_DECK));
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "    6 new"));
	/* The congratulations screen offers it too. */
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, BUNDLED_DECK);
	custom(vt, "6", "all 1", "new|due|all [tag] [count]:");
	st_expect(vt, "show answer");
	vt_send(vt, " ");
	st_expect(vt, "Easy");
	vt_send(vt, "4");
	st_expect(vt, "C  custom study");
	vt_send(vt, "C");
	st_expect(vt, "Custom study");
	vt_send(vt, "q");
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_rename_move_undo),
		cmocka_unit_test(test_rename_undo),
		cmocka_unit_test(test_delete_asks_and_undo),
		cmocka_unit_test(test_collapse_kept),
		cmocka_unit_test(test_presets_and_undo),
		cmocka_unit_test(test_browser_undo),
		cmocka_unit_test(test_study_undo_anywhere),
		cmocka_unit_test(test_flags_and_marks),
		cmocka_unit_test(test_custom_study),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
