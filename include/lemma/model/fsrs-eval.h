/*
 * fsrs-eval.h - how well FSRS parameters predict a history, as fsrs-rs
 * 6.5.0 measures it: log loss (recency-weighted) and RMSE(bins), the
 * time-series split (fit on the past, score the future) and Anki's health
 * check on it. Pure apart from the fits' thread.
 */
#ifndef LEMMA_FSRS_EVAL_H
#define LEMMA_FSRS_EVAL_H

#include <stddef.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs-data.h"
#include "lemma/model/fsrs-optim.h"

struct fsrs_metrics {
	double	 log_loss;
	double	 rmse_bins;
	size_t	 items;
};

/* How well w predicts the items ranked lo..hi-1: fsrs-rs's evaluate
 * (recency-weighted log loss and RMSE(bins)). -1 with e when there is
 * nothing to evaluate or a prediction is not a number. */
int	fsrs_evaluate(const struct fsrs_data *d, const double *w, size_t lo,
	    size_t hi, struct fsrs_metrics *out, struct err *e);

/* fsrs-rs's evaluate_with_time_series_splits: 5 folds, each fitted on the
 * items before its test segment and scored on that segment (unweighted).
 * -1 with e when there are too few items (fewer than 6) or on cancel. */
int	fsrs_evaluate_splits(const struct fsrs_data *d,
	    const struct fsrs_train_config *c, fsrs_progress_fn progress,
	    void *arg, struct fsrs_metrics *out, struct err *e);

/* Anki's health check verdict on a time-series evaluation m of a log of
 * items items whose share of passes is recall: 1 when it passes. */
int	fsrs_health_check(const struct fsrs_metrics *m, double recall,
	    size_t items);

#endif
