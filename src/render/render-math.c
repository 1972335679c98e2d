/*
 * render-math.c - plain-text formulas in prose, as the bundled decks write
 * them: "H(p) = -sum_x p(x) log p(x)" -> "H(p) = -Σₓ p(x) log p(x)".
 *
 * A tokenizer decides, never a chain of string replacements: a line is cut
 * into words, numbers, spaces and operators, and each conversion looks at
 * whole tokens and their neighbours. So "alphabet", "pipeline" and
 * "betamax" can never change (no token is searched inside another), "in"
 * and "sum" are English unless the context says otherwise, URLs and
 * backticked code are single verbatim tokens.
 *
 * The rules (research/rendering.md A.5, with the decisions noted):
 * - Operator digraphs -> → ⇒ <= >= != ~= +- || <=> <-> <- convert when they
 *   are not part of a longer operator run ("-->" and "<==" stay).
 * - A Greek name converts only in math context: followed by ( [ or a
 *   script, preceded by a script mark, next to an operator, or an argument
 *   of a function application "f(alpha, beta)".
 * - sum/prod/int become Σ Π ∫ only with a script; sqrt( becomes √.
 * - "_" and "^" are scripts only after a single letter, a Greek name, a
 *   closing bracket, a number (for ^) or a known function with a short
 *   script; so log_softmax, max_len and file_name stay as written. A script
 *   word of 2-4 letters is a label ("π_ref") and stays linear.
 * - A script whose characters all have Unicode forms is mapped ("ₓ", "²");
 *   otherwise it is written linearly: "_x" for one token, "_(...)" for more.
 *   If one subscript on a line is linear, all on that line are (the DPO
 *   loss shows "y_w ... y_l", not "y_w ... yₗ"); superscripts likewise.
 * - " * " between operands, or "*" next to a number or Greek letter, is
 *   multiplication and becomes "·"; "a*b" stays.
 * - A unary minus glued to a converted token is "−" ("−Σₓ"); every other
 *   "-" stays as typed.
 * In the ASCII profile prose is shown as typed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "render-int.h"

/* ---- sub- and superscript characters (research A.2) ------------------------ */

const char *
rm_sup(uint32_t cp)
{
	static const char *const digits[] = { "⁰", "¹", "²", "³", "⁴", "⁵",
	    "⁶", "⁷", "⁸", "⁹" };
	static const char *const lower[] = { "ᵃ", "ᵇ", "ᶜ", "ᵈ", "ᵉ", "ᶠ",
	    "ᵍ", "ʰ", "ⁱ", "ʲ", "ᵏ", "ˡ", "ᵐ", "ⁿ", "ᵒ", "ᵖ", NULL, "ʳ", "ˢ",
	    "ᵗ", "ᵘ", "ᵛ", "ʷ", "ˣ", "ʸ", "ᶻ" };
	/* No C F Q S X Y Z: Unicode 14's ꟲ ꟳ ꟴ are too new for fonts. */
	static const char *const upper[] = { "ᴬ", "ᴮ", NULL, "ᴰ", "ᴱ", NULL,
	    "ᴳ", "ᴴ", "ᴵ", "ᴶ", "ᴷ", "ᴸ", "ᴹ", "ᴺ", "ᴼ", "ᴾ", NULL, "ᴿ", NULL,
	    "ᵀ", "ᵁ", "ⱽ", "ᵂ", NULL, NULL, NULL };

	if (cp >= '0' && cp <= '9')
		return digits[cp - '0'];
	if (cp >= 'a' && cp <= 'z')
		return lower[cp - 'a'];
	if (cp >= 'A' && cp <= 'Z')
		return upper[cp - 'A'];
	switch (cp) {
	case '+':	return "⁺";
	case '-':
	case 0x2212:	return "⁻";
	case '=':	return "⁼";
	case '(':	return "⁽";
	case ')':	return "⁾";
	case 0x03B2:	return "ᵝ";
	case 0x03B3:	return "ᵞ";
	case 0x03B4:	return "ᵟ";
	case 0x03B8:	return "ᶿ";
	case 0x03C6:	return "ᵠ";
	case 0x03C7:	return "ᵡ";
	case 0x2032:	return "′";
	}
	return NULL;
}

const char *
rm_sub(uint32_t cp)
{
	static const char *const digits[] = { "₀", "₁", "₂", "₃", "₄", "₅",
	    "₆", "₇", "₈", "₉" };
	/* No b c d f g q w y z, and no capitals at all. */
	static const char *const lower[] = { "ₐ", NULL, NULL, NULL, "ₑ", NULL,
	    NULL, "ₕ", "ᵢ", "ⱼ", "ₖ", "ₗ", "ₘ", "ₙ", "ₒ", "ₚ", NULL, "ᵣ", "ₛ",
	    "ₜ", "ᵤ", "ᵥ", NULL, "ₓ", NULL, NULL };

	if (cp >= '0' && cp <= '9')
		return digits[cp - '0'];
	if (cp >= 'a' && cp <= 'z')
		return lower[cp - 'a'];
	switch (cp) {
	case '+':	return "₊";
	case '-':
	case 0x2212:	return "₋";
	case '=':	return "₌";
	case '(':	return "₍";
	case ')':	return "₎";
	case 0x03B2:	return "ᵦ";
	case 0x03B3:	return "ᵧ";
	case 0x03C1:	return "ᵨ";
	case 0x03C6:	return "ᵩ";
	case 0x03C7:	return "ᵪ";
	}
	return NULL;
}

const struct render_sym *
rm_sym(const char *name, size_t n)
{
	size_t lo = 0, hi = render_sym_tab_len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = render_sym_tab[mid].name;
		int cmp = strncmp(name, k, n);

		if (cmp == 0)
			cmp = k[n] == '\0' ? 0 : -1;
		if (cmp > 0)
			lo = mid + 1;
		else if (cmp < 0)
			hi = mid;
		else
			return &render_sym_tab[mid];
	}
	return NULL;
}

/* ---- tokens ------------------------------------------------------------------ */

enum { AT_WORD, AT_NUM, AT_SPACE, AT_OP, AT_URL, AT_VERB, AT_CHAR };

/* AT_OP values above 0x7F are digraphs. */
enum { D_ARROW = 0x80, D_DARROW, D_LE, D_GE, D_NE, D_APPROX, D_PM, D_NORM,
	D_IFF, D_LRARROW, D_LARROW };

static const struct {
	const char	*s;
	const char	*u;
	int		 id;
	size_t		 len;
} digraphs[] = {
	{ "<=>", "⇔", D_IFF, 3 }, { "<->", "↔", D_LRARROW, 3 },
	{ "->", "→", D_ARROW, 2 }, { "=>", "⇒", D_DARROW, 2 },
	{ "<=", "≤", D_LE, 2 }, { ">=", "≥", D_GE, 2 }, { "!=", "≠", D_NE, 2 },
	{ "~=", "≈", D_APPROX, 2 }, { "+-", "±", D_PM, 2 },
	{ "||", "‖", D_NORM, 2 }, { "<-", "←", D_LARROW, 2 },
};

/* What a word is, decided once by the tokenizer. */
enum { WK_PLAIN, WK_GREEK, WK_FN, WK_SUM, WK_PROD, WK_INT, WK_SQRT, WK_INF,
	WK_INFTY };

struct atok {
	uint32_t	 off, len;
	uint16_t	 style;
	uint8_t		 kind;
	uint8_t		 op;
	uint8_t		 wk;		/* WK_*, for AT_WORD */
	int32_t		 match;		/* matching bracket, or -1 */
	int32_t		 grp;		/* enclosing open bracket, or -1 */
};

/* The pool moves when glyphs are added: always reach it through c. */
#define LS(L)	((const char *)(L)->c->pool.data)

struct aline {
	struct rctx	*c;
	struct atok	*t;
	int		 n;
	int		 force_sub, force_sup;
	int		 sub_fb, sub_map, sup_fb, sup_map;
	int		 trig;		/* a token that may convert */
	struct runv	 scr[8];	/* scratch runs, one per script level */
};

static int
is_opchar(char ch)
{
	switch (ch) {
	case '<': case '>': case '=': case '!': case '-': case '+': case '~':
	case '|': case '*': case '&': case '/': case '%': case '^':
		return 1;
	}
	return 0;
}

static int
is_alpha(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static size_t
url_len(const char *s, size_t i, size_t b)
{
	static const char *const schemes[] = { "https://", "http://", "ftp://",
	    "file://", "mailto:", "www." };
	size_t k, j;

	/* Cheap tests first: every word of every card comes here. */
	if (b - i < 5 || !((s[i] == 'h' && s[i + 1] == 't') ||
	    (s[i] == 'f' && (s[i + 1] == 't' || s[i + 1] == 'i')) ||
	    (s[i] == 'm' && s[i + 1] == 'a') || (s[i] == 'w' && s[i + 1] == 'w')))
		return 0;
	for (k = 0; k < sizeof schemes / sizeof schemes[0]; k++) {
		size_t l = strlen(schemes[k]);

		if (b - i > l && strncmp(s + i, schemes[k], l) == 0)
			break;
	}
	if (k == sizeof schemes / sizeof schemes[0])
		return 0;
	for (j = i; j < b && s[j] != ' ' && s[j] != MK_ON && s[j] != MK_OFF &&
	    s[j] != MK_VB; j++)
		;
	/* Sentence punctuation after a URL is not part of it. */
	while (j > i && strchr(".,;:!?)'\"", s[j - 1]) != NULL)
		j--;
	return j - i;
}

/* Up to 8 letters as one integer, first letter in the low byte. */
static uint64_t
kw(const char *s, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | (unsigned char)s[n];
	return v;
}

/*
 * Every word of every card goes through here: the word, packed into an
 * integer, is compared with the table's by a switch (a linear scan with
 * strcmp was a third of the time of a plain field).
 */
static int
word_kind(const char *s, size_t n)
{
	uint64_t v;

	if (n > 8)
		return WK_PLAIN;
	v = kw(s, n);
	switch (v) {
	case 0x45ull:	/* E */
		return WK_FN;
	case 0x756dull:	/* mu */
		return WK_GREEK;
	case 0x756eull:	/* nu */
		return WK_GREEK;
	case 0x6978ull:	/* xi */
		return WK_GREEK;
	case 0x6970ull:	/* pi */
		return WK_GREEK;
	case 0x6958ull:	/* Xi */
		return WK_GREEK;
	case 0x6950ull:	/* Pi */
		return WK_GREEK;
	case 0x6e6cull:	/* ln */
		return WK_FN;
	case 0x4c4bull:	/* KL */
		return WK_FN;
	case 0x7250ull:	/* Pr */
		return WK_FN;
	case 0x676cull:	/* lg */
		return WK_FN;
	case 0x617465ull:	/* eta */
		return WK_GREEK;
	case 0x6f6872ull:	/* rho */
		return WK_GREEK;
	case 0x756174ull:	/* tau */
		return WK_GREEK;
	case 0x696870ull:	/* phi */
		return WK_GREEK;
	case 0x696863ull:	/* chi */
		return WK_GREEK;
	case 0x697370ull:	/* psi */
		return WK_GREEK;
	case 0x696850ull:	/* Phi */
		return WK_GREEK;
	case 0x697350ull:	/* Psi */
		return WK_GREEK;
	case 0x676f6cull:	/* log */
		return WK_FN;
	case 0x707865ull:	/* exp */
		return WK_FN;
	case 0x78616dull:	/* max */
		return WK_FN;
	case 0x6e696dull:	/* min */
		return WK_FN;
	case 0x6d696cull:	/* lim */
		return WK_FN;
	case 0x707573ull:	/* sup */
		return WK_FN;
	case 0x746564ull:	/* det */
		return WK_FN;
	case 0x6e6973ull:	/* sin */
		return WK_FN;
	case 0x736f63ull:	/* cos */
		return WK_FN;
	case 0x6e6174ull:	/* tan */
		return WK_FN;
	case 0x726156ull:	/* Var */
		return WK_FN;
	case 0x766f43ull:	/* Cov */
		return WK_FN;
	case 0x6d7573ull:	/* sum */
		return WK_SUM;
	case 0x746e69ull:	/* int */
		return WK_INT;
	case 0x666e69ull:	/* inf */
		return WK_INF;
	case 0x61746562ull:	/* beta */
		return WK_GREEK;
	case 0x6174657aull:	/* zeta */
		return WK_GREEK;
	case 0x61746f69ull:	/* iota */
		return WK_GREEK;
	case 0x646f7270ull:	/* prod */
		return WK_PROD;
	case 0x74727173ull:	/* sqrt */
		return WK_SQRT;
	case 0x6168706c61ull:	/* alpha */
		return WK_GREEK;
	case 0x616d6d6167ull:	/* gamma */
		return WK_GREEK;
	case 0x61746c6564ull:	/* delta */
		return WK_GREEK;
	case 0x6174656874ull:	/* theta */
		return WK_GREEK;
	case 0x617070616bull:	/* kappa */
		return WK_GREEK;
	case 0x616d676973ull:	/* sigma */
		return WK_GREEK;
	case 0x6167656d6full:	/* omega */
		return WK_GREEK;
	case 0x616d6d6147ull:	/* Gamma */
		return WK_GREEK;
	case 0x61746c6544ull:	/* Delta */
		return WK_GREEK;
	case 0x6174656854ull:	/* Theta */
		return WK_GREEK;
	case 0x616d676953ull:	/* Sigma */
		return WK_GREEK;
	case 0x6167656d4full:	/* Omega */
		return WK_GREEK;
	case 0x7974666e69ull:	/* infty */
		return WK_INFTY;
	case 0x6164626d616cull:	/* lambda */
		return WK_GREEK;
	case 0x6164626d614cull:	/* Lambda */
		return WK_GREEK;
	case 0x78616d677261ull:	/* argmax */
		return WK_FN;
	case 0x6e696d677261ull:	/* argmin */
		return WK_FN;
	case 0x6e6f6c69737065ull:	/* epsilon */
		return WK_GREEK;
	case 0x6e6f7263696d6full:	/* omicron */
		return WK_GREEK;
	case 0x6e6f6c69737075ull:	/* upsilon */
		return WK_GREEK;
	case 0x6e6f6c69737055ull:	/* Upsilon */
		return WK_GREEK;
	case 0x7974696e69666e69ull:	/* infinity */
		return WK_INFTY;
	}
	return WK_PLAIN;
}

/* The letter for a Greek name (word_kind() said WK_GREEK). */
static const char *
greek_glyph(const char *s, size_t n)
{
	switch (kw(s, n)) {
	case 0x6168706c61ull:	return "α";	/* alpha */
	case 0x61746562ull:	return "β";	/* beta */
	case 0x616d6d6167ull:	return "γ";	/* gamma */
	case 0x61746c6564ull:	return "δ";	/* delta */
	case 0x6e6f6c69737065ull:	return "ε";	/* epsilon */
	case 0x6174657aull:	return "ζ";	/* zeta */
	case 0x617465ull:	return "η";	/* eta */
	case 0x6174656874ull:	return "θ";	/* theta */
	case 0x61746f69ull:	return "ι";	/* iota */
	case 0x617070616bull:	return "κ";	/* kappa */
	case 0x6164626d616cull:	return "λ";	/* lambda */
	case 0x756dull:	return "μ";	/* mu */
	case 0x756eull:	return "ν";	/* nu */
	case 0x6978ull:	return "ξ";	/* xi */
	case 0x6e6f7263696d6full:	return "ο";	/* omicron */
	case 0x6970ull:	return "π";	/* pi */
	case 0x6f6872ull:	return "ρ";	/* rho */
	case 0x616d676973ull:	return "σ";	/* sigma */
	case 0x756174ull:	return "τ";	/* tau */
	case 0x6e6f6c69737075ull:	return "υ";	/* upsilon */
	case 0x696870ull:	return "φ";	/* phi */
	case 0x696863ull:	return "χ";	/* chi */
	case 0x697370ull:	return "ψ";	/* psi */
	case 0x6167656d6full:	return "ω";	/* omega */
	case 0x616d6d6147ull:	return "Γ";	/* Gamma */
	case 0x61746c6544ull:	return "Δ";	/* Delta */
	case 0x6174656854ull:	return "Θ";	/* Theta */
	case 0x6164626d614cull:	return "Λ";	/* Lambda */
	case 0x6958ull:	return "Ξ";	/* Xi */
	case 0x6950ull:	return "Π";	/* Pi */
	case 0x616d676953ull:	return "Σ";	/* Sigma */
	case 0x6e6f6c69737055ull:	return "Υ";	/* Upsilon */
	case 0x696850ull:	return "Φ";	/* Phi */
	case 0x697350ull:	return "Ψ";	/* Psi */
	case 0x6167656d4full:	return "Ω";	/* Omega */
	}
	return NULL;
}

static void
tok_add(struct aline *L, int *cap, uint32_t off, uint32_t len, int kind,
    int op, unsigned style)
{
	struct atok *t;

	VEC_RESERVE(L->t, *cap, L->n + 1, 64);
	t = &L->t[L->n++];
	t->off = off;
	t->len = len;
	t->kind = (uint8_t)kind;
	t->op = (uint8_t)op;
	t->style = (uint16_t)style;
	t->match = -1;
	t->grp = -1;
	t->wk = WK_PLAIN;
}

/* Cut pool[a, b) (one line, no '\n') into tokens. */
static void
tokenize(struct aline *L, int *cap, size_t a, size_t b, unsigned cnt[NSTYLE])
{
	const char *s = LS(L);
	size_t i = a, used, k;
	int stack[64], sp = 0;

	unsigned style = rc_style(cnt);

	L->n = 0;
	L->trig = 0;
	while (i < b) {
		char ch = s[i];
		size_t j;

		if ((ch == MK_ON || ch == MK_OFF) &&
		    rc_marker(s + i, b - i, cnt, &used)) {
			i += used;
			style = rc_style(cnt);
			continue;
		}
		if (ch == MK_VB) {
			for (j = i + 1; j < b && s[j] != MK_VE; j++)
				;
			tok_add(L, cap, (uint32_t)(i + 1), (uint32_t)(j - i - 1),
			    AT_VERB, 0, style);
			i = j < b ? j + 1 : j;
			continue;
		}
		if (ch == MK_VE) {
			i++;
			continue;
		}
		if (ch == ' ') {
			for (j = i; j < b && s[j] == ' '; j++)
				;
			tok_add(L, cap, (uint32_t)i, (uint32_t)(j - i), AT_SPACE,
			    0, style);
			i = j;
			continue;
		}
		if (is_alpha(ch)) {
			if ((i == a || !is_alpha(s[i - 1])) &&
			    (j = url_len(s, i, b)) > 0) {
				tok_add(L, cap, (uint32_t)i, (uint32_t)j, AT_URL, 0,
				    style);
				i += j;
				continue;
			}
			for (j = i; j < b && is_alpha(s[j]); j++)
				;
			tok_add(L, cap, (uint32_t)i, (uint32_t)(j - i), AT_WORD, 0,
			    style);
			L->t[L->n - 1].wk = (uint8_t)word_kind(s + i, j - i);
			if (L->t[L->n - 1].wk != WK_PLAIN &&
			    L->t[L->n - 1].wk != WK_FN)
				L->trig = 1;
			i = j;
			continue;
		}
		if (is_digit(ch)) {
			for (j = i; j < b && is_digit(s[j]); j++)
				;
			if (j + 1 < b && s[j] == '.' && is_digit(s[j + 1]))
				for (j++; j < b && is_digit(s[j]); j++)
					;
			tok_add(L, cap, (uint32_t)i, (uint32_t)(j - i), AT_NUM, 0,
			    style);
			i = j;
			continue;
		}
		if ((unsigned char)ch >= 0x80) {
			size_t l;

			j = i;
			rw_decode(s + j, b - j, &l);
			j += l;
			while (j < b && (unsigned char)s[j] >= 0x80 &&
			    rw_is_zero(rw_decode(s + j, b - j, &l)))
				j += l;
			tok_add(L, cap, (uint32_t)i, (uint32_t)(j - i), AT_CHAR, 0,
			    style);
			i = j;
			continue;
		}
		/* Operators: a digraph only when it is not part of a longer
		 * run of operator characters. */
		for (k = 0; is_opchar(ch) &&
		    k < sizeof digraphs / sizeof digraphs[0]; k++) {
			size_t l = digraphs[k].len;

			if (b - i >= l && s[i] == digraphs[k].s[0] &&
			    memcmp(s + i, digraphs[k].s, l) == 0 &&
			    !(i > a && is_opchar(s[i - 1])) &&
			    !(i + l < b && is_opchar(s[i + l])))
				break;
		}
		if (is_opchar(ch) && k < sizeof digraphs / sizeof digraphs[0]) {
			size_t l = digraphs[k].len;

			tok_add(L, cap, (uint32_t)i, (uint32_t)l, AT_OP,
			    digraphs[k].id, style);
			L->trig = 1;
			i += l;
			continue;
		}
		tok_add(L, cap, (uint32_t)i, 1, AT_OP, (unsigned char)ch, style);
		if (ch == '_' || ch == '^' || ch == '*')
			L->trig = 1;
		if (ch == '(' || ch == '[' || ch == '{') {
			if (sp > 0)
				L->t[L->n - 1].grp = stack[sp - 1];
			if (sp < 64)
				stack[sp++] = L->n - 1;
			i++;
			continue;
		}
		if ((ch == ')' || ch == ']' || ch == '}') && sp > 0) {
			int o = stack[sp - 1];
			char want = s[L->t[o].off] == '(' ? ')' :
			    s[L->t[o].off] == '[' ? ']' : '}';

			if (want == ch) {
				sp--;
				L->t[o].match = L->n - 1;
				L->t[L->n - 1].match = o;
			}
		}
		if (sp > 0)
			L->t[L->n - 1].grp = stack[sp - 1];
		i++;
	}
	/* Tokens between brackets know their group. */
	{
		int top[64], tsp = 0, x;

		for (x = 0; x < L->n; x++) {
			struct atok *t = &L->t[x];

			if (t->kind == AT_OP && t->match > x) {
				t->grp = tsp > 0 ? top[tsp - 1] : -1;
				if (tsp < 64)
					top[tsp++] = x;
				continue;
			}
			if (t->kind == AT_OP && t->match >= 0 && t->match < x &&
			    tsp > 0) {
				tsp--;
				t->grp = tsp > 0 ? top[tsp - 1] : -1;
				continue;
			}
			t->grp = tsp > 0 ? top[tsp - 1] : -1;
		}
	}
}

/* ---- context ----------------------------------------------------------------- */

static int
tok_op(const struct aline *L, int i, int op)
{
	return i >= 0 && i < L->n && L->t[i].kind == AT_OP && L->t[i].op == op;
}

static const char *
greek(const struct aline *L, int i)
{
	const struct atok *t = &L->t[i];

	/* The var- spellings are LaTeX's; in prose they are words. */
	if (t->kind != AT_WORD || t->wk != WK_GREEK)
		return NULL;
	return greek_glyph(LS(L) + t->off, t->len);
}

static int
is_fn(const struct aline *L, int i)
{
	int wk = L->t[i].wk;

	return L->t[i].kind == AT_WORD && (wk == WK_FN || wk == WK_SUM ||
	    wk == WK_PROD || wk == WK_INT || wk == WK_INF);
}

static int
is_greek(const struct aline *L, int i)
{
	return i >= 0 && i < L->n && L->t[i].kind == AT_WORD &&
	    L->t[i].wk == WK_GREEK;
}

/* A '-' between two letters, glued, is a hyphen, not an operator. */
static int
is_hyphen(const struct aline *L, int i)
{
	return tok_op(L, i, '-') && i > 0 && i + 1 < L->n &&
	    L->t[i - 1].kind == AT_WORD && L->t[i + 1].kind == AT_WORD;
}

static int
is_math_op(const struct aline *L, int i)
{
	const struct atok *t;

	if (i < 0 || i >= L->n)
		return 0;
	t = &L->t[i];
	if (t->kind != AT_OP)
		return 0;
	if (t->op >= 0x80)
		return 1;
	if (t->op == '-')
		return !is_hyphen(L, i);
	return strchr("=+*/<>|", t->op) != NULL && t->op != 0;
}

static int
prev_nonspace(const struct aline *L, int i)
{
	for (i--; i >= 0 && L->t[i].kind == AT_SPACE; i--)
		;
	return i;
}

static int
next_nonspace(const struct aline *L, int i)
{
	for (i++; i < L->n && L->t[i].kind == AT_SPACE; i++)
		;
	return i;
}

/*
 * Script at token k (an '_' or '^' right after a base). Sets *end to the
 * token after it and *c0, *c1 to its content. Returns 0 when it is not
 * a script, 1 for a script, 2 for a label word ("ref" in "pi_ref").
 */
static int
script_at(const struct aline *L, int k, int fn_base, int *c0, int *c1,
    int *end)
{
	const struct atok *t;
	int j = k + 1, sup;

	if (k >= L->n || L->t[k].kind != AT_OP ||
	    (L->t[k].op != '_' && L->t[k].op != '^') || j >= L->n)
		return 0;
	sup = L->t[k].op == '^';
	t = &L->t[j];
	if (t->kind == AT_OP && (t->op == '(' || t->op == '{') && t->match > j) {
		if (t->match == j + 1)
			return 0;
		*c0 = j + 1;
		*c1 = t->match;
		*end = t->match + 1;
		return 1;
	}
	if (sup && t->kind == AT_OP && (t->op == '-' || t->op == '+') &&
	    j + 1 < L->n && (L->t[j + 1].kind == AT_NUM ||
	    (L->t[j + 1].kind == AT_WORD && L->t[j + 1].len == 1))) {
		*c0 = j;
		*end = *c1 = j + 2;
	} else if (t->kind == AT_NUM || t->kind == AT_VERB) {
		*c0 = j;
		*end = *c1 = j + 1;
	} else if (t->kind == AT_WORD) {
		*c0 = j;
		*end = *c1 = j + 1;
		if (t->len > 1 && !is_greek(L, j)) {
			if (fn_base || t->len > 4)
				return 0;
			if (*end < L->n && (L->t[*end].kind == AT_NUM ||
			    tok_op(L, *end, '_')))
				return 0;
			return 2;
		}
	} else
		return 0;
	/* "x_i2", "x_2a": the script would be cut out of a longer word. */
	if (*end < L->n && (L->t[*end].kind == AT_WORD ||
	    L->t[*end].kind == AT_NUM || (L->t[*end].kind == AT_CHAR &&
	    !rw_is_zero(rw_decode(LS(L) + L->t[*end].off, L->t[*end].len,
	    &(size_t){ 0 })))))
		return 0;
	return 1;
}

/* Is token i a base that "_"/"^" at i+1 can attach to? */
static int
base_ok(const struct aline *L, int i, int greek_conv)
{
	const struct atok *t = &L->t[i];
	int c0, c1, end, k = i + 1;

	if (k >= L->n || L->t[k].kind != AT_OP ||
	    (L->t[k].op != '_' && L->t[k].op != '^'))
		return 0;
	if (i > 0 && tok_op(L, i - 1, '_'))
		return 0;
	switch (t->kind) {
	case AT_WORD:
		if (t->len == 1 || greek_conv)
			return script_at(L, k, 0, &c0, &c1, &end) != 0;
		if (is_fn(L, i))
			return script_at(L, k, 1, &c0, &c1, &end) == 1;
		return 0;
	case AT_NUM:
		return L->t[k].op == '^' && script_at(L, k, 1, &c0, &c1, &end);
	case AT_OP:
		return (t->op == ')' || t->op == ']') &&
		    script_at(L, k, 0, &c0, &c1, &end) != 0;
	case AT_VERB:
		return script_at(L, k, 0, &c0, &c1, &end) != 0;
	}
	return 0;
}

static int
application_group(const struct aline *L, int open)
{
	int p = open - 1;

	if (open < 0 || p < 0)
		return 0;
	return L->t[p].kind == AT_WORD || L->t[p].kind == AT_NUM ||
	    tok_op(L, p, ')') || tok_op(L, p, ']');
}

static int
greek_ctx(const struct aline *L, int i)
{
	int p, q;

	if (tok_op(L, i + 1, '(') || tok_op(L, i + 1, '['))
		return 1;
	if (base_ok(L, i, 1))
		return 1;
	p = prev_nonspace(L, i);
	q = next_nonspace(L, i);
	if (is_math_op(L, p) || is_math_op(L, q))
		return 1;
	/* An argument of f(...): right after its '(' or a ','. */
	if (p >= 0 && (tok_op(L, p, '(') || tok_op(L, p, '[') ||
	    tok_op(L, p, ',')) && (q >= L->n || tok_op(L, q, ')') ||
	    tok_op(L, q, ']') || tok_op(L, q, ',')) &&
	    application_group(L, L->t[i].grp))
		return 1;
	return 0;
}

static int
inf_ctx(const struct aline *L, int i)
{
	int p = prev_nonspace(L, i), q = next_nonspace(L, i);

	if (tok_op(L, i + 1, '_') || tok_op(L, i + 1, '^'))
		return 0;
	if (q < L->n && (L->t[q].kind == AT_WORD || L->t[q].kind == AT_NUM))
		return 0;
	if (p < 0 || L->t[p].kind != AT_OP)
		return 0;
	return L->t[p].op >= 0x80 || strchr("=<>+-([,", L->t[p].op) != NULL;
}

static int
operand_left(const struct aline *L, int i)
{
	return i >= 0 && (L->t[i].kind == AT_WORD || L->t[i].kind == AT_NUM ||
	    L->t[i].kind == AT_VERB || tok_op(L, i, ')') || tok_op(L, i, ']'));
}

static int
operand_right(const struct aline *L, int i)
{
	return i < L->n && (L->t[i].kind == AT_WORD || L->t[i].kind == AT_NUM ||
	    L->t[i].kind == AT_VERB || tok_op(L, i, '(') || tok_op(L, i, '['));
}

static int
star_ctx(const struct aline *L, int i)
{
	if (i > 0 && i + 1 < L->n && L->t[i - 1].kind == AT_SPACE &&
	    L->t[i + 1].kind == AT_SPACE)
		return operand_left(L, prev_nonspace(L, i)) &&
		    operand_right(L, next_nonspace(L, i));
	if (operand_left(L, i - 1) && operand_right(L, i + 1))
		return L->t[i - 1].kind == AT_NUM || L->t[i + 1].kind == AT_NUM ||
		    is_greek(L, i - 1) || is_greek(L, i + 1);
	return 0;
}

/* Will the word at i be converted (Σ, β, √, ∞)? */
static int
converts(const struct aline *L, int i)
{
	const struct atok *t;

	if (i < 0 || i >= L->n || L->t[i].kind != AT_WORD)
		return 0;
	t = &L->t[i];
	switch (t->wk) {
	case WK_GREEK:
		return greek_ctx(L, i);
	case WK_SUM:
	case WK_PROD:
	case WK_INT:
		return base_ok(L, i, 0);
	case WK_SQRT:
		return tok_op(L, i + 1, '(') && L->t[i + 1].match > i + 2;
	case WK_INF:
	case WK_INFTY:
		return inf_ctx(L, i);
	}
	return 0;
}

/*
 * A unary minus glued to a converted token belongs to the formula and is
 * typeset as one: "-sum_x" -> "−Σₓ". Every other '-' stays as typed, so
 * "cross-entropy", "x - y" and "-log" keep the hyphen-minus.
 */
static int
minus_ctx(const struct aline *L, int i)
{
	if (i > 0 && (L->t[i - 1].kind == AT_WORD || L->t[i - 1].kind == AT_NUM ||
	    tok_op(L, i - 1, ')') || tok_op(L, i - 1, ']')))
		return 0;
	return converts(L, i + 1);
}

/* ---- emitting ---------------------------------------------------------------- */

struct emit {
	struct aline	*L;
	struct runv	*dst;
	int		 level;		/* 0: the line; >0: inside a script */
	size_t		 chunk0;	/* first run of the current word */
	int		 conv;		/* the current word has a conversion */
};

static void emit_range(struct aline *, int, int, struct runv *, int);

static void
src_tok(struct emit *e, int i)
{
	const struct atok *t = &e->L->t[i];

	rc_src(e->L->c, e->dst, t->off, t->len, t->style, RK_TEXT);
}

static void
glyph(struct emit *e, const char *u, unsigned style)
{
	rc_text(e->L->c, e->dst, u, strlen(u), style);
	e->conv = 1;
}

/* Map runs v[a, b) to sub/superscript characters into dst; 0 if one has
 * no form (then nothing is written). */
int
rm_map(struct rctx *c, const struct runv *src, size_t a, size_t b, int sup,
    struct runv *dst)
{
	size_t k, i, l;
	char tmp[256];

	for (k = a; k < b; k++) {
		const struct rrun *r = &src->v[k];

		if (r->kind != RK_TEXT)
			return 0;
		for (i = 0; i < r->len; i += l) {
			uint32_t cp = rw_decode(c->pool.data + r->off + i,
			    r->len - i, &l);

			if ((sup ? rm_sup(cp) : rm_sub(cp)) == NULL)
				return 0;
		}
	}
	if (dst == NULL)
		return 1;
	for (k = a; k < b; k++) {
		struct rrun r = src->v[k];
		size_t n = 0;

		for (i = 0; i < r.len; i += l) {
			uint32_t cp = rw_decode(c->pool.data + r.off + i,
			    r.len - i, &l);
			const char *g = sup ? rm_sup(cp) : rm_sub(cp);
			size_t gl = strlen(g);

			if (n + gl > sizeof tmp) {
				rc_text(c, dst, tmp, n, r.style);
				n = 0;
			}
			memcpy(tmp + n, g, gl);
			n += gl;
		}
		rc_text(c, dst, tmp, n, r.style);
	}
	return 1;
}

static void
copy_runs(struct runv *dst, const struct runv *src)
{
	size_t k;

	for (k = 0; k < src->n; k++)
		rc_push(dst, &src->v[k]);
}

/* Is the content one alphanumeric token (then "_x" needs no brackets)? */
static int
one_token(const struct aline *L, int c0, int c1)
{
	return c1 == c0 + 1 && (L->t[c0].kind == AT_WORD ||
	    L->t[c0].kind == AT_NUM || L->t[c0].kind == AT_VERB);
}

/*
 * The scripts after a base ending at token i (exclusive end: *pi is the
 * index after the base). Emits them and advances *pi. op_base: the per-atom
 * rule for Σ: if one script must be linear, both are.
 */
static void
scripts(struct emit *e, int *pi, int fn_base, int op_base)
{
	struct aline *L = e->L;
	struct rctx *c = L->c;
	int k = *pi, guard = 0;
	int lin_pair = 0;

	if (op_base) {
		/* Decide both scripts first. */
		int kk = k, c0, c1, end, n = 0;

		while (kk < L->n && n < 2 && script_at(L, kk, fn_base, &c0, &c1,
		    &end) == 1) {
			struct runv local = { NULL, 0, 0, 0 };
			struct runv *tmp = e->level < 8 ? &L->scr[e->level] : &local;
			int sup = L->t[kk].op == '^';

			tmp->n = 0;
			emit_range(L, c0, c1, tmp, e->level + 1);
			if (!rm_map(c, tmp, 0, tmp->n, sup, NULL) ||
			    (e->level == 0 && (sup ? L->force_sup : L->force_sub)))
				lin_pair = 1;
			free(local.v);
			kk = end;
			n++;
		}
	}
	while (k < L->n && guard++ < 8) {
		int c0, c1, end, kind, sup, lin;
		struct runv local = { NULL, 0, 0, 0 };
		struct runv *tmp = e->level < 8 ? &L->scr[e->level] : &local;

		kind = script_at(L, k, fn_base, &c0, &c1, &end);
		if (kind == 0)
			break;
		sup = L->t[k].op == '^';
		tmp->n = 0;
		emit_range(L, c0, c1, tmp, e->level + 1);
		lin = kind == 2 || lin_pair ||
		    (e->level == 0 && (sup ? L->force_sup : L->force_sub)) ||
		    !rm_map(c, tmp, 0, tmp->n, sup, NULL);
		if (!lin)
			rm_map(c, tmp, 0, tmp->n, sup, e->dst);
		else {
			int br = !one_token(L, c0, c1);

			rc_text(c, e->dst, sup ? "^" : "_", 1, L->t[k].style);
			if (br)
				rc_text(c, e->dst, "(", 1, L->t[k].style);
			copy_runs(e->dst, tmp);
			if (br)
				rc_text(c, e->dst, ")", 1, L->t[end - 1].style);
		}
		if (e->level == 0) {
			if (sup)
				*(lin ? &L->sup_fb : &L->sup_map) += 1;
			else
				*(lin ? &L->sub_fb : &L->sub_map) += 1;
		}
		free(local.v);
		e->conv = 1;
		k = end;
	}
	*pi = k;
}

static void
chunk_end(struct emit *e)
{
	size_t k;

	if (e->conv && e->level == 0)
		for (k = e->chunk0; k < e->dst->n; k++)
			e->dst->v[k].style |= RENDER_FORMULA;
	e->conv = 0;
	e->chunk0 = e->dst->n;
}

/* A token that can neither convert nor start a script. */
static int
inert(const struct aline *L, int i)
{
	const struct atok *t = &L->t[i];
	int next_script = tok_op(L, i + 1, '_') || tok_op(L, i + 1, '^');

	switch (t->kind) {
	case AT_SPACE:
	case AT_CHAR:
	case AT_URL:
		return 1;
	case AT_WORD:
		return (t->wk == WK_PLAIN || t->wk == WK_FN) && !next_script;
	case AT_NUM:
		return !next_script;
	case AT_OP:
		if (t->op >= 0x80 || t->op == '*' || t->op == '-' ||
		    t->op == '_' || t->op == '^')
			return 0;
		return !((t->op == ')' || t->op == ']') && next_script);
	}
	return 0;
}

/*
 * From a word boundary, the words that cannot change, as one plain run
 * (wrap() cuts it): most of a line with a formula in it is still prose.
 * Returns the token after them (i itself when the next word may change).
 */
static int
inert_words(struct aline *L, int i, int b)
{
	int k = i, ok = i;

	while (k < b) {
		int j = k;

		/* One word and the spaces after it. */
		while (j < b && L->t[j].kind != AT_SPACE && inert(L, j))
			j++;
		if (j < b && L->t[j].kind != AT_SPACE)
			break;
		while (j < b && L->t[j].kind == AT_SPACE)
			j++;
		k = ok = j;
	}
	if (ok > i) {
		/* Same style and adjacent bytes, or one run per token. */
		int x, start = i;

		for (x = i + 1; x <= ok; x++)
			if (x == ok || L->t[x].style != L->t[start].style ||
			    L->t[x].off != L->t[x - 1].off + L->t[x - 1].len) {
				rc_plain(L->c, &L->c->out, L->t[start].off,
				    L->t[x - 1].off + L->t[x - 1].len - L->t[start].off,
				    L->t[start].style);
				start = x;
			}
	}
	return ok;
}

static void
emit_range(struct aline *L, int a, int b, struct runv *dst, int level)
{
	struct emit e = { L, dst, level, dst->n, 0 };
	struct rctx *c = L->c;
	int i = a;

	while (i < b) {
		const struct atok *t = &L->t[i];
		const char *g;

		if (level == 0 && dst == &c->out && (i == a ||
		    L->t[i - 1].kind == AT_SPACE)) {
			int k = inert_words(L, i, b);

			if (k > i) {
				chunk_end(&e);
				i = k;
				e.chunk0 = dst->n;
				continue;
			}
		}

		switch (t->kind) {
		case AT_SPACE:
			chunk_end(&e);
			rc_run(c, dst, t->off, t->len, t->style, RK_SPACE);
			e.chunk0 = dst->n;
			i++;
			continue;
		case AT_WORD:
			if (t->wk == WK_GREEK && (level > 0 || greek_ctx(L, i)) &&
			    (g = greek(L, i)) != NULL) {
				glyph(&e, g, t->style);
				i++;
				scripts(&e, &i, 0, 0);
				continue;
			}
			if ((t->wk == WK_SUM || t->wk == WK_PROD ||
			    t->wk == WK_INT) && base_ok(L, i, 0)) {
				glyph(&e, t->wk == WK_SUM ? "Σ" :
				    t->wk == WK_PROD ? "Π" : "∫", t->style);
				i++;
				scripts(&e, &i, 1, 1);
				continue;
			}
			if (t->wk == WK_SQRT && tok_op(L, i + 1, '(') &&
			    L->t[i + 1].match > i + 2 && L->t[i + 1].match < b) {
				int m = L->t[i + 1].match;
				int bare = m == i + 3 && (L->t[i + 2].kind == AT_NUM ||
				    (L->t[i + 2].kind == AT_WORD &&
				    (L->t[i + 2].len == 1 || is_greek(L, i + 2))));

				glyph(&e, "√", t->style);
				if (!bare)
					src_tok(&e, i + 1);
				emit_range(L, i + 2, m, dst, level);
				if (!bare)
					src_tok(&e, m);
				e.conv = 1;
				i = m + 1;
				scripts(&e, &i, 0, 0);
				continue;
			}
			if ((t->wk == WK_INF || t->wk == WK_INFTY) &&
			    inf_ctx(L, i)) {
				glyph(&e, "∞", t->style);
				i++;
				continue;
			}
			src_tok(&e, i);
			i++;
			if (i < b && L->t[i].kind == AT_OP && (L->t[i].op == '_' ||
			    L->t[i].op == '^') && base_ok(L, i - 1, 0))
				scripts(&e, &i, is_fn(L, i - 1) && t->len > 1, 0);
			continue;
		case AT_NUM:
		case AT_VERB:
			src_tok(&e, i);
			i++;
			if (base_ok(L, i - 1, 0))
				scripts(&e, &i, 1, 0);
			continue;
		case AT_OP:
			if (t->op >= 0x80) {
				size_t k;

				for (k = 0; digraphs[k].id != t->op; k++)
					;
				glyph(&e, digraphs[k].u, t->style);
				i++;
				continue;
			}
			if (t->op == '-' && minus_ctx(L, i)) {
				glyph(&e, "−", t->style);
				i++;
				continue;
			}
			if (t->op == '*' && star_ctx(L, i)) {
				glyph(&e, "·", t->style);
				i++;
				continue;
			}
			src_tok(&e, i);
			i++;
			if ((t->op == ')' || t->op == ']') && base_ok(L, i - 1, 0))
				scripts(&e, &i, 0, 0);
			continue;
		default:
			src_tok(&e, i);
			i++;
			continue;
		}
	}
	chunk_end(&e);
}

static void as_typed(struct rctx *, size_t, size_t, unsigned[NSTYLE]);

/*
 * Could anything on pool[a, b) convert? A scan far cheaper than the
 * tokenizer, so the common line of prose skips it: scripts and '*' need
 * their character, digraphs two operator characters in a row, and
 * everything else a word from the list (a Greek name, sqrt, inf).
 */
static int
may_convert(const char *s, size_t a, size_t b)
{
	/* 1 letter, 2 script or '*', 3 other operator character. */
	static const unsigned char cls[256] = {
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
		['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
		['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
		['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
		['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
		['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
		['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
		['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
		['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
		['_'] = 2, ['^'] = 2, ['*'] = 2,
		['<'] = 3, ['>'] = 3, ['='] = 3, ['!'] = 3, ['-'] = 3, ['+'] = 3,
		['~'] = 3, ['|'] = 3, ['&'] = 3, ['/'] = 3, ['%'] = 3,
	};
	size_t i = a, j;

	while (i < b) {
		switch (cls[(unsigned char)s[i]]) {
		case 0:
			i++;
			continue;
		case 1:
			for (j = i + 1; j < b && cls[(unsigned char)s[j]] == 1; j++)
				;
			switch (word_kind(s + i, j - i)) {
			case WK_PLAIN:
			case WK_FN:
				break;
			default:
				return 1;
			}
			i = j;
			continue;
		case 2:
			return 1;
		default:
			if (i + 1 < b && cls[(unsigned char)s[i + 1]] >= 2)
				return 1;
			i++;
		}
	}
	return 0;
}

/* One line of prose: emit, and once more if the consistency rule says
 * that all sub- (or super-)scripts of the line must be linear. */
static void
prose_line(struct aline *L, int *cap, size_t a, size_t b, unsigned cnt[NSTYLE])
{
	struct rctx *c = L->c;
	size_t mark = c->out.n;
	struct rrun last = { 0, 0, 0, 0, RK_BREAK, 0 };
	unsigned start[NSTYLE];
	int pass;

	/* The first run may extend the one before the line: keep a copy to
	 * undo that when the line is emitted again. */
	if (mark > 0)
		last = c->out.v[mark - 1];
	if (!may_convert(c->pool.data, a, b)) {
		/* Nothing on this line can convert: the common case. */
		as_typed(c, a, b, cnt);
		return;
	}
	memcpy(start, cnt, sizeof start);
	tokenize(L, cap, a, b, cnt);
	if (!L->trig) {
		as_typed(c, a, b, start);
		return;
	}
	L->force_sub = L->force_sup = 0;
	for (pass = 0; pass < 3; pass++) {
		L->sub_fb = L->sub_map = L->sup_fb = L->sup_map = 0;
		c->out.n = mark;
		if (mark > 0)
			c->out.v[mark - 1] = last;
		emit_range(L, 0, L->n, &c->out, 0);
		if (!((L->sub_fb && L->sub_map && !L->force_sub) ||
		    (L->sup_fb && L->sup_map && !L->force_sup)))
			break;
		if (L->sub_fb && L->sub_map)
			L->force_sub = 1;
		if (L->sup_fb && L->sup_map)
			L->force_sup = 1;
	}
}

/* Plain text in the ASCII profile, or a field without formulas: as typed. */
static void
as_typed(struct rctx *c, size_t a, size_t b, unsigned cnt[NSTYLE])
{
	size_t i = a, start = a, used;
#define s (c->pool.data)

	while (i <= b) {
		char ch = i < b ? s[i] : '\0';

		/* Markers are the bytes 1 to 4. */
		if (i < b && (unsigned char)ch > MK_VE) {
			const char *ps = c->pool.data;

			for (i++; i < b && (unsigned char)ps[i] > MK_VE; i++)
				;
			continue;
		}
		if (i > start)
			rc_plain(c, &c->out, start, i - start, rc_style(cnt));
		if (i == b)
			break;
		if (rc_marker(s + i, b - i, cnt, &used))
			i += used;
		else
			i++;
		start = i;
	}
#undef s
}

void
rm_prose(struct rctx *c, size_t a, size_t b, unsigned cnt[NSTYLE])
{
	struct aline L;
	int cap = 0;
	size_t i = a, j;

	memset(&L, 0, sizeof L);
	L.c = c;
	cap = 16 + (int)((b - a) / 3 < 100000 ? (b - a) / 3 : 100000);
	L.t = xreallocarray(NULL, (size_t)cap, sizeof L.t[0]);
		while (i < b) {
		const char *nl = memchr(c->pool.data + i, '\n', b - i);

		j = nl != NULL ? (size_t)(nl - c->pool.data) : b;
		if (c->ascii)
			as_typed(c, i, j, cnt);
		else if (j > i)
			prose_line(&L, &cap, i, j, cnt);
		if (j < b)
			rc_break(c, &c->out);
		i = j + 1;
	}
	free(L.t);
	for (j = 0; j < 8; j++)
		free(L.scr[j].v);
}
