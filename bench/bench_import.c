/*
 * bench_import.c - the import benchmark's helper (bench/bench_import.sh
 * runs it).
 *
 *   bench_import gen N FILE   write an N-note TSV deck: fronts and backs of
 *                             the bundled deck's kind (short, medium and
 *                             long, some with formulas), a tags column
 *   bench_import run FILE DB  import FILE into a new progress file DB, as
 *                             `lemma import` does, and print the seconds
 *                             and the peak RSS in KiB
 *
 * Only for `make bench`; never part of `make check`.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lemma/formats/import.h"
#include "lemma/store/db.h"

static const char *const fronts[] = {
	"State the relationship between cross-entropy and perplexity.",
	"Why is forward KL (KL(teacher||student)) preferred over reverse KL in "
	"knowledge distillation?",
	"Write the RLHF objective including the KL penalty term.",
	"What is the role of temperature in distillation soft targets?",
	"Define Shannon entropy and its relationship to compression.",
	"What does it mean operationally if a language model's output entropy "
	"collapses during fine-tuning?",
	"How does the DPO loss use the log policy ratio?",
	"Why is perplexity still reported despite better benchmarks?",
};

static const char *const backs[] = {
	"Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average "
	"bits per token; perplexity exp(H(p,q)) is the effective vocabulary size "
	"the model is confused among at each step.",
	"Forward KL is mean-seeking \xe2\x80\x94 the student spreads mass "
	"wherever the teacher has mass, preserving all valid continuations.",
	"J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x)). Beta controls the "
	"trade-off between reward maximization and staying close to the "
	"reference policy.",
	"Temperature T > 1 softens the teacher's distribution before computing "
	"KL, spreading probability mass to non-top tokens.",
	"H(p) = -sum_x p(x) log p(x). Shannon's source coding theorem states "
	"H(p) is the minimum average bits needed to encode a message.",
	"The model is mode-collapsing \xe2\x80\x94 assigning near-1.0 "
	"probability to one token at each step.",
	"DPO loss = -log sigmoid(beta * (log pi(y_w)/pi_ref(y_w) - log "
	"pi(y_l)/pi_ref(y_l))).",
	"It is tied directly to the information-theoretic loss.",
};

static const char *const words[] = {
	"entropy", "softmax", "gradient", "token", "logit", "prior", "posterior",
	"sample", "variance", "bias", "kernel", "attention", "residual", "norm",
};

static const char *const tags[] = {
	"ch02", "ch02 kl", "ch02 entropy", "ch03 rl", "ch02 formula", "drill",
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
next(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static int
gen(long n, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		return 1;
	}
	fputs("#separator:tab\n#tags column:3\n", f);
	for (long i = 0; i < n; i++) {
		unsigned k = next(8), kind = next(3);
		switch (kind) {
		case 0:		/* vocabulary-sized */
			fprintf(f, "%s %ld\t%s, %s\t%s\n", words[next(14)], i,
			    words[next(14)], words[next(14)], tags[next(6)]);
			break;
		case 1:		/* a formula and a short answer */
			fprintf(f, "Formula %ld: %s\tH(p) = -sum_x p(x) log p(x); "
			    "KL(p||q) = sum_x p(x) log(p(x)/q(x))\t%s\n", i,
			    words[next(14)], tags[next(6)]);
			break;
		default:	/* a drill card as long as the bundled ones */
			fprintf(f, "%s (%ld)\t%s\t%s\n", fronts[k], i, backs[k],
			    tags[next(6)]);
		}
	}
	return fclose(f) == 0 ? 0 : 1;
}

static int
run(const char *file, const char *dbpath)
{
	struct import_opts o;
	struct import_totals t;
	struct timespec a, b;
	struct rusage ru;
	struct err e;
	struct db *db;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if ((db = db_open(dbpath, DB_CREATE, &e)) == NULL) {
		err_print(&e, stderr);
		return 1;
	}
	memset(&o, 0, sizeof o);
	o.deck = "Bench";
	if (import_paths(db, &file, 1, &o, (time_t)1735722000, &t, &e) < 0) {
		err_print(&e, stderr);
		db_close(db);
		return 1;
	}
	db_close(db);
	clock_gettime(CLOCK_MONOTONIC, &b);
	getrusage(RUSAGE_SELF, &ru);
	printf("%.3f %ld %ld\n", (double)(b.tv_sec - a.tv_sec) +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss, t.added);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(atol(argv[2]), argv[3]);
	if (argc == 4 && strcmp(argv[1], "run") == 0)
		return run(argv[2], argv[3]);
	fputs("usage: bench_import gen N FILE | run FILE DB\n", stderr);
	return 2;
}
