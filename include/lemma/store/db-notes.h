/*
 * db-notes.h - notes and their cards in the progress file.
 *
 * Owns every SQL statement about notes and the cards made from them: the
 * note get/add/update/delete calls the card editor uses, the prepared
 * statements a bulk import reuses row after row, and the reading side of
 * export. Scheduling is never touched here except to create new cards:
 * updating a note keeps each of its cards' state, due date and history.
 *
 * Store's API for the layers above, free of <sqlite3.h>, so any module
 * above store (import, export, the editor's core) may include it. Every write expects the caller
 * to hold a transaction (db_begin) or opens its own.
 *
 * Storage, as db-schema.h defines it: fields joined by U+001F; tags kept
 * as " a b " (a space before and after) but passed in and out here as
 * "a b"; sort_field the first field as text (HTML stripped, white space
 * collapsed), which is what duplicates are matched on.
 */
#ifndef LEMMA_DB_NOTES_H
#define LEMMA_DB_NOTES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/db.h"

/* Note types: notes.notetype is a notetypes row (db-notetypes.h); these
 * are the ids of three of the built-in ones (notetype.h has all five). */
enum db_notetype {
	DB_NOTE_BASIC = 0,
	DB_NOTE_REVERSED = 1,	/* Basic (and reversed card): cards 0 and 1 */
	DB_NOTE_CLOZE = 2,	/* one card per cloze number N, ord N - 1 */
};

/* A note as the editor sees it. */
struct db_note {
	int64_t	 id;
	char	*guid;
	int	 notetype;
	int64_t	 deck_id;
	char	**fields;
	size_t	 nfields;
	char	*tags;		/* "a b c", or "" */
	int	 is_html;
	int64_t	 created, modified;
};

/* Read note id into out (free with db_note_free). -1 and e when there is
 * no such note or on error. */
int	db_note_get(struct db *db, int64_t id, struct db_note *out,
	    struct err *e);
void	db_note_free(struct db_note *n);

/* Add a note to deck_id with its cards (new, at the end of the new-card
 * order) and a fresh random GUID. A cloze note needs at least one cloze in
 * its first field. Fields and tags are stored as import stores them (at
 * least two fields, no empty ones after those; tags sorted and unique), so
 * an export reads back the same note. Returns the note's id, or -1. */
int64_t	db_note_add(struct db *db, int64_t deck_id, int notetype,
	    const char *const *fields, size_t nfields, const char *tags,
	    int is_html, time_t now, struct err *e);

/* Replace a note's fields and tags. Every card keeps its scheduling and
 * history; for a cloze note, cards for new numbers are added (new), cards
 * for numbers no longer in the text are kept as empty cards (cards.empty:
 * out of study, history kept) and are whole again when their number comes
 * back. Returns 0, or -1. */
int	db_note_update(struct db *db, int64_t id, const char *const *fields,
	    size_t nfields, const char *tags, time_t now, struct err *e);

/* Delete a note, its cards and their review history (no review-log row
 * may point at a card that is not there). */
int	db_note_delete(struct db *db, int64_t id, struct err *e);

/* The text a note is sorted and matched by: its first field, as text when
 * it is HTML, with white space runs made one space and the ends trimmed. */
void	db_note_sort_field(const char *field, size_t len, int is_html,
	    struct buf *out);

/* Anki's GUID form: v in base 91 (at most 10 characters). out needs 12
 * bytes. db_note_guid_random gives a random v. */
void	 db_note_guid(uint64_t v, char *out);
uint64_t db_note_guid_random(void);

/* ---- bulk import: statements prepared once, reused per row ------------- */

struct db_import;

/* A note as import writes it. fields are joined by U+001F. */
struct db_note_in {
	const char	*guid;
	int		 notetype;
	int64_t		 deck_id;
	const char	*fields;
	const char	*sort_field;
	size_t		 fields_len;	/* strlen(fields), or 0: not known */
	size_t		 sort_len;	/* likewise */
	const char	*tags;		/* "a b" */
	int		 is_html;
};

/* A note as import finds it; the buffers are reused from call to call. */
struct db_note_found {
	int64_t		 id;
	int		 notetype;
	int64_t		 deck_id;
	int		 is_html;
	struct buf	 guid, fields, sort_field, tags;	/* tags "a b" */
};

/* Before the caller's transaction (SQLite ignores the pragma inside one):
 * when the notes table is empty, a bulk import is coming, and SQLite's
 * foreign-key checks are turned off for this connection. The import
 * writes only deck and note ids it has just read or made, and the checks
 * were 9% of the instructions of a large import. Returns 1 when they are
 * off (call db_import_checks_on after the commit or rollback), else 0. */
int	db_import_checks_off(struct db *db);
void	db_import_checks_on(struct db *db);

/* Prepare the statements. The caller holds the transaction. With bulk,
 * an import into an empty notes table drops the notes' secondary indexes
 * and defers Basic cards; db_import_finish then writes those cards and
 * builds the indexes again, and must come before the commit. */
struct db_import *db_import_new(struct db *db, int bulk, struct err *e);
int		 db_import_finish(struct db_import *dbi, time_t now,
		    struct err *e);
void		 db_import_free(struct db_import *dbi);
void		 db_note_found_free(struct db_note_found *f);

/* Whether the notes table was empty when dbi was made (then no note from
 * before this import can match). */
int	db_import_was_empty(const struct db_import *dbi);

/* Look a note up: 1 found (out filled), 0 none, -1 on error. by_sort
 * finds a note of notetype with that sort field in any deck (Anki's
 * duplicate check), the lowest id above after when there are several
 * (after 0: the lowest; a file with the same first field twice matches
 * its rows to those notes in turn). */
int	db_import_by_guid(struct db_import *dbi, const char *guid,
	    struct db_note_found *out, struct err *e);
int	db_import_by_sort(struct db_import *dbi, int notetype,
	    const char *sort_field, int64_t after, struct db_note_found *out,
	    struct err *e);
int	db_import_by_id(struct db_import *dbi, int64_t id,
	    struct db_note_found *out, struct err *e);

/* Insert a note and its new cards. Returns the id; 0 when the GUID is
 * taken (nothing was written); -1 on error. */
int64_t	db_import_add(struct db_import *dbi, const struct db_note_in *in,
	    time_t now, struct err *e);
/* Write new fields, tags and is_html to note id (its note type and deck
 * stay, and its cards stay where they are); cloze cards follow the
 * numbers as db_note_update. Returns how many cards it left empty (0 for
 * a note that is not cloze), or -1. */
int	db_import_update(struct db_import *dbi, int64_t id,
	    const struct db_note_in *in, time_t now, struct err *e);

/* ---- export: every note of a deck and its sub-decks ---------------------- */

struct db_note_iter;

/* A note as export reads it; valid until the next call. */
struct db_note_out {
	int64_t		 id;
	const char	*guid;
	int		 notetype;
	const char	*deck;		/* full name with "::" */
	const char	*fields;	/* joined by U+001F */
	const char	*tags;		/* "a b" */
	int		 is_html;
	const char	*notetype_name;	/* the type's name, as Anki spells it */
};

/* Notes of deck (and its sub-decks; NULL for all), by deck name and then
 * in the order they were added. An unknown deck is an error. */
struct db_note_iter *db_note_iter_new(struct db *db, const char *deck,
		    struct err *e);
/* 1 with out filled, 0 at the end, -1 on error. */
int		 db_note_iter_next(struct db_note_iter *it,
		    struct db_note_out *out, struct err *e);
void		 db_note_iter_free(struct db_note_iter *it);

#endif
