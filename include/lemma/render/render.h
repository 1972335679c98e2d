/*
 * render.h - a card field as styled, wrapped lines of terminal cells.
 *
 * Owns everything about turning stored card text into what a terminal shows:
 * the small HTML subset Anki fields carry, cloze deletions, code spans,
 * plain-text formulas ("sum_x p(x)" -> "Σₓ p(x)"), LaTeX between Anki's
 * delimiters, control-character neutralisation, display width and wrapping.
 * The card view, the browser and `lemma export --format text` all draw
 * through it, so a card looks the same everywhere.
 *
 * It must not include curses, read the locale or keep state between calls:
 * every decision (width, ASCII fallback, cloze, answer side) is a parameter
 * in struct render_opts, and every function is pure and reentrant.
 *
 * What a caller can rely on:
 * - Span text is valid UTF-8 with no C0/C1 control characters, no escape
 *   sequences and no bidi overrides, so it can go to waddnstr() as is. Such
 *   bytes in card text are shown as visible replacements (ESC as "␛",
 *   invalid UTF-8 as "�"; "^[" and "?" in the ASCII profile) with
 *   RENDER_ERROR set. A card is data: it cannot move the cursor, change
 *   colours, set the title or write to the clipboard.
 * - With opts.ascii set, span text is 7-bit ASCII: formulas use the ASCII
 *   spellings ("sum_x", "<=", "||") and other characters are transliterated
 *   ("—" -> "--", "é" -> "e") or shown as "?".
 * - Widths are counted with lemma's own table (combining marks 0 cells, East
 *   Asian wide characters 2), generated from glibc's wcwidth(); they do not
 *   depend on setlocale().
 *
 * Formula decisions, in short (the README and render-math.c say more):
 * a script that has no Unicode form is written linearly, "π_ref", "x_(i,j)",
 * and within one line (or one LaTeX formula) if one subscript must be linear
 * they all are ("y_w ... y_l"); superscripts likewise.
 * Inline \frac is "a/b", with parentheses around a part that has spaces or
 * operators; display math (\[ \], $$ $$) stacks fractions, big-operator
 * limits and matrices, and is centred.
 */
#ifndef LEMMA_RENDER_H
#define LEMMA_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/xmalloc.h"

/* Style bits on a span; the UI maps them to attributes. */
enum render_style {
	RENDER_BOLD	 = 0x01,	/* <b>, <strong>, \mathbf */
	RENDER_ITALIC	 = 0x02,	/* <i>, <em>, \mathit */
	RENDER_UNDERLINE = 0x04,	/* <u>, \underline */
	RENDER_CODE	 = 0x08,	/* `code`, <code>: shown verbatim */
	RENDER_FORMULA	 = 0x10,	/* a rendered formula or formula token */
	RENDER_CLOZE	 = 0x20,	/* the active cloze: "[...]" or its answer */
	RENDER_ERROR	 = 0x40	/* a replacement for a control or bad byte */
};

/* render_opts.flags */
#define RENDER_HTML	0x01	/* the field is HTML: honour <b> <i> <u> <code>
				   <br> <div> <p> and entities, drop other tags */
#define RENDER_NOMATH	0x02	/* no formula conversion at all (code cards) */
#define RENDER_ONELINE	0x04	/* line breaks become spaces, display math is
				   inline: one paragraph, e.g. a browser row */

struct render_opts {
	int		 width;		/* wrap at this many cells; <= 0: never */
	int		 ascii;		/* 1: ASCII profile (no UTF-8 locale) */
	int		 cloze;		/* active cloze number; 0: none */
	int		 reveal;	/* 1: answer side (fill the active cloze) */
	unsigned	 flags;		/* RENDER_HTML | RENDER_NOMATH | ... */
};

/* A run of text in one style. text is not NUL-terminated. */
struct render_span {
	const char	*text;
	size_t		 len;		/* bytes */
	int		 width;		/* cells */
	unsigned	 style;		/* enum render_style bits */
};

/* render_line.flags */
#define RENDER_LINE_DISPLAY	0x01	/* a line of display math (centred) */

struct render_line {
	const struct render_span *spans;
	size_t		 nspans;
	int		 indent;	/* blank cells before the first span */
	int		 width;		/* cells of the spans, without indent */
	unsigned	 flags;		/* RENDER_LINE_* */
};

struct render_doc;

/*
 * Render len bytes of card field text (any bytes: it need not be UTF-8 or
 * NUL-free) into wrapped lines. Never fails; free the result with
 * render_doc_free(). A line is never wider than o->width unless a single
 * character cluster is.
 */
struct render_doc	*render_field(const char *text, size_t len,
			    const struct render_opts *o);
void			 render_doc_free(struct render_doc *d);

/* Number of lines (0 for an empty field) and line i (i < count). */
size_t			 render_line_count(const struct render_doc *d);
const struct render_line *render_doc_line(const struct render_doc *d, size_t i);

/* Width in cells of the widest line, indent included. */
int			 render_doc_width(const struct render_doc *d);

/*
 * The whole document as one UTF-8 string, lines joined with '\n' (no
 * trailing newline), indents as spaces, no styles. Caller frees.
 */
char			*render_doc_text(const struct render_doc *d);

/* render_field + render_doc_text for a NUL-terminated field: for export
 * --format text, search output and tests. Caller frees. */
char			*render_plain(const char *text, const struct render_opts *o);

/*
 * Display width in cells of s[0..n), locale-independent. Combining marks and
 * other zero-width characters count 0, East Asian wide 2. Control characters
 * and invalid bytes count 1, the width of their visible replacement.
 */
int			 render_width(const char *s, size_t n);

/* Width of one code point: 0, 1 or 2 (-1 for one that is shown as "�"). */
int			 render_cp_width(uint32_t cp);

/*
 * What the full-screen program draws for code point cp of user text (as
 * utf8_decode gave it; ok = 0: invalid) and the cells it takes: termsafe's
 * stand-in, with its width from the renderer's table, so that a text
 * field, a list row and a rendered card count cells from the one source.
 * A code point the table does not know is U+FFFD ('?' with ascii), as on
 * a card. Returns 0 (draw nothing, 0 cells) or the code point to draw.
 */
uint32_t		 render_cell(uint32_t cp, int ok, int ascii, int *cells);

/*
 * The longest prefix of the UTF-8 string s[0..n) that fits in cols cells,
 * cut between character clusters (a base and its combining marks stay
 * together). Returns its length in bytes; *width (may be NULL) gets its
 * width. For clipping a browser row.
 */
size_t			 render_clip(const char *s, size_t n, int cols, int *width);

/*
 * The same for the string s as render_cell draws it one character at a
 * time (ascii: one cell a character), a wide character that would cross
 * the edge left out; *width gets the cells. For a line of text the
 * program writes itself: the progress line and panel.
 */
size_t			 render_clip_drawn(const char *s, int cols, int ascii,
			    int *width);

/*
 * 1 when the current LC_CTYPE codeset is UTF-8. For the caller to decide
 * render_opts.ascii once at start, after setlocale(LC_ALL, ""); the
 * renderer itself never looks at the locale.
 */
int			 render_locale_is_utf8(void);

/*
 * An image-occlusion cloze's text after "image-occlusion:" ("rect:left=
 * 10:top=20", "text:...:text=Paris") as what a terminal can show: "[image
 * occlusion: rect]", "[image occlusion: text: Paris]". Appended to out.
 */
void			 render_io_placeholder(const char *s, size_t n,
			    struct buf *out);

#endif
