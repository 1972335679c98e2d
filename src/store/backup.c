/*
 * backup.c - naming, listing, pruning and restoring backups of the
 * progress file. The copying itself is db-backup.c's (SQLite's online
 * backup API). See backup.h.
 */
#include "config.h"

#include "lemma/store/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db-backup.h"
#include "lemma/base/day.h"
#include "lemma/base/progress.h"
#include "lemma/base/xmalloc.h"

/*
 * A backup of math.db is math-YYYYMMDD-HHMMSS.db: named after its progress
 * file, so that two progress files in one folder each have their own set
 * (listed, pruned and restored apart). The base is the file's name without
 * ".db"; collection.db's backups are thus named as all backups were before
 * (collection-*.db), and stay listed and restorable.
 */
#define NAME_MAX_BASE	200		/* a base longer is cut: names fit NAME_MAX */
/* A temporary file older than this was left by a killed lemma. */
#define TMP_STALE_SECS	3600

/* The base of db_path's backup names: its last component less ".db". */
static void
base_of(const char *db_path, char *buf, size_t len)
{
	const char *slash = strrchr(db_path, '/');
	const char *name = slash != NULL ? slash + 1 : db_path;
	size_t n = strlen(name);

	if (n > 3 && strcmp(name + n - 3, ".db") == 0)
		n -= 3;
	if (n > NAME_MAX_BASE)
		n = NAME_MAX_BASE;
	snprintf(buf, len, "%.*s", (int)n, name);
}

int
backup_dir(const char *db_path, char *buf, size_t len, struct err *e)
{
	const char *slash = strrchr(db_path, '/');
	int n;

	if (slash == NULL)
		n = snprintf(buf, len, "backups");
	else if (slash == db_path)
		n = snprintf(buf, len, "/backups");
	else
		n = snprintf(buf, len, "%.*s/backups", (int)(slash - db_path),
		    db_path);
	if (n < 0 || (size_t)n >= len)
		return err_set(e, db_path, 0, 0, "path too long");
	return 0;
}

/* The directory of the backups: ours, private, and not a symbolic link
 * that could send copies of someone's history elsewhere. */
static int
ensure_dir(const char *dir, struct err *e)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return err_set(e, dir, 0, 0, "cannot create the backups "
		    "directory: %s", strerror(errno));
	if (lstat(dir, &st) < 0)
		return err_set(e, dir, 0, 0, "cannot read the backups directory: "
		    "%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(e, dir, 0, 0, "not a directory; backups are not "
		    "written through a symbolic link or into a file");
	if (st.st_uid != geteuid())
		return err_set(e, dir, 0, 0, "the backups directory belongs to "
		    "another user");
	return 0;
}

static void
sync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void
name_for(const char *base, time_t t, char *buf, size_t len)
{
	char stamp[32];

	day_stamp(t, stamp, sizeof stamp);
	snprintf(buf, len, "%s-%s.db", base, stamp);
}

/* Parse a backup's name, base-YYYYMMDD-HHMMSS.db; 0 and *when on success.
 * The exact length keeps math-x.db's backups out of math.db's list. */
static int
parse_name(const char *name, const char *base, time_t *when)
{
	size_t blen = strlen(base);
	const char *p = name + blen + 1;

	if (strlen(name) != blen + 1 + DAY_STAMP_LEN + 3 ||
	    strncmp(name, base, blen) != 0 || name[blen] != '-' ||
	    strcmp(p + DAY_STAMP_LEN, ".db") != 0)
		return -1;
	return day_stamp_parse(p, when);
}

/* Temporary copies are named .base-XXXXXX, so a listing never shows them
 * and each file's pruning clears its own. */
static char *
tmp_prefix(const char *db_path)
{
	char base[NAME_MAX_BASE + 1];

	base_of(db_path, base, sizeof base);
	return xasprintf(".%s-", base);
}

static int
newest_first(const void *a, const void *b)
{
	return strcmp(((const struct backup *)b)->name,
	    ((const struct backup *)a)->name);
}

int
backup_list(const char *db_path, struct backup **out, size_t *n,
    struct err *e)
{
	char dir[4096];
	char base[NAME_MAX_BASE + 1];
	struct backup *list = NULL;
	struct dirent *de;
	size_t count = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (backup_dir(db_path, dir, sizeof dir, e) < 0)
		return -1;
	base_of(db_path, base, sizeof base);
	if ((d = opendir(dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, dir, 0, 0, "cannot read the backups directory: "
		    "%s", strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		time_t when;
		char *path;

		if (parse_name(de->d_name, base, &when) < 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count].path = path;
		list[count].name = xstrdup(de->d_name);
		list[count].when = when;
		list[count].size = (long long)st.st_size;
		count++;
	}
	closedir(d);
	if (count > 1)
		qsort(list, count, sizeof *list, newest_first);
	*out = list;
	*n = count;
	return 0;
}

void
backup_list_free(struct backup *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].path);
		free(b[i].name);
	}
	free(b);
}

/*
 * Only this file's published backups are pruned, and only past the newest
 * keep (at least 1). A copy is published only after it passed quick_check
 * (backup_make), so the newest backup that passed is never deleted: a file
 * damaged for weeks keeps the copies from before the damage, since no new
 * copy is published to push them out.
 */
int
backup_prune(const char *db_path, size_t keep, time_t now, struct err *e)
{
	struct backup *list;
	struct dirent *de;
	char dir[4096], *prefix;
	size_t n;
	int rc = 0;
	DIR *d;

	if (keep < 1)
		keep = 1;
	if (backup_list(db_path, &list, &n, e) < 0)
		return -1;
	for (size_t i = keep; i < n; i++) {
		if (unlink(list[i].path) < 0 && errno != ENOENT && rc == 0)
			rc = err_set(e, list[i].path, 0, 0, "cannot delete an old "
			    "backup: %s", strerror(errno));
	}
	backup_list_free(list, n);
	/* Temporary copies of a lemma killed mid-backup. A young one may be
	 * another lemma's copy in progress, so only old ones go. */
	if (backup_dir(db_path, dir, sizeof dir, NULL) < 0 ||
	    (d = opendir(dir)) == NULL)
		return rc;
	prefix = tmp_prefix(db_path);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_mtime + TMP_STALE_SECS < now)
			unlink(path);
		free(path);
	}
	closedir(d);
	free(prefix);
	return rc;
}

/*
 * Give the finished copy tmp a real name: the first free one from t on.
 * link() never replaces a file, so two lemmas backing up in the same
 * second both keep their copy.
 */
static int
publish(const char *dir, const char *base, const char *tmp, time_t t,
    char *out, size_t len, struct err *e)
{
	char name[NAME_MAX_BASE + 64], *path;

	for (int tries = 0; tries < 1000; tries++, t++) {
		name_for(base, t, name, sizeof name);
		path = xasprintf("%s/%s", dir, name);
		if (link(tmp, path) == 0) {
			unlink(tmp);
		} else if (errno == EEXIST) {
			free(path);
			continue;
		} else if (access(path, F_OK) == 0 || rename(tmp, path) < 0) {
			/* No hard links here (some network file systems):
			 * rename, having checked the name is free. */
			err_set(e, path, 0, 0, "cannot name the backup: %s",
			    strerror(errno));
			free(path);
			return -1;
		}
		sync_path(dir, O_RDONLY | O_DIRECTORY);
		if (out != NULL)
			snprintf(out, len, "%s", path);
		free(path);
		return 0;
	}
	return err_set(e, dir, 0, 0, "cannot name the backup: every name is "
	    "taken");
}

/*
 * The copy is written under a temporary name and checked with quick_check
 * before it gets a real one: a progress file damaged without anyone
 * noticing (a bad disk block, a stray write) would otherwise be copied
 * day after day until pruning had deleted every good backup. The damaged
 * copy is deleted; the older backups stay as they are.
 */
static int
make_copy(struct db *db, time_t now, int prune, int with_id, char *out,
    size_t len, struct progress *p, struct err *e)
{
	char dir[4096], base[NAME_MAX_BASE + 1], *prefix, *tmp;
	int fd, rc;

	if (backup_dir(db_path(db), dir, sizeof dir, e) < 0 ||
	    ensure_dir(dir, e) < 0)
		return -1;
	/* The id goes into the file first, so the copy carries it. Without
	 * one (read-only, or the write failed) the backup is still a backup;
	 * restore then goes by its name. */
	if (with_id)
		db_backup_ensure_id(db, NULL);
	base_of(db_path(db), base, sizeof base);
	prefix = tmp_prefix(db_path(db));
	tmp = xasprintf("%s/%sXXXXXX", dir, prefix);
	free(prefix);
	/* mkstemp makes the file 0600: the copy is as private as the
	 * original from its first byte. */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		err_set(e, dir, 0, 0, "cannot create a backup: %s",
		    strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (db_backup_to_file(db, tmp, p, e) < 0)
		goto fail;
	if ((rc = db_backup_quick_check(tmp, p, e)) != 0) {
		char what[sizeof e->msg];

		snprintf(what, sizeof what, "%s", e != NULL ? e->msg : "");
		if (rc == BACKUP_DAMAGED)
			err_set(e, db_path(db), 0, 0, "the progress file is "
			    "damaged (SQLite's quick_check: %.160s); no backup "
			    "made, the older ones are kept", what);
		unlink(tmp);
		free(tmp);
		return rc == BACKUP_DAMAGED ? BACKUP_DAMAGED : -1;
	}
	sync_path(tmp, O_RDONLY);
	if (publish(dir, base, tmp, now, out, len, e) < 0)
		goto fail;
	free(tmp);
	if (prune)
		backup_prune(db_path(db), BACKUP_KEEP, now, NULL);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return -1;
}

int
backup_make(struct db *db, time_t now, int prune, char *out, size_t len,
    struct err *e)
{
	return make_copy(db, now, prune, 1, out, len, NULL, e);
}

int
backup_make_progress(struct db *db, time_t now, int prune, char *out,
    size_t len, struct progress *p, struct err *e)
{
	return make_copy(db, now, prune, 1, out, len, p, e);
}

int
backup_daily(struct db *db, time_t now, struct err *e)
{
	char today[NAME_MAX_BASE + 64], base[NAME_MAX_BASE + 1];
	struct backup *list;
	size_t n, day_len;
	int found = 0, rc;

	if (backup_list(db_path(db), &list, &n, e) < 0)
		return -1;
	base_of(db_path(db), base, sizeof base);
	name_for(base, now, today, sizeof today);
	/* Same date: "base-YYYYMMDD". */
	day_len = strlen(base) + 1 + 8;
	for (size_t i = 0; i < n && !found; i++)
		found = strncmp(list[i].name, today, day_len) == 0;
	backup_list_free(list, n);
	if (found)
		return 0;
	if ((rc = backup_make(db, now, 1, NULL, 0, e)) < 0)
		return rc;
	return 1;
}

int
backup_before_migration(struct db *db, struct progress *p, struct err *e)
{
	const char *path = db_path(db);
	struct stat st;
	char *wal;
	time_t t = 0;

	if (stat(path, &st) == 0)
		t = st.st_mtime;
	wal = xasprintf("%s-wal", path);
	if (stat(wal, &st) == 0 && st.st_mtime > t)
		t = st.st_mtime;
	free(wal);
	/* No id written here: the file is still at its old schema. */
	if (make_copy(db, t, 1, 0, NULL, 0, p, e) < 0) {
		char why[sizeof e->msg];

		if (progress_stopping(p))
			return progress_stopped(e);
		snprintf(why, sizeof why, "%s", e != NULL ? e->msg : "");
		return err_set(e, path, 0, 0, "not upgrading the progress file "
		    "without a backup: %s", why);
	}
	return 0;
}

/*
 * Each progress file carries a random id (db-backup.c), and a backup, being
 * a copy, carries the id of the file it was taken from: equal ids say "a
 * backup of this file" whatever the backup is called or wherever it lies.
 * When either id is missing (the progress file is gone or too damaged to
 * read, which is when restore matters most; or the backup was made by a
 * lemma older than ids) the name decides: one of this file's backup names
 * is taken as its own, anything else is refused and --force decides.
 */
int
backup_belongs(struct db *db, const char *db_path, const char *path,
    struct err *e)
{
	char file_id[DB_BACKUP_ID_LEN + 1], copy_id[DB_BACKUP_ID_LEN + 1];
	char base[NAME_MAX_BASE + 1];
	const char *slash = strrchr(path, '/');
	int have_file, have_copy;
	time_t when;

	have_copy = db_backup_file_id(path, copy_id, sizeof copy_id) == 0;
	have_file = (db != NULL ? db_backup_id(db, file_id, sizeof file_id) :
	    db_backup_file_id(db_path, file_id, sizeof file_id)) == 0;
	if (have_file && have_copy) {
		if (strcmp(file_id, copy_id) == 0)
			return 0;
		return err_set(e, path, 0, 0, "a backup of another progress file, "
		    "not of %s (the ids inside them differ)", db_path);
	}
	base_of(db_path, base, sizeof base);
	if (parse_name(slash != NULL ? slash + 1 : path, base, &when) == 0)
		return 0;
	return err_set(e, path, 0, 0, "cannot tell whether this is a backup of "
	    "%s: %s no id, and the name is not one of its backups'", db_path,
	    !have_copy ? "it carries" : "the progress file has");
}

int
backup_verify(const char *path, struct err *e)
{
	return db_backup_verify(path, NULL, e);
}

int
backup_verify_progress(const char *path, struct progress *p, struct err *e)
{
	return db_backup_verify(path, p, e);
}

int
backup_restore(struct db *db, const char *path, struct err *e)
{
	return db_backup_restore(db, path, NULL, e);
}

int
backup_restore_progress(struct db *db, const char *path, struct progress *p,
    struct err *e)
{
	return db_backup_restore(db, path, p, e);
}

int
backup_restore_file(const char *db_path, const char *path, time_t now,
    char *aside, size_t len, struct err *e)
{
	static const char *const suffixes[] = { "-wal", "-shm", "" };
	char stamp[64], dir[4096], *tmp;
	int fd;

	if (backup_dir(db_path, dir, sizeof dir, e) < 0)
		return -1;
	/* The copy goes beside the progress file, so the final rename stays
	 * on one file system. */
	dir[strlen(dir) - strlen("backups")] = '\0';
	tmp = xasprintf("%s.lemma-restore-XXXXXX", dir[0] != '\0' ? dir :
	    "./");
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		err_set(e, db_path, 0, 0, "cannot restore: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (db_backup_file_to_file(path, tmp, e) < 0) {
		unlink(tmp);
		free(tmp);
		return -1;
	}
	sync_path(tmp, O_RDONLY);
	day_stamp(now, stamp, sizeof stamp);
	/* The damaged file's log and index go with it: a stale -wal beside
	 * the restored file would be replayed into it. The main file moves
	 * last, so a crash in between leaves it where it was. */
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char *from = xasprintf("%s%s", db_path, suffixes[i]);
		char *to = xasprintf("%s.broken-%s%s", db_path, stamp,
		    suffixes[i]);
		int rc = rename(from, to);

		if (rc < 0 && errno != ENOENT) {
			err_set(e, from, 0, 0, "cannot move the damaged file "
			    "aside: %s", strerror(errno));
			free(from);
			free(to);
			unlink(tmp);
			free(tmp);
			return -1;
		}
		if (suffixes[i][0] == '\0' && aside != NULL)
			snprintf(aside, len, "%s", rc == 0 ? to : "");
		free(from);
		free(to);
	}
	if (rename(tmp, db_path) < 0) {
		err_set(e, db_path, 0, 0, "cannot put the backup in place: %s "
		    "(it is at %s)", strerror(errno), tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	sync_path(dir[0] != '\0' ? dir : ".", O_RDONLY | O_DIRECTORY);
	return 0;
}
