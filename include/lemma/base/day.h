/*
 * day.h - time as lemma sees it.
 *
 * Parses the --now / LEMMA_NOW clock override, and maps an instant to a
 * "study day": the local calendar day, shifted back by the rollover hour (a
 * review at 02:00 with rollover 4 belongs to the previous day, as in Anki).
 * Pure apart from the time zone (TZ), which comes from the environment.
 */
#ifndef LEMMA_DAY_H
#define LEMMA_DAY_H

#include <time.h>

/* The instants lemma accepts as "now": 0000-01-01T00:00:00Z to
 * 9999-12-31T23:59:59Z, the years ISO 8601 writes in four digits. Beyond,
 * a day count or a revlog id (Unix ms) is no longer safe to compute with,
 * and a range of days from the first grade to "now" would not fit in
 * memory. */
#define DAY_TIME_MIN	(-62167219200LL)
#define DAY_TIME_MAX	253402300799LL

/* Whether t is within DAY_TIME_MIN..DAY_TIME_MAX. */
int	day_time_in_range(long long t);

/* Parse "1735722000", "2025-01-01", "2025-01-01T09:00", "2025-01-01T09:00:00",
 * with an optional "Z" or "+hh:mm"/"-hh:mm" offset (no offset = local time).
 * Returns 0 and sets *out, or -1 when s is not one of those forms or is
 * outside DAY_TIME_MIN..DAY_TIME_MAX. */
int	day_parse_time(const char *s, time_t *out);

/* The study day of instant t: days since 1970-01-01 of the local date of
 * (t - rollover_hour hours). Two instants share a study day iff they give the
 * same number. */
long	day_number(time_t t, int rollover_hour);

/* The first instant of study day d (local rollover_hour:00 of that date). */
time_t	day_start(long d, int rollover_hour);

/* day_number under UTC with rollover 0 (the ts-fsrs convention). */
long	day_number_utc(time_t t);

/* Format t as "2025-01-01 09:00" in local time into buf. */
void	day_format(time_t t, char *buf, size_t len);

/* A stamp for file names: t as "20250101-090000" in local time
 * (DAY_STAMP_LEN characters), and back. day_stamp_parse reads exactly
 * DAY_STAMP_LEN characters of s: 0 and *out, or -1 when they are not a
 * stamp. Backups are named with these. */
#define DAY_STAMP_LEN	(8 + 1 + 6)
void	day_stamp(time_t t, char *buf, size_t len);
int	day_stamp_parse(const char *s, time_t *out);

#endif
