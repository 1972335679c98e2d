/*
 * text.c - text as lemma compares and orders it: Unicode simple case
 * folding and the sort field's order key. See text.h.
 *
 * Pure: no I/O, no globals but the constant table.
 */
#include "config.h"

#include "lemma/base/text.h"

#include <stdint.h>

#include "lemma/base/utf8.h"
#include "fold-tab.h"

/* The table is fold-tab.c, made by tools/gen-fold.py. */
uint32_t
text_fold(uint32_t cp)
{
	size_t lo = 0, hi = fold_ranges_len;

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct fold_range *r = &fold_ranges[mid];

		if (cp < r->lo)
			hi = mid;
		else if (cp > r->hi)
			lo = mid + 1;
		else if ((cp - r->lo) % r->stride == 0)
			return (uint32_t)((int32_t)cp + r->delta);
		else
			return cp;
	}
	return cp;
}

/*
 * The first 8 bytes of the folded text (each character as text_fold()
 * gives it, UTF-8 encoded, the text ending at a NUL), big-endian and
 * zero-padded, moved into the signed range so that SQLite's integer order
 * is the unsigned one. Byte order of folded UTF-8 is code point order, so
 * a smaller key means a smaller folded text; equal keys need the rest.
 */
int64_t
text_sort_key(const char *text, size_t len)
{
	unsigned char out[8 + 4];
	size_t i = 0, o = 0;
	uint64_t k = 0;
	uint32_t cp;
	int ok;

	while (i < len && o < 8) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\0')
			break;
		if (c < 0x80) {
			out[o++] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		i += utf8_decode(text + i, len - i, &cp, &ok);
		o += utf8_encode(text_fold(cp), (char *)out + o);
	}
	for (size_t j = 0; j < 8; j++)
		k = k << 8 | (j < o ? out[j] : 0);
	/* k - 2^63, without a conversion of an out-of-range value. */
	return k >> 63 ? (int64_t)(k & ~((uint64_t)1 << 63)) :
	    (int64_t)k - INT64_MAX - 1;
}
