/* test_termsafe.c - what may be written to a terminal, and the stand-ins. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lemma/base/termsafe.h"

static void
test_termsafe_str(void **state)
{
	static const struct {
		const char	*in;
		unsigned	 flags;
		const char	*want;
		size_t		 changed;
	} cases[] = {
		{ "plain text", 0, "plain text", 0 },
		{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0,
		    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0 },
		/* ESC, BEL as their control pictures: OSC 52 is inert. */
		{ "x\033]52;c;SGk=\007y", 0,
		    "x\xe2\x90\x9b]52;c;SGk=\xe2\x90\x87y", 2 },
		{ "del\177", 0, "del\xe2\x90\xa1", 1 },
		{ "csi\xc2\x9b" "31m", 0, "csi\xef\xbf\xbd" "31m", 1 },
		{ "a\nb\tc", 0, "a\xe2\x90\x8a" "b\xe2\x90\x89" "c", 2 },
		{ "a\nb\tc", TERMSAFE_LINES, "a\nb\tc", 0 },
		{ "a\rb", TERMSAFE_LINES, "a\xe2\x90\x8d" "b", 1 },
		/* Bidi controls and zero-width characters: dropped. */
		{ "\xe2\x80\xaegnp.exe\xe2\x80\xac", 0, "gnp.exe", 2 },
		{ "\xe2\x81\xa6iso\xe2\x81\xa9", 0, "iso", 2 },
		{ "Span\xe2\x80\x8bish\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf", 0,
		    "Spanish", 4 },
		{ "rlm\xe2\x80\x8f alm\xd8\x9c shy\xc2\xad", 0, "rlm alm shy", 3 },
		{ "tag\xf3\xa0\x80\x81\xf3\xa0\x81\xa1", 0, "tag", 2 },
		{ "ls\xe2\x80\xa8ps\xe2\x80\xa9", 0,
		    "ls\xef\xbf\xbdps\xef\xbf\xbd", 2 },
		/* Not UTF-8. */
		{ "bad\xff\xfe", 0, "bad\xef\xbf\xbd\xef\xbf\xbd", 2 },
		{ "cut\xe2\x80", 0, "cut\xef\xbf\xbd\xef\xbf\xbd", 2 },
		/* A terminal that is not UTF-8 gets ASCII only. */
		{ "caf\xc3\xa9\033", TERMSAFE_ASCII, "caf??", 2 },
		{ "\xe2\x80\x8b", TERMSAFE_ASCII, "", 1 },
		/* Just inside the ranges' edges: kept. */
		{ "\xe2\x80\x8a\xe2\x80\xaf\xe2\x81\xa5\xc2\xa0", 0,
		    "\xe2\x80\x8a\xe2\x80\xaf\xe2\x81\xa5\xc2\xa0", 0 },
	};
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = termsafe_str(cases[i].in, cases[i].flags);
		size_t changed;

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, got,
			    cases[i].want);
		free(got);
		buf_reset(&b);
		changed = termsafe_append(&b, cases[i].in, strlen(cases[i].in),
		    cases[i].flags);
		assert_int_equal(changed, cases[i].changed);
	}
	buf_free(&b);
}

static void
test_termsafe_strip(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
		size_t		 removed;
	} cases[] = {
		{ "French::Verbs", "French::Verbs", 0 },
		{ "Evil\033]52;c;SGk=\007", "Evil]52;c;SGk=", 2 },
		{ "Span\xe2\x80\x8bish", "Spanish", 1 },
		{ "\xe2\x80\xaegnp.exe", "gnp.exe", 1 },
		{ "x\xc2\x9by\xff", "xy", 2 },
	};
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t removed;

		buf_reset(&b);
		buf_add(&b, "", 0);
		removed = termsafe_strip(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(b.data, cases[i].want);
		assert_int_equal(removed, cases[i].removed);
	}
	buf_free(&b);
}

/* Every code point's class agrees with its stand-in: only OK ones are
 * written as themselves, and no stand-in is itself unsafe. */
static void
test_termsafe_closed(void **state)
{
	(void)state;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		uint32_t to;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		to = termsafe_cp(cp, 1, 0);
		if (termsafe_class(cp, 1) == TERMSAFE_OK)
			assert_int_equal(to, cp);
		else
			assert_true(to != cp);
		if (to != 0)
			assert_int_equal(termsafe_class(to, 1), TERMSAFE_OK);
		to = termsafe_cp(cp, 1, 1);
		assert_true(to < 0x80 && (to == 0 || to >= 0x20) && to != 0x7F);
	}
}

/* The picture a rendered card shows: caret notation in ASCII for C0 and
 * DEL (the renderer's rule, now termsafe's), else termsafe_cp's. */
static void
test_termsafe_picture(void **state)
{
	static const struct {
		uint32_t	 cp;
		int		 ok, ascii;
		const char	*want;
	} pics[] = {
		{ 0x1B, 1, 0, "\xe2\x90\x9b" },		/* ␛ */
		{ 0x1B, 1, 1, "^[" },
		{ 0x7F, 1, 0, "\xe2\x90\xa1" },		/* ␡ */
		{ 0x7F, 1, 1, "^?" },
		{ 0x00, 1, 1, "^@" },
		{ 0x85, 1, 0, "\xef\xbf\xbd" },
		{ 0x85, 1, 1, "?" },
		{ 0xFF, 0, 0, "\xef\xbf\xbd" },
		{ 0xFF, 0, 1, "?" },
	};
	char out[5];

	(void)state;
	for (size_t i = 0; i < sizeof pics / sizeof pics[0]; i++) {
		size_t n = termsafe_picture(pics[i].cp, pics[i].ok,
		    pics[i].ascii, out);

		out[n] = '\0';
		assert_string_equal(out, pics[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_termsafe_str),
		cmocka_unit_test(test_termsafe_strip),
		cmocka_unit_test(test_termsafe_closed),
		cmocka_unit_test(test_termsafe_picture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
