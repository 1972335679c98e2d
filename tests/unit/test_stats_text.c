/*
 * test_stats_text.c - the statistics as canvases, text and JSON: every
 * graph at every size and profile stays inside its canvas with one-column
 * glyphs (ASCII only in the ASCII profile), the exact glyphs of small
 * graphs, the captions' figures, the theme elements, and JSON that parses
 * back to the same numbers. Hand-made figures: no progress file.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json-mini.h"
#include "lemma/app/theme.h"
#include "lemma/base/xmalloc.h"
#include "lemma/stats/chart.h"
#include "lemma/stats/stats-json.h"
#include "lemma/stats/stats-text.h"
#include "lemma/stats/stats.h"

#define TODAY	20089L	/* 2025-01-01 */

static const enum chart_profile profiles[] = {
	CHART_UTF8_BRAILLE, CHART_UTF8_BLOCK, CHART_ASCII
};

/* Nothing studied, nothing due: a new collection. */
static void
make_empty(struct stats *s)
{
	memset(s, 0, sizeof *s);
	s->period = STATS_MONTH;
	s->today = TODAY;
	s->now = 1735722000;
	s->rollover_hour = 4;
	s->desired_retention = 0.9;
	s->ndays = 30;
	s->days = xcalloc(s->ndays, sizeof *s->days);
	s->nweeks = 5;
	s->weeks = xcalloc(s->nweeks, sizeof *s->weeks);
	s->ndue = 30;
	s->due = xcalloc(s->ndue, sizeof *s->due);
	s->calendar_first_weekday = 2;
	s->mean_interval = NAN;
	s->mean_retrievability = NAN;
}

/* A month of study with every figure non-zero somewhere. */
static void
make_full(struct stats *s)
{
	make_empty(s);
	s->deck = xstrdup("Lang::\"French\"");
	for (size_t i = 0; i < s->ndays; i++) {
		s->days[i].count[STATS_LEARN] = (int64_t)(i % 3);
		s->days[i].count[STATS_YOUNG] = (int64_t)(10 + i);
		s->days[i].count[STATS_MATURE] = (int64_t)(40 - i);
		s->days[i].count[STATS_RELEARN] = i % 5 == 0 ? 2 : 0;
		s->days[i].time_ms = (int64_t)(60000 * (5 + i % 7));
	}
	for (size_t w = 0; w < s->nweeks; w++) {
		s->weeks[w].review.pass = (int64_t)(80 + w);
		s->weeks[w].review.fail = 10;
		s->weeks[w].predicted_sum = 0.9 * 90;
		s->weeks[w].predicted_n = 90;
	}
	for (size_t i = 0; i < s->ndue; i++)
		s->due[i] = (int64_t)(i * 7 % 23);
	s->overdue = 12;
	s->daily_load = 41.4;
	for (int i = 0; i < STATS_CALENDAR_DAYS; i++)
		s->calendar[i] = i % 9 == 0 ? 0 : i % 50;
	s->days_studied = 320;
	s->streak_current = 12;
	s->streak_longest = 60;
	s->today_figures.cards = 42;
	s->today_figures.reviews = 50;
	s->today_figures.time_ms = 600000;
	s->today_figures.again = 5;
	s->today_figures.by_kind[STATS_LEARN] = 10;
	s->today_figures.by_kind[STATS_YOUNG] = 15;
	s->today_figures.by_kind[STATS_MATURE] = 23;
	s->today_figures.by_kind[STATS_RELEARN] = 2;
	s->today_figures.young.pass = 12;
	s->today_figures.young.fail = 3;
	s->today_figures.mature.pass = 21;
	s->today_figures.mature.fail = 2;
	for (int i = 0; i < STATS_NSPANS; i++) {
		s->young[i].pass = 12 * (i + 1);
		s->young[i].fail = 3 * (i + 1);
		s->mature[i].pass = 21 * (i + 1);
		s->mature[i].fail = 2 * (i + 1);
	}
	for (int i = 0; i < STATS_NLOG_BINS; i++) {
		s->intervals[i] = 5 * i;
		s->stability[i] = 4 * i + 1;
	}
	for (int i = 0; i < STATS_NDIFF_BINS; i++)
		s->difficulty[i] = 10 - i;
	s->retrievability[8] = 20;
	s->retrievability[9] = 180;
	s->mean_retrievability = 0.93;
	s->mean_interval = 45.25;
	for (int t = 0; t < STATS_NBUTTON_TYPES; t++)
		for (int r = 0; r < 4; r++)
			s->buttons[t][r] = (t + 1) * (r + 1);
	for (int h = 7; h < 23; h++) {
		s->hours[h].count = 10 * h;
		s->hours[h].pass = 9 * h;
	}
	s->counts.new_count = 100;
	s->counts.learning = 5;
	s->counts.relearning = 2;
	s->counts.young = 40;
	s->counts.mature = 300;
	s->counts.suspended = 3;
	s->counts.buried = 1;
	s->counts.total = 451;
}

static char *
row(const struct chart_canvas *c, int y)
{
	struct buf b;

	buf_init(&b);
	chart_canvas_row(c, y, &b);
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
}

static void
assert_row(const struct chart_canvas *c, int y, const char *want)
{
	char *got = row(c, y);

	assert_string_equal(got, want);
	free(got);
}

/* Every glyph one column: ASCII, or one UTF-8 code point of the Braille,
 * block, box-drawing or shade ranges. */
static void
assert_canvas_sane(const struct chart_canvas *c, enum chart_profile p,
    int graph)
{
	for (int y = 0; y < c->height; y++)
		for (int x = 0; x < c->width; x++) {
			const struct chart_cell *cell = chart_cell(c, x, y);
			const unsigned char *g;
			enum theme_element el;

			assert_non_null(cell);
			g = (const unsigned char *)cell->glyph;
			assert_true(g[0] != '\0');
			if (p == CHART_ASCII || g[0] < 0x80) {
				assert_true(g[0] >= 0x20 && g[0] < 0x7f);
				assert_int_equal(g[1], '\0');
			} else {
				/* U+2500-U+28FF: box drawing, blocks, Braille */
				assert_int_equal(g[0], 0xe2);
				assert_true(g[1] >= 0x94 && g[1] <= 0xa3);
				assert_int_equal(g[3], '\0');
			}
			el = stats_graph_element(graph, cell->series);
			assert_true(el >= 0 && el < THEME_NELEMENTS);
		}
}

static void
test_titles(void **state)
{
	struct stats_legend l[8];

	(void)state;
	assert_int_equal(stats_graph_count(), STATS_NGRAPHS);
	for (int g = 0; g < STATS_NGRAPHS; g++)
		assert_true(strlen(stats_graph_title(g)) > 0);
	assert_string_equal(stats_graph_title(-1), "");
	assert_string_equal(stats_graph_title(STATS_NGRAPHS), "");
	assert_string_equal(stats_graph_title(STATS_GRAPH_REVIEWS),
	    "Reviews per day");
	assert_int_equal(stats_graph_legend(STATS_GRAPH_REVIEWS, l, 8), 4);
	assert_string_equal(l[2].name, "mature");
	assert_int_equal(l[2].series, 2);
	assert_int_equal(stats_graph_legend(STATS_GRAPH_RETENTION, l, 8), 3);
	assert_int_equal(l[2].series, CHART_REF);
	assert_int_equal(stats_graph_legend(STATS_GRAPH_CALENDAR, l, 8), 0);
	/* max limits what is written, not the count */
	assert_int_equal(stats_graph_legend(STATS_GRAPH_BUTTONS, l, 1), 4);
}

static void
test_elements(void **state)
{
	static const struct { int graph, series; enum theme_element want; }
	    cases[] = {
		{ STATS_GRAPH_REVIEWS, 0, THEME_GRAPH_LEARN },
		{ STATS_GRAPH_REVIEWS, 1, THEME_GRAPH_YOUNG },
		{ STATS_GRAPH_REVIEWS, 2, THEME_GRAPH_MATURE },
		{ STATS_GRAPH_REVIEWS, 3, THEME_GRAPH_RELEARN },
		{ STATS_GRAPH_REVIEWS, CHART_AXIS, THEME_GRAPH_AXIS },
		{ STATS_GRAPH_RETENTION, 0, THEME_GRAPH_RETENTION },
		{ STATS_GRAPH_RETENTION, 1, THEME_GRAPH_PREDICTED },
		{ STATS_GRAPH_RETENTION, CHART_REF, THEME_GRAPH_TARGET },
		{ STATS_GRAPH_CALENDAR, 0, THEME_GRAPH_HEAT_0 },
		{ STATS_GRAPH_CALENDAR, 4, THEME_GRAPH_HEAT_4 },
		{ STATS_GRAPH_FORECAST, 1, THEME_GRAPH_RELEARN },
		{ STATS_GRAPH_BUTTONS, 0, THEME_BUTTON_AGAIN },
		{ STATS_GRAPH_BUTTONS, 3, THEME_BUTTON_EASY },
		{ STATS_GRAPH_COUNTS, 4, THEME_GRAPH_MATURE },
		{ STATS_GRAPH_HOURS, 1, THEME_GRAPH_RETENTION },
		{ STATS_GRAPH_TODAY, CHART_NONE, THEME_NORMAL },
		{ STATS_GRAPH_INTERVALS, 0, THEME_GRAPH_BAR },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(stats_graph_element(cases[i].graph,
		    cases[i].series), cases[i].want);
}

/* Every graph, every profile, sizes from nothing to a big terminal. */
static void
test_every_size(void **state)
{
	static const struct { int w, h; } sizes[] = {
		{ 0, 0 }, { -3, 5 }, { 1, 1 }, { 2, 2 }, { 5, 3 }, { 12, 4 },
		{ 20, 7 }, { 40, 10 }, { 76, 8 }, { 80, 24 }, { 200, 60 },
	};
	struct stats full, empty;
	const struct stats *all[2] = { &full, &empty };

	(void)state;
	make_full(&full);
	make_empty(&empty);
	for (int k = 0; k < 2; k++)
		for (int g = 0; g < STATS_NGRAPHS; g++)
			for (size_t p = 0; p < 3; p++)
				for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
					struct chart_canvas c;
					int w = sizes[i].w, h = sizes[i].h;

					stats_graph_draw(all[k], g, &c, w, h, profiles[p]);
					if (w <= 0 || h <= 0) {
						assert_null(c.cells);
					} else {
						assert_int_equal(c.width, w);
						assert_int_equal(c.height, h);
						assert_canvas_sane(&c, profiles[p], g);
					}
					chart_canvas_free(&c);
				}
	stats_free(&full);
	stats_free(&empty);
}

static void
test_today_text(void **state)
{
	struct stats s;
	struct chart_canvas c;

	(void)state;
	make_full(&s);
	stats_graph_draw(&s, STATS_GRAPH_TODAY, &c, 80, 4, CHART_ASCII);
	assert_row(&c, 0, "50 reviews of 42 cards in 10.0 minutes (12.0 s/review).");
	assert_row(&c, 1, "Again: 5 (90.0% correct).");
	assert_row(&c, 2, "Learn: 10, review: 38, relearn: 2.");
	assert_row(&c, 3, "Correct on review cards: young 80.0% (12 of 15), "
	    "mature 91.3% (21 of 23).");
	chart_canvas_free(&c);
	/* narrow: words wrap, and the height says so */
	assert_int_equal(stats_graph_height(&s, STATS_GRAPH_TODAY, 80), 4);
	assert_int_equal(stats_graph_height(&s, STATS_GRAPH_TODAY, 30), 8);
	stats_graph_draw(&s, STATS_GRAPH_TODAY, &c, 30, 8, CHART_ASCII);
	/* a line of exactly the width is not split */
	assert_row(&c, 0, "50 reviews of 42 cards in 10.0");
	assert_row(&c, 1, "minutes (12.0 s/review).");
	assert_row(&c, 2, "Again: 5 (90.0% correct).");
	assert_row(&c, 5, "Correct on review cards: young");
	assert_row(&c, 6, "80.0% (12 of 15), mature 91.3%");
	assert_row(&c, 7, "(21 of 23).");
	chart_canvas_free(&c);
	stats_free(&s);

	make_empty(&s);
	stats_graph_draw(&s, STATS_GRAPH_TODAY, &c, 40, 2, CHART_UTF8_BRAILLE);
	assert_row(&c, 0, "No cards have been studied today.");
	assert_row(&c, 1, "");
	chart_canvas_free(&c);
	stats_free(&s);
}

static void
test_true_retention_table(void **state)
{
	struct stats s;
	struct chart_canvas c;

	(void)state;
	make_full(&s);
	s.young[STATS_SPAN_TODAY].pass = 0;
	s.young[STATS_SPAN_TODAY].fail = 0;
	stats_graph_draw(&s, STATS_GRAPH_TRUE_RETENTION, &c, 80, 6, CHART_ASCII);
	/* columns at 11, 31 and 51; a rate is right-aligned in 6 */
	assert_row(&c, 0, "           Young               Mature              All");
	assert_row(&c, 1, "Today           - 0/0           91.3% 21/23         91.3% 21/23");
	assert_row(&c, 2, "Yesterday   80.0% 24/30         91.3% 42/46         86.8% 66/76");
	assert_row(&c, 5, "Last year   80.0% 60/75         91.3% 105/115       86.8% 165/190");
	chart_canvas_free(&c);
	/* narrow: rates only */
	stats_graph_draw(&s, STATS_GRAPH_TRUE_RETENTION, &c, 40, 6, CHART_ASCII);
	assert_row(&c, 1, "Today           -   91.3%   91.3%");
	chart_canvas_free(&c);
	stats_free(&s);
}

/* Bars: one column per sample with a gap when there is room; exact glyphs
 * in ASCII and in eighths. */
static void
test_bar_glyphs(void **state)
{
	struct stats s;
	struct chart_canvas c;

	(void)state;
	make_empty(&s);
	/* Three days, stacked learn 1 + mature 1 on the last; 4 on the one
	 * before: with a top of 4 and 4 plot rows, 1 is one cell. 8 plot
	 * columns for 3 days: each day a column and a gap. */
	s.ndays = 3;
	s.days[1].count[STATS_YOUNG] = 4;
	s.days[2].count[STATS_LEARN] = 1;
	s.days[2].count[STATS_MATURE] = 1;
	stats_graph_draw(&s, STATS_GRAPH_REVIEWS, &c, 10, 6, CHART_ASCII);
	assert_row(&c, 0, "4+  =");
	assert_row(&c, 1, " |  =");
	assert_row(&c, 2, " |  = #");
	assert_row(&c, 3, "0+  = :");
	assert_row(&c, 4, " +--------");
	chart_canvas_free(&c);
	stats_graph_draw(&s, STATS_GRAPH_REVIEWS, &c, 10, 6, CHART_UTF8_BLOCK);
	assert_row(&c, 0, "4┤  █");
	assert_row(&c, 2, " │  █ █");
	assert_row(&c, 3, "0┤  █ █");
	assert_int_equal(chart_cell(&c, 6, 2)->series, 2);	/* mature */
	assert_int_equal(chart_cell(&c, 6, 3)->series, 0);	/* learn */
	assert_int_equal(chart_cell(&c, 4, 3)->series, 1);	/* young */
	assert_int_equal(chart_cell(&c, 5, 3)->series, CHART_NONE);
	chart_canvas_free(&c);
	stats_free(&s);
}

/* The forecast puts the backlog at the left when every day has a column. */
static void
test_forecast_backlog(void **state)
{
	struct stats s;
	struct chart_canvas c;
	int late = 0;

	(void)state;
	make_empty(&s);
	s.overdue = 9;
	s.due[0] = 3;
	stats_graph_draw(&s, STATS_GRAPH_FORECAST, &c, 80, 8, CHART_ASCII);
	for (int y = 0; y < c.height; y++)
		for (int x = 0; x < c.width; x++)
			late += chart_cell(&c, x, y)->series == 1;
	assert_true(late > 0);
	{
		char *r = row(&c, 7);
		assert_non_null(strstr(r, "today"));
		free(r);
	}
	chart_canvas_free(&c);
	/* a year at 80 columns: no room, the backlog is only in the caption */
	free(s.due);
	s.ndue = 365;
	s.due = xcalloc(s.ndue, sizeof *s.due);
	stats_graph_draw(&s, STATS_GRAPH_FORECAST, &c, 80, 8, CHART_ASCII);
	late = 0;
	for (int y = 0; y < c.height; y++)
		for (int x = 0; x < c.width; x++)
			late += chart_cell(&c, x, y)->series == 1;
	assert_int_equal(late, 0);
	chart_canvas_free(&c);
	stats_free(&s);
}

static void
test_calendar_cells(void **state)
{
	struct stats s;
	struct chart_canvas c;

	(void)state;
	make_empty(&s);
	/* 2024-01-03, the calendar's first day, was a Wednesday (row 2);
	 * today, the last, is a Wednesday too, in the 53rd column. */
	s.calendar[0] = 4;
	s.calendar[STATS_CALENDAR_DAYS - 1] = 1;
	stats_graph_draw(&s, STATS_GRAPH_CALENDAR, &c, 60, 8, CHART_ASCII);
	assert_string_equal(chart_cell(&c, 4, 3)->glyph, "#");
	assert_int_equal(chart_cell(&c, 4, 3)->series, 4);
	/* 1 of 4: sqrt(1/4) = 0.5, level 2 */
	assert_string_equal(chart_cell(&c, 4 + 52, 3)->glyph, ":");
	assert_int_equal(chart_cell(&c, 4 + 52, 3)->series, 2);
	assert_string_equal(chart_cell(&c, 4 + 1, 3)->glyph, " ");
	assert_int_equal(chart_cell(&c, 4 + 1, 3)->series, 0);
	/* Monday of the first week is before the data */
	assert_int_equal(chart_cell(&c, 4, 1)->series, CHART_NONE);
	assert_row(&c, 1, "Mon");
	chart_canvas_free(&c);
	stats_free(&s);
}

static void
test_captions(void **state)
{
	static const struct { int graph; enum chart_profile p; const char *want; }
	    cases[] = {
		{ STATS_GRAPH_FORECAST, CHART_ASCII,
		  "Due tomorrow: 7, overdue: 12, daily load: 41 reviews" },
		{ STATS_GRAPH_FORECAST, CHART_UTF8_BRAILLE,
		  "Due tomorrow: 7 · overdue: 12 · daily load: 41 reviews" },
		{ STATS_GRAPH_CALENDAR, CHART_ASCII,
		  "Streak: 12 days, longest: 60, days studied: 320" },
		{ STATS_GRAPH_COUNTS, CHART_ASCII, "Total: 451 cards" },
		{ STATS_GRAPH_INTERVALS, CHART_ASCII,
		  "Average interval: 45.2 days" },
		{ STATS_GRAPH_RETRIEVABILITY, CHART_ASCII,
		  "Average: 93.0%, estimated known: 186 of 200 cards" },
		{ STATS_GRAPH_BUTTONS, CHART_ASCII,
		  "Correct: learn 90.0%, young 90.0%, mature 90.0%" },
		{ STATS_GRAPH_HOURS, CHART_ASCII,
		  "Busiest hour: 22:00 (220 reviews, 90.0% correct)" },
		{ STATS_GRAPH_STABILITY, CHART_ASCII, "" },
	};
	struct stats s;
	struct buf b;

	(void)state;
	make_full(&s);
	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		stats_graph_caption(&s, cases[i].graph, cases[i].p, &b);
		assert_string_equal(b.len ? b.data : "", cases[i].want);
	}
	/* 30 days: learn 30, young 735, mature 765, relearn 12 */
	stats_graph_caption(&s, STATS_GRAPH_REVIEWS, CHART_ASCII, &b);
	assert_string_equal(b.data, "Total: 1542, 51.4 a day, studied 30 of 30 days");
	stats_free(&s);
	make_empty(&s);
	stats_graph_caption(&s, STATS_GRAPH_INTERVALS, CHART_ASCII, &b);
	assert_string_equal(b.data, "No cards in review yet");
	stats_graph_caption(&s, STATS_GRAPH_HOURS, CHART_ASCII, &b);
	assert_string_equal(b.data, "No reviews in this period");
	stats_graph_caption(&s, STATS_GRAPH_RETENTION, CHART_ASCII, &b);
	assert_string_equal(b.data, "Measured: - of 0 reviews, predicted: -, "
	    "desired: 90.0%");
	buf_free(&b);
	stats_free(&s);
}

static void
test_day_date(void **state)
{
	static const struct { long d; const char *want; } cases[] = {
		{ 0, "1970-01-01" }, { -1, "1969-12-31" }, { 59, "1970-03-01" },
		{ 19782, "2024-02-29" }, { TODAY, "2025-01-01" },
		{ 11016, "2000-02-29" },
	};
	char b[16];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		stats_day_date(cases[i].d, b, sizeof b);
		assert_string_equal(b, cases[i].want);
	}
}

/* `lemma stats` text: every title, and nothing but ASCII under LANG=C. */
static void
test_text(void **state)
{
	struct stats s;
	struct buf b;

	(void)state;
	make_full(&s);
	for (size_t p = 0; p < 3; p++) {
		buf_init(&b);
		stats_text(&s, 80, profiles[p], &b);
		for (int g = 0; g < STATS_NGRAPHS; g++)
			assert_non_null(strstr(b.data, stats_graph_title(g)));
		assert_non_null(strstr(b.data, "deck \"Lang::\"French\"\""));
		if (profiles[p] == CHART_ASCII) {
			for (size_t i = 0; i < b.len; i++)
				assert_true((unsigned char)b.data[i] < 0x80);
			assert_non_null(strstr(b.data,
			    "Bottom to top: : learn = young # mature % relearn"));
		}
		/* no line is wider than asked (in code points) */
		for (char *line = b.data, *nl; *line; line = nl + 1) {
			size_t cols = 0;
			nl = strchr(line, '\n');
			assert_non_null(nl);
			for (char *q = line; q < nl; q++)
				cols += ((unsigned char)*q & 0xc0) != 0x80;
			if (strncmp(line, "Statistics for", 14) != 0 &&
			    strncmp(line, "Review cards;", 13) != 0)
				assert_true(cols <= 80);
		}
		buf_free(&b);
	}
	stats_free(&s);
}

static const struct json *
at_index(const struct json *j, size_t i)
{
	assert_non_null(j);
	assert_int_equal(j->type, JSON_ARRAY);
	assert_true(i < j->n);
	return &j->items[i];
}

static void
test_json(void **state)
{
	struct stats s;
	struct buf b;
	struct json *j;
	const struct json *x;
	char err[256];

	(void)state;
	make_full(&s);
	s.young[STATS_SPAN_TODAY].pass = 0;
	s.young[STATS_SPAN_TODAY].fail = 0;
	buf_init(&b);
	stats_json(&s, &b);
	j = json_parse(b.data, err, sizeof err);
	if (j == NULL)
		fail_msg("%s\n%s", err, b.data);
	assert_string_equal(json_str(j, "deck"), "Lang::\"French\"");
	assert_string_equal(json_str(j, "period"), "1m");
	assert_string_equal(json_str(j, "today"), "2025-01-01");
	assert_int_equal((long)json_num(j, "rollover_hour", -1), 4);
	assert_true(fabs(json_num(j, "desired_retention", 0) - 0.9) < 1e-9);
	x = json_get(j, "today_figures");
	assert_int_equal((long)json_num(x, "cards", -1), 42);
	assert_int_equal((long)json_num(x, "again", -1), 5);
	assert_int_equal((long)json_num(json_get(x, "mature_review"), "fail", -1), 2);
	x = json_get(json_get(j, "true_retention"), "today");
	assert_true(json_is_null(json_get(json_get(x, "young"), "rate")));
	assert_true(fabs(json_num(json_get(x, "mature"), "rate", 0) -
	    21.0 / 23) < 1e-6);
	x = json_get(j, "days");
	assert_int_equal(x->n, 30);
	assert_string_equal(json_str(at_index(x, 0), "date"), "2024-12-03");
	assert_string_equal(json_str(at_index(x, 29), "date"), "2025-01-01");
	assert_int_equal((long)json_num(at_index(x, 29), "mature", -1), 11);
	assert_int_equal(json_get(j, "weeks")->n, 5);
	assert_string_equal(json_str(at_index(json_get(j, "weeks"), 0), "from"),
	    "2024-12-03");
	assert_string_equal(json_str(at_index(json_get(j, "weeks"), 1), "from"),
	    "2024-12-05");
	x = json_get(j, "forecast");
	assert_int_equal((long)json_num(x, "overdue", -1), 12);
	assert_int_equal(json_get(x, "due")->n, 30);
	x = json_get(j, "calendar");
	assert_string_equal(json_str(x, "from"), "2024-01-03");
	assert_int_equal(json_get(x, "reviews")->n, 365);
	assert_int_equal((long)json_num(json_get(j, "streaks"), "longest", -1), 60);
	assert_int_equal((long)json_num(json_get(j, "counts"), "total", -1), 451);
	x = json_get(j, "intervals");
	assert_int_equal(x->n, STATS_NLOG_BINS);
	assert_string_equal(json_str(at_index(x, 8), "bin"), "1y+");
	assert_int_equal((long)json_num(at_index(x, 8), "cards", -1), 40);
	assert_true(fabs(json_num(j, "mean_interval", 0) - 45.25) < 1e-9);
	assert_int_equal((long)json_num(json_get(json_get(j, "buttons"), "mature"),
	    "easy", -1), 12);
	assert_int_equal(json_get(j, "hours")->n, 24);
	assert_int_equal((long)json_num(at_index(json_get(j, "hours"), 22),
	    "reviews", -1), 220);
	json_free(j);
	buf_free(&b);
	stats_free(&s);

	/* empty: every rate null, the deck null */
	make_empty(&s);
	buf_init(&b);
	stats_json(&s, &b);
	j = json_parse(b.data, err, sizeof err);
	assert_non_null(j);
	assert_true(json_is_null(json_get(j, "deck")));
	assert_true(json_is_null(json_get(j, "mean_retrievability")));
	json_free(j);
	buf_free(&b);
	stats_free(&s);
}

/* Counts agree with their nouns (issue 18): "1 review", "1 card". */
static void
test_singular_words(void **state)
{
	struct stats s;
	struct chart_canvas c;
	struct buf b;
	int best = 0;

	(void)state;
	make_full(&s);
	s.today_figures.cards = 1;
	s.today_figures.reviews = 1;
	s.today_figures.again = 0;
	s.today_figures.time_ms = 6000;
	stats_graph_draw(&s, STATS_GRAPH_TODAY, &c, 80, 4, CHART_ASCII);
	assert_row(&c, 0, "1 review of 1 card in 0.1 minutes (6.0 s/review).");
	chart_canvas_free(&c);
	buf_init(&b);
	s.counts.total = 1;
	stats_graph_caption(&s, STATS_GRAPH_COUNTS, CHART_ASCII, &b);
	assert_string_equal(b.data, "Total: 1 card");
	s.daily_load = 1.0;
	stats_graph_caption(&s, STATS_GRAPH_FORECAST, CHART_ASCII, &b);
	assert_non_null(strstr(b.data, "daily load: 1 review"));
	assert_null(strstr(b.data, "1 reviews"));
	for (int h = 0; h < 24; h++)
		if (s.hours[h].count > s.hours[best].count)
			best = h;
	for (int h = 0; h < 24; h++)
		if (h != best)
			s.hours[h].count = s.hours[h].pass = 0;
	s.hours[best].count = 1;
	s.hours[best].pass = 1;
	stats_graph_caption(&s, STATS_GRAPH_HOURS, CHART_ASCII, &b);
	assert_non_null(strstr(b.data, "(1 review, "));
	buf_free(&b);
	stats_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_every_size),
		cmocka_unit_test(test_today_text),
		cmocka_unit_test(test_true_retention_table),
		cmocka_unit_test(test_bar_glyphs),
		cmocka_unit_test(test_forecast_backlog),
		cmocka_unit_test(test_calendar_cells),
		cmocka_unit_test(test_captions),
		cmocka_unit_test(test_singular_words),
		cmocka_unit_test(test_day_date),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
