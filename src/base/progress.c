/*
 * progress.c - how far a long operation is, and whether to stop it.
 *
 * The step is the hot path (once per note of a million-note import): it
 * stores a number and, one time in PROGRESS_EVERY, calls the report,
 * which may read a clock and draw.
 */
#include <stdio.h>

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

size_t
progress_format(const struct progress *p, double elapsed_s, char *buf,
    size_t len)
{
	char done[32], total[32], rate[32], left[32];
	int n;

	if (len == 0)
		return 0;
	thousands(p->done, done, sizeof done);
	if (p->total > 0) {
		thousands(p->total, total, sizeof total);
		n = snprintf(buf, len, "%s: %s of %s %s (%llu%%)", p->what,
		    done, total, p->unit,
		    (unsigned long long)(p->done >= p->total ? 100 :
		    p->done * 100 / p->total));
	} else
		n = snprintf(buf, len, "%s: %s %s", p->what, done, p->unit);
	if (n < 0 || (size_t)n >= len)
		return n < 0 ? 0 : len - 1;
	/* A rate from less than a tenth of a second would be noise. */
	if (elapsed_s >= 0.1 && p->done > 0) {
		double per_s = (double)p->done / elapsed_s;
		int m;

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
