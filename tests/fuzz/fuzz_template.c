/* fuzz-sources: src/model/template.c src/model/notetype.c src/model/typeanswer.c src/model/cloze.c src/base/html.c src/base/entity.c src/base/entity-table.c src/base/utf8.c src/base/termsafe.c src/base/err.c src/base/xmalloc.c src/render/render.c src/render/render-runs.c src/render/render-prep.c src/render/mediaref.c src/render/render-math.c src/render/render-latex.c src/render/render-width.c src/render/render-tables.c src/render/render-width-tab.c */
/*
 * fuzz_template.c - libFuzzer target for the card template language and
 * the type-in-the-answer comparison.
 *
 * The input is split at NUL bytes: the first part is a question template,
 * the second an answer template, the rest the note's fields (named F0, F1,
 * ...). Both sides are rendered as a card of a normal and of a cloze type.
 * Checked besides the sanitizers: template_check and template_render
 * agree on whether the template parses; an error has a message; a card
 * that template_renders says is empty renders no field text of its own
 * (it may still have the template's text); the comparison's runs put back
 * together give the typed and the expected text (when it is UTF-8).
 * Run: tests/fuzz/run-fuzz.sh template 60
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/notetype.h"
#include "lemma/model/template.h"
#include "lemma/model/typeanswer.h"

#define CORPUS	"template"
#define MAXF	8

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_template: %s\n", what);
		abort();
	}
}

/* The runs of one side, joined; missing runs on the typed side are the
 * '-' stand-ins and are left out. */
static char *
joined(const struct typeans_run *r, size_t n, int skip_missing)
{
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++)
		if (!skip_missing || r[i].kind != TYPEANS_MISSING)
			buf_adds(&b, r[i].text);
	return buf_steal(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = xmalloc(size + 1), *part[2 + MAXF], names[MAXF][4];
	const char *nm[MAXF];
	size_t nparts = 1;
	struct notetype nt;
	char err[256];

	memcpy(copy, data, size);
	copy[size] = '\0';
	part[0] = copy;
	for (size_t i = 0; i < size && nparts < 2 + MAXF; i++)
		if (copy[i] == '\0')
			part[nparts++] = copy + i + 1;
	for (size_t i = nparts; i < 2 + MAXF; i++)
		part[i] = (char *)"";
	for (int i = 0; i < MAXF; i++) {
		snprintf(names[i], sizeof names[i], "F%d", i);
		nm[i] = names[i];
	}

	/* check and render agree on parsing. */
	{
		struct template_ctx ctx;
		struct buf out;
		int parses = template_check(part[0], err, sizeof err) == 0;
		int rc;

		memset(&ctx, 0, sizeof ctx);
		ctx.names = nm;
		ctx.values = (const char *const *)part + 2;
		ctx.nfields = MAXF;
		buf_init(&out);
		err[0] = '\0';
		rc = template_render(part[0], &ctx, &out, err, sizeof err);
		must(rc == 0 || err[0] != '\0', "an error has a message");
		must(rc == 0 || !parses || strstr(err, "no field called") != NULL,
		    "a template that parses fails only on a field");
		must(parses || rc < 0, "a template that does not parse fails");
		buf_free(&out);
	}

	/* As a card of a normal and of a cloze type. */
	memset(&nt, 0, sizeof nt);
	nt.name = (char *)"Fuzz";
	nt.fields = (char **)nm;
	nt.nfields = MAXF;
	{
		struct notetype_template t = { (char *)"Card 1", part[0],
		    part[1] };
		unsigned ords[16];

		nt.templates = &t;
		nt.ntemplates = 1;
		for (int kind = 0; kind < 2; kind++) {
			struct notetype_card c;

			nt.kind = kind ? NOTETYPE_KIND_CLOZE : NOTETYPE_NORMAL;
			notetype_card_ords(&nt, (const char *const *)part + 2,
			    MAXF, "t", 1, ords, 16);
			memset(&c, 0, sizeof c);
			c.values = (const char *const *)part + 2;
			c.nvalues = MAXF;
			c.is_html = kind;
			c.tags = "t";
			c.deck = "A::B";
			for (int side = 0; side < 2; side++) {
				struct buf out;

				buf_init(&out);
				notetype_render(&nt, &c, side, side, &out, err,
				    sizeof err);
				buf_free(&out);
			}
		}
	}

	/* The comparison, on the first two fields (kept short: it is
	 * quadratic, as difflib's). */
	if (strlen(part[2]) < 512 && strlen(part[3]) < 512) {
		struct typeans ta;
		struct buf exp;
		char *t, *x;

		buf_init(&exp);
		typeans_expected(part[2], &exp);
		typeans_compare(exp.data != NULL ? exp.data : "", part[3], &ta);
		t = joined(ta.typed, ta.ntyped, 1);
		x = joined(ta.expected, ta.nexpected, 0);
		/* Invalid UTF-8 comes back as U+FFFD, so only valid text
		 * must come back byte for byte. */
		if (exp.len == 0 || utf8_invalid_offset(exp.data, exp.len) ==
		    (size_t)-1)
			must(strcmp(x, exp.data != NULL ? exp.data : "") == 0,
			    "the expected runs make the expected text");
		if (utf8_invalid_offset(part[3], strlen(part[3])) ==
		    (size_t)-1)
			must(ta.ntyped == 0 || strlen(part[3]) == 0 ||
			    strcmp(t, part[3]) == 0 || ta.exact,
			    "the typed runs make the typed text");
		free(t);
		free(x);
		typeans_free(&ta);
		buf_free(&exp);
	}
	free(copy);
	return 0;
}

#ifdef FUZZ_MAIN
#include "fuzz-replay.h"
#endif
