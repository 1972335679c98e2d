/*
 * cardops.h - bulk actions on the cards a search found (the browser's
 * selection): suspend, flag, move, tag, reset to new, delete with undo, and
 * Anki's Empty Cards. The ids come from search.h's results; this module
 * does not search.
 */
#ifndef LEMMA_QUERY_CARDOPS_H
#define LEMMA_QUERY_CARDOPS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

struct cardops_undo;

/*
 * Each takes n card ids, runs in one transaction (it joins the caller's,
 * if any: db_begin() nests), and commits before returning 0; on -1 nothing
 * was changed and e says why. Ids of cards that no longer exist are
 * skipped. *changed (OUT, may be NULL) gets how many cards (or, for tags,
 * notes) were actually changed.
 */

/* Suspend (suspend = 1) or unsuspend (0) the cards. */
int	cardops_suspend(struct db *db, const int64_t *ids, size_t n,
	    int suspend, time_t now, size_t *changed, struct err *e);

/* Set the cards' flag: 1-7 Anki's seven (red ... purple), 0 none. */
int	cardops_flag(struct db *db, const int64_t *ids, size_t n, int flag,
	    time_t now, size_t *changed, struct err *e);

/* Move the cards to deck (created with its parents if need be). A note
 * whose cards all end up in deck moves with them. */
int	cardops_move(struct db *db, const int64_t *ids, size_t n,
	    const char *deck, time_t now, size_t *changed, struct err *e);

/* Add tag to, or remove it from, the notes of the cards. Tags are
 * case-insensitive; a tag is one word (no spaces or control characters). */
int	cardops_tag_add(struct db *db, const int64_t *ids, size_t n,
	    const char *tag, time_t now, size_t *changed, struct err *e);
int	cardops_tag_remove(struct db *db, const int64_t *ids, size_t n,
	    const char *tag, time_t now, size_t *changed, struct err *e);

/* Reset the cards to new (Anki's "Forget"): the memory state, reps and
 * lapses are cleared and they go to the end of the new-card order. The
 * review history is kept, with a manual entry (kind 4) per card recording
 * the state before. The UI asks first. */
int	cardops_reset(struct db *db, const int64_t *ids, size_t n, time_t now,
	    size_t *changed, struct err *e);

/*
 * Delete the notes of the cards, with all their cards, as Anki's browser
 * does (a note without one of its cards would be half a note), and the
 * cards' review history with them: no review-log row may point at a card
 * that is not there. *undo (OUT) gets a record of everything deleted, held in
 * memory: cardops_undo_apply() puts it back; free it with
 * cardops_undo_free() (at quit). *notes and *cards (OUT, may be NULL) get
 * the counts deleted. The UI asks first.
 */
int	cardops_delete(struct db *db, const int64_t *ids, size_t n,
	    struct cardops_undo **undo, size_t *notes, size_t *cards,
	    struct err *e);

/*
 * Delete those of the cards that are empty (a cloze number no longer in
 * the note; is:empty) with their review history, as Anki's Empty Cards
 * does; other cards, and a note's last card, are left. *undo and *cards as
 * cardops_delete. The UI and `lemma check --empty-cards --delete` list
 * them first.
 */
int	cardops_delete_empty(struct db *db, const int64_t *ids, size_t n,
	    struct cardops_undo **undo, size_t *cards, struct err *e);

/*
 * The undo of a change to cards ids (suspend, move, tag, reset, flag):
 * begin keeps the cards and their notes as they are, inside the caller's
 * transaction, before the change; end notes how the change left them,
 * and the decks it made (a move to a new deck: the undo removes them
 * while they are empty and keep their names).
 * cardops_undo_apply then puts them back, and takes the review-log rows
 * the change added (a reset's), or refuses, changing nothing, when
 * anything changed them since.
 */
struct cardops_undo *cardops_change_begin(struct db *db, const int64_t *ids,
	    size_t n, struct err *e);
int	cardops_change_end(struct db *db, struct cardops_undo *u,
	    struct err *e);

/*
 * The same for an edit of note note_id (its fields and tags: Anki's
 * "Update Note"), begun before the edit inside the caller's transaction,
 * ended with cardops_change_end. The undo puts the note and its cards back
 * (a card the edit left empty is not empty again) and deletes the cards
 * the edit made, or refuses while any of them changed since.
 */
struct cardops_undo *cardops_note_begin(struct db *db, int64_t note_id,
	    struct err *e);

/* Restore what cardops_delete() deleted, in one transaction. Fails (and
 * restores nothing) if a note with the same GUID has been added since.
 * The record stays valid and must still be freed. */
int	cardops_undo_apply(struct db *db, const struct cardops_undo *u,
	    struct err *e);
void	cardops_undo_free(struct cardops_undo *u);

#endif
