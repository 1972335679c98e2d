/*
 * db-rows.c - rows kept in memory as SQLite gave them, and put back: what
 * every undo of a delete holds (db-int.h). A copy of each value, so the
 * rows outlive their statement and the transaction that deleted them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "db-int.h"
#include "lemma/base/xmalloc.h"

void
db_rows_free(struct db_rows *u)
{
	for (size_t i = 0; i < u->nrows * (size_t)u->ncols; i++)
		sqlite3_value_free(u->vals[i]);
	free(u->vals);
	memset(u, 0, sizeof *u);
}

int
db_rows_keep(struct db *db, sqlite3_stmt *st, struct db_rows *u,
    struct err *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		u->ncols = sqlite3_column_count(st);
		if (u->nrows == u->cap) {
			u->cap = vec_cap_for(u->cap, u->nrows + 1, 64);
			u->vals = xreallocarray(u->vals, u->cap * (size_t)u->ncols,
			    sizeof *u->vals);
		}
		for (int i = 0; i < u->ncols; i++) {
			sqlite3_value *v = sqlite3_value_dup(
			    sqlite3_column_value(st, i));

			if (v == NULL)
				fatal("out of memory");
			u->vals[u->nrows * (size_t)u->ncols + (size_t)i] = v;
		}
		u->nrows++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot read the rows to change");
	return 0;
}

int
db_rows_put(struct db *db, const char *verb, const char *table,
    const struct db_rows *u, struct err *e)
{
	sqlite3_stmt *st;
	struct buf sql;

	if (u->nrows == 0)
		return 0;
	buf_init(&sql);
	buf_printf(&sql, "%s INTO %s VALUES (?", verb, table);
	for (int i = 1; i < u->ncols; i++)
		buf_adds(&sql, ", ?");
	buf_addc(&sql, ')');
	st = db_prepare(db, sql.data, e);
	buf_free(&sql);
	if (st == NULL)
		return -1;
	for (size_t r = 0; r < u->nrows; r++) {
		for (int i = 0; i < u->ncols; i++)
			sqlite3_bind_value(st, i + 1,
			    u->vals[r * (size_t)u->ncols + (size_t)i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_sql_err(db, e, "cannot undo");
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return 0;
}
