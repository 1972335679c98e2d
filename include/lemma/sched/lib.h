/*
 * lib.h - the sched layer: every public header of src/sched, in one include.
 *
 * Owns the study session: today's queue (limits, learning
 * steps, sibling burying), grading in one transaction with the review log,
 * undo. The place for the optimizer.
 *
 * Rules: uses the layers below; decisions about when a card is shown
 * live here, never in a view; no SQL of its own (store's db-study).
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_SCHED_LIB_H
#define LEMMA_SCHED_LIB_H

#include "lemma/sched/study.h"

#endif
