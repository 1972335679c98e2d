/*
 * stats.h - the figures of the statistics pane and `lemma stats`.
 *
 * Owns what the numbers mean: which grades count as passed, when a card is
 * young or mature, which reviews fall on which study day, the histograms'
 * bins and the streaks. Every figure is computed from the review log (as
 * sums per quarter hour that the schema keeps; src/store/db-stats.c) and
 * the cards, for a deck and its sub-decks or the whole collection. Numbers only: no text, no curses, no
 * clock (the caller passes now); stats-text.h turns them into graphs.
 *
 * Definitions (as Anki's statistics screen):
 * - A grade is a revlog row with rating 1-4; manual rows (rating 0, kind 4:
 *   reset, reschedule) are never counted.
 * - Passed = Hard, Good or Easy; failed = Again.
 * - Young / mature: the interval the card had when it was graded (the row's
 *   prev_scheduled_days) is under 21 days / 21 days or more. Cards by their
 *   current interval, as cards.scheduled_days.
 * - True retention counts review-kind rows only (kind 1): learning,
 *   relearning and reviews ahead of time (kind 3) do not measure memory
 *   at the scheduled moment.
 * - Study days begin at the rollover hour of local time (day.h), DST
 *   included. The deck's options preset gives the rollover hour, the desired
 *   retention and the FSRS weights; the whole collection uses preset 1.
 */
#ifndef LEMMA_STATS_H
#define LEMMA_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"

struct db;

enum stats_period {
	STATS_MONTH,		/* the last 30 study days; forecast 30 days */
	STATS_YEAR,		/* the last 365 study days; forecast 365 days */
	STATS_ALL		/* since the first review (at least 30 days);
				 * forecast 365 days */
};

/* Review kinds as the reviews-per-day graph stacks them (bottom first). */
enum stats_kind {
	STATS_LEARN,		/* kind 0 */
	STATS_YOUNG,		/* kinds 1 and 3, previous interval < 21 d */
	STATS_MATURE,		/* kinds 1 and 3, previous interval >= 21 d */
	STATS_RELEARN,		/* kind 2 */
	STATS_NKINDS
};

/* The true-retention table's rows. */
enum stats_span {
	STATS_SPAN_TODAY,
	STATS_SPAN_YESTERDAY,
	STATS_SPAN_WEEK,	/* the last 7 study days, today included */
	STATS_SPAN_MONTH,	/* the last 30 */
	STATS_SPAN_YEAR,	/* the last 365 */
	STATS_NSPANS
};

/* The answer-buttons graph's card types (relearning counts as learning). */
enum stats_button_type {
	STATS_BUTTON_LEARN,
	STATS_BUTTON_YOUNG,
	STATS_BUTTON_MATURE,
	STATS_NBUTTON_TYPES
};

/* Histogram sizes. Intervals and stability use the same log-spaced bins:
 * <= 1 d, 2-3 d, 4-7 d, 8-14 d, 15-30 d, 1-3 months (31-90 d), 3-6 months
 * (91-180 d), 6-12 months (181-365 d), more than a year. */
#define STATS_NLOG_BINS		9
#define STATS_NDIFF_BINS	10	/* difficulty 1-10 as 0-100%, 10% each */
#define STATS_NR_BINS		10	/* retrievability 0-100%, 10% each */
#define STATS_MATURE_DAYS	21
#define STATS_CALENDAR_DAYS	365

struct stats_pass {
	int64_t	 pass, fail;
};

struct stats_today {
	int64_t			 cards;		/* distinct cards graded */
	int64_t			 reviews;	/* grades */
	int64_t			 time_ms;	/* answer time */
	int64_t			 again;		/* Again presses, all kinds */
	int64_t			 by_kind[STATS_NKINDS];
	struct stats_pass	 young, mature;	/* review-kind rows */
};

/* One study day of the reviews graph. */
struct stats_day {
	int64_t	 count[STATS_NKINDS];
	int64_t	 time_ms;		/* answer time, all kinds */
	int64_t	 again;			/* Again presses, all kinds */
};

/* The grades of a day, all kinds together. */
int64_t	stats_day_total(const struct stats_day *d);

/* One week of the retention graph (7 study days; the last ends today). */
struct stats_week {
	struct stats_pass	 review;	/* review-kind rows, young and mature */
	double			 predicted_sum;	/* FSRS R at each of those grades */
	int64_t			 predicted_n;	/* rows with a memory state */
};

struct stats_hour {
	int64_t	 count;			/* grades in this local hour */
	int64_t	 pass;
};

struct stats_counts {
	int64_t	 new_count, learning, relearning, young, mature;
	int64_t	 suspended, buried;	/* whatever their state */
	int64_t	 total;
};

struct stats {
	/* What was asked and the settings that applied. */
	enum stats_period	 period;
	char			*deck;		/* NULL: the whole collection */
	time_t			 now;
	long			 today;		/* study day number of now */
	int			 rollover_hour;
	double			 desired_retention;

	struct stats_today	 today_figures;
	struct stats_pass	 young[STATS_NSPANS], mature[STATS_NSPANS];

	/* Reviews and time per study day, oldest first; the last is today.
	 * 30 or 365 days, or since the first review (at least 30). */
	struct stats_day	*days;
	size_t			 ndays;

	/* Retention per week over the same days, oldest first. */
	struct stats_week	*weeks;
	size_t			 nweeks;

	/* Cards due on each study day from today on (index 0 = today, which
	 * includes cards due later today), and the backlog due before today.
	 * Learning, review and relearning cards that are not suspended. */
	int64_t			*due;
	size_t			 ndue;
	int64_t			 overdue;
	double			 daily_load;	/* sum of 1 / interval: reviews per day in the long run */

	/* Grades per study day for the calendar: the last 365 days, today
	 * last; first_weekday is v[0]'s (0 Monday .. 6 Sunday). */
	int64_t			 calendar[STATS_CALENDAR_DAYS];
	int			 calendar_first_weekday;
	long			 days_studied;	/* in all history */
	long			 streak_current;	/* ending today, or yesterday if
							 * today has none yet */
	long			 streak_longest;

	/* Distributions of the cards in scope, suspended ones included, as
	 * Anki's: every card that has the value. */
	int64_t			 intervals[STATS_NLOG_BINS];	/* review, relearning cards */
	int64_t			 stability[STATS_NLOG_BINS];	/* cards with stability > 0 */
	int64_t			 difficulty[STATS_NDIFF_BINS];
	int64_t			 retrievability[STATS_NR_BINS];
	double			 mean_retrievability;	/* NaN: no card */
	double			 mean_interval;		/* days; NaN: no card */

	/* Grades in the period by card type and rating (index rating - 1). */
	int64_t			 buttons[STATS_NBUTTON_TYPES][4];

	/* Grades in the period by local hour of day (0-23). */
	struct stats_hour	 hours[24];

	struct stats_counts	 counts;
};

struct stats_opts {
	const char		*deck;		/* NULL or "": the whole collection */
	enum stats_period	 period;
};

/*
 * Compute every figure for o at instant now into *out (free it with
 * stats_free, also after a failure). Reads only; runs its queries in one
 * read transaction so the figures agree with each other. Returns 0, or -1
 * with e filled (e.g. no deck of that name).
 */
int	stats_compute(struct db *db, const struct stats_opts *o, time_t now,
	    struct stats *out, struct err *e);
void	stats_free(struct stats *s);

/* Create the index the statistics want on a large review log (the reviews
 * with a memory state by time, for the predicted retrievability). The
 * schema has it; this is for a file where it was dropped (the benchmark's
 * --no-index). Without it every figure is still right, only slower.
 * Writes; returns 0 or -1. */
int	stats_create_indexes(struct db *db, struct err *e);

/* Parse "1m", "1y" or "all" (also "month", "year"); -1 if none. */
int	stats_period_parse(const char *s, enum stats_period *out);
const char *stats_period_name(enum stats_period p);	/* "1m", "1y", "all" */

/* ---- pure helpers, exposed for the tests and stats-text ---------------- */

/* pass / (pass + fail), or NaN when there are none. */
double	stats_pass_rate(const struct stats_pass *p);

/* The log bin of an interval or stability in days (0 .. STATS_NLOG_BINS-1). */
int	stats_log_bin(double days);
/* Its label: "1d", "2-3d", "4-7d", "1-2w", "2-4w", "1-3m", "3-6m", "6-12m",
 * "1y+". */
const char *stats_log_bin_label(int bin);
/* The bin of difficulty d (1..10) and of retrievability r (0..1). */
int	stats_difficulty_bin(double d);
int	stats_r_bin(double r);

/* Streaks over study days with grades. has[i] says whether day
 * first + i had grades, for n days ending today (has[n-1] is today).
 * current: the run ending today, or ending yesterday when today has none;
 * longest: the longest run anywhere. */
void	stats_streaks(const unsigned char *has, size_t n, long *current,
	    long *longest);

/* Monday-based weekday (0 Monday .. 6 Sunday) of study day d. */
int	stats_weekday(long d);

#endif
