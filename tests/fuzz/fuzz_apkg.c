/* fuzz-sources: src/formats/apkg.c src/store/db-ankicol.c src/model/notetype.c src/base/pbwire.c src/base/progress.c src/base/sha1.c src/base/utf8.c src/base/text.c src/base/fold-tab.c src/base/paths.c src/base/err.c src/base/termsafe.c src/base/xmalloc.c src/model/template.c src/model/typeanswer.c src/model/cloze.c src/base/html.c src/base/entity.c src/base/entity-table.c src/render/render.c src/render/render-runs.c src/render/render-prep.c src/render/mediaref.c src/render/render-math.c src/render/render-latex.c src/render/render-width.c src/render/render-tables.c src/render/render-width-tab.c */
/* fuzz-libs: -lzip -lzstd -lsqlite3 */
/*
 * fuzz_apkg.c - libFuzzer target: any bytes as an Anki package.
 *
 * The bytes are written to a private file and opened as a package with
 * small limits; every media file is extracted into a private folder; the
 * collection is decompressed, opened and read through every iterator.
 * Any step may refuse the input, with a message; none may crash, leak or
 * break its promises: a media name that got through is one
 * apkg_media_name_ok accepts, and a file extracted lands under that name
 * in the folder and nowhere else; a note has its type's field count;
 * nothing is left in the scratch folder but what was extracted.
 *
 * Build with -DFUZZ_MAIN (any compiler) for a main() that runs the files
 * named on the command line once each, or replays the seed corpus as a TAP
 * test (make check).
 */
#include "config.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg.h"
#include "lemma/store/ankicol.h"

#define CORPUS	"apkg"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_apkg: broken promise: %s\n", what);
		abort();
	}
}

static int
on_nt(void *arg, const struct notetype *nt, struct err *e)
{
	(void)arg;
	(void)e;
	must(nt->name != NULL && nt->nfields > 0, "a note type has fields");
	must(nt->sort_field < nt->nfields, "sort field in range");
	return 0;
}

static int
on_deck(void *arg, const struct anki_deck *d, struct err *e)
{
	(void)arg;
	(void)e;
	must(d->name != NULL && d->description != NULL, "deck strings set");
	return 0;
}

static int
on_dc(void *arg, const struct anki_deckconf *dc, struct err *e)
{
	(void)arg;
	(void)e;
	must(dc->nparams == 0 || dc->params != NULL, "params present");
	return 0;
}

static int
on_note(void *arg, const struct anki_note *n, struct err *e)
{
	(void)arg;
	(void)e;
	must(n->nfields > 0 && n->guid != NULL && n->tags != NULL,
	    "note strings set");
	return 0;
}

static int
on_card(void *arg, const struct anki_card *c, struct err *e)
{
	(void)arg;
	(void)c;
	(void)e;
	return 0;
}

static int
on_rev(void *arg, const struct anki_revlog *r, struct err *e)
{
	(void)arg;
	(void)r;
	(void)e;
	return 0;
}

/* Remove the folder's files; how many there were. */
static size_t
clear_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	must(d != NULL, "scratch folder readable");
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
		n++;
	}
	closedir(d);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *dir, *pkg, *media;
	struct apkg_limits lim = {
		.collection_max = 8 << 20, .media_max = 1 << 20,
		.map_max = 1 << 20, .name_max = 255
	};
	struct ankicol *c;
	struct apkg *p;
	struct err e;
	size_t extracted = 0;
	char *tmp = NULL;
	FILE *f;

	if (dir == NULL) {
		dir = xasprintf("%s/fuzz_apkg.%ld", paths_tmpdir(),
		    (long)getpid());
		media = xasprintf("%s/media", dir);
		pkg = xasprintf("%s/in.apkg", dir);
		mkdir(dir, 0700);
		mkdir(media, 0700);
	}
	f = fopen(pkg, "wb");
	must(f != NULL, "scratch file");
	if (size > 0)
		fwrite(data, 1, size, f);
	fclose(f);
	err_clear(&e);
	if ((p = apkg_open(pkg, &lim, &e)) == NULL) {
		must(e.msg[0] != '\0', "a refusal says why");
		goto out;
	}
	for (size_t i = 0; i < apkg_media_count(p); i++) {
		const struct apkg_media *m = apkg_media_at(p, i);
		struct stat st;
		char *path;

		must(apkg_media_name_ok(m->name, lim.name_max), "media name safe");
		if (apkg_extract_media(p, i, media, &e) < 0)
			continue;
		path = xasprintf("%s/%s", media, m->name);
		must(lstat(path, &st) == 0 && S_ISREG(st.st_mode),
		    "extracted under its name");
		free(path);
		extracted++;
	}
	if ((c = apkg_open_collection(p, dir, &tmp, &e)) != NULL) {
		struct ankicol_counts n;

		(void)ankicol_count(c, &n, &e);
		(void)ankicol_each_notetype(c, on_nt, NULL, &e);
		(void)ankicol_each_deck(c, on_deck, NULL, &e);
		(void)ankicol_each_deckconf(c, on_dc, NULL, &e);
		(void)ankicol_each_note(c, on_note, NULL, &e);
		(void)ankicol_each_card(c, on_card, NULL, &e);
		(void)ankicol_each_revlog(c, on_rev, NULL, &e);
		ankicol_close(c);
		unlink(tmp);
		free(tmp);
	} else
		must(tmp == NULL, "no collection file left on refusal");
	apkg_close(p);
out:
	/* extracted files may share a name: at most that many remain */
	must(clear_dir(media) <= extracted, "only extracted media written");
	unlink(pkg);
	return 0;
}

#ifdef FUZZ_MAIN
#include "fuzz-replay.h"
#endif
