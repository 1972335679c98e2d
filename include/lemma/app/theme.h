/*
 * theme.h - colours and attributes for every UI element.
 *
 * Owns the list of semantic elements (draw code names elements, never
 * colours), the built-in default theme, the YAML theme files (themes/NAME.yaml)
 * and the mapping of a theme down to what a terminal can show. It knows
 * nothing about curses: a colour here is -1 (the terminal's default), a
 * palette index 0-255, or THEME_RGB(r, g, b); src/ui/ui-colors.c turns the
 * fitted theme into colour pairs. theme.c walks the YAML document that
 * yamldoc reads.
 *
 * Theme files: see the comment at the top of themes/default.yaml.
 */
#ifndef LEMMA_THEME_H
#define LEMMA_THEME_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"

/*
 * The elements: X(id, YAML key, parent). A field (fg, bg or attrs) that a
 * theme leaves unset takes the value of the parent element, so a theme that
 * only sets `selected` also changes `deck.selected`. A parent always comes
 * before its children in this list; `normal` is the root.
 */
#define THEME_ELEMENTS(X)						\
	X(NORMAL,		"normal",		NORMAL)		\
	X(HEADER,		"header",		NORMAL)		\
	X(TITLE,		"title",		NORMAL)		\
	X(STATUS,		"status",		NORMAL)		\
	X(MESSAGE,		"message",		STATUS)		\
	X(ERROR,		"error",		NORMAL)		\
	X(BORDER,		"border",		NORMAL)		\
	X(MUTED,		"muted",		NORMAL)		\
	X(HELP_KEY,		"help.key",		NORMAL)		\
	X(INPUT,		"input",		NORMAL)		\
	X(SELECTED,		"selected",		NORMAL)		\
	X(DECK,			"deck",			NORMAL)		\
	X(DECK_SELECTED,	"deck.selected",	SELECTED)	\
	X(COUNT_NEW,		"count.new",		DECK)		\
	X(COUNT_LEARN,		"count.learn",		DECK)		\
	X(COUNT_DUE,		"count.due",		DECK)		\
	X(COUNT_ZERO,		"count.zero",		MUTED)		\
	X(QUESTION,		"question",		NORMAL)		\
	X(ANSWER,		"answer",		NORMAL)		\
	X(CLOZE,		"cloze",		ANSWER)		\
	X(FORMULA,		"formula",		NORMAL)		\
	X(CODE,			"code",			NORMAL)		\
	X(TEXT_BOLD,		"text.bold",		NORMAL)		\
	X(TEXT_ITALIC,		"text.italic",		NORMAL)		\
	X(TEXT_UNDERLINE,	"text.underline",	NORMAL)		\
	X(BUTTON,		"button",		NORMAL)		\
	X(BUTTON_AGAIN,		"button.again",		BUTTON)		\
	X(BUTTON_HARD,		"button.hard",		BUTTON)		\
	X(BUTTON_GOOD,		"button.good",		BUTTON)		\
	X(BUTTON_EASY,		"button.easy",		BUTTON)		\
	X(GRAPH_AXIS,		"graph.axis",		MUTED)		\
	X(GRAPH_BAR,		"graph.bar",		NORMAL)		\
	X(GRAPH_LEARN,		"graph.learn",		NORMAL)		\
	X(GRAPH_YOUNG,		"graph.young",		NORMAL)		\
	X(GRAPH_MATURE,		"graph.mature",		NORMAL)		\
	X(GRAPH_RELEARN,	"graph.relearn",	NORMAL)		\
	X(GRAPH_RETENTION,	"graph.retention",	NORMAL)		\
	X(GRAPH_TARGET,		"graph.target",		GRAPH_AXIS)	\
	X(GRAPH_PREDICTED,	"graph.predicted",	NORMAL)		\
	X(GRAPH_HEAT_0,		"graph.heat.0",		MUTED)		\
	X(GRAPH_HEAT_1,		"graph.heat.1",		NORMAL)		\
	X(GRAPH_HEAT_2,		"graph.heat.2",		NORMAL)		\
	X(GRAPH_HEAT_3,		"graph.heat.3",		NORMAL)		\
	X(GRAPH_HEAT_4,		"graph.heat.4",		NORMAL)		\
	X(FLAG_RED,		"flag.red",		NORMAL)		\
	X(FLAG_ORANGE,		"flag.orange",		NORMAL)		\
	X(FLAG_GREEN,		"flag.green",		NORMAL)		\
	X(FLAG_BLUE,		"flag.blue",		NORMAL)		\
	X(FLAG_PINK,		"flag.pink",		NORMAL)		\
	X(FLAG_TURQUOISE,	"flag.turquoise",	NORMAL)		\
	X(FLAG_PURPLE,		"flag.purple",		NORMAL)

enum theme_element {
#define X(id, key, parent) THEME_##id,
	THEME_ELEMENTS(X)
#undef X
	THEME_NELEMENTS
};

/* Colours: THEME_DEFAULT is the terminal's own colour; 0-255 are palette
 * indices (0-7 ANSI, 8-15 bright, 16-231 the 6x6x6 cube, 232-255 greys);
 * THEME_RGB values are direct colours, which theme_fit() maps down. */
#define THEME_DEFAULT		(-1)
#define THEME_RGB(r, g, b)	((int32_t)(0x1000000 | ((r) << 16) | ((g) << 8) | (b)))
#define THEME_IS_RGB(c)		((c) >= 0x1000000)
#define THEME_RGB_VALUE(c)	((uint32_t)(c) & 0xFFFFFF)

#define STYLE_BOLD		0x01u
#define STYLE_DIM		0x02u
#define STYLE_ITALIC		0x04u
#define STYLE_UNDERLINE		0x08u
#define STYLE_REVERSE		0x10u

struct style {
	int32_t		 fg, bg;	/* THEME_DEFAULT, 0-255 or THEME_RGB */
	unsigned	 attrs;		/* STYLE_* bits */
};

struct theme {
	char		 name[128];	/* `name:` of the file, for display */
	int		 is_light;	/* `background: light` */
	struct style	 el[THEME_NELEMENTS];
};

/* The built-in theme (what themes/default.yaml also says), so lemma works
 * with no theme files at all. */
void	theme_default(struct theme *t);

/*
 * Load the theme file at path into t. `inherit: NAME` is looked up with
 * theme_find() in dirs (NULL-terminated, may be NULL); `inherit: PATH` (with
 * a '/' or ending in ".yaml") is relative to the inheriting file's directory;
 * `inherit: default` falls back to the built-in theme when no dir has a
 * default.yaml. On any error (YAML syntax, unknown key, bad colour or
 * attribute, wrong node type, unknown or cyclic inherit) e holds
 * "path:line:col: message" for the first problem, t is the built-in default
 * and -1 is returned, so a caller can show e and go on.
 */
int	theme_load(struct theme *t, const char *path, const char *const dirs[],
	    struct err *e);

/*
 * Resolve a theme name or path to a file name in out. A value with a '/' or
 * ending in ".yaml" is a path and is used as it is; a name is looked up as
 * DIR/NAME.yaml in each of dirs in order (the caller passes the user's
 * $XDG_CONFIG_HOME/lemma/themes before the installed themes). Returns 0 when
 * the file exists, -1 when not (or when out is too small).
 */
int	theme_find(const char *name_or_path, const char *const dirs[], char *out,
	    size_t len);

/* theme_find() + theme_load(), for --theme and the config's `theme:` key.
 * "default" with no default.yaml in dirs gives the built-in theme. On error
 * t is the built-in default and -1 is returned with e set. */
int	theme_open(struct theme *t, const char *name_or_path,
	    const char *const dirs[], struct err *e);

/*
 * Map every colour down to what the terminal has. direct != 0: the terminal
 * takes 24-bit colour (terminfo RGB); THEME_RGB values stay, and palette
 * indices 8-255 become THEME_RGB too (direct-colour terminfo entries address
 * only 0-7 by index, and read any value below 8 as an index, so no
 * THEME_RGB_VALUE below 8 is left). Otherwise RGB and too-high indices go to the nearest of
 * the 240 fixed xterm colours (ncolors >= 256), of the 16 ANSI colours
 * (>= 16) or of the 8 (>= 8); a foreground that would land on its own
 * background takes the next nearest colour. ncolors == 0 (NO_COLOR, or a
 * terminal without colour): every colour becomes THEME_DEFAULT and an
 * element that stood out by its background gets STYLE_REVERSE, so selected
 * rows and bars stay visible.
 */
void	theme_fit(struct theme *t, int ncolors, int direct);

/* The YAML key of an element ("count.new"), and the element of a key
 * (-1 when there is none). */
const char *theme_element_key(enum theme_element el);
int	theme_element_find(const char *key);

/* Parse a colour as theme files write it: "default", a name ("red",
 * "bright-blue", "grey"), "0"-"255", "#rrggbb" or "#rgb". Returns 0 and sets
 * *out, or -1. */
int	theme_parse_color(const char *s, int32_t *out);

/* The RGB value (0xRRGGBB) lemma assumes for a palette index or THEME_RGB
 * colour (xterm's defaults for 0-15); 0 for THEME_DEFAULT. */
uint32_t theme_color_rgb(int32_t c);

#endif
