/*
 * test_backup.c - backups of the progress file: made consistent and
 * private, one a day, the newest 7 kept, before an upgrade, listed, checked
 * and restored (into an open file, or in place of a damaged one).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/base/progress.h"
#include "lemma/store/backup.h"
#include "lemma/store/db.h"

#define NOW	1735722000	/* 2025-01-01T09:00:00Z */
#define DAY	86400

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-backup-XXXXXX",
	    paths_tmpdir());
	setenv("TZ", "UTC", 1);
	tzset();
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh directory per test, holding the progress file. */
static const char *
fresh_db(const char *name)
{
	static char path[512];
	char dir[400];

	snprintf(dir, sizeof dir, "%s/%s", tmpdir, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/collection.db", dir);
	return path;
}

static struct db *
open_with_decks(const char *path, int ndecks)
{
	struct err e;
	struct db *db;
	char name[32];

	err_clear(&e);
	db = db_open(path, DB_CREATE, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	for (int i = 0; i < ndecks; i++) {
		snprintf(name, sizeof name, "Deck %d", i);
		assert_true(db_deck_ensure(db, name, NOW, &e) > 0);
	}
	return db;
}

static long long
file_int(const char *path, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

static void
copy_file(const char *from, const char *to)
{
	char buf[8192];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static int
count_decks(struct db *db)
{
	struct deck *d;
	struct err e;
	size_t n;

	assert_int_equal(db_deck_list(db, &d, &n, &e), 0);
	db_decks_free(d, n);
	return (int)n;
}

/* Entries of dir whose name starts with prefix. */
static int
count_entries(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static void
test_make(void **state)
{
	const char *path = fresh_db("make");
	char dir[512], out[600];
	struct stat st;
	struct err e;
	struct db *db = open_with_decks(path, 3);

	(void)state;
	umask(022);	/* the copy must be private whatever the umask */
	err_clear(&e);
	assert_int_equal(backup_make(db, NOW, 1, out, sizeof out, &e), 0);
	assert_int_equal(backup_dir(path, dir, sizeof dir, &e), 0);
	assert_non_null(strstr(out, "/backups/collection-20250101-090000.db"));
	assert_int_equal(strncmp(out, dir, strlen(dir)), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A whole, standalone copy: the decks, no WAL, nothing beside it. */
	assert_int_equal(file_int(out, "SELECT count(*) FROM decks"), 3);
	assert_int_equal(file_int(out, "PRAGMA application_id"), 0x4C454D41);
	assert_int_equal(count_entries(dir, ".collection-"), 0);
	assert_int_equal(count_entries(dir, "collection-"), 1);
	assert_int_equal(backup_verify(out, &e), 0);
	{
		char wal[700];
		snprintf(wal, sizeof wal, "%s-wal", out);
		assert_int_not_equal(access(wal, F_OK), 0);
	}
	/* The same second again: the next free name, not a replacement. */
	assert_int_equal(backup_make(db, NOW, 1, out, sizeof out, &e), 0);
	assert_non_null(strstr(out, "collection-20250101-090001.db"));
	db_close(db);
}

static void
test_daily_and_keep(void **state)
{
	const char *path = fresh_db("daily");
	struct backup *list;
	struct err e;
	size_t n;
	struct db *db = open_with_decks(path, 1);

	(void)state;
	err_clear(&e);
	assert_int_equal(backup_daily(db, NOW, &e), 1);
	assert_int_equal(backup_daily(db, NOW + 3600, &e), 0);	/* same day */
	assert_int_equal(backup_daily(db, NOW + 14 * 3600, &e), 0); /* 23:00 */
	assert_int_equal(backup_daily(db, NOW + 16 * 3600, &e), 1); /* 01:00 */
	for (int d = 2; d < 12; d++)
		assert_int_equal(backup_daily(db, NOW + d * DAY, &e), 1);
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, BACKUP_KEEP);
	/* Newest first, and the newest are the ones kept. */
	assert_string_equal(list[0].name, "collection-20250112-090000.db");
	assert_string_equal(list[6].name, "collection-20250106-090000.db");
	assert_int_equal(list[0].when, NOW + 11 * DAY);
	assert_true(list[0].size > 0);
	for (size_t i = 1; i < n; i++)
		assert_true(list[i].when < list[i - 1].when);
	backup_list_free(list, n);
	db_close(db);
}

static void
test_list_ignores_others(void **state)
{
	const char *path = fresh_db("list");
	char dir[512], other[600];
	struct backup *list;
	struct err e;
	size_t n;
	struct db *db = open_with_decks(path, 1);
	static const char *const names[] = {
		"notes.txt", "collection-2025-01-01.db", "collection-20250101-0900.db",
		"collection-20250101-090000.db.bak", ".collection-abc",
	};

	(void)state;
	err_clear(&e);
	/* No directory yet: an empty list, not an error. */
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(backup_make(db, NOW, 0, NULL, 0, &e), 0);
	assert_int_equal(backup_dir(path, dir, sizeof dir, &e), 0);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(other, sizeof other, "%s/%s", dir, names[i]);
		close(open(other, O_WRONLY | O_CREAT, 0600));
	}
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	backup_list_free(list, n);
	db_close(db);
}

static void
test_prune_temporaries(void **state)
{
	const char *path = fresh_db("prune");
	char dir[512], old[600], young[600];
	struct timeval tv[2] = { { NOW - 2 * 3600, 0 }, { NOW - 2 * 3600, 0 } };
	struct err e;
	struct db *db = open_with_decks(path, 1);

	(void)state;
	err_clear(&e);
	assert_int_equal(backup_make(db, NOW, 0, NULL, 0, &e), 0);
	assert_int_equal(backup_dir(path, dir, sizeof dir, &e), 0);
	/* What a lemma killed during a copy leaves behind. */
	snprintf(old, sizeof old, "%s/.collection-AAAAAA", dir);
	snprintf(young, sizeof young, "%s/.collection-BBBBBB", dir);
	close(open(old, O_WRONLY | O_CREAT, 0600));
	close(open(young, O_WRONLY | O_CREAT, 0600));
	assert_int_equal(utimes(old, tv), 0);
	tv[0].tv_sec = tv[1].tv_sec = NOW - 60;
	assert_int_equal(utimes(young, tv), 0);
	assert_int_equal(backup_prune(path, BACKUP_KEEP, NOW, &e), 0);
	assert_int_not_equal(access(old, F_OK), 0);
	assert_int_equal(access(young, F_OK), 0);
	assert_int_equal(count_entries(dir, "collection-"), 1);
	db_close(db);
}

static void
test_restore_open(void **state)
{
	const char *path = fresh_db("restore");
	char out[600], later[600];
	struct err e;
	struct db *db = open_with_decks(path, 2), *other;

	(void)state;
	err_clear(&e);
	assert_int_equal(backup_make(db, NOW, 1, out, sizeof out, &e), 0);
	assert_true(db_deck_ensure(db, "Added later", NOW, &e) > 0);
	assert_int_equal(count_decks(db), 3);
	/* A second connection, as another lemma would have. */
	other = db_open(path, 0, &e);
	assert_non_null(other);
	assert_int_equal(count_decks(other), 3);

	assert_int_equal(backup_make(db, NOW + 60, 1, later, sizeof later, &e), 0);
	assert_int_equal(backup_restore(db, out, &e), 0);
	assert_int_equal(count_decks(db), 2);
	assert_int_equal(count_decks(other), 2);
	db_close(other);
	db_close(db);
	/* The file is whole and opens as usual; the copy made before the
	 * restore still holds what was there. */
	db = db_open(path, 0, &e);
	assert_non_null(db);
	{
		char report[4096];
		assert_int_equal(db_check(db, report, sizeof report, &e), 0);
	}
	assert_int_equal(count_decks(db), 2);
	db_close(db);
	assert_int_equal(file_int(later, "SELECT count(*) FROM decks"), 3);
}

static void
test_verify_refuses(void **state)
{
	const char *path = fresh_db("verify");
	char bad[600], out[600];
	struct err e;
	struct db *db = open_with_decks(path, 1);
	sqlite3 *s;
	FILE *f;

	(void)state;
	err_clear(&e);
	snprintf(bad, sizeof bad, "%s.txt", path);
	f = fopen(bad, "w");
	fputs("root:x:0:0:root:/root:/bin/bash\n", f);
	fclose(f);
	assert_int_equal(backup_verify(bad, &e), -1);
	assert_non_null(strstr(e.msg, "not a lemma progress file"));

	/* Someone else's SQLite database. */
	snprintf(bad, sizeof bad, "%s.other", path);
	assert_int_equal(sqlite3_open(bad, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "CREATE TABLE t (x)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(backup_verify(bad, &e), -1);
	assert_non_null(strstr(e.msg, "not a lemma progress file"));

	/* From a newer lemma. */
	assert_int_equal(backup_make(db, NOW, 0, out, sizeof out, &e), 0);
	assert_int_equal(sqlite3_open(out, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 99", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(backup_verify(out, &e), -1);
	assert_non_null(strstr(e.msg, "newer lemma"));
	/* A restore of it changes nothing. */
	assert_int_equal(count_decks(db), 1);

	/* Damaged: the first page kept, the rest zeroed. */
	assert_int_equal(backup_make(db, NOW + 10, 0, out, sizeof out, &e), 0);
	{
		int fd = open(out, O_WRONLY);
		char zero[4096];
		struct stat st;

		memset(zero, 0x5A, sizeof zero);
		fstat(fd, &st);
		for (off_t off = 4096; off < st.st_size; off += 4096)
			assert_int_equal(pwrite(fd, zero, sizeof zero, off),
			    (ssize_t)sizeof zero);
		close(fd);
	}
	assert_int_equal(backup_verify(out, &e), -1);
	db_close(db);
}

static void
test_restore_damaged_file(void **state)
{
	const char *path = fresh_db("damaged");
	char out[600], aside[700], wal[600];
	struct err e;
	struct db *db = open_with_decks(path, 4);
	FILE *f;

	(void)state;
	err_clear(&e);
	assert_int_equal(backup_make(db, NOW, 1, out, sizeof out, &e), 0);
	db_close(db);
	/* Garbage over the progress file, and a stale log beside it. */
	f = fopen(path, "w");
	fputs("this is no longer a database\n", f);
	fclose(f);
	snprintf(wal, sizeof wal, "%s-wal", path);
	f = fopen(wal, "w");
	fputs("stale", f);
	fclose(f);
	assert_null(db_open(path, 0, &e));

	assert_int_equal(backup_restore_file(path, out, NOW + 5, aside,
	    sizeof aside, &e), 0);
	assert_non_null(strstr(aside, "collection.db.broken-20250101-090005"));
	assert_int_equal(access(aside, F_OK), 0);
	assert_int_not_equal(access(wal, F_OK), 0);
	db = db_open(path, 0, &e);
	assert_non_null(db);
	assert_int_equal(count_decks(db), 4);
	db_close(db);
	{
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
}

/*
 * A file that already holds a schema but an older user_version is copied
 * before db_open() upgrades it. Until there is a second schema version,
 * "older" is a lemma file at version 0 with a table of its own.
 */
static void
test_before_migration(void **state)
{
	const char *path = fresh_db("migrate");
	struct backup *list;
	struct err e;
	struct db *db;
	sqlite3 *s;
	size_t n;

	(void)state;
	err_clear(&e);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA application_id = 1279610177; "
	    "CREATE TABLE legacy (x); INSERT INTO legacy VALUES (42);", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(chmod(path, 0600), 0);

	db = db_open(path, 0, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	db_close(db);
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(file_int(list[0].path, "PRAGMA user_version"), 0);
	assert_int_equal(file_int(list[0].path, "SELECT x FROM legacy"), 42);
	assert_int_equal(file_int(path, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	backup_list_free(list, n);

	/* Opening it again needs no upgrade and makes no copy. */
	db = db_open(path, 0, &e);
	assert_non_null(db);
	db_close(db);
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	backup_list_free(list, n);

	/* A new file is not copied: there is nothing to lose. */
	path = fresh_db("new");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	db_close(db);
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, 0);
}

static void
test_symlinked_dir_refused(void **state)
{
	const char *path = fresh_db("symlink");
	char dir[512], elsewhere[512];
	struct err e;
	struct db *db = open_with_decks(path, 1);

	(void)state;
	err_clear(&e);
	snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", tmpdir);
	assert_int_equal(mkdir(elsewhere, 0700), 0);
	assert_int_equal(backup_dir(path, dir, sizeof dir, &e), 0);
	assert_int_equal(symlink(elsewhere, dir), 0);
	assert_int_equal(backup_make(db, NOW, 1, NULL, 0, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_int_equal(count_entries(elsewhere, "collection-"), 0);
	assert_int_equal(count_entries(elsewhere, ".collection-"), 0);
	db_close(db);
}

/*
 * Two progress files in one folder: each has its own backups, named after
 * it, and pruning to BACKUP_KEEP counts only its own (issue 14: they used to
 * share one set of collection-*.db).
 */
static void
test_per_file(void **state)
{
	char dir[400], german_path[512], math_path[512];
	struct backup *list;
	struct err e;
	size_t n;
	struct db *german, *math;

	(void)state;
	err_clear(&e);
	snprintf(dir, sizeof dir, "%s/perfile", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(german_path, sizeof german_path, "%s/german.db", dir);
	snprintf(math_path, sizeof math_path, "%s/math.db", dir);
	german = open_with_decks(german_path, 2);
	math = open_with_decks(math_path, 5);

	assert_int_equal(backup_daily(german, NOW, &e), 1);
	assert_int_equal(backup_daily(math, NOW + 3600, &e), 1);
	assert_int_equal(backup_list(math_path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "math-20250101-100000.db");
	assert_int_equal(file_int(list[0].path, "SELECT count(*) FROM decks"), 5);
	backup_list_free(list, n);
	assert_int_equal(backup_list(german_path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "german-20250101-090000.db");
	backup_list_free(list, n);

	for (int d = 1; d < 12; d++)
		assert_int_equal(backup_daily(math, NOW + d * DAY, &e), 1);
	assert_int_equal(backup_list(math_path, &list, &n, &e), 0);
	assert_int_equal(n, BACKUP_KEEP);
	backup_list_free(list, n);
	assert_int_equal(backup_list(german_path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	backup_list_free(list, n);
	db_close(german);
	db_close(math);
}

/*
 * A silently damaged file (4 KiB of garbage in its middle) is never
 * published as a backup: the copy fails quick_check, is deleted, and the
 * good backups stay, however many days lemma starts on it.
 */
static void
run_sql(const char *path, const char *sql)
{
	sqlite3 *s;

	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
}

static void
test_damaged_not_published(void **state)
{
	const char *path = fresh_db("quickcheck");
	char dir[512], garbage[4096];
	struct backup *list;
	struct stat st;
	struct err e;
	struct db *db = open_with_decks(path, 0);
	size_t n;
	int fd;

	(void)state;
	err_clear(&e);
	/* Enough rows for many pages, so the middle is data, not header
	 * (written in one statement: 4000 db_deck_ensure calls took 18 s,
	 * each looking the name up among all decks before it). */
	db_close(db);
	run_sql(path, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
	    "FROM n WHERE i < 3999) INSERT INTO decks (name, created) SELECT "
	    "'A deck with a long name, number ' || i, 0 FROM n");
	db = db_open(path, 0, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(backup_daily(db, NOW, &e), 1);
	db_close(db);

	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size >= 32 * 4096);
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)(i * 7919 % 251);
	assert_true((fd = open(path, O_WRONLY)) >= 0);
	assert_int_equal(pwrite(fd, garbage, sizeof garbage, st.st_size / 2),
	    (ssize_t)sizeof garbage);
	close(fd);

	db = db_open(path, 0, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	for (int d = 1; d <= 8; d++) {
		err_clear(&e);
		assert_int_equal(backup_daily(db, NOW + d * DAY, &e),
		    BACKUP_DAMAGED);
		assert_non_null(strstr(e.msg, "damaged"));
	}
	db_close(db);
	assert_int_equal(backup_list(path, &list, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "collection-20250101-090000.db");
	assert_int_equal(backup_verify(list[0].path, &e), 0);
	backup_list_free(list, n);
	/* No temporary copy left behind. */
	assert_int_equal(backup_dir(path, dir, sizeof dir, &e), 0);
	assert_int_equal(count_entries(dir, "."), 2);	/* . and .. */
}

/* The id in a closed file's settings, into buf ("" when none). */
static void
file_id(const char *path, char *buf, size_t len)
{
	sqlite3 *s;
	sqlite3_stmt *st;

	buf[0] = '\0';
	assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	if (sqlite3_prepare_v2(s, "SELECT value FROM settings WHERE key = "
	    "'file_id'", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(buf, len, "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(s);
}


/*
 * Each progress file has its own random id from its first open; its
 * backups carry it; backup_belongs() goes by the ids, and by the backup's
 * name when either has none; a restore keeps the file's own id.
 */
static void
test_file_id(void **state)
{
	char dir[400], a_path[512], b_path[512], a_copy[600], b_copy[600];
	char legacy[600], foreign[600], id_a[64], id_b[64], id[64];
	struct err e;
	struct db *a, *b;

	(void)state;
	err_clear(&e);
	snprintf(dir, sizeof dir, "%s/ids", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(a_path, sizeof a_path, "%s/a.db", dir);
	snprintf(b_path, sizeof b_path, "%s/b.db", dir);
	a = open_with_decks(a_path, 1);
	b = open_with_decks(b_path, 2);
	assert_int_equal(backup_make(a, NOW, 1, a_copy, sizeof a_copy, &e), 0);
	assert_int_equal(backup_make(b, NOW, 1, b_copy, sizeof b_copy, &e), 0);
	file_id(a_path, id_a, sizeof id_a);
	file_id(b_path, id_b, sizeof id_b);
	assert_int_equal(strlen(id_a), 32);
	assert_int_equal(strspn(id_a, "0123456789abcdef"), 32);
	assert_string_not_equal(id_a, id_b);
	file_id(a_copy, id, sizeof id);
	assert_string_equal(id, id_a);

	assert_int_equal(backup_belongs(a, a_path, a_copy, &e), 0);
	assert_int_equal(backup_belongs(a, a_path, b_copy, &e), -1);
	assert_non_null(strstr(e.msg, "another progress file"));
	assert_non_null(strstr(e.msg, a_path));
	assert_string_equal(e.path, b_copy);
	/* An id, whatever the name: a copy of a elsewhere is a's. */
	snprintf(foreign, sizeof foreign, "%s/a-copy.db", dir);
	copy_file(a_copy, foreign);
	assert_int_equal(backup_belongs(a, a_path, foreign, &e), 0);

	/* No id (a backup from an older lemma): its name decides. */
	snprintf(legacy, sizeof legacy, "%s/backups/a-20240101-090000.db", dir);
	copy_file(b_copy, legacy);
	run_sql(legacy, "DELETE FROM settings WHERE key = 'file_id'");
	assert_int_equal(backup_belongs(a, a_path, legacy, &e), 0);
	run_sql(foreign, "DELETE FROM settings WHERE key = 'file_id'");
	assert_int_equal(backup_belongs(a, a_path, foreign, &e), -1);
	assert_non_null(strstr(e.msg, "cannot tell"));

	/* The progress file gone (db NULL): the name decides too, unless the
	 * ids can be read from the file still. */
	db_close(a);
	assert_int_equal(backup_belongs(NULL, a_path, b_copy, &e), -1);
	assert_int_equal(unlink(a_path), 0);
	assert_int_equal(backup_belongs(NULL, a_path, legacy, &e), 0);
	assert_int_equal(backup_belongs(NULL, a_path, a_copy, &e), 0);
	assert_int_equal(backup_belongs(NULL, a_path, b_copy, &e), -1);
	assert_non_null(strstr(e.msg, "cannot tell"));

	/* A restore of an id-less or another file's backup keeps b's id. */
	run_sql(a_copy, "DELETE FROM settings WHERE key = 'file_id'");
	assert_int_equal(backup_restore(b, a_copy, &e), 0);
	assert_int_equal(count_decks(b), 1);
	db_close(b);
	file_id(b_path, id, sizeof id);
	assert_string_equal(id, id_b);
}

/* A report that asks to stop at the stop_at-th report of the phase named
 * phase (0: never; -1: at its last, when done reaches total). */
struct stop_at {
	const char	*phase;
	int		 stop_at, calls, stopped;
};

static int
stop_report(void *arg, const struct progress *p)
{
	struct stop_at *s = arg;

	if (strcmp(p->what, s->phase) != 0)
		return 0;
	s->calls++;
	if ((s->stop_at > 0 && s->calls >= s->stop_at) ||
	    (s->stop_at < 0 && p->total > 0 && p->done >= p->total))
		s->stopped = 1;
	return s->stopped;
}

/* Files whose names start with '.' in path's backups folder. */
static int
temp_backups(const char *path)
{
	char dir[600];
	const char *slash = strrchr(path, '/');
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%.*s/backups", (int)(slash - path), path);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The restore's copy in steps: a stop before its last page leaves the file
 * as it was; a stop asked at the last report comes too late (the step
 * that copied the last page committed), so the restore is reported done,
 * never "Cancelled" over a restored file. The copy of the current file,
 * stopped, leaves no temporary file. */
static void
test_restore_progress(void **state)
{
	static const struct {
		const char	*phase;
		int		 stop_at;
		int		 rc, decks;	/* after */
	} cases[] = {
		{ "Restoring the backup", 0, 0, 2 },
		{ "Restoring the backup", 1, -1, 3 },
		{ "Restoring the backup", 2, -1, 3 },
		{ "Restoring the backup", 3, -1, 3 },
		{ "Restoring the backup", -1, 0, 2 },
		{ "Checking the backup", 1, -1, 3 },
	};
	char *pad = malloc(3000001);

	(void)state;
	assert_non_null(pad);
	memset(pad, 'x', 3000000);
	pad[3000000] = '\0';
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32], out[600];
		const char *path;
		struct stop_at s = { cases[i].phase, cases[i].stop_at, 0, 0 };
		struct progress p;
		struct err e;
		struct db *db;
		int rc;

		snprintf(name, sizeof name, "progress%zu", i);
		path = fresh_db(name);
		db = open_with_decks(path, 2);
		err_clear(&e);
		/* 3 MB: the copy takes several steps of 1 MiB. */
		assert_int_equal(db_setting_set(db, "pad", pad, &e), 0);
		assert_int_equal(backup_make(db, NOW, 1, out, sizeof out, &e),
		    0);
		assert_true(db_deck_ensure(db, "Added later", NOW, &e) > 0);
		memset(&p, 0, sizeof p);
		p.report = stop_report;
		p.arg = &s;
		rc = backup_verify_progress(out, &p, &e);
		if (rc == 0)
			rc = backup_restore_progress(db, out, &p, &e);
		assert_int_equal(rc, cases[i].rc);
		if (rc < 0)
			assert_non_null(strstr(e.msg, "Cancelled"));
		assert_int_equal(count_decks(db), cases[i].decks);
		/* Run to the end: the begin and a report per step. */
		if (cases[i].stop_at <= 0 && s.calls < 3)
			fail_msg("case %zu: %d reports", i, s.calls);
		db_close(db);
		/* The same on disk, read afresh. */
		db = db_open(path, 0, &e);
		assert_non_null(db);
		assert_int_equal(count_decks(db), cases[i].decks);
		db_close(db);
	}
	/* The copy of the current file, stopped in its copy and in its
	 * check: no temporary file, no new backup. */
	for (int k = 0; k < 2; k++) {
		const char *path = fresh_db(k == 0 ? "copystop" : "checkstop");
		struct stop_at s = { k == 0 ? "Copying the progress file" :
		    "Checking the copy", 2 - k, 0, 0 };
		struct backup *list;
		struct progress p;
		struct err e;
		struct db *db = open_with_decks(path, 1);
		char out[600];
		size_t n;

		err_clear(&e);
		assert_int_equal(db_setting_set(db, "pad", pad, &e), 0);
		memset(&p, 0, sizeof p);
		p.report = stop_report;
		p.arg = &s;
		assert_int_equal(backup_make_progress(db, NOW, 0, out,
		    sizeof out, &p, &e), -1);
		assert_non_null(strstr(e.msg, "Cancelled"));
		assert_int_equal(temp_backups(path), 0);
		assert_int_equal(backup_list(path, &list, &n, &e), 0);
		assert_int_equal(n, 0);
		backup_list_free(list, n);
		db_close(db);
	}
	free(pad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_make),
		cmocka_unit_test(test_daily_and_keep),
		cmocka_unit_test(test_list_ignores_others),
		cmocka_unit_test(test_prune_temporaries),
		cmocka_unit_test(test_restore_open),
		cmocka_unit_test(test_verify_refuses),
		cmocka_unit_test(test_restore_damaged_file),
		cmocka_unit_test(test_before_migration),
		cmocka_unit_test(test_symlinked_dir_refused),
		cmocka_unit_test(test_per_file),
		cmocka_unit_test(test_damaged_not_published),
		cmocka_unit_test(test_file_id),
		cmocka_unit_test(test_restore_progress),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
