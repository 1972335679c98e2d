/*
 * fsrs-data.h - the FSRS optimizer's training data: review-log rows of one
 * card turned into its FSRS history as Anki does (reviews_for_fsrs in
 * rslib/src/scheduler/fsrs/params.rs), and the histories of many cards held
 * compactly, one card after another.
 *
 * fsrs-rs trains on "items": a card's history up to and including one
 * review that is predicted. The items of one card share their prefixes, so
 * they are not materialised: a card is stored once (its ratings and day
 * gaps), and each review that is an item's target carries its item's place
 * in time order (its rank). 1,000,000 reviews take about 9 MB.
 *
 * Pure: no SQL, no I/O, no clock (next_day_at is a parameter).
 */
#ifndef LEMMA_FSRS_DATA_H
#define LEMMA_FSRS_DATA_H

#include <stddef.h>
#include <stdint.h>

/* What a review-log row was, for this purpose (Anki's RevlogReviewKind
 * with its two special cases spelt out). */
enum fsrs_log_kind {
	FSRS_LOG_LEARN = 0,	/* a grade on a new or learning card */
	FSRS_LOG_REVIEW,	/* a grade on a review card */
	FSRS_LOG_RELEARN,	/* a grade on a relearning card */
	FSRS_LOG_FILTERED,	/* a grade ahead of time that rescheduled */
	FSRS_LOG_MANUAL,	/* a manual change: a new due date */
	FSRS_LOG_RESET,		/* the card was reset to new ("forget") */
	FSRS_LOG_CRAM,		/* a grade that did not reschedule (cram) */
};

struct fsrs_log_row {
	int64_t	 id;		/* Unix ms, as revlog.id */
	int	 rating;	/* 1..4; 0 for a row without a grade */
	int	 kind;		/* enum fsrs_log_kind */
};

/* One review of a history: its grade and the study days since the one
 * before (0 for the first). id is its row's, for the time order. */
struct fsrs_review {
	int64_t	 id;
	uint32_t delta_t;
	uint8_t	 rating;
};

/* Anki's RevlogEntry::days_elapsed: the whole days from a row (id, Unix
 * ms) back from next_day_at, never negative. Day gaps of a history are
 * differences of these. */
int64_t	fsrs_days_before(int64_t id_ms, int64_t next_day_at);

/*
 * The FSRS history of one card from its log rows (in time order), as
 * Anki's reviews_for_fsrs(training = true): from the first grade of the
 * card's last learning session on (a reset with no learning after it drops
 * the card: 0), without rows that have no grade (manual, reset) or did not
 * reschedule (cram). delta_t is the difference of whole days counted back
 * from next_day_at (the start of the next study day, Unix seconds), so the
 * day boundary is the rollover hour. Writes at most n reviews to out and
 * returns how many; 0 when the card gives no history (no learning entry).
 */
size_t	fsrs_history_build(const struct fsrs_log_row *rows, size_t n,
	    int64_t next_day_at, struct fsrs_review *out);

/* Whether review i (0-based) of a history is an item's target: i >= 1 and
 * delta_t > 0. Same-day reviews stay in the history but are never
 * predicted. */
#define FSRS_IS_TARGET(i, dt)	((i) >= 1 && (dt) > 0)

#define FSRS_NO_RANK	UINT32_MAX

/* Many cards' histories. A card is kept only up to its last target. */
struct fsrs_data {
	size_t	  ncards;
	size_t	  nrev;		/* reviews of all cards */
	size_t	  nitems;	/* targets of all cards */
	uint32_t *card_start;	/* card c: reviews card_start[c] .. [c + 1] - 1 */
	uint8_t	 *rating;	/* per review, 1..4 */
	uint32_t *delta_t;	/* per review */
	uint32_t *rank;		/* per review: FSRS_NO_RANK, or the item's
				 * place among all items by time (row id) */
	int64_t	 *id;		/* per review while adding; NULL once finished */
	size_t	  cap_cards, cap_rev;
};

void	fsrs_data_init(struct fsrs_data *d);
void	fsrs_data_free(struct fsrs_data *d);

/* Make room for ncards cards of nrev reviews in all, so that adding them
 * grows nothing (a doubling array would briefly take twice the room). */
void	fsrs_data_reserve(struct fsrs_data *d, size_t ncards, size_t nrev);

/* Add one card's history (fsrs_history_build's output). A card without a
 * target adds nothing. Returns the number of items added. */
size_t	fsrs_data_add(struct fsrs_data *d, const struct fsrs_review *h, size_t n);

/* Rank the items by time (Anki sorts items by their row id) and free the
 * ids. Call once, after the last fsrs_data_add. */
void	fsrs_data_finish(struct fsrs_data *d);

/* Card c's first target (the review that makes its first item). */
size_t	fsrs_data_first_target(const struct fsrs_data *d, size_t c);

/* The end of card c's history up to its items ranked below upto: one past
 * the last such target, or card_start[c] when it has none. */
size_t	fsrs_data_card_end(const struct fsrs_data *d, size_t c, size_t upto);

/* The share of the items ranked below upto whose target was a pass. */
double	fsrs_data_recall(const struct fsrs_data *d, size_t upto);

/* fsrs-rs's bin of an item for RMSE(bins) (FSRSItem::r_matrix_index): from
 * the target's delta_t, the history's long-term reviews and its lapses.
 * lt_before counts the history's reviews with delta_t > 0 (not the target);
 * lapses those of them rated Again. Packed into one integer. */
uint64_t fsrs_rmse_bin(uint32_t delta_t, unsigned lt_before, unsigned lapses);

#endif
