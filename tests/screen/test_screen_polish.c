/*
 * test_screen_polish.c - issue 18, "wrong on screen": what a new user saw
 * at 80x24, 44x20 and 180x50 that was wrong (the header's count of today's
 * grades, ...). Each test failed before its fix.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "screen-util.h"

#define BUNDLED_DECK	"Tokens to Embodied Minds"

/* Open the bundled deck and give n grades of Good, each card revealed. */
static void
grade_good(struct vt *vt, int n)
{
	for (int i = 0; i < n; i++) {
		st_expect(vt, "show answer");
		vt_send(vt, " ");
		st_expect(vt, "Easy");
		vt_send(vt, "3");
		vt_wait_idle(vt, 30, 1000);
	}
}

/* The header counts today's grades from the file, after each grade and
 * after a restart, at every width (it stayed 0 at 80 and 100 columns until
 * the stats pane was opened once, and lagged a redraw at 110 and more). */
static void
test_header_studied_today(void **state)
{
	static const int widths[] = { 80, 100, 120 };
	char name[32], want[32];
	struct vt *vt;

	(void)state;
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		snprintf(name, sizeof name, "today-%d.db", widths[w]);
		vt = st_start(st_path(name), NULL, NULL, 24, widths[w]);
		st_expect(vt, BUNDLED_DECK);
		st_expect(vt, "studied today 0");
		vt_send(vt, "\r");
		grade_good(vt, 3);
		vt_send(vt, "q");
		st_expect(vt, "studied today 3");
		st_quit(vt);

		vt = st_start(st_path(name), NULL, NULL, 24, widths[w]);
		st_expect(vt, BUNDLED_DECK);
		st_expect(vt, "studied today 3");
		vt_send(vt, "\r");
		grade_good(vt, 1);
		vt_send(vt, "q");
		snprintf(want, sizeof want, "studied today %d", 4);
		st_expect(vt, want);
		st_quit(vt);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_studied_today),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
