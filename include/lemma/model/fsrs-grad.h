/*
 * fsrs-grad.h - the FSRS-6 model run along one card's history, with the
 * log loss of every prediction in it and the loss's analytic gradient with
 * respect to the 21 parameters (no autodiff): fsrs-rs's src/analytic.rs,
 * in double.
 *
 * One forward pass over a card predicts each of its targets from the state
 * before it, and one backward pass collects the gradient of all of them:
 * the items of a card share their prefixes, so a card costs its length,
 * not the sum of its items' lengths.
 *
 * The clamps behave as fsrs-rs's (and PyTorch's): gradients pass a clamp
 * at its bound and stop beyond it; a branch (same day, lapse, recall, the
 * post-lapse cap, the short-term floor) is differentiated where the
 * forward pass took it.
 *
 * Pure.
 */
#ifndef LEMMA_FSRS_GRAD_H
#define LEMMA_FSRS_GRAD_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/model/fsrs.h"

/* The longest history the passes take (fsrs-rs's max_seq_len default). */
#define FSRS_GRAD_MAX_LEN	256

/* Predictions are clamped to [FSRS_P_MIN, 1 - FSRS_P_MIN] for the loss. */
#define FSRS_P_MIN		1e-7

/* One card's history: n reviews (n <= FSRS_GRAD_MAX_LEN). weight[i] > 0
 * makes review i a target: its recall (rating > 1) is predicted from the
 * state after reviews 0..i-1 and scored with that weight. weight[0] is
 * ignored (nothing comes before the first review). */
struct fsrs_card_seq {
	const uint8_t	*rating;
	const uint32_t	*delta_t;
	const float	*weight;
	size_t		 n;
};

/* The weighted log loss of the card's targets (a sum, not a mean). With
 * grad non-NULL, the loss's gradient is added to grad[0..20]. */
double	fsrs_card_loss(const double *w, const struct fsrs_card_seq *c,
	    double *grad);

/* The prediction for every review i >= 1 of a history of n reviews (any
 * length): p_out[i] = R(delta_t[i], S after reviews 0..i-1). p_out[0] is
 * 0. */
void	fsrs_card_predict(const double *w, const uint8_t *rating,
	    const uint32_t *delta_t, size_t n, double *p_out);

/* R(t, S) for parameters w (decay = -w20), as the passes compute it. */
double	fsrs_grad_curve(const double *w, double t, double s);

/* The memory state after the first k reviews of a history (k >= 1), as the
 * passes compute it. */
void	fsrs_grad_state(const double *w, const uint8_t *rating,
	    const uint32_t *delta_t, size_t k, double *s, double *d);

#endif
