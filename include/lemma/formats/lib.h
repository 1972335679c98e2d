/*
 * lib.h - the formats layer: every public header of src/formats, in one include.
 *
 * Owns deck files in and out: reading Anki text and Markdown
 * tables (deckfile), import into the progress file in one transaction,
 * export as text, a note as a small document for $EDITOR (notedoc). The
 * place for Anki packages.
 *
 * Rules: uses the layers below (store's db-notes for SQL); no SQL of
 * its own; reports file:line:col in struct err and never prints.
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_FORMATS_LIB_H
#define LEMMA_FORMATS_LIB_H

#include "lemma/formats/anki-sched.h"
#include "lemma/formats/apkg.h"
#include "lemma/formats/apkg-export.h"
#include "lemma/formats/apkg-import.h"
#include "lemma/formats/deckfile.h"
#include "lemma/formats/export.h"
#include "lemma/formats/import.h"
#include "lemma/formats/mediarefs.h"
#include "lemma/formats/notedoc.h"

#endif
