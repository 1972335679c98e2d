/* cloze.c - cloze deletions; see cloze.h. */
#include "config.h"

#include "lemma/model/cloze.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Nesting deeper than this is plain text. Anki has no limit, but no real
 * note nests more than two or three levels, and a fixed stack keeps a
 * hostile "{{c1::{{c1::{{c1::..." from costing memory.
 */
#define CLOZE_DEPTH	32

/* One opening "{{cN::" as the scan met it, in order of appearance. */
struct opening {
	unsigned	 n;
	int		 matched;	/* a "}}" closed it */
	size_t		 hint;		/* offset of the hint text, or 0 */
	size_t		 close;		/* offset of the closing "}}" */
};

/* If text + i starts "{{cN::" with 1 <= N <= CLOZE_MAX, return the length
 * of that opening and store N; else return 0. */
static size_t
opening_at(const char *text, size_t i, unsigned *n)
{
	size_t j = i + 3;
	unsigned long v = 0;

	if (text[i] != '{' || text[i + 1] != '{' || text[i + 2] != 'c')
		return 0;
	if (text[j] < '0' || text[j] > '9')
		return 0;
	while (text[j] >= '0' && text[j] <= '9') {
		if (v <= CLOZE_MAX)
			v = v * 10 + (unsigned long)(text[j] - '0');
		j++;
	}
	if (text[j] != ':' || text[j + 1] != ':' || v == 0 || v > CLOZE_MAX)
		return 0;
	*n = (unsigned)v;
	return j + 2 - i;
}

/*
 * The scan both passes share. Calls back for each opening (k = its index
 * in order of appearance), hint separator and close of the innermost open
 * cloze. Returns the number of openings seen.
 */
struct scan {
	void	(*open)(struct scan *, size_t k, unsigned n, size_t at,
		    size_t len);
	void	(*hint)(struct scan *, size_t k, size_t at);
	void	(*close)(struct scan *, size_t k, size_t at);
	void	(*text)(struct scan *, const char *s, size_t len);
};

static size_t
scan_text(const char *text, struct scan *sc)
{
	size_t stack[CLOZE_DEPTH], depth = 0, nopen = 0, i = 0, len, run = 0;
	unsigned char has_hint[CLOZE_DEPTH];
	unsigned n;

	while (text[i] != '\0') {
		if (text[i] == '{' && depth < CLOZE_DEPTH &&
		    (len = opening_at(text, i, &n)) > 0) {
			if (sc->text != NULL && i > run)
				sc->text(sc, text + run, i - run);
			has_hint[depth] = 0;
			stack[depth++] = nopen;
			if (sc->open != NULL)
				sc->open(sc, nopen, n, i, len);
			nopen++;
			i += len;
			run = i;
		} else if (depth > 0 && text[i] == '}' && text[i + 1] == '}') {
			if (sc->text != NULL && i > run)
				sc->text(sc, text + run, i - run);
			depth--;
			if (sc->close != NULL)
				sc->close(sc, stack[depth], i);
			i += 2;
			run = i;
		} else if (depth > 0 && !has_hint[depth - 1] && text[i] == ':' &&
		    text[i + 1] == ':') {
			if (sc->text != NULL && i > run)
				sc->text(sc, text + run, i - run);
			has_hint[depth - 1] = 1;
			if (sc->hint != NULL)
				sc->hint(sc, stack[depth - 1], i + 2);
			i += 2;
			run = i;
		} else
			i++;
	}
	if (sc->text != NULL && i > run)
		sc->text(sc, text + run, i - run);
	return nopen;
}

/* ---- numbers ------------------------------------------------------------ */

struct number_scan {
	struct scan	 sc;
	unsigned	 open_n[CLOZE_DEPTH];	/* N of each open level */
	size_t		 depth;
	unsigned char	 seen[CLOZE_MAX / 8 + 1];
	size_t		 count;
};

static void
numbers_open(struct scan *sc, size_t k, unsigned n, size_t at, size_t len)
{
	struct number_scan *ns = (struct number_scan *)sc;

	(void)k, (void)at, (void)len;
	ns->open_n[ns->depth++] = n;
}

static void
numbers_close(struct scan *sc, size_t k, size_t at)
{
	struct number_scan *ns = (struct number_scan *)sc;
	unsigned n = ns->open_n[--ns->depth];

	(void)k, (void)at;
	if (!(ns->seen[n / 8] & (1u << (n % 8)))) {
		ns->seen[n / 8] |= (unsigned char)(1u << (n % 8));
		ns->count++;
	}
}

size_t
cloze_numbers(const char *text, unsigned *out, size_t max)
{
	struct number_scan ns;
	size_t stored = 0;

	memset(&ns, 0, sizeof ns);
	ns.sc.open = numbers_open;
	ns.sc.close = numbers_close;
	scan_text(text, &ns.sc);
	for (unsigned n = 1; n <= CLOZE_MAX && stored < max; n++)
		if (ns.seen[n / 8] & (1u << (n % 8)))
			out[stored++] = n;
	return ns.count;
}

unsigned long
cloze_largest(const char *text)
{
	unsigned long best = 0;
	const char *p = text;

	while ((p = strstr(p, "{{c")) != NULL) {
		unsigned long v = 0;
		const char *q = p + 3;

		p += 3;
		if (*q < '0' || *q > '9')
			continue;
		for (; *q >= '0' && *q <= '9'; q++)
			v = v > (ULONG_MAX - 9) / 10 ? ULONG_MAX :
			    v * 10 + (unsigned long)(*q - '0');
		if (q[0] == ':' && q[1] == ':' && v > best)
			best = v;
	}
	return best;
}

int
cloze_has(const char *text)
{
	unsigned n;

	/* Cheap test first: most notes hold no "{{c" at all. */
	if (strstr(text, "{{c") == NULL)
		return 0;
	return cloze_numbers(text, &n, 1) > 0;
}

/* ---- rendering ---------------------------------------------------------- */

/* First pass: which openings are closed, and where their hints are. */
struct record_scan {
	struct scan	 sc;
	struct opening	*op;
	size_t		 nop, cap;
};

static void
record_open(struct scan *sc, size_t k, unsigned n, size_t at, size_t len)
{
	struct record_scan *rs = (struct record_scan *)sc;

	(void)at, (void)len;
	VEC_RESERVE(rs->op, rs->cap, k + 1, 8);
	memset(&rs->op[k], 0, sizeof rs->op[k]);
	rs->op[k].n = n;
	rs->nop = k + 1;
}

static void
record_hint(struct scan *sc, size_t k, size_t at)
{
	((struct record_scan *)sc)->op[k].hint = at;
}

static void
record_close(struct scan *sc, size_t k, size_t at)
{
	struct record_scan *rs = (struct record_scan *)sc;

	rs->op[k].matched = 1;
	rs->op[k].close = at;
}

/* Second pass: write the card's text. */
struct render_scan {
	struct scan		 sc;
	const char		*src;
	const struct opening	*op;
	unsigned		 n;
	int			 answer;
	const char		*on, *off;
	struct buf		*out;
	size_t			 hidden;	/* > 0: inside a hidden cloze or a hint */
	/* For each open level: 1 when its close writes mark_off, 2 when its
	 * hint is being skipped, 4 when it hides cloze n's text. */
	unsigned char		 level[CLOZE_DEPTH];
	size_t			 depth;
};

static void
render_text(struct scan *sc, const char *s, size_t len)
{
	struct render_scan *r = (struct render_scan *)sc;

	if (r->hidden == 0)
		buf_add(r->out, s, len);
}

static void
render_open(struct scan *sc, size_t k, unsigned n, size_t at, size_t len)
{
	struct render_scan *r = (struct render_scan *)sc;
	const struct opening *o = &r->op[k];

	r->level[r->depth++] = 0;
	if (!o->matched) {
		/* Never closed: the opening is just text. */
		render_text(sc, r->src + at, len);
		return;
	}
	if (n != r->n || r->hidden > 0)
		return;
	if (r->on != NULL)
		buf_adds(r->out, r->on);
	if (r->answer) {
		r->level[r->depth - 1] = 1;	/* close it with mark_off */
		return;
	}
	buf_addc(r->out, '[');
	if (o->hint != 0 && o->close > o->hint)
		buf_add(r->out, r->src + o->hint, o->close - o->hint);
	else
		buf_adds(r->out, "...");
	buf_addc(r->out, ']');
	if (r->off != NULL)
		buf_adds(r->out, r->off);
	r->level[r->depth - 1] = 4;	/* hidden up to its close */
	r->hidden++;
}

static void
render_hint(struct scan *sc, size_t k, size_t at)
{
	struct render_scan *r = (struct render_scan *)sc;

	if (!r->op[k].matched) {
		render_text(sc, r->src + at - 2, 2);
		return;
	}
	/* A hint is never part of the card's text, only of the placeholder. */
	r->level[r->depth - 1] |= 2;
	r->hidden++;
}

static void
render_close(struct scan *sc, size_t k, size_t at)
{
	struct render_scan *r = (struct render_scan *)sc;
	unsigned char lv = r->level[--r->depth];

	(void)k, (void)at;
	if (lv & 2)
		r->hidden--;
	if (lv & 4)
		r->hidden--;
	if ((lv & 1) && r->off != NULL)
		buf_adds(r->out, r->off);
}

void
cloze_render(const char *text, unsigned n, int answer, const char *mark_on,
    const char *mark_off, struct buf *out)
{
	struct record_scan rs;
	struct render_scan r;

	memset(&rs, 0, sizeof rs);
	rs.sc.open = record_open;
	rs.sc.hint = record_hint;
	rs.sc.close = record_close;
	scan_text(text, &rs.sc);

	memset(&r, 0, sizeof r);
	r.sc.open = render_open;
	r.sc.hint = render_hint;
	r.sc.close = render_close;
	r.sc.text = render_text;
	r.src = text;
	r.op = rs.op;
	r.n = n;
	r.answer = answer;
	r.on = mark_on;
	r.off = mark_off;
	r.out = out;
	if (out->data == NULL)
		buf_add(out, "", 0);
	scan_text(text, &r.sc);
	free(rs.op);
}
