/* mediarefs.c - the media files a field names; see mediarefs.h. */
#include "config.h"

#include "lemma/formats/mediarefs.h"

#include <string.h>
#include <strings.h>

#include "lemma/base/entity.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"

int
mediarefs_name_safe(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int
is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* Hand name (n bytes, references decoded) to fn when it is safe. */
static size_t
give(const char *s, size_t n, void (*fn)(void *, const char *), void *arg)
{
	struct buf b;
	size_t given = 0;

	buf_init(&b);
	for (size_t i = 0; i < n; ) {
		uint32_t cp[ENTITY_MAX_CPS];
		size_t ncp, used;

		if (s[i] == '&' && (used = entity_decode(s + i, n - i, cp,
		    &ncp)) > 0) {
			for (size_t k = 0; k < ncp; k++) {
				char u[4];

				buf_add(&b, u, utf8_encode(cp[k], u));
			}
			i += used;
		} else
			buf_addc(&b, s[i++]);
	}
	buf_addc(&b, '\0');
	if (memchr(b.data, '\0', b.len - 1) == NULL &&
	    mediarefs_name_safe(b.data)) {
		fn(arg, b.data);
		given = 1;
	}
	buf_free(&b);
	return given;
}

/*
 * The value of a src= or data= attribute starting at p (just after '='),
 * as HTML_MEDIA_TAGS takes it: "..." or '...' (not empty) with a '>'
 * somewhere after, or a bare run of neither space nor '>' ended by a
 * space (and a '>' after it) or by '>'. 0 when there is none here.
 */
static int
attr_value(const char *p, const char **v, size_t *n)
{
	if (*p == '"' || *p == '\'') {
		const char *q = strchr(p + 1, *p);

		if (q == NULL || q == p + 1 || strchr(q + 1, '>') == NULL)
			return 0;
		*v = p + 1;
		*n = (size_t)(q - p - 1);
		return 1;
	}
	*n = strcspn(p, " >");
	if (*n == 0 || p[*n] == '\0' ||
	    (p[*n] == ' ' && strchr(p + *n, '>') == NULL))
		return 0;
	*v = p;
	return 1;
}

static const char *const media_tags[] = {
	"img", "audio", "video", "object", "source"
};

/* The media tag at s ('<'), if it is one with a usable src or data:
 * the first such attribute in it, as the regex's lazy match finds it. */
static int
html_ref(const char *s, const char **v, size_t *n)
{
	const char *p = NULL;
	char quote = 0;

	for (size_t i = 0; i < sizeof media_tags / sizeof media_tags[0]; i++) {
		size_t len = strlen(media_tags[i]);

		if (strncasecmp(s + 1, media_tags[i], len) == 0 &&
		    !is_word(s[1 + len])) {
			p = s + 1 + len;
			break;
		}
	}
	if (p == NULL)
		return 0;
	/* At least one character between the name and the attribute. */
	for (p++; *p != '\0'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '>')
			return 0;
		if (!is_word(p[-1]) && (strncasecmp(p, "src=", 4) == 0 ||
		    strncasecmp(p, "data=", 5) == 0)) {
			const char *val = p + (p[0] == 's' || p[0] == 'S' ?
			    4 : 5);

			if (attr_value(val, v, n))
				return 1;
		}
		if (!quote && (*p == '"' || *p == '\'') &&
		    strchr(p + 1, *p) != NULL)
			quote = *p;
	}
	return 0;
}

size_t
mediarefs_each(const char *field, void (*fn)(void *arg, const char *name),
    void *arg)
{
	size_t count = 0;
	const char *s;

	for (s = field; (s = strchr(s, '<')) != NULL; s++) {
		const char *v;
		size_t n;

		if (html_ref(s, &v, &n))
			count += give(v, n, fn, arg);
	}
	/* [sound:(.+?)]: the name runs to the first ']' after at least one
	 * character. */
	for (s = field; (s = strstr(s, "[sound:")) != NULL; s++) {
		const char *q = s + 7;

		if (*q == '\0' || (q = strchr(q + 1, ']')) == NULL)
			break;
		count += give(s + 7, (size_t)(q - s - 7), fn, arg);
	}
	return count;
}
