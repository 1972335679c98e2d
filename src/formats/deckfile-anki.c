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

static int
head_line(struct deckfile *df, const char *line, size_t len, unsigned ln,
    int key, struct err *e)
{
	const char *colon = memchr(line, ':', len);
	const char *v = colon + 1, *t;
	size_t vlen = len - (size_t)(v - line), tlen;
	unsigned vcol = df_col_of(line, (size_t)(v - line));
	char sn[200];

	t = v;
	tlen = vlen;
	df_trim(&t, &tlen);
	switch (key) {
	case 0:		/* separator */
		for (size_t i = 0; i < sizeof separators / sizeof separators[0];
		    i++) {
			if (df_word_eq(t, tlen, separators[i].name)) {
				df->sep = separators[i].c;
				df->sep_forced = 1;
				return 0;
			}
		}
		if (vlen != 1) {
			v = t;
			vlen = tlen;
		}
		if (vlen == 1 && v[0] != '"' && ((unsigned char)v[0] > ' ' ||
		    v[0] == '\t' || v[0] == ' ') && (unsigned char)v[0] < 0x7F) {
			df->sep = v[0];
			df->sep_forced = 1;
			return 0;
		}
		return err_set(e, df->path, ln, vcol, "unknown separator '%s': "
		    "expected Tab, Comma, Semicolon, Pipe, Space, Colon or one "
		    "character other than '\"'", df_snip(sn, sizeof sn, t,
		    tlen));
	case 1:		/* html */
		if (df_word_eq(t, tlen, "true"))
			df->html = 1;
		else if (df_word_eq(t, tlen, "false"))
			df->html = 0;
		else
			return err_set(e, df->path, ln, vcol, "unknown #html: "
			    "value '%s': expected true or false",
			    df_snip(sn, sizeof sn, t, tlen));
		return 0;
	case 2:		/* tags */
		df_clean_name(df, "tags", t, tlen, ln, vcol);
		free(df->global_tags);
		df->global_tags = xstrndup(df->clean.data, df->clean.len);
		return 0;
	case 3:		/* columns: split once the separator is final */
		if (tlen == 0)
			return err_set(e, df->path, ln, vcol, "expected column "
			    "names after #columns:");
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
			if (tlen == 0)
				return err_set(e, df->path, ln, vcol, "#notetype: "
				    "names no note type");
			df->notetype = DECKFILE_NT_NAMED;
			df->notetype_name = xstrndup(t, tlen);
			df->notetype_line = ln;
			df->notetype_col = vcol;
		}
		return 0;
	case 5:		/* deck */
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
		if (parse_column_number(t, tlen, &n) < 0)
			return err_set(e, df->path, ln, vcol, "unknown column "
			    "'%s': expected a column number from 1 to %u",
			    df_snip(sn, sizeof sn, t, tlen),
			    DECKFILE_COLUMNS_MAX);
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
			return err_set(e, df->path, ln, vcol, "unknown #if matches: "
			    "value '%s': expected update current, keep current or "
			    "keep both", df_snip(sn, sizeof sn, t, tlen));
		return 0;
	case 11:	/* match scope: lemma always matches within the deck */
		if (!df_word_eq(t, tlen, "notetype") &&
		    !df_word_eq(t, tlen, "notetype + deck"))
			return err_set(e, df->path, ln, vcol, "unknown #match "
			    "scope: value '%s': expected notetype or notetype + "
			    "deck", df_snip(sn, sizeof sn, t, tlen));
		return 0;
	}
	return 0;
}

/* The head is over: settle the separator and the column names. */
static int
head_end(struct deckfile *df, struct err *e)
{
	df->in_head = 0;
	if (!df->sep_forced)
		df->sep = df->guessed_sep;
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

static int
anki_row_done(struct deckfile *df, struct err *e)
{
	struct df_row_meta m;
	int rc;

	for (size_t i = 0; i < df->ncells; i++)
		df->cells[i].s = df->rec.data + (uintptr_t)df->cells[i].s;
	df->in_record = 0;
	if (df->labels != NULL && df->ncells != df->nlabels)
		return err_set(e, df->path, df->rec_line, 1, "expected %zu fields "
		    "as #columns: on line %u says, found %zu", df->nlabels,
		    df->columns_line, df->ncells);
	memset(&m, 0, sizeof m);
	m.labels = (const char *const *)df->labels;
	m.meta_col = df->meta_col;
	m.deck = df->deck;
	m.notetype = df->notetype;
	m.notetype_name = df->notetype_name;
	m.notetype_line = df->notetype_line;
	m.notetype_col = df->notetype_col;
	m.tags = df->global_tags;
	m.html = df->html;
	m.plain = df->plain_next;
	m.if_matches = df->if_matches;
	df->plain_next = 0;
	rc = df_emit_row(df, df->cells, df->ncells, df->rec_line, &m, e);
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
		if (head_end(df, e) < 0)
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
	if (df->in_head && head_end(df, e) < 0)
		return -1;
	if (df->in_record) {
		if (df->qstate == Q_QUOTED)
			return err_set(e, df->path, df->quote_line, df->quote_col,
			    "unterminated quoted field: expected a closing '\"' "
			    "for the quote opened here");
		if (cell_end(df, e) < 0 || anki_row_done(df, e) < 0)
			return -1;
	}
	return 0;
}

/* The separator Anki would guess from the start of the body. */
char
df_anki_guess_separator(const char *body, size_t len)
{
	if (len > SEP_LOOKAHEAD)
		len = SEP_LOOKAHEAD;
	for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++)
		if (memchr(body, separators[i].c, len) != NULL)
			return separators[i].c;
	return ' ';
}
