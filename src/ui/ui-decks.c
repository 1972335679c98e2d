/*
 * ui-decks.c - the deck list: the "::" tree with new / learning / due
 * counts as Anki's deck list shows them (limits applied, sub-decks
 * included), expand and collapse, Enter to study.
 */
#include "config.h"

#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"

#define COUNT_COLS	6	/* one count column, right-aligned */

static int
depth_of(const char *name)
{
	int d = 0;

	for (const char *p = strstr(name, "::"); p != NULL; p = strstr(p + 2, "::"))
		d++;
	return d;
}

static const char *
leaf_of(const char *name)
{
	const char *leaf = name;

	for (const char *p = strstr(name, "::"); p != NULL; p = strstr(p + 2, "::"))
		leaf = p + 2;
	return leaf;
}

/* Rebuild the visible rows from counts and the collapsed flags. */
static void
build_rows(struct ui_decks *d)
{
	int hidden_below = -1;	/* depth under which rows are hidden */

	free(d->rows);
	d->rows = xcalloc(d->ncounts + 1, sizeof *d->rows);
	d->nrows = 0;
	for (size_t i = 0; i < d->ncounts; i++) {
		int depth = depth_of(d->counts[i].name);
		int children = i + 1 < d->ncounts &&
		    depth_of(d->counts[i + 1].name) > depth &&
		    strncmp(d->counts[i + 1].name, d->counts[i].name,
		    strlen(d->counts[i].name)) == 0;

		if (hidden_below >= 0 && depth > hidden_below)
			continue;
		hidden_below = -1;
		d->rows[d->nrows].index = (int)i;
		d->rows[d->nrows].depth = depth;
		d->rows[d->nrows].has_children = children;
		d->nrows++;
		if (children && d->collapsed[i])
			hidden_below = depth;
	}
	if (d->selected >= d->nrows)
		d->selected = d->nrows > 0 ? d->nrows - 1 : 0;
}

void
ui_decks_free(struct ui *ui)
{
	struct ui_decks *d = &ui->decks;

	if (d->counts != NULL)
		study_deck_counts_free(d->counts, d->ncounts);
	free(d->collapsed);
	free(d->rows);
	memset(d, 0, sizeof *d);
}

void
ui_decks_reload(struct ui *ui)
{
	struct ui_decks *d = &ui->decks;
	int64_t keep = d->selected_id;
	struct deck *decks;
	size_t ndecks;
	struct err e;

	ui_decks_free(ui);
	d->selected_id = keep;
	err_clear(&e);
	if (study_deck_counts(ui->app->db, ui_now(ui), &d->counts, &d->ncounts,
	    &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		d->counts = NULL;
		d->ncounts = 0;
	}
	d->collapsed = xcalloc(d->ncounts + 1, sizeof *d->collapsed);
	if (db_deck_list(ui->app->db, &decks, &ndecks, &e) == 0) {
		for (size_t i = 0; i < d->ncounts; i++)
			for (size_t j = 0; j < ndecks; j++)
				if (decks[j].id == d->counts[i].deck_id)
					d->collapsed[i] = decks[j].collapsed;
		db_decks_free(decks, ndecks);
	}
	build_rows(d);
	d->selected = 0;
	for (int r = 0; r < d->nrows; r++)
		if (d->counts[d->rows[r].index].deck_id == keep)
			d->selected = r;
	if (d->nrows > 0)
		d->selected_id = d->counts[d->rows[d->selected].index].deck_id;
	ui->dirty |= UI_DIRTY_LEFT | UI_DIRTY_HEADER;
}

static const struct deck_counts *
selected_deck(const struct ui *ui)
{
	const struct ui_decks *d = &ui->decks;

	if (d->nrows == 0)
		return NULL;
	return &d->counts[d->rows[d->selected].index];
}

/* A count right-aligned in a column of cw cells (one of them the gap).
 * In the narrow columns (3 digits) thousands read "12k", never a number
 * cut to its first digits. */
static void
draw_count(struct ui *ui, WINDOW *w, int row, int col, int cw, int n,
    enum theme_element el, enum theme_element row_el)
{
	char buf[16];

	if (cw - 1 < 4 && n >= 100000)
		snprintf(buf, sizeof buf, "%*s", cw - 1, "++");
	else if (cw - 1 < 4 && n >= 1000)
		snprintf(buf, sizeof buf, "%*dk", cw - 2, n / 1000);
	else
		snprintf(buf, sizeof buf, "%*d", cw - 1, n);
	ui_draw_text(ui, w, row, col, cw, row_el == THEME_DECK_SELECTED ?
	    row_el : (n > 0 ? el : THEME_COUNT_ZERO), buf);
}

static void
decks_draw(struct ui *ui, WINDOW *w)
{
	struct ui_decks *d = &ui->decks;
	int rows = getmaxy(w), cols = getmaxx(w), body = rows - 2;
	/* Below 40 columns the counts take 4 cells each, so names keep room. */
	int cw = cols < 40 ? 4 : COUNT_COLS;
	int name_cols = cols - 3 * cw - 2;
	int is_focus = ui_focus_view(ui) == &ui_decks_view;

	if (d->selected < d->top)
		d->top = d->selected;
	if (body > 0 && d->selected >= d->top + body)
		d->top = d->selected - body + 1;
	ui_draw_text(ui, w, 0, 1, name_cols, THEME_MUTED, "Deck");
	ui_draw_text(ui, w, 0, name_cols + 1, cw, THEME_COUNT_NEW,
	    cw < COUNT_COLS ? "New" : "  New");
	ui_draw_text(ui, w, 0, name_cols + 1 + cw, cw, THEME_COUNT_LEARN,
	    cw < COUNT_COLS ? "Lrn" : "Learn");
	ui_draw_text(ui, w, 0, name_cols + 1 + 2 * cw, cw, THEME_COUNT_DUE,
	    cw < COUNT_COLS ? "Due" : "  Due");
	if (d->nrows == 0) {
		ui_draw_text(ui, w, 2, 1, cols - 2, THEME_MUTED,
		    "No decks yet. Import one: lemma import FILE");
		return;
	}
	for (int r = 0; r < body && d->top + r < d->nrows; r++) {
		const struct ui_deck_row *row = &d->rows[d->top + r];
		const struct deck_counts *c = &d->counts[row->index];
		int selected = d->top + r == d->selected;
		enum theme_element el = selected && is_focus ? THEME_DECK_SELECTED :
		    THEME_DECK;
		const char *mark = !row->has_children ? "  " :
		    d->collapsed[row->index] ? (ui->app->ascii ? "+ " : "▸ ") :
		    (ui->app->ascii ? "- " : "▾ ");
		int y = r + 1, x;

		if (el == THEME_DECK_SELECTED)
			ui_fill_row(ui, w, y, 0, el);
		x = 1 + 2 * row->depth;
		x += ui_draw_text(ui, w, y, x, name_cols - x, el, mark);
		ui_draw_text_cut(ui, w, y, x, name_cols - x, el,
		    leaf_of(c->name));
		draw_count(ui, w, y, name_cols + 1, cw, c->new_count,
		    THEME_COUNT_NEW, el);
		draw_count(ui, w, y, name_cols + 1 + cw, cw, c->learn_count,
		    THEME_COUNT_LEARN, el);
		draw_count(ui, w, y, name_cols + 1 + 2 * cw, cw, c->review_count,
		    THEME_COUNT_DUE, el);
	}
}

int
ui_decks_pane_cols(const struct ui *ui, int screen_cols)
{
	const struct ui_decks *d = &ui->decks;
	int want = 36, most = screen_cols / 2;

	/* Room for the widest name, its indent and mark, and the counts;
	 * at most half the screen, so the card beside it stays readable. */
	for (size_t i = 0; i < d->ncounts; i++) {
		const char *name = d->counts[i].name;
		int depth = 0, cols;

		for (const char *p = strstr(name, "::"); p != NULL;
		    p = strstr(p + 2, "::"))
			depth++;
		cols = 1 + 2 * depth + 2 + ui_text_width(leaf_of(name)) + 1 +
		    3 * COUNT_COLS + 1;
		if (cols > want)
			want = cols;
	}
	return want < most ? want : most;
}

const char *
ui_decks_selected_name(const struct ui *ui)
{
	const struct ui_decks *d = &ui->decks;

	if (d->nrows == 0 || d->selected < 0 || d->selected >= d->nrows)
		return NULL;
	return d->counts[d->rows[d->selected].index].name;
}

static void
set_collapsed(struct ui *ui, int collapsed)
{
	struct ui_decks *d = &ui->decks;
	const struct ui_deck_row *row;
	struct err e;

	if (d->nrows == 0)
		return;
	row = &d->rows[d->selected];
	if (!row->has_children || d->collapsed[row->index] == collapsed)
		return;
	d->collapsed[row->index] = collapsed;
	err_clear(&e);
	if (db_deck_set_collapsed(ui->app->db, d->counts[row->index].deck_id,
	    collapsed, &e) < 0)
		ui_message(ui, 1, "%s", e.msg);
	build_rows(d);
}

static void
move_to(struct ui *ui, int row)
{
	struct ui_decks *d = &ui->decks;

	if (row >= d->nrows)
		row = d->nrows - 1;
	if (row < 0)
		row = 0;
	d->selected = row;
	if (d->nrows > 0)
		d->selected_id = d->counts[d->rows[row].index].deck_id;
}

static unsigned
decks_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_decks *d = &ui->decks;
	const struct deck_counts *c;
	int page = ui->left != NULL ? getmaxy(ui->left) / 2 : 10;

	(void)key;
	switch (a) {
	case UI_UP:
		move_to(ui, d->selected - 1);
		break;
	case UI_DOWN:
		move_to(ui, d->selected + 1);
		break;
	case UI_TOP:
		move_to(ui, 0);
		break;
	case UI_BOTTOM:
		move_to(ui, d->nrows - 1);
		break;
	case UI_PAGE_UP:
		move_to(ui, d->selected - page);
		break;
	case UI_PAGE_DOWN:
		move_to(ui, d->selected + page);
		break;
	case UI_EXPAND:
		set_collapsed(ui, 0);
		break;
	case UI_COLLAPSE:
		set_collapsed(ui, 1);
		break;
	case UI_TOGGLE:
		if (d->nrows > 0)
			set_collapsed(ui, !d->collapsed[d->rows[d->selected].index]);
		break;
	case UI_OPEN:
		if ((c = selected_deck(ui)) == NULL)
			return 0;
		ui_study_start(ui, c->deck_id, c->name);
		return UI_DIRTY_ALL;
	case UI_OPTIONS:
		if ((c = selected_deck(ui)) == NULL)
			return 0;
		ui_options_open(ui, c->deck_id, c->name);
		return UI_DIRTY_ALL;
	case UI_ADD:
		if ((c = selected_deck(ui)) == NULL)
			return 0;
		ui_editor_open(ui, 0, c->deck_id);
		return UI_DIRTY_ALL;
	default:
		return 0;
	}
	/* The header names the deck under the cursor. */
	return UI_DIRTY_LEFT | UI_DIRTY_HEADER |
	    (ui->wide ? UI_DIRTY_RIGHT : 0);
}

static unsigned
decks_click(struct ui *ui, int row, int col)
{
	struct ui_decks *d = &ui->decks;
	int target = d->top + row - 1;

	(void)col;
	if (row < 1 || target >= d->nrows)
		return 0;
	if (target == d->selected)
		return decks_action(ui, UI_OPEN, 0);
	move_to(ui, target);
	return UI_DIRTY_LEFT | UI_DIRTY_HEADER;
}

static const enum ui_action *
decks_hints(struct ui *ui)
{
	static const enum ui_action hints[] = { UI_OPEN, UI_BROWSE, UI_ADD,
	    UI_STATS, UI_OPTIONS, UI_HELP, UI_QUIT, UI_NONE };

	(void)ui;
	return hints;
}

static const struct ui_binding decks_keys[] = {
	{ '\r', UI_OPEN }, { KEY_UP, UI_UP }, { 'k', UI_UP },
	{ KEY_DOWN, UI_DOWN }, { 'j', UI_DOWN }, { 'g', UI_TOP },
	{ KEY_HOME, UI_TOP }, { 'G', UI_BOTTOM }, { KEY_END, UI_BOTTOM },
	{ 4, UI_PAGE_DOWN }, { KEY_NPAGE, UI_PAGE_DOWN }, { 21, UI_PAGE_UP },
	{ KEY_PPAGE, UI_PAGE_UP }, { KEY_RIGHT, UI_EXPAND }, { 'l', UI_EXPAND },
	{ KEY_LEFT, UI_COLLAPSE }, { 'h', UI_COLLAPSE }, { ' ', UI_TOGGLE },
	{ '\t', UI_PANE }, { 's', UI_STATS }, { 'b', UI_BROWSE },
	{ 'a', UI_ADD }, { 'o', UI_OPTIONS }, { 12, UI_REDRAW },
	{ '?', UI_HELP }, { KEY_F(1), UI_HELP }, { 'q', UI_QUIT },
	{ 0, UI_NONE }
};

const struct view ui_decks_view = {
	.name = "Decks",
	.keys = decks_keys,
	.action = decks_action,
	.draw = decks_draw,
	.click = decks_click,
	.hints = decks_hints,
};
