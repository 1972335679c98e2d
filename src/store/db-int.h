/*
 * db-int.h - private to the db*.c files (src/store, and src/query's search
 * runner): the connection, its SQL helpers (db-sql.c) and the files behind
 * it (db-files.c).
 *
 * Within store, calls go one way: db-files.c <- db-sql.c <- db-backup.c
 * <- backup.c <- db.c (open and migrate: an upgrade copies the file
 * first), and db-notes, db-study, db-stats, db-deckconf on db-sql.c and
 * db.c.
 *
 * Only files named db*.c include this (and <sqlite3.h>).
 */
#ifndef LEMMA_DB_INT_H
#define LEMMA_DB_INT_H

#include <sqlite3.h>
#include <sys/types.h>

#include "lemma/store/db.h"

struct db {
	sqlite3	*sql;
	char	*path;
	int	 created;	/* the file was new or empty at open */
	int	 tx_depth;	/* db_begin nesting */
	int	 readonly;
	int	 wrote;		/* a transaction committed: optimize at close */
	int	 wal_pending;	/* new file, rollback journal until db_settle */
	/* The files opened, to notice them deleted or replaced under us
	 * (db-files.c's db_files_check_moved). */
	dev_t	 dev;
	ino_t	 ino, wal_ino, shm_ino;
	int	 gone;		/* they were: this connection writes no more */
	int	 lock_fd;	/* PATH.lock while db_lock_instance holds it */
};

/* Copy SQLite's last error, with the file's path, into e; returns -1. */
int		 db_sql_err(struct db *db, struct err *e, const char *what);

/* Prepare sql (persistent, for reuse); NULL and e filled on failure. */
sqlite3_stmt	*db_prepare(struct db *db, const char *sql, struct err *e);

/* Run sql that returns no rows (several statements allowed). */
int		 db_exec(struct db *db, const char *sql, struct err *e);

/* Step a statement that returns no rows and finalize it. */
int		 db_step_done(struct db *db, sqlite3_stmt *st, struct err *e);

/* The text of column i as a new string ("" for NULL). */
char		*db_column_strdup(sqlite3_stmt *st, int i);

/* ---- db-rows.c: rows kept for an undo ---- */

/* Rows of one table, column by column as SELECT * gives them. */
struct db_rows {
	int		  ncols;
	size_t		  nrows, cap;
	sqlite3_value	**vals;		/* nrows * ncols */
};

void	db_rows_free(struct db_rows *u);
/* Keep every row st returns (then reset st). */
int	db_rows_keep(struct db *db, sqlite3_stmt *st, struct db_rows *u,
	    struct err *e);
/* Put the rows back into table: verb is "INSERT" or "INSERT OR REPLACE",
 * and the rows are SELECT *'s, so they fit the table's columns. */
int	db_rows_put(struct db *db, const char *verb, const char *table,
	    const struct db_rows *u, struct err *e);

/* ---- db-decks.c: an action on decks or presets ---- */

/*
 * The one wrapper of every undoable action on decks or presets (db-decks.c's
 * and db-deckconf.c's): begin opens a transaction and snapshots the tables
 * (NULL, nothing open, on failure); end commits and hands the record to
 * *undo (or frees it: undo NULL); fail rolls back, frees and returns -1.
 */
struct db_deck_undo;
struct db_deck_undo *db_deck_action_begin(struct db *db, const char *label,
	    struct err *e);
int	db_deck_action_end(struct db *db, struct db_deck_undo *u,
	    struct db_deck_undo **undo, struct err *e);
int	db_deck_action_fail(struct db *db, struct db_deck_undo *u);

/* ---- db-files.c: the files behind a connection ---- */

/* An error of a connection s that is not a struct db's, with path, as e;
 * returns -1. */
int	db_files_err(sqlite3 *s, const char *path, struct err *e,
	    const char *what);

/* Copy every page of src into dst; both are open connections. With a
 * progress p (NULL: none) the copy goes in steps, reported as what in
 * bytes; a stop rolls dst back to what it held (the destination's write
 * transaction commits only with the last page) and fails with
 * progress_stopped(). */
int	db_files_copy_pages(sqlite3 *dst, const char *dst_path, sqlite3 *src,
	    const char *src_path, const char *what, struct progress *p,
	    struct err *e);

/* Open dest as the destination of a copy of src, copy, and make it
 * self-contained (journal_mode DELETE: no -wal or -shm beside it). */
int	db_files_copy(const char *dest, sqlite3 *src, const char *src_path,
	    const char *what, struct progress *p, struct err *e);

/* Note which files db has open (the progress file, its -wal and -shm),
 * for db_files_check_moved(). Called by db_open() and db_settle(). */
void	db_files_watch(struct db *db);

/* Before each write transaction and at close: is the progress file at its
 * path still the one db has open? If it was deleted, write back the copy
 * still open; if it was replaced, leave the new one. Either way take our
 * -wal and -shm away from beside it (SQLite would pair them with the new
 * file and corrupt it) and return -1: this connection writes no more. */
int	db_files_check_moved(struct db *db, struct err *e);

/* Write note type id's fields and templates (nt's, in order) to nt_fields
 * and nt_templates: for db_notetype_add and the package import, inside
 * their transaction. 0, or -1 with e. */
struct notetype;
int	db_notetype_add_parts(struct db *db, int64_t id,
	    const struct notetype *nt, struct err *e);

#endif
