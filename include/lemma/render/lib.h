/*
 * lib.h - the render layer: every public header of src/render, in one include.
 *
 * Owns a card field as styled, wrapped lines of terminal cells:
 * HTML and Markdown-ish markup, cloze markers, formula text to Unicode
 * (math, LaTeX), character widths. Pure functions of the field.
 *
 * Rules: uses base only; no SQLite, no curses, no I/O, no clock.
 *
 * Layers, bottom first: base, render, model, store, sched, formats, query,
 * app, stats, ui, cli. A layer uses only the ones below it; make check
 * (tests/layering.sh) fails on an include or a symbol that points up.
 */
#ifndef LEMMA_RENDER_LIB_H
#define LEMMA_RENDER_LIB_H

#include "lemma/render/mediaref.h"
#include "lemma/render/render.h"

#endif
