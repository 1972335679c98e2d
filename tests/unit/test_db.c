/* test_db.c - the progress file: create, permissions, refusal, migration. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lemma/base/paths.h"
#include "lemma/store/db.h"
#include "schema-undo.h"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-db-XXXXXX",
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

static void
path_in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* Read a whole file, to compare before and after. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
test_create_private(void **state)
{
	char path[512];
	struct stat st;
	struct err e;
	struct db *db;

	(void)state;
	path_in_tmp(path, sizeof path, "a/b/collection.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_true(db_was_created(db));
	db_close(db);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	path_in_tmp(path, sizeof path, "a/b");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* Opened again: not new, same schema. */
	path_in_tmp(path, sizeof path, "a/b/collection.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_false(db_was_created(db));
	db_close(db);
}

static void
test_missing_without_create(void **state)
{
	char path[512];
	struct err e;

	(void)state;
	path_in_tmp(path, sizeof path, "nothing.db");
	assert_null(db_open(path, 0, &e));
	assert_non_null(strstr(e.msg, "no such progress file"));
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_refuse_not_sqlite(void **state)
{
	static const char text[] = "root:x:0:0:root:/root:/bin/bash\n";
	char path[512], *after;
	size_t len;
	struct err e;

	(void)state;
	path_in_tmp(path, sizeof path, "passwd");
	write_file(path, text, sizeof text - 1);
	assert_null(db_open(path, DB_CREATE, &e));
	assert_non_null(strstr(e.msg, "not a lemma progress file"));
	after = slurp(path, &len);
	assert_int_equal(len, sizeof text - 1);
	assert_memory_equal(after, text, len);
	free(after);
	path_in_tmp(path, sizeof path, "passwd-wal");
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_refuse_other_sqlite(void **state)
{
	char path[512], *before, *after;
	size_t blen, alen;
	sqlite3 *s;
	struct err e;

	(void)state;
	path_in_tmp(path, sizeof path, "other.db");
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "CREATE TABLE t(x); INSERT INTO t VALUES (1);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	before = slurp(path, &blen);
	assert_null(db_open(path, DB_CREATE, &e));
	assert_non_null(strstr(e.msg, "not a lemma progress file"));
	after = slurp(path, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(before);
	free(after);
}

static void
test_refuse_newer(void **state)
{
	char path[512], *before, *after;
	size_t blen, alen;
	struct db *db;
	sqlite3 *s;
	struct err e;

	(void)state;
	path_in_tmp(path, sizeof path, "newer.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 99", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(s);
	before = slurp(path, &blen);
	assert_null(db_open(path, DB_CREATE, &e));
	assert_non_null(strstr(e.msg, "newer lemma"));
	after = slurp(path, &alen);
	assert_int_equal(alen, blen);
	assert_memory_equal(after, before, blen);
	free(before);
	free(after);
}

static void
test_refuse_truncated(void **state)
{
	char path[512], *data;
	size_t len;
	struct db *db;
	struct err e;
	int64_t id;
	char name[64];

	(void)state;
	path_in_tmp(path, sizeof path, "trunc.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	/* Enough rows to span several pages. */
	assert_int_equal(db_begin(db, &e), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "Deck %04d with a long name", i);
		id = db_deck_ensure(db, name, 0, &e);
		assert_true(id > 0);
	}
	assert_int_equal(db_commit(db, &e), 0);
	db_close(db);
	data = slurp(path, &len);
	assert_true(len > 8192);
	write_file(path, data, len / 2);
	free(data);
	assert_null(db_open(path, DB_CREATE, &e));
	assert_true(strstr(e.msg, "truncated") != NULL ||
	    strstr(e.msg, "corrupt") != NULL);
	data = slurp(path, &len);
	free(data);
}

static void
test_symlink_to_other_user(void **state)
{
	char link[512];
	struct err e;

	(void)state;
	if (geteuid() == 0) {
		/* /etc/shadow is root's: as root the link is "ours"; the file is
		 * still refused for not being SQLite, and left untouched. */
	}
	path_in_tmp(link, sizeof link, "link.db");
	assert_int_equal(symlink("/etc/passwd", link), 0);
	assert_null(db_open(link, DB_CREATE, &e));
	assert_true(strstr(e.msg, "another user") != NULL ||
	    strstr(e.msg, "not a lemma progress file") != NULL);
}

static void
test_decks_hierarchy(void **state)
{
	char path[512];
	struct deck *decks;
	size_t n;
	struct err e;
	struct db *db;
	int64_t a, b;

	(void)state;
	path_in_tmp(path, sizeof path, "decks.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	a = db_deck_ensure(db, "Lang::French::Verbs", 0, &e);
	assert_true(a > 0);
	b = db_deck_ensure(db, "Lang::French::Verbs", 0, &e);
	assert_int_equal(a, b);
	assert_true(db_deck_find(db, "Lang::French", &e) > 0);
	assert_true(db_deck_find(db, "Lang", &e) > 0);
	assert_int_equal(db_deck_find(db, "Nope", &e), 0);
	assert_int_equal(db_deck_ensure(db, "Lang::::x", 0, &e), -1);
	assert_non_null(strstr(e.msg, "bad deck name"));
	assert_int_equal(db_deck_ensure(db, "", 0, &e), -1);
	assert_int_equal(db_deck_list(db, &decks, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(decks[0].name, "Lang");
	assert_string_equal(decks[2].name, "Lang::French::Verbs");
	db_decks_free(decks, n);
	db_close(db);
}

static void
test_settings_and_rollback(void **state)
{
	char path[512], val[64];
	struct err e;
	struct db *db;

	(void)state;
	path_in_tmp(path, sizeof path, "settings.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_int_equal(db_setting_get(db, "x", val, sizeof val), -1);
	assert_int_equal(db_setting_set(db, "x", "1", &e), 0);
	assert_int_equal(db_setting_get(db, "x", val, sizeof val), 0);
	assert_string_equal(val, "1");
	/* A nested transaction rolled back undoes the outer one too. */
	assert_int_equal(db_begin(db, &e), 0);
	assert_int_equal(db_setting_set(db, "x", "2", &e), 0);
	assert_int_equal(db_begin(db, &e), 0);
	assert_int_equal(db_setting_set(db, "y", "3", &e), 0);
	db_rollback(db);
	assert_int_equal(db_setting_get(db, "x", val, sizeof val), 0);
	assert_string_equal(val, "1");
	assert_int_equal(db_setting_get(db, "y", val, sizeof val), -1);
	db_close(db);
}

static void
test_check(void **state)
{
	char path[512], report[1024];
	struct err e;
	struct db *db;
	sqlite3 *s;

	(void)state;
	path_in_tmp(path, sizeof path, "check.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_int_equal(db_check(db, report, sizeof report, &e), 0);
	assert_string_equal(report, "");
	db_close(db);
	/* A card in a state no grade can produce. */
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO decks (id, name, created) VALUES (1, 'D', 0);"
	    "INSERT INTO notes (id, guid, deck_id, fields, sort_field, created, modified)"
	    " VALUES (1, 'g', 1, 'a\x1f" "b', 'a', 0, 0);"
	    "INSERT INTO cards (note_id, ord, deck_id, state, stability, difficulty,"
	    " created, modified) VALUES (1, 0, 1, 2, 0, 0, 0, 0);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_int_equal(db_check(db, report, sizeof report, &e), 1);
	assert_non_null(strstr(report, "impossible memory state"));
	db_close(db);
}

/* A review-log row whose card is gone: history nothing can show or undo,
 * and which no lemma code leaves behind (issue 14); check names it. */
static void
test_check_orphan_revlog(void **state)
{
	char path[512], report[1024];
	struct err e;
	struct db *db;
	sqlite3 *s;

	(void)state;
	path_in_tmp(path, sizeof path, "orphan.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO decks (id, name, created) VALUES (1, 'D', 0);"
	    "INSERT INTO notes (id, guid, deck_id, fields, sort_field, created, modified)"
	    " VALUES (1, 'g', 1, 'a\x1f" "b', 'a', 0, 0);"
	    "INSERT INTO cards (id, note_id, ord, deck_id, state, due, reps,"
	    " stability, difficulty, created, modified)"
	    " VALUES (1, 1, 0, 1, 1, 0, 1, 2, 5, 0, 0);"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, stability,"
	    " difficulty) VALUES (1000, 1, 3, 0, 1, 2, 5), (2000, 7, 3, 0, 1, 2, 5),"
	    " (3000, 7, 3, 1, 2, 4, 5);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_int_equal(db_check(db, report, sizeof report, &e), 1);
	assert_string_equal(report, "2 review-log rows whose card is missing\n");
	db_close(db);
}

/* Migration 4 on a file of schema 3 (tests/unit/schema-undo.h): the cards
 * keep every column and are not empty; the import's first-field index
 * replaces the per-deck one. */
static void
test_upgrade_to_4(void **state)
{
	char path[512], report[1024];
	struct err e;
	struct db *db;
	sqlite3 *s;
	sqlite3_stmt *st;

	(void)state;
	path_in_tmp(path, sizeof path, "upgrade4.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO decks (id, name, created) VALUES (1, 'D', 0);"
	    "INSERT INTO notes (id, guid, deck_id, fields, sort_field, created, modified)"
	    " VALUES (1, 'g', 1, 'a\x1f" "b', 'a', 0, 0);"
	    "INSERT INTO cards (id, note_id, ord, deck_id, state, due, stability,"
	    " difficulty, reps, created, modified)"
	    " VALUES (5, 1, 0, 1, 2, 99, 3, 4, 1, 0, 0);"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, due,"
	    " stability, difficulty) VALUES (1000, 5, 3, 0, 2, 99, 3, 4);",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(undo_to(s, 3), 0);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT count(*) FROM "
	    "pragma_table_info('cards') WHERE name = 'empty'", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(s);

	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_int_equal(db_check(db, report, sizeof report, &e), 0);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT (SELECT user_version FROM "
	    "pragma_user_version), (SELECT group_concat(id || ',' || state || ',' "
	    "|| due || ',' || reps || ',' || empty) FROM cards), (SELECT "
	    "group_concat(name) FROM sqlite_schema WHERE type = 'index' AND "
	    "tbl_name = 'notes' AND sql IS NOT NULL)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), DB_SCHEMA_VERSION);
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "5,2,99,1,0");
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 2),
	    "notes_first_field"));
	assert_null(strstr((const char *)sqlite3_column_text(st, 2),
	    "notes_deck_sort"));
	sqlite3_finalize(st);
	sqlite3_close(s);
}

/* Migration 6 on a file of schema 5: every note keeps its type (0, 1, 2
 * are the built-in rows of the same ids), every card and review-log row
 * stays, and the five built-in types are there with Anki's names, fields
 * and templates. notes loses its CHECK: a note of type 4 can be added. */
static void
test_upgrade_to_6(void **state)
{
	char path[512], report[1024];
	struct err e;
	struct db *db;
	sqlite3 *s;
	sqlite3_stmt *st;

	(void)state;
	path_in_tmp(path, sizeof path, "upgrade6.db");
	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(undo_to(s, 5), 0);
	/* The old CHECK is back: type 3 is refused by schema 5. */
	assert_int_not_equal(sqlite3_exec(s,
	    "INSERT INTO decks (id, name, created) VALUES (9, 'X', 0);"
	    "INSERT INTO notes (id, guid, notetype, deck_id, fields, sort_field,"
	    " created, modified) VALUES (9, 'x', 3, 9, 'a', 'a', 0, 0)",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s,
	    "INSERT INTO decks (id, name, created) VALUES (1, 'D', 0);"
	    "INSERT INTO notes (id, guid, notetype, deck_id, fields, sort_field,"
	    " tags, created, modified) VALUES"
	    " (1, 'g1', 0, 1, 'a\x1f" "b', 'a', ' t ', 0, 0),"
	    " (2, 'g2', 1, 1, 'c\x1f" "d', 'c', '', 0, 0),"
	    " (3, 'g3', 2, 1, '{{c1::x}} {{c2::y}}\x1f', 'x', '', 0, 0);"
	    "INSERT INTO cards (id, note_id, ord, deck_id, state, due, stability,"
	    " difficulty, reps, created, modified) VALUES"
	    " (11, 1, 0, 1, 2, 99, 3, 4, 1, 0, 0), (21, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0),"
	    " (22, 2, 1, 1, 2, 50, 2, 5, 2, 0, 0), (31, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0),"
	    " (32, 3, 1, 1, 1, 7, 1, 6, 1, 0, 0);"
	    "INSERT INTO revlog (id, card_id, rating, kind, state, due,"
	    " stability, difficulty) VALUES (1000, 11, 3, 0, 2, 99, 3, 4),"
	    " (2000, 22, 3, 0, 2, 50, 2, 5), (3000, 32, 1, 0, 1, 7, 1, 6);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);

	db = db_open(path, DB_CREATE, &e);
	assert_non_null(db);
	assert_int_equal(db_check(db, report, sizeof report, &e), 0);
	db_close(db);
	assert_int_equal(sqlite3_open(path, &s), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT (SELECT user_version FROM "
	    "pragma_user_version),"
	    " (SELECT group_concat(id || ':' || notetype || ':' || tags, ',')"
	    "  FROM notes),"
	    " (SELECT group_concat(id || ':' || note_id || ':' || ord || ':' ||"
	    "  state || ':' || due || ':' || reps, ',') FROM cards),"
	    " (SELECT group_concat(id || ':' || card_id, ',') FROM revlog),"
	    " (SELECT group_concat(id || ':' || name || ':' || kind, '|')"
	    "  FROM notetypes),"
	    " (SELECT group_concat(notetype || ':' || name, '|') FROM"
	    "  (SELECT * FROM nt_fields ORDER BY notetype, ord)),"
	    " (SELECT group_concat(qfmt, '|') FROM"
	    "  (SELECT * FROM nt_templates ORDER BY notetype, ord)),"
	    " (SELECT afmt FROM nt_templates WHERE notetype = 4)",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), DB_SCHEMA_VERSION);
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
	    "1:0: t ,2:1:,3:2:");
	assert_string_equal((const char *)sqlite3_column_text(st, 2),
	    "11:1:0:2:99:1,21:2:0:0:0:0,22:2:1:2:50:2,31:3:0:0:0:0,"
	    "32:3:1:1:7:1");
	assert_string_equal((const char *)sqlite3_column_text(st, 3),
	    "1000:11,2000:22,3000:32");
	assert_string_equal((const char *)sqlite3_column_text(st, 4),
	    "0:Basic:0|1:Basic (and reversed card):0|2:Cloze:1|"
	    "3:Basic (optional reversed card):0|4:Basic (type in the answer):0");
	assert_string_equal((const char *)sqlite3_column_text(st, 5),
	    "0:Front|0:Back|1:Front|1:Back|2:Text|2:Back Extra|3:Front|3:Back|"
	    "3:Add Reverse|4:Front|4:Back");
	assert_string_equal((const char *)sqlite3_column_text(st, 6),
	    "{{Front}}|{{Front}}|{{Back}}|{{cloze:Text}}|{{Front}}|"
	    "{{#Add Reverse}}{{Back}}{{/Add Reverse}}|{{Front}}\n\n{{type:Back}}");
	assert_string_equal((const char *)sqlite3_column_text(st, 7),
	    "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}");
	sqlite3_finalize(st);
	/* cards still refer to notes, and notes to note types. */
	assert_int_equal(sqlite3_exec(s, "PRAGMA foreign_keys = ON;"
	    "INSERT INTO notes (id, guid, notetype, deck_id, fields, sort_field,"
	    " created, modified) VALUES (4, 'g4', 4, 1, 'q\x1f" "a', 'q', 0, 0)",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(s, "INSERT INTO notes (id, guid,"
	    " notetype, deck_id, fields, sort_field, created, modified) VALUES"
	    " (5, 'g5', 77, 1, 'q', 'q', 0, 0)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(s, "INSERT INTO cards (note_id, ord,"
	    " deck_id, created, modified) VALUES (99, 0, 1, 0, 0)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(s);
}

static void
test_two_writers(void **state)
{
	char path[512];
	struct err e;
	struct db *a, *b;

	(void)state;
	path_in_tmp(path, sizeof path, "two.db");
	a = db_open(path, DB_CREATE, &e);
	b = db_open(path, DB_CREATE, &e);
	assert_non_null(a);
	assert_non_null(b);
	/* Both can write in turn; WAL lets one read while the other writes. */
	assert_true(db_deck_ensure(a, "A", 0, &e) > 0);
	assert_true(db_deck_ensure(b, "B", 0, &e) > 0);
	assert_true(db_deck_find(a, "B", &e) > 0);
	db_close(a);
	db_close(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_private),
		cmocka_unit_test(test_missing_without_create),
		cmocka_unit_test(test_refuse_not_sqlite),
		cmocka_unit_test(test_refuse_other_sqlite),
		cmocka_unit_test(test_refuse_newer),
		cmocka_unit_test(test_refuse_truncated),
		cmocka_unit_test(test_symlink_to_other_user),
		cmocka_unit_test(test_decks_hierarchy),
		cmocka_unit_test(test_settings_and_rollback),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_orphan_revlog),
		cmocka_unit_test(test_upgrade_to_4),
		cmocka_unit_test(test_upgrade_to_6),
		cmocka_unit_test(test_two_writers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
