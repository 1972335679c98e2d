/*
 * db-backup.h - private to backup.c: the SQLite side of backups, with
 * SQLite's online backup API (sqlite3_backup_*), which copies a consistent
 * snapshot page by page even while another connection writes.
 *
 * No file naming, listing or pruning here: that is backup.c's.
 */
#ifndef LEMMA_DB_BACKUP_H
#define LEMMA_DB_BACKUP_H

#include <stddef.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

/* Copy db's content into the file dest (new or empty), and leave it a
 * self-contained file in rollback-journal mode (no -wal or -shm beside
 * it). Does not sync or rename; the caller does. */
int	db_backup_to_file(struct db *db, const char *dest, struct progress *p,
	    struct err *e);

/* Copy the progress file at src (not open elsewhere in this process)
 * into dest the same way; for backing up a file lemma has not opened. */
int	db_backup_file_to_file(const char *src, const char *dest,
	    struct err *e);

/* Whether path is fit to restore: an SQLite file with lemma's application
 * id, a schema version this lemma reads, and a clean quick_check. Opens it
 * read-only and writes nothing. */
int	db_backup_verify(const char *path, struct progress *p, struct err *e);

/* Replace db's content with the file at src, in one step under the write
 * lock; the caller has verified src. Other connections see the new content
 * at their next read. */
int	db_backup_restore(struct db *db, const char *src, struct progress *p,
	    struct err *e);

/*
 * The file's id: 32 hex digits in settings (file_id), random
 * (sqlite3_randomness, through randomblob), written once and never changed,
 * so that every backup, being a copy, carries the id of the file it was
 * taken from.
 */
#define DB_BACKUP_ID_LEN	32

/* Give db an id if it has none (a no-op on a read-only connection or a
 * file without a settings table yet). Nests inside a caller's
 * transaction. Returns 0 or -1. */
int	db_backup_ensure_id(struct db *db, struct err *e);

/* db's id into buf (DB_BACKUP_ID_LEN + 1 bytes or more): 0, or -1 when it
 * has none. */
int	db_backup_id(struct db *db, char *buf, size_t len);

/* Set db's id to id (after a restore, which copied the backup's). */
int	db_backup_set_id(struct db *db, const char *id, struct err *e);

/* The id of the closed file at path, read-only: 0, or -1 when it has none
 * or cannot be read (not SQLite, damaged, older than ids). */
int	db_backup_file_id(const char *path, char *buf, size_t len);

/* PRAGMA quick_check on the file at path (a fresh copy): 0 when it
 * passes; BACKUP_DAMAGED (backup.h) when it does not, with SQLite's first
 * finding, on one line, as e's message; -1 when it cannot be checked. */
int	db_backup_quick_check(const char *path, struct progress *p,
	    struct err *e);

/* p (NULL: none) in the functions above: the copies report bytes, the
 * checks report while SQLite works (its progress handler), and a stop
 * fails them with progress_stopped(), a copy into a file leaving it for
 * the caller to remove, a restore leaving the progress file as it was. */

#endif
