/*
 * study.h - a study session: today's queue, grading, undo.
 *
 * Owns every scheduling decision: which card comes next (learning cards
 * whose step is due, then reviews and new cards interleaved, within the
 * deck limits as Anki counts them), the next interval on each button, and
 * what a grade, suspend or bury writes. The FSRS maths is fsrs.h's and the
 * SQL is db-study.c's. Never prints, never reads the clock: every function
 * takes `now`.
 *
 * Days: the study day starts at the collection's "next day starts at"
 * hour (local time), one boundary for the whole collection as in Anki.
 * Siblings: as Anki's, by the preset's bury switches (new, review,
 * interday learning): a sibling of a card in today's queue is not
 * gathered, and answering a card buries its siblings in the file until
 * the next day (undo unburies them). Orders and limits: the preset's
 * (deckconf.h); the day boundary and learn-ahead limit: the collection's.
 */
#ifndef LEMMA_STUDY_H
#define LEMMA_STUDY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

/* Learning cards due within this many seconds are shown early when
 * nothing else is left (Anki's "learn ahead limit"). */
#define STUDY_LEARN_AHEAD	1200

enum grade {
	GRADE_AGAIN = 1,
	GRADE_HARD,
	GRADE_GOOD,
	GRADE_EASY,
};

/* One row of the deck list, counts as Anki shows them: sub-decks included
 * and every deck's daily limits applied. */
struct deck_counts {
	int64_t	 deck_id;
	char	*name;		/* full name with "::"; owned */
	int	 depth;		/* 0 for a top-level deck */
	int	 new_count, learn_count, review_count;
};

/* One row per deck, sorted by name. Free with study_deck_counts_free. */
int	study_deck_counts(struct db *db, time_t now, struct deck_counts **out,
	    size_t *n, struct err *e);
void	study_deck_counts_free(struct deck_counts *c, size_t n);

/* Custom study (Anki's basics). */
struct study_options {
	int	ahead_days;	/* also reviews due in the next N days */
	int	extra_new;	/* raise today's new-card limit by N */
	int	extra_reviews;	/* raise today's review limit by N */
};

/* Open a session on deck_id and its sub-decks (0 = every deck). Returns
 * NULL with e filled when the deck does not exist, or a preset is invalid
 * (bad steps or FSRS parameters: the message names the preset). */
struct study	*study_open(struct db *db, int64_t deck_id, time_t now,
		    struct err *e);
/* The same with custom study. extra_new/extra_reviews are saved for the
 * rest of the day (so the deck list shows them), as Anki's custom study. */
struct study	*study_open_custom(struct db *db, int64_t deck_id, time_t now,
		    const struct study_options *o, struct err *e);
/*
 * A filtered session, as Anki's custom study builds (forgotten cards,
 * review ahead, preview new cards, cards by state or tag): cards ids in
 * this order, outside the daily limits. The cards stay in their decks
 * (nothing in the file says they are in a session), so however the
 * session ends, a kill -9 included, every card is at home with its
 * scheduling. reschedule: grades are saved as in any session (a card
 * studied ahead is graded with its elapsed time, kind "ahead"); 0: a
 * preview, grades write nothing.
 */
struct study	*study_open_filtered(struct db *db, const int64_t *ids,
		    size_t n, int reschedule, time_t now, struct err *e);

/* Add to a running session: N more new cards today, and reviews due in
 * the next ahead_days days. Rebuilds the queue. */
int		 study_extend(struct study *s, int extra_new, int ahead_days,
		    time_t now, struct err *e);
void		 study_close(struct study *s);

/*
 * The undo record of the session's newest raise of today's limits
 * (study_open_custom's extra_new / extra_reviews, study_extend's
 * extra_new: Anki's "Custom Study"), moved out of the session: NULL when
 * there is none. It outlives the session: apply puts today's extension
 * back as it was, in one transaction, or refuses (changing nothing) when
 * another program changed it since; a session open on the deck is then
 * rebuilt by the caller (study_extend with nothing to add).
 */
struct db_extend_undo;
struct db_extend_undo *study_extend_undo_take(struct study *s);
int	study_extend_undo_apply(struct db *db, const struct db_extend_undo *u,
	    struct err *e);
void	study_extend_undo_free(struct db_extend_undo *u);

/* The card being shown. Strings belong to the session and stay valid
 * until the next call that changes the card. */
struct study_card {
	int64_t	 card_id, note_id, deck_id;
	int	 notetype, ord;
	int	 state;		/* 0 new, 1 learning, 2 review, 3 relearning */
	char	*fields;	/* the note's fields joined by \x1f */
	char	*deck_name;
	char	*tags;		/* " a b " */
	int	 flag;
	int	 is_html;
};

/* The card to show now: 0 and *out set; 1 when nothing can be studied now
 * (finished for today, or only learning cards due later than the learn
 * ahead limit: study_next_due says when); -1 on error. Calling it again
 * without grading returns the same card. A new study day (the rollover
 * passed) rebuilds the queue. */
int	study_next(struct study *s, time_t now, const struct study_card **out,
	    struct err *e);

/* The interval each button would give the current card, formatted as
 * Anki's buttons ("<1m", "10m", "1d", "3.4mo", "1.2y"); labels[g - 1].
 * Returns 0, or -1 when there is no current card (labels are emptied). */
int	study_preview(struct study *s, time_t now, char labels[4][16]);

/* Grade the current card. The card and its review-log row are written in
 * one transaction: when this returns 0 the grade is on disk. On failure
 * nothing was written and e says why. A lapse that reaches the leech
 * threshold tags the note "leech" and, with leech_action 0, suspends it. */
int	study_grade(struct study *s, enum grade g, time_t now, int answer_ms,
	    struct err *e);

/* Undo the last grade, suspend or bury of this session (any depth): the
 * card is restored as it was and its review-log row removed, in one
 * transaction; the card is shown next. 0 undone, 1 nothing to undo, -1
 * with e saying why: among others, when the card has changed since (its
 * cards.mod moved on: another lemma, the browser), which leaves the card
 * as it is and drops that step from the undo list. */
int	study_undo(struct study *s, time_t now, struct err *e);

/*
 * The same undo as a record that outlives the session, for the program's
 * one undo stack: take moves the session's newest action out of it (NULL
 * when there is none); apply undoes it on db, and with a session s (may
 * be NULL: the session has ended) rebuilds its queue and shows the card
 * next. apply returns 0, -1 with e (nothing done; it may succeed later),
 * or -2 with e when it never can (the card changed or went since).
 * After a record is applied, each older one of the same card must follow
 * it (study_undo_followed), since the card's mod moved on.
 */
struct study_undo;
struct study_undo *study_undo_take(struct study *s);
/* Anki's name of the action: "Answer Card", "Suspend Card", "Bury Card". */
const char	*study_undo_label(const struct study_undo *r);
int		 study_undo_apply(struct db *db, struct study *s,
		    struct study_undo *r, time_t now, struct err *e);
void		 study_undo_followed(struct study_undo *older,
		    const struct study_undo *done);
void		 study_undo_free(struct study_undo *r);

/* Act on the current card; these can be undone too (except flags). */
int	study_suspend(struct study *s, time_t now, struct err *e);
int	study_bury(struct study *s, time_t now, struct err *e);	/* until tomorrow */
int	study_toggle_mark(struct study *s, time_t now, struct err *e);	/* tag "marked" */
int	study_set_flag(struct study *s, int flag, struct err *e);	/* 0..7 */

/* Read the current card's note again (after an edit), keeping its place
 * and scheduling. 0, 1 when there is no current card, -1 on error. */
int	study_reload_card(struct study *s, struct err *e);

/* What is left today: new, learning (due within the learn ahead limit,
 * and interday) and review cards. Returns 0. */
int	study_remaining(struct study *s, int *new_count, int *learn_count,
	    int *review_count);

/* When nothing is due in deck_id (0 = all) now: when the next card will
 * be (a learning step, a review day, or tomorrow's new cards). 0 and
 * *when; 1 when no card will ever be due; -1 on error. */
int	study_next_due(struct db *db, int64_t deck_id, time_t now, time_t *when,
	    struct err *e);

struct study_summary {
	int	studied, again;	/* grades (reviews), and of them Again */
	int	cards;		/* distinct cards graded */
	long	time_ms;
};
void	study_summary(struct study *s, struct study_summary *out);

/* Format a delay as Anki's answer buttons do: under a minute "<1m", then
 * minutes, hours, days, months (30.4 days, one decimal) and years (one
 * decimal); a trailing ".0" is dropped ("1mo"). */
void	study_format_interval(long secs, char *buf, size_t len);

#endif
