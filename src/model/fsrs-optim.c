/*
 * fsrs-optim.c - fitting FSRS-6 parameters as fsrs-rs 6.5.0 does
 * (training.rs, dataset.rs, parameter_initialization.rs,
 * parameter_clipper.rs, inference.rs), on fsrs-data's compact cards. See
 * fsrs-optim.h.
 *
 * Batches are whole cards (as fsrs-rs's "windowed" batches when Anki
 * passes card ids), at most batch_size predictions each, so one forward
 * and one backward pass per card serve all its items; unlike fsrs-rs, the
 * cards are dealt out afresh each epoch (see train_run).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs-grad.h"
#include "lemma/model/fsrs-optim.h"

/* fsrs-rs's DEFAULT_PARAMETERS (f32 there). */
const double fsrs_optim_defaults[FSRS_NPARAMS] = {
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722,
	0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425,
	0.0912, 0.0658, 0.1542,
};

/* training.rs PARAMS_STDDEV: the L2 pull's scale per parameter. */
static const double params_stddev[FSRS_NPARAMS] = {
	6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3,
	0.09, 0.16, 0.57, 0.25, 1.03, 0.31, 0.32, 0.14, 0.27,
};

#define INIT_S_MAX	100.0

void
fsrs_train_config_default(struct fsrs_train_config *c)
{
	c->epochs = 5;
	c->batch_size = 512;
	c->seed = 2023;
	c->learning_rate = 0.04;
	c->max_seq_len = 256;
	c->gamma = 1.0;
	c->short_term = 1;
	c->relearning_steps = 1;
	c->threads = 2;
}

void
fsrs_optim_clip(double *w, int relearning_steps, int short_term)
{
	static const double lo[FSRS_NPARAMS] = {
		FSRS_S_MIN, FSRS_S_MIN, FSRS_S_MIN, FSRS_S_MIN, 1, 0.001,
		0.001, 0.001, 0, 0, 0.001, 0.001, 0.001, 0.001, 0, 0, 1, 0, 0,
		0, 0.1,
	};
	static const double hi[FSRS_NPARAMS] = {
		INIT_S_MAX, INIT_S_MAX, INIT_S_MAX, INIT_S_MAX, 10, 4, 4, 0.75,
		4.5, 0.8, 3.5, 5, 0.25, 0.9, 4, 1, 6, 0, 0, 0.8, 0.8,
	};
	/* w17 * w18 is capped so that the relearning steps cannot raise
	 * post-lapse stability above what it was (parameter_clipper.rs). */
	double ceiling = 2.0;

	if (relearning_steps > 1) {
		double v = -(log(w[11]) + log(pow(2.0, w[13]) - 1.0) +
		    w[14] * 0.3) / relearning_steps;

		ceiling = fmin(sqrt(fmax(v, 0.01)), 2.0);
	}
	for (int i = 0; i < FSRS_NPARAMS; i++) {
		double l = lo[i], h = hi[i];

		if (i == 17 || i == 18)
			h = ceiling;
		if (i == 19)
			l = short_term ? 0.01 : 0.0;
		if (!(w[i] >= l))	/* NaN too */
			w[i] = l;
		if (w[i] > h)
			w[i] = h;
	}
}

/* ---- walking the cards ------------------------------------------------- */

/* Review a of card c is its first; its first target and the end of its
 * history up to the items ranked below upto (0 when it has none). */
static size_t
card_first_target(const struct fsrs_data *d, size_t c)
{
	for (size_t j = d->card_start[c]; j < d->card_start[c + 1]; j++)
		if (d->rank[j] != FSRS_NO_RANK)
			return j;
	return d->card_start[c];	/* not reached: a card has a target */
}

static size_t
card_end(const struct fsrs_data *d, size_t c, size_t upto)
{
	for (size_t j = d->card_start[c + 1]; j-- > d->card_start[c];)
		if (d->rank[j] != FSRS_NO_RANK && d->rank[j] < upto)
			return j + 1;
	return d->card_start[c];
}

double
fsrs_average_recall(const struct fsrs_data *d, size_t upto)
{
	size_t n = 0, pass = 0;

	for (size_t j = 0; j < d->nrev; j++)
		if (d->rank[j] != FSRS_NO_RANK && d->rank[j] < upto) {
			n++;
			pass += d->rating[j] > 1;
		}
	return n ? (double)pass / (double)n : 0.0;
}

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
		size_t j = card_first_target(d, c);

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
static int
smooth_and_fill(double *s, const int *have, const size_t *count)
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
		double f = s[k] / (double)(float)fsrs_optim_defaults[k];

		for (int i = 0; i < 4; i++)
			s[i] = (double)(float)fsrs_optim_defaults[i] * f;
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
		double def = (double)(float)fsrs_optim_defaults[r], best = def;
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
fsrs_pretrain(const struct fsrs_data *d, size_t upto, double *w)
{
	struct outliers o;
	unsigned char *keep = xmalloc(d->ncards ? d->ncards : 1);
	double s0[4] = { 0 }, recall;
	size_t count[4];
	int have[4], n;

	outliers_find(d, upto, &o);
	outliers_keep(d, upto, &o, keep);
	recall = 0;
	{
		size_t items = 0, pass = 0;

		for (size_t c = 0; c < d->ncards; c++)
			if (keep[c])
				for (size_t j = d->card_start[c];
				    j < d->card_start[c + 1]; j++)
					if (d->rank[j] < upto) {
						items++;
						pass += d->rating[j] > 1;
					}
		recall = items ? (double)pass / (double)items : 0;
	}
	/* fsrs-rs computes it in f32. */
	recall = (double)(float)recall;
	pretrain_search(&o, recall, s0, have, count);
	n = smooth_and_fill(s0, have, count);
	if (n > 0)
		memcpy(w, s0, sizeof s0);
	outliers_free(&o);
	free(keep);
	return n;
}

/* ---- training ----------------------------------------------------------- */

struct tcard {			/* a card as training sees it */
	uint32_t start, len;	/* reviews start .. start + len - 1 */
	uint32_t items;		/* its targets with a weight */
};

static int
tcard_len_cmp(const void *a, const void *b)
{
	const struct tcard *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The summed loss (and with grad, its gradient) of cards[0..n). */
static double
cards_loss(const struct fsrs_data *d, const float *wt,
    const struct tcard *cards, size_t n, const double *w, double *grad)
{
	double loss = 0;

	if (grad != NULL)
		memset(grad, 0, FSRS_NPARAMS * sizeof *grad);
	for (size_t i = 0; i < n; i++) {
		const struct tcard *t = &cards[i];
		struct fsrs_card_seq seq;

		/* The cards come in random order: ask for the one after
		 * next while this one is worked on (a fifth of the time
		 * went to waiting for memory). */
		if (i + 2 < n) {
			uint32_t a = cards[i + 2].start;

			__builtin_prefetch(d->rating + a);
			__builtin_prefetch(d->delta_t + a);
			__builtin_prefetch(wt + a);
		}
		seq.rating = d->rating + t->start;
		seq.delta_t = d->delta_t + t->start;
		seq.weight = wt + t->start;
		seq.n = t->len;
		loss += fsrs_card_loss(w, &seq, grad);
	}
	return loss;
}

/*
 * The loss of an epoch's parameters over the whole training set, which
 * picks the best epoch. With two threads it runs beside the next epoch's
 * training (its own copy of the parameters and a fixed card order), so
 * the result is the same bit for bit either way. A thread per epoch, not
 * a batch: a wait per batch cost more than it saved on a busy machine.
 */
struct valid {
	const struct fsrs_data	*d;
	const float		*wt;
	const struct tcard	*cards;
	size_t			 n;
	double			 w[FSRS_NPARAMS];
	double			 loss;
	pthread_t		 th;
	int			 running;
};

static void *
valid_main(void *arg)
{
	struct valid *v = arg;

	v->loss = cards_loss(v->d, v->wt, v->cards, v->n, v->w, NULL);
	return NULL;
}

static double
l2_penalty(const double *w, const double *w0, size_t batch, size_t total,
    double gamma)
{
	double sum = 0;

	for (int i = 0; i < FSRS_NPARAMS; i++) {
		double delta = w[i] - w0[i];

		sum += delta * delta / (params_stddev[i] * params_stddev[i]);
	}
	return sum * gamma * (double)batch / (double)total;
}

/* splitmix64: the shuffle's generator (any fixed one keeps runs equal). */
static uint64_t
rng_next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* CosineAnnealingLR::step, as fsrs-rs writes it (recursive form). */
struct cosine {
	double	 t_max, init_lr, step, lr;
};

static double
cosine_step(struct cosine *c)
{
	c->step += 1.0;
	if (c->step == 0.0)
		c->lr = c->init_lr;
	else if (fmod(c->step - 1.0 - c->t_max, 2.0 * c->t_max) == 0.0)
		c->lr = c->init_lr * (1.0 - cos(M_PI / c->t_max)) / 2.0;
	else
		c->lr = (1.0 + cos(M_PI * c->step / c->t_max)) /
		    (1.0 + cos(M_PI * (c->step - 1.0) / c->t_max)) * c->lr;
	return c->lr;
}

struct train {
	const struct fsrs_data		*d;
	const struct fsrs_train_config	*c;
	float				*wt;
	struct tcard			*cards;
	struct tcard			*vcards;	/* fixed order */
	size_t				 ncards;
	size_t				*batch_start;	/* nbatches + 1 */
	size_t				*batch_items;
	size_t				 nbatches;
	size_t				 total;		/* weighted items */
};

/* Cut the cards, in their order, into batches of at most batch_size
 * predictions (a card with more makes a batch alone). */
static void
train_pack(struct train *t)
{
	size_t k = 0;

	for (size_t i = 0; i < t->ncards; i++) {
		size_t ni = t->cards[i].items;

		if (i == 0 || t->batch_items[k - 1] + ni >
		    (size_t)t->c->batch_size) {
			t->batch_start[k] = i;
			t->batch_items[k] = 0;
			k++;
		}
		t->batch_items[k - 1] += ni;
	}
	t->nbatches = k;
	t->batch_start[k] = t->ncards;
}

/* Weights and cards for the kept cards' items ranked below upto. */
static void
train_setup(struct train *t, const unsigned char *keep, size_t upto,
    size_t ntrain)
{
	const struct fsrs_data *d = t->d;
	uint32_t *index;
	size_t k = 0;
	float length = ntrain > 1 ? (float)(ntrain - 1) : 1.0f;

	/* The recency weight of an item is by its place among the training
	 * items in time order (recency_weighted_fsrs_items). */
	index = xcalloc(upto ? upto : 1, sizeof *index);
	for (size_t c = 0; c < d->ncards; c++)
		if (keep[c])
			for (size_t j = d->card_start[c];
			    j < d->card_start[c + 1]; j++)
				if (d->rank[j] < upto)
					index[d->rank[j]] = 1;
	for (size_t r = 0; r < upto; r++)
		if (index[r])
			index[r] = (uint32_t)k++;
		else
			index[r] = UINT32_MAX;
	t->wt = xcalloc(d->nrev ? d->nrev : 1, sizeof *t->wt);
	t->cards = xreallocarray(NULL, d->ncards ? d->ncards : 1,
	    sizeof *t->cards);
	t->ncards = 0;
	t->total = 0;
	for (size_t c = 0; c < d->ncards; c++) {
		size_t a = d->card_start[c], end = a, n = 0;

		if (!keep[c])
			continue;
		for (size_t j = a; j < d->card_start[c + 1]; j++) {
			float x;

			if (d->rank[j] >= upto)
				continue;
			/* Items longer than max_seq_len are dropped after
			 * weighting, as fsrs-rs retains them. */
			if (j - a + 1 > (size_t)t->c->max_seq_len ||
			    j - a + 1 > FSRS_GRAD_MAX_LEN)
				continue;
			x = (float)index[d->rank[j]] / length;
			t->wt[j] = 0.25f + 0.75f * x * x * x;
			end = j + 1;
			n++;
		}
		if (n == 0)
			continue;
		t->cards[t->ncards].start = (uint32_t)a;
		t->cards[t->ncards].len = (uint32_t)(end - a);
		t->cards[t->ncards].items = (uint32_t)n;
		t->ncards++;
		t->total += n;
	}
	free(index);
	/* Shortest cards first, then batches of at most batch_size
	 * predictions (a longer card makes a batch alone). */
	qsort(t->cards, t->ncards, sizeof *t->cards, tcard_len_cmp);
	t->vcards = xreallocarray(NULL, t->ncards ? t->ncards : 1,
	    sizeof *t->vcards);
	memcpy(t->vcards, t->cards, t->ncards * sizeof *t->cards);
	t->batch_start = xcalloc(t->ncards + 1, sizeof *t->batch_start);
	t->batch_items = xcalloc(t->ncards + 1, sizeof *t->batch_items);
	train_pack(t);
}

static void
train_free(struct train *t)
{
	free(t->wt);
	free(t->cards);
	free(t->vcards);
	free(t->batch_start);
	free(t->batch_items);
}

/* The validation of epoch e ends: keep its parameters if best. */
static void
valid_finish(struct valid *v, const struct train *t, const double *w0,
    int epoch, double *best_loss, double *best, struct fsrs_fit_info *info)
{
	double loss;

	if (v->running) {
		pthread_join(v->th, NULL);
		v->running = 0;
	}
	/* The batches' L2 terms add up to one of the whole set. */
	loss = (v->loss + l2_penalty(v->w, w0, t->total, t->total,
	    t->c->gamma)) / (double)t->total;
	if (loss < *best_loss) {
		*best_loss = loss;
		memcpy(best, v->w, sizeof v->w);
		info->best_epoch = epoch;
	}
}

/* The Adam loop (training.rs train). Returns 0, or -1 when cancelled. */
static int
train_run(struct train *t, const double *w0, double *best,
    struct fsrs_fit_info *info, fsrs_progress_fn progress, void *arg)
{
	const struct fsrs_train_config *c = t->c;
	struct cosine cos_lr;
	struct valid v;
	double w[FSRS_NPARAMS], m[FSRS_NPARAMS] = { 0 }, v2[FSRS_NPARAMS] = { 0 };
	double best_loss = INFINITY;
	size_t steps = 0, total_steps;
	uint64_t rng = c->seed;
	int adam_t = 0, rc = 0, pending = 0;

	memcpy(w, w0, sizeof w);
	memcpy(best, w0, sizeof w);
	memset(&v, 0, sizeof v);
	v.d = t->d;
	v.wt = t->wt;
	v.cards = t->vcards;
	v.n = t->ncards;
	cos_lr.t_max = (double)((t->total / (size_t)c->batch_size + 1) *
	    (size_t)c->epochs);
	cos_lr.init_lr = c->learning_rate;
	cos_lr.step = -1.0;
	cos_lr.lr = c->learning_rate;
	total_steps = t->nbatches * (size_t)c->epochs;
	for (int epoch = 1; epoch <= c->epochs; epoch++) {
		/*
		 * Each epoch deals the cards out afresh into batches. fsrs-rs
		 * sorts its cards by length (for padding on a GPU) and only
		 * shuffles the batches: a batch is then a few cards of one
		 * length whose items are correlated, and the fit came out
		 * worse and seed-dependent here (log loss 0.3274-0.3305 on
		 * a simulated log where fsrs-rs reaches 0.3269; dealt out,
		 * 0.3265-0.3268 over five seeds).
		 */
		for (size_t i = t->ncards; i > 1; i--) {
			size_t j = (size_t)(rng_next(&rng) % i);
			struct tcard x = t->cards[i - 1];

			t->cards[i - 1] = t->cards[j];
			t->cards[j] = x;
		}
		train_pack(t);
		for (size_t b = 0; b < t->nbatches; b++) {
			size_t a0 = t->batch_start[b], a1 = t->batch_start[b + 1];
			size_t bi = t->batch_items[b];
			double grad[FSRS_NPARAMS], lr = cosine_step(&cos_lr);
			double b1 = 1.0 - pow(0.9, adam_t + 1);
			double b2 = 1.0 - pow(0.999, adam_t + 1);

			cards_loss(t->d, t->wt, t->cards + a0, a1 - a0, w, grad);
			for (int i = 0; i < FSRS_NPARAMS; i++) {
				double sd = params_stddev[i];

				grad[i] += 2.0 * (w[i] - w0[i]) / (sd * sd) *
				    c->gamma * (double)bi / (double)t->total;
			}
			if (!c->short_term) {
				memset(grad, 0, 4 * sizeof *grad);
				grad[17] = grad[18] = grad[19] = 0;
			}
			adam_t++;
			for (int i = 0; i < FSRS_NPARAMS; i++) {
				m[i] = 0.9 * m[i] + 0.1 * grad[i];
				v2[i] = 0.999 * v2[i] + 0.001 * grad[i] * grad[i];
				w[i] -= lr * (m[i] / b1) / (sqrt(v2[i] / b2) +
				    1e-8);
			}
			fsrs_optim_clip(w, c->relearning_steps, c->short_term);
			steps++;
			if (progress != NULL && progress(arg, steps < total_steps ?
			    steps : total_steps, total_steps)) {
				rc = -1;
				goto out;
			}
		}
		if (pending)
			valid_finish(&v, t, w0, epoch - 1, &best_loss, best,
			    info);
		memcpy(v.w, w, sizeof w);
		if (c->threads > 1 && epoch < c->epochs &&
		    pthread_create(&v.th, NULL, valid_main, &v) == 0)
			v.running = 1;
		else
			valid_main(&v);
		pending = 1;
	}
	valid_finish(&v, t, w0, c->epochs, &best_loss, best, info);
	info->best_loss = best_loss;
	return 0;
out:
	if (v.running)
		pthread_join(v.th, NULL);
	return rc;
}

int
fsrs_fit(const struct fsrs_data *d, size_t upto,
    const struct fsrs_train_config *c, fsrs_progress_fn progress, void *arg,
    double *w_out, struct fsrs_fit_info *info, struct err *e)
{
	struct outliers o;
	struct train t;
	unsigned char *keep;
	double w[FSRS_NPARAMS], w0[FSRS_NPARAMS], best[FSRS_NPARAMS];
	double s0[4] = { 0 }, recall;
	size_t ntrain, ninit = 0, count[4], pass = 0;
	int have[4], rc = 0;

	if (upto > d->nitems)
		upto = d->nitems;
	memset(info, 0, sizeof *info);
	info->items = upto;
	for (int i = 0; i < FSRS_NPARAMS; i++)
		w[i] = fsrs_optim_defaults[i];
	keep = xmalloc(d->ncards ? d->ncards : 1);
	outliers_find(d, upto, &o);
	ntrain = outliers_keep(d, upto, &o, keep);
	info->items_trained = ntrain;
	for (size_t c2 = 0; c2 < d->ncards; c2++)
		if (keep[c2]) {
			ninit++;
			for (size_t j = d->card_start[c2];
			    j < d->card_start[c2 + 1]; j++)
				if (d->rank[j] < upto)
					pass += d->rating[j] > 1;
		}
	if (ntrain < 8) {
		info->kind = FSRS_FIT_DEFAULTS;
		goto done;
	}
	recall = (double)(float)((double)pass / (double)ntrain);
	pretrain_search(&o, recall, s0, have, count);
	if (smooth_and_fill(s0, have, count) == 0) {
		info->kind = FSRS_FIT_DEFAULTS;
		goto done;
	}
	memcpy(w, s0, sizeof s0);
	if (ntrain == ninit || ntrain < 64) {
		info->kind = FSRS_FIT_PRETRAINED;
		goto done;
	}
	memcpy(w0, w, sizeof w);
	if (!c->short_term)
		w0[17] = w0[18] = w0[19] = 0;
	memset(&t, 0, sizeof t);
	t.d = d;
	t.c = c;
	train_setup(&t, keep, upto, ntrain);
	if (t.nbatches == 0) {
		train_free(&t);
		info->kind = FSRS_FIT_PRETRAINED;
		goto done;
	}
	rc = train_run(&t, w0, best, info, progress, arg);
	train_free(&t);
	if (rc < 0) {
		err_set(e, NULL, 0, 0, "cancelled");
		goto out;
	}
	for (int i = 0; i < FSRS_NPARAMS; i++)
		if (!isfinite(best[i])) {
			rc = err_set(e, NULL, 0, 0, "the fit did not converge "
			    "(parameter %d is not a number)", i);
			goto out;
		}
	/* The fitted initial stabilities are smoothed as the pre-trained
	 * ones; the ratings no first review had are filled in. */
	memcpy(w, best, sizeof best);
	memcpy(s0, best, sizeof s0);
	smooth_and_fill(s0, have, count);
	memcpy(w, s0, sizeof s0);
	info->kind = FSRS_FIT_TRAINED;
done:
	memcpy(w_out, w, sizeof w);
out:
	outliers_free(&o);
	free(keep);
	return rc;
}

/* ---- evaluation (inference.rs) ------------------------------------------ */

#define BINS_SLOTS	16384

struct bin {
	uint64_t key;		/* bin + 1; 0 = empty */
	double	 pred, actual, count, weight;
};

struct eval_acc {
	struct bin	*bins;
	size_t		 nbins;
	double		 loss, weight;
	size_t		 items;
	int		 bad;
};

static void
acc_init(struct eval_acc *a)
{
	memset(a, 0, sizeof *a);
	a->bins = xcalloc(BINS_SLOTS, sizeof *a->bins);
}

static void
acc_add(struct eval_acc *a, uint64_t bin, double p, int y, double weight)
{
	uint64_t key = bin + 1;
	size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 50) % BINS_SLOTS;
	double pc = fmin(fmax(p, FSRS_P_MIN), 1.0 - FSRS_P_MIN);

	if (!isfinite(p)) {
		a->bad = 1;
		return;
	}
	while (a->bins[h].key != 0 && a->bins[h].key != key)
		h = (h + 1) % BINS_SLOTS;
	if (a->bins[h].key == 0) {
		if (a->nbins + 1 >= BINS_SLOTS / 2) {
			a->bad = 1;	/* cannot happen: bins are few */
			return;
		}
		a->bins[h].key = key;
		a->nbins++;
	}
	a->bins[h].pred += p;
	a->bins[h].actual += y;
	a->bins[h].count += 1;
	a->bins[h].weight += weight;
	a->loss += -(y ? log(pc) : log(1.0 - pc)) * weight;
	a->weight += weight;
	a->items++;
}

static int
acc_finish(struct eval_acc *a, struct fsrs_metrics *out, struct err *e)
{
	double num = 0, den = 0;

	for (size_t i = 0; i < BINS_SLOTS; i++) {
		const struct bin *b = &a->bins[i];
		double diff;

		if (b->key == 0)
			continue;
		diff = b->pred / b->count - b->actual / b->count;
		num += diff * diff * b->weight;
		den += b->weight;
	}
	free(a->bins);
	a->bins = NULL;
	if (a->bad)
		return err_set(e, NULL, 0, 0, "a prediction is not a number");
	if (a->items == 0 || den <= 0)
		return err_set(e, NULL, 0, 0, "no items to evaluate");
	out->log_loss = a->loss / a->weight;
	out->rmse_bins = sqrt(num / den);
	out->items = a->items;
	if (!isfinite(out->log_loss) || !isfinite(out->rmse_bins))
		return err_set(e, NULL, 0, 0, "a prediction is not a number");
	return 0;
}

/* Score the items ranked lo..hi-1 with w; recency weights over that range,
 * or 1 for each. */
static void
acc_items(struct eval_acc *a, const struct fsrs_data *d, const double *w,
    size_t lo, size_t hi, int recency)
{
	double *p = NULL;
	size_t cap = 0;
	float length = hi - lo > 1 ? (float)(hi - lo - 1) : 1.0f;

	for (size_t c = 0; c < d->ncards; c++) {
		size_t a0 = d->card_start[c], end = card_end(d, c, hi);
		unsigned lt = 0, lapses = 0;

		if (end == a0 || d->rank[card_first_target(d, c)] >= hi)
			continue;
		{
			/* Skip a card with no item in range quickly. */
			int any = 0;

			for (size_t j = a0; j < end && !any; j++)
				any = d->rank[j] != FSRS_NO_RANK &&
				    d->rank[j] >= lo && d->rank[j] < hi;
			if (!any)
				continue;
		}
		VEC_RESERVE(p, cap, end - a0, 256);
		fsrs_card_predict(w, d->rating + a0, d->delta_t + a0, end - a0, p);
		for (size_t j = a0; j < end; j++) {
			uint32_t r = d->rank[j];

			if (r != FSRS_NO_RANK && r >= lo && r < hi) {
				double wt = 1.0;

				if (recency) {
					float x = (float)(r - lo) / length;

					wt = 0.25f + 0.75f * x * x * x;
				}
				acc_add(a, fsrs_rmse_bin(d->delta_t[j], lt, lapses),
				    p[j - a0], d->rating[j] > 1, wt);
			}
			if (j > a0 && d->delta_t[j] > 0) {
				lt++;
				lapses += d->rating[j] == 1;
			}
		}
	}
	free(p);
}

int
fsrs_evaluate(const struct fsrs_data *d, const double *w, size_t lo,
    size_t hi, struct fsrs_metrics *out, struct err *e)
{
	struct eval_acc a;

	if (hi > d->nitems)
		hi = d->nitems;
	if (lo >= hi)
		return err_set(e, NULL, 0, 0, "no items to evaluate");
	acc_init(&a);
	acc_items(&a, d, w, lo, hi, 1);
	return acc_finish(&a, out, e);
}

int
fsrs_evaluate_splits(const struct fsrs_data *d,
    const struct fsrs_train_config *c, fsrs_progress_fn progress, void *arg,
    struct fsrs_metrics *out, struct err *e)
{
	struct eval_acc a;
	size_t n = d->nitems, seg = n / 6;

	if (seg == 0)
		return err_set(e, NULL, 0, 0, "too few items for a time-series "
		    "evaluation (%zu; it needs 6)", n);
	acc_init(&a);
	for (size_t i = 0; i < 5; i++) {
		size_t test_lo = (i + 1) * seg;
		size_t test_hi = i == 4 ? n : (i + 2) * seg;
		double w[FSRS_NPARAMS];
		struct fsrs_fit_info info;

		if (fsrs_fit(d, test_lo, c, NULL, NULL, w, &info, e) < 0) {
			free(a.bins);
			return -1;
		}
		acc_items(&a, d, w, test_lo, test_hi, 0);
		if (progress != NULL && progress(arg, i + 1, 5)) {
			free(a.bins);
			return err_set(e, NULL, 0, 0, "cancelled");
		}
	}
	return acc_finish(&a, out, e);
}

int
fsrs_health_check(const struct fsrs_metrics *m, double r, size_t items)
{
	double ll_adj = 0.623 * pow(4.0 * r * (1.0 - r), 0.738);
	double rmse_adj = 0.0135 / (pow(r, 0.504) - 1.14) +
	    0.176 / (pow((double)items / 1000.0, 0.825) + 2.22) + 0.101;

	return m->log_loss / ll_adj <= 1.11 || m->rmse_bins / rmse_adj <= 1.53;
}
