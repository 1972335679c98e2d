/*
 * ui-stats.c - the stats pane. For now: today's summary and the
 * collection's totals (the graphs come with the stats module).
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>

#include "lemma/day.h"
#include "lemma/db.h"

static void
stats_draw(struct ui *ui, WINDOW *w)
{
	struct db_review_summary today;
	struct db_totals totals;
	struct err e;
	char line[256];
	time_t start = day_start(day_number(ui_now(ui), 4), 4);
	int row = 1, cols = getmaxx(w);

	err_clear(&e);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE, "Today");
	if (db_reviews_since(ui->app->db, start, &today, &e) < 0) {
		ui_draw_text(ui, w, row, 2, cols - 4, THEME_ERROR, e.msg);
		return;
	}
	ui->studied_today = (long)today.cards;
	if (today.count == 0)
		snprintf(line, sizeof line, "No cards studied yet today.");
	else
		snprintf(line, sizeof line, "Studied %lld cards in %lld min; "
		    "Again %lld times (%.0f%% correct).", (long long)today.cards,
		    (long long)((today.time_ms + 59999) / 60000),
		    (long long)today.again,
		    100.0 * (double)(today.count - today.again) / (double)today.count);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_NORMAL, line);
	row++;
	if (db_totals(ui->app->db, &totals, &e) < 0)
		return;
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE, "Collection");
	snprintf(line, sizeof line, "%lld decks, %lld notes, %lld cards, "
	    "%lld reviews in all.", (long long)totals.decks,
	    (long long)totals.notes, (long long)totals.cards,
	    (long long)totals.reviews);
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_NORMAL, line);
	row++;
	ui_draw_text(ui, w, row, 2, cols - 4, THEME_MUTED,
	    "Enter on a deck to study it; ? for all keys.");
}

static unsigned
stats_action(struct ui *ui, enum ui_action a, int key)
{
	(void)key;
	if (a == UI_BACK || a == UI_QUIT) {
		ui->focus_right = 0;
		return UI_DIRTY_ALL;
	}
	return 0;
}

static const struct ui_binding stats_keys[] = {
	{ '\t', UI_PANE }, { 12, UI_REDRAW }, { '?', UI_HELP },
	{ KEY_F(1), UI_HELP }, { 'q', UI_BACK }, { 27, UI_BACK },
	{ 0, UI_NONE }
};

const struct view ui_stats_view = {
	.name = "Statistics",
	.keys = stats_keys,
	.action = stats_action,
	.draw = stats_draw,
	.click = NULL,
};
