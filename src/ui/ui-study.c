/*
 * ui-study.c - the study view: the question, the answer on Space, the four
 * grade buttons with the next interval on each, undo, suspend, bury, flag,
 * and the summary at the end. Scheduling is the core's (study.h): this file
 * asks study_preview() for the labels and study_grade() commits the grade
 * before the next card is drawn.
 */
#include "config.h"

#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/base/day.h"
#include "lemma/base/xmalloc.h"
#include "lemma/query/cardops.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"

#define MAX_FIELDS	16

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}


/* Split a note's \x1f-joined fields in place (a copy the caller frees). */
static int
split_fields(char *s, char *fields[], int max)
{
	int n = 0;

	fields[n++] = s;
	for (char *p = s; *p != '\0' && n < max; p++) {
		if (*p == '\x1f') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

static const struct study_card *
current_card(struct ui *ui)
{
	const struct study_card *c = NULL;
	struct err e;
	int rc;

	if (ui->st.study == NULL)
		return NULL;
	err_clear(&e);
	rc = study_next(ui->st.study, ui_now(ui), &c, &e);
	if (rc < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return NULL;
	}
	return rc == 0 ? c : NULL;
}

/* The card's side as HTML through its note type (ui-card.c). */
static void
card_html(struct ui *ui, const struct study_card *c, int answer,
    struct buf *out)
{
	ui_card_html(ui, &ui->st.nt, c->notetype, c->fields, c->is_html,
	    c->tags, c->deck_name, c->ord, c->flag, c->card_id, answer,
	    ui->st.hints, out);
}

/* Work out what the pane shows after a change: a card, or the end. */
static void
advance(struct ui *ui)
{
	struct ui_study *st = &ui->st;
	struct err e;

	const struct study_card *c;

	st->scroll = 0;
	st->pending_flag = 0;
	st->hints = 0;
	st->typing = 0;
	ui_text_set(&st->typed, "");
	if ((c = current_card(ui)) != NULL) {
		struct buf html;
		char name[256];

		/* A {{type:}} card takes the keys into its answer line until
		 * Enter shows the answer (Esc gives the study keys back). */
		buf_init(&html);
		buf_add(&html, "", 0);
		card_html(ui, c, 0, &html);
		st->typing = ui_card_type_field(html.data, name, sizeof name);
		ui->status_hint = st->typing ? "Type the answer   Enter: show "
		    "the answer and compare   Esc: the study keys" : NULL;
		buf_free(&html);
		st->side = STUDY_FRONT;
		study_preview(st->study, ui_now(ui), st->labels);
		st->shown_ms = mono_ms();
		return;
	}
	{
		struct study_summary sum;
		study_summary(st->study, &sum);
		st->side = sum.studied > 0 ? STUDY_DONE : STUDY_EMPTY;
	}
	err_clear(&e);
	st->has_next_due = study_next_due(ui->app->db, st->deck_id, ui_now(ui),
	    &st->next_due, &e) == 0;
}

void
ui_study_start(struct ui *ui, int64_t deck_id, const char *name)
{
	ui_study_start_custom(ui, deck_id, name, NULL, NULL, 0, 1);
}

void
ui_study_start_custom(struct ui *ui, int64_t deck_id, const char *name,
    const struct study_options *o, const int64_t *ids, size_t n,
    int reschedule)
{
	struct ui_study *st = &ui->st;
	struct err e;

	ui_study_stop(ui);
	ui_text_init(&st->typed, "", 0);
	err_clear(&e);
	st->study = ids != NULL ? study_open_filtered(ui->app->db, ids, n,
	    reschedule, ui_now(ui), &e) : o != NULL ?
	    study_open_custom(ui->app->db, deck_id, ui_now(ui), o, &e) :
	    study_open(ui->app->db, deck_id, ui_now(ui), &e);
	if (st->study == NULL) {
		ui_message(ui, 1, "%s", e.msg);
		return;
	}
	st->deck_id = deck_id;
	ui->study_serial++;
	ui_undo_take_extend(ui);
	snprintf(st->deck_name, sizeof st->deck_name, "%s", name);
	ui_show(ui, &ui_study_view);
	advance(ui);
}

void
ui_study_stop(struct ui *ui)
{
	if (ui->st.study != NULL)
		study_close(ui->st.study);
	ui_nt_cache_free(&ui->st.nt);
	ui_text_free(&ui->st.typed);
	memset(&ui->st, 0, sizeof ui->st);
}

/* The grade buttons on the last row, or the last two when narrow. The
 * fullest form that leaves two spaces between buttons: "1 Again 10m" in
 * one row, "1 10m" in one row, then both in two rows of two; a button
 * run into the next ("1 Again 12 Hard") reads as false intervals. */
static void
draw_buttons(struct ui *ui, WINDOW *w, int row)
{
	static const char *names[4] = { "Again", "Hard", "Good", "Easy" };
	static const enum theme_element els[4] = { THEME_BUTTON_AGAIN,
	    THEME_BUTTON_HARD, THEME_BUTTON_GOOD, THEME_BUTTON_EASY };
	int cols = getmaxx(w);
	char label[4][48];
	int form, per_row = 4, slot = 0;

	for (form = 0; form < 4; form++) {
		int widest = 0;

		per_row = form < 2 ? 4 : 2;
		slot = (cols - 2) / per_row;
		for (int i = 0; i < 4; i++) {
			if (form % 2 == 0)
				snprintf(label[i], sizeof label[i], "%d %s %s",
				    i + 1, names[i], ui->st.labels[i]);
			else
				snprintf(label[i], sizeof label[i], "%d %s",
				    i + 1, ui->st.labels[i]);
			if (ui_text_width(label[i]) > widest)
				widest = ui_text_width(label[i]);
		}
		if (widest + 2 <= slot)
			break;
	}
	for (int i = 0; i < 4; i++) {
		int r = per_row == 4 ? row : row - 1 + i / 2;
		int col = 1 + (i % per_row) * slot;
		int pad = (slot - ui_text_width(label[i])) / 2;

		ui_draw_text(ui, w, r, col + (pad > 0 ? pad : 0), slot - 1,
		    els[i], label[i]);
	}
}

static void
draw_card(struct ui *ui, WINDOW *w, const struct study_card *c)
{
	struct ui_study *st = &ui->st;
	int rows = getmaxy(w), cols = getmaxx(w), width = cols - 4;
	char *copy = xstrdup(c->fields), *f[MAX_FIELDS], *fcopy = NULL;
	int n = split_fields(copy, f, MAX_FIELDS), row = 1 - st->scroll;
	int reveal = st->side == STUDY_BACK;
	const struct notetype *nt = ui_nt_get(ui, &st->nt, c->notetype);
	int cloze = nt != NULL && nt->kind == NOTETYPE_KIND_CLOZE ?
	    c->ord + 1 : 0;
	struct ui_card_typing ty = { &st->typed, st->typing, NULL };
	struct buf html;

	buf_init(&html);
	buf_add(&html, "", 0);
	card_html(ui, c, reveal, &html);
	if (reveal)
		ty.expected = ui_card_type_expected(ui, &st->nt, c->notetype,
		    c->fields, c->ord, html.data, &fcopy);
	row = ui_card_draw(ui, w, row, 2, width, html.data, reveal, cloze, &ty);
	/* Fields past the type's own (a note imported with more) are shown
	 * muted under the answer, as before note types. */
	if (reveal && nt != NULL)
		for (int i = (int)nt->nfields; i < n; i++) {
			if (f[i][0] == '\0')
				continue;
			row++;
			row = ui_draw_field(ui, w, row, 2, width, THEME_MUTED, f[i],
			    c->is_html, 0, 1, 0);
		}
	buf_free(&html);
	free(fcopy);
	free(copy);
	/* The bottom rows are the card's own: buttons or the reveal hint. */
	wmove(w, rows - 2, 0);
	wclrtobot(w);
	if (reveal)
		draw_buttons(ui, w, rows - 1);
	else {
		/* On a type: card Space is typed; Enter shows the answer. */
		const char *hint = st->typing ? (ui->app->ascii ?
		    "Enter: show answer" : "Enter · show answer") :
		    ui->app->ascii ? "Space: show answer" :
		    "Space · show answer";
		ui_draw_text(ui, w, rows - 1, (cols - ui_text_width(hint)) / 2,
		    cols, THEME_MUTED, hint);
	}
	if (c->flag > 0 || strstr(c->tags, " marked ") != NULL) {
		/* The flag in its colour with its number and name (a theme
		 * without colour still tells them apart), and the mark. */
		char flag[48], mark[16];
		int x;

		flag[0] = '\0';
		if (c->flag > 0)
			snprintf(flag, sizeof flag, "%s%d %s%s", ui->app->ascii ?
			    "[flag " : "⚑ ", c->flag, ui_flag_name(c->flag),
			    ui->app->ascii ? "]" : "");
		snprintf(mark, sizeof mark, "%s", strstr(c->tags, " marked ") !=
		    NULL ? " * marked" : "");
		x = cols - 1 - ui_text_width(flag) - ui_text_width(mark);
		if (x < 0)
			x = 0;
		x += ui_draw_text(ui, w, 0, x, cols - x, ui_flag_element(c->flag),
		    flag);
		ui_draw_text(ui, w, 0, x, cols - x, THEME_BUTTON_AGAIN, mark);
	}
}

/* "12 reviews of 5 cards in 3 min 4 s; Again 1 time (again rate 8%)."
 * Reviews are grades; a card graded twice is one card, as stats count. */
static void
summary_words(const struct study_summary *sum, char *buf, size_t len)
{
	snprintf(buf, len, "%d review%s of %d card%s in %ld min %ld s; "
	    "Again %d time%s (again rate %.0f%%).", sum->studied,
	    sum->studied == 1 ? "" : "s", sum->cards, sum->cards == 1 ? "" : "s",
	    sum->time_ms / 60000, sum->time_ms / 1000 % 60, sum->again,
	    sum->again == 1 ? "" : "s",
	    sum->studied > 0 ? 100.0 * sum->again / sum->studied : 0.0);
}

static void
draw_end(struct ui *ui, WINDOW *w)
{
	struct ui_study *st = &ui->st;
	struct study_summary sum;
	int cols = getmaxx(w), row = 2;
	char line[400], when[64];

	study_summary(st->study, &sum);
	if (st->side == STUDY_DONE) {
		ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE,
		    "Congratulations! You have finished this deck for now.");
		row++;
		summary_words(&sum, line, sizeof line);
		ui_draw_text(ui, w, row++, 2, cols - 4, THEME_NORMAL, line);
	} else {
		snprintf(line, sizeof line, "Nothing is due in %s now.",
		    st->deck_name);
		ui_draw_text(ui, w, row++, 2, cols - 4, THEME_TITLE, line);
	}
	if (st->has_next_due) {
		day_format(st->next_due, when, sizeof when);
		snprintf(line, sizeof line, "The next card is due %s.", when);
		ui_draw_text(ui, w, row++, 2, cols - 4, THEME_NORMAL, line);
	}
	row++;
	ui_draw_text(ui, w, row++, 2, cols - 4, THEME_MUTED, "Study more:");
	ui_draw_text(ui, w, row++, 4, cols - 6, THEME_NORMAL,
	    "n  10 more new cards today");
	ui_draw_text(ui, w, row++, 4, cols - 6, THEME_NORMAL,
	    "a  study ahead: cards due tomorrow");
	ui_draw_text(ui, w, row++, 4, cols - 6, THEME_NORMAL,
	    "C  custom study: more cards, forgotten, ahead, preview, by tag");
	ui_draw_text(ui, w, row++, 4, cols - 6, THEME_NORMAL,
	    "u  undo the last action");
	ui_draw_text(ui, w, row++, 4, cols - 6, THEME_NORMAL,
	    "q  back to the deck list");
}

static void
study_draw(struct ui *ui, WINDOW *w)
{
	const struct study_card *c;

	if (ui->st.study == NULL) {
		ui_draw_text(ui, w, 1, 2, getmaxx(w) - 4, THEME_MUTED,
		    "Choose a deck and press Enter.");
		return;
	}
	if (ui->st.side == STUDY_DONE || ui->st.side == STUDY_EMPTY) {
		draw_end(ui, w);
		return;
	}
	if ((c = current_card(ui)) != NULL)
		draw_card(ui, w, c);
}

static unsigned
grade(struct ui *ui, enum grade g)
{
	struct ui_study *st = &ui->st;
	long ms = mono_ms() - st->shown_ms;
	struct err e;

	if (st->side != STUDY_BACK)
		return 0;
	err_clear(&e);
	if (study_grade(st->study, g, ui_now(ui), ms > 600000 ? 600000 : (int)ms,
	    &e) < 0) {
		ui_message(ui, 1, "The grade was not saved: %s", e.msg);
		return UI_DIRTY_STATUS;
	}
	ui_undo_take_study(ui);
	advance(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

static unsigned
card_op(struct ui *ui, int (*op)(struct study *, time_t, struct err *),
    const char *done)
{
	struct err e;

	if (ui->st.side != STUDY_FRONT && ui->st.side != STUDY_BACK)
		return 0;
	err_clear(&e);
	if (op(ui->st.study, ui_now(ui), &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_STATUS;
	}
	ui_message(ui, 0, "%s", done);
	ui_undo_take_study(ui);
	advance(ui);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* Why n (more new) or a (ahead) brought no card. */
static void
nothing_more_words(struct ui *ui, int wanted_new)
{
	struct ui_study *st = &ui->st;
	long secs;

	if (wanted_new) {
		ui_message(ui, 0, "No more new cards in this deck.");
		return;
	}
	secs = st->has_next_due ? (long)(st->next_due - ui_now(ui)) : -1;
	if (secs > 0 && secs < 86400)
		ui_message(ui, 0, "Nothing is due in the next day; learning "
		    "cards due in %ld min are shown when they are due.",
		    (secs + 59) / 60);
	else
		ui_message(ui, 0, "Nothing is due in the next day.");
}

static unsigned
study_more(struct ui *ui, int extra_new, int ahead_days)
{
	struct ui_study *st = &ui->st;
	struct err e;

	if (st->side != STUDY_DONE && st->side != STUDY_EMPTY)
		return 0;
	err_clear(&e);
	if (study_extend(st->study, extra_new, ahead_days, ui_now(ui), &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		return UI_DIRTY_STATUS;
	}
	ui_undo_take_extend(ui);
	advance(ui);
	if (st->side != STUDY_FRONT)
		nothing_more_words(ui, extra_new > 0);
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

unsigned
ui_study_edit(struct ui *ui)
{
	const struct study_card *c = current_card(ui);
	struct err e;

	if (c == NULL)
		return 0;
	if (ui_edit_note(ui, c->note_id)) {
		err_clear(&e);
		if (study_reload_card(ui->st.study, &e) < 0)
			ui_message(ui, 1, "%s", e.msg);
	}
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/*
 * A flag or mark of the card on screen, undoable as a change to the card
 * and its note (cardops keeps both as they were): op runs inside the
 * record's transaction, and the record goes on the one undo stack.
 */
static int
undoable_card_change(struct ui *ui, const char *label,
    int (*op)(struct ui *, int, struct err *), int arg, struct err *e)
{
	const struct study_card *c = current_card(ui);
	struct cardops_undo *u;
	int64_t id;

	if (c == NULL)
		return 0;
	id = c->card_id;
	if (db_begin(ui->app->db, e) < 0)
		return -1;
	if ((u = cardops_change_begin(ui->app->db, &id, 1, e)) == NULL) {
		db_rollback(ui->app->db);
		return -1;
	}
	if (op(ui, arg, e) < 0 || cardops_change_end(ui->app->db, u, e) < 0 ||
	    db_commit(ui->app->db, e) < 0) {
		db_rollback(ui->app->db);
		cardops_undo_free(u);
		return -1;
	}
	ui_undo_push_cards(ui, label, u);
	return 0;
}

static int
set_flag_op(struct ui *ui, int flag, struct err *e)
{
	return study_set_flag(ui->st.study, flag, e);
}

static int
toggle_mark_op(struct ui *ui, int unused, struct err *e)
{
	(void)unused;
	return study_toggle_mark(ui->st.study, ui_now(ui), e);
}

static unsigned
study_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_study *st = &ui->st;
	struct err e;
	int rc;

	/* The answer line of a type: card has the keys: Enter shows the
	 * answer with the comparison, Esc leaves the line. */
	if (st->typing && st->side == STUDY_FRONT) {
		if (key == '\r' || key == '\n' || key == KEY_ENTER) {
			st->typing = 0;
			st->side = STUDY_BACK;
			ui->status_hint = NULL;
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		if (key == 27) {
			st->typing = 0;
			ui->status_hint = NULL;
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		ui_text_key(&st->typed, key);
		return UI_DIRTY_RIGHT;
	}
	if (st->pending_flag) {
		st->pending_flag = 0;
		/* The prompt goes with the choice, whatever it was. */
		ui->status_hint = NULL;
		if (key >= '0' && key <= '7') {
			err_clear(&e);
			if (undoable_card_change(ui, "Set Flag", set_flag_op,
			    key - '0', &e) < 0)
				ui_message(ui, 1, "%s", e.msg);
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		ui->status_hint = NULL;
		return UI_DIRTY_STATUS;
	}
	ui->status_hint = NULL;
	switch (a) {
	case UI_REVEAL:
		if (st->side == STUDY_FRONT) {
			st->side = STUDY_BACK;
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		return grade(ui, GRADE_GOOD);
	case UI_HINT:
		if (st->side != STUDY_FRONT && st->side != STUDY_BACK)
			return 0;
		st->hints = 1;
		return UI_DIRTY_RIGHT;
	case UI_MEDIA: {
		const struct study_card *c;
		struct buf q, an;

		if ((st->side != STUDY_FRONT && st->side != STUDY_BACK) ||
		    (c = current_card(ui)) == NULL)
			return 0;
		buf_init(&q);
		buf_init(&an);
		buf_add(&q, "", 0);
		buf_add(&an, "", 0);
		card_html(ui, c, 0, &q);
		/* The answer's media only once it is shown. */
		if (st->side == STUDY_BACK)
			card_html(ui, c, 1, &an);
		ui_media_show(ui, q.data, an.data);
		buf_free(&q);
		buf_free(&an);
		return UI_DIRTY_ALL;
	}
	case UI_AGAIN:
		return grade(ui, GRADE_AGAIN);
	case UI_HARD:
		return grade(ui, GRADE_HARD);
	case UI_GOOD:
		return grade(ui, GRADE_GOOD);
	case UI_EASY:
		return grade(ui, GRADE_EASY);
	case UI_UNDO: {
		/* The newest action of any view (ui-undo.c): the session's
		 * own shows its card again; anything else changes what the
		 * session holds, so it is built again. */
		int own = ui_undo_top_is_session(ui);

		if (ui_undo_pop(ui)) {
			err_clear(&e);
			if (!own && study_extend(st->study, 0, 0, ui_now(ui),
			    &e) < 0)
				ui_message(ui, 1, "%s", e.msg);
			advance(ui);
		}
		(void)rc;
		return UI_DIRTY_ALL | UI_DIRTY_DATA;
	}
	case UI_SUSPEND:
		return card_op(ui, study_suspend, "Card suspended.");
	case UI_BURY:
		return card_op(ui, study_bury, "Card buried until tomorrow.");
	case UI_MARK:
		if (st->side != STUDY_FRONT && st->side != STUDY_BACK)
			return 0;
		err_clear(&e);
		if (undoable_card_change(ui, "Toggle Mark", toggle_mark_op, 0,
		    &e) < 0)
			ui_message(ui, 1, "%s", e.msg);
		else
			ui_message(ui, 0, "Mark toggled.");
		return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
	case UI_EDIT: {
		const struct study_card *c = current_card(ui);
		if (c == NULL)
			return 0;
		ui_editor_open(ui, c->note_id, 0);
		return UI_DIRTY_ALL;
	}
	case UI_EDIT_EXTERNAL:
		return ui_study_edit(ui);
	case UI_FLAG:
		if (st->side != STUDY_FRONT && st->side != STUDY_BACK)
			return 0;
		st->pending_flag = 1;
		ui->status_hint = "Flag: 1 red, 2 orange, 3 green, 4 blue, "
		    "5 pink, 6 turquoise, 7 purple, 0 none";
		return UI_DIRTY_STATUS;
	case UI_CUSTOM_STUDY:
		if (st->side != STUDY_DONE && st->side != STUDY_EMPTY)
			return 0;
		ui_decks_custom_study(ui, st->deck_id);
		return UI_DIRTY_ALL;
	case UI_MORE_NEW:
		return study_more(ui, 10, 0);
	case UI_AHEAD:
		return study_more(ui, 0, 1);
	case UI_DOWN:
		st->scroll++;
		return UI_DIRTY_RIGHT;
	case UI_UP:
		if (st->scroll > 0)
			st->scroll--;
		return UI_DIRTY_RIGHT;
	case UI_BACK: {
		struct study_summary sum;
		study_summary(st->study, &sum);
		if (sum.studied > 0) {
			char line[200];
			summary_words(&sum, line, sizeof line);
			ui_message(ui, 0, "%s", line);
		}
		ui_study_stop(ui);
		ui->right_view = &ui_stats_view;
		ui->focus_right = 0;
		return UI_DIRTY_ALL | UI_DIRTY_DATA;
	}
	default:
		return 0;
	}
}

static unsigned
study_click(struct ui *ui, int row, int col)
{
	int rows = ui->right != NULL ? getmaxy(ui->right) : 0;
	int cols = ui->right != NULL ? getmaxx(ui->right) : 0;

	/* A click shows the answer; on a type: card as Enter does (a
	 * space would be typed). */
	if (ui->st.side == STUDY_FRONT)
		return study_action(ui, UI_REVEAL, ui->st.typing ? '\r' : ' ');
	if (ui->st.side == STUDY_BACK && row == rows - 1 && cols > 4) {
		int slot = (cols - 2) / 4, b = (col - 1) / (slot > 0 ? slot : 1);
		if (b >= 0 && b < 4)
			return grade(ui, (enum grade)(GRADE_AGAIN + b));
	}
	return 0;
}

/* One set of hints for every side of the card: a status line that stays the
 * same costs no bytes when the card flips (the end screen names its own
 * keys in the pane). */
static const enum ui_action *
study_hints(struct ui *ui)
{
	static const enum ui_action hints[] = { UI_REVEAL, UI_AGAIN, UI_HARD,
	    UI_GOOD, UI_EASY, UI_UNDO, UI_EDIT, UI_BACK, UI_HELP, UI_NONE };

	(void)ui;
	return hints;
}

static const struct ui_binding study_keys[] = {
	{ ' ', UI_REVEAL }, { '\r', UI_REVEAL }, { '1', UI_AGAIN },
	{ '2', UI_HARD }, { '3', UI_GOOD }, { '4', UI_EASY }, { 'u', UI_UNDO },
	{ 26, UI_UNDO }, { 'C', UI_CUSTOM_STUDY }, { 'e', UI_EDIT }, { 'E', UI_EDIT_EXTERNAL }, { '@', UI_SUSPEND }, { '-', UI_BURY },
	{ '*', UI_MARK }, { 'f', UI_FLAG }, { 'n', UI_MORE_NEW },
	{ 'a', UI_AHEAD }, { 'h', UI_HINT }, { 'M', UI_MEDIA }, { 'j', UI_DOWN },
	{ KEY_DOWN, UI_DOWN },
	{ 'k', UI_UP }, { KEY_UP, UI_UP }, { '\t', UI_PANE }, { 12, UI_REDRAW },
	{ '?', UI_HELP }, { KEY_F(1), UI_HELP }, { 'q', UI_BACK }, { 27, UI_BACK },
	{ 0, UI_NONE }
};

const struct view ui_study_view = {
	.name = "Study",
	.keys = study_keys,
	.action = study_action,
	.draw = study_draw,
	.click = study_click,
	.hints = study_hints,
};
