/*
 * import.h - deck files into the progress file.
 *
 * Owns what an import means: which deck a note goes to, how a row is
 * matched to a note already there, and the promise that importing the same
 * files again changes nothing. Parsing is deckfile's job and SQL is
 * db-notes'; this module never prints (lines go to the report callback).
 *
 * Matching, as Anki's: by GUID when the file has a #guid column:, else by
 * note type and first field (as text, HTML stripped) in the whole
 * collection, whatever deck the note is in (a row that names no note type
 * has the one a new note would get: Cloze when its first field holds a
 * cloze deletion, else Basic). A matched note whose fields, tags or HTML
 * flag changed is updated in place; it keeps its deck and note type and
 * its cards stay where they are, with their scheduling and history. A row
 * whose GUID names a note of another type is skipped, with the reason.
 *
 * An update keeps what the row does not carry, as Anki's: fields past the
 * row's last cell keep their content, and without a #tags column: the
 * note keeps its tags and gains the file's #tags: (with one, the row's
 * tags and the file's replace them). A cloze number gone from the text
 * leaves its card empty, not deleted (counted in emptied and the summary
 * line, "N card(s) now empty"); see db-notes.h.
 *
 * Decks, for new notes only, most specific first: a #deck column: cell;
 * --deck (opts.deck);
 * the file's own #deck: or "deck = NAME" phrase; the file name without its
 * extension. In a directory given as a path, a file that names no deck goes
 * to the deck its path gives (a/b.tsv -> a::b), under opts.deck when set.
 *
 * GUIDs: a row without one gets a deterministic GUID, Anki's base 91 form
 * of a 64-bit hash of deck name and first field, so a re-import and an
 * export round trip see the same GUID. If that GUID is taken by another
 * note, the hash is salted (deterministically) until it is free.
 */
#ifndef LEMMA_IMPORT_H
#define LEMMA_IMPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/base/progress.h"
#include "lemma/store/db.h"

/* When a note already here is updated from a package, as Anki's
 * "update notes" (UpdateCondition): if the incoming one is newer (its
 * mtime), always (when it differs), or never. */
enum import_update {
	IMPORT_UPDATE_IF_NEWER = 0,
	IMPORT_UPDATE_ALWAYS,
	IMPORT_UPDATE_NEVER,
};

struct import_opts {
	const char	*deck;		/* --deck, or NULL */
	enum import_update update;	/* Anki packages' notes (apkg-import.h) */
	int		 dry_run;	/* do everything, then roll back (a
					 * transaction the caller holds too) */
	/* One summary line per file ("decks/x.txt: 10 added, 0 updated,
	 * 0 unchanged, 0 skipped", then ", 1 card now empty" when an update
	 * left cards empty), one line per skipped row or ignored path
	 * ("x.tsv:12: skipped: empty first field"). May be NULL. Lines hold
	 * no control characters. */
	void		(*report)(void *arg, const char *line);
	void		*report_arg;
	/* How far each file is read, in bytes, and a way to stop
	 * (progress.h): a stop rolls everything back. May be NULL. */
	struct progress	*progress;
};

struct buf;

/* Hand o->report one line made of fmt and ap, in line, made safe by
 * termsafe (file, deck and note type names are not to drive the
 * terminal): the one way text and package imports report. Nothing when
 * o->report is NULL. */
void	import_vreport(const struct import_opts *o, struct buf *line,
	    const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));

struct import_totals {
	long	added, updated, unchanged, skipped;
	long	emptied;	/* cards left empty by an update (import.h) */
};

/*
 * Import files and directories (recursively: .txt .tsv .csv .md files,
 * hidden ones and symbolic links that lead out of the directory left out;
 * an Anki package, .apkg or .colpkg or any zip file named on the command
 * line, is apkg-import.h's, in the same transaction)
 * in ONE transaction: any error rolls back everything, fills e with
 * path:line:col and returns -1, and the progress file is as it was. On
 * success returns 0 with t filled (counts over all files); with
 * o->dry_run nothing is written either way.
 */
int	import_paths(struct db *db, const char *const *paths, size_t npaths,
	    const struct import_opts *o, time_t now, struct import_totals *t,
	    struct err *e);

#endif
