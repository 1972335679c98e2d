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

		for (const char *p = names.data; p < names.data + names.len;
		    p += strlen(p) + 1)
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
