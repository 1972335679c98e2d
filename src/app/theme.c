/*
 * theme.c - YAML themes, the built-in theme, and fitting colours to a
 * terminal; see theme.h. Walks the document yamldoc reads (so it includes
 * <yaml.h>, as only yamldoc.c does besides), and runs no parser itself.
 *
 * A theme is read in layers: a file starts from the theme it inherits (or
 * from nothing), then sets the fields it names. A field nobody set is
 * "unset" (the UNSET_* sentinels below) until theme_resolve() fills it from
 * the element's parent, so the sentinels never leave this file.
 */
#include "config.h"

#include "lemma/app/theme.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/base/yamldoc-nodes.h"

#define UNSET_COLOR	INT32_MIN
#define UNSET_ATTRS	0x80000000u
#define UNSET_BACKGROUND (-1)

#define MAX_DEPTH	8		/* inherit: chains longer than this are an error */
/* Colours closer than this (color_distance) are hard to tell apart: about
 * what two greys 48 levels apart give. Text that was legible on its
 * background must stay at least this far from it. */
#define MIN_DISTANCE	(9L * 48 * 48)

static const char *const element_keys[THEME_NELEMENTS] = {
#define X(id, key, parent) key,
	THEME_ELEMENTS(X)
#undef X
};

static const enum theme_element element_parents[THEME_NELEMENTS] = {
#define X(id, key, parent) THEME_##parent,
	THEME_ELEMENTS(X)
#undef X
};

/* One file's (or the built-in theme's) view: fields may be unset. */
struct layer {
	struct style	 el[THEME_NELEMENTS];
	char		 name[128];
	int		 background;	/* 0 dark, 1 light, UNSET_BACKGROUND */
};

/* ---- the built-in theme ------------------------------------------------ */

/*
 * The default theme: dark, after the Catppuccin "Frappé" palette. Only the
 * fields listed are set; every other field follows the element's parent, as
 * in a theme file. themes/default.yaml says the same, and test_theme checks
 * that the two agree.
 */
#define RGB(v)		THEME_RGB(((v) >> 16) & 0xff, ((v) >> 8) & 0xff, (v) & 0xff)
#define U		UNSET_COLOR
#define NA		UNSET_ATTRS
static const struct {
	enum theme_element	 el;
	struct style		 st;
} builtin_styles[] = {
	{ THEME_NORMAL,		{ THEME_DEFAULT, THEME_DEFAULT, 0 } },
	{ THEME_HEADER,		{ RGB(0xc6d0f5), RGB(0x414559), STYLE_BOLD } },
	{ THEME_TITLE,		{ RGB(0x8caaee), U, STYLE_BOLD } },
	{ THEME_STATUS,		{ RGB(0xa5adce), RGB(0x292c3c), NA } },
	{ THEME_MESSAGE,	{ RGB(0xa6d189), U, NA } },
	{ THEME_ERROR,		{ RGB(0xe78284), U, STYLE_BOLD } },
	{ THEME_BORDER,		{ RGB(0x626880), U, NA } },
	{ THEME_MUTED,		{ RGB(0x838ba7), U, NA } },
	{ THEME_HELP_KEY,	{ RGB(0xe5c890), U, STYLE_BOLD } },
	{ THEME_INPUT,		{ U, U, STYLE_UNDERLINE } },
	{ THEME_SELECTED,	{ RGB(0x232634), RGB(0x8caaee), STYLE_BOLD } },
	{ THEME_COUNT_NEW,	{ RGB(0x8caaee), U, NA } },
	{ THEME_COUNT_LEARN,	{ RGB(0xef9f76), U, NA } },
	{ THEME_COUNT_DUE,	{ RGB(0xa6d189), U, NA } },
	{ THEME_QUESTION,	{ U, U, STYLE_BOLD } },
	{ THEME_CLOZE,		{ RGB(0x99d1db), U, STYLE_BOLD } },
	{ THEME_FORMULA,	{ RGB(0xca9ee6), U, NA } },
	{ THEME_CODE,		{ RGB(0x81c8be), U, NA } },
	{ THEME_TEXT_BOLD,	{ U, U, STYLE_BOLD } },
	{ THEME_TEXT_ITALIC,	{ U, U, STYLE_ITALIC } },
	{ THEME_TEXT_UNDERLINE,	{ U, U, STYLE_UNDERLINE } },
	{ THEME_BUTTON,		{ U, U, STYLE_BOLD } },
	{ THEME_BUTTON_AGAIN,	{ RGB(0xe78284), U, NA } },
	{ THEME_BUTTON_HARD,	{ RGB(0xef9f76), U, NA } },
	{ THEME_BUTTON_GOOD,	{ RGB(0xa6d189), U, NA } },
	{ THEME_BUTTON_EASY,	{ RGB(0x8caaee), U, NA } },
	{ THEME_GRAPH_BAR,	{ RGB(0x8caaee), U, NA } },
	{ THEME_GRAPH_LEARN,	{ RGB(0xef9f76), U, NA } },
	{ THEME_GRAPH_YOUNG,	{ RGB(0xa6d189), U, NA } },
	{ THEME_GRAPH_MATURE,	{ RGB(0x81c8be), U, NA } },
	{ THEME_GRAPH_RELEARN,	{ RGB(0xe78284), U, NA } },
	{ THEME_GRAPH_RETENTION, { RGB(0x8caaee), U, NA } },
	{ THEME_GRAPH_TARGET,	{ RGB(0xe5c890), U, NA } },
	{ THEME_GRAPH_PREDICTED, { RGB(0xca9ee6), U, NA } },
	{ THEME_GRAPH_HEAT_1,	{ RGB(0x4e6a45), U, NA } },
	{ THEME_GRAPH_HEAT_2,	{ RGB(0x6b8f5a), U, NA } },
	{ THEME_GRAPH_HEAT_3,	{ RGB(0x88b270), U, NA } },
	{ THEME_GRAPH_HEAT_4,	{ RGB(0xa6d189), U, NA } },
	{ THEME_FLAG_RED,	{ RGB(0xe78284), U, STYLE_BOLD } },
	{ THEME_FLAG_ORANGE,	{ RGB(0xef9f76), U, STYLE_BOLD } },
	{ THEME_FLAG_GREEN,	{ RGB(0xa6d189), U, STYLE_BOLD } },
	{ THEME_FLAG_BLUE,	{ RGB(0x8caaee), U, STYLE_BOLD } },
	{ THEME_FLAG_PINK,	{ RGB(0xf4b8e4), U, STYLE_BOLD } },
	{ THEME_FLAG_TURQUOISE,	{ RGB(0x81c8be), U, STYLE_BOLD } },
	{ THEME_FLAG_PURPLE,	{ RGB(0xca9ee6), U, STYLE_BOLD } },
};
#undef U
#undef NA
#undef RGB

static void
layer_empty(struct layer *l)
{
	for (size_t i = 0; i < THEME_NELEMENTS; i++) {
		l->el[i].fg = UNSET_COLOR;
		l->el[i].bg = UNSET_COLOR;
		l->el[i].attrs = UNSET_ATTRS;
	}
	l->name[0] = '\0';
	l->background = UNSET_BACKGROUND;
}

static void
layer_builtin(struct layer *l)
{
	layer_empty(l);
	for (size_t i = 0; i < sizeof builtin_styles / sizeof builtin_styles[0]; i++)
		l->el[builtin_styles[i].el] = builtin_styles[i].st;
	snprintf(l->name, sizeof l->name, "Default (dark)");
	l->background = 0;
}

/* Fill every unset field from the element's parent (parents come first). */
static void
theme_resolve(struct theme *t, const struct layer *l)
{
	for (size_t i = 0; i < THEME_NELEMENTS; i++) {
		const struct style *s = &l->el[i];
		struct style def = { THEME_DEFAULT, THEME_DEFAULT, 0 };
		const struct style *p = i == THEME_NORMAL ? &def :
		    &t->el[element_parents[i]];

		t->el[i].fg = s->fg == UNSET_COLOR ? p->fg : s->fg;
		t->el[i].bg = s->bg == UNSET_COLOR ? p->bg : s->bg;
		t->el[i].attrs = s->attrs == UNSET_ATTRS ? p->attrs : s->attrs;
	}
	snprintf(t->name, sizeof t->name, "%s", l->name);
	t->is_light = l->background == 1;
}

void
theme_default(struct theme *t)
{
	struct layer l;

	layer_builtin(&l);
	theme_resolve(t, &l);
}

const char *
theme_element_key(enum theme_element el)
{
	if ((unsigned)el >= THEME_NELEMENTS)
		return NULL;
	return element_keys[el];
}

int
theme_element_find(const char *key)
{
	for (size_t i = 0; i < THEME_NELEMENTS; i++)
		if (strcmp(element_keys[i], key) == 0)
			return (int)i;
	return -1;
}

/* ---- colours ------------------------------------------------------------ */

static const struct {
	const char	*name;
	int		 index;
} color_names[] = {
	{ "default", THEME_DEFAULT },
	{ "black", 0 }, { "red", 1 }, { "green", 2 }, { "yellow", 3 },
	{ "blue", 4 }, { "magenta", 5 }, { "cyan", 6 }, { "white", 7 },
	{ "bright-black", 8 }, { "bright-red", 9 }, { "bright-green", 10 },
	{ "bright-yellow", 11 }, { "bright-blue", 12 }, { "bright-magenta", 13 },
	{ "bright-cyan", 14 }, { "bright-white", 15 },
	{ "grey", 8 }, { "gray", 8 },
};

static const char *const attr_names[] = {
	"bold", "dim", "italic", "underline", "reverse"	/* bit order */
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
theme_parse_color(const char *s, int32_t *out)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < sizeof color_names / sizeof color_names[0]; i++) {
		if (strcasecmp(s, color_names[i].name) == 0) {
			*out = color_names[i].index;
			return 0;
		}
	}
	if (n >= 1 && n <= 3 && strspn(s, "0123456789") == n) {
		int v = atoi(s);

		if (v > 255)
			return -1;
		*out = v;
		return 0;
	}
	if (s[0] == '#' && (n == 7 || n == 4)) {
		int d[6];
		size_t nd = n - 1;

		for (size_t i = 0; i < nd; i++)
			if ((d[i] = hexval(s[1 + i])) < 0)
				return -1;
		if (nd == 3)	/* #rgb is #rrggbb with each digit doubled */
			*out = THEME_RGB(d[0] * 17, d[1] * 17, d[2] * 17);
		else
			*out = THEME_RGB(d[0] * 16 + d[1], d[2] * 16 + d[3],
			    d[4] * 16 + d[5]);
		return 0;
	}
	return -1;
}

/* xterm's default palette: the 16 ANSI colours, the 6x6x6 cube, 24 greys. */
static uint32_t
palette_rgb(int i)
{
	static const uint32_t ansi[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
		0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
		0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const uint32_t level[6] = { 0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff };

	if (i < 16)
		return ansi[i];
	if (i < 232) {
		i -= 16;
		return level[i / 36] << 16 | level[i / 6 % 6] << 8 | level[i % 6];
	}
	return (uint32_t)(8 + 10 * (i - 232)) * 0x010101u;
}

uint32_t
theme_color_rgb(int32_t c)
{
	if (c < 0)
		return 0;
	if (THEME_IS_RGB(c))
		return THEME_RGB_VALUE(c);
	return palette_rgb(c > 255 ? 255 : c);
}

/*
 * "Redmean" colour distance: Euclidean RGB weighted by how the eye weighs
 * red and blue at the pair's mean red. Cheap, and unlike plain RGB distance
 * it sends mid greys and dark greens to the colours a person would pick.
 */
static long
color_distance(uint32_t a, uint32_t b)
{
	long r1 = a >> 16 & 0xff, g1 = a >> 8 & 0xff, b1 = a & 0xff;
	long r2 = b >> 16 & 0xff, g2 = b >> 8 & 0xff, b2 = b & 0xff;
	long rmean = (r1 + r2) / 2, dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg +
	    (((767 - rmean) * db * db) >> 8);
}

/* Luma (0-255), hue (degrees) and whether a colour reads as a grey. */
struct tone {
	int	 luma, hue, is_grey;
};

static struct tone
color_tone(uint32_t c)
{
	int r = c >> 16 & 0xff, g = c >> 8 & 0xff, b = c & 0xff;
	int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int min = r < g ? (r < b ? r : b) : (g < b ? g : b);
	int chroma = max - min;
	struct tone t;

	t.luma = (299 * r + 587 * g + 114 * b) / 1000;
	/* Too dark, or saturation under 0.3: a grey, whatever its tint. */
	t.is_grey = max < 64 || chroma * 10 < max * 3;
	if (chroma == 0)
		t.hue = 0;
	else if (max == r)
		t.hue = (60 * (g - b) / chroma + 360) % 360;
	else if (max == g)
		t.hue = 60 * (b - r) / chroma + 120;
	else
		t.hue = 60 * (r - g) / chroma + 240;
	return t;
}

/*
 * Distance in a palette of 8 or 16 colours. These are too far apart for a
 * plain colour distance, which sends a mid grey to cyan and a dull green to
 * black. What a reader relies on is kind and hue: a grey stays a grey
 * (picked by lightness), a green stays green (the bright or normal one by
 * lightness), and only a colour whose hue is unavailable goes grey.
 */
static long
palette16_distance(uint32_t a, uint32_t b)
{
	struct tone ta = color_tone(a), tb = color_tone(b);
	long dy = labs((long)ta.luma - tb.luma), dh;

	if (ta.is_grey && tb.is_grey)
		return dy;
	if (ta.is_grey)
		return 1000 + dy;
	if (tb.is_grey)
		return 500 + dy;
	dh = labs((long)ta.hue - tb.hue);
	if (dh > 180)
		dh = 360 - dh;
	return 4 * dh + dy / 2;
}

/*
 * The palette index in [lo, hi] nearest to rgb. With against >= 0 (an RGB
 * background), only colours at least MIN_DISTANCE from it qualify, unless
 * none does.
 */
static int
nearest_color(uint32_t rgb, int lo, int hi, long against)
{
	long (*distance)(uint32_t, uint32_t) = hi <= 15 ? palette16_distance :
	    color_distance;
	int best = -1;
	long bestd = LONG_MAX;

	for (int pass = against >= 0 ? 0 : 1; pass < 2 && best < 0; pass++) {
		for (int i = lo; i <= hi; i++) {
			uint32_t c = palette_rgb(i);
			long d;

			if (pass == 0 && color_distance(c, (uint32_t)against) <
			    MIN_DISTANCE)
				continue;
			if ((d = distance(rgb, c)) < bestd) {
				best = i;
				bestd = d;
			}
		}
	}
	return best;
}

struct fit {
	int	 direct;
	int	 lo, hi;	/* candidate palette range */
	int	 have;		/* palette indices below this are kept */
};

/*
 * Fit one colour. For a foreground, bg_src and bg_fit are the background's
 * RGB before and after fitting: a foreground that was legible on its
 * background keeps a legible colour.
 */
static int32_t
fit_color(const struct fit *f, int32_t c, long bg_src, long bg_fit)
{
	uint32_t rgb;
	long against = -1;

	if (c == THEME_DEFAULT)
		return c;
	if (f->direct) {
		if (!THEME_IS_RGB(c) && c < 8)
			return c;
		rgb = theme_color_rgb(c);
		/* Direct-colour terminfo reads a value below 8 as a palette
		 * index: #000005 would be magenta. #000008 looks the same. */
		if (rgb < 8)
			rgb = 8;
		return THEME_RGB(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
	}
	if (!THEME_IS_RGB(c) && c < f->have)
		return c;
	rgb = theme_color_rgb(c);
	if (bg_src >= 0 && color_distance(rgb, (uint32_t)bg_src) >= MIN_DISTANCE)
		against = bg_fit;
	return nearest_color(rgb, f->lo, f->hi, against);
}

/* With no colours, reverse marks what colour marked: selection, bars. */
static void
fit_mono(struct theme *t)
{
	static const enum theme_element selections[] = {
		THEME_SELECTED, THEME_DECK_SELECTED
	};
	int32_t normal_bg = t->el[THEME_NORMAL].bg;

	for (size_t i = 0; i < THEME_NELEMENTS; i++) {
		struct style *s = &t->el[i];

		if (i != THEME_NORMAL && s->bg != THEME_DEFAULT && s->bg != normal_bg)
			s->attrs |= STYLE_REVERSE;
		s->fg = s->bg = THEME_DEFAULT;
	}
	/* A selection without colour must still be seen on every row. */
	for (size_t i = 0; i < sizeof selections / sizeof selections[0]; i++)
		if ((t->el[selections[i]].attrs & (STYLE_REVERSE |
		    STYLE_UNDERLINE)) == 0)
			t->el[selections[i]].attrs |= STYLE_REVERSE;
}

void
theme_fit(struct theme *t, int ncolors, int direct)
{
	struct fit f = { .direct = direct, .lo = 16, .hi = 255, .have = 256 };
	/* What "the terminal's background" most likely is, for legibility. */
	long assumed = t->is_light ? 0xffffff : 0x000000;

	if (!direct && ncolors < 8) {
		fit_mono(t);
		return;
	}
	if (!direct && ncolors < 16) {
		f.lo = 0; f.hi = 7; f.have = 8;
	} else if (!direct && ncolors < 256) {
		f.lo = 0; f.hi = 15; f.have = 16;
	}
	for (size_t i = 0; i < THEME_NELEMENTS; i++) {
		struct style *s = &t->el[i];
		long bg_src = s->bg == THEME_DEFAULT ? assumed :
		    (long)theme_color_rgb(s->bg);
		long bg_fit;

		s->bg = fit_color(&f, s->bg, -1, -1);
		bg_fit = s->bg == THEME_DEFAULT ? assumed : (long)theme_color_rgb(s->bg);
		s->fg = fit_color(&f, s->fg, bg_src, bg_fit);
	}
}

/* ---- messages ------------------------------------------------------------ */

static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], prev, tmp;

	if (lb >= sizeof row / sizeof row[0] || la >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* " (did you mean 'x'?)" for the closest of names when one is close, else
 * " (otherwise)", the list of what is allowed. */
static void
suggest(char *buf, size_t len, const char *word, const char *const *names,
    size_t n, const char *otherwise)
{
	size_t best = 3, d;	/* at most two typos */
	const char *pick = NULL;

	for (size_t i = 0; i < n; i++) {
		if ((d = edit_distance(word, names[i])) < best) {
			best = d;
			pick = names[i];
		}
	}
	if (pick != NULL)
		snprintf(buf, len, " (did you mean '%s'?)", pick);
	else
		snprintf(buf, len, " (%s)", otherwise);
}

/* ---- theme files ---------------------------------------------------------- */

struct loader {
	const char *const	*dirs;
	char			*chain[MAX_DEPTH + 1];	/* real paths being loaded */
	int			 depth;
};

static int load_layer(struct loader *, const char *, struct layer *, struct err *);

static int
parse_color_node(struct yamldoc *f, yaml_node_t *n, const char *what,
    int32_t *out, struct err *e)
{
	const char *s, *names[sizeof color_names / sizeof color_names[0]];
	char hint[128];

	if (n->type != YAML_SCALAR_NODE)
		return yamldoc_err(e, f->path, n, "%s must be a colour, not %s",
		    what, yamldoc_type_name(n));
	if (yamldoc_is_empty(n))
		return yamldoc_err(e, f->path, n,
		    "%s has no colour (a '#' starts "
		    "a YAML comment: write \"#rrggbb\" in quotes)", what);
	s = yamldoc_scalar(n);
	if (theme_parse_color(s, out) == 0)
		return 0;
	if (s[0] == '#')
		return yamldoc_err(e, f->path, n,
		    "bad colour '%s' for %s: write #rrggbb", s, what);
	if (strspn(s, "0123456789") == strlen(s))
		return yamldoc_err(e, f->path, n,
		    "colour %s for %s is out of range 0-255", s, what);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		names[i] = color_names[i].name;
	suggest(hint, sizeof hint, s, names, sizeof names / sizeof names[0],
	    "use a name such as red or bright-blue, 0-255, or \"#rrggbb\"");
	return yamldoc_err(e, f->path, n, "unknown colour '%.64s' for %s%s", s,
	    what, hint);
}

static int
parse_attr_word(struct yamldoc *f, yaml_node_t *n, const char *word,
    unsigned *attrs, struct err *e)
{
	char hint[128];

	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
		if (strcasecmp(word, attr_names[i]) == 0) {
			*attrs |= 1u << i;
			return 0;
		}
	}
	suggest(hint, sizeof hint, word, attr_names,
	    sizeof attr_names / sizeof attr_names[0],
	    "use bold, dim, italic, underline or reverse");
	return yamldoc_err(e, f->path, n, "unknown attribute '%.64s'%s", word,
	    hint);
}

/* attrs: [bold, underline], or one word: attrs: bold */
static int
parse_attrs(struct yamldoc *f, yaml_node_t *n, unsigned *attrs, struct err *e)
{
	*attrs = 0;
	if (n->type == YAML_SCALAR_NODE) {
		if (yamldoc_is_empty(n))
			return 0;
		return parse_attr_word(f, n, yamldoc_scalar(n), attrs, e);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return yamldoc_err(e, f->path, n,
		    "attrs must be a list such as [bold, underline], not %s",
		    yamldoc_type_name(n));
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = yamldoc_node(f, *it);

		if (item == NULL || item->type != YAML_SCALAR_NODE)
			return yamldoc_err(e, f->path, item != NULL ? item : n,
			    "each attribute must be a single word, not %s",
			    item != NULL ? yamldoc_type_name(item) : "nothing");
		if (parse_attr_word(f, item, yamldoc_scalar(item), attrs,
		    e) == -1)
			return -1;
	}
	return 0;
}

/* One element's style: `{ fg: c, bg: c, attrs: [...] }`, or a colour
 * alone as shorthand for the foreground. */
static int
parse_style(struct yamldoc *f, yaml_node_t *n, const char *el, struct style *s,
    struct err *e)
{
	static const char *const style_keys[] = { "fg", "bg", "attrs" };
	int seen[3] = { 0, 0, 0 };
	char what[96], hint[128];

	if (n->type == YAML_SCALAR_NODE) {
		snprintf(what, sizeof what, "'%s'", el);
		return parse_color_node(f, n, what, &s->fg, e);
	}
	if (n->type != YAML_MAPPING_NODE)
		return yamldoc_err(e, f->path, n,
		    "the style of '%s' must be a mapping "
		    "such as { fg: red, attrs: [bold] }, not %s", el,
		    yamldoc_type_name(n));
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	    pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k, *v;
		size_t which;

		if (yamldoc_pair_key(f, pr, &k, &v, e) == -1)
			return -1;
		for (which = 0; which < 3; which++)
			if (strcmp(yamldoc_scalar(k), style_keys[which]) == 0)
				break;
		if (which == 3) {
			suggest(hint, sizeof hint, yamldoc_scalar(k),
			    style_keys, 3, "use fg, bg or attrs");
			return yamldoc_err(e, f->path, k,
			    "unknown style key '%.64s' "
			    "in '%s'%s", yamldoc_scalar(k), el, hint);
		}
		if (seen[which]++)
			return yamldoc_err(e, f->path, k,
			    "duplicate key '%s' in '%s'",
			    style_keys[which], el);
		snprintf(what, sizeof what, "%s of '%s'", style_keys[which], el);
		if (which == 0 && parse_color_node(f, v, what, &s->fg, e) == -1)
			return -1;
		if (which == 1 && parse_color_node(f, v, what, &s->bg, e) == -1)
			return -1;
		if (which == 2 && parse_attrs(f, v, &s->attrs, e) == -1)
			return -1;
	}
	return 0;
}

static int
parse_elements(struct yamldoc *f, yaml_node_t *n, struct layer *l,
    struct err *e)
{
	unsigned char seen[THEME_NELEMENTS] = { 0 };
	char hint[128];

	if (yamldoc_is_empty(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return yamldoc_err(e, f->path, n,
		    "elements must be a mapping of "
		    "element: style, not %s", yamldoc_type_name(n));
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
	    pr < n->data.mapping.pairs.top; pr++) {
		yaml_node_t *k, *v;
		int el;

		if (yamldoc_pair_key(f, pr, &k, &v, e) == -1)
			return -1;
		if ((el = theme_element_find(yamldoc_scalar(k))) < 0) {
			suggest(hint, sizeof hint, yamldoc_scalar(k),
			    element_keys,
			    THEME_NELEMENTS, "the elements are listed in "
			    "themes/default.yaml");
			return yamldoc_err(e, f->path, k,
			    "unknown element '%.64s'%s",
			    yamldoc_scalar(k), hint);
		}
		if (seen[el]++)
			return yamldoc_err(e, f->path, k,
			    "duplicate element '%s'", element_keys[el]);
		if (parse_style(f, v, element_keys[el], &l->el[el], e) == -1)
			return -1;
	}
	return 0;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* The length of s without a ".yaml" ending (s's length when it has none). */
static size_t
strip_yaml(const char *s)
{
	size_t n = strlen(s);

	return n > 5 && strcmp(s + n - 5, ".yaml") == 0 ? n - 5 : n;
}

/* Where `inherit: v` in the file at from points: a path is relative to
 * from's directory, a name is looked up in the loader's dirs. */
static int
inherit_path(struct loader *ld, const char *from, const char *v, char *out,
    size_t len)
{
	const char *slash = strrchr(from, '/');
	int n;

	if (strchr(v, '/') == NULL && strip_yaml(v) == strlen(v))
		return theme_find(v, ld->dirs, out, len);
	if (v[0] == '/' || slash == NULL)
		n = snprintf(out, len, "%s", v);
	else
		n = snprintf(out, len, "%.*s/%s", (int)(slash - from), from, v);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return access(out, R_OK) == 0 ? 0 : -1;
}

static int
load_inherit(struct loader *ld, struct yamldoc *f, yaml_node_t *n,
    struct layer *l, struct err *e)
{
	char target[PATH_MAX], *real;
	const char *v;

	if (n->type != YAML_SCALAR_NODE || yamldoc_is_empty(n))
		return yamldoc_err(e, f->path, n,
		    "inherit must be a theme name or "
		    "path, not %s",
		    yamldoc_is_empty(n) ? "empty" : yamldoc_type_name(n));
	v = yamldoc_scalar(n);
	if (inherit_path(ld, f->path, v, target, sizeof target) == -1) {
		if (strcmp(v, "default") == 0) {
			layer_builtin(l);
			return 0;
		}
		return yamldoc_err(e, f->path, n,
		    "cannot inherit from '%.128s': no "
		    "such theme", v);
	}
	if ((real = realpath(target, NULL)) == NULL)
		return yamldoc_err(e, f->path, n,
		    "cannot inherit from '%.128s': %s", v, strerror(errno));
	for (int i = 0; i < ld->depth; i++) {
		if (strcmp(ld->chain[i], real) == 0) {
			free(real);
			/* Report it here, at the inherit: that closes the loop. */
			if (i == ld->depth - 1)
				return yamldoc_err(e, f->path, n,
				    "inheritance cycle: "
				    "'%.128s' is this theme itself", v);
			return yamldoc_err(e, f->path, n, "inheritance cycle: "
			    "'%.128s' inherits from this theme", v);
		}
	}
	free(real);
	if (ld->depth >= MAX_DEPTH)
		return yamldoc_err(e, f->path, n, "themes inherit more than %d "
		    "levels deep", MAX_DEPTH);
	return load_layer(ld, target, l, e);
}

static int
load_layer(struct loader *ld, const char *path, struct layer *l,
    struct err *e)
{
	static const char *const top_keys[] = {
		"name", "background", "inherit", "elements"
	};
	yaml_node_t *root, *nodes[4] = { NULL, NULL, NULL, NULL };
	struct yamldoc f = { .path = path };
	char hint[128];
	int rc = -1;

	if ((ld->chain[ld->depth] = realpath(path, NULL)) == NULL)
		return err_set(e, path, 0, 0, "cannot open: %s", strerror(errno));
	ld->depth++;
	if (yamldoc_open(&f, e) == -1)
		goto out;

	root = yaml_document_get_root_node(&f.doc);
	if (root != NULL && !yamldoc_is_empty(root) &&
	    root->type != YAML_MAPPING_NODE) {
		yamldoc_err(e, path, root,
		    "a theme must be a mapping with the keys "
		    "name, background, inherit and elements, not %s",
		    yamldoc_type_name(root));
		goto out;
	}
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
		    pr < root->data.mapping.pairs.top; pr++) {
			yaml_node_t *k, *v;
			size_t which;

			if (yamldoc_pair_key(&f, pr, &k, &v, e) == -1)
				goto out;
			for (which = 0; which < 4; which++)
				if (strcmp(yamldoc_scalar(k),
				    top_keys[which]) == 0)
					break;
			if (which == 4) {
				suggest(hint, sizeof hint, yamldoc_scalar(k),
				    top_keys, 4,
				    "use name, background, inherit or elements");
				yamldoc_err(e, path, k, "unknown key '%.64s'%s",
				    yamldoc_scalar(k), hint);
				goto out;
			}
			if (nodes[which] != NULL) {
				yamldoc_err(e, path, k, "duplicate key '%s'",
				    top_keys[which]);
				goto out;
			}
			nodes[which] = v;
			if (which < 3 && v->type != YAML_SCALAR_NODE) {
				yamldoc_err(e, path, v,
				    "%s must be a single value, not %s",
				    top_keys[which], yamldoc_type_name(v));
				goto out;
			}
		}
	}

	/* The inherited theme first, whatever the order of the keys. */
	if (nodes[2] != NULL) {
		if (load_inherit(ld, &f, nodes[2], l, e) == -1)
			goto out;
	} else
		layer_empty(l);

	if (nodes[0] != NULL)
		snprintf(l->name, sizeof l->name, "%s",
		    yamldoc_scalar(nodes[0]));
	else {
		const char *b = base_name(path);

		snprintf(l->name, sizeof l->name, "%.*s", (int)strip_yaml(b), b);
	}
	if (nodes[1] != NULL) {
		const char *v = yamldoc_scalar(nodes[1]);

		if (strcmp(v, "dark") == 0)
			l->background = 0;
		else if (strcmp(v, "light") == 0)
			l->background = 1;
		else {
			yamldoc_err(e, path, nodes[1],
			    "background must be dark or "
			    "light, not '%.64s'", v);
			goto out;
		}
	}
	if (nodes[3] != NULL && parse_elements(&f, nodes[3], l, e) == -1)
		goto out;
	rc = 0;
out:
	yamldoc_free(&f);
	ld->depth--;
	free(ld->chain[ld->depth]);
	ld->chain[ld->depth] = NULL;
	return rc;
}

int
theme_load(struct theme *t, const char *path, const char *const dirs[],
    struct err *e)
{
	struct loader ld = { .dirs = dirs, .depth = 0 };
	struct layer l;

	if (load_layer(&ld, path, &l, e) == -1) {
		theme_default(t);
		return -1;
	}
	theme_resolve(t, &l);
	return 0;
}

int
theme_find(const char *name_or_path, const char *const dirs[], char *out,
    size_t len)
{
	size_t n = strlen(name_or_path);
	int w;

	if (n == 0 || len == 0)
		return -1;
	if (strchr(name_or_path, '/') != NULL || strip_yaml(name_or_path) != n) {
		w = snprintf(out, len, "%s", name_or_path);
		return w >= 0 && (size_t)w < len && access(out, R_OK) == 0 ? 0 : -1;
	}
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		struct stat st;

		w = snprintf(out, len, "%s/%s.yaml", dirs[i], name_or_path);
		if (w < 0 || (size_t)w >= len)
			continue;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	return -1;
}

int
theme_open(struct theme *t, const char *name_or_path,
    const char *const dirs[], struct err *e)
{
	char path[PATH_MAX];

	if (theme_find(name_or_path, dirs, path, sizeof path) == -1) {
		theme_default(t);
		if (strcmp(name_or_path, "default") == 0)
			return 0;
		return err_set(e, NULL, 0, 0, "no theme called '%.128s'%s",
		    name_or_path, strchr(name_or_path, '/') != NULL ? "" :
		    " (themes are NAME.yaml in the theme directories)");
	}
	return theme_load(t, path, dirs, e);
}
