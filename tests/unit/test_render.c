/*
 * test_render.c - the renderer, table-driven.
 *
 * cases[]: input, width, profile, cloze, side, flags -> the expected lines
 * (render_doc_text(): lines joined by '\n', indents as spaces). It covers
 * the ten bundled cards, every formula construct, the false-hit list, the
 * ASCII fallback, cloze, HTML, control characters and wrapping.
 * style_cases[]: the same with style marks, "{BF:x}" = bold formula.
 * Then invariants over generated inputs: what the UI trusts about spans.
 *
 * `test_render --write-corpus DIR` writes the inputs as the fuzzer's seed
 * corpus (tests/fuzz/corpus/render), in fuzz_render.c's format.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <locale.h>
#include <wchar.h>

#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"
#include "lemma/render/render.h"
#include "render-int.h"

struct rcase {
	const char	*in;
	size_t		 len;
	int		 width, ascii, cloze, reveal;
	unsigned	 flags;
	const char	*want;
};

static const struct rcase cases[] = {
	/* deck */
	{ "State the relationship between cross-entropy and perplexity.", 60, 0, 0, 0, 0, 0,
	    "State the relationship between cross-entropy and perplexity." },
	{ "Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average bits per token; perplexity exp(H(p,q)) is the effective vocabulary size the model is confused among at each step.", 184, 0, 0, 0, 0, 0,
	    "Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average bits per token; perplexity exp(H(p,q)) is the effective vocabulary size the model is confused among at each step." },
	{ "Why is forward KL (KL(teacher||student)) preferred over reverse KL in knowledge distillation?", 93, 0, 0, 0, 0, 0,
	    "Why is forward KL (KL(teacher‖student)) preferred over reverse KL in knowledge distillation?" },
	{ "Forward KL is mean-seeking — the student spreads mass wherever the teacher has mass, preserving all valid continuations. Reverse KL is mode-seeking — the student collapses to one mode and ignores other valid outputs.", 220, 0, 0, 0, 0, 0,
	    "Forward KL is mean-seeking — the student spreads mass wherever the teacher has mass, preserving all valid continuations. Reverse KL is mode-seeking — the student collapses to one mode and ignores other valid outputs." },
	{ "Write the RLHF objective including the KL penalty term.", 55, 0, 0, 0, 0, 0,
	    "Write the RLHF objective including the KL penalty term." },
	{ "J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x)). Beta controls the trade-off between reward maximization and staying close to the reference policy.", 152, 0, 0, 0, 0, 0,
	    "J = E_π[r(y|x)] - β · KL(π(y|x) ‖ π_ref(y|x)). Beta controls the trade-off between reward maximization and staying close to the reference policy." },
	{ "What is the role of temperature in distillation soft targets?", 61, 0, 0, 0, 0, 0,
	    "What is the role of temperature in distillation soft targets?" },
	{ "Temperature T > 1 softens the teacher's distribution before computing KL, spreading probability mass to non-top tokens. This gives the student richer signal about the teacher's beliefs beyond just the argmax.", 208, 0, 0, 0, 0, 0,
	    "Temperature T > 1 softens the teacher's distribution before computing KL, spreading probability mass to non-top tokens. This gives the student richer signal about the teacher's beliefs beyond just the argmax." },
	{ "Define Shannon entropy and its relationship to compression.", 59, 0, 0, 0, 0, 0,
	    "Define Shannon entropy and its relationship to compression." },
	{ "H(p) = -sum_x p(x) log p(x). Shannon's source coding theorem states H(p) is the minimum average bits needed to encode a message from distribution p — entropy equals optimal compression length.", 194, 0, 0, 0, 0, 0,
	    "H(p) = −Σₓ p(x) log p(x). Shannon's source coding theorem states H(p) is the minimum average bits needed to encode a message from distribution p — entropy equals optimal compression length." },
	{ "What does it mean operationally if a language model's output entropy collapses during fine-tuning?", 98, 0, 0, 0, 0, 0,
	    "What does it mean operationally if a language model's output entropy collapses during fine-tuning?" },
	{ "The model is mode-collapsing — assigning near-1.0 probability to one token at each step. This typically signals overfitting, too-high learning rate, or insufficient regularization (e.g., missing KL penalty in RLHF).", 217, 0, 0, 0, 0, 0,
	    "The model is mode-collapsing — assigning near-1.0 probability to one token at each step. This typically signals overfitting, too-high learning rate, or insufficient regularization (e.g., missing KL penalty in RLHF)." },
	{ "Why did GRPO (DeepSeek-R1-Zero, January 2025) bring RL back after DPO had largely replaced it?", 94, 0, 0, 0, 0, 0,
	    "Why did GRPO (DeepSeek-R1-Zero, January 2025) bring RL back after DPO had largely replaced it?" },
	{ "DPO requires preference pairs (human or AI labels). GRPO exploits verifiable rewards — math correctness, code execution success — where a scalar signal is available without human labeling. For reasoning tasks, this signal is stronger and cheaper than preference data.", 271, 0, 0, 0, 0, 0,
	    "DPO requires preference pairs (human or AI labels). GRPO exploits verifiable rewards — math correctness, code execution success — where a scalar signal is available without human labeling. For reasoning tasks, this signal is stronger and cheaper than preference data." },
	{ "What is KL(p||q) and what happens when q assigns zero probability to something p assigns positive probability?", 110, 0, 0, 0, 0, 0,
	    "What is KL(p‖q) and what happens when q assigns zero probability to something p assigns positive probability?" },
	{ "KL(p||q) = sum_x p(x) log(p(x)/q(x)). If q(x)=0 and p(x)>0, the term diverges to infinity — KL is undefined (infinite). This is why language model training uses smoothed distributions and why vocabulary coverage matters.", 222, 0, 0, 0, 0, 0,
	    "KL(p‖q) = Σₓ p(x) log(p(x)/q(x)). If q(x)=0 and p(x)>0, the term diverges to infinity — KL is undefined (infinite). This is why language model training uses smoothed distributions and why vocabulary coverage matters." },
	{ "How does the DPO loss use the log policy ratio?", 47, 0, 0, 0, 0, 0,
	    "How does the DPO loss use the log policy ratio?" },
	{ "DPO loss = -log sigmoid(beta * (log pi(y_w)/pi_ref(y_w) - log pi(y_l)/pi_ref(y_l))), where y_w is preferred and y_l is dispreferred. It pushes the ratio higher for preferred completions and lower for dispreferred ones.", 218, 0, 0, 0, 0, 0,
	    "DPO loss = -log sigmoid(β · (log π(y_w)/π_ref(y_w) - log π(y_l)/π_ref(y_l))), where y_w is preferred and y_l is dispreferred. It pushes the ratio higher for preferred completions and lower for dispreferred ones." },
	{ "Why is perplexity still reported in 2025 despite better downstream benchmarks?", 78, 0, 0, 0, 0, 0,
	    "Why is perplexity still reported in 2025 despite better downstream benchmarks?" },
	{ "Perplexity is tied directly to the information-theoretic loss and is benchmark-designer-independent. It measures compression quality without requiring task-specific choices, making it a clean model-quality signal for comparing pretraining runs.", 244, 0, 0, 0, 0, 0,
	    "Perplexity is tied directly to the information-theoretic loss and is benchmark-designer-independent. It measures compression quality without requiring task-specific choices, making it a clean model-quality signal for comparing pretraining runs." },
	/* deckwrap */
	{ "Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average bits per token; perplexity exp(H(p,q)) is the effective vocabulary size the model is confused among at each step.", 184, 60, 0, 0, 0, 0,
	    "Perplexity = exp(cross-entropy). Cross-entropy H(p,q)\nmeasures average bits per token; perplexity exp(H(p,q)) is\nthe effective vocabulary size the model is confused among at\neach step." },
	{ "Forward KL is mean-seeking — the student spreads mass wherever the teacher has mass, preserving all valid continuations. Reverse KL is mode-seeking — the student collapses to one mode and ignores other valid outputs.", 220, 60, 0, 0, 0, 0,
	    "Forward KL is mean-seeking — the student spreads mass\nwherever the teacher has mass, preserving all valid\ncontinuations. Reverse KL is mode-seeking — the student\ncollapses to one mode and ignores other valid outputs." },
	{ "J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x)). Beta controls the trade-off between reward maximization and staying close to the reference policy.", 152, 60, 0, 0, 0, 0,
	    "J = E_π[r(y|x)] - β · KL(π(y|x) ‖ π_ref(y|x)). Beta controls\nthe trade-off between reward maximization and staying close\nto the reference policy." },
	{ "Temperature T > 1 softens the teacher's distribution before computing KL, spreading probability mass to non-top tokens. This gives the student richer signal about the teacher's beliefs beyond just the argmax.", 208, 60, 0, 0, 0, 0,
	    "Temperature T > 1 softens the teacher's distribution before\ncomputing KL, spreading probability mass to non-top tokens.\nThis gives the student richer signal about the teacher's\nbeliefs beyond just the argmax." },
	{ "H(p) = -sum_x p(x) log p(x). Shannon's source coding theorem states H(p) is the minimum average bits needed to encode a message from distribution p — entropy equals optimal compression length.", 194, 60, 0, 0, 0, 0,
	    "H(p) = −Σₓ p(x) log p(x). Shannon's source coding theorem\nstates H(p) is the minimum average bits needed to encode a\nmessage from distribution p — entropy equals optimal\ncompression length." },
	{ "The model is mode-collapsing — assigning near-1.0 probability to one token at each step. This typically signals overfitting, too-high learning rate, or insufficient regularization (e.g., missing KL penalty in RLHF).", 217, 60, 0, 0, 0, 0,
	    "The model is mode-collapsing — assigning near-1.0\nprobability to one token at each step. This typically\nsignals overfitting, too-high learning rate, or insufficient\nregularization (e.g., missing KL penalty in RLHF)." },
	{ "DPO requires preference pairs (human or AI labels). GRPO exploits verifiable rewards — math correctness, code execution success — where a scalar signal is available without human labeling. For reasoning tasks, this signal is stronger and cheaper than preference data.", 271, 60, 0, 0, 0, 0,
	    "DPO requires preference pairs (human or AI labels). GRPO\nexploits verifiable rewards — math correctness, code\nexecution success — where a scalar signal is available\nwithout human labeling. For reasoning tasks, this signal is\nstronger and cheaper than preference data." },
	{ "KL(p||q) = sum_x p(x) log(p(x)/q(x)). If q(x)=0 and p(x)>0, the term diverges to infinity — KL is undefined (infinite). This is why language model training uses smoothed distributions and why vocabulary coverage matters.", 222, 60, 0, 0, 0, 0,
	    "KL(p‖q) = Σₓ p(x) log(p(x)/q(x)). If q(x)=0 and p(x)>0, the\nterm diverges to infinity — KL is undefined (infinite). This\nis why language model training uses smoothed distributions\nand why vocabulary coverage matters." },
	{ "DPO loss = -log sigmoid(beta * (log pi(y_w)/pi_ref(y_w) - log pi(y_l)/pi_ref(y_l))), where y_w is preferred and y_l is dispreferred. It pushes the ratio higher for preferred completions and lower for dispreferred ones.", 218, 60, 0, 0, 0, 0,
	    "DPO loss = -log sigmoid(β · (log π(y_w)/π_ref(y_w) - log\nπ(y_l)/π_ref(y_l))), where y_w is preferred and y_l is\ndispreferred. It pushes the ratio higher for preferred\ncompletions and lower for dispreferred ones." },
	{ "Perplexity is tied directly to the information-theoretic loss and is benchmark-designer-independent. It measures compression quality without requiring task-specific choices, making it a clean model-quality signal for comparing pretraining runs.", 244, 60, 0, 0, 0, 0,
	    "Perplexity is tied directly to the information-theoretic\nloss and is benchmark-designer-independent. It measures\ncompression quality without requiring task-specific choices,\nmaking it a clean model-quality signal for comparing\npretraining runs." },
	/* deckascii */
	{ "Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average bits per token; perplexity exp(H(p,q)) is the effective vocabulary size the model is confused among at each step.", 184, 0, 1, 0, 0, 0,
	    "Perplexity = exp(cross-entropy). Cross-entropy H(p,q) measures average bits per token; perplexity exp(H(p,q)) is the effective vocabulary size the model is confused among at each step." },
	{ "Forward KL is mean-seeking — the student spreads mass wherever the teacher has mass, preserving all valid continuations. Reverse KL is mode-seeking — the student collapses to one mode and ignores other valid outputs.", 220, 0, 1, 0, 0, 0,
	    "Forward KL is mean-seeking -- the student spreads mass wherever the teacher has mass, preserving all valid continuations. Reverse KL is mode-seeking -- the student collapses to one mode and ignores other valid outputs." },
	{ "J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x)). Beta controls the trade-off between reward maximization and staying close to the reference policy.", 152, 0, 1, 0, 0, 0,
	    "J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x)). Beta controls the trade-off between reward maximization and staying close to the reference policy." },
	{ "Temperature T > 1 softens the teacher's distribution before computing KL, spreading probability mass to non-top tokens. This gives the student richer signal about the teacher's beliefs beyond just the argmax.", 208, 0, 1, 0, 0, 0,
	    "Temperature T > 1 softens the teacher's distribution before computing KL, spreading probability mass to non-top tokens. This gives the student richer signal about the teacher's beliefs beyond just the argmax." },
	/* amath */
	{ "sum_x p(x)", 10, 0, 0, 0, 0, 0,
	    "Σₓ p(x)" },
	{ "H(p) = -sum_x p(x) log p(x)", 27, 0, 0, 0, 0, 0,
	    "H(p) = −Σₓ p(x) log p(x)" },
	{ "prod_i x_i", 10, 0, 0, 0, 0, 0,
	    "Πᵢ xᵢ" },
	{ "int_0^1 f(x) dx", 15, 0, 0, 0, 0, 0,
	    "∫₀¹ f(x) dx" },
	{ "sqrt(2)", 7, 0, 0, 0, 0, 0,
	    "√2" },
	{ "sqrt(x^2+1)", 11, 0, 0, 0, 0, 0,
	    "√(x²+1)" },
	{ "sqrt(pi)", 8, 0, 0, 0, 0, 0,
	    "√π" },
	{ "exp(x) and log(x)", 17, 0, 0, 0, 0, 0,
	    "exp(x) and log(x)" },
	{ "p||q", 4, 0, 0, 0, 0, 0,
	    "p‖q" },
	{ "a -> b", 6, 0, 0, 0, 0, 0,
	    "a → b" },
	{ "a => b", 6, 0, 0, 0, 0, 0,
	    "a ⇒ b" },
	{ "a <= b", 6, 0, 0, 0, 0, 0,
	    "a ≤ b" },
	{ "a >= b", 6, 0, 0, 0, 0, 0,
	    "a ≥ b" },
	{ "a != b", 6, 0, 0, 0, 0, 0,
	    "a ≠ b" },
	{ "a ~= b", 6, 0, 0, 0, 0, 0,
	    "a ≈ b" },
	{ "a +- b", 6, 0, 0, 0, 0, 0,
	    "a ± b" },
	{ "a <=> b", 7, 0, 0, 0, 0, 0,
	    "a ⇔ b" },
	{ "a <- b", 6, 0, 0, 0, 0, 0,
	    "a ← b" },
	{ "a <-> b", 7, 0, 0, 0, 0, 0,
	    "a ↔ b" },
	{ "alpha + beta", 12, 0, 0, 0, 0, 0,
	    "α + β" },
	{ "gamma(x)", 8, 0, 0, 0, 0, 0,
	    "γ(x)" },
	{ "delta_t", 7, 0, 0, 0, 0, 0,
	    "δₜ" },
	{ "epsilon = 0.1", 13, 0, 0, 0, 0, 0,
	    "ε = 0.1" },
	{ "theta_0", 7, 0, 0, 0, 0, 0,
	    "θ₀" },
	{ "lambda * x", 10, 0, 0, 0, 0, 0,
	    "λ · x" },
	{ "mu = 0", 6, 0, 0, 0, 0, 0,
	    "μ = 0" },
	{ "sigma^2", 7, 0, 0, 0, 0, 0,
	    "σ²" },
	{ "Sigma_x", 7, 0, 0, 0, 0, 0,
	    "Σₓ" },
	{ "pi(a|s)", 7, 0, 0, 0, 0, 0,
	    "π(a|s)" },
	{ "omega -> 0", 10, 0, 0, 0, 0, 0,
	    "ω → 0" },
	{ "tau > 0", 7, 0, 0, 0, 0, 0,
	    "τ > 0" },
	{ "phi(x)", 6, 0, 0, 0, 0, 0,
	    "φ(x)" },
	{ "psi = 1", 7, 0, 0, 0, 0, 0,
	    "ψ = 1" },
	{ "Omega = 2", 9, 0, 0, 0, 0, 0,
	    "Ω = 2" },
	{ "Gamma(n)", 8, 0, 0, 0, 0, 0,
	    "Γ(n)" },
	{ "Delta(x) = 1", 12, 0, 0, 0, 0, 0,
	    "Δ(x) = 1" },
	{ "x^2", 3, 0, 0, 0, 0, 0,
	    "x²" },
	{ "x^n", 3, 0, 0, 0, 0, 0,
	    "xⁿ" },
	{ "x_i", 3, 0, 0, 0, 0, 0,
	    "xᵢ" },
	{ "y_w", 3, 0, 0, 0, 0, 0,
	    "y_w" },
	{ "pi_ref", 6, 0, 0, 0, 0, 0,
	    "π_ref" },
	{ "x^T", 3, 0, 0, 0, 0, 0,
	    "xᵀ" },
	{ "x_{i+1}", 7, 0, 0, 0, 0, 0,
	    "xᵢ₊₁" },
	{ "x^{10}", 6, 0, 0, 0, 0, 0,
	    "x¹⁰" },
	{ "x_(i+1)", 7, 0, 0, 0, 0, 0,
	    "xᵢ₊₁" },
	{ "e^(-x)", 6, 0, 0, 0, 0, 0,
	    "e⁻ˣ" },
	{ "2^10", 4, 0, 0, 0, 0, 0,
	    "2¹⁰" },
	{ "10^-3", 5, 0, 0, 0, 0, 0,
	    "10⁻³" },
	{ "x_i^2", 5, 0, 0, 0, 0, 0,
	    "xᵢ²" },
	{ "a * b", 5, 0, 0, 0, 0, 0,
	    "a · b" },
	{ "2*sigma", 7, 0, 0, 0, 0, 0,
	    "2·σ" },
	{ "a*b", 3, 0, 0, 0, 0, 0,
	    "a*b" },
	{ "3 * 4", 5, 0, 0, 0, 0, 0,
	    "3 · 4" },
	{ "beta * KL", 9, 0, 0, 0, 0, 0,
	    "β · KL" },
	{ "n -> inf", 8, 0, 0, 0, 0, 0,
	    "n → ∞" },
	{ "x in [0, inf)", 13, 0, 0, 0, 0, 0,
	    "x in [0, ∞)" },
	{ "-inf < x", 8, 0, 0, 0, 0, 0,
	    "−∞ < x" },
	{ "max_x f(x)", 10, 0, 0, 0, 0, 0,
	    "maxₓ f(x)" },
	{ "argmax_y p(y)", 13, 0, 0, 0, 0, 0,
	    "argmax_y p(y)" },
	{ "log_2 n", 7, 0, 0, 0, 0, 0,
	    "log₂ n" },
	{ "E_pi[r]", 7, 0, 0, 0, 0, 0,
	    "E_π[r]" },
	{ "KL(p||q) >= 0", 13, 0, 0, 0, 0, 0,
	    "KL(p‖q) ≥ 0" },
	{ "f(alpha, beta)", 14, 0, 0, 0, 0, 0,
	    "f(α, β)" },
	{ "x_alpha", 7, 0, 0, 0, 0, 0,
	    "x_α" },
	{ "q_phi(z|x)", 10, 0, 0, 0, 0, 0,
	    "qᵩ(z|x)" },
	{ "p_theta(x)", 10, 0, 0, 0, 0, 0,
	    "p_θ(x)" },
	{ "x_i2", 4, 0, 0, 0, 0, 0,
	    "x_i2" },
	{ "x_1.5", 5, 0, 0, 0, 0, 0,
	    "x_1.5" },
	{ "e^(-x^2/2)", 10, 0, 0, 0, 0, 0,
	    "e^(-x²/2)" },
	{ "(1+1/n)^n", 9, 0, 0, 0, 0, 0,
	    "(1+1/n)ⁿ" },
	{ "mu +- 2*sigma", 13, 0, 0, 0, 0, 0,
	    "μ ± 2·σ" },
	{ "sum_(i=1)^n i", 13, 0, 0, 0, 0, 0,
	    "Σᵢ₌₁ⁿ i" },
	{ "sum_{i=1}^{n} i^2", 17, 0, 0, 0, 0, 0,
	    "Σᵢ₌₁ⁿ i²" },
	{ "a_b_c", 5, 0, 0, 0, 0, 0,
	    "a_b_c" },
	{ "x_i_j", 5, 0, 0, 0, 0, 0,
	    "xᵢⱼ" },
	{ "inf_x f(x)", 10, 0, 0, 0, 0, 0,
	    "infₓ f(x)" },
	{ "kappa_max", 9, 0, 0, 0, 0, 0,
	    "κ_max" },
	{ "theta <- theta - eta * grad", 27, 0, 0, 0, 0, 0,
	    "θ ← θ - η · grad" },
	{ "Var(X) = E[X^2] - E[X]^2", 24, 0, 0, 0, 0, 0,
	    "Var(X) = E[X²] - E[X]²" },
	{ "f: R^n -> R", 11, 0, 0, 0, 0, 0,
	    "f: Rⁿ → R" },
	{ "O(n^2) vs O(n log n)", 20, 0, 0, 0, 0, 0,
	    "O(n²) vs O(n log n)" },
	{ "sigma(x) = 1 / (1 + e^-x)", 25, 0, 0, 0, 0, 0,
	    "σ(x) = 1 / (1 + e⁻ˣ)" },
	{ "lim_(n -> inf) a_n", 18, 0, 0, 0, 0, 0,
	    "lim_(n → ∞) a_n" },
	/* false */
	{ "alphabet", 8, 0, 0, 0, 0, 0,
	    "alphabet" },
	{ "pipeline", 8, 0, 0, 0, 0, 0,
	    "pipeline" },
	{ "betamax", 7, 0, 0, 0, 0, 0,
	    "betamax" },
	{ "The data pipeline sorts the alphabet in order", 45, 0, 0, 0, 0, 0,
	    "The data pipeline sorts the alphabet in order" },
	{ "in sum, it works", 16, 0, 0, 0, 0, 0,
	    "in sum, it works" },
	{ "the sum of squares", 18, 0, 0, 0, 0, 0,
	    "the sum of squares" },
	{ "int x = 5;", 10, 0, 0, 0, 0, 0,
	    "int x = 5;" },
	{ "the sqrt of two", 15, 0, 0, 0, 0, 0,
	    "the sqrt of two" },
	{ "file_name.txt", 13, 0, 0, 0, 0, 0,
	    "file_name.txt" },
	{ "log_softmax", 11, 0, 0, 0, 0, 0,
	    "log_softmax" },
	{ "max_len = 512", 13, 0, 0, 0, 0, 0,
	    "max_len = 512" },
	{ "snake_case_id", 13, 0, 0, 0, 0, 0,
	    "snake_case_id" },
	{ "x_train and y_pred", 18, 0, 0, 0, 0, 0,
	    "x_train and y_pred" },
	{ "alpha_decay", 11, 0, 0, 0, 0, 0,
	    "alpha_decay" },
	{ "beta-testing the new beta release", 33, 0, 0, 0, 0, 0,
	    "beta-testing the new beta release" },
	{ "alpha, beta and gamma", 21, 0, 0, 0, 0, 0,
	    "alpha, beta and gamma" },
	{ "the software (beta) is out", 26, 0, 0, 0, 0, 0,
	    "the software (beta) is out" },
	{ "cross-entropy", 13, 0, 0, 0, 0, 0,
	    "cross-entropy" },
	{ "T > 1", 5, 0, 0, 0, 0, 0,
	    "T > 1" },
	{ "see https://example.com/a_b->c?x=1&y=2 now", 42, 0, 0, 0, 0, 0,
	    "see https://example.com/a_b->c?x=1&y=2 now" },
	{ "www.pi_ref.org", 14, 0, 0, 0, 0, 0,
	    "www.pi_ref.org" },
	{ "mailto:alpha@beta.com", 21, 0, 0, 0, 0, 0,
	    "mailto:alpha@beta.com" },
	{ "Sigma Chi, the pi club", 22, 0, 0, 0, 0, 0,
	    "Sigma Chi, the pi club" },
	{ "call `log_softmax(x)` here", 26, 0, 0, 0, 0, 0,
	    "call log_softmax(x) here" },
	{ "use `a || b` and `x->next`", 26, 0, 0, 0, 0, 0,
	    "use a || b and x->next" },
	{ "Raspberry Pi", 12, 0, 0, 0, 0, 0,
	    "Raspberry Pi" },
	{ "eta is the ETA", 14, 0, 0, 0, 0, 0,
	    "eta is the ETA" },
	{ "to infinity and beyond", 22, 0, 0, 0, 0, 0,
	    "to infinity and beyond" },
	{ "sigmoid(x)", 10, 0, 0, 0, 0, 0,
	    "sigmoid(x)" },
	{ "epsilonics", 10, 0, 0, 0, 0, 0,
	    "epsilonics" },
	{ "a-->b", 5, 0, 0, 0, 0, 0,
	    "a-->b" },
	{ "x <== y", 7, 0, 0, 0, 0, 0,
	    "x <== y" },
	{ "a === b", 7, 0, 0, 0, 0, 0,
	    "a === b" },
	{ "i++ and i+=1", 12, 0, 0, 0, 0, 0,
	    "i++ and i+=1" },
	{ "Use ``a ` b`` here", 18, 0, 0, 0, 0, 0,
	    "Use a ` b here" },
	{ "__init__", 8, 0, 0, 0, 0, 0,
	    "__init__" },
	{ "my_x_i", 6, 0, 0, 0, 0, 0,
	    "my_x_i" },
	{ "^_^", 3, 0, 0, 0, 0, 0,
	    "^_^" },
	{ "costs $5 and $10", 16, 0, 0, 0, 0, 0,
	    "costs $5 and $10" },
	{ "$HOME is set", 12, 0, 0, 0, 0, 0,
	    "$HOME is set" },
	{ "echo $HOME/$USER", 16, 0, 0, 0, 0, 0,
	    "echo $HOME/$USER" },
	{ "US$5 or $x$", 11, 0, 0, 0, 0, 0,
	    "US$5 or x" },
	{ "in", 2, 0, 0, 0, 0, 0,
	    "in" },
	{ "in in in", 8, 0, 0, 0, 0, 0,
	    "in in in" },
	{ "Sigma is a prefix", 17, 0, 0, 0, 0, 0,
	    "Sigma is a prefix" },
	/* latex */
	{ "\\(\\frac{a+b}{c}\\)", 17, 0, 0, 0, 0, 0,
	    "(a + b)/c" },
	{ "\\(\\frac{p(x)}{q(x)}\\)", 21, 0, 0, 0, 0, 0,
	    "p(x)/q(x)" },
	{ "\\(\\frac{1}{2}\\)", 15, 0, 0, 0, 0, 0,
	    "1/2" },
	{ "\\(\\sum_{i=1}^{n} x_i^2\\)", 24, 0, 0, 0, 0, 0,
	    "Σᵢ₌₁ⁿ xᵢ²" },
	{ "\\(\\sqrt{x}\\) and \\(\\sqrt{x^2+1}\\)", 33, 0, 0, 0, 0, 0,
	    "√x and √(x² + 1)" },
	{ "\\(\\sqrt[3]{x}\\)", 15, 0, 0, 0, 0, 0,
	    "∛x" },
	{ "\\(\\sqrt[n]{x}\\)", 15, 0, 0, 0, 0, 0,
	    "ⁿ√x" },
	{ "\\(\\mathbb{R}^n\\)", 16, 0, 0, 0, 0, 0,
	    "ℝⁿ" },
	{ "\\(\\mathbb{N} \\subset \\mathbb{Z}\\)", 33, 0, 0, 0, 0, 0,
	    "ℕ ⊂ ℤ" },
	{ "\\(\\alpha \\in (0,1)\\)", 20, 0, 0, 0, 0, 0,
	    "α ∈ (0, 1)" },
	{ "\\(\\mathbb{E}_{x \\sim p}[f(x)]\\)", 31, 0, 0, 0, 0, 0,
	    "E_(x∼p)[f(x)]" },
	{ "\\(\\hat{y}\\) vs \\(\\hat{x}\\)", 26, 0, 0, 0, 0, 0,
	    "ŷ vs x̂" },
	{ "\\(\\bar{x}\\) and \\(\\bar{a}\\)", 27, 0, 0, 0, 0, 0,
	    "x̄ and ā" },
	{ "\\(\\tilde{n}\\)", 13, 0, 0, 0, 0, 0,
	    "ñ" },
	{ "\\(\\vec{v}\\)", 11, 0, 0, 0, 0, 0,
	    "v⃗" },
	{ "\\(\\log p\\) \\(\\indent\\)", 22, 0, 0, 0, 0, 0,
	    "log p \\indent" },
	{ "\\(\\lim_{n\\to\\infty} (1+1/n)^n = e\\)", 35, 0, 0, 0, 0, 0,
	    "lim_(n→∞) (1 + 1/n)ⁿ = e" },
	{ "\\(\\langle x, y \\rangle\\)", 24, 0, 0, 0, 0, 0,
	    "⟨x, y⟩" },
	{ "\\(\\sigma(z) = \\frac{1}{1+e^{-z}}\\)", 34, 0, 0, 0, 0, 0,
	    "σ(z) = 1/(1 + e⁻ᶻ)" },
	{ "\\(q_\\phi(z|x)\\) vs \\(p_\\theta(x)\\)", 34, 0, 0, 0, 0, 0,
	    "qᵩ(z|x) vs p_θ(x)" },
	{ "\\(\\|w\\|_2^2\\)", 13, 0, 0, 0, 0, 0,
	    "‖w‖₂²" },
	{ "\\(\\pi_{\\text{ref}}\\)", 20, 0, 0, 0, 0, 0,
	    "π_ref" },
	{ "\\(\\nabla_\\theta J(\\theta)\\)", 27, 0, 0, 0, 0, 0,
	    "∇_θ J(θ)" },
	{ "\\(\\int_0^1 f(x)\\,dx\\)", 21, 0, 0, 0, 0, 0,
	    "∫₀¹ f(x) dx" },
	{ "\\(\\left( \\frac{1}{2} \\right)^{k}\\)", 34, 0, 0, 0, 0, 0,
	    "(1/2)ᵏ" },
	{ "\\(a \\cdot b \\times c \\pm d\\)", 28, 0, 0, 0, 0, 0,
	    "a · b × c ± d" },
	{ "\\(D_{KL}(p \\| q)\\)", 18, 0, 0, 0, 0, 0,
	    "D_KL(p‖q)" },
	{ "\\(x \\leq y \\geq z \\neq w\\)", 26, 0, 0, 0, 0, 0,
	    "x ≤ y ≥ z ≠ w" },
	{ "\\(A \\subset B \\in C\\)", 21, 0, 0, 0, 0, 0,
	    "A ⊂ B ∈ C" },
	{ "\\(\\infty \\partial \\nabla \\to\\)", 30, 0, 0, 0, 0, 0,
	    "∞∂∇ →" },
	{ "\\(\\mathcal{L}(\\theta)\\)", 23, 0, 0, 0, 0, 0,
	    "ℒ(θ)" },
	{ "\\(\\mathbf{x}^T \\mathbf{y}\\)", 27, 0, 0, 0, 0, 0,
	    "xᵀy" },
	{ "\\(\\text{if } x > 0\\)", 20, 0, 0, 0, 0, 0,
	    "if x > 0" },
	{ "\\(\\operatorname{softmax}(z)_i\\)", 31, 0, 0, 0, 0, 0,
	    "softmax(z)ᵢ" },
	{ "\\(\\prod_{k=1}^{K} p_k\\)", 23, 0, 0, 0, 0, 0,
	    "Πₖ₌₁ᴷ pₖ" },
	{ "\\(\\int_{-\\infty}^{\\infty} e^{-x^2} dx\\)", 39, 0, 0, 0, 0, 0,
	    "∫_(−∞)^∞ e^(−x²) dx" },
	{ "\\(\\left[ x \\right]\\)", 20, 0, 0, 0, 0, 0,
	    "[x]" },
	{ "\\(\\{1, 2\\}\\)", 12, 0, 0, 0, 0, 0,
	    "{1, 2}" },
	{ "\\(f'(x)\\)", 9, 0, 0, 0, 0, 0,
	    "f′(x)" },
	{ "\\(x_{ij}\\)", 10, 0, 0, 0, 0, 0,
	    "xᵢⱼ" },
	{ "\\(x^{2}_{1}\\)", 13, 0, 0, 0, 0, 0,
	    "x₁²" },
	{ "\\(-x\\)", 6, 0, 0, 0, 0, 0,
	    "−x" },
	{ "\\(a - b\\)", 9, 0, 0, 0, 0, 0,
	    "a − b" },
	{ "\\(a = -b\\)", 10, 0, 0, 0, 0, 0,
	    "a = −b" },
	{ "\\(\\foo{x}\\)", 11, 0, 0, 0, 0, 0,
	    "\\foo{x}" },
	{ "\\(\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}\\)", 48, 0, 0, 0, 0, 0,
	    "[1, 0; 0, 1]" },
	{ "\\(\\begin{pmatrix} a & b \\end{pmatrix}\\)", 39, 0, 0, 0, 0, 0,
	    "(a, b)" },
	{ "$x^2$", 5, 0, 0, 0, 0, 0,
	    "x²" },
	{ "$$x^2$$", 7, 0, 0, 0, 0, 0,
	    "x²" },
	{ "\\(\\alpha\\beta\\)", 15, 0, 0, 0, 0, 0,
	    "αβ" },
	{ "\\(\\ldots\\) \\(\\cdots\\)", 21, 0, 0, 0, 0, 0,
	    "… ⋯" },
	{ "\\(a \\mid b\\)", 12, 0, 0, 0, 0, 0,
	    "a | b" },
	{ "\\(\\color{red}{x}\\)", 18, 0, 0, 0, 0, 0,
	    "x" },
	{ "\\(\\unknown\\)", 12, 0, 0, 0, 0, 0,
	    "\\unknown" },
	{ "\\(x \\notin A\\)", 14, 0, 0, 0, 0, 0,
	    "x ∉ A" },
	{ "\\(\\not= \\)", 10, 0, 0, 0, 0, 0,
	    "≠" },
	{ "\\(\\binom{n}{k}\\)", 16, 0, 0, 0, 0, 0,
	    "C(n, k)" },
	{ "\\(e^{i\\pi} + 1 = 0\\)", 20, 0, 0, 0, 0, 0,
	    "e^iπ + 1 = 0" },
	{ "\\(x_{\\max}\\)", 12, 0, 0, 0, 0, 0,
	    "xₘₐₓ" },
	{ "\\(\\Pr(A|B)\\)", 12, 0, 0, 0, 0, 0,
	    "Pr(A|B)" },
	{ "\\(\\mathrm{d}x\\)", 15, 0, 0, 0, 0, 0,
	    "dx" },
	{ "\\(\\emptyset \\forall \\exists\\)", 29, 0, 0, 0, 0, 0,
	    "∅∀∃" },
	{ "\\(\\overline{AB}\\)", 17, 0, 0, 0, 0, 0,
	    "A̅B̅" },
	{ "\\(\\underline{x}\\)", 17, 0, 0, 0, 0, 0,
	    "x" },
	{ "\\(\\dot{x} \\ddot{x}\\)", 20, 0, 0, 0, 0, 0,
	    "ẋẍ" },
	{ "[$]x^2[/$]", 10, 0, 0, 0, 0, 0,
	    "x²" },
	{ "\\(x\\) and \\(y\\) and \\(z\\)", 25, 0, 0, 0, 0, 0,
	    "x and y and z" },
	{ "\\(\\)", 4, 0, 0, 0, 0, 0,
	    "" },
	{ "\\(x", 3, 0, 0, 0, 0, 0,
	    "\\(x" },
	{ "\\(\\frac{a}{b}", 13, 0, 0, 0, 0, 0,
	    "\\(\\frac{a}{b}" },
	{ "\\(\\left( x\\)", 12, 0, 0, 0, 0, 0,
	    "(x" },
	{ "\\(}\\)", 5, 0, 0, 0, 0, 0,
	    "}" },
	{ "\\(x^\\)", 6, 0, 0, 0, 0, 0,
	    "x" },
	{ "\\(\\sqrt\\)", 9, 0, 0, 0, 0, 0,
	    "√" },
	{ "\\(\\frac\\)", 9, 0, 0, 0, 0, 0,
	    "/" },
	{ "\\(\\begin{bmatrix}\\)", 19, 0, 0, 0, 0, 0,
	    "[]" },
	{ "\\(\\log_2 x\\)", 12, 0, 0, 0, 0, 0,
	    "log₂ x" },
	{ "\\(\\max_{x \\in X} f(x)\\)", 23, 0, 0, 0, 0, 0,
	    "max_(x∈X) f(x)" },
	{ "\\(\\int \\frac{dx}{x}\\)", 21, 0, 0, 0, 0, 0,
	    "∫ dx/x" },
	/* ascii */
	{ "\\(\\sum_{i=1}^{n} x_i^2\\)", 24, 0, 1, 0, 0, 0,
	    "sum_(i=1)^n x_i^2" },
	{ "\\(\\alpha \\in (0,1)\\)", 20, 0, 1, 0, 0, 0,
	    "alpha in (0, 1)" },
	{ "\\(\\hat{y}\\)", 11, 0, 1, 0, 0, 0,
	    "hat(y)" },
	{ "\\(\\sqrt{x^2+1}\\)", 16, 0, 1, 0, 0, 0,
	    "sqrt(x^2 + 1)" },
	{ "\\(\\mathbb{R}^n\\)", 16, 0, 1, 0, 0, 0,
	    "R^n" },
	{ "\\(\\|w\\|_2^2\\)", 13, 0, 1, 0, 0, 0,
	    "||w||_2^2" },
	{ "\\(\\lim_{n\\to\\infty} (1+1/n)^n = e\\)", 35, 0, 1, 0, 0, 0,
	    "lim_(n->inf) (1 + 1/n)^n = e" },
	{ "\\(\\langle x, y \\rangle\\)", 24, 0, 1, 0, 0, 0,
	    "<x, y>" },
	{ "\\(\\sigma(z) = \\frac{1}{1+e^{-z}}\\)", 34, 0, 1, 0, 0, 0,
	    "sigma(z) = 1/(1 + e^(-z))" },
	{ "\\(a \\leq b\\)", 12, 0, 1, 0, 0, 0,
	    "a <= b" },
	{ "\\[\\frac{a}{b}\\]", 15, 0, 1, 0, 0, 0,
	    " a\n---\n b" },
	{ "\\[\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}\\]", 48, 0, 1, 0, 0, 0,
	    "/a  b\\\n\\c  d/" },
	{ "\\(\\pi_{\\text{ref}}\\)", 20, 0, 1, 0, 0, 0,
	    "pi_ref" },
	{ "\\(x \\to \\infty\\)", 16, 0, 1, 0, 0, 0,
	    "x -> inf" },
	{ "H(p) = -sum_x p(x) — x", 24, 0, 1, 0, 0, 0,
	    "H(p) = -sum_x p(x) -- x" },
	{ "naïve café", 12, 0, 1, 0, 0, 0,
	    "naive cafe" },
	{ "日本語", 9, 0, 1, 0, 0, 0,
	    "?\??" },
	{ "a\033b", 3, 0, 1, 0, 0, 0,
	    "a^[b" },
	/* display */
	{ "\\[\\frac{a}{b}\\]", 15, 30, 0, 0, 0, 0,
	    "              a\n             ───\n              b" },
	{ "\\[\\frac{n(n+1)}{2}\\]", 20, 30, 0, 0, 0, 0,
	    "           n(n + 1)\n          ──────────\n              2" },
	{ "\\[\\sum_{i=1}^{n} x_i\\]", 22, 30, 0, 0, 0, 0,
	    "             n\n             Σ  xᵢ\n            i=1" },
	{ "\\[\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}\\]", 48, 30, 0, 0, 0, 0,
	    "            ⎡1  0⎤\n            ⎣0  1⎦" },
	{ "\\[\\begin{pmatrix} a \\\\ b \\end{pmatrix}\\]", 40, 30, 0, 0, 0, 0,
	    "             ⎛a⎞\n             ⎝b⎠" },
	{ "\\[\\left( \\frac{a}{b} \\right)^2\\]", 32, 30, 0, 0, 0, 0,
	    "            ⎛ a ⎞²\n            ⎜───⎟\n            ⎝ b ⎠" },
	{ "$$\\frac{1}{2}$$", 15, 30, 0, 0, 0, 0,
	    "              1\n             ───\n              2" },
	{ "\\[x = 1\\]", 9, 30, 0, 0, 0, 0,
	    "            x = 1" },
	{ "Text \\[x^2\\] more", 17, 30, 0, 0, 0, 0,
	    "Text\n              x²\nmore" },
	{ "\\[f(x) = \\begin{cases} 0 & x < 0 \\\\ 1 & \\text{else} \\end{cases}\\]", 65, 30, 0, 0, 0, 0,
	    "       f(x) = ⎧0  x < 0\n              ⎩1  else" },
	{ "\\[\\int_0^1 x\\,dx = \\frac{1}{2}\\]", 32, 30, 0, 0, 0, 0,
	    "                    1\n        ∫₀¹ x dx = ───\n                    2" },
	{ "\\[\\lim_{n \\to \\infty} a_n\\]", 27, 30, 0, 0, 0, 0,
	    "            lim aₙ\n            n→∞" },
	{ "\\[\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}\\]", 54, 30, 0, 0, 0, 0,
	    "          a = b + c\n          d = e" },
	{ "\\[\\frac{\\frac{1}{2}}{x}\\]", 25, 30, 0, 0, 0, 0,
	    "              1\n             ───\n              2\n            ─────\n              x" },
	{ "\\[\\binom{n}{k}\\]", 16, 30, 0, 0, 0, 0,
	    "             ⎛n⎞\n             ⎝k⎠" },
	{ "\\[\\sqrt{\\frac{a}{b}}\\]", 22, 30, 0, 0, 0, 0,
	    "             ⎛ a ⎞\n            √⎜───⎟\n             ⎝ b ⎠" },
	{ "[$$]\\frac{a}{b}[/$$]", 20, 30, 0, 0, 0, 0,
	    "              a\n             ───\n              b" },
	{ "\\[a \\\\ b\\]", 10, 30, 0, 0, 0, 0,
	    "              a\n              b" },
	{ "\\[\\frac{aaaaaaaaaa + bbbbbbbbbb}{c} = \\frac{dddddddddd + eeeeeeeeee}{f}\\]", 73, 20, 0, 0, 0, 0,
	    "(aaaaaaaaaa + bbbbbb\n     bbbb)/c =\n(dddddddddd + eeeeee\n      eeee)/f" },
	{ "\\[\\frac{a}{b}\\]", 15, 0, 0, 0, 0, RENDER_ONELINE,
	    "a/b" },
	{ "\\[ \\frac{\\partial L}{\\partial \\theta} = \\sum_{i} \\left( y_i - \\hat{y}_i \\right) x_i \\]", 86, 40, 0, 0, 0, 0,
	    "           ∂L\n          ──── = Σ (yᵢ − ŷᵢ)xᵢ\n           ∂θ    i" },
	{ "\\[\\begin{bmatrix} 1 & 2 & 3 \\\\ 4 & 5 & 6 \\end{bmatrix}\\]", 56, 20, 0, 0, 0, 0,
	    "     ⎡1  2  3⎤\n     ⎣4  5  6⎦" },
	/* cloze */
	{ "{{c1::Paris}} is in {{c2::France}}", 34, 0, 0, 1, 0, 0,
	    "[...] is in France" },
	{ "{{c1::Paris}} is in {{c2::France}}", 34, 0, 0, 1, 1, 0,
	    "Paris is in France" },
	{ "{{c1::Paris}} is in {{c2::France}}", 34, 0, 0, 2, 0, 0,
	    "Paris is in [...]" },
	{ "{{c1::Paris::city}} is nice", 27, 0, 0, 1, 0, 0,
	    "[city] is nice" },
	{ "{{c1::Paris::city}} is nice", 27, 0, 0, 1, 1, 0,
	    "Paris is nice" },
	{ "{{c1::Paris}} is nice", 21, 0, 0, 0, 0, 0,
	    "Paris is nice" },
	{ "{{c1::a {{c2::b}} c}}", 21, 0, 0, 1, 0, 0,
	    "[...]" },
	{ "{{c1::a {{c2::b}} c}}", 21, 0, 0, 2, 0, 0,
	    "a [...] c" },
	{ "{{c1::a {{c2::b}} c}}", 21, 0, 0, 2, 1, 0,
	    "a b c" },
	{ "{{c1::x}} and {{c1::y}}", 23, 0, 0, 1, 0, 0,
	    "[...] and [...]" },
	{ "{{c1::unclosed", 14, 0, 0, 1, 0, 0,
	    "{{c1::unclosed" },
	{ "{{c1::alpha}} + beta", 20, 0, 0, 1, 0, 0,
	    "[...] + β" },
	{ "\\(x^{ {{c1::2}} }\\)", 19, 0, 0, 1, 0, 0,
	    "x^([...])" },
	{ "\\(x^{ {{c1::2}} }\\)", 19, 0, 0, 1, 1, 0,
	    "x²" },
	{ "{{c1::x::a hint}}", 17, 0, 0, 1, 0, 0,
	    "[a hint]" },
	{ "{{c12::x}}", 10, 0, 0, 12, 0, 0,
	    "[...]" },
	{ "{{c1::}}", 8, 0, 0, 1, 0, 0,
	    "[...]" },
	{ "{{c::x}}", 8, 0, 0, 1, 0, 0,
	    "{{c::x}}" },
	/* issue 20: Anki's multi-card clozes, one card per listed number */
	{ "{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}", 52, 0, 0, 1, 0, 0,
	    "[...] and [...] vs second" },
	{ "{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}", 52, 0, 0, 2, 0, 0,
	    "[...] and first vs [...]" },
	{ "{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}", 52, 0, 0, 2, 1, 0,
	    "shared and first vs second" },
	{ "{{c1,2::answer::hint}}", 22, 0, 0, 2, 0, 0,
	    "[hint]" },
	{ "{{c1,,3::test}}", 15, 0, 0, 3, 0, 0,
	    "[...]" },
	{ "{{c1,,3::test}}", 15, 0, 0, 2, 0, 0,
	    "test" },
	{ "{{c,::x}}", 9, 0, 0, 1, 0, 0,
	    "{{c,::x}}" },
	/* image occlusion: the shape, not its coordinates */
	{ "{{c1::image-occlusion:rect:left=10.0:top=20:width=30:height=10}}", 64, 0, 0, 1, 0, 0,
	    "[image occlusion: rect]" },
	{ "{{c1::image-occlusion:text:left=10:top=20:text=\\:l\\\\ol\\::width=30}}", 67, 0, 0, 2, 0, 0,
	    "[image occlusion: text: :l\\ol:]" },
	/* Anki's legacy LaTeX tags */
	{ "[latex]x^2[/latex]", 18, 0, 0, 0, 0, 0,
	    "x²" },
	{ "[latex]area $\\pi r^2$[/latex] ok", 32, 0, 0, 0, 0, 0,
	    "area πr² ok" },
	/* html */
	{ "<b>bold</b> text", 16, 0, 0, 0, 0, RENDER_HTML,
	    "bold text" },
	{ "a<br>b", 6, 0, 0, 0, 0, RENDER_HTML,
	    "a\nb" },
	{ "a<br/>b<br />c", 14, 0, 0, 0, 0, RENDER_HTML,
	    "a\nb\nc" },
	{ "<div>one</div><div>two</div>", 28, 0, 0, 0, 0, RENDER_HTML,
	    "one\ntwo" },
	{ "<p>para</p><p>two</p>", 21, 0, 0, 0, 0, RENDER_HTML,
	    "para\ntwo" },
	{ "&lt;b&gt; &amp; &quot;q&quot;", 29, 0, 0, 0, 0, RENDER_HTML,
	    "<b> & \"q\"" },
	{ "x&nbsp;y", 8, 0, 0, 0, 0, RENDER_HTML,
	    "x y" },
	{ "&#65;&#x42;", 11, 0, 0, 0, 0, RENDER_HTML,
	    "AB" },
	{ "&#27;[31m", 9, 0, 0, 0, 0, RENDER_HTML,
	    "␛[31m" },
	{ "<i>it</i><u>u</u>", 17, 0, 0, 0, 0, RENDER_HTML,
	    "itu" },
	{ "<code>a_b -> c</code> d->e", 26, 0, 0, 0, 0, RENDER_HTML,
	    "a_b -> c d→e" },
	{ "<span style=\"color:red\">red</span>", 34, 0, 0, 0, 0, RENDER_HTML,
	    "red" },
	{ "<img src=\"x.png\">pic", 20, 0, 0, 0, 0, RENDER_HTML,
	    "[image: x.png]pic" },
	{ "<img alt=\"\" src=\"m/a\x1b.png\">", 27, 0, 0, 0, 0, RENDER_HTML,
	    "[image: a\xE2\x90\x9B.png]" },
	{ "<script>alert(1)</script>ok", 27, 0, 0, 0, 0, RENDER_HTML,
	    "ok" },
	{ "<!-- note -->after", 18, 0, 0, 0, 0, RENDER_HTML,
	    "after" },
	{ "a < b and c > d", 15, 0, 0, 0, 0, RENDER_HTML,
	    "a < b and c > d" },
	{ "<ul><li>one</li><li>two</li></ul>", 33, 0, 0, 0, 0, RENDER_HTML,
	    "• one\n• two" },
	{ "&bogus; &", 9, 0, 0, 0, 0, RENDER_HTML,
	    "&bogus; &" },
	/* issue 15: the HTML5 table, as deckfile and search decode it */
	{ "&alpha; &notin; &#128; &frac34 &ampx &#x80", 42, 0, 0, 0, 0, RENDER_HTML,
	    "α ∉ € ¾ &x €" },
	{ "<b>unclosed", 11, 0, 0, 0, 0, RENDER_HTML,
	    "unclosed" },
	{ "</b>stray", 9, 0, 0, 0, 0, RENDER_HTML,
	    "stray" },
	{ "x <= y", 6, 0, 0, 0, 0, RENDER_HTML,
	    "x ≤ y" },
	{ "<b>bold</b>", 11, 0, 0, 0, 0, 0,
	    "<b>bold</b>" },
	/* safety */
	{ "a\033[31mred\033[0m", 13, 0, 0, 0, 0, 0,
	    "a␛[31mred␛[0m" },
	{ "title\033]0;pwned\007x", 16, 0, 0, 0, 0, 0,
	    "title␛]0;pwned␇x" },
	{ "tab\there", 8, 0, 0, 0, 0, 0,
	    "tab here" },
	{ "cr\015lf", 5, 0, 0, 0, 0, 0,
	    "cr\nlf" },
	{ "crlf\015\nx", 7, 0, 0, 0, 0, 0,
	    "crlf\nx" },
	{ "del\177x", 5, 0, 0, 0, 0, 0,
	    "del␡x" },
	{ "nul\000x", 5, 0, 0, 0, 0, 0,
	    "nul␀x" },
	{ "bell\007", 5, 0, 0, 0, 0, 0,
	    "bell␇" },
	{ "bad \377\376 bytes", 12, 0, 0, 0, 0, 0,
	    "bad �� bytes" },
	{ "c1 \302\233 x", 7, 0, 0, 0, 0, 0,
	    "c1 � x" },
	{ "trunc \342\202", 8, 0, 0, 0, 0, 0,
	    "trunc ��" },
	{ "bidi \342\200\256evil", 12, 0, 0, 0, 0, 0,
	    "bidi evil" },
	{ "osc52 \033]52;c;aGVsbG8=\007", 22, 0, 0, 0, 0, 0,
	    "osc52 ␛]52;c;aGVsbG8=␇" },
	{ "bom\357\273\277x", 7, 0, 0, 0, 0, 0,
	    "bomx" },
	{ "ls\342\200\250ps", 7, 0, 0, 0, 0, 0,
	    "ls\nps" },
	{ "unassigned \363\240\200\200", 15, 0, 0, 0, 0, 0,
	    "unassigned �" },
	{ "over\300\257slash", 11, 0, 0, 0, 0, 0,
	    "over��slash" },
	{ "surrogate \355\240\200", 13, 0, 0, 0, 0, 0,
	    "surrogate ���" },
	{ "a\033[2Jb", 6, 0, 1, 0, 0, 0,
	    "a^[[2Jb" },
	{ "bad \377 x", 7, 0, 1, 0, 0, 0,
	    "bad ? x" },
	/* wrap */
	{ "the quick brown fox jumps over the lazy dog", 43, 10, 0, 0, 0, 0,
	    "the quick\nbrown fox\njumps over\nthe lazy\ndog" },
	{ "the quick brown fox jumps over the lazy dog", 43, 20, 0, 0, 0, 0,
	    "the quick brown fox\njumps over the lazy\ndog" },
	{ "supercalifragilistic", 20, 8, 0, 0, 0, 0,
	    "supercal\nifragili\nstic" },
	{ "日本語のテキストを折り返す", 39, 10, 0, 0, 0, 0,
	    "日本語のテ\nキストを折\nり返す" },
	{ "a 日本 b", 10, 4, 0, 0, 0, 0,
	    "a 日\n本 b" },
	{ "x̂ŷẑ abc", 13, 3, 0, 0, 0, 0,
	    "x̂ŷẑ\nabc" },
	{ "one  two", 8, 0, 0, 0, 0, 0,
	    "one  two" },
	{ "  indented line", 15, 20, 0, 0, 0, 0,
	    "  indented line" },
	{ "a\n\nb", 4, 10, 0, 0, 0, 0,
	    "a\n\nb" },
	{ "trailing   ", 11, 20, 0, 0, 0, 0,
	    "trailing" },
	{ "H(p) = -sum_x p(x) log p(x)", 27, 12, 0, 0, 0, 0,
	    "H(p) = −Σₓ\np(x) log\np(x)" },
	{ "see \\(\\frac{a+b}{c} = d + e\\) now", 33, 10, 0, 0, 0, 0,
	    "see\n(a + b)/c\n= d + e\nnow" },
	{ "https://example.com/a/very/long/path", 36, 12, 0, 0, 0, 0,
	    "https://exam\nple.com/a/ve\nry/long/path" },
	{ "word\n", 5, 10, 0, 0, 0, 0,
	    "word" },
	{ "\n\nx", 3, 10, 0, 0, 0, 0,
	    "\n\nx" },
	{ "ab cd", 5, 1, 0, 0, 0, 0,
	    "a\nb\nc\nd" },
	{ "日", 3, 1, 0, 0, 0, 0,
	    "日" },
	{ "`code with spaces` ok", 21, 8, 0, 0, 0, 0,
	    "code\nwith\nspaces\nok" },
	{ "é first", 9, 5, 0, 0, 0, 0,
	    "é\nfirst" },
	{ "́x", 3, 5, 0, 0, 0, 0,
	    "◌́x" },
	{ "one\ntwo three", 13, 0, 0, 0, 0, RENDER_ONELINE,
	    "one two three" },
	{ "x_1 y_2 z", 9, 0, 0, 0, 0, RENDER_NOMATH,
	    "x_1 y_2 z" },
};

struct scase {
	const char	*in;
	int		 width, ascii, cloze, reveal;
	unsigned	 flags;
	const char	*want;
};

/* Style letters: B bold, I italic, U underline, C code, F formula,
 * Z cloze, E error. */
static const struct scase style_cases[] = {
	{ "<b>bold</b> text", 0, 0, 0, 0, RENDER_HTML, "{B:bold} text" },
	{ "<i>a</i><u>b</u><code>c</code>", 0, 0, 0, 0, RENDER_HTML,
	    "{I:a}{U:b}{C:c}" },
	{ "<b>a<i>b</b>c</i>", 0, 0, 0, 0, RENDER_HTML, "{B:a}{BI:b}{I:c}" },
	{ "a\033b", 0, 0, 0, 0, 0, "a{E:␛}b" },
	{ "a\033b", 0, 1, 0, 0, 0, "a{E:^[}b" },
	{ "x \377", 0, 0, 0, 0, 0, "x {E:�}" },
	{ "{{c1::Paris}} is", 0, 0, 1, 0, 0, "{Z:[...]} is" },
	{ "{{c1::Paris}} is", 0, 0, 1, 1, 0, "{Z:Paris} is" },
	{ "{{c1::Paris::city}} is", 0, 0, 1, 0, 0, "{Z:[city]} is" },
	{ "{{c2::Paris}} is", 0, 0, 1, 0, 0, "Paris is" },
	{ "use `x_i` now", 0, 0, 0, 0, 0, "use {C:x_i} now" },
	{ "sum_x p(x)", 0, 0, 0, 0, 0, "{F:Σₓ} p(x)" },
	{ "J = E_pi[r]", 0, 0, 0, 0, 0, "J = {F:E_π[r]}" },
	{ "a -> b", 0, 0, 0, 0, 0, "a {F:→} b" },
	{ "\\(x\\) y", 0, 0, 0, 0, 0, "{F:x} y" },
	{ "\\(\\mathbf{x}\\)", 0, 0, 0, 0, 0, "{BF:x}" },
	{ "\\(\\underline{x}\\)", 0, 0, 0, 0, 0, "{UF:x}" },
	{ "\\(\\text{\\textbf{if}}\\)", 0, 0, 0, 0, 0, "{F:if}" },
	{ "\\(\\textbf{if}\\)", 0, 0, 0, 0, 0, "{BF:if}" },
	{ "\\(x^{ {{c1::2}} }\\)", 0, 0, 1, 1, 0, "{F:x}{FZ:²}" },
	{ "<b>\\(x\\)</b>", 0, 0, 0, 0, RENDER_HTML, "{BF:x}" },
	{ "<code>\\(x\\)</code>", 0, 0, 0, 0, RENDER_HTML, "{C:\\(x\\)}" },
	{ "\\(\\mathbb{R}\\)", 0, 1, 0, 0, 0, "{F:R}" },
};

static char *
styled(const struct render_doc *d)
{
	static const char letters[] = "BICUFZE";
	static const unsigned bits[] = { RENDER_BOLD, RENDER_ITALIC, RENDER_CODE,
	    RENDER_UNDERLINE, RENDER_FORMULA, RENDER_CLOZE, RENDER_ERROR };
	size_t i, k, cap = 4096, n = 0;
	char *out = malloc(cap);

	for (i = 0; i < render_line_count(d); i++) {
		const struct render_line *L = render_doc_line(d, i);

		if (i > 0)
			n += (size_t)snprintf(out + n, cap - n, "\n");
		for (k = 0; k < L->nspans; k++) {
			const struct render_span *sp = &L->spans[k];
			char tag[16];
			size_t t = 0, b;

			for (b = 0; b < 7; b++)
				if (sp->style & bits[b])
					tag[t++] = letters[b];
			tag[t] = '\0';
			if (t > 0)
				n += (size_t)snprintf(out + n, cap - n, "{%s:%.*s}",
				    tag, (int)sp->len, sp->text);
			else
				n += (size_t)snprintf(out + n, cap - n, "%.*s",
				    (int)sp->len, sp->text);
		}
	}
	out[n < cap ? n : cap - 1] = '\0';
	return out;
}

/* What the UI trusts about every span (render.h). */
static void
check_doc(const struct render_doc *d, const struct render_opts *o)
{
	size_t i, k, j;

	for (i = 0; i < render_line_count(d); i++) {
		const struct render_line *L = render_doc_line(d, i);
		int w = 0;

		for (k = 0; k < L->nspans; k++) {
			const struct render_span *sp = &L->spans[k];

			assert_true(sp->len > 0);
			assert_int_equal(utf8_invalid_offset(sp->text, sp->len),
			    (size_t)-1);
			for (j = 0; j < sp->len; j++) {
				unsigned char ch = (unsigned char)sp->text[j];

				assert_true(ch >= 0x20 && ch != 0x7F);
				if (o->ascii)
					assert_true(ch < 0x80);
				/* No C1 controls (U+0080-U+009F: C2 80-9F), no
				 * bidi overrides (E2 80 AA-AE). */
				if (ch == 0xC2 && j + 1 < sp->len)
					assert_true((unsigned char)sp->text[j + 1] >= 0xA0);
				if (ch == 0xE2 && j + 2 < sp->len &&
				    (unsigned char)sp->text[j + 1] == 0x80)
					assert_false((unsigned char)sp->text[j + 2] >= 0xAA &&
					    (unsigned char)sp->text[j + 2] <= 0xAE);
			}
			assert_int_equal(sp->width, render_width(sp->text, sp->len));
			w += sp->width;
		}
		assert_int_equal(w, L->width);
		assert_true(L->indent >= 0);
		if (o->width > 0)
			assert_true(L->indent + L->width <= (o->width > 2 ? o->width : 2));
	}
}

static void
test_render_cases(void **state)
{
	size_t i, fails = 0;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct rcase *c = &cases[i];
		struct render_opts o = { c->width, c->ascii, c->cloze, c->reveal,
		    c->flags };
		struct render_doc *d = render_field(c->in, c->len, &o);
		char *got = render_doc_text(d);

		check_doc(d, &o);
		if (strcmp(got, c->want) != 0) {
			print_error("case %zu: %s\n  want: %s\n  got:  %s\n", i, c->in,
			    c->want, got);
			fails++;
		}
		free(got);
		render_doc_free(d);
	}
	assert_int_equal(fails, 0);
}

static void
test_render_styles(void **state)
{
	size_t i, fails = 0;

	(void)state;
	for (i = 0; i < sizeof style_cases / sizeof style_cases[0]; i++) {
		const struct scase *c = &style_cases[i];
		struct render_opts o = { c->width, c->ascii, c->cloze, c->reveal,
		    c->flags };
		struct render_doc *d = render_field(c->in, strlen(c->in), &o);
		char *got = styled(d);

		if (strcmp(got, c->want) != 0) {
			print_error("style case %zu: %s\n  want: %s\n  got:  %s\n", i,
			    c->in, c->want, got);
			fails++;
		}
		free(got);
		render_doc_free(d);
	}
	assert_int_equal(fails, 0);
}

static void
test_render_lines(void **state)
{
	struct render_opts o = { 30, 0, 0, 0, 0 };
	struct render_doc *d;
	const struct render_line *L;

	(void)state;
	/* Display math: own lines, centred, flagged. */
	d = render_field("a \\[\\frac{x}{y}\\] b", 19, &o);
	assert_int_equal(render_line_count(d), 5);
	L = render_doc_line(d, 2);
	assert_true(L->flags & RENDER_LINE_DISPLAY);
	assert_int_equal(L->indent, 13);
	assert_int_equal(L->width, 3);
	assert_false(render_doc_line(d, 0)->flags & RENDER_LINE_DISPLAY);
	assert_null(render_doc_line(d, 5));
	assert_int_equal(render_doc_width(d), 16);
	render_doc_free(d);

	/* An empty field has no lines; NULL options are the defaults. */
	d = render_field("", 0, NULL);
	assert_int_equal(render_line_count(d), 0);
	render_doc_free(d);
	d = render_field(NULL, 5, &o);
	assert_int_equal(render_line_count(d), 0);
	render_doc_free(d);

	/* Embedded NUL is data, shown as a picture. */
	d = render_field("a\0b", 3, &o);
	assert_int_equal(render_doc_line(d, 0)->width, 3);
	render_doc_free(d);
}

static void
test_render_width(void **state)
{
	static const struct {
		const char	*s;
		int		 w;
	} cases_w[] = {
		{ "abc", 3 }, { "", 0 }, { "Σₓ", 2 }, { "日本", 4 },
		{ "x\xCC\x82", 1 }, { "⟨x⟩", 3 }, { "〈", 2 }, { "\033", 1 },
		{ "\377", 1 }, { "e\xCC\x81\xCC\x82", 1 }, { "🔥", 2 },
		{ "\xE2\x80\x8B", 0 }, { "ᵢ₌₁ⁿ", 4 }, { "─│⎛", 3 },
	};
	size_t i, n;
	int w;

	(void)state;
	for (i = 0; i < sizeof cases_w / sizeof cases_w[0]; i++)
		assert_int_equal(render_width(cases_w[i].s, strlen(cases_w[i].s)),
		    cases_w[i].w);
	assert_int_equal(render_cp_width(0x0302), 0);
	assert_int_equal(render_cp_width(0x4E00), 2);
	assert_int_equal(render_cp_width('a'), 1);
	assert_int_equal(render_cp_width(0x1B), -1);

	n = render_clip("ab日本", 8, 3, &w);
	assert_int_equal(n, 2);
	assert_int_equal(w, 2);
	n = render_clip("ab日本", 8, 4, &w);
	assert_int_equal(n, 5);
	assert_int_equal(w, 4);
	n = render_clip("x\xCC\x82y", 4, 1, &w);
	assert_int_equal(n, 3);	/* the mark stays with its base */
	assert_int_equal(w, 1);
	(void)render_locale_is_utf8();
}

static void
test_render_plain(void **state)
{
	struct render_opts o = { 0, 0, 0, 0, 0 };
	char *s;

	(void)state;
	s = render_plain("x^2 -> y", &o);
	assert_string_equal(s, "x² → y");
	free(s);
	o.ascii = 1;
	s = render_plain("\\(\\sum_x\\) -> y", &o);
	assert_string_equal(s, "sum_x -> y");
	free(s);
	s = render_plain(NULL, &o);
	assert_string_equal(s, "");
	free(s);
}

/* Generated inputs: fragments of every construct, glued at random. */
static void
test_render_invariants(void **state)
{
	static const char *const frag[] = {
		"\\frac{", "}{", "}", "{", "_", "^", "\\(", "\\)", "\\[", "\\]",
		"$", "$$", "`", "\033[2J", "\377", "\xC2\x9B", "日本", "x\xCC\x82",
		"{{c1::", "{{c2::", "::", "}}", "<b>", "</b>", "<br>", "&amp;",
		"&#27;", " ", "  ", "\n", "alpha", "sum_", "x", "(", ")", "\\left(",
		"\\right)", "\\begin{bmatrix}", "\\end{bmatrix}", "&", "\\\\",
		"\\sqrt[", "]", "->", "||", "*", "pi_ref", "http://a.b/c", "\\hat{",
		"\\mathbb{", "\\text{", "'", "-", "=", "\t", "\r", "\\", "\xE2\x80\xAE",
		"\\sum_{i=1}^{n}", "\\unknown", "<code>", "</code>", "\\begin{foo}",
		"[$$]", "[/$$]", "\xE2\x82",
	};
	uint32_t seed = 12345;
	int iter, k;

	(void)state;
	for (iter = 0; iter < 3000; iter++) {
		char buf[512];
		size_t n = 0;
		int parts;
		struct render_opts o;
		struct render_doc *d;
		char *t;

		seed = seed * 1103515245u + 12345u;
		parts = 1 + (int)((seed >> 16) % 24);
		for (k = 0; k < parts; k++) {
			const char *f;
			size_t l;

			seed = seed * 1103515245u + 12345u;
			f = frag[(seed >> 16) % (sizeof frag / sizeof frag[0])];
			l = strlen(f);
			if (n + l >= sizeof buf)
				break;
			memcpy(buf + n, f, l);
			n += l;
		}
		seed = seed * 1103515245u + 12345u;
		o.width = (int)((seed >> 16) % 40);
		o.ascii = (seed >> 8) & 1;
		o.cloze = (int)((seed >> 9) % 3);
		o.reveal = (seed >> 11) & 1;
		o.flags = ((seed >> 12) & 1 ? RENDER_HTML : 0) |
		    ((seed >> 13) % 8 == 0 ? RENDER_ONELINE : 0) |
		    ((seed >> 17) % 16 == 0 ? RENDER_NOMATH : 0);
		d = render_field(buf, n, &o);
		check_doc(d, &o);
		t = render_doc_text(d);
		free(t);
		render_doc_free(d);
	}
}

/* The seed corpus: opts byte-by-byte as fuzz_render.c reads them. */
static int
write_corpus(const char *dir)
{
	size_t i;
	char path[4096];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		FILE *f;
		unsigned char hdr[4];

		snprintf(path, sizeof path, "%s/case-%03zu", dir, i);
		if ((f = fopen(path, "wb")) == NULL) {
			perror(path);
			return 1;
		}
		hdr[0] = (unsigned char)cases[i].width;
		hdr[1] = (unsigned char)(cases[i].ascii | cases[i].reveal << 1 |
		    (cases[i].flags << 2));
		hdr[2] = (unsigned char)cases[i].cloze;
		hdr[3] = 0;
		fwrite(hdr, 1, 4, f);
		fwrite(cases[i].in, 1, cases[i].len, f);
		fclose(f);
	}
	return 0;
}

/* The LaTeX commands and environments are found by bsearch(), which
 * misses names silently in a table out of order. */
static void
test_latex_tables_sorted(void **state)
{
	const char *bad = rl_tables_unsorted();

	(void)state;
	if (bad != NULL)
		fail_msg("render-latex.c: %s is out of strcmp order (or "
		    "listed twice)", bad);
}

/*
 * Issue 15: one source of cell widths. The renderer and the full-screen
 * program (render_cell) count cells with the width table, and ncurses
 * places the cursor with the C library's wcwidth(): for every code point
 * the renderer can emit (one the table knows and termsafe lets through),
 * the running wcwidth() in a UTF-8 locale must agree, or the screen tears.
 * The code points where they differ are listed.
 */
static void
test_width_matches_wcwidth(void **state)
{
	size_t compared = 0, differ = 0;

	(void)state;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL &&
	    setlocale(LC_CTYPE, "en_US.UTF-8") == NULL) {
		print_message("# no UTF-8 locale here: widths not compared\n");
		return;
	}
	for (uint32_t cp = 0x20; cp <= 0x10FFFF; cp++) {
		int table = render_cp_width(cp), live;

		if (table < 0 || termsafe_class(cp, 1) != TERMSAFE_OK ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			continue;
		compared++;
		live = wcwidth((wchar_t)cp);
		if (live != table) {
			if (differ < 40)
				print_message("# U+%04X: table %d, wcwidth %d\n",
				    (unsigned)cp, table, live);
			differ++;
		}
	}
	setlocale(LC_CTYPE, "C");
	print_message("# %zu code points compared, %zu differ\n", compared,
	    differ);
	assert_true(compared > 100000);
	if (differ > 0)
		fail_msg("the width table and this C library's wcwidth() differ "
		    "on %zu code points", differ);
}

/* What the full-screen program draws and its cells: termsafe's stand-in,
 * the table's width. */
static void
test_render_cell(void **state)
{
	static const struct {
		uint32_t	 cp;
		int		 ok, ascii;
		uint32_t	 draw;
		int		 cells;
	} cells_cases[] = {
		{ 'a', 1, 0, 'a', 1 },
		{ 0x65E5, 1, 0, 0x65E5, 2 },	/* 日 */
		{ 0x65E5, 1, 1, '?', 1 },
		{ 0x301, 1, 0, 0x301, 0 },	/* combining acute */
		{ 0x1B, 1, 0, 0x241B, 1 },	/* ESC: its picture */
		{ 0x85, 1, 0, 0xFFFD, 1 },	/* C1 */
		{ 0x202E, 1, 0, 0, 0 },		/* bidi override: dropped */
		{ 0x200B, 1, 0, 0, 0 },		/* zero-width space */
		{ 0xFF, 0, 0, 0xFFFD, 1 },	/* not UTF-8 */
		{ 0x378, 1, 0, 0xFFFD, 1 },	/* unassigned */
		{ 0x378, 1, 1, '?', 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cells_cases / sizeof cells_cases[0]; i++) {
		int cells = -9;
		uint32_t d = render_cell(cells_cases[i].cp, cells_cases[i].ok,
		    cells_cases[i].ascii, &cells);

		if (d != cells_cases[i].draw || cells != cells_cases[i].cells)
			fail_msg("U+%04X: U+%04X %d cells, want U+%04X %d",
			    (unsigned)cells_cases[i].cp, (unsigned)d, cells,
			    (unsigned)cells_cases[i].draw, cells_cases[i].cells);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_cases),
		cmocka_unit_test(test_render_styles),
		cmocka_unit_test(test_render_lines),
		cmocka_unit_test(test_render_width),
		cmocka_unit_test(test_render_plain),
		cmocka_unit_test(test_render_invariants),
		cmocka_unit_test(test_latex_tables_sorted),
		cmocka_unit_test(test_width_matches_wcwidth),
		cmocka_unit_test(test_render_cell),
	};

	if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0)
		return write_corpus(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
