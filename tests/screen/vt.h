/*
 * vt.h - drive the real lemma binary in a pseudo-terminal and read its
 * screen through libvterm, as a person at a terminal would see it.
 *
 * Waits poll with a deadline; nothing sleeps a fixed time.
 */
#ifndef LEMMA_TEST_VT_H
#define LEMMA_TEST_VT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct vt;

/* Start argv in a pty of rows x cols. env: extra "K=V" strings, NULL-ended
 * (TERM, LANG, LC_ALL and ESCDELAY have test defaults that env overrides).
 * The child's stderr goes to stderr_path (NULL: /dev/null). The arrays are
 * const (string literals, -Wwrite-strings); exec gets them cast to
 * char *const[], which POSIX allows: exec never writes to them. */
struct vt	*vt_spawn(const char *const argv[], const char *const env[],
		    int rows, int cols, const char *stderr_path);

/* Send raw bytes ("q", " ", "\r", "\x1b"). */
void		 vt_send(struct vt *vt, const char *keys);
void		 vt_send_len(struct vt *vt, const char *keys, size_t n);

/* Send a named key: "Up", "Down", "Left", "Right", "Home", "End", "PageUp",
 * "PageDown", "Tab", "Enter", "Esc", "Backspace", "Delete", "F1".. */
void		 vt_key(struct vt *vt, const char *name);

/* Read output until text appears anywhere on the screen; 0 found, -1 not
 * found by the deadline (or the program exited). */
int		 vt_wait_for(struct vt *vt, const char *text, int timeout_ms);

/* Read output until text is gone from the screen. */
int		 vt_wait_gone(struct vt *vt, const char *text, int timeout_ms);

/* As vt_contains and vt_wait_for, with the rows joined by spaces: for a
 * message that wraps where its length depends on the machine (a path
 * under $TMPDIR). */
int		 vt_contains_wrapped(struct vt *vt, const char *text);
int		 vt_wait_for_wrapped(struct vt *vt, const char *text,
		    int timeout_ms);

/* Read output until there has been none for quiet_ms. */
void		 vt_wait_idle(struct vt *vt, int quiet_ms, int timeout_ms);

/* Does the screen show text now? */
int		 vt_contains(struct vt *vt, const char *text);

/* The UTF-8 text of row (0-based), right-trimmed. */
void		 vt_row(struct vt *vt, int row, char *buf, size_t len);

/* The whole screen, rows separated by '\n' (static buffer). */
const char	*vt_screen(struct vt *vt);

/* Find text; on success store its row and column (cells) and return 0. */
int		 vt_find(struct vt *vt, const char *text, int *row, int *col);

/* Attributes of a cell: bold, reverse, and whether fg/bg are not default. */
struct vt_cell_attrs {
	int	bold, underline, italic, reverse;
	int	fg_default, bg_default;
	int	fg_index, bg_index;	/* palette index, or -1 for rgb/default */
};
int		 vt_cell(struct vt *vt, int row, int col, struct vt_cell_attrs *a);

/* Bytes the program has written since the last vt_mark(). */
void		 vt_mark(struct vt *vt);
size_t		 vt_bytes_since_mark(struct vt *vt);
size_t		 vt_bytes_total(struct vt *vt);

/* All raw output since the last vt_mark() (for checking escape codes). */
const char	*vt_raw_since_mark(struct vt *vt, size_t *len);

/* Resize the pty (the program gets SIGWINCH). */
void		 vt_resize(struct vt *vt, int rows, int cols);

/* Send a signal to the program. */
void		 vt_signal(struct vt *vt, int sig);
pid_t		 vt_pid(struct vt *vt);

/* Print the screen to f, for failure messages. */
void		 vt_dump(struct vt *vt, FILE *f);

/* Wait for the program to exit (up to timeout_ms, then SIGKILL); returns
 * its wait status, and frees vt. */
int		 vt_close(struct vt *vt, int timeout_ms);

#endif
