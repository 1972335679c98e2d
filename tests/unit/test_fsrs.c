/*
 * test_fsrs.c - the FSRS formulas and Anki's scheduler rules, table-driven.
 *
 * The reference values come from research/fsrs.md section 3 (fsrs-rs's
 * own tests) and from Anki's rslib tests (steps.rs, fuzz.rs, review.rs).
 * The ts-fsrs vectors are replayed by test_fsrs_vectors.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lemma/model/fsrs.h"

#define NOW	((time_t)1735722000)	/* 2025-01-01T09:00:00Z */

static void
assert_near(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("got %.10g, want %.10g (tolerance %g)", got, want, tol);
}

static void
test_fsrs_defaults(void **state)
{
	struct fsrs_params p;

	(void)state;
	fsrs_params_default(&p);
	assert_near(p.w[0], 0.212, 0);
	assert_near(p.w[20], 0.1542, 0);
	assert_near(p.desired_retention, 0.9, 0);
	assert_int_equal(p.max_interval, 36500);
	assert_int_equal(p.nlearn, 2);
	assert_int_equal(p.learn_steps[0], 60);
	assert_int_equal(p.learn_steps[1], 600);
	assert_int_equal(p.nrelearn, 1);
	assert_int_equal(p.relearn_steps[0], 600);
	assert_near(p.factor, 0.9803464944134797, 1e-12);
	assert_near(p.ivl_modifier, 1.0, 1e-12);
}

static void
test_fsrs_curve(void **state)
{
	static const struct { double t, r; } cases[] = {
		{ 1, 0.98568 }, { 10, 0.90000 }, { 30, 0.80939 },
		{ 100, 0.69283 }, { 365, 0.57356 }, { 0, 1.0 },
	};
	static const struct { double dr, ratio; } ratios[] = {
		{ 0.7, 9.2879 }, { 0.8, 3.3160 }, { 0.85, 1.9064 }, { 0.9, 1 },
		{ 0.95, 0.4026 }, { 0.97, 0.2228 }, { 0.99, 0.0687 },
	};
	struct fsrs_params p;

	(void)state;
	fsrs_params_default(&p);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_near(fsrs_retrievability(&p, cases[i].t, 10), cases[i].r,
		    5e-6);
	for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++) {
		assert_int_equal(fsrs_params_set_retention(&p, ratios[i].dr, NULL), 0);
		assert_near(fsrs_interval_exact(&p, 10) / 10, ratios[i].ratio, 5e-5);
	}
	/* An interval is whole days, at least 1, at most the maximum. */
	fsrs_params_default(&p);
	assert_int_equal(fsrs_interval_days(&p, 0.2), 1);
	assert_int_equal(fsrs_interval_days(&p, 2.5), 3);
	assert_int_equal(fsrs_interval_days(&p, 2.49), 2);
	p.max_interval = 30;
	assert_int_equal(fsrs_interval_days(&p, 500), 30);
}

static void
test_fsrs_memory(void **state)
{
	static const double init[4][2] = {
		{ 0.212, 6.4133 }, { 1.2931, 5.11217071 }, { 2.3065, 2.11810397 },
		{ 8.2956, 1 },
	};
	/* fsrs-rs test values (f32, hence the tolerances). */
	static const double next_d[4] = { 8.341763, 6.6659956, 4.990228, 3.3144615 };
	static const double short_s[4] = { 1.596818, 5, 5, 8.12961 };
	static const double recall_r[4] = { 0.9, 0.8, 0.7, 0.6 };
	static const double recall_s[4] = { 25.602541, 28.226582, 58.656002,
	    127.226685 };
	struct fsrs_params p;
	struct fsrs_memory m = { 0, 0 }, out;

	(void)state;
	fsrs_params_default(&p);
	for (int g = 1; g <= 4; g++) {
		fsrs_memory_next(&p, &m, 0, g, &out);
		assert_near(out.s, init[g - 1][0], 1e-12);
		assert_near(out.d, init[g - 1][1], 1e-8);
		assert_near(fsrs_next_difficulty(&p, 5, g), next_d[g - 1], 1e-5);
		assert_near(fsrs_stability_short_term(&p, 5, g), short_s[g - 1], 1e-5);
		assert_near(fsrs_stability_recall(&p, g, 5, recall_r[g - 1], g) /
		    recall_s[g - 1], 1, 1e-5);
	}
	assert_near(fsrs_init_difficulty_raw(&p, 4), -4.7716307, 1e-6);

	/* A lapse is capped at S / e^(w17 w18) and never below S_MIN. */
	m.s = 100;
	m.d = 5;
	fsrs_memory_next(&p, &m, 100, 1, &out);
	assert_true(out.s <= 100 / exp(p.w[17] * p.w[18]));
	m.s = 0.001;
	fsrs_memory_next(&p, &m, 3, 1, &out);
	assert_near(out.s, 0.001, 0);
	/* D stays within 1..10 after many Agains. */
	m.s = 1;
	m.d = 9.9;
	for (int i = 0; i < 20; i++)
		fsrs_memory_next(&p, &m, 1, 1, &m);
	assert_true(m.d <= 10 && m.d > 9.9);
}

static void
test_fsrs_weights(void **state)
{
	static const double fsrs45[17] = { 0.4, 0.6, 2.4, 5.8, 4.93, 0.94, 0.86,
	    0.01, 1.49, 0.14, 0.94, 2.18, 0.05, 0.34, 1.26, 0.29, 2.61 };
	static const struct {
		const char *text;
		int ok;
		const char *msg;	/* part of the error */
	} cases[] = {
		{ "", 1, NULL },
		{ "0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, "
		  "1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, "
		  "1.8729, 0.5425, 0.0912, 0.0658, 0.1542", 1, NULL },
		{ "[0.40255 1.18385 3.173 15.69105 7.1949 0.5345 1.4604 0.0046 "
		  "1.54575 0.1192 1.01925 1.9395 0.11 0.29605 2.2698 0.2315 "
		  "2.9898 0.51655 0.6621]", 1, NULL },
		{ "1 2 3", 0, "expected 21 numbers" },
		{ "0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.9, "
		  "1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, "
		  "1.8729, 0.5425, 0.0912, 0.0658, 0.1542", 0, "w7 = 0.9" },
		{ "0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, "
		  "1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, "
		  "1.8729, 0.5425, 0.0912, 0.0658, nan", 0, "w20 is not a finite" },
		{ "0.212, x", 0, "is not a number" },
	};
	struct fsrs_params p;
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fsrs_params_default(&p);
		p.w[0] = 42;	/* shows whether a failed parse touched p */
		int rc = fsrs_params_parse_weights(&p, cases[i].text, &e);
		if (cases[i].ok) {
			assert_int_equal(rc, 0);
			assert_true(p.w[0] != 42);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(e.msg, cases[i].msg));
			assert_near(p.w[0], 42, 0);
		}
	}
	/* FSRS-5 vectors get w19 = 0 and w20 = 0.5 (the old curve). */
	fsrs_params_parse_weights(&p, cases[2].text, NULL);
	assert_near(p.w[19], 0, 0);
	assert_near(p.w[20], 0.5, 0);
	assert_near(p.factor, 19.0 / 81.0, 1e-12);
	/* FSRS-4.5: D0 migrates to the exponential form. */
	assert_int_equal(fsrs_params_set_weights(&p, fsrs45, 17, NULL), 0);
	assert_near(p.w[4], 6.81, 1e-12);
	assert_near(p.w[5], 0.44675013, 1e-7);
	assert_near(p.w[6], 1.36, 1e-12);
	assert_near(p.w[20], 0.5, 0);
	/* Retention bounds. */
	assert_int_equal(fsrs_params_set_retention(&p, 0.7, NULL), 0);
	assert_int_equal(fsrs_params_set_retention(&p, 0.99, NULL), 0);
	assert_int_equal(fsrs_params_set_retention(&p, 0.69, &e), -1);
	assert_int_equal(fsrs_params_set_retention(&p, 1.0, &e), -1);
}

static void
test_fsrs_steps_parse(void **state)
{
	static const struct {
		const char *text;
		int n;
		int secs[4];
	} cases[] = {
		{ "1m 10m", 2, { 60, 600 } },
		{ "", 0, { 0 } },
		{ "  ", 0, { 0 } },
		{ "10m", 1, { 600 } },
		{ "30s, 5m 1h 2d", 4, { 30, 300, 3600, 172800 } },
		{ "5 1.5", 2, { 300, 90 } },
		{ "5x", -1, { 0 } },
		{ "-1m", -1, { 0 } },
		{ "0m", -1, { 0 } },
		{ "1m1m", -1, { 0 } },
	};
	int secs[FSRS_MAX_STEPS], n;
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = fsrs_steps_parse(cases[i].text, secs, &n, &e);
		if (cases[i].n < 0) {
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(n, cases[i].n);
		for (int k = 0; k < n; k++)
			assert_int_equal(secs[k], cases[i].secs[k]);
	}
}

/* Anki's steps.rs delay_secs test, as (steps, step index) -> again, hard,
 * good (-1 = none). */
static void
test_fsrs_anki_steps(void **state)
{
	static const struct {
		int steps[3], n, step, again, hard, good;
	} cases[] = {
		{ { 600 }, 1, 0, 600, 900, -1 },
		{ { 3 * 86400 }, 1, 0, 3 * 86400, 4 * 86400, -1 },
		{ { 60, 600 }, 2, 0, 60, 330, 600 },
		{ { 60, 600 }, 2, 1, 60, 600, -1 },
		{ { 60, 600, 6000 }, 3, 0, 60, 330, 600 },
		{ { 60, 600, 6000 }, 3, 1, 60, 600, 6000 },
		{ { 60, 600, 6000 }, 3, 2, 60, 6000, -1 },
		{ { 60, 600 }, 2, 5, 60, 600, -1 },	/* past the end: last */
	};
	struct fsrs_params p;
	int secs, next;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fsrs_params_default(&p);
		memcpy(p.learn_steps, cases[i].steps, sizeof cases[i].steps);
		p.nlearn = cases[i].n;
		assert_int_equal(fsrs_step_delay(&p, FSRS_LEARNING, cases[i].step,
		    1, &secs, &next), 1);
		assert_int_equal(secs, cases[i].again);
		assert_int_equal(next, 0);
		assert_int_equal(fsrs_step_delay(&p, FSRS_LEARNING, cases[i].step,
		    2, &secs, &next), 1);
		assert_int_equal(secs, cases[i].hard);
		if (cases[i].good < 0) {
			assert_int_equal(fsrs_step_delay(&p, FSRS_LEARNING,
			    cases[i].step, 3, &secs, &next), 0);
		} else {
			assert_int_equal(fsrs_step_delay(&p, FSRS_LEARNING,
			    cases[i].step, 3, &secs, &next), 1);
			assert_int_equal(secs, cases[i].good);
		}
		assert_int_equal(fsrs_step_delay(&p, FSRS_LEARNING, cases[i].step,
		    4, &secs, &next), 0);
	}
	/* ts-fsrs: Hard on a later step still averages the first two, in
	 * whole minutes (1m/10m: 6m, where Anki gives 10m). */
	fsrs_params_default(&p);
	p.tsfsrs = 1;
	fsrs_params_prepare(&p);
	assert_int_equal(fsrs_step_delay(&p, FSRS_LEARNING, 1, 2, &secs, &next), 1);
	assert_int_equal(secs, 360);
	assert_int_equal(next, 1);
}

/* Anki's fuzz.rs with_review_fuzz test: (interval, min, max) -> the day
 * picked with factor 0, 0.5 and 0.99. */
static void
test_fsrs_fuzz(void **state)
{
	static const struct {
		double ivl;
		int min, max, lower, middle, upper;
	} cases[] = {
		{ 1.0, 1, 1000, 1, 1, 1 },
		{ 2.49, 1, 1000, 2, 2, 2 },
		{ 2.5, 1, 1000, 2, 3, 4 },
		{ 7.0, 1, 1000, 5, 7, 9 },
		{ 17.0, 1, 1000, 14, 17, 20 },
		{ 37.0, 1, 1000, 33, 37, 41 },
		{ 2.0, 2, 1000, 2, 2, 2 },
		{ 2.0, 3, 1000, 3, 4, 4 },
		{ 2.0, 3, 3, 3, 3, 3 },
		{ 6.9, 3, 1000, 5, 7, 9 },
		{ 7.1, 3, 1000, 5, 7, 9 },
		{ 19.9, 3, 1000, 17, 20, 23 },
		{ 20.1, 3, 1000, 17, 20, 23 },
		{ 100.0, 101, 1000, 101, 105, 108 },
		{ 100.0, 1, 99, 92, 96, 99 },
		{ 100.0, 97, 103, 97, 100, 103 },
	};
	static const double factors[3] = { 0.0, 0.5, 0.99 };
	int lo, hi, seen[8] = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const int want[3] = { cases[i].lower, cases[i].middle, cases[i].upper };
		fsrs_fuzz_bounds(cases[i].ivl, cases[i].min, cases[i].max, &lo, &hi);
		for (int k = 0; k < 3; k++)
			assert_int_equal((int)floor(lo + factors[k] * (1 + hi - lo)),
			    want[k]);
	}
	/* The factor is reproducible and spread over [0, 1). */
	assert_true(fsrs_fuzz_factor(12345) == fsrs_fuzz_factor(12345));
	for (uint64_t s = 0; s < 800; s++) {
		double f = fsrs_fuzz_factor(s);
		assert_true(f >= 0 && f < 1);
		seen[(int)(f * 8)]++;
	}
	for (int k = 0; k < 8; k++)
		assert_in_range(seen[k], 60, 140);
}

static struct fsrs_card
review_card(double s, double d, int sched)
{
	struct fsrs_card c;

	memset(&c, 0, sizeof c);
	c.state = FSRS_REVIEW;
	c.stability = s;
	c.difficulty = d;
	c.scheduled_days = sched;
	c.last_review = NOW - (time_t)sched * 86400;
	c.due = NOW;
	c.reps = 5;
	return c;
}

static void
test_fsrs_review_intervals(void **state)
{
	struct fsrs_params p;
	struct fsrs_card c, out[4], again;

	(void)state;
	/* Anki: the maximum applies after ordering, so nothing passes it. */
	fsrs_params_default(&p);
	p.max_interval = 30;
	p.fuzz = 0;
	fsrs_params_prepare(&p);
	c = review_card(40, 3, 25);
	fsrs_preview(&p, &c, NOW, 25, 0, out);
	for (int g = 2; g <= 4; g++) {
		assert_int_equal(out[g - 1].state, FSRS_REVIEW);
		assert_true(out[g - 1].scheduled_days <= 30);
	}
	/* ts-fsrs orders after capping: Good and Easy pass it. */
	p.tsfsrs = 1;
	fsrs_params_prepare(&p);
	fsrs_preview(&p, &c, NOW, 25, 0, out);
	assert_int_equal(out[1].scheduled_days, 30);
	assert_int_equal(out[2].scheduled_days, 31);
	assert_int_equal(out[3].scheduled_days, 32);

	/* With fuzz, hard < good < easy still holds, intervals stay in the
	 * fuzz window, and the same seed gives the same answer. */
	fsrs_params_default(&p);
	for (uint64_t seed = 0; seed < 200; seed++) {
		c = review_card(20, 5, 20);
		fsrs_preview(&p, &c, NOW, 20, seed, out);
		assert_true(out[1].scheduled_days < out[2].scheduled_days);
		assert_true(out[2].scheduled_days < out[3].scheduled_days);
		assert_true(out[2].scheduled_days > 20);	/* > last */
		assert_int_equal(out[2].due, NOW + out[2].scheduled_days * 86400);
		fsrs_next(&p, &c, NOW, 20, seed, 3, &again);
		assert_int_equal(again.scheduled_days, out[2].scheduled_days);
	}

	/* Again on a review card: a lapse, then the relearning step. */
	c = review_card(20, 5, 20);
	fsrs_next(&p, &c, NOW, 20, 1, 1, &again);
	assert_int_equal(again.state, FSRS_RELEARNING);
	assert_int_equal(again.lapses, 1);
	assert_int_equal(again.due, NOW + 600);
	assert_int_equal(again.scheduled_days, 0);
	assert_int_equal(again.reps, 6);
	assert_int_equal(again.last_review, NOW);
}

static void
test_fsrs_learning(void **state)
{
	struct fsrs_params p;
	struct fsrs_card c, out[4];

	(void)state;
	fsrs_params_default(&p);
	memset(&c, 0, sizeof c);
	fsrs_preview(&p, &c, NOW, 0, 7, out);
	assert_int_equal(out[0].state, FSRS_LEARNING);
	assert_int_equal(out[0].due, NOW + 60);
	assert_int_equal(out[1].due, NOW + 330);	/* Anki: 5.5 min */
	assert_int_equal(out[2].due, NOW + 600);
	assert_int_equal(out[2].step, 1);
	assert_int_equal(out[3].state, FSRS_REVIEW);
	assert_true(out[3].scheduled_days >= 2);

	/* Hard on the last step repeats that step (Anki). */
	c = out[2];
	fsrs_preview(&p, &c, NOW + 600, 0, 7, out);
	assert_int_equal(out[1].state, FSRS_LEARNING);
	assert_int_equal(out[1].due, NOW + 1200);
	assert_int_equal(out[1].step, 1);
	/* Good on the last step graduates; Easy is at least a day more. */
	assert_int_equal(out[2].state, FSRS_REVIEW);
	assert_true(out[3].scheduled_days > out[2].scheduled_days);

	/* A step of a day or more keeps the card in learning (Anki) with
	 * whole days, where ts-fsrs would make it a review. */
	p.learn_steps[0] = 86400 * 2;
	p.nlearn = 1;
	memset(&c, 0, sizeof c);
	fsrs_next(&p, &c, NOW, 0, 1, 1, &out[0]);
	assert_int_equal(out[0].state, FSRS_LEARNING);
	assert_int_equal(out[0].scheduled_days, 2);

	/* Without steps, Anki keeps a card whose interval is under half a
	 * day in learning: Again on a new card, S = 0.212 days. */
	fsrs_params_default(&p);
	p.nlearn = 0;
	p.nrelearn = 0;
	memset(&c, 0, sizeof c);
	fsrs_preview(&p, &c, NOW, 0, 7, out);
	assert_int_equal(out[0].state, FSRS_LEARNING);
	assert_int_equal(out[0].due, NOW + (time_t)(0.212 * 86400));
	assert_int_equal(out[2].state, FSRS_REVIEW);
	assert_int_equal(out[2].scheduled_days, 2);
	/* ts-fsrs graduates every answer instead. */
	p.tsfsrs = 1;
	fsrs_params_prepare(&p);
	fsrs_preview(&p, &c, NOW, 0, 7, out);
	assert_int_equal(out[0].state, FSRS_REVIEW);
	assert_int_equal(out[0].scheduled_days, 1);
}

static void
test_fsrs_days(void **state)
{
	struct fsrs_params p;
	time_t t0, t1;

	(void)state;
	fsrs_params_default(&p);	/* TZ=UTC in the test environment */
	setenv("TZ", "UTC", 1);
	tzset();
	/* 03:00 and 05:00 on the same date: two study days with rollover 4. */
	t0 = 1735700400;	/* 2025-01-01T03:00Z */
	t1 = 1735707600;	/* 2025-01-01T05:00Z */
	assert_int_equal(fsrs_elapsed_days(&p, t0, t1), 1);
	p.tsfsrs = 1;
	assert_int_equal(fsrs_elapsed_days(&p, t0, t1), 0);
	/* 23:50 and 00:10: one UTC day, the same study day. */
	t0 = 1735775400;	/* 2025-01-01T23:50Z */
	t1 = 1735776600;	/* 2025-01-02T00:10Z */
	assert_int_equal(fsrs_elapsed_days(&p, t0, t1), 1);
	p.tsfsrs = 0;
	assert_int_equal(fsrs_elapsed_days(&p, t0, t1), 0);
	assert_int_equal(fsrs_elapsed_days(&p, t1, t0), 0);
}

static void
test_fsrs_leech(void **state)
{
	static const struct { int lapses, threshold, want; } cases[] = {
		{ 0, 3, 0 }, { 2, 3, 0 }, { 3, 3, 1 }, { 4, 3, 0 }, { 5, 3, 1 },
		{ 7, 3, 1 }, { 7, 8, 0 }, { 8, 8, 1 }, { 9, 8, 0 }, { 12, 8, 1 },
		{ 13, 8, 0 }, { 0, 0, 0 }, { 1, 1, 1 }, { 2, 1, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(fsrs_is_leech(cases[i].lapses, cases[i].threshold),
		    cases[i].want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsrs_defaults),
		cmocka_unit_test(test_fsrs_curve),
		cmocka_unit_test(test_fsrs_memory),
		cmocka_unit_test(test_fsrs_weights),
		cmocka_unit_test(test_fsrs_steps_parse),
		cmocka_unit_test(test_fsrs_anki_steps),
		cmocka_unit_test(test_fsrs_fuzz),
		cmocka_unit_test(test_fsrs_review_intervals),
		cmocka_unit_test(test_fsrs_learning),
		cmocka_unit_test(test_fsrs_days),
		cmocka_unit_test(test_fsrs_leech),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
