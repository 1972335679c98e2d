/*
 * test_screen_fsrs.c - the deck options' FSRS tools in the full-screen
 * program, driven through a pty: ^O Optimize (its report, the better
 * parameters in their field, saved with ^S), ^O then Esc (cancelled, the
 * parameters unchanged and the view still open), ^V Evaluate (log loss,
 * RMSE(bins), the health check), ^G Help me decide (the Braille curves,
 * the least-time retention, Enter sets the desired retention), and a
 * parameter list outside the FSRS-6 bounds named before anything runs.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "screen-util.h"

#define NOW	1735722000LL	/* LEMMA_NOW: 2025-01-01T09:00:00Z */

static uint64_t rng_state;

static double
urand(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* ncards cards in deck "Optim" (preset Default) with a review log drawn
 * from a hidden stability per card (test_optimize's generator), answer
 * times included; every card is studied, due over the next weeks. */
static void
make_db(const char *db, int ncards)
{
	const char *deck = st_path("deck.txt");
	const char *imp[] = { "import", deck, NULL };
	char out[512];
	sqlite3 *s;
	sqlite3_stmt *ins;
	FILE *f;

	unlink(db);
	f = fopen(deck, "w");
	assert_non_null(f);
	fputs("#separator:tab\n#html:false\n#deck:Optim\n", f);
	for (int i = 0; i < ncards; i++)
		fprintf(f, "question %d\tanswer %d\n", i, i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	rng_state = 1;
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "INSERT INTO revlog (id, card_id, "
	    "rating, kind, state, due, stability, prev_due, answer_ms) VALUES "
	    "(?, ?, ?, ?, ?, ?, 1, 0, ?)", -1, &ins, NULL), SQLITE_OK);
	for (int c = 1; c <= ncards; c++) {
		long long t = NOW - 400LL * 86400 + c * 13LL;
		double stab = 2.0 + 3.0 * urand();
		int n = 0;

#define ROW(G, K) do {							\
	sqlite3_bind_int64(ins, 1, t * 1000);				\
	sqlite3_bind_int64(ins, 2, c);					\
	sqlite3_bind_int(ins, 3, (G));					\
	sqlite3_bind_int(ins, 4, (K));					\
	sqlite3_bind_int(ins, 5, 2);					\
	sqlite3_bind_int64(ins, 6, t + 86400);				\
	sqlite3_bind_int(ins, 7, 4000 + (int)(8000 * urand()));		\
	assert_int_equal(sqlite3_step(ins), SQLITE_DONE);		\
	sqlite3_reset(ins);						\
	n++;								\
} while (0)
		ROW(3, 0);
		while (n < 14) {
			long long gap = (long long)(stab * (0.7 + 0.6 * urand()) +
			    0.5) * 86400;

			if (gap < 86400)
				gap = 86400;
			t += gap;
			if (t > NOW - 86400)
				break;
			if (urand() < pow(1.0 + (double)gap / 86400.0 /
			    (9.0 * stab), -1.0)) {
				ROW(urand() < 0.1 ? 2 : 3, 1);
				stab *= 2.0 + urand();
			} else {
				ROW(1, 1);
				t += 600;
				ROW(3, 2);
				stab = stab * 0.4 + 0.5;
			}
		}
#undef ROW
	}
	sqlite3_finalize(ins);
	assert_int_equal(sqlite3_exec(s, "UPDATE cards SET state = 2, "
	    "stability = 20, difficulty = 5, last_review = 1735000000, due = "
	    "1735722000 + (id % 30) * 86400; COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(s);
}

/* A column of the Default preset, as text ("NULL" when unset). */
static void
preset_col(const char *db, const char *col, char *buf, size_t len)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	char *q = sqlite3_mprintf("SELECT coalesce(%s, 'NULL') FROM "
	    "deck_config WHERE id = 1", col);

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(s);
	sqlite3_free(q);
}

/* Whether s holds a Braille pattern other than the blank (U+2801 ..
 * U+28FF: E2 A0 81 .. E2 A3 BF). */
static int
has_braille(const char *s)
{
	for (; (s = strstr(s, "\xe2")) != NULL; s++)
		if ((unsigned char)s[1] >= 0xa0 && (unsigned char)s[1] <= 0xa3 &&
		    !((unsigned char)s[1] == 0xa0 && (unsigned char)s[2] == 0x80))
			return 1;
	return 0;
}

/* Start lemma on db and open the deck options. */
static struct vt *
open_options(const char *db)
{
	struct vt *vt = st_start(db, NULL, NULL, 30, 140);

	st_expect(vt, "Optim");
	vt_send(vt, "o");
	st_expect(vt, "FSRS parameters");
	return vt;
}

static void
test_optimize(void **state)
{
	char db[600], buf[1024];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("opt.db"));
	make_db(db, 400);
	vt = open_options(db);
	vt_send(vt, "\x0f");		/* ^O */
	st_expect(vt, "Better: now in the FSRS parameters field");
	st_expect(vt, "items from");
	st_expect(vt, "before");
	st_expect(vt, "after");
	st_expect(vt, "Any key: back to the options");
	vt_send(vt, " ");
	st_expect_gone(vt, "Any key: back to the options");
	/* Not saved until ^S. */
	preset_col(db, "fsrs_params", buf, sizeof buf);
	assert_string_equal(buf, "NULL");
	vt_send(vt, "\x13");
	st_expect(vt, "Options saved");
	preset_col(db, "fsrs_params", buf, sizeof buf);
	assert_string_not_equal(buf, "NULL");
	st_quit(vt);
}

/* Esc right after ^O: cancelled, whenever the fit ends; the parameters
 * as they were, and the options still open (the Esc went to the fit). */
static void
test_optimize_cancel(void **state)
{
	char db[600], buf[1024];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("cancel.db"));
	make_db(db, 400);
	vt = open_options(db);
	vt_send(vt, "\x0f\x1b");
	st_expect(vt, "Optimize cancelled; the parameters are unchanged.");
	assert_false(vt_contains(vt, "Better: now in"));
	st_expect(vt, "FSRS parameters");
	vt_send(vt, "\x13");
	st_expect(vt, "Options saved");
	preset_col(db, "fsrs_params", buf, sizeof buf);
	assert_string_equal(buf, "NULL");
	st_quit(vt);
}

static void
test_evaluate(void **state)
{
	char db[600];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("eval.db"));
	make_db(db, 400);
	vt = open_options(db);
	vt_send(vt, "\x16");		/* ^V */
	st_expect(vt, "Health check: passed");
	st_expect(vt, "these parameters");
	st_expect(vt, "time-series split (5 folds)");
	st_expect(vt, "RMSE(bins)");
	vt_send(vt, "x");
	st_expect_gone(vt, "Health check");
	vt_send(vt, "\x1b");
	st_expect(vt, "Options unchanged.");
	st_quit(vt);
}

static void
test_help_me_decide(void **state)
{
	char db[600], buf[64];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("decide.db"));
	make_db(db, 400);
	vt = open_options(db);
	vt_send(vt, "\x07");		/* ^G */
	st_expect(vt, "Help me decide: preset \"Default\", 365 days");
	st_expect(vt, "Least time per card known:");
	st_expect(vt, "Minutes a day");
	st_expect(vt, "Cards known at the end");
	st_expect(vt, "400 studied and 0 new cards, 20 new and at most 200 "
	    "reviews a day");
	/* The curves are Braille (U+2800..28FF: E2 A0..A3 in UTF-8). */
	assert_true(has_braille(vt_screen(vt)));
	st_expect(vt, "Chosen 90%");
	vt_key(vt, "Left");
	vt_key(vt, "Left");
	vt_key(vt, "Left");
	st_expect(vt, "Chosen 87%");
	vt_send(vt, "\r");
	st_expect(vt, "Desired retention 0.87: not saved yet");
	vt_send(vt, "\x13");
	st_expect(vt, "Options saved");
	preset_col(db, "desired_retention", buf, sizeof buf);
	assert_string_equal(buf, "0.87");
	st_quit(vt);
}

/* 21 numbers, the last outside FSRS-6's bounds: named, nothing runs. */
static void
test_bad_params(void **state)
{
	char db[600], buf[1024];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("bad.db"));
	make_db(db, 20);
	vt = open_options(db);
	/* The FSRS parameters are the ninth field. */
	vt_send(vt, "\t\t\t\t\t\t\t\t" "0.212, 1.2931, 2.3065, 8.2956, 6.4133, "
	    "0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, "
	    "0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 9.5");
	vt_send(vt, "\x0f");
	st_expect(vt, "w20");
	assert_false(vt_contains(vt, "items from"));
	vt_send(vt, "\x07");
	st_expect(vt, "w20");
	assert_false(vt_contains(vt, "Help me decide:"));
	vt_send(vt, "\x1b");
	st_expect(vt, "Discard your changes?");
	vt_send(vt, "y");
	vt_wait_idle(vt, 30, 300);
	preset_col(db, "fsrs_params", buf, sizeof buf);
	assert_string_equal(buf, "NULL");
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_optimize),
		cmocka_unit_test(test_optimize_cancel),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_help_me_decide),
		cmocka_unit_test(test_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
