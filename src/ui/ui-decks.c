/*
 * ui-decks.c - the deck list: the "::" tree with new / learning / due
 * counts as Anki's deck list shows them (limits applied, sub-decks
 * included), expand and collapse (kept in the file), Enter to study; and
 * managing the tree: add, rename, move under another deck, delete (asks,
 * saying how many cards and notes go), each undoable until quit.
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/query/search.h"
#include "lemma/sched/study.h"
#include "lemma/store/db-decks.h"
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
	d->counts = NULL;
	d->collapsed = NULL;
	d->rows = NULL;
	d->ncounts = 0;
	d->nrows = 0;
}

/* At quit: the prompt's text too. */
void
ui_decks_close(struct ui *ui)
{
	ui_decks_free(ui);
	ui_text_free(&ui->decks.prompt_text);
	memset(&ui->decks, 0, sizeof ui->decks);
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
		    "No decks yet. Import one (lemma import FILE) or add one: n");
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

/* After a change to the tree: counts re-read, the cursor on id. */
static unsigned
changed(struct ui *ui, int64_t id)
{
	ui->decks.selected_id = id;
	ui_decks_reload(ui);
	ui_stats_invalidate(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* A deck's full name, cleaned for the screen, into buf. */
static void
shown_name(const char *name, char *buf, size_t len)
{
	char *safe = termsafe_str(name, 0);

	snprintf(buf, len, "%s", safe);
	free(safe);
}

static unsigned
prompt_done(struct ui *ui)
{
	struct ui_decks *d = &ui->decks;
	const struct deck_counts *c = selected_deck(ui);
	struct db_deck_undo *undo = NULL;
	char *text = xstrdup(ui_text_str(&d->prompt_text));
	char shown[300];
	struct err e;
	int64_t id = 0;
	int rc, what = d->prompt;

	d->prompt = 0;
	ui->status_hint = NULL;
	err_clear(&e);
	if (what == UI_DECK_ADD)
		rc = db_deck_add(ui->app->db, text, ui_now(ui), &id, &undo, &e);
	else if (c != NULL) {
		id = c->deck_id;
		rc = db_deck_rename(ui->app->db, id, text, ui_now(ui), &undo, &e);
	} else
		rc = -1;
	free(text);
	if (rc < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_LEFT | UI_DIRTY_STATUS;
	}
	ui_undo_push_decks(ui, undo);
	rc = changed(ui, id);
	if ((c = selected_deck(ui)) != NULL) {
		shown_name(c->name, shown, sizeof shown);
		ui_message(ui, 0, "%s '%s'; u undoes.", what == UI_DECK_ADD ?
		    "Added deck" : "Renamed to", shown);
	}
	return (unsigned)rc;
}

/* ---- custom study ------------------------------------------------------------------ */

/* Anki's six kinds: the question's lines, the number line's label and
 * its default. */
static const struct {
	const char	*choice;
	const char	*label;
	const char	*def;
} custom_kinds[] = {
	{ "1  increase today's new card limit", "More new cards today: ", "10" },
	{ "2  increase today's review limit", "More reviews today: ", "50" },
	{ "3  review forgotten cards (Again in the last days)",
	    "Forgotten in the last days: ", "1" },
	{ "4  review ahead", "Review cards due in the next days: ", "1" },
	{ "5  preview new cards", "Preview new cards added in the last days: ",
	    "1" },
	{ "6  study by card state or tag",
	    "new|due|all [tag] [count]: ", "due 100" },
};
#define NCUSTOM	(int)(sizeof custom_kinds / sizeof custom_kinds[0])

void
ui_decks_custom_study(struct ui *ui, int64_t deck_id)
{
	struct ui_decks *d = &ui->decks;
	const char *choices[NCUSTOM + 2];
	char problem[400];
	int answer;

	/* The deck list, with the cursor on the deck. */
	d->selected_id = deck_id;
	ui_decks_reload(ui);
	ui->focus_right = 0;
	if (selected_deck(ui) == NULL)
		return;
	for (int i = 0; i < NCUSTOM; i++)
		choices[i] = custom_kinds[i].choice;
	choices[NCUSTOM] = "q  cancel";
	choices[NCUSTOM + 1] = NULL;
	snprintf(problem, sizeof problem, "On '%s'. The cards stay in their "
	    "decks: a session ends with every card at home.",
	    selected_deck(ui)->name);
	answer = ui_ask(ui, "Custom study", problem, choices, "123456q");
	if (answer < '1' || answer > '6')
		return;
	d->custom_kind = answer - '1';
	d->prompt = UI_CUSTOM_STUDY;
	if (d->prompt_text.b.data == NULL)
		ui_text_init(&d->prompt_text, "", 0);
	ui_text_set(&d->prompt_text, custom_kinds[d->custom_kind].def);
	ui->status_hint = "Enter: study   Esc: cancel";
}

/* deck:"NAME" with the search language's special characters escaped,
 * for a query limited to the deck and its sub-decks. */
static void
deck_term(struct buf *q, const char *name)
{
	buf_adds(q, "deck:\"");
	for (const char *p = name; *p != '\0'; p++) {
		if (strchr("\\\"*_", *p) != NULL)
			buf_addc(q, '\\');
		buf_addc(q, *p);
	}
	buf_addc(q, '"');
}

/* The matches of query, in sort order, up to limit: *ids (free it). */
static int
custom_ids(struct ui *ui, const char *query, enum search_sort sort,
    size_t limit, int64_t **ids, size_t *n, struct err *e)
{
	struct search *sq;
	struct search_result *r;

	*ids = NULL;
	*n = 0;
	if ((sq = search_compile(query, ui_now(ui),
	    search_rollover(ui->app->db), e)) == NULL)
		return -1;
	r = search_run(ui->app->db, sq, sort, 0, e);
	search_free(sq);
	if (r == NULL)
		return -1;
	*n = search_count(r);
	if (*n > limit)
		*n = limit;
	*ids = xreallocarray(NULL, *n + 1, sizeof **ids);
	for (size_t i = 0; i < *n; i++)
		(*ids)[i] = search_card_id(r, i);
	search_result_free(r);
	return 0;
}

static unsigned
custom_start(struct ui *ui, const char *text)
{
	struct ui_decks *d = &ui->decks;
	const struct deck_counts *c = selected_deck(ui);
	struct study_options o;
	struct buf q;
	struct err e;
	int64_t *ids = NULL;
	size_t n = 0, limit = 9999;
	char state[16] = "", tag[200] = "", *end;
	long v = 0;
	int reschedule = 1, got;
	enum search_sort sort = SEARCH_SORT_DUE;

	if (c == NULL)
		return 0;
	if (d->custom_kind < 5) {
		v = strtol(text, &end, 10);
		if (*text == '\0' || *end != '\0' || v < 1 || v > 9999) {
			ui_message(ui, 1, "Custom study: a whole number from 1 to "
			    "9999, not '%s'", text);
			return UI_DIRTY_STATUS;
		}
	}
	memset(&o, 0, sizeof o);
	if (d->custom_kind == 0 || d->custom_kind == 1) {
		if (d->custom_kind == 0)
			o.extra_new = (int)v;
		else
			o.extra_reviews = (int)v;
		ui_study_start_custom(ui, c->deck_id, c->name, &o, NULL, 0, 1);
		return UI_DIRTY_ALL | UI_DIRTY_DATA;
	}
	buf_init(&q);
	deck_term(&q, c->name);
	switch (d->custom_kind) {
	case 2:
		buf_printf(&q, " rated:%ld:1", v);
		break;
	case 3:
		buf_printf(&q, " is:review prop:due<=%ld", v);
		break;
	case 4:
		buf_printf(&q, " is:new added:%ld", v);
		reschedule = 0;
		break;
	default:
		got = sscanf(text, "%15s %199s %zu", state, tag, &limit);
		if (got >= 2 && strspn(tag, "0123456789") == strlen(tag)) {
			limit = strtoul(tag, NULL, 10);
			tag[0] = '\0';
		}
		if (got < 1 || (strcmp(state, "new") != 0 &&
		    strcmp(state, "due") != 0 && strcmp(state, "all") != 0) ||
		    limit < 1 || limit > 9999) {
			buf_free(&q);
			ui_message(ui, 1, "Custom study: new, due or all, then a "
			    "tag and a count if you like (due verbs 50)");
			return UI_DIRTY_STATUS;
		}
		if (strcmp(state, "new") == 0)
			buf_adds(&q, " is:new");
		else if (strcmp(state, "due") == 0)
			buf_adds(&q, " is:due");
		if (tag[0] != '\0')
			buf_printf(&q, " tag:%s", tag);
		break;
	}
	err_clear(&e);
	if (custom_ids(ui, q.data, sort, limit, &ids, &n, &e) < 0) {
		ui_message(ui, 1, "Custom study: %s", e.msg);
		buf_free(&q);
		return UI_DIRTY_STATUS;
	}
	buf_free(&q);
	if (n == 0) {
		free(ids);
		ui_message(ui, 0, "Custom study: no cards match in '%s'.", c->name);
		return UI_DIRTY_STATUS;
	}
	ui_study_start_custom(ui, c->deck_id, c->name, NULL, ids, n,
	    reschedule);
	free(ids);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* Keys while the add or rename line has them. */
static unsigned
prompt_key(struct ui *ui, int key)
{
	struct ui_decks *d = &ui->decks;

	if (key == 27) {
		d->prompt = 0;
		ui->status_hint = NULL;
		return UI_DIRTY_LEFT | UI_DIRTY_STATUS;
	}
	if (key == '\r' || key == '\n' || key == KEY_ENTER) {
		if (d->prompt == UI_CUSTOM_STUDY) {
			char *text = xstrdup(ui_text_str(&d->prompt_text));
			unsigned r;

			d->prompt = 0;
			ui->status_hint = NULL;
			r = custom_start(ui, text);
			free(text);
			return r;
		}
		return prompt_done(ui);
	}
	ui_text_key(&d->prompt_text, key);
	return UI_DIRTY_LEFT;
}

/* Keys while a deck is being moved: choose the new parent. */
static unsigned
move_key(struct ui *ui, enum ui_action a, int key)
{
	struct ui_decks *d = &ui->decks;
	const struct deck_counts *c = selected_deck(ui);
	struct db_deck_undo *undo = NULL;
	int64_t id = d->moving_id, parent;
	char shown[300];
	struct err e;

	if (key != 27 && key != '\r' && key != '\n' && key != KEY_ENTER &&
	    key != 't' && a != UI_QUIT)
		return (unsigned)-1;	/* the cursor keys move on */
	d->moving_id = 0;
	ui->status_hint = NULL;
	if (key == 27 || a == UI_QUIT) {
		ui_message(ui, 0, "Move cancelled.");
		return UI_DIRTY_LEFT | UI_DIRTY_STATUS;
	}
	parent = key == 't' || c == NULL ? 0 : c->deck_id;
	err_clear(&e);
	if (db_deck_move(ui->app->db, id, parent, ui_now(ui), &undo, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_LEFT | UI_DIRTY_STATUS;
	}
	ui_undo_push_decks(ui, undo);
	changed(ui, id);
	if ((c = selected_deck(ui)) != NULL) {
		shown_name(c->name, shown, sizeof shown);
		ui_message(ui, 0, "Moved to '%s'; u undoes.", shown);
	}
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

static unsigned
delete_deck(struct ui *ui)
{
	static const char *const choices[] = {
		"y  delete them (u undoes until you quit)",
		"n  keep them",
		NULL
	};
	const struct deck_counts *c = selected_deck(ui);
	struct db_deck_undo *undo = NULL;
	struct db_deck_doomed d;
	char problem[700], shown[300];
	struct err e;
	int answer;

	if (c == NULL)
		return 0;
	err_clear(&e);
	if (db_deck_delete_counts(ui->app->db, c->deck_id, &d, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_STATUS;
	}
	shown_name(c->name, shown, sizeof shown);
	if (d.decks > 1)
		snprintf(problem, sizeof problem, "'%s', its %lld sub-deck%s, "
		    "%lld card%s and %lld note%s will be deleted.", shown,
		    (long long)d.decks - 1, d.decks == 2 ? "" : "s",
		    (long long)d.cards, d.cards == 1 ? "" : "s",
		    (long long)d.notes, d.notes == 1 ? "" : "s");
	else
		snprintf(problem, sizeof problem, "'%s', %lld card%s and %lld "
		    "note%s will be deleted.", shown, (long long)d.cards,
		    d.cards == 1 ? "" : "s", (long long)d.notes,
		    d.notes == 1 ? "" : "s");
	answer = ui_ask(ui, "Delete the deck?", problem, choices, "yn");
	if (answer != 'y') {
		if (answer == 'n')
			ui_message(ui, 0, "Cancelled.");
		return UI_DIRTY_ALL;
	}
	if (db_deck_delete(ui->app->db, c->deck_id, &d, &undo, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_ALL;
	}
	ui_undo_push_decks(ui, undo);
	ui_message(ui, 0, "Deleted '%s': %lld card%s, %lld note%s; u undoes.",
	    shown, (long long)d.cards, d.cards == 1 ? "" : "s",
	    (long long)d.notes, d.notes == 1 ? "" : "s");
	return changed(ui, ui->decks.selected_id);
}

static unsigned
decks_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_decks *d = &ui->decks;
	const struct deck_counts *c;
	int page = ui->left != NULL ? getmaxy(ui->left) / 2 : 10;
	unsigned r;

	if (d->prompt != 0)
		return prompt_key(ui, key);
	if (d->moving_id != 0 && (r = move_key(ui, a, key)) != (unsigned)-1)
		return r;
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
	case UI_DECK_ADD:
	case UI_RENAME:
		if (a == UI_RENAME && (c = selected_deck(ui)) == NULL)
			return 0;
		d->prompt = a;
		/* Rename starts from the full name: a new parent is typed
		 * in place, and the subtree moves with it. */
		if (d->prompt_text.b.data == NULL)
			ui_text_init(&d->prompt_text, "", 0);
		ui_text_set(&d->prompt_text, a == UI_RENAME ?
		    selected_deck(ui)->name : "");
		ui->status_hint = "Enter: save   Esc: cancel   a::b: b under a";
		return UI_DIRTY_LEFT | UI_DIRTY_STATUS;
	case UI_MOVE:
		if ((c = selected_deck(ui)) == NULL)
			return 0;
		d->moving_id = c->deck_id;
		ui->status_hint = "Choose the new parent: Enter   t: to the top "
		    "level   Esc: cancel";
		return UI_DIRTY_LEFT | UI_DIRTY_STATUS;
	case UI_DELETE:
		return delete_deck(ui);
	case UI_CUSTOM_STUDY:
		if ((c = selected_deck(ui)) == NULL)
			return 0;
		ui_decks_custom_study(ui, c->deck_id);
		return UI_DIRTY_ALL;
	case UI_UNDO:
		if (!ui_undo_pop(ui))
			return UI_DIRTY_STATUS;
		return changed(ui, d->selected_id);
	default:
		return 0;
	}
	/* The header names the deck under the cursor. */
	return UI_DIRTY_LEFT | UI_DIRTY_HEADER |
	    (ui->wide ? UI_DIRTY_RIGHT : 0);
}

/* The list, with the add or rename line, or the move's question, over
 * its column names while one is open. */
static void
decks_draw_all(struct ui *ui, WINDOW *w)
{
	struct ui_decks *d = &ui->decks;
	int cols = getmaxx(w), x;

	decks_draw(ui, w);
	if (d->prompt == 0 && d->moving_id == 0)
		return;
	ui_fill_row(ui, w, 0, 0, THEME_NORMAL);
	if (d->moving_id != 0) {
		ui_draw_text(ui, w, 0, 1, cols - 2, THEME_TITLE,
		    "Move under which deck?");
		return;
	}
	x = ui_draw_text(ui, w, 0, 1, cols - 2, THEME_TITLE,
	    d->prompt == UI_DECK_ADD ? "New deck: " :
	    d->prompt == UI_CUSTOM_STUDY ? custom_kinds[d->custom_kind].label :
	    "Rename to: ");
	ui_text_draw(ui, w, 0, 1 + x, cols - 2 - x, 1, &d->prompt_text,
	    THEME_INPUT, 1);
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
	    UI_DECK_ADD, UI_STATS, UI_OPTIONS, UI_HELP, UI_QUIT, UI_NONE };

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
	{ 'n', UI_DECK_ADD }, { 'r', UI_RENAME }, { 'm', UI_MOVE },
	{ 'D', UI_DELETE }, { KEY_DC, UI_DELETE }, { 'u', UI_UNDO },
	{ 'C', UI_CUSTOM_STUDY },
	{ 26, UI_UNDO },
	{ 0, UI_NONE }
};

/* The deck list's own words where the shared ones speak of cards. */
static const struct ui_action_text decks_texts[] = {
	{ UI_MOVE, "Move the deck under another (choose it)" },
	{ UI_DELETE, "Delete the deck, its cards and notes (asks)" },
	{ UI_UNDO, "Undo the last action (any view's)" },
	{ UI_NONE, NULL }
};

const struct view ui_decks_view = {
	.name = "Decks",
	.keys = decks_keys,
	.help_texts = decks_texts,
	.action = decks_action,
	.draw = decks_draw_all,
	.click = decks_click,
	.hints = decks_hints,
};
