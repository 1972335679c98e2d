/*
 * cmd-deck.c - `lemma deck`: list, add, rename, delete a deck, and show or
 * set its options preset, for scripts. The rules (names, what a delete
 * takes) are store's db-decks; this file parses and prints.
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
#include "lemma/store/db-decks.h"
#include "lemma/store/deckconf.h"

static const char deck_help[] =
"usage: lemma deck list [--json]\n"
"       lemma deck add NAME\n"
"       lemma deck rename OLD NEW\n"
"       lemma deck delete NAME [--yes]\n"
"       lemma deck options NAME [PRESET] [--children]\n"
"\n"
"Manage decks as Anki does. Names use '::' for sub-decks (\"Lang::French\")\n"
"and compare case-insensitively: CS and cs are one deck.\n"
"\n"
"  list              every deck: name, cards in it, its options preset\n"
"  --json            the list as a JSON array, for scripts\n"
"  add NAME          a new deck (and its missing parents)\n"
"  rename OLD NEW    rename a deck; a new parent moves it with its sub-decks\n"
"  delete NAME       say what deleting the deck would take (its sub-decks,\n"
"                    their cards with their history, the notes left without\n"
"                    a card) and exit 1; with --yes, delete it\n"
"  options NAME      print the deck's options preset\n"
"  options NAME PRESET  give the deck that preset (--children: and every\n"
"                    deck under it)\n"
"\n"
"Exit status 0, 1 on an error (an unknown deck, a name refused), 2 on a\n"
"usage error.\n";

static int
fail(const char *what, struct err *e)
{
	cmd_complain("lemma deck %s: ", what);
	err_print(e, stderr);
	return 1;
}

/* The deck named name, or 0 after a message. */
static int64_t
find_deck(struct app *app, const char *what, const char *name)
{
	struct err e;
	int64_t id;
	char *safe;

	err_clear(&e);
	if ((id = db_deck_find(app->db, name, &e)) < 0)
		return fail(what, &e) ? 0 : 0;
	if (id == 0) {
		safe = termsafe_str(name, app->ascii ? TERMSAFE_ASCII : 0);
		cmd_complain("lemma deck %s: no deck named '%s'\n", what, safe);
		free(safe);
	}
	return id;
}

static void
print_safe(struct app *app, const char *fmt, const char *s)
{
	char *safe = termsafe_str(s, app->ascii ? TERMSAFE_ASCII : 0);

	printf(fmt, safe);
	free(safe);
}

static int
deck_list(struct app *app, int json)
{
	struct deck *decks;
	struct deckconf conf;
	struct buf out;
	struct err e;
	size_t n;
	int64_t cards;

	err_clear(&e);
	if (db_deck_list(app->db, &decks, &n, &e) < 0)
		return fail("list", &e);
	buf_init(&out);
	buf_adds(&out, json ? "[" : "");
	for (size_t i = 0; i < n; i++) {
		if (db_deck_card_count(app->db, decks[i].id, &cards, &e) < 0 ||
		    deckconf_get(app->db, decks[i].id, &conf, &e) < 0) {
			buf_free(&out);
			db_decks_free(decks, n);
			return fail("list", &e);
		}
		if (json) {
			buf_adds(&out, i > 0 ? ",\n {" : "{");
			buf_printf(&out, "\"id\": %lld, \"name\": ",
			    (long long)decks[i].id);
			jsonw_str(&out, decks[i].name);
			buf_printf(&out, ", \"cards\": %lld, \"preset\": ",
			    (long long)cards);
			jsonw_str(&out, conf.name);
			buf_printf(&out, ", \"collapsed\": %s}",
			    decks[i].collapsed ? "true" : "false");
			continue;
		}
		{
			char *name = termsafe_str(decks[i].name, app->ascii ?
			    TERMSAFE_ASCII : 0);
			char *preset = termsafe_str(conf.name, app->ascii ?
			    TERMSAFE_ASCII : 0);

			buf_printf(&out, "%6lld cards  %-16s  %s\n",
			    (long long)cards, preset, name);
			free(name);
			free(preset);
		}
	}
	if (json)
		buf_adds(&out, "]\n");
	fwrite(out.data != NULL ? out.data : "", 1, out.len, stdout);
	buf_free(&out);
	db_decks_free(decks, n);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
deck_delete(struct app *app, const char *name, int yes)
{
	struct db_deck_doomed d;
	struct buf full;
	struct err e;
	int64_t id;

	if ((id = find_deck(app, "delete", name)) <= 0)
		return 1;
	err_clear(&e);
	buf_init(&full);
	if (db_deck_name(app->db, id, &full, &e) < 0 ||
	    db_deck_delete_counts(app->db, id, &d, &e) < 0) {
		buf_free(&full);
		return fail("delete", &e);
	}
	if (!yes) {
		print_safe(app, "Deleting deck '%s' would delete ", full.data);
		printf("%lld deck%s, %lld card%s and %lld note%s.\n"
		    "Run again with --yes to delete them.\n",
		    (long long)d.decks, d.decks == 1 ? "" : "s",
		    (long long)d.cards, d.cards == 1 ? "" : "s",
		    (long long)d.notes, d.notes == 1 ? "" : "s");
		buf_free(&full);
		return 1;
	}
	if (db_deck_delete(app->db, id, &d, NULL, &e) < 0) {
		buf_free(&full);
		return fail("delete", &e);
	}
	print_safe(app, "Deleted deck '%s': ", full.data);
	printf("%lld deck%s, %lld card%s, %lld note%s.\n",
	    (long long)d.decks, d.decks == 1 ? "" : "s",
	    (long long)d.cards, d.cards == 1 ? "" : "s",
	    (long long)d.notes, d.notes == 1 ? "" : "s");
	buf_free(&full);
	return 0;
}

static int
deck_options(struct app *app, const char *name, const char *preset,
    int children)
{
	struct deckconf conf;
	struct err e;
	int64_t id, pid;

	if ((id = find_deck(app, "options", name)) <= 0)
		return 1;
	err_clear(&e);
	if (preset != NULL) {
		if ((pid = deckconf_find(app->db, preset, &e)) < 0)
			return fail("options", &e);
		if (pid == 0) {
			print_safe(app, "lemma deck options: no preset named "
			    "'%s' (lemma preset list)\n", preset);
			return 1;
		}
		if (deckconf_assign(app->db, id, pid, children, NULL, &e) < 0)
			return fail("options", &e);
	}
	if (deckconf_get(app->db, id, &conf, &e) < 0)
		return fail("options", &e);
	print_safe(app, "%s\n", conf.name);
	return 0;
}

int
cmd_deck(struct app *app, int argc, char **argv)
{
	const char *args[3] = { NULL, NULL, NULL }, *sub;
	int nargs = 0, json = 0, yes = 0, children = 0;
	struct buf full;
	struct err e;
	int64_t id;

	if (cmd_help_requested(argc, argv, deck_help))
		return 0;
	if (app == NULL) {
		fputs(deck_help, stdout);
		return 0;
	}
	if (argc < 2) {
		fputs(deck_help, stderr);
		return 2;
	}
	sub = argv[1];
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && strcmp(sub, "list") == 0)
			json = 1;
		else if (strcmp(argv[i], "--yes") == 0 &&
		    strcmp(sub, "delete") == 0)
			yes = 1;
		else if (strcmp(argv[i], "--children") == 0 &&
		    strcmp(sub, "options") == 0)
			children = 1;
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc &&
		    nargs < 3)
			args[nargs++] = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cmd_complain("lemma deck %s: unknown option '%s'\n",
			    sub, argv[i]);
			return 2;
		} else if (nargs < 3)
			args[nargs++] = argv[i];
		else {
			cmd_complain("lemma deck %s: unexpected argument '%s'\n",
			    sub, argv[i]);
			return 2;
		}
	}
#define WANT(lo, hi) do {						\
	if (nargs < (lo) || nargs > (hi)) {				\
		cmd_complain("lemma deck %s: wrong number of arguments\n%s", \
		    sub, deck_help);					\
		return 2;						\
	}								\
} while (0)
	err_clear(&e);
	if (strcmp(sub, "list") == 0) {
		WANT(0, 0);
		return deck_list(app, json);
	}
	if (strcmp(sub, "add") == 0) {
		WANT(1, 1);
		if (db_deck_add(app->db, args[0], app_now(app), &id, NULL, &e) < 0)
			return fail("add", &e);
		buf_init(&full);
		if (db_deck_name(app->db, id, &full, &e) == 0)
			print_safe(app, "Added deck '%s'.\n", full.data);
		buf_free(&full);
		return 0;
	}
	if (strcmp(sub, "rename") == 0) {
		WANT(2, 2);
		if ((id = find_deck(app, "rename", args[0])) <= 0)
			return 1;
		if (db_deck_rename(app->db, id, args[1], app_now(app), NULL,
		    &e) < 0)
			return fail("rename", &e);
		buf_init(&full);
		if (db_deck_name(app->db, id, &full, &e) == 0)
			print_safe(app, "Renamed to '%s'.\n", full.data);
		buf_free(&full);
		return 0;
	}
	if (strcmp(sub, "delete") == 0) {
		WANT(1, 1);
		return deck_delete(app, args[0], yes);
	}
	if (strcmp(sub, "options") == 0) {
		WANT(1, 2);
		return deck_options(app, args[0], args[1], children);
	}
#undef WANT
	cmd_complain("lemma deck: unknown action '%s' (list, add, rename, "
	    "delete, options)\n", sub);
	return 2;
}
