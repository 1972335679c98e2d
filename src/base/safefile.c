/* safefile.c - a file written whole or not at all; see safefile.h. */
#include "config.h"

#include "lemma/base/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/xmalloc.h"

/* Room for the target's name in the temporary name, within NAME_MAX. */
#define SAFEFILE_BASE_MAX	200

static void
finish(struct safefile *sf)
{
	if (sf->f != NULL)
		fclose(sf->f);
	free(sf->path);
	free(sf->tmp);
	memset(sf, 0, sizeof *sf);
}

/* The directory part of path ("." for a bare name), in a new string. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Which mode the new file gets: an existing regular file's own, else what
 * a plain fopen() would give (0666 less the umask), as before. */
static mode_t
new_mode(const struct stat *st, int exists)
{
	mode_t mask;

	if (exists && S_ISREG(st->st_mode))
		return st->st_mode & 0777;
	/* umask() is the only way to read the mask; set it straight back. */
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

int
safefile_open(struct safefile *sf, const char *path, int force,
    struct err *e)
{
	struct stat st, target;
	const char *base = strrchr(path, '/');
	char *dir;
	int fd, exists;

	memset(sf, 0, sizeof *sf);
	if (path[0] == '\0')
		return err_set(e, NULL, 0, 0, "no file name given");
	base = base != NULL ? base + 1 : path;
	if (base[0] == '\0')
		return err_set(e, path, 0, 0, "not a regular file");
	exists = lstat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return err_set(e, path, 0, 0, "%s", strerror(errno));
	if (exists && !force)
		return err_set(e, NULL, 0, 0, "%s exists; use --force to replace "
		    "it", path);
	if (exists && S_ISLNK(st.st_mode)) {
		/* The link itself is replaced, never written through: a link
		 * can point anywhere (another user's file, a device), and
		 * writing through it would change that instead. A link to
		 * something that is not a regular file (/dev/stdout) is
		 * refused, since the user surely meant the thing itself. */
		if (stat(path, &target) == 0 && !S_ISREG(target.st_mode))
			return err_set(e, path, 0, 0, "a link to something that "
			    "is not a regular file; not replaced");
	} else if (exists && !S_ISREG(st.st_mode))
		return err_set(e, path, 0, 0, "not a regular file; not "
		    "replaced");

	dir = dir_of(path);
	sf->tmp = xasprintf("%s/.%.*s-XXXXXX", dir, SAFEFILE_BASE_MAX, base);
	free(dir);
	/* mkostemp creates with O_CREAT|O_EXCL: a name that exists, a link
	 * included, is never opened. */
	if ((fd = mkostemp(sf->tmp, O_CLOEXEC | O_NOFOLLOW)) < 0) {
		int saved = errno;
		free(sf->tmp);
		sf->tmp = NULL;
		if (saved == ENOENT || saved == ENOTDIR)
			return err_set(e, path, 0, 0, "%s", strerror(saved));
		return err_set(e, path, 0, 0, "cannot create a file in its "
		    "directory: %s", strerror(saved));
	}
	if (fchmod(fd, new_mode(&st, exists)) < 0 ||
	    (sf->f = fdopen(fd, "w")) == NULL) {
		int saved = errno;
		close(fd);
		unlink(sf->tmp);
		finish(sf);
		return err_set(e, path, 0, 0, "%s", strerror(saved));
	}
	sf->path = xstrdup(path);
	sf->force = force;
	sf->existed = exists;
	return 0;
}

/* Put tmp in place of path; without force, only if path still does not
 * exist (someone may have made it since safefile_open looked). */
static int
put_in_place(const struct safefile *sf)
{
	if (sf->force)
		return rename(sf->tmp, sf->path);
#ifdef HAVE_RENAMEAT2
	if (renameat2(AT_FDCWD, sf->tmp, AT_FDCWD, sf->path,
	    RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* A file system without RENAME_NOREPLACE, or a system without
	 * renameat2 (Linux's): link() fails on an existing name just as
	 * surely. */
	if (link(sf->tmp, sf->path) < 0)
		return -1;
	unlink(sf->tmp);
	return 0;
}

int
safefile_commit(struct safefile *sf, struct err *e)
{
	int fd, rc = -1, saved;
	char *dir;

	/* A full disk shows at the flush, the sync or the close. */
	if (fflush(sf->f) != 0 || ferror(sf->f) || fsync(fileno(sf->f)) < 0) {
		saved = errno;
		goto fail;
	}
	rc = fclose(sf->f);
	sf->f = NULL;
	if (rc != 0) {
		saved = errno;
		goto fail;
	}
	if (put_in_place(sf) < 0) {
		saved = errno;
		goto fail;
	}
	/* The rename is only durable once the directory is synced. The new
	 * file is in place already, so a file system that cannot sync a
	 * directory is no reason to report a failure. */
	dir = dir_of(sf->path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
	finish(sf);
	return 0;
fail:
	unlink(sf->tmp);
	if (saved == EEXIST)
		err_set(e, NULL, 0, 0, "%s exists; use --force to replace it",
		    sf->path);
	else
		err_set(e, sf->path, 0, 0, "not written: %s; %s", strerror(saved),
		    sf->existed ? "the file is as it was" : "no file was made");
	finish(sf);
	return -1;
}

void
safefile_abort(struct safefile *sf)
{
	if (sf->tmp != NULL)
		unlink(sf->tmp);
	finish(sf);
}
