/*
 * progress-line.h - a long command's progress as one line on a terminal.
 *
 * What git, rsync and apt do: on a terminal (stderr a TTY, not --quiet)
 * one line, redrawn in place at most ten times a second once the work has
 * taken half a second, cleared at the end so the summary takes its place.
 * On a pipe or a file nothing, so logs hold only the summary. TERM=dumb
 * gets the line without escape sequences. It is also where Ctrl-C,
 * SIGTERM and SIGHUP are heard while the work runs: the report answers
 * "stop", the core rolls back, and the command exits 128 + the signal.
 */
#ifndef LEMMA_PROGRESS_LINE_H
#define LEMMA_PROGRESS_LINE_H

#include <stdio.h>

#include "lemma/base/progress.h"

struct progress_line {
	struct progress	 progress;	/* hand &this to the core */
	FILE		*out;
	int		 on;		/* drawing at all */
	int		 dumb;		/* TERM=dumb: no escape sequences */
	int		 ascii;		/* the terminal is not UTF-8 */
	int		 cols;		/* the terminal's width */
	double		 start;		/* seconds, from clock */
	double		 last;		/* when the line was last drawn */
	/* The phase under way (a restore checks, then copies twice): its
	 * rate and time left count from its own start. */
	const char	*phase;
	uint64_t	 phase_done;
	double		 phase_start;
	int		 shown;		/* a line is on the terminal now */
	double		(*clock)(void);	/* monotonic seconds; tests pass theirs */
};

/* Set pl up to draw on out when out is a terminal and quiet is 0 (ascii:
 * the locale is not UTF-8), and to stop on SIGINT, SIGTERM and SIGHUP
 * (their handlers are installed here and restored by
 * progress_line_end()). */
void	progress_line_begin(struct progress_line *pl, FILE *out, int quiet,
	    int ascii);

/* Take the line away before other output (a skipped row's message) is
 * written to the same terminal; the next report draws it again. */
void	progress_line_clear(struct progress_line *pl);

/* Clear the line, restore the signal handlers. Returns the signal that
 * stopped the work, or 0. */
int	progress_line_end(struct progress_line *pl);

/* The report function (exposed for tests, which drive it with a clock of
 * their own and a file that is not a terminal but is told it is). */
int	progress_line_report(void *arg, const struct progress *p);

/* The signal that asked to stop, or 0. */
int	progress_line_signal(void);

#endif
