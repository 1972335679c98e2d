/*
 * db-int.h - private to the db*.c files (src/store, and src/query's search
 * runner): the connection and SQL helpers.
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
	 * (db-backup.c's db_backup_check_moved). */
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

#endif
