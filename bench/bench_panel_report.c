/*
 * bench_panel_report.c - the cost of one report of the full-screen
 * program's progress panel (src/ui/ui-progress.c), on a real terminal:
 * run it in a pty (bench/bench_panel.py does, or `script -qc`).
 *
 *   bench_panel_report [SECONDS [draws]]
 *
 * Calls the panel's report as fast as it can for SECONDS (default 3) of
 * wall time, past the half second before the panel appears, and prints
 * the reports made, the CPU time they took and the cost of one (the
 * clock, a key poll of the terminal, and a draw at most ten times a
 * second). With "draws", one report each 0.1 s, so that each draws: the
 * cost of a draw. An import reports once per 256 KiB read and draws ten
 * times a second, so its panel costs about (file size / 256 KiB) reports
 * and (seconds x 10) draws.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lemma/app/app.h"
#include "lemma/base/progress.h"
#include "lemma/ui/ui-progress.h"

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double
wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	int draws = argc > 2 && strcmp(argv[2], "draws") == 0;
	struct timespec tenth = { 0, 100000000L };
	double w0, c0, c1, w1;
	struct ui_progress *up;
	struct progress *p;
	struct app app;
	unsigned long n = 0;
	int stop;

	memset(&app, 0, sizeof app);
	up = ui_progress_begin(&app);
	p = ui_progress_get(up);
	progress_begin(p, "Importing bench.txt", "bytes", 1000000000ull);
	w0 = wall_s();
	c0 = cpu_s();
	while (wall_s() - w0 < seconds) {
		p->done = (uint64_t)n * 262144 % 1000000000ull;
		if (progress_poll(p) < 0)
			break;
		n++;
		if (draws)
			nanosleep(&tenth, NULL);
	}
	c1 = cpu_s();
	w1 = wall_s();
	stop = ui_progress_end(up);
	printf("bench-panel-report: %lu reports in %.2f s wall, %.3f s CPU: "
	    "%.2f us each (stop %d)\n", n, w1 - w0, c1 - c0,
	    (c1 - c0) / (double)n * 1e6, stop);
	return 0;
}
