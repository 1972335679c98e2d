/*
 * fsrs-eval.c - how well parameters predict a history, as fsrs-rs 6.5.0
 * (inference.rs): recency-weighted log loss and RMSE(bins), the
 * time-series split evaluation, and Anki's health check (params.rs). See
 * fsrs-eval.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs-eval.h"
#include "lemma/model/fsrs-grad.h"
#include "lemma/model/fsrs-optim.h"

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
		size_t a0 = d->card_start[c], end = fsrs_data_card_end(d, c, hi);
		unsigned lt = 0, lapses = 0;

		if (end == a0 || d->rank[fsrs_data_first_target(d, c)] >= hi)
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

