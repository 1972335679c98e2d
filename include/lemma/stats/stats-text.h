/*
 * stats-text.h - the statistics as graphs and text (JSON: stats-json.h).
 *
 * Owns how each figure of stats.h is shown: the list of graphs and their
 * titles, units, legends and captions, and the drawing of each one into a
 * chart canvas at a given size (chart.h). The stats pane draws the canvases
 * cell by cell with the theme element stats_graph_element() names; `lemma
 * stats` prints the same canvases as text (and, through stats-json.h,
 * everything as JSON). Pure: no I/O, no clock, no curses; the caller picks
 * the profile from the locale.
 */
#ifndef LEMMA_STATS_TEXT_H
#define LEMMA_STATS_TEXT_H

#include <stddef.h>

#include "lemma/app/theme.h"
#include "lemma/stats/chart.h"
#include "lemma/stats/stats.h"

struct buf;

/* The graphs, in the order the pane and `lemma stats` show them. */
enum stats_graph {
	STATS_GRAPH_TODAY,		/* text: today's figures */
	STATS_GRAPH_TRUE_RETENTION,	/* text: the true-retention table */
	STATS_GRAPH_FORECAST,		/* bars: cards due per day, the backlog */
	STATS_GRAPH_REVIEWS,		/* stacked bars: learn/young/mature/relearn */
	STATS_GRAPH_TIME,		/* bars: minutes per day */
	STATS_GRAPH_RETENTION,		/* lines: per week, measured and predicted */
	STATS_GRAPH_CALENDAR,		/* heatmap: a year of reviews */
	STATS_GRAPH_COUNTS,		/* horizontal bars: card states */
	STATS_GRAPH_INTERVALS,		/* horizontal bars */
	STATS_GRAPH_STABILITY,
	STATS_GRAPH_DIFFICULTY,
	STATS_GRAPH_RETRIEVABILITY,
	STATS_GRAPH_BUTTONS,		/* horizontal bars: share of each grade */
	STATS_GRAPH_HOURS,		/* bars and a line by local hour */
	STATS_NGRAPHS
};

int		 stats_graph_count(void);

/* The title with its unit ("Reviews per day"); "" outside the range. */
const char	*stats_graph_title(int graph);

/* One line of figures that goes with the graph ("Due tomorrow: 12 ·
 * overdue: 3 · daily load: 41"), in the profile's characters; replaces
 * out's contents (empty when there is nothing to say). */
void		 stats_graph_caption(const struct stats *s, int graph,
		    enum chart_profile profile, struct buf *out);

/* The series of a graph, for a legend: up to max entries of a name and the
 * series index its cells carry; returns how many there are. */
struct stats_legend {
	const char	*name;
	int		 series;
};
size_t		 stats_graph_legend(int graph, struct stats_legend *out,
		    size_t max);

/* The rows a graph wants at this width (its height in a scrolling
 * column); it can be drawn smaller or larger. */
int		 stats_graph_height(const struct stats *s, int graph, int width);

/*
 * Draw graph into c, which this initialises to width x height (free it
 * with chart_canvas_free; c's old cells are not freed). Every glyph is one
 * column; nothing is drawn outside the canvas whatever the size, down to
 * an empty one.
 */
void		 stats_graph_draw(const struct stats *s, int graph,
		    struct chart_canvas *c, int width, int height,
		    enum chart_profile profile);

/* The theme element for a cell of graph with this series (a series index,
 * CHART_AXIS, CHART_REF or CHART_NONE). */
enum theme_element stats_graph_element(int graph, int series);

/* Everything as text for `lemma stats`: a heading, then each graph's title,
 * caption and canvas at width columns. Appends to out. */
void		 stats_text(const struct stats *s, int width,
		    enum chart_profile profile, struct buf *out);

/* The local date of study day d as "YYYY-MM-DD" (buf of 11 or more). */
void		 stats_day_date(long d, char *buf, size_t len);

/* The names the graphs (and the JSON) give an answer type ("learn",
 * "young", "mature") and a tenth of a 0-1 range ("0-10%"...); NULL out
 * of range. */
const char	*stats_button_type_name(int type);
const char	*stats_tenth_label(int i);

#endif
