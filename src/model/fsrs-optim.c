/*
 * fsrs-optim.c - fitting FSRS-6 parameters as fsrs-rs 6.5.0 does
 * (training.rs, parameter_clipper.rs) after fsrs-pretrain's first stage,
 * on fsrs-data's compact cards. See fsrs-optim.h.
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
#include "lemma/model/fsrs-pretrain.h"

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

#define INIT_S_MAX	100.0	/* the initial stabilities' ceiling */

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
	struct fsrs_init in;
	struct train t;
	double w[FSRS_NPARAMS], w0[FSRS_NPARAMS], best[FSRS_NPARAMS];
	int rc = 0;

	if (upto > d->nitems)
		upto = d->nitems;
	memset(info, 0, sizeof *info);
	info->items = upto;
	for (int i = 0; i < FSRS_NPARAMS; i++)
		w[i] = fsrs_optim_defaults[i];
	fsrs_init_run(d, upto, &in);
	info->items_trained = in.items;
	if (in.items < 8 || in.nratings == 0) {
		info->kind = FSRS_FIT_DEFAULTS;
		goto done;
	}
	memcpy(w, in.s0, sizeof in.s0);
	if (in.items == in.cards || in.items < 64) {
		info->kind = FSRS_FIT_PRETRAINED;
		goto done;
	}
	memcpy(w0, w, sizeof w);
	if (!c->short_term)
		w0[17] = w0[18] = w0[19] = 0;
	memset(&t, 0, sizeof t);
	t.d = d;
	t.c = c;
	train_setup(&t, in.keep, upto, in.items);
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
	fsrs_smooth_and_fill(w, in.have, in.count);
	info->kind = FSRS_FIT_TRAINED;
done:
	memcpy(w_out, w, sizeof w);
out:
	fsrs_init_free(&in);
	return rc;
}
