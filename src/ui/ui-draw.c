/*
 * ui-draw.c - drawing text into windows: clipped to a width in cells, in a
 * theme element's style, and never letting a control character through.
 */
#include "config.h"

#include "ui.h"

#include <string.h>
#include <wchar.h>

#include "lemma/utf8.h"

/* Cells of one code point as ncurses will count them; control characters
 * are drawn as a visible replacement of width 1. */
static int
cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* What to draw for cp: itself, or a safe stand-in. */
static uint32_t
safe_cp(const struct ui *ui, uint32_t cp)
{
	if (cp == 0x1B)
		return ui->app->ascii ? '?' : 0x241B;	/* ␛ */
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		return ui->app->ascii ? '?' : 0xFFFD;
	/* Bidi overrides and isolates could reorder the rest of the line. */
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return ui->app->ascii ? '?' : 0xFFFD;
	if (ui->app->ascii && cp >= 0x80)
		return '?';
	if (wcwidth((wchar_t)cp) < 0)
		return 0xFFFD;
	return cp;
}

int
ui_text_width(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	int ok, w = 0;

	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp, &ok);
		w += cp_width(cp);
	}
	return w;
}

int
ui_draw_text(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element el, const char *s)
{
	size_t n = strlen(s), i = 0;
	int used = 0, maxx = getmaxx(w);
	uint32_t cp;
	int ok;

	if (width > maxx - col)
		width = maxx - col;
	if (width <= 0 || row < 0 || row >= getmaxy(w))
		return 0;
	wattrset(w, ui_attr(ui, el));
	wmove(w, row, col);
	while (i < n) {
		wchar_t wc[2];
		int cw;

		i += utf8_decode(s + i, n - i, &cp, &ok);
		cp = safe_cp(ui, cp);
		cw = cp_width(cp);
		if (cw == 0) {
			/* A combining mark joins the previous cell. */
			if (used == 0)
				continue;
		}
		if (used + cw > width)
			break;
		wc[0] = (wchar_t)cp;
		wc[1] = 0;
		waddnwstr(w, wc, 1);
		used += cw;
	}
	wattrset(w, A_NORMAL);
	return used;
}

void
ui_fill_row(struct ui *ui, WINDOW *w, int row, int col, enum theme_element el)
{
	int maxx = getmaxx(w);

	wattrset(w, ui_attr(ui, el));
	wmove(w, row, col);
	for (int x = col; x < maxx; x++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}
