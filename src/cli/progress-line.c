/*
 * progress-line.c - a long command's progress as one line on a terminal.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lemma/base/termsafe.h"
#include "lemma/render/render.h"
#include "progress-line.h"

/* Quiet for the first half second: most imports are over by then. */
#define FIRST_DRAW_S	0.5
/* At most ten redraws a second: more is flicker and bytes over SSH. */
#define REDRAW_S	0.1

static volatile sig_atomic_t stop_signal;
static struct sigaction old_int, old_term, old_hup;

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

void
progress_line_begin(struct progress_line *pl, FILE *out, int quiet, int ascii)
{
	const char *term = getenv("TERM");
	struct sigaction sa;
	struct winsize ws;

	memset(pl, 0, sizeof *pl);
	pl->progress.report = progress_line_report;
	pl->progress.arg = pl;
	pl->out = out;
	pl->clock = monotonic_s;
	pl->on = !quiet && isatty(fileno(out));
	pl->ascii = ascii;
	pl->dumb = term == NULL || strcmp(term, "dumb") == 0;
	pl->cols = 80;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		pl->cols = ws.ws_col;
	pl->start = pl->last = pl->clock();

	/* No SA_RESTART: a read or a wait in the work returns at once. */
	stop_signal = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
}

static void
clear_line(struct progress_line *pl)
{
	if (!pl->shown)
		return;
	if (pl->dumb)
		fprintf(pl->out, "\r%*s\r", pl->cols - 1, "");
	else
		fputs("\r\033[K", pl->out);
	fflush(pl->out);
	pl->shown = 0;
}

int
progress_line_end(struct progress_line *pl)
{
	clear_line(pl);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	return stop_signal;
}

int
progress_line_signal(void)
{
	return stop_signal;
}

void
progress_line_clear(struct progress_line *pl)
{
	clear_line(pl);
}

int
progress_line_report(void *arg, const struct progress *p)
{
	struct progress_line *pl = arg;
	char text[1024], *safe;
	double now;
	size_t cut;
	int width, cells;

	if (stop_signal != 0)
		return 1;
	if (!pl->on)
		return 0;
	now = pl->clock();
	/* A new phase: another what, or the count started again (the same
	 * words for the next file). */
	if (p->what != pl->phase || p->done < pl->phase_done) {
		pl->phase = p->what;
		pl->phase_start = now;
	}
	pl->phase_done = p->done;
	if (now - pl->start < FIRST_DRAW_S || now - pl->last < REDRAW_S)
		return 0;
	pl->last = now;
	progress_format(p, now - pl->phase_start, text, sizeof text);
	/* The words hold a file's name: through the one sanitiser. */
	safe = termsafe_str(text, pl->ascii ? TERMSAFE_ASCII : 0);
	/* One cell short of the width: a full last column wraps on some
	 * terminals, and the next \r would redraw a line lower. */
	width = pl->cols - 1 > 0 ? pl->cols - 1 : 1;
	cut = render_clip_drawn(safe, width, pl->ascii, &cells);
	if (pl->dumb)
		fprintf(pl->out, "\r%.*s%*s", (int)cut, safe, width - cells, "");
	else
		fprintf(pl->out, "\r%.*s\033[K", (int)cut, safe);
	fflush(pl->out);
	free(safe);
	pl->shown = 1;
	return 0;
}
