/*
 * lib.h - the app layer: every public header of src/app, in one include.
 *
 * Owns what the running program is handed: the clock (app_now:
 * --now / LEMMA_NOW, else time()), the open file and the user's choices
 * (app), the settings file (config) and themes (theme: YAML to a style per
 * element).
 *
 * Rules: uses the layers below; no curses (the UI maps styles to
 * colours); app_now is the one reader of the clock.
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_APP_LIB_H
#define LEMMA_APP_LIB_H

#include "lemma/app/app.h"
#include "lemma/app/config.h"
#include "lemma/app/theme.h"

#endif
