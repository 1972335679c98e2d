/*
 * render-prep.c - card bytes -> prepared text (see render-int.h).
 *
 * Two passes. The first reads the card: the HTML subset (only with
 * RENDER_HTML), entities, and every byte that must not reach a terminal:
 * C0/C1 controls, DEL, invalid UTF-8, bidi overrides, code points the width
 * table does not know. Those become visible pictures wrapped in verbatim
 * markers, so that no later pass can read "^[" as a superscript. The second
 * pass resolves cloze deletions the way Anki's own parser does (an opening
 * "{{cN::", "::" before the hint, the next "}}" closes the innermost), and
 * runs only when the text contains "{{c".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/entity.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/render/mediaref.h"
#include "render-int.h"

static int
style_bit(unsigned style)
{
	int i;

	for (i = 0; i < NSTYLE; i++)
		if (style == (1u << i))
			return i;
	return 0;
}

static void
mark(struct buf *b, char m, unsigned style)
{
	char s[2] = { m, (char)(MK_BIT0 + style_bit(style)) };

	buf_add(b, s, 2);
}

/* A visible replacement (termsafe's picture) for a byte or code point that
 * must not be shown; a code point the width table does not know is shown
 * as one termsafe would replace. */
static void
picture(struct buf *b, int ascii, uint32_t cp, int invalid)
{
	char u[4];

	if (!invalid && termsafe_class(cp, 1) == TERMSAFE_OK)
		invalid = 1;
	mark(b, MK_ON, RENDER_ERROR);
	buf_addc(b, MK_VB);
	buf_add(b, u, termsafe_picture(cp, !invalid, ascii, u));
	buf_addc(b, MK_VE);
	mark(b, MK_OFF, RENDER_ERROR);
}

struct prep {
	struct buf	*b;
	int		 ascii;
	int		 html;
	int		 bol;		/* nothing visible since the last '\n' */
	int		 space;		/* the last character was a space */
};

static void
put_cp(struct prep *p, uint32_t cp, const char *src, size_t n, int invalid)
{
	char u[4];

	if (invalid) {
		picture(p->b, p->ascii, cp, 1);
		p->bol = 0;
		return;
	}
	if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
		buf_addc(p->b, p->html && cp == '\n' ? ' ' : '\n');
		p->bol = !(p->html && cp == '\n');
		return;
	}
	if (cp == '\t' || (p->html && cp == '\r')) {
		buf_addc(p->b, ' ');
		p->bol = 0;
		p->space = 1;
		return;
	}
	/* What may reach a terminal is termsafe's rule: bidi controls could
	 * reorder what the reader sees, zero-width and format characters
	 * show nothing (dropped); controls get a picture. So do code points
	 * the width table does not know. */
	switch (termsafe_class(cp, 1)) {
	case TERMSAFE_INVISIBLE:
		return;
	case TERMSAFE_OK:
		break;
	default:
		picture(p->b, p->ascii, cp, 0);
		p->bol = 0;
		p->space = 0;
		return;
	}
	if (rw_cp(cp) < 0) {
		picture(p->b, p->ascii, cp, 0);
		p->bol = 0;
		p->space = 0;
		return;
	}
	/* A combining mark with no base (at the start, after a space or a
	 * line break) is shown on a dotted circle, as Unicode suggests;
	 * alone it would join whatever the terminal has beside it. */
	if ((p->bol || p->space) && cp >= 0x300 && rw_is_zero(cp) &&
	    !p->ascii)
		buf_add(p->b, "\xE2\x97\x8C", 3);	/* U+25CC */
	if (src != NULL)
		buf_add(p->b, src, n);
	else
		buf_add(p->b, u, utf8_encode(cp, u));
	p->bol = 0;
	p->space = cp == ' ' || cp == 0xA0;
}

/* A placeholder for media the terminal cannot show: "[image: name]", the
 * name being the last part of the path, made safe as any text is. */
static void
put_media(struct prep *p, const char *kind, const char *s, size_t n)
{
	size_t i = n, l;
	uint32_t cp;
	int ok;

	while (i > 0 && s[i - 1] != '/' && s[i - 1] != '\\')
		i--;
	if (i == n)		/* "dir/": the whole path */
		i = 0;
	if (!p->space && !p->bol)
		buf_addc(p->b, ' ');
	buf_add(p->b, "[", 1);
	buf_add(p->b, kind, strlen(kind));
	buf_add(p->b, ": ", 2);
	while (i < n) {
		l = utf8_decode(s + i, n - i, &cp, &ok);
		if (cp == '\n' || cp == '\r' || cp == '\t')
			cp = ' ';
		put_cp(p, cp, s + i, l, !ok);
		i += l;
	}
	buf_add(p->b, "]", 1);
	p->bol = 0;
	p->space = 0;
}

/* Anki's "[sound:name]" at s: its length, or 0. */
static size_t
sound_tag(struct prep *p, const char *s, size_t n)
{
	const char *name;
	size_t namelen, l = mediaref_sound(s, n, &name, &namelen);

	if (l > 0)
		put_media(p, "sound", name, namelen);
	return l;
}

static int
tag_is(const char *name, size_t n, const char *want)
{
	size_t l = strlen(want);
	size_t i;

	if (n != l)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = name[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != want[i])
			return 0;
	}
	return 1;
}

static void
block_break(struct prep *p)
{
	if (!p->bol) {
		buf_addc(p->b, '\n');
		p->bol = 1;
	}
}

/*
 * A tag at s (s[0] == '<'). Returns the bytes it used, or 0 when this '<'
 * does not start a tag (then it is text: "a < b").
 */
static size_t
tag(struct prep *p, const char *s, size_t n)
{
	size_t i = 1, name0, namelen, end;
	int closing = 0;
	static const struct {
		const char	*name;
		unsigned	 style;
	} styles[] = {
		{ "b", RENDER_BOLD }, { "strong", RENDER_BOLD },
		{ "i", RENDER_ITALIC }, { "em", RENDER_ITALIC },
		{ "u", RENDER_UNDERLINE }, { "ins", RENDER_UNDERLINE },
		{ "code", RENDER_CODE }, { "tt", RENDER_CODE },
		{ "kbd", RENDER_CODE }, { "samp", RENDER_CODE },
		{ "pre", RENDER_CODE },
	};
	static const char *blocks[] = {
		"div", "p", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "ul", "ol", "table", "hr", "dt", "dd", "pre",
	};
	size_t k;

	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		const char *e = NULL;

		for (i = 4; i + 2 < n; i++)
			if (memcmp(s + i, "-->", 3) == 0) {
				e = s + i;
				break;
			}
		return e != NULL ? (size_t)(e - s) + 3 : 0;
	}
	if (i < n && s[i] == '/') {
		closing = 1;
		i++;
	}
	name0 = i;
	if (i >= n || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
		return 0;
	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	namelen = i - name0;
	if (i < n && !(s[i] == '>' || s[i] == '/' || s[i] == ' ' ||
	    s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		return 0;
	/* Attributes: skip to '>' outside quotes. */
	{
		char q = 0;

		for (; i < n; i++) {
			if (q) {
				if (s[i] == q)
					q = 0;
			} else if (s[i] == '"' || s[i] == '\'')
				q = s[i];
			else if (s[i] == '>')
				break;
			else if (s[i] == '<')
				return 0;
		}
		if (i >= n)
			return 0;
	}
	end = i + 1;

	if (!closing && (tag_is(s + name0, namelen, "script") ||
	    tag_is(s + name0, namelen, "style"))) {
		/* Their content is not text: skip to the closing tag. */
		const char *want = tag_is(s + name0, namelen, "script") ?
		    "</script" : "</style";
		size_t wl = strlen(want), j;

		for (j = end; j + wl <= n; j++)
			if (s[j] == '<' && strncasecmp(s + j, want, wl) == 0) {
				while (j < n && s[j] != '>')
					j++;
				return j < n ? j + 1 : n;
			}
		return n;
	}
	if (!closing && tag_is(s + name0, namelen, "img")) {
		const char *src;
		size_t srclen;

		if (mediaref_img_src(s + name0 + namelen, end - name0 - namelen,
		    &src, &srclen))
			put_media(p, "image", src, srclen);
		return end;
	}
	for (k = 0; k < sizeof styles / sizeof styles[0]; k++)
		if (tag_is(s + name0, namelen, styles[k].name)) {
			if (tag_is(s + name0, namelen, "pre"))
				block_break(p);
			mark(p->b, closing ? MK_OFF : MK_ON, styles[k].style);
			return end;
		}
	if (tag_is(s + name0, namelen, "br")) {
		buf_addc(p->b, '\n');
		p->bol = 1;
		return end;
	}
	if (tag_is(s + name0, namelen, "li")) {
		block_break(p);
		if (!closing) {
			buf_add(p->b, p->ascii ? "* " : "\xE2\x80\xA2 ", p->ascii ? 2 : 4);
			p->bol = 0;
		}
		return end;
	}
	for (k = 0; k < sizeof blocks / sizeof blocks[0]; k++)
		if (tag_is(s + name0, namelen, blocks[k])) {
			block_break(p);
			return end;
		}
	return end;	/* any other tag is dropped */
}

/* Pass 1: HTML, entities, sanitising. */
static void
prep_bytes(struct prep *p, const char *s, size_t n)
{
	size_t i = 0, l, run;
	uint32_t cp;
	int ok;

	while (i < n) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '[' && (l = sound_tag(p, s + i, n - i)) > 0) {
			i += l;
			continue;
		}
		if (ch >= 0x20 && ch < 0x7F && !(p->html && (ch == '<' || ch == '&'))) {
			/* Printable ASCII runs are the common case; a '[' may
			 * start a sound. */
			if (p->html) {
				for (run = i + 1; run < n; run++) {
					unsigned char d = (unsigned char)s[run];

					if (d < 0x20 || d >= 0x7F || d == '<' ||
					    d == '&' || d == '[')
						break;
				}
			} else
				for (run = i + 1; run < n &&
				    (unsigned char)(s[run] - 0x20) < 0x5F &&
				    s[run] != '['; run++)
					;
			buf_add(p->b, s + i, run - i);
			p->bol = 0;
			p->space = s[run - 1] == ' ';
			i = run;
			continue;
		}
		if (p->html && ch == '<') {
			l = tag(p, s + i, n - i);
			if (l > 0) {
				i += l;
				continue;
			}
		} else if (p->html && ch == '&') {
			uint32_t ref[ENTITY_MAX_CPS];
			size_t nref;

			l = entity_decode(s + i, n - i, ref, &nref);
			if (l > 0) {
				for (size_t k = 0; k < nref; k++)
					put_cp(p, ref[k], NULL, 0, 0);
				i += l;
				continue;
			}
		}
		if (ch == '\r') {
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
			put_cp(p, '\n', NULL, 0, 0);
			i++;
			continue;
		}
		if (ch < 0x80) {
			put_cp(p, ch, s + i, 1, 0);
			i++;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp, &ok);
		put_cp(p, cp, s + i, l, !ok);
		i += l;
	}
}

/* ---- cloze ------------------------------------------------------------ */

struct cloze {
	int		 active;
	int		 reveal;
	int		 ascii;
	int		 misses;	/* unclosed openings seen */
};

/*
 * If s starts an opening "{{cL::", L Anki's list of numbers ("1", "1,2",
 * "1,,3"), return its length and where L is (*list, *list_len: offsets
 * into s); else 0. L must hold a number: "{{c::" is text.
 */
static size_t
cloze_open(const char *s, size_t n, size_t *list, size_t *list_len)
{
	size_t i = 3;
	int digits = 0;

	if (n < 6 || memcmp(s, "{{c", 3) != 0)
		return 0;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ',')) {
		digits |= s[i] != ',';
		i++;
	}
	if (!digits || i + 2 > n || s[i] != ':' || s[i + 1] != ':')
		return 0;
	*list = 3;
	*list_len = i - 3;
	return i + 2;
}

/* Whether number want is in the list s[0..len) ("1,2,3"). */
static int
cloze_list_has(const char *s, size_t len, int want)
{
	size_t i = 0;

	while (i < len) {
		long v = 0;
		size_t start = i;

		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (v < 100000)
				v = v * 10 + (s[i] - '0');
			i++;
		}
		if (i > start && v == want)
			return 1;
		i++;
	}
	return 0;
}

#define IO_PREFIX	"image-occlusion:"

/*
 * An image occlusion's shape and label for a text screen: Anki draws the
 * shape over an image a terminal does not show, so "rect:left=10:top=20"
 * becomes "[image occlusion: rect]", and a shape with a text= (or
 * label=) property names it too. "\:" and "\\" are Anki's escapes.
 */
void
render_io_placeholder(const char *s, size_t n, struct buf *out)
{
	size_t i = 0, shape_end;

	while (i < n && s[i] != ':')
		i++;
	shape_end = i;
	buf_adds(out, "[image occlusion: ");
	buf_add(out, s, shape_end);
	while (i < n) {
		size_t key = ++i, klen;

		while (i < n && s[i] != '=' && s[i] != ':')
			i++;
		klen = i - key;
		if (i < n && s[i] == '=' && ((klen == 4 &&
		    memcmp(s + key, "text", 4) == 0) || (klen == 5 &&
		    memcmp(s + key, "label", 5) == 0))) {
			buf_adds(out, ": ");
			for (i++; i < n && s[i] != ':'; i++) {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				buf_addc(out, s[i]);
			}
			break;
		}
		while (i < n && s[i] != ':') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			i++;
		}
	}
	buf_addc(out, ']');
}

/*
 * Find the end of the cloze whose body starts at a: sets *sep to the "::"
 * before its hint (or (size_t)-1) and returns the offset of its closing
 * "}}", or (size_t)-1 when it is not closed.
 */
static size_t
cloze_end(const char *s, size_t a, size_t b, size_t *sep)
{
	size_t i = a, list, list_len;
	int depth = 0;

	*sep = (size_t)-1;
	while (i + 1 < b) {
		size_t l = cloze_open(s + i, b - i, &list, &list_len);

		if (l > 0) {
			depth++;
			i += l;
		} else if (s[i] == '}' && s[i + 1] == '}') {
			if (depth == 0)
				return i;
			depth--;
			i += 2;
		} else if (depth == 0 && *sep == (size_t)-1 && s[i] == ':' &&
		    s[i + 1] == ':') {
			*sep = i;
			i += 2;
		} else
			i++;
	}
	return (size_t)-1;
}

/* Copy only the style markers of s[a..b), so hidden text keeps them
 * balanced. */
static void
copy_marks(struct buf *out, const char *s, size_t a, size_t b)
{
	size_t i;

	for (i = a; i + 1 < b; i++)
		if (s[i] == MK_ON || s[i] == MK_OFF) {
			buf_add(out, s + i, 2);
			i++;
		}
}

static void
cloze_text(struct cloze *cz, struct buf *out, const char *s, size_t a,
    size_t b, int depth)
{
	size_t i = a, start = a, list, list_len;

	while (i < b) {
		size_t l, sep, end;
		int active;

		/* Each failed opening costs a scan to the end: give up after a
		 * few, so a hostile field stays linear. */
		if (s[i] != '{' || depth > 64 || cz->misses > 16 ||
		    (l = cloze_open(s + i, b - i, &list, &list_len)) == 0) {
			i++;
			continue;
		}
		if ((end = cloze_end(s, i + l, b, &sep)) == (size_t)-1) {
			cz->misses++;
			i++;
			continue;
		}
		buf_add(out, s + start, i - start);
		{
			size_t body = i + l;
			size_t tend = sep != (size_t)-1 ? sep : end;

			/* "{{c1,2::" is cloze 1 and cloze 2 (Anki's multi-card
			 * cloze). */
			active = cloze_list_has(s + i + list, list_len,
			    cz->active);
			if (end - body >= sizeof IO_PREFIX - 1 &&
			    memcmp(s + body, IO_PREFIX, sizeof IO_PREFIX - 1) == 0) {
				if (active)
					mark(out, MK_ON, RENDER_CLOZE);
				render_io_placeholder(s + body + sizeof IO_PREFIX -
				    1, end - body - (sizeof IO_PREFIX - 1), out);
				if (active)
					mark(out, MK_OFF, RENDER_CLOZE);
				copy_marks(out, s, body, end);
			} else if (active && !cz->reveal) {
				mark(out, MK_ON, RENDER_CLOZE);
				buf_addc(out, MK_VB);
				buf_addc(out, '[');
				if (sep != (size_t)-1 && sep + 2 < end) {
					size_t j;

					for (j = sep + 2; j < end; j++)
						if (s[j] != MK_VB && s[j] != MK_VE)
							buf_addc(out, s[j]);
				} else
					buf_add(out, "...", 3);
				buf_addc(out, ']');
				buf_addc(out, MK_VE);
				mark(out, MK_OFF, RENDER_CLOZE);
				copy_marks(out, s, body, end);
			} else {
				if (active)
					mark(out, MK_ON, RENDER_CLOZE);
				cloze_text(cz, out, s, body, tend, depth + 1);
				if (active)
					mark(out, MK_OFF, RENDER_CLOZE);
				if (sep != (size_t)-1)
					copy_marks(out, s, sep, end);
			}
			i = start = end + 2;
		}
	}
	buf_add(out, s + start, b - start);
}

static int
has_cloze(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++)
		if (s[i] == '{' && s[i + 1] == '{' && s[i + 2] == 'c')
			return 1;
	return 0;
}

void
rp_prepare(struct rctx *c, const char *text, size_t len)
{
	struct prep p = { &c->pool, c->ascii,
	    (c->o->flags & RENDER_HTML) != 0, 1, 0 };
	size_t start = c->pool.len;

	prep_bytes(&p, text, len);
	c->text0 = start;
	c->text1 = c->pool.len;
	if (has_cloze(c->pool.data + start, c->pool.len - start)) {
		struct cloze cz = { c->o->cloze, c->o->reveal, c->ascii, 0 };
		struct buf tmp;

		buf_init(&tmp);
		buf_add(&tmp, c->pool.data + start, c->pool.len - start);
		c->pool.len = start;
		c->pool.data[start] = '\0';
		cloze_text(&cz, &c->pool, tmp.data, 0, tmp.len, 0);
		buf_free(&tmp);
		c->text0 = start;
		c->text1 = c->pool.len;
	}
}
