/*
 * ui.h - the full-screen program, as the command line starts it. The
 * views, widgets and curses stay private to src/ui (src/ui/ui.h).
 */
#ifndef LEMMA_UI_UI_H
#define LEMMA_UI_UI_H

struct app;

/* Run the full-screen program on app's open progress file; returns the
 * exit status. */
int	ui_run(struct app *app);

#endif
