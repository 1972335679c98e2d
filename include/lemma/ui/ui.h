/*
 * ui.h - the full-screen program, as the command line starts it. The
 * views, widgets and curses stay private to src/ui (src/ui/ui.h).
 */
#ifndef LEMMA_UI_UI_H
#define LEMMA_UI_UI_H

#include <stdio.h>

struct app;

/* Run the full-screen program on app's open progress file; returns the
 * exit status. */
int	ui_run(struct app *app);

/* The default keys of every view as a Markdown table (the README's Keys
 * section is this output), generated from the views' own tables. */
void	ui_keys_markdown(FILE *out);

#endif
