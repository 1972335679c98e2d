/*
 * test_screen_basic.c - the program as a person first meets it: the start
 * screen with the bundled deck, the help overlay, resize, quit.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds"

static void
test_start_screen(void **state)
{
	struct vt *vt;
	char row[512];
	int r, c;

	(void)state;
	vt = st_start(st_path("start.db"), NULL, NULL, 24, 80);
	assert_non_null(vt);
	st_expect(vt, BUNDLED_DECK);
	st_expect(vt, "lemma");
	/* The status line is the frame's last row: once it is there, so is
	 * the rest. */
	st_expect(vt, "q quit");
	/* The deck row shows 10 new cards. */
	assert_int_equal(vt_find(vt, BUNDLED_DECK, &r, &c), 0);
	vt_row(vt, r, row, sizeof row);
	assert_non_null(strstr(row, "10"));
	/* The status line names keys. */
	vt_row(vt, 23, row, sizeof row);
	assert_non_null(strstr(row, "quit"));
	st_quit(vt);
}

static void
test_help_overlay(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("help.db"), NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_send(vt, "?");
	st_expect(vt, "Keys: Decks");
	st_expect(vt, "Study the selected deck");
	st_expect(vt, "Quit lemma");
	vt_send(vt, "x");
	st_expect_gone(vt, "Keys: Decks");
	st_expect(vt, BUNDLED_DECK);
	st_quit(vt);
}

static void
test_resize(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("resize.db"), NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_resize(vt, 20, 60);
	vt_wait_idle(vt, 50, 1000);
	st_expect(vt, "Tokens to");
	vt_resize(vt, 40, 120);
	st_expect(vt, BUNDLED_DECK);
	/* Too small says so, and recovers when enlarged. */
	vt_resize(vt, 8, 30);
	st_expect(vt, "at least");
	vt_resize(vt, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	st_quit(vt);
}

static void
test_quit_restores_terminal(void **state)
{
	struct vt *vt;
	const char *raw;
	size_t len;
	int status;

	(void)state;
	vt = st_start(st_path("quit.db"), NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_mark(vt);
	vt_send(vt, "q");
	vt_wait_idle(vt, 50, 2000);
	raw = vt_raw_since_mark(vt, &len);
	/* xterm's rmcup leaves the alternate screen. */
	assert_non_null(memmem(raw, len, "\033[?1049l", 8));
	status = vt_close(vt, 5000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_sigterm_restores_terminal(void **state)
{
	struct vt *vt;
	const char *raw;
	size_t len;
	int status;

	(void)state;
	vt = st_start(st_path("term.db"), NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_mark(vt);
	vt_signal(vt, SIGTERM);
	vt_wait_idle(vt, 600, 3000);
	raw = vt_raw_since_mark(vt, &len);
	assert_non_null(memmem(raw, len, "\033[?1049l", 8));
	status = vt_close(vt, 5000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
}

static void
test_idle_writes_nothing(void **state)
{
	struct vt *vt;

	(void)state;
	vt = st_start(st_path("idle.db"), NULL, NULL, 24, 80);
	st_expect(vt, BUNDLED_DECK);
	vt_wait_idle(vt, 100, 2000);
	vt_mark(vt);
	vt_wait_idle(vt, 1500, 1600);
	assert_int_equal(vt_bytes_since_mark(vt), 0);
	/* A key that changes nothing sends nothing either. */
	vt_send(vt, "k");
	vt_wait_idle(vt, 100, 1000);
	assert_int_equal(vt_bytes_since_mark(vt), 0);
	st_quit(vt);
}

static void
test_no_terminal(void **state)
{
	char out[256];

	(void)state;
	/* Without a terminal the program says so instead of drawing. */
	assert_int_equal(st_run(st_path("notty.db"), NULL, out, sizeof out), 2);
}

/*
 * One full-screen lemma per progress file: two on one file, each with its
 * own undo, left a card and its history out of step. A second start is
 * refused before the screen starts, naming the first one's pid; commands
 * such as import still work beside the first; and the lock goes with its
 * process, even one killed with SIGKILL.
 */
static void
test_one_instance(void **state)
{
	const char *db = st_path("one.db"), *deck = st_path("more.txt");
	const char *import[] = { "import", deck, NULL };
	char want[64], out[4096], *log;
	struct vt *first, *second;
	FILE *f;
	int status;

	(void)state;
	first = st_start(db, NULL, NULL, 24, 80);
	st_expect(first, BUNDLED_DECK);
	second = st_start(db, NULL, NULL, 24, 80);
	status = vt_close(second, 5000);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
	f = fopen(st_path("stderr.log"), "r");
	assert_non_null(f);
	log = calloc(1, 65536);
	assert_true(fread(log, 1, 65535, f) > 0);
	fclose(f);
	snprintf(want, sizeof want, "(pid %d)", (int)vt_pid(first));
	if (strstr(log, want) == NULL || strstr(log, "already open") == NULL)
		fail_msg("the second lemma said: %s", log);
	free(log);

	f = fopen(deck, "w");
	assert_non_null(f);
	fputs("#deck:Beside\nfront\tback\n", f);
	fclose(f);
	assert_int_equal(st_run(db, import, out, sizeof out), 0);

	vt_signal(first, SIGKILL);
	status = vt_close(first, 5000);
	assert_true(WIFSIGNALED(status));
	second = st_start(db, NULL, NULL, 24, 80);
	st_expect(second, "Beside");
	st_quit(second);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_screen),
		cmocka_unit_test(test_help_overlay),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_quit_restores_terminal),
		cmocka_unit_test(test_sigterm_restores_terminal),
		cmocka_unit_test(test_idle_writes_nothing),
		cmocka_unit_test(test_no_terminal),
		cmocka_unit_test(test_one_instance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
