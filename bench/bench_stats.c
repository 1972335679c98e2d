/*
 * bench_stats.c - time all statistics on a large collection.
 *
 * Builds (or reuses) a progress file of 100,000 cards and 1,000,000
 * review-log rows, three years of history simulated card by card (learning
 * steps, intervals growing about 2.2x on a pass, about 87% of reviews passed,
 * lapses with relearning), then times stats_compute() for each period and
 * prints the median of the runs, in CPU time (the process's, so other jobs
 * on the machine count less) and wall time.
 *
 * The budget, 150 ms for all statistics, applies to what the stats
 * pane and `lemma stats` compute by default: the whole collection, period
 * one month (which still reads a year for the calendar and the retention
 * table, and all history for the streaks, from the per-quarter-hour sums).
 * The exit status is 1 when that case is over budget; the longer periods
 * are printed for information: their predicted retrievability walks 12 to
 * 25 times more reviews.
 *
 *   bench_stats [--db PATH] [--runs N] [--cards N] [--reviews N] [--no-index]
 *
 * The statistics' index (stats_create_indexes) is created unless --no-index,
 * which drops it to time the schema as it is.
 * With --db the file is kept and reused when it already holds a collection
 * of the same size, so repeated runs skip the minute of generation.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/stats/stats.h"
#include "lemma/store/db.h"

#define NOW		1735722000	/* 2025-01-01T09:00:00Z */
#define HISTORY_DAYS	1096
#define BUDGET_MS	150.0

struct row {
	int64_t	id;
	int32_t	card_id;
	int8_t	rating, kind, state, prev_state;
	float	elapsed, sched, stab, diff;
	float	prev_stab, prev_diff;
	int32_t	prev_sched;
	int32_t	answer_ms;
	int64_t	due, prev_due, prev_last;
};

struct card_end {
	int	state, suspended, reps, lapses;
	int64_t	due, last_review;
	int	sched;
	double	stab, diff;
	long	buried_until;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64*: fast and reproducible, so every run builds the same file. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static double
rnd(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* A time of day people study at: mostly 07-23h. */
static int64_t
study_time(int64_t day0)
{
	return day0 + 7 * 3600 + (int64_t)(rnd() * 16 * 3600);
}

static void
push(struct row **rows, size_t *n, size_t *cap, const struct row *r)
{
	VEC_RESERVE(*rows, *cap, *n + 1, 1 << 20);
	(*rows)[(*n)++] = *r;
}

/* Simulate one card's history from first_day until NOW. */
static void
simulate(int32_t cid, int64_t t, struct row **rows, size_t *n, size_t *cap,
    struct card_end *end)
{
	struct row r;
	double stab = 0, diff = 0;
	int ivl = 0, state = 0, reps = 0, lapses = 0;
	int64_t last = 0, due = 0;

	memset(&r, 0, sizeof r);
	r.card_id = cid;
	/* Learning: one or two steps, sometimes an Again first. */
	for (int step = 0; step < 3; step++) {
		int again = step == 0 && rnd() < 0.2;
		memset(&r, 0, sizeof r);
		r.card_id = cid;
		r.id = t * 1000 + (int64_t)(rnd() * 1000);
		r.kind = 0;
		r.rating = again ? 1 : 3;
		r.prev_state = (int8_t)state;
		r.prev_stab = (float)stab;
		r.prev_diff = (float)diff;
		r.prev_due = due;
		r.prev_last = last;
		r.elapsed = last ? (float)((t - last) / 86400.0) : 0;
		if (stab == 0) {
			stab = again ? 0.4 : 2.3;
			diff = 3 + rnd() * 5;
		}
		state = 1;
		r.state = 1;
		r.stab = (float)stab;
		r.diff = (float)diff;
		r.answer_ms = 2000 + (int32_t)(rnd() * rnd() * 20000);
		reps++;
		last = t;
		if (!again && step >= 1) {
			state = 2;
			ivl = 1 + (int)(rnd() * 2);
			r.state = 2;
			r.sched = (float)ivl;
			due = t + ivl * 86400;
			r.due = due;
			push(rows, n, cap, &r);
			break;
		}
		due = t + 600;
		r.due = due;
		push(rows, n, cap, &r);
		t += again ? 60 : 600;
	}
	/* Reviews until NOW. */
	for (;;) {
		int64_t day0 = due - (due % 86400);
		int64_t when = study_time(day0 + (rnd() < 0.3 ?
		    (int64_t)(rnd() * 3) * 86400 : 0));
		int mature = ivl >= 21, pass;

		if (when >= NOW)
			break;
		pass = rnd() < (mature ? 0.91 : 0.85);
		memset(&r, 0, sizeof r);
		r.card_id = cid;
		r.id = when * 1000 + (int64_t)(rnd() * 1000);
		r.kind = 1;
		r.prev_state = (int8_t)state;
		r.prev_sched = ivl;
		r.prev_stab = (float)stab;
		r.prev_diff = (float)diff;
		r.prev_due = due;
		r.prev_last = last;
		r.elapsed = (float)((when - last) / 86400.0);
		r.answer_ms = 1500 + (int32_t)(rnd() * rnd() * 15000);
		reps++;
		if (pass) {
			double u = rnd();
			r.rating = u < 0.1 ? 2 : u < 0.85 ? 3 : 4;
			ivl = (int)(ivl * (r.rating == 2 ? 1.3 :
			    r.rating == 3 ? 1.8 + rnd() : 3.0) + 0.5);
			if (ivl > 36500)
				ivl = 36500;
			stab = ivl * 1.05;
			diff = fmin(10, fmax(1, diff + (r.rating - 3) * -0.4));
			state = 2;
			r.state = 2;
			r.sched = (float)ivl;
			r.stab = (float)stab;
			r.diff = (float)diff;
			due = when + (int64_t)ivl * 86400;
			r.due = due;
			last = when;
			push(rows, n, cap, &r);
			continue;
		}
		/* A lapse: Again, then one relearning step ten minutes later. */
		r.rating = 1;
		lapses++;
		stab = fmax(0.5, stab * 0.25);
		diff = fmin(10, diff + 1);
		state = 3;
		r.state = 3;
		r.stab = (float)stab;
		r.diff = (float)diff;
		r.due = when + 600;
		push(rows, n, cap, &r);
		memset(&r, 0, sizeof r);
		r.card_id = cid;
		r.id = (when + 600) * 1000 + (int64_t)(rnd() * 1000);
		r.kind = 2;
		r.rating = 3;
		r.prev_state = 3;
		r.prev_sched = ivl;
		r.prev_stab = (float)stab;
		r.prev_diff = (float)diff;
		r.prev_due = when + 600;
		r.prev_last = when;
		r.elapsed = 600 / 86400.0f;
		r.answer_ms = 1500 + (int32_t)(rnd() * 8000);
		reps++;
		ivl = ivl / 4 > 1 ? ivl / 4 : 1;
		state = 2;
		r.state = 2;
		r.sched = (float)ivl;
		r.stab = (float)stab;
		r.diff = (float)diff;
		last = when + 600;
		due = last + (int64_t)ivl * 86400;
		r.due = due;
		push(rows, n, cap, &r);
	}
	end->state = state;
	end->due = due;
	end->last_review = last;
	end->sched = ivl;
	end->stab = stab;
	end->diff = diff;
	end->reps = reps;
	end->lapses = lapses;
}

static void
check(sqlite3 *sql, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench_stats: %s: %s\n", what, sqlite3_errmsg(sql));
		exit(1);
	}
}

static void
exec(sqlite3 *sql, const char *q)
{
	check(sql, sqlite3_exec(sql, q, NULL, NULL, NULL), q);
}

static const char *const deck_names[] = {
	"Lang::French", "Lang::German", "Lang::Japanese::Kanji",
	"Lang::Japanese::Vocab", "Science::Physics", "Science::Chemistry",
	"History", "Maths",
};
#define NDECKS	(sizeof deck_names / sizeof deck_names[0])

static void
generate(const char *path, int ncards, long nreviews)
{
	struct card_end *ends = xcalloc((size_t)ncards, sizeof *ends);
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	int64_t deck_ids[NDECKS];
	struct db *db;
	struct err e;
	sqlite3 *sql;
	sqlite3_stmt *st;
	long today = (NOW - 4 * 3600) / 86400;
	int cut = ncards;

	err_clear(&e);
	if ((db = db_open(path, DB_CREATE, &e)) == NULL) {
		err_print(&e, stderr);
		exit(1);
	}
	for (size_t i = 0; i < NDECKS; i++)
		deck_ids[i] = db_deck_ensure(db, deck_names[i], NOW, &e);
	db_close(db);

	/* About 15% of the cards are never studied; the rest start on a day
	 * of the last three years, more of them recently. */
	for (int i = 0; i < ncards; i++) {
		double u = rnd();
		int64_t start;

		if (u < 0.15 || n >= (size_t)nreviews) {
			ends[i].state = 0;
			if (n >= (size_t)nreviews && cut == ncards)
				cut = i;
			continue;
		}
		start = NOW - (int64_t)(sqrt(rnd()) * HISTORY_DAYS) * 86400;
		start = study_time(start - start % 86400);
		if (start >= NOW)
			start = NOW - 3600;
		simulate(i + 1, start, &rows, &n, &cap, &ends[i]);
	}
	if (n > (size_t)nreviews)
		n = (size_t)nreviews;
	qsort(rows, n, sizeof *rows, cmp_row);
	for (size_t i = 1; i < n; i++)
		if (rows[i].id <= rows[i - 1].id)
			rows[i].id = rows[i - 1].id + 1;
	for (int i = 0; i < ncards; i++) {
		if (ends[i].state != 0 && rnd() < 0.02)
			ends[i].suspended = 1;
		else if (ends[i].state != 0 && rnd() < 0.005)
			ends[i].buried_until = today + 1;
	}

	check(NULL, sqlite3_open(path, &sql), "open");
	exec(sql, "PRAGMA synchronous = OFF; BEGIN");
	check(sql, sqlite3_prepare_v2(sql, "INSERT INTO notes (id, guid, deck_id, "
	    "fields, sort_field, created, modified) VALUES (?1, 'g' || ?1, ?2, "
	    "'front' || char(31) || 'back', 'front', 0, 0)", -1, &st, NULL),
	    "prepare notes");
	for (int i = 0; i < ncards; i++) {
		sqlite3_bind_int(st, 1, i + 1);
		sqlite3_bind_int64(st, 2, deck_ids[i % NDECKS]);
		check(sql, sqlite3_step(st), "insert note");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	check(sql, sqlite3_prepare_v2(sql, "INSERT INTO cards (id, note_id, ord, "
	    "deck_id, state, due, position, stability, difficulty, last_review, "
	    "scheduled_days, reps, lapses, suspended, buried_until, created, "
	    "modified) VALUES (?1, ?1, 0, ?2, ?3, ?4, ?1, ?5, ?6, ?7, ?8, ?9, "
	    "?10, ?11, ?12, 0, 0)", -1, &st, NULL), "prepare cards");
	for (int i = 0; i < ncards; i++) {
		const struct card_end *c = &ends[i];
		sqlite3_bind_int(st, 1, i + 1);
		sqlite3_bind_int64(st, 2, deck_ids[i % NDECKS]);
		sqlite3_bind_int(st, 3, c->state);
		sqlite3_bind_int64(st, 4, c->due);
		sqlite3_bind_double(st, 5, c->stab);
		sqlite3_bind_double(st, 6, c->diff);
		if (c->last_review)
			sqlite3_bind_int64(st, 7, c->last_review);
		else
			sqlite3_bind_null(st, 7);
		sqlite3_bind_int(st, 8, c->sched);
		sqlite3_bind_int(st, 9, c->reps);
		sqlite3_bind_int(st, 10, c->lapses);
		sqlite3_bind_int(st, 11, c->suspended);
		sqlite3_bind_int64(st, 12, c->buried_until);
		check(sql, sqlite3_step(st), "insert card");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	check(sql, sqlite3_prepare_v2(sql, "INSERT INTO revlog (id, card_id, "
	    "rating, kind, state, elapsed_days, scheduled_days, stability, "
	    "difficulty, due, answer_ms, prev_state, prev_due, prev_stability, "
	    "prev_difficulty, prev_last_review, prev_scheduled_days) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
	    "?16, ?17)", -1, &st, NULL), "prepare revlog");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_int(st, 2, r->card_id);
		sqlite3_bind_int(st, 3, r->rating);
		sqlite3_bind_int(st, 4, r->kind);
		sqlite3_bind_int(st, 5, r->state);
		sqlite3_bind_double(st, 6, r->elapsed);
		sqlite3_bind_double(st, 7, r->sched);
		sqlite3_bind_double(st, 8, r->stab);
		sqlite3_bind_double(st, 9, r->diff);
		sqlite3_bind_int64(st, 10, r->due);
		sqlite3_bind_int(st, 11, r->answer_ms);
		sqlite3_bind_int(st, 12, r->prev_state);
		sqlite3_bind_int64(st, 13, r->prev_due);
		sqlite3_bind_double(st, 14, r->prev_stab);
		sqlite3_bind_double(st, 15, r->prev_diff);
		if (r->prev_last)
			sqlite3_bind_int64(st, 16, r->prev_last);
		else
			sqlite3_bind_null(st, 16);
		sqlite3_bind_int(st, 17, r->prev_sched);
		check(sql, sqlite3_step(st), "insert review");
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	exec(sql, "COMMIT");
	{
		char q[256];
		snprintf(q, sizeof q, "INSERT OR REPLACE INTO settings (key, value) "
		    "VALUES ('bench_stats', '%d %ld')", ncards, (long)n);
		exec(sql, q);
	}
	sqlite3_close(sql);
	fprintf(stderr, "bench_stats: generated %d cards (%d studied before "
	    "the budget ran out), %zu reviews in %s\n", ncards, cut, n, path);
	free(rows);
	free(ends);
}

/* Whether path already holds a generated collection of this size. */
static int
reusable(const char *path, int ncards, long nreviews)
{
	struct db *db;
	struct err e;
	char val[64], want[64];
	int ok;

	if (access(path, F_OK) != 0)
		return 0;
	if ((db = db_open(path, 0, &e)) == NULL)
		return 0;
	snprintf(want, sizeof want, "%d %ld", ncards, nreviews);
	ok = db_setting_get(db, "bench_stats", val, sizeof val) == 0 &&
	    strcmp(val, want) == 0;
	db_close(db);
	return ok;
}

static void
set_index(const char *path, int on)
{
	struct db *db;
	struct err e;
	sqlite3 *sql;

	err_clear(&e);
	if (on) {
		if ((db = db_open(path, 0, &e)) == NULL ||
		    stats_create_indexes(db, &e) < 0) {
			err_print(&e, stderr);
			exit(1);
		}
		db_close(db);
		return;
	}
	check(NULL, sqlite3_open(path, &sql), "open");
	exec(sql, "DROP INDEX IF EXISTS revlog_review_states");
	sqlite3_close(sql);
}

static double
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
now_ms(void)
{
	return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	char tmp[512];
	int runs = 7, ncards = 100000, keep = 0, fail = 0, use_index = 1;
	long nreviews = 1000000;
	static const struct {
		enum stats_period p;
		const char *deck, *name;
		int budget;
	} cases[] = {
		{ STATS_MONTH,	NULL,	"collection, 1 month", 1 },
		{ STATS_MONTH,	"Lang",	"deck Lang (half the cards), 1 month", 0 },
		{ STATS_YEAR,	NULL,	"collection, 1 year", 0 },
		{ STATS_YEAR,	"Lang",	"deck Lang (half the cards), 1 year", 0 },
		{ STATS_ALL,	NULL,	"collection, all history", 0 },
	};

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--cards") == 0 && i + 1 < argc)
			ncards = atoi(argv[++i]);
		else if (strcmp(argv[i], "--reviews") == 0 && i + 1 < argc)
			nreviews = atol(argv[++i]);
		else if (strcmp(argv[i], "--no-index") == 0)
			use_index = 0;
		else {
			fprintf(stderr, "usage: bench_stats [--db PATH] [--runs N] "
			    "[--cards N] [--reviews N] [--no-index]\n");
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	setenv("TZ", "UTC", 1);
	tzset();
	if (path == NULL) {
		snprintf(tmp, sizeof tmp, "%s/lemma-bench-stats-%ld.db",
		    paths_tmpdir(), (long)getpid());
		path = tmp;
	} else
		keep = 1;
	if (!reusable(path, ncards, nreviews)) {
		double t0 = now_ms();
		unlink(path);
		generate(path, ncards, nreviews);
		fprintf(stderr, "bench_stats: generation took %.1f s\n",
		    (now_ms() - t0) / 1e3);
	}

	set_index(path, use_index);

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		double *t = xcalloc((size_t)runs, sizeof *t);
		double *wall = xcalloc((size_t)runs, sizeof *wall);
		struct stats_opts o;
		struct db *db;
		struct err e;

		err_clear(&e);
		if ((db = db_open(path, DB_READONLY, &e)) == NULL) {
			err_print(&e, stderr);
			return 1;
		}
		memset(&o, 0, sizeof o);
		o.deck = cases[k].deck;
		o.period = cases[k].p;
		for (int r = 0; r < runs; r++) {
			struct stats s;
			double t0 = now_ms(), w0 = clock_ms(CLOCK_MONOTONIC);
			if (stats_compute(db, &o, NOW, &s, &e) < 0) {
				err_print(&e, stderr);
				return 1;
			}
			t[r] = now_ms() - t0;
			wall[r] = clock_ms(CLOCK_MONOTONIC) - w0;
			stats_free(&s);
		}
		qsort(t, (size_t)runs, sizeof *t, cmp_double);
		qsort(wall, (size_t)runs, sizeof *wall, cmp_double);
		printf("stats %-34s cpu median %6.1f ms (min %.1f, max %.1f), "
		    "wall median %6.1f ms, %d runs%s\n", cases[k].name, t[runs / 2],
		    t[0], t[runs - 1], wall[runs / 2], runs, !cases[k].budget ? "" :
		    t[runs / 2] > BUDGET_MS ? "  OVER BUDGET" : "  (budget 150 ms)");
		if (cases[k].budget && t[runs / 2] > BUDGET_MS)
			fail = 1;
		free(t);
		free(wall);
		db_close(db);
	}
	if (!keep) {
		char side[600];
		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	return fail;
}
