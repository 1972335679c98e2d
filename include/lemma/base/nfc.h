/*
 * nfc.h - Unicode Normalization Form C, for text read from deck files.
 *
 * Owns one rule: text that will be matched against other text (a row's
 * first field against the notes already there) is normalised to NFC
 * first, as Anki does on import, so "é" typed as e + U+0301 and "é" as
 * U+00E9 are the same note. The normalisation itself is libunistring's
 * (u8_normalize, Unicode's own tables); this module adds the quick pass
 * that makes it free for the text most decks hold.
 *
 * Pure: no I/O, no globals.
 */
#ifndef LEMMA_NFC_H
#define LEMMA_NFC_H

#include <stddef.h>

#include "lemma/base/xmalloc.h"

/* Whether s[0..len) may change under NFC: 0 when it surely does not (no
 * character from U+0300 on: none of those below it changes). */
int	nfc_may_change(const char *s, size_t len);

/* Append the NFC form of the valid UTF-8 s[0..len) to out. */
void	nfc_append(struct buf *out, const char *s, size_t len);

#endif
