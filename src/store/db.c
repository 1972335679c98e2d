/*
 * db.c - opening, migrating and checking the progress file; decks. See
 * db.h. The SQL helpers, transactions and settings are db-sql.c's, below
 * backups: an upgrade copies the file first (backup.c), and backups use
 * those helpers, so opening lives above both.
 */
#include "config.h"

#include "lemma/store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db-backup.h"
#include "db-int.h"
#include "db-schema.h"
#include "lemma/base/paths.h"
#include "lemma/base/progress.h"
#include "lemma/base/text.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/backup.h"
#include "lemma/store/db-notes.h"

/* PRAGMA application_id of a lemma file: "LEMA". */
#define DB_APPLICATION_ID	0x4C454D41

static int
pragma_int(struct db *db, const char *sql, long long *out, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return db_sql_err(db, e, "cannot read the file");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_sql_err(db, e, "cannot read the file");
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Whether any component of path is a symbolic link. */
static int
has_symlink(const char *path)
{
	char buf[4096];
	struct stat st;
	size_t n = strlen(path);

	if (n == 0)
		return 0;
	if (n >= sizeof buf)
		return 1;	/* too long to look at: assume the worst */
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (lstat(buf, &st) == 0 && S_ISLNK(st.st_mode))
			return 1;
		if (c == '\0')
			return 0;
		*p = c;
	}
}

/*
 * Whether a file SQLite would read as part of the progress file is the
 * user's alone: owned by the effective user and not writable by group or
 * others. SQLite trusts a -wal or -journal it finds beside the file and
 * replays it into the file, so one that another user could write (say,
 * planted in a shared directory) would become this user's history. As
 * git's safe.directory: the owner and the mode, with the command that
 * puts it right; root is no exception.
 */
static int
check_private(const char *path, const struct stat *st, struct err *e)
{
	if (st->st_uid != geteuid()) {
		const struct passwd *pw = getpwuid(geteuid());
		char me[64];

		if (pw != NULL)
			snprintf(me, sizeof me, "%s", pw->pw_name);
		else
			snprintf(me, sizeof me, "%u", (unsigned)geteuid());
		return err_set(e, path, 0, 0, "belongs to another user (uid %u), "
		    "who could have put anything in it; lemma opens only your "
		    "own files. If it is yours, run: chown %s %s; if not, "
		    "remove it", (unsigned)st->st_uid, me, path);
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return err_set(e, path, 0, 0, "other users may write it, and "
		    "so change your history; run: chmod go-w %s", path);
	return 0;
}

/* The -wal, -shm and -journal beside path that exist must be private
 * too; and a symbolic link there is never followed. Beside the real file,
 * when path is a link to one (SQLite opens it by its real name). */
static int
check_companions(const char *path, struct err *e)
{
	static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
	char name[4200], *real = realpath(path, NULL);
	const char *base = real != NULL ? real : path;
	struct stat st;
	int rc = 0;

	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0] && rc == 0;
	    i++) {
		snprintf(name, sizeof name, "%s%s", base, suffixes[i]);
		if (lstat(name, &st) < 0) {
			if (errno != ENOENT)
				rc = err_set(e, name, 0, 0, "cannot look at it: %s",
				    strerror(errno));
		} else if (!S_ISREG(st.st_mode))
			rc = err_set(e, name, 0, 0, "not a regular file; lemma "
			    "will not let SQLite read it. Remove it");
		else
			rc = check_private(name, &st, e);
	}
	free(real);
	return rc;
}

/*
 * Look at the file before SQLite does: a file that is not SQLite at all
 * (say /etc/passwd) must be refused without SQLite touching it, and a
 * symlink must not lead into another user's file.
 */
static int
precheck_file(const char *path, int *exists, int *empty, struct err *e)
{
	struct stat lst, st, wal, journal;
	unsigned char head[100];
	char wal_path[4200], journal_path[4200];
	unsigned long page_size, pages;
	ssize_t n;
	int fd;

	*exists = *empty = 0;
	if (lstat(path, &lst) < 0) {
		if (errno != ENOENT)
			return err_set(e, path, 0, 0, "cannot open the progress "
			    "file: %s", strerror(errno));
		/* A new file would take over a log already beside it. */
		return check_companions(path, e);
	}
	if (stat(path, &st) < 0)
		return err_set(e, path, 0, 0, "the progress file is a broken "
		    "symbolic link");
	/* A link anywhere on the way, not only the last name. */
	if (st.st_uid != geteuid() && has_symlink(path))
		return err_set(e, path, 0, 0, "refusing to follow a symbolic link "
		    "to a file owned by another user");
	if (!S_ISREG(st.st_mode))
		return err_set(e, path, 0, 0, "not a regular file");
	if (check_private(path, &st, e) < 0 || check_companions(path, e) < 0)
		return -1;
	*exists = 1;
	if (st.st_size == 0) {
		*empty = 1;
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, path, 0, 0, "cannot open the progress file: %s",
		    strerror(errno));
	n = read(fd, head, sizeof head);
	close(fd);
	if (n < 16 || memcmp(head, "SQLite format 3", 16) != 0)
		return err_set(e, path, 0, 0, "not a lemma progress file (not an "
		    "SQLite database); left unchanged");
	if (n != (ssize_t)sizeof head)
		return err_set(e, path, 0, 0, "the progress file is truncated or "
		    "corrupt (%lld bytes); left unchanged", (long long)st.st_size);
	/*
	 * A truncated file: the header promises more pages than the file
	 * holds. Cheap, unlike a full integrity check at every start. While a
	 * write-ahead log exists, pages may still live there, so the sizes
	 * only have to agree once it has been checkpointed away; a rollback
	 * journal left by a crash (a new file's first import, db_settle) is
	 * rolled back by SQLite at open, which puts the size right.
	 */
	page_size = (unsigned long)head[16] << 8 | head[17];
	if (page_size == 1)
		page_size = 65536;
	pages = (unsigned long)head[28] << 24 | (unsigned long)head[29] << 16 |
	    (unsigned long)head[30] << 8 | head[31];
	snprintf(wal_path, sizeof wal_path, "%s-wal", path);
	snprintf(journal_path, sizeof journal_path, "%s-journal", path);
	if ((stat(wal_path, &wal) < 0 || wal.st_size == 0) &&
	    (stat(journal_path, &journal) < 0 || journal.st_size == 0) &&
	    (unsigned long long)st.st_size < (unsigned long long)page_size * pages)
		return err_set(e, path, 0, 0, "the progress file is truncated or "
		    "corrupt (%lld bytes, its header says %llu); left unchanged",
		    (long long)st.st_size,
		    (unsigned long long)page_size * pages);
	return 0;
}

static int
create_file(const char *path, struct err *e)
{
	int fd;

	if (paths_mkdir_parents(path, 0700, e) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return err_set(e, path, 0, 0, "cannot create the progress file: %s",
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Refuse what is not ours or is damaged, before anything is written. */
static int
identify(struct db *db, struct err *e)
{
	long long app_id, version, tables;

	if (pragma_int(db, "PRAGMA application_id", &app_id, e) < 0 ||
	    pragma_int(db, "PRAGMA user_version", &version, e) < 0)
		return -1;
	if (pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables, e) < 0)
		return err_set(e, db->path, 0, 0, "the progress file is corrupt "
		    "(%s); left unchanged", e != NULL ? e->msg : "");
	if (app_id != DB_APPLICATION_ID && (app_id != 0 || tables > 0))
		return err_set(e, db->path, 0, 0, "an SQLite database, but not a "
		    "lemma progress file; left unchanged");
	if (version > DB_SCHEMA_VERSION)
		return err_set(e, db->path, 0, 0, "made by a newer lemma (schema "
		    "version %lld; this lemma knows up to %d); left unchanged",
		    version, DB_SCHEMA_VERSION);
	db->created = tables == 0;
	return (int)version;
}

/* lemma_sort_key(text): text_sort_key(), for the migration that fills
 * notes.sort_key. */
static void
fn_sort_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);

	(void)argc;
	if (s == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, text_sort_key(s,
		    (size_t)sqlite3_value_bytes(argv[0])));
}

/* lemma_sort_text(fields, index, is_html): field index of fields (joined
 * by U+001F; "" past the last) as db_note_sort_field() makes it, for the
 * migration that fills notes.sort_text. */
static void
fn_sort_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *f = (const char *)sqlite3_value_text(argv[0]), *sep;
	int64_t index = sqlite3_value_int64(argv[1]);
	size_t len;
	struct buf out;

	(void)argc;
	if (f == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	for (; index > 0 && f != NULL; index--)
		f = (sep = strchr(f, '\x1f')) != NULL ? sep + 1 : NULL;
	len = f == NULL ? 0 : (sep = strchr(f, '\x1f')) != NULL ?
	    (size_t)(sep - f) : strlen(f);
	buf_init(&out);
	db_note_sort_field(f != NULL ? f : "", len, sqlite3_value_int(argv[2]),
	    &out);
	sqlite3_result_text(ctx, out.data != NULL ? out.data : "", (int)out.len,
	    SQLITE_TRANSIENT);
	buf_free(&out);
}

/* Every version has its migration. */
typedef char db_migrations_match_version[
    DB_NMIGRATIONS == DB_SCHEMA_VERSION ? 1 : -1];

/* SQLite's poll inside a long statement: the progress report draws, and
 * nonzero (stop) interrupts the statement. */
static int
on_vm_progress(void *arg)
{
	return progress_poll(arg) < 0;
}

static int
migrate(struct db *db, int from, struct progress *p, struct err *e)
{
	char sql[128];
	long long broken;

	if (from >= DB_SCHEMA_VERSION)
		return 0;
	if (sqlite3_create_function_v2(db->sql, "lemma_sort_key", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_sort_key, NULL, NULL,
	    NULL) != SQLITE_OK || sqlite3_create_function_v2(db->sql,
	    "lemma_sort_text", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
	    fn_sort_text, NULL, NULL, NULL) != SQLITE_OK)
		return db_sql_err(db, e, "cannot upgrade the progress file");
	if (db->readonly)
		return err_set(e, db->path, 0, 0, "the progress file needs an "
		    "upgrade, but it is opened read-only");
	/* A file that holds a schema already is copied first: an upgrade
	 * that goes wrong must not cost anyone their history. */
	if (!db->created && backup_before_migration(db, p, e) < 0)
		return -1;
	/* Foreign keys off while the schema changes (SQLite's recipe for
	 * making a table again): dropping the old notes table must not take
	 * its cards with it. The pragma is a no-op inside a transaction, so
	 * it comes first; the keys are checked before the commit instead. */
	if (db_exec(db, "PRAGMA foreign_keys = OFF", e) < 0)
		return -1;
	if (db_begin(db, e) < 0)
		goto keys_on;
	/* A new file's schema is quick; an old file's upgrade rewrites its
	 * tables (15 s for a million reviews) and says how far it is. */
	if (!db->created && p != NULL) {
		if (progress_begin(p, "Upgrading the progress file",
		    "versions", (uint64_t)(DB_SCHEMA_VERSION - from)) < 0)
			goto stopped;
		/* Every 100,000 VM steps: about a millisecond. */
		sqlite3_progress_handler(db->sql, 100000, on_vm_progress, p);
	}
	for (int v = from; v < DB_SCHEMA_VERSION; v++) {
		if (db_exec(db, db_migrations[v], e) < 0)
			goto fail;
		if (progress_step(p, (uint64_t)(v + 1 - from)) < 0)
			goto stopped;
	}
	sqlite3_progress_handler(db->sql, 0, NULL, NULL);
	if (pragma_int(db, "SELECT count(*) FROM pragma_foreign_key_check",
	    &broken, e) < 0)
		goto fail;
	if (broken > 0) {
		err_set(e, db->path, 0, 0, "the upgrade would leave %lld rows "
		    "pointing at nothing; left unchanged", broken);
		goto fail;
	}
	/* The file's id (backups carry it; restore checks it) comes with its
	 * schema or its upgrade; a file already current gets it at its next
	 * backup. */
	if (db_backup_ensure_id(db, e) < 0)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; "
	    "PRAGMA user_version = %d;", DB_APPLICATION_ID, DB_SCHEMA_VERSION);
	if (db_exec(db, sql, e) < 0)
		goto fail;
	if (db_commit(db, e) < 0)
		goto keys_on;
	return db_exec(db, "PRAGMA foreign_keys = ON", e);
stopped:
	progress_stopped(e);
fail:
	sqlite3_progress_handler(db->sql, 0, NULL, NULL);
	/* An interrupted statement failed because the report said stop. */
	if (progress_stopping(p))
		progress_stopped(e);
	db_rollback(db);
keys_on:
	db_exec(db, "PRAGMA foreign_keys = ON", NULL);
	return -1;
}

/*
 * lemma has one thread: SQLite's mutexes around every call, allocation and
 * page-cache step, and its count of the memory in use, are pure cost
 * (4% of the instructions of a large import). sqlite3_config only works
 * before SQLite starts; when something opened a database first, the
 * defaults stay, which are as correct.
 */
static void
sqlite_setup(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

struct db *
db_open(const char *path, int flags, struct err *e)
{
	return db_open_progress(path, flags, NULL, e);
}

struct db *
db_open_progress(const char *path, int flags, struct progress *p,
    struct err *e)
{
	struct db *db;
	int exists, empty, version, oflags;

	if (precheck_file(path, &exists, &empty, e) < 0)
		return NULL;
	if (!exists) {
		if (!(flags & DB_CREATE) || (flags & DB_READONLY)) {
			err_set(e, path, 0, 0, "no such progress file (lemma "
			    "import, or lemma with no command, makes one)");
			return NULL;
		}
		if (create_file(path, e) < 0)
			return NULL;
	}
	db = xcalloc(1, sizeof *db);
	db->lock_fd = -1;
	/* SQLITE_OPEN_NOFOLLOW refuses a path with any symbolic link in it,
	 * so that a link swapped in later is never followed. Links that
	 * precheck_file() let through lead to the user's own file: open it by
	 * its real name. */
	db->path = has_symlink(path) ? realpath(path, NULL) : NULL;
	if (db->path == NULL)
		db->path = xstrdup(path);
	db->readonly = (flags & DB_READONLY) != 0;
	oflags = db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	sqlite_setup();
	if (sqlite3_open_v2(db->path, &db->sql, oflags | SQLITE_OPEN_NOFOLLOW,
	    NULL) != SQLITE_OK) {
		db_sql_err(db, e, "cannot open the progress file");
		goto fail;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, 5000);

	if ((version = identify(db, e)) < 0)
		goto fail;
	/* synchronous=FULL: with WAL, NORMAL may lose the last commits on a
	 * power cut, and "a grade is never lost" includes that. */
	/* A 16 MB page cache: building today's queue on a 100,000-card file
	 * re-read pages from the OS with the 2 MB default (12 ms -> 7 ms). */
	if (db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384",
	    e) < 0)
		goto fail;
	/*
	 * A new file keeps SQLite's rollback journal until its first import
	 * is in (db_settle): pages added past the end of a file are never
	 * journaled, so the import writes its pages once, where WAL writes
	 * them to the log and then again into the file (measured on the
	 * 100,000-note import: the commit took 280 ms in WAL, 130 ms so).
	 * Both journals survive a crash; WAL is for the long life after
	 * (readers beside a writer, one sync per grade).
	 */
	if (!db->readonly && db->created)
		db->wal_pending = 1;
	else if (!db->readonly && db_exec(db, "PRAGMA journal_mode = WAL",
	    e) < 0)
		goto fail;
	if (!db->readonly && db_exec(db, "PRAGMA synchronous = FULL", e) < 0)
		goto fail;
	if (migrate(db, version, p, e) < 0)
		goto fail;
	db_files_watch(db);
	return db;
fail:
	db_close(db);
	return NULL;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->sql != NULL) {
		db_files_check_moved(db, NULL);
		/* Let SQLite gather statistics for the planner where the
		 * session's queries showed a need: the deck counts on a large
		 * collection ran 3 times faster once analysed. Cheap when
		 * nothing is needed; only after this connection wrote, so a
		 * failed import leaves the file byte for byte as it was.
		 * analysis_limit samples each index instead of reading all of
		 * it: the planner needs proportions, and a full ANALYZE after a
		 * 100,000-note import cost 8% of the import. */
		if (db->wrote && !db->readonly && !db->gone)
			sqlite3_exec(db->sql, "PRAGMA analysis_limit = 1000; "
			    "PRAGMA optimize", NULL, NULL, NULL);
		db_settle(db);
		sqlite3_close_v2(db->sql);
	}
	/* Closing the lock file releases the lock; the file stays, so that
	 * no one ever locks a name another has just unlinked. */
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	free(db->path);
	free(db);
}

/* The pid in a lock file, or 0 when it holds none. */
static long
lock_file_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

int
db_lock_instance(struct db *db, struct err *e)
{
	struct flock fl;
	struct stat st;
	char lock_path[4200], pid[32];
	int fd, n;

	if (db->lock_fd >= 0)
		return 0;
	snprintf(lock_path, sizeof lock_path, "%s.lock", db->path);
	fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, lock_path, 0, 0, "cannot make the lock file "
		    "that keeps a second lemma off this progress file: %s",
		    strerror(errno));
	/* Another user's lock file could only hold us off; still, say so
	 * rather than lock what is not ours. */
	if (fstat(fd, &st) < 0) {
		err_set(e, lock_path, 0, 0, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || check_private(lock_path, &st, e) < 0) {
		if (!S_ISREG(st.st_mode))
			err_set(e, lock_path, 0, 0, "not a regular file");
		close(fd);
		return -1;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		long holder = 0;

		if (errno != EAGAIN && errno != EACCES) {
			err_set(e, lock_path, 0, 0, "cannot lock: %s",
			    strerror(errno));
			close(fd);
			return -1;
		}
		/* F_GETLK says who, unless it is in another pid namespace
		 * (then 0): the pid written in the file says it too. */
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
			holder = fl.l_pid;
		if (holder <= 0)
			holder = lock_file_pid(fd);
		close(fd);
		return err_set(e, db->path, 0, 0, "already open in another "
		    "lemma (pid %ld); quit that one first (commands such as "
		    "lemma import work beside it)", holder);
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* The pid is for people to read; the lock is what counts. */
	}
	db->lock_fd = fd;
	return 0;
}

void
db_settle(struct db *db)
{
	if (!db->wal_pending || db->tx_depth > 0 || db->gone)
		return;
	/* On failure the file simply stays in rollback mode until the next
	 * open sets WAL: both are safe. */
	if (sqlite3_exec(db->sql, "PRAGMA journal_mode = WAL", NULL, NULL,
	    NULL) == SQLITE_OK) {
		db->wal_pending = 0;
		db_files_watch(db);	/* the log and index files are new */
	}
}

int
db_was_created(const struct db *db)
{
	return db->created;
}

static void
report_add(char *report, size_t len, const char *line)
{
	size_t used = strlen(report);

	if (used + 1 < len)
		snprintf(report + used, len - used, "%s\n", line);
}

int
db_check(struct db *db, char *report, size_t len, struct err *e)
{
	static const struct {
		const char *sql;
		const char *what;
	} invariants[] = {
		{ "SELECT count(*) FROM cards WHERE note_id NOT IN (SELECT id FROM notes)",
		  "cards without a note" },
		{ "SELECT count(*) FROM cards WHERE deck_id NOT IN (SELECT id FROM decks)",
		  "cards in a deck that does not exist" },
		{ "SELECT count(*) FROM notes n WHERE NOT EXISTS "
		  "(SELECT 1 FROM cards c WHERE c.note_id = n.id)",
		  "notes without any card" },
		{ "SELECT count(*) FROM cards WHERE state IN (1, 2, 3) AND "
		  "(stability <= 0 OR difficulty < 1 OR difficulty > 10)",
		  "studied cards with an impossible memory state" },
		{ "SELECT count(*) FROM cards WHERE state = 0 AND reps > 0 AND "
		  "stability > 0", "new cards that carry a memory state" },
		{ "SELECT count(*) FROM revlog WHERE rating > 0 AND "
		  "(stability <= 0 OR difficulty < 1 OR difficulty > 10)",
		  "review-log rows with an impossible memory state" },
		/* History that no card carries: lemma deletes a card's log
		 * with it (and puts it back on undo), so none should exist. */
		{ "SELECT count(*) FROM revlog r WHERE NOT EXISTS "
		  "(SELECT 1 FROM cards c WHERE c.id = r.card_id)",
		  "review-log rows whose card is missing" },
		/*
		 * lemma writes a review-log row for every change of a card's
		 * schedule (a grade; a reset, kind 4), holding the state and
		 * due it left, and undo takes the last one away with the
		 * change. So a card's state and due are its last row's, and a
		 * card that has left New has a row. Anki would not insist on
		 * the second (it can reschedule without a review), but lemma
		 * cannot; two lemmas undoing on one file left exactly these
		 * (a Review card with no row, a new card with a grade's row).
		 */
		{ "SELECT count(*) FROM cards c WHERE CASE WHEN EXISTS (SELECT 1 "
		  "FROM revlog r WHERE r.card_id = c.id) THEN (SELECT r.state != "
		  "c.state OR r.due != c.due FROM revlog r WHERE r.card_id = c.id "
		  "ORDER BY r.id DESC LIMIT 1) ELSE c.state != 0 OR c.reps != 0 END",
		  "cards out of step with their review log (not as their last "
		  "review left them, or studied with no review)" },
	};
	sqlite3_stmt *st;
	char line[600];
	int problems = 0, rc;

	report[0] = '\0';
	if ((st = db_prepare(db, "PRAGMA integrity_check", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(st, 0);
		if (msg != NULL && strcmp(msg, "ok") != 0) {
			snprintf(line, sizeof line, "integrity: %s", msg);
			report_add(report, len, line);
			problems++;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "integrity check failed");
	if ((st = db_prepare(db, "PRAGMA foreign_key_check", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(line, sizeof line, "foreign key: row %lld of %s points "
		    "to a missing row of %s", sqlite3_column_int64(st, 1),
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 2));
		report_add(report, len, line);
		problems++;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < sizeof invariants / sizeof invariants[0]; i++) {
		long long n;
		if (pragma_int(db, invariants[i].sql, &n, e) < 0)
			return -1;
		if (n > 0) {
			snprintf(line, sizeof line, "%lld %s", n, invariants[i].what);
			report_add(report, len, line);
			problems++;
		}
	}
	return problems > 0;
}

int
db_deck_list(struct db *db, struct deck **out, size_t *n, struct err *e)
{
	sqlite3_stmt *st;
	struct deck *decks = NULL;
	size_t count = 0, cap = 0;
	int rc;

	if ((st = db_prepare(db, "SELECT id, name, config_id, collapsed FROM decks "
	    "ORDER BY name", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(decks, cap, count + 1, 16);
		decks[count].id = sqlite3_column_int64(st, 0);
		decks[count].name = db_column_strdup(st, 1);
		decks[count].config_id = sqlite3_column_int64(st, 2);
		decks[count].collapsed = sqlite3_column_int(st, 3);
		count++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_decks_free(decks, count);
		return db_sql_err(db, e, "cannot read decks");
	}
	*out = decks;
	*n = count;
	return 0;
}

void
db_decks_free(struct deck *decks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(decks[i].name);
	free(decks);
}

int
db_deck_set_collapsed(struct db *db, int64_t id, int collapsed, struct err *e)
{
	sqlite3_stmt *st;

	if ((st = db_prepare(db, "UPDATE decks SET collapsed = ? WHERE id = ?", e))
	    == NULL)
		return -1;
	sqlite3_bind_int(st, 1, collapsed);
	sqlite3_bind_int64(st, 2, id);
	return db_step_done(db, st, e);
}

int
db_totals(struct db *db, struct db_totals *t, struct err *e)
{
	long long v;

	if (pragma_int(db, "SELECT count(*) FROM notes", &v, e) < 0)
		return -1;
	t->notes = v;
	if (pragma_int(db, "SELECT count(*) FROM cards", &v, e) < 0)
		return -1;
	t->cards = v;
	if (pragma_int(db, "SELECT count(*) FROM revlog", &v, e) < 0)
		return -1;
	t->reviews = v;
	if (pragma_int(db, "SELECT count(*) FROM decks", &v, e) < 0)
		return -1;
	t->decks = v;
	return 0;
}

int
db_reviews_since(struct db *db, time_t since, struct db_review_summary *out,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, "SELECT count(*), coalesce(sum(rating = 1), 0), "
	    "coalesce(sum(answer_ms), 0), count(DISTINCT card_id) FROM revlog "
	    "WHERE id >= ? AND rating > 0", e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)since * 1000);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->count = sqlite3_column_int64(st, 0);
		out->again = sqlite3_column_int64(st, 1);
		out->time_ms = sqlite3_column_int64(st, 2);
		out->cards = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_sql_err(db, e, "cannot read the review log");
}
