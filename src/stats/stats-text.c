/*
 * stats-text.c - the statistics as chart canvases and text (see
 * stats-text.h; the JSON is stats-json.c's). Everything here is layout:
 * the numbers come finished from stats.c, and the glyphs from chart.c.
 */
#include "config.h"

#include "lemma/stats/stats-text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"

/* The plural ending of a count: "1 review", "2 reviews". */
#define S(n)	((n) == 1 ? "" : "s")

static const char *const graph_titles[STATS_NGRAPHS] = {
	[STATS_GRAPH_TODAY] = "Today",
	[STATS_GRAPH_TRUE_RETENTION] = "True retention (passed of reviewed)",
	[STATS_GRAPH_FORECAST] = "Future due (cards per day)",
	[STATS_GRAPH_REVIEWS] = "Reviews per day",
	[STATS_GRAPH_TIME] = "Review time per day (minutes)",
	[STATS_GRAPH_RETENTION] = "Retention per week (measured, FSRS predicted)",
	[STATS_GRAPH_CALENDAR] = "Calendar (reviews per day, last year)",
	[STATS_GRAPH_COUNTS] = "Card counts (cards)",
	[STATS_GRAPH_INTERVALS] = "Review intervals (cards)",
	[STATS_GRAPH_STABILITY] = "Stability (cards)",
	[STATS_GRAPH_DIFFICULTY] = "Difficulty (cards)",
	[STATS_GRAPH_RETRIEVABILITY] = "Retrievability now (cards)",
	[STATS_GRAPH_BUTTONS] = "Answer buttons (share of grades)",
	[STATS_GRAPH_HOURS] = "Hourly breakdown (reviews, % correct; local time)",
};

static const char *const span_names[STATS_NSPANS] = {
	"Today", "Yesterday", "Last week", "Last month", "Last year"
};
static const char *const rating_names[4] = { "Again", "Hard", "Good", "Easy" };
static const char *const button_types[STATS_NBUTTON_TYPES] = {
	"learn", "young", "mature"
};
static const char *const tenths[10] = {
	"0-10%", "10-20%", "20-30%", "30-40%", "40-50%", "50-60%", "60-70%",
	"70-80%", "80-90%", "90-100%"
};

/* Stacked reviews in ASCII: learn, young, mature, relearn. */
#define REVIEW_ASCII	":=#%"

const char *
stats_button_type_name(int type)
{
	return type >= 0 && type < STATS_NBUTTON_TYPES ? button_types[type] :
	    NULL;
}

const char *
stats_tenth_label(int i)
{
	return i >= 0 && i < 10 ? tenths[i] : NULL;
}

int
stats_graph_count(void)
{
	return STATS_NGRAPHS;
}

const char *
stats_graph_title(int graph)
{
	if (graph < 0 || graph >= STATS_NGRAPHS)
		return "";
	return graph_titles[graph];
}

/* ---- small helpers ------------------------------------------------------- */

/* Howard Hinnant's civil_from_days: day 0 is 1970-01-01. */
void
stats_day_date(long d, char *buf, size_t len)
{
	long z = d + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned long doe = (unsigned long)(z - era * 146097);
	unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = (long)yoe + era * 400;
	unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned long mp = (5 * doy + 2) / 153;
	unsigned long day = doy - (153 * mp + 2) / 5 + 1;
	unsigned long m = mp < 10 ? mp + 3 : mp - 9;

	snprintf(buf, len, "%04ld-%02lu-%02lu", y + (m <= 2), m, day);
}

static int
day_of_month(long d)
{
	char b[16];

	stats_day_date(d, b, sizeof b);
	return (b[8] - '0') * 10 + (b[9] - '0');
}

static int
month_of(long d)
{
	char b[16];

	stats_day_date(d, b, sizeof b);
	return (b[5] - '0') * 10 + (b[6] - '0');
}

/* Write s into row y from column x, one code point per cell, clipped to
 * the canvas. The text here is ASCII apart from what callers pass. */
static void
put_str(struct chart_canvas *c, int x, int y, const char *s, int series)
{
	const unsigned char *p = (const unsigned char *)s;

	if (y < 0 || y >= c->height)
		return;
	while (*p != '\0' && x < c->width) {
		size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		struct chart_cell *cell;

		if (strnlen((const char *)p, n) < n)
			break;
		if (x >= 0) {
			cell = &c->cells[(size_t)y * (size_t)c->width + (size_t)x];
			memcpy(cell->glyph, p, n);
			cell->glyph[n] = '\0';
			cell->series = (signed char)series;
		}
		p += n;
		x++;
	}
}

static void
pct(char *buf, size_t len, double r)
{
	if (isnan(r))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", r * 100);
}

/* Relative x labels: texts live in pool. */
struct labels {
	struct chart_label	 l[48];
	char			 text[48][24];
	size_t			 n;
};

static void
label_add(struct labels *L, double at, const char *fmt, long v)
{
	if (L->n >= sizeof L->l / sizeof L->l[0])
		return;
	snprintf(L->text[L->n], sizeof L->text[0], fmt, v);
	L->l[L->n].at = at;
	L->l[L->n].text = L->text[L->n];
	L->n++;
}

/*
 * Labels for n daily samples ending today (past) or starting today
 * (future), about every 9 columns of a plot pw wide: steps of a week, a
 * month (30 days) or a year, written -2w / +3m / -1y. map turns a sample
 * index into the chart's position (bars expanded by k).
 */
static void
day_labels(struct labels *L, size_t n, int pw, int future, int k, int first)
{
	/* "mo", not "m": the time graph's unit is minutes. */
	static const struct { long days, per; const char *past, *ahead; }
	    steps[] = {
		{ 7, 7, "-%ldw", "+%ldw" }, { 14, 7, "-%ldw", "+%ldw" },
		{ 30, 30, "-%ldmo", "+%ldmo" }, { 61, 30, "-%ldmo", "+%ldmo" },
		{ 91, 30, "-%ldmo", "+%ldmo" }, { 182, 30, "-%ldmo", "+%ldmo" },
		{ 365, 365, "-%ldy", "+%ldy" }, { 730, 365, "-%ldy", "+%ldy" },
		{ 1826, 365, "-%ldy", "+%ldy" },
	};
	double cols_per_sample = pw > 0 && n > 0 ? (double)pw / (double)n : 1;
	size_t si = 0;
	long step;

	if (k > 1)
		cols_per_sample = k;
	while (si + 1 < sizeof steps / sizeof steps[0] &&
	    steps[si].days * cols_per_sample < 9)
		si++;
	step = steps[si].days;
	L->n = 0;
	if (future) {
		label_add(L, first * k + (k - 1) / 2.0, "today", 0);
		for (long i = step; i < (long)n - first; i += step)
			label_add(L, (double)(i + first) * k + (k - 1) / 2.0,
			    steps[si].ahead, i / steps[si].per);
		return;
	}
	/* Oldest first, as the chart places them left to right; "today" is
	 * kept by leaving out a step that would crowd it. */
	for (long i = (long)((n - 1) / (size_t)step) * step; i >= step; i -= step) {
		if ((double)i * cols_per_sample < 7)
			continue;
		label_add(L, (double)((long)n - 1 - i) * k + (k - 1) / 2.0,
		    steps[si].past, i / steps[si].per);
	}
	label_add(L, (double)(n - 1) * k + (k - 1) / 2.0, "today", 0);
}

/*
 * Vertical bars that use the width: when there are fewer samples than
 * columns, each sample becomes k columns (k - 1 of bar and a gap), so 30
 * days fill a wide pane instead of its left edge. chart_bars would stretch
 * nothing by itself: it draws one column per sample.
 */
struct bars {
	const double	*v[CHART_MAX_SERIES];
	size_t		 ns, n;
	int		 first;		/* forecast: the overdue sample */
	int		 future;
	struct chart_format fmt;
	const char	*ascii;
	int		 hours;		/* 24 samples: label the hours */
};

static int
bars_plot_width(const struct chart_canvas *c, double hi,
    const struct chart_format *fmt)
{
	char a[48], b[48];
	int lw;

	chart_format_value(fmt, hi, a, sizeof a);
	chart_format_value(fmt, 0, b, sizeof b);
	lw = (int)(strlen(a) > strlen(b) ? strlen(a) : strlen(b));
	if (c->width >= lw + 2 && c->height >= 2)
		return c->width - lw - 1;
	return c->width;
}

static void
draw_bars(struct chart_canvas *c, enum chart_profile p, const struct bars *b)
{
	struct chart_series ser[CHART_MAX_SERIES];
	double *exp[CHART_MAX_SERIES] = { NULL };
	struct chart_bars opt;
	struct labels L;
	double hi = 0;
	int pw, k = 1;

	for (size_t i = 0; i < b->n; i++) {
		double t = 0;
		for (size_t s = 0; s < b->ns; s++)
			if (isfinite(b->v[s][i]) && b->v[s][i] > 0)
				t += b->v[s][i];
		hi = t > hi ? t : hi;
	}
	/* Whole numbers on a scale of at least 4, so a quiet month does not
	 * label its axis 1, 1, 0. */
	if (b->fmt.decimals == 0 && hi < 4)
		hi = 4;
	if (hi <= 0)
		hi = 1;
	pw = bars_plot_width(c, hi, &b->fmt);
	if (b->n > 0 && (size_t)pw >= 2 * b->n)
		k = pw / (int)b->n;
	for (size_t s = 0; s < b->ns; s++) {
		if (k == 1) {
			ser[s].v = b->v[s];
			ser[s].n = b->n;
			continue;
		}
		exp[s] = xcalloc(b->n * (size_t)k, sizeof *exp[s]);
		for (size_t i = 0; i < b->n; i++)
			for (int j = 0; j < k; j++)
				exp[s][i * (size_t)k + (size_t)j] = j < k - 1 ?
				    b->v[s][i] : NAN;
		ser[s].v = exp[s];
		ser[s].n = b->n * (size_t)k;
	}
	memset(&opt, 0, sizeof opt);
	opt.profile = p;
	opt.series = ser;
	opt.nseries = b->ns;
	opt.ymax = hi;
	opt.ascii = b->ascii;
	opt.fmt = b->fmt;
	L.n = 0;
	if (b->hours)
		for (long h = 0; h < 24; h += 6)
			label_add(&L, (double)h * k + (k - 1) / 2.0, "%ldh", h);
	else
		day_labels(&L, b->n, pw, b->future, k, b->first);
	opt.xlabels = L.l;
	opt.nxlabels = L.n;
	chart_bars(c, &opt);
	for (size_t s = 0; s < b->ns; s++)
		free(exp[s]);
}

/* Copy src into dst with its top-left at row y0. */
static void
blit(struct chart_canvas *dst, const struct chart_canvas *src, int y0)
{
	for (int y = 0; y < src->height; y++)
		for (int x = 0; x < src->width; x++) {
			const struct chart_cell *from = chart_cell(src, x, y);
			if (from == NULL || y0 + y < 0 || y0 + y >= dst->height ||
			    x >= dst->width)
				continue;
			dst->cells[(size_t)(y0 + y) * (size_t)dst->width +
			    (size_t)x] = *from;
		}
}

/* ---- the graphs ---------------------------------------------------------- */

/* Today's sentences; returns how many. */
static int
today_lines(const struct stats *s, char lines[4][256])
{
	const struct stats_today *t = &s->today_figures;
	char a[16], b[16];

	if (t->reviews == 0) {
		snprintf(lines[0], 256, "No cards have been studied today.");
		return 1;
	}
	/* Reviews are grades, cards distinct cards: say both, as the
	 * session summary does. */
	snprintf(lines[0], 256, "%lld review%s of %lld card%s in %.1f minutes "
	    "(%.1f s/review).", (long long)t->reviews, S(t->reviews),
	    (long long)t->cards, S(t->cards), (double)t->time_ms / 60000.0,
	    (double)t->time_ms / 1000.0 / (double)t->reviews);
	snprintf(lines[1], 256, "Again: %lld (%.1f%% correct).",
	    (long long)t->again, 100.0 * (double)(t->reviews - t->again) /
	    (double)t->reviews);
	snprintf(lines[2], 256, "Learn: %lld, review: %lld, relearn: %lld.",
	    (long long)t->by_kind[STATS_LEARN],
	    (long long)(t->by_kind[STATS_YOUNG] + t->by_kind[STATS_MATURE]),
	    (long long)t->by_kind[STATS_RELEARN]);
	pct(a, sizeof a, stats_pass_rate(&t->young));
	pct(b, sizeof b, stats_pass_rate(&t->mature));
	snprintf(lines[3], 256, "Correct on review cards: young %s "
	    "(%lld of %lld), mature %s (%lld of %lld).", a,
	    (long long)t->young.pass, (long long)(t->young.pass + t->young.fail),
	    b, (long long)t->mature.pass,
	    (long long)(t->mature.pass + t->mature.fail));
	return 4;
}

/* Word-wrap ASCII text into rows of width from row y (only counting when
 * c is NULL); returns the rows it takes. */
static int
put_wrapped(struct chart_canvas *c, int width, int y, const char *text)
{
	const char *p = text;
	char row[256];
	int rows = 0;

	if (width <= 0)
		return 1;
	while (*p != '\0') {
		size_t n = strlen(p), cut = n;

		if ((int)n > width) {
			cut = (size_t)width;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)width;
		}
		if (cut >= sizeof row)
			cut = sizeof row - 1;
		memcpy(row, p, cut);
		row[cut] = '\0';
		if (c != NULL)
			put_str(c, 0, y + rows, row, CHART_NONE);
		rows++;
		p += cut;
		while (*p == ' ')
			p++;
	}
	return rows > 0 ? rows : 1;
}

static void
draw_today(const struct stats *s, struct chart_canvas *c)
{
	char lines[4][256];
	int n = today_lines(s, lines), y = 0;

	for (int i = 0; i < n && y < c->height; i++)
		y += put_wrapped(c, c->width, y, lines[i]);
}

static void
cell_pass(char *buf, size_t len, const struct stats_pass *p, int counts)
{
	char r[16];

	pct(r, sizeof r, stats_pass_rate(p));
	if (counts)
		snprintf(buf, len, "%6s %lld/%lld", r, (long long)p->pass,
		    (long long)(p->pass + p->fail));
	else
		snprintf(buf, len, "%6s", r);
}

static void
draw_true_retention(const struct stats *s, struct chart_canvas *c)
{
	static const char *const heads[3] = { "Young", "Mature", "All" };
	int counts = c->width >= 70, colw = counts ? 20 : 8, x0 = 11;

	for (int j = 0; j < 3; j++)
		put_str(c, x0 + j * colw, 0, heads[j], CHART_AXIS);
	for (int i = 0; i < STATS_NSPANS; i++) {
		struct stats_pass all = {
			s->young[i].pass + s->mature[i].pass,
			s->young[i].fail + s->mature[i].fail
		};
		const struct stats_pass *p[3] = { &s->young[i], &s->mature[i], &all };
		char cell[64];

		put_str(c, 0, i + 1, span_names[i], CHART_AXIS);
		for (int j = 0; j < 3; j++) {
			cell_pass(cell, sizeof cell, p[j], counts);
			put_str(c, x0 + j * colw, i + 1, cell, CHART_NONE);
		}
	}
}

static void
draw_forecast(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p)
{
	struct bars b;
	double *due = xcalloc(s->ndue + 1, sizeof *due);
	double *late = xcalloc(s->ndue + 1, sizeof *late);
	double hi = (double)s->overdue;
	int first;

	for (size_t i = 0; i < s->ndue; i++)
		hi = (double)s->due[i] > hi ? (double)s->due[i] : hi;
	memset(&b, 0, sizeof b);
	b.fmt.decimals = 0;
	/* The backlog is a bar of its own at the left when every day has a
	 * column; squeezed into a mean of days it would mean nothing. */
	first = s->overdue > 0 && (size_t)bars_plot_width(c, hi > 0 ? hi : 1,
	    &b.fmt) >= s->ndue + 1;
	for (size_t i = 0; i < s->ndue; i++) {
		due[i + (size_t)first] = (double)s->due[i];
		late[i + (size_t)first] = 0;
	}
	if (first)
		late[0] = (double)s->overdue;
	b.v[0] = due;
	b.v[1] = late;
	b.ns = 2;
	b.n = s->ndue + (size_t)first;
	b.first = first;
	b.future = 1;
	draw_bars(c, p, &b);
	free(due);
	free(late);
}

static void
draw_reviews(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p, int time)
{
	double *v[STATS_NKINDS];
	struct bars b;
	double top = 0;

	memset(&b, 0, sizeof b);
	for (int k = 0; k < (time ? 1 : STATS_NKINDS); k++)
		v[k] = xcalloc(s->ndays ? s->ndays : 1, sizeof *v[k]);
	for (size_t i = 0; i < s->ndays; i++) {
		if (time) {
			v[0][i] = (double)s->days[i].time_ms / 60000.0;
			top = v[0][i] > top ? v[0][i] : top;
		} else
			for (int k = 0; k < STATS_NKINDS; k++)
				v[k][i] = (double)s->days[i].count[k];
	}
	for (int k = 0; k < (time ? 1 : STATS_NKINDS); k++)
		b.v[k] = v[k];
	b.ns = time ? 1 : STATS_NKINDS;
	b.n = s->ndays;
	b.ascii = time ? NULL : REVIEW_ASCII;
	b.fmt.decimals = time && top > 0 && top < 10 ? 1 : 0;
	draw_bars(c, p, &b);
	for (int k = 0; k < (time ? 1 : STATS_NKINDS); k++)
		free(v[k]);
}

/* The range of a rate graph: from a little under the lowest value (or the
 * reference) to 100%, in whole tens. */
static double
rate_floor(const double *v, size_t n, double also)
{
	double lo = also;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] < lo)
			lo = v[i];
	lo = floor((lo - 0.02) * 10) / 10;
	return lo < 0 ? 0 : lo;
}

static void
draw_retention(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p)
{
	size_t n = s->nweeks;
	double *meas = xcalloc(n ? n * 2 : 2, sizeof *meas), *pred = meas + n;
	struct chart_series ser[2];
	struct chart_line opt;
	struct labels L;
	double lo;
	int pw = c->width > 6 ? c->width - 6 : c->width;
	long step = 1;

	for (size_t i = 0; i < n; i++) {
		const struct stats_week *w = &s->weeks[i];
		meas[i] = stats_pass_rate(&w->review);
		pred[i] = w->predicted_n > 0 ?
		    w->predicted_sum / (double)w->predicted_n : NAN;
	}
	lo = rate_floor(meas, 2 * n, s->desired_retention);
	ser[0].v = meas;
	ser[0].n = n;
	ser[1].v = pred;
	ser[1].n = n;
	memset(&opt, 0, sizeof opt);
	opt.profile = p;
	opt.series = ser;
	opt.nseries = 2;
	opt.ymin = lo;
	opt.ymax = 1.0;
	opt.has_ref = 1;
	opt.ref = s->desired_retention;
	opt.fmt.scale = 100;
	opt.fmt.unit = "%";
	/* A label about every 9 columns: weeks, then 4-week steps. */
	while (n > 1 && (double)step * pw / (double)(n - 1) < 9)
		step = step < 4 ? step * 2 : step + 4;
	L.n = 0;
	for (long i = (long)((n - 1) / (size_t)step) * step; i >= step; i -= step)
		if ((double)i * pw / (double)(n > 1 ? n - 1 : 1) >= 7)
			label_add(&L, (double)((long)n - 1 - i), "-%ldw", i);
	label_add(&L, (double)(n - 1), "now", 0);
	opt.xlabels = L.l;
	opt.nxlabels = L.n;
	chart_line(c, &opt);
	free(meas);
}

static void
draw_calendar(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p)
{
	static const char *const initials[12] = {
		"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"
	};
	double v[STATS_CALENDAR_DAYS];
	struct chart_label l[16];
	struct chart_heatmap opt;
	long first = s->today - (STATS_CALENDAR_DAYS - 1);
	size_t nl = 0;

	for (int i = 0; i < STATS_CALENDAR_DAYS; i++) {
		v[i] = (double)s->calendar[i];
		if (day_of_month(first + i) == 1 && nl < 16) {
			l[nl].at = (double)((s->calendar_first_weekday + i) / 7);
			l[nl].text = initials[month_of(first + i) - 1];
			nl++;
		}
	}
	memset(&opt, 0, sizeof opt);
	opt.profile = p;
	opt.v = v;
	opt.n = STATS_CALENDAR_DAYS;
	opt.first_weekday = s->calendar_first_weekday;
	opt.xlabels = l;
	opt.nxlabels = nl;
	chart_heatmap(c, &opt);
}

static void
draw_hbars(struct chart_canvas *c, enum chart_profile p,
    const char *const *labels, const double *values, const int *series,
    size_t n, double max, struct chart_format fmt)
{
	struct chart_hbars opt;

	memset(&opt, 0, sizeof opt);
	opt.profile = p;
	opt.labels = labels;
	opt.values = values;
	opt.series = series;
	opt.n = n;
	opt.max = max;
	opt.fmt = fmt;
	chart_hbars(c, &opt);
}

static void
draw_counts(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p)
{
	static const char *const labels[7] = {
		"New", "Learning", "Relearning", "Young", "Mature", "Suspended",
		"Buried"
	};
	static const int series[7] = { 0, 1, 2, 3, 4, 5, 6 };
	const struct stats_counts *k = &s->counts;
	double v[7] = {
		(double)k->new_count, (double)k->learning, (double)k->relearning,
		(double)k->young, (double)k->mature, (double)k->suspended,
		(double)k->buried
	};
	struct chart_format fmt = { 1, 0, NULL };

	draw_hbars(c, p, labels, v, series, 7, 0, fmt);
}

static void
draw_histogram(struct chart_canvas *c, enum chart_profile p,
    const int64_t *bins, size_t n, const char *const *labels)
{
	double v[16];
	struct chart_format fmt = { 1, 0, NULL };

	for (size_t i = 0; i < n && i < 16; i++)
		v[i] = (double)bins[i];
	draw_hbars(c, p, labels, v, NULL, n, 0, fmt);
}

static void
draw_buttons(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p)
{
	const char *labels[16];
	char names[STATS_NBUTTON_TYPES][16];
	double v[16];
	int series[16];
	size_t n = 0;
	int gaps = c->height >= 14;
	struct chart_format fmt = { 100, 0, "%" };

	for (int t = 0; t < STATS_NBUTTON_TYPES; t++) {
		int64_t total = 0;

		for (int r = 0; r < 4; r++)
			total += s->buttons[t][r];
		snprintf(names[t], sizeof names[t], "%s %s", button_types[t],
		    rating_names[0]);
		if (t > 0 && gaps) {
			labels[n] = NULL;
			v[n] = NAN;
			series[n++] = 0;
		}
		for (int r = 0; r < 4; r++) {
			labels[n] = r == 0 ? names[t] : rating_names[r];
			v[n] = total > 0 ? (double)s->buttons[t][r] / (double)total : 0;
			series[n++] = r;
		}
	}
	draw_hbars(c, p, labels, v, series, n, 1, fmt);
}

static void
draw_hours(const struct stats *s, struct chart_canvas *c,
    enum chart_profile p)
{
	double count[24], rate[24];
	struct chart_canvas top, bottom;
	struct chart_series ser;
	struct chart_line opt;
	struct bars b;
	int th = c->height >= 8 ? c->height * 3 / 5 : c->height;

	for (int h = 0; h < 24; h++) {
		count[h] = (double)s->hours[h].count;
		rate[h] = s->hours[h].count > 0 ?
		    (double)s->hours[h].pass / (double)s->hours[h].count : NAN;
	}
	memset(&b, 0, sizeof b);
	b.v[0] = count;
	b.ns = 1;
	b.n = 24;
	b.hours = 1;
	chart_canvas_init(&top, c->width, th);
	draw_bars(&top, p, &b);
	blit(c, &top, 0);
	chart_canvas_free(&top);
	if (th >= c->height)
		return;
	/* The share correct under the bars, as a line. */
	chart_canvas_init(&bottom, c->width, c->height - th);
	ser.v = rate;
	ser.n = 24;
	memset(&opt, 0, sizeof opt);
	opt.profile = p;
	opt.series = &ser;
	opt.nseries = 1;
	opt.ymin = rate_floor(rate, 24, 1.0);
	opt.ymax = 1.0;
	opt.fmt.scale = 100;
	opt.fmt.unit = "%";
	chart_line(&bottom, &opt);
	/* The line is the graph's series 1: the bars are 0. */
	for (int i = 0; i < bottom.width * bottom.height; i++)
		if (bottom.cells[i].series == 0)
			bottom.cells[i].series = 1;
	blit(c, &bottom, th);
	chart_canvas_free(&bottom);
}

void
stats_graph_draw(const struct stats *s, int graph, struct chart_canvas *c,
    int width, int height, enum chart_profile p)
{
	const char *log_labels[STATS_NLOG_BINS];

	chart_canvas_init(c, width, height);
	if (c->cells == NULL)
		return;
	for (int i = 0; i < STATS_NLOG_BINS; i++)
		log_labels[i] = stats_log_bin_label(i);
	switch (graph) {
	case STATS_GRAPH_TODAY:
		draw_today(s, c);
		break;
	case STATS_GRAPH_TRUE_RETENTION:
		draw_true_retention(s, c);
		break;
	case STATS_GRAPH_FORECAST:
		draw_forecast(s, c, p);
		break;
	case STATS_GRAPH_REVIEWS:
		draw_reviews(s, c, p, 0);
		break;
	case STATS_GRAPH_TIME:
		draw_reviews(s, c, p, 1);
		break;
	case STATS_GRAPH_RETENTION:
		draw_retention(s, c, p);
		break;
	case STATS_GRAPH_CALENDAR:
		draw_calendar(s, c, p);
		break;
	case STATS_GRAPH_COUNTS:
		draw_counts(s, c, p);
		break;
	case STATS_GRAPH_INTERVALS:
		draw_histogram(c, p, s->intervals, STATS_NLOG_BINS, log_labels);
		break;
	case STATS_GRAPH_STABILITY:
		draw_histogram(c, p, s->stability, STATS_NLOG_BINS, log_labels);
		break;
	case STATS_GRAPH_DIFFICULTY:
		draw_histogram(c, p, s->difficulty, STATS_NDIFF_BINS, tenths);
		break;
	case STATS_GRAPH_RETRIEVABILITY:
		draw_histogram(c, p, s->retrievability, STATS_NR_BINS, tenths);
		break;
	case STATS_GRAPH_BUTTONS:
		draw_buttons(s, c, p);
		break;
	case STATS_GRAPH_HOURS:
		draw_hours(s, c, p);
		break;
	default:
		break;
	}
}

/* ---- captions, legends, sizes, colours ----------------------------------- */

static int64_t
sum64(const int64_t *v, size_t n)
{
	int64_t t = 0;

	for (size_t i = 0; i < n; i++)
		t += v[i];
	return t;
}

void
stats_graph_caption(const struct stats *s, int graph, enum chart_profile p,
    struct buf *out)
{
	const char *sep = p == CHART_ASCII ? ", " : " · ";
	char a[16], b[16], c[16];

	buf_reset(out);
	switch (graph) {
	case STATS_GRAPH_TRUE_RETENTION:
		pct(a, sizeof a, s->desired_retention);
		buf_printf(out, "Review cards; passed: Hard, Good, Easy%smature: "
		    "21+ days%sdesired: %s", sep, sep, a);
		break;
	case STATS_GRAPH_FORECAST:
		buf_printf(out, "Due tomorrow: %lld%soverdue: %lld%sdaily load: "
		    "%.0f review%s", (long long)(s->ndue > 1 ? s->due[1] : 0),
		    sep, (long long)s->overdue, sep, s->daily_load,
		    S(llround(s->daily_load)));
		break;
	case STATS_GRAPH_REVIEWS: {
		int64_t total = 0;
		long studied = 0;

		for (size_t i = 0; i < s->ndays; i++) {
			int64_t t = stats_day_total(&s->days[i]);
			total += t;
			studied += t > 0;
		}
		buf_printf(out, "Total: %lld%s%.1f a day%sstudied %ld of %zu days",
		    (long long)total, sep, s->ndays ? (double)total /
		    (double)s->ndays : 0.0, sep, studied, s->ndays);
		break;
	}
	case STATS_GRAPH_TIME: {
		int64_t ms = 0;

		for (size_t i = 0; i < s->ndays; i++)
			ms += s->days[i].time_ms;
		buf_printf(out, "Total: %lld h %lld min%s%.1f min a day",
		    (long long)(ms / 3600000), (long long)(ms / 60000 % 60), sep,
		    s->ndays ? (double)ms / 60000.0 / (double)s->ndays : 0.0);
		break;
	}
	case STATS_GRAPH_RETENTION: {
		struct stats_pass t = { 0, 0 };
		double psum = 0;
		int64_t pn = 0;

		for (size_t i = 0; i < s->nweeks; i++) {
			t.pass += s->weeks[i].review.pass;
			t.fail += s->weeks[i].review.fail;
			psum += s->weeks[i].predicted_sum;
			pn += s->weeks[i].predicted_n;
		}
		pct(a, sizeof a, stats_pass_rate(&t));
		pct(b, sizeof b, pn > 0 ? psum / (double)pn : NAN);
		pct(c, sizeof c, s->desired_retention);
		buf_printf(out, "Measured: %s of %lld review%s%spredicted: %s%s"
		    "desired: %s", a, (long long)(t.pass + t.fail),
		    S(t.pass + t.fail), sep, b, sep, c);
		break;
	}
	case STATS_GRAPH_CALENDAR:
		buf_printf(out, "Streak: %ld day%s%slongest: %ld%sdays studied: %ld",
		    s->streak_current, s->streak_current == 1 ? "" : "s", sep,
		    s->streak_longest, sep, s->days_studied);
		break;
	case STATS_GRAPH_COUNTS:
		buf_printf(out, "Total: %lld card%s", (long long)s->counts.total,
		    S(s->counts.total));
		break;
	case STATS_GRAPH_INTERVALS:
		if (isnan(s->mean_interval))
			buf_adds(out, "No cards in review yet");
		else
			buf_printf(out, "Average interval: %.1f days",
			    s->mean_interval);
		break;
	case STATS_GRAPH_RETRIEVABILITY: {
		int64_t n = sum64(s->retrievability, STATS_NR_BINS);

		if (n == 0) {
			buf_adds(out, "No cards with a memory state yet");
			break;
		}
		pct(a, sizeof a, s->mean_retrievability);
		buf_printf(out, "Average: %s%sestimated known: %.0f of %lld card%s",
		    a, sep, s->mean_retrievability * (double)n, (long long)n,
		    S(n));
		break;
	}
	case STATS_GRAPH_BUTTONS:
		buf_adds(out, "Correct:");
		for (int t = 0; t < STATS_NBUTTON_TYPES; t++) {
			int64_t total = sum64(s->buttons[t], 4);
			pct(a, sizeof a, total > 0 ? (double)(total -
			    s->buttons[t][0]) / (double)total : NAN);
			buf_printf(out, "%s%s %s", t ? sep : " ", button_types[t], a);
		}
		break;
	case STATS_GRAPH_HOURS: {
		int best = -1;

		for (int h = 0; h < 24; h++)
			if (s->hours[h].count > 0 && (best < 0 ||
			    s->hours[h].count > s->hours[best].count))
				best = h;
		if (best < 0)
			buf_adds(out, "No reviews in this period");
		else {
			pct(a, sizeof a, (double)s->hours[best].pass /
			    (double)s->hours[best].count);
			buf_printf(out, "Busiest hour: %02d:00 (%lld review%s, %s "
			    "correct)", best, (long long)s->hours[best].count,
			    S(s->hours[best].count), a);
		}
		break;
	}
	default:
		break;
	}
}

size_t
stats_graph_legend(int graph, struct stats_legend *out, size_t max)
{
	static const struct stats_legend reviews[] = {
		{ "learn", 0 }, { "young", 1 }, { "mature", 2 }, { "relearn", 3 },
	};
	static const struct stats_legend forecast[] = {
		{ "due", 0 }, { "overdue", 1 },
	};
	static const struct stats_legend retention[] = {
		{ "measured", 0 }, { "predicted", 1 }, { "desired", CHART_REF },
	};
	static const struct stats_legend hours[] = {
		{ "reviews", 0 }, { "% correct", 1 },
	};
	static const struct stats_legend buttons[] = {
		{ "Again", 0 }, { "Hard", 1 }, { "Good", 2 }, { "Easy", 3 },
	};
	const struct stats_legend *l = NULL;
	size_t n = 0;

	switch (graph) {
	case STATS_GRAPH_REVIEWS:
		l = reviews;
		n = 4;
		break;
	case STATS_GRAPH_FORECAST:
		l = forecast;
		n = 2;
		break;
	case STATS_GRAPH_RETENTION:
		l = retention;
		n = 3;
		break;
	case STATS_GRAPH_HOURS:
		l = hours;
		n = 2;
		break;
	case STATS_GRAPH_BUTTONS:
		l = buttons;
		n = 4;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n && i < max; i++)
		out[i] = l[i];
	return n;
}

int
stats_graph_height(const struct stats *s, int graph, int width)
{
	switch (graph) {
	case STATS_GRAPH_TODAY: {
		char lines[4][256];
		int n = today_lines(s, lines), rows = 0;

		for (int i = 0; i < n; i++)
			rows += put_wrapped(NULL, width, 0, lines[i]);
		return rows;
	}
	case STATS_GRAPH_TRUE_RETENTION:
		return 1 + STATS_NSPANS;
	case STATS_GRAPH_CALENDAR:
		return 8;
	case STATS_GRAPH_COUNTS:
		return 7;
	case STATS_GRAPH_INTERVALS:
	case STATS_GRAPH_STABILITY:
		return STATS_NLOG_BINS;
	case STATS_GRAPH_DIFFICULTY:
	case STATS_GRAPH_RETRIEVABILITY:
		return 10;
	case STATS_GRAPH_BUTTONS:
		return 14;
	case STATS_GRAPH_HOURS:
		return 13;
	default:
		/* Taller on a wide screen, so bars keep their shape. */
		return width >= 120 ? 10 : 8;
	}
}

enum theme_element
stats_graph_element(int graph, int series)
{
	static const enum theme_element kinds[4] = {
		THEME_GRAPH_LEARN, THEME_GRAPH_YOUNG, THEME_GRAPH_MATURE,
		THEME_GRAPH_RELEARN
	};
	static const enum theme_element heat[5] = {
		THEME_GRAPH_HEAT_0, THEME_GRAPH_HEAT_1, THEME_GRAPH_HEAT_2,
		THEME_GRAPH_HEAT_3, THEME_GRAPH_HEAT_4
	};
	static const enum theme_element buttons[4] = {
		THEME_BUTTON_AGAIN, THEME_BUTTON_HARD, THEME_BUTTON_GOOD,
		THEME_BUTTON_EASY
	};
	static const enum theme_element counts[7] = {
		THEME_GRAPH_BAR, THEME_GRAPH_LEARN, THEME_GRAPH_RELEARN,
		THEME_GRAPH_YOUNG, THEME_GRAPH_MATURE, THEME_MUTED, THEME_MUTED
	};

	if (series == CHART_AXIS)
		return THEME_GRAPH_AXIS;
	if (series == CHART_REF)
		return THEME_GRAPH_TARGET;
	if (series < 0)
		return THEME_NORMAL;
	switch (graph) {
	case STATS_GRAPH_TODAY:
	case STATS_GRAPH_TRUE_RETENTION:
		return THEME_NORMAL;
	case STATS_GRAPH_REVIEWS:
		return series < 4 ? kinds[series] : THEME_GRAPH_BAR;
	case STATS_GRAPH_FORECAST:
		return series == 1 ? THEME_GRAPH_RELEARN : THEME_GRAPH_BAR;
	case STATS_GRAPH_RETENTION:
		return series == 1 ? THEME_GRAPH_PREDICTED : THEME_GRAPH_RETENTION;
	case STATS_GRAPH_CALENDAR:
		return series < 5 ? heat[series] : THEME_GRAPH_HEAT_4;
	case STATS_GRAPH_COUNTS:
		return series < 7 ? counts[series] : THEME_GRAPH_BAR;
	case STATS_GRAPH_BUTTONS:
		return series < 4 ? buttons[series] : THEME_GRAPH_BAR;
	case STATS_GRAPH_HOURS:
		return series == 1 ? THEME_GRAPH_RETENTION : THEME_GRAPH_BAR;
	default:
		return THEME_GRAPH_BAR;
	}
}

/* ---- lemma stats: text ------------------------------------------------------ */

static void
add_canvas(struct buf *out, const struct chart_canvas *c)
{
	struct buf row;

	buf_init(&row);
	for (int y = 0; y < c->height; y++) {
		chart_canvas_row(c, y, &row);
		while (row.len > 0 && row.data[row.len - 1] == ' ')
			row.data[--row.len] = '\0';
		buf_add(out, row.data, row.len);
		buf_addc(out, '\n');
	}
	buf_free(&row);
}

void
stats_text(const struct stats *s, int width, enum chart_profile p,
    struct buf *out)
{
	char from[16], to[16], dr[16], *deck;
	struct buf cap;

	if (width < 20)
		width = 20;
	stats_day_date(s->today - (long)s->ndays + 1, from, sizeof from);
	stats_day_date(s->today, to, sizeof to);
	pct(dr, sizeof dr, s->desired_retention);
	/* The deck name is the user's: the text goes to a terminal. */
	deck = termsafe_str(s->deck != NULL ? s->deck : "",
	    p == CHART_ASCII ? TERMSAFE_ASCII : 0);
	buf_printf(out, "Statistics for %s%s%s, %s (%s to %s); days begin at "
	    "%02d:00, desired retention %s\n\n", s->deck != NULL ? "deck \"" :
	    "the whole collection", deck,
	    s->deck != NULL ? "\"" : "", s->period == STATS_MONTH ? "last month" :
	    s->period == STATS_YEAR ? "last year" : "all history", from, to,
	    s->rollover_hour, dr);
	free(deck);
	buf_init(&cap);
	for (int g = 0; g < STATS_NGRAPHS; g++) {
		struct stats_legend leg[4];
		size_t nleg = stats_graph_legend(g, leg, 4);
		struct chart_canvas c;

		buf_printf(out, "%s\n", stats_graph_title(g));
		stats_graph_caption(s, g, p, &cap);
		if (cap.len > 0)
			buf_printf(out, "%s\n", cap.data);
		if (nleg > 0 && g == STATS_GRAPH_REVIEWS && p == CHART_ASCII) {
			/* Without colour, the stacked series differ only by
			 * their ASCII fill; UTF-8 blocks look alike. */
			buf_adds(out, "Bottom to top:");
			for (size_t i = 0; i < nleg; i++)
				buf_printf(out, " %c %s", REVIEW_ASCII[i], leg[i].name);
			buf_addc(out, '\n');
		} else if (nleg > 0 && g != STATS_GRAPH_BUTTONS) {
			buf_adds(out, g == STATS_GRAPH_REVIEWS ?
			    "Bottom to top:" : "Series:");
			for (size_t i = 0; i < nleg; i++)
				buf_printf(out, "%s %s", i ? "," : "", leg[i].name);
			buf_addc(out, '\n');
		}
		stats_graph_draw(s, g, &c, width, stats_graph_height(s, g, width),
		    p);
		add_canvas(out, &c);
		chart_canvas_free(&c);
		buf_addc(out, '\n');
	}
	buf_free(&cap);
}
