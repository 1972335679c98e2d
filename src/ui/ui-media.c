/*
 * ui-media.c - the current card's media files (the study view's and the
 * browser preview's M): each with its path under the media folder
 * ($XDG_DATA_HOME/lemma/media, paths.h) and whether it is there, and the
 * chosen one opened with xdg-open where it is on PATH. The name comes
 * from a note, so it is drawn through the sanitiser (as every string the
 * screen shows) and handed to xdg-open as one argument, never through a
 * shell; a name that is no plain file name of the folder ("a/b", "..")
 * is listed but not opened.
 */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/paths.h"
#include "lemma/base/xmalloc.h"
#include "lemma/render/mediaref.h"

/* The ask overlay takes one key a choice: 1-9. */
#define MEDIA_MAX	9

struct media_list {
	char		*name[MEDIA_MAX];
	enum mediaref_kind kind[MEDIA_MAX];
	size_t		 n, more;	/* listed, and left out past 9 */
};

static void
collect(void *arg, enum mediaref_kind kind, const char *name)
{
	struct media_list *l = arg;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0)
			return;		/* on both sides of the card */
	if (l->n == MEDIA_MAX) {
		l->more++;
		return;
	}
	l->kind[l->n] = kind;
	l->name[l->n++] = xstrdup(name);
}

/* A name Anki's media folder can hold: no folder part, not "." or "..". */
static int
is_plain_name(const char *name)
{
	return strchr(name, '/') == NULL && strchr(name, '\\') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* xdg-open's path, found on $PATH as execvp would (NULL: not there). */
static char *
find_xdg_open(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	char *cand;

	if (path == NULL || path[0] == '\0')
		return NULL;
	for (p = path; ; p = colon + 1) {
		size_t n;

		colon = strchr(p, ':');
		n = colon != NULL ? (size_t)(colon - p) : strlen(p);
		/* An empty entry is the current folder, as the shell takes
		 * it; lemma does not run what happens to be there. */
		if (n > 0 && p[0] == '/') {
			struct stat st;

			cand = xasprintf("%.*s/xdg-open", (int)n, p);
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
			    access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
		if (colon == NULL)
			return NULL;
	}
}

static void
open_with(struct ui *ui, const char *xdg, const char *file, const char *name)
{
	char *argv[] = { (char *)"xdg-open", (char *)file, NULL };
	int rc;

	ui_suspend(ui);
	rc = ui_run_program(xdg, argv);
	if (ui_terminating())
		return;
	ui_resume(ui);
	if (rc != 0)
		ui_message(ui, 1, "xdg-open could not open %s (status %d).", name,
		    rc);
	else
		ui_message(ui, 0, "Opened %s with xdg-open.", name);
}

void
ui_media_show(struct ui *ui, const char *question, const char *answer)
{
	struct media_list l = { .n = 0 };
	const char *choices[MEDIA_MAX + 3];
	char dir[4096], answers[MEDIA_MAX + 2], problem[300], *xdg;
	struct err e;
	int ok[MEDIA_MAX], key;
	size_t n = 0;

	mediaref_each(question, strlen(question), collect, &l);
	mediaref_each(answer, strlen(answer), collect, &l);
	if (l.n == 0) {
		ui_message(ui, 0, "This card shows no image or sound.");
		return;
	}
	err_clear(&e);
	if (paths_media_dir(dir, sizeof dir, &e) < 0) {
		ui_message(ui, 1, "%s", e.msg);
		goto out;
	}
	xdg = find_xdg_open();
	for (size_t i = 0; i < l.n; i++) {
		struct stat st;
		char *path = xasprintf("%s/%s", dir, l.name[i]);

		ok[i] = is_plain_name(l.name[i]) && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode);
		choices[n++] = xasprintf("%zu  %s %s  %s%s", i + 1,
		    l.kind[i] == MEDIAREF_IMAGE ? "image" : "sound", l.name[i],
		    path, !is_plain_name(l.name[i]) ? "  (not a media file name)" :
		    ok[i] ? "" : "  (missing)");
		answers[i] = (char)('1' + i);
		free(path);
	}
	if (l.more > 0)
		choices[n++] = xasprintf("   and %zu more", l.more);
	choices[n++] = xstrdup(xdg != NULL ? "Esc  close" :
	    "Esc  close (xdg-open is not on PATH: nothing can be opened)");
	choices[n] = NULL;
	answers[l.n] = '\033';
	answers[l.n + 1] = '\0';
	snprintf(problem, sizeof problem, "%s%s", xdg != NULL ?
	    "1-9 opens the file with xdg-open. " : "", "The media folder: ");
	{
		char *p = xasprintf("%s%s", problem, dir);

		key = ui_ask(ui, "The card's media", p, choices, answers);
		free(p);
	}
	if (key >= '1' && key < '1' + (int)l.n) {
		size_t i = (size_t)(key - '1');
		char *path = xasprintf("%s/%s", dir, l.name[i]);

		if (xdg == NULL)
			ui_message(ui, 1, "xdg-open is not on PATH; the file is %s",
			    path);
		else if (!ok[i])
			ui_message(ui, 1, "%s is not in the media folder.",
			    l.name[i]);
		else
			open_with(ui, xdg, path, l.name[i]);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free((char *)choices[i]);
	free(xdg);
out:
	for (size_t i = 0; i < l.n; i++)
		free(l.name[i]);
}
