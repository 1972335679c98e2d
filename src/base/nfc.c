/* nfc.c - Unicode Normalization Form C; see nfc.h. */
#include "config.h"

#include "lemma/base/nfc.h"

#include <stdlib.h>
#include <uninorm.h>

int
nfc_may_change(const char *s, size_t len)
{
	/*
	 * Every code point below U+0300 is its own NFC form and never
	 * combines with what follows it (NFC_Quick_Check = Yes), and those
	 * are exactly the UTF-8 sequences whose first byte is below 0xCC.
	 * ASCII, Latin-1 and the Latin Extended blocks, so most decks, take
	 * this one pass.
	 */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0xCC)
			return 1;
	return 0;
}

void
nfc_append(struct buf *out, const char *s, size_t len)
{
	uint8_t *n;
	size_t nlen = 0;

	if (!nfc_may_change(s, len)) {
		buf_add(out, s, len);
		return;
	}
	n = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &nlen);
	if (n == NULL) {
		/* Only on invalid UTF-8 or out of memory: keep the text. */
		buf_add(out, s, len);
		return;
	}
	buf_add(out, (const char *)n, nlen);
	free(n);
}
