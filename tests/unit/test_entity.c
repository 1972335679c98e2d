/*
 * test_entity.c - HTML character references as HTML5 reads them in text.
 * The expected values are Python's html.unescape() (which follows the
 * WHATWG tokenizer) except where Python drops a control character that
 * HTML5 keeps: here the control comes back, for termsafe to show.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lemma/base/entity.h"
#include "entity-int.h"

static void
test_entity_cases(void **state)
{
	static const struct {
		const char	*in;
		size_t		 used;		/* 0: not a reference */
		uint32_t	 cp0, cp1;
	} cases[] = {
		{ "&alpha;",		7, 0x3B1, 0 },
		{ "&amp;",		5, '&', 0 },
		{ "&amp",		4, '&', 0 },	/* legacy, no ';' */
		{ "&ampx",		4, '&', 0 },
		{ "&lt",		3, '<', 0 },
		{ "&LT;",		4, '<', 0 },
		{ "&notin;",		7, 0x2209, 0 },
		{ "&notit;",		4, 0xAC, 0 },	/* longest legacy prefix */
		{ "&frac34",		7, 0xBE, 0 },
		{ "&frac345",		7, 0xBE, 0 },
		{ "&AElig",		6, 0xC6, 0 },
		{ "&NotEqualTilde;",	15, 0x2242, 0x338 },
		{ "&CounterClockwiseContourIntegral;", 33, 0x2233, 0 },
		{ "&bogus;",		0, 0, 0 },
		{ "&a",			0, 0, 0 },
		{ "&;",			0, 0, 0 },
		{ "& x",		0, 0, 0 },
		{ "&",			0, 0, 0 },
		{ "&alpha",		0, 0, 0 },	/* not a legacy name */
		{ "&#65",		4, 'A', 0 },
		{ "&#65;",		5, 'A', 0 },
		{ "&#x41;",		6, 'A', 0 },
		{ "&#X41;",		6, 'A', 0 },
		{ "&#x1F600;",		9, 0x1F600, 0 },
		{ "&#128;",		6, 0x20AC, 0 },	/* the C1 remaps */
		{ "&#x80",		5, 0x20AC, 0 },
		{ "&#x9F;",		6, 0x178, 0 },
		{ "&#x81;",		6, 0x81, 0 },	/* none there: kept */
		{ "&#0;",		4, 0xFFFD, 0 },
		{ "&#xD800;",		8, 0xFFFD, 0 },
		{ "&#x110000;",		10, 0xFFFD, 0 },
		{ "&#99999999999999999999;", 23, 0xFFFD, 0 },
		{ "&#13;",		5, '\r', 0 },
		{ "&#27;",		5, 0x1B, 0 },	/* termsafe shows it */
		{ "&#x;",		0, 0, 0 },
		{ "&#;",		0, 0, 0 },
		{ "&#xg;",		0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t cp[ENTITY_MAX_CPS] = { 0, 0 };
		size_t ncp = 0, used;

		used = entity_decode(cases[i].in, strlen(cases[i].in), cp, &ncp);
		if (used != cases[i].used || (used > 0 &&
		    (cp[0] != cases[i].cp0 || ncp != (cases[i].cp1 ? 2u : 1u) ||
		    (ncp == 2 && cp[1] != cases[i].cp1)))) {
			print_error("%s: used %zu U+%04X U+%04X (%zu), want "
			    "%zu U+%04X U+%04X\n", cases[i].in, used,
			    (unsigned)cp[0], (unsigned)cp[1], ncp,
			    cases[i].used, (unsigned)cases[i].cp0,
			    (unsigned)cases[i].cp1);
			fail();
		}
	}
}

/* The reference ends where the bytes do: never a read past n. */
static void
test_entity_bounded(void **state)
{
	uint32_t cp[ENTITY_MAX_CPS];
	size_t ncp;

	(void)state;
	assert_int_equal(entity_decode("&alpha;", 6, cp, &ncp), 0);
	assert_int_equal(entity_decode("&amp;", 4, cp, &ncp), 4);
	assert_int_equal(cp[0], '&');
	assert_int_equal(entity_decode("&#65;", 4, cp, &ncp), 4);
	assert_int_equal(cp[0], 'A');
	assert_int_equal(entity_decode("&#65;", 3, cp, &ncp), 3);
	assert_int_equal(cp[0], 6);
	assert_int_equal(entity_decode("&#65;", 2, cp, &ncp), 0);
}

/* Every name of the table decodes to what the table says: a table out of
 * strcmp order would lose names to bsearch. */
static void
test_entity_every_name(void **state)
{
	char in[64];
	uint32_t cp[ENTITY_MAX_CPS];
	size_t ncp, len;

	(void)state;
	assert_int_equal(entity_names_len, 2231);
	for (size_t i = 0; i < entity_names_len; i++) {
		const struct entity_name *e = &entity_names[i];

		len = (size_t)snprintf(in, sizeof in, "&%s", e->name);
		if (entity_decode(in, len, cp, &ncp) != len ||
		    cp[0] != e->cp[0] || (ncp == 2) != (e->cp[1] != 0) ||
		    (ncp == 2 && cp[1] != e->cp[1])) {
			print_error("%s did not decode to its entry\n", in);
			fail();
		}
		if (i > 0 && strcmp(entity_names[i - 1].name, e->name) >= 0)
			fail_msg("%s sorts after %s", entity_names[i - 1].name,
			    e->name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entity_cases),
		cmocka_unit_test(test_entity_bounded),
		cmocka_unit_test(test_entity_every_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
