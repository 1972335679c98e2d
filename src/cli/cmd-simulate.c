/*
 * cmd-simulate.c - `lemma simulate`: Anki's "Help me decide" as a table.
 * For a preset, simulate the days ahead at each desired retention from
 * 70% to 99% with the user's own limits, cards and habits (db-simulate,
 * fsrs-simulator) and print minutes and reviews a day and the cards known
 * at the end, marking the retention that costs least per card known.
 */
#include "config.h"

#include "cmd.h"
#include "progress-line.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/jsonw.h"
#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"
#include "lemma/model/fsrs-simulator.h"
#include "lemma/store/db-fsrs.h"
#include "lemma/store/db-simulate.h"

/* Anki's workload graph: 70% .. 99%. */
#define SIM_LO	70
#define SIM_HI	99
#define SIM_N	(SIM_HI - SIM_LO + 1)
/* fsrs-rs's default seed. */
#define SIM_SEED 42

static const char simulate_help[] =
"usage: lemma simulate [--preset NAME | --deck NAME] [--days N]\n"
"                      [--extra-new N] [--json]\n"
"\n"
"Simulate the days ahead at each desired retention from 70% to 99%, as\n"
"Anki's \"Help me decide\" does, for a preset's (deck options') cards: its\n"
"FSRS parameters, new cards a day and maximum reviews a day, the new\n"
"cards waiting in its decks, its studied cards' memory states, and your\n"
"answer times and grades from their review log (FSRS's averages where\n"
"the log is small). Prints minutes and reviews a day and the cards known\n"
"at the end, and marks with * the retention that costs the least time\n"
"per card known (searched from 70% to 95%, as Anki's).\n"
"\n"
"  --preset NAME    the preset (default: the Default preset)\n"
"  --deck NAME      the preset that deck uses\n"
"  --days N         days to simulate, 1 to 3650 (default 365)\n"
"  --extra-new N    new cards to add to those waiting (default 0)\n"
"  --json           the numbers as one JSON object\n"
"\n"
"Exit status 0, 1 on an error (no such preset), 2 on a usage error.\n";

static int
parse_count(const char *opt, const char *arg, long max, long *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < 0 || v > max) {
		cmd_complain("lemma simulate: --%s wants a number from %d "
		    "to %ld, not '%s'\n", opt, strcmp(opt, "days") == 0,
		    max, arg);
		return -1;
	}
	if (strcmp(opt, "days") == 0 && v < 1) {
		cmd_complain("lemma simulate: --days wants a number from 1 "
		    "to %ld, not '%s'\n", max, arg);
		return -1;
	}
	*out = v;
	return 0;
}

static void
print_json(struct buf *b, const struct db_fsrs_preset *pr,
    const struct db_simulate *s, const struct fsrs_sim_result *r, int best,
    double reviewless)
{
	buf_adds(b, "{\"preset\": ");
	jsonw_str(b, pr->name);
	buf_printf(b, ", \"days\": %d, \"new_limit\": %d, \"review_limit\": "
	    "%d, \"cards\": %zu, \"new_cards\": %zu, \"log_rows\": %zu, "
	    "\"desired_retention\": ", s->cfg.days, s->cfg.new_limit,
	    s->cfg.review_limit, s->ncards, s->cfg.new_cards, s->log_rows);
	jsonw_num(b, s->desired_retention);
	buf_adds(b, ", \"reviewless_memorised\": ");
	jsonw_num(b, reviewless);
	buf_adds(b, ", \"best_retention\": ");
	if (best < 0)
		buf_adds(b, "null");
	else
		jsonw_num(b, r[best].retention);
	buf_adds(b, ", \"results\": [");
	for (int i = 0; i < SIM_N; i++) {
		buf_adds(b, i ? ", {\"retention\": " : "{\"retention\": ");
		jsonw_num(b, r[i].retention);
		buf_adds(b, ", \"minutes_per_day\": ");
		jsonw_num(b, r[i].minutes_per_day);
		buf_adds(b, ", \"reviews_per_day\": ");
		jsonw_num(b, r[i].reviews_per_day);
		buf_adds(b, ", \"memorised\": ");
		jsonw_num(b, r[i].memorised);
		buf_printf(b, ", \"seconds\": ");
		jsonw_num(b, r[i].cost);
		buf_printf(b, ", \"learnt\": %llu}",
		    (unsigned long long)r[i].learnt);
	}
	buf_adds(b, "]}\n");
}

static void
print_table(struct buf *b, const char *name, const struct db_simulate *s,
    const struct fsrs_sim_result *r, int best)
{
	buf_printf(b, "Preset \"%s\": %zu studied cards, %zu new; %d new and "
	    "at most %d reviews a day; %d days from %zu graded reviews\n",
	    name, s->ncards, s->cfg.new_cards, s->cfg.new_limit,
	    s->cfg.review_limit, s->cfg.days, s->log_rows);
	buf_printf(b, "  %-10s %12s %12s %10s\n", "retention", "minutes/day",
	    "reviews/day", "memorised");
	for (int i = 0; i < SIM_N; i++)
		buf_printf(b, "%c %8.0f%%   %12.1f %12.1f %10.1f%s\n",
		    i == best ? '*' : ' ', r[i].retention * 100.0,
		    r[i].minutes_per_day, r[i].reviews_per_day, r[i].memorised,
		    fabs(r[i].retention - s->desired_retention) < 0.005 ?
		    "   (now)" : "");
	if (best >= 0)
		buf_printf(b, "* least time per card known: %.0f%% (%.1f s a "
		    "card)\n", r[best].retention * 100.0, r[best].cost /
		    r[best].memorised);
	else
		buf_adds(b, "No card would be known: nothing to compare.\n");
}

int
cmd_simulate(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "preset",	required_argument,	NULL, 'p' },
		{ "deck",	required_argument,	NULL, 'd' },
		{ "days",	required_argument,	NULL, 'D' },
		{ "extra-new",	required_argument,	NULL, 'x' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *preset = NULL, *deck = NULL;
	struct db_fsrs_preset pr;
	struct db_simulate s;
	struct fsrs_sim_result r[SIM_N];
	struct progress_line pl;
	struct err e;
	long days = FSRS_SIM_DEFAULT_DAYS, extra = 0;
	int c, json = 0, best, rc = 0, sig;
	char *name;
	struct buf b;

	if (cmd_help_requested(argc, argv, simulate_help))
		return 0;
	if (app == NULL) {
		fputs(simulate_help, stdout);
		return 0;
	}
	optind = 1;
	opterr = 0;	/* cmd_bad_option() says it, made safe */
	while ((c = getopt_long(argc, argv, ":p:d:D:x:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			preset = optarg;
			break;
		case 'd':
			deck = optarg;
			break;
		case 'D':
			if (parse_count("days", optarg, FSRS_SIM_MAX_DAYS,
			    &days) < 0)
				return 2;
			break;
		case 'x':
			if (parse_count("extra-new", optarg, 1000000, &extra) < 0)
				return 2;
			break;
		case 'j':
			json = 1;
			break;
		default:
			cmd_bad_option("lemma simulate", c, argv);
			fputs(simulate_help, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cmd_complain("lemma simulate: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (preset != NULL && deck != NULL) {
		fputs("lemma simulate: --preset and --deck cannot be used "
		    "together\n", stderr);
		return 2;
	}
	err_clear(&e);
	if (db_fsrs_preset(app->db, preset, deck, &pr, &e) < 0 ||
	    db_simulate_load(app->db, pr.id, app_now(app), &s, &e) < 0) {
		char *safe = termsafe_str(e.msg, 0);

		fprintf(stderr, "lemma simulate: %s\n", safe);
		free(safe);
		return 1;
	}
	name = termsafe_str(pr.name, 0);
	s.cfg.days = (int)days;
	s.cfg.new_cards += (size_t)extra;
	progress_line_begin(&pl, stderr, app->quiet || json, app->ascii);
	if (fsrs_sim_sweep(s.w, &s.cfg, s.cards, s.ncards, SIM_SEED, SIM_LO,
	    SIM_HI, &pl.progress, r, &e) < 0) {
		progress_line_clear(&pl);
		fputs("lemma simulate: ", stderr);
		err_print(&e, stderr);
		rc = 1;
		goto out;
	}
	progress_line_clear(&pl);
	best = fsrs_sim_best(r, SIM_N);
	buf_init(&b);
	if (json)
		print_json(&b, &pr, &s, r, best,
		    fsrs_sim_reviewless(s.w, &s.cfg, s.cards, s.ncards));
	else
		print_table(&b, name, &s, r, best);
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
out:
	if ((sig = progress_line_end(&pl)) != 0)
		rc = 128 + sig;
	db_simulate_free(&s);
	free(name);
	if (fflush(stdout) != 0) {
		perror("lemma simulate");
		return 1;
	}
	return rc;
}
