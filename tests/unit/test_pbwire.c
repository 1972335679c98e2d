/*
 * test_pbwire.c - the protobuf wire format: bytes produced by protoc's
 * encoding rules (written out by hand from the Encoding guide), decoded
 * field by field; unknown fields of every wire type skipped; malformed
 * messages refused; what the writer produces read back.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lemma/base/pbwire.h"

/* field 1 varint 150 (the guide's example), 2 string "testing",
 * 99 fixed64, 100 fixed32, 5 float 2.5, 6 packed floats {1, 10}. */
static const uint8_t sample[] = {
	0x08, 0x96, 0x01,
	0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g',
	0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8,
	0xa5, 0x06, 1, 2, 3, 4,
	0x2d, 0x00, 0x00, 0x20, 0x40,
	0x32, 0x08, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0x41,
};

static void
test_pbwire_read(void **state)
{
	struct pb_reader r;
	struct pb_field f;
	float *v = NULL;
	size_t n = 0, cap = 0;
	int seen = 0;

	(void)state;
	pb_reader_init(&r, sample, sizeof sample);
	while (pb_next(&r, &f) > 0) {
		switch (f.num) {
		case 1:
			assert_int_equal(f.wire, PB_VARINT);
			assert_int_equal(f.v, 150);
			seen |= 1;
			break;
		case 2:
			assert_int_equal(f.wire, PB_LEN);
			assert_int_equal(f.n, 7);
			assert_memory_equal(f.p, "testing", 7);
			seen |= 2;
			break;
		case 5:
			assert_true(pb_as_float(&f) == 2.5f);
			seen |= 4;
			break;
		case 6:
			assert_int_equal(pb_floats(&f, &v, &n, &cap), 0);
			seen |= 8;
			break;
		case 99:
			assert_int_equal(f.wire, PB_FIXED64);
			assert_true(f.v == 0x0807060504030201ULL);
			seen |= 16;
			break;
		case 100:
			assert_int_equal(f.wire, PB_FIXED32);
			seen |= 32;
			break;
		default:
			fail();
		}
	}
	assert_int_equal(seen, 63);
	assert_int_equal(n, 2);
	assert_true(v[0] == 1.0f && v[1] == 10.0f);
	free(v);
}

static void
test_pbwire_malformed(void **state)
{
	static const struct {
		uint8_t	bytes[12];
		size_t	n;
	} bad[] = {
		{ { 0x08 }, 1 },			/* varint missing */
		{ { 0x08, 0x80 }, 2 },			/* varint cut */
		{ { 0x12, 0x05, 'a' }, 3 },		/* length past the end */
		{ { 0x0b }, 1 },			/* group start */
		{ { 0x0e, 0x00 }, 2 },			/* wire type 6 */
		{ { 0x00, 0x01 }, 2 },			/* field number 0 */
		{ { 0x0d, 1, 2 }, 3 },			/* fixed32 cut */
		{ { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0x01 }, 12 },		/* varint of 11 bytes */
	};
	struct pb_reader r;
	struct pb_field f;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pb_reader_init(&r, bad[i].bytes, bad[i].n);
		assert_int_equal(pb_next(&r, &f), -1);
	}
	pb_reader_init(&r, NULL, 0);
	assert_int_equal(pb_next(&r, &f), 0);
}

static void
test_pbwire_roundtrip(void **state)
{
	static const float steps[] = { 1, 10, 1440 };
	struct buf b;
	struct pb_reader r;
	struct pb_field f;
	float *v = NULL;
	size_t n = 0, cap = 0;
	int seen = 0;

	(void)state;
	buf_init(&b);
	pb_put_varint(&b, 1, 3);
	pb_put_varint(&b, 2, 0);		/* zero: left out */
	pb_put_str(&b, 3, "Default");
	pb_put_str(&b, 4, "");			/* empty: left out */
	pb_put_sint32(&b, 5, -1);
	pb_put_float(&b, 37, 0.9f);
	pb_put_floats(&b, 1000, steps, 3);
	pb_put_len(&b, 6, "", 0);		/* always written */
	pb_put_varint(&b, 7, UINT64_MAX);
	pb_reader_init(&r, b.data, b.len);
	while (pb_next(&r, &f) > 0) {
		switch (f.num) {
		case 1: assert_int_equal(f.v, 3); seen |= 1; break;
		case 3:
			assert_int_equal(f.n, 7);
			assert_memory_equal(f.p, "Default", 7);
			seen |= 2;
			break;
		case 5: assert_int_equal(pb_as_sint32(&f), -1); seen |= 4; break;
		case 37: assert_true(pb_as_float(&f) == 0.9f); seen |= 8; break;
		case 1000:
			assert_int_equal(pb_floats(&f, &v, &n, &cap), 0);
			seen |= 16;
			break;
		case 6: assert_int_equal(f.n, 0); seen |= 32; break;
		case 7: assert_true(f.v == UINT64_MAX); seen |= 64; break;
		default: fail();
		}
	}
	assert_int_equal(seen, 127);
	assert_int_equal(n, 3);
	assert_true(v[2] == 1440.0f);
	/* sint32 zigzag: -1 is 1, 1 is 2 (the guide's table). */
	buf_reset(&b);
	pb_put_sint32(&b, 1, 1);
	assert_int_equal(b.len, 2);
	assert_int_equal((uint8_t)b.data[1], 2);
	free(v);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pbwire_read),
		cmocka_unit_test(test_pbwire_malformed),
		cmocka_unit_test(test_pbwire_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
