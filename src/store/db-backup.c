/*
 * db-backup.c - the SQLite side of backups: copies with the online backup
 * API, checks of a file to restore, and restoring into an open progress
 * file. See db-backup.h.
 */
#include "config.h"

#include "db-backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db-int.h"
#include "lemma/base/progress.h"
#include "lemma/store/backup.h"

/* PRAGMA application_id of a lemma file ("LEMA"), as db.c writes it. */
#define BACKUP_APPLICATION_ID	0x4C454D41

int
db_backup_to_file(struct db *db, const char *dest, struct progress *p,
    struct err *e)
{
	return db_files_copy(dest, db->sql, db->path, "Copying the progress "
	    "file", p, e);
}

int
db_backup_file_to_file(const char *src, const char *dest, struct err *e)
{
	sqlite3 *s = NULL;
	int rc;

	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = db_files_err(s, src, e, "cannot open");
		sqlite3_close(s);
		return rc;
	}
	sqlite3_busy_timeout(s, 5000);
	rc = db_files_copy(dest, s, src, NULL, NULL, e);
	sqlite3_close(s);
	return rc;
}

static int
single_int(sqlite3 *s, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * PRAGMA quick_check: the b-trees, their pages and the free list, without
 * comparing indexes to tables (integrity_check, much slower on a large
 * file, is `lemma check`'s). Its first finding goes into the message, on one
 * line: it is SQLite's text, but it ends up on a terminal.
 */
/* SQLite's poll inside quick_check: the report draws and may stop it. */
static int
on_vm_progress(void *arg)
{
	return progress_poll(arg) < 0;
}

static int check_rows(sqlite3 *s, const char *path, char *what,
    size_t wlen, struct err *e);

static int
quick_check(sqlite3 *s, const char *path, char *what, size_t wlen,
    const char *doing, struct progress *p, struct err *e)
{
	int rc;

	if (p == NULL)
		return check_rows(s, path, what, wlen, e);
	if (progress_begin(p, doing, "bytes", 0) < 0)
		return progress_stopped(e);
	sqlite3_progress_handler(s, 100000, on_vm_progress, p);
	rc = check_rows(s, path, what, wlen, e);
	sqlite3_progress_handler(s, 0, NULL, NULL);
	if (progress_stopping(p))
		return progress_stopped(e);
	return rc;
}

static int
check_rows(sqlite3 *s, const char *path, char *what, size_t wlen,
    struct err *e)
{
	sqlite3_stmt *st;
	const char *row;
	int rc;

	if (sqlite3_prepare_v2(s, "PRAGMA quick_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		rc = sqlite3_errcode(s) & 0xff;
		if (rc != SQLITE_CORRUPT && rc != SQLITE_NOTADB)
			return db_files_err(s, path, e, "cannot check");
		snprintf(what, wlen, "%s", sqlite3_errmsg(s));
		return BACKUP_DAMAGED;
	}
	rc = sqlite3_step(st);
	row = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (row != NULL && strcmp(row, "ok") == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc == SQLITE_ROW)
		snprintf(what, wlen, "%s", row != NULL ? row : "");
	else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		snprintf(what, wlen, "%s", sqlite3_errmsg(s));
	else {
		db_files_err(s, path, e, "cannot check");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	for (char *p = what; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return BACKUP_DAMAGED;
}

int
db_backup_quick_check(const char *path, struct progress *p, struct err *e)
{
	char what[160];
	sqlite3 *s = NULL;
	int rc;

	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		rc = db_files_err(s, path, e, "cannot check");
		sqlite3_close(s);
		return rc;
	}
	rc = quick_check(s, path, what, sizeof what, "Checking the copy", p, e);
	if (rc == BACKUP_DAMAGED)
		err_set(e, path, 0, 0, "%s", what);
	sqlite3_close(s);
	return rc;
}

int
db_backup_verify(const char *path, struct progress *p, struct err *e)
{
	unsigned char head[16];
	long long app_id, version;
	char what[160];
	sqlite3 *s = NULL;
	ssize_t n;
	int fd, rc = -1;

	/* Look before SQLite does: a file that is not SQLite at all must not
	 * be handed to it. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(e, path, 0, 0, "cannot open: %s", strerror(errno));
	n = read(fd, head, sizeof head);
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
		return err_set(e, path, 0, 0, "not a lemma progress file (not an "
		    "SQLite database)");
	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		db_files_err(s, path, e, "cannot open");
		goto out;
	}
	if (single_int(s, "PRAGMA application_id", &app_id) < 0 ||
	    single_int(s, "PRAGMA user_version", &version) < 0) {
		db_files_err(s, path, e, "cannot read");
		goto out;
	}
	if (app_id != BACKUP_APPLICATION_ID) {
		err_set(e, path, 0, 0, "an SQLite database, but not a lemma "
		    "progress file");
		goto out;
	}
	if (version > DB_SCHEMA_VERSION) {
		err_set(e, path, 0, 0, "made by a newer lemma (schema version "
		    "%lld; this lemma knows up to %d)", version,
		    DB_SCHEMA_VERSION);
		goto out;
	}
	if ((rc = quick_check(s, path, what, sizeof what, "Checking the "
	    "backup", p, e)) != 0) {
		if (rc == BACKUP_DAMAGED)
			err_set(e, path, 0, 0, "the file is damaged (%s)", what);
		rc = -1;
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(s);
	return rc;
}

int
db_backup_restore(struct db *db, const char *src, struct progress *p,
    struct err *e)
{
	char id[DB_BACKUP_ID_LEN + 1], now_id[DB_BACKUP_ID_LEN + 1];
	sqlite3 *s = NULL;
	int rc, had_id;

	if (db->tx_depth > 0)
		return err_set(e, db->path, 0, 0, "cannot restore inside a "
		    "transaction");
	if (db->readonly)
		return err_set(e, db->path, 0, 0, "cannot restore: the progress "
		    "file is open read-only");
	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = db_files_err(s, src, e, "cannot open");
		sqlite3_close(s);
		return rc;
	}
	had_id = db_backup_id(db, id, sizeof id) == 0;
	/* One step of all pages: the copy happens under one write lock, so
	 * the progress file is the old one or the restored one, never a mix,
	 * even if lemma is killed during it. */
	rc = db_files_copy_pages(db->sql, db->path, s, src, "Restoring the "
	    "backup", p, e);
	sqlite3_close(s);
	/*
	 * The id names the file, not its content: the pages brought the
	 * backup's id (or none, from a lemma older than ids, or another
	 * file's, with --force), and the file's own backups must stay its
	 * own. A kill before this leaves the backup's id, which the file's
	 * own backups match unless --force restored another file's.
	 */
	if (rc == 0 && had_id && (db_backup_id(db, now_id, sizeof now_id) < 0 ||
	    strcmp(id, now_id) != 0))
		rc = db_backup_set_id(db, id, e);
	return rc;
}

int
db_backup_ensure_id(struct db *db, struct err *e)
{
	/* randomblob() is sqlite3_randomness(): 128 bits, so two files never
	 * share an id unless one is a copy of the other. An existing id is
	 * never replaced. */
	static const char sql[] = "INSERT INTO settings (key, value) VALUES "
	    "('file_id', lower(hex(randomblob(16)))) ON CONFLICT (key) DO "
	    "NOTHING";
	char id[DB_BACKUP_ID_LEN + 1];
	long long tables;

	if (db->readonly || db_backup_id(db, id, sizeof id) == 0)
		return 0;
	/* A file at schema 0 (before its first migration) has no settings. */
	if (single_int(db->sql, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name = 'settings'", &tables) < 0 || tables == 0)
		return 0;
	if (db_begin(db, e) < 0)
		return -1;
	if (db_exec(db, sql, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

/* The id from an open connection: 0, or -1 when there is none. */
static int
read_id(sqlite3 *s, char *buf, size_t len)
{
	sqlite3_stmt *st;
	const char *v;
	int rc = -1;

	if (sqlite3_prepare_v2(s, "SELECT value FROM settings WHERE key = "
	    "'file_id'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (v = (const char *)sqlite3_column_text(st, 0)) != NULL &&
	    strlen(v) == DB_BACKUP_ID_LEN && strlen(v) < len &&
	    strspn(v, "0123456789abcdef") == DB_BACKUP_ID_LEN) {
		memcpy(buf, v, DB_BACKUP_ID_LEN + 1);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int
db_backup_id(struct db *db, char *buf, size_t len)
{
	return read_id(db->sql, buf, len);
}

int
db_backup_set_id(struct db *db, const char *id, struct err *e)
{
	return db_setting_set(db, "file_id", id, e);
}

int
db_backup_file_id(const char *path, char *buf, size_t len)
{
	unsigned char head[16];
	sqlite3 *s = NULL;
	ssize_t n;
	int fd, rc;

	/* Not SQLite at all (a damaged progress file, say): no id, and
	 * SQLite is not handed it. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, head, sizeof head);
	close(fd);
	if (n != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
		return -1;
	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(s);
		return -1;
	}
	rc = read_id(s, buf, len);
	sqlite3_close(s);
	return rc;
}
