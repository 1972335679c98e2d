/*
 * test_fsrs_data.c - review-log rows to FSRS histories as Anki's
 * reviews_for_fsrs (training), against hand-written logs: the rollover
 * hour, same-day steps, a reset in the middle, a manual reschedule, cram
 * rows; the compact store's ranks; fsrs-rs's RMSE bins.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lemma/model/fsrs-data.h"

/* The next study day starts 2025-01-11T04:00:00Z (rollover 4, UTC). */
#define NEXT_DAY	((int64_t)1736568000)
/* Day D (0 = 2025-01-01) at hh:mm UTC, as a revlog id (ms). */
#define AT(D, hh, mm)	(((int64_t)1735689600 + (D) * 86400 + (hh) * 3600 + \
			(mm) * 60) * 1000)

enum { L = FSRS_LOG_LEARN, R = FSRS_LOG_REVIEW, RL = FSRS_LOG_RELEARN,
	F = FSRS_LOG_FILTERED, M = FSRS_LOG_MANUAL, RS = FSRS_LOG_RESET,
	C = FSRS_LOG_CRAM };

#define MAXROWS	12

static const struct {
	const char		*name;
	struct fsrs_log_row	 rows[MAXROWS];
	size_t			 nrows;
	size_t			 want;		/* reviews kept */
	uint8_t			 rating[MAXROWS];
	uint32_t		 dt[MAXROWS];
} cases[] = {
	{ "steps, then reviews and a lapse with a relearning step", {
	    { AT(0, 10, 0), 3, L }, { AT(0, 10, 10), 3, L },
	    { AT(2, 9, 0), 3, R }, { AT(5, 9, 0), 1, R },
	    { AT(5, 9, 10), 3, RL }, { AT(6, 9, 0), 3, R } }, 6,
	    6, { 3, 3, 3, 1, 3, 3 }, { 0, 0, 2, 3, 0, 1 } },
	{ "rollover: 03:00 is still the day before, 05:00 the next", {
	    { AT(0, 10, 0), 3, L }, { AT(1, 3, 0), 3, R },
	    { AT(1, 5, 0), 3, R } }, 3,
	    3, { 3, 3, 3 }, { 0, 0, 1 } },
	{ "rollover: 23:59 and 00:01 are one study day", {
	    { AT(0, 23, 59), 2, L }, { AT(1, 0, 1), 3, L },
	    { AT(3, 12, 0), 4, R } }, 3,
	    3, { 2, 3, 4 }, { 0, 0, 3 } },
	{ "a reset in the middle: history from the learning after it", {
	    { AT(0, 10, 0), 3, L }, { AT(3, 10, 0), 3, R },
	    { AT(4, 10, 0), 0, RS }, { AT(5, 10, 0), 1, L },
	    { AT(5, 10, 1), 3, L }, { AT(8, 10, 0), 3, R } }, 6,
	    3, { 1, 3, 3 }, { 0, 0, 3 } },
	{ "a reset with no learning after it drops the card", {
	    { AT(0, 10, 0), 3, L }, { AT(3, 10, 0), 3, R },
	    { AT(4, 10, 0), 0, RS } }, 3,
	    0, { 0 }, { 0 } },
	{ "a manual reschedule is not a review", {
	    { AT(0, 10, 0), 3, L }, { AT(2, 10, 0), 3, R },
	    { AT(3, 10, 0), 0, M }, { AT(9, 10, 0), 3, R } }, 4,
	    3, { 3, 3, 3 }, { 0, 2, 7 } },
	{ "cram rows are left out, rescheduling early reviews kept", {
	    { AT(0, 10, 0), 3, L }, { AT(1, 10, 0), 3, C },
	    { AT(2, 10, 0), 4, F }, { AT(3, 10, 0), 1, C },
	    { AT(6, 10, 0), 3, R } }, 5,
	    3, { 3, 4, 3 }, { 0, 2, 4 } },
	{ "no learning entry: not used for training", {
	    { AT(0, 10, 0), 3, R }, { AT(3, 10, 0), 3, R } }, 2,
	    0, { 0 }, { 0 } },
	{ "a second learning session without a reset row starts it", {
	    { AT(0, 10, 0), 3, L }, { AT(2, 10, 0), 3, R },
	    { AT(5, 10, 0), 3, L }, { AT(5, 10, 5), 3, L },
	    { AT(5, 11, 0), 0, M }, { AT(7, 10, 0), 2, R } }, 6,
	    3, { 3, 3, 2 }, { 0, 0, 2 } },
	{ "a row after next_day_at counts as day 0", {
	    { AT(0, 10, 0), 3, L }, { AT(12, 10, 0), 3, R } }, 2,
	    2, { 3, 3 }, { 0, 9 } },
};

static void
test_history(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fsrs_review out[MAXROWS];
		size_t n = fsrs_history_build(cases[i].rows, cases[i].nrows,
		    NEXT_DAY, out);

		if (n != cases[i].want)
			fail_msg("%s: %zu reviews, want %zu", cases[i].name, n,
			    cases[i].want);
		for (size_t k = 0; k < n; k++)
			if (out[k].rating != cases[i].rating[k] ||
			    out[k].delta_t != cases[i].dt[k])
				fail_msg("%s: review %zu is (%u, %u), want "
				    "(%u, %u)", cases[i].name, k, out[k].rating,
				    out[k].delta_t, cases[i].rating[k],
				    cases[i].dt[k]);
	}
}

/* Items are one per review after the first with delta_t > 0; a card's
 * trailing same-day reviews are dropped; ranks follow the row ids across
 * cards. */
static void
test_data_ranks(void **state)
{
	static const struct fsrs_review a[] = {
		{ 10, 0, 3 }, { 11, 0, 3 }, { 30, 2, 3 }, { 50, 3, 1 },
		{ 51, 0, 3 }, { 60, 1, 3 }, { 61, 0, 2 },
	};
	static const struct fsrs_review b[] = {
		{ 20, 0, 4 }, { 40, 5, 3 }, { 55, 4, 3 },
	};
	static const struct fsrs_review none[] = {
		{ 5, 0, 3 }, { 6, 0, 3 },
	};
	static const uint32_t want_rank[] = {
		FSRS_NO_RANK, FSRS_NO_RANK, 0, 2, FSRS_NO_RANK, 4,
		FSRS_NO_RANK, 1, 3,
	};
	struct fsrs_data d;

	(void)state;
	fsrs_data_init(&d);
	assert_int_equal(fsrs_data_add(&d, a, 7), 3);
	assert_int_equal(fsrs_data_add(&d, none, 2), 0);
	assert_int_equal(fsrs_data_add(&d, b, 3), 2);
	fsrs_data_finish(&d);
	assert_int_equal(d.ncards, 2);
	assert_int_equal(d.nitems, 5);
	assert_int_equal(d.nrev, 9);	/* card a without its last review */
	assert_int_equal(d.card_start[1], 6);
	assert_null(d.id);
	for (size_t j = 0; j < d.nrev; j++)
		if (d.rank[j] != want_rank[j])
			fail_msg("review %zu: rank %u, want %u", j, d.rank[j],
			    want_rank[j]);
	fsrs_data_free(&d);
}

/* fsrs-rs r_matrix_index, worked by hand: dt bin 2.48 * 3.62^k * 100,
 * length bin 1.99 * 1.89^k of (long-term reviews incl. the target) + 1,
 * lapse bin 1.65 * 1.73^k. */
static void
test_rmse_bin(void **state)
{
	static const struct {
		uint32_t dt;
		unsigned lt, lapses;
		uint64_t dt_bin, len_bin, lapse_bin;
	} c[] = {
		{ 1, 0, 0, 248, 4, 0 },		/* len 2: 1.89^1 */
		{ 3, 0, 0, 248, 4, 0 },		/* 3 < 3.62 */
		{ 4, 1, 1, 898, 4, 2 },		/* 3.62^1; len 3 */
		{ 14, 2, 2, 3250, 7, 3 },	/* 3.62^2 = 13.1; len 4 */
		{ 100, 6, 3, 11765, 13, 5 },	/* 3.62^3; len 8; 3 > 1.73^2 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		uint64_t want = c[i].dt_bin << 24 | c[i].len_bin << 12 |
		    c[i].lapse_bin;

		if (fsrs_rmse_bin(c[i].dt, c[i].lt, c[i].lapses) != want)
			fail_msg("case %zu: bin %llx, want %llx", i,
			    (unsigned long long)fsrs_rmse_bin(c[i].dt, c[i].lt,
			    c[i].lapses), (unsigned long long)want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_data_ranks),
		cmocka_unit_test(test_rmse_bin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
