/*
 * test_import_kill.c - an import is all or nothing, even when lemma is
 * killed in the middle of it (the stand-in for a power cut).
 *
 * A generated deck of NOTES notes is imported and the process SIGKILLed
 * after a random delay, spread over the time a whole import takes (measured
 * first), in three situations:
 *   - into a new file (the importer's fast path for an empty file);
 *   - into a file that holds a few notes already;
 *   - a re-import that changes every note's back.
 * After each kill, `lemma check` passes and the file holds none or all of
 * the import: never a part. The seed is printed (LEMMA_SEED replays).
 *
 * Kills must land inside the import too, not only before or after it. So
 * lemma is stopped (SIGSTOP) at the chosen moment and looked at from
 * outside, with no hook in the program: it is inside the import's write
 * transaction when it holds SQLite's write lock (the RESERVED byte of the
 * file, or the WAL write lock in -shm) while the deck file is open (lemma
 * opens the deck only after BEGIN). Then the SIGKILL, and before anything
 * opens the file: a hot -journal, or -wal frames after the last commit,
 * are a partial write left behind, which the next open must roll back.
 * Every inside kill must end with none of the import, and each situation
 * must have some.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rel-util.h"
#include "screen-util.h"

#define NOTES		5000
#define RUNS_EACH	12
/* Aimed kills beyond RUNS_EACH while none has landed inside the import. */
#define RUNS_EXTRA	24

static char big[600], changed[600], small[600], base[600], full[600];
static long import_ms;
static int totals[2];		/* runs that ended with none, with all */
static int inside_total;	/* kills inside the import's transaction */
static int partial_total;	/* ... that left a partial write on disk */

/* SQLite's lock bytes (os_unix.c): RESERVED is taken by BEGIN IMMEDIATE
 * in rollback-journal mode; in WAL mode the writer locks byte 120 of the
 * -shm file (WAL_WRITE_LOCK). */
#define SQLITE_RESERVED_BYTE	0x40000001LL
#define WAL_WRITE_LOCK_BYTE	120

/* Does pid hold a POSIX write lock on byte at of path? */
static int
holds_lock(pid_t pid, const char *path, long long at)
{
	struct flock fl;
	int fd = open(path, O_RDONLY), held;

	if (fd < 0)
		return 0;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t)at;
	fl.l_len = 1;
	held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK &&
	    fl.l_pid == pid;
	close(fd);
	return held;
}

/* Has pid the file path open? */
static int
has_open(pid_t pid, const char *path)
{
	char dir[64], link[PATH_MAX + 64], target[PATH_MAX], want[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (realpath(path, want) == NULL)
		return 0;
	snprintf(dir, sizeof dir, "/proc/%ld/fd", (long)pid);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		ssize_t n;

		snprintf(link, sizeof link, "%s/%s", dir, de->d_name);
		if ((n = readlink(link, target, sizeof target - 1)) <= 0)
			continue;
		target[n] = '\0';
		found = strcmp(target, want) == 0;
	}
	closedir(d);
	return found;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Frames of the -wal file after its last commit frame: written by a
 * transaction that never committed. Frames of an older generation of the
 * log (other salts) are not counted. */
static long
uncommitted_wal_frames(const char *db)
{
	char path[700];
	unsigned char *wal;
	size_t len, page, off;
	long since_commit = 0;

	snprintf(path, sizeof path, "%s-wal", db);
	if ((wal = (unsigned char *)ru_read(path, &len)) == NULL)
		return 0;
	if (len < 32 || (be32(wal) & ~1u) != 0x377f0682u) {
		free(wal);
		return 0;
	}
	page = be32(wal + 8) == 1 ? 65536 : be32(wal + 8);
	for (off = 32; off + 24 + page <= len; off += 24 + page) {
		if (memcmp(wal + off + 8, wal + 16, 8) != 0)
			break;		/* salts differ: an old generation */
		since_commit = be32(wal + off + 4) != 0 ? 0 : since_commit + 1;
	}
	free(wal);
	return since_commit;
}

/* A rollback journal left behind with content: a hot journal. */
static int
hot_journal(const char *db)
{
	char path[700];
	struct stat st;

	snprintf(path, sizeof path, "%s-journal", db);
	return stat(path, &st) == 0 && st.st_size > 0;
}

static void
remove_db(const char *db)
{
	char p[700];

	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-journal", db);
	unlink(p);
}

/* The deck again with every back changed. */
static void
write_changed(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "#separator:tab\n#html:false\n#deck:Big\n");
	for (int i = 0; i < NOTES; i++)
		fprintf(f, "Q%05d what is %d times %d?\tchanged back %d\n", i, i,
		    7, i);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	struct ru_result *r = calloc(1, sizeof *r);
	long t0;

	(void)state;
	ru_seed(7);
	snprintf(big, sizeof big, "%s", st_path("big.txt"));
	snprintf(changed, sizeof changed, "%s", st_path("changed.txt"));
	snprintf(small, sizeof small, "%s", st_path("small.txt"));
	snprintf(base, sizeof base, "%s", st_path("base.db"));
	snprintf(full, sizeof full, "%s", st_path("full.db"));
	ru_write_deck(big, "Big", NOTES);
	write_changed(changed);
	ru_write(small, "#deck:Small\nalpha\tone\nbeta\ttwo\ngamma\tthree\n",
	    (size_t)-1);
	if (ru_lemma(r, base, "import", small, NULL) != 0)
		return -1;
	/* How long a whole import takes here, to aim the kills. */
	t0 = ru_ms();
	if (ru_lemma(r, full, "import", big, NULL) != 0)
		return -1;
	import_ms = ru_ms() - t0;
	fprintf(stderr, "# a whole import of %d notes takes %ld ms\n", NOTES,
	    import_ms);
	free(r);
	return 0;
}

/* Where a kill landed. */
struct landing {
	int	inside;		/* in the import's write transaction */
	int	partial;	/* a partial write was left on disk */
};

/* Import from into a copy of start (NULL: a new file), stop it after a
 * random delay, see where it is, kill it; return what the file then holds
 * by count_sql. Aimed: the delay starts once lemma has the deck open (the
 * import has begun), and is at most a quarter of a whole import. */
static long long
kill_one(const char *start, const char *from, const char *count_sql,
    int aimed, struct landing *where)
{
	const char *args[] = { "import", from, NULL };
	char shm[700];
	const char *db = st_path("run.db");
	long delay = (long)ru_rand((uint32_t)(aimed ? import_ms / 4 + 1 :
	    import_ms * 1200 / 1000 + 1));
	int status;
	pid_t pid;

	remove_db(db);
	if (start != NULL)
		ru_copy(start, db);
	snprintf(shm, sizeof shm, "%s-shm", db);
	pid = ru_spawn(db, NULL, args);
	for (long end = ru_ms() + 5000; aimed && !has_open(pid, from) &&
	    ru_ms() < end; )
		ru_usleep(200);
	ru_usleep(delay * 1000);
	kill(pid, SIGSTOP);
	memset(where, 0, sizeof *where);
	if (waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status))
		where->inside = has_open(pid, from) &&
		    (holds_lock(pid, db, SQLITE_RESERVED_BYTE) ||
		    holds_lock(pid, shm, WAL_WRITE_LOCK_BYTE));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	/* Before anything opens the file again. */
	where->partial = hot_journal(db) || uncommitted_wal_frames(db) > 0;
	/* Killed before it made the file: nothing is left, and lemma check
	 * (which only reads) makes none either. */
	if (start == NULL && access(db, F_OK) < 0)
		return 0;
	ru_check_ok(db);
	return ru_int(db, count_sql);
}

static void
tally(long long got, long long none, long long all, const char *what,
    const struct landing *where, int *inside)
{
	if (got == none)
		totals[0]++;
	else if (got == all)
		totals[1]++;
	else
		fail_msg("%s: %lld notes after the kill; expected %lld or %lld "
		    "(seed %llu)", what, got, none, all,
		    (unsigned long long)ru_seed_value());
	if (where->inside) {
		if (got != none)
			fail_msg("%s: killed inside the import, yet %lld notes "
			    "(seed %llu)", what, got,
			    (unsigned long long)ru_seed_value());
		(*inside)++;
		inside_total++;
		partial_total += where->partial;
	}
}

static int runs_total;

/*
 * RUNS_EACH kills of one situation at random moments, each leaving none or
 * all; some must land inside the import. While none has (a loaded machine
 * shifts the timing), up to RUNS_EXTRA more, aimed at the import.
 */
static void
kill_series(const char *start, const char *from, const char *count_sql,
    long long none, long long all, const char *what)
{
	struct landing where;
	int inside = 0, runs = 0, partial_before = partial_total;

	while (runs < RUNS_EACH || (inside == 0 && runs < RUNS_EACH +
	    RUNS_EXTRA)) {
		tally(kill_one(start, from, count_sql, runs >= RUNS_EACH, &where),
		    none, all, what, &where, &inside);
		runs++;
	}
	runs_total += runs;
	print_message("# %s: %d of %d kills inside the import's write "
	    "transaction (%d left a partial write on disk), all rolled back\n",
	    what, inside, runs, partial_total - partial_before);
	if (inside == 0)
		fail_msg("%s: no kill landed inside the import (seed %llu)", what,
		    (unsigned long long)ru_seed_value());
}

static void
test_kill_into_new_file(void **state)
{
	(void)state;
	kill_series(NULL, big, "SELECT count(*) FROM notes", 0, NOTES,
	    "new file");
}

static void
test_kill_into_used_file(void **state)
{
	(void)state;
	kill_series(base, big, "SELECT count(*) FROM notes", 3, 3 + NOTES,
	    "file with notes");
}

static void
test_kill_during_update(void **state)
{
	(void)state;
	kill_series(full, changed, "SELECT count(*) FROM notes WHERE fields "
	    "LIKE '%changed back%'", 0, NOTES, "update");
	print_message("# import kill: %d runs, %d left nothing, %d everything, "
	    "0 partial; %d inside the import's transaction, %d of them with a "
	    "partial write on disk (hot journal or uncommitted log frames) "
	    "rolled back (%d notes, a whole import %ld ms)\n", runs_total,
	    totals[0], totals[1], inside_total, partial_total, NOTES, import_ms);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_into_new_file),
		cmocka_unit_test(test_kill_into_used_file),
		cmocka_unit_test(test_kill_during_update),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
