/*
 * apkg.c - reading an Anki package (see apkg.h).
 *
 * What Anki does (rslib/src/import_export/package/meta.rs, media.rs):
 * the meta member, when there is one, is a PackageMetadata message whose
 * version picks the collection member; without it the package is version
 * 2 when it has collection.anki21, else 1. Version 3 compresses the
 * collection, the media map and each media file with zstd. A media entry
 * whose name is not safe makes the whole package corrupt (Anki's
 * ImportError::Corrupt), so names are checked when the map is read,
 * before anything is written.
 */
#include "config.h"

#include "lemma/formats/apkg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "apkg-int.h"
#include "lemma/base/paths.h"
#include "lemma/base/pbwire.h"
#include "lemma/base/progress.h"
#include "lemma/base/utf8.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/ankicol.h"

const char apkg_stub_text[] = "Please update to the latest Anki version, "
    "then import the .colpkg/.apkg file again.";

struct member {
	char		*name;
	uint64_t	 size, csize;
};

struct apkg {
	zip_t			*zip;
	char			*path;
	struct apkg_limits	 lim;
	enum apkg_version	 version;
	const char		*col_member;
	struct member		*members;
	size_t			 nmembers;
	struct apkg_media	*media;
	size_t			 nmedia, mediacap;
	uint64_t		 verified, extracted;	/* media bytes so far */
	/* Progress, in bytes read from the zip (apkg_set_progress): the
	 * phase now, and the bytes of the phase before this member. */
	struct progress		*progress;
	const char		*phase;
	uint64_t		 phase_done;
};

void
apkg_limits_default(struct apkg_limits *lim)
{
	lim->collection_max = (uint64_t)4 << 30;
	lim->media_max = (uint64_t)512 << 20;
	lim->map_max = (uint64_t)64 << 20;
	lim->name_max = 255;
	lim->media_total_max = 0;
}

const char *
apkg_zip_strerror(int code)
{
	/* libzip's own texts, without its per-archive error state. */
	switch (code) {
	case ZIP_ER_NOZIP:	return "not a zip file";
	case ZIP_ER_INCONS:	return "the zip file is inconsistent (damaged or truncated)";
	case ZIP_ER_CRC:	return "CRC error (damaged data)";
	case ZIP_ER_READ:	return "read error";
	case ZIP_ER_OPEN:	return "cannot open the file";
	case ZIP_ER_NOENT:	return "no such file";
	case ZIP_ER_EXISTS:	return "the file exists";
	case ZIP_ER_MEMORY:	return "out of memory";
	case ZIP_ER_COMPNOTSUPP: return "compression method not supported";
	case ZIP_ER_ENCRNOTSUPP: return "encryption not supported";
	case ZIP_ER_NOPASSWD:	return "the member is encrypted";
	case ZIP_ER_EOF:	return "premature end of file";
	case ZIP_ER_WRITE:	return "write error";
	case ZIP_ER_TMPOPEN:	return "cannot make a temporary file";
	case ZIP_ER_RENAME:	return "cannot rename the temporary file";
	default:		return "zip error";
	}
}

int
apkg_media_name_ok(const char *name, size_t max)
{
	size_t n = strlen(name);

	if (n == 0 || n > max || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || utf8_invalid_offset(name, n) != (size_t)-1)
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			return 0;
	return 1;
}

/* ---- members, streamed -------------------------------------------------- */

typedef int (*sink_fn)(void *arg, const void *data, size_t n, struct err *e);

/*
 * Stream member idx (named member, for errors) into sink, zstd-decoded
 * when zstd, stopping with an error past limit bytes of output (the
 * zip's declared size and a zstd frame's declared content size are
 * checked first, so a bomb that says what it is stops at once).
 */
static int
read_member(struct apkg *p, zip_int64_t idx, const char *member, int zstd,
    uint64_t limit, sink_fn sink, void *arg, struct err *e)
{
	enum { IN = 64 * 1024 };
	unsigned char *in = NULL, *out = NULL;
	size_t outsz = ZSTD_DStreamOutSize();
	ZSTD_DCtx *dz = NULL;
	zip_file_t *zf = NULL;
	uint64_t total = 0;
	size_t last = 0;
	int first = 1, ret = -1;
	zip_stat_t st;
	zip_int64_t n;

	zip_stat_init(&st);
	if (zip_stat_index(p->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && !zstd && st.size > limit)
		return err_set(e, p->path, 0, 0, "%s: %llu bytes, over the "
		    "limit of %llu", member, (unsigned long long)st.size,
		    (unsigned long long)limit);
	if ((zf = zip_fopen_index(p->zip, (zip_uint64_t)idx, 0)) == NULL)
		return err_set(e, p->path, 0, 0, "%s: %s", member,
		    zip_strerror(p->zip));
	in = xmalloc(IN);
	if (zstd) {
		out = xmalloc(outsz);
		if ((dz = ZSTD_createDCtx()) == NULL)
			fatal("out of memory");
	}
	while ((n = zip_fread(zf, in, IN)) > 0) {
		if (p->progress != NULL && p->phase != NULL) {
			/* Each chunk (64 KiB): the byte counts are not
			 * multiples of anything progress_step() could sample
			 * on, and a report costs a clock read. */
			p->phase_done += (uint64_t)n;
			p->progress->done = p->phase_done;
			if (progress_poll(p->progress) < 0) {
				progress_stopped(e);
				goto out;
			}
		}
		if (!zstd) {
			total += (uint64_t)n;
			if (total > limit) {
				err_set(e, p->path, 0, 0, "%s: over the limit "
				    "of %llu bytes", member,
				    (unsigned long long)limit);
				goto out;
			}
			if (sink(arg, in, (size_t)n, e) < 0)
				goto out;
			continue;
		}
		if (first) {
			unsigned long long cs = ZSTD_getFrameContentSize(in,
			    (size_t)n);

			first = 0;
			if (cs != ZSTD_CONTENTSIZE_UNKNOWN &&
			    cs != ZSTD_CONTENTSIZE_ERROR && cs > limit) {
				err_set(e, p->path, 0, 0, "%s: declares %llu "
				    "bytes, over the limit of %llu", member, cs,
				    (unsigned long long)limit);
				goto out;
			}
		}
		ZSTD_inBuffer ib = { in, (size_t)n, 0 };
		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { out, outsz, 0 };

			last = ZSTD_decompressStream(dz, &ob, &ib);
			if (ZSTD_isError(last)) {
				err_set(e, p->path, 0, 0, "%s: zstd: %s", member,
				    ZSTD_getErrorName(last));
				goto out;
			}
			total += ob.pos;
			if (total > limit) {
				err_set(e, p->path, 0, 0, "%s: over the limit "
				    "of %llu bytes", member,
				    (unsigned long long)limit);
				goto out;
			}
			if (ob.pos > 0 && sink(arg, out, ob.pos, e) < 0)
				goto out;
		}
		/* A frame's output can outlast its input: flush it. */
		for (;;) {
			ZSTD_inBuffer none = { in, 0, 0 };
			ZSTD_outBuffer ob = { out, outsz, 0 };

			if (last == 0)
				break;
			last = ZSTD_decompressStream(dz, &ob, &none);
			if (ZSTD_isError(last)) {
				err_set(e, p->path, 0, 0, "%s: zstd: %s", member,
				    ZSTD_getErrorName(last));
				goto out;
			}
			if (ob.pos == 0)
				break;
			total += ob.pos;
			if (total > limit) {
				err_set(e, p->path, 0, 0, "%s: over the limit "
				    "of %llu bytes", member,
				    (unsigned long long)limit);
				goto out;
			}
			if (sink(arg, out, ob.pos, e) < 0)
				goto out;
		}
	}
	if (n < 0) {
		err_set(e, p->path, 0, 0, "%s: %s", member, zip_file_strerror(zf));
		goto out;
	}
	if (zstd && (first || last != 0)) {
		err_set(e, p->path, 0, 0, "%s: zstd: %s", member, first ?
		    "no data" : "the last frame is truncated");
		goto out;
	}
	ret = 0;
out:
	ZSTD_freeDCtx(dz);
	free(in);
	free(out);
	zip_fclose(zf);
	return ret;
}

static int
sink_buf(void *arg, const void *data, size_t n, struct err *e)
{
	(void)e;
	buf_add(arg, data, n);
	return 0;
}

struct fd_sink {
	int		 fd;
	const char	*path;
	struct sha1	 sha;
	uint64_t	 n;
};

static int
sink_fd(void *arg, const void *data, size_t n, struct err *e)
{
	struct fd_sink *s = arg;
	const char *p = data;

	sha1_update(&s->sha, data, n);
	s->n += n;
	while (s->fd >= 0 && n > 0) {
		ssize_t w = write(s->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return err_set(e, s->path, 0, 0, "cannot write: %s",
			    strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- the media map --------------------------------------------------------- */

static int
add_media(struct apkg *p, const char *name, size_t len, unsigned long index,
    struct err *e)
{
	struct apkg_media *m;

	VEC_RESERVE(p->media, p->mediacap, p->nmedia + 1, 16);
	m = &p->media[p->nmedia];
	memset(m, 0, sizeof *m);
	m->name = xstrndup(name, len);
	snprintf(m->member, sizeof m->member, "%lu", index);
	p->nmedia++;
	if (strlen(m->name) != len || !apkg_media_name_ok(m->name,
	    p->lim.name_max))
		return err_set(e, p->path, 0, 0, "media: entry %lu: unsafe "
		    "file name", index);
	return 0;
}

/* MediaEntries { repeated MediaEntry entries = 1; } with MediaEntry
 * { string name = 1; uint32 size = 2; bytes sha1 = 3; }. */
static int
parse_media_entries(struct apkg *p, const struct buf *b, struct err *e)
{
	struct pb_reader r, re;
	struct pb_field f, g;
	unsigned long index = 0;
	int rc;

	pb_reader_init(&r, b->data, b->len);
	while ((rc = pb_next(&r, &f)) > 0) {
		const uint8_t *name = NULL, *sha = NULL;
		size_t namelen = 0, shalen = 0;
		uint64_t size = 0;
		struct apkg_media *m;

		if (f.num != 1 || f.wire != PB_LEN)
			continue;
		pb_reader_init(&re, f.p, f.n);
		while ((rc = pb_next(&re, &g)) > 0) {
			if (g.num == 1 && g.wire == PB_LEN)
				name = g.p, namelen = g.n;
			else if (g.num == 2 && g.wire == PB_VARINT)
				size = g.v;
			else if (g.num == 3 && g.wire == PB_LEN)
				sha = g.p, shalen = g.n;
		}
		if (rc < 0)
			break;
		if (add_media(p, name != NULL ? (const char *)name : "", namelen,
		    index, e) < 0)
			return -1;
		m = &p->media[p->nmedia - 1];
		m->size = size;
		/* Anki requires the SHA-1 of every entry in a version 3 map. */
		if (shalen != SHA1_LEN)
			return err_set(e, p->path, 0, 0, "media: entry %lu "
			    "(%s) has no SHA-1", index, m->name);
		memcpy(m->sha1, sha, SHA1_LEN);
		m->has_sha1 = 1;
		index++;
	}
	if (rc < 0)
		return err_set(e, p->path, 0, 0, "media: entry %lu: not a media "
		    "list (protobuf)", index);
	return 0;
}

/* A JSON string at *s (after its opening quote) into out, decoded. */
static int
json_string(const char **s, const char *end, struct buf *out)
{
	const char *p = *s;

	while (p < end && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return -1;
		if (*p != '\\') {
			buf_addc(out, *p++);
			continue;
		}
		if (++p >= end)
			return -1;
		switch (*p++) {
		case '"': buf_addc(out, '"'); break;
		case '\\': buf_addc(out, '\\'); break;
		case '/': buf_addc(out, '/'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u': {
			uint32_t cp = 0;
			char enc[4];

			for (int round = 0; round < 2; round++) {
				uint32_t u = 0;

				if (end - p < 4)
					return -1;
				for (int i = 0; i < 4; i++) {
					char c = p[i];

					u <<= 4;
					if (c >= '0' && c <= '9')
						u |= (uint32_t)(c - '0');
					else if (c >= 'a' && c <= 'f')
						u |= (uint32_t)(c - 'a' + 10);
					else if (c >= 'A' && c <= 'F')
						u |= (uint32_t)(c - 'A' + 10);
					else
						return -1;
				}
				p += 4;
				if (round == 0 && u >= 0xd800 && u < 0xdc00 &&
				    end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
					cp = u;
					p += 2;
					continue;
				}
				if (round == 1) {
					if (u < 0xdc00 || u > 0xdfff)
						return -1;
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (u - 0xdc00);
				} else
					cp = u;
				break;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				return -1;	/* a lone surrogate */
			buf_add(out, enc, utf8_encode(cp, enc));
			break;
		}
		default:
			return -1;
		}
	}
	if (p >= end)
		return -1;
	*s = p + 1;
	return 0;
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The legacy map: one JSON object of "index": "name" strings. */
static int
parse_media_json(struct apkg *p, const struct buf *b, struct err *e)
{
	const char *s = b->data != NULL ? b->data : "", *end = s + b->len;
	struct buf key, val;
	int ret = -1;

	buf_init(&key);
	buf_init(&val);
	s = skip_ws(s, end);
	if (s >= end || *s++ != '{')
		goto bad;
	s = skip_ws(s, end);
	if (s < end && *s == '}') {
		s++;
		goto done;
	}
	for (;;) {
		char *stop;
		unsigned long index;

		buf_reset(&key);
		buf_reset(&val);
		s = skip_ws(s, end);
		if (s >= end || *s++ != '"' || json_string(&s, end, &key) < 0)
			goto bad;
		s = skip_ws(s, end);
		if (s >= end || *s++ != ':')
			goto bad;
		s = skip_ws(s, end);
		if (s >= end || *s++ != '"' || json_string(&s, end, &val) < 0)
			goto bad;
		errno = 0;
		if (key.len == 0 || key.len > 9 ||
		    strspn(key.data, "0123456789") != key.len)
			goto bad;
		index = strtoul(key.data, &stop, 10);
		if (add_media(p, val.len ? val.data : "", val.len, index, e) < 0)
			goto out;
		s = skip_ws(s, end);
		if (s < end && *s == ',') {
			s++;
			continue;
		}
		if (s < end && *s == '}') {
			s++;
			break;
		}
		goto bad;
	}
done:
	if (skip_ws(s, end) != end)
		goto bad;
	ret = 0;
	goto out;
bad:
	err_set(e, p->path, 0, 0, "media: not a media map (JSON object of "
	    "\"index\": \"name\")");
out:
	buf_free(&key);
	buf_free(&val);
	return ret;
}

/* ---- opening ---------------------------------------------------------------- */

static int
read_small(struct apkg *p, const char *member, int zstd, struct buf *out,
    int *found, struct err *e)
{
	zip_int64_t idx = zip_name_locate(p->zip, member, 0);

	*found = idx >= 0;
	if (idx < 0)
		return 0;
	return read_member(p, idx, member, zstd, p->lim.map_max, sink_buf, out,
	    e);
}

static int
read_meta(struct apkg *p, struct err *e)
{
	struct buf b;
	struct pb_reader r;
	struct pb_field f;
	uint64_t version = 0;
	int found, rc;

	buf_init(&b);
	if (read_small(p, "meta", 0, &b, &found, e) < 0) {
		buf_free(&b);
		return -1;
	}
	if (!found) {
		/* Anki's rule, with one addition: a package that has lost its
		 * meta but still has collection.anki21b is read as version 3,
		 * where Anki would read the stub collection.anki2 beside it. */
		if (zip_name_locate(p->zip, "collection.anki21b", 0) >= 0)
			p->version = APKG_LATEST;
		else if (zip_name_locate(p->zip, "collection.anki21", 0) >= 0)
			p->version = APKG_LEGACY2;
		else
			p->version = APKG_LEGACY1;
		return 0;
	}
	pb_reader_init(&r, b.data, b.len);
	while ((rc = pb_next(&r, &f)) > 0)
		if (f.num == 1 && f.wire == PB_VARINT)
			version = f.v;
	buf_free(&b);
	if (rc < 0)
		return err_set(e, p->path, 0, 0, "meta: not a package "
		    "description (protobuf)");
	if (version < APKG_LEGACY1 || version > APKG_LATEST)
		return err_set(e, p->path, 0, 0, "meta: package version %llu is "
		    "not supported (made by a newer Anki?)",
		    (unsigned long long)version);
	p->version = (enum apkg_version)version;
	return 0;
}

struct apkg *
apkg_open(const char *path, const struct apkg_limits *lim, struct err *e)
{
	static const char *const col_names[] = {
		NULL, "collection.anki2", "collection.anki21",
		"collection.anki21b"
	};
	struct apkg *p = xcalloc(1, sizeof *p);
	struct buf map;
	zip_int64_t n;
	int code = 0, found;

	p->path = xstrdup(path);
	if (lim != NULL)
		p->lim = *lim;
	else
		apkg_limits_default(&p->lim);
	if ((p->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code)) == NULL) {
		err_set(e, path, 0, 0, "%s", code == ZIP_ER_OPEN ||
		    code == ZIP_ER_NOENT || code == ZIP_ER_READ ?
		    strerror(errno) : apkg_zip_strerror(code));
		goto fail;
	}
	if (p->lim.media_total_max == 0) {
		struct stat st;
		uint64_t size = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;

		p->lim.media_total_max = ((uint64_t)1 << 30) + 100 * size;
	}
	n = zip_get_num_entries(p->zip, 0);
	p->members = xcalloc(n > 0 ? (size_t)n : 1, sizeof *p->members);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;

		zip_stat_init(&st);
		if (zip_stat_index(p->zip, (zip_uint64_t)i, 0, &st) < 0)
			continue;
		p->members[p->nmembers].name = xstrdup(st.name != NULL ?
		    st.name : "");
		p->members[p->nmembers].size = st.size;
		p->members[p->nmembers].csize = st.comp_size;
		p->nmembers++;
	}
	if (read_meta(p, e) < 0)
		goto fail;
	p->col_member = col_names[p->version];
	if (zip_name_locate(p->zip, p->col_member, 0) < 0) {
		err_set(e, path, 0, 0, "%s: no such member: the package has no "
		    "collection", p->col_member);
		goto fail;
	}
	buf_init(&map);
	if (read_small(p, "media", p->version == APKG_LATEST, &map, &found,
	    e) < 0 || (found && (p->version == APKG_LATEST ?
	    parse_media_entries(p, &map, e) : parse_media_json(p, &map, e)) < 0)) {
		buf_free(&map);
		goto fail;
	}
	buf_free(&map);
	return p;
fail:
	apkg_close(p);
	return NULL;
}

void
apkg_close(struct apkg *p)
{
	if (p == NULL)
		return;
	if (p->zip != NULL)
		zip_discard(p->zip);
	for (size_t i = 0; i < p->nmembers; i++)
		free(p->members[i].name);
	free(p->members);
	for (size_t i = 0; i < p->nmedia; i++)
		free(p->media[i].name);
	free(p->media);
	free(p->path);
	free(p);
}

enum apkg_version
apkg_version(const struct apkg *p)
{
	return p->version;
}

const char *
apkg_collection_member(const struct apkg *p)
{
	return p->col_member;
}

size_t
apkg_member_count(const struct apkg *p)
{
	return p->nmembers;
}

int
apkg_member(const struct apkg *p, size_t i, const char **name,
    uint64_t *size, uint64_t *csize)
{
	if (i >= p->nmembers)
		return -1;
	*name = p->members[i].name;
	*size = p->members[i].size;
	*csize = p->members[i].csize;
	return 0;
}

size_t
apkg_media_count(const struct apkg *p)
{
	return p->nmedia;
}

const struct apkg_media *
apkg_media_at(const struct apkg *p, size_t i)
{
	return i < p->nmedia ? &p->media[i] : NULL;
}

/* ---- progress ---------------------------------------------------------- */

void
apkg_set_progress(struct apkg *p, struct progress *progress)
{
	p->progress = progress;
	p->phase = NULL;
}

/* The zip's size of member name (0 when it has none). */
static uint64_t
member_size(const struct apkg *p, const char *name)
{
	for (size_t i = 0; i < p->nmembers; i++)
		if (strcmp(p->members[i].name, name) == 0)
			return p->members[i].size;
	return 0;
}

/* Start phase what (a static string: the phase's identity) unless it is
 * the one under way: the media's phase spans every call for a file. */
static int
begin_phase(struct apkg *p, const char *what, uint64_t total, struct err *e)
{
	if (p->progress == NULL || p->phase == what)
		return 0;
	p->phase = what;
	p->phase_done = 0;
	if (progress_begin(p->progress, what, "bytes", total) < 0)
		return progress_stopped(e);
	return 0;
}

static const char phase_collection[] = "Unpacking the collection";
static const char phase_check_media[] = "Checking the media";
static const char phase_extract_media[] = "Extracting the media";

/* Bytes of all media members, as the zip stores them: the total of the
 * media phases, which read exactly those. */
static uint64_t
media_bytes(const struct apkg *p)
{
	uint64_t total = 0;

	for (size_t i = 0; i < p->nmedia; i++)
		total += member_size(p, p->media[i].member);
	return total;
}

/* ---- extracting ------------------------------------------------------------ */

/* A new private file dir/.lemma-NAME-XXXXXX; its path in *path. */
static int
make_temp(const char *dir, const char *what, char **path, struct err *e)
{
	int fd;

	*path = xasprintf("%s/.lemma-%s-XXXXXX", dir, what);
	if ((fd = mkstemp(*path)) < 0) {
		err_set(e, dir, 0, 0, "cannot make a temporary file: %s",
		    strerror(errno));
		free(*path);
		*path = NULL;
	}
	return fd;
}

struct stub_check {
	int	notes;
	int	stub_text;
};

static int
stub_note(void *arg, const struct anki_note *n, struct err *e)
{
	struct stub_check *s = arg;

	(void)e;
	s->notes++;
	if (n->nfields > 0 && strstr(n->fields[0], "Please update to the "
	    "latest Anki version") != NULL)
		s->stub_text = 1;
	return s->notes > 1 ? -1 : 0;	/* two notes: not the stub */
}

static int
is_stub(struct ankicol *c, int *stub, struct err *e)
{
	struct stub_check s = { 0, 0 };
	struct ankicol_counts n;

	*stub = 0;
	if (ankicol_count(c, &n, e) < 0)
		return -1;
	if (n.notes != 1)
		return 0;
	if (ankicol_each_note(c, stub_note, &s, e) < 0)
		return -1;
	*stub = s.stub_text;
	return 0;
}

/*
 * A collection copied while Anki had it open may say "WAL" in its header
 * (bytes 18 and 19 are 2): SQLite would then want -wal and -shm files
 * beside our copy, and leave them there. The copy is whole (Anki
 * checkpoints before it exports), so mark it a rollback-journal file (1),
 * as SQLite's own documentation of the header allows.
 */
static int
rollback_journal(int fd)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char head[20];
	static const unsigned char legacy[2] = { 1, 1 };

	if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head ||
	    memcmp(head, magic, sizeof magic) != 0 ||
	    (head[18] != 2 && head[19] != 2))
		return 0;
	return pwrite(fd, legacy, 2, 18) == 2 ? 0 : -1;
}

struct ankicol *
apkg_open_collection(struct apkg *p, const char *dir, char **tmp_path,
    struct err *e)
{
	struct fd_sink s;
	struct ankicol *c = NULL;
	char *label;
	int stub;

	*tmp_path = NULL;
	if (dir == NULL)
		dir = paths_tmpdir();
	memset(&s, 0, sizeof s);
	if ((s.fd = make_temp(dir, "collection", tmp_path, e)) < 0)
		return NULL;
	s.path = *tmp_path;
	sha1_init(&s.sha);
	label = xasprintf("%s: %s", p->path, p->col_member);
	if (begin_phase(p, phase_collection, member_size(p, p->col_member),
	    e) < 0) {
		close(s.fd);
		goto fail;
	}
	if (read_member(p, zip_name_locate(p->zip, p->col_member, 0),
	    p->col_member, p->version == APKG_LATEST, p->lim.collection_max,
	    sink_fd, &s, e) < 0) {
		close(s.fd);
		goto fail;
	}
	if (rollback_journal(s.fd) < 0 || close(s.fd) < 0) {
		err_set(e, *tmp_path, 0, 0, "cannot write: %s", strerror(errno));
		goto fail;
	}
	if ((c = ankicol_open(*tmp_path, label, e)) == NULL)
		goto fail;
	if (p->version == APKG_LEGACY1) {
		if (is_stub(c, &stub, e) < 0)
			goto fail;
		if (stub) {
			err_set(e, p->path, 0, 0, "%s: only the placeholder "
			    "collection (\"Please update to the latest Anki "
			    "version\"): the package's real collection is "
			    "missing", p->col_member);
			goto fail;
		}
	}
	free(label);
	return c;
fail:
	ankicol_close(c);
	unlink(*tmp_path);
	free(*tmp_path);
	*tmp_path = NULL;
	free(label);
	return NULL;
}

/* Stream media file m through s (fd -1: hash only) and check it against
 * the map: SHA-1 and size where the map has them. label names it. */
static int
copy_media(struct apkg *p, const struct apkg_media *m, const char *label,
    struct fd_sink *s, uint64_t *total, struct err *e)
{
	uint64_t left = p->lim.media_total_max - *total, limit;
	uint8_t sha[SHA1_LEN];
	zip_int64_t idx;

	if ((idx = zip_name_locate(p->zip, m->member, 0)) < 0)
		return err_set(e, p->path, 0, 0, "%s: no such member", label);
	sha1_init(&s->sha);
	limit = p->lim.media_max < left ? p->lim.media_max : left;
	if (read_member(p, idx, label, p->version == APKG_LATEST, limit,
	    sink_fd, s, e) < 0) {
		if (limit < p->lim.media_max && e != NULL &&
		    strstr(e->msg, "over the limit") != NULL)
			err_set(e, p->path, 0, 0, "%s: the media files together "
			    "are over the limit of %llu bytes", label,
			    (unsigned long long)p->lim.media_total_max);
		return -1;
	}
	*total += s->n;
	sha1_final(&s->sha, sha);
	if (m->has_sha1 && memcmp(sha, m->sha1, SHA1_LEN) != 0)
		return err_set(e, p->path, 0, 0, "%s: SHA-1 does not match the "
		    "media map", label);
	if (m->has_sha1 && m->size != s->n)
		return err_set(e, p->path, 0, 0, "%s: %llu bytes, the media map "
		    "says %llu", label, (unsigned long long)s->n,
		    (unsigned long long)m->size);
	return 0;
}

int
apkg_verify_media(struct apkg *p, size_t i, struct err *e)
{
	const struct apkg_media *m = apkg_media_at(p, i);
	struct fd_sink s;
	char *label;
	int rc;

	if (m == NULL)
		return err_set(e, p->path, 0, 0, "media: no entry %zu", i);
	if (begin_phase(p, phase_check_media, media_bytes(p), e) < 0)
		return -1;
	label = xasprintf("%s (%s)", m->member, m->name);
	memset(&s, 0, sizeof s);
	s.fd = -1;
	rc = copy_media(p, m, label, &s, &p->verified, e);
	free(label);
	return rc;
}

int
apkg_extract_media(struct apkg *p, size_t i, const char *dir, struct err *e)
{
	const struct apkg_media *m = apkg_media_at(p, i);
	struct fd_sink s;
	char *tmp = NULL, *dest = NULL, *label = NULL;
	int ret = -1;

	if (m == NULL)
		return err_set(e, p->path, 0, 0, "media: no entry %zu", i);
	if (begin_phase(p, phase_extract_media, media_bytes(p), e) < 0)
		return -1;
	label = xasprintf("%s (%s)", m->member, m->name);
	if (zip_name_locate(p->zip, m->member, 0) < 0) {
		err_set(e, p->path, 0, 0, "%s: no such member", label);
		goto out;
	}
	memset(&s, 0, sizeof s);
	if ((s.fd = make_temp(dir, "media", &tmp, e)) < 0)
		goto out;
	s.path = tmp;
	if (copy_media(p, m, label, &s, &p->extracted, e) < 0) {
		close(s.fd);
		goto out;
	}
	if (fsync(s.fd) < 0 || close(s.fd) < 0) {
		err_set(e, tmp, 0, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	dest = xasprintf("%s/%s", dir, m->name);
	if (rename(tmp, dest) < 0) {
		err_set(e, dest, 0, 0, "cannot rename into place: %s",
		    strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	ret = 0;
out:
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(dest);
	free(label);
	return ret;
}
