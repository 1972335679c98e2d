/*
 * err.h - errors as values.
 *
 * A function that can fail for reasons outside the program (a bad file, a bad
 * row, a full disk, a locked database) takes a struct err * as its last
 * parameter, fills it and returns -1 (or NULL). The core never prints and
 * never exits; main.c and the UI decide how to show the error.
 */
#ifndef LEMMA_ERR_H
#define LEMMA_ERR_H

#include <stdio.h>

struct err {
	char		 path[512];	/* file the problem is in, or "" */
	unsigned	 line;		/* 1-based; 0 when not about a line */
	unsigned	 col;		/* 1-based; 0 when unknown */
	char		 msg[512];	/* one sentence, no newline */
};

/* Fill e (which may be NULL) and return -1, so a caller can write
 * `return err_set(e, ...);`. path may be NULL. */
int	err_set(struct err *e, const char *path, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Clear e to "no error". */
void	err_clear(struct err *e);

/* Write "path:line:col: msg" (parts that are unknown are left out) and a
 * newline to f, made safe for a terminal (termsafe.h). */
void	err_print(const struct err *e, FILE *f);

/* Format the same text into buf. */
void	err_format(const struct err *e, char *buf, size_t len);

#endif
