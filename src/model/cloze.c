/* cloze.c - cloze deletions; see cloze.h. */
#include "config.h"

#include "lemma/model/cloze.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/render/render.h"

/*
 * Nesting deeper than this is plain text. Anki has no limit, but no real
 * note nests more than two or three levels, and a fixed stack keeps a
 * hostile "{{c1::{{c1::{{c1::..." from costing memory.
 */
#define CLOZE_DEPTH	32

/* One opening "{{cN::" as the scan met it, in order of appearance. */
struct opening {
	size_t		 list, list_len;	/* its numbers: "1,2" */
	int		 matched;	/* a "}}" closed it */
	size_t		 hint;		/* offset of the hint text, or 0 */
	size_t		 close;		/* offset of the closing "}}" */
	size_t		 body;		/* offset of its text */
};

/*
 * The numbers of "{{c1,2,3::", as Anki reads them: digits and commas, each
 * piece between commas a number (empty pieces, as in "c1,,3", are
 * skipped). Calls fn for each number from 1 to CLOZE_MAX; returns how many
 * pieces were numbers at all (0 to CLOZE_MAX, as "c0" is one: a cloze
 * that no card asks).
 */
static size_t
list_each(const char *s, size_t len, void (*fn)(void *, unsigned), void *arg)
{
	size_t i = 0, valid = 0;

	while (i < len) {
		unsigned long v = 0;
		size_t start = i;

		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (v <= CLOZE_MAX)
				v = v * 10 + (unsigned long)(s[i] - '0');
			i++;
		}
		if (i > start && v <= CLOZE_MAX) {
			valid++;
			if (v > 0 && fn != NULL)
				fn(arg, (unsigned)v);
		}
		i++;	/* the comma */
	}
	return valid;
}

struct list_find {
	unsigned	 n;
	int		 found;
};

static void
list_find_one(void *arg, unsigned v)
{
	struct list_find *lf = arg;

	lf->found |= v == lf->n;
}

/* Whether number n is in the list s[0..len). */
static int
list_has(const char *s, size_t len, unsigned n)
{
	struct list_find lf = { n, 0 };

	list_each(s, len, list_find_one, &lf);
	return lf.found;
}

/* If text + i starts "{{cL::" with L a list of numbers (above) holding at
 * least one from 0 to CLOZE_MAX, return the length of that opening and
 * store where L is; else return 0. */
static size_t
opening_at(const char *text, size_t i, size_t *list, size_t *list_len)
{
	size_t j = i + 3;

	if (text[i] != '{' || text[i + 1] != '{' || text[i + 2] != 'c')
		return 0;
	while ((text[j] >= '0' && text[j] <= '9') || text[j] == ',')
		j++;
	if (text[j] != ':' || text[j + 1] != ':' ||
	    list_each(text + i + 3, j - i - 3, NULL, NULL) == 0)
		return 0;
	*list = i + 3;
	*list_len = j - i - 3;
	return j + 2 - i;
}

/* An image occlusion's text: "image-occlusion:SHAPE:name=value:...". Its
 * "::" are not a hint, as in Anki. */
#define IO_PREFIX	"image-occlusion:"

/*
 * The scan both passes share. Calls back for each opening (k = its index
 * in order of appearance; its number list at text + list), hint separator
 * and close of the innermost open cloze. Returns the number of openings
 * seen.
 */
struct scan {
	void	(*open)(struct scan *, size_t k, size_t list, size_t list_len,
		    size_t at, size_t len);
	void	(*hint)(struct scan *, size_t k, size_t at);
	void	(*close)(struct scan *, size_t k, size_t at);
	void	(*text)(struct scan *, const char *s, size_t len);
	const char	*src;
};

static size_t
scan_text(const char *text, struct scan *sc)
{
	size_t stack[CLOZE_DEPTH], depth = 0, nopen = 0, i = 0, len, run = 0;
	unsigned char has_hint[CLOZE_DEPTH];
	size_t list, list_len;

	sc->src = text;
	while (text[i] != '\0') {
		if (text[i] == '{' && depth < CLOZE_DEPTH &&
		    (len = opening_at(text, i, &list, &list_len)) > 0) {
			if (sc->text != NULL && i > run)
				sc->text(sc, text + run, i - run);
			has_hint[depth] = strncmp(text + i + len, IO_PREFIX,
			    sizeof IO_PREFIX - 1) == 0;
			stack[depth++] = nopen;
			if (sc->open != NULL)
				sc->open(sc, nopen, list, list_len, i, len);
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
	size_t		 open_list[CLOZE_DEPTH], open_len[CLOZE_DEPTH];
	size_t		 depth;
	unsigned char	 seen[CLOZE_MAX / 8 + 1];
	size_t		 count;
};

static void
numbers_open(struct scan *sc, size_t k, size_t list, size_t list_len,
    size_t at, size_t len)
{
	struct number_scan *ns = (struct number_scan *)sc;

	(void)k, (void)at, (void)len;
	ns->open_list[ns->depth] = list;
	ns->open_len[ns->depth++] = list_len;
}

static void
numbers_seen(void *arg, unsigned n)
{
	struct number_scan *ns = arg;

	if (!(ns->seen[n / 8] & (1u << (n % 8)))) {
		ns->seen[n / 8] |= (unsigned char)(1u << (n % 8));
		ns->count++;
	}
}

static void
numbers_close(struct scan *sc, size_t k, size_t at)
{
	struct number_scan *ns = (struct number_scan *)sc;

	(void)k, (void)at;
	ns->depth--;
	/* Every number of "{{c1,2::" is a card: Anki's multi-card cloze. */
	list_each(sc->src + ns->open_list[ns->depth], ns->open_len[ns->depth],
	    numbers_seen, ns);
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
		unsigned long v = 0, most = 0;
		const char *q = p + 3;

		p += 3;
		/* "{{c1,12::": the largest of the list. */
		for (; (*q >= '0' && *q <= '9') || *q == ','; q++) {
			if (*q == ',') {
				v = 0;
				continue;
			}
			v = v > (ULONG_MAX - 9) / 10 ? ULONG_MAX :
			    v * 10 + (unsigned long)(*q - '0');
			if (v > most)
				most = v;
		}
		if (q[0] == ':' && q[1] == ':' && most > best)
			best = most;
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
record_open(struct scan *sc, size_t k, size_t list, size_t list_len,
    size_t at, size_t len)
{
	struct record_scan *rs = (struct record_scan *)sc;

	VEC_RESERVE(rs->op, rs->cap, k + 1, 8);
	memset(&rs->op[k], 0, sizeof rs->op[k]);
	rs->op[k].list = list;
	rs->op[k].list_len = list_len;
	rs->op[k].body = at + len;
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
render_open(struct scan *sc, size_t k, size_t list, size_t list_len,
    size_t at, size_t len)
{
	struct render_scan *r = (struct render_scan *)sc;
	const struct opening *o = &r->op[k];
	int active;

	r->level[r->depth++] = 0;
	if (!o->matched) {
		/* Never closed: the opening is just text. */
		render_text(sc, r->src + at, len);
		return;
	}
	if (r->hidden > 0)
		return;
	active = list_has(r->src + list, list_len, r->n);
	if (strncmp(r->src + o->body, IO_PREFIX, sizeof IO_PREFIX - 1) == 0) {
		/* An image occlusion: its shape, never its coordinates. */
		if (active && r->on != NULL)
			buf_adds(r->out, r->on);
		render_io_placeholder(r->src + o->body + sizeof IO_PREFIX - 1,
		    o->close - o->body - (sizeof IO_PREFIX - 1), r->out);
		if (active && r->off != NULL)
			buf_adds(r->out, r->off);
		r->level[r->depth - 1] = 4;
		r->hidden++;
		return;
	}
	if (!active)
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
