/*
 * stats.c - the statistics' figures from the review log and the cards
 * (see stats.h). The SQL is in db-stats.c; this file decides which study
 * days to ask about, turns them into instants with day_start(), and sums
 * what comes back.
 */
#include "config.h"

#include "lemma/stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db-stats.h"
#include "lemma/day.h"
#include "lemma/fsrs.h"
#include "lemma/xmalloc.h"

/* Everything one computation needs besides the result. */
struct run {
	struct stats		*s;
	struct db_stats		*q;
	int			 rollover;
	long			 lo_day;	/* starts[0] is day_start(lo_day) */
	long			 hi_day;	/* ... up to day_start(hi_day) */
	time_t			*starts;
	long			 period_first;	/* s->days[0]'s day */
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
	return db_stats_set_params(r->q, &r->scope_params, r->e);
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

/* Fold one study day's groups (k = days before today) into the figures. */
static void
fold_day(struct stats *s, long k, size_t i, size_t week,
    struct db_stats_group g[4][4])
{
	struct stats_day *day = &s->days[i];
	struct stats_pass young = { 0, 0 }, mature = { 0, 0 };
	int64_t total = 0;

	for (int kind = 0; kind < 4; kind++) {
		for (int rt = 0; rt < 4; rt++) {
			const struct db_stats_group *x = &g[kind][rt];
			int64_t y = x->count - x->mature;

			if (x->count == 0)
				continue;
			total += x->count;
			day->time_ms += x->time_ms;
			if (rt == 0)
				day->again += x->count;
			switch (kind) {
			case 0:
			case 2:
				day->count[kind == 0 ? STATS_LEARN : STATS_RELEARN] +=
				    x->count;
				s->buttons[STATS_BUTTON_LEARN][rt] += x->count;
				break;
			default:
				day->count[STATS_YOUNG] += y;
				day->count[STATS_MATURE] += x->mature;
				s->buttons[STATS_BUTTON_YOUNG][rt] += y;
				s->buttons[STATS_BUTTON_MATURE][rt] += x->mature;
				break;
			}
			if (kind != 1)
				continue;
			if (rt == 0) {
				young.fail += y;
				mature.fail += x->mature;
			} else {
				young.pass += y;
				mature.pass += x->mature;
			}
			s->weeks[week].predicted_sum += x->predicted;
			s->weeks[week].predicted_n += x->predicted_n;
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

/* Reviews per day, retention per week, the buttons, today and the parts of
 * the calendar and the retention table inside the period. */
static int
period_figures(struct run *r)
{
	struct stats *s = r->s;
	struct db_stats_group g[4][4];
	size_t pad = s->nweeks * 7 - s->ndays;

	for (size_t i = 0; i < s->ndays; i++) {
		long d = r->period_first + (long)i;
		if (db_stats_grades(r->q, day_ms(r, d), day_ms(r, d + 1), g,
		    r->e) < 0)
			return -1;
		fold_day(s, s->today - d, i, (i + pad) / 7, g);
	}
	return db_stats_cards_graded(r->q, day_ms(r, s->today),
	    day_ms(r, s->today + 1), &s->today_figures.cards, r->e);
}

/* The calendar and the year of the retention table before the period. */
static int
year_figures(struct run *r)
{
	struct stats *s = r->s;
	long first = s->today - (STATS_CALENDAR_DAYS - 1);
	struct stats_pass young = { 0, 0 }, mature = { 0, 0 };

	if (r->period_first <= first)
		return 0;
	for (long d = first; d < r->period_first; d++) {
		if (db_stats_count(r->q, day_ms(r, d), day_ms(r, d + 1),
		    &s->calendar[d - first], r->e) < 0)
			return -1;
	}
	if (db_stats_review_pass(r->q, day_ms(r, first),
	    day_ms(r, r->period_first), &young, &mature, r->e) < 0)
		return -1;
	add_pass(&s->young[STATS_SPAN_YEAR], &young);
	add_pass(&s->mature[STATS_SPAN_YEAR], &mature);
	return 0;
}

/* Days studied and streaks over all history. Inside the calendar and the
 * period the days are known; before them, each day with grades costs one
 * seek: find the next grade, note its day, seek from the day after. */
static int
streaks(struct run *r, long first_day)
{
	struct stats *s = r->s;
	long known = s->today - (STATS_CALENDAR_DAYS - 1);
	size_t n;
	unsigned char *has;

	if (first_day > s->today)
		first_day = s->today;
	if (r->period_first < known)
		known = r->period_first;
	n = (size_t)(s->today - first_day + 1);
	has = xcalloc(n, 1);
	for (long d = first_day; d < known; ) {
		int64_t id;
		int rc = db_stats_next_grade(r->q, day_ms(r, d), day_ms(r, known),
		    &id, r->e);
		if (rc < 0) {
			free(has);
			return -1;
		}
		if (rc == 0)
			break;
		d = day_number((time_t)(id / 1000), r->rollover);
		if (d >= first_day && d < known)
			has[d - first_day] = 1;
		d++;
	}
	for (long d = known > first_day ? known : first_day; d <= s->today; d++) {
		long k = s->today - d;
		int64_t v = 0;
		if (k < STATS_CALENDAR_DAYS)
			v = s->calendar[STATS_CALENDAR_DAYS - 1 - k];
		else if (d >= r->period_first)
			for (int j = 0; j < STATS_NKINDS; j++)
				v += s->days[d - r->period_first].count[j];
		has[d - first_day] = v > 0;
	}
	for (size_t i = 0; i < n; i++)
		s->days_studied += has[i];
	stats_streaks(has, n, &s->streak_current, &s->streak_longest);
	free(has);
	return 0;
}

static long
utc_offset(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_gmtoff;
}

/* The local hour of each grade in the period: the UTC offsets in force,
 * with each change found to the second between two day starts. */
static int
hour_figures(struct run *r)
{
	struct stats *s = r->s;
	size_t cap = 8, n = 0;
	int64_t *start = xcalloc(cap, sizeof *start);
	long *offset = xcalloc(cap, sizeof *offset);
	struct db_stats_zone zone;
	int rc;

	offset[n++] = utc_offset(day_ms(r, r->period_first) / 1000);
	for (long d = r->period_first; d <= s->today; d++) {
		time_t a = (time_t)(day_ms(r, d) / 1000);
		time_t b = (time_t)(day_ms(r, d + 1) / 1000);
		long ob = utc_offset(b);

		if (ob == offset[n - 1])
			continue;
		while (b - a > 1) {
			time_t mid = a + (b - a) / 2;
			if (utc_offset(mid) == ob)
				b = mid;
			else
				a = mid;
		}
		if (n == cap) {
			cap *= 2;
			start = xreallocarray(start, cap, sizeof *start);
			offset = xreallocarray(offset, cap, sizeof *offset);
		}
		start[n] = (int64_t)b * 1000;
		offset[n++] = ob;
	}
	zone.start = start;
	zone.offset = offset;
	zone.n = n;
	rc = db_stats_hours(r->q, day_ms(r, r->period_first),
	    day_ms(r, s->today + 1), &zone, s->hours, r->e);
	free(start);
	free(offset);
	return rc;
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

int
stats_compute(struct db *db, const struct stats_opts *o, time_t now,
    struct stats *out, struct err *e)
{
	struct run r;
	long first_day, lo, hi;
	int64_t first_id = 0;
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
	if ((r.q = db_stats_open(db, out->deck, e)) == NULL)
		return -1;
	if (load_presets(&r) < 0)
		goto done;
	out->today = day_number(now, r.rollover);

	if ((has_grades = db_stats_next_grade(r.q, INT64_MIN, INT64_MAX,
	    &first_id, e)) < 0)
		goto done;
	first_day = has_grades ? day_number((time_t)(first_id / 1000), r.rollover) :
	    out->today;
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

	/* Every day boundary the queries use, computed once. */
	lo = r.period_first;
	if (out->today - (STATS_CALENDAR_DAYS - 1) < lo)
		lo = out->today - (STATS_CALENDAR_DAYS - 1);
	hi = out->today + (long)out->ndue;
	r.lo_day = lo;
	r.hi_day = hi;
	r.starts = xcalloc((size_t)(hi - lo + 1), sizeof *r.starts);
	for (long d = lo; d <= hi; d++)
		r.starts[d - lo] = day_start(d, r.rollover);

	if (period_figures(&r) < 0 || year_figures(&r) < 0)
		goto done;
	if (has_grades && streaks(&r, first_day) < 0)
		goto done;
	if (hour_figures(&r) < 0)
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
