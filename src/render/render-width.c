/*
 * render-width.c - display width of text, locale-independent.
 *
 * ncursesw positions the cursor with the C library's wcwidth(), so lemma's
 * own table (render-width-tab.c) is generated from wcwidth() in C.UTF-8 by
 * tools/gen-width.py (glibc 2.36): where the two disagreed, the screen
 * would tear. The renderer and the full-screen program (render_cell) both
 * count cells with it; test_render compares it with the running wcwidth(). Code points that
 * glibc does not know (unassigned, noncharacters) are "bad": the renderer
 * shows them as U+FFFD, since neither ncurses nor the terminal can agree on
 * their width.
 */
#include "config.h"

#include "lemma/render/render.h"

#include <langinfo.h>
#include <string.h>

#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"
#include "render-int.h"

static int
in_table(const struct render_range *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;

	if (n == 0 || cp < t[0].lo || cp > t[n - 1].hi)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp > t[mid].hi)
			lo = mid + 1;
		else if (cp < t[mid].lo)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

int
rw_is_zero(uint32_t cp)
{
	if (cp < 0x300)
		return 0;
	return in_table(render_zero_tab, render_zero_tab_len, cp);
}

int
rw_cp(uint32_t cp)
{
	if (cp < 0x7F)
		return cp >= 0x20 ? 1 : -1;
	if (cp < 0xA0)
		return -1;
	if (cp < 0x300)
		return 1;
	if (in_table(render_zero_tab, render_zero_tab_len, cp))
		return 0;
	if (cp >= 0x1100 &&
	    in_table(render_wide_tab, render_wide_tab_len, cp))
		return 2;
	if (in_table(render_bad_tab, render_bad_tab_len, cp))
		return -1;
	return 1;
}

int
render_cp_width(uint32_t cp)
{
	return rw_cp(cp);
}

uint32_t
render_cell(uint32_t cp, int ok, int ascii, int *cells)
{
	int w;

	if ((cp = termsafe_cp(cp, ok, ascii)) == 0) {
		*cells = 0;
		return 0;
	}
	if ((w = rw_cp(cp)) < 0) {
		cp = ascii ? '?' : UTF8_REPLACEMENT;
		w = 1;
	}
	*cells = w;
	return cp;
}

/* Decode one code point; invalid bytes decode to U+FFFD, one byte each. */
uint32_t
rw_decode(const char *s, size_t n, size_t *len)
{
	uint32_t cp;
	int ok;

	if ((unsigned char)s[0] < 0x80) {
		*len = 1;
		return (unsigned char)s[0];
	}
	*len = utf8_decode(s, n, &cp, &ok);
	return cp;
}

int
render_width(const char *s, size_t n)
{
	size_t i = 0, l;
	int w = 0, cw;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			w++;
			continue;
		}
		cw = rw_cp(rw_decode(s + i, n - i, &l));
		i += l;
		w += cw < 0 ? 1 : cw;
	}
	return w;
}

size_t
render_clip(const char *s, size_t n, int cols, int *width)
{
	size_t i = 0, l, end = 0;
	int w = 0, cw;

	while (i < n) {
		cw = rw_cp(rw_decode(s + i, n - i, &l));
		if (cw < 0)
			cw = 1;
		if (cw > 0 && w + cw > cols)
			break;
		if (cw == 0 && i == 0 && cols <= 0)
			break;
		w += cw;
		i += l;
		/* A cluster ends before the next spacing character. */
		end = i;
	}
	if (width != NULL)
		*width = w;
	return end;
}

const char *
rw_translit(uint32_t cp)
{
	size_t lo = 0, hi = render_translit_tab_len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp > render_translit_tab[mid].cp)
			lo = mid + 1;
		else if (cp < render_translit_tab[mid].cp)
			hi = mid;
		else
			return render_translit_tab[mid].a;
	}
	return NULL;
}

int
render_locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0 || strcmp(cs, "UTF8") == 0);
}

size_t
render_clip_drawn(const char *s, int cols, int ascii, int *width)
{
	size_t n = strlen(s), i = 0;
	int used = 0;

	while (i < n) {
		uint32_t cp;
		int ok, cw;
		size_t len = utf8_decode(s + i, n - i, &cp, &ok);

		render_cell(cp, ok, ascii, &cw);
		if (used + cw > cols)
			break;
		used += cw;
		i += len;
	}
	*width = used;
	return i;
}
