/*
 * cmd-preset.c - `lemma preset`: the deck options presets for scripts:
 * list, show, add, clone, rename, set one option, delete. The options and
 * their rules are store's deckconf_keys; this file parses and prints.
 */
#include "config.h"

#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/deckconf.h"

static const char preset_help[] =
"usage: lemma preset list [--json]\n"
"       lemma preset show NAME [--json]\n"
"       lemma preset add NAME\n"
"       lemma preset clone NAME NEW\n"
"       lemma preset rename NAME NEW\n"
"       lemma preset set NAME KEY VALUE\n"
"       lemma preset delete NAME\n"
"\n"
"Deck options presets, as Anki's: several decks may share one; `lemma deck\n"
"options DECK PRESET` gives a deck a preset. Names compare\n"
"case-insensitively. Deleting a preset moves its decks to Default, which\n"
"cannot be deleted.\n"
"\n"
"  list         every preset and how many decks use it\n"
"  show         every option of a preset, as KEY VALUE lines\n"
"  --json       list or show as JSON, for scripts\n"
"  set          one option (keys as show prints them; the collection's\n"
"               learn-ahead-mins and next-day-starts-at too)\n"
"\n"
"Exit status 0, 1 on an error (an unknown preset, a value refused), 2 on\n"
"a usage error.\n";

static int
fail(const char *what, struct err *e)
{
	cmd_complain("lemma preset %s: ", what);
	err_print(e, stderr);
	return 1;
}

static void
put_safe(struct app *app, struct buf *out, const char *s)
{
	char *safe = termsafe_str(s, app->ascii ? TERMSAFE_ASCII : 0);

	buf_adds(out, safe);
	free(safe);
}

/* The preset named name, or 0 after a message. */
static int64_t
find_preset(struct app *app, const char *what, const char *name)
{
	struct err e;
	int64_t id;

	err_clear(&e);
	if ((id = deckconf_find(app->db, name, &e)) < 0) {
		fail(what, &e);
		return 0;
	}
	if (id == 0) {
		char *safe = termsafe_str(name, app->ascii ? TERMSAFE_ASCII : 0);

		cmd_complain("lemma preset %s: no preset named '%s' (lemma "
		    "preset list)\n", what, safe);
		free(safe);
	}
	return id;
}

static int
emit(struct buf *out)
{
	fwrite(out->data != NULL ? out->data : "", 1, out->len, stdout);
	buf_free(out);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
preset_list(struct app *app, int json)
{
	struct deckconf *p;
	struct buf out;
	struct err e;
	size_t n;

	err_clear(&e);
	if (deckconf_list(app->db, &p, &n, &e) < 0)
		return fail("list", &e);
	buf_init(&out);
	buf_adds(&out, json ? "[" : "");
	for (size_t i = 0; i < n; i++) {
		if (json) {
			buf_adds(&out, i > 0 ? ",\n {\"name\": " : "{\"name\": ");
			jsonw_str(&out, p[i].name);
			buf_printf(&out, ", \"id\": %lld, \"decks\": %d}",
			    (long long)p[i].id, p[i].decks_using);
		} else {
			buf_printf(&out, "%4d deck%s  ", p[i].decks_using,
			    p[i].decks_using == 1 ? " " : "s");
			put_safe(app, &out, p[i].name);
			buf_addc(&out, '\n');
		}
	}
	if (json)
		buf_adds(&out, "]\n");
	free(p);
	return emit(&out);
}

static int
preset_show(struct app *app, const char *name, int json)
{
	struct deckconf c;
	struct deckconf_global g;
	struct buf out;
	struct err e;
	char val[1100];
	int64_t id;

	if ((id = find_preset(app, "show", name)) <= 0)
		return 1;
	err_clear(&e);
	if (deckconf_get_preset(app->db, id, &c, &e) < 0 ||
	    deckconf_global_get(app->db, &g, &e) < 0)
		return fail("show", &e);
	buf_init(&out);
	if (json) {
		buf_adds(&out, "{\"name\": ");
		jsonw_str(&out, c.name);
		buf_printf(&out, ", \"id\": %lld, \"decks\": %d", (long long)c.id,
		    c.decks_using);
	} else {
		buf_adds(&out, "name ");
		put_safe(app, &out, c.name);
		buf_printf(&out, "\ndecks %d\n", c.decks_using);
	}
	for (size_t i = 0; i < deckconf_nkeys; i++) {
		const struct deckconf_key *k = &deckconf_keys[i];

		deckconf_key_format(&c, k, val, sizeof val);
		if (!json) {
			buf_printf(&out, "%s ", k->key);
			put_safe(app, &out, val);
			buf_addc(&out, '\n');
			continue;
		}
		buf_printf(&out, ", \"%s\": ", k->key);
		if (k->type == DC_INT || k->type == DC_REAL)
			buf_adds(&out, val);
		else if (k->type == DC_BOOL)
			buf_adds(&out, strcmp(val, "yes") == 0 ? "true" : "false");
		else
			jsonw_str(&out, val);
	}
	if (json)
		buf_printf(&out, ", \"learn-ahead-mins\": %d, "
		    "\"next-day-starts-at\": %d}\n", g.learn_ahead_mins,
		    g.next_day_starts_at);
	else
		buf_printf(&out, "learn-ahead-mins %d\nnext-day-starts-at %d\n",
		    g.learn_ahead_mins, g.next_day_starts_at);
	return emit(&out);
}

static int
preset_set(struct app *app, const char *name, const char *key,
    const char *value)
{
	const struct deckconf_key *k;
	struct deckconf c;
	struct deckconf_global g;
	struct err e;
	char *end;
	long v;
	int64_t id;

	if ((id = find_preset(app, "set", name)) <= 0)
		return 1;
	err_clear(&e);
	if (strcmp(key, "learn-ahead-mins") == 0 ||
	    strcmp(key, "next-day-starts-at") == 0) {
		if (deckconf_global_get(app->db, &g, &e) < 0)
			return fail("set", &e);
		v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0') {
			cmd_complain("lemma preset set: %s: '%s' is not a "
			    "whole number\n", key, value);
			return 1;
		}
		if (key[0] == 'l')
			g.learn_ahead_mins = (int)v;
		else
			g.next_day_starts_at = (int)v;
		if (deckconf_global_set(app->db, &g, &e) < 0)
			return fail("set", &e);
		return 0;
	}
	if ((k = deckconf_key_find(key)) == NULL) {
		cmd_complain("lemma preset set: unknown option '%s' (lemma "
		    "preset show NAME lists them)\n", key);
		return 2;
	}
	if (deckconf_get_preset(app->db, id, &c, &e) < 0 ||
	    deckconf_key_set(&c, k, value, &e) < 0 ||
	    deckconf_save(app->db, &c, NULL, &e) < 0)
		return fail("set", &e);
	return 0;
}

int
cmd_preset(struct app *app, int argc, char **argv)
{
	const char *args[3] = { NULL, NULL, NULL }, *sub;
	int nargs = 0, json = 0;
	struct err e;
	int64_t id, nid;

	if (cmd_help_requested(argc, argv, preset_help))
		return 0;
	if (app == NULL) {
		fputs(preset_help, stdout);
		return 0;
	}
	if (argc < 2) {
		fputs(preset_help, stderr);
		return 2;
	}
	sub = argv[1];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && (strcmp(sub, "list") == 0 ||
		    strcmp(sub, "show") == 0))
			json = 1;
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && nargs < 3)
			args[nargs++] = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0' &&
		    !(strcmp(sub, "set") == 0 && nargs == 2)) {
			cmd_complain("lemma preset %s: unknown option '%s'\n",
			    sub, argv[i]);
			return 2;
		} else if (nargs < 3)
			args[nargs++] = argv[i];
		else {
			cmd_complain("lemma preset %s: unexpected argument "
			    "'%s'\n", sub, argv[i]);
			return 2;
		}
	}
#define WANT(k) do {							\
	if (nargs != (k)) {						\
		cmd_complain("lemma preset %s: wrong number of "	\
		    "arguments\n%s", sub, preset_help);			\
		return 2;						\
	}								\
} while (0)
	err_clear(&e);
	if (strcmp(sub, "list") == 0) {
		WANT(0);
		return preset_list(app, json);
	}
	if (strcmp(sub, "show") == 0) {
		WANT(1);
		return preset_show(app, args[0], json);
	}
	if (strcmp(sub, "add") == 0) {
		WANT(1);
		if (deckconf_add(app->db, args[0], 0, &nid, NULL, &e) < 0)
			return fail("add", &e);
		return 0;
	}
	if (strcmp(sub, "clone") == 0 || strcmp(sub, "rename") == 0) {
		WANT(2);
		if ((id = find_preset(app, sub, args[0])) <= 0)
			return 1;
		if ((sub[0] == 'c' ? deckconf_add(app->db, args[1], id, &nid,
		    NULL, &e) : deckconf_rename(app->db, id, args[1], NULL,
		    &e)) < 0)
			return fail(sub, &e);
		return 0;
	}
	if (strcmp(sub, "set") == 0) {
		WANT(3);
		return preset_set(app, args[0], args[1], args[2]);
	}
	if (strcmp(sub, "delete") == 0) {
		WANT(1);
		if ((id = find_preset(app, "delete", args[0])) <= 0)
			return 1;
		if (deckconf_delete(app->db, id, NULL, &e) < 0)
			return fail("delete", &e);
		return 0;
	}
#undef WANT
	cmd_complain("lemma preset: unknown action '%s' (list, show, add, "
	    "clone, rename, set, delete)\n", sub);
	return 2;
}
