/*
 * db-export.h - the rows an export to an Anki package takes from the
 * progress file, read in one snapshot and streamed.
 *
 * Owns what is exported and under which ids. The selection is Anki's
 * (rslib/src/import_export/gather.rs): the notes of the whole collection,
 * or the notes with a card in a deck or its sub-decks; then every card of
 * those notes, wherever it is filed; the review log of those cards; the
 * decks those cards are in with their parents; the note types of the
 * notes; the presets of the decks.
 *
 * Ids: Anki's note and card ids are the time they were added, in ms (its
 * browser shows them as "Added"), and lemma's are small integers. Each
 * note and card gets created * 1000, taken in (created, id) order and
 * moved on by 1 ms where the one before already has it, so ids are
 * unique and, for the same progress file, the same in every export
 * (worked out over the whole collection, whatever the selection). An id
 * that already looks like Anki's (one imported from Anki: from
 * DB_EXPORT_ANKI_ID_MIN on) is kept where it is free. Decks, presets and
 * note types are few and have no "added" date in Anki: they get
 * DB_EXPORT_ANKI_ID_MIN + their id (ids already Anki's are kept); Anki's
 * fixed Default deck and preset (1), and a note type's id from the Anki
 * collection it came from, are the caller's to map.
 *
 * The ids are held in two temporary tables of the connection (never in
 * the progress file), so no list of the collection is held in memory.
 */
#ifndef LEMMA_STORE_DB_EXPORT_H
#define LEMMA_STORE_DB_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db-study.h"
#include "lemma/store/db.h"
#include "lemma/store/deckconf.h"

/* 2001-09-09 in ms: below it an id is lemma's own, from it Anki's. */
#define DB_EXPORT_ANKI_ID_MIN	1000000000000LL

/* A deck, preset or note type id as Anki's (see above). */
int64_t	db_export_small_id(int64_t id);

struct db_export;

/*
 * Start an export of deck_id and its sub-decks (0: every note) in one
 * read snapshot of db: the ids are worked out and the selection made.
 * With whole (a .colpkg, deck_id 0), every deck, preset and note type is
 * exported, used or not. The progress file is not written (the temporary
 * tables live in the connection's temporary database). Close with
 * db_export_close.
 */
struct db_export *db_export_open(struct db *db, int64_t deck_id, int whole,
		    struct err *e);
void	db_export_close(struct db_export *x);

struct db_export_counts {
	int64_t	notes, cards, revlog;
};
int	db_export_counts(struct db_export *x, struct db_export_counts *n,
	    struct err *e);

/* The collection's first day: the earliest created time of any deck,
 * note or card, or review, in seconds (0 for an empty file). */
int	db_export_first_time(struct db_export *x, int64_t *when,
	    struct err *e);
/* The highest position of a card (0 for none), for Anki's next one. */
int	db_export_max_position(struct db_export *x, int64_t *pos,
	    struct err *e);

/* The callbacks return 0 to go on, -1 (with e filled) to stop; what they
 * are handed lives until they return. */

/* Note types of the selected notes (whole: all), by id: struct notetype
 * with lemma's id, and the id it had in the Anki collection it was
 * imported from (notetypes.original_id; 0 for none), which Anki should
 * see again so that it knows its own type. */
int	db_export_each_notetype(struct db_export *x,
	    int (*fn)(void *arg, const struct notetype *, int64_t original_id,
	    struct err *), void *arg, struct err *e);

struct db_export_deck {
	int64_t		 id;		/* lemma's */
	const char	*name;		/* "A::B" */
	int64_t		 preset_id;	/* lemma's */
	int64_t		 created;	/* seconds */
};
/* The decks of the selected cards and their parents (whole: all), by
 * name. */
int	db_export_each_deck(struct db_export *x,
	    int (*fn)(void *arg, const struct db_export_deck *, struct err *),
	    void *arg, struct err *e);

/* The presets of those decks (whole: all), by id. */
int	db_export_each_preset(struct db_export *x,
	    int (*fn)(void *arg, const struct deckconf *, struct err *),
	    void *arg, struct err *e);

struct db_export_note {
	int64_t		 anki_id;	/* ms */
	const char	*guid;
	int64_t		 notetype;	/* lemma's */
	const char	*fields;	/* joined by U+001F */
	const char	*tags;		/* " a b " or "" */
	int		 is_html;
	int64_t		 modified;	/* seconds */
};
/* The selected notes, by lemma id. */
int	db_export_each_note(struct db_export *x,
	    int (*fn)(void *arg, const struct db_export_note *, struct err *),
	    void *arg, struct err *e);

/* A card as lemma keeps it (db-schema.h), with its Anki ids. */
struct db_export_card {
	int64_t		 id, anki_id, anki_nid;
	int64_t		 deck_id;	/* lemma's */
	int		 ord;
	struct fsrs_card f;		/* state, step, due, memory, reps */
	int64_t		 position;	/* new cards' order */
	int		 suspended;
	long		 buried_until;	/* study day; 0: not buried */
	int		 flag;
	int64_t		 created, modified;	/* seconds */
};
/* The selected cards, by lemma id. */
int	db_export_each_card(struct db_export *x,
	    int (*fn)(void *arg, const struct db_export_card *, struct err *),
	    void *arg, struct err *e);

/* A review-log row as the export needs it, with its card's Anki id: the
 * grade, the card after it (state, due, memory; scheduled_days from the
 * row) and before it (state, due, memory, last review, interval); the
 * rest of the card before it (step, counts, suspended, buried), which
 * only undo reads, is left 0. */
struct db_export_revlog {
	struct db_study_revlog	 r;
	int64_t			 anki_cid;
};
/* The selected cards' review log, by id. */
int	db_export_each_revlog(struct db_export *x,
	    int (*fn)(void *arg, const struct db_export_revlog *, struct err *),
	    void *arg, struct err *e);

#endif
