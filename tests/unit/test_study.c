/*
 * test_study.c - the study queue on a temporary progress file, with an
 * injected clock: limits (per deck and parent deck), review order,
 * interleaving, siblings, learning steps and the learn-ahead limit, the
 * day rollover, undo, suspend/bury, leeches, custom study, deck counts.
 *
 * Cards are inserted with SQL straight into the v1 schema, so these tests
 * depend on nothing but db.c and the scheduler. TZ is UTC (the test
 * environment); the rollover hour is the default, 4.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/model/fsrs.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"
#include "schema-undo.h"
#include "fresh-db.h"

#define T0	((time_t)1735722000)	/* 2025-01-01T09:00:00Z, study day 20089 */
#define MIN	60
#define HOUR	3600
#define DAY	86400

struct fx {
	char		 path[512];
	struct db	*db;
	sqlite3		*sql;
	int		 position;
};

static struct fx *
fx_new(void)
{
	struct fx *f = calloc(1, sizeof *f);
	struct err e;
	int fd;

	assert_non_null(f);
	snprintf(f->path, sizeof f->path, "%s/lemma-study-XXXXXX",
	    paths_tmpdir());
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	f->db = fresh_db_open(f->path, &e);
	if (f->db == NULL)
		fail_msg("db_open: %s", e.msg);
	assert_int_equal(sqlite3_open(f->path, &f->sql), SQLITE_OK);
	sqlite3_busy_timeout(f->sql, 5000);
	return f;
}

static void
fx_free(struct fx *f)
{
	char side[600];

	sqlite3_close(f->sql);
	db_close(f->db);
	unlink(f->path);
	snprintf(side, sizeof side, "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", f->path);
	unlink(side);
	free(f);
}

static void
sql(struct fx *f, const char *fmt, ...)
{
	char buf[2048], *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (sqlite3_exec(f->sql, buf, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", buf, msg);
}

static long long
sql_int(struct fx *f, const char *fmt, ...)
{
	char buf[1024];
	sqlite3_stmt *st;
	long long v = -1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(f->sql, buf, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", buf, sqlite3_errmsg(f->sql));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t
deck(struct fx *f, const char *name)
{
	struct err e;
	int64_t id = db_deck_ensure(f->db, name, T0, &e);

	if (id < 0)
		fail_msg("deck %s: %s", name, e.msg);
	return id;
}

/* A note with ncards cards (ord 0..n-1), all new; returns the note id.
 * Card ids are note_id * 10 + ord, so tests can name them. */
static int64_t
note(struct fx *f, int64_t deck_id, const char *front, int ncards)
{
	int64_t nid = sql_int(f, "SELECT coalesce(max(id), 0) + 1 FROM notes");

	sql(f, "INSERT INTO notes (id, guid, notetype, deck_id, fields, sort_field, "
	    "tags, created, modified) VALUES (%lld, 'g%lld', %d, %lld, "
	    "'%s' || char(31) || 'back', '%s', '', %lld, %lld)", (long long)nid,
	    (long long)nid, ncards > 1 ? 1 : 0, (long long)deck_id, front, front,
	    (long long)T0, (long long)T0);
	for (int ord = 0; ord < ncards; ord++)
		sql(f, "INSERT INTO cards (id, note_id, ord, deck_id, position, "
		    "created, modified) VALUES (%lld, %lld, %d, %lld, %d, %lld, "
		    "%lld)", (long long)(nid * 10 + ord), (long long)nid, ord,
		    (long long)deck_id, ++f->position, (long long)T0,
		    (long long)T0);
	return nid;
}

/* Make card id a review card, last reviewed `ago_days` before T0 with an
 * interval of sched days (so due = last + sched days). */
static void
review(struct fx *f, int64_t id, double s, int ago_days, int sched)
{
	time_t last = T0 - (time_t)ago_days * DAY;

	sql(f, "UPDATE cards SET state = 2, stability = %g, difficulty = 5, "
	    "last_review = %lld, scheduled_days = %d, due = %lld, reps = 3 "
	    "WHERE id = %lld", s, (long long)last, sched,
	    (long long)(last + (time_t)sched * DAY), (long long)id);
}

static struct study *
open_study(struct fx *f, int64_t deck_id, time_t now)
{
	struct err e;
	struct study *s = study_open(f->db, deck_id, now, &e);

	if (s == NULL)
		fail_msg("study_open: %s", e.msg);
	return s;
}

/* The next card's id, or 0 when study_next says nothing is left. */
static int64_t
next_id(struct study *s, time_t now)
{
	const struct study_card *c;
	struct err e;
	int rc = study_next(s, now, &c, &e);

	if (rc < 0)
		fail_msg("study_next: %s", e.msg);
	return rc == 0 ? c->card_id : 0;
}

static void
grade(struct study *s, enum grade g, time_t now)
{
	struct err e;

	if (study_grade(s, g, now, 1000, &e) < 0)
		fail_msg("study_grade: %s", e.msg);
}

static void
remaining(struct study *s, int n, int l, int r)
{
	int nn, ll, rr;

	study_remaining(s, &nn, &ll, &rr);
	if (nn != n || ll != l || rr != r)
		fail_msg("remaining %d/%d/%d, want %d/%d/%d", nn, ll, rr, n, l, r);
}

static const struct deck_counts *
counts_of(const struct deck_counts *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	fail_msg("no deck %s in the counts", name);
	return NULL;
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_study_format(void **state)
{
	static const struct { long secs; const char *want; } cases[] = {
		{ 0, "<1m" }, { 30, "<1m" }, { 60, "1m" }, { 330, "6m" },
		{ 600, "10m" }, { 3599, "60m" }, { 3600, "1h" }, { 5400, "2h" },
		{ 86400, "1d" }, { 4 * 86400, "4d" }, { 30 * 86400, "30d" },
		{ 31 * 86400, "1mo" }, { 103 * 86400, "3.4mo" },
		{ 365 * 86400, "1y" }, { 438 * 86400, "1.2y" },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		study_format_interval(cases[i].secs, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
}

/* New cards up to the daily limit; Easy graduates them; the limit counts
 * what was studied earlier today, and a new day brings more. */
static void
test_study_new_limit(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "Words");
	struct study *s;
	struct deck_counts *c;
	size_t n;
	struct err e;
	int shown = 0;

	(void)state;
	for (int i = 0; i < 30; i++)
		note(f, d, "w", 1);
	sql(f, "UPDATE deck_config SET new_per_day = 12");
	s = open_study(f, d, T0);
	remaining(s, 12, 0, 0);
	/* Cards come in position order. */
	assert_int_equal(next_id(s, T0), 10);
	for (int i = 0; i < 5; i++) {
		assert_true(next_id(s, T0 + i) != 0);
		grade(s, GRADE_EASY, T0 + i);
		shown++;
	}
	remaining(s, 7, 0, 0);
	study_close(s);
	/* A second session the same day sees what is left of the limit. */
	s = open_study(f, d, T0 + HOUR);
	remaining(s, 7, 0, 0);
	while (next_id(s, T0 + HOUR) != 0) {
		grade(s, GRADE_EASY, T0 + HOUR);
		shown++;
	}
	assert_int_equal(shown, 12);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog"), 12);
	assert_int_equal(study_deck_counts(f->db, T0 + HOUR, &c, &n, &e), 0);
	assert_int_equal(counts_of(c, n, "Words")->new_count, 0);
	study_deck_counts_free(c, n);
	/* The next study day (after 04:00) brings 12 more. */
	assert_int_equal(study_deck_counts(f->db, T0 + DAY - 4 * HOUR, &c, &n, &e), 0);
	assert_int_equal(counts_of(c, n, "Words")->new_count, 12);
	study_deck_counts_free(c, n);
	study_close(s);
	fx_free(f);
}

/* Anki's v3 limits: each deck's own limit applies to its cards, a parent's
 * to everything under it, and limits above the studied deck do not. */
static void
test_study_parent_limits(void **state)
{
	struct fx *f = fx_new();
	int64_t p = deck(f, "P"), a = deck(f, "P::A"), b = deck(f, "P::B");
	struct deck_counts *c;
	struct study *s;
	size_t n;
	struct err e;
	int count = 0;

	(void)state;
	for (int i = 0; i < 10; i++) {
		note(f, a, "a", 1);
		note(f, b, "b", 1);
	}
	sql(f, "UPDATE deck_config SET new_per_day = 4");
	sql(f, "INSERT INTO deck_config (id, name, new_per_day) VALUES (2, 'Small', 3)");
	sql(f, "UPDATE decks SET config_id = 2 WHERE id = %lld", (long long)a);
	assert_int_equal(study_deck_counts(f->db, T0, &c, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(c[0].name, "P");
	assert_int_equal(c[1].depth, 1);
	assert_int_equal(counts_of(c, n, "P")->new_count, 4);
	assert_int_equal(counts_of(c, n, "P::A")->new_count, 3);
	assert_int_equal(counts_of(c, n, "P::B")->new_count, 4);
	study_deck_counts_free(c, n);

	/* Studying P: A gives its 3, then B fills P's 4th. */
	s = open_study(f, p, T0);
	remaining(s, 4, 0, 0);
	while (next_id(s, T0) != 0) {
		grade(s, GRADE_EASY, T0);
		count++;
	}
	assert_int_equal(count, 4);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog r JOIN cards c ON "
	    "c.id = r.card_id WHERE c.deck_id = %lld", (long long)a), 3);
	study_close(s);
	/* P's limit is spent, but studying P::B alone ignores it; B has
	 * given one card today, so 3 of its 4 are left. */
	s = open_study(f, b, T0);
	remaining(s, 3, 0, 0);
	study_close(s);
	assert_int_equal(study_deck_counts(f->db, T0, &c, &n, &e), 0);
	assert_int_equal(counts_of(c, n, "P")->new_count, 0);
	assert_int_equal(counts_of(c, n, "P::A")->new_count, 0);
	assert_int_equal(counts_of(c, n, "P::B")->new_count, 3);
	study_deck_counts_free(c, n);
	fx_free(f);
}

/* Learning steps first, then reviews by due day and lowest R, new cards
 * interleaved evenly, and the review limit. */
static void
test_study_order(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "D");
	int64_t want[] = { 10, 20, 30, 60, 40, 50 };
	struct study *s;

	(void)state;
	for (int i = 0; i < 6; i++)
		note(f, d, "x", 1);	/* cards 10 .. 60 */
	/* 20: due 3 days ago. 30 and 40: due today, 30 with lower R (long
	 * overdue relative to S). 50: due today, R highest. 60: new. */
	review(f, 20, 10, 13, 10);
	review(f, 30, 2, 12, 12);
	review(f, 40, 20, 12, 12);
	review(f, 50, 200, 12, 12);
	/* 10: a learning card whose step is due. */
	sql(f, "UPDATE cards SET state = 1, step = 1, stability = 2, difficulty = 5, "
	    "last_review = %lld, due = %lld WHERE id = 10", (long long)(T0 - 20 * MIN),
	    (long long)(T0 - 10 * MIN));
	s = open_study(f, d, T0);
	remaining(s, 1, 1, 4);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(next_id(s, T0), want[i]);
		/* Calling again without grading gives the same card. */
		assert_int_equal(next_id(s, T0), want[i]);
		grade(s, GRADE_EASY, T0);
	}
	assert_int_equal(next_id(s, T0), 0);
	study_close(s);

	/* The review limit, and new cards counted against it. */
	for (int i = 0; i < 6; i++)
		note(f, d, "y", 1);	/* 70 .. 120, new */
	for (int64_t id = 70; id <= 100; id += 10)
		review(f, id, 5, 10, 5);	/* 4 overdue reviews */
	sql(f, "UPDATE deck_config SET reviews_per_day = 3, new_per_day = 10");
	s = open_study(f, d, T0 + DAY);
	remaining(s, 0, 0, 3);
	study_close(s);
	sql(f, "UPDATE deck_config SET reviews_per_day = 6");
	s = open_study(f, d, T0 + DAY);
	remaining(s, 2, 0, 4);
	/* 4 reviews, 2 new, spread evenly: R N R R N R. */
	assert_true(next_id(s, T0 + DAY) <= 100);
	grade(s, GRADE_GOOD, T0 + DAY);
	assert_int_equal(next_id(s, T0 + DAY), 110);
	grade(s, GRADE_GOOD, T0 + DAY);
	assert_true(next_id(s, T0 + DAY) <= 100);
	grade(s, GRADE_GOOD, T0 + DAY);
	assert_true(next_id(s, T0 + DAY) <= 100);
	grade(s, GRADE_GOOD, T0 + DAY);
	assert_int_equal(next_id(s, T0 + DAY), 120);
	study_close(s);
	fx_free(f);
}

/* Siblings as Anki buries them (Default: bury new and review siblings):
 * a sibling of a card in today's queue is not gathered, and answering a
 * card buries its siblings in the file until the next day, so a new
 * session the same day leaves them out too; with burying off, they come
 * in order. */
static void
test_study_siblings(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "S");
	struct study *s;

	(void)state;
	note(f, d, "a", 2);	/* cards 10, 11: a reversed note */
	note(f, d, "b", 1);	/* 20 */
	note(f, d, "c", 2);	/* 30, 31: two cloze deletions */
	s = open_study(f, d, T0);
	remaining(s, 3, 0, 0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_EASY, T0);
	assert_true(sql_int(f, "SELECT buried_until FROM cards WHERE id = 11")
	    > 0);
	assert_int_equal(next_id(s, T0), 20);
	grade(s, GRADE_EASY, T0);
	assert_int_equal(next_id(s, T0), 30);
	grade(s, GRADE_EASY, T0);
	assert_int_equal(next_id(s, T0), 0);
	study_close(s);
	/* A new session the same day: the siblings stay buried. */
	s = open_study(f, d, T0 + MIN);
	remaining(s, 0, 0, 0);
	assert_int_equal(next_id(s, T0 + MIN), 0);
	study_close(s);
	/* The next day they are back. */
	s = open_study(f, d, T0 + DAY);
	assert_int_equal(next_id(s, T0 + DAY), 11);
	grade(s, GRADE_EASY, T0 + DAY);
	assert_int_equal(next_id(s, T0 + DAY), 31);
	study_close(s);

	/* Off: position order. */
	sql(f, "DELETE FROM revlog; UPDATE cards SET state = 0, stability = 0, "
	    "difficulty = 0, due = 0, reps = 0, last_review = NULL, "
	    "scheduled_days = 0, buried_until = 0; UPDATE deck_config SET "
	    "bury_new = 0, bury_reviews = 0");
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_EASY, T0);
	assert_int_equal(next_id(s, T0), 11);
	study_close(s);
	fx_free(f);
}

/* Which siblings an answer buries: the kinds the preset names, but not
 * those of a queue gathered before the answered card's (a new card's
 * answer buries only new siblings); undo of the grade unburies them. */
static void
test_study_bury_kinds(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "K");
	struct study *s;
	struct err e;
	long today;

	(void)state;
	note(f, d, "rev", 3);	/* 10 review, 11 review, 12 new */
	review(f, 10, 5, 5, 5);
	review(f, 11, 5, 5, 30);	/* not due: buried all the same */
	note(f, d, "new", 2);	/* 20 new, 21 review not due */
	review(f, 21, 5, 5, 30);
	sql(f, "UPDATE deck_config SET bury_new = 1, bury_reviews = 1, "
	    "bury_interday = 0, new_mix = 2");	/* new cards first */
	s = open_study(f, d, T0);
	/* 20 is new: its answer buries new siblings only, so 21 (a review)
	 * is not buried. */
	assert_int_equal(next_id(s, T0), 20);
	grade(s, GRADE_EASY, T0);
	assert_int_equal(sql_int(f, "SELECT buried_until FROM cards WHERE "
	    "id = 21"), 0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_GOOD, T0);
	today = (long)sql_int(f, "SELECT buried_until FROM cards WHERE id = 11")
	    - 1;
	assert_true(today > 0);
	assert_int_equal(sql_int(f, "SELECT buried_until FROM cards WHERE "
	    "id = 12"), today + 1);
	/* Undo the grade: both siblings are back. */
	assert_int_equal(study_undo(s, T0, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM cards WHERE "
	    "buried_until > 0"), 0);
	study_close(s);
	fx_free(f);
}

/* The queue's order, read by burying each card as it comes (a bury takes
 * a card out without grading it, and buries no sibling). */
static void
queue_order(struct fx *f, int64_t d, char *out, size_t len)
{
	struct study *s = open_study(f, d, T0);
	struct err e;
	int64_t id;

	out[0] = '\0';
	while ((id = next_id(s, T0)) != 0) {
		snprintf(out + strlen(out), len - strlen(out), "%s%lld",
		    out[0] ? " " : "", (long long)id);
		if (study_bury(s, T0, &e) < 0)
			fail_msg("study_bury: %s", e.msg);
	}
	study_close(s);
	sql(f, "UPDATE cards SET buried_until = 0");
}

/* Each of Anki's orders of the preset: review sort order, new card
 * gather and sort order, new/review and interday/review mixes. */
static void
test_study_orders(void **state)
{
	static const struct {
		const char	*set;
		const char	*want;
	} cases[] = {
		{ "review_order = 3", "10 30 20 41 40 51 50" },	/* ivl up */
		{ "review_order = 4", "20 30 10 41 40 51 50" },	/* ivl down */
		{ "review_order = 5", "20 30 10 41 40 51 50" },	/* diff. up */
		{ "review_order = 6", "10 30 20 41 40 51 50" },	/* diff. down */
		{ "review_order = 9", "10 20 30 41 40 51 50" },	/* added */
		{ "review_order = 10", "30 20 10 41 40 51 50" },	/* reverse */
		/* New cards: ascending position, by template (ord 0 first),
		 * or as gathered; descending position. */
		{ "review_order = 9, new_mix = 2, new_sort_order = 0",
		    "40 50 41 51 10 20 30" },
		{ "review_order = 9, new_mix = 2, new_sort_order = 1",
		    "41 40 51 50 10 20 30" },
		{ "review_order = 9, new_mix = 2, new_sort_order = 1, "
		    "new_gather_order = 2", "41 40 51 50 10 20 30" },
		{ "review_order = 9, new_mix = 2, new_sort_order = 1, "
		    "new_gather_order = 3", "50 51 40 41 10 20 30" },
		/* Mixed: the new cards among the reviews. */
		{ "review_order = 9, new_mix = 0, new_sort_order = 1, "
		    "new_gather_order = 2", "41 10 40 20 51 30 50" },
	};
	struct fx *f = fx_new();
	int64_t d = deck(f, "O");
	char got[256];

	(void)state;
	note(f, d, "a", 1);	/* 10 */
	note(f, d, "b", 1);	/* 20 */
	note(f, d, "c", 1);	/* 30 */
	note(f, d, "n", 2);	/* 40, 41 */
	note(f, d, "m", 2);	/* 50, 51 */
	/* Positions as gathered by the note's order of cards: 41 first. */
	sql(f, "UPDATE cards SET position = 2 WHERE id = 40; UPDATE cards SET "
	    "position = 1 WHERE id = 41; UPDATE cards SET position = 4 WHERE "
	    "id = 50; UPDATE cards SET position = 3 WHERE id = 51");
	review(f, 10, 5, 5, 5);
	review(f, 20, 5, 30, 30);
	review(f, 30, 5, 10, 10);
	sql(f, "UPDATE cards SET difficulty = 7 WHERE id = 10; UPDATE cards SET "
	    "difficulty = 3 WHERE id = 20");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* Siblings all shown: the orders are what is tested. */
		sql(f, "UPDATE deck_config SET bury_new = 0, bury_reviews = 0, "
		    "review_order = 0, new_sort_order = 1, new_gather_order = 0, "
		    "new_mix = 1, interday_mix = 2");
		sql(f, "UPDATE deck_config SET %s", cases[i].set);
		queue_order(f, d, got, sizeof got);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].set, got,
			    cases[i].want);
	}
	fx_free(f);
}

/* Limits start from top: the parent's limits apply when a sub-deck is
 * studied; the minimum interval after a lapse; the learn-ahead limit and
 * the next day's hour from the collection's settings. */
static void
test_study_preset_limits(void **state)
{
	struct fx *f = fx_new();
	int64_t top = deck(f, "Top"), sub = deck(f, "Top::Sub");
	struct study *s;

	(void)state;
	note(f, sub, "a", 1);	/* 10 */
	note(f, sub, "b", 1);	/* 20 */
	note(f, sub, "c", 1);	/* 30 */
	sql(f, "INSERT INTO deck_config (id, name, new_per_day) VALUES "
	    "(2, 'One a day', 1); UPDATE decks SET config_id = 2 WHERE id = "
	    "%lld", (long long)top);
	s = open_study(f, sub, T0);
	remaining(s, 3, 0, 0);
	study_close(s);
	sql(f, "UPDATE deck_config SET limits_from_top = 1 WHERE id = 1");
	s = open_study(f, sub, T0);
	remaining(s, 1, 0, 0);
	study_close(s);
	sql(f, "UPDATE deck_config SET limits_from_top = 0");

	/* A lapse with no relearning steps goes back to review at the
	 * minimum interval at least. */
	review(f, 20, 50, 50, 50);
	sql(f, "UPDATE deck_config SET relearning_steps = '', min_interval = 9, "
	    "new_mix = 1 WHERE id = 1");
	s = open_study(f, sub, T0);
	assert_int_equal(next_id(s, T0), 20);
	grade(s, GRADE_AGAIN, T0);
	study_close(s);
	assert_int_equal(sql_int(f, "SELECT state FROM cards WHERE id = 20"), 2);
	assert_true(sql_int(f, "SELECT scheduled_days FROM cards WHERE id = 20")
	    >= 9);

	/* Learn ahead 0: a step due in a minute waits. */
	sql(f, "INSERT OR REPLACE INTO settings (key, value) VALUES "
	    "('learn_ahead_mins', '0')");
	s = open_study(f, sub, T0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_AGAIN, T0);	/* due in 1m */
	assert_int_equal(next_id(s, T0 + 5), 30);	/* the new card left */
	{
		struct err e;

		assert_int_equal(study_bury(s, T0 + 5, &e), 0);
	}
	assert_int_equal(next_id(s, T0 + 5), 0);
	study_close(s);
	sql(f, "INSERT OR REPLACE INTO settings (key, value) VALUES "
	    "('learn_ahead_mins', '20')");
	s = open_study(f, sub, T0);
	assert_int_equal(next_id(s, T0 + 5), 10);
	study_close(s);

	/* The next day starts at noon: a review due at 13:00 is not due at
	 * 09:00, though it is with the day starting at 04:00. */
	sql(f, "UPDATE cards SET state = 2, stability = 5, difficulty = 5, "
	    "buried_until = 0, last_review = %lld, scheduled_days = 1, "
	    "due = %lld WHERE id = 30",
	    (long long)(T0 - DAY), (long long)(T0 + 4 * 3600));
	s = open_study(f, sub, T0 + 6 * MIN);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM cards WHERE id = 30 "
	    "AND buried_until = 0"), 1);
	remaining(s, 0, 1, 1);
	study_close(s);
	sql(f, "INSERT OR REPLACE INTO settings (key, value) VALUES "
	    "('next_day_starts_at', '12')");
	s = open_study(f, sub, T0 + 6 * MIN);
	remaining(s, 0, 1, 0);
	study_close(s);
	fx_free(f);
}

/* A filtered session (custom study): its cards in order, outside the
 * limits, graded as studied ahead with their elapsed time; a preview
 * writes nothing; the cards never leave their deck. */
static void
test_study_filtered(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "F");
	int64_t ids[] = { 20, 10 }, one[] = { 30 };
	struct study *s;
	struct err e;

	(void)state;
	note(f, d, "a", 1);	/* 10: review due in 3 days */
	note(f, d, "b", 1);	/* 20: new */
	note(f, d, "c", 1);	/* 30: new */
	review(f, 10, 20, 17, 20);
	sql(f, "UPDATE deck_config SET new_per_day = 0");
	s = study_open_filtered(f->db, ids, 2, 1, T0, &e);
	assert_non_null(s);
	assert_int_equal(next_id(s, T0), 20);	/* the new limit is 0 */
	grade(s, GRADE_EASY, T0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_GOOD, T0);
	assert_int_equal(next_id(s, T0), 0);
	study_close(s);
	/* Studied ahead: kind 3, with 17 days elapsed. */
	assert_int_equal(sql_int(f, "SELECT kind FROM revlog WHERE card_id = "
	    "10"), 3);
	assert_int_equal(sql_int(f, "SELECT CAST(elapsed_days AS INTEGER) FROM "
	    "revlog WHERE card_id = 10"), 17);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM cards WHERE "
	    "deck_id = %lld", (long long)d), 3);
	/* Preview: seen, nothing written. */
	s = study_open_filtered(f->db, one, 1, 0, T0, &e);
	assert_non_null(s);
	assert_int_equal(next_id(s, T0), 30);
	grade(s, GRADE_GOOD, T0);
	assert_int_equal(next_id(s, T0), 0);
	study_close(s);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog WHERE "
	    "card_id = 30"), 0);
	assert_int_equal(sql_int(f, "SELECT state FROM cards WHERE id = 30"),
	    0);
	fx_free(f);
}

/* Learning steps come back in the same session when due; one due within
 * the learn-ahead limit is shown early when nothing else is left; a
 * longer one ends the session until then. */
static void
test_study_learning(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "L");
	struct study *s;
	time_t when;
	struct err e;
	char labels[4][16];

	(void)state;
	note(f, d, "one", 1);	/* 10 */
	note(f, d, "two", 1);	/* 20 */
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 10);
	assert_int_equal(study_preview(s, T0, labels), 0);
	assert_string_equal(labels[0], "1m");
	assert_string_equal(labels[1], "6m");
	assert_string_equal(labels[2], "10m");
	assert_int_equal(labels[3][strlen(labels[3]) - 1], 'd');
	grade(s, GRADE_AGAIN, T0);		/* 10: due T0 + 1m */
	assert_int_equal(next_id(s, T0 + 5), 20);
	remaining(s, 1, 1, 0);
	grade(s, GRADE_GOOD, T0 + 5);		/* 20: due T0 + 5s + 10m */
	/* At T0 + 30s card 10 is due in 30s: learn ahead. */
	assert_int_equal(next_id(s, T0 + 30), 10);
	grade(s, GRADE_GOOD, T0 + 30);		/* 10: due T0 + 30s + 10m */
	assert_int_equal(next_id(s, T0 + 40), 20);	/* within 20 min */
	grade(s, GRADE_GOOD, T0 + 40);		/* 20 graduates */
	assert_int_equal(sql_int(f, "SELECT state FROM cards WHERE id = 20"), 2);
	assert_int_equal(next_id(s, T0 + 50), 10);
	grade(s, GRADE_GOOD, T0 + 50);
	assert_int_equal(next_id(s, T0 + 60), 0);
	study_close(s);

	/* A relearning step of an hour: nothing now, then it comes back. */
	sql(f, "UPDATE deck_config SET relearning_steps = '1h'");
	review(f, 10, 5, 5, 5);
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_AGAIN, T0);
	assert_int_equal(sql_int(f, "SELECT state FROM cards WHERE id = 10"), 3);
	assert_int_equal(sql_int(f, "SELECT lapses FROM cards WHERE id = 10"), 1);
	assert_int_equal(next_id(s, T0 + MIN), 0);
	assert_int_equal(study_next_due(f->db, d, T0 + MIN, &when, &e), 0);
	assert_int_equal(when, T0 + HOUR);
	assert_int_equal(next_id(s, T0 + 41 * MIN), 10);	/* learn ahead */
	grade(s, GRADE_GOOD, T0 + 41 * MIN);
	assert_int_equal(sql_int(f, "SELECT state FROM cards WHERE id = 10"), 2);
	study_close(s);
	fx_free(f);
}

/* A step that crosses the 04:00 rollover belongs to the next study day;
 * a session that runs past the rollover gets the new day's queue. */
static void
test_study_midnight(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "M");
	time_t late = T0 - 5 * HOUR - 5 * MIN;	/* 2025-01-01T03:55Z */
	time_t when;
	struct study *s;
	struct err e;

	(void)state;
	note(f, d, "a", 1);	/* 10 */
	note(f, d, "b", 1);	/* 20 */
	sql(f, "UPDATE deck_config SET new_per_day = 1");
	s = open_study(f, d, late);
	assert_int_equal(next_id(s, late), 10);
	grade(s, GRADE_GOOD, late);		/* due 04:05: tomorrow */
	assert_int_equal(next_id(s, late + MIN), 0);
	remaining(s, 0, 0, 0);
	/* The next card: the new day's new card at 04:00. */
	assert_int_equal(study_next_due(f->db, d, late + MIN, &when, &e), 0);
	assert_int_equal(when, late + 5 * MIN);
	/* 04:06: a new day, card 10's step is due and one new card more. */
	assert_int_equal(next_id(s, late + 11 * MIN), 10);
	remaining(s, 1, 1, 0);
	grade(s, GRADE_GOOD, late + 11 * MIN);
	assert_int_equal(next_id(s, late + 11 * MIN), 20);
	grade(s, GRADE_EASY, late + 11 * MIN);
	assert_int_equal(next_id(s, late + 11 * MIN), 0);
	study_close(s);
	/* Elapsed days for FSRS count study days: 03:55 to 04:06 is one. */
	assert_int_equal(sql_int(f, "SELECT elapsed_days FROM revlog WHERE "
	    "card_id = 10 ORDER BY id DESC LIMIT 1"), 1);
	fx_free(f);
}

/* Undo, several steps deep: the card and the review log are restored and
 * the card is shown again; a leech's tag and suspension are undone too. */
static void
test_study_undo(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "U");
	struct study *s;
	struct study_summary sum;
	struct err e;

	(void)state;
	for (int i = 0; i < 3; i++)
		note(f, d, "u", 1);	/* 10, 20, 30 */
	s = open_study(f, d, T0);
	assert_int_equal(study_undo(s, T0, &e), 1);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_GOOD, T0);
	assert_int_equal(next_id(s, T0), 20);
	grade(s, GRADE_EASY, T0);
	assert_int_equal(next_id(s, T0), 30);
	grade(s, GRADE_AGAIN, T0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog"), 3);
	study_summary(s, &sum);
	assert_int_equal(sum.studied, 3);
	assert_int_equal(sum.again, 1);

	assert_int_equal(study_undo(s, T0 + 1, &e), 0);
	assert_int_equal(next_id(s, T0 + 1), 30);
	assert_int_equal(study_undo(s, T0 + 2, &e), 0);
	assert_int_equal(next_id(s, T0 + 2), 20);
	assert_int_equal(study_undo(s, T0 + 3, &e), 0);
	assert_int_equal(next_id(s, T0 + 3), 10);
	assert_int_equal(study_undo(s, T0 + 3, &e), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM cards WHERE state = 0 "
	    "AND reps = 0 AND stability = 0 AND due = 0 AND last_review IS NULL"), 3);
	study_summary(s, &sum);
	assert_int_equal(sum.studied, 0);
	remaining(s, 3, 0, 0);
	study_close(s);

	/* A leech: the 8th lapse tags and suspends; undo takes both back. */
	review(f, 20, 5, 5, 5);
	sql(f, "UPDATE cards SET lapses = 7 WHERE id = 20");
	sql(f, "UPDATE notes SET tags = ' hard ' WHERE id = 2");
	s = open_study(f, d, T0);
	while (next_id(s, T0) != 20)
		assert_int_equal(study_bury(s, T0, &e), 0);
	grade(s, GRADE_AGAIN, T0);
	assert_int_equal(sql_int(f, "SELECT suspended FROM cards WHERE id = 20"), 1);
	assert_int_equal(sql_int(f, "SELECT lapses FROM cards WHERE id = 20"), 8);
	assert_int_equal(sql_int(f, "SELECT tags = ' hard leech ' FROM notes "
	    "WHERE id = 2"), 1);
	assert_int_equal(study_undo(s, T0, &e), 0);
	assert_int_equal(sql_int(f, "SELECT suspended FROM cards WHERE id = 20"), 0);
	assert_int_equal(sql_int(f, "SELECT lapses FROM cards WHERE id = 20"), 7);
	assert_int_equal(sql_int(f, "SELECT tags = ' hard ' FROM notes WHERE id = 2"), 1);
	assert_int_equal(next_id(s, T0), 20);
	/* The burials undo too, most recent first. */
	assert_int_equal(study_undo(s, T0, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM cards WHERE "
	    "buried_until > 0"), 0);
	study_close(s);

	/* Leech action "tag only": tagged, not suspended. */
	sql(f, "UPDATE deck_config SET leech_action = 1");
	s = open_study(f, d, T0);
	while (next_id(s, T0) != 20)
		assert_int_equal(study_bury(s, T0, &e), 0);
	grade(s, GRADE_AGAIN, T0);
	assert_int_equal(sql_int(f, "SELECT suspended FROM cards WHERE id = 20"), 0);
	assert_int_equal(sql_int(f, "SELECT tags LIKE '%% leech %%' FROM notes "
	    "WHERE id = 2"), 1);
	study_close(s);
	fx_free(f);
}

/* Suspend and bury take the card out; a buried card is back the next
 * study day; flags and marks are written; custom study adds cards. */
static void
test_study_card_ops(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "C");
	const struct study_card *c;
	struct study *s;
	struct err e;

	(void)state;
	for (int i = 0; i < 4; i++)
		note(f, d, "c", 1);	/* 10 .. 40 */
	review(f, 40, 30, 29, 30);	/* due tomorrow */
	sql(f, "UPDATE deck_config SET new_per_day = 2");
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 10);
	assert_int_equal(study_set_flag(s, 3, &e), 0);
	assert_int_equal(study_set_flag(s, 9, &e), -1);
	assert_int_equal(study_toggle_mark(s, T0, &e), 0);
	assert_int_equal(study_next(s, T0, &c, &e), 0);
	assert_non_null(strstr(c->tags, " marked "));
	assert_int_equal(c->flag, 3);
	assert_int_equal(sql_int(f, "SELECT flag FROM cards WHERE id = 10"), 3);
	assert_int_equal(study_suspend(s, T0, &e), 0);
	assert_int_equal(next_id(s, T0), 20);
	assert_int_equal(study_bury(s, T0, &e), 0);
	assert_int_equal(next_id(s, T0), 0);
	assert_int_equal(sql_int(f, "SELECT suspended FROM cards WHERE id = 10"), 1);
	/* Custom study: 1 more new card, then a day ahead. */
	assert_int_equal(study_extend(s, 1, 0, T0, &e), 0);
	assert_int_equal(next_id(s, T0), 30);
	grade(s, GRADE_EASY, T0);
	assert_int_equal(next_id(s, T0), 0);
	assert_int_equal(study_extend(s, 0, 1, T0, &e), 0);
	assert_int_equal(next_id(s, T0), 40);
	grade(s, GRADE_GOOD, T0);
	assert_int_equal(sql_int(f, "SELECT kind FROM revlog WHERE card_id = 40"), 3);
	study_close(s);
	/* The next day: the buried card is back, the suspended one not. */
	s = open_study(f, d, T0 + DAY);
	assert_int_equal(next_id(s, T0 + DAY), 20);
	study_close(s);
	fx_free(f);
}

/* A bad preset is a clear error, naming the preset. */
static void
test_study_bad_config(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "B");
	struct deck_counts *c;
	size_t n;
	struct err e;

	(void)state;
	note(f, d, "b", 1);
	sql(f, "UPDATE deck_config SET fsrs_params = '1 2 3'");
	assert_null(study_open(f->db, d, T0, &e));
	assert_non_null(strstr(e.msg, "\"Default\""));
	assert_non_null(strstr(e.msg, "21"));
	/* The deck list still works: it needs only the limits. */
	assert_int_equal(study_deck_counts(f->db, T0, &c, &n, &e), 0);
	assert_int_equal(counts_of(c, n, "B")->new_count, 1);
	study_deck_counts_free(c, n);
	sql(f, "UPDATE deck_config SET fsrs_params = NULL, learning_steps = '1m 5q'");
	assert_null(study_open(f->db, d, T0, &e));
	assert_non_null(strstr(e.msg, "learning steps"));
	/* Custom parameters within bounds are used. */
	sql(f, "UPDATE deck_config SET learning_steps = '', fsrs_params = "
	    "'0.3,1,3.5,12,6.8,0.6,2.2,0.01,1.6,0.15,0.9,1.7,0.08,0.3,1.8,0.45,"
	    "2.5,0.6,0.2,0.1,0.35'");
	{
		struct study *s = open_study(f, d, T0);
		assert_int_equal(next_id(s, T0), 10);
		grade(s, GRADE_EASY, T0);
		study_close(s);
	}
	assert_int_equal(sql_int(f, "SELECT stability * 1000 FROM cards WHERE "
	    "id = 10"), 12000);
	assert_null(study_open(f->db, 999, T0, &e));
	/* A broken preset stops only the sessions that use it. */
	{
		int64_t x = deck(f, "X");
		struct study *s;
		sql(f, "INSERT INTO deck_config (id, name, fsrs_params) VALUES "
		    "(2, 'Broken', '1 2')");
		sql(f, "UPDATE decks SET config_id = 2 WHERE id = %lld", (long long)x);
		assert_null(study_open(f->db, x, T0, &e));
		assert_non_null(strstr(e.msg, "\"Broken\""));
		assert_null(study_open(f->db, 0, T0, &e));
		s = open_study(f, d, T0);
		study_close(s);
	}
	fx_free(f);
}

/* An empty deck; the deck list's learning and review counts; "next due"
 * when nothing will ever be due. */
static void
test_study_empty_and_counts(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "E"), sub = deck(f, "E::Sub");
	struct deck_counts *c;
	struct study *s;
	char labels[4][16];
	time_t when;
	size_t n;
	struct err e;

	(void)state;
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 0);
	remaining(s, 0, 0, 0);
	assert_int_equal(study_preview(s, T0, labels), -1);
	assert_string_equal(labels[0], "");
	study_close(s);
	assert_int_equal(study_next_due(f->db, d, T0, &when, &e), 1);

	note(f, sub, "l", 1);	/* 10: learning, due in 5 min */
	note(f, sub, "r", 1);	/* 20: review, due today */
	note(f, d, "i", 1);	/* 30: interday learning, due today */
	note(f, d, "s", 1);	/* 40: suspended */
	sql(f, "UPDATE cards SET state = 1, stability = 1, difficulty = 5, "
	    "last_review = %lld, due = %lld WHERE id = 10", (long long)T0,
	    (long long)(T0 + 5 * MIN));
	review(f, 20, 5, 5, 5);
	sql(f, "UPDATE cards SET state = 1, stability = 1, difficulty = 5, "
	    "scheduled_days = 1, last_review = %lld, due = %lld WHERE id = 30",
	    (long long)(T0 - DAY), (long long)T0);
	sql(f, "UPDATE cards SET suspended = 1 WHERE id = 40");
	assert_int_equal(study_deck_counts(f->db, T0, &c, &n, &e), 0);
	assert_int_equal(counts_of(c, n, "E")->new_count, 0);
	assert_int_equal(counts_of(c, n, "E")->learn_count, 2);
	assert_int_equal(counts_of(c, n, "E")->review_count, 1);
	assert_int_equal(counts_of(c, n, "E::Sub")->learn_count, 1);
	assert_int_equal(counts_of(c, n, "E::Sub")->review_count, 1);
	study_deck_counts_free(c, n);
	s = open_study(f, d, T0);
	remaining(s, 0, 2, 1);
	/* Interday learning first, then the review, then the step learned
	 * ahead (due in 5 minutes). */
	assert_int_equal(next_id(s, T0), 30);
	grade(s, GRADE_GOOD, T0);
	assert_int_equal(next_id(s, T0), 20);
	grade(s, GRADE_GOOD, T0);
	assert_int_equal(next_id(s, T0), 10);
	study_close(s);
	fx_free(f);
}

/* The card's scheduling columns and its review-log rows, as one string,
 * to compare before and after a refused undo. */
static void
card_and_log(struct fx *f, int64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%lld %lld %lld %lld %lld %lld",
	    sql_int(f, "SELECT state FROM cards WHERE id = %lld", (long long)id),
	    sql_int(f, "SELECT due FROM cards WHERE id = %lld", (long long)id),
	    sql_int(f, "SELECT reps FROM cards WHERE id = %lld", (long long)id),
	    sql_int(f, "SELECT flag FROM cards WHERE id = %lld", (long long)id),
	    sql_int(f, "SELECT count(*) FROM revlog WHERE card_id = %lld",
	    (long long)id),
	    sql_int(f, "SELECT coalesce(max(id), 0) FROM revlog WHERE "
	    "card_id = %lld", (long long)id));
}

static void
assert_check_ok(struct fx *f)
{
	char report[4096];
	struct err e;

	if (db_check(f->db, report, sizeof report, &e) != 0)
		fail_msg("check: %s%s", report, e.msg);
}

/*
 * Two sessions on one file, as two lemmas each with its own undo: A
 * grades a card, B grades it too, A undoes. A's undo restored the card as
 * it was before A's grade and dropped A's row, leaving B's grade in the
 * log of a new card; B's undo then left a Review card with no history.
 * Now an undo is refused, with nothing changed, once the card has changed
 * since its grade (by another session or anything else); the session's
 * own later changes to the card do not count.
 */
static void
test_study_undo_overtaken(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "W");
	char before[256], after[256];
	struct study *a, *b;
	struct db *db2;
	struct err e;

	(void)state;
	note(f, d, "w", 1);	/* 10 */
	note(f, d, "x", 1);	/* 20 */
	db2 = db_open(f->path, 0, &e);
	assert_non_null(db2);
	a = open_study(f, d, T0);
	b = study_open(db2, d, T0, &e);
	assert_non_null(b);
	assert_int_equal(next_id(a, T0), 10);
	assert_int_equal(next_id(b, T0), 10);
	grade(a, GRADE_GOOD, T0);
	grade(b, GRADE_EASY, T0 + 5);
	card_and_log(f, 10, before, sizeof before);
	err_clear(&e);
	assert_int_equal(study_undo(a, T0 + 10, &e), -1);
	assert_non_null(strstr(e.msg, "changed"));
	card_and_log(f, 10, after, sizeof after);
	assert_string_equal(after, before);
	assert_check_ok(f);
	/* Refused for good: it leaves A's undo list. */
	assert_int_equal(study_undo(a, T0 + 10, &e), 1);
	/* B's grade is the card's latest: B may take it back. */
	assert_int_equal(study_undo(b, T0 + 11, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog WHERE "
	    "card_id = 10"), 1);
	assert_check_ok(f);
	study_close(b);
	db_close(db2);
	study_close(a);

	/* Any change counts, made by any connection. */
	a = open_study(f, d, T0 + 20);
	while (next_id(a, T0 + 20) != 20)
		assert_int_equal(study_bury(a, T0 + 20, &e), 0);
	grade(a, GRADE_GOOD, T0 + 20);
	sql(f, "UPDATE cards SET flag = 3 WHERE id = 20");
	card_and_log(f, 20, before, sizeof before);
	assert_int_equal(study_undo(a, T0 + 30, &e), -1);
	card_and_log(f, 20, after, sizeof after);
	assert_string_equal(after, before);
	study_close(a);

	/* The session's own: a learning card graded twice and flagged in
	 * between, undone twice. */
	sql(f, "UPDATE cards SET state = 0, due = 0, reps = 0, stability = 0, "
	    "difficulty = 0, last_review = NULL, step = 0, flag = 0 WHERE id = 20");
	sql(f, "DELETE FROM revlog WHERE card_id = 20");
	sql(f, "UPDATE cards SET suspended = 1 WHERE id = 10");
	a = open_study(f, d, T0 + DAY);
	assert_int_equal(next_id(a, T0 + DAY), 20);
	grade(a, GRADE_AGAIN, T0 + DAY);
	assert_int_equal(next_id(a, T0 + DAY + 10 * MIN), 20);
	assert_int_equal(study_set_flag(a, 2, &e), 0);
	grade(a, GRADE_GOOD, T0 + DAY + 10 * MIN);
	assert_int_equal(study_undo(a, T0 + DAY + 11 * MIN, &e), 0);
	assert_int_equal(study_undo(a, T0 + DAY + 12 * MIN, &e), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog WHERE "
	    "card_id = 20"), 0);
	assert_int_equal(sql_int(f, "SELECT state FROM cards WHERE id = 20"), 0);
	assert_check_ok(f);
	study_close(a);
	fx_free(f);
}

/* lemma check: a card whose schedule is not what its last review-log row
 * left (or a studied card with no row at all) is what two sessions' undos
 * leave; lemma writes a row for every change of a schedule (grades,
 * resets), so check reports it. */
static void
test_study_check_card_log(void **state)
{
	struct fx *f = fx_new();
	int64_t d = deck(f, "K");
	char report[4096];
	struct study *s;
	struct err e;

	(void)state;
	note(f, d, "k", 1);	/* 10 */
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_EASY, T0);
	study_close(s);
	assert_check_ok(f);
	/* As A's undo left it: the card new again, B's row still there. */
	sql(f, "UPDATE cards SET state = 0, due = 0 WHERE id = 10");
	assert_int_equal(db_check(f->db, report, sizeof report, &e), 1);
	assert_non_null(strstr(report, "review log"));
	/* As B's undo left it: a studied card with no row. */
	sql(f, "UPDATE cards SET state = 2, due = %lld WHERE id = 10",
	    (long long)(T0 + 5 * DAY));
	sql(f, "DELETE FROM revlog WHERE card_id = 10");
	assert_int_equal(db_check(f->db, report, sizeof report, &e), 1);
	assert_non_null(strstr(report, "review log"));
	fx_free(f);
}

/* Migration 4 gives an old file cards.mod: every card at 0, the history
 * kept, and from then on any change of a card moves it on. (In a
 * directory of its own: the upgrade leaves a backup beside the file.) */
static void
test_study_mod_migration(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char dir[400], cmd[600];
	struct study *s;
	struct err e;
	int64_t d;

	(void)state;
	assert_non_null(f);
	snprintf(dir, sizeof dir, "%s/lemma-study-mig-XXXXXX",
	    paths_tmpdir());
	assert_non_null(mkdtemp(dir));
	snprintf(f->path, sizeof f->path, "%s/p.db", dir);
	f->db = fresh_db_open(f->path, &e);
	assert_non_null(f->db);
	assert_int_equal(sqlite3_open(f->path, &f->sql), SQLITE_OK);
	sqlite3_busy_timeout(f->sql, 5000);
	d = deck(f, "M");
	note(f, d, "m", 1);	/* 10 */
	s = open_study(f, d, T0);
	assert_int_equal(next_id(s, T0), 10);
	grade(s, GRADE_GOOD, T0);
	study_close(s);
	db_close(f->db);
	assert_int_equal(undo_to(f->sql, 3), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM pragma_table_info("
	    "'cards') WHERE name = 'mod'"), 0);
	f->db = db_open(f->path, 0, &e);
	if (f->db == NULL)
		fail_msg("db_open: %s", e.msg);
	assert_int_equal(sql_int(f, "PRAGMA user_version"), DB_SCHEMA_VERSION);
	assert_int_equal(sql_int(f, "SELECT mod FROM cards WHERE id = 10"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM revlog"), 1);
	assert_check_ok(f);
	sql(f, "UPDATE cards SET flag = 1 WHERE id = 10");
	assert_int_equal(sql_int(f, "SELECT mod FROM cards WHERE id = 10"), 1);
	sql(f, "UPDATE cards SET deck_id = deck_id WHERE id = 10");
	assert_int_equal(sql_int(f, "SELECT mod FROM cards WHERE id = 10"), 2);
	sqlite3_close(f->sql);
	db_close(f->db);
	free(f);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_study_format),
		cmocka_unit_test(test_study_new_limit),
		cmocka_unit_test(test_study_parent_limits),
		cmocka_unit_test(test_study_order),
		cmocka_unit_test(test_study_siblings),
		cmocka_unit_test(test_study_bury_kinds),
		cmocka_unit_test(test_study_orders),
		cmocka_unit_test(test_study_preset_limits),
		cmocka_unit_test(test_study_filtered),
		cmocka_unit_test(test_study_learning),
		cmocka_unit_test(test_study_midnight),
		cmocka_unit_test(test_study_undo),
		cmocka_unit_test(test_study_undo_overtaken),
		cmocka_unit_test(test_study_check_card_log),
		cmocka_unit_test(test_study_mod_migration),
		cmocka_unit_test(test_study_card_ops),
		cmocka_unit_test(test_study_bad_config),
		cmocka_unit_test(test_study_empty_and_counts),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
