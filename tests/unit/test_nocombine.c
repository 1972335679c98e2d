/*
 * test_nocombine.c - text without combining marks, as Anki's
 * without_combining() (rslib/src/text.rs) makes it for nc: searches.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lemma/base/nocombine.h"

static void
test_nocombine(void **state)
{
	static const struct {
		const char	*in, *want;
		int		 is_plain;
	} cases[] = {
		{ "",			"",		1 },
		{ "test",		"test",		1 },
		/* As Anki's text.rs test of without_combining("Über"). */
		{ "\xc3\x9c" "ber",	"Uber",		0 },
		{ "fr\xc3\xa2n\xc3\xa7" "ais",	"francais",	0 },
		/* Decomposed: the marks go, the letters stay. */
		{ "franc\xcc\xa7" "ais",	"francais",	0 },
		{ "e\xcc\x81t\xc3\xa9",	"ete",		0 },
		/* Anki's extra letters. */
		{ "Stra\xc3\x9f" "e",	"Strase",	0 },
		{ "\xc3\x98resund",	"Oresund",	0 },
		{ "\xc3\x86sir",	"AEsir",	0 },
		{ "\xc5\x81\xc3\xb3" "d\xc5\xba",	"Lodz",	0 },
		{ "\xe2\x82\xac",	"E",		0 },
		/* NFKD: compatibility letters and ligatures. */
		{ "\xef\xac\x81" "ne",	"fine",		0 },
		{ "\xef\xbc\xa1",	"A",		0 },	/* fullwidth A */
		/* Greek tonos, Vietnamese stacked marks. */
		{ "\xce\xac\xce\xbd\xce\xb8\xcf\x81\xcf\x89\xcf\x80\xce\xbf\xcf\x82",
		    "\xce\xb1\xce\xbd\xce\xb8\xcf\x81\xcf\x89\xcf\x80\xce\xbf\xcf\x82", 0 },
		{ "Vi\xe1\xbb\x87t",	"Viet",		0 },
		/* A Hangul syllable decomposes into its jamo (by arithmetic):
		 * 한 is U+1112 U+1161 U+11AB. */
		{ "\xed\x95\x9c",	"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", 0 },
		/* Text without marks is left alone, CJK included. */
		{ "\xe6\xbc\xa2\xe5\xad\x97",	"\xe6\xbc\xa2\xe5\xad\x97", 1 },
		/* A bad byte is kept. */
		{ "a\xff" "b",		"a\xff" "b",	0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].in);
		struct buf b;

		buf_init(&b);
		buf_add(&b, "", 0);
		nocombine(cases[i].in, len, &b);
		if (b.len != strlen(cases[i].want) || memcmp(b.data,
		    cases[i].want, b.len) != 0)
			fail_msg("case %zu: got \"%.*s\", want \"%s\"", i,
			    (int)b.len, b.data, cases[i].want);
		assert_int_equal(nocombine_is_plain(cases[i].in, len),
		    cases[i].is_plain);
		buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nocombine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
