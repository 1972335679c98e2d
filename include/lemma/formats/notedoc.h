/*
 * notedoc.h - a note as a small text document, for editing in $EDITOR.
 *
 *   # lemma note 42: Basic, deck "Physics::Units"
 *   # Edit the text under each "## " heading; lines starting with "#" and
 *   # a space are comments. Save and quit to apply; an empty file cancels.
 *   ## Front
 *   What is the SI unit of force?
 *   ## Back
 *   The newton, N = kg·m/s².
 *   ## Tags
 *   physics units
 *
 * notedoc_apply() validates the document (every field heading present once,
 * in order, a cloze note keeps at least one cloze) and saves it in one
 * transaction: the note's cards keep their scheduling. On an error nothing
 * is saved and e names the document's line, so the user's text can be
 * shown again with the problem.
 */
#ifndef LEMMA_NOTEDOC_H
#define LEMMA_NOTEDOC_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db.h"

/* A note as the browser and the editor see it. */
struct notedoc_note {
	int64_t	 id;
	int64_t	 deck_id;
	int	 notetype;	/* 0 Basic, 1 Basic (and reversed card), 2 Cloze */
	int	 is_html;
	char	**fields;
	size_t	 nfields;
	char	*tags;		/* "a b", or "" */
};

/* Read note id; free with notedoc_free. */
int	notedoc_get(struct db *db, int64_t id, struct notedoc_note *out,
	    struct err *e);
void	notedoc_free(struct notedoc_note *n);

/* Save fields and tags to note id in one transaction; its cards keep their
 * scheduling (a cloze number added or removed adds or deletes its card). */
int	notedoc_save(struct db *db, int64_t id, const char *const *fields,
	    size_t nfields, const char *tags, time_t now, struct err *e);

/* Add a note with its cards (new) to deck_id; returns its id or -1. */
int64_t	notedoc_add(struct db *db, int64_t deck_id, int notetype,
	    const char *const *fields, size_t nfields, const char *tags,
	    time_t now, struct err *e);

/* The name of field i of a note of type nt (its type's own names: "Front",
 * "Back"; "Text", "Back Extra"; a user's), "Extra N" past them. */
const char	*notedoc_field_name(const struct notetype *nt, size_t i,
		    char *buf, size_t len);

/* Write note id as a document to f. */
int	notedoc_write(struct db *db, int64_t note_id, FILE *f, struct err *e);

/* Parse text (the edited document) and save it to note id. Returns 0 when
 * saved, 1 when the document is empty (cancelled) or unchanged, -1 with e
 * (path "note", line of the problem) when it is not valid. */
int	notedoc_apply(struct db *db, int64_t note_id, const char *text,
	    time_t now, struct err *e);

#endif
