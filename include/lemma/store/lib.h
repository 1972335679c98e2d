/*
 * lib.h - the store layer: every public header of src/store, in one include.
 *
 * Owns the progress file: the SQLite connection, schema and
 * migrations, every SQL statement about decks, notes, cards, reviews and
 * deck options (db, db-notes, db-study, db-stats, deckconf, and db-fsrs:
 * the review log as FSRS histories and a preset's parameters; db-simulate:
 * what the workload simulator reads), and the
 * backups beside the file (backup); and the one other SQLite file lemma
 * knows, an Anki collection inside a package (ankicol, db-ankicol*.c,
 * private db-ankicol-int.h), which never touches the progress file. Private: db-int.h (the connection,
 * db-sql.c's SQL helpers and db-files.c's copies, for db*.c files only),
 * db-schema.h and db-backup.h. Inside store calls go one way too:
 * db-files <- db-sql <- db-backup <- backup <- db (open, migrate).
 *
 * Rules: the only layer with SQLite (with query's search runner,
 * db-search.c, which runs SQL on store's connection); uses base and model;
 * no scheduling decisions, no file formats, no text for people.
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_STORE_LIB_H
#define LEMMA_STORE_LIB_H

#include "lemma/store/ankicol.h"
#include "lemma/store/backup.h"
#include "lemma/store/db.h"
#include "lemma/store/db-decks.h"
#include "lemma/store/db-export.h"
#include "lemma/store/db-fsrs.h"
#include "lemma/store/db-simulate.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/store/db-pkgimport.h"
#include "lemma/store/db-stats.h"
#include "lemma/store/db-study.h"
#include "lemma/store/deckconf.h"

#endif
