/*
 * cloze.h - cloze deletions in a note's text, as Anki writes them.
 *
 * Owns the syntax {{cN::text}} and {{cN::text::hint}}, nested clozes
 * ({{c1::a {{c2::b}} c}}) included, with Anki's rules: "}}" closes the
 * innermost open cloze, an opening that is never closed is plain text, and
 * N runs from 1 to CLOZE_MAX. Anki's multi-card cloze {{c1,2::text}} is
 * one deletion on cards 1 and 2 (empty pieces, as in "c1,,3", are
 * skipped; a 0 is a cloze on no card). Card N of a cloze note has ord
 * N - 1. An image occlusion ({{c1::image-occlusion:rect:...}}) renders
 * as a placeholder naming its shape (render_io_placeholder).
 *
 * Pure functions over UTF-8 strings: no I/O, no globals. Knows nothing
 * about terminals; the renderer asks for markers around the active cloze
 * and styles them itself.
 */
#ifndef LEMMA_CLOZE_H
#define LEMMA_CLOZE_H

#include <stddef.h>

#include "lemma/base/xmalloc.h"

/* The largest cloze number; {{c0::...}} and larger numbers are plain text. */
#define CLOZE_MAX	9999

/* The most cards a cloze note may have, as in Anki (card ord = N - 1 up to
 * 499): an import refuses a note with a larger number. */
#define CLOZE_CARDS_MAX	500

/* The largest N of any "{{cN::" opening in text, closed or not and however
 * large (saturating at ULONG_MAX); 0 when there is none. */
unsigned long	cloze_largest(const char *text);

/* Whether text holds at least one complete cloze ({{cN::...}}). */
int	cloze_has(const char *text);

/* Store the distinct cloze numbers in text, ascending, into out (room for
 * max numbers). Returns how many there are, which may exceed max: then only
 * the smallest max were stored. */
size_t	cloze_numbers(const char *text, unsigned *out, size_t max);

/*
 * Append to out the text of card n (1-based): the question (answer == 0)
 * shows cloze n as "[hint]" or "[...]" between mark_on and mark_off; the
 * answer (answer != 0) shows its text between them and drops the hint.
 * Every other cloze shows its text. mark_on and mark_off may be NULL.
 */
void	cloze_render(const char *text, unsigned n, int answer,
	    const char *mark_on, const char *mark_off, struct buf *out);

#endif
