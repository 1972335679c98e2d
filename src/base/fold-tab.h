/*
 * fold-tab.h - the case folding table behind text_fold() (fold-tab.c,
 * written by tools/gen-fold.py).
 */
#ifndef LEMMA_FOLD_TAB_H
#define LEMMA_FOLD_TAB_H

#include <stddef.h>
#include <stdint.h>

/* Code points lo..hi, every stride-th one, fold to cp + delta. Sorted. */
struct fold_range {
	uint32_t	lo, hi;
	int32_t		delta;
	uint32_t	stride;
};

extern const struct fold_range	fold_ranges[];
extern const size_t		fold_ranges_len;

#endif
