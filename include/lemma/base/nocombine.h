/*
 * nocombine.h - text without accents, as Anki's "nc:" searches see it.
 *
 * Owns one transform: each character's compatibility decomposition (NFKD)
 * without its combining marks (Unicode General Category M), and the
 * letters Anki also maps by hand (ß to s, ø to o, Æ to AE, ł to l ...), so
 * "frânçais", "FRANC\u0327AIS" and "francais" all become "francais" (case
 * is left alone). The table is tools/gen-nocombine.py's. Pure.
 */
#ifndef LEMMA_NOCOMBINE_H
#define LEMMA_NOCOMBINE_H

#include <stddef.h>

#include "lemma/base/xmalloc.h"

/* Append s[0..len) (UTF-8; a bad byte is kept as it is) to out without
 * combining marks. */
void	nocombine(const char *s, size_t len, struct buf *out);

/* Whether nocombine() would leave s[0..len) unchanged, so a caller can
 * skip the copy: true for ASCII, and checked quickly. */
int	nocombine_is_plain(const char *s, size_t len);

#endif
