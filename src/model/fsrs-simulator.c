/*
 * fsrs-simulator.c - the workload simulator; see fsrs-simulator.h.
 *
 * fsrs-rs pops cards from a priority queue ordered by (due day, review
 * before new, difficulty). Every due day is a whole number, an interval is
 * at least a day and a card put off by a limit moves to the next day, so
 * the same order comes from one bucket of card numbers per day, sorted by
 * difficulty when its day comes, and new cards taken first in, first out
 * after the day's reviews. That is what this file does: no heap, and each
 * bucket is sorted once.
 */
#include "config.h"

#include "lemma/model/fsrs-simulator.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"

/* fsrs-rs's MAX_STEPS: same-day grades of one session at most. */
#define SIM_MAX_STEPS	5
/* fsrs-rs leaves out answer times of 20 minutes and more. */
#define SIM_MAX_MS	1200000
/* Smoothing: a figure from n rows weighs n / (SIM_PRIOR + n). */
#define SIM_PRIOR	50.0

void
fsrs_sim_config_default(struct fsrs_sim_config *c)
{
	/* fsrs-rs SimulatorConfig::default(): averages over its users. */
	static const struct fsrs_sim_config def = {
		.days = FSRS_SIM_DEFAULT_DAYS,
		.new_cards = 0,
		.new_limit = 9999,
		.review_limit = 9999,
		.new_ignores_review_limit = 1,
		.max_interval = FSRS_DEFAULT_MAX_IVL,
		.max_cost_per_day = HUGE_VAL,
		.learn_steps = 2,
		.relearn_steps = 1,
		.first_rating = { 0.24, 0.094, 0.495, 0.171 },
		.review_rating = { 0.224, 0.631, 0.145 },
		.learn_trans = {
			{ 0.3686, 0.0628, 0.5108, 0.0577 },
			{ 0.0442, 0.4553, 0.4457, 0.0549 },
			{ 0.0519, 0.047, 0.8462, 0.055 },
		},
		.relearn_trans = {
			{ 0.2157, 0.0643, 0.6595, 0.0604 },
			{ 0.05, 0.4638, 0.4475, 0.0387 },
			{ 0.1057, 0.1434, 0.7266, 0.0244 },
		},
		.cost = {
			{ 19.58, 18.79, 13.78, 10.71 },
			{ 19.38, 17.59, 12.38, 8.94 },
			{ 16.44, 15.25, 12.32, 8.03 },
		},
	};

	*c = def;
}

/* fsrs-rs's lerp(v0, v1, t): t of the measured, the rest the default. */
static double
pull(double measured, double def, double n)
{
	double wt = n / (SIM_PRIOR + n);

	return wt * measured + (1.0 - wt) * def;
}

/* Count the same-day rating transitions of one sequence. */
static void
count_transitions(const int *seq, size_t n, double counts[4][4])
{
	for (size_t i = 0; i + 1 < n; i++)
		counts[seq[i] - 1][seq[i + 1] - 1] += 1.0;
}

/* calculate_transitions (Laplace smoothing 1) and the pull toward the
 * defaults of each row, by its smoothed count. */
static void
set_transitions(double out[3][4], double counts[4][4])
{
	double def[3][4];

	memcpy(def, out, sizeof def);
	for (int i = 0; i < 3; i++) {
		double sum = 0;

		for (int j = 0; j < 4; j++)
			sum += counts[i][j] += 1.0;
		for (int j = 0; j < 4; j++)
			out[i][j] = pull(counts[i][j] / sum, def[i][j], sum);
	}
}

void
fsrs_sim_counts_init(struct fsrs_sim_counts *k)
{
	memset(k, 0, sizeof *k);
}

void
fsrs_sim_counts_add(struct fsrs_sim_counts *k,
    const struct fsrs_sim_log_row *rows, size_t n)
{
	int seq[SIM_MAX_STEPS * 8];

	for (size_t i = 0; i < n; ) {
		const struct fsrs_sim_log_row *first = NULL;
		size_t m = 0, j;

		/* One card's rows of one day: a session. */
		for (j = i; j < n && rows[j].card == rows[i].card &&
		    rows[j].day == rows[i].day; j++) {
			const struct fsrs_sim_log_row *r = &rows[j];

			if (r->ms <= 0 || r->ms >= SIM_MAX_MS || r->rating < 1 ||
			    r->rating > 4 || r->state < 0 || r->state > 2)
				continue;
			k->ms_sum[r->state][r->rating - 1] += r->ms;
			k->n[r->state][r->rating - 1] += 1;
			if (first == NULL)
				first = r;
			if (m < sizeof seq / sizeof seq[0])
				seq[m++] = r->rating;
		}
		i = j;
		if (first == NULL)
			continue;
		if (first->state == FSRS_SIM_LEARN) {
			k->learn_btn[first->rating - 1]++;
			count_transitions(seq, m, k->learn_trans);
		} else if (first->state == FSRS_SIM_REVIEW) {
			k->review_btn[first->rating - 1]++;
			if (first->rating == 1)
				count_transitions(seq, m, k->relearn_trans);
		}
	}
}

void
fsrs_sim_config_from_counts(struct fsrs_sim_config *c,
    const struct fsrs_sim_counts *k)
{
	struct fsrs_sim_config def;
	double learn_btn[4], review_btn[4], lt[4][4], rt[4][4], sum;

	fsrs_sim_config_default(&def);
	memcpy(learn_btn, k->learn_btn, sizeof learn_btn);
	memcpy(review_btn, k->review_btn, sizeof review_btn);
	memcpy(lt, k->learn_trans, sizeof lt);
	memcpy(rt, k->relearn_trans, sizeof rt);
	/* Costs: the mean whole milliseconds, as fsrs-rs's integer mean,
	 * pulled toward the default and rounded to 2 decimals. */
	for (int s = 0; s < 3; s++)
		for (int g = 0; g < 4; g++) {
			double mean = k->n[s][g] > 0 ?
			    floor(k->ms_sum[s][g] / k->n[s][g]) / 1000.0 : 0.0;

			c->cost[s][g] = round(pull(mean, def.cost[s][g],
			    k->n[s][g]) * 100.0) / 100.0;
		}
	/* fsrs-rs's placeholders where a button was never pressed. */
	if (learn_btn[0] + learn_btn[1] + learn_btn[2] + learn_btn[3] == 0)
		learn_btn[0] = learn_btn[1] = learn_btn[2] = learn_btn[3] = 1;
	if (review_btn[1] + review_btn[2] + review_btn[3] == 0)
		review_btn[1] = review_btn[2] = review_btn[3] = 1;
	sum = learn_btn[0] + learn_btn[1] + learn_btn[2] + learn_btn[3];
	for (int g = 0; g < 4; g++)
		c->first_rating[g] = pull(learn_btn[g] / sum,
		    def.first_rating[g], sum);
	sum = review_btn[1] + review_btn[2] + review_btn[3];
	for (int g = 0; g < 3; g++)
		c->review_rating[g] = pull(review_btn[g + 1] / sum,
		    def.review_rating[g], sum);
	memcpy(c->learn_trans, def.learn_trans, sizeof c->learn_trans);
	memcpy(c->relearn_trans, def.relearn_trans, sizeof c->relearn_trans);
	set_transitions(c->learn_trans, lt);
	set_transitions(c->relearn_trans, rt);
}

void
fsrs_sim_config_from_log(struct fsrs_sim_config *c,
    const struct fsrs_sim_log_row *rows, size_t n)
{
	struct fsrs_sim_counts k;

	fsrs_sim_counts_init(&k);
	fsrs_sim_counts_add(&k, rows, n);
	fsrs_sim_config_from_counts(c, &k);
}

/* ---- the run ------------------------------------------------------------ */

/* splitmix64: small, fast, and the same numbers on every machine. */
static uint64_t
rng_next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
rng_unit(uint64_t *x)
{
	return (double)(rng_next(x) >> 11) * 0x1.0p-53;
}

/* An index of p[0..n) drawn with those weights. */
static int
rng_pick(uint64_t *x, const double *p, int n)
{
	double sum = 0, u;

	for (int i = 0; i < n; i++)
		sum += p[i];
	u = rng_unit(x) * sum;
	for (int i = 0; i < n - 1; i++) {
		if (u < p[i])
			return i;
		u -= p[i];
	}
	return n - 1;
}

struct sim {
	const struct fsrs_sim_config *c;
	struct fsrs_params	 p;
	uint64_t		 rng;
	/* Per card. */
	double			*s, *d, *last;
	/* Per day: the cards due that day. */
	uint32_t		**due;
	size_t			*ndue, *capdue;
};

/* Same-day steps after a first grade (rating) or, rating 0, a lapse:
 * fsrs-rs memory_state_short_term. Updates s, d; returns the time. */
static double
short_term(struct sim *m, double *s, double *d, int rating, const double
    cost[4], const double trans[3][4], int steps)
{
	int consecutive = 0, max;
	double t = 0;

	if (rating == 0)
		rating = 1;
	else
		t = cost[rating - 1];
	max = rating > 2 ? (steps > 0 ? steps - 1 : 0) : steps;
	for (int i = 0; i < SIM_MAX_STEPS; i++) {
		if (consecutive >= max || rating >= 4)
			break;
		rating = rng_pick(&m->rng, trans[rating - 1], 4) + 1;
		*s = fsrs_stability_short_term(&m->p, *s, rating);
		*d = fsrs_next_difficulty(&m->p, *d, rating);
		t += cost[rating - 1];
		if (rating > 2)
			consecutive++;
		else if (rating == 1)
			consecutive = 0;
	}
	return t;
}

static void
put_due(struct sim *m, uint32_t card, long day)
{
	if (day < 0)
		day = 0;
	if (day >= m->c->days)
		return;		/* past the horizon: done */
	VEC_RESERVE(m->due[day], m->capdue[day], m->ndue[day] + 1, 16);
	m->due[day][m->ndue[day]++] = card;
}

/* Schedule card i, just graded on day t. */
static void
schedule(struct sim *m, uint32_t i, long t)
{
	/* fsrs_interval_exact, with the retention's factor prepared once. */
	double ivl = round(m->s[i] * m->p.ivl_modifier);

	if (ivl < 1)
		ivl = 1;
	if (ivl > m->c->max_interval)
		ivl = m->c->max_interval;
	m->last[i] = (double)t;
	put_due(m, i, t + (long)ivl);
}

struct keyed {
	int		key;
	uint32_t	card;
};

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->card < y->card ? -1 : x->card > y->card;
}

static int
check_config(double dr, const struct fsrs_sim_config *c, struct err *e)
{
	if (!(dr >= 0.5 && dr <= 0.999))
		return err_set(e, NULL, 0, 0, "desired retention %g is outside "
		    "0.50 .. 0.999", dr);
	if (c->days < 1 || c->days > FSRS_SIM_MAX_DAYS)
		return err_set(e, NULL, 0, 0, "days to simulate must be from 1 "
		    "to %d, not %d", FSRS_SIM_MAX_DAYS, c->days);
	if (c->new_limit < 0 || c->review_limit < 0 || c->max_interval < 1 ||
	    c->learn_steps < 0 || c->relearn_steps < 0)
		return err_set(e, NULL, 0, 0, "the limits, steps and maximum "
		    "interval must not be negative");
	return 0;
}

static int
params_for(struct fsrs_params *p, const double *w, double dr, int max_ivl,
    struct err *e)
{
	fsrs_params_default(p);
	if (fsrs_params_set_weights(p, w, FSRS_NPARAMS, e) < 0)
		return -1;
	p->desired_retention = dr;
	p->max_interval = max_ivl;
	fsrs_params_prepare(p);
	return 0;
}

int
fsrs_sim_run(const double *w, double dr, const struct fsrs_sim_config *c,
    const struct fsrs_sim_card *cards, size_t n, uint64_t seed,
    struct fsrs_sim_result *out, struct err *e)
{
	struct sim m;
	struct keyed *order = NULL;
	size_t ncap = 0, total, nnew, next_new;
	double cost = 0, mem = 0;
	uint64_t reviews = 0, learnt = 0;

	memset(out, 0, sizeof *out);
	if (check_config(dr, c, e) < 0)
		return -1;
	memset(&m, 0, sizeof m);
	m.c = c;
	m.rng = seed;
	if (params_for(&m.p, w, dr, c->max_interval, e) < 0)
		return -1;
	/* Only the new cards that the limit can reach are made. */
	nnew = c->new_cards;
	if (c->new_limit == 0)
		nnew = 0;
	else if (nnew / (size_t)c->new_limit >= (size_t)c->days)
		nnew = (size_t)c->new_limit * (size_t)c->days;
	total = n + nnew;
	m.s = xreallocarray(NULL, total ? total : 1, sizeof *m.s);
	m.d = xreallocarray(NULL, total ? total : 1, sizeof *m.d);
	m.last = xreallocarray(NULL, total ? total : 1, sizeof *m.last);
	m.due = xcalloc((size_t)c->days, sizeof *m.due);
	m.ndue = xcalloc((size_t)c->days, sizeof *m.ndue);
	m.capdue = xcalloc((size_t)c->days, sizeof *m.capdue);
	for (size_t i = 0; i < n; i++) {
		m.s[i] = cards[i].s;
		m.d[i] = cards[i].d;
		m.last[i] = cards[i].last;
		/* fsrs-rs's day_index: the due day cut toward 0. */
		put_due(&m, (uint32_t)i, cards[i].due < 0 ? 0 :
		    (long)cards[i].due);
	}
	next_new = n;
	for (long t = 0; t < c->days; t++) {
		size_t nd = m.ndue[t];
		long done_reviews = 0, done_new = 0;
		double day_cost = 0;

		VEC_RESERVE(order, ncap, nd, 64);
		for (size_t k = 0; k < nd; k++) {
			uint32_t i = m.due[t][k];

			order[k].key = (int)(m.d[i] * 100.0);
			order[k].card = i;
		}
		if (nd > 1)
			qsort(order, nd, sizeof *order, keyed_cmp);
		for (size_t k = 0; k < nd; k++) {
			uint32_t i = order[k].card;
			double r, st;
			int g;

			if (done_reviews + 1 > c->review_limit ||
			    day_cost > c->max_cost_per_day) {
				put_due(&m, i, t + 1);	/* put off a day */
				continue;
			}
			r = fsrs_retrievability(&m.p, (double)t - m.last[i],
			    m.s[i]);
			if (rng_unit(&m.rng) < r) {
				g = rng_pick(&m.rng, c->review_rating, 3) + 2;
				st = c->cost[FSRS_SIM_REVIEW][g - 1];
				m.s[i] = fsrs_stability_recall(&m.p, m.d[i],
				    m.s[i], r, g);
				m.d[i] = fsrs_next_difficulty(&m.p, m.d[i], g);
			} else {
				double cap = fsrs_lapse_cap(&m.p, m.s[i]);

				st = c->cost[FSRS_SIM_REVIEW][0];
				m.s[i] = fsrs_stability_forget(&m.p, m.d[i],
				    m.s[i], r);
				if (m.s[i] > cap)
					m.s[i] = cap;
				if (m.s[i] < FSRS_S_MIN)
					m.s[i] = FSRS_S_MIN;
				m.d[i] = fsrs_next_difficulty(&m.p, m.d[i], 1);
				st += short_term(&m, &m.s[i], &m.d[i], 0,
				    c->cost[FSRS_SIM_RELEARN], c->relearn_trans,
				    c->relearn_steps);
			}
			cost += st;
			day_cost += st;
			reviews++;
			done_reviews++;
			schedule(&m, i, t);
		}
		free(m.due[t]);
		m.due[t] = NULL;
		/* New cards after the day's reviews, in order. */
		while (next_new < total && done_new + 1 <= c->new_limit &&
		    day_cost <= c->max_cost_per_day &&
		    (c->new_ignores_review_limit ||
		    done_new + done_reviews + 1 <= c->review_limit)) {
			uint32_t i = (uint32_t)next_new++;
			int g = rng_pick(&m.rng, c->first_rating, 4) + 1;
			double st;

			m.s[i] = fsrs_init_stability(&m.p, g);
			m.d[i] = fsrs_init_difficulty(&m.p, g);
			st = short_term(&m, &m.s[i], &m.d[i], g,
			    c->cost[FSRS_SIM_LEARN], c->learn_trans,
			    c->learn_steps);
			cost += st;
			day_cost += st;
			learnt++;
			done_new++;
			schedule(&m, i, t);
		}
	}
	/* What is known on the last day: every studied card's R then. */
	for (size_t i = 0; i < next_new; i++)
		mem += fsrs_retrievability(&m.p, (double)(c->days - 1) -
		    m.last[i], m.s[i]);
	out->retention = dr;
	out->cost = cost;
	out->memorised = mem;
	out->reviews = reviews + learnt;
	out->learnt = learnt;
	out->minutes_per_day = cost / 60.0 / c->days;
	out->reviews_per_day = (double)(reviews + learnt) / c->days;
	free(order);
	free(m.s);
	free(m.d);
	free(m.last);
	free(m.due);
	free(m.ndue);
	free(m.capdue);
	return 0;
}

double
fsrs_sim_reviewless(const double *w, const struct fsrs_sim_config *c,
    const struct fsrs_sim_card *cards, size_t n)
{
	struct fsrs_params p;
	struct err e;
	double sum = 0;

	if (params_for(&p, w, FSRS_DEFAULT_RETENTION, FSRS_DEFAULT_MAX_IVL,
	    &e) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		sum += fsrs_retrievability(&p, c->days - cards[i].last,
		    cards[i].s);
	return sum;
}

/* The sweep's second thread: every other retention. Each run is its own
 * (same seed, own state), so the results are those of one thread. */
struct sweep {
	const double			*w;
	const struct fsrs_sim_config	*c;
	const struct fsrs_sim_card	*cards;
	size_t				 n;
	uint64_t			 seed;
	int				 lo, hi;
	struct fsrs_sim_result		*out;
	atomic_int			 stop, done;
	int				 rc;
	struct err			 e;
};

static void *
sweep_odd(void *arg)
{
	struct sweep *s = arg;

	err_clear(&s->e);
	for (int r = s->lo + 1; r <= s->hi && !atomic_load(&s->stop); r += 2) {
		if (fsrs_sim_run(s->w, r / 100.0, s->c, s->cards, s->n, s->seed,
		    &s->out[r - s->lo], &s->e) < 0) {
			s->rc = -1;
			break;
		}
		atomic_fetch_add(&s->done, 1);
	}
	return NULL;
}

int
fsrs_sim_sweep(const double *w, const struct fsrs_sim_config *c,
    const struct fsrs_sim_card *cards, size_t n, uint64_t seed, int lo,
    int hi, struct progress *p, struct fsrs_sim_result *out, struct err *e)
{
	struct sweep s;
	pthread_t th;
	int two, rc = 0;

	if (lo < 50 || hi > 99 || lo > hi)
		return err_set(e, NULL, 0, 0, "retentions %d%% .. %d%% are not "
		    "a range within 50%% .. 99%%", lo, hi);
	if (progress_begin(p, "Simulating", "retentions",
	    (uint64_t)(hi - lo + 1)) < 0)
		return progress_stopped(e);
	memset(&s, 0, sizeof s);
	s.w = w;
	s.c = c;
	s.cards = cards;
	s.n = n;
	s.seed = seed;
	s.lo = lo;
	s.hi = hi;
	s.out = out;
	atomic_init(&s.stop, 0);
	atomic_init(&s.done, 0);
	/* Two cores halve the wait; one thread does it all if the second
	 * cannot start. */
	two = hi > lo && pthread_create(&th, NULL, sweep_odd, &s) == 0;
	for (int r = lo; r <= hi; r += two ? 2 : 1) {
		if (fsrs_sim_run(w, r / 100.0, c, cards, n, seed, &out[r - lo],
		    e) < 0) {
			rc = -1;
			break;
		}
		atomic_fetch_add(&s.done, 1);
		if (p != NULL) {
			/* The second thread's runs count too. */
			p->done = (uint64_t)atomic_load(&s.done);
			if (progress_poll(p) < 0) {
				rc = progress_stopped(e);
				break;
			}
		}
	}
	if (two) {
		if (rc < 0)
			atomic_store(&s.stop, 1);
		pthread_join(th, NULL);
		if (rc == 0 && s.rc < 0) {
			*e = s.e;
			rc = -1;
		}
	}
	return rc;
}

int
fsrs_sim_best(const struct fsrs_sim_result *out, size_t n)
{
	int best = -1;
	double best_ratio = 0;

	for (size_t i = 0; i < n; i++) {
		double ratio;

		if (out[i].retention > 0.95 + 1e-9 ||
		    out[i].retention < 0.70 - 1e-9 || out[i].memorised <= 0)
			continue;
		ratio = out[i].cost / out[i].memorised;
		if (best < 0 || ratio < best_ratio) {
			best = (int)i;
			best_ratio = ratio;
		}
	}
	return best;
}
