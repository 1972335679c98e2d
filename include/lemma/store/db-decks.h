/*
 * db-decks.h - managing the deck tree as Anki does: add, rename (a new
 * parent moves the subtree), move under another parent, delete with the
 * cards and the notes left without a card, each with an undo record.
 *
 * Names are Anki's: parts joined by "::", compared case-insensitively
 * (Unicode simple case folding: "CS" and "cs" are one deck), spaces around
 * a part trimmed; an empty part, a control character or more than
 * DB_DECK_DEPTH_MAX levels is refused with a message. db_deck_find and
 * db_deck_ensure (db.h) follow the same rules, so an import that names
 * "cs::x" files the note under the existing "CS".
 *
 * The undo record of every action here holds the decks and presets tables
 * as they were (they are small) and, for a delete, the rows deleted.
 * Applying it refuses, changing nothing, when the decks or presets were
 * changed since by anything but an undo of a later action.
 */
#ifndef LEMMA_STORE_DB_DECKS_H
#define LEMMA_STORE_DB_DECKS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/db.h"

struct db_deck_undo;

/* Put name in its normal form into out (parts trimmed, joined by "::"),
 * or return -1 with e saying what is wrong with it. */
int	db_deck_name_normalize(const char *name, struct buf *out,
	    struct err *e);

/* Whether two deck names are one deck (case-insensitive, as Anki). */
int	db_deck_name_same(const char *a, const char *b);

/* A deck's name by id into out; 0, or -1 (also when there is none). */
int	db_deck_name(struct db *db, int64_t id, struct buf *out, struct err *e);

/* Add deck name (and its missing parents). Refused when it exists. */
int	db_deck_add(struct db *db, const char *name, time_t now, int64_t *id,
	    struct db_deck_undo **undo, struct err *e);

/* Rename deck id and its subtree to new_name; a new parent is created
 * as needed. Refused when new_name is another deck's, or inside the
 * deck itself, or would nest the subtree deeper than the limit. */
int	db_deck_rename(struct db *db, int64_t id, const char *new_name,
	    time_t now, struct db_deck_undo **undo, struct err *e);

/* Move deck id (with its subtree) under parent_id, or to the top level
 * when parent_id is 0: a rename that keeps the last part. */
int	db_deck_move(struct db *db, int64_t id, int64_t parent_id, time_t now,
	    struct db_deck_undo **undo, struct err *e);

/* What deleting deck id would delete: the deck and its sub-decks, their
 * cards, and the notes that have no card elsewhere. */
struct db_deck_doomed {
	int64_t	decks, cards, notes;
};
int	db_deck_delete_counts(struct db *db, int64_t id,
	    struct db_deck_doomed *out, struct err *e);

/* Delete deck id, its sub-decks, their cards with their review history,
 * and the notes left without a card; a note with cards elsewhere stays
 * and moves to one of their decks. *out (may be NULL) gets the counts. */
int	db_deck_delete(struct db *db, int64_t id, struct db_deck_doomed *out,
	    struct db_deck_undo **undo, struct err *e);

/* Cards filed in deck id itself (not its sub-decks). */
int	db_deck_card_count(struct db *db, int64_t id, int64_t *n,
	    struct err *e);

/* The decks at and under id, as "name" prefix tests go: 0 or -1. The ids
 * are written to *ids (free it). */
int	db_deck_subtree(struct db *db, int64_t id, int64_t **ids, size_t *n,
	    struct err *e);

/*
 * An undo record for a change to decks or presets made by the caller
 * (db-deckconf.c's preset actions use it): db_deck_undo_begin snapshots
 * the tables inside the caller's transaction, db_deck_undo_end notes how
 * they were left. label is Anki's word for the action ("Rename Deck").
 */
struct db_deck_undo *db_deck_undo_begin(struct db *db, const char *label,
	    struct err *e);
int	db_deck_undo_end(struct db *db, struct db_deck_undo *u, struct err *e);

/* Anki's name of the action ("Delete Deck"); "Undo " + it is the menu's. */
const char *db_deck_undo_label(const struct db_deck_undo *u);

/* Put the decks and presets back as they were before the action, and
 * what it deleted, in one transaction. */
int	db_deck_undo_apply(struct db *db, const struct db_deck_undo *u,
	    struct err *e);
void	db_deck_undo_free(struct db_deck_undo *u);

#endif
