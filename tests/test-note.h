/*
 * test-note.h - a test case that does not apply here (it needs root, a
 * mount, a vector table that the given file lacks, lemma outside of make
 * check) ends as a pass, with a TAP comment that says why.
 *
 * cmocka 1.1.5's skip() prints "not ok N # SKIP", which Automake's TAP
 * driver counts as a failure; so no test calls skip(), and every such case
 * goes through not_applicable() here. Include after <cmocka.h>.
 */
#ifndef LEMMA_TEST_NOTE_H
#define LEMMA_TEST_NOTE_H

#include <stdarg.h>
#include <stdio.h>

static inline void
test_note_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
test_note_print(const char *fmt, ...)
{
	va_list ap;

	fflush(stderr);
	fputs("# not applicable here: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Print why, then return from the test function (void): a pass. */
#define not_applicable(...) do {					\
	test_note_print(__VA_ARGS__);					\
	return;								\
} while (0)

#endif
