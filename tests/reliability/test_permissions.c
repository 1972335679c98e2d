/*
 * test_permissions.c - a study history is private, and lemma only writes
 * where it was asked to.
 *
 *   - A new progress file is 0600 and the directories made for it 0700,
 *     whatever the umask; its -wal and -shm are 0600 too.
 *   - A symbolic link, as the progress path or anywhere along it, is never
 *     followed into another user's file: lemma refuses, and that file (and
 *     its directory) are left exactly as they were. A link to one's own
 *     file works.
 *   - Importing a directory never reads outside it: symbolic links that
 *     lead out (to a file or a directory) are skipped and reported; links
 *     that stay inside are followed.
 *
 * Another user's file is made by chown to nobody when we are root; else
 * /etc/passwd (root's) stands in.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../test-note.h"
#include "rel-util.h"
#include "screen-util.h"

static void
dir_in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s", st_path(name));
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", buf, strerror(errno));
}

static int
mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return (int)(st.st_mode & 07777);
}

static void
test_new_file_is_private(void **state)
{
	char base[600], db[700], p[800];
	struct ru_result r;
	struct vt *vt;
	mode_t old = umask(0);	/* the most careless umask there is */

	(void)state;
	dir_in_tmp(base, sizeof base, "private");
	snprintf(db, sizeof db, "%s/a/b/collection.db", base);
	assert_int_equal(ru_lemma(&r, db, "import", LEMMA_SRCDIR "/decks", NULL),
	    0);
	umask(old);
	snprintf(p, sizeof p, "%s/a", base);
	assert_int_equal(mode_of(p), 0700);
	snprintf(p, sizeof p, "%s/a/b", base);
	assert_int_equal(mode_of(p), 0700);
	assert_int_equal(mode_of(db), 0600);

	/* While lemma has it open, its -wal and -shm exist: private too. */
	umask(0);
	vt = st_start(db, NULL, NULL, 24, 80);
	umask(old);
	st_expect(vt, "Tokens");
	snprintf(p, sizeof p, "%s-wal", db);
	assert_int_equal(mode_of(p), 0600);
	snprintf(p, sizeof p, "%s-shm", db);
	assert_int_equal(mode_of(p), 0600);
	/* This second start made the daily backup: private as well. */
	snprintf(p, sizeof p, "%s/a/b/backups", base);
	assert_int_equal(mode_of(p), 0700);
	snprintf(p, sizeof p, "%s/a/b/backups/collection-20250101-090000.db",
	    base);
	assert_int_equal(mode_of(p), 0600);
	st_quit(vt);
}

/* A lemma progress file that belongs to someone else; *before receives
 * its bytes. */
static void
foreign_file(char *path, size_t len, char **before, size_t *before_len)
{
	if (ru_is_root()) {
		static int n;
		char dir[600], name[32];
		struct ru_result r;

		/* A new one each time: lemma no longer opens the last one,
		 * which is nobody's. */
		snprintf(name, sizeof name, "theirs%d", n++);
		dir_in_tmp(dir, sizeof dir, name);
		snprintf(path, len, "%s/collection.db", dir);
		assert_int_equal(ru_lemma(&r, path, "import", LEMMA_SRCDIR
		    "/decks", NULL), 0);
		ru_chown_nobody(path);
		ru_chown_nobody(dir);
	} else
		snprintf(path, len, "/etc/passwd");
	*before = ru_read(path, before_len);
	assert_non_null(*before);
}

static void
assert_untouched(const char *path, const char *before, size_t before_len)
{
	char p[800];
	size_t len;
	char *after = ru_read(path, &len);
	struct stat st;

	assert_non_null(after);
	assert_int_equal(len, before_len);
	assert_memory_equal(after, before, len);
	free(after);
	snprintf(p, sizeof p, "%s-wal", path);
	assert_int_not_equal(stat(p, &st), 0);
	snprintf(p, sizeof p, "%s-journal", path);
	assert_int_not_equal(stat(p, &st), 0);
}

static void
test_symlink_to_other_user(void **state)
{
	char theirs[700], link[700], *before;
	struct ru_result r;
	size_t len;

	(void)state;
	foreign_file(theirs, sizeof theirs, &before, &len);
	snprintf(link, sizeof link, "%s", st_path("link.db"));
	assert_int_equal(symlink(theirs, link), 0);
	ru_lemma(&r, link, "import", "/dev/null", NULL);
	fprintf(stderr, "# lemma says: %s", r.err);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "another user"));
	ru_lemma(&r, link, "due", NULL);
	assert_int_equal(r.status, 1);
	assert_untouched(theirs, before, len);
	free(before);
}

static void
test_symlinked_dir_to_other_user(void **state)
{
	char theirs[700], dirlink[700], path[800], *before, *slash;
	struct ru_result r;
	size_t len;

	(void)state;
	if (!ru_is_root())
		not_applicable("a directory of another user's needs root");
	foreign_file(theirs, sizeof theirs, &before, &len);
	/* A link to their directory, and the progress path through it. */
	snprintf(dirlink, sizeof dirlink, "%s", st_path("dirlink"));
	slash = strrchr(theirs, '/');
	*slash = '\0';
	assert_int_equal(symlink(theirs, dirlink), 0);
	*slash = '/';
	snprintf(path, sizeof path, "%s/collection.db", dirlink);
	ru_lemma(&r, path, "due", NULL);
	fprintf(stderr, "# lemma says: %s", r.err);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "another user"));
	assert_untouched(theirs, before, len);
	free(before);
}

static void
test_symlink_to_own_file(void **state)
{
	char db[700], link[700];
	struct ru_result r;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("mine.db"));
	snprintf(link, sizeof link, "%s", st_path("mine-link.db"));
	assert_int_equal(ru_lemma(&r, db, "import", LEMMA_SRCDIR "/decks", NULL),
	    0);
	assert_int_equal(symlink(db, link), 0);
	ru_lemma(&r, link, "due", NULL);
	if (r.status != 0)
		fail_msg("a link to one's own file: %s", r.err);
	assert_non_null(strstr(r.out, "Tokens"));
	assert_int_equal(ru_lemma(&r, link, "check", NULL), 0);
}

/* ---- import stays inside the directory ----------------------------------- */

static void
test_import_stays_inside(void **state)
{
	char root[600], outside[600], p[800], q[800];
	struct ru_result r;
	char db[700];

	(void)state;
	dir_in_tmp(root, sizeof root, "decks");
	dir_in_tmp(outside, sizeof outside, "outside");
	snprintf(db, sizeof db, "%s", st_path("import.db"));
	/* Inside: one real deck and one link to it. */
	snprintf(p, sizeof p, "%s/inside.txt", root);
	ru_write(p, "inside front\tinside back\n", (size_t)-1);
	snprintf(q, sizeof q, "%s/inside-link.txt", root);
	assert_int_equal(symlink("inside.txt", q), 0);
	/* Outside: a deck file and a directory of decks, linked from in. */
	snprintf(p, sizeof p, "%s/secret.txt", outside);
	ru_write(p, "secret front\tsecret back\n", (size_t)-1);
	snprintf(q, sizeof q, "%s/secret.txt", root);
	assert_int_equal(symlink(p, q), 0);
	snprintf(p, sizeof p, "%s/sub", outside);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/sub/deep.txt", outside);
	ru_write(p, "deep front\tdeep back\n", (size_t)-1);
	snprintf(p, sizeof p, "%s/sub", outside);
	snprintf(q, sizeof q, "%s/sub", root);
	assert_int_equal(symlink(p, q), 0);
	/* A relative link climbing out with "..", and one to /etc. */
	snprintf(q, sizeof q, "%s/climb.txt", root);
	assert_int_equal(symlink("../outside/secret.txt", q), 0);
	snprintf(q, sizeof q, "%s/etc", root);
	assert_int_equal(symlink("/etc", q), 0);

	ru_lemma(&r, db, "import", root, NULL);
	fprintf(stderr, "# lemma import says:\n%s%s", r.out, r.err);
	assert_int_equal(r.status, 0);
	/* The link inside is read, and finds the note the file made (a
	 * re-import matches in the whole collection, issue 14). */
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes WHERE "
	    "sort_field LIKE 'inside%'"), 1);
	assert_non_null(strstr(r.out, "inside.txt: 0 added, 0 updated, 1 "
	    "unchanged"));
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes WHERE "
	    "sort_field LIKE 'secret%' OR sort_field LIKE 'deep%'"), 0);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 1);
	assert_non_null(strstr(r.out, "secret.txt: ignored"));
	assert_non_null(strstr(r.out, "climb.txt: ignored"));
	assert_non_null(strstr(r.out, "sub: ignored"));
}

/* ---- only one's own, private files are opened ---------------------------- */

/*
 * A progress file, or a -wal, -shm or -journal beside it, that another
 * user could have written is refused before SQLite reads it, with the
 * command that fixes it: SQLite replays a log it finds beside the file,
 * so a log planted in a shared directory became the owner's history at
 * the next checkpoint. Like git's safe.directory, owner and mode only.
 */
static void
new_private_db(char *db, size_t len, const char *name)
{
	struct ru_result r;

	snprintf(db, len, "%s", st_path(name));
	assert_int_equal(ru_lemma(&r, db, "import", LEMMA_SRCDIR "/decks", NULL),
	    0);
}

/* lemma due on db is refused, says want (and the path), and leaves db
 * and the file beside it (side, may be NULL) byte for byte. */
static void
assert_refused(const char *db, const char *side, const char *want)
{
	char *before = NULL, *side_before = NULL, *after;
	size_t len, side_len = 0, n;
	struct ru_result r;

	before = ru_read(db, &len);
	if (side != NULL)
		side_before = ru_read(side, &side_len);
	ru_lemma(&r, db, "due", NULL);
	fprintf(stderr, "# lemma says: %s", r.err);
	assert_int_equal(r.status, 1);
	if (strstr(r.err, want) == NULL || strstr(r.err, side != NULL ? side :
	    db) == NULL)
		fail_msg("expected \"%s\" about %s", want, side ? side : db);
	after = ru_read(db, &n);
	assert_int_equal(n, len);
	assert_memory_equal(after, before, len);
	free(after);
	if (side != NULL) {
		after = ru_read(side, &n);
		assert_non_null(after);
		assert_int_equal(n, side_len);
		assert_memory_equal(after, side_before, n);
		free(after);
	}
	free(before);
	free(side_before);
}

static void
test_refuse_writable_by_others(void **state)
{
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	static const int bad_modes[] = { 0666, 0620, 0602 };
	char db[700], side[800], link[700];
	struct ru_result r;

	(void)state;
	new_private_db(db, sizeof db, "shared.db");
	for (size_t i = 0; i < sizeof bad_modes / sizeof bad_modes[0]; i++) {
		assert_int_equal(chmod(db, (mode_t)bad_modes[i]), 0);
		assert_refused(db, NULL, "chmod go-w");
	}
	/* Readable by others is the user's choice; writable is not. */
	assert_int_equal(chmod(db, 0644), 0);
	assert_int_equal(ru_lemma(&r, db, "due", NULL), 0);
	assert_int_equal(chmod(db, 0600), 0);
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		snprintf(side, sizeof side, "%s%s", db, sides[i]);
		ru_write(side, "planted", (size_t)-1);
		assert_int_equal(chmod(side, 0666), 0);
		assert_refused(db, side, "chmod go-w");
		assert_int_equal(unlink(side), 0);
	}
	/* Through a link to the file: SQLite opens the real name, so the
	 * log beside the real file is the one to look at. */
	snprintf(link, sizeof link, "%s", st_path("shared-link.db"));
	assert_int_equal(symlink(db, link), 0);
	snprintf(side, sizeof side, "%s-wal", db);
	ru_write(side, "planted", (size_t)-1);
	assert_int_equal(chmod(side, 0666), 0);
	assert_refused(link, side, "chmod go-w");
	assert_int_equal(unlink(side), 0);
	assert_int_equal(ru_lemma(&r, db, "check", NULL), 0);
}

static void
test_refuse_owned_by_others(void **state)
{
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	char db[700], side[800];
	struct ru_result r;

	(void)state;
	/* Only root can give a file away; the mode test above runs the
	 * same check. */
	if (!ru_is_root())
		not_applicable("not root, cannot make another user's file");
	new_private_db(db, sizeof db, "given.db");
	ru_chown_nobody(db);
	assert_refused(db, NULL, "chown");
	assert_int_equal(lchown(db, geteuid(), getegid()), 0);
	/* The takeover: another user's log beside root's own file. */
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		snprintf(side, sizeof side, "%s%s", db, sides[i]);
		ru_write(side, "planted", (size_t)-1);
		assert_int_equal(chmod(side, 0600), 0);
		ru_chown_nobody(side);
		assert_refused(db, side, "another user");
		assert_int_equal(unlink(side), 0);
	}
	assert_int_equal(ru_lemma(&r, db, "check", NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file_is_private),
		cmocka_unit_test(test_symlink_to_other_user),
		cmocka_unit_test(test_symlinked_dir_to_other_user),
		cmocka_unit_test(test_symlink_to_own_file),
		cmocka_unit_test(test_import_stays_inside),
		cmocka_unit_test(test_refuse_writable_by_others),
		cmocka_unit_test(test_refuse_owned_by_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
