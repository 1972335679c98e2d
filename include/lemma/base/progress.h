/*
 * progress.h - how far a long operation is, and whether to stop it.
 *
 * The core never writes to a terminal. A long operation (an import, a
 * schema upgrade, a restore, the optimizer) takes a struct progress *
 * (NULL when nobody asks), names its phase with progress_begin() and
 * calls progress_step() as it goes. The caller's report function draws
 * what it likes -- the command line's one redrawn line, the full-screen
 * program's status line -- and answers whether to stop (Ctrl-C): the
 * operation then rolls back and fails with the message progress_stopped
 * puts in its struct err.
 */
#ifndef LEMMA_PROGRESS_H
#define LEMMA_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/err.h"

struct progress {
	/* Called at each progress_begin(), then every PROGRESS_EVERY steps
	 * and at the last one; nonzero asks the operation to stop. */
	int		(*report)(void *arg, const struct progress *p);
	void		*arg;
	const char	*what;		/* "Importing", "Upgrading the file" */
	const char	*unit;		/* "notes", "rows", "bytes" */
	uint64_t	 done;
	uint64_t	 total;		/* 0 when not known */
	int		 stop;		/* the report asked to stop */
};

/* Steps between two reports: a report reads the clock, a step is an add. */
#define PROGRESS_EVERY	256u

/* Start a phase: what is done to how many of what (total 0: unknown).
 * Returns -1 when the report asks to stop. p may be NULL. */
int	progress_begin(struct progress *p, const char *what, const char *unit,
	    uint64_t total);

/* done of total are done now. Returns -1 when the report asked to stop,
 * now or before; the caller then fails with progress_stopped(). */
int	progress_step(struct progress *p, uint64_t done);

/* Report now, without a step: for work whose steps are few and long (a
 * schema upgrade is one SQL statement per version), called from a poll
 * inside them. Returns -1 when the report asks to stop. */
int	progress_poll(struct progress *p);

/* Has the report asked to stop? */
int	progress_stopping(const struct progress *p);

/* Fill e with "Cancelled; nothing was changed." and return -1. */
int	progress_stopped(struct err *e);

/* One line for a person: "Importing: 12,345 of 100,000 notes (12%),
 * 45,100/s, 2 s left" (the rate and time left once elapsed_s says there
 * is something to measure); with nothing counted (done and total 0), the
 * what alone: "Checking the backup". Returns the length written. */
size_t	progress_format(const struct progress *p, double elapsed_s, char *buf,
	    size_t len);

#endif
