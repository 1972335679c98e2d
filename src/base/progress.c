/*
 * progress.c - how far a long operation is, and whether to stop it.
 *
 * The step is the hot path (once per note of a million-note import): it
 * stores a number and, one time in PROGRESS_EVERY, calls the report,
 * which may read a clock and draw.
 */
#include <stdio.h>
#include <string.h>

#include "lemma/base/progress.h"

static int
call_report(struct progress *p)
{
	if (p->report != NULL && !p->stop && p->report(p->arg, p) != 0)
		p->stop = 1;
	return p->stop ? -1 : 0;
}

int
progress_begin(struct progress *p, const char *what, const char *unit,
    uint64_t total)
{
	if (p == NULL)
		return 0;
	p->what = what;
	p->unit = unit;
	p->done = 0;
	p->total = total;
	return call_report(p);
}

int
progress_step(struct progress *p, uint64_t done)
{
	if (p == NULL)
		return 0;
	p->done = done;
	if (done % PROGRESS_EVERY != 0 && done != p->total)
		return p->stop ? -1 : 0;
	return call_report(p);
}

int
progress_poll(struct progress *p)
{
	return p == NULL ? 0 : call_report(p);
}

int
progress_stopping(const struct progress *p)
{
	return p != NULL && p->stop;
}

int
progress_stopped(struct err *e)
{
	return err_set(e, NULL, 0, 0, "Cancelled; nothing was changed.");
}

/* n with a comma every three digits: "1,234,567". */
static void
thousands(uint64_t n, char *buf, size_t len)
{
	char digits[24];
	int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	size_t o = 0;

	for (int i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* "2 s", "3 min 5 s", "1 h 2 min". */
static void
duration(double s, char *buf, size_t len)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);

	if (t < 60)
		snprintf(buf, len, "%lu s", t);
	else if (t < 3600)
		snprintf(buf, len, "%lu min %lu s", t / 60, t % 60);
	else
		snprintf(buf, len, "%lu h %lu min", t / 3600, t / 60 % 60);
}

/* A size: "512 bytes", "12.3 KB", "45.6 MB", "1.2 GB" (powers of 1000,
 * as du -h --si and the rate beside it). */
static void
size_words(double n, char *buf, size_t len)
{
	if (n < 1000)
		snprintf(buf, len, "%.0f bytes", n);
	else if (n < 1e6)
		snprintf(buf, len, "%.1f KB", n / 1e3);
	else if (n < 1e9)
		snprintf(buf, len, "%.1f MB", n / 1e6);
	else
		snprintf(buf, len, "%.1f GB", n / 1e9);
}

/* An amount of the unit: "12,345 notes", or a size for bytes. */
static void
amount(const struct progress *p, uint64_t n, int with_unit, char *buf,
    size_t len)
{
	if (strcmp(p->unit, "bytes") == 0)
		size_words((double)n, buf, len);
	else if (with_unit) {
		char num[32];

		thousands(n, num, sizeof num);
		snprintf(buf, len, "%s %s", num, p->unit);
	} else
		thousands(n, buf, len);
}

size_t
progress_format(const struct progress *p, double elapsed_s, char *buf,
    size_t len)
{
	char done[40], total[40], rate[40], left[32];
	int n;

	if (len == 0)
		return 0;
	if (p->total == 0 && p->done == 0) {
		/* Work with nothing to count (SQLite's quick_check): its
		 * name alone, not "0 bytes". */
		n = snprintf(buf, len, "%s", p->what);
		return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
	}
	if (p->total > 0) {
		/* "3 of 8 versions", "1.2 MB of 5.0 MB". */
		amount(p, p->done, 0, done, sizeof done);
		amount(p, p->total, 1, total, sizeof total);
		n = snprintf(buf, len, "%s: %s of %s (%llu%%)", p->what,
		    done, total,
		    (unsigned long long)(p->done >= p->total ? 100 :
		    p->done * 100 / p->total));
	} else {
		amount(p, p->done, 1, done, sizeof done);
		n = snprintf(buf, len, "%s: %s", p->what, done);
	}
	if (n < 0 || (size_t)n >= len)
		return n < 0 ? 0 : len - 1;
	/* A rate from less than a tenth of a second would be noise. */
	if (elapsed_s >= 0.1 && p->done > 0) {
		double per_s = (double)p->done / elapsed_s;
		int m;

		if (strcmp(p->unit, "bytes") == 0)
			size_words(per_s, rate, sizeof rate);
		else
			thousands((uint64_t)(per_s + 0.5), rate, sizeof rate);
		m = snprintf(buf + n, len - (size_t)n, ", %s/s", rate);
		if (m > 0 && (size_t)m < len - (size_t)n)
			n += m;
		if (p->total > p->done) {
			duration((double)(p->total - p->done) / per_s, left,
			    sizeof left);
			m = snprintf(buf + n, len - (size_t)n, ", %s left",
			    left);
			if (m > 0 && (size_t)m < len - (size_t)n)
				n += m;
		}
	}
	return (size_t)n;
}
