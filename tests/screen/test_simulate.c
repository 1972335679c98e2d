/*
 * test_simulate.c - `lemma simulate` run as a user runs it, on progress
 * files the test writes: the JSON and the table agree, the habits come
 * from the log (slow answers cost more minutes), the limits and cards
 * come from the preset, bad input fails clearly; and the collection's
 * "next day starts at" hour, not a preset's, draws the day for the
 * simulator and the optimizer.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../unit/json-mini.h"
#include "screen-util.h"

#define NOW	1735722000LL	/* LEMMA_NOW: 2025-01-01T09:00:00Z */
#define DAY0	1735689600LL	/* 2025-01-01T00:00:00Z */

/* Run lemma --db db args: stdout into out, stderr into err; the exit
 * status. */
static int
run2(const char *db, const char *const args[], char *out, size_t olen,
    char *err, size_t elen)
{
	const char *errpath = st_path("stderr.txt");
	FILE *f;
	size_t n;
	int rc, fd, saved = dup(2);

	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 2);
	close(fd);
	rc = st_run(db, args, out, olen);
	dup2(saved, 2);
	close(saved);
	f = fopen(errpath, "r");
	assert_non_null(f);
	n = fread(err, 1, elen - 1, f);
	err[n] = '\0';
	fclose(f);
	return rc;
}

static void
sql(const char *db, const char *text)
{
	sqlite3 *s;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	if (sqlite3_exec(s, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", text, msg);
	sqlite3_close(s);
}

/* A progress file of ncards new cards in deck "Sim" (ids 1..ncards). */
static void
make_db(const char *db, int ncards)
{
	const char *deck = st_path("deck.txt");
	const char *imp[] = { "import", deck, NULL };
	char out[512];
	FILE *f;

	unlink(db);
	f = fopen(deck, "w");
	assert_non_null(f);
	fputs("#separator:tab\n#html:false\n#deck:Sim\n", f);
	for (int i = 0; i < ncards; i++)
		fprintf(f, "question %d\tanswer %d\n", i, i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
}

/* Cards 1..n studied: review cards due over the next days, each with a
 * learning grade and a review in the log taking ms milliseconds. */
static void
study_cards(const char *db, int n, int ms)
{
	char *q;

	for (int c = 1; c <= n; c++) {
		q = sqlite3_mprintf("UPDATE cards SET state = 2, stability = "
		    "%d, difficulty = 5, due = %lld, last_review = %lld WHERE "
		    "id = %d; INSERT INTO revlog (id, card_id, rating, kind, "
		    "state, answer_ms) VALUES (%lld, %d, 3, 0, 1, %d), (%lld, "
		    "%d, 3, 1, 2, %d)", 3 + c % 7, NOW + (c % 5) * 86400LL,
		    NOW - 3 * 86400LL, c, (NOW - 20 * 86400LL + c) * 1000, c, ms,
		    (NOW - 3 * 86400LL + c) * 1000, c, ms);
		sql(db, q);
		sqlite3_free(q);
	}
}

static struct json *
simulate_json(const char *db, const char *days)
{
	const char *args[] = { "simulate", "--json", "--days", days, NULL };
	static char out[16384], err[1024];
	char jerr[128];
	struct json *j;

	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	j = json_parse(out, jerr, sizeof jerr);
	if (j == NULL)
		fail_msg("%s: %s", jerr, out);
	return j;
}

/* The JSON's numbers: 30 retentions, the preset's limits and cards; the
 * table prints the same numbers and marks the same best retention. */
static void
test_simulate_json_and_table(void **state)
{
	const char *db = st_path("sim.db");
	const char *args[] = { "simulate", "--days", "120", NULL };
	static char out[16384], err[1024];
	const struct json *res;
	struct json *j;
	double best;
	char line[128];

	(void)state;
	make_db(db, 60);
	study_cards(db, 20, 8000);
	sql(db, "UPDATE deck_config SET new_per_day = 7, reviews_per_day = 150");
	j = simulate_json(db, "120");
	assert_int_equal((int)json_num(j, "days", 0), 120);
	assert_int_equal((int)json_num(j, "new_limit", 0), 7);
	assert_int_equal((int)json_num(j, "review_limit", 0), 150);
	assert_int_equal((int)json_num(j, "cards", 0), 20);
	assert_int_equal((int)json_num(j, "new_cards", 0), 40);
	assert_int_equal((int)json_num(j, "log_rows", 0), 40);
	res = json_get(j, "results");
	assert_int_equal(res->n, 30);
	for (size_t i = 0; i < res->n; i++) {
		assert_true(fabs(json_num(&res->items[i], "retention", 0) -
		    (70 + (double)i) / 100) < 1e-9);
		/* Every card is learnt within 120 days at 7 a day. */
		assert_int_equal((int)json_num(&res->items[i], "learnt", 0),
		    40);
	}
	assert_true(json_num(&res->items[29], "memorised", 0) >
	    json_num(&res->items[0], "memorised", 99));
	assert_true(json_num(&res->items[29], "minutes_per_day", 0) >
	    json_num(&res->items[0], "minutes_per_day", 99));
	best = json_num(j, "best_retention", 0);
	assert_true(best >= 0.70 - 1e-9 && best <= 0.95 + 1e-9);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "Preset \"Default\": 20 studied cards, "
	    "40 new; 7 new and at most 150 reviews a day; 120 days"));
	/* The best row is starred, and the 90% row shows the JSON's numbers
	 * and the preset's retention. */
	snprintf(line, sizeof line, "* %8.0f%%", best * 100);
	assert_non_null(strstr(out, line));
	snprintf(line, sizeof line, "       90%%   %12.1f %12.1f %10.1f   (now)",
	    json_num(&res->items[20], "minutes_per_day", 0),
	    json_num(&res->items[20], "reviews_per_day", 0),
	    json_num(&res->items[20], "memorised", 0));
	if (strstr(out, line) == NULL)
		fail_msg("no line \"%s\" in:\n%s", line, out);
	json_free(j);
}

/* Answer times come from the log: the same cards answered in 60 s cost
 * more minutes a day than answered in 2 s. */
static void
test_simulate_habits(void **state)
{
	const char *slow = st_path("slow.db"), *fast = st_path("fast.db");
	struct json *js, *jf;
	double ms, mf;

	(void)state;
	make_db(slow, 200);
	study_cards(slow, 200, 60000);
	make_db(fast, 200);
	study_cards(fast, 200, 2000);
	js = simulate_json(slow, "30");
	jf = simulate_json(fast, "30");
	ms = json_num(&json_get(js, "results")->items[20], "minutes_per_day", 0);
	mf = json_num(&json_get(jf, "results")->items[20], "minutes_per_day", 0);
	assert_true(ms > mf * 1.5);
	json_free(js);
	json_free(jf);
}

static void
test_simulate_bad_input(void **state)
{
	static const struct {
		const char	*args[6];
		int		 rc;
		const char	*msg;
	} cases[] = {
		{ { "simulate", "--days", "0", NULL }, 2,
		    "--days wants a number from 1 to 3650, not '0'" },
		{ { "simulate", "--days", "3651", NULL }, 2,
		    "--days wants a number from 1 to 3650" },
		{ { "simulate", "--days", "ten", NULL }, 2, "not 'ten'" },
		{ { "simulate", "--extra-new", "-1", NULL }, 2,
		    "--extra-new wants a number from 0" },
		{ { "simulate", "--preset", "Nope", NULL }, 1,
		    "no preset named \"Nope\"" },
		{ { "simulate", "--deck", "No\x1b[2Jdeck", NULL }, 1,
		    "no deck named \"No\xe2\x90\x9b[2Jdeck\"" },
		{ { "simulate", "--preset", "Default", "--deck", "Sim", NULL },
		    2, "cannot be used together" },
		{ { "simulate", "extra", NULL }, 2, "unexpected argument" },
	};
	const char *args[] = { "simulate", NULL };
	static char out[8192], err[2048];
	char db[600];

	(void)state;
	/* st_path's buffers are reused after 8 calls: keep a copy. */
	snprintf(db, sizeof db, "%s", st_path("bad.db"));
	make_db(db, 3);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = run2(db, cases[i].args, out, sizeof out, err,
		    sizeof err);

		if (rc != cases[i].rc || strstr(err, cases[i].msg) == NULL)
			fail_msg("case %zu: rc %d, stderr \"%s\"", i, rc, err);
		assert_string_equal(out, "");
	}
	/* Parameters stored wrong: which one, and nothing simulated. */
	sql(db, "UPDATE deck_config SET fsrs_params = '1, 2, 3' WHERE id = 1");
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "lemma simulate: "));
	assert_non_null(strstr(err, "parameters"));
	assert_string_equal(out, "");
}

/*
 * Anki's day starts at the collection's hour. One review card is due at
 * 02:00 tomorrow: with the day starting at 04:00 that is still today, so
 * a one-day simulation grades it; starting at 00:00, it is tomorrow's.
 * The preset's own rollover_hour says the opposite each time, and is not
 * heard.
 */
static void
test_simulate_collection_day(void **state)
{
	const char *db = st_path("day.db");
	struct json *j;
	char *q;

	(void)state;
	make_db(db, 1);
	q = sqlite3_mprintf("UPDATE cards SET state = 2, stability = 10, "
	    "difficulty = 5, due = %lld, last_review = %lld WHERE id = 1; "
	    "UPDATE deck_config SET new_per_day = 0, rollover_hour = 0; "
	    "INSERT OR REPLACE INTO settings (key, value) VALUES "
	    "('next_day_starts_at', '4')", DAY0 + 86400 + 2 * 3600,
	    NOW - 10 * 86400LL);
	sql(db, q);
	sqlite3_free(q);
	j = simulate_json(db, "1");
	assert_true(json_num(&json_get(j, "results")->items[20],
	    "reviews_per_day", 0) == 1.0);
	json_free(j);
	sql(db, "UPDATE deck_config SET rollover_hour = 4; UPDATE settings SET "
	    "value = '0' WHERE key = 'next_day_starts_at'");
	j = simulate_json(db, "1");
	assert_true(json_num(&json_get(j, "results")->items[20],
	    "reviews_per_day", 9) == 0.0);
	json_free(j);
}

/*
 * The optimizer counts days the same way. Each card is learnt at 02:00,
 * reviewed at 05:00 the same morning and 3 days later. With the day
 * starting at 04:00 the 05:00 review is a day after the first grade: two
 * items a card; starting at 00:00 it is the same day: one.
 */
static void
test_optimize_collection_day(void **state)
{
	const char *db = st_path("opt.db");
	const char *args[] = { "optimize", "--evaluate", "--json", NULL };
	static char out[8192], err[2048];
	char jerr[128];
	struct json *j;
	char *q;

	(void)state;
	make_db(db, 30);
	for (int c = 1; c <= 30; c++) {
		long long d = DAY0 - 40 * 86400LL + c;

		q = sqlite3_mprintf("INSERT INTO revlog (id, card_id, rating, "
		    "kind, state) VALUES (%lld, %d, 3, 0, 2), (%lld, %d, 3, 1, "
		    "2), (%lld, %d, %d, 1, 2)", (d + 2 * 3600) * 1000, c,
		    (d + 5 * 3600) * 1000, c, (d + 3 * 86400 + 10 * 3600) * 1000,
		    c, c % 3 ? 3 : 1);
		sql(db, q);
		sqlite3_free(q);
	}
	sql(db, "UPDATE deck_config SET rollover_hour = 0; INSERT OR REPLACE "
	    "INTO settings (key, value) VALUES ('next_day_starts_at', '4')");
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	j = json_parse(out, jerr, sizeof jerr);
	assert_non_null(j);
	assert_int_equal((int)json_num(j, "items", 0), 60);
	json_free(j);
	sql(db, "UPDATE deck_config SET rollover_hour = 4; UPDATE settings SET "
	    "value = '0' WHERE key = 'next_day_starts_at'");
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	j = json_parse(out, jerr, sizeof jerr);
	assert_non_null(j);
	assert_int_equal((int)json_num(j, "items", 0), 30);
	json_free(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simulate_json_and_table),
		cmocka_unit_test(test_simulate_habits),
		cmocka_unit_test(test_simulate_bad_input),
		cmocka_unit_test(test_simulate_collection_day),
		cmocka_unit_test(test_optimize_collection_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
