/*
 * deckconf.h - deck options presets, as Anki's: desired retention, learning
 * and relearning steps, daily limits, maximum interval, leeches, sibling
 * burying, FSRS parameters. Several decks may share a preset; changing a
 * deck's options changes its preset, and the caller is told how many decks
 * use it.
 *
 * Values are validated here (the scheduler's own parsers decide what a step
 * list or a parameter vector is), so a bad value is refused with a message
 * naming the option, and nothing is saved.
 */
#ifndef LEMMA_DECKCONF_H
#define LEMMA_DECKCONF_H

#include <stdint.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

struct deckconf {
	int64_t	 id;
	char	 name[128];
	int	 decks_using;		/* decks that share the preset */
	double	 desired_retention;	/* 0.70 .. 0.99 */
	char	 learning_steps[256];	/* "1m 10m" */
	char	 relearning_steps[256];	/* "10m" */
	int	 max_interval;		/* days, >= 1 */
	int	 new_per_day;		/* >= 0 */
	int	 reviews_per_day;	/* >= 0 */
	int	 leech_threshold;	/* lapses, >= 1 */
	int	 bury_siblings;		/* 0 or 1 */
	char	 fsrs_params[1024];	/* 21 numbers, or "" for the defaults */
};

/* The preset of deck_id. */
int	deckconf_get(struct db *db, int64_t deck_id, struct deckconf *out,
	    struct err *e);

/* Validate c and save it over the preset of deck_id, in one transaction.
 * -1 with e ("desired retention must be ...") and nothing saved. */
int	deckconf_set(struct db *db, int64_t deck_id, const struct deckconf *c,
	    struct err *e);

/* Just the validation of deckconf_set. */
int	deckconf_check(const struct deckconf *c, struct err *e);

struct db_deck_undo;

/* The id of the preset named name (case-insensitive), 0 when there is
 * none, -1 on error. */
int64_t	deckconf_find(struct db *db, const char *name, struct err *e);

/* Give deck_id the preset preset_id, and with children its sub-decks
 * too. *undo (may be NULL) gets the undo record ("Options"). */
int	deckconf_assign(struct db *db, int64_t deck_id, int64_t preset_id,
	    int children, struct db_deck_undo **undo, struct err *e);

#endif
