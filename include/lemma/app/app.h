/*
 * app.h - what main.c hands the UI and the commands: the open progress
 * file, the clock, the locale profile and the user's choices.
 *
 * No curses here: commands use it too.
 */
#ifndef LEMMA_APP_APP_H
#define LEMMA_APP_APP_H

#include <time.h>

struct db;

struct app {
	struct db	*db;
	char		 db_path[4096];
	char		 config_dir[4096];	/* $XDG_CONFIG_HOME/lemma */
	const char	*theme_arg;		/* --theme NAME|PATH, or NULL */
	time_t		 fixed_now;		/* --now / LEMMA_NOW */
	int		 has_fixed_now;
	int		 ascii;			/* the locale is not UTF-8 */
	int		 quiet;			/* --quiet: no progress lines */
	char		 warning[600];		/* for the status line at start */
	char		 notice[600];		/* the same, not an error: "Import
						 * cancelled" */
};

/* The one place lemma reads the clock: --now / LEMMA_NOW, else time(). */
time_t	app_now(const struct app *app);

#endif
