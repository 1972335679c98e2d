/*
 * deckfile.c - Anki text and Markdown drill tables into notes; see
 * deckfile.h.
 *
 * Bytes arrive in chunks; they are cut into lines (a trailing CR dropped),
 * each line is checked as UTF-8 and then handled by the reader for the
 * file's format. Until the format (and, for Anki text, the separator) is
 * known, lines are held back and replayed once it is.
 */
#include "config.h"

#include "lemma/formats/deckfile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/html.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"
#include "lemma/model/tags.h"

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
	int			 dead;

	/* Cutting input into lines. */
	struct buf		 part;		/* an unfinished line */
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

	/* Anki text: the header. */
	int			 in_head;
	char			 sep;
	int			 sep_forced;
	int			 html;		/* -1: decide per note */
	char			*global_tags;
	char			*deck;
	enum deckfile_notetype	 notetype;
	enum deckfile_if_matches if_matches;
	char			*columns_raw;
	unsigned		 columns_line, columns_col;
	unsigned		 meta_col[4];	/* tags, deck, notetype, guid */
	unsigned		 meta_line[4];
	char			**labels;
	size_t			 nlabels;
	int			 plain_next;	/* "#lemma:plain" before a row */

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

/* ---- small helpers --------------------------------------------------------- */

/* Copy at most 40 characters of s into out for a message, with control
 * characters shown as \xNN so that nothing from a file reaches a terminal
 * raw. */
static const char *
snip(char *out, size_t outlen, const char *s, size_t len)
{
	size_t o = 0, chars = 0;

	for (size_t i = 0; i < len && o + 8 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80 && ++chars > 40) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7F)
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02X", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

/* Characters in s[0..n), which is valid UTF-8: the bytes that do not
 * continue a sequence. */
static size_t
chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* The column (1-based, in characters) of byte offset off in line. Lines
 * are checked as UTF-8 before anything asks. */
static unsigned
col_of(const char *line, size_t off)
{
	return (unsigned)chars(line, off) + 1;
}

/* Like utf8_invalid_offset, with a quick pass over plain ASCII, which is
 * most of any deck. */
static size_t
invalid_offset(const char *s, size_t n)
{
	size_t i = 0;
	uint64_t w;

	while (i + 8 <= n) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
		i += 8;
	}
	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	if (i == n)
		return (size_t)-1;
	{
		size_t bad = utf8_invalid_offset(s + i, n - i);
		return bad == (size_t)-1 ? bad : i + bad;
	}
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int
word_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* A warning, through the callback deckfile_set_warn gave. */
static void __attribute__((format(printf, 4, 5)))
warn(struct deckfile *df, unsigned line, unsigned col, const char *fmt, ...)
{
	struct err w;
	va_list ap;

	if (df->warn == NULL)
		return;
	err_set(&w, df->path, line, col, "%s", "");
	va_start(ap, fmt);
	vsnprintf(w.msg, sizeof w.msg, fmt, ap);
	va_end(ap);
	df->warn(df->warn_arg, &w);
}

/*
 * s[0..len) into df->clean without what a terminal would obey or not show
 * (termsafe.h): control, bidi and zero-width characters. Anki strips
 * control characters from deck names and tags; these are names a person
 * picks from a list, so what cannot be seen cannot be kept. what names
 * the field in the warning.
 */
static void
clean_name(struct deckfile *df, const char *what, const char *s, size_t len,
    unsigned line, unsigned col)
{
	size_t n;

	buf_reset(&df->clean);
	buf_add(&df->clean, "", 0);
	if ((n = termsafe_strip(&df->clean, s, len)) > 0)
		warn(df, line, col, "warning: %s: removed %zu control, bidi or "
		    "zero-width character%s", what, n, n == 1 ? "" : "s");
}

/* Levels of a deck name that deck_name_ok accepted. */
static size_t
deck_depth(const char *s, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == ':' && s[i + 1] == ':') {
			n++;
			i++;
		}
	return n;
}

/* A deck name: parts separated by "::", none empty. */
static int
deck_name_ok(const char *s, size_t len)
{
	size_t part = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ':' && i + 1 < len && s[i + 1] == ':') {
			if (part == 0)
				return 0;
			part = 0;
			i++;
		} else
			part++;
	}
	return part > 0;
}

const char *
deckfile_notetype_name(enum deckfile_notetype nt)
{
	switch (nt) {
	case DECKFILE_NT_BASIC:
		return "Basic";
	case DECKFILE_NT_REVERSED:
		return "Basic (and reversed card)";
	case DECKFILE_NT_CLOZE:
		return "Cloze";
	default:
		return "";
	}
}

enum deckfile_notetype
deckfile_notetype_parse(const char *s, size_t len)
{
	static const struct {
		const char		*name;
		enum deckfile_notetype	 nt;
	} names[] = {
		{ "Basic",				DECKFILE_NT_BASIC },
		{ "Basic (type in the answer)",		DECKFILE_NT_BASIC },
		{ "Basic (and reversed card)",		DECKFILE_NT_REVERSED },
		{ "Basic (optional reversed card)",	DECKFILE_NT_REVERSED },
		{ "Cloze",				DECKFILE_NT_CLOZE },
	};

	trim(&s, &len);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (word_eq(s, len, names[i].name))
			return names[i].nt;
	return DECKFILE_NT_UNSET;
}

/*
 * Export writes a plain-text note into an HTML file as &amp; &lt; &gt;
 * &#13; and <br>, after a "#lemma:plain" line; this undoes exactly that.
 */
static void
plain_decode(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len;) {
		if (s[i] == '&' && len - i >= 5 && strncmp(s + i, "&amp;", 5) == 0) {
			buf_addc(out, '&');
			i += 5;
		} else if (s[i] == '&' && len - i >= 4 &&
		    strncmp(s + i, "&lt;", 4) == 0) {
			buf_addc(out, '<');
			i += 4;
		} else if (s[i] == '&' && len - i >= 4 &&
		    strncmp(s + i, "&gt;", 4) == 0) {
			buf_addc(out, '>');
			i += 4;
		} else if (s[i] == '&' && len - i >= 5 &&
		    strncmp(s + i, "&#13;", 5) == 0) {
			buf_addc(out, '\r');
			i += 5;
		} else if (s[i] == '<' && len - i >= 4 &&
		    strncmp(s + i, "<br>", 4) == 0) {
			buf_addc(out, '\n');
			i += 4;
		} else if (s[i] == '\x1f') {
			buf_adds(out, "\xe2\x90\x9f");
			i++;
		} else
			buf_addc(out, s[i++]);
	}
}

/* ---- building a note ------------------------------------------------------- */

/* Names of a note type's own fields, for #columns: and table headers. */
static int
field_slot(enum deckfile_notetype nt, const char *s, size_t len)
{
	trim(&s, &len);
	if (nt == DECKFILE_NT_CLOZE) {
		if (word_eq(s, len, "Text"))
			return 0;
		if (word_eq(s, len, "Back Extra") || word_eq(s, len, "Extra"))
			return 1;
		return -1;
	}
	if (word_eq(s, len, "Front"))
		return 0;
	if (word_eq(s, len, "Back"))
		return 1;
	return -1;
}

/* Append a field's text; U+001F joins fields in the progress file, so one
 * inside a field is kept as the visible symbol for it, U+241F. */
static void
field_add(struct buf *out, const char *s, size_t len)
{
	const char *us;

	while ((us = memchr(s, '\x1f', len)) != NULL) {
		buf_add(out, s, (size_t)(us - s));
		buf_adds(out, "\xe2\x90\x9f");
		len -= (size_t)(us - s) + 1;
		s = us + 1;
	}
	buf_add(out, s, len);
}

struct row_meta {
	const char * const	*labels;	/* NULL or ncells names */
	const unsigned		*meta_col;	/* tags, deck, notetype, guid */
	const char		*deck;
	enum deckfile_notetype	 notetype;
	const char		*tags;
	int			 html;
	int			 plain;
	enum deckfile_if_matches if_matches;
};

/*
 * Map a row's cells to a note and hand it to the sink. Meta columns
 * (1-based in meta_col, 0 for none) become tags, deck, note type and GUID;
 * the rest are fields, placed by name when labels are given.
 */
static int
emit_row(struct deckfile *df, const struct cell *cells, size_t ncells,
    unsigned line, const struct row_meta *m, struct err *e)
{
	static const char *const meta_names[4] = { "#tags column:",
	    "#deck column:", "#notetype column:", "#guid column:" };
	struct deckfile_note n;
	enum deckfile_notetype nt = m->notetype;
	const struct cell *c;
	int is_meta[DECKFILE_COLUMNS_MAX];
	size_t nfield = 0, slot_col[2] = { SIZE_MAX, SIZE_MAX };
	size_t tags_at, deck_at = SIZE_MAX, guid_at = SIZE_MAX, ngiven = 0;
	char sn[200];

	memset(is_meta, 0, ncells * sizeof is_meta[0]);
	for (int k = 0; k < 4; k++) {
		if (m->meta_col[k] == 0)
			continue;
		if (m->meta_col[k] > ncells)
			return err_set(e, df->path, line, 1, "this row has %zu "
			    "fields, but %s says %u", ncells, meta_names[k],
			    m->meta_col[k]);
		is_meta[m->meta_col[k] - 1] = 1;
	}
	buf_reset(&df->nbuf);
	buf_reset(&df->tagbuf);

	if (m->meta_col[2] != 0) {
		c = &cells[m->meta_col[2] - 1];
		nt = deckfile_notetype_parse(c->s, c->len);
		if (nt == DECKFILE_NT_UNSET)
			return err_set(e, df->path, c->line, c->col, "unknown note "
			    "type '%s': expected Basic, Basic (and reversed card) "
			    "or Cloze", snip(sn, sizeof sn, c->s, c->len));
	}
	if (m->meta_col[1] != 0) {
		const char *s;
		size_t len;
		c = &cells[m->meta_col[1] - 1];
		s = c->s;
		len = c->len;
		trim(&s, &len);
		clean_name(df, "deck name", s, len, c->line, c->col);
		s = df->clean.data;
		len = df->clean.len;
		if (len > 0) {
			if (!deck_name_ok(s, len))
				return err_set(e, df->path, c->line, c->col, "bad "
				    "deck name '%s': parts separated by '::' must "
				    "not be empty", snip(sn, sizeof sn, s, len));
			if (deck_depth(s, len) > DECKFILE_DECK_DEPTH_MAX)
				return err_set(e, df->path, c->line, c->col,
				    "deck name nests more than %d levels",
				    DECKFILE_DECK_DEPTH_MAX);
			deck_at = df->nbuf.len;
			buf_add(&df->nbuf, s, len);
			buf_addc(&df->nbuf, '\0');
		}
	}
	if (m->meta_col[3] != 0) {
		const char *s;
		size_t len;
		c = &cells[m->meta_col[3] - 1];
		s = c->s;
		len = c->len;
		trim(&s, &len);
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F)
				return err_set(e, df->path, c->line, c->col,
				    "bad GUID '%s': expected no spaces or control "
				    "characters", snip(sn, sizeof sn, s, len));
		if (len > 100)
			return err_set(e, df->path, c->line, c->col, "bad GUID: "
			    "longer than 100 bytes");
		if (len > 0) {
			guid_at = df->nbuf.len;
			buf_add(&df->nbuf, s, len);
			buf_addc(&df->nbuf, '\0');
		}
	}
	if (m->meta_col[0] != 0) {
		c = &cells[m->meta_col[0] - 1];
		clean_name(df, "tags", c->s, c->len, c->line, c->col);
		tags_collect(&df->tagbuf, df->clean.data, df->clean.len);
	}
	if (m->tags != NULL)
		tags_collect(&df->tagbuf, m->tags, strlen(m->tags));
	tags_at = tags_finish(&df->tagbuf, &df->nbuf);

	/* Fields: named columns go to their slot, the others fill the free
	 * slots in order, and what is left is kept as extra fields. */
	if (m->labels != NULL) {
		enum deckfile_notetype names = nt;
		if (names == DECKFILE_NT_UNSET) {
			names = DECKFILE_NT_BASIC;
			for (size_t i = 0; i < ncells; i++)
				if (!is_meta[i] && field_slot(DECKFILE_NT_CLOZE,
				    m->labels[i], strlen(m->labels[i])) == 0)
					names = DECKFILE_NT_CLOZE;
		}
		for (size_t i = 0; i < ncells; i++) {
			int s;
			if (is_meta[i])
				continue;
			s = field_slot(names, m->labels[i], strlen(m->labels[i]));
			if (s >= 0 && slot_col[s] == SIZE_MAX)
				slot_col[s] = i;
		}
	}
	if (ncells + 2 > df->capnoff) {
		df->capnoff = ncells + 2;
		df->noff = xreallocarray(df->noff, df->capnoff, sizeof *df->noff);
	}
	{
		size_t order[DECKFILE_COLUMNS_MAX + 2], norder = 0;
		size_t next = 0;

		/* Column for slot 0, slot 1, then the rest. */
		for (int s = 0; s < 2; s++) {
			if (slot_col[s] == SIZE_MAX) {
				while (next < ncells && (is_meta[next] ||
				    next == slot_col[0] || next == slot_col[1]))
					next++;
				if (next < ncells)
					slot_col[s] = next++;
			}
		}
		for (int s = 0; s < 2; s++)
			order[norder++] = slot_col[s];
		for (size_t i = 0; i < ncells; i++)
			if (!is_meta[i] && i != slot_col[0] && i != slot_col[1])
				order[norder++] = i;
		if (order[0] == SIZE_MAX && order[1] == SIZE_MAX && norder == 2)
			return err_set(e, df->path, line, 1, "this row has no "
			    "field columns, only tags, deck, note type or GUID");
		for (size_t i = 0; i < norder; i++) {
			if (order[i] != SIZE_MAX)
				ngiven = i + 1;
			df->noff[nfield++] = df->nbuf.len;
			if (order[i] != SIZE_MAX) {
				c = &cells[order[i]];
				if (m->plain)
					plain_decode(c->s, c->len, &df->nbuf);
				else
					field_add(&df->nbuf, c->s, c->len);
			}
			buf_addc(&df->nbuf, '\0');
		}
	}
	/* Trailing empty extra fields carry nothing; the note type's own two
	 * fields always stay. */
	while (nfield > 2 && df->nbuf.data[df->noff[nfield - 1]] == '\0')
		nfield--;

	if (nfield > df->capnfields) {
		df->capnfields = nfield;
		df->nfields = xreallocarray(df->nfields, nfield,
		    sizeof *df->nfields);
	}
	memset(&n, 0, sizeof n);
	for (size_t i = 0; i < nfield; i++)
		df->nfields[i] = df->nbuf.data + df->noff[i];
	n.path = df->path;
	n.line = line;
	n.fields = df->nfields;
	n.nfields = nfield;
	n.ngiven = ngiven;
	n.tags = df->nbuf.data + tags_at;
	n.tags_from_row = m->meta_col[0] != 0;
	n.deck = deck_at != SIZE_MAX ? df->nbuf.data + deck_at : m->deck;
	n.deck_from_row = deck_at != SIZE_MAX;
	n.guid = guid_at != SIZE_MAX ? df->nbuf.data + guid_at : NULL;
	n.notetype = nt;
	n.if_matches = m->if_matches;
	if (m->plain)
		n.is_html = 0;
	else if (m->html >= 0)
		n.is_html = m->html;
	else {
		n.is_html = 0;
		for (size_t i = 0; i < nfield && !n.is_html; i++)
			n.is_html = html_is_html(n.fields[i],
			    strlen(n.fields[i]));
	}
	return df->sink.note(df->sink.arg, &n, e);
}

/* ---- Anki text: the header --------------------------------------------------- */

enum head_kind {
	HEAD_NO,	/* not a header line: the head ends here */
	HEAD_TAGS,	/* the old first line "tags:..." */
	HEAD_COMMENT,	/* '#' and no known key */
	HEAD_KEY,	/* "#key:value" with a key Anki knows */
};

static const char *const head_keys[] = {
	"separator", "html", "tags", "columns", "notetype", "deck",
	"tags column", "deck column", "notetype column", "guid column",
	"if matches", "match scope",
};

static enum head_kind
head_kind(const char *line, size_t len, int first, int *key)
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
	trim(&k, &klen);
	for (size_t i = 0; i < sizeof head_keys / sizeof head_keys[0]; i++) {
		if (word_eq(k, klen, head_keys[i])) {
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
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof *v);
		}
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

	trim(&s, &len);
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
	unsigned vcol = col_of(line, (size_t)(v - line));
	char sn[200];

	t = v;
	tlen = vlen;
	trim(&t, &tlen);
	switch (key) {
	case 0:		/* separator */
		for (size_t i = 0; i < sizeof separators / sizeof separators[0];
		    i++) {
			if (word_eq(t, tlen, separators[i].name)) {
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
		    "character other than '\"'", snip(sn, sizeof sn, t, tlen));
	case 1:		/* html */
		if (word_eq(t, tlen, "true"))
			df->html = 1;
		else if (word_eq(t, tlen, "false"))
			df->html = 0;
		else
			return err_set(e, df->path, ln, vcol, "unknown #html: "
			    "value '%s': expected true or false",
			    snip(sn, sizeof sn, t, tlen));
		return 0;
	case 2:		/* tags */
		clean_name(df, "tags", t, tlen, ln, vcol);
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
		if (df->notetype == DECKFILE_NT_UNSET)
			return err_set(e, df->path, ln, vcol, "unknown note type "
			    "'%s': expected Basic, Basic (and reversed card) or "
			    "Cloze", snip(sn, sizeof sn, t, tlen));
		return 0;
	case 5:		/* deck */
		clean_name(df, "deck name", t, tlen, ln, vcol);
		t = df->clean.data;
		tlen = df->clean.len;
		if (!deck_name_ok(t, tlen))
			return err_set(e, df->path, ln, vcol, "bad deck name "
			    "'%s': expected a name, parts separated by '::' not "
			    "empty", snip(sn, sizeof sn, t, tlen));
		if (deck_depth(t, tlen) > DECKFILE_DECK_DEPTH_MAX)
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
			    snip(sn, sizeof sn, t, tlen), DECKFILE_COLUMNS_MAX);
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
		if (word_eq(t, tlen, "update current"))
			df->if_matches = DECKFILE_UPDATE;
		else if (word_eq(t, tlen, "keep current"))
			df->if_matches = DECKFILE_KEEP_CURRENT;
		else if (word_eq(t, tlen, "keep both"))
			df->if_matches = DECKFILE_KEEP_BOTH;
		else
			return err_set(e, df->path, ln, vcol, "unknown #if matches: "
			    "value '%s': expected update current, keep current or "
			    "keep both", snip(sn, sizeof sn, t, tlen));
		return 0;
	case 11:	/* match scope: lemma always matches within the deck */
		if (!word_eq(t, tlen, "notetype") &&
		    !word_eq(t, tlen, "notetype + deck"))
			return err_set(e, df->path, ln, vcol, "unknown #match "
			    "scope: value '%s': expected notetype or notetype + "
			    "deck", snip(sn, sizeof sn, t, tlen));
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
	if (df->ncells == df->capcells) {
		df->capcells = df->capcells ? df->capcells * 2 : 16;
		df->cells = xreallocarray(df->cells, df->capcells,
		    sizeof *df->cells);
	}
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
	struct row_meta m;
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
	m.tags = df->global_tags;
	m.html = df->html;
	m.plain = df->plain_next;
	m.if_matches = df->if_matches;
	df->plain_next = 0;
	rc = emit_row(df, df->cells, df->ncells, df->rec_line, &m, e);
	buf_reset(&df->rec);
	df->ncells = 0;
	return rc;
}

static int
anki_line(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	size_t i = 0, run;
	unsigned col = 1;	/* column of line[i] */
	size_t col_at = 0;	/* col is known up to here */
	char sep = df->sep;
	int key = -1;

	if (df->in_head) {
		enum head_kind k = head_kind(line, len, ln == 1, &key);
		if (k == HEAD_TAGS) {
			clean_name(df, "tags", line + 5, len - 5, ln, 6);
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

#define COL_AT(off) (col += (unsigned)chars(line + col_at, (off) - col_at), \
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

/* ---- Markdown ------------------------------------------------------------------- */

/* A table row: optional indentation, then '|'. */
static int
is_pipe_row(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && is_blank(line[i]))
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
	while (start < len && is_blank(line[start]))
		start++;
	end = len;
	while (end > start && is_blank(line[end - 1]))
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
			if (is_blank(line[pipes[k] - 1]) && pipes[k] + 1 < end &&
			    is_blank(line[pipes[k] + 1]))
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
		while (from < to && is_blank(line[from]))
			from++;
		while (to > from && is_blank(line[to - 1]))
			to--;
		out[k].s = line + from;
		out[k].len = to - from;
		out[k].line = ln;
		out[k].col = col_of(line, from);
	}
	return ncells;
}

/* The |---|:--:| line under a table's header, with as many cells. */
static int
is_delim_row(const char *line, size_t len, size_t ncols)
{
	struct cell cells[64];
	size_t n;

	if (!is_pipe_row(line, len))
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

static int
is_table_start(const char *head, size_t hlen, const char *line, size_t len)
{
	struct cell cells[64];
	size_t n;

	if (!is_pipe_row(head, hlen))
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
		while (j < len && is_blank(line[j]))
			j++;
		if (j >= len || line[j] != '=')
			continue;
		j++;
		while (j < len && is_blank(line[j]))
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
		while (*vlen > 0 && (is_blank((*v)[*vlen - 1]) ||
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
		unsigned col = col_of(line, (size_t)(v - line));

		clean_name(df, "deck name", v, vlen, ln, col);
		v = df->clean.data;
		vlen = df->clean.len;
		/* Prose, not a header: what is not a deck name is left
		 * alone, but one too deep for lemma is an error. */
		if (deck_name_ok(v, vlen)) {
			if (deck_depth(v, vlen) > DECKFILE_DECK_DEPTH_MAX)
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
		if (word_eq(s, l, "tags"))
			role = 0;
		else if (word_eq(s, l, "deck"))
			role = 1;
		else if (word_eq(s, l, "note type") || word_eq(s, l, "notetype"))
			role = 2;
		else if (word_eq(s, l, "guid"))
			role = 3;
		if (role < 0)
			continue;
		if (df->meta_col[role] != 0) {
			unsigned col = cells[k].col;
			free(cells);
			return err_set(e, df->path, ln, col, "a second '%s' "
			    "column", snip(sn, sizeof sn, df->labels[k],
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
	struct row_meta m;
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
	m.meta_col = df->meta_col;
	m.deck = df->md_deck;
	m.notetype = df->md_notetype;
	m.html = -1;
	m.if_matches = DECKFILE_UPDATE;
	rc = emit_row(df, cells, n, ln, &m, e);
	free(cells);
	return rc;
}

static int
md_line(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	if (df->md_table) {
		if (is_pipe_row(line, len))
			return md_row(df, line, len, ln, e);
		df->md_table = 0;
	}
	if (df->md_pending) {
		df->md_pending = 0;
		if (is_table_start(df->md_prev.data, df->md_prev.len, line, len))
			return md_header(df, df->md_prev.data, df->md_prev.len,
			    df->md_prev_line, e);
		if (md_prose(df, df->md_prev.data, df->md_prev.len,
		    df->md_prev_line, e) < 0)
			return -1;
	}
	if (is_pipe_row(line, len)) {
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

/* ---- lines, lookahead and the public interface ---------------------------------- */

static int
dispatch(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	if (df->fmt == DECKFILE_MARKDOWN)
		return md_line(df, line, len, ln, e);
	return anki_line(df, line, len, ln, e);
}

/* The separator Anki would guess from the start of the body. */
static char
guess_separator(const char *body, size_t len)
{
	if (len > SEP_LOOKAHEAD)
		len = SEP_LOOKAHEAD;
	for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++)
		if (memchr(body, separators[i].c, len) != NULL)
			return separators[i].c;
	return ' ';
}

/* Settle the format and replay the lines held so far. */
static int
decide(struct deckfile *df, struct err *e)
{
	unsigned ln = df->held_first;
	size_t i = 0;

	if (df->fmt == DECKFILE_AUTO)
		df->fmt = df->look_md ? DECKFILE_MARKDOWN : DECKFILE_ANKI;
	df->decided = 1;
	df->guessed_sep = df->held.data == NULL ? ' ' :
	    guess_separator(df->held.data + df->body_start,
	    df->held.len - df->body_start);
	while (i < df->held.len) {
		const char *nl = memchr(df->held.data + i, '\n', df->held.len - i);
		size_t len = (size_t)(nl - (df->held.data + i));
		if (dispatch(df, df->held.data + i, len, ln++, e) < 0)
			return -1;
		i += len + 1;
	}
	buf_free(&df->held);
	buf_free(&df->look_prev);
	return 0;
}

/* Look at one more held line; returns 1 once the format can be decided. */
static int
look(struct deckfile *df, const char *line, size_t len, unsigned ln)
{
	if (df->look_head) {
		int key = -1;
		enum head_kind k = head_kind(line, len, ln == 1, &key);
		if (k != HEAD_NO) {
			if (k == HEAD_KEY) {
				df->look_hint = 1;
				if (key == 0)
					df->look_sep = 1;
			}
			df->body_start = df->held.len;
			return df->look_sep && (df->fmt == DECKFILE_ANKI ||
			    df->look_hint);
		}
		df->look_head = 0;
	}
	if (df->fmt == DECKFILE_AUTO && !df->look_hint) {
		if (df->look_pipe && is_table_start(df->look_prev.data,
		    df->look_prev.len, line, len)) {
			df->look_md = 1;
			return 1;
		}
		df->look_pipe = is_pipe_row(line, len);
		buf_reset(&df->look_prev);
		buf_add(&df->look_prev, line, len);
	}
	if (df->look_sep && (df->fmt == DECKFILE_ANKI || df->look_hint))
		return 1;
	if (df->held.len - df->body_start >= (df->fmt == DECKFILE_AUTO &&
	    !df->look_hint ? MD_LOOKAHEAD : SEP_LOOKAHEAD))
		return 1;
	return 0;
}

static int
handle_line(struct deckfile *df, const char *line, size_t len, struct err *e)
{
	unsigned ln = ++df->lineno;
	size_t bad;
	const char *nul;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (ln == 1) {
		if (len >= 2 && (((unsigned char)line[0] == 0xFF &&
		    (unsigned char)line[1] == 0xFE) || ((unsigned char)line[0] ==
		    0xFE && (unsigned char)line[1] == 0xFF)))
			return err_set(e, df->path, 1, 1, "this is UTF-16 text: "
			    "expected UTF-8 (save the file as UTF-8)");
		if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			line += 3;
			len -= 3;
		}
	}
	if ((nul = memchr(line, '\0', len)) != NULL)
		return err_set(e, df->path, ln, col_of(line, (size_t)(nul - line)),
		    "a NUL byte: expected UTF-8 text");
	if ((bad = invalid_offset(line, len)) != (size_t)-1)
		return err_set(e, df->path, ln, col_of(line, bad), "invalid UTF-8 "
		    "(byte 0x%02X): expected UTF-8 text",
		    (unsigned char)line[bad]);
	if (df->decided)
		return dispatch(df, line, len, ln, e);
	if (df->held.len == 0)
		df->held_first = ln;
	buf_add(&df->held, line, len);
	buf_addc(&df->held, '\n');
	if (look(df, line, len, ln))
		return decide(df, e);
	return 0;
}

struct deckfile *
deckfile_new(const char *path, enum deckfile_format f,
    const struct deckfile_sink *sink)
{
	struct deckfile *df = xcalloc(1, sizeof *df);

	df->path = xstrdup(path != NULL ? path : "");
	df->fmt = f;
	df->sink = *sink;
	df->in_head = 1;
	df->look_head = 1;
	df->html = -1;
	df->notetype = DECKFILE_NT_UNSET;
	df->md_notetype = DECKFILE_NT_UNSET;
	df->sep = '\t';
	df->guessed_sep = ' ';
	/* Markdown has no header lines and no separator to guess. */
	if (f == DECKFILE_MARKDOWN)
		df->decided = 1;
	return df;
}

int
deckfile_feed(struct deckfile *df, const char *data, size_t len,
    struct err *e)
{
	const char *p = data, *end = len > 0 ? data + len : data, *nl;

	if (df->dead)
		return err_set(e, df->path, df->lineno, 0, "reading stopped "
		    "after an earlier error");
	if (len == 0)
		return 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (df->part.len + n > DECKFILE_LINE_MAX) {
			df->dead = 1;
			return err_set(e, df->path, df->lineno + 1, 0, "a line "
			    "longer than %u MiB: expected a text file",
			    DECKFILE_LINE_MAX >> 20);
		}
		if (nl == NULL) {
			buf_add(&df->part, p, n);
			break;
		}
		if (df->part.len > 0) {
			buf_add(&df->part, p, n);
			if (handle_line(df, df->part.data, df->part.len, e) < 0)
				goto dead;
			buf_reset(&df->part);
		} else if (handle_line(df, p, n, e) < 0)
			goto dead;
		p = nl + 1;
	}
	return 0;
dead:
	df->dead = 1;
	return -1;
}

int
deckfile_finish(struct deckfile *df, struct err *e)
{
	if (df->dead)
		return err_set(e, df->path, df->lineno, 0, "reading stopped "
		    "after an earlier error");
	df->dead = 1;
	if (df->part.len > 0 && handle_line(df, df->part.data, df->part.len,
	    e) < 0)
		return -1;
	buf_reset(&df->part);
	if (!df->decided && decide(df, e) < 0)
		return -1;
	if (df->fmt == DECKFILE_MARKDOWN) {
		if (df->md_pending && md_prose(df, df->md_prev.data,
		    df->md_prev.len, df->md_prev_line, e) < 0)
			return -1;
		/* "0 added" alone would not say why. */
		if (df->md_tables == 0)
			warn(df, df->md_pipe_line, 0, "warning: no Markdown table "
			    "read: expected a header row such as | Front | Back "
			    "| (or Text, Extra; Tags, Deck, Note type, GUID "
			    "columns) with a line such as |---|---| under it");
		return 0;
	}
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

void
deckfile_set_warn(struct deckfile *df,
    void (*fn)(void *arg, const struct err *w), void *arg)
{
	df->warn = fn;
	df->warn_arg = arg;
}

enum deckfile_format
deckfile_format_of(const struct deckfile *df)
{
	return df->fmt;
}

void
deckfile_free(struct deckfile *df)
{
	if (df == NULL)
		return;
	for (size_t k = 0; k < df->nlabels; k++)
		free(df->labels[k]);
	free(df->labels);
	free(df->path);
	buf_free(&df->part);
	buf_free(&df->held);
	buf_free(&df->look_prev);
	free(df->global_tags);
	free(df->deck);
	free(df->columns_raw);
	buf_free(&df->rec);
	free(df->cells);
	buf_free(&df->md_prev);
	free(df->md_deck);
	buf_free(&df->nbuf);
	free(df->noff);
	free(df->nfields);
	buf_free(&df->tagbuf);
	buf_free(&df->clean);
	free(df);
}

int
deckfile_parse(const char *path, enum deckfile_format f, const char *data,
    size_t len, const struct deckfile_sink *sink, struct err *e)
{
	struct deckfile *df = deckfile_new(path, f, sink);
	int rc;

	rc = deckfile_feed(df, data, len, e);
	if (rc == 0)
		rc = deckfile_finish(df, e);
	deckfile_free(df);
	return rc;
}
