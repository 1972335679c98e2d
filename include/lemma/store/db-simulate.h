/*
 * db-simulate.h - what the workload simulator ("Help me decide", `lemma
 * simulate`) reads from the progress file for a preset: its limits and
 * steps, the user's habits from the review log of its cards (answer
 * times, first and later grades, same-day steps, as Anki's
 * get_optimal_retention_parameters), and its studied cards' memory
 * states with their last review and due day relative to today, as
 * Anki's simulate_request_to_config converts them.
 *
 * Days are study days of the collection's "next day starts at" hour.
 */
#ifndef LEMMA_DB_SIMULATE_H
#define LEMMA_DB_SIMULATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs-simulator.h"
#include "lemma/store/db.h"

struct db_simulate {
	struct fsrs_sim_config	 cfg;	/* days: the default; new cards:
					 * the preset's new, unsuspended */
	struct fsrs_sim_card	*cards;	/* studied, unsuspended */
	size_t			 ncards;
	double			 w[21];	/* the preset's weights */
	double			 desired_retention;
	size_t			 log_rows;	/* grades the habits came from */
};

/* Fill s for preset preset_id at now. The review log is read one card's
 * rows at a time. -1 with e (and s empty) on failure. */
int	db_simulate_load(struct db *db, int64_t preset_id, time_t now,
	    struct db_simulate *s, struct err *e);
void	db_simulate_free(struct db_simulate *s);

#endif
