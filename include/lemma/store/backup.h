/*
 * backup.h - copies of the progress file, kept beside it.
 *
 * Owns <directory of the progress file>/backups/ (mode 0700): consistent
 * copies named after their progress file, NAME-YYYYMMDD-HHMMSS.db for
 * NAME.db (local time, mode 0600), made with SQLite's online backup API so
 * that a copy is whole even while another lemma writes. Progress files in
 * one folder share the directory but not their backups: each lists,
 * prunes and restores its own. A copy is written to a temporary name,
 * passes PRAGMA quick_check, is synced, and is renamed into place, so a
 * crash never leaves half a backup under a real name and a damaged file
 * never pushes the good copies out. The newest BACKUP_KEEP are kept.
 *
 * Every progress file carries a random id (settings.file_id), and so its
 * backups do: restore checks it (backup_belongs).
 *
 * Never prints, never reads the clock (the caller passes now), and never
 * touches the progress file except through db and, for a file that cannot
 * be opened, backup_restore_file().
 */
#ifndef LEMMA_BACKUP_H
#define LEMMA_BACKUP_H

#include <stddef.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

#define BACKUP_KEEP	7
/* backup_make/backup_daily: the copy failed quick_check. */
#define BACKUP_DAMAGED	(-2)

struct backup {
	char		*path;		/* full path */
	char		*name;		/* NAME-YYYYMMDD-HHMMSS.db */
	time_t		 when;		/* the time in the name */
	long long	 size;		/* bytes */
};

/* The backups directory for the progress file db_path, into buf. */
int	backup_dir(const char *db_path, char *buf, size_t len, struct err *e);

/* Make a backup of db named after now (a second later if that name is
 * taken), giving db its id first if it has none. OUT: out, when not NULL,
 * receives its path. With prune, deletes all but the newest BACKUP_KEEP
 * afterwards. Returns 0; BACKUP_DAMAGED when the copy failed quick_check
 * (it is deleted; e says what SQLite found); or -1 with e filled. The
 * progress file's content is never changed. */
int	backup_make(struct db *db, time_t now, int prune, char *out, size_t len,
	    struct err *e);

/* The daily backup: makes one when none is named after now's date (local
 * time). Returns 1 when one was made, 0 when none was needed,
 * BACKUP_DAMAGED when the progress file is damaged (the caller says so,
 * with the command that restores), -1 on other errors (the caller warns
 * and goes on: studying matters more). */
int	backup_daily(struct db *db, time_t now, struct err *e);

/* Called by db_open() before it migrates a file that already holds a
 * schema. Named after the time the file was last written (db_open has no
 * clock), so the copy's name says how old its content is. Returns 0 or -1;
 * db_open() does not migrate without it. The upgrade's progress p (NULL:
 * none) shows the copy and its check (a large file takes seconds); a
 * stop fails with progress_stopped() and leaves no copy. */
int	backup_before_migration(struct db *db, struct progress *p,
	    struct err *e);

/* The backups of the progress file db_path, newest first. An absent
 * directory is an empty list. Free with backup_list_free(). */
int	backup_list(const char *db_path, struct backup **out, size_t *n,
	    struct err *e);
void	backup_list_free(struct backup *b, size_t n);

/* Delete all but the newest keep (at least 1) of db_path's backups, and
 * its temporary files that a killed lemma left more than an hour before
 * now. */
int	backup_prune(const char *db_path, size_t keep, time_t now,
	    struct err *e);

/* Whether path is a lemma progress file fit to restore (read-only check:
 * SQLite header, application id, schema version, quick_check). */
int	backup_verify(const char *path, struct err *e);

/* Whether the backup at path is a copy of the progress file db_path (open
 * as db, or NULL when it cannot be opened): the ids inside both match, or,
 * when either has none, path's name is one of db_path's backup names.
 * Returns 0, or -1 with e saying why not (the caller may let the user
 * override it). */
int	backup_belongs(struct db *db, const char *db_path, const char *path,
	    struct err *e);

/* Replace the content of the open progress file db with the backup at
 * path, in one transaction. The caller has made a backup of the current
 * content first (backup_make) and verified path. */
int	backup_restore(struct db *db, const char *path, struct err *e);

/* For a progress file that lemma refuses to open (damaged): move it and its
 * -wal/-shm aside to <name>.broken-YYYYMMDD-HHMMSS[-wal|-shm], and put a
 * copy of the backup at path in its place. OUT: aside receives the new
 * name of the old file. */
/*
 * backup_make, backup_verify and backup_restore for `lemma restore` of a
 * large file: reporting to p (base/progress.h) as they go -- "Copying the
 * progress file", "Checking the copy", "Checking the backup", "Restoring
 * the backup", the copies in bytes -- and stopping when the report asks:
 * then they fail with progress_stopped()'s "Cancelled", the temporary
 * copy is removed and the progress file is as it was (the restore's
 * write transaction is rolled back).
 */
int	backup_make_progress(struct db *db, time_t now, int prune, char *out,
	    size_t len, struct progress *p, struct err *e);
int	backup_verify_progress(const char *path, struct progress *p,
	    struct err *e);
int	backup_restore_progress(struct db *db, const char *path,
	    struct progress *p, struct err *e);

int	backup_restore_file(const char *db_path, const char *path, time_t now,
	    char *aside, size_t len, struct err *e);

#endif
