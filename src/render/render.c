/*
 * render.c - the public entry points, the split of a field into code spans,
 * math and prose, and line wrapping. See render.h and render-int.h.
 */
#include "config.h"

#include "lemma/render/render.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "render-int.h"

struct render_doc {
	char			*text;
	struct render_span	*spans;
	size_t			 nspans;
	struct render_line	*lines;
	size_t			 nlines;
	int			 width;
};

/* ---- splitting a field --------------------------------------------------- */

/* Verbatim text (code): styles and line breaks, no formulas. */
static void
verbatim(struct rctx *c, size_t a, size_t b, unsigned cnt[NSTYLE],
    unsigned extra)
{
	size_t i = a, start = a, used;

	/* rc_src() may add glyphs to the pool and move it: no cached
	 * pointer into it survives a call. */
#define s (c->pool.data)
	while (i <= b) {
		char ch = i < b ? s[i] : '\0';

		if (i < b && ch != '\n' && (unsigned char)ch > MK_VE) {
			const char *ps = c->pool.data;

			for (i++; i < b && ps[i] != '\n' &&
			    (unsigned char)ps[i] > MK_VE; i++)
				;
			continue;
		}
		if (i > start)
			rc_plain(c, &c->out, start, i - start, rc_style(cnt) | extra);
		if (i == b)
			break;
		if (ch == '\n') {
			rc_break(c, &c->out);
			i++;
		} else if (rc_marker(s + i, b - i, cnt, &used))
			i += used;
		else
			i++;
		start = i;
	}
#undef s
}

static void
apply_marks(const char *s, size_t a, size_t b, unsigned cnt[NSTYLE])
{
	size_t used;

	while (a < b) {
		if (rc_marker(s + a, b - a, cnt, &used))
			a += used;
		else if (s[a] == MK_VB) {
			while (a < b && s[a] != MK_VE)
				a++;
		} else
			a++;
	}
}

/* Find needle in s[a..b); returns its offset or (size_t)-1. A newline
 * stops the search when one_line is set. */
static size_t
find(const char *s, size_t a, size_t b, const char *needle, int one_line)
{
	size_t n = strlen(needle), i;

	for (i = a; i + n <= b; i++) {
		if (one_line && s[i] == '\n')
			return (size_t)-1;
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return i;
	}
	return (size_t)-1;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\n';
}

static int
is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_';
}

/*
 * The closing '$' of inline math opened at i, by pandoc's rule: the opening
 * '$' is followed by a non-space, the closing one follows a non-space and is
 * not followed by a digit; so "$5 and $10" stays money. Stricter than
 * pandoc, neither may touch a letter on the outside, so "US$5" and
 * "$HOME/$USER" stay as written.
 */
static size_t
dollar_close(const char *s, size_t a, size_t i, size_t b)
{
	size_t j;

	if (i + 1 >= b || is_space(s[i + 1]) || s[i + 1] == '$' ||
	    (i > a && is_alnum(s[i - 1])))
		return (size_t)-1;
	for (j = i + 2; j < b; j++) {
		if (s[j] == '\n')
			return (size_t)-1;
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == '$' && !is_space(s[j - 1]) &&
		    !(j + 1 < b && is_alnum(s[j + 1])))
			return j;
	}
	return (size_t)-1;
}

/* Bytes that may start a marker, a code span or a formula. */
static const unsigned char special[256] = {
	[MK_ON] = 1, [MK_OFF] = 1, [MK_VB] = 1, [MK_VE] = 1, ['`'] = 1,
	['\\'] = 1, ['$'] = 1, ['['] = 1,
};

/* Whether s[a..b) holds a formula delimiter of its own: '$', "\\(" or
 * "\\[" (a [latex] block written as LaTeX text). */
static int
has_delims(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++)
		if (s[i] == '$' || (s[i] == '\\' && i + 1 < b &&
		    (s[i + 1] == '(' || s[i + 1] == '[')))
			return 1;
	return 0;
}

static void
split_field(struct rctx *c)
{
#define s (c->pool.data)
	size_t a = c->text0, b = c->text1, i = a, start = a, used;
	unsigned cnt[NSTYLE] = { 0 };	/* style at start */
	unsigned scan[NSTYLE] = { 0 };	/* style at i */
	int nomath = (c->o->flags & RENDER_NOMATH) != 0;
	size_t latex_close = (size_t)-1;	/* "[/latex]" of an open block */

	if (nomath) {
		verbatim(c, a, b, cnt, 0);
		return;
	}
	while (i < b) {
		char ch = s[i];
		size_t open = 0, close = (size_t)-1, clen = 0;
		int display = 0, code = 0;

		/* Most bytes start nothing. */
		if (!special[(unsigned char)ch]) {
			const char *ps = c->pool.data;

			for (i++; i < b && !special[(unsigned char)ps[i]]; i++)
				;
			continue;
		}
		if (i == latex_close) {
			/* The end of a [latex] block read as text: the tag
			 * goes. */
			rm_prose(c, start, i, cnt);
			apply_marks(s, start, i, cnt);
			i = start = i + 8;
			memcpy(scan, cnt, sizeof scan);
			latex_close = (size_t)-1;
			continue;
		}

		if ((ch == MK_ON || ch == MK_OFF) &&
		    rc_marker(s + i, b - i, scan, &used)) {
			i += used;
			if (scan[3] > 0) {
				/* <code>: verbatim until the style ends. */
				size_t j = i;
				unsigned tmp[NSTYLE];

				memcpy(tmp, scan, sizeof tmp);
				while (j < b && tmp[3] > 0) {
					if (rc_marker(s + j, b - j, tmp, &used))
						j += used;
					else
						j++;
				}
				rm_prose(c, start, i - used, cnt);
				apply_marks(s, i - used, i, cnt);
				verbatim(c, i, j, cnt, 0);
				memcpy(scan, cnt, sizeof scan);
				i = start = j;
			}
			continue;
		}
		if (ch == MK_VB) {
			while (i < b && s[i] != MK_VE)
				i++;
			continue;
		}
		if (ch == '`') {
			size_t n = 0, j;

			while (i + n < b && s[i + n] == '`')
				n++;
			for (j = i + n; j < b && s[j] != '\n'; j++) {
				if (s[j] == '`') {
					size_t m = 0;

					while (j + m < b && s[j + m] == '`')
						m++;
					if (m == n) {
						close = j;
						break;
					}
					j += m - 1;
				}
			}
			if (close != (size_t)-1) {
				open = n;
				clen = n;
				code = 1;
			}
		} else if (ch == '\\' && i + 1 < b && (s[i + 1] == '(' ||
		    s[i + 1] == '[')) {
			display = s[i + 1] == '[';
			close = find(s, i + 2, b, display ? "\\]" : "\\)", 0);
			open = clen = 2;
		} else if (ch == '\\' && i + 1 < b) {
			i += 2;	/* an escaped character is never a delimiter */
			continue;
		} else if (ch == '$' && i + 1 < b && s[i + 1] == '$') {
			close = find(s, i + 2, b, "$$", 0);
			open = clen = 2;
			display = 1;
		} else if (ch == '$') {
			close = dollar_close(s, a, i, b);
			open = clen = 1;
		} else if (ch == '[' && i + 3 <= b && memcmp(s + i, "[$]", 3) == 0) {
			close = find(s, i + 3, b, "[/$]", 0);
			open = 3;
			clen = 4;
		} else if (ch == '[' && i + 4 <= b && memcmp(s + i, "[$$]", 4) == 0) {
			close = find(s, i + 4, b, "[/$$]", 0);
			open = 4;
			clen = 5;
			display = 1;
		} else if (ch == '[' && latex_close == (size_t)-1 && i + 7 <= b &&
		    memcmp(s + i, "[latex]", 7) == 0) {
			/*
			 * Anki's legacy LaTeX block. Its content is LaTeX text:
			 * with $...$ or \(...\) inside, those are the formulas
			 * and the tags go; without, the whole content is one
			 * displayed formula ("[latex]\sum_i x_i[/latex]").
			 */
			close = find(s, i + 7, b, "[/latex]", 0);
			open = 7;
			clen = 8;
			display = 1;
			if (close != (size_t)-1 && close > i + open &&
			    has_delims(s, i + open, close)) {
				rm_prose(c, start, i, cnt);
				apply_marks(s, start, i, cnt);
				memcpy(scan, cnt, sizeof scan);
				latex_close = close;
				i = start = i + open;
				continue;
			}
		}
		if (close == (size_t)-1 || close < i + open) {
			i += ch == '$' || ch == '`' ? (open ? open : 1) : 1;
			if (ch == '`')
				while (i < b && s[i] == '`')
					i++;
			continue;
		}
		rm_prose(c, start, i, cnt);
		apply_marks(s, start, i, cnt);
		if (code)
			verbatim(c, i + open, close, cnt, RENDER_CODE);
		else {
			rl_formula(c, i + open, close, display, cnt);
			apply_marks(s, i + open, close, cnt);
		}
		i = start = close + clen;
		memcpy(scan, cnt, sizeof scan);
	}
	rm_prose(c, start, b, cnt);
#undef s
}

/* ---- wrapping --------------------------------------------------------------- */

struct lb {
	struct rctx		*c;
	struct buf		 text;
	struct render_span	*spans;		/* .text holds an offset */
	size_t			 nspans, capspans;
	struct render_line	*lines;		/* .spans holds an index */
	size_t			 nlines, caplines;
	size_t			 line_span0;	/* first span of the open line */
	size_t			 line_text0;
	int			 line_w;
	/* Pool bytes waiting to be copied: consecutive pieces of a line are
	 * usually adjacent in the pool, so they are copied once. */
	uint32_t		 p_off, p_len;
	int			 p_w;
	unsigned		 p_style;
};

/* Copy bytes to the document as (part of) a span of the open line. */
static void
lb_put(struct lb *lb, const char *s, size_t n, int w, unsigned style)
{
	struct render_span *sp;
	size_t at;

	if (n == 0)
		return;
	/* A line must not start with a combining mark: it would join
	 * whatever the terminal has in the cell before. Prep gives a mark
	 * without a base a dotted circle; this drops what is left (only
	 * formula source can still put one first). */
	while (lb->text.len == lb->line_text0 && n > 0 &&
	    (unsigned char)s[0] >= 0xCC) {
		size_t l;

		if (rw_cp(rw_decode(s, n, &l)) != 0)
			break;
		s += l;
		n -= l;
	}
	if (n == 0)
		return;
	at = lb->text.len;
	buf_add(&lb->text, s, n);
	if (lb->nspans > lb->line_span0) {
		sp = &lb->spans[lb->nspans - 1];
		if (sp->style == style) {
			sp->len += n;
			sp->width += w;
			lb->line_w += w;
			return;
		}
	}
	VEC_RESERVE(lb->spans, lb->capspans, lb->nspans + 1, 32);
	sp = &lb->spans[lb->nspans++];
	sp->text = (const char *)(uintptr_t)at;
	sp->len = n;
	sp->width = w;
	sp->style = style;
	lb->line_w += w;
}

static void
lb_commit(struct lb *lb)
{
	if (lb->p_len > 0) {
		uint32_t len = lb->p_len;

		lb->p_len = 0;
		lb->line_w -= lb->p_w;
		lb_put(lb, lb->c->pool.data + lb->p_off, len, lb->p_w,
		    lb->p_style);
	}
}

/* Add pool bytes to the open line. */
static void
lb_add(struct lb *lb, uint32_t off, size_t n, int w, unsigned style)
{
	if (n == 0)
		return;
	if (lb->p_len > 0 && lb->p_off + lb->p_len == off &&
	    lb->p_style == style) {
		lb->p_len += (uint32_t)n;
		lb->p_w += w;
		lb->line_w += w;
		return;
	}
	lb_commit(lb);
	lb->p_off = off;
	lb->p_len = (uint32_t)n;
	lb->p_w = w;
	lb->p_style = style;
	lb->line_w += w;
}

static void
lb_flush(struct lb *lb, int indent, unsigned flags)
{
	struct render_line *ln;

	lb_commit(lb);
	/* Trailing blanks are never wanted: drop them. */
	while (lb->nspans > lb->line_span0) {
		struct render_span *sp = &lb->spans[lb->nspans - 1];
		const char *t = lb->text.data + (uintptr_t)sp->text;

		while (sp->len > 0 && t[sp->len - 1] == ' ') {
			sp->len--;
			sp->width--;
			lb->line_w--;
		}
		if (sp->len > 0)
			break;
		lb->nspans--;
	}
	VEC_RESERVE(lb->lines, lb->caplines, lb->nlines + 1, 16);
	ln = &lb->lines[lb->nlines++];
	ln->spans = (const struct render_span *)(uintptr_t)lb->line_span0;
	ln->nspans = lb->nspans - lb->line_span0;
	ln->width = lb->line_w;
	ln->indent = indent;
	ln->flags = flags;
	lb->line_span0 = lb->nspans;
	lb->line_text0 = lb->text.len;
	lb->line_w = 0;
}

static int
lb_open(const struct lb *lb)
{
	return lb->p_len > 0 || lb->nspans > lb->line_span0 || lb->line_w > 0;
}

/*
 * Pieces: the runs, with RK_PLAIN runs (prose without conversions, spaces
 * and words together) cut into words and spaces as wrapping reaches them.
 */
struct piece {
	uint32_t	 off, len;
	int		 w;
	unsigned	 style;
	int		 kind;
	int		 flags;
	size_t		 run;		/* index of its run */
};

struct pit {
	const struct rctx *c;
	size_t		 i, end;	/* runs */
	uint32_t	 pos;		/* in a plain run */
	int		 has;		/* peeked */
	struct piece	 p;
};

/*
 * The word at s[j..n): up to a space, or to a wide character, which is a
 * piece of its own. Returns where it stops and adds its width to *w (a
 * code point the table calls bad counts 1, as its picture does). The
 * word loop of both the piece reader and the fast path.
 */
static uint32_t
scan_word(const char *s, uint32_t j, uint32_t n, int *w)
{
	while (j < n && s[j] != ' ') {
		size_t l;
		int cw;

		if ((unsigned char)s[j] < 0x80) {
			j++;
			(*w)++;
			continue;
		}
		cw = rw_cp(rw_decode(s + j, n - j, &l));
		if (cw == 2)
			break;
		*w += cw < 0 ? 1 : cw;
		j += (uint32_t)l;
	}
	return j;
}

static int
pit_read(struct pit *it, struct piece *p)
{
	const struct rrun *r;
	const char *s;
	uint32_t k, j, n;

	if (it->i >= it->end)
		return 0;
	r = &it->c->out.v[it->i];
	p->run = it->i;
	p->style = r->style;
	p->flags = 0;
	if (r->kind != RK_PLAIN) {
		p->off = r->off;
		p->len = r->len;
		p->w = r->w;
		p->kind = r->kind;
		p->flags = r->flags;
		it->i++;
		return 1;
	}
	s = it->c->pool.data + r->off;
	n = r->len;
	k = j = it->pos;
	if (s[k] == ' ') {
		while (j < n && s[j] == ' ')
			j++;
		p->kind = RK_SPACE;
		p->w = (int)(j - k);
	} else {
		int w = 0;

		p->kind = RK_TEXT;
		j = scan_word(s, j, n, &w);
		if (j == k && j < n) {
			/* A wide character is a piece of its own, with the
			 * marks that combine with it: lines may break around
			 * it. */
			size_t l;

			rw_decode(s + j, n - j, &l);
			j += (uint32_t)l;
			while (j < n && (unsigned char)s[j] >= 0x80 &&
			    rw_cp(rw_decode(s + j, n - j, &l)) == 0)
				j += (uint32_t)l;
			w = 2;
			p->flags = RF_WIDE;
		}
		p->w = w;
	}
	p->off = r->off + k;
	p->len = j - k;
	if (j >= n) {
		it->i++;
		it->pos = 0;
	} else
		it->pos = j;
	return 1;
}

static int
pit_peek(struct pit *it, struct piece **p)
{
	if (!it->has) {
		if (!pit_read(it, &it->p))
			return 0;
		it->has = 1;
	}
	*p = &it->p;
	return 1;
}

static void
pit_take(struct pit *it)
{
	it->has = 0;
}

static void
add_piece(struct lb *lb, const struct piece *p)
{
	lb_add(lb, p->off, p->len, p->w, p->style);
}

/* A word wider than the line: cut it between clusters. */
static void
add_split(struct lb *lb, const struct piece *p, int W)
{
	const char *s = lb->c->pool.data + p->off;
	size_t i = 0, n = p->len, l;

	while (i < n) {
		size_t j = i;
		int w;

		w = rw_cp(rw_decode(s + j, n - j, &l));
		w = w < 0 ? 1 : w;
		j += l;
		while (j < n && (unsigned char)s[j] >= 0x80) {
			size_t l2;

			if (rw_cp(rw_decode(s + j, n - j, &l2)) != 0)
				break;
			j += l2;
		}
		if (lb->line_w > 0 && lb->line_w + w > W)
			lb_flush(lb, 0, 0);
		lb_add(lb, p->off + (uint32_t)i, j - i, w, p->style);
		i = j;
	}
}

static void
place_box(struct lb *lb, const struct rbox *bx, int W)
{
	struct rctx *c = lb->c;
	int indent = W > 0 && bx->w < W ? (W - bx->w) / 2 : 0;
	int r;

	for (r = 0; r < bx->h; r++) {
		const struct rrow *row = &c->rows[bx->row0 + r];
		uint32_t k;

		for (k = 0; k < row->n; k++) {
			const struct rrun *run = &c->br.v[row->first + k];

			lb_add(lb, run->off, run->len, run->w, run->style);
		}
		lb_flush(lb, indent, RENDER_LINE_DISPLAY);
	}
}

#define MAX_PEND	64

/* Wrapping state: the open line is in lb; spaces wait in pend until the
 * next word shows whether they end a line or sit inside one. */
struct wst {
	struct lb	*lb;
	struct piece	 pend[MAX_PEND];
	size_t		 npend;
	int		 pend_w;
	int		 para;		/* at the start of a paragraph */
	int		 W;
};

static void
place(struct wst *st, const struct piece *word, size_t nword, int ww)
{
	struct lb *lb = st->lb;
	size_t k;
	int W = st->W;

	if (W <= 0 || lb->line_w + (lb_open(lb) || st->para ? st->pend_w : 0) +
	    ww <= W) {
		if (lb_open(lb) || st->para)
			for (k = 0; k < st->npend; k++)
				add_piece(lb, &st->pend[k]);
		for (k = 0; k < nword; k++)
			add_piece(lb, &word[k]);
	} else if (ww <= W) {
		if (lb_open(lb))
			lb_flush(lb, 0, 0);
		for (k = 0; k < nword; k++)
			add_piece(lb, &word[k]);
	} else {
		if (lb_open(lb))
			lb_flush(lb, 0, 0);
		for (k = 0; k < nword; k++)
			add_split(lb, &word[k], W);
	}
	st->npend = 0;
	st->pend_w = 0;
	st->para = 0;
}

/*
 * The words of a plain run, straight from its bytes: the common case,
 * without building pieces one by one. Stops (for the general path) at a
 * wide character, or at a last word that continues into the next run.
 * Returns 0 when it consumed nothing.
 */
static int
fast_plain(struct wst *st, struct pit *it)
{
	const struct rctx *c = st->lb->c;
	const struct rrun *r = &c->out.v[it->i];
	const char *s = c->pool.data + r->off;
	uint32_t n = r->len, k = it->pos;
	int glued = it->i + 1 < it->end && c->out.v[it->i + 1].kind == RK_TEXT;
	int progress = 0;
	struct piece p;

	p.style = r->style;
	p.flags = 0;
	p.run = it->i;
	while (k < n) {
		uint32_t j = k, sp0 = k;
		int w = 0, stop = 0, spw = 0;
		struct lb *lb = st->lb;

		if (s[k] == ' ') {
			while (j < n && s[j] == ' ')
				j++;
			spw = (int)(j - k);
			if (j < n && s[j] != ' ' && st->npend == 0 &&
			    (lb_open(lb) || !st->para)) {
				/* The usual case, a space and then a word that fits:
				 * one range for both, nothing queued. */
				uint32_t e = j;
				int ww = 0;

				while (e < n && s[e] != ' ' &&
				    (unsigned char)s[e] < 0x80) {
					e++;
					ww++;
				}
				if ((e == n && !glued) || (e < n && s[e] == ' ')) {
					if (st->W <= 0 || lb->line_w + spw + ww <= st->W) {
						if (lb_open(lb))
							lb_add(lb, r->off + sp0, e - sp0, spw + ww,
							    r->style);
						else
							lb_add(lb, r->off + j, e - j, ww,
							    r->style);
						st->para = 0;
						k = e;
						progress = 1;
						continue;
					}
				}
			}
			if (st->npend < MAX_PEND) {
				p.off = r->off + k;
				p.len = j - k;
				p.w = spw;
				p.kind = RK_SPACE;
				st->pend[st->npend++] = p;
			}
			st->pend_w += spw;
			k = j;
			progress = 1;
			continue;
		}
		j = scan_word(s, j, n, &w);
		stop = j < n && s[j] != ' ';	/* at a wide character */
		if (stop || (j == n && glued))
			break;
		p.off = r->off + k;
		p.len = j - k;
		p.w = w;
		p.kind = RK_TEXT;
		place(st, &p, 1, w);
		k = j;
		progress = 1;
	}
	if (k >= n) {
		it->i++;
		it->pos = 0;
	} else
		it->pos = k;
	return progress;
}

/*
 * Greedy wrapping of runs [i, end): words are pieces between breakable
 * spaces (and around wide characters); a word moves to the next line
 * whole, and is cut only when it is wider than a line.
 */
static void
wrap(struct lb *lb, size_t i, size_t end, int W, int oneline)
{
	struct rctx *c = lb->c;
	struct pit it = { c, i, end, 0, 0, { 0, 0, 0, 0, 0, 0, 0 } };
	struct piece *word = NULL, *p;
	struct wst st;
	size_t nword = 0, capword = 0;

	st.lb = lb;
	st.npend = 0;
	st.pend_w = 0;
	st.para = 1;
	st.W = W;
	for (;;) {
		int ww;

		if (!it.has && it.i < end && c->out.v[it.i].kind == RK_PLAIN &&
		    fast_plain(&st, &it))
			continue;
		if (!pit_peek(&it, &p))
			break;

		if (p->kind == RK_BREAK && !oneline) {
			pit_take(&it);
			lb_flush(lb, 0, 0);
			st.npend = 0;
			st.pend_w = 0;
			st.para = 1;
			continue;
		}
		if (p->kind == RK_SPACE || p->kind == RK_BREAK) {
			struct piece sp = *p;

			pit_take(&it);
			if (sp.kind == RK_BREAK) {
				sp.off = 0;	/* a space from the pool's blanks */
				sp.len = 1;
				sp.w = 1;
				sp.kind = RK_SPACE;
			}
			if (st.npend < MAX_PEND)
				st.pend[st.npend++] = sp;
			st.pend_w += sp.w;
			continue;
		}
		if (p->kind == RK_DISPLAY || p->kind == RK_DLIN_B) {
			size_t at = p->run;

			pit_take(&it);
			if (lb_open(lb))
				lb_flush(lb, 0, 0);
			if (c->out.v[at].kind == RK_DISPLAY)
				place_box(lb, &c->boxes[c->out.v[at].off], W);
			else {
				size_t first = lb->nlines, e = at + 1, ln;

				while (e < end && c->out.v[e].kind != RK_DLIN_E)
					e++;
				wrap(lb, at + 1, e, W, 1);
				if (lb_open(lb))
					lb_flush(lb, 0, 0);
				for (ln = first; ln < lb->nlines; ln++) {
					struct render_line *L = &lb->lines[ln];

					L->flags |= RENDER_LINE_DISPLAY;
					if (W > 0 && L->width < W)
						L->indent = (W - L->width) / 2;
				}
				it.i = e < end ? e + 1 : e;
				it.pos = 0;
			}
			/* The text after a display formula starts a new
			 * paragraph; one line break right after it is part of
			 * the formula's own line. */
			while (pit_peek(&it, &p) && p->kind == RK_SPACE)
				pit_take(&it);
			if (pit_peek(&it, &p) && p->kind == RK_BREAK)
				pit_take(&it);
			st.npend = 0;
			st.pend_w = 0;
			st.para = 1;
			continue;
		}
		if (p->kind == RK_DLIN_E) {
			pit_take(&it);
			continue;
		}
		/* A word. */
		nword = 0;
		ww = 0;
		for (;;) {
			int wide = p->flags & RF_WIDE;

			VEC_RESERVE(word, capword, nword + 1, 16);
			word[nword++] = *p;
			ww += p->w;
			pit_take(&it);
			if (wide || !pit_peek(&it, &p) || p->kind != RK_TEXT ||
			    (p->flags & RF_WIDE))
				break;
		}
		place(&st, word, nword, ww);
	}
	free(word);
}

/*
 * The UI trusts spans: no byte below 0x20 and no DEL ever leaves the
 * renderer, and the ASCII profile is 7-bit. Prep already made it so; this
 * is the net under it, eight bytes at a time.
 */
static void
scrub(unsigned char *t, size_t n, int ascii)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	unsigned char hi = ascii ? 0x7E : 0xFF;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, del;

		memcpy(&x, t + i, 8);
		del = x ^ (ones * 0x7F);
		if ((((x - ones * 0x20) & ~x) | ((del - ones) & ~del) |
		    (ascii ? x : 0)) & highs)
			break;
	}
	for (; i < n; i++)
		if (t[i] < 0x20 || t[i] == 0x7F || t[i] > hi)
			t[i] = '?';
}

static struct render_doc *
build_doc(struct rctx *c)
{
	struct lb lb;
	struct render_doc *d = xcalloc(1, sizeof *d);
	size_t i;

	memset(&lb, 0, sizeof lb);
	lb.c = c;
	lb.text.cap = c->pool.len + 64;
	lb.text.data = xmalloc(lb.text.cap);
	lb.text.data[0] = '\0';
	lb.capspans = 16 + c->out.n / 2;
	lb.spans = xreallocarray(NULL, lb.capspans, sizeof lb.spans[0]);
	lb.caplines = 8 + c->out.n / 8;
	lb.lines = xreallocarray(NULL, lb.caplines, sizeof lb.lines[0]);
	wrap(&lb, 0, c->out.n, c->width, (c->o->flags & RENDER_ONELINE) != 0);
	if (lb_open(&lb))
		lb_flush(&lb, 0, 0);
	while (lb.nlines > 0 && lb.lines[lb.nlines - 1].nspans == 0)
		lb.nlines--;

	scrub((unsigned char *)lb.text.data, lb.text.len, c->ascii);
	d->text = buf_steal(&lb.text);
	d->spans = lb.spans;
	d->nspans = lb.nspans;
	d->lines = lb.lines;
	d->nlines = lb.nlines;
	for (i = 0; i < d->nspans; i++)
		d->spans[i].text = d->text + (uintptr_t)d->spans[i].text;
	for (i = 0; i < d->nlines; i++) {
		struct render_line *L = &d->lines[i];

		L->spans = d->spans + (uintptr_t)L->spans;
		if (L->indent + L->width > d->width)
			d->width = L->indent + L->width;
	}
	return d;
}

/* ---- public ------------------------------------------------------------------ */

struct render_doc *
render_field(const char *text, size_t len, const struct render_opts *o)
{
	struct render_opts dflt = { 0, 0, 0, 0, 0 };
	struct rctx c;
	struct render_doc *d;

	if (o == NULL)
		o = &dflt;
	memset(&c, 0, sizeof c);
	c.o = o;
	c.ascii = o->ascii != 0;
	c.width = o->width > 0 ? o->width : 0;
	c.br.nomerge = 1;
	/* One allocation that usually suffices: text, markers, glyphs. */
	c.pool.cap = POOL_SPACES + 2 * (len < 1 << 20 ? len : 0) + 512;
	c.pool.data = xmalloc(c.pool.cap);
	memset(c.pool.data, ' ', POOL_SPACES);
	c.pool.len = POOL_SPACES;
	c.pool.data[c.pool.len] = '\0';
	c.out.cap = 32 + len / 4;
	c.out.v = xreallocarray(NULL, c.out.cap, sizeof c.out.v[0]);
	if (text == NULL)
		len = 0;
	rp_prepare(&c, text ? text : "", len);
	split_field(&c);
	d = build_doc(&c);

	buf_free(&c.pool);
	free(c.out.v);
	free(c.br.v);
	free(c.rows);
	free(c.boxes);
	return d;
}

void
render_doc_free(struct render_doc *d)
{
	if (d == NULL)
		return;
	free(d->text);
	free(d->spans);
	free(d->lines);
	free(d);
}

size_t
render_line_count(const struct render_doc *d)
{
	return d->nlines;
}

const struct render_line *
render_doc_line(const struct render_doc *d, size_t i)
{
	return i < d->nlines ? &d->lines[i] : NULL;
}

int
render_doc_width(const struct render_doc *d)
{
	return d->width;
}

char *
render_doc_text(const struct render_doc *d)
{
	struct buf b;
	size_t i, k;
	int n;

	buf_init(&b);
	for (i = 0; i < d->nlines; i++) {
		const struct render_line *L = &d->lines[i];

		if (i > 0)
			buf_addc(&b, '\n');
		for (n = 0; n < L->indent; n++)
			buf_addc(&b, ' ');
		for (k = 0; k < L->nspans; k++)
			buf_add(&b, L->spans[k].text, L->spans[k].len);
	}
	if (b.data == NULL)
		buf_add(&b, "", 0);
	return buf_steal(&b);
}

char *
render_plain(const char *text, const struct render_opts *o)
{
	struct render_doc *d;
	char *s;

	d = render_field(text, text ? strlen(text) : 0, o);
	s = render_doc_text(d);
	render_doc_free(d);
	return s;
}
