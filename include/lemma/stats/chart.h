/*
 * chart.h - numbers to terminal graphs, as a grid of cells.
 *
 * Turns series of numbers into a canvas of one-column UTF-8 glyphs, each
 * tagged with what it shows (a series, an axis, the reference line), so the
 * UI can colour a cell with the theme's graph.* element and a unit test can
 * assert the exact glyphs. Pure: no I/O, no clock, no locale, no curses. The
 * caller picks the profile (Braille, block, ASCII) and the size; nothing is
 * ever drawn outside the canvas, whatever the data. NaN means "no value" and
 * is skipped.
 *
 * Labels are counted one column per code point, so they should be plain
 * text without wide or combining characters.
 */
#ifndef LEMMA_CHART_H
#define LEMMA_CHART_H

#include <stddef.h>

struct buf;

enum chart_profile {
	CHART_UTF8_BRAILLE,	/* line charts in 2x4 Braille dots per cell */
	CHART_UTF8_BLOCK,	/* half and eighth blocks: fonts without Braille */
	CHART_ASCII		/* a non-UTF-8 locale, or --ascii */
};

/* What a cell shows. 0..3 are series (their order in the call); in a
 * heatmap they are the shade level 0-4 (theme graph.heat.N). */
#define CHART_NONE		(-1)	/* background */
#define CHART_AXIS		(-2)	/* axis lines, ticks and labels */
#define CHART_REF		(-3)	/* the reference line (e.g. target retention) */
#define CHART_MAX_SERIES	4

struct chart_cell {
	char		 glyph[5];	/* one column wide, NUL-terminated */
	signed char	 series;	/* CHART_* or a series index */
};

struct chart_canvas {
	int			 width, height;
	struct chart_cell	*cells;		/* height rows of width cells */
};

struct chart_series {
	const double	*v;		/* NaN: no value */
	size_t		 n;
};

/* A label under the x axis at sample (or, in a heatmap, week) `at`. */
struct chart_label {
	double		 at;
	const char	*text;
};

/* How axis labels and values print: value * scale (0 means 1) with
 * `decimals` digits, then unit: { 100, 0, "%" } prints 0.9 as "90%". */
struct chart_format {
	double		 scale;
	int		 decimals;
	const char	*unit;
};

/* v as the axis prints it: times scale, decimals (0-6) places, the unit
 * after; never "-0". Text beside a chart (stats-text) uses it too, so
 * widths computed there match the axis. */
void	chart_format_value(const struct chart_format *f, double v, char *buf,
	    size_t len);

/* A canvas of width x height blank cells; a size <= 0 gives an empty
 * canvas that every chart function leaves alone. */
void	chart_canvas_init(struct chart_canvas *c, int width, int height);
void	chart_canvas_free(struct chart_canvas *c);

/* The cell at (x, y), or NULL outside the canvas. */
const struct chart_cell *chart_cell(const struct chart_canvas *c, int x, int y);

/* Replace out's contents with row y as one UTF-8 string of exactly width
 * glyphs (trailing blanks included); "" outside the canvas (out->data is
 * never NULL afterwards). */
void	chart_canvas_row(const struct chart_canvas *c, int y, struct buf *out);

/*
 * Line chart of up to 4 series spread over the plot width (marks `*+ox` in
 * ASCII), with a y axis
 * (labels for the top, the bottom, the reference value and the middle, as
 * rows allow) and an x axis with labels centred under their samples where
 * they do not overlap. ymin/ymax fix the range when ymin < ymax, else it
 * comes from the data. A cell where series meet takes the later series.
 * Axes are left out when the canvas is too small for them.
 */
struct chart_line {
	enum chart_profile		 profile;
	const struct chart_series	*series;
	size_t				 nseries;
	double				 ymin, ymax;
	int				 has_ref;	/* draw a line at ref */
	double				 ref;
	struct chart_format		 fmt;		/* y labels */
	const struct chart_label	*xlabels;
	size_t				 nxlabels;
};
void	chart_line(struct chart_canvas *c, const struct chart_line *opt);

/*
 * Vertical bars, one column per sample (the mean of several samples when
 * there are more than columns), stacking up to 4 series from the bottom in
 * 1/8-cell steps (whole cells of `ascii[i]`, default "#=%:", in ASCII). The
 * y axis starts at 0; ymax > 0 fixes the top. A non-zero bar is never
 * drawn empty. A cell shared by two series takes the one with more of it.
 */
struct chart_bars {
	enum chart_profile		 profile;
	const struct chart_series	*series;
	size_t				 nseries;
	double				 ymax;
	const char			*ascii;
	struct chart_format		 fmt;
	const struct chart_label	*xlabels;
	size_t				 nxlabels;
};
void	chart_bars(struct chart_canvas *c, const struct chart_bars *opt);

/*
 * Horizontal bars, one row per value (rows past the height are left out):
 * the label right-aligned, an axis, the bar in 1/8-cell steps ('#' in
 * ASCII), the value right-aligned. Values and then labels are dropped when
 * the width is too small. series[i] tags row i (NULL: all series 0); max > 0
 * fixes the full-length value.
 */
struct chart_hbars {
	enum chart_profile	 profile;
	const char *const	*labels;	/* may be NULL */
	const double		*values;
	const int		*series;
	size_t			 n;
	double			 max;
	struct chart_format	 fmt;
};
void	chart_hbars(struct chart_canvas *c, const struct chart_hbars *opt);

/*
 * Calendar heatmap: a column per week, a row per weekday (Monday first),
 * shades ` ░▒▓█` (ASCII ` .:+#`) on a square-root scale as Anki does, so a
 * light day still shows. The cell's series is its level 0-4; days outside
 * the data are CHART_NONE. Weekday labels (Mon, Wed, Fri) and a row of week
 * labels (e.g. month initials, at = week index, left-aligned) are drawn when
 * there is room. When there are more weeks than columns, the latest weeks
 * are shown.
 */
struct chart_heatmap {
	enum chart_profile		 profile;
	const double			*v;		/* one per day, oldest first */
	size_t				 n;
	int				 first_weekday;	/* of v[0]: 0 Monday .. 6 Sunday */
	double				 max;		/* > 0 fixes the top shade */
	const struct chart_label	*xlabels;
	size_t				 nxlabels;
};
void	chart_heatmap(struct chart_canvas *c, const struct chart_heatmap *opt);

/* Sparkline in row 0: one glyph per sample (means when there are more
 * samples than columns) from `▁` (0, or the minimum when it is negative) to
 * `█` (the maximum); ASCII `_.:-=+*#`; NaN is a blank. */
void	chart_sparkline(struct chart_canvas *c, enum chart_profile profile,
	    const struct chart_series *s);

#endif
