/*
 * fsrs-sim.h - a simulated learner for the optimizer's tests and bench:
 * cards whose memory follows FSRS-6 with chosen "true" parameters,
 * reviewed near their true stability, recalled with probability R, with
 * same-day learning and relearning steps. Deterministic for a seed.
 */
#ifndef LEMMA_FSRS_SIM_H
#define LEMMA_FSRS_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/model/fsrs-data.h"

/* The parameters the simulated learner's memory follows (optimizer-demo.js's
 * W_TRUE): not the defaults, so a fit has something to find. */
extern const double fsrs_sim_w_true[21];

/* Add ncards simulated cards (at most max_reviews reviews each) to d and
 * finish it. only_again: every grade is Again. */
void	fsrs_sim(struct fsrs_data *d, const double *w_true, size_t ncards,
	    int max_reviews, uint64_t seed, int only_again);

/* Write d for bench/optim-oracle.cjs: a first line with the number of
 * items, then a line per card: its ratings, ';', its day gaps, ';', each
 * review's item rank or -1. 0, or -1 with errno. */
int	fsrs_sim_export(const struct fsrs_data *d, const char *path);

/* Write w as one line of 21 numbers (full precision). */
int	fsrs_sim_export_params(const double *w, const char *path);

#endif
