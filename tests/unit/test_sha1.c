/*
 * test_sha1.c - SHA-1 against the FIPS 180 example vectors (and the
 * "million a" one), fed in one call and in uneven pieces, so the block
 * boundary and the padding that spills into a second block are covered.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lemma/base/sha1.h"

static const struct {
	const char	*in;
	const char	*want;
} vectors[] = {
	{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	  "a49b2446a02c645bf419f995b67091253a04a259" },
	{ "The quick brown fox jumps over the lazy dog",
	  "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12" },
};

static void
test_sha1_vectors(void **state)
{
	uint8_t d[SHA1_LEN];
	char hex[2 * SHA1_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		sha1_digest(vectors[i].in, strlen(vectors[i].in), d);
		sha1_hex(d, hex);
		assert_string_equal(hex, vectors[i].want);
	}
}

/* The same digests fed one byte, then 7, then 63 bytes at a time. */
static void
test_sha1_pieces(void **state)
{
	static const size_t steps[] = { 1, 7, 63, 64, 65 };
	uint8_t d[SHA1_LEN];
	char hex[2 * SHA1_LEN + 1];

	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++)
		for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
			const char *p = vectors[i].in;
			size_t left = strlen(p);
			struct sha1 c;

			sha1_init(&c);
			while (left > 0) {
				size_t n = left < steps[s] ? left : steps[s];

				sha1_update(&c, p, n);
				p += n;
				left -= n;
			}
			sha1_final(&c, d);
			sha1_hex(d, hex);
			assert_string_equal(hex, vectors[i].want);
		}
}

static void
test_sha1_million(void **state)
{
	char *a = malloc(1000000);
	uint8_t d[SHA1_LEN];
	char hex[2 * SHA1_LEN + 1];

	(void)state;
	assert_non_null(a);
	memset(a, 'a', 1000000);
	sha1_digest(a, 1000000, d);
	sha1_hex(d, hex);
	assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_sha1_pieces),
		cmocka_unit_test(test_sha1_million),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
