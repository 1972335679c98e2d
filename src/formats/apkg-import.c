/*
 * apkg-import.c - an Anki package into the progress file (apkg-import.h).
 *
 * The package is read in Anki's order (rslib/src/import_export/package/
 * apkg/import/mod.rs): media checked, then note types, presets and decks
 * (few, held), then notes, cards and the review log streamed row by row
 * through prepared statements. What is held per row is an id map: Anki's
 * note id -> lemma's, Anki's card id -> lemma's (the review log and the
 * replay need them), and for a card that needs its memory state replayed
 * its scheduling until its log has gone by.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/hashtab.h"
#include "lemma/base/nfc.h"
#include "lemma/base/paths.h"
#include "lemma/base/sha1.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/anki-sched.h"
#include "lemma/formats/apkg-import.h"
#include "lemma/formats/apkg.h"
#include "lemma/model/template.h"
#include "lemma/store/ankicol.h"
#include "lemma/store/db-decks.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/store/db-pkgimport.h"
#include "lemma/store/deckconf.h"

/* ---- the media stage -------------------------------------------------------- */

struct staged {
	char	*file;		/* its name in the stage */
	char	*final;		/* its name in the media folder */
};

struct apkg_media_stage {
	char		*dir;		/* the hidden folder */
	char		*media;		/* the media folder */
	struct staged	*files;
	size_t		 n, cap;
};

/* One media entry of the package, as the import sees it. */
struct media_entry {
	char	*name;		/* NFC, as the notes will name it */
	char	*orig;		/* the name the notes of the package use */
	char	*final;		/* NULL: unchanged (there already) */
};

struct nt_map {
	int64_t		 anki_id, id;	/* Anki's, lemma's */
	unsigned	 sort_field;	/* the browser's column (notes.sort_text) */
};

struct preset_map {
	int64_t			 anki_id, id;
	struct anki_sched_steps	 steps;
	struct fsrs_params	 params;
};

struct deck_map {
	int64_t		 anki_id;
	char		*name;		/* "::"-joined */
	int		 filtered;
	int64_t		 conf;		/* Anki's preset id */
	int64_t		 id;		/* lemma's, 0 until made */
};

/* A card whose memory state or last review its log decides
 * (anki_sched_stream_finish), until the log has gone by. */
struct pending {
	struct anki_sched_card	 sc;
	int64_t			 id;		/* lemma's */
	int64_t			 anki_id;
	size_t			 preset;
	int			 done;
};

/* A card added, for its review log (value of the card map). */
struct card_entry {
	int64_t		 id;		/* lemma's */
	size_t		 preset;	/* index into presets */
	long		 pending;	/* index into pending + 1; 0: none */
};

struct pkgimport {
	struct db		*db;
	struct db_pkgimport	*dbp;
	const struct import_opts *o;
	const char		*shown;
	time_t			 now;
	struct apkg		*pkg;
	struct ankicol		*col;
	const char		*member;	/* the collection's */
	struct apkg_import_totals *t;
	struct anki_sched_ctx	 ctx;
	struct fsrs_params	 default_params;	/* no preset at all */

	struct nt_map		*nts;
	size_t			 nnts, capnts;
	struct preset_map	*presets;
	size_t			 npresets, cappresets;
	struct deck_map		*decks;
	size_t			 ndecks, capdecks;
	struct hashtab		 deck_index;	/* anki did -> decks index */
	struct hashtab		 notes;		/* anki nid -> lemma nid */
	struct hashtab		 cards;		/* anki cid -> card_entry */
	struct pending		*pending;	/* cards awaiting their log */
	size_t			 npending, cappending;
	struct media_entry	*media;
	size_t			 nmedia;
	int			 renamed;	/* some media renamed */
	int64_t			 placeholder_deck;
	int64_t			 position_base;
	uint64_t		 done;		/* rows, for progress */

	/* The card whose log is streaming. */
	int64_t			 log_cid;
	struct card_entry	*log_card;
	struct anki_sched_stream stream;

	struct buf		 fields, sort, sort_text, line;
};

/* ---- reporting ----------------------------------------------------------------- */

static void
report(struct pkgimport *im, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
report(struct pkgimport *im, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_vreport(im->o, &im->line, fmt, ap);
	va_end(ap);
}

/* An error of the collection member: "deck.apkg: collection.anki21b: ..." */
static int
member_err(struct pkgimport *im, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
member_err(struct pkgimport *im, struct err *e, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof e->msg];
	char path[sizeof e->path];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(path, sizeof path, "%s: %s", im->shown, im->member);
	return err_set(e, path, 0, 0, "%s", msg);
}

static int
step(struct pkgimport *im, struct err *e)
{
	if (progress_step(im->o->progress, ++im->done) < 0)
		return progress_stopped(e);
	return 0;
}

/* ---- detection ------------------------------------------------------------------- */

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int
apkg_import_is_package(const char *path)
{
	unsigned char magic[4];
	ssize_t n;
	int fd;

	if (ends_with(path, ".apkg") || ends_with(path, ".colpkg"))
		return 1;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, magic, sizeof magic);
	close(fd);
	/* A zip's local file header; no text file starts with it. */
	return n == 4 && memcmp(magic, "PK\003\004", 4) == 0;
}

/* ---- media ------------------------------------------------------------------------ */

static int
sha1_file(const char *path, uint8_t out[SHA1_LEN])
{
	struct sha1 s;
	char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	sha1_init(&s);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sha1_update(&s, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return -1;
	sha1_final(&s, out);
	return 0;
}

/* Anki's add_hash_suffix_to_file_stem: "stem-<sha1 hex>.ext". */
static char *
hash_suffixed(const char *name, const uint8_t sha[SHA1_LEN])
{
	char hex[2 * SHA1_LEN + 1];
	const char *dot = strrchr(name, '.');

	sha1_hex(sha, hex);
	if (dot == NULL || dot == name)
		return xasprintf("%s-%s", name, hex);
	return xasprintf("%.*s-%s%s", (int)(dot - name), name, hex, dot);
}

static void
stage_free(struct apkg_media_stage *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].file);
		free(s->files[i].final);
	}
	free(s->files);
	free(s->dir);
	free(s->media);
	free(s);
}

void
apkg_media_stage_abort(struct apkg_media_stage *s)
{
	DIR *d;
	struct dirent *de;

	if (s == NULL)
		return;
	/* Everything in the stage is ours: remove it all, then the folder. */
	if ((d = opendir(s->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			char *p;

			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", s->dir, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(s->dir);
	stage_free(s);
}

int
apkg_media_stage_commit(struct apkg_media_stage *s, struct err *e)
{
	int rc = 0;

	if (s == NULL)
		return 0;
	if (s->n > 0 && mkdir(s->media, 0755) < 0 && errno != EEXIST) {
		err_set(e, s->media, 0, 0, "cannot create the media folder: %s",
		    strerror(errno));
		apkg_media_stage_abort(s);
		return -1;
	}
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		char *from = xasprintf("%s/%s", s->dir, s->files[i].file);
		char *to = xasprintf("%s/%s", s->media, s->files[i].final);

		if (rename(from, to) < 0)
			rc = err_set(e, to, 0, 0, "cannot move the media file "
			    "into place: %s", strerror(errno));
		free(from);
		free(to);
	}
	apkg_media_stage_abort(s);
	return rc;
}

static void
stage_add(struct apkg_media_stage *s, const char *file, const char *final)
{
	VEC_RESERVE(s->files, s->cap, s->n + 1, 16);
	s->files[s->n].file = xstrdup(file);
	s->files[s->n].final = xstrdup(final);
	s->n++;
}

/*
 * Decide where staged file (the package's name orig, NFC name me->name)
 * goes, as Anki's prepare_media: not there -> added under its name; there
 * with the same content, or a static file ("_x.css", "latex-...", which
 * decks share) -> unchanged; there with other content -> "name-SHA1.ext"
 * (unchanged when that is there too: an earlier import of it).
 */
static void
place_media(struct pkgimport *im, struct apkg_media_stage *s,
    struct media_entry *me)
{
	uint8_t have[SHA1_LEN], got[SHA1_LEN];
	char *staged = xasprintf("%s/%s", s->dir, me->orig);
	char *there = xasprintf("%s/%s", s->media, me->name);
	int is_static = me->name[0] == '_' ||
	    strncmp(me->name, "latex-", 6) == 0;

	if (access(there, F_OK) != 0) {
		me->final = xstrdup(me->name);
		stage_add(s, me->orig, me->name);
		im->t->media.added++;
	} else if (is_static || (sha1_file(there, have) == 0 &&
	    sha1_file(staged, got) == 0 && memcmp(have, got, SHA1_LEN) == 0)) {
		me->final = xstrdup(me->name);
		im->t->media.unchanged++;
		unlink(staged);
	} else {
		char *alt_there;

		me->final = hash_suffixed(me->name, got);
		alt_there = xasprintf("%s/%s", s->media, me->final);
		report(im, "%s: media: '%s' is there with other content; "
		    "imported as '%s'", im->shown, me->name, me->final);
		if (access(alt_there, F_OK) == 0) {
			im->t->media.unchanged++;
			unlink(staged);
		} else {
			stage_add(s, me->orig, me->final);
			im->t->media.added++;
		}
		free(alt_there);
	}
	if (strcmp(me->final, me->orig) != 0)
		im->renamed = 1;
	free(staged);
	free(there);
}

/* Check every media file (nothing written), then put each one into the
 * stage and decide its final name. */
static int
stage_media(struct pkgimport *im, struct apkg_media_stage **out,
    struct err *e)
{
	size_t n = apkg_media_count(im->pkg);
	struct apkg_media_stage *s;
	char media[4096], *parent;
	struct buf nfc;

	*out = NULL;
	if (n == 0)
		return 0;
	if (progress_begin(im->o->progress, "Checking media", "files", n) < 0)
		return progress_stopped(e);
	for (size_t i = 0; i < n; i++) {
		if (apkg_verify_media(im->pkg, i, e) < 0)
			return -1;
		if (progress_step(im->o->progress, i + 1) < 0)
			return progress_stopped(e);
	}
	if (paths_media_dir(media, sizeof media, e) < 0 ||
	    paths_mkdir_parents(media, 0755, e) < 0)
		return -1;
	/* The stage is beside the media folder, on its file system, so
	 * that the commit is a rename. */
	parent = xstrdup(media);
	*strrchr(parent, '/') = '\0';
	s = xcalloc(1, sizeof *s);
	s->media = xstrdup(media);
	s->dir = xasprintf("%s/.media-import-XXXXXX", parent);
	free(parent);
	if (mkdtemp(s->dir) == NULL) {
		err_set(e, s->dir, 0, 0, "cannot create a folder for the "
		    "media: %s", strerror(errno));
		stage_free(s);
		return -1;
	}
	*out = s;
	im->media = xcalloc(n, sizeof *im->media);
	im->nmedia = n;
	buf_init(&nfc);
	for (size_t i = 0; i < n; i++) {
		const struct apkg_media *m = apkg_media_at(im->pkg, i);
		struct media_entry *me = &im->media[i];

		buf_reset(&nfc);
		nfc_append(&nfc, m->name, strlen(m->name));
		buf_add(&nfc, "", 0);
		me->orig = xstrdup(m->name);
		me->name = xstrdup(nfc.data);
		if (apkg_extract_media(im->pkg, i, s->dir, e) < 0) {
			buf_free(&nfc);
			return -1;
		}
		place_media(im, s, me);
	}
	buf_free(&nfc);
	return 0;
}

/*
 * The package's media names in a field as the media folder has them:
 * src="x" (quoted or not) and [sound:x], as Anki's replace_media_refs.
 * Only when some name changed (renamed, or made NFC).
 */
static void
munge_media(struct pkgimport *im, const char *field, struct buf *out)
{
	const char *p = field;

	while (*p != '\0') {
		size_t best = 0;
		const struct media_entry *hit = NULL;

		for (size_t i = 0; i < im->nmedia; i++) {
			const struct media_entry *me = &im->media[i];
			size_t n = strlen(me->orig);

			if (strcmp(me->orig, me->final) == 0 || n <= best)
				continue;
			if (strncmp(p, me->orig, n) != 0)
				continue;
			/* A name, not a part of one: after src=, a quote or
			 * "[sound:", and before a quote, space, > or ]. */
			if (p > field && (p[-1] == '"' || p[-1] == '\'' ||
			    p[-1] == '=' || p[-1] == ':') &&
			    strchr("\"' >]", p[n]) != NULL) {
				best = n;
				hit = me;
			}
		}
		if (hit != NULL) {
			buf_adds(out, hit->final);
			p += best;
		} else
			buf_add(out, p++, 1);
	}
}

/* ---- note types --------------------------------------------------------------- */

static int
same_names(const struct notetype *a, const struct notetype *b)
{
	if (a->kind != b->kind || a->nfields != b->nfields ||
	    a->ntemplates != b->ntemplates)
		return 0;
	for (size_t i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i], b->fields[i]) != 0)
			return 0;
	for (size_t i = 0; i < a->ntemplates; i++)
		if (strcmp(a->templates[i].name, b->templates[i].name) != 0)
			return 0;
	return 1;
}

static int
same_texts(const struct notetype *a, const struct notetype *b)
{
	for (size_t i = 0; i < a->ntemplates; i++)
		if (strcmp(a->templates[i].qfmt, b->templates[i].qfmt) != 0 ||
		    strcmp(a->templates[i].afmt, b->templates[i].afmt) != 0)
			return 0;
	return 1;
}

/* The lemma type an incoming type is, into *id: an earlier import's
 * (same id, or a copy made from it) of the same fields and templates;
 * else a built-in one that is exactly it, name included. 1 found, 0
 * none, -1 error.
 * *update: the texts changed and the incoming type is newer (Anki's
 * update of the same schema). */
static int
find_notetype(struct pkgimport *im, const struct notetype *nt, int64_t *id,
    int *update, struct err *e)
{
	int64_t ids[16];
	int n;

	*update = 0;
	if ((n = db_pkgimport_notetypes_from(im->dbp, nt->id, ids, 16, e)) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct notetype have;
		int same, texts;

		if (db_notetype_get(im->db, ids[i], &have, e) < 0)
			return -1;
		same = same_names(&have, nt);
		texts = same && same_texts(&have, nt);
		*update = same && !texts && nt->mtime > have.mtime &&
		    ids[i] >= NOTETYPE_BUILTIN;
		notetype_free(&have);
		if (same) {
			*id = ids[i];
			return 1;
		}
	}
	for (int64_t b = 0; b < NOTETYPE_BUILTIN; b++) {
		struct notetype have;
		int same;

		if (db_notetype_get(im->db, b, &have, e) < 0)
			return -1;
		/* Its name too: a type called otherwise keeps its name,
		 * and stays apart for a later package that changes it. */
		same = strcmp(have.name, nt->name) == 0 &&
		    same_names(&have, nt) && same_texts(&have, nt);
		notetype_free(&have);
		if (same) {
			*id = b;
			return 1;
		}
	}
	return 0;
}

static int
on_notetype(void *arg, const struct notetype *in, struct err *e)
{
	struct pkgimport *im = arg;
	struct nt_map *m;
	struct notetype nt = *in;
	char msg[256];
	int64_t id = 0;
	int found, update, rc;

	/* Only the types of the notes that come in, as Anki's importer
	 * (gather.rs): an older package carries every type of its
	 * collection, and each unused one that differs from a type here
	 * would become a copy ("Cloze+") that nothing uses. */
	if ((rc = ankicol_notetype_used(im->col, in->id, e)) <= 0)
		return rc;
	/* A template lemma cannot render refuses the package, naming the
	 * type: nothing of it is imported. */
	for (size_t i = 0; i < in->ntemplates; i++)
		if (template_check(in->templates[i].qfmt, msg, sizeof msg) < 0 ||
		    template_check(in->templates[i].afmt, msg, sizeof msg) < 0)
			return member_err(im, e, "note type '%s', template '%s': "
			    "%s", in->name, in->templates[i].name, msg);
	if (in->nfields == 0 || in->ntemplates == 0)
		return member_err(im, e, "note type '%s' has no %s", in->name,
		    in->nfields == 0 ? "field" : "card template");
	if ((found = find_notetype(im, in, &id, &update, e)) < 0)
		return -1;
	if (update && db_pkgimport_notetype_update(im->dbp, id, in, e) < 0)
		return -1;
	if (!found) {
		/* A new type, remembering Anki's id; the name made unique
		 * as Anki's. */
		char *name = xstrdup(in->name);

		if ((id = db_pkgimport_notetype_next_id(im->dbp, e)) < 0) {
			free(name);
			return -1;
		}
		while ((rc = db_pkgimport_notetype_name_taken(im->dbp, name,
		    e)) == 1) {
			char *more = xasprintf("%s+", name);

			free(name);
			name = more;
		}
		nt.name = name;
		if (rc == 0 && strcmp(name, in->name) != 0)
			report(im, "%s: note type '%s' differs from the one of "
			    "that name here; imported as '%s'", im->shown,
			    in->name, name);
		rc = rc < 0 ? -1 :
		    db_pkgimport_notetype_add(im->dbp, &nt, id, in->id, e);
		free(name);
		if (rc < 0)
			return -1;
	}
	VEC_RESERVE(im->nts, im->capnts, im->nnts + 1, 8);
	m = &im->nts[im->nnts++];
	m->anki_id = in->id;
	m->id = id;
	m->sort_field = in->sort_field;
	return 0;
}

static const struct nt_map *
nt_lookup(const struct pkgimport *im, int64_t anki_id)
{
	for (size_t i = 0; i < im->nnts; i++)
		if (im->nts[i].anki_id == anki_id)
			return &im->nts[i];
	return NULL;
}

/* ---- presets ------------------------------------------------------------------------ */

/* Anki's steps (minutes) as lemma's step text ("1m 10m 1d"). */
static void
steps_text(const float *steps, size_t n, char *out, size_t len)
{
	size_t off = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++) {
		double m = steps[i];
		const char *sep = i > 0 ? " " : "";
		int w;

		if (m >= 1440 && (long)m % 1440 == 0 && m == (long)m)
			w = snprintf(out + off, len - off, "%s%ldd", sep,
			    (long)m / 1440);
		else if (m >= 60 && (long)m % 60 == 0 && m == (long)m)
			w = snprintf(out + off, len - off, "%s%ldh", sep,
			    (long)m / 60);
		else if (m == (long)m)
			w = snprintf(out + off, len - off, "%s%ldm", sep,
			    (long)m);
		else
			w = snprintf(out + off, len - off, "%s%lds", sep,
			    (long)(m * 60 + 0.5));
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

static int
clampi(long v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : (int)v;
}

/* Anki's preset as lemma's, every option lemma has; params gets the FSRS
 * parameters for the replay. A value out of lemma's range is brought
 * into it (Anki's own limits are wider in places). */
static void
convert_preset(struct pkgimport *im, const struct anki_deckconf *in,
    struct deckconf *c, struct fsrs_params *params)
{
	struct err why;

	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", in->name);
	c->desired_retention = in->desired_retention > 0 ?
	    in->desired_retention : 0.9;
	if (c->desired_retention < 0.70)
		c->desired_retention = 0.70;
	if (c->desired_retention > 0.99)
		c->desired_retention = 0.99;
	/* Rounded as Anki shows it (0.85f is 0.8500000238...). */
	c->desired_retention = (double)(long)(c->desired_retention * 1000 +
	    0.5) / 1000;
	steps_text(in->learn_steps, in->nlearn_steps, c->learning_steps,
	    sizeof c->learning_steps);
	steps_text(in->relearn_steps, in->nrelearn_steps, c->relearning_steps,
	    sizeof c->relearning_steps);
	c->min_interval = in->min_lapse_ivl > 0 ? clampi((int)in->min_lapse_ivl,
	    1, 36500) : 1;
	c->max_interval = clampi(in->max_ivl > 0 ? in->max_ivl : 36500, 1,
	    36500);
	c->new_per_day = clampi(in->new_per_day, 0, 9999);
	c->reviews_per_day = clampi(in->reviews_per_day, 0, 9999);
	c->leech_threshold = clampi(in->leech_threshold > 0 ?
	    in->leech_threshold : 8, 1, 9999);
	c->leech_action = in->leech_action != 0;
	c->bury_new = in->bury_new != 0;
	c->bury_reviews = in->bury_reviews != 0;
	c->bury_interday = in->bury_interday != 0;
	/* Anki numbers the gather orders in another sequence. */
	c->new_gather_order = anki_sched_gather_in(in->new_gather_priority);
	c->new_sort_order = clampi(in->new_sort_order, 0, DC_SORT_RANDOM);
	c->review_order = clampi(in->review_order, 0, DC_REV_R_DESC);
	c->new_mix = clampi(in->new_mix, 0, DC_MIX_BEFORE_REVIEWS);
	c->interday_mix = clampi(in->interday_mix, 0, DC_MIX_BEFORE_REVIEWS);
	fsrs_params_default(params);
	err_clear(&why);
	if (in->nparams > 0) {
		double w[FSRS_NPARAMS + 4];
		size_t n = in->nparams < FSRS_NPARAMS + 4 ? in->nparams :
		    FSRS_NPARAMS + 4;

		for (size_t i = 0; i < n; i++)
			w[i] = in->params[i];
		/* FSRS-5's 19 and FSRS-4.5's 17 are migrated as fsrs-rs. */
		if (fsrs_params_set_weights(params, w, n, &why) == 0) {
			size_t off = 0;

			for (size_t i = 0; i < FSRS_NPARAMS; i++)
				off += (size_t)snprintf(c->fsrs_params + off,
				    sizeof c->fsrs_params - off, "%s%.4f",
				    i > 0 ? ", " : "", params->w[i]);
		} else
			report(im, "%s: preset '%s': FSRS parameters not "
			    "taken (%s); the defaults apply", im->shown,
			    in->name, why.msg);
	}
	fsrs_params_set_retention(params, c->desired_retention, &why);
	fsrs_steps_parse(c->learning_steps, params->learn_steps,
	    &params->nlearn, &why);
	fsrs_steps_parse(c->relearning_steps, params->relearn_steps,
	    &params->nrelearn, &why);
	params->max_interval = c->max_interval;
	params->rollover_hour = im->ctx.rollover_hour;
	fsrs_params_prepare(params);
}

static int
on_preset(void *arg, const struct anki_deckconf *in, struct err *e)
{
	struct pkgimport *im = arg;
	struct preset_map *m;
	struct deckconf c;
	struct err why;
	int64_t id = in->id;
	int rc;

	VEC_RESERVE(im->presets, im->cappresets, im->npresets + 1, 8);
	m = &im->presets[im->npresets];
	convert_preset(im, in, &c, &m->params);
	m->anki_id = in->id;
	m->steps.nlearn = (int)in->nlearn_steps;
	m->steps.nrelearn = (int)in->nrelearn_steps;
	/* Anki's add_deck_config_if_unique: a preset of that id here
	 * already stays as it is. */
	if ((rc = db_pkgimport_preset_exists(im->dbp, id, e)) < 0)
		return -1;
	if (rc == 0) {
		int64_t other;

		while ((other = deckconf_find(im->db, c.name, e)) > 0) {
			size_t n = strlen(c.name);

			if (n + 1 >= sizeof c.name)
				return member_err(im, e, "preset '%s': no "
				    "free name for it", in->name);
			c.name[n] = '+';
			c.name[n + 1] = '\0';
		}
		if (other < 0)
			return -1;
		err_clear(&why);
		if (deckconf_check(&c, &why) < 0) {
			report(im, "%s: preset '%s' not imported (%s); its "
			    "decks use Default", im->shown, in->name, why.msg);
			id = 1;
		} else if (db_pkgimport_preset_add(im->dbp, id, &c, e) < 0)
			return -1;
	}
	m->id = id;
	im->npresets++;
	return 0;
}

/* The preset of Anki's preset id (Default's when it is not there). */
static size_t
preset_index(const struct pkgimport *im, int64_t anki_id)
{
	size_t def = 0;

	for (size_t i = 0; i < im->npresets; i++) {
		if (im->presets[i].anki_id == anki_id)
			return i;
		if (im->presets[i].anki_id == 1)
			def = i;
	}
	return def;
}

/* The FSRS parameters of preset index i (the defaults for a package
 * without presets). */
static const struct fsrs_params *
params_of(const struct pkgimport *im, size_t i)
{
	return i < im->npresets ? &im->presets[i].params : &im->default_params;
}

/* ---- decks ------------------------------------------------------------------------ */

static int
on_deck(void *arg, const struct anki_deck *in, struct err *e)
{
	struct pkgimport *im = arg;
	struct deck_map *d;
	size_t *slot;
	struct buf name;

	(void)e;
	buf_init(&name);
	/* Schema 18 joins a deck's parts with \x1f. */
	for (const char *p = in->name; *p != '\0'; p++)
		if (*p == '\x1f')
			buf_adds(&name, "::");
		else
			buf_add(&name, p, 1);
	buf_add(&name, "", 0);
	VEC_RESERVE(im->decks, im->capdecks, im->ndecks + 1, 8);
	d = &im->decks[im->ndecks];
	d->anki_id = in->id;
	d->name = buf_steal(&name);
	d->filtered = in->filtered;
	d->conf = in->conf_id;
	d->id = 0;
	slot = hashtab_add(&im->deck_index, (uint64_t)in->id);
	*slot = im->ndecks++;
	return 0;
}

/* Lemma's deck for Anki's deck index i, made (with its preset) the first
 * time; decks by name as Anki's: an existing one keeps its preset unless
 * the package gives it one other than Default. */
static int64_t
deck_make(struct pkgimport *im, size_t i, struct err *e)
{
	struct deck_map *d = &im->decks[i];
	struct err why;
	int64_t found, preset;

	if (d->id != 0)
		return d->id;
	err_clear(&why);
	if ((found = db_deck_find(im->db, d->name, &why)) < 0)
		found = 0;
	if ((d->id = db_deck_ensure(im->db, d->name, im->now, e)) < 0) {
		char msg[sizeof e->msg];

		snprintf(msg, sizeof msg, "%s", e->msg);
		d->id = 0;
		return member_err(im, e, "deck '%s': %s", d->name, msg);
	}
	preset = im->presets != NULL ?
	    im->presets[preset_index(im, d->conf)].id : 1;
	if ((found == 0 || d->conf != 1) && preset != 1 &&
	    db_pkgimport_deck_set_preset(im->dbp, d->id, preset, e) < 0)
		return -1;
	return d->id;
}

static long
deck_index(const struct pkgimport *im, int64_t anki_id)
{
	size_t pos = HASHTAB_START;
	size_t *slot = hashtab_next(&im->deck_index, (uint64_t)anki_id, &pos);

	return slot != NULL ? (long)*slot : -1;
}

/* Lemma's deck for a card in Anki's deck did: its deck, made as needed;
 * a deck the package does not have is Default, as Anki's. */
static int64_t
card_deck(struct pkgimport *im, int64_t did, struct err *e)
{
	long i = deck_index(im, did);

	if (i < 0 || im->decks[i].filtered) {
		if ((i = deck_index(im, 1)) < 0)
			return db_deck_ensure(im->db, "Default", im->now, e);
	}
	return deck_make(im, (size_t)i, e);
}

/* ---- notes ----------------------------------------------------------------------- */

static int
on_note(void *arg, const struct anki_note *n, struct err *e)
{
	struct pkgimport *im = arg;
	const struct nt_map *nt = nt_lookup(im, n->mid);
	struct db_pkg_note in;
	int64_t id, have_nt, have_mtime, *slot;
	int rc, update;

	if (step(im, e) < 0)
		return -1;
	if (nt == NULL)
		return member_err(im, e, "note %" PRId64 ": note type %" PRId64
		    " is not in the package", n->id, n->mid);
	buf_reset(&im->fields);
	for (size_t i = 0; i < n->nfields; i++) {
		if (i > 0)
			buf_add(&im->fields, "\x1f", 1);
		if (im->renamed)
			munge_media(im, n->fields[i], &im->fields);
		else
			buf_adds(&im->fields, n->fields[i]);
	}
	buf_add(&im->fields, "", 0);
	buf_reset(&im->sort);
	db_note_sort_field(n->nfields > 0 ? n->fields[0] : "",
	    n->nfields > 0 ? strlen(n->fields[0]) : 0, 1, &im->sort);
	buf_add(&im->sort, "", 0);
	memset(&in, 0, sizeof in);
	/* The browser shows and sorts by the type's sort field; a note
	 * keeps it apart when it is not the first (db-notes.h). */
	if (nt->sort_field > 0 && nt->sort_field < n->nfields) {
		const char *f = n->fields[nt->sort_field];

		buf_reset(&im->sort_text);
		db_note_sort_field(f, strlen(f), 1, &im->sort_text);
		buf_add(&im->sort_text, "", 0);
		in.sort_text = im->sort_text.data;
	}
	in.id = n->id;
	in.guid = n->guid;
	in.notetype = nt->id;
	in.deck_id = im->placeholder_deck;
	in.fields = im->fields.data;
	in.sort_field = im->sort.data;
	in.tags = n->tags;
	in.mtime = n->mod;
	in.created = n->id / 1000;

	if ((rc = db_pkgimport_note_by_guid(im->dbp, n->guid, &id, &have_nt,
	    &have_mtime, e)) < 0)
		return -1;
	if (rc == 0) {
		if ((id = db_pkgimport_note_add(im->dbp, &in, e)) < 0)
			return -1;
		im->t->notes.added++;
	} else if (have_nt != nt->id) {
		/* Anki's log_conflicting: the note here is of another type
		 * (or the incoming type changed): left alone, its cards too. */
		im->t->notes.skipped++;
		return 0;
	} else {
		switch (im->o->update) {
		case IMPORT_UPDATE_ALWAYS:
			update = have_mtime != n->mod;
			break;
		case IMPORT_UPDATE_NEVER:
			update = 0;
			break;
		default:
			update = have_mtime < n->mod;
		}
		if (update) {
			const char *f, *tags;

			if (db_pkgimport_note_text(im->dbp, id, &f, &tags,
			    e) < 0)
				return -1;
			update = strcmp(f, in.fields) != 0 ||
			    strcmp(tags, in.tags) != 0;
		}
		if (update && db_pkgimport_note_update(im->dbp, id, &in, e) < 0)
			return -1;
		if (update)
			im->t->notes.updated++;
		else
			im->t->notes.unchanged++;
	}
	slot = hashtab_add(&im->notes, (uint64_t)n->id);
	*slot = id;
	return 0;
}

/* ---- cards ---------------------------------------------------------------------- */

static int
on_card(void *arg, const struct anki_card *c, struct err *e)
{
	struct pkgimport *im = arg;
	struct anki_sched_card sc;
	struct db_pkg_card out;
	struct card_entry *ce;
	size_t pos = HASHTAB_START, preset;
	int64_t *nid, home, deck_conf = 1;
	long di;
	int rc;

	if (step(im, e) < 0)
		return -1;
	if ((nid = hashtab_next(&im->notes, (uint64_t)c->nid, &pos)) == NULL) {
		im->t->cards.skipped++;
		return 0;
	}
	if ((rc = db_pkgimport_card_exists(im->dbp, *nid, c->ord, e)) < 0)
		return -1;
	if (rc == 1) {
		/* Anki's card_ordinal_already_exists: the card here keeps
		 * its own scheduling. */
		im->t->cards.unchanged++;
		return 0;
	}
	home = c->odid != 0 ? c->odid : c->did;
	if ((di = deck_index(im, home)) >= 0)
		deck_conf = im->decks[di].conf;
	preset = preset_index(im, deck_conf);
	if (anki_sched_card_in(&im->ctx, im->npresets > 0 ?
	    &im->presets[preset].steps : &(struct anki_sched_steps){ 2, 1 },
	    c, &sc, e) < 0) {
		char msg[sizeof e->msg];

		snprintf(msg, sizeof msg, "%s", e->msg);
		return member_err(im, e, "%s", msg);
	}
	memset(&out, 0, sizeof out);
	out.id = c->id;
	out.note_id = *nid;
	out.ord = c->ord;
	if ((out.deck_id = card_deck(im, sc.deck, e)) < 0)
		return -1;
	out.f = sc.f;
	out.position = sc.position != 0 ? im->position_base + sc.position : 0;
	out.suspended = sc.suspended;
	out.buried_until = sc.buried_until;
	out.flag = sc.flag;
	out.created = c->id / 1000;
	out.modified = c->mod;
	if ((out.id = db_pkgimport_card_add(im->dbp, &out, e)) < 0)
		return -1;
	im->t->cards.added++;
	ce = hashtab_add(&im->cards, (uint64_t)c->id);
	ce->id = out.id;
	ce->preset = preset;
	ce->pending = 0;
	if (sc.needs_memory || sc.last_review_guessed) {
		struct pending *pe;

		VEC_RESERVE(im->pending, im->cappending, im->npending + 1, 64);
		pe = &im->pending[im->npending++];
		pe->sc = sc;
		pe->id = out.id;
		pe->anki_id = c->id;
		pe->preset = preset;
		pe->done = 0;
		ce->pending = (long)im->npending;
	}
	return 0;
}

/* ---- the review log --------------------------------------------------------------- */

/* A card's log has gone by (or it has none: stream just started): its
 * memory state replayed when it had none, its last review from the log
 * when the card's was guessed. */
static int
pending_finish(struct pkgimport *im, struct pending *pe, struct err *e)
{
	pe->done = 1;
	anki_sched_stream_finish(&im->stream, &pe->sc);
	return db_pkgimport_card_memory(im->dbp, pe->id, pe->sc.f.stability,
	    pe->sc.f.difficulty, pe->sc.f.last_review, e);
}

static int
log_card_done(struct pkgimport *im, struct err *e)
{
	struct card_entry *ce = im->log_card;

	im->log_card = NULL;
	if (ce == NULL || ce->pending == 0)
		return 0;
	return pending_finish(im, &im->pending[ce->pending - 1], e);
}

/* The cards waiting on a log they do not have: finished from an empty
 * stream (SM-2's own fallback from ease and interval). */
static int
pending_rest(struct pkgimport *im, struct err *e)
{
	for (size_t i = 0; i < im->npending; i++) {
		struct pending *pe = &im->pending[i];

		if (pe->done)
			continue;
		anki_sched_stream_start(&im->stream, &im->ctx,
		    params_of(im, pe->preset), FSRS_SM2_RETENTION,
		    pe->anki_id);
		if (pending_finish(im, pe, e) < 0)
			return -1;
	}
	return 0;
}

static int
on_revlog(void *arg, const struct anki_revlog *r, struct err *e)
{
	struct pkgimport *im = arg;
	struct db_study_revlog out;
	int rc;

	if (step(im, e) < 0)
		return -1;
	if (r->cid != im->log_cid || im->log_cid == 0) {
		size_t pos = HASHTAB_START;

		if (log_card_done(im, e) < 0)
			return -1;
		im->log_cid = r->cid;
		im->log_card = hashtab_next(&im->cards, (uint64_t)r->cid, &pos);
		if (im->log_card != NULL)
			anki_sched_stream_start(&im->stream, &im->ctx,
			    params_of(im, im->log_card->preset),
			    FSRS_SM2_RETENTION, r->cid);
	}
	if (im->log_card == NULL) {
		/* Anki adds the log of the cards it adds only. A row that
		 * is here already is unchanged, another one skipped. */
		if ((rc = db_pkgimport_rev_exists(im->dbp, r->id, e)) < 0)
			return -1;
		if (rc == 1)
			im->t->revlog.unchanged++;
		else
			im->t->revlog.skipped++;
		return 0;
	}
	memset(&out, 0, sizeof out);
	if (anki_sched_revlog_in(&im->stream, r, &out, e) < 0) {
		char msg[sizeof e->msg];

		snprintf(msg, sizeof msg, "%s", e->msg);
		return member_err(im, e, "%s", msg);
	}
	out.card_id = im->log_card->id;
	return db_pkgimport_rev_add(im->dbp, &out, e);
}

/* ---- the package ------------------------------------------------------------------ */

static void
pkgimport_free(struct pkgimport *im)
{
	free(im->nts);
	free(im->presets);
	for (size_t i = 0; i < im->ndecks; i++)
		free(im->decks[i].name);
	free(im->decks);
	for (size_t i = 0; i < im->nmedia; i++) {
		free(im->media[i].name);
		free(im->media[i].orig);
		free(im->media[i].final);
	}
	free(im->media);
	free(im->pending);
	hashtab_free(&im->deck_index);
	hashtab_free(&im->notes);
	hashtab_free(&im->cards);
	buf_free(&im->fields);
	buf_free(&im->sort);
	buf_free(&im->sort_text);
	buf_free(&im->line);
	db_pkgimport_free(im->dbp);
}

/* The rows: note types, presets, decks, notes, cards, review log. */
static int
import_rows(struct pkgimport *im, struct err *e)
{
	struct ankicol_counts n;
	long added, there;
	char what[300];
	int64_t crt;
	int rollover;

	if (ankicol_count(im->col, &n, e) < 0 ||
	    ankicol_clock(im->col, &crt, &rollover, e) < 0)
		return -1;
	anki_sched_ctx_init(&im->ctx, crt, rollover, im->now);
	fsrs_params_default(&im->default_params);
	im->default_params.rollover_hour = rollover;
	fsrs_params_prepare(&im->default_params);
	snprintf(what, sizeof what, "Importing %s", im->shown);
	if (progress_begin(im->o->progress, what, "rows", (uint64_t)(n.notes +
	    n.cards + n.revlog)) < 0)
		return progress_stopped(e);
	if ((im->dbp = db_pkgimport_new(im->db, e)) == NULL)
		return -1;
	if ((im->position_base = db_pkgimport_next_position(im->dbp, e)) < 0)
		return -1;
	if (ankicol_each_notetype(im->col, on_notetype, im, e) < 0 ||
	    ankicol_each_deckconf(im->col, on_preset, im, e) < 0 ||
	    ankicol_each_deck(im->col, on_deck, im, e) < 0)
		return -1;
	/* Every deck of the package but Default, made when a card is in it
	 * (a package's Default is mostly empty). */
	for (size_t i = 0; i < im->ndecks; i++)
		if (!im->decks[i].filtered && im->decks[i].anki_id != 1 &&
		    deck_make(im, i, e) < 0)
			return -1;
	/* A note is filed in a deck before its cards say which
	 * (db_pkgimport_fix_decks): any deck there is will do. */
	if ((im->placeholder_deck = db_pkgimport_any_deck(im->dbp, e)) < 0)
		return -1;
	if (im->placeholder_deck == 0 && (im->placeholder_deck =
	    db_deck_ensure(im->db, "Default", im->now, e)) < 0)
		return -1;
	if (ankicol_each_note(im->col, on_note, im, e) < 0 ||
	    ankicol_each_card(im->col, on_card, im, e) < 0 ||
	    ankicol_each_revlog_by_card(im->col, on_revlog, im, e) < 0 ||
	    log_card_done(im, e) < 0 || pending_rest(im, e) < 0 ||
	    db_pkgimport_rev_flush(im->dbp, e) < 0)
		return -1;
	db_pkgimport_rev_counts(im->dbp, &added, &there);
	im->t->revlog.added += added;
	/* A row of a card added whose id is here already: the same row. */
	im->t->revlog.unchanged += there;
	return db_pkgimport_fix_decks(im->dbp, e);
}

int
apkg_import(struct db *db, const char *path, const char *shown,
    const struct import_opts *o, time_t now, struct apkg_import_totals *t,
    struct apkg_media_stage **stage, struct err *e)
{
	struct pkgimport im;
	struct hashtab decks = HASHTAB_INIT(sizeof(size_t), 64);
	struct hashtab notes = HASHTAB_INIT(sizeof(int64_t), 1024);
	struct hashtab cards = HASHTAB_INIT(sizeof(struct card_entry), 1024);
	char *tmp = NULL;
	int rc = -1;

	*stage = NULL;
	memset(&im, 0, sizeof im);
	im.db = db;
	im.o = o;
	im.shown = shown;
	im.now = now;
	im.t = t;
	im.deck_index = decks;
	im.notes = notes;
	im.cards = cards;
	im.member = "collection";
	if ((im.pkg = apkg_open(path, NULL, e)) == NULL)
		goto out;
	im.member = apkg_collection_member(im.pkg);
	if (stage_media(&im, stage, e) < 0)
		goto out;
	if ((im.col = apkg_open_collection(im.pkg, NULL, &tmp, e)) == NULL)
		goto out;
	rc = import_rows(&im, e);
out:
	if (im.col != NULL)
		ankicol_close(im.col);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	if (im.pkg != NULL)
		apkg_close(im.pkg);
	if (rc < 0) {
		apkg_media_stage_abort(*stage);
		*stage = NULL;
	}
	pkgimport_free(&im);
	return rc;
}

static void
count_text(struct buf *out, const char *what, const struct apkg_import_count *c)
{
	buf_printf(out, "%s %ld added, %ld updated, %ld unchanged, %ld skipped",
	    what, c->added, c->updated, c->unchanged, c->skipped);
}

void
apkg_import_summary(const char *shown, const struct apkg_import_totals *t,
    struct buf *out)
{
	buf_printf(out, "%s: ", shown);
	count_text(out, "notes", &t->notes);
	count_text(out, "; cards", &t->cards);
	count_text(out, "; review log", &t->revlog);
	count_text(out, "; media files", &t->media);
	buf_add(out, "", 0);
}
