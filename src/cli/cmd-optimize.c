/*
 * cmd-optimize.c - `lemma optimize`: fit a preset's FSRS parameters to its
 * cards' review log, as Anki's "Optimize" does, and save them only when
 * they predict that log better than the current ones; or, with
 * --evaluate, measure the current ones and run Anki's health check (a
 * time-series split). The work is fsrs-optim's and db-fsrs's; this file
 * parses options, reports progress, handles Ctrl-C and prints.
 */
#include "config.h"

#include "cmd.h"
#include "progress-line.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs-accept.h"
#include "lemma/model/fsrs-eval.h"
#include "lemma/model/fsrs-optim.h"
#include "lemma/model/fsrs.h"
#include "lemma/store/db-fsrs.h"

static const char optimize_help[] =
"usage: lemma optimize [--preset NAME | --deck NAME] [--json] [--dry-run]\n"
"                      [--evaluate] [--epochs N] [--threads N]\n"
"\n"
"Fit the 21 FSRS parameters of a preset (deck options) to the review log\n"
"of the cards in its decks, as Anki's Optimize does, and print how well\n"
"the current and the fitted parameters predict that log (log loss and\n"
"RMSE(bins), lower is better). The fitted ones are saved only when they\n"
"predict it better. With fewer than 8 items (reviews after the first\n"
"day) the fit gives FSRS's defaults; with fewer than 64, only the four\n"
"initial stabilities are fitted.\n"
"\n"
"  --preset NAME    the preset (default: the Default preset)\n"
"  --deck NAME      the preset that deck uses\n"
"  --dry-run        fit and report, save nothing\n"
"  --evaluate       only measure the current parameters, and run Anki's\n"
"                   health check (train on the past, test on the future)\n"
"  --epochs N       passes over the log (default 8, as Anki)\n"
"  --threads N      1 or 2 (default 2); the result is the same\n"
"  --json           the report as one JSON object\n"
"\n"
"Ctrl-C cancels; the parameters are then unchanged. Exit status 0, 1 on\n"
"an error (no such preset, no reviews to learn from, cancelled), 2 on a\n"
"usage error.\n";

static const char *
kind_name(int kind)
{
	return kind == FSRS_FIT_TRAINED ? "trained" :
	    kind == FSRS_FIT_PRETRAINED ? "pretrained" : "defaults";
}

static void
json_params(struct buf *b, const double *w)
{
	buf_addc(b, '[');
	for (int i = 0; i < FSRS_NPARAMS; i++) {
		if (i)
			buf_adds(b, ", ");
		buf_printf(b, "%.4f", w[i]);
	}
	buf_addc(b, ']');
}

static void
json_metrics(struct buf *b, const char *key, const struct fsrs_metrics *m)
{
	buf_printf(b, ", \"%s\": {\"log_loss\": ", key);
	jsonw_num(b, m->log_loss);
	buf_adds(b, ", \"rmse_bins\": ");
	jsonw_num(b, m->rmse_bins);
	buf_adds(b, "}");
}

static int
fail(struct err *e)
{
	fputs("lemma optimize: ", stderr);
	err_print(e, stderr);
	return 1;
}

struct run {
	struct app		*app;
	struct db_fsrs_preset	 preset;
	char			*name;		/* termsafe */
	struct fsrs_data	 d;
	size_t			 reviews;
	double			 cur[FSRS_NPARAMS];
	struct fsrs_train_config cfg;
	struct progress_line	 pl;		/* its line, and Ctrl-C */
	int			 json, dry_run;
};

/* The model's report of a step, onto the command line's progress line
 * (progress-line.h), which also says whether Ctrl-C asked to stop. */
static int
on_fit_step(void *arg, size_t done, size_t total)
{
	struct run *r = arg;

	r->pl.progress.done = done;
	r->pl.progress.total = total;
	return progress_poll(&r->pl.progress) < 0;
}

static int
run_evaluate(struct run *r)
{
	struct fsrs_metrics now_m, split;
	struct err e;
	double recall = fsrs_data_recall(&r->d, r->d.nitems);
	int have_split = 0, verdict = -1;
	struct buf b;

	err_clear(&e);
	if (fsrs_evaluate(&r->d, r->cur, 0, r->d.nitems, &now_m, &e) < 0)
		return fail(&e);
	if (r->d.nitems >= 6) {
		progress_begin(&r->pl.progress, "Evaluating", "splits", 5);
		if (fsrs_evaluate_splits(&r->d, &r->cfg, on_fit_step, r,
		    &split, &e) < 0) {
			progress_line_clear(&r->pl);
			if (strcmp(e.msg, "cancelled") == 0)
				fputs("lemma optimize: cancelled\n", stderr);
			else
				fail(&e);
			return 1;
		}
		progress_line_clear(&r->pl);
		have_split = 1;
		/* Anki runs its health check on more than 300 items. */
		if (r->d.nitems > 300)
			verdict = fsrs_health_check(&split, recall, r->d.nitems);
	}
	buf_init(&b);
	if (r->json) {
		buf_adds(&b, "{\"preset\": ");
		jsonw_str(&b, r->preset.name);
		buf_printf(&b, ", \"items\": %zu, \"reviews\": %zu, \"cards\": "
		    "%zu", r->d.nitems, r->reviews, r->d.ncards);
		json_metrics(&b, "current", &now_m);
		if (have_split)
			json_metrics(&b, "time_series_split", &split);
		buf_adds(&b, ", \"health_check\": ");
		buf_adds(&b, verdict < 0 ? "null" : verdict ? "true" : "false");
		buf_adds(&b, ", \"params\": ");
		json_params(&b, r->cur);
		buf_adds(&b, "}\n");
	} else {
		buf_printf(&b, "Preset \"%s\": %zu items from %zu reviews of %zu "
		    "cards\n", r->name, r->d.nitems, r->reviews, r->d.ncards);
		buf_printf(&b, "%-28s %9s %11s\n", "", "log loss", "RMSE(bins)");
		buf_printf(&b, "%-28s %9.4f %11.4f\n", "current parameters",
		    now_m.log_loss, now_m.rmse_bins);
		if (have_split)
			buf_printf(&b, "%-28s %9.4f %11.4f\n",
			    "time-series split (5 folds)", split.log_loss,
			    split.rmse_bins);
		if (verdict < 0)
			buf_printf(&b, "Health check: needs more than 300 items "
			    "(there are %zu)\n", r->d.nitems);
		else
			buf_printf(&b, "Health check: %s\n", verdict ?
			    "passed: FSRS fits this log well" :
			    "failed: the log is hard to predict (reviews "
			    "graded inconsistently, or Hard used as a fail?)");
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}

static int
run_optimize(struct run *r)
{
	struct fsrs_fit_info info;
	struct fsrs_metrics before, after;
	struct err e;
	double w[FSRS_NPARAMS];
	char text[1024];
	int keep, saved = 0;
	struct buf b;

	err_clear(&e);
	progress_begin(&r->pl.progress, "Optimizing", "steps", 0);
	if (fsrs_fit(&r->d, r->d.nitems, &r->cfg, on_fit_step, r, w,
	    &info, &e) < 0) {
		progress_line_clear(&r->pl);
		if (strcmp(e.msg, "cancelled") == 0) {
			fputs("lemma optimize: cancelled; the parameters are "
			    "unchanged\n", stderr);
			return 1;
		}
		return fail(&e);
	}
	progress_line_clear(&r->pl);
	/* What would be saved is what is compared. */
	fsrs_accept_text(w, text, sizeof text);
	fsrs_accept_round(w);
	if (fsrs_evaluate(&r->d, r->cur, 0, r->d.nitems, &before, &e) < 0 ||
	    fsrs_evaluate(&r->d, w, 0, r->d.nitems, &after, &e) < 0)
		return fail(&e);
	keep = fsrs_accept_keep(r->cur, r->preset.relearning_steps,
	    before.log_loss, after.log_loss);
	if (!keep && !r->dry_run) {
		if (progress_line_signal() != 0) {
			fputs("lemma optimize: cancelled; the parameters are "
			    "unchanged\n", stderr);
			return 1;
		}
		if (db_fsrs_params_save(r->app->db, r->preset.id, text, &e) < 0)
			return fail(&e);
		saved = 1;
	}
	buf_init(&b);
	if (r->json) {
		buf_adds(&b, "{\"preset\": ");
		jsonw_str(&b, r->preset.name);
		buf_printf(&b, ", \"items\": %zu, \"items_trained\": %zu, "
		    "\"reviews\": %zu, \"cards\": %zu, \"fit\": \"%s\"",
		    r->d.nitems, info.items_trained, r->reviews, r->d.ncards,
		    kind_name(info.kind));
		json_metrics(&b, "before", &before);
		json_metrics(&b, "after", &after);
		buf_adds(&b, ", \"params\": ");
		json_params(&b, w);
		buf_printf(&b, ", \"better\": %s, \"saved\": %s}\n",
		    after.log_loss < before.log_loss ? "true" : "false",
		    saved ? "true" : "false");
	} else {
		buf_printf(&b, "Preset \"%s\": %zu items from %zu reviews of %zu "
		    "cards\n", r->name, r->d.nitems, r->reviews, r->d.ncards);
		if (info.kind == FSRS_FIT_DEFAULTS)
			buf_adds(&b, "Fewer than 8 items: the fit gives FSRS's "
			    "default parameters.\n");
		else if (info.kind == FSRS_FIT_PRETRAINED)
			buf_adds(&b, "Few items: only the initial stabilities "
			    "were fitted.\n");
		buf_printf(&b, "%-8s %9s %11s\n", "", "log loss", "RMSE(bins)");
		buf_printf(&b, "%-8s %9.4f %11.4f\n", "before", before.log_loss,
		    before.rmse_bins);
		buf_printf(&b, "%-8s %9.4f %11.4f\n", "after", after.log_loss,
		    after.rmse_bins);
		buf_printf(&b, "Parameters: %s\n", text);
		if (keep)
			buf_adds(&b, "The current parameters predict this log "
			    "at least as well: kept.\n");
		else if (r->dry_run)
			buf_adds(&b, "Better than the current ones; not saved "
			    "(--dry-run).\n");
		else
			buf_adds(&b, "Saved.\n");
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return 0;
}

int
cmd_optimize(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "preset",	required_argument,	NULL, 'p' },
		{ "deck",	required_argument,	NULL, 'd' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "evaluate",	no_argument,		NULL, 'e' },
		{ "epochs",	required_argument,	NULL, 'E' },
		{ "threads",	required_argument,	NULL, 'T' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *preset = NULL, *deck = NULL;
	struct run r;
	struct err e;
	int c, evaluate = 0, rc, sig;
	long v;
	char *end;

	if (cmd_help_requested(argc, argv, optimize_help))
		return 0;
	if (app == NULL) {
		fputs(optimize_help, stdout);
		return 0;
	}
	memset(&r, 0, sizeof r);
	r.app = app;
	fsrs_train_config_default(&r.cfg);
	r.cfg.epochs = 8;	/* Anki's Optimize */
	optind = 1;
	opterr = 0;	/* cmd_bad_option() says it, made safe */
	while ((c = getopt_long(argc, argv, ":p:d:jneE:T:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			preset = optarg;
			break;
		case 'd':
			deck = optarg;
			break;
		case 'j':
			r.json = 1;
			break;
		case 'n':
			r.dry_run = 1;
			break;
		case 'e':
			evaluate = 1;
			break;
		case 'E':
		case 'T':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 ||
			    v > (c == 'E' ? 100 : 2)) {
				cmd_complain("lemma optimize: --%s wants a "
				    "number from 1 to %d\n", c == 'E' ?
				    "epochs" : "threads", c == 'E' ? 100 : 2);
				return 2;
			}
			if (c == 'E')
				r.cfg.epochs = (int)v;
			else
				r.cfg.threads = (int)v;
			break;
		default:
			cmd_bad_option("lemma optimize", c, argv);
			fputs(optimize_help, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cmd_complain("lemma optimize: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (preset != NULL && deck != NULL) {
		fputs("lemma optimize: --preset and --deck cannot be used "
		    "together\n", stderr);
		return 2;
	}
	err_clear(&e);
	if (db_fsrs_preset(app->db, preset, deck, &r.preset, &e) < 0) {
		cmd_complain("lemma optimize: %s\n", e.msg);
		return 1;
	}
	r.name = termsafe_str(r.preset.name, 0);
	r.cfg.relearning_steps = r.preset.relearning_steps;
	{
		struct fsrs_params p;

		fsrs_params_default(&p);
		if (fsrs_params_parse_weights(&p, r.preset.params, &e) < 0) {
			cmd_complain("lemma optimize: preset \"%s\": its "
			    "FSRS parameters are not valid: ", r.name);
			err_print(&e, stderr);
			free(r.name);
			return 1;
		}
		memcpy(r.cur, p.w, sizeof r.cur);
	}
	/* Ctrl-C (SIGTERM, SIGHUP) from here on cancels, whatever the step;
	 * the line shows on a terminal unless --json or --quiet. */
	progress_line_begin(&r.pl, stderr, app->quiet || r.json, app->ascii);
	fsrs_data_init(&r.d);
	if (db_fsrs_load(app->db, &r.preset, app_now(app), &r.d, &r.reviews,
	    &e) < 0) {
		rc = fail(&e);
		goto out;
	}
	if (r.d.nitems == 0) {
		cmd_complain("lemma optimize: preset \"%s\" has no reviews "
		    "to learn from (a card counts from its first learning "
		    "step, and is predicted from its second day on); the "
		    "parameters are unchanged\n", r.name);
		rc = 1;
		goto out;
	}
	if (progress_line_signal() != 0) {
		fputs("lemma optimize: cancelled; the parameters are "
		    "unchanged\n", stderr);
		rc = 1;
		goto out;
	}
	rc = evaluate ? run_evaluate(&r) : run_optimize(&r);
out:
	/* Cancelled: 128 + the signal, as every long command (130 for ^C). */
	if ((sig = progress_line_end(&r.pl)) != 0)
		rc = 128 + sig;
	fsrs_data_free(&r.d);
	free(r.name);
	if (fflush(stdout) != 0) {
		perror("lemma optimize");
		return 1;
	}
	return rc;
}
