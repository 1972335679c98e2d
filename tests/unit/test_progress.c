/* test_progress.c - progress reports, their words, and the command line's
 * one redrawn line (issue 21). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/progress.h"
#include "progress-line.h"

struct counter {
	int	calls;
	int	stop_at;	/* stop on this call (0: never) */
	uint64_t last_done;
};

static int
count_report(void *arg, const struct progress *p)
{
	struct counter *c = arg;

	c->calls++;
	c->last_done = p->done;
	return c->stop_at != 0 && c->calls >= c->stop_at;
}

/* A report at the start, every PROGRESS_EVERY steps and at the last; a
 * stop, once asked, holds for every later step. */
static void
test_steps_and_stop(void **state)
{
	struct counter c = { 0, 0, 0 };
	struct progress p = { count_report, &c, NULL, NULL, 0, 0, 0 };
	struct err e;

	(void)state;
	assert_int_equal(progress_begin(&p, "Importing", "notes", 1000), 0);
	assert_int_equal(c.calls, 1);
	for (uint64_t i = 1; i <= 1000; i++)
		assert_int_equal(progress_step(&p, i), 0);
	/* 256, 512, 768 and the last, 1000. */
	assert_int_equal(c.calls, 5);
	assert_int_equal(c.last_done, 1000);

	c.calls = 0;
	c.stop_at = 2;
	assert_int_equal(progress_begin(&p, "Upgrading", "rows", 0), 0);
	for (uint64_t i = 1; i < PROGRESS_EVERY; i++)
		assert_int_equal(progress_step(&p, i), 0);
	assert_int_equal(progress_step(&p, PROGRESS_EVERY), -1);
	assert_true(progress_stopping(&p));
	assert_int_equal(progress_step(&p, PROGRESS_EVERY + 1), -1);
	assert_int_equal(c.calls, 2);
	assert_int_equal(progress_stopped(&e), -1);
	assert_string_equal(e.msg, "Cancelled; nothing was changed.");

	/* Nobody asking costs nothing and never stops. */
	assert_int_equal(progress_begin(NULL, "x", "y", 1), 0);
	assert_int_equal(progress_step(NULL, 1), 0);
	assert_false(progress_stopping(NULL));
}

static void
test_format(void **state)
{
	static const struct {
		uint64_t done, total;
		double elapsed;
		const char *want;
	} cases[] = {
		{ 0, 100000, 0.0, "Importing: 0 of 100,000 notes (0%)" },
		{ 12345, 100000, 0.05, "Importing: 12,345 of 100,000 notes (12%)" },
		{ 50000, 100000, 1.0,
		  "Importing: 50,000 of 100,000 notes (50%), 50,000/s, 1 s left" },
		{ 1000, 1000000, 1.0, "Importing: 1,000 of 1,000,000 notes (0%), "
		  "1,000/s, 16 min 39 s left" },
		{ 100, 1000000, 10.0, "Importing: 100 of 1,000,000 notes (0%), "
		  "10/s, 27 h 46 min left" },
		{ 1234567, 0, 2.0, "Importing: 1,234,567 notes, 617,284/s" },
		{ 7, 5, 1.0, "Importing: 7 of 5 notes (100%), 7/s" },
		/* Nothing counted (a quick_check): the words alone. */
		{ 0, 0, 3.0, "Importing" },
	};
	struct progress p = { NULL, NULL, "Importing", "notes", 0, 0, 0 };
	char buf[128], small[16];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p.done = cases[i].done;
		p.total = cases[i].total;
		progress_format(&p, cases[i].elapsed, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
	/* Bytes are sizes, and so is their rate. */
	p.unit = "bytes";
	p.done = 12300000;
	p.total = 50000000;
	progress_format(&p, 3.0, buf, sizeof buf);
	assert_string_equal(buf, "Importing: 12.3 MB of 50.0 MB (24%), "
	    "4.1 MB/s, 9 s left");
	p.done = 512;
	p.total = 0;
	progress_format(&p, 0.0, buf, sizeof buf);
	assert_string_equal(buf, "Importing: 512 bytes");
	p.unit = "notes";
	/* A short buffer holds a cut, terminated line. */
	p.done = 12345;
	p.total = 100000;
	assert_int_equal(progress_format(&p, 1.0, small, sizeof small), 15);
	assert_string_equal(small, "Importing: 12,3");
}

static double fake_now;

static double
fake_clock(void)
{
	return fake_now;
}

/* Draws nothing in the first half second, then at most every 0.1 s, in
 * place (\r ... ESC[K), and clears the line at the end. */
static void
test_line(void **state)
{
	struct progress_line pl;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	setenv("TERM", "xterm", 1);
	progress_line_begin(&pl, out, 0, 0);
	pl.on = 1;			/* a memory stream is no terminal */
	pl.cols = 60;
	pl.clock = fake_clock;
	pl.start = pl.last = fake_now = 100.0;
	progress_begin(&pl.progress, "Importing", "notes", 1000);
	fake_now = 100.4;
	progress_step(&pl.progress, 256);
	fflush(out);
	assert_int_equal(len, 0);
	fake_now = 100.6;
	progress_step(&pl.progress, 512);
	fake_now = 100.65;		/* too soon to redraw */
	progress_step(&pl.progress, 768);
	fflush(out);
	assert_string_equal(text, "\rImporting: 512 of 1,000 notes (51%), "
	    "853/s, 1 s left\033[K");
	assert_int_equal(progress_line_end(&pl), 0);
	fflush(out);
	assert_non_null(strstr(text, "left\033[K\r\033[K"));
	fclose(out);
	free(text);
}

/* TERM=dumb: padding instead of ESC[K; off (a pipe, --quiet): nothing. */
static void
test_line_dumb_and_off(void **state)
{
	struct progress_line pl;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	setenv("TERM", "dumb", 1);
	progress_line_begin(&pl, out, 0, 0);
	assert_false(pl.on);		/* not a terminal */
	progress_begin(&pl.progress, "Restoring", "rows", 0);
	fake_now = 200.0;
	pl.clock = fake_clock;
	pl.start = pl.last = 190.0;
	progress_step(&pl.progress, 256);
	fflush(out);
	assert_int_equal(len, 0);
	pl.on = 1;
	pl.cols = 30;
	/* The rate counts from the phase's start (its begin at 190). */
	fake_now = 190.0;
	progress_begin(&pl.progress, "Restoring", "rows", 0);
	fake_now = 200.0;
	progress_step(&pl.progress, 512);
	fflush(out);
	assert_null(strchr(text, '\033'));
	assert_string_equal(text, "\rRestoring: 512 rows, 51/s    ");
	progress_line_end(&pl);
	fclose(out);
	free(text);
	setenv("TERM", "xterm", 1);
	progress_line_begin(&pl, stderr, 1, 0);
	assert_false(pl.on);		/* --quiet */
	progress_line_end(&pl);
}

/* A Ctrl-C while the work runs makes the next report say stop, and the
 * end says which signal; the old handler is back afterwards. */
static void
test_signal_stops(void **state)
{
	struct progress_line pl;
	struct sigaction now;

	(void)state;
	progress_line_begin(&pl, stderr, 1, 0);
	assert_int_equal(progress_begin(&pl.progress, "Importing", "notes", 0), 0);
	raise(SIGINT);
	assert_int_equal(progress_line_signal(), SIGINT);
	assert_int_equal(progress_step(&pl.progress, PROGRESS_EVERY), -1);
	assert_int_equal(progress_line_end(&pl), SIGINT);
	sigaction(SIGINT, NULL, &now);
	assert_true(now.sa_handler == SIG_DFL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_and_stop),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_line_dumb_and_off),
		cmocka_unit_test(test_signal_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
