/*
 * ui-progress.c - a long operation's progress in the full-screen program;
 * see include/lemma/ui/ui-progress.h for what it shows and why keys are
 * read from the report function.
 *
 * The report is called once per PROGRESS_EVERY steps (a million-note
 * import: a few hundred times a second). Each call reads the clock and,
 * once the panel is up, asks curses for a key without waiting (one poll
 * of the terminal); it draws only every REDRAW_S, and doupdate() sends
 * only the cells that changed.
 */
#include "config.h"

#include "ui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/base/progress.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/render/render.h"
#include "lemma/ui/ui-progress.h"

/* Quiet for the first half second, as the command line's line. */
#define FIRST_DRAW_S	0.5
/* At most ten redraws a second. */
#define REDRAW_S	0.1
/* The panel: at most this wide (longer words wrap), this high. */
#define PANEL_MAX_COLS	100
#define PANEL_ROWS	7

#define KEY_ESC		27
#define KEY_CTRL_C	3

struct ui_progress {
	struct progress	 progress;
	struct ui	*ui;		/* NULL: before the program's screen */
	int		 ascii;
	double		 start, last;
	const char	*phase;		/* the phase under way, as progress-line */
	uint64_t	 phase_done;
	double		 phase_start;
	int		 drawn;		/* drawn at least once */
	int		 started_curses; /* this one started curses: end leaves */
	WINDOW		*win;
	PANEL		*panel;
	int		 stop;		/* 0, UI_PROGRESS_KEY or a signal */
	struct sigaction old_int, old_term, old_hup;
};

/* Before the program's screen: the signal that asked to stop. */
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

static double
monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
leave_curses(void)
{
	if (stdscr != NULL && !isendwin())
		endwin();
}

/* Curses as ui_run sets it up (raw: ^C is a key), so that the screen
 * ui_run then takes over is the same one. */
static void
start_curses(void)
{
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(100);
	if (stdscr == NULL) {
		if (initscr() == NULL)
			fatal("cannot start curses");
	} else
		refresh();	/* after endwin: back into the screen */
	fatal_set_cleanup(leave_curses);
	cbreak();
	noecho();
	nonl();
	raw();
	keypad(stdscr, TRUE);
	curs_set(0);
}

static int report(void *arg, const struct progress *p);

static struct ui_progress *
new_progress(void)
{
	struct ui_progress *up = xcalloc(1, sizeof *up);

	up->progress.report = report;
	up->progress.arg = up;
	up->start = up->last = monotonic_s();
	return up;
}

struct ui_progress *
ui_progress_begin(const struct app *app)
{
	struct ui_progress *up = new_progress();
	struct sigaction sa;

	up->ascii = app->ascii;
	/* Until curses is up (raw), ^C is SIGINT. No SA_RESTART: a wait in
	 * the work returns at once. */
	stop_signal = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &up->old_int);
	sigaction(SIGTERM, &sa, &up->old_term);
	sigaction(SIGHUP, &sa, &up->old_hup);
	return up;
}

struct ui_progress *
ui_progress_begin_in(struct ui *ui)
{
	struct ui_progress *up = new_progress();

	up->ui = ui;
	up->ascii = ui->app->ascii;
	return up;
}

struct progress *
ui_progress_get(struct ui_progress *up)
{
	return &up->progress;
}

static void
put_cut(struct ui_progress *up, int row, int col, int width, const char *s)
{
	int cells;
	size_t n = render_clip_drawn(s, width, up->ascii, &cells);

	mvwaddnstr(up->win, row, col, s, (int)n);
}

/* A window of rows x cols at (y, x), made again when the size changed
 * (a resize, the first draw). */
static void
place_window(struct ui_progress *up, int rows, int cols, int y, int x)
{
	if (up->win != NULL && getmaxy(up->win) == rows &&
	    getmaxx(up->win) == cols) {
		move_panel(up->panel, y, x);
		return;
	}
	if (up->panel != NULL)
		del_panel(up->panel);
	if (up->win != NULL)
		delwin(up->win);
	up->win = newwin(rows, cols, y, x);
	if (up->win == NULL)
		fatal("cannot make the progress window");
	nodelay(up->win, TRUE);
	keypad(up->win, TRUE);
	up->panel = new_panel(up->win);
}

/* The words after "What: " split at ", " into lines of at most width
 * cells: "12,345 of 100,000 notes (12%)", "45,100/s, 2 s left". Returns
 * the rows drawn (at most max_rows). */
static int
draw_wrapped(struct ui_progress *up, int row, int col, int width,
    int max_rows, const char *s)
{
	char line[1024];
	size_t have = 0;
	int rows = 0, line_cells = 0;

	while (*s != '\0' && rows < max_rows) {
		const char *comma = strstr(s, ", ");
		size_t piece = comma != NULL ? (size_t)(comma - s) : strlen(s);
		char word[1024];
		int cells;

		snprintf(word, sizeof word, "%.*s", (int)piece, s);
		render_clip_drawn(word, 1 << 20, up->ascii, &cells);
		if (have > 0 && line_cells + 2 + cells > width) {
			put_cut(up, row + rows++, col, width, line);
			have = 0;
			line_cells = 0;
			continue;	/* the piece starts the next line */
		}
		if (have + 2 + strlen(word) + 1 > sizeof line)
			break;		/* longer than any screen anyway */
		if (have > 0) {
			memcpy(line + have, ", ", 2);
			have += 2;
			line_cells += 2;
		}
		memcpy(line + have, word, strlen(word) + 1);
		have += strlen(word);
		line_cells += cells;
		s += piece;
		if (*s != '\0')
			s += 2;
	}
	if (have > 0 && rows < max_rows)
		put_cut(up, row + rows++, col, width, line);
	return rows;
}

static void
draw_bar(struct ui_progress *up, int row, int col, int width,
    const struct progress *p)
{
	int filled;

	if (p->total == 0)
		return;		/* nothing to measure against */
	filled = p->done >= p->total ? width :
	    (int)((double)p->done / (double)p->total * width);
	wattron(up->win, A_REVERSE);
	mvwhline(up->win, row, col, ' ', filled);
	wattroff(up->win, A_REVERSE);
	for (int i = filled; i < width; i++)
		mvwaddstr(up->win, row, col + i, up->ascii ? "." : "\xc2\xb7");
}

static void
draw(struct ui_progress *up, const struct progress *p, double elapsed)
{
	static const char hint[] = "q or Esc: cancel";
	char text[1024], *safe, *rest;
	int rows = LINES, cols = COLS;

	progress_format(p, elapsed, text, sizeof text);
	/* The words hold a file's name: through the one sanitiser. */
	safe = termsafe_str(text, up->ascii ? TERMSAFE_ASCII : 0);
	if (rows < PANEL_ROWS || cols < 12) {
		/* No room for a panel: one line where the status line is,
		 * the key at its right end (a long file name cannot hide
		 * it). */
		static const char key[] = "q: cancel";
		int room = cols - (int)sizeof key;

		place_window(up, 1, cols, rows - 1, 0);
		werase(up->win);
		wattron(up->win, A_REVERSE);
		mvwhline(up->win, 0, 0, ' ', cols);
		if (room > 0) {
			put_cut(up, 0, 0, room - 1, safe);
			put_cut(up, 0, room, cols - room, key);
		} else
			put_cut(up, 0, 0, cols, key);
		wattroff(up->win, A_REVERSE);
	} else {
		int w = cols < 24 ? cols : cols - 4;
		int inner;

		if (w > PANEL_MAX_COLS)
			w = PANEL_MAX_COLS;
		inner = w - 4;
		place_window(up, PANEL_ROWS, w, (rows - PANEL_ROWS) / 2,
		    (cols - w) / 2);
		werase(up->win);
		box(up->win, 0, 0);
		/* "Importing big.txt: 12 MB of 45 MB (27%), ..." -> the
		 * title, then the figures. */
		rest = strstr(safe, ": ");
		if (rest != NULL)
			*rest = '\0';
		wattron(up->win, A_BOLD);
		put_cut(up, 1, 2, inner, safe);
		wattroff(up->win, A_BOLD);
		if (rest != NULL)
			draw_wrapped(up, 2, 2, inner, 2, rest + 2);
		draw_bar(up, 4, 2, inner, p);
		put_cut(up, 5, 2, inner, hint);
	}
	free(safe);
	top_panel(up->panel);
	update_panels();
	doupdate();
	up->drawn = 1;
}

/* The keys waiting, without waiting for more. */
static void
read_keys(struct ui_progress *up)
{
	wint_t wc;
	int rc;

	while ((rc = wget_wch(up->win, &wc)) != ERR) {
		if (rc == KEY_CODE_YES) {
			if (wc == KEY_RESIZE) {
				clearok(curscr, TRUE);
				up->last = 0;	/* redraw at once */
				if (up->ui != NULL)
					up->ui->dirty |= UI_DIRTY_LAYOUT;
			}
			continue;
		}
		if (wc == 'q' || wc == 'Q' || wc == KEY_ESC)
			up->stop = UI_PROGRESS_KEY;
		else if (wc == KEY_CTRL_C)
			up->stop = up->ui != NULL ? UI_PROGRESS_KEY : SIGINT;
		if (up->stop != 0)
			return;
	}
}

static int
report(void *arg, const struct progress *p)
{
	struct ui_progress *up = arg;
	double now;

	if (up->ui == NULL && stop_signal != 0)
		up->stop = stop_signal;
	else if (up->ui != NULL && ui_terminating() != 0)
		up->stop = ui_terminating();
	if (up->stop != 0)
		return 1;
	now = monotonic_s();
	/* A new phase (other words, or the count started again): its rate
	 * counts from its own start. */
	if (p->what != up->phase || p->done < up->phase_done) {
		up->phase = p->what;
		up->phase_start = now;
	}
	up->phase_done = p->done;
	if (now - up->start < FIRST_DRAW_S)
		return 0;
	if (up->ui == NULL && !up->started_curses) {
		start_curses();
		up->started_curses = 1;
	}
	if (up->win != NULL) {
		read_keys(up);
		if (up->stop != 0)
			return 1;
	}
	if (!up->drawn || now - up->last >= REDRAW_S) {
		up->last = now;
		draw(up, p, now - up->phase_start);
	}
	return 0;
}

int
ui_progress_end(struct ui_progress *up)
{
	int stop = up->stop;

	if (up->panel != NULL)
		del_panel(up->panel);
	if (up->win != NULL)
		delwin(up->win);
	if (up->ui != NULL) {
		/* The panel lay over the views: draw them all again. */
		up->ui->dirty |= UI_DIRTY_ALL;
	} else {
		if (up->started_curses) {
			update_panels();
			leave_curses();
			fatal_set_cleanup(NULL);
		}
		/* A signal between the last report and here counts too. */
		if (stop == 0 && stop_signal != 0)
			stop = stop_signal;
		sigaction(SIGINT, &up->old_int, NULL);
		sigaction(SIGTERM, &up->old_term, NULL);
		sigaction(SIGHUP, &up->old_hup, NULL);
	}
	free(up);
	return stop;
}
