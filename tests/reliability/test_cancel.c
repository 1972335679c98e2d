/*
 * test_cancel.c - long work shows its progress and can be cancelled
 * (issue 21): an old progress file's upgrade and a large import, on a
 * terminal.
 *
 *   - The upgrade of a large file at schema 1 shows one progress line
 *     ("Upgrading the progress file: ...") on the terminal; on a pipe
 *     (stderr a file) and with --quiet there is none.
 *   - SIGINT at several moments of the upgrade, SIGTERM and SIGHUP: exit
 *     130 / 143 / 129 with "Cancelled; nothing was changed.", the file
 *     byte for byte as before, and the next start upgrades it and
 *     `lemma check` passes.
 *   - A 300,000-note import into a file holding a deck: SIGINT at once
 *     and later: exit 130, the file as it was, its 20 notes only.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/schema-undo.h"
#include "rel-util.h"
#include "screen-util.h"
#include "vt.h"

/* Notes of the generated deck and review-log rows per card: enough that
 * the upgrade takes a few seconds here (migration 2 rebuilds cards and
 * sums the review log). */
#define NOTES		40000
#define REVIEWS_PER	12

static char old_db[600];
static char *old_bytes;
static size_t old_len;

/* A file of the current schema, filled, then taken back to schema 1 as
 * a user's old file would be. */
static int
setup(void **state)
{
	char deck[600];
	struct ru_result r;
	sqlite3 *s;
	char sql[1024];

	(void)state;
	snprintf(deck, sizeof deck, "%s", st_path("old.txt"));
	snprintf(old_db, sizeof old_db, "%s", st_path("old.db"));
	ru_write_deck(deck, "Old", NOTES);
	if (ru_lemma(&r, old_db, "import", deck, NULL) != 0) {
		fprintf(stderr, "%s", r.err);
		return -1;
	}
	if (sqlite3_open(old_db, &s) != SQLITE_OK)
		return -1;
	snprintf(sql, sizeof sql, "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL "
	    "SELECT i + 1 FROM k WHERE i < %d) INSERT INTO revlog (id, card_id,"
	    " rating, kind, state, elapsed_days, scheduled_days, stability, "
	    "difficulty, due, answer_ms) SELECT 1700000000000 + c.id * 100 + "
	    "k.i, c.id, 1 + (c.id + k.i) %% 4, 1, 2, k.i, k.i + 1, 2.5, 5.0, "
	    "1700000000 + k.i * 86400, 4000 FROM cards c, k",
	    REVIEWS_PER - 1);
	if (sqlite3_exec(s, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	/* Each card as its last review left it (lemma check insists). */
	snprintf(sql, sizeof sql, "UPDATE cards SET state = 2, reps = %d, "
	    "stability = 2.5, difficulty = 5.0, due = (SELECT due FROM revlog r"
	    " WHERE r.card_id = cards.id ORDER BY r.id DESC LIMIT 1)",
	    REVIEWS_PER);
	if (sqlite3_exec(s, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    undo_to(s, 1) < 0 ||
	    sqlite3_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
	    NULL) != SQLITE_OK) {
fail:
		fprintf(stderr, "setup: %s\n", sqlite3_errmsg(s));
		sqlite3_close(s);
		return -1;
	}
	sqlite3_close(s);
	old_bytes = ru_read(old_db, &old_len);
	return old_bytes != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	free(old_bytes);
	return 0;
}

/* A fresh copy of the old file, named after the case. */
static void
old_copy(char *db, size_t len, const char *name)
{
	snprintf(db, len, "%s", st_path(name));
	ru_copy(old_db, db);
}

static void
assert_unchanged(const char *db)
{
	size_t len;
	char *now = ru_read(db, &len);

	assert_non_null(now);
	if (len != old_len || memcmp(now, old_bytes, len) != 0)
		fail_msg("%s changed (%zu bytes, was %zu)", db, len, old_len);
	free(now);
}

/* `lemma due` on db in a pty with stderr on the terminal too. */
static struct vt *
start_due(const char *db, const char *extra)
{
	char cmd[2048];
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	const char *env[] = { "TERM=xterm", NULL };

	snprintf(cmd, sizeof cmd, "exec '%s' --db '%s' %s due 2>&1",
	    ru_lemma_bin(), db, extra);
	return vt_spawn(argv, env, 24, 100, NULL);
}

/* One cancel: wait for the progress line, wait delay_ms more, send sig;
 * with then_check, let the next start upgrade it and check it. */
static void
cancel_once(const char *name, int sig, int delay_ms, int then_check)
{
	char db[600];
	struct vt *vt;
	int status;

	old_copy(db, sizeof db, name);
	vt = start_due(db, "");
	if (vt_wait_for(vt, "Upgrading the progress file", 30000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("%s: no progress line", name);
	}
	ru_usleep(delay_ms * 1000L);
	vt_signal(vt, sig);
	if (vt_wait_for(vt, "Cancelled; nothing was changed.", 30000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("%s: no word of the cancel", name);
	}
	status = vt_close(vt, 30000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 128 + sig);
	assert_unchanged(db);
	if (!then_check)
		return;
	/* The next start upgrades it whole. */
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM revlog"),
	    (long long)NOTES * REVIEWS_PER);
}

static void
test_sigint_at_several_moments(void **state)
{
	(void)state;
	cancel_once("int0.db", SIGINT, 0, 1);
	cancel_once("int1.db", SIGINT, 300, 0);
	cancel_once("int2.db", SIGINT, 800, 0);
}

static void
test_sigterm_and_sighup(void **state)
{
	(void)state;
	cancel_once("term.db", SIGTERM, 200, 0);
	cancel_once("hup.db", SIGHUP, 200, 0);
}

/* The line on a terminal, and none on a pipe or with --quiet. */
static void
test_line_only_on_a_terminal(void **state)
{
	char db[600];
	struct ru_result r;
	struct vt *vt;
	int status;

	(void)state;
	old_copy(db, sizeof db, "pipe.db");
	assert_int_equal(ru_lemma(&r, db, "due", NULL), 0);
	assert_null(strstr(r.err, "Upgrading"));
	assert_null(strchr(r.err, '\r'));

	old_copy(db, sizeof db, "quiet.db");
	vt = start_due(db, "--quiet");
	if (vt_wait_for(vt, "Old", 60000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("quiet: no due line");
	}
	assert_false(vt_contains(vt, "Upgrading"));
	status = vt_close(vt, 30000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A large import into a file that holds a deck: SIGINT at two moments
 * rolls it back, the file byte for byte as it was. */
static void
test_import_cancel(void **state)
{
	static const int delays_ms[] = { 0, 700 };
	char big[600], small[600], db[600], cmd[2048];
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	const char *env[] = { "TERM=xterm", NULL };
	struct ru_result r;
	char *before;
	size_t before_len;

	(void)state;
	snprintf(big, sizeof big, "%s", st_path("big.txt"));
	snprintf(small, sizeof small, "%s", st_path("small.txt"));
	ru_write_deck(big, "Big", 300000);
	ru_write_deck(small, "Small", 20);
	for (size_t i = 0; i < sizeof delays_ms / sizeof delays_ms[0]; i++) {
		struct vt *vt;
		char *after;
		size_t after_len;
		int status;

		snprintf(db, sizeof db, "%s", st_path(i == 0 ? "imp0.db" :
		    "imp1.db"));
		assert_int_equal(ru_lemma(&r, db, "import", small, NULL), 0);
		before = ru_read(db, &before_len);
		snprintf(cmd, sizeof cmd, "exec '%s' --db '%s' import '%s' 2>&1",
		    ru_lemma_bin(), db, big);
		vt = vt_spawn(argv, env, 24, 100, NULL);
		if (vt_wait_for(vt, "Importing", 30000) != 0) {
			vt_dump(vt, stderr);
			fail_msg("no progress line");
		}
		ru_usleep(delays_ms[i] * 1000L);
		vt_signal(vt, SIGINT);
		if (vt_wait_for(vt, "Cancelled; nothing was changed.", 30000)
		    != 0) {
			vt_dump(vt, stderr);
			fail_msg("no word of the cancel");
		}
		status = vt_close(vt, 30000);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 130);
		after = ru_read(db, &after_len);
		if (after_len != before_len ||
		    memcmp(after, before, after_len) != 0)
			fail_msg("the progress file changed");
		free(after);
		free(before);
		ru_check_ok(db);
		assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 20);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigint_at_several_moments),
		cmocka_unit_test(test_sigterm_and_sighup),
		cmocka_unit_test(test_line_only_on_a_terminal),
		cmocka_unit_test(test_import_cancel),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
