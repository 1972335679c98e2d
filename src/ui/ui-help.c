/*
 * ui-help.c - the help overlay: every key of the view in focus, generated
 * from the view's own table, so what is bound is what is documented. A
 * table longer than the screen scrolls (j/k, PgDn/PgUp, g/G).
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
ui_view_action_help(const struct view *v, enum ui_action a)
{
	if (v->help_texts != NULL)
		for (const struct ui_action_text *t = v->help_texts;
		    t->action != UI_NONE; t++)
			if (t->action == a)
				return t->help;
	return ui_action_help(a);
}

/* The view's actions in table order, each once. Returns how many. */
static int
help_actions(const struct view *v, enum ui_action *out)
{
	int done[UI_NACTIONS], n = 0;

	memset(done, 0, sizeof done);
	for (const struct ui_binding *b = v->keys; b->key != 0; b++) {
		if (done[b->action])
			continue;
		done[b->action] = 1;
		out[n++] = b->action;
	}
	return n;
}

/* The keys of action a in view v, as the user has them. */
static void
help_keys(const struct ui *ui, const struct view *v, enum ui_action a,
    char *keys, size_t len)
{
	char name[24];

	keys[0] = '\0';
	if (ui->keymap_key[a][0] != 0) {
		ui_keys_named(ui->keymap_key[a], keys, len);
		return;
	}
	for (const struct ui_binding *k = v->keys; k->key != 0; k++) {
		if (k->action != a)
			continue;
		ui_key_name(k->key, name, sizeof name);
		/* Enter is KEY_ENTER, \r and \n: name it once. */
		if (strstr(keys, name) != NULL)
			continue;
		if (keys[0] != '\0' && strlen(keys) + strlen(name) + 2 < len)
			strcat(keys, " ");
		if (strlen(keys) + strlen(name) + 1 < len)
			strcat(keys, name);
	}
}

/* Rows of entries the overlay shows at once, and in how many columns. */
static int
help_capacity(int rows, int cols, int *ncols)
{
	*ncols = cols >= 84 ? 2 : 1;
	return (rows - 4 > 0 ? rows - 4 : 0) * *ncols;
}

int
ui_help_scroll(struct ui *ui, int key)
{
	int page = (ui->overlay != NULL ? getmaxy(ui->overlay) : 24) / 2;

	switch (key) {
	case 'j': case KEY_DOWN:	ui->help_top++; break;
	case 'k': case KEY_UP:		ui->help_top--; break;
	case 4: case KEY_NPAGE:		ui->help_top += page; break;
	case 21: case KEY_PPAGE:	ui->help_top -= page; break;
	case 'g': case KEY_HOME:	ui->help_top = 0; break;
	case 'G': case KEY_END:		ui->help_top = UI_NACTIONS; break;
	default:
		return 0;
	}
	/* ui_help_draw clamps it to what the table needs. */
	if (ui->help_top < 0)
		ui->help_top = 0;
	return 1;
}

void
ui_help_draw(struct ui *ui, WINDOW *w)
{
	const struct view *v = ui_focus_view(ui);
	enum ui_action list[UI_NACTIONS];
	int rows = getmaxy(w), cols = getmaxx(w), ncols, cap, n, row, col;
	int colw, keyw, margin;
	char title[128], keys[64], foot[96];

	wattrset(w, ui_attr(ui, THEME_BORDER));
	if (ui->app->ascii)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else
		box(w, 0, 0);
	snprintf(title, sizeof title, " Keys: %s ", v->name);
	ui_draw_text(ui, w, 0, 2, cols - 4, THEME_TITLE, title);
	n = help_actions(v, list);
	cap = help_capacity(rows, cols, &ncols);
	/* Narrow: one cell inside the border instead of two. */
	margin = cols < 40 ? 1 : 2;
	colw = (cols - 2 * margin) / ncols;
	if (ui->help_top > n - cap)
		ui->help_top = n - cap > 0 ? n - cap : 0;
	/* The key column is as wide as the widest keys shown (at most 16),
	 * and at most half a column, so a narrow terminal keeps words. */
	keyw = 0;
	for (int i = ui->help_top; i < n && i < ui->help_top + cap; i++) {
		help_keys(ui, v, list[i], keys, sizeof keys);
		if (ui_text_width(keys) > keyw)
			keyw = ui_text_width(keys);
	}
	if (keyw > 16)
		keyw = 16;
	if (keyw > colw / 2)
		keyw = colw / 2;
	row = 2;
	col = margin;
	for (int i = ui->help_top; i < n && i < ui->help_top + cap; i++) {
		if (row >= rows - 2) {
			row = 2;
			col += colw;
		}
		help_keys(ui, v, list[i], keys, sizeof keys);
		ui_draw_text(ui, w, row, col, keyw, THEME_HELP_KEY, keys);
		ui_draw_text_end(ui, w, row, col + keyw + 1, colw - keyw - 1,
		    THEME_NORMAL, ui_view_action_help(v, list[i]));
		row++;
	}
	/* The recent messages, newest last, where the keys left room:
	 * the status line shows one only until the next key. */
	if (ui->log_n > 0 && col == margin && row + 2 < rows - 1) {
		int first = ui->log_n - (rows - 2 - (row + 2));

		ui_draw_text(ui, w, ++row, 2, cols - 4, THEME_TITLE,
		    "Recent messages");
		row++;
		for (int i = first > 0 ? first : 0; i < ui->log_n &&
		    row < rows - 1; i++)
			ui_draw_text_cut(ui, w, row++, 2, cols - 4, THEME_MUTED,
			    ui->log[i]);
	}
	if (n > cap)
		snprintf(foot, sizeof foot, " %d-%d of %d, j/k PgDn/PgUp "
		    "scroll, any other key closes ", ui->help_top + 1,
		    ui->help_top + cap, n);
	else
		snprintf(foot, sizeof foot, " any key closes this ");
	ui_draw_text(ui, w, rows - 1, 2, cols - 4, THEME_MUTED, foot);
}

/* Markdown's special characters in a code span are literal; only '`'
 * needs the longer fence, and no key name holds one but the key itself. */
static void
md_key(FILE *out, const char *name)
{
	fprintf(out, strchr(name, '`') != NULL ? "`` %s ``" : "`%s`", name);
}

void
ui_keys_markdown(FILE *out)
{
	static const struct view *const views[] = {
		&ui_decks_view, &ui_stats_view, &ui_study_view, &ui_browse_view,
		&ui_editor_view, &ui_options_view,
	};
	struct ui *ui = xcalloc(1, sizeof *ui);	/* no keys.yaml: defaults */
	enum ui_action list[UI_NACTIONS];
	char keys[64];

	fputs("| View | Keys |\n|---|---|\n", out);
	for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
		const struct view *v = views[i];
		int n = help_actions(v, list);

		fprintf(out, "| %s |", v->name);
		for (int k = 0; k < n; k++) {
			char *save = NULL, *tok;

			help_keys(ui, v, list[k], keys, sizeof keys);
			fputs(k > 0 ? " · " : " ", out);
			for (tok = strtok_r(keys, " ", &save); tok != NULL;
			    tok = strtok_r(NULL, " ", &save)) {
				if (tok != keys)
					fputc('/', out);
				md_key(out, tok);
			}
			fputc(' ', out);
			/* A '|' in the words would end the cell. */
			for (const char *c = ui_view_action_help(v, list[k]);
			    *c != '\0'; c++) {
				if (*c == '|')
					fputc('\\', out);
				fputc(*c, out);
			}
		}
		fputs(" |\n", out);
	}
	free(ui);
}
