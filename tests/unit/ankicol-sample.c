/*
 * ankicol-sample.c - the sample collection (see ankicol-sample.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "ankicol-sample.h"

static char *vocab_fields[] = {
	(char *)"Word", (char *)"Meaning", (char *)"Example",
	(char *)"Gender", (char *)"Audio"
};
static struct notetype_template vocab_templates[] = {
	{ (char *)"Recognise", (char *)"{{Word}}<br>{{Gender}}",
	  (char *)"{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Example}}" },
	{ (char *)"Produce", (char *)"{{Meaning}}<br>{{type:Word}}",
	  (char *)"{{FrontSide}}<hr id=answer>{{Word}} {{Audio}}" },
};
static char *cloze_fields[] = { (char *)"Text", (char *)"Extra" };
static struct notetype_template cloze_templates[] = {
	{ (char *)"Cloze", (char *)"{{cloze:Text}}",
	  (char *)"{{cloze:Text}}<br>{{Extra}}" },
};

const struct notetype sample_notetypes[] = {
	{ .id = 1700000000100, .name = (char *)"Vocab (5 fields)",
	  .kind = NOTETYPE_NORMAL, .sort_field = 0,
	  .css = (char *)".card { font-family: serif; }", .mtime = 1700000100,
	  .nfields = 5, .fields = vocab_fields,
	  .ntemplates = 2, .templates = vocab_templates },
	{ .id = 1700000000200, .name = (char *)"Cloze",
	  .kind = NOTETYPE_KIND_CLOZE, .sort_field = 0, .css = (char *)"",
	  .mtime = 1700000200, .nfields = 2, .fields = cloze_fields,
	  .ntemplates = 1, .templates = cloze_templates },
};
const size_t sample_nnotetypes = 2;

const struct anki_deck sample_decks[] = {
	{ 1, (char *)"Default", 0, 1, (char *)"", 1700000000 },
	{ 1700000000300, (char *)"Languages::French", 0, 1700000000400,
	  (char *)"Words <b>and</b> phrases", 1700000300 },
	{ 1700000000350, (char *)"Filtered Deck 1", 1, 0, (char *)"",
	  1700000350 },
};
const size_t sample_ndecks = 3;

static float learn[] = { 1, 10 };
static float relearn[] = { 10 };
static float params6[] = {
	0.212f, 1.2931f, 2.3065f, 8.2956f, 6.4133f, 0.8334f, 3.0194f,
	0.001f, 1.8722f, 0.1666f, 0.796f, 1.4835f, 0.0614f, 0.2629f,
	1.6483f, 0.6014f, 1.8729f, 0.5425f, 0.0912f, 0.0658f, 0.1542f
};
static float steps_fr[] = { 15, 60, 1440 };

const struct anki_deckconf sample_deckconfs[] = {
	{ .id = 1, .name = (char *)"Default", .mtime = 1700000000,
	  .new_per_day = 20, .reviews_per_day = 200, .nlearn_steps = 2,
	  .learn_steps = learn, .nrelearn_steps = 1, .relearn_steps = relearn,
	  .max_ivl = 36500, .leech_threshold = 8, .leech_action = 1,
	  .desired_retention = 0.9f, .initial_ease = 2.5f },
	{ .id = 1700000000400, .name = (char *)"French FSRS",
	  .mtime = 1700000400, .new_per_day = 15, .reviews_per_day = 150,
	  .nlearn_steps = 3, .learn_steps = steps_fr, .nrelearn_steps = 1,
	  .relearn_steps = relearn, .max_ivl = 3650, .leech_threshold = 6,
	  .leech_action = 0, .desired_retention = 0.85f, .fsrs_version = 6,
	  .nparams = 21, .params = params6, .bury_new = 1, .bury_reviews = 1,
	  .bury_interday = 0, .new_sort_order = 1, .new_gather_priority = 5,
	  .review_order = 7, .initial_ease = 2.3f },
};
const size_t sample_ndeckconfs = 2;

static char *n1[] = { (char *)"chat", (char *)"cat",
	(char *)"Le <b>chat</b> dort.", (char *)"m", (char *)"[sound:chat.mp3]" };
static char *n2[] = { (char *)"maison", (char *)"house", (char *)"",
	(char *)"f", (char *)"" };
static char *n3[] = { (char *)"{{c1::Paris}} is the capital of {{c2::France}}",
	(char *)"Extra with \xc3\xa9 and <img src=\"map.png\">" };

const struct anki_note sample_notes[] = {
	{ 1700000001000, (char *)"f1;Gw?e[Q", 1700000000100, 1700001000,
	  (char *)" french noun ", 5, n1 },
	{ 1700000002000, (char *)"b#4mVq|2xZ", 1700000000100, 1700002000,
	  (char *)"", 5, n2 },
	{ 1700000003000, (char *)"Oo7&:pL0aa", 1700000000200, 1700003000,
	  (char *)" geo ", 2, n3 },
};
const size_t sample_nnotes = 3;

const struct anki_card sample_cards[] = {
	/* a review card with a memory state */
	{ .id = 1700000001001, .nid = 1700000001000, .did = 1700000000300,
	  .ord = 0, .type = 2, .queue = 2, .due = 20100, .ivl = 12,
	  .factor = 2500, .reps = 4, .lapses = 1, .flags = 1,
	  .mod = 1700001001, .has_memory = 1, .stability = 12.5,
	  .difficulty = 5.25, .desired_retention = 0.85, .decay = 0.1542,
	  .last_review = 1735000000 },
	/* learning, in the filtered deck, home deck French */
	{ .id = 1700000001002, .nid = 1700000001000, .did = 1700000000350,
	  .odid = 1700000000300, .ord = 1, .type = 1, .queue = 1,
	  .due = 1735725600, .odue = 0, .ivl = 0, .factor = 2500, .reps = 1,
	  .left = 1001, .mod = 1700001002, .has_memory = 1,
	  .stability = 0.5, .difficulty = 7 },
	/* new, suspended */
	{ .id = 1700000002001, .nid = 1700000002000, .did = 1700000000300,
	  .ord = 0, .type = 0, .queue = -1, .due = 2, .mod = 1700002001,
	  .original_position = 7 },
	/* cloze 1 and 2, new and buried */
	{ .id = 1700000003001, .nid = 1700000003000, .did = 1, .ord = 0,
	  .type = 0, .queue = 0, .due = 3, .mod = 1700003001 },
	{ .id = 1700000003002, .nid = 1700000003000, .did = 1, .ord = 1,
	  .type = 2, .queue = -3, .due = 20000, .ivl = 3, .factor = 2300,
	  .reps = 2, .mod = 1700003002 },
};
const size_t sample_ncards = 5;

const struct anki_revlog sample_revlog[] = {
	{ 1734000000000, 1700000001001, 3, -600, 0, 2500, 8000, 0 },
	{ 1734000600000, 1700000001001, 3, 1, -600, 2500, 6500, 0 },
	{ 1734086400000, 1700000001001, 1, -600, 1, 2300, 12000, 1 },
	{ 1735000000000, 1700000001001, 3, 12, 1, 2300, 4000, 2 },
	{ 1735700000000, 1700000003002, 4, 3, 0, 0, 0, 4 },
};
const size_t sample_nrevlog = 5;

int
sample_write(const char *path, int schema, struct err *e)
{
	struct ankicol_writer *w = ankicol_writer_create(path, schema,
	    SAMPLE_NOW, e);

	if (w == NULL)
		return -1;
	for (size_t i = 0; i < sample_nnotetypes; i++)
		if (ankicol_add_notetype(w, &sample_notetypes[i], e) < 0)
			goto fail;
	for (size_t i = 0; i < sample_ndecks; i++)
		if (ankicol_add_deck(w, &sample_decks[i], e) < 0)
			goto fail;
	for (size_t i = 0; i < sample_ndeckconfs; i++)
		if (ankicol_add_deckconf(w, &sample_deckconfs[i], e) < 0)
			goto fail;
	for (size_t i = 0; i < sample_nnotes; i++)
		if (ankicol_add_note(w, &sample_notes[i], e) < 0)
			goto fail;
	for (size_t i = 0; i < sample_ncards; i++)
		if (ankicol_add_card(w, &sample_cards[i], e) < 0)
			goto fail;
	for (size_t i = 0; i < sample_nrevlog; i++)
		if (ankicol_add_revlog(w, &sample_revlog[i], e) < 0)
			goto fail;
	return ankicol_writer_finish(w, e);
fail:
	ankicol_writer_abort(w);
	return -1;
}

/* ---- checking, one callback per kind; each counts its rows ---------- */

static int
check_nt(void *arg, const struct notetype *nt, struct err *e)
{
	size_t *i = arg;
	const struct notetype *w = &sample_notetypes[*i];

	(void)e;
	assert_true(*i < sample_nnotetypes);
	assert_int_equal(nt->id, w->id);
	assert_string_equal(nt->name, w->name);
	assert_int_equal(nt->kind, w->kind);
	assert_int_equal(nt->sort_field, w->sort_field);
	assert_string_equal(nt->css, w->css);
	assert_int_equal(nt->mtime, w->mtime);
	assert_int_equal(nt->nfields, w->nfields);
	for (size_t f = 0; f < nt->nfields; f++)
		assert_string_equal(nt->fields[f], w->fields[f]);
	assert_int_equal(nt->ntemplates, w->ntemplates);
	for (size_t t = 0; t < nt->ntemplates; t++) {
		assert_string_equal(nt->templates[t].name, w->templates[t].name);
		assert_string_equal(nt->templates[t].qfmt, w->templates[t].qfmt);
		assert_string_equal(nt->templates[t].afmt, w->templates[t].afmt);
	}
	(*i)++;
	return 0;
}

static int
check_deck(void *arg, const struct anki_deck *d, struct err *e)
{
	size_t *i = arg;
	const struct anki_deck *w = &sample_decks[*i];

	(void)e;
	assert_true(*i < sample_ndecks);
	assert_int_equal(d->id, w->id);
	assert_string_equal(d->name, w->name);
	assert_int_equal(d->filtered, w->filtered);
	assert_int_equal(d->conf_id, w->conf_id);
	assert_string_equal(d->description, w->description);
	assert_int_equal(d->mtime, w->mtime);
	(*i)++;
	return 0;
}

static void
floats_equal(const float *a, size_t na, const float *b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_true(fabsf(a[i] - b[i]) < 1e-5f);
}

static int
check_dc(void *arg, const struct anki_deckconf *dc, struct err *e)
{
	size_t *i = arg;
	const struct anki_deckconf *w = &sample_deckconfs[*i];

	(void)e;
	assert_true(*i < sample_ndeckconfs);
	assert_int_equal(dc->id, w->id);
	assert_string_equal(dc->name, w->name);
	assert_int_equal(dc->mtime, w->mtime);
	assert_int_equal(dc->new_per_day, w->new_per_day);
	assert_int_equal(dc->reviews_per_day, w->reviews_per_day);
	floats_equal(dc->learn_steps, dc->nlearn_steps, w->learn_steps,
	    w->nlearn_steps);
	floats_equal(dc->relearn_steps, dc->nrelearn_steps, w->relearn_steps,
	    w->nrelearn_steps);
	assert_int_equal(dc->max_ivl, w->max_ivl);
	assert_int_equal(dc->leech_threshold, w->leech_threshold);
	assert_int_equal(dc->leech_action, w->leech_action);
	assert_true(fabsf(dc->desired_retention - w->desired_retention) < 1e-5f);
	assert_int_equal(dc->fsrs_version, w->fsrs_version);
	floats_equal(dc->params, dc->nparams, w->params, w->nparams);
	assert_int_equal(dc->bury_new, w->bury_new);
	assert_int_equal(dc->bury_reviews, w->bury_reviews);
	assert_int_equal(dc->bury_interday, w->bury_interday);
	assert_int_equal(dc->new_sort_order, w->new_sort_order);
	assert_int_equal(dc->new_gather_priority, w->new_gather_priority);
	assert_int_equal(dc->review_order, w->review_order);
	assert_true(fabsf(dc->initial_ease - w->initial_ease) < 1e-4f);
	(*i)++;
	return 0;
}

static int
check_note(void *arg, const struct anki_note *n, struct err *e)
{
	size_t *i = arg;
	const struct anki_note *w = &sample_notes[*i];

	(void)e;
	assert_true(*i < sample_nnotes);
	assert_int_equal(n->id, w->id);
	assert_string_equal(n->guid, w->guid);
	assert_int_equal(n->mid, w->mid);
	assert_int_equal(n->mod, w->mod);
	assert_string_equal(n->tags, w->tags);
	assert_int_equal(n->nfields, w->nfields);
	for (size_t f = 0; f < n->nfields; f++)
		assert_string_equal(n->fields[f], w->fields[f]);
	(*i)++;
	return 0;
}

static int
check_card(void *arg, const struct anki_card *c, struct err *e)
{
	size_t *i = arg;
	const struct anki_card *w = &sample_cards[*i];

	(void)e;
	assert_true(*i < sample_ncards);
	assert_int_equal(c->id, w->id);
	assert_int_equal(c->nid, w->nid);
	assert_int_equal(c->did, w->did);
	assert_int_equal(c->odid, w->odid);
	assert_int_equal(c->ord, w->ord);
	assert_int_equal(c->type, w->type);
	assert_int_equal(c->queue, w->queue);
	assert_int_equal(c->due, w->due);
	assert_int_equal(c->odue, w->odue);
	assert_int_equal(c->ivl, w->ivl);
	assert_int_equal(c->factor, w->factor);
	assert_int_equal(c->reps, w->reps);
	assert_int_equal(c->lapses, w->lapses);
	assert_int_equal(c->left, w->left);
	assert_int_equal(c->flags, w->flags);
	assert_int_equal(c->mod, w->mod);
	assert_int_equal(c->has_memory, w->has_memory);
	assert_true(fabs(c->stability - w->stability) < 1e-4);
	assert_true(fabs(c->difficulty - w->difficulty) < 1e-4);
	assert_true(fabs(c->desired_retention - w->desired_retention) < 1e-4);
	assert_int_equal(c->last_review, w->last_review);
	assert_true(fabs(c->decay - w->decay) < 1e-6);
	assert_int_equal(c->original_position, w->original_position);
	(*i)++;
	return 0;
}

static int
check_rev(void *arg, const struct anki_revlog *r, struct err *e)
{
	size_t *i = arg;

	(void)e;
	assert_true(*i < sample_nrevlog);
	assert_memory_equal(r, &sample_revlog[*i], sizeof *r);
	(*i)++;
	return 0;
}

void
sample_check_open(struct ankicol *c)
{
	struct ankicol_counts n;
	struct err e;
	size_t i;

	err_clear(&e);
	assert_int_equal(ankicol_integrity(c, &e), 0);
	assert_int_equal(ankicol_count(c, &n, &e), 0);
	assert_int_equal(n.notetypes, sample_nnotetypes);
	assert_int_equal(n.decks, sample_ndecks);
	assert_int_equal(n.deckconfs, sample_ndeckconfs);
	assert_int_equal(n.notes, sample_nnotes);
	assert_int_equal(n.cards, sample_ncards);
	assert_int_equal(n.revlog, sample_nrevlog);
	i = 0;
	assert_int_equal(ankicol_each_notetype(c, check_nt, &i, &e), 0);
	assert_int_equal(i, sample_nnotetypes);
	i = 0;
	assert_int_equal(ankicol_each_deck(c, check_deck, &i, &e), 0);
	assert_int_equal(i, sample_ndecks);
	i = 0;
	assert_int_equal(ankicol_each_deckconf(c, check_dc, &i, &e), 0);
	assert_int_equal(i, sample_ndeckconfs);
	i = 0;
	assert_int_equal(ankicol_each_note(c, check_note, &i, &e), 0);
	assert_int_equal(i, sample_nnotes);
	i = 0;
	assert_int_equal(ankicol_each_card(c, check_card, &i, &e), 0);
	assert_int_equal(i, sample_ncards);
	i = 0;
	assert_int_equal(ankicol_each_revlog(c, check_rev, &i, &e), 0);
	assert_int_equal(i, sample_nrevlog);
}

void
sample_check(const char *path, const char *label)
{
	struct err e;
	struct ankicol *c;

	err_clear(&e);
	c = ankicol_open(path, label, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	sample_check_open(c);
	ankicol_close(c);
}
