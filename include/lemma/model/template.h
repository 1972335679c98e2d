/*
 * template.h - Anki's card template language, rendered to HTML-ish text.
 *
 * Owns the syntax of a note type's question and answer formats as Anki's
 * rslib/src/template.rs and template_filters.rs define it:
 *   {{Field}}                 the field's text (names are matched exactly,
 *                             case included, as Anki's field map does)
 *   {{FrontSide}}             the rendered question, on the answer side
 *   {{#Field}}...{{/Field}}   shown when the field is not empty
 *   {{^Field}}...{{/Field}}   shown when it is (sections nest)
 *   {{f:g:Field}}             filters, applied right to left: text:,
 *                             cloze:, cloze-only:, hint:, type:; unknown
 *                             filters pass the text through
 *   {{Tags}} {{Deck}} {{Subdeck}} {{Card}} {{Type}} {{CardFlag}}
 *                             special fields, unless a note field has the
 *                             name; {{cN}} is "1" on card N
 *   <!-- ... -->              comments; {{=<% %>=}} Anki's legacy syntax
 * Whitespace inside {{ }} is trimmed; "text }} more" is text; an
 * unbalanced section is an error that names the tag.
 *
 * The output is the template's HTML with fields put in, for the renderer
 * (render.h), which neutralises what must not reach a terminal. Two
 * filters leave something for the caller:
 *   type:Field  becomes TEMPLATE_TYPE_OPEN "Field" TEMPLATE_TYPE_CLOSE
 *               (Anki writes [[type:Field]]), where the study view puts
 *               its input line or, on the answer, the comparison;
 *   hint:Field  becomes the text when opts.hints is set, else
 *               TEMPLATE_HINT_OPEN "Field" TEMPLATE_HINT_CLOSE: a key shows
 *               it (Anki's link that reveals the hint).
 * cloze:Field keeps the field's {{cN::...}} for the renderer, which shows
 * card N's deletion (render_opts.cloze); it is empty when the field has
 * no cloze N, as in Anki.
 *
 * Pure: no I/O, no globals.
 */
#ifndef LEMMA_TEMPLATE_H
#define LEMMA_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/xmalloc.h"

#define TEMPLATE_TYPE_OPEN	"[[type:"
#define TEMPLATE_TYPE_CLOSE	"]]"
#define TEMPLATE_HINT_OPEN	"[[hint:"
#define TEMPLATE_HINT_CLOSE	"]]"

/* What a card is rendered from. Strings may be NULL (then ""). */
struct template_ctx {
	const char *const *names;	/* the note type's field names */
	const char *const *values;	/* the note's fields, same order */
	size_t		 nfields;
	const char	*tags;		/* "a b" */
	const char	*deck;		/* full name with "::" */
	const char	*notetype;	/* {{Type}} */
	const char	*card;		/* {{Card}}: the template's name */
	int		 flag;		/* {{CardFlag}}: "flag<N>" */
	int64_t		 card_id;	/* {{CardID}} */
	unsigned	 ord;		/* the card's template or cloze - 1 */
	const char	*frontside;	/* the question, when rendering the answer */
	int		 hints;		/* 1: hint: shows its text */
	int		 comments;	/* 1: keep <!-- --> in the output */
};

/* Render tmpl into out (appended). Returns 0; -1 with a message in
 * errbuf (e.g. "{{#Back}} is not closed", "no field named X") for a
 * template that does not parse or names a field the note type lacks. */
int	template_render(const char *tmpl, const struct template_ctx *ctx,
	    struct buf *out, char *errbuf, size_t errlen);

/* Whether tmpl parses; -1 with the message in errbuf when it does not. */
int	template_check(const char *tmpl, char *errbuf, size_t errlen);

/*
 * Anki's rule for whether a card exists: whether the question template
 * renders anything with these fields, where nonempty[i] says names[i] is
 * not empty. Special fields count as non-empty (Tags only when has_tags),
 * FrontSide never. Text outside replacements does not count. A template
 * that does not parse renders nothing (0).
 */
int	template_renders(const char *qfmt, const char *const *names,
	    const int *nonempty, size_t nfields, int has_tags);

/* Anki's field_is_empty: only white space and <br>, <div>, </div> tags. */
int	template_field_empty(const char *text);

/* The field names tmpl fills with the cloze: filter, as a NUL-separated
 * list appended to out (for the cloze numbers of a cloze note type). */
void	template_cloze_fields(const char *tmpl, struct buf *out);

/* Narrow html[*a, *b) to leave out the white space and <br>s at its
 * ends: a rendered side as a reader sees it (the study view, export). */
void	template_trim(const char *html, size_t *a, size_t *b);

#endif
