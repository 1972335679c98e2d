/*
 * stats.c - the statistics' figures from the review log and the cards
 * (see stats.h). The SQL is in db-stats.c; this file decides which study
 * days to ask about, turns them into instants with day_start(), and sums
 * what comes back.
 *
 * The grades come summed per UTC quarter hour (db_stats_buckets): one walk
 * of the sums from the first day any figure needs to today gives every
 * study day's counts (reviews per day, the calendar, the retention table,
 * the buttons, the streaks over all history) and, through each quarter
 * hour's local hour, the hourly breakdown. A quarter hour that a day
 * boundary or a local-hour boundary splits (a zone off the quarter hour,
 * or a rollover inside one) is read row by row from the log instead, so
 * the figures are exactly those of the log. Only the predicted
 * retrievability needs each review's memory state and walks the period's
 * reviews.
 */
#include "config.h"

#include "lemma/stats/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/day.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-stats.h"

/* One study day's grades, as the summary holds them. */
struct day_sums {
	int64_t	 ms;
	int64_t	 count[4][4];	/* kind, rating - 1 */
	int64_t	 mature[4][4];
};

/* Everything one computation needs besides the result. */
struct run {
	struct stats		*s;
	struct db_stats		*q;
	int			 rollover;
	long			 lo_day;	/* starts[0] is day_start(lo_day) */
	long			 hi_day;	/* ... up to day_start(hi_day) */
	time_t			*starts;
	long			 period_first;	/* s->days[0]'s day */
	long			 sum_first;	/* sums[0]'s day */
	struct day_sums		*sums;		/* sum_first .. today */
	unsigned char		*has;		/* grades on day lo_day + i */
	int64_t			*split;		/* buckets to read from the log */
	size_t			 nsplit, capsplit;
	int64_t			*zone_start;	/* UTC offsets over the period: */
	long			*zone_offset;	/* offset[i] from start[i] (ms) */
	size_t			 nzone;
	long			 cur_day;	/* review_seen's last day, */
	int64_t			 cur_lo, cur_hi;	/* [cur_lo, cur_hi) in ms */
	struct fsrs_params	*params;	/* per preset, by index */
	int64_t			*preset_ids;
	size_t			 npresets;
	struct fsrs_params	 scope_params;
	double			 interval_sum;
	int64_t			 interval_n;
	double			 r_sum;
	int64_t			 r_n;
	struct err		*e;
};

/* ---- pure helpers -------------------------------------------------------- */

int
stats_period_parse(const char *s, enum stats_period *out)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "1m") == 0 || strcmp(s, "month") == 0)
		*out = STATS_MONTH;
	else if (strcmp(s, "1y") == 0 || strcmp(s, "year") == 0)
		*out = STATS_YEAR;
	else if (strcmp(s, "all") == 0)
		*out = STATS_ALL;
	else
		return -1;
	return 0;
}

const char *
stats_period_name(enum stats_period p)
{
	switch (p) {
	case STATS_MONTH:
		return "1m";
	case STATS_YEAR:
		return "1y";
	case STATS_ALL:
		break;
	}
	return "all";
}

double
stats_pass_rate(const struct stats_pass *p)
{
	if (p->pass + p->fail <= 0)
		return NAN;
	return (double)p->pass / (double)(p->pass + p->fail);
}

/* Upper bounds (inclusive, in days) of the log bins; the last is open. */
static const double log_bin_max[STATS_NLOG_BINS - 1] = {
	1, 3, 7, 14, 30, 90, 180, 365
};
static const char *const log_bin_labels[STATS_NLOG_BINS] = {
	"1d", "2-3d", "4-7d", "1-2w", "2-4w", "1-3m", "3-6m", "6-12m", "1y+"
};

int
stats_log_bin(double days)
{
	/* Stability is fractional: 1.4 days is "1d", 1.6 days "2-3d". */
	double d = floor(days + 0.5);

	for (int i = 0; i < STATS_NLOG_BINS - 1; i++)
		if (d <= log_bin_max[i])
			return i;
	return STATS_NLOG_BINS - 1;
}

const char *
stats_log_bin_label(int bin)
{
	if (bin < 0 || bin >= STATS_NLOG_BINS)
		return "";
	return log_bin_labels[bin];
}

static int
bin10(double x)
{
	int b;

	if (!(x > 0))
		return 0;
	/* 1.9 is 10% difficulty, though (1.9 - 1) / 9 * 10 is 0.99999... */
	b = (int)(x * 10 + 1e-9);
	return b > 9 ? 9 : b;
}

int
stats_difficulty_bin(double d)
{
	/* Anki shows difficulty 1..10 as 0..100%. */
	return bin10((d - 1) / 9);
}

int
stats_r_bin(double r)
{
	return bin10(r);
}

void
stats_streaks(const unsigned char *has, size_t n, long *current, long *longest)
{
	long run = 0, best = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		run = has[i] ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	*longest = best;
	*current = 0;
	if (n == 0)
		return;
	/* Today without grades yet does not break the streak: the day is not
	 * over. */
	i = has[n - 1] ? n : n - 1;
	while (i > 0 && has[i - 1]) {
		(*current)++;
		i--;
	}
}

int
stats_weekday(long d)
{
	/* Day 0, 1970-01-01, was a Thursday. */
	long w = (d + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* ---- computation ---------------------------------------------------------- */

static int64_t
day_ms(const struct run *r, long d)
{
	if (d >= r->lo_day && d <= r->hi_day)
		return (int64_t)r->starts[d - r->lo_day] * 1000;
	return (int64_t)day_start(d, r->rollover) * 1000;
}

/* The study day of instant t, by binary search in starts[]: a day before
 * lo_day for anything earlier, hi_day for anything later. */
static long
day_of(const struct run *r, time_t t)
{
	long lo = 0, hi = r->hi_day - r->lo_day;

	if (t < r->starts[0])
		return r->lo_day - 1;
	while (lo < hi) {
		long mid = lo + (hi - lo + 1) / 2;
		if (r->starts[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return r->lo_day + lo;
}

static void
params_for_preset(const struct db_stats_preset *p, struct fsrs_params *out)
{
	struct err e;

	/* A preset that fails to parse is shown with the default weights:
	 * statistics are no place to refuse a file the scheduler reads. */
	fsrs_params_default(out);
	if (p->weights != NULL && fsrs_params_parse_weights(out, p->weights, &e) < 0)
		fsrs_params_default(out);
	if (fsrs_params_set_retention(out, p->desired_retention, &e) < 0)
		out->desired_retention = FSRS_DEFAULT_RETENTION;
	out->rollover_hour = p->rollover_hour;
	fsrs_params_prepare(out);
}

static int
load_presets(struct run *r)
{
	struct db_stats_preset *p;
	size_t n;
	int64_t scope = db_stats_scope_preset(r->q);
	int found = 0;

	if (db_stats_presets(r->q, &p, &n, r->e) < 0)
		return -1;
	r->params = xcalloc(n ? n : 1, sizeof *r->params);
	r->preset_ids = xcalloc(n ? n : 1, sizeof *r->preset_ids);
	r->npresets = n;
	fsrs_params_default(&r->scope_params);
	for (size_t i = 0; i < n; i++) {
		params_for_preset(&p[i], &r->params[i]);
		r->preset_ids[i] = p[i].id;
		if (p[i].id == scope || (!found && i == 0)) {
			r->scope_params = r->params[i];
			found = p[i].id == scope;
		}
	}
	db_stats_presets_free(p, n);
	r->rollover = r->scope_params.rollover_hour;
	r->s->rollover_hour = r->rollover;
	r->s->desired_retention = r->scope_params.desired_retention;
	return 0;
}

static const struct fsrs_params *
preset_params(const struct run *r, int64_t id)
{
	for (size_t i = 0; i < r->npresets; i++)
		if (r->preset_ids[i] == id)
			return &r->params[i];
	return &r->scope_params;
}

static void
add_pass(struct stats_pass *to, const struct stats_pass *from)
{
	to->pass += from->pass;
	to->fail += from->fail;
}

/* Fold one study day's grades (k = days before today) into the figures. */
static void
fold_day(struct stats *s, long k, size_t i, size_t week,
    const struct day_sums *g)
{
	struct stats_day *day = &s->days[i];
	struct stats_pass young = { 0, 0 }, mature = { 0, 0 };
	int64_t total = 0;

	day->time_ms += g->ms;
	for (int kind = 0; kind < 4; kind++) {
		for (int rt = 0; rt < 4; rt++) {
			int64_t n = g->count[kind][rt], m = g->mature[kind][rt];
			int64_t y = n - m;

			if (n == 0)
				continue;
			total += n;
			if (rt == 0)
				day->again += n;
			switch (kind) {
			case 0:
			case 2:
				day->count[kind == 0 ? STATS_LEARN : STATS_RELEARN] +=
				    n;
				s->buttons[STATS_BUTTON_LEARN][rt] += n;
				break;
			default:
				day->count[STATS_YOUNG] += y;
				day->count[STATS_MATURE] += m;
				s->buttons[STATS_BUTTON_YOUNG][rt] += y;
				s->buttons[STATS_BUTTON_MATURE][rt] += m;
				break;
			}
			if (kind != 1)
				continue;
			if (rt == 0) {
				young.fail += y;
				mature.fail += m;
			} else {
				young.pass += y;
				mature.pass += m;
			}
		}
	}
	add_pass(&s->weeks[week].review, &young);
	add_pass(&s->weeks[week].review, &mature);
	if (k < STATS_CALENDAR_DAYS)
		s->calendar[STATS_CALENDAR_DAYS - 1 - k] = total;
	if (k == 0) {
		s->today_figures.reviews = total;
		s->today_figures.time_ms = day->time_ms;
		s->today_figures.again = day->again;
		memcpy(s->today_figures.by_kind, day->count,
		    sizeof day->count);
		s->today_figures.young = young;
		s->today_figures.mature = mature;
	}
	for (int sp = 0; sp < STATS_NSPANS; sp++) {
		static const long span_days[STATS_NSPANS] = { 1, 2, 7, 30, 365 };
		if (k >= span_days[sp] || (sp == STATS_SPAN_YESTERDAY && k != 1))
			continue;
		add_pass(&s->young[sp], &young);
		add_pass(&s->mature[sp], &mature);
	}
}

/* floor(a / b) for b > 0: ids before 1970 are negative. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return q * b > a ? q - 1 : q;
}

/* The study day of revlog id (Unix ms) id. */
static long
day_of_ms(const struct run *r, int64_t id)
{
	return day_of(r, (time_t)floor_div(id, 1000));
}

static long
utc_offset(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

/* The UTC offsets in force over the period, with each change found to the
 * second between two day starts. */
static void
find_zone(struct run *r)
{
	struct stats *s = r->s;
	size_t cap = 8;

	r->zone_start = xcalloc(cap, sizeof *r->zone_start);
	r->zone_offset = xcalloc(cap, sizeof *r->zone_offset);
	r->zone_offset[0] = utc_offset(day_ms(r, r->period_first) / 1000);
	r->nzone = 1;
	for (long d = r->period_first; d <= s->today; d++) {
		time_t a = (time_t)(day_ms(r, d) / 1000);
		time_t b = (time_t)(day_ms(r, d + 1) / 1000);
		long ob = utc_offset(b);

		if (ob == r->zone_offset[r->nzone - 1])
			continue;
		while (b - a > 1) {
			time_t mid = a + (b - a) / 2;
			if (utc_offset(mid) == ob)
				b = mid;
			else
				a = mid;
		}
		if (r->nzone == cap) {
			cap = vec_cap_for(cap, r->nzone + 1, cap);
			r->zone_start = xreallocarray(r->zone_start, cap,
			    sizeof *r->zone_start);
			r->zone_offset = xreallocarray(r->zone_offset, cap,
			    sizeof *r->zone_offset);
		}
		r->zone_start[r->nzone] = (int64_t)b * 1000;
		r->zone_offset[r->nzone++] = ob;
	}
}

/* The zone segment of instant id (ms): the last change at or before it. */
static size_t
zone_of(const struct run *r, int64_t id)
{
	size_t lo = 0, hi = r->nzone - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (r->zone_start[mid] <= id)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The local hour (0-23) of instant id (ms). */
static int
local_hour(const struct run *r, int64_t id)
{
	int64_t local = floor_div(id, 1000) + r->zone_offset[zone_of(r, id)];

	return (int)(floor_div(local, 3600) - floor_div(local, 86400) * 24);
}

/* Count grades b (a bucket or one row, starting at instant id) on study
 * day d, in local hour `hour` when d is in the period. */
static void
add_sums(struct run *r, long d, int64_t id, const struct db_stats_sums *b)
{
	struct stats *s = r->s;

	if (d < r->lo_day || d > s->today)
		return;		/* outside every figure (a future grade) */
	r->has[d - r->lo_day] = 1;
	if (d >= r->sum_first) {
		struct day_sums *g = &r->sums[d - r->sum_first];
		g->ms += b->ms;
		for (int k = 0; k < 4; k++)
			for (int rt = 0; rt < 4; rt++) {
				g->count[k][rt] += b->count[k][rt];
				g->mature[k][rt] += b->mature[k][rt];
			}
	}
	if (d >= r->period_first) {
		struct stats_hour *h = &s->hours[local_hour(r, id)];
		int64_t again = 0;

		for (int k = 0; k < 4; k++)
			again += b->count[k][0];
		h->count += b->n;
		h->pass += b->n - again;
	}
}

/* A bucket from the summary: counted whole when one study day and one
 * local hour hold all of it, else noted to be read row by row. */
static void
bucket_seen(void *arg, const struct db_stats_sums *b)
{
	struct run *r = arg;
	int64_t lo = b->key * DB_STATS_BUCKET_MS, hi = lo + DB_STATS_BUCKET_MS;
	long d = day_of_ms(r, lo);
	int whole = day_ms(r, d) <= lo && day_ms(r, d + 1) >= hi;

	if (whole && d >= r->period_first && d <= r->s->today) {
		size_t z = zone_of(r, lo);
		int64_t local = floor_div(lo, 1000) + r->zone_offset[z];

		/* The same offset throughout, and the quarter hour within one
		 * local hour. */
		whole = (z + 1 >= r->nzone || r->zone_start[z + 1] >= hi) &&
		    local - floor_div(local, 3600) * 3600 <=
		    3600 - DB_STATS_BUCKET_MS / 1000;
	}
	if (whole) {
		add_sums(r, d, lo, b);
		return;
	}
	VEC_RESERVE(r->split, r->capsplit, r->nsplit + 1, 64);
	r->split[r->nsplit++] = b->key;
}

static void
row_seen(void *arg, const struct db_stats_sums *b)
{
	struct run *r = arg;

	add_sums(r, day_of_ms(r, b->key), b->key, b);
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every study day's grades from lo_day to today, and the hours. */
static int
read_grades(struct run *r)
{
	struct stats *s = r->s;
	int64_t lo = day_ms(r, r->lo_day), hi = day_ms(r, s->today + 1);

	find_zone(r);
	r->sums = xcalloc((size_t)(s->today - r->sum_first + 1), sizeof *r->sums);
	r->has = xcalloc((size_t)(s->today - r->lo_day + 1), 1);
	if (db_stats_buckets(r->q, floor_div(lo, DB_STATS_BUCKET_MS),
	    floor_div(hi - 1, DB_STATS_BUCKET_MS) + 1, bucket_seen, r, r->e) < 0)
		return -1;
	/* A deck's sub-decks may each have noted the same bucket. (qsort
	 * wants an array even for none.) */
	if (r->nsplit > 1)
		qsort(r->split, r->nsplit, sizeof *r->split, cmp_int64);
	for (size_t i = 0; i < r->nsplit; i++) {
		int64_t a = r->split[i] * DB_STATS_BUCKET_MS;
		int64_t b = a + DB_STATS_BUCKET_MS;

		if (i > 0 && r->split[i] == r->split[i - 1])
			continue;
		if (db_stats_rows(r->q, a > lo ? a : lo, b < hi ? b : hi, row_seen,
		    r, r->e) < 0)
			return -1;
	}
	return 0;
}

/* The figures of the period and the year from the days' grades. */
static void
day_figures(struct run *r)
{
	struct stats *s = r->s;
	size_t pad = s->nweeks * 7 - s->ndays;
	long first = s->today - (STATS_CALENDAR_DAYS - 1);

	for (size_t i = 0; i < s->ndays; i++) {
		long d = r->period_first + (long)i;
		fold_day(s, s->today - d, i, (i + pad) / 7,
		    &r->sums[d - r->sum_first]);
	}
	/* The calendar and the year of the retention table before the
	 * period. */
	for (long d = first; d < r->period_first; d++) {
		const struct day_sums *g = &r->sums[d - r->sum_first];
		int64_t total = 0;

		for (int k = 0; k < 4; k++)
			for (int rt = 0; rt < 4; rt++)
				total += g->count[k][rt];
		s->calendar[d - first] = total;
		for (int rt = 0; rt < 4; rt++) {
			int64_t m = g->mature[1][rt], y = g->count[1][rt] - m;
			if (rt == 0) {
				s->young[STATS_SPAN_YEAR].fail += y;
				s->mature[STATS_SPAN_YEAR].fail += m;
			} else {
				s->young[STATS_SPAN_YEAR].pass += y;
				s->mature[STATS_SPAN_YEAR].pass += m;
			}
		}
	}
	for (long d = r->lo_day; d <= s->today; d++)
		s->days_studied += r->has[d - r->lo_day];
	stats_streaks(r->has, (size_t)(s->today - r->lo_day + 1),
	    &s->streak_current, &s->streak_longest);
}

static void
review_seen(void *arg, int64_t id, double elapsed, double stability)
{
	struct run *r = arg;
	struct stats *s = r->s;
	size_t pad = s->nweeks * 7 - s->ndays;
	long d;
	struct stats_week *w;

	/* The rows come in id order: most share the previous row's day. */
	if (id < r->cur_lo || id >= r->cur_hi) {
		r->cur_day = day_of_ms(r, id);
		r->cur_lo = day_ms(r, r->cur_day);
		r->cur_hi = day_ms(r, r->cur_day + 1);
	}
	d = r->cur_day;

	if (d < r->period_first || d > s->today)
		return;
	w = &s->weeks[((size_t)(d - r->period_first) + pad) / 7];
	w->predicted_sum += fsrs_retrievability(&r->scope_params,
	    elapsed < 0 ? 0 : elapsed, stability);
	w->predicted_n++;
}

/* FSRS's retrievability at each review of the period, by week: it needs
 * each row's elapsed days and stability, which no sum can hold. */
static int
predicted_figures(struct run *r)
{
	return db_stats_review_states(r->q, day_ms(r, r->period_first),
	    day_ms(r, r->s->today + 1), review_seen, r, r->e);
}

static void
card_seen(void *arg, const struct db_stats_card *c)
{
	struct run *r = arg;
	struct stats *s = r->s;
	struct stats_counts *k = &s->counts;
	int reviewed = c->state != 0;

	k->total++;
	if (c->suspended)
		k->suspended++;
	else if (c->buried_until > s->today)
		k->buried++;
	else if (c->state == 0)
		k->new_count++;
	else if (c->state == 1)
		k->learning++;
	else if (c->state == 3)
		k->relearning++;
	else if (c->scheduled_days >= STATS_MATURE_DAYS)
		k->mature++;
	else
		k->young++;

	if (reviewed && !c->suspended) {
		long d = day_of(r, (time_t)c->due);
		if (d < s->today)
			s->overdue++;
		else if (d - s->today < (long)s->ndue)
			s->due[d - s->today]++;
		if (c->state >= 2)
			s->daily_load += 1.0 /
			    (c->scheduled_days > 1 ? c->scheduled_days : 1);
	}
	if (c->state >= 2) {
		s->intervals[stats_log_bin(c->scheduled_days)]++;
		r->interval_sum += c->scheduled_days;
		r->interval_n++;
	}
	if (reviewed && c->stability > 0) {
		s->stability[stats_log_bin(c->stability)]++;
		if (c->last_review > 0) {
			double t = (double)(s->now - c->last_review) / 86400.0;
			double rv = fsrs_retrievability(preset_params(r, c->preset),
			    t > 0 ? t : 0, c->stability);
			s->retrievability[stats_r_bin(rv)]++;
			r->r_sum += rv;
			r->r_n++;
		}
	}
	if (reviewed && c->difficulty > 0)
		s->difficulty[stats_difficulty_bin(c->difficulty)]++;
}

/* The study day of the first grade, id in Unix ms. */
static long
day_of_first(int64_t id, int rollover)
{
	return day_number((time_t)floor_div(id, 1000), rollover);
}

int
stats_compute(struct db *db, const struct stats_opts *o, time_t now,
    struct stats *out, struct err *e)
{
	struct run r;
	long first_day, lo, hi;
	int64_t first_id = 0, first_bucket = 0;
	int has_grades, rc = -1;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	out->period = o->period;
	out->deck = o->deck != NULL && *o->deck != '\0' ? xstrdup(o->deck) : NULL;
	out->now = now;
	out->mean_retrievability = NAN;
	out->mean_interval = NAN;
	r.s = out;
	r.e = e;
	/* The days from the first grade to now are counted and allocated:
	 * a clock far beyond any calendar would ask for terabytes. */
	if (!day_time_in_range((long long)now))
		return err_set(e, NULL, 0, 0, "the time %lld is outside the "
		    "years 0000 to 9999", (long long)now);
	if ((r.q = db_stats_open(db, out->deck, e)) == NULL)
		return -1;
	if (load_presets(&r) < 0)
		goto done;
	out->today = day_number(now, r.rollover);

	/* The first grade: the summary's first quarter hour says where to
	 * look, so a deck with no grades costs no walk of the log. */
	if ((has_grades = db_stats_first_bucket(r.q, &first_bucket, e)) < 0)
		goto done;
	if (has_grades && (has_grades = db_stats_next_grade(r.q,
	    first_bucket * DB_STATS_BUCKET_MS, INT64_MAX, &first_id, e)) < 0)
		goto done;
	first_day = has_grades ? day_of_first(first_id, r.rollover) : out->today;
	switch (o->period) {
	case STATS_MONTH:
		out->ndays = 30;
		out->ndue = 30;
		break;
	case STATS_YEAR:
		out->ndays = 365;
		out->ndue = 365;
		break;
	case STATS_ALL:
		out->ndays = first_day < out->today - 29 ?
		    (size_t)(out->today - first_day + 1) : 30;
		out->ndue = 365;
		break;
	}
	r.period_first = out->today - (long)out->ndays + 1;
	out->days = xcalloc(out->ndays, sizeof *out->days);
	out->nweeks = (out->ndays + 6) / 7;
	out->weeks = xcalloc(out->nweeks, sizeof *out->weeks);
	out->due = xcalloc(out->ndue, sizeof *out->due);
	out->calendar_first_weekday =
	    stats_weekday(out->today - (STATS_CALENDAR_DAYS - 1));

	/* Every day boundary the figures use, computed once: from the first
	 * grade (for the streaks) or the first day of the calendar or the
	 * period, to the end of the forecast. */
	lo = r.period_first;
	if (out->today - (STATS_CALENDAR_DAYS - 1) < lo)
		lo = out->today - (STATS_CALENDAR_DAYS - 1);
	r.sum_first = lo;
	if (has_grades && first_day < lo)
		lo = first_day;
	hi = out->today + (long)out->ndue;
	r.lo_day = lo;
	r.hi_day = hi;
	r.starts = xcalloc((size_t)(hi - lo + 1), sizeof *r.starts);
	for (long d = lo; d <= hi; d++)
		r.starts[d - lo] = day_start(d, r.rollover);

	if (read_grades(&r) < 0)
		goto done;
	day_figures(&r);
	if (predicted_figures(&r) < 0 ||
	    db_stats_cards_graded(r.q, day_ms(&r, out->today),
	    day_ms(&r, out->today + 1), &out->today_figures.cards, e) < 0)
		goto done;
	if (db_stats_cards(r.q, r.npresets > 1, card_seen, &r, e) < 0)
		goto done;
	if (r.r_n > 0)
		out->mean_retrievability = r.r_sum / (double)r.r_n;
	if (r.interval_n > 0)
		out->mean_interval = r.interval_sum / (double)r.interval_n;
	rc = 0;
done:
	db_stats_close(r.q);
	free(r.starts);
	free(r.sums);
	free(r.has);
	free(r.split);
	free(r.zone_start);
	free(r.zone_offset);
	free(r.params);
	free(r.preset_ids);
	return rc;
}

void
stats_free(struct stats *s)
{
	free(s->deck);
	free(s->days);
	free(s->weeks);
	free(s->due);
	memset(s, 0, sizeof *s);
}

int
stats_create_indexes(struct db *db, struct err *e)
{
	return db_stats_create_indexes(db, e);
}

int64_t
stats_day_total(const struct stats_day *d)
{
	int64_t n = 0;

	for (int k = 0; k < STATS_NKINDS; k++)
		n += d->count[k];
	return n;
}
