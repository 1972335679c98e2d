/*
 * bench_simulate.c - the workload simulator's sweep ("Help me decide",
 * `lemma simulate`): 365 days at each retention from 70% to 99% (30 runs)
 * with 20 new cards a day and FSRS-6's defaults, on one thread and on
 * two. Prints wall clock and CPU (the median of 5 runs) as RESULT lines
 * (bench/README.md), and checks that both give the same numbers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/model/fsrs-simulator.h"
#include "lemma/model/fsrs.h"

#define RUNS	5

static double
secs(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	struct fsrs_sim_config c;
	struct fsrs_sim_result one[30], two[30];
	struct fsrs_params p;
	struct err e;
	double wall[2][RUNS], cpu[2][RUNS];

	fsrs_params_default(&p);
	fsrs_sim_config_default(&c);
	c.new_cards = 100000;
	c.new_limit = 20;
	c.days = 365;
	for (int k = 0; k < RUNS; k++) {
		double w0, c0;

		/* One thread: the runs one after another. */
		w0 = secs(CLOCK_MONOTONIC);
		c0 = secs(CLOCK_PROCESS_CPUTIME_ID);
		for (int r = 70; r <= 99; r++)
			if (fsrs_sim_run(p.w, r / 100.0, &c, NULL, 0, 42,
			    &one[r - 70], &e) < 0) {
				fprintf(stderr, "bench_simulate: %s\n", e.msg);
				return 1;
			}
		wall[0][k] = secs(CLOCK_MONOTONIC) - w0;
		cpu[0][k] = secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
		w0 = secs(CLOCK_MONOTONIC);
		c0 = secs(CLOCK_PROCESS_CPUTIME_ID);
		if (fsrs_sim_sweep(p.w, &c, NULL, 0, 42, 70, 99, NULL, two,
		    &e) < 0) {
			fprintf(stderr, "bench_simulate: %s\n", e.msg);
			return 1;
		}
		wall[1][k] = secs(CLOCK_MONOTONIC) - w0;
		cpu[1][k] = secs(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (memcmp(one, two, sizeof one) != 0) {
			fputs("bench_simulate: one and two threads differ\n",
			    stderr);
			return 1;
		}
	}
	for (int t = 0; t < 2; t++) {
		qsort(wall[t], RUNS, sizeof wall[t][0], cmp_double);
		qsort(cpu[t], RUNS, sizeof cpu[t][0], cmp_double);
		printf("RESULT\tworkload simulator: 365 days x 30 retentions, 20 "
		    "new/day, %s\t%.3f\ts\t-\t<1\tCPU %.3f s\tmedian of %d; %llu "
		    "reviews at 90%%\n", t ? "two threads" : "one thread",
		    wall[t][RUNS / 2], cpu[t][RUNS / 2], RUNS,
		    (unsigned long long)one[20].reviews);
	}
	return 0;
}
