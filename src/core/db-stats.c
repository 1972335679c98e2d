/*
 * db-stats.c - the SQL behind the statistics (see db-stats.h).
 *
 * Study days are not computed in SQL. The caller turns each study day into
 * a range of revlog ids with day_start() and every query here runs on one
 * range: revlog.id is the rowid, so a range is a B-tree seek and a walk of
 * exactly the rows of that day, and no sorter is needed. The alternative,
 * GROUP BY a day expression over the whole period, was measured slower on
 * the benchmark collection (SQLite has no hash aggregate: it sorts every
 * row, about 0.6 us a row against 0.15-0.2 us) and would need the UTC
 * offset of every row in SQL to be right across DST changes. Only the
 * hourly breakdown groups by an expression, with the offsets of the period
 * passed in as a CASE (db_stats_hours).
 */
#include "config.h"

#include "db-stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/xmalloc.h"

enum {
	Q_GRADES,
	Q_PASS,
	Q_COUNT,
	Q_CARDS_GRADED,
	Q_NEXT,
	Q_HOURS,
	Q_N
};

/* The statements, with %s where the scope's condition on revlog goes.
 * Rows of kinds 0-3 with ratings 1-4 are grades; kind 4 (manual) is not.
 * The IN lists let an index on (kind, rating, id, ...) answer each range
 * with one seek per kind and rating, in group order. */
static const char *const q_sql[Q_N] = {
	[Q_GRADES] =
	"SELECT kind, rating, count(*), total(answer_ms),"
	" sum(prev_scheduled_days >= 21),"
	" total(CASE WHEN kind = 1 THEN lemma_stats_r(elapsed_days, prev_stability) END),"
	" sum(kind = 1 AND prev_stability > 0)"
	" FROM revlog WHERE kind IN (0, 1, 2, 3) AND rating IN (1, 2, 3, 4)"
	" AND id >= ?1 AND id < ?2%s GROUP BY kind, rating",
	[Q_PASS] =
	"SELECT rating, count(*), sum(prev_scheduled_days >= 21) FROM revlog"
	" WHERE kind = 1 AND rating IN (1, 2, 3, 4) AND id >= ?1 AND id < ?2%s"
	" GROUP BY rating",
	[Q_COUNT] =
	"SELECT count(*) FROM revlog WHERE kind IN (0, 1, 2, 3)"
	" AND rating IN (1, 2, 3, 4) AND id >= ?1 AND id < ?2%s",
	[Q_CARDS_GRADED] =
	"SELECT count(DISTINCT card_id) FROM revlog WHERE kind IN (0, 1, 2, 3)"
	" AND rating IN (1, 2, 3, 4) AND id >= ?1 AND id < ?2%s",
	[Q_NEXT] =
	"SELECT id FROM revlog WHERE id >= ?1 AND id < ?2"
	" AND kind BETWEEN 0 AND 3 AND rating BETWEEN 1 AND 4%s"
	" ORDER BY id LIMIT 1",
	/* A walk of the table by id: cheaper than the index's 16 ranges when
	 * every row is wanted anyway. */
	[Q_HOURS] =
	"SELECT id, kind, rating FROM revlog WHERE id >= ?1 AND id < ?2%s",
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
	struct fsrs_params	*params;	/* owned by SQLite's function */
};

/* lemma_stats_r(t, s): FSRS retrievability after t days at stability s,
 * NULL without a memory state. The parameters are the function's user data,
 * so the formula stays in fsrs.c. */
static void
sql_r(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct fsrs_params *p = sqlite3_user_data(ctx);
	double t = sqlite3_value_double(argv[0]);
	double s = sqlite3_value_double(argv[1]);

	(void)argc;
	if (!(s > 0)) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_double(ctx, fsrs_retrievability(p, t < 0 ? 0 : t, s));
}

int
db_stats_set_params(struct db_stats *q, const struct fsrs_params *p,
    struct err *e)
{
	struct fsrs_params *copy = xmalloc(sizeof *copy);

	*copy = *p;
	/* SQLite frees the previous copy (free) when this one replaces it. */
	if (sqlite3_create_function_v2(q->db->sql, "lemma_stats_r", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, copy, sql_r, NULL, NULL,
	    free) != SQLITE_OK)
		return db_sql_err(q->db, e, "cannot register a statistics function");
	q->params = copy;
	return 0;
}

static void
drop_function(struct db_stats *q)
{
	if (q->params != NULL)
		sqlite3_create_function_v2(q->db->sql, "lemma_stats_r", 2,
		    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL, NULL, NULL,
		    NULL);
	q->params = NULL;
}

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
	drop_function(q);
	if (q->scoped)
		sqlite3_exec(q->db->sql, "DROP TABLE IF EXISTS temp.lemma_stats_cards",
		    NULL, NULL, NULL);
	/* Only reads happened: a rollback ends the snapshot just as well and
	 * cannot fail on a read-only file. */
	if (q->in_tx)
		sqlite3_exec(q->db->sql, "ROLLBACK", NULL, NULL, NULL);
	free(q->deck);
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
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			p = xreallocarray(p, cap, sizeof *p);
		}
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

int
db_stats_grades(struct db_stats *q, int64_t lo, int64_t hi,
    struct db_stats_group g[4][4], struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(g, 0, 16 * sizeof g[0][0]);
	if ((st = stmt(q, Q_GRADES, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(st, 0);
		int rating = sqlite3_column_int(st, 1);
		struct db_stats_group *x = &g[kind][rating - 1];

		x->count = sqlite3_column_int64(st, 2);
		x->time_ms = (int64_t)sqlite3_column_double(st, 3);
		x->mature = sqlite3_column_int64(st, 4);
		x->predicted = sqlite3_column_double(st, 5);
		x->predicted_n = sqlite3_column_int64(st, 6);
	}
	if (rc != SQLITE_DONE)
		return step_err(q, st, e);
	sqlite3_reset(st);
	return 0;
}

int
db_stats_review_pass(struct db_stats *q, int64_t lo, int64_t hi,
    struct stats_pass *young, struct stats_pass *mature, struct err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt(q, Q_PASS, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t n = sqlite3_column_int64(st, 1);
		int64_t m = sqlite3_column_int64(st, 2);

		if (sqlite3_column_int(st, 0) == 1) {
			young->fail += n - m;
			mature->fail += m;
		} else {
			young->pass += n - m;
			mature->pass += m;
		}
	}
	if (rc != SQLITE_DONE)
		return step_err(q, st, e);
	sqlite3_reset(st);
	return 0;
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
db_stats_count(struct db_stats *q, int64_t lo, int64_t hi, int64_t *n,
    struct err *e)
{
	return one_int(q, Q_COUNT, lo, hi, n, e);
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

int
db_stats_hours(struct db_stats *q, int64_t lo, int64_t hi,
    const struct db_stats_zone *zone, struct stats_hour h[24], struct err *e)
{
	sqlite3_stmt *st;
	size_t seg = 0;
	int rc;

	memset(h, 0, 24 * sizeof h[0]);
	/*
	 * The one figure counted in C from a walk of the grades: GROUP BY the
	 * local hour makes SQLite sort every grade of the period (it has no
	 * hash aggregate), about 0.6 us a grade on the benchmark collection;
	 * walking the rows by id and adding to 24 counters costs about 0.2 us
	 * and no memory. The rows come in id order, so the offset segment is
	 * found by a short walk.
	 */
	if ((st = stmt(q, Q_HOURS, e)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int kind = sqlite3_column_int(st, 1);
		int rating = sqlite3_column_int(st, 2);
		int64_t local;

		if (kind < 0 || kind > 3 || rating < 1 || rating > 4)
			continue;	/* manual: not a grade */

		while (seg > 0 && id < zone->start[seg])
			seg--;
		while (seg + 1 < zone->n && id >= zone->start[seg + 1])
			seg++;
		local = id / 1000 + (zone->n ? zone->offset[seg] : 0);
		local = (local / 3600) % 24;
		if (local < 0)
			local += 24;
		h[local].count++;
		h[local].pass += rating > 1;
	}
	if (rc != SQLITE_DONE)
		return step_err(q, st, e);
	sqlite3_reset(st);
	return 0;
}

int
db_stats_cards(struct db_stats *q, int want_preset,
    void (*fn)(void *arg, const struct db_stats_card *c), void *arg,
    struct err *e)
{
	struct db_stats_card c;
	sqlite3_stmt *st;
	char sql[512];
	int rc;

	/* One pass that hands each card to C: the histograms, forecast and
	 * retrievability need FSRS maths and study-day boundaries, which live
	 * in C, and one pass costs less than a GROUP BY per figure (each one
	 * reads the whole table). The join to decks is left out when there is
	 * only one preset to find. A deck's cards are found by reading the table
	 * in order (+deck_id), which beats a seek per card once the deck is more
	 * than a sliver of the collection. */
	snprintf(sql, sizeof sql, "SELECT c.state, c.suspended, c.buried_until,"
	    " c.scheduled_days, c.stability, c.difficulty, c.last_review, c.due,"
	    " %s FROM cards c%s%s", want_preset ? "d.config_id" : "0",
	    want_preset ? " JOIN decks d ON d.id = c.deck_id" : "",
	    q->scoped ? " WHERE +c.deck_id IN (" SCOPE_DECKS ")" : "");
	if ((st = db_prepare(q->db, sql, e)) == NULL)
		return -1;
	if (q->scoped)
		sqlite3_bind_text(st, 1, q->deck, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c.state = sqlite3_column_int(st, 0);
		c.suspended = sqlite3_column_int(st, 1);
		c.buried_until = (long)sqlite3_column_int64(st, 2);
		c.scheduled_days = sqlite3_column_int(st, 3);
		c.stability = sqlite3_column_double(st, 4);
		c.difficulty = sqlite3_column_double(st, 5);
		c.last_review = sqlite3_column_int64(st, 6);
		c.due = sqlite3_column_int64(st, 7);
		c.preset = sqlite3_column_int64(st, 8);
		fn(arg, &c);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(q->db, e, "cannot read cards");
	return 0;
}

int
db_stats_create_indexes(struct db *db, struct err *e)
{
	/* Every figure of a period walks its grades once per study day; this
	 * index holds all the columns those walks read, ordered so that a day
	 * is a seek per kind and rating, so they never touch the table. */
	return db_exec(db, "CREATE INDEX IF NOT EXISTS revlog_stats ON revlog"
	    " (kind, rating, id, prev_scheduled_days, answer_ms, elapsed_days,"
	    " prev_stability, card_id)", e);
}
