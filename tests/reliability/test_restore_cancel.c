/*
 * test_restore_cancel.c - `lemma restore` of a large file shows its
 * progress on a terminal and Ctrl-C stops it cleanly (issue 21).
 *
 *   - Restoring a backup of a large file shows the progress line (the
 *     backup's check, then the copies: "Restoring the backup: ..."),
 *     cleared at the end, and without a signal it restores (lemma check
 *     passes, the backup's notes are back).
 *   - SIGINT at several moments (the backup's check, the copy of the
 *     current file, its check, the restore's copy), SIGTERM and SIGHUP:
 *     exit 130 / 143 / 129 with "Cancelled", the progress
 *     file byte for byte as before, no temporary file left in the
 *     backups folder, and `lemma check` passing.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rel-util.h"
#include "screen-util.h"
#include "vt.h"

/* Notes and review-log rows enough that checking and copying the file
 * takes a second or more here. */
#define NOTES		40000
#define REVIEWS_PER	12

static char master_dir[500], master_db[600], master_backup[1200];

/* The file at its backup, then 3 notes more (so a restore changes it). */
static int
setup(void **state)
{
	char deck[600], more[600], sql[1024], name[600];
	struct ru_result r;
	DIR *d;
	struct dirent *de;

	(void)state;
	snprintf(master_dir, sizeof master_dir, "%s", st_path("master"));
	if (mkdir(master_dir, 0700) < 0)
		return -1;
	snprintf(master_db, sizeof master_db, "%s/p.db", master_dir);
	snprintf(deck, sizeof deck, "%s", st_path("big.txt"));
	snprintf(more, sizeof more, "%s", st_path("more.txt"));
	ru_write_deck(deck, "Big", NOTES);
	/* Notes of their own (ru_write_deck's would be Big's first 20). */
	ru_write(more, "#separator:tab\n#deck:More\nM1\tone\nM2\ttwo\n"
	    "M3\tthree\n", 49);
	if (ru_lemma(&r, master_db, "import", deck, NULL) != 0) {
		fprintf(stderr, "%s", r.err);
		return -1;
	}
	snprintf(sql, sizeof sql, "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL "
	    "SELECT i + 1 FROM k WHERE i < %d) INSERT INTO revlog (id, card_id,"
	    " rating, kind, state, elapsed_days, scheduled_days, stability, "
	    "difficulty, due, answer_ms) SELECT 1700000000000 + c.id * 100 + "
	    "k.i, c.id, 1 + (c.id + k.i) %% 4, 1, 2, k.i, k.i + 1, 2.5, 5.0, "
	    "1700000000 + k.i * 86400, 4000 FROM cards c, k", REVIEWS_PER - 1);
	ru_exec(master_db, sql);
	ru_exec(master_db, "UPDATE cards SET state = 2, reps = 12, stability = "
	    "2.5, difficulty = 5.0, due = (SELECT due FROM revlog r WHERE "
	    "r.card_id = cards.id ORDER BY r.id DESC LIMIT 1)");
	ru_exec(master_db, "PRAGMA wal_checkpoint(TRUNCATE)");
	/* The next command's daily backup is the copy to restore. */
	if (ru_lemma(&r, master_db, "import", more, NULL) != 0) {
		fprintf(stderr, "%s", r.err);
		return -1;
	}
	ru_exec(master_db, "PRAGMA wal_checkpoint(TRUNCATE)");
	snprintf(name, sizeof name, "%s/backups", master_dir);
	if ((d = opendir(name)) == NULL)
		return -1;
	master_backup[0] = '\0';
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			snprintf(master_backup, sizeof master_backup, "%s/%s",
			    name, de->d_name);
	closedir(d);
	return master_backup[0] != '\0' ? 0 : -1;
}

/* A copy of the master file and its one backup in a folder of its own;
 * db gets the file's path, backup the backup's. */
static void
fresh_copy(const char *name, char *db, size_t dblen, char *backup,
    size_t blen)
{
	char dir[500], bdir[520];
	const char *slash = strrchr(master_backup, '/');

	snprintf(dir, sizeof dir, "%s", st_path(name));
	snprintf(bdir, sizeof bdir, "%s/backups", dir);
	if (mkdir(dir, 0700) < 0 || mkdir(bdir, 0700) < 0)
		fail_msg("cannot make %s", bdir);
	snprintf(db, dblen, "%s/p.db", dir);
	snprintf(backup, blen, "%s%s", bdir, slash);
	ru_copy(master_db, db);
	ru_copy(master_backup, backup);
}

/* Files in the backups folder whose names start with '.': temporary. */
static int
temp_files(const char *db)
{
	char dir[700];
	const char *slash = strrchr(db, '/');
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof dir, "%.*s/backups", (int)(slash - db), db);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static struct vt *
start_restore(const char *db, const char *backup)
{
	char cmd[2048];
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	const char *env[] = { "TERM=xterm", NULL };

	snprintf(cmd, sizeof cmd, "exec '%s' --db '%s' restore '%s' 2>&1",
	    ru_lemma_bin(), db, backup);
	return vt_spawn(argv, env, 24, 100, NULL);
}

static void
test_restore_whole(void **state)
{
	char db[600], backup[700];
	struct vt *vt;
	int status;

	(void)state;
	fresh_copy("whole", db, sizeof db, backup, sizeof backup);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), NOTES + 3);
	vt = start_restore(db, backup);
	vt_mark(vt);
	if (vt_wait_for(vt, "Restored", 120000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("no restore");
	}
	/* The line was drawn (and cleared): the copies last past the half
	 * second before it shows, however fast the check was. */
	{
		size_t n;
		const char *raw = vt_raw_since_mark(vt, &n);
		char *text = strndup(raw, n);

		assert_non_null(strstr(text, "Restoring the backup: "));
		assert_non_null(strstr(text, "\r\033[K"));
		free(text);
	}
	status = vt_close(vt, 30000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), NOTES);
	assert_int_equal(temp_files(db), 0);
	ru_check_ok(db);
}

/* One cancel: sig delay_ms after the progress line shows phase (NULL:
 * after the start; the backup's check may be over before the line's half
 * second). */
static void
cancel_once(const char *name, const char *phase, int sig, int delay_ms)
{
	char db[600], backup[700];
	char *before, *after;
	size_t before_len, after_len;
	struct vt *vt;
	int status;

	fresh_copy(name, db, sizeof db, backup, sizeof backup);
	before = ru_read(db, &before_len);
	vt = start_restore(db, backup);
	if (phase != NULL && vt_wait_for(vt, phase, 60000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("%s: no progress line \"%s\"", name, phase);
	}
	ru_usleep(delay_ms * 1000L);
	vt_signal(vt, sig);
	for (int waited = 0;; waited += 100) {
		if (vt_wait_for(vt, "Cancelled; nothing was changed.", 100) == 0)
			break;
		/* The restore's last step commits: a signal after it comes
		 * too late, and the restore is done (test_backup's
		 * test_restore_progress stops that copy at given reports). */
		if (phase != NULL && strcmp(phase, "Restoring the backup") == 0 &&
		    vt_contains(vt, "What it held before is kept as")) {
			status = vt_close(vt, 30000);
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
			free(before);
			ru_check_ok(db);
			assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"),
			    NOTES);
			fprintf(stderr, "# %s: the restore ended before the "
			    "signal\n", name);
			return;
		}
		if (waited > 60000) {
			vt_dump(vt, stderr);
			fail_msg("%s: no word of the cancel", name);
		}
	}
	status = vt_close(vt, 30000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 128 + sig);
	after = ru_read(db, &after_len);
	if (after_len != before_len || memcmp(after, before, after_len) != 0)
		fail_msg("%s: the progress file changed", name);
	free(after);
	free(before);
	assert_int_equal(temp_files(db), 0);
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), NOTES + 3);
}

static void
test_sigint_at_several_moments(void **state)
{
	(void)state;
	/* In each phase: the backup's check, the copy of the current file
	 * and its check (the copy is removed), the restore itself (rolled
	 * back: the copy of the current file stays, a backup like any). */
	cancel_once("int0", NULL, SIGINT, 100);
	cancel_once("int1", NULL, SIGINT, 400);
	cancel_once("int2", "Copying the progress file", SIGINT, 0);
	cancel_once("int3", "Checking the copy", SIGINT, 0);
	cancel_once("int4", "Restoring the backup", SIGINT, 0);
	cancel_once("int5", "Restoring the backup", SIGINT, 300);
}

static void
test_sigterm_and_sighup(void **state)
{
	(void)state;
	cancel_once("term", "Copying the progress file", SIGTERM, 100);
	cancel_once("hup", "Restoring the backup", SIGHUP, 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restore_whole),
		cmocka_unit_test(test_sigint_at_several_moments),
		cmocka_unit_test(test_sigterm_and_sighup),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
