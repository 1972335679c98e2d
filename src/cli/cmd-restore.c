/*
 * cmd-restore.c - `lemma restore`: list the backups of the progress file,
 * or put one back. The work is backup.c's; this parses and prints.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lemma/app/app.h"
#include "cmd.h"
#include "lemma/base/err.h"
#include "lemma/store/backup.h"
#include "lemma/store/db.h"
#include "progress-line.h"



static const char restore_help[] =
"usage: lemma restore [--force] [N|FILE]\n"
"\n"
"lemma keeps a copy of the progress file once a day and before each\n"
"upgrade of its format, the newest 7, in the backups directory beside it,\n"
"named after it (math.db's are math-DATE.db). A copy is kept only if\n"
"SQLite's quick_check passes on it, so a damaged file never replaces the\n"
"good copies.\n"
"\n"
"With no argument, list them, newest first: number, date, size, name.\n"
"With N (a number from the list) or FILE (a backup's name or any path to a\n"
"lemma progress file), check it, make a backup of the current file, and\n"
"replace the progress file's content with it. A progress file that lemma\n"
"cannot open, or that is damaged, is moved aside (to NAME.broken-DATE)\n"
"instead.\n"
"\n"
"A backup of another progress file is refused: every progress file has an\n"
"id that its backups carry. When the ids cannot be compared (the progress\n"
"file is missing or unreadable, or the backup is from an older lemma),\n"
"only backups named after the progress file are taken.\n"
"\n"
"  --force   restore FILE even if it is not a backup of this progress file\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 usage error.\n";

static int
fail(const struct err *e)
{
	fputs("lemma restore: ", stderr);
	err_print(e, stderr);
	return 1;
}

/* Stopped by signal sig: "Cancelled; nothing was changed.", 128 + sig. */
static int
stopped(const struct err *e, int sig)
{
	fail(e);
	return 128 + sig;
}

static void
human_size(long long bytes, char *buf, size_t len)
{
	if (bytes < 1024)
		snprintf(buf, len, "%lld B", bytes);
	else if (bytes < 1024 * 1024)
		snprintf(buf, len, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(buf, len, "%.1f MiB", (double)bytes / (1024 * 1024));
}

static int
list_backups(const char *db_path)
{
	struct backup *list;
	char dir[4096], size[32], when[32];
	struct err e;
	size_t n;

	err_clear(&e);
	if (backup_dir(db_path, dir, sizeof dir, &e) < 0 ||
	    backup_list(db_path, &list, &n, &e) < 0)
		return fail(&e);
	/* Backups of a deleted file are listed, for restoring it; with
	 * neither, the path is most likely mistyped. */
	if (n == 0 && access(db_path, F_OK) < 0 && errno == ENOENT) {
		cmd_complain("lemma restore: %s: no such progress file, and "
		    "no backups of it in %s\n", db_path, dir);
		return 1;
	}
	if (n == 0) {
		printf("No backups of %s yet (they go in %s).\n", db_path, dir);
		return 0;
	}
	printf("Backups of %s, newest first (in %s):\n", db_path, dir);
	for (size_t i = 0; i < n; i++) {
		struct tm tm;

		localtime_r(&list[i].when, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		human_size(list[i].size, size, sizeof size);
		printf("%4zu  %s  %10s  %s\n", i + 1, when, size, list[i].name);
	}
	printf("Restore one with: lemma restore N\n");
	backup_list_free(list, n);
	return 0;
}

/* N from the list, a name in the backups directory, or a path. */
static int
resolve(const char *db_path, const char *arg, char *out, size_t len)
{
	char dir[4096];
	struct backup *list;
	struct stat st;
	struct err e;
	char *end;
	size_t n;
	long k;
	int rc = -1;

	err_clear(&e);
	if (backup_list(db_path, &list, &n, &e) < 0) {
		fail(&e);
		return -1;
	}
	k = strtol(arg, &end, 10);
	if (*arg != '\0' && *end == '\0') {
		if (k >= 1 && (size_t)k <= n) {
			snprintf(out, len, "%s", list[k - 1].path);
			rc = 0;
		} else
			cmd_complain("lemma restore: no backup number %s; "
			    "`lemma restore` lists %zu\n", arg, n);
		backup_list_free(list, n);
		return rc;
	}
	for (size_t i = 0; i < n && rc < 0; i++) {
		if (strcmp(list[i].name, arg) == 0) {
			snprintf(out, len, "%s", list[i].path);
			rc = 0;
		}
	}
	backup_list_free(list, n);
	if (rc == 0)
		return 0;
	/* Another file's backup by its bare name: found, so that the refusal
	 * says whose it is rather than "no such file". */
	if (strchr(arg, '/') == NULL && backup_dir(db_path, dir, sizeof dir,
	    &e) == 0) {
		int w = snprintf(out, len, "%s/%s", dir, arg);

		if (w > 0 && (size_t)w < len && lstat(out, &st) == 0 &&
		    S_ISREG(st.st_mode))
			return 0;
	}
	if (stat(arg, &st) < 0) {
		cmd_complain("lemma restore: %s: no such backup or file\n",
		    arg);
		return -1;
	}
	snprintf(out, len, "%s", arg);
	return 0;
}

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* s as one word for the shell, into buf: as it is when it is plain, else
 * in single quotes, so that a hint can be pasted as it is printed. */
static void
shell_word(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	if (s[0] != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_./-+,:@%=") == strlen(s)) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (len < 3) {
		buf[0] = '\0';
		return;
	}
	buf[n++] = '\'';
	for (; *s != '\0' && n + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else
			buf[n++] = *s;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
}

void
cmd_restore_hint(const char *db_path, char *buf, size_t len)
{
	char word[8300];

	shell_word(db_path, word, sizeof word);
	snprintf(buf, len, "lemma --db %s restore", word);
}

/* The content of a progress file lemma cannot open, or that is damaged,
 * is moved aside whole and the backup put in its place. */
static int
restore_aside(struct app *app, const char *from, int damaged)
{
	char aside[4200];
	struct err e;

	err_clear(&e);
	if (backup_restore_file(app->db_path, from, app_now(app), aside,
	    sizeof aside, &e) < 0)
		return fail(&e);
	printf("Restored %s from %s.\n", app->db_path, from);
	if (aside[0] != '\0')
		printf("The file that %s is kept as %s.\n", damaged ?
		    "was damaged" : "could not be opened", aside);
	return 0;
}

int
cmd_restore(struct app *app, int argc, char **argv)
{
	char from[4096], saved[4096], hint[8400], word[8300];
	const char *arg = NULL;
	struct progress_line pl;
	struct db *db;
	struct err e;
	int rc, sig, force = 0;

	if (cmd_help_requested(argc, argv, restore_help))
		return 0;
	if (app == NULL)
		return 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0 && !force)
			force = 1;
		else if (argv[i][0] != '-' && arg == NULL)
			arg = argv[i];
		else {
			fputs(restore_help, stderr);
			return 2;
		}
	}
	if (arg == NULL && force) {
		fputs(restore_help, stderr);
		return 2;
	}
	if (arg == NULL)
		return list_backups(app->db_path);
	if (resolve(app->db_path, arg, from, sizeof from) < 0)
		return 1;
	if (same_file(from, app->db_path)) {
		cmd_complain("lemma restore: %s is the progress file itself\n",
		    from);
		return 1;
	}
	/* A large file's check and copies take a while: the progress line
	 * on a terminal, and Ctrl-C (SIGTERM, SIGHUP) stops them with the
	 * progress file as it was and the temporary copy removed. */
	progress_line_begin(&pl, stderr, app->quiet, app->ascii);
	err_clear(&e);
	if (backup_verify_progress(from, &pl.progress, &e) < 0) {
		if ((sig = progress_line_end(&pl)) != 0)
			return stopped(&e, sig);
		fputs("lemma restore: not restoring: ", stderr);
		err_print(&e, stderr);
		return 1;
	}
	progress_line_clear(&pl);

	/* A progress file lemma can open gets the backup copied into it
	 * (other lemmas that have it open see the change); one it refuses is
	 * moved aside whole. */
	db = app->db;
	if (db == NULL) {
		struct err open_err;


		err_clear(&open_err);
		db = db_open(app->db_path, 0, &open_err);
	}
	err_clear(&e);
	if (!force && backup_belongs(db, app->db_path, from, &e) < 0) {
		fputs("lemma restore: not restoring: ", stderr);
		err_print(&e, stderr);
		cmd_restore_hint(app->db_path, hint, sizeof hint);
		shell_word(from, word, sizeof word);
		cmd_complain("lemma restore: to restore it anyway: %s --force "
		    "%s\n", hint, word);
		if (db != app->db)
			db_close(db);
		progress_line_end(&pl);
		return 1;
	}
	if (db == NULL) {
		progress_line_end(&pl);
		return restore_aside(app, from, 0);
	}
	err_clear(&e);
	rc = backup_make_progress(db, app_now(app), 0, saved, sizeof saved,
	    &pl.progress, &e);
	if (rc == BACKUP_DAMAGED && db != app->db) {
		/* Not published as a backup (it would count among the 7); the
		 * damaged file itself is kept aside. */
		db_close(db);
		progress_line_end(&pl);
		return restore_aside(app, from, 1);
	}
	if (rc == 0)
		rc = backup_restore_progress(db, from, &pl.progress, &e);
	sig = progress_line_end(&pl);
	if (rc == 0)
		backup_prune(app->db_path, BACKUP_KEEP, app_now(app), NULL);
	if (db != app->db)
		db_close(db);
	if (rc < 0 && sig != 0)
		return stopped(&e, sig);
	if (rc < 0)
		return fail(&e);
	printf("Restored %s from %s.\n", app->db_path, from);
	printf("What it held before is kept as %s.\n", saved);
	return 0;
}
