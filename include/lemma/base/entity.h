/*
 * entity.h - HTML character references (&amp; &alpha; &#955; &#x3BB;),
 * decoded as HTML5 decodes them in text.
 *
 * The one home of this knowledge: html_to_text (the deck reader, search's
 * sort field and Markdown export use it) and the renderer
 * (study view, export --format text) both call entity_decode, so a card
 * reads the same everywhere. The names are the full WHATWG list, 2,231 of
 * them, generated into entity-table.c by tools/gen-entities.py. Pure: no
 * locale, no I/O.
 */
#ifndef LEMMA_BASE_ENTITY_H
#define LEMMA_BASE_ENTITY_H

#include <stddef.h>
#include <stdint.h>

/* The most code points one reference stands for (&NotEqualTilde; is
 * U+2242 U+0338). */
#define ENTITY_MAX_CPS	2

/*
 * If s (n bytes, s[0] == '&') starts a character reference, store what it
 * stands for in cp[0..*ncp) and return how many bytes it takes; else
 * return 0 (the '&' is text). As HTML5 does in text: the longest name
 * that matches wins; the legacy names ("&amp", "&lt", "&copy" ...) need
 * no ';'; numeric references need none either. &#0;, surrogates and
 * values past U+10FFFF give U+FFFD; &#128; to &#159; give the
 * windows-1252 characters (&#128; is the euro sign). Other code points
 * are returned as they are: showing them safely is termsafe's job.
 */
size_t	entity_decode(const char *s, size_t n, uint32_t cp[ENTITY_MAX_CPS],
	    size_t *ncp);

#endif
