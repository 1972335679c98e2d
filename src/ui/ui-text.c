/*
 * ui-text.c - an editable UTF-8 text: the search line and the fields of the
 * note editor. The usual line-editing keys (arrows, Home/End, ^A ^E ^K ^U
 * ^W, word moves with Ctrl-Left/Right, Backspace/Delete), several lines
 * where the field allows them, and a cursor drawn as a reversed cell so the
 * terminal's own cursor can stay hidden.
 */
#include "config.h"

#include "ui.h"

#include <string.h>
#include <term.h>
#include <wchar.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/render/render.h"

void
ui_text_init(struct ui_text *t, const char *s, int multiline)
{
	buf_init(&t->b);
	buf_adds(&t->b, s != NULL ? s : "");
	t->cursor = t->b.len;
	t->multiline = multiline;
	t->top = 0;
}

void
ui_text_free(struct ui_text *t)
{
	buf_free(&t->b);
}

const char *
ui_text_str(const struct ui_text *t)
{
	return t->b.data != NULL ? t->b.data : "";
}

void
ui_text_set(struct ui_text *t, const char *s)
{
	buf_reset(&t->b);
	buf_adds(&t->b, s);
	t->cursor = t->b.len;
}

static size_t
prev_char(const struct ui_text *t, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)t->b.data[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t
next_char(const struct ui_text *t, size_t i)
{
	if (i >= t->b.len)
		return t->b.len;
	i++;
	while (i < t->b.len && ((unsigned char)t->b.data[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static int
is_space_at(const struct ui_text *t, size_t i)
{
	char c = t->b.data[i];

	return c == ' ' || c == '\n' || c == '\t';
}

static size_t
word_left(const struct ui_text *t, size_t i)
{
	while (i > 0 && is_space_at(t, prev_char(t, i)))
		i = prev_char(t, i);
	while (i > 0 && !is_space_at(t, prev_char(t, i)))
		i = prev_char(t, i);
	return i;
}

static size_t
word_right(const struct ui_text *t, size_t i)
{
	while (i < t->b.len && is_space_at(t, i))
		i = next_char(t, i);
	while (i < t->b.len && !is_space_at(t, i))
		i = next_char(t, i);
	return i;
}

static size_t
line_start(const struct ui_text *t, size_t i)
{
	while (i > 0 && t->b.data[i - 1] != '\n')
		i--;
	return i;
}

static size_t
line_end(const struct ui_text *t, size_t i)
{
	while (i < t->b.len && t->b.data[i] != '\n')
		i++;
	return i;
}

static void
delete_range(struct ui_text *t, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(t->b.data + from, t->b.data + to, t->b.len - to + 1);
	t->b.len -= to - from;
	t->cursor = from;
}

static void
insert(struct ui_text *t, const char *s, size_t n)
{
	buf_add(&t->b, s, n);	/* grow, then shift the tail into place */
	memmove(t->b.data + t->cursor + n, t->b.data + t->cursor,
	    t->b.len - n - t->cursor);
	memcpy(t->b.data + t->cursor, s, n);
	t->cursor += n;
}

/* Characters from the start of the line to i, for moving up and down. */
static size_t
column_of(const struct ui_text *t, size_t i)
{
	size_t col = 0;

	for (size_t p = line_start(t, i); p < i; p = next_char(t, p))
		col++;
	return col;
}

static size_t
at_column(const struct ui_text *t, size_t start, size_t col)
{
	size_t p = start;

	while (col-- > 0 && p < t->b.len && t->b.data[p] != '\n')
		p = next_char(t, p);
	return p;
}

static int
ctrl_arrow(int key, int right)
{
	static int left_code = -2, right_code = -2;

	if (left_code == -2) {
		char *l = tigetstr("kLFT5"), *r = tigetstr("kRIT5");
		left_code = l != NULL && l != (char *)-1 ? key_defined(l) : -1;
		right_code = r != NULL && r != (char *)-1 ? key_defined(r) : -1;
	}
	return key > 0 && key == (right ? right_code : left_code);
}

int
ui_text_key(struct ui_text *t, int key)
{
	size_t col;

	if (UI_KEY_IS_CHAR(key)) {
		char enc[4];
		insert(t, enc, utf8_encode(ui_key_char(key), enc));
		return 1;
	}
	if (ctrl_arrow(key, 0)) {
		t->cursor = word_left(t, t->cursor);
		return 1;
	}
	if (ctrl_arrow(key, 1)) {
		t->cursor = word_right(t, t->cursor);
		return 1;
	}
	switch (key) {
	case KEY_LEFT:
	case 2:		/* ^B */
		t->cursor = prev_char(t, t->cursor);
		return 1;
	case KEY_RIGHT:
	case 6:		/* ^F */
		t->cursor = next_char(t, t->cursor);
		return 1;
	case KEY_HOME:
	case 1:		/* ^A */
		t->cursor = line_start(t, t->cursor);
		return 1;
	case KEY_END:
	case 5:		/* ^E */
		t->cursor = line_end(t, t->cursor);
		return 1;
	case KEY_UP:
		if (!t->multiline || line_start(t, t->cursor) == 0)
			return 0;
		col = column_of(t, t->cursor);
		t->cursor = at_column(t, line_start(t,
		    line_start(t, t->cursor) - 1), col);
		return 1;
	case KEY_DOWN:
		if (!t->multiline || line_end(t, t->cursor) == t->b.len)
			return 0;
		col = column_of(t, t->cursor);
		t->cursor = at_column(t, line_end(t, t->cursor) + 1, col);
		return 1;
	case KEY_BACKSPACE:
	case 8:		/* ^H */
	case 0x7F:
		delete_range(t, prev_char(t, t->cursor), t->cursor);
		return 1;
	case KEY_DC:
	case 4:		/* ^D */
		delete_range(t, t->cursor, next_char(t, t->cursor));
		return 1;
	case 11:	/* ^K: to the end of the line */
		delete_range(t, t->cursor, line_end(t, t->cursor) == t->cursor &&
		    t->cursor < t->b.len ? t->cursor + 1 : line_end(t, t->cursor));
		return 1;
	case 21:	/* ^U: to the start of the line */
		delete_range(t, line_start(t, t->cursor), t->cursor);
		return 1;
	case 23:	/* ^W: the word before the cursor */
		delete_range(t, word_left(t, t->cursor), t->cursor);
		return 1;
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (!t->multiline)
			return 0;
		insert(t, "\n", 1);
		return 1;
	default:
		return 0;
	}
}

/* Cells of cp as drawn (render_cell: termsafe's stand-in, the
 * renderer's widths; what termsafe drops, bidi and zero-width, is 0 cells
 * and not drawn), so the cursor stays where the text is drawn. */
static int
cp_cells(struct ui *ui, uint32_t cp)
{
	int cells;

	render_cell(cp, 1, ui->app->ascii, &cells);
	return cells;
}

/* Draw one character (or a visible stand-in) at the current position. */
static void
put_cp(struct ui *ui, WINDOW *w, uint32_t cp)
{
	wchar_t wc[2] = { 0, 0 };
	int cells;

	if ((cp = render_cell(cp, 1, ui->app->ascii, &cells)) == 0)
		return;
	wc[0] = (wchar_t)cp;
	waddnwstr(w, wc, 1);
}

int
ui_text_draw(struct ui *ui, WINDOW *w, int row, int col, int width,
    int height, struct ui_text *t, enum theme_element el, int focused)
{
	int r = 0, c = 0, cursor_row = 0;
	size_t i = 0;
	uint32_t cp;
	int ok;

	if (width <= 0 || height <= 0)
		return 0;
	/* First pass: where the cursor lands, to scroll it into view. */
	while (i < t->cursor) {
		size_t n = utf8_decode(t->b.data + i, t->b.len - i, &cp, &ok);
		int cw = cp == '\n' ? 0 : cp_cells(ui, cp);
		if (cp == '\n' || c + cw > width) {
			r++;
			c = 0;
		}
		if (cp != '\n')
			c += cw;
		i += n;
	}
	cursor_row = r;
	if (cursor_row < t->top)
		t->top = cursor_row;
	if (cursor_row >= t->top + height)
		t->top = cursor_row - height + 1;
	r = c = 0;
	i = 0;
	wattrset(w, ui_attr(ui, el));
	for (;;) {
		int at_cursor = i == t->cursor && focused;
		size_t n = 0;
		int cw = 1;

		if (i < t->b.len) {
			n = utf8_decode(t->b.data + i, t->b.len - i, &cp, &ok);
			cw = cp == '\n' ? 1 : cp_cells(ui, cp);
			if (cp != '\n' && c + cw > width) {
				r++;
				c = 0;
			}
		}
		if (r >= t->top && r < t->top + height) {
			wmove(w, row + r - t->top, col + c);
			if (at_cursor)
				wattron(w, A_REVERSE);
			if (i >= t->b.len || cp == '\n') {
				if (at_cursor)
					waddch(w, ' ');
			} else
				put_cp(ui, w, cp);
			if (at_cursor)
				wattrset(w, ui_attr(ui, el));
		}
		if (i >= t->b.len)
			break;
		if (cp == '\n') {
			r++;
			c = 0;
		} else
			c += cw;
		i += n;
	}
	wattrset(w, A_NORMAL);
	return r + 1;
}
