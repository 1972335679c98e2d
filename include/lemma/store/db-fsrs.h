/*
 * db-fsrs.h - what the FSRS optimizer reads from and writes to the
 * progress file: a preset (deck options) by name or by deck, the review
 * log of the preset's cards streamed into FSRS histories, and the preset's
 * FSRS parameters (deck_config.fsrs_params), the one place they are saved.
 */
#ifndef LEMMA_DB_FSRS_H
#define LEMMA_DB_FSRS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs-data.h"
#include "lemma/store/db.h"

struct db_fsrs_preset {
	int64_t	 id;
	char	 name[128];
	int	 decks;			/* decks using it */
	int	 rollover_hour;		/* the collection's next_day_starts_at:
					 * Anki's day is collection-wide */
	int	 relearning_steps;	/* how many */
	char	 params[1024];		/* "" for the defaults */
};

/* The preset named preset, or the preset of the deck named deck, or with
 * both NULL the Default preset (id 1). -1 with e ("no preset named ...",
 * "no deck named ...", "2 presets are named ...") otherwise. */
int	db_fsrs_preset(struct db *db, const char *preset, const char *deck,
	    struct db_fsrs_preset *out, struct err *e);

/*
 * Stream the review log of the cards in the preset's decks, card by card
 * in time order, through fsrs_history_build into d (initialised by the
 * caller, finished here). The study day ends at p->rollover_hour (the
 * collection's) after now. *reviews gets the number of reviews kept (Anki's review
 * count). Memory: one card's rows at a time, plus d.
 */
int	db_fsrs_load(struct db *db, const struct db_fsrs_preset *p, time_t now,
	    struct fsrs_data *d, size_t *reviews, struct err *e);

/* Save text (21 parameters, or "" for the defaults) as the preset's FSRS
 * parameters, after checking them as deck options do; one transaction.
 * -1 with e and nothing saved. */
int	db_fsrs_params_save(struct db *db, int64_t preset_id, const char *text,
	    struct err *e);

#endif
