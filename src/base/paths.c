/* paths.c - where lemma keeps its files; see paths.h. */
#include "config.h"

#include "lemma/base/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LEMMA_DATADIR
#define LEMMA_DATADIR "/usr/local/share/lemma"
#endif

static int
xdg_dir(const char *var, const char *fallback, char *out, size_t len,
    struct err *e)
{
	const char *base = getenv(var), *home;

	/* The XDG spec says a relative value is invalid and must be ignored. */
	if (base != NULL && base[0] == '/') {
		snprintf(out, len, "%s/lemma", base);
		return 0;
	}
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		return err_set(e, NULL, 0, 0, "neither %s nor HOME is set; "
		    "use --db PATH", var);
	snprintf(out, len, "%s/%s/lemma", home, fallback);
	return 0;
}

int
paths_default_db(char *out, size_t len, struct err *e)
{
	const char *env = getenv("LEMMA_DB");
	char dir[4096];

	/* A path cut short would name another file, and make its folders. */
	if (env != NULL && env[0] != '\0') {
		if ((size_t)snprintf(out, len, "%s", env) >= len)
			return err_set(e, NULL, 0, 0, "LEMMA_DB: path too long "
			    "(%zu bytes; at most %zu)", strlen(env), len - 1);
		return 0;
	}
	if (xdg_dir("XDG_DATA_HOME", ".local/share", dir, sizeof dir, e) < 0)
		return -1;
	if ((size_t)snprintf(out, len, "%s/collection.db", dir) >= len)
		return err_set(e, NULL, 0, 0, "the default progress file's path "
		    "is too long; use --db PATH");
	return 0;
}

int
paths_media_dir(char *out, size_t len, struct err *e)
{
	char dir[4096];

	if (xdg_dir("XDG_DATA_HOME", ".local/share", dir, sizeof dir, e) < 0)
		return -1;
	if ((size_t)snprintf(out, len, "%s/media", dir) >= len)
		return err_set(e, NULL, 0, 0, "the media folder's path is too "
		    "long");
	return 0;
}

int
paths_config_dir(char *out, size_t len, struct err *e)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config", out, len, e);
}

int
paths_mkdir_parents(const char *path, mode_t mode, struct err *e)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof buf)
		return err_set(e, path, 0, 0, "path too long");
	memcpy(buf, path, n + 1);
	/* Cut the last component, then create each prefix in turn. */
	while (n > 0 && buf[n - 1] != '/')
		n--;
	buf[n] = '\0';
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return err_set(e, buf, 0, 0, "cannot create directory: %s",
			    strerror(errno));
		*p = '/';
	}
	return 0;
}

/*
 * Never the folder lemma was built in: an installed program must not read
 * whatever a build folder holds now, and a path compiled in would make two
 * builds in two folders differ. The build tree's own runs (make check,
 * ./build.sh run) set LEMMA_DATADIR to the source tree.
 */
const char *
paths_data_dir(void)
{
	const char *env = getenv("LEMMA_DATADIR");

	if (env != NULL && env[0] != '\0')
		return env;
	return LEMMA_DATADIR;
}

const char *
paths_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	/* A relative TMPDIR would put the files wherever lemma was started. */
	return dir != NULL && dir[0] == '/' ? dir : P_tmpdir;
}
