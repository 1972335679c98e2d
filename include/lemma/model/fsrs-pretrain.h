/*
 * fsrs-pretrain.h - the FSRS optimizer's first stage, as fsrs-rs 6.5.0:
 * the outlier filter (dataset.rs: per first rating, the smallest groups of
 * first long-term reviews by delta_t, and those too small or too late, are
 * left out with their cards) and the pre-training of the initial
 * stabilities (parameter_initialization.rs: a ternary search per first
 * rating on the kept first long-term reviews, then smoothing and filling
 * the ratings without data). Pure.
 */
#ifndef LEMMA_FSRS_PRETRAIN_H
#define LEMMA_FSRS_PRETRAIN_H

#include <stddef.h>

#include "lemma/model/fsrs-data.h"

/* The first stage's results for the items of d ranked below upto. */
struct fsrs_init {
	unsigned char	*keep;		/* per card: kept by the filter */
	size_t		 items;		/* items of the kept cards */
	size_t		 cards;		/* kept cards (= first long-term items) */
	double		 recall;	/* share of passes among those items */
	double		 s0[4];		/* pre-trained S0 by first rating */
	int		 have[4];	/* which first ratings had data */
	size_t		 count[4];	/* how many first long-term reviews */
	int		 nratings;	/* ratings with data; 0: s0 unset */
};

/* Filter and pre-train. Returns nratings; free with fsrs_init_free. */
int	fsrs_init_run(const struct fsrs_data *d, size_t upto,
	    struct fsrs_init *out);
void	fsrs_init_free(struct fsrs_init *in);

/* smooth_and_fill: make s[0..3] non-decreasing in the rating (the rating
 * with more data wins a disagreement), fill the ratings without data by
 * fsrs-rs's geometric interpolation, clamp to [0.001, 100]. Returns how
 * many ratings had data (0: s unchanged). */
int	fsrs_smooth_and_fill(double *s, const int *have, const size_t *count);

/* The outlier filter alone: keep[c] = 1 for the cards of d it keeps, for
 * the items ranked below upto (cards without such an item: 0). Returns the
 * number of items kept. */
size_t	fsrs_outlier_filter(const struct fsrs_data *d, size_t upto,
	    unsigned char *keep);

/* The pre-training alone: w[0..3]. Returns the number of first ratings
 * seen (0: w unchanged). */
int	fsrs_pretrain(const struct fsrs_data *d, size_t upto, double *w);

#endif
