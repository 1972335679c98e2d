/*
 * mediaref.c - the media files a card's HTML names (see mediaref.h). The
 * renderer's placeholders and the study view's media list both read the
 * HTML through the two parsers here, so they agree on what a name is.
 */
#include "config.h"

#include "lemma/render/mediaref.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/html.h"
#include "lemma/base/xmalloc.h"

int
mediaref_img_src(const char *a, size_t n, const char **v, size_t *vn)
{
	for (size_t i = 0; i + 4 <= n; i++) {
		size_t j;
		char q;

		if (strncasecmp(a + i, "src", 3) != 0 ||
		    (i > 0 && a[i - 1] != ' ' && a[i - 1] != '\t' &&
		    a[i - 1] != '\n'))
			continue;
		j = i + 3;
		while (j < n && a[j] == ' ')
			j++;
		if (j >= n || a[j] != '=')
			continue;
		j++;
		while (j < n && a[j] == ' ')
			j++;
		q = j < n && (a[j] == '"' || a[j] == '\'') ? a[j++] : 0;
		*v = a + j;
		while (j < n && (q ? a[j] != q : a[j] != ' ' && a[j] != '>' &&
		    a[j] != '/'))
			j++;
		*vn = (size_t)(a + j - *v);
		return *vn > 0;
	}
	return 0;
}

size_t
mediaref_sound(const char *s, size_t n, const char **name, size_t *namelen)
{
	size_t i;

	if (n < 8 || memcmp(s, "[sound:", 7) != 0)
		return 0;
	for (i = 7; i < n && s[i] != ']' && s[i] != '\n'; i++)
		;
	if (i >= n || s[i] != ']' || i == 7)
		return 0;
	*name = s + 7;
	*namelen = i - 7;
	return i + 1;
}

/* Anki's is_remote_filename: a URL names no file of the media folder. */
static int
is_remote(const char *s)
{
	static const char *const schemes[] = { "http://", "https://", "ftp://",
	    "data:" };

	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strncasecmp(s, schemes[i], strlen(schemes[i])) == 0)
			return 1;
	return 0;
}

/* Names already given, "\0"-separated, so each is given once. */
static int
seen(const struct buf *names, const char *name)
{
	for (size_t i = 0; i < names->len; i += strlen(names->data + i) + 1)
		if (strcmp(names->data + i, name) == 0)
			return 1;
	return 0;
}

static void
give(struct buf *names, enum mediaref_kind kind, const char *s, size_t n,
    int is_html, void (*fn)(void *, enum mediaref_kind, const char *),
    void *arg)
{
	struct buf name;

	buf_init(&name);
	buf_add(&name, "", 0);
	if (is_html)
		html_to_text(s, n, &name);
	else
		buf_add(&name, s, n);
	if (name.len > 0 && !is_remote(name.data) && !seen(names, name.data)) {
		buf_add(names, name.data, name.len + 1);
		fn(arg, kind, name.data);
	}
	buf_free(&name);
}

void
mediaref_each(const char *html, size_t len,
    void (*fn)(void *arg, enum mediaref_kind kind, const char *name),
    void *arg)
{
	struct buf names;
	const char *v;
	size_t i = 0, vn, l;

	buf_init(&names);
	while (i < len) {
		if (html[i] == '[' && (l = mediaref_sound(html + i, len - i, &v,
		    &vn)) > 0) {
			give(&names, MEDIAREF_SOUND, v, vn, 0, fn, arg);
			i += l;
		} else if (html[i] == '<' && len - i > 4 &&
		    strncasecmp(html + i + 1, "img", 3) == 0 &&
		    html[i + 4] != '\0' &&
		    strchr(" \t\n/>", html[i + 4]) != NULL) {
			const char *end = memchr(html + i, '>', len - i);
			size_t n = end != NULL ? (size_t)(end - html - i) : len - i;

			if (mediaref_img_src(html + i + 4, n - 4, &v, &vn))
				give(&names, MEDIAREF_IMAGE, v, vn, 1, fn, arg);
			i += n;
		} else
			i++;
	}
	buf_free(&names);
}
