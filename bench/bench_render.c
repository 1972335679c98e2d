/*
 * bench_render.c - render_field() over 100,000 fields of each kind.
 *
 * "plain field": the bundled deck's backs without a formula (prose);
 * "deck field": all ten backs of the bundled deck (prose with plain-text
 * formulas: "sum_x", "pi_ref", "||"); "inline LaTeX" and "display math":
 * LaTeX-heavy fields. All wrapped at 72 columns. Each figure is the median
 * of several runs of 100,000 fields, in microseconds of CPU time per
 * field, with the spread (fastest-slowest run). Run with `make
 * bench-render`; targets: plain < 2 us, display math < 20 us.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lemma/render/render.h"

#define FIELDS	100000
#define RUNS	7

static const char *const plain[] = {
	"Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average bits per token; perplexity exp(H(p,q)) is the effective vocabulary size the model is confused among at each step.",
	"Forward KL is mean-seeking \xE2\x80\x94 the student spreads mass wherever the teacher has mass, preserving all valid continuations. Reverse KL is mode-seeking \xE2\x80\x94 the student collapses to one mode and ignores other valid outputs.",
	"J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x)). Beta controls the trade-off between reward maximization and staying close to the reference policy.",
	"Temperature T > 1 softens the teacher's distribution before computing KL, spreading probability mass to non-top tokens. This gives the student richer signal about the teacher's beliefs beyond just the argmax.",
	"H(p) = -sum_x p(x) log p(x). Shannon's source coding theorem states H(p) is the minimum average bits needed to encode a message from distribution p \xE2\x80\x94 entropy equals optimal compression length.",
	"The model is mode-collapsing \xE2\x80\x94 assigning near-1.0 probability to one token at each step. This typically signals overfitting, too-high learning rate, or insufficient regularization (e.g., missing KL penalty in RLHF).",
	"DPO requires preference pairs (human or AI labels). GRPO exploits verifiable rewards \xE2\x80\x94 math correctness, code execution success \xE2\x80\x94 where a scalar signal is available without human labeling. For reasoning tasks, this signal is stronger and cheaper than preference data.",
	"KL(p||q) = sum_x p(x) log(p(x)/q(x)). If q(x)=0 and p(x)>0, the term diverges to infinity \xE2\x80\x94 KL is undefined (infinite). This is why language model training uses smoothed distributions and why vocabulary coverage matters.",
	"DPO loss = -log sigmoid(beta * (log pi(y_w)/pi_ref(y_w) - log pi(y_l)/pi_ref(y_l))), where y_w is preferred and y_l is dispreferred. It pushes the ratio higher for preferred completions and lower for dispreferred ones.",
	"Perplexity is tied directly to the information-theoretic loss and is benchmark-designer-independent. It measures compression quality without requiring task-specific choices, making it a clean model-quality signal for comparing pretraining runs.",
};

static const char *const inline_tex[] = {
	"The sigmoid is \\(\\sigma(z) = \\frac{1}{1+e^{-z}}\\) and its derivative \\(\\sigma'(z) = \\sigma(z)(1-\\sigma(z))\\).",
	"Entropy \\(H(p) = -\\sum_{x} p(x) \\log p(x)\\) and \\(D_{KL}(p \\| q) \\geq 0\\) for all \\(p, q\\).",
	"For \\(\\alpha \\in (0,1)\\), \\(\\mathbb{E}_{x \\sim p}[f(x)] \\leq \\sqrt{\\mathbb{E}[f(x)^2]}\\).",
	"The DPO objective \\(\\log \\sigma(\\beta \\log \\frac{\\pi_\\theta(y_w|x)}{\\pi_{\\text{ref}}(y_w|x)})\\).",
};

static const char *const display_tex[] = {
	"\\[\\sum_{i=1}^{n} x_i^2 = \\frac{n(n+1)(2n+1)}{6}\\]",
	"\\[\\mathcal{L}(\\theta) = -\\mathbb{E}_{(x, y_w, y_l)} \\left[ \\log \\sigma \\left( \\beta \\log \\frac{\\pi_\\theta(y_w|x)}{\\pi_{\\text{ref}}(y_w|x)} \\right) \\right]\\]",
	"\\[A = \\begin{bmatrix} a_{11} & a_{12} \\\\ a_{21} & a_{22} \\end{bmatrix}, \\quad \\det A = a_{11}a_{22} - a_{12}a_{21}\\]",
	"\\[\\int_{-\\infty}^{\\infty} e^{-x^2/2}\\,dx = \\sqrt{2\\pi}\\]",
	"\\[f(x) = \\begin{cases} \\frac{1}{2} & x < 0 \\\\ x^2 & \\text{otherwise} \\end{cases}\\]",
};

/* CPU time of this thread: the figures should not depend on what else the
 * machine is doing (builds run beside benchmarks on a shared box). */
static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench(const char *name, const char *const *fields, size_t n, int width)
{
	struct render_opts o = { width, 0, 0, 0, 0 };
	double runs[RUNS];
	size_t *len = calloc(n, sizeof *len);
	size_t i, lines = 0;
	int r;

	for (i = 0; i < n; i++)
		len[i] = strlen(fields[i]);
	/* Warm up: caches, the allocator's free lists, the CPU's clock. */
	for (i = 0; i < FIELDS / 10; i++)
		render_doc_free(render_field(fields[i % n], len[i % n], &o));
	for (r = 0; r < RUNS; r++) {
		double t0 = now_us();

		for (i = 0; i < FIELDS; i++) {
			struct render_doc *d = render_field(fields[i % n],
			    len[i % n], &o);

			lines += render_line_count(d);
			render_doc_free(d);
		}
		runs[r] = (now_us() - t0) / FIELDS;
	}
	qsort(runs, RUNS, sizeof runs[0], cmp_double);
	printf("render %s: %.2f us/field (median of %d runs of %d fields, "
	    "spread %.2f-%.2f)\n", name, runs[RUNS / 2], RUNS, FIELDS, runs[0],
	    runs[RUNS - 1]);
	if (lines == 0)
		printf("(no lines?)\n");
	free(len);
}

int
main(void)
{
	static const char *prose[5];

	/* The backs with nothing to convert: cards 1, 2, 4, 6 and 10. */
	prose[0] = plain[0];
	prose[1] = plain[1];
	prose[2] = plain[3];
	prose[3] = plain[5];
	prose[4] = plain[9];
	bench("plain field", prose, 5, 72);
	bench("deck field", plain, sizeof plain / sizeof plain[0], 72);
	bench("inline LaTeX", inline_tex, sizeof inline_tex / sizeof inline_tex[0],
	    72);
	bench("display math", display_tex,
	    sizeof display_tex / sizeof display_tex[0], 72);
	return 0;
}
