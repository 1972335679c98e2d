/*
 * chart.c - numbers to terminal graphs; see chart.h.
 *
 * Every chart is drawn the same way: lay out a frame (y labels, axes, x
 * labels) that fits the canvas, then fill the plot area. Every write goes
 * through put(), which drops anything outside the canvas, so no input can
 * draw past the size the caller gave.
 */
#include "config.h"

#include "lemma/stats/chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"

static const char *const eighths_up[9] = {
	" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"
};
static const char *const eighths_left[9] = {
	" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"
};

struct axis_glyphs {
	const char	*vline, *tick, *corner, *hline;
};
static const struct axis_glyphs axis_utf8 = { "│", "┤", "└", "─" };
static const struct axis_glyphs axis_ascii = { "|", "+", "+", "-" };

static const struct axis_glyphs *
axis_glyphs(enum chart_profile p)
{
	return p == CHART_ASCII ? &axis_ascii : &axis_utf8;
}

/* ---- the canvas ----------------------------------------------------------- */

static void
canvas_clear(struct chart_canvas *c)
{
	for (int i = 0; i < c->width * c->height; i++) {
		memcpy(c->cells[i].glyph, " ", 2);
		c->cells[i].series = CHART_NONE;
	}
}

void
chart_canvas_init(struct chart_canvas *c, int width, int height)
{
	c->cells = NULL;
	c->width = c->height = 0;
	if (width <= 0 || height <= 0)
		return;
	c->width = width;
	c->height = height;
	c->cells = xcalloc((size_t)width * (size_t)height, sizeof *c->cells);
	canvas_clear(c);
}

void
chart_canvas_free(struct chart_canvas *c)
{
	free(c->cells);
	c->cells = NULL;
	c->width = c->height = 0;
}

const struct chart_cell *
chart_cell(const struct chart_canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->width || y >= c->height)
		return NULL;
	return &c->cells[y * c->width + x];
}

void
chart_canvas_row(const struct chart_canvas *c, int y, struct buf *out)
{
	buf_reset(out);
	buf_add(out, "", 0);	/* out->data is a string even for an empty row */
	for (int x = 0; x < c->width && y >= 0 && y < c->height; x++)
		buf_adds(out, c->cells[y * c->width + x].glyph);
}

/* The one place that writes a cell: outside the canvas is a no-op. */
static void
put(struct chart_canvas *c, int x, int y, const char *glyph, int series)
{
	struct chart_cell *cell;

	if (x < 0 || y < 0 || x >= c->width || y >= c->height)
		return;
	cell = &c->cells[y * c->width + x];
	snprintf(cell->glyph, sizeof cell->glyph, "%s", glyph);
	cell->series = (signed char)series;
}

static int
text_width(const char *s)
{
	return s == NULL ? 0 : (int)utf8_count(s, strlen(s));
}

/* Write s from column x, at most maxw columns, one code point a cell. */
static void
put_text(struct chart_canvas *c, int x, int y, const char *s, int maxw,
    int series)
{
	size_t n = strlen(s), off = 0;

	for (int i = 0; i < maxw && off < n; i++) {
		char g[5];
		uint32_t cp;
		int ok;
		size_t used = utf8_decode(s + off, n - off, &cp, &ok);

		if (!ok || cp < 0x20 || cp == 0x7f)
			cp = '?';
		g[utf8_encode(cp, g)] = '\0';
		put(c, x + i, y, g, series);
		off += used;
	}
}

/* s right-aligned in columns [x, x + w), cut at the right if too long. */
static void
put_text_right(struct chart_canvas *c, int x, int y, int w, const char *s,
    int series)
{
	int tw = text_width(s);

	put_text(c, x + (tw < w ? w - tw : 0), y, s, w, series);
}

void
chart_format_value(const struct chart_format *f, double v, char *buf,
    size_t len)
{
	double scale = f->scale != 0 ? f->scale : 1;
	int dec = f->decimals < 0 ? 0 : f->decimals > 6 ? 6 : f->decimals;

	v *= scale;
	if (fabs(v) < 0.5 * pow(10, -dec))
		v = 0;	/* no "-0" */
	snprintf(buf, len, "%.*f%s", dec, v, f->unit != NULL ? f->unit : "");
}

/* ---- series --------------------------------------------------------------- */

static size_t
longest(const struct chart_series *s, size_t ns)
{
	size_t n = 0;

	for (size_t i = 0; i < ns; i++)
		if (s[i].v != NULL && s[i].n > n)
			n = s[i].n;
	return n;
}

static double
sample(const struct chart_series *s, size_t i)
{
	if (s->v == NULL || i >= s->n || !isfinite(s->v[i]))
		return NAN;
	return s->v[i];
}

/* The mean of the values in samples [a, b), NaN when there are none. */
static double
group_mean(const struct chart_series *s, size_t a, size_t b)
{
	double sum = 0;
	size_t k = 0;

	for (size_t i = a; i < b; i++) {
		double v = sample(s, i);

		if (!isnan(v)) {
			sum += v;
			k++;
		}
	}
	return k > 0 ? sum / (double)k : NAN;
}

/* Column j of ncols over n samples covers samples [*a, *b). */
static void
group_range(size_t j, size_t ncols, size_t n, size_t *a, size_t *b)
{
	*a = j * n / ncols;
	*b = (j + 1) * n / ncols;
	if (*b <= *a)
		*b = *a + 1;
}

/* ---- the frame: y labels, axes, x labels --------------------------------- */

struct frame {
	int	 x0, pw, ph;	/* plot area: columns x0.., rows 0..ph-1 */
	int	 lw;		/* y label width; the axis is at column lw */
	int	 axis;		/* axes drawn */
	int	 xlabel_row;	/* -1: no x labels */
	double	 lo, hi;
};

static int
value_row(const struct frame *fr, double v)
{
	double t;

	if (fr->ph <= 1 || fr->hi <= fr->lo)
		return fr->ph - 1;
	t = (fr->hi - v) / (fr->hi - fr->lo);
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return (int)lround(t * (fr->ph - 1));
}

/*
 * Lay out and draw the frame. The label width is fixed by the range, not by
 * the labels that end up drawn, so a plot does not shift when a label
 * comes or goes.
 */
static void
frame_draw(struct chart_canvas *c, struct frame *fr, enum chart_profile p,
    const struct chart_format *fmt, double lo, double hi, int has_ref,
    double ref, int want_xlabels)
{
	const struct axis_glyphs *g = axis_glyphs(p);
	char lab[4][48];
	double at[4];
	int nlab = 0, lw = 0, axis_row, mid = -1;
	unsigned char *labelled;

	fr->lo = lo;
	fr->hi = hi;
	at[nlab++] = hi;
	at[nlab++] = lo;
	if (has_ref)
		at[nlab++] = ref;
	for (int i = 0; i < nlab; i++) {
		chart_format_value(fmt, at[i], lab[i], sizeof lab[i]);
		if (text_width(lab[i]) > lw)
			lw = text_width(lab[i]);
	}
	fr->axis = c->width >= lw + 2 && c->height >= 2;
	if (!fr->axis) {
		fr->x0 = 0;
		fr->lw = 0;
		fr->pw = c->width;
		fr->ph = c->height;
		fr->xlabel_row = -1;
		return;
	}
	fr->lw = lw;
	fr->x0 = lw + 1;
	fr->pw = c->width - fr->x0;
	fr->xlabel_row = want_xlabels && c->height >= 3 ? c->height - 1 : -1;
	axis_row = fr->xlabel_row >= 0 ? c->height - 2 : c->height - 1;
	fr->ph = axis_row;

	/* The middle label only when it has rows of air around it. */
	if (fr->ph >= 5) {
		int r = (fr->ph - 1) / 2;

		at[nlab] = hi - (hi - lo) * r / (fr->ph - 1);
		chart_format_value(fmt, at[nlab], lab[nlab], sizeof lab[nlab]);
		if (text_width(lab[nlab]) <= lw)
			mid = nlab++;
	}
	labelled = xcalloc((size_t)fr->ph, 1);
	for (int i = 0; i < nlab; i++) {
		int r = value_row(fr, at[i]);

		if (labelled[r] || (i == mid && ((r > 0 && labelled[r - 1]) ||
		    (r + 1 < fr->ph && labelled[r + 1]))))
			continue;
		labelled[r] = 1;
		put_text_right(c, 0, r, lw, lab[i], CHART_AXIS);
	}
	for (int r = 0; r < fr->ph; r++)
		put(c, lw, r, labelled[r] ? g->tick : g->vline, CHART_AXIS);
	free(labelled);
	put(c, lw, axis_row, g->corner, CHART_AXIS);
	for (int x = fr->x0; x < c->width; x++)
		put(c, x, axis_row, g->hline, CHART_AXIS);
}

/*
 * X labels centred on their columns, kept inside the plot, and skipped
 * when they would touch the one before. col(at) maps a label to a column.
 */
static void
xlabels_draw(struct chart_canvas *c, const struct frame *fr,
    const struct chart_label *l, size_t n, int (*col)(const void *, double),
    const void *arg, int centred)
{
	int next_free = fr->x0;

	if (fr->xlabel_row < 0 || l == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		int w, x;

		if (l[i].text == NULL || !isfinite(l[i].at))
			continue;
		w = text_width(l[i].text);
		if (w == 0 || w > fr->pw)
			continue;
		x = col(arg, l[i].at) - (centred ? w / 2 : 0);
		if (x + w > fr->x0 + fr->pw)
			x = fr->x0 + fr->pw - w;
		if (x < fr->x0)
			x = fr->x0;
		if (x < next_free)
			continue;
		put_text(c, x, fr->xlabel_row, l[i].text, w, CHART_AXIS);
		next_free = x + w + 1;
	}
}

/* ---- line charts ------------------------------------------------------------ */

/* A dot raster over the plot: cw x ch dots per cell. */
struct raster {
	const struct frame	*fr;
	enum chart_profile	 profile;
	int			 cw, ch;
	unsigned char		*bits;		/* per cell */
	signed char		*series;	/* per cell */
};

static void
raster_dot(struct raster *r, int x, int y, int series)
{
	static const unsigned char braille[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
	};
	int cx = x / r->cw, cy = y / r->ch, i;

	if (x < 0 || y < 0 || cx >= r->fr->pw || cy >= r->fr->ph)
		return;
	i = cy * r->fr->pw + cx;
	if (r->profile == CHART_UTF8_BRAILLE)
		r->bits[i] |= braille[y % 4][x % 2];
	else if (r->profile == CHART_UTF8_BLOCK)
		r->bits[i] |= y % 2 == 0 ? 1 : 2;
	else
		r->bits[i] |= 1;
	if (series >= 0 || r->series[i] == CHART_NONE)
		r->series[i] = (signed char)series;
}

static void
raster_segment(struct raster *r, int x0, int y0, int x1, int y1, int series)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, e = dx + dy;

	for (;;) {	/* Bresenham */
		int e2 = 2 * e;

		raster_dot(r, x0, y0, series);
		if (x0 == x1 && y0 == y1)
			break;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

struct line_cols {
	const struct frame	*fr;
	size_t			 n;
	int			 cw;
};

/* The dot column of sample i of n, over dots dots. */
static int
sample_dot(double i, size_t n, int dots)
{
	if (n <= 1 || dots <= 1)
		return 0;
	return (int)lround(i * (dots - 1) / (double)(n - 1));
}

static int
line_col(const void *arg, double at)
{
	const struct line_cols *lc = arg;

	if (at < 0)
		at = 0;
	if (at > (double)lc->n - 1)
		at = (double)lc->n - 1;
	return lc->fr->x0 + sample_dot(at, lc->n, lc->fr->pw * lc->cw) / lc->cw;
}

void
chart_line(struct chart_canvas *c, const struct chart_line *opt)
{
	static const char ascii_marks[CHART_MAX_SERIES] = { '*', '+', 'o', 'x' };
	size_t ns = opt->nseries > CHART_MAX_SERIES ? CHART_MAX_SERIES : opt->nseries;
	size_t n = longest(opt->series, ns);
	double lo = INFINITY, hi = -INFINITY;
	struct frame fr;
	struct raster r;
	struct line_cols lc;
	int dx, dy, ref_row = -1;

	if (c->cells == NULL)
		return;
	canvas_clear(c);

	if (opt->ymin < opt->ymax) {
		lo = opt->ymin;
		hi = opt->ymax;
	} else {
		for (size_t s = 0; s < ns; s++) {
			for (size_t i = 0; i < opt->series[s].n; i++) {
				double v = sample(&opt->series[s], i);

				if (!isnan(v)) {
					lo = v < lo ? v : lo;
					hi = v > hi ? v : hi;
				}
			}
		}
		if (opt->has_ref && isfinite(opt->ref)) {
			lo = opt->ref < lo ? opt->ref : lo;
			hi = opt->ref > hi ? opt->ref : hi;
		}
		if (lo > hi) {
			lo = 0;
			hi = 1;
		} else if (lo == hi) {
			double d = lo == 0 ? 1 : fabs(lo) / 2;

			lo = lo == 0 ? 0 : lo - d;
			hi += d;
		}
	}
	frame_draw(c, &fr, opt->profile, &opt->fmt, lo, hi,
	    opt->has_ref && isfinite(opt->ref) && opt->ref >= lo && opt->ref <= hi,
	    opt->ref, opt->nxlabels > 0);
	if (fr.pw <= 0 || fr.ph <= 0)
		return;

	r.fr = &fr;
	r.profile = opt->profile;
	r.cw = opt->profile == CHART_UTF8_BRAILLE ? 2 : 1;
	r.ch = opt->profile == CHART_UTF8_BRAILLE ? 4 :
	    opt->profile == CHART_UTF8_BLOCK ? 2 : 1;
	r.bits = xcalloc((size_t)fr.pw * (size_t)fr.ph, 1);
	r.series = xmalloc((size_t)fr.pw * (size_t)fr.ph);
	memset(r.series, CHART_NONE, (size_t)fr.pw * (size_t)fr.ph);
	dx = fr.pw * r.cw;
	dy = fr.ph * r.ch;

	/* The reference line first, so series draw over it. */
	if (opt->has_ref && isfinite(opt->ref) && opt->ref >= lo && opt->ref <= hi) {
		int y = (int)lround((hi - opt->ref) / (hi - lo) * (dy - 1));

		if (opt->profile == CHART_UTF8_BRAILLE)
			for (int x = 0; x < dx; x += 2)	/* dotted: one dot a cell */
				raster_dot(&r, x, y, CHART_REF);
		else
			ref_row = y / r.ch;
	}
	for (size_t s = 0; s < ns; s++) {
		int px = -1, py = -1;

		for (size_t i = 0; i < opt->series[s].n; i++) {
			double v = sample(&opt->series[s], i);
			int x, y;

			if (isnan(v)) {
				px = -1;	/* a gap breaks the line */
				continue;
			}
			v = v < lo ? lo : v > hi ? hi : v;
			x = sample_dot((double)i, n, dx);
			y = (int)lround((hi - v) / (hi - lo) * (dy - 1));
			if (px >= 0)
				raster_segment(&r, px, py, x, y, (int)s);
			else
				raster_dot(&r, x, y, (int)s);
			px = x;
			py = y;
		}
	}
	for (int cy = 0; cy < fr.ph; cy++) {
		for (int cx = 0; cx < fr.pw; cx++) {
			int i = cy * fr.pw + cx, b = r.bits[i];
			char g[5];

			if (b == 0) {
				if (cy == ref_row)
					put(c, fr.x0 + cx, cy, opt->profile == CHART_ASCII ?
					    "-" : "╌", CHART_REF);
				continue;
			}
			if (opt->profile == CHART_UTF8_BRAILLE)
				g[utf8_encode(0x2800u + (unsigned)b, g)] = '\0';
			else if (opt->profile == CHART_UTF8_BLOCK)
				snprintf(g, sizeof g, "%s", b == 1 ? "▀" : b == 2 ? "▄" : "█");
			else
				snprintf(g, sizeof g, "%c", r.series[i] >= 0 ?
				    ascii_marks[(int)r.series[i]] : '-');
			put(c, fr.x0 + cx, cy, g, r.series[i]);
		}
	}
	lc.fr = &fr;
	lc.n = n;
	lc.cw = r.cw;
	xlabels_draw(c, &fr, opt->xlabels, opt->nxlabels, line_col, &lc, 1);
	free(r.bits);
	free(r.series);
}

/* ---- vertical bars ------------------------------------------------------------ */

struct bar_cols {
	const struct frame	*fr;
	size_t			 n, ncols;
};

static int
bar_col(const void *arg, double at)
{
	const struct bar_cols *bc = arg;

	if (at < 0)
		at = 0;
	if (bc->ncols == 0 || bc->n == 0)
		return bc->fr->x0;
	return bc->fr->x0 + (int)floor(at * (double)bc->ncols / (double)bc->n);
}

void
chart_bars(struct chart_canvas *c, const struct chart_bars *opt)
{
	const char *ascii = opt->ascii != NULL && opt->ascii[0] != '\0' ?
	    opt->ascii : "#=%:";
	size_t ns = opt->nseries > CHART_MAX_SERIES ? CHART_MAX_SERIES : opt->nseries;
	size_t n = longest(opt->series, ns), ncols;
	int units = opt->profile == CHART_ASCII ? 1 : 8;
	double *val, hi = 0;
	struct frame fr;
	struct bar_cols bc;

	if (c->cells == NULL)
		return;
	canvas_clear(c);

	/* The frame's width depends on the labels, the labels on the top
	 * value, and the top value on the columns: take the top over all
	 * samples, then group into the columns the frame leaves. */
	if (opt->ymax > 0)
		hi = opt->ymax;
	else {
		for (size_t i = 0; i < n; i++) {
			double t = 0;

			for (size_t s = 0; s < ns; s++) {
				double v = sample(&opt->series[s], i);

				t += isnan(v) || v < 0 ? 0 : v;
			}
			hi = t > hi ? t : hi;
		}
		if (hi <= 0)
			hi = 1;
	}
	frame_draw(c, &fr, opt->profile, &opt->fmt, 0, hi, 0, 0,
	    opt->nxlabels > 0);
	if (fr.pw <= 0 || fr.ph <= 0 || n == 0)
		return;
	ncols = n < (size_t)fr.pw ? n : (size_t)fr.pw;
	val = xcalloc(ns + 1, sizeof *val);

	for (size_t j = 0; j < ncols; j++) {
		size_t a, b;
		long bound[CHART_MAX_SERIES + 1], full = (long)fr.ph * units;
		double cum = 0;

		group_range(j, ncols, n, &a, &b);
		bound[0] = 0;
		for (size_t s = 0; s < ns; s++) {
			double v = group_mean(&opt->series[s], a, b);

			val[s] = isnan(v) || v < 0 ? 0 : v;
			cum += val[s];
			bound[s + 1] = lround(cum / hi * (double)full);
			if (bound[s + 1] > full)
				bound[s + 1] = full;
		}
		if (cum > 0 && bound[ns] == 0) {
			/* A bar with something in it never looks empty. */
			size_t first = 0;

			while (val[first] == 0)
				first++;
			for (size_t s = first + 1; s <= ns; s++)
				bound[s] = 1;
		}
		for (int row = 0; row < fr.ph; row++) {
			long base = (long)row * units;
			long fill = bound[ns] - base;
			int best = 0;
			long best_overlap = -1;

			if (fill <= 0)
				break;
			if (fill > units)
				fill = units;
			for (size_t s = 0; s < ns; s++) {
				long top = bound[s + 1] < base + fill ? bound[s + 1] : base + fill;
				long bot = bound[s] > base ? bound[s] : base;
				long ov = top - bot;

				if (ov > 0 && ov >= best_overlap) {
					best_overlap = ov;
					best = (int)s;
				}
			}
			if (opt->profile == CHART_ASCII) {
				char g[2] = { (size_t)best < strlen(ascii) ?
				    ascii[best] : '#', '\0' };

				put(c, fr.x0 + (int)j, fr.ph - 1 - row, g, best);
			} else
				put(c, fr.x0 + (int)j, fr.ph - 1 - row,
				    eighths_up[fill], best);
		}
	}
	free(val);
	bc.fr = &fr;
	bc.n = n;
	bc.ncols = ncols;
	xlabels_draw(c, &fr, opt->xlabels, opt->nxlabels, bar_col, &bc, 1);
}

/* ---- horizontal bars ------------------------------------------------------------ */

void
chart_hbars(struct chart_canvas *c, const struct chart_hbars *opt)
{
	const struct axis_glyphs *g = axis_glyphs(opt->profile);
	int units = opt->profile == CHART_ASCII ? 1 : 8;
	int lw = 0, vw = 0, bw, show_lab, show_val = 1, show_axis = 1, x;
	size_t rows;
	double max = opt->max;
	char vbuf[48];

	if (c->cells == NULL)
		return;
	canvas_clear(c);
	rows = opt->n < (size_t)c->height ? opt->n : (size_t)c->height;
	for (size_t i = 0; i < opt->n; i++) {
		double v = isfinite(opt->values[i]) ? opt->values[i] : 0;

		if (opt->max <= 0 && v > max)
			max = v;
	}
	if (max <= 0)
		max = 1;
	for (size_t i = 0; i < rows; i++) {
		int w = opt->labels != NULL ? text_width(opt->labels[i]) : 0;

		lw = w > lw ? w : lw;
		if (isfinite(opt->values[i])) {
			chart_format_value(&opt->fmt, opt->values[i], vbuf,
			    sizeof vbuf);
			w = text_width(vbuf);
			vw = w > vw ? w : vw;
		}
	}
	if (lw > c->width / 3)	/* long labels must not eat the bars */
		lw = c->width / 3;
	show_lab = lw > 0;
	for (;;) {
		bw = c->width - (show_lab ? lw + 1 : 0) - (show_axis ? 1 : 0) -
		    (show_val ? vw + 1 : 0);
		if (bw >= 1)
			break;
		if (show_val)
			show_val = 0;
		else if (show_lab)
			show_lab = 0;
		else if (show_axis)
			show_axis = 0;
		else
			return;
	}
	for (size_t i = 0; i < rows; i++) {
		int y = (int)i, series = opt->series != NULL ? opt->series[i] : 0;
		double v = opt->values[i];
		long len;

		x = 0;
		if (show_lab) {
			if (opt->labels != NULL && opt->labels[i] != NULL)
				put_text_right(c, 0, y, lw, opt->labels[i], CHART_AXIS);
			x = lw + 1;
		}
		if (show_axis)
			put(c, x++, y, g->vline, CHART_AXIS);
		if (!isfinite(v))
			continue;
		len = lround((v < 0 ? 0 : v) / max * bw * units);
		if (len > (long)bw * units)
			len = (long)bw * units;
		if (v > 0 && len == 0)
			len = 1;	/* a count of 1 is not nothing */
		for (int k = 0; k < bw && len > 0; k++, len -= units) {
			if (opt->profile == CHART_ASCII)
				put(c, x + k, y, "#", series);
			else
				put(c, x + k, y, eighths_left[len >= 8 ? 8 : len],
				    series);
		}
		if (show_val) {
			chart_format_value(&opt->fmt, v, vbuf, sizeof vbuf);
			put_text_right(c, c->width - vw, y, vw, vbuf, CHART_AXIS);
		}
	}
}

/* ---- calendar heatmap --------------------------------------------------------- */

struct heat_cols {
	int	 x0;
	long	 skip;
};

static int
heat_col(const void *arg, double at)
{
	const struct heat_cols *hc = arg;

	return hc->x0 + (int)((long)floor(at) - hc->skip);
}

void
chart_heatmap(struct chart_canvas *c, const struct chart_heatmap *opt)
{
	static const char *const shades_utf8[5] = { " ", "░", "▒", "▓", "█" };
	static const char *const shades_ascii[5] = { " ", ".", ":", "+", "#" };
	static const char *const days[7] = { "Mon", NULL, "Wed", NULL, "Fri", NULL, NULL };
	const char *const *shade = opt->profile == CHART_ASCII ? shades_ascii :
	    shades_utf8;
	int fd = opt->first_weekday < 0 ? 0 : opt->first_weekday > 6 ? 6 :
	    opt->first_weekday;
	int dlw = c->width >= 5 ? 4 : 0;
	int top = opt->nxlabels > 0 && c->height >= 8 ? 1 : 0;
	int rows = c->height - top < 7 ? c->height - top : 7;
	long weeks = (long)((fd + opt->n + 6) / 7), cols, skip;
	double max = opt->max;
	struct heat_cols hc;
	struct frame fr = { 0 };

	if (c->cells == NULL)
		return;
	canvas_clear(c);
	if (opt->v == NULL)
		return;
	if (max <= 0) {
		for (size_t i = 0; i < opt->n; i++)
			if (isfinite(opt->v[i]) && opt->v[i] > max)
				max = opt->v[i];
	}
	cols = c->width - dlw;
	skip = weeks > cols ? weeks - cols : 0;
	for (int d = 0; d < rows && dlw > 0; d++)
		if (days[d] != NULL)
			put_text(c, 0, top + d, days[d], dlw - 1, CHART_AXIS);
	for (long w = skip; w < weeks; w++) {
		for (int d = 0; d < rows; d++) {
			long idx = w * 7 + d - fd;
			double v;
			int level = 0;

			if (idx < 0 || (size_t)idx >= opt->n || !isfinite(opt->v[idx]))
				continue;
			v = opt->v[idx];
			if (v > 0 && max > 0) {
				/* sqrt: a light day next to a heavy one still shows */
				level = (int)ceil(sqrt(v / max) * 4);
				level = level < 1 ? 1 : level > 4 ? 4 : level;
			}
			put(c, dlw + (int)(w - skip), top + d, shade[level], level);
		}
	}
	hc.x0 = dlw;
	hc.skip = skip;
	fr.x0 = dlw;
	fr.pw = c->width - dlw;
	fr.xlabel_row = top ? 0 : -1;
	xlabels_draw(c, &fr, opt->xlabels, opt->nxlabels, heat_col, &hc, 0);
}

/* ---- sparkline ----------------------------------------------------------------- */

void
chart_sparkline(struct chart_canvas *c, enum chart_profile profile,
    const struct chart_series *s)
{
	static const char ascii[] = "_.:-=+*#";
	size_t n = s->v != NULL ? s->n : 0, ncols;
	double lo = 0, hi = -INFINITY;

	if (c->cells == NULL)
		return;
	canvas_clear(c);
	ncols = n < (size_t)c->width ? n : (size_t)c->width;
	for (size_t i = 0; i < n; i++) {
		double v = sample(s, i);

		if (!isnan(v)) {
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	for (size_t j = 0; j < ncols; j++) {
		size_t a, b;
		double v;
		int level = 0;
		char g[2];

		group_range(j, ncols, n, &a, &b);
		if (isnan(v = group_mean(s, a, b)))
			continue;
		if (hi > lo)
			level = (int)lround((v - lo) / (hi - lo) * 7);
		level = level < 0 ? 0 : level > 7 ? 7 : level;
		if (profile == CHART_ASCII) {
			g[0] = ascii[level];
			g[1] = '\0';
			put(c, (int)j, 0, g, 0);
		} else
			put(c, (int)j, 0, eighths_up[level + 1], 0);
	}
}
