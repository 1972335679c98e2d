/*
 * test_pkgimport.c - Anki packages imported into the progress file
 * (apkg-import.c, db-pkgimport.c): packages made with lemma's collection
 * and package writers (the sample of ankicol-sample.c, and variations of
 * it), imported with import_paths as `lemma import` does, the progress
 * file read back with SQLite. Bad packages leave the file byte for byte
 * as it was and write no media.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zstd.h>

#include "ankicol-sample.h"
#include "lemma/base/paths.h"
#include "lemma/base/progress.h"
#include "lemma/base/pbwire.h"
#include "lemma/base/sha1.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg.h"
#include "lemma/formats/import.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"

static const char media1[] = "ID3 not really an mp3";
static const char media2[] = "\x89PNG\r\n\x1a\n and so on";

struct fixture {
	char		*dir;		/* scratch folder */
	char		*pkg;		/* dir/deck.apkg */
	char		*media;		/* dir/data/lemma/media */
	char		*dbpath;
	struct db	*db;
	struct buf	 lines;		/* the import's report lines */
};

/* What a package holds: the sample's rows unless replaced. */
struct spec {
	const struct notetype	*nts;
	size_t			 nnts;
	const struct anki_deck	*decks;
	size_t			 ndecks;
	const struct anki_deckconf *dcs;
	size_t			 ndcs;
	const struct anki_note	*notes;
	size_t			 nnotes;
	const struct anki_card	*cards;
	size_t			 ncards;
	const struct anki_revlog *revlog;
	size_t			 nrevlog;
	int			 no_media;
	const char		*damage;	/* SQL run on the collection */
};

static const struct spec sample_spec = {
	sample_notetypes, 2, sample_decks, 3, sample_deckconfs, 2,
	sample_notes, 3, sample_cards, 5, sample_revlog, 5, 0, NULL
};

static char *
write_file(const char *dir, const char *name, const void *data, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
write_spec(const struct spec *s, const char *col, time_t now)
{
	struct ankicol_writer *w;
	struct err e;
	int rc = 0;

	err_clear(&e);
	unlink(col);
	w = ankicol_writer_create(col, 18, now, &e);
	assert_non_null(w);
	for (size_t i = 0; i < s->nnts && rc == 0; i++)
		rc = ankicol_add_notetype(w, &s->nts[i], &e);
	for (size_t i = 0; i < s->ndecks && rc == 0; i++)
		rc = ankicol_add_deck(w, &s->decks[i], &e);
	for (size_t i = 0; i < s->ndcs && rc == 0; i++)
		rc = ankicol_add_deckconf(w, &s->dcs[i], &e);
	for (size_t i = 0; i < s->nnotes && rc == 0; i++)
		rc = ankicol_add_note(w, &s->notes[i], &e);
	for (size_t i = 0; i < s->ncards && rc == 0; i++)
		rc = ankicol_add_card(w, &s->cards[i], &e);
	for (size_t i = 0; i < s->nrevlog && rc == 0; i++)
		rc = ankicol_add_revlog(w, &s->revlog[i], &e);
	if (rc < 0) {
		ankicol_writer_abort(w);
		fail_msg("%s", e.msg);
	}
	if (ankicol_writer_finish(w, &e) < 0)
		fail_msg("%s", e.msg);
}

/* The spec as a package at fx->pkg, with two media files (chat.mp3,
 * map.png) unless no_media. */
static void
make_package(struct fixture *fx, const struct spec *s)
{
	char *col = xasprintf("%s/col", fx->dir);
	char *m1 = write_file(fx->dir, "src1", media1, sizeof media1 - 1);
	char *m2 = write_file(fx->dir, "src2", media2, sizeof media2 - 1);
	struct apkg_writer *w;
	struct err e;

	err_clear(&e);
	write_spec(s, col, SAMPLE_NOW);
	if (s->damage != NULL) {
		sqlite3 *db;

		assert_int_equal(sqlite3_open(col, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, s->damage, NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(db);
	}
	unlink(fx->pkg);
	w = apkg_writer_open(fx->pkg, 0, 0, &e);
	assert_non_null(w);
	if (apkg_writer_add_collection(w, col, SAMPLE_NOW, &e) < 0 ||
	    (!s->no_media && (apkg_writer_add_media(w, "chat.mp3", m1, &e) < 0 ||
	    apkg_writer_add_media(w, "map.png", m2, &e) < 0)) ||
	    apkg_writer_commit(w, &e) < 0)
		fail_msg("%s", e.msg);
	unlink(col);
	unlink(m1);
	unlink(m2);
	free(col);
	free(m1);
	free(m2);
}

static void
on_line(void *arg, const char *line)
{
	struct buf *b = arg;

	buf_adds(b, line);
	buf_adds(b, "\n");
}

/* Import paths; returns import_paths' result, e filled. */
static int
run_import(struct fixture *fx, const char *const *paths, size_t n,
    enum import_update update, int dry_run, struct err *e)
{
	struct import_opts o;
	struct import_totals t;

	memset(&o, 0, sizeof o);
	o.update = update;
	o.dry_run = dry_run;
	o.report = on_line;
	o.report_arg = &fx->lines;
	buf_reset(&fx->lines);
	err_clear(e);
	return import_paths(fx->db, paths, n, &o, SAMPLE_NOW, &t, e);
}

static void
import_ok(struct fixture *fx, enum import_update update)
{
	const char *paths[1] = { fx->pkg };
	struct err e;

	if (run_import(fx, paths, 1, update, 0, &e) < 0)
		fail_msg("%s: %s", e.path, e.msg);
}

/* One integer from the progress file. */
static long long
q(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(fx->dbpath, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* One text from the progress file, into a static buffer. */
static const char *
qs(struct fixture *fx, const char *sql)
{
	static char out[2048];
	sqlite3 *db;
	sqlite3_stmt *st;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(fx->dbpath, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

static void
file_sha(const char *path, char hex[2 * SHA1_LEN + 1])
{
	FILE *f = fopen(path, "rb");
	struct sha1 s;
	uint8_t d[SHA1_LEN];
	char buf[4096];
	size_t n;

	assert_non_null(f);
	sha1_init(&s);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha1_update(&s, buf, n);
	fclose(f);
	sha1_final(&s, d);
	sha1_hex(d, hex);
}

/* Files in dir (0 when it is not there). */
static size_t
files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
open_db(struct fixture *fx)
{
	struct err e;

	err_clear(&e);
	fx->db = db_open(fx->dbpath, DB_CREATE, &e);
	if (fx->db == NULL)
		fail_msg("%s", e.msg);
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	char *tmpl = xasprintf("%s/test_pkgimport.XXXXXX", paths_tmpdir());
	char *data;

	assert_non_null(mkdtemp(tmpl));
	fx->dir = tmpl;
	fx->pkg = xasprintf("%s/deck.apkg", fx->dir);
	data = xasprintf("%s/data", fx->dir);
	setenv("XDG_DATA_HOME", data, 1);
	fx->media = xasprintf("%s/lemma/media", data);
	free(data);
	fx->dbpath = xasprintf("%s/progress.db", fx->dir);
	buf_init(&fx->lines);
	open_db(fx);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char *cmd = xasprintf("rm -rf '%s'", fx->dir);

	db_close(fx->db);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(fx->dir);
	free(fx->pkg);
	free(fx->media);
	free(fx->dbpath);
	buf_free(&fx->lines);
	free(fx);
	return 0;
}

/* ---- the sample ------------------------------------------------------------ */

static void
test_sample(void **state)
{
	struct fixture *fx = *state;
	char *line;

	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	line = xasprintf("%s: note type 'Cloze' differs from the one of that "
	    "name here; imported as 'Cloze+'\n%s: notes 3 added, 0 updated, 0 "
	    "unchanged, 0 skipped; cards 5 added, 0 updated, 0 unchanged, 0 "
	    "skipped; review log 5 added, 0 updated, 0 unchanged, 0 skipped; "
	    "media files 2 added, 0 updated, 0 unchanged, 0 skipped\n",
	    fx->pkg, fx->pkg);
	assert_string_equal(fx->lines.data, line);
	free(line);

	/* Note types: lemma's ids (small: the program keeps them in an
	 * int), Anki's in original_id; the sample's cloze type is not
	 * lemma's (its second field is "Extra"), so it is a new type, named
	 * as Anki makes a taken name unique. */
	assert_int_equal(q(fx, "SELECT id FROM notetypes WHERE original_id = "
	    "1700000000100"), 5);
	assert_string_equal(qs(fx, "SELECT name FROM notetypes WHERE id = 5"),
	    "Vocab (5 fields)");
	assert_int_equal(q(fx, "SELECT count(*) FROM nt_fields WHERE "
	    "notetype = 5"), 5);
	assert_string_equal(qs(fx, "SELECT qfmt FROM nt_templates WHERE "
	    "notetype = 5 AND ord = 1"), "{{Meaning}}<br>{{type:Word}}");
	assert_string_equal(qs(fx, "SELECT name FROM notetypes WHERE "
	    "original_id = 1700000000200"), "Cloze+");
	assert_int_equal(q(fx, "SELECT kind FROM notetypes WHERE "
	    "original_id = 1700000000200"), 1);

	/* Presets: every option, FSRS-6 parameters. */
	assert_string_equal(qs(fx, "SELECT name || '|' || learning_steps || "
	    "'|' || relearning_steps || '|' || desired_retention || '|' || "
	    "new_per_day || '|' || reviews_per_day || '|' || max_interval || "
	    "'|' || leech_threshold || '|' || leech_action || '|' || "
	    "bury_new || bury_reviews || bury_interday || '|' || "
	    "new_sort_order || '|' || new_gather_order || '|' || review_order "
	    "FROM deck_config WHERE id = 1700000000400"),
	    /* The sample's gather priority 5 is Anki's "deck, then random
	     * notes": lemma's 1 (anki_sched_gather_in). */
	    "French FSRS|15m 1h 1d|10m|0.85|15|150|3650|6|0|110|1|1|7");
	assert_string_equal(qs(fx, "SELECT substr(fsrs_params, 1, 14) FROM "
	    "deck_config WHERE id = 1700000000400"), "0.2120, 1.2931");
	/* Decks by name, with their presets; no filtered deck. */
	assert_int_equal(q(fx, "SELECT config_id FROM decks WHERE name = "
	    "'Languages::French'"), 1700000000400);
	assert_int_equal(q(fx, "SELECT count(*) FROM decks WHERE name LIKE "
	    "'Filtered%'"), 0);

	/* Notes with Anki's ids, GUIDs, fields and tags; in their cards'
	 * deck. */
	assert_string_equal(qs(fx, "SELECT guid || '|' || tags || '|' || "
	    "replace(fields, char(31), '/') FROM notes WHERE id = "
	    "1700000001000"), "f1;Gw?e[Q| french noun |chat/cat/Le "
	    "<b>chat</b> dort./m/[sound:chat.mp3]");
	assert_string_equal(qs(fx, "SELECT d.name FROM notes n JOIN decks d "
	    "ON d.id = n.deck_id WHERE n.id = 1700000001000"),
	    "Languages::French");

	/* Cards with their scheduling: the review card's memory state, the
	 * filtered deck's card at home, suspended, buried, flagged. */
	assert_string_equal(qs(fx, "SELECT state || '|' || stability || '|' "
	    "|| difficulty || '|' || reps || '|' || lapses || '|' || flag || "
	    "'|' || last_review FROM cards WHERE id = 1700000001001"),
	    "2|12.5|5.25|4|1|1|1735000000");
	assert_string_equal(qs(fx, "SELECT d.name || '|' || c.state FROM "
	    "cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = "
	    "1700000001002"), "Languages::French|1");
	assert_int_equal(q(fx, "SELECT suspended FROM cards WHERE id = "
	    "1700000002001"), 1);
	assert_true(q(fx, "SELECT buried_until FROM cards WHERE id = "
	    "1700000003002") > 0);
	/* A review card without a memory state (SM-2): its state from its
	 * ease and interval, as Anki's when FSRS is turned on. */
	assert_int_equal(q(fx, "SELECT stability > 0 AND difficulty BETWEEN "
	    "1 AND 10 FROM cards WHERE id = 1700000003002"), 1);
	/* The review log, row for row. */
	assert_int_equal(q(fx, "SELECT count(*) FROM revlog"), 5);
	assert_int_equal(q(fx, "SELECT rating FROM revlog WHERE id = "
	    "1734086400000"), 1);
	assert_int_equal(q(fx, "SELECT answer_ms FROM revlog WHERE id = "
	    "1734086400000"), 12000);

	/* Media in the media folder. */
	assert_int_equal(files_in(fx->media), 2);
}

/* Importing the same package again changes nothing, and says so. */
static void
test_reimport(void **state)
{
	struct fixture *fx = *state;
	char *line;

	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	line = xasprintf("%s: notes 0 added, 0 updated, 3 unchanged, 0 "
	    "skipped; cards 0 added, 0 updated, 5 unchanged, 0 skipped; "
	    "review log 0 added, 0 updated, 5 unchanged, 0 skipped; media "
	    "files 0 added, 0 updated, 2 unchanged, 0 skipped\n", fx->pkg);
	assert_string_equal(fx->lines.data, line);
	free(line);
	assert_int_equal(q(fx, "SELECT count(*) FROM notetypes"), 7);
	assert_int_equal(q(fx, "SELECT count(*) FROM cards"), 5);
	assert_int_equal(q(fx, "SELECT count(*) FROM revlog"), 5);
	assert_int_equal(files_in(fx->media), 2);
}

/* A package's note newer than the one here updates it; --update never
 * keeps it; an older one is left unless --update always. */
static void
test_update(void **state)
{
	struct fixture *fx = *state;
	struct anki_note notes[3];
	char *f2[5] = { (char *)"maison", (char *)"home", (char *)"",
		(char *)"f", (char *)"" };
	struct spec s = sample_spec;

	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	memcpy(notes, sample_notes, sizeof notes);
	notes[1].fields = f2;
	notes[1].mod = sample_notes[1].mod + 100;
	notes[1].tags = (char *)" new ";
	s.notes = notes;
	make_package(fx, &s);

	import_ok(fx, IMPORT_UPDATE_NEVER);
	assert_non_null(strstr(fx->lines.data, "notes 0 added, 0 updated, 3 "
	    "unchanged"));
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_non_null(strstr(fx->lines.data, "notes 0 added, 1 updated, 2 "
	    "unchanged"));
	assert_string_equal(qs(fx, "SELECT replace(fields, char(31), '/') || "
	    "tags FROM notes WHERE id = 1700000002000"), "maison/home//f/ new ");
	/* Cards keep their scheduling and history. */
	assert_int_equal(q(fx, "SELECT suspended FROM cards WHERE id = "
	    "1700000002001"), 1);

	/* The older one back: if-newer leaves it, always takes it. */
	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_non_null(strstr(fx->lines.data, "notes 0 added, 0 updated, 3 "
	    "unchanged"));
	import_ok(fx, IMPORT_UPDATE_ALWAYS);
	assert_non_null(strstr(fx->lines.data, "notes 0 added, 1 updated, 2 "
	    "unchanged"));
	assert_string_equal(qs(fx, "SELECT replace(fields, char(31), '/') FROM "
	    "notes WHERE id = 1700000002000"), "maison/house//f/");
}

/* A note type changed in Anki since the last import is a new type; its
 * notes here stay on the old one (the package's are skipped, Anki's
 * conflicting notes), and the next import of it finds the copy. */
static void
test_notetype_changed(void **state)
{
	struct fixture *fx = *state;
	struct notetype nts[2];
	char *fields[6] = { (char *)"Word", (char *)"Meaning",
		(char *)"Example", (char *)"Gender", (char *)"Audio",
		(char *)"Plural" };
	struct anki_note notes[1];
	char *nf[6] = { (char *)"chien", (char *)"dog", (char *)"", (char *)"m",
		(char *)"", (char *)"chiens" };
	char *of[6] = { (char *)"chat", (char *)"cat", (char *)"",
		(char *)"m", (char *)"", (char *)"chats" };
	struct anki_note both[2];
	struct spec s = sample_spec;

	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	memcpy(nts, sample_notetypes, sizeof nts);
	nts[0].fields = fields;
	nts[0].nfields = 6;
	nts[0].mtime += 10;
	notes[0] = sample_notes[0];
	both[0] = sample_notes[0];
	both[0].fields = of;
	both[0].nfields = 6;
	both[0].mod += 10;
	both[1] = sample_notes[0];
	both[1].id = 1700000009000;
	both[1].guid = (char *)"newnote123";
	both[1].fields = nf;
	both[1].nfields = 6;
	(void)notes;
	s.nts = nts;
	s.notes = both;
	s.nnotes = 2;
	s.cards = NULL;
	s.ncards = 0;
	s.revlog = NULL;
	s.nrevlog = 0;
	make_package(fx, &s);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_non_null(strstr(fx->lines.data, "notes 1 added, 0 updated, 0 "
	    "unchanged, 1 skipped"));
	assert_string_equal(qs(fx, "SELECT name FROM notetypes WHERE "
	    "original_id = 1700000000100 AND id != 5"), "Vocab (5 fields)+");
	assert_int_equal(q(fx, "SELECT count(*) FROM nt_fields f JOIN "
	    "notetypes t ON t.id = f.notetype WHERE t.name = "
	    "'Vocab (5 fields)+'"), 6);
	/* The old note kept its type and fields. */
	assert_int_equal(q(fx, "SELECT notetype FROM notes WHERE id = "
	    "1700000001000"), 5);
	assert_int_equal(q(fx, "SELECT notetype = (SELECT id FROM notetypes "
	    "WHERE name = 'Vocab (5 fields)+') FROM notes WHERE guid = "
	    "'newnote123'"), 1);

	/* Again: the copy is found, no third type. */
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_int_equal(q(fx, "SELECT count(*) FROM notetypes WHERE name "
	    "LIKE 'Vocab%'"), 2);
	assert_non_null(strstr(fx->lines.data, "notes 0 added, 0 updated, 1 "
	    "unchanged, 1 skipped"));
}

/* A new type whose name is taken twice over: "Cloze" (lemma's) and
 * "Cloze+" (the sample's, imported before) give "Cloze++". Anki's own
 * test packages (pylib/tests/support/update1.apkg, then update2.apkg)
 * failed this way: their two Cloze types of different ids. */
static void
test_name_taken_twice(void **state)
{
	struct fixture *fx = *state;
	struct notetype nt = sample_notetypes[1];
	static char *f[2] = { (char *)"{{c1::again}}", (char *)"" };
	/* A note of the type: Anki imports only the types notes use. */
	struct anki_note note = { 1700000009000, (char *)"cloze-twice",
	    1700000000999, 1700000009, (char *)"", 2, f };
	struct anki_card card = { .id = 1700000009001, .nid = 1700000009000,
	    .did = 1, .ord = 0, .type = 0, .queue = 0, .due = 1,
	    .mod = 1700000009 };
	struct spec s = { &nt, 1, sample_decks, 1, sample_deckconfs, 1,
	    &note, 1, &card, 1, NULL, 0, 1, NULL };

	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	nt.id = 1700000000999;
	make_package(fx, &s);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_int_equal(q(fx, "SELECT original_id FROM notetypes WHERE name "
	    "= 'Cloze++'"), 1700000000999);
	assert_non_null(strstr(fx->lines.data, "note type 'Cloze' differs "
	    "from the one of that name here; imported as 'Cloze++'"));
}

/* Anki's stock Basic is lemma's built-in Basic: no new type. */
static void
test_builtin_type(void **state)
{
	struct fixture *fx = *state;
	static char *fields[2] = { (char *)"Front", (char *)"Back" };
	static struct notetype_template tmpl[1] = { { (char *)"Card 1",
	    (char *)"{{Front}}",
	    (char *)"{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" } };
	struct notetype nt = { .id = 1600000000000, .name = (char *)"Basic",
	    .kind = NOTETYPE_NORMAL, .fields = fields, .nfields = 2,
	    .templates = tmpl, .ntemplates = 1, .css = (char *)"",
	    .mtime = 1600000000 };
	static char *f[2] = { (char *)"hello", (char *)"world" };
	struct anki_note note = { 1600000001000, (char *)"basic-guid",
	    1600000000000, 1600000001, (char *)"", 2, f };
	struct anki_card card = { .id = 1600000001001, .nid = 1600000001000,
	    .did = 1, .ord = 0, .type = 0, .queue = 0, .due = 1,
	    .mod = 1600000001 };
	struct spec s = { &nt, 1, sample_decks, 1, sample_deckconfs, 1,
	    &note, 1, &card, 1, NULL, 0, 1, NULL };

	make_package(fx, &s);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_int_equal(q(fx, "SELECT notetype FROM notes WHERE guid = "
	    "'basic-guid'"), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM notetypes"), 5);
	assert_string_equal(qs(fx, "SELECT d.name FROM cards c JOIN decks d "
	    "ON d.id = c.deck_id WHERE c.id = 1600000001001"), "Default");
}

/*
 * Anki's own diffmodeltemplates-1/-2.apkg (pylib/tests/support): a type
 * that is Basic in all but its name comes in under its own name, and a
 * later package whose template text changed (newer, same fields and
 * template names) updates that type and keeps its note; a type no note of
 * the package uses is not imported (Anki's gather.rs takes the notes'
 * types only; older packages carry every type of their collection).
 */
static void
test_type_update_and_unused(void **state)
{
	struct fixture *fx = *state;
	static char *fields[2] = { (char *)"Front", (char *)"Back" };
	static struct notetype_template tmpl[1] = { { (char *)"Card 1",
	    (char *)"{{Front}}",
	    (char *)"{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" } };
	static struct notetype_template changed[1] = { { (char *)"Card 1",
	    (char *)"Changed Front Template\n{{Front}}",
	    (char *)"{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}" } };
	static struct notetype_template other[1] = { { (char *)"Card 1",
	    (char *)"Unused {{Front}}", (char *)"{{Back}}" } };
	struct notetype nts[2] = {
		{ .id = 1403973847422, .name = (char *)"testt",
		  .kind = NOTETYPE_NORMAL, .fields = fields, .nfields = 2,
		  .templates = tmpl, .ntemplates = 1, .css = (char *)"",
		  .mtime = 1403973847 },
		{ .id = 1403973847500, .name = (char *)"Cloze",
		  .kind = NOTETYPE_NORMAL, .fields = fields, .nfields = 2,
		  .templates = other, .ntemplates = 1, .css = (char *)"",
		  .mtime = 1403973847 },
	};
	static char *f[2] = { (char *)"question?", (char *)"answer!" };
	struct anki_note note = { 1403973882584, (char *)"testt-guid",
	    1403973847422, 1403973883, (char *)"", 2, f };
	struct anki_card card = { .id = 1403973882585, .nid = 1403973882584,
	    .did = 1, .ord = 0, .type = 0, .queue = 0, .due = 1,
	    .mod = 1403973883 };
	struct spec s = { nts, 2, sample_decks, 1, sample_deckconfs, 1,
	    &note, 1, &card, 1, NULL, 0, 1, NULL };

	make_package(fx, &s);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_string_equal(qs(fx, "SELECT k.name FROM notes n JOIN "
	    "notetypes k ON k.id = n.notetype WHERE n.guid = 'testt-guid'"),
	    "testt");
	assert_int_equal(q(fx, "SELECT count(*) FROM notetypes"), 6);

	nts[0].templates = changed;
	nts[0].mtime = 1403973900;
	make_package(fx, &s);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	assert_int_equal(q(fx, "SELECT count(*) FROM notes"), 1);
	assert_string_equal(qs(fx, "SELECT t.qfmt FROM notes n JOIN "
	    "nt_templates t ON t.notetype = n.notetype AND t.ord = 0 WHERE "
	    "n.guid = 'testt-guid'"), "Changed Front Template\n{{Front}}");
	assert_int_equal(q(fx, "SELECT count(*) FROM notetypes"), 6);
	assert_null(strstr(fx->lines.data, "skipped: 1"));
}

/* A media file of the same name and other content is there: the
 * package's is taken under Anki's hashed name, and the notes name it. */
static void
test_media_renamed(void **state)
{
	struct fixture *fx = *state;
	char *mine, *want, hex[2 * SHA1_LEN + 1];
	uint8_t d[SHA1_LEN];
	char *cmd = xasprintf("mkdir -p '%s'", fx->media);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	mine = write_file(fx->media, "map.png", "mine", 4);
	make_package(fx, &sample_spec);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	sha1_digest(media2, sizeof media2 - 1, d);
	sha1_hex(d, hex);
	want = xasprintf("Extra with \xc3\xa9 and <img src=\"map-%s.png\">",
	    hex);
	assert_string_equal(qs(fx, "SELECT substr(fields, instr(fields, "
	    "char(31)) + 1) FROM notes WHERE id = 1700000003000"), want);
	assert_non_null(strstr(fx->lines.data, "media: 'map.png' is there "
	    "with other content; imported as 'map-"));
	assert_non_null(strstr(fx->lines.data, "media files 2 added"));
	assert_int_equal(files_in(fx->media), 3);
	/* Mine is as it was. */
	{
		FILE *f = fopen(mine, "rb");
		char buf[8];

		assert_non_null(f);
		assert_int_equal(fread(buf, 1, sizeof buf, f), 4);
		assert_memory_equal(buf, "mine", 4);
		fclose(f);
	}
	free(mine);
	free(want);
}

/* A text file and a package in one command, one transaction; --dry-run
 * writes nothing, media included. */
static void
test_mixed_and_dry_run(void **state)
{
	struct fixture *fx = *state;
	char *txt = write_file(fx->dir, "words.txt", "uno\tone\ndos\ttwo\n", 16);
	const char *paths[2] = { txt, fx->pkg };
	char before[2 * SHA1_LEN + 1], after[2 * SHA1_LEN + 1];
	struct err e;

	make_package(fx, &sample_spec);
	db_settle(fx->db);
	file_sha(fx->dbpath, before);
	assert_int_equal(run_import(fx, paths, 2, IMPORT_UPDATE_IF_NEWER, 1,
	    &e), 0);
	file_sha(fx->dbpath, after);
	assert_string_equal(before, after);
	assert_int_equal(files_in(fx->media), 0);
	assert_int_equal(run_import(fx, paths, 2, IMPORT_UPDATE_IF_NEWER, 0,
	    &e), 0);
	assert_int_equal(q(fx, "SELECT count(*) FROM notes"), 5);
	assert_int_equal(q(fx, "SELECT count(*) FROM cards"), 7);
	assert_int_equal(files_in(fx->media), 2);
	free(txt);
}

/* ---- what the next session shows --------------------------------------------- */

/*
 * Cards in every state, at SAMPLE_NOW (2025-01-01 09:00 UTC, day 0 of a
 * collection created that day at 04:00, Anki's rollover): what Anki's
 * deck list shows that day is 2 new (one more is suspended), 1 learning
 * (due 08:59; one more is due at 13:00, past the learn-ahead limit),
 * 2 to review (due day 0 and overdue day -3; one more on day 5, one
 * buried, one suspended).
 */
static void
test_due_counts(void **state)
{
	struct fixture *fx = *state;
	static char *f[5] = { (char *)"w", (char *)"m", (char *)"",
		(char *)"", (char *)"" };
	struct anki_note notes[10];
	struct anki_card cards[10];
	static const struct { int type, queue; int64_t due; int ivl; } c[10] = {
		{ 0, 0, 1, 0 }, { 0, 0, 2, 0 }, { 0, -1, 3, 0 },
		{ 1, 1, SAMPLE_NOW - 60, 0 }, { 1, 1, SAMPLE_NOW + 4 * 3600, 0 },
		{ 2, 2, 0, 5 }, { 2, 2, -3, 5 }, { 2, 2, 5, 5 },
		{ 2, -3, 0, 5 }, { 2, -1, 0, 5 },
	};
	struct spec s = { sample_notetypes, 1, sample_decks, 2,
	    sample_deckconfs, 2, notes, 10, cards, 10, NULL, 0, 1, NULL };
	struct deck_counts *dc;
	size_t n;
	struct err e;
	char guids[10][8];

	for (int i = 0; i < 10; i++) {
		snprintf(guids[i], sizeof guids[i], "due%d", i);
		notes[i] = sample_notes[0];
		notes[i].id = 1800000000000 + i * 1000;
		notes[i].guid = guids[i];
		notes[i].fields = f;
		memset(&cards[i], 0, sizeof cards[i]);
		cards[i].id = notes[i].id + 1;
		cards[i].nid = notes[i].id;
		cards[i].did = 1700000000300;
		cards[i].type = c[i].type;
		cards[i].queue = c[i].queue;
		cards[i].due = c[i].due;
		cards[i].ivl = c[i].ivl;
		cards[i].factor = c[i].type == 2 ? 2500 : 0;
		cards[i].reps = c[i].type == 0 ? 0 : 3;
		cards[i].left = c[i].type == 1 ? 2 : 0;
		cards[i].mod = 1800000000;
		if (c[i].type == 2) {
			cards[i].has_memory = 1;
			cards[i].stability = 5;
			cards[i].difficulty = 5;
		}
	}
	make_package(fx, &s);
	import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	err_clear(&e);
	assert_int_equal(study_deck_counts(fx->db, SAMPLE_NOW, &dc, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		if (strcmp(dc[i].name, "Languages::French") == 0) {
			assert_int_equal(dc[i].new_count, 2);
			assert_int_equal(dc[i].learn_count, 1);
			assert_int_equal(dc[i].review_count, 2);
			n = i;
			break;
		}
	study_deck_counts_free(dc, n + 1);
	assert_int_equal(q(fx, "SELECT count(*) FROM cards WHERE suspended"),
	    2);
}

/* ---- bad packages ---------------------------------------------------------------- */

static void
zip_put(const char *path, const char *name, const void *data, size_t n)
{
	zip_t *z = zip_open(path, 0, NULL);
	zip_int64_t idx;

	assert_non_null(z);
	idx = zip_name_locate(z, name, 0);
	if (data == NULL) {
		assert_true(idx >= 0);
		assert_int_equal(zip_delete(z, (zip_uint64_t)idx), 0);
	} else {
		void *copy = xmalloc(n + 1);
		zip_source_t *src;

		memcpy(copy, data, n);
		src = zip_source_buffer(z, copy, n, 1);
		assert_non_null(src);
		if (idx >= 0)
			assert_int_equal(zip_file_replace(z, (zip_uint64_t)idx,
			    src, 0), 0);
		else
			assert_true((idx = zip_file_add(z, name, src, 0)) >= 0);
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	assert_int_equal(zip_close(z), 0);
}

static void
not_a_zip(struct fixture *fx)
{
	free(write_file(fx->dir, "deck.apkg", "hello, this is text\n", 20));
}

static void
truncated_zip(struct fixture *fx)
{
	struct stat st;

	assert_int_equal(stat(fx->pkg, &st), 0);
	assert_int_equal(truncate(fx->pkg, st.st_size / 2), 0);
}

static void
not_zstd(struct fixture *fx)
{
	zip_put(fx->pkg, "collection.anki21b", "this is not zstd at all", 23);
}

/* A zstd frame that declares 16 EiB: refused before anything is read. */
static void
bomb(struct fixture *fx)
{
	static const unsigned char frame[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0xe0,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0,
		0x01, 0x00, 0x00
	};

	zip_put(fx->pkg, "collection.anki21b", frame, sizeof frame);
}

static void
no_collection(struct fixture *fx)
{
	zip_put(fx->pkg, "collection.anki21b", NULL, 0);
}

/* The media map (version 3: zstd protobuf MediaEntries) with its first
 * entry named "../evil.txt". */
static void
media_traversal(struct fixture *fx)
{
	struct buf entry, map;
	uint8_t sha[SHA1_LEN];
	size_t bound, zn;
	void *z;

	buf_init(&entry);
	buf_init(&map);
	sha1_digest(media1, sizeof media1 - 1, sha);
	pb_put_str(&entry, 1, "../evil.txt");
	pb_put_varint(&entry, 2, sizeof media1 - 1);
	pb_put_len(&entry, 3, sha, SHA1_LEN);
	pb_put_len(&map, 1, entry.data, entry.len);
	bound = ZSTD_compressBound(map.len);
	z = xmalloc(bound);
	zn = ZSTD_compress(z, bound, map.data, map.len, 1);
	assert_false(ZSTD_isError(zn));
	zip_put(fx->pkg, "media", z, zn);
	free(z);
	buf_free(&entry);
	buf_free(&map);
}

static void
media_sha(struct fixture *fx)
{
	zip_put(fx->pkg, "1", "other", 5);
}

struct bad_case {
	const char	*what;
	const char	*damage_sql;
	void		(*damage)(struct fixture *);
	const char	*want;		/* in "path: message" */
};

static const struct bad_case bad_cases[] = {
	{ "not a zip", NULL, not_a_zip, "deck.apkg: not a zip file" },
	{ "truncated zip", NULL, truncated_zip, "deck.apkg: " },
	{ "zstd error", NULL, not_zstd, "deck.apkg: collection.anki21b: "
	  "zstd: " },
	{ "bomb", NULL, bomb, "deck.apkg: collection.anki21b: declares " },
	{ "schema 19", "UPDATE col SET ver = 19", NULL,
	  "deck.apkg: collection.anki21b: collection schema 19 is not "
	  "supported" },
	{ "no collection", NULL, no_collection, "deck.apkg: "
	  "collection.anki21b: no such member" },
	{ "field count", "UPDATE notes SET flds = 'one' WHERE id = "
	  "1700000001000", NULL, "deck.apkg: collection.anki21b: note "
	  "1700000001000 has 1 fields, its note type \"Vocab (5 fields)\" "
	  "has 5" },
	{ "unbalanced section", "UPDATE templates SET config = "
	  "CAST(replace(CAST(config AS TEXT), '{{Word}}<br>', "
	  "'{{#Word}}<br') AS BLOB) WHERE ntid = 1700000000100 AND ord = 0",
	  NULL, "deck.apkg: collection.anki21b: note type 'Vocab (5 fields)', "
	  "template 'Recognise': " },
	{ "media traversal", NULL, media_traversal,
	  "deck.apkg: media: entry 0: unsafe file name" },
	{ "media member broken", NULL, media_sha, "deck.apkg: 1 (map.png): "
	  "zstd: " },
};

static void
test_bad(void **state)
{
	struct fixture *fx = *state;
	char before[2 * SHA1_LEN + 1], after[2 * SHA1_LEN + 1];

	/* Some progress to keep: the sample without media. */
	{
		struct spec s = sample_spec;

		s.no_media = 1;
		make_package(fx, &s);
		import_ok(fx, IMPORT_UPDATE_IF_NEWER);
	}
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct spec s = sample_spec;
		const char *paths[1] = { fx->pkg };
		char msg[1200];
		struct err e;

		/* --update always: a good import of it would write. */
		s.damage = bc->damage_sql;
		make_package(fx, &s);
		if (bc->damage != NULL)
			bc->damage(fx);
		db_settle(fx->db);
		file_sha(fx->dbpath, before);
		assert_int_equal(run_import(fx, paths, 1,
		    IMPORT_UPDATE_ALWAYS, 0, &e), -1);
		err_format(&e, msg, sizeof msg);
		if (strstr(msg, bc->want) == NULL)
			fail_msg("%s: '%s' lacks '%s'", bc->what, msg, bc->want);
		printf("# %s: %s\n", bc->what, strstr(msg, "deck.apkg"));
		db_settle(fx->db);
		file_sha(fx->dbpath, after);
		if (strcmp(before, after) != 0)
			fail_msg("%s: the progress file changed", bc->what);
		assert_int_equal(files_in(fx->media), 0);
		/* No stage left beside the media folder. */
		{
			char *parent = xasprintf("%s/data/lemma", fx->dir);

			assert_true(files_in(parent) <= 1);
			free(parent);
		}
	}
}

static int
stop_at_rows(void *arg, const struct progress *p)
{
	(void)arg;
	/* Stop once the rows are being read: media are staged by then. */
	return strcmp(p->unit, "rows") == 0;
}

/* Ctrl-C during an import (the progress report asks to stop): nothing is
 * written, media included. */
static void
test_cancel(void **state)
{
	struct fixture *fx = *state;
	const char *paths[1] = { fx->pkg };
	char before[2 * SHA1_LEN + 1], after[2 * SHA1_LEN + 1];
	struct progress prog;
	struct import_opts o;
	struct import_totals t;
	struct err e;

	make_package(fx, &sample_spec);
	db_settle(fx->db);
	file_sha(fx->dbpath, before);
	memset(&prog, 0, sizeof prog);
	prog.report = stop_at_rows;
	memset(&o, 0, sizeof o);
	o.progress = &prog;
	err_clear(&e);
	assert_int_equal(import_paths(fx->db, paths, 1, &o, SAMPLE_NOW, &t,
	    &e), -1);
	assert_true(prog.stop);
	db_settle(fx->db);
	file_sha(fx->dbpath, after);
	assert_string_equal(before, after);
	assert_int_equal(files_in(fx->media), 0);
	{
		char *parent = xasprintf("%s/data/lemma", fx->dir);

		assert_true(files_in(parent) <= 1);
		free(parent);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notetype_changed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_name_taken_twice, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_builtin_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_type_update_and_unused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_media_renamed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mixed_and_dry_run, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_counts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
