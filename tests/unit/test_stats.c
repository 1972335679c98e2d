/*
 * test_stats.c - every statistics figure on small review logs whose
 * answers were worked out by hand: study days with the rollover hour, time
 * zones with DST and half-hour offsets, days with no reviews, a deck with
 * no reviews at all, sub-decks, and the pure helpers.
 *
 * Each test builds its own progress file with db_open(DB_CREATE) and writes
 * rows with plain SQL, as the scheduler would have left them.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/day.h"
#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"
#include "lemma/stats/stats-json.h"
#include "lemma/stats/stats-text.h"
#include "lemma/stats/stats.h"
#include "lemma/store/db.h"
#include "schema-undo.h"
#include "fresh-db.h"

/* The tests' clock: 2025-01-01 09:00 UTC, a Wednesday. */
#define NOW_UTC	"2025-01-01T09:00:00Z"

static char tmpdir[256];
static char path[512];
static sqlite3 *raw;
static int next_note = 1;

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-stats-XXXXXX",
	    paths_tmpdir());
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static time_t
at(const char *iso)
{
	time_t t;

	assert_int_equal(day_parse_time(iso, &t), 0);
	return t;
}

static void
sql(const char *fmt, ...)
{
	char *msg = NULL, *q;
	va_list ap;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_exec(raw, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_free(q);
}

/* A new progress file with decks "A", "A::B", "AB" and "C%_" (ids 1-4,
 * in that order) and a raw connection for writing rows. */
static void
fixture(const char *name)
{
	static const char *const decks[] = { "A", "A::B", "AB", "C%_" };
	struct db *db;
	struct err e;

	snprintf(path, sizeof path, "%s/%s.db", tmpdir, name);
	unlink(path);
	db = fresh_db_open(path, &e);
	assert_non_null(db);
	for (size_t i = 0; i < sizeof decks / sizeof decks[0]; i++)
		assert_true(db_deck_ensure(db, decks[i], 0, &e) > 0);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	next_note = 1;
}

static int64_t
deck(const char *name)
{
	sqlite3_stmt *st;
	int64_t id;

	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT id FROM decks WHERE "
	    "name = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

struct card_row {
	int		 id;
	const char	*deck;
	int		 state;
	time_t		 due;
	int		 sched;
	double		 stab, diff;
	time_t		 last;
	int		 suspended;
	long		 buried_until;
};

static void
add_card(const struct card_row *c)
{
	int note = next_note++;

	sql("INSERT INTO notes (id, guid, deck_id, fields, sort_field, created,"
	    " modified) VALUES (%d, 'g%d', %lld, 'f', 'f', 0, 0)", note, note,
	    (long long)deck(c->deck));
	sql("INSERT INTO cards (id, note_id, ord, deck_id, state, due,"
	    " scheduled_days, stability, difficulty, last_review, suspended,"
	    " buried_until, created, modified) VALUES (%d, %d, 0, %lld, %d,"
	    " %lld, %d, %.17g, %.17g, nullif(%lld, 0), %d, %ld, 0, 0)", c->id,
	    note, (long long)deck(c->deck), c->state, (long long)c->due,
	    c->sched, c->stab, c->diff, (long long)c->last, c->suspended,
	    c->buried_until);
}

/* A plain review card in deck d, for rows that only need a card. */
static void
add_cards(const char *d, int from, int to)
{
	for (int i = from; i <= to; i++) {
		struct card_row c = { i, d, 2, 0, 10, 10, 5, 0, 0, 0 };
		add_card(&c);
	}
}

struct review_row {
	const char	*when;		/* ISO time for day_parse_time */
	int		 card;
	int		 kind;
	int		 rating;
	int		 prev_sched;
	int		 answer_ms;
	double		 elapsed;
	double		 prev_stab;
};

static void
add_review(const struct review_row *r)
{
	static int ms = 0;

	/* A different millisecond each, so two rows never share an id. */
	sql("INSERT INTO revlog (id, card_id, rating, kind, state, elapsed_days,"
	    " answer_ms, prev_scheduled_days, prev_stability) VALUES"
	    " (%lld, %d, %d, %d, 2, %.17g, %d, %d, %.17g)",
	    (long long)at(r->when) * 1000 + (ms++ % 1000), r->card, r->rating,
	    r->kind, r->elapsed, r->answer_ms, r->prev_sched, r->prev_stab);
}

static void
add_reviews(const struct review_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add_review(&r[i]);
}

static void
compute(const char *d, enum stats_period p, time_t now, struct stats *s)
{
	struct stats_opts o = { d, p };
	struct err e;
	struct db *db;

	err_clear(&e);
	db = db_open(path, DB_READONLY, &e);
	assert_non_null(db);
	if (stats_compute(db, &o, now, s, &e) < 0)
		fail_msg("stats_compute: %s", e.msg);
	db_close(db);
}

static void
done(void)
{
	sqlite3_close(raw);
	raw = NULL;
}

static void
assert_pass(const struct stats_pass *p, int64_t pass, int64_t fail)
{
	assert_int_equal(p->pass, pass);
	assert_int_equal(p->fail, fail);
}

/* ---- the pure helpers ------------------------------------------------- */

static void
test_helpers(void **state)
{
	static const struct { double days; int bin; } logs[] = {
		{ 0, 0 }, { 1, 0 }, { 1.4, 0 }, { 1.6, 1 }, { 3, 1 }, { 4, 2 },
		{ 7, 2 }, { 8, 3 }, { 14, 3 }, { 15, 4 }, { 30, 4 }, { 31, 5 },
		{ 90, 5 }, { 91, 6 }, { 180, 6 }, { 181, 7 }, { 365, 7 },
		{ 366, 8 }, { 36500, 8 },
	};
	static const struct { double x; int bin; } diffs[] = {
		{ 1, 0 }, { 1.8, 0 }, { 1.9, 1 }, { 5.5, 5 }, { 9.99, 9 },
		{ 10, 9 }, { 0, 0 },
	};
	static const struct { double x; int bin; } rs[] = {
		{ 0, 0 }, { 0.05, 0 }, { 0.1, 1 }, { 0.85, 8 }, { 0.9, 9 },
		{ 1, 9 }, { NAN, 0 },
	};
	static const struct { const char *in; int ok; enum stats_period p; }
	    periods[] = {
		{ "1m", 1, STATS_MONTH }, { "month", 1, STATS_MONTH },
		{ "1y", 1, STATS_YEAR }, { "year", 1, STATS_YEAR },
		{ "all", 1, STATS_ALL }, { "1w", 0, STATS_ALL }, { "", 0, STATS_ALL },
	};
	struct stats_pass none = { 0, 0 }, some = { 3, 1 };
	enum stats_period p;

	(void)state;
	for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++)
		assert_int_equal(stats_log_bin(logs[i].days), logs[i].bin);
	assert_string_equal(stats_log_bin_label(0), "1d");
	assert_string_equal(stats_log_bin_label(8), "1y+");
	assert_string_equal(stats_log_bin_label(9), "");
	for (size_t i = 0; i < sizeof diffs / sizeof diffs[0]; i++)
		assert_int_equal(stats_difficulty_bin(diffs[i].x), diffs[i].bin);
	for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
		assert_int_equal(stats_r_bin(rs[i].x), rs[i].bin);
	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		assert_int_equal(stats_period_parse(periods[i].in, &p),
		    periods[i].ok ? 0 : -1);
		if (periods[i].ok) {
			assert_int_equal(p, periods[i].p);
			assert_int_equal(stats_period_parse(
			    stats_period_name(p), &p), 0);
			assert_int_equal(p, periods[i].p);
		}
	}
	assert_true(isnan(stats_pass_rate(&none)));
	assert_true(fabs(stats_pass_rate(&some) - 0.75) < 1e-12);
	/* 1970-01-01 was a Thursday; 2025-01-01 (day 20089) a Wednesday. */
	assert_int_equal(stats_weekday(0), 3);
	assert_int_equal(stats_weekday(20089), 2);
	assert_int_equal(stats_weekday(-1), 2);
}

static void
test_streaks(void **state)
{
	static const struct {
		const char	*days;	/* '1' = grades that day; today last */
		long		 current, longest;
	} cases[] = {
		{ "", 0, 0 },
		{ "0", 0, 0 },
		{ "1", 1, 1 },
		{ "10", 1, 1 },		/* today not studied yet: yesterday counts */
		{ "100", 0, 1 },	/* but not two days back */
		{ "1110111", 3, 3 },
		{ "1111011", 2, 4 },
		{ "11110110", 2, 4 },
		{ "0000000", 0, 0 },
		{ "1111111", 7, 7 },
	};
	unsigned char has[16];
	long cur, best;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].days);
		for (size_t j = 0; j < n; j++)
			has[j] = cases[i].days[j] == '1';
		stats_streaks(has, n, &cur, &best);
		assert_int_equal(cur, cases[i].current);
		assert_int_equal(best, cases[i].longest);
	}
}

/* ---- the review log ----------------------------------------------------- */

/*
 * One log, every period: the figures that do not depend on the period must
 * come out the same whichever way they are computed (from the days of the
 * period or by the year's range query). UTC, rollover 4, now 2025-01-01
 * 09:00, so today began at 04:00 and yesterday at 2024-12-31 04:00.
 */
static const struct review_row log_main[] = {
	/* today: a mature pass, a young fail, two learning steps, a review
	 * ahead of time (counted as a review, not in true retention), and a
	 * manual reschedule (not a grade at all) */
	{ "2025-01-01T08:00:00Z", 1, 1, 3, 30, 5000, 30, 30 },
	{ "2025-01-01T05:00:00Z", 2, 1, 1, 10, 3000, 10, 10 },
	{ "2025-01-01T04:30:00Z", 3, 0, 3, 0, 2000, 0, 0 },
	{ "2025-01-01T04:40:00Z", 3, 0, 3, 0, 1000, 0, 0 },
	{ "2025-01-01T06:00:00Z", 10, 3, 3, 30, 4000, 20, 30 },
	{ "2025-01-01T07:00:00Z", 11, 4, 0, 0, 0, 0, 0 },
	/* 03:59 today is yesterday's study day */
	{ "2025-01-01T03:59:00Z", 4, 1, 3, 5, 1000, 5, 5 },
	{ "2024-12-31T10:00:00Z", 5, 1, 1, 40, 1000, 40, 40 },
	/* a relearning step yesterday */
	{ "2024-12-31T10:10:00Z", 5, 2, 3, 40, 500, 0, 8 },
	{ "2024-12-27T12:00:00Z", 6, 1, 4, 25, 1000, 25, 25 },	/* 5 days ago */
	{ "2024-12-12T12:00:00Z", 7, 1, 2, 3, 1000, 3, 3 },	/* 20 days ago */
	{ "2024-09-23T12:00:00Z", 8, 1, 1, 50, 1000, 50, 50 },	/* 100 days ago */
	{ "2023-11-28T12:00:00Z", 9, 1, 3, 10, 1000, 10, 10 },	/* 400 days ago */
};

static void
test_log_figures(void **state)
{
	static const enum stats_period periods[] = {
		STATS_MONTH, STATS_YEAR, STATS_ALL
	};
	time_t now;

	(void)state;
	set_tz("UTC");
	fixture("main");
	add_cards("A", 1, 11);
	add_reviews(log_main, sizeof log_main / sizeof log_main[0]);
	done();
	now = at(NOW_UTC);

	for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
		struct stats s;
		const struct stats_today *t = &s.today_figures;
		const struct stats_day *today, *yday;

		compute(NULL, periods[i], now, &s);
		assert_int_equal(s.today, day_number(now, 4));
		assert_int_equal(s.rollover_hour, 4);
		assert_true(fabs(s.desired_retention - 0.9) < 1e-9);
		switch (periods[i]) {
		case STATS_MONTH:
			assert_int_equal(s.ndays, 30);
			assert_int_equal(s.nweeks, 5);
			assert_int_equal(s.ndue, 30);
			break;
		case STATS_YEAR:
			assert_int_equal(s.ndays, 365);
			assert_int_equal(s.nweeks, 53);
			assert_int_equal(s.ndue, 365);
			break;
		case STATS_ALL:
			/* 2023-11-28 to 2025-01-01: 401 study days */
			assert_int_equal(s.ndays, 401);
			assert_int_equal(s.nweeks, 58);
			break;
		}

		/* Today */
		assert_int_equal(t->reviews, 5);
		assert_int_equal(t->cards, 4);
		assert_int_equal(t->again, 1);
		assert_int_equal(t->time_ms, 15000);
		assert_int_equal(t->by_kind[STATS_LEARN], 2);
		assert_int_equal(t->by_kind[STATS_YOUNG], 1);
		assert_int_equal(t->by_kind[STATS_MATURE], 2);
		assert_int_equal(t->by_kind[STATS_RELEARN], 0);
		assert_pass(&t->young, 0, 1);
		assert_pass(&t->mature, 1, 0);

		/* True retention, young and mature, per span */
		assert_pass(&s.young[STATS_SPAN_TODAY], 0, 1);
		assert_pass(&s.mature[STATS_SPAN_TODAY], 1, 0);
		assert_pass(&s.young[STATS_SPAN_YESTERDAY], 1, 0);
		assert_pass(&s.mature[STATS_SPAN_YESTERDAY], 0, 1);
		assert_pass(&s.young[STATS_SPAN_WEEK], 1, 1);
		assert_pass(&s.mature[STATS_SPAN_WEEK], 2, 1);
		assert_pass(&s.young[STATS_SPAN_MONTH], 2, 1);
		assert_pass(&s.mature[STATS_SPAN_MONTH], 2, 1);
		assert_pass(&s.young[STATS_SPAN_YEAR], 2, 1);
		assert_pass(&s.mature[STATS_SPAN_YEAR], 2, 2);

		/* Reviews per day: the last two days of the period */
		today = &s.days[s.ndays - 1];
		yday = &s.days[s.ndays - 2];
		assert_int_equal(stats_day_total(today), 5);
		assert_int_equal(today->time_ms, 15000);
		assert_int_equal(today->again, 1);
		assert_int_equal(yday->count[STATS_YOUNG], 1);
		assert_int_equal(yday->count[STATS_MATURE], 1);
		assert_int_equal(yday->count[STATS_RELEARN], 1);
		assert_int_equal(yday->time_ms, 2500);
		assert_int_equal(stats_day_total(&s.days[s.ndays - 3]), 0);
		assert_int_equal(stats_day_total(&s.days[s.ndays - 6]), 1);

		/* Calendar: a year, today last, days without grades 0 */
		assert_int_equal(s.calendar[364], 5);
		assert_int_equal(s.calendar[363], 3);
		assert_int_equal(s.calendar[362], 0);
		assert_int_equal(s.calendar[359], 1);
		assert_int_equal(s.calendar[344], 1);
		assert_int_equal(s.calendar[264], 1);
		assert_int_equal(s.calendar[0], 0);
		/* 2025-01-01 is a Wednesday, so 364 days before was one too */
		assert_int_equal(s.calendar_first_weekday, 2);
		assert_int_equal(s.days_studied, 6);
		assert_int_equal(s.streak_current, 2);
		assert_int_equal(s.streak_longest, 2);

		/* Retention per week: the last week (today and the 6 days
		 * before) holds the week span's review-kind rows. */
		assert_pass(&s.weeks[s.nweeks - 1].review, 3, 2);
		assert_int_equal(s.weeks[s.nweeks - 2].review.pass, 0);
		assert_int_equal(s.weeks[s.nweeks - 3].review.pass, 1);

		/* Answer buttons over the period: learn = learning and
		 * relearning; young/mature by the interval before the grade. */
		assert_int_equal(s.buttons[STATS_BUTTON_LEARN][0], 0);
		assert_int_equal(s.buttons[STATS_BUTTON_LEARN][2], 3);
		assert_int_equal(s.buttons[STATS_BUTTON_YOUNG][0], 1);
		assert_int_equal(s.buttons[STATS_BUTTON_YOUNG][1], 1);
		/* 400 days ago only in "all"; 100 days ago not in "1m" */
		assert_int_equal(s.buttons[STATS_BUTTON_YOUNG][2],
		    periods[i] == STATS_ALL ? 2 : 1);
		assert_int_equal(s.buttons[STATS_BUTTON_MATURE][0],
		    periods[i] == STATS_MONTH ? 1 : 2);
		assert_int_equal(s.buttons[STATS_BUTTON_MATURE][1], 0);
		assert_int_equal(s.buttons[STATS_BUTTON_MATURE][2], 2);
		assert_int_equal(s.buttons[STATS_BUTTON_MATURE][3], 1);

		/* Hours (UTC): 03:59, 04:30, 04:40, 05:00, 06:00, 08:00 today;
		 * 10:00, 10:10 yesterday; 12:00 on older days. */
		assert_int_equal(s.hours[3].count, 1);
		assert_int_equal(s.hours[4].count, 2);
		assert_int_equal(s.hours[5].count, 1);
		assert_int_equal(s.hours[5].pass, 0);
		assert_int_equal(s.hours[7].count, 0);	/* the manual row */
		assert_int_equal(s.hours[10].count, 2);
		assert_int_equal(s.hours[10].pass, 1);
		assert_int_equal(s.hours[12].count,
		    periods[i] == STATS_MONTH ? 2 : periods[i] == STATS_YEAR ?
		    3 : 4);
		stats_free(&s);
	}
}

/* The rollover hour comes from the deck's preset: at 0, 03:59 is today. */
static void
test_rollover_hour(void **state)
{
	static const struct { int hour; int64_t today, yesterday; } cases[] = {
		{ 4, 5, 3 },
		{ 0, 6, 2 },
		/* at 06:00 only the 06:00 and 08:00 grades are today's */
		{ 6, 2, 6 },
	};
	time_t now;

	(void)state;
	set_tz("UTC");
	fixture("rollover");
	add_cards("A", 1, 11);
	add_reviews(log_main, sizeof log_main / sizeof log_main[0]);
	now = at(NOW_UTC);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct stats s;

		sql("UPDATE deck_config SET rollover_hour = %d", cases[i].hour);
		compute("A", STATS_MONTH, now, &s);
		assert_int_equal(s.rollover_hour, cases[i].hour);
		assert_int_equal(s.today_figures.reviews, cases[i].today);
		assert_int_equal(s.calendar[364], cases[i].today);
		assert_int_equal(s.calendar[363], cases[i].yesterday);
		assert_int_equal(stats_day_total(&s.days[29]), cases[i].today);
		stats_free(&s);
	}
	done();
}

/*
 * New York, the day after DST began (2025-03-09 02:00 EST -> 03:00 EDT),
 * rollover 4. The grades' study days and local hours must follow the
 * clock on the wall, not a fixed offset.
 */
static void
test_time_zone_dst(void **state)
{
	static const struct review_row rows[] = {
		/* 03:30 EDT on the 9th: before 04:00, so the 8th's */
		{ "2025-03-09T03:30:00-04:00", 1, 1, 3, 5, 1000, 5, 5 },
		{ "2025-03-09T04:10:00-04:00", 2, 1, 3, 5, 1000, 5, 5 },
		{ "2025-03-10T03:59:00-04:00", 3, 1, 1, 5, 1000, 5, 5 },
		{ "2025-03-10T04:00:00-04:00", 4, 1, 3, 5, 1000, 5, 5 },
		/* before DST: 10:00 EST, local hour 10 (not 11) */
		{ "2025-03-01T10:00:00-05:00", 5, 1, 3, 5, 1000, 5, 5 },
		/* 01:30 EST on the 9th, before the jump: the 8th's day */
		{ "2025-03-09T01:30:00-05:00", 6, 0, 3, 0, 1000, 0, 0 },
	};
	struct stats s;

	(void)state;
	set_tz("EST5EDT,M3.2.0,M11.1.0");
	fixture("dst");
	add_cards("A", 1, 6);
	add_reviews(rows, sizeof rows / sizeof rows[0]);
	done();
	compute(NULL, STATS_MONTH, at("2025-03-10T12:00:00-04:00"), &s);
	assert_int_equal(s.today_figures.reviews, 1);
	assert_int_equal(s.calendar[364], 1);	/* the 10th */
	assert_int_equal(s.calendar[363], 2);	/* the 9th: 04:10, 03:59 next day */
	assert_int_equal(s.calendar[362], 2);	/* the 8th: 01:30 EST, 03:30 EDT */
	assert_int_equal(s.calendar[355], 1);	/* the 1st */
	assert_int_equal(s.hours[1].count, 1);
	assert_int_equal(s.hours[3].count, 2);
	assert_int_equal(s.hours[3].pass, 1);
	assert_int_equal(s.hours[4].count, 2);
	assert_int_equal(s.hours[10].count, 1);
	assert_int_equal(s.hours[11].count, 0);
	assert_int_equal(s.streak_current, 3);
	assert_int_equal(s.streak_longest, 3);
	stats_free(&s);
}

/* India, UTC+05:30: the hour and the day follow the half-hour offset. */
static void
test_time_zone_half_hour(void **state)
{
	static const struct review_row rows[] = {
		{ "2025-01-01T03:45:00+05:30", 1, 1, 3, 5, 1000, 5, 5 },
		{ "2025-01-01T04:15:00+05:30", 2, 1, 3, 5, 1000, 5, 5 },
		{ "2025-01-01T23:59:00+05:30", 3, 1, 3, 5, 1000, 5, 5 },
	};
	struct stats s;

	(void)state;
	set_tz("IST-5:30");
	fixture("ist");
	add_cards("A", 1, 3);
	add_reviews(rows, sizeof rows / sizeof rows[0]);
	done();
	compute(NULL, STATS_MONTH, at("2025-01-02T01:00:00+05:30"), &s);
	/* now is 01:00 on the 2nd, before rollover: still the 1st's day */
	assert_int_equal(s.today_figures.reviews, 2);
	assert_int_equal(s.calendar[363], 1);
	assert_int_equal(s.hours[3].count, 1);
	assert_int_equal(s.hours[4].count, 1);
	assert_int_equal(s.hours[23].count, 1);
	stats_free(&s);
}

/* Days without reviews are zeros; weeks without review-kind grades have
 * no retention; streaks across gaps, and before the calendar's year. */
static void
test_gaps_and_streaks(void **state)
{
	static const char *const days[] = {
		/* 4 consecutive days ending 3 days ago, 2 ending 9 days ago */
		"2024-12-29T12:00:00Z", "2024-12-28T12:00:00Z",
		"2024-12-27T12:00:00Z", "2024-12-26T12:00:00Z",
		"2024-12-23T12:00:00Z", "2024-12-22T12:00:00Z",
		/* 5 consecutive days well before the calendar's year */
		"2023-06-01T12:00:00Z", "2023-06-02T12:00:00Z",
		"2023-06-03T12:00:00Z", "2023-06-04T12:00:00Z",
		"2023-06-05T12:00:00Z",
	};
	static const struct { enum stats_period p; long longest; } cases[] = {
		{ STATS_MONTH, 5 }, { STATS_YEAR, 5 }, { STATS_ALL, 5 },
	};

	(void)state;
	set_tz("UTC");
	fixture("gaps");
	add_cards("A", 1, 1);
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct review_row r = { days[i], 1, 0, 3, 0, 1000, 0, 0 };
		add_review(&r);
	}
	done();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct stats s;

		compute(NULL, cases[i].p, at(NOW_UTC), &s);
		assert_int_equal(s.streak_current, 0);
		assert_int_equal(s.streak_longest, cases[i].longest);
		assert_int_equal(s.days_studied, 11);
		assert_int_equal(stats_day_total(&s.days[s.ndays - 1]), 0);
		assert_int_equal(stats_day_total(&s.days[s.ndays - 4]), 1);
		assert_int_equal(stats_day_total(&s.days[s.ndays - 8]), 0);
		assert_int_equal(s.today_figures.reviews, 0);
		assert_int_equal(s.today_figures.cards, 0);
		/* learning rows only: no week has a retention */
		for (size_t w = 0; w < s.nweeks; w++)
			assert_true(isnan(stats_pass_rate(&s.weeks[w].review)));
		stats_free(&s);
	}
}

/* A review at 2025-01-02 after a day off: the streak runs to yesterday. */
static void
test_streak_today_pending(void **state)
{
	static const struct review_row rows[] = {
		{ "2024-12-31T12:00:00Z", 1, 0, 3, 0, 1000, 0, 0 },
		{ "2024-12-30T12:00:00Z", 1, 0, 3, 0, 1000, 0, 0 },
		{ "2024-12-29T12:00:00Z", 1, 0, 3, 0, 1000, 0, 0 },
	};
	struct stats s;

	(void)state;
	set_tz("UTC");
	fixture("pending");
	add_cards("A", 1, 1);
	add_reviews(rows, sizeof rows / sizeof rows[0]);
	done();
	compute(NULL, STATS_MONTH, at(NOW_UTC), &s);
	assert_int_equal(s.streak_current, 3);
	assert_int_equal(s.streak_longest, 3);
	stats_free(&s);
}

/* FSRS's predicted retrievability beside the measured retention: R(t, S)
 * is 0.9 at t = S and 1 at t = 0, so two grades average 0.95. */
static void
test_predicted_retention(void **state)
{
	static const struct review_row rows[] = {
		{ "2025-01-01T08:00:00Z", 1, 1, 3, 10, 1000, 10, 10 },
		{ "2024-12-31T08:00:00Z", 2, 1, 1, 10, 1000, 0, 10 },
		/* no memory state: not predicted */
		{ "2024-12-30T08:00:00Z", 3, 1, 3, 10, 1000, 3, 0 },
		/* learning: never predicted */
		{ "2024-12-30T09:00:00Z", 3, 0, 3, 0, 1000, 3, 5 },
		/* three weeks back: 25 days at stability 25 */
		{ "2024-12-10T08:00:00Z", 4, 1, 3, 25, 1000, 25, 25 },
	};
	struct stats s;
	struct fsrs_params p;

	(void)state;
	set_tz("UTC");
	fixture("predicted");
	add_cards("A", 1, 4);
	add_reviews(rows, sizeof rows / sizeof rows[0]);
	done();
	compute(NULL, STATS_MONTH, at(NOW_UTC), &s);
	fsrs_params_default(&p);
	assert_int_equal(s.weeks[4].predicted_n, 2);
	assert_true(fabs(s.weeks[4].predicted_sum - 1.9) < 1e-6);
	assert_pass(&s.weeks[4].review, 2, 1);
	assert_int_equal(s.weeks[1].predicted_n, 1);
	assert_true(fabs(s.weeks[1].predicted_sum -
	    fsrs_retrievability(&p, 25, 25)) < 1e-9);
	assert_int_equal(s.weeks[2].predicted_n, 0);
	assert_true(isnan(stats_pass_rate(&s.weeks[2].review)));
	stats_free(&s);
}

/* Card counts, the forecast, the backlog and every histogram. */
static void
test_cards(void **state)
{
	time_t now;
	struct card_row cards[9];
	struct stats s;
	struct fsrs_params p;
	long today;
	int64_t want_r[STATS_NR_BINS] = { 0 };
	double r_sum = 0;
	int r_n = 0;

	(void)state;
	set_tz("UTC");
	fixture("cards");
	now = at(NOW_UTC);
	today = day_number(now, 4);
	{
		const struct card_row c[] = {
			/* id deck state due sched stab diff last susp buried */
			{ 1, "A", 0, 0, 0, 0, 0, 0, 0, 0 },
			{ 2, "A", 1, now + 600, 0, 0.5, 5, now - 60, 0, 0 },
			{ 3, "A", 3, now + 300, 2, 1.5, 7, now - 300, 0, 0 },
			{ 4, "A::B", 2, now + 3 * 86400, 5, 5, 5, now - 2 * 86400, 0, 0 },
			{ 5, "A::B", 2, now - 3 * 86400, 30, 30, 2, now - 33 * 86400, 0, 0 },
			{ 6, "A", 2, now + 86400, 100, 100, 10, now - 99 * 86400, 1, 0 },
			{ 7, "A", 0, 0, 0, 0, 0, 0, 0, today + 1 },
			{ 8, "A", 0, 0, 0, 0, 0, 0, 0, today },
			/* another deck: never in deck A's figures */
			{ 9, "AB", 2, now, 50, 50, 5, now - 50 * 86400, 0, 0 },
		};
		memcpy(cards, c, sizeof cards);
	}
	for (size_t i = 0; i < 9; i++)
		add_card(&cards[i]);
	done();
	compute("A", STATS_MONTH, now, &s);

	assert_int_equal(s.counts.total, 8);
	assert_int_equal(s.counts.new_count, 2);
	assert_int_equal(s.counts.learning, 1);
	assert_int_equal(s.counts.relearning, 1);
	assert_int_equal(s.counts.young, 1);
	assert_int_equal(s.counts.mature, 1);
	assert_int_equal(s.counts.suspended, 1);
	assert_int_equal(s.counts.buried, 1);

	/* forecast: learning and relearning today, the young card in 3 days,
	 * the mature one overdue; the suspended card is not counted */
	assert_int_equal(s.ndue, 30);
	assert_int_equal(s.due[0], 2);
	assert_int_equal(s.due[1], 0);
	assert_int_equal(s.due[3], 1);
	assert_int_equal(s.overdue, 1);
	assert_true(fabs(s.daily_load - (1.0 / 2 + 1.0 / 5 + 1.0 / 30)) < 1e-9);

	/* intervals of review and relearning cards, suspended included */
	assert_int_equal(s.intervals[1], 1);	/* 2 */
	assert_int_equal(s.intervals[2], 1);	/* 5 */
	assert_int_equal(s.intervals[4], 1);	/* 30 */
	assert_int_equal(s.intervals[6], 1);	/* 100 */
	assert_int_equal(s.intervals[0] + s.intervals[3] + s.intervals[5] +
	    s.intervals[7] + s.intervals[8], 0);
	assert_true(fabs(s.mean_interval - (2 + 5 + 30 + 100) / 4.0) < 1e-9);

	/* stability 0.5, 1.5, 5, 30, 100 */
	assert_int_equal(s.stability[0], 1);
	assert_int_equal(s.stability[1], 1);
	assert_int_equal(s.stability[2], 1);
	assert_int_equal(s.stability[4], 1);
	assert_int_equal(s.stability[6], 1);
	/* difficulty 5, 7, 5, 2, 10 as (D - 1) / 9 */
	assert_int_equal(s.difficulty[4], 2);
	assert_int_equal(s.difficulty[6], 1);
	assert_int_equal(s.difficulty[1], 1);
	assert_int_equal(s.difficulty[9], 1);

	/* retrievability now, from the default weights */
	fsrs_params_default(&p);
	for (size_t i = 1; i < 6; i++) {
		double r = fsrs_retrievability(&p,
		    (double)(now - cards[i].last) / 86400.0, cards[i].stab);
		want_r[stats_r_bin(r)]++;
		r_sum += r;
		r_n++;
	}
	for (int b = 0; b < STATS_NR_BINS; b++)
		assert_int_equal(s.retrievability[b], want_r[b]);
	assert_true(fabs(s.mean_retrievability - r_sum / r_n) < 1e-9);
	/* the mature card, 33 days at stability 30: just under 90% */
	assert_int_equal(stats_r_bin(fsrs_retrievability(&p, 33, 30)), 8);
	stats_free(&s);
}

/* A deck is itself and its sub-decks, never a deck that only starts with
 * its name; names with LIKE's wildcards match only themselves. */
/* An empty card (a cloze number gone from its note, issue 14) is never
 * studied: the card counts and the forecast leave it out. */
static void
test_empty_cards(void **state)
{
	struct stats s;
	time_t now;

	(void)state;
	set_tz("UTC");
	fixture("empty");
	now = at(NOW_UTC);
	{
		const struct card_row c[] = {
			/* id deck state due sched stab diff last susp buried */
			{ 1, "A", 0, 0, 0, 0, 0, 0, 0, 0 },
			{ 2, "A", 2, now - 3 * 86400, 30, 30, 2, now - 33 * 86400,
			    0, 0 },
			{ 3, "A", 0, 0, 0, 0, 0, 0, 0, 0 },
			{ 4, "A", 2, now - 3 * 86400, 30, 30, 2, now - 33 * 86400,
			    0, 0 },
		};
		for (size_t i = 0; i < 4; i++)
			add_card(&c[i]);
	}
	sql("UPDATE cards SET empty = 1 WHERE id IN (3, 4)");
	done();
	compute("A", STATS_MONTH, now, &s);
	assert_int_equal(s.counts.total, 2);
	assert_int_equal(s.counts.new_count, 1);
	assert_int_equal(s.counts.mature, 1);
	assert_int_equal(s.overdue, 1);
	stats_free(&s);
}

static void
test_deck_scope(void **state)
{
	static const struct review_row rows[] = {
		{ "2025-01-01T08:00:00Z", 1, 1, 3, 5, 1000, 5, 5 },	/* A */
		{ "2025-01-01T08:01:00Z", 2, 1, 3, 5, 1000, 5, 5 },	/* A::B */
		{ "2025-01-01T08:02:00Z", 3, 1, 3, 5, 1000, 5, 5 },	/* AB */
		{ "2025-01-01T08:03:00Z", 4, 1, 3, 5, 1000, 5, 5 },	/* C%_ */
		/* a deleted card: only the collection sees it */
		{ "2025-01-01T08:04:00Z", 99, 1, 3, 5, 1000, 5, 5 },
	};
	static const struct { const char *deck; int64_t reviews, cards; } cases[] = {
		{ NULL, 5, 4 }, { "", 5, 4 }, { "A", 2, 2 }, { "A::B", 1, 1 },
		{ "AB", 1, 1 }, { "C%_", 1, 1 },
	};
	time_t now = at(NOW_UTC);

	(void)state;
	set_tz("UTC");
	fixture("scope");
	add_cards("A", 1, 1);
	add_cards("A::B", 2, 2);
	add_cards("AB", 3, 3);
	add_cards("C%_", 4, 4);
	add_reviews(rows, sizeof rows / sizeof rows[0]);
	done();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct stats s;

		compute(cases[i].deck, STATS_MONTH, now, &s);
		assert_int_equal(s.today_figures.reviews, cases[i].reviews);
		assert_int_equal(s.counts.total, cases[i].cards);
		assert_int_equal(s.streak_current, 1);
		if (cases[i].deck == NULL || *cases[i].deck == '\0')
			assert_null(s.deck);
		else
			assert_string_equal(s.deck, cases[i].deck);
		stats_free(&s);
	}
}

/* A deck with no reviews, an empty collection, and a deck that is not
 * there. */
static void
test_nothing(void **state)
{
	static const char *const scopes[] = { "A::B", NULL };
	static const enum stats_period periods[] = {
		STATS_MONTH, STATS_YEAR, STATS_ALL
	};
	struct stats_opts o = { "Nope", STATS_MONTH };
	struct stats s;
	struct err e;
	struct db *db;

	(void)state;
	set_tz("UTC");
	fixture("nothing");
	done();
	for (size_t i = 0; i < 2; i++) {
		for (size_t j = 0; j < 3; j++) {
			compute(scopes[i], periods[j], at(NOW_UTC), &s);
			assert_int_equal(s.today_figures.reviews, 0);
			assert_int_equal(s.days_studied, 0);
			assert_int_equal(s.streak_current, 0);
			assert_int_equal(s.streak_longest, 0);
			assert_int_equal(s.counts.total, 0);
			assert_int_equal(s.overdue, 0);
			assert_true(isnan(s.mean_retrievability));
			assert_true(isnan(s.mean_interval));
			assert_true(isnan(stats_pass_rate(&s.young[STATS_SPAN_YEAR])));
			assert_int_equal(s.ndays, periods[j] == STATS_YEAR ? 365 : 30);
			for (size_t d = 0; d < s.ndays; d++)
				assert_int_equal(stats_day_total(&s.days[d]), 0);
			for (int h = 0; h < 24; h++)
				assert_int_equal(s.hours[h].count, 0);
			stats_free(&s);
		}
	}
	db = db_open(path, DB_READONLY, &e);
	assert_non_null(db);
	assert_int_equal(stats_compute(db, &o, at(NOW_UTC), &s, &e), -1);
	assert_non_null(strstr(e.msg, "Nope"));
	stats_free(&s);
	db_close(db);
}

/* A clock beyond year 9999 is refused with an error, not followed: with
 * one grade in 2025 and now near the end of time_t, "all" asked for
 * 644 GB of days. */
static void
test_now_out_of_range(void **state)
{
	static const struct review_row r = { NOW_UTC, 1, 1, 3, 0, 1000, 0, 0 };
	static const time_t far[] = { 253402300800LL, 9223372036854775807LL,
	    -62167219201LL };
	struct stats_opts o = { NULL, STATS_ALL };
	struct stats s;
	struct err e;
	struct db *db;

	(void)state;
	set_tz("UTC");
	fixture("far");
	add_cards("A", 1, 1);
	add_review(&r);
	db = db_open(path, DB_READONLY, &e);
	assert_non_null(db);
	for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
		err_clear(&e);
		assert_int_equal(stats_compute(db, &o, far[i], &s, &e), -1);
		assert_non_null(strstr(e.msg, "9999"));
		stats_free(&s);
	}
	/* The last second of 9999 is a time like any other. (Its streaks
	 * walk 2.9 million days from the grade in 2025: two minutes under
	 * valgrind, which the refusals above cover for memory errors.) */
	if (getenv("LEMMA_UNDER_VALGRIND") == NULL) {
		assert_int_equal(stats_compute(db, &o, 253402300799LL, &s, &e),
		    0);
		assert_int_equal(s.counts.total, 1);
		stats_free(&s);
	}
	db_close(db);
	done();
}

/* The index changes the plan, never the figures. */
static void
test_with_index(void **state)
{
	struct stats a, b;
	struct db *db;
	struct err e;
	time_t now = at(NOW_UTC);

	(void)state;
	set_tz("UTC");
	fixture("index");
	add_cards("A", 1, 11);
	add_reviews(log_main, sizeof log_main / sizeof log_main[0]);
	done();
	compute("A", STATS_YEAR, now, &a);
	db = db_open(path, 0, &e);
	assert_non_null(db);
	assert_int_equal(stats_create_indexes(db, &e), 0);
	assert_int_equal(stats_create_indexes(db, &e), 0);
	db_close(db);
	compute("A", STATS_YEAR, now, &b);
	assert_int_equal(a.ndays, b.ndays);
	assert_memory_equal(a.days, b.days, a.ndays * sizeof a.days[0]);
	assert_memory_equal(a.calendar, b.calendar, sizeof a.calendar);
	assert_memory_equal(a.hours, b.hours, sizeof a.hours);
	assert_memory_equal(a.buttons, b.buttons, sizeof a.buttons);
	assert_memory_equal(a.young, b.young, sizeof a.young);
	assert_memory_equal(a.mature, b.mature, sizeof a.mature);
	assert_int_equal(a.streak_longest, b.streak_longest);
	stats_free(&a);
	stats_free(&b);
}


/* ---- the summary against the log ------------------------------------- */

/*
 * The figures come from per-quarter-hour sums kept by triggers; these
 * tests recompute them the slow way, row by row from the log with
 * day_number() and localtime(), and want the same numbers: across time
 * zones (one off the quarter hour, so every bucket is split), rollover
 * hours, undo deleting rows, cards moving between decks or deleted, and
 * a file upgraded from the schema before the sums.
 */

static uint64_t lcg = 12345;

static unsigned
rnd(unsigned n)
{
	lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((lcg >> 33) % n);
}

/* 500 grades and a few manual rows on 20 cards over the 60 days before
 * now, at any second of the day. */
static void
random_log(time_t now)
{
	int64_t id = ((int64_t)now - 60 * 86400) * 1000;

	lcg = 12345;
	sql("BEGIN");	/* one transaction: 520 commits cost seconds */
	for (int i = 0; i < 520; i++) {
		int kind = rnd(10) == 0 ? 4 : (int)rnd(4);
		id += 1 + (int64_t)rnd(20000) * 500;
		sql("INSERT INTO revlog (id, card_id, rating, kind, state,"
		    " elapsed_days, answer_ms, prev_scheduled_days, prev_stability)"
		    " VALUES (%lld, %d, %d, %d, 2, %.17g, %d, %d, %.17g)",
		    (long long)id, 1 + (int)rnd(20), kind == 4 ? 0 : 1 + (int)rnd(4),
		    kind, rnd(400) / 10.0 - 1, (int)rnd(30000), (int)rnd(50),
		    rnd(5) == 0 ? 0.0 : rnd(600) / 10.0);
	}
	sql("COMMIT");
}

/* The figures of deck d (NULL: all) for period p, from the log. */
static void
reference(const char *d, enum stats_period p, time_t now, struct stats *x)
{
	struct fsrs_params fp;
	sqlite3_stmt *st;
	int rollover;
	long today, first, ndays, lo_has;
	unsigned char has[4000];

	memset(x, 0, sizeof *x);
	memset(has, 0, sizeof has);
	fsrs_params_default(&fp);
	fsrs_params_prepare(&fp);
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT rollover_hour FROM"
	    " deck_config WHERE id = coalesce((SELECT config_id FROM decks"
	    " WHERE name = ?1), 1)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, d, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	rollover = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	today = day_number(now, rollover);
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT min(r.id) FROM revlog r"
	    " JOIN cards c ON c.id = r.card_id JOIN decks k ON k.id = c.deck_id"
	    " WHERE r.kind < 4 AND r.rating > 0 AND (?1 IS NULL OR k.name = ?1"
	    " OR k.name LIKE ?1 || '::%')", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, d, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	first = sqlite3_column_type(st, 0) == SQLITE_NULL ? today :
	    day_number((time_t)(sqlite3_column_int64(st, 0) / 1000), rollover);
	sqlite3_finalize(st);
	ndays = p == STATS_MONTH ? 30 : p == STATS_YEAR ? 365 :
	    first < today - 29 ? today - first + 1 : 30;
	x->ndays = (size_t)ndays;
	x->days = calloc((size_t)ndays, sizeof *x->days);
	x->nweeks = (x->ndays + 6) / 7;
	x->weeks = calloc(x->nweeks, sizeof *x->weeks);
	lo_has = today - 3000;
	/* Collection: every row, also of deleted cards; a deck: its cards'. */
	assert_int_equal(sqlite3_prepare_v2(raw, d == NULL ?
	    "SELECT id, kind, rating, prev_scheduled_days, answer_ms,"
	    " elapsed_days, prev_stability FROM revlog" :
	    "SELECT r.id, r.kind, r.rating, r.prev_scheduled_days, r.answer_ms,"
	    " r.elapsed_days, r.prev_stability FROM revlog r JOIN cards c"
	    " ON c.id = r.card_id JOIN decks k ON k.id = c.deck_id"
	    " WHERE k.name = ?1 OR k.name LIKE ?1 || '::%'", -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, d, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int kind = sqlite3_column_int(st, 1);
		int rt = sqlite3_column_int(st, 2);
		int mature = sqlite3_column_int(st, 3) >= 21;
		time_t t = (time_t)(id / 1000);
		long dd = day_number(t, rollover), k = today - dd;
		struct tm tm;

		if (kind > 3 || rt < 1 || dd > today)
			continue;
		has[dd - lo_has] = 1;
		if (k < STATS_CALENDAR_DAYS)
			x->calendar[STATS_CALENDAR_DAYS - 1 - k]++;
		if (kind == 1) {
			struct stats_pass *sp = mature ? x->mature : x->young;
			static const long span[STATS_NSPANS] = { 1, 2, 7, 30, 365 };
			for (int i = 0; i < STATS_NSPANS; i++) {
				if (k >= span[i] || (i == STATS_SPAN_YESTERDAY && k != 1))
					continue;
				if (rt == 1)
					sp[i].fail++;
				else
					sp[i].pass++;
			}
		}
		if (k >= ndays)
			continue;
		{
			struct stats_day *day = &x->days[ndays - 1 - k];
			size_t w = ((size_t)(ndays - 1 - k) + x->nweeks * 7 -
			    x->ndays) / 7;
			int type = kind == 0 || kind == 2 ? STATS_BUTTON_LEARN :
			    mature ? STATS_BUTTON_MATURE : STATS_BUTTON_YOUNG;
			double stab = sqlite3_column_double(st, 6);
			double el = sqlite3_column_double(st, 5);

			day->count[kind == 0 ? STATS_LEARN : kind == 2 ?
			    STATS_RELEARN : mature ? STATS_MATURE : STATS_YOUNG]++;
			day->time_ms += sqlite3_column_int64(st, 4);
			day->again += rt == 1;
			x->buttons[type][rt - 1]++;
			localtime_r(&t, &tm);
			x->hours[tm.tm_hour].count++;
			x->hours[tm.tm_hour].pass += rt > 1;
			if (kind == 1) {
				if (rt == 1)
					x->weeks[w].review.fail++;
				else
					x->weeks[w].review.pass++;
				if (stab > 0) {
					x->weeks[w].predicted_n++;
					x->weeks[w].predicted_sum += fsrs_retrievability(
					    &fp, el < 0 ? 0 : el, stab);
				}
			}
		}
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < sizeof has; i++)
		x->days_studied += has[i];
	stats_streaks(has, (size_t)(today - lo_has + 1), &x->streak_current,
	    &x->streak_longest);
}

static void
assert_same(const char *d, enum stats_period p, time_t now)
{
	struct stats s, x;

	compute(d, p, now, &s);
	reference(d, p, now, &x);
	assert_int_equal(s.ndays, x.ndays);
	assert_memory_equal(s.days, x.days, x.ndays * sizeof x.days[0]);
	assert_memory_equal(s.calendar, x.calendar, sizeof x.calendar);
	assert_memory_equal(s.hours, x.hours, sizeof x.hours);
	assert_memory_equal(s.buttons, x.buttons, sizeof x.buttons);
	assert_memory_equal(s.young, x.young, sizeof x.young);
	assert_memory_equal(s.mature, x.mature, sizeof x.mature);
	assert_int_equal(s.days_studied, x.days_studied);
	assert_int_equal(s.streak_current, x.streak_current);
	assert_int_equal(s.streak_longest, x.streak_longest);
	for (size_t i = 0; i < x.nweeks; i++) {
		assert_memory_equal(&s.weeks[i].review, &x.weeks[i].review,
		    sizeof x.weeks[i].review);
		assert_int_equal(s.weeks[i].predicted_n, x.weeks[i].predicted_n);
		assert_true(fabs(s.weeks[i].predicted_sum -
		    x.weeks[i].predicted_sum) < 1e-9);
	}
	stats_free(&s);
	free(x.days);
	free(x.weeks);
}

/* Every scope and period in a few zones and rollover hours. */
static void
assert_all_same(time_t now)
{
	static const char *const zones[] = {
		"UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu",
		"XXX+0:44:30",		/* off the quarter hour: all split */
	};
	static const char *const decks[] = { NULL, "A", "A::B", "AB", "C%_" };
	/* Under valgrind (50 times slower) the same code runs on fewer
	 * cases: the DST zone and the one where every quarter hour is split,
	 * one rollover hour each, three of the scopes (all, a child, the one
	 * with LIKE's wildcards in its name). */
	const int light = getenv("LEMMA_UNDER_VALGRIND") != NULL;

	for (size_t z = light ? 1 : 0; z < sizeof zones / sizeof zones[0];
	    z += light ? 3 : 1) {
		set_tz(zones[z]);
		for (int h = light ? (int)z * 3 + 2 : 0; h < 24;
		    h += light ? 24 : 7) {
			sql("UPDATE deck_config SET rollover_hour = %d", h);
			for (size_t k = 0; k < sizeof decks / sizeof decks[0];
			    k += light ? 2 : 1) {
				assert_same(decks[k], STATS_MONTH, now);
				assert_same(decks[k], STATS_ALL, now);
			}
		}
	}
	sql("UPDATE deck_config SET rollover_hour = 4");
	set_tz("UTC");
}

static void
test_sums_match_log(void **state)
{
	/* A DST change (2024-11-03 in New York) inside the 60 days. */
	time_t now = at("2024-11-20T09:00:00Z");

	(void)state;
	set_tz("UTC");
	fixture("sums");
	add_cards("A", 1, 8);
	add_cards("A::B", 9, 14);
	add_cards("AB", 15, 20);
	random_log(now);
	assert_all_same(now);

	/* Undo: the last grades go, and one in the middle. */
	sql("DELETE FROM revlog WHERE id IN (SELECT id FROM revlog"
	    " ORDER BY id DESC LIMIT 5)");
	sql("DELETE FROM revlog WHERE id = (SELECT id FROM revlog"
	    " ORDER BY id LIMIT 1 OFFSET 200)");
	/* Cards move: to a sub-deck, out of the tree, into the empty deck;
	 * one card is deleted (its history stays in the collection's). */
	sql("UPDATE cards SET deck_id = %lld WHERE id IN (1, 2)",
	    (long long)deck("A::B"));
	sql("UPDATE cards SET deck_id = %lld WHERE id = 9",
	    (long long)deck("AB"));
	sql("UPDATE cards SET deck_id = %lld WHERE id = 15",
	    (long long)deck("C%_"));
	sql("DELETE FROM cards WHERE id = 3");
	/* An edited row (nothing in lemma edits one; a tool might). */
	sql("UPDATE revlog SET rating = 1, kind = 1 WHERE id = (SELECT id"
	    " FROM revlog ORDER BY id LIMIT 1 OFFSET 100)");
	assert_all_same(now);

	/* A new card never takes a deleted card's id, not even the highest
	 * one's, so it brings no history with it. */
	sql("DELETE FROM cards WHERE id = 20");
	sql("INSERT INTO cards (note_id, ord, deck_id, created, modified)"
	    " VALUES (20, 1, %lld, 0, 0)", (long long)deck("AB"));
	{
		int64_t id;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(raw, "SELECT max(id) FROM"
		    " cards", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		assert_true(id > 20);
	}
	assert_all_same(now);
	done();
}

static void
test_sums_upgrade(void **state)
{
	time_t now = at("2024-11-20T09:00:00Z");
	struct stats a, b;
	int64_t n;
	sqlite3_stmt *st;

	(void)state;
	set_tz("Asia/Kolkata");
	fixture("upgrade");
	add_cards("A", 1, 10);
	add_cards("AB", 11, 20);
	random_log(now);
	compute("A", STATS_ALL, now, &a);
	/* Back to the schema before the sums: no sums, triggers or new
	 * index (schema-undo.h). */
	assert_int_equal(undo_to(raw, 2), 0);
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT count(*) FROM"
	    " sqlite_schema WHERE type = 'trigger'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(n, 0);
	done();
	{
		/* A read-only open refuses the upgrade; a writable one runs it
		 * and fills the sums from the log. */
		struct err e;
		struct db *db = db_open(path, DB_READONLY, &e);
		assert_null(db);
		db = db_open(path, 0, &e);
		assert_non_null(db);
		db_close(db);
	}
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	compute("A", STATS_ALL, now, &b);
	assert_memory_equal(a.days, b.days, a.ndays * sizeof a.days[0]);
	assert_memory_equal(a.hours, b.hours, sizeof a.hours);
	assert_int_equal(a.streak_longest, b.streak_longest);
	stats_free(&a);
	stats_free(&b);
	assert_same(NULL, STATS_ALL, now);
	assert_same("A", STATS_MONTH, now);
	done();
	set_tz("UTC");
}

/* Figures from the file out of every range (an old version, another
 * program, a damaged file; `lemma check` flags them): difficulty 1e300,
 * -5 and infinity, stability 1e308 and infinity, extreme due, interval
 * and last review. Nothing crashes or is undefined (UBSan), every card
 * lands in a bin, and the text and JSON are written. */
static void
test_out_of_range(void **state)
{
	time_t now;
	struct stats s;
	struct buf out;
	int64_t sum;

	(void)state;
	set_tz("UTC");
	fixture("range");
	now = at(NOW_UTC);
	{
		const struct card_row c[] = {
			/* id deck state due sched stab diff last susp buried */
			{ 1, "A", 2, now, 10, 1e308, 1e300, now - 86400, 0, 0 },
			{ 2, "A", 2, now, 10, 5, -5, now - 86400, 0, 0 },
			{ 3, "A", 2, INT64_MAX / 2, 2147483647, 1e-300, 1e-300,
			    now - 86400, 0, 0 },
			{ 4, "A", 3, -INT64_MAX / 2, -2147483647 - 1, -1e308,
			    -1e308, INT64_MIN / 2, 0, 0 },
		};
		for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
			add_card(&c[i]);
	}
	sql("UPDATE cards SET difficulty = 9e999, stability = 9e999 WHERE id = 2");
	sql("UPDATE cards SET last_review = -9223372036854775807 - 1 WHERE id = 3");
	sql("UPDATE cards SET due = 9223372036854775807 WHERE id = 4");
	{
		const struct review_row r[] = {
			{ "2025-01-10T10:00:00Z", 1, 1, 3, 10, 1000, 1e308, 1e308 },
			{ "2025-01-10T11:00:00Z", 2, 1, 3, 10, 1000, -1e308, 1e-300 },
		};
		add_reviews(r, 2);
	}
	done();
	for (int p = 0; p < 3; p++) {
		compute(p == 2 ? NULL : "A", p == 0 ? STATS_MONTH : STATS_ALL,
		    now, &s);
		assert_int_equal(s.counts.total, 4);
		sum = 0;
		for (int b = 0; b < STATS_NDIFF_BINS; b++)
			sum += s.difficulty[b];
		assert_int_equal(sum, 4);
		sum = 0;
		for (int b = 0; b < STATS_NLOG_BINS; b++)
			sum += s.stability[b];
		assert_int_equal(sum, 4);
		/* Clamped: 1e300 and infinity are 100%, -5 is 0%. */
		assert_true(s.difficulty[9] >= 2);
		buf_init(&out);
		stats_text(&s, 80, CHART_UTF8_BRAILLE, &out);
		assert_non_null(strstr(out.data, "Statistics for"));
		buf_reset(&out);
		stats_json(&s, &out);
		assert_non_null(strstr(out.data, "\"difficulty\""));
		buf_free(&out);
		stats_free(&s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_streaks),
		cmocka_unit_test(test_log_figures),
		cmocka_unit_test(test_rollover_hour),
		cmocka_unit_test(test_time_zone_dst),
		cmocka_unit_test(test_time_zone_half_hour),
		cmocka_unit_test(test_gaps_and_streaks),
		cmocka_unit_test(test_streak_today_pending),
		cmocka_unit_test(test_predicted_retention),
		cmocka_unit_test(test_cards),
		cmocka_unit_test(test_empty_cards),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_deck_scope),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_with_index),
		cmocka_unit_test(test_now_out_of_range),
		cmocka_unit_test(test_sums_match_log),
		cmocka_unit_test(test_sums_upgrade),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
