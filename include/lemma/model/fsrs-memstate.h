/*
 * fsrs-memstate.h - a card's FSRS memory state from its review history, as
 * Anki computes it when FSRS is switched on for a collection scheduled with
 * SM-2 (rslib/src/scheduler/fsrs/memory_state.rs: fsrs_item_for_memory_state
 * and Card::set_memory_state; fsrs-rs src/inference.rs: memory_state and
 * memory_state_from_sm2).
 *
 * Anki scans a card's log backwards for where its history starts (the last
 * run of learning grades, or a reset); this module does the same in one pass
 * forwards, row by row, so that an import streams the log and holds nothing
 * per row: a graded learning row that follows no learning row starts the
 * history over from its grade; a reset forgets it; a graded interday row
 * with no history before it (an incomplete log: the card was learnt before
 * the log began, or the log was cut) starts it from SM-2's ease and interval
 * (memory_state_from_sm2 with the preset's historical retention), that
 * row's own grade replaced by that state. The two scans agree on every log
 * (tests/unit/test_fsrs_memstate.c replays Anki's cases).
 *
 * Day gaps are Anki's: whole days counted back from next_day_at (the start
 * of the next study day at the import's "now"), as fsrs-data.c's history.
 * Anki's "ignore reviews before" cutoff is not applied (presets read from a
 * package do not carry it).
 *
 * Pure: no SQL, no I/O, no clock, no allocation.
 */
#ifndef LEMMA_FSRS_MEMSTATE_H
#define LEMMA_FSRS_MEMSTATE_H

#include <stdint.h>

#include "lemma/model/fsrs.h"
#include "lemma/model/fsrs-data.h"

/* Anki's default historical retention (DeckConfig.historical_retention):
 * the retention SM-2 is assumed to have kept. */
#define FSRS_SM2_RETENTION	0.9

/* fsrs-rs memory_state_from_sm2: the memory state of a card SM-2 left at
 * ease (a factor: 2.5 for 250%) and interval ivl (days, at least 1), had it
 * kept retention sm2_retention. Ease at most 1.1 is an FSRS difficulty
 * Anki kept in the ease column (factor = (D - 1) / 9 + 0.1): D is taken
 * from it, as Anki's fsrs_item_for_memory_state does. */
void	fsrs_memory_from_sm2(const struct fsrs_params *p, double ease,
	    double ivl, double sm2_retention, struct fsrs_memory *out);

/* One row of a card's log as the replay needs it. */
struct fsrs_memstate_row {
	int64_t	 id;		/* Unix ms */
	int	 rating;	/* 1..4; 0 for a row without a grade */
	int	 kind;		/* enum fsrs_log_kind */
	int	 ivl;		/* the interval the row gave: days, or
				 * -seconds (Anki's revlog.ivl) */
	int	 factor;	/* Anki's revlog.factor: permille ease (SM-2)
				 * or 100..1100 (FSRS difficulty); 0: none */
};

/* The replay of one card. Zero it, or call fsrs_memstate_start. */
struct fsrs_memstate {
	const struct fsrs_params *p;
	int64_t		 next_day_at;
	double		 sm2_retention;
	struct fsrs_memory m;	/* the state so far; {0, 0}: none */
	int		 has;	/* m holds a state */
	int		 complete;	/* it began at a learning grade */
	int		 in_learn;	/* the last non-cram row was a graded
					 * learning row (a run goes on) */
	int64_t		 last_days;	/* days before next_day_at of the last
					 * row applied */
	int64_t		 last_id;	/* ms of the last row applied; 0 none */
};

void	fsrs_memstate_start(struct fsrs_memstate *s, const struct fsrs_params *p,
	    int64_t next_day_at, double sm2_retention);

/* Feed the card's next row (in id order). Returns 1 when the row changed
 * the state (it was applied to the history), else 0. */
int	fsrs_memstate_feed(struct fsrs_memstate *s,
	    const struct fsrs_memstate_row *r);

/*
 * The card's memory state once its rows are fed, as Card::set_memory_state:
 * the replayed state when there is one; else, for a card that is not new
 * and has an interval (card_ivl days > 0), memory_state_from_sm2 of its
 * ease (card_factor permille) and interval; else none. Returns 1 and sets
 * *out, or 0 for none.
 */
int	fsrs_memstate_result(const struct fsrs_memstate *s, int card_is_new,
	    int card_ivl, int card_factor, struct fsrs_memory *out);

#endif
