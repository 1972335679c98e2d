/*
 * text.h - text as lemma compares and orders it.
 *
 * Owns the one case fold (search's comparisons, its globs and the sort
 * field's key all use it) and the order key the progress file keeps for a
 * note's sort field (notes.sort_key). Pure functions of UTF-8 text.
 */
#ifndef LEMMA_BASE_TEXT_H
#define LEMMA_BASE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Unicode simple case folding of one code point (CaseFolding.txt, status C
 * and S), the fold every comparison in search and the sort order use.
 */
uint32_t	text_fold(uint32_t cp);

/*
 * The sort field's order key (notes.sort_key): the first 8 bytes of the
 * folded text as a signed integer. Keys compare as the folded texts do on
 * those bytes, so texts with different keys are in key order and texts
 * with equal keys are ordered by the rest of the folded text.
 */
int64_t	text_sort_key(const char *text, size_t len);

#endif
