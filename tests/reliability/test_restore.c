/*
 * test_restore.c - `lemma restore` as a user runs it: the list of backups
 * with dates and sizes, restoring one by number or name (after a backup of
 * the current file), a damaged progress file moved aside and replaced,
 * files that are not lemma's refused, usage errors, and a restore killed
 * half way that leaves the old content or the new, never a mix.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rel-util.h"
#include "screen-util.h"

/* A progress file in its own directory, with n notes in deck "R". */
static void
new_progress(char *db, size_t len, const char *name, int n)
{
	char dir[600], deck[700];
	struct ru_result r;

	snprintf(dir, sizeof dir, "%s", st_path(name));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(db, len, "%s/collection.db", dir);
	snprintf(deck, sizeof deck, "%s/r.txt", dir);
	ru_write_deck(deck, "R", n);
	if (ru_lemma(&r, db, "import", deck, NULL) != 0)
		fail_msg("import: %s", r.err);
}

/* Copy the (closed, checkpointed) progress file in as a backup named
 * stamp, as the daily backup would have. */
static void
fake_backup(const char *db, const char *stamp)
{
	char dir[800], to[900];
	char *slash;

	snprintf(dir, sizeof dir, "%s", db);
	slash = strrchr(dir, '/');
	snprintf(slash, sizeof dir - (size_t)(slash - dir), "/backups");
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		fail_msg("mkdir %s", dir);
	snprintf(to, sizeof to, "%s/collection-%s.db", dir, stamp);
	ru_copy(db, to);
}

static long long
notes(const char *db)
{
	return ru_int(db, "SELECT count(*) FROM notes");
}

static int
count_backups(const char *db)
{
	char dir[800], *slash;
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%s", db);
	slash = strrchr(dir, '/');
	snprintf(slash, sizeof dir - (size_t)(slash - dir), "/backups");
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		n += strncmp(de->d_name, "collection-", 11) == 0 && len > 3 &&
		    strcmp(de->d_name + len - 3, ".db") == 0;
	}
	closedir(d);
	return n;
}

static void
test_list_and_restore(void **state)
{
	char db[700], more[800];
	struct ru_result *r = calloc(1, sizeof *r);

	(void)state;
	new_progress(db, sizeof db, "list", 5);
	/* Nothing yet: says so, exit 0. */
	assert_int_equal(ru_lemma(r, db, "restore", NULL), 0);
	assert_non_null(strstr(r->out, "No backups"));

	fake_backup(db, "20241230-090000");
	snprintf(more, sizeof more, "%s.more.txt", db);
	/* Notes of their own: rows like R's would be found and updated
	 * (a re-import matches in the whole collection, issue 14). */
	ru_write(more, "#separator:tab\n#deck:More\nm1\ta\nm2\ta\nm3\ta\n"
	    "m4\ta\nm5\ta\nm6\ta\nm7\ta\n", (size_t)-1);
	/* The first start of the day makes the daily backup (5 notes). */
	assert_int_equal(ru_lemma(r, db, "import", more, NULL), 0);
	assert_int_equal(count_backups(db), 2);
	fake_backup(db, "20241231-090000");
	assert_int_equal(ru_lemma(r, db, "import", more, NULL), 0);
	assert_int_equal(count_backups(db), 3);	/* once a day only */
	assert_int_equal(notes(db), 12);

	assert_int_equal(ru_lemma(r, db, "restore", NULL), 0);
	fprintf(stderr, "# lemma restore lists:\n%s", r->out);
	/* Newest first, numbered, with date and size. */
	{
		char *one = strstr(r->out, "   1  2025-01-01 09:00:00");
		char *two = strstr(r->out, "   2  2024-12-31 09:00:00");
		char *three = strstr(r->out, "   3  2024-12-30 09:00:00");
		assert_non_null(one);
		assert_non_null(two);
		assert_non_null(three);
		assert_true(one < two && two < three);
		assert_non_null(strstr(r->out, "KiB"));
	}

	/* Restore the oldest by number: 5 notes again, and what was there
	 * before kept as a new backup. */
	assert_int_equal(ru_lemma(r, db, "restore", "3", NULL), 0);
	fprintf(stderr, "# lemma restore 3 says:\n%s", r->out);
	assert_int_equal(notes(db), 5);
	assert_int_equal(count_backups(db), 4);
	ru_check_ok(db);
	/* And back again by name. */
	assert_int_equal(ru_lemma(r, db, "restore",
	    "collection-20241231-090000.db", NULL), 0);
	assert_int_equal(notes(db), 12);
	ru_check_ok(db);
	free(r);
}

static void
test_damaged_file(void **state)
{
	char db[700], wal[800];
	struct ru_result *r = calloc(1, sizeof *r);
	char *aside;

	(void)state;
	new_progress(db, sizeof db, "damaged", 6);
	fake_backup(db, "20241231-090000");
	ru_write(db, "overwritten by something else entirely\n", (size_t)-1);
	snprintf(wal, sizeof wal, "%s-wal", db);
	ru_write(wal, "stale log", (size_t)-1);
	assert_int_equal(ru_lemma(r, db, "check", NULL), 1);

	assert_int_equal(ru_lemma(r, db, "restore", "1", NULL), 0);
	fprintf(stderr, "# lemma restore 1 says:\n%s", r->out);
	assert_non_null((aside = strstr(r->out, ".broken-")));
	assert_int_equal(notes(db), 6);
	ru_check_ok(db);
	{
		struct stat st;
		assert_int_equal(stat(db, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	free(r);
}

static void
test_refusals(void **state)
{
	char db[700], other[800];
	struct ru_result *r = calloc(1, sizeof *r);

	(void)state;
	new_progress(db, sizeof db, "refuse", 3);
	fake_backup(db, "20241231-090000");
	assert_int_equal(ru_lemma(r, db, "restore", "9", NULL), 1);
	assert_non_null(strstr(r->err, "no backup number 9"));
	assert_int_equal(ru_lemma(r, db, "restore", "1", "2", NULL), 2);
	assert_int_equal(ru_lemma(r, db, "restore", "--bogus", NULL), 2);
	assert_int_equal(ru_lemma(r, db, "restore", "--force", NULL), 2);
	assert_int_equal(ru_lemma(r, db, "restore", "--force", "1", "2", NULL),
	    2);
	assert_int_equal(ru_lemma(r, db, "restore", "--help", NULL), 0);
	assert_non_null(strstr(r->out, "usage: lemma restore [--force]"));
	assert_int_equal(ru_lemma(r, db, "restore", "/etc/passwd", NULL), 1);
	assert_non_null(strstr(r->err, "not a lemma progress file"));
	assert_int_equal(ru_lemma(r, db, "restore", db, NULL), 1);
	assert_non_null(strstr(r->err, "the progress file itself"));
	snprintf(other, sizeof other, "%s.none", db);
	assert_int_equal(ru_lemma(r, db, "restore", other, NULL), 1);
	/* None of that changed anything. */
	assert_int_equal(notes(db), 3);
	assert_int_equal(count_backups(db), 1);
	free(r);
}

/* The backups directory beside db, and whether a file by name is in it. */
static int
has_backup(const char *db, const char *name)
{
	char path[900], *slash;

	snprintf(path, sizeof path, "%s", db);
	slash = strrchr(path, '/');
	snprintf(slash, sizeof path - (size_t)(slash - path), "/backups/%s",
	    name);
	return access(path, F_OK) == 0;
}

/* Backups in db's directory whose name starts with prefix. */
static int
count_named(const char *db, const char *prefix)
{
	char dir[800], *slash;
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%s", db);
	slash = strrchr(dir, '/');
	snprintf(slash, sizeof dir - (size_t)(slash - dir), "/backups");
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/*
 * Issue 14's reproduction: two progress files in one folder. Each gets its
 * own daily backup, named after it; `restore` lists only its own; the
 * other's copy is refused (the message names both) unless --force; pruning
 * to 7 counts only its own.
 */
static void
test_two_files_one_folder(void **state)
{
	char dir[600], german[700], math[700], deck[800], other[900];
	struct ru_result *r = calloc(1, sizeof *r);

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("folder"));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(german, sizeof german, "%s/german.db", dir);
	snprintf(math, sizeof math, "%s/math.db", dir);
	snprintf(deck, sizeof deck, "%s/g.tsv", dir);
	ru_write_deck(deck, "German", 4);
	assert_int_equal(ru_lemma(r, german, "import", deck, NULL), 0);
	snprintf(deck, sizeof deck, "%s/m.tsv", dir);
	ru_write_deck(deck, "Math", 9);
	assert_int_equal(ru_lemma(r, math, "import", deck, NULL), 0);
	assert_int_equal(ru_lemma(r, german, "--now", "2026-12-02T10:00", "due",
	    NULL), 0);
	assert_int_equal(ru_lemma(r, math, "--now", "2026-12-02T11:00", "due",
	    NULL), 0);
	assert_true(has_backup(german, "german-20261202-100000.db"));
	assert_true(has_backup(math, "math-20261202-110000.db"));

	assert_int_equal(ru_lemma(r, math, "restore", NULL), 0);
	fprintf(stderr, "# lemma --db math.db restore lists:\n%s", r->out);
	assert_non_null(strstr(r->out, "   1  2026-12-02 11:00:00"));
	assert_non_null(strstr(r->out, "math-20261202-110000.db"));
	assert_null(strstr(r->out, "german"));
	assert_null(strstr(r->out, "   2  "));

	/* german's copy into math: refused, by path and by its bare name. */
	snprintf(other, sizeof other, "%s/backups/german-20261202-100000.db",
	    dir);
	assert_int_equal(ru_lemma(r, math, "--now", "2026-12-02T12:00",
	    "restore", other, NULL), 1);
	fprintf(stderr, "# restoring german's backup into math.db says:\n%s",
	    r->err);
	assert_non_null(strstr(r->err, other));
	assert_non_null(strstr(r->err, math));
	assert_non_null(strstr(r->err, "--force"));
	assert_int_equal(ru_lemma(r, math, "--now", "2026-12-02T12:00",
	    "restore", "german-20261202-100000.db", NULL), 1);
	assert_non_null(strstr(r->err, "--force"));
	assert_int_equal(notes(math), 9);
	assert_int_equal(count_named(math, "math-"), 1);

	/* Nine later days of math: its own 7 kept, german's untouched. */
	for (int d = 3; d <= 11; d++) {
		char when[32];

		snprintf(when, sizeof when, "2026-12-%02dT11:00", d);
		assert_int_equal(ru_lemma(r, math, "--now", when, "due", NULL),
		    0);
	}
	assert_int_equal(count_named(math, "math-"), 7);
	assert_true(has_backup(math, "math-20261211-110000.db"));
	assert_true(has_backup(german, "german-20261202-100000.db"));

	/* --force: the user says so. */
	assert_int_equal(ru_lemma(r, math, "--now", "2026-12-12T09:00",
	    "restore", "--force", other, NULL), 0);
	fprintf(stderr, "# ... with --force:\n%s", r->out);
	assert_int_equal(notes(math), 4);
	ru_check_ok(math);
	assert_true(has_backup(german, "german-20261202-100000.db"));
	free(r);
}

/*
 * The very case restore exists for: the progress file is gone or cannot be
 * opened, so it has no id to compare. Its own backups (by name) are taken;
 * another file's are refused unless --force.
 */
static void
test_restore_without_current_file(void **state)
{
	char dir[600], german[700], math[700], deck[800], other[900], p[800];
	struct ru_result *r = calloc(1, sizeof *r);

	(void)state;
	snprintf(dir, sizeof dir, "%s", st_path("nocurrent"));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(german, sizeof german, "%s/german.db", dir);
	snprintf(math, sizeof math, "%s/math.db", dir);
	snprintf(deck, sizeof deck, "%s/g.tsv", dir);
	ru_write_deck(deck, "German", 4);
	assert_int_equal(ru_lemma(r, german, "import", deck, NULL), 0);
	snprintf(deck, sizeof deck, "%s/m.tsv", dir);
	ru_write_deck(deck, "Math", 9);
	assert_int_equal(ru_lemma(r, math, "import", deck, NULL), 0);
	assert_int_equal(ru_lemma(r, german, "--now", "2026-12-02T10:00", "due",
	    NULL), 0);
	assert_int_equal(ru_lemma(r, math, "--now", "2026-12-02T11:00", "due",
	    NULL), 0);
	snprintf(other, sizeof other, "%s/backups/german-20261202-100000.db",
	    dir);

	/* Unreadable: garbage over it. */
	ru_write(math, "no longer a database\n", (size_t)-1);
	assert_int_equal(ru_lemma(r, math, "restore", other, NULL), 1);
	assert_non_null(strstr(r->err, "--force"));
	assert_non_null(strstr(r->err, other));
	assert_int_equal(ru_lemma(r, math, "restore", "1", NULL), 0);
	assert_int_equal(notes(math), 9);
	ru_check_ok(math);

	/* Missing. */
	unlink(math);
	snprintf(p, sizeof p, "%s-wal", math);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", math);
	unlink(p);
	assert_int_equal(ru_lemma(r, math, "restore", other, NULL), 1);
	assert_int_not_equal(access(math, F_OK), 0);
	assert_int_equal(ru_lemma(r, math, "restore", "math-20261202-110000.db",
	    NULL), 0);
	assert_int_equal(notes(math), 9);
	ru_check_ok(math);
	assert_int_equal(ru_lemma(r, math, "--now", "2026-12-03T09:00",
	    "restore", "--force", other, NULL), 0);
	assert_int_equal(notes(math), 4);
	free(r);
}

/*
 * A silently damaged file: 4 KiB of garbage in the middle of a real
 * progress file, then lemma started on 8 later days. Each start says the
 * file is damaged and how to restore; the good backup from before is still
 * there, and restoring it brings every note back.
 */
static void
test_damaged_eight_days(void **state)
{
	char db[700], garbage[4096], expect[900];
	struct ru_result *r = calloc(1, sizeof *r);
	struct stat st;
	int fd;

	(void)state;
	ru_seed(14);
	new_progress(db, sizeof db, "eightdays", 3000);
	assert_int_equal(ru_lemma(r, db, "--now", "2026-12-01T09:00", "due",
	    NULL), 0);
	assert_int_equal(count_backups(db), 1);

	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)ru_rand(256);
	assert_int_equal(stat(db, &st), 0);
	assert_true(st.st_size >= 64 * 4096);	/* pages of notes and cards */
	assert_true((fd = open(db, O_WRONLY)) >= 0);
	assert_int_equal(pwrite(fd, garbage, sizeof garbage, st.st_size / 2),
	    (ssize_t)sizeof garbage);
	close(fd);

	snprintf(expect, sizeof expect, "lemma --db %s restore", db);
	for (int d = 2; d <= 9; d++) {
		char when[32];

		snprintf(when, sizeof when, "2026-12-%02dT09:00", d);
		ru_lemma(r, db, "--now", when, "due", NULL);
		if (d == 2)
			fprintf(stderr, "# lemma due on the damaged file says:\n"
			    "%s", r->err);
		assert_non_null(strstr(r->err, "damaged"));
		assert_non_null(strstr(r->err, expect));
	}
	/* The full-screen program says it on its status line. */
	{
		const char *args[] = { "--now", "2026-12-09T09:30", NULL };
		struct vt *vt = st_start(db, args, NULL, 24, 140);

		st_expect(vt, "The progress file is damaged: restore a backup "
		    "with lemma --db");
		st_quit(vt);
	}
	/* The good copy from before the damage is still there, first. */
	assert_int_equal(ru_lemma(r, db, "restore", NULL), 0);
	fprintf(stderr, "# lemma restore lists:\n%s", r->out);
	assert_non_null(strstr(r->out, "   1  2026-12-01 09:00:00"));
	assert_int_equal(ru_lemma(r, db, "--now", "2026-12-09T10:00", "restore",
	    "1", NULL), 0);
	fprintf(stderr, "# lemma restore 1 says:\n%s", r->out);
	assert_non_null(strstr(r->out, ".broken-20261209-100000"));
	assert_int_equal(notes(db), 3000);
	ru_check_ok(db);
	free(r);
}

/* Kill `lemma restore` at random moments: the progress file holds the old
 * notes or the backup's, never a mix, and passes check. */
static void
test_kill_during_restore(void **state)
{
	char db[700], start[800], backup[800];
	const char *args[] = { "restore", backup, NULL };
	struct ru_result *r = calloc(1, sizeof *r);
	int old = 0, restored = 0;
	long full_ms, t0;

	(void)state;
	ru_seed(11);
	new_progress(db, sizeof db, "kill", 4000);
	/* The backup to restore lives apart, so that pruning the backups
	 * directory (each restore adds a copy of the current file) never
	 * takes it. */
	snprintf(backup, sizeof backup, "%s.backup", db);
	ru_copy(db, backup);
	/* The file now: 4000 notes gone, 3 others in. */
	ru_exec(db, "PRAGMA foreign_keys = ON; DELETE FROM cards; "
	    "DELETE FROM notes; VACUUM;");
	snprintf(start, sizeof start, "%s.start", db);
	{
		char small[800];
		snprintf(small, sizeof small, "%s.small.txt", db);
		ru_write(small, "#deck:S\na\t1\nb\t2\nc\t3\n", (size_t)-1);
		assert_int_equal(ru_lemma(r, db, "import", small, NULL), 0);
	}
	assert_int_equal(notes(db), 3);
	ru_copy(db, start);
	t0 = ru_ms();
	assert_int_equal(ru_lemma(r, db, "restore", backup, NULL), 0);
	full_ms = ru_ms() - t0;
	assert_int_equal(notes(db), 4000);

	for (int run = 0; run < 15; run++) {
		char p[900];
		int status;
		pid_t pid;
		long long n;

		ru_copy(start, db);
		snprintf(p, sizeof p, "%s-wal", db);
		unlink(p);
		snprintf(p, sizeof p, "%s-shm", db);
		unlink(p);
		pid = ru_spawn(db, NULL, args);
		ru_usleep((long)ru_rand((uint32_t)(full_ms * 1200 + 1)));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		ru_check_ok(db);
		n = notes(db);
		if (n == 3)
			old++;
		else if (n == 4000)
			restored++;
		else
			fail_msg("run %d: %lld notes after a killed restore", run,
			    n);
	}
	print_message("# restore kill: 15 runs, %d left the old file, %d the "
	    "restored one, 0 mixed (a whole restore %ld ms)\n", old, restored,
	    full_ms);
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_and_restore),
		cmocka_unit_test(test_damaged_file),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_kill_during_restore),
		cmocka_unit_test(test_two_files_one_folder),
		cmocka_unit_test(test_restore_without_current_file),
		cmocka_unit_test(test_damaged_eight_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
