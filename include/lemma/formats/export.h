/*
 * export.h - notes out of the progress file, as text.
 *
 * Owns the two written forms of a deck:
 *  - EXPORT_ANKI: tab-separated Anki text with the header lines Anki
 *    2.1.54+ reads (#separator:tab, #html:, #guid column:, #notetype
 *    column:, #deck column:, #tags column:), so Anki imports it with decks,
 *    note types, tags and GUIDs, and lemma's own import reads back exactly
 *    the notes that were written.
 *  - EXPORT_MARKDOWN: per deck a "deck = NAME" line and a | Front | Back |
 *    table (HTML turned into text, line breaks as <br>): for people, not a
 *    lossless copy.
 * Scheduling is not exported. Never changes the progress file.
 */
#ifndef LEMMA_EXPORT_H
#define LEMMA_EXPORT_H

#include <stdio.h>

#include "lemma/base/err.h"
#include "lemma/store/db.h"

enum export_format {
	EXPORT_ANKI,
	EXPORT_MARKDOWN,
	EXPORT_TEXT,		/* rendered for reading: Unicode formulas */
	EXPORT_TEXT_ASCII,	/* the same in ASCII, for a non-UTF-8 locale */
};

/*
 * Write the notes of deck and its sub-decks (NULL: every deck) to out,
 * ordered by deck name and then as they were added. Markdown and text
 * (always) and Anki text written to a terminal go through termsafe:
 * control, bidi and zero-width characters are never written raw. Anki
 * text to a file or pipe keeps the user's bytes exactly. Returns 0, or -1 with e filled (an unknown deck, a
 * read or write error).
 */
int	export_deck(struct db *db, const char *deck, enum export_format f,
	    FILE *out, struct err *e);

/*
 * The same into the file path, whole or not at all (safefile.h): an
 * existing path is replaced only with force, and a failed write leaves it
 * as it was. Returns 0, or -1 with e filled.
 */
int	export_file(struct db *db, const char *deck, enum export_format f,
	    const char *path, int force, struct err *e);

#endif
