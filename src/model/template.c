/*
 * template.c - Anki's card template language (see template.h).
 *
 * Three steps, as rslib/src/template.rs: lex the template into tokens
 * (text, comment, replacement, section open / negated open / close), match
 * the sections (an error names the tag), then walk the tokens. A section
 * that is not shown is still walked into a scratch buffer, so that an
 * unknown field inside it is an error whichever side of the condition
 * the note is on, as in Anki.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lemma/base/html.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/cloze.h"
#include "lemma/model/template.h"

enum tok_kind { T_TEXT, T_COMMENT, T_REPL, T_OPEN, T_NEG, T_CLOSE };

struct tok {
	enum tok_kind	 kind;
	const char	*s;	/* the text, the comment's inside, or the tag's
				   content without its sigil */
	size_t		 len;
	size_t		 end;	/* T_OPEN, T_NEG: index of the matching close */
};

struct toks {
	struct tok	*v;
	size_t		 n, cap;
};

static void
tok_add(struct toks *t, enum tok_kind k, const char *s, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	t->v[t->n].kind = k;
	t->v[t->n].s = s;
	t->v[t->n].len = len;
	t->v[t->n].end = 0;
	t->n++;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static const char *
find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return s + i;
	return NULL;
}

/* classify_handle: leading '{'s and white space go; then a sigil. */
static void
handle(struct toks *t, const char *s, size_t len)
{
	enum tok_kind k = T_REPL;

	while (len > 0 && *s == '{') {
		s++;
		len--;
	}
	while (len > 0 && is_ws(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_ws(s[len - 1]))
		len--;
	if (len >= 2 && (*s == '#' || *s == '/' || *s == '^')) {
		k = *s == '#' ? T_OPEN : *s == '/' ? T_CLOSE : T_NEG;
		s++;
		len--;
		while (len > 0 && is_ws(*s)) {
			s++;
			len--;
		}
	}
	tok_add(t, k, s, len);
}

#define ALT_DIRECTIVE	"{{=<% %>=}}"

static void
lex(const char *s, struct toks *t)
{
	const char *open = "{{", *close = "}}", *text, *p, *e;
	size_t n;
	int no_close = 0, no_comment_end = 0;

	/* Anki's legacy alternative delimiters, announced first thing. */
	for (p = s; is_ws(*p); p++)
		;
	if (strncmp(p, ALT_DIRECTIVE, strlen(ALT_DIRECTIVE)) == 0) {
		s = p;
		while (strncmp(s, ALT_DIRECTIVE, strlen(ALT_DIRECTIVE)) == 0)
			s += strlen(ALT_DIRECTIVE);
		open = "<%";
		close = "%>";
	}
	n = strlen(s);
	text = p = s;
	while (p < s + n) {
		size_t rest = (size_t)(s + n - p);

		/* Once no closing tag follows, none will follow later on:
		 * a long run of "{{" stays linear. */
		if (!no_close && p[0] == open[0] && rest >= 2 &&
		    p[1] == open[1]) {
			if ((e = find(p + 2, rest - 2, close)) != NULL) {
				if (p > text)
					tok_add(t, T_TEXT, text,
					    (size_t)(p - text));
				handle(t, p + 2, (size_t)(e - p - 2));
				p = text = e + 2;
				continue;
			}
			no_close = 1;
		}
		if (!no_comment_end && rest >= 4 &&
		    memcmp(p, "<!--", 4) == 0) {
			if ((e = find(p + 4, rest - 4, "-->")) != NULL) {
				if (p > text)
					tok_add(t, T_TEXT, text,
					    (size_t)(p - text));
				tok_add(t, T_COMMENT, p + 4, (size_t)(e - p - 4));
				p = text = e + 3;
				continue;
			}
			no_comment_end = 1;
		}
		p++;
	}
	if (p > text)
		tok_add(t, T_TEXT, text, (size_t)(p - text));
}

static int
tag_eq(const struct tok *a, const struct tok *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Match sections; -1 with Anki's three errors. */
static int
parse(struct toks *t, char *errbuf, size_t errlen)
{
	size_t *stack = xreallocarray(NULL, t->n + 1, sizeof *stack), depth = 0;
	int rc = 0;

	for (size_t i = 0; i < t->n && rc == 0; i++) {
		struct tok *k = &t->v[i];

		if (k->kind == T_OPEN || k->kind == T_NEG)
			stack[depth++] = i;
		else if (k->kind == T_CLOSE) {
			if (depth == 0) {
				snprintf(errbuf, errlen, "found {{/%.*s}}, but "
				    "there is no {{#%.*s}} or {{^%.*s}} before "
				    "it", (int)k->len, k->s, (int)k->len, k->s,
				    (int)k->len, k->s);
				rc = -1;
			} else if (!tag_eq(&t->v[stack[depth - 1]], k)) {
				struct tok *o = &t->v[stack[depth - 1]];

				snprintf(errbuf, errlen, "found {{/%.*s}}, but "
				    "expected {{/%.*s}}", (int)k->len, k->s,
				    (int)o->len, o->s);
				rc = -1;
			} else
				t->v[stack[--depth]].end = i;
		}
	}
	if (rc == 0 && depth > 0) {
		struct tok *o = &t->v[stack[depth - 1]];

		snprintf(errbuf, errlen, "missing {{/%.*s}}", (int)o->len, o->s);
		rc = -1;
	}
	free(stack);
	return rc;
}

static int
tokenize(const char *tmpl, struct toks *t, char *errbuf, size_t errlen)
{
	memset(t, 0, sizeof *t);
	lex(tmpl != NULL ? tmpl : "", t);
	return parse(t, errbuf, errlen);
}

int
template_check(const char *tmpl, char *errbuf, size_t errlen)
{
	struct toks t;
	int rc = tokenize(tmpl, &t, errbuf, errlen);

	free(t.v);
	return rc;
}

/* ---- fields ------------------------------------------------------------ */

int
template_field_empty(const char *s)
{
	static const char *const tags[] = { "<br", "<div", "</br", "</div" };

	while (*s != '\0') {
		size_t i, l = 0;

		if (is_ws(*s)) {
			s++;
			continue;
		}
		/* </?(br|div) ?/?> , case-insensitive */
		for (i = 0; i < 4; i++) {
			l = strlen(tags[i]);
			if (strncasecmp(s, tags[i], l) == 0)
				break;
		}
		if (i == 4)
			return 0;
		s += l;
		if (*s == ' ')
			s++;
		if (*s == '/')
			s++;
		if (*s != '>')
			return 0;
		s++;
	}
	return 1;
}

static int
key_is(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* The special fields a template may name; FrontSide is handled apart. */
static const char *const special[] = {
	"Tags", "Type", "Deck", "Subdeck", "CardFlag", "Card", "CardID"
};
#define NSPECIAL	(sizeof special / sizeof special[0])

struct render {
	const struct template_ctx *c;
	char		 flag[16], cardnum[16], cardid[24];
	char		*errbuf;
	size_t		 errlen;
};

/* The value of field key: a note field, else a special one, else "cN" on
 * card N. NULL when there is none. */
static const char *
lookup(struct render *r, const char *key, size_t len)
{
	const struct template_ctx *c = r->c;
	const char *d;

	for (size_t i = 0; i < c->nfields; i++)
		if (c->names[i] != NULL && key_is(key, len, c->names[i]))
			return c->values[i] != NULL ? c->values[i] : "";
	if (key_is(key, len, "Tags"))
		return c->tags != NULL ? c->tags : "";
	if (key_is(key, len, "Type"))
		return c->notetype != NULL ? c->notetype : "";
	if (key_is(key, len, "Deck"))
		return c->deck != NULL ? c->deck : "(Deck)";
	if (key_is(key, len, "Subdeck")) {
		const char *p;

		d = c->deck != NULL ? c->deck : "(Deck)";
		while ((p = strstr(d, "::")) != NULL)
			d = p + 2;
		return d;
	}
	if (key_is(key, len, "CardFlag"))
		return r->flag;
	if (key_is(key, len, "Card"))
		return c->card != NULL ? c->card : "";
	if (key_is(key, len, "CardID"))
		return r->cardid;
	if (key_is(key, len, r->cardnum))
		return "1";
	return NULL;
}

/* 'c' and a number: a cloze conditional, false when not this card's. */
static int
is_cloze_key(const char *s, size_t len)
{
	if (len < 2 || s[0] != 'c' || len > 11)
		return 0;
	for (size_t i = 1; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return strtoull(s + 1, NULL, 10) <= UINT32_MAX;
}

static void
add_escaped(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<')
			buf_adds(out, "&lt;");
		else if (s[i] == '>')
			buf_adds(out, "&gt;");
		else if (s[i] == '&')
			buf_adds(out, "&amp;");
		else
			buf_addc(out, s[i]);
	}
}

static int
has_cloze_number(const char *text, unsigned n)
{
	unsigned nums[CLOZE_CARDS_MAX];
	size_t k = cloze_numbers(text, nums, CLOZE_CARDS_MAX);

	if (k > CLOZE_CARDS_MAX)
		k = CLOZE_CARDS_MAX;
	for (size_t i = 0; i < k; i++)
		if (nums[i] == n)
			return 1;
	return 0;
}

/* cloze-only: the active deletions' text, joined by ", " as Anki's. */
static void
cloze_only(const char *text, unsigned n, struct buf *out)
{
	struct buf tmp;
	const char *p, *e;
	int first = 1;

	buf_init(&tmp);
	cloze_render(text, n, 1, "\x01", "\x02", &tmp);
	for (p = tmp.data != NULL ? tmp.data : "";
	    (p = strchr(p, '\x01')) != NULL; p = e + 1) {
		if ((e = strchr(++p, '\x02')) == NULL)
			break;
		if (!first)
			buf_adds(out, ", ");
		buf_add(out, p, (size_t)(e - p));
		first = 0;
	}
	buf_free(&tmp);
}

/* One filter over cur into next; 0 when it changed nothing (next unused). */
static int
filter(struct render *r, const char *f, size_t flen, const char *field,
    size_t fieldlen, const char *cur, struct buf *next)
{
	if (key_is(f, flen, "text")) {
		struct buf plain;

		buf_init(&plain);
		html_to_text(cur, strlen(cur), &plain);
		add_escaped(next, plain.data, plain.len);
		buf_free(&plain);
		return 1;
	}
	if (key_is(f, flen, "hint")) {
		const char *p = cur;

		while (is_ws(*p))
			p++;
		if (*p == '\0' || r->c->hints)
			return 0;
		buf_adds(next, TEMPLATE_HINT_OPEN);
		buf_add(next, field, fieldlen);
		buf_adds(next, TEMPLATE_HINT_CLOSE);
		return 1;
	}
	if (key_is(f, flen, "cloze")) {
		if (has_cloze_number(cur, r->c->ord + 1))
			return 0;
		return 1;	/* no deletion for this card: blank */
	}
	if (key_is(f, flen, "cloze-only")) {
		cloze_only(cur, r->c->ord + 1, next);
		return 1;
	}
	/* "" (two colons), the ruby filters and every unknown one: the text
	 * as it is (Anki leaves an unknown filter to add-ons). */
	return 0;
}

/* Anki's [[type:...]] for a type: chain: type:cloze:F and type:nc:F keep
 * their kind, any other chain ending in type is plain. */
static void
type_marker(const char *filters, size_t flen, const char *key, size_t klen,
    struct buf *out)
{
	buf_adds(out, TEMPLATE_TYPE_OPEN);
	if (flen == strlen("type:cloze:") &&
	    memcmp(filters, "type:cloze:", flen) == 0)
		buf_adds(out, "cloze:");
	else if (flen == strlen("type:nc:") &&
	    memcmp(filters, "type:nc:", flen) == 0)
		buf_adds(out, "nc:");
	buf_add(out, key, klen);
	buf_adds(out, TEMPLATE_TYPE_CLOSE);
}

static int
replacement(struct render *r, const struct tok *k, struct buf *out)
{
	const char *s = k->s, *key = s, *val, *p;
	size_t len = k->len, klen = len, flen = 0;
	struct buf cur, next;

	for (p = s + len; p > s; p--)
		if (p[-1] == ':') {
			key = p;
			klen = (size_t)(s + len - p);
			flen = (size_t)(p - s);
			break;
		}
	if (flen == 0 && key_is(key, klen, "FrontSide")) {
		if (r->c->frontside != NULL)
			buf_adds(out, r->c->frontside);
		return 0;
	}
	if (klen == 0 && flen > 0)
		return 0;	/* {{filter:}}: left to add-ons in Anki */
	if ((val = lookup(r, key, klen)) == NULL) {
		snprintf(r->errbuf, r->errlen, "found {{%.*s}}, but there is "
		    "no field called '%.*s'", (int)len, s, (int)klen, key);
		return -1;
	}
	/* The leftmost filter runs last; type there makes the chain an
	 * input. */
	if (flen >= 5 && memcmp(s, "type:", 5) == 0) {
		type_marker(s, flen, key, klen, out);
		return 0;
	}
	buf_init(&cur);
	buf_init(&next);
	buf_adds(&cur, val);
	/* Filters run right to left: the one nearest the field first. */
	for (size_t e = flen; e > 0;) {
		size_t b = e - 1;	/* s[b] is the ':' after this filter */

		while (b > 0 && s[b - 1] != ':')
			b--;
		buf_reset(&next);
		if (filter(r, s + b, e - 1 - b, key, klen,
		    cur.data != NULL ? cur.data : "", &next)) {
			struct buf t = cur;

			cur = next;
			next = t;
		}
		e = b;
	}
	if (cur.len > 0)
		buf_add(out, cur.data, cur.len);
	buf_free(&cur);
	buf_free(&next);
	return 0;
}

/* evaluate_conditional: 1 shown, 0 not, -1 no such field. */
static int
condition(struct render *r, const struct tok *k, int negated)
{
	const char *v = lookup(r, k->s, k->len);

	if (v != NULL && !template_field_empty(v))
		return !negated;
	if (v != NULL || is_cloze_key(k->s, k->len))
		return negated;
	snprintf(r->errbuf, r->errlen, "found {{%c%.*s}}, but there is no "
	    "field called '%.*s'", negated ? '^' : '#', (int)k->len, k->s,
	    (int)k->len, k->s);
	return -1;
}

static int
walk(struct render *r, const struct toks *t, size_t from, size_t to,
    struct buf *out)
{
	for (size_t i = from; i < to; i++) {
		const struct tok *k = &t->v[i];
		int show;

		switch (k->kind) {
		case T_TEXT:
			buf_add(out, k->s, k->len);
			break;
		case T_COMMENT:
			if (r->c->comments) {
				buf_adds(out, "<!--");
				buf_add(out, k->s, k->len);
				buf_adds(out, "-->");
			}
			break;
		case T_REPL:
			if (replacement(r, k, out) < 0)
				return -1;
			break;
		case T_OPEN:
		case T_NEG:
			if ((show = condition(r, k, k->kind == T_NEG)) < 0)
				return -1;
			if (show) {
				if (walk(r, t, i + 1, k->end, out) < 0)
					return -1;
			} else {
				struct buf scratch;
				int rc;

				buf_init(&scratch);
				rc = walk(r, t, i + 1, k->end, &scratch);
				buf_free(&scratch);
				if (rc < 0)
					return -1;
			}
			i = k->end;
			break;
		case T_CLOSE:
			break;
		}
	}
	return 0;
}

int
template_render(const char *tmpl, const struct template_ctx *ctx,
    struct buf *out, char *errbuf, size_t errlen)
{
	struct render r;
	struct toks t;
	int rc;

	memset(&r, 0, sizeof r);
	r.c = ctx;
	r.errbuf = errbuf;
	r.errlen = errlen;
	snprintf(r.flag, sizeof r.flag, "flag%d", ctx->flag);
	snprintf(r.cardnum, sizeof r.cardnum, "c%u", ctx->ord + 1);
	snprintf(r.cardid, sizeof r.cardid, "%lld", (long long)ctx->card_id);
	if ((rc = tokenize(tmpl, &t, errbuf, errlen)) == 0)
		rc = walk(&r, &t, 0, t.n, out);
	free(t.v);
	return rc;
}

/* ---- card generation -------------------------------------------------- */

struct nonempty {
	const char *const *names;
	const int	*nonempty;
	size_t		 n;
	int		 has_tags;
};

static int
key_nonempty(const struct nonempty *ne, const char *s, size_t len)
{
	for (size_t i = 0; i < ne->n; i++)
		if (key_is(s, len, ne->names[i]))
			return ne->nonempty[i];
	if (key_is(s, len, "Tags"))
		return ne->has_tags;
	for (size_t i = 0; i < NSPECIAL; i++)
		if (key_is(s, len, special[i]))
			return 1;
	return 0;
}

/* The key of a replacement (after its last ':'). */
static void
repl_key(const struct tok *k, const char **key, size_t *klen)
{
	*key = k->s;
	*klen = k->len;
	for (const char *p = k->s + k->len; p > k->s; p--)
		if (p[-1] == ':') {
			*key = p;
			*klen = (size_t)(k->s + k->len - p);
			break;
		}
}

/* template_is_empty with check_negated, inverted: 1 renders something. */
static int
renders(const struct nonempty *ne, const struct toks *t, size_t from,
    size_t to)
{
	for (size_t i = from; i < to; i++) {
		const struct tok *k = &t->v[i];
		const char *key;
		size_t klen;

		switch (k->kind) {
		case T_REPL:
			repl_key(k, &key, &klen);
			if (key_nonempty(ne, key, klen))
				return 1;
			break;
		case T_OPEN:
			if (key_nonempty(ne, k->s, k->len) &&
			    renders(ne, t, i + 1, k->end))
				return 1;
			i = k->end;
			break;
		case T_NEG:
			if (!key_nonempty(ne, k->s, k->len) &&
			    renders(ne, t, i + 1, k->end))
				return 1;
			i = k->end;
			break;
		default:
			break;
		}
	}
	return 0;
}

int
template_renders(const char *qfmt, const char *const *names,
    const int *nonempty, size_t nfields, int has_tags)
{
	struct nonempty ne = { names, nonempty, nfields, has_tags };
	struct toks t;
	char err[8];
	int rc = 0;

	if (tokenize(qfmt, &t, err, sizeof err) == 0)
		rc = renders(&ne, &t, 0, t.n);
	free(t.v);
	return rc;
}

void
template_cloze_fields(const char *tmpl, struct buf *out)
{
	struct toks t;

	memset(&t, 0, sizeof t);
	lex(tmpl != NULL ? tmpl : "", &t);
	for (size_t i = 0; i < t.n; i++) {
		const struct tok *k = &t.v[i];
		const char *key;
		size_t klen, b = 0;
		int cloze = 0;

		if (k->kind != T_REPL)
			continue;
		repl_key(k, &key, &klen);
		/* Is "cloze" one of the filters? */
		for (size_t e = 0; e < (size_t)(key - k->s); e++)
			if (k->s[e] == ':') {
				if (e - b == 5 && memcmp(k->s + b, "cloze", 5) == 0)
					cloze = 1;
				b = e + 1;
			}
		if (cloze) {
			buf_add(out, key, klen);
			buf_addc(out, '\0');
		}
	}
	free(t.v);
}

void
template_trim(const char *html, size_t *a, size_t *b)
{
	for (;;) {
		while (*a < *b && strchr(" \t\r\n", html[*a]) != NULL)
			(*a)++;
		while (*b > *a && strchr(" \t\r\n", html[*b - 1]) != NULL)
			(*b)--;
		if (*b - *a >= 4 && strncasecmp(html + *a, "<br>", 4) == 0)
			*a += 4;
		else if (*b - *a >= 4 && strncasecmp(html + *b - 4, "<br>", 4) ==
		    0)
			*b -= 4;
		else
			break;
	}
}
