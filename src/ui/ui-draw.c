/*
 * ui-draw.c - drawing text into windows: clipped to a width in cells, in a
 * theme element's style, and never letting a control character through.
 * What is drawn and its cells come from render_cell: termsafe's rule and
 * the renderer's width table, the one source of both.
 */
#include "config.h"

#include "ui.h"

#include <string.h>
#include <wchar.h>

#include "lemma/base/utf8.h"
#include "lemma/render/render.h"

int
ui_text_width(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	int ok, cw, w = 0;

	while (i < n) {
		i += utf8_decode(s + i, n - i, &cp, &ok);
		render_cell(cp, ok, 0, &cw);
		w += cw;
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
		if ((cp = render_cell(cp, ok, ui->app->ascii, &cw)) == 0)
			continue;
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

int
ui_draw_text_cut(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element el, const char *s)
{
	const char *mark = ui->app->ascii ? "~" : "…";
	size_t n = strlen(s), i = 0;
	int total = ui_text_width(s), tail, used;
	uint32_t cp;
	int ok;

	if (total <= width || width < 3)
		return ui_draw_text(ui, w, row, col, width, el, s);
	/* The tail is where names of a series differ ("... · Ch 02"). */
	tail = (width - 1) / 2;
	used = ui_draw_text(ui, w, row, col, width - 1 - tail, el, s);
	used += ui_draw_text(ui, w, row, col + used, 1, el, mark);
	/* Skip to the first character of the last tail cells. */
	while (i < n && total > tail) {
		int cw;

		i += utf8_decode(s + i, n - i, &cp, &ok);
		render_cell(cp, ok, 0, &cw);
		total -= cw;
	}
	return used + ui_draw_text(ui, w, row, col + used, width - used, el,
	    s + i);
}

int
ui_draw_text_end(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element el, const char *s)
{
	int used;

	if (ui_text_width(s) <= width || width < 2)
		return ui_draw_text(ui, w, row, col, width, el, s);
	used = ui_draw_text(ui, w, row, col, width - 1, el, s);
	return used + ui_draw_text(ui, w, row, col + used, 1, el,
	    ui->app->ascii ? "~" : "…");
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

static attr_t
span_attr(struct ui *ui, enum theme_element base, unsigned style)
{
	enum theme_element el = base;
	attr_t a;

	if (style & RENDER_ERROR)
		el = THEME_ERROR;
	else if (style & RENDER_CLOZE)
		el = THEME_CLOZE;
	else if (style & RENDER_CODE)
		el = THEME_CODE;
	else if (style & RENDER_FORMULA)
		el = THEME_FORMULA;
	a = ui_attr(ui, el);
	if (style & RENDER_BOLD)
		a |= ui_attr(ui, THEME_TEXT_BOLD) & ~A_COLOR;
	if (style & RENDER_ITALIC)
		a |= ui_attr(ui, THEME_TEXT_ITALIC) & ~A_COLOR;
	if (style & RENDER_UNDERLINE)
		a |= ui_attr(ui, THEME_TEXT_UNDERLINE) & ~A_COLOR;
	return a;
}

int
ui_draw_field(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element base, const char *text, int is_html, int cloze,
    int reveal, int center)
{
	struct render_opts o = {
		.width = width,
		.ascii = ui->app->ascii,
		.cloze = cloze,
		.reveal = reveal,
		.flags = is_html ? RENDER_HTML : 0,
	};
	struct render_doc *doc = render_field(text, strlen(text), &o);
	size_t n = render_line_count(doc);
	int rows = getmaxy(w);

	for (size_t i = 0; i < n; i++, row++) {
		const struct render_line *line = render_doc_line(doc, i);
		int x = col + line->indent;

		if (row < 0 || row >= rows)
			continue;
		/* Display math comes centred as one block (its indent): each
		 * row centred on its own would slide a sum's limits off it. */
		if (center && !(line->flags & RENDER_LINE_DISPLAY))
			x = col + (width - line->width) / 2;
		wmove(w, row, x < col ? col : x);
		for (size_t s = 0; s < line->nspans; s++) {
			const struct render_span *sp = &line->spans[s];
			wattrset(w, span_attr(ui, base, sp->style));
			waddnstr(w, sp->text, (int)sp->len);
		}
	}
	wattrset(w, A_NORMAL);
	render_doc_free(doc);
	return row;
}
