/*
 * lib.h - the ui layer: every public header of src/ui, in one include.
 *
 * Owns the full-screen program: curses and panel, the views, key
 * tables, colours. Its one public entry is ui_run (ui.h); everything else
 * is private to src/ui (src/ui/ui.h).
 *
 * Rules: the only layer with curses; no SQL, no YAML; it sees struct db
 * as an opaque pointer and time as app_now().
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_UI_LIB_H
#define LEMMA_UI_LIB_H

#include "lemma/ui/ui.h"

#endif
