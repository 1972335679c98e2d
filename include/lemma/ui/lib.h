/*
 * lib.h - the ui layer: every public header of src/ui, in one include.
 *
 * Owns the full-screen program: curses and panel, the views, key
 * tables, colours. Its public entries are ui_run (ui.h) and a long
 * operation's progress panel with its cancel key (ui-progress.h, which the
 * command line uses before the screen starts); everything else is private
 * to src/ui (src/ui/ui.h).
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
#include "lemma/ui/ui-progress.h"

#endif
