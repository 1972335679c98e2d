/*
 * fsrs-data.c - review-log rows to FSRS histories (Anki's reviews_for_fsrs)
 * and the compact store of many cards' histories. See fsrs-data.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs-data.h"

/* Anki: RevlogEntry::days_elapsed, whole days from the row to the start
 * of the next study day, never negative. */
int64_t
fsrs_days_before(int64_t id_ms, int64_t next_day_at)
{
	/* TimestampMillis::as_secs and Rust's "/" both truncate. */
	int64_t secs = id_ms / 1000;
	int64_t days = (next_day_at - secs) / 86400;

	return days > 0 ? days : 0;
}

size_t
fsrs_history_build(const struct fsrs_log_row *rows, size_t n,
    int64_t next_day_at, struct fsrs_review *out)
{
	size_t first_learn = SIZE_MAX, k = 0;
	int64_t prev_days = 0;

	/*
	 * Working back from the latest row: the first grade of the last run
	 * of learning grades is where the history starts. A reset before it
	 * ends the search; a reset with no learning after it means the card
	 * has not been learnt since (Anki: None while training).
	 */
	for (size_t i = n; i-- > 0;) {
		const struct fsrs_log_row *r = &rows[i];

		if (r->kind == FSRS_LOG_CRAM)
			continue;
		if (r->rating > 0 && r->kind == FSRS_LOG_LEARN)
			first_learn = i;
		else if (r->kind == FSRS_LOG_RESET) {
			if (first_learn != SIZE_MAX)
				break;
			return 0;
		} else if (first_learn != SIZE_MAX)
			break;
	}
	if (first_learn == SIZE_MAX)
		return 0;	/* training skips cards never seen learning */
	for (size_t i = first_learn; i < n; i++) {
		const struct fsrs_log_row *r = &rows[i];
		int64_t days;

		/* has_rating_and_affects_scheduling(): manual and reset rows
		 * have no grade; cram rows did not reschedule. */
		if (r->rating < 1 || r->rating > 4 || r->kind == FSRS_LOG_CRAM ||
		    r->kind == FSRS_LOG_MANUAL || r->kind == FSRS_LOG_RESET)
			continue;
		days = fsrs_days_before(r->id, next_day_at);
		out[k].id = r->id;
		out[k].rating = (uint8_t)r->rating;
		/* Anki subtracts u32s; a row later in the log but earlier in
		 * time (a clock set back) would underflow there: 0 here. */
		out[k].delta_t = k == 0 || prev_days < days ? 0 :
		    (uint32_t)(prev_days - days);
		prev_days = days;
		k++;
	}
	return k;
}

void
fsrs_data_init(struct fsrs_data *d)
{
	memset(d, 0, sizeof *d);
}

void
fsrs_data_free(struct fsrs_data *d)
{
	free(d->card_start);
	free(d->rating);
	free(d->delta_t);
	free(d->rank);
	free(d->id);
	fsrs_data_init(d);
}

void
fsrs_data_reserve(struct fsrs_data *d, size_t ncards, size_t nrev)
{
	size_t cap = d->cap_rev;

	VEC_RESERVE(d->card_start, d->cap_cards, ncards + 1, ncards + 1);
	VEC_RESERVE(d->rating, cap, nrev, nrev);
	cap = d->cap_rev;
	VEC_RESERVE(d->delta_t, cap, nrev, nrev);
	cap = d->cap_rev;
	VEC_RESERVE(d->rank, cap, nrev, nrev);
	VEC_RESERVE(d->id, d->cap_rev, nrev, nrev);
}

size_t
fsrs_data_add(struct fsrs_data *d, const struct fsrs_review *h, size_t n)
{
	size_t last = 0, items = 0, cap;

	for (size_t i = 0; i < n; i++)
		if (FSRS_IS_TARGET(i, h[i].delta_t)) {
			last = i;
			items++;
		}
	if (items == 0)
		return 0;
	n = last + 1;	/* the same-day reviews after the last target
			 * predict nothing */
	if (d->ncards == 0) {
		VEC_RESERVE(d->card_start, d->cap_cards, 2, 1024);
		d->card_start[0] = 0;
	}
	VEC_RESERVE(d->card_start, d->cap_cards, d->ncards + 2, 1024);
	cap = d->cap_rev;
	VEC_RESERVE(d->rating, cap, d->nrev + n, 8192);
	cap = d->cap_rev;
	VEC_RESERVE(d->delta_t, cap, d->nrev + n, 8192);
	cap = d->cap_rev;
	VEC_RESERVE(d->rank, cap, d->nrev + n, 8192);
	VEC_RESERVE(d->id, d->cap_rev, d->nrev + n, 8192);
	for (size_t i = 0; i < n; i++) {
		size_t j = d->nrev + i;

		d->rating[j] = h[i].rating;
		d->delta_t[j] = h[i].delta_t;
		d->rank[j] = FSRS_IS_TARGET(i, h[i].delta_t) ? 0 : FSRS_NO_RANK;
		d->id[j] = h[i].id;
	}
	d->nrev += n;
	d->nitems += items;
	d->ncards++;
	d->card_start[d->ncards] = (uint32_t)d->nrev;
	return items;
}

struct id_pos {
	int64_t	 id;
	uint32_t pos;
};

static int
id_pos_cmp(const void *a, const void *b)
{
	const struct id_pos *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
fsrs_data_finish(struct fsrs_data *d)
{
	struct id_pos *v;
	size_t k = 0;

	if (d->id == NULL)
		return;
	v = xreallocarray(NULL, d->nitems ? d->nitems : 1, sizeof *v);
	for (size_t j = 0; j < d->nrev; j++)
		if (d->rank[j] != FSRS_NO_RANK) {
			v[k].id = d->id[j];
			v[k].pos = (uint32_t)j;
			k++;
		}
	free(d->id);	/* v holds them now */
	d->id = NULL;
	/* Ties (equal ids cannot come from one log) keep the card order. */
	qsort(v, k, sizeof *v, id_pos_cmp);
	for (size_t i = 0; i < k; i++)
		d->rank[v[i].pos] = (uint32_t)i;
	free(v);
}

size_t
fsrs_data_first_target(const struct fsrs_data *d, size_t c)
{
	for (size_t j = d->card_start[c]; j < d->card_start[c + 1]; j++)
		if (d->rank[j] != FSRS_NO_RANK)
			return j;
	return d->card_start[c];	/* not reached: a card has a target */
}

size_t
fsrs_data_card_end(const struct fsrs_data *d, size_t c, size_t upto)
{
	for (size_t j = d->card_start[c + 1]; j-- > d->card_start[c];)
		if (d->rank[j] != FSRS_NO_RANK && d->rank[j] < upto)
			return j + 1;
	return d->card_start[c];
}

double
fsrs_data_recall(const struct fsrs_data *d, size_t upto)
{
	size_t n = 0, pass = 0;

	for (size_t j = 0; j < d->nrev; j++)
		if (d->rank[j] != FSRS_NO_RANK && d->rank[j] < upto) {
			n++;
			pass += d->rating[j] > 1;
		}
	return n ? (double)pass / (double)n : 0.0;
}

uint64_t
fsrs_rmse_bin(uint32_t delta_t, unsigned lt_before, unsigned lapses)
{
	double dt = delta_t, len = (double)lt_before + 2.0;
	uint64_t dt_bin, len_bin, lapse_bin = 0;

	/* fsrs-rs: (2.48 * 3.62^floor(log_3.62(dt)) * 100).round() etc.;
	 * the length counts the target too, plus one. */
	dt_bin = (uint64_t)llround(2.48 * pow(3.62,
	    floor(log(dt) / log(3.62))) * 100.0);
	len_bin = (uint64_t)llround(1.99 * pow(1.89,
	    floor(log(len) / log(1.89))));
	if (lapses > 0)
		lapse_bin = (uint64_t)llround(1.65 * pow(1.73,
		    floor(log((double)lapses) / log(1.73))));
	return dt_bin << 24 | (len_bin & 0xfff) << 12 | (lapse_bin & 0xfff);
}
