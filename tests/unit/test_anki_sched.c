/*
 * test_anki_sched.c - Anki's card and review-log columns as lemma's
 * scheduling and back: every (type, queue) Anki writes, filtered decks,
 * flags, the collection's day numbers at rollover hours 0, 4 and 23; a
 * round trip of every lemma state through Anki's columns; review-log rows
 * both ways with their round trip; and rows lemma's own grading wrote,
 * taken to Anki's columns and back into a second progress file, read by
 * the optimizer's loader and the statistics exactly as the originals.
 * TZ is UTC (the test environment).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "lemma/base/day.h"
#include "lemma/base/paths.h"
#include "lemma/formats/anki-sched.h"
#include "lemma/model/fsrs-data.h"
#include "lemma/sched/study.h"
#include "lemma/store/db-fsrs.h"
#include "lemma/store/db-stats.h"
#include "lemma/store/db-study.h"
#include "lemma/store/db.h"
#include "lemma/store/deckconf.h"

#define DAY	86400
/* The collection was created 2024-01-01 (its crt: 04:00 that day, UTC);
 * now is 2025-01-10T12:00Z: lemma's study day 20098, Anki's day 375. */
#define CRT	((int64_t)1704081600)
#define NOW	((time_t)1736510400)
#define TODAY	20098L
#define ATODAY	375L
/* The start of Anki's day d at rollover 4 (Unix seconds). */
#define DSTART(d)	(CRT + (int64_t)(d) * DAY)

static const struct anki_sched_steps steps = { 2, 1 };

static struct anki_sched_ctx
ctx(void)
{
	struct anki_sched_ctx x;

	anki_sched_ctx_init(&x, CRT, 4, NOW);
	return x;
}

/* ---- the collection's days ------------------------------------------- */

static void
test_days(void **state)
{
	/* Anki's days_elapsed at instants around the rollover, by hand:
	 * the calendar days from the creation date, less one before the
	 * rollover hour. */
	static const struct {
		int64_t	 crt;
		int	 hour;
		time_t	 now;
		long	 anki_today;
	} t[] = {
		{ CRT, 4, NOW, ATODAY },
		/* 2025-01-10 03:00: still the 9th's study day */
		{ CRT, 4, (time_t)1736478000, ATODAY - 1 },
		{ CRT, 0, (time_t)1736478000, ATODAY },
		/* crt at midnight: the same creation date */
		{ (int64_t)1704067200, 0, NOW, ATODAY },
		/* rollover 23: 22:00 is the day before, 23:30 the day */
		{ CRT, 23, (time_t)1736546400, ATODAY - 1 },
		{ CRT, 23, (time_t)1736551800, ATODAY },
		/* a crt late in its day is still that date */
		{ (int64_t)1704150000, 4, NOW, ATODAY },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct anki_sched_ctx x;

		anki_sched_ctx_init(&x, t[i].crt, t[i].hour, t[i].now);
		assert_int_equal(x.anki_today, t[i].anki_today);
		/* Anki's today, as a due, is lemma's today. */
		assert_int_equal(day_number((time_t)anki_sched_day_to_due(&x,
		    x.anki_today), t[i].hour), x.today);
		/* A due day is the start of that study day, and back. */
		for (long d = 0; d < 800; d += 37) {
			int64_t due = anki_sched_day_to_due(&x, d);

			assert_int_equal(anki_sched_due_to_day(&x, due), d);
			assert_int_equal(day_number((time_t)due, t[i].hour),
			    x.crt_day + d);
			assert_int_equal(day_number((time_t)due - 1,
			    t[i].hour), x.crt_day + d - 1);
		}
		assert_int_equal(x.next_day_at, (int64_t)day_start(x.today + 1,
		    t[i].hour));
	}
}

/* ---- cards in -------------------------------------------------------- */

struct card_case {
	const char	*name;
	int		 type, queue;
	int64_t		 due, odid, odue;
	int		 ivl, left, flags;
	int64_t		 mod, lrt;
	int		 memory;	/* s 12.5, d 6 in the data JSON */
	/* lemma's */
	int		 state, step, sched, suspended, flag;
	long		 buried_until;
	int64_t		 ldue, position, deck, last_review;
	int		 needs_memory;
};

#define LRT	((int64_t)NOW - 3 * DAY)

static const struct card_case cards[] = {
	{ "new: due is its position", 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 17, 1, 0, 0 },
	{ "learning (queue 1): due seconds, 1 step left of 2 = step 1",
	    1, 1, NOW + 600, 0, 0, 0, 1, 0, NOW - 60, 0, 0,
	    1, 1, 0, 0, 0, 0, NOW + 600, 0, 1, NOW - 60, 1 },
	{ "learning, v2's left (today's steps x 1000 + left)",
	    1, 1, NOW + 600, 0, 0, 0, 2002, 0, NOW - 60, 0, 1,
	    1, 0, 0, 0, 0, 0, NOW + 600, 0, 1, NOW - 60, 0 },
	{ "day learning (queue 3): a day number", 1, 3, ATODAY + 1, 0, 0, 0,
	    1, 0, 0, LRT, 1,
	    1, 1, 4, 0, 0, 0, DSTART(ATODAY + 1), 0, 1, LRT, 0 },
	{ "review: day number, ivl, lrt absent: due less ivl", 2, 2,
	    ATODAY + 5, 0, 0, 20, 0, 0, 0, 0, 1,
	    2, 0, 20, 0, 0, 0, DSTART(ATODAY + 5), 0, 1,
	    DSTART(ATODAY - 15), 0 },
	{ "review without a memory state wants one", 2, 2, ATODAY, 0, 0, 9,
	    0, 0, 0, LRT, 0,
	    2, 0, 9, 0, 0, 0, DSTART(ATODAY), 0, 1, LRT, 1 },
	{ "relearning (queue 1): step from the relearning steps",
	    3, 1, NOW + 300, 0, 0, 4, 1, 0, NOW - 300, 0, 1,
	    3, 0, 0, 0, 0, 0, NOW + 300, 0, 1, NOW - 300, 0 },
	{ "relearning (queue 3)", 3, 3, ATODAY + 2, 0, 0, 4, 1, 0, 0, LRT, 1,
	    3, 0, 5, 0, 0, 0, DSTART(ATODAY + 2), 0, 1, LRT, 0 },
	{ "suspended review keeps its type", 2, -1, ATODAY + 3, 0, 0, 10, 0,
	    0, 0, LRT, 1,
	    2, 0, 10, 1, 0, 0, DSTART(ATODAY + 3), 0, 1, LRT, 0 },
	{ "suspended new", 0, -1, 5, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 1, 0, 0, 0, 5, 1, 0, 0 },
	{ "suspended learning: due seconds by Anki's epoch rule",
	    1, -1, NOW + 60, 0, 0, 0, 2, 0, NOW - 60, 0, 1,
	    1, 0, 0, 1, 0, 0, NOW + 60, 0, 1, NOW - 60, 0 },
	{ "sibling-buried review: back at tomorrow's study day", 2, -2,
	    ATODAY, 0, 0, 7, 0, 0, 0, LRT, 1,
	    2, 0, 7, 0, 0, TODAY + 1, DSTART(ATODAY), 0, 1, LRT, 0 },
	{ "manually buried new", 0, -3, 9, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, TODAY + 1, 0, 9, 1, 0, 0 },
	{ "buried day learning", 1, -3, ATODAY + 1, 0, 0, 0, 1, 0, 0, LRT, 1,
	    1, 1, 4, 0, 0, TODAY + 1, DSTART(ATODAY + 1), 0, 1, LRT, 0 },
	{ "flags: the low 3 bits", 2, 2, ATODAY, 0, 0, 3, 0, 0x0d, 0, LRT, 1,
	    2, 0, 3, 0, 5, 0, DSTART(ATODAY), 0, 1, LRT, 0 },
	{ "in a filtered deck (rescheduling): home deck and its due", 2, 2,
	    -100000, 1, ATODAY + 8, 12, 0, 0, 0, LRT, 1,
	    2, 0, 12, 0, 0, 0, DSTART(ATODAY + 8), 0, 1, LRT, 0 },
	{ "a new card in a filtered deck (queue 2 there): new at home",
	    0, 2, -100001, 1, 42, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0, 42, 1, 0, 0 },
	{ "previewed (queue 4) learning card: its home due",
	    1, 4, NOW + 60, 1, NOW + 900, 0, 1, 0, NOW - 60, 0, 1,
	    1, 1, 0, 0, 0, 0, NOW + 900, 0, 1, NOW - 60, 0 },
	{ "suspended in a filtered deck stays suspended", 2, -1, -5, 1,
	    ATODAY + 1, 6, 0, 0, 0, LRT, 1,
	    2, 0, 6, 1, 0, 0, DSTART(ATODAY + 1), 0, 1, LRT, 0 },
};

static void
anki_of(const struct card_case *c, struct anki_card *a)
{
	memset(a, 0, sizeof *a);
	a->id = 1000;
	a->did = c->odid ? 99 : 1;
	a->odid = c->odid;
	a->odue = c->odue;
	a->type = c->type;
	a->queue = c->queue;
	a->due = c->due;
	a->ivl = c->ivl;
	a->factor = c->type == 0 ? 0 : 2500;
	a->reps = c->type == 0 ? 0 : 4;
	a->lapses = c->type == 3 ? 1 : 0;
	a->left = c->left;
	a->flags = c->flags;
	a->mod = c->mod;
	a->last_review = c->lrt;
	if (c->memory) {
		a->has_memory = 1;
		a->stability = 12.5;
		a->difficulty = 6;
	}
}

static void
test_card_in(void **state)
{
	struct anki_sched_ctx x = ctx();

	(void)state;
	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
		const struct card_case *c = &cards[i];
		struct anki_sched_card l;
		struct anki_card a;
		struct err e;

		print_message("# %s\n", c->name);
		anki_of(c, &a);
		if (anki_sched_card_in(&x, &steps, &a, &l, &e) < 0)
			fail_msg("%s", e.msg);
		assert_int_equal(l.f.state, c->state);
		assert_int_equal(l.f.step, c->step);
		assert_int_equal(l.f.scheduled_days, c->sched);
		assert_int_equal(l.suspended, c->suspended);
		assert_int_equal(l.flag, c->flag);
		assert_int_equal(l.buried_until, c->buried_until);
		assert_int_equal(l.f.due, c->ldue);
		assert_int_equal(l.position, c->position);
		assert_int_equal(l.deck, c->deck);
		assert_int_equal(l.f.last_review, c->last_review);
		assert_int_equal(l.needs_memory, c->needs_memory);
		/* Without "lrt" the last review is a guess. */
		assert_int_equal(l.last_review_guessed, c->type != 0 &&
		    c->lrt == 0 && c->last_review != 0);
		assert_int_equal(l.f.reps, a.reps);
		assert_int_equal(l.f.lapses, a.lapses);
		if (c->memory && c->state != 0) {
			assert_float_equal(l.f.stability, 12.5, 0);
			assert_float_equal(l.f.difficulty, 6, 0);
		} else {
			assert_float_equal(l.f.stability, 0, 0);
		}
	}
}

static void
test_card_in_bad(void **state)
{
	static const struct {
		int type, queue, ivl;
		double s, d;
		const char *want;
	} t[] = {
		{ 4, 0, 0, 0, 0, "type 4" },
		{ 2, 5, 1, 0, 0, "queue 5" },
		{ 2, -4, 1, 0, 0, "queue -4" },
		{ 2, 2, -1, 0, 0, "negative" },
		{ 2, 2, 3, -1, 5, "out of bounds" },
		{ 2, 2, 3, 5, 11, "out of bounds" },
		{ 2, 2, 3, NAN, 5, "out of bounds" },
	};
	struct anki_sched_ctx x = ctx();

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct anki_sched_card l;
		struct anki_card a;
		struct err e;

		memset(&a, 0, sizeof a);
		a.id = 77;
		a.type = t[i].type;
		a.queue = t[i].queue;
		a.ivl = t[i].ivl;
		if (t[i].s != 0) {
			a.has_memory = 1;
			a.stability = t[i].s;
			a.difficulty = t[i].d;
		}
		assert_int_equal(anki_sched_card_in(&x, &steps, &a, &l, &e), -1);
		assert_non_null(strstr(e.msg, "card 77"));
		assert_non_null(strstr(e.msg, t[i].want));
	}
}

/* ---- cards out and the round trip ------------------------------------- */

static void
test_card_out(void **state)
{
	struct anki_sched_ctx x = ctx();
	struct anki_sched_card l;
	struct anki_card a;

	(void)state;
	/* A review card with a memory state: FSRS's data fields. */
	memset(&l, 0, sizeof l);
	l.f.state = FSRS_REVIEW;
	l.f.due = NOW + 5 * DAY + 3600;	/* in study day TODAY + 5 */
	l.f.scheduled_days = 30;
	l.f.stability = 31.5;
	l.f.difficulty = 4.25;
	l.f.last_review = NOW - 25 * DAY;
	l.f.reps = 7;
	l.f.lapses = 1;
	l.flag = 3;
	l.deck = 5;
	l.position = 12;
	memset(&a, 0, sizeof a);
	a.flags = 0x10;		/* Anki's other bits are kept */
	anki_sched_card_out(&x, &steps, &l, 0.9, 0.1542, &a);
	assert_int_equal(a.type, 2);
	assert_int_equal(a.queue, 2);
	assert_int_equal(a.due, ATODAY + 5);
	assert_int_equal(a.ivl, 30);
	assert_int_equal(a.factor, 2500);
	assert_int_equal(a.flags, 0x13);
	assert_int_equal(a.did, 5);
	assert_int_equal(a.odid, 0);
	assert_int_equal(a.reps, 7);
	assert_int_equal(a.lapses, 1);
	assert_int_equal(a.has_memory, 1);
	assert_float_equal(a.stability, 31.5, 0);
	assert_float_equal(a.difficulty, 4.25, 0);
	assert_float_equal(a.desired_retention, 0.9, 0);
	assert_float_equal(a.decay, 0.1542, 0);
	assert_int_equal(a.last_review, NOW - 25 * DAY);
	assert_int_equal(a.original_position, 12);
	/* Learning on step 1 of 2: one left; intraday: due seconds. */
	memset(&l, 0, sizeof l);
	l.f.state = FSRS_LEARNING;
	l.f.step = 1;
	l.f.due = NOW + 600;
	l.f.reps = 2;
	l.f.stability = 2;
	l.f.difficulty = 5;
	l.f.last_review = NOW;
	anki_sched_card_out(&x, &steps, &l, 0.9, 0.1542, &a);
	assert_int_equal(a.type, 1);
	assert_int_equal(a.queue, 1);
	assert_int_equal(a.due, NOW + 600);
	assert_int_equal(a.left, 1);
	assert_int_equal(a.ivl, 0);
	/* Relearning's interval: FSRS's at 0.9, round(S). */
	l.f.state = FSRS_RELEARNING;
	l.f.step = 0;
	l.f.stability = 3.6;
	anki_sched_card_out(&x, &steps, &l, 0.9, 0.1542, &a);
	assert_int_equal(a.type, 3);
	assert_int_equal(a.left, 1);
	assert_int_equal(a.ivl, 4);
	assert_int_equal(a.factor, 2500);
	/* Never reviewed: new at its position whatever the state said. */
	memset(&l, 0, sizeof l);
	l.position = 8;
	l.buried_until = TODAY;	/* a bury that has run out */
	anki_sched_card_out(&x, &steps, &l, 0.9, 0.1542, &a);
	assert_int_equal(a.type, 0);
	assert_int_equal(a.queue, 0);
	assert_int_equal(a.due, 8);
	assert_int_equal(a.has_memory, 0);
	assert_int_equal(a.factor, 0);
}

static void
card_equal(const struct fsrs_card *a, const struct fsrs_card *b)
{
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->step, b->step);
	assert_float_equal(a->stability, b->stability, 0);
	assert_float_equal(a->difficulty, b->difficulty, 0);
	assert_int_equal(a->due, b->due);
	assert_int_equal(a->last_review, b->last_review);
	assert_int_equal(a->scheduled_days, b->scheduled_days);
	assert_int_equal(a->reps, b->reps);
	assert_int_equal(a->lapses, b->lapses);
}

/* Every lemma state (and suspended, buried, flagged) through Anki's
 * columns and back. A due on a day number comes back at the start of its
 * study day: the same day, the only thing lemma's queues read of it. */
static void
test_card_round_trip(void **state)
{
	struct anki_sched_ctx x = ctx();
	struct anki_sched_card in[10];
	size_t n = 0;

	(void)state;
	memset(in, 0, sizeof in);
	/* new */
	in[n].position = 31;
	in[n++].deck = 2;
	/* learning, intraday, each step */
	for (int step = 0; step < 2; step++) {
		in[n].f = (struct fsrs_card){ FSRS_LEARNING, step, 0.4 + step,
		    6.1, NOW + 60 * (step + 1), NOW - 30, 0, 1 + step, 0 };
		in[n].factor = 0;
		in[n++].deck = 2;
	}
	/* learning on a day step */
	in[n].f = (struct fsrs_card){ FSRS_LEARNING, 1, 2.2, 5.5,
	    DSTART(ATODAY + 2), DSTART(ATODAY), 2, 3, 0 };
	in[n++].deck = 2;
	/* review, suspended, buried, flagged, moved from its place */
	in[n].f = (struct fsrs_card){ FSRS_REVIEW, 0, 40.25, 3.75,
	    DSTART(ATODAY + 9), DSTART(ATODAY - 31), 40, 9, 2 };
	in[n].factor = 2350;
	in[n].flag = 7;
	in[n].position = 4;
	in[n++].deck = 3;
	in[n] = in[n - 1];
	in[n++].suspended = 1;
	in[n] = in[n - 2];
	in[n++].buried_until = TODAY + 1;
	/* relearning, intraday and on a day step */
	in[n].f = (struct fsrs_card){ FSRS_RELEARNING, 0, 5.5, 7.0,
	    NOW + 600, NOW, 0, 12, 3 };
	in[n].factor = 2100;
	in[n++].deck = 3;
	in[n].f = (struct fsrs_card){ FSRS_RELEARNING, 0, 5.5, 7.0,
	    DSTART(ATODAY + 1), DSTART(ATODAY), 1, 12, 3 };
	in[n].factor = 2100;
	in[n++].deck = 3;
	for (size_t i = 0; i < n; i++) {
		struct anki_sched_card out;
		struct anki_card a;
		struct err e;

		memset(&a, 0, sizeof a);
		a.id = (int64_t)i + 1;
		anki_sched_card_out(&x, &steps, &in[i], 0.9, 0.1542, &a);
		if (anki_sched_card_in(&x, &steps, &a, &out, &e) < 0)
			fail_msg("%zu: %s", i, e.msg);
		print_message("# state %d step %d: Anki type %d queue %d due "
		    "%lld\n", in[i].f.state, in[i].f.step, a.type, a.queue,
		    (long long)a.due);
		assert_int_equal(out.needs_memory, 0);
		card_equal(&out.f, &in[i].f);
		assert_int_equal(out.suspended, in[i].suspended);
		assert_int_equal(out.buried_until, in[i].buried_until);
		assert_int_equal(out.flag, in[i].flag);
		assert_int_equal(out.position, in[i].position);
		assert_int_equal(out.deck, in[i].deck);
		assert_int_equal(out.factor, in[i].f.state == FSRS_NEW ||
		    in[i].f.state == FSRS_LEARNING ? in[i].factor :
		    in[i].factor ? in[i].factor : 2500);
	}
}

/* ---- the review log --------------------------------------------------- */

/* A card's whole Anki log (FSRS on: factors are shifted difficulties),
 * from learning to a lapse, a reset, a cram, a new due date. */
#define RID(d, hh, mm)	((DSTART(d) - 4 * 3600 + (hh) * 3600 + (mm) * 60) * \
			1000)

static const struct anki_revlog anki_log[] = {
	/* id, cid, ease, ivl, last_ivl, factor, time, type */
	{ RID(360, 9, 0), 7, 3, -600, 0, 537, 4100, 0 },
	{ RID(360, 9, 10), 7, 3, 2, -600, 520, 3000, 0 },
	{ RID(362, 10, 0), 7, 3, 7, 2, 498, 2500, 1 },
	{ RID(365, 10, 0), 7, 1, 0, 7, 0, 0, 3 },	/* cram */
	{ RID(369, 10, 0), 7, 1, -600, 7, 702, 6000, 1 },
	{ RID(369, 10, 10), 7, 3, 2, -600, 690, 2000, 2 },
	{ RID(370, 8, 0), 7, 0, 5, 2, 690, 0, 4 },	/* new due date */
	{ RID(371, 10, 0), 7, 4, 12, 5, 610, 1500, 3 },	/* early */
	{ RID(372, 10, 0), 7, 0, 0, 12, 0, 0, 4 },	/* reset */
	{ RID(373, 10, 0), 7, 2, -300, 0, 650, 9000, 0 },
	{ RID(373, 10, 5), 7, 3, 1, -300, 640, 2000, 0 },
};
#define NLOG	(sizeof anki_log / sizeof anki_log[0])

static void
test_revlog_in(void **state)
{
	/* lemma's kind, state after, elapsed days, scheduled days of each */
	static const struct {
		int kind, state, step, reps, lapses;
		double elapsed, sched;
	} want[NLOG] = {
		{ 0, FSRS_LEARNING, 0, 1, 0, 0, 600.0 / DAY },
		{ 0, FSRS_REVIEW, 0, 2, 0, 0, 2 },
		{ 1, FSRS_REVIEW, 0, 3, 0, 2, 7 },
		{ 3, FSRS_REVIEW, 0, 3, 0, 0, 7 },	/* cram: unchanged */
		{ 1, FSRS_RELEARNING, 0, 4, 1, 7, 600.0 / DAY },
		{ 2, FSRS_REVIEW, 0, 5, 1, 0, 2 },
		{ 4, FSRS_REVIEW, 0, 5, 1, 0, 5 },	/* manual */
		{ 3, FSRS_REVIEW, 0, 6, 1, 2, 12 },
		{ 4, FSRS_NEW, 0, 0, 0, 0, 0 },		/* reset */
		{ 0, FSRS_LEARNING, 0, 1, 0, 0, 300.0 / DAY },
		{ 0, FSRS_REVIEW, 0, 2, 0, 0, 1 },
	};
	struct anki_sched_ctx x = ctx();
	struct anki_sched_stream s;
	struct fsrs_params p;
	struct db_study_revlog r, last;

	(void)state;
	fsrs_params_default(&p);
	anki_sched_stream_start(&s, &x, &p, FSRS_SM2_RETENTION, 7);
	memset(&last, 0, sizeof last);
	for (size_t i = 0; i < NLOG; i++) {
		struct err e;

		if (anki_sched_revlog_in(&s, &anki_log[i], &r, &e) < 0)
			fail_msg("%zu: %s", i, e.msg);
		print_message("# row %zu: kind %d state %d S %.4f D %.4f\n", i,
		    r.kind, r.after.state, r.after.stability,
		    r.after.difficulty);
		assert_int_equal(r.id, anki_log[i].id);
		assert_int_equal(r.card_id, 7);
		assert_int_equal(r.rating, anki_log[i].ease);
		assert_int_equal(r.answer_ms, anki_log[i].time);
		assert_int_equal(r.kind, want[i].kind);
		assert_int_equal(r.after.state, want[i].state);
		assert_int_equal(r.after.reps, want[i].reps);
		assert_int_equal(r.after.lapses, want[i].lapses);
		assert_float_equal(r.elapsed_days, want[i].elapsed, 1e-12);
		assert_float_equal(r.scheduled_days, want[i].sched, 1e-12);
		/* Each row's card before is the last row's card after. */
		if (i > 0)
			card_equal(&r.prev, &last.after);
		/* A graded FSRS row keeps Anki's difficulty. */
		if (anki_log[i].ease > 0 && anki_log[i].factor > 0) {
			assert_float_equal(r.after.difficulty,
			    (anki_log[i].factor / 1000.0 - 0.1) * 9 + 1, 1e-9);
			assert_true(r.after.stability > 0);
		}
		last = r;
	}
	/* The stream's memory state: from the learning run after the reset
	 * (2 then 3, same day), as the replay computes it. */
	{
		struct fsrs_memory m = { 0, 0 };
		struct anki_sched_card c;

		fsrs_memory_next(&p, &m, 0, 2, &m);
		fsrs_memory_next(&p, &m, 0, 3, &m);
		memset(&c, 0, sizeof c);
		c.f.state = FSRS_REVIEW;
		c.f.scheduled_days = 1;
		c.needs_memory = 1;
		assert_int_equal(anki_sched_stream_finish(&s, &c), 1);
		assert_float_equal(c.f.stability, m.s, 1e-12);
		assert_float_equal(c.f.difficulty, m.d, 1e-12);
		assert_int_equal(c.f.last_review, anki_log[NLOG - 1].id / 1000);
	}
}

/* Anki without "lrt" takes the card's last grade from its log (a cram is
 * not one; time_of_last_review.sql), whatever due - ivl suggested. */
static void
test_last_review(void **state)
{
	static const struct anki_revlog log[] = {
		{ RID(360, 9, 0), 7, 3, 4, 0, 537, 4100, 0 },
		{ RID(364, 9, 0), 7, 3, 9, 4, 520, 3000, 1 },
		{ RID(366, 9, 0), 7, 2, 0, 9, 0, 0, 3 },	/* cram */
	};
	struct anki_sched_ctx x = ctx();
	struct anki_sched_stream s;
	struct anki_sched_card c;
	struct anki_card a;
	struct fsrs_params p;
	struct err e;

	(void)state;
	fsrs_params_default(&p);
	memset(&a, 0, sizeof a);
	a.id = 7;
	a.type = 2;
	a.queue = 2;
	a.due = 373;
	a.ivl = 9;
	a.factor = 2500;
	a.reps = 2;
	a.has_memory = 1;
	a.stability = 9.5;
	a.difficulty = 5;
	assert_int_equal(anki_sched_card_in(&x, &steps, &a, &c, &e), 0);
	assert_int_equal(c.last_review_guessed, 1);
	assert_int_equal(c.f.last_review, DSTART(364));
	/* No log: the guess stays. */
	anki_sched_stream_start(&s, &x, &p, FSRS_SM2_RETENTION, 7);
	assert_int_equal(anki_sched_stream_finish(&s, &c), 0);
	assert_int_equal(c.f.last_review, DSTART(364));
	for (size_t i = 0; i < 3; i++) {
		struct db_study_revlog r;

		assert_int_equal(anki_sched_revlog_in(&s, &log[i], &r, &e), 0);
	}
	/* A memory state of its own: only the last review changes. */
	assert_int_equal(anki_sched_stream_finish(&s, &c), 0);
	assert_int_equal(c.f.last_review, RID(364, 9, 0) / 1000);
	assert_int_equal(c.last_review_guessed, 0);
	assert_float_equal(c.f.stability, 9.5, 0);
	/* "lrt" given: the log does not overrule it. */
	a.last_review = DSTART(365);
	assert_int_equal(anki_sched_card_in(&x, &steps, &a, &c, &e), 0);
	assert_int_equal(c.last_review_guessed, 0);
	anki_sched_stream_finish(&s, &c);
	assert_int_equal(c.f.last_review, DSTART(365));
}

static void
test_revlog_in_bad(void **state)
{
	static const struct {
		struct anki_revlog r;
		const char *want;
	} t[] = {
		{ { 5000, 7, 5, 1, 0, 2500, 0, 1 }, "ease 5" },
		{ { 5000, 7, -1, 1, 0, 2500, 0, 1 }, "ease -1" },
		{ { 5000, 7, 3, 1, 0, 2500, 0, 6 }, "type 6" },
		{ { 5000, 8, 3, 1, 0, 2500, 0, 1 }, "card 8" },
	};
	struct anki_sched_ctx x = ctx();
	struct fsrs_params p;

	(void)state;
	fsrs_params_default(&p);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct anki_sched_stream s;
		struct db_study_revlog r;
		struct err e;

		anki_sched_stream_start(&s, &x, &p, FSRS_SM2_RETENTION, 7);
		assert_int_equal(anki_sched_revlog_in(&s, &t[i].r, &r, &e), -1);
		assert_non_null(strstr(e.msg, "review-log row 5000"));
		assert_non_null(strstr(e.msg, t[i].want));
	}
}

/* Anki -> lemma -> Anki gives Anki's row back (FSRS rows; Anki's type 5
 * comes back as 4, the one thing lost). */
static void
test_revlog_round_trip(void **state)
{
	struct anki_sched_ctx x = ctx();
	struct anki_sched_stream s;
	struct fsrs_params p;

	(void)state;
	fsrs_params_default(&p);
	anki_sched_stream_start(&s, &x, &p, FSRS_SM2_RETENTION, 7);
	for (size_t i = 0; i < NLOG; i++) {
		struct db_study_revlog r;
		struct anki_revlog back;
		struct err e;

		if (anki_sched_revlog_in(&s, &anki_log[i], &r, &e) < 0)
			fail_msg("%zu: %s", i, e.msg);
		anki_sched_revlog_out(&r, &back);
		print_message("# row %zu: ease %d ivl %d last_ivl %d factor %d "
		    "type %d\n", i, back.ease, back.ivl, back.last_ivl,
		    back.factor, back.type);
		/* A cram's own interval is lost: lemma's cram row is the
		 * card unchanged, and gives the interval it had. */
		if (anki_log[i].type == 3 && anki_log[i].factor == 0)
			back.ivl = anki_log[i].ivl;
		assert_memory_equal(&back, &anki_log[i], sizeof back);
	}
	/* A rescheduled row (FSRS's reschedule) is a manual row in lemma. */
	{
		struct anki_revlog resched = { RID(374, 9, 0), 7, 0, 9, 1, 640,
		    0, 5 };
		struct db_study_revlog r;
		struct anki_revlog back;
		struct err e;

		assert_int_equal(anki_sched_revlog_in(&s, &resched, &r, &e), 0);
		assert_int_equal(r.kind, 4);
		assert_int_not_equal(r.after.state, FSRS_NEW);
		anki_sched_revlog_out(&r, &back);
		assert_int_equal(back.type, 4);
		assert_int_equal(back.ivl, 9);
		assert_int_not_equal(back.factor, 0);	/* not a reset */
	}
}

/* ---- imported rows read as lemma's own -------------------------------- */

struct pf {
	char		 path[512];
	struct db	*db;
	sqlite3		*sql;
};

static void
pf_open(struct pf *f)
{
	struct err e;
	int fd;
	char *msg = NULL;

	snprintf(f->path, sizeof f->path, "%s/lemma-ankisched-XXXXXX",
	    paths_tmpdir());
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	if ((f->db = db_open(f->path, DB_CREATE, &e)) == NULL)
		fail_msg("db_open: %s", e.msg);
	assert_int_equal(sqlite3_open(f->path, &f->sql), SQLITE_OK);
	sqlite3_busy_timeout(f->sql, 5000);
	/* One deck, one note, one card (id 10), new. */
	if (db_deck_ensure(f->db, "D", NOW, &e) < 0)
		fail_msg("deck: %s", e.msg);
	if (sqlite3_exec(f->sql, "INSERT INTO notes (id, guid, notetype, "
	    "deck_id, fields, sort_field, tags, created, modified) SELECT 1, "
	    "'g1', 0, id, 'front' || char(31) || 'back', 'front', '', 0, 0 "
	    "FROM decks WHERE name = 'D';"
	    "INSERT INTO cards (id, note_id, ord, deck_id, position, created, "
	    "modified) SELECT 10, 1, 0, id, 1, 0, 0 FROM decks WHERE "
	    "name = 'D'", NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
}

static void
pf_close(struct pf *f)
{
	char side[600];

	sqlite3_close(f->sql);
	db_close(f->db);
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
}

static int64_t
card_due(struct pf *f)
{
	sqlite3_stmt *st;
	int64_t due = 0;

	assert_int_equal(sqlite3_prepare_v2(f->sql, "SELECT due FROM cards "
	    "WHERE id = 10", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		due = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return due;
}

static size_t
log_ids(struct pf *f, int64_t *ids, size_t max)
{
	sqlite3_stmt *st;
	size_t n = 0;

	assert_int_equal(sqlite3_prepare_v2(f->sql, "SELECT id FROM revlog "
	    "ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && n < max)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A row as the revlog table keeps it (db_study_revlog_get reads only
 * what undo needs). */
static void
log_row(struct pf *f, int64_t id, struct db_study_revlog *r)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof *r);
	assert_int_equal(sqlite3_prepare_v2(f->sql, "SELECT id, card_id, "
	    "rating, kind, answer_ms, elapsed_days, scheduled_days, state, due, "
	    "stability, difficulty, prev_state, prev_due, prev_stability, "
	    "prev_difficulty, coalesce(prev_last_review, 0), "
	    "prev_scheduled_days FROM revlog WHERE id = ?", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	r->id = sqlite3_column_int64(st, 0);
	r->card_id = sqlite3_column_int64(st, 1);
	r->rating = sqlite3_column_int(st, 2);
	r->kind = sqlite3_column_int(st, 3);
	r->answer_ms = sqlite3_column_int(st, 4);
	r->elapsed_days = sqlite3_column_double(st, 5);
	r->scheduled_days = sqlite3_column_double(st, 6);
	r->after.state = sqlite3_column_int(st, 7);
	r->after.due = sqlite3_column_int64(st, 8);
	r->after.stability = sqlite3_column_double(st, 9);
	r->after.difficulty = sqlite3_column_double(st, 10);
	r->prev.state = sqlite3_column_int(st, 11);
	r->prev.due = sqlite3_column_int64(st, 12);
	r->prev.stability = sqlite3_column_double(st, 13);
	r->prev.difficulty = sqlite3_column_double(st, 14);
	r->prev.last_review = sqlite3_column_int64(st, 15);
	r->prev.scheduled_days = sqlite3_column_int(st, 16);
	sqlite3_finalize(st);
}

static void
collect_sums(void *arg, const struct db_stats_sums *b)
{
	struct db_stats_sums *out = arg;
	size_t i = 0;

	while (out[i].key != 0)
		i++;
	out[i] = *b;
}

static void
collect_states(void *arg, int64_t id, double elapsed, double stability)
{
	double *out = arg;
	size_t i = 0;

	while (out[i * 3] != 0)
		i++;
	out[i * 3] = (double)id;
	out[i * 3 + 1] = elapsed;
	out[i * 3 + 2] = stability;
}

#define MAXG	16

static void
test_read_as_own(void **state)
{
	/* Good through the steps, reviews, a lapse and its relearning step,
	 * Hard, Easy: each grade when the card is due (+1 h). */
	static const enum grade plan[] = { 3, 3, 3, 3, 1, 3, 2, 4, 3 };
	struct pf a, b;
	struct anki_sched_ctx x;
	struct anki_sched_stream s;
	struct fsrs_params p;
	struct db_fsrs_preset pa, pb;
	struct fsrs_data da, db;
	struct db_stats_sums sa[MAXG], sb[MAXG];
	double ra[MAXG * 3], rb[MAXG * 3];
	int64_t ids[MAXG];
	time_t t = NOW - 200 * DAY;
	size_t n, na, nb;
	struct err e;

	(void)state;
	pf_open(&a);
	pf_open(&b);
	for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
		struct study *st = study_open(a.db, 0, t, &e);
		const struct study_card *c;

		if (st == NULL)
			fail_msg("study_open: %s", e.msg);
		if (study_next(st, t, &c, &e) != 0)
			fail_msg("grade %zu: no card at %lld", i, (long long)t);
		if (study_grade(st, plan[i], t, 1000 + 100 * (int)i, &e) < 0)
			fail_msg("study_grade: %s", e.msg);
		study_close(st);
		t = (time_t)card_due(&a) + 3600;
	}
	/* lemma's rows -> Anki's columns -> the stream -> the second file. */
	n = log_ids(&a, ids, MAXG);
	assert_int_equal(n, sizeof plan / sizeof plan[0]);
	anki_sched_ctx_init(&x, CRT, 4, t);
	fsrs_params_default(&p);
	anki_sched_stream_start(&s, &x, &p, FSRS_SM2_RETENTION, 10);
	for (size_t i = 0; i < n; i++) {
		struct db_study_revlog mine, anki_in;
		struct anki_revlog ar;

		log_row(&a, ids[i], &mine);
		anki_sched_revlog_out(&mine, &ar);
		if (anki_sched_revlog_in(&s, &ar, &anki_in, &e) < 0)
			fail_msg("row %zu: %s", i, e.msg);
		print_message("# row %zu: kind %d rating %d elapsed %g/%g S "
		    "%.6f/%.6f D %.6f/%.6f\n", i, mine.kind, mine.rating,
		    mine.elapsed_days, anki_in.elapsed_days,
		    mine.after.stability, anki_in.after.stability,
		    mine.after.difficulty, anki_in.after.difficulty);
		/* What the statistics and the optimizer read of a row. */
		assert_int_equal(anki_in.id, mine.id);
		assert_int_equal(anki_in.kind, mine.kind);
		assert_int_equal(anki_in.rating, mine.rating);
		assert_int_equal(anki_in.answer_ms, mine.answer_ms);
		assert_int_equal(anki_in.after.state, mine.after.state);
		assert_int_equal(anki_in.prev.state, mine.prev.state);
		assert_int_equal(anki_in.prev.scheduled_days,
		    mine.prev.scheduled_days);
		assert_int_equal(anki_in.after.due, mine.after.due);
		assert_int_equal(anki_in.prev.due, mine.prev.due);
		assert_int_equal(anki_in.prev.last_review,
		    mine.prev.last_review);
		assert_float_equal(anki_in.elapsed_days, mine.elapsed_days, 0);
		assert_float_equal(anki_in.scheduled_days, mine.scheduled_days,
		    1e-9);
		assert_float_equal(anki_in.after.stability,
		    mine.after.stability, 1e-6 * mine.after.stability);
		/* The factor keeps the difficulty to 1/1000 of its range. */
		assert_float_equal(anki_in.after.difficulty,
		    mine.after.difficulty, 0.0046);
		assert_float_equal(anki_in.prev.stability,
		    mine.prev.stability, 1e-6 * mine.prev.stability);
		if (db_study_revlog_add(b.db, &anki_in, &e) < 0)
			fail_msg("add: %s", e.msg);
	}
	/* The optimizer's loader: the same histories. */
	assert_int_equal(db_fsrs_preset(a.db, NULL, NULL, &pa, &e), 0);
	assert_int_equal(db_fsrs_preset(b.db, NULL, NULL, &pb, &e), 0);
	fsrs_data_init(&da);
	fsrs_data_init(&db);
	if (db_fsrs_load(a.db, &pa, t, &da, &na, &e) < 0 ||
	    db_fsrs_load(b.db, &pb, t, &db, &nb, &e) < 0)
		fail_msg("db_fsrs_load: %s", e.msg);
	assert_int_equal(na, nb);
	assert_true(na > 3);
	assert_int_equal(da.nrev, db.nrev);
	assert_int_equal(da.nitems, db.nitems);
	assert_memory_equal(da.rating, db.rating, da.nrev);
	assert_memory_equal(da.delta_t, db.delta_t, da.nrev * sizeof *da.delta_t);
	fsrs_data_free(&da);
	fsrs_data_free(&db);
	/* The statistics: every grade's sums, and the review states behind
	 * the predicted retrievability. */
	{
		struct db_stats *qa = db_stats_open(a.db, NULL, &e);
		struct db_stats *qb = db_stats_open(b.db, NULL, &e);

		assert_non_null(qa);
		assert_non_null(qb);
		memset(sa, 0, sizeof sa);
		memset(sb, 0, sizeof sb);
		memset(ra, 0, sizeof ra);
		memset(rb, 0, sizeof rb);
		assert_int_equal(db_stats_rows(qa, 0, INT64_MAX, collect_sums,
		    sa, &e), 0);
		assert_int_equal(db_stats_rows(qb, 0, INT64_MAX, collect_sums,
		    sb, &e), 0);
		assert_memory_equal(sa, sb, sizeof sa);
		assert_int_equal(sa[n - 1].key, ids[n - 1]);
		assert_int_equal(db_stats_review_states(qa, 0, INT64_MAX,
		    collect_states, ra, &e), 0);
		assert_int_equal(db_stats_review_states(qb, 0, INT64_MAX,
		    collect_states, rb, &e), 0);
		for (size_t i = 0; i < MAXG * 3; i++)
			assert_float_equal(ra[i], rb[i], 1e-6 * fabs(ra[i]));
		assert_true(ra[0] != 0);
		db_stats_close(qa);
		db_stats_close(qb);
	}
	pf_close(&a);
	pf_close(&b);
}

/* The new-card gather orders, named on both sides (deckconf.h's enum and
 * Anki's deck_config.proto numbers), both ways. */
static void
test_gather(void **state)
{
	static const struct { int lemma, anki; } orders[] = {
		{ DC_GATHER_DECK, 0 },
		{ DC_GATHER_ASCENDING, 1 },		/* lowest position */
		{ DC_GATHER_DESCENDING, 2 },		/* highest position */
		{ DC_GATHER_RANDOM_NOTES, 3 },
		{ DC_GATHER_RANDOM_CARDS, 4 },
		{ DC_GATHER_DECK_RANDOM_NOTES, 5 },	/* deck, then random notes */
	};

	(void)state;
	for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
		assert_int_equal(anki_sched_gather_out(orders[i].lemma),
		    orders[i].anki);
		assert_int_equal(anki_sched_gather_in(orders[i].anki),
		    orders[i].lemma);
	}
	/* A number Anki may add later is its default, deck. */
	assert_int_equal(anki_sched_gather_in(6), DC_GATHER_DECK);
	assert_int_equal(anki_sched_gather_in(-1), DC_GATHER_DECK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_card_in),
		cmocka_unit_test(test_card_in_bad),
		cmocka_unit_test(test_card_out),
		cmocka_unit_test(test_card_round_trip),
		cmocka_unit_test(test_revlog_in),
		cmocka_unit_test(test_last_review),
		cmocka_unit_test(test_revlog_in_bad),
		cmocka_unit_test(test_revlog_round_trip),
		cmocka_unit_test(test_read_as_own),
		cmocka_unit_test(test_gather),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
