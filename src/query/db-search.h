/*
 * db-search.h - private to src/query/db*.c: the SQL functions and the
 * collation that the WHERE clauses of search.h call.
 *
 * search_run() registers them itself; a db-*.c file that runs a compiled
 * search in its own query (statistics over a search, say) calls
 * db_search_functions() first.
 */
#ifndef LEMMA_DB_SEARCH_H
#define LEMMA_DB_SEARCH_H

#include "../store/db-int.h"

/*
 * Register on db's connection, once (later calls only check):
 *   lemma_text(fields, pat)          a field of fields contains pat
 *   lemma_field(notetype, map, fields, pat)
 *                                    a field that map ("notetype:ord,...",
 *                                    FIELD:'s fields by type) picks for
 *                                    the note's type is all pat
 *   lemma_glob(text, pat)            text is all pat
 *   lemma_field_re(notetype, map, fields, re)   ... a regex finds something
 *   lemma_field_nc(notetype, map, fields, pat)  ... is all pat, accents off
 *   lemma_text_nc(fields, pat)       a field contains pat, accents off
 *   lemma_text_sc(fields, pat)       a field without cloze markup contains it
 *   lemma_regex(text, re)            the regex finds something in text
 *   lemma_dupe(fields, text)         the first field is text, HTML ignored
 *   lemma_tag(tags, pat, pat2)       a tag of " a b " is pat or pat2
 *   lemma_tag_nc(tags, pat, pat2)    the same, accents off
 *   lemma_tag_re(tags, re)           the regex finds something in a tag
 *   lemma_r(deck_id, stability, last_review, now)
 *                                    FSRS retrievability with the deck's
 *                                    parameters and rollover hour
 *   COLLATE lemma_fold               case-folded order
 * Patterns are search_glob()'s, regexes search-re.h's (PCRE2). Returns 0,
 * or -1 and fills e.
 */
int	db_search_functions(struct db *db, struct err *e);

/* COLLATE lemma_fold itself: <0, 0 or >0 as a sorts before, with or
 * after b, case-folded (arg is unused). Tags compare with it too. */
int	db_search_collate_fold(void *arg, int alen, const void *a, int blen,
	    const void *b);

#endif
