/*
 * html.h - the HTML that Anki fields hold, as plain text: whether a field
 * is HTML, and its text (the sort field, export as text). No rendering
 * here: the renderer styles markup itself.
 */
#ifndef LEMMA_BASE_HTML_H
#define LEMMA_BASE_HTML_H

#include <stddef.h>

#include "lemma/base/xmalloc.h"

/*
 * html_is_html: whether s is clearly HTML (a known tag such as <br>,
 * <div>, <b>, or an entity such as &amp; or &#39; with its ';'), the test
 * Anki applies when a file does not say #html:. html_to_text: append s as
 * plain text to out: <br>, <div>, <p>, <li> and friends become line
 * breaks, entities are decoded (entity.h, as the renderer does), other
 * tags and comments are dropped
 * (with <script> and <style> contents). Nothing is fetched or run.
 */
int	html_is_html(const char *s, size_t len);
void	html_to_text(const char *s, size_t len, struct buf *out);

#endif
