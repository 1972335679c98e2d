/*
 * main.c - the lemma command line: global options, the progress file, the
 * clock, and either the full-screen program or one of the subcommands.
 */
#include "config.h"

#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lemma/app/app.h"
#include "lemma/ui/ui.h"
#include "lemma/ui/ui-progress.h"
#include "cmd.h"
#include "progress-line.h"
#include "lemma/base/day.h"
#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/store/backup.h"
#include "lemma/store/db.h"

static void
usage(FILE *f)
{
	fputs(
"usage: lemma [--db PATH] [--theme NAME|PATH] [--now TIME] [-q] [FILE|DIR]...\n"
"       lemma [--db PATH] COMMAND [ARGS]\n"
"\n"
"Spaced-repetition study in the terminal. With no command, opens the\n"
"full-screen program; FILEs and DIRs given are imported first.\n"
"\n"
"Commands:\n"
"  import PATH...     import Anki text files, Markdown tables, directories\n"
"  export             write cards as Anki text or Markdown\n"
"  due                cards due now, one line per deck\n"
"  stats              statistics and graphs as text or JSON\n"
"  search QUERY       cards matching an Anki-style search\n"
"  check              check the progress file's integrity\n"
"  restore [N|FILE]   list the backups of the progress file, or restore one\n"
"  package info FILE  what an Anki package (.apkg, .colpkg) holds\n"
"  optimize           fit a preset's FSRS parameters to its review log\n"
"  simulate           minutes a day and cards known at each desired retention\n"
"  notetype           list, show or add note types (fields, card templates)\n"
"  deck ACTION        list, add, rename, delete decks; a deck's preset\n"
"  preset ACTION      list, show, add, clone, rename, set, delete presets\n"
"\n"
"Options:\n"
"  --db PATH          the progress file (default $LEMMA_DB, else\n"
"                     $XDG_DATA_HOME/lemma/collection.db)\n"
"  --theme NAME|PATH  colour theme (default: config.yaml's theme, or default)\n"
"  --now TIME         pretend it is TIME (ISO 8601 or Unix seconds); also\n"
"                     $LEMMA_NOW\n"
"  -q, --quiet        no progress lines on a terminal (a pipe never has them)\n"
"  -h, --help         this help; COMMAND --help for a command's\n"
"  -V, --version      the version\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 usage error, 128 + N when signal N\n"
"(Ctrl-C: 130) cancelled a long operation, which then changed nothing.\n"
"See lemma(1).\n", f);
}

static const struct command {
	const char	*name;
	int		(*run)(struct app *, int, char **);
	int		 bundled;	/* a pending first start gets the bundled deck */
	int		 no_db;		/* opens the progress file itself, if at all */
	int		 creates;	/* may make a new progress file */
} commands[] = {
	/* Only import makes a new file: a command that reads, given a
	 * mistyped path, must say so rather than make folders and a file. */
	{ "import",	cmd_import,	0, 0, 1 },
	{ "export",	cmd_export,	0, 0, 0 },
	{ "due",	cmd_due,	1, 0, 0 },
	{ "stats",	cmd_stats,	1, 0, 0 },
	{ "search",	cmd_search,	1, 0, 0 },
	{ "check",	cmd_check,	0, 0, 0 },
	{ "restore",	cmd_restore,	0, 1, 0 },
	{ "package",	cmd_package,	0, 1, 0 },
	{ "optimize",	cmd_optimize,	0, 0, 0 },
	{ "simulate",	cmd_simulate,	0, 0, 0 },
	{ "notetype",	cmd_notetype,	0, 0, 0 },
	{ "deck",	cmd_deck,	1, 0, 0 },
	{ "preset",	cmd_preset,	1, 0, 0 },
};

/* Open the progress file for a command (create: import), or for the
 * full-screen program (create and lock: one per file). Returns 0, or the
 * exit status after printing why not: 1, or 128 + the signal that
 * cancelled an upgrade of an old file. */
static int
open_progress_file(struct app *app, int with_bundled, int create, int lock)
{
	char pending[16];
	struct err e;
	int rc, sig;

	err_clear(&e);
	/* An old file's upgrade can take seconds: it shows its progress (on
	 * a terminal: the command's line, or the full-screen program's
	 * panel, where q or Esc cancel too), and Ctrl-C rolls it back. */
	if (lock) {
		struct ui_progress *up = ui_progress_begin(app);

		app->db = db_open_progress(app->db_path, create ? DB_CREATE :
		    0, ui_progress_get(up), &e);
		sig = ui_progress_end(up);
		if (sig == UI_PROGRESS_KEY)	/* q or Esc: the user's no */
			sig = 0;
	} else {
		struct progress_line pl;

		progress_line_begin(&pl, stderr, app->quiet, app->ascii);
		app->db = db_open_progress(app->db_path, create ? DB_CREATE :
		    0, &pl.progress, &e);
		sig = progress_line_end(&pl);
	}
	if (app->db != NULL && lock && db_lock_instance(app->db, &e) < 0) {
		db_close(app->db);
		app->db = NULL;
	}
	if (app->db == NULL) {
		fputs("lemma: ", stderr);
		err_print(&e, stderr);
		return sig != 0 ? 128 + sig : 1;
	}
	/* A new file is made with the setting bundled=pending (in the same
	 * transaction as its schema), so a first start killed before the
	 * bundled deck was in tries again; a first command that brings its own
	 * cards (import, files on the command line) just clears it. */
	if (db_setting_get(app->db, "bundled", pending, sizeof pending) == 0 &&
	    strcmp(pending, "pending") == 0) {
		if (with_bundled && cmd_import_bundled(app) < 0)
			return 1;
		if (db_setting_set(app->db, "bundled", "done", &e) < 0) {
			fputs("lemma: ", stderr);
			err_print(&e, stderr);
			return 1;
		}
	}
	/* Once a day, a copy of the progress file (a new one has nothing to
	 * lose yet); a warning, never a stop. The copy is checked, so this is
	 * also where a silently damaged file comes to light: then say so, and
	 * how to get the last good copy back (the full-screen program shows
	 * it on its status line too; stderr is under the screen). */
	if (!db_was_created(app->db) &&
	    (rc = backup_daily(app->db, app_now(app), &e)) < 0) {
		if (rc == BACKUP_DAMAGED) {
			char hint[8400];

			cmd_restore_hint(app->db_path, hint, sizeof hint);
			fputs("lemma: ", stderr);
			err_print(&e, stderr);
			cmd_complain("lemma: list the backups with `%s` and "
			    "restore the newest with `%s 1`\n", hint, hint);
			snprintf(app->warning, sizeof app->warning, "The progress "
			    "file is damaged: restore a backup with %.500s", hint);
		} else {
			fputs("lemma: warning: no daily backup: ", stderr);
			err_print(&e, stderr);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db",		required_argument,	NULL, 'd' },
		{ "theme",	required_argument,	NULL, 't' },
		{ "now",	required_argument,	NULL, 'n' },
		{ "quiet",	no_argument,		NULL, 'q' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		/* Hidden: the README's keys table, from the key tables. */
		{ "help-keys",	required_argument,	NULL, 'K' },
		{ NULL, 0, NULL, 0 }
	};
	struct app app;
	const char *now_arg = getenv("LEMMA_NOW");
	const struct command *cmd = NULL;
	struct err e;
	int c, status;

	setlocale(LC_ALL, "");
	memset(&app, 0, sizeof app);
	app.ascii = strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	err_clear(&e);

	/* Global options stop at the first non-option, the command or a file;
	 * "+" keeps getopt from permuting a command's own options.
	 * cmd_bad_option() says what getopt would, made safe. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hqV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			/* Cut short, the path would name another file (and
			 * make its folders). */
			if (strlen(optarg) >= sizeof app.db_path) {
				cmd_complain("lemma: --db: path too long (%zu "
				    "bytes; at most %zu)\n", strlen(optarg),
				    sizeof app.db_path - 1);
				return 2;
			}
			snprintf(app.db_path, sizeof app.db_path, "%s", optarg);
			break;
		case 't':
			app.theme_arg = optarg;
			break;
		case 'n':
			now_arg = optarg;
			break;
		case 'q':
			app.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("lemma %s\n", PACKAGE_VERSION);
			return 0;
		case 'K':
			if (strcmp(optarg, "markdown") != 0) {
				cmd_complain("lemma: --help-keys: the only "
				    "format is markdown\n");
				return 2;
			}
			ui_keys_markdown(stdout);
			return 0;
		default:
			cmd_bad_option("lemma", c, argv);
			usage(stderr);
			return 2;
		}
	}
	if (now_arg != NULL && now_arg[0] != '\0') {
		if (day_parse_time(now_arg, &app.fixed_now) < 0) {
			cmd_complain("lemma: bad time '%s': expected ISO 8601 "
			    "(2025-01-01T09:00:00Z) or Unix seconds, from year "
			    "0000 to 9999\n", now_arg);
			return 2;
		}
		app.has_fixed_now = 1;
	}
	if (app.db_path[0] == '\0' &&
	    paths_default_db(app.db_path, sizeof app.db_path, &e) < 0) {
		fputs("lemma: ", stderr);
		err_print(&e, stderr);
		return 2;
	}
	if (paths_config_dir(app.config_dir, sizeof app.config_dir, &e) < 0)
		app.config_dir[0] = '\0';

	if (optind < argc) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[optind], commands[i].name) == 0)
				cmd = &commands[i];
	}
	if (cmd != NULL) {
		int cargc = argc - optind;
		char **cargv = argv + optind;

		/* A command's --help needs no progress file. */
		if (cmd_wants_help(cargc, cargv))
			return cmd->run(NULL, cargc, cargv);
		if (cmd->no_db)
			return cmd->run(&app, cargc, cargv);
		if ((status = open_progress_file(&app, cmd->bundled,
		    cmd->creates, 0)) != 0)
			return status;
		status = cmd->run(&app, cargc, cargv);
		db_close(app.db);
		return status;
	}

	/* The full-screen program. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("lemma: the study program needs a terminal; see "
		    "lemma --help for commands that do not\n", stderr);
		return 2;
	}
	if ((status = open_progress_file(&app, optind >= argc, 1, 1)) != 0)
		return status;
	if (optind < argc &&
	    (status = cmd_import_files(&app, argc - optind, argv + optind)) != 0) {
		db_close(app.db);
		return status;
	}
	status = ui_run(&app);
	db_close(app.db);
	return status;
}
