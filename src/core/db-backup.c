/*
 * db-backup.c - the SQLite side of backups: copies with the online backup
 * API, checks of a file to restore, and restoring into an open progress
 * file. See db-backup.h.
 */
#include "config.h"

#include "db-backup.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "db-int.h"

/* PRAGMA application_id of a lemma file ("LEMA"), as db.c writes it. */
#define BACKUP_APPLICATION_ID	0x4C454D41

static int
conn_err(sqlite3 *s, const char *path, struct err *e, const char *what)
{
	return err_set(e, path, 0, 0, "%s: %s", what, sqlite3_errmsg(s));
}

/* Copy every page of src into dst; both are open connections. */
static int
copy_pages(sqlite3 *dst, const char *dst_path, sqlite3 *src,
    const char *src_path, struct err *e)
{
	sqlite3_backup *b;
	int rc;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		return conn_err(dst, dst_path, e, "cannot start the copy");
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return err_set(e, dst_path, 0, 0, "cannot copy: the file is "
		    "locked by another program; try again when it is done");
	if (rc == SQLITE_READONLY)
		return err_set(e, dst_path, 0, 0, "cannot copy: the page sizes "
		    "differ or the file is read-only");
	/* An error on either side ends up in the destination's message. */
	return err_set(e, dst_path, 0, 0, "cannot copy from %s: %s", src_path,
	    sqlite3_errstr(rc));
}

/* Open path as the destination of a copy and make it self-contained. */
static int
copy_into(const char *dest, sqlite3 *src, const char *src_path, struct err *e)
{
	sqlite3 *d = NULL;
	char *msg = NULL;
	int rc = -1;

	if (sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
	    NULL) != SQLITE_OK) {
		conn_err(d, dest, e, "cannot create the backup");
		goto out;
	}
	sqlite3_busy_timeout(d, 5000);
	if (copy_pages(d, dest, src, src_path, e) < 0)
		goto out;
	/* The pages carry the source's WAL flag; a backup should open alone,
	 * read-only, without creating -wal and -shm files beside it. */
	if (sqlite3_exec(d, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) !=
	    SQLITE_OK) {
		err_set(e, dest, 0, 0, "cannot finish the backup: %s",
		    msg != NULL ? msg : sqlite3_errmsg(d));
		sqlite3_free(msg);
		goto out;
	}
	rc = 0;
out:
	if (sqlite3_close(d) != SQLITE_OK && rc == 0)
		rc = err_set(e, dest, 0, 0, "cannot close the backup");
	return rc;
}

int
db_backup_to_file(struct db *db, const char *dest, struct err *e)
{
	return copy_into(dest, db->sql, db->path, e);
}

int
db_backup_file_to_file(const char *src, const char *dest, struct err *e)
{
	sqlite3 *s = NULL;
	int rc;

	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = conn_err(s, src, e, "cannot open");
		sqlite3_close(s);
		return rc;
	}
	sqlite3_busy_timeout(s, 5000);
	rc = copy_into(dest, s, src, e);
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

int
db_backup_verify(const char *path, struct err *e)
{
	unsigned char head[16];
	long long app_id, version;
	sqlite3 *s = NULL;
	sqlite3_stmt *st;
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
		conn_err(s, path, e, "cannot open");
		goto out;
	}
	if (single_int(s, "PRAGMA application_id", &app_id) < 0 ||
	    single_int(s, "PRAGMA user_version", &version) < 0) {
		conn_err(s, path, e, "cannot read");
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
	if (sqlite3_prepare_v2(s, "PRAGMA quick_check", -1, &st, NULL) !=
	    SQLITE_OK) {
		conn_err(s, path, e, "cannot check");
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		err_set(e, path, 0, 0, "the file is damaged (%s)",
		    sqlite3_errmsg(s));
		sqlite3_finalize(st);
		goto out;
	}
	sqlite3_finalize(st);
	rc = 0;
out:
	sqlite3_close(s);
	return rc;
}

int
db_backup_restore(struct db *db, const char *src, struct err *e)
{
	sqlite3 *s = NULL;
	int rc;

	if (db->tx_depth > 0)
		return err_set(e, db->path, 0, 0, "cannot restore inside a "
		    "transaction");
	if (db->readonly)
		return err_set(e, db->path, 0, 0, "cannot restore: the progress "
		    "file is open read-only");
	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = conn_err(s, src, e, "cannot open");
		sqlite3_close(s);
		return rc;
	}
	/* One step of all pages: the copy happens under one write lock, so
	 * the progress file is the old one or the restored one, never a mix,
	 * even if lemma is killed during it. */
	rc = copy_pages(db->sql, db->path, s, src, e);
	sqlite3_close(s);
	return rc;
}
