/*
 * bench_fsrs.c - replay a seeded sequence of reviews through fsrs.c, and
 * the same sequence through ts-fsrs on Node (bench/fsrs-replay.mjs).
 *
 *	bench_fsrs [--reviews N] [--cards N] [--runs N] [--seed N]
 *	    [--out FILE] [--node SCRIPT --node-modules DIR]
 *
 * The sequence (card, rating, time) is generated here and written to FILE,
 * so the Node side replays exactly the same reviews. Each side reports the
 * median of --runs replays, timing only the replay loop. lemma runs twice:
 * with ts-fsrs's rules (the same computation as the Node side, so the two
 * checksums must agree) and with lemma's own (Anki's) rules, with fuzz.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/model/fsrs.h"

struct seq {
	uint32_t	*card;
	uint32_t	*rating;
	double		*time_ms;
	uint32_t	 n, ncards;
};

static uint64_t rng_state;

static uint64_t
rng(void)
{
	/* xorshift64*: any seeded generator will do, the sequence is
	 * handed to the Node side as data. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static void
generate(struct seq *q, uint32_t n, uint32_t ncards, uint64_t seed)
{
	double *t = calloc(ncards, sizeof *t);
	uint32_t k = 0;

	rng_state = seed ? seed : 1;
	q->n = n;
	q->ncards = ncards;
	q->card = malloc(n * sizeof *q->card);
	q->rating = malloc(n * sizeof *q->rating);
	q->time_ms = malloc(n * sizeof *q->time_ms);
	if (t == NULL || q->card == NULL || q->rating == NULL || q->time_ms == NULL) {
		fprintf(stderr, "bench_fsrs: out of memory\n");
		exit(1);
	}
	for (uint32_t c = 0; c < ncards; c++)
		t[c] = 1704110400000.0 + c * 17000.0;	/* 2024-01-01T12:00Z */
	/* Round robin over the cards, as a collection is studied: each
	 * card's reviews are in time order. */
	while (k < n) {
		for (uint32_t c = 0; c < ncards && k < n; c++, k++) {
			uint64_t r = rng() % 100, d = rng();
			q->card[k] = c;
			q->rating[k] = r < 10 ? 1 : r < 20 ? 2 : r < 85 ? 3 : 4;
			q->time_ms[k] = t[c];
			if (d % 100 < 20)	/* the same day: a step later */
				t[c] += 60000.0 * (double)(1 + (d >> 8) % 30);
			else			/* 1 to 60 days, any hour */
				t[c] += 86400000.0 * (double)(1 + (d >> 8) % 60) +
				    1000.0 * (double)((d >> 20) % 86400);
		}
	}
	free(t);
}

static int
write_seq(const struct seq *q, const char *path)
{
	FILE *f = fopen(path, "wb");
	char magic[8] = "LFSRS01";

	if (f == NULL)
		return -1;
	fwrite(magic, 1, 8, f);
	fwrite(&q->n, 4, 1, f);
	fwrite(&q->ncards, 4, 1, f);
	fwrite(q->card, 4, q->n, f);
	fwrite(q->rating, 4, q->n, f);
	fwrite(q->time_ms, 8, q->n, f);
	return fclose(f);
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One replay; returns seconds, and the checksums of the final cards. */
static double
replay(const struct seq *q, const struct fsrs_params *p, struct fsrs_card *cards,
    double *sum_s, double *sum_due)
{
	double t0, t1;

	for (uint32_t c = 0; c < q->ncards; c++) {
		memset(&cards[c], 0, sizeof cards[c]);
		cards[c].due = (int64_t)(q->time_ms[c] / 1000);
	}
	t0 = mono();
	for (uint32_t k = 0; k < q->n; k++) {
		struct fsrs_card *c = &cards[q->card[k]];
		time_t now = (time_t)(q->time_ms[k] / 1000);
		long t = c->state == FSRS_NEW ? 0 :
		    fsrs_elapsed_days(p, (time_t)c->last_review, now);
		fsrs_next(p, c, now, t, (uint64_t)q->card[k] + (uint64_t)c->reps,
		    (int)q->rating[k], c);
	}
	t1 = mono();
	*sum_s = *sum_due = 0;
	for (uint32_t c = 0; c < q->ncards; c++) {
		*sum_s += cards[c].stability;
		*sum_due += (double)cards[c].due;
	}
	return t1 - t0;
}

struct result {
	double	median, lo, hi;	/* reviews per second */
	double	sum_s, sum_due;
};

static void
measure(const struct seq *q, const struct fsrs_params *p, int runs,
    struct result *r)
{
	struct fsrs_card *cards = malloc(q->ncards * sizeof *cards);
	double *rate = calloc((size_t)runs, sizeof *rate);

	for (int i = 0; i < runs; i++)
		rate[i] = q->n / replay(q, p, cards, &r->sum_s, &r->sum_due);
	qsort(rate, (size_t)runs, sizeof *rate, cmp_double);
	r->median = rate[runs / 2];
	r->lo = rate[0];
	r->hi = rate[runs - 1];
	free(rate);
	free(cards);
}

int
main(int argc, char **argv)
{
	uint32_t n = 1000000, ncards = 10000;
	uint64_t seed = 20240101;
	int runs = 5;
	const char *out = "fsrs-replay.bin", *script = NULL, *modules = NULL;
	struct fsrs_params anki, compat;
	struct result ra, rc;
	struct seq q;
	double node_rate = 0, node_lo = 0, node_hi = 0, node_s = 0, node_due = 0;
	int have_node = 0;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v != NULL && strcmp(argv[i], "--reviews") == 0)
			n = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (v != NULL && strcmp(argv[i], "--cards") == 0)
			ncards = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (v != NULL && strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (v != NULL && strcmp(argv[i], "--seed") == 0)
			seed = strtoull(argv[++i], NULL, 10);
		else if (v != NULL && strcmp(argv[i], "--out") == 0)
			out = argv[++i];
		else if (v != NULL && strcmp(argv[i], "--node") == 0)
			script = argv[++i];
		else if (v != NULL && strcmp(argv[i], "--node-modules") == 0)
			modules = argv[++i];
		else {
			fprintf(stderr, "usage: bench_fsrs [--reviews N] [--cards N] "
			    "[--runs N] [--seed N] [--out FILE] [--node SCRIPT "
			    "--node-modules DIR]\n");
			return 2;
		}
	}
	if (n == 0 || ncards == 0 || ncards > n || runs < 1) {
		fprintf(stderr, "bench_fsrs: need 0 < cards <= reviews and runs >= 1\n");
		return 2;
	}
	generate(&q, n, ncards, seed);
	if (write_seq(&q, out) != 0) {
		fprintf(stderr, "bench_fsrs: cannot write %s: %s\n", out,
		    strerror(errno));
		return 1;
	}
	fsrs_params_default(&compat);
	compat.tsfsrs = 1;
	compat.fuzz = 0;
	fsrs_params_prepare(&compat);
	fsrs_params_default(&anki);

	printf("fsrs replay: %u reviews over %u cards (seed %llu), median of %d "
	    "runs\n", n, ncards, (unsigned long long)seed, runs);
	measure(&q, &compat, runs, &rc);
	printf("  lemma, ts-fsrs rules: %.0f rev/s (%.0f..%.0f), checksum S %.6f "
	    "due %.0f\n", rc.median, rc.lo, rc.hi, rc.sum_s, rc.sum_due);
	measure(&q, &anki, runs, &ra);
	printf("  lemma, Anki rules:    %.0f rev/s (%.0f..%.0f)\n", ra.median,
	    ra.lo, ra.hi);
	fflush(stdout);

	if (script != NULL && modules != NULL) {
		char cmd[4096], line[512];
		FILE *p;

		snprintf(cmd, sizeof cmd, "node '%s' '%s' '%s' %d", script, out,
		    modules, runs);
		if ((p = popen(cmd, "r")) != NULL) {
			while (fgets(line, sizeof line, p) != NULL) {
				if (sscanf(line, "tsfsrs %lf %lf %lf %lf %lf", &node_rate,
				    &node_lo, &node_hi, &node_s, &node_due) == 5)
					have_node = 1;
				else
					fputs(line, stdout);
			}
			if (pclose(p) != 0)
				have_node = 0;
		}
	}
	free(q.card);
	free(q.rating);
	free(q.time_ms);
	if (!have_node) {
		printf("fsrs replay: lemma %.0f rev/s (ts-fsrs not run)\n", ra.median);
		return 0;
	}
	printf("  ts-fsrs 5.4.2 (Node):  %.0f rev/s (%.0f..%.0f), checksum S %.6f "
	    "due %.0f%s\n", node_rate, node_lo, node_hi, node_s, node_due,
	    node_due == rc.sum_due && node_s - rc.sum_s < 1e-6 * node_s &&
	    rc.sum_s - node_s < 1e-6 * node_s ? " (same results as lemma)" :
	    " (RESULTS DIFFER from lemma's ts-fsrs rules)");
	printf("fsrs replay: lemma %.0f rev/s, ts-fsrs %.0f rev/s, ratio %.1f\n",
	    ra.median < rc.median ? ra.median : rc.median, node_rate,
	    (ra.median < rc.median ? ra.median : rc.median) / node_rate);
	return 0;
}
