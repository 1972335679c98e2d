/*
 * deckfile-int.h - private to the deckfile module (deckfile.c and its
 * deckfile-*.c): the reader's state, shared by the line cutting and format
 * decision (deckfile.c), the two formats (deckfile-anki.c,
 * deckfile-md.c) and the note built from a row (deckfile-note.c).
 */
#ifndef LEMMA_DECKFILE_INT_H
#define LEMMA_DECKFILE_INT_H

#include <stddef.h>

#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/deckfile.h"

/*
 * Limits that keep a hostile or broken file from costing unbounded memory.
 * A single line or row this long is no flash card; the usual cause is an
 * unterminated quote, so the error says where the quote opened.
 */
#define DECKFILE_LINE_MAX	(8u << 20)
#define DECKFILE_RECORD_MAX	(8u << 20)
#define DECKFILE_COLUMNS_MAX	1000u

/* Anki looks at this much text after the header lines to guess the
 * separator; a Markdown table must start within MD_LOOKAHEAD bytes. */
#define SEP_LOOKAHEAD		8192u
#define MD_LOOKAHEAD		65536u

/* Without #html:, Anki decides whether a file is HTML from its first rows
 * (its import preview): this many. */
#define HTML_PREVIEW_ROWS	5u

/* A row held back until the file's HTML flag is known. */
struct df_pending {
	struct buf	 rec;		/* the cells' bytes, NUL after each */
	struct cell	*cells;		/* .s: offsets into rec */
	size_t		 ncells;
	unsigned	 line;
	int		 plain;
};

/* What a column of a row is for. Field columns have role >= 0 (their
 * position among the field columns). */
enum {
	ROLE_TAGS = -1,
	ROLE_DECK = -2,
	ROLE_NOTETYPE = -3,
	ROLE_GUID = -4,
};

/* Anki record reader states. */
enum {
	Q_START,	/* at the start of a field */
	Q_PLAIN,	/* inside an unquoted field */
	Q_QUOTED,	/* inside a quoted field */
	Q_QUOTE,	/* just read a quote inside a quoted field */
};

/* One cell of a row, with where it starts. */
struct cell {
	const char	*s;
	size_t		 len;
	unsigned	 line, col;
};

struct deckfile {
	char			*path;
	enum deckfile_format	 fmt;		/* DECKFILE_AUTO until decided */
	struct deckfile_sink	 sink;
	void			(*warn)(void *arg, const struct err *w);
	void			*warn_arg;
	int			(*skip)(void *arg, const char *path,
				    unsigned line, const char *why,
				    struct err *e);
	void			*skip_arg;
	int			 dead;

	/* Cutting input into lines. */
	struct buf		 part;		/* an unfinished line */
	int			 cr_pending;	/* the last chunk ended in CR */
	unsigned		 lineno;	/* lines handled so far */

	/* Holding lines back until the format is decided. */
	int			 decided;
	struct buf		 held;		/* whole lines, '\n' after each */
	unsigned		 held_first;	/* number of the first held line */
	int			 look_head;	/* the lookahead is in the head */
	int			 look_hint;	/* a known header line was seen */
	int			 look_sep;	/* #separator: was given */
	int			 look_pipe;	/* last line was a pipe row */
	struct buf		 look_prev;	/* that line */
	int			 look_md;	/* a Markdown table was seen */
	size_t			 body_start;	/* offset in held of the body */
	char			 guessed_sep;
	enum deckfile_sep_how	 guessed_how;

	/* Anki text: the header. */
	int			 in_head;
	char			 sep;
	int			 sep_forced;
	int			 html;		/* -1: decide per note */
	char			*global_tags;
	char			*deck;
	enum deckfile_notetype	 notetype;
	char			*notetype_name;	/* #notetype: of the user's */
	unsigned		 notetype_line, notetype_col;
	char			*row_notetype;	/* the same from a column */
	enum deckfile_if_matches if_matches;
	char			*columns_raw;
	unsigned		 columns_line, columns_col;
	unsigned		 meta_col[4];	/* tags, deck, notetype, guid */
	unsigned		 meta_line[4];
	char			**labels;
	size_t			 nlabels;
	int			 plain_next;	/* "#lemma:plain" before a row */
	size_t			 ncols;		/* columns, fixed by #columns:
						 * or the first row; 0 before */
	struct df_pending	 pending[HTML_PREVIEW_ROWS];
	size_t			 npending;

	/* Anki text: the row being read. */
	int			 in_record;
	int			 qstate;
	struct buf		 rec;		/* field bytes, NUL after each */
	struct cell		*cells;
	size_t			 ncells, capcells;
	size_t			 field_off;	/* where the open field starts in rec */
	unsigned		 rec_line, quote_line, quote_col;

	/* Markdown. */
	int			 md_table;
	int			 md_pending;	/* md_prev may be a table header */
	struct buf		 md_prev;
	unsigned		 md_prev_line;
	char			*md_deck;
	enum deckfile_notetype	 md_notetype;
	size_t			 md_ncols;
	unsigned		 md_tables;	/* tables read */
	unsigned		 md_pipe_line;	/* the first pipe row, or 0 */

	/* Building a note. */
	struct buf		 nbuf;
	size_t			*noff;
	size_t			 capnoff;
	const char		**nfields;
	size_t			 capnfields;
	struct buf		 tagbuf;
	struct buf		 clean;		/* a name without unsafe chars */
};

/* ---- deckfile.c: helpers every part uses ---------------------------------- */

/* At most 40 characters of s for a message, control characters as \xNN. */
const char	*df_snip(char *out, size_t outlen, const char *s, size_t len);
/* Characters in valid UTF-8 s[0..n), and the 1-based column of byte off. */
size_t		 df_chars(const char *s, size_t n);
unsigned	 df_col_of(const char *line, size_t off);
int		 df_is_blank(char c);
/* Drop white space at both ends of *s. */
void		 df_trim(const char **s, size_t *len);
/* s[0..len) is word, ignoring ASCII case. */
int		 df_word_eq(const char *s, size_t len, const char *word);
/* A warning at line:col, through deckfile_set_warn's callback. */
void		 df_warn(struct deckfile *df, unsigned line, unsigned col,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A deck name or tags into df->clean without unsafe characters (warned). */
void		 df_clean_name(struct deckfile *df, const char *what,
		    const char *s, size_t len, unsigned line, unsigned col);
/* A deck name's levels, and whether its "::" parts are all non-empty. */
size_t		 df_deck_depth(const char *s, size_t len);
int		 df_deck_name_ok(const char *s, size_t len);

/* A row that is no note (an unknown note type): through deckfile_set_skip's
 * callback, else a warning. */
int		 df_skip(struct deckfile *df, unsigned line, const char *why,
		    struct err *e);

/* ---- deckfile-note.c: a row of cells to a note ---------------------------- */

struct df_row_meta {
	const char * const	*labels;	/* NULL or nlabels names */
	size_t			 nlabels;
	const unsigned		*meta_col;	/* tags, deck, notetype, guid */
	const char		*deck;
	enum deckfile_notetype	 notetype;
	const char		*notetype_name;
	unsigned		 notetype_line, notetype_col;
	const char		*tags;
	int			 html;
	int			 plain;
	enum deckfile_if_matches if_matches;
	/* Anki's tags column when the header names none: the first column
	 * after the note type's fields (only with a note type for the whole
	 * file). ncols: the file's column count. */
	int			 tags_after_fields;
	size_t			 ncols;
};

/* Map a row's cells to a note and hand it to the sink. */
int		 df_emit_row(struct deckfile *df, const struct cell *cells,
		    size_t ncells, unsigned line, const struct df_row_meta *m,
		    struct err *e);

/* ---- deckfile-anki.c: Anki text ------------------------------------------- */

enum df_head_kind {
	HEAD_NO,	/* not a header line: the head ends here */
	HEAD_TAGS,	/* the old first line "tags:..." */
	HEAD_COMMENT,	/* '#' and no known key */
	HEAD_KEY,	/* "#key:value" with a key Anki knows */
};
/* What kind of head line this is; *key the index of a known key (0 is
 * #separator:). first: the file's first line. */
enum df_head_kind df_anki_head_kind(const char *line, size_t len, int first,
		    int *key);
/* Whether a "#separator:" head line names a separator that is taken (an
 * ignored one leaves the separator to the guess). */
int		 df_anki_head_sep_ok(const char *line, size_t len);
/* The separator to use for a file whose head names none, from the start
 * of its body: Anki's guess, unless that splits the rows into different
 * widths and another candidate does not (deckfile.h). *how: guessed,
 * corrected or ambiguous. */
char		 df_anki_guess_separator(const char *body, size_t len,
		    enum deckfile_sep_how *how);
int		 df_anki_line(struct deckfile *df, const char *line,
		    size_t len, unsigned ln, struct err *e);
int		 df_anki_finish(struct deckfile *df, struct err *e);

/* ---- deckfile-md.c: Markdown tables --------------------------------------- */

/* A table row (optional indentation, then '|'), and a header row with its
 * delimiter row under it. */
int		 df_md_is_pipe_row(const char *line, size_t len);
int		 df_md_is_table_start(const char *head, size_t hlen,
		    const char *line, size_t len);
int		 df_md_line(struct deckfile *df, const char *line,
		    size_t len, unsigned ln, struct err *e);
int		 df_md_finish(struct deckfile *df, struct err *e);

#endif
