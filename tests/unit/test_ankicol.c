/*
 * test_ankicol.c - the Anki collection file: the sample written with the
 * writer at schema 18 and 11 and read back row for row, with
 * integrity_check; the encodings Anki's source fixes (\x1f in schema 18
 * deck names, sfld, csum, usn, ver, the config rows); and the bad input
 * the reader must name: a note whose field count is not its type's, a
 * note type that is missing, an unknown schema version, a file that is
 * not a collection.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ankicol-sample.h"
#include "lemma/base/paths.h"
#include "lemma/base/sha1.h"
#include "lemma/base/xmalloc.h"

static char *
temp_path(const char *tag)
{
	static unsigned n;

	return xasprintf("%s/test_ankicol.%ld.%u.%s", paths_tmpdir(),
	    (long)getpid(), n++, tag);
}

/* Anki's unicase collation, enough for the tests' own queries on tables
 * that name it (SQLite needs it to prepare any statement on them). */
static int
bytes_cmp(void *arg, int n1, const void *a, int n2, const void *b)
{
	int c = memcmp(a, b, (size_t)(n1 < n2 ? n1 : n2));

	(void)arg;
	return c != 0 ? c : n1 - n2;
}

static sqlite3 *
open_db(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_create_collation(db, "unicase", SQLITE_UTF8, NULL, bytes_cmp);
	return db;
}

static void
sql(const char *path, const char *stmt)
{
	sqlite3 *db;
	char *msg = NULL;

	db = open_db(path);
	if (sqlite3_exec(db, stmt, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", stmt, msg);
	sqlite3_close(db);
}

/* The first column of the first row of stmt, as text. */
static char *
sql_text(const char *path, const char *stmt)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *out;

	db = open_db(path);
	if (sqlite3_prepare_v2(db, stmt, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", stmt, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void
expect_text(const char *path, const char *stmt, const char *want)
{
	char *got = sql_text(path, stmt);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", stmt, got, want);
	free(got);
}

static void
test_ankicol_roundtrip(void **state)
{
	static const int schemas[] = { 18, 11 };
	struct err e;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *path = temp_path("anki2");
		struct ankicol *c;

		err_clear(&e);
		if (sample_write(path, schemas[i], &e) < 0)
			fail_msg("%s", e.msg);
		c = ankicol_open(path, "sample", &e);
		assert_non_null(c);
		assert_int_equal(ankicol_schema(c), schemas[i]);
		sample_check_open(c);
		ankicol_close(c);
		unlink(path);
		free(path);
	}
}

/* What Anki's source fixes about the rows. */
static void
test_ankicol_encodings(void **state)
{
	char *path = temp_path("anki2"), *want;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(sample_write(path, 18, &e), 0);
	expect_text(path, "SELECT ver FROM col", "18");
	expect_text(path, "SELECT models || decks || dconf || conf FROM col", "");
	expect_text(path, "SELECT hex(name) FROM decks WHERE id = 1700000000300",
	    "4C616E6775616765731F4672656E6368");	/* Languages\x1fFrench */
	expect_text(path, "SELECT sfld FROM notes WHERE id = 1700000001000",
	    "chat");
	/* sha1("chat") = 7ecde348...: csum is its first 32 bits. */
	want = xasprintf("%lld", 0x7ecde348LL);
	expect_text(path, "SELECT csum FROM notes WHERE id = 1700000001000",
	    want);
	free(want);
	expect_text(path, "SELECT group_concat(DISTINCT usn) FROM "
	    "(SELECT usn FROM notes UNION ALL SELECT usn FROM cards UNION ALL "
	    "SELECT usn FROM revlog)", "-1");
	expect_text(path, "SELECT val FROM config WHERE KEY = 'curModel'",
	    "1700000000100");
	expect_text(path, "SELECT group_concat(tag, ' ') FROM "
	    "(SELECT tag FROM tags ORDER BY tag COLLATE BINARY)", "french geo noun");
	expect_text(path, "SELECT data FROM cards WHERE id = 1700000001001",
	    "{\"s\":12.5,\"d\":5.25,\"dr\":0.85,\"decay\":0.1542,"
	    "\"lrt\":1735000000}");
	expect_text(path, "SELECT data FROM cards WHERE id = 1700000002001",
	    "{\"pos\":7}");
	expect_text(path, "SELECT data FROM cards WHERE id = 1700000003001", "");
	expect_text(path, "PRAGMA journal_mode", "delete");
	unlink(path);
	free(path);

	path = temp_path("anki2");
	assert_int_equal(sample_write(path, 11, &e), 0);
	expect_text(path, "SELECT ver FROM col", "11");
	expect_text(path, "SELECT json_extract(decks, '$.1700000000300.name') "
	    "FROM col", "Languages::French");
	expect_text(path, "SELECT json_extract(conf, '$.schedVer') FROM col",
	    "2");
	expect_text(path, "SELECT json_extract(tags, '$.french') FROM col", "-1");
	expect_text(path, "SELECT json_extract(models, "
	    "'$.1700000000100.req[1]') FROM col", "[1,\"any\",[0,1]]");
	unlink(path);
	free(path);

	assert_int_equal(ankicol_field_checksum("abc"), 0xa9993e36LL);
	assert_int_equal(ankicol_field_checksum("<b>abc</b>"), 0xa9993e36LL);
}

/* sfld is the sort field and csum the first field, each stripped as
 * Anki's strip_html_preserving_media_filenames strips: media tags keep
 * their file name, comments, style and script go with their contents,
 * references are decoded (a no-break space becomes a space). */
static void
test_ankicol_sort_and_checksum(void **state)
{
	static const struct {
		const char	*first, *sort;
		const char	*first_text, *sort_text;
	} cases[] = {
		{ "<b>first</b>", "second &amp; more", "first", "second & more" },
		{ "<img src=\"cat.jpg\">", "x<br>y", " cat.jpg ", "xy" },
		{ "a<!-- c -->b<style>p{}</style>c", "&nbsp;z", "abc", " z" },
		{ "<script>alert(1)</script>ok", "<audio src='s.mp3'></audio>",
		  "ok", " s.mp3 " },
		{ "<IMG class=x SRC=dog.png>", "&lt;b&gt;", " dog.png ", "<b>" },
		{ "caf\xc3\xa9 <i>au lait</i>", "42", "caf\xc3\xa9 au lait", "42" },
	};
	static char *names[] = { (char *)"First", (char *)"Sort" };
	static struct notetype_template t = { (char *)"Card 1", (char *)"{{First}}",
	    (char *)"{{Sort}}" };
	struct notetype nt = { .id = 7, .name = (char *)"Sort second",
	    .sort_field = 1, .css = (char *)"", .nfields = 2, .fields = names,
	    .ntemplates = 1, .templates = &t };
	char *path = temp_path("anki2");
	struct ankicol_writer *w;
	struct err e;

	(void)state;
	err_clear(&e);
	w = ankicol_writer_create(path, 18, SAMPLE_NOW, &e);
	assert_non_null(w);
	assert_int_equal(ankicol_add_notetype(w, &nt, &e), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *f[2] = { (char *)cases[i].first, (char *)cases[i].sort };
		struct anki_note n = { .id = 100 + (int64_t)i, .guid = (char *)"g",
		    .mid = 7, .tags = (char *)"", .nfields = 2, .fields = f };

		assert_int_equal(ankicol_add_note(w, &n, &e), 0);
	}
	assert_int_equal(ankicol_writer_finish(w, &e), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t d[SHA1_LEN];
		char *q, *want;

		sha1_digest(cases[i].first_text, strlen(cases[i].first_text), d);
		want = xasprintf("%lld", (long long)((uint32_t)d[0] << 24 |
		    (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3]));
		q = xasprintf("SELECT csum FROM notes WHERE id = %zu", 100 + i);
		expect_text(path, q, want);
		free(q);
		q = xasprintf("SELECT sfld FROM notes WHERE id = %zu", 100 + i);
		expect_text(path, q, cases[i].sort_text);
		free(q);
		free(want);
		assert_int_equal(ankicol_field_checksum(cases[i].first),
		    (int64_t)((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		    (uint32_t)d[2] << 8 | d[3]));
	}
	/* A numeric sort field is stored as a number, as Anki's column
	 * affinity makes it, so it sorts numerically. */
	expect_text(path, "SELECT typeof(sfld) FROM notes WHERE id = 105",
	    "integer");
	unlink(path);
	free(path);
}

struct stop {
	int	notes;
};

static int
count_note(void *arg, const struct anki_note *n, struct err *e)
{
	(void)n;
	(void)e;
	((struct stop *)arg)->notes++;
	return 0;
}

/* Bad collections: each a clear error that names the label and the row. */
static void
test_ankicol_bad(void **state)
{
	static const struct {
		int		 schema;
		const char	*damage;
		int		 at_open;	/* else at reading notes */
		const char	*want;
	} cases[] = {
		{ 18, "UPDATE notes SET flds = 'only one' WHERE id = 1700000002000",
		  0, "pkg: note 1700000002000 has 1 fields, its note type "
		  "\"Vocab (5 fields)\" has 5" },
		{ 11, "UPDATE notes SET flds = flds || char(31) || 'x' WHERE id = "
		  "1700000003000", 0, "note 1700000003000 has 3 fields" },
		{ 18, "UPDATE notes SET mid = 42 WHERE id = 1700000001000", 0,
		  "note 1700000001000: its note type 42 is not in the collection" },
		{ 18, "UPDATE col SET ver = 19", 1,
		  "pkg: collection schema 19 is not supported (11 and 15 to 18 are)" },
		{ 11, "UPDATE col SET ver = 14", 1, "collection schema 14" },
		{ 18, "DROP TABLE col", 1, "pkg: not an Anki collection" },
		{ 11, "UPDATE col SET models = '{\"1\": {\"name\": \"x\"}}'", 0,
		  "note type 1 has no fields" },
	};
	struct err e;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = temp_path("anki2");
		struct ankicol *c;
		struct stop s = { 0 };
		char msg[1200];

		err_clear(&e);
		assert_int_equal(sample_write(path, cases[i].schema, &e), 0);
		sql(path, cases[i].damage);
		c = ankicol_open(path, "pkg", &e);
		if (cases[i].at_open)
			assert_null(c);
		else {
			assert_non_null(c);
			assert_int_equal(ankicol_each_note(c, count_note, &s,
			    &e), -1);
			ankicol_close(c);
		}
		err_format(&e, msg, sizeof msg);
		if (strstr(msg, cases[i].want) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, msg,
			    cases[i].want);
		unlink(path);
		free(path);
	}
}

/* A file that is not SQLite, and one that is missing. */
static void
test_ankicol_not_a_collection(void **state)
{
	char *path = temp_path("txt");
	FILE *f = fopen(path, "w");
	struct err e;

	(void)state;
	assert_non_null(f);
	fputs("this is not a database, just some text long enough\n", f);
	fclose(f);
	err_clear(&e);
	assert_null(ankicol_open(path, "x.apkg: collection.anki21", &e));
	assert_non_null(strstr(e.path, "x.apkg: collection.anki21"));
	unlink(path);
	assert_null(ankicol_open(path, "gone", &e));
	free(path);
}

/* The writer refuses what would make a collection Anki cannot read. */
static void
test_ankicol_writer_refuses(void **state)
{
	char *path = temp_path("anki2");
	struct ankicol_writer *w;
	struct anki_note bad = sample_notes[0];
	struct err e;

	(void)state;
	err_clear(&e);
	w = ankicol_writer_create(path, 18, SAMPLE_NOW, &e);
	assert_non_null(w);
	/* an existing file is never written over */
	assert_null(ankicol_writer_create(path, 18, SAMPLE_NOW, &e));
	assert_non_null(strstr(e.msg, "cannot create"));
	assert_null(ankicol_writer_create("/nonexistent/x", 16, SAMPLE_NOW, &e));
	assert_non_null(strstr(e.msg, "schema 16"));
	assert_int_equal(ankicol_add_note(w, &bad, &e), -1);
	assert_non_null(strstr(e.msg, "was not added"));
	assert_int_equal(ankicol_add_notetype(w, &sample_notetypes[0], &e), 0);
	bad.nfields = 4;
	assert_int_equal(ankicol_add_note(w, &bad, &e), -1);
	assert_non_null(strstr(e.msg, "has 4 fields, its note type has 5"));
	ankicol_writer_abort(w);
	assert_int_equal(access(path, F_OK), -1);	/* removed */
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ankicol_roundtrip),
		cmocka_unit_test(test_ankicol_encodings),
		cmocka_unit_test(test_ankicol_sort_and_checksum),
		cmocka_unit_test(test_ankicol_bad),
		cmocka_unit_test(test_ankicol_not_a_collection),
		cmocka_unit_test(test_ankicol_writer_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
