/*
 * ui-editor.c - editing a note in place: every field and the tags with the
 * usual line-editing keys, a live rendered preview of the field being
 * edited, ^S to save, Esc to cancel (asking when there are changes). Adding
 * a note first asks for its type. Saving never resets the cards'
 * scheduling; a cloze number added or removed adds or deletes its card,
 * and the status line says so.
 */
#include "config.h"

#include "ui.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/formats/notedoc.h"
#include "lemma/model/cloze.h"
#include "lemma/sched/study.h"
#include "lemma/store/db-notetypes.h"

void
ui_editor_free(struct ui *ui)
{
	struct ui_editor *ed = &ui->ed;

	for (size_t i = 0; i < ed->nfields; i++) {
		ui_text_free(&ed->fields[i]);
		free(ed->original[i]);
	}
	free(ed->fields);
	free(ed->original);
	if (ed->original_tags != NULL)
		ui_text_free(&ed->tags);
	free(ed->original_tags);
	notetype_free(&ed->nt);
	for (size_t i = 0; i < ed->ntypes; i++)
		notetype_free(&ed->types[i]);
	free(ed->types);
	memset(ed, 0, sizeof *ed);
}

/* The note's fields (nvalues of them), as many as its type has at least. */
static void
setup_fields(struct ui_editor *ed, char **values, size_t nvalues,
    const char *tags)
{
	size_t n = nvalues > ed->nt.nfields ? nvalues : ed->nt.nfields;

	ed->nfields = n;
	ed->fields = xcalloc(n, sizeof *ed->fields);
	ed->original = xcalloc(n, sizeof *ed->original);
	for (size_t i = 0; i < n; i++) {
		const char *v = values != NULL && i < nvalues ? values[i] : "";

		ui_text_init(&ed->fields[i], v, 1);
		ed->original[i] = xstrdup(v);
		ed->fields[i].cursor = 0;
	}
	ui_text_init(&ed->tags, tags, 0);
	ed->original_tags = xstrdup(tags);
	ed->focus = 0;
}

void
ui_editor_open(struct ui *ui, int64_t note_id, int64_t deck_id)
{
	struct ui_editor *ed = &ui->ed;
	struct notedoc_note n;
	struct err e;

	ui_editor_free(ui);
	ed->return_to = ui->right_view;
	ed->return_focus_right = ui->focus_right;
	ed->note_id = note_id;
	ed->deck_id = deck_id;
	if (note_id != 0) {
		err_clear(&e);
		if (notedoc_get(ui->app->db, note_id, &n, &e) < 0) {
			ui_message(ui, 1, "%s", e.msg);
			return;
		}
		ed->notetype = n.notetype;
		ed->is_html = n.is_html;
		ed->deck_id = n.deck_id;
		if (db_notetype_get(ui->app->db, n.notetype, &ed->nt, &e) < 0) {
			notedoc_free(&n);
			ui_message(ui, 1, "%s", e.msg);
			return;
		}
		setup_fields(ed, n.fields, n.nfields, n.tags);
		notedoc_free(&n);
	} else {
		ssize_t k;

		if (deck_id <= 0) {
			ui_message(ui, 1, "Choose a deck in the deck list first.");
			return;
		}
		err_clear(&e);
		if ((k = db_notetype_list(ui->app->db, &ed->types, &e)) <= 0) {
			ui_message(ui, 1, "%s", k < 0 ? e.msg :
			    "There is no note type.");
			return;
		}
		ed->ntypes = (size_t)k;
		ed->choose_type = 1;
		ui->status_hint = "1-9 or Up/Down and Enter: the note type   "
		    "Esc cancel";
	}
	ui_show(ui, &ui_editor_view);
}

static int
is_changed(const struct ui_editor *ed)
{
	for (size_t i = 0; i < ed->nfields; i++)
		if (strcmp(ui_text_str(&ed->fields[i]), ed->original[i]) != 0)
			return 1;
	return ed->original_tags != NULL &&
	    strcmp(ui_text_str(&ed->tags), ed->original_tags) != 0;
}

static unsigned
close_editor(struct ui *ui)
{
	struct ui_editor *ed = &ui->ed;
	const struct view *back = ed->return_to;
	int focus = ed->return_focus_right;

	ui_editor_free(ui);
	ui->status_hint = NULL;
	ui->right_view = back != NULL ? back : &ui_stats_view;
	ui->focus_right = focus;
	if (ui->right_view == &ui_browse_view)
		ui_browse_open(ui, NULL);
	if (ui->right_view == &ui_study_view && ui->st.study != NULL) {
		struct err e;
		err_clear(&e);
		study_reload_card(ui->st.study, &e);
	}
	return UI_DIRTY_ALL | UI_DIRTY_DATA;
}

/* Cards a cloze text makes, to tell the user what a save adds or removes. */
static size_t
cloze_count(const char *text)
{
	unsigned nums[128];

	return cloze_numbers(text, nums, 128);
}

/* An edit of a note's fields and tags, for ui_undo_note_edit. */
struct edit_args {
	int64_t			 note_id;
	const char *const	*values;
	size_t			 nfields;
	const char		*tags;
};

static int
save_edit(struct ui *ui, void *arg, struct err *e)
{
	const struct edit_args *a = arg;

	return notedoc_save(ui->app->db, a->note_id, a->values, a->nfields,
	    a->tags, ui_now(ui), e);
}

static unsigned
save(struct ui *ui)
{
	struct ui_editor *ed = &ui->ed;
	const char **values = xcalloc(ed->nfields, sizeof *values);
	size_t before = 0, after = 0;
	struct err e;
	int64_t rc;

	for (size_t i = 0; i < ed->nfields; i++)
		values[i] = ui_text_str(&ed->fields[i]);
	if (ed->nt.kind == NOTETYPE_KIND_CLOZE) {
		before = ed->note_id != 0 ? cloze_count(ed->original[0]) : 0;
		after = cloze_count(values[0]);
	}
	err_clear(&e);
	if (ed->note_id != 0) {
		struct edit_args a = { ed->note_id, values, ed->nfields,
		    ui_text_str(&ed->tags) };

		rc = ui_undo_note_edit(ui, ed->note_id, save_edit, &a, &e);
	} else
		rc = notedoc_add(ui->app->db, ed->deck_id, ed->notetype, values,
		    ed->nfields, ui_text_str(&ed->tags), ui_now(ui), &e);
	free(values);
	if (rc < 0) {
		/* Nothing was saved; the text stays for the user to fix. */
		ui_message(ui, 1, "Not saved: %s", e.msg);
		return UI_DIRTY_STATUS;
	}
	if (ed->note_id == 0) {
		unsigned ords[64];
		const char **v = xcalloc(ed->nfields, sizeof *v);
		size_t cards;

		for (size_t i = 0; i < ed->nfields; i++)
			v[i] = ui_text_str(&ed->fields[i]);
		cards = notetype_card_ords(&ed->nt, v, ed->nfields,
		    ui_text_str(&ed->tags), 1, ords, 64);
		free(v);
		ui_message(ui, 0, "Note added with %zu new card%s.", cards,
		    cards == 1 ? "" : "s");
	} else if (after > before)
		ui_message(ui, 0, "Note saved; %zu new cloze card%s added.",
		    after - before, after - before == 1 ? "" : "s");
	else if (after < before)
		ui_message(ui, 0, "Note saved; %zu cloze card%s deleted.",
		    before - after, before - after == 1 ? "" : "s");
	else
		ui_message(ui, 0, "Note saved; its cards keep their progress.");
	return close_editor(ui);
}

static void
editor_draw(struct ui *ui, WINDOW *w)
{
	struct ui_editor *ed = &ui->ed;
	int rows = getmaxy(w), cols = getmaxx(w), row = 0;
	char name[256], title[300];

	if (ed->choose_type) {
		size_t top = ed->type_sel + 5 > (size_t)rows ?
		    ed->type_sel + 5 - (size_t)rows : 0;

		ui_draw_text(ui, w, 1, 2, cols - 4, THEME_TITLE,
		    "Add a note: which type?");
		/* Every type, the user's after the five built in; a digit
		 * picks one of the first nine. */
		for (size_t i = top; i < ed->ntypes && (int)(i - top) + 3 <
		    rows - 1; i++) {
			const struct notetype *t = &ed->types[i];
			int r = 3 + (int)(i - top);
			char line[300];

			snprintf(line, sizeof line, "%c  %s  (%zu field%s, %zu "
			    "card%s)", i < 9 ? (char)('1' + i) : ' ', t->name,
			    t->nfields, t->nfields == 1 ? "" : "s",
			    t->kind == NOTETYPE_KIND_CLOZE ? 1 : t->ntemplates,
			    t->kind == NOTETYPE_KIND_CLOZE ? " per cloze" :
			    t->ntemplates == 1 ? " type" : " types");
			ui_draw_text(ui, w, r, 4, cols - 6, i == ed->type_sel ?
			    THEME_SELECTED : THEME_NORMAL, line);
		}
		return;
	}
	snprintf(title, sizeof title, "%s note: %s", ed->note_id ? "Edit" :
	    "New", ed->nt.name != NULL ? ed->nt.name : "");
	ui_draw_text(ui, w, row++, 1, cols - 2, THEME_TITLE, title);
	for (size_t i = 0; i <= ed->nfields && row < rows - 4; i++) {
		int focused = i == ed->focus;
		struct ui_text *t = i < ed->nfields ? &ed->fields[i] : &ed->tags;
		int height = i < ed->nfields ? 4 : 1;

		if (i < ed->nfields)
			notedoc_field_name(&ed->nt, i, name, sizeof name);
		else
			snprintf(name, sizeof name, "Tags");
		ui_draw_text(ui, w, row++, 1, cols - 2, focused ? THEME_HELP_KEY :
		    THEME_MUTED, name);
		if (height > rows - 4 - row)
			height = rows - 4 - row;
		if (height < 1)
			break;
		ui_text_draw(ui, w, row, 3, cols - 5, height, t, THEME_INPUT, focused);
		row += height;
	}
	/* The live preview of the field being edited. */
	if (ed->focus < ed->nfields && row < rows - 2) {
		wattrset(w, ui_attr(ui, THEME_BORDER));
		wmove(w, row++, 1);
		for (int x = 1; x < cols - 1; x++)
			waddch(w, ui->app->ascii ? '-' : ACS_HLINE);
		wattrset(w, A_NORMAL);
		ui_draw_field(ui, w, row, 3, cols - 5, THEME_QUESTION,
		    ui_text_str(&ed->fields[ed->focus]), ed->is_html,
		    ed->nt.kind == NOTETYPE_KIND_CLOZE && ed->focus == 0 ? 1 : 0,
		    !(ed->nt.kind == NOTETYPE_KIND_CLOZE && ed->focus == 0), 0);
	}
}

static unsigned
editor_action(struct ui *ui, enum ui_action a, int key)
{
	struct ui_editor *ed = &ui->ed;

	if (ed->choose_type) {
		size_t pick = SIZE_MAX;

		if (key >= '1' && key <= '9' && (size_t)(key - '1') < ed->ntypes)
			pick = (size_t)(key - '1');
		else if (key == '\r' || key == '\n' || key == KEY_ENTER)
			pick = ed->type_sel;
		else if ((key == KEY_DOWN || key == 'j') &&
		    ed->type_sel + 1 < ed->ntypes)
			ed->type_sel++;
		else if ((key == KEY_UP || key == 'k') && ed->type_sel > 0)
			ed->type_sel--;
		else if (key == 27 || a == UI_CANCEL)
			return close_editor(ui);
		if (pick != SIZE_MAX) {
			/* The chosen type is kept; the list goes. */
			ed->nt = ed->types[pick];
			memset(&ed->types[pick], 0, sizeof ed->types[pick]);
			for (size_t i = 0; i < ed->ntypes; i++)
				notetype_free(&ed->types[i]);
			free(ed->types);
			ed->types = NULL;
			ed->ntypes = 0;
			ed->notetype = (int)ed->nt.id;
			ed->choose_type = 0;
			setup_fields(ed, NULL, 0, "");
			ui->status_hint = "^S save   Esc cancel   Tab next field";
			return UI_DIRTY_RIGHT | UI_DIRTY_STATUS;
		}
		return UI_DIRTY_RIGHT;
	}
	if (ed->confirm_discard) {
		ed->confirm_discard = 0;
		ui->status_hint = NULL;
		if (key == 'y' || key == 'Y') {
			ui_message(ui, 0, "Changes discarded.");
			return close_editor(ui);
		}
		return UI_DIRTY_STATUS;
	}
	switch (a) {
	case UI_SAVE:
		return save(ui);
	case UI_CANCEL:
		if (!is_changed(ed))
			return close_editor(ui);
		ed->confirm_discard = 1;
		ui->status_hint = "Discard your changes? y/n";
		return UI_DIRTY_STATUS;
	case UI_NEXT_FIELD:
		ed->focus = (ed->focus + 1) % (ed->nfields + 1);
		return UI_DIRTY_RIGHT;
	case UI_PREV_FIELD:
		ed->focus = (ed->focus + ed->nfields) % (ed->nfields + 1);
		return UI_DIRTY_RIGHT;
	default:
		break;
	}
	if (a == UI_HELP || a == UI_REDRAW)
		return 0;
	ui_text_key(ed->focus < ed->nfields ? &ed->fields[ed->focus] : &ed->tags,
	    key);
	return UI_DIRTY_RIGHT;
}

static const enum ui_action *
editor_hints(struct ui *ui)
{
	static const enum ui_action hints[] = { UI_SAVE, UI_CANCEL,
	    UI_NEXT_FIELD, UI_HELP, UI_NONE };

	(void)ui;
	return hints;
}

static const struct ui_binding editor_keys[] = {
	{ 19, UI_SAVE }, { 27, UI_CANCEL }, { '\t', UI_NEXT_FIELD },
	{ KEY_BTAB, UI_PREV_FIELD }, { KEY_F(1), UI_HELP }, { 12, UI_REDRAW },
	{ 0, UI_NONE }
};

const struct view ui_editor_view = {
	.name = "Edit note",
	.keys = editor_keys,
	.action = editor_action,
	.draw = editor_draw,
	.click = NULL,
	.hints = editor_hints,
};
