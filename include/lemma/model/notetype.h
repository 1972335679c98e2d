/*
 * notetype.h - a note type: its fields and card templates, as Anki's
 * (rslib/src/notetype), and which cards a note of it has.
 *
 * Owns Anki's card generation rule (rslib/src/notetype/cardgen.rs): a
 * normal type has card ord i when template i's question renders anything
 * with the note's non-empty fields (template_renders); a cloze type has
 * card N - 1 for each cloze number N in the fields its question fills
 * with cloze:. A note that would get no card at all gets card 0, as Anki
 * adds it so that no note is without a card.
 *
 * The built-in types have fixed ids (notes made before note types were
 * data kept 0, 1 and 2 in notes.notetype): NOTETYPE_BASIC and the rest.
 * Pure: the progress file's rows are read by store (db-notetypes.h).
 */
#ifndef LEMMA_NOTETYPE_H
#define LEMMA_NOTETYPE_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/xmalloc.h"

enum {
	NOTETYPE_BASIC = 0,		/* Basic */
	NOTETYPE_REVERSED = 1,		/* Basic (and reversed card) */
	NOTETYPE_CLOZE = 2,		/* Cloze */
	NOTETYPE_OPTIONAL_REVERSED = 3,	/* Basic (optional reversed card) */
	NOTETYPE_TYPING = 4,		/* Basic (type in the answer) */
	NOTETYPE_BUILTIN = 5		/* ids from here are the user's */
};

enum notetype_kind { NOTETYPE_NORMAL = 0, NOTETYPE_KIND_CLOZE = 1 };

struct notetype_template {
	char	*name;
	char	*qfmt;
	char	*afmt;
};

struct notetype {
	int64_t			 id;
	char			*name;
	enum notetype_kind	 kind;
	unsigned		 sort_field;	/* index into fields */
	char			**fields;	/* names, in order */
	size_t			 nfields;
	struct notetype_template *templates;
	size_t			 ntemplates;
	char			*css;		/* kept for Anki, not shown; may
						 * be NULL */
	int64_t			 mtime;		/* seconds; Anki's re-import
						 * compares it */
};

void	notetype_free(struct notetype *nt);

/* The index of field name (exact match), or -1. */
int	notetype_field_index(const struct notetype *nt, const char *name);

/*
 * The ords the note with these fields (nvalues of them; missing ones are
 * empty) and tags ("" for none) should have, ascending, into out (room for
 * max); returns how many, which may exceed max (only max stored). With
 * ensure, a note that would have none gets card 0 (Anki's rule for a new
 * note); without, 0 is returned (a cloze note with no cloze).
 */
size_t	notetype_card_ords(const struct notetype *nt,
	    const char *const *values, size_t nvalues, const char *tags,
	    int ensure, unsigned *out, size_t max);

/* A card to render: its note's fields and what the special fields say. */
struct notetype_card {
	const char *const *values;	/* the note's fields, in order */
	size_t		 nvalues;	/* fewer than the type's: the rest empty */
	int		 is_html;	/* 0: plain text, escaped for the HTML */
	const char	*tags;		/* "a b" */
	const char	*deck;
	unsigned	 ord;
	int		 flag;
	int64_t		 card_id;
};

/*
 * The question (answer == 0) or the answer of card c as HTML for the
 * renderer (template.h says what is left in it: type: and hint: markers,
 * cloze deletions). The answer's {{FrontSide}} is the question. The
 * templates' own line breaks are read as HTML white space (none beside a
 * tag, one space elsewhere), since the renderer keeps spaces. A plain
 * note's fields are escaped (& < > and line breaks as <br>), so that they
 * read as they did before templates. -1 with errbuf naming the template
 * on a template error.
 */
int	notetype_render(const struct notetype *nt,
	    const struct notetype_card *c, int answer, int hints,
	    struct buf *out, char *errbuf, size_t errlen);

/* The name of card ord: the template's, or "Cloze N" (Anki's browser). */
const char *notetype_card_name(const struct notetype *nt, unsigned ord,
	    char *buf, size_t len);

#endif
