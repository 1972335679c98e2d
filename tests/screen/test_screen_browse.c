/*
 * test_screen_browse.c - the card browser and editor as a person uses them:
 * search by a word of the back, sort by due, edit in place and save, add a
 * cloze note, edit in $EDITOR, a bad query's error, bulk actions.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds"

static struct vt *
open_browser(const char *db, const char *const env[])
{
	struct vt *vt = st_start(db, NULL, env, 30, 100);

	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "b");
	st_expect(vt, "Search:");
	st_expect(vt, "10 cards");
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

static void
test_search_sort_edit(void **state)
{
	const char *db = st_path("browse.db");
	char out[16384];
	const char *exp[] = { "export", NULL };
	struct vt *vt;

	(void)state;
	vt = open_browser(db, NULL);
	/* A word that is only in a back. */
	search(vt, "coding");
	st_expect(vt, " 1 card ");
	st_expect(vt, "Define Shannon entropy");
	/* The preview renders the answer. */
	st_expect(vt, "Σₓ p(x) log p(x)");
	/* Sort by due: field -> deck -> due. */
	vt_send(vt, "o");
	st_expect(vt, "Deck↑");
	vt_send(vt, "o");
	st_expect(vt, "Due↑");
	/* Edit the back in place. */
	vt_send(vt, "e");
	st_expect(vt, "Edit note");
	vt_send(vt, "\t");		/* to Back */
	vt_send(vt, "EDITED ");
	st_expect(vt, "EDITED H(p)");
	vt_send(vt, "\x13");		/* ^S */
	st_expect(vt, "Note saved");
	st_expect(vt, "Search:");
	st_expect(vt, "EDITED H(p)");	/* in the preview */
	st_quit(vt);
	assert_int_equal(st_run(db, exp, out, sizeof out), 0);
	assert_non_null(strstr(out, "EDITED H(p) = -sum_x p(x) log p(x)"));
}

static void
test_add_cloze(void **state)
{
	const char *db = st_path("cloze.db");
	char out[4096];
	const char *due[] = { "due", NULL };
	struct vt *vt;

	(void)state;
	vt = open_browser(db, NULL);
	vt_send(vt, "a");
	st_expect(vt, "which type?");
	vt_send(vt, "3");
	st_expect(vt, "Text");
	vt_send(vt, "{{c1::Paris}} is the capital of {{c2::France}}.");
	/* The live preview hides the first cloze. */
	st_expect(vt, "[...] is the capital of France.");
	vt_send(vt, "\x13");
	st_expect(vt, "Note added with 2 new cards");
	search(vt, "capital");
	st_expect(vt, " 2 cards ");
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "   12 new"));
}

static void
test_cancel_asks(void **state)
{
	struct vt *vt;

	(void)state;
	vt = open_browser(st_path("cancel.db"), NULL);
	vt_send(vt, "e");
	st_expect(vt, "Edit note");
	vt_send(vt, "zzz");
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes? y/n");
	vt_send(vt, "n");
	st_expect_gone(vt, "Discard");
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes? y/n");
	vt_send(vt, "y");
	st_expect(vt, "Changes discarded");
	st_expect(vt, "Search:");
	assert_false(vt_contains(vt, "zzz"));
	st_quit(vt);
}

static void
test_editor_external(void **state)
{
	char editor[700], env_editor[800];
	const char *env[] = { env_editor, "VISUAL=", NULL };
	const char *db = st_path("ext.db");
	struct vt *vt;
	FILE *f;

	(void)state;
	snprintf(editor, sizeof editor, "%s", st_path("ed.sh"));
	f = fopen(editor, "w");
	fputs("#!/bin/sh\nsed -i 's/^## Tags$/## Tags\\nfromeditor/' \"$1\"\n", f);
	fclose(f);
	chmod(editor, 0700);
	snprintf(env_editor, sizeof env_editor, "EDITOR=%s", editor);
	vt = open_browser(db, env);
	vt_send(vt, "E");
	st_expect(vt, "Note saved");
	search(vt, "tag:fromeditor");
	st_expect(vt, " 1 card ");
	st_quit(vt);
}

static void
test_bad_query(void **state)
{
	struct vt *vt;

	(void)state;
	vt = open_browser(st_path("bad.db"), NULL);
	search(vt, "prop:ivl>>3");
	st_expect(vt, "column");
	st_expect(vt, "^");
	/* Fixing it recovers. */
	search(vt, "prop:ivl>=0");
	st_expect(vt, "10 cards");
	st_quit(vt);
}

/*
 * Anki's search keywords in the browser: deck:current is the deck under
 * the deck list's cursor, re: runs a regular expression over a field, and
 * a field no note type has finds nothing instead of an error.
 */
static void
test_search_keywords(void **state)
{
	const char *db = st_path("keywords.db");
	const char *import[] = { "import", LEMMA_SRCDIR
	    "/tests/data/decks/cloze/cloze.txt", LEMMA_SRCDIR
	    "/tests/data/decks/types/reversed.txt", NULL };
	char out[4096];
	struct vt *vt;

	(void)state;
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, "Cloze Forms");
	vt_send(vt, "b");
	st_expect(vt, "9 cards");
	/* The cursor is on the first deck, Cloze Forms. */
	search(vt, "deck:current");
	st_expect(vt, "7 cards");
	search(vt, "-deck:current");
	st_expect(vt, " 2 cards ");
	search(vt, "front:re:^FRONT\\sr$");
	st_expect(vt, " 2 cards ");
	search(vt, "front:re:^front$");
	st_expect(vt, "No cards match");
	search(vt, "myfield:x");
	st_expect(vt, "No cards match");
	search(vt, "tag:*");
	st_expect(vt, "9 cards");
	st_quit(vt);
}

static void
test_bulk_actions(void **state)
{
	const char *db = st_path("bulk.db");
	char out[8192];
	const char *due[] = { "due", NULL };
	struct vt *vt;

	(void)state;
	vt = open_browser(db, NULL);
	/* Select two cards, tag them, then suspend them. */
	vt_send(vt, " ");
	vt_send(vt, " ");
	st_expect(vt, "2 selected");
	vt_send(vt, "t");
	st_expect(vt, "Add tag:");
	vt_send(vt, "hard-ones\r");
	st_expect(vt, "Tagged 2 notes 'hard-ones'");
	search(vt, "tag:hard-ones");
	st_expect(vt, " 2 cards ");
	vt_send(vt, "!");
	st_expect(vt, "Suspended 1 card");
	search(vt, "is:suspended");
	st_expect(vt, " 1 card ");
	/* Delete asks first; n keeps the note, y deletes, u undoes. */
	search(vt, "");
	st_expect(vt, "10 cards");
	vt_send(vt, "D");
	st_expect(vt, "Delete these notes");
	vt_send(vt, "n");
	st_expect(vt, "Cancelled");
	vt_send(vt, "D");
	vt_send(vt, "y");
	st_expect(vt, "Deleted 1 note");
	st_expect(vt, "9 cards");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Delete Note.");
	st_expect(vt, "10 cards");
	/* Move to a new deck. */
	vt_send(vt, "m");
	st_expect(vt, "Move to deck:");
	vt_send(vt, "Elsewhere::Sub\r");
	st_expect(vt, "Moved 1 card to Elsewhere::Sub");
	st_quit(vt);
	assert_int_equal(st_run(db, due, out, sizeof out), 0);
	assert_non_null(strstr(out, "Elsewhere::Sub"));
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * Issue 14: Empty Cards in the browser. X lists the cards a re-import left
 * empty and asks before deleting them (n keeps them); y deletes them with
 * their history, and u undoes that like any delete.
 */
static void
test_empty_cards(void **state)
{
	const char *db = st_path("empty.db"), *deck = st_path("empty.tsv");
	char out[4096];
	const char *import[] = { "import", "--deck", "Clozes", deck, NULL };
	const char *list[] = { "check", "--empty-cards", NULL };
	struct vt *vt;

	(void)state;
	write_text(deck, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and {{c2::beta}}\nG2\t{{c1::gamma}}\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	write_text(deck, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and beta\nG2\t{{c1::gamma}}\n");
	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_non_null(strstr(out, "1 card now empty"));

	vt = st_start(db, NULL, NULL, 30, 100);
	st_expect(vt, "Clozes");
	vt_send(vt, "b");
	st_expect(vt, " 3 cards ");
	vt_send(vt, "?");
	st_expect(vt, "Empty Cards");
	vt_send(vt, "?");
	st_expect_gone(vt, "Empty Cards");
	/* The list first, and a question; n deletes nothing. */
	vt_send(vt, "X");
	st_expect(vt, " 1 card ");
	st_expect(vt, "Delete the empty cards listed and their review history");
	vt_send(vt, "n");
	st_expect(vt, "Cancelled");
	vt_send(vt, "X");
	st_expect(vt, "Delete the empty cards listed");
	vt_send(vt, "y");
	st_expect(vt, "Deleted 1 empty card");
	st_expect(vt, " 0 cards ");
	vt_send(vt, "u");
	st_expect(vt, "Undone: Empty Cards.");
	st_expect(vt, " 1 card ");
	vt_send(vt, "X");
	vt_send(vt, "y");
	st_expect(vt, "Deleted 1 empty card");
	st_quit(vt);
	assert_int_equal(st_run(db, list, out, sizeof out), 0);
	assert_non_null(strstr(out, "no empty cards"));
}

/*
 * The help overlays come from the key tables with each view's own words
 * (issue 18): the browser's u undoes a delete, the options' Enter saves
 * the options, Shift-Tab has a name, and a help longer than the screen
 * scrolls instead of being cut.
 */
static void
test_help_overlays(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("help.db"), NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "b");
	st_expect(vt, "Search:");
	vt_send(vt, "?");
	st_expect(vt, "Keys: Browse");
	/* The last rows of the table are below the screen: G goes there. */
	assert_false(vt_contains(vt, "Back to the deck list"));
	vt_send(vt, "G");
	st_expect(vt, "Back to the deck list");
	assert_true(vt_contains(vt, "Keys: Browse"));
	assert_true(vt_contains(vt, "Undo the last action (any view's)"));
	assert_false(vt_contains(vt, "Undo the last grade"));
	vt_send(vt, "k");
	vt_wait_idle(vt, 30, 300);
	assert_true(vt_contains(vt, "Keys: Browse"));
	vt_send(vt, "x");	/* any other key closes it */
	vt_wait_idle(vt, 30, 300);
	assert_false(vt_contains(vt, "Keys: Browse"));
	vt_send(vt, "q");
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "o");
	st_expect(vt, "Options: " BUNDLED_DECK);
	vt_send(vt, "\x1bOP");	/* F1 */
	st_expect(vt, "Keys: Deck options");
	st_expect(vt, "Save the options");
	assert_false(vt_contains(vt, "Save the note"));
	assert_false(vt_contains(vt, "#353"));
	st_expect(vt, "S-Tab");
	vt_send(vt, "x");
	vt_wait_idle(vt, 30, 300);
	vt_send(vt, "\x1b");
	vt_wait_idle(vt, 30, 300);
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_sort_edit),
		cmocka_unit_test(test_add_cloze),
		cmocka_unit_test(test_cancel_asks),
		cmocka_unit_test(test_editor_external),
		cmocka_unit_test(test_bad_query),
		cmocka_unit_test(test_search_keywords),
		cmocka_unit_test(test_bulk_actions),
		cmocka_unit_test(test_empty_cards),
		cmocka_unit_test(test_help_overlays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
