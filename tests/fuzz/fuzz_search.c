/* fuzz-sources: src/query/search.c src/query/search-re.c src/base/text.c src/base/fold-tab.c src/base/nocombine.c src/base/nocombine-tab.c src/base/err.c src/base/xmalloc.c src/base/utf8.c src/base/termsafe.c src/base/day.c */
/* fuzz-libs: -lpcre2-8 */
/*
 * fuzz_search.c - libFuzzer target for the query language.
 *
 * The input (up to its first NUL) is compiled as a query. Besides the
 * sanitizers, it checks what db-search.c trusts (search.h): the SQL has
 * exactly one bound value per "?", and holds nothing that could have come
 * from the query (no quote, semicolon or comment); an error has a message
 * and a column inside the query. Every text value is then run through the
 * matcher against the query itself, and the input's two halves are matched
 * as pattern and text.
 * Run: tests/fuzz/run-fuzz.sh search 60
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/query/search.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = xstrndup((const char *)data, size);
	size_t len = strlen(q), marks = 0;
	struct search *s;
	struct err e;

	memset(&e, 0, sizeof e);
	s = search_compile(q, 1735722000, 4, &e);
	if (s == NULL) {
		if (e.msg[0] == '\0' || e.col < 1 || e.col > utf8_count(q, len) + 1)
			abort();
	} else {
		const char *sql = search_sql(s);

		if (strpbrk(sql, "'\";") != NULL || strstr(sql, "--") != NULL ||
		    strstr(sql, "/*") != NULL)
			abort();
		for (const char *p = sql; *p != '\0'; p++)
			marks += *p == '?';
		if (marks != search_param_count(s))
			abort();
		for (size_t i = 0; i < search_param_count(s); i++) {
			const struct search_param *p = search_param_get(s, i);

			if (p->type == SEARCH_PARAM_TEXT) {
				struct search_glob *g = search_glob_compile(p->text);

				search_glob_match(g, q, len, 1);
				search_glob_match(g, q, len, 0);
				search_glob_free(g);
			}
		}
		search_free(s);
	}
	if (size > 1) {
		char *pat = xstrndup((const char *)data, size / 2);
		const char *text = (const char *)data + size / 2;

		search_glob(pat, text, size - size / 2, size & 1);
		free(pat);
	}
	free(q);
	return 0;
}
