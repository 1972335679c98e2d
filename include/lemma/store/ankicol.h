/*
 * ankicol.h - an Anki collection file (the SQLite database inside an
 * .apkg or .colpkg), read and written through neutral structs.
 *
 * Owns the other SQLite file lemma knows besides its progress file: the
 * collection as Anki's own source defines it (rslib/src/storage/
 * schema11.sql and upgrades/). Reading takes schema 11 (note types, decks
 * and presets as JSON in the col row) and schema 14 to 18 (the notetypes,
 * fields, templates, decks and deck_config tables, whose config, common
 * and kind columns are protobuf messages); writing makes schema 18 (what
 * current Anki writes in collection.anki21b) or schema 11 (legacy, for
 * collection.anki21 and the stub collection.anki2).
 *
 * Nothing here knows lemma's progress file: import and export map these
 * structs onto it. Notes, cards and review-log rows are streamed through
 * callbacks, one prepared statement each, never loaded whole; note types,
 * decks and presets are few and are held. Errors name the label the
 * caller gave (e.g. "deck.apkg: collection.anki21b") and the row.
 */
#ifndef LEMMA_STORE_ANKICOL_H
#define LEMMA_STORE_ANKICOL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/notetype.h"

/* Note types are model's struct notetype (notetype.h), with Anki's id and
 * mtime: one description of a note type for the progress file and for
 * Anki's collection. */
struct anki_deck {
	int64_t	 id;
	char	*name;		/* "Parent::Child" (schema 18 keeps \x1f) */
	int	 filtered;	/* a filtered (dynamic) deck */
	int64_t	 conf_id;	/* its preset; 0 for a filtered deck */
	char	*description;
	int64_t	 mtime;
};

/* Deck options preset ("deck config"): what lemma can use of it. */
struct anki_deckconf {
	int64_t	 id;
	char	*name;
	int64_t	 mtime;
	unsigned new_per_day;
	unsigned reviews_per_day;
	size_t	 nlearn_steps;
	float	*learn_steps;		/* minutes */
	size_t	 nrelearn_steps;
	float	*relearn_steps;		/* minutes */
	unsigned max_ivl;		/* days */
	unsigned leech_threshold;	/* lapses */
	int	 leech_action;		/* 0 suspend, 1 tag only */
	float	 desired_retention;	/* 0: not set */
	int	 fsrs_version;		/* 6, 5, 4: which params; 0 none */
	size_t	 nparams;
	float	*params;		/* FSRS parameters of fsrs_version */
	int	 bury_new, bury_reviews, bury_interday;
	int	 new_sort_order;	/* Anki's NewCardSortOrder */
	int	 new_gather_priority;	/* Anki's NewCardGatherPriority */
	int	 review_order;		/* Anki's ReviewCardOrder */
	float	 initial_ease;		/* 2.5 for 250% */
	/* 0 when the collection does not say (Anki's defaults: 1 day,
	 * mixed, mixed). */
	unsigned min_lapse_ivl;		/* days: minimum_lapse_interval */
	int	 new_mix;		/* Anki's ReviewMix: new/review */
	int	 interday_mix;		/* interday learning/review */
};

struct anki_note {
	int64_t	 id;		/* ms */
	char	*guid;
	int64_t	 mid;		/* note type */
	int64_t	 mod;		/* seconds */
	char	*tags;		/* " a b " as Anki keeps them, or "" */
	size_t	 nfields;
	char	**fields;	/* split on \x1f */
};

struct anki_card {
	int64_t	id;		/* ms */
	int64_t	nid, did, odid;	/* odid: home deck while in a filtered one */
	int	ord, type, queue;
	int64_t	due, odue;
	int	ivl, factor, reps, lapses, left, flags;
	int64_t	mod;
	/* The FSRS memory state from the card's data JSON ("s", "d", "dr",
	 * "decay", "lrt"): has_memory when s and d are both there. Without
	 * "decay" Anki takes FSRS-5's (0.5); FSRS-6 cards carry their own. */
	int	has_memory;
	double	stability, difficulty;
	double	desired_retention;	/* 0: not set */
	double	decay;			/* 0: not set */
	int64_t	last_review;		/* seconds; 0: not set */
	int64_t	original_position;	/* "pos": a new card's place before
					 * it was moved; 0: not set */
};

struct anki_revlog {
	int64_t	id;		/* ms: when */
	int64_t	cid;
	int	ease;		/* 1-4; 0 for a manual entry */
	int	ivl, last_ivl;	/* days, or -seconds */
	int	factor;		/* permille ease, or FSRS difficulty */
	int	time;		/* ms taken */
	int	type;		/* 0 learn, 1 review, 2 relearn, 3 filtered,
				 * 4 manual, 5 rescheduled */
};

struct ankicol_counts {
	long long notetypes, decks, deckconfs, notes, cards, revlog;
};

/* ---- reading --------------------------------------------------------- */
struct ankicol;

/* Open path read-only; label names it in errors. Refuses a schema version
 * other than 11 and 14-18 ("label: collection schema 19 is not supported
 * (11 to 18 are)"), and a file that is not SQLite. */
struct ankicol	*ankicol_open(const char *path, const char *label,
		    struct err *e);
void		 ankicol_close(struct ankicol *c);
int		 ankicol_schema(const struct ankicol *c);
/* PRAGMA integrity_check: 0 when "ok", else -1 with its first line. */
int		 ankicol_integrity(struct ankicol *c, struct err *e);
int		 ankicol_count(struct ankicol *c, struct ankicol_counts *n,
		    struct err *e);

/* Whether a note of the collection has note type mid: 1, 0, or -1. Anki
 * imports only the types of the notes it imports (gather.rs), and older
 * packages carry every type of the collection they came from. */
int		 ankicol_notetype_used(struct ankicol *c, int64_t mid,
		    struct err *e);

/* The callbacks return 0 to go on, -1 (with e filled) to stop; what they
 * are handed lives until they return. */
int	ankicol_each_notetype(struct ankicol *c,
	    int (*fn)(void *arg, const struct notetype *, struct err *),
	    void *arg, struct err *e);
int	ankicol_each_deck(struct ankicol *c,
	    int (*fn)(void *arg, const struct anki_deck *, struct err *),
	    void *arg, struct err *e);
int	ankicol_each_deckconf(struct ankicol *c,
	    int (*fn)(void *arg, const struct anki_deckconf *, struct err *),
	    void *arg, struct err *e);
/* Notes in id order; a note whose note type is missing, or whose field
 * count is not its type's, is an error naming the note. */
int	ankicol_each_note(struct ankicol *c,
	    int (*fn)(void *arg, const struct anki_note *, struct err *),
	    void *arg, struct err *e);
int	ankicol_each_card(struct ankicol *c,
	    int (*fn)(void *arg, const struct anki_card *, struct err *),
	    void *arg, struct err *e);
int	ankicol_each_revlog(struct ankicol *c,
	    int (*fn)(void *arg, const struct anki_revlog *, struct err *),
	    void *arg, struct err *e);
/* The same rows by card, then time (cid, id): each card's history
 * together, for a replay card by card. */
int	ankicol_each_revlog_by_card(struct ankicol *c,
	    int (*fn)(void *arg, const struct anki_revlog *, struct err *),
	    void *arg, struct err *e);

/* The collection's clock: col.crt (Unix seconds on Anki's day 0) and the
 * hour its days begin (config "rollover", 4 when not set). */
int	ankicol_clock(struct ankicol *c, int64_t *crt, int *rollover,
	    struct err *e);

/* ---- writing --------------------------------------------------------- */
struct ankicol_writer;

/*
 * Create a new collection at path (which must not exist) with schema 18
 * or 11, created at now. Add the note types, decks and presets first
 * (notes are checked against their type), then notes, cards and the
 * review log; ankicol_writer_finish writes the col row (and for schema 11
 * the JSON of note types, decks and presets), commits and closes. usn is
 * -1 for every row (not yet synced) except what Anki itself writes 0 for.
 * On any error, ankicol_writer_abort removes the file.
 */
struct ankicol_writer *ankicol_writer_create(const char *path, int schema,
		    time_t now, struct err *e);
int	ankicol_add_notetype(struct ankicol_writer *w,
	    const struct notetype *nt, struct err *e);
int	ankicol_add_deck(struct ankicol_writer *w, const struct anki_deck *d,
	    struct err *e);
int	ankicol_add_deckconf(struct ankicol_writer *w,
	    const struct anki_deckconf *dc, struct err *e);
int	ankicol_add_note(struct ankicol_writer *w, const struct anki_note *n,
	    struct err *e);
int	ankicol_add_card(struct ankicol_writer *w, const struct anki_card *c,
	    struct err *e);
int	ankicol_add_revlog(struct ankicol_writer *w,
	    const struct anki_revlog *r, struct err *e);
/*
 * The collection's clock and settings, for a writer whose rows were made
 * for them (an export's day numbers count from crt). Without this call:
 * crt is 4:00 UTC on or before now, rollover 4, creation offset 0, learn
 * ahead 20 minutes, FSRS off, next new position 1.
 */
struct ankicol_settings {
	int64_t	 crt;			/* col.crt: day 0 begins, seconds */
	int	 rollover;		/* the hour a day begins, 0..23 */
	int	 creation_offset;	/* minutes west of UTC at crt */
	int	 learn_ahead_secs;	/* Anki's collapseTime */
	int	 fsrs;			/* FSRS on for the collection */
	int64_t	 next_pos;		/* the next new card's position */
};
void	ankicol_writer_settings(struct ankicol_writer *w,
	    const struct ankicol_settings *s);
int	ankicol_writer_finish(struct ankicol_writer *w, struct err *e);
void	ankicol_writer_abort(struct ankicol_writer *w);

/* A note's csum column, of its first field: the first 8 hex digits of
 * the SHA-1 of the field stripped of HTML with media file names kept, as
 * a number (Anki's field_checksum of strip_html_preserving_media_filenames). */
int64_t	ankicol_field_checksum(const char *field);

#endif
