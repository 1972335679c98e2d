/*
 * render-runs.c - the run stream: runs of styled text appended to a
 * struct runv, their bytes and glyphs kept in ctx->pool (rc_*). See
 * render-int.h.
 *
 * Below every pass that makes runs (render.c's split and wrap, the
 * formulas of render-math.c and render-latex.c), so those call down into
 * it and never into each other's callers.
 */
#include "config.h"

#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "render-int.h"

void
rc_push(struct runv *rv, const struct rrun *r)
{
	VEC_RESERVE(rv->v, rv->cap, rv->n + 1, 64);
	rv->v[rv->n++] = *r;
}

uint32_t
rc_glyph(struct rctx *c, const char *s, size_t n)
{
	uint32_t off = (uint32_t)c->pool.len;

	buf_add(&c->pool, s, n);
	return off;
}

static void
run_w(struct runv *rv, uint32_t off, size_t n, int w, unsigned style, int kind)
{
	struct rrun r;

	if (rv->n > 0 && !rv->nomerge) {
		struct rrun *p = &rv->v[rv->n - 1];

		/* Extend the previous run when this one continues it. */
		if (p->off + p->len == off && p->style == style &&
		    p->kind == kind && kind == RK_TEXT && p->flags == 0 &&
		    p->w + w < 60000) {
			p->len += (uint32_t)n;
			p->w = (uint16_t)(p->w + w);
			return;
		}
	}
	r.off = off;
	r.len = (uint32_t)n;
	r.w = (uint16_t)(w > 60000 ? 60000 : w);
	r.style = (uint16_t)style;
	r.kind = (uint8_t)kind;
	r.flags = 0;
	rc_push(rv, &r);
}

void
rc_run(struct rctx *c, struct runv *rv, uint32_t off, size_t n,
    unsigned style, int kind)
{
	const char *s = c->pool.data + off;
	size_t i;

	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	run_w(rv, off, n, i == n ? (int)n : render_width(s, n), style, kind);
}

void
rc_text(struct rctx *c, struct runv *rv, const char *s, size_t n,
    unsigned style)
{
	if (n == 0)
		return;
	rc_run(c, rv, rc_glyph(c, s, n), n, style, RK_TEXT);
}

/*
 * Source text pool[off, off+n) (no markers, no newlines) as runs: in the
 * ASCII profile each non-ASCII character is transliterated; a wide
 * character gets a run of its own, so a line can break around it.
 */
void
rc_src(struct rctx *c, struct runv *rv, size_t off, size_t n, unsigned style,
    int kind)
{
	size_t i = off, end = off + n, start = off, l;

	/* The common case, all ASCII, is one run of known width. */
	while (i < end && (unsigned char)c->pool.data[i] < 0x80)
		i++;
	if (i == end) {
		run_w(rv, (uint32_t)off, n, (int)n, style, kind);
		return;
	}
	while (i < end) {
		unsigned char ch = (unsigned char)c->pool.data[i];
		uint32_t cp;
		int w;

		if (ch < 0x80) {
			i++;
			continue;
		}
		cp = rw_decode(c->pool.data + i, end - i, &l);
		w = rw_cp(cp);
		if (c->ascii) {
			const char *t = rw_translit(cp);

			if (i > start)
				rc_run(c, rv, (uint32_t)start, i - start, style, kind);
			if (t == NULL)
				t = w == 0 ? "" : "?";
			rc_text(c, rv, t, strlen(t), style);
			i += l;
			start = i;
			continue;
		}
		if (w == 2) {
			if (i > start)
				rc_run(c, rv, (uint32_t)start, i - start, style, kind);
			/* Keep combining marks with their wide base. */
			{
				size_t j = i + l, l2;

				while (j < end && (unsigned char)c->pool.data[j] >= 0x80 &&
				    rw_cp(rw_decode(c->pool.data + j, end - j, &l2)) == 0)
					j += l2;
				rc_run(c, rv, (uint32_t)i, j - i, style, kind);
				rv->v[rv->n - 1].flags |= RF_WIDE;
				i = start = j;
			}
			continue;
		}
		i += l;
	}
	if (end > start)
		rc_run(c, rv, (uint32_t)start, end - start, style, kind);
}

/*
 * Prose as typed, pool[off, off+n) (no markers, no newlines): one run that
 * wrap() cuts into words and spaces itself. The ASCII profile needs its
 * non-ASCII characters transliterated first, so there such text is split
 * here.
 */
void
rc_plain(struct rctx *c, struct runv *rv, size_t off, size_t n,
    unsigned style)
{
	struct rrun r;
	size_t i, j;

	if (n == 0)
		return;
	if (c->ascii) {
		for (i = off; i < off + n && (unsigned char)c->pool.data[i] < 0x80;
		    i++)
			;
		if (i < off + n) {
			for (i = off; i < off + n; i = j) {
				int sp = c->pool.data[i] == ' ';

				for (j = i; j < off + n && (c->pool.data[j] == ' ') == sp;
				    j++)
					;
				if (sp)
					run_w(rv, (uint32_t)i, j - i, (int)(j - i), style,
					    RK_SPACE);
				else
					rc_src(c, rv, i, j - i, style, RK_TEXT);
			}
			return;
		}
	}
	r.off = (uint32_t)off;
	r.len = (uint32_t)n;
	r.w = 0;
	r.style = (uint16_t)style;
	r.kind = RK_PLAIN;
	r.flags = 0;
	rc_push(rv, &r);
}

void
rc_break(struct rctx *c, struct runv *rv)
{
	struct rrun r = { 0, 0, 0, 0, RK_BREAK, 0 };

	(void)c;
	rc_push(rv, &r);
}

unsigned
rc_style(const unsigned cnt[NSTYLE])
{
	unsigned s = 0;
	int i;

	for (i = 0; i < NSTYLE; i++)
		if (cnt[i] > 0)
			s |= 1u << i;
	return s;
}

/* If p starts a style marker, apply it to cnt and return 1. */
int
rc_marker(const char *p, size_t n, unsigned cnt[NSTYLE], size_t *used)
{
	int bit;

	if (n < 2 || (p[0] != MK_ON && p[0] != MK_OFF))
		return 0;
	bit = p[1] - MK_BIT0;
	if (bit >= 0 && bit < NSTYLE) {
		if (p[0] == MK_ON)
			cnt[bit]++;
		else if (cnt[bit] > 0)
			cnt[bit]--;
	}
	*used = 2;
	return 1;
}
