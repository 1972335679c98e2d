/*
 * deckfile-md.c - Markdown drill tables: a header row naming the columns,
 * a delimiter row, then one note a row; "deck = ..." and "note type = ..."
 * phrases in the prose before a table apply to it.
 */
#include "config.h"

#include "lemma/formats/deckfile.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "deckfile-int.h"

/* ---- Markdown ------------------------------------------------------------------- */

/* A table row: optional indentation, then '|'. */
int
df_md_is_pipe_row(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && df_is_blank(line[i]))
		i++;
	return i < len && line[i] == '|';
}

/*
 * Split a table row into cells. Cells are separated by '|' that is not
 * escaped as "\|". Cell text in drill decks often holds a bare '|' (KL(p||q),
 * r(y|x)): when the plain split does not give want cells (want > 0), only
 * pipes with white space on both sides separate. Returns the number of
 * cells found by the plain split, or by the spaced one when that matches.
 */
static size_t
md_split(const char *line, size_t len, size_t want, struct cell *out,
    size_t maxout, unsigned ln)
{
	size_t pipes[DECKFILE_COLUMNS_MAX + 2], np = 0, start, end;
	size_t use[DECKFILE_COLUMNS_MAX + 2], nuse = 0, ncells, last;
	int closed;

	start = 0;
	while (start < len && df_is_blank(line[start]))
		start++;
	end = len;
	while (end > start && df_is_blank(line[end - 1]))
		end--;
	for (size_t i = start; i < end && np < DECKFILE_COLUMNS_MAX + 2; i++) {
		if (line[i] == '\\' && i + 1 < end && line[i + 1] == '|') {
			i++;
			continue;
		}
		if (line[i] == '|')
			pipes[np++] = i;
	}
	if (np == 0)
		return 0;
	/* pipes[0] is the leading pipe; a last pipe at the very end closes
	 * the row rather than opening an empty cell. */
	closed = np > 1 && pipes[np - 1] == end - 1;
	last = closed ? np - 1 : np;
	use[nuse++] = pipes[0];
	for (size_t k = 1; k < last; k++)
		use[nuse++] = pipes[k];
	ncells = nuse;
	if (want > 0 && ncells != want) {
		size_t spaced[DECKFILE_COLUMNS_MAX + 2], ns = 0;
		spaced[ns++] = pipes[0];
		for (size_t k = 1; k < last; k++)
			if (df_is_blank(line[pipes[k] - 1]) &&
			    pipes[k] + 1 < end &&
			    df_is_blank(line[pipes[k] + 1]))
				spaced[ns++] = pipes[k];
		if (ns == want) {
			memcpy(use, spaced, ns * sizeof use[0]);
			nuse = ns;
			ncells = ns;
		}
	}
	for (size_t k = 0; k < nuse && k < maxout; k++) {
		size_t from = use[k] + 1;
		size_t to = k + 1 < nuse ? use[k + 1] : (closed ? end - 1 : end);
		while (from < to && df_is_blank(line[from]))
			from++;
		while (to > from && df_is_blank(line[to - 1]))
			to--;
		out[k].s = line + from;
		out[k].len = to - from;
		out[k].line = ln;
		out[k].col = df_col_of(line, from);
	}
	return ncells;
}

/* The |---|:--:| line under a table's header, with as many cells. */
static int
is_delim_row(const char *line, size_t len, size_t ncols)
{
	struct cell cells[64];
	size_t n;

	if (!df_md_is_pipe_row(line, len))
		return 0;
	n = md_split(line, len, 0, cells, 64, 0);
	if (n == 0 || n > 64 || (ncols > 0 && n != ncols))
		return 0;
	for (size_t k = 0; k < n; k++) {
		const char *s = cells[k].s;
		size_t l = cells[k].len, dashes = 0;
		if (l > 0 && s[0] == ':') {
			s++;
			l--;
		}
		if (l > 0 && s[l - 1] == ':')
			l--;
		for (size_t i = 0; i < l; i++) {
			if (s[i] != '-')
				return 0;
			dashes++;
		}
		if (dashes == 0)
			return 0;
	}
	return 1;
}

int
df_md_is_table_start(const char *head, size_t hlen, const char *line,
    size_t len)
{
	struct cell cells[64];
	size_t n;

	if (!df_md_is_pipe_row(head, hlen))
		return 0;
	n = md_split(head, hlen, 0, cells, 64, 0);
	return n > 0 && n <= 64 && is_delim_row(line, len, n);
}

/* Find "key = value" in prose (key matched ignoring case, as a word);
 * value runs to the end of the line, or up to ", other key =". */
static int
phrase(const char *line, size_t len, const char *key, const char **v,
    size_t *vlen)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i + klen <= len; i++) {
		size_t j;
		if (strncasecmp(line + i, key, klen) != 0)
			continue;
		if (i > 0 && isalnum((unsigned char)line[i - 1]))
			continue;
		j = i + klen;
		while (j < len && df_is_blank(line[j]))
			j++;
		if (j >= len || line[j] != '=')
			continue;
		j++;
		while (j < len && df_is_blank(line[j]))
			j++;
		*v = line + j;
		*vlen = len - j;
		/* Cut at ", word word =" or "; word =": the next phrase. */
		for (size_t k = j; k + 1 < len; k++) {
			size_t w;
			if ((line[k] != ',' && line[k] != ';') || line[k + 1] != ' ')
				continue;
			w = k + 2;
			while (w < len && (isalpha((unsigned char)line[w]) ||
			    line[w] == ' '))
				w++;
			if (w < len && line[w] == '=' && w > k + 2) {
				*vlen = k - j;
				break;
			}
		}
		while (*vlen > 0 && (df_is_blank((*v)[*vlen - 1]) ||
		    (*v)[*vlen - 1] == '.'))
			(*vlen)--;
		return *vlen > 0;
	}
	return 0;
}

static int
md_prose(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	const char *v;
	size_t vlen;
	enum deckfile_notetype nt;

	if (phrase(line, len, "deck", &v, &vlen)) {
		unsigned col = df_col_of(line, (size_t)(v - line));

		df_clean_name(df, "deck name", v, vlen, ln, col);
		v = df->clean.data;
		vlen = df->clean.len;
		/* Prose, not a header: what is not a deck name is left
		 * alone, but one too deep for lemma is an error. */
		if (df_deck_name_ok(v, vlen)) {
			if (df_deck_depth(v, vlen) > DECKFILE_DECK_DEPTH_MAX)
				return err_set(e, df->path, ln, col, "deck name "
				    "nests more than %d levels",
				    DECKFILE_DECK_DEPTH_MAX);
			free(df->md_deck);
			df->md_deck = xstrndup(v, vlen);
		}
	}
	if (phrase(line, len, "note type", &v, &vlen) ||
	    phrase(line, len, "notetype", &v, &vlen)) {
		/* Prose, not a header: a name we do not know is left alone. */
		const char *end = memchr(v, ',', vlen);
		if (end != NULL)
			vlen = (size_t)(end - v);
		nt = deckfile_notetype_parse(v, vlen);
		if (nt != DECKFILE_NT_UNSET)
			df->md_notetype = nt;
	}
	return 0;
}

static int
md_header(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	struct cell *cells = xcalloc(DECKFILE_COLUMNS_MAX + 2, sizeof *cells);
	size_t n = md_split(line, len, 0, cells, DECKFILE_COLUMNS_MAX + 2, ln);
	char sn[200];

	if (n > DECKFILE_COLUMNS_MAX) {
		free(cells);
		return err_set(e, df->path, ln, 1, "more than %u columns",
		    DECKFILE_COLUMNS_MAX);
	}

	for (size_t k = 0; k < df->nlabels; k++)
		free(df->labels[k]);
	free(df->labels);
	df->labels = xcalloc(n, sizeof *df->labels);
	df->nlabels = n;
	memset(df->meta_col, 0, sizeof df->meta_col);
	for (size_t k = 0; k < n; k++) {
		const char *s = cells[k].s;
		size_t l = cells[k].len;
		int role = -1;

		df->labels[k] = xstrndup(s, l);
		if (df_word_eq(s, l, "tags"))
			role = 0;
		else if (df_word_eq(s, l, "deck"))
			role = 1;
		else if (df_word_eq(s, l, "note type") ||
		    df_word_eq(s, l, "notetype"))
			role = 2;
		else if (df_word_eq(s, l, "guid"))
			role = 3;
		if (role < 0)
			continue;
		if (df->meta_col[role] != 0) {
			unsigned col = cells[k].col;
			free(cells);
			return err_set(e, df->path, ln, col, "a second '%s' "
			    "column", df_snip(sn, sizeof sn, df->labels[k],
			    strlen(df->labels[k])));
		}
		df->meta_col[role] = (unsigned)k + 1;
	}
	free(cells);
	df->md_ncols = n;
	df->md_table = 1;
	df->md_tables++;
	return 0;
}

static int
md_row(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	struct cell *cells = xcalloc(DECKFILE_COLUMNS_MAX + 2, sizeof *cells);
	struct df_row_meta m;
	size_t n;
	int rc;

	n = md_split(line, len, df->md_ncols, cells, DECKFILE_COLUMNS_MAX + 2,
	    ln);
	if (n != df->md_ncols) {
		free(cells);
		return err_set(e, df->path, ln, 1, "this row has %zu cells, the "
		    "table header has %zu (write a '|' inside a cell as '\\|')",
		    n, df->md_ncols);
	}
	/* "\|" is a '|' in the cell. */
	buf_reset(&df->rec);
	for (size_t k = 0; k < n; k++) {
		size_t at = df->rec.len;
		for (size_t i = 0; i < cells[k].len; i++) {
			if (cells[k].s[i] == '\\' && i + 1 < cells[k].len &&
			    cells[k].s[i + 1] == '|')
				continue;
			buf_addc(&df->rec, cells[k].s[i]);
		}
		cells[k].len = df->rec.len - at;
		cells[k].s = (const char *)(uintptr_t)at;
		buf_addc(&df->rec, '\0');
	}
	for (size_t k = 0; k < n; k++)
		cells[k].s = df->rec.data + (uintptr_t)cells[k].s;
	memset(&m, 0, sizeof m);
	m.labels = (const char *const *)df->labels;
	m.nlabels = df->nlabels;
	m.meta_col = df->meta_col;
	m.deck = df->md_deck;
	m.notetype = df->md_notetype;
	m.html = -1;
	m.if_matches = DECKFILE_UPDATE;
	rc = df_emit_row(df, cells, n, ln, &m, e);
	free(cells);
	return rc;
}

int
df_md_line(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	if (df->md_table) {
		if (df_md_is_pipe_row(line, len))
			return md_row(df, line, len, ln, e);
		df->md_table = 0;
	}
	if (df->md_pending) {
		df->md_pending = 0;
		if (df_md_is_table_start(df->md_prev.data, df->md_prev.len,
		    line, len))
			return md_header(df, df->md_prev.data, df->md_prev.len,
			    df->md_prev_line, e);
		if (md_prose(df, df->md_prev.data, df->md_prev.len,
		    df->md_prev_line, e) < 0)
			return -1;
	}
	if (df_md_is_pipe_row(line, len)) {
		if (df->md_pipe_line == 0)
			df->md_pipe_line = ln;
		buf_reset(&df->md_prev);
		buf_add(&df->md_prev, line, len);
		df->md_prev_line = ln;
		df->md_pending = 1;
		return 0;
	}
	return md_prose(df, line, len, ln, e);
}

/* The end of the file: a row held back was prose after all; no table at
 * all is worth a warning. */
int
df_md_finish(struct deckfile *df, struct err *e)
{
	if (df->md_pending && md_prose(df, df->md_prev.data,
	    df->md_prev.len, df->md_prev_line, e) < 0)
		return -1;
	/* "0 added" alone would not say why. */
	if (df->md_tables == 0)
		df_warn(df, df->md_pipe_line, 0, "warning: no Markdown table "
		    "read: expected a header row such as | Front | Back "
		    "| (or Text, Extra; Tags, Deck, Note type, GUID "
		    "columns) with a line such as |---|---| under it");
	return 0;
}
