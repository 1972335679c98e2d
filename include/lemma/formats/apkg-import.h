/*
 * apkg-import.h - an Anki package (.apkg or .colpkg) into the progress
 * file, as Anki's importer merges one into a collection
 * (rslib/src/import_export/package/apkg/import/).
 *
 * Owns what an import of a package means; apkg.h reads the container,
 * ankicol.h the collection inside it, anki-sched.h turns Anki's
 * scheduling columns into lemma's, db-pkgimport.h holds the SQL.
 *
 * Anki's rules, followed here:
 *  - note types: one with the package's id and the same fields and
 *    templates (by name) is reused, and takes the incoming template texts
 *    when the incoming type is newer (mtime); one that changed is added as
 *    a new type (its name made unique with "+", as Anki's
 *    ensure_notetype_name_unique), remembering the id it came from so that
 *    the next import of it finds that copy; old notes are never forced
 *    onto a changed type. A type whose fields and templates are exactly
 *    one of lemma's five built-in ones (Anki's stock types) is that type.
 *  - presets by id: one lemma has already is kept as it is; a new one
 *    takes every option lemma has, and its FSRS parameters (FSRS-6, or
 *    FSRS-5/4.5 migrated). Decks by name (case-insensitive, "::"); a new
 *    deck, or one whose incoming preset is not Default, gets the package's
 *    preset. Filtered decks are not made: their cards go home (odid).
 *  - notes by GUID in the whole collection: an existing note is updated
 *    when the incoming one is newer (mtime; opts->update), and is left
 *    alone when its note type is not the incoming note's (counted
 *    skipped). Cards are added when their note has no card of that ord,
 *    with their scheduling; review-log rows of the cards added, unless a
 *    row with the same id is there (counted unchanged).
 *  - media: every file is checked before any is written; names are NFC;
 *    a file of the same name and content is unchanged, one of other
 *    content is taken as "name-SHA1.ext" and the notes' references follow
 *    (Anki's add_hash_suffix_to_file_stem). Files are put into a hidden
 *    folder beside the media folder during the import and moved into
 *    place only after the progress file's transaction commits
 *    (apkg_media_stage_commit); a failed import removes them.
 *
 * A .colpkg (Anki's whole collection) is merged the same way, with its
 * scheduling: it never replaces the progress file (Anki's colpkg import
 * does; lemma leaves what is there alone).
 */
#ifndef LEMMA_APKG_IMPORT_H
#define LEMMA_APKG_IMPORT_H

#include <stddef.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/formats/import.h"
#include "lemma/store/db.h"

/* Whether path is to be read as a package: a zip file (its first bytes),
 * or a name ending in .apkg or .colpkg (a broken one then fails as a
 * package, with the package's message). */
int	apkg_import_is_package(const char *path);

/* Counts of one kind of thing. */
struct apkg_import_count {
	long	added, updated, unchanged, skipped;
};

struct apkg_import_totals {
	struct apkg_import_count notes, cards, revlog, media;
};

/* Media written into a hidden folder, waiting for the transaction. */
struct apkg_media_stage;

/*
 * Import package path (shown: its name in messages) into db, inside the
 * caller's transaction. Reports lines (renamed media, warnings) through
 * o->report; the summary is the caller's (apkg_import_summary). With
 * media, *stage is set (else NULL): commit it after the transaction
 * commits, abort it otherwise. -1 with e naming the package and member.
 */
int	apkg_import(struct db *db, const char *path, const char *shown,
	    const struct import_opts *o, time_t now,
	    struct apkg_import_totals *t, struct apkg_media_stage **stage,
	    struct err *e);

/* "FILE: notes N added, N updated, N unchanged, N skipped; cards ...;
 * review log ...; media files ..." into out (NUL-terminated). */
void	apkg_import_summary(const char *shown,
	    const struct apkg_import_totals *t, struct buf *out);

/* Move the staged files into the media folder and free the stage (NULL:
 * nothing); -1 with e naming a file that could not be moved. */
int	apkg_media_stage_commit(struct apkg_media_stage *s, struct err *e);
/* Remove the staged files and free the stage (NULL: nothing). */
void	apkg_media_stage_abort(struct apkg_media_stage *s);

#endif
