/*
 * db-search.c - running compiled searches, one page at a time. See
 * search.h; every SQL statement of search lives here (the bulk actions on
 * what a search found are db-cardops.c's).
 *
 * Paging: search_run() runs the query once, sorted, and keeps only the
 * ordered card ids (8 bytes a card: 800 kB for 100,000). A page is then
 * one primary-key lookup per visible row, so scrolling costs the same on
 * page 1 and page 2000, and the sort is never redone. LIMIT/OFFSET would
 * re-run the whole filter and sort on every scroll, and keyset paging
 * needs an index per sortable column (retrievability cannot have one).
 */
#include "config.h"

#include "lemma/query/search.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "../store/db-int.h"
#include "db-search.h"
#include "search-re.h"
#include "lemma/base/html.h"
#include "lemma/base/nocombine.h"
#include "lemma/base/text.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/cloze.h"
#include "lemma/model/fsrs.h"

/* The fields of a note, as Anki stores them, are joined by U+001F. */
#define FIELD_SEP	'\x1f'

/* ---- FSRS parameters per deck ------------------------------------------------ */

struct deck_params {
	int64_t			 deck_id;
	struct fsrs_params	 p;
};

struct params_cache {
	struct deck_params	*d;
	size_t			 n;
	struct fsrs_params	 def;
};

static void
params_free(void *arg)
{
	struct params_cache *c = arg;

	if (c == NULL)
		return;
	free(c->d);
	free(c);
}

/*
 * Each deck's weights, from its options preset, and the rollover hour. Never
 * fails: a preset whose weights do not parse (or a read error) gets the
 * defaults, which is what the scheduler falls back to as well.
 */
static struct params_cache *
params_load(sqlite3 *sql)
{
	struct params_cache *c = xcalloc(1, sizeof *c);
	sqlite3_stmt *st;
	size_t cap = 0;

	fsrs_params_default(&c->def);
	/* The day boundary is the collection's (the Default preset's), as
	 * the scheduler has it; the weights are each preset's. */
	if (sqlite3_prepare_v2(sql, "SELECT d.id, k.fsrs_params, coalesce(("
	    "SELECT rollover_hour FROM deck_config WHERE id = 1), 4) "
	    "FROM decks d JOIN deck_config k ON k.id = d.config_id ORDER BY d.id",
	    -1, &st, NULL) != SQLITE_OK)
		return c;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct deck_params *dp;

		VEC_RESERVE(c->d, cap, c->n + 1, 16);
		dp = &c->d[c->n++];
		dp->deck_id = sqlite3_column_int64(st, 0);
		fsrs_params_default(&dp->p);
		if (fsrs_params_parse_weights(&dp->p,
		    (const char *)sqlite3_column_text(st, 1), NULL) < 0)
			fsrs_params_default(&dp->p);
		dp->p.rollover_hour = sqlite3_column_int(st, 2);
		fsrs_params_prepare(&dp->p);
	}
	sqlite3_finalize(st);
	return c;
}

static const struct fsrs_params *
params_find(const struct params_cache *c, int64_t deck_id)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->d[mid].deck_id < deck_id)
			lo = mid + 1;
		else if (c->d[mid].deck_id > deck_id)
			hi = mid;
		else
			return &c->d[mid].p;
	}
	return &c->def;
}

/* R now, from the stability and the study days since the last review,
 * as the scheduler computes it. */
static double
retrievability(const struct fsrs_params *p, double s, int64_t last, time_t now)
{
	long t = 0;

	if (s <= 0)
		return 0;
	if (last > 0)
		t = fsrs_elapsed_days(p, (time_t)last, now);
	if (t < 0)
		t = 0;
	return fsrs_retrievability(p, (double)t, s);
}

/* ---- SQL functions -------------------------------------------------------------- */

static int
arg_text(sqlite3_value *v, const char **s, size_t *len)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return -1;
	*s = (const char *)sqlite3_value_text(v);
	*len = (size_t)sqlite3_value_bytes(v);
	return *s == NULL ? -1 : 0;
}

static void
glob_free(void *g)
{
	search_glob_free(g);
}

/* Argument i as a compiled pattern, compiled once per statement: the
 * pattern is a bound value, the same for every row. NULL for NULL. */
static const struct search_glob *
arg_glob(sqlite3_context *ctx, sqlite3_value **argv, int i)
{
	struct search_glob *g = sqlite3_get_auxdata(ctx, i);
	const char *pat;

	if (g != NULL)
		return g;
	if ((pat = (const char *)sqlite3_value_text(argv[i])) == NULL)
		return NULL;
	g = search_glob_compile(pat);
	sqlite3_set_auxdata(ctx, i, g, glob_free);
	/* SQLite frees it at once when it is out of memory. */
	if ((g = sqlite3_get_auxdata(ctx, i)) == NULL)
		fatal("out of memory");
	return g;
}

/* How a text function compares one field (or tag) with its pattern. */
enum match_mode {
	MATCH_GLOB,		/* all of it is the glob pattern */
	MATCH_GLOB_ANYWHERE,	/* the glob pattern is in it */
	MATCH_GLOB_NC,		/* all of it, without combining marks */
	MATCH_GLOB_NC_ANYWHERE,	/* in it, without combining marks */
	MATCH_GLOB_SC_ANYWHERE,	/* in it, with cloze markup taken out */
	MATCH_RE,		/* the regex finds something in it */
};

static void
re_free(void *re)
{
	search_re_free(re);
}

/* Argument i as a compiled regex, compiled once per statement. NULL for
 * NULL or a bad pattern (search.c has checked it already). */
static const struct search_re *
arg_re(sqlite3_context *ctx, sqlite3_value **argv, int i)
{
	struct search_re *re = sqlite3_get_auxdata(ctx, i);
	const char *pat;
	char msg[256];
	size_t at;

	if (re != NULL)
		return re;
	if ((pat = (const char *)sqlite3_value_text(argv[i])) == NULL ||
	    (re = search_re_compile(pat, msg, sizeof msg, &at)) == NULL)
		return NULL;
	sqlite3_set_auxdata(ctx, i, re, re_free);
	if ((re = sqlite3_get_auxdata(ctx, i)) == NULL)
		fatal("out of memory");
	return re;
}

/* The pattern of a match mode, from argument i. */
struct matcher {
	enum match_mode			 mode;
	const struct search_glob	*g;
	const struct search_re		*re;
	struct buf			 tmp;	/* the field, transformed */
};

static int
matcher_init(struct matcher *m, enum match_mode mode, sqlite3_context *ctx,
    sqlite3_value **argv, int i)
{
	m->mode = mode;
	m->g = NULL;
	m->re = NULL;
	buf_init(&m->tmp);
	if (mode == MATCH_RE)
		return (m->re = arg_re(ctx, argv, i)) == NULL ? -1 : 0;
	return (m->g = arg_glob(ctx, argv, i)) == NULL ? -1 : 0;
}

static int
matcher_run(struct matcher *m, const char *s, size_t len)
{
	switch (m->mode) {
	case MATCH_GLOB:
		return search_glob_match(m->g, s, len, 0);
	case MATCH_GLOB_ANYWHERE:
		return search_glob_match(m->g, s, len, 1);
	case MATCH_RE:
		return search_re_match(m->re, s, len);
	case MATCH_GLOB_NC:
	case MATCH_GLOB_NC_ANYWHERE:
		if (nocombine_is_plain(s, len))
			return search_glob_match(m->g, s, len,
			    m->mode == MATCH_GLOB_NC_ANYWHERE);
		buf_reset(&m->tmp);
		buf_add(&m->tmp, "", 0);
		nocombine(s, len, &m->tmp);
		return search_glob_match(m->g, m->tmp.data, m->tmp.len,
		    m->mode == MATCH_GLOB_NC_ANYWHERE);
	case MATCH_GLOB_SC_ANYWHERE: {
		/* cloze_render() wants a NUL-terminated string. */
		char *copy = xstrndup(s, len);
		int rc;

		buf_reset(&m->tmp);
		buf_add(&m->tmp, "", 0);
		cloze_render(copy, 0, 1, NULL, NULL, &m->tmp);
		free(copy);
		rc = search_glob_match(m->g, m->tmp.data != NULL ? m->tmp.data :
		    "", m->tmp.len, 1);
		return rc;
	}
	}
	return 0;
}

static void
matcher_done(struct matcher *m)
{
	buf_free(&m->tmp);
}

/* The match mode a SQL function was registered with (its user data). */
static enum match_mode
fn_mode(sqlite3_context *ctx)
{
	return (enum match_mode)(intptr_t)sqlite3_user_data(ctx);
}

/*
 * Whether field ord of a note of type nt is picked by map, the
 * "notetype:ord,..." list (char(58) is the colon) of a FIELD: search (NULL: every field). *last
 * is raised to the highest ord the map picks for nt.
 */
static int
map_picks(const char *map, int64_t nt, int64_t ord, int64_t *last)
{
	int picked = 0;
	char *end;

	if (map == NULL)
		return 1;
	while (*map != '\0') {
		int64_t t = strtoll(map, &end, 10), o;

		if (*end != ':')
			break;
		o = strtoll(end + 1, &end, 10);
		if (t == nt) {
			if (o == ord)
				picked = 1;
			if (o > *last)
				*last = o;
		}
		map = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	return picked;
}

/*
 * Each field of fields (joined by U+001F) that map picks for note type
 * nt (map NULL: every field) against the matcher: 1 when one matches. A
 * note with fewer fields than its type has them empty.
 */
static int
fields_match(struct matcher *m, const char *f, size_t len, const char *map,
    int64_t nt)
{
	int64_t last = -1;
	const char *sep;
	size_t flen;

	for (int64_t i = 0; f != NULL || i <= last; i++) {
		sep = f != NULL ? memchr(f, FIELD_SEP, len) : NULL;
		flen = f == NULL ? 0 : sep != NULL ? (size_t)(sep - f) : len;
		if (map_picks(map, nt, i, &last) &&
		    matcher_run(m, f != NULL ? f : "", flen))
			return 1;
		if (sep != NULL) {
			len -= flen + 1;
			f = sep + 1;
		} else if (f != NULL) {
			f = NULL;
			if (map == NULL)
				break;
		}
	}
	return 0;
}

/* lemma_text(fields, pat), lemma_text_nc(), lemma_text_sc(): a field of
 * the note matches pat in the function's mode. */
static void
fn_fields(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct matcher m;
	const char *f;
	size_t len;

	(void)argc;
	if (arg_text(argv[0], &f, &len) < 0 ||
	    matcher_init(&m, fn_mode(ctx), ctx, argv, 1) < 0) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, fields_match(&m, f, len, NULL, 0));
	matcher_done(&m);
}

/* lemma_field(notetype, map, fields, pat), lemma_field_re(),
 * lemma_field_nc(): a field that map picks for the note's type matches
 * pat in the function's mode. */
static void
fn_field(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *map = (const char *)sqlite3_value_text(argv[1]), *f;
	struct matcher m;
	size_t len;

	(void)argc;
	if (map == NULL || arg_text(argv[2], &f, &len) < 0 ||
	    matcher_init(&m, fn_mode(ctx), ctx, argv, 3) < 0) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, fields_match(&m, f, len, map,
	    sqlite3_value_int64(argv[0])));
	matcher_done(&m);
}

/* lemma_glob(text, pat): text is all of pat; lemma_regex(text, re): the
 * regex finds something in text (re: and w: over the whole note,
 * separators and all, as Anki's "n.flds regexp"). */
static void
fn_whole(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct matcher m;
	const char *s;
	size_t len;

	(void)argc;
	if (arg_text(argv[0], &s, &len) < 0 ||
	    matcher_init(&m, fn_mode(ctx), ctx, argv, 1) < 0) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, matcher_run(&m, s, len));
	matcher_done(&m);
}

/* lemma_dupe(fields, text): the first field, as plain text, is text as
 * plain text (Anki's duplicate check strips HTML on both sides). */
static void
fn_dupe(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *f, *t, *sep;
	size_t flen, tlen;
	struct buf a, b;

	(void)argc;
	if (arg_text(argv[0], &f, &flen) < 0 || arg_text(argv[1], &t, &tlen) <
	    0) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	if ((sep = memchr(f, FIELD_SEP, flen)) != NULL)
		flen = (size_t)(sep - f);
	buf_init(&a);
	buf_init(&b);
	buf_add(&a, "", 0);
	buf_add(&b, "", 0);
	html_to_text(f, flen, &a);
	html_to_text(t, tlen, &b);
	sqlite3_result_int(ctx, a.len == b.len && memcmp(a.data, b.data,
	    a.len) == 0);
	buf_free(&a);
	buf_free(&b);
}

/* lemma_tag(tags, pat, pat2), lemma_tag_nc() and lemma_tag_re(tags, re):
 * one of the space-separated tags matches pat (or pat2) in the
 * function's mode (the regex: finds something in it, as Anki's
 * regexp_tags). */
static void
fn_tags(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct matcher m[2];
	const char *s, *end, *t;
	size_t len;
	int found = 0, n = 0;

	if (arg_text(argv[0], &s, &len) < 0) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	for (; n + 1 < argc; n++)
		if (matcher_init(&m[n], fn_mode(ctx), ctx, argv, n + 1) < 0) {
			while (n-- > 0)
				matcher_done(&m[n]);
			sqlite3_result_int(ctx, 0);
			return;
		}
	end = s + len;
	while (s < end && !found) {
		while (s < end && *s == ' ')
			s++;
		for (t = s; t < end && *t != ' '; t++)
			continue;
		for (int i = 0; i < n && t > s && !found; i++)
			found = matcher_run(&m[i], s, (size_t)(t - s));
		s = t;
	}
	while (n-- > 0)
		matcher_done(&m[n]);
	sqlite3_result_int(ctx, found);
}

/* lemma_r(deck_id, stability, last_review, now). The decks' parameters
 * are read once per statement: they hang on the "now" argument, which is
 * a bound value and so the same for every row. */
static void
fn_r(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct params_cache *c = sqlite3_get_auxdata(ctx, 3);

	(void)argc;
	if (c == NULL) {
		c = params_load(sqlite3_context_db_handle(ctx));
		sqlite3_set_auxdata(ctx, 3, c, params_free);
		/* SQLite frees it at once when it is out of memory. */
		if ((c = sqlite3_get_auxdata(ctx, 3)) == NULL)
			fatal("out of memory");
	}
	sqlite3_result_double(ctx, retrievability(
	    params_find(c, sqlite3_value_int64(argv[0])),
	    sqlite3_value_double(argv[1]), sqlite3_value_int64(argv[2]),
	    (time_t)sqlite3_value_int64(argv[3])));
}

/* lemma_walk(budget, key): 1 while the walk's budget (a long, bound as a
 * pointer) lasts, then an error that stops the walk. The key ties the call
 * to each note, so SQLite cannot evaluate it once for the statement. */
static void
fn_walk(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	long *left = sqlite3_value_pointer(argv[0], "lemma_walk");

	(void)argc;
	if (left != NULL && --*left < 0) {
		sqlite3_result_error(ctx, "the walk's budget is spent", -1);
		return;
	}
	sqlite3_result_int(ctx, 1);
}

/* COLLATE lemma_fold: code points compared after text_fold(). */
int
db_search_collate_fold(void *arg, int alen, const void *av, int blen,
    const void *bv)
{
	const char *a = av, *b = bv;
	size_t i = 0, j = 0, an = (size_t)alen, bn = (size_t)blen;
	uint32_t ca, cb;
	int ok;

	(void)arg;
	while (i < an && j < bn) {
		if ((unsigned char)a[i] < 0x80 && (unsigned char)b[j] < 0x80) {
			ca = (unsigned char)a[i++];
			cb = (unsigned char)b[j++];
			if (ca >= 'A' && ca <= 'Z')
				ca += 32;
			if (cb >= 'A' && cb <= 'Z')
				cb += 32;
		} else {
			i += utf8_decode(a + i, an - i, &ca, &ok);
			j += utf8_decode(b + j, bn - j, &cb, &ok);
			ca = text_fold(ca);
			cb = text_fold(cb);
		}
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return (i < an) - (j < bn);
}

#define PURE	(SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

int
db_search_functions(struct db *db, struct err *e)
{
	/* lemma_walk has a side effect: never deterministic, and only in
	 * the program's own statements. */
	static const struct {
		const char	*name;
		int		 nargs;
		void		(*fn)(sqlite3_context *, int, sqlite3_value **);
		enum match_mode	 mode;	/* the user data of fn_mode() */
		int		 flags;
	} fns[] = {
		{ "lemma_text",	2, fn_fields, MATCH_GLOB_ANYWHERE, PURE },
		{ "lemma_text_nc", 2, fn_fields, MATCH_GLOB_NC_ANYWHERE, PURE },
		{ "lemma_text_sc", 2, fn_fields, MATCH_GLOB_SC_ANYWHERE, PURE },
		{ "lemma_field", 4, fn_field, MATCH_GLOB, PURE },
		{ "lemma_field_re", 4, fn_field, MATCH_RE, PURE },
		{ "lemma_field_nc", 4, fn_field, MATCH_GLOB_NC, PURE },
		{ "lemma_glob",	2, fn_whole, MATCH_GLOB, PURE },
		{ "lemma_regex", 2, fn_whole, MATCH_RE, PURE },
		{ "lemma_tag",	3, fn_tags, MATCH_GLOB, PURE },
		{ "lemma_tag_nc", 3, fn_tags, MATCH_GLOB_NC, PURE },
		{ "lemma_tag_re", 2, fn_tags, MATCH_RE, PURE },
		{ "lemma_dupe",	2, fn_dupe, MATCH_GLOB, PURE },
		{ "lemma_r",	4, fn_r, MATCH_GLOB, PURE },
		{ "lemma_walk",	2, fn_walk, MATCH_GLOB, SQLITE_DIRECTONLY },
	};
	sqlite3_stmt *probe;

	/* Registering again would expire every prepared statement that uses
	 * them, the browser's open result among them. */
	if (sqlite3_prepare_v2(db->sql, "SELECT lemma_r(0, 0, 0, 0)", -1, &probe,
	    NULL) == SQLITE_OK) {
		sqlite3_finalize(probe);
		return 0;
	}
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (sqlite3_create_function_v2(db->sql, fns[i].name, fns[i].nargs,
		    SQLITE_UTF8 | fns[i].flags, (void *)(intptr_t)fns[i].mode,
		    fns[i].fn, NULL, NULL, NULL) != SQLITE_OK)
			return db_sql_err(db, e, "cannot set up search");
	if (sqlite3_create_collation_v2(db->sql, "lemma_fold", SQLITE_UTF8, NULL,
	    db_search_collate_fold, NULL) != SQLITE_OK)
		return db_sql_err(db, e, "cannot set up search");
	return 0;
}

int
search_rollover(struct db *db)
{
	sqlite3_stmt *st;
	int hour = 4;

	if (sqlite3_prepare_v2(db->sql, "SELECT rollover_hour FROM deck_config "
	    "WHERE id = 1", -1, &st, NULL) != SQLITE_OK)
		return hour;
	if (sqlite3_step(st) == SQLITE_ROW)
		hour = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return hour;
}

/* ---- running a search ------------------------------------------------------------ */

struct search_result {
	struct db		*db;
	int64_t			*ids;		/* the first n matches, in order */
	size_t			 n, cap;
	int			 complete;	/* ids holds every match */
	int			 counted;	/* count is known */
	size_t			 count;
	/* The query, kept to read more of it later (search_free() may
	 * come first). */
	enum search_sort	 sort;
	int			 descending;
	char			*where;
	struct search_param	*qparams;
	size_t			 nqparams;
	int			 uses_notes;
	/* Walking notes_sort: every match whose key comes before walk_key
	 * (after, descending) is in ids. */
	int			 walking;
	int			 walk_started;
	int64_t			 walk_key;
	time_t			 now;
	long			 today;
	struct params_cache	*params;
	sqlite3_stmt		*row;
	char			**strings;	/* the current page's */
	size_t			 nstrings, capstrings;
};

static const struct {
	const char	*name;
	int		 new_last;	/* new cards after the others, either way */
} sorts[SEARCH_NSORTS] = {
	[SEARCH_SORT_FIELD]		= { "sort",		0 },
	[SEARCH_SORT_DECK]		= { "deck",		0 },
	[SEARCH_SORT_DUE]		= { "due",		1 },
	[SEARCH_SORT_INTERVAL]		= { "interval",		0 },
	[SEARCH_SORT_DIFFICULTY]	= { "difficulty",	1 },
	[SEARCH_SORT_STABILITY]		= { "stability",	1 },
	[SEARCH_SORT_RETRIEVABILITY]	= { "retrievability",	1 },
	[SEARCH_SORT_REPS]		= { "reps",		0 },
	[SEARCH_SORT_LAPSES]		= { "lapses",		0 },
	[SEARCH_SORT_CREATED]		= { "created",		0 },
};

const char *
search_sort_name(enum search_sort sort)
{
	return (unsigned)sort < SEARCH_NSORTS ? sorts[sort].name : "?";
}

int
search_sort_parse(const char *name, enum search_sort *out)
{
	for (int i = 0; i < SEARCH_NSORTS; i++)
		if (strcmp(name, sorts[i].name) == 0) {
			*out = (enum search_sort)i;
			return 0;
		}
	return -1;
}

static int
bind_params(sqlite3_stmt *st, const struct search_result *r)
{
	int rc = SQLITE_OK;

	for (size_t i = 0; i < r->nqparams && rc == SQLITE_OK; i++) {
		const struct search_param *p = &r->qparams[i];

		switch (p->type) {
		case SEARCH_PARAM_INT:
			rc = sqlite3_bind_int64(st, (int)i + 1, p->i);
			break;
		case SEARCH_PARAM_REAL:
			rc = sqlite3_bind_double(st, (int)i + 1, p->r);
			break;
		case SEARCH_PARAM_TEXT:
			rc = sqlite3_bind_text(st, (int)i + 1, p->text, -1,
			    SQLITE_STATIC);
			break;
		}
	}
	return rc == SQLITE_OK ? 0 : -1;
}

/*
 * One match while sorting. The sort runs here rather than in SQL: SQLite's
 * sorter spilled 100,000 rows to temporary files and took 150-250 ms. The
 * key is a 64-bit unsigned integer in the column's order (for the sort
 * field, 8 bytes of the folded text at a time), so a radix sort does it in
 * a few passes; ties go by card id, so the order is total. 16 bytes: the
 * card id and the text's offset live in arrays of their own, at idx.
 */
struct sort_item {
	uint64_t	 key;
	uint32_t	 idx;
	uint32_t	 group;		/* 1: a new card that sorts last */
};

/* What the sort looks at besides the items. */
struct sort_ctx {
	const int64_t	*ids;
	const uint32_t	*text;		/* offsets into arena, or NULL */
	const char	*arena;
};

static uint64_t
key_int(int64_t v)
{
	return (uint64_t)v ^ ((uint64_t)1 << 63);
}

static uint64_t
key_real(double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	return bits >> 63 ? ~bits : bits | ((uint64_t)1 << 63);
}

/* The first 8 bytes of a folded string, big-endian, zero-padded: compares
 * as strcmp() does on those bytes. */
static uint64_t
key_prefix(const char *s)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 8 && s[i] != '\0'; i++)
		k = k << 8 | (unsigned char)s[i];
	/* An empty text: a shift by 64 would be undefined. */
	return i == 0 ? 0 : k << (8 * (8 - i));
}

static uint64_t
item_key(const struct sort_item *it, const struct sort_ctx *c, int by_id)
{
	return by_id ? key_int(c->ids[it->idx]) : it->key;
}

/*
 * Stable LSD radix sort on the key (by_id: on the card id), in place (tmp:
 * room for n more); passes where every item has the same byte are
 * skipped, so small numbers take one or two.
 */
static void
radix_sort(struct sort_item *items, struct sort_item *tmp, size_t n,
    const struct sort_ctx *c, int by_id)
{
	struct sort_item *from = items, *to = tmp, *t;
	size_t count[8][256], pos[256], sum;
	uint64_t v0;

	if (n < 2)
		return;
	memset(count, 0, sizeof count);
	for (size_t i = 0; i < n; i++) {
		uint64_t v = item_key(&items[i], c, by_id);

		for (int b = 0; b < 8; b++)
			count[b][(v >> (8 * b)) & 0xff]++;
	}
	v0 = item_key(&items[0], c, by_id);
	for (int b = 0; b < 8; b++) {
		if (count[b][(v0 >> (8 * b)) & 0xff] == n)
			continue;
		sum = 0;
		for (int k = 0; k < 256; k++) {
			pos[k] = sum;
			sum += count[b][k];
		}
		for (size_t i = 0; i < n; i++)
			to[pos[(item_key(&from[i], c, by_id) >> (8 * b)) & 0xff]++] =
			    from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != items)
		memcpy(items, from, n * sizeof *items);
}

/* qsort() has no context argument; lemma has one thread. */
static const struct sort_ctx *cmp_ctx;

static int
cmp_text(const void *av, const void *bv)
{
	const struct sort_item *a = av, *b = bv;
	const struct sort_ctx *c = cmp_ctx;
	int d = strcmp(c->arena + c->text[a->idx], c->arena + c->text[b->idx]);
	int64_t x = c->ids[a->idx], y = c->ids[b->idx];

	if (d != 0)
		return d;
	return (x > y) - (x < y);
}

/*
 * Sort-field keys hold 8 bytes of text. Runs that tie on them and go on
 * (no NUL among the 8 bytes) are sorted again on the next 8 bytes: an MSD
 * radix sort, since many fields begin alike ("the ", "to "). Ties that
 * remain are equal texts, left in id order by the stable passes.
 */
static void
refine_text(struct sort_item *items, struct sort_item *tmp, size_t n,
    const struct sort_ctx *c, size_t depth)
{
	size_t i, k;

	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && items[k].key == items[i].key; k++)
			continue;
		if (k - i < 2 || (items[i].key & 0xff) == 0)
			continue;
		if (k - i <= 32 || depth >= 32) {
			/* A short run (a radix pass costs 16 kB of
			 * counters), or 256 equal bytes: compare. */
			cmp_ctx = c;
			qsort(items + i, k - i, sizeof *items, cmp_text);
			cmp_ctx = NULL;
			continue;
		}
		for (size_t j = i; j < k; j++)
			items[j].key = key_prefix(c->arena + c->text[items[j].idx] +
			    8 * (depth + 1));
		radix_sort(items + i, tmp, k - i, c, 0);
		refine_text(items + i, tmp, k - i, c, depth + 1);
	}
}

/*
 * Sort by (group, key, id): by id first unless the rows came in id order
 * (a table scan), then by key (and, with text, the rest of the sort
 * field), then a stable split into the two groups.
 */
static void
sort_items(struct sort_item *items, size_t n, const struct sort_ctx *c)
{
	struct sort_item *tmp;
	size_t i, k, ngroup0 = 0;
	int in_order = 1;

	if (n < 2)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	for (i = 1; i < n && in_order; i++)
		in_order = c->ids[items[i - 1].idx] < c->ids[items[i].idx];
	if (!in_order)
		radix_sort(items, tmp, n, c, 1);
	radix_sort(items, tmp, n, c, 0);
	if (c->text != NULL)
		refine_text(items, tmp, n, c, 0);
	for (i = 0; i < n; i++)
		ngroup0 += items[i].group == 0;
	if (ngroup0 < n) {
		for (i = 0, k = 0; i < n; i++)
			if (items[i].group == 0)
				tmp[k++] = items[i];
		for (i = 0; i < n; i++)
			if (items[i].group != 0)
				tmp[k++] = items[i];
		memcpy(items, tmp, n * sizeof *tmp);
	}
	free(tmp);
}

/* A growing block of NUL-terminated folded strings. */
struct arena {
	char	*data;
	size_t	 len, cap;
};

/* s folded, appended with its NUL; returns its offset. strcmp on folded
 * UTF-8 orders by folded code point, as COLLATE lemma_fold does. */
static size_t
fold_into(struct arena *a, const char *s, size_t len)
{
	size_t at = a->len, i = 0;
	uint32_t cp;
	char *o;
	int ok;

	/* Folding at most grows a character from 2 bytes to 3. */
	if (a->cap - a->len < len * 3 / 2 + 1) {
		a->cap = a->len + len * 3 / 2 + 1 + a->cap / 2 + 4096;
		a->data = xrealloc(a->data, a->cap);
	}
	o = a->data + a->len;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			*o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		i += utf8_decode(s + i, len - i, &cp, &ok);
		o += utf8_encode(text_fold(cp), o);
	}
	*o++ = '\0';
	a->len = (size_t)(o - a->data);
	return at;
}

struct deck_rank {
	int64_t	 id;
	size_t	 name;		/* offset of the folded name */
	int	 rank;
};

static const char *rank_arena;

static int
cmp_rank_name(const void *a, const void *b)
{
	return strcmp(rank_arena + ((const struct deck_rank *)a)->name,
	    rank_arena + ((const struct deck_rank *)b)->name);
}

static int
cmp_rank_id(const void *a, const void *b)
{
	int64_t x = ((const struct deck_rank *)a)->id;
	int64_t y = ((const struct deck_rank *)b)->id;

	return (x > y) - (x < y);
}

/* Every deck's place in name order, sorted by deck id for lookup. */
static struct deck_rank *
deck_ranks(struct db *db, size_t *n, struct err *e)
{
	struct deck_rank *d = NULL;
	struct arena names = { NULL, 0, 0 };
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(db->sql, "SELECT id, name FROM decks", -1, &st,
	    NULL) != SQLITE_OK) {
		db_sql_err(db, e, "cannot read the decks");
		return NULL;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		VEC_RESERVE(d, cap, *n + 1, 32);
		d[*n].id = sqlite3_column_int64(st, 0);
		d[*n].name = fold_into(&names, (const char *)sqlite3_column_text(st,
		    1), (size_t)sqlite3_column_bytes(st, 1));
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot read the decks");
		free(names.data);
		free(d);
		return NULL;
	}
	rank_arena = names.data;
	if (*n > 0)
		qsort(d, *n, sizeof *d, cmp_rank_name);
	for (size_t i = 0; i < *n; i++)
		d[i].rank = (int)i;
	if (*n > 0)
		qsort(d, *n, sizeof *d, cmp_rank_id);
	rank_arena = NULL;
	free(names.data);
	return d != NULL ? d : xcalloc(1, sizeof *d);
}

static int
rank_of(const struct deck_rank *d, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d[mid].id < id)
			lo = mid + 1;
		else if (d[mid].id > id)
			hi = mid;
		else
			return d[mid].rank;
	}
	return (int)n;
}

/* What search_run() reads for each sort, after c.id and c.state. */
static const char *const sort_columns[SEARCH_NSORTS] = {
	/* The type's sort field: sort_text, or the first field. */
	[SEARCH_SORT_FIELD]		= "coalesce(n.sort_text, n.sort_field)",
	[SEARCH_SORT_DECK]		= "c.deck_id",
	[SEARCH_SORT_DUE]		= "c.due, c.position",
	[SEARCH_SORT_INTERVAL]		= "c.scheduled_days",
	[SEARCH_SORT_DIFFICULTY]	= "c.difficulty",
	[SEARCH_SORT_STABILITY]		= "c.stability",
	[SEARCH_SORT_RETRIEVABILITY]	= "c.deck_id, c.stability, c.last_review",
	[SEARCH_SORT_REPS]		= "c.reps",
	[SEARCH_SORT_LAPSES]		= "c.lapses",
	[SEARCH_SORT_CREATED]		= "c.created",
};

/*
 * Every match, read and sorted at once: the sorts other than the sort
 * field, a search that the walk finds too few matches for (see
 * walk_more()), and what needs the whole order (a position far down, a
 * card's place).
 */
static int
run_full(struct search_result *r, struct err *e)
{
	struct db *db = r->db;
	enum search_sort sort = r->sort;
	int descending = r->descending;
	struct sort_item *items = NULL;
	struct deck_rank *ranks = NULL;
	struct arena arena = { NULL, 0, 0 };
	struct sort_ctx ctx;
	uint32_t *text = NULL;
	int64_t *ids = NULL;
	sqlite3_stmt *st = NULL;
	struct buf sql;
	size_t cap = 0, nranks = 0, n = 0;
	int rc;

	buf_init(&sql);
	if (sort == SEARCH_SORT_DECK && (ranks = deck_ranks(db, &nranks, e)) ==
	    NULL)
		goto fail;
	buf_printf(&sql, "SELECT c.id, c.state, %s FROM ", sort_columns[sort]);
	/* The join costs a lookup per card: only when it is read. (Reading
	 * the sort fields afterwards in note order instead measured the
	 * same.) A search of the notes' text reads the notes first, in
	 * table order, and the cards of those that match by index: half the
	 * time of a lookup per card when few match (see search_count()). */
	if (r->uses_notes)
		buf_adds(&sql, "notes n CROSS JOIN cards c ON c.note_id = n.id");
	else if (sort == SEARCH_SORT_FIELD)
		buf_adds(&sql, "cards c JOIN notes n ON n.id = c.note_id");
	else
		buf_adds(&sql, "cards c");
	buf_printf(&sql, " WHERE %s", r->where);
	if (sqlite3_prepare_v2(db->sql, sql.data, -1, &st, NULL) != SQLITE_OK ||
	    bind_params(st, r) < 0) {
		db_sql_err(db, e, "cannot search");
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct sort_item *it;
		int is_new = 0;
		size_t len;

		if (n == cap) {
			if (n >= UINT32_MAX) {
				err_set(e, db->path, 0, 0, "too many cards to sort");
				goto fail;
			}
			/* Grow by half: at 100,000 cards a doubling would
			 * leave a megabyte unused. */
			cap = cap == 0 ? 1024 : cap + cap / 2;
			items = xreallocarray(items, cap, sizeof *items);
			ids = xreallocarray(ids, cap, sizeof *ids);
			if (sort == SEARCH_SORT_FIELD)
				text = xreallocarray(text, cap, sizeof *text);
		}
		ids[n] = sqlite3_column_int64(st, 0);
		/* Every sqlite3_column_* call takes the connection's mutex:
		 * read only what this sort needs. */
		if (sorts[sort].new_last || sort == SEARCH_SORT_DUE)
			is_new = sqlite3_column_int(st, 1) == 0;
		it = &items[n];
		it->idx = (uint32_t)n;
		it->group = sorts[sort].new_last && is_new;
		switch (sort) {
		case SEARCH_SORT_FIELD: {
			const char *f = (const char *)sqlite3_column_text(st, 2);

			len = (size_t)sqlite3_column_bytes(st, 2);
			/* Offsets are 32-bit to keep the arrays small. */
			if (arena.len + 2 * len + 1 > UINT32_MAX) {
				err_set(e, db->path, 0, 0, "too much text to sort");
				goto fail;
			}
			text[n] = (uint32_t)fold_into(&arena, f, len);
			it->key = key_prefix(arena.data + text[n]);
			break;
		}
		case SEARCH_SORT_DECK:
			it->key = key_int(rank_of(ranks, nranks,
			    sqlite3_column_int64(st, 2)));
			break;
		case SEARCH_SORT_DUE:
			it->key = key_int(sqlite3_column_int64(st, is_new ? 3 : 2));
			break;
		case SEARCH_SORT_DIFFICULTY:
		case SEARCH_SORT_STABILITY:
			it->key = key_real(sqlite3_column_double(st, 2));
			break;
		case SEARCH_SORT_RETRIEVABILITY:
			it->key = key_real(is_new ? 0 : retrievability(
			    params_find(r->params, sqlite3_column_int64(st, 2)),
			    sqlite3_column_double(st, 3),
			    sqlite3_column_int64(st, 4), r->now));
			break;
		default:
			it->key = key_int(sqlite3_column_int64(st, 2));
			break;
		}
		n++;
	}
	if (rc != SQLITE_DONE) {
		db_sql_err(db, e, "cannot search");
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	ctx.ids = ids;
	ctx.text = text;
	ctx.arena = arena.data;
	sort_items(items, n, &ctx);
	free(text);
	free(arena.data);
	text = NULL;
	arena.data = NULL;
	/* Descending is the ascending order reversed within each group, as
	 * the id breaks every tie. */
	free(r->ids);
	r->ids = xreallocarray(NULL, n + 1, sizeof *r->ids);
	r->n = n;
	r->cap = n + 1;
	r->complete = 1;
	r->counted = 1;
	r->count = n;
	r->walking = 0;
	for (size_t i = 0, start = 0; i <= n; i++) {
		if (i < n && items[i].group == items[start].group)
			continue;
		for (size_t k = start; k < i; k++)
			r->ids[k] = ids[items[descending ? i - 1 - (k - start) :
			    k].idx];
		start = i;
	}
	free(items);
	free(ids);
	free(ranks);
	buf_free(&sql);
	return 0;
fail:
	sqlite3_finalize(st);
	free(items);
	free(ids);
	free(text);
	free(ranks);
	free(arena.data);
	buf_free(&sql);
	return -1;
}

/* ---- the first pages by sort field: walking notes_sort -------------------- */

/*
 * A search by sort field reads notes in notes.sort_key order through the
 * index and stops once it has the rows asked for, so the first page costs
 * a page of rows, not a pass over the collection (issue #7: 100,000 cards
 * took 70-100 ms to read and sort in full). Keys hold 8 bytes of the
 * folded text; notes whose keys tie are sorted here on the whole folded
 * text and the card id, as run_full() sorts them, so both give the same
 * order.
 *
 * A search that matches few cards would walk most of the index, each note
 * a random read (measured: 140-210 ms for all of it, against 25-30 ms for
 * a scan in table order). So the walk reads at most WALK_BUDGET notes
 * (lemma_walk() counts them) before the first match, and as many again
 * after it; past that, few cards match, and the search falls back to
 * run_full(), which reads them in table order.
 */
#define WALK_FIRST	64		/* rows search_run() reads: a screen */
#define WALK_FAR	1024		/* further ahead than this: run_full() */
#define WALK_BUDGET	5000L		/* notes: about 5 ms */

struct walk_row {
	int64_t	 id;
	size_t	 text;			/* offset of the folded sort field */
};

static const char *walk_arena;

static int
cmp_walk(const void *av, const void *bv)
{
	const struct walk_row *a = av, *b = bv;
	int d = strcmp(walk_arena + a->text, walk_arena + b->text);

	if (d != 0)
		return d;
	return (a->id > b->id) - (a->id < b->id);
}

static void
ids_push(struct search_result *r, int64_t id)
{
	VEC_RESERVE(r->ids, r->cap, r->n + 1, 256);
	r->ids[r->n++] = id;
}

/* Append a group of rows with one key, in the result's order. */
static void
walk_flush(struct search_result *r, struct walk_row *g, size_t n,
    const char *arena)
{
	if (n > 1) {
		walk_arena = arena;
		qsort(g, n, sizeof *g, cmp_walk);
		walk_arena = NULL;
	}
	for (size_t i = 0; i < n; i++)
		ids_push(r, g[r->descending ? n - 1 - i : i].id);
}

/* Make ids hold at least want matches, or all of them. */
static int
walk_more(struct search_result *r, size_t want, struct err *e)
{
	struct db *db = r->db;
	struct walk_row *g = NULL;
	struct arena arena = { NULL, 0, 0 };
	size_t ng = 0, capg = 0;
	sqlite3_stmt *st = NULL;
	int64_t gkey = 0;
	long left = WALK_BUDGET;
	struct buf sql;
	int rc, have = 0;

	if (r->complete || r->n >= want)
		return 0;
	if (!r->walking || want - r->n > WALK_FAR)
		return run_full(r, e);
	/* The query's "?"s come first, so the bound is number nqparams + 1.
	 * Keys are never NULL (search_run() checked). */
	buf_init(&sql);
	buf_printf(&sql, "SELECT c.id, n.sort_key, coalesce(n.sort_text, "
	    "n.sort_field) FROM notes n "
	    "INDEXED BY notes_sort CROSS JOIN cards c ON c.note_id = n.id "
	    "WHERE (%s) AND lemma_walk(?%zu, n.sort_key) AND n.sort_key %s ?%zu "
	    "ORDER BY n.sort_key%s", r->where, r->nqparams + 2,
	    r->descending ? (r->walk_started ? "<" : "<=") :
	    (r->walk_started ? ">" : ">="), r->nqparams + 1,
	    r->descending ? " DESC" : "");
	rc = sqlite3_prepare_v2(db->sql, sql.data, -1, &st, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK) {
		/* No notes_sort (a bulk import between dropping and building
		 * it): the whole search still works. */
		sqlite3_finalize(st);
		r->walking = 0;
		return run_full(r, e);
	}
	if (bind_params(st, r) < 0 || sqlite3_bind_int64(st,
	    (int)r->nqparams + 1, r->walk_started ? r->walk_key :
	    r->descending ? INT64_MAX : INT64_MIN) != SQLITE_OK ||
	    sqlite3_bind_pointer(st, (int)r->nqparams + 2, &left, "lemma_walk",
	    NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return db_sql_err(db, e, "cannot search");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t key = sqlite3_column_int64(st, 1);
		const char *f;

		/* The first match: cards do match here, and its tie group
		 * must be read to the end whatever its size (fronts that all
		 * begin "Define a " share a key), so the budget starts again
		 * once. */
		if (!have)
			left += WALK_BUDGET;

		if (have && key != gkey) {
			walk_flush(r, g, ng, arena.data);
			ng = 0;
			arena.len = 0;
			r->walk_key = gkey;
			r->walk_started = 1;
			if (r->n >= want)
				break;
		}
		gkey = key;
		have = 1;
		VEC_RESERVE(g, capg, ng + 1, 64);
		g[ng].id = sqlite3_column_int64(st, 0);
		f = (const char *)sqlite3_column_text(st, 2);
		g[ng].text = fold_into(&arena, f != NULL ? f : "",
		    (size_t)sqlite3_column_bytes(st, 2));
		ng++;
	}
	if (rc == SQLITE_DONE) {
		walk_flush(r, g, ng, arena.data);
		r->complete = 1;
		r->counted = 1;
		r->count = r->n;
	}
	sqlite3_finalize(st);
	free(g);
	free(arena.data);
	if (left < 0) {
		/* The budget is spent: few cards match. What the walk found
		 * is redone in table order. */
		r->walking = 0;
		return run_full(r, e);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_sql_err(db, e, "cannot search");
	return 0;
}

/* Whether every note has its sort_key, so the walk sees every match. The
 * program writes one with every sort_field; a note written by other means
 * (an older lemma cannot: the schema version stops it) gets run_full(). */
static int
keys_complete(struct db *db)
{
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_prepare_v2(db->sql, "SELECT NOT EXISTS (SELECT 1 FROM notes "
	    "WHERE sort_key IS NULL)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		ok = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return ok;
}

struct search_result *
search_run(struct db *db, const struct search *s, enum search_sort sort,
    int descending, struct err *e)
{
	struct search_result *r;

	if ((unsigned)sort >= SEARCH_NSORTS)
		sort = SEARCH_SORT_FIELD;
	if (db_search_functions(db, e) < 0)
		return NULL;
	r = xcalloc(1, sizeof *r);
	r->db = db;
	r->now = search_now(s);
	r->today = search_today(s);
	r->params = params_load(db->sql);
	r->sort = sort;
	r->descending = descending != 0;
	r->where = xstrdup(search_sql(s));
	r->uses_notes = search_uses_notes(s);
	r->nqparams = search_param_count(s);
	r->qparams = xreallocarray(NULL, r->nqparams + 1, sizeof *r->qparams);
	for (size_t i = 0; i < r->nqparams; i++) {
		r->qparams[i] = *search_param_get(s, i);
		if (r->qparams[i].type == SEARCH_PARAM_TEXT)
			r->qparams[i].text = xstrdup(r->qparams[i].text);
	}
	r->row = db_prepare(db, "SELECT c.id, c.note_id, d.name, "
	    "coalesce(n.sort_text, n.sort_field), "
	    "n.tags, n.notetype, c.ord, c.state, c.due, c.scheduled_days, "
	    "c.position, c.difficulty, c.stability, c.reps, c.lapses, c.flag, "
	    "c.suspended, c.buried_until, c.created, c.last_review, c.deck_id "
	    "FROM cards c JOIN notes n ON n.id = c.note_id "
	    "JOIN decks d ON d.id = c.deck_id WHERE c.id = ?", e);
	if (r->row == NULL)
		goto fail;
	r->walking = sort == SEARCH_SORT_FIELD && keys_complete(db);
	if (walk_more(r, WALK_FIRST, e) < 0)
		goto fail;
	return r;
fail:
	search_result_free(r);
	return NULL;
}

static void
page_strings_free(struct search_result *r)
{
	for (size_t i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	r->nstrings = 0;
}

void
search_result_free(struct search_result *r)
{
	if (r == NULL)
		return;
	page_strings_free(r);
	free(r->strings);
	sqlite3_finalize(r->row);
	params_free(r->params);
	free(r->ids);
	free(r->where);
	for (size_t i = 0; i < r->nqparams; i++)
		if (r->qparams[i].type == SEARCH_PARAM_TEXT)
			free((char *)r->qparams[i].text);
	free(r->qparams);
	free(r);
}

/*
 * A count of its own, with SQLite's count(*): cheaper than the full sort,
 * and nothing for a search of every card. A search of the notes' text
 * reads the notes in table order first and their cards by index (measured
 * on a selective "deck: tag: word": 21 ms, against 55 ms from the cards).
 */
size_t
search_count(struct search_result *r)
{
	sqlite3_stmt *st;
	struct buf sql;
	int rc;

	if (r->counted)
		return r->count;
	buf_init(&sql);
	buf_printf(&sql, "SELECT count(*) FROM %s WHERE %s", r->uses_notes ?
	    "notes n CROSS JOIN cards c ON c.note_id = n.id" : "cards c",
	    r->where);
	rc = sqlite3_prepare_v2(r->db->sql, sql.data, -1, &st, NULL);
	buf_free(&sql);
	if (rc == SQLITE_OK && bind_params(st, r) == 0 &&
	    sqlite3_step(st) == SQLITE_ROW) {
		r->count = (size_t)sqlite3_column_int64(st, 0);
		r->counted = 1;
	}
	sqlite3_finalize(st);
	/* A count that fails (the file went away) is what is known. */
	return r->counted ? r->count : r->n;
}

int
search_is_partial(const struct search_result *r)
{
	return !r->complete;
}

int64_t
search_card_id(struct search_result *r, size_t i)
{
	if (i >= r->n && walk_more(r, i + 1, NULL) < 0)
		return 0;
	return i < r->n ? r->ids[i] : 0;
}

long
search_find(struct search_result *r, int64_t card_id)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < r->n; i++)
			if (r->ids[i] == card_id)
				return (long)i;
		if (r->complete || run_full(r, NULL) < 0)
			break;
	}
	return -1;
}

static const char *
page_string(struct search_result *r, sqlite3_stmt *st, int col)
{
	VEC_RESERVE(r->strings, r->capstrings, r->nstrings + 1, 64);
	return r->strings[r->nstrings++] = db_column_strdup(st, col);
}

int
search_page(struct search_result *r, size_t offset, size_t limit,
    struct search_row *rows, size_t *n, struct err *e)
{
	sqlite3_stmt *st = r->row;
	int rc;

	*n = 0;
	page_strings_free(r);
	if (walk_more(r, offset + limit, e) < 0)
		return -1;
	for (size_t i = offset; i < r->n && i - offset < limit; i++) {
		struct search_row *row = &rows[*n];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, r->ids[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			continue;	/* deleted since search_run() */
		if (rc != SQLITE_ROW) {
			db_sql_err(r->db, e, "cannot read a card");
			sqlite3_reset(st);
			return -1;
		}
		memset(row, 0, sizeof *row);
		row->card_id = sqlite3_column_int64(st, 0);
		row->note_id = sqlite3_column_int64(st, 1);
		row->deck = page_string(r, st, 2);
		row->sort_field = page_string(r, st, 3);
		row->tags = page_string(r, st, 4);
		row->notetype = sqlite3_column_int(st, 5);
		row->ord = sqlite3_column_int(st, 6);
		row->state = sqlite3_column_int(st, 7);
		row->due = (time_t)sqlite3_column_int64(st, 8);
		row->ivl_days = sqlite3_column_int(st, 9);
		row->position = sqlite3_column_int(st, 10);
		row->difficulty = sqlite3_column_double(st, 11);
		row->stability = sqlite3_column_double(st, 12);
		row->reps = sqlite3_column_int(st, 13);
		row->lapses = sqlite3_column_int(st, 14);
		row->flag = sqlite3_column_int(st, 15);
		row->is_suspended = sqlite3_column_int(st, 16) != 0;
		row->is_buried = sqlite3_column_int64(st, 17) > r->today;
		row->created = (time_t)sqlite3_column_int64(st, 18);
		row->last_review = (time_t)sqlite3_column_int64(st, 19);
		row->retrievability = row->state == 0 ? -1 : retrievability(
		    params_find(r->params, sqlite3_column_int64(st, 20)),
		    row->stability, row->last_review, r->now);
		(*n)++;
	}
	sqlite3_reset(st);
	return 0;
}
