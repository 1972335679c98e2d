/*
 * test_notetypes.c - note types in the progress file (db-notetypes.c) and
 * the cards db-notes.c makes from them: Anki's generation rule on add, on
 * edit (cards that become empty are kept, marked empty; new ones added),
 * a user's type with five fields and two templates, and a text import
 * that names it. Table-driven where the cases are alike.
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

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/export.h"
#include "lemma/formats/import.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db-notes.h"
#include "lemma/store/db-notetypes.h"
#include "lemma/store/db.h"
#include "fresh-db.h"

#define NOW	1790000000

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-nt-XXXXXX",
	    paths_tmpdir());
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct db *
fresh(const char *name)
{
	char path[512];
	struct err e;
	struct db *db;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	db = fresh_db_open(path, &e);
	assert_non_null(db);
	return db;
}

/* "ord:empty ord:empty" of note id's cards. */
static void
cards_of(struct db *db, int64_t id, char *out, size_t len)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	char sql[160];

	out[0] = '\0';
	assert_int_equal(sqlite3_open(db_path(db), &s), SQLITE_OK);
	snprintf(sql, sizeof sql, "SELECT ord, empty FROM cards WHERE note_id = "
	    "%lld ORDER BY ord", (long long)id);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out + strlen(out), len - strlen(out), "%s%d:%d",
		    out[0] ? " " : "", sqlite3_column_int(st, 0),
		    sqlite3_column_int(st, 1));
	sqlite3_finalize(st);
	sqlite3_close(s);
}

/* Add a note, then edit it step by step: the cards after each. */
static void
test_cards_follow_edits(void **state)
{
	static const struct {
		int type;
		const char *add[3], *want_add;
		const char *edit[3], *want_edit;
		const char *edit2[3], *want_edit2;
	} t[] = {
		/* optional reverse: card 2 only with Add Reverse */
		{ NOTETYPE_OPTIONAL_REVERSED, { "q", "a", "" }, "0:0",
		  { "q", "a", "y" }, "0:0 1:0",
		  { "q", "a", "" }, "0:0 1:1" },
		/* and reversed: an empty Back empties card 2, kept */
		{ NOTETYPE_REVERSED, { "q", "a", NULL }, "0:0 1:0",
		  { "q", "", NULL }, "0:0 1:1",
		  { "q", "b", NULL }, "0:0 1:0" },
		/* reversed with an empty Back from the start: card 1 only */
		{ NOTETYPE_REVERSED, { "q", "", NULL }, "0:0",
		  { "q", "b", NULL }, "0:0 1:0",
		  { "", "b", NULL }, "0:1 1:0" },
		/* cloze: numbers come and go */
		{ NOTETYPE_CLOZE, { "{{c1::a}} {{c2::b}}", "", NULL }, "0:0 1:0",
		  { "{{c2::b}}", "", NULL }, "0:1 1:0",
		  { "{{c1::a}} {{c3::c}}", "", NULL }, "0:0 1:1 2:0" },
		/* typing: one card */
		{ NOTETYPE_TYPING, { "q", "a", NULL }, "0:0",
		  { "q", "b", NULL }, "0:0",
		  { "q", "", NULL }, "0:0" },
	};
	struct db *db = fresh("edits.db");
	struct err e;
	int64_t deck = db_deck_ensure(db, "D", NOW, &e);

	(void)state;
	assert_true(deck > 0);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = t[i].add[2] != NULL ? 3 : 2;
		char got[128];
		int64_t id;

		id = db_note_add(db, deck, t[i].type, t[i].add, n, "", 0, NOW,
		    &e);
		if (id <= 0)
			fail_msg("case %zu: add: %s", i, e.msg);
		cards_of(db, id, got, sizeof got);
		if (strcmp(got, t[i].want_add) != 0)
			fail_msg("case %zu add: cards %s", i, got);
		assert_int_equal(db_note_update(db, id, t[i].edit, n, "",
		    NOW + 10, &e), 0);
		cards_of(db, id, got, sizeof got);
		if (strcmp(got, t[i].want_edit) != 0)
			fail_msg("case %zu edit: cards %s", i, got);
		assert_int_equal(db_note_update(db, id, t[i].edit2, n, "",
		    NOW + 20, &e), 0);
		cards_of(db, id, got, sizeof got);
		if (strcmp(got, t[i].want_edit2) != 0)
			fail_msg("case %zu edit 2: cards %s", i, got);
	}
	db_close(db);
}

static void
vocab(struct notetype *nt)
{
	static const char *const f[] = { "Word", "Meaning", "Example", "Pron",
	    "Notes" };

	memset(nt, 0, sizeof *nt);
	nt->name = xstrdup("Vocab");
	nt->nfields = 5;
	nt->fields = xcalloc(5, sizeof *nt->fields);
	for (size_t i = 0; i < 5; i++)
		nt->fields[i] = xstrdup(f[i]);
	nt->ntemplates = 2;
	nt->templates = xcalloc(2, sizeof *nt->templates);
	nt->templates[0].name = xstrdup("Recognise");
	nt->templates[0].qfmt = xstrdup("{{Word}}{{#Pron}} [{{Pron}}]{{/Pron}}");
	nt->templates[0].afmt = xstrdup("{{FrontSide}}<hr id=answer>{{Meaning}}");
	nt->templates[1].name = xstrdup("Recall");
	nt->templates[1].qfmt = xstrdup("{{#Meaning}}{{Meaning}}{{/Meaning}}");
	nt->templates[1].afmt = xstrdup("{{FrontSide}}<hr id=answer>{{Word}}");
}

/* A user's type: added, read back, refused when it cannot work. */
static void
test_user_type(void **state)
{
	struct db *db = fresh("user.db");
	struct notetype nt, back;
	struct err e;
	int64_t id, deck, nid;
	const char *f[] = { "chat", "", "Le chat dort.", "ʃa", "" };
	char got[64];

	(void)state;
	vocab(&nt);
	id = db_notetype_add(db, &nt, NOW, &e);
	assert_int_equal(id, NOTETYPE_BUILTIN);
	assert_int_equal(db_notetype_find(db, "vocab", &e), id);
	assert_int_equal(db_notetype_find(db, "Basic", &e), NOTETYPE_BASIC);
	assert_int_equal(db_notetype_find(db, "Nope", &e), -1);
	assert_non_null(strstr(e.msg, "no note type called 'Nope'"));
	assert_int_equal(db_notetype_get(db, id, &back, &e), 0);
	assert_string_equal(back.fields[4], "Notes");
	assert_string_equal(back.templates[1].name, "Recall");
	notetype_free(&back);
	/* The same name again, and broken types: refused, nothing written. */
	assert_int_equal(db_notetype_add(db, &nt, NOW, &e), -1);
	assert_non_null(strstr(e.msg, "exists already"));
	free(nt.templates[1].qfmt);
	nt.templates[1].qfmt = xstrdup("{{#Meaning}}{{Meaning}}");
	free(nt.name);
	nt.name = xstrdup("Vocab 2");
	assert_int_equal(db_notetype_add(db, &nt, NOW, &e), -1);
	assert_non_null(strstr(e.msg, "template 'Recall': missing "
	    "{{/Meaning}}"));
	free(nt.templates[1].qfmt);
	nt.templates[1].qfmt = xstrdup("no field");
	assert_int_equal(db_notetype_add(db, &nt, NOW, &e), -1);
	assert_non_null(strstr(e.msg, "no card could ever be made"));
	free(nt.fields[1]);
	nt.fields[1] = xstrdup("word");
	assert_int_equal(db_notetype_add(db, &nt, NOW, &e), -1);
	assert_non_null(strstr(e.msg, "two fields called 'word'"));
	notetype_free(&nt);
	assert_int_equal(db_notetype_find(db, "Vocab 2", &e), -1);
	/* A cloze type must fill a field with cloze:. */
	vocab(&nt);
	free(nt.name);
	nt.name = xstrdup("Cloze 2");
	nt.kind = NOTETYPE_KIND_CLOZE;
	nt.ntemplates = 1;
	assert_int_equal(db_notetype_add(db, &nt, NOW, &e), -1);
	assert_non_null(strstr(e.msg, "the front needs {{cloze:Field}}"));
	nt.ntemplates = 2;
	notetype_free(&nt);

	/* A note of it: Meaning empty, so only Recognise. */
	deck = db_deck_ensure(db, "V", NOW, &e);
	nid = db_note_add(db, deck, (int)id, f, 5, "", 0, NOW, &e);
	assert_true(nid > 0);
	cards_of(db, nid, got, sizeof got);
	assert_string_equal(got, "0:0");
	f[1] = "cat";
	assert_int_equal(db_note_update(db, nid, f, 5, "", NOW, &e), 0);
	cards_of(db, nid, got, sizeof got);
	assert_string_equal(got, "0:0 1:0");
	assert_int_equal(db_notetype_use_count(db, id, &e), 1);
	db_close(db);
}

static void
collect(void *arg, const char *line)
{
	buf_adds(arg, line);
	buf_addc(arg, '\n');
}

#define S(b)	((b).data != NULL ? (b).data : "")

/* #notetype: and a note type column name a user's type. */
static void
test_import_named(void **state)
{
	struct db *db = fresh("import.db");
	struct import_opts o;
	struct import_totals tot;
	struct notetype nt;
	struct err e;
	char good[512], bad[512], bad2[512], got[64];
	struct buf reported;
	const char *paths[1];
	FILE *f;

	(void)state;
	vocab(&nt);
	assert_true(db_notetype_add(db, &nt, NOW, &e) > 0);
	notetype_free(&nt);
	snprintf(good, sizeof good, "%s/good.txt", tmpdir);
	snprintf(bad, sizeof bad, "%s/bad.txt", tmpdir);
	snprintf(bad2, sizeof bad2, "%s/bad2.txt", tmpdir);
	f = fopen(good, "w");
	fputs("#separator:tab\n#notetype:Vocab\n#deck:V\n"
	    "chat\tcat\tLe chat dort.\t\t\n", f);
	fclose(f);
	f = fopen(bad, "w");
	fputs("#separator:tab\n#notetype:Vocabulary\nchat\tcat\n", f);
	fclose(f);
	f = fopen(bad2, "w");
	fputs("#separator:tab\n#notetype column:1\nVocab\thund\tdog\n"
	    "Fancy\tx\ty\n", f);
	fclose(f);
	/* A name that is not a type: as Anki, #notetype: gives Basic with a
	 * warning at the name, and a note type cell skips its row. */
	memset(&o, 0, sizeof o);
	o.report = collect;
	o.report_arg = &reported;
	buf_init(&reported);
	paths[0] = bad;
	assert_int_equal(import_paths(db, paths, 1, &o, NOW, &tot, &e), 0);
	paths[0] = bad2;
	assert_int_equal(import_paths(db, paths, 1, &o, NOW, &tot, &e), 0);
	assert_non_null(strstr(S(reported), "bad.txt:2:11: warning: unknown "
	    "note type 'Vocabulary'"));
	assert_non_null(strstr(S(reported), "the notes are Basic"));
	assert_non_null(strstr(S(reported), "bad2.txt:4: skipped: unknown note "
	    "type 'Fancy'"));
	buf_free(&reported);
	{
		sqlite3 *s;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(db_path(db), &s), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(s, "SELECT group_concat("
		    "sort_field || ':' || notetype, ' ') FROM notes", -1, &st,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
		    "chat:0 hund:5");
		sqlite3_finalize(st);
		assert_int_equal(sqlite3_exec(s, "DELETE FROM cards; "
		    "DELETE FROM notes", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(s);
	}
	o.report = NULL;
	paths[0] = good;
	assert_int_equal(import_paths(db, paths, 1, &o, NOW, &tot, &e), 0);
	{
		sqlite3 *s;
		sqlite3_stmt *st;
		int64_t nid = 0;

		assert_int_equal(sqlite3_open(db_path(db), &s), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(s, "SELECT id, notetype, "
		    "(SELECT count(*) FROM notes) FROM notes", -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		nid = sqlite3_column_int64(st, 0);
		assert_int_equal(sqlite3_column_int(st, 1), NOTETYPE_BUILTIN);
		assert_int_equal(sqlite3_column_int(st, 2), 1);
		sqlite3_finalize(st);
		sqlite3_close(s);
		cards_of(db, nid, got, sizeof got);
		assert_string_equal(got, "0:0 1:0");
	}
	/* Exported as Anki text, the note names its type, so the file
	 * imports again (here or in Anki) into the same type. */
	{
		char buf[1024];
		size_t n;

		f = tmpfile();
		assert_non_null(f);
		assert_int_equal(export_deck(db, "V", EXPORT_ANKI, f, &e), 0);
		rewind(f);
		n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		fclose(f);
		assert_non_null(strstr(buf, "\tVocab\tV\t"));
	}
	db_close(db);
}

/* The first import into an empty file writes reversed cards in bulk at
 * the end: a note with an empty Back gets only card 1, the others both
 * (a note with an empty Front is skipped by import: its first field). */
/*
 * A text file for a type of the user's places its columns as Anki's text
 * importer does (csv/metadata.rs): by the type's field names when
 * #notetype: names it and #columns: labels the columns, in order without
 * labels or with a note type column; the tags column is the first after
 * the fields. Each file in turn, into one progress file.
 */
static void
test_import_named_columns(void **state)
{
	static const struct {
		const char	*file;
		const char	*notes;	/* fields joined by |, [tags] */
	} steps[] = {
		/* By name, in another order; Pron named by no column. */
		{ "#separator:tab\n#notetype:Vocab\n"
		  "#columns:Meaning\tWord\tNotes\tExample\n"
		  "house\tcasa\tn1\tla casa\n",
		  "casa|house|la casa||n1 []" },
		/* In order without labels; the tags after the five fields. */
		{ "#separator:tab\n#notetype:Vocab\n"
		  "gato\tcat\tel gato\tGA-to\tn2\tanimal\n",
		  "gato|cat|el gato|GA-to|n2 [animal]" },
		/* A column that names no field is not a field: the first
		 * after the fields, it is the tags column. */
		{ "#separator:tab\n#notetype:Vocab\n#columns:word\tMEANING\tStuff\n"
		  "perro\tdog\tpet\n",
		  "perro|dog [pet]" },
		/* No column names the first field: the first column is it
		 * (Anki maps field 1 to column 1 unless a label says). */
		{ "#separator:tab\n#notetype:Vocab\n#columns:Meaning\tPron\n"
		  "luna\tLU-na\n",
		  "luna|luna||LU-na []" },
		/* A re-import keeps the fields no column names. */
		{ "#separator:tab\n#notetype:Vocab\n#columns:Word\tPron\n"
		  "casa\tKA-sa\n",
		  "casa|house|la casa|KA-sa|n1 []" },
		/* A note type column: fields in order, labels or not (each
		 * row's type may have other fields). */
		{ "#separator:tab\n#notetype column:1\n"
		  "#columns:Type\tMeaning\tWord\nVocab\tsol\tsun\n",
		  "sol|sun []" },
	};
	struct db *db = fresh("import-columns.db");
	struct import_opts o;
	struct import_totals tot;
	struct notetype nt;
	struct err e;
	char path[512];
	const char *paths[1] = { path };

	(void)state;
	vocab(&nt);
	assert_true(db_notetype_add(db, &nt, NOW, &e) > 0);
	notetype_free(&nt);
	snprintf(path, sizeof path, "%s/columns.txt", tmpdir);
	memset(&o, 0, sizeof o);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		sqlite3 *s;
		sqlite3_stmt *st;
		FILE *f = fopen(path, "w");
		const char *got;
		char word[32];

		assert_non_null(f);
		fputs(steps[i].file, f);
		fclose(f);
		if (import_paths(db, paths, 1, &o, NOW, &tot, &e) != 0)
			fail_msg("step %zu: %s", i, e.msg);
		/* The note whose first field the step's want begins with. */
		snprintf(word, sizeof word, "%.*s", (int)strcspn(steps[i].notes,
		    "|"), steps[i].notes);
		assert_int_equal(sqlite3_open(db_path(db), &s), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(s, "SELECT replace(fields, "
		    "char(31), '|') || ' [' || trim(tags) || ']' FROM notes "
		    "WHERE notetype = 5 AND sort_field = ?", -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, word, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_ROW)
			fail_msg("step %zu: no Vocab note %s", i, word);
		got = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(got, steps[i].notes) != 0)
			fail_msg("step %zu: got %s, want %s", i, got,
			    steps[i].notes);
		sqlite3_finalize(st);
		sqlite3_close(s);
	}
	db_close(db);
}

static void
test_bulk_reversed(void **state)
{
	struct db *db = fresh("bulk.db");
	struct import_opts o;
	struct import_totals tot;
	struct err e;
	char path[512], got[64];
	const char *paths[1] = { path };
	static const char *const want[] = { "0:0 1:0", "0:0", "0:0 1:0" };
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/rev.txt", tmpdir);
	f = fopen(path, "w");
	fputs("#separator:tab\n#notetype:Basic (and reversed card)\n#deck:R\n"
	    "a\tA\nb\t<br>\nc\tC\n", f);
	fclose(f);
	memset(&o, 0, sizeof o);
	assert_int_equal(import_paths(db, paths, 1, &o, NOW, &tot, &e), 0);
	for (int id = 1; id <= 3; id++) {
		cards_of(db, id, got, sizeof got);
		if (strcmp(got, want[id - 1]) != 0)
			fail_msg("note %d: cards %s", id, got);
	}
	db_close(db);
}

/* A text file of Basic (optional reversed card): the third column is Add
 * Reverse, and only a note with it filled gets the reverse card. */
static void
test_import_optional_reverse(void **state)
{
	struct db *db = fresh("optrev.db");
	struct import_opts o;
	struct import_totals tot;
	struct err e;
	char path[512], got[64];
	const char *paths[1] = { path };
	FILE *f;

	(void)state;
	assert_true(db_deck_ensure(db, "Other", NOW, &e) > 0);
	snprintf(path, sizeof path, "%s/optrev.txt", tmpdir);
	f = fopen(path, "w");
	fputs("#separator:tab\n#notetype:basic (OPTIONAL reversed card)\n"
	    "#deck:O\nq1\ta1\t\nq2\ta2\ty\n", f);
	fclose(f);
	memset(&o, 0, sizeof o);
	assert_int_equal(import_paths(db, paths, 1, &o, NOW, &tot, &e), 0);
	cards_of(db, 1, got, sizeof got);
	assert_string_equal(got, "0:0");
	cards_of(db, 2, got, sizeof got);
	assert_string_equal(got, "0:0 1:0");
	/* Importing it again with Add Reverse filled on the first note adds
	 * its reverse; emptied on the second, its reverse is kept, empty. */
	f = fopen(path, "w");
	fputs("#separator:tab\n#notetype:Basic (optional reversed card)\n"
	    "#deck:O\nq1\ta1\ty\nq2\ta2\t\n", f);
	fclose(f);
	assert_int_equal(import_paths(db, paths, 1, &o, NOW + 60, &tot, &e), 0);
	cards_of(db, 1, got, sizeof got);
	assert_string_equal(got, "0:0 1:0");
	cards_of(db, 2, got, sizeof got);
	assert_string_equal(got, "0:0 1:1");
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cards_follow_edits),
		cmocka_unit_test(test_user_type),
		cmocka_unit_test(test_import_named),
		cmocka_unit_test(test_import_named_columns),
		cmocka_unit_test(test_bulk_reversed),
		cmocka_unit_test(test_import_optional_reverse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
