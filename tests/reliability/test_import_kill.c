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
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rel-util.h"
#include "screen-util.h"

#define NOTES		5000
#define RUNS_EACH	12

static char big[600], changed[600], small[600], base[600], full[600];
static long import_ms;
static int totals[2];		/* runs that ended with none, with all */

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

/* Import from into a copy of start (NULL: a new file), kill it after a
 * random delay; return what the file then holds by count_sql. */
static long long
kill_one(const char *start, const char *from, const char *count_sql)
{
	char *args[] = { "import", (char *)from, NULL };
	const char *db = st_path("run.db");
	long delay = (long)ru_rand((uint32_t)(import_ms * 1200 / 1000 + 1));
	int status;
	pid_t pid;

	remove_db(db);
	if (start != NULL)
		ru_copy(start, db);
	pid = ru_spawn(db, NULL, args);
	ru_usleep(delay * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	/* Killed before it made the file: nothing is left, and lemma check
	 * (which only reads) makes none either. */
	if (start == NULL && access(db, F_OK) < 0)
		return 0;
	ru_check_ok(db);
	return ru_int(db, count_sql);
}

static void
tally(long long got, long long none, long long all, const char *what)
{
	if (got == none)
		totals[0]++;
	else if (got == all)
		totals[1]++;
	else
		fail_msg("%s: %lld notes after the kill; expected %lld or %lld "
		    "(seed %llu)", what, got, none, all,
		    (unsigned long long)ru_seed_value());
}

static void
test_kill_into_new_file(void **state)
{
	(void)state;
	for (int i = 0; i < RUNS_EACH; i++)
		tally(kill_one(NULL, big, "SELECT count(*) FROM notes"), 0, NOTES,
		    "new file");
}

static void
test_kill_into_used_file(void **state)
{
	(void)state;
	for (int i = 0; i < RUNS_EACH; i++)
		tally(kill_one(base, big, "SELECT count(*) FROM notes"), 3,
		    3 + NOTES, "file with notes");
}

static void
test_kill_during_update(void **state)
{
	(void)state;
	for (int i = 0; i < RUNS_EACH; i++)
		tally(kill_one(full, changed, "SELECT count(*) FROM notes WHERE "
		    "fields LIKE '%changed back%'"), 0, NOTES, "update");
	print_message("# import kill: %d runs, %d left nothing, %d everything, "
	    "0 partial (%d notes, a whole import %ld ms)\n", 3 * RUNS_EACH,
	    totals[0], totals[1], NOTES, import_ms);
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
