/*
 * fsrs.c - FSRS-6 and its scheduler layer; see fsrs.h.
 *
 * The formulas follow research/fsrs.md section 3 (fsrs-rs, ts-fsrs); the
 * scheduler follows Anki's rslib/src/scheduler/states (steps.rs,
 * learning.rs, review.rs, fuzz.rs) unless params.tsfsrs asks for ts-fsrs.
 * Everything is plain double; ts-fsrs's 8-decimal rounding is applied only
 * in the compatibility mode, where it makes the vectors match bit for bit.
 */
#include "config.h"

#include "lemma/model/fsrs.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/day.h"

#define DAY_SECS	86400

static const double fsrs_default_w[FSRS_NPARAMS] = {
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,
	1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
	1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
};

/* The published clamps (fsrs-rs parameter_clipper.rs). w19's floor is 0,
 * not ts-fsrs's 0.01, so migrated FSRS-5 vectors (w19 = 0) stay valid as
 * they do in Anki. */
static const double fsrs_bounds[FSRS_NPARAMS][2] = {
	{ 0.001, 100 }, { 0.001, 100 }, { 0.001, 100 }, { 0.001, 100 },
	{ 1, 10 }, { 0.001, 4 }, { 0.001, 4 }, { 0.001, 0.75 },
	{ 0, 4.5 }, { 0, 0.8 }, { 0.001, 3.5 }, { 0.001, 5 },
	{ 0.001, 0.25 }, { 0.001, 0.9 }, { 0, 4 }, { 0, 1 },
	{ 1, 6 }, { 0, 2 }, { 0, 2 }, { 0, 0.8 }, { 0.1, 0.8 },
};

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* JavaScript's Math.round: halves go up, also for negative numbers. */
static double
js_round(double x)
{
	return floor(x + 0.5);
}

/* ts-fsrs's roundTo(x, 8), only in the compatibility mode. */
static double
r8(const struct fsrs_params *p, double x)
{
	return p->tsfsrs ? js_round(x * 1e8) / 1e8 : x;
}

void
fsrs_params_default(struct fsrs_params *p)
{
	memset(p, 0, sizeof *p);
	memcpy(p->w, fsrs_default_w, sizeof p->w);
	p->desired_retention = FSRS_DEFAULT_RETENTION;
	p->max_interval = FSRS_DEFAULT_MAX_IVL;
	p->learn_steps[0] = 60;
	p->learn_steps[1] = 600;
	p->nlearn = 2;
	p->relearn_steps[0] = 600;
	p->nrelearn = 1;
	p->short_term = 1;
	p->fuzz = 1;
	p->tsfsrs = 0;
	p->rollover_hour = 4;
	fsrs_params_prepare(p);
}

void
fsrs_params_prepare(struct fsrs_params *p)
{
	p->decay = -p->w[20];
	p->factor = r8(p, pow(0.9, 1.0 / p->decay) - 1.0);
	p->ivl_modifier = r8(p, (pow(p->desired_retention, 1.0 / p->decay) - 1.0) /
	    p->factor);
	if (p->max_interval < 1)
		p->max_interval = 1;
}

int
fsrs_params_set_weights(struct fsrs_params *p, const double *w, size_t n,
    struct err *e)
{
	double v[FSRS_NPARAMS];

	for (size_t i = 0; i < n; i++) {
		if (!isfinite(w[i]))
			return err_set(e, NULL, 0, 0, "FSRS parameters: w%zu is not "
			    "a finite number", i);
	}
	if (n == 21) {
		memcpy(v, w, sizeof v);
	} else if (n == 19) {
		/* FSRS-5: no short-term S^-w19 term, decay 0.5. */
		memcpy(v, w, 19 * sizeof *w);
		v[19] = 0.0;
		v[20] = 0.5;
	} else if (n == 17) {
		/* FSRS-4.5: linear D0 becomes exponential, as fsrs-rs
		 * check_and_fill_parameters does it. */
		memcpy(v, w, 17 * sizeof *w);
		v[4] = w[4] + 2 * w[5];
		v[5] = log(3 * w[5] + 1) / 3;
		v[6] = w[6] + 0.5;
		v[17] = v[18] = v[19] = 0.0;
		v[20] = 0.5;
	} else {
		return err_set(e, NULL, 0, 0, "FSRS parameters: expected 21 numbers "
		    "(or 19 or 17 from FSRS-5 or FSRS-4.5), got %zu", n);
	}
	for (int i = 0; i < FSRS_NPARAMS; i++) {
		if (!isfinite(v[i]) || v[i] < fsrs_bounds[i][0] ||
		    v[i] > fsrs_bounds[i][1])
			return err_set(e, NULL, 0, 0, "FSRS parameters: w%d = %g is "
			    "outside its allowed range %g..%g", i, v[i],
			    fsrs_bounds[i][0], fsrs_bounds[i][1]);
	}
	memcpy(p->w, v, sizeof v);
	fsrs_params_prepare(p);
	return 0;
}

int
fsrs_params_parse_weights(struct fsrs_params *p, const char *text,
    struct err *e)
{
	double w[FSRS_NPARAMS + 1];
	size_t n = 0;
	const char *s = text;
	char *end;

	if (text == NULL)
		text = s = "";
	while (*s != '\0') {
		if (isspace((unsigned char)*s) || *s == ',' || *s == '[' ||
		    *s == ']') {
			s++;
			continue;
		}
		if (n == FSRS_NPARAMS + 1)
			return err_set(e, NULL, 0, 0, "FSRS parameters: more than "
			    "%d numbers", FSRS_NPARAMS);
		errno = 0;
		w[n] = strtod(s, &end);
		if (end == s || (*end != '\0' && *end != ',' && *end != ']' &&
		    !isspace((unsigned char)*end)))
			return err_set(e, NULL, 0, 0, "FSRS parameters: \"%.20s\" "
			    "is not a number", s);
		n++;
		s = end;
	}
	if (n == 0) {
		memcpy(p->w, fsrs_default_w, sizeof p->w);
		fsrs_params_prepare(p);
		return 0;
	}
	return fsrs_params_set_weights(p, w, n, e);
}

int
fsrs_params_set_retention(struct fsrs_params *p, double dr, struct err *e)
{
	/* The bound is a sanity check on the workload, as Anki's: at 0.99
	 * intervals are 7% of those at 0.90. Compare with a little slack so
	 * 0.7 read back from SQLite's REAL is accepted. */
	if (!isfinite(dr) || dr < 0.7 - 1e-9 || dr > 0.99 + 1e-9)
		return err_set(e, NULL, 0, 0, "desired retention %g is outside "
		    "0.70..0.99", dr);
	p->desired_retention = dr;
	fsrs_params_prepare(p);
	return 0;
}

int
fsrs_steps_parse(const char *text, int *secs, int *n, struct err *e)
{
	const char *s = text != NULL ? text : "";
	char *end;
	double v, unit;
	int count = 0;

	while (*s != '\0') {
		if (isspace((unsigned char)*s) || *s == ',') {
			s++;
			continue;
		}
		errno = 0;
		v = strtod(s, &end);
		if (end == s || !isfinite(v) || v <= 0)
			return err_set(e, NULL, 0, 0, "\"%.20s\" is not a step "
			    "(a positive number with s, m, h or d, e.g. 10m)", s);
		switch (*end) {
		case 's':	unit = 1; end++; break;
		case 'm':	unit = 60; end++; break;
		case 'h':	unit = 3600; end++; break;
		case 'd':	unit = DAY_SECS; end++; break;
		default:	unit = 60; break;	/* Anki's steps are minutes */
		}
		if (*end != '\0' && *end != ',' && !isspace((unsigned char)*end))
			return err_set(e, NULL, 0, 0, "\"%.20s\" is not a step "
			    "(a positive number with s, m, h or d, e.g. 10m)", s);
		if (count == FSRS_MAX_STEPS)
			return err_set(e, NULL, 0, 0, "more than %d steps",
			    FSRS_MAX_STEPS);
		if (v * unit > 365.0 * DAY_SECS)
			return err_set(e, NULL, 0, 0, "step \"%.20s\" is longer "
			    "than a year", s);
		secs[count] = (int)lround(v * unit);
		if (secs[count] < 1)
			secs[count] = 1;
		count++;
		s = end;
	}
	*n = count;
	return 0;
}

/* ---- the memory model ------------------------------------------------- */

double
fsrs_retrievability(const struct fsrs_params *p, double t, double s)
{
	if (s <= 0)
		return 0;
	return r8(p, pow(1.0 + p->factor * t / s, p->decay));
}

double
fsrs_interval_exact(const struct fsrs_params *p, double s)
{
	return s / p->factor * (pow(p->desired_retention, 1.0 / p->decay) - 1.0);
}

int
fsrs_interval_days(const struct fsrs_params *p, double s)
{
	double ivl = js_round(s * p->ivl_modifier);

	if (ivl < 1)
		ivl = 1;
	if (ivl > p->max_interval)
		ivl = p->max_interval;
	return (int)ivl;
}

double
fsrs_init_stability(const struct fsrs_params *p, int g)
{
	double s = p->w[g - 1];

	/* ts-fsrs raises S0 to 0.1; fsrs-rs only clamps to S_MIN. */
	if (p->tsfsrs)
		return s < 0.1 ? 0.1 : s;
	return clamp(s, FSRS_S_MIN, FSRS_S_MAX);
}

double
fsrs_init_difficulty_raw(const struct fsrs_params *p, int g)
{
	return r8(p, p->w[4] - exp(p->w[5] * (g - 1)) + 1.0);
}

double
fsrs_init_difficulty(const struct fsrs_params *p, int g)
{
	return clamp(fsrs_init_difficulty_raw(p, g), 1, 10);
}

double
fsrs_next_difficulty(const struct fsrs_params *p, double d, int g)
{
	double delta = -p->w[6] * (g - 3);
	double damped = d + r8(p, delta * (10.0 - d) / 9.0);

	/* Mean reversion towards D0(Easy), unclamped, as fsrs-rs. */
	return clamp(r8(p, p->w[7] * fsrs_init_difficulty_raw(p, 4) +
	    (1.0 - p->w[7]) * damped), 1, 10);
}

double
fsrs_stability_recall(const struct fsrs_params *p, double d, double s,
    double r, int g)
{
	const double *w = p->w;
	double hard = g == 2 ? w[15] : 1.0, easy = g == 4 ? w[16] : 1.0;

	return r8(p, clamp(s * (1.0 + exp(w[8]) * (11.0 - d) * pow(s, -w[9]) *
	    (exp((1.0 - r) * w[10]) - 1.0) * hard * easy), FSRS_S_MIN,
	    FSRS_S_MAX));
}

double
fsrs_stability_forget(const struct fsrs_params *p, double d, double s,
    double r)
{
	const double *w = p->w;

	return r8(p, clamp(w[11] * pow(d, -w[12]) * (pow(s + 1.0, w[13]) - 1.0) *
	    exp((1.0 - r) * w[14]), FSRS_S_MIN, FSRS_S_MAX));
}

double
fsrs_lapse_cap(const struct fsrs_params *p, double s)
{
	/* Without the short-term model, ts-fsrs caps at S itself. */
	return s / exp(p->short_term ? p->w[17] * p->w[18] : 0.0);
}

double
fsrs_stability_short_term(const struct fsrs_params *p, double s, int g)
{
	const double *w = p->w;
	double sinc = pow(s, -w[19]) * exp(w[17] * (g - 3 + w[18]));

	/* A pass never lowers S on the same day (fsrs-rs #376, Hard too). */
	if (g >= 2 && sinc < 1.0)
		sinc = 1.0;
	return r8(p, clamp(s * sinc, FSRS_S_MIN, FSRS_S_MAX));
}

void
fsrs_memory_next(const struct fsrs_params *p, const struct fsrs_memory *m,
    double t, int g, struct fsrs_memory *out)
{
	double r, s, cap;

	if (m->s == 0 && m->d == 0) {
		out->s = fsrs_init_stability(p, g);
		out->d = fsrs_init_difficulty(p, g);
		return;
	}
	r = fsrs_retrievability(p, t, m->s);
	if (t == 0 && p->short_term) {
		s = fsrs_stability_short_term(p, m->s, g);
	} else if (g == 1) {
		cap = r8(p, fsrs_lapse_cap(p, m->s));
		s = fsrs_stability_forget(p, m->d, m->s, r);
		if (cap < FSRS_S_MIN)
			cap = FSRS_S_MIN;
		if (cap < s)
			s = cap;
	} else {
		s = fsrs_stability_recall(p, m->d, m->s, r, g);
	}
	out->s = s;
	out->d = fsrs_next_difficulty(p, m->d, g);
}

/* ---- the scheduler layer ---------------------------------------------- */

long
fsrs_elapsed_days(const struct fsrs_params *p, time_t last, time_t now)
{
	long t;

	if (p->tsfsrs)
		t = day_number_utc(now) - day_number_utc(last);
	else
		t = day_number(now, p->rollover_hour) -
		    day_number(last, p->rollover_hour);
	return t < 0 ? 0 : t;
}

/* Anki's maybe_round_in_days: a delay over a day becomes whole days, so
 * the card is due at the same point of the day whenever it was answered. */
static int
round_in_days(int secs)
{
	if (secs > DAY_SECS)
		return (int)lround((double)secs / DAY_SECS) * DAY_SECS;
	return secs;
}

int
fsrs_step_delay(const struct fsrs_params *p, int state, int step, int g,
    int *secs, int *next_step)
{
	const int *steps;
	int n, idx;

	if (state == FSRS_REVIEW || state == FSRS_RELEARNING) {
		steps = p->relearn_steps;
		n = p->nrelearn;
	} else {
		steps = p->learn_steps;
		n = p->nlearn;
	}
	if (p->tsfsrs) {
		/* ts-fsrs 5.4.2 (strategies/learning_steps.ts): delays in whole
		 * minutes, Hard always from the first step. */
		double m0, m1;

		if (n == 0 || step >= n || step < 0)
			return 0;
		if (state == FSRS_REVIEW) {
			if (g != 1)
				return 0;
			*secs = steps[step];
			*next_step = 0;
			return 1;
		}
		m0 = steps[0] / 60.0;
		switch (g) {
		case 1:
			*secs = steps[0];
			*next_step = 0;
			return 1;
		case 2:
			m1 = n > 1 ? steps[1] / 60.0 : 0;
			*secs = 60 * (int)(n == 1 ? js_round(m0 * 1.5) :
			    js_round((m0 + m1) / 2));
			*next_step = step;
			return 1;
		case 3:
			if (step + 1 < n && steps[step + 1] > 0) {
				*secs = steps[step + 1];
				*next_step = step + 1;
				return 1;
			}
			return 0;
		default:
			return 0;
		}
	}
	/* Anki (steps.rs): an index past the end means the last step. */
	if (n == 0)
		return 0;
	idx = step < 0 ? 0 : step >= n ? n - 1 : step;
	if (state == FSRS_REVIEW) {
		if (g != 1)
			return 0;
		*secs = steps[0];
		*next_step = 0;
		return 1;
	}
	switch (g) {
	case 1:
		*secs = steps[0];
		*next_step = 0;
		return 1;
	case 2:
		if (idx > 0)
			*secs = steps[idx];
		else if (n > 1)
			*secs = round_in_days((steps[0] + steps[1]) / 2);
		else {
			/* 50% more than Again, but at most a day more, so a
			 * long single step cannot pass the graduating interval. */
			long s = (long)steps[0] * 3 / 2;
			if (s > (long)steps[0] + DAY_SECS)
				s = (long)steps[0] + DAY_SECS;
			*secs = round_in_days((int)s);
		}
		*next_step = idx;
		return 1;
	case 3:
		if (idx + 1 < n) {
			*secs = steps[idx + 1];
			*next_step = idx + 1;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

double
fsrs_fuzz_factor(uint64_t seed)
{
	/* splitmix64: one step is enough to spread consecutive seeds
	 * (card id + reps) over [0, 1). */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) * 0x1.0p-53;
}

static double
fuzz_delta(double ivl)
{
	static const double ranges[3][3] = {
		{ 2.5, 7.0, 0.15 }, { 7.0, 20.0, 0.1 }, { 20.0, 1e300, 0.05 },
	};
	double delta = 1.0;

	for (int i = 0; i < 3; i++) {
		double span = (ivl < ranges[i][1] ? ivl : ranges[i][1]) -
		    ranges[i][0];
		if (span > 0)
			delta += ranges[i][2] * span;
	}
	return delta;
}

void
fsrs_fuzz_bounds(double ivl, int min, int max, int *lo, int *hi)
{
	double delta;
	int l, h;

	if (min > max)
		min = max;
	ivl = clamp(ivl, min, max);
	delta = ivl < 2.5 ? 0.0 : fuzz_delta(ivl);
	l = (int)js_round(ivl - delta);
	h = (int)js_round(ivl + delta);
	l = l < min ? min : l > max ? max : l;
	h = h < min ? min : h > max ? max : h;
	if (h == l && h > 2 && h < max)
		h = l + 1;
	*lo = l;
	*hi = h;
}

void
fsrs_fuzz_range_tsfsrs(double ivl, int elapsed, int max, int *lo, int *hi)
{
	double delta = fuzz_delta(ivl);
	int l, h;

	if (ivl > max)
		ivl = max;
	l = (int)js_round(ivl - delta);
	if (l < 2)
		l = 2;
	h = (int)js_round(ivl + delta);
	if (h > max)
		h = max;
	if (ivl > elapsed && l < elapsed + 1)
		l = elapsed + 1;
	if (l > h)
		l = h;
	*lo = l;
	*hi = h;
}

/* Anki's with_review_fuzz: a day in the fuzz window picked by the card's
 * factor, or the rounded interval when fuzz is off. */
static int
review_fuzz(const struct fsrs_params *p, double ivl, int min, uint64_t seed)
{
	int max = p->max_interval, lo, hi, v;

	if (min < 1)
		min = 1;
	if (min > max)
		min = max;
	if (!p->fuzz) {
		v = (int)js_round(ivl);
		return v < min ? min : v > max ? max : v;
	}
	fsrs_fuzz_bounds(ivl, min, max, &lo, &hi);
	return (int)floor(lo + fsrs_fuzz_factor(seed) * (1 + hi - lo));
}

/* Anki's greater_than_last: when the interval grows, fuzz must not take it
 * back to or below the previous one. */
static int
greater_than_last(double ivl, int prev)
{
	return (int)js_round(ivl) > prev ? prev + 1 : 0;
}

/* Anki lets FSRS keep a card in (re)learning without steps while its
 * interval is under half a day (PR #3375), if w17 and w18 allow it. */
static int
short_term_delay(const struct fsrs_params *p, double s, int *secs)
{
	double ivl;

	if (p->tsfsrs || !p->short_term || p->w[17] <= 0 || p->w[18] <= 0)
		return 0;
	ivl = fsrs_interval_exact(p, s);
	if (ivl >= 0.5)
		return 0;
	*secs = (int)(ivl * DAY_SECS);
	if (*secs < 1)
		*secs = 1;
	return 1;
}

static void
set_step(struct fsrs_card *out, const struct fsrs_params *p, int state,
    int step, int secs, time_t now)
{
	if (p->tsfsrs && secs >= DAY_SECS) {
		/* ts-fsrs turns a step of a day or more into a review. */
		out->state = FSRS_REVIEW;
	} else {
		out->state = state == FSRS_NEW ? FSRS_LEARNING :
		    state == FSRS_REVIEW ? FSRS_RELEARNING : state;
	}
	out->step = step;
	out->scheduled_days = secs / DAY_SECS;
	out->due = (int64_t)now + secs;
}

static void
set_review(struct fsrs_card *out, int days, time_t now)
{
	out->state = FSRS_REVIEW;
	out->step = 0;
	out->scheduled_days = days;
	out->due = (int64_t)now + (int64_t)days * DAY_SECS;
}

/* ts-fsrs's LongTermScheduler (enable_short_term = false): every answer
 * is a review, and all four intervals are ordered. */
static void
next_long_term(const struct fsrs_params *p, const struct fsrs_card *c,
    time_t now, long t, int g, struct fsrs_card *out)
{
	struct fsrs_memory m = { c->stability, c->difficulty }, nm[4];
	int ivl[4];

	if (c->state == FSRS_NEW)
		m.s = m.d = 0;
	for (int i = 0; i < 4; i++) {
		fsrs_memory_next(p, &m, (double)t, i + 1, &nm[i]);
		ivl[i] = fsrs_interval_days(p, nm[i].s);
	}
	if (ivl[0] > ivl[1])
		ivl[0] = ivl[1];
	if (ivl[1] < ivl[0] + 1)
		ivl[1] = ivl[0] + 1;
	if (ivl[2] < ivl[1] + 1)
		ivl[2] = ivl[1] + 1;
	if (ivl[3] < ivl[2] + 1)
		ivl[3] = ivl[2] + 1;
	if (!p->tsfsrs) {
		for (int i = 0; i < 4; i++)
			if (ivl[i] > p->max_interval)
				ivl[i] = p->max_interval;
	}
	out->stability = nm[g - 1].s;
	out->difficulty = nm[g - 1].d;
	set_review(out, ivl[g - 1], now);
}

/* Hard, Good and Easy on a review card: ordered so hard < good < easy. */
static void
review_intervals(const struct fsrs_params *p, const struct fsrs_card *c,
    const struct fsrs_memory nm[4], uint64_t seed, int ivl[4])
{
	if (p->tsfsrs) {
		/* ts-fsrs caps each interval first and orders after, so
		 * Good and Easy can pass the maximum by one or two days. */
		int h = fsrs_interval_days(p, nm[1].s);
		int gd = fsrs_interval_days(p, nm[2].s);
		int e = fsrs_interval_days(p, nm[3].s);

		if (h > gd)
			h = gd;
		if (gd < h + 1)
			gd = h + 1;
		if (e < gd + 1)
			e = gd + 1;
		ivl[1] = h;
		ivl[2] = gd;
		ivl[3] = e;
		return;
	}
	/* Anki (review.rs passing_fsrs_review_intervals): each interval is
	 * at least the previous button's + 1, then capped by the maximum. */
	double ih = fsrs_interval_exact(p, nm[1].s);
	double ig = fsrs_interval_exact(p, nm[2].s);
	double ie = fsrs_interval_exact(p, nm[3].s);
	int prev = c->scheduled_days, min;

	min = greater_than_last(ih, prev);
	ivl[1] = review_fuzz(p, ih, min < 1 ? 1 : min, seed);
	min = greater_than_last(ig, prev);
	ivl[2] = review_fuzz(p, ig, min < ivl[1] + 1 ? ivl[1] + 1 : min, seed);
	min = greater_than_last(ie, prev);
	ivl[3] = review_fuzz(p, ie, min < ivl[2] + 1 ? ivl[2] + 1 : min, seed);
}

/* The outcome of g; nm[] holds the memory states computed so far (the
 * ones marked in have[]), filled lazily. */
static void
next_one(const struct fsrs_params *p, const struct fsrs_card *c, time_t now,
    long t, uint64_t seed, int g, struct fsrs_memory nm[4], int have[4],
    struct fsrs_card *out)
{
	struct fsrs_memory m = { c->stability, c->difficulty };
	int secs, next, ivl[4];

#define MEM(k) (have[(k) - 1] ? &nm[(k) - 1] : \
    (fsrs_memory_next(p, &m, (double)t, (k), &nm[(k) - 1]), \
    have[(k) - 1] = 1, &nm[(k) - 1]))

	if (c->state == FSRS_NEW) {
		m.s = m.d = 0;
		t = 0;
	}
	*out = *c;
	out->last_review = now;
	out->reps = c->reps + 1;
	if (!p->short_term) {
		out->lapses = c->lapses +
		    (g == 1 && c->state == FSRS_REVIEW ? 1 : 0);
		next_long_term(p, c, now, t, g, out);
		return;
	}
	out->stability = MEM(g)->s;
	out->difficulty = MEM(g)->d;

	if (c->state != FSRS_REVIEW) {
		const int nsteps = c->state == FSRS_RELEARNING ? p->nrelearn :
		    p->nlearn;

		if (fsrs_step_delay(p, c->state, c->step, g, &secs, &next)) {
			set_step(out, p, c->state, next, secs, now);
			return;
		}
		if (nsteps == 0 && g != 4 &&
		    short_term_delay(p, out->stability, &secs)) {
			set_step(out, p, c->state, 0, secs, now);
			return;
		}
		if (p->tsfsrs) {
			set_review(out, fsrs_interval_days(p, out->stability), now);
		} else if (g == 4) {
			/* Anki's answer_easy: Easy is at least a day past
			 * what Good would have given. */
			int good = review_fuzz(p,
			    fsrs_interval_exact(p, MEM(3)->s), 1, seed);
			double ie = js_round(fsrs_interval_exact(p, out->stability));
			set_review(out, review_fuzz(p, ie < 1 ? 1 : ie, good + 1,
			    seed), now);
		} else {
			double iv = js_round(fsrs_interval_exact(p, out->stability));
			set_review(out, review_fuzz(p, iv < 1 ? 1 : iv, 1, seed),
			    now);
		}
		return;
	}

	if (g == 1) {
		out->lapses = c->lapses + 1;
		if (fsrs_step_delay(p, c->state, c->step, g, &secs, &next)) {
			set_step(out, p, c->state, next, secs, now);
			return;
		}
		if (p->nrelearn == 0 && short_term_delay(p, out->stability, &secs)) {
			set_step(out, p, c->state, 0, secs, now);
			return;
		}
		if (p->tsfsrs) {
			set_review(out, fsrs_interval_days(p, out->stability), now);
		} else {
			/* Anki fuzzes a lapse only when it leaves relearning. */
			double iv = js_round(fsrs_interval_exact(p, out->stability));
			iv = clamp(iv, 1, p->max_interval);
			set_review(out, (int)iv, now);
		}
		return;
	}
	MEM(2);
	MEM(3);
	MEM(4);
	review_intervals(p, c, nm, seed, ivl);
	set_review(out, ivl[g - 1], now);
#undef MEM
}

void
fsrs_next(const struct fsrs_params *p, const struct fsrs_card *c,
    time_t now, long t, uint64_t fuzz_seed, int g, struct fsrs_card *out)
{
	struct fsrs_memory nm[4];
	int have[4] = { 0, 0, 0, 0 };

	if (g < 1)
		g = 1;
	if (g > 4)
		g = 4;
	next_one(p, c, now, t, fuzz_seed, g, nm, have, out);
}

void
fsrs_preview(const struct fsrs_params *p, const struct fsrs_card *c,
    time_t now, long t, uint64_t fuzz_seed, struct fsrs_card out[4])
{
	struct fsrs_memory nm[4];
	int have[4] = { 0, 0, 0, 0 };

	for (int g = 1; g <= 4; g++)
		next_one(p, c, now, t, fuzz_seed, g, nm, have, &out[g - 1]);
}

int
fsrs_is_leech(int lapses, int threshold)
{
	int half;

	if (threshold <= 0 || lapses < threshold)
		return 0;
	half = (threshold + 1) / 2;
	if (half < 1)
		half = 1;
	return (lapses - threshold) % half == 0;
}
