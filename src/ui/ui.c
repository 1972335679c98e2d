/*
 * ui.c - curses and panel setup and teardown, the layout, the event loop,
 * dirty flags, resize and signals.
 *
 * Over SSH every byte shows: nothing here calls clear() except on resize and
 * ^L, windows are redrawn with werase() and ncurses sends only the cells
 * that changed, and an idle screen writes nothing.
 */
#include "config.h"

#include "ui.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lemma/base/day.h"
#include "lemma/base/xmalloc.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"

/* Below this the layout cannot show a card and its buttons. */
#define UI_MIN_COLS	20
#define UI_MIN_ROWS	10
/* From this width the deck list and the card sit side by side. */
#define UI_WIDE_COLS	110

static volatile sig_atomic_t got_terminate;
/* A program lemma waits on ($EDITOR), or 0. */
static volatile sig_atomic_t child_pid;

/* SIGHUP, SIGTERM: the loop (or a wait) notices and ends the program. A
 * child being waited on is told at once, from here, so no moment exists
 * in which the signal could arrive unseen by it. kill() is safe in a
 * signal handler. */
static void
on_terminate(int sig)
{
	got_terminate = sig;
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

int
ui_terminating(void)
{
	return got_terminate;
}

void
ui_forward_signals(pid_t pid)
{
	child_pid = pid;
	/* A signal that came before the pid was set is passed on now. */
	if (pid > 0 && got_terminate != 0)
		kill(pid, got_terminate);
}

/* The study day for noticing midnight in a long session. The default
 * rollover hour is close enough: the counts are re-read, not the queue. */
static long
day_number_now(const struct ui *ui)
{
	return day_number(ui_now(ui), 4);
}

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

time_t
ui_now(const struct ui *ui)
{
	return app_now(ui->app);
}

void
ui_message(struct ui *ui, int is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	va_end(ap);
	ui->message_is_error = is_error;
	/* The log keeps the last UI_LOG_MAX, oldest first, for the help. */
	if (ui->log_n == UI_LOG_MAX) {
		memmove(ui->log[0], ui->log[1], sizeof ui->log[0] *
		    (UI_LOG_MAX - 1));
		ui->log_n--;
	}
	snprintf(ui->log[ui->log_n++], sizeof ui->log[0], "%s", ui->message);
	ui->dirty |= UI_DIRTY_STATUS;
}

const struct view *
ui_focus_view(const struct ui *ui)
{
	if (ui->wide)
		return ui->focus_right ? ui->right_view : ui->left_view;
	return ui->focus_right ? ui->right_view : ui->left_view;
}

void
ui_show(struct ui *ui, const struct view *v)
{
	ui->right_view = v;
	ui->focus_right = 1;
	ui->dirty |= UI_DIRTY_ALL;
}

void
ui_suspend(struct ui *ui)
{
	(void)ui;
	def_prog_mode();
	endwin();
}

void
ui_resume(struct ui *ui)
{
	reset_prog_mode();
	/* The editor drew over the screen: this is one of the two places a
	 * full repaint is right (the other is ^L). */
	clearok(curscr, TRUE);
	ui->dirty |= UI_DIRTY_LAYOUT | UI_DIRTY_DATA | UI_DIRTY_ALL;
}

static void
free_windows(struct ui *ui)
{
	PANEL **panels[] = { &ui->p_overlay, &ui->p_status, &ui->p_header,
	    &ui->p_right, &ui->p_left };
	WINDOW **windows[] = { &ui->overlay, &ui->status, &ui->header,
	    &ui->right, &ui->left };

	for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++) {
		if (*panels[i] != NULL)
			del_panel(*panels[i]);
		*panels[i] = NULL;
		if (*windows[i] != NULL)
			delwin(*windows[i]);
		*windows[i] = NULL;
	}
}

static WINDOW *
make_window(int rows, int cols, int y, int x, PANEL **panel)
{
	WINDOW *w = newwin(rows, cols, y, x);

	if (w == NULL)
		fatal("cannot create a window of %dx%d", cols, rows);
	*panel = new_panel(w);
	return w;
}

static int draw_wrapped(struct ui *, WINDOW *, int, int, int,
    enum theme_element, const char *);

/* Rows of the status line: one, or what the message needs wrapped, up to
 * a third of the screen. The panes above give way, so a message never
 * hides the card's buttons. */
static int
status_rows(struct ui *ui)
{
	int need;

	if (ui->message[0] == '\0')
		return 1;
	need = draw_wrapped(ui, NULL, 0, 1, ui->cols - 2,
	    THEME_MESSAGE, ui->message);
	if (need > ui->rows / 3)
		need = ui->rows / 3;
	return need < 1 ? 1 : need;
}

/* Build the windows for the current terminal size. */
static void
layout(struct ui *ui)
{
	int body, left_cols;

	free_windows(ui);
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->too_small = ui->cols < UI_MIN_COLS || ui->rows < UI_MIN_ROWS;
	if (ui->too_small)
		return;
	ui->wide = ui->cols >= UI_WIDE_COLS;
	/* The status line takes the rows a wrapped message needs. */
	body = ui->rows - 1 - status_rows(ui);
	left_cols = ui->wide ? ui_decks_pane_cols(ui, ui->cols) : ui->cols;
	ui->left = make_window(body, left_cols, 1, 0, &ui->p_left);
	if (ui->wide)
		ui->right = make_window(body, ui->cols - left_cols - 1, 1,
		    left_cols + 1, &ui->p_right);
	else
		ui->right = make_window(body, ui->cols, 1, 0, &ui->p_right);
	ui->header = make_window(1, ui->cols, 0, 0, &ui->p_header);
	ui->status = make_window(status_rows(ui), ui->cols,
	    ui->rows - status_rows(ui), 0, &ui->p_status);
	ui->overlay = make_window(body, ui->cols, 1, 0, &ui->p_overlay);
	hide_panel(ui->p_overlay);
	if (!ui->wide) {
		if (ui->focus_right)
			hide_panel(ui->p_left);
		else
			hide_panel(ui->p_right);
	}
}

/* Today's grades, counted from the review log so that they are right
 * after every grade and after a restart. Only when the header shows the
 * count: a grade's key path never pays for it. */
static void
recount_studied_today(struct ui *ui)
{
	struct db_review_summary sum;
	struct err e;

	ui->today_stale = 0;
	err_clear(&e);
	if (db_reviews_since(ui->app->db, day_start(day_number_now(ui), 4),
	    &sum, &e) == 0)
		ui->studied_today = (long)sum.count;
}

static void
draw_header(struct ui *ui)
{
	WINDOW *w = ui->header;
	char text[512], count[64];
	const char *deck;
	int n, l, r, col;

	werase(w);
	ui_fill_row(ui, w, 0, 0, THEME_HEADER);
	col = ui_draw_text(ui, w, 0, 1, ui->cols - 2, THEME_TITLE, "lemma");
	if (ui->st.study != NULL && study_remaining(ui->st.study, &n, &l, &r) == 0)
		snprintf(count, sizeof count, "%d new %d learn %d due", n, l,
		    r);
	else {
		if (ui->today_stale)
			recount_studied_today(ui);
		snprintf(count, sizeof count, "studied today %ld",
		    ui->studied_today);
	}
	/* The deck studied, or in the wide layout the one under the
	 * cursor: the full name, which the deck pane beside may have cut. */
	deck = ui->st.study != NULL ? ui->st.deck_name :
	    ui->wide ? ui_decks_selected_name(ui) : NULL;
	n = ui_text_width(count);
	if (deck != NULL) {
		snprintf(text, sizeof text, " %s %s", ui->app->ascii ? "-" : "·",
		    deck);
		col += ui_draw_text_cut(ui, w, 0, 1 + col,
		    ui->cols - col - 2 - (n + 2 < ui->cols / 2 ? n + 2 : 0),
		    THEME_HEADER, text);
	}
	if (1 + col + 2 + n < ui->cols)
		ui_draw_text(ui, w, 0, ui->cols - n - 1, n, THEME_HEADER,
		    count);
}

/* The status line: a message if there is one (wrapped, up to half the
 * screen), else the keys that apply. */
static void
draw_status(struct ui *ui)
{
	static const enum ui_action help_hints[] = { UI_HELP, UI_QUIT, UI_NONE };
	const struct view *v = ui_focus_view(ui);
	const enum ui_action *hints;
	enum ui_action from_table[UI_NACTIONS + 1];
	WINDOW *w = ui->status;
	char key[32], hint[64];
	int col = 1, n = 0;

	if (ui->message[0] != '\0') {
		enum theme_element el = ui->message_is_error ? THEME_ERROR :
		    THEME_MESSAGE;

		werase(w);
		for (int r = 0; r < getmaxy(w); r++)
			ui_fill_row(ui, w, r, 0, THEME_STATUS);
		draw_wrapped(ui, w, 0, 1, ui->cols - 2, el, ui->message);
		return;
	}
	werase(w);
	ui_fill_row(ui, w, 0, 0, THEME_STATUS);
	if (ui->status_hint != NULL) {
		ui_draw_text(ui, w, 0, 1, ui->cols - 2, THEME_STATUS,
		    ui->status_hint);
		return;
	}
	if (ui->help_open)
		hints = help_hints;
	else if (v->hints != NULL)
		hints = v->hints(ui);
	else {
		/* Each action of the table once, in the table's order. */
		for (const struct ui_binding *b = v->keys; b->key != 0; b++) {
			int seen = 0;
			for (int i = 0; i < n; i++)
				seen |= from_table[i] == b->action;
			if (!seen && b->action != UI_UP && b->action != UI_DOWN &&
			    b->action != UI_REDRAW)
				from_table[n++] = b->action;
		}
		from_table[n] = UI_NONE;
		hints = from_table;
	}
	for (; *hints != UI_NONE; hints++) {
		int kw, hw;

		if (ui_key_for(ui, v, *hints, key, sizeof key) == NULL)
			continue;
		snprintf(hint, sizeof hint, " %s  ", ui_action_name(*hints));
		kw = ui_text_width(key);
		hw = ui_text_width(hint);
		if (col + kw + hw >= ui->cols)
			break;
		col += ui_draw_text(ui, w, 0, col, kw, THEME_HELP_KEY, key);
		col += ui_draw_text(ui, w, 0, col, hw, THEME_STATUS, hint);
	}
}

static void
draw_too_small(struct ui *ui)
{
	char text[128];

	werase(stdscr);
	snprintf(text, sizeof text, "lemma needs at least %dx%d; this is %dx%d",
	    UI_MIN_COLS, UI_MIN_ROWS, ui->cols, ui->rows);
	mvaddnstr(ui->rows / 2, 0, text, ui->cols);
	wnoutrefresh(stdscr);
	doupdate();
}

/* Draw every dirty window, then send the changes in one doupdate(). */
static void
ui_flush(struct ui *ui)
{
	/* A message that needs another number of rows lays out again. */
	if (ui->status != NULL && getmaxy(ui->status) != status_rows(ui))
		ui->dirty |= UI_DIRTY_LAYOUT;
	if (ui->dirty & UI_DIRTY_LAYOUT) {
		layout(ui);
		ui->dirty |= UI_DIRTY_ALL;
		ui->dirty &= ~UI_DIRTY_LAYOUT;
	}
	if (ui->too_small) {
		draw_too_small(ui);
		ui->dirty = 0;
		return;
	}
	if (ui->dirty & UI_DIRTY_DATA) {
		ui_stats_invalidate(ui);
		ui->decks_stale = 1;
		ui->today_stale = 1;
	}
	/* Counting a large collection's decks takes tens of milliseconds:
	 * never on the key path of a grade. While studying, the counts wait
	 * for the deck list to show, or for a quiet moment (the idle tick). */
	if (ui->decks_stale && (ui->wide || !ui->focus_right) &&
	    (ui->st.study == NULL || ui->idle_tick)) {
		ui_decks_reload(ui);
		ui->decks_stale = 0;
		ui->dirty |= UI_DIRTY_LEFT;
		/* New names may want another width of the deck pane. */
		if (ui->wide && getmaxx(ui->left) !=
		    ui_decks_pane_cols(ui, ui->cols)) {
			layout(ui);
			ui->dirty |= UI_DIRTY_ALL;
		}
	}
	ui->idle_tick = 0;
	if (!ui->wide) {
		if (ui->focus_right) {
			show_panel(ui->p_right);
			hide_panel(ui->p_left);
		} else {
			show_panel(ui->p_left);
			hide_panel(ui->p_right);
		}
	}
	if (ui->dirty & UI_DIRTY_HEADER)
		draw_header(ui);
	if (ui->dirty & UI_DIRTY_STATUS)
		draw_status(ui);
	if ((ui->dirty & UI_DIRTY_LEFT) && (ui->wide || !ui->focus_right)) {
		werase(ui->left);
		ui->left_view->draw(ui, ui->left);
	}
	if ((ui->dirty & UI_DIRTY_RIGHT) && (ui->wide || ui->focus_right)) {
		werase(ui->right);
		ui->right_view->draw(ui, ui->right);
	}
	if (ui->help_open) {
		if (ui->dirty & UI_DIRTY_OVERLAY) {
			werase(ui->overlay);
			ui_help_draw(ui, ui->overlay);
		}
		show_panel(ui->p_overlay);
		top_panel(ui->p_overlay);
	} else
		hide_panel(ui->p_overlay);
	if (ui->wide && (ui->dirty & (UI_DIRTY_LEFT | UI_DIRTY_RIGHT))) {
		/* The divider between the panes lives on stdscr, under both. */
		int x = getmaxx(ui->left);
		attrset(ui_attr(ui, THEME_BORDER));
		mvvline(1, x, ui->app->ascii ? '|' : ACS_VLINE,
		    getmaxy(ui->left));
		attrset(A_NORMAL);
		wnoutrefresh(stdscr);
	}
	update_panels();
	doupdate();
	ui->dirty = 0;
}

/* Keys the program handles itself, before any view. */
static unsigned
global_action(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case UI_HELP:
		ui->help_open = !ui->help_open;
		ui->help_top = 0;
		return UI_DIRTY_ALL;
	case UI_REDRAW:
		clearok(curscr, TRUE);
		return UI_DIRTY_ALL;
	case UI_PANE:
		ui->focus_right = !ui->focus_right;
		return UI_DIRTY_ALL;
	case UI_STATS:
		if (ui->st.study != NULL)
			return 0;
		ui->stats_deck_id = ui->decks.selected_id;
		ui->stats_scroll = 0;
		ui_show(ui, &ui_stats_view);
		return UI_DIRTY_ALL;
	case UI_BROWSE:
		ui_browse_open(ui, NULL);
		return UI_DIRTY_ALL;
	default:
		return 0;
	}
}

static unsigned
handle_key(struct ui *ui, int key)
{
	const struct view *v = ui_focus_view(ui);
	enum ui_action a;
	unsigned dirty;

	if (ui->message[0] != '\0') {
		ui->message[0] = '\0';
		ui->dirty |= UI_DIRTY_STATUS;
	}
	if (key == KEY_MOUSE) {
		MEVENT ev;
		WINDOW *w = ui->wide ? NULL : (ui->focus_right ? ui->right : ui->left);
		if (getmouse(&ev) != OK || ui->help_open)
			return 0;
		if (ui->wide)
			w = wenclose(ui->left, ev.y, ev.x) ? ui->left : ui->right;
		if (!wmouse_trafo(w, &ev.y, &ev.x, FALSE))
			return 0;
		v = w == ui->left ? ui->left_view : ui->right_view;
		ui->focus_right = w == ui->right;
		return v->click != NULL ? v->click(ui, ev.y, ev.x) |
		    UI_DIRTY_STATUS : 0;
	}
	if (ui->help_open) {
		if (ui_help_scroll(ui, key))
			return UI_DIRTY_OVERLAY;
		a = ui_key_action(ui, v, key);
		if (a == UI_QUIT && key != 'q')
			return 0;
		ui->help_open = 0;
		return UI_DIRTY_ALL;
	}
	a = ui_key_action(ui, v, key);
	dirty = v->action(ui, a, key);
	if (dirty == 0 && a != UI_NONE)
		dirty = global_action(ui, a);
	/* q typed into the deck list's add or rename line is a letter. */
	if (a == UI_QUIT && v == &ui_decks_view && ui->decks.prompt == 0)
		ui->quit = 1;
	return dirty;
}

/* Draw s from row, wrapped at spaces to width cells; returns the next
 * free row. A word wider than width is clipped. w NULL: only count. */
static int
draw_wrapped(struct ui *ui, WINDOW *w, int row, int col, int width,
    enum theme_element el, const char *s)
{
	char line[1024];

	while (*s != '\0' && (w == NULL || row < getmaxy(w))) {
		size_t fit = 0, next = 0;

		/* Take words while the line still fits. */
		for (;;) {
			while (s[next] == ' ')
				next++;
			while (s[next] != '\0' && s[next] != ' ')
				next++;
			if (next >= sizeof line)
				break;
			memcpy(line, s, next);
			line[next] = '\0';
			if (fit > 0 && ui_text_width(line) > width)
				break;
			fit = next;
			if (s[next] == '\0')
				break;
		}
		if (fit == 0)	/* one word longer than the buffer: clipped */
			fit = next < sizeof line ? next : sizeof line - 1;
		memcpy(line, s, fit);
		line[fit] = '\0';
		if (w != NULL)
			ui_draw_text(ui, w, row, col, width, el, line);
		row++;
		for (s += fit; *s == ' '; s++)
			;
	}
	return row;
}

static void
draw_question(struct ui *ui, const char *title, const char *problem,
    const char *const choices[])
{
	WINDOW *w = ui->overlay;
	int width = getmaxx(w) - 4, row = 1;

	werase(w);
	ui_draw_text(ui, w, row++, 2, width, THEME_TITLE, title);
	row = draw_wrapped(ui, w, row + 1, 2, width, THEME_ERROR, problem);
	row++;
	for (size_t i = 0; choices[i] != NULL; i++)
		row = draw_wrapped(ui, w, row, 2, width, THEME_NORMAL, choices[i]);
	show_panel(ui->p_overlay);
	top_panel(ui->p_overlay);
	update_panels();
	doupdate();
}

static int ui_read_key(void);

int
ui_ask(struct ui *ui, const char *title, const char *problem,
    const char *const choices[], const char *answers)
{
	int key, shown = 0;

	for (;;) {
		if (got_terminate)
			return -1;
		if (ui->dirty != 0) {
			ui_flush(ui);
			shown = 0;
		}
		if (!shown && !ui->too_small) {
			draw_question(ui, title, problem, choices);
			shown = 1;
		}
		key = ui_read_key();
		if (got_terminate)
			return -1;
		if (key == KEY_RESIZE) {
			clearok(curscr, TRUE);
			ui->dirty |= UI_DIRTY_LAYOUT;
			continue;
		}
		if (key > 0 && key < 0x80 && strchr(answers, tolower(key)) != NULL)
			break;
	}
	if (!ui->too_small)
		hide_panel(ui->p_overlay);
	ui->dirty |= UI_DIRTY_ALL;
	return tolower(key);
}

/* Read one key: a curses key code (KEY_UP...) or a character, with
 * characters above U+00FF marked by UI_KEY_CHAR_BIT so they cannot be
 * taken for key codes (U+0103 is KEY_UP's number). */
static int
ui_read_key(void)
{
	wint_t wc;
	int rc = get_wch(&wc);

	if (rc == ERR)
		return ERR;
	if (rc == KEY_CODE_YES)
		return (int)wc;
	return wc >= 0x100 ? (int)(wc | UI_KEY_CHAR_BIT) : (int)wc;
}

int
ui_run(struct app *app)
{
	struct sigaction sa;
	struct ui *ui = xcalloc(1, sizeof *ui);
	int key, status = 0;
	long day = -1;

	ui->app = app;
	ui->left_view = &ui_decks_view;
	ui->right_view = &ui_stats_view;
	ui->stats_period = 0;
	ui_keys_load(ui);

	if (getenv("ESCDELAY") == NULL)
		set_escdelay(100);	/* sequences split over SSH need a margin */
	if (initscr() == NULL)
		fatal("cannot start curses");
	fatal_set_cleanup(restore_terminal);
	cbreak();
	noecho();
	nonl();
	raw();			/* ^Z and ^C as keys: ^Z is undo, as in Anki */
	keypad(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	ui_colors_init(ui);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_terminate;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	ui->dirty = UI_DIRTY_LAYOUT | UI_DIRTY_DATA | UI_DIRTY_ALL;
	if (ui->theme_error[0] != '\0')
		ui_message(ui, 1, "%s", ui->theme_error);
	if (app->notice[0] != '\0')
		ui_message(ui, 0, "%s", app->notice);
	if (app->warning[0] != '\0')	/* a damaged progress file comes first */
		ui_message(ui, 1, "%s", app->warning);
	/* A timeout lets the loop notice a signal (get_wch resumes after one)
	 * or a new study day; it draws nothing unless something changed. */
	timeout(250);
	while (!ui->quit && !got_terminate) {
		if (ui->dirty != 0)
			ui_flush(ui);
		key = ui_read_key();
		if (got_terminate)
			break;
		if (key == ERR) {
			long today = day_number_now(ui);
			if (day != -1 && today != day)
				ui->dirty |= UI_DIRTY_DATA | UI_DIRTY_ALL;
			day = today;
			if (ui->decks_stale && ui->wide) {
				ui->idle_tick = 1;
				ui->dirty |= UI_DIRTY_LEFT;
			}
			continue;
		}
		if (key == KEY_RESIZE) {
			clearok(curscr, TRUE);
			ui->dirty |= UI_DIRTY_LAYOUT;
			continue;
		}
		if (ui->too_small)
			continue;
		ui->dirty |= handle_key(ui, key);
	}
	ui_study_stop(ui);
	ui_browse_free(ui);
	ui_editor_free(ui);
	ui_stats_free(ui);
	ui_options_free(ui);
	free_windows(ui);
	/* After a signal while $EDITOR ran, curses has left already. */
	restore_terminal();
	fatal_set_cleanup(NULL);
	ui_decks_close(ui);
	ui_undo_free(ui);
	free(ui);
	if (got_terminate)
		status = 128 + got_terminate;
	return status;
}
