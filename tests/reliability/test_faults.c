/*
 * test_faults.c - the progress file when the world misbehaves: a full
 * disk, a read-only file or directory, the file deleted while lemma has it
 * open, another program holding the write lock, a path that does not
 * exist. Each must give a clear message, lose nothing already saved, and
 * end or carry on cleanly.
 *
 * A full disk is a small tmpfs in a private mount namespace when we may
 * mount (root), and otherwise a file size limit (RLIMIT_FSIZE): lemma
 * itself has no test hook.
 * Read-only files run lemma as nobody when we are root, since root writes
 * through any mode. An export that does not fit runs under a file size
 * limit (RLIMIT_FSIZE, open to any user), and also on a full tmpfs when we
 * may mount.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#ifdef HAVE_MOUNT_NAMESPACE
#include <sys/mount.h>
#endif
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test-note.h"
#include "rel-util.h"
#include "screen-util.h"

#define DECK	"Faults"

static int may_mount;		/* a private mount namespace of our own */
static int as_nobody;		/* root: run lemma as nobody on files it owns */
static int nobody_can_run;	/* lemma and our tmpdir are reachable by nobody */
#ifdef HAVE_MOUNT_NAMESPACE
static char mounted[8][600];
static int nmounted;
#endif

static int
setup(void **state)
{
	(void)state;
#ifdef HAVE_MOUNT_NAMESPACE
	/* Mounts made in a namespace of our own vanish with the process
	 * and are never seen by the rest of the machine. Linux only: the
	 * other systems' cases use the page cap, or do not apply. */
	if (geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		may_mount = 1;
#endif
	as_nobody = geteuid() == 0;
	if (as_nobody) {
		/* A checkout in a 0700 directory (mktemp -d) keeps nobody from
		 * the binary; those cases are then skipped, not failed. */
		const char *args[] = { "--version", NULL };
		struct ru_result r;

		ru_lemmav(&r, st_path("probe.db"), NULL, 1, args);
		nobody_can_run = r.status == 0;
		if (!nobody_can_run)
			fprintf(stderr, "# nobody cannot run %s: read-only "
			    "cases skipped\n", getenv("LEMMA_BIN"));
	}
	fprintf(stderr, "# full disk: %s\n", may_mount ? "a 2 MiB tmpfs" :
	    "a file size limit only (cannot mount here)");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
#ifdef HAVE_MOUNT_NAMESPACE
	for (int i = 0; i < nmounted; i++)
		umount2(mounted[i], MNT_DETACH);
#endif
	return 0;
}

/* A directory under the test's tmpdir (copied out of st_path's ring). */
static void
test_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s", st_path(name));
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", buf, strerror(errno));
}

static void
small_fs(char *dir, size_t len, const char *name, const char *size)
{
	char opts[64];

	test_dir(dir, len, name);
	snprintf(opts, sizeof opts, "size=%s,mode=0700", size);
#ifdef HAVE_MOUNT_NAMESPACE
	if (mount("tmpfs", dir, "tmpfs", 0, opts) < 0)
		fail_msg("mount tmpfs: %s", strerror(errno));
	snprintf(mounted[nmounted++], sizeof mounted[0], "%s", dir);
#else
	fail_msg("no tmpfs mounts on this system (%s)", opts);	/* !may_mount */
#endif
}

/* Fill the file system holding dir to the last byte; returns the path of
 * the filler so the test can free the space again. */
static void
fill_disk(const char *dir, char *filler, size_t len)
{
	static char block[65536];
	int fd;

	snprintf(filler, len, "%s/filler", dir);
	fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	for (size_t bs = sizeof block; bs >= 1; bs /= 2)
		while (write(fd, block, bs) == (ssize_t)bs)
			;
	close(fd);
}

static void
make_deck_file(const char *path, int n)
{
	ru_write_deck(path, DECK, n);
}

/* A progress file at db with n notes, studied once so that there is a
 * review to lose. */
static void
make_progress(const char *db, int n)
{
	struct ru_result r;
	char deck[700];

	snprintf(deck, sizeof deck, "%s.txt", db);
	make_deck_file(deck, n);
	if (ru_lemma(&r, db, "import", deck, NULL) != 0)
		fail_msg("import: %s", r.err);
}

static struct vt *
start_ui(const char *db, const char *const env[])
{
	struct vt *vt = st_start(db, NULL, env, 24, 80);

	assert_non_null(vt);
	st_expect(vt, DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	return vt;
}

static void
reveal(struct vt *vt)
{
	vt_send(vt, " ");
	st_expect(vt, "Easy");
}

static long long
reviews(const char *db)
{
	return ru_int(db, "SELECT count(*) FROM revlog WHERE rating > 0");
}

/* Grade Good, which must fail with a message containing why; the card
 * stays revealed so the grade can be given again. */
static void
grade_fails(struct vt *vt, const char *why)
{
	vt_send(vt, "3");
	/* A message like the last one may already be showing: let lemma
	 * take the key first. */
	vt_wait_idle(vt, 300, 3000);
	st_expect(vt, "not saved");
	{
		char row[512];
		vt_row(vt, 23, row, sizeof row);
		fprintf(stderr, "# the status line says: %s\n", row);
	}
	if (!vt_contains(vt, why)) {
		vt_dump(vt, stderr);
		fail_msg("the message does not say \"%s\"", why);
	}
	assert_true(vt_contains(vt, "Easy"));
}

static void
grade_works(struct vt *vt)
{
	vt_send(vt, "3");
	st_expect(vt, "show answer");
}

/* ---- a full disk ------------------------------------------------------ */

static void
test_full_disk_tmpfs(void **state)
{
	char dir[600], db[700], big[700], filler[700], before_db[700];
	struct ru_result r;
	struct vt *vt;
	long long n;

	(void)state;
	if (!may_mount)
		not_applicable("cannot mount a tmpfs (root only)");
	small_fs(dir, sizeof dir, "fs-full", "2m");
	snprintf(db, sizeof db, "%s/collection.db", dir);
	snprintf(before_db, sizeof before_db, "%s", st_path("full-before.db"));
	make_progress(db, 20);
	/* The deck file lives elsewhere: only the progress file is short of
	 * space. */
	snprintf(big, sizeof big, "%s", st_path("full-big.txt"));
	make_deck_file(big, 30000);

	/* An import that does not fit: a clear error, nothing half done. */
	ru_lemma(&r, db, "import", big, NULL);
	assert_int_equal(r.status, 1);
	fprintf(stderr, "# lemma import says: %s", r.err);
	if (strstr(r.err, "full") == NULL)
		fail_msg("no clear message: %s", r.err);
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 20);

	/* Studying when the disk fills up under lemma. */
	vt = start_ui(db, NULL);
	reveal(vt);
	grade_works(vt);		/* one grade saved while there is room */
	reveal(vt);
	fill_disk(dir, filler, sizeof filler);
	grade_fails(vt, "full");
	/* Still full: the same again, nothing is lost, nothing crashes. */
	grade_fails(vt, "full");
	unlink(filler);
	grade_works(vt);		/* room again: the same grade goes in */
	st_quit(vt);
	ru_check_ok(db);
	n = reviews(db);
	assert_int_equal(n, 2);

	/* Starting on a full disk: lemma may not even open the file for
	 * writing, but then it says so and exits; the file is unharmed. */
	fill_disk(dir, filler, sizeof filler);
	ru_lemma(&r, db, "import", big, NULL);
	assert_int_equal(r.status, 1);
	unlink(filler);
	ru_check_ok(db);
	assert_int_equal(reviews(db), 2);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 20);
}

/* ---- read-only ---------------------------------------------------------- */

/*
 * Root writes through any file mode, so as root the program runs as nobody
 * (setpriv for the one in a pty) on files that nobody owns.
 */
static void
owned_dir(char *dir, size_t len, const char *name)
{
	test_dir(dir, len, name);
	if (as_nobody) {
		/* nobody must be able to reach it through our tmpdir. */
		assert_int_equal(chmod(st_tmpdir(), 0711), 0);
		ru_chown_nobody(dir);
	}
}

static void
give_away(const char *path)
{
	if (as_nobody)
		ru_chown_nobody(path);
}

/* The file (and any log beside it) back from nobody: lemma opens only the
 * user's own files, so root's lemma check needs them to be root's. */
static void
take_back(const char *db)
{
	static const char *const sides[] = { "", "-wal", "-shm", "-journal" };
	char p[800];

	if (!as_nobody)
		return;
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		snprintf(p, sizeof p, "%s%s", db, sides[i]);
		if (lchown(p, geteuid(), getegid()) < 0 && errno != ENOENT)
			fail_msg("chown %s: %s", p, strerror(errno));
	}
}

static struct vt *
start_ui_as_user(const char *db)
{
	char uid[32], gid[32];
	const char *argv[] = { "setpriv", uid, gid, "--clear-groups",
	    ru_lemma_bin(), "--db", db, NULL };
	struct vt *vt;

	if (!as_nobody)
		return start_ui(db, NULL);
	snprintf(uid, sizeof uid, "--reuid=%u", (unsigned)ru_nobody_uid());
	snprintf(gid, sizeof gid, "--regid=%u", (unsigned)ru_nobody_gid());
	vt = vt_spawn(argv, NULL, 24, 80, st_path("stderr.log"));
	assert_non_null(vt);
	st_expect(vt, DECK);
	vt_send(vt, "\r");
	st_expect(vt, "show answer");
	return vt;
}

static int
lemma_as_user(struct ru_result *r, const char *db, const char *cmd,
    const char *arg)
{
	const char *args[] = { cmd, arg, NULL };

	return ru_lemmav(r, db, NULL, as_nobody, args);
}

/* Whether a case that runs lemma as nobody must be left out, because
 * nobody cannot reach the build (a checkout in a 0700 directory). */
static int
nobody_cannot_run(void)
{
	return as_nobody && !nobody_can_run;
}

static void
test_readonly_file(void **state)
{
	char dir[600], db[700], more[700];
	struct ru_result r;
	size_t len0, len1;
	char *before, *after;
	struct vt *vt;

	(void)state;
	if (nobody_cannot_run())
		not_applicable("nobody cannot run the build");
	owned_dir(dir, sizeof dir, "ro-file");
	snprintf(db, sizeof db, "%s/collection.db", dir);
	snprintf(more, sizeof more, "%s/more.txt", dir);
	make_progress(db, 10);
	ru_write(more, "#deck:" DECK "\nnew front\tnew back\n", (size_t)-1);
	give_away(db);
	give_away(more);
	assert_int_equal(chmod(db, 0400), 0);
	before = ru_read(db, &len0);

	/* Reading works; writing says why it cannot. */
	assert_int_equal(lemma_as_user(&r, db, "due", NULL), 0);
	assert_non_null(strstr(r.out, DECK));
	lemma_as_user(&r, db, "import", more);
	fprintf(stderr, "# lemma import says: %s", r.err);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "read-only"));

	vt = start_ui_as_user(db);
	reveal(vt);
	grade_fails(vt, "read-only");
	st_quit(vt);

	after = ru_read(db, &len1);
	assert_int_equal(len0, len1);
	assert_memory_equal(before, after, len0);
	free(before);
	free(after);
	assert_int_equal(chmod(db, 0600), 0);
	take_back(db);
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 10);
}

static void
test_readonly_dir(void **state)
{
	char dir[600], db[700], more[700];
	struct ru_result r;
	
	(void)state;
	if (nobody_cannot_run())
		not_applicable("nobody cannot run the build");
	owned_dir(dir, sizeof dir, "ro-dir");
	snprintf(db, sizeof db, "%s/collection.db", dir);
	snprintf(more, sizeof more, "%s.more.txt", dir);
	make_progress(db, 10);
	ru_write(more, "#deck:" DECK "\nnew front\tnew back\n", (size_t)-1);
	give_away(db);
	/* With no directory to write, SQLite cannot make its log (-wal). */
	assert_int_equal(chmod(dir, 0500), 0);

	lemma_as_user(&r, db, "import", more);
	fprintf(stderr, "# lemma import says: %s", r.err);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "read-only"));

	/* The study program cannot start either: it says so, exit 1. */
	lemma_as_user(&r, db, "due", NULL);
	fprintf(stderr, "# lemma due says: %s", r.err);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "read-only"));
	assert_int_equal(chmod(dir, 0700), 0);
	take_back(db);
	ru_check_ok(db);
	assert_int_equal(reviews(db), 0);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 10);
}

/* ---- deleted while open -------------------------------------------------- */

static void
unlink_db(const char *db)
{
	char p[800];

	assert_int_equal(unlink(db), 0);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
}

static void
test_deleted_while_open(void **state)
{
	char db[700];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("deleted.db"));
	make_progress(db, 10);
	vt = start_ui(db, NULL);
	reveal(vt);
	grade_works(vt);
	reveal(vt);
	grade_works(vt);
	reveal(vt);
	unlink_db(db);
	/* The next grade finds the file gone: it writes back everything
	 * saved so far and says that this grade was not saved. */
	grade_fails(vt, "deleted");
	grade_fails(vt, "restart lemma");
	st_quit(vt);
	ru_check_ok(db);
	assert_int_equal(reviews(db), 2);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 10);
	{
		struct stat st;
		assert_int_equal(stat(db, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
	}
	/* And studying goes on after a restart. */
	vt = start_ui(db, NULL);
	reveal(vt);
	grade_works(vt);
	st_quit(vt);
	assert_int_equal(reviews(db), 3);
}

static void
test_replaced_while_open(void **state)
{
	char db[700], other[700];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("replaced.db"));
	snprintf(other, sizeof other, "%s", st_path("replacement.db"));
	make_progress(db, 10);
	make_progress(other, 4);
	vt = start_ui(db, NULL);
	reveal(vt);
	grade_works(vt);
	reveal(vt);
	/* Another program (a sync tool, say) puts a new file in its place. */
	assert_int_equal(rename(other, db), 0);
	grade_fails(vt, "replaced");
	st_quit(vt);
	/* The new file is left as it came; lemma wrote nothing into it. */
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 4);
	assert_int_equal(reviews(db), 0);
}

/* ---- another writer holds the lock ---------------------------------------- */

static sqlite3 *
hold_write_lock(const char *db)
{
	sqlite3 *s;

	assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	return s;
}

static void
release_lock(sqlite3 *s)
{
	assert_int_equal(sqlite3_exec(s, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(s);
}

static void
test_locked(void **state)
{
	char db[700], more[700];
	struct ru_result r;
	struct vt *vt;
	sqlite3 *lock;
	long t0;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("locked.db"));
	snprintf(more, sizeof more, "%s", st_path("locked-more.txt"));
	make_progress(db, 10);
	ru_write(more, "#deck:" DECK "\nnew front\tnew back\n", (size_t)-1);
	vt = start_ui(db, NULL);
	reveal(vt);

	/* A short lock: the grade waits for it and goes in. */
	lock = hold_write_lock(db);
	vt_send(vt, "3");
	ru_usleep(800 * 1000);
	assert_false(vt_contains(vt, "show answer"));
	release_lock(lock);
	st_expect(vt, "show answer");
	reveal(vt);

	/* A lock held past the busy timeout: the grade is not lost
	 * silently; it says so, and the same key works once it is free. */
	lock = hold_write_lock(db);
	t0 = ru_ms();
	vt_send(vt, "3");
	if (vt_wait_for(vt, "not saved", 9000) != 0) {
		vt_dump(vt, stderr);
		fail_msg("no message about the lock");
	}
	fprintf(stderr, "# after %ld ms the status line says it is locked\n",
	    ru_ms() - t0);
	assert_true(ru_ms() - t0 >= 4500);
	assert_true(vt_contains(vt, "locked"));
	assert_true(vt_contains(vt, "Easy"));
	/* A command meanwhile fails clearly too. */
	ru_lemma(&r, db, "import", more, NULL);
	fprintf(stderr, "# lemma import says: %s", r.err);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "locked"));
	release_lock(lock);
	grade_works(vt);
	st_quit(vt);
	ru_check_ok(db);
	assert_int_equal(reviews(db), 2);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 10);
}

/* ---- paths that do not exist ----------------------------------------------- */

static void
test_missing_paths(void **state)
{
	char base[600], db[700], file[700];
	struct ru_result r;
	struct stat st;

	(void)state;
	test_dir(base, sizeof base, "paths");
	/* Missing directories are made, private (by import: commands that
	 * only read never make a file). */
	snprintf(db, sizeof db, "%s/a/b/collection.db", base);
	assert_int_equal(ru_lemma(&r, db, "import", LEMMA_SRCDIR "/decks",
	    NULL), 0);
	snprintf(file, sizeof file, "%s/a", base);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* A path through a file: a clear message, exit 1. */
	snprintf(file, sizeof file, "%s/plain", base);
	ru_write(file, "just a file\n", (size_t)-1);
	snprintf(db, sizeof db, "%s/plain/collection.db", base);
	assert_int_equal(ru_lemma(&r, db, "import", LEMMA_SRCDIR "/decks",
	    NULL), 1);
	fprintf(stderr, "# lemma says: %s", r.err);
	assert_non_null(strstr(r.err, "Not a directory"));
	/* A directory we may not create: likewise. */
	if ((as_nobody && nobody_can_run) || geteuid() != 0) {
		const char *args[] = { "import", LEMMA_SRCDIR "/decks", NULL };
		char locked_dir[700];

		snprintf(locked_dir, sizeof locked_dir, "%s/closed", base);
		assert_int_equal(mkdir(locked_dir, 0500), 0);
		snprintf(db, sizeof db, "%s/closed/x/collection.db", base);
		ru_lemmav(&r, db, NULL, as_nobody, args);
		fprintf(stderr, "# lemma says: %s", r.err);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.err, "ermission denied"));
	}
	/* The study program too: exit 1 before curses starts, the message
	 * on stderr. */
	snprintf(db, sizeof db, "%s/plain/collection.db", base);
	{
		struct vt *vt = st_start(db, NULL, NULL, 24, 80);
		char *log;
		int status;

		status = vt_close(vt, 3000);
		assert_true(WIFEXITED(status));
		log = ru_read(st_path("stderr.log"), NULL);
		assert_non_null(log);
		assert_non_null(strstr(log, "plain/collection.db: cannot open "
		    "the progress file: Not a directory"));
		free(log);
		assert_int_equal(WEXITSTATUS(status), 1);
	}
}

/* ---- an export that does not fit ------------------------------------------ */

/*
 * Run lemma --db db args under a file size limit of max_bytes, with
 * SIGXFSZ ignored so that the write fails with EFBIG as it would with
 * ENOSPC on a full disk (the signal would kill lemma instead). stderr is
 * kept in err. Returns the exit status.
 */
static int
lemma_size_limited(const char *db, long max_bytes, const char *const args[],
    char *err, size_t len)
{
	const char *log = st_path("limited-stderr.txt");
	const char *argv[16];
	int n = 0, status, fd;
	ssize_t got;
	pid_t pid;

	argv[n++] = ru_lemma_bin();
	argv[n++] = "--db";
	argv[n++] = db;
	for (int i = 0; args[i] != NULL && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		struct rlimit rl = { (rlim_t)max_bytes, (rlim_t)max_bytes };
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (out < 0)
			_exit(126);
		dup2(out, 2);
		signal(SIGXFSZ, SIG_IGN);
		if (max_bytes > 0 && setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	fd = open(log, O_RDONLY);
	assert_true(fd >= 0);
	got = read(fd, err, len - 1);
	err[got > 0 ? got : 0] = '\0';
	close(fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * A progress file that cannot grow, under a file size limit (open to any
 * user: the full disk where no tmpfs can be mounted). The import stops
 * with a clear message and exit 1; the file holds what it held.
 */
static void
test_full_file_size_limit(void **state)
{
	char db[700], big[700], err[4096];
	const char *args[] = { "import", big, NULL };
	struct stat sb;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("limit.db"));
	snprintf(big, sizeof big, "%s", st_path("limit-big.txt"));
	make_progress(db, 20);
	/* Today's backup now, so that the limited run writes only the
	 * import. */
	ru_check_ok(db);
	make_deck_file(big, 5000);
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(lemma_size_limited(db, (long)sb.st_size + 8192, args,
	    err, sizeof err), 1);
	fprintf(stderr, "# lemma import says: %s", err);
	if (strstr(err, "file size limit") == NULL)
		fail_msg("no clear message: %s", err);
	ru_check_ok(db);
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 20);
}

/*
 * The shipped program honours no test hook: LEMMA_TEST_MAX_PAGES, which
 * once capped the file for these tests, changes nothing.
 */
static void
test_no_test_hook(void **state)
{
	char db[700], big[700], cap[64];
	const char *env[] = { cap, NULL };
	const char *args[] = { "import", big, NULL };
	struct ru_result r;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("hook.db"));
	snprintf(big, sizeof big, "%s", st_path("hook-big.txt"));
	make_progress(db, 20);
	make_deck_file(big, 5000);
	snprintf(cap, sizeof cap, "LEMMA_TEST_MAX_PAGES=%lld",
	    ru_int(db, "PRAGMA page_count") + 2);
	ru_lemmav(&r, db, env, 0, args);
	if (r.status != 0)
		fail_msg("import with LEMMA_TEST_MAX_PAGES set: %s", r.err);
	/* Notes 1-20 of the big deck are the 20 already there. */
	assert_int_equal(ru_int(db, "SELECT count(*) FROM notes"), 5000);
}

/* Fail unless dir holds exactly the names given (NULL-ended). */
static void
assert_dir_holds(const char *dir, const char *const names[])
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		int known = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0;
		for (size_t i = 0; names[i] != NULL && !known; i++)
			known = strcmp(de->d_name, names[i]) == 0;
		if (!known)
			fail_msg("%s: left behind: %s", dir, de->d_name);
	}
	closedir(d);
}

static const char old_export[] = "last week's export\n";

/* The file an export is to replace, dir/old.txt. */
static void
write_old_export(const char *dir)
{
	char path[700];

	snprintf(path, sizeof path, "%s/old.txt", dir);
	ru_write(path, old_export, (size_t)-1);
}

/*
 * The export's output does not fit (a size cap here, a full disk below): a
 * clear error, exit 1, the old file byte for byte as it was, and no
 * temporary file left; a new name is not made at all.
 */
static void
export_does_not_fit(const char *dir, const char *db, long max_bytes)
{
	const char *const names[] = { "collection.db", "collection.db-wal",
	    "collection.db-shm", "collection.db.txt", "backups", "old.txt",
	    "filler", NULL };
	char out_old[700], out_new[700], err[4096];
	const char *replace[] = { "export", "--force", "-o", out_old, NULL };
	const char *create[] = { "export", "-o", out_new, NULL };
	size_t len;
	char *after;

	snprintf(out_old, sizeof out_old, "%s/old.txt", dir);
	snprintf(out_new, sizeof out_new, "%s/new.txt", dir);

	/* A new name: not made at all. */
	assert_int_equal(lemma_size_limited(db, max_bytes, create, err,
	    sizeof err), 1);
	fprintf(stderr, "# lemma export says: %s", err);
	assert_dir_holds(dir, names);
	assert_non_null(strstr(err, "no file was made"));

	/* An old file to replace: as it was. */
	assert_int_equal(lemma_size_limited(db, max_bytes, replace, err,
	    sizeof err), 1);
	fprintf(stderr, "# lemma export --force says: %s", err);
	assert_non_null(strstr(err, "the file is as it was"));
	after = ru_read(out_old, &len);
	assert_non_null(after);
	assert_int_equal(len, sizeof old_export - 1);
	assert_memory_equal(after, old_export, len);
	free(after);
	assert_dir_holds(dir, names);
	ru_check_ok(db);
}

static void
test_export_file_size_cap(void **state)
{
	char dir[600], db[700], out[700], err[4096];
	const char *whole[] = { "export", "-o", out, NULL };
	long size;
	char *data;
	size_t len;

	(void)state;
	test_dir(dir, sizeof dir, "export-cap");
	snprintf(db, sizeof db, "%s/collection.db", dir);
	make_progress(db, 3000);
	/* The same day's backup now, so the capped runs write nothing but
	 * the export. */
	ru_check_ok(db);
	snprintf(out, sizeof out, "%s/whole.txt", dir);
	assert_int_equal(lemma_size_limited(db, 0, whole, err, sizeof err), 0);
	data = ru_read(out, &len);
	assert_non_null(data);
	free(data);
	unlink(out);
	size = (long)len;
	fprintf(stderr, "# the whole export is %ld bytes; capped at %ld\n",
	    size, size / 3);
	write_old_export(dir);
	export_does_not_fit(dir, db, size / 3);
}

static void
test_export_full_disk_tmpfs(void **state)
{
	char dir[600], db[700], filler[700];

	(void)state;
	if (!may_mount)
		not_applicable("cannot mount a tmpfs (root only); "
		    "test_export_file_size_cap stands for it");
	/* The progress file has room; the disk the export goes to (a full
	 * USB stick, say) has none. */
	snprintf(db, sizeof db, "%s", st_path("export-full.db"));
	make_progress(db, 3000);
	ru_check_ok(db);
	small_fs(dir, sizeof dir, "export-full", "1m");
	write_old_export(dir);
	fill_disk(dir, filler, sizeof filler);
	export_does_not_fit(dir, db, 0);
	unlink(filler);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_disk_tmpfs),
		cmocka_unit_test(test_full_file_size_limit),
		cmocka_unit_test(test_no_test_hook),
		cmocka_unit_test(test_readonly_file),
		cmocka_unit_test(test_readonly_dir),
		cmocka_unit_test(test_deleted_while_open),
		cmocka_unit_test(test_replaced_while_open),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_missing_paths),
		cmocka_unit_test(test_export_file_size_cap),
		cmocka_unit_test(test_export_full_disk_tmpfs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
