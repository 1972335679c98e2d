/*
 * test_search.c - the query language (query -> SQL and values, or the
 * error and its column), matching and folding, and searches, paging,
 * sorting and bulk actions run on a small collection, including attempts
 * to inject SQL through the query and through card text.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../test-note.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/base/text.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/notedoc.h"
#include "lemma/model/notetype.h"
#include "lemma/query/cardops.h"
#include "lemma/query/search.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/store/db.h"
#include "schema-undo.h"

/* 2025-01-01T09:00:00Z, as LEMMA_NOW in the test environment; with TZ=UTC
 * and rollover 4 today is study day 20089, which began at 1735704000. */
#define NOW	((time_t)1735722000)
#define TODAY0	((time_t)1735704000)
#define DAY	86400
#define ROLL	4

static char tmpdir[256];
static char dbpath[300];

/* The values of s as "'text', 5, 7.3". */
static void
params_text(const struct search *s, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < search_param_count(s); i++) {
		const struct search_param *p = search_param_get(s, i);
		const char *sep = i > 0 ? ", " : "";

		if (p->type == SEARCH_PARAM_INT)
			used += (size_t)snprintf(out + used, len - used, "%s%lld",
			    sep, (long long)p->i);
		else if (p->type == SEARCH_PARAM_REAL)
			used += (size_t)snprintf(out + used, len - used, "%s%g", sep,
			    p->r);
		else
			used += (size_t)snprintf(out + used, len - used, "%s'%s'",
			    sep, p->text);
		assert_true(used < len);
	}
}

#define TEXT	"lemma_text(n.fields, ?)"
#define NOTE	"n.notetype IN (SELECT id FROM notetypes WHERE lemma_glob(name, ?))"
#define CARDNAME	"EXISTS (SELECT 1 FROM nt_templates t JOIN notetypes k " \
	"ON k.id = t.notetype WHERE t.notetype = n.notetype AND " \
	"(t.ord = c.ord OR k.kind = 1) AND lemma_glob(t.name, ?))"
#define FIELDS_OF(fn) fn "(n.notetype, (SELECT group_concat(notetype || " \
	"char(58) || ord) FROM nt_fields WHERE lemma_glob(name, ?)), n.fields, ?)"
#define FIELD	FIELDS_OF("lemma_field")
#define DECK	"c.deck_id IN (SELECT dk.id FROM decks dk WHERE " \
		"lemma_glob(dk.name, ?) OR lemma_glob(dk.name, ?))"
#define TAG	"lemma_tag(n.tags, ?, ?)"
#define RATED	"c.id IN (SELECT r.card_id FROM revlog r WHERE r.id >= ? "
#define DUEQ	"(c.state != 0 AND c.suspended = 0 AND c.buried_until <= ? AND "
#define INTRO	"(c.id IN (SELECT r.card_id FROM revlog r WHERE r.id >= ? AND " \
		"r.kind != 4) AND NOT EXISTS (SELECT 1 FROM revlog r WHERE " \
		"r.card_id = c.id AND r.id < ? AND r.kind != 4))"

static const struct parse_case {
	const char	*query;
	const char	*sql;
	const char	*params;
} parse_cases[] = {
	/* words, phrases, case folding */
	{ "",			"1",	"" },
	{ "   ",		"1",	"" },
	{ "dog",		TEXT,	"'dog'" },
	{ "DOG",		TEXT,	"'dog'" },
	{ "dog cat",		TEXT " AND " TEXT,	"'dog', 'cat'" },
	{ "\"a dog\"",		TEXT,	"'a dog'" },
	/* A quote ends a bare word, as in Anki: a"b c" is a and "b c". */
	{ "a\"b c\"",		TEXT " AND " TEXT,	"'a', 'b c'" },
	{ "ÉTÉ",		TEXT,	"'été'" },
	{ "ΣΟΦΟΣ",		TEXT,	"'σοφοσ'" },
	{ "Straße",		TEXT,	"'straße'" },
	/* wildcards and escapes */
	{ "d_g",		TEXT,	"'d_g'" },
	{ "d*g",		TEXT,	"'d*g'" },
	{ "d\\_g",		TEXT,	"'d\\_g'" },
	{ "d\\*g",		TEXT,	"'d\\*g'" },
	{ "a\\\\b",		TEXT,	"'a\\\\b'" },
	{ "\\\"q\\\"",		TEXT,	"'\"q\"'" },
	{ "12\\:30",		TEXT,	"'12:30'" },
	{ "\\(x\\)",		TEXT,	"'(x)'" },
	{ "\\-x",		TEXT,	"'-x'" },
	/* operators and grouping */
	{ "dog or cat",		TEXT " OR " TEXT,	"'dog', 'cat'" },
	{ "dog OR cat",		TEXT " OR " TEXT,	"'dog', 'cat'" },
	{ "\"or\"",		TEXT,	"'or'" },
	{ "dog and cat",	TEXT " AND " TEXT,	"'dog', 'cat'" },
	{ "a b or c",		"(" TEXT " AND " TEXT ") OR " TEXT,
	    "'a', 'b', 'c'" },
	{ "a (b or c)",		TEXT " AND (" TEXT " OR " TEXT ")",
	    "'a', 'b', 'c'" },
	{ "-cat",		"NOT (" TEXT ")",	"'cat'" },
	{ "-\"a dog\"",		"NOT (" TEXT ")",	"'a dog'" },
	{ "-(a or b)",		"NOT (" TEXT " OR " TEXT ")",	"'a', 'b'" },
	/* After a "-", a "-" is part of the word (Anki: --a excludes -a). */
	{ "--a",		"NOT (" TEXT ")",	"'-a'" },
	{ "-",			TEXT,	"'-'" },
	{ "dog -",		TEXT " AND " TEXT,	"'dog', '-'" },
	{ "(((a)))",		TEXT,	"'a'" },
	{ "dog(cat)",		TEXT " AND " TEXT,	"'dog', 'cat'" },
	/* decks */
	{ "deck:French",	DECK,	"'french', 'french::*'" },
	{ "deck:\"French Verbs\"", DECK, "'french verbs', 'french verbs::*'" },
	{ "\"deck:French Verbs\"", DECK, "'french verbs', 'french verbs::*'" },
	{ "deck:fr*",		DECK,	"'fr*', 'fr*::*'" },
	{ "DECK:a::b",		DECK,	"'a::b', 'a::b::*'" },
	{ "-deck:a::*",		"NOT (" DECK ")",	"'a::*', 'a::*::*'" },
	/* tags */
	{ "tag:x",		TAG,	"'x', 'x::*'" },
	{ "tag:X::y",		TAG,	"'x::y', 'x::y::*'" },
	{ "tag:none",		"length(trim(n.tags)) = 0",	"" },
	{ "tag:\"none\"",	TAG,	"'none', 'none::*'" },
	/* fields: the field's name, then the text (the progress file says
	 * which types have such a field, and where) */
	{ "front:dog",		FIELD,	"'front', 'dog'" },
	{ "Front:",		FIELD,	"'front', ''" },
	{ "front:_*",		FIELD,	"'front', '_*'" },
	{ "back:*x*",		FIELD,	"'back', '*x*'" },
	{ "text:x",		FIELD,	"'text', 'x'" },
	{ "\"back extra:x\"",	FIELD,	"'back extra', 'x'" },
	{ "b*:x",		FIELD,	"'b*', 'x'" },
	{ "\"add reverse:y\"",	FIELD,	"'add reverse', 'y'" },
	{ "Meaning:*house*",	FIELD,	"'meaning', '*house*'" },
	{ "\"Example sentence:foo\"",	FIELD,	"'example sentence', 'foo'" },
	/* states and flags */
	{ "is:new",		"c.state = 0",	"" },
	{ "IS:NEW",		"c.state = 0",	"" },
	{ "is:learn",		"c.state IN (1, 3)",	"" },
	{ "is:review",		"c.state IN (2, 3)",	"" },
	{ "is:due",		"(c.suspended = 0 AND c.empty = 0 AND "
	    "c.buried_until <= ? AND "
	    "((c.state IN (1, 3) AND c.due <= ?) OR (c.state = 2 AND c.due < ?)))",
	    "20089, 1735722000, 1735790400" },
	{ "is:empty",		"c.empty != 0",	"" },
	{ "is:suspended",	"c.suspended != 0",	"" },
	{ "is:buried",		"c.buried_until > ?",	"20089" },
	{ "flag:0",		"c.flag = ?",	"0" },
	{ "flag:7",		"c.flag = ?",	"7" },
	/* properties */
	{ "prop:ivl>10",	"c.scheduled_days > ?",	"10" },
	{ "prop:ivl>=10",	"c.scheduled_days >= ?",	"10" },
	/* prop:due: queued cards only (not suspended, not buried), as Anki */
	{ "prop:due<3",		DUEQ "c.due < ?)",	"20089, 1735963200" },
	{ "prop:due=1",		DUEQ "c.due >= ? AND c.due < ?)",
	    "20089, 1735790400, 1735876800" },
	{ "prop:due=-1",	DUEQ "c.due >= ? AND c.due < ?)",
	    "20089, 1735617600, 1735704000" },
	{ "prop:due!=0",	DUEQ "(c.due < ? OR c.due >= ?))",
	    "20089, 1735704000, 1735790400" },
	{ "prop:due<=0",	DUEQ "c.due < ?)",	"20089, 1735790400" },
	{ "prop:due>0",		DUEQ "c.due >= ?)",	"20089, 1735790400" },
	{ "prop:due>=2",	DUEQ "c.due >= ?)",	"20089, 1735876800" },
	{ "prop:lapses>=2",	"c.lapses >= ?",	"2" },
	{ "prop:reps!=0",	"c.reps != ?",	"0" },
	{ "prop:pos<=100",	"(c.state = 0 AND c.position <= ?)",	"100" },
	{ "prop:d>0.7",		"(c.state != 0 AND c.difficulty > ?)",	"7.3" },
	{ "prop:s<5",		"(c.state != 0 AND c.stability < ?)",	"5" },
	{ "prop:r<0.8",		"(c.state != 0 AND lemma_r(c.deck_id, c.stability, "
	    "c.last_review, ?) < ?)",	"1735722000, 0.8" },
	{ "-prop:r>=.5",	"NOT (c.state != 0 AND lemma_r(c.deck_id, "
	    "c.stability, c.last_review, ?) >= ?)",	"1735722000, 0.5" },
	/* history */
	{ "rated:1",		RATED "AND r.rating BETWEEN 1 AND 4)",
	    "1735704000000" },
	{ "rated:7:1",		RATED "AND r.rating = ?)",	"1735185600000, 1" },
	{ "added:1",		"c.created >= ?",	"1735704000" },
	{ "added:30",		"c.created >= ?",	"1733198400" },
	{ "edited:2",		"n.modified >= ?",	"1735617600" },
	{ "introduced:1",	INTRO,	"1735704000000, 1735704000000" },
	/* ids, card and note types */
	{ "nid:5",		"n.id IN (?)",	"5" },
	{ "cid:1,2,3",		"c.id IN (?, ?, ?)",	"1, 2, 3" },
	{ "card:2",		"c.ord = ?",	"1" },
	{ "card:0",		"c.ord = ?",	"0" },
	{ "rated:0",		RATED "AND r.rating BETWEEN 1 AND 4)",
	    "1735704000000" },
	{ "note:foo",		NOTE,	"'foo'" },
	{ "re:x",		"lemma_regex(n.fields, ?)",	"'(?i)x'" },
	/* A field no note type has matches nothing, as in Anki: the
	 * progress file says so when the search runs. */
	{ "dek:x",		FIELD,	"'dek', 'x'" },
	{ "back extra:x",	TEXT " AND " FIELD,	"'back', 'extra', 'x'" },
	{ "http://x",		FIELD,	"'http', '//x'" },
	{ "'; DROP TABLE cards; --",	TEXT " AND " TEXT " AND " TEXT " AND "
	    TEXT " AND NOT (" TEXT ")",
	    "'';', 'drop', 'table', 'cards;', '-'" },
	{ "card:card*",		CARDNAME,	"'card*'" },
	{ "note:basic*",	NOTE,	"'basic*'" },
	{ "note:\"basic (and reversed card)\"", NOTE,
	    "'basic (and reversed card)'" },
	/* SQL in the query only ever becomes a value */
	{ "\"'; DROP TABLE cards; --\"",	TEXT,
	    "''; drop table cards; --'" },
	{ "\"\\\"; DROP TABLE notes; --\"",	TEXT,
	    "'\"; drop table notes; --'" },
	{ "front:\"x') OR 1=1 --\"",	FIELD,	"'front', 'x') or 1=1 --'" },
	{ "deck:\"x')) OR 1=1; --\"",	DECK,
	    "'x')) or 1=1; --', 'x')) or 1=1; --::*'" },
	{ "tag:x'||'y",		TAG,	"'x'||'y', 'x'||'y::*'" },
	{ "prop:ivl>1 OR 1=1--",	"c.scheduled_days > ? OR " TEXT,
	    "1, '1=1--'" },
	{ "\"Robert'); DROP TABLE notes;--\"",	TEXT,
	    "'robert'); drop table notes;--'" },
};

static void
test_parse(void **state)
{
	char params[1024];
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];
		struct search *s = search_compile(c->query, NOW, ROLL, &e);

		if (s == NULL)
			fail_msg("%s: unexpected error at %u: %s", c->query, e.col,
			    e.msg);
		if (strcmp(search_sql(s), c->sql) != 0)
			fail_msg("%s:\n got  %s\n want %s", c->query, search_sql(s),
			    c->sql);
		params_text(s, params, sizeof params);
		if (strcmp(params, c->params) != 0)
			fail_msg("%s: values\n got  %s\n want %s", c->query, params,
			    c->params);
		/* The clause never holds a quote, a semicolon or a comment:
		 * nothing from the query is spliced into it. */
		assert_null(strpbrk(search_sql(s), "'\";"));
		assert_null(strstr(search_sql(s), "--"));
		search_free(s);
	}
}

static const struct error_case {
	const char	*query;
	unsigned	 col;
	const char	*msg;		/* a part of the message */
} error_cases[] = {
	{ "(",			1,	"never closed" },
	{ "(dog",		1,	"never closed" },
	{ "dog (cat (x)",	5,	"never closed" },
	{ ")",			1,	"without its '('" },
	{ "dog)",		4,	"without its '('" },
	{ "()",			1,	"empty parentheses" },
	{ "dog or",		5,	"'or' needs a search after it" },
	{ "or dog",		1,	"'or' needs a search before it" },
	{ "dog or or cat",	5,	"'or' needs a search after it" },
	{ "dog and",		5,	"'and' needs a search after it" },
	{ "(dog or)",		6,	"'or' needs a search after it" },
	{ "-(dog) -or",		8,	"nothing to exclude" },
	{ "\"dog",		1,	"never closed" },
	{ "a \"b\" \"c",	7,	"never closed" },
	{ "x\\q",		2,	"unknown escape '\\q'" },
	{ "x\\",		2,	"escapes nothing" },
	{ "\"\"",		1,	"empty search term" },
	{ ":x",			1,	"must come before ':'" },
	{ "deck:",		6,	"deck: needs a deck name" },
	{ "tag:",		5,	"tag: needs a tag" },
	{ "is:foo",		4,	"is: takes new, learn" },
	{ "is:",		4,	"is: takes new, learn" },
	{ "flag:8",		6,	"from 0 to 7" },
	{ "flag:x",		6,	"from 0 to 7" },
	{ "flag:-1",		6,	"from 0 to 7" },
	{ "prop:foo>1",		6,	"prop: takes ivl" },
	{ "prop:ivl",		9,	"needs an operator" },
	{ "prop:ivl~3",		9,	"needs an operator" },
	{ "prop:ivl>",		10,	"whole number" },
	{ "prop:ivl>1.5",	10,	"whole number" },
	{ "prop:r<x",		8,	"needs a number" },
	{ "prop:r<nan",		8,	"needs a number" },
	{ "prop:due>99999999",	10,	"prop:due takes days" },
	{ "rated:x:1",		7,	"from 0 to 36500" },
	{ "rated:1:5",		9,	"grade from 1 (Again) to 4 (Easy)" },
	{ "rated:1:",		9,	"grade from 1" },
	{ "added:",		7,	"from 0 to 36500" },
	{ "introduced:-3",	12,	"from 0 to 36500" },
	{ "nid:1,,2",		7,	"ids separated by commas" },
	{ "cid:abc",		5,	"ids separated by commas" },
	/* Columns count characters, not bytes. */
	{ "été )",		5,	"without its '('" },
	{ "ÉTÉ \"x",		5,	"never closed" },
	/* SQL in odd places is still only a wrong query. */
	{ "is:\"new' OR 1=1\"",	5,	"is: takes" },
	{ "flag:1;DROP",	6,	"from 0 to 7" },
	{ "Robert');DROP",	8,	"without its '('" },
	/* A quote ends the term, as in Anki: ":x" has no key. */
	{ "\"'; DROP TABLE cards; --\":x", 26,	"must come before ':'" },
};

static void
test_parse_errors(void **state)
{
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		const struct error_case *c = &error_cases[i];
		struct search *s;

		memset(&e, 0, sizeof e);
		s = search_compile(c->query, NOW, ROLL, &e);
		if (s != NULL)
			fail_msg("%s: compiled to %s", c->query, search_sql(s));
		if (e.col != c->col || strstr(e.msg, c->msg) == NULL)
			fail_msg("%s: got column %u \"%s\", want %u \"%s\"", c->query,
			    e.col, e.msg, c->col, c->msg);
	}
}

/* Every query above is one of the "at least 60". */
static void
test_case_count(void **state)
{
	(void)state;
	assert_true(sizeof parse_cases / sizeof parse_cases[0] +
	    sizeof error_cases / sizeof error_cases[0] >= 60);
}

static void
test_fold(void **state)
{
	static const struct { uint32_t in, want; } cases[] = {
		{ 'A', 'a' }, { 'z', 'z' }, { '@', '@' }, { 0xC9, 0xE9 },
		{ 0xE9, 0xE9 }, { 0x100, 0x101 }, { 0x101, 0x101 },
		{ 0x3A3, 0x3C3 }, { 0x3C2, 0x3C3 },	/* Σ and final ς */
		{ 0x410, 0x430 },			/* Cyrillic А */
		{ 0x1E9E, 0xDF },			/* ẞ */
		{ 0x212A, 'k' },			/* Kelvin sign */
		{ 0xFF21, 0xFF41 },			/* fullwidth A */
		{ 0x10400, 0x10428 },			/* Deseret */
		{ 0x4E00, 0x4E00 }, { 0x1F600, 0x1F600 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(text_fold(cases[i].in), cases[i].want);
}

static void
test_glob(void **state)
{
	static const struct {
		const char	*pat, *text;
		int		 anywhere, want;
	} cases[] = {
		{ "dog",	"the dog barks",	1,	1 },
		{ "dog",	"the DOG barks",	1,	1 },
		{ "dog",	"the dg",		1,	0 },
		{ "dog",	"dog",			0,	1 },
		{ "dog",	"dogs",			0,	0 },
		{ "dog*",	"dogs",			0,	1 },
		{ "*dog*",	"hotdogs",		0,	1 },
		{ "d_g",	"dig",			0,	1 },
		{ "d_g",	"dg",			0,	0 },
		{ "d_g",	"dée",			0,	0 },
		{ "d_g",	"dég",			0,	1 },	/* one char, two bytes */
		{ "d*g",	"a drag",		1,	1 },
		{ "d\\*g",	"d*g",			0,	1 },
		{ "d\\*g",	"dog",			0,	0 },
		{ "d\\_g",	"d_g",			0,	1 },
		{ "d\\_g",	"dog",			0,	0 },
		{ "a\\\\b",	"a\\b",			0,	1 },
		{ "été",	"L'ÉTÉ",		1,	1 },
		{ "σοφοσ",	"ΣΟΦΟΣ",		1,	1 },
		{ "σοφοσ",	"σοφος",		1,	1 },	/* final ς */
		{ "straße",	"STRASSE",		1,	0 },
		{ "",		"",			0,	1 },
		{ "",		"x",			0,	0 },
		{ "_*",		"",			0,	0 },
		{ "_*",		"x",			0,	1 },
		{ "*",		"",			0,	1 },
		{ "a*b*c",	"axxbyyc",		0,	1 },
		{ "a*b*c",	"axxbyy",		0,	0 },
		{ "*aab",	"aaaab",		0,	1 },
		{ "x",		"\xff\xfe",		1,	0 },	/* bad UTF-8 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (search_glob(cases[i].pat, cases[i].text, strlen(cases[i].text),
		    cases[i].anywhere) != cases[i].want)
			fail_msg("glob %s on %s: want %d", cases[i].pat,
			    cases[i].text, cases[i].want);
}

/* ---- a small collection ------------------------------------------------ */

static void
sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* A new progress file in a new directory (tmpdir, dbpath), open. */
static struct db *
new_progress_file(void)
{
	struct err e;
	struct db *db;

	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-search-XXXXXX",
	    paths_tmpdir());
	assert_non_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", tmpdir);
	db = db_open(dbpath, DB_CREATE, &e);
	assert_non_null(db);
	return db;
}

/* Notes 1-6 with cards 101-107; see the cases below for what each is. */
static void
make_collection(void)
{
	sqlite3 *sql;
	char *s;

	db_close(new_progress_file());

	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	sql_exec(sql, "INSERT INTO decks (id, name, created) VALUES "
	    "(1, 'French', 0), (2, 'French::Verbs', 0), (3, 'German', 0), "
	    "(4, 'Frenchy', 0), (5, 'Drop''; --', 0)");
	sql_exec(sql, "INSERT INTO notes (id, guid, notetype, deck_id, fields, "
	    "sort_field, tags, created, modified) VALUES "
	    "(1, 'g1', 0, 1, 'chat' || char(31) || 'cat', 'chat', "
	    "' animal french::noun ', 0, 0), "
	    "(2, 'g2', 0, 2, 'manger' || char(31) || 'to eat', 'manger', "
	    "' verb ', 0, 0), "
	    "(3, 'g3', 1, 3, 'Straße' || char(31) || 'street', 'Straße', '', 0, 0), "
	    "(4, 'g4', 2, 4, 'L''été est {{c1::chaud}}' || char(31) || 'summer', "
	    "'L''été est {{c1::chaud}}', ' weather ', 0, 0), "
	    "(5, 'g5', 0, 3, 'ÉCOLE' || char(31) || 'school', 'ÉCOLE', "
	    "' school ', 0, 0), "
	    "(6, 'g6', 0, 5, '''; DROP TABLE cards; --' || char(31) || "
	    "'\" OR 1=1 --', '''; DROP TABLE cards; --', ' x''y ', 0, 0)");
	s = sqlite3_mprintf("INSERT INTO cards (id, note_id, ord, deck_id, state, "
	    "due, position, stability, difficulty, last_review, scheduled_days, "
	    "reps, lapses, suspended, buried_until, flag, created, modified) VALUES "
	    "(101, 1, 0, 1, 2, %lld, 0, 10, 5, %lld, 7, 5, 2, 0, 0, 1, %lld, 0), "
	    "(102, 2, 0, 2, 0, 0, 1, 0, 0, NULL, 0, 0, 0, 0, 0, 0, %lld, 0), "
	    "(103, 3, 0, 3, 1, %lld, 0, 0.5, 6, %lld, 0, 1, 0, 0, 0, 0, %lld, 0), "
	    "(104, 3, 1, 3, 0, 0, 2, 0, 0, NULL, 0, 0, 0, 1, 0, 0, %lld, 0), "
	    "(105, 4, 0, 4, 2, %lld, 0, 2, 8, %lld, 3, 3, 0, 0, 20090, 0, %lld, 0), "
	    "(106, 5, 0, 3, 3, %lld, 0, 1, 9, %lld, 0, 9, 4, 0, 0, 3, %lld, 0), "
	    "(107, 6, 0, 5, 0, 0, 3, 0, 0, NULL, 0, 0, 0, 0, 0, 0, %lld, 0)",
	    (long long)(TODAY0 + 2 * DAY + 3600), (long long)(NOW - 5 * DAY),
	    (long long)(NOW - 100 * DAY),
	    (long long)(NOW - 50 * DAY),
	    (long long)(NOW - 60), (long long)(NOW - 600),
	    (long long)(NOW - 50 * DAY),
	    (long long)(NOW - 50 * DAY),
	    (long long)(TODAY0 - DAY + 3600), (long long)(NOW - 10 * DAY),
	    (long long)(NOW - 50 * DAY),
	    (long long)(NOW + 600), (long long)(NOW - 2 * DAY),
	    (long long)(NOW - 50 * DAY),
	    (long long)(NOW - 3600));
	sql_exec(sql, s);
	sqlite3_free(s);
	s = sqlite3_mprintf("INSERT INTO revlog (id, card_id, rating, kind, state) "
	    "VALUES (%lld, 101, 3, 0, 1), (%lld, 101, 3, 1, 2), "
	    "(%lld, 103, 3, 0, 1), (%lld, 106, 3, 0, 1), (%lld, 106, 1, 1, 3)",
	    (long long)(NOW - 30 * DAY) * 1000, (long long)(NOW - 5 * DAY) * 1000,
	    (long long)(NOW - 600) * 1000, (long long)(NOW - 40 * DAY) * 1000,
	    (long long)(NOW - 2 * DAY) * 1000);
	sql_exec(sql, s);
	sqlite3_free(s);
	sqlite3_close(sql);
}

static int
setup(void **state)
{
	(void)state;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	if (tmpdir[0] == '\0')
		return 0;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	tmpdir[0] = '\0';
	return system(cmd) == 0 ? 0 : -1;
}

/* The ids the query finds, in sort order, as "101 105". */
static void
run_ids(struct db *db, const char *query, enum search_sort sort, int desc,
    char *out, size_t len)
{
	struct search_result *r;
	struct search *s;
	struct err e;
	size_t used = 0;

	s = search_compile(query, NOW, ROLL, &e);
	if (s == NULL)
		fail_msg("%s: %s", query, e.msg);
	r = search_run(db, s, sort, desc, &e);
	if (r == NULL)
		fail_msg("%s: %s", query, e.msg);
	out[0] = '\0';
	for (size_t i = 0; i < search_count(r); i++)
		used += (size_t)snprintf(out + used, len - used, "%s%lld",
		    i > 0 ? " " : "", (long long)search_card_id(r, i));
	search_result_free(r);
	search_free(s);
}

/* Tables and their SQL, to show that no search changed the schema. */
static char *
schema_of(void)
{
	sqlite3 *sql;
	sqlite3_stmt *st;
	struct buf b;

	assert_int_equal(sqlite3_open_v2(dbpath, &sql, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sql, "SELECT name, sql FROM "
	    "sqlite_schema ORDER BY name", -1, &st, NULL), SQLITE_OK);
	buf_init(&b);
	while (sqlite3_step(st) == SQLITE_ROW)
		buf_printf(&b, "%s:%s\n", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(sql, "SELECT (SELECT count(*) FROM "
	    "cards), (SELECT count(*) FROM notes), (SELECT count(*) FROM decks)",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	buf_printf(&b, "%d %d %d\n", sqlite3_column_int(st, 0),
	    sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
	sqlite3_finalize(st);
	sqlite3_close(sql);
	return buf_steal(&b);
}

static const struct run_case {
	const char	*query;
	const char	*ids;		/* by card id */
} run_cases[] = {
	{ "",			"101 102 103 104 105 106 107" },
	{ "chat",		"101" },
	{ "CHAT",		"101" },
	{ "été",		"105" },
	{ "ÉTÉ",		"105" },
	{ "école",		"106" },
	{ "straße",		"103 104" },
	{ "STRAẞE",		"103 104" },
	{ "STRASSE",		"" },
	{ "c_t",		"101" },
	{ "c*d",		"105 107" },	/* chaud, cards */
	{ "\"to eat\"",		"102" },
	{ "t\\*",		"" },
	{ "deck:French",	"101 102" },
	{ "deck:french*",	"101 102 105" },
	{ "deck:French::Verbs",	"102" },
	{ "deck:*::verbs",	"102" },
	{ "-deck:French",	"103 104 105 106 107" },
	{ "tag:french",		"101" },
	{ "tag:FRENCH::noun",	"101" },
	{ "tag:noun",		"" },
	{ "tag:none",		"103 104" },
	{ "tag:*e*",		"101 102 105" },
	{ "is:new",		"102 104 107" },
	{ "is:learn",		"103 106" },
	{ "is:review",		"101 105 106" },
	{ "is:due",		"103" },
	{ "is:suspended",	"104" },
	{ "is:buried",		"105" },
	{ "flag:3",		"106" },
	{ "flag:0",		"102 103 104 105 107" },
	{ "prop:ivl>5",		"101" },
	{ "prop:due=2",		"101" },
	{ "prop:due<0",		"" },	/* 105 is buried */
	{ "prop:due=0",		"103 106" },
	{ "prop:lapses>=2",	"101 106" },
	{ "prop:pos>=2",	"104 107" },
	{ "prop:d>0.7",		"105 106" },
	{ "prop:s<5",		"103 105 106" },
	{ "prop:r<0.8",		"105" },
	{ "prop:r>0.9",		"101 103" },
	{ "rated:1",		"103" },
	{ "rated:3",		"103 106" },
	{ "rated:3:1",		"106" },
	{ "added:1",		"107" },
	{ "introduced:1",	"103" },
	{ "introduced:35",	"101 103" },
	{ "front:chat",		"101" },
	{ "front:cha",		"" },
	{ "front:cha*",		"101" },
	{ "back:to*",		"102" },
	{ "text:*chaud*",	"105" },
	{ "\"back extra:summer\"",	"105" },
	{ "front:_*",		"101 102 103 104 106 107" },
	{ "nid:1",		"101" },
	{ "cid:102,103",	"102 103" },
	{ "card:2",		"104" },
	{ "card:\"card 2\"",	"104" },
	{ "card:cloze",		"105" },
	{ "note:cloze",		"105" },
	{ "note:cl*",		"105" },
	{ "note:vocab",		"" },
	{ "note:basic*",	"101 102 103 104 106 107" },
	{ "(chat or manger) -tag:verb",	"101" },
	{ "chat or manger tag:verb",	"101 102" },
	{ "-(chat or manger)",	"103 104 105 106 107" },
	/* Card text that looks like SQL is only text. */
	{ "\"'; DROP TABLE cards; --\"",	"107" },
	{ "\"\\\" OR 1=1 --\"",	"107" },
	{ "drop",		"107" },
	{ "deck:\"Drop'; --\"",	"107" },
	{ "tag:x'y",		"107" },
	{ "\"'\"",		"105 107" },
	{ "\"x') OR 1=1 --\"",	"" },
	{ "front:\"' OR '1'='1\"",	"" },
	{ "deck:\"') OR 1=1 --\"",	"" },
	{ "tag:\"' OR ''='\"",	"" },
};

/*
 * A word search looks for its first character with memchr (ASCII) or
 * skips ASCII eight bytes at a time (other first characters): on random
 * text of letters in both cases, é É, ſ, the Kelvin sign and separators,
 * matching anywhere must equal matching "*" + pattern from the start,
 * which takes the plain character-by-character path.
 */
static void
test_glob_scan(void **state)
{
	static const char *const alphabet[] = { "a", "A", "e", "E", "r", "R",
	    "s", "S", "k", "K", "x", " ", "\xc3\xa9", "\xc3\x89",
	    "\xc5\xbf", "\xe2\x84\xaa", "t", "1" };
	static const char *const pat_alphabet[] = { "a", "e", "r", "s", "k",
	    "x", " ", "\xc3\xa9", "t", "_", "*" };
	const size_t na = sizeof alphabet / sizeof alphabet[0];
	const size_t np = sizeof pat_alphabet / sizeof pat_alphabet[0];
	uint32_t seed = 12345;
	char text[512], pat[64], star[80];
	long matched = 0;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t tl = 0, pl = 0, nt, npat;

		seed = seed * 1103515245u + 12345u;
		nt = (seed >> 16) % 60;
		for (size_t i = 0; i < nt; i++) {
			const char *c;

			seed = seed * 1103515245u + 12345u;
			c = alphabet[(seed >> 16) % na];
			memcpy(text + tl, c, strlen(c));
			tl += strlen(c);
		}
		seed = seed * 1103515245u + 12345u;
		npat = 1 + (seed >> 16) % 4;
		for (size_t i = 0; i < npat; i++) {
			const char *c;

			seed = seed * 1103515245u + 12345u;
			/* The first character is never a wildcard: that is the
			 * path under test. */
			c = pat_alphabet[(seed >> 16) % (i == 0 ? np - 2 : np)];
			memcpy(pat + pl, c, strlen(c));
			pl += strlen(c);
		}
		pat[pl] = '\0';
		snprintf(star, sizeof star, "*%s", pat);
		{
			int a = search_glob(pat, text, tl, 1);
			int b = search_glob(star, text, tl, 1);

			if (a != b)
				fail_msg("pattern \"%s\" on \"%.*s\": %d, the "
				    "plain path says %d", pat, (int)tl, text, a, b);
			matched += a;
		}
	}
	/* The texts are such that both outcomes are common. */
	assert_true(matched > 2000 && matched < 18000);
}

static void
test_run(void **state)
{
	char got[256], *before, *after;
	struct err e;
	struct db *db;

	(void)state;
	make_collection();
	db = db_open(dbpath, 0, &e);
	assert_non_null(db);
	before = schema_of();
	for (size_t i = 0; i < sizeof run_cases / sizeof run_cases[0]; i++) {
		/* Cards were created in id order. */
		run_ids(db, run_cases[i].query, SEARCH_SORT_CREATED, 0, got,
		    sizeof got);
		if (strcmp(got, run_cases[i].ids) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"",
			    run_cases[i].query, got, run_cases[i].ids);
	}
	after = schema_of();
	assert_string_equal(before, after);
	free(before);
	free(after);
	db_close(db);
	teardown(NULL);
}

static void
test_sort_and_page(void **state)
{
	static const struct {
		enum search_sort	 sort;
		int			 desc;
		const char		*ids;
	} cases[] = {
		{ SEARCH_SORT_FIELD,	0, "107 101 105 102 103 104 106" },
		{ SEARCH_SORT_FIELD,	1, "106 104 103 102 105 101 107" },
		{ SEARCH_SORT_DECK,	0, "107 101 102 105 103 104 106" },
		{ SEARCH_SORT_DUE,	0, "105 103 106 101 102 104 107" },
		{ SEARCH_SORT_DUE,	1, "101 106 103 105 107 104 102" },
		{ SEARCH_SORT_INTERVAL,	0, "102 103 104 106 107 105 101" },
		{ SEARCH_SORT_DIFFICULTY, 0, "101 103 105 106 102 104 107" },
		{ SEARCH_SORT_STABILITY, 1, "101 105 106 103 107 104 102" },
		{ SEARCH_SORT_RETRIEVABILITY, 0, "105 106 101 103 102 104 107" },
		{ SEARCH_SORT_REPS,	1, "106 101 105 103 107 104 102" },
		{ SEARCH_SORT_LAPSES,	0, "102 103 104 105 107 101 106" },
		{ SEARCH_SORT_CREATED,	0, "101 102 103 104 105 106 107" },
	};
	struct search_row rows[3];
	struct search_result *r;
	struct search *s;
	char got[256];
	struct err e;
	struct db *db;
	enum search_sort sort;
	size_t n;

	(void)state;
	make_collection();
	db = db_open(dbpath, 0, &e);
	assert_non_null(db);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_ids(db, "", cases[i].sort, cases[i].desc, got, sizeof got);
		if (strcmp(got, cases[i].ids) != 0)
			fail_msg("sort %s%s: got %s, want %s",
			    search_sort_name(cases[i].sort),
			    cases[i].desc ? " desc" : "", got, cases[i].ids);
	}
	assert_int_equal(search_sort_parse("retrievability", &sort), 0);
	assert_int_equal(sort, SEARCH_SORT_RETRIEVABILITY);
	assert_int_equal(search_sort_parse("nope", &sort), -1);

	/* Pages: the second page of three by due, and the short last one. */
	s = search_compile("", NOW, ROLL, &e);
	r = search_run(db, s, SEARCH_SORT_DUE, 0, &e);
	assert_non_null(r);
	assert_int_equal(search_count(r), 7);
	assert_int_equal(search_find(r, 101), 3);
	assert_int_equal(search_find(r, 999), -1);
	assert_int_equal(search_page(r, 3, 3, rows, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].card_id, 101);
	assert_int_equal(rows[0].note_id, 1);
	assert_string_equal(rows[0].deck, "French");
	assert_string_equal(rows[0].sort_field, "chat");
	assert_string_equal(rows[0].tags, " animal french::noun ");
	assert_int_equal(rows[0].state, 2);
	assert_int_equal(rows[0].ivl_days, 7);
	assert_int_equal(rows[0].reps, 5);
	assert_int_equal(rows[0].lapses, 2);
	assert_int_equal(rows[0].flag, 1);
	assert_true(rows[0].retrievability > 0.9 && rows[0].retrievability < 1);
	assert_int_equal(rows[1].card_id, 102);
	assert_int_equal(rows[1].position, 1);
	assert_true(rows[1].retrievability < 0);
	assert_int_equal(rows[2].card_id, 104);
	assert_int_equal(rows[2].is_suspended, 1);
	assert_int_equal(rows[2].ord, 1);
	assert_int_equal(rows[2].notetype, 1);
	assert_int_equal(search_page(r, 6, 3, rows, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].card_id, 107);
	assert_string_equal(rows[0].deck, "Drop'; --");
	assert_int_equal(search_page(r, 7, 3, rows, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(search_page(r, 0, 1, rows, &n, &e), 0);
	assert_int_equal(rows[0].card_id, 105);
	assert_int_equal(rows[0].is_buried, 1);
	search_result_free(r);
	search_free(s);
	db_close(db);
	teardown(NULL);
}

static int64_t
count_of(struct db *db, const char *query)
{
	struct search_result *r;
	struct search *s;
	struct err e;
	int64_t n;

	s = search_compile(query, NOW, ROLL, &e);
	assert_non_null(s);
	r = search_run(db, s, SEARCH_SORT_FIELD, 0, &e);
	assert_non_null(r);
	n = (int64_t)search_count(r);
	search_result_free(r);
	search_free(s);
	return n;
}

static void
test_bulk(void **state)
{
	static const int64_t two[] = { 101, 102 }, three[] = { 103, 104, 999 };
	static const int64_t one[] = { 103 }, first[] = { 101 };
	struct cardops_undo *undo;
	struct err e;
	struct db *db;
	size_t changed, notes, cards;
	char ids[256];

	(void)state;
	make_collection();
	db = db_open(dbpath, 0, &e);
	assert_non_null(db);

	assert_int_equal(cardops_suspend(db, two, 2, 1, NOW, &changed, &e), 0);
	assert_int_equal(changed, 2);
	run_ids(db, "is:suspended", SEARCH_SORT_CREATED, 0, ids, sizeof ids);
	assert_string_equal(ids, "101 102 104");
	assert_int_equal(cardops_suspend(db, two, 2, 1, NOW, &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(cardops_suspend(db, two, 2, 0, NOW, &changed, &e), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(count_of(db, "is:suspended"), 1);

	assert_int_equal(cardops_move(db, first, 1, "Spanish::Basics", NOW,
	    &changed, &e), 0);
	assert_int_equal(changed, 1);
	run_ids(db, "deck:spanish", SEARCH_SORT_CREATED, 0, ids, sizeof ids);
	assert_string_equal(ids, "101");
	assert_int_equal(count_of(db, "deck:French"), 1);

	assert_int_equal(cardops_tag_add(db, three, 3, "Hard", NOW, &changed,
	    &e), 0);
	assert_int_equal(changed, 1);	/* both cards are one note's */
	assert_int_equal(count_of(db, "tag:hard"), 2);
	assert_int_equal(cardops_tag_add(db, three, 3, "HARD", NOW, &changed,
	    &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(cardops_tag_add(db, first, 1, "hard", NOW, &changed,
	    &e), 0);
	assert_int_equal(count_of(db, "tag:hard tag:animal tag:french::noun"), 1);
	assert_int_equal(cardops_tag_remove(db, three, 3, "hard", NOW, &changed,
	    &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(count_of(db, "tag:none"), 2);
	assert_int_equal(cardops_tag_remove(db, first, 1, "hard", NOW, &changed,
	    &e), 0);
	assert_int_equal(count_of(db, "tag:animal tag:french::noun -tag:hard"), 1);
	assert_int_equal(cardops_tag_add(db, first, 1, "two words", NOW,
	    &changed, &e), -1);
	assert_int_equal(cardops_tag_add(db, first, 1, "", NOW, &changed, &e),
	    -1);

	assert_int_equal(cardops_reset(db, two, 2, NOW, &changed, &e), 0);
	assert_int_equal(changed, 1);	/* 102 was new already */
	assert_int_equal(count_of(db, "is:new"), 4);
	assert_int_equal(count_of(db, "is:new prop:pos=4 prop:reps=0 "
	    "prop:lapses=0"), 1);
	assert_int_equal(count_of(db, "rated:1"), 1);	/* manual is no grade */
	assert_int_equal(count_of(db, "introduced:35"), 2);

	assert_int_equal(cardops_delete(db, one, 1, &undo, &notes, &cards, &e),
	    0);
	assert_int_equal(notes, 1);
	assert_int_equal(cards, 2);
	assert_int_equal(count_of(db, ""), 5);
	assert_int_equal(count_of(db, "straße"), 0);
	assert_int_equal(cardops_undo_apply(db, undo, &e), 0);
	assert_int_equal(count_of(db, ""), 7);
	assert_int_equal(count_of(db, "straße is:suspended"), 1);
	assert_int_equal(count_of(db, "rated:1"), 1);	/* history kept */
	/* A second undo would duplicate the notes: refused, nothing added. */
	assert_int_equal(cardops_undo_apply(db, undo, &e), -1);
	assert_int_equal(count_of(db, ""), 7);
	cardops_undo_free(undo);

	/* A page taken before a delete skips the deleted cards. */
	{
		struct search *s = search_compile("", NOW, ROLL, &e);
		struct search_result *r = search_run(db, s, SEARCH_SORT_CREATED, 0,
		    &e);
		struct search_row rows[8];
		size_t n;

		assert_int_equal(cardops_delete(db, one, 1, &undo, NULL, NULL,
		    &e), 0);
		assert_int_equal(search_page(r, 0, 8, rows, &n, &e), 0);
		assert_int_equal(n, 5);
		cardops_undo_free(undo);
		search_result_free(r);
		search_free(s);
	}
	db_close(db);
	teardown(NULL);
}

/* One number from the progress file, through a second connection. */
static long
file_count(const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	long n = -1;

	assert_int_equal(sqlite3_open_v2(dbpath, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return n;
}

/* Review-log rows without a card, and per-deck sums that differ from a
 * recount of the log (migration 3's triggers must follow every delete
 * and undo). */
#define ORPHAN_ROWS "SELECT count(*) FROM revlog WHERE card_id NOT IN " \
	"(SELECT id FROM cards)"
#define SUMS_OFF "SELECT (SELECT count(*) FROM (SELECT deck_id, bucket, n FROM " \
	"revlog_deck_sum EXCEPT SELECT c.deck_id, r.id / 900000, count(*) " \
	"FROM revlog r JOIN cards c ON c.id = r.card_id WHERE r.kind <= 3 AND " \
	"r.rating >= 1 GROUP BY 1, 2)) + (SELECT count(*) FROM (SELECT " \
	"c.deck_id, r.id / 900000, count(*) FROM revlog r JOIN cards c ON " \
	"c.id = r.card_id WHERE r.kind <= 3 AND r.rating >= 1 GROUP BY 1, 2 " \
	"EXCEPT SELECT deck_id, bucket, n FROM revlog_deck_sum))"

/*
 * Deleting cards takes their review history with them (issue 14: no
 * review-log row may point at a missing card), and undo puts both back.
 * Empty cards (a cloze number gone from the note) are found by is:empty,
 * are never due, and cardops_delete_empty deletes them and only them.
 */
static void
test_delete_history(void **state)
{
	static const int64_t note3[] = { 103 }, both[] = { 104, 105 };
	struct cardops_undo *undo;
	struct err e;
	struct db *db;
	size_t notes, cards;
	char ids[256];

	(void)state;
	make_collection();
	assert_int_equal(file_count("SELECT count(*) FROM revlog"), 5);
	db = db_open(dbpath, 0, &e);
	assert_non_null(db);
	assert_int_equal(cardops_delete(db, note3, 1, &undo, &notes, &cards,
	    &e), 0);
	assert_int_equal(cards, 2);
	assert_int_equal(file_count(ORPHAN_ROWS), 0);
	assert_int_equal(file_count("SELECT count(*) FROM revlog"), 4);
	assert_int_equal(file_count(SUMS_OFF), 0);
	assert_int_equal(cardops_undo_apply(db, undo, &e), 0);
	cardops_undo_free(undo);
	assert_int_equal(file_count("SELECT count(*) FROM revlog"), 5);
	assert_int_equal(file_count("SELECT count(*) FROM revlog WHERE "
	    "card_id = 103"), 1);
	assert_int_equal(file_count(SUMS_OFF), 0);

	/* 105, unburied, is due; made empty, it is not, and is:empty finds
	 * it. */
	db_close(db);
	{
		sqlite3 *sql;
		assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
		sql_exec(sql, "UPDATE cards SET buried_until = 0 WHERE id = 105");
		db = db_open(dbpath, 0, &e);
		assert_non_null(db);
		assert_int_equal(count_of(db, "cid:105 is:due"), 1);
		db_close(db);
		sql_exec(sql, "UPDATE cards SET empty = 1 WHERE id IN (103, 105);"
		    "INSERT INTO revlog (id, card_id, rating, kind, state) "
		    "VALUES (1000, 105, 3, 0, 1)");
		sqlite3_close(sql);
	}
	db = db_open(dbpath, 0, &e);
	assert_non_null(db);
	assert_int_equal(count_of(db, "cid:105 is:due"), 0);
	run_ids(db, "is:empty", SEARCH_SORT_CREATED, 0, ids, sizeof ids);
	assert_string_equal(ids, "103 105");
	assert_int_equal(count_of(db, "-is:empty"), 5);
	/* 104 is not empty; 105 is the last card of its note, which keeps
	 * one, as Anki's Empty Cards keeps notes with no valid card. */
	assert_int_equal(cardops_delete_empty(db, both, 2, &undo, &cards, &e),
	    0);
	assert_int_equal(cards, 0);
	cardops_undo_free(undo);
	{
		sqlite3 *sql;
		assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
		sql_exec(sql, "INSERT INTO cards (id, note_id, ord, deck_id, "
		    "created, modified) VALUES (108, 4, 1, 4, 0, 0)");
		sqlite3_close(sql);
	}
	assert_int_equal(cardops_delete_empty(db, both, 2, &undo, &cards, &e),
	    0);
	assert_int_equal(cards, 1);
	run_ids(db, "is:empty", SEARCH_SORT_CREATED, 0, ids, sizeof ids);
	assert_string_equal(ids, "103");
	run_ids(db, "nid:4", SEARCH_SORT_CREATED, 0, ids, sizeof ids);
	assert_string_equal(ids, "108");
	assert_int_equal(file_count(ORPHAN_ROWS), 0);
	assert_int_equal(file_count(SUMS_OFF), 0);
	assert_int_equal(cardops_undo_apply(db, undo, &e), 0);
	cardops_undo_free(undo);
	run_ids(db, "is:empty", SEARCH_SORT_CREATED, 0, ids, sizeof ids);
	assert_string_equal(ids, "103 105");
	assert_int_equal(file_count("SELECT count(*) FROM revlog WHERE "
	    "card_id = 105"), 1);
	assert_int_equal(file_count(SUMS_OFF), 0);
	db_close(db);
	teardown(NULL);
}

/* ---- lemma search ------------------------------------------------------ */

/*
 * Run $LEMMA_BIN --db dbpath --now NOW search ARGS; its stdout into out, its stderr
 * into err (both NUL-terminated, cut to len). Returns the exit status.
 */
static int
run_cli(const char *const *args, char *out, char *err, size_t len)
{
	const char *bin = getenv("LEMMA_BIN");
	char errpath[400], *argv[20];
	int fd[2], status, efd, n = 0;
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	snprintf(errpath, sizeof errpath, "%s/stderr", tmpdir);
	argv[n++] = (char *)bin;
	argv[n++] = (char *)"--db";
	argv[n++] = dbpath;
	argv[n++] = (char *)"--now";
	argv[n++] = (char *)"2025-01-01T09:00:00Z";
	argv[n++] = (char *)"search";
	for (size_t i = 0; args[i] != NULL && n < 19; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	assert_int_equal(pipe(fd), 0);
	efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(efd >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(efd, 2);
		close(fd[0]);
		/* The UTF-8 profile, whatever the caller's locale. */
		setenv("LC_ALL", "C.UTF-8", 1);
		execv(bin, argv);
		_exit(127);
	}
	close(fd[1]);
	close(efd);
	while (got + 1 < len && (r = read(fd[0], out + got, len - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	efd = open(errpath, O_RDONLY);
	r = read(efd, err, len - 1);
	err[r > 0 ? r : 0] = '\0';
	close(efd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void
test_cli(void **state)
{
	static const char *const by_deck[] = { "deck:French", NULL };
	static const char *const json[] = { "--json", "cid:107", NULL };
	static const char *const bad[] = { "deck:\"x", NULL };
	static const char *const none[] = { "nothing", "at", "all", NULL };
	static const char *const evil[] = { "--sort", "due", "--reverse",
	    "cid:108", NULL };
	static const char *const neg[] = { "--limit", "2", "--", "-deck:French",
	    "-is:new", NULL };
	char out[4096], err[4096];
	const char *bin = getenv("LEMMA_BIN");
	sqlite3 *sql;

	(void)state;
	if (bin == NULL || access(bin, X_OK) != 0)
		not_applicable("no lemma binary ($LEMMA_BIN) outside make check");
	make_collection();
	/* A sort field that tries to retitle the terminal and ring it. */
	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	sql_exec(sql, "INSERT INTO notes (id, guid, notetype, deck_id, fields, "
	    "sort_field, created, modified) VALUES (7, 'g7', 0, 3, "
	    "'evil' || char(27) || ']0;owned' || char(7), "
	    "'evil' || char(27) || ']0;owned' || char(7), 0, 0)");
	sql_exec(sql, "INSERT INTO cards (id, note_id, ord, deck_id, created, "
	    "modified) VALUES (108, 7, 0, 3, 0, 0)");
	sqlite3_close(sql);

	assert_int_equal(run_cli(by_deck, out, err, sizeof out), 0);
	assert_string_equal(out, "French\tchat\t2025-01-03\t7d\n"
	    "French::Verbs\tmanger\tnew #1\t-\n");

	assert_int_equal(run_cli(json, out, err, sizeof out), 0);
	assert_non_null(strstr(out, "\"card_id\":107,"));
	assert_non_null(strstr(out, "\"deck\":\"Drop'; --\""));
	assert_non_null(strstr(out, "\"sort_field\":\"'; DROP TABLE cards; --\""));
	assert_non_null(strstr(out, "\"tags\":[\"x'y\"]"));
	assert_int_equal(out[0], '[');

	assert_int_equal(run_cli(bad, out, err, sizeof out), 2);
	assert_string_equal(out, "");
	assert_string_equal(err, "lemma search: bad query at column 6: this "
	    "quote is never closed\n  deck:\"x\n       ^\n");

	assert_int_equal(run_cli(none, out, err, sizeof out), 0);
	assert_string_equal(out, "");

	assert_int_equal(run_cli(evil, out, err, sizeof out), 0);
	assert_non_null(strstr(out, "evil"));
	assert_null(strchr(out, 0x1b));
	assert_null(strchr(out, 0x07));

	assert_int_equal(run_cli(neg, out, err, sizeof out), 0);
	/* By sort field ("l'été" < "straße" < "école"), rendered; 105 is
	 * buried, so its due date is in parentheses. */
	assert_string_equal(out, "Frenchy\tL'été est chaud\t(2024-12-31)\t3d\n"
	    "German\tStraße\t2025-01-01 08:59\t-\n");
	teardown(NULL);
}

/* ---- the walk of notes_sort against the full sort ------------------------ */

/* First fields that tie on the 8-byte key, differ only in case or in
 * Unicode case, are empty, or fold to what another one is. */
static const char *const walk_words[] = {
	"apple", "Apple", "APPLE", "apples", "école", "École", "ÉCOLE", "ecole",
	"the house", "The House", "the houses", "the house a", "the house B",
	"", "straße", "STRASSE", "Straße", "σοφία", "ΣΟΦΊΑ", "\xe2\x84\xaa" "elvin",
	"kelvin", "12345678", "123456789", "1234567", "aaaaaaaa", "aaaaaaaab",
	"AAAAAAAAA", "zebra", "Zebra", "émile", "a", "B", "b", "ünter", "Über",
	"what is the capital of", "What is the capital of France",
	"what is the capital of france", "what is the", "ÆSIR", "æsir", "日本",
};
#define NWALK	(sizeof walk_words / sizeof walk_words[0])

/* The ids of query by sort field, read in pages of 7 from a result that
 * walks, and the same from one made to sort everything at once
 * (search_find() of a card that does not exist reads it all): the same
 * cards in the same order. */
static void
walk_compare(struct db *db, const char *query, int desc, int want_partial)
{
	struct search_row rows[7];
	struct search_result *walk, *full;
	struct search *s;
	struct err e;
	int64_t *got = NULL;
	size_t n = 0, k, count;

	s = search_compile(query, NOW, ROLL, &e);
	if (s == NULL)
		fail_msg("%s: %s", query, e.msg);
	walk = search_run(db, s, SEARCH_SORT_FIELD, desc, &e);
	full = search_run(db, s, SEARCH_SORT_FIELD, desc, &e);
	search_free(s);
	assert_non_null(walk);
	assert_non_null(full);
	if (want_partial && !search_is_partial(walk))
		fail_msg("%s: the first page did not come from the walk", query);
	do {
		assert_int_equal(search_page(walk, n, 7, rows, &k, &e), 0);
		got = xreallocarray(got, n + k + 1, sizeof *got);
		for (size_t i = 0; i < k; i++)
			got[n + i] = rows[i].card_id;
		n += k;
	} while (k == 7);
	assert_int_equal(search_find(full, 0), -1);
	assert_false(search_is_partial(full));
	count = search_count(full);
	if (n != count)
		fail_msg("%s%s: the walk found %zu cards, the full sort %zu", query,
		    desc ? " (desc)" : "", n, count);
	assert_int_equal(search_count(walk), count);
	for (size_t i = 0; i < n; i++)
		if (got[i] != search_card_id(full, i))
			fail_msg("%s%s: card %zu is %lld, the full sort has %lld",
			    query, desc ? " (desc)" : "", i, (long long)got[i],
			    (long long)search_card_id(full, i));
	free(got);
	search_result_free(walk);
	search_result_free(full);
}

/* notes.sort_key is text_sort_key() of the sort field (sort_text, else
 * the first field) for every note. */
static void
assert_keys(const char *path)
{
	sqlite3_stmt *st;
	sqlite3 *sql;
	int rows = 0;

	assert_int_equal(sqlite3_open(path, &sql), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sql, "SELECT coalesce(sort_text, "
	    "sort_field), sort_key FROM notes", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *f = (const char *)sqlite3_column_text(st, 0);

		assert_int_equal(sqlite3_column_type(st, 1), SQLITE_INTEGER);
		if (sqlite3_column_int64(st, 1) != text_sort_key(f,
		    (size_t)sqlite3_column_bytes(st, 0)))
			fail_msg("the key of \"%s\" is stale", f);
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_close(sql);
	assert_true(rows > 0);
}

static void
test_sort_key(void **state)
{
	static const char *const ordered[] = { "", "1234567", "12345678",
	    "a", "aaaaaaaa", "b", "z", "é", "σ", "日本" };

	(void)state;
	/* Keys order as the folded texts, and case does not change them. */
	for (size_t i = 1; i < sizeof ordered / sizeof ordered[0]; i++)
		if (text_sort_key(ordered[i - 1], strlen(ordered[i - 1])) >=
		    text_sort_key(ordered[i], strlen(ordered[i])))
			fail_msg("key of \"%s\" not below \"%s\"", ordered[i - 1],
			    ordered[i]);
	assert_true(text_sort_key("ÉCOLE", strlen("ÉCOLE")) ==
	    text_sort_key("école", strlen("école")));
	assert_true(text_sort_key("ΣΟΦΊΑ", strlen("ΣΟΦΊΑ")) ==
	    text_sort_key("σοφία", strlen("σοφία")));
	/* Only 8 bytes count, and the text ends at a NUL. */
	assert_true(text_sort_key("aaaaaaaaX", 9) ==
	    text_sort_key("aaaaaaaaY", 9));
	assert_true(text_sort_key("12345678", 8) ==
	    text_sort_key("123456789", 9));
	assert_true(text_sort_key("ab\0c", 4) == text_sort_key("ab", 2));
	assert_true(text_sort_key("", 0) == INT64_MIN);
}

static void
test_walk(void **state)
{
	static const char *const queries[] = { "", "a*", "-tag:odd", "tag:odd",
	    "école", "deck:B", "is:new", "card:2", "front:*e*", "nid:3,9,27",
	    "tag:rare", "-deck:A -deck:B", "kelvin" };
	uint64_t seed = 0x2545F4914F6CDD1DULL;
	char doc_path[600], *doc;
	int64_t ids[400];
	struct err e;
	struct db *db;
	sqlite3 *sql;
	FILE *f;
	size_t len;

	(void)state;
	db = new_progress_file();
	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	sql_exec(sql, "INSERT INTO decks (id, name, created) VALUES "
	    "(11, 'A', 0), (12, 'B', 0), (13, 'C', 0)");
	sqlite3_close(sql);
	/* Added as the editor adds them: Basic, and Basic and reversed
	 * (two cards with the same sort field), a word and a number. */
	for (size_t i = 0; i < 400; i++) {
		char front[128], tags[32];
		const char *fields[2] = { front, "back" };

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		if (seed % 5 == 0)
			snprintf(front, sizeof front, "%s", walk_words[seed % NWALK]);
		else
			snprintf(front, sizeof front, "%s %u",
			    walk_words[seed % NWALK], (unsigned)(seed >> 40) % 7);
		snprintf(tags, sizeof tags, "%s%s", i % 2 ? "odd" : "even",
		    i % 97 == 0 ? " rare" : "");
		ids[i] = notedoc_add(db, 11 + (int64_t)(seed >> 20) % 3,
		    (seed >> 30) % 3 == 0 ? 1 : 0, fields, 2, tags, NOW, &e);
		if (ids[i] <= 0)
			fail_msg("add: %s", e.msg);
	}
	/* Edited afterwards, in the editor and in $EDITOR: their keys must
	 * follow. */
	for (size_t i = 0; i < 400; i += 9) {
		const char *fields[2] = { walk_words[(i * 7) % NWALK], "edited" };

		if (notedoc_save(db, ids[i], fields, 2, "odd", NOW, &e) < 0)
			fail_msg("save: %s", e.msg);
	}
	snprintf(doc_path, sizeof doc_path, "%s/note.txt", tmpdir);
	for (size_t i = 4; i < 400; i += 31) {
		struct notedoc_note n;
		char *at, *text;
		size_t flen;

		assert_int_equal(notedoc_get(db, ids[i], &n, &e), 0);
		f = fopen(doc_path, "w+");
		assert_non_null(f);
		assert_int_equal(notedoc_write(db, ids[i], f, &e), 0);
		len = (size_t)ftell(f);
		rewind(f);
		doc = xcalloc(1, len + 1);
		assert_int_equal(fread(doc, 1, len, f), len);
		fclose(f);
		/* The first field, changed in the document to "Zz..." */
		flen = strlen(n.fields[0]);
		at = flen > 0 ? strstr(doc, n.fields[0]) : NULL;
		if (at != NULL) {
			text = xasprintf("%.*sZz edited %zu%s", (int)(at - doc), doc,
			    i, at + flen);
			if (notedoc_apply(db, ids[i], text, NOW, &e) < 0)
				fail_msg("apply: %s", e.msg);
			free(text);
		}
		free(doc);
		notedoc_free(&n);
	}
	assert_keys(dbpath);
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
		for (int desc = 0; desc < 2; desc++)
			walk_compare(db, queries[i], desc, i == 0);
	db_close(db);
	teardown(NULL);
}

/* A file from before notes.sort_key is given one for every note. */
static void
test_sort_key_migration(void **state)
{
	struct err e;
	struct db *db;
	sqlite3 *sql;

	(void)state;
	make_collection();
	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	assert_int_equal(undo_to(sql, 1), 0);
	sqlite3_close(sql);
	db = db_open(dbpath, 0, &e);
	if (db == NULL)
		fail_msg("%s", e.msg);
	assert_keys(dbpath);
	walk_compare(db, "", 0, 0);
	walk_compare(db, "", 1, 0);
	db_close(db);
	teardown(NULL);
}

/* The sort fields of every card of the search "" by sort field, as the
 * browser shows them, joined by spaces. */
static void
sorted_fields(struct db *db, int descending, char *out, size_t len)
{
	struct search_row rows[16];
	struct search_result *r;
	struct search *s;
	struct err e;
	size_t n, used = 0;

	assert_non_null(s = search_compile("", NOW, ROLL, &e));
	if ((r = search_run(db, s, SEARCH_SORT_FIELD, descending, &e)) == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(search_page(r, 0, 16, rows, &n, &e), 0);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s",
		    i > 0 ? " " : "", rows[i].sort_field);
	search_result_free(r);
	search_free(s);
}

/*
 * The browser's sort field is each note type's (notetypes.sort_field,
 * Anki's "Sort Field" column), not always the first field: sorted by it
 * and shown, kept when a note is edited, and filled in by the migration
 * for a file written before it.
 */
static void
test_type_sort_field(void **state)
{
	static const char *const f[] = { "Word", "Meaning" };
	static const char *const notes[][2] = {
		{ "alpha", "zebra" }, { "beta", "<b>apple</b>" },
		{ "gamma", "mango" },
	};
	const char *basic[] = { "kiwi", "x" };
	const char *edited[] = { "alpha", "aardvark" };
	struct notetype nt;
	struct err e;
	struct db *db;
	sqlite3 *sql;
	int64_t type, deck = 0, first = 0;
	char got[256];

	(void)state;
	db = new_progress_file();
	memset(&nt, 0, sizeof nt);
	nt.name = (char *)"Vocab";
	nt.fields = (char **)f;
	nt.nfields = 2;
	nt.sort_field = 1;
	nt.ntemplates = 1;
	nt.templates = &(struct notetype_template){ .name = (char *)"Card 1",
	    .qfmt = (char *)"{{Word}}", .afmt = (char *)"{{Meaning}}" };
	if ((type = db_notetype_add(db, &nt, NOW, &e)) < 0 ||
	    (deck = db_deck_ensure(db, "Words", NOW, &e)) < 0)
		fail_msg("%s", e.msg);
	for (size_t i = 0; i < 3; i++) {
		int64_t id = db_note_add(db, deck, (int)type, notes[i], 2, "",
		    i == 1, NOW, &e);

		if (id < 0)
			fail_msg("%s", e.msg);
		if (i == 0)
			first = id;
	}
	assert_true(db_note_add(db, deck, 0, basic, 2, "", 0, NOW, &e) > 0);
	sorted_fields(db, 0, got, sizeof got);
	assert_string_equal(got, "apple kiwi mango zebra");
	sorted_fields(db, 1, got, sizeof got);
	assert_string_equal(got, "zebra mango kiwi apple");
	assert_keys(dbpath);
	assert_int_equal(db_note_update(db, first, edited, 2, "", NOW, &e), 0);
	sorted_fields(db, 0, got, sizeof got);
	assert_string_equal(got, "aardvark apple kiwi mango");
	db_close(db);

	/* A file of schema 7: the first field's key, no sort_text. */
	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	assert_int_equal(undo_to(sql, 7), 0);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(sql, "UPDATE notes SET "
		    "sort_key = ?1 WHERE sort_field = ?2", -1, &st, NULL),
		    SQLITE_OK);
		for (size_t i = 0; i < 3; i++) {
			sqlite3_bind_int64(st, 1, text_sort_key(notes[i][0],
			    strlen(notes[i][0])));
			sqlite3_bind_text(st, 2, notes[i][0], -1, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(st), SQLITE_DONE);
			sqlite3_reset(st);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(sql);
	if ((db = db_open(dbpath, 0, &e)) == NULL)
		fail_msg("%s", e.msg);
	assert_keys(dbpath);
	sorted_fields(db, 0, got, sizeof got);
	assert_string_equal(got, "aardvark apple kiwi mango");
	walk_compare(db, "", 0, 0);
	db_close(db);
	teardown(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_case_count),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_glob_scan),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_sort_and_page),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_delete_history),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_sort_key),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_sort_key_migration),
		cmocka_unit_test(test_type_sort_field),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
