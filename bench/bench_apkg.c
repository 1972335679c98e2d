/*
 * bench_apkg.c - an Anki package of the benchmark's size (100,000 cards,
 * 1,000,000 review-log rows) written with lemma's writer and read back
 * through every iterator, timed, with the peak RSS of each side.
 *
 *   bench_apkg write PKG [--cards N] [--reviews N] [--legacy]
 *   bench_apkg read PKG
 *
 * Each side runs in its own process (make bench-apkg runs both), so the
 * peak RSS printed is that side's alone: the package code streams (zip
 * members and zstd frames, one SQLite row at a time), so neither should
 * grow with the collection. The collection, and the decompressed copy the
 * reader makes, go to $TMPDIR.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg.h"
#include "lemma/store/ankicol.h"

#define NOW	1735722000

static double
secs_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* CPU seconds of this process so far: less noisy than wall time on a
 * shared machine. */
static double
cpu_secs(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

static long
peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int
die(const struct err *e)
{
	fprintf(stderr, "bench_apkg: ");
	err_print(e, stderr);
	return 1;
}

static int
write_side(const char *pkg, long cards, long reviews, int legacy)
{
	static char *fields[] = { (char *)"Front", (char *)"Back" };
	static struct notetype_template tmpl = {
		(char *)"Card 1", (char *)"{{Front}}",
		(char *)"{{FrontSide}}<hr id=answer>{{Back}}"
	};
	struct notetype nt = {
		.id = 1700000000000, .name = (char *)"Basic", .css = (char *)"",
		.mtime = NOW, .nfields = 2, .fields = fields, .ntemplates = 1,
		.templates = &tmpl
	};
	char *col = xasprintf("%s/bench_apkg.%ld.col", paths_tmpdir(),
	    (long)getpid());
	struct ankicol_writer *w;
	struct apkg_writer *pw;
	struct timespec t0;
	struct err e;
	double t_col, t_pkg;
	char front[64], back[64], guid[32];
	char *nf[2] = { front, back };

	err_clear(&e);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((w = ankicol_writer_create(col, legacy ? 11 : 18, NOW, &e)) == NULL ||
	    ankicol_add_notetype(w, &nt, &e) < 0)
		return die(&e);
	for (long i = 0; i < cards; i++) {
		struct anki_note n = {
			.id = 1600000000000 + i, .guid = guid, .mid = nt.id,
			.mod = NOW, .tags = (char *)" bench ", .nfields = 2,
			.fields = nf
		};
		struct anki_card c = {
			.id = 1600000000000 + i, .nid = n.id, .did = 1,
			.type = 2, .queue = 2, .due = 100 + i % 365,
			.ivl = 1 + (int)(i % 300), .factor = 2500, .reps = 10,
			.mod = NOW, .has_memory = 1, .stability = 10 + i % 90,
			.difficulty = 1 + (double)(i % 9), .last_review = NOW
		};

		snprintf(front, sizeof front, "question %ld", i);
		snprintf(back, sizeof back, "answer %ld", i);
		snprintf(guid, sizeof guid, "g%ld", i);
		if (ankicol_add_note(w, &n, &e) < 0 ||
		    ankicol_add_card(w, &c, &e) < 0) {
			ankicol_writer_abort(w);
			return die(&e);
		}
	}
	for (long i = 0; i < reviews; i++) {
		struct anki_revlog r = {
			.id = 1500000000000 + i * 1000, .cid = 1600000000000 +
			    i % (cards > 0 ? cards : 1), .ease = 3, .ivl = 5,
			.last_ivl = 2, .factor = 2500, .time = 6000, .type = 1
		};

		if (ankicol_add_revlog(w, &r, &e) < 0) {
			ankicol_writer_abort(w);
			return die(&e);
		}
	}
	if (ankicol_writer_finish(w, &e) < 0)
		return die(&e);
	t_col = secs_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pw = apkg_writer_open(pkg, legacy, 1, &e)) == NULL)
		return die(&e);
	if (apkg_writer_add_collection(pw, col, NOW, &e) < 0 ||
	    apkg_writer_commit(pw, &e) < 0) {
		unlink(col);
		return die(&e);
	}
	t_pkg = secs_since(&t0);
	unlink(col);
	free(col);
	printf("write: %ld cards, %ld reviews: collection %.2f s, package "
	    "(%s) %.2f s (wall; %.2f s CPU in all), peak RSS %ld KiB\n",
	    cards, reviews, t_col, legacy ? "legacy" : "zstd", t_pkg,
	    cpu_secs(), peak_kb());
	return 0;
}

static int
count_note(void *arg, const struct anki_note *n, struct err *e)
{
	(void)n;
	(void)e;
	(*(long *)arg)++;
	return 0;
}

static int
count_card(void *arg, const struct anki_card *c, struct err *e)
{
	(void)c;
	(void)e;
	(*(long *)arg)++;
	return 0;
}

static int
count_rev(void *arg, const struct anki_revlog *r, struct err *e)
{
	(void)r;
	(void)e;
	(*(long *)arg)++;
	return 0;
}

static int
read_side(const char *pkg)
{
	struct timespec t0;
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	double t_open, t_rows;
	long notes = 0, cards = 0, revs = 0;
	char *tmp;

	err_clear(&e);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((p = apkg_open(pkg, NULL, &e)) == NULL ||
	    (c = apkg_open_collection(p, NULL, &tmp, &e)) == NULL)
		return die(&e);
	t_open = secs_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ankicol_each_note(c, count_note, &notes, &e) < 0 ||
	    ankicol_each_card(c, count_card, &cards, &e) < 0 ||
	    ankicol_each_revlog(c, count_rev, &revs, &e) < 0)
		return die(&e);
	t_rows = secs_since(&t0);
	ankicol_close(c);
	unlink(tmp);
	free(tmp);
	apkg_close(p);
	printf("read: %ld notes, %ld cards, %ld reviews: open and decompress "
	    "%.2f s, every row %.2f s (wall; %.2f s CPU in all), peak RSS "
	    "%ld KiB\n", notes, cards, revs, t_open, t_rows, cpu_secs(),
	    peak_kb());
	return 0;
}

int
main(int argc, char **argv)
{
	long cards = 100000, reviews = 1000000;
	int legacy = 0;

	if (argc < 3) {
		fputs("usage: bench_apkg write|read PKG [--cards N] "
		    "[--reviews N] [--legacy]\n", stderr);
		return 2;
	}
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--cards") == 0 && i + 1 < argc)
			cards = atol(argv[++i]);
		else if (strcmp(argv[i], "--reviews") == 0 && i + 1 < argc)
			reviews = atol(argv[++i]);
		else if (strcmp(argv[i], "--legacy") == 0)
			legacy = 1;
	}
	if (strcmp(argv[1], "write") == 0)
		return write_side(argv[2], cards, reviews, legacy);
	if (strcmp(argv[1], "read") == 0)
		return read_side(argv[2]);
	return 2;
}
