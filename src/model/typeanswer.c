/*
 * typeanswer.c - Anki's comparison of a typed answer (see typeanswer.h).
 *
 * The matcher is Python difflib's SequenceMatcher without its junk
 * heuristics (Anki's answers are short; difflib's "popular element" rule
 * only starts at 200 characters): find the longest matching block,
 * earliest in the typed text on a tie, recurse on both sides, then read
 * the opcodes equal / delete / insert / replace as Anki's to_tokens.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/html.h"
#include "lemma/base/utf8.h"
#include "lemma/model/typeanswer.h"

struct cps {
	uint32_t	*v;
	size_t		 n;
};

static void
decode(const char *s, struct cps *c)
{
	size_t n = strlen(s), i = 0;

	c->v = xreallocarray(NULL, n + 1, sizeof *c->v);
	c->n = 0;
	while (i < n) {
		int ok;
		size_t l = utf8_decode(s + i, n - i, &c->v[c->n], &ok);

		if (l == 0)
			l = 1;
		c->n++;
		i += l;
	}
}

static void
encode(const uint32_t *v, size_t n, struct buf *out)
{
	char u[4];

	for (size_t i = 0; i < n; i++)
		buf_add(out, u, utf8_encode(v[i], u));
}

struct block { size_t a, b, n; };

struct blocks {
	struct block	*v;
	size_t		 n, cap;
};

/* find_longest_match over a[alo, ahi) and b[blo, bhi). */
static struct block
longest(const struct cps *a, const struct cps *b, size_t alo, size_t ahi,
    size_t blo, size_t bhi, size_t *row, size_t *prev)
{
	struct block best = { alo, blo, 0 };

	memset(prev, 0, (b->n + 1) * sizeof *prev);
	for (size_t i = alo; i < ahi; i++) {
		for (size_t j = blo; j < bhi; j++) {
			size_t k = a->v[i] == b->v[j] ?
			    (j > blo ? prev[j - 1] : 0) + 1 : 0;

			row[j] = k;
			if (k > best.n) {
				best.a = i + 1 - k;
				best.b = j + 1 - k;
				best.n = k;
			}
		}
		memcpy(prev + blo, row + blo, (bhi - blo) * sizeof *row);
	}
	return best;
}

static void
matching(const struct cps *a, const struct cps *b, size_t alo, size_t ahi,
    size_t blo, size_t bhi, size_t *row, size_t *prev, struct blocks *out)
{
	struct block m;

	if (alo >= ahi || blo >= bhi)
		return;
	m = longest(a, b, alo, ahi, blo, bhi, row, prev);
	if (m.n == 0)
		return;
	matching(a, b, alo, m.a, blo, m.b, row, prev, out);
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
	}
	out->v[out->n++] = m;
	matching(a, b, m.a + m.n, ahi, m.b + m.n, bhi, row, prev, out);
}

static void
run_add(struct typeans_run **v, size_t *n, enum typeans_kind kind,
    const uint32_t *cp, size_t len, int dashes)
{
	struct buf b;

	buf_init(&b);
	if (dashes)
		for (size_t i = 0; i < len; i++)
			buf_addc(&b, '-');
	else
		encode(cp, len, &b);
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].kind = kind;
	(*v)[*n].text = buf_steal(&b);
	(*n)++;
	buf_free(&b);
}

void
typeans_expected(const char *field, struct buf *out)
{
	struct buf nosound, plain;
	const char *p = field, *s, *e;
	size_t a, z;

	buf_init(&nosound);
	buf_init(&plain);
	/* strip_av_tags: [sound:...] */
	while ((s = strstr(p, "[sound:")) != NULL &&
	    (e = strchr(s, ']')) != NULL) {
		buf_add(&nosound, p, (size_t)(s - p));
		p = e + 1;
	}
	buf_adds(&nosound, p);
	if (nosound.len > 0)
		html_to_text(nosound.data, nosound.len, &plain);
	/* Line breaks (html_to_text made <br> and <div> into them) become
	 * one space, then the ends are trimmed. */
	for (size_t i = 0; i < plain.len; i++)
		if (plain.data[i] == '\n' || plain.data[i] == '\r')
			plain.data[i] = ' ';
	/* Anki decodes &nbsp; as a plain space. */
	for (size_t i = 0, o = 0; i <= plain.len; i++, o++) {
		if (i + 1 < plain.len && (unsigned char)plain.data[i] == 0xc2 &&
		    (unsigned char)plain.data[i + 1] == 0xa0) {
			plain.data[o] = ' ';
			i++;
		} else if (i < plain.len)
			plain.data[o] = plain.data[i];
		else
			plain.len = o;
	}
	a = 0;
	z = plain.len;
	while (a < z && (plain.data[a] == ' ' || plain.data[a] == '\t'))
		a++;
	while (z > a && (plain.data[z - 1] == ' ' || plain.data[z - 1] == '\t'))
		z--;
	if (z > a)
		buf_add(out, plain.data + a, z - a);
	buf_free(&nosound);
	buf_free(&plain);
}

void
typeans_compare(const char *expected, const char *typed, struct typeans *out)
{
	struct cps a, b;
	struct blocks bl = { NULL, 0, 0 };
	size_t *row, *prev, i = 0, j = 0;

	memset(out, 0, sizeof *out);
	decode(typed, &a);
	decode(expected, &b);
	if (a.n == 0 || (a.n == b.n && memcmp(a.v, b.v, a.n * sizeof *a.v) ==
	    0)) {
		out->exact = a.n > 0;
		run_add(&out->expected, &out->nexpected, TYPEANS_GOOD, b.v, b.n,
		    0);
		if (a.n > 0)
			run_add(&out->typed, &out->ntyped, TYPEANS_GOOD, a.v,
			    a.n, 0);
		goto done;
	}
	row = xcalloc(b.n + 1, sizeof *row);
	prev = xcalloc(b.n + 1, sizeof *prev);
	matching(&a, &b, 0, a.n, 0, b.n, row, prev, &bl);
	free(row);
	free(prev);
	/* Adjacent blocks merge, and the sentinel (a.n, b.n, 0) ends the
	 * list, as get_matching_blocks. */
	for (size_t k = 0; k <= bl.n; k++) {
		struct block m = k < bl.n ? bl.v[k] :
		    (struct block){ a.n, b.n, 0 };

		while (k + 1 < bl.n && bl.v[k + 1].a == m.a + m.n &&
		    bl.v[k + 1].b == m.b + m.n)
			m.n += bl.v[++k].n;
		if (i < m.a && j < m.b) {		/* replace */
			run_add(&out->typed, &out->ntyped, TYPEANS_BAD,
			    a.v + i, m.a - i, 0);
			run_add(&out->expected, &out->nexpected,
			    TYPEANS_MISSING, b.v + j, m.b - j, 0);
		} else if (i < m.a) {			/* delete */
			run_add(&out->typed, &out->ntyped, TYPEANS_BAD,
			    a.v + i, m.a - i, 0);
		} else if (j < m.b) {			/* insert */
			run_add(&out->typed, &out->ntyped, TYPEANS_MISSING,
			    NULL, m.b - j, 1);
			run_add(&out->expected, &out->nexpected,
			    TYPEANS_MISSING, b.v + j, m.b - j, 0);
		}
		if (m.n > 0) {
			run_add(&out->typed, &out->ntyped, TYPEANS_GOOD,
			    a.v + m.a, m.n, 0);
			run_add(&out->expected, &out->nexpected, TYPEANS_GOOD,
			    b.v + m.b, m.n, 0);
		}
		i = m.a + m.n;
		j = m.b + m.n;
	}
	free(bl.v);
done:
	free(a.v);
	free(b.v);
}

void
typeans_free(struct typeans *t)
{
	for (size_t i = 0; i < t->ntyped; i++)
		free(t->typed[i].text);
	for (size_t i = 0; i < t->nexpected; i++)
		free(t->expected[i].text);
	free(t->typed);
	free(t->expected);
	memset(t, 0, sizeof *t);
}
