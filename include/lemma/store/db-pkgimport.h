/*
 * db-pkgimport.h - the SQL of an Anki package import (formats'
 * apkg-import.c): note types with their Anki ids, presets and decks'
 * presets, notes by GUID with Anki's ids and mtimes, cards with their
 * scheduling, review-log rows added unless their id is there.
 *
 * Owns only the statements; what to match, keep or skip is the
 * importer's. Every call expects the caller's transaction (db_begin): an
 * import is one transaction. Statements are prepared once
 * (db_pkgimport_new) and reused row after row.
 */
#ifndef LEMMA_DB_PKGIMPORT_H
#define LEMMA_DB_PKGIMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db.h"
#include "lemma/store/db-study.h"
#include "lemma/store/deckconf.h"

struct db_pkgimport;

struct db_pkgimport *db_pkgimport_new(struct db *db, struct err *e);
void	db_pkgimport_free(struct db_pkgimport *p);

/* ---- note types ---------------------------------------------------------- */

/* The lemma note types whose original_id is anki_id (an earlier import's
 * of that Anki type, the first one and any copy made when it changed):
 * ids into out (room for max); returns how many (at most max), or -1. */
int	db_pkgimport_notetypes_from(struct db_pkgimport *p, int64_t anki_id,
	    int64_t *out, size_t max, struct err *e);

/* The id for a new note type: after every one there is, and never one
 * of the built-in ids. lemma's note type ids are small (the program
 * keeps them in an int); Anki's, which are times in ms, are kept in
 * original_id. -1 on error. */
int64_t	db_pkgimport_notetype_next_id(struct db_pkgimport *p, struct err *e);

/* Whether name is a note type's name (ignoring ASCII case): 1, 0, -1. */
int	db_pkgimport_notetype_name_taken(struct db_pkgimport *p,
	    const char *name, struct err *e);

/* Add nt as note type id (its name unique already), remembering
 * original_id. Returns 0, or -1. */
int	db_pkgimport_notetype_add(struct db_pkgimport *p,
	    const struct notetype *nt, int64_t id, int64_t original_id,
	    struct err *e);

/* Replace the template texts, CSS and mtime of type id with nt's (same
 * fields and template names: Anki's update of a newer type of the same
 * schema). 0, or -1. */
int	db_pkgimport_notetype_update(struct db_pkgimport *p, int64_t id,
	    const struct notetype *nt, struct err *e);

/* ---- presets and decks ----------------------------------------------------- */

/* Whether preset id exists: 1, 0, -1. */
int	db_pkgimport_preset_exists(struct db_pkgimport *p, int64_t id,
	    struct err *e);
/* Add c (checked with deckconf_check) as preset id. 0, or -1. */
int	db_pkgimport_preset_add(struct db_pkgimport *p, int64_t id,
	    const struct deckconf *c, struct err *e);
/* Give deck_id preset preset_id. 0, or -1. */
int	db_pkgimport_deck_set_preset(struct db_pkgimport *p, int64_t deck_id,
	    int64_t preset_id, struct err *e);
/* The lowest deck id, or 0 when there is no deck; -1 on error. */
int64_t	db_pkgimport_any_deck(struct db_pkgimport *p, struct err *e);

/* ---- notes ----------------------------------------------------------------- */

struct db_pkg_note {
	int64_t		 id;		/* wanted id (made unique), or 0 */
	const char	*guid;
	int64_t		 notetype;
	int64_t		 deck_id;	/* until its cards say (fix_decks) */
	const char	*fields;	/* joined by U+001F */
	const char	*sort_field;
	const char	*tags;		/* " a b " or "" as Anki keeps them */
	int64_t		 mtime;		/* Anki's mod, seconds */
	int64_t		 created;
};

/* The note with this GUID: 1 (id, notetype, mtime filled), 0, or -1. */
int	db_pkgimport_note_by_guid(struct db_pkgimport *p, const char *guid,
	    int64_t *id, int64_t *notetype, int64_t *mtime, struct err *e);
/* Fields and tags of note id as stored: 1 (fields, tags set, valid until
 * the next call), 0, -1. */
int	db_pkgimport_note_text(struct db_pkgimport *p, int64_t id,
	    const char **fields, const char **tags, struct err *e);
/* Add a note (in->id, or the next free id Anki's way: + 999); returns
 * the id, or -1. The note is remembered for db_pkgimport_fix_decks. */
int64_t	db_pkgimport_note_add(struct db_pkgimport *p,
	    const struct db_pkg_note *in, struct err *e);
/* Update note id's fields, sort field, tags and mtime. 0, or -1. */
int	db_pkgimport_note_update(struct db_pkgimport *p, int64_t id,
	    const struct db_pkg_note *in, struct err *e);
/* Put each note added by this import in the deck of its first card. */
int	db_pkgimport_fix_decks(struct db_pkgimport *p, struct err *e);

/* ---- cards and the review log ------------------------------------------- */

/* A card in lemma's columns (db-schema.h's cards). */
struct db_pkg_card {
	int64_t		 id;		/* wanted id (made unique Anki's way) */
	int64_t		 note_id, deck_id;
	int		 ord;
	struct fsrs_card f;		/* state, due, memory, steps, counts */
	int64_t		 position;
	int		 suspended;
	long		 buried_until;
	int		 flag;
	int64_t		 created, modified;
};

/* Whether note_id has a card ord: 1, 0, -1. */
int	db_pkgimport_card_exists(struct db_pkgimport *p, int64_t note_id,
	    int ord, struct err *e);
/* Add c; returns its id, or -1. */
int64_t	db_pkgimport_card_add(struct db_pkgimport *p,
	    const struct db_pkg_card *c, struct err *e);
/* Set card id's memory state (a replay's), and its last review when it
 * has none. 0, or -1. */
int	db_pkgimport_card_memory(struct db_pkgimport *p, int64_t id,
	    double stability, double difficulty, int64_t last_review,
	    struct err *e);
/* The next new-card position after every card there is. */
int64_t	db_pkgimport_next_position(struct db_pkgimport *p, struct err *e);

/* Add r (db-study.h's row) unless a row with its id is there: 1 added,
 * 0 there, -1. */
int	db_pkgimport_rev_add(struct db_pkgimport *p,
	    const struct db_study_revlog *r, struct err *e);
/* Whether a review-log row id exists: 1, 0, -1. */
int	db_pkgimport_rev_exists(struct db_pkgimport *p, int64_t id,
	    struct err *e);

#endif
