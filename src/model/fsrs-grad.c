/*
 * fsrs-grad.c - forward and backward passes of the FSRS-6 model along one
 * card (fsrs-rs src/analytic.rs, card_column_loss_and_grad). See
 * fsrs-grad.h.
 *
 * The forward pass keeps, per review, what the backward pass needs (the
 * branch taken and its intermediate values), so the backward pass calls no
 * transcendental function it can avoid.
 */
#include <math.h>
#include <string.h>

#include "lemma/model/fsrs-grad.h"

#define S_MIN	FSRS_S_MIN
#define S_MAX	FSRS_S_MAX
#define D_MIN	1.0
#define D_MAX	10.0

enum branch { B_INIT, B_SHORT, B_FAIL, B_FLOOR, B_SUCCESS };

/* What the forward pass left for the backward pass, per review. */
struct step {
	double	 s, d;			/* clamped: what the formulas used */
	double	 r;			/* R(delta_t, s) */
	double	 base, ln_base;		/* 1 + t/s * factor, its log */
	double	 t;
	double	 x[5];			/* branch values, see step_forward */
	unsigned char branch, rating, flags;
};

/* Which clamps let the gradient through (PyTorch: inside or on a bound). */
#define F_PRE_S		0x01	/* the new S before its clamp */
#define F_MEAN_D	0x02	/* the new D before its clamp */
#define F_STATE_S	0x04	/* the S coming in */
#define F_STATE_D	0x08	/* the D coming in */
#define F_SHORT_RAW	0x10	/* the short-term multiplier was not floored */

struct rt {
	const double *w;
	double	 decay, factor, dfactor_ddecay;
	double	 exp_w8, floor_div, easy_d, exp_3w5;
};

static void
rt_init(struct rt *p, const double *w)
{
	double c = log(0.9), decay = -w[20], e;

	p->w = w;
	p->decay = decay;
	e = exp(c / decay);
	p->factor = e - 1.0;
	p->dfactor_ddecay = e * (-c / (decay * decay));
	p->exp_w8 = exp(w[8]);
	p->floor_div = exp(w[17] * w[18]);
	p->exp_3w5 = exp(3.0 * w[5]);
	p->easy_d = w[4] - p->exp_3w5 + 1.0;
}

static inline double
clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static inline void
curve_fwd(const struct rt *p, struct step *st, double t, double s)
{
	st->t = t > 0 ? t : 0;
	if (st->t == 0) {
		/* A same-day review (a third of a log is learning steps):
		 * R = 1, and nothing flows back through it. */
		st->base = 1.0;
		st->ln_base = 0.0;
		st->r = 1.0;
		return;
	}
	st->base = st->t / s * p->factor + 1.0;
	st->ln_base = log(st->base);
	st->r = exp(p->decay * st->ln_base);
}

/* dL/dS of the curve at (t, s) given dL/dR; adds dL/dw20. */
static inline double
curve_bwd(const struct rt *p, double t, double s, double r, double base,
    double ln_base, double g_r, double *gw)
{
	double db_ds, db_ddecay, dr_ddecay;

	if (g_r == 0.0)
		return 0.0;
	db_ds = -t * p->factor / (s * s);
	db_ddecay = t / s * p->dfactor_ddecay;
	dr_ddecay = r * (ln_base + p->decay / base * db_ddecay);
	gw[20] -= g_r * dr_ddecay;
	return g_r * r * p->decay / base * db_ds;
}

/* The transition of review (t, rating), the nth of the card. */
static inline void
step_forward(const struct rt *p, double *s_io, double *d_io, double t,
    int rating, size_t nth, struct step *st)
{
	const double *w = p->w;
	double s = clampd(*s_io, S_MIN, S_MAX), d = clampd(*d_io, D_MIN, D_MAX);
	double new_s, delta_d, next_d, mean_d;
	unsigned flags = 0;

	if (*s_io >= S_MIN && *s_io <= S_MAX)
		flags |= F_STATE_S;
	if (*d_io >= D_MIN && *d_io <= D_MAX)
		flags |= F_STATE_D;
	st->s = s;
	st->d = d;
	st->rating = (unsigned char)rating;
	if (nth == 0 && *s_io == 0.0) {
		st->branch = B_INIT;
		new_s = w[rating - 1];
		mean_d = w[4] - exp(w[5] * (rating - 1)) + 1.0;
		st->t = 0;
		st->r = 0;
		st->base = 1;
		st->ln_base = 0;
		goto out;
	}
	curve_fwd(p, st, t, s);
	if (t == 0) {
		/* x0: the raw multiplier, x1: the one used, x2: ln s */
		double ln_s = log(s);
		double raw = exp(w[17] * (rating - 3 + w[18]) - w[19] * ln_s);

		st->branch = B_SHORT;
		st->x[0] = raw;
		st->x[2] = ln_s;
		if (!(rating >= 2 && raw < 1.0))
			flags |= F_SHORT_RAW;
		st->x[1] = rating >= 2 && raw < 1.0 ? 1.0 : raw;
		new_s = s * st->x[1];
	} else if (rating == 1) {
		/* x0: d^-w12, x1: (s+1)^w13, x2: e^((1-r)w14), x3: ln d,
		 * x4: ln(s+1) */
		double raw, fl;

		st->x[3] = log(d);
		st->x[4] = log(s + 1.0);
		st->x[0] = exp(-w[12] * st->x[3]);
		st->x[1] = exp(w[13] * st->x[4]);
		st->x[2] = exp((1.0 - st->r) * w[14]);
		raw = w[11] * st->x[0] * (st->x[1] - 1.0) * st->x[2];
		fl = s / p->floor_div;
		if (fl < raw) {
			st->branch = B_FLOOR;
			new_s = fl;
		} else {
			st->branch = B_FAIL;
			new_s = raw;
		}
	} else {
		/* x0: s^-w9, x1: e^((1-r)w10) - 1, x2: ln s */
		double hp = rating == 2 ? w[15] : 1.0;
		double eb = rating == 4 ? w[16] : 1.0;

		st->branch = B_SUCCESS;
		st->x[2] = log(s);
		st->x[0] = exp(-w[9] * st->x[2]);
		st->x[1] = exp((1.0 - st->r) * w[10]) - 1.0;
		new_s = s * (p->exp_w8 * (11.0 - d) * st->x[0] * st->x[1] * hp *
		    eb + 1.0);
	}
	delta_d = -w[6] * (rating - 3);
	next_d = d + (10.0 - d) * delta_d / 9.0;
	mean_d = w[7] * (p->easy_d - next_d) + next_d;
out:
	if (new_s >= S_MIN && new_s <= S_MAX)
		flags |= F_PRE_S;
	if (mean_d >= D_MIN && mean_d <= D_MAX)
		flags |= F_MEAN_D;
	st->flags = (unsigned char)flags;
	*s_io = clampd(new_s, S_MIN, S_MAX);
	*d_io = clampd(mean_d, D_MIN, D_MAX);
}

/* Back through one transition: gradients of the state coming out in, of
 * the state coming in out; g_r_extra is dL/dR of this review's own
 * prediction. */
static inline void
step_backward(const struct rt *p, const struct step *st, double *g_s_io,
    double *g_d_io, double g_r_extra, double *gw)
{
	const double *w = p->w;
	double g_pre_s = st->flags & F_PRE_S ? *g_s_io : 0.0;
	double g_pre_d = *g_d_io;
	double g_s = 0, g_d = 0, g_r = g_r_extra;
	double s = st->s, d = st->d, r = st->r;
	int rating = st->rating;

	if (st->branch == B_INIT) {
		double g_raw_d = st->flags & F_MEAN_D ? g_pre_d : 0.0;

		gw[rating - 1] += g_pre_s;
		if (g_raw_d != 0.0) {
			double off = rating - 1;

			gw[4] += g_raw_d;
			gw[5] += g_raw_d * -off * exp(off * w[5]);
		}
		*g_s_io = 0;
		*g_d_io = 0;
		return;
	}
	if (g_pre_s != 0.0)
		switch (st->branch) {
		case B_SHORT:
			g_s += g_pre_s * st->x[1];
			if (st->flags & F_SHORT_RAW) {
				double g_raw = g_pre_s * s, raw = st->x[0];

				gw[17] += g_raw * raw * (rating - 3 + w[18]);
				gw[18] += g_raw * raw * w[17];
				gw[19] += g_raw * raw * -st->x[2];
				g_s += g_raw * raw * (-w[19] / s);
			}
			break;
		case B_FLOOR: {
			double fl = s / p->floor_div;

			gw[17] += g_pre_s * fl * -w[18];
			gw[18] += g_pre_s * fl * -w[17];
			g_s += g_pre_s / p->floor_div;
			break;
		}
		case B_FAIL: {
			double raw = w[11] * st->x[0] * (st->x[1] - 1.0) *
			    st->x[2];
			double k = g_pre_s * w[11] * st->x[0] * st->x[2] *
			    st->x[1];

			gw[11] += g_pre_s * raw / w[11];
			gw[12] += g_pre_s * raw * -st->x[3];
			gw[13] += k * st->x[4];
			gw[14] += g_pre_s * raw * (1.0 - r);
			g_s += k * w[13] / (s + 1.0);
			g_d += g_pre_s * raw * (-w[12] / d);
			g_r += g_pre_s * raw * -w[14];
			break;
		}
		case B_SUCCESS: {
			double hp = rating == 2 ? w[15] : 1.0;
			double eb = rating == 4 ? w[16] : 1.0;
			double a = p->exp_w8, b = 11.0 - d, cs = st->x[0];
			double e = st->x[1], inc = a * b * cs * e * hp * eb;
			double g_inc = g_pre_s * s;

			g_s += g_pre_s * (inc + 1.0) + g_inc * inc * (-w[9] / s);
			g_d += -(g_inc * a * cs * e * hp * eb);
			g_r += g_inc * a * b * cs * hp * eb * (-w[10] * (e + 1.0));
			gw[8] += g_inc * inc;
			gw[9] += g_inc * inc * -st->x[2];
			gw[10] += g_inc * a * b * cs * hp * eb * ((1.0 - r) *
			    (e + 1.0));
			if (rating == 2)
				gw[15] += g_inc * a * b * cs * e * eb;
			if (rating == 4)
				gw[16] += g_inc * a * b * cs * e * hp;
			break;
		}
		}
	/* The difficulty update (linear damping, then mean reversion). */
	if (g_pre_d != 0.0 && (st->flags & F_MEAN_D)) {
		double rm3 = rating - 3, delta_d = -w[6] * rm3;
		double next_d = d + (10.0 - d) * delta_d / 9.0;
		double g_next = g_pre_d * (1.0 - w[7]);

		gw[7] += g_pre_d * (p->easy_d - next_d);
		gw[4] += g_pre_d * w[7];
		gw[5] += g_pre_d * w[7] * -3.0 * p->exp_3w5;
		gw[6] += g_next * (10.0 - d) * -rm3 / 9.0;
		g_d += g_next * (1.0 - delta_d / 9.0);
	}
	g_s += curve_bwd(p, st->t, s, r, st->base, st->ln_base, g_r, gw);
	*g_s_io = st->flags & F_STATE_S ? g_s : 0.0;
	*g_d_io = st->flags & F_STATE_D ? g_d : 0.0;
}

/* Weighted BCE of prediction r_raw; *g gets dL/dr_raw (0 where the
 * probability clamp holds). */
static inline double
bce(double r_raw, int label, double weight, double *g)
{
	double r = clampd(r_raw, FSRS_P_MIN, 1.0 - FSRS_P_MIN);
	double loss = -(label ? log(r) : log(1.0 - r)) * weight;

	*g = r_raw > FSRS_P_MIN && r_raw < 1.0 - FSRS_P_MIN ?
	    -weight * (label ? 1.0 / r : -1.0 / (1.0 - r)) : 0.0;
	return loss;
}

double
fsrs_card_loss(const double *w, const struct fsrs_card_seq *c, double *grad)
{
	struct step steps[FSRS_GRAD_MAX_LEN];
	double g_r[FSRS_GRAD_MAX_LEN];
	struct rt p;
	double s = 0, d = 0, loss = 0, g_s = 0, g_d = 0;
	size_t n = c->n < FSRS_GRAD_MAX_LEN ? c->n : FSRS_GRAD_MAX_LEN;

	rt_init(&p, w);
	if (grad == NULL) {
		/* The loss alone: no trail to keep. */
		struct step st;
		double g;

		for (size_t i = 0; i < n; i++) {
			step_forward(&p, &s, &d, c->delta_t[i], c->rating[i], i,
			    &st);
			if (i > 0 && c->weight[i] != 0.0f)
				loss += bce(st.r, c->rating[i] > 1, c->weight[i],
				    &g);
		}
		return loss;
	}
	for (size_t i = 0; i < n; i++) {
		struct step *st = &steps[i];

		step_forward(&p, &s, &d, c->delta_t[i], c->rating[i], i, st);
		g_r[i] = 0;
		if (i > 0 && c->weight[i] != 0.0f)
			loss += bce(st->r, c->rating[i] > 1, c->weight[i],
			    &g_r[i]);
	}
	/* The last review is a target: its own transition feeds nothing
	 * later, so only its prediction's gradient flows back. */
	for (size_t i = n; i-- > 0;)
		step_backward(&p, &steps[i], &g_s, &g_d, g_r[i], grad);
	return loss;
}

void
fsrs_card_predict(const double *w, const uint8_t *rating,
    const uint32_t *delta_t, size_t n, double *p_out)
{
	struct rt p;
	struct step st;
	double s = 0, d = 0;

	rt_init(&p, w);
	for (size_t i = 0; i < n; i++) {
		step_forward(&p, &s, &d, delta_t[i], rating[i], i, &st);
		p_out[i] = st.r;
	}
}

double
fsrs_grad_curve(const double *w, double t, double s)
{
	struct rt p;
	struct step st;

	rt_init(&p, w);
	curve_fwd(&p, &st, t, s);
	return st.r;
}

void
fsrs_grad_state(const double *w, const uint8_t *rating,
    const uint32_t *delta_t, size_t k, double *s, double *d)
{
	struct rt p;
	struct step st;

	rt_init(&p, w);
	*s = 0;
	*d = 0;
	for (size_t i = 0; i < k; i++)
		step_forward(&p, s, d, delta_t[i], rating[i], i, &st);
}
