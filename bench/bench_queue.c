/*
 * bench_queue.c - how long building today's queue takes on a large
 * collection: study_open() + the first study_next(), and the deck list's
 * study_deck_counts().
 *
 *	bench_queue [--cards N] [--runs N] [--file PATH]
 *
 * Builds a synthetic progress file (default 100,000 cards in 10 decks:
 * 60% review cards due from 10 days overdue to a year ahead, so about
 * 1,800 are due today; 1% in (re)learning, due within the hour; 39% new;
 * 40% of notes have two cards), then times each operation --runs times
 * and reports the median with the spread. --heavy makes a backlog: 55%
 * review cards from 20 days overdue to 200 days ahead (5,000 due) and 5%
 * in (re)learning.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"

#define NOW	((time_t)1735722000)	/* 2025-01-01T09:00:00Z */

static const char *const deck_names[] = {
	"Languages", "Languages::French", "Languages::German",
	"Languages::Spanish", "Science", "Science::Chemistry",
	"Science::Physics", "History", "History::Europe", "Music",
};
#define NDECKS	(sizeof deck_names / sizeof deck_names[0])

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time too: on a shared machine the wall clock also counts the time
 * other processes held the CPU. */
static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
check(int rc, sqlite3 *sql, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bench_queue: %s: %s\n", what, sqlite3_errmsg(sql));
		exit(1);
	}
}

static int heavy;

static void
build(const char *path, int ncards)
{
	struct err e;
	struct db *db;
	sqlite3 *sql;
	sqlite3_stmt *note, *card;
	int64_t deck_ids[NDECKS];
	int cards = 0, position = 0;
	int64_t nid = 0;

	unlink(path);
	if ((db = db_open(path, DB_CREATE, &e)) == NULL) {
		err_print(&e, stderr);
		exit(1);
	}
	for (size_t i = 0; i < NDECKS; i++)
		if ((deck_ids[i] = db_deck_ensure(db, deck_names[i], NOW, &e)) < 0) {
			err_print(&e, stderr);
			exit(1);
		}
	db_close(db);
	check(sqlite3_open(path, &sql), sql, "open");
	check(sqlite3_exec(sql, "BEGIN", NULL, NULL, NULL), sql, "begin");
	check(sqlite3_prepare_v2(sql, "INSERT INTO notes (id, guid, notetype, "
	    "deck_id, fields, sort_field, tags, created, modified) VALUES "
	    "(?1, 'b' || ?1, ?2, ?3, 'front ' || ?1 || char(31) || 'back', "
	    "'front ' || ?1, '', ?4, ?4)", -1, &note, NULL), sql, "prepare");
	check(sqlite3_prepare_v2(sql, "INSERT INTO cards (note_id, ord, deck_id, "
	    "state, due, position, stability, difficulty, last_review, "
	    "scheduled_days, step, reps, lapses, created, modified) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, 0, ?12, ?12)", -1,
	    &card, NULL), sql, "prepare");
	while (cards < ncards) {
		int two = rng() % 100 < 40 && cards + 1 < ncards;
		int64_t d = deck_ids[rng() % NDECKS];

		nid++;
		sqlite3_bind_int64(note, 1, nid);
		sqlite3_bind_int(note, 2, two ? 1 : 0);
		sqlite3_bind_int64(note, 3, d);
		sqlite3_bind_int64(note, 4, NOW);
		check(sqlite3_step(note), sql, "insert note");
		sqlite3_reset(note);
		for (int ord = 0; ord < 1 + two; ord++, cards++) {
			unsigned r = (unsigned)(rng() % 1000);
			int state = heavy ? (r < 550 ? 2 : r < 580 ? 1 : r < 600 ? 3 : 0) :
			    (r < 600 ? 2 : r < 608 ? 1 : r < 610 ? 3 : 0);
			double s = 0, dif = 0;
			int64_t due = 0, last = 0;
			int sched = 0;

			if (state == 2) {
				s = 1 + (double)(rng() % 30000) / 100.0;
				dif = 1 + (double)(rng() % 900) / 100.0;
				due = NOW + (heavy ? (int64_t)((int)(rng() % 220) - 20) :
				    (int64_t)((int)(rng() % 375) - 10)) * 86400 +
				    (int64_t)(rng() % 86400) - 43200;
				sched = 1 + (int)(s * 0.9);
				last = due - (int64_t)sched * 86400;
			} else if (state != 0) {
				s = 0.5 + (double)(rng() % 300) / 100.0;
				dif = 5;
				due = NOW + (int64_t)(rng() % 3600) - 1800;
				last = due - 600;
			}
			sqlite3_bind_int64(card, 1, nid);
			sqlite3_bind_int(card, 2, ord);
			sqlite3_bind_int64(card, 3, d);
			sqlite3_bind_int(card, 4, state);
			sqlite3_bind_int64(card, 5, due);
			sqlite3_bind_int(card, 6, ++position);
			sqlite3_bind_double(card, 7, s);
			sqlite3_bind_double(card, 8, dif);
			if (last != 0)
				sqlite3_bind_int64(card, 9, last);
			else
				sqlite3_bind_null(card, 9);
			sqlite3_bind_int(card, 10, sched);
			sqlite3_bind_int(card, 11, state == 0 ? 0 : 3);
			sqlite3_bind_int64(card, 12, NOW);
			check(sqlite3_step(card), sql, "insert card");
			sqlite3_reset(card);
		}
	}
	sqlite3_finalize(note);
	sqlite3_finalize(card);
	check(sqlite3_exec(sql, "COMMIT; ANALYZE", NULL, NULL, NULL), sql, "commit");
	sqlite3_close(sql);
}

static void
report(const char *what, double *ms, double *cpu, int runs)
{
	qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
	qsort(cpu, (size_t)runs, sizeof *cpu, cmp_double);
	printf("  %-44s %7.2f ms median (%.2f..%.2f), CPU %.2f ms\n", what,
	    ms[runs / 2], ms[0], ms[runs - 1], cpu[runs / 2]);
}

int
main(int argc, char **argv)
{
	int ncards = 100000, runs = 11, n, l, r;
	char path[512];
	const char *file = NULL;
	double *open_all, *open_one, *counts, *cpu[3];
	struct err e;
	struct db *db;

	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--cards") == 0)
			ncards = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[++i]);
		else if (i + 1 < argc && strcmp(argv[i], "--file") == 0)
			file = argv[++i];
		else if (strcmp(argv[i], "--heavy") == 0)
			heavy = 1;
		else {
			fprintf(stderr, "usage: bench_queue [--cards N] [--runs N] "
			    "[--file PATH] [--heavy]\n");
			return 2;
		}
	}
	if (ncards < 1 || runs < 1)
		return 2;
	if (file == NULL) {
		snprintf(path, sizeof path, "%s/lemma-bench-queue-%d.lemma",
		    paths_tmpdir(), (int)getpid());
		file = path;
	}
	setenv("TZ", "UTC", 1);
	tzset();
	build(file, ncards);
	if ((db = db_open(file, 0, &e)) == NULL) {
		err_print(&e, stderr);
		return 1;
	}
	open_all = calloc((size_t)runs, sizeof *open_all);
	open_one = calloc((size_t)runs, sizeof *open_one);
	counts = calloc((size_t)runs, sizeof *counts);
	for (int k = 0; k < 3; k++)
		cpu[k] = calloc((size_t)runs, sizeof *cpu[k]);
	for (int i = 0; i < runs; i++) {
		const struct study_card *c;
		struct deck_counts *dc;
		struct study *s;
		size_t nd;
		double t0 = mono_ms(), c0 = cpu_ms();

		if ((s = study_open(db, 0, NOW, &e)) == NULL ||
		    study_next(s, NOW, &c, &e) < 0) {
			err_print(&e, stderr);
			return 1;
		}
		open_all[i] = mono_ms() - t0;
		cpu[0][i] = cpu_ms() - c0;
		if (i == 0) {
			study_remaining(s, &n, &l, &r);
			printf("queue: %d cards in %zu decks; today: %d new, %d "
			    "learning, %d review (limits applied)\n", ncards,
			    NDECKS, n, l, r);
		}
		study_close(s);
		t0 = mono_ms();
		c0 = cpu_ms();
		if ((s = study_open(db, db_deck_find(db, "Languages", &e), NOW,
		    &e)) == NULL || study_next(s, NOW, &c, &e) < 0) {
			err_print(&e, stderr);
			return 1;
		}
		open_one[i] = mono_ms() - t0;
		cpu[1][i] = cpu_ms() - c0;
		study_close(s);
		t0 = mono_ms();
		c0 = cpu_ms();
		if (study_deck_counts(db, NOW, &dc, &nd, &e) < 0) {
			err_print(&e, stderr);
			return 1;
		}
		counts[i] = mono_ms() - t0;
		cpu[2][i] = cpu_ms() - c0;
		study_deck_counts_free(dc, nd);
	}
	printf("queue build, median of %d runs:\n", runs);
	report("study_open(all decks) + first study_next", open_all, cpu[0], runs);
	report("study_open(Languages, 4 decks) + study_next", open_one, cpu[1],
	    runs);
	report("study_deck_counts (deck list)", counts, cpu[2], runs);
	db_close(db);
	if (file == path) {
		char side[600];
		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	free(open_all);
	free(open_one);
	free(counts);
	for (int k = 0; k < 3; k++)
		free(cpu[k]);
	return 0;
}
