/*
 * ui-help.c - the help overlay: every key of the view in focus, generated
 * from the view's own table, so what is bound is what is documented.
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <string.h>

void
ui_help_draw(struct ui *ui, WINDOW *w)
{
	const struct view *v = ui_focus_view(ui);
	int rows = getmaxy(w), cols = getmaxx(w), row = 2, col = 2;
	int colw = cols >= 84 ? (cols - 4) / 2 : cols - 4;
	int done[UI_NACTIONS];
	char title[128], keys[64], name[24];

	memset(done, 0, sizeof done);
	wattrset(w, ui_attr(ui, THEME_BORDER));
	if (ui->app->ascii)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else
		box(w, 0, 0);
	snprintf(title, sizeof title, " Keys: %s ", v->name);
	ui_draw_text(ui, w, 0, 2, cols - 4, THEME_TITLE, title);
	for (const struct ui_binding *b = v->keys; b->key != 0; b++) {
		if (done[b->action])
			continue;
		done[b->action] = 1;
		keys[0] = '\0';
		if (ui->keymap_key[b->action][0] != 0)
			ui_keys_named(ui->keymap_key[b->action], keys,
			    sizeof keys);
		else
			for (const struct ui_binding *k = v->keys; k->key != 0; k++) {
				if (k->action != b->action)
					continue;
				ui_key_name(k->key, name, sizeof name);
				/* Enter is KEY_ENTER, \r and \n: name it once. */
				if (strstr(keys, name) != NULL)
					continue;
				if (keys[0] != '\0' && strlen(keys) + strlen(name) + 2 <
				    sizeof keys)
					strcat(keys, " ");
				if (strlen(keys) + strlen(name) + 1 < sizeof keys)
					strcat(keys, name);
			}
		if (row >= rows - 2) {
			if (col != 2 || colw == cols - 4)
				break;
			row = 2;
			col = 2 + colw;
		}
		ui_draw_text(ui, w, row, col, 16, THEME_HELP_KEY, keys);
		ui_draw_text(ui, w, row, col + 17, colw - 18, THEME_NORMAL,
		    ui_action_help(b->action));
		row++;
	}
	ui_draw_text(ui, w, rows - 1, 2, cols - 4, THEME_MUTED,
	    " any key closes this ");
}
