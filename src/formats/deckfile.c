/*
 * deckfile.c - Anki text and Markdown drill tables into notes; see
 * deckfile.h. This file cuts the input into lines, decides the format and
 * holds the helpers every part uses; the formats are deckfile-anki.c and
 * deckfile-md.c, the note a row makes deckfile-note.c (all private to the
 * module: deckfile-int.h).
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

#include "deckfile-int.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"

/* ---- small helpers --------------------------------------------------------- */

/* Copy at most 40 characters of s into out for a message, with control
 * characters shown as \xNN so that nothing from a file reaches a terminal
 * raw. */
const char *
df_snip(char *out, size_t outlen, const char *s, size_t len)
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
size_t
df_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* The column (1-based, in characters) of byte offset off in line. Lines
 * are checked as UTF-8 before anything asks. */
unsigned
df_col_of(const char *line, size_t off)
{
	return (unsigned)df_chars(line, off) + 1;
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

int
df_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void
df_trim(const char **s, size_t *len)
{
	while (*len > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

int
df_word_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* A warning, through the callback deckfile_set_warn gave. */
void
df_warn(struct deckfile *df, unsigned line, unsigned col, const char *fmt, ...)
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
void
df_clean_name(struct deckfile *df, const char *what, const char *s, size_t len,
    unsigned line, unsigned col)
{
	size_t n;

	buf_reset(&df->clean);
	buf_add(&df->clean, "", 0);
	if ((n = termsafe_strip(&df->clean, s, len)) > 0)
		df_warn(df, line, col,
		    "warning: %s: removed %zu control, bidi or "
		    "zero-width character%s", what, n, n == 1 ? "" : "s");
}

/* Levels of a deck name that deck_name_ok accepted. */
size_t
df_deck_depth(const char *s, size_t len)
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
int
df_deck_name_ok(const char *s, size_t len)
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
	case DECKFILE_NT_OPTIONAL_REVERSED:
		return "Basic (optional reversed card)";
	case DECKFILE_NT_TYPING:
		return "Basic (type in the answer)";
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
		{ "Basic (type in the answer)",		DECKFILE_NT_TYPING },
		{ "Basic (and reversed card)",		DECKFILE_NT_REVERSED },
		{ "Basic (optional reversed card)",
		    DECKFILE_NT_OPTIONAL_REVERSED },
		{ "Cloze",				DECKFILE_NT_CLOZE },
	};

	df_trim(&s, &len);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (df_word_eq(s, len, names[i].name))
			return names[i].nt;
	return DECKFILE_NT_UNSET;
}

/* ---- lines, lookahead and the public interface ---------------------------------- */

static int
dispatch(struct deckfile *df, const char *line, size_t len, unsigned ln,
    struct err *e)
{
	if (df->fmt == DECKFILE_MARKDOWN)
		return df_md_line(df, line, len, ln, e);
	return df_anki_line(df, line, len, ln, e);
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
	df->guessed_how = DECKFILE_SEP_GUESSED;
	df->guessed_sep = df->held.data == NULL ? ' ' :
	    df_anki_guess_separator(df->held.data + df->body_start,
	    df->held.len - df->body_start, &df->guessed_how);
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
		enum df_head_kind k = df_anki_head_kind(line, len, ln == 1,
		    &key);
		if (k != HEAD_NO) {
			if (k == HEAD_KEY) {
				df->look_hint = 1;
				if (key == 0 && df_anki_head_sep_ok(line, len))
					df->look_sep = 1;
			}
			df->body_start = df->held.len;
			return df->look_sep && (df->fmt == DECKFILE_ANKI ||
			    df->look_hint);
		}
		df->look_head = 0;
	}
	if (df->fmt == DECKFILE_AUTO && !df->look_hint) {
		if (df->look_pipe && df_md_is_table_start(df->look_prev.data,
		    df->look_prev.len, line, len)) {
			df->look_md = 1;
			return 1;
		}
		df->look_pipe = df_md_is_pipe_row(line, len);
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
		return err_set(e, df->path, ln, df_col_of(line,
		    (size_t)(nul - line)),
		    "a NUL byte: expected UTF-8 text");
	if ((bad = invalid_offset(line, len)) != (size_t)-1)
		return err_set(e, df->path, ln, df_col_of(line, bad),
		    "invalid UTF-8 "
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
	const char *p = data, *end = len > 0 ? data + len : data;
	const char *nl = NULL, *cr = NULL, *eol;

	if (df->dead)
		return err_set(e, df->path, df->lineno, 0, "reading stopped "
		    "after an earlier error");
	if (len == 0)
		return 0;
	while (p < end) {
		size_t n;

		/* The LF of a CRLF whose CR ended the last chunk. */
		if (df->cr_pending) {
			df->cr_pending = 0;
			if (*p == '\n') {
				p++;
				continue;
			}
		}
		/*
		 * A line ends at LF, CRLF or a lone CR (old Mac files, and
		 * what some spreadsheets write), as Anki's CSV reader has it.
		 * Where the next of each is, is remembered: one pass over the
		 * chunk.
		 */
		if (nl == NULL || nl < p)
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
		if (cr == NULL || cr < p)
			if ((cr = memchr(p, '\r', (size_t)(end - p))) == NULL)
				cr = end;
		eol = cr < nl ? cr : nl;
		n = (size_t)(eol - p);
		if (df->part.len + n > DECKFILE_LINE_MAX) {
			df->dead = 1;
			return err_set(e, df->path, df->lineno + 1, 0, "a line "
			    "longer than %u MiB: expected a text file",
			    DECKFILE_LINE_MAX >> 20);
		}
		if (eol == end) {
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
		p = eol + 1;
		if (*eol == '\r') {
			if (p == end)
				df->cr_pending = 1;
			else if (*p == '\n')
				p++;
		}
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
	if (df->fmt == DECKFILE_MARKDOWN)
		return df_md_finish(df, e);
	return df_anki_finish(df, e);
}

void
deckfile_set_skip(struct deckfile *df, int (*fn)(void *arg, const char *path,
    unsigned line, const char *why, struct err *e), void *arg)
{
	df->skip = fn;
	df->skip_arg = arg;
}

int
df_skip(struct deckfile *df, unsigned line, const char *why, struct err *e)
{
	if (df->skip != NULL)
		return df->skip(df->skip_arg, df->path, line, why, e);
	df_warn(df, line, 0, "warning: row skipped: %s", why);
	return 0;
}

char
deckfile_separator(const struct deckfile *df, enum deckfile_sep_how *how)
{
	if (df->fmt != DECKFILE_ANKI || !df->decided) {
		*how = DECKFILE_SEP_NONE;
		return '\0';
	}
	*how = df->sep_forced ? DECKFILE_SEP_HEADER : df->guessed_how;
	return df->in_head && !df->sep_forced ? df->guessed_sep : df->sep;
}

const char *
deckfile_separator_name(char sep, char *buf, size_t buflen)
{
	switch (sep) {
	case '\t':
		return "tab";
	case '|':
		return "pipe";
	case ';':
		return "semicolon";
	case ':':
		return "colon";
	case ',':
		return "comma";
	case ' ':
		return "space";
	}
	snprintf(buf, buflen, "'%c'", sep);
	return buf;
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
	for (size_t k = 0; k < df->npending; k++) {
		buf_free(&df->pending[k].rec);
		free(df->pending[k].cells);
	}
	free(df->notetype_name);
	free(df->row_notetype);
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
