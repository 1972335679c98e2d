/*
 * screen-util.h - what every screen test needs: a private progress file, the
 * lemma binary started in a pty with a fixed clock, and asserts that print
 * the screen when they fail.
 */
#ifndef LEMMA_TEST_SCREEN_UTIL_H
#define LEMMA_TEST_SCREEN_UTIL_H

#include <stddef.h>

#include "vt.h"

/* A fresh temporary directory for this test program (removed at exit). */
const char	*st_tmpdir(void);

/* A path inside st_tmpdir(). */
const char	*st_path(const char *name);

/* Start lemma with --db db and extra arguments (NULL-ended), in rows x cols;
 * env adds "K=V" strings. stderr goes to st_path("stderr.log"). */
struct vt	*st_start(const char *db, const char *const args[],
		    const char *const env[], int rows, int cols);

/* Run lemma to completion (no pty) with --db db and args; capture stdout
 * into out (NUL-terminated, truncated to len) and return the exit status
 * (or -1). */
int		 st_run(const char *db, const char *const args[], char *out, size_t len);

/* How long a screen may take to show what a test waits for: 5 s, and 30 s
 * when lemma runs under valgrind (tests/valgrind.sh sets
 * LEMMA_UNDER_VALGRIND), where a start that imports the bundled deck took
 * over 5 s on a loaded machine. Only a failing wait lasts that long. */
int		 st_wait_ms(void);

/* Wait for text, or fail the test printing the screen. */
#define st_expect(vt, text) do {					\
	if (vt_wait_for((vt), (text), st_wait_ms()) != 0) {		\
		vt_dump((vt), stderr);					\
		fail_msg("screen never showed \"%s\"", (text));		\
	}								\
} while (0)

/* The same for text that may be wrapped over rows (vt_wait_for_wrapped). */
#define st_expect_wrapped(vt, text) do {				\
	if (vt_wait_for_wrapped((vt), (text), st_wait_ms()) != 0) {	\
		vt_dump((vt), stderr);					\
		fail_msg("screen never showed \"%s\"", (text));		\
	}								\
} while (0)

#define st_expect_gone(vt, text) do {					\
	if (vt_wait_gone((vt), (text), st_wait_ms()) != 0) {		\
		vt_dump((vt), stderr);					\
		fail_msg("screen still shows \"%s\"", (text));		\
	}								\
} while (0)

/* Quit with q from wherever, and check a clean exit. */
void		 st_quit(struct vt *vt);

#endif
