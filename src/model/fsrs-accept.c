/* fsrs-accept.c - see fsrs-accept.h. Moved from cmd-optimize.c so the deck
 * options' Optimize decides the same way. */
#include "config.h"

#include "lemma/model/fsrs-accept.h"

#include <stdio.h>
#include <string.h>

#include "lemma/base/err.h"
#include "lemma/model/fsrs.h"

void
fsrs_accept_text(const double *w, char *buf, size_t len)
{
	struct fsrs_params p;
	struct err e;
	size_t off = 0;

	for (int prec = 4; prec <= 6; prec += 2) {
		off = 0;
		for (int i = 0; i < FSRS_NPARAMS && off < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%.*f",
			    i ? ", " : "", prec, w[i]);
		fsrs_params_default(&p);
		if (fsrs_params_parse_weights(&p, buf, &e) == 0)
			return;
	}
}

void
fsrs_accept_round(double *w)
{
	struct fsrs_params p;
	struct err e;
	char text[1024];

	fsrs_accept_text(w, text, sizeof text);
	fsrs_params_default(&p);
	if (fsrs_params_parse_weights(&p, text, &e) == 0)
		memcpy(w, p.w, sizeof p.w);
}

int
fsrs_accept_keep(const double *cur, int steps, double cur_loss,
    double new_loss)
{
	struct fsrs_params p;
	struct fsrs_memory m = { 1.0, 1.0 }, out;
	struct err e;

	if (cur_loss > new_loss)
		return 0;
	if (steps <= 1)
		return 1;
	fsrs_params_default(&p);
	if (fsrs_params_set_weights(&p, cur, FSRS_NPARAMS, &e) < 0)
		return 1;
	fsrs_memory_next(&p, &m, 2, 1, &out);
	for (int i = 0; i < steps; i++) {
		struct fsrs_memory x = out;

		fsrs_memory_next(&p, &x, 0, 3, &out);
	}
	return out.s < 1.0;
}
