/*
 * fsrs-sim.c - the simulated learner of fsrs-sim.h.
 */
#include <math.h>
#include <stdio.h>

#include "fsrs-sim.h"
#include "lemma/model/fsrs-grad.h"

const double fsrs_sim_w_true[21] = {
	0.5, 1.6, 4, 14, 6, 0.7, 2.5, 0.02, 1.7, 0.14, 0.85, 1.6, 0.07, 0.32,
	1.7, 0.5, 2.2, 0.5, 0.15, 0.08, 0.3,
};

static double
uniform(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static int
pass_grade(uint64_t *rng)
{
	double u = uniform(rng);

	return u < 0.1 ? 2 : u < 0.9 ? 3 : 4;
}

void
fsrs_sim(struct fsrs_data *d, const double *w_true, size_t ncards,
    int max_reviews, uint64_t seed, int only_again)
{
	struct fsrs_review h[64];
	uint8_t rating[64];
	uint32_t dt[64];
	uint64_t rng = seed;

	if (max_reviews > 60)
		max_reviews = 60;
	for (size_t c = 0; c < ncards; c++) {
		int64_t day = (int64_t)(c % 400);
		size_t n = 0;
		double u = uniform(&rng), s, dd;
		int g = u < 0.15 ? 1 : u < 0.25 ? 2 : u < 0.85 ? 3 : 4;

#define PUSH(G, DT) do {						\
	h[n].id = ((day * 10000000 + (int64_t)c) * 8) + (int64_t)n;	\
	h[n].rating = (uint8_t)(only_again ? 1 : (G));			\
	h[n].delta_t = (uint32_t)(DT);					\
	rating[n] = h[n].rating;					\
	dt[n] = h[n].delta_t;						\
	n++;								\
} while (0)
		PUSH(g, 0);
		if (g <= 2)
			PUSH(3, 0);	/* the learning step, same day */
		while ((int)n < max_reviews - 1) {
			double ivl, r;
			int64_t gap;

			fsrs_grad_state(w_true, rating, dt, n, &s, &dd);
			ivl = s * (0.6 + 0.8 * uniform(&rng));
			gap = (int64_t)llround(ivl);
			if (gap < 1)
				gap = 1;
			if (day + gap > 800)
				break;
			day += gap;
			r = fsrs_grad_curve(w_true, (double)gap, s);
			if (uniform(&rng) < r)
				PUSH(pass_grade(&rng), gap);
			else {
				PUSH(1, gap);
				PUSH(3, 0);	/* the relearning step */
			}
		}
#undef PUSH
		fsrs_data_add(d, h, n);
	}
	fsrs_data_finish(d);
}

int
fsrs_sim_export(const struct fsrs_data *d, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "%zu\n", d->nitems);
	for (size_t c = 0; c < d->ncards; c++) {
		size_t a = d->card_start[c], b = d->card_start[c + 1];

		for (size_t j = a; j < b; j++)
			fprintf(f, "%s%u", j > a ? " " : "", d->rating[j]);
		fputc(';', f);
		for (size_t j = a; j < b; j++)
			fprintf(f, "%s%u", j > a ? " " : "", d->delta_t[j]);
		fputc(';', f);
		for (size_t j = a; j < b; j++)
			fprintf(f, "%s%ld", j > a ? " " : "",
			    d->rank[j] == FSRS_NO_RANK ? -1L : (long)d->rank[j]);
		fputc('\n', f);
	}
	return fclose(f) == 0 ? 0 : -1;
}

int
fsrs_sim_export_params(const double *w, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	for (int i = 0; i < 21; i++)
		fprintf(f, "%s%.17g", i ? " " : "", w[i]);
	fputc('\n', f);
	return fclose(f) == 0 ? 0 : -1;
}
