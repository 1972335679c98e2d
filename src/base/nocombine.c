/*
 * nocombine.c - text without combining marks. See nocombine.h.
 */
#include "config.h"

#include "lemma/base/nocombine.h"

#include <stdint.h>

#include "lemma/base/utf8.h"
#include "nocombine-tab.h"

/* Hangul syllables decompose by arithmetic (Unicode 3.12), not by table. */
#define HANGUL_S	0xAC00u
#define HANGUL_L	0x1100u
#define HANGUL_V	0x1161u
#define HANGUL_T	0x11A7u
#define HANGUL_VN	21u
#define HANGUL_TN	28u
#define HANGUL_N	(19u * HANGUL_VN * HANGUL_TN)

static const struct nocombine_entry *
find(uint32_t cp)
{
	size_t lo = 0, hi = nocombine_count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (nocombine_tab[mid].cp < cp)
			lo = mid + 1;
		else if (nocombine_tab[mid].cp > cp)
			hi = mid;
		else
			return &nocombine_tab[mid];
	}
	return NULL;
}

static void
put(struct buf *out, uint32_t cp)
{
	char enc[4];

	buf_add(out, enc, utf8_encode(cp, enc));
}

int
nocombine_is_plain(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	int ok;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += utf8_decode(s + i, len - i, &cp, &ok);
		if (!ok || find(cp) != NULL || (cp >= HANGUL_S &&
		    cp < HANGUL_S + HANGUL_N))
			return 0;
	}
	return 1;
}

void
nocombine(const char *s, size_t len, struct buf *out)
{
	const struct nocombine_entry *e;
	size_t i = 0, n;
	uint32_t cp;
	int ok;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			buf_addc(out, s[i++]);
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp, &ok);
		if (!ok) {
			buf_add(out, s + i, n);
		} else if (cp >= HANGUL_S && cp < HANGUL_S + HANGUL_N) {
			uint32_t k = cp - HANGUL_S;

			put(out, HANGUL_L + k / (HANGUL_VN * HANGUL_TN));
			put(out, HANGUL_V + k % (HANGUL_VN * HANGUL_TN) / HANGUL_TN);
			if (k % HANGUL_TN != 0)
				put(out, HANGUL_T + k % HANGUL_TN);
		} else if ((e = find(cp)) != NULL) {
			for (uint8_t j = 0; j < e->len; j++)
				put(out, nocombine_pool[e->off + j]);
		} else
			buf_add(out, s + i, n);
		i += n;
	}
}
