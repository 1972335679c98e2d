/*
 * entity.c - HTML character references, as HTML5's tokenizer reads them
 * in text (the "character reference state" of the WHATWG spec).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/entity.h"
#include "lemma/base/utf8.h"
#include "entity-int.h"

/* Names and digits are ASCII; isalnum() would ask the locale. */
static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static int
digit_value(char c, int hex)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (hex && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (hex && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* &#N; or &#xH; at s (s[1] == '#'). */
static size_t
numeric(const char *s, size_t n, uint32_t *cp)
{
	size_t i = 2, start;
	uint32_t v = 0;
	int hex = 0, d;

	if (i < n && (s[i] == 'x' || s[i] == 'X')) {
		hex = 1;
		i++;
	}
	for (start = i; i < n && (d = digit_value(s[i], hex)) >= 0; i++)
		if (v <= 0x10FFFF)	/* past it stays past it, no overflow */
			v = v * (hex ? 16 : 10) + (uint32_t)d;
	if (i == start)
		return 0;
	if (i < n && s[i] == ';')
		i++;
	if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		v = UTF8_REPLACEMENT;
	else if (v >= 0x80 && v <= 0x9F)
		v = entity_c1[v - 0x80];
	*cp = v;
	return i;
}

struct name_key {
	const char	*s;
	size_t		 n;
};

static int
name_cmp(const void *key, const void *elem)
{
	const struct name_key *k = key;
	const struct entity_name *e = elem;
	int c = strncmp(k->s, e->name, k->n);

	if (c != 0)
		return c;
	return e->name[k->n] == '\0' ? 0 : -1;	/* a prefix sorts first */
}

static const struct entity_name *
find_name(const char *s, size_t n)
{
	struct name_key k = { s, n };

	return bsearch(&k, entity_names, entity_names_len,
	    sizeof entity_names[0], name_cmp);
}

size_t
entity_decode(const char *s, size_t n, uint32_t cp[ENTITY_MAX_CPS],
    size_t *ncp)
{
	const struct entity_name *e = NULL;
	size_t run = 1, len;

	if (n < 2 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		*ncp = 1;
		return numeric(s, n, &cp[0]);
	}
	while (run < n && run <= entity_name_max && is_name_char(s[run]))
		run++;
	if (run == 1)
		return 0;
	/* The whole name with its ';', the usual case; else the longest
	 * legacy name at the start ("&notit;" is "¬it;", as in browsers). */
	if (run < n && s[run] == ';' && (e = find_name(s + 1, run)) != NULL)
		len = run + 1;
	else {
		for (len = run - 1 < entity_legacy_max ? run - 1 :
		    entity_legacy_max; len >= 2; len--)
			if ((e = find_name(s + 1, len)) != NULL)
				break;
		len++;
	}
	if (e == NULL)
		return 0;
	cp[0] = e->cp[0];
	cp[1] = e->cp[1];
	*ncp = e->cp[1] != 0 ? 2 : 1;
	return len;
}
