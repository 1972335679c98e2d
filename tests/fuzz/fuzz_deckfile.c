/* fuzz-sources: src/formats/deckfile.c src/formats/deckfile-anki.c src/formats/deckfile-md.c src/formats/deckfile-note.c src/base/html.c src/model/tags.c src/base/utf8.c src/base/termsafe.c src/base/entity.c src/base/entity-table.c src/base/err.c src/base/xmalloc.c src/base/nfc.c src/model/cloze.c src/render/render.c src/render/render-runs.c src/render/render-prep.c src/render/mediaref.c src/render/render-math.c src/render/render-latex.c src/render/render-width.c src/render/render-tables.c src/render/render-width-tab.c */
/* fuzz-libs: -lunistring */
/*
 * fuzz_deckfile.c - libFuzzer target: any bytes as a deck file (format
 * detected, so Anki text mostly, with its header lines, separators and
 * quoting).
 *
 * The input is parsed whole, then again fed in two pieces split where the
 * first byte says, then (when short) one byte at a time: all three must
 * give the same notes or the same error. Every note must hold what the
 * importer relies on: at least two fields, valid UTF-8 everywhere, no
 * U+001F inside a field, tags as "a b" (single spaces, no ends), a deck
 * name without empty parts. A broken promise aborts.
 *
 * Build with -DFUZZ_MAIN (any compiler) for a main() that runs the files
 * named on the command line once each, or replays the seed corpus as a TAP
 * test (make check).
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/html.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/deckfile.h"

/* fuzz_markdown.c is this file with FUZZ_MARKDOWN defined: the same
 * promises, the Markdown form, and the cell helpers checked too. */
#ifdef FUZZ_MARKDOWN
#include "lemma/model/cloze.h"
#define NAME	"fuzz_markdown"
#define CORPUS	"markdown"
#define FORMAT	DECKFILE_MARKDOWN
#else
#define NAME	"fuzz_deckfile"
#define CORPUS	"deckfile"
#define FORMAT	DECKFILE_AUTO
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, NAME ": broken promise: %s\n", what);
		abort();
	}
}

static void
check_text(const char *s, const char *what)
{
	must(utf8_invalid_offset(s, strlen(s)) == (size_t)-1, what);
}

#ifdef FUZZ_MARKDOWN
/* The HTML and cloze helpers keep valid UTF-8 valid. */
static void
helpers(const char *s)
{
	struct buf b;
	unsigned nums[4];
	size_t n;

	buf_init(&b);
	html_to_text(s, strlen(s), &b);
	check_text(b.data != NULL ? b.data : "", "html_to_text is UTF-8");
	(void)html_is_html(s, strlen(s));
	n = cloze_numbers(s, nums, 4);
	must(cloze_has(s) == (n > 0), "cloze_has agrees");
	for (size_t i = 0; i < n && i < 4; i++) {
		must(nums[i] >= 1 && nums[i] <= CLOZE_MAX, "cloze number range");
		must(i == 0 || nums[i] > nums[i - 1], "cloze numbers ascend");
		for (int answer = 0; answer < 2; answer++) {
			buf_reset(&b);
			cloze_render(s, nums[i], answer, "<", ">", &b);
			check_text(b.data, "cloze_render is UTF-8");
		}
	}
	buf_free(&b);
}
#endif

static int
sink(void *arg, const struct deckfile_note *n, struct err *e)
{
	struct buf *out = arg;
	size_t tl = strlen(n->tags);

	(void)e;
	must(n->nfields >= 2, "two fields");
	for (size_t i = 0; i < n->nfields; i++) {
		check_text(n->fields[i], "field is UTF-8");
#ifdef FUZZ_MARKDOWN
		helpers(n->fields[i]);
#endif
		must(strchr(n->fields[i], '\x1f') == NULL, "no U+001F in a field");
	}
	check_text(n->tags, "tags are UTF-8");
	must(tl == 0 || (n->tags[0] != ' ' && n->tags[tl - 1] != ' ' &&
	    strstr(n->tags, "  ") == NULL), "tags are 'a b'");
	if (n->deck != NULL) {
		check_text(n->deck, "deck is UTF-8");
		must(n->deck[0] != '\0' && strncmp(n->deck, "::", 2) != 0 &&
		    strstr(n->deck, "::::") == NULL, "deck has no empty part");
	}
	if (n->guid != NULL)
		must(n->guid[0] != '\0' && strchr(n->guid, ' ') == NULL, "guid");
	/* A built-in type, none, or a name for the importer to look up. */
	must(n->notetype >= DECKFILE_NT_NAMED && n->notetype <= DECKFILE_NT_TYPING,
	    "note type");
	must((n->notetype == DECKFILE_NT_NAMED) == (n->notetype_name != NULL),
	    "note type name");
	if (n->notetype_name != NULL)
		must(n->notetype_name[0] != '\0', "empty note type name");
	buf_printf(out, "%u %d %d %d %s|%s|%s|", n->line, (int)n->notetype,
	    n->is_html, (int)n->if_matches, n->deck != NULL ? n->deck : "-",
	    n->guid != NULL ? n->guid : "-", n->tags);
	for (size_t i = 0; i < n->nfields; i++) {
		buf_adds(out, n->fields[i]);
		buf_addc(out, '\x1f');
	}
	buf_addc(out, '\n');
	return 0;
}

/* Parse data in pieces of the given sizes (0 ends the list). */
static char *
parse(const uint8_t *data, size_t size, size_t first, size_t step)
{
	struct buf out;
	struct deckfile_sink s = { sink, &out, NULL };
	struct deckfile *df;
	struct err e;
	size_t off = 0;
	int rc = 0;

	buf_init(&out);
	buf_add(&out, "", 0);
	df = deckfile_new("fuzz", FORMAT, &s);
	while (rc == 0 && off < size) {
		size_t n = off == 0 && first > 0 ? first : step;
		if (n == 0 || n > size - off)
			n = size - off;
		rc = deckfile_feed(df, (const char *)data + off, n, &e);
		off += n;
	}
	if (rc == 0)
		rc = deckfile_finish(df, &e);
	deckfile_free(df);
	if (rc < 0) {
		buf_reset(&out);
		buf_printf(&out, "ERR %s:%u:%u: %s", e.path, e.line, e.col, e.msg);
		check_text(e.msg, "error message is UTF-8");
		for (const char *p = e.msg; *p != '\0'; p++)
			must((unsigned char)*p >= 0x20, "no control bytes in errors");
	}
	return buf_steal(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *whole, *split, *bytes;

	whole = parse(data, size, 0, 0);
	split = parse(data, size, size > 0 ? 1 + data[0] % size : 0, 0);
	must(strcmp(whole, split) == 0, "split input reads the same");
	if (size <= 2048) {
		bytes = parse(data, size, 0, 1);
		must(strcmp(whole, bytes) == 0, "bytewise input reads the same");
		free(bytes);
	}
	free(whole);
	free(split);
	return 0;
}

#ifdef FUZZ_MAIN
#include "fuzz-replay.h"
#endif
