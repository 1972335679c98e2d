/*
 * db-sql.c - the connection's SQL helpers (db-int.h), transactions and
 * settings: what every other db*.c file builds on. See db.h.
 *
 * Opening and migrating (db.c) sit above backups, which use these; so
 * these call nothing above them but the watch on the open files
 * (db-files.c).
 */
#include "config.h"

#include "lemma/store/db.h"

#include <stdio.h>
#include <sys/resource.h>

#include "db-int.h"
#include "lemma/base/xmalloc.h"

/* SQLite's message, or a plainer one where SQLite's would puzzle. */
static const char *
errmsg(struct db *db, const char *sqlite_msg)
{
	struct rlimit rl;

	switch (sqlite3_extended_errcode(db->sql)) {
	case SQLITE_READONLY_DBMOVED:
		return "the progress file was moved or deleted while lemma had "
		    "it open";
	case SQLITE_READONLY_DIRECTORY:
	case SQLITE_READONLY_CANTINIT:
	case SQLITE_READONLY_CANTLOCK:
		return "the progress file's directory is read-only, and lemma "
		    "needs to write its -wal and -shm files there";
	}
	if (sqlite3_errcode(db->sql) == SQLITE_READONLY)
		return "the progress file is read-only";
	/* A write past a file size limit fails with EFBIG, which SQLite
	 * reports as "disk I/O error" (its errno is gone by then): name the
	 * limit when there is one. */
	if (sqlite3_extended_errcode(db->sql) == SQLITE_IOERR_WRITE &&
	    getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		return "disk I/O error (this process may not write files past "
		    "its file size limit: ulimit -f)";
	return sqlite_msg;
}

int
db_sql_err(struct db *db, struct err *e, const char *what)
{
	return err_set(e, db->path, 0, 0, "%s: %s", what,
	    errmsg(db, sqlite3_errmsg(db->sql)));
}

sqlite3_stmt *
db_prepare(struct db *db, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		db_sql_err(db, e, "cannot prepare a query");
		return NULL;
	}
	return st;
}

int
db_exec(struct db *db, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, db->path, 0, 0, "%s", errmsg(db, msg != NULL ? msg :
		    sqlite3_errmsg(db->sql)));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
db_step_done(struct db *db, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_sql_err(db, e, "cannot write");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

char *
db_column_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return xstrdup(s != NULL ? (const char *)s : "");
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

int
db_begin(struct db *db, struct err *e)
{
	if (db->tx_depth++ > 0)
		return 0;
	if (db_files_check_moved(db, e) < 0) {
		db->tx_depth = 0;
		return -1;
	}
	if (db_exec(db, "BEGIN IMMEDIATE", e) < 0) {
		db->tx_depth = 0;
		if (sqlite3_errcode(db->sql) == SQLITE_BUSY)
			return err_set(e, db->path, 0, 0, "the progress file is "
			    "locked by another lemma; try again when it is done");
		return -1;
	}
	return 0;
}

int
db_commit(struct db *db, struct err *e)
{
	if (db->tx_depth == 0)
		return 0;
	if (--db->tx_depth > 0)
		return 0;
	if (db_exec(db, "COMMIT", e) < 0) {
		db_exec(db, "ROLLBACK", NULL);
		return -1;
	}
	db->wrote = 1;
	return 0;
}

void
db_rollback(struct db *db)
{
	/* A rollback anywhere in a nest undoes the whole transaction. */
	if (db->tx_depth == 0)
		return;
	db->tx_depth = 0;
	db_exec(db, "ROLLBACK", NULL);
}

int
db_setting_get(struct db *db, const char *key, char *val, size_t len)
{
	sqlite3_stmt *st;
	int found = -1;

	if ((st = db_prepare(db, "SELECT value FROM settings WHERE key = ?", NULL))
	    == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(val, len, "%s", sqlite3_column_text(st, 0));
		found = 0;
	}
	sqlite3_finalize(st);
	return found;
}

int
db_setting_set(struct db *db, const char *key, const char *val, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "INSERT INTO settings (key, value) VALUES (?, ?) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", e)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, val, -1, SQLITE_STATIC);
	return db_step_done(db, st, e);
}
