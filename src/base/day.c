/* day.c - the clock override and study days; see day.h. */
#include "config.h"

#include "lemma/base/day.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil), so no mktime/timegm is needed for UTC. */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/* The instant of a local date and time (mktime decides DST). */
static time_t
local_time(int y, int mo, int d, int h, int mi, int sec)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
parse_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

int
day_time_in_range(long long t)
{
	return t >= DAY_TIME_MIN && t <= DAY_TIME_MAX;
}

int
day_parse_time(const char *s, time_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
	int has_offset = 0;
	long offset = 0;
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	/* Unix seconds: all digits (and not a date, which has dashes). */
	if (strspn(s, "0123456789") == strlen(s)) {
		long long v;

		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno == ERANGE || !day_time_in_range(v))
			return -1;
		*out = (time_t)v;
		return 0;
	}
	if (parse_digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    parse_digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    parse_digits(&p, 2, &d) < 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (parse_digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    parse_digits(&p, 2, &mi) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if (parse_digits(&p, 2, &sec) < 0)
				return -1;
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
	}
	if (*p == 'Z') {
		has_offset = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		if (parse_digits(&p, 2, &oh) < 0)
			return -1;
		if (*p == ':')
			p++;
		if (parse_digits(&p, 2, &om) < 0)
			return -1;
		has_offset = 1;
		offset = sign * (oh * 3600L + om * 60L);
	}
	if (*p != '\0')
		return -1;
	if (has_offset) {
		long long t = days_from_civil(y, (unsigned)mo, (unsigned)d) *
		    86400LL + h * 3600L + mi * 60L + sec - offset;

		if (!day_time_in_range(t))
			return -1;
		*out = (time_t)t;
		return 0;
	}
	/* Local time: the zone's offset may take the first or last hours
	 * of the range outside it. */
	*out = local_time(y, mo, d, h, mi, sec);
	return day_time_in_range((long long)*out) ? 0 : -1;
}

long
day_number(time_t t, int rollover_hour)
{
	struct tm tm;
	long d;

	/* Compare local hours rather than subtracting seconds: on a DST change
	 * "four hours before 04:00" is not midnight. */
	localtime_r(&t, &tm);
	d = days_from_civil(tm.tm_year + 1900L, (unsigned)tm.tm_mon + 1,
	    (unsigned)tm.tm_mday);
	return tm.tm_hour < rollover_hour ? d - 1 : d;
}

time_t
day_start(long d, int rollover_hour)
{
	struct tm tm;
	time_t guess;

	/* Local midnight of day d: start from the UTC instant and let mktime
	 * normalise the local fields, which handles DST and any offset. */
	guess = (time_t)d * 86400;
	gmtime_r(&guess, &tm);
	tm.tm_hour = rollover_hour;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

long
day_number_utc(time_t t)
{
	long q = (long)(t / 86400);

	if (t < 0 && t % 86400 != 0)
		q--;
	return q;
}

void
day_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

void
day_stamp(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y%m%d-%H%M%S", &tm);
}

int
day_stamp_parse(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec;

	if (strspn(s, "0123456789") < 8 || s[8] != '-' ||
	    strspn(s + 9, "0123456789") < 6 ||
	    sscanf(s, "%4d%2d%2d-%2d%2d%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
		return -1;
	*out = local_time(y, mo, d, h, mi, sec);
	return 0;
}
