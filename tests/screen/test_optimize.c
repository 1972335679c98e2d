/*
 * test_optimize.c - `lemma optimize` run as a user runs it, on progress
 * files whose review log the test writes: a fit that is saved, one that
 * is not better and is kept, --dry-run, --evaluate, the guards for small
 * logs, and bad input (an empty log, one card, only Again, stored
 * parameters that are not valid, unknown names, Ctrl-C in the middle),
 * each leaving the parameters as they were.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../unit/json-mini.h"
#include "screen-util.h"

#define NOW	1735722000LL	/* LEMMA_NOW: 2025-01-01T09:00:00Z */

static const char *
bin(void)
{
	return getenv("LEMMA_BIN") != NULL ? getenv("LEMMA_BIN") : "src/lemma";
}

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

static uint64_t rng_state;

static double
urand(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/*
 * A progress file of ncards cards in deck "Optim", each with a review log:
 * a learning step (Good) 400 days before NOW at a time of its own, then
 * reviews at growing intervals, recalled with probability
 * (1 + t / (9 s))^-1 of a hidden stability s; a lapse is Again followed
 * by a relearning step. only_again: every grade is Again. reviews: the
 * most rows per card (0: no log at all).
 */
static void
make_db(const char *db, int ncards, int reviews, int only_again)
{
	const char *deck = st_path("deck.txt");
	const char *imp[] = { "import", deck, NULL };
	char out[512];
	sqlite3 *s;
	sqlite3_stmt *ins;
	FILE *f;

	unlink(db);
	f = fopen(deck, "w");
	assert_non_null(f);
	fputs("#separator:tab\n#html:false\n#deck:Optim\n", f);
	for (int i = 0; i < ncards; i++)
		fprintf(f, "question %d\tanswer %d\n", i, i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	if (reviews == 0)
		return;
	rng_state = 1;
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "INSERT INTO revlog (id, card_id, "
	    "rating, kind, state, due, stability, prev_due) VALUES "
	    "(?, ?, ?, ?, ?, ?, 1, 0)", -1, &ins, NULL), SQLITE_OK);
	for (int c = 1; c <= ncards; c++) {
		/* Times are unique across cards: c * 13 s into the day, whole
		 * days apart, a relearning step 600 s later. */
		long long t = NOW - 400LL * 86400 + c * 13LL;
		double stab = 2.0 + 3.0 * urand();
		int n = 0;

#define ROW(G, K) do {							\
	sqlite3_bind_int64(ins, 1, t * 1000);				\
	sqlite3_bind_int64(ins, 2, c);					\
	sqlite3_bind_int(ins, 3, only_again ? 1 : (G));			\
	sqlite3_bind_int(ins, 4, (K));					\
	sqlite3_bind_int(ins, 5, 2);					\
	sqlite3_bind_int64(ins, 6, t + 86400);				\
	assert_int_equal(sqlite3_step(ins), SQLITE_DONE);		\
	sqlite3_reset(ins);						\
	n++;								\
} while (0)
		ROW(3, 0);
		while (n < reviews) {
			long long gap = (long long)(stab * (0.7 + 0.6 * urand()) +
			    0.5) * 86400;

			if (gap < 86400)
				gap = 86400;
			t += gap;
			if (t > NOW - 86400)
				break;
			if (urand() < pow(1.0 + (double)gap / 86400.0 /
			    (9.0 * stab), -1.0)) {
				ROW(urand() < 0.1 ? 2 : 3, 1);
				stab *= 2.0 + urand();
			} else {
				ROW(1, 1);
				t += 600;
				ROW(3, 2);
				stab = stab * 0.4 + 0.5;
			}
		}
#undef ROW
	}
	sqlite3_finalize(ins);
	assert_int_equal(sqlite3_exec(s, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
}

/* deck_config.fsrs_params of the Default preset ("NULL" when unset). */
static void
stored_params(const char *db, char *buf, size_t len)
{
	sqlite3 *s;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT coalesce(fsrs_params, "
	    "'NULL') FROM deck_config WHERE id = 1", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(s);
}

static void
set_params(const char *db, const char *text)
{
	sqlite3 *s;
	char *sql;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	sql = sqlite3_mprintf("UPDATE deck_config SET fsrs_params = %Q "
	    "WHERE id = 1", text);
	assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(s);
}

/* A fit on 400 cards is better than the defaults and saved; its numbers
 * are those printed; a second run finds nothing better and keeps them. */
static void
test_optimize_saves(void **state)
{
	const char *db = st_path("fit.db");
	const char *args[] = { "optimize", "--json", NULL };
	const char *deck_args[] = { "optimize", "--deck", "Optim", NULL };
	static char out[8192], err[4096], params[1024];
	struct json *j, *j2;
	const struct json *p;
	char jerr[128];

	(void)state;
	make_db(db, 400, 14, 0);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	j = json_parse(out, jerr, sizeof jerr);
	if (j == NULL)
		fail_msg("%s: %s", jerr, out);
	assert_string_equal(json_str(j, "fit"), "trained");
	assert_true(json_num(j, "items", 0) > 1000);
	assert_true(json_num(json_get(j, "after"), "log_loss", 9) <
	    json_num(json_get(j, "before"), "log_loss", 0));
	assert_true(json_get(j, "saved")->num == 1);
	p = json_get(j, "params");
	assert_int_equal(p->n, 21);
	stored_params(db, params, sizeof params);
	{
		char want[32];

		snprintf(want, sizeof want, "%.4f", p->items[20].num);
		assert_non_null(strstr(params, want));
	}
	/* Again: the saved parameters are the current ones now. */
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	j2 = json_parse(out, jerr, sizeof jerr);
	assert_non_null(j2);
	assert_true(json_get(j2, "saved")->num == 0);
	json_free(j2);
	/* --deck names the same preset; the text report. */
	assert_int_equal(run2(db, deck_args, out, sizeof out, err, sizeof err),
	    0);
	assert_non_null(strstr(out, "Preset \"Default\""));
	assert_non_null(strstr(out, "log loss"));
	assert_non_null(strstr(out, "kept"));
	json_free(j);
}

/* --dry-run fits and reports, and saves nothing. */
static void
test_dry_run(void **state)
{
	const char *db = st_path("dry.db");
	const char *args[] = { "optimize", "--dry-run", NULL };
	static char out[8192], err[4096], params[1024];

	(void)state;
	make_db(db, 300, 14, 0);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "not saved (--dry-run)"));
	stored_params(db, params, sizeof params);
	assert_string_equal(params, "NULL");
}

/* --evaluate: the current parameters' figures, the time-series split and
 * the health check's verdict; nothing saved. */
static void
test_evaluate(void **state)
{
	const char *db = st_path("eval.db");
	const char *args[] = { "optimize", "--evaluate", "--json", NULL };
	const char *text[] = { "optimize", "--evaluate", NULL };
	static char out[8192], err[4096], params[1024];
	struct json *j;
	char jerr[128];

	(void)state;
	make_db(db, 300, 14, 0);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	j = json_parse(out, jerr, sizeof jerr);
	assert_non_null(j);
	assert_true(json_num(json_get(j, "current"), "log_loss", 0) > 0.05);
	assert_true(json_num(json_get(j, "time_series_split"), "rmse_bins",
	    -1) >= 0);
	assert_int_equal(json_get(j, "health_check")->type, JSON_BOOL);
	json_free(j);
	assert_int_equal(run2(db, text, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "Health check: "));
	stored_params(db, params, sizeof params);
	assert_string_equal(params, "NULL");
}

/* An empty log, and no log for the preset's cards: a message, status 1,
 * nothing saved. */
static void
test_empty_log(void **state)
{
	const char *db = st_path("empty.db");
	const char *args[] = { "optimize", NULL };
	static char out[4096], err[4096], params[1024];

	(void)state;
	make_db(db, 5, 0, 0);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "no reviews to learn from"));
	assert_non_null(strstr(err, "unchanged"));
	stored_params(db, params, sizeof params);
	assert_string_equal(params, "NULL");
}

/* One card: fewer than 8 items, the fit gives the defaults, which are the
 * current parameters: kept. Custom parameters that the defaults predict
 * better are replaced, as Anki does. */
static void
test_single_card(void **state)
{
	const char *db = st_path("one.db");
	const char *args[] = { "optimize", NULL };
	static char out[4096], err[4096], params[1024];

	(void)state;
	make_db(db, 1, 8, 0);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	assert_non_null(strstr(out, "Fewer than 8 items"));
	assert_non_null(strstr(out, "kept"));
	stored_params(db, params, sizeof params);
	assert_string_equal(params, "NULL");
}

/* Only Again: a fit with finite parameters; the report has no NaN. */
static void
test_only_again(void **state)
{
	const char *db = st_path("again.db");
	const char *args[] = { "optimize", "--json", NULL };
	static char out[8192], err[4096];
	struct json *j;
	const struct json *p;
	char jerr[128];

	(void)state;
	make_db(db, 200, 10, 1);
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 0);
	assert_null(strstr(out, "nan"));
	j = json_parse(out, jerr, sizeof jerr);
	assert_non_null(j);
	p = json_get(j, "params");
	assert_int_equal(p->n, 21);
	for (size_t i = 0; i < 21; i++)
		assert_true(isfinite(p->items[i].num));
	assert_true(json_get(json_get(j, "after"), "log_loss")->type ==
	    JSON_NUMBER);
	json_free(j);
}

/* Stored parameters that are not valid, unknown names, contradictory
 * options: a message and nothing saved. */
static void
test_bad_input(void **state)
{
	const char *db = st_path("bad.db");
	const char *args[] = { "optimize", NULL };
	const char *nopreset[] = { "optimize", "--preset", "Nope\033[2J", NULL };
	const char *both[] = { "optimize", "--preset", "Default", "--deck",
	    "Optim", NULL };
	const char *epochs[] = { "optimize", "--epochs", "0", NULL };
	static char out[4096], err[4096], params[1024];

	(void)state;
	make_db(db, 50, 8, 0);
	set_params(db, "0.2, 1.2, nan, 8");
	assert_int_equal(run2(db, args, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "not valid"));
	stored_params(db, params, sizeof params);
	assert_string_equal(params, "0.2, 1.2, nan, 8");
	set_params(db, NULL);
	assert_int_equal(run2(db, nopreset, out, sizeof out, err, sizeof err), 1);
	assert_non_null(strstr(err, "no preset named"));
	assert_null(strchr(err, '\033'));	/* the name is made safe */
	assert_int_equal(run2(db, both, out, sizeof out, err, sizeof err), 2);
	assert_int_equal(run2(db, epochs, out, sizeof out, err, sizeof err), 2);
}

/* Ctrl-C in the middle of a fit, typed on the terminal where the
 * progress shows: "cancelled", status 130, the parameters unchanged. */
static void
test_cancel(void **state)
{
	const char *db = st_path("cancel.db");
	const char *argv[] = { bin(), "--db", db, "optimize", "--epochs", "100",
	    "--threads", "1", NULL };
	static char params[1024];
	struct vt *vt;
	int status;

	(void)state;
	/* Large enough that the fit outlasts the half second before the
	 * progress line shows (3,000 cards of 16 rows fitted in 0.4 s);
	 * make_db's times need card id x 13 s within a day: 6,646 cards
	 * at most. */
	make_db(db, 6000, 40, 0);
	/* stderr on the terminal too (/dev/tty in the child is the pty). */
	vt = vt_spawn(argv, NULL, 24, 80, "/dev/tty");
	st_expect(vt, "Optimizing: ");
	vt_send(vt, "\003");
	st_expect(vt, "cancelled; the parameters are unchanged");
	status = vt_close(vt, st_wait_ms());
	assert_true(WIFEXITED(status));
	/* 128 + SIGINT, as every long command cancelled (issue 21). */
	assert_int_equal(WEXITSTATUS(status), 130);
	stored_params(db, params, sizeof params);
	assert_string_equal(params, "NULL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_optimize_saves),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_empty_log),
		cmocka_unit_test(test_single_card),
		cmocka_unit_test(test_only_again),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
