/*
 * tags.c - a note's tags in the one form lemma keeps them. See tags.h.
 */
#include "config.h"

#include "lemma/model/tags.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Append tags (whitespace-separated) from s to the list in tb, as NUL
 * separated words. */
void
tags_collect(struct buf *tb, const char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		start = i;
		while (i < len && !isspace((unsigned char)s[i]))
			i++;
		if (i > start) {
			buf_add(tb, s + start, i - start);
			buf_addc(tb, '\0');
		}
	}
}

static int
tag_cmp(const void *a, const void *b)
{
	int c = strcasecmp(*(const char *const *)a, *(const char *const *)b);

	return c != 0 ? c : strcmp(*(const char *const *)a,
	    *(const char *const *)b);
}

/* Turn the NUL-separated words in tb into "a b c": sorted, and unique
 * ignoring case as Anki keeps tags. The result is appended to out; returns
 * its offset. */
size_t
tags_finish(struct buf *tb, struct buf *out)
{
	const char **v = NULL;
	size_t n = 0, cap = 0, at = out->len;

	for (size_t i = 0; i < tb->len; i += strlen(tb->data + i) + 1) {
		VEC_RESERVE(v, cap, n + 1, 8);
		v[n++] = tb->data + i;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, tag_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcasecmp(v[i], v[i - 1]) == 0)
			continue;
		if (out->len > at)
			buf_addc(out, ' ');
		buf_adds(out, v[i]);
	}
	buf_addc(out, '\0');
	free(v);
	return at;
}

void
tags_normalize(const char *tags, struct buf *out)
{
	struct buf tb;

	buf_init(&tb);
	buf_add(&tb, "", 0);
	tags_collect(&tb, tags, strlen(tags));
	buf_reset(out);
	tags_finish(&tb, out);
	/* tags_finish ends the list with a NUL of its own. */
	out->len = strlen(out->data);
	buf_free(&tb);
}
