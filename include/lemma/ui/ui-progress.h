/*
 * ui-progress.h - a long operation's progress in the full-screen program,
 * and its cancel key.
 *
 * The same struct progress the command line's one line reads
 * (base/progress.h), shown as a small centred panel:
 *
 *     +----------------------------------------------+
 *     | Importing big.txt                            |
 *     | 12.3 MB of 45.6 MB (27%), 9.8 MB/s, 3 s left |
 *     |                                              |
 *     | ############................................ |
 *     | q or Esc: cancel                             |
 *     +----------------------------------------------+
 *
 * (the words are progress_format()'s; the bar, reverse-video cells, is as
 * wide as the panel, on screens 20 to 200 and more columns wide; on a
 * screen under 7 rows or 12 columns, one line at the bottom like the
 * status line, "q: cancel" at its right end). It appears after half a
 * second (most work is over by then) and is redrawn at most ten
 * times a second.
 *
 * How keys are read while the core works: the core calls progress_step()
 * from inside its loop (an import once per 256 KiB chunk read; a schema
 * upgrade from SQLite's progress handler; the optimizer per batch), and
 * the report function here reads the keys waiting with a zero timeout
 * (its window is nodelay) and redraws if due. A cancel key makes it return
 * nonzero: the core stops at its next step, rolls its transaction back and
 * fails with progress_stopped(). Chosen over the alternatives because:
 * nothing may longjmp out of SQLite (its statements, locks and journal
 * would be left half done), and a second thread for the screen would share
 * curses and the connection with the core, which neither allows; the
 * step is the one place the core can stop cleanly anyway.
 *
 * Two places to use it:
 *  - inside the running program (ui_progress_begin_in, from a view: the
 *    optimizer in the deck options): the panel lies over the screen, which
 *    is redrawn when it goes. The caller says "cancelled" on the status
 *    line (ui_message) and the program goes on.
 *  - before the program's screen exists (ui_progress_begin: the files on
 *    the command line, the schema upgrade of an old file): curses starts
 *    only when the panel is first due, and ui_progress_end leaves it
 *    (endwin), so the caller may print on stderr afterwards and ui_run
 *    starts the screen again.
 *
 * Keys: q, Q or Esc cancel (UI_PROGRESS_KEY). ^C cancels too: inside the
 * running program like q; before it as on the command line (SIGINT: the
 * caller exits 130), whether it came as a key (curses up) or as a signal
 * (curses not up yet). SIGTERM and SIGHUP cancel and the caller exits
 * 128 + the signal. Other keys are ignored. --quiet does not hide the
 * panel: it is about lines among a command's output, and the panel is
 * also where the cancel key is read.
 */
#ifndef LEMMA_UI_UI_PROGRESS_H
#define LEMMA_UI_UI_PROGRESS_H

struct app;
struct progress;
struct ui;
struct ui_progress;

/* ui_progress_end()'s answer when q or Esc stopped the work. */
#define UI_PROGRESS_KEY	(-1)

/* Before the screen exists (curses not started, or left): the panel
 * starts curses when it is due. app gives the locale (ascii). */
struct ui_progress	*ui_progress_begin(const struct app *app);

/* Inside the running program (src/ui: a view's key handler). */
struct ui_progress	*ui_progress_begin_in(struct ui *ui);

/* The struct progress to hand to the core for this operation. */
struct progress		*ui_progress_get(struct ui_progress *up);

/* Take the panel away (and, before the screen, leave curses), free up.
 * Returns why the work was asked to stop: 0 (it was not), UI_PROGRESS_KEY
 * (q, Esc; inside the program also ^C), or a signal number (SIGINT for
 * ^C before the program, SIGTERM, SIGHUP). */
int			 ui_progress_end(struct ui_progress *up);

#endif
