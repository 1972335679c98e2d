/*
 * apkg.h - the Anki package container: .apkg (decks) and .colpkg (a whole
 * collection), read and written.
 *
 * A package is a zip file (rslib/src/import_export/package/ in Anki's
 * source): a protobuf "meta" member whose version says which collection
 * member to read (1: collection.anki2, 2: collection.anki21, both plain
 * SQLite; 3: collection.anki21b, a zstd-compressed SQLite file), a media
 * map ("media": JSON {"0": "name.jpg"} in versions 1-2, a zstd-compressed
 * protobuf MediaEntries with name, size and SHA-1 in 3) and the media
 * files as members "0", "1", ... (zstd-compressed in version 3). Current
 * packages also carry a stub collection.anki2 whose one note asks to
 * update Anki: it is never read as the collection.
 *
 * Everything is streamed: the collection is decompressed frame by frame
 * into a private temporary file, the media straight into their folder,
 * each under a size limit (a zip or zstd bomb stops at the limit, not at
 * the end of the disk). Errors name the package and the member
 * ("deck.apkg: media: ..."). What the collection holds is ankicol.h's.
 */
#ifndef LEMMA_FORMATS_APKG_H
#define LEMMA_FORMATS_APKG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/base/sha1.h"

struct ankicol;
struct progress;

enum apkg_version {
	APKG_LEGACY1 = 1,	/* collection.anki2, schema 11 */
	APKG_LEGACY2 = 2,	/* collection.anki21, schema 11 */
	APKG_LATEST = 3,	/* collection.anki21b (zstd), schema 18 */
};

/* Limits against bombs: bytes after decompression. */
struct apkg_limits {
	uint64_t	collection_max;	/* the collection file */
	uint64_t	media_max;	/* one media file */
	uint64_t	map_max;	/* the media map and meta */
	size_t		name_max;	/* a media file name, in bytes */
	/* All media together, counted apart for apkg_verify_media and for
	 * apkg_extract_media: against a zip whose entries overlap, so that
	 * each is small but all are the same large data. 0: 1 GiB plus 100
	 * times the package's size (media are mostly compressed already, so
	 * a real package comes nowhere near it). */
	uint64_t	media_total_max;
};

/* 4 GiB, 512 MiB, 64 MiB, 255, 0 (by the package's size). */
void	apkg_limits_default(struct apkg_limits *lim);

struct apkg_media {
	char		*name;		/* checked: apkg_media_name_ok */
	char		 member[16];	/* its zip member: "0", "1", ... */
	uint64_t	 size;		/* from the map (version 3), else 0 */
	int		 has_sha1;
	uint8_t		 sha1[SHA1_LEN];
};

/* ---- reading ---------------------------------------------------------- */
struct apkg;

/* Open and check path: a zip, its meta and media map read, every media
 * name checked. lim NULL: the defaults. */
struct apkg	*apkg_open(const char *path, const struct apkg_limits *lim,
		    struct err *e);
void		 apkg_close(struct apkg *p);
enum apkg_version apkg_version(const struct apkg *p);
/* The member the collection is read from. */
const char	*apkg_collection_member(const struct apkg *p);

/* The zip's members, in order: name, size (uncompressed, as the zip
 * says), compressed size. */
size_t		 apkg_member_count(const struct apkg *p);
int		 apkg_member(const struct apkg *p, size_t i, const char **name,
		    uint64_t *size, uint64_t *csize);

size_t		 apkg_media_count(const struct apkg *p);
const struct apkg_media *apkg_media_at(const struct apkg *p, size_t i);

/*
 * Report the long reads from now on to progress (base/progress.h; NULL:
 * none), in bytes read from the zip: apkg_open_collection as "Unpacking
 * the collection" (of the member's size), and the media, over all the
 * calls for this package, as "Checking the media" (apkg_verify_media) and
 * "Extracting the media" (apkg_extract_media), of all media members'
 * sizes. When the report asks to stop, the call under way fails with
 * progress_stopped()'s "Cancelled" and removes its temporary file.
 */
void		 apkg_set_progress(struct apkg *p, struct progress *progress);

/*
 * Decompress the collection into a new private file in dir (NULL: the
 * temporary folder) and open it; *tmp_path is the file, which the caller
 * removes (unlink) after ankicol_close. The stub ("Please update to the
 * latest Anki version") is refused.
 */
struct ankicol	*apkg_open_collection(struct apkg *p, const char *dir,
		    char **tmp_path, struct err *e);

/* Extract media file i into dir under its name, atomically (a temporary
 * file renamed into place), checking its size limit and its SHA-1 where
 * the map has one. */
int		 apkg_extract_media(struct apkg *p, size_t i, const char *dir,
		    struct err *e);

/* The same checks as apkg_extract_media, writing nothing: so an import
 * can refuse a package with one bad media file before it writes any. */
int		 apkg_verify_media(struct apkg *p, size_t i, struct err *e);

/* Whether name may be a media file's name: not empty, at most max bytes,
 * UTF-8, not "." or "..", no '/', '\\' or control characters. */
int		 apkg_media_name_ok(const char *name, size_t max);

/* ---- writing ------------------------------------------------------------ */
struct apkg_writer;

/*
 * Start a package at path: version 3 (current Anki) or, with legacy,
 * version 2 (collection.anki21 and a JSON media map, for older clients).
 * An existing path is refused unless force. Nothing appears at path
 * until apkg_writer_commit, which renames the finished zip into place.
 */
struct apkg_writer *apkg_writer_open(const char *path, int legacy, int force,
		    struct err *e);
/* The collection (a file ankicol's writer made, schema 18 or 11 to match
 * legacy): meta, the collection and the stub are written in Anki's order,
 * the stub made at now. */
int	apkg_writer_add_collection(struct apkg_writer *w, const char *col_path,
	    time_t now, struct err *e);
/* A media file under name (checked as apkg_media_name_ok). */
int	apkg_writer_add_media(struct apkg_writer *w, const char *name,
	    const char *file, struct err *e);
int	apkg_writer_commit(struct apkg_writer *w, struct err *e);
void	apkg_writer_abort(struct apkg_writer *w);

#endif
