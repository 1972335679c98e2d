/*
 * test_template.c - Anki's template language, type-in-the-answer
 * comparison and card generation (template.h, typeanswer.h, notetype.h).
 *
 * The tables port the cases of Anki's own unit tests:
 *   render_cases   rslib/src/template.rs parsing, alt_syntax,
 *                  render_single, render_card; template_filters.rs
 *                  typing, hint, cloze, tts (22 cases, of which lemma's
 *                  own are marked "lemma")
 *   check_cases    template.rs parsing: the 7 unbalanced/commented forms
 *   empty_cases    template.rs field_empty (7)
 *   renders_cases  template.rs nonempty (5, plus the {{^1}} form)
 *   typeans_cases  typeanswer.rs tokens, missed_chars_*, unicode,
 *                  html_and_media, tags_removed, empty input (7)
 *   gen_cases      card generation over the five built-in types (lemma)
 * Anki's partial rendering (for Python add-ons) has no counterpart: where
 * Anki leaves an unknown filter for the front end, lemma passes the text.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/notetype.h"
#include "lemma/model/template.h"
#include "lemma/model/typeanswer.h"

/* render_single's map: F=f B=b E=" " c1="1", with N and an empty Z. */
static const char *const names[] = { "F", "B", "E", "c1", "N", "Z", "Front",
	"Back" };
static const char *const values[] = { "f", "b", " ", "1", "N", "",
	"<b>bonjour</b>", "hello" };
#define NF	(sizeof names / sizeof names[0])
/* A buffer's text; buf leaves data NULL until something is added. */
#define S(b)	((b).data != NULL ? (b).data : "")

struct rcase {
	const char	*tmpl;
	unsigned	 ord;
	int		 hints, comments;
	const char	*frontside;
	const char	*want;	/* NULL: an error containing err */
	const char	*err;
};

static const struct rcase render_cases[] = {
	/* parsing */
	{ "foo {{B}} {{#F}} quux {{/F}}", 0, 0, 0, NULL, "foo b  quux ", NULL },
	{ "{{ F }}", 0, 0, 0, NULL, "f", NULL },
	{ "text }} more", 0, 0, 0, NULL, "text }} more", NULL },
	{ "foo <!--{{bar }} --> x", 0, 0, 1, NULL, "foo <!--{{bar }} --> x",
	    NULL },
	/* lemma: comments are dropped for the terminal */
	{ "foo <!--{{bar }} --> x", 0, 0, 0, NULL, "foo  x", NULL },
	/* alt_syntax */
	{ "\n{{=<% %>=}}\n<%Front%>\n<% #Back %>\n<%/Back%>", 0, 0, 0, NULL,
	    "\n<b>bonjour</b>\n\n", NULL },
	{ "\n{{=<% %>=}}\n{{#foo}}\n<%F%>\n{{/foo}}\n", 0, 0, 0, NULL,
	    "\n{{#foo}}\nf\n{{/foo}}\n", NULL },
	/* render_single (ord 0: Anki's map there has no card number) */
	{ "{{B}}A{{F}}", 0, 0, 0, NULL, "bAf", NULL },
	{ "{{#E}}A{{/E}}", 0, 0, 0, NULL, "", NULL },
	{ "{{#E}}}{{^M}}A{{/M}}{{/E}}}", 0, 0, 0, NULL, NULL, "{{^M}}" },
	{ "{{^E}}1{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}{{/E}}", 0, 0, 0, NULL, "12f",
	    NULL },
	{ "{{^E}}1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\xc4\xa3<!-- this is a "
	    "comment -->{{/E}}\xd1\x96", 0, 0, 1, NULL,
	    "1<!--{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}-->\xc4\xa3<!-- this is a "
	    "comment -->\xd1\x96", NULL },
	{ "{{^c2}}1{{#c1}}2{{/c1}}{{/c2}}", 0, 0, 0, NULL, "12", NULL },
	{ "{{one:two:B}}", 0, 0, 0, NULL, "b", NULL },
	{ "{{one::text:B}}", 0, 0, 0, NULL, "b", NULL },
	{ "{{text:B}}", 0, 0, 0, NULL, "b", NULL },
	{ "{{X}}", 0, 0, 0, NULL, NULL, "no field called 'X'" },
	{ "{{foo:text:X}}", 0, 0, 0, NULL, NULL, "{{foo:text:X}}" },
	{ "{{filter:}}", 0, 0, 0, NULL, "", NULL },
	/* render_card: FrontSide is empty on the question */
	{ "{{FrontSide}}{{N}}", 1, 0, 0, NULL, "N", NULL },
	{ "{{FrontSide}}<hr id=answer>{{B}}", 0, 0, 0, "Q", "Q<hr id=answer>b",
	    NULL },
	/* template_filters.rs typing */
	{ "{{type:cloze:F}}", 0, 0, 0, NULL, "[[type:cloze:F]]", NULL },
	{ "{{type:nc:F}}", 0, 0, 0, NULL, "[[type:nc:F]]", NULL },
	{ "{{type:unknown:some:F}}", 0, 0, 0, NULL, "[[type:F]]", NULL },
	{ "{{Front}}\n\n{{type:Back}}", 0, 0, 0, NULL,
	    "<b>bonjour</b>\n\n[[type:Back]]", NULL },
	/* hint: a key to reveal it, then its text */
	{ "{{hint:B}}", 0, 0, 0, NULL, "[[hint:B]]", NULL },
	{ "{{hint:B}}", 0, 1, 0, NULL, "b", NULL },
	{ "{{hint:E}}", 0, 0, 0, NULL, " ", NULL },
	/* tts: Anki wraps it for its player; lemma has none */
	{ "{{tts en_US voices=Bob,Jane:F}}", 0, 0, 0, NULL, "f", NULL },
	/* text: strips HTML (and lemma escapes what is left for the
	 * renderer) */
	{ "{{text:Front}}", 0, 0, 0, NULL, "bonjour", NULL },
	/* special fields */
	{ "{{Tags}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{Type}}|{{CardFlag}}", 0, 0,
	    0, NULL, "t1 t2|Lang::French|French|Card 1|Basic|flag3", NULL },
	{ "{{#Tags}}tagged{{/Tags}}{{^Deck}}no{{/Deck}}", 0, 0, 0, NULL,
	    "tagged", NULL },
	/* unbalanced sections name the tag */
	{ "{{#Front}}x", 0, 0, 0, NULL, NULL, "missing {{/Front}}" },
	{ "{{#Front}}x{{/Back}}", 0, 0, 0, NULL, NULL, "expected {{/Front}}" },
	{ "x{{/Back}}", 0, 0, 0, NULL, NULL, "no {{#Back}}" },
	/* an unknown field inside a hidden section is still an error */
	{ "{{#Z}}{{Nope}}{{/Z}}", 0, 0, 0, NULL, NULL, "'Nope'" },
	/* field names are matched case and all, as Anki's map */
	{ "{{f}}", 0, 0, 0, NULL, NULL, "no field called 'f'" },
};

static void
test_render(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof render_cases / sizeof render_cases[0];
	    i++) {
		const struct rcase *c = &render_cases[i];
		struct template_ctx ctx = { names, values, NF, "t1 t2",
		    "Lang::French", "Basic", "Card 1", 3, 7, c->ord,
		    c->frontside, c->hints, c->comments };
		struct buf out;
		char err[256] = "";
		int rc;

		buf_init(&out);
		rc = template_render(c->tmpl, &ctx, &out, err, sizeof err);
		if (c->want != NULL) {
			if (rc != 0 || strcmp(S(out), c->want) != 0)
				fail_msg("case %zu %s: got rc %d \"%s\" (%s)", i,
				    c->tmpl, rc, S(out), err);
		} else if (rc == 0 || strstr(err, c->err) == NULL)
			fail_msg("case %zu %s: want error \"%s\", got rc %d "
			    "\"%s\"", i, c->tmpl, c->err, rc, err);
		buf_free(&out);
	}
}

/* The cloze filter keeps {{cN::}} for the renderer, or is blank when the
 * field has no deletion N (template_filters.rs cloze). */
static void
test_cloze_filter(void **state)
{
	static const char *const cn[] = { "Text" };
	static const char *const cv[] = { "{{c1::one}} {{c2::two::hint}}" };
	static const struct { unsigned ord; const char *tmpl, *want; } t[] = {
		{ 0, "{{cloze:Text}}", "{{c1::one}} {{c2::two::hint}}" },
		{ 1, "{{cloze:Text}}", "{{c1::one}} {{c2::two::hint}}" },
		{ 2, "{{cloze:Text}}", "" },
		{ 0, "{{cloze-only:Text}}", "one" },
		{ 1, "{{cloze-only:Text}}", "two" },
		{ 1, "{{#c2}}yes{{/c2}}{{#c1}}no{{/c1}}", "yes" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct template_ctx ctx = { cn, cv, 1, "", "D", "Cloze", "Cloze",
		    0, 1, t[i].ord, NULL, 0, 0 };
		struct buf out;
		char err[128];

		buf_init(&out);
		assert_int_equal(template_render(t[i].tmpl, &ctx, &out, err,
		    sizeof err), 0);
		if (strcmp(S(out), t[i].want) != 0)
			fail_msg("cloze case %zu: got \"%s\"", i, S(out));
		buf_free(&out);
	}
}

static void
test_check(void **state)
{
	static const struct { const char *tmpl; int ok; } t[] = {
		{ "{{#mis}}{{/matched}}", 0 },
		{ "{{/matched}}", 0 },
		{ "{{#mis}}", 0 },
		{ "{{#mis}}<!--{{/matched}}-->", 0 },
		{ "<!--{{#mis}}{{/matched}}-->", 1 },
		{ "<!--{{foo}}", 1 },
		{ "{{foo}}-->", 1 },
		{ "{{^baz}}{{/baz}}", 1 },
	};
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if ((template_check(t[i].tmpl, err, sizeof err) == 0) != t[i].ok)
			fail_msg("check case %zu %s", i, t[i].tmpl);
}

static void
test_field_empty(void **state)
{
	static const struct { const char *s; int empty; } t[] = {
		{ "", 1 }, { " ", 1 }, { "x", 0 }, { "<BR>", 1 },
		{ "<div />", 1 }, { " <div> <br> </div>\n", 1 },
		{ " <div>x</div>\n", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (template_field_empty(t[i].s) != t[i].empty)
			fail_msg("field_empty case %zu \"%s\"", i, t[i].s);
}

static void
test_renders(void **state)
{
	/* Anki's nonempty(): fields "1" and "3" are not empty. */
	static const char *const n[] = { "1", "2", "3", "4" };
	static const int ne[] = { 1, 0, 1, 0 };
	static const struct { const char *tmpl; int want; } t[] = {
		{ "{{2}}{{1}}", 1 },
		{ "{{2}}", 0 },
		{ "{{2}}{{4}}", 0 },
		{ "{{#3}}{{^2}}{{1}}{{/2}}{{/3}}", 1 },
		{ "{{^1}}{{3}}{{/1}}", 0 },
		{ "text only", 0 },
		{ "{{FrontSide}}", 0 },
		{ "{{Deck}}", 1 },
		{ "{{#mis}}", 0 },	/* does not parse: no card */
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (template_renders(t[i].tmpl, n, ne, 4, 0) != t[i].want)
			fail_msg("renders case %zu %s", i, t[i].tmpl);
	/* Tags counts only when the note has tags. */
	assert_int_equal(template_renders("{{Tags}}", n, ne, 4, 0), 0);
	assert_int_equal(template_renders("{{Tags}}", n, ne, 4, 1), 1);
}

/* Runs as "g:text|b:text|m:text". */
static void
runs(const struct typeans_run *r, size_t n, struct buf *out)
{
	static const char k[] = { 'g', 'b', 'm' };

	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, '|');
		buf_printf(out, "%c:%s", k[r[i].kind], r[i].text);
	}
}

static void
test_typeanswer(void **state)
{
	static const struct {
		const char *expected, *typed, *want_typed, *want_expected;
	} t[] = {
		{ "\xc2\xbfY ahora qu\xc3\xa9 vamos a hacer?",
		    "y ahora qe vamosa hacer",
		    "b:y|g: ahora q|b:e|g: vamos|m:-|g:a hacer|m:-",
		    "m:\xc2\xbfY|g: ahora q|m:u\xc3\xa9|g: vamos|m: |g:a hacer|m:?" },
		{ "1", "23", "b:23", "m:1" },
		{ "12", "1", "g:1|m:-", "g:1|m:2" },
		{ "\xd0\xbd\xd0\xbe\xd1\x81", "\xd0\xbd\xd1\x81",
		    "g:\xd0\xbd|m:-|g:\xd1\x81",
		    "g:\xd0\xbd|m:\xd0\xbe|g:\xd1\x81" },
		/* 쓰다듬다 / 스다뜸다 */
		{ "\xec\x93\xb0\xeb\x8b\xa4\xeb\x93\xac\xeb\x8b\xa4",
		    "\xec\x8a\xa4\xeb\x8b\xa4\xeb\x9c\xb8\xeb\x8b\xa4",
		    "b:\xec\x8a\xa4|g:\xeb\x8b\xa4|b:\xeb\x9c\xb8|g:\xeb\x8b\xa4",
		    "m:\xec\x93\xb0|g:\xeb\x8b\xa4|m:\xeb\x93\xac|g:\xeb\x8b\xa4" },
		{ "123", "123", "g:123", "g:123" },
		{ "123", "", "", "g:123" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct typeans ta;
		struct buf a, b;

		buf_init(&a);
		buf_init(&b);
		typeans_compare(t[i].expected, t[i].typed, &ta);
		runs(ta.typed, ta.ntyped, &a);
		runs(ta.expected, ta.nexpected, &b);
		if (strcmp(S(a), t[i].want_typed) != 0 ||
		    strcmp(S(b), t[i].want_expected) != 0)
			fail_msg("typeans case %zu: typed \"%s\" expected \"%s\"",
			    i, S(a), S(b));
		assert_int_equal(ta.exact, i == 5);
		typeans_free(&ta);
		buf_free(&a);
		buf_free(&b);
	}
}

static void
test_typeans_expected(void **state)
{
	static const struct { const char *in, *want; } t[] = {
		{ "[sound:foo.mp3]<b>1</b> &nbsp;2", "1  2" },
		{ "<div>123</div>", "123" },
		{ "a<br>b", "a b" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct buf out;

		buf_init(&out);
		typeans_expected(t[i].in, &out);
		if (strcmp(S(out), t[i].want) != 0)
			fail_msg("expected case %zu: \"%s\"", i, S(out));
		buf_free(&out);
	}
}

/* The built-in types, as the migration writes them (stock.rs). */
static const char *const basic_f[] = { "Front", "Back" };
static const char *const optrev_f[] = { "Front", "Back", "Add Reverse" };
static const char *const cloze_f[] = { "Text", "Back Extra" };
static const char *const basic_t[][3] = {
	{ "Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" },
};
static const char *const rev_t[][3] = {
	{ "Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" },
	{ "Card 2", "{{Back}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}" },
};
static const char *const optrev_t[][3] = {
	{ "Card 1", "{{Front}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" },
	{ "Card 2", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
	    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}" },
};
static const char *const cloze_t[][3] = {
	{ "Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}" },
};

static void
mk(struct notetype *nt, const char *name, enum notetype_kind kind,
    const char *const *f, size_t nf, const char *const (*t)[3], size_t nt_)
{
	memset(nt, 0, sizeof *nt);
	nt->name = xstrdup(name);
	nt->kind = kind;
	nt->fields = xcalloc(nf, sizeof *nt->fields);
	for (size_t i = 0; i < nf; i++)
		nt->fields[i] = xstrdup(f[i]);
	nt->nfields = nf;
	nt->templates = xcalloc(nt_, sizeof *nt->templates);
	for (size_t i = 0; i < nt_; i++) {
		nt->templates[i].name = xstrdup(t[i][0]);
		nt->templates[i].qfmt = xstrdup(t[i][1]);
		nt->templates[i].afmt = xstrdup(t[i][2]);
	}
	nt->ntemplates = nt_;
}

static void
test_cardgen(void **state)
{
	struct notetype basic, rev, optrev, cloze;
	static const struct {
		int nt;
		const char *f0, *f1, *f2;
		const char *want;
	} t[] = {
		{ 0, "q", "a", NULL, "0" },
		{ 0, "", "a", NULL, "0" },	/* no card at all: card 0 */
		{ 1, "q", "a", NULL, "0 1" },
		{ 1, "q", "", NULL, "0" },
		{ 1, "", "a", NULL, "1" },
		{ 3, "q", "a", "", "0" },
		{ 3, "q", "a", "y", "0 1" },
		{ 3, "q", "a", "<br>", "0" },
		{ 2, "{{c1::a}} {{c3::b}}", "", NULL, "0 2" },
		/* Back Extra is not filled with cloze: */
		{ 2, "{{c2::a}}", "{{c5::x}}", NULL, "1" },
	};

	(void)state;
	mk(&basic, "Basic", NOTETYPE_NORMAL, basic_f, 2, basic_t, 1);
	mk(&rev, "Basic (and reversed card)", NOTETYPE_NORMAL, basic_f, 2,
	    rev_t, 2);
	mk(&optrev, "Basic (optional reversed card)", NOTETYPE_NORMAL,
	    optrev_f, 3, optrev_t, 2);
	mk(&cloze, "Cloze", NOTETYPE_KIND_CLOZE, cloze_f, 2, cloze_t, 1);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct notetype *nt = t[i].nt == 0 ? &basic :
		    t[i].nt == 1 ? &rev : t[i].nt == 3 ? &optrev : &cloze;
		const char *v[3] = { t[i].f0, t[i].f1, t[i].f2 };
		unsigned ords[8];
		size_t n = notetype_card_ords(nt, v, t[i].f2 ? 3 : 2, "", 1,
		    ords, 8);
		char got[64] = "";

		for (size_t k = 0; k < n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got),
			    "%s%u", k ? " " : "", ords[k]);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("cardgen case %zu: got \"%s\"", i, got);
	}
	notetype_free(&basic);
	notetype_free(&rev);
	notetype_free(&optrev);
	notetype_free(&cloze);
}

/* A card through its type: the answer with FrontSide, a plain field
 * escaped, the templates' line breaks read as HTML white space. */
static void
test_notetype_render(void **state)
{
	struct notetype basic, cloze, typing;
	static const char *const typing_t[][3] = {
		{ "Card 1", "{{Front}}\n\n{{type:Back}}",
		  "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}" },
	};
	static const struct {
		int nt, html, answer;
		unsigned ord;
		const char *f0, *f1, *want;
	} t[] = {
		{ 0, 0, 0, 0, "a < b\nc", "d", "a &lt; b<br>c" },
		{ 0, 0, 1, 0, "q", "a & b", "q<hr id=answer>a &amp; b" },
		{ 0, 1, 1, 0, "<b>q</b>", "a", "<b>q</b><hr id=answer>a" },
		{ 2, 1, 1, 1, "{{c1::x}} {{c2::y}}", "more",
		  "{{c1::x}} {{c2::y}}<br>more" },
		{ 4, 0, 0, 0, "Capital?", "Paris", "Capital? [[type:Back]]" },
		{ 4, 0, 1, 0, "Capital?", "Paris",
		  "Capital?<hr id=answer>[[type:Back]]" },
	};

	(void)state;
	mk(&basic, "Basic", NOTETYPE_NORMAL, basic_f, 2, basic_t, 1);
	mk(&cloze, "Cloze", NOTETYPE_KIND_CLOZE, cloze_f, 2, cloze_t, 1);
	mk(&typing, "Basic (type in the answer)", NOTETYPE_NORMAL, basic_f, 2,
	    typing_t, 1);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const struct notetype *nt = t[i].nt == 0 ? &basic :
		    t[i].nt == 2 ? &cloze : &typing;
		const char *v[2] = { t[i].f0, t[i].f1 };
		struct notetype_card c = { v, 2, t[i].html, "", "D", t[i].ord,
		    0, 1 };
		struct buf out;
		char err[128];

		buf_init(&out);
		assert_int_equal(notetype_render(nt, &c, t[i].answer, 0, &out,
		    err, sizeof err), 0);
		if (strcmp(S(out), t[i].want) != 0)
			fail_msg("notetype_render case %zu: \"%s\"", i, S(out));
		buf_free(&out);
	}
	/* A template that does not parse: an error naming the type, the
	 * template and the side, for the card to show. */
	{
		const char *v[2] = { "q", "a" };
		struct notetype_card c = { v, 2, 0, "", "D", 0, 0, 1 };
		struct buf out;
		char err[256];

		free(basic.templates[0].afmt);
		basic.templates[0].afmt = xstrdup("{{#Back}}x");
		buf_init(&out);
		assert_int_equal(notetype_render(&basic, &c, 0, 0, &out, err,
		    sizeof err), 0);
		assert_int_equal(notetype_render(&basic, &c, 1, 0, &out, err,
		    sizeof err), -1);
		assert_string_equal(err, "Basic, back of 'Card 1': missing "
		    "{{/Back}}");
		c.ord = 3;
		assert_int_equal(notetype_render(&basic, &c, 0, 0, &out, err,
		    sizeof err), -1);
		assert_non_null(strstr(err, "no template for card 4"));
		buf_free(&out);
	}
	notetype_free(&basic);
	notetype_free(&cloze);
	notetype_free(&typing);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_cloze_filter),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_field_empty),
		cmocka_unit_test(test_renders),
		cmocka_unit_test(test_typeanswer),
		cmocka_unit_test(test_typeans_expected),
		cmocka_unit_test(test_cardgen),
		cmocka_unit_test(test_notetype_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
