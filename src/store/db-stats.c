/*
 * db-stats.c - the SQL behind the statistics (see db-stats.h).
 *
 * Study days are not computed in SQL: the caller maps instants to study
 * days with day_start(), which knows the rollover hour and the time zone.
 * The counts come from the sums per UTC quarter hour that migration 2's
 * triggers keep (revlog_sum for the collection, revlog_deck_sum per deck),
 * so a year of statistics reads a few thousand summary rows instead of half
 * a million grades (0.2-0.9 s on the benchmark collection before). What the
 * sums cannot hold is read from the log by id range: revlog.id is the
 * rowid, so a range is a B-tree seek and a walk of exactly its rows.
 */
#include "config.h"

#include "lemma/store/db-stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"

/*
 * Figures from the file are clamped where they are read. A damaged or
 * edited row (`lemma check` flags it) must not become a histogram bin far
 * out of range (a float to int conversion that overflows: SIGSEGV) or a
 * subtraction that overflows. 0 stays 0: it means "not set".
 */
static double
clamp_figure(double v, double lo, double hi)
{
	if (v == 0 || isnan(v))
		return 0;
	return v < lo ? lo : v > hi ? hi : v;
}

/* Seconds: 2^40 is 35,000 years either side of 1970. */
#define TIME_LIMIT	((int64_t)1 << 40)

static int64_t
clamp_time(int64_t t)
{
	return t < -TIME_LIMIT ? -TIME_LIMIT : t > TIME_LIMIT ? TIME_LIMIT : t;
}

enum {
	Q_ROWS,
	Q_CARDS_GRADED,
	Q_NEXT,
	Q_STATES,
	Q_N
};

/* The summary columns after the key, as struct db_stats_sums wants them:
 * n, ms, then by kind and rating (see migration 2). */
#define SUM_COLS \
	"n, ms, l1, l2, l3, l4, r1, r2, r3, r4, y1, y2, y3, y4, m1, m2, m3, m4," \
	" ay1, ay2, ay3, ay4, am1, am2, am3, am4"

/* The statements, with %s where the scope's condition on revlog goes.
 * Rows of kinds 0-3 with ratings 1-4 are grades; kind 4 (manual) is not. */
static const char *const q_sql[Q_N] = {
	[Q_ROWS] =
	"SELECT id, kind, rating, prev_scheduled_days >= 21, answer_ms"
	" FROM revlog WHERE id >= ?1 AND id < ?2"
	" AND kind BETWEEN 0 AND 3 AND rating BETWEEN 1 AND 4%s ORDER BY id",
	[Q_CARDS_GRADED] =
	"SELECT count(DISTINCT card_id) FROM revlog WHERE kind IN (0, 1, 2, 3)"
	" AND rating IN (1, 2, 3, 4) AND id >= ?1 AND id < ?2%s",
	[Q_NEXT] =
	"SELECT id FROM revlog WHERE id >= ?1 AND id < ?2"
	" AND kind BETWEEN 0 AND 3 AND rating BETWEEN 1 AND 4%s"
	" ORDER BY id LIMIT 1",
	/* The WHERE is revlog_review_states' own, so that partial index (which
	 * holds every column read here) answers with one id range. The deck
	 * is checked in C (q->cards): the walk passes every review of the
	 * period anyway, and a binary search costs less than SQLite's lookup
	 * in the temporary table. */
	[Q_STATES] =
	"SELECT id, elapsed_days, prev_stability, card_id FROM revlog%s"
	" WHERE kind = 1 AND rating BETWEEN 1 AND 4 AND prev_stability > 0"
	" AND id >= ?1 AND id < ?2",
};

/* The unary + keeps the planner on the id range: driven by the card list
 * instead, it would seek every card of the deck for every day. */
#define SCOPE_REVLOG	" AND +card_id IN temp.lemma_stats_cards"

/* The decks of the scope: the deck and every deck below it. substr, not
 * LIKE: deck names may hold '%' and '_', and LIKE ignores case. */
#define SCOPE_DECKS \
	"SELECT id FROM decks WHERE name = ?1 OR " \
	"substr(name, 1, length(?1) + 2) = ?1 || '::'"

struct db_stats {
	struct db		*db;
	int			 scoped;	/* a deck, not the collection */
	char			*deck;
	int64_t			 preset;
	int			 in_tx;		/* we opened the read transaction */
	sqlite3_stmt		*st[Q_N];
	int64_t			*cards;		/* the scope's card ids, sorted */
	size_t			 ncards;
};

static sqlite3_stmt *
stmt(struct db_stats *q, int which, struct err *e)
{
	char sql[1024];

	if (q->st[which] != NULL) {
		sqlite3_reset(q->st[which]);
		return q->st[which];
	}
	snprintf(sql, sizeof sql, q_sql[which], q->scoped ? SCOPE_REVLOG : "");
	q->st[which] = db_prepare(q->db, sql, e);
	return q->st[which];
}

static int
step_err(struct db_stats *q, sqlite3_stmt *st, struct err *e)
{
	sqlite3_reset(st);
	return db_sql_err(q->db, e, "cannot read the review log");
}

/* The scope's card ids in C, for the walk of Q_STATES. */
static int
load_cards(struct db_stats *q, struct err *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(q->db, "SELECT id FROM temp.lemma_stats_cards "
	    "ORDER BY id", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(q->cards, cap, q->ncards + 1, 1024);
		q->cards[q->ncards++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(q->db, e, "cannot read cards");
	return 0;
}

static int
in_scope(const struct db_stats *q, int64_t card)
{
	size_t lo = 0, hi = q->ncards;

	if (!q->scoped)
		return 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (q->cards[mid] < card)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < q->ncards && q->cards[lo] == card;
}

struct db_stats *
db_stats_open(struct db *db, const char *deck, struct err *e)
{
	struct db_stats *q = xcalloc(1, sizeof *q);
	sqlite3_stmt *st;
	int rc;

	q->db = db;
	q->preset = 1;
	q->scoped = deck != NULL && *deck != '\0';
	if (db->tx_depth == 0) {
		if (db_exec(db, "BEGIN", e) < 0)
			goto fail;
		q->in_tx = 1;
	}
	if (!q->scoped)
		return q;

	q->deck = xstrdup(deck);
	if ((st = db_prepare(db, "SELECT config_id FROM decks WHERE name = ?1",
	    e)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, deck, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		q->preset = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		err_set(e, NULL, 0, 0, "no deck named '%s'", deck);
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		db_sql_err(db, e, "cannot read decks");
		goto fail;
	}
	/* The deck's cards as a table, so each day's query checks a row with
	 * one lookup; a subquery would be rebuilt at every run. In id order,
	 * the inserts append. */
	if (db_exec(db, "DROP TABLE IF EXISTS temp.lemma_stats_cards;"
	    "CREATE TEMP TABLE lemma_stats_cards (id INTEGER PRIMARY KEY)", e) < 0)
		goto fail;
	if ((st = db_prepare(db, "INSERT INTO temp.lemma_stats_cards "
	    "SELECT id FROM cards WHERE deck_id IN (" SCOPE_DECKS ") ORDER BY id",
	    e)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, deck, -1, SQLITE_STATIC);
	if (db_step_done(db, st, e) < 0)
		goto fail;
	if (load_cards(q, e) < 0)
		goto fail;
	return q;
fail:
	db_stats_close(q);
	return NULL;
}

void
db_stats_close(struct db_stats *q)
{
	if (q == NULL)
		return;
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(q->st[i]);
	if (q->scoped)
		sqlite3_exec(q->db->sql, "DROP TABLE IF EXISTS temp.lemma_stats_cards",
		    NULL, NULL, NULL);
	/* Only reads happened: a rollback ends the snapshot just as well and
	 * cannot fail on a read-only file. */
	if (q->in_tx)
		sqlite3_exec(q->db->sql, "ROLLBACK", NULL, NULL, NULL);
	free(q->deck);
	free(q->cards);
	free(q);
}

int64_t
db_stats_scope_preset(const struct db_stats *q)
{
	return q->preset;
}

int
db_stats_presets(struct db_stats *q, struct db_stats_preset **out, size_t *n,
    struct err *e)
{
	struct db_stats_preset *p = NULL;
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(q->db, "SELECT id, desired_retention, rollover_hour,"
	    " fsrs_params FROM deck_config ORDER BY id", e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(p, cap, *n + 1, 4);
		p[*n].id = sqlite3_column_int64(st, 0);
		p[*n].desired_retention = sqlite3_column_double(st, 1);
		p[*n].rollover_hour = sqlite3_column_int(st, 2);
		p[*n].weights = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL :
		    db_column_strdup(st, 3);
		(*n)++;
	}
	sqlite3_finalize(st);
	*out = p;
	if (rc != SQLITE_DONE) {
		db_stats_presets_free(p, *n);
		*out = NULL;
		*n = 0;
		return db_sql_err(q->db, e, "cannot read deck options");
	}
	return 0;
}

void
db_stats_presets_free(struct db_stats_preset *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].weights);
	free(p);
}

/* Run a statement that returns one integer for [lo, hi). */
static int
one_int(struct db_stats *q, int which, int64_t lo, int64_t hi, int64_t *n,
    struct err *e)
{
	sqlite3_stmt *st;

	*n = 0;
	if ((st = stmt(q, which, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	if (sqlite3_step(st) != SQLITE_ROW)
		return step_err(q, st, e);
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int
db_stats_cards_graded(struct db_stats *q, int64_t lo, int64_t hi, int64_t *n,
    struct err *e)
{
	return one_int(q, Q_CARDS_GRADED, lo, hi, n, e);
}

int
db_stats_next_grade(struct db_stats *q, int64_t lo, int64_t hi, int64_t *id,
    struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, Q_NEXT, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 1;
	}
	if (rc != SQLITE_DONE)
		return step_err(q, st, e);
	sqlite3_reset(st);
	return 0;
}

/* Read the sums of one summary row: key, then SUM_COLS. */
static void
read_sums(sqlite3_stmt *st, struct db_stats_sums *b)
{
	static const int kinds[6] = { 0, 2, 1, 1, 3, 3 };
	int col = 3;

	memset(b, 0, sizeof *b);
	b->key = sqlite3_column_int64(st, 0);
	b->n = sqlite3_column_int64(st, 1);
	b->ms = sqlite3_column_int64(st, 2);
	for (int g = 0; g < 6; g++) {
		int mature = g == 3 || g == 5;
		for (int rt = 0; rt < 4; rt++, col++) {
			int64_t v = sqlite3_column_int64(st, col);
			b->count[kinds[g]][rt] += v;
			if (mature)
				b->mature[kinds[g]][rt] += v;
		}
	}
}

int
db_stats_buckets(struct db_stats *q, int64_t lo, int64_t hi,
    void (*fn)(void *arg, const struct db_stats_sums *b), void *arg,
    struct err *e)
{
	struct db_stats_sums b;
	sqlite3_stmt *st;
	int rc;

	/* A deck's sums: one range of the primary key per deck of the scope. */
	st = db_prepare(q->db, q->scoped ?
	    "SELECT bucket, " SUM_COLS " FROM revlog_deck_sum WHERE deck_id IN"
	    " (" SCOPE_DECKS ") AND bucket >= ?2 AND bucket < ?3" :
	    "SELECT bucket, " SUM_COLS " FROM revlog_sum"
	    " WHERE bucket >= ?2 AND bucket < ?3", e);
	if (st == NULL)
		return -1;
	if (q->scoped)
		sqlite3_bind_text(st, 1, q->deck, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_sums(st, &b);
		if (b.n != 0)
			fn(arg, &b);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(q->db, e, "cannot read the review summary");
	return 0;
}

int
db_stats_rows(struct db_stats *q, int64_t lo, int64_t hi,
    void (*fn)(void *arg, const struct db_stats_sums *b), void *arg,
    struct err *e)
{
	struct db_stats_sums b;
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, Q_ROWS, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 1);
		int rt = sqlite3_column_int(st, 2) - 1;

		memset(&b, 0, sizeof b);
		b.key = sqlite3_column_int64(st, 0);
		b.n = 1;
		b.ms = sqlite3_column_int64(st, 4);
		b.count[kind][rt] = 1;
		if ((kind == 1 || kind == 3) && sqlite3_column_int(st, 3))
			b.mature[kind][rt] = 1;
		fn(arg, &b);
	}
	if (rc != SQLITE_DONE)
		return step_err(q, st, e);
	sqlite3_reset(st);
	return 0;
}

int
db_stats_first_bucket(struct db_stats *q, int64_t *bucket, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	/* For a deck, the first bucket of each deck of the scope: a probe of
	 * the primary key each, where min() over an IN list would scan. */
	st = db_prepare(q->db, q->scoped ?
	    "SELECT min((SELECT min(bucket) FROM revlog_deck_sum s"
	    " WHERE s.deck_id = d.id)) FROM (" SCOPE_DECKS ") d" :
	    "SELECT min(bucket) FROM revlog_sum", e);
	if (st == NULL)
		return -1;
	if (q->scoped)
		sqlite3_bind_text(st, 1, q->deck, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_sql_err(q->db, e, "cannot read the review summary");
	}
	rc = sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (rc)
		*bucket = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

int
db_stats_review_states(struct db_stats *q, int64_t lo, int64_t hi,
    void (*fn)(void *arg, int64_t id, double elapsed, double stability),
    void *arg, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	char sql[512];
	struct err ignored;

	/* Named: the planner takes the rowid range, which reads the table,
	 * over the same range of this index a third of its width. Without the
	 * index (someone dropped it) the figures are the same, only slower. */
	snprintf(sql, sizeof sql, q_sql[Q_STATES],
	    " INDEXED BY revlog_review_states");
	if ((st = db_prepare(q->db, sql, &ignored)) == NULL) {
		snprintf(sql, sizeof sql, q_sql[Q_STATES], "");
		if ((st = db_prepare(q->db, sql, e)) == NULL)
			return -1;
	}
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Each column read takes SQLite's mutex: card_id only for a deck. */
		if (q->scoped && !in_scope(q, sqlite3_column_int64(st, 3)))
			continue;
		fn(arg, sqlite3_column_int64(st, 0),
		    clamp_figure(sqlite3_column_double(st, 1), -1e6, 1e6),
		    clamp_figure(sqlite3_column_double(st, 2), FSRS_S_MIN,
		    FSRS_S_MAX));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(q->db, e, "cannot read the review log");
	return 0;
}

/* Every deck's options preset, as pairs (deck id, preset) by deck id. */
static int
load_deck_presets(struct db_stats *q, int64_t **out, size_t *n, struct err *e)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(q->db, "SELECT id, config_id FROM decks ORDER BY id",
	    e)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {	/* pairs: id, config_id */
			cap = vec_cap_for(cap, *n + 1, 16);
			*out = xreallocarray(*out, cap, 2 * sizeof **out);
		}
		(*out)[2 * *n] = sqlite3_column_int64(st, 0);
		(*out)[2 * *n + 1] = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return db_sql_err(q->db, e, "cannot read decks");
	}
	return 0;
}

/* The preset of deck id in pairs p; 0 for a missing deck (the foreign key
 * forbids one), which the caller reads as the scope's preset. */
static int64_t
deck_preset(const int64_t *p, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p[2 * mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && p[2 * lo] == id ? p[2 * lo + 1] : 0;
}

int
db_stats_cards(struct db_stats *q, int want_preset,
    void (*fn)(void *arg, const struct db_stats_card *c), void *arg,
    struct err *e)
{
	struct db_stats_card c;
	int64_t *dp = NULL;
	size_t ndp = 0;
	sqlite3_stmt *st;
	char sql[512];
	int rc;

	/* One pass that hands each card to C: the histograms, forecast and
	 * retrievability need FSRS maths and study-day boundaries, which live
	 * in C, and one pass costs less than a GROUP BY per figure (each one
	 * reads the whole table). Each card's preset comes from a table of the
	 * decks in C: a join to decks cost a lookup per card. A deck's cards are found by reading the table
	 * in order (+deck_id), which beats a seek per card once the deck is more
	 * than a sliver of the collection. */
	/* An empty card (db-notes.h) is out of study: not in the counts and
	 * the forecast either. */
	snprintf(sql, sizeof sql, "SELECT c.state, c.suspended, c.buried_until,"
	    " c.scheduled_days, c.stability, c.difficulty, c.last_review, c.due,"
	    " c.deck_id FROM cards c WHERE c.empty = 0%s",
	    q->scoped ? " AND +c.deck_id IN (" SCOPE_DECKS ")" : "");
	if (want_preset && load_deck_presets(q, &dp, &ndp, e) < 0)
		return -1;
	if ((st = db_prepare(q->db, sql, e)) == NULL) {
		free(dp);
		return -1;
	}
	if (q->scoped)
		sqlite3_bind_text(st, 1, q->deck, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.state = sqlite3_column_int(st, 0);
		c.suspended = sqlite3_column_int(st, 1);
		c.buried_until = (long)sqlite3_column_int64(st, 2);
		c.scheduled_days = sqlite3_column_int(st, 3);
		c.stability = clamp_figure(sqlite3_column_double(st, 4),
		    FSRS_S_MIN, FSRS_S_MAX);
		c.difficulty = clamp_figure(sqlite3_column_double(st, 5), 1, 10);
		c.last_review = clamp_time(sqlite3_column_int64(st, 6));
		c.due = clamp_time(sqlite3_column_int64(st, 7));
		c.preset = want_preset ?
		    deck_preset(dp, ndp, sqlite3_column_int64(st, 8)) : 0;
		fn(arg, &c);
	}
	sqlite3_finalize(st);
	free(dp);
	if (rc != SQLITE_DONE)
		return db_sql_err(q->db, e, "cannot read cards");
	return 0;
}


int
db_stats_create_indexes(struct db *db, struct err *e)
{
	/* As migration 2 creates it. */
	return db_exec(db, "CREATE INDEX IF NOT EXISTS revlog_review_states"
	    " ON revlog (id, elapsed_days, prev_stability, card_id) WHERE"
	    " kind = 1 AND rating BETWEEN 1 AND 4 AND prev_stability > 0", e);
}
