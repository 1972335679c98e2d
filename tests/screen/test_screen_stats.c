/*
 * test_screen_stats.c - the statistics pane with a review history: every
 * graph at 80x24 (one at a time), at 200x60 (a scrolling column), and under
 * LANG=C in ASCII.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "lemma/stats/stats-text.h"
#include "screen-util.h"

#define NOW	1735722000LL	/* 2025-01-01T09:00:00Z, the tests' LEMMA_NOW */

/* The bundled deck, then 60 days of reviews of its ten cards. */
static const char *
make_history(const char *name)
{
	const char *db = st_path(name);
	const char *import[] = { "import", LEMMA_SRCDIR "/decks", NULL };
	char out[1024], sql[512];
	sqlite3 *s;

	assert_int_equal(st_run(db, import, out, sizeof out), 0);
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	for (int day = 60; day >= 1; day--) {
		for (int card = 1; card <= 10; card++) {
			long long t = (NOW - day * 86400LL + card * 60) * 1000;
			int rating = (day + card) % 9 == 0 ? 1 : 3;
			snprintf(sql, sizeof sql,
			    "INSERT INTO revlog (id, card_id, rating, kind, state, "
			    "elapsed_days, scheduled_days, stability, difficulty, due, "
			    "answer_ms, prev_state, prev_scheduled_days, prev_stability, "
			    "prev_difficulty) VALUES (%lld, %d, %d, 1, 2, %d, %d, %f, "
			    "5.0, %lld, 8000, 2, %d, %f, 5.0)", t, card, rating,
			    card % 4 + 1, card * 3, card * 3.0 + 1, NOW + card * 86400LL,
			    card * 3, card * 3.0);
			assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL),
			    SQLITE_OK);
		}
	}
	assert_int_equal(sqlite3_exec(s, "UPDATE cards SET state = 2, "
	    "stability = id * 3.0, difficulty = 5.0, scheduled_days = id * 3, "
	    "due = 1735722000 + id * 86400, last_review = 1735722000 - 86400, "
	    "reps = 60; COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	return db;
}

static void
test_each_graph_80x24(void **state)
{
	const char *db = make_history("small.db");
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 24, 80);
	st_expect(vt, "Tokens to Embodied Minds");
	vt_send(vt, "s");
	for (int g = 0; g < stats_graph_count(); g++) {
		char pos[16];
		snprintf(pos, sizeof pos, "%d/%d", g + 1, stats_graph_count());
		st_expect(vt, pos);
		st_expect(vt, stats_graph_title(g));
		vt_send(vt, "l");
	}
	/* Braille dots in the retention line. */
	vt_send(vt, "g");
	for (int g = 0; g < 5; g++)
		vt_send(vt, "l");
	st_expect(vt, "Retention per week");
	st_expect(vt, "%");
	st_quit(vt);
}

static void
test_column_200x60(void **state)
{
	const char *db = make_history("wide.db");
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, NULL, 60, 200);
	st_expect(vt, "Tokens to Embodied Minds");
	vt_send(vt, "s");
	/* All graphs in a column: scroll down until each title was seen. */
	for (int g = 0; g < stats_graph_count(); g++) {
		int seen = 0;
		for (int i = 0; i < 40 && !seen; i++) {
			if (vt_wait_for(vt, stats_graph_title(g), 300) == 0)
				seen = 1;
			else
				vt_send(vt, "\x04");	/* ^D half a page */
		}
		if (!seen) {
			vt_dump(vt, stderr);
			fail_msg("graph \"%s\" never appeared", stats_graph_title(g));
		}
	}
	st_quit(vt);
}

static void
test_ascii(void **state)
{
	const char *env[] = { "LANG=C", "LC_ALL=C", NULL };
	const char *db = make_history("ascii.db");
	struct vt *vt;

	(void)state;
	vt = st_start(db, NULL, env, 24, 80);
	st_expect(vt, "Tokens to Embodied Minds");
	vt_send(vt, "s");
	for (int g = 0; g < stats_graph_count(); g++) {
		const char *screen;
		st_expect(vt, stats_graph_title(g));
		vt_wait_idle(vt, 30, 500);
		screen = vt_screen(vt);
		for (const unsigned char *p = (const unsigned char *)screen; *p;
		    p++)
			if (*p >= 0x80)
				fail_msg("non-ASCII byte %#x in graph %d under "
				    "LANG=C", *p, g);
		vt_send(vt, "l");
	}
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_graph_80x24),
		cmocka_unit_test(test_column_200x60),
		cmocka_unit_test(test_ascii),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
