/* test_chart.c - exact glyphs for small charts, and sizes never exceeded. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/stats/chart.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* ---- the charts of the table ---------------------------------------------- */

static void
draw_spark_ramp(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct chart_series s = { v, N(v) };

	chart_sparkline(c, p, &s);
}

static void
draw_spark_gaps(struct chart_canvas *c, enum chart_profile p)
{
	const double v[] = { 0, NAN, 7, INFINITY, -2 };
	struct chart_series s = { v, N(v) };

	chart_sparkline(c, p, &s);
}

static void
draw_spark_zero(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 0, 0, 0 };
	struct chart_series s = { v, N(v) };

	chart_sparkline(c, p, &s);
}

static void
draw_spark_empty(struct chart_canvas *c, enum chart_profile p)
{
	struct chart_series s = { NULL, 0 };

	chart_sparkline(c, p, &s);
}

static void
draw_hbars(struct chart_canvas *c, enum chart_profile p)
{
	static const char *const labels[] = { "a", "bb", "c", "d", "e" };
	const double v[] = { 8, 4, 3, 0.1, NAN };
	struct chart_hbars h = { .profile = p, .labels = labels, .values = v,
	    .n = N(v) };

	chart_hbars(c, &h);
}

static void
draw_hbars_zero(struct chart_canvas *c, enum chart_profile p)
{
	static const char *const labels[] = { "1d", "2d" };
	static const double v[] = { 0, 0 };
	struct chart_hbars h = { .profile = p, .labels = labels, .values = v,
	    .n = N(v), .fmt = { 1, 0, "d" } };

	chart_hbars(c, &h);
}

static void
draw_bars(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 1, 2, 3, 4 };
	struct chart_series s = { v, N(v) };
	struct chart_bars b = { .profile = p, .series = &s, .nseries = 1 };

	chart_bars(c, &b);
}

static void
draw_bars_tiny(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 0.01, 4, 0 };
	struct chart_series s = { v, N(v) };
	struct chart_bars b = { .profile = p, .series = &s, .nseries = 1 };

	chart_bars(c, &b);
}

static void
draw_bars_labels(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 2, 2, 2, 2, 2, 2, 2, 2 };
	static const struct chart_label xl[] = {
		{ 0, "-7d" }, { 1, "-6d" }, { 7, "now" }
	};
	struct chart_series s = { v, N(v) };
	struct chart_bars b = { .profile = p, .series = &s, .nseries = 1,
	    .xlabels = xl, .nxlabels = N(xl) };

	chart_bars(c, &b);
}

static void
draw_line(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 0, 1 };
	struct chart_series s = { v, N(v) };
	struct chart_line l = { .profile = p, .series = &s, .nseries = 1 };

	chart_line(c, &l);
}

static void
draw_line_ref(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 1, 1 };
	struct chart_series s = { v, N(v) };
	struct chart_line l = { .profile = p, .series = &s, .nseries = 1,
	    .ymin = 0, .ymax = 1, .has_ref = 1, .ref = 0.5,
	    .fmt = { 100, 0, "%" } };

	chart_line(c, &l);
}

static void
draw_line_zero(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 0, 0, 0 };
	struct chart_series s = { v, N(v) };
	struct chart_line l = { .profile = p, .series = &s, .nseries = 1 };

	chart_line(c, &l);
}

static void
draw_line_gap(struct chart_canvas *c, enum chart_profile p)
{
	const double v[] = { 0, NAN, 0, 1 };
	struct chart_series s = { v, N(v) };
	struct chart_line l = { .profile = p, .series = &s, .nseries = 1 };

	chart_line(c, &l);
}

static void
draw_line_xlabels(struct chart_canvas *c, enum chart_profile p)
{
	static const double v[] = { 1, 1, 1, 1, 1 };
	static const struct chart_label xl[] = {
		{ 0, "-4w" }, { 1, "-3w" }, { 2, "-2w" }, { 4, "now" }
	};
	struct chart_series s = { v, N(v) };
	struct chart_line l = { .profile = p, .series = &s, .nseries = 1,
	    .ymin = 0, .ymax = 1, .xlabels = xl, .nxlabels = N(xl) };

	chart_line(c, &l);
}

static void
draw_heat(struct chart_canvas *c, enum chart_profile p)
{
	const double v[] = { 0, 1, 2, 3, 4, NAN, 8, 0, 0, 16 };
	struct chart_heatmap h = { .profile = p, .v = v, .n = N(v),
	    .first_weekday = 2 };

	chart_heatmap(c, &h);
}

static void
draw_heat_months(struct chart_canvas *c, enum chart_profile p)
{
	double v[28];
	static const struct chart_label xl[] = { { 0, "J" }, { 2, "F" } };
	struct chart_heatmap h = { .profile = p, .v = v, .n = N(v),
	    .xlabels = xl, .nxlabels = N(xl) };

	for (size_t i = 0; i < N(v); i++)
		v[i] = (double)(i % 5);
	chart_heatmap(c, &h);
}

static const struct {
	const char	*name;
	void		(*draw)(struct chart_canvas *, enum chart_profile);
	enum chart_profile profile;
	int		 w, h;
	const char	*rows[9];
} cases[] = {
	{ "spark ramp", draw_spark_ramp, CHART_UTF8_BRAILLE, 8, 1,
	    { "▁▂▃▄▅▆▇█" } },
	{ "spark ramp ascii", draw_spark_ramp, CHART_ASCII, 8, 1,
	    { "_.:-=+*#" } },
	{ "spark means", draw_spark_ramp, CHART_UTF8_BLOCK, 4, 1,
	    { "▂▄▆█" } },
	{ "spark wide", draw_spark_ramp, CHART_UTF8_BLOCK, 10, 1,
	    { "▁▂▃▄▅▆▇█  " } },
	{ "spark gaps", draw_spark_gaps, CHART_UTF8_BLOCK, 5, 1,
	    { "▃ █ ▁" } },
	{ "spark zero", draw_spark_zero, CHART_UTF8_BLOCK, 3, 1,
	    { "▁▁▁" } },
	{ "spark empty", draw_spark_empty, CHART_ASCII, 3, 1,
	    { "   " } },

	{ "hbars", draw_hbars, CHART_UTF8_BLOCK, 12, 5, {
	    " a │██████ 8",
	    "bb │███    4",
	    " c │██▎    3",
	    " d │▏      0",
	    " e │        " } },
	{ "hbars narrow", draw_hbars, CHART_UTF8_BLOCK, 10, 5, {
	    " a │████ 8",
	    "bb │██   4",
	    " c │█▌   3",
	    " d │▏    0",
	    " e │      " } },
	{ "hbars ascii", draw_hbars, CHART_ASCII, 10, 3, {
	    " a |#### 8",
	    "bb |##   4",
	    " c |##   3" } },
	{ "hbars no room for values", draw_hbars, CHART_ASCII, 5, 2, {
	    "a |##",
	    "b |# " } },
	{ "hbars zero", draw_hbars_zero, CHART_UTF8_BLOCK, 8, 2, {
	    "1d │  0d",
	    "2d │  0d" } },

	{ "bars", draw_bars, CHART_UTF8_BLOCK, 6, 3, {
	    "4┤  ▄█",
	    "0┤▄███",
	    " └────" } },
	{ "bars ascii", draw_bars, CHART_ASCII, 6, 3, {
	    "4+  ##",
	    "0+####",
	    " +----" } },
	/* 4 samples in 2 columns: the means 1.5 and 3.5 of a top of 4 */
	{ "bars no axes", draw_bars, CHART_UTF8_BLOCK, 2, 1, {
	    "▃▇" } },
	{ "bars tiny", draw_bars_tiny, CHART_UTF8_BLOCK, 5, 2, {
	    "4┤▁█ ",
	    " └───" } },
	{ "bars labels", draw_bars_labels, CHART_UTF8_BLOCK, 10, 4, {
	    "2┤████████",
	    "0┤████████",
	    " └────────",
	    "  -7d  now" } },

	{ "line braille", draw_line, CHART_UTF8_BRAILLE, 5, 3, {
	    "1┤ ⢀⠎",
	    "0┤⡰⠁ ",
	    " └───" } },
	{ "line braille no axes", draw_line, CHART_UTF8_BRAILLE, 2, 1, {
	    "⡠⠊" } },
	{ "line block no axes", draw_line, CHART_UTF8_BLOCK, 2, 1, {
	    "▄▀" } },
	{ "line ascii no axes", draw_line, CHART_ASCII, 2, 1, {
	    "**" } },
	{ "line ref block", draw_line_ref, CHART_UTF8_BLOCK, 7, 3, {
	    "100%┤▀▀",
	    "  0%┤╌╌",
	    "    └──" } },
	{ "line ref braille", draw_line_ref, CHART_UTF8_BRAILLE, 7, 4, {
	    "100%┤⠉⠉",
	    " 50%┤⠄⠄",
	    "  0%┤  ",
	    "    └──" } },
	{ "line ref ascii", draw_line_ref, CHART_ASCII, 7, 4, {
	    "100%+**",
	    " 50%+--",
	    "  0%+  ",
	    "    +--" } },
	{ "line zero", draw_line_zero, CHART_UTF8_BLOCK, 5, 3, {
	    "1┤   ",
	    "0┤▄▄▄",
	    " └───" } },
	{ "line gap", draw_line_gap, CHART_ASCII, 4, 1, {
	    "* **" } },
	{ "line xlabels", draw_line_xlabels, CHART_UTF8_BLOCK, 11, 3, {
	    "1┤▀▀▀▀▀▀▀▀▀",
	    " └─────────",
	    "  -4w   now" } },

	{ "heatmap", draw_heat, CHART_UTF8_BLOCK, 6, 7, {
	    "Mon   ",
	    "     ▓",
	    "Wed   ",
	    "    ░ ",
	    "Fri ▒█",
	    "    ▒ ",
	    "    ▒ " } },
	{ "heatmap ascii", draw_heat, CHART_ASCII, 6, 7, {
	    "Mon   ",
	    "     +",
	    "Wed   ",
	    "    . ",
	    "Fri :#",
	    "    : ",
	    "    : " } },
	{ "heatmap latest weeks", draw_heat, CHART_UTF8_BLOCK, 5, 3, {
	    "Mon  ",
	    "    ▓",
	    "Wed  " } },
	{ "heatmap no labels", draw_heat, CHART_UTF8_BLOCK, 2, 2, {
	    "  ",
	    " ▓" } },
	{ "heatmap months", draw_heat_months, CHART_ASCII, 8, 8, {
	    "    J F ",
	    "Mon  +#:",
	    "    :# +",
	    "Wed +#:#",
	    "    # +#",
	    "Fri #:# ",
	    "     +#:",
	    "    :# +" } },
};

/* The table's own check that a case has as many rows as its height. */
static void
test_exact_glyphs(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < N(cases); i++) {
		struct chart_canvas c;

		chart_canvas_init(&c, cases[i].w, cases[i].h);
		cases[i].draw(&c, cases[i].profile);
		for (int y = 0; y < cases[i].h; y++) {
			chart_canvas_row(&c, y, &b);
			if (cases[i].rows[y] == NULL ||
			    strcmp(b.data, cases[i].rows[y]) != 0)
				fail_msg("%s (%dx%d) row %d: got [%s], want [%s]",
				    cases[i].name, cases[i].w, cases[i].h, y,
				    b.data, cases[i].rows[y] != NULL ?
				    cases[i].rows[y] : "(none)");
		}
		chart_canvas_free(&c);
	}
	buf_free(&b);
}

/* Cells say what they show, so the UI can colour them. */
static void
test_series_tags(void **state)
{
	static const double a[] = { 2, 0 }, b2[] = { 2, 4 };
	const struct chart_series s[2] = { { a, N(a) }, { b2, N(b2) } };
	struct chart_bars bars = { .profile = CHART_UTF8_BLOCK, .series = s,
	    .nseries = 2 };
	static const int row_series[] = { 2, 3 };
	static const double hv[] = { 1, 2 };
	struct chart_hbars hb = { .profile = CHART_ASCII, .values = hv,
	    .series = row_series, .n = 2 };
	struct chart_canvas c;

	(void)state;
	/* stacked: the bottom of column 0 is series 0, its top series 1 */
	chart_canvas_init(&c, 4, 3);
	chart_bars(&c, &bars);
	assert_int_equal(chart_cell(&c, 0, 0)->series, CHART_AXIS);
	assert_int_equal(chart_cell(&c, 1, 0)->series, CHART_AXIS);
	assert_int_equal(chart_cell(&c, 2, 1)->series, 0);
	assert_int_equal(chart_cell(&c, 2, 0)->series, 1);
	assert_int_equal(chart_cell(&c, 3, 0)->series, 1);
	assert_int_equal(chart_cell(&c, 3, 1)->series, 1);
	assert_int_equal(chart_cell(&c, 3, 2)->series, CHART_AXIS);
	assert_null(chart_cell(&c, 4, 0));
	assert_null(chart_cell(&c, 0, 3));
	assert_null(chart_cell(&c, -1, 0));
	chart_canvas_free(&c);

	/* the reference line, and the plot over it */
	chart_canvas_init(&c, 7, 3);
	draw_line_ref(&c, CHART_UTF8_BLOCK);
	assert_int_equal(chart_cell(&c, 5, 0)->series, 0);
	assert_int_equal(chart_cell(&c, 5, 1)->series, CHART_REF);
	assert_int_equal(chart_cell(&c, 0, 0)->series, CHART_AXIS);
	chart_canvas_free(&c);

	/* heatmap: the level, and NONE outside the data */
	chart_canvas_init(&c, 6, 7);
	draw_heat(&c, CHART_UTF8_BLOCK);
	assert_int_equal(chart_cell(&c, 4, 0)->series, CHART_NONE);
	assert_int_equal(chart_cell(&c, 4, 2)->series, 0);
	assert_int_equal(chart_cell(&c, 4, 3)->series, 1);
	assert_int_equal(chart_cell(&c, 5, 1)->series, 3);
	assert_int_equal(chart_cell(&c, 5, 4)->series, 4);
	assert_int_equal(chart_cell(&c, 5, 0)->series, CHART_NONE);	/* NaN */
	assert_int_equal(chart_cell(&c, 0, 0)->series, CHART_AXIS);
	chart_canvas_free(&c);

	/* hbars: the caller's series per row */
	chart_canvas_init(&c, 6, 2);
	chart_hbars(&c, &hb);
	assert_int_equal(chart_cell(&c, 1, 0)->series, 2);
	assert_int_equal(chart_cell(&c, 1, 1)->series, 3);
	assert_int_equal(chart_cell(&c, 0, 1)->series, CHART_AXIS);
	chart_canvas_free(&c);
}

/* An empty canvas, and empty series, draw nothing and do not crash. */
static void
test_empty(void **state)
{
	struct chart_series none = { NULL, 0 };
	struct chart_line l = { .series = &none, .nseries = 1 };
	struct chart_bars b = { .series = &none, .nseries = 1 };
	struct chart_hbars h = { 0 };
	struct chart_heatmap m = { 0 };
	struct chart_canvas c;
	struct buf out;

	(void)state;
	buf_init(&out);
	for (int w = -1; w <= 1; w++) {
		chart_canvas_init(&c, w, w == 1 ? 0 : 3);
		assert_null(c.cells);
		chart_line(&c, &l);
		chart_bars(&c, &b);
		chart_hbars(&c, &h);
		chart_heatmap(&c, &m);
		chart_sparkline(&c, CHART_ASCII, &none);
		chart_canvas_row(&c, 0, &out);
		assert_string_equal(out.data, "");
		chart_canvas_free(&c);
	}
	/* no series at all on a real canvas: just the frame */
	chart_canvas_init(&c, 4, 2);
	l.nseries = 0;
	chart_line(&c, &l);
	chart_canvas_row(&c, 0, &out);
	assert_string_equal(out.data, "1┤  ");
	chart_heatmap(&c, &m);
	chart_canvas_row(&c, 0, &out);
	assert_string_equal(out.data, "    ");
	chart_canvas_free(&c);
	buf_free(&out);
}

/* ---- never past the size given --------------------------------------------- */

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t
next_random(void)
{
	rng ^= rng << 13;	/* xorshift64: the same numbers on every libc */
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

static double
random_value(void)
{
	switch (next_random() % 16) {
	case 0:
		return NAN;
	case 1:
		return INFINITY;
	case 2:
		return -(double)(next_random() % 1000);
	case 3:
		return 0;
	case 4:
		return 1e300;
	default:
		return (double)(next_random() % 100000) / 100.0;
	}
}

static void
check_canvas(const struct chart_canvas *c, const char *what, int w, int h)
{
	struct buf b;

	buf_init(&b);
	for (int y = 0; y < h; y++) {
		chart_canvas_row(c, y, &b);
		if (utf8_invalid_offset(b.data, b.len) != (size_t)-1 ||
		    utf8_count(b.data, b.len) != (size_t)w)
			fail_msg("%s %dx%d row %d: [%s] is not %d glyphs", what, w,
			    h, y, b.data, w);
		for (int x = 0; x < w; x++) {
			const struct chart_cell *cell = chart_cell(c, x, y);

			if (utf8_count(cell->glyph, strlen(cell->glyph)) != 1 ||
			    cell->series < CHART_REF ||
			    cell->series >= CHART_MAX_SERIES + 1)
				fail_msg("%s %dx%d cell %d,%d: [%s] series %d", what,
				    w, h, x, y, cell->glyph, cell->series);
		}
	}
	buf_free(&b);
}

static void
test_sizes_never_exceeded(void **state)
{
	static const char *const labels[] = { "", "1d", "a long label indeed",
	    "é", "1-2w" };
	static const char *const texts[] = { "now", "-12w", "", "a very long x label" };

	(void)state;
	for (int round = 0; round < 600; round++) {
		int w = 1 + (int)(next_random() % 200), h = 1 + (int)(next_random() % 200);
		size_t n = next_random() % 300;
		double *v[4], hv[64];
		struct chart_series s[4];
		struct chart_label xl[6];
		const char *hl[64];
		int ser[64];
		enum chart_profile p = (enum chart_profile)(next_random() % 3);
		struct chart_canvas c;

		if (round % 4 == 0)	/* keep most rounds small and quick */
			h = 1 + h % 12;
		for (int k = 0; k < 4; k++) {
			size_t nk = k == 0 ? n : next_random() % (n + 1);

			v[k] = xcalloc(nk + 1, sizeof *v[k]);
			for (size_t i = 0; i < nk; i++)
				v[k][i] = random_value();
			s[k].v = v[k];
			s[k].n = nk;
		}
		for (size_t i = 0; i < N(xl); i++) {
			xl[i].at = (double)(next_random() % (n + 60)) - 30;
			xl[i].text = texts[next_random() % N(texts)];
		}
		for (size_t i = 0; i < N(hv); i++) {
			hv[i] = random_value();
			hl[i] = labels[next_random() % N(labels)];
			ser[i] = (int)(next_random() % 4);
		}
		chart_canvas_init(&c, w, h);
		{
			struct chart_line l = { .profile = p, .series = s,
			    .nseries = 1 + next_random() % 4, .has_ref = round % 2,
			    .ref = random_value(), .fmt = { 100, round % 3, "%" },
			    .xlabels = xl, .nxlabels = N(xl) };

			if (round % 5 == 0) {
				l.ymin = 0.7;
				l.ymax = 1.0;
			}
			chart_line(&c, &l);
			check_canvas(&c, "line", w, h);
		}
		{
			struct chart_bars b = { .profile = p, .series = s,
			    .nseries = 1 + next_random() % 4, .ascii = "LYMR",
			    .xlabels = xl, .nxlabels = N(xl),
			    .ymax = round % 7 == 0 ? 10 : 0 };

			chart_bars(&c, &b);
			check_canvas(&c, "bars", w, h);
		}
		{
			struct chart_hbars hb = { .profile = p, .labels = hl,
			    .values = hv, .series = ser,
			    .n = next_random() % N(hv), .fmt = { 1, 1, "d" } };

			chart_hbars(&c, &hb);
			check_canvas(&c, "hbars", w, h);
		}
		{
			struct chart_heatmap m = { .profile = p, .v = v[0], .n = n,
			    .first_weekday = (int)(next_random() % 9) - 1,
			    .xlabels = xl, .nxlabels = N(xl) };

			chart_heatmap(&c, &m);
			check_canvas(&c, "heatmap", w, h);
		}
		chart_sparkline(&c, p, &s[0]);
		check_canvas(&c, "sparkline", w, h);
		chart_canvas_free(&c);
		for (int k = 0; k < 4; k++)
			free(v[k]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_glyphs),
		cmocka_unit_test(test_series_tags),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_sizes_never_exceeded),
	};

	return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
