/*
 * test_import.c - deck files into a progress file: the seed deck, decks
 * from headers and directories, matching and idempotence, cards and their
 * scheduling, skipped rows, and errors that leave the file as it was.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/import.h"
#include "lemma/sched/study.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db.h"
#include "fresh-db.h"

#define NOW	1735722000	/* 2025-01-01T09:00:00Z */
#define SEED_DECK "Tokens to Embodied Minds \xc2\xb7 Ch 02"

static char tmpdir[256];
static struct buf reports;

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-import-XXXXXX",
	    paths_tmpdir());
	buf_init(&reports);
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	buf_free(&reports);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- helpers ---------------------------------------------------------------- */

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

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
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
collect_report(void *arg, const char *line)
{
	(void)arg;
	buf_adds(&reports, line);
	buf_addc(&reports, '\n');
}

/* Import paths (NULL-terminated) into db; returns import_paths' result. */
static int
import_opt(struct db *db, const char *deck, int dry, struct import_totals *t,
    struct err *e, ...)
{
	const char *paths[16];
	size_t n = 0;
	struct import_opts o;
	va_list ap;

	va_start(ap, e);
	while ((paths[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	memset(&o, 0, sizeof o);
	o.deck = deck;
	o.dry_run = dry;
	o.report = collect_report;
	buf_reset(&reports);
	buf_add(&reports, "", 0);
	err_clear(e);
	return import_paths(db, paths, n, &o, NOW, t, e);
}

#define IMPORT_OK(db, deck, t, ...) do {				\
	struct err e_;							\
	if (import_opt(db, deck, 0, t, &e_, __VA_ARGS__, (char *)NULL)	\
	    != 0) {							\
		print_error("import failed: %s:%u:%u: %s\n", e_.path,	\
		    e_.line, e_.col, e_.msg);				\
		fail();							\
	}								\
} while (0)

/* Rows of a query as "a|b\n" lines, read through a second connection. */
static char *
dump(const char *dbpath, const char *sql)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	struct buf b;

	assert_int_equal(sqlite3_open_v2(dbpath, &s, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK) {
		print_error("%s: %s\n", sql, sqlite3_errmsg(s));
		fail();
	}
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

static long
count(const char *dbpath, const char *sql)
{
	char *s = dump(dbpath, sql);
	long n = atol(s);

	free(s);
	return n;
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

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL) {
		print_error("'%s'\nnot found in\n'%s'\n", needle, hay);
		fail();
	}
}

static void
assert_totals(const struct import_totals *t, long a, long u, long n, long s)
{
	if (t->added != a || t->updated != u || t->unchanged != n ||
	    t->skipped != s) {
		print_error("totals %ld added, %ld updated, %ld unchanged, %ld "
		    "skipped; want %ld %ld %ld %ld\n%s", t->added, t->updated,
		    t->unchanged, t->skipped, a, u, n, s, reports.data);
		fail();
	}
}

/* ---- the seed deck ------------------------------------------------------------ */

static void
test_seed_one_deck(void **state)
{
	char *dbp = tmp("seed.db"), *a = data("seed/000_6aecd75b5320bf2a.txt");
	char *b = data("seed/001_e48d0a43f8b5889a.txt"), *before, *after;
	struct import_totals t;
	struct db *db;
	size_t l1, l2;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, SEED_DECK, &t, a, b);
	assert_totals(&t, 10, 0, 10, 0);
	assert_contains(reports.data, "000_6aecd75b5320bf2a.txt: 10 added, "
	    "0 updated, 0 unchanged, 0 skipped\n");
	assert_contains(reports.data, "001_e48d0a43f8b5889a.txt: 0 added, "
	    "0 updated, 10 unchanged, 0 skipped\n");
	db_close(db);
	assert_int_equal(count(dbp, "SELECT count(*) FROM notes"), 10);
	assert_int_equal(count(dbp, "SELECT count(*) FROM cards"), 10);
	assert_int_equal(count(dbp, "SELECT count(DISTINCT deck_id) FROM notes"),
	    1);
	{
		char *d = dump(dbp, "SELECT DISTINCT d.name FROM notes n JOIN "
		    "decks d ON d.id = n.deck_id");
		assert_string_equal(d, SEED_DECK "\n");
		free(d);
	}
	/* New cards in file order, one position per note. */
	{
		char *d = dump(dbp, "SELECT group_concat(position, ',') FROM "
		    "(SELECT position FROM cards ORDER BY id)");
		assert_string_equal(d, "1,2,3,4,5,6,7,8,9,10\n");
		free(d);
	}

	/* Again: ten unchanged per file, and not a byte of the file moves. */
	before = slurp(dbp, &l1);
	db = open_db(dbp);
	IMPORT_OK(db, SEED_DECK, &t, a, b);
	assert_totals(&t, 0, 0, 20, 0);
	assert_contains(reports.data, "000_6aecd75b5320bf2a.txt: 0 added, "
	    "0 updated, 10 unchanged, 0 skipped\n");
	db_close(db);
	after = slurp(dbp, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	free(before);
	free(after);
	free(dbp);
	free(a);
	free(b);
}

/* The Markdown form names its deck; the TSV joins it with --deck. */
static void
test_seed_deck_from_text(void **state)
{
	char *dbp = tmp("seed2.db"), *a = data("seed/000_6aecd75b5320bf2a.txt");
	char *b = data("seed/001_e48d0a43f8b5889a.txt");
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, a);
	assert_totals(&t, 10, 0, 0, 0);
	IMPORT_OK(db, SEED_DECK, &t, b);
	assert_totals(&t, 0, 0, 10, 0);
	/* Without --deck the TSV names no deck, but its notes are found
	 * where they are (issue 14): no copies in a deck from its file name,
	 * and no such deck. */
	IMPORT_OK(db, NULL, &t, b);
	assert_totals(&t, 0, 0, 10, 0);
	db_close(db);
	{
		char *d = dump(dbp, "SELECT d.name, count(n.id) FROM decks d "
		    "LEFT JOIN notes n ON d.id = n.deck_id GROUP BY d.name "
		    "ORDER BY d.name");
		assert_string_equal(d, SEED_DECK "|10\n");
		free(d);
	}
	free(dbp);
	free(a);
	free(b);
}

/* ---- the corpus: every header, quoting, cloze form ------------------------------- */

static void
test_headers(void **state)
{
	char *dbp = tmp("headers.db"), *a = data("headers/all-headers.txt");
	char *b = data("headers/columns.tsv"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, a, b);
	assert_totals(&t, 5, 0, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT d.name, n.notetype, n.is_html, n.tags, "
	    "replace(n.fields, char(31), ' / '), n.sort_field, (SELECT "
	    "group_concat(ord) FROM cards c WHERE c.note_id = n.id) FROM notes n "
	    "JOIN decks d ON d.id = n.deck_id ORDER BY n.id");
	assert_string_equal(d,
	    "Headers::All|1|1| europe geo global shared |Capital of <b>France"
	    "</b>? / Paris|Capital of France?|0,1\n"
	    "Headers::All|1|1| geo global shared |Capital of Spain? / Madrid<br>"
	    "since 1561|Capital of Spain?|0,1\n"
	    "Headers::Columns|0|0| t1 |front one / back one|front one|0\n"
	    "Headers::Columns::Sub|2|0||{{c1::Cloze}} in a column file / extra "
	    "text|{{c1::Cloze}} in a column file|0\n"
	    "columns|1|0| t2 t3 |front two / back two|front two|0,1\n");
	free(d);
	d = dump(dbp, "SELECT guid FROM notes ORDER BY id LIMIT 2 OFFSET 2");
	assert_string_equal(d, "abcDEF1234\nxyz#98765!\n");
	free(d);
	/* Every deck level exists. */
	d = dump(dbp, "SELECT name FROM decks ORDER BY name");
	assert_string_equal(d, "Headers\nHeaders::All\nHeaders::Columns\n"
	    "Headers::Columns::Sub\ncolumns\n");
	free(d);
	free(dbp);
	free(a);
	free(b);
}

static void
test_quoting(void **state)
{
	char *dbp = tmp("quoting.db"), *a = data("quoting/quoting.csv"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, a);
	assert_totals(&t, 4, 0, 0, 1);
	assert_contains(reports.data, "quoting.csv:7: skipped: empty first "
	    "field\n");
	db_close(db);
	d = dump(dbp, "SELECT replace(replace(fields, char(31), ' / '), char(10),"
	    " '\\n') FROM notes ORDER BY id");
	assert_string_equal(d,
	    "a, quoted, separator / plain back\n"
	    "say \"hi\" / two\\nlines\n"
	    "plain / ends with quote \"\n"
	    "trailing \"x\"y / z\n");
	free(d);
	free(dbp);
	free(a);
}

static void
test_cloze(void **state)
{
	char *dbp = tmp("cloze.db"), *a = data("cloze/cloze.txt"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, a);
	assert_totals(&t, 4, 0, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT n.notetype, (SELECT group_concat(ord) FROM (SELECT "
	    "ord FROM cards c WHERE c.note_id = n.id ORDER BY ord)), "
	    "n.sort_field FROM notes n ORDER BY n.id");
	assert_string_equal(d,
	    "2|0,1|{{c1::Paris}} is the capital of {{c2::France}}.\n"
	    "2|0|{{c1::H2O::formula}} is water.\n"
	    "2|0,1,2|{{c1::outer {{c2::inner}} text}} and {{c3::third}}\n"
	    "2|0|{{c1::same}} number {{c1::twice}}\n");
	free(d);
	free(dbp);
	free(a);
}

static void
test_types(void **state)
{
	char *dbp = tmp("types.db"), *a = data("types/reversed.txt");
	char *b = data("types/extra.txt"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, a, b);
	assert_totals(&t, 2, 0, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT n.notetype, replace(n.fields, char(31), ' / '), "
	    "(SELECT count(*) FROM cards c WHERE c.note_id = n.id) FROM notes n "
	    "ORDER BY n.id");
	/* Anki: the column after the fields is the tags column; lemma keeps
	 * the columns after it as extra fields. */
	assert_string_equal(d, "1|front r / back r|2\n"
	    "0|basic with extra / back / and another|1\n");
	free(d);
	d = dump(dbp, "SELECT tags FROM notes ORDER BY id");
	assert_string_equal(d, "\n extra field the \n");
	free(d);
	free(dbp);
	free(a);
	free(b);
}

/* Every corpus file twice: the second time nothing changes at all. */
static void
test_idempotent(void **state)
{
	char *dbp = tmp("idem.db"), *before, *after;
	char *f[8] = { data("headers/all-headers.txt"),
	    data("headers/columns.tsv"), data("quoting/quoting.csv"),
	    data("cloze/cloze.txt"), data("types"), data("tree"),
	    data("seed/000_6aecd75b5320bf2a.txt"),
	    data("seed/001_e48d0a43f8b5889a.txt") };
	struct import_totals t, t2;
	struct db *db;
	size_t l1, l2;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
	db_close(db);
	before = slurp(dbp, &l1);
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t2, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
	db_close(db);
	after = slurp(dbp, &l2);
	assert_int_equal(t2.added, 0);
	assert_int_equal(t2.updated, 0);
	assert_int_equal(t2.unchanged, t.added + t.unchanged);
	assert_int_equal(t2.skipped, t.skipped);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	free(before);
	free(after);
	for (int i = 0; i < 8; i++)
		free(f[i]);
	free(dbp);
}

/* ---- directories ------------------------------------------------------------------ */

static void
test_directory(void **state)
{
	char *dbp = tmp("tree.db"), *dir = data("tree"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, dir);
	assert_totals(&t, 6, 0, 0, 0);
	assert_contains(reports.data, "tree/README: ignored: not a .txt, "
	    ".tsv, .csv or .md file\n");
	assert_contains(reports.data, "tree/lang/french/basics.csv: 2 added");
	assert_null(strstr(reports.data, "hidden"));
	db_close(db);
	d = dump(dbp, "SELECT d.name, count(n.id) FROM decks d LEFT JOIN notes n "
	    "ON n.deck_id = d.id GROUP BY d.name ORDER BY d.name");
	assert_string_equal(d, "Markdown Deck|1\nNamed Deck|1\nlang|0\n"
	    "lang::french|0\nlang::french::basics|2\nlang::spanish|2\n");
	free(d);

	/* Under --deck, path decks go below it; a file's own deck stays. */
	free(dbp);
	dbp = tmp("tree2.db");
	db = open_db(dbp);
	IMPORT_OK(db, "Root", &t, dir);
	db_close(db);
	d = dump(dbp, "SELECT DISTINCT d.name FROM notes n JOIN decks d ON "
	    "d.id = n.deck_id ORDER BY d.name");
	assert_string_equal(d, "Markdown Deck\nNamed Deck\n"
	    "Root::lang::french::basics\nRoot::lang::spanish\n");
	free(d);
	free(dbp);
	free(dir);
}

static void
test_symlinks(void **state)
{
	char *dbp = tmp("links.db"), *dir = tmp("links"), *sub = tmp("links/sub");
	char *in = tmp("links/sub/in.tsv"), *outside = data("types/extra.txt");
	char *l1 = tmp("links/out.tsv"), *l2 = tmp("links/inside.tsv");
	char *l3 = tmp("links/sub/loop"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(in, "q\ta\n");
	assert_int_equal(symlink(outside, l1), 0);
	assert_int_equal(symlink("sub/in.tsv", l2), 0);
	assert_int_equal(symlink("..", l3), 0);
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, dir);
	assert_contains(reports.data, "links/out.tsv: ignored: a symbolic link "
	    "that leads out of the directory\n");
	assert_contains(reports.data, "links/sub/loop: ignored: a directory "
	    "already read\n");
	assert_contains(reports.data, "links/inside.tsv: 1 added");
	/* The same file again, by its own name: the same note. */
	assert_contains(reports.data, "links/sub/in.tsv: 0 added, 0 updated, "
	    "1 unchanged");
	db_close(db);
	d = dump(dbp, "SELECT DISTINCT d.name FROM notes n JOIN decks d ON "
	    "d.id = n.deck_id ORDER BY d.name");
	assert_string_equal(d, "inside\n");
	free(d);

	/* An empty directory says so; a file named only ".tsv" keeps its
	 * name as the deck. */
	{
		char *none = tmp("links/sub/empty"), *dot = tmp(".tsv");
		assert_int_equal(mkdir(none, 0700), 0);
		write_file(dot, "q dot\ta\n");
		db = open_db(dbp);
		IMPORT_OK(db, NULL, &t, none, dot);
		assert_contains(reports.data, "sub/empty: no .txt, .tsv, .csv or "
		    ".md files\n");
		db_close(db);
		d = dump(dbp, "SELECT name FROM decks WHERE name LIKE '.%'");
		assert_string_equal(d, ".tsv\n");
		free(d);
		free(none);
		free(dot);
	}
	free(dbp);
	free(dir);
	free(sub);
	free(in);
	free(outside);
	free(l1);
	free(l2);
	free(l3);
}

/* ---- updates keep scheduling -------------------------------------------------------- */

static void
test_update_keeps_schedule(void **state)
{
	char *dbp = tmp("upd.db"), *f = tmp("upd.tsv"), *cards1, *cards2, *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "#separator:tab\n#tags column:3\nq1\ta1\tx\nq2\ta2\ty\n");
	db = open_db(dbp);
	IMPORT_OK(db, "U", &t, f);
	assert_totals(&t, 2, 0, 0, 0);
	db_close(db);
	/* Study the first card a little. */
	exec_sql(dbp, "UPDATE cards SET state = 2, due = 1736000000, "
	    "stability = 12.5, difficulty = 4.2, last_review = 1735700000, "
	    "scheduled_days = 12, reps = 3, lapses = 1 WHERE note_id = 1;"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, stability, "
	    "difficulty) VALUES (1735700000000, 1, 3, 1, 2, 12.5, 4.2);");
	cards1 = dump(dbp, "SELECT * FROM cards ORDER BY id");

	/* A new back, an extra field and new tags: updated, cards as they
	 * were. */
	write_file(f, "#separator:tab\n#tags column:3\nq1\ta1 better\tx z\t"
	    "extra\nq2\ta2\ty\n");
	db = open_db(dbp);
	IMPORT_OK(db, "U", &t, f);
	assert_totals(&t, 0, 1, 1, 0);
	db_close(db);
	cards2 = dump(dbp, "SELECT * FROM cards ORDER BY id");
	assert_string_equal(cards1, cards2);
	assert_int_equal(count(dbp, "SELECT count(*) FROM revlog"), 1);
	d = dump(dbp, "SELECT replace(fields, char(31), '/'), tags, created, "
	    "modified FROM notes WHERE id = 1");
	assert_string_equal(d, "q1/a1 better/extra| x z |1735722000|1735722000\n");
	free(d);

	/* Only the tags change: still an update. */
	write_file(f, "#separator:tab\n#tags column:3\nq1\ta1 better\tz\t"
	    "extra\nq2\ta2\ty\n");
	db = open_db(dbp);
	IMPORT_OK(db, "U", &t, f);
	assert_totals(&t, 0, 1, 1, 0);
	db_close(db);
	free(cards1);
	free(cards2);
	free(dbp);
	free(f);
}

/* A GUID column matches even when the first field changed; cloze cards
 * follow the numbers (a number gone leaves its card empty, not deleted)
 * and the others keep their state. */
static void
test_guid_and_cloze_update(void **state)
{
	char *dbp = tmp("guid.db"), *f = tmp("guid.tsv"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "#separator:tab\n#guid column:1\n"
	    "g-1\t{{c1::a}} and {{c2::b}}\tback\n");
	db = open_db(dbp);
	IMPORT_OK(db, "G", &t, f);
	assert_totals(&t, 1, 0, 0, 0);
	db_close(db);
	exec_sql(dbp, "UPDATE cards SET state = 2, stability = 3, difficulty = 5,"
	    " due = 1736000000 WHERE ord = 0");
	write_file(f, "#separator:tab\n#guid column:1\n"
	    "g-1\t{{c1::a}} and {{c3::c}}\tback\n");
	db = open_db(dbp);
	IMPORT_OK(db, "G", &t, f);
	assert_totals(&t, 0, 1, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT ord, state, due, empty FROM cards ORDER BY ord");
	assert_string_equal(d, "0|2|1736000000|0\n1|0|0|1\n2|0|0|0\n");
	free(d);
	assert_int_equal(count(dbp, "SELECT count(*) FROM notes"), 1);
	free(dbp);
	free(f);
}

/* ---- skipped rows, #if matches, note types ------------------------------------------ */

static void
test_skips(void **state)
{
	char *dbp = tmp("skip.db"), *f = tmp("skip.tsv"), *g = tmp("skip2.tsv");
	char *c = tmp("cloze.tsv");
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "#separator:tab\nq\ta\n\tno front\nq\tagain\n<br>\thtml "
	    "only\n");
	write_file(g, "#separator:tab\nq\tother back\n");
	write_file(c, "#separator:tab\n#notetype:Cloze\nno cloze here\tx\n"
	    "q\t{{c1::y}}\n");
	db = open_db(dbp);
	/* issue 20, as Anki: the same first field twice in one file is two
	 * notes; a first field of only "<br>" is a note like any other. */
	IMPORT_OK(db, "S", &t, f, g);
	assert_totals(&t, 3, 0, 0, 2);
	assert_contains(reports.data, "skip.tsv:3: skipped: empty first field\n");
	assert_contains(reports.data, "skip2.tsv:2: skipped: the same first "
	    "field as ");
	assert_contains(reports.data, "with other content; that row was kept\n");
	/* A Cloze row matches Cloze notes only (Anki matches within a note
	 * type), so "q" is a new Cloze note, and has no cloze. */
	IMPORT_OK(db, "S", &t, c);
	assert_totals(&t, 0, 0, 0, 2);
	assert_contains(reports.data, "cloze.tsv:3: skipped: a cloze note needs "
	    "a cloze deletion such as {{c1::text}} in its first field\n");
	assert_contains(reports.data, "cloze.tsv:4: skipped: a cloze note needs "
	    "a cloze deletion");
	/* A GUID names the note whatever its type: another type is refused. */
	{
		char *guid = dump(dbp, "SELECT guid FROM notes");
		char *text;

		guid[strcspn(guid, "\n")] = '\0';
		text = xasprintf("#separator:tab\n#notetype:Cloze\n"
		    "#guid column:1\n%s\t{{c1::q}}\tx\n", guid);
		write_file(c, text);
		IMPORT_OK(db, "S", &t, c);
		assert_totals(&t, 0, 0, 0, 1);
		assert_contains(reports.data, "cloze.tsv:4: skipped: the note is "
		    "Basic in the progress file, Cloze here");
		free(text);
		free(guid);
	}
	db_close(db);
	assert_int_equal(count(dbp, "SELECT count(*) FROM notes"), 3);
	free(dbp);
	free(f);
	free(g);
	free(c);
}

static void
test_if_matches(void **state)
{
	char *dbp = tmp("ifm.db"), *f = tmp("ifm.tsv"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	write_file(f, "#separator:tab\nq\ta\n");
	IMPORT_OK(db, "I", &t, f);
	write_file(f, "#separator:tab\n#if matches:keep current\nq\tb\n");
	IMPORT_OK(db, "I", &t, f);
	assert_totals(&t, 0, 0, 0, 1);
	assert_contains(reports.data, "keep current");
	write_file(f, "#separator:tab\n#if matches:keep both\nq\tc\n");
	IMPORT_OK(db, "I", &t, f);
	assert_totals(&t, 1, 0, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT replace(fields, char(31), '/') FROM notes ORDER BY "
	    "id");
	assert_string_equal(d, "q/a\nq/c\n");
	free(d);
	/* Two notes, two GUIDs (the second salted). */
	assert_int_equal(count(dbp, "SELECT count(DISTINCT guid) FROM notes"), 2);
	free(dbp);
	free(f);
}

/* The same rows give the same GUIDs in any progress file. */
static void
test_guids_deterministic(void **state)
{
	char *p1 = tmp("g1.db"), *p2 = tmp("g2.db");
	char *seed = data("seed/001_e48d0a43f8b5889a.txt"), *g1, *g2;
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(p1);
	IMPORT_OK(db, "X", &t, seed);
	db_close(db);
	db = open_db(p2);
	IMPORT_OK(db, "X", &t, seed);
	db_close(db);
	g1 = dump(p1, "SELECT guid FROM notes ORDER BY id");
	g2 = dump(p2, "SELECT guid FROM notes ORDER BY id");
	assert_string_equal(g1, g2);
	/* Pinned: notes in progress files carry these, so the derivation
	 * (import.h) must never change. */
	assert_true(strncmp(g1, "A:jksVY-*N\nrXP=aki1!+\n", 22) == 0);
	assert_int_equal(count(p1, "SELECT count(DISTINCT guid) FROM notes"), 10);
	assert_int_equal(count(p1, "SELECT max(length(guid)) <= 10 FROM notes"),
	    1);
	free(g1);
	free(g2);
	free(p1);
	free(p2);
	free(seed);
}

/* ---- what Anki reads with a warning, or skips (issue 20) ---------------------------- */

static void
test_lenient(void **state)
{
	static const struct {
		const char	*file;
		const char	*report;	/* a line of the reports */
		long		 added, skipped;
	} cases[] = {
		{ "errors/unknown-separator.txt", "unknown-separator.txt:1:12: "
		  "warning: #separator: 'Slash' ignored", 1, 0 },
		{ "errors/bad-html.txt", "bad-html.txt:1:7: warning: #html: "
		  "'yes' ignored: expected true or false", 1, 0 },
		{ "errors/unknown-notetype.txt", "unknown-notetype.txt:1:11: "
		  "warning: unknown note type 'Image Occlusion': the notes are "
		  "Basic", 1, 0 },
		{ "errors/bad-column.txt", "bad-column.txt:1:14: warning: #deck "
		  "column: 'first' ignored", 1, 0 },
		{ "errors/bad-if-matches.txt", "bad-if-matches.txt:1:13: warning: "
		  "#if matches: 'overwrite' ignored", 1, 0 },
		{ "errors/field-count.tsv", "field-count.tsv:4:5: warning: 3 "
		  "columns, but the #columns: line has 2: the extra ones are "
		  "dropped", 2, 0 },
		{ "errors/short-row.tsv", "short-row.tsv: 2 added", 2, 0 },
		{ "errors/notetype-cell.tsv", "notetype-cell.tsv:4: skipped: "
		  "unknown note type 'Fancy'", 1, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32], *dbp, *path = data(cases[i].file);
		struct import_totals t;
		struct db *db;

		snprintf(name, sizeof name, "lenient%zu.db", i);
		dbp = tmp(name);
		db = open_db(dbp);
		IMPORT_OK(db, NULL, &t, path);
		db_close(db);
		if (strstr(reports.data, cases[i].report) == NULL ||
		    t.added != cases[i].added || t.skipped != cases[i].skipped) {
			print_error("%s: %ld added, %ld skipped, reports:\n%s\n"
			    "want %ld, %ld and: %s\n", cases[i].file, t.added,
			    t.skipped, reports.data, cases[i].added,
			    cases[i].skipped, cases[i].report);
			fail();
		}
		free(path);
		free(dbp);
	}
}

/* ---- Anki's text import rules (issue 20) ------------------------------------------- */

static void
test_anki_rules(void **state)
{
	char *dbp = tmp("rules.db"), *f = tmp("rules.txt"), *g = tmp("rules2.txt");
	struct import_totals t;
	struct db *db;
	char *d;

	(void)state;
	db = open_db(dbp);
	/* The same first field twice in one file: two notes (Anki builds its
	 * match index before the import), and again they match in turn. */
	write_file(f, "#separator:tab\nq\tone\nq\ttwo\nq\tthree\n");
	IMPORT_OK(db, "R", &t, f);
	assert_totals(&t, 3, 0, 0, 0);
	IMPORT_OK(db, "R", &t, f);
	assert_totals(&t, 0, 0, 3, 0);
	write_file(f, "#separator:tab\nq\tone\nq\t2\nq\tthree\nq\tfour\n");
	IMPORT_OK(db, "R", &t, f);
	assert_totals(&t, 1, 1, 2, 0);
	d = dump(dbp, "SELECT replace(fields, char(31), '/') FROM notes ORDER "
	    "BY id");
	assert_string_equal(d, "q/one\nq/2\nq/three\nq/four\n");
	free(d);

	/* Another note type with the same first field is another note. */
	write_file(g, "#separator:tab\n#notetype:Basic (and reversed card)\n"
	    "q\tone\n");
	IMPORT_OK(db, "R", &t, g);
	assert_totals(&t, 1, 0, 0, 0);

	/* A trailing space is part of the field; a lone CR ends a row; the
	 * third column is the tags column; multi-card clozes make a card per
	 * number. */
	write_file(g, "#separator:tab\ncr\ty\tt1 t2\rtrail \tx\r"
	    "{{c1,2::both}} {{c3::three}}\tz\r");
	IMPORT_OK(db, "R", &t, g);
	assert_totals(&t, 3, 0, 0, 0);
	d = dump(dbp, "SELECT n.notetype, replace(n.fields, char(31), '/'), "
	    "n.tags, (SELECT group_concat(ord) FROM (SELECT ord FROM cards c "
	    "WHERE c.note_id = n.id ORDER BY ord)) FROM notes n WHERE n.id > "
	    "5 ORDER BY n.id");
	assert_string_equal(d, "0|cr/y| t1 t2 |0\n0|trail /x||0\n"
	    "2|{{c1,2::both}} {{c3::three}}/z||0,1,2\n");
	free(d);
	assert_contains(reports.data, "rules2.txt: separator: tab (from "
	    "#separator:)\n");

	/* NFC before matching: a decomposed "caf\xc3\xa9" is the note with
	 * the composed one, and is stored composed. */
	write_file(g, "#separator:tab\ncaf\xc3\xa9\tcomposed\n");
	IMPORT_OK(db, "R", &t, g);
	assert_totals(&t, 1, 0, 0, 0);
	write_file(g, "#separator:tab\ncafe\xcc\x81\tcomposed\n");
	IMPORT_OK(db, "R", &t, g);
	assert_totals(&t, 0, 0, 1, 0);
	db_close(db);
	free(dbp);
	free(f);
	free(g);
}

/*
 * rslib/src/import_export/text/import.rs's tests, as two files imported
 * one after the other and the notes they leave ("fields|tags" by id).
 */
static void
test_anki_text_import(void **state)
{
	static const struct {
		const char	*name, *first, *second, *want;
	} cases[] = {
		{ "should_always_add_note_if_dupe_mode_is_add",
		  "#separator:tab\n#if matches:keep both\nsame\told\n",
		  "#separator:tab\n#if matches:keep both\nsame\told\n",
		  "same/old|\nsame/old|\n" },
		{ "should_add_or_ignore_note_if_dupe_mode_is_ignore",
		  "#separator:tab\nsame\told\n",
		  "#separator:tab\n#if matches:keep current\nsame\tnew\n",
		  "same/old|\n" },
		{ "should_update_or_add_note_if_dupe_mode_is_update",
		  "#separator:tab\nsame\told\n", "#separator:tab\nsame\tnew\n",
		  "same/new|\n" },
		{ "should_keep_old_field_content_if_no_new_one_is_supplied",
		  "#separator:tab\nsame\tunchanged\nsame\tunchanged\n",
		  "#separator:tab\nsame\nsame\n",
		  "same/unchanged|\nsame/unchanged|\n" },
		{ "should_recognize_normalized_duplicate",
		  "#separator:tab\n\xe7\xa5\x9e\told\n",
		  "#separator:tab\n\xe7\xa5\x9e\tnew\n", "\xe7\xa5\x9e/new|\n" },
		{ "should_add_global_tags",
		  "#separator:tab\n#tags:baz\nfoo\t\tbar\n", "",
		  "foo/| bar baz \n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[40], *dbp, *f, *g, *d;
		struct import_totals t;
		struct db *db;

		snprintf(name, sizeof name, "anki%zu.db", i);
		dbp = tmp(name);
		snprintf(name, sizeof name, "anki%zu-1.txt", i);
		f = tmp(name);
		snprintf(name, sizeof name, "anki%zu-2.txt", i);
		g = tmp(name);
		write_file(f, cases[i].first);
		write_file(g, cases[i].second);
		db = open_db(dbp);
		IMPORT_OK(db, "A", &t, f);
		IMPORT_OK(db, "A", &t, g);
		db_close(db);
		d = dump(dbp, "SELECT replace(fields, char(31), '/'), tags FROM "
		    "notes ORDER BY id");
		if (strcmp(d, cases[i].want) != 0) {
			print_error("%s:\n got: %s\nwant: %s\n", cases[i].name, d,
			    cases[i].want);
			fail();
		}
		free(d);
		free(dbp);
		free(f);
		free(g);
	}
}

/* The separator in the summary, and the better guess (issue 20). */
static void
test_separator_summary(void **state)
{
	char *dbp = tmp("sepsum.db"), *f = tmp("semi.txt"), *g = tmp("tabs.txt");
	struct import_totals t;
	struct db *db;
	char *d;

	(void)state;
	db = open_db(dbp);
	write_file(f, "a;1\nb;2\nc;3\nd;4\ne;5\nf;6\ng;7\nh;8\np(x|y);9\n");
	write_file(g, "x\ty\n");
	IMPORT_OK(db, "S", &t, f, g);
	assert_totals(&t, 10, 0, 0, 0);
	assert_contains(reports.data, "semi.txt: separator: semicolon (guessed; "
	    "Anki's guess would split the rows unevenly)\n");
	assert_contains(reports.data, "tabs.txt: separator: tab (guessed)\n");
	db_close(db);
	d = dump(dbp, "SELECT replace(fields, char(31), '/') FROM notes WHERE "
	    "sort_field LIKE 'p%'");
	assert_string_equal(d, "p(x|y)/9\n");
	free(d);
	free(dbp);
	free(f);
	free(g);
}

/* ---- errors: message, and the file as it was --------------------------------------- */

static void
test_errors(void **state)
{
	static const struct {
		const char	*file;
		unsigned	 line, col;
		const char	*msg;
	} cases[] = {
		{ "errors/unterminated-quote.tsv", 2, 1,
		  "unterminated quoted field: expected a closing '\"'" },
		{ "errors/invalid-utf8.tsv", 2, 5,
		  "invalid UTF-8 (byte 0xE9): expected UTF-8 text" },
		{ "errors/md-cells.md", 4, 1,
		  "this row has 3 cells, the table header has 2" },
		{ "errors/bad-deck.txt", 1, 7, "bad deck name 'a::::b'" },
	};
	char *dbp = tmp("err.db"), *seed = data("seed/001_e48d0a43f8b5889a.txt");
	char *good = data("cloze/cloze.txt");
	struct import_totals t;
	struct db *db;

	(void)state;
	db = open_db(dbp);
	IMPORT_OK(db, "Before", &t, seed);
	db_close(db);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = data(cases[i].file), *before, *after;
		size_t l1, l2;
		struct err e;
		const char *tail;

		before = slurp(dbp, &l1);
		db = open_db(dbp);
		/* A good file first: it must be rolled back too. */
		assert_int_equal(import_opt(db, NULL, 0, &t, &e, good, path,
		    (char *)NULL), -1);
		db_close(db);
		after = slurp(dbp, &l2);
		tail = strstr(e.path, cases[i].file);
		if (tail == NULL || e.line != cases[i].line || e.col !=
		    cases[i].col || strstr(e.msg, cases[i].msg) == NULL) {
			print_error("%s: got %s:%u:%u: %s\n", cases[i].file,
			    e.path, e.line, e.col, e.msg);
			fail();
		}
		assert_int_equal(t.added, 0);
		assert_int_equal(l1, l2);
		assert_memory_equal(before, after, l1);
		free(before);
		free(after);
		free(path);
	}
	assert_int_equal(count(dbp, "SELECT count(*) FROM notes"), 10);
	free(dbp);
	free(seed);
	free(good);
}

/* A missing file, and a deck column naming a bad deck at run time. */
static void
test_errors_other(void **state)
{
	char *dbp = tmp("err2.db"), *missing = tmp("nope.tsv");
	struct import_totals t;
	struct db *db;
	struct err e;

	(void)state;
	db = open_db(dbp);
	assert_int_equal(import_opt(db, NULL, 0, &t, &e, missing, (char *)NULL),
	    -1);
	assert_contains(e.msg, "cannot read: No such file");
	assert_contains(e.path, "nope.tsv");
	{
		char *f = data("types/extra.txt");
		assert_int_equal(import_opt(db, "bad::::deck", 0, &t, &e, f,
		    (char *)NULL), -1);
		assert_contains(e.msg, "bad deck name 'bad::::deck'");
		assert_contains(e.path, "types/extra.txt");
		assert_int_equal(e.line, 3);
		free(f);
	}
	db_close(db);
	free(dbp);
	free(missing);
}

static void
test_dry_run(void **state)
{
	char *dbp = tmp("dry.db"), *seed = data("seed/000_6aecd75b5320bf2a.txt");
	char *before, *after;
	struct import_totals t;
	struct db *db;
	size_t l1, l2;
	struct err e;

	(void)state;
	db = open_db(dbp);
	db_close(db);
	before = slurp(dbp, &l1);
	db = open_db(dbp);
	assert_int_equal(import_opt(db, NULL, 1, &t, &e, seed, (char *)NULL), 0);
	assert_totals(&t, 10, 0, 0, 0);
	assert_contains(reports.data, "000_6aecd75b5320bf2a.txt: 10 added");
	db_close(db);
	after = slurp(dbp, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	assert_int_equal(count(dbp, "SELECT count(*) FROM notes"), 0);
	free(before);
	free(after);
	free(dbp);
	free(seed);
}

/* Escape sequences are card text: stored as they are. Report lines (which
 * name files) never carry them to the terminal; deck names lose them. */
static void
test_control_chars(void **state)
{
	char *dbp = tmp("ctl.db"), *f = tmp("evil\x1b[2J.tsv"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "#separator:tab\nred \x1b[31mtext\tbell\x07\n\tx\n");
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f);
	assert_totals(&t, 1, 0, 0, 1);
	for (size_t i = 0; i < reports.len; i++)
		assert_true((unsigned char)reports.data[i] >= 0x20 ||
		    reports.data[i] == '\n');
	assert_contains(reports.data, "evil?[2J.tsv:3: skipped");
	db_close(db);
	d = dump(dbp, "SELECT fields = 'red ' || char(27) || '[31mtext' || "
	    "char(31) || 'bell' || char(7), sort_field FROM notes");
	assert_string_equal(d, "1|red \x1b[31mtext\n");
	free(d);
	/* The deck name from the file name loses the ESC, as Anki strips
	 * control characters from deck names, and says so. */
	d = dump(dbp, "SELECT name FROM decks");
	assert_string_equal(d, "evil[2J\n");
	free(d);
	assert_contains(reports.data, "warning: deck name 'evil[2J': removed 1 "
	    "control, bidi or zero-width character");
	free(dbp);
	free(f);
}

/* Into an empty progress file the import drops and rebuilds the secondary
 * indexes and writes Basic cards at the end: the schema, the card order and
 * db_check come out as with a row-by-row import; a failure restores all. */
static void
test_bulk(void **state)
{
	char *dbp = tmp("bulk.db"), *empty = tmp("bulk-empty.db");
	char *f = tmp("bulk.tsv"), *bad = data("errors/unterminated-quote.tsv");
	char *s1, *s2, *d, *before, *after, report[512];
	struct import_totals t;
	struct db *db;
	struct err e;
	size_t l1, l2;

	(void)state;
	write_file(f, "#separator:tab\nb1\tx\n{{c1::c}} {{c2::d}}\tx\nb2\tx\n"
	    "#notetype:Basic\n");
	db = open_db(empty);
	db_close(db);
	db = open_db(dbp);
	IMPORT_OK(db, "Bulk", &t, f);
	assert_int_equal(db_check(db, report, sizeof report, &e), 0);
	/* The bulk import turned the foreign-key checks off for itself
	 * only: a note in a deck that does not exist is refused after it. */
	{
		const char *fields[2] = { "orphan", "x" };

		assert_true(db_note_add(db, 999, 0, fields, 2, "", 0, 1, &e)
		    < 0);
	}
	/* A new file takes its first import with the rollback journal and
	 * is in WAL from then on. */
	d = dump(dbp, "PRAGMA journal_mode");
	assert_string_equal(d, "wal\n");
	free(d);
	db_close(db);
	d = dump(empty, "PRAGMA journal_mode");
	assert_string_equal(d, "wal\n");
	free(d);
	s1 = dump(empty, "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name");
	s2 = dump(dbp, "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name");
	assert_string_equal(s1, s2);
	free(s2);
	d = dump(dbp, "SELECT note_id, ord, position, state, due FROM cards "
	    "ORDER BY note_id, ord");
	assert_string_equal(d, "1|0|1|0|0\n2|0|2|0|0\n2|1|2|0|0\n3|0|3|0|0\n");
	free(d);
	/* The next import is row by row and goes on with the positions. */
	write_file(f, "#separator:tab\nb3\tx\n");
	db = open_db(dbp);
	IMPORT_OK(db, "Bulk", &t, f);
	db_close(db);
	d = dump(dbp, "SELECT max(position) FROM cards");
	assert_string_equal(d, "4\n");
	free(d);

	/* A failed import into an empty file leaves it byte for byte. */
	before = slurp(empty, &l1);
	db = open_db(empty);
	assert_int_equal(import_opt(db, NULL, 0, &t, &e, f, bad, (char *)NULL),
	    -1);
	db_close(db);
	after = slurp(empty, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	s2 = dump(empty, "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name");
	assert_string_equal(s1, s2);
	free(s1);
	free(s2);
	free(before);
	free(after);
	free(dbp);
	free(empty);
	free(f);
	free(bad);
}

/* ---- re-imports never drop progress (issue 14) ---------------------------------- */

/* Cards of deck (by name) that study would show or count: new, learning
 * and due reviews, from the deck list's counts. */
static int
deck_due_total(struct db *db, const char *deck)
{
	struct deck_counts *c;
	size_t n;
	struct err e;
	int total = -1;

	assert_int_equal(study_deck_counts(db, NOW, &c, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, deck) == 0)
			total = c[i].new_count + c[i].learn_count +
			    c[i].review_count;
	study_deck_counts_free(c, n);
	return total;
}

/* The per-deck sums migration 3's triggers keep, against a recount from
 * the log: they must agree whatever happens to cards. */
static void
assert_deck_sums(const char *dbp)
{
	char *kept = dump(dbp, "SELECT deck_id, bucket, n, l1, l3, y3 FROM "
	    "revlog_deck_sum ORDER BY 1, 2");
	char *want = dump(dbp, "SELECT c.deck_id, r.id / 900000, count(*), "
	    "sum(r.kind = 0 AND r.rating = 1), sum(r.kind = 0 AND r.rating = 3), "
	    "sum(r.kind = 1 AND r.rating = 3 AND r.prev_scheduled_days < 21) "
	    "FROM revlog r JOIN cards c ON c.id = r.card_id GROUP BY 1, 2 "
	    "ORDER BY 1, 2");

	assert_string_equal(kept, want);
	free(kept);
	free(want);
}

/*
 * A file of a directory imported again on its own: its notes are found
 * wherever they are (first field and note type, the whole collection) and
 * updated in place, their cards stay in the deck the directory gave them
 * with their history, and no deck is made for them. Only a new note takes
 * the deck the path gives.
 */
static void
test_reimport_one_file(void **state)
{
	char *dbp = tmp("one.db"), *dir = tmp("one"), *lang = tmp("one/lang");
	char *fr = tmp("one/lang/french");
	char *f = tmp("one/lang/french/basics.tsv"), *cards1, *cards2, *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(mkdir(lang, 0700), 0);
	assert_int_equal(mkdir(fr, 0700), 0);
	write_file(f, "#separator:tab\nbonjour\thello\nmerci\tthanks\n"
	    "oui\tyes\nnon\tno\n");
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, dir);
	assert_totals(&t, 4, 0, 0, 0);
	db_close(db);
	exec_sql(dbp, "UPDATE cards SET state = 2, due = 1736000000, "
	    "stability = 12.5, difficulty = 4.2, last_review = 1735700000, "
	    "scheduled_days = 12, reps = 3;"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, stability, "
	    "difficulty) SELECT 1735700000000 + id, id, 3, 1, 2, 12.5, 4.2 "
	    "FROM cards;");
	cards1 = dump(dbp, "SELECT * FROM cards ORDER BY id");

	write_file(f, "#separator:tab\nbonjour\thello there\nmerci\tthanks\n"
	    "oui\tyes\nnon\tno\n");
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f);
	assert_totals(&t, 0, 1, 3, 0);
	db_close(db);
	cards2 = dump(dbp, "SELECT * FROM cards ORDER BY id");
	assert_string_equal(cards1, cards2);
	d = dump(dbp, "SELECT d.name, replace(n.fields, char(31), '/') FROM "
	    "notes n JOIN decks d ON d.id = n.deck_id ORDER BY n.id");
	assert_string_equal(d, "lang::french::basics|bonjour/hello there\n"
	    "lang::french::basics|merci/thanks\nlang::french::basics|oui/yes\n"
	    "lang::french::basics|non/no\n");
	free(d);
	assert_int_equal(count(dbp, "SELECT count(*) FROM decks WHERE name = "
	    "'basics'"), 0);
	assert_int_equal(count(dbp, "SELECT count(*) FROM revlog"), 4);

	/* A new row: the one new note, in the deck the path gives. */
	write_file(f, "#separator:tab\nbonjour\thello there\nmerci\tthanks\n"
	    "oui\tyes\nnon\tno\nsalut\thi\n");
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f);
	assert_totals(&t, 1, 0, 4, 0);
	db_close(db);
	d = dump(dbp, "SELECT d.name, count(*) FROM cards c JOIN decks d ON "
	    "d.id = c.deck_id GROUP BY 1 ORDER BY 1");
	assert_string_equal(d, "basics|1\nlang::french::basics|4\n");
	free(d);
	free(cards1);
	free(cards2);
	free(dbp);
	free(dir);
	free(lang);
	free(fr);
	free(f);
}

/* What a row does not carry stays: a row without a tags column keeps the
 * note's tags and adds the file's #tags:; a row with fewer fields keeps the
 * old content of the others (Anki's tests assert both). */
static void
test_reimport_keeps_what_file_lacks(void **state)
{
	char *dbp = tmp("lack.db"), *f = tmp("lack.tsv"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "#separator:tab\n#tags column:4\n"
	    "q1\ta1\tx1\tt1 t2\nq2\ta2\tx2\tt3\n");
	db = open_db(dbp);
	IMPORT_OK(db, "L", &t, f);
	assert_totals(&t, 2, 0, 0, 0);

	write_file(f, "#separator:tab\n#tags:g\nq1\ta1 new\nq2\n");
	IMPORT_OK(db, "L", &t, f);
	assert_totals(&t, 0, 2, 0, 0);
	/* Again: nothing to change. */
	IMPORT_OK(db, "L", &t, f);
	assert_totals(&t, 0, 0, 2, 0);
	db_close(db);
	d = dump(dbp, "SELECT replace(fields, char(31), '/'), tags FROM notes "
	    "ORDER BY id");
	assert_string_equal(d, "q1/a1 new/x1| g t1 t2 \nq2/a2/x2| g t3 \n");
	free(d);

	/* A tags column still says what the tags are (and #tags: adds), and
	 * an empty cell empties its field. */
	write_file(f, "#separator:tab\n#tags:g\n#tags column:3\nq1\t\tt9\n");
	db = open_db(dbp);
	IMPORT_OK(db, "L", &t, f);
	assert_totals(&t, 0, 1, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT replace(fields, char(31), '/'), tags FROM notes "
	    "WHERE id = 1");
	assert_string_equal(d, "q1//x1| g t9 \n");
	free(d);
	free(dbp);
	free(f);
}

/*
 * A cloze deletion taken out of a note: its card stays, with its history,
 * as an empty card (Anki never deletes cards when a note changes), which
 * study neither shows nor counts; the summary says so, with --dry-run too.
 * The deletion put back brings the same card back. No review-log row is
 * left without its card, and the statistics' sums stay right.
 */
static void
test_cloze_removed_keeps_card(void **state)
{
	char *dbp = tmp("empty.db"), *f = tmp("empty.tsv"), *cards1, *d;
	char report[512];
	struct import_totals t;
	struct db *db;
	struct err e;

	(void)state;
	write_file(f, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and {{c2::beta}}\n");
	db = open_db(dbp);
	IMPORT_OK(db, "C", &t, f);
	assert_totals(&t, 1, 0, 0, 0);
	db_close(db);
	/* Both studied, both due. */
	exec_sql(dbp, "UPDATE cards SET state = 2, due = 1735700000, "
	    "stability = 12.5, difficulty = 4.2, last_review = 1735600000, "
	    "scheduled_days = 1, reps = 2;"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, due, "
	    "stability, difficulty) SELECT 1735600000000 + id, id, 3, 0, 2, "
	    "1735700000, 12.5, 4.2 FROM cards;"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, due, "
	    "stability, difficulty) SELECT 1735650000000 + id, id, 3, 1, 2, "
	    "1735700000, 12.5, 4.2 FROM cards;");
	cards1 = dump(dbp, "SELECT id, ord, state, due, stability, reps FROM "
	    "cards ORDER BY id");
	db = open_db(dbp);
	assert_int_equal(deck_due_total(db, "C"), 2);

	write_file(f, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and beta\n");
	assert_int_equal(import_opt(db, "C", 1, &t, &e, f, (char *)NULL), 0);
	assert_totals(&t, 0, 1, 0, 0);
	assert_int_equal(t.emptied, 1);
	assert_contains(reports.data, "empty.tsv: 0 added, 1 updated, 0 "
	    "unchanged, 0 skipped, 1 card now empty\n");
	assert_int_equal(count(dbp, "SELECT count(*) FROM cards WHERE empty"), 0);

	IMPORT_OK(db, "C", &t, f);
	assert_totals(&t, 0, 1, 0, 0);
	assert_int_equal(t.emptied, 1);
	assert_contains(reports.data, "1 card now empty\n");
	assert_int_equal(deck_due_total(db, "C"), 1);
	/* A study session's queue has the one card left. */
	{
		struct study *s = study_open(db, 0, NOW, &e);
		int nw, ln, rv;

		assert_non_null(s);
		assert_int_equal(study_remaining(s, &nw, &ln, &rv), 0);
		assert_int_equal(nw + ln + rv, 1);
		study_close(s);
	}
	assert_int_equal(db_check(db, report, sizeof report, &e), 0);
	db_close(db);
	d = dump(dbp, "SELECT id, ord, state, due, stability, reps FROM cards "
	    "ORDER BY id");
	assert_string_equal(d, cards1);
	free(d);
	d = dump(dbp, "SELECT ord, empty FROM cards ORDER BY ord");
	assert_string_equal(d, "0|0\n1|1\n");
	free(d);
	assert_int_equal(count(dbp, "SELECT count(*) FROM revlog"), 4);
	assert_int_equal(count(dbp, "SELECT count(*) FROM revlog WHERE card_id "
	    "NOT IN (SELECT id FROM cards)"), 0);
	assert_deck_sums(dbp);

	/* Put back: the same card, with its state and history. */
	write_file(f, "#separator:tab\n#guid column:1\n"
	    "G1\t{{c1::alpha}} and {{c2::beta again}}\n");
	db = open_db(dbp);
	IMPORT_OK(db, "C", &t, f);
	assert_totals(&t, 0, 1, 0, 0);
	assert_int_equal(t.emptied, 0);
	assert_int_equal(deck_due_total(db, "C"), 2);
	db_close(db);
	d = dump(dbp, "SELECT id, ord, state, due, stability, reps FROM cards "
	    "ORDER BY id");
	assert_string_equal(d, cards1);
	free(d);
	assert_int_equal(count(dbp, "SELECT count(*) FROM cards WHERE empty"), 0);
	assert_deck_sums(dbp);
	free(cards1);
	free(dbp);
	free(f);
}

/* ---- the note calls the editor uses ---------------------------------------------- */

static void
test_note_api(void **state)
{
	char *dbp = tmp("api.db"), *d;
	const char *basic[] = { "front", "back" };
	const char *cloze[] = { "{{c1::a}} {{c2::b}}", "extra" };
	const char *cloze2[] = { "{{c2::b}} {{c5::e}}", "extra 2" };
	const char *none[] = { "no cloze", "x" };
	const char *sep[] = { "a\x1f" "b", "x" };
	struct db_note n;
	struct db *db;
	struct err e;
	int64_t deck, id1, id2;

	(void)state;
	db = open_db(dbp);
	assert_true((deck = db_deck_ensure(db, "Api", NOW, &e)) > 0);
	id1 = db_note_add(db, deck, DB_NOTE_REVERSED, basic, 2, "t2 t1", 0, NOW,
	    &e);
	assert_true(id1 > 0);
	id2 = db_note_add(db, deck, DB_NOTE_CLOZE, cloze, 2, "", 0, NOW, &e);
	assert_true(id2 > 0);
	assert_int_equal(db_note_add(db, deck, DB_NOTE_CLOZE, none, 2, "", 0,
	    NOW, &e), -1);
	assert_contains(e.msg, "cloze deletion");
	assert_int_equal(db_note_add(db, deck, DB_NOTE_BASIC, sep, 2, "", 0,
	    NOW, &e), -1);
	assert_contains(e.msg, "U+001F");

	assert_int_equal(db_note_get(db, id1, &n, &e), 0);
	assert_int_equal(n.notetype, DB_NOTE_REVERSED);
	assert_int_equal(n.nfields, 2);
	assert_string_equal(n.fields[0], "front");
	assert_string_equal(n.fields[1], "back");
	assert_string_equal(n.tags, "t1 t2");
	assert_true(strlen(n.guid) >= 1 && strlen(n.guid) <= 10);
	db_note_free(&n);

	/* Update: cloze cards follow the numbers. */
	assert_int_equal(db_note_update(db, id2, cloze2, 2, "new", NOW + 60, &e),
	    0);
	assert_int_equal(db_note_update(db, id2, none, 2, "", NOW, &e), -1);
	assert_int_equal(db_note_get(db, id2, &n, &e), 0);
	assert_string_equal(n.fields[0], "{{c2::b}} {{c5::e}}");
	assert_string_equal(n.tags, "new");
	assert_int_equal(n.modified, NOW + 60);
	db_note_free(&n);
	assert_int_equal(db_note_get(db, 999, &n, &e), -1);
	assert_int_equal(db_note_update(db, 999, basic, 2, "", NOW, &e), -1);
	/* A delete takes the cards' history with it: no review-log row is
	 * left pointing at a card that is gone (issue 14). */
	exec_sql(dbp, "INSERT INTO revlog (id, card_id, rating, kind, state, "
	    "stability, difficulty) SELECT 1000 + id, id, 3, 0, 1, 2, 5 FROM "
	    "cards");
	assert_int_equal(db_note_delete(db, id1, &e), 0);
	assert_int_equal(count(dbp, "SELECT count(*) FROM revlog WHERE card_id "
	    "NOT IN (SELECT id FROM cards)"), 0);
	assert_int_equal(count(dbp, "SELECT count(*) FROM revlog"), 3);
	assert_int_equal(db_note_delete(db, id1, &e), -1);
	db_close(db);
	/* c1 is gone from the text: its card stays, empty (issue 14). */
	d = dump(dbp, "SELECT note_id, ord, empty FROM cards ORDER BY note_id, "
	    "ord");
	assert_string_equal(d, "2|0|1\n2|1|0\n2|4|0\n");
	free(d);
	d = dump(dbp, "SELECT tags, sort_field FROM notes");
	assert_string_equal(d, " new |{{c2::b}} {{c5::e}}\n");
	free(d);
	free(dbp);
}

/* Deck names and tags with control, bidi and zero-width characters lose
 * them at import (Anki strips control characters from deck names and
 * tags), with a warning naming file:line:col; the cards come in. */
static void
test_hostile_names(void **state)
{
	char *dbp = tmp("names.db"), *f = tmp("names.txt"), *d;
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "#separator:tab\n"
	    "#deck:Evil\x1b]52;c;SGk=\x07\xe2\x80\x8bName\n"
	    "#tags:ok t\xe2\x80\xae" "ag\n"
	    "#tags column:3\n"
	    "front\tback\tcol\xe2\x81\xa6tag zw\xe2\x80\x8d\n"
	    "two\tback\tplain\n");
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f);
	assert_totals(&t, 2, 0, 0, 0);
	db_close(db);
	d = dump(dbp, "SELECT name FROM decks WHERE name LIKE 'Evil%'");
	assert_string_equal(d, "Evil]52;c;SGk=Name\n");
	free(d);
	d = dump(dbp, "SELECT tags FROM notes ORDER BY id");
	assert_string_equal(d, " coltag ok tag zw \n ok plain tag \n");
	free(d);
	assert_contains(reports.data, "names.txt:2:7: warning: deck name: "
	    "removed 3 control, bidi or zero-width characters");
	assert_contains(reports.data, "names.txt:3:7: warning: tags: removed 1");
	assert_contains(reports.data, "names.txt:5:");
	for (size_t i = 0; i < reports.len; i++)
		assert_true((unsigned char)reports.data[i] >= 0x20 ||
		    reports.data[i] == '\n');
	free(dbp);
	free(f);
}

/* A deck name deeper than 32 levels is refused at once, with its place,
 * and nothing is written; 32 levels are fine. */
static void
test_deep_deck(void **state)
{
	char *dbp = tmp("deep.db"), *f = tmp("deep.txt"), *g = tmp("ok32.txt");
	char *before, *after;
	struct import_totals t;
	struct buf b;
	struct db *db;
	struct err e;
	size_t l1, l2;
	struct timespec t0, t1;
	double ms;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "#separator:tab\n#deck:");
	for (int i = 0; i < 5000; i++)
		buf_adds(&b, "a::");
	buf_adds(&b, "a\nfront\tback\n");
	write_file(f, b.data);
	buf_reset(&b);
	buf_adds(&b, "#separator:tab\n#deck:");
	for (int i = 0; i < 31; i++)
		buf_printf(&b, "L%d::", i);
	buf_adds(&b, "L31\nfront\tback\n");
	write_file(g, b.data);
	buf_free(&b);

	db = open_db(dbp);
	db_close(db);
	before = slurp(dbp, &l1);
	db = open_db(dbp);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(import_opt(db, NULL, 0, &t, &e, f, (char *)NULL), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("# 5,000-level deck name refused in %.1f ms\n", ms);
	assert_contains(e.msg, "deck name nests more than 32 levels");
	assert_contains(e.path, "deep.txt");
	assert_int_equal(e.line, 2);
	assert_int_equal(e.col, 7);
	assert_true(ms < 1000);
	/* --deck and the progress file's own check say the same. */
	assert_int_equal(import_opt(db, "x::x::x::x::x::x::x::x::x::x::x::x::"
	    "x::x::x::x::x::x::x::x::x::x::x::x::x::x::x::x::x::x::x::x::x", 0,
	    &t, &e, g, (char *)NULL), -1);
	assert_contains(e.msg, "deck name nests more than 32 levels");
	db_close(db);
	after = slurp(dbp, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(before, after, l1);
	free(before);
	free(after);

	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, g);
	assert_totals(&t, 1, 0, 0, 0);
	db_close(db);
	assert_int_equal(count(dbp, "SELECT count(*) FROM decks WHERE name "
	    "LIKE 'L0%'"), 32);
	free(dbp);
	free(f);
	free(g);
}

/* A FIFO (or a device) named on the command line is refused without
 * being opened for reading: opening one waits for a writer forever. */
static void
test_fifo(void **state)
{
	char *dbp = tmp("fifo.db"), *fifo = tmp("pipe.txt");
	struct import_totals t;
	struct db *db;
	struct err e;

	(void)state;
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	db = open_db(dbp);
	alarm(20);	/* before the fix: blocked in open() */
	assert_int_equal(import_opt(db, NULL, 0, &t, &e, fifo, (char *)NULL),
	    -1);
	assert_contains(e.msg, "not a regular file or directory");
	assert_int_equal(import_opt(db, NULL, 0, &t, &e, "/dev/null",
	    (char *)NULL), -1);
	assert_contains(e.msg, "not a regular file or directory");
	alarm(0);
	db_close(db);
	unlink(fifo);
	free(dbp);
	free(fifo);
}

/* An import that fails imports nothing, so it reports no file as added. */
static void
test_failed_import_reports(void **state)
{
	char *dbp = tmp("failrep.db"), *good = data("cloze/cloze.txt");
	char *bad = data("errors/bad-deck.txt");
	struct import_totals t;
	struct db *db;
	struct err e;

	(void)state;
	db = open_db(dbp);
	assert_int_equal(import_opt(db, NULL, 0, &t, &e, good, bad,
	    (char *)NULL), -1);
	if (strstr(reports.data, " added") != NULL) {
		print_error("reports: %s\n", reports.data);
		fail_msg("a failed import reported a file as added");
	}
	IMPORT_OK(db, NULL, &t, good);
	assert_contains(reports.data, "cloze.txt: ");
	assert_contains(reports.data, " added");
	db_close(db);
	free(dbp);
	free(good);
	free(bad);
}

/* Cloze numbers go up to 500, as in Anki (ord = N - 1 up to 499); a note
 * with more is skipped with the reason, not cut short in silence. */
static void
test_cloze_limit(void **state)
{
	char *dbp = tmp("clozemax.db"), *f = tmp("clozemax.txt");
	struct import_totals t;
	struct buf b;
	struct db *db;

	(void)state;
	buf_init(&b);
	buf_adds(&b, "#separator:tab\n#notetype:Cloze\n#deck:Many\n");
	for (int n = 1; n <= 500; n++)
		buf_printf(&b, "{{c%d::w%d}} ", n, n);
	buf_adds(&b, "\tfive hundred\n");
	for (int n = 1; n <= 100000; n++)
		buf_printf(&b, "{{c%d::x}} ", n);
	buf_adds(&b, "\ttoo many\n");
	buf_adds(&b, "{{c1::a}} {{c501::b}}\tone over\n");
	write_file(f, b.data);
	buf_free(&b);
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f);
	db_close(db);
	assert_totals(&t, 1, 0, 0, 2);
	assert_contains(reports.data, "clozemax.txt:5: skipped: cloze number "
	    "c100000 is above the limit of 500");
	assert_contains(reports.data, "clozemax.txt:6: skipped: cloze number "
	    "c501 is above the limit of 500");
	assert_int_equal(count(dbp, "SELECT count(*) FROM cards"), 500);
	assert_int_equal(count(dbp, "SELECT max(ord) FROM cards"), 499);
	free(dbp);
	free(f);
}

/* A Markdown file whose table lemma does not read (no |---| line under
 * the header, or no table at all) says so instead of "0 added". */
static void
test_markdown_no_table(void **state)
{
	char *dbp = tmp("mdnone.db"), *f = tmp("nodelim.md"), *g = tmp("prose.md");
	struct import_totals t;
	struct db *db;

	(void)state;
	write_file(f, "Words\n\n| Front | Back |\n| a | b |\n");
	write_file(g, "Just prose.\n");
	db = open_db(dbp);
	IMPORT_OK(db, NULL, &t, f, g);
	db_close(db);
	assert_totals(&t, 0, 0, 0, 0);
	assert_contains(reports.data, "nodelim.md:3: warning: no Markdown table "
	    "read: expected a header row such as | Front | Back |");
	assert_contains(reports.data, "prose.md: warning: no Markdown table "
	    "read");
	free(dbp);
	free(f);
	free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_one_deck),
		cmocka_unit_test(test_seed_deck_from_text),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_cloze),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_update_keeps_schedule),
		cmocka_unit_test(test_guid_and_cloze_update),
		cmocka_unit_test(test_skips),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_anki_rules),
		cmocka_unit_test(test_anki_text_import),
		cmocka_unit_test(test_separator_summary),
		cmocka_unit_test(test_if_matches),
		cmocka_unit_test(test_guids_deterministic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_other),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_control_chars),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_note_api),
		cmocka_unit_test(test_reimport_one_file),
		cmocka_unit_test(test_reimport_keeps_what_file_lacks),
		cmocka_unit_test(test_cloze_removed_keeps_card),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_deep_deck),
		cmocka_unit_test(test_fifo),
		cmocka_unit_test(test_failed_import_reports),
		cmocka_unit_test(test_cloze_limit),
		cmocka_unit_test(test_markdown_no_table),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
