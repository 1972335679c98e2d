/*
 * test_crash.c - study in the real program and SIGKILL it at random
 * moments, 100 times over one progress file, a day apart.
 *
 * Each run opens the deck, reveals and grades 1 to 5 cards (and sometimes
 * undoes a grade), and is killed right after one of its keys, after a
 * random delay of 0 to 20 ms, so the kill lands anywhere: at start-up,
 * during the daily backup, inside a grade's transaction, while drawing.
 * After the kill, everything the program had written to the terminal is
 * read, and then:
 *   - `lemma check` passes (SQLite's integrity check and lemma's own);
 *   - the review log holds exactly the grades whose next card had been
 *     shown (in order, card by card), plus at most the one grade that was
 *     in flight when the kill came (or minus the one undo in flight).
 * The seed is printed; LEMMA_SEED=N replays a run sequence.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel-util.h"
#include "screen-util.h"

#define RUNS		100
#define DECK		"Crash"
#define NOTES		300
#define START		1735722000LL	/* 2025-01-01T09:00:00Z */
#define MAX_GRADES	4096

/* One grade as the review log should hold it. */
struct grade {
	char	front[8];	/* "Q00042" */
	int	rating;
};

struct log {
	struct grade	g[MAX_GRADES];
	int		n;
};

/* What the last run had in flight when it was killed. */
enum pending { PENDING_NONE, PENDING_GRADE, PENDING_UNDO };

static void
read_revlog(const char *db, struct log *out)
{
	sqlite3 *s;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT substr(n.sort_field, 1, "
	    "6), r.rating FROM revlog r JOIN cards c ON c.id = r.card_id JOIN "
	    "notes n ON n.id = c.note_id WHERE r.rating > 0 ORDER BY r.id", -1,
	    &st, NULL), SQLITE_OK);
	out->n = 0;
	while (sqlite3_step(st) == SQLITE_ROW && out->n < MAX_GRADES) {
		snprintf(out->g[out->n].front, sizeof out->g[0].front, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		out->g[out->n].rating = sqlite3_column_int(st, 1);
		out->n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
}

static int
same_prefix(const struct log *a, const struct log *b, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(a->g[i].front, b->g[i].front) != 0 ||
		    a->g[i].rating != b->g[i].rating)
			return 0;
	return 1;
}

/* The front shown now ("Q00042"), or "" when none. */
static void
shown_front(struct vt *vt, char *out)
{
	const char *s = vt_screen(vt), *q = s;

	out[0] = '\0';
	while ((q = strchr(q, 'Q')) != NULL) {
		if (strspn(q + 1, "0123456789") >= 5 &&
		    strncmp(q + 6, " what", 5) == 0) {
			memcpy(out, q, 6);
			out[6] = '\0';
			return;
		}
		q++;
	}
}

static int
session_over(struct vt *vt)
{
	return vt_contains(vt, "Congratulations") ||
	    vt_contains(vt, "Nothing is due");
}

/* After a grade: the next card's front, or the end of the session. */
static int
next_card_shown(struct vt *vt)
{
	return vt_contains(vt, "show answer") || session_over(vt);
}

static int
wait_next_card(struct vt *vt, int timeout_ms)
{
	long end = ru_ms() + timeout_ms;

	while (ru_ms() < end) {
		if (next_card_shown(vt))
			return 0;
		if (vt_wait_for(vt, "show answer", 20) == 0)
			return 0;
	}
	return next_card_shown(vt) ? 0 : -1;
}

/* Kill now, then read all the program had written before it died. */
static void
kill_and_drain(struct vt *vt)
{
	vt_signal(vt, SIGKILL);
	vt_wait_for(vt, "\x01 never on screen", 3000);
}

static void
test_kill_while_studying(void **state)
{
	static struct log expect, actual;
	char db[600], deck[600];
	struct ru_result r;
	int survived = 0, shown_total = 0, in_flight_kept = 0, sessions = 0;
	int undone = 0, backups = 0;
	long t0 = ru_ms();

	(void)state;
	/* st_path's buffers are reused: keep copies. */
	snprintf(db, sizeof db, "%s", st_path("crash.db"));
	snprintf(deck, sizeof deck, "%s", st_path("crash.txt"));
	ru_seed(20250101);
	ru_write_deck(deck, DECK, NOTES);
	assert_int_equal(ru_lemma(&r, db, "import", deck, NULL), 0);
	expect.n = 0;

	for (int run = 0; run < RUNS; run++) {
		char now[64], front[8], keys[2] = { 0 };
		const char *env[] = { now, NULL };
		int ngrades = 1 + (int)ru_rand(5);
		/* Events: 0 start, 1 Enter, then reveal and grade per card (and
		 * an undo after some grades). Kill after event kill_at. */
		int kill_at = (int)ru_rand((uint32_t)(2 + 2 * ngrades + 1));
		long delay_us = ru_rand(4) == 0 ? 0 : (long)ru_rand(20000);
		enum pending pending = PENDING_NONE;
		struct grade inflight = { "", 0 };
		struct vt *vt;
		int event = 0, killed = 0;

		snprintf(now, sizeof now, "LEMMA_NOW=%lld",
		    START + (long long)run * 86400);
		vt = st_start(db, NULL, env, 24, 80);
		assert_non_null(vt);
		if (event++ == kill_at)
			goto kill;
		st_expect(vt, DECK);
		vt_send(vt, "\r");
		if (event++ == kill_at)
			goto kill;
		if (wait_next_card(vt, 5000) < 0) {
			vt_dump(vt, stderr);
			fail_msg("run %d: the deck did not open", run);
		}
		sessions++;
		for (int i = 0; i < ngrades && !session_over(vt); i++) {
			shown_front(vt, front);
			if (front[0] == '\0') {
				vt_dump(vt, stderr);
				fail_msg("run %d: no card on screen", run);
			}
			vt_send(vt, " ");
			if (event++ == kill_at)
				goto kill;
			st_expect(vt, "Easy");
			keys[0] = (char)('1' + ru_rand(4));
			snprintf(inflight.front, sizeof inflight.front, "%s", front);
			inflight.rating = keys[0] - '0';
			/* The next card is drawn only after the grade's commit,
			 * so its appearance is the user's proof of saving. */
			vt_send(vt, keys);
			pending = PENDING_GRADE;
			if (event++ == kill_at)
				goto kill;
			if (wait_next_card(vt, 5000) < 0) {
				vt_dump(vt, stderr);
				fail_msg("run %d: no next card after a grade", run);
			}
			expect.g[expect.n++] = inflight;
			pending = PENDING_NONE;
			shown_total++;
			if (ru_rand(6) == 0) {
				vt_send(vt, "u");
				pending = PENDING_UNDO;
				if (event++ == kill_at)
					goto kill;
				st_expect(vt, "Undone");
				expect.n--;
				undone++;
				pending = PENDING_NONE;
			}
		}
		/* Not killed during the script: kill at the end, idle. */
		if (delay_us > 0)
			ru_usleep(delay_us);
		kill_and_drain(vt);
		killed = 1;
kill:
		if (!killed) {
			if (delay_us > 0)
				ru_usleep(delay_us);
			kill_and_drain(vt);
			/* What was on screen before death decides. */
			if (pending == PENDING_GRADE && next_card_shown(vt) &&
			    !vt_contains(vt, "Easy")) {
				expect.g[expect.n++] = inflight;
				pending = PENDING_NONE;
				shown_total++;
			} else if (pending == PENDING_UNDO &&
			    vt_contains(vt, "Undone")) {
				expect.n--;
				undone++;
				pending = PENDING_NONE;
			}
		}
		vt_close(vt, 2000);

		ru_check_ok(db);
		read_revlog(db, &actual);
		if (actual.n == expect.n && same_prefix(&actual, &expect, expect.n))
			;
		else if (pending == PENDING_GRADE && actual.n == expect.n + 1 &&
		    same_prefix(&actual, &expect, expect.n) &&
		    strcmp(actual.g[expect.n].front, inflight.front) == 0 &&
		    actual.g[expect.n].rating == inflight.rating) {
			expect.g[expect.n++] = inflight;	/* saved, unseen */
			in_flight_kept++;
		} else if (pending == PENDING_UNDO && actual.n == expect.n - 1 &&
		    same_prefix(&actual, &expect, actual.n)) {
			expect.n--;	/* undone, unseen */
			undone++;
		} else {
			fail_msg("run %d (seed %llu): the review log has %d grades, "
			    "%d were shown as saved (pending %d)", run,
			    (unsigned long long)ru_seed_value(), actual.n,
			    expect.n, (int)pending);
		}
		survived++;
	}
	/* Every run began a new day, so many kills hit the daily backup:
	 * what is left under a backup's name is whole, and there are no more
	 * than seven. */
	{
		char dir[700], path[1000];
		struct dirent *de;
		DIR *d;
		int n = 0;

		snprintf(dir, sizeof dir, "%s", db);
		snprintf(strrchr(dir, '/'), 12, "/backups");
		assert_non_null(d = opendir(dir));
		while ((de = readdir(d)) != NULL) {
			/* Backups are named after their file, crash.db. */
			if (strncmp(de->d_name, "crash-", 6) != 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			assert_int_equal(ru_int(path, "SELECT count(*) FROM "
			    "notes"), NOTES);
			n++;
		}
		closedir(d);
		assert_in_range(n, 1, 7);
		backups = n;
	}
	print_message("# crash: %d kill runs survived, %d sessions opened, %d "
	    "grades shown as saved, %d undone, %d grades in the log, %d "
	    "in-flight grades also kept, 0 lost, %d whole backups kept, %.1f s\n",
	    survived, sessions, shown_total, undone, expect.n, in_flight_kept,
	    backups, (double)(ru_ms() - t0) / 1000.0);
	assert_int_equal(survived, RUNS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_while_studying),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
