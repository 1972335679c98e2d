/* test_day.c - the clock override and study days. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/base/day.h"

static void
test_parse(void **state)
{
	static const struct {
		const char *in;
		int ok;
		long long want;
	} cases[] = {
		{ "1735722000", 1, 1735722000LL },
		{ "0", 1, 0 },
		{ "2025-01-01T09:00:00Z", 1, 1735722000LL },
		{ "2025-01-01T09:00Z", 1, 1735722000LL },
		{ "2025-01-01T10:00:00+01:00", 1, 1735722000LL },
		{ "2025-01-01T04:00:00-05:00", 1, 1735722000LL },
		{ "2024-02-29T00:00:00Z", 1, 1709164800LL },
		{ "2025-01-01 09:00:00Z", 1, 1735722000LL },
		{ "", 0, 0 },
		{ "yesterday", 0, 0 },
		{ "2025-13-01", 0, 0 },
		{ "2025-01-01T25:00Z", 0, 0 },
		{ "2025-01-01T09:00:00Zjunk", 0, 0 },
		{ "12abc", 0, 0 },
		/* Years 0000 to 9999, the dates ISO 8601 writes in four digits;
		 * beyond, a number that cannot be a time (it made the
		 * statistics ask for 644 GB). */
		{ "253402300799", 1, 253402300799LL },
		{ "9999-12-31T23:59:59Z", 1, 253402300799LL },
		{ "0000-01-01T00:00:00Z", 1, -62167219200LL },
		{ "253402300800", 0, 0 },
		{ "9999-12-31T23:59:59-00:01", 0, 0 },
		{ "0000-01-01T00:00:00+00:01", 0, 0 },
		{ "10000000000000", 0, 0 },
		{ "9223372036854775807", 0, 0 },
		{ "99999999999999999999", 0, 0 },
	};
	time_t t;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = day_parse_time(cases[i].in, &t);
		if (cases[i].ok) {
			assert_int_equal(rc, 0);
			assert_int_equal((long long)t, cases[i].want);
		} else
			assert_int_equal(rc, -1);
	}
}

static void
test_local_time(void **state)
{
	time_t t;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(day_parse_time("2025-01-01T04:00:00", &t), 0);
	assert_int_equal((long long)t, 1735722000LL);
	setenv("TZ", "UTC", 1);
	tzset();
}

/* Backup names: a local stamp and back (issue 15: day.c owns the
 * struct tm that backup.c built by hand). */
static void
test_stamp(void **state)
{
	char buf[32];
	time_t t;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();
	day_stamp(1735722000, buf, sizeof buf);
	assert_string_equal(buf, "20250101-040000");
	assert_int_equal(strlen(buf), DAY_STAMP_LEN);
	assert_int_equal(day_stamp_parse("20250101-040000.db", &t), 0);
	assert_int_equal((long long)t, 1735722000LL);
	assert_int_equal(day_stamp_parse("2025010-1040000", &t), -1);
	assert_int_equal(day_stamp_parse("20250101-04000x", &t), -1);
	assert_int_equal(day_stamp_parse("+2025010-040000", &t), -1);
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
test_rollover(void **state)
{
	time_t t;
	long d;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	/* 2025-01-01 is day 20089. */
	assert_int_equal(day_parse_time("2025-01-01T09:00:00Z", &t), 0);
	assert_int_equal(day_number(t, 4), 20089);
	assert_int_equal(day_number(t, 0), 20089);
	/* 03:59 belongs to the previous day with rollover 4. */
	assert_int_equal(day_parse_time("2025-01-02T03:59:00Z", &t), 0);
	assert_int_equal(day_number(t, 4), 20089);
	assert_int_equal(day_number(t, 0), 20090);
	assert_int_equal(day_parse_time("2025-01-02T04:00:00Z", &t), 0);
	assert_int_equal(day_number(t, 4), 20090);
	d = day_number(t, 4);
	assert_int_equal((long long)day_start(d, 4), (long long)t);
	assert_int_equal(day_number_utc(t), 20090);
	assert_int_equal(day_number_utc(-1), -1);
}

static void
test_rollover_time_zone(void **state)
{
	time_t t;

	(void)state;
	/* 2025-01-02T07:00Z is 02:00 in New York: still 2025-01-01's study
	 * day with rollover 4, though UTC has moved on. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_int_equal(day_parse_time("2025-01-02T07:00:00Z", &t), 0);
	assert_int_equal(day_number(t, 4), 20089);
	assert_int_equal(day_number_utc(t), 20090);
	assert_int_equal(day_number(day_start(20090, 4), 4), 20090);
	assert_int_equal(day_number(day_start(20090, 4) - 1, 4), 20089);
	/* Across the spring DST change the start is still 04:00 local. */
	assert_int_equal(day_parse_time("2025-03-09T04:00:00", &t), 0);
	assert_int_equal((long long)day_start(day_number(t, 4), 4), (long long)t);
	setenv("TZ", "UTC", 1);
	tzset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_local_time),
		cmocka_unit_test(test_stamp),
		cmocka_unit_test(test_rollover),
		cmocka_unit_test(test_rollover_time_zone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
