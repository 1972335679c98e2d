/*
 * test_cli_decks.c - `lemma deck` and `lemma preset` as a script uses
 * them: their output, exit statuses, and the progress file left as it was
 * when an action is refused.
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

#define BUNDLED_DECK	"Tokens to Embodied Minds · Ch 02"

/* Run lemma with args (NULL-ended) on db; stdout into out. */
#define RUN(db, out, ...) \
	st_run((db), (const char *const []){ __VA_ARGS__, NULL }, (out), \
	    sizeof (out))

/* A progress file with the bundled deck, as a first start makes it. */
static void
new_file(const char *db)
{
	struct vt *vt = st_start(db, NULL, NULL, 24, 80);

	st_expect(vt, BUNDLED_DECK);
	st_quit(vt);
}

static void
test_deck_commands(void **state)
{
	const char *db = st_path("deck.db");
	char out[8192];

	(void)state;
	new_file(db);
	assert_int_equal(RUN(db, out, "deck", "list"), 0);
	assert_string_equal(out, "    10 cards  Default           " BUNDLED_DECK
	    "\n");
	assert_int_equal(RUN(db, out, "deck", "add", "Lang::French"), 0);
	assert_string_equal(out, "Added deck 'Lang::French'.\n");
	/* One deck whatever the case; refused with exit 1. */
	assert_int_equal(RUN(db, out, "deck", "add", "LANG"), 1);
	assert_int_equal(RUN(db, out, "deck", "add", "a::::b"), 1);
	assert_int_equal(RUN(db, out, "deck", "add", "a\tb"), 1);
	/* Rename to another parent moves the sub-decks along. */
	assert_int_equal(RUN(db, out, "deck", "rename", "lang", "School::Lang"),
	    0);
	assert_string_equal(out, "Renamed to 'School::Lang'.\n");
	assert_int_equal(RUN(db, out, "deck", "list", "--json"), 0);
	assert_non_null(strstr(out, "\"name\": \"School::Lang::French\""));
	assert_non_null(strstr(out, "\"name\": \"School\""));
	assert_non_null(strstr(out, "\"preset\": \"Default\""));
	assert_int_equal(RUN(db, out, "deck", "rename", "nope", "x"), 1);
	assert_int_equal(RUN(db, out, "deck", "rename", "School",
	    "School::Lang::x"), 1);

	/* Delete without --yes says what would go and changes nothing. */
	assert_int_equal(RUN(db, out, "deck", "delete",
	    "tokens to embodied minds · ch 02"), 1);
	assert_string_equal(out, "Deleting deck '" BUNDLED_DECK "' would "
	    "delete 1 deck, 10 cards and 10 notes.\nRun again with --yes to "
	    "delete them.\n");
	assert_int_equal(RUN(db, out, "deck", "list"), 0);
	assert_non_null(strstr(out, BUNDLED_DECK));
	assert_int_equal(RUN(db, out, "deck", "delete", BUNDLED_DECK, "--yes"),
	    0);
	assert_string_equal(out, "Deleted deck '" BUNDLED_DECK "': 1 deck, "
	    "10 cards, 10 notes.\n");
	assert_int_equal(RUN(db, out, "check"), 0);
	assert_int_equal(RUN(db, out, "deck", "list"), 0);
	assert_null(strstr(out, BUNDLED_DECK));

	/* Options: the preset shown, and a missing one refused. */
	assert_int_equal(RUN(db, out, "deck", "options", "school"), 0);
	assert_string_equal(out, "Default\n");
	assert_int_equal(RUN(db, out, "deck", "options", "school", "Nope"), 1);
	/* Import files a deck under the one there is, whatever the case. */
	{
		FILE *f = fopen(st_path("cs.txt"), "w");

		assert_non_null(f);
		fputs("#separator:tab\n#deck:cs::Graphs\nfront\tback\n", f);
		fclose(f);
		assert_int_equal(RUN(db, out, "deck", "add", "CS"), 0);
		assert_int_equal(RUN(db, out, "import", st_path("cs.txt")), 0);
		assert_int_equal(RUN(db, out, "deck", "list"), 0);
		assert_non_null(strstr(out, "     1 cards  Default           "
		    "CS::Graphs\n"));
		assert_null(strstr(out, "cs::"));
	}
	/* Usage errors exit 2. */
	assert_int_equal(RUN(db, out, "deck"), 2);
	assert_int_equal(RUN(db, out, "deck", "frobnicate"), 2);
	assert_int_equal(RUN(db, out, "deck", "add"), 2);
	assert_int_equal(RUN(db, out, "deck", "list", "--bogus"), 2);
}

static void
test_preset_commands(void **state)
{
	const char *db = st_path("preset.db");
	char out[8192];

	(void)state;
	new_file(db);
	assert_int_equal(RUN(db, out, "preset", "list"), 0);
	assert_string_equal(out, "   1 deck   Default\n");
	assert_int_equal(RUN(db, out, "preset", "add", "Light"), 0);
	assert_int_equal(RUN(db, out, "preset", "add", "LIGHT"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light", "new-per-day",
	    "5"), 0);
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "review-sort-order", "retrievability-ascending"), 0);
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "bury-interday", "yes"), 0);
	/* Refused values, each with its option's name; nothing saved. */
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "desired-retention", "0.5"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light", "new-per-day",
	    "-1"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "learning-steps", "1x"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "review-sort-order", "sideways"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "minimum-interval", "40000"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light", "nope", "1"), 2);
	assert_int_equal(RUN(db, out, "preset", "show", "Light"), 0);
	assert_non_null(strstr(out, "name Light\ndecks 0\n"));
	assert_non_null(strstr(out, "\nnew-per-day 5\n"));
	assert_non_null(strstr(out, "\nreview-sort-order "
	    "retrievability-ascending\n"));
	assert_non_null(strstr(out, "\nbury-interday yes\n"));
	assert_non_null(strstr(out, "\ndesired-retention 0.90\n"));
	assert_non_null(strstr(out, "\nlearn-ahead-mins 20\n"
	    "next-day-starts-at 4\n"));
	assert_int_equal(RUN(db, out, "preset", "show", "light", "--json"), 0);
	assert_non_null(strstr(out, "\"new-per-day\": 5, "));
	assert_non_null(strstr(out, "\"bury-interday\": true"));
	/* The collection's settings. */
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "next-day-starts-at", "24"), 1);
	assert_int_equal(RUN(db, out, "preset", "set", "light",
	    "learn-ahead-mins", "5"), 0);
	/* Clone keeps the options; a deck takes it; delete falls back. */
	assert_int_equal(RUN(db, out, "preset", "clone", "light", "Copy"), 0);
	assert_int_equal(RUN(db, out, "preset", "show", "copy"), 0);
	assert_non_null(strstr(out, "new-per-day 5\n"));
	assert_non_null(strstr(out, "learn-ahead-mins 5\n"));
	assert_int_equal(RUN(db, out, "deck", "options", BUNDLED_DECK, "copy"),
	    0);
	assert_string_equal(out, "Copy\n");
	assert_int_equal(RUN(db, out, "preset", "rename", "copy", "Mine"), 0);
	assert_int_equal(RUN(db, out, "preset", "list", "--json"), 0);
	assert_non_null(strstr(out, "{\"name\": \"Mine\", \"id\": 3, "
	    "\"decks\": 1}"));
	assert_int_equal(RUN(db, out, "preset", "delete", "mine"), 0);
	assert_int_equal(RUN(db, out, "deck", "options", BUNDLED_DECK), 0);
	assert_string_equal(out, "Default\n");
	assert_int_equal(RUN(db, out, "preset", "delete", "default"), 1);
	assert_int_equal(RUN(db, out, "preset", "delete", "nope"), 1);
	assert_int_equal(RUN(db, out, "preset"), 2);
	assert_int_equal(RUN(db, out, "preset", "show"), 2);
	assert_int_equal(RUN(db, out, "check"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deck_commands),
		cmocka_unit_test(test_preset_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
