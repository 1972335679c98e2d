/*
 * anki-sched.h - what Anki's card and review-log columns mean in lemma's
 * scheduling, both ways: the one home of that knowledge, for the package
 * importer and exporter.
 *
 * Anki (rslib/src/card/mod.rs, scheduler/timing.rs, revlog/mod.rs):
 *  - type 0 new, 1 learning, 2 review, 3 relearning; queue 0 new, 1
 *    learning (due: Unix seconds), 2 review and 3 interday learning (due:
 *    days since the collection's creation day), 4 preview, -1 suspended
 *    (the type says what it was), -2 buried with a sibling, -3 buried by
 *    hand (both come back at the next day);
 *  - new cards' due is their position; learning cards' left is the count
 *    of steps still to go (left % 1000);
 *  - a card in a filtered deck keeps its home deck in odid and its due
 *    there in odue (Anki restores the queue from the type when it leaves);
 *  - flags' low 3 bits are the flag (0 none, 1..7 colours);
 *  - a card's factor is its SM-2 ease in permille (kept with FSRS too,
 *    whose memory state is in the data JSON); a review-log row's factor
 *    is the ease, or with FSRS the difficulty as ((D - 1) / 9 + 0.1) *
 *    1000; ivl is the interval in days;
 *  - day numbers count from the creation day: Anki's day d is the local
 *    calendar date of crt plus d days, and it begins at the rollover hour.
 *
 * lemma (fsrs.h, db-study.h, the cards table): state 0..3 as Anki's type,
 * due in Unix seconds for every state but new (whose order is position),
 * step = the index of the current (re)learning step, buried_until = the
 * study day the card comes back, suspended and flag as columns. lemma has
 * no filtered decks: a card in one is imported into its home deck with its
 * home due, as Anki itself restores it when the filtered deck is emptied.
 *
 * What is lost: the kind of bury (sibling or by hand; lemma has one,
 * exported as Anki's -3), a card's place in a filtered deck, the preview
 * queue (a previewed card is its home state), Anki's FSRS-reschedule rows
 * (kind 5) become lemma's manual rows (kind 4), told apart from Anki's own
 * manual rows no more; a relearning card's next interval (Anki keeps it in
 * ivl; lemma derives it from stability when the card graduates: exported
 * as the interval at retention 0.9, which is round(S)).
 *
 * Review log kinds: Anki 0 learn, 1 review, 2 relearn, 3 filtered, 4
 * manual, 5 rescheduled; lemma 0 learn, 1 review, 2 relearn, 3 ahead (a
 * grade before the due day; one that left the card as it was is a cram:
 * Anki's filtered with factor 0), 4 manual (a reset to new when the card
 * after it is new: Anki's manual with factor 0; else a new due date).
 *
 * Pure: no SQL, no I/O; the clock is the context's now. Nothing allocates
 * per card or per row.
 */
#ifndef LEMMA_FORMATS_ANKI_SCHED_H
#define LEMMA_FORMATS_ANKI_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/model/fsrs.h"
#include "lemma/model/fsrs-memstate.h"
#include "lemma/store/ankicol.h"
#include "lemma/store/db-study.h"

/* Anki's card types and queues (rslib/src/card/mod.rs). */
enum anki_card_type {
	ANKI_TYPE_NEW = 0,
	ANKI_TYPE_LEARN = 1,
	ANKI_TYPE_REVIEW = 2,
	ANKI_TYPE_RELEARN = 3,
};
enum anki_card_queue {
	ANKI_QUEUE_USER_BURIED = -3,
	ANKI_QUEUE_SCHED_BURIED = -2,
	ANKI_QUEUE_SUSPENDED = -1,
	ANKI_QUEUE_NEW = 0,
	ANKI_QUEUE_LEARN = 1,
	ANKI_QUEUE_REVIEW = 2,
	ANKI_QUEUE_DAY_LEARN = 3,
	ANKI_QUEUE_PREVIEW = 4,
};
/* Anki's revlog.type (RevlogReviewKind). */
enum anki_revlog_kind {
	ANKI_REVLOG_LEARN = 0,
	ANKI_REVLOG_REVIEW = 1,
	ANKI_REVLOG_RELEARN = 2,
	ANKI_REVLOG_FILTERED = 3,
	ANKI_REVLOG_MANUAL = 4,
	ANKI_REVLOG_RESCHEDULED = 5,
};

/* The collection's clock and the import's or export's now. Day numbers
 * follow Anki's sched_timing_today_v2_new (a collection with a creation
 * offset: calendar dates); a legacy v2 collection counts whole 86,400 s
 * days from crt, which agrees except across a DST change. */
struct anki_sched_ctx {
	int64_t	 crt;		/* col.crt: Unix seconds on Anki's day 0 */
	int	 rollover_hour;	/* the hour a study day begins: Anki's
				 * "rollover" = lemma's rollover_hour */
	time_t	 now;
	/* Derived by anki_sched_ctx_init; never set by hand. */
	long	 crt_day;	/* lemma's day number of Anki's day 0 */
	long	 today;		/* lemma's study day of now */
	long	 anki_today;	/* Anki's days_elapsed at now */
	int64_t	 next_day_at;	/* the start of the next study day */
};

/* Fill x for a collection created at crt (Unix seconds), study days
 * beginning at rollover_hour (0..23), at now. */
void	anki_sched_ctx_init(struct anki_sched_ctx *x, int64_t crt,
	    int rollover_hour, time_t now);

/* An Anki day number (days since the creation day) as lemma's Unix
 * seconds at the start of that study day, and back. */
int64_t	anki_sched_day_to_due(const struct anki_sched_ctx *x, long day);
long	anki_sched_due_to_day(const struct anki_sched_ctx *x, int64_t due);

/* The learning steps of a card's preset: how many there are, to turn
 * Anki's steps-left into lemma's step index and back. */
struct anki_sched_steps {
	int	 nlearn, nrelearn;
};

/* A card's scheduling in lemma's terms: the cards table's columns. */
struct anki_sched_card {
	struct fsrs_card f;
	int	 suspended;
	long	 buried_until;	/* study day it comes back; 0: not buried */
	int64_t	 position;	/* a new card's order (Anki's due); else
				 * Anki's "pos" (before it left new), or 0 */
	int	 flag;		/* 0..7 */
	int64_t	 deck;		/* Anki's deck id: the home deck (odid)
				 * for a card in a filtered deck */
	/* The card has been reviewed but carries no FSRS memory state (an
	 * SM-2 collection): f's stability and difficulty are 0 and want
	 * fsrs_memstate_result of its log (anki_sched_stream does it). */
	int	 needs_memory;
	/* f.last_review is a guess (Anki's data JSON had no "lrt"): the due
	 * day less the interval, or the card's last change. Anki then takes
	 * the time of the card's last grade in its log (time_of_last_review),
	 * which anki_sched_stream_finish puts in its place. */
	int	 last_review_guessed;
	/* Anki's ease factor (permille), kept for the replay's fallback
	 * from SM-2 and written back on export; 0 for a new card (export
	 * writes Anki's initial 2500 for a reviewed card that has none). */
	int	 factor;
};

/*
 * An Anki card as lemma's: state from the type, due from the queue
 * (seconds kept, day numbers to the start of that study day, a new card's
 * due to position), step from left and the preset's step counts, buried
 * (queue -2/-3) until tomorrow's study day (Anki unburies at the next day),
 * suspended (queue -1, state from the type), flag from the low 3 bits,
 * stability/difficulty/last_review from the data JSON (last review, when
 * absent, is the due day less the interval, as Anki's FSRS assumes), a card
 * in a filtered deck put back home. Returns 0, or -1 with e naming the card
 * when a column is out of Anki's range (type, queue, a negative
 * interval, review or lapse count, a memory state out of bounds).
 */
int	anki_sched_card_in(const struct anki_sched_ctx *x,
	    const struct anki_sched_steps *steps, const struct anki_card *in,
	    struct anki_sched_card *out, struct err *e);

/*
 * The reverse: fill in's scheduling columns of out (type, queue, due, ivl,
 * factor, reps, lapses, left, flags, did = c->deck, odid = odue = 0, the
 * data JSON's fields: has_memory, stability, difficulty, desired_retention,
 * decay, last_review, original_position). out's id, nid, ord and mod are
 * the caller's and left as they are. desired_retention and decay are the
 * card's preset's (0: not written). A card never reviewed is new.
 */
void	anki_sched_card_out(const struct anki_sched_ctx *x,
	    const struct anki_sched_steps *steps,
	    const struct anki_sched_card *c, double desired_retention,
	    double decay, struct anki_card *out);

/*
 * A card's review log, streamed row by row in id order (Anki's revlog
 * sorted by cid, id gives each card's rows together; start a stream per
 * card). It turns each Anki row into lemma's (rating, kind, elapsed days
 * since the previous grade, scheduled days, the card before and after,
 * answer_ms) and replays the FSRS memory state as it goes, so the rows'
 * stability and difficulty are what lemma's own grading would have
 * written and the card's final memory state is Anki's compute_memory_state.
 * The struct is the whole state: no allocation.
 */
struct anki_sched_stream {
	const struct anki_sched_ctx *x;
	const struct fsrs_params *p;
	int64_t		 cid;
	struct fsrs_card card;		/* the card after the last row */
	int		 suspended;
	struct fsrs_memstate ms;
	size_t		 nrows;		/* rows fed so far */
	/* The last grade that was not a cram (Anki's time_of_last_review),
	 * Unix seconds; 0: none. */
	int64_t		 last_grade;
	/* The study day of card.last_review (when last_day_of is it), so
	 * each grade reads the local time once. */
	int64_t		 last_day_of;
	long		 last_day;
};

/* Start card cid's stream with preset params p (weights, steps, desired
 * retention) and SM-2's assumed retention (FSRS_SM2_RETENTION, or the
 * preset's historical retention). */
void	anki_sched_stream_start(struct anki_sched_stream *s,
	    const struct anki_sched_ctx *x, const struct fsrs_params *p,
	    double sm2_retention, int64_t cid);

/* Anki's row in as lemma's row out (out->id = in->id, card_id = cid).
 * Returns 0, or -1 with e naming the row when it is not Anki's (ease out
 * of 0..4, type out of 0..5, a row of another card). */
int	anki_sched_revlog_in(struct anki_sched_stream *s,
	    const struct anki_revlog *in, struct db_study_revlog *out,
	    struct err *e);

/* Once the card's rows are in (none is fine: a stream started and not
 * fed): for a card with needs_memory, its memory state as Anki would
 * compute it (see fsrs_memstate_result); for a card whose last review was
 * guessed (or is missing), the time of its last grade in the log, when
 * there is one. Returns 1 when it set a memory state (stability and
 * difficulty), else 0; the last review is set either way. */
int	anki_sched_stream_finish(const struct anki_sched_stream *s,
	    struct anki_sched_card *c);

/* lemma's row as Anki's (id, cid, ease, ivl, last_ivl, factor, time,
 * type), from the row alone: ivl from the state after (days, or -seconds
 * while learning), last_ivl from the state before, factor from the
 * difficulty after (FSRS's shifted difficulty; 0 for a reset or a cram,
 * which is how Anki tells them). It reads only what the revlog table
 * keeps: id, card_id, rating, kind, answer_ms, scheduled_days; after's
 * state, due, stability, difficulty (the columns state, due, stability,
 * difficulty); prev's state, due, stability, difficulty, last_review,
 * scheduled_days (the prev_* columns). */
void	anki_sched_revlog_out(const struct db_study_revlog *in,
	    struct anki_revlog *out);

/*
 * A preset's new-card gather order: lemma's (deckconf.h's enum
 * deckconf_gather: deck, deck then random notes, ascending position,
 * descending position, random notes, random cards) as Anki's
 * NewCardGatherPriority number (deck_config.proto: deck 0, lowest
 * position 1, highest position 2, random notes 3, random cards 4, deck
 * then random notes 5), and back. The two lists hold the same orders in
 * another sequence; a number out of range is Anki's default, deck (0).
 */
int	anki_sched_gather_out(int lemma_order);
int	anki_sched_gather_in(int anki_priority);

#endif
