/*
 * render-int.h - private to src/render/render*.c.
 *
 * The renderer works in four passes over one field:
 *   render-prep.c   HTML subset, entities, control characters, invalid
 *                   UTF-8, cloze deletions -> a "prepared" UTF-8 text with
 *                   in-band markers (below) in ctx->pool;
 *   render.c        splits that text into code spans, math delimiters and
 *                   prose, and hands each to
 *   render-math.c   plain-text formulas in prose (a tokenizer, not string
 *                   replacement) and
 *   render-latex.c  LaTeX between \( \) \[ \] $ $ $$ $$ (recursive descent
 *                   over boxes);
 *   render.c        then wraps the resulting runs into struct render_doc.
 * All of them append runs through render-runs.c (rc_*), which calls none
 * of them.
 * Everything lives in one struct rctx and its arenas, freed at the end.
 */
#ifndef LEMMA_RENDER_INT_H
#define LEMMA_RENDER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/xmalloc.h"
#include "lemma/render/render.h"

/*
 * In-band markers in the prepared text. Real control bytes from the card
 * never reach it (prep replaces them), so these cannot be forged by a card.
 *   MK_ON  x   style bit (x - MK_BIT0) switched on  (counted, so misnested
 *   MK_OFF x   style bit switched off                 HTML stays sane)
 *   MK_VB ... MK_VE   verbatim text: shown as is, never parsed as a formula
 *                     (cloze placeholders, control-character pictures)
 */
#define MK_ON	'\x01'
#define MK_OFF	'\x02'
#define MK_VB	'\x03'
#define MK_VE	'\x04'
#define MK_BIT0	0x40
#define NSTYLE	8

/* Atom classes, as TeX's (ord, op, bin, rel, open, close, punct, inner). */
enum rclass {
	RC_ORD, RC_OP, RC_BIN, RC_REL, RC_OPEN, RC_CLOSE, RC_PUNCT, RC_INNER,
	RC_NONE
};

#define SYM_GREEK	0x01	/* a Greek letter name */
#define SYM_LIMITS	0x02	/* big operator: limits stacked in display */
#define SYM_WORD	0x04	/* the ASCII spelling is a word */

struct render_sym {
	const char	*name;		/* LaTeX name without the backslash */
	const char	*u;		/* UTF-8 profile */
	const char	*a;		/* ASCII profile */
	uint8_t		 cls;		/* enum rclass */
	uint8_t		 flags;		/* SYM_* */
};

struct render_range {
	uint32_t	 lo, hi;
};

enum { ACC_HAT, ACC_BAR, ACC_TILDE, ACC_DOT, ACC_DDOT, ACC_ACUTE, ACC_GRAVE,
	ACC_CHECK, ACC_BREVE, ACC_RING, ACC_VEC, ACC_OVERLINE, ACC_NONE };

struct render_accent {
	uint8_t		 acc;
	char		 base;
	const char	*u;
};

struct render_translit {
	uint32_t	 cp;
	const char	*a;
};

extern const struct render_sym render_sym_tab[];
extern const size_t render_sym_tab_len;
extern const struct render_range render_zero_tab[], render_wide_tab[],
    render_bad_tab[];
extern const size_t render_zero_tab_len, render_wide_tab_len,
    render_bad_tab_len;
extern const struct render_accent render_accent_tab[];
extern const size_t render_accent_tab_len;
extern const struct render_translit render_translit_tab[];
extern const size_t render_translit_tab_len;

/* Kinds of run. */
enum {
	RK_TEXT,	/* glued text */
	RK_SPACE,	/* a breakable space: dropped where a line wraps */
	RK_BREAK,	/* hard line break */
	RK_DISPLAY,	/* display-math box ctx->boxes[off] on lines of its own */
	RK_DLIN_B,	/* begin/end of a display formula too wide for its box: */
	RK_DLIN_E,	/*   the runs between are wrapped and centred */
	RK_PLAIN	/* prose as typed, words and spaces: wrap cuts it */
};
#define RF_WIDE		0x01	/* a wide character: a line may break around it */

struct rrun {
	uint32_t	 off;		/* bytes in ctx->pool */
	uint32_t	 len;
	uint16_t	 w;		/* cells */
	uint16_t	 style;		/* RENDER_* style bits */
	uint8_t		 kind;		/* RK_* */
	uint8_t		 flags;		/* RF_* */
};

struct runv {
	struct rrun	*v;
	size_t		 n, cap;
	int		 nomerge;	/* box runs: never extend the last run */
};

/* A row of a box: runs br.v[first .. first+n), w cells. */
struct rrow {
	uint32_t	 first, n;
	int		 w;
};

/* A 2-D box (LaTeX): rows ctx->rows[row0 .. row0+h), baseline row base. */
struct rbox {
	int		 w, h, base;
	uint32_t	 row0;
};

struct rctx {
	const struct render_opts *o;
	int		 ascii;
	int		 width;
	struct buf	 pool;		/* 64 spaces, prepared text, glyphs */
	size_t		 text0, text1;	/* the prepared text in pool */
	struct runv	 out;		/* the document as a run stream */
	struct runv	 br;		/* box runs */
	struct rrow	*rows;
	size_t		 nrows, caprows;
	struct rbox	*boxes;		/* display boxes, for RK_DISPLAY */
	size_t		 nboxes, capboxes;
};

#define POOL_SPACES	64

/* render-width.c */
int		 rw_cp(uint32_t cp);		/* 0, 1, 2; -1 for "bad" */
int		 rw_is_zero(uint32_t cp);
uint32_t	 rw_decode(const char *s, size_t n, size_t *len);
const char	*rw_translit(uint32_t cp);

/* render-runs.c: the run stream and pool */
uint32_t	 rc_glyph(struct rctx *c, const char *s, size_t n);
void		 rc_push(struct runv *rv, const struct rrun *r);
void		 rc_text(struct rctx *c, struct runv *rv, const char *s, size_t n,
		    unsigned style);
void		 rc_src(struct rctx *c, struct runv *rv, size_t off, size_t n,
		    unsigned style, int kind);
void		 rc_run(struct rctx *c, struct runv *rv, uint32_t off, size_t n,
		    unsigned style, int kind);
void		 rc_break(struct rctx *c, struct runv *rv);
void		 rc_plain(struct rctx *c, struct runv *rv, size_t off, size_t n,
		    unsigned style);
unsigned	 rc_style(const unsigned cnt[NSTYLE]);
int		 rc_marker(const char *p, size_t n, unsigned cnt[NSTYLE],
		    size_t *used);

/* render-prep.c: text[0..len) -> prepared text appended to c->pool */
void		 rp_prepare(struct rctx *c, const char *text, size_t len);

/* render-math.c: prose in pool [a, b) -> runs appended to c->out */
void		 rm_prose(struct rctx *c, size_t a, size_t b, unsigned cnt[NSTYLE]);
const struct render_sym *rm_sym(const char *name, size_t n);
const char	*rm_sub(uint32_t cp);
const char	*rm_sup(uint32_t cp);
int		 rm_map(struct rctx *c, const struct runv *src, size_t a,
		    size_t b, int sup, struct runv *dst);

/* render-latex.c: LaTeX source in pool [a, b) -> runs or a display box */
void		 rl_formula(struct rctx *c, size_t a, size_t b, int display,
		    unsigned cnt[NSTYLE]);
/* NULL when the command and environment tables are in strcmp order with
 * no name twice (bsearch() needs it), else the first name out of place. */
const char	*rl_tables_unsorted(void);

#endif
