/*
 * stats-json.h - the statistics as JSON, for `lemma stats --json`. Pure: no
 * I/O, no clock.
 */
#ifndef LEMMA_STATS_JSON_H
#define LEMMA_STATS_JSON_H

#include "lemma/stats/stats.h"

struct buf;

/* Everything as one JSON object (numbers, no graphs), ending in a newline.
 * Rates are null when nothing was reviewed. Appends to out. */
void	stats_json(const struct stats *s, struct buf *out);

#endif
