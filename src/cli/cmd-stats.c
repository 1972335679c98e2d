/*
 * cmd-stats.c - `lemma stats`: the statistics pane's figures on stdout, as
 * text with graphs or as JSON. Parses options and prints; the figures are
 * stats.c's and the layout stats-text.c's.
 */
#include "config.h"

#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/stats/stats-json.h"
#include "lemma/stats/stats-text.h"
#include "lemma/stats/stats.h"

static const char stats_help[] =
"usage: lemma stats [--deck NAME] [--period 1m|1y|all] [--width N] [--json]\n"
"\n"
"Print the statistics of the stats pane: today, true retention, future due,\n"
"reviews and time per day, retention per week, the calendar and streaks,\n"
"card counts, intervals, stability, difficulty, retrievability, answer\n"
"buttons and the hourly breakdown, computed from the review log.\n"
"\n"
"  --deck NAME      a deck and its sub-decks (default: the whole collection)\n"
"  --period P       1m (default), 1y or all: the days the graphs cover\n"
"  --width N        graph width in columns (default: the terminal's, or 80)\n"
"  --json           every figure as one JSON object, for scripts\n"
"\n"
"Graphs use Braille and block characters, or ASCII when the locale is not\n"
"UTF-8. Exit status 0, 1 on an error (such as an unknown deck), 2 on a\n"
"usage error.\n";

static int
default_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

int
cmd_stats(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "deck",	required_argument,	NULL, 'd' },
		{ "period",	required_argument,	NULL, 'p' },
		{ "width",	required_argument,	NULL, 'w' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct stats_opts o;
	struct stats s;
	struct err e;
	struct buf out;
	int c, json = 0, width = 0;
	char *end;

	if (cmd_help_requested(argc, argv, stats_help))
		return 0;
	if (app == NULL) {
		fputs(stats_help, stdout);
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.period = STATS_MONTH;
	optind = 1;
	opterr = 0;	/* cmd_bad_option() says it, made safe */
	while ((c = getopt_long(argc, argv, ":d:p:w:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.deck = optarg;
			break;
		case 'p':
			if (stats_period_parse(optarg, &o.period) < 0) {
				cmd_complain("lemma stats: unknown period '%s' "
				    "(1m, 1y or all)\n", optarg);
				return 2;
			}
			break;
		case 'w':
			width = (int)strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || width < 20 ||
			    width > 1000) {
				cmd_complain("lemma stats: --width wants a number "
				    "of columns from 20 to 1000, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'j':
			json = 1;
			break;
		default:
			cmd_bad_option("lemma stats", c, argv);
			fputs(stats_help, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cmd_complain("lemma stats: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (width == 0)
		width = default_width();

	err_clear(&e);
	if (stats_compute(app->db, &o, app_now(app), &s, &e) < 0) {
		fputs("lemma: ", stderr);
		err_print(&e, stderr);
		stats_free(&s);
		return 1;
	}
	buf_init(&out);
	if (json)
		stats_json(&s, &out);
	else
		stats_text(&s, width, app->ascii ? CHART_ASCII :
		    CHART_UTF8_BRAILLE, &out);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	stats_free(&s);
	if (fflush(stdout) != 0) {
		perror("lemma stats");
		return 1;
	}
	return 0;
}
