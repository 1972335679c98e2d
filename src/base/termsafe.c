/* termsafe.c - what may be written to a terminal; see termsafe.h. */
#include "config.h"

#include "lemma/base/termsafe.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"

enum termsafe_class
termsafe_class(uint32_t cp, int ok)
{
	if (!ok)
		return TERMSAFE_INVALID;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 ||
	    cp == 0x2029)
		return TERMSAFE_CONTROL;
	if (cp < 0xAD)
		return TERMSAFE_OK;
	/* Unicode's format characters (Cf) that a terminal shows as
	 * nothing: the soft hyphen, the Arabic letter mark, the Mongolian
	 * vowel separator, zero-width space/joiners, LRM/RLM, the bidi
	 * embeddings, overrides and isolates, word joiner and invisible
	 * operators, the byte order mark, interlinear annotations, musical
	 * format controls and the tag characters. They can reorder a line
	 * or make two different names look alike. */
	if (cp == 0xAD || cp == 0x61C || cp == 0x180E ||
	    (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) ||
	    cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	    (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 ||
	    (cp >= 0xE0020 && cp <= 0xE007F))
		return TERMSAFE_INVISIBLE;
	return TERMSAFE_OK;
}

/*
 * In a terminal without UTF-8, what reads as a separator, an arrow or a
 * mark (the UI's own glyphs, and the same in deck names) keeps an ASCII
 * form instead of becoming '?'.
 */
static uint32_t
ascii_form(uint32_t cp)
{
	static const struct { uint32_t cp; char ascii; } glyphs[] = {
		{ 0x00B7, '-' },	/* · */
		{ 0x2013, '-' },	/* – */
		{ 0x2014, '-' },	/* — */
		{ 0x2022, '*' },	/* • */
		{ 0x2026, '~' },	/* … */
		{ 0x2190, '<' },	/* ← */
		{ 0x2191, '^' },	/* ↑ */
		{ 0x2192, '>' },	/* → */
		{ 0x2193, 'v' },	/* ↓ */
		{ 0x2500, '-' },	/* ─ */
		{ 0x2502, '|' },	/* │ */
		{ 0x25A0, '#' },	/* ■ */
		{ 0x25B8, '+' },	/* ▸ */
		{ 0x25BE, '-' },	/* ▾ */
		{ 0x25CF, '+' },	/* ● */
		{ 0x2691, '!' },	/* ⚑ */
		{ 0x2713, '+' },	/* ✓ */
		{ 0x2717, 'x' },	/* ✗ */
	};

	for (size_t i = 0; i < sizeof glyphs / sizeof glyphs[0]; i++)
		if (glyphs[i].cp == cp)
			return (uint32_t)glyphs[i].ascii;
	return '?';
}

uint32_t
termsafe_cp(uint32_t cp, int ok, int ascii)
{
	switch (termsafe_class(cp, ok)) {
	case TERMSAFE_OK:
		return ascii && cp >= 0x80 ? ascii_form(cp) : cp;
	case TERMSAFE_INVISIBLE:
		return 0;
	case TERMSAFE_CONTROL:
		if (ascii)
			return '?';
		if (cp < 0x20)
			return 0x2400 + cp;	/* the control pictures */
		if (cp == 0x7F)
			return 0x2421;
		return UTF8_REPLACEMENT;
	case TERMSAFE_INVALID:
	default:
		return ascii ? '?' : UTF8_REPLACEMENT;
	}
}

size_t
termsafe_picture(uint32_t cp, int ok, int ascii, char out[4])
{
	if (ascii && ok && (cp < 0x20 || cp == 0x7F)) {
		out[0] = '^';
		out[1] = cp == 0x7F ? '?' : (char)(cp + 0x40);
		return 2;
	}
	cp = termsafe_cp(cp, ok, ascii);
	return utf8_encode(cp != 0 ? cp : UTF8_REPLACEMENT, out);
}

size_t
termsafe_append(struct buf *out, const char *s, size_t n, unsigned flags)
{
	size_t i = 0, run = 0, changed = 0;
	int ascii = (flags & TERMSAFE_ASCII) != 0;

	while (i < n) {
		uint32_t cp, to;
		char u[4];
		size_t len;
		int ok;

		/* Plain ASCII is most of any text: copied in runs. */
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F) {
			i++;
			continue;
		}
		len = utf8_decode(s + i, n - i, &cp, &ok);
		if ((flags & TERMSAFE_LINES) && (cp == '\n' || cp == '\t'))
			to = cp;
		else
			to = termsafe_cp(cp, ok, ascii);
		if (to == cp && ok) {
			i += len;
			continue;
		}
		buf_add(out, s + run, i - run);
		if (to != 0)
			buf_add(out, u, utf8_encode(to, u));
		changed++;
		i += len;
		run = i;
	}
	buf_add(out, s + run, n - run);
	return changed;
}

char *
termsafe_str(const char *s, unsigned flags)
{
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	termsafe_append(&b, s, strlen(s), flags);
	return buf_steal(&b);
}

size_t
termsafe_strip(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0, removed = 0;

	while (i < n) {
		uint32_t cp;
		size_t len;
		int ok;

		len = utf8_decode(s + i, n - i, &cp, &ok);
		if (termsafe_class(cp, ok) == TERMSAFE_OK) {
			i += len;
			continue;
		}
		buf_add(out, s + run, i - run);
		removed++;
		i += len;
		run = i;
	}
	buf_add(out, s + run, n - run);
	return removed;
}
