/* test_nfc.c - NFC for imported text: the quick pass and the forms. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lemma/base/nfc.h"
#include "lemma/base/xmalloc.h"

static void
test_nfc_forms(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
		int		 may_change;
	} cases[] = {
		{ "abc", "abc", 0 },
		{ "", "", 0 },
		{ "caf\xc3\xa9", "caf\xc3\xa9", 0 },		/* é composed */
		{ "cafe\xcc\x81", "caf\xc3\xa9", 1 },		/* e + U+0301 */
		{ "A\xcc\x8a", "\xc3\x85", 1 },			/* Å */
		{ "\xe2\x84\xab", "\xc3\x85", 1 },		/* U+212B, a singleton */
		{ "\xce\xb1\xcc\x81", "\xce\xac", 1 },		/* Greek ά */
		{ "\xd0\xb8\xcc\x86", "\xd0\xb9", 1 },		/* Cyrillic й */
		{ "e\xcc\x82\xcc\x81", "\xe1\xba\xbf", 1 },	/* Vietnamese ế */
		/* Marks in canonical order: dot below (220) before acute. */
		{ "a\xcc\x81\xcc\xa3", "\xe1\xba\xa1\xcc\x81", 1 },
		/* Hangul jamo compose algorithmically. */
		{ "\xe1\x84\x80\xe1\x85\xa1", "\xea\xb0\x80", 1 },
		/* U+0958 is a composition exclusion: it stays decomposed. */
		{ "\xe0\xa5\x98", "\xe0\xa4\x95\xe0\xa4\xbc", 1 },
		{ "\xe7\xa5\x9e", "\xe7\xa5\x9e", 1 },		/* 神 */
		{ "a\xcc\x81 and \xc3\xa1", "\xc3\xa1 and \xc3\xa1", 1 },
	};
	struct buf b;

	(void)state;
	buf_init(&b);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].in);

		buf_reset(&b);
		buf_add(&b, "", 0);
		nfc_append(&b, cases[i].in, len);
		if (strcmp(b.data, cases[i].want) != 0 ||
		    nfc_may_change(cases[i].in, len) != cases[i].may_change) {
			print_error("case %zu: got '%s' (may change %d), want "
			    "'%s' (%d)\n", i, b.data, nfc_may_change(cases[i].in,
			    len), cases[i].want, cases[i].may_change);
			fail();
		}
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nfc_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
