/*
 * test_hashtab.c - the hash table of 64-bit keys that import (an index by
 * hash, several entries per key) and the study queue (a set of note ids)
 * share.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>

#include "lemma/base/hashtab.h"

struct entry {
	int64_t		 id;
	unsigned	 line;
};

/* A set: put once, has, and many keys through several regrowths. */
static void
test_hashtab_set(void **state)
{
	struct hashtab t = HASHTAB_INIT(0, 4);

	(void)state;
	assert_false(hashtab_has(&t, 42));
	assert_int_equal(hashtab_put(&t, 42), 1);
	assert_int_equal(hashtab_put(&t, 42), 0);
	assert_true(hashtab_has(&t, 42));
	assert_false(hashtab_has(&t, 43));
	/* Note ids in a row, as times in ms are. */
	for (uint64_t k = 1700000000000ULL; k < 1700000000000ULL + 5000; k++)
		assert_int_equal(hashtab_put(&t, k), 1);
	assert_int_equal(t.n, 5001);
	assert_true(t.n * 2 <= t.cap);
	for (uint64_t k = 1700000000000ULL; k < 1700000000000ULL + 5000; k++)
		assert_true(hashtab_has(&t, k));
	assert_false(hashtab_has(&t, 1700000000000ULL + 5000));
	assert_true(hashtab_has(&t, 42));
	assert_null(hashtab_add(&t, 7));	/* a set has no values */
	hashtab_free(&t);
	assert_false(hashtab_has(&t, 42));
}

/* An index by hash: every entry with a key, in the order added, also
 * after the table grew. */
static void
test_hashtab_index(void **state)
{
	struct hashtab t = HASHTAB_INIT(sizeof(struct entry), 2);
	struct entry *e;
	size_t pos = HASHTAB_START;
	unsigned want = 0;

	(void)state;
	for (unsigned i = 0; i < 300; i++) {
		/* Keys 1..3 over and over, and filler keys between. */
		e = hashtab_add(&t, 1 + i % 3);
		assert_non_null(e);
		assert_int_equal(e->id, 0);	/* zeroed */
		e->id = 1000 + i;
		e->line = i;
		e = hashtab_add(&t, 0xdeadbeef00ULL + i);
		e->id = -1;
	}
	while ((e = hashtab_next(&t, 2, &pos)) != NULL) {
		assert_int_equal(e->line, 1 + 3 * want);
		assert_int_equal(e->id, 1000 + 1 + 3 * want);
		want++;
	}
	assert_int_equal(want, 100);
	pos = HASHTAB_START;
	assert_null(hashtab_next(&t, 4, &pos));
	hashtab_free(&t);
	pos = HASHTAB_START;
	assert_null(hashtab_next(&t, 2, &pos));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashtab_set),
		cmocka_unit_test(test_hashtab_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
