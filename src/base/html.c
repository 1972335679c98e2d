/*
 * html.c - the HTML that Anki fields hold, as plain text. See html.h.
 *
 * Pure: nothing is fetched or run; tags are recognised by name only.
 */
#include "config.h"

#include "lemma/base/html.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/utf8.h"

static int
word_eq(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

static const char *const html_tags[] = {
	"a", "b", "blockquote", "br", "code", "div", "em", "font", "h1", "h2",
	"h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
	"small", "span", "strong", "sub", "sup", "table", "td", "th", "tr",
	"u", "ul",
};

/* Tags after which the text goes on on a new line. */
static const char *const html_breaks[] = {
	"blockquote", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
	"li", "p", "pre", "tr",
};

static int
in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (word_eq(s, len, list[i]))
			return 1;
	return 0;
}

/* If s[0] is '<' and starts a tag, return its length (to the '>') and the
 * name; quoted attribute values may hold '>'. Else 0. */
static size_t
tag_at(const char *s, size_t len, const char **name, size_t *namelen,
    int *closing)
{
	size_t i = 1;
	char q = 0;

	if (len < 3 || s[0] != '<')
		return 0;
	*closing = 0;
	if (s[i] == '/') {
		*closing = 1;
		i++;
	}
	if (i >= len || !isalpha((unsigned char)s[i]))
		return 0;
	*name = s + i;
	while (i < len && isalnum((unsigned char)s[i]))
		i++;
	*namelen = (size_t)(s + i - *name);
	if (i < len && !isspace((unsigned char)s[i]) && s[i] != '>' && s[i] != '/')
		return 0;
	for (; i < len; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			return i + 1;
		else if (s[i] == '<')
			return 0;
	}
	return 0;
}

static const struct {
	const char	*name;
	uint32_t	 cp;
} html_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xA0 }, { "ndash", 0x2013 },
	{ "mdash", 0x2014 }, { "hellip", 0x2026 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "laquo", 0xAB }, { "raquo", 0xBB }, { "middot", 0xB7 },
	{ "bull", 0x2022 }, { "deg", 0xB0 }, { "plusmn", 0xB1 },
	{ "times", 0xD7 }, { "divide", 0xF7 }, { "minus", 0x2212 },
	{ "le", 0x2264 }, { "ge", 0x2265 }, { "ne", 0x2260 },
	{ "asymp", 0x2248 }, { "infin", 0x221E }, { "sum", 0x2211 },
	{ "prod", 0x220F }, { "radic", 0x221A }, { "larr", 0x2190 },
	{ "rarr", 0x2192 }, { "harr", 0x2194 }, { "rArr", 0x21D2 },
	{ "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 },
	{ "euro", 0x20AC }, { "pound", 0xA3 }, { "yen", 0xA5 },
	{ "cent", 0xA2 }, { "sect", 0xA7 }, { "para", 0xB6 },
	{ "micro", 0xB5 }, { "alpha", 0x3B1 }, { "beta", 0x3B2 },
	{ "gamma", 0x3B3 }, { "delta", 0x3B4 }, { "epsilon", 0x3B5 },
	{ "theta", 0x3B8 }, { "lambda", 0x3BB }, { "mu", 0x3BC },
	{ "pi", 0x3C0 }, { "sigma", 0x3C3 }, { "tau", 0x3C4 },
	{ "phi", 0x3C6 }, { "omega", 0x3C9 }, { "Delta", 0x394 },
	{ "Sigma", 0x3A3 }, { "Omega", 0x3A9 },
};

/* If s starts an entity (&name; &#N; &#xH;), return its length and the
 * code point; else 0. */
static size_t
entity_at(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 1;
	unsigned long v = 0;

	if (len < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		int hex = len > 2 && (s[2] == 'x' || s[2] == 'X');
		i = hex ? 3 : 2;
		size_t start = i;
		for (; i < len && i - start < 8; i++) {
			int d;
			if (s[i] >= '0' && s[i] <= '9')
				d = s[i] - '0';
			else if (hex && isxdigit((unsigned char)s[i]))
				d = tolower((unsigned char)s[i]) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (i == start || i >= len || s[i] != ';')
			return 0;
		/* A NUL, a surrogate or beyond Unicode would be invalid text. */
		if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
			v = UTF8_REPLACEMENT;
		*cp = (uint32_t)v;
		return i + 1;
	}
	while (i < len && i < 10 && isalnum((unsigned char)s[i]))
		i++;
	if (i >= len || s[i] != ';')
		return 0;
	for (size_t k = 0; k < sizeof html_entities / sizeof html_entities[0];
	    k++) {
		if (strlen(html_entities[k].name) == i - 1 &&
		    strncmp(html_entities[k].name, s + 1, i - 1) == 0) {
			*cp = html_entities[k].cp;
			return i + 1;
		}
	}
	return 0;
}

int
html_is_html(const char *s, size_t len)
{
	const char *name;
	size_t namelen, n;
	uint32_t cp;
	int closing;

	if (memchr(s, '<', len) == NULL && memchr(s, '&', len) == NULL)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<' && (n = tag_at(s + i, len - i, &name, &namelen,
		    &closing)) > 0 && in_list(html_tags, sizeof html_tags /
		    sizeof html_tags[0], name, namelen))
			return 1;
		if (s[i] == '&' && entity_at(s + i, len - i, &cp) > 0)
			return 1;
	}
	return 0;
}

/* Add a line break unless the text is empty or already ends with one. */
static void
add_break(struct buf *out, size_t start)
{
	if (out->len > start && out->data[out->len - 1] != '\n')
		buf_addc(out, '\n');
}

void
html_to_text(const char *s, size_t len, struct buf *out)
{
	const char *name;
	size_t namelen, n, start = out->len;
	uint32_t cp;
	char enc[4];
	int closing;

	if (out->data == NULL)
		buf_add(out, "", 0);
	for (size_t i = 0; i < len;) {
		if (s[i] == '<' && i + 3 < len && strncmp(s + i, "<!--", 4) == 0) {
			const char *end = NULL;
			for (size_t k = i + 4; k + 2 < len && end == NULL; k++)
				if (strncmp(s + k, "-->", 3) == 0)
					end = s + k + 3;
			i = end != NULL ? (size_t)(end - s) : len;
			continue;
		}
		if (s[i] == '<' && (n = tag_at(s + i, len - i, &name, &namelen,
		    &closing)) > 0) {
			if (!closing && (word_eq(name, namelen, "script") ||
			    word_eq(name, namelen, "style"))) {
				/* Skip to the matching close tag. */
				size_t k = i + n;
				for (; k + namelen + 2 < len; k++)
					if (s[k] == '<' && s[k + 1] == '/' &&
					    strncasecmp(s + k + 2, name, namelen) == 0)
						break;
				if (k + namelen + 2 >= len) {
					i = len;	/* never closed */
					continue;
				}
				i = k;
				while (i < len && s[i] != '>')
					i++;
				i = i < len ? i + 1 : len;
				continue;
			}
			if (in_list(html_breaks, sizeof html_breaks /
			    sizeof html_breaks[0], name, namelen)) {
				if (word_eq(name, namelen, "br"))
					buf_addc(out, '\n');
				else
					add_break(out, start);
			}
			i += n;
			continue;
		}
		if (s[i] == '&' && (n = entity_at(s + i, len - i, &cp)) > 0) {
			buf_add(out, enc, utf8_encode(cp, enc));
			i += n;
			continue;
		}
		/* Source newlines are layout in HTML, not text. */
		if (s[i] == '\n' || s[i] == '\r') {
			if (out->len > start && out->data[out->len - 1] != ' ' &&
			    out->data[out->len - 1] != '\n')
				buf_addc(out, ' ');
			i++;
			continue;
		}
		buf_addc(out, s[i]);
		i++;
	}
	/* Block tags at the end leave a line break nobody asked for. */
	while (out->len > start && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
}
