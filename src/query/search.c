/*
 * search.c - the query language: tokens, a syntax tree, and SQL with bound
 * values. See search.h.
 *
 * Pure: no SQLite, no I/O, no clock. The only text that goes into the SQL
 * is written here; everything that came from the query is a bound value
 * (a folded glob pattern, a number), so a query can never change the SQL's
 * shape beyond the operators the language has. Numbers that depend on the
 * clock (the start of today, of day N) are computed here from now.
 */
#include "config.h"

#include "lemma/query/search.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/day.h"
#include "lemma/base/nocombine.h"
#include "lemma/base/text.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "search-re.h"

/* Deeper nesting than this is an error, not a stack overflow. */
#define SEARCH_MAX_DEPTH	100

/* SQLite allows 32766 bound values; stay well below. */
#define SEARCH_MAX_PARAMS	10000

/* The longest day count accepted (rated:, added:, prop:due ...): 100
 * years, so no day arithmetic can overflow. */
#define SEARCH_MAX_DAYS		36500

/* ---- glob matching ------------------------------------------------------ */

/* A compiled pattern: folded code points, and these two for "*" and "_"
 * (above U+10FFFF, so no character is mistaken for them). */
#define GLOB_STAR	0xFFFFFFFFu
#define GLOB_ONE	0xFFFFFFFEu

struct search_glob {
	size_t		n;
	uint32_t	el[];
};

struct search_glob *
search_glob_compile(const char *pat)
{
	size_t len = strlen(pat), i = 0;
	struct search_glob *g;
	int ok;

	g = xmalloc(sizeof *g + (len + 1) * sizeof g->el[0]);
	g->n = 0;
	while (i < len) {
		if (pat[i] == '*' || pat[i] == '_') {
			g->el[g->n++] = pat[i++] == '*' ? GLOB_STAR : GLOB_ONE;
			continue;
		}
		if (pat[i] == '\\' && i + 1 < len)
			i++;
		i += utf8_decode(pat + i, len - i, &g->el[g->n], &ok);
		/* Patterns come folded from to_glob(); fold again for callers
		 * that pass their own. */
		g->el[g->n] = text_fold(g->el[g->n]);
		g->n++;
	}
	return g;
}

void
search_glob_free(struct search_glob *g)
{
	free(g);
}

/* The folded code point at text[*t], advancing *t. */
static inline uint32_t
text_next(const char *text, size_t len, size_t *t)
{
	uint32_t cp;
	int ok;

	if ((unsigned char)text[*t] < 0x80) {
		cp = (unsigned char)text[(*t)++];
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	}
	*t += utf8_decode(text + *t, len - *t, &cp, &ok);
	return text_fold(cp);
}

/*
 * Match el[0..n) against text[t..len), all of it, or with tail any prefix
 * of it. The classic wildcard algorithm with one saved star: linear for
 * patterns without "*", and no allocation.
 */
static int
glob_run(const uint32_t *el, size_t n, const char *text, size_t len, size_t t,
    int tail)
{
	size_t p = 0, star_p = (size_t)-1, star_t = 0, nt;
	uint32_t c;

	for (;;) {
		if (p == n) {
			if (tail || t == len)
				return 1;
		} else if (el[p] == GLOB_STAR) {
			star_p = ++p;
			star_t = t;
			continue;
		} else if (t < len) {
			nt = t;
			c = text_next(text, len, &nt);
			if (el[p] == GLOB_ONE || el[p] == c) {
				p++;
				t = nt;
				continue;
			}
		}
		if (star_p == (size_t)-1 || star_t >= len)
			return 0;
		/* Let the last star swallow one more character. */
		text_next(text, len, &star_t);
		t = star_t;
		p = star_p;
	}
}

int
search_glob_match(const struct search_glob *g, const char *text, size_t len,
    int anywhere)
{
	uint32_t first, c;
	size_t t, nt;

	if (!anywhere)
		return glob_run(g->el, g->n, text, len, 0, 0);
	if (g->n == 0 || g->el[0] == GLOB_STAR)
		return glob_run(g->el, g->n, text, len, 0, 1);
	/*
	 * Try the pattern at each character that can start it. This runs
	 * over every field of every note a word search reaches, so ASCII
	 * text that cannot match is skipped a byte at a time without
	 * decoding.
	 */
	first = g->el[0];
	/* Only ſ (U+017F) and the Kelvin sign fold to ASCII ("s", "k"): for
	 * any other ASCII first character, text outside ASCII cannot start a
	 * match and need not be decoded, and the bytes that can start one
	 * (the character and its capital) are found by memchr, which reads
	 * many bytes a step: a word search runs over every note's text. */
	if (first < 0x80 && first != 's' && first != 'k') {
		unsigned char lo = (unsigned char)first, up = lo;
		const char *a = NULL, *b = NULL, *end = text + len, *at;

		if (lo >= 'a' && lo <= 'z')
			up = (unsigned char)(lo - 32);
		for (t = 0; t < len; t = (size_t)(at - text) + 1) {
			/* The next lo and the next up, each searched again
			 * only once passed. */
			if (a != NULL && a < text + t)
				a = NULL;
			if (a == NULL && (a = memchr(text + t, lo, len - t)) == NULL)
				a = end;
			if (up != lo) {
				if (b != NULL && b < text + t)
					b = NULL;
				if (b == NULL && (b = memchr(text + t, up,
				    len - t)) == NULL)
					b = end;
			} else
				b = end;
			at = a < b ? a : b;
			if (at == end)
				return 0;
			if (glob_run(g->el, g->n, text, len, (size_t)(at - text), 1))
				return 1;
		}
		return 0;
	}
	for (t = 0; t < len; t = nt) {
		nt = t + 1;
		/* No ASCII character folds to anything else: skip ASCII text,
		 * eight bytes a step while none has its high bit. */
		if ((unsigned char)text[t] < 0x80 && first >= 0x80 &&
		    first != GLOB_ONE) {
			uint64_t w;

			while (t + 8 <= len) {
				memcpy(&w, text + t, 8);
				if (w & 0x8080808080808080ULL)
					break;
				t += 8;
			}
			while (t < len && (unsigned char)text[t] < 0x80)
				t++;
			nt = t;
			if (t >= len)
				break;
		}
		nt = t;
		c = text_next(text, len, &nt);
		if ((c == first || first == GLOB_ONE) &&
		    glob_run(g->el, g->n, text, len, t, 1))
			return 1;
	}
	return 0;
}

int
search_glob(const char *pat, const char *text, size_t len, int anywhere)
{
	struct search_glob *g = search_glob_compile(pat);
	int rc = search_glob_match(g, text, len, anywhere);

	search_glob_free(g);
	return rc;
}

/* ---- tokens ------------------------------------------------------------- */

enum tok_kind { TOK_END, TOK_TERM, TOK_LPAREN, TOK_RPAREN, TOK_NEG, TOK_OR,
    TOK_AND };

struct tok {
	enum tok_kind	 kind;
	size_t		 start;		/* byte offset in the query */
	char		*text;		/* TOK_TERM: quotes removed, escapes kept */
	size_t		*off;		/* query offset of each byte of text */
	size_t		 len;
	int		 is_bare;	/* no quote in it */
};

enum node_kind { NODE_LEAF, NODE_AND, NODE_OR, NODE_NOT };

struct node {
	enum node_kind		 kind;
	struct node		**kids;
	size_t			 nkids;
	struct buf		 sql;		/* NODE_LEAF */
	int			 is_wrapped;	/* the leaf's SQL is one (...) */
	struct search_param	*params;	/* NODE_LEAF */
	size_t			 nparams;
};

struct parser {
	const char	*q;
	struct tok	*toks;
	size_t		 ntoks, pos;
	time_t		 now;
	int		 rollover;
	long		 today;
	int		 depth;
	const char	*current_deck;	/* deck:current, or NULL */
	struct err	*e;
};

struct search {
	char			*sql;
	struct search_param	*params;
	size_t			 nparams;
	time_t			 now;
	long			 today;
	int			 uses_notes;	/* the clause reads n.* */
};

/* An error at byte offset off of the query, reported as a column in
 * characters, since that is what a caret under the query must count. */
static int
perr(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(p->e, NULL, 0, (unsigned)utf8_count(p->q, off) + 1, "%s",
	    msg);
}

/*
 * The length of the whitespace character at q (0 if it is none). As
 * Anki, which turns every Unicode White_Space character into a space
 * before parsing: the no-break space (U+00A0) and the ideographic space
 * (U+3000, typed by CJK input methods) separate words too.
 */
static size_t
space_len(const char *q)
{
	unsigned char c = (unsigned char)q[0];
	uint32_t cp;
	size_t n;
	int ok;

	if (c < 0x80)
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v';
	n = utf8_decode(q, strnlen(q, 4), &cp, &ok);
	if (!ok)
		return 0;
	if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 &&
	    cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	    cp == 0x205F || cp == 0x3000)
		return n;
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
is_escapable(char c)
{
	return c != '\0' && strchr("\\\"*_:()-", c) != NULL;
}

/* The length of the UTF-8 character at s (1 for a bad byte), for quoting
 * it whole in a message. */
static int
char_len(const char *s)
{
	uint32_t cp;
	int ok;

	return (int)utf8_decode(s, strnlen(s, 4), &cp, &ok);
}

static struct tok *
tok_push(struct parser *p, enum tok_kind kind, size_t start, size_t *cap)
{
	struct tok *t;

	VEC_RESERVE(p->toks, *cap, p->ntoks + 1, 16);
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->start = start;
	return t;
}

static void
term_add(struct tok *t, char c, size_t off, size_t *cap)
{
	if (t->len + 1 >= *cap) {
		*cap = vec_cap_for(*cap, t->len + 2, 32);
		t->text = xrealloc(t->text, *cap);
		t->off = xreallocarray(t->off, *cap, sizeof *t->off);
	}
	t->text[t->len] = c;
	t->off[t->len++] = off;
	t->text[t->len] = '\0';
}

/*
 * Read the quoted part that opens at q[*i] into t, up to its closing
 * quote. Escapes are kept as two bytes; any character may follow "\"
 * here (the value's own rules check them later: re: takes any), and a
 * whitespace character becomes a space, as in Anki.
 */
static int
read_quoted(struct parser *p, struct tok *t, size_t *i, size_t *tcap)
{
	const char *q = p->q;
	size_t open = *i, n;

	(*i)++;
	if (q[*i] == '"')
		return perr(p, open, "an empty search term (\"\") matches nothing; "
		    "leave it out");
	while (q[*i] != '"') {
		if (q[*i] == '\0' || (q[*i] == '\\' && q[*i + 1] == '\0'))
			return perr(p, open, "this quote is never closed");
		if (q[*i] == '\\') {
			n = 1 + (size_t)char_len(q + *i + 1);
			for (size_t k = 0; k < n; k++)
				term_add(t, q[*i + k], *i + k, tcap);
			*i += n;
			continue;
		}
		if ((n = space_len(q + *i)) > 0) {
			term_add(t, ' ', *i, tcap);
			*i += n;
			continue;
		}
		term_add(t, q[*i], *i, tcap);
		(*i)++;
	}
	(*i)++;
	return 0;
}

/* Whether t so far is "key:" with the key's only unescaped colon last,
 * so that a quote may open its value (deck:"a b"), as Anki's partially
 * quoted terms. */
static int
is_key_colon(const struct tok *t)
{
	if (t->len < 2 || t->text[t->len - 1] != ':')
		return 0;
	for (size_t k = 0; k + 1 < t->len; k++) {
		if (t->text[k] == '\\')
			k++;
		else if (t->text[k] == ':')
			return 0;
	}
	return t->text[t->len - 2] != '\\' || (t->len >= 3 &&
	    t->text[t->len - 3] == '\\');
}

/*
 * Split the query into tokens, as Anki's parser does. Whitespace,
 * parentheses and a double quote end a bare term ("a"b"(c)" is a, b and
 * (c)); a quoted term is one token, and so is key:"quoted value". A "-"
 * negates what follows it unless nothing does (end, a space, ")"): a
 * lone "-" is the word "-", as is a "-" inside a term ("A-") or right
 * after a negation ("--a" excludes "-a"). Escapes are kept in the term's
 * text ("\*" stays two bytes), so that later stages can tell a literal
 * "*" from a wildcard; which escapes a value may hold depends on its
 * keyword (re: takes any), so they are checked there.
 */
static int
tokenize(struct parser *p)
{
	const char *q = p->q;
	size_t i = 0, cap = 0, n;
	int after_neg = 0;
	struct tok *t;

	for (;;) {
		while ((n = space_len(q + i)) > 0) {
			i += n;
			after_neg = 0;
		}
		if (q[i] == '\0')
			break;
		if (q[i] == '(' || q[i] == ')') {
			tok_push(p, q[i] == '(' ? TOK_LPAREN : TOK_RPAREN, i, &cap);
			i++;
			after_neg = 0;
			continue;
		}
		if (q[i] == '-' && !after_neg && q[i + 1] != '\0' &&
		    space_len(q + i + 1) == 0 && q[i + 1] != ')') {
			tok_push(p, TOK_NEG, i, &cap);
			i++;
			after_neg = 1;
			continue;
		}
		after_neg = 0;

		size_t tcap = 0;

		t = tok_push(p, TOK_TERM, i, &cap);
		t->is_bare = 1;
		/* Allocate now, so that an empty term has text too. */
		term_add(t, '\0', i, &tcap);
		t->len = 0;
		if (q[i] == '"') {
			t->is_bare = 0;
			if (read_quoted(p, t, &i, &tcap) < 0)
				return -1;
			continue;
		}
		while (q[i] != '\0' && space_len(q + i) == 0 && q[i] != '(' &&
		    q[i] != ')') {
			if (q[i] == '"') {
				if (!is_key_colon(t))
					break;
				/* key:"" is empty, as Anki has it; key: alone
				 * is the empty field. */
				t->is_bare = 0;
				if (read_quoted(p, t, &i, &tcap) < 0)
					return -1;
				break;
			}
			if (q[i] == '\\') {
				if (q[i + 1] == '\0')
					return perr(p, i, "a '\\' at the end "
					    "escapes nothing");
				if (space_len(q + i + 1) > 0)
					return perr(p, i, "a '\\' before a space "
					    "escapes nothing (quote a phrase: "
					    "\"a b\")");
				n = 1 + (size_t)char_len(q + i + 1);
				for (size_t k = 0; k < n; k++)
					term_add(t, q[i + k], i + k, &tcap);
				i += n;
				continue;
			}
			term_add(t, q[i], i, &tcap);
			i++;
		}
		/* Only a bare "or" / "and" is an operator: "or" in quotes is
		 * the word. */
		if (t->is_bare && (strcasecmp(t->text, "or") == 0 ||
		    strcasecmp(t->text, "and") == 0)) {
			t->kind = tolower((unsigned char)t->text[0]) == 'o' ?
			    TOK_OR : TOK_AND;
		}
	}
	tok_push(p, TOK_END, i, &cap);
	return 0;
}

/*
 * Check the escapes of s[0..n) (query offsets from the token): only
 * \\ \" \* \_ \: \( \) \- are known outside re:, as in Anki.
 */
static int
check_escapes(struct parser *p, const struct tok *tok, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\')
			continue;
		if (i + 1 >= n || !is_escapable(s[i + 1])) {
			size_t at = (size_t)(s - tok->text) + i;

			if (i + 1 >= n)
				return perr(p, tok->off[at], "a '\\' at the end "
				    "escapes nothing");
			return perr(p, tok->off[at], "unknown escape '\\%.*s' "
			    "(\\\\ \\\" \\* \\_ \\: \\( \\) \\- are known)",
			    char_len(s + i + 1), s + i + 1);
		}
		i++;
	}
	return 0;
}

/* ---- values from a term ------------------------------------------------- */

/* The text of s[0..n) with escapes resolved: for names and numbers. */
static char *
unescape(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/*
 * s[0..n) as a search_glob() pattern: folded, "*" and "_" wildcards,
 * every other escaped character literal (and "\*", "\_", "\\" escaped
 * again, since they are special in patterns).
 */
static char *
to_glob(const char *s, size_t n)
{
	struct buf b;
	uint32_t cp;
	char enc[4];
	int ok;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (size_t i = 0; i < n;) {
		if (s[i] == '\\' && i + 1 < n) {
			if (s[i + 1] == '*' || s[i + 1] == '_' || s[i + 1] == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, s[i + 1]);
			i += 2;
			continue;
		}
		if (s[i] == '*' || s[i] == '_') {
			buf_addc(&b, s[i++]);
			continue;
		}
		i += utf8_decode(s + i, n - i, &cp, &ok);
		buf_add(&b, enc, utf8_encode(text_fold(cp), enc));
	}
	return buf_steal(&b);
}

/* ---- syntax tree ---------------------------------------------------------- */

static struct node *
node_new(enum node_kind kind)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	buf_init(&n->sql);
	return n;
}

static void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	for (size_t i = 0; i < n->nparams; i++)
		if (n->params[i].type == SEARCH_PARAM_TEXT)
			free((char *)n->params[i].text);
	free(n->params);
	buf_free(&n->sql);
	free(n);
}

static void
node_add(struct node *n, struct node *kid)
{
	n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof *n->kids);
	n->kids[n->nkids++] = kid;
}

static struct search_param *
param_add(struct node *n, enum search_param_type type)
{
	struct search_param *sp;

	n->params = xreallocarray(n->params, n->nparams + 1, sizeof *n->params);
	sp = &n->params[n->nparams++];
	memset(sp, 0, sizeof *sp);
	sp->type = type;
	return sp;
}

static void
param_int(struct node *n, int64_t v)
{
	param_add(n, SEARCH_PARAM_INT)->i = v;
}

static void
param_real(struct node *n, double v)
{
	param_add(n, SEARCH_PARAM_REAL)->r = v;
}

/* Takes ownership of text. */
static void
param_text(struct node *n, char *text)
{
	param_add(n, SEARCH_PARAM_TEXT)->text = text;
}

static struct node *
leaf(const char *sql)
{
	struct node *n = node_new(NODE_LEAF);

	buf_adds(&n->sql, sql);
	n->is_wrapped = sql[0] == '(';
	return n;
}

/* ---- terms ----------------------------------------------------------------- */

/* A term split at its first unescaped colon. */
struct term {
	const struct tok *tok;
	char		*key;		/* unescaped, or NULL: a plain word */
	size_t		 key_len;	/* bytes of the key in tok->text */
	const char	*val;		/* escapes kept */
	size_t		 val_len;
	size_t		 val_off;	/* query offset of the value */
};

static size_t
val_offset(const struct term *t, size_t i)
{
	size_t at = (size_t)(t->val - t->tok->text) + i;

	if (at < t->tok->len)
		return t->tok->off[at];
	return t->tok->len > 0 ? t->tok->off[t->tok->len - 1] + 1 : t->tok->start;
}

/* The term's value from byte skip on, as a term of its own (tag:re:x
 * is re: over "x"). */
static struct term
term_rest(const struct term *t, size_t skip)
{
	struct term r = *t;

	r.val = t->val + skip;
	r.val_len = t->val_len - skip;
	r.val_off = val_offset(t, skip);
	return r;
}

static int
has_prefix(const struct term *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->val_len >= n && strncmp(t->val, prefix, n) == 0;
}

/* Parse an integer that is all of s; 0 on success. */
static int
parse_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;

	if (*s == '\0' || is_space(*s))
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || *out < lo || *out > hi)
		return -1;
	return 0;
}

/* Only digits, as Anki's unsigned numbers: no sign ("-0"), no space. */
static int
parse_uint(const char *s, long long hi, long long *out)
{
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	return parse_int(s, 0, hi, out);
}

static int
parse_real(const char *s, double *out)
{
	char *end;

	if (*s == '\0' || is_space(*s))
		return -1;
	/* Only plain decimals: strtod would also take "nan", "inf", hex. */
	for (const char *c = s; *c != '\0'; c++)
		if (strchr("0123456789.-+eE", *c) == NULL)
			return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out))
		return -1;
	return 0;
}

/* The value as a whole number in lo..hi (lo >= 0: digits only, as
 * Anki), or an error at the value. */
static int
term_int(struct parser *p, const struct term *t, long long lo, long long hi,
    long long *out)
{
	char *v = unescape(t->val, t->val_len);
	int rc = lo >= 0 ? parse_uint(v, hi, out) : parse_int(v, lo, hi, out);

	free(v);
	if (rc == 0 && *out < lo)
		rc = -1;
	if (rc < 0)
		return perr(p, t->val_off, "%s: needs a whole number from %lld "
		    "to %lld", t->key, lo, hi);
	return 0;
}

static time_t
day_begins(const struct parser *p, long days_from_today)
{
	return day_start(p->today + days_from_today, p->rollover);
}

/* For strings without unescaped '"', Anki's unescape_quotes(): \" is ",
 * every other escape stays (re: patterns keep their \b, \d). */
static char *
unescape_quotes(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == '"')
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/*
 * s[0..n) (escapes as the query has them) as a regular expression, as
 * Anki's to_re(): "*" is wildcard "*", "_" is wildcard, \* \\ stay,
 * \_ is "_", and every other character is literal (escaped when it is a
 * regex metacharacter).
 */
static void
to_regex(const char *s, size_t n, const char *wildcard, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n) {
			c = s[++i];
			if (c == '\\' || c == '*') {
				buf_addc(out, '\\');
				buf_addc(out, c);
				continue;
			}
			if (c == '_') {
				buf_addc(out, '_');
				continue;
			}
		} else if (c == '*') {
			buf_adds(out, wildcard);
			buf_addc(out, '*');
			continue;
		} else if (c == '_') {
			buf_adds(out, wildcard);
			continue;
		}
		if (strchr("\\.+*?()|[]{}^$#&-~", c) != NULL)
			buf_addc(out, '\\');
		buf_addc(out, c);
	}
}

/* A pattern for re: (PCRE2), checked now so that a bad one is an error
 * with its column rather than a search that finds nothing. */
static int
check_regex(struct parser *p, const struct term *t, const char *pattern,
    size_t prefix_len)
{
	struct search_re *re;
	char msg[256];
	size_t at = 0;

	if ((re = search_re_compile(pattern, msg, sizeof msg, &at)) == NULL) {
		at = at > prefix_len ? at - prefix_len : 0;
		return perr(p, val_offset(t, at < t->val_len ? at : t->val_len),
		    "%s: not a regular expression: %s", t->key != NULL ?
		    t->key : "re", msg);
	}
	search_re_free(re);
	return 0;
}

/* "(?i)" and the pattern: Anki's re: is case-insensitive. Takes pat. */
static char *
regex_param(struct parser *p, const struct term *t, char *pat)
{
	char *v = xasprintf("(?i)%s", pat);

	free(pat);
	if (check_regex(p, t, v, 4) < 0) {
		free(v);
		return NULL;
	}
	return v;
}

/* A glob pattern from s[0..n) without combining marks, for nc:. */
static char *
to_glob_nc(const char *s, size_t n)
{
	char *g = to_glob(s, n);
	struct buf b;

	buf_init(&b);
	buf_add(&b, "", 0);
	nocombine(g, strlen(g), &b);
	free(g);
	return buf_steal(&b);
}

/* ---- note types: names, fields, card templates -------------------------- */

/*
 * Note types are rows of the progress file (notetypes, nt_fields,
 * nt_templates: the five built-in ones with ids 0-4, the user's from 5).
 * note:, card:NAME and FIELD:TEXT look them up in SQL, so the user's
 * types are found by name and by their fields' names too: the search
 * compiles without the file.
 */

/*
 * FIELD:... as Anki's sqlwriter: the fields whose names match the glob
 * name, at their position, per note type. The subquery does not depend
 * on the row, so SQLite runs it once per search; it hands lemma_field()
 * and its kin "notetype:ord,..." (NULL when no type has such a field,
 * which then matches nothing, as in Anki).
 */
static struct node *
field_leaf(const char *fn, char *name, char *value)
{
	char sql[256];
	struct node *n;

	/* char(58) is ':': a clause never holds a quote. */
	snprintf(sql, sizeof sql, "%s(n.notetype, (SELECT group_concat("
	    "notetype || char(58) || ord) FROM nt_fields WHERE lemma_glob(name, "
	    "?)), n.fields, ?)", fn);
	n = leaf(sql);
	param_text(n, name);
	param_text(n, value);
	return n;
}

/* The note types whose names match the glob name (Anki: an unknown note
 * type matches nothing). */
static struct node *
notetype_leaf(const char *name)
{
	struct node *n = leaf("n.notetype IN (SELECT id FROM notetypes WHERE "
	    "lemma_glob(name, ?))");

	param_text(n, xstrdup(name));
	return n;
}

/*
 * The cards whose template name matches the glob name: "Card 1" and
 * "Card 2" of the Basic types, "Cloze" for every card of a cloze note
 * (Anki's cloze type has one template, "Cloze"; its SQL compares ords
 * too, so there card:Cloze finds only cloze 1: lemma finds them all).
 */
static struct node *
template_leaf(const char *name)
{
	struct node *n = leaf("EXISTS (SELECT 1 FROM nt_templates t JOIN "
	    "notetypes k ON k.id = t.notetype WHERE t.notetype = n.notetype "
	    "AND (t.ord = c.ord OR k.kind = 1) AND lemma_glob(t.name, ?))");

	param_text(n, xstrdup(name));
	return n;
}

/* ---- text searches ---------------------------------------------------------- */

static struct node *
term_word(struct parser *p, const struct term *t)
{
	struct node *n;

	if (t->val_len == 0) {
		perr(p, t->tok->start, "an empty search term (\"\") matches "
		    "nothing; leave it out");
		return NULL;
	}
	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	n = leaf("lemma_text(n.fields, ?)");
	param_text(n, to_glob(t->val, t->val_len));
	return n;
}

/* re:PATTERN over the note's fields joined by U+001F, as Anki's
 * "n.flds regexp". */
static struct node *
term_re(struct parser *p, const struct term *t)
{
	char *v = regex_param(p, t, unescape_quotes(t->val, t->val_len));
	struct node *n;

	if (v == NULL)
		return NULL;
	n = leaf("lemma_regex(n.fields, ?)");
	param_text(n, v);
	return n;
}

/* nc:TEXT: a word of the note without combining marks on either side. */
static struct node *
term_nc(struct parser *p, const struct term *t)
{
	struct node *n;

	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	n = leaf("lemma_text_nc(n.fields, ?)");
	param_text(n, to_glob_nc(t->val, t->val_len));
	return n;
}

/* w:TEXT: the word between word boundaries, as Anki: "\b" + its
 * to_re() + "\b", so w:*foo and w:fo_o keep their wildcards. */
static struct node *
term_w(struct parser *p, const struct term *t)
{
	struct buf b;
	char *v;

	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	buf_init(&b);
	buf_adds(&b, "\\b");
	to_regex(t->val, t->val_len, ".", &b);
	buf_adds(&b, "\\b");
	if ((v = regex_param(p, t, buf_steal(&b))) == NULL)
		return NULL;
	struct node *n = leaf("lemma_regex(n.fields, ?)");
	param_text(n, v);
	return n;
}

/* sc:TEXT: a word of a cloze note's text with the cloze markup taken
 * out ("{{c1::Paris}}" reads "Paris"). */
static struct node *
term_sc(struct parser *p, const struct term *t)
{
	struct node *n;

	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	/* Only cloze note types, as Anki. */
	n = leaf("(n.notetype IN (SELECT id FROM notetypes WHERE kind = 1) AND "
	    "lemma_text_sc(n.fields, ?))");
	param_text(n, to_glob(t->val, t->val_len));
	return n;
}

/*
 * FIELD:TEXT, FIELD:re:PATTERN, FIELD:nc:TEXT. A field name no note type
 * has matches nothing, as in Anki: a saved search with the user's own
 * field names is not an error.
 */
static struct node *
term_field(struct parser *p, const struct term *t)
{
	char *v;

	if (check_escapes(p, t->tok, t->tok->text, t->key_len) < 0)
		return NULL;
	if (has_prefix(t, "re:")) {
		struct term r = term_rest(t, 3);

		if ((v = regex_param(p, &r, unescape_quotes(r.val, r.val_len))) ==
		    NULL)
			return NULL;
		return field_leaf("lemma_field_re", to_glob(t->tok->text,
		    t->key_len), v);
	}
	if (has_prefix(t, "nc:")) {
		struct term r = term_rest(t, 3);

		return field_leaf("lemma_field_nc", to_glob(t->tok->text,
		    t->key_len), to_glob_nc(r.val, r.val_len));
	}
	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	return field_leaf("lemma_field", to_glob(t->tok->text, t->key_len),
	    to_glob(t->val, t->val_len));
}

/* dupe:NOTETYPE,TEXT: notes of that type whose first field is TEXT, both
 * read without HTML (Anki's duplicate check, which the "show duplicates"
 * link of its editor searches). */
static struct node *
term_dupe(struct parser *p, const struct term *t)
{
	const char *comma = memchr(t->val, ',', t->val_len);
	struct term id = *t;
	long long nt;
	struct node *n;
	char *text;

	id.val_len = comma != NULL ? (size_t)(comma - t->val) : t->val_len;
	if (term_int(p, &id, -1000000000LL, 1000000000LL, &nt) < 0)
		return NULL;
	if (comma == NULL) {
		perr(p, val_offset(t, t->val_len), "dupe: takes a note type id, "
		    "a comma and the first field's text");
		return NULL;
	}
	/* As Anki's unescape_quotes_and_backslashes(): \" and \\ only. */
	text = xmalloc(t->val_len + 1);
	{
		const char *s = comma + 1, *end = t->val + t->val_len;
		char *o = text;

		for (; s < end; s++) {
			if (*s == '\\' && s + 1 < end && (s[1] == '"' ||
			    s[1] == '\\'))
				s++;
			*o++ = *s;
		}
		*o = '\0';
	}
	n = leaf("(n.notetype = ? AND lemma_dupe(n.fields, ?))");
	param_int(n, nt);
	param_text(n, text);
	return n;
}

/* ---- decks, tags, states ------------------------------------------------------ */

static struct node *
term_deck(struct parser *p, const struct term *t)
{
	struct node *n;
	char *g, *sub, *v;

	if (t->val_len == 0) {
		perr(p, t->val_off, "deck: needs a deck name");
		return NULL;
	}
	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	v = unescape(t->val, t->val_len);
	if (strcmp(v, "*") == 0) {
		free(v);
		return leaf("1");
	}
	/* lemma has no filtered decks. */
	if (strcmp(v, "filtered") == 0) {
		free(v);
		return leaf("0");
	}
	if (strcmp(v, "current") == 0) {
		free(v);
		/* No deck in focus (the command line): every deck. */
		if (p->current_deck == NULL)
			return leaf("1");
		n = leaf("c.deck_id IN (SELECT dk.id FROM decks dk WHERE "
		    "dk.name = ? OR substr(dk.name, 1, ?) = ?)");
		param_text(n, xstrdup(p->current_deck));
		/* substr() counts characters. */
		param_int(n, (int64_t)utf8_count(p->current_deck,
		    strlen(p->current_deck)) + 2);
		param_text(n, xasprintf("%s::", p->current_deck));
		return n;
	}
	free(v);
	n = leaf("c.deck_id IN (SELECT dk.id FROM decks dk WHERE "
	    "lemma_glob(dk.name, ?) OR lemma_glob(dk.name, ?))");
	/* The deck itself, and its sub-decks. */
	g = to_glob(t->val, t->val_len);
	sub = xasprintf("%s::*", g);
	param_text(n, g);
	param_text(n, sub);
	return n;
}

/* preset:NAME: the cards of decks that use the options preset NAME. */
static struct node *
term_preset(struct parser *p, const struct term *t)
{
	struct node *n;

	(void)p;
	n = leaf("c.deck_id IN (SELECT dk.id FROM decks dk JOIN deck_config k "
	    "ON k.id = dk.config_id WHERE k.name = ? COLLATE lemma_fold)");
	/* As Anki: the name as written, escapes and all, in any case
	 * (preset:default is the Default preset). */
	param_text(n, xstrndup(t->val, t->val_len));
	return n;
}

static struct node *
term_tag(struct parser *p, const struct term *t)
{
	struct node *n;
	char *v, *g, *sub;
	int nc = 0;

	if (t->val_len == 0) {
		perr(p, t->val_off, "tag: needs a tag (tag:none for notes "
		    "without tags)");
		return NULL;
	}
	if (has_prefix(t, "re:")) {
		struct term r = term_rest(t, 3);

		if ((v = regex_param(p, &r, unescape_quotes(r.val, r.val_len)))
		    == NULL)
			return NULL;
		n = leaf("lemma_tag_re(n.tags, ?)");
		param_text(n, v);
		return n;
	}
	struct term r = *t;

	if (has_prefix(t, "nc:")) {
		r = term_rest(t, 3);
		nc = 1;
	}
	if (check_escapes(p, t->tok, r.val, r.val_len) < 0)
		return NULL;
	v = unescape(r.val, r.val_len);
	if (!nc && t->tok->is_bare && strcasecmp(v, "none") == 0) {
		free(v);
		return leaf("length(trim(n.tags)) = 0");
	}
	/* As Anki: tag:* is every note, untagged ones too, and a tag never
	 * holds a space. */
	if (!nc && strcmp(v, "*") == 0) {
		free(v);
		return leaf("1");
	}
	if (strchr(v, ' ') != NULL) {
		free(v);
		return leaf("0");
	}
	free(v);
	n = leaf(nc ? "lemma_tag_nc(n.tags, ?, ?)" : "lemma_tag(n.tags, ?, ?)");
	/* The tag itself, and its children. */
	g = nc ? to_glob_nc(r.val, r.val_len) : to_glob(r.val, r.val_len);
	sub = xasprintf("%s::*", g);
	param_text(n, g);
	param_text(n, sub);
	return n;
}

/* is:STATE. Unlike Anki's, the state's name may have capitals (is:New). */
static struct node *
term_is(struct parser *p, const struct term *t)
{
	char *v = unescape(t->val, t->val_len);
	struct node *n = NULL;

	if (strcasecmp(v, "new") == 0)
		n = leaf("c.state = 0");
	else if (strcasecmp(v, "learn") == 0)
		n = leaf("c.state IN (1, 3)");
	else if (strcasecmp(v, "review") == 0)
		n = leaf("c.state IN (2, 3)");
	else if (strcasecmp(v, "suspended") == 0)
		n = leaf("c.suspended != 0");
	else if (strcasecmp(v, "buried") == 0) {
		n = leaf("c.buried_until > ?");
		param_int(n, p->today);
	} else if (strcasecmp(v, "due") == 0) {
		/* As Anki's queues: reviews due today or before, learning
		 * cards due by now; not suspended, not buried, not empty. */
		n = leaf("(c.suspended = 0 AND c.empty = 0 AND "
		    "c.buried_until <= ? AND "
		    "((c.state IN (1, 3) AND c.due <= ?) OR "
		    "(c.state = 2 AND c.due < ?)))");
		param_int(n, p->today);
		param_int(n, (int64_t)p->now);
		param_int(n, (int64_t)day_begins(p, 1));
	} else if (strcasecmp(v, "empty") == 0)
		n = leaf("c.empty != 0");	/* a cloze number gone (db-notes.h) */
	else
		perr(p, t->val_off, "is: takes new, learn, review, due, "
		    "suspended, buried or empty");
	free(v);
	return n;
}

/* ---- properties ------------------------------------------------------------------ */

enum prop_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
static const char *const op_sql[] = { "=", "!=", "<", "<=", ">", ">=" };

/* prop:due counts study days from today, for cards in the review and
 * learning queues only: as Anki's (queue 1, 2, 3, 4), a suspended or
 * buried card has no due day. */
#define DUE_QUEUED	"c.state != 0 AND c.suspended = 0 AND c.buried_until <= ? AND "

static struct node *
prop_due(struct parser *p, enum prop_op op, long long days)
{
	struct node *n;
	time_t a = day_begins(p, (long)days), b = day_begins(p, (long)days + 1);

	switch (op) {
	case OP_EQ:
		n = leaf("(" DUE_QUEUED "c.due >= ? AND c.due < ?)");
		param_int(n, p->today);
		param_int(n, (int64_t)a);
		param_int(n, (int64_t)b);
		return n;
	case OP_NE:
		n = leaf("(" DUE_QUEUED "(c.due < ? OR c.due >= ?))");
		param_int(n, p->today);
		param_int(n, (int64_t)a);
		param_int(n, (int64_t)b);
		return n;
	case OP_LT:
	case OP_LE:
		n = leaf("(" DUE_QUEUED "c.due < ?)");
		param_int(n, p->today);
		param_int(n, (int64_t)(op == OP_LT ? a : b));
		return n;
	case OP_GT:
	case OP_GE:
		n = leaf("(" DUE_QUEUED "c.due >= ?)");
		param_int(n, p->today);
		param_int(n, (int64_t)(op == OP_GT ? b : a));
		return n;
	}
	return NULL;
}

static struct node *
prop_leaf(const char *lhs, enum prop_op op, const char *rhs)
{
	struct node *n = node_new(NODE_LEAF);

	buf_printf(&n->sql, "%s %s ?%s", lhs, op_sql[op], rhs);
	n->is_wrapped = lhs[0] == '(';
	return n;
}

/* The first instant of the last days study days, in revlog's ms. */
static int64_t
since_ms(const struct parser *p, long long days)
{
	return (int64_t)day_begins(p, (long)(1 - days)) * 1000;
}

/*
 * Grades (grade 1..4, 0 for any) or manual reschedules (grade -1) on day
 * days (0 today, -1 yesterday ...) compared by op, as Anki's
 * write_rated(): rated:N is prop:rated>-N.
 */
static struct node *
rated_leaf(const struct parser *p, enum prop_op op, long long days, int grade)
{
	int64_t day_ms = (int64_t)day_begins(p, (long)days) * 1000;
	int64_t next_ms = (int64_t)day_begins(p, (long)days + 1) * 1000;
	struct node *n = node_new(NODE_LEAF);

	buf_adds(&n->sql, "c.id IN (SELECT r.card_id FROM revlog r WHERE ");
	switch (op) {
	case OP_GT:
		buf_adds(&n->sql, "r.id >= ?");
		param_int(n, next_ms);
		break;
	case OP_GE:
		buf_adds(&n->sql, "r.id >= ?");
		param_int(n, day_ms);
		break;
	case OP_LT:
		buf_adds(&n->sql, "r.id < ?");
		param_int(n, day_ms);
		break;
	case OP_LE:
		buf_adds(&n->sql, "r.id < ?");
		param_int(n, next_ms);
		break;
	case OP_EQ:
	case OP_NE:
		buf_adds(&n->sql, op == OP_EQ ? "r.id BETWEEN ? AND ?" :
		    "r.id NOT BETWEEN ? AND ?");
		param_int(n, day_ms);
		param_int(n, next_ms - 1);
		break;
	}
	if (grade > 0) {
		buf_adds(&n->sql, " AND r.rating = ?)");
		param_int(n, grade);
	} else if (grade == 0)
		buf_adds(&n->sql, " AND r.rating BETWEEN 1 AND 4)");
	else
		buf_adds(&n->sql, " AND r.rating = 0)");
	return n;
}

static struct node *
term_prop(struct parser *p, const struct term *t)
{
	/* The SQL is lhs, the operator, "?", then rhs; lhs NULL is a
	 * property with its own SQL below. */
	static const struct {
		const char	*name;
		const char	*lhs;
		const char	*rhs;
		char		 kind;	/* u unsigned, i signed, r real */
	} props[] = {
		{ "ivl",	"c.scheduled_days",	"",	'u' },
		{ "due",	NULL,			NULL,	'i' },
		{ "reps",	"c.reps",		"",	'u' },
		{ "lapses",	"c.lapses",		"",	'u' },
		{ "ease",	NULL,			NULL,	'r' },
		{ "pos",	"(c.state = 0 AND c.position", ")", 'u' },
		{ "rated",	NULL,			NULL,	'i' },
		{ "resched",	NULL,			NULL,	'i' },
		{ "d",		"(c.state != 0 AND c.difficulty", ")", 'r' },
		{ "s",		"(c.state != 0 AND c.stability", ")", 'r' },
		{ "r",		"(c.state != 0 AND lemma_r(c.deck_id, c.stability, "
				"c.last_review, ?)", ")", 'r' },
		{ "cdn",	NULL,			NULL,	'r' },
		{ "cds",	NULL,			NULL,	's' },
	};
	char *v = unescape(t->val, t->val_len), *num;
	size_t name_len = 0, k;
	enum prop_op op;
	struct node *n = NULL;
	long long iv;
	double rv;

	while (v[name_len] >= 'a' && v[name_len] <= 'z')
		name_len++;
	for (k = 0; k < sizeof props / sizeof props[0]; k++)
		if (strlen(props[k].name) == name_len &&
		    strncmp(v, props[k].name, name_len) == 0)
			break;
	if (k == sizeof props / sizeof props[0]) {
		perr(p, t->val_off, "prop: takes ivl, due, reps, lapses, ease, "
		    "pos, rated, resched, d, s, r, cdn:KEY or cds:KEY, then an "
		    "operator and a number (prop:ivl>10)");
		goto out;
	}
	num = v + name_len;
	/* Custom data (prop:cdn:KEY>1, prop:cds:KEY=text): a key of letters
	 * and digits, as Anki. */
	if (props[k].name[0] == 'c') {
		size_t key = 0;

		if (*num == ':')
			while (isalnum((unsigned char)num[1 + key]))
				key++;
		if (key == 0) {
			perr(p, val_offset(t, name_len), "prop:%s needs a key: "
			    "prop:%s:KEY", props[k].name, props[k].name);
			goto out;
		}
		num += 1 + key;
	}
	if (strncmp(num, "<=", 2) == 0 || strncmp(num, ">=", 2) == 0 ||
	    strncmp(num, "!=", 2) == 0) {
		op = num[0] == '<' ? OP_LE : num[0] == '>' ? OP_GE : OP_NE;
		num += 2;
	} else if (num[0] == '=' || num[0] == '<' || num[0] == '>') {
		op = num[0] == '=' ? OP_EQ : num[0] == '<' ? OP_LT : OP_GT;
		num++;
	} else {
		perr(p, val_offset(t, (size_t)(num - v)), "prop:%s needs an "
		    "operator: = != < <= > >=", props[k].name);
		goto out;
	}
	/* Offsets in v and in the escaped value agree: none of the
	 * characters before the number can be escaped. */
	if (props[k].kind == 's') {
		/* lemma keeps no custom data on cards: nothing has it. */
		n = leaf("0");
		goto out;
	}
	if (props[k].kind == 'r') {
		if (parse_real(num, &rv) < 0) {
			perr(p, val_offset(t, (size_t)(num - v)), "prop:%s needs "
			    "a number after the operator", props[k].name);
			goto out;
		}
		if (props[k].lhs == NULL) {
			/* ease: FSRS cards have no SM-2 ease factor; cdn:
			 * lemma keeps no custom data. Nothing matches. */
			n = leaf("0");
			goto out;
		}
		if (props[k].name[0] == 'd') {
			/* Anki shows difficulty as 0..1; FSRS keeps 1..10. */
			rv = 1.0 + 9.0 * rv;
		}
		n = prop_leaf(props[k].lhs, op, props[k].rhs);
		if (props[k].name[0] == 'r')
			param_int(n, (int64_t)p->now);
		param_real(n, rv);
		goto out;
	}
	if (strcmp(props[k].name, "rated") == 0 ||
	    strcmp(props[k].name, "resched") == 0) {
		char *colon = strchr(num, ':');
		int grade = props[k].name[1] == 'e' ? -1 : 0;

		if (colon != NULL && grade == 0) {
			long long g;

			if (parse_uint(colon + 1, 4, &g) < 0 || g < 1) {
				perr(p, val_offset(t, (size_t)(colon + 1 - v)),
				    "prop:rated takes a grade from 1 (Again) to 4 "
				    "(Easy) after the days");
				goto out;
			}
			grade = (int)g;
			*colon = '\0';
		}
		if (parse_int(num, -SEARCH_MAX_DAYS, 0, &iv) < 0) {
			perr(p, val_offset(t, (size_t)(num - v)), "prop:%s takes "
			    "days from -%d to 0 (0 is today)", props[k].name,
			    SEARCH_MAX_DAYS);
			goto out;
		}
		n = rated_leaf(p, op, iv, grade);
		goto out;
	}
	if ((props[k].kind == 'u' ? parse_uint(num, 1000000000LL, &iv) :
	    parse_int(num, -1000000000LL, 1000000000LL, &iv)) < 0) {
		perr(p, val_offset(t, (size_t)(num - v)), "prop:%s needs a whole "
		    "number%s after the operator", props[k].name,
		    props[k].kind == 'u' ? " (0 or more)" : "");
		goto out;
	}
	if (props[k].lhs == NULL) {
		if (iv < -SEARCH_MAX_DAYS || iv > SEARCH_MAX_DAYS) {
			perr(p, val_offset(t, (size_t)(num - v)), "prop:due takes "
			    "days from -%d to %d", SEARCH_MAX_DAYS, SEARCH_MAX_DAYS);
			goto out;
		}
		n = prop_due(p, op, iv);
		goto out;
	}
	n = prop_leaf(props[k].lhs, op, props[k].rhs);
	param_int(n, iv);
out:
	free(v);
	return n;
}

/* has-cd:KEY: cards with custom data KEY; lemma keeps none. */
static struct node *
term_has_cd(struct parser *p, const struct term *t)
{
	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	return leaf("0");
}

/* ---- history ---------------------------------------------------------------------- */

/* The days of rated:, added: ...: 0 is 1 (today), as in Anki. */
static int
term_days_value(struct parser *p, const struct term *t, long long *nd)
{
	if (term_int(p, t, 0, SEARCH_MAX_DAYS, nd) < 0)
		return -1;
	if (*nd == 0)
		*nd = 1;
	return 0;
}

static struct node *
term_rated(struct parser *p, const struct term *t)
{
	const char *colon = memchr(t->val, ':', t->val_len);
	struct term days = *t, ease = *t;
	long long nd, ne = 0;

	if (colon != NULL) {
		days.val_len = (size_t)(colon - t->val);
		ease.val = colon + 1;
		ease.val_len = t->val_len - days.val_len - 1;
		ease.val_off = val_offset(t, days.val_len + 1);
	}
	if (term_days_value(p, &days, &nd) < 0)
		return NULL;
	if (colon != NULL && (parse_uint(ease.val, 4, &ne) < 0 || ne < 1)) {
		/* The grade runs to the end of the term, so ease.val is
		 * NUL-terminated there. */
		perr(p, ease.val_off, "rated:DAYS:GRADE takes a grade from 1 "
		    "(Again) to 4 (Easy)");
		return NULL;
	}
	return rated_leaf(p, OP_GT, -nd, (int)ne);
}

/* resched:N: cards rescheduled or reset by hand in the last N days (the
 * review log's manual entries, grade 0, as Anki's ease 0). */
static struct node *
term_resched(struct parser *p, const struct term *t)
{
	long long nd;

	if (term_days_value(p, t, &nd) < 0)
		return NULL;
	return rated_leaf(p, OP_GT, -nd, -1);
}

static struct node *
term_days(struct parser *p, const struct term *t, const char *sql)
{
	struct node *n;
	long long nd;

	if (term_days_value(p, t, &nd) < 0)
		return NULL;
	n = leaf(sql);
	param_int(n, (int64_t)day_begins(p, (long)(1 - nd)));
	return n;
}

static struct node *
term_introduced(struct parser *p, const struct term *t)
{
	struct node *n;
	long long nd;

	if (term_days_value(p, t, &nd) < 0)
		return NULL;
	/* First graded on or after the day: a grade since then, and none
	 * before. Manual entries (kind 4: reset, reschedule) are not grades.
	 * Written so SQLite can use the revlog primary key and
	 * revlog_card rather than group all of revlog. */
	n = leaf("(c.id IN (SELECT r.card_id FROM revlog r WHERE r.id >= ? AND "
	    "r.kind != 4) AND NOT EXISTS (SELECT 1 FROM revlog r WHERE "
	    "r.card_id = c.id AND r.id < ? AND r.kind != 4))");
	param_int(n, since_ms(p, nd));
	param_int(n, since_ms(p, nd));
	return n;
}

/* ---- ids, types, flags -------------------------------------------------------------- */

/* nid:1,2,3, cid:..., did:... (decks without their sub-decks). */
static struct node *
term_ids(struct parser *p, const struct term *t, const char *column)
{
	char *v = unescape(t->val, t->val_len), *s = v, *comma;
	struct node *n = node_new(NODE_LEAF);
	long long id;

	buf_printf(&n->sql, "%s IN (", column);
	for (;;) {
		comma = strchr(s, ',');
		if (comma != NULL)
			*comma = '\0';
		if (parse_uint(s, INT64_MAX, &id) < 0) {
			perr(p, val_offset(t, (size_t)(s - v)), "%s: takes ids "
			    "separated by commas", t->key);
			node_free(n);
			free(v);
			return NULL;
		}
		buf_adds(&n->sql, n->nparams == 0 ? "?" : ", ?");
		param_int(n, id);
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	buf_addc(&n->sql, ')');
	free(v);
	return n;
}

/* mid:N: the note type by id (0 Basic, 1 Basic and reversed, 2 Cloze). */
static struct node *
term_mid(struct parser *p, const struct term *t)
{
	struct node *n;
	long long id;

	if (term_int(p, t, INT64_MIN, INT64_MAX, &id) < 0)
		return NULL;
	n = leaf("n.notetype = ?");
	param_int(n, id);
	return n;
}

/* note:NAME; a name no note type has matches nothing, as in Anki. */
static struct node *
term_note(struct parser *p, const struct term *t)
{
	struct node *n;
	char *g;

	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	g = to_glob(t->val, t->val_len);
	n = notetype_leaf(g);
	free(g);
	return n;
}

/* card:N (card N of its note, cloze N; card:0 is card 1, as Anki) or
 * card:NAME (the template's name: "Card 1", "Card 2", Cloze). */
static struct node *
term_card(struct parser *p, const struct term *t)
{
	struct node *n;
	long long ord;
	char *v, *g;

	if (check_escapes(p, t->tok, t->val, t->val_len) < 0)
		return NULL;
	v = unescape(t->val, t->val_len);
	if (parse_uint(v, 65535, &ord) == 0) {
		free(v);
		n = leaf("c.ord = ?");
		param_int(n, ord > 0 ? ord - 1 : 0);
		return n;
	}
	free(v);
	g = to_glob(t->val, t->val_len);
	n = template_leaf(g);
	free(g);
	return n;
}

static struct node *
term_flag(struct parser *p, const struct term *t)
{
	struct node *n;
	long long f;

	if (term_int(p, t, 0, 7, &f) < 0)
		return NULL;
	n = leaf("c.flag = ?");
	param_int(n, f);
	return n;
}

static struct node *
compile_term(struct parser *p, const struct tok *tok)
{
	struct term t;
	struct node *n = NULL;
	size_t i;

	memset(&t, 0, sizeof t);
	t.tok = tok;
	for (i = 0; i < tok->len; i++) {
		if (tok->text[i] == '\\')
			i++;
		else if (tok->text[i] == ':')
			break;
	}
	if (i >= tok->len) {
		t.val = tok->text;
		t.val_len = tok->len;
		t.val_off = tok->start;
		return term_word(p, &t);
	}
	if (i == 0) {
		perr(p, tok->start, "a field name or keyword must come before "
		    "':' (write \\: for a colon in a word)");
		return NULL;
	}
	t.key = unescape(tok->text, i);
	t.key_len = i;
	t.val = tok->text + i + 1;
	t.val_len = tok->len - i - 1;
	t.val_off = val_offset(&t, 0);

	/* Anki's keywords, matched without regard to ASCII case; any other
	 * key is a field name. */
	static const struct {
		const char	*key;
		struct node	*(*fn)(struct parser *, const struct term *);
	} keywords[] = {
		{ "deck",	term_deck },
		{ "tag",	term_tag },
		{ "is",		term_is },
		{ "flag",	term_flag },
		{ "prop",	term_prop },
		{ "rated",	term_rated },
		{ "resched",	term_resched },
		{ "introduced",	term_introduced },
		{ "note",	term_note },
		{ "card",	term_card },
		{ "mid",	term_mid },
		{ "re",		term_re },
		{ "nc",		term_nc },
		{ "w",		term_w },
		{ "sc",		term_sc },
		{ "dupe",	term_dupe },
		{ "preset",	term_preset },
		{ "has-cd",	term_has_cd },
	};
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
		if (strcasecmp(t.key, keywords[k].key) == 0) {
			n = keywords[k].fn(p, &t);
			goto out;
		}
	if (strcasecmp(t.key, "added") == 0)
		n = term_days(p, &t, "c.created >= ?");
	else if (strcasecmp(t.key, "edited") == 0)
		n = term_days(p, &t, "n.modified >= ?");
	else if (strcasecmp(t.key, "nid") == 0)
		n = term_ids(p, &t, "n.id");
	else if (strcasecmp(t.key, "cid") == 0)
		n = term_ids(p, &t, "c.id");
	else if (strcasecmp(t.key, "did") == 0)
		n = term_ids(p, &t, "c.deck_id");
	else
		n = term_field(p, &t);
out:
	free(t.key);
	return n;
}

/* ---- parser ----------------------------------------------------------------- */

static const struct tok *
peek(const struct parser *p)
{
	return &p->toks[p->pos];
}

static struct node	*parse_or(struct parser *p);

static int
ends_operand(enum tok_kind k)
{
	return k == TOK_END || k == TOK_RPAREN || k == TOK_OR || k == TOK_AND;
}

static struct node *
parse_unary(struct parser *p)
{
	const struct tok *t = peek(p);
	struct node *n, *kid;

	if (++p->depth > SEARCH_MAX_DEPTH) {
		perr(p, t->start, "the query is nested too deeply");
		return NULL;
	}
	switch (t->kind) {
	case TOK_NEG:
		p->pos++;
		if (ends_operand(peek(p)->kind)) {
			perr(p, t->start, "nothing to exclude after '-'");
			return NULL;
		}
		if ((kid = parse_unary(p)) == NULL)
			return NULL;
		n = node_new(NODE_NOT);
		node_add(n, kid);
		break;
	case TOK_LPAREN:
		p->pos++;
		if (peek(p)->kind == TOK_RPAREN) {
			perr(p, t->start, "empty parentheses");
			return NULL;
		}
		if (peek(p)->kind == TOK_END) {
			perr(p, t->start, "this '(' is never closed");
			return NULL;
		}
		if ((n = parse_or(p)) == NULL)
			return NULL;
		if (peek(p)->kind != TOK_RPAREN) {
			node_free(n);
			perr(p, t->start, "this '(' is never closed");
			return NULL;
		}
		p->pos++;
		break;
	case TOK_RPAREN:
		perr(p, t->start, "a ')' without its '('");
		return NULL;
	case TOK_OR:
	case TOK_AND:
		perr(p, t->start, "'%s' needs a search before it",
		    t->kind == TOK_OR ? "or" : "and");
		return NULL;
	case TOK_TERM:
		p->pos++;
		n = compile_term(p, t);
		break;
	default:
		perr(p, t->start, "the query ends too soon");
		return NULL;
	}
	p->depth--;
	return n;
}

/* Terms side by side, or joined by "and", must all match. */
static struct node *
parse_and(struct parser *p)
{
	struct node *n, *kid;

	if ((kid = parse_unary(p)) == NULL)
		return NULL;
	n = node_new(NODE_AND);
	node_add(n, kid);
	for (;;) {
		const struct tok *t = peek(p);

		if (t->kind == TOK_END || t->kind == TOK_RPAREN ||
		    t->kind == TOK_OR)
			break;
		if (t->kind == TOK_AND) {
			p->pos++;
			if (ends_operand(peek(p)->kind)) {
				perr(p, t->start, "'and' needs a search after it");
				goto fail;
			}
		}
		if ((kid = parse_unary(p)) == NULL)
			goto fail;
		node_add(n, kid);
	}
	if (n->nkids == 1) {
		kid = n->kids[0];
		n->nkids = 0;
		node_free(n);
		return kid;
	}
	return n;
fail:
	node_free(n);
	return NULL;
}

/* "and" binds tighter than "or", as in Anki (and SQL): "a b or c" is
 * "(a b) or c". */
static struct node *
parse_or(struct parser *p)
{
	struct node *n, *kid;

	if ((kid = parse_and(p)) == NULL)
		return NULL;
	n = node_new(NODE_OR);
	node_add(n, kid);
	while (peek(p)->kind == TOK_OR) {
		const struct tok *t = peek(p);

		p->pos++;
		if (ends_operand(peek(p)->kind)) {
			perr(p, t->start, "'or' needs a search after it");
			goto fail;
		}
		if ((kid = parse_and(p)) == NULL)
			goto fail;
		node_add(n, kid);
	}
	if (n->nkids == 1) {
		kid = n->kids[0];
		n->nkids = 0;
		node_free(n);
		return kid;
	}
	return n;
fail:
	node_free(n);
	return NULL;
}

/* ---- SQL ---------------------------------------------------------------------- */

/* Whether a leaf's SQL reads the notes table ("n." not inside a longer
 * name such as "dk.name"). */
static int
reads_notes(const char *sql)
{
	for (const char *p = sql; (p = strstr(p, "n.")) != NULL; p++)
		if (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			return 1;
	return 0;
}

static void
gen(struct search *s, struct buf *sql, const struct node *n, int nested)
{
	switch (n->kind) {
	case NODE_LEAF:
		buf_add(sql, n->sql.data, n->sql.len);
		if (reads_notes(n->sql.data))
			s->uses_notes = 1;
		s->params = xreallocarray(s->params, s->nparams + n->nparams + 1,
		    sizeof *s->params);
		for (size_t i = 0; i < n->nparams; i++) {
			s->params[s->nparams] = n->params[i];
			if (n->params[i].type == SEARCH_PARAM_TEXT)
				s->params[s->nparams].text =
				    xstrdup(n->params[i].text);
			s->nparams++;
		}
		break;
	case NODE_NOT:
		if (n->kids[0]->kind == NODE_LEAF && n->kids[0]->is_wrapped) {
			buf_adds(sql, "NOT ");
			gen(s, sql, n->kids[0], 1);
		} else {
			buf_adds(sql, "NOT (");
			gen(s, sql, n->kids[0], 0);
			buf_addc(sql, ')');
		}
		break;
	case NODE_AND:
	case NODE_OR:
		if (nested)
			buf_addc(sql, '(');
		for (size_t i = 0; i < n->nkids; i++) {
			if (i > 0)
				buf_adds(sql, n->kind == NODE_AND ? " AND " : " OR ");
			gen(s, sql, n->kids[i], 1);
		}
		if (nested)
			buf_addc(sql, ')');
		break;
	}
}

struct search *
search_compile(const char *query, time_t now, int rollover_hour,
    struct err *e)
{
	return search_compile_in(query, now, rollover_hour, NULL, e);
}

struct search *
search_compile_in(const char *query, time_t now, int rollover_hour,
    const char *current_deck, struct err *e)
{
	struct parser p;
	struct search *s = NULL;
	struct node *root = NULL;
	struct buf sql;

	memset(&p, 0, sizeof p);
	p.q = query;
	p.now = now;
	p.rollover = rollover_hour;
	p.current_deck = current_deck;
	p.today = day_number(now, rollover_hour);
	p.e = e;
	if (tokenize(&p) < 0)
		goto out;
	s = xcalloc(1, sizeof *s);
	s->now = now;
	s->today = p.today;
	buf_init(&sql);
	if (peek(&p)->kind == TOK_END) {
		buf_adds(&sql, "1");
	} else {
		if ((root = parse_or(&p)) == NULL) {
			buf_free(&sql);
			search_free(s);
			s = NULL;
			goto out;
		}
		if (peek(&p)->kind != TOK_END) {
			/* Only a stray ")" stops the top level early. */
			perr(&p, peek(&p)->start, "a ')' without its '('");
			buf_free(&sql);
			search_free(s);
			s = NULL;
			goto out;
		}
		gen(s, &sql, root, 0);
	}
	s->sql = buf_steal(&sql);
	if (s->nparams > SEARCH_MAX_PARAMS) {
		err_set(e, NULL, 0, 1, "the query is too long (more than %d "
		    "values)", SEARCH_MAX_PARAMS);
		search_free(s);
		s = NULL;
	}
out:
	node_free(root);
	for (size_t i = 0; i < p.ntoks; i++) {
		free(p.toks[i].text);
		free(p.toks[i].off);
	}
	free(p.toks);
	return s;
}

void
search_free(struct search *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nparams; i++)
		if (s->params[i].type == SEARCH_PARAM_TEXT)
			free((char *)s->params[i].text);
	free(s->params);
	free(s->sql);
	free(s);
}

const char *
search_sql(const struct search *s)
{
	return s->sql;
}

size_t
search_param_count(const struct search *s)
{
	return s->nparams;
}

const struct search_param *
search_param_get(const struct search *s, size_t i)
{
	return i < s->nparams ? &s->params[i] : NULL;
}

time_t
search_now(const struct search *s)
{
	return s->now;
}

long
search_today(const struct search *s)
{
	return s->today;
}

int
search_uses_notes(const struct search *s)
{
	return s->uses_notes;
}
