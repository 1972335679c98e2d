/*
 * db-files.c - the files behind a connection: a database copied into
 * another file with SQLite's online backup API (backups, and writing back
 * a deleted progress file), and the watch on the files a connection has
 * open. See db-int.h. The bottom of store: calls no other db*.c file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db-int.h"
#include "lemma/base/progress.h"

/* An error of a connection other than a struct db's, as e; returns -1. */
int
db_files_err(sqlite3 *s, const char *path, struct err *e, const char *what)
{
	return err_set(e, path, 0, 0, "%s: %s", what, sqlite3_errmsg(s));
}

/* Pages per step of a watched copy: 1 MiB of 4 KiB pages, a report each
 * (a step is one call into SQLite; a stop waits for it at most). */
#define COPY_STEP_PAGES	256

/* Steps of COPY_STEP_PAGES with a report after each; SQLITE_DONE, an
 * error, or SQLITE_INTERRUPT when the report asked to stop. The step
 * that copies the last page also commits the destination: from then on
 * a stop is too late, and the copy is done. */
static int
copy_in_steps(sqlite3_backup *b, sqlite3 *src, const char *what,
    struct progress *p)
{
	sqlite3_stmt *st;
	uint64_t page = 4096;
	int rc;

	if (sqlite3_prepare_v2(src, "PRAGMA page_size", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			page = (uint64_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	/* The page count is known after the first step. */
	rc = sqlite3_backup_step(b, COPY_STEP_PAGES);
	if (progress_begin(p, what, "bytes",
	    (uint64_t)sqlite3_backup_pagecount(b) * page) < 0 &&
	    rc == SQLITE_OK)
		return SQLITE_INTERRUPT;
	while (rc == SQLITE_OK) {
		uint64_t copied = (uint64_t)(sqlite3_backup_pagecount(b) -
		    sqlite3_backup_remaining(b));

		if (progress_step(p, copied * page) < 0)
			return SQLITE_INTERRUPT;
		rc = sqlite3_backup_step(b, COPY_STEP_PAGES);
	}
	if (rc == SQLITE_DONE)	/* the last report: 100 % */
		progress_step(p, (uint64_t)sqlite3_backup_pagecount(b) * page);
	return rc;
}

int
db_files_copy_pages(sqlite3 *dst, const char *dst_path, sqlite3 *src,
    const char *src_path, const char *what, struct progress *p,
    struct err *e)
{
	sqlite3_backup *b;
	int rc;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL)
		return db_files_err(dst, dst_path, e, "cannot start the copy");
	rc = p == NULL ? sqlite3_backup_step(b, -1) :
	    copy_in_steps(b, src, what, p);
	/* Unfinished, this rolls the destination back. */
	sqlite3_backup_finish(b);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_INTERRUPT && progress_stopping(p))
		return progress_stopped(e);
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

int
db_files_copy(const char *dest, sqlite3 *src, const char *src_path,
    const char *what, struct progress *p, struct err *e)
{
	sqlite3 *d = NULL;
	char *msg = NULL;
	int rc = -1;

	if (sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
	    NULL) != SQLITE_OK) {
		db_files_err(d, dest, e, "cannot create the backup");
		goto out;
	}
	sqlite3_busy_timeout(d, 5000);
	if (db_files_copy_pages(d, dest, src, src_path, what, p, e) < 0)
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

static ino_t
inode_of(const char *path, const char *suffix, dev_t *dev)
{
	char *p = sqlite3_mprintf("%s%s", path, suffix);
	struct stat st;
	ino_t ino = 0;

	if (p != NULL && stat(p, &st) == 0) {
		ino = st.st_ino;
		if (dev != NULL)
			*dev = st.st_dev;
	}
	sqlite3_free(p);
	return ino;
}

void
db_files_watch(struct db *db)
{
	db->ino = inode_of(db->path, "", &db->dev);
	db->wal_ino = inode_of(db->path, "-wal", NULL);
	db->shm_ino = inode_of(db->path, "-shm", NULL);
}

/* Remove path+suffix if it is still the file we had open. */
static void
unlink_ours(struct db *db, const char *suffix, ino_t ino)
{
	char *p = sqlite3_mprintf("%s%s", db->path, suffix);
	struct stat st;

	if (p != NULL && ino != 0 && stat(p, &st) == 0 && st.st_ino == ino &&
	    st.st_dev == db->dev)
		unlink(p);
	sqlite3_free(p);
}

/* Write the content db still has open back to its deleted path. */
static int
rescue(struct db *db, struct err *e)
{
	const char *slash = strrchr(db->path, '/');
	char *tmp;
	int fd, rc = -1;

	if (slash == NULL)
		tmp = sqlite3_mprintf(".lemma-rescue-XXXXXX");
	else
		tmp = sqlite3_mprintf("%.*s/.lemma-rescue-XXXXXX",
		    (int)(slash - db->path), db->path);
	if (tmp == NULL)
		return err_set(e, db->path, 0, 0, "out of memory");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		err_set(e, db->path, 0, 0, "%s", strerror(errno));
		sqlite3_free(tmp);
		return -1;
	}
	close(fd);
	if (db_files_copy(tmp, db->sql, db->path, NULL, NULL, e) == 0) {
		if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) >= 0) {
			fsync(fd);
			close(fd);
		}
		/* link() never replaces a file that has appeared since. */
		if (link(tmp, db->path) == 0)
			rc = 0;
		else
			err_set(e, db->path, 0, 0, "%s", strerror(errno));
	}
	unlink(tmp);
	sqlite3_free(tmp);
	return rc;
}

int
db_files_check_moved(struct db *db, struct err *e)
{
	struct stat st;
	int rc, deleted;

	if (db->readonly || db->ino == 0)
		return 0;
	/* The messages lead with what to do: a status line shows the start. */
	if (db->gone)
		return err_set(e, db->path, 0, 0, "restart lemma: its progress "
		    "file was deleted or replaced while open, and nothing more is "
		    "saved to it");
	rc = stat(db->path, &st);
	if (rc == 0 && st.st_dev == db->dev && st.st_ino == db->ino)
		return 0;
	deleted = rc < 0 && errno == ENOENT;
	db->gone = 1;
	/* Our log beside someone else's file would be replayed into it by
	 * the next program to open it: take it away first. */
	unlink_ours(db, "-wal", db->wal_ino);
	unlink_ours(db, "-shm", db->shm_ino);
	if (!deleted)
		return err_set(e, db->path, 0, 0, "restart lemma: its progress "
		    "file was replaced while open (the new one is left as it is)");
	if (rescue(db, e) < 0) {
		char why[sizeof e->msg];

		snprintf(why, sizeof why, "%s", e != NULL ? e->msg : "");
		db->gone = 0;	/* so that the next write tries again */
		return err_set(e, db->path, 0, 0, "do not quit: the progress file "
		    "was deleted while open and cannot be written back (%s); make "
		    "room or fix its directory, then try again", why);
	}
	return err_set(e, db->path, 0, 0, "restart lemma: its progress file was "
	    "deleted while open; lemma wrote it back with every saved grade");
}
