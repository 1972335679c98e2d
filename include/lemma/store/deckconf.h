/*
 * deckconf.h - deck options presets, as Anki's: any number of them, each
 * with the options of Anki's v3 scheduler with FSRS that apply here
 * (limits, steps, intervals, leeches, burying, orders, FSRS). Several
 * decks may share one; changing a deck's options changes its preset, and
 * the caller is told how many decks use it. The learn-ahead limit and the
 * hour the next day starts at are the collection's, as in Anki.
 *
 * Every option is a row of deckconf_keys: its name for scripts
 * ("new-per-day"), its label, its type and range. The command line, the
 * options view and the validation all read that one table, so a value
 * refused anywhere is refused with the same message naming the option,
 * and nothing is saved.
 */
#ifndef LEMMA_DECKCONF_H
#define LEMMA_DECKCONF_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

/* Anki's orders, by the numbers of its enums (deck_config.proto). */
enum deckconf_gather {		/* new card gather order */
	DC_GATHER_DECK, DC_GATHER_DECK_RANDOM_NOTES, DC_GATHER_ASCENDING,
	DC_GATHER_DESCENDING, DC_GATHER_RANDOM_NOTES, DC_GATHER_RANDOM_CARDS,
};
enum deckconf_new_sort {	/* new card sort order */
	DC_SORT_TEMPLATE, DC_SORT_GATHER, DC_SORT_TEMPLATE_RANDOM,
	DC_SORT_RANDOM_NOTE_TEMPLATE, DC_SORT_RANDOM,
};
enum deckconf_mix {		/* new/review and interday learning/review */
	DC_MIX_WITH_REVIEWS, DC_MIX_AFTER_REVIEWS, DC_MIX_BEFORE_REVIEWS,
};
enum deckconf_review_order {
	DC_REV_DUE, DC_REV_DUE_DECK, DC_REV_DECK_DUE, DC_REV_IVL_ASC,
	DC_REV_IVL_DESC, DC_REV_DIFF_ASC, DC_REV_DIFF_DESC, DC_REV_R_ASC,
	DC_REV_RANDOM, DC_REV_ADDED, DC_REV_REVERSE_ADDED, DC_REV_R_DESC,
};

struct deckconf {
	int64_t	 id;
	char	 name[128];
	int	 decks_using;		/* decks that share the preset */
	double	 desired_retention;	/* 0.70 .. 0.99 */
	char	 learning_steps[256];	/* "1m 10m" */
	char	 relearning_steps[256];	/* "10m" */
	int	 min_interval;		/* days, >= 1 */
	int	 max_interval;		/* days, >= min_interval */
	int	 new_per_day;		/* >= 0 */
	int	 reviews_per_day;	/* >= 0 */
	int	 limits_from_top;	/* Anki's "apply all parent limits" */
	int	 leech_threshold;	/* lapses, >= 1 */
	int	 leech_action;		/* 0 suspend, 1 tag only */
	int	 bury_new, bury_reviews, bury_interday;
	int	 new_gather_order;	/* enum deckconf_gather */
	int	 new_sort_order;	/* enum deckconf_new_sort */
	int	 new_mix;		/* enum deckconf_mix */
	int	 interday_mix;		/* enum deckconf_mix */
	int	 review_order;		/* enum deckconf_review_order */
	char	 fsrs_params[1024];	/* 21 numbers, or "" for the defaults */
};

/* The collection-wide scheduling settings. */
struct deckconf_global {
	int	 learn_ahead_mins;	/* 0 .. 1440 */
	int	 next_day_starts_at;	/* hour, 0 .. 23 */
};

enum deckconf_type { DC_INT, DC_REAL, DC_TEXT, DC_BOOL, DC_ENUM };

struct deckconf_key {
	const char		*key;		/* "new-per-day" */
	const char		*label;		/* "New cards/day" */
	enum deckconf_type	 type;
	size_t			 offset;	/* into struct deckconf */
	size_t			 size;		/* DC_TEXT: the buffer's */
	double			 min, max;	/* DC_INT, DC_REAL */
	const char *const	*names;		/* DC_ENUM: by value, NULL-ended */
};

extern const struct deckconf_key deckconf_keys[];
extern const size_t deckconf_nkeys;

/* The key named key (or its label's words joined by '-'), or NULL. */
const struct deckconf_key *deckconf_key_find(const char *key);

/* Parse value into k's field of c: -1 with e naming the option and what
 * it takes ("New cards/day: 'x' is not a whole number from 0 to 9999"). */
int	deckconf_key_set(struct deckconf *c, const struct deckconf_key *k,
	    const char *value, struct err *e);
/* k's field of c as text, the way deckconf_key_set reads it back. */
void	deckconf_key_format(const struct deckconf *c,
	    const struct deckconf_key *k, char *buf, size_t len);

/* The preset of deck_id. */
int	deckconf_get(struct db *db, int64_t deck_id, struct deckconf *out,
	    struct err *e);
/* The preset preset_id. */
int	deckconf_get_preset(struct db *db, int64_t preset_id,
	    struct deckconf *out, struct err *e);

/* Validate c and save it over preset c->id (deckconf_set: over the preset
 * of deck_id), in one transaction. -1 with e ("desired retention must be
 * ...") and nothing saved. *undo (may be NULL) gets the undo record
 * ("Options"). */
struct db_deck_undo;
int	deckconf_save(struct db *db, const struct deckconf *c,
	    struct db_deck_undo **undo, struct err *e);
int	deckconf_set(struct db *db, int64_t deck_id, const struct deckconf *c,
	    struct err *e);

/* Just the validation of deckconf_set. */
int	deckconf_check(const struct deckconf *c, struct err *e);

/* All presets by id, with decks_using filled; free(*out). */
int	deckconf_list(struct db *db, struct deckconf **out, size_t *n,
	    struct err *e);

/* The id of the preset named name (case-insensitive), 0 when there is
 * none, -1 on error. */
int64_t	deckconf_find(struct db *db, const char *name, struct err *e);

/* A new preset named name with Anki's defaults, or (from_id != 0) a copy
 * of preset from_id; *id gets its id. Names are unique, case-insensitive,
 * and without control characters. */
int	deckconf_add(struct db *db, const char *name, int64_t from_id,
	    int64_t *id, struct db_deck_undo **undo, struct err *e);
int	deckconf_rename(struct db *db, int64_t id, const char *name,
	    struct db_deck_undo **undo, struct err *e);
/* Delete a preset; its decks fall back to Default (id 1), which cannot be
 * deleted. */
int	deckconf_delete(struct db *db, int64_t id, struct db_deck_undo **undo,
	    struct err *e);

/* Give deck_id the preset preset_id, and with children its sub-decks
 * too. *undo (may be NULL) gets the undo record ("Options"). */
int	deckconf_assign(struct db *db, int64_t deck_id, int64_t preset_id,
	    int children, struct db_deck_undo **undo, struct err *e);

/* The collection-wide settings (defaults where unset) and their saving,
 * validated. */
int	deckconf_global_get(struct db *db, struct deckconf_global *out,
	    struct err *e);
int	deckconf_global_set(struct db *db, const struct deckconf_global *g,
	    struct err *e);

#endif
