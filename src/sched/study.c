/*
 * study.c - a study session: today's queue, grading, undo; see study.h.
 *
 * The session is a cache over the progress file. study_open() gathers
 * today's cards as Anki's v3 scheduler does: intraday learning cards (shown
 * when their step is due), then interday learning and review cards (by due
 * day, then lowest retrievability) and new cards (deck order, then
 * position), each taken only while the daily limits of its deck and of
 * every parent deck up to the one studied allow. Reviews and new cards are
 * interleaved evenly. Today's counts come from the review log, so a queue
 * rebuilt at any time (a new day, an undo) is the same queue.
 */
#include "config.h"

#include "lemma/sched/study.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/day.h"
#include "lemma/base/hashtab.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-study.h"
#include "lemma/store/deckconf.h"

#define DAY_SECS	86400

/* A deck options preset, compiled. */
struct conf {
	int64_t			id;
	struct fsrs_params	p;
	int			new_per_day, reviews_per_day;
	int			leech_threshold, leech_action;
	/* Anki's options (deckconf.h's names and numbers). */
	int			bury_new, bury_reviews, bury_interday;
	int			min_interval, new_gather_order, new_sort_order;
	int			new_mix, interday_mix, review_order;
	int			limits_from_top;
	int			bad;		/* error holds why */
	char			error[600];
};

/* A deck, with today's limits. */
struct dnode {
	int64_t	 id;
	char	*name;
	int	 parent;	/* index, -1 for a top-level deck */
	int	 conf;		/* index into confs */
	int	 depth;
	int	 in_session;
	int	 new_done, rev_done;	/* graded today in this deck alone */
	int	 new_rem, rev_rem;	/* what the limits still allow */
};

/* A deck's id beside its index in decks[]: sorting these needs no
 * context, so no comparator reaches for the tree through a global. */
struct deck_by_id {
	int64_t		 id;
	int		 deck;
};

struct tree {
	struct db_study_deck	*raw;
	size_t			 nraw;
	struct db_study_conf	*rawc;
	size_t			 nrawc;
	struct dnode		*decks;
	size_t			 ndecks;
	struct conf		*confs;
	size_t			 nconfs;
	struct deck_by_id	*by_id;	/* sorted by id */
	int			 rollover;
	int			 learn_ahead;	/* seconds (the collection's) */
};

enum qkind {
	Q_NEW,
	Q_REVIEW,
	Q_INTERDAY,
};

/* An entry of the main queue. */
struct qent {
	int64_t	 id;
	int	 deck;
	char	 kind;		/* enum qkind */
	char	 done;		/* graded, suspended or buried */
	char	 deferred;	/* a sibling waiting for the end */
	char	 ahead;		/* studied ahead: outside the limits */
};

/* An intraday learning card. */
struct lent {
	int64_t	 id, due;
};

enum undo_kind {
	UNDO_GRADE,
	UNDO_SUSPEND,
	UNDO_BURY,
};

struct undo {
	int	 kind;
	int64_t	 card_id, revlog_id;
	/* The card's cards.mod before and after the action: undo goes ahead
	 * only while the card is still at mod_after. */
	int64_t	 mod_before, mod_after;
	int	 leech_tagged;
	int	 rating, answer_ms;
	int	 prev_suspended;
	long	 prev_buried;
	/* Siblings the grade buried until sib_until, and their buried_until
	 * before (owned). */
	int64_t	*sib;
	long	*sib_prev;
	size_t	 nsib;
	long	 sib_until;
};

struct study {
	struct db		*db;
	int64_t			 deck_id;
	int			 root;		/* index of deck_id, -1 for all */
	int			 ahead_days;
	int			 limits_top;	/* parents above the root limit too */
	/* A filtered session (custom study): these cards in this order,
	 * outside the limits, left in their decks; preview: grades write
	 * nothing. */
	int64_t			*filter;
	size_t			 nfilter;
	int			 filtered, preview;
	struct tree		 t;
	long			 today;
	time_t			 day_begin, day_end;
	time_t			 last_now;

	struct qent		*q;		/* regular entries, then deferred */
	size_t			 nq, qcap, nregular, pos;
	struct lent		*learn;
	size_t			 nlearn, lcap;
	int64_t			 forced;	/* show this card next (undo) */

	int			 has_cur;
	struct db_study_card	 cur;
	struct study_card	 view;
	int			 cur_q;		/* index into q, or -1 */

	struct undo		*undo;
	size_t			 nundo, ucap;
	/* The newest raise of today's limits (custom study, "10 more"),
	 * until the program's undo stack takes it. */
	struct db_extend_undo	*extend_undo;
	/* The card of each grade of the session, for the summary's count
	 * of distinct cards (the undo list may be taken elsewhere). */
	int64_t			*graded;
	size_t			 ngraded, gcap;
	struct study_summary	 sum;
};

static void
undo_clear(struct undo *u)
{
	free(u->sib);
	free(u->sib_prev);
	u->sib = NULL;
	u->sib_prev = NULL;
	u->nsib = 0;
}

/* ---- decks, presets, limits -------------------------------------------- */

/* Compile a preset. A bad step list or parameter vector is kept as an
 * error on the preset, not a failure: the deck list still needs its
 * limits, and only a session on a deck that uses it must refuse. */
static void
conf_compile(const struct db_study_conf *in, int rollover, struct conf *out)
{
	struct err e2;
	struct fsrs_params *p = &out->p;
	const char *what = NULL;

	memset(out, 0, sizeof *out);
	out->id = in->id;
	out->new_per_day = in->new_per_day < 0 ? 0 : in->new_per_day;
	out->reviews_per_day = in->reviews_per_day < 0 ? 0 : in->reviews_per_day;
	out->leech_threshold = in->leech_threshold;
	out->leech_action = in->leech_action;
	out->bury_new = in->bury_new;
	out->bury_reviews = in->bury_reviews;
	out->bury_interday = in->bury_interday;
	out->min_interval = in->min_interval < 1 ? 1 : in->min_interval;
	out->new_gather_order = in->new_gather_order;
	out->new_sort_order = in->new_sort_order;
	out->new_mix = in->new_mix;
	out->interday_mix = in->interday_mix;
	out->review_order = in->review_order;
	out->limits_from_top = in->limits_from_top;
	fsrs_params_default(p);
	p->rollover_hour = rollover;
	p->max_interval = in->max_interval < 1 ? 1 : in->max_interval;
	if (fsrs_params_parse_weights(p, in->fsrs_params, &e2) < 0 ||
	    fsrs_params_set_retention(p, in->desired_retention, &e2) < 0)
		what = "";
	else if (fsrs_steps_parse(in->learning_steps, p->learn_steps,
	    &p->nlearn, &e2) < 0)
		what = "learning steps: ";
	else if (fsrs_steps_parse(in->relearning_steps, p->relearn_steps,
	    &p->nrelearn, &e2) < 0)
		what = "relearning steps: ";
	if (what != NULL) {
		out->bad = 1;
		snprintf(out->error, sizeof out->error, "deck options \"%s\": %s%s",
		    in->name, what, e2.msg);
	}
	fsrs_params_prepare(p);
}

static int
cmp_by_id(const void *a, const void *b)
{
	int64_t x = ((const struct deck_by_id *)a)->id;
	int64_t y = ((const struct deck_by_id *)b)->id;

	return x < y ? -1 : x > y;
}

static int
tree_find(const struct tree *t, int64_t id)
{
	size_t lo = 0, hi = t->ndecks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int64_t v = t->by_id[mid].id;
		if (v == id)
			return t->by_id[mid].deck;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
tree_find_name(const struct tree *t, const char *name, size_t len)
{
	size_t lo = 0, hi = t->ndecks;

	/* decks are sorted by name with SQLite's BINARY collation, which is
	 * memcmp order. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *v = t->decks[mid].name;
		int c = strncmp(v, name, len);
		if (c == 0)
			c = v[len] == '\0' ? 0 : 1;
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void
tree_free(struct tree *t)
{
	db_study_decks_free(t->raw, t->nraw, t->rawc, t->nrawc);
	free(t->decks);
	free(t->confs);
	free(t->by_id);
	memset(t, 0, sizeof *t);
}

static int
tree_load(struct db *db, struct tree *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (db_study_load_decks(db, &t->raw, &t->nraw, &t->rawc, &t->nrawc, e) < 0)
		return -1;
	/* One day boundary and learn-ahead limit for the collection, as
	 * Anki's "next day starts at" and "learn ahead limit". */
	db_study_globals(db, &t->rollover, &t->learn_ahead);
	t->nconfs = t->nrawc;
	t->confs = xcalloc(t->nconfs + 1, sizeof *t->confs);
	for (size_t i = 0; i < t->nrawc; i++) {
		conf_compile(&t->rawc[i], t->rollover, &t->confs[i]);
	}
	if (t->nconfs == 0) {
		/* No preset at all: a file the schema would never make, but
		 * the defaults are a safe reading of it. */
		fsrs_params_default(&t->confs[0].p);
		t->confs[0].new_per_day = 20;
		t->confs[0].reviews_per_day = 200;
		t->confs[0].leech_threshold = 8;
		t->confs[0].bury_new = t->confs[0].bury_reviews = 1;
		t->confs[0].min_interval = 1;
		t->nconfs = 1;
	}
	t->ndecks = t->nraw;
	t->decks = xcalloc(t->ndecks + 1, sizeof *t->decks);
	t->by_id = xcalloc(t->ndecks + 1, sizeof *t->by_id);
	for (size_t i = 0; i < t->ndecks; i++) {
		struct dnode *d = &t->decks[i];
		d->id = t->raw[i].id;
		d->name = t->raw[i].name;
		d->conf = 0;
		for (size_t k = 0; k < t->nrawc; k++)
			if (t->rawc[k].id == t->raw[i].config_id)
				d->conf = (int)k;
		t->by_id[i].id = d->id;
		t->by_id[i].deck = (int)i;
	}
	for (size_t i = 0; i < t->ndecks; i++) {
		struct dnode *d = &t->decks[i];
		const char *sep = NULL;
		for (const char *s = strstr(d->name, "::"); s != NULL;
		    s = strstr(s + 2, "::")) {
			sep = s;
			d->depth++;
		}
		d->parent = sep != NULL ? tree_find_name(t, d->name,
		    (size_t)(sep - d->name)) : -1;
	}
	qsort(t->by_id, t->ndecks, sizeof *t->by_id, cmp_by_id);
	/* Deck ids are the table's primary key: tree_find's binary search
	 * needs them distinct. */
	for (size_t i = 1; i < t->ndecks; i++)
		assert(t->by_id[i - 1].id < t->by_id[i].id);
	return 0;
}

static void
add_done(void *arg, int64_t deck_id, int new_done, int review_done)
{
	struct tree *t = arg;
	int i = tree_find(t, deck_id);

	if (i >= 0) {
		t->decks[i].new_done += new_done;
		t->decks[i].rev_done += review_done;
	}
}

/* Today's remaining limits per deck: its preset's limit (plus today's
 * extension) minus what was graded today in it and its sub-decks, which
 * is what Anki's per-deck "today" counters hold. */
static int
tree_limits(struct db *db, struct tree *t, time_t day_begin, long today,
    struct err *e)
{
	int *sub_new, *sub_rev;

	for (size_t i = 0; i < t->ndecks; i++)
		t->decks[i].new_done = t->decks[i].rev_done = 0;
	if (db_study_done_since(db, (int64_t)day_begin * 1000, add_done, t, e) < 0)
		return -1;
	sub_new = xcalloc(t->ndecks + 1, sizeof *sub_new);
	sub_rev = xcalloc(t->ndecks + 1, sizeof *sub_rev);
	for (size_t i = 0; i < t->ndecks; i++) {
		for (int k = (int)i; k >= 0; k = t->decks[k].parent) {
			sub_new[k] += t->decks[i].new_done;
			sub_rev[k] += t->decks[i].rev_done;
		}
	}
	for (size_t i = 0; i < t->ndecks; i++) {
		struct dnode *d = &t->decks[i];
		const struct conf *c = &t->confs[d->conf];
		int xn, xr;

		db_study_extend_get(db, d->id, today, &xn, &xr);
		d->rev_rem = c->reviews_per_day + xr - sub_rev[i];
		d->new_rem = c->new_per_day + xn - sub_new[i];
		if (d->rev_rem < 0)
			d->rev_rem = 0;
		if (d->new_rem < 0)
			d->new_rem = 0;
	}
	free(sub_new);
	free(sub_rev);
	return 0;
}

/* ---- a set of note ids (siblings): a hashtab --------------------------- */

static void
noteset_add(struct hashtab *ns, int64_t k)
{
	if (k != 0)
		hashtab_put(ns, (uint64_t)k);
}

static int
noteset_has(const struct hashtab *ns, int64_t k)
{
	return k != 0 && hashtab_has(ns, (uint64_t)k);
}


/* ---- building the queue ---------------------------------------------------- */

/* Whether the limits of deck and its parents (within the session) allow
 * one more card; take one when take is set. */
static int
chain_ok(struct study *s, int deck, int is_new)
{
	for (int d = deck; d >= 0 && (s->t.decks[d].in_session ||
	    s->limits_top); d = s->t.decks[d].parent) {
		if (s->t.decks[d].rev_rem <= 0)
			return 0;
		if (is_new && s->t.decks[d].new_rem <= 0)
			return 0;
	}
	return 1;
}

static void
chain_take(struct study *s, int deck, int is_new)
{
	for (int d = deck; d >= 0 && (s->t.decks[d].in_session ||
	    s->limits_top); d = s->t.decks[d].parent) {
		s->t.decks[d].rev_rem--;
		if (is_new)
			s->t.decks[d].new_rem--;
	}
}

struct cand {
	int64_t	 id, note_id, due, pos;
	int	 deck, ord, ivl;
	long	 dday;
	double	 r, diff;
	double	 k1, k2;	/* the order's sort keys (order_keys) */
	int	 kind;
};

/* A number that orders cards "at random" but the same way all day: a
 * rebuilt queue is the same queue. */
static double
shuffle_key(int64_t id, long today)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15u ^ (uint64_t)today;

	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9u;
	x ^= x >> 29;
	return (double)(x >> 11);
}

/* The preset whose orders the session follows: the studied deck's, or
 * for all decks the Default preset's (Anki: the current deck's). */
static const struct conf *
order_conf(const struct study *s)
{
	if (s->root >= 0)
		return &s->t.confs[s->t.decks[s->root].conf];
	for (size_t i = 0; i < s->t.nconfs; i++)
		if (s->t.confs[i].id == 1)
			return &s->t.confs[i];
	return &s->t.confs[0];
}

/* Sort keys of a review or interday card for Anki's review sort order. */
static void
review_keys(const struct study *s, int order, struct cand *c)
{
	switch (order) {
	case DC_REV_DUE_DECK:
		c->k1 = (double)c->dday;
		c->k2 = c->deck;
		break;
	case DC_REV_DECK_DUE:
		c->k1 = c->deck;
		c->k2 = (double)c->dday;
		break;
	case DC_REV_IVL_ASC:
	case DC_REV_IVL_DESC:
		c->k1 = order == DC_REV_IVL_ASC ? c->ivl : -c->ivl;
		c->k2 = (double)c->dday;
		break;
	case DC_REV_DIFF_ASC:
	case DC_REV_DIFF_DESC:
		c->k1 = order == DC_REV_DIFF_ASC ? c->diff : -c->diff;
		c->k2 = (double)c->dday;
		break;
	case DC_REV_R_ASC:
	case DC_REV_R_DESC:
		c->k1 = order == DC_REV_R_ASC ? c->r : -c->r;
		c->k2 = (double)c->dday;
		break;
	case DC_REV_RANDOM:
		c->k1 = shuffle_key(c->id, s->today);
		c->k2 = 0;
		break;
	case DC_REV_ADDED:
	case DC_REV_REVERSE_ADDED:
		/* Card ids grow as cards are added. */
		c->k1 = order == DC_REV_ADDED ? (double)c->id : -(double)c->id;
		c->k2 = 0;
		break;
	default:
		/* Due day, then the lowest retrievability first. */
		c->k1 = (double)c->dday;
		c->k2 = c->r;
		break;
	}
}

struct gather {
	struct study	*s;
	struct hashtab	*seen;
	int		 deck;
	int		 limit;		/* what the deck may give; -1: all */
	int		 order;		/* enum deckconf_review_order */
	int		 counted;
	long		 limit_dday;
	struct cand	*c;
	size_t		 n, cap;
};

static int
gather_row(void *arg, const struct db_study_row *row)
{
	struct gather *g = arg;
	struct study *s = g->s;
	struct cand *c;
	long lday, dday;

	/* Rows come by due, so the due day never decreases: once the deck
	 * has as many as its limits allow, only ties on that day can still
	 * rank before them (by R). A backlog costs no more than a limit. */
	if (row->due >= s->day_begin)
		dday = s->today + (long)((row->due - s->day_begin) / DAY_SECS);
	else
		dday = s->today - (long)((s->day_begin - row->due + DAY_SECS - 1) /
		    DAY_SECS);
	if (g->limit >= 0 && g->counted >= g->limit && dday > g->limit_dday)
		return 1;
	if (!noteset_has(g->seen, row->note_id) && ++g->counted == g->limit)
		g->limit_dday = dday;
	VEC_RESERVE(g->c, g->cap, g->n + 1, 256);
	c = &g->c[g->n++];
	c->id = row->id;
	c->note_id = row->note_id;
	c->due = row->due;
	c->deck = g->deck;
	c->ivl = row->scheduled_days;
	c->diff = row->difficulty;
	c->pos = row->position;
	c->ord = row->ord;
	c->kind = row->state == FSRS_REVIEW ? Q_REVIEW : Q_INTERDAY;
	/* Study days from day_begin by whole days: exact except within an
	 * hour of a DST change, and only used for ordering. localtime() per
	 * card would cost more than the rest of the build. */
	c->dday = dday;
	c->r = 0;
	if (c->kind == Q_REVIEW && row->stability > 0) {
		lday = row->last_review >= s->day_begin ? s->today : s->today -
		    (long)((s->day_begin - row->last_review + DAY_SECS - 1) /
		    DAY_SECS);
		c->r = fsrs_retrievability(&s->t.confs[s->t.decks[g->deck].conf].p,
		    (double)(s->today - lday), row->stability);
	}
	review_keys(s, g->order, c);
	return 0;
}

static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 < y->k2 ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
q_push(struct study *s, int64_t id, int deck, int kind, int deferred, int ahead)
{
	struct qent *q;

	VEC_RESERVE(s->q, s->qcap, s->nq + 1, 256);
	q = &s->q[s->nq++];
	q->id = id;
	q->deck = deck;
	q->kind = (char)kind;
	q->done = 0;
	q->deferred = (char)deferred;
	q->ahead = (char)ahead;
}

static void
learn_add(struct study *s, int64_t id, int64_t due)
{
	for (size_t i = 0; i < s->nlearn; i++) {
		if (s->learn[i].id == id) {
			s->learn[i].due = due;
			return;
		}
	}
	VEC_RESERVE(s->learn, s->lcap, s->nlearn + 1, 64);
	s->learn[s->nlearn].id = id;
	s->learn[s->nlearn].due = due;
	s->nlearn++;
}

static void
learn_remove(struct study *s, int64_t id)
{
	for (size_t i = 0; i < s->nlearn; i++) {
		if (s->learn[i].id == id) {
			s->learn[i] = s->learn[--s->nlearn];
			return;
		}
	}
}

struct learn_ctx {
	struct study	*s;
	struct hashtab	*seen;
};

static int
learn_row(void *arg, const struct db_study_row *row)
{
	struct learn_ctx *lc = arg;
	struct study *s = lc->s;

	/* Rows are distinct: append without learn_add's search. */
	VEC_RESERVE(s->learn, s->lcap, s->nlearn + 1, 64);
	s->learn[s->nlearn].id = row->id;
	s->learn[s->nlearn].due = row->due;
	s->nlearn++;
	/* No sibling rule here: a learning card left from an earlier day
	 * buried its siblings only until today, as Anki buries on answer;
	 * today's answers are in the review log. */
	return 0;
}

struct new_ctx {
	struct study	*s;
	int		 deck;
	int		 bury;
	int		 all;		/* gather every row, limits later */
	struct hashtab	*seen;
	struct cand	*taken;
	size_t		 ntaken, tcap;
};

static void
new_keep(struct new_ctx *nc, const struct db_study_row *row)
{
	struct cand *c;

	VEC_RESERVE(nc->taken, nc->tcap, nc->ntaken + 1, 64);
	c = &nc->taken[nc->ntaken++];
	memset(c, 0, sizeof *c);
	c->id = row->id;
	c->note_id = row->note_id;
	c->deck = nc->deck;
	c->pos = row->position;
	c->ord = row->ord;
}

/* Anki's "deck" gather order: deck by deck, each by position, while the
 * limits allow; a sibling of a note already gathered is left out (it is
 * buried when that card is answered). */
static int
new_row(void *arg, const struct db_study_row *row)
{
	struct new_ctx *nc = arg;

	if (nc->all) {
		new_keep(nc, row);
		return 0;
	}
	if (nc->bury && noteset_has(nc->seen, row->note_id))
		return 0;
	if (!chain_ok(nc->s, nc->deck, 1))
		return 1;
	chain_take(nc->s, nc->deck, 1);
	noteset_add(nc->seen, row->note_id);
	new_keep(nc, row);
	return 0;
}

/* Gather keys for the orders other than "deck": position up or down, or
 * notes or cards at random (the same all day). */
static void
gather_keys(const struct study *s, int order, struct cand *c)
{
	switch (order) {
	case DC_GATHER_DECK_RANDOM_NOTES:
		c->k1 = c->deck;
		c->k2 = shuffle_key(c->note_id, s->today) + c->ord * 1e-6;
		break;
	case DC_GATHER_DESCENDING:
		c->k1 = -(double)c->pos;
		c->k2 = 0;
		break;
	case DC_GATHER_RANDOM_NOTES:
		c->k1 = shuffle_key(c->note_id, s->today);
		c->k2 = c->ord;
		break;
	case DC_GATHER_RANDOM_CARDS:
		c->k1 = shuffle_key(c->id, s->today);
		c->k2 = 0;
		break;
	default:
		c->k1 = (double)c->pos;
		c->k2 = 0;
		break;
	}
}

/* Sort keys of the gathered new cards (index i in gather order) for
 * Anki's new card sort order. */
static void
new_sort_keys(const struct study *s, int order, struct cand *c, size_t i)
{
	switch (order) {
	case DC_SORT_GATHER:
		c->k1 = (double)i;
		c->k2 = 0;
		break;
	case DC_SORT_TEMPLATE_RANDOM:
		c->k1 = c->ord;
		c->k2 = shuffle_key(c->id, s->today);
		break;
	case DC_SORT_RANDOM_NOTE_TEMPLATE:
		c->k1 = shuffle_key(c->note_id, s->today);
		c->k2 = c->ord;
		break;
	case DC_SORT_RANDOM:
		c->k1 = shuffle_key(c->id, s->today);
		c->k2 = 0;
		break;
	default:
		/* Card type, then the order gathered. */
		c->k1 = c->ord;
		c->k2 = (double)i;
		break;
	}
}

/* Put n later entries among n0 earlier ones, as Anki's mix: the k-th of
 * the later comes after about k * n0 / n of the earlier. */
static void
interleave(struct study *s, const struct cand *a, size_t na, const struct cand *b,
    size_t nb, int mix)
{
	size_t ai = 0, bi = 0;

	while (ai < na || bi < nb) {
		int take_b;

		if (ai == na)
			take_b = 1;
		else if (bi == nb)
			take_b = 0;
		else if (mix == DC_MIX_BEFORE_REVIEWS)
			take_b = 1;
		else if (mix == DC_MIX_AFTER_REVIEWS)
			take_b = 0;
		else
			take_b = (bi + 1) * (na + 1) < (ai + 1) * (nb + 1);
		if (take_b) {
			q_push(s, b[bi].id, b[bi].deck, b[bi].kind & 0xf, 0,
			    b[bi].kind >> 4);
			bi++;
		} else {
			q_push(s, a[ai].id, a[ai].deck, a[ai].kind & 0xf, 0,
			    a[ai].kind >> 4);
			ai++;
		}
	}
}

static void
queue_clear(struct study *s)
{
	s->nq = s->nregular = s->pos = 0;
	s->nlearn = 0;
}

static int graded_in_session(const struct study *s, int64_t id);

/* A filtered session's queue: its cards not yet answered in it (a card in
 * a learning step comes back when the step is due), suspended and buried
 * ones left out. The cards never leave their decks, so a session that
 * ends in any way, kill -9 included, leaves every card at home. */
static int
build_filtered(struct study *s, struct err *e)
{
	for (size_t i = 0; i < s->nfilter; i++) {
		struct db_study_card c;
		int rc = db_study_card_get(s->db, s->filter[i], &c, e);

		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;	/* deleted since */
		if (!c.suspended && c.buried_until <= s->today &&
		    (c.f.state == FSRS_LEARNING || c.f.state == FSRS_RELEARNING) &&
		    c.f.scheduled_days == 0 && graded_in_session(s, c.id)) {
			if (c.f.due < (int64_t)s->day_end)
				learn_add(s, c.id, c.f.due);
		} else if (!c.suspended && c.buried_until <= s->today &&
		    !graded_in_session(s, c.id)) {
			int deck = tree_find(&s->t, c.deck_id);

			q_push(s, c.id, deck < 0 ? 0 : deck, c.f.state == FSRS_NEW ?
			    Q_NEW : Q_REVIEW, 0, 1);
		}
		db_study_card_clear(&c);
	}
	s->nregular = s->nq;
	return 0;
}

static int
build(struct study *s, time_t now, struct err *e)
{
	struct hashtab seen = HASHTAB_INIT(0, 256);
	struct gather g;
	struct learn_ctx lc;
	struct new_ctx nc;
	struct cand *rev = NULL, *mixed = NULL;
	size_t nrev = 0, nint = 0;
	const struct conf *oc;
	time_t before;
	int rc = -1;

	queue_clear(s);
	if (s->filtered) {
		s->today = day_number(now, s->t.rollover);
		s->day_begin = day_start(s->today, s->t.rollover);
		s->day_end = day_start(s->today + 1, s->t.rollover);
		return build_filtered(s, e);
	}
	oc = order_conf(s);
	/* Anki's "limits start from top": the limits of the decks above the
	 * one studied apply too. */
	s->limits_top = s->root >= 0 && oc->limits_from_top;
	s->today = day_number(now, s->t.rollover);
	s->day_begin = day_start(s->today, s->t.rollover);
	s->day_end = day_start(s->today + 1, s->t.rollover);
	before = s->ahead_days > 0 ?
	    day_start(s->today + 1 + s->ahead_days, s->t.rollover) : s->day_end;
	if (tree_limits(s->db, &s->t, s->day_begin, s->today, e) < 0)
		return -1;
	if (s->root < 0) {
		int xn, xr;
		/* Extra cards for "all decks" raise every top-level limit. */
		db_study_extend_get(s->db, 0, s->today, &xn, &xr);
		for (size_t i = 0; i < s->t.ndecks; i++) {
			if (s->t.decks[i].parent < 0) {
				s->t.decks[i].new_rem += xn;
				s->t.decks[i].rev_rem += xr;
			}
		}
	}
	/* Siblings of cards answered today were buried by the answer
	 * (study_grade), as Anki does, so only the cards gathered here fill
	 * the note set: a sibling of one is left for another day. */

	/* Intraday learning: no limit, shown when due. */
	lc.s = s;
	lc.seen = &seen;
	for (size_t i = 0; i < s->t.ndecks; i++) {
		if (!s->t.decks[i].in_session)
			continue;
		if (db_study_cards(s->db, DB_STUDY_LEARN, s->t.decks[i].id,
		    s->today, s->day_end, learn_row, &lc, e) < 0)
			goto out;
	}

	/* Interday learning, then reviews: all candidates, sorted by the
	 * review sort order. Gathered by due, a deck's backlog is read only
	 * as far as its limits reach while the order is by due day; any
	 * other order ranks the whole backlog, as Anki's does. */
	memset(&g, 0, sizeof g);
	g.s = s;
	g.seen = &seen;
	g.order = oc->review_order;
	for (size_t i = 0; i < s->t.ndecks; i++) {
		int limit = INT_MAX;

		if (!s->t.decks[i].in_session)
			continue;
		for (int d = (int)i; d >= 0 && (s->t.decks[d].in_session ||
		    s->limits_top); d = s->t.decks[d].parent)
			if (s->t.decks[d].rev_rem < limit)
				limit = s->t.decks[d].rev_rem;
		if (g.order != DC_REV_DUE && g.order != DC_REV_DUE_DECK &&
		    g.order != DC_REV_DECK_DUE)
			limit = -1;
		g.deck = (int)i;
		g.counted = 0;
		g.limit = limit;
		if (db_study_cards(s->db, DB_STUDY_INTERDAY, s->t.decks[i].id,
		    s->today, s->day_end, gather_row, &g, e) < 0)
			goto gather_fail;
		/* Studying ahead reads every review in the window. */
		g.counted = 0;
		g.limit = s->ahead_days > 0 ? -1 : limit;
		if (db_study_cards(s->db, DB_STUDY_REVIEW, s->t.decks[i].id,
		    s->today, before, gather_row, &g, e) < 0) {
gather_fail:
			free(g.c);
			goto out;
		}
	}
	if (g.n > 1)
		qsort(g.c, g.n, sizeof *g.c, cmp_cand);
	rev = xcalloc(g.n + 1, sizeof *rev);
	for (int pass = 0; pass < 2; pass++) {
		/* Interday learning takes the review limit first (Anki
		 * 2.1.47); where it shows is the interday order, below. */
		for (size_t i = 0; i < g.n; i++) {
			struct cand *c = &g.c[i];
			int ahead = c->due >= s->day_end;
			const struct conf *cf = &s->t.confs[s->t.decks[c->deck].conf];
			int bury = c->kind == Q_INTERDAY ? cf->bury_interday :
			    cf->bury_reviews;

			if ((c->kind == Q_INTERDAY) != (pass == 0))
				continue;
			/* A sibling of a card gathered (or answered) today is
			 * left for another day, as Anki's builder buries it. */
			if (bury && noteset_has(&seen, c->note_id))
				continue;
			if (!ahead) {
				if (!chain_ok(s, c->deck, 0))
					continue;
				chain_take(s, c->deck, 0);
			}
			noteset_add(&seen, c->note_id);
			rev[nrev] = *c;
			rev[nrev].kind = c->kind | (ahead << 4);
			nrev++;
		}
		if (pass == 0)
			nint = nrev;
	}
	free(g.c);

	/* New cards: gathered in the gather order while the limits allow,
	 * then put in the sort order. */
	memset(&nc, 0, sizeof nc);
	nc.s = s;
	nc.seen = &seen;
	nc.all = oc->new_gather_order != DC_GATHER_DECK;
	for (size_t i = 0; i < s->t.ndecks; i++) {
		if (!s->t.decks[i].in_session || !chain_ok(s, (int)i, 1))
			continue;
		nc.deck = (int)i;
		nc.bury = s->t.confs[s->t.decks[i].conf].bury_new;
		if (db_study_cards(s->db, DB_STUDY_NEW, s->t.decks[i].id, s->today,
		    0, new_row, &nc, e) < 0) {
			free(nc.taken);
			goto out;
		}
	}
	if (nc.all) {
		/* Every new card read: rank them, then take while the
		 * limits allow, siblings left out as in the deck order. */
		size_t kept = 0;

		for (size_t i = 0; i < nc.ntaken; i++)
			gather_keys(s, oc->new_gather_order, &nc.taken[i]);
		if (nc.ntaken > 1)
			qsort(nc.taken, nc.ntaken, sizeof *nc.taken, cmp_cand);
		for (size_t i = 0; i < nc.ntaken; i++) {
			struct cand *c = &nc.taken[i];

			if (s->t.confs[s->t.decks[c->deck].conf].bury_new &&
			    noteset_has(&seen, c->note_id))
				continue;
			if (!chain_ok(s, c->deck, 1))
				continue;
			chain_take(s, c->deck, 1);
			noteset_add(&seen, c->note_id);
			nc.taken[kept++] = *c;
		}
		nc.ntaken = kept;
	}
	for (size_t i = 0; i < nc.ntaken; i++) {
		new_sort_keys(s, oc->new_sort_order, &nc.taken[i], i);
		nc.taken[i].kind = Q_NEW;
	}
	if (nc.ntaken > 1)
		qsort(nc.taken, nc.ntaken, sizeof *nc.taken, cmp_cand);

	/* Interday learning among the reviews by the interday order, then
	 * the new cards among both by the new/review order. */
	mixed = xcalloc(nrev + 1, sizeof *mixed);
	{
		size_t before_q = s->nq;

		/* The reviews (rev[nint..]) are "a", interday "b". */
		interleave(s, rev + nint, nrev - nint, rev, nint,
		    oc->interday_mix);
		for (size_t i = before_q; i < s->nq; i++) {
			mixed[i - before_q].id = s->q[i].id;
			mixed[i - before_q].deck = s->q[i].deck;
			mixed[i - before_q].kind = s->q[i].kind |
			    (s->q[i].ahead << 4);
		}
		s->nq = before_q;
	}
	interleave(s, mixed, nrev, nc.taken, nc.ntaken, oc->new_mix);
	s->nregular = s->nq;
	free(nc.taken);
	rc = 0;
out:
	free(rev);
	free(mixed);
	hashtab_free(&seen);
	return rc;
}

/* ---- the session --------------------------------------------------------- */

static void
drop_current(struct study *s)
{
	if (s->has_cur)
		db_study_card_clear(&s->cur);
	s->has_cur = 0;
	s->cur_q = -1;
}

static int
session_load(struct study *s, struct err *e)
{
	tree_free(&s->t);
	if (tree_load(s->db, &s->t, e) < 0)
		return -1;
	s->root = -1;
	if (s->deck_id != 0) {
		s->root = tree_find(&s->t, s->deck_id);
		if (s->root < 0)
			return err_set(e, db_path(s->db), 0, 0, "no deck with id %lld",
			    (long long)s->deck_id);
	}
	for (size_t i = 0; i < s->t.ndecks; i++) {
		int in = s->root < 0;
		for (int k = (int)i; !in && k >= 0; k = s->t.decks[k].parent)
			in = k == s->root;
		s->t.decks[i].in_session = in;
		if (in && s->t.confs[s->t.decks[i].conf].bad)
			return err_set(e, NULL, 0, 0, "%s",
			    s->t.confs[s->t.decks[i].conf].error);
	}
	return 0;
}

static int
rebuild(struct study *s, time_t now, struct err *e)
{
	drop_current(s);
	if (session_load(s, e) < 0)
		return -1;
	return build(s, now, e);
}

static int	extend_limits(struct study *s, int add_new, int add_review,
		    time_t now, struct err *e);

struct study *
study_open_custom(struct db *db, int64_t deck_id, time_t now,
    const struct study_options *o, struct err *e)
{
	struct study *s = xcalloc(1, sizeof *s);

	s->db = db;
	s->deck_id = deck_id;
	s->cur_q = -1;
	s->last_now = now;
	if (o != NULL)
		s->ahead_days = o->ahead_days > 0 ? o->ahead_days : 0;
	if (session_load(s, e) < 0)
		goto fail;
	if (o != NULL && (o->extra_new > 0 || o->extra_reviews > 0) &&
	    extend_limits(s, o->extra_new > 0 ? o->extra_new : 0,
	    o->extra_reviews > 0 ? o->extra_reviews : 0, now, e) < 0)
		goto fail;
	if (build(s, now, e) < 0)
		goto fail;
	return s;
fail:
	study_close(s);
	return NULL;
}

static int
graded_in_session(const struct study *s, int64_t id)
{
	for (size_t i = 0; i < s->ngraded; i++)
		if (s->graded[i] == id)
			return 1;
	return 0;
}

struct study *
study_open_filtered(struct db *db, const int64_t *ids, size_t n,
    int reschedule, time_t now, struct err *e)
{
	struct study *s = xcalloc(1, sizeof *s);

	s->db = db;
	s->cur_q = -1;
	s->last_now = now;
	s->filtered = 1;
	s->preview = !reschedule;
	s->filter = xreallocarray(NULL, n + 1, sizeof *s->filter);
	memcpy(s->filter, ids, n * sizeof *ids);
	s->nfilter = n;
	if (session_load(s, e) < 0 || build(s, now, e) < 0) {
		study_close(s);
		return NULL;
	}
	return s;
}

struct study *
study_open(struct db *db, int64_t deck_id, time_t now, struct err *e)
{
	return study_open_custom(db, deck_id, now, NULL, e);
}

int
study_extend(struct study *s, int extra_new, int ahead_days, time_t now,
    struct err *e)
{
	if (extra_new > 0 && extend_limits(s, extra_new, 0, now, e) < 0)
		return -1;
	if (ahead_days > s->ahead_days)
		s->ahead_days = ahead_days;
	s->last_now = now;
	return rebuild(s, now, e);
}

void
study_close(struct study *s)
{
	if (s == NULL)
		return;
	drop_current(s);
	tree_free(&s->t);
	free(s->q);
	free(s->learn);
	for (size_t i = 0; i < s->nundo; i++)
		undo_clear(&s->undo[i]);
	free(s->undo);
	free(s->graded);
	free(s->filter);
	db_extend_undo_free(s->extend_undo);
	free(s);
}

/* Raise today's limits of the session's deck in one transaction,
 * keeping the undo record. */
static int
extend_limits(struct study *s, int add_new, int add_review, time_t now,
    struct err *e)
{
	long today = day_number(now, s->t.rollover);

	db_extend_undo_free(s->extend_undo);
	s->extend_undo = NULL;
	if (db_begin(s->db, e) < 0)
		return -1;
	if (db_study_extend_add(s->db, s->deck_id, today, add_new, add_review,
	    &s->extend_undo, e) < 0 || db_commit(s->db, e) < 0) {
		db_rollback(s->db);
		db_extend_undo_free(s->extend_undo);
		s->extend_undo = NULL;
		return -1;
	}
	return 0;
}

struct db_extend_undo *
study_extend_undo_take(struct study *s)
{
	struct db_extend_undo *u = s->extend_undo;

	s->extend_undo = NULL;
	return u;
}

int
study_extend_undo_apply(struct db *db, const struct db_extend_undo *u,
    struct err *e)
{
	if (db_begin(db, e) < 0)
		return -1;
	if (db_extend_undo_apply(db, u, e) < 0 || db_commit(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

void
study_extend_undo_free(struct db_extend_undo *u)
{
	db_extend_undo_free(u);
}

/* Make card id the current card. 0, 1 when it is gone, -1 on error. */
static int
load_card(struct study *s, int64_t id, int qi, struct err *e)
{
	int rc;

	drop_current(s);
	rc = db_study_card_get(s->db, id, &s->cur, e);
	if (rc != 0)
		return rc;
	s->has_cur = 1;
	s->cur_q = qi;
	s->view.card_id = s->cur.id;
	s->view.note_id = s->cur.note_id;
	s->view.deck_id = s->cur.deck_id;
	s->view.notetype = s->cur.notetype;
	s->view.ord = s->cur.ord;
	s->view.state = s->cur.f.state;
	s->view.fields = s->cur.fields;
	s->view.deck_name = s->cur.deck_name;
	s->view.tags = s->cur.tags;
	s->view.flag = s->cur.flag;
	s->view.is_html = s->cur.is_html;
	return 0;
}

static int
find_q(const struct study *s, int64_t id)
{
	for (size_t i = 0; i < s->nq; i++)
		if (s->q[i].id == id)
			return (int)i;
	return -1;
}

/* The learning card due first, if it is due by `by`. */
static int
learn_first(const struct study *s, time_t by)
{
	int best = -1;

	for (size_t i = 0; i < s->nlearn; i++) {
		if (s->learn[i].due > (int64_t)by)
			continue;
		if (best < 0 || s->learn[i].due < s->learn[best].due ||
		    (s->learn[i].due == s->learn[best].due &&
		    s->learn[i].id < s->learn[best].id))
			best = (int)i;
	}
	return best;
}

int
study_next(struct study *s, time_t now, const struct study_card **out,
    struct err *e)
{
	int rc, li;

	*out = NULL;
	s->last_now = now;
	/* The card on screen stays until it is answered, even across the
	 * rollover: the UI asks again on every redraw. */
	if (s->has_cur) {
		*out = &s->view;
		return 0;
	}
	if (day_number(now, s->t.rollover) != s->today) {
		/* The rollover passed during the session: a new day's queue. */
		if (rebuild(s, now, e) < 0)
			return -1;
	}
	for (;;) {
		if (s->forced != 0) {
			int64_t id = s->forced;
			s->forced = 0;
			rc = load_card(s, id, find_q(s, id), e);
		} else if ((li = learn_first(s, now)) >= 0) {
			/* A learning step that is due comes first. */
			int64_t id = s->learn[li].id;
			rc = load_card(s, id, find_q(s, id), e);
			if (rc == 1)
				learn_remove(s, id);
		} else {
			while (s->pos < s->nregular && s->q[s->pos].done)
				s->pos++;
			if (s->pos < s->nregular) {
				rc = load_card(s, s->q[s->pos].id, (int)s->pos, e);
				if (rc == 1)
					s->q[s->pos].done = 1;
			} else if ((li = learn_first(s, now + s->t.learn_ahead)) >= 0) {
				/* Nothing else: learn ahead, as Anki does. */
				int64_t id = s->learn[li].id;
				rc = load_card(s, id, find_q(s, id), e);
				if (rc == 1)
					learn_remove(s, id);
			} else {
				/* Last, siblings that waited, while limits allow. */
				size_t i;
				for (i = s->nregular; i < s->nq; i++) {
					struct qent *q = &s->q[i];
					if (q->done)
						continue;
					if (q->ahead || chain_ok(s, q->deck,
					    q->kind == Q_NEW))
						break;
					q->done = 1;
				}
				if (i == s->nq)
					return 1;
				rc = load_card(s, s->q[i].id, (int)i, e);
				if (rc == 1)
					s->q[i].done = 1;
			}
		}
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
	}
	*out = &s->view;
	return 0;
}

static const struct conf *
card_conf(const struct study *s, int64_t deck_id)
{
	int d = tree_find(&s->t, deck_id);

	return &s->t.confs[d >= 0 ? s->t.decks[d].conf : 0];
}

static long
elapsed_days(const struct conf *c, const struct fsrs_card *f, time_t now)
{
	if (f->state == FSRS_NEW || f->last_review == 0)
		return 0;
	return fsrs_elapsed_days(&c->p, (time_t)f->last_review, now);
}

void
study_format_interval(long secs, char *buf, size_t len)
{
	double days = secs / (double)DAY_SECS, v;
	const char *unit;
	char num[32];
	size_t n;

	if (secs < 60) {
		snprintf(buf, len, "<1m");
		return;
	}
	if (secs < 3600) {
		snprintf(buf, len, "%ldm", lround(secs / 60.0));
		return;
	}
	if (secs < DAY_SECS) {
		snprintf(buf, len, "%ldh", lround(secs / 3600.0));
		return;
	}
	if (days < 365.0 / 12.0) {
		snprintf(buf, len, "%ldd", lround(days));
		return;
	}
	if (days < 365.0) {
		v = days / (365.0 / 12.0);
		unit = "mo";
	} else {
		v = days / 365.0;
		unit = "y";
	}
	snprintf(num, sizeof num, "%.1f", v);
	n = strlen(num);
	if (n > 2 && strcmp(num + n - 2, ".0") == 0)
		num[n - 2] = '\0';
	snprintf(buf, len, "%s%s", num, unit);
}

int
study_preview(struct study *s, time_t now, char labels[4][16])
{
	const struct conf *c;
	struct fsrs_card out[4];

	for (int i = 0; i < 4; i++)
		labels[i][0] = '\0';
	if (!s->has_cur)
		return -1;
	c = card_conf(s, s->cur.deck_id);
	fsrs_preview(&c->p, &s->cur.f, now, elapsed_days(c, &s->cur.f, now),
	    (uint64_t)s->cur.id + (uint64_t)s->cur.f.reps, out);
	for (int i = 0; i < 4; i++)
		study_format_interval((long)(out[i].due - (int64_t)now), labels[i],
		    sizeof labels[i]);
	return 0;
}

/* The card's modification stamp, inside the caller's transaction. */
static int
card_mod(struct study *s, int64_t id, int64_t *mod, struct err *e)
{
	int rc = db_study_card_mod(s->db, id, mod, e);

	if (rc > 0)
		err_set(e, db_path(s->db), 0, 0, "the card was deleted");
	return rc != 0 ? -1 : 0;
}

/*
 * The session itself changed card id from stamp before to after (a flag,
 * or an undo that put it back as an earlier action left it): the newest
 * undo entry for the card still holds if it expected the card at before.
 * One that did not was overtaken by someone else, and stays refused.
 */
static void
undo_follow(struct study *s, int64_t id, int64_t before, int64_t after)
{
	for (size_t i = s->nundo; i-- > 0;) {
		if (s->undo[i].card_id != id)
			continue;
		if (s->undo[i].mod_after == before)
			s->undo[i].mod_after = after;
		return;
	}
}

static void
undo_push(struct study *s, const struct undo *u)
{
	VEC_RESERVE(s->undo, s->ucap, s->nundo + 1, 16);
	s->undo[s->nundo++] = *u;
}

/* The current card left the queue (graded, suspended, buried). */
static void
retire_current(struct study *s)
{
	if (s->cur_q >= 0) {
		struct qent *q = &s->q[s->cur_q];
		/* Deferred siblings take their limit when studied. */
		if (q->deferred && !q->ahead && !q->done)
			chain_take(s, q->deck, q->kind == Q_NEW);
		q->done = 1;
	}
	learn_remove(s, s->cur.id);
}

int
study_grade(struct study *s, enum grade g, time_t now, int answer_ms,
    struct err *e)
{
	struct db_study_card c;
	struct db_study_revlog r;
	const struct conf *cf;
	struct undo u;
	int64_t mod_after;
	long t;
	int suspended, changed = 0, rc;

	if (!s->has_cur)
		return err_set(e, NULL, 0, 0, "there is no card to grade");
	if (g < GRADE_AGAIN || g > GRADE_EASY)
		return err_set(e, NULL, 0, 0, "a grade is 1 to 4, not %d", (int)g);
	if (answer_ms < 0)
		answer_ms = 0;
	if (s->preview) {
		/* Previewing (Anki's custom study of new cards without
		 * rescheduling): the card is seen, nothing is written. */
		VEC_RESERVE(s->graded, s->gcap, s->ngraded + 1, 64);
		s->graded[s->ngraded++] = s->cur.id;
		s->sum.studied++;
		s->sum.time_ms += answer_ms;
		retire_current(s);
		drop_current(s);
		s->last_now = now;
		return 0;
	}
	cf = card_conf(s, s->cur.deck_id);
	if (db_begin(s->db, e) < 0)
		return -1;
	/* Grade the card as it is on disk, not as it was when shown. */
	rc = db_study_card_get(s->db, s->cur.id, &c, e);
	if (rc != 0) {
		if (rc > 0)
			err_set(e, db_path(s->db), 0, 0, "the card was deleted");
		goto fail;
	}
	memset(&r, 0, sizeof r);
	r.prev = c.f;
	t = elapsed_days(cf, &c.f, now);
	fsrs_next(&cf->p, &c.f, now, t, (uint64_t)c.id + (uint64_t)c.f.reps,
	    (int)g, &r.after);
	/* Anki's minimum interval: the least a card gets after a lapse,
	 * once it leaves relearning (or at once, with no relearning steps). */
	if (r.after.state == FSRS_REVIEW && (c.f.state == FSRS_RELEARNING ||
	    (c.f.state == FSRS_REVIEW && g == GRADE_AGAIN)) &&
	    r.after.scheduled_days < cf->min_interval) {
		r.after.due += (int64_t)(cf->min_interval -
		    r.after.scheduled_days) * DAY_SECS;
		r.after.scheduled_days = cf->min_interval;
	}
	suspended = c.suspended;
	if (c.f.state == FSRS_REVIEW && g == GRADE_AGAIN &&
	    fsrs_is_leech(r.after.lapses, cf->leech_threshold)) {
		if (db_study_note_tag(s->db, c.note_id, "leech", 1, &changed, now,
		    e) < 0)
			goto fail;
		if (cf->leech_action == 0)
			suspended = 1;
	}
	r.id = (int64_t)now * 1000;
	r.card_id = c.id;
	r.rating = (int)g;
	switch (c.f.state) {
	case FSRS_NEW:
	case FSRS_LEARNING:
		r.kind = 0;
		break;
	case FSRS_REVIEW:
		r.kind = c.f.due >= (int64_t)s->day_end ? 3 : 1;
		break;
	default:
		r.kind = 2;
		break;
	}
	r.elapsed_days = (double)t;
	r.scheduled_days = r.after.state == FSRS_REVIEW ?
	    (double)r.after.scheduled_days :
	    (double)(r.after.due - (int64_t)now) / DAY_SECS;
	r.answer_ms = answer_ms;
	r.prev_suspended = c.suspended;
	r.prev_buried_until = c.buried_until;
	memset(&u, 0, sizeof u);
	{
		/* Anki buries the siblings of the kinds the preset names,
		 * but not those of a queue gathered before the answered
		 * card's (intraday learning 0, interday 1, review 2, new 3):
		 * answering a new card buries only new siblings. */
		int ord = c.f.state == FSRS_NEW ? 3 : c.f.state == FSRS_REVIEW ?
		    2 : c.f.scheduled_days > 0 ? 1 : 0;

		u.sib_until = s->today + 1;
		if (db_study_bury_siblings(s->db, c.id, c.note_id, cf->bury_new,
		    cf->bury_reviews && ord <= 2, cf->bury_interday && ord <= 1,
		    u.sib_until, now, &u.sib, &u.sib_prev, &u.nsib, e) < 0)
			goto fail;
	}
	if (db_study_revlog_add(s->db, &r, e) < 0 ||
	    db_study_card_put(s->db, c.id, &r.after, suspended, c.buried_until,
	    now, e) < 0 || card_mod(s, c.id, &mod_after, e) < 0 ||
	    db_commit(s->db, e) < 0) {
		undo_clear(&u);
		goto fail;
	}
	/* The buried siblings leave today's queue. */
	for (size_t i = 0; i < u.nsib; i++) {
		int qi = find_q(s, u.sib[i]);

		if (qi >= 0)
			s->q[qi].done = 1;
		learn_remove(s, u.sib[i]);
	}

	u.kind = UNDO_GRADE;
	u.card_id = c.id;
	u.mod_before = c.mod;
	u.mod_after = mod_after;
	u.revlog_id = r.id;
	u.leech_tagged = changed;
	u.rating = (int)g;
	u.answer_ms = answer_ms;
	undo_push(s, &u);
	VEC_RESERVE(s->graded, s->gcap, s->ngraded + 1, 64);
	s->graded[s->ngraded++] = c.id;
	s->sum.studied++;
	s->sum.again += g == GRADE_AGAIN;
	s->sum.time_ms += answer_ms;
	retire_current(s);
	if (!suspended && (r.after.state == FSRS_LEARNING ||
	    r.after.state == FSRS_RELEARNING) && r.after.scheduled_days == 0 &&
	    r.after.due < (int64_t)s->day_end)
		learn_add(s, c.id, r.after.due);
	db_study_card_clear(&c);
	drop_current(s);
	s->last_now = now;
	return 0;
fail:
	db_rollback(s->db);
	db_study_card_clear(&c);
	return -1;
}

/* A session's action as a record of its own (study.h). */
struct study_undo {
	struct undo	 u;
	int64_t		 mod_now;	/* the card's mod after the undo */
};

struct study_undo *
study_undo_take(struct study *s)
{
	struct study_undo *r;

	if (s->nundo == 0)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->u = s->undo[--s->nundo];	/* its sibling arrays move with it */
	return r;
}

const char *
study_undo_label(const struct study_undo *r)
{
	switch (r->u.kind) {
	case UNDO_GRADE:
		return "Answer Card";
	case UNDO_SUSPEND:
		return "Suspend Card";
	default:
		return "Bury Card";
	}
}

void
study_undo_free(struct study_undo *r)
{
	if (r == NULL)
		return;
	undo_clear(&r->u);
	free(r);
}

void
study_undo_followed(struct study_undo *older, const struct study_undo *done)
{
	if (older->u.card_id == done->u.card_id &&
	    older->u.mod_after == done->u.mod_before)
		older->u.mod_after = done->mod_now;
}

int
study_undo_apply(struct db *db, struct study *s, struct study_undo *rec,
    time_t now, struct err *e)
{
	struct db_study_card c;
	struct db_study_revlog r;
	struct undo *u = &rec->u;
	int changed, rc;

	memset(&c, 0, sizeof c);
	if (db_begin(db, e) < 0)
		return -1;
	rc = db_study_card_get(db, u->card_id, &c, e);
	if (rc != 0) {
		if (rc > 0) {
			err_set(e, db_path(db), 0, 0, "not undone: the card was "
			    "deleted");
			db_rollback(db);
			return -2;
		}
		goto fail;
	}
	/*
	 * Only a card still as this session left it: another lemma on the
	 * file, the browser or a tool may have changed it since, and putting
	 * it back over that change (and dropping this grade's row) would
	 * leave the card out of step with its history. Checked inside the
	 * transaction, which holds the write lock, so no one slips in.
	 */
	if (c.mod != u->mod_after) {
		err_set(e, NULL, 0, 0, "not undone: the card has changed since "
		    "(in another lemma on this file, or the browser)");
		db_rollback(db);
		db_study_card_clear(&c);
		return -2;
	}
	if (u->kind == UNDO_GRADE) {
		rc = db_study_revlog_get(db, u->revlog_id, &r, e);
		if (rc != 0) {
			if (rc > 0)
				err_set(e, db_path(db), 0, 0, "the review to "
				    "undo is no longer in the review log");
			goto fail;
		}
		if (db_study_card_put(db, c.id, &r.prev, r.prev_suspended,
		    r.prev_buried_until, now, e) < 0 ||
		    db_study_revlog_delete(db, r.id, e) < 0)
			goto fail;
		if (u->leech_tagged && db_study_note_tag(db, c.note_id, "leech",
		    0, &changed, now, e) < 0)
			goto fail;
		/* The siblings the grade buried, unless something else
		 * changed their burial since. */
		for (size_t i = 0; i < u->nsib; i++)
			if (db_study_unbury_sibling(db, u->sib[i],
			    u->sib_until, u->sib_prev[i], now, e) < 0)
				goto fail;
	} else {
		if (db_study_card_put(db, c.id, &c.f, u->prev_suspended,
		    u->prev_buried, now, e) < 0)
			goto fail;
	}
	rc = db_study_card_mod(db, c.id, &rec->mod_now, e);
	if (rc != 0 || db_commit(db, e) < 0)
		goto fail;
	db_study_card_clear(&c);
	if (s == NULL)
		return 0;
	if (u->kind == UNDO_GRADE) {
		s->sum.studied--;
		s->sum.again -= u->rating == GRADE_AGAIN;
		s->sum.time_ms -= u->answer_ms;
		for (size_t i = s->ngraded; i-- > 0;)
			if (s->graded[i] == u->card_id) {
				memmove(&s->graded[i], &s->graded[i + 1],
				    (s->ngraded - i - 1) * sizeof *s->graded);
				s->ngraded--;
				break;
			}
	}
	undo_follow(s, u->card_id, u->mod_before, rec->mod_now);
	/* Limits and siblings come from the review log, which just changed:
	 * rebuild, and show the restored card first, as Anki does. */
	if (rebuild(s, now, e) < 0)
		return -1;
	s->forced = u->card_id;
	s->last_now = now;
	return 0;
fail:
	db_rollback(db);
	db_study_card_clear(&c);
	return -1;
}

int
study_undo(struct study *s, time_t now, struct err *e)
{
	struct study_undo *r;
	int rc;

	if ((r = study_undo_take(s)) == NULL)
		return 1;
	rc = study_undo_apply(s->db, s, r, now, e);
	if (rc == -1) {
		/* Not undone now, but it may be later: back on the stack.
		 * One that never can be (-2) goes, so that undo reaches the
		 * ones before it. */
		VEC_RESERVE(s->undo, s->ucap, s->nundo + 1, 16);
		s->undo[s->nundo++] = r->u;
		free(r);
		return -1;
	}
	study_undo_free(r);
	return rc < 0 ? -1 : 0;
}

static int
set_hidden(struct study *s, int kind, time_t now, struct err *e)
{
	struct db_study_card c;
	struct undo u;
	int rc;

	if (!s->has_cur)
		return err_set(e, NULL, 0, 0, "there is no card");
	memset(&u, 0, sizeof u);
	if (db_begin(s->db, e) < 0)
		return -1;
	rc = db_study_card_get(s->db, s->cur.id, &c, e);
	if (rc != 0) {
		if (rc > 0)
			err_set(e, db_path(s->db), 0, 0, "the card was deleted");
		db_rollback(s->db);
		return -1;
	}
	u.kind = kind;
	u.card_id = c.id;
	u.mod_before = c.mod;
	u.prev_suspended = c.suspended;
	u.prev_buried = c.buried_until;
	if (db_study_card_put(s->db, c.id, &c.f,
	    kind == UNDO_SUSPEND ? 1 : c.suspended,
	    kind == UNDO_BURY ? s->today + 1 : c.buried_until, now, e) < 0 ||
	    card_mod(s, c.id, &u.mod_after, e) < 0 ||
	    db_commit(s->db, e) < 0) {
		db_rollback(s->db);
		db_study_card_clear(&c);
		return -1;
	}
	db_study_card_clear(&c);
	undo_push(s, &u);
	retire_current(s);
	drop_current(s);
	return 0;
}

int
study_suspend(struct study *s, time_t now, struct err *e)
{
	return set_hidden(s, UNDO_SUSPEND, now, e);
}

int
study_bury(struct study *s, time_t now, struct err *e)
{
	return set_hidden(s, UNDO_BURY, now, e);
}

int
study_toggle_mark(struct study *s, time_t now, struct err *e)
{
	int changed, marked;

	if (!s->has_cur)
		return err_set(e, NULL, 0, 0, "there is no card");
	marked = strstr(s->cur.tags, " marked ") != NULL;
	if (db_begin(s->db, e) < 0)
		return -1;
	if (db_study_note_tag(s->db, s->cur.note_id, "marked", !marked, &changed,
	    now, e) < 0 || db_commit(s->db, e) < 0) {
		db_rollback(s->db);
		return -1;
	}
	return load_card(s, s->cur.id, s->cur_q, e) < 0 ? -1 : 0;
}

int
study_set_flag(struct study *s, int flag, struct err *e)
{
	int64_t before, after;

	if (!s->has_cur)
		return err_set(e, NULL, 0, 0, "there is no card");
	if (flag < 0 || flag > 7)
		return err_set(e, NULL, 0, 0, "a flag is 0 to 7, not %d", flag);
	if (db_begin(s->db, e) < 0)
		return -1;
	if (card_mod(s, s->cur.id, &before, e) < 0 ||
	    db_study_card_set_flag(s->db, s->cur.id, flag, s->last_now, e) < 0 ||
	    card_mod(s, s->cur.id, &after, e) < 0 || db_commit(s->db, e) < 0) {
		db_rollback(s->db);
		return -1;
	}
	/* A flag is the session's own change: its undo still holds. */
	undo_follow(s, s->cur.id, before, after);
	s->cur.flag = s->view.flag = flag;
	return 0;
}

int
study_remaining(struct study *s, int *new_count, int *learn_count,
    int *review_count)
{
	int *rev, *nw;
	int n = 0, l = 0, r = 0;

	for (size_t i = 0; i < s->nlearn; i++)
		l += s->learn[i].due <= (int64_t)s->last_now + s->t.learn_ahead;
	for (size_t i = s->pos; i < s->nregular; i++) {
		const struct qent *q = &s->q[i];
		if (q->done)
			continue;
		n += q->kind == Q_NEW;
		r += q->kind == Q_REVIEW;
		l += q->kind == Q_INTERDAY;
	}
	/* Deferred siblings count as far as the limits will let them in. */
	rev = xcalloc(s->t.ndecks + 1, sizeof *rev);
	nw = xcalloc(s->t.ndecks + 1, sizeof *nw);
	for (size_t i = 0; i < s->t.ndecks; i++) {
		rev[i] = s->t.decks[i].rev_rem;
		nw[i] = s->t.decks[i].new_rem;
	}
	for (size_t i = s->nregular; i < s->nq; i++) {
		const struct qent *q = &s->q[i];
		int ok = 1;
		if (q->done)
			continue;
		if (!q->ahead) {
			for (int d = q->deck; d >= 0 && s->t.decks[d].in_session;
			    d = s->t.decks[d].parent)
				if (rev[d] <= 0 || (q->kind == Q_NEW && nw[d] <= 0))
					ok = 0;
			if (!ok)
				continue;
			for (int d = q->deck; d >= 0 && s->t.decks[d].in_session;
			    d = s->t.decks[d].parent) {
				rev[d]--;
				nw[d] -= q->kind == Q_NEW;
			}
		}
		n += q->kind == Q_NEW;
		r += q->kind == Q_REVIEW;
		l += q->kind == Q_INTERDAY;
	}
	free(rev);
	free(nw);
	*new_count = n;
	*learn_count = l;
	*review_count = r;
	return 0;
}

void
study_summary(struct study *s, struct study_summary *out)
{
	*out = s->sum;
	/* The undo list holds every grade of the session (it is not cut), so
	 * the distinct cards are counted there; sessions are short enough
	 * for a quadratic count. */
	out->cards = 0;
	for (size_t i = 0; i < s->ngraded; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (s->graded[j] == s->graded[i])
				break;
		out->cards += j == i;
	}
}

/* ---- without a session: the deck list and "next due" -------------------- */

int
study_next_due(struct db *db, int64_t deck_id, time_t now, time_t *when,
    struct err *e)
{
	struct tree t;
	struct db_study_next nx;
	long today;
	time_t tomorrow, best = (time_t)-1, cand;
	int root = -1;

	if (tree_load(db, &t, e) < 0)
		return -1;
	if (deck_id != 0 && (root = tree_find(&t, deck_id)) < 0) {
		tree_free(&t);
		return err_set(e, db_path(db), 0, 0, "no deck with id %lld",
		    (long long)deck_id);
	}
	today = day_number(now, t.rollover);
	tomorrow = day_start(today + 1, t.rollover);
	for (size_t i = 0; i < t.ndecks; i++) {
		int in = root < 0;
		for (int k = (int)i; !in && k >= 0; k = t.decks[k].parent)
			in = k == root;
		if (!in)
			continue;
		if (db_study_next_due(db, t.decks[i].id, today, &nx, e) < 0) {
			tree_free(&t);
			return -1;
		}
		if (nx.learn_due >= 0) {
			cand = (time_t)nx.learn_due > now ? (time_t)nx.learn_due : now;
			if (best < 0 || cand < best)
				best = cand;
		}
		if (nx.other_due >= 0) {
			/* Reviews are due from the start of their study day;
			 * one due today that is not shown waits for tomorrow. */
			cand = day_start(day_number((time_t)nx.other_due,
			    t.rollover), t.rollover);
			if (cand <= now)
				cand = tomorrow;
			if (best < 0 || cand < best)
				best = cand;
		}
		if ((nx.has_new || nx.has_buried) && (best < 0 || tomorrow < best))
			best = tomorrow;
	}
	tree_free(&t);
	if (best < 0)
		return 1;
	*when = best;
	return 0;
}

int
study_deck_counts(struct db *db, time_t now, struct deck_counts **out,
    size_t *nout, struct err *e)
{
	struct tree t;
	struct deck_counts *dc;
	long today;
	time_t day_begin, day_end;
	int *nw, *lr, *id, *rv;

	*out = NULL;
	*nout = 0;
	if (tree_load(db, &t, e) < 0)
		return -1;
	today = day_number(now, t.rollover);
	day_begin = day_start(today, t.rollover);
	day_end = day_start(today + 1, t.rollover);
	if (tree_limits(db, &t, day_begin, today, e) < 0) {
		tree_free(&t);
		return -1;
	}
	nw = xcalloc(t.ndecks + 1, sizeof *nw);
	lr = xcalloc(t.ndecks + 1, sizeof *lr);
	id = xcalloc(t.ndecks + 1, sizeof *id);
	rv = xcalloc(t.ndecks + 1, sizeof *rv);
	for (size_t k = 0; k < t.ndecks; k++) {
		const struct dnode *d = &t.decks[k];
		int r;

		/* A deck never shows more than its own limit, so counting
		 * stops there. */
		if ((lr[k] = db_study_count(db, DB_STUDY_LEARN, d->id, today,
		    now + t.learn_ahead, -1, e)) < 0 ||
		    (id[k] = db_study_count(db, DB_STUDY_INTERDAY, d->id, today,
		    day_end, d->rev_rem, e)) < 0 ||
		    (r = db_study_count(db, DB_STUDY_REVIEW, d->id, today, day_end,
		    d->rev_rem, e)) < 0 ||
		    (nw[k] = db_study_count(db, DB_STUDY_NEW, d->id, today, 0,
		    d->new_rem, e)) < 0) {
			free(nw);
			free(lr);
			free(id);
			free(rv);
			tree_free(&t);
			return -1;
		}
		rv[k] = r + id[k];
	}
	/* Children sort after their parent, so walking backwards caps every
	 * child before its sum reaches the parent (Anki's deck tree: each
	 * deck's count is min(its limit, its cards + its children's)). */
	for (size_t k = t.ndecks; k-- > 0;) {
		struct dnode *d = &t.decks[k];
		int room;

		if (rv[k] > d->rev_rem)
			rv[k] = d->rev_rem;
		if (id[k] > rv[k])
			id[k] = rv[k];
		room = d->rev_rem - rv[k];
		if (nw[k] > d->new_rem)
			nw[k] = d->new_rem;
		if (nw[k] > room)
			nw[k] = room;
		if (d->parent >= 0) {
			nw[d->parent] += nw[k];
			lr[d->parent] += lr[k];
			id[d->parent] += id[k];
			rv[d->parent] += rv[k];
		}
	}
	dc = xcalloc(t.ndecks + 1, sizeof *dc);
	for (size_t k = 0; k < t.ndecks; k++) {
		dc[k].deck_id = t.decks[k].id;
		dc[k].name = xstrdup(t.decks[k].name);
		dc[k].depth = t.decks[k].depth;
		dc[k].new_count = nw[k];
		dc[k].learn_count = lr[k] + id[k];
		dc[k].review_count = rv[k] - id[k];
	}
	*out = dc;
	*nout = t.ndecks;
	free(nw);
	free(lr);
	free(id);
	free(rv);
	tree_free(&t);
	return 0;
}

void
study_deck_counts_free(struct deck_counts *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

int
study_reload_card(struct study *s, struct err *e)
{
	if (!s->has_cur)
		return 1;
	return load_card(s, s->cur.id, s->cur_q, e);
}
