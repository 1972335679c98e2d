/*
 * db-study.h - private to study.c: every SQL statement of the scheduler.
 *
 * Reads the queues (learning, interday learning, reviews, new cards), the
 * deck options, and today's review counts; writes a grade (card and review
 * log), its undo, and suspend/bury/flag/tags. No scheduling decisions here:
 * those are study.c's and fsrs.c's. Functions that write do not open a
 * transaction; study.c groups them with db_begin()/db_commit().
 */
#ifndef LEMMA_DB_STUDY_H
#define LEMMA_DB_STUDY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db.h"

/* A deck_config row (a preset). Strings are owned. */
struct db_study_conf {
	int64_t	 id;
	char	*name;
	double	 desired_retention;
	char	*learning_steps, *relearning_steps;
	char	*fsrs_params;		/* NULL: the defaults */
	int	 max_interval, new_per_day, reviews_per_day, rollover_hour;
	int	 leech_threshold, leech_action;
	/* deckconf.h's options, by the same names and numbers. */
	int	 bury_new, bury_reviews, bury_interday, min_interval;
	int	 new_gather_order, new_sort_order, new_mix, interday_mix;
	int	 review_order, limits_from_top;
};

/* The collection's day boundary (hour) and learn-ahead limit (seconds),
 * from the settings; Anki's defaults (4, 1200) where unset. */
void	db_study_globals(struct db *db, int *rollover_hour, int *learn_ahead);

struct db_study_deck {
	int64_t	 id, config_id;
	char	*name;
};

/* All decks sorted by name, and all presets. */
int	db_study_load_decks(struct db *db, struct db_study_deck **decks,
	    size_t *ndecks, struct db_study_conf **confs, size_t *nconfs,
	    struct err *e);
void	db_study_decks_free(struct db_study_deck *decks, size_t ndecks,
	    struct db_study_conf *confs, size_t nconfs);

/* A card as the queue builder sees it. */
struct db_study_row {
	int64_t	 id, note_id, deck_id, due, last_review, position;
	int	 state, scheduled_days, ord;
	double	 stability, difficulty;
};

/* Row callbacks return 0 to go on, 1 to stop early, -1 to fail. */
typedef int	(*db_study_row_fn)(void *arg, const struct db_study_row *row);

/* Cards of deck_id that are not suspended nor buried on study day today:
 *  - DB_STUDY_LEARN: intraday (re)learning cards due before `before`;
 *  - DB_STUDY_INTERDAY: (re)learning cards on a step of a day or more,
 *    due before `before`, by due;
 *  - DB_STUDY_REVIEW: review cards due before `before`, by due;
 *  - DB_STUDY_NEW: new cards by position (`before` is ignored). */
enum db_study_kind {
	DB_STUDY_LEARN,
	DB_STUDY_INTERDAY,
	DB_STUDY_REVIEW,
	DB_STUDY_NEW,
};
int	db_study_cards(struct db *db, enum db_study_kind kind, int64_t deck_id,
	    long today, time_t before, db_study_row_fn fn, void *arg,
	    struct err *e);

/* How many cards of deck_id db_study_cards(kind) would give, counting
 * up to limit (-1: all); DB_STUDY_LEARN counts those due by `before`
 * included. Returns the count or -1. */
int	db_study_count(struct db *db, enum db_study_kind kind, int64_t deck_id,
	    long today, time_t before, int limit, struct err *e);

/* Per deck, the grades given since since_ms (Unix ms) to cards that were
 * new (new_done) and to review cards (review_done). */
typedef void	(*db_study_done_fn)(void *arg, int64_t deck_id, int new_done,
		    int review_done);
int	db_study_done_since(struct db *db, int64_t since_ms, db_study_done_fn fn,
	    void *arg, struct err *e);

/* Bury until study day `until` the other cards of note_id that are new
 * (bury_new), review (bury_reviews) or interday (re)learning
 * (bury_interday), and not suspended, empty or buried already: Anki's
 * siblings_for_bury. *ids and *prev (free both) get each buried card and
 * its buried_until before, for undo. */
int	db_study_bury_siblings(struct db *db, int64_t card_id, int64_t note_id,
	    int bury_new, int bury_reviews, int bury_interday, long until,
	    time_t now, int64_t **ids, long **prev, size_t *n, struct err *e);
/* Undo one: buried_until back to prev if it is still until. */
int	db_study_unbury_sibling(struct db *db, int64_t id, long until,
	    long prev, time_t now, struct err *e);

/* For one deck: the earliest due of intraday learning cards, and of the
 * other studied cards (-1 when there is none), whether it has new cards,
 * and whether (re)learning cards are buried; for "the next card is due". */
struct db_study_next {
	int64_t	deck_id;
	int64_t	learn_due, other_due;
	int	has_new, has_buried;
};
int	db_study_next_due(struct db *db, int64_t deck_id, long today,
	    struct db_study_next *out, struct err *e);

/* "N more new cards today": extensions kept in the settings table, for
 * day `day` only. */
int	db_study_extend_get(struct db *db, int64_t deck_id, long day,
	    int *extra_new, int *extra_review);
int	db_study_extend_set(struct db *db, int64_t deck_id, long day,
	    int extra_new, int extra_review, struct err *e);
/*
 * Raise day's extensions of deck_id by add_new and add_review (Anki's
 * custom study "increase today's limit"); *undo gets the record of it:
 * apply puts the extension back as it was, or refuses, changing nothing,
 * when it was changed since.
 */
struct db_extend_undo;
int	db_study_extend_add(struct db *db, int64_t deck_id, long day,
	    int add_new, int add_review, struct db_extend_undo **undo,
	    struct err *e);
int	db_extend_undo_apply(struct db *db, const struct db_extend_undo *u,
	    struct err *e);
void	db_extend_undo_free(struct db_extend_undo *u);

/* The whole card, for display and grading. Strings are owned; free with
 * db_study_card_clear. */
struct db_study_card {
	int64_t		 id, note_id, deck_id;
	int64_t		 mod;		/* cards.mod: moves on with every change */
	int		 ord, notetype, is_html, flag, suspended;
	long		 buried_until;
	struct fsrs_card f;
	char		*fields, *tags, *deck_name;
};
/* 0, 1 when there is no such card, -1 on error. */
int	db_study_card_get(struct db *db, int64_t id, struct db_study_card *out,
	    struct err *e);
void	db_study_card_clear(struct db_study_card *c);

/* The card's modification stamp (cards.mod) into *mod: 0, 1 when there
 * is no such card, -1 on error. */
int	db_study_card_mod(struct db *db, int64_t id, int64_t *mod,
	    struct err *e);

/* Write the scheduling columns of a card. */
int	db_study_card_put(struct db *db, int64_t id, const struct fsrs_card *f,
	    int suspended, long buried_until, time_t now, struct err *e);
int	db_study_card_set_flag(struct db *db, int64_t id, int flag, time_t now,
	    struct err *e);

/* One review-log row: the grade, the card after it, and the card before
 * it (prev, prev_suspended, prev_buried_until) for undo. */
struct db_study_revlog {
	int64_t		 id;		/* Unix ms; add picks a free one */
	int64_t		 card_id;
	int		 rating, kind, answer_ms;
	double		 elapsed_days, scheduled_days;
	struct fsrs_card after;
	struct fsrs_card prev;
	int		 prev_suspended;
	long		 prev_buried_until;
};
int	db_study_revlog_add(struct db *db, struct db_study_revlog *r,
	    struct err *e);
/* The INSERT behind db_study_revlog_add and the binding of its 22 values:
 * bench/gen writes its simulated history row by row with them. */
struct sqlite3_stmt;
extern const char db_study_revlog_insert_sql[];
void	db_study_revlog_bind(struct sqlite3_stmt *st,
	    const struct db_study_revlog *r);
/* A card's FSRS state as nine values from parameter first on: state, due,
 * stability, difficulty, last_review (NULL for none), scheduled_days,
 * step, reps, lapses, the order of the cards and revlog columns. The one
 * binding of a card's state: grades, the review log's prev_* and
 * bench/gen's cards use it. */
void	db_study_bind_card_state(struct sqlite3_stmt *st, int first,
	    const struct fsrs_card *f);
/* 0, 1 when there is no such row, -1 on error. */
int	db_study_revlog_get(struct db *db, int64_t id, struct db_study_revlog *r,
	    struct err *e);
int	db_study_revlog_delete(struct db *db, int64_t id, struct err *e);

/* Add (add = 1) or remove a tag of a note; *changed says whether the tag
 * list changed. */
int	db_study_note_tag(struct db *db, int64_t note_id, const char *tag,
	    int add, int *changed, time_t now, struct err *e);

#endif
