/*
 * test_fsrs_memstate.c - a card's FSRS memory state from its log as Anki's
 * compute_memory_state: where the history starts (the last learning run,
 * a reset, an incomplete log started from SM-2), against hand-written logs
 * whose expected histories are spelt out and replayed here grade by grade;
 * memory_state_from_sm2 against Anki's own test values; and, where node and
 * the fsrs-rs binding are found (as test_fsrs_oracle), every case against
 * fsrs-rs itself.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../test-note.h"
#include "lemma/model/fsrs-memstate.h"

/* The next study day starts 2025-01-11T04:00:00Z (rollover 4, UTC). */
#define NEXT_DAY	((int64_t)1736568000)
/* Day D (0 = 2025-01-01) at hh:mm UTC, as a revlog id (ms). */
#define AT(D, hh, mm)	(((int64_t)1735689600 + (D) * 86400 + (hh) * 3600 + \
			(mm) * 60) * 1000)

enum { L = FSRS_LOG_LEARN, R = FSRS_LOG_REVIEW, RL = FSRS_LOG_RELEARN,
	F = FSRS_LOG_FILTERED, M = FSRS_LOG_MANUAL, RS = FSRS_LOG_RESET,
	C = FSRS_LOG_CRAM };

/* How the expected history starts. */
enum { NONE, INIT, SM2 };

#define MAXROWS	10

struct mcase {
	const char		*name;
	struct fsrs_memstate_row rows[MAXROWS];
	size_t			 nrows;
	int			 start;		/* NONE, INIT, SM2 */
	double			 ease;		/* SM2: the ease and interval */
	int			 ivl;
	double			 d_from_factor;	/* SM2: D from an FSRS factor */
	size_t			 nrev;		/* the grades after the start */
	int			 rating[MAXROWS];
	int			 dt[MAXROWS];
	int			 complete;
};

static const struct mcase cases[] = {
	{ "a complete history: learning steps, reviews, a lapse", {
	    { AT(0, 10, 0), 3, L, -600, 0 }, { AT(0, 10, 10), 3, L, 1, 0 },
	    { AT(1, 9, 0), 3, R, 3, 0 }, { AT(4, 9, 0), 1, R, -600, 0 },
	    { AT(4, 9, 10), 3, RL, 1, 0 } }, 5,
	    INIT, 0, 0, 0, 4, { 3, 3, 1, 3 }, { 0, 1, 3, 0 }, 1 },
	{ "the last learning run starts it (an old reset left no row)", {
	    { AT(0, 10, 0), 3, L, 1, 0 }, { AT(1, 10, 0), 3, R, 4, 0 },
	    { AT(5, 10, 0), 2, L, -600, 0 }, { AT(5, 10, 10), 3, L, 1, 0 },
	    { AT(6, 10, 0), 4, R, 8, 0 } }, 5,
	    INIT, 0, 0, 0, 2, { 3, 4 }, { 0, 1 }, 1 },
	{ "a reset: nothing before it counts", {
	    { AT(0, 10, 0), 3, L, 1, 0 }, { AT(1, 10, 0), 3, R, 4, 0 },
	    { AT(2, 10, 0), 0, RS, 0, 0 }, { AT(3, 10, 0), 1, L, -60, 0 },
	    { AT(3, 10, 1), 3, L, 1, 0 }, { AT(5, 10, 0), 3, R, 3, 0 } }, 6,
	    INIT, 0, 0, 0, 2, { 3, 3 }, { 0, 2 }, 1 },
	{ "a reset with grades after it but no learning: SM-2 starts it", {
	    { AT(0, 10, 0), 3, L, 1, 0 }, { AT(1, 10, 0), 0, RS, 0, 0 },
	    { AT(2, 10, 0), 3, R, 5, 2300 }, { AT(7, 10, 0), 3, R, 12, 2300 } },
	    4, SM2, 2.3, 5, 0, 1, { 3 }, { 5 }, 0 },
	{ "a reset with no grade after it: no state", {
	    { AT(0, 10, 0), 3, L, 1, 0 }, { AT(1, 10, 0), 3, R, 3, 0 },
	    { AT(2, 10, 0), 0, RS, 0, 0 } }, 3,
	    NONE, 0, 0, 0, 0, { 0 }, { 0 }, 0 },
	{ "bypassed learning (Anki's test): SM-2 of the first review", {
	    { AT(0, 10, 0), 3, R, 100, 2500 }, { AT(9, 10, 0), 3, R, 1, 0 } },
	    2, SM2, 2.5, 100, 0, 1, { 3 }, { 9 }, 0 },
	{ "one review row only: SM-2 of it, no grade after", {
	    { AT(0, 10, 0), 3, R, 100, 2500 } }, 1,
	    SM2, 2.5, 100, 0, 0, { 0 }, { 0 }, 0 },
	{ "a first review under a day is skipped; factor 0 is 2500", {
	    { AT(0, 10, 0), 1, RL, -600, 0 }, { AT(0, 10, 10), 3, RL, 3, 0 },
	    { AT(3, 10, 0), 4, R, 9, 0 } }, 3,
	    SM2, 2.5, 3, 0, 1, { 4 }, { 3 }, 0 },
	{ "an FSRS factor (at most 1100) is the difficulty", {
	    { AT(0, 10, 0), 3, R, 10, 500 }, { AT(9, 10, 0), 2, R, 12, 520 } },
	    2, SM2, 0.5, 10, 4.6, 1, { 2 }, { 9 }, 0 },
	{ "cram rows neither count nor end a learning run", {
	    { AT(0, 10, 0), 3, L, -600, 0 }, { AT(0, 10, 5), 1, C, -60, 0 },
	    { AT(0, 10, 10), 3, L, 1, 0 }, { AT(1, 10, 0), 4, R, 5, 0 } }, 4,
	    INIT, 0, 0, 0, 2, { 3, 4 }, { 0, 1 }, 1 },
	{ "a new due date ends a learning run; grades after go on", {
	    { AT(0, 10, 0), 3, L, -600, 0 }, { AT(0, 11, 0), 0, M, 5, 2500 },
	    { AT(1, 10, 0), 3, L, 1, 0 }, { AT(2, 10, 0), 3, R, 3, 0 },
	    { AT(3, 10, 0), 0, M, 9, 2500 }, { AT(6, 10, 0), 2, R, 4, 0 } },
	    6, INIT, 0, 0, 0, 2, { 3, 2 }, { 1, 4 }, 1 },
	{ "an early review in a filtered deck is a review", {
	    { AT(0, 10, 0), 4, L, 3, 0 }, { AT(1, 10, 0), 3, F, 6, 2500 },
	    { AT(4, 10, 0), 3, R, 12, 2500 } }, 3,
	    INIT, 0, 0, 0, 2, { 3, 3 }, { 1, 3 }, 1 },
	{ "rollover: 03:00 belongs to the day before", {
	    { AT(0, 10, 0), 3, L, 1, 0 }, { AT(2, 3, 0), 3, R, 3, 0 },
	    { AT(2, 5, 0), 3, R, 5, 0 } }, 3,
	    INIT, 0, 0, 0, 2, { 3, 3 }, { 1, 1 }, 1 },
};

static void
init_rating(const struct mcase *c, int *g)
{
	/* The first graded learning row that starts the run. */
	for (size_t i = c->nrows; i-- > 0;) {
		const struct fsrs_memstate_row *r = &c->rows[i];

		if (r->kind == C)
			continue;
		if (r->rating > 0 && r->kind == L)
			*g = r->rating;
		else if (*g != 0)
			break;
	}
}

/* The expected state: the history spelt out in the case, replayed. */
static int
expected(const struct fsrs_params *p, const struct mcase *c,
    struct fsrs_memory *m)
{
	int g = 0;

	m->s = m->d = 0;
	if (c->start == NONE)
		return 0;
	if (c->start == INIT) {
		init_rating(c, &g);
		assert_true(g >= 1);
		fsrs_memory_next(p, m, 0, g, m);
	} else {
		fsrs_memory_from_sm2(p, c->ease, c->ivl, FSRS_SM2_RETENTION, m);
		if (c->d_from_factor > 0)
			m->d = c->d_from_factor;
	}
	for (size_t i = 0; i < c->nrev; i++) {
		struct fsrs_memory n;

		fsrs_memory_next(p, m, c->dt[i], c->rating[i], &n);
		*m = n;
	}
	return 1;
}

static void
replay(const struct fsrs_params *p, const struct mcase *c,
    struct fsrs_memstate *s)
{
	fsrs_memstate_start(s, p, NEXT_DAY, FSRS_SM2_RETENTION);
	for (size_t i = 0; i < c->nrows; i++)
		fsrs_memstate_feed(s, &c->rows[i]);
}

static void
test_histories(void **state)
{
	struct fsrs_params p;

	(void)state;
	fsrs_params_default(&p);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct mcase *c = &cases[k];
		struct fsrs_memstate s;
		struct fsrs_memory want, got;
		int has;

		print_message("# %s\n", c->name);
		replay(&p, c, &s);
		has = expected(&p, c, &want);
		assert_int_equal(s.has, has);
		if (!has)
			continue;
		assert_int_equal(s.complete, c->complete);
		assert_int_equal(fsrs_memstate_result(&s, 0, 0, 0, &got), 1);
		assert_float_equal(got.s, want.s, 1e-9);
		assert_float_equal(got.d, want.d, 1e-9);
	}
}

/* A complete history (one that begins at a learning grade) is the
 * optimizer's history too: fsrs-data's fsrs_history_build (Anki's
 * reviews_for_fsrs while training) keeps the same grades and day gaps,
 * so the two scans cannot drift apart unseen. */
static void
test_same_as_training(void **state)
{
	struct fsrs_params p;
	size_t checked = 0;

	(void)state;
	fsrs_params_default(&p);
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct mcase *c = &cases[k];
		struct fsrs_log_row rows[MAXROWS];
		struct fsrs_review h[MAXROWS];
		struct fsrs_memstate s;
		struct fsrs_memory m = { 0, 0 }, got;
		size_t n;

		if (c->start != INIT)
			continue;
		for (size_t i = 0; i < c->nrows; i++) {
			rows[i].id = c->rows[i].id;
			rows[i].rating = c->rows[i].rating;
			rows[i].kind = c->rows[i].kind;
		}
		n = fsrs_history_build(rows, c->nrows, NEXT_DAY, h);
		assert_int_equal(n, c->nrev + 1);
		for (size_t i = 0; i < n; i++) {
			struct fsrs_memory next;

			fsrs_memory_next(&p, &m, h[i].delta_t, h[i].rating,
			    &next);
			m = next;
		}
		replay(&p, c, &s);
		assert_int_equal(fsrs_memstate_result(&s, 0, 0, 0, &got), 1);
		assert_float_equal(got.s, m.s, 0);
		assert_float_equal(got.d, m.d, 0);
		checked++;
	}
	assert_true(checked >= 6);
}

/* Card::set_memory_state without a history: SM-2's fields of the card,
 * unless it is new or has no interval. */
static void
test_card_fallback(void **state)
{
	struct fsrs_params p;
	struct fsrs_memstate s;
	struct fsrs_memory m, want;

	(void)state;
	fsrs_params_default(&p);
	fsrs_memstate_start(&s, &p, NEXT_DAY, FSRS_SM2_RETENTION);
	assert_int_equal(fsrs_memstate_result(&s, 1, 10, 2500, &m), 0);
	assert_int_equal(fsrs_memstate_result(&s, 0, 0, 2500, &m), 0);
	assert_int_equal(fsrs_memstate_result(&s, 0, 100, 1300, &m), 1);
	fsrs_memory_from_sm2(&p, 1.3, 100, 0.9, &want);
	assert_float_equal(m.s, want.s, 1e-12);
	assert_float_equal(m.d, want.d, 1e-12);
}

/* fsrs-rs's own numbers for FSRS-6's default weights (the npm binding
 * 0.5.0's memoryStateFromSM2, and Anki's bypassed_learning_is_handled:
 * S 100, D 5.003576): the interval is the stability at retention 0.9. */
static void
test_sm2(void **state)
{
	static const struct {
		double ease, ivl, ret, s, d;
	} t[] = {
		{ 2.5, 100, 0.9, 100, 5.003576 },
		{ 1.3, 100, 0.9, 100, 9.800715 },
	};
	struct fsrs_params p;

	(void)state;
	fsrs_params_default(&p);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct fsrs_memory m;

		fsrs_memory_from_sm2(&p, t[i].ease, t[i].ivl, t[i].ret, &m);
		assert_float_equal(m.s, t[i].s, 1e-3);
		assert_float_equal(m.d, t[i].d, 1e-4);
	}
	/* A lower assumed retention means the interval was longer than
	 * FSRS's at 0.9: stability below the interval. */
	{
		struct fsrs_memory m;

		fsrs_memory_from_sm2(&p, 2.5, 100, 0.85, &m);
		assert_true(m.s < 100 && m.s > 50);
	}
}

/* Every case through fsrs-rs: memoryStateFromSM2 for the start, then
 * nextStates grade by grade (fsrs-rs's memory_state is that chain). */
static void
test_oracle(void **state)
{
	const char *src = getenv("LEMMA_SRCDIR"), *build = getenv("LEMMA_BUILDDIR");
	char modules[2048], probe[2300], dir[] = "/tmp/lemma-memstate-XXXXXX";
	char in[64], out[64], cmd[8192];
	struct fsrs_params p;
	struct stat st;
	FILE *f;

	(void)state;
	if (getenv("LEMMA_FSRS_BINDING") != NULL)
		snprintf(modules, sizeof modules, "%s",
		    getenv("LEMMA_FSRS_BINDING"));
	else
		snprintf(modules, sizeof modules, "%s/bench/node/node_modules",
		    build != NULL ? build : ".");
	snprintf(probe, sizeof probe, "%s/@open-spaced-repetition/binding",
	    modules);
	if (system("node --version >/dev/null 2>&1") != 0)
		not_applicable("no node");
	if (stat(probe, &st) != 0)
		not_applicable("no fsrs-rs binding in %s (make bench-optim "
		    "installs it; or set LEMMA_FSRS_BINDING)", modules);
	fsrs_params_default(&p);
	assert_non_null(mkdtemp(dir));
	snprintf(in, sizeof in, "%s/cases.txt", dir);
	snprintf(out, sizeof out, "%s/out.txt", dir);
	assert_non_null(f = fopen(in, "w"));
	fprintf(f, "W");
	for (int i = 0; i < FSRS_NPARAMS; i++)
		fprintf(f, " %.17g", p.w[i]);
	fprintf(f, "\n");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct mcase *c = &cases[k];
		int g = 0;

		if (c->start == NONE)
			continue;
		if (c->start == INIT) {
			init_rating(c, &g);
			fprintf(f, "C init %d 0 0 0", g);
		} else
			fprintf(f, "C sm2 0 %.17g %d %.17g", c->ease, c->ivl,
			    c->d_from_factor);
		for (size_t i = 0; i < c->nrev; i++)
			fprintf(f, " %d %d", c->rating[i], c->dt[i]);
		fprintf(f, "\n");
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "NODE_PATH='%s' node "
	    "'%s/tests/unit/memstate-oracle.cjs' < '%s' > '%s'", modules,
	    src != NULL ? src : ".", in, out);
	assert_int_equal(system(cmd), 0);
	assert_non_null(f = fopen(out, "r"));
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct fsrs_memstate s;
		struct fsrs_memory got;
		double rs, rd;

		if (cases[k].start == NONE)
			continue;
		assert_int_equal(fscanf(f, "%lf %lf", &rs, &rd), 2);
		replay(&p, &cases[k], &s);
		assert_int_equal(fsrs_memstate_result(&s, 0, 0, 0, &got), 1);
		print_message("# %s: lemma S %.6f D %.6f, fsrs-rs S %.6f "
		    "D %.6f\n", cases[k].name, got.s, got.d, rs, rd);
		/* fsrs-rs computes in f32. */
		assert_true(fabs(got.s - rs) <= 1e-4 * fmax(1, rs));
		assert_true(fabs(got.d - rd) <= 1e-4 * fmax(1, rd));
	}
	fclose(f);
	unlink(in);
	unlink(out);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_histories),
		cmocka_unit_test(test_same_as_training),
		cmocka_unit_test(test_card_fallback),
		cmocka_unit_test(test_sm2),
		cmocka_unit_test(test_oracle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
