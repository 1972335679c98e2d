/*
 * gen.c - the benchmarks' collection: a progress file of N cards in a deck
 * tree with a review history of M rows, and the same notes as a TSV deck.
 *
 *	gen [--cards N] [--reviews M] [--seed S] [--decks D] [--days DAYS]
 *	    [--now TIME] --db OUT.db [--tsv OUT.tsv]
 *
 * The history comes from simulating a learner through lemma's own FSRS
 * scheduler (fsrs_next with the Default preset: steps 1m 10m, relearning
 * 10m, retention 0.90, fuzz) day by day over DAYS days that end the day
 * before TIME (default 2025-01-01T09:00:00Z, the tests' LEMMA_NOW): new
 * cards come in at the rate that introduces all N by the end, every due
 * card is reviewed, the learner recalls a card with probability R^k (R the
 * card's retrievability at that instant, k a hidden per-card difficulty),
 * rates Again on a lapse and mostly Good, some Hard and Easy on a pass, and
 * finishes the (re)learning steps in the same session (with Anki's learn
 * ahead limit). A lapse that makes a card a leech suspends it and tags the
 * note, as study_grade() does. The simulation stops after M review-log
 * rows; the calendar is then shifted by whole days so the last simulated
 * day is still yesterday (a dry run finds how many days that takes).
 *
 * Every row's prev_* columns are the card before the grade and the card's
 * final columns are its last row's state, so undo, stats and the queue see
 * a consistent file. Deterministic: the same arguments give the same file
 * contents (gen prints a checksum of the review log).
 *
 * Card text: fronts and backs of the bundled deck's lengths (front 45-110,
 * back 140-290 characters) with its formula density (about 60% of the
 * science backs carry a plain-text formula, a few LaTeX), short vocabulary
 * cards in the language decks, tags per chapter and kind.
 *
 * Only for `make bench` and its unit test; never part of the program. It
 * writes with SQLite directly (one transaction, prepared statements) after
 * db_open() made the schema and db_deck_ensure() the deck tree.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/day.h"
#include "lemma/base/err.h"
#include "lemma/base/hashtab.h"
#include "lemma/base/text.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-study.h"
#include "lemma/store/db.h"

/* The unit test compiles this file with -DGEN_MAIN=gen_main. */
#ifndef GEN_MAIN
#define GEN_MAIN main
#endif
int	GEN_MAIN(int argc, char **argv);

#define DAY		86400
#define LEECH_THRESHOLD	8
#define LEARN_AHEAD	1200	/* seconds, as study.h's STUDY_LEARN_AHEAD */

struct opts {
	long		 cards, reviews, days;
	int		 decks;
	uint64_t	 seed;
	time_t		 now;
	const char	*db, *tsv;
};

/* ---- random numbers: xoshiro256**, seeded with splitmix64 ------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ stream;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = ((s[1] * 5) << 7 | (s[1] * 5) >> 57) * 9,
	    t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = s[3] << 45 | s[3] >> 19;
	return res;
}

/* Uniform in [0, 1). */
static double
rng_u01(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in [0, n). */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static double
rng_gauss(struct rng *r)
{
	double u = rng_u01(r), v = rng_u01(r);

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

/* ---- the deck tree ------------------------------------------------------ */

enum kind { K_VOCAB, K_GRAMMAR, K_STEM, K_PROSE };
enum lang { L_FR, L_DE, L_ES, L_EL, L_JA, NLANGS };
enum topic { T_SCI, T_CS, T_HUM, NTOPICS };

struct deck_def {
	const char	*name;
	int		 kind;
	int		 sub;		/* enum lang or enum topic */
	int		 weight;	/* share of the cards; 0 for a parent only */
};

/* 49 decks (parents included), the share of cards per deck as a heavy
 * user's: a fifth in language decks, the rest of the bundled deck's
 * kind (science and computing with formulas, prose), a long tail. The names suit
 * the other benchmarks' queries (deck:languages::french, deck:maths*). */
static const struct deck_def deck_defs[] = {
	{ "Languages",				K_VOCAB, L_FR, 0 },
	{ "Languages::French",			K_VOCAB, L_FR, 7 },
	{ "Languages::French::Vocabulary",	K_VOCAB, L_FR, 20 },
	{ "Languages::French::Grammar",		K_GRAMMAR, L_FR, 5 },
	{ "Languages::German",			K_VOCAB, L_DE, 3 },
	{ "Languages::German::Vocabulary",	K_VOCAB, L_DE, 15 },
	{ "Languages::German::Grammar",		K_GRAMMAR, L_DE, 4 },
	{ "Languages::Spanish",			K_VOCAB, L_ES, 10 },
	{ "Languages::Greek",			K_VOCAB, L_EL, 7 },
	{ "Languages::Japanese",		K_VOCAB, L_JA, 0 },
	{ "Languages::Japanese::Kanji",		K_VOCAB, L_JA, 24 },
	{ "Languages::Japanese::Vocabulary",	K_VOCAB, L_JA, 17 },
	{ "Maths",				K_STEM, T_SCI, 5 },
	{ "Maths::Linear Algebra",		K_STEM, T_SCI, 25 },
	{ "Maths::Calculus",			K_STEM, T_SCI, 25 },
	{ "Maths::Probability",			K_STEM, T_SCI, 25 },
	{ "Maths::Statistics",			K_STEM, T_SCI, 20 },
	{ "Maths::Analysis",			K_STEM, T_SCI, 10 },
	{ "Science",				K_STEM, T_SCI, 0 },
	{ "Science::Physics",			K_STEM, T_SCI, 10 },
	{ "Science::Physics::Mechanics",	K_STEM, T_SCI, 15 },
	{ "Science::Physics::Electromagnetism",	K_STEM, T_SCI, 12 },
	{ "Science::Chemistry",			K_STEM, T_SCI, 18 },
	{ "Science::Biology",			K_PROSE, T_SCI, 15 },
	{ "Science::Biology::Genetics",		K_PROSE, T_SCI, 10 },
	{ "Computing",				K_STEM, T_CS, 0 },
	{ "Computing::Algorithms",		K_STEM, T_CS, 25 },
	{ "Computing::Systems",			K_PROSE, T_CS, 15 },
	{ "Computing::Networks",		K_PROSE, T_CS, 12 },
	{ "Computing::Machine Learning",		K_STEM, T_CS, 20 },
	{ "Computing::Machine Learning::Information Theory", K_STEM, T_CS, 15 },
	{ "Computing::Machine Learning::RL",	K_STEM, T_CS, 10 },
	{ "Computing::C",			K_PROSE, T_CS, 12 },
	{ "History",				K_PROSE, T_HUM, 5 },
	{ "History::Europe",			K_PROSE, T_HUM, 20 },
	{ "History::Asia",			K_PROSE, T_HUM, 12 },
	{ "History::Americas",			K_PROSE, T_HUM, 10 },
	{ "Geography",				K_PROSE, T_HUM, 0 },
	{ "Geography::Capitals",		K_PROSE, T_HUM, 15 },
	{ "Geography::Rivers",			K_PROSE, T_HUM, 6 },
	{ "Medicine",				K_PROSE, T_SCI, 0 },
	{ "Medicine::Anatomy",			K_PROSE, T_SCI, 25 },
	{ "Medicine::Pharmacology",		K_PROSE, T_SCI, 20 },
	{ "Music",				K_PROSE, T_HUM, 4 },
	{ "Music::Theory",			K_PROSE, T_HUM, 8 },
	{ "Law",				K_PROSE, T_HUM, 10 },
	{ "Economics",				K_STEM, T_HUM, 10 },
	{ "Philosophy",				K_PROSE, T_HUM, 8 },
	{ "Tokens to Embodied Minds",		K_STEM, T_CS, 6 },
};
#define NDECK_DEFS	(sizeof deck_defs / sizeof deck_defs[0])

struct gdeck {
	char		*name;
	struct deck_def	 def;
	int64_t		 id;
};

/* ---- card text ------------------------------------------------------------ */

struct word {
	const char *w, *en;
};

static const struct word nouns[NLANGS][16] = {
	[L_FR] = { { "maison", "house" }, { "jardin", "garden" }, { "eau", "water" },
	    { "pain", "bread" }, { "rivière", "river" }, { "montagne", "mountain" },
	    { "fenêtre", "window" }, { "ami", "friend" }, { "été", "summer" },
	    { "hôpital", "hospital" }, { "château", "castle" }, { "forêt", "forest" },
	    { "garçon", "boy" }, { "bibliothèque", "library" }, { "cuisine", "kitchen" },
	    { "question", "question" } },
	[L_DE] = { { "Straße", "street" }, { "Baum", "tree" }, { "Mädchen", "girl" },
	    { "Größe", "size" }, { "Fußball", "football" }, { "Brötchen", "bread roll" },
	    { "Käse", "cheese" }, { "Fenster", "window" }, { "Freund", "friend" },
	    { "Lehrer", "teacher" }, { "Frage", "question" }, { "Antwort", "answer" },
	    { "Wald", "forest" }, { "Stadt", "town" }, { "Zeit", "time" },
	    { "Küche", "kitchen" } },
	[L_ES] = { { "casa", "house" }, { "jardín", "garden" }, { "agua", "water" },
	    { "pan", "bread" }, { "río", "river" }, { "montaña", "mountain" },
	    { "ventana", "window" }, { "amigo", "friend" }, { "verano", "summer" },
	    { "niño", "child" }, { "ciudad", "city" }, { "mañana", "morning" },
	    { "corazón", "heart" }, { "biblioteca", "library" }, { "cocina", "kitchen" },
	    { "pregunta", "question" } },
	[L_EL] = { { "θάλασσα", "sea" }, { "σοφία", "wisdom" }, { "ψυχή", "soul" },
	    { "καρδιά", "heart" }, { "νερό", "water" }, { "ήλιος", "sun" },
	    { "σπίτι", "house" }, { "δρόμος", "road" }, { "βιβλίο", "book" },
	    { "φίλος", "friend" }, { "πόλη", "city" }, { "ψωμί", "bread" },
	    { "ουρανός", "sky" }, { "λόγος", "reason" }, { "χρόνος", "time" },
	    { "δάσος", "forest" } },
	[L_JA] = { { "水", "water" }, { "山", "mountain" }, { "川", "river" },
	    { "学校", "school" }, { "先生", "teacher" }, { "友達", "friend" },
	    { "時間", "time" }, { "電車", "train" }, { "図書館", "library" },
	    { "天気", "weather" }, { "言葉", "word" }, { "台所", "kitchen" },
	    { "窓", "window" }, { "森", "forest" }, { "心", "heart" },
	    { "質問", "question" } },
};

static const struct word adjs[NLANGS][8] = {
	[L_FR] = { { "belle", "beautiful" }, { "grand", "big" }, { "petit", "small" },
	    { "vieux", "old" }, { "nouveau", "new" }, { "froid", "cold" },
	    { "bleu", "blue" }, { "vite", "quick" } },
	[L_DE] = { { "schön", "beautiful" }, { "groß", "big" }, { "klein", "small" },
	    { "alt", "old" }, { "neu", "new" }, { "kalt", "cold" },
	    { "blau", "blue" }, { "schnell", "quick" } },
	[L_ES] = { { "hermoso", "beautiful" }, { "grande", "big" }, { "pequeño", "small" },
	    { "viejo", "old" }, { "nuevo", "new" }, { "frío", "cold" },
	    { "azul", "blue" }, { "rápido", "quick" } },
	[L_EL] = { { "όμορφος", "beautiful" }, { "μεγάλος", "big" }, { "μικρός", "small" },
	    { "παλιός", "old" }, { "καινούργιος", "new" }, { "κρύος", "cold" },
	    { "μπλε", "blue" }, { "γρήγορος", "quick" } },
	[L_JA] = { { "美しい", "beautiful" }, { "大きい", "big" }, { "小さい", "small" },
	    { "古い", "old" }, { "新しい", "new" }, { "寒い", "cold" },
	    { "青い", "blue" }, { "速い", "quick" } },
};

static const struct word verbs[NLANGS][8] = {
	[L_FR] = { { "manger", "to eat" }, { "courir", "to run" }, { "lire", "to read" },
	    { "écrire", "to write" }, { "voir", "to see" }, { "prendre", "to take" },
	    { "venir", "to come" }, { "savoir", "to know" } },
	[L_DE] = { { "essen", "to eat" }, { "laufen", "to run" }, { "lesen", "to read" },
	    { "schreiben", "to write" }, { "sehen", "to see" }, { "nehmen", "to take" },
	    { "kommen", "to come" }, { "wissen", "to know" } },
	[L_ES] = { { "comer", "to eat" }, { "correr", "to run" }, { "leer", "to read" },
	    { "escribir", "to write" }, { "ver", "to see" }, { "tomar", "to take" },
	    { "venir", "to come" }, { "saber", "to know" } },
	[L_EL] = { { "τρώω", "to eat" }, { "τρέχω", "to run" }, { "διαβάζω", "to read" },
	    { "γράφω", "to write" }, { "βλέπω", "to see" }, { "παίρνω", "to take" },
	    { "έρχομαι", "to come" }, { "ξέρω", "to know" } },
	[L_JA] = { { "食べる", "to eat" }, { "走る", "to run" }, { "読む", "to read" },
	    { "書く", "to write" }, { "見る", "to see" }, { "取る", "to take" },
	    { "来る", "to come" }, { "知る", "to know" } },
};

static const char *const tenses[] = {
	"present", "past", "future", "conditional", "subjunctive", "imperative",
};
static const char *const persons[] = {
	"first person singular", "second person singular", "third person singular",
	"first person plural", "second person plural", "third person plural",
};

static const char *const terms[NTOPICS][24] = {
	[T_SCI] = { "the determinant", "an eigenvalue", "the gradient",
	    "the chain rule", "a Taylor series", "the variance", "Bayes' rule",
	    "the central limit theorem", "a conditional expectation",
	    "the moment of inertia", "the electric field", "Gauss's law",
	    "an orthogonal matrix", "the Jacobian", "the normal distribution",
	    "the partition function", "enthalpy", "the ideal gas law",
	    "a Lagrange multiplier", "the divergence theorem",
	    "the law of large numbers", "a covariance matrix",
	    "the harmonic oscillator", "angular momentum" },
	[T_CS] = { "cross-entropy", "perplexity", "the KL divergence",
	    "a hash table", "a B-tree", "the softmax", "temperature scaling",
	    "the DPO loss", "a policy gradient", "the attention mechanism",
	    "a residual connection", "layer normalisation", "Shannon entropy",
	    "a binary heap", "quicksort", "the page cache", "a write-ahead log",
	    "TCP congestion control", "a mutex", "the RLHF objective",
	    "mutual information", "a Bloom filter", "dynamic programming",
	    "the reference policy" },
	[T_HUM] = { "the Peace of Westphalia", "the Congress of Vienna",
	    "the Meiji Restoration", "the Magna Carta", "the Hanseatic League",
	    "the Treaty of Tordesillas", "the Silk Road", "the Reformation",
	    "the Danube", "the Mekong", "the categorical imperative",
	    "the social contract", "supply and demand", "comparative advantage",
	    "the circle of fifths", "a dominant seventh", "habeas corpus",
	    "the separation of powers", "the Enlightenment",
	    "the Ottoman Empire", "the Inca road system", "the Hundred Years' War",
	    "the capital of Mongolia", "the Nile delta" },
};

static const char *const front_tpl[] = {
	"What is the relationship between %s and %s?",
	"Why is %s preferred over %s in practice?",
	"Define %s and its relationship to %s.",
	"How does %s use %s?",
	"What happens to %s when %s goes to zero?",
	"Write %s including the term for %s.",
	"State %s, and say when %s makes it fail.",
	"Explain %s in one sentence, then contrast it with %s.",
	"What does it mean operationally if %s collapses while %s grows?",
	"Give an example where %s and %s disagree, and say why.",
};

static const char *const back_tpl[] = {
	"%s measures how far %s is from the optimum, step by step.",
	"Think of %s as the effective size of %s at each step.",
	"%s spreads mass wherever %s has mass, preserving valid outcomes.",
	"In practice %s is cheaper than %s and almost as accurate.",
	"This is why %s is still reported next to %s in most papers.",
	"%s is undefined when %s assigns zero weight to an outcome.",
	"The trade-off is between %s and staying close to %s.",
	"Historically %s came first; %s refined it a generation later.",
	"Remember: %s depends on %s only through its first two moments.",
	"A common mistake is to confuse %s with %s.",
};

/* Plain-text formulas as the bundled deck writes them, and a few LaTeX
 * ones (inline and display) as a maths deck from Anki would. */
static const char *const formulas[] = {
	"H(p) = -sum_x p(x) log p(x)",
	"KL(p||q) = sum_x p(x) log(p(x)/q(x))",
	"Perplexity = exp(H(p,q))",
	"J = E_pi[r(y|x)] - beta * KL(pi(y|x) || pi_ref(y|x))",
	"sigma(z) = 1/(1 + e^-z)",
	"Var(X) = E[X^2] - E[X]^2",
	"P(A|B) = P(B|A) P(A) / P(B)",
	"det(AB) = det(A) det(B)",
	"d/dx e^x = e^x",
	"F = m a, so a = F/m",
	"PV = nRT",
	"Delta G = Delta H - T Delta S",
	"T(n) = 2T(n/2) + O(n) = O(n log n)",
	"I(X;Y) = H(X) - H(X|Y)",
	"lim_{n->inf} (1 + 1/n)^n = e",
	"softmax(z)_i = exp(z_i/T) / sum_j exp(z_j/T)",
	"\\(\\frac{\\partial L}{\\partial w} = \\sum_i (y_i - \\hat y_i) x_i\\)",
	"\\(\\mathbb{E}[X] = \\int x f(x)\\,dx\\)",
	"\\[\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\\]",
	"\\[\\nabla \\cdot \\mathbf{E} = \\frac{\\rho}{\\varepsilon_0}\\]",
};
#define NPLAIN_FORMULAS	16
#define NFORMULAS	(sizeof formulas / sizeof formulas[0])

static const char *const extra_tags[] = {
	"definition", "proof", "drill", "exam", "hard", "review-later",
};

#define N(a)	(sizeof (a) / sizeof (a)[0])

static const char *
pick(struct rng *r, const char *const *a, size_t n)
{
	return a[rng_below(r, (uint32_t)n)];
}

/* Two different terms of a topic. */
static void
two_terms(struct rng *r, int topic, const char **a, const char **b)
{
	uint32_t i = rng_below(r, N(terms[topic])),
	    j = rng_below(r, N(terms[topic]) - 1);

	*a = terms[topic][i];
	*b = terms[topic][j >= i ? j + 1 : j];
}

/* Append sentences from back_tpl until b holds at least target bytes. */
static void
add_sentences(struct buf *b, struct rng *r, int topic, size_t target)
{
	while (b->len < target) {
		const char *x, *y;
		size_t at;

		if (b->len > 0)
			buf_addc(b, ' ');
		at = b->len;
		two_terms(r, topic, &x, &y);
		buf_printf(b, pick(r, back_tpl, N(back_tpl)), x, y);
		/* A sentence starts with a capital. */
		if (b->data[at] >= 'a' && b->data[at] <= 'z')
			b->data[at] = (char)(b->data[at] - 'a' + 'A');
	}
}

/* The front, back and tags of note i in deck d. */
static void
note_text(const struct deck_def *d, uint64_t seed, long i, struct buf *front,
    struct buf *back, struct buf *tags)
{
	struct rng r;
	int sub = d->sub;

	rng_seed(&r, seed, 0x7e57ULL << 32 | (uint64_t)i);
	buf_reset(front);
	buf_reset(back);
	buf_reset(tags);
	switch (d->kind) {
	case K_VOCAB: {
		const struct word *n = &nouns[sub][rng_below(&r, 16)];
		const struct word *a = &adjs[sub][rng_below(&r, 8)];
		const struct word *v = &verbs[sub][rng_below(&r, 8)];
		const struct word *n2 = &nouns[sub][rng_below(&r, 16)];
		char *en;
		switch (rng_below(&r, 4)) {
		case 0:
			buf_printf(front, "%s", n->w);
			buf_printf(back, "%s", n->en);
			buf_adds(tags, "noun");
			break;
		case 1:
			if (sub == L_FR || sub == L_ES)
				buf_printf(front, "%s %s", n->w, a->w);
			else
				buf_printf(front, "%s %s", a->w, n->w);
			buf_printf(back, "the %s %s", a->en, n->en);
			buf_adds(tags, "adjective");
			break;
		case 2:
			buf_printf(front, "%s", v->w);
			buf_printf(back, "%s", v->en);
			buf_adds(tags, "verb");
			break;
		default:
			buf_printf(front, "%s %s %s", v->w, n->w, n2->w);
			buf_printf(back, "%s the %s, with the %s", v->en, n->en,
			    n2->en);
			buf_adds(tags, "verb phrase");
		}
		/* An example in context, as most vocabulary decks have. */
		en = xstrdup(back->data);
		buf_printf(back, ". Example: %s %s %s, “%s the %s %s”.",
		    front->data, a->w, n2->w, en, a->en, n2->en);
		free(en);
		if (rng_below(&r, 3) == 0)
			buf_printf(back, " Not to be confused with %s (%s).",
			    n2->w, n2->en);
		buf_printf(tags, " lesson%02u", 1 + rng_below(&r, 40));
		break;
	}
	case K_GRAMMAR: {
		const struct word *v = &verbs[sub][rng_below(&r, 8)];
		const char *t = pick(&r, tenses, N(tenses));
		buf_printf(front, "Conjugate %s (%s) in the %s, %s.", v->w, v->en,
		    t, pick(&r, persons, N(persons)));
		buf_printf(back, "%s: the %s stem of %s plus the regular ending; "
		    "compare the %s.", v->w, t, v->w, pick(&r, tenses, N(tenses)));
		buf_printf(tags, "verb grammar lesson%02u", 1 + rng_below(&r, 40));
		break;
	}
	default: {
		int topic = sub, has_formula = 0;
		size_t ftarget = 45 + rng_below(&r, 66);
		size_t btarget = 140 + rng_below(&r, 151);
		const char *x, *y;

		two_terms(&r, topic, &x, &y);
		buf_printf(front, pick(&r, front_tpl, N(front_tpl)), x, y);
		if (front->len < ftarget && rng_below(&r, 2) == 0)
			buf_printf(front, " (%s)", pick(&r, terms[topic],
			    N(terms[topic])));
		if (front->data[0] >= 'a' && front->data[0] <= 'z')
			front->data[0] = (char)(front->data[0] - 'a' + 'A');
		/* Six in ten science backs open with a formula, as the
		 * bundled deck's; one formula in eight is LaTeX. */
		if (d->kind == K_STEM ? rng_below(&r, 10) < 6 :
		    rng_below(&r, 20) == 0) {
			uint32_t k = rng_below(&r, 8) == 0 ?
			    NPLAIN_FORMULAS + rng_below(&r,
			    (uint32_t)(NFORMULAS - NPLAIN_FORMULAS)) :
			    rng_below(&r, NPLAIN_FORMULAS);
			buf_printf(back, "%s.", formulas[k]);
			has_formula = 1;
		}
		add_sentences(back, &r, topic, btarget);
		buf_printf(tags, "ch%02u", 1 + rng_below(&r, 30));
		if (has_formula)
			buf_adds(tags, " formula");
		if (rng_below(&r, 4) == 0)
			buf_printf(tags, " %s", pick(&r, extra_tags, N(extra_tags)));
	}
	}
	if (rng_below(&r, 100) == 0)
		buf_adds(tags, " marked");
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

/* ---- the simulation ------------------------------------------------------ */

struct gcard {
	struct fsrs_card f;
	float		 k;		/* hidden: recall probability is R^k */
	uint16_t	 deck;
	uint8_t		 suspended, leech, flag;
};

struct vec {
	uint32_t	*v;
	uint32_t	 n, cap;
};

static void
vec_push(struct vec *a, uint32_t x)
{
	VEC_RESERVE(a->v, a->cap, a->n + 1, 16);
	a->v[a->n++] = x;
}

/* The learning cards of today's session, earliest due first. */
struct lheap {
	struct lent { int64_t due; uint32_t card; } *v;
	size_t n, cap;
};

static void
lheap_push(struct lheap *h, int64_t due, uint32_t card)
{
	size_t i;

	VEC_RESERVE(h->v, h->cap, h->n + 1, 64);
	i = h->n++;
	while (i > 0 && h->v[(i - 1) / 2].due > due) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i].due = due;
	h->v[i].card = card;
}

static struct lent
lheap_pop(struct lheap *h)
{
	struct lent top = h->v[0], last = h->v[--h->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].due < h->v[c].due)
			c++;
		if (h->v[c].due >= last.due)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n > 0)
		h->v[i] = last;
	return top;
}

struct sim {
	const struct opts	*o;
	struct fsrs_params	 p;
	struct gcard		*c;
	struct gdeck		*decks;
	int			 ndecks;
	struct vec		*bucket;	/* review cards by due day */
	struct lheap		 learn;
	struct rng		 r;
	int64_t			 day0;		/* start of study day 0 */
	long			 nnew;		/* cards introduced so far */
	long			 rows, stop_day;
	long			 kinds[3];
	int64_t			 last_id, first_id;
	uint64_t		 sum;		/* checksum of the rows */
	sqlite3_stmt		*ins;		/* NULL in the dry run */
	sqlite3			*sql;
};

static void
die_sql(sqlite3 *sql, const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, sqlite3_errmsg(sql));
	exit(1);
}

static int
choose_grade(struct sim *s, const struct gcard *c, time_t now)
{
	double u = rng_u01(&s->r), k = c->k;

	if (c->f.state == FSRS_NEW) {
		/* First sight: no memory to recall; harder cards get Again
		 * more often. */
		double pa = 0.18 * k, ph = 0.12, pe = 0.10 / k;
		if (pa > 0.6)
			pa = 0.6;
		return u < pa ? 1 : u < pa + ph ? 2 : u < pa + ph + pe ? 4 : 3;
	}
	{
		double t = (double)(now - c->f.last_review) / DAY;
		double r = fsrs_retrievability(&s->p, t < 0 ? 0 : t,
		    c->f.stability);
		double v = rng_u01(&s->r);
		if (u >= pow(r, k))
			return 1;
		return v < 0.10 ? 2 : v < 0.92 ? 3 : 4;
	}
}

/* Grade card ci at t_ms; write its row; file it for its next review. */
static void
answer(struct sim *s, uint32_t ci, int64_t t_ms, long today)
{
	struct gcard *c = &s->c[ci];
	struct fsrs_card after;
	time_t now = (time_t)(t_ms / 1000);
	int g = choose_grade(s, c, now), kind, answer_ms;
	long t, due_day;
	int64_t id;
	int was_suspended = c->suspended;
	double sched;

	t = c->f.state == FSRS_NEW || c->f.last_review == 0 ? 0 :
	    fsrs_elapsed_days(&s->p, (time_t)c->f.last_review, now);
	fsrs_next(&s->p, &c->f, now, t, (uint64_t)ci + 1 + (uint64_t)c->f.reps,
	    g, &after);
	if (c->f.state == FSRS_REVIEW && g == 1 &&
	    fsrs_is_leech(after.lapses, LEECH_THRESHOLD)) {
		c->leech = 1;
		c->suspended = 1;
	}
	kind = c->f.state == FSRS_NEW || c->f.state == FSRS_LEARNING ? 0 :
	    c->f.state == FSRS_REVIEW ? 1 : 2;
	sched = after.state == FSRS_REVIEW ? (double)after.scheduled_days :
	    (double)(after.due - (int64_t)now) / DAY;
	answer_ms = (int)(1500 + 6000 * rng_u01(&s->r) * rng_u01(&s->r)) +
	    (g == 1 ? 2500 : 0);
	id = t_ms > s->last_id ? t_ms : s->last_id + 1;
	s->last_id = id;
	if (s->first_id == 0)
		s->first_id = id;
	s->kinds[kind]++;
	s->rows++;
	if (s->ins != NULL) {
		sqlite3_stmt *st = s->ins;
		struct db_study_revlog row = { .id = id,
		    .card_id = (int64_t)ci + 1, .rating = g, .kind = kind,
		    .answer_ms = answer_ms, .elapsed_days = (double)t,
		    .scheduled_days = sched, .after = after, .prev = c->f,
		    .prev_suspended = was_suspended, .prev_buried_until = 0 };

		db_study_revlog_bind(st, &row);
		if (sqlite3_step(st) != SQLITE_DONE)
			die_sql(s->sql, "insert review");
		sqlite3_reset(st);
		s->sum = fnv(s->sum, &id, sizeof id);
		s->sum = fnv(s->sum, &g, sizeof g);
		s->sum = fnv(s->sum, &after.due, sizeof after.due);
		s->sum = fnv(s->sum, &after.stability, sizeof after.stability);
	}
	c->f = after;
	if (c->suspended)
		return;
	due_day = (long)((after.due - s->day0) / DAY);
	if (due_day <= today)
		lheap_push(&s->learn, after.due, ci);
	else if (due_day < s->o->days)
		vec_push(&s->bucket[due_day], ci);
}

/* One study day: every due review and today's new cards, mixed, and the
 * (re)learning steps they start, until done or M rows are written. */
static void
study_day(struct sim *s, long k)
{
	struct vec *due = &s->bucket[k];
	int64_t start = s->day0 + (int64_t)k * DAY;
	int64_t t_ms = (start + 4 * 3600 + (int64_t)rng_below(&s->r, 10 * 3600))
	    * 1000;
	long target = (long)((double)s->o->cards * (double)(k + 1) /
	    (double)s->o->days), nnew = target - s->nnew;
	uint32_t nrev = due->n, ri = 0;
	long ni = 0, total, done = 0;

	/* Reviews in random order (Anki sorts by due, then shuffles). */
	for (uint32_t i = nrev; i > 1; i--) {
		uint32_t j = rng_below(&s->r, i), x = due->v[i - 1];
		due->v[i - 1] = due->v[j];
		due->v[j] = x;
	}
	if (nnew < 0)
		nnew = 0;
	total = (long)nrev + nnew;
	while (s->rows < s->o->reviews) {
		uint32_t ci;

		if (s->learn.n > 0 && s->learn.v[0].due * 1000 <= t_ms)
			ci = lheap_pop(&s->learn).card;
		else if (done < total) {
			/* New cards spread evenly among the reviews. */
			int take_new = ni < nnew && (ri >= nrev ||
			    (ni + 1) * total <= (done + 1) * nnew);
			if (take_new) {
				ci = (uint32_t)s->nnew++;
				ni++;
			} else
				ci = due->v[ri++];
			done++;
		} else if (s->learn.n > 0) {
			/* Only learning cards left: wait for the next one,
			 * showing it up to the learn-ahead limit early. */
			int64_t at = (s->learn.v[0].due - LEARN_AHEAD) * 1000;
			if (at > t_ms)
				t_ms = at;
			ci = lheap_pop(&s->learn).card;
		} else
			break;
		t_ms += 1500 + rng_below(&s->r, 9000);
		answer(s, ci, t_ms, k);
		t_ms += 300 + rng_below(&s->r, 1500);
	}
	s->stop_day = k;
	free(due->v);
	memset(due, 0, sizeof *due);
}

/* Run the whole simulation from scratch, with day 0 starting at day0. */
static void
simulate(struct sim *s, int64_t day0)
{
	struct rng init;

	s->day0 = day0;
	s->nnew = 0;
	s->rows = 0;
	s->stop_day = 0;
	s->last_id = s->first_id = 0;
	s->sum = 0xcbf29ce484222325ULL;
	memset(s->kinds, 0, sizeof s->kinds);
	rng_seed(&s->r, s->o->seed, 0x51a1ULL);
	rng_seed(&init, s->o->seed, 0xca7dULL);
	for (long i = 0; i < s->o->cards; i++) {
		struct gcard *c = &s->c[i];
		double k = exp(0.3 * rng_gauss(&init));
		uint16_t deck = c->deck;
		memset(c, 0, sizeof *c);
		c->deck = deck;
		c->k = (float)(k < 0.4 ? 0.4 : k > 3.0 ? 3.0 : k);
		c->flag = rng_below(&init, 200) == 0 ? 1 + rng_below(&init, 4) : 0;
	}
	for (long d = 0; d < s->o->days; d++) {
		free(s->bucket[d].v);
		memset(&s->bucket[d], 0, sizeof s->bucket[d]);
	}
	s->learn.n = 0;
	for (long k = 0; k < s->o->days && s->rows < s->o->reviews; k++) {
		/* A day off now and then: that day's reviews wait. */
		if (rng_u01(&s->r) < 0.04 && k + 1 < s->o->days) {
			struct vec *d = &s->bucket[k];
			for (uint32_t i = 0; i < d->n; i++)
				vec_push(&s->bucket[k + 1], d->v[i]);
			free(d->v);
			memset(d, 0, sizeof *d);
			s->stop_day = k;
			continue;
		}
		study_day(s, k);
	}
}

/* ---- writing ---------------------------------------------------------------- */

static void
exec_sql(sqlite3 *sql, const char *q)
{
	char *msg = NULL;

	if (sqlite3_exec(sql, q, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "gen: %s: %s\n", q, msg != NULL ? msg : "?");
		exit(1);
	}
}

static sqlite3_stmt *
prepare(sqlite3 *sql, const char *q)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK)
		die_sql(sql, q);
	return st;
}

/* Drop the secondary indexes of the tables about to be filled and return
 * their CREATE statements (at most 16), to build them again at the end. */
static int
drop_indexes(sqlite3 *sql, char **out)
{
	sqlite3_stmt *st;
	int n = 0;

	st = prepare(sql, "SELECT name, sql FROM sqlite_master WHERE type = "
	    "'index' AND sql IS NOT NULL AND tbl_name IN ('notes', 'cards', "
	    "'revlog')");
	while (n < 16 && sqlite3_step(st) == SQLITE_ROW) {
		char *drop = xasprintf("DROP INDEX \"%s\"",
		    (const char *)sqlite3_column_text(st, 0));
		out[n++] = xstrdup((const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		exec_sql(sql, drop);
		free(drop);
		st = prepare(sql, "SELECT name, sql FROM sqlite_master WHERE "
		    "type = 'index' AND sql IS NOT NULL AND tbl_name IN "
		    "('notes', 'cards', 'revlog')");
	}
	sqlite3_finalize(st);
	return n;
}

/* The deck tree through lemma's own db_deck_ensure(); the weights pick
 * each card's deck. */
static void
make_decks(struct sim *s, struct db *db, time_t created)
{
	struct err e;
	int n = s->o->decks;

	s->decks = xcalloc((size_t)n, sizeof *s->decks);
	for (int i = 0; i < n; i++) {
		struct gdeck *d = &s->decks[i];
		if ((size_t)i < NDECK_DEFS) {
			d->def = deck_defs[i];
			d->name = xstrdup(d->def.name);
		} else {
			/* More decks than the table: extra leaves of
			 * prose, under their own parent. */
			d->def.kind = K_PROSE;
			d->def.sub = T_HUM;
			d->def.weight = 5;
			d->name = xasprintf("Extra::Deck %03d", i - (int)NDECK_DEFS + 1);
		}
		d->def.name = d->name;
		if ((d->id = db_deck_ensure(db, d->name, created, &e)) < 0) {
			err_print(&e, stderr);
			exit(1);
		}
	}
	s->ndecks = n;
}

static void
assign_decks(struct sim *s)
{
	struct rng r;
	long wsum = 0;

	for (int i = 0; i < s->ndecks; i++)
		wsum += s->decks[i].def.weight;
	if (wsum == 0) {
		for (int i = 0; i < s->ndecks; i++)
			s->decks[i].def.weight = 1;
		wsum = s->ndecks;
	}
	rng_seed(&r, s->o->seed, 0xdec4ULL);
	for (long i = 0; i < s->o->cards; i++) {
		long x = (long)rng_below(&r, (uint32_t)wsum);
		int d = 0;
		while (x >= s->decks[d].def.weight) {
			x -= s->decks[d].def.weight;
			d++;
		}
		s->c[i].deck = (uint16_t)d;
	}
}

/* TSV fields hold no tab or newline by construction; say so if not. */
static void
tsv_field(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

static void
write_notes(struct sim *s, time_t span_start, time_t span_end, FILE *tsv)
{
	sqlite3_stmt *note, *card;
	struct buf front, back, tags, t2;
	/* Fronts must be unique within a deck (import's duplicate check): a
	 * set of 64-bit hashes of (deck, front). */
	struct hashtab seen = HASHTAB_INIT(0, 16);
	buf_init(&front);
	buf_init(&back);
	buf_init(&tags);
	buf_init(&t2);
	/* sort_key as lemma writes it (db-notes.c), or the browser would
	 * fall back to sorting everything in C on this file. */
	note = prepare(s->sql, "INSERT INTO notes (id, guid, notetype, deck_id, "
	    "fields, sort_field, tags, is_html, created, modified, sort_key) "
	    "VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, 0, ?7, ?8, ?9)");
	card = prepare(s->sql, "INSERT INTO cards (id, note_id, ord, deck_id, "
	    "state, due, stability, difficulty, last_review, scheduled_days, "
	    "step, reps, lapses, position, suspended, buried_until, flag, "
	    "created, modified) VALUES (?1, ?1, 0, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, 0, ?14, ?15, ?16)");
	if (tsv != NULL)
		fputs("#separator:tab\n#html:false\n#deck column:3\n"
		    "#tags column:4\n", tsv);
	for (long i = 0; i < s->o->cards; i++) {
		const struct gcard *c = &s->c[i];
		const struct gdeck *d = &s->decks[c->deck];
		time_t created = span_start + (time_t)((double)(span_end -
		    span_start) * (double)i / (double)s->o->cards);
		time_t modified = c->f.last_review > created ?
		    (time_t)c->f.last_review : created;
		char g[16];
		size_t base_len;
		uint64_t h, x = s->o->seed ^ 0x6a09e667f3bcc909ULL ^
		    (uint64_t)i * 0x9e3779b97f4a7c15ULL;

		note_text(&d->def, s->o->seed, i, &front, &back, &tags);
		base_len = front.len;
		h = fnv(fnv(0xcbf29ce484222325ULL, &c->deck, sizeof c->deck),
		    front.data, front.len);
		for (int n = 2; !hashtab_put(&seen, h != 0 ? h : 1); n++) {
			/* A duplicate: number it, as a person would. */
			front.len = base_len;
			front.data[base_len] = '\0';
			buf_printf(&front, " (%d)", n);
			h = fnv(fnv(0xcbf29ce484222325ULL, &c->deck,
			    sizeof c->deck), front.data, front.len);
		}
		if (c->leech)
			buf_adds(&tags, " leech");
		buf_reset(&t2);
		buf_printf(&t2, " %s ", tags.data);
		db_note_guid(splitmix(&x), g);

		sqlite3_bind_int64(note, 1, i + 1);
		sqlite3_bind_text(note, 2, g, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(note, 3, d->id);
		{
			char *fields = xasprintf("%s\x1f%s", front.data, back.data);
			sqlite3_bind_text(note, 4, fields, -1, free);
		}
		sqlite3_bind_text(note, 5, front.data, (int)front.len,
		    SQLITE_TRANSIENT);
		sqlite3_bind_text(note, 6, t2.data, (int)t2.len, SQLITE_TRANSIENT);
		sqlite3_bind_int64(note, 7, (sqlite3_int64)created);
		sqlite3_bind_int64(note, 8, (sqlite3_int64)modified);
		sqlite3_bind_int64(note, 9, text_sort_key(front.data,
		    front.len));
		if (sqlite3_step(note) != SQLITE_DONE)
			die_sql(s->sql, "insert note");
		sqlite3_reset(note);

		sqlite3_bind_int64(card, 1, i + 1);
		sqlite3_bind_int64(card, 2, d->id);
		db_study_bind_card_state(card, 3, &c->f);
		sqlite3_bind_int64(card, 12, i);
		sqlite3_bind_int(card, 13, c->suspended);
		sqlite3_bind_int(card, 14, c->flag);
		sqlite3_bind_int64(card, 15, (sqlite3_int64)created);
		sqlite3_bind_int64(card, 16, (sqlite3_int64)modified);
		if (sqlite3_step(card) != SQLITE_DONE)
			die_sql(s->sql, "insert card");
		sqlite3_reset(card);

		if (tsv != NULL) {
			tsv_field(tsv, front.data);
			fputc('\t', tsv);
			tsv_field(tsv, back.data);
			fputc('\t', tsv);
			tsv_field(tsv, d->name);
			fputc('\t', tsv);
			tsv_field(tsv, tags.data);
			fputc('\n', tsv);
		}
	}
	sqlite3_finalize(note);
	sqlite3_finalize(card);
	buf_free(&front);
	buf_free(&back);
	buf_free(&tags);
	buf_free(&t2);
	hashtab_free(&seen);
}

static double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(FILE *f)
{
	fputs("usage: gen [--cards N] [--reviews M] [--seed S] [--decks D] "
	    "[--days DAYS]\n           [--now TIME] --db OUT.db [--tsv OUT.tsv]\n"
	    "defaults: 100000 cards, 1000000 reviews, seed 1, 49 decks, 730 "
	    "days,\n          now 2025-01-01T09:00:00Z\n", f);
}

static void
remove_db(const char *path)
{
	char side[4096];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

int
GEN_MAIN(int argc, char **argv)
{
	struct opts o = { 100000, 1000000, 730, (int)NDECK_DEFS, 1,
	    (time_t)1735722000, NULL, NULL };
	struct sim s;
	struct err e;
	struct db *db;
	FILE *tsv = NULL;
	double t0 = mono_s(), t_sim;
	long today, shift, counts[4] = { 0 }, suspended = 0;
	int64_t day0;
	char q[512], first[32], last[32], *index_sql[16];
	int nindex;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (v == NULL) {
			usage(stderr);
			return 2;
		}
		i++;
		if (strcmp(a, "--cards") == 0)
			o.cards = atol(v);
		else if (strcmp(a, "--reviews") == 0)
			o.reviews = atol(v);
		else if (strcmp(a, "--seed") == 0)
			o.seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--decks") == 0)
			o.decks = atoi(v);
		else if (strcmp(a, "--days") == 0)
			o.days = atol(v);
		else if (strcmp(a, "--now") == 0) {
			if (day_parse_time(v, &o.now) < 0) {
				fprintf(stderr, "gen: --now: cannot read '%s'\n", v);
				return 2;
			}
		} else if (strcmp(a, "--db") == 0)
			o.db = v;
		else if (strcmp(a, "--tsv") == 0)
			o.tsv = v;
		else {
			usage(stderr);
			return 2;
		}
	}
	if (o.db == NULL || o.cards < 1 || o.cards > 4000000 ||
	    o.reviews < 0 || o.decks < 1 || o.decks > 60000 || o.days < 1) {
		usage(stderr);
		return 2;
	}
	/* Study days as lemma counts them under TZ=UTC (the tests' zone). */
	setenv("TZ", "UTC", 1);
	tzset();

	memset(&s, 0, sizeof s);
	s.o = &o;
	fsrs_params_default(&s.p);
	s.c = xcalloc((size_t)o.cards, sizeof *s.c);
	s.bucket = xcalloc((size_t)o.days, sizeof *s.bucket);
	today = day_number(o.now, s.p.rollover_hour);
	day0 = (int64_t)day_start(today, s.p.rollover_hour) - o.days * DAY;

	/* Dry run: on which day does the M-th row fall? Shift the calendar
	 * so that day is yesterday. */
	simulate(&s, day0);
	shift = o.days - 1 - s.stop_day;
	day0 += (int64_t)shift * DAY;
	t_sim = mono_s() - t0;

	remove_db(o.db);
	err_clear(&e);
	if ((db = db_open(o.db, DB_CREATE, &e)) == NULL) {
		err_print(&e, stderr);
		return 1;
	}
	make_decks(&s, db, (time_t)(day0 - 30 * DAY));
	db_close(db);
	assign_decks(&s);

	if (sqlite3_open(o.db, &s.sql) != SQLITE_OK)
		die_sql(s.sql, o.db);
	/* One bulk transaction with no journal: a failed run is deleted. */
	exec_sql(s.sql, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
	    "PRAGMA cache_size = -262144; BEGIN");
	s.ins = prepare(s.sql, db_study_revlog_insert_sql);
	nindex = drop_indexes(s.sql, index_sql);
	simulate(&s, day0);
	sqlite3_finalize(s.ins);
	s.ins = NULL;

	if (o.tsv != NULL && (tsv = fopen(o.tsv, "w")) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", o.tsv, strerror(errno));
		return 1;
	}
	write_notes(&s, (time_t)(day0 - 30 * DAY),
	    (time_t)(day0 + (int64_t)(s.stop_day + 1) * DAY), tsv);
	if (tsv != NULL && fclose(tsv) != 0) {
		fprintf(stderr, "gen: %s: %s\n", o.tsv, strerror(errno));
		return 1;
	}
	snprintf(q, sizeof q, "INSERT OR REPLACE INTO settings (key, value) VALUES "
	    "('bench_gen', 'seed=%llu cards=%ld reviews=%ld decks=%d days=%ld "
	    "rows=%ld')", (unsigned long long)o.seed, o.cards, o.reviews, o.decks,
	    o.days, s.rows);
	exec_sql(s.sql, q);
	/* Sorting once is much faster than a million inserts into a
	 * B-tree in card order. */
	for (int i = 0; i < nindex; i++) {
		exec_sql(s.sql, index_sql[i]);
		free(index_sql[i]);
	}
	exec_sql(s.sql, "COMMIT");
	/* lemma opens its files in WAL mode; leave this one so too. */
	exec_sql(s.sql, "PRAGMA journal_mode = WAL");
	sqlite3_close(s.sql);

	for (long i = 0; i < o.cards; i++) {
		counts[s.c[i].f.state]++;
		suspended += s.c[i].suspended;
	}
	day_format((time_t)(s.first_id / 1000), first, sizeof first);
	day_format((time_t)(s.last_id / 1000), last, sizeof last);
	printf("gen: %ld cards in %d decks (%ld new, %ld learning, %ld review, "
	    "%ld relearning; %ld suspended as leeches)\n", o.cards, s.ndecks,
	    counts[0], counts[1], counts[2], counts[3], suspended);
	printf("gen: %ld review-log rows (%ld learn, %ld review, %ld relearn) "
	    "over %ld days, %s to %s UTC; %ld cards introduced\n", s.rows,
	    s.kinds[0], s.kinds[1], s.kinds[2], s.stop_day + 1, first, last,
	    s.nnew);
	printf("gen: seed %llu, revlog checksum %016llx, %.1f s (simulation "
	    "%.1f s)\n", (unsigned long long)o.seed, (unsigned long long)s.sum,
	    mono_s() - t0, t_sim);
	printf("RESULT\tcollection generation\t%.1f\ts\t-\t-\t1 run\t"
	    "%ld cards, %ld reviews\n", mono_s() - t0, o.cards, s.rows);
	for (long d = 0; d < o.days; d++)
		free(s.bucket[d].v);
	free(s.bucket);
	free(s.learn.v);
	for (int i = 0; i < s.ndecks; i++)
		free(s.decks[i].name);
	free(s.decks);
	free(s.c);
	return 0;
}
