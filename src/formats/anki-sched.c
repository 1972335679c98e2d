/*
 * anki-sched.c - Anki's card and review-log columns as lemma's scheduling,
 * both ways (see anki-sched.h for what each column means).
 */
#include <math.h>
#include <string.h>

#include "lemma/base/day.h"
#include "lemma/formats/anki-sched.h"

#define DAY_SECS	86400

/* Anki's is_unix_epoch_timestamp: a learning card's due above this is a
 * time, below it a day number (scheduler/timing.rs). */
#define ANKI_EPOCH_DUE	1000000000

void
anki_sched_ctx_init(struct anki_sched_ctx *x, int64_t crt, int rollover_hour,
    time_t now)
{
	x->crt = crt;
	x->rollover_hour = rollover_hour;
	x->now = now;
	/* sched_timing_today_v2_new: Anki's day 0 is the local calendar
	 * date of crt, and day d begins at the rollover hour of that date
	 * plus d days; lemma's study day of an instant is the local date of
	 * the instant less the rollover hours. So Anki's day d is lemma's
	 * day crt_day + d. */
	x->crt_day = day_number((time_t)crt, 0);
	x->today = day_number(now, rollover_hour);
	x->anki_today = x->today - x->crt_day;
	if (x->anki_today < 0)
		x->anki_today = 0;
	x->next_day_at = (int64_t)day_start(x->today + 1, rollover_hour);
}

int64_t
anki_sched_day_to_due(const struct anki_sched_ctx *x, long day)
{
	return (int64_t)day_start(x->crt_day + day, x->rollover_hour);
}

long
anki_sched_due_to_day(const struct anki_sched_ctx *x, int64_t due)
{
	return day_number((time_t)due, x->rollover_hour) - x->crt_day;
}

/* Anki's restore_queue_from_type, for a card whose queue says nothing of
 * its due (suspended, buried, in a filtered deck, previewed): the queue
 * its type and due give. */
static int
queue_of_type(int type, int64_t due)
{
	switch (type) {
	case ANKI_TYPE_NEW:
		return ANKI_QUEUE_NEW;
	case ANKI_TYPE_REVIEW:
		return ANKI_QUEUE_REVIEW;
	default:
		return due > ANKI_EPOCH_DUE ? ANKI_QUEUE_LEARN :
		    ANKI_QUEUE_DAY_LEARN;
	}
}

/* lemma's step index from Anki's steps left (LearningSteps::get_index). */
static int
step_of_left(int nsteps, int left)
{
	int remaining = left % 1000;

	return nsteps > remaining ? nsteps - remaining : 0;
}

int
anki_sched_card_in(const struct anki_sched_ctx *x,
    const struct anki_sched_steps *steps, const struct anki_card *in,
    struct anki_sched_card *out, struct err *e)
{
	int64_t due = in->due;
	int queue = in->queue;
	struct fsrs_card *f = &out->f;

	if (in->type < ANKI_TYPE_NEW || in->type > ANKI_TYPE_RELEARN)
		return err_set(e, NULL, 0, 0, "card %lld: type %d is not one "
		    "of Anki's (0 to 3)", (long long)in->id, in->type);
	if (queue < ANKI_QUEUE_USER_BURIED || queue > ANKI_QUEUE_PREVIEW)
		return err_set(e, NULL, 0, 0, "card %lld: queue %d is not one "
		    "of Anki's (-3 to 4)", (long long)in->id, queue);
	if (in->ivl < 0 || in->reps < 0 || in->lapses < 0)
		return err_set(e, NULL, 0, 0, "card %lld: a negative interval, "
		    "review or lapse count", (long long)in->id);
	if (in->has_memory && (!isfinite(in->stability) ||
	    !isfinite(in->difficulty) || in->stability <= 0 ||
	    in->stability > FSRS_S_MAX || in->difficulty < 1 ||
	    in->difficulty > 10))
		return err_set(e, NULL, 0, 0, "card %lld: FSRS memory state "
		    "s=%g d=%g is out of bounds (s 0 to %g, d 1 to 10)",
		    (long long)in->id, in->stability, in->difficulty,
		    FSRS_S_MAX);
	memset(out, 0, sizeof *out);
	out->deck = in->did;
	/* A card in a filtered deck goes home, as Anki's
	 * remove_from_filtered_deck_restoring_queue puts it. */
	if (in->odid != 0) {
		out->deck = in->odid;
		if (in->odue != 0)
			due = in->odue;
		if (queue >= 0)
			queue = queue_of_type(in->type, due);
	}
	out->suspended = queue == ANKI_QUEUE_SUSPENDED;
	/* Anki unburies at the start of the next day. */
	if (queue == ANKI_QUEUE_SCHED_BURIED || queue == ANKI_QUEUE_USER_BURIED)
		out->buried_until = x->today + 1;
	/* Suspended, buried and previewed cards: their type and due say
	 * where they are. A learning card's queue 1 or 3 is its own word. */
	if (queue < 0 || queue == ANKI_QUEUE_PREVIEW ||
	    (in->type != ANKI_TYPE_NEW && in->type != ANKI_TYPE_REVIEW &&
	    queue != ANKI_QUEUE_LEARN && queue != ANKI_QUEUE_DAY_LEARN))
		queue = queue_of_type(in->type, due);
	out->flag = in->flags & 7;
	out->factor = in->factor;
	out->position = in->original_position;
	f->state = in->type;	/* Anki's types are lemma's states */
	f->reps = in->reps;
	f->lapses = in->lapses;
	if (in->type == ANKI_TYPE_NEW) {
		/* A new card's due is its place in the new queue. */
		out->position = due;
		return 0;
	}
	f->last_review = in->last_review;
	switch (in->type) {
	case ANKI_TYPE_REVIEW:
		f->due = anki_sched_day_to_due(x, (long)due);
		f->scheduled_days = in->ivl;
		/* Without "lrt", Anki's FSRS takes the last review as the due
		 * day less the interval. */
		if (f->last_review == 0) {
			f->last_review = anki_sched_day_to_due(x,
			    (long)due - in->ivl);
			out->last_review_guessed = 1;
		}
		break;
	default:
		f->step = step_of_left(in->type == ANKI_TYPE_LEARN ?
		    steps->nlearn : steps->nrelearn, in->left);
		/* The card's last change is its last answer, for a card
		 * still in its steps. */
		if (f->last_review == 0 && in->mod > 0 && in->mod <= x->now) {
			f->last_review = in->mod;
			out->last_review_guessed = 1;
		}
		if (queue == ANKI_QUEUE_LEARN) {
			f->due = due;
			f->scheduled_days = 0;
		} else {
			long last;

			f->due = anki_sched_day_to_due(x, (long)due);
			/* A step of a day or more: lemma counts its whole
			 * days (interday learning is scheduled_days > 0). */
			f->scheduled_days = 1;
			if (f->last_review != 0) {
				last = day_number((time_t)f->last_review,
				    x->rollover_hour);
				if (x->crt_day + due - last > 1)
					f->scheduled_days = (int)(x->crt_day +
					    due - last);
			}
		}
		break;
	}
	if (in->has_memory) {
		f->stability = in->stability;
		f->difficulty = in->difficulty;
	} else
		out->needs_memory = 1;
	return 0;
}

void
anki_sched_card_out(const struct anki_sched_ctx *x,
    const struct anki_sched_steps *steps, const struct anki_sched_card *c,
    double desired_retention, double decay, struct anki_card *out)
{
	const struct fsrs_card *f = &c->f;
	int state = f->state;

	out->did = c->deck;
	out->odid = 0;
	out->odue = 0;
	out->type = state;
	out->reps = f->reps;
	out->lapses = f->lapses;
	out->flags = (out->flags & ~7) | (c->flag & 7);
	out->left = 0;
	out->ivl = 0;
	out->factor = c->factor;
	out->has_memory = 0;
	out->stability = out->difficulty = 0;
	out->desired_retention = out->decay = 0;
	out->last_review = 0;
	out->original_position = 0;
	if (state == FSRS_NEW || (f->reps == 0 && f->last_review == 0 &&
	    f->stability == 0)) {
		/* Never reviewed: new, in its place. */
		out->type = ANKI_TYPE_NEW;
		out->queue = ANKI_QUEUE_NEW;
		out->due = c->position;
		out->reps = out->lapses = 0;
		out->factor = 0;
	} else {
		out->original_position = c->position > 0 ? c->position : 0;
		out->last_review = f->last_review;
		if (out->factor == 0 && (state == FSRS_REVIEW ||
		    state == FSRS_RELEARNING))
			out->factor = 2500;	/* Anki's initial ease */
		if (f->stability > 0 && f->difficulty >= 1) {
			out->has_memory = 1;
			out->stability = f->stability;
			out->difficulty = f->difficulty;
			out->desired_retention = desired_retention;
			out->decay = decay;
		}
		if (state == FSRS_REVIEW) {
			out->queue = ANKI_QUEUE_REVIEW;
			out->due = anki_sched_due_to_day(x, f->due);
			out->ivl = f->scheduled_days > 0 ? f->scheduled_days : 1;
		} else {
			int n = state == FSRS_LEARNING ? steps->nlearn :
			    steps->nrelearn;

			out->left = n > f->step ? n - f->step : 1;
			if (f->scheduled_days > 0) {
				out->queue = ANKI_QUEUE_DAY_LEARN;
				out->due = anki_sched_due_to_day(x, f->due);
			} else {
				out->queue = ANKI_QUEUE_LEARN;
				out->due = f->due;
			}
			/* A relearning card's interval after its steps:
			 * lemma derives it from S when it graduates; at
			 * retention 0.9 FSRS's interval is S. */
			if (state == FSRS_RELEARNING)
				out->ivl = f->stability >= 1 ?
				    (int)lround(f->stability) : 1;
		}
	}
	if (c->suspended)
		out->queue = ANKI_QUEUE_SUSPENDED;
	else if (c->buried_until > x->today)
		out->queue = ANKI_QUEUE_USER_BURIED;
}

/* ---- the review log ---------------------------------------------------- */

void
anki_sched_stream_start(struct anki_sched_stream *s,
    const struct anki_sched_ctx *x, const struct fsrs_params *p,
    double sm2_retention, int64_t cid)
{
	memset(s, 0, sizeof *s);
	s->x = x;
	s->p = p;
	s->cid = cid;
	fsrs_memstate_start(&s->ms, p, x->next_day_at, sm2_retention);
}

/* What a row was for the replay (fsrs-data.h's kinds). */
static int
log_kind(const struct anki_revlog *r)
{
	switch (r->type) {
	case ANKI_REVLOG_LEARN:
		return FSRS_LOG_LEARN;
	case ANKI_REVLOG_REVIEW:
		return FSRS_LOG_REVIEW;
	case ANKI_REVLOG_RELEARN:
		return FSRS_LOG_RELEARN;
	case ANKI_REVLOG_FILTERED:
		/* is_cramming: factor 0 tells a grade that did not
		 * reschedule. */
		return r->factor == 0 ? FSRS_LOG_CRAM : FSRS_LOG_FILTERED;
	case ANKI_REVLOG_MANUAL:
		/* is_reset: factor 0 tells a reset from a new due date. */
		return r->factor == 0 ? FSRS_LOG_RESET : FSRS_LOG_MANUAL;
	default:
		return FSRS_LOG_MANUAL;
	}
}

/* The card before the first row of a log that begins mid-history: what the
 * row says of it, on time (Anki does not log the card's past). */
static void
first_prev(const struct anki_revlog *r, int64_t t, struct fsrs_card *prev)
{
	memset(prev, 0, sizeof *prev);
	if (r->last_ivl > 0) {
		prev->state = FSRS_REVIEW;
		prev->scheduled_days = r->last_ivl;
		prev->due = t;
		prev->last_review = t - (int64_t)r->last_ivl * DAY_SECS;
	} else if (r->last_ivl < 0) {
		prev->state = r->type == ANKI_REVLOG_LEARN ? FSRS_LEARNING :
		    FSRS_RELEARNING;
		prev->due = t;
		prev->last_review = t + r->last_ivl;
	}
}

int
anki_sched_revlog_in(struct anki_sched_stream *s, const struct anki_revlog *in,
    struct db_study_revlog *out, struct err *e)
{
	struct fsrs_card *prev = &out->prev, *after = &out->after;
	struct fsrs_memstate_row mr;
	int64_t t = in->id / 1000;
	int kind = log_kind(in), applied;
	long day;

	if (in->cid != s->cid)
		return err_set(e, NULL, 0, 0, "review-log row %lld: card %lld "
		    "in the stream of card %lld", (long long)in->id,
		    (long long)in->cid, (long long)s->cid);
	if (in->ease < 0 || in->ease > 4)
		return err_set(e, NULL, 0, 0, "review-log row %lld: ease %d is "
		    "not one of Anki's (0 to 4)", (long long)in->id, in->ease);
	if (in->type < ANKI_REVLOG_LEARN || in->type > ANKI_REVLOG_RESCHEDULED)
		return err_set(e, NULL, 0, 0, "review-log row %lld: type %d is "
		    "not one of Anki's (0 to 5)", (long long)in->id, in->type);
	memset(out, 0, sizeof *out);
	out->id = in->id;
	out->card_id = in->cid;
	out->rating = in->ease;
	/* Anki's rescheduled rows (FSRS's reschedule) are lemma's manual. */
	out->kind = in->type == ANKI_REVLOG_RESCHEDULED ? 4 : in->type;
	out->answer_ms = in->time > 0 ? in->time : 0;
	if (s->nrows == 0)
		first_prev(in, t, &s->card);
	*prev = s->card;

	mr.id = in->id;
	mr.rating = in->ease;
	mr.kind = kind;
	mr.ivl = in->ivl;
	mr.factor = in->factor;
	applied = fsrs_memstate_feed(&s->ms, &mr);
	if (in->ease >= 1 && kind != FSRS_LOG_CRAM)
		s->last_grade = t;

	if (kind == FSRS_LOG_RESET) {
		/* lemma's reset: the card new again (after.state 0). */
		memset(after, 0, sizeof *after);
	} else if (kind == FSRS_LOG_CRAM) {
		/* Nothing moved: lemma tells a cram by that. */
		*after = *prev;
	} else if (in->ease == 0) {
		/* A new due date (manual, rescheduled): a review card. */
		*after = *prev;
		after->state = FSRS_REVIEW;
		after->step = 0;
		if (in->ivl > 0) {
			after->scheduled_days = in->ivl;
			after->due = t + (int64_t)in->ivl * DAY_SECS;
		}
	} else {
		*after = *prev;
		if (in->ivl > 0) {
			after->state = FSRS_REVIEW;
			after->step = 0;
			after->scheduled_days = in->ivl;
			after->due = t + (int64_t)in->ivl * DAY_SECS;
		} else {
			int learning = prev->state == FSRS_NEW ||
			    prev->state == FSRS_LEARNING;
			int state = in->type == ANKI_REVLOG_LEARN ||
			    (in->type == ANKI_REVLOG_FILTERED && learning) ?
			    FSRS_LEARNING : FSRS_RELEARNING;

			/* The step: back to the first on Again, on by one
			 * while it stays in the same steps (the log does not
			 * say which step a delay was). */
			after->step = in->ease == 1 || prev->state != state ?
			    0 : prev->step + 1;
			after->state = state;
			after->scheduled_days = -in->ivl / DAY_SECS;
			after->due = t - in->ivl;
		}
		if (prev->state == FSRS_REVIEW && in->ease == 1)
			after->lapses++;
		after->reps++;
		/* lemma's elapsed days: study days since the last review.
		 * The local time is the cost of a row: the last review's day
		 * is kept from the row before. */
		day = day_number((time_t)t, s->x->rollover_hour);
		if (prev->last_review != 0) {
			if (s->last_day_of != prev->last_review) {
				s->last_day = day_number((time_t)
				    prev->last_review, s->x->rollover_hour);
				s->last_day_of = prev->last_review;
			}
			if (day > s->last_day)
				out->elapsed_days = (double)(day - s->last_day);
		}
		after->last_review = t;
		s->last_day_of = t;
		s->last_day = day;
		if (applied && s->ms.has) {
			after->stability = s->ms.m.s;
			after->difficulty = s->ms.m.d;
		}
		/* An FSRS row keeps the difficulty Anki had (its factor is
		 * the shifted difficulty). */
		if (in->factor >= 100 && in->factor <= 1100)
			after->difficulty = (in->factor / 1000.0 - 0.1) * 9.0 +
			    1.0;
	}
	out->scheduled_days = after->state == FSRS_REVIEW ?
	    (double)after->scheduled_days : in->ivl < 0 ?
	    -in->ivl / (double)DAY_SECS : 0;
	s->card = *after;
	s->nrows++;
	return 0;
}

int
anki_sched_stream_finish(const struct anki_sched_stream *s,
    struct anki_sched_card *c)
{
	struct fsrs_memory m;

	/* Anki, without "lrt", takes the card's last grade from its log. */
	if ((c->last_review_guessed || c->f.last_review == 0) &&
	    s->last_grade != 0 && c->f.state != FSRS_NEW) {
		c->f.last_review = s->last_grade;
		c->last_review_guessed = 0;
	}
	if (!c->needs_memory || !fsrs_memstate_result(&s->ms,
	    c->f.state == FSRS_NEW, c->f.state == FSRS_REVIEW ||
	    c->f.state == FSRS_RELEARNING ? c->f.scheduled_days : 0,
	    c->factor, &m))
		return 0;
	c->f.stability = m.s;
	c->f.difficulty = m.d;
	c->needs_memory = 0;
	return 1;
}

void
anki_sched_revlog_out(const struct db_study_revlog *in, struct anki_revlog *out)
{
	const struct fsrs_card *a = &in->after, *p = &in->prev;
	int64_t t = in->id / 1000;
	double d;

	out->id = in->id;
	out->cid = in->card_id;
	out->ease = in->rating;
	out->type = in->kind;
	out->time = in->answer_ms;
	/* The row's scheduled_days is the review interval (the revlog table
	 * keeps no after.scheduled_days). */
	if (a->state == FSRS_REVIEW)
		out->ivl = (int)lround(in->scheduled_days);
	else if (a->state == FSRS_NEW)
		out->ivl = 0;
	else
		out->ivl = -(int)(a->due > t ? a->due - t : 0);
	if (p->state == FSRS_REVIEW)
		out->last_ivl = p->scheduled_days;
	else if (p->state == FSRS_NEW || p->last_review == 0)
		out->last_ivl = 0;
	else
		out->last_ivl = -(int)(p->due > p->last_review ?
		    p->due - p->last_review : 0);
	/* Anki tells a reset and a cram by factor 0; any other row has a
	 * factor: FSRS's shifted difficulty. */
	if ((in->kind == 4 && a->state == FSRS_NEW) || (in->kind == 3 &&
	    a->due == p->due && a->stability == p->stability))
		out->factor = 0;
	else {
		d = a->difficulty >= 1 ? a->difficulty : p->difficulty;
		out->factor = d >= 1 ? (int)lround(((d - 1.0) / 9.0 + 0.1) *
		    1000.0) : 2500;
	}
}

/* lemma's gather orders by Anki's numbers (see anki-sched.h). */
static const int gather_by_anki[] = {
	0,	/* deck */
	2,	/* lowest position: lemma's ascending */
	3,	/* highest position: descending */
	4,	/* random notes */
	5,	/* random cards */
	1,	/* deck, then random notes */
};
#define NGATHER	((int)(sizeof gather_by_anki / sizeof gather_by_anki[0]))

int
anki_sched_gather_in(int anki_priority)
{
	return anki_priority >= 0 && anki_priority < NGATHER ?
	    gather_by_anki[anki_priority] : 0;
}

int
anki_sched_gather_out(int lemma_order)
{
	for (int i = 0; i < NGATHER; i++)
		if (gather_by_anki[i] == lemma_order)
			return i;
	return 0;
}
