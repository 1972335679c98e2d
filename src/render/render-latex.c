/*
 * render-latex.c - LaTeX math between Anki's delimiters, as Unicode text.
 *
 * A lexer (control words are "\" plus the maximal run of letters, looked up
 * whole: "\log" is never "\l"+"og", "\indent" never "\in"+"dent") feeds a
 * recursive-descent parser that builds boxes: rows of runs with a width,
 * a height and a baseline. Inline math stays on one row: \frac is "a/b",
 * scripts are Unicode sub/superscripts or linear "_(...)", matrices are
 * "[a, b; c, d]". Display math (\[ \], $$ $$) may use more rows: stacked
 * fractions, limits above and below Σ, matrices as grids with tall
 * brackets; render.c centres it, or wraps the inline form when the box is
 * wider than the line.
 *
 * Spacing follows TeX's table of atom classes (ord, op, bin, rel, open,
 * close, punct, inner), with thin spaces dropped and medium and thick
 * spaces as one cell; source spaces are ignored, as TeX does. Unknown
 * commands and environments are shown as written, never dropped.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "render-int.h"

enum { LT_END, LT_CMD, LT_CSYM, LT_LBRACE, LT_RBRACE, LT_SUP, LT_SUB, LT_AMP,
	LT_CHAR, LT_VERB };

struct ltok {
	int		 kind;
	size_t		 off, len;	/* CMD: the name; CHAR: the cluster */
	uint32_t	 cp;
	unsigned	 style;
};

/* parse_seq() stops */
#define ST_BRACE	0x01
#define ST_RIGHT	0x02
#define ST_CELL		0x04
#define ST_ROW		0x08
#define ST_END		0x10
#define ST_BRACKET	0x20

#define MAX_DEPTH	40

struct lx {
	struct rctx	*c;
	size_t		 pos, end;
	unsigned	 cnt[NSTYLE];
	int		 display;	/* 2-D layout allowed */
	int		 compact;	/* inside a script: no spacing */
	int		 level;		/* script nesting */
	int		 top;		/* the formula's own sequence */
	int		 depth;
	int		 force_sub, force_sup;
	int		 sub_fb, sub_map, sup_fb, sup_map;
};

struct item {
	struct rbox	 b;
	int		 cls;
	int		 fb;		/* ends in a linear script: 1 "_x", 2 "_(..)" */
	int		 limits;	/* an operator with limits */
	int		 skip;		/* produced nothing (\displaystyle) */
	int		 word;		/* ASCII: a command spelled as a word */
	int		 alpha_l, alpha_r;
	int		 sym_letter;	/* a non-ASCII ordinary symbol: θ, ℓ */
	int		 gap;		/* explicit space before it */
};

#define S(lx)	((lx)->c->pool.data)

static struct rbox parse_seq(struct lx *, int, int *);
static struct item parse_atom(struct lx *, struct ltok *);
static struct rbox parse_arg(struct lx *);

/* ---- lexer ------------------------------------------------------------------- */

static int
lx_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static void
lx_skip(struct lx *lx)
{
	size_t used;

	while (lx->pos < lx->end) {
		char ch = S(lx)[lx->pos];

		if (ch == ' ' || ch == '\n' || ch == '\t' || ch == MK_VE)
			lx->pos++;
		else if (rc_marker(S(lx) + lx->pos, lx->end - lx->pos, lx->cnt,
		    &used))
			lx->pos += used;
		else
			break;
	}
}

static void
lx_next(struct lx *lx, struct ltok *t)
{
	const char *s;
	size_t l;

	lx_skip(lx);
	s = S(lx);
	t->style = rc_style(lx->cnt) | RENDER_FORMULA;
	t->off = lx->pos;
	t->len = 0;
	t->cp = 0;
	if (lx->pos >= lx->end) {
		t->kind = LT_END;
		return;
	}
	switch (s[lx->pos]) {
	case MK_VB:
		t->kind = LT_VERB;
		t->off = ++lx->pos;
		while (lx->pos < lx->end && s[lx->pos] != MK_VE)
			lx->pos++;
		t->len = lx->pos - t->off;
		if (lx->pos < lx->end)
			lx->pos++;
		return;
	case '\\':
		lx->pos++;
		if (lx->pos < lx->end && lx_alpha(s[lx->pos])) {
			t->kind = LT_CMD;
			t->off = lx->pos;
			while (lx->pos < lx->end && lx_alpha(s[lx->pos]))
				lx->pos++;
			t->len = lx->pos - t->off;
			return;
		}
		if (lx->pos >= lx->end) {
			t->kind = LT_CHAR;
			t->cp = '\\';
			t->len = 1;
			return;
		}
		t->kind = LT_CSYM;
		t->off = lx->pos;
		t->cp = rw_decode(s + lx->pos, lx->end - lx->pos, &l);
		if (t->cp < 0x20)
			t->cp = ' ';
		lx->pos += l;
		t->len = l;
		return;
	case '{':	t->kind = LT_LBRACE; break;
	case '}':	t->kind = LT_RBRACE; break;
	case '^':	t->kind = LT_SUP; break;
	case '_':	t->kind = LT_SUB; break;
	case '&':	t->kind = LT_AMP; break;
	default:
		t->kind = LT_CHAR;
		t->cp = rw_decode(s + lx->pos, lx->end - lx->pos, &l);
		lx->pos += l;
		while (lx->pos < lx->end && (unsigned char)s[lx->pos] >= 0x80 &&
		    rw_is_zero(rw_decode(s + lx->pos, lx->end - lx->pos, &l)))
			lx->pos += l;
		t->len = lx->pos - t->off;
		return;
	}
	t->len = 1;
	lx->pos++;
}

static void
lx_peek(struct lx *lx, struct ltok *t)
{
	size_t pos = lx->pos;
	unsigned cnt[NSTYLE];

	memcpy(cnt, lx->cnt, sizeof cnt);
	lx_next(lx, t);
	lx->pos = pos;
	memcpy(lx->cnt, cnt, sizeof cnt);
}

static int
tok_cmd(struct lx *lx, const struct ltok *t, const char *name)
{
	size_t l = strlen(name);

	return t->kind == LT_CMD && t->len == l &&
	    memcmp(S(lx) + t->off, name, l) == 0;
}

/* ---- boxes ------------------------------------------------------------------- */

static uint32_t
row_add(struct rctx *c, uint32_t first, int w)
{
	struct rrow *r;

	VEC_RESERVE(c->rows, c->caprows, c->nrows + 1, 64);
	r = &c->rows[c->nrows];
	r->first = first;
	r->n = (uint32_t)(c->br.n - first);
	r->w = w;
	return (uint32_t)c->nrows++;
}

static void
pad(struct rctx *c, int n, int kind)
{
	while (n > 0) {
		struct rrun r = { 0, 0, 0, RENDER_FORMULA, (uint8_t)kind, 0 };
		int k = n > POOL_SPACES ? POOL_SPACES : n;

		r.len = (uint32_t)k;
		r.w = (uint16_t)k;
		rc_push(&c->br, &r);
		n -= k;
	}
}

static int
runs_w(struct rctx *c, uint32_t first, uint32_t n)
{
	uint32_t k;
	int w = 0;

	for (k = 0; k < n; k++)
		w += c->br.v[first + k].w;
	return w;
}

/* A one-row box from the runs added to c->br since first. */
static struct rbox
box_row(struct rctx *c, uint32_t first)
{
	struct rbox b;
	int w = runs_w(c, first, (uint32_t)(c->br.n - first));

	b.row0 = row_add(c, first, w);
	b.w = w;
	b.h = 1;
	b.base = 0;
	return b;
}

static struct rbox
box_empty(struct rctx *c)
{
	return box_row(c, (uint32_t)c->br.n);
}

static struct rbox
box_str(struct lx *lx, const char *s, unsigned style)
{
	uint32_t first = (uint32_t)lx->c->br.n;

	rc_text(lx->c, &lx->c->br, s, strlen(s), style);
	return box_row(lx->c, first);
}

static struct rbox
box_src(struct lx *lx, size_t off, size_t n, unsigned style)
{
	uint32_t first = (uint32_t)lx->c->br.n;

	rc_src(lx->c, &lx->c->br, off, n, style, RK_TEXT);
	return box_row(lx->c, first);
}

static void
copy_row(struct rctx *c, const struct rbox *b, int r)
{
	struct rrow row = c->rows[b->row0 + r];
	uint32_t k;

	for (k = 0; k < row.n; k++) {
		struct rrun run = c->br.v[row.first + k];

		rc_push(&c->br, &run);
	}
}

/* Boxes side by side on a common baseline, gap[k] cells before box k. */
static struct rbox
hcat(struct lx *lx, const struct rbox *b, const int *gap, const int *brk,
    size_t n)
{
	struct rctx *c = lx->c;
	struct rbox out;
	int above = 0, below = 0, r;
	size_t k;

	for (k = 0; k < n; k++) {
		if (b[k].base > above)
			above = b[k].base;
		if (b[k].h - b[k].base - 1 > below)
			below = b[k].h - b[k].base - 1;
	}
	out.h = above + below + 1;
	out.base = above;
	out.w = 0;
	out.row0 = (uint32_t)c->nrows;
	for (r = 0; r < out.h; r++) {
		uint32_t first = (uint32_t)c->br.n;
		int w = 0;

		for (k = 0; k < n; k++) {
			int local = r - (above - b[k].base);
			int g = gap != NULL ? gap[k] : 0;

			if (g > 0) {
				pad(c, g, brk != NULL && brk[k] && r == above ?
				    RK_SPACE : RK_TEXT);
				w += g;
			}
			if (local >= 0 && local < b[k].h) {
				int rw = c->rows[b[k].row0 + local].w;

				copy_row(c, &b[k], local);
				if (k + 1 < n)
					pad(c, b[k].w - rw, RK_TEXT);
				w += k + 1 < n ? b[k].w : rw;
			} else if (k + 1 < n) {
				pad(c, b[k].w, RK_TEXT);
				w += b[k].w;
			}
		}
		row_add(c, first, w);
	}
	for (k = 0; k < n; k++)
		out.w += b[k].w + (gap != NULL ? gap[k] : 0);
	return out;
}

static struct rbox
hcat2(struct lx *lx, struct rbox a, struct rbox b)
{
	struct rbox v[2] = { a, b };

	return hcat(lx, v, NULL, NULL, 2);
}

/* Boxes one above the other; align -1 left, 0 centre, 1 right. */
static struct rbox
vstack(struct lx *lx, const struct rbox *b, size_t n, int base, int align)
{
	struct rctx *c = lx->c;
	struct rbox out;
	size_t k;
	int r, W = 0;

	for (k = 0; k < n; k++)
		if (b[k].w > W)
			W = b[k].w;
	out.w = W;
	out.h = 0;
	out.base = base;
	out.row0 = (uint32_t)c->nrows;
	for (k = 0; k < n; k++)
		for (r = 0; r < b[k].h; r++) {
			uint32_t first = (uint32_t)c->br.n;
			int left = align < 0 ? 0 : align == 0 ?
			    (W - b[k].w) / 2 : W - b[k].w;

			pad(c, left, RK_TEXT);
			copy_row(c, &b[k], r);
			row_add(c, first, left + c->rows[b[k].row0 + r].w);
			out.h++;
		}
	if (out.h == 0)
		return box_empty(c);
	return out;
}

static void
box_style(struct lx *lx, struct rbox b, unsigned style)
{
	int r;
	uint32_t k;

	for (r = 0; r < b.h; r++) {
		struct rrow *row = &lx->c->rows[b.row0 + r];

		for (k = 0; k < row->n; k++)
			if (lx->c->br.v[row->first + k].off >= POOL_SPACES ||
			    !(style & RENDER_UNDERLINE))
				lx->c->br.v[row->first + k].style |= (uint16_t)style;
	}
}

/* Call fn(cp) on every character of a one-row box; stop at a 0 return. */
static int
box_all(struct lx *lx, struct rbox b, int (*fn)(uint32_t))
{
	struct rrow row;
	uint32_t k;
	size_t i, l;

	if (b.h != 1)
		return 0;
	row = lx->c->rows[b.row0];
	for (k = 0; k < row.n; k++) {
		const struct rrun *r = &lx->c->br.v[row.first + k];

		for (i = 0; i < r->len; i += l)
			if (!fn(rw_decode(S(lx) + r->off + i, r->len - i, &l)))
				return 0;
	}
	return 1;
}

static int
cp_alnum(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
	    (cp >= 'A' && cp <= 'Z') || (cp >= 0x391 && cp <= 0x3C9) ||
	    cp == 0x3D1 || cp == 0x3D5 || cp == 0x3D6 || cp == 0x3F1 ||
	    cp == 0x3F5 || cp == 0x2032 || (cp >= 0x300 && cp <= 0x36F);
}

/* Characters that make an inline fraction part need brackets. */
static int
cp_plain(uint32_t cp)
{
	static const uint32_t ops[] = { ' ', '+', '-', '=', '<', '>', '/', ',',
	    '*', ':', ';', 0x2212, 0xB1, 0x2213, 0xB7, 0xD7, 0xF7, 0x2264,
	    0x2265, 0x2260, 0x2192, 0x2190, 0x21D2, 0x21D4, 0x2208, 0x223C,
	    0x2248, 0x2261, 0x2217, 0x2218, 0x2229, 0x222A, 0x2282, 0x2286 };
	size_t k;

	for (k = 0; k < sizeof ops / sizeof ops[0]; k++)
		if (cp == ops[k])
			return 0;
	return 1;
}

static int
box_clusters(struct lx *lx, struct rbox b)
{
	struct rrow row;
	uint32_t k;
	size_t i, l;
	int n = 0;

	if (b.h != 1)
		return 99;
	row = lx->c->rows[b.row0];
	for (k = 0; k < row.n; k++) {
		const struct rrun *r = &lx->c->br.v[row.first + k];

		for (i = 0; i < r->len; i += l)
			if (rw_cp(rw_decode(S(lx) + r->off + i, r->len - i,
			    &l)) != 0)
				n++;
	}
	return n;
}

/* One token: "_x" and "√x" need no brackets. */
static int
box_token(struct lx *lx, struct rbox b)
{
	return box_clusters(lx, b) <= 1 || box_all(lx, b, cp_alnum);
}

static int
first_last_alpha(struct lx *lx, struct rbox b, int last)
{
	struct rrow row;
	const struct rrun *r;
	char ch;

	if (b.h != 1)
		return 0;
	row = lx->c->rows[b.row0];
	if (row.n == 0)
		return 0;
	r = &lx->c->br.v[row.first + (last ? row.n - 1 : 0)];
	if (r->len == 0)
		return 0;
	ch = S(lx)[r->off + (last ? r->len - 1 : 0)];
	return lx_alpha(ch);
}

/* ---- tall delimiters ------------------------------------------------------------ */

struct delim {
	int		 kind;	/* ( ) [ ] { } | V < > f F c C . */
	const char	*u, *a;
};

static const struct delim delims[] = {
	{ '(', "(", "(" }, { ')', ")", ")" }, { '[', "[", "[" },
	{ ']', "]", "]" }, { '{', "{", "{" }, { '}', "}", "}" },
	{ '|', "|", "|" }, { 'V', "‖", "||" }, { '<', "⟨", "<" },
	{ '>', "⟩", ">" }, { 'f', "⌊", "|_" }, { 'F', "⌋", "_|" },
	{ 'c', "⌈", "|^" }, { 'C', "⌉", "^|" }, { '.', "", "" },
	{ '/', "/", "/" },
};

static const struct delim *
delim_of(int kind)
{
	size_t k;

	for (k = 0; k < sizeof delims / sizeof delims[0]; k++)
		if (delims[k].kind == kind)
			return &delims[k];
	return &delims[14];
}

/* Read the delimiter after \left, \right, \big...; NULL if none. */
static const struct delim *
read_delim(struct lx *lx)
{
	static const struct {
		const char	*name;
		int		 kind;
	} names[] = {
		{ "langle", '<' }, { "rangle", '>' }, { "lfloor", 'f' },
		{ "rfloor", 'F' }, { "lceil", 'c' }, { "rceil", 'C' },
		{ "vert", '|' }, { "lvert", '|' }, { "rvert", '|' },
		{ "Vert", 'V' }, { "lVert", 'V' }, { "rVert", 'V' },
		{ "lbrace", '{' }, { "rbrace", '}' }, { "lbrack", '[' },
		{ "rbrack", ']' }, { "mid", '|' },
	};
	struct ltok t;
	size_t k;

	lx_peek(lx, &t);
	if (t.kind == LT_CHAR && t.cp < 0x80 && strchr("()[]|./<>", (int)t.cp) &&
	    t.cp != 0) {
		lx_next(lx, &t);
		return delim_of(t.cp == '<' ? '<' : t.cp == '>' ? '>' : (int)t.cp);
	}
	if (t.kind == LT_CSYM && (t.cp == '{' || t.cp == '}' || t.cp == '|')) {
		lx_next(lx, &t);
		return delim_of(t.cp == '|' ? 'V' : (int)t.cp);
	}
	if (t.kind == LT_CMD)
		for (k = 0; k < sizeof names / sizeof names[0]; k++)
			if (tok_cmd(lx, &t, names[k].name)) {
				lx_next(lx, &t);
				return delim_of(names[k].kind);
			}
	return NULL;
}

static struct rbox
tall(struct lx *lx, const struct delim *d, int h, int base, unsigned style)
{
	struct rctx *c = lx->c;
	struct rbox out;
	int r, asc = lx->c->ascii;

	if (d->kind == '.')
		return box_empty(c);
	if (h <= 1) {
		struct rbox b = box_str(lx, asc ? d->a : d->u, style);

		return b;
	}
	out.row0 = (uint32_t)c->nrows;
	out.h = h;
	out.base = base;
	out.w = 0;
	for (r = 0; r < h; r++) {
		const char *g;
		int top = r == 0, bot = r == h - 1, mid = r == (h - 1) / 2;
		uint32_t first = (uint32_t)c->br.n;

		switch (d->kind) {
		case '(':
			g = top ? (asc ? "/" : "⎛") : bot ? (asc ? "\\" : "⎝") :
			    (asc ? "|" : "⎜");
			break;
		case ')':
			g = top ? (asc ? "\\" : "⎞") : bot ? (asc ? "/" : "⎠") :
			    (asc ? "|" : "⎟");
			break;
		case '[':
			g = asc ? (top || bot ? "[" : "|") : top ? "⎡" : bot ? "⎣" :
			    "⎢";
			break;
		case ']':
			g = asc ? (top || bot ? "]" : "|") : top ? "⎤" : bot ? "⎦" :
			    "⎥";
			break;
		case '{':
			if (h == 2)
				g = asc ? (top ? "/" : "\\") : top ? "⎧" : "⎩";
			else
				g = top ? (asc ? "/" : "⎧") : bot ?
				    (asc ? "\\" : "⎩") : mid ? (asc ? "{" : "⎨") :
				    (asc ? "|" : "⎪");
			break;
		case '}':
			if (h == 2)
				g = asc ? (top ? "\\" : "/") : top ? "⎫" : "⎭";
			else
				g = top ? (asc ? "\\" : "⎫") : bot ?
				    (asc ? "/" : "⎭") : mid ? (asc ? "}" : "⎬") :
				    (asc ? "|" : "⎪");
			break;
		case 'V':
			g = asc ? "||" : "‖";
			break;
		case '<':
		case '>':
			if (h % 2 == 1 && r == h / 2)
				g = asc ? (d->kind == '<' ? "<" : ">") :
				    d->kind == '<' ? "⟨" : "⟩";
			else if ((r < h / 2) == (d->kind == '<'))
				g = asc ? "/" : "╱";
			else
				g = asc ? "\\" : "╲";
			break;
		case 'f':
			g = asc ? (bot ? "|_" : "| ") : bot ? "⎣" : "⎢";
			break;
		case 'F':
			g = asc ? (bot ? "_|" : " |") : bot ? "⎦" : "⎥";
			break;
		case 'c':
			g = asc ? (top ? "|^" : "| ") : top ? "⎡" : "⎢";
			break;
		case 'C':
			g = asc ? (top ? "^|" : " |") : top ? "⎤" : "⎥";
			break;
		default:
			g = asc ? "|" : "│";
			break;
		}
		rc_text(c, &c->br, g, strlen(g), style);
		row_add(c, first, runs_w(c, first, (uint32_t)(c->br.n - first)));
		if (c->rows[c->nrows - 1].w > out.w)
			out.w = c->rows[c->nrows - 1].w;
	}
	return out;
}

static struct rbox
wrap_delims(struct lx *lx, const struct delim *l, struct rbox in,
    const struct delim *r, unsigned style)
{
	struct rbox v[3];

	v[0] = tall(lx, l, in.h, in.base, style);
	v[1] = in;
	v[2] = tall(lx, r, in.h, in.base, style);
	return hcat(lx, v, NULL, NULL, 3);
}

/* ---- scripts -------------------------------------------------------------------- */

static struct rbox
script_arg(struct lx *lx)
{
	struct lx save = *lx;
	struct rbox b;

	lx->compact = 1;
	lx->display = 0;
	lx->top = 0;
	lx->level++;
	b = parse_arg(lx);
	save.pos = lx->pos;
	memcpy(save.cnt, lx->cnt, sizeof save.cnt);
	save.sub_fb = lx->sub_fb;
	save.sub_map = lx->sub_map;
	save.sup_fb = lx->sup_fb;
	save.sup_map = lx->sup_map;
	*lx = save;
	return b;
}

/* The sub/superscript form of a one-row box, or 0 if a character has none. */
static int
map_box(struct lx *lx, struct rbox b, int sup, struct rbox *out)
{
	struct runv tmp = { NULL, 0, 0, 0 };
	struct rrow row;
	uint32_t k;
	struct runv src = { NULL, 0, 0, 0 };
	int ok;

	if (lx->c->ascii || b.h != 1)
		return 0;
	row = lx->c->rows[b.row0];
	if (row.n == 0) {
		if (out != NULL)
			*out = box_empty(lx->c);
		return 1;
	}
	src.v = lx->c->br.v + row.first;
	src.n = row.n;
	ok = rm_map(lx->c, &src, 0, src.n, sup, NULL);
	if (ok && out != NULL) {
		uint32_t first;

		/* Copy first: c->br may move while mapping. */
		src.v = xreallocarray(NULL, row.n ? row.n : 1, sizeof src.v[0]);
		if (row.n > 0)
			memcpy(src.v, lx->c->br.v + row.first,
			    row.n * sizeof src.v[0]);
		rm_map(lx->c, &src, 0, src.n, sup, &tmp);
		free(src.v);
		first = (uint32_t)lx->c->br.n;
		for (k = 0; k < tmp.n; k++)
			rc_push(&lx->c->br, &tmp.v[k]);
		*out = box_row(lx->c, first);
	}
	free(tmp.v);
	return ok;
}

static struct rbox
linear_script(struct lx *lx, struct rbox s, int sup, unsigned style, int *fb)
{
	struct rbox v[4];
	size_t n = 0;
	int br = !box_token(lx, s);

	v[n++] = box_str(lx, sup ? "^" : "_", style);
	if (br)
		v[n++] = box_str(lx, "(", style);
	v[n++] = s;
	if (br)
		v[n++] = box_str(lx, ")", style);
	*fb = br ? 2 : 1;
	return hcat(lx, v, NULL, NULL, n);
}

/* Scripts and primes after an atom. */
static void
parse_scripts(struct lx *lx, struct item *it)
{
	struct rbox sub, sup, tmp;
	int has_sub = 0, has_sup = 0, guard = 0, limits = it->limits;
	struct ltok t;

	for (;;) {
		lx_peek(lx, &t);
		if (guard++ > 16)
			break;
		if (t.kind == LT_SUP || t.kind == LT_SUB) {
			struct rbox a;

			lx_next(lx, &t);
			a = script_arg(lx);
			if (t.kind == LT_SUP) {
				sup = has_sup ? hcat2(lx, sup, a) : a;
				has_sup = 1;
			} else {
				sub = has_sub ? hcat2(lx, sub, a) : a;
				has_sub = 1;
			}
		} else if (t.kind == LT_CHAR && t.cp == '\'') {
			lx_next(lx, &t);
			it->b = hcat2(lx, it->b, box_str(lx, lx->c->ascii ? "'" :
			    "′", t.style));
		} else if (tok_cmd(lx, &t, "limits") && it->cls == RC_OP) {
			lx_next(lx, &t);
			limits = 1;
		} else if (tok_cmd(lx, &t, "nolimits") && it->cls == RC_OP) {
			lx_next(lx, &t);
			limits = 0;
		} else
			break;
	}
	if (!has_sub && !has_sup)
		return;
	if (it->cls == RC_OP && limits && lx->display && !lx->compact) {
		struct rbox v[3];
		size_t n = 0;
		int base = it->b.base;

		if (has_sup) {
			v[n++] = sup;
			base += sup.h;
		}
		v[n++] = it->b;
		if (has_sub)
			v[n++] = sub;
		it->b = vstack(lx, v, n, base, 0);
		it->fb = 0;
		return;
	}
	if (it->b.h > 1) {
		/* A tall base: scripts go to its top and bottom rows. */
		struct rbox col[3], s;
		size_t n = 0;
		int rest = it->b.h;

		if (has_sup) {
			col[n++] = map_box(lx, sup, 1, &s) ? s : sup;
			rest -= col[n - 1].h;
		}
		if (has_sub)
			rest -= sub.h;
		if (rest > 0) {
			uint32_t first;
			int r;

			/* Blank rows between. */
			col[n].row0 = (uint32_t)lx->c->nrows;
			col[n].h = rest;
			col[n].w = 0;
			col[n].base = 0;
			for (r = 0; r < rest; r++) {
				first = (uint32_t)lx->c->br.n;
				row_add(lx->c, first, 0);
			}
			n++;
		}
		if (has_sub)
			col[n++] = map_box(lx, sub, 0, &s) ? s : sub;
		tmp = vstack(lx, col, n, 0, -1);
		tmp.base = it->b.base;
		if (tmp.h != it->b.h)
			tmp.base = tmp.h - 1 < it->b.base ? tmp.h - 1 : it->b.base;
		it->b = hcat2(lx, it->b, tmp);
		it->fb = 0;
		return;
	}
	{
		int lin_sub = 0, lin_sup = 0, fb = 0;
		struct rbox v[3], ms, mp;
		size_t n = 0;

		if (has_sub)
			lin_sub = (lx->level == 0 && lx->force_sub) ||
			    !map_box(lx, sub, 0, NULL);
		if (has_sup)
			lin_sup = (lx->level == 0 && lx->force_sup) ||
			    !map_box(lx, sup, 1, NULL);
		/* Σ's limits look alike: both linear or neither. */
		if (it->cls == RC_OP && (lin_sub || lin_sup))
			lin_sub = has_sub, lin_sup = has_sup;
		v[n++] = it->b;
		if (has_sub) {
			if (!lin_sub && map_box(lx, sub, 0, &ms))
				v[n++] = ms;
			else
				v[n++] = linear_script(lx, sub, 0,
				    RENDER_FORMULA | rc_style(lx->cnt), &fb);
			if (lx->level == 0)
				*(lin_sub ? &lx->sub_fb : &lx->sub_map) += 1;
		}
		if (has_sup) {
			if (!lin_sup && map_box(lx, sup, 1, &mp)) {
				v[n++] = mp;
				fb = 0;
			} else
				v[n++] = linear_script(lx, sup, 1,
				    RENDER_FORMULA | rc_style(lx->cnt), &fb);
			if (lx->level == 0)
				*(lin_sup ? &lx->sup_fb : &lx->sup_map) += 1;
		}
		it->b = hcat(lx, v, NULL, NULL, n);
		it->fb = fb;
	}
}

/* ---- constructs -------------------------------------------------------------------- */

static struct item
item_of(struct rbox b, int cls)
{
	struct item it;

	memset(&it, 0, sizeof it);
	it.b = b;
	it.cls = cls;
	return it;
}

/* The raw text of a {group}: offsets of its content; 0 if none. */
static int
raw_group(struct lx *lx, size_t *a, size_t *b)
{
	const char *s = S(lx);
	size_t i;
	int depth = 0;

	lx_skip(lx);
	if (lx->pos >= lx->end || s[lx->pos] != '{')
		return 0;
	for (i = lx->pos; i < lx->end; i++) {
		if (s[i] == '\\' && i + 1 < lx->end) {
			i++;
			continue;
		}
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			break;
	}
	*a = lx->pos + 1;
	*b = i < lx->end ? i : lx->end;
	lx->pos = i < lx->end ? i + 1 : lx->end;
	return 1;
}

/* Text mode (\text{...}): spaces kept, styles and verbatim honoured. */
static struct rbox
rawtext(struct lx *lx, size_t a, size_t b, unsigned extra)
{
	struct rctx *c = lx->c;
	uint32_t first = (uint32_t)c->br.n;
	size_t i = a, start = a, used;

	while (i <= b) {
		char ch = i < b ? S(lx)[i] : '\0';

		if (i < b && !(ch == '\n' || ch == '\t' || ch == MK_ON ||
		    ch == MK_OFF || ch == MK_VB || ch == MK_VE || ch == '\\' ||
		    ch == '{' || ch == '}')) {
			i++;
			continue;
		}
		if (i > start)
			rc_src(c, &c->br, start, i - start,
			    rc_style(lx->cnt) | extra | RENDER_FORMULA, RK_TEXT);
		if (i == b)
			break;
		if (ch == '\n' || ch == '\t')
			rc_text(c, &c->br, " ", 1, rc_style(lx->cnt) | extra |
			    RENDER_FORMULA);
		if (rc_marker(S(lx) + i, b - i, lx->cnt, &used))
			i += used;
		else if (ch == '\\' && i + 1 < b && !lx_alpha(S(lx)[i + 1])) {
			/* \{ \} \$ \% \& \_ \# in text are the character. */
			i++;
			start = i;
			i++;
			continue;
		} else if (ch == '\\' && i + 1 < b) {
			static const char *const drop[] = { "textbf", "textit",
			    "emph", "texttt", "textrm", "textsf", "textup",
			    "textnormal", "text", "mbox" };
			size_t j = i + 1, k;

			while (j < b && lx_alpha(S(lx)[j]))
				j++;
			for (k = 0; k < sizeof drop / sizeof drop[0]; k++)
				if (strlen(drop[k]) == j - i - 1 &&
				    memcmp(S(lx) + i + 1, drop[k], j - i - 1) == 0)
					break;
			if (k < sizeof drop / sizeof drop[0]) {
				/* A nested \textbf{..}: its text, unstyled. */
				i = start = j;
				continue;
			}
			/* Any other command in text: as written. */
			rc_src(c, &c->br, i, j - i, rc_style(lx->cnt) | extra |
			    RENDER_FORMULA, RK_TEXT);
			i = start = j;
			continue;
		} else
			i++;
		start = i;
	}
	return box_row(c, first);
}

/* Source text exactly as written (unknown environments, deep groups). */
static struct rbox
verbatim_src(struct lx *lx, size_t a, size_t b)
{
	struct rctx *c = lx->c;
	uint32_t first = (uint32_t)c->br.n;
	size_t i = a, start = a, used;

	while (i <= b) {
		char ch = i < b ? S(lx)[i] : '\0';

		if (i < b && !(ch == '\n' || ch == '\t' || ch == MK_ON ||
		    ch == MK_OFF || ch == MK_VB || ch == MK_VE)) {
			i++;
			continue;
		}
		if (i > start)
			rc_src(c, &c->br, start, i - start,
			    rc_style(lx->cnt) | RENDER_FORMULA, RK_TEXT);
		if (i == b)
			break;
		if (ch == '\n' || ch == '\t')
			rc_text(c, &c->br, " ", 1, rc_style(lx->cnt) |
			    RENDER_FORMULA);
		if (rc_marker(S(lx) + i, b - i, lx->cnt, &used))
			i += used;
		else
			i++;
		start = i;
	}
	return box_row(c, first);
}

static struct item
frac(struct lx *lx, int binom)
{
	struct rbox num = parse_arg(lx), den = parse_arg(lx);
	unsigned st = rc_style(lx->cnt) | RENDER_FORMULA;
	int asc = lx->c->ascii;

	if (lx->display && !lx->compact) {
		struct rbox v[3];
		int w = (num.w > den.w ? num.w : den.w) + (binom ? 0 : 2), k;
		struct buf bar;

		buf_init(&bar);
		for (k = 0; k < w; k++)
			buf_adds(&bar, asc ? "-" : "─");
		v[0] = num;
		if (binom) {
			v[1] = den;
			v[0] = vstack(lx, v, 2, num.h - 1, 0);
			buf_free(&bar);
			return item_of(wrap_delims(lx, delim_of('('), v[0],
			    delim_of(')'), st), RC_INNER);
		}
		v[1] = box_str(lx, bar.data != NULL ? bar.data : "", st);
		v[2] = den;
		buf_free(&bar);
		return item_of(vstack(lx, v, 3, num.h, 0), RC_INNER);
	}
	{
		struct rbox v[7];
		size_t n = 0;
		int pn = !box_all(lx, num, cp_plain), pd = !box_all(lx, den, cp_plain);

		if (binom) {
			v[n++] = box_str(lx, "C(", st);
			v[n++] = num;
			v[n++] = box_str(lx, ", ", st);
			v[n++] = den;
			v[n++] = box_str(lx, ")", st);
			return item_of(hcat(lx, v, NULL, NULL, n), RC_ORD);
		}
		if (pn)
			v[n++] = box_str(lx, "(", st);
		v[n++] = num;
		if (pn)
			v[n++] = box_str(lx, ")", st);
		v[n++] = box_str(lx, "/", st);
		if (pd)
			v[n++] = box_str(lx, "(", st);
		v[n++] = den;
		if (pd)
			v[n++] = box_str(lx, ")", st);
		return item_of(hcat(lx, v, NULL, NULL, n), RC_ORD);
	}
}

static struct item
sqrt_(struct lx *lx)
{
	unsigned st = rc_style(lx->cnt) | RENDER_FORMULA;
	struct rbox idx, arg, v[8];
	int has_idx = 0, asc = lx->c->ascii;
	size_t n = 0;
	struct ltok t;

	lx_peek(lx, &t);
	if (t.kind == LT_CHAR && t.cp == '[') {
		lx_next(lx, &t);
		{
			struct lx save = *lx;

			lx->compact = 1;
			lx->display = 0;
			lx->top = 0;
			idx = parse_seq(lx, ST_BRACKET, NULL);
			save.pos = lx->pos;
			memcpy(save.cnt, lx->cnt, sizeof save.cnt);
			*lx = save;
		}
		lx_peek(lx, &t);
		if (t.kind == LT_CHAR && t.cp == ']')
			lx_next(lx, &t);
		has_idx = 1;
	}
	arg = parse_arg(lx);
	if (asc) {
		v[n++] = box_str(lx, "sqrt", st);
		if (has_idx) {
			v[n++] = box_str(lx, "[", st);
			v[n++] = idx;
			v[n++] = box_str(lx, "]", st);
		}
		if (arg.h > 1)
			v[n++] = wrap_delims(lx, delim_of('('), arg, delim_of(')'), st);
		else {
			v[n++] = box_str(lx, "(", st);
			v[n++] = arg;
			v[n++] = box_str(lx, ")", st);
		}
		return item_of(hcat(lx, v, NULL, NULL, n), RC_ORD);
	}
	if (has_idx) {
		struct rbox m;
		int c3 = box_clusters(lx, idx) == 1 && box_all(lx, idx, cp_alnum);
		char d = 0;

		if (c3) {
			struct rrow row = lx->c->rows[idx.row0];

			d = S(lx)[lx->c->br.v[row.first].off];
		}
		if (c3 && d == '3')
			v[n++] = box_str(lx, "∛", st);
		else if (c3 && d == '4')
			v[n++] = box_str(lx, "∜", st);
		else {
			if (map_box(lx, idx, 1, &m))
				v[n++] = m;
			else {
				v[n++] = box_str(lx, "(", st);
				v[n++] = idx;
				v[n++] = box_str(lx, ")", st);
			}
			v[n++] = box_str(lx, "√", st);
		}
	} else
		v[n++] = box_str(lx, "√", st);
	if (arg.h > 1)
		v[n++] = wrap_delims(lx, delim_of('('), arg, delim_of(')'), st);
	else if (box_clusters(lx, arg) == 0)
		;
	else if (box_token(lx, arg))
		v[n++] = arg;
	else {
		struct rbox w[3];

		w[0] = box_str(lx, "(", st);
		w[1] = arg;
		w[2] = box_str(lx, ")", st);
		v[n++] = hcat(lx, w, NULL, NULL, 3);
	}
	return item_of(hcat(lx, v, NULL, NULL, n), RC_ORD);
}

static const char *
accent_mark(int acc)
{
	switch (acc) {
	case ACC_HAT:		return "\xCC\x82";
	case ACC_BAR:		return "\xCC\x84";
	case ACC_TILDE:		return "\xCC\x83";
	case ACC_DOT:		return "\xCC\x87";
	case ACC_DDOT:		return "\xCC\x88";
	case ACC_ACUTE:		return "\xCC\x81";
	case ACC_GRAVE:		return "\xCC\x80";
	case ACC_CHECK:		return "\xCC\x8C";
	case ACC_BREVE:		return "\xCC\x86";
	case ACC_RING:		return "\xCC\x8A";
	case ACC_VEC:		return "\xE2\x83\x97";
	case ACC_OVERLINE:	return "\xCC\x85";
	}
	return "";
}

static struct item
accent(struct lx *lx, int acc, const char *name)
{
	struct rbox arg = parse_arg(lx);
	unsigned st = rc_style(lx->cnt) | RENDER_FORMULA;
	int nc = box_clusters(lx, arg);

	if (!lx->c->ascii && arg.h == 1 && nc >= 1 &&
	    (nc == 1 || acc == ACC_OVERLINE || acc == ACC_BAR)) {
		/* Precomposed when Unicode has the letter (ŷ), else the
		 * base with a combining mark after each character (x̂). */
		struct rrow row = lx->c->rows[arg.row0];
		struct buf b;
		uint32_t k, first;
		unsigned style = st;
		const char *mark = accent_mark(nc > 1 ? ACC_OVERLINE : acc);

		buf_init(&b);
		for (k = 0; k < row.n; k++) {
			const struct rrun *r = &lx->c->br.v[row.first + k];
			size_t i, l;

			style = r->style;
			for (i = 0; i < r->len; i += l) {
				const char *p = S(lx) + r->off + i;
				uint32_t cp = rw_decode(p, r->len - i, &l);
				size_t j;

				if (nc == 1 && cp < 0x80 && lx_alpha((char)cp)) {
					for (j = 0; j < render_accent_tab_len; j++)
						if (render_accent_tab[j].acc == acc &&
						    render_accent_tab[j].base == (char)cp)
							break;
					if (j < render_accent_tab_len) {
						buf_adds(&b, render_accent_tab[j].u);
						continue;
					}
				}
				buf_add(&b, p, l);
				if (rw_cp(cp) != 0)
					buf_adds(&b, mark);
			}
		}
		first = (uint32_t)lx->c->br.n;
		rc_text(lx->c, &lx->c->br, b.data ? b.data : "", b.len, style);
		buf_free(&b);
		return item_of(box_row(lx->c, first), RC_ORD);
	}
	{
		struct rbox v[4];

		v[0] = box_str(lx, name, st);
		v[1] = box_str(lx, "(", st);
		v[2] = arg;
		v[3] = box_str(lx, ")", st);
		return item_of(hcat(lx, v, NULL, NULL, 4), RC_ORD);
	}
}

/* \mathbb, \mathcal, \mathfrak: the letterlike symbols in the BMP. */
static struct item
letterlike(struct lx *lx, int kind)
{
	static const char *const bb = "CHNPQRZ";
	static const char *const bbu[] = { "ℂ", "ℍ", "ℕ", "ℙ", "ℚ", "ℝ", "ℤ" };
	static const char *const cal = "BEFHILMReg";
	static const char *const calu[] = { "ℬ", "ℰ", "ℱ", "ℋ", "ℐ", "ℒ", "ℳ",
	    "ℛ", "ℯ", "ℊ" };
	static const char *const frak = "CHIRZ";
	static const char *const fraku[] = { "ℭ", "ℌ", "ℑ", "ℜ", "ℨ" };
	struct rbox arg = parse_arg(lx);
	const char *set = kind == 'b' ? bb : kind == 'c' ? cal : frak;
	const char *const *u = kind == 'b' ? bbu : kind == 'c' ? calu : fraku;
	struct runv out = { NULL, 0, 0, 0 };
	uint32_t k, first;
	int r;

	if (lx->c->ascii)
		return item_of(arg, RC_ORD);
	for (r = 0; r < arg.h && arg.h == 1; r++) {
		struct rrow row = lx->c->rows[arg.row0 + r];

		for (k = 0; k < row.n; k++) {
			struct rrun run = lx->c->br.v[row.first + k];
			size_t i;

			size_t l;

			for (i = 0; i < run.len; i += l) {
				char ch = S(lx)[run.off + i], cp[4];
				const char *p = (unsigned char)ch < 0x80 &&
				    ch != '\0' ? strchr(set, ch) : NULL;

				rw_decode(S(lx) + run.off + i, run.len - i, &l);
				if (p != NULL)
					rc_text(lx->c, &out, u[p - set],
					    strlen(u[p - set]), run.style);
				else {
					/* Copy out first: rc_text moves the pool. */
					memcpy(cp, S(lx) + run.off + i, l);
					rc_text(lx->c, &out, cp, l, run.style);
				}
			}
		}
	}
	if (arg.h != 1) {
		free(out.v);
		return item_of(arg, RC_ORD);
	}
	first = (uint32_t)lx->c->br.n;
	for (k = 0; k < out.n; k++)
		rc_push(&lx->c->br, &out.v[k]);
	free(out.v);
	return item_of(box_row(lx->c, first), RC_ORD);
}

static struct item
leftright(struct lx *lx)
{
	const struct delim *l = read_delim(lx), *r = NULL;
	unsigned st = rc_style(lx->cnt) | RENDER_FORMULA;
	struct rbox in;
	struct ltok t;
	int top = lx->top;

	lx->top = 0;
	in = parse_seq(lx, ST_RIGHT, NULL);
	lx->top = top;
	lx_peek(lx, &t);
	if (tok_cmd(lx, &t, "right")) {
		lx_next(lx, &t);
		r = read_delim(lx);
	}
	if (l == NULL)
		l = delim_of('.');
	if (r == NULL)
		r = delim_of('.');
	return item_of(wrap_delims(lx, l, in, r, st), RC_INNER);
}

/*
 * Environments: \begin{name} ... \end{name}, cells split by & and rows by
 * \\. They differ only in layout (delimiters, column alignment, spacing),
 * so one table sorted by name (strcmp order, checked by test_render and
 * searched by bsearch()) gives each its layout, and one function lays out
 * them all.
 */
struct env {
	const char	*name;
	int		 l, r;		/* delimiters */
	int		 align;		/* 'c' centre, 'l' left, 'a' r/l pairs */
	int		 sep;		/* cells between columns */
	int		 colspec;	/* a {column spec} follows \begin{..} */
};

static const struct env envs[] = {
	{ "Bmatrix",	'{', '}', 'c', 2, 0 },
	{ "Vmatrix",	'V', 'V', 'c', 2, 0 },
	{ "align",	'.', '.', 'a', 1, 0 },
	{ "align*",	'.', '.', 'a', 1, 0 },
	{ "alignat",	'.', '.', 'a', 1, 1 },
	{ "alignat*",	'.', '.', 'a', 1, 1 },
	{ "aligned",	'.', '.', 'a', 1, 0 },
	{ "array",	'.', '.', 'c', 2, 1 },
	{ "bmatrix",	'[', ']', 'c', 2, 0 },
	{ "cases",	'{', '.', 'l', 2, 0 },
	{ "dcases",	'{', '.', 'l', 2, 0 },
	{ "eqnarray",	'.', '.', 'a', 1, 0 },
	{ "eqnarray*",	'.', '.', 'a', 1, 0 },
	{ "equation",	'.', '.', 'c', 2, 0 },
	{ "equation*",	'.', '.', 'c', 2, 0 },
	{ "gather",	'.', '.', 'c', 2, 0 },
	{ "gather*",	'.', '.', 'c', 2, 0 },
	{ "gathered",	'.', '.', 'c', 2, 0 },
	{ "matrix",	'.', '.', 'c', 2, 0 },
	{ "multline",	'.', '.', 'c', 2, 0 },
	{ "multline*",	'.', '.', 'c', 2, 0 },
	{ "pmatrix",	'(', ')', 'c', 2, 0 },
	{ "smallmatrix", '.', '.', 'c', 1, 0 },
	{ "split",	'.', '.', 'a', 1, 0 },
	{ "vmatrix",	'|', '|', 'c', 2, 0 },
};

#define MAX_CELLS	256
#define MAX_COLS	64

/* A name in the source (not NUL-terminated), for bsearch(). */
struct src_name {
	const char	*s;
	size_t		 len;
};

static int
env_cmp(const void *key, const void *entry)
{
	const struct src_name *k = key;
	const char *name = ((const struct env *)entry)->name;
	size_t n = strlen(name);
	int c = memcmp(k->s, name, k->len < n ? k->len : n);

	/* strcmp's order, for a key that is not NUL-terminated. */
	return c != 0 ? c : (k->len > n) - (k->len < n);
}

/* The cells of an environment, row by row. */
struct env_cells {
	struct rbox	*cells;
	int		*crow;		/* each cell's row */
	int		 ncell, nrow, ncol;
};

/* An environment lemma does not know: its source up to \end{name}. */
static struct item
env_unknown(struct lx *lx, size_t a, size_t b, size_t cmd_off)
{
	char want[80];
	size_t e, i;

	if (b - a > 60)
		b = a + 60;
	memcpy(want, "\\end{", 5);
	memcpy(want + 5, S(lx) + a, b - a);
	want[5 + b - a] = '}';
	want[6 + b - a] = '\0';
	e = lx->end;
	for (i = lx->pos; i + strlen(want) <= lx->end; i++)
		if (memcmp(S(lx) + i, want, strlen(want)) == 0) {
			e = i + strlen(want);
			break;
		}
	lx->pos = e;
	return item_of(verbatim_src(lx, cmd_off - 1, e), RC_ORD);
}

/* Read cells up to \end{..} (at most MAX_CELLS kept); a trailing \\ does
 * not make an empty last row. */
static void
env_read(struct lx *lx, struct env_cells *g)
{
	struct ltok t;
	size_t a, b;
	int col = 0, top = lx->top;

	g->cells = xreallocarray(NULL, MAX_CELLS, sizeof *g->cells);
	g->crow = xreallocarray(NULL, MAX_CELLS, sizeof *g->crow);
	g->ncell = g->ncol = 0;
	g->nrow = 1;
	lx->top = 0;
	for (;;) {
		struct rbox cell = parse_seq(lx, ST_CELL | ST_ROW | ST_END, NULL);

		if (g->ncell < MAX_CELLS) {
			g->cells[g->ncell] = cell;
			g->crow[g->ncell++] = g->nrow - 1;
		}
		col++;
		if (col > g->ncol)
			g->ncol = col;
		lx_peek(lx, &t);
		if (t.kind == LT_AMP) {
			lx_next(lx, &t);
			continue;
		}
		if (t.kind == LT_CSYM && t.cp == '\\') {
			lx_next(lx, &t);
			lx_peek(lx, &t);
			if (t.kind == LT_CHAR && t.cp == '[') {
				/* \\[2pt] */
				while (lx->pos < lx->end && S(lx)[lx->pos] != ']')
					lx->pos++;
				if (lx->pos < lx->end)
					lx->pos++;
			}
			g->nrow++;
			col = 0;
			continue;
		}
		if (tok_cmd(lx, &t, "end")) {
			lx_next(lx, &t);
			raw_group(lx, &a, &b);
		}
		break;
	}
	lx->top = top;
	if (g->ncell > 0 && g->crow[g->ncell - 1] == g->nrow - 1 &&
	    g->cells[g->ncell - 1].w == 0 && g->nrow > 1 &&
	    (g->ncell < 2 || g->crow[g->ncell - 2] != g->nrow - 1)) {
		g->ncell--;
		g->nrow--;
	}
	if (g->ncol > MAX_COLS)
		g->ncol = MAX_COLS;
}

/* Display math: a grid, each column as wide as its widest cell, in tall
 * delimiters. */
static struct item
env_grid(struct lx *lx, const struct env *env, const struct env_cells *g,
    unsigned st)
{
	struct rctx *c = lx->c;
	int cw[MAX_COLS] = { 0 }, i, rr, r, col, base = 0;
	struct rbox *rows;
	struct rbox grid;

	/* environment() lays out no empty grid: the middle row exists. */
	assert(g->ncell > 0 && g->nrow >= 1);
	rows = xreallocarray(NULL, (size_t)g->nrow, sizeof *rows);
	for (i = 0, col = 0, rr = 0; i < g->ncell; i++) {
		if (g->crow[i] != rr) {
			rr = g->crow[i];
			col = 0;
		}
		if (col < MAX_COLS && g->cells[i].w > cw[col])
			cw[col] = g->cells[i].w;
		col++;
	}
	for (r = 0, i = 0; r < g->nrow; r++) {
		struct rbox v[MAX_COLS];
		int gap[MAX_COLS];
		size_t n = 0;

		for (col = 0; i < g->ncell && g->crow[i] == r; i++, col++) {
			struct rbox pv[2];
			int pg[2] = { 0, 0 }, al, left;

			if (col >= MAX_COLS)
				continue;
			al = env->align == 'l' ? -1 : env->align == 'c' ? 0 :
			    col % 2 == 0 ? 1 : -1;
			left = al < 0 ? 0 : al == 0 ? (cw[col] - g->cells[i].w) /
			    2 : cw[col] - g->cells[i].w;
			gap[n] = (col == 0 ? 0 : env->align == 'a' && col % 2 ==
			    1 ? 1 : env->sep + (env->align == 'a' ? 1 : 0)) + left;
			/* Pad the cell to its column's width. */
			pv[0] = g->cells[i];
			pv[1] = box_empty(c);
			pg[1] = cw[col] - g->cells[i].w - left;
			v[n++] = hcat(lx, pv, pg, NULL, 2);
		}
		rows[r] = n > 0 ? hcat(lx, v, gap, NULL, n) : box_empty(c);
	}
	for (r = 0; r < (g->nrow - 1) / 2; r++)
		base += rows[r].h;
	base += rows[(g->nrow - 1) / 2].base;
	grid = vstack(lx, rows, (size_t)g->nrow, base, -1);
	free(rows);
	if (env->l == '.' && env->r == '.')
		return item_of(grid, RC_ORD);
	return item_of(wrap_delims(lx, delim_of(env->l), grid,
	    delim_of(env->r), st), RC_INNER);
}

/* Inline: [a, b; c, d]. */
static struct item
env_inline(struct lx *lx, const struct env *env, const struct env_cells *g,
    unsigned st)
{
	struct rbox *v = xreallocarray(NULL, (size_t)g->ncell * 2 + 2,
	    sizeof *v);
	size_t n = 0;
	int i, l = env->l == '.' ? '[' : env->l;
	int rr = env->r == '.' ? (env->l == '.' ? ']' : '.') : env->r;
	struct rbox out;

	if (env->align != 'c') {
		l = env->l;
		rr = env->r;
	}
	v[n++] = box_str(lx, lx->c->ascii ? delim_of(l)->a : delim_of(l)->u,
	    st);
	for (i = 0; i < g->ncell; i++) {
		if (i > 0)
			v[n++] = box_str(lx, g->crow[i] != g->crow[i - 1] ?
			    "; " : env->align == 'c' ? ", " : " ", st);
		v[n++] = g->cells[i];
	}
	v[n++] = box_str(lx, lx->c->ascii ? delim_of(rr)->a :
	    delim_of(rr)->u, st);
	out = hcat(lx, v, NULL, NULL, n);
	free(v);
	return item_of(out, RC_ORD);
}

static struct item
environment(struct lx *lx, size_t cmd_off)
{
	unsigned st = rc_style(lx->cnt) | RENDER_FORMULA;
	struct src_name key;
	const struct env *env;
	struct env_cells g;
	struct item it;
	size_t a, b;

	if (!raw_group(lx, &a, &b))
		return item_of(box_str(lx, "\\begin", st), RC_ORD);
	key.s = S(lx) + a;
	key.len = b - a;
	env = bsearch(&key, envs, sizeof envs / sizeof envs[0], sizeof envs[0],
	    env_cmp);
	if (env == NULL)
		return env_unknown(lx, a, b, cmd_off);
	if (env->colspec)
		raw_group(lx, &a, &b);
	env_read(lx, &g);
	if (g.ncell == 0)
		it = item_of(box_empty(lx->c), RC_ORD);
	else if (lx->display && !lx->compact)
		it = env_grid(lx, env, &g, st);
	else
		it = env_inline(lx, env, &g, st);
	free(g.cells);
	free(g.crow);
	return it;
}

/* Classes of characters typed as themselves. */
static int
char_class(uint32_t cp)
{
	static const uint32_t rel[] = { '=', '<', '>', ':', 0x2264, 0x2265,
	    0x2260, 0x2248, 0x2261, 0x2192, 0x2190, 0x21D2, 0x21D4, 0x2208,
	    0x2209, 0x2282, 0x2286, 0x223C, 0x2194, 0x21A6, 0x221D };
	static const uint32_t bin[] = { '+', '-', '*', 0xB1, 0xD7, 0xF7, 0xB7,
	    0x2212, 0x2213, 0x2229, 0x222A, 0x2218, 0x2295, 0x2297 };
	size_t k;

	for (k = 0; k < sizeof rel / sizeof rel[0]; k++)
		if (cp == rel[k])
			return RC_REL;
	for (k = 0; k < sizeof bin / sizeof bin[0]; k++)
		if (cp == bin[k])
			return RC_BIN;
	switch (cp) {
	case ',':
	case ';':
		return RC_PUNCT;
	case '(':
	case '[':
		return RC_OPEN;
	case ')':
	case ']':
	case '!':
	case '?':
		return RC_CLOSE;
	case 0x3A3:
	case 0x3A0:
	case 0x2211:
	case 0x220F:
	case 0x222B:
		return RC_OP;
	}
	return RC_ORD;
}

/* Skip one {argument} without rendering it (\color{red}). */
static void
skip_group(struct lx *lx)
{
	size_t a, b;

	raw_group(lx, &a, &b);
}

/* A command lemma does not know: as written, with its {arguments}. */
static struct item
unknown_command(struct lx *lx, const struct ltok *t)
{
	unsigned st = t->style;
	struct rbox v[16];
	struct item it;
	size_t k = 0;
	int guard = 0;

	v[k++] = box_src(lx, t->off - 1, t->len + 1, st);
	while (guard++ < 4 && k + 3 <= 16) {
		struct ltok nx;

		lx_peek(lx, &nx);
		if (nx.kind != LT_LBRACE || lx->pos >= lx->end ||
		    S(lx)[lx->pos] != '{')
			break;
		lx_next(lx, &nx);
		v[k++] = box_str(lx, "{", st);
		v[k++] = parse_seq(lx, ST_BRACE, NULL);
		lx_peek(lx, &nx);
		if (nx.kind == LT_RBRACE)
			lx_next(lx, &nx);
		v[k++] = box_str(lx, "}", st);
	}
	it = item_of(hcat(lx, v, NULL, NULL, k), RC_ORD);
	it.alpha_l = 0;
	it.alpha_r = k == 1;
	return it;
}

/*
 * Commands with a meaning of their own, one handler each, in a table
 * sorted by name (strcmp order, checked by test_render) and searched by
 * bsearch(), as tmux's cmd_entry tables. A command not in it is a symbol
 * (render-tables.c), or unknown and shown as written.
 */

/* A command being read: its name (truncated to 31 bytes: no name in the
 * table is that long), token, style, and the table entry's argument. */
struct cmd_call {
	const struct ltok	*t;
	const char		*name;
	size_t			 n;		/* strlen(name) */
	unsigned		 st;
	int			 arg;
};

struct cmd_entry {
	const char	*name;
	/* Fill *out and return 1; or return 0 to treat the command as a
	 * symbol after all. */
	int		(*fn)(struct lx *, const struct cmd_call *,
			    struct item *);
	int		 arg;
};

/* \frac and friends (arg 0), \binom and friends (arg 1). */
static int
cmd_frac(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	*out = frac(lx, k->arg);
	return 1;
}

static int
cmd_sqrt(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	(void)k;
	*out = sqrt_(lx);
	return 1;
}

/* \hat, \vec...: arg is the ACC_* accent. */
static int
cmd_accent(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	*out = accent(lx, k->arg, k->name);
	return 1;
}

static int
cmd_underline(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	(void)k;
	*out = item_of(parse_arg(lx), RC_ORD);
	box_style(lx, out->b, RENDER_UNDERLINE);
	return 1;
}

/* \mathbb ('b'), \mathcal ('c'), \mathfrak ('f'). */
static int
cmd_letterlike(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	*out = letterlike(lx, k->arg);
	return 1;
}

/* \mathbf, \mathit, \boxed...: the argument in style arg (0: as it is). */
static int
cmd_math_style(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	*out = item_of(parse_arg(lx), RC_ORD);
	box_style(lx, out->b, (unsigned)k->arg);
	return 1;
}

/* \text, \textbf, \emph...: the argument as text in style arg. */
static int
cmd_text(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	size_t a, b;

	if (!raw_group(lx, &a, &b)) {
		*out = item_of(parse_arg(lx), RC_ORD);
		return 1;
	}
	*out = item_of(rawtext(lx, a, b, (unsigned)k->arg), RC_ORD);
	out->alpha_l = first_last_alpha(lx, out->b, 0);
	out->alpha_r = first_last_alpha(lx, out->b, 1);
	return 1;
}

static int
cmd_operatorname(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	size_t a, b;
	int star = lx->pos < lx->end && S(lx)[lx->pos] == '*';

	(void)k;
	if (star)
		lx->pos++;
	if (!raw_group(lx, &a, &b)) {
		*out = item_of(parse_arg(lx), RC_OP);
		return 1;
	}
	*out = item_of(rawtext(lx, a, b, 0), RC_OP);
	out->limits = star;
	out->alpha_l = out->alpha_r = 1;
	out->word = 1;
	return 1;
}

static int
cmd_left(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	(void)k;
	*out = leftright(lx);
	return 1;
}

/* \right, \middle and \big, \Bigl, \biggr...: one delimiter, its class
 * from the name's last letter or from the delimiter. */
static int
cmd_delim(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	const struct delim *d = read_delim(lx);
	char last = k->name[k->n - 1];
	int cls = RC_ORD;

	if (d == NULL) {
		*out = item_of(box_empty(lx->c), RC_ORD);
		return 1;
	}
	if (last == 'l' || strchr("([{<cf", d->kind) != NULL)
		cls = RC_OPEN;
	if (last == 'r' || strchr(")]}>CF", d->kind) != NULL)
		cls = RC_CLOSE;
	if (last == 'm')
		cls = RC_REL;
	if (strcmp(k->name, "middle") == 0 || d->kind == '|' || d->kind == 'V')
		cls = last == 'l' ? RC_OPEN : last == 'r' ? RC_CLOSE : RC_ORD;
	*out = item_of(box_str(lx, lx->c->ascii ? d->a : d->u, k->st), cls);
	return 1;
}

static int
cmd_begin(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	*out = environment(lx, k->t->off);
	return 1;
}

/* What produces nothing: \end (its group read), \displaystyle, \label
 * and \color (arg 1: with their group, dropped: a card must not change
 * colours). */
static int
cmd_nothing(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	if (k->arg)
		skip_group(lx);
	*out = item_of(box_empty(lx->c), RC_ORD);
	out->skip = 1;
	return 1;
}

/* \textcolor{red}{x}, \colorbox{red}{x}: x, without the colour. */
static int
cmd_colored(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	(void)k;
	skip_group(lx);
	*out = item_of(parse_arg(lx), RC_ORD);
	return 1;
}

/* \bmod, \mod (arg 0): "mod"; \pmod{n} (arg 1): "(mod n)". */
static int
cmd_mod(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	struct rbox v[3];

	if (!k->arg) {
		*out = item_of(box_str(lx, "mod", k->st), RC_BIN);
		return 1;
	}
	v[0] = box_str(lx, "(mod ", k->st);
	v[1] = parse_arg(lx);
	v[2] = box_str(lx, ")", k->st);
	*out = item_of(hcat(lx, v, NULL, NULL, 3), RC_ORD);
	out->gap = 1;
	return 1;
}

/* \overset, \stackrel (arg 0) and \underset (arg 1). */
static int
cmd_overset(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	struct rbox top = script_arg(lx), base = parse_arg(lx);
	struct item b = item_of(base, box_all(lx, base, cp_plain) ?
	    RC_ORD : RC_REL);
	struct rbox m, v[2];
	int under = k->arg;

	if (lx->display && !lx->compact) {
		v[0] = under ? base : top;
		v[1] = under ? top : base;
		b.b = vstack(lx, v, 2, under ? 0 : top.h, 0);
		*out = b;
		return 1;
	}
	if (map_box(lx, top, !under, &m))
		b.b = hcat2(lx, base, m);
	else {
		int fb;

		b.b = hcat2(lx, base, linear_script(lx, top, !under, k->st,
		    &fb));
	}
	*out = b;
	return 1;
}

/* \not= \not\in \not\subset; any other \not is the symbol. */
static int
cmd_not(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	static const struct {
		const char	*next;		/* a command, or "=" */
		const char	*u, *a;
	} negs[] = {
		{ "=", "≠", "!=" },
		{ "in", "∉", "notin" },
		{ "subset", "⊄", "!subset" },
	};
	struct ltok nx;

	lx_peek(lx, &nx);
	for (size_t i = 0; i < sizeof negs / sizeof negs[0]; i++) {
		if (i == 0 ? !(nx.kind == LT_CHAR && nx.cp == '=') :
		    !tok_cmd(lx, &nx, negs[i].next))
			continue;
		lx_next(lx, &nx);
		*out = item_of(box_str(lx, lx->c->ascii ? negs[i].a :
		    negs[i].u, k->st), RC_REL);
		return 1;
	}
	return 0;
}

static int
cmd_quad(struct lx *lx, const struct cmd_call *k, struct item *out)
{
	(void)k;
	*out = item_of(box_empty(lx->c), RC_ORD);
	return 1;
}

static const struct cmd_entry cmds[] = {
	{ "Bbb",		cmd_letterlike,	'b' },
	{ "acute",		cmd_accent,	ACC_ACUTE },
	{ "allowbreak",		cmd_nothing,	0 },
	{ "bar",		cmd_accent,	ACC_BAR },
	{ "begin",		cmd_begin,	0 },
	{ "binom",		cmd_frac,	1 },
	{ "bm",			cmd_math_style,	RENDER_BOLD },
	{ "bmod",		cmd_mod,	0 },
	{ "boldsymbol",		cmd_math_style,	RENDER_BOLD },
	{ "boxed",		cmd_math_style,	0 },
	{ "breve",		cmd_accent,	ACC_BREVE },
	{ "cfrac",		cmd_frac,	0 },
	{ "check",		cmd_accent,	ACC_CHECK },
	{ "color",		cmd_nothing,	1 },
	{ "colorbox",		cmd_colored,	0 },
	{ "dbinom",		cmd_frac,	1 },
	{ "ddot",		cmd_accent,	ACC_DDOT },
	{ "dfrac",		cmd_frac,	0 },
	{ "displaystyle",	cmd_nothing,	0 },
	{ "dot",		cmd_accent,	ACC_DOT },
	{ "emph",		cmd_text,	RENDER_ITALIC },
	{ "end",		cmd_nothing,	1 },
	{ "frac",		cmd_frac,	0 },
	{ "grave",		cmd_accent,	ACC_GRAVE },
	{ "hat",		cmd_accent,	ACC_HAT },
	{ "hbox",		cmd_text,	0 },
	{ "hphantom",		cmd_nothing,	1 },
	{ "label",		cmd_nothing,	1 },
	{ "left",		cmd_left,	0 },
	{ "limits",		cmd_nothing,	0 },
	{ "mathbb",		cmd_letterlike,	'b' },
	{ "mathbf",		cmd_math_style,	RENDER_BOLD },
	{ "mathcal",		cmd_letterlike,	'c' },
	{ "mathfrak",		cmd_letterlike,	'f' },
	{ "mathit",		cmd_math_style,	RENDER_ITALIC },
	{ "mathnormal",		cmd_math_style,	0 },
	{ "mathring",		cmd_accent,	ACC_RING },
	{ "mathrm",		cmd_math_style,	0 },
	{ "mathscr",		cmd_letterlike,	'c' },
	{ "mathsf",		cmd_math_style,	0 },
	{ "mathtt",		cmd_math_style,	RENDER_CODE },
	{ "mbox",		cmd_text,	0 },
	{ "middle",		cmd_delim,	0 },
	{ "mod",		cmd_mod,	0 },
	{ "nolimits",		cmd_nothing,	0 },
	{ "nonumber",		cmd_nothing,	0 },
	{ "not",		cmd_not,	0 },
	{ "notag",		cmd_nothing,	0 },
	{ "operatorname",	cmd_operatorname, 0 },
	{ "overbrace",		cmd_math_style,	0 },
	{ "overline",		cmd_accent,	ACC_OVERLINE },
	{ "overrightarrow",	cmd_accent,	ACC_VEC },
	{ "overset",		cmd_overset,	0 },
	{ "phantom",		cmd_nothing,	1 },
	{ "pmod",		cmd_mod,	1 },
	{ "qquad",		cmd_quad,	0 },
	{ "quad",		cmd_quad,	0 },
	{ "right",		cmd_delim,	0 },
	{ "scriptscriptstyle",	cmd_nothing,	0 },
	{ "scriptstyle",	cmd_nothing,	0 },
	{ "sqrt",		cmd_sqrt,	0 },
	{ "stackrel",		cmd_overset,	0 },
	{ "strut",		cmd_nothing,	0 },
	{ "tag",		cmd_nothing,	1 },
	{ "tbinom",		cmd_frac,	1 },
	{ "text",		cmd_text,	0 },
	{ "textbf",		cmd_text,	RENDER_BOLD },
	{ "textcolor",		cmd_colored,	0 },
	{ "textit",		cmd_text,	RENDER_ITALIC },
	{ "textnormal",		cmd_text,	0 },
	{ "textrm",		cmd_text,	0 },
	{ "textsf",		cmd_text,	0 },
	{ "textsl",		cmd_text,	RENDER_ITALIC },
	{ "textstyle",		cmd_nothing,	0 },
	{ "texttt",		cmd_text,	RENDER_CODE },
	{ "textup",		cmd_text,	0 },
	{ "tfrac",		cmd_frac,	0 },
	{ "tilde",		cmd_accent,	ACC_TILDE },
	{ "underbrace",		cmd_math_style,	0 },
	{ "underline",		cmd_underline,	0 },
	{ "underset",		cmd_overset,	1 },
	{ "vec",		cmd_accent,	ACC_VEC },
	{ "vphantom",		cmd_nothing,	1 },
	{ "widebar",		cmd_accent,	ACC_OVERLINE },
	{ "widehat",		cmd_accent,	ACC_HAT },
	{ "widetilde",		cmd_accent,	ACC_TILDE },
};

/* \big, \Bigl, \biggr...: every name that starts so and is not above. */
static const struct cmd_entry cmd_big = { "big", cmd_delim, 0 };

static int
cmd_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct cmd_entry *)entry)->name);
}

static const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *c = bsearch(name, cmds, sizeof cmds /
	    sizeof cmds[0], sizeof cmds[0], cmd_cmp);

	if (c == NULL && (strncmp(name, "big", 3) == 0 ||
	    strncmp(name, "Big", 3) == 0))
		c = &cmd_big;
	return c;
}

static struct item
command(struct lx *lx, struct ltok *t)
{
	const char *s = S(lx) + t->off;
	const struct render_sym *sym;
	const struct cmd_entry *ce;
	struct cmd_call call;
	struct item it;
	char name[32];
	size_t n = t->len;
	int asc = lx->c->ascii;

	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, s, n);
	name[n] = '\0';
	if ((ce = cmd_find(name)) != NULL) {
		call.t = t;
		call.name = name;
		call.n = n;
		call.st = t->style;
		call.arg = ce->arg;
		if (ce->fn(lx, &call, &it))
			return it;
	}
	sym = rm_sym(s, t->len);
	if (sym != NULL) {
		it = item_of(box_str(lx, asc ? sym->a : sym->u, t->style),
		    sym->cls);
		it.limits = (sym->flags & SYM_LIMITS) != 0;
		it.word = asc && (sym->flags & SYM_WORD);
		it.alpha_l = lx_alpha((asc ? sym->a : sym->u)[0]);
		it.alpha_r = it.alpha_l;
		/* A symbol letter (θ, ℓ) keeps its distance from a linear
		 * script before it, as a Latin one does: "∇_θ ℓ_n". */
		if (!asc && sym->cls == RC_ORD &&
		    (unsigned char)sym->u[0] >= 0x80)
			it.sym_letter = 1;
		return it;
	}
	return unknown_command(lx, t);
}

static struct item
parse_atom(struct lx *lx, struct ltok *t)
{
	struct item it;
	int asc = lx->c->ascii;

	memset(&it, 0, sizeof it);
	switch (t->kind) {
	case LT_VERB:
		return item_of(box_src(lx, t->off, t->len, t->style), RC_ORD);
	case LT_LBRACE:
		if (lx->depth > MAX_DEPTH) {
			/* Too deep: the rest of the group as written. */
			size_t a = t->off, i;
			int d = 0;

			for (i = a; i < lx->end; i++) {
				if (S(lx)[i] == '{')
					d++;
				else if (S(lx)[i] == '}' && --d == 0)
					break;
			}
			lx->pos = i < lx->end ? i + 1 : lx->end;
			return item_of(verbatim_src(lx, a, lx->pos), RC_ORD);
		}
		{
			struct ltok e;
			int top = lx->top;

			lx->top = 0;
			it = item_of(parse_seq(lx, ST_BRACE, NULL), RC_ORD);
			lx->top = top;
			lx_peek(lx, &e);
			if (e.kind == LT_RBRACE)
				lx_next(lx, &e);
			return it;
		}
	case LT_RBRACE:
		return item_of(box_str(lx, "}", t->style), RC_CLOSE);
	case LT_CSYM:
		switch (t->cp) {
		case '{':
			return item_of(box_str(lx, "{", t->style), RC_OPEN);
		case '}':
			return item_of(box_str(lx, "}", t->style), RC_CLOSE);
		case '|':
			return item_of(box_str(lx, asc ? "||" : "‖", t->style),
			    RC_ORD);
		case '#': case '$': case '%': case '&': case '_':
			return item_of(box_src(lx, t->off, 1, t->style), RC_ORD);
		case '\\':
			it = item_of(box_empty(lx->c), RC_ORD);
			it.skip = 1;
			return it;
		}
		return item_of(box_src(lx, t->off - 1, t->len + 1, t->style),
		    RC_ORD);
	case LT_CMD:
		return command(lx, t);
	case LT_CHAR:
		it.cls = char_class(t->cp);
		if (t->cp == '-')
			it.b = box_str(lx, asc ? "-" : "−", t->style);
		else if (t->cp == '\'')
			it.b = box_str(lx, asc ? "'" : "′", t->style);
		else
			it.b = box_src(lx, t->off, t->len, t->style);
		it.alpha_l = it.alpha_r = t->cp < 0x80 && lx_alpha((char)t->cp);
		return it;
	}
	return item_of(box_empty(lx->c), RC_ORD);
}

static struct rbox
parse_arg(struct lx *lx)
{
	struct ltok t;
	struct item it;

	lx_peek(lx, &t);
	if (t.kind == LT_END || t.kind == LT_RBRACE || t.kind == LT_AMP)
		return box_empty(lx->c);
	if (t.kind == LT_SUP || t.kind == LT_SUB)
		return box_empty(lx->c);
	lx_next(lx, &t);
	lx->depth++;
	it = parse_atom(lx, &t);
	lx->depth--;
	return it.b;
}

/* TeX's inter-atom spacing: 0 none, 1 a cell (medium and thick spaces,
 * and the thin space after an operator or a comma). */
static const int8_t gaptab[8][8] = {
	/*	  ORD OP BIN REL OPEN CLOSE PUNCT INNER */
	/* ORD */ { 0, 1, 1, 1, 0, 0, 0, 0 },
	/* OP  */ { 1, 1, 0, 1, 0, 0, 0, 1 },
	/* BIN */ { 1, 1, 0, 0, 1, 0, 0, 1 },
	/* REL */ { 1, 1, 0, 0, 1, 0, 0, 1 },
	/* OPN */ { 0, 0, 0, 0, 0, 0, 0, 0 },
	/* CLS */ { 0, 1, 1, 1, 0, 0, 0, 0 },
	/* PCT */ { 1, 1, 0, 1, 1, 1, 1, 1 },
	/* INR */ { 0, 1, 1, 1, 0, 0, 1, 0 },
};

static int
explicit_space(struct lx *lx, const struct ltok *t)
{
	if (t->kind == LT_CSYM)
		switch (t->cp) {
		case ',': case ':': case ';': case ' ': case '>':
			return 1;
		case '!':
			return 0;
		}
	if (t->kind == LT_CHAR && t->cp == '~')
		return 1;
	if (tok_cmd(lx, t, "quad"))
		return 2;
	if (tok_cmd(lx, t, "qquad"))
		return 4;
	if (tok_cmd(lx, t, "enspace") || tok_cmd(lx, t, "thinspace") ||
	    tok_cmd(lx, t, "medspace") || tok_cmd(lx, t, "thickspace") ||
	    tok_cmd(lx, t, "space"))
		return 1;
	return -1;
}

static struct rbox
parse_seq(struct lx *lx, int stops, int *stopped)
{
	struct item stackbuf[16], *it = stackbuf;
	size_t n = 0, cap = 16, k;
	int pend = 0, guard = 0;
	struct rbox out, *bv;
	int *gap, *brk;

	if (stopped != NULL)
		*stopped = 0;
	if (++lx->depth > MAX_DEPTH + 8) {
		lx->depth--;
		lx->pos = lx->end;
		return box_empty(lx->c);
	}
	for (;;) {
		struct ltok t;
		struct item one;
		int sp;

		lx_peek(lx, &t);
		if (t.kind == LT_END || guard++ > 100000)
			break;
		if (t.kind == LT_RBRACE && (stops & ST_BRACE))
			break;
		if (t.kind == LT_AMP && (stops & ST_CELL))
			break;
		if (t.kind == LT_CSYM && t.cp == '\\' && (stops & ST_ROW)) {
			if (stopped != NULL)
				*stopped = ST_ROW;
			break;
		}
		if (t.kind == LT_CHAR && t.cp == ']' && (stops & ST_BRACKET))
			break;
		if (tok_cmd(lx, &t, "right") && (stops & ST_RIGHT))
			break;
		if (tok_cmd(lx, &t, "end") && (stops & ST_END))
			break;
		if (t.kind == LT_SUP || t.kind == LT_SUB) {
			one = item_of(box_empty(lx->c), RC_ORD);
		} else {
			lx_next(lx, &t);
			if (t.kind == LT_AMP)
				continue;
			if ((sp = explicit_space(lx, &t)) >= 0) {
				pend += sp;
				continue;
			}
			one = parse_atom(lx, &t);
			if (one.skip)
				continue;
		}
		parse_scripts(lx, &one);
		one.gap += pend;
		pend = 0;
		if (n == cap) {
			cap = vec_cap_for(cap, n + 1, cap);
			if (it == stackbuf) {
				it = xreallocarray(NULL, cap, sizeof *it);
				memcpy(it, stackbuf, sizeof stackbuf);
			} else
				it = xreallocarray(it, cap, sizeof *it);
		}
		it[n++] = one;
	}
	lx->depth--;
	if (n == 0) {
		if (it != stackbuf)
			free(it);
		return box_empty(lx->c);
	}
	/* A binary operator with nothing to its left is unary. */
	for (k = 0; k < n; k++) {
		int prev = k > 0 ? it[k - 1].cls : RC_NONE;

		if (it[k].cls == RC_BIN && (prev == RC_NONE || prev == RC_OP ||
		    prev == RC_BIN || prev == RC_REL || prev == RC_OPEN ||
		    prev == RC_PUNCT))
			it[k].cls = RC_ORD;
		if (k > 0 && it[k - 1].cls == RC_BIN && (it[k].cls == RC_REL ||
		    it[k].cls == RC_CLOSE || it[k].cls == RC_PUNCT))
			it[k - 1].cls = RC_ORD;
	}
	if (it[n - 1].cls == RC_BIN)
		it[n - 1].cls = RC_ORD;
	bv = xreallocarray(NULL, n, sizeof *bv);
	gap = xreallocarray(NULL, n, sizeof *gap);
	brk = xreallocarray(NULL, n, sizeof *brk);
	for (k = 0; k < n; k++) {
		int g = 0, pc = k > 0 ? it[k - 1].cls : RC_NONE;

		bv[k] = it[k].b;
		brk[k] = 0;
		if (k > 0 && !lx->compact) {
			g = gaptab[pc][it[k].cls];
			/* After a linear script: "lim_(n→∞) (1 + 1/n)",
			 * "∇_θ J(θ)". */
			if (it[k - 1].fb == 2 && pc == RC_OP &&
			    (it[k].cls == RC_ORD || it[k].cls == RC_OPEN ||
			    it[k].cls == RC_OP || it[k].cls == RC_INNER))
				g = g < 1 ? 1 : g;
			if (it[k - 1].fb != 0 && it[k].cls == RC_ORD &&
			    (it[k].alpha_l || it[k].sym_letter))
				g = g < 1 ? 1 : g;
			if ((it[k - 1].b.h > 1 || it[k].b.h > 1) && g == 0 &&
			    pc != RC_OPEN && it[k].cls != RC_CLOSE &&
			    it[k].cls != RC_PUNCT)
				g = 1;
			if (lx->top && g > 0 && (pc == RC_REL || pc == RC_BIN ||
			    pc == RC_PUNCT))
				brk[k] = 1;
		}
		/* ASCII: "alpha in S", not "alphainS". */
		if (k > 0 && g == 0 && it[k - 1].alpha_r && it[k].alpha_l &&
		    (it[k - 1].word || it[k].word))
			g = 1;
		g += k > 0 ? it[k].gap : 0;
		gap[k] = g;
	}
	out = hcat(lx, bv, gap, brk, n);
	free(bv);
	free(gap);
	free(brk);
	if (it != stackbuf)
		free(it);
	return out;
}

/* ---- a formula ----------------------------------------------------------------- */

static struct rbox
formula(struct rctx *c, size_t a, size_t b, int display, unsigned cnt[NSTYLE],
    int force_sub, int force_sup, int *need_sub, int *need_sup)
{
	struct lx lx;
	struct rbox rows[64], out;
	int nrow = 0, stopped;

	memset(&lx, 0, sizeof lx);
	lx.c = c;
	lx.pos = a;
	lx.end = b;
	memcpy(lx.cnt, cnt, sizeof lx.cnt);
	lx.display = display;
	lx.top = 1;
	lx.force_sub = force_sub;
	lx.force_sup = force_sup;
	for (;;) {
		struct ltok t;
		struct rbox r = parse_seq(&lx, ST_ROW | ST_BRACE * 0, &stopped);

		if (nrow < 64)
			rows[nrow++] = r;
		lx_peek(&lx, &t);
		if (t.kind == LT_CSYM && t.cp == '\\') {
			lx_next(&lx, &t);
			continue;
		}
		if (t.kind == LT_END)
			break;
		/* A stray closing brace: show it and go on. */
		lx_next(&lx, &t);
		if (nrow < 64)
			rows[nrow++] = box_str(&lx, "}", t.style);
	}
	if (nrow == 1)
		out = rows[0];
	else if (display)
		out = vstack(&lx, rows, (size_t)nrow, 0, 0);
	else {
		int gap[64], i;

		for (i = 0; i < nrow; i++)
			gap[i] = i > 0 ? 2 : 0;
		out = hcat(&lx, rows, gap, NULL, (size_t)nrow);
	}
	*need_sub = lx.sub_fb && lx.sub_map;
	*need_sup = lx.sup_fb && lx.sup_map;
	return out;
}

static struct rbox
formula_consistent(struct rctx *c, size_t a, size_t b, int display,
    unsigned cnt[NSTYLE])
{
	size_t br0 = c->br.n, rows0 = c->nrows;
	int fsub = 0, fsup = 0, nsub, nsup, pass;
	struct rbox out;

	for (pass = 0; ; pass++) {
		c->br.n = br0;
		c->nrows = rows0;
		out = formula(c, a, b, display, cnt, fsub, fsup, &nsub, &nsup);
		if (pass == 3 || !((nsub && !fsub) || (nsup && !fsup)))
			break;
		fsub |= nsub;
		fsup |= nsup;
	}
	return out;
}

void
rl_formula(struct rctx *c, size_t a, size_t b, int display,
    unsigned cnt[NSTYLE])
{
	struct rbox box;
	uint32_t k;
	int r;

	if (c->o->flags & RENDER_ONELINE)
		display = 0;
	box = formula_consistent(c, a, b, display, cnt);
	if (box.w == 0 && box.h == 1)
		return;
	if (display && c->width > 0 && box.w > c->width) {
		struct rrun mk = { 0, 0, 0, 0, RK_DLIN_B, 0 };

		box = formula_consistent(c, a, b, 0, cnt);
		rc_push(&c->out, &mk);
		for (r = 0; r < box.h; r++) {
			struct rrow row = c->rows[box.row0 + r];

			for (k = 0; k < row.n; k++) {
				struct rrun run = c->br.v[row.first + k];

				rc_push(&c->out, &run);
			}
		}
		mk.kind = RK_DLIN_E;
		rc_push(&c->out, &mk);
		return;
	}
	if (display) {
		struct rrun mk = { 0, 0, 0, 0, RK_DISPLAY, 0 };

		VEC_RESERVE(c->boxes, c->capboxes, c->nboxes + 1, 4);
		mk.off = (uint32_t)c->nboxes;
		c->boxes[c->nboxes++] = box;
		rc_push(&c->out, &mk);
		return;
	}
	for (r = 0; r < box.h; r++) {
		struct rrow row = c->rows[box.row0 + r];

		if (r > 0)
			rc_break(c, &c->out);
		for (k = 0; k < row.n; k++) {
			struct rrun run = c->br.v[row.first + k];

			rc_push(&c->out, &run);
		}
	}
}

const char *
rl_tables_unsorted(void)
{
	for (size_t i = 1; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(cmds[i - 1].name, cmds[i].name) >= 0)
			return cmds[i].name;
	for (size_t i = 1; i < sizeof envs / sizeof envs[0]; i++)
		if (strcmp(envs[i - 1].name, envs[i].name) >= 0)
			return envs[i].name;
	return NULL;
}
