/*
 * cmd-empty.c - `lemma check --empty-cards [--delete]`: Anki's Empty Cards
 * on the command line. An empty card is one whose cloze number is gone
 * from its note, or whose template's front renders nothing for it any more
 * (a re-import or an edit took the text out); it is kept, with its
 * history, out of study, until it is deleted here or in the browser. The
 * list comes first and deletes nothing: only --delete does.
 */
#include "config.h"

#include "cmd.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/query/cardops.h"
#include "lemma/query/search.h"
#include "lemma/render/render.h"
#include "lemma/store/db.h"

#define EMPTY_PAGE	256

static int
fail(const char *what, const struct err *e)
{
	cmd_complain("lemma check: %s: ", what);
	err_print(e, stderr);
	return 1;
}

/* The empty cards, by deck. NULL and e filled on an error. */
static struct search_result *
empty_cards(struct app *app, struct search **s, struct err *e)
{
	struct search_result *r;

	if ((*s = search_compile("is:empty", app_now(app),
	    search_rollover(app->db), e)) == NULL)
		return NULL;
	if ((r = search_run(app->db, *s, SEARCH_SORT_DECK, 0, e)) == NULL) {
		search_free(*s);
		*s = NULL;
	}
	return r;
}

int
cmd_empty_cards_count(struct app *app, size_t *n, struct err *e)
{
	struct search_result *r;
	struct search *s;

	if ((r = empty_cards(app, &s, e)) == NULL)
		return -1;
	*n = search_count(r);
	search_result_free(r);
	search_free(s);
	return 0;
}

/* "DECK<tab>cloze N<tab>the note's first field<tab>R reviews", all of it
 * made plain: deck names and card text come from files. */
static void
print_row(const struct search_row *row, int ascii)
{
	struct render_opts o;
	char *deck, *text;

	memset(&o, 0, sizeof o);
	o.ascii = ascii;
	o.flags = RENDER_ONELINE | RENDER_NOMATH;
	deck = render_plain(row->deck, &o);
	/* The card's own number is gone: every other cloze shows its text. */
	o.cloze = row->ord + 1;
	o.reveal = 1;
	text = render_plain(row->sort_field, &o);
	printf("%s\tcloze %d\t%s\t%d review%s\n", deck, row->ord + 1, text,
	    row->reps, row->reps == 1 ? "" : "s");
	free(deck);
	free(text);
}

int
cmd_empty_cards(struct app *app, int delete)
{
	struct search_row rows[EMPTY_PAGE];
	struct search_result *r;
	struct cardops_undo *undo = NULL;
	struct search *s;
	struct err e;
	int64_t *ids;
	size_t count, got, deleted = 0;

	err_clear(&e);
	if ((r = empty_cards(app, &s, &e)) == NULL)
		return fail("cannot list the empty cards", &e);
	count = search_count(r);
	if (count == 0) {
		printf("no empty cards\n");
		search_result_free(r);
		search_free(s);
		return 0;
	}
	if (!delete) {
		for (size_t off = 0; off < count; off += EMPTY_PAGE) {
			if (search_page(r, off, EMPTY_PAGE, rows, &got, &e) < 0) {
				search_result_free(r);
				search_free(s);
				return fail("cannot list the empty cards", &e);
			}
			for (size_t i = 0; i < got; i++)
				print_row(&rows[i], app->ascii);
		}
		printf("%zu empty card%s; lemma check --empty-cards --delete "
		    "deletes %s with %s review history\n", count,
		    count == 1 ? "" : "s", count == 1 ? "it" : "them",
		    count == 1 ? "its" : "their");
		search_result_free(r);
		search_free(s);
		return 0;
	}
	ids = xreallocarray(NULL, count, sizeof *ids);
	for (size_t i = 0; i < count; i++)
		ids[i] = search_card_id(r, i);
	search_result_free(r);
	search_free(s);
	if (cardops_delete_empty(app->db, ids, count, &undo, &deleted,
	    &e) < 0) {
		free(ids);
		return fail("cannot delete the empty cards", &e);
	}
	cardops_undo_free(undo);
	free(ids);
	printf("deleted %zu empty card%s and %s review history\n", deleted,
	    deleted == 1 ? "" : "s", deleted == 1 ? "its" : "their");
	if (deleted < count)
		printf("kept %zu: the last card of %s note\n", count - deleted,
		    count - deleted == 1 ? "its" : "their");
	return 0;
}
