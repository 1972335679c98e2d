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

#include "lemma/base/entity.h"
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

int
html_is_html(const char *s, size_t len)
{
	const char *name;
	size_t namelen, n, ncp;
	uint32_t cp[ENTITY_MAX_CPS];
	int closing;

	if (memchr(s, '<', len) == NULL && memchr(s, '&', len) == NULL)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<' && (n = tag_at(s + i, len - i, &name, &namelen,
		    &closing)) > 0 && in_list(html_tags, sizeof html_tags /
		    sizeof html_tags[0], name, namelen))
			return 1;
		/* Only a reference with its ';' is evidence of HTML: "&amp"
		 * alone decodes, but "Q&A" and "AT&T" are plain text. */
		if (s[i] == '&' && (n = entity_decode(s + i, len - i, cp,
		    &ncp)) > 0 && s[i + n - 1] == ';')
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
	size_t namelen, n, ncp, start = out->len;
	uint32_t cp[ENTITY_MAX_CPS];
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
		if (s[i] == '&' && (n = entity_decode(s + i, len - i, cp,
		    &ncp)) > 0) {
			for (size_t k = 0; k < ncp; k++)
				buf_add(out, enc, utf8_encode(cp[k], enc));
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
