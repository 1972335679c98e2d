/*
 * test_screen_progress.c - long work in the full-screen program shows its
 * progress in a panel and q / Esc cancel it (issue 21; ui-progress.c),
 * driven in a pty: the real binary, the screen read by libvterm.
 *
 *   - `lemma FILE` with a large file: the panel (what, figures, bar, the
 *     keys) appears over the screen, goes when the import ends, and the
 *     program goes on with the notes in.
 *   - q and Esc at two moments: the import rolls back, the status line
 *     says it was cancelled, the program goes on, and after quitting the
 *     file is byte for byte as a plain start and quit leaves it, its 20
 *     notes only, `lemma check` passing.
 *   - ^C (a key once the screen is up): exit 130, the file as it was.
 *   - The panel on screens 20 and 200 columns wide, and one bottom line
 *     on a screen 5 rows high; drawn again, centred, after a resize.
 *   - An old file's upgrade at start: the panel, q: exit 1, "Cancelled;
 *     nothing was changed.", the file byte for byte as before; the next
 *     start upgrades it and `lemma check` passes.
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
#include "../reliability/rel-util.h"
#include "screen-util.h"
#include "vt.h"

/* Large enough that the import lasts well past the panel's half second
 * (about 3 s here; longer under the sanitizers and valgrind). */
#define BIG_NOTES	300000
#define SMALL_NOTES	20
/* An old file whose upgrade lasts a few seconds here. */
#define OLD_NOTES	20000
#define HINT		"q or Esc: cancel"

static char big[600], small[600];

static int
setup(void **state)
{
	(void)state;
	snprintf(big, sizeof big, "%s", st_path("big.txt"));
	snprintf(small, sizeof small, "%s", st_path("small.txt"));
	ru_write_deck(big, "Big", BIG_NOTES);
	ru_write_deck(small, "Small", SMALL_NOTES);
	return 0;
}

/* A progress file holding the small deck, started and quit once in the
 * full-screen program (its first start writes what every start after
 * it leaves as it is: the daily backup's date, the lock), named db. */
static void
small_db(const char *name, char *db, size_t len)
{
	const char *none[] = { NULL };
	struct ru_result r;
	struct vt *vt;

	snprintf(db, len, "%s", st_path(name));
	assert_int_equal(ru_lemma(&r, db, "import", small, NULL), 0);
	vt = st_start(db, none, NULL, 24, 100);
	st_expect(vt, "Small");
	st_quit(vt);
}

static void
assert_same_bytes(const char *db, const char *before, size_t before_len)
{
	size_t len;
	char *now = ru_read(db, &len);

	assert_non_null(now);
	if (len != before_len || memcmp(now, before, len) != 0)
		fail_msg("%s changed (%zu bytes, was %zu)", db, len, before_len);
	free(now);
}

/* The panel with its parts: the title, the figures, the keys. */
static void
expect_panel(struct vt *vt)
{
	st_expect(vt, HINT);
	st_expect(vt, "Importing");
	st_expect(vt, "big.txt");
	st_expect(vt, " of ");
}

static void
test_panel_then_the_program(void **state)
{
	const char *args[] = { big, NULL };
	char db[600];
	struct vt *vt;
	int row, col;
	struct vt_cell_attrs a;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("whole.db"));
	vt = st_start(db, args, NULL, 24, 100);
	expect_panel(vt);
	/* The bar: reverse cells two rows above the keys, inside the box. */
	assert_int_equal(vt_find(vt, HINT, &row, &col), 0);
	for (int waited = 0;; waited += 100) {
		vt_wait_idle(vt, 50, 100);
		assert_int_equal(vt_cell(vt, row - 1, col, &a), 0);
		if (a.reverse)
			break;
		if (waited > st_wait_ms() * 4) {
			vt_dump(vt, stderr);
			fail_msg("the bar never filled a cell");
		}
	}
	/* Its end is not filled yet (the import is under way), and stays
	 * inside the box. */
	assert_int_equal(vt_cell(vt, row - 1, col + 91, &a), 0);
	assert_false(a.reverse);
	/* The import ends: the panel goes and the program shows the deck. */
	if (vt_wait_gone(vt, HINT, 120000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("the panel never went");
	}
	st_expect(vt, "Big");
	st_quit(vt);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), BIG_NOTES);
	ru_check_ok(db);
}

/* One cancel with key after delay_ms of the panel. */
static void
cancel_with_key(const char *name, const char *key, int delay_ms)
{
	const char *args[] = { big, NULL };
	char db[600];
	char *before;
	size_t before_len;
	struct vt *vt;

	small_db(name, db, sizeof db);
	before = ru_read(db, &before_len);
	vt = st_start(db, args, NULL, 24, 100);
	expect_panel(vt);
	ru_usleep(delay_ms * 1000L);
	vt_send(vt, key);
	st_expect(vt, "Import cancelled; nothing was imported.");
	st_expect_gone(vt, HINT);
	/* The program goes on: its deck list, its keys. */
	st_expect(vt, "Small");
	assert_false(vt_contains(vt, "Big"));
	st_quit(vt);
	assert_same_bytes(db, before, before_len);
	free(before);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), SMALL_NOTES);
	ru_check_ok(db);
}

static void
test_q_and_esc_cancel(void **state)
{
	(void)state;
	cancel_with_key("q0.db", "q", 0);
	cancel_with_key("q1.db", "q", 600);
	cancel_with_key("esc.db", "\033", 300);
}

static void
test_ctrl_c_exits_130(void **state)
{
	const char *args[] = { big, NULL };
	char db[600];
	char *before, err[4096];
	size_t before_len, n;
	struct vt *vt;
	int status;
	FILE *f;

	(void)state;
	small_db("ctrlc.db", db, sizeof db);
	before = ru_read(db, &before_len);
	vt = st_start(db, args, NULL, 24, 100);
	expect_panel(vt);
	vt_send(vt, "\003");
	status = vt_close(vt, 30000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 130);
	assert_same_bytes(db, before, before_len);
	free(before);
	f = fopen(st_path("stderr.log"), "r");
	assert_non_null(f);
	n = fread(err, 1, sizeof err - 1, f);
	err[n] = '\0';
	fclose(f);
	assert_non_null(strstr(err, "Cancelled; nothing was changed."));
	ru_check_ok(db);
}

/* The panel fits screens 20 and 200 columns wide; under 7 rows it is one
 * line at the bottom. q cancels in each. */
static void
panel_on(int rows, int cols, const char *expect)
{
	const char *args[] = { big, NULL };
	char db[600], name[64], line[512];
	struct vt *vt;
	int row, col;

	snprintf(name, sizeof name, "size%dx%d.db", rows, cols);
	small_db(name, db, sizeof db);
	vt = st_start(db, args, NULL, rows, cols);
	st_expect(vt, expect);
	assert_int_equal(vt_find(vt, expect, &row, &col), 0);
	if (rows < 7)
		assert_int_equal(row, rows - 1);
	/* Whole: nothing of the panel cut by the edge. */
	for (int r = 0; r < rows; r++) {
		vt_row(vt, r, line, sizeof line);
		assert_true(strlen(line) <= (size_t)cols * 4);
	}
	vt_send(vt, "q");
	/* The program goes on (on 5 rows, to say the screen is too small). */
	st_expect(vt, rows >= 10 ? "cancelled" : "needs at least");
	if (rows < 10) {
		/* A too small screen takes no keys: make room. (A program
		 * started too small shows no decks once grown, with or
		 * without this panel: not looked at here.) */
		vt_resize(vt, 24, cols);
		st_expect(vt, "Import cancelled");
	}
	vt_send(vt, "q");
	assert_int_equal(WEXITSTATUS(vt_close(vt, 30000)), 0);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), SMALL_NOTES);
}

/* A resize while the panel is up: it is drawn again, centred anew. */
static void
test_panel_follows_a_resize(void **state)
{
	const char *args[] = { big, NULL };
	char db[600];
	struct vt *vt;
	int row = -1, col = -1, waited;

	(void)state;
	small_db("resize.db", db, sizeof db);
	vt = st_start(db, args, NULL, 24, 200);
	st_expect(vt, HINT);
	assert_int_equal(vt_find(vt, HINT, &row, &col), 0);
	assert_true(col > 40);		/* centred in 200 columns */
	vt_resize(vt, 30, 60);
	for (waited = 0; waited < st_wait_ms() * 4; waited += 100) {
		vt_wait_idle(vt, 50, 100);
		if (vt_find(vt, HINT, &row, &col) == 0 && col < 10)
			break;
	}
	if (col >= 10) {
		vt_dump(vt, stderr);
		fail_msg("the panel was not drawn again for 60 columns");
	}
	vt_send(vt, "q");
	st_expect(vt, "cancelled");
	st_quit(vt);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), SMALL_NOTES);
}

static void
test_panel_sizes(void **state)
{
	(void)state;
	panel_on(24, 20, HINT);
	panel_on(24, 200, HINT);
	panel_on(5, 80, "q: cancel");
}

/* An old file (schema 1) large enough that its upgrade takes seconds. */
static void
old_file(const char *db)
{
	char deck[600], sql[1024];
	struct ru_result r;
	sqlite3 *s;

	snprintf(deck, sizeof deck, "%s", st_path("old.txt"));
	ru_write_deck(deck, "Old", OLD_NOTES);
	if (ru_lemma(&r, db, "import", deck, NULL) != 0)
		fail_msg("%s", r.err);
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	snprintf(sql, sizeof sql, "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL "
	    "SELECT i + 1 FROM k WHERE i < 11) INSERT INTO revlog (id, card_id,"
	    " rating, kind, state, elapsed_days, scheduled_days, stability, "
	    "difficulty, due, answer_ms) SELECT 1700000000000 + c.id * 100 + "
	    "k.i, c.id, 1 + (c.id + k.i) %% 4, 1, 2, k.i, k.i + 1, 2.5, 5.0, "
	    "1700000000 + k.i * 86400, 4000 FROM cards c, k");
	assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "UPDATE cards SET state = 2, reps = "
	    "12, stability = 2.5, difficulty = 5.0, due = (SELECT due FROM "
	    "revlog r WHERE r.card_id = cards.id ORDER BY r.id DESC LIMIT 1)",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(undo_to(s, 1), 0);
	assert_int_equal(sqlite3_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
}

static void
test_upgrade_at_start_cancelled(void **state)
{
	const char *none[] = { NULL };
	char db[600], err[4096];
	char *before;
	size_t before_len, n;
	struct vt *vt;
	int status;
	FILE *f;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("old.db"));
	old_file(db);
	before = ru_read(db, &before_len);
	vt = st_start(db, none, NULL, 24, 100);
	st_expect(vt, "Upgrading the progress file");
	st_expect(vt, HINT);
	vt_send(vt, "q");
	status = vt_close(vt, 30000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	assert_same_bytes(db, before, before_len);
	free(before);
	f = fopen(st_path("stderr.log"), "r");
	assert_non_null(f);
	n = fread(err, 1, sizeof err - 1, f);
	err[n] = '\0';
	fclose(f);
	assert_non_null(strstr(err, "Cancelled; nothing was changed."));
	/* The next start upgrades it whole. */
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "PRAGMA user_version"), DB_SCHEMA_VERSION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panel_then_the_program),
		cmocka_unit_test(test_q_and_esc_cancel),
		cmocka_unit_test(test_ctrl_c_exits_130),
		cmocka_unit_test(test_panel_sizes),
		cmocka_unit_test(test_panel_follows_a_resize),
		cmocka_unit_test(test_upgrade_at_start_cancelled),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
