/*
 * lib.h - the model layer: every public header of src/model, in one include.
 *
 * Owns what notes and cards are, as pure functions: cloze
 * numbering (card N of a cloze note), tags' normal form, note types and
 * Anki's card template language (which cards a note has, what a card
 * shows, a typed answer compared), and the FSRS-6
 * memory model (a card's stability and difficulty after a grade, the
 * interval for a desired retention) with its optimizer (fitting the 21
 * parameters to a review history: fsrs-data, fsrs-grad, fsrs-pretrain,
 * fsrs-optim, fsrs-eval; the optimizer may use a second thread).
 *
 * Rules: uses base only; no SQLite, no I/O, no clock (now is a parameter).
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_MODEL_LIB_H
#define LEMMA_MODEL_LIB_H

#include "lemma/model/cloze.h"
#include "lemma/model/fsrs.h"
#include "lemma/model/fsrs-data.h"
#include "lemma/model/fsrs-memstate.h"
#include "lemma/model/fsrs-grad.h"
#include "lemma/model/fsrs-eval.h"
#include "lemma/model/fsrs-optim.h"
#include "lemma/model/fsrs-pretrain.h"
#include "lemma/model/tags.h"
#include "lemma/model/template.h"
#include "lemma/model/typeanswer.h"
#include "lemma/model/notetype.h"

#endif
