/*
 * ui-stats.c - the statistics pane: every graph of stats-text.h for the
 * deck selected in the deck list (sub-decks included) and the chosen period.
 * Tall panes show all graphs in a column that scrolls; short ones show one
 * graph at a time, h/l or the arrows to move between them.
 *
 * The figures are computed once when the data or the choice changes (the
 * "recalc"), and each redraw only paints them (NeoMutt's split): a
 * keystroke never re-runs the queries.
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/sched/study.h"
#include "lemma/stats/chart.h"
#include "lemma/stats/stats-text.h"
#include "lemma/stats/stats.h"

/* A pane this tall shows every graph in one scrolling column. */
#define STATS_COLUMN_ROWS	40

/* The figures last computed, and what they were computed for. */
struct ui_stats_cache {
	struct stats	 figures;
	int		 valid;
	int64_t		 deck;
	int		 period;
	long		 generation;	/* of the data, at the time */
};

void
ui_stats_invalidate(struct ui *ui)
{
	ui->stats_generation++;
}

void
ui_stats_free(struct ui *ui)
{
	if (ui->stats_cache != NULL && ui->stats_cache->valid)
		stats_free(&ui->stats_cache->figures);
	free(ui->stats_cache);
	ui->stats_cache = NULL;
}

/* The deck the pane is about: the one selected when s was pressed (all
 * decks before that), so moving in the deck list runs no queries. */
static const char *
selected_deck_name(struct ui *ui)
{
	struct ui_decks *d = &ui->decks;

	for (size_t i = 0; i < d->ncounts; i++)
		if (d->counts[i].deck_id == ui->stats_deck_id)
			return d->counts[i].name;
	return NULL;
}

/* Compute the figures if the deck, the period or the data changed. */
static int
recalc(struct ui *ui, char *err, size_t len)
{
	struct ui_stats_cache *c = ui->stats_cache;
	struct stats_opts o;
	struct err e;

	if (c != NULL && c->valid && c->deck == ui->stats_deck_id &&
	    c->period == ui->stats_period &&
	    c->generation == ui->stats_generation)
		return 0;
	ui_stats_free(ui);
	c = ui->stats_cache = xcalloc(1, sizeof *c);
	memset(&o, 0, sizeof o);
	o.deck = selected_deck_name(ui);
	o.period = (enum stats_period)ui->stats_period;
	err_clear(&e);
	if (stats_compute(ui->app->db, &o, ui_now(ui), &c->figures, &e) < 0) {
		stats_free(&c->figures);
		snprintf(err, len, "%s", e.msg);
		return -1;
	}
	c->valid = 1;
	c->deck = ui->stats_deck_id;
	c->period = ui->stats_period;
	c->generation = ui->stats_generation;
	return 0;
}

static enum theme_element
cell_element(int graph, int series)
{
	if (series == CHART_AXIS)
		return THEME_GRAPH_AXIS;
	if (series == CHART_REF)
		return THEME_GRAPH_TARGET;
	if (series == CHART_NONE)
		return THEME_NORMAL;
	return stats_graph_element(graph, series);
}

/* Draw graph g from row (may be negative: scrolled off), height rows of
 * canvas; returns the next row. */
static int
draw_graph(struct ui *ui, WINDOW *w, int row, int g, int height)
{
	int rows = getmaxy(w), cols = getmaxx(w), width = cols - 4;
	enum chart_profile profile = ui->app->ascii ? CHART_ASCII :
	    CHART_UTF8_BRAILLE;
	struct stats_legend legend[CHART_MAX_SERIES + 2];
	struct chart_canvas c;
	struct buf caption;
	size_t nlegend;

	if (row >= 0 && row < rows)
		ui_draw_text(ui, w, row, 2, width, THEME_TITLE,
		    stats_graph_title(g));
	row++;
	buf_init(&caption);
	stats_graph_caption(&ui->stats_cache->figures, g, profile, &caption);
	if (caption.len > 0) {
		if (row >= 0 && row < rows)
			ui_draw_text(ui, w, row, 2, width, THEME_MUTED, caption.data);
		row++;
	}
	buf_free(&caption);
	if (height < 1)
		return row;
	/* stats_graph_draw makes the canvas itself. */
	stats_graph_draw(&ui->stats_cache->figures, g, &c, width, height, profile);
	for (int y = 0; y < height; y++, row++) {
		if (row < 0 || row >= rows)
			continue;
		for (int x = 0; x < width; x++) {
			const struct chart_cell *cell = chart_cell(&c, x, y);
			if (cell == NULL || cell->glyph[0] == '\0' ||
			    (cell->glyph[0] == ' ' && cell->glyph[1] == '\0'))
				continue;
			ui_draw_text(ui, w, row, 2 + x, 1,
			    cell_element(g, cell->series), cell->glyph);
		}
	}
	chart_canvas_free(&c);
	nlegend = stats_graph_legend(g, legend, sizeof legend / sizeof legend[0]);
	if (nlegend > 0) {
		int x = 2;
		for (size_t i = 0; i < nlegend; i++) {
			char item[64];
			snprintf(item, sizeof item, "%s %s  ", ui->app->ascii ? "#" :
			    "■", legend[i].name);
			if (row >= 0 && row < rows)
				x += ui_draw_text(ui, w, row, x, cols - x - 1,
				    cell_element(g, legend[i].series), item);
		}
		row++;
	}
	return row + 1;
}

static void
stats_draw(struct ui *ui, WINDOW *w)
{
	int rows = getmaxy(w), cols = getmaxx(w), row;
	char err[600], head[200];
	const char *deck = selected_deck_name(ui);
	int n = stats_graph_count();

	if (recalc(ui, err, sizeof err) < 0) {
		ui_draw_text(ui, w, 1, 2, cols - 4, THEME_ERROR, err);
		return;
	}
	snprintf(head, sizeof head, "Statistics · %s · %s", deck != NULL ? deck :
	    "all decks", stats_period_name((enum stats_period)ui->stats_period));
	ui_draw_text(ui, w, 0, 1, cols - 2, THEME_HEADER, head);
	if (ui->stats_graph < 0)
		ui->stats_graph = 0;
	if (rows >= STATS_COLUMN_ROWS) {
		/* Tall: every graph in a column; stats_graph is the scroll. */
		row = 2 - ui->stats_scroll;
		for (int g = 0; g < n && row < rows; g++)
			row = draw_graph(ui, w, row, g, stats_graph_height(
			    &ui->stats_cache->figures, g, cols - 4));
		ui->stats_more = row > rows;
		/* Graphs scrolled up pass under the title: it goes on top. */
		for (int r = 0; r < 2; r++) {
			wmove(w, r, 0);
			wclrtoeol(w);
		}
		ui_draw_text(ui, w, 0, 1, cols - 2, THEME_HEADER, head);
		return;
	}
	if (ui->stats_graph >= n)
		ui->stats_graph = n - 1;
	{
		char pos[32];
		int h = rows - 6;
		snprintf(pos, sizeof pos, "%d/%d", ui->stats_graph + 1, n);
		ui_draw_text(ui, w, 0, cols - 1 - (int)strlen(pos), 8, THEME_MUTED,
		    pos);
		draw_graph(ui, w, 2, ui->stats_graph, h < 3 ? 3 : h);
	}
}

static unsigned
stats_action(struct ui *ui, enum ui_action a, int key)
{
	int tall = ui->right != NULL && getmaxy(ui->right) >= STATS_COLUMN_ROWS;

	(void)key;
	switch (a) {
	case UI_BACK:
		ui->focus_right = 0;
		return UI_DIRTY_ALL;
	case UI_NEXT_GRAPH:
		if (ui->stats_graph + 1 < stats_graph_count())
			ui->stats_graph++;
		return UI_DIRTY_RIGHT;
	case UI_PREV_GRAPH:
		if (ui->stats_graph > 0)
			ui->stats_graph--;
		return UI_DIRTY_RIGHT;
	case UI_DOWN:
	case UI_PAGE_DOWN:
		if (!tall)
			return stats_action(ui, UI_NEXT_GRAPH, key);
		if (ui->stats_more)
			ui->stats_scroll += a == UI_DOWN ? 1 : getmaxy(ui->right) / 2;
		return UI_DIRTY_RIGHT;
	case UI_UP:
	case UI_PAGE_UP:
		if (!tall)
			return stats_action(ui, UI_PREV_GRAPH, key);
		ui->stats_scroll -= a == UI_UP ? 1 : getmaxy(ui->right) / 2;
		if (ui->stats_scroll < 0)
			ui->stats_scroll = 0;
		return UI_DIRTY_RIGHT;
	case UI_TOP:
		ui->stats_scroll = 0;
		ui->stats_graph = 0;
		return UI_DIRTY_RIGHT;
	case UI_PERIOD:
		ui->stats_period = (ui->stats_period + 1) % 3;
		return UI_DIRTY_RIGHT;
	default:
		return 0;
	}
}

static const enum ui_action *
stats_hints(struct ui *ui)
{
	static const enum ui_action hints[] = { UI_NEXT_GRAPH, UI_PREV_GRAPH,
	    UI_PERIOD, UI_PANE, UI_BACK, UI_HELP, UI_NONE };

	(void)ui;
	return hints;
}

static const struct ui_binding stats_keys[] = {
	{ 'l', UI_NEXT_GRAPH }, { KEY_RIGHT, UI_NEXT_GRAPH },
	{ 'h', UI_PREV_GRAPH }, { KEY_LEFT, UI_PREV_GRAPH },
	{ 'j', UI_DOWN }, { KEY_DOWN, UI_DOWN }, { 'k', UI_UP }, { KEY_UP, UI_UP },
	{ 4, UI_PAGE_DOWN }, { KEY_NPAGE, UI_PAGE_DOWN }, { 21, UI_PAGE_UP },
	{ KEY_PPAGE, UI_PAGE_UP }, { 'g', UI_TOP }, { 'p', UI_PERIOD },
	{ '\t', UI_PANE }, { 'b', UI_BROWSE }, { 12, UI_REDRAW }, { '?', UI_HELP },
	{ KEY_F(1), UI_HELP }, { 'q', UI_BACK }, { 27, UI_BACK },
	{ 0, UI_NONE }
};

const struct view ui_stats_view = {
	.name = "Statistics",
	.keys = stats_keys,
	.action = stats_action,
	.draw = stats_draw,
	.click = NULL,
	.hints = stats_hints,
};
