/*
 * test_fsrs_optim.c - the optimizer: the analytic gradient against finite
 * differences, the outlier filter and the pre-training's ternary search on
 * hand-computed cases, the guards for small logs, determinism, a fit on a
 * simulated learner, and bad input (only Again, parameters that give no
 * number, a cancel).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fsrs-sim.h"
#include "lemma/model/fsrs-grad.h"
#include "lemma/model/fsrs-eval.h"
#include "lemma/model/fsrs-optim.h"
#include "lemma/model/fsrs-pretrain.h"

static double
urand(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/*
 * The gradient of fsrs_card_loss against central differences, on random
 * histories (same-day reviews, lapses, every rating) and random parameters
 * around the defaults, 21 parameters each. A wrong term in any branch's
 * backward pass shows as a mismatch here.
 */
static void
test_gradient_check(void **state)
{
	uint64_t rng = 7;
	size_t checked = 0;

	(void)state;
	for (int trial = 0; trial < 60; trial++) {
		uint8_t rating[40];
		uint32_t dt[40];
		float weight[40];
		double w[FSRS_NPARAMS], g[FSRS_NPARAMS] = { 0 };
		size_t n = 2 + (size_t)(urand(&rng) * 38);
		struct fsrs_card_seq seq = { rating, dt, weight, n };

		for (size_t i = 0; i < n; i++) {
			rating[i] = (uint8_t)(1 + (int)(urand(&rng) * 4));
			dt[i] = i == 0 || urand(&rng) < 0.25 ? 0 :
			    1 + (uint32_t)(urand(&rng) * 60);
			weight[i] = FSRS_IS_TARGET(i, dt[i]) ?
			    (float)(0.25 + 0.75 * urand(&rng)) : 0.0f;
		}
		for (int i = 0; i < FSRS_NPARAMS; i++)
			w[i] = fsrs_optim_defaults[i] * (0.7 + 0.6 * urand(&rng));
		w[7] = 0.01 + 0.3 * urand(&rng);	/* off its floor */
		w[12] = 0.02 + 0.2 * urand(&rng);
		fsrs_optim_clip(w, 1, 1);
		fsrs_card_loss(w, &seq, g);
		for (int i = 0; i < FSRS_NPARAMS; i++) {
			double wp[FSRS_NPARAMS], wm[FSRS_NPARAMS];
			double h = 1e-6 * fmax(1.0, fabs(w[i])), num;

			memcpy(wp, w, sizeof w);
			memcpy(wm, w, sizeof w);
			wp[i] += h;
			wm[i] -= h;
			num = (fsrs_card_loss(wp, &seq, NULL) -
			    fsrs_card_loss(wm, &seq, NULL)) / (2 * h);
			if (fabs(num - g[i]) > 1e-4 * (1.0 + fabs(num)))
				fail_msg("trial %d, w%d: analytic %.9g, finite "
				    "differences %.9g", trial, i, g[i], num);
			checked++;
		}
	}
	assert_int_equal(checked, 60 * FSRS_NPARAMS);
}

/* One card per (first rating, delta_t) entry, count times, each with one
 * item: first review r0, then a pass or a lapse after dt days. */
struct firsts {
	uint8_t	 r0;
	uint32_t dt;
	size_t	 count, passes;
};

static void
data_of_firsts(struct fsrs_data *d, const struct firsts *f, size_t n)
{
	int64_t id = 1;

	fsrs_data_init(d);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < f[i].count; k++) {
			struct fsrs_review h[2] = {
				{ id, 0, f[i].r0 },
				{ id + 1, f[i].dt, k < f[i].passes ? 3 : 1 },
			};

			fsrs_data_add(d, h, 2);
			id += 2;
		}
	fsrs_data_finish(d);
}

/*
 * Worked by hand from dataset.rs: the Good group has 85 items, so up to
 * max(20, 85/20) = 20 are dropped from its smallest sub-groups: dt 3 (5
 * items), then dt 2 (10: 15 < 20, still dropped); dt 1 (30) is kept;
 * dt 150 (40) is past 100 days. The Again group's 7 items are all dropped
 * (fewer than 20). Easy at dt 200 is kept (Easy may go to 365).
 */
static void
test_outlier_filter(void **state)
{
	static const struct firsts f[] = {
		{ 3, 1, 30, 27 }, { 3, 2, 10, 9 }, { 3, 3, 5, 4 },
		{ 3, 150, 40, 30 }, { 1, 1, 7, 3 }, { 4, 200, 25, 20 },
	};
	struct fsrs_data d;
	unsigned char *keep;
	size_t kept, c = 0;

	(void)state;
	data_of_firsts(&d, f, 6);
	keep = malloc(d.ncards);
	kept = fsrs_outlier_filter(&d, d.nitems, keep);
	assert_int_equal(kept, 30 + 25);
	for (size_t i = 0; i < 6; i++)
		for (size_t k = 0; k < f[i].count; k++, c++)
			if (keep[c] != (i == 0 || i == 5))
				fail_msg("group %zu card %zu: keep %d", i, k,
				    keep[c]);
	free(keep);
	fsrs_data_free(&d);
}

/*
 * The ternary search: 1,000 first Good reviews all 3 days later with 90%
 * recall. R(3, S) = 0.9 exactly at S = 3, and the L1 pull (|S - 2.3065| /
 * 16) against a loss of curvature ~ 1000 moves it by well under 0.05. With
 * one rating seen, the other three are the defaults scaled by S / 2.3065.
 */
static void
test_pretrain(void **state)
{
	static const struct firsts f[] = { { 3, 3, 1000, 900 } };
	struct fsrs_data d;
	double w[FSRS_NPARAMS];

	(void)state;
	memcpy(w, fsrs_optim_defaults, sizeof w);
	data_of_firsts(&d, f, 1);
	assert_int_equal(fsrs_pretrain(&d, d.nitems, w), 1);
	if (fabs(w[2] - 3.0) > 0.05)
		fail_msg("S0(Good) = %.6f, want about 3", w[2]);
	if (w[2] >= 3.0)
		fail_msg("S0(Good) = %.6f: the pull toward 2.3065 lowers it",
		    w[2]);
	assert_true(fabs(w[0] / w[2] - 0.212 / 2.3065) < 1e-6);
	assert_true(fabs(w[3] / w[2] - 8.2956 / 2.3065) < 1e-6);
	assert_true(w[4] == fsrs_optim_defaults[4]);
	fsrs_data_free(&d);
}

/* Fewer than 8 items: the defaults; fewer than 64: pre-trained S0 only;
 * only first long-term reviews (one item per card): pre-trained only. */
static void
test_guards(void **state)
{
	static const struct firsts few[] = { { 3, 2, 7, 6 } };
	static const struct firsts some[] = { { 3, 2, 40, 36 } };
	static const struct firsts firsts_only[] = {
		{ 3, 2, 300, 270 }, { 1, 1, 100, 60 },
	};
	struct fsrs_train_config c;
	struct fsrs_fit_info info;
	struct fsrs_data d;
	struct err e;
	double w[FSRS_NPARAMS];

	(void)state;
	fsrs_train_config_default(&c);
	data_of_firsts(&d, few, 1);
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w, &info, &e), 0);
	assert_int_equal(info.kind, FSRS_FIT_DEFAULTS);
	assert_memory_equal(w, fsrs_optim_defaults, sizeof w);
	fsrs_data_free(&d);

	data_of_firsts(&d, some, 1);
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w, &info, &e), 0);
	assert_int_equal(info.kind, FSRS_FIT_PRETRAINED);
	assert_true(w[2] != fsrs_optim_defaults[2]);
	assert_memory_equal(w + 4, fsrs_optim_defaults + 4, 17 * sizeof *w);
	fsrs_data_free(&d);

	data_of_firsts(&d, firsts_only, 2);
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w, &info, &e), 0);
	assert_int_equal(info.kind, FSRS_FIT_PRETRAINED);
	fsrs_data_free(&d);
}

/* A simulated learner whose memory is not the defaults': the fit lowers
 * the log loss well below the defaults' and near the true parameters'. */
static void
test_fit_simulated(void **state)
{
	struct fsrs_train_config c;
	struct fsrs_fit_info info;
	struct fsrs_metrics m_def, m_fit, m_true;
	struct fsrs_data d;
	struct err e;
	double w[FSRS_NPARAMS];

	(void)state;
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 3000, 30, 42, 0);
	assert_true(d.nitems > 10000);
	fsrs_train_config_default(&c);
	if (fsrs_fit(&d, d.nitems, &c, NULL, NULL, w, &info, &e) < 0)
		fail_msg("fit: %s", e.msg);
	assert_int_equal(info.kind, FSRS_FIT_TRAINED);
	assert_int_equal(fsrs_evaluate(&d, fsrs_optim_defaults, 0, d.nitems,
	    &m_def, &e), 0);
	assert_int_equal(fsrs_evaluate(&d, w, 0, d.nitems, &m_fit, &e), 0);
	assert_int_equal(fsrs_evaluate(&d, fsrs_sim_w_true, 0, d.nitems,
	    &m_true, &e), 0);
	print_message("# log loss default %.4f fitted %.4f true %.4f; "
	    "RMSE(bins) %.4f %.4f %.4f\n", m_def.log_loss, m_fit.log_loss,
	    m_true.log_loss, m_def.rmse_bins, m_fit.rmse_bins, m_true.rmse_bins);
	assert_true(m_fit.log_loss < m_def.log_loss - 0.003);
	assert_true(m_fit.log_loss < m_true.log_loss + 0.002);
	assert_true(m_fit.rmse_bins < m_def.rmse_bins);
	fsrs_data_free(&d);
}

/* The same data and seed give the same parameters bit for bit, on one
 * thread or two; another seed gives others. */
static void
test_deterministic(void **state)
{
	struct fsrs_train_config c;
	struct fsrs_fit_info info;
	struct fsrs_data d;
	struct err e;
	double w1[FSRS_NPARAMS], w2[FSRS_NPARAMS], w3[FSRS_NPARAMS];

	(void)state;
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 800, 20, 5, 0);
	fsrs_train_config_default(&c);
	c.threads = 1;
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w1, &info, &e), 0);
	c.threads = 2;
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w2, &info, &e), 0);
	assert_memory_equal(w1, w2, sizeof w1);
	c.seed = 7;
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w3, &info, &e), 0);
	assert_memory_not_equal(w1, w3, sizeof w1);
	fsrs_data_free(&d);
}

/* A log of only Again: the fit ends with finite parameters inside their
 * bounds. */
static void
test_only_again(void **state)
{
	struct fsrs_train_config c;
	struct fsrs_fit_info info;
	struct fsrs_data d;
	struct err e;
	double w[FSRS_NPARAMS], clipped[FSRS_NPARAMS];

	(void)state;
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 500, 12, 3, 1);
	fsrs_train_config_default(&c);
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, NULL, NULL, w, &info, &e), 0);
	for (int i = 0; i < FSRS_NPARAMS; i++)
		assert_true(isfinite(w[i]));
	memcpy(clipped, w, sizeof w);
	fsrs_optim_clip(clipped, 1, 1);
	assert_memory_equal(w, clipped, sizeof w);
	fsrs_data_free(&d);
}

/* Parameters that give no number (a NaN weight) are refused by the
 * evaluation with a message, not scored; a certain prediction that was
 * wrong costs a finite loss. */
static void
test_nan_params(void **state)
{
	struct fsrs_metrics m;
	struct fsrs_data d;
	struct err e;
	double w[FSRS_NPARAMS];

	(void)state;
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 50, 10, 9, 0);
	memcpy(w, fsrs_optim_defaults, sizeof w);
	w[20] = NAN;
	assert_int_equal(fsrs_evaluate(&d, w, 0, d.nitems, &m, &e), -1);
	assert_non_null(strstr(e.msg, "not a number"));
	/* A prediction at zero elapsed time with a stability (R = 1) that
	 * was a lapse: log(1 - R) would be -inf; the loss and gradient stay
	 * finite (the probability clamp). */
	{
		static const uint8_t rating[] = { 3, 3, 1 };
		static const uint32_t dt[] = { 0, 5, 0 };
		static const float weight[] = { 0, 1, 1 };
		struct fsrs_card_seq seq = { rating, dt, weight, 3 };
		double g[FSRS_NPARAMS] = { 0 }, loss;

		loss = fsrs_card_loss(fsrs_optim_defaults, &seq, g);
		assert_true(isfinite(loss) && loss > 10);
		for (int i = 0; i < FSRS_NPARAMS; i++)
			assert_true(isfinite(g[i]));
	}
	/* And an empty range is no evaluation. */
	assert_int_equal(fsrs_evaluate(&d, fsrs_optim_defaults, 5, 5, &m, &e),
	    -1);
	fsrs_data_free(&d);
}

static int
cancel_after_3(void *arg, size_t done, size_t total)
{
	(void)total;
	*(size_t *)arg = done;
	return done >= 3;
}

/* A cancel in the middle: -1, "cancelled", the output untouched. */
static void
test_cancel(void **state)
{
	struct fsrs_train_config c;
	struct fsrs_fit_info info;
	struct fsrs_data d;
	struct err e;
	double w[FSRS_NPARAMS];
	size_t seen = 0;

	(void)state;
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 1500, 20, 11, 0);
	fsrs_train_config_default(&c);
	memset(w, 0, sizeof w);
	assert_int_equal(fsrs_fit(&d, d.nitems, &c, cancel_after_3, &seen, w,
	    &info, &e), -1);
	assert_string_equal(e.msg, "cancelled");
	assert_int_equal(seen, 3);
	for (int i = 0; i < FSRS_NPARAMS; i++)
		assert_true(w[i] == 0.0);
	fsrs_data_free(&d);
}

/* The time-series split evaluation runs its five folds and scores about
 * five sixths of the items; too small a log is refused. */
static void
test_splits(void **state)
{
	struct fsrs_train_config c;
	struct fsrs_metrics m;
	struct fsrs_data d;
	struct err e;

	(void)state;
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 600, 15, 13, 0);
	fsrs_train_config_default(&c);
	assert_int_equal(fsrs_evaluate_splits(&d, &c, NULL, NULL, &m, &e), 0);
	assert_int_equal(m.items, d.nitems - d.nitems / 6);
	assert_true(m.log_loss > 0.05 && m.log_loss < 1.0);
	fsrs_data_free(&d);
	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 1, 4, 13, 0);
	assert_int_equal(fsrs_evaluate_splits(&d, &c, NULL, NULL, &m, &e), -1);
	fsrs_data_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gradient_check),
		cmocka_unit_test(test_outlier_filter),
		cmocka_unit_test(test_pretrain),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_fit_simulated),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_only_again),
		cmocka_unit_test(test_nan_params),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_splits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
