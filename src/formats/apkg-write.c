/*
 * apkg-write.c - writing an Anki package (see apkg.h).
 *
 * Anki's order and methods (colpkg/export.rs, export_collection): "meta"
 * stored; the collection (version 3: zstd, stored; version 2: deflated);
 * the stub collection.anki2, stored; the media files as "0", "1", ...
 * stored (zstd-compressed in version 3); the media map "media" last,
 * stored (version 3: zstd protobuf MediaEntries; version 2: JSON). Large
 * data goes through temporary files (libzip reads its sources when the
 * archive is closed), so memory stays flat. The archive is written under
 * a temporary name beside the target, synced and renamed into place (as
 * safefile.h does for other exports), so a failed or interrupted export
 * leaves the target as it was.
 */
#include "config.h"

#include "lemma/formats/apkg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "apkg-int.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/paths.h"
#include "lemma/base/pbwire.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/ankicol.h"

struct media_out {
	char		*name;
	uint64_t	 size;
	uint8_t		 sha1[SHA1_LEN];
};

struct apkg_writer {
	zip_t			*zip;
	char			*path;
	char			*tmp;		/* the zip until commit */
	int			 force;
	int			 legacy;
	int			 have_collection;
	char			**tmps;		/* removed at the end */
	size_t			 ntmps, tmpcap;
	struct media_out	*media;
	size_t			 nmedia, mediacap;
};

static int
zfail(struct apkg_writer *w, struct err *e, const char *member)
{
	return err_set(e, w->path, 0, 0, "%s: %s", member, zip_strerror(w->zip));
}

struct apkg_writer *
apkg_writer_open(const char *path, int legacy, int force, struct err *e)
{
	struct apkg_writer *w;
	struct stat st;
	zip_t *z;
	char *tmp;
	int code = 0, fd;

	if (!force && lstat(path, &st) == 0) {
		err_set(e, path, 0, 0, "exists; use --force to replace it");
		return NULL;
	}
	/* The zip is made under a temporary name beside path, created
	 * exclusively (libzip then replaces it by rename at zip_close), and
	 * renamed over path only when whole and synced. */
	tmp = xasprintf("%s.lemma-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		err_set(e, path, 0, 0, "cannot make a temporary file beside it: "
		    "%s", strerror(errno));
		free(tmp);
		return NULL;
	}
	close(fd);
	if ((z = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &code)) == NULL) {
		err_set(e, path, 0, 0, "%s", apkg_zip_strerror(code));
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	w = xcalloc(1, sizeof *w);
	w->zip = z;
	w->path = xstrdup(path);
	w->tmp = tmp;
	w->force = force;
	w->legacy = legacy;
	return w;
}

static void
cleanup(struct apkg_writer *w)
{
	for (size_t i = 0; i < w->ntmps; i++) {
		unlink(w->tmps[i]);
		free(w->tmps[i]);
	}
	free(w->tmps);
	for (size_t i = 0; i < w->nmedia; i++)
		free(w->media[i].name);
	free(w->media);
	if (w->tmp != NULL) {
		unlink(w->tmp);
		free(w->tmp);
	}
	free(w->path);
	free(w);
}

void
apkg_writer_abort(struct apkg_writer *w)
{
	if (w == NULL)
		return;
	zip_discard(w->zip);
	cleanup(w);
}

/* Sync the finished zip and put it at w->path: over an existing file
 * only with force (link() refuses to replace, so a file that appeared
 * since open is not lost), then sync the folder. */
static int
put_in_place(struct apkg_writer *w, struct err *e)
{
	char *dir, *slash;
	int fd;

	if ((fd = open(w->tmp, O_RDONLY)) < 0 || fsync(fd) < 0) {
		err_set(e, w->path, 0, 0, "cannot sync: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (w->force ? rename(w->tmp, w->path) < 0 :
	    link(w->tmp, w->path) < 0) {
		err_set(e, w->path, 0, 0, errno == EEXIST ? "exists; use "
		    "--force to replace it" : "cannot rename into place: %s",
		    strerror(errno));
		return -1;
	}
	if (!w->force)
		unlink(w->tmp);
	free(w->tmp);
	w->tmp = NULL;
	dir = xstrdup(w->path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		(void)fsync(fd);	/* best effort, as safefile does */
		close(fd);
	}
	free(dir);
	return 0;
}

/* A new temporary file, removed when the writer ends. */
static int
new_temp(struct apkg_writer *w, const char *what, char **path, struct err *e)
{
	int fd;

	*path = xasprintf("%s/lemma-%s-XXXXXX", paths_tmpdir(), what);
	if ((fd = mkstemp(*path)) < 0) {
		err_set(e, *path, 0, 0, "cannot make a temporary file: %s",
		    strerror(errno));
		free(*path);
		return -1;
	}
	VEC_RESERVE(w->tmps, w->tmpcap, w->ntmps + 1, 8);
	w->tmps[w->ntmps++] = *path;
	return fd;
}

/* Add member name from a file (stored, or deflated when deflate). */
static int
add_file(struct apkg_writer *w, const char *name, const char *file,
    int deflate, struct err *e)
{
	zip_source_t *src;
	zip_int64_t idx;

	if ((src = zip_source_file(w->zip, file, 0, -1)) == NULL)
		return zfail(w, e, name);
	if ((idx = zip_file_add(w->zip, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return zfail(w, e, name);
	}
	if (zip_set_file_compression(w->zip, (zip_uint64_t)idx,
	    deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) < 0)
		return zfail(w, e, name);
	return 0;
}

/* Add member name from memory (copied), stored. */
static int
add_bytes(struct apkg_writer *w, const char *name, const void *data,
    size_t n, struct err *e)
{
	void *copy = xmalloc(n > 0 ? n : 1);
	zip_source_t *src;
	zip_int64_t idx;

	memcpy(copy, data, n);
	if ((src = zip_source_buffer(w->zip, copy, n, 1)) == NULL) {
		free(copy);
		return zfail(w, e, name);
	}
	if ((idx = zip_file_add(w->zip, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return zfail(w, e, name);
	}
	if (zip_set_file_compression(w->zip, (zip_uint64_t)idx, ZIP_CM_STORE,
	    0) < 0)
		return zfail(w, e, name);
	return 0;
}

static int
write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t r = write(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * Stream the file src through sha (size and SHA-1 of what it holds) and,
 * when out >= 0, into out: zstd-compressed when zstd, else as it is.
 */
/* Anki's MULTITHREAD_MIN_BYTES. */
#define APKG_MT_MIN_BYTES	(10 * 1024 * 1024)
/* Each worker's share at a time: small, so that the buffers in flight
 * stay a few MiB (zstd's default, 4 windows, took the export of a
 * 130 MB collection from 47 to 96 MB of peak RSS with two workers). */
#define APKG_MT_JOB_BYTES	(1024 * 1024)

static int
copy_file(const char *src, int out, int zstd, struct sha1 *sha,
    uint64_t *size, struct err *e)
{
	size_t insz = ZSTD_CStreamInSize(), outsz = ZSTD_CStreamOutSize();
	unsigned char *in = xmalloc(insz), *ob = xmalloc(outsz);
	ZSTD_CCtx *cz = NULL;
	int fd, ret = -1;
	ssize_t n;

	*size = 0;
	if ((fd = open(src, O_RDONLY)) < 0) {
		err_set(e, src, 0, 0, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (zstd && (cz = ZSTD_createCCtx()) == NULL)
		fatal("out of memory");
	/* A large file is compressed on worker threads beside the reading,
	 * as Anki's zstd_copy does past 10 MiB (colpkg/export.rs); a
	 * libzstd built without threads refuses, and one thread does it. */
	if (zstd) {
		struct stat st;
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		if (fstat(fd, &st) == 0 && st.st_size > APKG_MT_MIN_BYTES &&
		    ncpu > 1 && ZSTD_isError(ZSTD_CCtx_setParameter(cz,
		    ZSTD_c_nbWorkers, ncpu > 4 ? 4 : (int)ncpu)) == 0)
			(void)ZSTD_CCtx_setParameter(cz, ZSTD_c_jobSize,
			    APKG_MT_JOB_BYTES);
	}
	for (;;) {
		n = read(fd, in, insz);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, src, 0, 0, "cannot read: %s", strerror(errno));
			goto out;
		}
		sha1_update(sha, in, (size_t)n);
		*size += (uint64_t)n;
		if (out < 0)
			;
		else if (!zstd) {
			if (write_all(out, in, (size_t)n) < 0)
				goto write_err;
		} else {
			ZSTD_EndDirective mode = n == 0 ? ZSTD_e_end :
			    ZSTD_e_continue;
			ZSTD_inBuffer ib = { in, (size_t)n, 0 };
			size_t left;

			do {
				ZSTD_outBuffer o = { ob, outsz, 0 };

				left = ZSTD_compressStream2(cz, &o, &ib, mode);
				if (ZSTD_isError(left)) {
					err_set(e, src, 0, 0, "zstd: %s",
					    ZSTD_getErrorName(left));
					goto out;
				}
				if (write_all(out, ob, o.pos) < 0)
					goto write_err;
			} while (mode == ZSTD_e_end ? left != 0 :
			    ib.pos < ib.size);
		}
		if (n == 0)
			break;
	}
	ret = 0;
	goto out;
write_err:
	err_set(e, src, 0, 0, "cannot write a temporary file: %s",
	    strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	ZSTD_freeCCtx(cz);
	free(in);
	free(ob);
	return ret;
}

/* Copy src into a new temporary file, zstd-compressed when zstd; its
 * path in *tmp (owned by the writer). */
static int
temp_copy(struct apkg_writer *w, const char *what, const char *src, int zstd,
    char **tmp, struct sha1 *sha, uint64_t *size, struct err *e)
{
	int fd = new_temp(w, what, tmp, e);

	if (fd < 0)
		return -1;
	if (copy_file(src, fd, zstd, sha, size, e) < 0) {
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return err_set(e, *tmp, 0, 0, "cannot write: %s",
		    strerror(errno));
	return 0;
}

/* The stub: a schema 11 collection whose one Basic note says what Anki
 * says (colpkg/export.rs, create_dummy_collection_file). */
static int
make_stub(struct apkg_writer *w, time_t now, char **path, struct err *e)
{
	static char *fields[] = { (char *)"Front", (char *)"Back" };
	static struct notetype_template tmpl = {
		(char *)"Card 1", (char *)"{{Front}}",
		(char *)"{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
	};
	struct notetype nt = {
		.name = (char *)"Basic", .css = (char *)"", .nfields = 2,
		.fields = fields, .ntemplates = 1, .templates = &tmpl
	};
	char *nf[2] = { (char *)apkg_stub_text, (char *)"" };
	struct anki_note note = {
		.guid = (char *)"lemma-stub", .tags = (char *)"", .nfields = 2,
		.fields = nf
	};
	struct anki_card card = { .ord = 0, .did = 1 };
	struct ankicol_writer *cw;
	int fd = new_temp(w, "stub", path, e);

	if (fd < 0)
		return -1;
	close(fd);
	unlink(*path);	/* the collection writer creates it exclusively */
	nt.id = (int64_t)now * 1000;
	nt.mtime = now;
	note.id = card.nid = card.id = (int64_t)now * 1000;
	note.mid = nt.id;
	note.mod = card.mod = now;
	card.due = 1;
	if ((cw = ankicol_writer_create(*path, 11, now, e)) == NULL)
		return -1;
	if (ankicol_add_notetype(cw, &nt, e) < 0 ||
	    ankicol_add_note(cw, &note, e) < 0 ||
	    ankicol_add_card(cw, &card, e) < 0) {
		ankicol_writer_abort(cw);
		return -1;
	}
	return ankicol_writer_finish(cw, e);
}

int
apkg_writer_add_collection(struct apkg_writer *w, const char *col_path,
    time_t now, struct err *e)
{
	struct buf meta;
	struct sha1 sha;
	uint64_t size;
	char *tmp, *stub;
	int rc;

	if (w->have_collection)
		return err_set(e, w->path, 0, 0, "a second collection");
	w->have_collection = 1;
	/* PackageMetadata { Version version = 1; } */
	buf_init(&meta);
	pb_put_varint(&meta, 1, w->legacy ? APKG_LEGACY2 : APKG_LATEST);
	rc = add_bytes(w, "meta", meta.data, meta.len, e);
	buf_free(&meta);
	if (rc < 0)
		return -1;
	sha1_init(&sha);
	if (w->legacy) {
		if (temp_copy(w, "col", col_path, 0, &tmp, &sha, &size, e) < 0 ||
		    add_file(w, "collection.anki21", tmp, 1, e) < 0)
			return -1;
	} else if (temp_copy(w, "col", col_path, 1, &tmp, &sha, &size, e) < 0 ||
	    add_file(w, "collection.anki21b", tmp, 0, e) < 0)
		return -1;
	if (make_stub(w, now, &stub, e) < 0)
		return -1;
	return add_file(w, "collection.anki2", stub, 0, e);
}

int
apkg_writer_add_media(struct apkg_writer *w, const char *name,
    const char *file, struct err *e)
{
	struct media_out *m;
	struct sha1 sha;
	char member[24], *tmp;

	if (!w->have_collection)
		return err_set(e, w->path, 0, 0, "media before the collection");
	if (!apkg_media_name_ok(name, 255))
		return err_set(e, w->path, 0, 0, "media: unsafe file name");
	snprintf(member, sizeof member, "%zu", w->nmedia);
	VEC_RESERVE(w->media, w->mediacap, w->nmedia + 1, 16);
	m = &w->media[w->nmedia];
	memset(m, 0, sizeof *m);
	sha1_init(&sha);
	if (temp_copy(w, "media", file, !w->legacy, &tmp, &sha, &m->size,
	    e) < 0 || add_file(w, member, tmp, 0, e) < 0)
		return -1;
	sha1_final(&sha, m->sha1);
	m->name = xstrdup(name);
	w->nmedia++;
	return 0;
}

static int
add_media_map(struct apkg_writer *w, struct err *e)
{
	struct buf map, entry;
	int rc;

	buf_init(&map);
	buf_init(&entry);
	if (w->legacy) {
		buf_addc(&map, '{');
		for (size_t i = 0; i < w->nmedia; i++) {
			buf_printf(&map, "%s\"%zu\":", i > 0 ? "," : "", i);
			jsonw_str(&map, w->media[i].name);
		}
		buf_addc(&map, '}');
		rc = add_bytes(w, "media", map.data, map.len, e);
	} else {
		size_t bound;
		void *z;

		/* MediaEntries { repeated MediaEntry entries = 1; } */
		for (size_t i = 0; i < w->nmedia; i++) {
			buf_reset(&entry);
			pb_put_str(&entry, 1, w->media[i].name);
			pb_put_varint(&entry, 2, w->media[i].size);
			pb_put_len(&entry, 3, w->media[i].sha1, SHA1_LEN);
			pb_put_len(&map, 1, entry.data, entry.len);
		}
		bound = ZSTD_compressBound(map.len);
		z = xmalloc(bound);
		bound = ZSTD_compress(z, bound, map.data != NULL ? map.data : "",
		    map.len, ZSTD_CLEVEL_DEFAULT);
		if (ZSTD_isError(bound))
			rc = err_set(e, w->path, 0, 0, "media: zstd: %s",
			    ZSTD_getErrorName(bound));
		else
			rc = add_bytes(w, "media", z, bound, e);
		free(z);
	}
	buf_free(&map);
	buf_free(&entry);
	return rc;
}

int
apkg_writer_commit(struct apkg_writer *w, struct err *e)
{
	if (!w->have_collection) {
		err_set(e, w->path, 0, 0, "no collection was added");
		apkg_writer_abort(w);
		return -1;
	}
	if (add_media_map(w, e) < 0) {
		apkg_writer_abort(w);
		return -1;
	}
	if (zip_close(w->zip) < 0) {
		zfail(w, e, "writing the package");
		apkg_writer_abort(w);
		return -1;
	}
	if (put_in_place(w, e) < 0) {
		cleanup(w);
		return -1;
	}
	cleanup(w);
	return 0;
}
