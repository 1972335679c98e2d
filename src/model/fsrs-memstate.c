/*
 * fsrs-memstate.c - a card's FSRS memory state from its review history, as
 * Anki's compute_memory_state (see fsrs-memstate.h), in one forward pass.
 */
#include <math.h>
#include <string.h>

#include "lemma/model/fsrs-memstate.h"

void
fsrs_memory_from_sm2(const struct fsrs_params *p, double ease, double ivl,
    double sm2_retention, struct fsrs_memory *out)
{
	const double *w = p->w;
	/* fsrs-rs takes the decay from w[20]: the interval at which SM-2
	 * kept sm2_retention becomes the stability at which FSRS keeps
	 * 0.9. */
	double decay = -w[20];
	double factor = pow(0.9, 1.0 / decay) - 1.0;
	double s = fmax(ivl, FSRS_S_MIN) * factor /
	    (pow(sm2_retention, 1.0 / decay) - 1.0);
	double d = 11.0 - (ease - 1.0) / (exp(w[8]) * pow(s, -w[9]) *
	    expm1((1.0 - sm2_retention) * w[10]));

	out->s = s;
	out->d = d < 1.0 ? 1.0 : d > 10.0 ? 10.0 : d;
}

void
fsrs_memstate_start(struct fsrs_memstate *s, const struct fsrs_params *p,
    int64_t next_day_at, double sm2_retention)
{
	memset(s, 0, sizeof *s);
	s->p = p;
	s->next_day_at = next_day_at;
	s->sm2_retention = sm2_retention;
}

/* The state from SM-2's ease and interval of the first graded interday
 * row of an incomplete history (fsrs_item_for_memory_state's FirstReview). */
static void
start_from_sm2(struct fsrs_memstate *s, const struct fsrs_memstate_row *r)
{
	double ease = (r->factor == 0 ? 2500 : r->factor) / 1000.0;

	fsrs_memory_from_sm2(s->p, ease, r->ivl > 1 ? r->ivl : 1,
	    s->sm2_retention, &s->m);
	/* With FSRS on, the factor column holds the shifted difficulty. */
	if (ease <= 1.1)
		s->m.d = (ease - 0.1) * 9.0 + 1.0;
}

int
fsrs_memstate_feed(struct fsrs_memstate *s, const struct fsrs_memstate_row *r)
{
	int graded = r->rating >= 1 && r->rating <= 4;
	int64_t days;

	/* A cram neither counts nor ends a run of learning grades. */
	if (r->kind == FSRS_LOG_CRAM)
		return 0;
	if (r->kind == FSRS_LOG_RESET) {
		/* Anki keeps nothing before a reset. */
		s->has = s->complete = s->in_learn = 0;
		s->m.s = s->m.d = 0;
		return 1;
	}
	days = fsrs_days_before(r->id, s->next_day_at);
	if (graded && r->kind == FSRS_LOG_LEARN) {
		if (!s->in_learn) {
			/* The first grade of a learning run: the history
			 * starts here, whatever came before (Anki's last
			 * run of learning grades, scanning back). */
			s->in_learn = s->has = s->complete = 1;
			s->m.s = s->m.d = 0;
			fsrs_memory_next(s->p, &s->m, 0, r->rating, &s->m);
			s->last_days = days;
			s->last_id = r->id;
			return 1;
		}
	} else
		s->in_learn = 0;
	if (!graded)
		return 0;	/* a manual row: no grade, no history */
	if (!s->has) {
		/* Only a grade that gave a day or more can stand for what
		 * SM-2 knew of the card. */
		if (!(r->ivl >= 1 || r->ivl <= -86400))
			return 0;
		start_from_sm2(s, r);
		s->has = 1;
		s->complete = 0;
		s->last_days = days;
		s->last_id = r->id;
		return 1;
	}
	{
		/* Anki subtracts u32s of days before next_day_at; a row
		 * earlier in time than the one before gives 0 here, as in
		 * fsrs_history_build. */
		int64_t dt = s->last_days > days ? s->last_days - days : 0;
		struct fsrs_memory next;

		fsrs_memory_next(s->p, &s->m, (double)dt, r->rating, &next);
		s->m = next;
	}
	s->last_days = days;
	s->last_id = r->id;
	return 1;
}

int
fsrs_memstate_result(const struct fsrs_memstate *s, int card_is_new,
    int card_ivl, int card_factor, struct fsrs_memory *out)
{
	if (s->has) {
		*out = s->m;
		return 1;
	}
	/* Card::set_memory_state: no history, so SM-2's ease and interval
	 * of the card itself, unless it was never given an interval. */
	if (card_is_new || card_ivl <= 0)
		return 0;
	fsrs_memory_from_sm2(s->p, card_factor / 1000.0, card_ivl,
	    s->sm2_retention, out);
	return 1;
}
