/*
 * fsrs-optim.h - fitting the 21 FSRS-6 parameters to a review history as
 * fsrs-rs 6.5.0 does (compute_parameters).
 *
 * Fitting: the outlier filter and the pre-training of the four initial
 * stabilities (fsrs-pretrain), then
 * Adam with cosine annealing over batches of cards, recency weights, an L2
 * pull toward the starting parameters and clipping after every step; the
 * epoch with the lowest loss wins. The guards are fsrs-rs's: fewer than 8
 * items give the defaults, fewer than 64 (or only first long-term reviews)
 * the pre-trained initial stabilities with the other defaults.
 *
 * The same data, settings and seed give the same parameters bit for bit,
 * whatever the number of threads: the second thread only scores each
 * epoch (which picks the best) beside the next epoch's training, over the
 * same cards in the same order as one thread would.
 *
 * Pure apart from threads: no I/O, no clock.
 */
#ifndef LEMMA_FSRS_OPTIM_H
#define LEMMA_FSRS_OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs-data.h"
#include "lemma/model/fsrs.h"

/* fsrs-rs's FSRS-6 defaults, as the optimizer starts from them. */
extern const double fsrs_optim_defaults[FSRS_NPARAMS];

struct fsrs_train_config {
	int	 epochs;		/* 5 (Anki's Optimize uses 8) */
	int	 batch_size;		/* 512 predictions */
	uint64_t seed;			/* 2023 */
	double	 learning_rate;		/* 0.04 */
	int	 max_seq_len;		/* 256 reviews */
	double	 gamma;			/* 1.0: the L2 pull's strength */
	int	 short_term;		/* 1: fit w0-w3 and w17-w19 */
	int	 relearning_steps;	/* the preset's count, for the clip */
	int	 threads;		/* 1, or 2: score epochs beside training */
};

/* fsrs-rs 6.5.0's defaults (TrainingConfig::default()), 2 threads. */
void	fsrs_train_config_default(struct fsrs_train_config *c);

/* Called after every step with the steps done and their total; a non-zero
 * return cancels the fit. */
typedef int (*fsrs_progress_fn)(void *arg, size_t done, size_t total);

enum fsrs_fit_kind {
	FSRS_FIT_DEFAULTS,	/* fewer than 8 items: the defaults */
	FSRS_FIT_PRETRAINED,	/* initial stabilities only */
	FSRS_FIT_TRAINED,
};

struct fsrs_fit_info {
	int	 kind;			/* enum fsrs_fit_kind */
	size_t	 items;			/* items offered */
	size_t	 items_trained;		/* after the outlier filter */
	double	 best_loss;		/* the winning epoch's training loss */
	int	 best_epoch;
};

/*
 * Fit parameters to the items of d ranked below upto (all: d->nitems).
 * Writes w[21]. -1 with e when cancelled ("cancelled") or when the result
 * is not finite; w is then untouched.
 */
int	fsrs_fit(const struct fsrs_data *d, size_t upto,
	    const struct fsrs_train_config *c, fsrs_progress_fn progress,
	    void *arg, double *w, struct fsrs_fit_info *info, struct err *e);

/* fsrs-rs's clip_parameters_in_place, in place. */
void	fsrs_optim_clip(double *w, int relearning_steps, int short_term);

#endif
