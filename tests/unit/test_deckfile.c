/*
 * test_deckfile.c - Anki text and Markdown tables into notes, the HTML
 * helpers, and cloze numbers and rendering.
 *
 * Each parse case is fed three ways (whole, one byte at a time, and in
 * uneven chunks) and must give the same notes, serialised as one line per
 * note: "L<line>[ attrs]: field | field ...", attrs only when not the
 * default (nt=N, html, deck=D, row-deck, guid=G, tags=[...], keep-current,
 * keep-both). An error case expects "ERR line:col: <part of the message>".
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/html.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/deckfile.h"
#include "lemma/model/cloze.h"

struct pcase {
	const char		*name;
	enum deckfile_format	 fmt;
	const char		*in;
	const char		*want;
};

static void
add_escaped(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			buf_adds(b, "\\n");
		else if (*s == '\t')
			buf_adds(b, "\\t");
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\x%02X", (unsigned char)*s);
		else
			buf_addc(b, *s);
	}
}

static int
collect(void *arg, const struct deckfile_note *n, struct err *e)
{
	struct buf *b = arg;

	(void)e;
	buf_printf(b, "L%u", n->line);
	if (n->notetype == DECKFILE_NT_NAMED)
		buf_printf(b, " nt=%s@%u:%u", n->notetype_name,
		    n->notetype_line, n->notetype_col);
	else if (n->notetype != DECKFILE_NT_UNSET)
		buf_printf(b, " nt=%d", (int)n->notetype);
	if (n->is_html)
		buf_adds(b, " html");
	if (n->deck != NULL)
		buf_printf(b, " deck=%s", n->deck);
	if (n->deck_from_row)
		buf_adds(b, " row-deck");
	if (n->guid != NULL)
		buf_printf(b, " guid=%s", n->guid);
	if (n->tags[0] != '\0')
		buf_printf(b, " tags=[%s]", n->tags);
	if (n->if_matches == DECKFILE_KEEP_CURRENT)
		buf_adds(b, " keep-current");
	if (n->if_matches == DECKFILE_KEEP_BOTH)
		buf_adds(b, " keep-both");
	buf_adds(b, ":");
	for (size_t i = 0; i < n->nfields; i++) {
		buf_adds(b, i == 0 ? " " : " | ");
		add_escaped(b, n->fields[i]);
	}
	buf_addc(b, '\n');
	return 0;
}

/* Warnings, after the notes: "W<line>:<col>: message". */
static void
collect_warn(void *arg, const struct err *w)
{
	buf_printf(arg, "W%u:%u: %s\n", w->line, w->col, w->msg);
}

/* Parse in, fed in chunks of step bytes (0: all at once). */
static char *
run(enum deckfile_format fmt, const char *in, size_t len, size_t step)
{
	struct buf out, warns;
	struct deckfile_sink sink = { collect, &out, NULL };
	struct deckfile *df;
	struct err e;
	size_t off = 0;
	int rc = 0;

	buf_init(&out);
	buf_add(&out, "", 0);
	buf_init(&warns);
	buf_add(&warns, "", 0);
	err_clear(&e);
	df = deckfile_new("t.txt", fmt, &sink);
	deckfile_set_warn(df, collect_warn, &warns);
	while (rc == 0 && off < len) {
		size_t n = step == 0 ? len : step + off % 3;
		if (n > len - off)
			n = len - off;
		rc = deckfile_feed(df, in + off, n, &e);
		off += n;
	}
	if (rc == 0)
		rc = deckfile_finish(df, &e);
	deckfile_free(df);
	if (rc < 0) {
		buf_reset(&out);
		buf_printf(&out, "ERR %u:%u: %s", e.line, e.col, e.msg);
	} else
		buf_adds(&out, warns.data);
	buf_free(&warns);
	return buf_steal(&out);
}

/* Mismatches so far: each case says what it got, and the test fails
 * after the whole table. */
static int failures;

static void
check_case(const struct pcase *c)
{
	size_t len = strlen(c->in);
	char *whole = run(c->fmt, c->in, len, 0);
	char *bytes = run(c->fmt, c->in, len, 1);
	char *chunks = run(c->fmt, c->in, len, 5);

	if (strncmp(c->want, "ERR ", 4) == 0) {
		if (strncmp(whole, c->want, strlen(c->want)) != 0 &&
		    strstr(whole, c->want + 4) == NULL) {
			print_error("case %s:\n got: %s\nwant: %s\n", c->name,
			    whole, c->want);
			failures++;
		}
		/* "ERR 3:5: text": the position must match exactly. */
		{
			const char *colon = strstr(c->want + 4, ": ");
			size_t poslen = (size_t)(colon - c->want);
			if (strncmp(whole, c->want, poslen) != 0) {
				print_error("case %s: position\n got: %s\nwant: "
				    "%s\n", c->name, whole, c->want);
				failures++;
			}
			if (strstr(whole, colon + 2) == NULL) {
				print_error("case %s: message\n got: %s\nwant: "
				    "%s\n", c->name, whole, c->want);
				failures++;
			}
		}
	} else if (strcmp(whole, c->want) != 0) {
		print_error("case %s:\n got:\n%s\nwant:\n%s\n", c->name, whole,
		    c->want);
		failures++;
	}
	if (strcmp(whole, bytes) != 0 || strcmp(whole, chunks) != 0) {
		print_error("case %s: chunked input differs\nwhole:\n%s\nbytes:\n"
		    "%s\nchunks:\n%s\n", c->name, whole, bytes, chunks);
		failures++;
	}
	free(whole);
	free(bytes);
	free(chunks);
}

#define A DECKFILE_AUTO
#define K DECKFILE_ANKI
#define M DECKFILE_MARKDOWN

/* ---- Anki text: separators ------------------------------------------------ */

static void
test_separators(void **state)
{
	static const struct pcase cases[] = {
		{ "tab guessed", A, "a\tb\nc\td\n", "L1: a | b\nL2: c | d\n" },
		{ "comma guessed", A, "a,b\n", "L1: a | b\n" },
		{ "semicolon guessed", A, "a;b\n", "L1: a | b\n" },
		{ "colon guessed", A, "a:b\n", "L1: a | b\n" },
		/* Anki's order: tab, pipe, semicolon, colon, comma, space. */
		{ "pipe beats comma", A, "a|b,c\n", "L1: a | b,c\n" },
		{ "tab beats all", A, "a b,c;d\te\n", "L1: a b,c;d | e\n" },
		{ "space at last", A, "a b\n", "L1: a | b\n" },
		/* issue 20: Anki's guess would split on the '|' of line 9. */
		{ "separator corrected", A,
		  "a;1\nb;2\nc;3\nd;4\ne;5\nf;6\ng;7\nh;8\np(x|y);9\n",
		  "L1: a | 1\nL2: b | 2\nL3: c | 3\nL4: d | 4\nL5: e | 5\n"
		  "L6: f | 6\nL7: g | 7\nL8: h | 8\nL9: p(x|y) | 9\n" },
		{ "separator ambiguous", A, "a|b\nc|d|e\n",
		  "L1: a | b\nL2: c | d\nW1:0: warning: the separator is a "
		  "guess the first rows do not settle; read as pipe (name it "
		  "with a #separator: line)\n"
		  "W2:5: warning: 3 columns, but the first row has 2: the extra "
		  "ones are dropped\n" },
		{ "no separator: space", A, "word\n", "L1: word | \n" },
		{ "guess after header", A, "#html:false\na;b\n", "L2: a | b\n" },
		{ "forced comma", A, "#separator:Comma\na\tb,c\n",
		  "L2: a\\tb | c\n" },
		{ "forced tab name", A, "#separator:tab\na,b\tc\n",
		  "L2: a,b | c\n" },
		{ "names ignore case", A, "#separator:SEMICOLON\na;b\n",
		  "L2: a | b\n" },
		{ "forced pipe", A, "#separator:Pipe\na|b\n", "L2: a | b\n" },
		{ "forced colon", A, "#separator:Colon\na:b\n", "L2: a | b\n" },
		{ "forced space", A, "#separator:Space\na b\tc\n",
		  "L2: a | b\\tc\n" },
		{ "literal ;", A, "#separator:;\na;b,c\n", "L2: a | b,c\n" },
		{ "literal tab", A, "#separator:\t\na\tb\n", "L2: a | b\n" },
		{ "literal space", A, "#separator: \na b\n", "L2: a | b\n" },
		{ "literal other", A, "#separator:~\na~b\n", "L2: a | b\n" },
		{ "key spacing and case", A, "# Separator :comma\na,b\n",
		  "L2: a | b\n" },
		/* Values Anki ignores are ignored, with a warning. */
		{ "unknown separator", A, "#separator:foo\na\n",
		  "L2: a | \nW1:12: warning: #separator: 'foo' ignored: "
		  "expected Tab, Comma, Semicolon, Pipe, Space, Colon or one "
		  "character other than '\"'\n" },
		{ "quote not a separator", A, "#separator:\"\na,b\n",
		  "L2: a | b\nW1:12: warning: #separator: '\"' ignored: "
		  "expected Tab, Comma, Semicolon, Pipe, Space, Colon or one "
		  "character other than '\"'\n" },
		{ "empty separator", A, "#separator:\na;b\n",
		  "L2: a | b\nW1:12: warning: #separator: '' ignored: "
		  "expected Tab, Comma, Semicolon, Pipe, Space, Colon or one "
		  "character other than '\"'\n" },
		{ "multibyte separator", A, "#separator:\xe2\x99\xa5\na\n",
		  "L2: a | \nW1:12: warning: #separator: '\xe2\x99\xa5' "
		  "ignored: expected Tab, Comma, Semicolon, Pipe, Space, Colon "
		  "or one character other than '\"'\n" },
		/* A spreadsheet round trip: Anki trims the value. */
		{ "separator suffixed", A, "#separator:Pipe,,,,,,,\na|b\n",
		  "L2: a | b\n" },
		{ "separator comma suffixed", A, "#separator:comma,,,,,\na,b\n",
		  "L2: a | b\n" },
		{ "separator tab suffixed", A, "#separator:\t|,:\na\tb|c\n",
		  "L2: a | b|c\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
	{
		int f = failures;
		failures = 0;
		assert_int_equal(f, 0);
	}
}

/* ---- the separator guess (issue 20) -------------------------------------- */

static void
test_separator_guess(void **state)
{
	static const struct {
		const char		*in;
		char			 sep;
		enum deckfile_sep_how	 how;
	} cases[] = {
		{ "a;b\nc;d\n", ';', DECKFILE_SEP_GUESSED },
		{ "a\tb\n", '\t', DECKFILE_SEP_GUESSED },
		{ "word\n", ' ', DECKFILE_SEP_GUESSED },
		{ "#separator:comma\na;b\n", ',', DECKFILE_SEP_HEADER },
		/* Anki takes '|' (it comes first); the rows say ';'. */
		{ "a;1\nb;2\nc;3\nd;4\ne;5\nf;6\ng;7\nh;8\np(x|y);9\n", ';',
		  DECKFILE_SEP_CORRECTED },
		/* A consistent Anki guess stays, though ',' is consistent too. */
		{ "a;b,c\nd;e,f\n", ';', DECKFILE_SEP_GUESSED },
		/* Quotes count: the '|' is inside one. */
		{ "\"a|b\";c\nd;e\n", '|', DECKFILE_SEP_GUESSED },
		/* No candidate gives one width: Anki's, ambiguous. */
		{ "a|b\nc|d|e\n", '|', DECKFILE_SEP_AMBIGUOUS },
		/* Two candidates do: the first in Anki's order, ambiguous. */
		{ "a|b;c,d\ne|f|g;h,i\n", ';', DECKFILE_SEP_AMBIGUOUS },
		/* Only the rows inside the 8 KiB window count. */
		{ "#html:false\nx:1\ny:2\n", ':', DECKFILE_SEP_GUESSED },
	};
	struct deckfile_sink sink = { collect, NULL, NULL };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf out;
		struct deckfile *df;
		struct err e;
		enum deckfile_sep_how how;
		char sep;

		buf_init(&out);
		buf_add(&out, "", 0);
		sink.arg = &out;
		df = deckfile_new("t.txt", DECKFILE_AUTO, &sink);
		assert_int_equal(deckfile_feed(df, cases[i].in,
		    strlen(cases[i].in), &e), 0);
		assert_int_equal(deckfile_finish(df, &e), 0);
		sep = deckfile_separator(df, &how);
		if (sep != cases[i].sep || how != cases[i].how) {
			print_error("case %zu: separator '%c' how %d, want '%c' "
			    "how %d\n", i, sep, (int)how, cases[i].sep,
			    (int)cases[i].how);
			fail();
		}
		deckfile_free(df);
		buf_free(&out);
	}
}

/* ---- Anki text: quoting, lines, encodings ------------------------------------ */

static void
test_quoting(void **state)
{
	static const struct pcase cases[] = {
		{ "quoted separator", A, "\"a,b\",c\n", "L1: a,b | c\n" },
		{ "doubled quotes", A, "\"say \"\"hi\"\"\",x\n",
		  "L1: say \"hi\" | x\n" },
		{ "quoted newline", A, "\"one\ntwo\",b\nc,d\n",
		  "L1: one\\ntwo | b\nL3: c | d\n" },
		{ "quoted blank line", A, "\"one\n\ntwo\",b\n",
		  "L1: one\\n\\ntwo | b\n" },
		{ "quoted CRLF", A, "\"one\r\ntwo\",b\r\n",
		  "L1: one\\ntwo | b\n" },
		{ "quoted # line", A, "\"one\n# not a comment\",b\n",
		  "L1: one\\n# not a comment | b\n" },
		{ "quote inside plain", A, "a\"b,c\n", "L1: a\"b | c\n" },
		{ "text after quote", A, "\"a\"b,c\n", "L1: ab | c\n" },
		{ "space before quote", A, " \"a\",b\n", "L1:  \"a\" | b\n" },
		{ "empty quoted", A, "\"\",b\n", "L1:  | b\n" },
		{ "quoted last field", A, "a,\"b\"\n", "L1: a | b\n" },
		/* Anki: the column after the fields is the tags column. */
		{ "empty fields", A, "a,,c\n", "L1 tags=[c]: a | \n" },
		{ "trailing empty dropped", A, "a,b,,\n", "L1: a | b\n" },
		{ "one field padded", A, "#separator:tab\nfront\n",
		  "L2: front | \n" },
		{ "front back tags", A, "a\tb\tt1 t2\n", "L1 tags=[t1 t2]: a | b\n" },
		{ "extra columns kept", A, "a\tb\tc\td\n",
		  "L1 tags=[c]: a | b | d\n" },
		/* The first row fixes the columns (Anki): more are dropped with a
		 * warning, fewer are empty. */
		{ "ragged rows", A, "a\tb\nc\td\te\nf\n",
		  "L1: a | b\nL2: c | d\nL3: f | \n"
		  "W2:5: warning: 3 columns, but the first row has 2: the extra "
		  "ones are dropped\n" },
		{ "short row, no tags", A, "a\tb\tt\nc\td\n",
		  "L1 tags=[t]: a | b\nL2: c | d\n" },
		{ "CR line ends", A, "a\tb\rc\td\r\re\tf", 
		  "L1: a | b\nL2: c | d\nL4: e | f\n" },
		{ "CR then CRLF", A, "a,b\r\r\nc,d\r\n\"q\rr\",s\r",
		  "L1: a | b\nL3: c | d\nL4: q\\nr | s\n" },
		{ "trailing space kept", A, "a \tb \n", "L1: a  | b \n" },
		{ "br first field", A, "#separator:tab\n<br/>\tb\n \tc\n",
		  "L2 html: <br/> | b\nL3 html:   | c\n" },
		{ "unterminated quote", A, "x,y\na,\"bc\nd\n",
		  "ERR 2:3: unterminated quoted field" },
		{ "unterminated at end", A, "\"abc", "ERR 1:1: unterminated" },
		{ "no final newline", A, "a,b", "L1: a | b\n" },
		{ "blank lines skipped", A, "\n\na,b\n\n", "L3: a | b\n" },
		{ "comments skipped", A, "a,b\n# note\n#\nc,d\n",
		  "L1: a | b\nL4: c | d\n" },
		{ "unit separator kept visible", A, "a\x1f" "b,c\n",
		  "L1: a\xe2\x90\x9f" "b | c\n" },
		{ "control chars stored", A, "a\x1b[31m,b\x07\n",
		  "L1: a\\x1B[31m | b\\x07\n" },
		{ "BOM and CRLF", A,
		  "\xEF\xBB\xBF#separator:tab\r\na\tb\r\nc\td\r\n",
		  "L2: a | b\nL3: c | d\n" },
		{ "BOM before data", A, "\xEF\xBB\xBF" "a,b\n", "L1: a | b\n" },
		{ "invalid UTF-8", A, "ok,1\nab\xff,c\n",
		  "ERR 2:3: invalid UTF-8 (byte 0xFF)" },
		{ "overlong UTF-8", A, "\xc0\xaf,c\n", "ERR 1:1: invalid UTF-8" },
		{ "invalid after wide char", A, "\xc3\xa9t\xc3\xa9\xe2\x82,x\n",
		  "ERR 1:4: invalid UTF-8" },
		{ "NUL byte", A, "a,b\nc\0d,e\n", "ERR 2:2: a NUL byte" },
		{ "UTF-16", A, "\xff\xfe" "a\0", "ERR 1:1: UTF-16" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* The NUL cases need their real lengths. */
		if (strcmp(cases[i].name, "NUL byte") == 0) {
			static const char in[] = "a,b\nc\0d,e\n";
			char *got = run(A, in, sizeof in - 1, 0);
			assert_string_equal(got, "ERR 2:2: a NUL byte: expected "
			    "UTF-8 text");
			free(got);
			continue;
		}
		if (strcmp(cases[i].name, "UTF-16") == 0) {
			static const char in[] = "\xff\xfe" "a\0,\0b\0\n\0";
			char *got = run(A, in, sizeof in - 1, 0);
			assert_non_null(strstr(got, "ERR 1:1: this is UTF-16"));
			free(got);
			continue;
		}
		check_case(&cases[i]);
	}
	{
		int f = failures;
		failures = 0;
		assert_int_equal(f, 0);
	}
}

/* ---- Anki text: header lines ------------------------------------------------- */

static void
test_headers(void **state)
{
	static const struct pcase cases[] = {
		{ "html true", A, "#html:true\na,b\n", "L2 html: a | b\n" },
		{ "html TRUE", A, "#html:TRUE\na,b\n", "L2 html: a | b\n" },
		{ "html false keeps tags", A, "#html:false\n<b>a</b>,b\n",
		  "L2: <b>a</b> | b\n" },
		/* Without #html:, the first 5 rows decide for the file. */
		{ "html detected", A, "<b>a</b>,b\nplain,c\n",
		  "L1 html: <b>a</b> | b\nL2 html: plain | c\n" },
		{ "html from row 5", A, "a,1\nb,2\nc,3\nd,4\n<i>e</i>,5\nf,6\n",
		  "L1 html: a | 1\nL2 html: b | 2\nL3 html: c | 3\n"
		  "L4 html: d | 4\nL5 html: <i>e</i> | 5\nL6 html: f | 6\n" },
		{ "not html from row 6", A, "a,1\nb,2\nc,3\nd,4\ne,5\n<i>f</i>,6\n",
		  "L1: a | 1\nL2: b | 2\nL3: c | 3\nL4: d | 4\nL5: e | 5\n"
		  "L6: <i>f</i> | 6\n" },
		/* Anki guesses ';' here (from "&amp;"), and so do we. */
		{ "entity and the guess", A, "AT&amp;T,b\n",
		  "L1: AT&amp | T,b\n" },
		{ "html entity detected", A, "#separator:comma\nAT&amp;T,b\n",
		  "L2 html: AT&amp;T | b\n" },
		{ "comparisons are not html", A, "a < b,c > d\n",
		  "L1: a < b | c > d\n" },
		{ "unknown html value", A, "#html:maybe\na\n",
		  "L2: a | \nW1:7: warning: #html: 'maybe' ignored: expected "
		  "true or false\n" },
		{ "html suffixed", A, "#html:true|||||\na\n", "L2 html: a | \n" },
		{ "global tags", A, "#tags:zed Alpha\na,b\n",
		  "L2 tags=[Alpha zed]: a | b\n" },
		{ "old tags line", A, "tags:one two\na,b\n",
		  "L2 tags=[one two]: a | b\n" },
		{ "old tags only first", A, "#separator:comma\ntags:x,y\n",
		  "L2: tags:x | y\n" },
		{ "tags column", A,
		  "#separator:tab\n#tags column:3\n#tags:zed Alpha\n"
		  "a\tb\tx y ALPHA\n",
		  "L4 tags=[ALPHA x y zed]: a | b\n" },
		{ "deck", A, "#deck:Lang::French\na,b\n",
		  "L2 deck=Lang::French: a | b\n" },
		{ "deck column", A,
		  "#separator:tab\n#deck:Default\n#deck column:1\n"
		  "A::B\tq\ta\n\tq2\ta2\n",
		  "L4 deck=A::B row-deck: q | a\nL5 deck=Default: q2 | a2\n" },
		{ "bad deck", A, "#deck:a::::b\nx\n", "ERR 1:7: bad deck name" },
		{ "bad deck cell", A, "#separator:comma\n#deck column:2\nx,::y,z\n",
		  "ERR 3:3: bad deck name '::y'" },
		/* 33 levels: refused where the name is; 32 are fine. */
		{ "deep deck", A, "#deck:a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a\nx\n",
		  "ERR 1:7: deck name nests more than 32 levels" },
		{ "deep deck cell", A, "#separator:comma\n#deck column:2\n"
		  "x,a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a,z\n", "ERR 3:3: deck name nests more than 32 levels" },
		{ "deep deck prose", M, "deck = a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a\n\n"
		  "| Front | Back |\n|---|---|\n| a | b |\n",
		  "ERR 1:8: deck name nests more than 32 levels" },
		{ "32 levels", A, "#deck:a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a\nx,y\n",
		  "L2 deck=a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a::a: x | y\n" },
		/* Control, bidi and zero-width characters leave names and tags. */
		{ "unsafe deck and tags", A, "#separator:tab\n#deck:E\033]0;t\007v\342\200\256il\n"
		  "#tags:a\342\200\213b c\n#tags column:3\nq\ta\tx\302\233y\n",
		  "L5 deck=E]0;tvil tags=[ab c xy]: q | a\n"
		  "W2:7: warning: deck name: removed 3 control, bidi or "
		  "zero-width characters\n"
		  "W3:7: warning: tags: removed 1 control, bidi or zero-width "
		  "character\n"
		  "W5:5: warning: tags: removed 1 control, bidi or zero-width "
		  "character\n" },
		{ "notetype", A, "#notetype:Cloze\na,b\n", "L2 nt=2: a | b\n" },
		{ "notetype any case", A,
		  "#notetype:basic (AND reversed card)\na,b\n",
		  "L2 nt=1: a | b\n" },
		{ "anki aliases", A,
		  "#notetype:Basic (optional reversed card)\na,b\n",
		  "L2 nt=3: a | b\n" },
		{ "type in the answer", A,
		  "#notetype:Basic (type in the answer)\na,b\n",
		  "L2 nt=4: a | b\n" },
		/* Another name is passed on with where it stands: the importer
		 * looks it up among the user's note types. */
		{ "user notetype", A, "#notetype: Fancy \na\n",
		  "L2 nt=Fancy@1:11: a | \n" },
		{ "notetype column", A,
		  "#separator:tab\n#notetype column:1\nCloze\t{{c1::x}}\ty\n"
		  "Basic\tq\ta\n",
		  "L3 nt=2: {{c1::x}} | y\nL4 nt=0: q | a\n" },
		{ "user notetype cell", A,
		  "#separator:tab\n#notetype column:2\nq\tFancy\ta\n",
		  "L3 nt=Fancy@3:3: q | a\n" },
		{ "guid column", A, "#guid column:1\nG#1,q,a\n",
		  "L2 guid=G#1: q | a\n" },
		{ "empty guid", A, "#guid column:1\n,q,a\n", "L2: q | a\n" },
		{ "bad guid", A, "#guid column:1\n\"a b\",q\n",
		  "ERR 2:1: bad GUID 'a b'" },
		{ "all meta columns", A,
		  "#separator:tab\n#html:false\n#guid column:1\n"
		  "#notetype column:2\n#deck column:3\n#tags column:4\n"
		  "g1\tBasic\tD::E\tt1 t2\tfront\tback\textra\n",
		  "L7 nt=0 deck=D::E row-deck guid=g1 tags=[t1 t2]: front | "
		  "back | extra\n" },
		{ "column not a number", A, "#deck column:x\na\n",
		  "L2: a | \nW1:14: warning: #deck column: 'x' ignored: "
		  "expected a column number from 1 to 1000\n" },
		{ "column number suffixed", A, "#guid column:1   \ng,a\n",
		  "L2 guid=g: a | \n" },
		{ "column number and letters", A, "#tags column:3abc \na,b,c\n",
		  "L2 tags=[c]: a | b\nW1:14: warning: #tags column: '3abc' "
		  "ignored: expected a column number from 1 to 1000\n" },
		{ "column zero", A, "#tags column:0\na\n",
		  "L2: a | \nW1:14: warning: #tags column: '0' ignored: "
		  "expected a column number from 1 to 1000\n" },
		{ "column twice", A, "#deck column:1\n#tags column:1\na,b\n",
		  "ERR 2:14: column 1 is already named by the header on line 1" },
		{ "row too short", A, "#guid column:3\na,b\n", "L2: a | b\n" },
		{ "only meta columns", A, "#deck column:1\nD\n",
		  "ERR 2:1: this row has no field columns" },
		{ "columns", A, "#separator:tab\n#columns:Front\tBack\na\tb\n",
		  "L3: a | b\n" },
		{ "columns by name", A, "#separator:tab\n#columns:Back\tFront\n"
		  "b\tf\n", "L3: f | b\n" },
		{ "columns before separator", A,
		  "#columns:Back|Front\n#separator:pipe\nb|f\n", "L3: f | b\n" },
		{ "columns cloze names", A,
		  "#separator:tab\n#columns:Back Extra\tText\nx\t{{c1::t}}\n",
		  "L3: {{c1::t}} | x\n" },
		{ "columns with meta", A,
		  "#separator:tab\n#columns:Tags\tBack\tFront\n#tags column:1\n"
		  "t\tb\tf\n", "L4 tags=[t]: f | b\n" },
		{ "columns count", A, "#separator:tab\n#columns:Front\tBack\n"
		  "a\tb\tc\n", "L3: a | b\nW3:5: warning: 3 columns, but the "
		  "#columns: line has 2: the extra ones are dropped\n" },
		{ "columns with tags", A, "#separator:tab\n#columns:Front\tBack\t"
		  "Tags\na\tb\tx\n", "L3 tags=[x]: a | b\n" },
		{ "columns by name, tags", A, "#separator:tab\n#columns:Back\t"
		  "Front\tTags\nb\tf\tx\n", "L3 tags=[x]: f | b\n" },
		{ "columns empty", A, "#columns:\na\n",
		  "L2: a | \nW1:10: warning: #columns: '' ignored: expected "
		  "column names\n" },
		{ "meta column beyond columns", A,
		  "#separator:tab\n#columns:a\tb\n#tags column:3\nx\ty\n",
		  "ERR 3:1: column 3 is beyond the 2 columns" },
		{ "if matches", A, "#if matches:keep current\na,b\n",
		  "L2 keep-current: a | b\n" },
		{ "if matches both", A, "#if matches:Keep Both\na,b\n",
		  "L2 keep-both: a | b\n" },
		{ "if matches update", A, "#if matches:update current\na,b\n",
		  "L2: a | b\n" },
		{ "if matches bad", A, "#if matches:merge\na\n",
		  "L2: a | \nW1:13: warning: #if matches: 'merge' ignored: "
		  "expected update current, keep current or keep both\n" },
		{ "match scope", A, "#match scope:notetype + deck\na,b\n",
		  "L2: a | b\n" },
		{ "match scope bad", A, "#match scope:world\na,b\n",
		  "L2: a | b\nW1:14: warning: #match scope: 'world' ignored: "
		  "expected notetype or notetype + deck\n" },
		{ "empty deck", A, "#deck:\na,b\n",
		  "L2: a | b\nW1:7: warning: #deck: '' ignored: expected a deck "
		  "name\n" },
		{ "unknown key is a comment", A, "#foo:bar\n#\n# hello: x\na,b\n",
		  "L4: a | b\n" },
		{ "headers only at the top", A, "a\tb\n#deck:X\nc\td\n",
		  "L1: a | b\nL3: c | d\n" },
		{ "blank line ends the head", A, "\n#deck:X\na\tb\n",
		  "L3: a | b\n" },
		{ "header values stripped", A, "#deck: My Deck \r\na,b\r\n",
		  "L2 deck=My Deck: a | b\n" },
		{ "error text is made safe", A, "#deck column:\x1b[2J\na\n",
		  "L2: a | \nW1:14: warning: #deck column: '\\x1B[2J' ignored: "
		  "expected a column number from 1 to 1000\n" },
		{ "plain marker", A,
		  "#separator:tab\n#html:true\n#lemma:plain\n"
		  "a &lt;b&gt; &amp;amp;<br>c&#13;\tx\n<b>h</b>\ty\n",
		  "L4: a <b> &amp;\\nc\\x0D | x\nL5 html: <b>h</b> | y\n" },
		{ "anki forced format", K, "| a | b |\n|---|---|\n",
		  "L1 tags=[b]:  |  a \nL2 tags=[---]:  | ---\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
	{
		int f = failures;
		failures = 0;
		assert_int_equal(f, 0);
	}
}

/* ---- Markdown ------------------------------------------------------------------ */

static char *
slurp(const char *rel, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s/%s", LEMMA_SRCDIR, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void
test_markdown(void **state)
{
	static const struct pcase cases[] = {
		{ "simple", A, "Title\n\n| Front | Back |\n|---|---|\n| a | b |\n",
		  "L5: a | b\n" },
		{ "forced", M, "| Front | Back |\n|---|---|\n| a | b |\n",
		  "L3: a | b\n" },
		{ "escaped pipe", A, "| Front | Back |\n|---|---|\n"
		  "| a \\| b | c\\|d |\n", "L3: a | b | c|d\n" },
		{ "bare pipes in text", A, "| Front | Back |\n|:--|--:|\n"
		  "| KL(p||q) and r(y|x) | x || y |\n",
		  "L3: KL(p||q) and r(y|x) | x || y\n" },
		{ "no outer pipes at end", A, "| Front | Back |\n| --- | --- |\n"
		  "| a | b\n", "L3: a | b\n" },
		{ "empty cell", A, "| Front | Back |\n|---|---|\n|  | b |\n"
		  "| a |  |\n", "L3:  | b\nL4: a | \n" },
		{ "more columns", A, "| Front | Back | Source |\n|---|---|---|\n"
		  "| a | b | c |\n", "L3: a | b | c\n" },
		{ "named columns", A, "| Back | Front | Tags | Deck |\n"
		  "|---|---|---|---|\n| b | f | t2 t1 | X::Y |\n",
		  "L3 deck=X::Y row-deck tags=[t1 t2]: f | b\n" },
		{ "guid and note type", A,
		  "| GUID | Note type | Text | Extra |\n|---|---|---|---|\n"
		  "| g1 | Cloze | {{c1::a}} | e |\n",
		  "L3 nt=2 guid=g1: {{c1::a}} | e\n" },
		{ "deck phrase", A, "Import with deck = A · B, note type = Basic "
		  "(and reversed card).\n| Front | Back |\n|---|---|\n| a | b |\n",
		  "L4 nt=1 deck=A · B: a | b\n" },
		{ "deck phrase alone", A, "deck = Lang::Es\n\n| Front | Back |\n"
		  "|---|---|\n| a | b |\n", "L5 deck=Lang::Es: a | b\n" },
		{ "two tables", A, "deck = One\n| Front | Back |\n|---|---|\n"
		  "| a | b |\n\ndeck = Two\n\n| Front | Back |\n|---|---|\n"
		  "| c | d |\n",
		  "L4 deck=One: a | b\nL10 deck=Two: c | d\n" },
		{ "pipe prose", A, "| not a table\nx\n| Front | Back |\n|---|---|\n"
		  "| a | b |\n", "L5: a | b\n" },
		{ "html in cell", A, "| Front | Back |\n|---|---|\n"
		  "| a<br>b | c |\n", "L3 html: a<br>b | c\n" },
		{ "table ends at prose", A, "| Front | Back |\n|---|---|\n"
		  "| a | b |\nthe end\n| c | d |\n", "L3: a | b\n" },
		{ "CRLF and BOM", A, "\xEF\xBB\xBF| Front | Back |\r\n|---|---|\r\n"
		  "| a | b |\r\n", "L3: a | b\n" },
		{ "cell count", A, "| Front | Back |\n|---|---|\n| a | b | c |\n",
		  "ERR 3:1: this row has 3 cells, the table header has 2" },
		{ "cell count short", A, "| Front | Back | X |\n|---|---|---|\n"
		  "| a | b |\n", "ERR 3:1: this row has 2 cells" },
		{ "second tags column", A, "| Front | Tags | tags |\n|---|---|---|\n",
		  "ERR 1:18: a second 'tags' column" },
		{ "user note type cell", A, "| Front | Note type |\n|---|---|\n"
		  "| a | Fancy |\n", "L3 nt=Fancy@3:7: a | \n" },
		{ "invalid UTF-8", A, "| Front | Back |\n|---|---|\n| a\xfe | b |\n",
		  "ERR 3:4: invalid UTF-8" },
	};
	size_t len;
	char *seed, *got;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);

	/* The seed deck: ten cards, its deck named in the instructions. */
	seed = slurp("tests/data/decks/seed/000_6aecd75b5320bf2a.txt", &len);
	got = run(A, seed, len, 0);
	{
		size_t n = 0;
		for (const char *p = got; (p = strchr(p, '\n')) != NULL; p++)
			n++;
		assert_int_equal(n, 10);
	}
	assert_non_null(strstr(got, "L8 nt=0 deck=Tokens to Embodied Minds "
	    "\xc2\xb7 Ch 02: State the relationship between cross-entropy and "
	    "perplexity. | Perplexity = exp(cross-entropy)."));
	assert_non_null(strstr(got, "L9 nt=0 deck=Tokens to Embodied Minds "
	    "\xc2\xb7 Ch 02: Why is forward KL (KL(teacher||student)) preferred "
	    "over reverse KL in knowledge distillation? | Forward KL"));
	assert_non_null(strstr(got, "L10 nt=0 deck=Tokens to Embodied Minds "
	    "\xc2\xb7 Ch 02: Write the RLHF objective including the KL penalty "
	    "term. | J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x))."));
	free(got);
	free(seed);

	/* The same ten cards as TSV: the same fields. */
	{
		size_t len2;
		char *tsv = slurp("tests/data/decks/seed/001_e48d0a43f8b5889a.txt",
		    &len2);
		char *a, *b, *p;

		seed = slurp("tests/data/decks/seed/000_6aecd75b5320bf2a.txt",
		    &len);
		a = run(A, seed, len, 0);
		b = run(A, tsv, len2, 0);
		/* Drop the "Lnn attrs:" prefixes and compare the fields. */
		for (char *s = a, *t = b; *s != '\0' && *t != '\0';) {
			char *es = strchr(s, '\n'), *et = strchr(t, '\n');
			p = strstr(s, ": ");
			char *q = strstr(t, ": ");
			assert_int_equal(es - p, et - q);
			assert_memory_equal(p, q, (size_t)(es - p));
			s = es + 1;
			t = et + 1;
		}
		assert_int_equal(deckfile_notetype_parse("Cloze", 5),
		    DECKFILE_NT_CLOZE);
		free(a);
		free(b);
		free(seed);
		free(tsv);
	}
}

/* The format a file is read as. */
static void
test_format_detect(void **state)
{
	static const struct {
		const char		*in;
		enum deckfile_format	 want;
	} cases[] = {
		{ "a\tb\n", DECKFILE_ANKI },
		{ "x\n| Front | Back |\n|---|---|\n| a | b |\n", DECKFILE_MARKDOWN },
		/* A known header line: Anki text, whatever follows. */
		{ "#separator:pipe\n| Front | Back |\n|---|---|\n", DECKFILE_ANKI },
		{ "| a | b |\n| c | d |\n", DECKFILE_ANKI },
		{ "", DECKFILE_ANKI },
	};
	struct buf out;
	struct deckfile_sink sink = { collect, &out, NULL };
	struct err e;

	(void)state;
	buf_init(&out);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct deckfile *df = deckfile_new("t", DECKFILE_AUTO, &sink);
		assert_int_equal(deckfile_feed(df, cases[i].in,
		    strlen(cases[i].in), &e), 0);
		assert_int_equal(deckfile_finish(df, &e), 0);
		assert_int_equal(deckfile_format_of(df), cases[i].want);
		deckfile_free(df);
	}
	buf_free(&out);
}

/* A sink error stops the parse and comes back unchanged. */
static int
refuse(void *arg, const struct deckfile_note *n, struct err *e)
{
	(void)arg;
	return err_set(e, n->path, n->line, 0, "refused");
}

static void
test_sink_error(void **state)
{
	struct deckfile_sink sink = { refuse, NULL, NULL };
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(deckfile_parse("f.tsv", DECKFILE_AUTO, "a\tb\n", 4,
	    &sink, &e), -1);
	assert_string_equal(e.msg, "refused");
	assert_string_equal(e.path, "f.tsv");
	assert_int_equal(e.line, 1);
}

/* A very long line is refused before it costs memory. */
static void
test_limits(void **state)
{
	struct buf out;
	struct deckfile_sink sink = { collect, &out, NULL };
	struct deckfile *df;
	struct err e;
	char *chunk = malloc(1 << 20);
	int rc = 0;

	(void)state;
	buf_init(&out);
	memset(chunk, 'x', 1 << 20);
	df = deckfile_new("big", DECKFILE_AUTO, &sink);
	for (int i = 0; i < 10 && rc == 0; i++)
		rc = deckfile_feed(df, chunk, 1 << 20, &e);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(e.msg, "a line longer than"));
	deckfile_free(df);

	/* An unterminated quote over many lines: the quote is named. */
	df = deckfile_new("q", DECKFILE_AUTO, &sink);
	rc = deckfile_feed(df, "a,\"", 3, &e);
	memset(chunk, 'y', 1 << 20);
	for (int i = 0; i < 64 && rc == 0; i++) {
		chunk[(1 << 20) - 1] = '\n';
		rc = deckfile_feed(df, chunk, 1 << 20, &e);
	}
	assert_int_equal(rc, -1);
	assert_int_equal(e.line, 1);
	assert_int_equal(e.col, 3);
	assert_non_null(strstr(e.msg, "is this quote closed?"));
	deckfile_free(df);
	free(chunk);
	buf_free(&out);
}

/* ---- HTML helpers ------------------------------------------------------------------ */

static void
test_html(void **state)
{
	static const struct {
		const char	*in;
		const char	*text;
		int		 is_html;
	} cases[] = {
		{ "plain", "plain", 0 },
		{ "a<br>b", "a\nb", 1 },
		{ "a<br/>b<BR />c", "a\nb\nc", 1 },
		{ "<div>one</div><div>two</div>", "one\ntwo", 1 },
		{ "<p>one</p><p>two</p>", "one\ntwo", 1 },
		{ "<b>bold</b> <i>it</i> <u>u</u> <code>c</code>",
		  "bold it u c", 1 },
		{ "x &lt; y &amp;&amp; z &gt; 0", "x < y && z > 0", 1 },
		{ "&quot;q&quot; &#39;s&#39; &#x3B1; &nbsp;.", "\"q\" 's' \xce\xb1 "
		  "\xc2\xa0.", 1 },
		/* HTML5: a legacy name needs no ';', but only a reference
		 * with one makes a field HTML. */
		{ "&unknown; &amp", "&unknown; &", 0 },
		{ "&#0; &#xD800; &#99999999; &#999999999;", "\xef\xbf\xbd "
		  "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd", 1 },
		/* issue 15: the whole HTML5 table, as the renderer has it */
		{ "&alpha; &notin; &#128; &frac34 &NotEqualTilde; &ampx",
		  "\xce\xb1 \xe2\x88\x89 \xe2\x82\xac \xc2\xbe "
		  "\xe2\x89\x82\xcc\xb8 &x", 1 },
		{ "<span style=\"a>b\">x</span>", "x", 1 },
		{ "<script>alert(1)</script>ok", "ok", 0 },
		{ "<style>p{}</style>ok", "ok", 0 },
		{ "<script>never closed", "", 0 },
		{ "a<!-- hidden -->b", "ab", 0 },
		{ "<img src=\"http://x/y.png\">pic", "pic", 1 },
		{ "a < b and c > d", "a < b and c > d", 0 },
		{ "a<b", "a<b", 0 },
		{ "<unknown>x</unknown>", "x", 0 },
		{ "line\nbreak<br>in source", "line break\nin source", 1 },
		{ "<ul><li>a</li><li>b</li></ul>", "a\nb", 1 },
		{ "x<div></div>", "x", 1 },
	};
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		html_to_text(cases[i].in, strlen(cases[i].in), &b);
		if (strcmp(b.data, cases[i].text) != 0) {
			print_error("html_to_text(%s) = '%s', want '%s'\n",
			    cases[i].in, b.data, cases[i].text);
			fail();
		}
		if (html_is_html(cases[i].in, strlen(cases[i].in)) !=
		    cases[i].is_html) {
			print_error("is_html(%s) != %d\n", cases[i].in,
			    cases[i].is_html);
			fail();
		}
	}
	buf_free(&b);
}

/* ---- Anki's own tests, as rows (issue 20) ---------------------------------------- */

/*
 * rslib/src/import_export/text/csv/metadata.rs: each assertion of its
 * tests that applies to a file (decks and note types by id do not: lemma
 * names them), as input and the notes and warnings lemma reads.
 */
static void
test_anki_metadata(void **state)
{
	static const struct pcase cases[] = {
		/* should_detect_deck_by_name_or_id */
		{ "deck by name", A, "#deck:my deck\na,b\n", "L2 deck=my deck: a | b\n" },
		{ "unknown deck", A, "#deck:foo\na,b\n", "L2 deck=foo: a | b\n" },
		{ "numeric deck name", A, "#deck:1234\na,b\n", "L2 deck=1234: a | b\n" },
		{ "empty deck falls back", A, "#deck:\na,b\n", "L2: a | b\n"
		  "W1:7: warning: #deck: '' ignored: expected a deck name\n" },
		{ "no deck", A, "\na,b\n", "L2: a | b\n" },
		/* should_detect_notetype_by_name_or_id */
		{ "notetype by name", A, "#notetype:Basic\na,b\n", "L2 nt=0: a | b\n" },
		/* should_detect_valid_delimiters */
		{ "separator comma", A, "#separator:comma\na,b\n", "L2: a | b\n" },
		{ "separator tab char", A, "#separator:\t\na\tb\n", "L2: a | b\n" },
		{ "separator foo", A, "#separator:foo\na b\n", "L2: a | b\n"
		  "W1:12: warning: #separator: 'foo' ignored: expected Tab, "
		  "Comma, Semicolon, Pipe, Space, Colon or one character other "
		  "than '\"'\n" },
		{ "separator heart", A, "#separator:\xe2\x99\xa5\na b\n",
		  "L2: a | b\nW1:12: warning: #separator: '\xe2\x99\xa5' "
		  "ignored: expected Tab, Comma, Semicolon, Pipe, Space, Colon "
		  "or one character other than '\"'\n" },
		{ "separator from first line", A, "foo\tbar\n", "L1: foo | bar\n" },
		{ "separator last resort", A, "foobar\n", "L1: foobar | \n" },
		/* should_enforce_valid_html_flag */
		{ "html true", A, "#html:true\na,b\n", "L2 html: a | b\n" },
		{ "html FALSE", A, "#html:FALSE\n<b>a</b>,b\n", "L2: <b>a</b> | b\n" },
		{ "html maybe", A, "#html:maybe\na,b\n", "L2: a | b\n"
		  "W1:7: warning: #html: 'maybe' ignored: expected true or "
		  "false\n" },
		/* should_set_missing_html_flag_by_first_line */
		{ "html by first line", A, "<br/>\n", "L1 html: <br/> | \n" },
		{ "html by field", A, "<br,/>\n", "L1: <br | />\n" },
		{ "html false wins", A, "#html:false\n<br>\n", "L2: <br> | \n" },
		/* should_detect_old_and_new_style_tags */
		{ "old tags", A, "tags:foo bar\na,b\n", "L2 tags=[bar foo]: a | b\n" },
		{ "new tags", A, "#tags:foo bar\na,b\n", "L2 tags=[bar foo]: a | b\n" },
		{ "tags in head", A, "#\n#tags:foo bar\na,b\n",
		  "L3 tags=[bar foo]: a | b\n" },
		/* (Anki too guesses ':' from the "#tags:" comment here.) */
		{ "tags only in head", A, "\n#tags:foo bar\na,b\n",
		  "L3: a,b | \n" },
		{ "old tags only first", A, "#\ntags:foo bar\n",
		  "L2: tags | foo bar\n" },
		/* should_detect_column_number_and_names */
		{ "columns from line", A, "foo;bar\n", "L1: foo | bar\n" },
		{ "columns encoded", A, "#separator:,\nfoo;bar\n",
		  "L2: foo;bar | \n" },
		{ "columns pipe", A, "#separator:|\nfoo|bar\n", "L2: foo | bar\n" },
		{ "custom names", A, "#columns:one\ttwo\na\tb\n", "L2: a | b\n" },
		{ "custom names pipe", A, "#separator:|\n#columns:one|two\na|b\n",
		  "L3: a | b\n" },
		/* should_detect_column_number_despite_escaped_line_breaks */
		{ "escaped line break", A, "\"foo|\nbar\"\tfoo\tbar\n",
		  "L1 tags=[bar]: foo|\\nbar | foo\n" },
		/* should_map_default_notetype_fields_by_index_if_no_column_names */
		{ "fields by index", A, "#deck column:1\nfoo,bar,baz\n",
		  "L2 deck=foo row-deck: bar | baz\n" },
		/* should_map_default_notetype_fields_by_given_column_names (the
		 * names in the file's own separator) */
		{ "fields by name", A, "#separator:tab\n#columns:Back\tFront\n"
		  "foo\tbar\tbaz\n", "L3: bar | foo\nW3:9: warning: 3 columns, "
		  "but the #columns: line has 2: the extra ones are dropped\n" },
		/* should_parse_first_first_line_despite_bom */
		{ "bom separator", A, "\xEF\xBB\xBF#separator:tab\na\tb,c\n",
		  "L2: a | b,c\n" },
		{ "bom tags", A, "\xEF\xBB\xBFtags:foo\na,b\n",
		  "L2 tags=[foo]: a | b\n" },
		/* should_not_set_tags_column_if_all_are_field_columns */
		{ "no tags column", A, "a,b\n", "L1: a | b\n" },
		/* should_set_tags_column_to_next_unused_column */
		{ "tags after meta", A, "#separator:tab\n#guid column:3\n"
		  "a\tb\tg\tt1\n", "L3 guid=g tags=[t1]: a | b\n" },
		/* should_allow_non_freeform_metadata_lines_to_be_suffixed_by_
		 * delimiters */
		{ "suffixed separator", A, "#separator:Pipe,,,,,,,\na|b\n",
		  "L2: a | b\n" },
		{ "suffixed html", A, "#html:true|||||\na\n", "L2 html: a | \n" },
		/* lemma: spaces around a value are no part of it. */
		{ "spaced html", A, "#html: true \na\n", "L2 html: a | \n" },
		{ "spaced column", A, "#guid column: 1\ng,a\n", "L2 guid=g: a | \n" },
		{ "tags are free", A, "#tags:foo bar::\xe4\xb8\x96\xe7\x95\x8c,,,\n"
		  "a,b\n", "L2 tags=[bar::\xe4\xb8\x96\xe7\x95\x8c,,, foo]: a | b\n" },
		{ "suffixed guid column", A, "#guid column:3   \na,b,g\n",
		  "L2 guid=g: a | b\n" },
		{ "tags column not trimmed", A, "#tags column:123abc \na,b,c\n",
		  "L2 tags=[c]: a | b\nW1:14: warning: #tags column: '123abc' "
		  "ignored: expected a column number from 1 to 1000\n" },
		{ "separator of several", A, "#separator:\t|,:\na\tb|c\n",
		  "L2: a | b|c\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
	{
		int f = failures;
		failures = 0;
		assert_int_equal(f, 0);
	}
}

/* rslib/src/import_export/text/csv/import.rs: each test, as a file. */
static void
test_anki_csv_import(void **state)
{
	static const struct pcase cases[] = {
		{ "missing columns", A, "foo\n", "L1: foo | \n" },
		{ "custom delimiter", A, "#separator:pipe\nfr,ont|ba,ck\n",
		  "L2: fr,ont | ba,ck\n" },
		{ "first line tags", A, "tags:foo\nfront,back\n",
		  "L2 tags=[foo]: front | back\n" },
		/* Anki drops the unmapped column; lemma keeps it (README). */
		{ "column remapping", A, "#separator:comma\n#columns:Back,x,Front\n"
		  "front,foo,back\n", "L3: back | front | foo\n" },
		{ "number sign lines", A, "#foo\nfront,back\n#bar\n",
		  "L2: front | back\n" },
		/* Anki escapes "<hr>" in a plain file; lemma keeps the plain
		 * text and its flag. */
		{ "plain file keeps text", A, "#html:false\n<hr>\n", "L2: <hr> | \n" },
		{ "html file", A, "#html:true\n<hr>\n", "L2 html: <hr> | \n" },
		{ "tag column", A, "#tags column:3\nfront,back,foo bar\n",
		  "L2 tags=[bar foo]: front | back\n" },
		{ "deck column", A, "#deck column:1\nfront,back\n",
		  "L2 deck=front row-deck: back | \n" },
		{ "notetype column", A, "#notetype column:1\nBasic,front,back\n"
		  "Cloze,foo,bar\n", "L2 nt=0: front | back\nL3 nt=2: foo | bar\n" },
		{ "bom", A, "\xEF\xBB\xBF" "foo,bar\n", "L1: foo | bar\n" },
		{ "bom comment", A, "\xEF\xBB\xBF#foo\n", "" },
		{ "bom header", A, "\xEF\xBB\xBF#html:true\n", "" },
		{ "bom tags line", A, "\xEF\xBB\xBFtags:foo\n", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
	{
		int f = failures;
		failures = 0;
		assert_int_equal(f, 0);
	}
}

/* ---- cloze --------------------------------------------------------------------------- */

static void
test_cloze_numbers(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;	/* numbers, comma-separated */
	} cases[] = {
		{ "no cloze", "" },
		{ "{{c1::a}}", "1" },
		{ "{{c1::a::hint}}", "1" },
		{ "{{c2::a}} {{c1::b}} {{c2::c}}", "1,2" },
		{ "{{c1::outer {{c2::inner}} more}}", "1,2" },
		{ "{{c1::a {{c2::b {{c3::c}}}}}}", "1,2,3" },
		{ "{{c10::x}}", "10" },
		{ "{{c01::x}}", "1" },
		{ "{{c0::x}}", "" },
		{ "{{c10000::x}}", "" },
		{ "{{c1::never closed", "" },
		{ "{{c1::a {{c2::b}}", "2" },
		{ "{{c::x}} {{ca::x}} {c1::x}}", "" },
		{ "}} {{c3::x}} }}", "3" },
		{ "{{c1::}}", "1" },
		/* Ported from Anki's rslib/src/cloze.rs tests (issue 20). */
		{ "test", "" },
		{ "{{c2::te}}{{c1::s}}t{{", "1,2" },
		{ "{{c0::te}}s{{c2::t}}s", "2" },
		{ "{{c2::te{{c1::s}}}}t{{", "1,2" },
		{ "\xc3\xb6" "a\xc3\xb6" "a\xc3\xb6\xc3\xb6\xc3\xb6" "a\xc3\xb6", "" },
		{ "{{c1,2,3::multi}}", "1,2,3" },
		{ "{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}",
		  "1,2" },
		{ "{{c1,1,2::test}}", "1,2" },
		{ "{{c0,1,2::test}}", "1,2" },
		{ "{{c1,,3::test}}", "1,3" },
		{ "{{c1,2::outer {{c3::inner}}}}", "1,2,3" },
		{ "{{c1::outer {{c1::inner}}}}", "1" },
		{ "{{c1,2::image-occlusion:rect:left=10:top=20:width=30:"
		  "height=40}}", "1,2" },
		/* lemma: an empty list is no cloze; numbers past CLOZE_MAX are
		 * dropped from a list. */
		{ "{{c,::x}}", "" },
		{ "{{c3,10000::x}}", "3" },
	};
	unsigned nums[8];
	char got[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = cloze_numbers(cases[i].in, nums, 8);
		got[0] = '\0';
		for (size_t k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got),
			    "%s%u", k ? "," : "", nums[k]);
		if (strcmp(got, cases[i].want) != 0) {
			print_error("cloze_numbers(%s) = %s, want %s\n",
			    cases[i].in, got, cases[i].want);
			fail();
		}
		assert_int_equal(cloze_has(cases[i].in), cases[i].want[0] != '\0');
	}
	/* More numbers than room: the count, and the smallest stored. */
	assert_int_equal(cloze_numbers("{{c3::a}}{{c1::b}}{{c2::c}}", nums, 2),
	    3);
	assert_int_equal(nums[0], 1);
	assert_int_equal(nums[1], 2);
}

static void
test_cloze_render(void **state)
{
	static const struct {
		const char	*in;
		unsigned	 n;
		int		 answer;
		const char	*want;
	} cases[] = {
		{ "Paris is the capital of {{c1::France}}.", 1, 0,
		  "Paris is the capital of <[...]>." },
		{ "Paris is the capital of {{c1::France}}.", 1, 1,
		  "Paris is the capital of <France>." },
		{ "{{c1::Paris::city}} is in {{c2::France::country}}", 1, 0,
		  "<[city]> is in France" },
		{ "{{c1::Paris::city}} is in {{c2::France::country}}", 2, 1,
		  "Paris is in <France>" },
		{ "{{c1::a {{c2::b}} c}}", 1, 0, "<[...]>" },
		{ "{{c1::a {{c2::b}} c}}", 2, 0, "a <[...]> c" },
		{ "{{c1::a {{c2::b}} c}}", 1, 1, "<a b c>" },
		{ "{{c1::a {{c2::b}} c}}", 2, 1, "a <b> c" },
		{ "{{c1::x}} and {{c1::y}}", 1, 0, "<[...]> and <[...]>" },
		{ "{{c1::never closed {{c2::b}}", 2, 1,
		  "{{c1::never closed <b>" },
		{ "{{c1::a::}}", 1, 0, "<[...]>" },
		{ "{{c1::a::b::c}}", 1, 0, "<[b::c]>" },
		{ "no cloze", 1, 0, "no cloze" },
		/* Ported from Anki's rslib/src/cloze.rs tests (issue 20):
		 * reveal_cloze_text(text, n, question) after strip_html. */
		{ "foo {{c1::bar {{c2::baz}}}}", 1, 0, "foo <[...]>" },
		{ "foo {{c1::bar {{c2::baz}}}}", 1, 1, "foo <bar baz>" },
		{ "foo {{c1::bar {{c2::baz}}::qux}}", 2, 0, "foo bar <[...]>" },
		{ "foo {{c1::bar {{c2::baz}}::qux}}", 2, 1, "foo bar <baz>" },
		{ "foo {{c1::bar {{c2::baz}}::qux}}", 1, 0, "foo <[qux]>" },
		{ "foo {{c1::bar {{c2::baz}}::qux}}", 1, 1, "foo <bar baz>" },
		{ "The {{c1::moon::\xf0\x9f\x8c\x9b}} {{c2::orbits::this hint "
		  "has \"::\" in it}} the {{c3::\xf0\x9f\x8c\x8f}}.", 1, 1,
		  "The <moon> orbits the \xf0\x9f\x8c\x8f." },
		{ "{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}", 1,
		  0, "<[...]> word and <[...]> vs second" },
		{ "{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}", 2,
		  0, "<[...]> word and first vs <[...]>" },
		{ "{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}", 1,
		  1, "<shared> word and <first> vs second" },
		{ "{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}", 2,
		  1, "<shared> word and first vs <second>" },
		{ "{{c1,2::answer::hint}}", 1, 0, "<[hint]>" },
		{ "{{c1,2::answer::hint}}", 2, 0, "<[hint]>" },
		{ "{{c1,2::answer::hint}}", 1, 1, "<answer>" },
		{ "{{c1,2::answer::hint}}", 2, 1, "<answer>" },
		{ "{{c1,2::outer {{c3::inner}}}}", 1, 0, "<[...]>" },
		{ "{{c1,2::outer {{c3::inner}}}}", 2, 0, "<[...]>" },
		{ "{{c1,2::outer {{c3::inner}}}}", 3, 0, "outer <[...]>" },
		{ "{{c1::outer {{c1::inner}}}}", 1, 0, "<[...]>" },
		{ "{{c0::te}}s{{c2::t}}s", 2, 0, "tes<[...]>s" },
		/* Anki draws an occlusion over the image; lemma names it. */
		{ "{{c1::image-occlusion:rect:left=10.0:top=20:width=30:"
		  "height=10}}", 1, 0, "<[image occlusion: rect]>" },
		{ "{{c1,2::image-occlusion:rect:left=10:top=20:width=30:"
		  "height=40}}", 2, 1, "<[image occlusion: rect]>" },
		{ "{{c1::image-occlusion:text:left=10:top=20:text=\\:l\\\\ol"
		  "\\::width=30:height=40}}", 2, 0,
		  "[image occlusion: text: :l\\ol:]" },
	};
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		cloze_render(cases[i].in, cases[i].n, cases[i].answer, "<", ">",
		    &b);
		if (strcmp(b.data, cases[i].want) != 0) {
			print_error("cloze_render(%s, %u, %d) = '%s', want '%s'\n",
			    cases[i].in, cases[i].n, cases[i].answer, b.data,
			    cases[i].want);
			fail();
		}
	}
	/* Without markers. */
	buf_reset(&b);
	cloze_render("{{c1::a}}", 1, 0, NULL, NULL, &b);
	assert_string_equal(b.data, "[...]");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_separator_guess),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_format_detect),
		cmocka_unit_test(test_sink_error),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_anki_metadata),
		cmocka_unit_test(test_anki_csv_import),
		cmocka_unit_test(test_cloze_numbers),
		cmocka_unit_test(test_cloze_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
