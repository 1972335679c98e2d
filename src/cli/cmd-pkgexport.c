/*
 * cmd-pkgexport.c - `lemma export --format apkg|colpkg`: the progress file
 * as an Anki package (apkg-export.h does the work), with a progress line
 * on a terminal and a summary on stderr.
 */
#include "config.h"

#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/termsafe.h"
#include "lemma/formats/apkg-export.h"
#include "progress-line.h"

struct warn_out {
	struct progress_line	*pl;
	int			 ascii;
};

/* A missing media file: one line, the name made safe for the terminal. */
static void
warn_line(void *arg, const char *msg)
{
	struct warn_out *w = arg;
	char *safe = termsafe_str(msg, w->ascii ? TERMSAFE_ASCII : 0);

	progress_line_clear(w->pl);
	fprintf(stderr, "lemma: warning: %s\n", safe);
	free(safe);
}

int
cmd_export_package(struct app *app, const struct cmd_pkg_export *c)
{
	struct apkg_export_opts o;
	struct apkg_export_summary sum;
	struct progress_line pl;
	struct warn_out wo;
	char dir[4096];
	struct err e;
	int rc, sig;

	memset(&o, 0, sizeof o);
	o.deck = c->deck;
	o.colpkg = c->colpkg;
	o.no_scheduling = c->no_scheduling;
	o.no_media = c->no_media;
	o.legacy = c->legacy;
	o.force = c->force;
	err_clear(&e);
	/* Where import puts the media (paths.h); without a home, none. */
	if (!c->no_media && paths_media_dir(dir, sizeof dir, &e) == 0)
		o.media_dir = dir;
	else
		o.no_media = 1;
	err_clear(&e);
	progress_line_begin(&pl, stderr, app->quiet, app->ascii);
	wo.pl = &pl;
	wo.ascii = app->ascii;
	o.warn = warn_line;
	o.warn_arg = &wo;
	rc = apkg_export(app->db, &o, c->output, app_now(app), &pl.progress,
	    &sum, &e);
	sig = progress_line_end(&pl);
	if (rc < 0) {
		fputs("lemma: ", stderr);
		err_print(&e, stderr);
		return sig != 0 ? 128 + sig : 1;
	}
	if (!app->quiet)
		fprintf(stderr, "Exported %lld notes, %lld cards, %lld "
		    "review-log rows, %lld decks, %lld note types, %lld "
		    "presets, %lld media files (%lld missing).\n",
		    (long long)sum.notes, (long long)sum.cards,
		    (long long)sum.revlog, (long long)sum.decks,
		    (long long)sum.notetypes, (long long)sum.presets,
		    (long long)sum.media, (long long)sum.media_missing);
	return 0;
}
