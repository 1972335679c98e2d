/*
 * bench_tui.c - the full-screen program as a person at a terminal meets
 * it, measured through the screen-test harness (tests/screen/vt.h: a pty
 * and libvterm) on a large collection.
 *
 *	bench_tui --lemma BIN --db FILE [--bundled-db NEWFILE] [--deck NAME]
 *	    [--steps N] [--runs N] [--rows R] [--cols C] [--now TIME]
 *	    [--xdg DIR]
 *
 * Figures (each also printed as a RESULT line, see bench/README.md):
 *  - start to first full frame: from fork to the last byte of the deck
 *    list's first frame (median of --runs starts, after one warm-up start
 *    that is reported on its own: it fills the page cache and makes the
 *    day's backup);
 *  - key to finished output: from writing a key (Space to reveal, a grade
 *    1-4) to the last byte of the output it caused, over 2 x --steps keys
 *    while studying --deck (default: the first deck of the list); median
 *    and p99;
 *  - bytes per study step (reveal + grade + the next card) against the
 *    bytes of a forced full repaint (^L) of the same screen, on FILE and,
 *    with --bundled-db, on a new progress file with the bundled deck;
 *  - peak memory of lemma (VmHWM from /proc/PID/status) at the end of the
 *    study session, before it quits.
 *
 * FILE is written to (the grades of the session): give a copy. Each
 * figure is timed from the harness's reads of the pty: the link is built
 * with -Wl,--wrap=read so every read() in vt.c is timestamped here, which
 * keeps vt.c as the tests use it. The end of a burst is the last read
 * before QUIET_MS of silence; the silence itself is not counted.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tests/screen/vt.h"

#define QUIET_MS	40	/* silence that ends a key's output */
#define START_QUIET_MS	200	/* silence that ends the first frame */
#define WAIT_MS		20000	/* give up on a screen after this */

/* ---- timestamps of the harness's reads ------------------------------------ */

ssize_t	__real_read(int fd, void *buf, size_t n);
ssize_t	__wrap_read(int fd, void *buf, size_t n);

static int64_t	read_first_ns, read_last_ns;

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

ssize_t
__wrap_read(int fd, void *buf, size_t n)
{
	ssize_t r = __real_read(fd, buf, n);

	if (r > 0) {
		int64_t t = now_ns();
		if (read_first_ns == 0)
			read_first_ns = t;
		read_last_ns = t;
	}
	return r;
}

static void
reads_reset(void)
{
	read_first_ns = read_last_ns = 0;
}

/* ---- small helpers ------------------------------------------------------------ */

struct opts {
	const char	*lemma, *db, *bundled, *deck, *now, *xdg;
	int		 steps, runs, rows, cols;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The nearest-rank percentile of sorted v. */
static double
percentile(const double *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	k = (size_t)(p / 100.0 * (double)n + 0.999999);
	return v[k == 0 ? 0 : k > n ? n - 1 : k - 1];
}

static void
die(struct vt *vt, const char *what)
{
	fprintf(stderr, "bench_tui: %s\n", what);
	if (vt != NULL) {
		vt_dump(vt, stderr);
		vt_close(vt, 2000);
	}
	exit(1);
}

static struct vt *
start(const struct opts *o, const char *db)
{
	static char nowenv[128], data[4200], conf[4200];
	const char *argv[] = { o->lemma, "--db", db, NULL };
	const char *env[] = { nowenv, "TZ=UTC", data, conf, "NO_COLOR=", NULL };

	snprintf(nowenv, sizeof nowenv, "LEMMA_NOW=%s", o->now);
	snprintf(data, sizeof data, "XDG_DATA_HOME=%s/data", o->xdg);
	snprintf(conf, sizeof conf, "XDG_CONFIG_HOME=%s/config", o->xdg);
	return vt_spawn(argv, env, o->rows, o->cols, "/dev/null");
}

/*
 * Send key and read its output to the end: until QUIET_MS pass with no
 * byte after at least one byte came. Returns the milliseconds from the
 * write to the last byte (-1 when nothing came), *bytes the bytes.
 */
static double
burst(struct vt *vt, const char *key, size_t *bytes)
{
	size_t before = vt_bytes_total(vt);
	int64_t t0, deadline;

	reads_reset();
	t0 = now_ns();
	deadline = t0 + (int64_t)WAIT_MS * 1000000;
	vt_send(vt, key);
	do
		vt_wait_idle(vt, QUIET_MS, WAIT_MS);
	while (vt_bytes_total(vt) == before && now_ns() < deadline);
	if (bytes != NULL)
		*bytes = vt_bytes_total(vt) - before;
	if (vt_bytes_total(vt) == before)
		return -1;
	return (double)(read_last_ns - t0) / 1e6;
}

/* VmHWM of pid in kB, or -1. */
static long
peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void
quit(struct vt *vt)
{
	int status;

	/* q leaves the study view, a second q the program. */
	for (int i = 0; i < 4; i++) {
		vt_send(vt, "q");
		vt_wait_idle(vt, 60, 2000);
	}
	status = vt_close(vt, 5000);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "bench_tui: lemma exited with status %d\n",
		    status);
}

/* ---- start to first full frame ------------------------------------------- */

static void
bench_start(const struct opts *o)
{
	double *ms = calloc((size_t)o->runs, sizeof *ms), first = 0;

	for (int r = -1; r < o->runs; r++) {
		struct vt *vt;
		int64_t t0;

		reads_reset();
		t0 = now_ns();
		if ((vt = start(o, o->db)) == NULL)
			die(NULL, "cannot start lemma in a pty");
		/* The footer comes with the first frame; then wait for the
		 * frame to end. */
		if (vt_wait_for(vt, "q quit", WAIT_MS) != 0)
			die(vt, "the deck list never showed");
		vt_wait_idle(vt, START_QUIET_MS, WAIT_MS);
		if (r < 0)
			first = (double)(read_last_ns - t0) / 1e6;
		else
			ms[r] = (double)(read_last_ns - t0) / 1e6;
		quit(vt);
	}
	qsort(ms, (size_t)o->runs, sizeof *ms, cmp_double);
	printf("start to first full frame: %.1f ms median (%.1f-%.1f, %d runs); "
	    "first start %.1f ms\n", median(ms, (size_t)o->runs), ms[0],
	    ms[o->runs - 1], o->runs, first);
	printf("RESULT\tstart to first full frame\t%.1f\tms\t-\t<50\t"
	    "%.1f-%.1f (%d runs)\t%s, %dx%d\n", median(ms, (size_t)o->runs),
	    ms[0], ms[o->runs - 1], o->runs, "large collection", o->cols,
	    o->rows);
	printf("RESULT\tstart to first full frame, first start\t%.1f\tms\t-\t-\t"
	    "1 run\tpage cache cold for lemma, daily backup if any\n", first);
	free(ms);
}

/* ---- a study session: latency, bytes, memory ----------------------------- */

struct session {
	double	*lat;		/* ms per key */
	size_t	 nlat;
	double	*reveal, *grade;	/* the same, by kind of key */
	size_t	 nreveal, ngrade;
	double	 step_bytes;	/* mean bytes of reveal + grade */
	double	 repaint;	/* median bytes of ^L */
	int	 steps;
	long	 rss_kb;
};

static const char *
grade_key(int i)
{
	/* Mostly Good, as people grade; some Again, Hard and Easy. */
	switch (i % 10) {
	case 3:
		return "1";
	case 5:
		return "2";
	case 7:
		return "4";
	default:
		return "3";
	}
}

static void
open_deck(struct vt *vt, const char *deck)
{
	int row, col, first_row, c2;

	if (vt_wait_for(vt, "q quit", WAIT_MS) != 0)
		die(vt, "the deck list never showed");
	vt_wait_idle(vt, START_QUIET_MS, WAIT_MS);
	if (deck != NULL) {
		/* The selection starts on the first deck, below the
		 * header row "Deck ... New Learn Due". */
		if (vt_find(vt, "New Learn", &first_row, &c2) != 0 ||
		    vt_find(vt, deck, &row, &col) != 0)
			die(vt, "cannot find the deck to study");
		for (int i = first_row + 1; i < row; i++) {
			vt_key(vt, "Down");
			vt_wait_idle(vt, 30, 2000);
		}
	}
	vt_send(vt, "\r");
	if (vt_wait_for(vt, "show answer", WAIT_MS) != 0)
		die(vt, "studying did not start");
	vt_wait_idle(vt, 100, WAIT_MS);
}

static void
study(const struct opts *o, const char *db, const char *deck, int steps,
    struct session *s)
{
	double repaint[64];
	size_t nrepaint = 0, total = 0;
	struct vt *vt;

	memset(s, 0, sizeof *s);
	s->lat = calloc((size_t)steps * 2, sizeof *s->lat);
	s->reveal = calloc((size_t)steps, sizeof *s->reveal);
	s->grade = calloc((size_t)steps, sizeof *s->grade);
	if ((vt = start(o, db)) == NULL)
		die(NULL, "cannot start lemma in a pty");
	open_deck(vt, deck);
	for (int i = 0; i < steps; i++) {
		size_t b1, b2;
		double t;

		if (i % 10 == 0 && nrepaint < 64) {
			/* A forced full repaint of this same screen. */
			burst(vt, "\x0c", &b1);
			repaint[nrepaint++] = (double)b1;
		}
		if ((t = burst(vt, " ", &b1)) < 0)
			die(vt, "no output after Space");
		s->lat[s->nlat++] = t;
		s->reveal[s->nreveal++] = t;
		if (!vt_contains(vt, "Again"))
			die(vt, "Space did not show the answer");
		if ((t = burst(vt, grade_key(i), &b2)) < 0)
			die(vt, "no output after a grade");
		s->lat[s->nlat++] = t;
		s->grade[s->ngrade++] = t;
		total += b1 + b2;
		s->steps++;
		if (!vt_contains(vt, "show answer"))
			break;		/* nothing more to study today */
	}
	s->rss_kb = peak_rss_kb(vt_pid(vt));
	s->step_bytes = s->steps > 0 ? (double)total / s->steps : 0;
	s->repaint = median(repaint, nrepaint);
	quit(vt);
}

static void
usage(void)
{
	fputs("usage: bench_tui --lemma BIN --db FILE [--bundled-db NEWFILE] "
	    "[--deck NAME]\n"
	    "           [--steps N] [--runs N] [--rows R] [--cols C] "
	    "[--now TIME] [--xdg DIR]\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct opts o = { NULL, NULL, NULL, NULL, "2025-01-01T09:00:00Z", NULL,
	    100, 11, 24, 80 };
	struct session big, small;
	char xdg[4096];
	double p50, p99;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--lemma") == 0)
			o.lemma = v;
		else if (strcmp(a, "--db") == 0)
			o.db = v;
		else if (strcmp(a, "--bundled-db") == 0)
			o.bundled = v;
		else if (strcmp(a, "--deck") == 0)
			o.deck = v;
		else if (strcmp(a, "--steps") == 0)
			o.steps = atoi(v);
		else if (strcmp(a, "--runs") == 0)
			o.runs = atoi(v);
		else if (strcmp(a, "--rows") == 0)
			o.rows = atoi(v);
		else if (strcmp(a, "--cols") == 0)
			o.cols = atoi(v);
		else if (strcmp(a, "--now") == 0)
			o.now = v;
		else if (strcmp(a, "--xdg") == 0)
			o.xdg = v;
		else
			usage();
	}
	if (o.lemma == NULL || o.db == NULL || o.steps < 1 || o.runs < 1 ||
	    o.rows < 10 || o.cols < 40)
		usage();
	if (o.xdg == NULL) {
		/* No user configuration or theme: a private, empty XDG. */
		snprintf(xdg, sizeof xdg, "%s.xdg", o.db);
		o.xdg = xdg;
	}

	bench_start(&o);

	study(&o, o.db, o.deck, o.steps, &big);
	qsort(big.lat, big.nlat, sizeof *big.lat, cmp_double);
	p50 = median(big.lat, big.nlat);
	p99 = percentile(big.lat, big.nlat, 99);
	printf("key to finished output: %.2f ms median, p99 %.2f ms, max %.2f "
	    "ms (%zu keys)\n", p50, p99, big.lat[big.nlat - 1], big.nlat);
	printf("bytes per study step: %.0f (reveal + grade + next card, %d "
	    "steps); full repaint (^L) %.0f\n", big.step_bytes, big.steps,
	    big.repaint);
	printf("peak RSS of lemma after %d study steps: %.1f MB\n", big.steps,
	    big.rss_kb / 1024.0);
	printf("RESULT\tkey to finished output, median\t%.2f\tms\t-\t<2\t"
	    "p99 %.2f, max %.2f (%zu keys)\tSpace and grades, large collection\n",
	    p50, p99, big.lat[big.nlat - 1], big.nlat);
	printf("RESULT\tkey to finished output, p99\t%.2f\tms\t-\t-\t"
	    "%zu keys\tSpace and grades, large collection\n", p99, big.nlat);
	/* Apart, since a grade also commits (fsync) and a reveal does not. */
	qsort(big.reveal, big.nreveal, sizeof *big.reveal, cmp_double);
	qsort(big.grade, big.ngrade, sizeof *big.grade, cmp_double);
	printf("RESULT\tkey to finished output, Space (reveal)\t%.2f\tms\t-\t-\t"
	    "p99 %.2f (%zu keys)\tmedian\n", median(big.reveal, big.nreveal),
	    percentile(big.reveal, big.nreveal, 99), big.nreveal);
	printf("RESULT\tkey to finished output, grade 1-4\t%.2f\tms\t-\t-\t"
	    "p99 %.2f (%zu keys)\tmedian; includes the commit\n",
	    median(big.grade, big.ngrade), percentile(big.grade, big.ngrade, 99),
	    big.ngrade);
	printf("RESULT\tbytes per study step, large collection\t%.0f\tB\t%.0f\t"
	    "-\t%d steps\tpeer: a full repaint (^L) of the study screen, "
	    "%dx%d\n", big.step_bytes, big.repaint, big.steps, o.cols, o.rows);
	printf("RESULT\tpeak RSS, study session\t%.1f\tMB\t-\t<=32\t1 run\t"
	    "VmHWM after %d steps, large collection\n", big.rss_kb / 1024.0,
	    big.steps);

	if (o.bundled != NULL) {
		study(&o, o.bundled, NULL, 30, &small);
		printf("bundled deck: bytes per study step %.0f (%d steps); full "
		    "repaint %.0f\n", small.step_bytes, small.steps,
		    small.repaint);
		printf("RESULT\tbytes per study step, bundled deck\t%.0f\tB\t%.0f\t"
		    "<=1000\t%d steps\tpeer: a full repaint (^L), %dx%d\n",
		    small.step_bytes, small.repaint, small.steps, o.cols, o.rows);
		free(small.lat);
		free(small.reveal);
		free(small.grade);
	}
	free(big.lat);
	free(big.reveal);
	free(big.grade);
	return 0;
}
