/*
 * backup.h - copies of the progress file, kept beside it.
 *
 * Owns <directory of the progress file>/backups/ (mode 0700): consistent
 * copies named collection-YYYYMMDD-HHMMSS.db (local time, mode 0600), made
 * with SQLite's online backup API so that a copy is whole even while
 * another lemma writes. A copy is written to a temporary name, synced, and
 * renamed into place, so a crash never leaves half a backup under a real
 * name. The newest BACKUP_KEEP are kept.
 *
 * Never prints, never reads the clock (the caller passes now), and never
 * touches the progress file except through db and, for a file that cannot
 * be opened, backup_restore_file().
 */
#ifndef LEMMA_BACKUP_H
#define LEMMA_BACKUP_H

#include <stddef.h>
#include <time.h>

#include "lemma/db.h"
#include "lemma/err.h"

#define BACKUP_KEEP	7

struct backup {
	char		*path;		/* full path */
	char		*name;		/* collection-YYYYMMDD-HHMMSS.db */
	time_t		 when;		/* the time in the name */
	long long	 size;		/* bytes */
};

/* The backups directory for the progress file db_path, into buf. */
int	backup_dir(const char *db_path, char *buf, size_t len, struct err *e);

/* Make a backup of db named after now (a second later if that name is
 * taken). OUT: out, when not NULL, receives its path. With prune, deletes
 * all but the newest BACKUP_KEEP afterwards. Returns 0, or -1 with e
 * filled (the progress file is never changed). */
int	backup_make(struct db *db, time_t now, int prune, char *out, size_t len,
	    struct err *e);

/* The daily backup: makes one when none is named after now's date (local
 * time). Returns 1 when one was made, 0 when none was needed, -1 on error
 * (the caller warns and goes on: studying matters more). */
int	backup_daily(struct db *db, time_t now, struct err *e);

/* Called by db_open() before it migrates a file that already holds a
 * schema. Named after the time the file was last written (db_open has no
 * clock), so the copy's name says how old its content is. Returns 0 or -1;
 * db_open() does not migrate without it. */
int	backup_before_migration(struct db *db, struct err *e);

/* The backups of the progress file db_path, newest first. An absent
 * directory is an empty list. Free with backup_list_free(). */
int	backup_list(const char *db_path, struct backup **out, size_t *n,
	    struct err *e);
void	backup_list_free(struct backup *b, size_t n);

/* Delete all but the newest keep backups, and temporary files that a
 * killed lemma left more than an hour before now. */
int	backup_prune(const char *db_path, size_t keep, time_t now,
	    struct err *e);

/* Whether path is a lemma progress file fit to restore (read-only check:
 * SQLite header, application id, schema version, quick_check). */
int	backup_verify(const char *path, struct err *e);

/* Replace the content of the open progress file db with the backup at
 * path, in one transaction. The caller has made a backup of the current
 * content first (backup_make) and verified path. */
int	backup_restore(struct db *db, const char *path, struct err *e);

/* For a progress file that lemma refuses to open (damaged): move it and its
 * -wal/-shm aside to <name>.broken-YYYYMMDD-HHMMSS[-wal|-shm], and put a
 * copy of the backup at path in its place. OUT: aside receives the new
 * name of the old file. */
int	backup_restore_file(const char *db_path, const char *path, time_t now,
	    char *aside, size_t len, struct err *e);

#endif
