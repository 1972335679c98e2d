/*
 * cmd-notetype.c - `lemma notetype list|show|add`: the note types in the
 * progress file, as text or JSON, and a user's own type made from the
 * command line (fields and card templates, Anki's template language).
 *
 *   lemma notetype list [--json]
 *   lemma notetype show NAME [--json]
 *   lemma notetype add NAME [--cloze] [--sort-field N] --field NAME...
 *                 --template NAME FRONT BACK...
 */
#include "config.h"

#include "cmd.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db-notetypes.h"

static const char help[] =
"usage: lemma notetype list [--json]\n"
"       lemma notetype show NAME [--json]\n"
"       lemma notetype add NAME [--cloze] [--sort-field N] --field NAME...\n"
"                     --template NAME FRONT BACK...\n"
"\n"
"Note types: their fields and card templates (Anki's template language:\n"
"{{Field}}, {{FrontSide}}, {{#Field}}...{{/Field}}, {{type:Field}}, ...).\n"
"Built in: Basic, Basic (and reversed card), Basic (optional reversed\n"
"card), Basic (type in the answer), Cloze. add makes a type of your own;\n"
"a card is made for each template whose front is not empty.\n";

static int
fail(const char *what, const struct err *e)
{
	cmd_complain("lemma notetype: %s: ", what);
	err_print(e, stderr);
	return 1;
}

static void
put_safe(const char *s)
{
	char *t = termsafe_str(s, TERMSAFE_LINES);

	fputs(t, stdout);
	free(t);
}

static void
json_type(struct buf *b, const struct notetype *nt, int64_t notes)
{
	buf_printf(b, "{\"id\":%lld,\"name\":", (long long)nt->id);
	jsonw_str(b, nt->name);
	buf_printf(b, ",\"kind\":\"%s\",\"sort_field\":%u,\"fields\":[",
	    nt->kind == NOTETYPE_KIND_CLOZE ? "cloze" : "normal", nt->sort_field);
	for (size_t i = 0; i < nt->nfields; i++) {
		if (i > 0)
			buf_addc(b, ',');
		jsonw_str(b, nt->fields[i]);
	}
	buf_adds(b, "],\"templates\":[");
	for (size_t i = 0; i < nt->ntemplates; i++) {
		buf_adds(b, i > 0 ? ",{\"name\":" : "{\"name\":");
		jsonw_str(b, nt->templates[i].name);
		buf_adds(b, ",\"front\":");
		jsonw_str(b, nt->templates[i].qfmt);
		buf_adds(b, ",\"back\":");
		jsonw_str(b, nt->templates[i].afmt);
		buf_addc(b, '}');
	}
	buf_printf(b, "],\"notes\":%lld}", (long long)notes);
}

static int
list(struct app *app, int json)
{
	struct notetype *v;
	struct buf b;
	struct err e;
	ssize_t n;
	int rc = 0;

	err_clear(&e);
	if ((n = db_notetype_list(app->db, &v, &e)) < 0)
		return fail("cannot list note types", &e);
	buf_init(&b);
	buf_add(&b, "", 0);
	if (json)
		buf_addc(&b, '[');
	for (ssize_t i = 0; i < n; i++) {
		int64_t notes = db_notetype_use_count(app->db, v[i].id, &e);

		if (notes < 0) {
			rc = fail("cannot count notes", &e);
			break;
		}
		if (json) {
			if (i > 0)
				buf_addc(&b, ',');
			json_type(&b, &v[i], notes);
			continue;
		}
		fputs(b.data, stdout);
		buf_reset(&b);
		put_safe(v[i].name);
		printf("\t%s, %zu field%s, %zu card template%s, %lld note%s\n",
		    v[i].kind == NOTETYPE_KIND_CLOZE ? "cloze" : "normal",
		    v[i].nfields, v[i].nfields == 1 ? "" : "s", v[i].ntemplates,
		    v[i].ntemplates == 1 ? "" : "s", (long long)notes,
		    notes == 1 ? "" : "s");
	}
	if (json && rc == 0) {
		buf_adds(&b, "]\n");
		fputs(b.data, stdout);
	}
	buf_free(&b);
	for (ssize_t i = 0; i < n; i++)
		notetype_free(&v[i]);
	free(v);
	return rc;
}

static int
show(struct app *app, const char *name, int json)
{
	struct notetype nt;
	struct err e;
	int64_t id, notes;

	err_clear(&e);
	if ((id = db_notetype_find(app->db, name, &e)) < 0)
		return fail("show", &e);
	if (db_notetype_get(app->db, id, &nt, &e) < 0)
		return fail("show", &e);
	if ((notes = db_notetype_use_count(app->db, id, &e)) < 0) {
		notetype_free(&nt);
		return fail("show", &e);
	}
	if (json) {
		struct buf b;

		buf_init(&b);
		json_type(&b, &nt, notes);
		buf_addc(&b, '\n');
		fputs(b.data, stdout);
		buf_free(&b);
	} else {
		put_safe(nt.name);
		printf(" (%s, %lld note%s)\nFields:\n", nt.kind ==
		    NOTETYPE_KIND_CLOZE ? "cloze" : "normal", (long long)notes,
		    notes == 1 ? "" : "s");
		for (size_t i = 0; i < nt.nfields; i++) {
			printf("  %zu. ", i + 1);
			put_safe(nt.fields[i]);
			puts(i == nt.sort_field ? "  (sort field)" : "");
		}
		for (size_t i = 0; i < nt.ntemplates; i++) {
			fputs("Card template ", stdout);
			put_safe(nt.templates[i].name);
			fputs(":\n  Front: ", stdout);
			put_safe(nt.templates[i].qfmt);
			fputs("\n  Back:  ", stdout);
			put_safe(nt.templates[i].afmt);
			putchar('\n');
		}
	}
	notetype_free(&nt);
	return 0;
}

static int
add(struct app *app, int argc, char **argv)
{
	struct notetype nt;
	struct err e;
	int64_t id;
	int rc = 2;

	memset(&nt, 0, sizeof nt);
	if (argc < 1 || argv[0][0] == '-') {
		fputs("lemma notetype add: a name comes first\n", stderr);
		return 2;
	}
	nt.name = xstrdup(argv[0]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cloze") == 0)
			nt.kind = NOTETYPE_KIND_CLOZE;
		else if (strcmp(argv[i], "--field") == 0 && i + 1 < argc) {
			nt.fields = xreallocarray(nt.fields, nt.nfields + 1,
			    sizeof *nt.fields);
			nt.fields[nt.nfields++] = xstrdup(argv[++i]);
		} else if (strcmp(argv[i], "--template") == 0 && i + 3 < argc) {
			struct notetype_template *t;

			nt.templates = xreallocarray(nt.templates,
			    nt.ntemplates + 1, sizeof *nt.templates);
			t = &nt.templates[nt.ntemplates++];
			t->name = xstrdup(argv[++i]);
			t->qfmt = xstrdup(argv[++i]);
			t->afmt = xstrdup(argv[++i]);
		} else if (strcmp(argv[i], "--sort-field") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end != '\0' || v < 1 || v > 1000) {
				cmd_complain("lemma notetype add: --sort-field "
				    "takes a field number from 1\n");
				goto out;
			}
			nt.sort_field = (unsigned)(v - 1);
		} else {
			cmd_complain("lemma notetype add: unexpected '%s' "
			    "(--template takes NAME FRONT BACK)\n", argv[i]);
			goto out;
		}
	}
	err_clear(&e);
	if ((id = db_notetype_add(app->db, &nt, app_now(app), &e)) < 0) {
		rc = fail("add", &e);
		goto out;
	}
	put_safe(nt.name);
	printf(": note type %lld added\n", (long long)id);
	rc = 0;
out:
	notetype_free(&nt);
	return rc;
}

int
cmd_notetype(struct app *app, int argc, char **argv)
{
	int json = 0, n = 0;
	char *args[2] = { NULL, NULL };

	if (cmd_help_requested(argc, argv, help))
		return 0;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return add(app, argc - 2, argv + 2);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (n < 2)
			args[n++] = argv[i];
		else {
			fputs(help, stderr);
			return 2;
		}
	}
	if (n == 1 && strcmp(args[0], "list") == 0)
		return list(app, json);
	if (n == 2 && strcmp(args[0], "show") == 0)
		return show(app, args[1], json);
	fputs(help, stderr);
	return 2;
}
