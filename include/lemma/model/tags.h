/*
 * tags.h - a note's tags as lemma keeps them (as Anki does): words split
 * at white space, sorted, duplicates ignoring case dropped, joined by
 * single spaces. The deck file reader, import and the notes' SQL all use
 * this one form.
 */
#ifndef LEMMA_MODEL_TAGS_H
#define LEMMA_MODEL_TAGS_H

#include <stddef.h>

#include "lemma/base/xmalloc.h"

/* Tags as lemma keeps them: split at white space, sorted, duplicates
 * (ignoring case) dropped, joined by single spaces. out is replaced. */
void	tags_normalize(const char *tags, struct buf *out);

/* Append the white-space-separated words of s[0..len) to tb, each ending
 * in a NUL: tags gathered from several places before tags_finish. */
void	tags_collect(struct buf *tb, const char *s, size_t len);

/* The words in tb in the normal form, appended to out with a NUL after
 * them; returns the offset in out where they begin. */
size_t	tags_finish(struct buf *tb, struct buf *out);

#endif
