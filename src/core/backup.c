/*
 * backup.c - naming, listing, pruning and restoring backups of the
 * progress file. The copying itself is db-backup.c's (SQLite's online
 * backup API). See backup.h.
 */
#include "config.h"

#include "lemma/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db-backup.h"
#include "lemma/xmalloc.h"

/* "collection-YYYYMMDD-HHMMSS.db" */
#define NAME_PREFIX	"collection-"
#define NAME_LEN	(sizeof NAME_PREFIX - 1 + 8 + 1 + 6 + 3)
/* Temporary copies start with this, so a listing never shows them. */
#define TMP_PREFIX	".collection-"
/* A temporary file older than this was left by a killed lemma. */
#define TMP_STALE_SECS	3600

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
name_for(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, NAME_PREFIX "%Y%m%d-%H%M%S.db", &tm);
}

/* Parse a backup's name; 0 and *when on success. */
static int
parse_name(const char *name, time_t *when)
{
	struct tm tm;
	int y, mo, d, h, mi, s;
	char tail[4];

	if (strlen(name) != NAME_LEN ||
	    strncmp(name, NAME_PREFIX, sizeof NAME_PREFIX - 1) != 0)
		return -1;
	if (strspn(name + 11, "0123456789") != 8 || name[19] != '-' ||
	    strspn(name + 20, "0123456789") != 6 || strcmp(name + 26, ".db") != 0)
		return -1;
	if (sscanf(name + 11, "%4d%2d%2d-%2d%2d%2d%3s", &y, &mo, &d, &h, &mi, &s,
	    tail) != 7)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	*when = mktime(&tm);
	return 0;
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
	struct backup *list = NULL;
	struct dirent *de;
	size_t count = 0;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (backup_dir(db_path, dir, sizeof dir, e) < 0)
		return -1;
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

		if (parse_name(de->d_name, &when) < 0)
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

int
backup_prune(const char *db_path, size_t keep, time_t now, struct err *e)
{
	struct backup *list;
	struct dirent *de;
	char dir[4096];
	size_t n;
	int rc = 0;
	DIR *d;

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
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (strncmp(de->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_mtime + TMP_STALE_SECS < now)
			unlink(path);
		free(path);
	}
	closedir(d);
	return rc;
}

/*
 * Give the finished copy tmp a real name: the first free one from t on.
 * link() never replaces a file, so two lemmas backing up in the same
 * second both keep their copy.
 */
static int
publish(const char *dir, const char *tmp, time_t t, char *out, size_t len,
    struct err *e)
{
	char name[64], *path;

	for (int tries = 0; tries < 1000; tries++, t++) {
		name_for(t, name, sizeof name);
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

int
backup_make(struct db *db, time_t now, int prune, char *out, size_t len,
    struct err *e)
{
	char dir[4096], *tmp;
	int fd;

	if (backup_dir(db_path(db), dir, sizeof dir, e) < 0 ||
	    ensure_dir(dir, e) < 0)
		return -1;
	tmp = xasprintf("%s/" TMP_PREFIX "XXXXXX", dir);
	/* mkstemp makes the file 0600: the copy is as private as the
	 * original from its first byte. */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		err_set(e, dir, 0, 0, "cannot create a backup: %s",
		    strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	if (db_backup_to_file(db, tmp, e) < 0)
		goto fail;
	sync_path(tmp, O_RDONLY);
	if (publish(dir, tmp, now, out, len, e) < 0)
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
backup_daily(struct db *db, time_t now, struct err *e)
{
	struct backup *list;
	char today[64];
	size_t n;
	int found = 0;

	if (backup_list(db_path(db), &list, &n, e) < 0)
		return -1;
	name_for(now, today, sizeof today);
	/* Same date: the first 19 bytes, "collection-YYYYMMDD". */
	for (size_t i = 0; i < n && !found; i++)
		found = strncmp(list[i].name, today, 19) == 0;
	backup_list_free(list, n);
	if (found)
		return 0;
	if (backup_make(db, now, 1, NULL, 0, e) < 0)
		return -1;
	return 1;
}

int
backup_before_migration(struct db *db, struct err *e)
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
	if (backup_make(db, t, 1, NULL, 0, e) < 0) {
		char why[sizeof e->msg];

		snprintf(why, sizeof why, "%s", e != NULL ? e->msg : "");
		return err_set(e, path, 0, 0, "not upgrading the progress file "
		    "without a backup: %s", why);
	}
	return 0;
}

int
backup_verify(const char *path, struct err *e)
{
	return db_backup_verify(path, e);
}

int
backup_restore(struct db *db, const char *path, struct err *e)
{
	return db_backup_restore(db, path, e);
}

int
backup_restore_file(const char *db_path, const char *path, time_t now,
    char *aside, size_t len, struct err *e)
{
	static const char *const suffixes[] = { "-wal", "-shm", "" };
	char stamp[64], dir[4096], *tmp;
	struct tm tm;
	int fd;

	if (backup_dir(db_path, dir, sizeof dir, e) < 0)
		return -1;
	/* The copy goes beside the progress file, so the final rename stays
	 * on one file system. */
	dir[strlen(dir) - strlen("backups")] = '\0';
	tmp = xasprintf("%s" TMP_PREFIX "restore-XXXXXX", dir[0] != '\0' ? dir :
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
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
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
