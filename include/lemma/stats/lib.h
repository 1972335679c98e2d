/*
 * lib.h - the stats layer: every public header of src/stats, in one include.
 *
 * Owns the statistics: the figures (stats), numbers to terminal
 * graphs as grids of cells (chart), the figures as graphs and text
 * (stats-text), and as JSON (stats-json).
 *
 * Rules: uses the layers below; no curses, so graphs are tested as
 * strings; SQL only through store's db-stats.
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_STATS_LIB_H
#define LEMMA_STATS_LIB_H

#include "lemma/stats/chart.h"
#include "lemma/stats/stats-json.h"
#include "lemma/stats/stats.h"
#include "lemma/stats/stats-text.h"

#endif
