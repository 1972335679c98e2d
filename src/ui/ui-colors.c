/*
 * ui-colors.c - the theme, fitted to the terminal, as curses colour pairs.
 *
 * One colour pair per theme element. Draw code names elements (ui_attr),
 * never colours. NO_COLOR, or a terminal without colours, gets attributes
 * only: start_color() is then never called, so no colour sequence is sent.
 */
#include "config.h"

#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "lemma/app/config.h"
#include "lemma/base/paths.h"

static attr_t
style_attrs(unsigned s)
{
	attr_t a = A_NORMAL;

	if (s & STYLE_BOLD)
		a |= A_BOLD;
	if (s & STYLE_DIM)
		a |= A_DIM;
	if (s & STYLE_ITALIC)
		a |= A_ITALIC;
	if (s & STYLE_UNDERLINE)
		a |= A_UNDERLINE;
	if (s & STYLE_REVERSE)
		a |= A_REVERSE;
	return a;
}

/* Load the theme the user chose: --theme, else config.yaml's theme:, else
 * the default. Errors are kept for the status line; lemma still starts. */
static void
load_theme(struct ui *ui)
{
	char user_dir[4200], data_dir[4200], config_path[4200];
	const char *dirs[3];
	const char *name = ui->app->theme_arg;
	struct config cfg;
	struct err e;
	size_t nd = 0;

	if (ui->app->config_dir[0] != '\0') {
		snprintf(user_dir, sizeof user_dir, "%s/themes",
		    ui->app->config_dir);
		dirs[nd++] = user_dir;
	}
	snprintf(data_dir, sizeof data_dir, "%s/themes", paths_data_dir());
	dirs[nd++] = data_dir;
	dirs[nd] = NULL;
	err_clear(&e);
	config_init(&cfg);
	if (ui->app->config_dir[0] != '\0') {
		snprintf(config_path, sizeof config_path, "%s/config.yaml",
		    ui->app->config_dir);
		if (config_load(&cfg, config_path, &e) < 0)
			err_format(&e, ui->theme_error, sizeof ui->theme_error);
	}
	if (name == NULL && cfg.theme[0] != '\0')
		name = cfg.theme;
	if (name == NULL)
		name = "default";
	err_clear(&e);
	if (theme_open(&ui->theme, name, dirs, &e) < 0)
		err_format(&e, ui->theme_error, sizeof ui->theme_error);
}

void
ui_colors_init(struct ui *ui)
{
	const char *no_color = getenv("NO_COLOR");
	int ncolors = 0, direct = 0;

	load_theme(ui);
	ui->use_color = has_colors() && (no_color == NULL || no_color[0] == '\0');
	if (ui->use_color) {
		start_color();
		use_default_colors();
		ncolors = COLORS;
		direct = tigetflag("RGB") > 0 && COLORS >= 0x1000000;
	}
	theme_fit(&ui->theme, ncolors, direct);
	if (!ui->use_color)
		return;
	for (int el = 0; el < THEME_NELEMENTS; el++) {
		const struct style *s = &ui->theme.el[el];
		int fg = s->fg, bg = s->bg;

		if (direct) {
			if (THEME_IS_RGB(fg))
				fg = (int)THEME_RGB_VALUE(fg);
			if (THEME_IS_RGB(bg))
				bg = (int)THEME_RGB_VALUE(bg);
		}
		init_extended_pair(el + 1, fg, bg);
	}
}

attr_t
ui_attr(const struct ui *ui, enum theme_element el)
{
	attr_t a = style_attrs(ui->theme.el[el].attrs);

	return ui->use_color ? a | COLOR_PAIR(el + 1) : a;
}
