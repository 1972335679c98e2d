/*
 * deckfile-anki.c - Anki's text export: the head ("#separator:",
 * "#columns:", ...) and the rows, read as CSV with the separator given or
 * guessed, quoted fields running over line breaks.
 */
#include "config.h"

#include "lemma/formats/deckfile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deckfile-int.h"
#include "lemma/base/html.h"

static const struct {
	const char	*name;
	char		 c;
} separators[] = {
	/* Anki's order when it guesses: the first that occurs wins. */
	{ "tab",	'\t' },
	{ "pipe",	'|' },
	{ "semicolon",	';' },
	{ "colon",	':' },
	{ "comma",	',' },
	{ "space",	' ' },
};

/* ---- Anki text: the header --------------------------------------------------- */

static const char *const head_keys[] = {
	"separator", "html", "tags", "columns", "notetype", "deck",
	"tags column", "deck column", "notetype column", "guid column",
	"if matches", "match scope",
};

enum df_head_kind
df_anki_head_kind(const char *line, size_t len, int first, int *key)
{
	const char *colon, *k;
	size_t klen;

	if (first && len >= 5 && strncmp(line, "tags:", 5) == 0)
		return HEAD_TAGS;
	if (len == 0 || line[0] != '#')
		return HEAD_NO;
	if ((colon = memchr(line, ':', len)) == NULL)
		return HEAD_COMMENT;
	k = line + 1;
	klen = (size_t)(colon - k);
	df_trim(&k, &klen);
	for (size_t i = 0; i < sizeof head_keys / sizeof head_keys[0]; i++) {
		if (df_word_eq(k, klen, head_keys[i])) {
			*key = (int)i;
			return HEAD_KEY;
		}
	}
	return HEAD_COMMENT;
}

/* Parse "a<sep>b<sep>c" as one CSV record (for #columns:). */
static char **
split_record(const char *s, size_t len, char sep, size_t *n)
{
	char **v = NULL;
	size_t count = 0, cap = 0;
	struct buf f;
	size_t i = 0;

	buf_init(&f);
	for (;;) {
		buf_reset(&f);
		buf_add(&f, "", 0);
		if (i < len && s[i] == '"') {
			for (i++; i < len; i++) {
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						buf_addc(&f, '"');
						i++;
					} else {
						i++;
						break;
					}
				} else
					buf_addc(&f, s[i]);
			}
		}
		while (i < len && s[i] != sep)
			buf_addc(&f, s[i++]);
		VEC_RESERVE(v, cap, count + 1, 8);
		v[count++] = xstrdup(f.data);
		if (i >= len)
			break;
		i++;
	}
	buf_free(&f);
	*n = count;
	return v;
}

static int
parse_column_number(const char *s, size_t len, unsigned *out)
{
	unsigned long v = 0;

	df_trim(&s, &len);
	if (len == 0 || len > 4)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > DECKFILE_COLUMNS_MAX)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * Anki's trim of a header value that a spreadsheet round trip may have
 * suffixed with separators ("#separator:Pipe,,,,", "#html:true|||"): keep
 * the first character, then up to the first that is not an ASCII letter or
 * digit (a separator is never one, so "#separator:," stays ",").
 */
static void
anki_trim_value(const char **v, size_t *len)
{
	size_t i;

	if (*len == 0)
		return;
	/* The first character, which may be multibyte. */
	i = 1;
	while (i < *len && ((unsigned char)(*v)[i] & 0xC0) == 0x80)
		i++;
	while (i < *len && (((*v)[i] >= '0' && (*v)[i] <= '9') ||
	    ((*v)[i] >= 'a' && (*v)[i] <= 'z') || ((*v)[i] >= 'A' &&
	    (*v)[i] <= 'Z')))
		i++;
	*len = i;
}

/*
 * A #separator: value: a name (Anki's), or one character other than '"',
 * after Anki's trim (anki_trim_value). Returns 0 when it is neither.
 */
static int
parse_separator(const char *v, size_t vlen, char *out)
{
	const char *t = v, *a = v, *w;
	size_t tlen = vlen, alen = vlen, wlen;

	df_trim(&t, &tlen);
	anki_trim_value(&a, &alen);
	w = a;
	wlen = alen;
	df_trim(&w, &wlen);
	for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++) {
		if (df_word_eq(t, tlen, separators[i].name) ||
		    df_word_eq(w, wlen, separators[i].name)) {
			*out = separators[i].c;
			return 1;
		}
	}
	if (vlen != 1 && alen == 1) {
		v = a;		/* "#separator:;;;;" */
		vlen = 1;
	} else if (vlen != 1) {
		v = t;		/* "#separator: ; " */
		vlen = tlen;
	}
	if (vlen == 1 && v[0] != '"' && ((unsigned char)v[0] > ' ' ||
	    v[0] == '\t' || v[0] == ' ') && (unsigned char)v[0] < 0x7F) {
		*out = v[0];
		return 1;
	}
	return 0;
}

/* Whether the head line "#separator:..." names a separator lemma takes. */
int
df_anki_head_sep_ok(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	char c;

	return colon != NULL && parse_separator(colon + 1, len - (size_t)(colon +
	    1 - line), &c);
}

/* A header value Anki would ignore: warned, and the default stays. */
#define IGNORED(what, expected) (df_warn(df, ln, vcol, "warning: %s '%s' " \
	"ignored: expected %s", what, df_snip(sn, sizeof sn, t, tlen), \
	expected), 0)

static int
head_line(struct deckfile *df, const char *line, size_t len, unsigned ln,
    int key, struct err *e)
{
	const char *colon = memchr(line, ':', len);
	const char *v = colon + 1, *t, *a;
	size_t vlen = len - (size_t)(v - line), tlen, alen;
	unsigned vcol = df_col_of(line, (size_t)(v - line));
	char sn[200];

	t = v;
	tlen = vlen;
	df_trim(&t, &tlen);
	/* The value as Anki reads a fixed one (see anki_trim_value), after
	 * the spaces around it, which lemma has always allowed. */
	a = t;
	alen = tlen;
	anki_trim_value(&a, &alen);
	switch (key) {
	case 0:		/* separator */
		if (parse_separator(v, vlen, &df->sep)) {
			df->sep_forced = 1;
			return 0;
		}
		/* Anki guesses the separator then; so does lemma. */
		return IGNORED("#separator:", "Tab, Comma, Semicolon, Pipe, "
		    "Space, Colon or one character other than '\"'");
	case 1:		/* html */
		if (df_word_eq(a, alen, "true"))
			df->html = 1;
		else if (df_word_eq(a, alen, "false"))
			df->html = 0;
		else
			return IGNORED("#html:", "true or false");
		return 0;
	case 2:		/* tags */
		df_clean_name(df, "tags", t, tlen, ln, vcol);
		free(df->global_tags);
		df->global_tags = xstrndup(df->clean.data, df->clean.len);
		return 0;
	case 3:		/* columns: split once the separator is final */
		if (tlen == 0)
			return IGNORED("#columns:", "column names");
		free(df->columns_raw);
		df->columns_raw = xstrndup(v, vlen);
		df->columns_line = ln;
		df->columns_col = vcol;
		return 0;
	case 4:		/* notetype */
		df->notetype = deckfile_notetype_parse(t, tlen);
		free(df->notetype_name);
		df->notetype_name = NULL;
		/* Another name is the user's own type: the importer looks it
		 * up, and says so when there is none. */
		if (df->notetype == DECKFILE_NT_UNSET) {
			df_trim(&t, &tlen);
			/* Anki keeps its default note type, Basic. */
			if (tlen == 0)
				return IGNORED("#notetype:", "a note type name");
			df->notetype = DECKFILE_NT_NAMED;
			df->notetype_name = xstrndup(t, tlen);
			df->notetype_line = ln;
			df->notetype_col = vcol;
		}
		return 0;
	case 5:		/* deck */
		if (tlen == 0)
			return IGNORED("#deck:", "a deck name");
		df_clean_name(df, "deck name", t, tlen, ln, vcol);
		t = df->clean.data;
		tlen = df->clean.len;
		if (!df_deck_name_ok(t, tlen))
			return err_set(e, df->path, ln, vcol, "bad deck name "
			    "'%s': expected a name, parts separated by '::' not "
			    "empty", df_snip(sn, sizeof sn, t, tlen));
		if (df_deck_depth(t, tlen) > DECKFILE_DECK_DEPTH_MAX)
			return err_set(e, df->path, ln, vcol, "deck name nests "
			    "more than %d levels", DECKFILE_DECK_DEPTH_MAX);
		free(df->deck);
		df->deck = xstrndup(t, tlen);
		return 0;
	case 6: case 7: case 8: case 9: {	/* tags/deck/notetype/guid column */
		unsigned n, k = (unsigned)key - 6;
		if (parse_column_number(a, alen, &n) < 0) {
			df_warn(df, ln, vcol, "warning: #%s: '%s' ignored: "
			    "expected a column number from 1 to %u",
			    head_keys[key], df_snip(sn, sizeof sn, t, tlen),
			    DECKFILE_COLUMNS_MAX);
			return 0;
		}
		for (unsigned o = 0; o < 4; o++)
			if (o != k && df->meta_col[o] == n)
				return err_set(e, df->path, ln, vcol, "column %u "
				    "is already named by the header on line %u",
				    n, df->meta_line[o]);
		df->meta_col[k] = n;
		df->meta_line[k] = ln;
		return 0;
	}
	case 10:	/* if matches */
		if (df_word_eq(t, tlen, "update current"))
			df->if_matches = DECKFILE_UPDATE;
		else if (df_word_eq(t, tlen, "keep current"))
			df->if_matches = DECKFILE_KEEP_CURRENT;
		else if (df_word_eq(t, tlen, "keep both"))
			df->if_matches = DECKFILE_KEEP_BOTH;
		else
			return IGNORED("#if matches:", "update current, keep "
			    "current or keep both");
		return 0;
	case 11:	/* match scope: lemma always matches within the deck */
		if (!df_word_eq(t, tlen, "notetype") &&
		    !df_word_eq(t, tlen, "notetype + deck"))
			return IGNORED("#match scope:", "notetype or notetype + "
			    "deck");
		return 0;
	}
	return 0;
}
#undef IGNORED

/* The head is over: settle the separator and the column names. */
static int
head_end(struct deckfile *df, unsigned ln, struct err *e)
{
	char nb[8];

	df->in_head = 0;
	if (!df->sep_forced)
		df->sep = df->guessed_sep;
	if (!df->sep_forced && df->guessed_how == DECKFILE_SEP_AMBIGUOUS)
		df_warn(df, ln, 0, "warning: the separator is a guess the "
		    "first rows do not settle; read as %s (name it with a "
		    "#separator: line)",
		    deckfile_separator_name(df->sep, nb, sizeof nb));
	if (df->columns_raw != NULL) {
		df->labels = split_record(df->columns_raw,
		    strlen(df->columns_raw), df->sep, &df->nlabels);
		if (df->nlabels > DECKFILE_COLUMNS_MAX)
			return err_set(e, df->path, df->columns_line,
			    df->columns_col, "more than %u columns",
			    DECKFILE_COLUMNS_MAX);
		for (int k = 0; k < 4; k++)
			if (df->meta_col[k] > df->nlabels)
				return err_set(e, df->path, df->meta_line[k], 1,
				    "column %u is beyond the %zu columns that "
				    "#columns: names on line %u", df->meta_col[k],
				    df->nlabels, df->columns_line);
	}
	return 0;
}

/* ---- Anki text: rows --------------------------------------------------------- */

static void
cell_begin(struct deckfile *df, unsigned line, unsigned col)
{
	VEC_RESERVE(df->cells, df->capcells, df->ncells + 1, 16);
	df->field_off = df->rec.len;
	df->cells[df->ncells].line = line;
	df->cells[df->ncells].col = col;
	df->cells[df->ncells].s = NULL;
	df->cells[df->ncells].len = 0;
}

static int
cell_end(struct deckfile *df, struct err *e)
{
	/* Cell text lives in rec; pointers are set when the row is done, as
	 * rec may still move. s holds the offset for now. */
	df->cells[df->ncells].s = (const char *)(uintptr_t)df->field_off;
	df->cells[df->ncells].len = df->rec.len - df->field_off;
	buf_addc(&df->rec, '\0');
	if (++df->ncells > DECKFILE_COLUMNS_MAX)
		return err_set(e, df->path, df->rec_line, 1, "more than %u "
		    "fields in one row", DECKFILE_COLUMNS_MAX);
	return 0;
}

/* Hand a row of cells (pointers set) to df_emit_row with the file's
 * settings. */
static int
emit_cells(struct deckfile *df, const struct cell *cells, size_t ncells,
    unsigned line, int plain, struct err *e)
{
	struct df_row_meta m;

	memset(&m, 0, sizeof m);
	m.labels = (const char *const *)df->labels;
	m.nlabels = df->nlabels;
	m.meta_col = df->meta_col;
	m.deck = df->deck;
	m.notetype = df->notetype;
	m.notetype_name = df->notetype_name;
	m.notetype_line = df->notetype_line;
	m.notetype_col = df->notetype_col;
	m.tags = df->global_tags;
	m.html = df->html;
	m.plain = plain;
	m.if_matches = df->if_matches;
	m.tags_after_fields = df->meta_col[0] == 0 && df->meta_col[2] == 0;
	m.ncols = df->ncols;
	return df_emit_row(df, cells, ncells, line, &m, e);
}

/*
 * The file's HTML flag, as Anki decides it without #html:: HTML when any
 * cell of the first rows is (html_is_html). Then the rows held back for
 * it go out.
 */
static int
flush_pending(struct deckfile *df, struct err *e)
{
	int rc = 0;

	if (df->html < 0) {
		df->html = 0;
		for (size_t k = 0; k < df->npending && !df->html; k++)
			for (size_t i = 0; i < df->pending[k].ncells; i++)
				if (html_is_html(df->pending[k].rec.data +
				    (uintptr_t)df->pending[k].cells[i].s,
				    df->pending[k].cells[i].len)) {
					df->html = 1;
					break;
				}
	}
	for (size_t k = 0; k < df->npending; k++) {
		struct df_pending *p = &df->pending[k];

		for (size_t i = 0; i < p->ncells; i++)
			p->cells[i].s = p->rec.data + (uintptr_t)p->cells[i].s;
		if (rc == 0)
			rc = emit_cells(df, p->cells, p->ncells, p->line, p->plain,
			    e);
		buf_free(&p->rec);
		free(p->cells);
	}
	df->npending = 0;
	return rc;
}

static int
anki_row_done(struct deckfile *df, struct err *e)
{
	int rc, plain = df->plain_next;

	df->in_record = 0;
	df->plain_next = 0;
	/*
	 * The first row (or #columns:) fixes how many columns the file has,
	 * as in Anki: a later row's extra columns are dropped (with a warning
	 * when they hold something), a shorter row reads as empty cells.
	 */
	if (df->ncols == 0)
		df->ncols = df->labels != NULL ? df->nlabels : df->ncells;
	if (df->ncells > df->ncols) {
		size_t lost = 0;

		for (size_t i = df->ncols; i < df->ncells; i++)
			lost += df->cells[i].len > 0;
		if (lost > 0)
			df_warn(df, df->rec_line, df->cells[df->ncols].col,
			    "warning: %zu columns, but the %s has %zu: the "
			    "extra ones are dropped", df->ncells,
			    df->labels != NULL ? "#columns: line" : "first row",
			    df->ncols);
		df->ncells = df->ncols;
	}
	if (df->html < 0 && df->npending < HTML_PREVIEW_ROWS) {
		/* Held, with the cells as offsets into a copy of rec. */
		struct df_pending *p = &df->pending[df->npending++];

		buf_init(&p->rec);
		buf_add(&p->rec, df->rec.data, df->rec.len);
		p->cells = xreallocarray(NULL, df->ncells + 1, sizeof *p->cells);
		memcpy(p->cells, df->cells, df->ncells * sizeof *p->cells);
		p->ncells = df->ncells;
		p->line = df->rec_line;
		p->plain = plain;
		buf_reset(&df->rec);
		df->ncells = 0;
		return df->npending == HTML_PREVIEW_ROWS ?
		    flush_pending(df, e) : 0;
	}
	for (size_t i = 0; i < df->ncells; i++)
		df->cells[i].s = df->rec.data + (uintptr_t)df->cells[i].s;
	rc = emit_cells(df, df->cells, df->ncells, df->rec_line, plain, e);
	buf_reset(&df->rec);
	df->ncells = 0;
	return rc;
}

int
df_anki_line(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	size_t i = 0, run;
	unsigned col = 1;	/* column of line[i] */
	size_t col_at = 0;	/* col is known up to here */
	char sep = df->sep;
	int key = -1;

	if (df->in_head) {
		enum df_head_kind k = df_anki_head_kind(line, len, ln == 1,
		    &key);
		if (k == HEAD_TAGS) {
			df_clean_name(df, "tags", line + 5, len - 5, ln, 6);
			free(df->global_tags);
			df->global_tags = xstrndup(df->clean.data,
			    df->clean.len);
			return 0;
		}
		if (k == HEAD_COMMENT) {
			if (len == 12 && memcmp(line, "#lemma:plain", 12) == 0)
				df->plain_next = 1;
			return 0;
		}
		if (k == HEAD_KEY)
			return head_line(df, line, len, ln, key, e);
		if (head_end(df, ln, e) < 0)
			return -1;
		sep = df->sep;
	}
	if (!df->in_record) {
		if (len == 0)
			return 0;
		if (line[0] == '#') {
			if (len == 12 && memcmp(line, "#lemma:plain", 12) == 0)
				df->plain_next = 1;
			return 0;
		}
		df->in_record = 1;
		df->rec_line = ln;
		df->qstate = Q_START;
		buf_reset(&df->rec);
		df->ncells = 0;
		cell_begin(df, ln, 1);
	} else {
		/* A quoted field goes on over the line break. */
		buf_addc(&df->rec, '\n');
	}

#define COL_AT(off) (col += (unsigned)df_chars(line + col_at, (off) - col_at), \
	col_at = (off), col)
	while (i < len) {
		switch (df->qstate) {
		case Q_START:
			if (line[i] == '"') {
				df->qstate = Q_QUOTED;
				df->quote_line = ln;
				df->quote_col = COL_AT(i);
				i++;
				break;
			}
			df->qstate = Q_PLAIN;
			/* FALLTHROUGH */
		case Q_PLAIN: {
			const char *at = memchr(line + i, sep, len - i);
			run = i;
			i = at != NULL ? (size_t)(at - line) : len;
			buf_add(&df->rec, line + run, i - run);
			if (i < len) {
				if (cell_end(df, e) < 0)
					return -1;
				i++;
				cell_begin(df, ln, COL_AT(i));
				df->qstate = Q_START;
			}
			break;
		}
		case Q_QUOTED: {
			const char *q = memchr(line + i, '"', len - i);
			run = i;
			i = q != NULL ? (size_t)(q - line) : len;
			buf_add(&df->rec, line + run, i - run);
			if (q != NULL) {
				df->qstate = Q_QUOTE;
				i++;
			}
			break;
		}
		case Q_QUOTE:
			if (line[i] == '"') {
				buf_addc(&df->rec, '"');
				df->qstate = Q_QUOTED;
				i++;
			} else if (line[i] == sep) {
				if (cell_end(df, e) < 0)
					return -1;
				i++;
				cell_begin(df, ln, COL_AT(i));
				df->qstate = Q_START;
			} else {
				/* Text after a closing quote is kept, as Anki's
				 * CSV reader does: "a"b reads as ab. */
				df->qstate = Q_PLAIN;
			}
			break;
		}
		if (df->rec.len > DECKFILE_RECORD_MAX)
			return err_set(e, df->path, df->qstate == Q_QUOTED ?
			    df->quote_line : df->rec_line, df->qstate == Q_QUOTED ?
			    df->quote_col : 1, "a row longer than %u MiB: is this "
			    "quote closed?", DECKFILE_RECORD_MAX >> 20);
	}
#undef COL_AT
	if (df->qstate == Q_QUOTED)
		return 0;	/* the row goes on on the next line */
	if (cell_end(df, e) < 0)
		return -1;
	return anki_row_done(df, e);
}

/* The end of the file: a head with no body, or a last row without its
 * line break. */
int
df_anki_finish(struct deckfile *df, struct err *e)
{
	if (df->in_head && head_end(df, df->lineno, e) < 0)
		return -1;
	if (df->in_record) {
		if (df->qstate == Q_QUOTED)
			return err_set(e, df->path, df->quote_line, df->quote_col,
			    "unterminated quoted field: expected a closing '\"' "
			    "for the quote opened here");
		if (cell_end(df, e) < 0 || anki_row_done(df, e) < 0)
			return -1;
	}
	return flush_pending(df, e);
}

/*
 * Whether every row of body[0..len) has the same number of columns when
 * split on sep, read as CSV (quoted fields may hold sep and line breaks);
 * the width goes to *width. Only whole rows count (the window may end
 * inside one); blank and '#' lines are no rows. body holds lines with
 * '\n' after each, as deckfile.c holds them.
 */
static int
same_width(const char *body, size_t len, char sep, size_t *width)
{
	size_t i = 0, w = 0, cols, rows = 0;

	while (i < len) {
		int quoted = 0, at_field = 1;

		if (body[i] == '\n' || body[i] == '#') {
			const char *nl = memchr(body + i, '\n', len - i);
			if (nl == NULL)
				break;
			i = (size_t)(nl - body) + 1;
			continue;
		}
		cols = 1;
		for (; i < len; i++) {
			char c = body[i];
			if (quoted) {
				if (c == '"' && i + 1 < len && body[i + 1] == '"')
					i++;
				else if (c == '"')
					quoted = 0;
			} else if (c == '"' && at_field) {
				quoted = 1;
			} else if (c == sep) {
				cols++;
				at_field = 1;
				continue;
			} else if (c == '\n')
				break;
			at_field = 0;
		}
		if (i >= len)
			break;		/* cut by the window: not counted */
		i++;
		if (rows++ == 0)
			w = cols;
		else if (cols != w)
			return 0;
	}
	*width = w;
	return 1;
}

char
df_anki_guess_separator(const char *body, size_t len,
    enum deckfile_sep_how *how)
{
	size_t nsep = sizeof separators / sizeof separators[0], anki, w;
	char pick = 0;
	int others = 0;

	if (len > SEP_LOOKAHEAD)
		len = SEP_LOOKAHEAD;
	*how = DECKFILE_SEP_GUESSED;
	/* Anki's guess: the first candidate that occurs at all. */
	for (anki = 0; anki < nsep; anki++)
		if (memchr(body, separators[anki].c, len) != NULL)
			break;
	if (anki == nsep)
		return ' ';
	/* A tab is never text: rows of different widths with tabs are
	 * rows with and without a tags column. */
	if (separators[anki].c == '\t' ||
	    same_width(body, len, separators[anki].c, &w))
		return separators[anki].c;
	/* It splits rows unevenly ("a;b" rows, then one "p(x|y);q"): a
	 * candidate that gives every row one width of 2 or more is what the
	 * file means. */
	for (size_t k = 0; k < nsep; k++) {
		if (k == anki || !same_width(body, len, separators[k].c, &w) ||
		    w < 2)
			continue;
		if (others++ == 0)
			pick = separators[k].c;
	}
	if (others == 1) {
		*how = DECKFILE_SEP_CORRECTED;
		return pick;
	}
	*how = DECKFILE_SEP_AMBIGUOUS;
	return others > 1 ? pick : separators[anki].c;
}
