/*
 * ui-browse.c - the card browser: an Anki-style search line, a table of
 * cards sortable by any column, the selected card rendered below, and bulk
 * actions on a selection. Only the visible page of rows is read from the
 * progress file (search_page); the result holds card ids alone.
 */
#include "config.h"

#include "ui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/day.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/notedoc.h"
#include "lemma/query/cardops.h"
#include "lemma/query/search.h"
#include "lemma/render/render.h"
#include "lemma/sched/study.h"

#define MAX_PAGE	256

/* A table column: its title, width and what it shows. */
enum col_id { COL_SORT, COL_FLAG, COL_DECK, COL_DUE, COL_IVL, COL_D, COL_S,
	COL_R, COL_REPS, COL_LAPSES, COL_TAGS, NCOLS };

static const struct {
	const char	*title;
	int		 width;		/* 0: takes what is left */
	int		 sort;		/* enum search_sort, or -1 */
} columns[NCOLS] = {
	[COL_SORT]	= { "Sort field", 0, SEARCH_SORT_FIELD },
	/* The flag's number in its colour; * for a marked note. */
	[COL_FLAG]	= { "F", 2, -1 },
	[COL_DECK]	= { "Deck", 14, SEARCH_SORT_DECK },
	[COL_DUE]	= { "Due", 10, SEARCH_SORT_DUE },
	[COL_IVL]	= { "Ivl", 6, SEARCH_SORT_INTERVAL },
	[COL_D]		= { "D", 4, SEARCH_SORT_DIFFICULTY },
	[COL_S]		= { "S", 6, SEARCH_SORT_STABILITY },
	[COL_R]		= { "R", 4, SEARCH_SORT_RETRIEVABILITY },
	[COL_REPS]	= { "Reps", 4, SEARCH_SORT_REPS },
	[COL_LAPSES]	= { "Lap", 3, SEARCH_SORT_LAPSES },
	[COL_TAGS]	= { "Tags", 12, -1 },
};

/* Which columns fit, most wanted first, given the width. */
static const enum col_id col_priority[NCOLS] = { COL_SORT, COL_FLAG,
	COL_DUE, COL_IVL, COL_DECK, COL_R, COL_D, COL_S, COL_REPS, COL_LAPSES,
	COL_TAGS };

static int
choose_columns(int width, int shown[NCOLS], int *sort_width)
{
	int used = 0;

	memset(shown, 0, NCOLS * sizeof *shown);
	shown[COL_SORT] = 1;
	for (int i = 1; i < NCOLS; i++) {
		enum col_id c = col_priority[i];
		/* The sort field keeps at least two fifths of the row. */
		if (used + columns[c].width + 1 + (width * 2 / 5) <= width) {
			shown[c] = 1;
			used += columns[c].width + 1;
		}
	}
	*sort_width = width - used;
	return 0;
}

static void
free_result(struct ui_browse *b)
{
	if (b->result != NULL)
		search_result_free(b->result);
	b->result = NULL;
}

void
ui_browse_free(struct ui *ui)
{
	struct ui_browse *b = &ui->br;

	free_result(b);
	ui_text_free(&b->query);
	ui_text_free(&b->prompt_text);
	free(b->marked);
	memset(b, 0, sizeof *b);
}

/* Run the query again, keeping the cursor on the same card if it is still
 * there. */
static void
run_query(struct ui *ui)
{
	struct ui_browse *b = &ui->br;
	int64_t keep = 0;
	struct search *s;
	struct err e;
	long pos;

	if (b->result != NULL && b->selected < search_count(b->result))
		keep = search_card_id(b->result, b->selected);
	free_result(b);
	b->error[0] = '\0';
	b->error_col = 0;
	err_clear(&e);
	/* deck:current is the deck in focus: the one being studied, else
	 * the one under the deck list's cursor. */
	s = search_compile_in(ui_text_str(&b->query), ui_now(ui),
	    search_rollover(ui->app->db), ui->st.study != NULL ?
	    ui->st.deck_name : ui_decks_selected_name(ui), &e);
	if (s == NULL) {
		snprintf(b->error, sizeof b->error, "%s", e.msg);
		b->error_col = (int)e.col;
		return;
	}
	b->result = search_run(ui->app->db, s, (enum search_sort)b->sort,
	    b->descending, &e);
	search_free(s);
	if (b->result == NULL) {
		snprintf(b->error, sizeof b->error, "%s", e.msg);
		return;
	}
	pos = keep != 0 ? search_find(b->result, keep) : -1;
	b->selected = pos >= 0 ? (size_t)pos : 0;
}

void
ui_browse_open(struct ui *ui, const char *query)
{
	struct ui_browse *b = &ui->br;

	if (!b->opened) {
		ui_text_init(&b->query, query, 0);
		ui_text_init(&b->prompt_text, "", 0);
		b->sort = SEARCH_SORT_FIELD;
		b->opened = 1;
	} else if (query != NULL)
		ui_text_set(&b->query, query);
	run_query(ui);
	ui_show(ui, &ui_browse_view);
}

static int
is_marked(const struct ui_browse *b, int64_t id)
{
	for (size_t i = 0; i < b->nmarked; i++)
		if (b->marked[i] == id)
			return 1;
	return 0;
}

static void
toggle_mark(struct ui_browse *b, int64_t id)
{
	for (size_t i = 0; i < b->nmarked; i++) {
		if (b->marked[i] == id) {
			b->marked[i] = b->marked[--b->nmarked];
			return;
		}
	}
	VEC_RESERVE(b->marked, b->marked_cap, b->nmarked + 1, 16);
	b->marked[b->nmarked++] = id;
}

static void
format_due(const struct search_row *r, char *buf, size_t len)
{
	struct tm tm;

	if (r->state == 0) {
		snprintf(buf, len, "new #%d", r->position);
		return;
	}
	localtime_r(&r->due, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static void
format_cell(const struct search_row *r, enum col_id c, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (c) {
	case COL_DECK:
		snprintf(buf, len, "%s", r->deck);
		break;
	case COL_DUE:
		format_due(r, buf, len);
		break;
	case COL_IVL:
		if (r->state == 2 || r->state == 3)
			study_format_interval((long)r->ivl_days * 86400, buf, len);
		else
			/* Fits the column's 6 cells: "(learn)" was cut. */
			snprintf(buf, len, r->state == 0 ? "" : "learn");
		break;
	case COL_D:
		if (r->difficulty > 0)
			snprintf(buf, len, "%.0f%%", (r->difficulty - 1) / 9 * 100);
		break;
	case COL_S:
		if (r->stability > 0)
			snprintf(buf, len, r->stability < 10 ? "%.1fd" : "%.0fd",
			    r->stability);
		break;
	case COL_R:
		if (r->retrievability >= 0)
			snprintf(buf, len, "%.0f%%", r->retrievability * 100);
		break;
	case COL_REPS:
		snprintf(buf, len, "%d", r->reps);
		break;
	case COL_LAPSES:
		snprintf(buf, len, "%d", r->lapses);
		break;
	case COL_TAGS:
		snprintf(buf, len, "%s", r->tags[0] == ' ' ? r->tags + 1 : r->tags);
		break;
	default:
		break;
	}
}

/* The sort field, rendered on one line (formulas and all), clipped. */
static void
draw_sort_field(struct ui *ui, WINDOW *w, int row, int col, int width,
    const char *text, enum theme_element el)
{
	struct render_opts o = { .width = 0, .ascii = ui->app->ascii,
	    .flags = RENDER_ONELINE };
	char *plain = render_plain(text, &o);

	ui_draw_text(ui, w, row, col, width, el, plain);
	free(plain);
}

/*
 * A column's title with the arrow of the sort order when the table is
 * sorted by it. The sort field's title names the selected card's field
 * (field, NULL for none): each note type has its own sort field, as
 * Anki's "Sort Field" column shows.
 */
static void
column_title(const struct ui *ui, const struct ui_browse *b, int c,
    const char *field, char *title, size_t len)
{
	const char *arrow = columns[c].sort != b->sort ? "" :
	    ui->app->ascii ? (b->descending ? "v" : "^") :
	    (b->descending ? "↓" : "↑");

	if (field != NULL)
		snprintf(title, len, "%s: %s%s", columns[c].title, field, arrow);
	else
		snprintf(title, len, "%s%s", columns[c].title, arrow);
}

static int
list_rows(const struct ui *ui, WINDOW *w)
{
	int rows = getmaxy(w) - 3;	/* search line, header, divider */
	int list = rows * 3 / 5;

	(void)ui;
	return list < 3 ? (rows > 3 ? 3 : rows) : list;
}

/*
 * The card of row r as HTML through its note type, question into q and
 * answer into a (hints open, as the preview shows them), and its note's
 * fields joined by U+001F into joined; the buffers are initialised here,
 * the caller frees them. -1 when the note cannot be read.
 */
static int
card_sides(struct ui *ui, struct ui_nt_cache *nt, const struct search_row *r,
    struct buf *joined, struct buf *q, struct buf *a, int *notetype)
{
	struct notedoc_note n;
	struct err e;

	err_clear(&e);
	if (notedoc_get(ui->app->db, r->note_id, &n, &e) < 0)
		return -1;
	buf_init(joined);
	buf_add(joined, "", 0);
	for (size_t i = 0; i < n.nfields; i++) {
		if (i > 0)
			buf_addc(joined, '\x1f');
		buf_adds(joined, n.fields[i]);
	}
	buf_init(q);
	buf_init(a);
	buf_add(q, "", 0);
	buf_add(a, "", 0);
	ui_card_html(ui, nt, n.notetype, joined->data, n.is_html, n.tags,
	    r->deck, r->ord, r->flag, r->card_id, 0, 1, q);
	ui_card_html(ui, nt, n.notetype, joined->data, n.is_html, n.tags,
	    r->deck, r->ord, r->flag, r->card_id, 1, 1, a);
	*notetype = n.notetype;
	notedoc_free(&n);
	return 0;
}

/* The selected card as study shows it: the question, a short rule, the
 * answer past its own rule (a type: card shows what is expected). */
static void
draw_preview(struct ui *ui, WINDOW *w, int row, const struct search_row *r)
{
	struct ui_nt_cache nt = { 0 };
	struct ui_card_typing ty = { NULL, 0, NULL };
	int cols = getmaxx(w), rows = getmaxy(w), cloze = 0, notetype;
	struct buf q, a, joined;
	char *fcopy = NULL;

	if (card_sides(ui, &nt, r, &joined, &q, &a, &notetype) < 0)
		return;
	if (nt.valid && nt.nt.kind == NOTETYPE_KIND_CLOZE)
		cloze = r->ord + 1;
	ty.expected = ui_card_type_expected(ui, &nt, notetype, joined.data,
	    r->ord, a.data, &fcopy);
	row = ui_card_draw(ui, w, row, 2, cols - 4, q.data, 0, cloze, NULL);
	if (row < rows - 1) {
		wattrset(w, ui_attr(ui, THEME_BORDER));
		wmove(w, row, 2);
		for (int x = 2; x < cols / 3; x++)
			waddch(w, ui->app->ascii ? '-' : ACS_HLINE);
		wattrset(w, A_NORMAL);
		row++;
	}
	ui_card_draw(ui, w, row, 2, cols - 4, ui_card_after_rule(a.data), 1,
	    cloze, &ty);
	free(fcopy);
	buf_free(&q);
	buf_free(&a);
	buf_free(&joined);
	ui_nt_cache_free(&nt);
}

static void
browse_draw(struct ui *ui, WINDOW *w)
{
	struct ui_browse *b = &ui->br;
	struct search_row rows[MAX_PAGE];
	int cols = getmaxx(w), list = list_rows(ui, w);
	int shown[NCOLS], sort_w, x, row;
	size_t n = 0, count = b->result != NULL ? search_count(b->result) : 0;
	struct ui_nt_cache types = { 0 };
	char info[128], cell[128];
	struct err e;

	/* The search line: the query, or a prompt for a bulk action. */
	if (b->prompt != 0) {
		const char *label = b->prompt == UI_MOVE ? "Move to deck: " :
		    b->prompt == UI_TAG_ADD ? "Add tag: " : "Remove tag: ";
		x = ui_draw_text(ui, w, 0, 1, cols - 2, THEME_TITLE, label);
		ui_text_draw(ui, w, 0, 1 + x, cols - 2 - x, 1, &b->prompt_text,
		    THEME_INPUT, 1);
	} else {
		x = ui_draw_text(ui, w, 0, 1, 8, THEME_TITLE, "Search: ");
		snprintf(info, sizeof info, " %zu card%s%s · %s %s", count,
		    count == 1 ? "" : "s", b->nmarked ? " · selected" : "",
		    search_sort_name((enum search_sort)b->sort),
		    b->descending ? (ui->app->ascii ? "v" : "↓") :
		    (ui->app->ascii ? "^" : "↑"));
		if (b->nmarked)
			snprintf(info, sizeof info, " %zu card%s · %zu selected · %s %s",
			    count, count == 1 ? "" : "s", b->nmarked,
			    search_sort_name((enum search_sort)b->sort),
			    b->descending ? (ui->app->ascii ? "v" : "↓") :
			    (ui->app->ascii ? "^" : "↑"));
		ui_text_draw(ui, w, 0, 1 + x, cols - 3 - x - ui_text_width(info),
		    1, &b->query, THEME_INPUT, b->editing_query);
		ui_draw_text(ui, w, 0, cols - 1 - ui_text_width(info),
		    ui_text_width(info), THEME_MUTED, info);
	}
	if (b->error[0] != '\0') {
		/* Where in the query the problem is: a caret under it. */
		int caret = 1 + 8 + (b->error_col > 0 ? b->error_col - 1 : 0);
		ui_draw_text(ui, w, 1, caret < cols - 1 ? caret : cols - 2, 1,
		    THEME_ERROR, "^");
		snprintf(cell, sizeof cell, "column %d: ", b->error_col);
		x = b->error_col > 0 ? ui_draw_text(ui, w, 2, 1, cols - 2,
		    THEME_ERROR, cell) : 0;
		ui_draw_text(ui, w, 2, 1 + x, cols - 2 - x, THEME_ERROR, b->error);
		return;
	}
	choose_columns(cols - 2, shown, &sort_w);
	x = 1;
	for (int c = 0; c < NCOLS; c++) {
		int cw = c == COL_SORT ? sort_w - 1 : columns[c].width;
		char title[32];
		if (!shown[c])
			continue;
		column_title(ui, b, c, NULL, title, sizeof title);
		ui_draw_text(ui, w, 1, x, cw, THEME_MUTED, title);
		x += cw + 1;
	}
	if (count == 0) {
		ui_draw_text(ui, w, 2, 1, cols - 2, THEME_MUTED,
		    "No cards match. / edits the search; an empty search shows "
		    "all cards.");
		return;
	}
	if (b->selected >= count)
		b->selected = count - 1;
	if (b->selected < b->top)
		b->top = b->selected;
	if (b->selected >= b->top + (size_t)list)
		b->top = b->selected - (size_t)list + 1;
	err_clear(&e);
	if (search_page(b->result, b->top, (size_t)list < MAX_PAGE ? (size_t)list :
	    MAX_PAGE, rows, &n, &e) < 0) {
		ui_draw_text(ui, w, 2, 1, cols - 2, THEME_ERROR, e.msg);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct search_row *r = &rows[i];
		int selected = b->top + i == b->selected;
		enum theme_element el = selected ? THEME_SELECTED : THEME_NORMAL;
		row = 2 + (int)i;
		if (selected) {
			const struct notetype *nt = ui_nt_get(ui, &types,
			    r->notetype);
			char title[300];

			ui_fill_row(ui, w, row, 0, el);
			if (nt != NULL && nt->sort_field < nt->nfields) {
				column_title(ui, b, COL_SORT,
				    nt->fields[nt->sort_field], title,
				    sizeof title);
				/* Longer than the plain title: it covers it. */
				ui_draw_text(ui, w, 1, 1, sort_w - 1, THEME_MUTED,
				    title);
			}
		}
		x = 1;
		if (is_marked(b, r->card_id))
			ui_draw_text(ui, w, row, 0, 1, THEME_BUTTON_GOOD,
			    ui->app->ascii ? "+" : "●");
		for (int c = 0; c < NCOLS; c++) {
			int cw = c == COL_SORT ? sort_w - 1 : columns[c].width;
			if (!shown[c])
				continue;
			if (c == COL_SORT)
				draw_sort_field(ui, w, row, x, cw, r->sort_field,
				    r->is_suspended && !selected ? THEME_MUTED : el);
			else if (c == COL_FLAG) {
				snprintf(cell, sizeof cell, "%s%s", r->flag > 0 ?
				    (const char []){ (char)('0' + r->flag), 0 } :
				    " ", r->tags != NULL && strstr(r->tags,
				    " marked ") != NULL ? "*" : "");
				ui_draw_text(ui, w, row, x, cw, selected ? el :
				    ui_flag_element(r->flag), cell);
			} else {
				format_cell(r, (enum col_id)c, cell, sizeof cell);
				ui_draw_text(ui, w, row, x, cw, el, cell);
			}
			x += cw + 1;
		}
	}
	ui_nt_cache_free(&types);
	row = 2 + list;
	wattrset(w, ui_attr(ui, THEME_BORDER));
	wmove(w, row, 0);
	if (ui->app->ascii)
		for (int i = 0; i < cols; i++)
			waddch(w, '-');
	else
		whline(w, ACS_HLINE, cols);
	wattrset(w, A_NORMAL);
	if (b->selected - b->top < n)
		draw_preview(ui, w, row + 1, &rows[b->selected - b->top]);
}

/* The cards a bulk action applies to: the selection, else the cursor. */
static const int64_t *
targets(struct ui *ui, size_t *n, int64_t *one)
{
	struct ui_browse *b = &ui->br;

	if (b->nmarked > 0) {
		*n = b->nmarked;
		return b->marked;
	}
	if (b->result == NULL || b->selected >= search_count(b->result)) {
		*n = 0;
		return NULL;
	}
	*one = search_card_id(b->result, b->selected);
	*n = 1;
	return one;
}

/* Every card the search lists (Empty Cards acts on its whole list); the
 * caller frees. */
static int64_t *
listed(struct ui *ui, size_t *n)
{
	struct ui_browse *b = &ui->br;
	int64_t *ids;

	*n = b->result != NULL ? search_count(b->result) : 0;
	ids = xreallocarray(NULL, *n > 0 ? *n : 1, sizeof *ids);
	for (size_t i = 0; i < *n; i++)
		ids[i] = search_card_id(b->result, i);
	return ids;
}

static unsigned
bulk(struct ui *ui, int action, const char *arg)
{
	struct ui_browse *b = &ui->br;
	size_t n, changed = 0, notes = 0, cards = 0;
	int64_t one, *all = NULL;
	const int64_t *ids;
	struct cardops_undo *undo = NULL, *change = NULL;
	const char *label = NULL;
	struct err e;
	int rc = 0;

	if (action == UI_EMPTY_CARDS)
		ids = all = listed(ui, &n);
	else
		ids = targets(ui, &n, &one);
	if (n == 0) {
		free(all);
		return 0;
	}
	err_clear(&e);
	/* A change (not a delete, which keeps its own rows) is undone from
	 * the cards and notes as they were: kept in the same transaction. */
	if (action != UI_DELETE && action != UI_EMPTY_CARDS) {
		if (db_begin(ui->app->db, &e) < 0) {
			ui_message(ui, 1, "%s", e.msg);
			free(all);
			return UI_DIRTY_STATUS;
		}
		if ((change = cardops_change_begin(ui->app->db, ids, n, &e)) ==
		    NULL) {
			db_rollback(ui->app->db);
			ui_message(ui, 1, "%s", e.msg);
			free(all);
			return UI_DIRTY_STATUS;
		}
	}
	switch (action) {
	case UI_TOGGLE_SUSPEND: {
		/* Suspend, unless the cursor's card is suspended already. */
		struct search_row row;
		size_t got = 0;
		int suspend = 1;
		if (search_page(b->result, b->selected, 1, &row, &got, &e) == 0 &&
		    got == 1 && row.is_suspended)
			suspend = 0;
		rc = cardops_suspend(ui->app->db, ids, n, suspend, ui_now(ui),
		    &changed, &e);
		label = suspend ? "Suspend" : "Unsuspend";
		if (rc == 0)
			ui_message(ui, 0, "%s %zu card%s.", suspend ? "Suspended" :
			    "Unsuspended", changed, changed == 1 ? "" : "s");
		break;
	}
	case UI_FLAG: {
		int flag = arg[0] - '0';

		rc = cardops_flag(ui->app->db, ids, n, flag, ui_now(ui),
		    &changed, &e);
		label = "Set Flag";
		if (rc == 0 && flag == 0)
			ui_message(ui, 0, "Cleared the flag of %zu card%s.",
			    changed, changed == 1 ? "" : "s");
		else if (rc == 0)
			ui_message(ui, 0, "Flagged %zu card%s %d %s.", changed,
			    changed == 1 ? "" : "s", flag, ui_flag_name(flag));
		break;
	}
	case UI_MARK: {
		/* Anki's Toggle Mark: unmark all when the cursor's note is
		 * marked, else mark all. */
		struct search_row row;
		size_t got = 0;
		int mark = 1;

		if (search_page(b->result, b->selected, 1, &row, &got, &e) == 0 &&
		    got == 1 && row.tags != NULL &&
		    strstr(row.tags, " marked ") != NULL)
			mark = 0;
		rc = mark ? cardops_tag_add(ui->app->db, ids, n, "marked",
		    ui_now(ui), &changed, &e) : cardops_tag_remove(ui->app->db,
		    ids, n, "marked", ui_now(ui), &changed, &e);
		label = "Toggle Mark";
		if (rc == 0)
			ui_message(ui, 0, "%s %zu note%s.", mark ? "Marked" :
			    "Unmarked", changed, changed == 1 ? "" : "s");
		break;
	}
	case UI_MOVE:
		rc = cardops_move(ui->app->db, ids, n, arg, ui_now(ui),
		    &changed, &e);
		label = "Change Deck";
		if (rc == 0)
			ui_message(ui, 0, "Moved %zu card%s to %s.", changed,
			    changed == 1 ? "" : "s", arg);
		break;
	case UI_TAG_ADD:
		rc = cardops_tag_add(ui->app->db, ids, n, arg, ui_now(ui),
		    &changed, &e);
		label = "Add Tags";
		if (rc == 0)
			ui_message(ui, 0, "Tagged %zu note%s '%s'.", changed,
			    changed == 1 ? "" : "s", arg);
		break;
	case UI_TAG_REMOVE:
		rc = cardops_tag_remove(ui->app->db, ids, n, arg, ui_now(ui),
		    &changed, &e);
		label = "Remove Tags";
		if (rc == 0)
			ui_message(ui, 0, "Removed '%s' from %zu note%s.", arg,
			    changed, changed == 1 ? "" : "s");
		break;
	case UI_RESET:
		rc = cardops_reset(ui->app->db, ids, n, ui_now(ui), &changed,
		    &e);
		label = "Reset";
		if (rc == 0)
			ui_message(ui, 0, "Reset %zu card%s to new.", changed,
			    changed == 1 ? "" : "s");
		break;
	case UI_DELETE:
		rc = cardops_delete(ui->app->db, ids, n, &undo, &notes, &cards,
		    &e);
		if (rc == 0) {
			ui_undo_push_cards(ui, "Delete Note", undo);
			ui_message(ui, 0, "Deleted %zu note%s (%zu card%s); u undoes.",
			    notes, notes == 1 ? "" : "s", cards,
			    cards == 1 ? "" : "s");
		}
		break;
	case UI_EMPTY_CARDS:
		rc = cardops_delete_empty(ui->app->db, ids, n, &undo, &cards,
		    &e);
		if (rc == 0) {
			ui_undo_push_cards(ui, "Empty Cards", undo);
			ui_message(ui, 0, "Deleted %zu empty card%s and %s history; "
			    "u undoes.", cards, cards == 1 ? "" : "s",
			    cards == 1 ? "its" : "their");
		}
		break;
	default:
		rc = -1;
		break;
	}
	free(all);
	if (change != NULL) {
		if (rc == 0 && (cardops_change_end(ui->app->db, change, &e) < 0 ||
		    db_commit(ui->app->db, &e) < 0))
			rc = -1;
		if (rc < 0) {
			db_rollback(ui->app->db);
			cardops_undo_free(change);
		} else
			ui_undo_push_cards(ui, label, change);
	}
	if (rc < 0)
		ui_message(ui, 1, "%s", e.msg);
	else
		b->nmarked = 0;
	run_query(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* The newest action of any view (the one undo stack, ui-undo.c). */
static unsigned
undo_last(struct ui *ui)
{
	if (!ui_undo_pop(ui))
		return UI_DIRTY_STATUS;
	run_query(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* Keys while the search line or a prompt has the focus. */
static unsigned
text_key(struct ui *ui, struct ui_text *t, int key, int is_prompt)
{
	struct ui_browse *b = &ui->br;

	if (key == 27) {
		if (is_prompt)
			b->prompt = 0;
		else
			b->editing_query = 0;
		ui->status_hint = NULL;
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	}
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		ui->status_hint = NULL;
		if (is_prompt) {
			int action = b->prompt;
			char *arg = xstrdup(ui_text_str(t));
			unsigned d;
			b->prompt = 0;
			d = arg[0] != '\0' ? bulk(ui, action, arg) : 0;
			free(arg);
			return d | UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		b->editing_query = 0;
		b->selected = b->top = 0;
		run_query(ui);
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	}
	ui_text_key(t, key);
	return UI_DIRTY_RIGHT;
}

static void
move_sel(struct ui *ui, long delta)
{
	struct ui_browse *b = &ui->br;
	size_t count = b->result != NULL ? search_count(b->result) : 0;
	long to = (long)b->selected + delta;

	if (count == 0)
		return;
	if (to < 0)
		to = 0;
	if (to >= (long)count)
		to = (long)count - 1;
	b->selected = (size_t)to;
}

static unsigned
browse_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_browse *b = &ui->br;
	int page = ui->right != NULL ? list_rows(ui, ui->right) / 2 : 5;
	size_t n;
	int64_t one;

	if (b->prompt != 0)
		return text_key(ui, &b->prompt_text, key, 1);
	if (b->editing_query)
		return text_key(ui, &b->query, key, 0);
	if (b->pending_flag) {
		/* The prompt goes with the choice, whatever it was, as the
		 * study view's. */
		b->pending_flag = 0;
		ui->status_hint = NULL;
		if (key >= '0' && key <= '7') {
			char digit[2] = { (char)key, '\0' };

			return bulk(ui, UI_FLAG, digit);
		}
		return UI_DIRTY_STATUS;
	}
	if (b->confirm != 0) {
		int action = b->confirm;
		b->confirm = 0;
		ui->status_hint = NULL;
		if (key == 'y' || key == 'Y')
			return bulk(ui, action, NULL);
		ui_message(ui, 0, "Cancelled.");
		return UI_DIRTY_STATUS;
	}
	switch (a) {
	case UI_SEARCH:
		b->editing_query = 1;
		ui->status_hint = "Enter: search   Esc: leave the search line   "
		    "deck:x tag:y is:due prop:ivl>10 \"a phrase\" -word";
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	case UI_UP:
		move_sel(ui, -1);
		break;
	case UI_DOWN:
		move_sel(ui, 1);
		break;
	case UI_PAGE_UP:
		move_sel(ui, -page);
		break;
	case UI_PAGE_DOWN:
		move_sel(ui, page);
		break;
	case UI_TOP:
		move_sel(ui, -(long)b->selected);
		break;
	case UI_BOTTOM:
		move_sel(ui, 1L << 30);
		break;
	case UI_SORT:
		b->sort = (b->sort + 1) % SEARCH_NSORTS;
		run_query(ui);
		break;
	case UI_SORT_REVERSE:
		b->descending = !b->descending;
		run_query(ui);
		break;
	case UI_SELECT:
		if (b->result != NULL && b->selected < search_count(b->result)) {
			toggle_mark(b, search_card_id(b->result, b->selected));
			move_sel(ui, 1);
		}
		break;
	case UI_TOGGLE_SUSPEND:
	case UI_MARK:
		return bulk(ui, a, NULL);
	case UI_FLAG:
		if (targets(ui, &n, &one) == NULL)
			return 0;
		b->pending_flag = 1;
		ui->status_hint = "Flag: 1 red, 2 orange, 3 green, 4 blue, "
		    "5 pink, 6 turquoise, 7 purple, 0 none";
		return UI_DIRTY_STATUS;
	case UI_MOVE:
	case UI_TAG_ADD:
	case UI_TAG_REMOVE:
		if (targets(ui, &n, &one) == NULL)
			return 0;
		b->prompt = a;
		ui_text_set(&b->prompt_text, "");
		ui->status_hint = "Enter: apply   Esc: cancel";
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	case UI_RESET:
	case UI_DELETE:
		if (targets(ui, &n, &one) == NULL)
			return 0;
		b->confirm = a;
		ui->status_hint = a == UI_RESET ?
		    "Reset the cards to new, forgetting their progress? y/n" :
		    "Delete these notes and all their cards? y/n";
		return UI_DIRTY_STATUS;
	case UI_EMPTY_CARDS:
		/* Anki's Empty Cards: the list first (a search for them,
		 * which stays when the answer is no), then the question. */
		ui_text_set(&b->query, "is:empty");
		b->nmarked = 0;
		b->selected = b->top = 0;
		run_query(ui);
		if (b->result == NULL || search_count(b->result) == 0) {
			ui_message(ui, 0, "No empty cards: every card's cloze "
			    "deletion is in its note.");
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		b->confirm = a;
		ui->status_hint = "Delete the empty cards listed and their review "
		    "history? y/n";
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	case UI_UNDO:
		return undo_last(ui);
	case UI_EDIT:
	case UI_EDIT_EXTERNAL:
		if (b->result == NULL || b->selected >= search_count(b->result))
			return 0;
		{
			struct search_row row;
			struct err e;
			size_t got = 0;
			err_clear(&e);
			if (search_page(b->result, b->selected, 1, &row, &got, &e) < 0 ||
			    got != 1)
				return 0;
			if (a == UI_EDIT)
				ui_editor_open(ui, row.note_id, 0);
			else if (ui_edit_note(ui, row.note_id))
				run_query(ui);
		}
		return UI_DIRTY_ALL | UI_DIRTY_DATA;
	case UI_MEDIA:
		if (b->result == NULL || b->selected >= search_count(b->result))
			return 0;
		{
			struct ui_nt_cache nt = { 0 };
			struct search_row row;
			struct buf q, an, joined;
			struct err e;
			size_t got = 0;
			int notetype;

			err_clear(&e);
			if (search_page(b->result, b->selected, 1, &row, &got,
			    &e) < 0 || got != 1 || card_sides(ui, &nt, &row,
			    &joined, &q, &an, &notetype) < 0) {
				ui_nt_cache_free(&nt);
				return 0;
			}
			ui_media_show(ui, q.data, an.data);
			buf_free(&q);
			buf_free(&an);
			buf_free(&joined);
			ui_nt_cache_free(&nt);
		}
		return UI_DIRTY_ALL;
	case UI_ADD:
		ui_editor_open(ui, 0, ui->decks.selected_id);
		return UI_DIRTY_ALL;
	case UI_BACK:
		ui->right_view = &ui_stats_view;
		ui->focus_right = 0;
		return UI_DIRTY_ALL | UI_DIRTY_DATA;
	default:
		return 0;
	}
	return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
}

static unsigned
browse_click(struct ui *ui, int row, int col)
{
	struct ui_browse *b = &ui->br;

	(void)col;
	if (row == 0)
		return browse_action(ui, UI_SEARCH, '/');
	if (row >= 2 && ui->right != NULL && row < 2 + list_rows(ui, ui->right)) {
		size_t to = b->top + (size_t)(row - 2);
		if (b->result != NULL && to < search_count(b->result))
			b->selected = to;
		return UI_DIRTY_RIGHT;
	}
	return 0;
}

static const enum ui_action *
browse_hints(struct ui *ui)
{
	static const enum ui_action hints[] = { UI_SEARCH, UI_SORT, UI_SELECT,
	    UI_EDIT, UI_ADD, UI_TOGGLE_SUSPEND, UI_DELETE, UI_BACK, UI_HELP,
	    UI_NONE };

	(void)ui;
	return hints;
}

static const struct ui_binding browse_keys[] = {
	{ '/', UI_SEARCH }, { KEY_UP, UI_UP }, { 'k', UI_UP },
	{ KEY_DOWN, UI_DOWN }, { 'j', UI_DOWN }, { 'g', UI_TOP },
	{ KEY_HOME, UI_TOP }, { 'G', UI_BOTTOM }, { KEY_END, UI_BOTTOM },
	{ 4, UI_PAGE_DOWN }, { KEY_NPAGE, UI_PAGE_DOWN }, { 21, UI_PAGE_UP },
	{ KEY_PPAGE, UI_PAGE_UP }, { 'o', UI_SORT }, { 'O', UI_SORT_REVERSE },
	{ ' ', UI_SELECT }, { 'e', UI_EDIT }, { '\r', UI_EDIT },
	{ 'E', UI_EDIT_EXTERNAL }, { 'a', UI_ADD }, { '!', UI_TOGGLE_SUSPEND },
	{ 'm', UI_MOVE }, { 't', UI_TAG_ADD }, { 'T', UI_TAG_REMOVE },
	{ 'R', UI_RESET }, { 'D', UI_DELETE }, { KEY_DC, UI_DELETE },
	{ 'f', UI_FLAG }, { '*', UI_MARK }, { 11, UI_MARK },
	{ 'X', UI_EMPTY_CARDS }, { 'M', UI_MEDIA },
	{ 'u', UI_UNDO }, { '\t', UI_PANE }, { 12, UI_REDRAW }, { '?', UI_HELP },
	{ KEY_F(1), UI_HELP }, { 'q', UI_BACK }, { 27, UI_BACK },
	{ 0, UI_NONE }
};

static const struct ui_action_text browse_texts[] = {
	{ UI_UNDO, "Undo the last action (any view's)" },
	{ UI_EDIT, "Edit the note of the card" },
	{ UI_FLAG, "Flag the cards: f then 1-7 (0 clears)" },
	{ UI_MARK, "Mark / unmark the notes (Anki's Toggle Mark)" },
	{ UI_NONE, NULL }
};

const struct view ui_browse_view = {
	.name = "Browse",
	.keys = browse_keys,
	.help_texts = browse_texts,
	.action = browse_action,
	.draw = browse_draw,
	.click = browse_click,
	.hints = browse_hints,
};
