/*
 * fsrs-accept.h - what becomes of fitted FSRS parameters, as Anki decides
 * it (params.rs compute_params): their text as deck options keep it, and
 * whether the current ones stay. Shared by `lemma optimize` and the deck
 * options' Optimize, so both save the same thing for the same reason.
 *
 * Pure: no I/O.
 */
#ifndef LEMMA_FSRS_ACCEPT_H
#define LEMMA_FSRS_ACCEPT_H

#include <stddef.h>

/* The 21 parameters as Anki shows them: 4 decimals (6 where 4 would round
 * one past a bound), comma-separated. len: 1024 is enough. */
void	fsrs_accept_text(const double *w, char *buf, size_t len);

/* w as fsrs_accept_text's text reads back: what would be saved, so what
 * is compared. */
void	fsrs_accept_round(double *w);

/*
 * Whether the current parameters (log loss cur_loss) stay rather than the
 * fitted ones (new_loss): when they predict at least as well, except with
 * more than one relearning step (steps), where Anki keeps them only if
 * their relearning steps would leave a lapsed card's stability below
 * where it was.
 */
int	fsrs_accept_keep(const double *cur, int steps, double cur_loss,
	    double new_loss);

#endif
