/*
 * notetype.c - note types and Anki's card generation rule (notetype.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/model/cloze.h"
#include "lemma/model/notetype.h"
#include "lemma/model/template.h"

void
notetype_free(struct notetype *nt)
{
	if (nt == NULL)
		return;
	free(nt->name);
	for (size_t i = 0; i < nt->nfields; i++)
		free(nt->fields[i]);
	free(nt->fields);
	for (size_t i = 0; i < nt->ntemplates; i++) {
		free(nt->templates[i].name);
		free(nt->templates[i].qfmt);
		free(nt->templates[i].afmt);
	}
	free(nt->templates);
	free(nt->css);
	memset(nt, 0, sizeof *nt);
}

int
notetype_field_index(const struct notetype *nt, const char *name)
{
	for (size_t i = 0; i < nt->nfields; i++)
		if (strcmp(nt->fields[i], name) == 0)
			return (int)i;
	return -1;
}

static size_t
put(unsigned *out, size_t n, size_t max, unsigned v)
{
	/* Keep out sorted and unique; n may pass max (counting only). */
	size_t k = n < max ? n : max, i;

	for (i = 0; i < k; i++) {
		if (out[i] == v)
			return n;
		if (out[i] > v)
			break;
	}
	if (i == k && n >= max)
		return n + 1;
	if (k == max)		/* drop the largest to make room */
		k--;
	memmove(out + i + 1, out + i, (k - i) * sizeof *out);
	out[i] = v;
	return n + 1;
}

static size_t
cloze_ords(const struct notetype *nt, const char *const *values,
    size_t nvalues, unsigned *out, size_t max)
{
	struct buf names;
	size_t n = 0;

	buf_init(&names);
	if (nt->ntemplates > 0)
		template_cloze_fields(nt->templates[0].qfmt, &names);
	for (size_t f = 0; f < nt->nfields && f < nvalues; f++) {
		unsigned nums[CLOZE_CARDS_MAX];
		size_t k;
		int used = 0;

		/* names is NULL when the template fills no field with
		 * cloze: (no pointer arithmetic on it then). */
		for (const char *p = names.data; names.len > 0 &&
		    p < names.data + names.len; p += strlen(p) + 1)
			if (strcmp(p, nt->fields[f]) == 0)
				used = 1;
		if (!used || values[f] == NULL)
			continue;
		k = cloze_numbers(values[f], nums, CLOZE_CARDS_MAX);
		for (size_t i = 0; i < k && i < CLOZE_CARDS_MAX; i++)
			n = put(out, n, max, nums[i] - 1);
	}
	buf_free(&names);
	return n;
}

size_t
notetype_card_ords(const struct notetype *nt, const char *const *values,
    size_t nvalues, const char *tags, int ensure, unsigned *out, size_t max)
{
	size_t n = 0;

	if (nt->kind == NOTETYPE_KIND_CLOZE)
		n = cloze_ords(nt, values, nvalues, out, max);
	else {
		int *nonempty = xcalloc(nt->nfields + 1, sizeof *nonempty);

		for (size_t f = 0; f < nt->nfields; f++)
			nonempty[f] = f < nvalues && values[f] != NULL &&
			    !template_field_empty(values[f]);
		for (size_t t = 0; t < nt->ntemplates; t++)
			if (template_renders(nt->templates[t].qfmt,
			    (const char *const *)nt->fields, nonempty,
			    nt->nfields, tags != NULL && *tags != '\0'))
				n = put(out, n, max, (unsigned)t);
		free(nonempty);
	}
	/* Anki's ensure_not_empty: a new note always has a card. */
	if (n == 0 && ensure)
		n = put(out, n, max, 0);
	return n;
}

const char *
notetype_card_name(const struct notetype *nt, unsigned ord, char *buf,
    size_t len)
{
	if (nt->kind == NOTETYPE_KIND_CLOZE)
		snprintf(buf, len, "Cloze %u", ord + 1);
	else if (ord < nt->ntemplates)
		snprintf(buf, len, "%s", nt->templates[ord].name);
	else
		snprintf(buf, len, "Card %u", ord + 1);
	return buf;
}

/* A plain field as HTML that the renderer reads back as the same text. */
static char *
escape_plain(const char *s)
{
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (; *s != '\0'; s++) {
		if (*s == '<')
			buf_adds(&b, "&lt;");
		else if (*s == '>')
			buf_adds(&b, "&gt;");
		else if (*s == '&')
			buf_adds(&b, "&amp;");
		else if (*s == '\n')
			buf_adds(&b, "<br>");
		else
			buf_addc(&b, *s);
	}
	return buf_steal(&b);
}

/*
 * A template's own line breaks are HTML white space: a browser collapses
 * them, and beside a tag shows nothing for them. The terminal renderer
 * keeps spaces as they are (a field's indentation matters), so the
 * template is tidied first: a white space run with a line break becomes
 * one space, or nothing next to a tag or at either end. Fields are not
 * touched.
 */
static char *
tidy_template(const char *t)
{
	struct buf b;
	const char *p = t;

	buf_init(&b);
	buf_add(&b, "", 0);
	while (*p != '\0') {
		const char *q = p;
		int nl = 0;

		while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
			nl |= *q++ == '\n';
		if (q == p) {
			buf_addc(&b, *p++);
			continue;
		}
		if (!nl)
			buf_add(&b, p, (size_t)(q - p));
		else if (p != t && *q != '\0' && p[-1] != '>' && *q != '<')
			buf_addc(&b, ' ');
		p = q;
	}
	return buf_steal(&b);
}

int
notetype_render(const struct notetype *nt, const struct notetype_card *c,
    int answer, int hints, struct buf *out, char *errbuf, size_t errlen)
{
	const struct notetype_template *t;
	struct template_ctx ctx;
	const char **vals;
	char **owned = NULL, *qfmt, *afmt;
	struct buf q;
	int rc;

	if (nt->ntemplates == 0 || (nt->kind != NOTETYPE_KIND_CLOZE &&
	    c->ord >= nt->ntemplates)) {
		snprintf(errbuf, errlen, "note type '%s' has no template for "
		    "card %u", nt->name, c->ord + 1);
		return -1;
	}
	t = &nt->templates[nt->kind == NOTETYPE_KIND_CLOZE ? 0 : c->ord];
	vals = xcalloc(nt->nfields + 1, sizeof *vals);
	if (!c->is_html)
		owned = xcalloc(nt->nfields + 1, sizeof *owned);
	for (size_t i = 0; i < nt->nfields; i++) {
		const char *v = i < c->nvalues && c->values[i] != NULL ?
		    c->values[i] : "";

		if (owned != NULL)
			v = owned[i] = escape_plain(v);
		vals[i] = v;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.names = (const char *const *)nt->fields;
	ctx.values = vals;
	ctx.nfields = nt->nfields;
	ctx.tags = c->tags;
	ctx.deck = c->deck;
	ctx.notetype = nt->name;
	ctx.card = t->name;
	ctx.flag = c->flag;
	ctx.card_id = c->card_id;
	ctx.ord = c->ord;
	ctx.hints = hints;
	buf_init(&q);
	buf_add(&q, "", 0);
	qfmt = tidy_template(t->qfmt);
	afmt = tidy_template(t->afmt);
	rc = template_render(qfmt, &ctx, answer ? &q : out, errbuf, errlen);
	if (rc < 0) {
		char m[160];

		snprintf(m, sizeof m, "%s", errbuf);
		snprintf(errbuf, errlen, "%s, front of '%s': %s", nt->name,
		    t->name, m);
	} else if (answer) {
		ctx.frontside = q.data;
		if ((rc = template_render(afmt, &ctx, out, errbuf,
		    errlen)) < 0) {
			char m[160];

			snprintf(m, sizeof m, "%s", errbuf);
			snprintf(errbuf, errlen, "%s, back of '%s': %s",
			    nt->name, t->name, m);
		}
	}
	buf_free(&q);
	free(qfmt);
	free(afmt);
	if (owned != NULL)
		for (size_t i = 0; i < nt->nfields; i++)
			free(owned[i]);
	free(owned);
	free(vals);
	return rc;
}
