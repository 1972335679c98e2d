/*
 * cmd-package.c - `lemma package info FILE [--json]`: what an Anki package
 * (.apkg, .colpkg) holds, without importing it: its members, version,
 * collection schema, counts, media, and its note types with their fields
 * and templates. Every name from the file is made safe for the terminal
 * (termsafe) or escaped (JSON). The work is apkg.c's and ankicol's.
 */
#include "config.h"

#include "cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/formats/apkg.h"
#include "lemma/store/ankicol.h"
#include "progress-line.h"

static const char package_help[] =
"usage: lemma package info FILE [--json]\n"
"\n"
"Show what an Anki package (.apkg or .colpkg) holds without importing it:\n"
"its zip members, the package version and collection member, the\n"
"collection's schema, how many note types, decks, presets, notes, cards,\n"
"review-log rows and media files it has, its decks and deck option\n"
"presets, and each note type with its fields and card templates.\n"
"\n"
"  --json           the same as one JSON object\n"
"\n"
"Exit status 0, 1 when the package cannot be read (the message names the\n"
"package and the member), 2 on a usage error.\n";

/*
 * What `package info` says is one walk over the package (info()) and two
 * writers, text and JSON, each a set of the functions below: the walk
 * decides what comes in which order, a writer only how it looks.
 */
struct info {
	int		 first;		/* no item of the list yet */
	const char	*close;		/* JSON: what ends the open list */
	struct buf	 out;
};

struct info_writer {
	void	(*head)(struct info *in, const char *path, struct apkg *p,
		    struct ankicol *c);
	void	(*member)(struct info *in, size_t i, const char *name,
		    uint64_t size, uint64_t csize);
	void	(*counts)(struct info *in, const struct ankicol_counts *n,
		    size_t nmedia);
	void	(*media)(struct info *in, size_t i, const char *name);
	/* Before the decks, the presets and the note types. */
	void	(*section)(struct info *in, const char *name);
	int	(*deck)(void *arg, const struct anki_deck *d, struct err *e);
	int	(*preset)(void *arg, const struct anki_deckconf *dc,
		    struct err *e);
	int	(*notetype)(void *arg, const struct notetype *nt,
		    struct err *e);
	void	(*end)(struct info *in);
};

static void
put_safe(struct buf *b, const char *s)
{
	termsafe_append(b, s, strlen(s), 0);
}

/* ---- text ---------------------------------------------------------------- */

static void
text_head(struct info *in, const char *path, struct apkg *p, struct ankicol *c)
{
	buf_adds(&in->out, "package ");
	put_safe(&in->out, path);
	buf_printf(&in->out, "\nversion %d: collection %s, schema %d\n"
	    "members: %zu\n", (int)apkg_version(p), apkg_collection_member(p),
	    ankicol_schema(c), apkg_member_count(p));
}

static void
text_member(struct info *in, size_t i, const char *name, uint64_t size,
    uint64_t csize)
{
	(void)i;
	buf_adds(&in->out, "  ");
	put_safe(&in->out, name);
	buf_printf(&in->out, "  %" PRIu64 " bytes (%" PRIu64 " in the zip)\n",
	    size, csize);
}

static void
text_counts(struct info *in, const struct ankicol_counts *n, size_t nmedia)
{
	buf_printf(&in->out, "note types: %lld\ndecks: %lld\npresets: %lld\n"
	    "notes: %lld\ncards: %lld\nreview log: %lld\nmedia: %zu\n",
	    n->notetypes, n->decks, n->deckconfs, n->notes, n->cards, n->revlog,
	    nmedia);
}

static void
text_media(struct info *in, size_t i, const char *name)
{
	(void)i;
	buf_adds(&in->out, "  ");
	put_safe(&in->out, name);
	buf_addc(&in->out, '\n');
}

static void
text_section(struct info *in, const char *name)
{
	(void)in;
	(void)name;
}

static int
text_deck(void *arg, const struct anki_deck *d, struct err *e)
{
	struct buf *b = &((struct info *)arg)->out;

	(void)e;
	buf_adds(b, "deck ");
	put_safe(b, d->name);
	if (d->filtered)
		buf_adds(b, " (filtered)\n");
	else
		buf_printf(b, " (preset %" PRId64 ")\n", d->conf_id);
	return 0;
}

static int
text_preset(void *arg, const struct anki_deckconf *dc, struct err *e)
{
	struct buf *b = &((struct info *)arg)->out;

	(void)e;
	buf_printf(b, "preset %" PRId64 " ", dc->id);
	put_safe(b, dc->name);
	buf_printf(b, ": %u new, %u reviews a day", dc->new_per_day,
	    dc->reviews_per_day);
	if (dc->desired_retention > 0)	/* 0: the preset does not say */
		buf_printf(b, ", desired retention %.2f", dc->desired_retention);
	if (dc->fsrs_version != 0)
		buf_printf(b, ", FSRS-%d parameters (%zu)", dc->fsrs_version,
		    dc->nparams);
	buf_addc(b, '\n');
	return 0;
}

static int
text_notetype(void *arg, const struct notetype *nt, struct err *e)
{
	struct buf *b = &((struct info *)arg)->out;

	(void)e;
	buf_adds(b, "note type ");
	put_safe(b, nt->name);
	buf_printf(b, " (%s, id %" PRId64 ")\n", nt->kind ==
	    NOTETYPE_KIND_CLOZE ? "cloze" : "normal", nt->id);
	buf_adds(b, "  fields:");
	for (size_t i = 0; i < nt->nfields; i++) {
		buf_adds(b, i > 0 ? ", " : " ");
		put_safe(b, nt->fields[i]);
		if (i == nt->sort_field)
			buf_adds(b, " (sort)");
	}
	buf_addc(b, '\n');
	for (size_t i = 0; i < nt->ntemplates; i++) {
		buf_adds(b, "  template ");
		put_safe(b, nt->templates[i].name);
		buf_adds(b, "\n    front: ");
		put_safe(b, nt->templates[i].qfmt);
		buf_adds(b, "\n    back:  ");
		put_safe(b, nt->templates[i].afmt);
		buf_addc(b, '\n');
	}
	return 0;
}

static void
text_end(struct info *in)
{
	(void)in;
}

static const struct info_writer text_writer = {
	text_head, text_member, text_counts, text_media, text_section,
	text_deck, text_preset, text_notetype, text_end,
};

/* ---- JSON ---------------------------------------------------------------- */

static void
json_head(struct info *in, const char *path, struct apkg *p, struct ankicol *c)
{
	buf_adds(&in->out, "{\n  \"package\": ");
	jsonw_str(&in->out, path);
	buf_printf(&in->out, ",\n  \"version\": %d,\n  \"collection\": ",
	    (int)apkg_version(p));
	jsonw_str(&in->out, apkg_collection_member(p));
	buf_printf(&in->out, ",\n  \"schema\": %d,\n  \"members\": [",
	    ankicol_schema(c));
}

static void
json_member(struct info *in, size_t i, const char *name, uint64_t size,
    uint64_t csize)
{
	buf_adds(&in->out, i > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ");
	jsonw_str(&in->out, name);
	buf_printf(&in->out, ", \"size\": %" PRIu64 ", \"compressed\": %" PRIu64
	    "}", size, csize);
}

static void
json_counts(struct info *in, const struct ankicol_counts *n, size_t nmedia)
{
	buf_printf(&in->out, "\n  ],\n  \"counts\": {\"notetypes\": %lld, "
	    "\"decks\": %lld, \"presets\": %lld, \"notes\": %lld, "
	    "\"cards\": %lld, \"revlog\": %lld, \"media\": %zu},\n"
	    "  \"media\": [", n->notetypes, n->decks, n->deckconfs, n->notes,
	    n->cards, n->revlog, nmedia);
	in->close = "],";
}

static void
json_media(struct info *in, size_t i, const char *name)
{
	buf_adds(&in->out, i > 0 ? ", " : "");
	jsonw_str(&in->out, name);
}

static void
json_section(struct info *in, const char *name)
{
	buf_printf(&in->out, "%s\n  \"%s\": [", in->close, name);
	in->close = "\n  ],";
	in->first = 1;
}

/* The start of an object in the open list. */
static struct buf *
json_item(void *arg)
{
	struct info *in = arg;

	buf_adds(&in->out, in->first ? "\n    {" : ",\n    {");
	in->first = 0;
	return &in->out;
}

static int
json_deck(void *arg, const struct anki_deck *d, struct err *e)
{
	struct buf *b = json_item(arg);

	(void)e;
	buf_printf(b, "\"id\": %" PRId64 ", \"name\": ", d->id);
	jsonw_str(b, d->name);
	buf_printf(b, ", \"filtered\": %s, \"preset\": %" PRId64 "}",
	    d->filtered ? "true" : "false", d->conf_id);
	return 0;
}

static int
json_preset(void *arg, const struct anki_deckconf *dc, struct err *e)
{
	struct buf *b = json_item(arg);

	(void)e;
	buf_printf(b, "\"id\": %" PRId64 ", \"name\": ", dc->id);
	jsonw_str(b, dc->name);
	buf_printf(b, ", \"new_per_day\": %u, \"reviews_per_day\": %u, "
	    "\"desired_retention\": ", dc->new_per_day, dc->reviews_per_day);
	jsonw_num(b, dc->desired_retention);
	buf_printf(b, ", \"fsrs_version\": %d, \"fsrs_params\": %zu}",
	    dc->fsrs_version, dc->nparams);
	return 0;
}

static int
json_notetype(void *arg, const struct notetype *nt, struct err *e)
{
	struct buf *b = json_item(arg);

	(void)e;
	buf_printf(b, "\"id\": %" PRId64 ", \"name\": ", nt->id);
	jsonw_str(b, nt->name);
	buf_printf(b, ", \"kind\": \"%s\", \"sort_field\": %u, \"fields\": [",
	    nt->kind == NOTETYPE_KIND_CLOZE ? "cloze" : "normal",
	    nt->sort_field);
	for (size_t i = 0; i < nt->nfields; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		jsonw_str(b, nt->fields[i]);
	}
	buf_adds(b, "], \"templates\": [");
	for (size_t i = 0; i < nt->ntemplates; i++) {
		buf_adds(b, i > 0 ? ", {\"name\": " : "{\"name\": ");
		jsonw_str(b, nt->templates[i].name);
		buf_adds(b, ", \"qfmt\": ");
		jsonw_str(b, nt->templates[i].qfmt);
		buf_adds(b, ", \"afmt\": ");
		jsonw_str(b, nt->templates[i].afmt);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}");
	return 0;
}

static void
json_end(struct info *in)
{
	buf_printf(&in->out, "%s", "\n  ]\n}\n");
}

static const struct info_writer json_writer = {
	json_head, json_member, json_counts, json_media, json_section,
	json_deck, json_preset, json_notetype, json_end,
};

/* ---- the walk -------------------------------------------------------------- */

static int
info(const struct app *app, const char *path, const struct info_writer *w)
{
	struct progress_line pl;
	struct ankicol_counts n;
	struct ankicol *c = NULL;
	struct apkg *p;
	struct info in;
	struct err e;
	char *tmp = NULL;
	int rc = 1, sig;

	err_clear(&e);
	memset(&in, 0, sizeof in);
	in.first = 1;
	in.close = "";
	buf_init(&in.out);
	if ((p = apkg_open(path, NULL, &e)) == NULL)
		goto out;
	/* A large package's collection takes a while to unpack: its line
	 * on a terminal, and Ctrl-C removes the temporary file. */
	progress_line_begin(&pl, stderr, app->quiet, app->ascii);
	apkg_set_progress(p, &pl.progress);
	c = apkg_open_collection(p, NULL, &tmp, &e);
	apkg_set_progress(p, NULL);
	if ((sig = progress_line_end(&pl)) != 0 && c == NULL)
		rc = 128 + sig;
	if (c == NULL || ankicol_count(c, &n, &e) < 0)
		goto out;
	w->head(&in, path, p, c);
	for (size_t i = 0; i < apkg_member_count(p); i++) {
		const char *name;
		uint64_t size, csize;

		apkg_member(p, i, &name, &size, &csize);
		w->member(&in, i, name, size, csize);
	}
	w->counts(&in, &n, apkg_media_count(p));
	for (size_t i = 0; i < apkg_media_count(p); i++)
		w->media(&in, i, apkg_media_at(p, i)->name);
	w->section(&in, "decks");
	if (ankicol_each_deck(c, w->deck, &in, &e) < 0)
		goto out;
	w->section(&in, "presets");
	if (ankicol_each_deckconf(c, w->preset, &in, &e) < 0)
		goto out;
	w->section(&in, "notetypes");
	if (ankicol_each_notetype(c, w->notetype, &in, &e) < 0)
		goto out;
	w->end(&in);
	fputs(in.out.data, stdout);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		cmd_complain("lemma package: cannot write: %s\n",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && e.msg[0] != '\0') {
		fputs("lemma package: ", stderr);
		err_print(&e, stderr);
	}
	ankicol_close(c);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	apkg_close(p);
	buf_free(&in.out);
	return rc;
}

int
cmd_package(struct app *app, int argc, char **argv)
{
	const char *file = NULL;
	int json = 0;

	if (cmd_help_requested(argc, argv, package_help))
		return 0;
	if (argc < 2 || strcmp(argv[1], "info") != 0) {
		cmd_complain("lemma package: %s\n", argc < 2 ?
		    "no action given" : "unknown action (info is the one)");
		fputs(package_help, stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc &&
		    file == NULL)
			file = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fputs("lemma package: unknown option\n", stderr);
			fputs(package_help, stderr);
			return 2;
		} else if (file == NULL)
			file = argv[i];
		else {
			fputs("lemma package info: one FILE at a time\n", stderr);
			return 2;
		}
	}
	if (file == NULL) {
		fputs("lemma package info: no FILE given\n", stderr);
		fputs(package_help, stderr);
		return 2;
	}
	return info(app, file, json ? &json_writer : &text_writer);
}
