/*
 * test_export.c - notes out as Anki text and Markdown, and the round trip:
 * export, import into a fresh progress file, compare every field.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/export.h"
#include "lemma/formats/import.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db.h"
#include "../test-pty.h"
#include "fresh-db.h"

#define NOW	1735722000
#define SEED_DECK "Tokens to Embodied Minds \xc2\xb7 Ch 02"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-export-XXXXXX",
	    paths_tmpdir());
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
tmp(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static char *
data(const char *rel)
{
	return xasprintf("%s/tests/data/decks/%s", LEMMA_SRCDIR, rel);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	size_t len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	len = fread(buf, 1, (size_t)n, f);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static struct db *
open_db(const char *path)
{
	struct err e;
	struct db *db = fresh_db_open(path, &e);

	if (db == NULL)
		print_error("%s: %s\n", e.path, e.msg);
	assert_non_null(db);
	return db;
}

static void
import_list(struct db *db, const char *deck, const char *const *paths,
    size_t n, struct import_totals *t)
{
	struct import_opts o;
	struct err e;

	memset(&o, 0, sizeof o);
	o.deck = deck;
	if (import_paths(db, paths, n, &o, NOW, t, &e) != 0) {
		print_error("import: %s:%u:%u: %s\n", e.path, e.line, e.col,
		    e.msg);
		fail();
	}
}

static void
export_to(struct db *db, const char *deck, enum export_format f,
    const char *path)
{
	FILE *out = fopen(path, "w");
	struct err e;

	assert_non_null(out);
	if (export_deck(db, deck, f, out, &e) != 0) {
		print_error("export: %s\n", e.msg);
		fail();
	}
	fclose(out);
}

static char *
dump(const char *dbpath, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	struct buf b;

	assert_int_equal(sqlite3_open_v2(dbpath, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	buf_init(&b);
	buf_add(&b, "", 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			if (i > 0)
				buf_addc(&b, '|');
			buf_adds(&b, v != NULL ? (const char *)v : "NULL");
		}
		buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return buf_steal(&b);
}

static void
exec_sql(const char *dbpath, const char *sql)
{
	sqlite3 *s;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(dbpath, &s), SQLITE_OK);
	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("%s: %s\n", sql, msg);
		fail();
	}
	sqlite3_close(s);
}

/* Everything a round trip must keep, one line per note. */
static const char notes_sql[] =
    "SELECT n.guid, n.notetype, d.name, hex(n.fields), n.tags, n.is_html, "
    "n.sort_field, (SELECT group_concat(ord) FROM (SELECT ord FROM cards c "
    "WHERE c.note_id = n.id ORDER BY ord)) FROM notes n JOIN decks d ON "
    "d.id = n.deck_id ORDER BY n.guid";

static void
assert_same_notes(const char *db1, const char *db2)
{
	char *a = dump(db1, notes_sql), *b = dump(db2, notes_sql);

	if (strcmp(a, b) != 0) {
		print_error("notes differ:\n%s\n---\n%s\n", a, b);
		fail();
	}
	free(a);
	free(b);
}

/* ---- round trips ----------------------------------------------------------------- */

static void
test_round_trip_seed(void **state)
{
	char *db1 = tmp("rt1.db"), *db2 = tmp("rt2.db"), *out = tmp("seed.txt");
	char *a = data("seed/000_6aecd75b5320bf2a.txt");
	char *b = data("seed/001_e48d0a43f8b5889a.txt"), *text;
	const char *paths[2] = { a, b };
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(db1);
	import_list(db, SEED_DECK, paths, 2, &t);
	export_to(db, SEED_DECK, EXPORT_ANKI, out);
	db_close(db);

	text = slurp(out);
	assert_true(strncmp(text, "#separator:tab\n#html:false\n"
	    "#guid column:1\n#notetype column:2\n#deck column:3\n"
	    "#tags column:6\n", 91) == 0);
	free(text);

	db = open_db(db2);
	paths[0] = out;
	import_list(db, NULL, paths, 1, &t);
	assert_int_equal(t.added, 10);
	db_close(db);
	assert_same_notes(db1, db2);

	/* And the export read back into the file it came from: unchanged. */
	db = open_db(db1);
	import_list(db, NULL, paths, 1, &t);
	assert_int_equal(t.unchanged, 10);
	assert_int_equal(t.added + t.updated + t.skipped, 0);
	db_close(db);
	free(db1);
	free(db2);
	free(out);
	free(a);
	free(b);
}

/* Every kind of note and awkward text: decks, types, tags, GUIDs, HTML and
 * plain text in one file, tabs, quotes, line breaks, '#' at a row's start. */
static void
test_round_trip_corpus(void **state)
{
	char *db1 = tmp("c1.db"), *db2 = tmp("c2.db"), *out = tmp("all.txt");
	char *f[6] = { data("headers/all-headers.txt"), data("headers/columns.tsv"),
	    data("quoting/quoting.csv"), data("cloze/cloze.txt"), data("types"),
	    data("tree") };
	const char *awkward[] = { "tab\there \"quoted\" and\nnewline\r\nCRLF",
	    "#hash first", "extra <b>not html</b> & more" };
	const char *paths[1];
	struct import_totals t;
	struct db *db;
	struct err e;
	int64_t deck;

	(void)state;
	db = open_db(db1);
	import_list(db, NULL, (const char *const *)f, 6, &t);
	assert_true((deck = db_deck_ensure(db, "Awk::Ward", NOW, &e)) > 0);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, awkward, 3, "y x y", 0,
	    NOW, &e) > 0);
	{
		/* One field, and empty extras: stored as import would. */
		const char *one[] = { "only front" };
		const char *trail[] = { "f", "b", "", "" };
		assert_true(db_note_add(db, deck, DB_NOTE_BASIC, one, 1, "", 0,
		    NOW, &e) > 0);
		assert_true(db_note_add(db, deck, DB_NOTE_BASIC, trail, 4, "", 0,
		    NOW, &e) > 0);
	}
	db_close(db);
	/* A GUID that starts with '#' must not turn its row into a comment. */
	exec_sql(db1, "UPDATE notes SET guid = '#starts' WHERE id = 1");

	db = open_db(db1);
	export_to(db, NULL, EXPORT_ANKI, out);
	db_close(db);
	{
		char *text = slurp(out);
		assert_non_null(strstr(text, "#html:true\n"));
		assert_non_null(strstr(text, "\n\"#starts\"\t"));
		assert_non_null(strstr(text, "#lemma:plain\n"));
		free(text);
	}
	db = open_db(db2);
	paths[0] = out;
	import_list(db, NULL, paths, 1, &t);
	assert_int_equal(t.skipped, 0);
	db_close(db);
	assert_same_notes(db1, db2);
	for (int i = 0; i < 6; i++)
		free(f[i]);
	free(db1);
	free(db2);
	free(out);
}

/* ---- the exact text ------------------------------------------------------------------ */

static void
test_anki_text(void **state)
{
	char *dbp = tmp("exact.db"), *out = tmp("exact.txt"), *text;
	const char *n1[] = { "front", "back" };
	const char *n2[] = { "{{c1::x}}", "line\nbreak \"q\"" };
	const char *n3[] = { "C#", "a # b", "extra" };
	struct db *db;
	struct err e;
	int64_t deck;

	(void)state;
	db = open_db(dbp);
	deck = db_deck_ensure(db, "Ex::Sub", NOW, &e);
	assert_true(db_note_add(db, deck, DB_NOTE_REVERSED, n1, 2, "b a", 0,
	    NOW, &e) > 0);
	assert_true(db_note_add(db, deck, DB_NOTE_CLOZE, n2, 2, "", 0, NOW, &e)
	    > 0);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, n3, 3, "t", 0, NOW, &e)
	    > 0);
	db_close(db);
	exec_sql(dbp, "UPDATE notes SET guid = 'G' || id");
	db = open_db(dbp);
	export_to(db, "Ex", EXPORT_ANKI, out);
	db_close(db);
	text = slurp(out);
	assert_string_equal(text,
	    "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
	    "#deck column:3\n#tags column:7\n"
	    "G1\tBasic (and reversed card)\tEx::Sub\tfront\tback\t\ta b\n"
	    "G2\tCloze\tEx::Sub\t{{c1::x}}\t\"line\nbreak \"\"q\"\"\"\t\t\n"
	    "G3\tBasic\tEx::Sub\t\"C#\"\t\"a # b\"\textra\tt\n");
	free(text);
	free(dbp);
	free(out);
}

static void
test_markdown(void **state)
{
	char *dbp = tmp("md.db"), *out = tmp("md.md"), *db2 = tmp("md2.db");
	char *seed = data("seed/000_6aecd75b5320bf2a.txt"), *text, *a, *b;
	const char *n1[] = { "a|b", "<b>bold</b><br>next", "x" };
	const char *paths[1];
	struct import_totals t;
	struct db *db;
	struct err e;
	int64_t deck;

	(void)state;
	db = open_db(dbp);
	deck = db_deck_ensure(db, "Small", NOW, &e);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, n1, 3, "t", 1, NOW, &e)
	    > 0);
	export_to(db, "Small", EXPORT_MARKDOWN, out);
	text = slurp(out);
	assert_string_equal(text, "deck = Small\n\n"
	    "| Front | Back | Extra 1 | Tags |\n|---|---|---|---|\n"
	    "| a\\|b | bold<br>next | x | t |\n");
	free(text);

	/* The seed deck as Markdown reads back to the same fields. */
	paths[0] = seed;
	import_list(db, NULL, paths, 1, &t);
	export_to(db, SEED_DECK, EXPORT_MARKDOWN, out);
	db_close(db);
	db = open_db(db2);
	paths[0] = out;
	import_list(db, NULL, paths, 1, &t);
	assert_int_equal(t.added, 10);
	db_close(db);
	a = dump(dbp, "SELECT fields, sort_field FROM notes n JOIN decks d ON "
	    "d.id = n.deck_id WHERE d.name = '" SEED_DECK "' ORDER BY n.id");
	b = dump(db2, "SELECT fields, sort_field FROM notes ORDER BY id");
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(dbp);
	free(db2);
	free(out);
	free(seed);
}

/*
 * Line breaks survive a Markdown round trip (issue 18), in plain notes
 * too: a table cell can only write one as <br>, which makes the note HTML
 * when read back, so the rest of a plain note must then read back as the
 * same text (1 < 2 &amp; 3 stays that, <b> stays two characters).
 */
static void
test_markdown_line_breaks(void **state)
{
	char *dbp = tmp("mdbr.db"), *out = tmp("mdbr.md"), *db2 = tmp("mdbr2.db");
	char *t1 = tmp("mdbr1.txt"), *t2 = tmp("mdbr2.txt"), *a, *b;
	const char *plain[] = { "1 < 2 &amp; 3\nnext line", "tag <b>x</b>" };
	const char *plain2[] = { "two\nlines", "back" };
	const char *html[] = { "a<br>b", "c &lt; d" };
	const char *paths[1];
	struct import_totals t;
	struct db *db;
	struct err e;
	int64_t deck;

	(void)state;
	db = open_db(dbp);
	deck = db_deck_ensure(db, "Breaks", NOW, &e);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, plain, 2, "", 0, NOW,
	    &e) > 0);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, plain2, 2, "", 0, NOW,
	    &e) > 0);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, html, 2, "", 1, NOW,
	    &e) > 0);
	export_to(db, "Breaks", EXPORT_MARKDOWN, out);
	export_to(db, "Breaks", EXPORT_TEXT, t1);
	db_close(db);
	db = open_db(db2);
	paths[0] = out;
	import_list(db, NULL, paths, 1, &t);
	assert_int_equal(t.added, 3);
	export_to(db, "Breaks", EXPORT_TEXT, t2);
	db_close(db);
	a = slurp(t1);
	b = slurp(t2);
	assert_non_null(strstr(a, "1 < 2 &amp; 3\n"));
	assert_non_null(strstr(a, "tag <b>x</b>"));
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(dbp);
	free(db2);
	free(out);
	free(t1);
	free(t2);
}

/* A deck and its sub-decks, not its look-alikes; an unknown deck. */
static void
test_deck_filter(void **state)
{
	char *dbp = tmp("filter.db"), *out = tmp("filter.txt"), *text;
	const char *n[] = { "q", "a" };
	const char *names[] = { "Lang", "Lang::Es", "Language", "Other" };
	struct db *db;
	struct err e;
	FILE *f;

	(void)state;
	db = open_db(dbp);
	for (int i = 0; i < 4; i++) {
		int64_t deck = db_deck_ensure(db, names[i], NOW, &e);
		assert_true(db_note_add(db, deck, DB_NOTE_BASIC, n, 2, "", 0, NOW,
		    &e) > 0);
	}
	export_to(db, "Lang", EXPORT_ANKI, out);
	text = slurp(out);
	assert_non_null(strstr(text, "\tLang\t"));
	assert_non_null(strstr(text, "\tLang::Es\t"));
	assert_null(strstr(text, "Language"));
	assert_null(strstr(text, "Other"));
	free(text);
	f = fopen(out, "w");
	assert_int_equal(export_deck(db, "Nope", EXPORT_ANKI, f, &e), -1);
	assert_string_equal(e.msg, "no deck named 'Nope'");
	fclose(f);
	db_close(db);
	free(dbp);
	free(out);
}

/* Card text never reaches a terminal raw: on a tty, control characters
 * other than tab and newline come out as U+FFFD. To a file they are kept,
 * so the round trip holds. */
static void
test_tty(void **state)
{
	char *dbp = tmp("tty.db"), *out = tmp("tty.txt"), *text, got[4096];
	const char *n[] = { "red \x1b[31mtext\x1b]0;title\x07", "c1 \xc2\x9b" };
	struct termios raw;
	struct db *db;
	struct err e;
	int64_t deck;
	int master, slave;
	size_t len = 0;
	FILE *f;

	(void)state;
	db = open_db(dbp);
	deck = db_deck_ensure(db, "Tty", NOW, &e);
	assert_true(db_note_add(db, deck, DB_NOTE_BASIC, n, 2, "", 0, NOW, &e)
	    > 0);
	export_to(db, NULL, EXPORT_ANKI, out);
	text = slurp(out);
	assert_non_null(strstr(text, "red \x1b[31mtext\x1b]0;title\x07"));
	free(text);

	assert_int_equal(test_openpty(&master, &slave, NULL), 0);
	/* Start from the pty's own settings: cfmakeraw changes only some
	 * fields, and the rest must not be uninitialised (valgrind). */
	assert_int_equal(tcgetattr(slave, &raw), 0);
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	f = fdopen(slave, "w");
	assert_non_null(f);
	assert_int_equal(export_deck(db, NULL, EXPORT_MARKDOWN, f, &e), 0);
	fclose(f);
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		ssize_t r;
		if (poll(&p, 1, 200) <= 0 || len + 1 >= sizeof got)
			break;
		if ((r = read(master, got + len, sizeof got - 1 - len)) <= 0)
			break;
		len += (size_t)r;
	}
	got[len] = '\0';
	close(master);
	db_close(db);
	/* termsafe's stand-ins: the control pictures for C0 (ESC is U+241B,
	 * BEL U+2407), U+FFFD for C1. */
	assert_non_null(strstr(got, "| red \xe2\x90\x9b[31mtext\xe2\x90\x9b]0;"
	    "title\xe2\x90\x87 | c1 \xef\xbf\xbd |"));
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)got[i] >= 0x20 || got[i] == '\n' ||
		    got[i] == '\r' || got[i] == '\t');
	free(dbp);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_seed),
		cmocka_unit_test(test_round_trip_corpus),
		cmocka_unit_test(test_anki_text),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_markdown_line_breaks),
		cmocka_unit_test(test_deck_filter),
		cmocka_unit_test(test_tty),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
