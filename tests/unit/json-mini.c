/* json-mini.c - a small recursive-descent JSON reader; see json-mini.h. */
#include "config.h"

#include "json-mini.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"

struct parser {
	const char	*s;
	const char	*start;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int	parse_value(struct parser *p, struct json *out, int depth);

static int
fail(struct parser *p, const char *what)
{
	unsigned line = 1;

	for (const char *c = p->start; c < p->s; c++)
		line += *c == '\n';
	if (!p->failed)
		snprintf(p->err, p->errlen, "line %u: %s", line, what);
	p->failed = 1;
	return -1;
}

static void
skip_ws(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char tmp[4];

	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xC0 | (cp >> 6));
		tmp[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, tmp, 2);
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xE0 | (cp >> 12));
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, tmp, 3);
	} else {
		tmp[0] = (char)(0xF0 | (cp >> 18));
		tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(b, tmp, 4);
	}
}

static int
hex4(struct parser *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = *p->s++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(p, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static int
parse_string(struct parser *p, char **out)
{
	struct buf b;
	unsigned cp, lo;

	p->s++;		/* the opening quote */
	buf_init(&b);
	for (;;) {
		char c = *p->s;
		if (c == '\0') {
			buf_free(&b);
			return fail(p, "unterminated string");
		}
		p->s++;
		if (c == '"')
			break;
		if (c != '\\') {
			buf_addc(&b, c);
			continue;
		}
		c = *p->s++;
		switch (c) {
		case '"': case '\\': case '/':	buf_addc(&b, c); break;
		case 'b':	buf_addc(&b, '\b'); break;
		case 'f':	buf_addc(&b, '\f'); break;
		case 'n':	buf_addc(&b, '\n'); break;
		case 'r':	buf_addc(&b, '\r'); break;
		case 't':	buf_addc(&b, '\t'); break;
		case 'u':
			if (hex4(p, &cp) < 0) {
				buf_free(&b);
				return -1;
			}
			if (cp >= 0xD800 && cp < 0xDC00 && p->s[0] == '\\' &&
			    p->s[1] == 'u') {
				p->s += 2;
				if (hex4(p, &lo) < 0) {
					buf_free(&b);
					return -1;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(&b, cp);
			break;
		default:
			buf_free(&b);
			return fail(p, "bad escape");
		}
	}
	*out = buf_steal(&b);
	return 0;
}

static void
add_item(struct json *j, size_t *cap, const struct json *v, char *key)
{
	if (j->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		j->items = xreallocarray(j->items, *cap, sizeof *j->items);
		if (j->type == JSON_OBJECT)
			j->keys = xreallocarray(j->keys, *cap, sizeof *j->keys);
	}
	j->items[j->n] = *v;
	if (j->type == JSON_OBJECT)
		j->keys[j->n] = key;
	j->n++;
}

static int
parse_container(struct parser *p, struct json *out, int depth)
{
	int is_obj = *p->s == '{';
	char close = is_obj ? '}' : ']';
	size_t cap = 0;

	out->type = is_obj ? JSON_OBJECT : JSON_ARRAY;
	p->s++;
	skip_ws(p);
	if (*p->s == close) {
		p->s++;
		return 0;
	}
	for (;;) {
		struct json v;
		char *key = NULL;

		memset(&v, 0, sizeof v);
		skip_ws(p);
		if (is_obj) {
			if (*p->s != '"')
				return fail(p, "expected a key");
			if (parse_string(p, &key) < 0)
				return -1;
			skip_ws(p);
			if (*p->s != ':') {
				free(key);
				return fail(p, "expected ':'");
			}
			p->s++;
		}
		if (parse_value(p, &v, depth + 1) < 0) {
			free(key);
			json_free_members(&v);
			return -1;
		}
		add_item(out, &cap, &v, key);
		skip_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return 0;
		}
		return fail(p, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int
parse_value(struct parser *p, struct json *out, int depth)
{
	char *end;

	if (depth > 64)
		return fail(p, "nested too deeply");
	skip_ws(p);
	switch (*p->s) {
	case '{':
	case '[':
		return parse_container(p, out, depth);
	case '"':
		out->type = JSON_STRING;
		return parse_string(p, &out->str);
	case 't':
		if (strncmp(p->s, "true", 4) != 0)
			return fail(p, "bad literal");
		out->type = JSON_BOOL;
		out->num = 1;
		p->s += 4;
		return 0;
	case 'f':
		if (strncmp(p->s, "false", 5) != 0)
			return fail(p, "bad literal");
		out->type = JSON_BOOL;
		out->num = 0;
		p->s += 5;
		return 0;
	case 'n':
		if (strncmp(p->s, "null", 4) != 0)
			return fail(p, "bad literal");
		out->type = JSON_NULL;
		p->s += 4;
		return 0;
	default:
		out->num = strtod(p->s, &end);
		if (end == p->s)
			return fail(p, "unexpected character");
		out->type = JSON_NUMBER;
		p->s = end;
		return 0;
	}
}

struct json *
json_parse(const char *text, char *err, size_t errlen)
{
	struct parser p = { text, text, err, errlen, 0 };
	struct json *j = xcalloc(1, sizeof *j);

	if (parse_value(&p, j, 0) < 0) {
		json_free(j);
		return NULL;
	}
	skip_ws(&p);
	if (*p.s != '\0') {
		fail(&p, "trailing characters");
		json_free(j);
		return NULL;
	}
	return j;
}

struct json *
json_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;
	struct json *j;

	if (f == NULL) {
		snprintf(err, errlen, "cannot open %s", path);
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	j = json_parse(b.data != NULL ? b.data : "", err, errlen);
	buf_free(&b);
	return j;
}

void
json_free_members(struct json *j)
{
	for (size_t i = 0; i < j->n; i++) {
		json_free_members(&j->items[i]);
		if (j->keys != NULL)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->str);
	memset(j, 0, sizeof *j);
}

void
json_free(struct json *j)
{
	if (j == NULL)
		return;
	json_free_members(j);
	free(j);
}

const struct json *
json_get(const struct json *j, const char *key)
{
	if (j == NULL || j->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		if (strcmp(j->keys[i], key) == 0)
			return &j->items[i];
	return NULL;
}

double
json_num(const struct json *j, const char *key, double def)
{
	const struct json *v = json_get(j, key);

	if (v == NULL || (v->type != JSON_NUMBER && v->type != JSON_BOOL))
		return def;
	return v->num;
}

const char *
json_str(const struct json *j, const char *key)
{
	const struct json *v = json_get(j, key);

	return v != NULL && v->type == JSON_STRING ? v->str : NULL;
}

int
json_is_null(const struct json *j)
{
	return j == NULL || j->type == JSON_NULL;
}
