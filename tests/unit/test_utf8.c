/* test_utf8.c - decoding and validation. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lemma/base/utf8.h"

static void
test_decode(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		uint32_t cp;
		int ok;
	} cases[] = {
		{ "A", 1, 'A', 1 },
		{ "\xc3\xa9", 2, 0xE9, 1 },
		{ "\xe2\x80\x96", 3, 0x2016, 1 },
		{ "\xf0\x9f\x98\x80", 4, 0x1F600, 1 },
		{ "\xc0\xaf", 1, UTF8_REPLACEMENT, 0 },		/* overlong */
		{ "\xed\xa0\x80", 1, UTF8_REPLACEMENT, 0 },	/* surrogate */
		{ "\xf4\x90\x80\x80", 1, UTF8_REPLACEMENT, 0 },	/* > U+10FFFF */
		{ "\xe2\x80", 1, UTF8_REPLACEMENT, 0 },		/* truncated */
		{ "\x80", 1, UTF8_REPLACEMENT, 0 },
		{ "\xff", 1, UTF8_REPLACEMENT, 0 },
	};
	uint32_t cp;
	int ok;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = utf8_decode(cases[i].in, strlen(cases[i].in), &cp, &ok);
		assert_int_equal(n, cases[i].len);
		assert_int_equal(cp, cases[i].cp);
		assert_int_equal(ok, cases[i].ok);
	}
}

static void
test_encode_roundtrip(void **state)
{
	static const uint32_t cps[] = { 0, 'x', 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF,
	    0x10000, 0x10FFFF };
	char buf[4];
	uint32_t cp;
	int ok;

	(void)state;
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		size_t n = utf8_encode(cps[i], buf);
		assert_int_equal(utf8_decode(buf, n, &cp, &ok), n);
		assert_int_equal(cp, cps[i]);
		assert_true(ok);
	}
	assert_int_equal(utf8_encode(0xD800, buf), 3);	/* surrogate -> U+FFFD */
	assert_memory_equal(buf, "\xef\xbf\xbd", 3);
}

static void
test_invalid_offset(void **state)
{
	(void)state;
	assert_int_equal(utf8_invalid_offset("plain", 5), (size_t)-1);
	assert_int_equal(utf8_invalid_offset("\xce\xb2=2", 4), (size_t)-1);
	assert_int_equal(utf8_invalid_offset("ab\xffz", 4), 2);
	assert_int_equal(utf8_invalid_offset("\xce", 1), 0);
	assert_int_equal(utf8_count("\xce\xb2\xce\xb2x", 5), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_invalid_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
