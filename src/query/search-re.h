/*
 * search-re.h - private to src/query: the regular expressions of "re:"
 * and "w:" searches, with PCRE2.
 *
 * Anki's regexes are the Rust regex crate's: (?i), (?s), \d, \w, \b are
 * Unicode-aware there. PCRE2 with UTF and UCP reads the same syntax the
 * same way (and more: look-around, back-references), where POSIX regcomp
 * has no \d, \b or (?i). search.c compiles a pattern once to report a bad
 * one with its column; db-search.c keeps one compiled per statement.
 */
#ifndef LEMMA_SEARCH_RE_H
#define LEMMA_SEARCH_RE_H

#include <stddef.h>

struct search_re;

/* Compile pattern (UTF-8). NULL on a bad pattern, with msg (room for len
 * bytes) saying why and *at the byte offset where PCRE2 stopped. */
struct search_re	*search_re_compile(const char *pattern, char *msg,
			    size_t len, size_t *at);

/* Whether re matches anywhere in text[0..len) (invalid UTF-8 is text
 * that cannot match, not an error). */
int			 search_re_match(const struct search_re *re,
			    const char *text, size_t len);
void			 search_re_free(struct search_re *re);

#endif
