/*
 * test_search_anki.c - Anki's own search tests, as data: every query of
 * the tests in rslib/src/search/parser.rs (parsing, errors) and
 * rslib/src/search/sqlwriter.rs (sql, required_table) of ankitects/anki,
 * with what lemma makes of it.
 *
 * Each row is one of:
 *   ACCEPT  lemma compiles it to this SQL with these values: the parsed
 *           form (Anki's tests compare Anki's tree or Anki's SQL);
 *   REJECT  lemma refuses it with a message holding this text;
 *   SAME    lemma compiles it exactly as another query (Anki's
 *           assert_eq!(parse(a), parse(b)); "DIFFERENT" for assert_ne!);
 *   MATCH   on the collection below it finds these cards: where lemma's
 *           SQL cannot be compared with Anki's, what it finds can.
 * A row marked DIFF is a deliberate difference from Anki, listed in the
 * README ("Searching", "Where lemma's search differs from Anki's"). Anki's
 * tests use placeholder field names (foo, field): a field's name is looked
 * up when the search runs, so those rows compile as Anki parses them (and
 * match nothing where no note type has such a field, as in Anki); they
 * are kept again with Front. The collection has a user's note type,
 * "Vocab", with five fields, for FIELD: searches by its field names.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/query/search.h"
#include "lemma/store/db.h"

/* As test_search.c: 2025-01-01T09:00:00Z, study day 20089 began at
 * 1735704000 (rollover 4, UTC). */
#define NOW	((time_t)1735722000)
#define TODAY0	((time_t)1735704000)
#define DAY	86400
#define ROLL	4

enum want { ACCEPT, REJECT, SAME, DIFFERENT, MATCH };

struct anki_case {
	const char	*file;		/* Anki's test file */
	const char	*query;
	enum want	 want;
	const char	*a;	/* SQL, message, other query, or card ids */
	const char	*b;	/* ACCEPT: the values */
	const char	*diff;	/* a deliberate difference from Anki, or NULL */
};

#define P	"parser.rs"
#define S	"sqlwriter.rs"

#define TEXT	"lemma_text(n.fields, ?)"
/* FIELD:TEXT: the fields named so, per note type, then the text. */
#define FIELDS_OF(fn) fn "(n.notetype, (SELECT group_concat(notetype || " \
	"char(58) || ord) FROM nt_fields WHERE lemma_glob(name, ?)), n.fields, ?)"
#define FIELD	FIELDS_OF("lemma_field")
#define FIELD_RE FIELDS_OF("lemma_field_re")
#define FIELD_NC FIELDS_OF("lemma_field_nc")
#define REGEX	"lemma_regex(n.fields, ?)"
#define DECK	"c.deck_id IN (SELECT dk.id FROM decks dk WHERE " \
		"lemma_glob(dk.name, ?) OR lemma_glob(dk.name, ?))"
#define TAG	"lemma_tag(n.tags, ?, ?)"
#define RATED	"c.id IN (SELECT r.card_id FROM revlog r WHERE r.id >= ? "
#define DUEQ	"(c.state != 0 AND c.suspended = 0 AND c.buried_until <= ? AND "
#define PRESET	"c.deck_id IN (SELECT dk.id FROM decks dk JOIN deck_config k " \
		"ON k.id = dk.config_id WHERE k.name = ? COLLATE lemma_fold)"
/* The field-name values of *: and front:. */
#define ALLF	"'*'"
#define FRONTF	"'front'"
#define NOTE	"n.notetype IN (SELECT id FROM notetypes WHERE lemma_glob(name, ?))"
#define CARDNAME "EXISTS (SELECT 1 FROM nt_templates t JOIN notetypes k ON " \
	"k.id = t.notetype WHERE t.notetype = n.notetype AND (t.ord = c.ord " \
	"OR k.kind = 1) AND lemma_glob(t.name, ?))"

static const struct anki_case cases[] = {
	/* ---- parser.rs, fn parsing ---- */
	{ P, "",		ACCEPT,	"1", "", NULL },
	{ P, "  ",		ACCEPT,	"1", "", NULL },
	{ P, "foo\xc2\xa0" "bar",	ACCEPT,	TEXT " AND " TEXT,
	    "'foo', 'bar'", NULL },
	{ P, "foo\tbar",	ACCEPT,	TEXT " AND " TEXT, "'foo', 'bar'", NULL },
	{ P, "foo\nbar",	ACCEPT,	TEXT " AND " TEXT, "'foo', 'bar'", NULL },
	{ P, "  t   t2  ",	ACCEPT,	TEXT " AND " TEXT, "'t', 't2'", NULL },
	{ P, "(  t   t2  )",	ACCEPT,	TEXT " AND " TEXT, "'t', 't2'", NULL },
	{ P, "hello  -(world and \"foo:bar baz\") OR test", ACCEPT,
	    "(" TEXT " AND NOT (" TEXT " AND " FIELD ")) OR " TEXT,
	    "'hello', 'world', 'foo', 'bar baz', 'test'", NULL },
	{ NULL, "hello  -(world and \"front:bar baz\") OR test", ACCEPT,
	    "(" TEXT " AND NOT (" TEXT " AND " FIELD ")) OR " TEXT,
	    "'hello', 'world', " FRONTF ", 'bar baz', 'test'", NULL },
	{ P, "foo:re:bar",	ACCEPT,	FIELD_RE, "'foo', '(?i)bar'", NULL },
	{ NULL, "front:re:bar",	ACCEPT,	FIELD_RE, FRONTF ", '(?i)bar'", NULL },
	{ P, "foo:nc:bar",	ACCEPT,	FIELD_NC, "'foo', 'bar'", NULL },
	{ NULL, "front:nc:bar",	ACCEPT,	FIELD_NC, FRONTF ", 'bar'", NULL },
	{ P, "\"field:va\\\"lue\"",	ACCEPT,	FIELD, "'field', 'va\"lue'", NULL },
	{ P, "\"field:va\\\"lue\"",	SAME,	"field:\"va\\\"lue\"", NULL, NULL },
	{ P, "\"field:va\\\"lue\"",	SAME,	"field:va\\\"lue", NULL, NULL },
	{ NULL, "\"front:va\\\"lue\"",	ACCEPT,	FIELD, FRONTF ", 'va\"lue'", NULL },
	{ NULL, "\"front:va\\\"lue\"",	SAME,	"front:\"va\\\"lue\"", NULL, NULL },
	{ NULL, "\"front:va\\\"lue\"",	SAME,	"front:va\\\"lue", NULL, NULL },
	{ P, "\\\"\\:\\(\\)\\-",	ACCEPT,	TEXT, "'\":()-'", NULL },
	{ P, "\\\\\\*\\_",	ACCEPT,	TEXT, "'\\\\\\*\\_'", NULL },
	{ P, "\"\\)\\(\"",	SAME,	"\")(\"", NULL, NULL },
	{ P, "field:val:ue",	SAME,	"field:val\\:ue", NULL, NULL },
	{ P, "\"field:val:ue\"",	SAME,	"field:val\\:ue", NULL, NULL },
	{ P, "field:\"val:ue\"",	SAME,	"field:val\\:ue", NULL, NULL },
	{ NULL, "front:val:ue",	ACCEPT,	FIELD, FRONTF ", 'val:ue'", NULL },
	{ NULL, "front:val:ue",	SAME,	"front:val\\:ue", NULL, NULL },
	{ NULL, "\"front:val:ue\"",	SAME,	"front:val\\:ue", NULL, NULL },
	{ NULL, "front:\"val:ue\"",	SAME,	"front:val\\:ue", NULL, NULL },
	{ P, "-",		SAME,	"\\-", NULL, NULL },
	{ P, "A-",		SAME,	"A\\-", NULL, NULL },
	{ P, "\"-A\"",		SAME,	"\\-A", NULL, NULL },
	{ P, "-A",		DIFFERENT, "\\-A", NULL, NULL },
	{ P, "\"re:\\btest\\%\"",	ACCEPT,	REGEX, "'(?i)\\btest\\%'", NULL },
	{ P, "re:te\\\"st",	ACCEPT,	REGEX, "'(?i)te\"st'", NULL },
	{ P, "a\"b\"(c)",	SAME,	"a b (c)", NULL, NULL },
	{ P, "added:3",		ACCEPT,	"c.created >= ?", "1735531200", NULL },
	{ P, "card:front",	ACCEPT,	CARDNAME, "'front'", NULL },
	{ P, "card:3",		ACCEPT,	"c.ord = ?", "2", NULL },
	{ P, "card:0",		ACCEPT,	"c.ord = ?", "0", NULL },
	{ P, "deck:default",	ACCEPT,	DECK, "'default', 'default::*'", NULL },
	{ P, "deck:\"default one\"",	ACCEPT,	DECK,
	    "'default one', 'default one::*'", NULL },
	{ P, "preset:default",	ACCEPT,	PRESET, "'default'", NULL },
	{ P, "note:basic",	ACCEPT,	NOTE, "'basic'", NULL },
	{ P, "tag:hard",	ACCEPT,	TAG, "'hard', 'hard::*'", NULL },
	{ P, "tag:re:\\\\",	ACCEPT,	"lemma_tag_re(n.tags, ?)", "'(?i)\\\\'",
	    NULL },
	{ P, "nid:1237123712,2,3",	ACCEPT,	"n.id IN (?, ?, ?)",
	    "1237123712, 2, 3", NULL },
	{ P, "is:due",		ACCEPT,	"(c.suspended = 0 AND c.empty = 0 AND "
	    "c.buried_until <= ? AND ((c.state IN (1, 3) AND c.due <= ?) OR "
	    "(c.state = 2 AND c.due < ?)))", "20089, 1735722000, 1735790400",
	    NULL },
	{ P, "flag:3",		ACCEPT,	"c.flag = ?", "3", NULL },
	{ P, "prop:ivl>3",	ACCEPT,	"c.scheduled_days > ?", "3", NULL },
	{ P, "prop:ease<=3.3",	ACCEPT,	"0", "",
	    "no SM-2 ease in lemma (FSRS only): prop:ease matches nothing" },
	{ P, "prop:cdn:abc<=1",	ACCEPT,	"0", "",
	    "no custom data in lemma: prop:cdn: matches nothing" },
	{ P, "prop:cds:abc=foo",	ACCEPT,	"0", "",
	    "no custom data in lemma: prop:cds: matches nothing" },
	{ P, "\"prop:cds:abc=foo bar\"",	ACCEPT,	"0", "",
	    "no custom data in lemma: prop:cds: matches nothing" },
	{ P, "has-cd:r",	ACCEPT,	"0", "",
	    "no custom data in lemma: has-cd: matches nothing" },

	/* ---- parser.rs, fn errors ---- */
	{ P, "foo and",		REJECT,	"'and' needs a search after it", NULL, NULL },
	{ P, "and foo",		REJECT,	"'and' needs a search before it", NULL, NULL },
	{ P, "and",		REJECT,	"'and' needs a search before it", NULL, NULL },
	{ P, "foo or",		REJECT,	"'or' needs a search after it", NULL, NULL },
	{ P, "or foo",		REJECT,	"'or' needs a search before it", NULL, NULL },
	{ P, "or",		REJECT,	"'or' needs a search before it", NULL, NULL },
	{ P, "()",		REJECT,	"empty parentheses", NULL, NULL },
	{ P, "( )",		REJECT,	"empty parentheses", NULL, NULL },
	{ P, "(foo () bar)",	REJECT,	"empty parentheses", NULL, NULL },
	{ P, ")",		REJECT,	"without its '('", NULL, NULL },
	{ P, "foo ) bar",	REJECT,	"without its '('", NULL, NULL },
	{ P, "(foo) bar)",	REJECT,	"without its '('", NULL, NULL },
	{ P, "(",		REJECT,	"never closed", NULL, NULL },
	{ P, "foo ( bar",	REJECT,	"never closed", NULL, NULL },
	{ P, "(foo (bar)",	REJECT,	"never closed", NULL, NULL },
	{ P, "\"\"",		REJECT,	"empty search term", NULL, NULL },
	{ P, "foo:\"\"",	REJECT,	"empty search term", NULL, NULL },
	{ P, " \" ",		REJECT,	"quote is never closed", NULL, NULL },
	{ P, "\" foo",		REJECT,	"quote is never closed", NULL, NULL },
	{ P, "\"\\",		REJECT,	"quote is never closed", NULL, NULL },
	{ P, "foo:\"bar",	REJECT,	"quote is never closed", NULL, NULL },
	{ P, "foo:\"bar\\",	REJECT,	"quote is never closed", NULL, NULL },
	{ P, ":",		REJECT,	"must come before ':'", NULL, NULL },
	{ P, ":foo",		REJECT,	"must come before ':'", NULL, NULL },
	{ P, ":\"foo\"",	REJECT,	"must come before ':'", NULL, NULL },
	{ P, "\\",		REJECT,	"escapes nothing", NULL, NULL },
	{ P, "\\%",		REJECT,	"unknown escape '\\%'", NULL, NULL },
	{ P, "foo\\",		REJECT,	"escapes nothing", NULL, NULL },
	{ P, "\\foo",		REJECT,	"unknown escape '\\f'", NULL, NULL },
	{ P, "\\ ",		REJECT,	"escapes nothing", NULL, NULL },
	{ P, "\"\\ \"",		REJECT,	"unknown escape '\\ '", NULL, NULL },
	{ P, "nid:1_2,3",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "nid:1,2,x",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "nid:,2,3",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "nid:1,2,",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "cid:1_2,3",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "cid:1,2,x",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "cid:,2,3",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "cid:1,2,",	REJECT,	"ids separated by commas", NULL, NULL },
	{ P, "is:foo",		REJECT,	"is: takes new, learn", NULL, NULL },
	{ P, "is:DUE",		ACCEPT,	"(c.suspended = 0 AND c.empty = 0 AND "
	    "c.buried_until <= ? AND ((c.state IN (1, 3) AND c.due <= ?) OR "
	    "(c.state = 2 AND c.due < ?)))", "20089, 1735722000, 1735790400",
	    "is: names in any case (Anki: lower case only)" },
	{ P, "is:New",		ACCEPT,	"c.state = 0", "",
	    "is: names in any case (Anki: lower case only)" },
	{ P, "is:",		REJECT,	"is: takes new, learn", NULL, NULL },
	{ P, "\"is:learn \"",	REJECT,	"is: takes new, learn", NULL, NULL },
	{ P, "\"flag: \"",	REJECT,	"from 0 to 7", NULL, NULL },
	{ P, "flag:-0",		REJECT,	"from 0 to 7", NULL, NULL },
	{ P, "flag:",		REJECT,	"from 0 to 7", NULL, NULL },
	{ P, "flag:8",		REJECT,	"from 0 to 7", NULL, NULL },
	{ P, "flag:1.1",	REJECT,	"from 0 to 7", NULL, NULL },
	{ P, "added:1.1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "added:-1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "added:",		REJECT,	"whole number from 0", NULL, NULL },
	{ P, "added:foo",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "edited:1.1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "edited:-1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "edited:",		REJECT,	"whole number from 0", NULL, NULL },
	{ P, "edited:foo",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "rated:1.1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "rated:-1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "rated:",		REJECT,	"whole number from 0", NULL, NULL },
	{ P, "rated:foo",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "resched:1.1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "resched:-1",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "resched:",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "resched:foo",	REJECT,	"whole number from 0", NULL, NULL },
	{ P, "rated:1:",	REJECT,	"grade from 1 (Again) to 4", NULL, NULL },
	{ P, "rated:2:-1",	REJECT,	"grade from 1 (Again) to 4", NULL, NULL },
	{ P, "rated:3:1.1",	REJECT,	"grade from 1 (Again) to 4", NULL, NULL },
	{ P, "rated:0:foo",	REJECT,	"grade from 1 (Again) to 4", NULL, NULL },
	{ P, "dupe:",		REJECT,	"dupe: needs a whole number", NULL, NULL },
	{ P, "dupe:1.1",	REJECT,	"dupe: needs a whole number", NULL, NULL },
	{ P, "dupe:foo",	REJECT,	"dupe: needs a whole number", NULL, NULL },
	{ P, "prop:",		REJECT,	"prop: takes ivl", NULL, NULL },
	{ P, "prop:=1",		REJECT,	"prop: takes ivl", NULL, NULL },
	{ P, "prop:DUE<5",	REJECT,	"prop: takes ivl", NULL, NULL },
	{ P, "prop:cdn=5",	REJECT,	"prop:cdn needs a key", NULL, NULL },
	{ P, "prop:cdn:=5",	REJECT,	"prop:cdn needs a key", NULL, NULL },
	{ P, "prop:cds=s",	REJECT,	"prop:cds needs a key", NULL, NULL },
	{ P, "prop:cds:=s",	REJECT,	"prop:cds needs a key", NULL, NULL },
	{ P, "prop:lapses",	REJECT,	"needs an operator", NULL, NULL },
	{ P, "prop:pos~1",	REJECT,	"needs an operator", NULL, NULL },
	{ P, "prop:reps10",	REJECT,	"needs an operator", NULL, NULL },
	{ P, "prop:ivl>",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:ivl=0.5",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:ivl!=-1",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:ivl<foo",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:reps>",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:reps=0.5",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:reps!=-1",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:reps<foo",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:lapses>",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:lapses=0.5",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:lapses!=-1",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:lapses<foo",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:pos>",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:pos=0.5",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:pos!=-1",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:pos<foo",	REJECT,	"whole number (0 or more)", NULL, NULL },
	{ P, "prop:due>",	REJECT,	"prop:due needs a whole number", NULL, NULL },
	{ P, "prop:due=0.5",	REJECT,	"prop:due needs a whole number", NULL, NULL },
	{ P, "prop:ease>",	REJECT,	"prop:ease needs a number", NULL, NULL },
	{ P, "prop:ease!=one",	REJECT,	"prop:ease needs a number", NULL, NULL },
	{ P, "prop:ease<1,3",	REJECT,	"prop:ease needs a number", NULL, NULL },

	/* ---- sqlwriter.rs, fn sql: lemma's SQL, then what it finds ---- */
	{ S, "te*st",		ACCEPT,	TEXT, "'te*st'", NULL },
	{ S, "te*st",		MATCH,	"201 207", NULL, NULL },
	{ S, "te%st",		ACCEPT,	TEXT, "'te%st'", NULL },
	{ S, "te%st",		MATCH,	"", NULL, NULL },
	{ S, "te\\*s\\_t",	ACCEPT,	TEXT, "'te\\*s\\_t'", NULL },
	{ S, "front:te*st",	ACCEPT,	FIELD, FRONTF ", 'te*st'", NULL },
	{ S, "front:te*st",	MATCH,	"201", NULL, NULL },
	{ S, "front:re:te.*st",	ACCEPT,	FIELD_RE, FRONTF ", '(?i)te.*st'", NULL },
	{ S, "front:re:te.*st",	MATCH,	"201 207", NULL, NULL },
	{ S, "front:nc:fr\xc3\xa2n\xc3\xa7" "ais",	ACCEPT,	FIELD_NC,
	    FRONTF ", 'francais'", NULL },
	{ S, "front:nc:fr\xc3\xa2n\xc3\xa7" "ais",	MATCH,	"202", NULL, NULL },
	{ S, "*:te*st",		ACCEPT,	FIELD, ALLF ", 'te*st'", NULL },
	{ S, "*:te*st",		MATCH,	"201", NULL, NULL },
	{ S, "*:re:te.*st",	ACCEPT,	FIELD_RE, ALLF ", '(?i)te.*st'", NULL },
	{ S, "*:re:te.*st",	MATCH,	"201 207", NULL, NULL },
	{ S, "added:3",		ACCEPT,	"c.created >= ?", "1735531200", NULL },
	{ S, "added:3",		MATCH,	"207", NULL, NULL },
	{ S, "added:0",		SAME,	"added:1", NULL, NULL },
	{ S, "introduced:3",	MATCH,	"205", NULL, NULL },
	{ S, "introduced:0",	SAME,	"introduced:1", NULL, NULL },
	{ S, "deck:default",	ACCEPT,	DECK, "'default', 'default::*'", NULL },
	{ S, "deck:default",	MATCH,	"201 202 205 206 207", NULL, NULL },
	/* deck:current: the browser's deck in focus (MATCH rows run with
	 * Default::Sub in focus); none on the command line: every deck. */
	{ S, "deck:current",	ACCEPT,	"1", "",
	    "deck:current is the deck in focus in the browser, every deck on "
	    "the command line (Anki: the collection's current deck)" },
	{ S, "deck:current",	MATCH,	"202", NULL, NULL },
	{ S, "deck:d*",		ACCEPT,	DECK, "'d*', 'd*::*'", NULL },
	{ S, "deck:d*",		MATCH,	"201 202 205 206 207", NULL, NULL },
	{ S, "deck:filtered",	ACCEPT,	"0", "", NULL },
	{ S, "\"card:card 1\"",	ACCEPT,	CARDNAME, "'card 1'", NULL },
	{ S, "\"card:card 1\"",	MATCH,	"201 202 205 207", NULL, NULL },
	{ S, "mid:3",		ACCEPT,	"n.notetype = ?", "3", NULL },
	{ S, "mid:3",		MATCH,	"", NULL, NULL },
	{ S, "nid:3",		ACCEPT,	"n.id IN (?)", "3", NULL },
	{ S, "nid:3,4",		ACCEPT,	"n.id IN (?, ?)", "3, 4", NULL },
	{ S, "nid:3,4",		MATCH,	"203 204 205 206", NULL, NULL },
	{ S, "cid:3,4",		ACCEPT,	"c.id IN (?, ?)", "3, 4", NULL },
	{ S, "flag:2",		MATCH,	"206", NULL, NULL },
	{ S, "flag:0",		MATCH,	"201 202 203 204 205 207", NULL, NULL },
	{ S, "dupe:123,test",	ACCEPT,	"(n.notetype = ? AND lemma_dupe(n.fields, "
	    "?))", "123, 'test'", NULL },
	{ S, "dupe:123,test",	MATCH,	"", NULL, NULL },
	{ S, "tag:one",		MATCH,	"201", NULL, NULL },
	{ S, "tag:foo::bar",	ACCEPT,	TAG, "'foo::bar', 'foo::bar::*'", NULL },
	{ S, "tag:foo::bar",	MATCH,	"205 206", NULL, NULL },
	{ S, "tag:o*n\\*et%w%oth_re\\_e",	ACCEPT,	TAG,
	    "'o*n\\*et%w%oth_re\\_e', 'o*n\\*et%w%oth_re\\_e::*'", NULL },
	{ S, "tag:none",	ACCEPT,	"length(trim(n.tags)) = 0", "", NULL },
	{ S, "tag:none",	MATCH,	"203 204 207", NULL, NULL },
	{ S, "tag:*",		ACCEPT,	"1", "", NULL },
	{ S, "tag:*",		MATCH,	"201 202 203 204 205 206 207", NULL, NULL },
	{ S, "tag:re:.ne|tw.",	ACCEPT,	"lemma_tag_re(n.tags, ?)",
	    "'(?i).ne|tw.'", NULL },
	{ S, "tag:re:.ne|tw.",	MATCH,	"201 202", NULL, NULL },
	{ S, "is:suspended",	MATCH,	"205", NULL, NULL },
	{ S, "is:new",		MATCH,	"203 204 207", NULL, NULL },
	{ S, "rated:2",		ACCEPT,	RATED "AND r.rating BETWEEN 1 AND 4)",
	    "1735617600000", NULL },
	{ S, "rated:2",		MATCH,	"205", NULL, NULL },
	{ S, "rated:400:1",	MATCH,	"205", NULL, NULL },
	{ S, "rated:0",		SAME,	"rated:1", NULL, NULL },
	{ S, "resched:400",	ACCEPT,	RATED "AND r.rating = 0)",
	    "1701230400000", NULL },
	{ S, "resched:400",	MATCH,	"202", NULL, NULL },
	{ S, "prop:lapses=3",	ACCEPT,	"c.lapses = ?", "3", NULL },
	{ S, "prop:ease>=2.5",	MATCH,	"", NULL, NULL },
	{ S, "prop:due!=-1",	ACCEPT,	DUEQ "(c.due < ? OR c.due >= ?))",
	    "20089, 1735617600, 1735704000", NULL },
	{ S, "prop:due!=-1",	MATCH,	"206", NULL, NULL },
	{ S, "prop:rated>-5:3",	SAME,	"rated:5:3", NULL, NULL },
	{ S, "prop:rated>-5:3",	MATCH,	"201", NULL, NULL },
	{ S, "prop:cdn:r=1",	MATCH,	"", NULL, NULL },
	{ S, "prop:cds:r=s",	MATCH,	"", NULL, NULL },
	{ S, "prop:cds:foo=bar'baz",	ACCEPT,	"0", "", NULL },
	{ S, "\"prop:cds:key=x';DROP TABLE cards;--\"",	ACCEPT,	"0", "", NULL },
	{ S, "note:basic",	MATCH,	"201 202 207", NULL, NULL },
	{ S, "note:basic*",	ACCEPT,	NOTE, "'basic*'", NULL },
	{ S, "note:basic*",	MATCH,	"201 202 205 206 207", NULL, NULL },
	{ S, "re:\\bone",	ACCEPT,	REGEX, "'(?i)\\bone'", NULL },
	{ S, "re:\\bone",	MATCH,	"201", NULL, NULL },
	{ S, "w:foo",		ACCEPT,	REGEX, "'(?i)\\bfoo\\b'", NULL },
	{ S, "w:foo",		MATCH,	"205 206", NULL, NULL },
	{ S, "w:*foo",		ACCEPT,	REGEX, "'(?i)\\b.*foo\\b'", NULL },
	{ S, "w:*foo",		MATCH,	"205 206", NULL, NULL },
	{ S, "w:*fo_o*",	ACCEPT,	REGEX, "'(?i)\\b.*fo.o.*\\b'", NULL },
	{ S, "w:*fo_o*",	MATCH,	"202", NULL, NULL },
	{ S, "has-cd:r",	MATCH,	"", NULL, NULL },
	{ S, "preset:default",	ACCEPT,	PRESET, "'default'", NULL },
	{ S, "preset:default",	MATCH,	"201 202 205 206 207", NULL, NULL },
	{ S, "preset:typo",	MATCH,	"", NULL, NULL },
	{ S, "sc:abcdef",	ACCEPT,	"(n.notetype IN (SELECT id FROM notetypes "
	    "WHERE kind = 1) AND lemma_text_sc(n.fields, ?))", "'abcdef'", NULL },
	{ S, "sc:abcdef",	MATCH,	"203 204", NULL, NULL },

	/* ---- sqlwriter.rs, fn required_table: lemma joins the notes table
	 * when the SQL reads n.* ---- */
	{ S, "",		ACCEPT,	"1", "", NULL },
	{ S, "test",		ACCEPT,	TEXT, "'test'", NULL },
	{ S, "cid:1",		ACCEPT,	"c.id IN (?)", "1", NULL },
	{ S, "cid:1 test",	ACCEPT,	"c.id IN (?) AND " TEXT, "1, 'test'",
	    NULL },
	{ S, "nid:1",		ACCEPT,	"n.id IN (?)", "1", NULL },
	{ S, "cid:1 nid:1",	ACCEPT,	"c.id IN (?) AND n.id IN (?)", "1, 1",
	    NULL },
	{ S, "test nid:1",	ACCEPT,	TEXT " AND n.id IN (?)", "'test', 1",
	    NULL },

	/* ---- beyond Anki's rows: the same features on the collection ---- */
	/* Not 202 (buried) nor 205 (suspended). */
	{ NULL, "prop:due=-1",	MATCH,	"201", NULL, NULL },
	{ NULL, "nc:francais",	MATCH,	"202", NULL, NULL },
	{ NULL, "francais",	MATCH,	"", NULL, NULL },
	{ NULL, "tag:nc:TW\xc3\x93::x",	MATCH,	"202", NULL, NULL },
	{ NULL, "re:FR\xc3\x82N",	MATCH,	"202", NULL, NULL },
	{ NULL, "dupe:0,test",	MATCH,	"201 207", NULL, NULL },
	{ NULL, "card:Cloze",	MATCH,	"203 204", NULL,
	    "card:Cloze is every card of a cloze note (Anki: cloze 1 only)" },
	{ NULL, "card:0",	MATCH,	"201 202 203 205 207", NULL, NULL },
	{ NULL, "mid:2",	MATCH,	"203 204", NULL, NULL },
	{ NULL, "preset:custom",	MATCH,	"203 204", NULL, NULL },
	{ NULL, "deck:filtered",	MATCH,	"", NULL, NULL },
	{ NULL, "-tag:*",	MATCH,	"", NULL, NULL },
	{ NULL, "foo:bar",	MATCH,	"", NULL, NULL },
	{ NULL, "-foo:bar",	MATCH,	"201 202 203 204 205 206 207", NULL, NULL },
	{ NULL, "back:re:^f.z",	MATCH,	"202", NULL, NULL },
	{ NULL, "w:fozo",	MATCH,	"202", NULL, NULL },
	{ NULL, "w:foz",	MATCH,	"", NULL, NULL },
	{ NULL, "foo\xe3\x80\x80xfoox",	MATCH,	"205 206", NULL, NULL },
};

static char tmpdir[256];
static char dbpath[300];

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

/* The compiled form of q as "SQL | values", or NULL when it is refused. */
static char *
compiled(const char *q)
{
	char params[1024];
	struct search *s;
	struct err e;
	char *out;

	if ((s = search_compile(q, NOW, ROLL, &e)) == NULL)
		return NULL;
	params_text(s, params, sizeof params);
	out = xasprintf("%s | %s", search_sql(s), params);
	search_free(s);
	return out;
}

static void
sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/*
 * Notes 1-5, cards 201-207:
 *   1 Basic, Default: "test" / "one", tag one; card 201 review, due
 *     yesterday, graded Good 3 days ago
 *   2 Basic, Default::Sub: "frânçais" / "fozo", tag two::x; card 202
 *     review due yesterday but buried, reset by hand 10 days ago
 *   3 Cloze, Other (preset Custom): "{{c1::abc}}{{c2::def}}"; new cards
 *     203, 204
 *   4 Basic (and reversed card), Default: "a foo b" / "xfoox", tag
 *     foo::bar; 205 review due yesterday, suspended, graded Again today;
 *     206 review due in 5 days, flag 2
 *   5 Basic, Default: "<b>test</b>", untagged, new card 207 added today
 */
static void
make_collection(void)
{
	struct err e;
	struct db *db;
	sqlite3 *sql;
	char *s;

	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-anki-XXXXXX",
	    paths_tmpdir());
	assert_non_null(mkdtemp(tmpdir));
	snprintf(dbpath, sizeof dbpath, "%s/progress.db", tmpdir);
	db = db_open(dbpath, DB_CREATE, &e);
	assert_non_null(db);
	db_close(db);

	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	sql_exec(sql, "INSERT INTO deck_config (id, name) VALUES (2, 'Custom')");
	sql_exec(sql, "INSERT INTO decks (id, name, config_id, created) VALUES "
	    "(1, 'Default', 1, 0), (2, 'Default::Sub', 1, 0), "
	    "(3, 'Other', 2, 0)");
	sql_exec(sql, "INSERT INTO notes (id, guid, notetype, deck_id, fields, "
	    "sort_field, tags, created, modified) VALUES "
	    "(1, 'g1', 0, 1, 'test' || char(31) || 'one', 'test', ' one ', 0, 0), "
	    "(2, 'g2', 0, 2, 'frânçais' || char(31) || 'fozo', 'frânçais', "
	    "' two::x ', 0, 0), "
	    "(3, 'g3', 2, 3, '{{c1::abc}}{{c2::def}}' || char(31) || '', "
	    "'{{c1::abc}}{{c2::def}}', '', 0, 0), "
	    "(4, 'g4', 1, 1, 'a foo b' || char(31) || 'xfoox', 'a foo b', "
	    "' foo::bar ', 0, 0), "
	    "(5, 'g5', 0, 1, '<b>test</b>' || char(31) || '', '<b>test</b>', "
	    "'', 0, 0)");
	s = sqlite3_mprintf("INSERT INTO cards (id, note_id, ord, deck_id, state, "
	    "due, suspended, buried_until, flag, created, modified) VALUES "
	    "(201, 1, 0, 1, 2, %lld, 0, 0, 0, %lld, 0), "
	    "(202, 2, 0, 2, 2, %lld, 0, 20090, 0, %lld, 0), "
	    "(203, 3, 0, 3, 0, 0, 0, 0, 0, %lld, 0), "
	    "(204, 3, 1, 3, 0, 0, 0, 0, 0, %lld, 0), "
	    "(205, 4, 0, 1, 2, %lld, 1, 0, 0, %lld, 0), "
	    "(206, 4, 1, 1, 2, %lld, 0, 0, 2, %lld, 0), "
	    "(207, 5, 0, 1, 0, 0, 0, 0, 0, %lld, 0)",
	    (long long)(TODAY0 - DAY + 3600), (long long)(NOW - 50 * DAY),
	    (long long)(TODAY0 - DAY + 3600), (long long)(NOW - 50 * DAY),
	    (long long)(NOW - 50 * DAY), (long long)(NOW - 50 * DAY),
	    (long long)(TODAY0 - DAY + 3600), (long long)(NOW - 50 * DAY),
	    (long long)(TODAY0 + 5 * DAY + 3600), (long long)(NOW - 50 * DAY),
	    (long long)(NOW - 3600));
	sql_exec(sql, s);
	sqlite3_free(s);
	s = sqlite3_mprintf("INSERT INTO revlog (id, card_id, rating, kind, state) "
	    "VALUES (%lld, 201, 3, 1, 2), (%lld, 202, 0, 4, 0), "
	    "(%lld, 205, 1, 1, 3)",
	    (long long)(NOW - 3 * DAY) * 1000, (long long)(NOW - 10 * DAY) * 1000,
	    (long long)(NOW - 600) * 1000);
	sql_exec(sql, s);
	sqlite3_free(s);
	sqlite3_close(sql);
}

/* The card ids q finds, in id order, with Default::Sub in focus. */
static void
run_ids(struct db *db, const char *q, char *out, size_t len)
{
	struct search_result *r;
	struct search *s;
	struct err e;
	size_t used = 0;

	if ((s = search_compile_in(q, NOW, ROLL, "Default::Sub", &e)) == NULL)
		fail_msg("%s: refused: %s", q, e.msg);
	if ((r = search_run(db, s, SEARCH_SORT_CREATED, 0, &e)) == NULL)
		fail_msg("%s: %s", q, e.msg);
	out[0] = '\0';
	/* Created in id order, but for 207 (today): sort the ids. */
	{
		int64_t ids[64];
		size_t n = search_count(r);

		assert_true(n < 64);
		for (size_t i = 0; i < n; i++)
			ids[i] = search_card_id(r, i);
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
				int64_t t = ids[j];

				ids[j] = ids[j - 1];
				ids[j - 1] = t;
			}
		for (size_t i = 0; i < n; i++)
			used += (size_t)snprintf(out + used, len - used, "%s%lld",
			    i > 0 ? " " : "", (long long)ids[i]);
	}
	search_result_free(r);
	search_free(s);
}

/* Whether query appears in a row of the same file before row i. */
static int
seen_before(size_t i, const char *query)
{
	for (size_t j = 0; j < i; j++) {
		if (cases[j].file == NULL || strcmp(cases[j].file,
		    cases[i].file) != 0)
			continue;
		if (strcmp(cases[j].query, query) == 0 || ((cases[j].want ==
		    SAME || cases[j].want == DIFFERENT) && strcmp(cases[j].a,
		    query) == 0))
			return 1;
	}
	return 0;
}

static void
test_anki_cases(void **state)
{
	size_t nparser = 0, nsql = 0, ndiff = 0, nfail = 0;
	char got[1024];
	struct db *db;
	struct err e;

	(void)state;
	make_collection();
	assert_non_null(db = db_open(dbpath, 0, &e));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct anki_case *c = &cases[i];
		char *a = NULL, *b = NULL, *want = NULL;
		struct search *s;

		/* Count each of Anki's queries once, both sides of an
		 * assert_eq! among them. */
		if (c->file != NULL) {
			size_t *count = strcmp(c->file, P) == 0 ? &nparser : &nsql;

			*count += !seen_before(i, c->query);
			if ((c->want == SAME || c->want == DIFFERENT) &&
			    !seen_before(i, c->a) && strcmp(c->a, c->query) != 0)
				*count += 1;
		}
		ndiff += c->diff != NULL;
		switch (c->want) {
		case ACCEPT:
			a = compiled(c->query);
			want = xasprintf("%s | %s", c->a, c->b);
			if (a == NULL || strcmp(a, want) != 0) {
				print_error("%s: got %s\n  want %s\n", c->query,
				    a != NULL ? a : "(refused)", want);
				nfail++;
			}
			break;
		case REJECT:
			memset(&e, 0, sizeof e);
			if ((s = search_compile(c->query, NOW, ROLL, &e)) != NULL) {
				print_error("%s: accepted as %s\n", c->query,
				    search_sql(s));
				search_free(s);
				nfail++;
			} else if (strstr(e.msg, c->a) == NULL || e.col == 0) {
				print_error("%s: message \"%s\" (column %u), want "
				    "\"%s\"\n", c->query, e.msg, e.col, c->a);
				nfail++;
			}
			break;
		case SAME:
		case DIFFERENT:
			a = compiled(c->query);
			b = compiled(c->a);
			if (a == NULL || b == NULL || (strcmp(a, b) == 0) !=
			    (c->want == SAME)) {
				print_error("%s: %s, %s: %s\n", c->query,
				    a != NULL ? a : "(refused)", c->a,
				    b != NULL ? b : "(refused)");
				nfail++;
			}
			break;
		case MATCH:
			run_ids(db, c->query, got, sizeof got);
			if (strcmp(got, c->a) != 0) {
				print_error("%s: found \"%s\", want \"%s\"\n",
				    c->query, got, c->a);
				nfail++;
			}
			break;
		}
		free(a);
		free(b);
		free(want);
	}
	db_close(db);
	print_message("# Anki's queries ported: %zu of parser.rs, %zu of "
	    "sqlwriter.rs; %zu rows mark a deliberate difference\n", nparser,
	    nsql, ndiff);
	assert_int_equal(nfail, 0);
	/* Every query of the two test files (see the README). */
	assert_int_equal(nparser, 154);
	assert_int_equal(nsql, 65);
}

/*
 * Every keyword form of Anki's language: none may compile to a plain
 * word search (its text searched literally, "re:x" looked for as the
 * characters r, e, :, x), and no value bound for it may still hold its
 * keyword. Each keyword also has its own SQL, unlike an unknown
 * field's.
 */
static void
test_no_literal_keywords(void **state)
{
	static const char *const forms[] = {
		"re:x", "nc:x", "w:x", "sc:x", "front:re:x", "front:nc:x",
		"*:re:x", "*:nc:x", "tag:re:x", "tag:nc:x", "tag:x", "tag:*",
		"tag:none", "deck:x", "deck:current", "deck:filtered", "deck:*",
		"note:x", "card:1", "card:0", "card:x", "flag:1", "is:new",
		"prop:ivl>1", "prop:due=1", "prop:ease>2", "prop:rated>-1",
		"prop:resched>-1", "prop:cdn:k>1", "prop:cds:k=v", "prop:d>0.5",
		"prop:s>1", "prop:r>0.5", "prop:pos>1", "prop:reps>1",
		"prop:lapses>1", "added:1", "edited:1", "introduced:1",
		"rated:1", "rated:1:3", "resched:1", "nid:1", "cid:1", "did:1",
		"mid:1", "dupe:0,x", "preset:x", "has-cd:x", "front:x",
		"Front:x", "RE:x", "W:x", "Deck:x",
	};
	char *c;

	(void)state;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct search *s;
		struct err e;

		if ((s = search_compile(forms[i], NOW, ROLL, &e)) == NULL)
			fail_msg("%s: refused: %s", forms[i], e.msg);
		if (strstr(search_sql(s), "lemma_text(") != NULL)
			fail_msg("%s: searched as a word: %s", forms[i],
			    search_sql(s));
		size_t key = strcspn(forms[i], ":");

		for (size_t k = 0; k < search_param_count(s); k++) {
			const struct search_param *p = search_param_get(s, k);

			if (p->type != SEARCH_PARAM_TEXT)
				continue;
			if ((strncasecmp(p->text, forms[i], key) == 0 &&
			    p->text[key] == ':') || strncmp(p->text, "re:", 3) ==
			    0 || strncmp(p->text, "nc:", 3) == 0)
				fail_msg("%s: value '%s' holds the keyword",
				    forms[i], p->text);
		}
		search_free(s);
	}
	/* The same text as a quoted word stays a word. */
	assert_non_null(c = compiled("\"re\\:x\""));
	assert_string_equal(c, TEXT " | 're:x'");
	free(c);
}

/*
 * FIELD:TEXT by the field names of the user's own note types, as Anki's
 * sqlwriter: the fields whose names match, at their position in each
 * type. Vocab (five fields) has Meaning second; Pairs has it first.
 *   10 Vocab "cása" / "house" / "la casa es grande"; card 301
 *   11 Vocab "house" / "a building"; card 302
 *   12 Pairs "big house" / "x"; card 303
 *   13 Vocab "perro" / "dog", stored with two fields only; card 304
 */
static const struct {
	const char	*query;
	const char	*ids;
} user_field_cases[] = {
	{ "Meaning:*house*",			"301 303" },
	{ "meaning:house",			"301" },
	{ "\"Example sentence:*grande*\"",	"301" },
	{ "\"example sentence:re:es\\s+gr\"",	"301" },
	{ "Meaning:re:^a build",		"302" },
	{ "Word:nc:casa",			"301" },
	{ "Word:casa",				"" },
	/* An empty field, and a field the note does not store: empty. */
	{ "Reading:",				"301 302 304" },
	{ "Reading:_*",				"" },
	{ "M*:*house*",				"301 303" },
	{ "*:house",				"301 302" },
	{ "Nope:house",				"" },
	{ "Meaning:*house* note:pairs",		"303" },
};

static void
test_user_fields(void **state)
{
	char got[256];
	struct db *db;
	struct err e;
	sqlite3 *sql;

	(void)state;
	if (tmpdir[0] == '\0')
		make_collection();
	assert_int_equal(sqlite3_open(dbpath, &sql), SQLITE_OK);
	sql_exec(sql, "INSERT INTO notetypes (id, name, kind) VALUES "
	    "(5, 'Vocab', 0), (6, 'Pairs', 0);"
	    "INSERT INTO nt_fields (notetype, ord, name) VALUES "
	    "(5, 0, 'Word'), (5, 1, 'Meaning'), (5, 2, 'Example sentence'), "
	    "(5, 3, 'Reading'), (5, 4, 'Notes'), (6, 0, 'Meaning'), "
	    "(6, 1, 'Other');"
	    "INSERT INTO nt_templates (notetype, ord, name, qfmt, afmt) VALUES "
	    "(5, 0, 'Card 1', '{{Word}}', '{{Meaning}}'), "
	    "(6, 0, 'Card 1', '{{Meaning}}', '{{Other}}');"
	    "INSERT INTO notes (id, guid, notetype, deck_id, fields, "
	    "sort_field, tags, created, modified) VALUES "
	    "(10, 'g10', 5, 1, 'cása' || char(31) || 'house' || char(31) || "
	    "'la casa es grande' || char(31) || '' || char(31) || '', 'cása', "
	    "'', 0, 0), "
	    "(11, 'g11', 5, 1, 'house' || char(31) || 'a building' || char(31) "
	    "|| '' || char(31) || '' || char(31) || '', 'house', '', 0, 0), "
	    "(12, 'g12', 6, 1, 'big house' || char(31) || 'x', 'big house', '', "
	    "0, 0), "
	    "(13, 'g13', 5, 1, 'perro' || char(31) || 'dog', 'perro', '', 0, 0);"
	    "INSERT INTO cards (id, note_id, ord, deck_id, state, due, "
	    "suspended, buried_until, flag, created, modified) VALUES "
	    "(301, 10, 0, 1, 0, 0, 0, 0, 0, 0, 0), "
	    "(302, 11, 0, 1, 0, 0, 0, 0, 0, 0, 0), "
	    "(303, 12, 0, 1, 0, 0, 0, 0, 0, 0, 0), "
	    "(304, 13, 0, 1, 0, 0, 0, 0, 0, 0, 0)");
	sqlite3_close(sql);
	assert_non_null(db = db_open(dbpath, 0, &e));
	for (size_t i = 0; i < sizeof user_field_cases /
	    sizeof user_field_cases[0]; i++) {
		run_ids(db, user_field_cases[i].query, got, sizeof got);
		if (strcmp(got, user_field_cases[i].ids) != 0)
			fail_msg("%s: found \"%s\", want \"%s\"",
			    user_field_cases[i].query, got,
			    user_field_cases[i].ids);
	}
	db_close(db);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anki_cases),
		cmocka_unit_test(test_no_literal_keywords),
		cmocka_unit_test(test_user_fields),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
