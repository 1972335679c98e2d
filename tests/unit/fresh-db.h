/*
 * fresh-db.h - a new progress file for a test, made fast.
 *
 * db_open(DB_CREATE) runs every migration, and the table rebuilds among
 * them make SQLite parse the whole schema again and again: about 190
 * million instructions a file, 3 s under valgrind, where a test program
 * makes dozens of files. fresh_db_open makes the first file of a run that
 * way (so creation is still what the run exercises) and every later one
 * as a byte copy of it, then opens it as the program opens a file.
 *
 * A path that exists is opened as db_open(DB_CREATE) would. Copies share
 * the first file's id (settings.file_id): not for tests of backups or of
 * creation itself.
 */
#ifndef LEMMA_TEST_FRESH_DB_H
#define LEMMA_TEST_FRESH_DB_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/paths.h"
#include "lemma/store/db.h"

static char fresh_db_template[4096];

static void
fresh_db_cleanup(void)
{
	if (fresh_db_template[0] != '\0')
		unlink(fresh_db_template);
}

/* Copy from to a new file to (mode 0600, as lemma makes them): 0 or -1. */
static int
fresh_db_copy(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in, out, rc = 0;

	if ((in = open(from, O_RDONLY)) < 0)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out) != 0)
		rc = -1;
	return rc;
}

static struct db *
fresh_db_open(const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return db_open(path, DB_CREATE, e);
	if (fresh_db_template[0] == '\0') {
		struct db *db;

		snprintf(fresh_db_template, sizeof fresh_db_template,
		    "%s/lemma-fresh-%ld.db", paths_tmpdir(), (long)getpid());
		unlink(fresh_db_template);
		if ((db = db_open(fresh_db_template, DB_CREATE, e)) == NULL) {
			fresh_db_template[0] = '\0';
			return NULL;
		}
		db_close(db);
		atexit(fresh_db_cleanup);
	}
	if (fresh_db_copy(fresh_db_template, path) < 0)
		return db_open(path, DB_CREATE, e);
	return db_open(path, 0, e);
}

#endif
