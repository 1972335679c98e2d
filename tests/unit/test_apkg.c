/*
 * test_apkg.c - the Anki package container: the sample collection written
 * as a current (.anki21b, zstd, protobuf media map) and a legacy
 * (.anki21, JSON map) package, with media, and read back: members in
 * Anki's order, the stub, the media extracted and checked, the
 * collection row for row. Then each kind of bad package, made by editing
 * a good one with libzip: every one a clear error naming the package and
 * the member, and nothing written.
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
#include "lemma/base/pbwire.h"
#include "lemma/base/progress.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg.h"

static const char media1[] = "ID3 not really an mp3";
static const char media2[] = "\x89PNG\r\n\x1a\n and so on";

struct fixture {
	char	*dir;		/* scratch folder */
	char	*pkg;		/* dir/deck.apkg */
	char	*out;		/* dir/media: where media go */
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

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	char *tmpl = xasprintf("%s/test_apkg.XXXXXX", paths_tmpdir());

	assert_non_null(mkdtemp(tmpl));
	fx->dir = tmpl;
	fx->pkg = xasprintf("%s/deck.apkg", fx->dir);
	fx->out = xasprintf("%s/media", fx->dir);
	assert_int_equal(mkdir(fx->out, 0700), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char *cmd = xasprintf("rm -rf '%s'", fx->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(fx->dir);
	free(fx->pkg);
	free(fx->out);
	free(fx);
	return 0;
}

/* The sample as a package at path (schema 18, or 11 for legacy), with two
 * media files; damage, when given, is run on the collection first. */
static void
make_package(struct fixture *fx, const char *path, int legacy,
    const char *damage)
{
	char *col = xasprintf("%s/col.%d", fx->dir, legacy);
	char *m1 = write_file(fx->dir, "src1", media1, sizeof media1 - 1);
	char *m2 = write_file(fx->dir, "src2", media2, sizeof media2 - 1);
	struct apkg_writer *w;
	struct err e;

	err_clear(&e);
	unlink(col);
	if (sample_write(col, legacy ? 11 : 18, &e) < 0)
		fail_msg("%s", e.msg);
	if (damage != NULL) {
		sqlite3 *db;

		assert_int_equal(sqlite3_open(col, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, damage, NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(db);
	}
	unlink(path);
	w = apkg_writer_open(path, legacy, 0, &e);
	assert_non_null(w);
	if (apkg_writer_add_collection(w, col, SAMPLE_NOW, &e) < 0 ||
	    apkg_writer_add_media(w, "chat.mp3", m1, &e) < 0 ||
	    apkg_writer_add_media(w, "map.png", m2, &e) < 0 ||
	    apkg_writer_commit(w, &e) < 0)
		fail_msg("%s", e.msg);
	unlink(col);
	unlink(m1);
	unlink(m2);
	free(col);
	free(m1);
	free(m2);
}

/* Read member name of the zip at path into memory (*n bytes). */
static void *
zip_get(const char *path, const char *name, size_t *n)
{
	zip_t *z = zip_open(path, ZIP_RDONLY, NULL);
	zip_stat_t st;
	zip_file_t *f;
	void *data;

	assert_non_null(z);
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	data = xmalloc(st.size + 1);
	f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(z);
	*n = st.size;
	return data;
}

/* Replace (or add) member name with data, stored; data NULL deletes. */
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

static void *
zstd_of(const void *data, size_t n, size_t *out)
{
	size_t bound = ZSTD_compressBound(n);
	void *z = xmalloc(bound);

	*out = ZSTD_compress(z, bound, data, n, 1);
	assert_false(ZSTD_isError(*out));
	return z;
}

static size_t
files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
expect_file(const char *dir, const char *name, const char *data, size_t n)
{
	size_t got_n;
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	char buf[256];

	assert_non_null(f);
	got_n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_int_equal(got_n, n);
	assert_memory_equal(buf, data, n);
	free(path);
}

/* ---- good packages ----------------------------------------------------- */

static void
check_stub(struct fixture *fx)
{
	size_t n;
	void *stub = zip_get(fx->pkg, "collection.anki2", &n);
	char *path = write_file(fx->dir, "stub.anki2", stub, n);
	struct ankicol_counts counts;
	struct ankicol *c;
	struct err e;

	err_clear(&e);
	c = ankicol_open(path, "stub", &e);
	assert_non_null(c);
	assert_int_equal(ankicol_schema(c), 11);
	assert_int_equal(ankicol_integrity(c, &e), 0);
	assert_int_equal(ankicol_count(c, &counts, &e), 0);
	assert_int_equal(counts.notes, 1);
	assert_int_equal(counts.cards, 1);
	ankicol_close(c);
	unlink(path);
	free(path);
	free(stub);
}

static void
test_apkg_latest(void **state)
{
	static const char *const order[] = {
		"meta", "collection.anki21b", "collection.anki2", "0", "1",
		"media"
	};
	struct fixture *fx = *state;
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	char *tmp;
	size_t n;
	uint8_t *meta;

	err_clear(&e);
	make_package(fx, fx->pkg, 0, NULL);
	p = apkg_open(fx->pkg, NULL, &e);
	if (p == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(apkg_version(p), APKG_LATEST);
	assert_string_equal(apkg_collection_member(p), "collection.anki21b");
	assert_int_equal(apkg_member_count(p), 6);
	for (size_t i = 0; i < 6; i++) {
		const char *name;
		uint64_t size, csize;

		assert_int_equal(apkg_member(p, i, &name, &size, &csize), 0);
		assert_string_equal(name, order[i]);
	}
	/* meta is PackageMetadata { version: 3 }: bytes 08 03. */
	meta = zip_get(fx->pkg, "meta", &n);
	assert_int_equal(n, 2);
	assert_int_equal(meta[0], 0x08);
	assert_int_equal(meta[1], 0x03);
	free(meta);
	assert_int_equal(apkg_media_count(p), 2);
	assert_string_equal(apkg_media_at(p, 0)->name, "chat.mp3");
	assert_string_equal(apkg_media_at(p, 1)->member, "1");
	assert_true(apkg_media_at(p, 1)->has_sha1);
	assert_int_equal(apkg_media_at(p, 1)->size, sizeof media2 - 1);
	c = apkg_open_collection(p, fx->dir, &tmp, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(ankicol_schema(c), 18);
	sample_check_open(c);
	ankicol_close(c);
	assert_int_equal(unlink(tmp), 0);
	free(tmp);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(apkg_verify_media(p, i, &e), 0);
		assert_int_equal(files_in(fx->out), i);	/* verify writes nothing */
		assert_int_equal(apkg_extract_media(p, i, fx->out, &e), 0);
	}
	expect_file(fx->out, "chat.mp3", media1, sizeof media1 - 1);
	expect_file(fx->out, "map.png", media2, sizeof media2 - 1);
	assert_int_equal(files_in(fx->out), 2);	/* no temporary left */
	apkg_close(p);
	check_stub(fx);
	/* Without meta, collection.anki21b still wins over the stub. */
	zip_put(fx->pkg, "meta", NULL, 0);
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	assert_int_equal(apkg_version(p), APKG_LATEST);
	assert_string_equal(apkg_collection_member(p), "collection.anki21b");
	apkg_close(p);
}

static void
test_apkg_legacy(void **state)
{
	struct fixture *fx = *state;
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	char *tmp, *map;
	size_t n;

	err_clear(&e);
	make_package(fx, fx->pkg, 1, NULL);
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	assert_int_equal(apkg_version(p), APKG_LEGACY2);
	assert_string_equal(apkg_collection_member(p), "collection.anki21");
	map = zip_get(fx->pkg, "media", &n);
	map[n] = '\0';
	assert_string_equal(map, "{\"0\":\"chat.mp3\",\"1\":\"map.png\"}");
	free(map);
	assert_false(apkg_media_at(p, 0)->has_sha1);
	c = apkg_open_collection(p, fx->dir, &tmp, &e);
	assert_non_null(c);
	assert_int_equal(ankicol_schema(c), 11);
	sample_check_open(c);
	ankicol_close(c);
	unlink(tmp);
	free(tmp);
	assert_int_equal(apkg_extract_media(p, 1, fx->out, &e), 0);
	expect_file(fx->out, "map.png", media2, sizeof media2 - 1);
	apkg_close(p);

	/* Without meta: version 2 while collection.anki21 is there; without
	 * that too, version 1, whose collection.anki2 here is the stub. */
	zip_put(fx->pkg, "meta", NULL, 0);
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	assert_int_equal(apkg_version(p), APKG_LEGACY2);
	apkg_close(p);
	zip_put(fx->pkg, "collection.anki21", NULL, 0);
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	assert_int_equal(apkg_version(p), APKG_LEGACY1);
	assert_null(apkg_open_collection(p, fx->dir, &tmp, &e));
	assert_non_null(strstr(e.msg, "collection.anki2: only the placeholder "
	    "collection"));
	assert_null(tmp);
	apkg_close(p);
}

/* ---- bad packages ------------------------------------------------------ */

enum stage { AT_OPEN, AT_COLLECTION, AT_NOTES, AT_MEDIA };

struct bad_case {
	const char	*what;
	int		 legacy;
	const char	*damage_sql;
	void		(*damage)(struct fixture *);
	enum stage	 stage;
	const char	*want;		/* in "PATH: MSG" after the folder */
	uint64_t	 limit;		/* collection_max, or 0 */
	uint64_t	 media_limit;	/* media_max, or 0 */
};

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
garbage_collection(struct fixture *fx)
{
	zip_put(fx->pkg, "collection.anki21b", "this is not zstd at all", 23);
}

static void
cut_frame(struct fixture *fx)
{
	size_t n;
	void *z = zip_get(fx->pkg, "collection.anki21b", &n);

	zip_put(fx->pkg, "collection.anki21b", z, n / 2);
	free(z);
}

/* 1 MiB of zeros in one frame that declares its size. */
static void
declared_bomb(struct fixture *fx)
{
	size_t n, zn;
	void *zeros = xcalloc(1, 1 << 20);
	void *z;

	n = 1 << 20;
	z = zstd_of(zeros, n, &zn);
	zip_put(fx->pkg, "collection.anki21b", z, zn);
	free(zeros);
	free(z);
}

/* The same zeros streamed: the frame does not say its size. */
static void
streamed_bomb(struct fixture *fx)
{
	ZSTD_CCtx *cz = ZSTD_createCCtx();
	void *zeros = xcalloc(1, 1 << 20);
	size_t cap = 1 << 16;
	void *z = xmalloc(cap);
	ZSTD_inBuffer in = { zeros, 1 << 20, 0 };
	ZSTD_outBuffer out = { z, cap, 0 };

	ZSTD_inBuffer none = { NULL, 0, 0 };

	/* Fed in pieces (continue, then end), the frame has no size. */
	while (in.pos < in.size)
		assert_false(ZSTD_isError(ZSTD_compressStream2(cz, &out, &in,
		    ZSTD_e_continue)));
	assert_int_equal(ZSTD_compressStream2(cz, &out, &none, ZSTD_e_end), 0);
	assert_true(ZSTD_getFrameContentSize(z, out.pos) ==
	    ZSTD_CONTENTSIZE_UNKNOWN);
	zip_put(fx->pkg, "collection.anki21b", z, out.pos);
	ZSTD_freeCCtx(cz);
	free(zeros);
	free(z);
}

static void
no_collection(struct fixture *fx)
{
	zip_put(fx->pkg, "collection.anki21b", NULL, 0);
}

static void
meta_too_new(struct fixture *fx)
{
	zip_put(fx->pkg, "meta", "\x08\x04", 2);
}

static void
meta_garbage(struct fixture *fx)
{
	zip_put(fx->pkg, "meta", "\x0b\x04", 2);
}

/* A media map (version 3) whose one entry is named name. */
static void
media_named(struct fixture *fx, const char *name)
{
	struct buf entry, map;
	uint8_t sha[SHA1_LEN];
	size_t zn;
	void *z;

	buf_init(&entry);
	buf_init(&map);
	sha1_digest(media1, sizeof media1 - 1, sha);
	pb_put_str(&entry, 1, name);
	pb_put_varint(&entry, 2, sizeof media1 - 1);
	pb_put_len(&entry, 3, sha, SHA1_LEN);
	pb_put_len(&map, 1, entry.data, entry.len);
	z = zstd_of(map.data, map.len, &zn);
	zip_put(fx->pkg, "media", z, zn);
	free(z);
	buf_free(&entry);
	buf_free(&map);
}

static void
media_traversal(struct fixture *fx)
{
	media_named(fx, "../evil.txt");
}

static void
media_absolute(struct fixture *fx)
{
	media_named(fx, "/etc/passwd");
}

static void
media_control(struct fixture *fx)
{
	media_named(fx, "bell\a.mp3");
}

static void
media_json_traversal(struct fixture *fx)
{
	zip_put(fx->pkg, "media", "{\"0\": \"..\\\\..\\\\x.png\"}", 23);
}

static void
media_json_bad(struct fixture *fx)
{
	zip_put(fx->pkg, "media", "{\"0\": \"a.png\",}", 15);
}

static void
media_not_protobuf(struct fixture *fx)
{
	size_t zn;
	void *z = zstd_of("\xff\xff\xff", 3, &zn);

	zip_put(fx->pkg, "media", z, zn);
	free(z);
}

/* A well-formed first entry, then one whose name runs past its end. */
static void
media_bad_entry(struct fixture *fx)
{
	struct buf entry, map;
	uint8_t sha[SHA1_LEN];
	size_t zn;
	void *z;

	buf_init(&entry);
	buf_init(&map);
	sha1_digest(media1, sizeof media1 - 1, sha);
	pb_put_str(&entry, 1, "chat.mp3");
	pb_put_varint(&entry, 2, sizeof media1 - 1);
	pb_put_len(&entry, 3, sha, SHA1_LEN);
	pb_put_len(&map, 1, entry.data, entry.len);
	pb_put_len(&map, 1, "\x0a\x05" "ab", 4);
	z = zstd_of(map.data, map.len, &zn);
	zip_put(fx->pkg, "media", z, zn);
	free(z);
	buf_free(&entry);
	buf_free(&map);
}

static void
media_wrong_bytes(struct fixture *fx)
{
	size_t zn;
	void *z = zstd_of("other bytes", 11, &zn);

	zip_put(fx->pkg, "0", z, zn);
	free(z);
}

static void
media_missing(struct fixture *fx)
{
	zip_put(fx->pkg, "0", NULL, 0);
}

static const struct bad_case bad_cases[] = {
	{ "not a zip", 0, NULL, not_a_zip, AT_OPEN,
	  "deck.apkg: not a zip file", 0, 0 },
	{ "truncated zip", 0, NULL, truncated_zip, AT_OPEN, "deck.apkg: ", 0, 0 },
	{ "not zstd", 0, NULL, garbage_collection, AT_COLLECTION,
	  "deck.apkg: collection.anki21b: zstd: ", 0, 0 },
	{ "truncated frame", 0, NULL, cut_frame, AT_COLLECTION,
	  "deck.apkg: collection.anki21b: zstd: ", 0, 0 },
	{ "declared bomb", 0, NULL, declared_bomb, AT_COLLECTION,
	  "deck.apkg: collection.anki21b: declares 1048576 bytes, over the "
	  "limit of 65536", 65536, 0 },
	{ "streamed bomb", 0, NULL, streamed_bomb, AT_COLLECTION,
	  "deck.apkg: collection.anki21b: over the limit of 65536 bytes",
	  65536, 0 },
	{ "legacy too big", 1, NULL, NULL, AT_COLLECTION,
	  "deck.apkg: collection.anki21: ", 4096, 0 },
	{ "schema 19", 0, "UPDATE col SET ver = 19", NULL, AT_COLLECTION,
	  "deck.apkg: collection.anki21b: collection schema 19 is not "
	  "supported", 0, 0 },
	{ "no collection", 0, NULL, no_collection, AT_OPEN,
	  "deck.apkg: collection.anki21b: no such member: the package has no "
	  "collection", 0, 0 },
	{ "meta too new", 0, NULL, meta_too_new, AT_OPEN,
	  "deck.apkg: meta: package version 4 is not supported", 0, 0 },
	{ "meta garbage", 0, NULL, meta_garbage, AT_OPEN,
	  "deck.apkg: meta: not a package description", 0, 0 },
	{ "media ..", 0, NULL, media_traversal, AT_OPEN,
	  "deck.apkg: media: entry 0: unsafe file name", 0, 0 },
	{ "media /", 0, NULL, media_absolute, AT_OPEN,
	  "deck.apkg: media: entry 0: unsafe file name", 0, 0 },
	{ "media control", 0, NULL, media_control, AT_OPEN,
	  "deck.apkg: media: entry 0: unsafe file name", 0, 0 },
	{ "legacy media \\", 1, NULL, media_json_traversal, AT_OPEN,
	  "deck.apkg: media: entry 0: unsafe file name", 0, 0 },
	{ "legacy media JSON", 1, NULL, media_json_bad, AT_OPEN,
	  "deck.apkg: media: not a media map", 0, 0 },
	{ "media not protobuf", 0, NULL, media_not_protobuf, AT_OPEN,
	  "deck.apkg: media: entry 0: not a media list", 0, 0 },
	{ "field count", 0, "UPDATE notes SET flds = 'one' WHERE id = "
	  "1700000001000", NULL, AT_NOTES,
	  "deck.apkg: collection.anki21b: note 1700000001000 has 1 fields, "
	  "its note type \"Vocab (5 fields)\" has 5", 0, 0 },
	{ "media entry cut", 0, NULL, media_bad_entry, AT_OPEN,
	  "deck.apkg: media: entry 1: not a media list", 0, 0 },
	{ "media SHA-1", 0, NULL, media_wrong_bytes, AT_MEDIA,
	  "deck.apkg: 0 (chat.mp3): SHA-1 does not match the media map", 0, 0 },
	{ "media member missing", 0, NULL, media_missing, AT_MEDIA,
	  "deck.apkg: 0 (chat.mp3): no such member", 0, 0 },
	{ "media over the limit", 0, NULL, NULL, AT_MEDIA,
	  "deck.apkg: 0 (chat.mp3): over the limit of 8 bytes", 0, 8 },
	{ "legacy media over the limit", 1, NULL, NULL, AT_MEDIA,
	  "deck.apkg: 0 (chat.mp3): 21 bytes, over the limit of 8", 0, 8 },
};

static int
no_op_note(void *arg, const struct anki_note *n, struct err *e)
{
	(void)arg;
	(void)n;
	(void)e;
	return 0;
}

static void
test_apkg_bad(void **state)
{
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *bc = &bad_cases[i];
		struct apkg_limits lim;
		struct ankicol *c = NULL;
		struct apkg *p;
		struct err e;
		char msg[1200], *tmp = NULL;
		int failed_at = -1;

		err_clear(&e);
		make_package(fx, fx->pkg, bc->legacy, bc->damage_sql);
		if (bc->damage != NULL)
			bc->damage(fx);
		apkg_limits_default(&lim);
		if (bc->limit != 0)
			lim.collection_max = bc->limit;
		if (bc->media_limit != 0)
			lim.media_max = bc->media_limit;
		p = apkg_open(fx->pkg, &lim, &e);
		if (p == NULL)
			failed_at = AT_OPEN;
		else if ((c = apkg_open_collection(p, fx->dir, &tmp, &e)) == NULL)
			failed_at = AT_COLLECTION;
		else if (ankicol_each_note(c, no_op_note, NULL, &e) < 0)
			failed_at = AT_NOTES;
		else if (apkg_verify_media(p, 0, &e) < 0) {
			struct err e2;

			/* extracting fails the same way, writing nothing */
			err_clear(&e2);
			assert_int_equal(apkg_extract_media(p, 0, fx->out, &e2),
			    -1);
			assert_string_equal(e2.msg, e.msg);
			failed_at = AT_MEDIA;
		} else if (apkg_extract_media(p, 0, fx->out, &e) < 0)
			failed_at = AT_MEDIA + 1;
		err_format(&e, msg, sizeof msg);
		if (failed_at != (int)bc->stage)
			fail_msg("%s: failed at stage %d, not %d: %s", bc->what,
			    failed_at, (int)bc->stage, msg);
		if (strstr(msg, bc->want) == NULL)
			fail_msg("%s: '%s' lacks '%s'", bc->what, msg, bc->want);
		/* The message, for the log (a TAP comment). */
		printf("# %s: %s\n", bc->what, strrchr(msg, '/') != NULL ?
		    strrchr(msg, '/') + 1 : msg);
		/* nothing written: no media, no temporary collection */
		assert_int_equal(files_in(fx->out), 0);
		if (failed_at == AT_COLLECTION)
			assert_null(tmp);
		ankicol_close(c);
		if (tmp != NULL) {
			unlink(tmp);
			free(tmp);
		}
		apkg_close(p);
		/* the scratch folder holds the package and media/ only */
		assert_int_equal(files_in(fx->dir), 2);
	}
}

static void
test_apkg_media_names(void **state)
{
	static const struct {
		const char	*name;
		int		 ok;
	} cases[] = {
		{ "chat.mp3", 1 },
		{ "a..b.png", 1 },		/* dots inside are fine */
		{ "日本語.png", 1 },
		{ "", 0 },
		{ ".", 0 },
		{ "..", 0 },
		{ "../x", 0 },
		{ "a/b", 0 },
		{ "/abs", 0 },
		{ "a\\b", 0 },
		{ "tab\there", 0 },
		{ "esc\x1b[2J", 0 },
		{ "del\x7f", 0 },
		{ "bad\xff utf8", 0 },
	};
	char long_name[300];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (apkg_media_name_ok(cases[i].name, 255) != cases[i].ok)
			fail_msg("'%s' should be %s", cases[i].name,
			    cases[i].ok ? "accepted" : "refused");
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	assert_false(apkg_media_name_ok(long_name, 255));
	long_name[255] = '\0';
	assert_true(apkg_media_name_ok(long_name, 255));
}

static void
test_apkg_writer_refuses(void **state)
{
	struct fixture *fx = *state;
	struct apkg_writer *w;
	struct err e;

	err_clear(&e);
	/* no collection: nothing at the path */
	w = apkg_writer_open(fx->pkg, 0, 0, &e);
	assert_non_null(w);
	assert_int_equal(apkg_writer_add_media(w, "x.png", "/dev/null", &e), -1);
	assert_int_equal(apkg_writer_commit(w, &e), -1);
	assert_non_null(strstr(e.msg, "no collection"));
	assert_int_equal(access(fx->pkg, F_OK), -1);
	/* an existing file needs force */
	make_package(fx, fx->pkg, 0, NULL);
	assert_null(apkg_writer_open(fx->pkg, 0, 0, &e));
	assert_non_null(strstr(e.msg, "exists"));
	/* an unsafe media name; the old package is kept whole */
	{
		size_t before_n, after_n;
		void *before = zip_get(fx->pkg, "meta", &before_n), *after;
		struct stat st0, st1;

		assert_int_equal(stat(fx->pkg, &st0), 0);
		w = apkg_writer_open(fx->pkg, 1, 1, &e);
		assert_non_null(w);
		assert_int_equal(apkg_writer_add_media(w, "../x", "/dev/null",
		    &e), -1);
		apkg_writer_abort(w);
		assert_int_equal(stat(fx->pkg, &st1), 0);
		assert_int_equal(st0.st_ino, st1.st_ino);
		assert_int_equal(st0.st_size, st1.st_size);
		after = zip_get(fx->pkg, "meta", &after_n);
		assert_int_equal(before_n, after_n);
		assert_memory_equal(before, after, before_n);
		free(before);
		free(after);
	}
	assert_int_equal(files_in(fx->dir), 2);	/* package and media/ */
	/* with force, a finished package replaces the old one */
	{
		char *col = xasprintf("%s/col.force", fx->dir);
		struct apkg *p;

		assert_int_equal(sample_write(col, 11, &e), 0);
		w = apkg_writer_open(fx->pkg, 1, 1, &e);
		assert_non_null(w);
		assert_int_equal(apkg_writer_add_collection(w, col, SAMPLE_NOW,
		    &e), 0);
		assert_int_equal(apkg_writer_commit(w, &e), 0);
		unlink(col);
		free(col);
		p = apkg_open(fx->pkg, NULL, &e);

		assert_non_null(p);
		assert_int_equal(apkg_version(p), APKG_LEGACY2);
		apkg_close(p);
	}
	assert_int_equal(files_in(fx->dir), 2);
}

/* A collection copied from an Anki that had it open in WAL mode: read as
 * it is, with no -wal or -shm file left beside the copy. */
static void
test_apkg_wal(void **state)
{
	struct fixture *fx = *state;
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	char *tmp;

	err_clear(&e);
	make_package(fx, fx->pkg, 0, "PRAGMA journal_mode = WAL");
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	c = apkg_open_collection(p, fx->dir, &tmp, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	sample_check_open(c);
	ankicol_close(c);
	/* the package, media/ and the copy: nothing else */
	assert_int_equal(files_in(fx->dir), 3);
	unlink(tmp);
	free(tmp);
	apkg_close(p);
}

/* All media together under a limit, counted apart for verifying and for
 * extracting: the second file (22 bytes) does not fit in 30 after the
 * first (21). */
static void
test_apkg_media_total(void **state)
{
	struct fixture *fx = *state;
	struct apkg_limits lim;
	struct apkg *p;
	struct err e;

	err_clear(&e);
	make_package(fx, fx->pkg, 0, NULL);
	apkg_limits_default(&lim);
	lim.media_total_max = 30;
	p = apkg_open(fx->pkg, &lim, &e);
	assert_non_null(p);
	assert_int_equal(apkg_verify_media(p, 0, &e), 0);
	assert_int_equal(apkg_verify_media(p, 1, &e), -1);
	assert_non_null(strstr(e.msg, "1 (map.png): the media files together "
	    "are over the limit of 30 bytes"));
	assert_int_equal(apkg_extract_media(p, 0, fx->out, &e), 0);
	assert_int_equal(apkg_extract_media(p, 1, fx->out, &e), -1);
	assert_int_equal(files_in(fx->out), 1);
	apkg_close(p);
	/* by default the limit follows the package's size: far above */
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	assert_int_equal(apkg_verify_media(p, 1, &e), 0);
	apkg_close(p);
}

/* ---- progress and its stop (apkg_set_progress) ------------------------- */

/* A report that stops at its stop_at-th call (0: never), remembering the
 * last phase and figures it saw. */
struct seen_progress {
	int		 calls, stop_at;
	const char	*what;
	uint64_t	 done, total;
};

static int
count_report(void *arg, const struct progress *p)
{
	struct seen_progress *sp = arg;

	sp->calls++;
	sp->what = p->what;
	sp->done = p->done;
	sp->total = p->total;
	return sp->stop_at != 0 && sp->calls >= sp->stop_at;
}

/* Files whose names start with ".lemma-" in dir: the temporary files. */
static size_t
temp_files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, ".lemma-", 7) == 0)
			n++;
	closedir(d);
	return n;
}

/* Bytes no compressor shrinks (xorshift), so the members stay large. */
static char *
noise(size_t n)
{
	char *b = xmalloc(n);
	uint64_t x = 88172645463325252ull;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (char)(x >> 32);
	}
	return b;
}

/* A package whose collection (padded with a random blob) and first media
 * file are each about 1 MB: many 64 KiB chunks to report on. */
static void
make_big_package(struct fixture *fx)
{
	char *col = xasprintf("%s/col.big", fx->dir);
	char *data = noise(1000000);
	char *m1 = write_file(fx->dir, "big1", data, 1000000);
	char *m2 = write_file(fx->dir, "small2", media2, sizeof media2 - 1);
	struct apkg_writer *w;
	sqlite3 *db;
	struct err e;

	err_clear(&e);
	if (sample_write(col, 18, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(sqlite3_open(col, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE pad (x); INSERT INTO "
	    "pad VALUES (randomblob(1000000))", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	w = apkg_writer_open(fx->pkg, 0, 0, &e);
	assert_non_null(w);
	if (apkg_writer_add_collection(w, col, SAMPLE_NOW, &e) < 0 ||
	    apkg_writer_add_media(w, "big.bin", m1, &e) < 0 ||
	    apkg_writer_add_media(w, "map.png", m2, &e) < 0 ||
	    apkg_writer_commit(w, &e) < 0)
		fail_msg("%s", e.msg);
	unlink(col);
	unlink(m1);
	unlink(m2);
	free(col);
	free(m1);
	free(m2);
	free(data);
}

/* Each phase reports its bytes up to its total, the collection's and the
 * media's; a stop at several points of each fails with "Cancelled" and
 * leaves no temporary file (and no half media file). */
static void
test_apkg_progress(void **state)
{
	static const int stops[] = { 1, 2, 5, 12 };
	struct fixture *fx = *state;
	struct seen_progress sp;
	struct progress pr;
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	char *tmp;

	err_clear(&e);
	make_big_package(fx);
	memset(&pr, 0, sizeof pr);
	pr.report = count_report;
	pr.arg = &sp;

	/* Whole: every phase from 0 to its total. */
	memset(&sp, 0, sizeof sp);
	p = apkg_open(fx->pkg, NULL, &e);
	assert_non_null(p);
	apkg_set_progress(p, &pr);
	c = apkg_open_collection(p, fx->dir, &tmp, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_string_equal(sp.what, "Unpacking the collection");
	assert_true(sp.total > 1000000);
	assert_int_equal(sp.done, sp.total);
	assert_true(sp.calls > 10);
	ankicol_close(c);
	unlink(tmp);
	free(tmp);
	for (size_t i = 0; i < apkg_media_count(p); i++)
		assert_int_equal(apkg_verify_media(p, i, &e), 0);
	assert_string_equal(sp.what, "Checking the media");
	assert_true(sp.total > 1000000);
	assert_int_equal(sp.done, sp.total);
	for (size_t i = 0; i < apkg_media_count(p); i++)
		assert_int_equal(apkg_extract_media(p, i, fx->out, &e), 0);
	assert_string_equal(sp.what, "Extracting the media");
	assert_int_equal(sp.done, sp.total);
	assert_int_equal(files_in(fx->out), 2);
	apkg_close(p);
	assert_int_equal(temp_files_in(fx->dir), 0);

	for (size_t k = 0; k < sizeof stops / sizeof stops[0]; k++) {
		char *cmd = xasprintf("rm -f '%s'/* '%s'/.lemma-*", fx->out,
		    fx->out);

		assert_int_equal(system(cmd), 0);
		free(cmd);
		/* The collection, stopped at its stops[k]-th report. */
		memset(&sp, 0, sizeof sp);
		sp.stop_at = stops[k];
		p = apkg_open(fx->pkg, NULL, &e);
		assert_non_null(p);
		apkg_set_progress(p, &pr);
		err_clear(&e);
		assert_null(apkg_open_collection(p, fx->dir, &tmp, &e));
		assert_null(tmp);
		assert_non_null(strstr(e.msg, "Cancelled"));
		assert_int_equal(temp_files_in(fx->dir), 0);
		apkg_close(p);

		/* The media, stopped inside the big file. */
		memset(&sp, 0, sizeof sp);
		sp.stop_at = stops[k];
		p = apkg_open(fx->pkg, NULL, &e);
		assert_non_null(p);
		apkg_set_progress(p, &pr);
		err_clear(&e);
		assert_int_equal(apkg_extract_media(p, 0, fx->out, &e), -1);
		assert_non_null(strstr(e.msg, "Cancelled"));
		assert_int_equal(files_in(fx->out), 0);
		/* Verifying stops the same way, writing nothing. */
		memset(&sp, 0, sizeof sp);
		sp.stop_at = stops[k];
		apkg_set_progress(p, &pr);
		err_clear(&e);
		assert_int_equal(apkg_verify_media(p, 0, &e), -1);
		assert_non_null(strstr(e.msg, "Cancelled"));
		apkg_close(p);
	}
}

/* ---- packages made without lemma (tests/data/apkg/make-fixtures.py) --- */

static char *
fixture(const char *name)
{
	const char *src = getenv("LEMMA_SRCDIR");

	return xasprintf("%s/tests/data/apkg/%s", src != NULL && *src != '\0' ?
	    src : LEMMA_SRCDIR, name);
}

static int
py_deck(void *arg, const struct anki_deck *d, struct err *e)
{
	int *seen = arg;

	(void)e;
	if (d->id == 1700000000300) {
		assert_string_equal(d->name, "French::Words");
		assert_int_equal(d->conf_id, 1700000000400);
		assert_string_equal(d->description, "Nouns");
		*seen |= 1;
	}
	return 0;
}

static int
py_dc(void *arg, const struct anki_deckconf *dc, struct err *e)
{
	int *seen = arg;

	(void)e;
	if (dc->id == 1700000000400) {
		assert_string_equal(dc->name, "French");
		assert_int_equal(dc->fsrs_version, 6);
		assert_int_equal(dc->nparams, 21);
		assert_true(dc->params[20] > 0.1541f && dc->params[20] < 0.1543f);
		assert_true(dc->desired_retention > 0.8499f &&
		    dc->desired_retention < 0.8501f);
		assert_int_equal(dc->nlearn_steps, 2);
		assert_true(dc->learn_steps[1] == 10.0f);
		assert_int_equal(dc->leech_threshold, 8);
		*seen |= 2;
	}
	return 0;
}

static int
py_card(void *arg, const struct anki_card *c, struct err *e)
{
	int *seen = arg;

	(void)e;
	if (c->id == 1700000001001) {
		assert_true(c->has_memory);
		assert_true(c->stability == 12.5 && c->difficulty == 5.25);
		assert_true(c->desired_retention == 0.85);
		assert_int_equal(c->last_review, 1735000000);
		assert_int_equal(c->ivl, 12);
		*seen |= 4;
	} else if (c->id == 1700000002002) {
		assert_false(c->has_memory);
		assert_int_equal(c->queue, -1);
		*seen |= 8;
	}
	return 0;
}

static void
test_apkg_python_fixtures(void **state)
{
	struct fixture *fx = *state;
	char *path = fixture("anki21b-vocab.apkg"), *tmp;
	struct ankicol_counts n;
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	int seen = 0;

	err_clear(&e);
	p = apkg_open(path, NULL, &e);
	if (p == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(apkg_version(p), APKG_LATEST);
	c = apkg_open_collection(p, fx->dir, &tmp, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(ankicol_integrity(c, &e), 0);
	assert_int_equal(ankicol_count(c, &n, &e), 0);
	assert_int_equal(n.notes, 2);
	assert_int_equal(n.revlog, 3);
	assert_int_equal(ankicol_each_deck(c, py_deck, &seen, &e), 0);
	assert_int_equal(ankicol_each_deckconf(c, py_dc, &seen, &e), 0);
	assert_int_equal(ankicol_each_card(c, py_card, &seen, &e), 0);
	assert_int_equal(seen, 15);
	ankicol_close(c);
	unlink(tmp);
	free(tmp);
	assert_int_equal(apkg_extract_media(p, 0, fx->out, &e), 0);
	expect_file(fx->out, "chat.mp3", "ID3\x03\x00 not really audio", 22);
	apkg_close(p);
	free(path);

	path = fixture("anki2-legacy.apkg");
	p = apkg_open(path, NULL, &e);
	assert_non_null(p);
	assert_int_equal(apkg_version(p), APKG_LEGACY1);
	c = apkg_open_collection(p, fx->dir, &tmp, &e);
	if (c == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(ankicol_count(c, &n, &e), 0);
	assert_int_equal(n.notes, 2);
	assert_int_equal(n.cards, 2);
	ankicol_close(c);
	unlink(tmp);
	free(tmp);
	assert_int_equal(apkg_extract_media(p, 0, fx->out, &e), 0);
	expect_file(fx->out, "sun.png", "\x89PNG\r\n\x1a\n fake", 13);
	apkg_close(p);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apkg_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apkg_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apkg_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apkg_wal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apkg_media_total, setup,
		    teardown),
		cmocka_unit_test(test_apkg_media_names),
		cmocka_unit_test_setup_teardown(test_apkg_progress, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apkg_python_fixtures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_apkg_writer_refuses, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
