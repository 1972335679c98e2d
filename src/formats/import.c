/* import.c - deck files into the progress file; see import.h. */
#include "config.h"

#include "lemma/formats/import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/hashtab.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg-import.h"
#include "lemma/formats/deckfile.h"
#include "lemma/model/cloze.h"
#include "lemma/model/tags.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/store/db-pkgimport.h"

#define READ_CHUNK	(256u << 10)

/*
 * Notes this import has touched, by note type and sort field. Only a 64-bit
 * hash is kept (a 100,000-note import stays a few megabytes); a hit is
 * checked against the note itself. Rows with a GUID look their note up by
 * GUID, and then here to learn whether this import touched it already.
 */
struct key_entry {
	int64_t		 note_id;	/* for deck_index: a decks index */
	unsigned	 file;		/* index into files */
	unsigned	 line;
};

struct deck_entry {
	char		*name;
	int64_t		 id;
};

struct import {
	struct db		*db;
	const struct import_opts *o;
	time_t			 now;
	struct db_import	*dbi;
	struct hashtab		 keys;		/* key_sort -> key_entry */
	struct deck_entry	*decks;
	size_t			 ndecks, capdecks;
	struct hashtab		 deck_index;	/* key_name -> key_entry */
	char			**files;	/* display names */
	size_t			 nfiles;

	/* The file being read. */
	const char		*path;		/* display name */
	const char		*path_deck;	/* deck its path gives */
	int			 direct;	/* named on the command line */
	long			 added, updated, unchanged, skipped, emptied;

	struct buf		 joined, sort, line, guid, tags;
	struct db_note_found	 found;
	struct buf		 summaries;	/* one line per file, NUL after
						 * each: reported on success */
	char			 what[600];	/* "Importing NAME", for progress */
	char			*fo_name;	/* the last type notetype_of() */
	struct notetype		 fo_type;	/* looked up, and the type */
	int			 fo_found;
	char			*nt_name;	/* the last #notetype: of the
						 * user's looked up, and its id */
	int64_t			 nt_id;
	struct apkg_media_stage	**stages;	/* packages' media */
	size_t			 nstages, capstages;
};

/* ---- hashing and the key table ---------------------------------------------- */

static uint64_t
hash_add(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t w;
	size_t i = 0;

	/* FNV-1a, eight bytes at a step, for the key tables: good enough
	 * once mixed (below), and never stored (derive_guid has its own). */
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h ^= w;
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t
hash_mix(uint64_t h)
{
	/* splitmix64's finalizer spreads FNV's weak high bits. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h != 0 ? h : 1;
}

#define HASH_INIT	0xcbf29ce484222325ULL

static uint64_t
key_sort(int notetype, const char *sort)
{
	uint64_t h = hash_add(HASH_INIT, "k", 1);

	h = hash_add(h, &notetype, sizeof notetype);
	return hash_mix(hash_add(h, sort, strlen(sort)));
}

static uint64_t
key_name(const char *name)
{
	return hash_mix(hash_add(HASH_INIT, name, strlen(name)));
}

static void
keys_add(struct hashtab *t, uint64_t hash, int64_t id, unsigned file,
    unsigned line)
{
	struct key_entry *ke = hashtab_add(t, hash);

	ke->note_id = id;
	ke->file = file;
	ke->line = line;
}

/* ---- reporting ------------------------------------------------------------------ */

void
import_vreport(const struct import_opts *o, struct buf *line,
    const char *fmt, va_list ap)
{
	char *s;

	if (o->report == NULL)
		return;
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	buf_reset(line);
	termsafe_append(line, s, strlen(s), 0);
	free(s);
	o->report(o->report_arg, line->data);
}

static void
report(struct import *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
report(struct import *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_vreport(im->o, &im->line, fmt, ap);
	va_end(ap);
}

/* A warning from the deck file (a name that lost unsafe characters). */
static void
on_warn(void *arg, const struct err *w)
{
	char line[sizeof w->path + sizeof w->msg + 32];

	err_format(w, line, sizeof line);
	report(arg, "%s", line);
}

static int
skip(struct import *im, unsigned line, const char *why)
{
	im->skipped++;
	report(im, "%s:%u: skipped: %s", im->path, line, why);
	return 0;
}

/* ---- decks ----------------------------------------------------------------------- */

static struct deck_entry *
deck_get(struct import *im, const char *name, struct err *e)
{
	uint64_t h;
	size_t pos = HASHTAB_START, removed;
	struct key_entry *ke;
	struct deck_entry *d;
	struct buf clean;
	int64_t id;

	/* Names in the file lost their unsafe characters in deckfile; a
	 * name from a file name or --deck loses them here. */
	buf_init(&clean);
	buf_add(&clean, "", 0);
	removed = termsafe_strip(&clean, name, strlen(name));
	name = clean.data;
	h = key_name(name);
	while ((ke = hashtab_next(&im->deck_index, h, &pos)) != NULL)
		if (strcmp(im->decks[ke->note_id].name, name) == 0) {
			buf_free(&clean);
			return &im->decks[ke->note_id];
		}
	if (removed > 0)
		report(im, "%s: warning: deck name '%s': removed %zu control, "
		    "bidi or zero-width character%s", im->path, name, removed,
		    removed == 1 ? "" : "s");
	if ((id = db_deck_ensure(im->db, name, im->now, e)) < 0) {
		buf_free(&clean);
		return NULL;
	}
	VEC_RESERVE(im->decks, im->capdecks, im->ndecks + 1, 8);
	d = &im->decks[im->ndecks];
	d->name = buf_steal(&clean);
	d->id = id;
	keys_add(&im->deck_index, h, (int64_t)im->ndecks, 0, 0);
	im->ndecks++;
	return d;
}

/* ---- one note ---------------------------------------------------------------------- */

/* Plain byte-at-a-time FNV-1a: the same on every machine. */
static uint64_t
fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/*
 * The deterministic GUID of a note without one (see import.h): Anki's
 * base 91 of mix(FNV-1a("lemma-guid\0" deck "\0" sort_field)), with
 * "\0" and the salt in decimal appended when the plain one is taken. It
 * must never change: notes in progress files carry it.
 */
static void
derive_guid(const char *deck, const char *sort, unsigned salt, char *out)
{
	uint64_t h = fnv1a(HASH_INIT, "lemma-guid", 11);
	char num[16];

	h = fnv1a(h, deck, strlen(deck) + 1);
	h = fnv1a(h, sort, strlen(sort));
	if (salt > 0) {
		snprintf(num, sizeof num, "%u", salt);
		h = fnv1a(h, "", 1);
		h = fnv1a(h, num, strlen(num));
	}
	db_note_guid(hash_mix(h), out);
}

/*
 * Find the note (notetype, im->sort) among those this import touched: 1
 * with im->found filled and *ke set, 0 if none. When several are (a file
 * with the same first field twice), the one of the file being read with
 * the highest id: the last this file matched or made.
 */
static int
find_touched(struct import *im, int notetype, struct key_entry **ke,
    struct err *e)
{
	uint64_t hash = key_sort(notetype, im->sort.data);
	size_t pos = HASHTAB_START;
	struct key_entry *k, *best = NULL;
	int rc, n = 0;

	while ((k = hashtab_next(&im->keys, hash, &pos)) != NULL) {
		if ((rc = db_import_by_id(im->dbi, k->note_id, &im->found,
		    e)) < 0)
			return -1;
		/* A stale key (the note changed since) or a hash collision. */
		if (rc == 0 || im->found.notetype != notetype ||
		    strcmp(im->found.sort_field.data, im->sort.data) != 0)
			continue;
		n++;
		if (best == NULL || (k->file == im->nfiles - 1 &&
		    (best->file != k->file || k->note_id > best->note_id)))
			best = k;
	}
	if (best == NULL)
		return 0;
	*ke = best;
	/* im->found holds the last one read. */
	if (n > 1 && db_import_by_id(im->dbi, best->note_id, &im->found,
	    e) < 0)
		return -1;
	return 1;
}

/* Whether this import touched note id (found, with its note type and
 * sort field), and where. */
static struct key_entry *
touched_entry(struct import *im, int64_t id, int notetype, const char *sort)
{
	uint64_t hash = key_sort(notetype, sort);
	struct key_entry *ke;
	size_t pos = HASHTAB_START;

	while ((ke = hashtab_next(&im->keys, hash, &pos)) != NULL)
		if (ke->note_id == id)
			return ke;
	return NULL;
}

static void
touch(struct import *im, int64_t id, int notetype, unsigned line)
{
	keys_add(&im->keys, key_sort(notetype, im->sort.data), id,
	    (unsigned)im->nfiles - 1, line);
}

/*
 * The fields and tags a matched note is to have, into im->joined and
 * im->tags, as Anki's update: the row's fields where it has cells, the
 * note's own fields after them; the row's tags replace the note's only
 * when it has a tags column, else the file's #tags: are added to them.
 * Returns whether a field the note keeps is HTML-bearing (the note's
 * is_html then stays on).
 */
static int
merge_found(struct import *im, const struct deckfile_note *n)
{
	const char *old = im->found.fields.data, *sep;
	size_t nfields = n->nfields, i, end;
	int kept_html = 0;

	buf_reset(&im->joined);
	buf_add(&im->joined, "", 0);
	for (i = 0;; i++) {
		sep = old != NULL ? strchr(old, '\x1f') : NULL;
		if (i >= n->ngiven && i >= nfields && old == NULL)
			break;
		if (i > 0)
			buf_addc(&im->joined, '\x1f');
		if (i < n->ngiven && (n->given == NULL || n->given[i]))
			buf_adds(&im->joined, i < nfields ? n->fields[i] : "");
		else if (old != NULL) {
			buf_add(&im->joined, old, sep != NULL ? (size_t)(sep -
			    old) : strlen(old));
			kept_html |= im->found.is_html && old[0] != '\x1f' &&
			    old[0] != '\0';
		} else if (i < nfields)
			buf_adds(&im->joined, n->fields[i]);
		old = sep != NULL ? sep + 1 : NULL;
	}
	/* Stored as import stores any note: no empty fields at the end past
	 * the two every note has. */
	for (;;) {
		end = im->joined.len;
		sep = memrchr(im->joined.data, '\x1f', end);
		if (sep == NULL || (size_t)(sep - im->joined.data) + 1 != end ||
		    memchr(im->joined.data, '\x1f', (size_t)(sep -
		    im->joined.data)) == NULL)
			break;
		im->joined.len = (size_t)(sep - im->joined.data);
		im->joined.data[im->joined.len] = '\0';
	}

	buf_reset(&im->tags);
	buf_add(&im->tags, "", 0);
	if (n->tags_from_row)
		buf_adds(&im->tags, n->tags);
	else {
		struct buf both;

		buf_init(&both);
		buf_add(&both, "", 0);
		buf_adds(&both, im->found.tags.data);
		buf_addc(&both, ' ');
		buf_adds(&both, n->tags);
		tags_normalize(both.data, &im->tags);
		buf_free(&both);
	}
	return kept_html;
}

/*
 * An error from the progress file or the deck calls names no line: the row
 * is what caused it, so say which. A deck name from a file name may hold
 * control characters; the message is for a terminal.
 */
static int
row_error(struct import *im, unsigned line, struct err *e)
{
	char msg[sizeof e->msg];

	if (e == NULL)
		return -1;
	snprintf(msg, sizeof msg, "%s", e->msg);
	for (char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = '?';
	if (e->line == 0)
		return err_set(e, im->path, line, 0, "%s", msg);
	snprintf(e->msg, sizeof e->msg, "%s", msg);
	return -1;
}

/* Fields joined as notes.fields keeps them, for a new note. */
static void
join_row(struct import *im, const struct deckfile_note *n)
{
	buf_reset(&im->joined);
	buf_add(&im->joined, "", 0);
	for (size_t i = 0; i < n->nfields; i++) {
		if (i > 0)
			buf_addc(&im->joined, '\x1f');
		buf_adds(&im->joined, n->fields[i]);
	}
}

/*
 * The id of a note type the file names that is not a built-in one: one of
 * the user's. A name that is neither is handled as Anki handles it: a
 * #notetype: line gives Basic, with a warning (once per name), and a row
 * whose note type column names it is skipped (0). Returns the id, 0 to
 * skip the row, or -1 on error.
 */
static int64_t
named_notetype(struct import *im, const struct deckfile_note *n,
    struct err *e)
{
	struct err le;
	char *name, why[400];
	int64_t id;

	/* The last name again: its id (a fallback to Basic only stands for
	 * #notetype: lines; a column naming it is looked at again). */
	if (im->nt_name != NULL && strcmp(im->nt_name, n->notetype_name) == 0 &&
	    (im->nt_id != DB_NOTE_BASIC || !n->notetype_from_row))
		return im->nt_id;
	err_clear(&le);
	if ((id = db_notetype_find(im->db, n->notetype_name, &le)) < 0) {
		if (le.msg[0] != '\0' && strstr(le.msg, "no note type") == NULL)
			return err_set(e, im->path, n->line, 0, "%s", le.msg);
		static const char expected[] = "expected Basic, Basic (and "
		    "reversed card), Basic (optional reversed card), Basic "
		    "(type in the answer), Cloze or one of yours: lemma "
		    "notetype list";

		name = termsafe_str(n->notetype_name, 0);
		if (n->notetype_from_row) {
			snprintf(why, sizeof why, "unknown note type '%s' (%s)",
			    name, expected);
			free(name);
			skip(im, n->line, why);
			return 0;
		}
		report(im, "%s:%u:%u: warning: unknown note type '%s': the "
		    "notes are Basic (%s)", im->path, n->notetype_line,
		    n->notetype_col, name, expected);
		free(name);
		id = DB_NOTE_BASIC;
	}
	free(im->nt_name);
	im->nt_name = xstrdup(n->notetype_name);
	im->nt_id = id;
	return id;
}

/* The deck file's question: the user's type called name (NULL when
 * there is none such), whose fields place the columns; the last one
 * asked for is kept, as a file names one type for all its rows. */
static const struct notetype *
notetype_of(void *arg, const char *name)
{
	struct import *im = arg;
	int64_t id;

	if (im->fo_name != NULL && strcmp(im->fo_name, name) == 0)
		return im->fo_found ? &im->fo_type : NULL;
	if (im->fo_found)
		notetype_free(&im->fo_type);
	free(im->fo_name);
	im->fo_name = xstrdup(name);
	im->fo_found = (id = db_notetype_find(im->db, name, NULL)) >= 0 &&
	    db_notetype_get(im->db, id, &im->fo_type, NULL) == 0;
	return im->fo_found ? &im->fo_type : NULL;
}

/* A type's name for a message. */
static const char *
type_name(int nt, char *buf, size_t len)
{
	const char *s = deckfile_notetype_name((enum deckfile_notetype)nt);

	if (*s == '\0') {
		snprintf(buf, len, "note type #%d", nt);
		s = buf;
	}
	return s;
}

static int
on_note(void *arg, const struct deckfile_note *n, struct err *e)
{
	struct import *im = arg;
	struct deck_entry *deck;
	struct key_entry *ke = NULL;
	struct db_note_in in;
	const char *deck_name;
	char guid[12], why[600], n1[40], n2[40];
	int found = 0, nt, match_nt, req_nt = n->notetype;
	int64_t named;

	db_note_sort_field(n->fields[0], strlen(n->fields[0]), n->is_html,
	    &im->sort);
	/* Only a first field with nothing in it is no note: one of only
	 * "<br>" or spaces is one, as in Anki. */
	if (n->fields[0][0] == '\0')
		return skip(im, n->line, "empty first field");

	/*
	 * Matching, as Anki's: by GUID when the row has one, else by note
	 * type and first field in the whole collection, so a file imported
	 * again on its own (not in its directory, or under another name)
	 * finds its notes where the first import put them. A row that names
	 * no note type has the one import would give it.
	 */
	if (req_nt == DECKFILE_NT_NAMED) {
		if ((named = named_notetype(im, n, e)) < 0)
			return -1;
		if (named == 0 && n->notetype_from_row)
			return 0;	/* skipped, and said so */
		req_nt = (int)named;
	}
	match_nt = req_nt != DECKFILE_NT_UNSET ? req_nt :
	    cloze_has(n->fields[0]) ? DB_NOTE_CLOZE : DB_NOTE_BASIC;
	if (n->if_matches != DECKFILE_KEEP_BOTH && n->guid != NULL) {
		found = db_import_by_guid(im->dbi, n->guid, &im->found, e);
		if (found > 0)
			ke = touched_entry(im, im->found.id, im->found.notetype,
			    im->found.sort_field.data);
	} else if (n->if_matches != DECKFILE_KEEP_BOTH) {
		int64_t after = 0;

		found = find_touched(im, match_nt, &ke, e);
		if (found > 0 && ke->file == im->nfiles - 1) {
			/*
			 * An earlier row of this file has this first field too.
			 * Anki matches every row against the collection as it
			 * was before the import, so both rows are notes: this
			 * one is the next note with that first field, else a
			 * new one (and a second import finds them in turn).
			 */
			after = ke->note_id;
			found = 0;
			ke = NULL;
		}
		/* Into an empty progress file only notes this import made can
		 * match: no need to ask the file. */
		if (found == 0 && !db_import_was_empty(im->dbi)) {
			found = db_import_by_sort(im->dbi, match_nt,
			    im->sort.data, after, &im->found, e);
			if (found > 0 && after > 0)
				ke = touched_entry(im, im->found.id,
				    im->found.notetype,
				    im->found.sort_field.data);
		}
	}
	if (found < 0)
		return -1;

	nt = req_nt;
	if (found && nt != DECKFILE_NT_UNSET && nt != im->found.notetype) {
		snprintf(why, sizeof why, "the note is %s in the progress file, "
		    "%s here; change its note type there first",
		    type_name(im->found.notetype, n1, sizeof n1),
		    type_name(nt, n2, sizeof n2));
		return skip(im, n->line, why);
	}
	nt = found ? im->found.notetype : match_nt;

	memset(&in, 0, sizeof in);
	in.notetype = nt;
	in.is_html = n->is_html;
	if (found) {
		if (merge_found(im, n))
			in.is_html = 1;
		in.tags = im->tags.data;
	} else {
		join_row(im, n);
		in.tags = n->tags;
	}
	in.fields = im->joined.data;
	in.fields_len = im->joined.len;
	in.sort_field = im->sort.data;
	in.sort_len = im->sort.len;
	if (nt == DB_NOTE_CLOZE && !cloze_has(n->fields[0]))
		return skip(im, n->line, "a cloze note needs a cloze deletion "
		    "such as {{c1::text}} in its first field");
	if (nt == DB_NOTE_CLOZE && cloze_largest(n->fields[0]) >
	    CLOZE_CARDS_MAX) {
		snprintf(why, sizeof why, "cloze number c%lu is above the limit "
		    "of %d (a note has at most %d cards, as in Anki)",
		    cloze_largest(n->fields[0]), CLOZE_CARDS_MAX,
		    CLOZE_CARDS_MAX);
		return skip(im, n->line, why);
	}

	if (found) {
		int same = strcmp(im->found.fields.data, in.fields) == 0 &&
		    strcmp(im->found.tags.data, in.tags) == 0 &&
		    im->found.is_html == in.is_html;
		int64_t id = im->found.id;
		int emptied;

		/* The note stays in its deck, and its cards in theirs. */
		in.deck_id = im->found.deck_id;
		if (ke != NULL) {
			/* This import already read a row for this note. */
			if (ke->file == im->nfiles - 1) {
				snprintf(why, sizeof why, "the same %s as line %u",
				    n->guid != NULL ? "GUID" : "first field",
				    ke->line);
				return skip(im, n->line, why);
			}
			if (!same) {
				snprintf(why, sizeof why, "the same %s as %s:%u, "
				    "with other content; that row was kept",
				    n->guid != NULL ? "GUID" : "first field",
				    im->files[ke->file], ke->line);
				return skip(im, n->line, why);
			}
			im->unchanged++;
			return 0;
		}
		if (same)
			im->unchanged++;
		else if (n->if_matches == DECKFILE_KEEP_CURRENT) {
			return skip(im, n->line, "a note with this first field "
			    "exists and #if matches: says keep current");
		} else {
			if ((emptied = db_import_update(im->dbi, id, &in, im->now,
			    e)) < 0)
				goto fail;
			im->updated++;
			im->emptied += emptied;
		}
		touch(im, id, im->found.notetype, n->line);
		return 0;
	}

	/* A new note, into its deck: see import.h for the order. Decks are
	 * made only for new notes, so a re-import that finds every note makes
	 * none. */
	if (n->deck_from_row)
		deck_name = n->deck;
	else if (im->direct && im->o->deck != NULL)
		deck_name = im->o->deck;
	else if (n->deck != NULL)
		deck_name = n->deck;
	else
		deck_name = im->path_deck;
	if ((deck = deck_get(im, deck_name, e)) == NULL)
		return row_error(im, n->line, e);
	in.deck_id = deck->id;

	/* Its GUID: the file's, else derived (import.h). */
	for (unsigned salt = 0;; salt++) {
		int64_t id;

		if (n->guid != NULL && salt == 0)
			in.guid = n->guid;
		else {
			derive_guid(deck->name, im->sort.data, salt, guid);
			in.guid = guid;
		}
		if ((id = db_import_add(im->dbi, &in, im->now, e)) < 0)
			goto fail;
		if (id > 0) {
			im->added++;
			touch(im, id, nt, n->line);
			return 0;
		}
		if (salt > 1000)
			return err_set(e, im->path, n->line, 0, "cannot find a "
			    "free GUID for this note");
	}
fail:
	return row_error(im, n->line, e);
}

/* ---- files and directories ---------------------------------------------------------- */

static int
has_deck_ext(const char *name, int *md)
{
	const char *dot = strrchr(name, '.');

	*md = 0;
	if (dot == NULL || dot == name)
		return 0;
	if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0) {
		*md = 1;
		return 1;
	}
	return strcasecmp(dot, ".txt") == 0 || strcasecmp(dot, ".tsv") == 0 ||
	    strcasecmp(dot, ".csv") == 0;
}

/* "dir/a/b.tsv" relative "a/b.tsv" -> "a::b" (with prefix "P::" first). */
static char *
deck_from_rel(const char *prefix, const char *rel)
{
	struct buf b;
	const char *dot = strrchr(rel, '.'), *slash = strrchr(rel, '/');
	const char *base = slash != NULL ? slash + 1 : rel;
	size_t end = strlen(rel);

	/* "x.tsv" -> "x", but ".tsv" stays as it is. */
	if (dot != NULL && dot > base)
		end = (size_t)(dot - rel);
	buf_init(&b);
	buf_add(&b, "", 0);
	if (prefix != NULL) {
		buf_adds(&b, prefix);
		buf_adds(&b, "::");
	}
	for (size_t i = 0; i < end; i++) {
		if (rel[i] == '/')
			buf_adds(&b, "::");
		else
			buf_addc(&b, rel[i]);
	}
	return buf_steal(&b);
}

/* A name fit for messages: control characters become '?'. */
static char *
display_name(const char *path)
{
	char *s = xstrdup(path);

	for (char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = '?';
	return s;
}

/* A row deckfile makes no note of (an unknown note type): skipped. */
static int
on_skip(void *arg, const char *path, unsigned line, const char *why,
    struct err *e)
{
	(void)path, (void)e;
	return skip(arg, line, why);
}

/* The summary's line on the separator (issue 20: a guess can be wrong,
 * so the user sees which one was used). */
static void
summary_separator(struct import *im, const char *shown, struct deckfile *df)
{
	static const char *const why[] = {
		[DECKFILE_SEP_HEADER] = "from #separator:",
		[DECKFILE_SEP_GUESSED] = "guessed",
		[DECKFILE_SEP_CORRECTED] = "guessed; Anki's guess would split "
		    "the rows unevenly",
		[DECKFILE_SEP_AMBIGUOUS] = "guessed, ambiguous: name it with "
		    "#separator:",
	};
	enum deckfile_sep_how how;
	char sep = deckfile_separator(df, &how), nb[8];

	if (how == DECKFILE_SEP_NONE)
		return;
	buf_printf(&im->summaries, "%s: separator: %s (%s)", shown,
	    deckfile_separator_name(sep, nb, sizeof nb), why[how]);
	buf_addc(&im->summaries, '\0');
}

static int
import_file(struct import *im, const char *path, const char *path_deck,
    int direct, int md, struct err *e)
{
	struct deckfile_sink sink = { on_note, im, notetype_of };
	struct deckfile *df;
	struct stat st;
	char *buf, *shown;
	ssize_t n;
	int fd, rc = 0;

	shown = display_name(path);
	im->files = xreallocarray(im->files, im->nfiles + 1, sizeof *im->files);
	im->files[im->nfiles++] = shown;
	im->path = shown;
	im->path_deck = path_deck;
	im->direct = direct;
	im->added = im->updated = im->unchanged = im->skipped = 0;
	im->emptied = 0;

	/* O_NONBLOCK: a FIFO swapped in after the caller's stat() must not
	 * make open() wait for a writer; fstat() then decides. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return err_set(e, shown, 0, 0, "cannot read: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, shown, 0, 0, "not a regular file or directory");
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	snprintf(im->what, sizeof im->what, "Importing %s", shown);
	if (progress_begin(im->o->progress, im->what, "bytes",
	    (uint64_t)st.st_size) < 0) {
		close(fd);
		return progress_stopped(e);
	}
	df = deckfile_new(shown, md ? DECKFILE_MARKDOWN : DECKFILE_AUTO, &sink);
	deckfile_set_warn(df, on_warn, im);
	deckfile_set_skip(df, on_skip, im);
	buf = xmalloc(READ_CHUNK);
	for (uint64_t fed = 0;;) {
		n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(e, shown, 0, 0, "cannot read: %s",
			    strerror(errno));
			break;
		}
		if (n == 0) {
			rc = deckfile_finish(df, e);
			break;
		}
		if ((rc = deckfile_feed(df, buf, (size_t)n, e)) < 0)
			break;
		/* A report each chunk (256 KiB, a few thousand notes). */
		fed += (uint64_t)n;
		if (progress_step(im->o->progress, fed) < 0) {
			rc = progress_stopped(e);
			break;
		}
	}
	free(buf);
	if (rc == 0)
		summary_separator(im, shown, df);
	deckfile_free(df);
	close(fd);
	if (rc < 0)
		return -1;
	/* Held back: if a later file fails, nothing was added after all. */
	buf_printf(&im->summaries, "%s: %ld added, %ld updated, %ld unchanged, "
	    "%ld skipped", shown, im->added, im->updated, im->unchanged,
	    im->skipped);
	if (im->emptied > 0)
		buf_printf(&im->summaries, ", %ld card%s now empty", im->emptied,
		    im->emptied == 1 ? "" : "s");
	buf_addc(&im->summaries, '\0');
	return 0;
}

struct visited {
	dev_t	*dev;
	ino_t	*ino;
	size_t	 n;
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk_dir(struct import *im, const char *root_real, const char *dir,
    const char *rel, struct visited *seen, struct import_totals *t,
    struct err *e)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		char *shown = display_name(dir);
		err_set(e, shown, 0, 0, "cannot read the directory: %s",
		    strerror(errno));
		free(shown);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;	/* hidden, and . and .. */
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	/* Sorted, so that reports and "first row wins" do not depend on the
	 * file system's order. */
	if (n > 1)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *full = xasprintf("%s/%s", dir, names[i]);
		char *sub = rel[0] != '\0' ? xasprintf("%s/%s", rel, names[i]) :
		    xstrdup(names[i]);
		struct stat lst, st;
		int md;

		if (lstat(full, &lst) < 0 || stat(full, &st) < 0) {
			report(im, "%s: ignored: %s", full, strerror(errno));
			goto next;
		}
		if (S_ISLNK(lst.st_mode)) {
			char *real = realpath(full, NULL);
			size_t rl = strlen(root_real);
			if (real == NULL || strncmp(real, root_real, rl) != 0 ||
			    (real[rl] != '/' && real[rl] != '\0')) {
				report(im, "%s: ignored: a symbolic link that "
				    "leads out of the directory", full);
				free(real);
				goto next;
			}
			free(real);
		}
		if (S_ISDIR(st.st_mode)) {
			int loop = 0;
			for (size_t k = 0; k < seen->n; k++)
				if (seen->dev[k] == st.st_dev &&
				    seen->ino[k] == st.st_ino)
					loop = 1;
			if (loop) {
				report(im, "%s: ignored: a directory already "
				    "read", full);
				goto next;
			}
			seen->dev = xreallocarray(seen->dev, seen->n + 1,
			    sizeof *seen->dev);
			seen->ino = xreallocarray(seen->ino, seen->n + 1,
			    sizeof *seen->ino);
			seen->dev[seen->n] = st.st_dev;
			seen->ino[seen->n++] = st.st_ino;
			rc = walk_dir(im, root_real, full, sub, seen, t, e);
		} else if (S_ISREG(st.st_mode) && has_deck_ext(names[i], &md)) {
			char *deck = deck_from_rel(im->o->deck, sub);
			rc = import_file(im, full, deck, 0, md, e);
			free(deck);
			t->added += im->added;
			t->updated += im->updated;
			t->unchanged += im->unchanged;
			t->skipped += im->skipped;
			t->emptied += im->emptied;
		} else
			report(im, "%s: ignored: not a .txt, .tsv, .csv or .md "
			    "file", full);
next:
		free(full);
		free(sub);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* An Anki package named on the command line (apkg-import.h), in the
 * same transaction; its media wait in their stage for the commit. */
static int
import_package(struct import *im, const char *path, struct import_totals *t,
    struct err *e)
{
	struct apkg_import_totals pt;
	struct apkg_media_stage *stage = NULL;
	char *shown = display_name(path);
	int rc;

	im->files = xreallocarray(im->files, im->nfiles + 1, sizeof *im->files);
	im->files[im->nfiles++] = shown;
	/* A text file's deferred cards (db_import_finish) are written
	 * first: the bulk statement would take a package's notes for its
	 * own. */
	if (!im->o->dry_run && db_import_finish(im->dbi, im->now, e) < 0)
		return -1;
	memset(&pt, 0, sizeof pt);
	rc = apkg_import(im->db, path, shown, im->o, im->now, &pt, &stage, e);
	if (rc < 0)
		return -1;
	if (stage != NULL) {
		VEC_RESERVE(im->stages, im->capstages, im->nstages + 1, 4);
		im->stages[im->nstages++] = stage;
	}
	apkg_import_summary(shown, &pt, &im->summaries);
	buf_addc(&im->summaries, '\0');
	t->added += pt.notes.added;
	t->updated += pt.notes.updated;
	t->unchanged += pt.notes.unchanged;
	t->skipped += pt.notes.skipped;
	return 0;
}

static int
import_one(struct import *im, const char *path, struct import_totals *t,
    struct err *e)
{
	struct stat st;
	int rc, md;

	if (stat(path, &st) < 0) {
		char *shown = display_name(path);
		err_set(e, shown, 0, 0, "cannot read: %s", strerror(errno));
		free(shown);
		return -1;
	}
	/* A FIFO, a device or a socket would block or never end. */
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		char *shown = display_name(path);
		err_set(e, shown, 0, 0, "not a regular file or directory (a FIFO, "
		    "device or socket is not read)");
		free(shown);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct visited seen = { NULL, NULL, 0 };
		char *real = realpath(path, NULL);
		char *clean = xstrdup(path);
		size_t len = strlen(clean);

		/* "decks/" and "decks" read the same. */
		while (len > 1 && clean[len - 1] == '/')
			clean[--len] = '\0';
		if (real == NULL) {
			free(clean);
			return err_set(e, path, 0, 0, "cannot read: %s",
			    strerror(errno));
		}
		seen.dev = xmalloc(sizeof *seen.dev);
		seen.ino = xmalloc(sizeof *seen.ino);
		seen.dev[0] = st.st_dev;
		seen.ino[0] = st.st_ino;
		seen.n = 1;
		{
			size_t files = im->nfiles;
			rc = walk_dir(im, real, clean, "", &seen, t, e);
			if (rc == 0 && im->nfiles == files)
				report(im, "%s: no .txt, .tsv, .csv or .md files",
				    clean);
		}
		free(seen.dev);
		free(seen.ino);
		free(real);
		free(clean);
		return rc;
	}
	if (apkg_import_is_package(path))
		return import_package(im, path, t, e);
	{
		const char *base = strrchr(path, '/');
		char *deck;

		base = base != NULL ? base + 1 : path;
		has_deck_ext(base, &md);
		deck = deck_from_rel(NULL, base);
		rc = import_file(im, path, deck, 1, md, e);
		free(deck);
	}
	t->added += im->added;
	t->updated += im->updated;
	t->unchanged += im->unchanged;
	t->skipped += im->skipped;
	t->emptied += im->emptied;
	return rc;
}

int
import_paths(struct db *db, const char *const *paths, size_t npaths,
    const struct import_opts *o, time_t now, struct import_totals *t,
    struct err *e)
{
	struct import im;
	int rc = 0, checks_off, packages = 0;

	struct hashtab keys = HASHTAB_INIT(sizeof(struct key_entry), 1024);

	memset(t, 0, sizeof *t);
	memset(&im, 0, sizeof im);
	im.db = db;
	im.o = o;
	im.now = now;
	im.keys = keys;
	im.deck_index = keys;
	checks_off = !o->dry_run && db_import_checks_off(db);
	for (size_t i = 0; i < npaths && !packages; i++)
		packages = apkg_import_is_package(paths[i]);
	if ((packages && db_pkgimport_tx_prepare(db, e) < 0) ||
	    db_begin(db, e) < 0) {
		if (checks_off)
			db_import_checks_on(db);
		if (packages)
			db_pkgimport_tx_done(db);
		return -1;
	}
	if ((im.dbi = db_import_new(db, 1, e)) == NULL) {
		db_rollback(db);
		if (checks_off)
			db_import_checks_on(db);
		if (packages)
			db_pkgimport_tx_done(db);
		return -1;
	}
	for (size_t i = 0; i < npaths && rc == 0; i++)
		rc = import_one(&im, paths[i], t, e);
	if (rc == 0 && !o->dry_run)
		rc = db_import_finish(im.dbi, now, e);

	db_import_free(im.dbi);
	if (rc < 0 || o->dry_run)
		db_rollback(db);
	else
		rc = db_commit(db, e);
	/* The packages' media into place once the notes naming them are
	 * in; removed when nothing was. */
	for (size_t i = 0; i < im.nstages; i++)
		if (rc == 0 && !o->dry_run)
			rc = apkg_media_stage_commit(im.stages[i], e);
		else
			apkg_media_stage_abort(im.stages[i]);
	free(im.stages);
	if (checks_off)
		db_import_checks_on(db);
	if (packages)
		db_pkgimport_tx_done(db);
	if (rc < 0)
		memset(t, 0, sizeof *t);
	else
		for (size_t i = 0; i < im.summaries.len;
		    i += strlen(im.summaries.data + i) + 1)
			report(&im, "%s", im.summaries.data + i);
	db_settle(db);

	hashtab_free(&im.keys);
	hashtab_free(&im.deck_index);
	for (size_t i = 0; i < im.ndecks; i++)
		free(im.decks[i].name);
	free(im.decks);
	for (size_t i = 0; i < im.nfiles; i++)
		free(im.files[i]);
	free(im.files);
	buf_free(&im.joined);
	buf_free(&im.sort);
	buf_free(&im.line);
	buf_free(&im.guid);
	buf_free(&im.tags);
	buf_free(&im.summaries);
	free(im.nt_name);
	free(im.fo_name);
	if (im.fo_found)
		notetype_free(&im.fo_type);
	db_note_found_free(&im.found);
	return rc;
}
