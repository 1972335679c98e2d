/*
 * db-ankicol-int.h - what the Anki collection's reader and writer share
 * (db-ankicol.c, db-ankicol-write.c): private to store.
 */
#ifndef LEMMA_DB_ANKICOL_INT_H
#define LEMMA_DB_ANKICOL_INT_H

#include <sqlite3.h>

#include "lemma/base/err.h"

/* Anki's "unicase" collation (names of note types, decks, presets, tags):
 * Unicode case-insensitive. Its indexes need it, integrity_check too. */
int	ankicol_add_unicase(sqlite3 *db);
/* e filled with "label: what: SQLite's message"; returns -1. */
int	ankicol_sql_err(struct err *e, const char *label, sqlite3 *db,
	    const char *what);

#endif
