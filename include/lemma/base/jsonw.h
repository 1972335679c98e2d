/*
 * jsonw.h - writing JSON: the one place that knows how a string and a
 * number are spelled (search --json, stats --json).
 *
 * Strings come out valid and safe to print: bytes that are not UTF-8
 * become \ufffd, and beyond what JSON requires, whatever termsafe would
 * not show raw (C0 and C1 controls, DEL, U+2028/9, bidi, zero-width and
 * other format characters) is a \u escape, so the text survives and no
 * control reaches a terminal. Pure: no locale, no I/O.
 */
#ifndef LEMMA_BASE_JSONW_H
#define LEMMA_BASE_JSONW_H

#include "lemma/base/xmalloc.h"

/* s (NUL-terminated) as a JSON string, quotes included. */
void	jsonw_str(struct buf *out, const char *s);

/* v as a JSON number: whole values without a fraction, others with 6
 * significant digits; NaN and infinities (which JSON cannot spell) as
 * null. */
void	jsonw_num(struct buf *out, double v);

#endif
