/* apkg-export.c - the progress file out as an Anki package; see apkg-export.h. */
#include "config.h"

#include "lemma/formats/apkg-export.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/day.h"
#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/anki-sched.h"
#include "lemma/formats/apkg.h"
#include "lemma/formats/mediarefs.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/ankicol.h"
#include "lemma/store/db-decks.h"
#include "lemma/store/db-export.h"
#include "lemma/store/deckconf.h"

#define FIELD_SEP	'\x1f'

/* Anki's stock styling (rslib/src/notetype/styling.css and, for cloze
 * types, cloze_styling.css after it): what a built-in type carries. */
static const char stock_css[] =
    ".card {\n    font-family: arial;\n    font-size: 20px;\n"
    "    line-height: 1.5;\n    text-align: center;\n    color: black;\n"
    "    background-color: white;\n}\n";
static const char stock_cloze_css[] =
    ".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
    ".nightMode .cloze {\n    color: lightblue;\n}\n";

/* What a card needs of its deck and the deck's preset. */
struct xp_deck {
	int64_t	 id;		/* lemma's */
	int64_t	 anki_id;
	int64_t	 preset_id;	/* lemma's */
};
struct xp_preset {
	int64_t			 id;	/* lemma's */
	struct anki_sched_steps	 steps;
	double			 desired_retention, decay;
};

/* A note type's Anki id, and its field count: a note is padded to it. */
struct xp_type {
	int64_t	 id;		/* lemma's */
	int64_t	 anki_id;
	size_t	 nfields;
};

/* One export: what it writes to and what its rows need looked up. */
struct xp {
	struct db			*db;
	const struct apkg_export_opts	*o;
	struct ankicol_writer		*w;
	struct progress			*p;
	struct apkg_export_summary	*sum;
	int				 sched;
	time_t				 now;
	struct anki_sched_ctx		 ctx;
	struct xp_deck			*decks;
	size_t				 ndecks, capdecks;
	struct xp_preset		*presets;
	size_t				 npresets, cappresets;
	struct xp_type			*nts;
	size_t				 nnts, capnts;
	char				**media;
	size_t				 nmedia, capmedia;
	uint64_t			 done;
	struct buf			 field;
};

/* ---- ids --------------------------------------------------------------------- */

/* Anki's Default deck is id 1, always there, whatever the importer's is
 * called: lemma's deck of that name is it. */
static int64_t
deck_anki_id(int64_t id, const char *name)
{
	if (strcasecmp(name, "Default") == 0)
		return 1;
	return db_export_small_id(id);
}

/* lemma's preset 1 is its Default, as Anki's. */
static int64_t
preset_anki_id(int64_t id)
{
	return id == 1 ? 1 : db_export_small_id(id);
}

static int
deck_cmp(const void *a, const void *b)
{
	const struct xp_deck *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static const struct xp_deck *
find_deck(const struct xp *x, int64_t id)
{
	struct xp_deck key = { .id = id };

	return bsearch(&key, x->decks, x->ndecks, sizeof *x->decks, deck_cmp);
}

static const struct xp_preset *
find_preset(const struct xp *x, int64_t id)
{
	for (size_t i = 0; i < x->npresets; i++)
		if (x->presets[i].id == id)
			return &x->presets[i];
	return NULL;
}

static int
step(struct xp *x, struct err *e)
{
	if (progress_step(x->p, ++x->done) < 0)
		return progress_stopped(e);
	return 0;
}

/* ---- note types, decks, presets ------------------------------------------------- */

/* Whether an exported type has Anki id id already. */
static int
type_id_taken(const struct xp *x, int64_t id)
{
	for (size_t i = 0; i < x->nnts; i++)
		if (x->nts[i].anki_id == id)
			return 1;
	return 0;
}

static int
put_notetype(void *arg, const struct notetype *nt, int64_t original_id,
    struct err *e)
{
	struct xp *x = arg;
	struct notetype copy = *nt;
	struct buf css;
	int rc;

	buf_init(&css);
	/* A type imported from Anki goes back under the id it had there, so
	 * that Anki takes it for its own; a changed copy of it (imported as
	 * a new type with the same origin) under an id of its own. */
	copy.id = original_id >= DB_EXPORT_ANKI_ID_MIN &&
	    !type_id_taken(x, original_id) ? original_id :
	    db_export_small_id(nt->id);
	/* A type without styling of its own (the built-in ones) takes
	 * Anki's stock styling, so it looks in Anki as Anki's own. */
	if (nt->css == NULL || nt->css[0] == '\0') {
		buf_adds(&css, stock_css);
		if (nt->kind == NOTETYPE_KIND_CLOZE)
			buf_adds(&css, stock_cloze_css);
		copy.css = css.data;
	}
	if (copy.mtime == 0)
		copy.mtime = (int64_t)x->now;
	rc = ankicol_add_notetype(x->w, &copy, e);
	buf_free(&css);
	if (rc < 0)
		return -1;
	VEC_RESERVE(x->nts, x->capnts, x->nnts + 1, 8);
	x->nts[x->nnts].id = nt->id;
	x->nts[x->nnts].anki_id = copy.id;
	x->nts[x->nnts].nfields = nt->nfields;
	x->nnts++;
	x->sum->notetypes++;
	return 0;
}

static int
put_deck(void *arg, const struct db_export_deck *d, struct err *e)
{
	struct xp *x = arg;
	struct anki_deck ad;
	struct xp_deck *xd;

	VEC_RESERVE(x->decks, x->capdecks, x->ndecks + 1, 8);
	xd = &x->decks[x->ndecks++];
	xd->id = d->id;
	xd->anki_id = deck_anki_id(d->id, d->name);
	xd->preset_id = d->preset_id;
	/* Without scheduling Anki leaves the Default deck out, so that the
	 * importer's own keeps its options and name. */
	if (!x->sched && xd->anki_id == 1)
		return 0;
	memset(&ad, 0, sizeof ad);
	ad.id = xd->anki_id;
	ad.name = (char *)d->name;
	ad.conf_id = x->sched ? preset_anki_id(d->preset_id) : 1;
	ad.description = (char *)"";
	ad.mtime = d->created;
	if (ankicol_add_deck(x->w, &ad, e) < 0)
		return -1;
	x->sum->decks++;
	return 0;
}

/* e, which says what is wrong, made to name the preset. */
static int
preset_err(const struct deckconf *c, struct err *e)
{
	char msg[sizeof e->msg];

	snprintf(msg, sizeof msg, "%s", e->msg);
	return err_set(e, "", 0, 0, "preset \"%s\": %s", c->name, msg);
}

/* Steps as text ("1m 10m") into minutes, as Anki keeps them. */
static int
steps_minutes(const char *text, float *out, size_t *n, int *count,
    struct err *e)
{
	int secs[FSRS_MAX_STEPS], k = 0;

	if (fsrs_steps_parse(text, secs, &k, e) < 0)
		return -1;
	for (int i = 0; i < k; i++)
		out[i] = (float)secs[i] / 60.0f;
	*n = (size_t)k;
	*count = k;
	return 0;
}

static int
put_preset(void *arg, const struct deckconf *c, struct err *e)
{
	struct xp *x = arg;
	float learn[FSRS_MAX_STEPS], relearn[FSRS_MAX_STEPS];
	float params[FSRS_NPARAMS];
	struct fsrs_params fp;
	struct anki_deckconf dc;
	struct xp_preset *xpr;

	VEC_RESERVE(x->presets, x->cappresets, x->npresets + 1, 4);
	xpr = &x->presets[x->npresets];
	memset(xpr, 0, sizeof *xpr);
	memset(&dc, 0, sizeof dc);
	dc.id = preset_anki_id(c->id);
	dc.name = (char *)c->name;
	dc.mtime = (int64_t)x->now;
	dc.new_per_day = (unsigned)c->new_per_day;
	dc.reviews_per_day = (unsigned)c->reviews_per_day;
	if (steps_minutes(c->learning_steps, learn, &dc.nlearn_steps,
	    &xpr->steps.nlearn, e) < 0 ||
	    steps_minutes(c->relearning_steps, relearn, &dc.nrelearn_steps,
	    &xpr->steps.nrelearn, e) < 0)
		return preset_err(c, e);
	dc.learn_steps = learn;
	dc.relearn_steps = relearn;
	dc.max_ivl = (unsigned)c->max_interval;
	dc.min_lapse_ivl = (unsigned)c->min_interval;
	dc.leech_threshold = (unsigned)c->leech_threshold;
	dc.leech_action = c->leech_action;
	dc.desired_retention = (float)c->desired_retention;
	fsrs_params_default(&fp);
	if (fsrs_params_parse_weights(&fp, c->fsrs_params, e) < 0)
		return preset_err(c, e);
	/* Anki's empty fsrs_params_6 is its defaults, as lemma's "". */
	if (c->fsrs_params[strspn(c->fsrs_params, " ")] != '\0') {
		for (size_t i = 0; i < FSRS_NPARAMS; i++)
			params[i] = (float)fp.w[i];
		dc.fsrs_version = 6;
		dc.nparams = FSRS_NPARAMS;
		dc.params = params;
	}
	dc.bury_new = c->bury_new;
	dc.bury_reviews = c->bury_reviews;
	dc.bury_interday = c->bury_interday;
	dc.new_sort_order = c->new_sort_order;
	dc.new_gather_priority = anki_sched_gather_out(c->new_gather_order);
	dc.review_order = c->review_order;
	dc.new_mix = c->new_mix;
	dc.interday_mix = c->interday_mix;
	dc.initial_ease = 2.5f;
	if (ankicol_add_deckconf(x->w, &dc, e) < 0)
		return -1;
	xpr->id = c->id;
	xpr->desired_retention = c->desired_retention;
	xpr->decay = fp.w[FSRS_NPARAMS - 1];	/* FSRS-6's own decay */
	x->npresets++;
	x->sum->presets++;
	return 0;
}

/* ---- notes -------------------------------------------------------------------- */

static int
media_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
note_media(void *arg, const char *name)
{
	struct xp *x = arg;

	VEC_RESERVE(x->media, x->capmedia, x->nmedia + 1, 16);
	x->media[x->nmedia++] = xstrdup(name);
	/* Keep the list to the distinct names as it grows, so that notes
	 * naming one file each hold it once. */
	if (x->nmedia == x->capmedia) {
		size_t k = 0;

		qsort(x->media, x->nmedia, sizeof *x->media, media_cmp);
		for (size_t i = 0; i < x->nmedia; i++) {
			if (k > 0 && strcmp(x->media[k - 1], x->media[i]) == 0)
				free(x->media[i]);
			else
				x->media[k++] = x->media[i];
		}
		x->nmedia = k;
	}
}

/* A plain-text note's field as the HTML Anki keeps (lemma's own plain
 * notes are shown as typed: < > & and line breaks are text). */
static void
field_html(struct buf *out, const char *s, size_t n, int is_html)
{
	if (is_html) {
		buf_add(out, s, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<')
			buf_adds(out, "&lt;");
		else if (s[i] == '>')
			buf_adds(out, "&gt;");
		else if (s[i] == '&')
			buf_adds(out, "&amp;");
		else if (s[i] == '\n')
			buf_adds(out, "<br>");
		else if (s[i] != '\r')
			buf_addc(out, s[i]);
	}
}

/* Whether tag is one of Anki's system tags that an export without
 * scheduling drops (gather.rs: remove_system_tags). */
static int
system_tag(const char *t, size_t n)
{
	return (n == 6 && strncasecmp(t, "marked", 6) == 0) ||
	    (n == 5 && strncasecmp(t, "leech", 5) == 0);
}

static void
note_tags(const struct xp *x, const char *tags, struct buf *out)
{
	const char *p = tags;

	buf_addc(out, ' ');
	while (*p != '\0') {
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (n == 0)
			break;
		if (x->sched || !system_tag(p, n)) {
			buf_add(out, p, n);
			buf_addc(out, ' ');
		}
		p += n;
	}
	if (out->len == 1)
		buf_reset(out);
}

static const struct xp_type *
find_type(const struct xp *x, int64_t id)
{
	for (size_t i = 0; i < x->nnts; i++)
		if (x->nts[i].id == id)
			return &x->nts[i];
	return NULL;
}

static int
put_note(void *arg, const struct db_export_note *n, struct err *e)
{
	struct xp *x = arg;
	const struct xp_type *t;
	struct anki_note an;
	struct buf tags;
	size_t *offs, nf = 1, want, k = 0;
	char **fields;
	int rc;

	for (const char *s = n->fields; *s != '\0'; s++)
		nf += *s == FIELD_SEP;
	/* A note may keep fewer fields than its type (trailing empty ones
	 * never written); Anki's row has them all. */
	if ((t = find_type(x, n->notetype)) == NULL)
		return err_set(e, "", 0, 0, "note %s: its note type %lld is "
		    "not exported", n->guid, (long long)n->notetype);
	want = t->nfields;
	if (nf > want)
		return err_set(e, "", 0, 0, "note %s has %zu fields, its note "
		    "type %zu", n->guid, nf, want);
	buf_reset(&x->field);
	offs = xcalloc(want, sizeof *offs);
	for (const char *s = n->fields;; ) {
		const char *end = strchr(s, FIELD_SEP);
		size_t len = end != NULL ? (size_t)(end - s) : strlen(s);

		offs[k++] = x->field.len;
		field_html(&x->field, s, len, n->is_html);
		buf_addc(&x->field, '\0');
		if (end == NULL)
			break;
		s = end + 1;
	}
	for (; k < want; k++) {
		offs[k] = x->field.len;
		buf_addc(&x->field, '\0');
	}
	fields = xcalloc(want, sizeof *fields);
	for (size_t i = 0; i < want; i++) {
		fields[i] = x->field.data + offs[i];
		if (!x->o->no_media)
			mediarefs_each(fields[i], note_media, x);
	}
	buf_init(&tags);
	note_tags(x, n->tags, &tags);
	memset(&an, 0, sizeof an);
	an.id = n->anki_id;
	an.guid = (char *)n->guid;
	an.mid = t->anki_id;
	an.mod = n->modified;
	an.tags = tags.len ? tags.data : (char *)"";
	an.nfields = want;
	an.fields = fields;
	rc = ankicol_add_note(x->w, &an, e);
	buf_free(&tags);
	free(fields);
	free(offs);
	if (rc == 0) {
		x->sum->notes++;
		rc = step(x, e);
	}
	return rc;
}

/* ---- cards and the review log ------------------------------------------------------ */

static int
put_card(void *arg, const struct db_export_card *c, struct err *e)
{
	struct xp *x = arg;
	const struct xp_deck *d = find_deck(x, c->deck_id);
	struct anki_card out;

	memset(&out, 0, sizeof out);
	if (d == NULL)
		return err_set(e, "", 0, 0, "card %lld: its deck %lld is not "
		    "exported", (long long)c->id, (long long)c->deck_id);
	if (x->sched) {
		const struct xp_preset *pr = find_preset(x, d->preset_id);
		struct anki_sched_steps none = { 0, 0 };
		struct anki_sched_card sc;

		memset(&sc, 0, sizeof sc);
		sc.f = c->f;
		sc.suspended = c->suspended;
		sc.buried_until = c->buried_until;
		sc.position = c->position;
		sc.flag = c->flag;
		sc.deck = d->anki_id;
		anki_sched_card_out(&x->ctx, pr != NULL ? &pr->steps : &none,
		    &sc, pr != NULL ? pr->desired_retention : 0,
		    pr != NULL ? pr->decay : 0, &out);
	} else {
		/* Anki's reset_cards: new at its position (lemma keeps a
		 * reviewed card's first position), flags cleared, in its
		 * deck. */
		out.did = d->anki_id;
		out.type = ANKI_TYPE_NEW;
		out.queue = ANKI_QUEUE_NEW;
		out.due = c->position;
	}
	out.id = c->anki_id;
	out.nid = c->anki_nid;
	out.ord = c->ord;
	out.mod = c->modified;
	if (ankicol_add_card(x->w, &out, e) < 0)
		return -1;
	x->sum->cards++;
	return step(x, e);
}

static int
put_revlog(void *arg, const struct db_export_revlog *r, struct err *e)
{
	struct xp *x = arg;
	struct anki_revlog out;

	memset(&out, 0, sizeof out);
	anki_sched_revlog_out(&r->r, &out);
	out.cid = r->anki_cid;
	if (ankicol_add_revlog(x->w, &out, e) < 0)
		return -1;
	x->sum->revlog++;
	return step(x, e);
}

/* ---- the whole ------------------------------------------------------------------------ */

/* Anki's clock for the collection: day 0 is the study day the collection
 * began (its first deck, note, card or review), in the local time zone,
 * starting at the hour lemma's days start. */
static int
collection_clock(struct xp *x, struct db_export *dx,
    struct ankicol_settings *s, struct err *e)
{
	struct deckconf_global g;
	int64_t first, maxpos;
	struct tm tm;
	time_t crt;

	if (deckconf_global_get(x->db, &g, e) < 0 ||
	    db_export_first_time(dx, &first, e) < 0 ||
	    db_export_max_position(dx, &maxpos, e) < 0)
		return -1;
	if (first <= 0 || first > (int64_t)x->now)
		first = (int64_t)x->now;
	crt = day_start(day_number((time_t)first, g.next_day_starts_at),
	    g.next_day_starts_at);
	memset(s, 0, sizeof *s);
	s->crt = (int64_t)crt;
	s->rollover = g.next_day_starts_at;
	/* Anki's creationOffset: minutes west of UTC when it began. */
	if (localtime_r(&crt, &tm) != NULL)
		s->creation_offset = (int)(-tm.tm_gmtoff / 60);
	s->learn_ahead_secs = g.learn_ahead_mins * 60;
	s->fsrs = x->sched;
	s->next_pos = maxpos + 1;
	anki_sched_ctx_init(&x->ctx, s->crt, s->rollover, x->now);
	return 0;
}

static void
free_media(struct xp *x)
{
	for (size_t i = 0; i < x->nmedia; i++)
		free(x->media[i]);
	free(x->media);
	x->media = NULL;
	x->nmedia = x->capmedia = 0;
}

/* The distinct media names, each added from media_dir when it is there. */
static int
add_media(struct xp *x, struct apkg_writer *aw, struct err *e)
{
	size_t k = 0;

	if (x->nmedia == 0)
		return 0;
	qsort(x->media, x->nmedia, sizeof *x->media, media_cmp);
	for (size_t i = 0; i < x->nmedia; i++) {
		if (k > 0 && strcmp(x->media[k - 1], x->media[i]) == 0)
			free(x->media[i]);
		else
			x->media[k++] = x->media[i];
	}
	x->nmedia = k;
	if (progress_begin(x->p, "Exporting media", "files", x->nmedia) < 0)
		return progress_stopped(e);
	for (size_t i = 0; i < x->nmedia; i++) {
		char *file = xasprintf("%s/%s", x->o->media_dir != NULL ?
		    x->o->media_dir : ".", x->media[i]);
		struct stat st;
		int rc = 0;

		if (stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
			char *msg = xasprintf("media file \"%s\" is not in %s: "
			    "left out", x->media[i], x->o->media_dir != NULL ?
			    x->o->media_dir : ".");

			if (x->o->warn != NULL)
				x->o->warn(x->o->warn_arg, msg);
			free(msg);
			x->sum->media_missing++;
		} else if ((rc = apkg_writer_add_media(aw, x->media[i], file,
		    e)) == 0)
			x->sum->media++;
		free(file);
		if (rc < 0)
			return -1;
		if (progress_step(x->p, i + 1) < 0)
			return progress_stopped(e);
	}
	return 0;
}

/* Everything of dx into the collection file col (schema 18 or 11). */
static int
write_collection(struct xp *x, struct db_export *dx, const char *col,
    struct err *e)
{
	struct db_export_counts n;
	struct ankicol_settings s;

	if (collection_clock(x, dx, &s, e) < 0 ||
	    db_export_counts(dx, &n, e) < 0)
		return -1;
	if ((x->w = ankicol_writer_create(col, x->o->legacy ? 11 : 18, x->now,
	    e)) == NULL)
		return -1;
	if (db_export_each_notetype(dx, put_notetype, x, e) < 0 ||
	    db_export_each_deck(dx, put_deck, x, e) < 0)
		goto fail;
	qsort(x->decks, x->ndecks, sizeof *x->decks, deck_cmp);
	if (x->sched && db_export_each_preset(dx, put_preset, x, e) < 0)
		goto fail;
	x->done = 0;
	if (progress_begin(x->p, "Exporting", "rows", (uint64_t)(n.notes +
	    n.cards + (x->sched ? n.revlog : 0))) < 0) {
		progress_stopped(e);
		goto fail;
	}
	if (db_export_each_note(dx, put_note, x, e) < 0 ||
	    db_export_each_card(dx, put_card, x, e) < 0 ||
	    (x->sched && db_export_each_revlog(dx, put_revlog, x, e) < 0))
		goto fail;
	ankicol_writer_settings(x->w, &s);
	if (ankicol_writer_finish(x->w, e) < 0) {
		x->w = NULL;	/* finish aborted it */
		return -1;
	}
	x->w = NULL;
	return 0;
fail:
	ankicol_writer_abort(x->w);
	x->w = NULL;
	return -1;
}

int
apkg_export(struct db *db, const struct apkg_export_opts *o, const char *path,
    time_t now, struct progress *p, struct apkg_export_summary *sum,
    struct err *e)
{
	struct apkg_export_summary own;
	struct apkg_writer *aw = NULL;
	struct db_export *dx = NULL;
	struct xp x;
	char *dir = NULL, *col = NULL;
	int64_t deck_id = 0;
	int rc = -1;

	if (sum == NULL)
		sum = &own;
	memset(sum, 0, sizeof *sum);
	if (o->colpkg && o->deck != NULL)
		return err_set(e, path, 0, 0, "a .colpkg is the whole "
		    "collection: --deck is for .apkg");
	if (o->colpkg && o->no_scheduling)
		return err_set(e, path, 0, 0, "a .colpkg is the whole "
		    "collection with its scheduling: --no-scheduling is for "
		    ".apkg");
	if (o->deck != NULL) {
		if ((deck_id = db_deck_find(db, o->deck, e)) < 0)
			return -1;
		if (deck_id == 0)
			return err_set(e, "", 0, 0, "no deck named \"%s\"",
			    o->deck);
	}
	/* Refuse an existing file before any work (the writer checks
	 * again at the end, and renames into place). */
	if (!o->force && access(path, F_OK) == 0)
		return err_set(e, path, 0, 0, "exists (--force replaces it)");
	memset(&x, 0, sizeof x);
	x.db = db;
	x.o = o;
	x.p = p;
	x.sum = sum;
	x.now = now;
	x.sched = !o->no_scheduling;
	buf_init(&x.field);
	dir = xasprintf("%s/lemma-export-XXXXXX", paths_tmpdir());
	if (mkdtemp(dir) == NULL) {
		err_set(e, dir, 0, 0, "cannot make a temporary folder: %s",
		    strerror(errno));
		free(dir);
		dir = NULL;
		goto out;
	}
	col = xasprintf("%s/collection", dir);
	if ((dx = db_export_open(db, deck_id, o->colpkg, e)) == NULL ||
	    write_collection(&x, dx, col, e) < 0)
		goto out;
	db_export_close(dx);
	dx = NULL;
	if ((aw = apkg_writer_open(path, o->legacy, o->force, e)) == NULL ||
	    apkg_writer_add_collection(aw, col, now, e) < 0 ||
	    add_media(&x, aw, e) < 0)
		goto out;
	rc = apkg_writer_commit(aw, e);
	aw = NULL;
out:
	if (aw != NULL)
		apkg_writer_abort(aw);
	db_export_close(dx);
	if (col != NULL)
		unlink(col);
	if (dir != NULL)
		rmdir(dir);
	free(col);
	free(dir);
	free_media(&x);
	free(x.decks);
	free(x.presets);
	free(x.nts);
	buf_free(&x.field);
	return rc;
}
