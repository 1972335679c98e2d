/*
 * test_apkg_export.c - lemma's progress file out as an Anki package.
 *
 * The fixture is a progress file with the built-in note types and a
 * five-field, two-template one of the user's; decks on two levels, one
 * named Default; a preset with every option off its default; cards new,
 * learning, review, relearning, suspended, buried and flagged; a review
 * log. Each export is read back with apkg.h and ankicol.h's reader (and
 * SQLite for what the reader does not say, such as col.crt) and compared
 * with the progress file: notes field for field, cards through
 * anki-sched's mapping back, the review log row for row, the presets
 * option for option. Then what an export without scheduling leaves out,
 * a deck's selection, the media, the legacy form, ids that stay the same,
 * and whole-or-nothing: an existing file, a cancel, a bad deck.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/day.h"
#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/anki-sched.h"
#include "lemma/formats/apkg-export.h"
#include "lemma/formats/apkg.h"
#include "lemma/formats/import.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/ankicol.h"
#include "lemma/store/db-export.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/store/db-study.h"
#include "lemma/store/deckconf.h"

#define NOW	((time_t)1764590400)	/* 2025-12-01 12:00 UTC */
#define DAY	86400

struct fx {
	char		 dir[512];
	char		 db_path[600];
	char		 media[600];
	struct db	*db;
	int64_t		 preset;
	int64_t		 nt5;
	int64_t		 n_basic, n_plain, n_five, n_cloze, n_media;
};

static void
check(int ok, const struct err *e, const char *what)
{
	if (!ok)
		fail_msg("%s: %s: %s", what, e->path, e->msg);
}

static int64_t
card_of(struct fx *f, int64_t note, int ord)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	int64_t id = -1;

	assert_int_equal(sqlite3_open(f->db_path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT id FROM cards WHERE "
	    "note_id = ?1 AND ord = ?2", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, note);
	sqlite3_bind_int(st, 2, ord);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	assert_true(id > 0);
	return id;
}

static void
sql(struct fx *f, const char *q)
{
	sqlite3 *s;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(f->db_path, &s), SQLITE_OK);
	sqlite3_busy_timeout(s, 5000);
	if (sqlite3_exec(s, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_close(s);
}

static void
set_card(struct fx *f, int64_t card, const char *set)
{
	char *q = xasprintf("UPDATE cards SET %s WHERE id = %lld", set,
	    (long long)card);

	sql(f, q);
	free(q);
}

static void
add_review(struct fx *f, int64_t card, int64_t when, int rating, int kind,
    int state_before, int state_after, double s, double d)
{
	struct db_study_revlog r;
	struct err e;

	memset(&r, 0, sizeof r);
	r.id = when * 1000;
	r.card_id = card;
	r.rating = rating;
	r.kind = kind;
	r.answer_ms = 4321;
	r.elapsed_days = 1;
	r.scheduled_days = 3;
	r.prev.state = state_before;
	r.after.state = state_after;
	r.after.stability = s;
	r.after.difficulty = d;
	r.after.due = when + 3 * DAY;
	r.after.last_review = when;
	check(db_study_revlog_add(f->db, &r, &e) == 0, &e, "revlog");
}

static int64_t
add_note(struct fx *f, int64_t deck, int nt, const char *const *fields,
    size_t n, const char *tags, int is_html)
{
	struct err e;
	int64_t id = db_note_add(f->db, deck, nt, fields, n, tags, is_html,
	    NOW - 30 * DAY, &e);

	check(id > 0, &e, "note");
	return id;
}

static int
setup(void **state)
{
	static const char *const five[] = { "Word", "Meaning", "Pron",
		"Example", "Notes" };
	struct fx *f = xcalloc(1, sizeof *f);
	struct notetype nt;
	struct deckconf c;
	struct err e;
	int64_t def, fr, de, other, id;
	FILE *fp;

	snprintf(f->dir, sizeof f->dir, "%s/apkg-export-XXXXXX",
	    paths_tmpdir());
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db_path, sizeof f->db_path, "%s/p.db", f->dir);
	snprintf(f->media, sizeof f->media, "%s/media", f->dir);
	assert_int_equal(mkdir(f->media, 0700), 0);
	/* The round trip's import puts media in $XDG_DATA_HOME/lemma/media:
	 * here, never in the home of whoever runs the tests. */
	{
		char *data = xasprintf("%s/data", f->dir);

		setenv("XDG_DATA_HOME", data, 1);
		free(data);
	}
	f->db = db_open(f->db_path, DB_CREATE, &e);
	check(f->db != NULL, &e, "open");

	def = db_deck_ensure(f->db, "Default", NOW - 40 * DAY, &e);
	fr = db_deck_ensure(f->db, "Lang::French", NOW - 40 * DAY, &e);
	de = db_deck_ensure(f->db, "Lang::German", NOW - 40 * DAY, &e);
	other = db_deck_ensure(f->db, "Other", NOW - 40 * DAY, &e);
	check(def > 0 && fr > 0 && de > 0 && other > 0, &e, "decks");

	/* A preset with every option away from its default. */
	check(deckconf_add(f->db, "Vocab", 0, &f->preset, NULL, &e) == 0, &e,
	    "preset");
	check(deckconf_get_preset(f->db, f->preset, &c, &e) == 0, &e, "get");
	c.desired_retention = 0.85;
	snprintf(c.learning_steps, sizeof c.learning_steps, "2m 15m 1h");
	snprintf(c.relearning_steps, sizeof c.relearning_steps, "5m 30m");
	c.min_interval = 2;
	c.max_interval = 3650;
	c.new_per_day = 7;
	c.reviews_per_day = 77;
	c.leech_threshold = 5;
	c.leech_action = 1;
	c.bury_new = 1;
	c.bury_reviews = 0;
	c.bury_interday = 1;
	c.new_gather_order = DC_GATHER_RANDOM_NOTES;
	c.new_sort_order = DC_SORT_RANDOM;
	c.new_mix = DC_MIX_AFTER_REVIEWS;
	c.interday_mix = DC_MIX_BEFORE_REVIEWS;
	c.review_order = DC_REV_R_ASC;
	snprintf(c.fsrs_params, sizeof c.fsrs_params, "0.2172, 1.1771, "
	    "3.2602, 16.1507, 7.0114, 0.57, 2.0966, 0.0069, 1.5261, 0.112, "
	    "1.0178, 1.849, 0.1133, 0.3127, 2.2934, 0.2191, 3.0004, 0.7536, "
	    "0.3332, 0.1437, 0.2");
	check(deckconf_save(f->db, &c, NULL, &e) == 0, &e, "save preset");
	check(deckconf_assign(f->db, fr, f->preset, 0, NULL, &e) == 0, &e,
	    "assign");

	/* The user's five-field, two-template type. */
	memset(&nt, 0, sizeof nt);
	nt.name = (char *)"Vocabulary";
	nt.nfields = 5;
	nt.fields = (char **)five;
	nt.ntemplates = 2;
	nt.templates = xcalloc(2, sizeof *nt.templates);
	nt.templates[0].name = (char *)"Recognise";
	nt.templates[0].qfmt = (char *)"{{Word}}";
	nt.templates[0].afmt = (char *)"{{FrontSide}}<hr id=answer>{{Meaning}}";
	nt.templates[1].name = (char *)"Recall";
	nt.templates[1].qfmt = (char *)"{{Meaning}}";
	nt.templates[1].afmt = (char *)"{{FrontSide}}<hr id=answer>{{type:Word}}";
	f->nt5 = db_notetype_add(f->db, &nt, NOW - 35 * DAY, &e);
	free(nt.templates);
	check(f->nt5 > 0, &e, "note type");

	{
		const char *const basic[] = { "chat", "cat" };
		const char *const plain[] = { "a < b & c\nd", "plain" };
		const char *const rev[] = { "Hund", "dog" };
		const char *const cloze[] = { "{{c1::Paris}} is in "
			"{{c2::France}}", "" };
		const char *const typing[] = { "2+2", "4" };
		const char *const word[] = { "maison", "house", "me-zon",
			"la maison", "f." };
		const char *const media[] = { "<img src=\"pic.png\">",
			"[sound:missing.mp3] [sound:pic.png]" };

		f->n_basic = add_note(f, fr, NOTETYPE_BASIC, basic, 2,
		    "animal marked", 0);
		f->n_plain = add_note(f, fr, NOTETYPE_BASIC, plain, 2, "", 0);
		add_note(f, de, NOTETYPE_REVERSED, rev, 2, "leech", 0);
		f->n_cloze = add_note(f, other, NOTETYPE_CLOZE, cloze, 2,
		    "geo", 0);
		add_note(f, def, NOTETYPE_TYPING, typing, 2, "", 0);
		f->n_five = add_note(f, fr, (int)f->nt5, word, 5, "", 0);
		f->n_media = add_note(f, other, NOTETYPE_BASIC, media, 2, "", 1);
	}

	/* Every state: a review card with history, a learning and a
	 * relearning card, suspended, buried and flagged ones. */
	id = card_of(f, f->n_basic, 0);
	set_card(f, id, "state = 2, due = 1765022400, stability = 12.5, "
	    "difficulty = 5.25, last_review = 1763985600, scheduled_days = 12, "
	    "reps = 3, lapses = 1, flag = 3");
	add_review(f, id, NOW - 20 * DAY, 3, 0, 0, 1, 0.4, 6.1);
	add_review(f, id, NOW - 19 * DAY, 3, 1, 1, 2, 3.1, 6.0);
	add_review(f, id, NOW - 7 * DAY, 1, 1, 2, 3, 1.2, 7.1);
	id = card_of(f, f->n_five, 0);
	set_card(f, id, "state = 1, step = 1, due = 1764591000, "
	    "stability = 0.5, difficulty = 6.5, last_review = 1764590340, "
	    "scheduled_days = 0, reps = 1");
	add_review(f, id, NOW - 60, 3, 0, 0, 1, 0.5, 6.5);
	id = card_of(f, f->n_five, 1);
	set_card(f, id, "state = 3, step = 0, due = 1764590700, "
	    "stability = 2.5, difficulty = 7.5, last_review = 1764590100, "
	    "scheduled_days = 0, reps = 6, lapses = 2");
	id = card_of(f, f->n_cloze, 0);
	set_card(f, id, "state = 2, due = 1765195200, stability = 30, "
	    "difficulty = 4, last_review = 1763208000, scheduled_days = 30, "
	    "reps = 5, suspended = 1");
	id = card_of(f, f->n_cloze, 1);
	{
		char *q = xasprintf("buried_until = %ld, flag = 7",
		    day_number(NOW, 4) + 1);

		set_card(f, id, q);
		free(q);
	}
	sql(f, "UPDATE notes SET modified = 1764000000");

	fp = fopen(f->media, "r");
	if (fp != NULL)
		fclose(fp);
	{
		char *p = xasprintf("%s/pic.png", f->media);

		fp = fopen(p, "w");
		assert_non_null(fp);
		fputs("\x89PNG not really", fp);
		fclose(fp);
		free(p);
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = xasprintf("rm -rf '%s'", f->dir);

	db_close(f->db);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
	return 0;
}

/* ---- reading a package back ----------------------------------------------------- */

struct back {
	struct apkg	*p;
	struct ankicol	*c;
	char		*tmp;
	int64_t		 crt;
	int		 rollover;
};

static void
open_back(const char *path, struct back *b)
{
	struct err e;
	sqlite3 *s;
	sqlite3_stmt *st;

	memset(b, 0, sizeof *b);
	b->p = apkg_open(path, NULL, &e);
	check(b->p != NULL, &e, "apkg_open");
	b->c = apkg_open_collection(b->p, NULL, &b->tmp, &e);
	check(b->c != NULL, &e, "collection");
	check(ankicol_integrity(b->c, &e) == 0, &e, "integrity_check");
	assert_int_equal(sqlite3_open_v2(b->tmp, &s, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT crt FROM col", -1, &st,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	b->crt = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	b->rollover = 4;
	if (sqlite3_prepare_v2(s, ankicol_schema(b->c) == 18 ?
	    "SELECT CAST(val AS TEXT) FROM config WHERE KEY = 'rollover'" :
	    "SELECT json_extract(conf, '$.rollover') FROM col", -1, &st,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			b->rollover = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(s);
}

static void
close_back(struct back *b)
{
	ankicol_close(b->c);
	unlink(b->tmp);
	free(b->tmp);
	apkg_close(b->p);
}

static void
export_ok(struct fx *f, struct apkg_export_opts *o, const char *path,
    struct apkg_export_summary *sum)
{
	struct err e;

	o->media_dir = f->media;
	check(apkg_export(f->db, o, path, NOW, NULL, sum, &e) == 0, &e,
	    "apkg_export");
}

/* A lemma card's columns, by its Anki id (the export's numbering). */
struct lcard {
	int64_t		 anki_id, deck_id;
	struct fsrs_card f;
	int		 suspended, flag;
	long		 buried_until;
	int64_t		 position;
};

struct cards_seen {
	struct fx	*f;
	struct back	*b;
	struct anki_sched_ctx ctx;
	struct lcard	*l;
	size_t		 nl;
	size_t		 n, fsrs_memory;
	int		 sched;
};

static int
lemma_card(void *arg, const struct db_export_card *c, struct err *e)
{
	struct cards_seen *cs = arg;
	struct lcard *l;

	(void)e;
	cs->l = xrealloc(cs->l, (cs->nl + 1) * sizeof *cs->l);
	l = &cs->l[cs->nl++];
	l->anki_id = c->anki_id;
	l->deck_id = c->deck_id;
	l->f = c->f;
	l->suspended = c->suspended;
	l->flag = c->flag;
	l->buried_until = c->buried_until;
	l->position = c->position;
	return 0;
}

static void
lemma_cards(struct fx *f, struct cards_seen *cs)
{
	struct db_export *x;
	struct err e;

	x = db_export_open(f->db, 0, 0, &e);
	check(x != NULL, &e, "db_export_open");
	check(db_export_each_card(x, lemma_card, cs, &e) == 0, &e, "cards");
	db_export_close(x);
}

static int
anki_card_back(void *arg, const struct anki_card *ac, struct err *e)
{
	struct cards_seen *cs = arg;
	struct anki_sched_steps steps = { 3, 2 };
	const struct lcard *l = NULL;
	struct anki_sched_card sc;

	for (size_t i = 0; i < cs->nl; i++)
		if (cs->l[i].anki_id == ac->id)
			l = &cs->l[i];
	if (l == NULL)
		fail_msg("card %lld is not one of lemma's", (long long)ac->id);
	cs->n++;
	if (!cs->sched) {
		/* Anki's reset_cards: new at its position, no flag. */
		assert_int_equal(ac->type, ANKI_TYPE_NEW);
		assert_int_equal(ac->queue, ANKI_QUEUE_NEW);
		assert_int_equal(ac->due, l->position);
		assert_int_equal(ac->flags, 0);
		assert_int_equal(ac->reps, 0);
		assert_false(ac->has_memory);
		return 0;
	}
	if (ac->has_memory)
		cs->fsrs_memory++;
	if (anki_sched_card_in(&cs->ctx, &steps, ac, &sc, e) < 0)
		return -1;
	assert_int_equal(sc.f.state, l->f.state);
	assert_int_equal(sc.suspended, l->suspended);
	assert_int_equal(sc.flag, l->flag);
	assert_int_equal(sc.buried_until != 0, l->buried_until != 0);
	assert_int_equal(sc.f.reps, l->f.reps);
	assert_int_equal(sc.f.lapses, l->f.lapses);
	if (l->f.state == 0) {
		assert_int_equal(sc.position, l->position);
		return 0;
	}
	assert_true(fabs(sc.f.stability - l->f.stability) < 1e-4);
	assert_true(fabs(sc.f.difficulty - l->f.difficulty) < 1e-4);
	if (l->f.state == 2)	/* review: the day it is due */
		assert_int_equal(day_number((time_t)sc.f.due, 4),
		    day_number((time_t)l->f.due, 4));
	else			/* (re)learning: the second */
		assert_int_equal(sc.f.due, l->f.due);
	/* The French preset has 3 learning steps, the card was on step 1;
	 * the relearning card of Default (1 step... the five-field note is
	 * in French: 2 relearning steps) on step 0. */
	assert_int_equal(sc.f.step, l->f.step);
	return 0;
}

struct notes_seen {
	size_t		 n;
	int64_t		 ids[16];
	char		 plain[256], tags[16][64];
	int		 sched;
};

static int
anki_note_back(void *arg, const struct anki_note *n, struct err *e)
{
	struct notes_seen *ns = arg;

	(void)e;
	/* An id Anki shows as the day the note was added: NOW - 30 days
	 * in ms, moved on by a ms per note of the same second. */
	assert_true(n->id >= (int64_t)(NOW - 30 * DAY) * 1000);
	assert_true(n->id < (int64_t)(NOW - 30 * DAY) * 1000 + 1000);
	assert_int_equal(n->mod, 1764000000);
	assert_true(strlen(n->guid) > 0);
	if (strcmp(n->fields[0], "a &lt; b &amp; c<br>d") == 0)
		snprintf(ns->plain, sizeof ns->plain, "%s", n->fields[0]);
	snprintf(ns->tags[ns->n], sizeof ns->tags[0], "%s", n->tags);
	ns->ids[ns->n++] = n->id;
	return 0;
}

static int
anki_revlog_back(void *arg, const struct anki_revlog *r, struct err *e)
{
	size_t *n = arg;

	(void)e;
	assert_true(r->id % 1000 == 0);
	assert_true(r->ease >= 1 && r->ease <= 4);
	assert_int_equal(r->time, 4321);
	(*n)++;
	return 0;
}

struct confs_seen {
	int		 vocab;
	size_t		 n;
};

static int
anki_conf_back(void *arg, const struct anki_deckconf *dc, struct err *e)
{
	struct confs_seen *cs = arg;

	(void)e;
	cs->n++;
	if (strcmp(dc->name, "Vocab") != 0)
		return 0;
	cs->vocab = 1;
	assert_int_equal(dc->new_per_day, 7);
	assert_int_equal(dc->reviews_per_day, 77);
	assert_int_equal(dc->nlearn_steps, 3);
	assert_true(fabs(dc->learn_steps[0] - 2) < 1e-6);
	assert_true(fabs(dc->learn_steps[1] - 15) < 1e-6);
	assert_true(fabs(dc->learn_steps[2] - 60) < 1e-6);
	assert_int_equal(dc->nrelearn_steps, 2);
	assert_true(fabs(dc->relearn_steps[1] - 30) < 1e-6);
	assert_int_equal(dc->max_ivl, 3650);
	assert_int_equal(dc->leech_threshold, 5);
	assert_int_equal(dc->leech_action, 1);
	assert_true(fabs(dc->desired_retention - 0.85) < 1e-6);
	assert_int_equal(dc->fsrs_version, 6);
	assert_int_equal(dc->nparams, 21);
	assert_true(fabs(dc->params[20] - 0.2) < 1e-6);
	assert_true(fabs(dc->params[0] - 0.2172) < 1e-6);
	assert_int_equal(dc->bury_new, 1);
	assert_int_equal(dc->bury_reviews, 0);
	assert_int_equal(dc->bury_interday, 1);
	/* Anki's numbers: random notes is 3 there, 4 in lemma. */
	assert_int_equal(dc->new_gather_priority, 3);
	assert_int_equal(dc->new_sort_order, DC_SORT_RANDOM);
	assert_int_equal(dc->review_order, DC_REV_R_ASC);
	return 0;
}

struct decks_seen {
	size_t	 n;
	int	 default_1, lang, french_vocab;
	int64_t	 vocab_id;
};

static int
anki_deck_back(void *arg, const struct anki_deck *d, struct err *e)
{
	struct decks_seen *ds = arg;

	(void)e;
	ds->n++;
	if (d->id == 1 && strcmp(d->name, "Default") == 0)
		ds->default_1 = 1;
	if (strcmp(d->name, "Lang") == 0)
		ds->lang = 1;
	if (strcmp(d->name, "Lang::French") == 0 && d->conf_id != 1)
		ds->french_vocab = d->conf_id == ds->vocab_id;
	assert_true(d->id == 1 || d->id >= DB_EXPORT_ANKI_ID_MIN);
	return 0;
}

struct types_seen {
	size_t	 n;
	int	 five, basic_css;
};

static int
anki_type_back(void *arg, const struct notetype *nt, struct err *e)
{
	struct types_seen *ts = arg;

	(void)e;
	ts->n++;
	assert_true(nt->id >= DB_EXPORT_ANKI_ID_MIN);
	if (strcmp(nt->name, "Vocabulary") == 0) {
		ts->five = nt->nfields == 5 && nt->ntemplates == 2 &&
		    strcmp(nt->templates[1].name, "Recall") == 0 &&
		    strcmp(nt->fields[4], "Notes") == 0;
	}
	if (strcmp(nt->name, "Basic") == 0)
		ts->basic_css = nt->css != NULL &&
		    strstr(nt->css, "font-family: arial") != NULL;
	return 0;
}

/* ---- the cases --------------------------------------------------------------------- */

static char *
out_path(struct fx *f, const char *name)
{
	return xasprintf("%s/%s", f->dir, name);
}

static void
test_with_scheduling(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct ankicol_counts n;
	struct back b;
	struct cards_seen cs;
	struct notes_seen ns;
	struct confs_seen confs;
	struct decks_seen ds;
	struct types_seen ts;
	struct err e;
	size_t nrev = 0;
	char *path = out_path(f, "all.apkg");

	memset(&o, 0, sizeof o);
	export_ok(f, &o, path, &sum);
	assert_int_equal(sum.notes, 7);
	assert_int_equal(sum.cards, 10);
	assert_int_equal(sum.revlog, 4);
	assert_int_equal(sum.notetypes, 5);
	assert_int_equal(sum.media, 1);
	assert_int_equal(sum.media_missing, 1);

	open_back(path, &b);
	assert_int_equal(apkg_version(b.p), APKG_LATEST);
	assert_int_equal(ankicol_schema(b.c), 18);
	check(ankicol_count(b.c, &n, &e) == 0, &e, "count");
	assert_int_equal(n.notes, 7);
	assert_int_equal(n.cards, 10);
	assert_int_equal(n.revlog, 4);
	assert_int_equal(n.notetypes, 5);
	assert_int_equal(apkg_media_count(b.p), 1);
	assert_string_equal(apkg_media_at(b.p, 0)->name, "pic.png");

	memset(&ns, 0, sizeof ns);
	check(ankicol_each_note(b.c, anki_note_back, &ns, &e) == 0, &e,
	    "notes");
	assert_int_equal(ns.n, 7);
	assert_string_equal(ns.plain, "a &lt; b &amp; c<br>d");
	/* With scheduling the system tags stay. */
	assert_string_equal(ns.tags[0], " animal marked ");

	memset(&cs, 0, sizeof cs);
	cs.f = f;
	cs.b = &b;
	cs.sched = 1;
	anki_sched_ctx_init(&cs.ctx, b.crt, b.rollover, NOW);
	lemma_cards(f, &cs);
	check(ankicol_each_card(b.c, anki_card_back, &cs, &e) == 0, &e,
	    "cards");
	assert_int_equal(cs.n, 10);
	assert_int_equal(cs.fsrs_memory, 4);
	free(cs.l);

	check(ankicol_each_revlog(b.c, anki_revlog_back, &nrev, &e) == 0, &e,
	    "revlog");
	assert_int_equal(nrev, 4);

	memset(&confs, 0, sizeof confs);
	check(ankicol_each_deckconf(b.c, anki_conf_back, &confs, &e) == 0, &e,
	    "presets");
	assert_true(confs.vocab);
	assert_int_equal(confs.n, 2);	/* Default and Vocab */

	memset(&ds, 0, sizeof ds);
	ds.vocab_id = db_export_small_id(f->preset);
	check(ankicol_each_deck(b.c, anki_deck_back, &ds, &e) == 0, &e,
	    "decks");
	assert_true(ds.default_1);
	assert_true(ds.lang);		/* the parent comes along */
	assert_true(ds.french_vocab);
	assert_int_equal(ds.n, 5);	/* Default, Lang, ::French, ::German,
					 * Other */
	memset(&ts, 0, sizeof ts);
	check(ankicol_each_notetype(b.c, anki_type_back, &ts, &e) == 0, &e,
	    "note types");
	assert_int_equal(ts.n, 5);
	assert_true(ts.five);
	assert_true(ts.basic_css);
	close_back(&b);
	free(path);
}

static void
test_without_scheduling(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct ankicol_counts n;
	struct back b;
	struct cards_seen cs;
	struct notes_seen ns;
	struct confs_seen confs;
	struct decks_seen ds;
	struct err e;
	char *path = out_path(f, "nosched.apkg");

	memset(&o, 0, sizeof o);
	o.no_scheduling = 1;
	export_ok(f, &o, path, &sum);
	assert_int_equal(sum.revlog, 0);
	assert_int_equal(sum.presets, 0);
	open_back(path, &b);
	check(ankicol_count(b.c, &n, &e) == 0, &e, "count");
	assert_int_equal(n.revlog, 0);
	assert_int_equal(n.cards, 10);

	memset(&cs, 0, sizeof cs);
	cs.f = f;
	lemma_cards(f, &cs);
	check(ankicol_each_card(b.c, anki_card_back, &cs, &e) == 0, &e,
	    "cards");
	assert_int_equal(cs.n, 10);
	free(cs.l);

	/* marked and leech are dropped, as Anki's remove_system_tags. */
	memset(&ns, 0, sizeof ns);
	check(ankicol_each_note(b.c, anki_note_back, &ns, &e) == 0, &e,
	    "notes");
	assert_string_equal(ns.tags[0], " animal ");
	for (size_t i = 0; i < ns.n; i++)
		assert_null(strstr(ns.tags[i], "leech"));

	/* Only the writer's own Default preset; every deck on it. */
	memset(&confs, 0, sizeof confs);
	check(ankicol_each_deckconf(b.c, anki_conf_back, &confs, &e) == 0, &e,
	    "presets");
	assert_false(confs.vocab);
	memset(&ds, 0, sizeof ds);
	ds.vocab_id = db_export_small_id(f->preset);
	check(ankicol_each_deck(b.c, anki_deck_back, &ds, &e) == 0, &e,
	    "decks");
	assert_false(ds.french_vocab);
	close_back(&b);
	free(path);
}

static void
test_deck_selection(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct apkg_export_summary sum, all;
	struct notes_seen one, whole;
	struct back b;
	struct err e;
	char *path = out_path(f, "french.apkg"), *path2 = out_path(f, "w.apkg");
	size_t same = 0;

	memset(&o, 0, sizeof o);
	o.deck = "Lang::French";
	export_ok(f, &o, path, &sum);
	assert_int_equal(sum.notes, 3);		/* basic, plain, five */
	assert_int_equal(sum.cards, 4);
	assert_int_equal(sum.revlog, 4);
	assert_int_equal(sum.decks, 2);		/* Lang, Lang::French */
	assert_int_equal(sum.notetypes, 2);
	assert_int_equal(sum.media, 0);

	/* The same notes have the same ids in every export. */
	open_back(path, &b);
	memset(&one, 0, sizeof one);
	check(ankicol_each_note(b.c, anki_note_back, &one, &e) == 0, &e, "n");
	close_back(&b);
	memset(&o, 0, sizeof o);
	export_ok(f, &o, path2, &all);
	open_back(path2, &b);
	memset(&whole, 0, sizeof whole);
	check(ankicol_each_note(b.c, anki_note_back, &whole, &e) == 0, &e,
	    "n");
	close_back(&b);
	for (size_t i = 0; i < one.n; i++)
		for (size_t k = 0; k < whole.n; k++)
			same += one.ids[i] == whole.ids[k];
	assert_int_equal(same, 3);

	/* Lang takes its sub-decks. */
	o.deck = "Lang";
	o.force = 1;
	export_ok(f, &o, path, &sum);
	assert_int_equal(sum.notes, 4);
	assert_int_equal(sum.decks, 3);
	free(path);
	free(path2);
}

static void
test_media_and_legacy(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct ankicol_counts n;
	struct back b;
	struct err e;
	char *path = out_path(f, "legacy.apkg");

	memset(&o, 0, sizeof o);
	o.legacy = 1;
	o.no_media = 1;
	export_ok(f, &o, path, &sum);
	assert_int_equal(sum.media, 0);
	assert_int_equal(sum.media_missing, 0);
	open_back(path, &b);
	assert_int_equal(apkg_version(b.p), APKG_LEGACY2);
	assert_int_equal(ankicol_schema(b.c), 11);
	assert_int_equal(apkg_media_count(b.p), 0);
	check(ankicol_count(b.c, &n, &e) == 0, &e, "count");
	assert_int_equal(n.notes, 7);
	assert_int_equal(n.cards, 10);
	assert_int_equal(n.revlog, 4);
	assert_int_equal(n.notetypes, 5);
	close_back(&b);
	free(path);
}

static void
test_colpkg(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct err e;
	char *path = out_path(f, "all.colpkg");

	memset(&o, 0, sizeof o);
	o.colpkg = 1;
	export_ok(f, &o, path, &sum);
	/* The whole collection: every note type (Basic (optional reversed
	 * card) too, which no note uses) and every preset. */
	assert_int_equal(sum.notetypes, 6);
	assert_int_equal(sum.presets, 2);
	assert_int_equal(sum.notes, 7);
	o.deck = "Other";
	o.force = 1;
	assert_int_equal(apkg_export(f->db, &o, path, NOW, NULL, &sum, &e), -1);
	assert_non_null(strstr(e.msg, "--deck"));
	free(path);
}

static int
stop_at_once(void *arg, const struct progress *p)
{
	(void)arg;
	return p->done >= 3;
}

static void
test_whole_or_nothing(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct progress p;
	struct stat st;
	struct err e;
	char *path = out_path(f, "x.apkg");
	FILE *fp;

	/* An existing file is kept without --force. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("mine", fp);
	fclose(fp);
	memset(&o, 0, sizeof o);
	o.media_dir = f->media;
	assert_int_equal(apkg_export(f->db, &o, path, NOW, NULL, NULL, &e), -1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);

	/* A cancel half-way: the old file is still there, unchanged. */
	o.force = 1;
	memset(&p, 0, sizeof p);
	p.report = stop_at_once;
	assert_int_equal(apkg_export(f->db, &o, path, NOW, &p, NULL, &e), -1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);
	unlink(path);
	assert_int_equal(apkg_export(f->db, &o, path, NOW, &p, NULL, &e), -1);
	assert_int_equal(stat(path, &st), -1);

	/* An unknown deck: a message, no file. */
	o.deck = "No such deck";
	assert_int_equal(apkg_export(f->db, &o, path, NOW, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "No such deck"));
	assert_int_equal(stat(path, &st), -1);

	/* The progress file is usable, with no temporary table left. */
	{
		struct db_export *x = db_export_open(f->db, 0, 0, &e);

		check(x != NULL, &e, "again");
		db_export_close(x);
	}
	free(path);
}


/* A type imported from Anki goes back under its Anki id; a second type of
 * the same origin (a changed copy) under its own; notes follow. */
struct origin_seen {
	int64_t	 vocab_id, typing_id;
	size_t	 notes_of_vocab;
};

static int
origin_type(void *arg, const struct notetype *nt, struct err *e)
{
	struct origin_seen *os = arg;

	(void)e;
	if (strcmp(nt->name, "Vocabulary") == 0)
		os->vocab_id = nt->id;
	if (strcmp(nt->name, "Basic (type in the answer)") == 0)
		os->typing_id = nt->id;
	return 0;
}

static int
origin_note(void *arg, const struct anki_note *n, struct err *e)
{
	struct origin_seen *os = arg;

	(void)e;
	if (n->mid == 1700000000100LL && n->nfields == 5)
		os->notes_of_vocab++;
	return 0;
}

static void
origin_export(struct fx *f, const char *name, struct origin_seen *os)
{
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct back b;
	struct err e;
	char *path = out_path(f, name);

	memset(&o, 0, sizeof o);
	export_ok(f, &o, path, &sum);
	open_back(path, &b);
	memset(os, 0, sizeof *os);
	check(ankicol_each_notetype(b.c, origin_type, os, &e) == 0, &e, "nt");
	check(ankicol_each_note(b.c, origin_note, os, &e) == 0, &e, "notes");
	close_back(&b);
	free(path);
}

static void
test_type_origin(void **state)
{
	struct fx *f = *state;
	struct origin_seen os;
	char *q;

	q = xasprintf("UPDATE notetypes SET original_id = 1700000000100 "
	    "WHERE id = %lld", (long long)f->nt5);
	sql(f, q);
	free(q);
	origin_export(f, "origin1.apkg", &os);
	assert_int_equal(os.vocab_id, 1700000000100LL);
	assert_int_equal(os.notes_of_vocab, 1);
	assert_int_equal(os.typing_id, db_export_small_id(NOTETYPE_TYPING));

	/* Two types of one origin: the first by id (here the built-in
	 * Typing, 4) takes the Anki id, the other its own. */
	q = xasprintf("UPDATE notetypes SET original_id = 1700000000100 "
	    "WHERE id = %d", NOTETYPE_TYPING);
	sql(f, q);
	free(q);
	origin_export(f, "origin2.apkg", &os);
	assert_int_equal(os.typing_id, 1700000000100LL);
	assert_int_equal(os.vocab_id, db_export_small_id(f->nt5));
	assert_int_equal(os.notes_of_vocab, 0);
}

/* ---- the round trip: export, import into an empty file, compare -------------------- */

/* A plain note's text as the HTML Anki keeps (what comes back). */
static void
html_of(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '<')
			buf_adds(b, "&lt;");
		else if (*s == '>')
			buf_adds(b, "&gt;");
		else if (*s == '&')
			buf_adds(b, "&amp;");
		else if (*s == '\n')
			buf_adds(b, "<br>");
		else
			buf_addc(b, *s);
	}
}

/* The rows of query q on the file at path, one line each, columns
 * joined by '|'; column html_col (or -1) holds fields that are HTML
 * when column html_col + 1 says so, else plain text made HTML. */
static char *
rows_of(const char *path, const char *q, int html_col)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	assert_int_equal(sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	if (sqlite3_prepare_v2(s, q, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(s));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			if (i == html_col + 1 && html_col >= 0)
				continue;
			if (i > 0)
				buf_addc(&b, '|');
			if (i == html_col && !sqlite3_column_int(st, i + 1))
				html_of(&b, v != NULL ? v : "");
			else
				buf_adds(&b, v != NULL ? v : "NULL");
		}
		buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return buf_steal(&b);
}

static void
same_rows(const char *what, const char *a_path, const char *b_path,
    const char *q, int html_col)
{
	char *a = rows_of(a_path, q, html_col), *b = rows_of(b_path, q,
	    html_col);

	if (strcmp(a, b) != 0)
		fail_msg("%s differ:\nexported:\n%s\nimported:\n%s", what, a, b);
	assert_true(strlen(a) > 0);
	free(a);
	free(b);
}

static void
test_round_trip(void **state)
{
	struct fx *f = *state;
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct import_opts io;
	struct import_totals t;
	struct db *db2;
	struct err e;
	char *path = out_path(f, "rt.apkg"), *db2_path = out_path(f, "rt.db");
	const char *paths[1];
	/* Review cards: the study day they are due (Anki keeps days); new
	 * cards: their order (an import puts them after the file's own). */
	static const char cards_q[] =
	    "SELECT n.guid, c.ord, d.name, c.state, "
	    "CASE WHEN c.state = 2 THEN (c.due - 14400) / 86400 ELSE c.due END, "
	    "c.step, printf('%.4f', c.stability), printf('%.4f', c.difficulty), "
	    "c.last_review, c.scheduled_days, c.reps, c.lapses, c.suspended, "
	    "c.buried_until > 0, c.flag, CASE WHEN c.state = 0 THEN c.position - "
	    "(SELECT min(position) FROM cards WHERE state = 0) END "
	    "FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON "
	    "d.id = c.deck_id ORDER BY n.guid, c.ord";

	memset(&o, 0, sizeof o);
	export_ok(f, &o, path, &sum);
	db2 = db_open(db2_path, DB_CREATE, &e);
	check(db2 != NULL, &e, "open the second file");
	memset(&io, 0, sizeof io);
	paths[0] = path;
	check(import_paths(db2, paths, 1, &io, NOW, &t, &e) == 0, &e,
	    "import the package");
	db_close(db2);

	same_rows("notes", f->db_path, db2_path, "SELECT n.guid, t.name, "
	    "d.name, n.tags, n.fields, n.is_html FROM notes n JOIN notetypes t "
	    "ON t.id = n.notetype JOIN decks d ON d.id = n.deck_id "
	    "ORDER BY n.guid", 4);
	same_rows("cards", f->db_path, db2_path, cards_q, -1);
	same_rows("the review log", f->db_path, db2_path, "SELECT r.id, "
	    "n.guid, c.ord, r.rating, r.kind, r.answer_ms, r.state "
	    "FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON "
	    "n.id = c.note_id ORDER BY r.id", -1);
	same_rows("note types", f->db_path, db2_path, "SELECT t.name, t.kind, "
	    "t.sort_field, group_concat(f.name, ',') FROM notetypes t JOIN "
	    "nt_fields f ON f.notetype = t.id WHERE t.id IN (SELECT notetype "
	    "FROM notes) GROUP BY t.id ORDER BY t.name", -1);
	same_rows("templates", f->db_path, db2_path, "SELECT t.name, m.ord, "
	    "m.name, m.qfmt, m.afmt FROM notetypes t JOIN nt_templates m ON "
	    "m.notetype = t.id WHERE t.id IN (SELECT notetype FROM notes) "
	    "ORDER BY t.name, m.ord", -1);
	same_rows("decks", f->db_path, db2_path, "SELECT d.name, c.name FROM "
	    "decks d JOIN deck_config c ON c.id = d.config_id ORDER BY d.name",
	    -1);
	same_rows("presets", f->db_path, db2_path, "SELECT name, "
	    "printf('%.4f', desired_retention), learning_steps, "
	    "relearning_steps, min_interval, max_interval, new_per_day, "
	    "reviews_per_day, leech_threshold, leech_action, bury_new, "
	    "bury_reviews, bury_interday, new_gather_order, new_sort_order, "
	    "new_mix, interday_mix, review_order FROM deck_config "
	    "WHERE id IN (SELECT config_id FROM decks) ORDER BY name", -1);
	/* The FSRS parameters as numbers (Anki keeps floats; the text
	 * comes back with four decimals). */
	{
		char *a = rows_of(f->db_path, "SELECT fsrs_params FROM "
		    "deck_config WHERE name = 'Vocab'", -1);
		char *b = rows_of(db2_path, "SELECT fsrs_params FROM "
		    "deck_config WHERE name = 'Vocab'", -1);
		struct fsrs_params pa, pb;

		fsrs_params_default(&pa);
		fsrs_params_default(&pb);
		check(fsrs_params_parse_weights(&pa, a, &e) == 0, &e, "a");
		check(fsrs_params_parse_weights(&pb, b, &e) == 0, &e, "b");
		for (size_t i = 0; i < FSRS_NPARAMS; i++)
			assert_true(fabs(pa.w[i] - pb.w[i]) < 1e-4);
		assert_true(fabs(pa.w[20] - 0.2) < 1e-6);
		free(a);
		free(b);
	}
	free(path);
	free(db2_path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_with_scheduling, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_without_scheduling, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deck_selection, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_media_and_legacy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_colpkg, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_or_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_type_origin, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
