/*
 * typeanswer.h - a typed answer compared with the expected one, as Anki's
 * compare_answer (rslib/src/typeanswer.rs) does for {{type:Field}}.
 *
 * Owns the comparison, character by character: the expected text is the
 * field with HTML, sounds and line breaks taken out and the ends trimmed;
 * the two are matched with Python difflib's SequenceMatcher (the longest
 * common block first, then the same on each side of it), and each side
 * comes back as runs marked good, bad (typed but wrong) or missing. Where
 * the typed line lacks characters, it shows one '-' per missing one.
 *
 * Pure: no I/O. Not done as Anki: Unicode normalisation (NFC) of both
 * sides, so a precomposed and a combining "é" differ here.
 */
#ifndef LEMMA_TYPEANSWER_H
#define LEMMA_TYPEANSWER_H

#include <stddef.h>

#include "lemma/base/xmalloc.h"

enum typeans_kind { TYPEANS_GOOD, TYPEANS_BAD, TYPEANS_MISSING };

struct typeans_run {
	enum typeans_kind	 kind;
	char			*text;
};

struct typeans {
	int			 exact;	/* typed == expected: one good run */
	struct typeans_run	*typed, *expected;
	size_t			 ntyped, nexpected;
};

/* The expected text of a field as Anki compares it (appended to out). */
void	typeans_expected(const char *field_html, struct buf *out);

/* Compare typed with expected (already through typeans_expected). With
 * typed empty, expected comes back as one good run and typed as none. */
void	typeans_compare(const char *expected, const char *typed,
	    struct typeans *out);
void	typeans_free(struct typeans *t);

#endif
