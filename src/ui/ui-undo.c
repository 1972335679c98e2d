/*
 * ui-undo.c - the program's one undo stack: every undoable action of any
 * view pushes its core record here with Anki's label ("Delete Deck"), and
 * undo in any view takes the newest back. Records last until quit. The
 * core applies them and refuses (with a message, changing nothing) when
 * another program changed what the record would restore.
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/query/cardops.h"
#include "lemma/sched/study.h"
#include "lemma/store/db-decks.h"

enum undo_kind { UNDO_DECKS, UNDO_CARDS, UNDO_STUDY, UNDO_EXTEND };

struct ui_undo_entry {
	enum undo_kind	 kind;
	char		 label[48];
	void		*rec;
	long		 serial;	/* UNDO_STUDY: its session's */
};

static void
push(struct ui *ui, enum undo_kind kind, const char *label, void *rec)
{
	struct ui_undo_entry *u;

	VEC_RESERVE(ui->undo, ui->undo_cap, ui->nundo + 1, 8);
	u = &ui->undo[ui->nundo++];
	u->kind = kind;
	snprintf(u->label, sizeof u->label, "%s", label);
	u->rec = rec;
}

void
ui_undo_push_decks(struct ui *ui, struct db_deck_undo *rec)
{
	push(ui, UNDO_DECKS, db_deck_undo_label(rec), rec);
}

void
ui_undo_push_cards(struct ui *ui, const char *label, struct cardops_undo *rec)
{
	push(ui, UNDO_CARDS, label, rec);
}

int
ui_undo_note_edit(struct ui *ui, int64_t note_id,
    int (*edit)(struct ui *, void *, struct err *), void *arg, struct err *e)
{
	struct db *db = ui->app->db;
	struct cardops_undo *u;
	int rc;

	if (db_begin(db, e) < 0)
		return -1;
	if ((u = cardops_note_begin(db, note_id, e)) == NULL) {
		db_rollback(db);
		return -1;
	}
	rc = edit(ui, arg, e);
	if (rc == 0 && (cardops_change_end(db, u, e) < 0 ||
	    db_commit(db, e) < 0))
		rc = -1;
	if (rc != 0) {
		/* An error, or nothing to save (1): nothing was written. */
		db_rollback(db);
		cardops_undo_free(u);
		return rc;
	}
	/* Anki's name for an edit of a note's fields or tags. */
	push(ui, UNDO_CARDS, "Update Note", u);
	return 0;
}

void
ui_undo_take_extend(struct ui *ui)
{
	struct db_extend_undo *r;

	if (ui->st.study != NULL &&
	    (r = study_extend_undo_take(ui->st.study)) != NULL)
		push(ui, UNDO_EXTEND, "Custom Study", r);
}

void
ui_undo_take_study(struct ui *ui)
{
	struct study_undo *r;

	if (ui->st.study == NULL || (r = study_undo_take(ui->st.study)) == NULL)
		return;
	push(ui, UNDO_STUDY, study_undo_label(r), r);
	ui->undo[ui->nundo - 1].serial = ui->study_serial;
}

int
ui_undo_top_is_session(const struct ui *ui)
{
	return ui->nundo > 0 && ui->undo[ui->nundo - 1].kind == UNDO_STUDY &&
	    ui->st.study != NULL &&
	    ui->undo[ui->nundo - 1].serial == ui->study_serial;
}

static void
entry_free(struct ui_undo_entry *u)
{
	if (u->kind == UNDO_DECKS)
		db_deck_undo_free(u->rec);
	else if (u->kind == UNDO_EXTEND)
		study_extend_undo_free(u->rec);
	else if (u->kind == UNDO_STUDY)
		study_undo_free(u->rec);
	else
		cardops_undo_free(u->rec);
}

const char *
ui_undo_label(const struct ui *ui)
{
	return ui->nundo > 0 ? ui->undo[ui->nundo - 1].label : NULL;
}

int
ui_undo_pop(struct ui *ui)
{
	struct ui_undo_entry *u;
	struct err e;
	int rc;

	if (ui->nundo == 0) {
		ui_message(ui, 0, "Nothing to undo.");
		return 0;
	}
	u = &ui->undo[ui->nundo - 1];
	err_clear(&e);
	if (u->kind == UNDO_STUDY) {
		/* The open session rebuilds its queue, if the action was
		 * its own; an ended one's grade is undone in the file. */
		rc = study_undo_apply(ui->app->db, u->serial == ui->study_serial ?
		    ui->st.study : NULL, u->rec, ui_now(ui), &e);
		if (rc == -2) {
			/* It never can be: dropped, so that undo reaches
			 * the ones before it. */
			ui_message(ui, 1, "%s", e.msg);
			entry_free(u);
			ui->nundo--;
			return 0;
		}
		if (rc == 0)
			for (size_t i = 0; i + 1 < ui->nundo; i++)
				if (ui->undo[i].kind == UNDO_STUDY)
					study_undo_followed(ui->undo[i].rec,
					    u->rec);
	} else if (u->kind == UNDO_EXTEND)
		rc = study_extend_undo_apply(ui->app->db, u->rec, &e);
	else
		rc = u->kind == UNDO_DECKS ?
		    db_deck_undo_apply(ui->app->db, u->rec, &e) :
		    cardops_undo_apply(ui->app->db, u->rec, &e);
	if (rc < 0) {
		/* The record stays: the person may put things back by hand
		 * and try again, or leave it. */
		ui_message(ui, 1, "%s", e.msg);
		return 0;
	}
	ui_message(ui, 0, "Undone: %s.", u->label);
	entry_free(u);
	ui->nundo--;
	ui_stats_invalidate(ui);
	return 1;
}

void
ui_undo_free(struct ui *ui)
{
	for (size_t i = 0; i < ui->nundo; i++)
		entry_free(&ui->undo[i]);
	free(ui->undo);
	ui->undo = NULL;
	ui->nundo = ui->undo_cap = 0;
}
