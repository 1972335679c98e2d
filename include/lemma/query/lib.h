/*
 * lib.h - the query layer: every public header of src/query, in one include.
 *
 * Owns Anki's search language: tokens, syntax tree and SQL with
 * bound values (search.c, pure), globs, and running a compiled query over
 * the progress file: counts, pages in any sort order (db-search.c); bulk
 * card actions with undo on what it found (cardops.h, db-cardops.c).
 *
 * Rules: uses the layers below; the only SQL outside store is the
 * search runner's and the card actions' (db-search.c, db-cardops.c, on
 * store's db-int.h); a query's text never becomes SQL.
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_QUERY_LIB_H
#define LEMMA_QUERY_LIB_H

#include "lemma/query/cardops.h"
#include "lemma/query/search.h"

#endif
