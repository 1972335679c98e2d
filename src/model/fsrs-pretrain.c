/*
 * fsrs-pretrain.c - the optimizer's first stage, as fsrs-rs 6.5.0
 * (dataset.rs, parameter_initialization.rs): the outlier filter and the
 * pre-training of the four initial stabilities. See fsrs-pretrain.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs-pretrain.h"
#include "lemma/model/fsrs.h"

#define INIT_S_MAX	100.0

/* fsrs-rs's default S0 per first rating, as its f32 values. */
static const float s0_default[4] = { 0.212f, 1.2931f, 2.3065f, 8.2956f };

/* ---- the outlier filter (dataset.rs compute_outlier_analysis) ---------- */

struct first {			/* a card's first long-term review */
	uint32_t dt;
	uint32_t card;
	uint8_t	 r0;		/* the card's first rating */
	uint8_t	 pass;
};

struct group {			/* the cards sharing (r0, dt) */
	size_t	 start, count, passes;
	uint32_t dt;
	uint8_t	 r0;
	uint8_t	 removed;
};

struct outliers {
	struct first	*firsts;
	size_t		 nfirsts;
	struct group	*groups;
	size_t		 ngroups;
};

static int
first_cmp(const void *a, const void *b)
{
	const struct first *x = a, *y = b;

	if (x->r0 != y->r0)
		return x->r0 - y->r0;
	if (x->dt != y->dt)
		return x->dt < y->dt ? -1 : 1;
	return x->card < y->card ? -1 : x->card > y->card;
}

/* Ascending size, then ascending delta_t: fsrs-rs sorts descending by both
 * and walks the list backwards. */
static int
group_size_cmp(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a;
	const struct group *y = *(struct group *const *)b;

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return x->dt < y->dt ? -1 : x->dt > y->dt;
}

static void
outliers_find(const struct fsrs_data *d, size_t upto, struct outliers *o)
{
	struct group **order;
	size_t cap = 0;

	memset(o, 0, sizeof *o);
	o->firsts = xreallocarray(NULL, d->ncards ? d->ncards : 1,
	    sizeof *o->firsts);
	for (size_t c = 0; c < d->ncards; c++) {
		size_t j = fsrs_data_first_target(d, c);

		if (d->rank[j] >= upto)
			continue;
		o->firsts[o->nfirsts].dt = d->delta_t[j];
		o->firsts[o->nfirsts].card = (uint32_t)c;
		o->firsts[o->nfirsts].r0 = d->rating[d->card_start[c]];
		o->firsts[o->nfirsts].pass = d->rating[j] > 1;
		o->nfirsts++;
	}
	qsort(o->firsts, o->nfirsts, sizeof *o->firsts, first_cmp);
	for (size_t i = 0; i < o->nfirsts; i++) {
		struct first *f = &o->firsts[i];
		struct group *g = o->ngroups ? &o->groups[o->ngroups - 1] : NULL;

		if (g == NULL || g->r0 != f->r0 || g->dt != f->dt) {
			VEC_RESERVE(o->groups, cap, o->ngroups + 1, 64);
			g = &o->groups[o->ngroups++];
			memset(g, 0, sizeof *g);
			g->start = i;
			g->r0 = f->r0;
			g->dt = f->dt;
		}
		g->count++;
		g->passes += f->pass;
	}
	order = xreallocarray(NULL, o->ngroups ? o->ngroups : 1, sizeof *order);
	for (size_t a = 0; a < o->ngroups;) {
		size_t b = a, n = 0, total = 0, removed = 0, need;

		while (b < o->ngroups && o->groups[b].r0 == o->groups[a].r0) {
			order[n++] = &o->groups[b];
			total += o->groups[b].count;
			b++;
		}
		qsort(order, n, sizeof *order, group_size_cmp);
		/* Drop the smallest groups, 5% of the rating's items (20 at
		 * least); of the rest keep those of 6 items or more and
		 * delta_t at most 100 days (365 after a first Easy). */
		need = total / 20 > 20 ? total / 20 : 20;
		for (size_t k = 0; k < n; k++) {
			struct group *g = order[k];

			if (removed + g->count >= need)
				g->removed = !(g->count >= 6 &&
				    g->dt <= (g->r0 != 4 ? 100u : 365u));
			else {
				removed += g->count;
				g->removed = 1;
			}
		}
		a = b;
	}
	free(order);
}

static void
outliers_free(struct outliers *o)
{
	free(o->firsts);
	free(o->groups);
}

/* keep[c] from the groups; the number of items kept. */
static size_t
outliers_keep(const struct fsrs_data *d, size_t upto,
    const struct outliers *o, unsigned char *keep)
{
	size_t items = 0;

	memset(keep, 0, d->ncards);
	for (size_t g = 0; g < o->ngroups; g++)
		if (!o->groups[g].removed)
			for (size_t i = 0; i < o->groups[g].count; i++)
				keep[o->firsts[o->groups[g].start + i].card] = 1;
	for (size_t c = 0; c < d->ncards; c++)
		if (keep[c])
			for (size_t j = d->card_start[c];
			    j < d->card_start[c + 1]; j++)
				items += d->rank[j] != FSRS_NO_RANK &&
				    d->rank[j] < upto;
	return items;
}

size_t
fsrs_outlier_filter(const struct fsrs_data *d, size_t upto,
    unsigned char *keep)
{
	struct outliers o;
	size_t n;

	outliers_find(d, upto, &o);
	n = outliers_keep(d, upto, &o, keep);
	outliers_free(&o);
	return n;
}

/* ---- pre-training (parameter_initialization.rs) ------------------------ */

/* The count-weighted log loss of R(t, s) under the default decay against
 * the groups' smoothed recall, plus an L1 pull toward the default. */
static double
init_loss(const struct group *const *gs, const double *recall, size_t n,
    double s, double default_s0)
{
	/* fsrs-rs uses the f32 default decay here. */
	double decay = -(double)(float)0.1542;
	double factor = pow(0.9, 1.0 / decay) - 1.0, loss = 0;

	for (size_t i = 0; i < n; i++) {
		double p = pow(gs[i]->dt / s * factor + 1.0, decay);

		loss += -(recall[i] * log(p) + (1.0 - recall[i]) *
		    log(1.0 - p)) * (double)gs[i]->count;
	}
	return loss + fabs(s - default_s0) / 16.0;
}

/* smooth_and_fill: make S0 non-decreasing in the rating (the rating with
 * more data wins) and fill the missing ratings by fsrs-rs's geometric
 * interpolation. have[r] says which of s[r] (r = 0..3) are known. */
int
fsrs_smooth_and_fill(double *s, const int *have, const size_t *count)
{
	static const int pairs[6][2] = {
		{ 0, 1 }, { 1, 2 }, { 2, 3 }, { 0, 2 }, { 1, 3 }, { 0, 3 },
	};
	const double w1 = 0.41, w2 = 0.54;
	double r1 = s[0], r2 = s[1], r3 = s[2], r4 = s[3];
	int n = 0, h1 = have[0], h2 = have[1], h3 = have[2], h4 = have[3];

	for (int i = 0; i < 6; i++) {
		int a = pairs[i][0], b = pairs[i][1];

		if (have[a] && have[b] && s[a] > s[b]) {
			if (count[a] > count[b])
				s[b] = s[a];
			else
				s[a] = s[b];
		}
	}
	r1 = s[0], r2 = s[1], r3 = s[2], r4 = s[3];
	n = h1 + h2 + h3 + h4;
	if (n == 0)
		return 0;
	if (n == 1) {
		int k = h1 ? 0 : h2 ? 1 : h3 ? 2 : 3;
		double f = s[k] / (double)s0_default[k];

		for (int i = 0; i < 4; i++)
			s[i] = (double)s0_default[i] * f;
	} else if (n == 2) {
		if (h3 && h4) {
			r2 = pow(r3, 1.0 / (1.0 - w2)) * pow(r4, 1.0 - 1.0 /
			    (1.0 - w2));
			r1 = pow(r2, 1.0 / w1) * pow(r3, 1.0 - 1.0 / w1);
		} else if (h2 && h4) {
			r3 = pow(r2, 1.0 - w2) * pow(r4, w2);
			r1 = pow(r2, 1.0 / w1) * pow(r3, 1.0 - 1.0 / w1);
		} else if (h2 && h3) {
			r4 = pow(r2, 1.0 - 1.0 / w2) * pow(r3, 1.0 / w2);
			r1 = pow(r2, 1.0 / w1) * pow(r3, 1.0 - 1.0 / w1);
		} else if (h1 && h4) {
			double k = w1 / (w1 + w2 - w1 * w2);
			double k2 = w2 / (w1 + w2 - w1 * w2);

			r2 = pow(r1, k) * pow(r4, 1.0 - k);
			r3 = pow(r1, 1.0 - k2) * pow(r4, k2);
		} else if (h1 && h3) {
			r2 = pow(r1, w1) * pow(r3, 1.0 - w1);
			r4 = pow(r2, 1.0 - 1.0 / w2) * pow(r3, 1.0 / w2);
		} else {	/* 1 and 2 */
			r3 = pow(r1, 1.0 - 1.0 / (1.0 - w1)) * pow(r2, 1.0 /
			    (1.0 - w1));
			r4 = pow(r2, 1.0 - 1.0 / w2) * pow(r3, 1.0 / w2);
		}
		s[0] = r1, s[1] = r2, s[2] = r3, s[3] = r4;
	} else if (n == 3) {
		if (!h1)
			s[0] = pow(r2, 1.0 / w1) * pow(r3, 1.0 - 1.0 / w1);
		else if (!h2)
			s[1] = pow(r1, w1) * pow(r3, 1.0 - w1);
		else if (!h3)
			s[2] = pow(r2, 1.0 - w2) * pow(r4, w2);
		else
			s[3] = pow(r2, 1.0 - 1.0 / w2) * pow(r3, 1.0 / w2);
	}
	for (int i = 0; i < 4; i++)
		s[i] = fmin(fmax(s[i], FSRS_S_MIN), INIT_S_MAX);
	return n;
}

/* The ternary search per first rating over the kept groups; s0[r] and
 * have[r], count[r] for smoothing. */
static void
pretrain_search(const struct outliers *o, double avg_recall, double *s0,
    int *have, size_t *count)
{
	const struct group **gs;
	double *recall;

	gs = xreallocarray(NULL, o->ngroups ? o->ngroups : 1, sizeof *gs);
	recall = xreallocarray(NULL, o->ngroups ? o->ngroups : 1,
	    sizeof *recall);
	for (int r = 0; r < 4; r++) {
		double lo = FSRS_S_MIN, hi = INIT_S_MAX;
		double def = (double)s0_default[r], best = def;
		size_t n = 0;

		have[r] = 0;
		count[r] = 0;
		for (size_t g = 0; g < o->ngroups; g++) {
			const struct group *x = &o->groups[g];
			double real;

			if (x->removed || x->r0 != r + 1)
				continue;
			gs[n] = x;
			/* Laplace smoothing toward the average recall. */
			real = (double)x->passes / (double)x->count;
			recall[n] = (real * (double)x->count + avg_recall) /
			    ((double)x->count + 1.0);
			count[r] += x->count;
			n++;
		}
		if (n == 0)
			continue;
		for (int it = 0; hi - lo > 2.220446049250313e-16 && it < 1000;
		    it++) {
			double m1 = lo + (hi - lo) / 3.0;
			double m2 = hi - (hi - lo) / 3.0;

			if (init_loss(gs, recall, n, m1, def) <
			    init_loss(gs, recall, n, m2, def))
				hi = m2;
			else
				lo = m1;
			best = (hi + lo) / 2.0;
		}
		s0[r] = best;
		have[r] = 1;
	}
	free(gs);
	free(recall);
}

int
fsrs_init_run(const struct fsrs_data *d, size_t upto, struct fsrs_init *out)
{
	struct outliers o;
	size_t pass = 0;

	memset(out, 0, sizeof *out);
	out->keep = xmalloc(d->ncards ? d->ncards : 1);
	outliers_find(d, upto, &o);
	out->items = outliers_keep(d, upto, &o, out->keep);
	for (size_t c = 0; c < d->ncards; c++)
		if (out->keep[c]) {
			out->cards++;
			for (size_t j = d->card_start[c];
			    j < d->card_start[c + 1]; j++)
				if (d->rank[j] < upto)
					pass += d->rating[j] > 1;
		}
	/* fsrs-rs computes the average recall in f32. */
	out->recall = out->items ? (double)(float)((double)pass /
	    (double)out->items) : 0.0;
	pretrain_search(&o, out->recall, out->s0, out->have, out->count);
	out->nratings = fsrs_smooth_and_fill(out->s0, out->have, out->count);
	outliers_free(&o);
	return out->nratings;
}

void
fsrs_init_free(struct fsrs_init *in)
{
	free(in->keep);
	in->keep = NULL;
}

int
fsrs_pretrain(const struct fsrs_data *d, size_t upto, double *w)
{
	struct fsrs_init in;
	int n = fsrs_init_run(d, upto, &in);

	if (n > 0)
		memcpy(w, in.s0, sizeof in.s0);
	fsrs_init_free(&in);
	return n;
}
