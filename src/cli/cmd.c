/*
 * cmd.c - the non-interactive subcommands: import, export, due, check.
 * They only parse options and print; the work is the core's.
 */
#include "config.h"

#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/app/app.h"
#include "lemma/base/err.h"
#include "lemma/base/paths.h"
#include "lemma/base/termsafe.h"
#include "lemma/formats/export.h"
#include "lemma/formats/import.h"
#include "lemma/sched/study.h"
#include "lemma/store/db.h"
#include "lemma/ui/ui-progress.h"
#include "progress-line.h"

static int
fail(const struct err *e)
{
	fputs("lemma: ", stderr);
	err_print(e, stderr);
	return 1;
}

/* An import's lines while its progress line may be on the terminal. */
struct import_out {
	FILE			*out;
	struct progress_line	*pl;
};

static void
print_import_line(void *arg, const char *line)
{
	struct import_out *io = arg;

	progress_line_clear(io->pl);
	fprintf(io->out, "%s\n", line);
	fflush(io->out);
}

/* import_paths with a progress line on stderr; returns 0, or the exit
 * status after printing the error (1, or 128 + the signal that stopped
 * it). */
static int
import_with_progress(struct app *app, const char *const *paths, size_t n,
    struct import_opts *o, FILE *lines, struct import_totals *t)
{
	struct progress_line pl;
	struct import_out io;
	struct err e;
	int rc, sig;

	err_clear(&e);
	progress_line_begin(&pl, stderr, app->quiet, app->ascii);
	io.out = lines;
	io.pl = &pl;
	o->report = print_import_line;
	o->report_arg = &io;
	o->progress = &pl.progress;
	rc = import_paths(app->db, paths, n, o, app_now(app), t, &e);
	sig = progress_line_end(&pl);
	o->progress = NULL;
	if (rc == 0)
		return 0;
	fail(&e);
	return sig != 0 ? 128 + sig : 1;
}

static void
ignore_line(void *arg, const char *line)
{
	(void)arg;
	(void)line;
}

int
cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int
cmd_help_requested(int argc, char **argv, const char *help)
{
	if (!cmd_wants_help(argc, argv))
		return 0;
	fputs(help, stdout);
	return 1;
}

static const char import_help[] =
"usage: lemma import [--deck NAME] [--dry-run] [--update WHEN] PATH...\n"
"\n"
"Import Anki text files (.txt .tsv .csv, with #separator:, #html:, #deck:,\n"
"#notetype:, #columns:, #tags:, #... column: headers), Markdown tables\n"
"(| Front | Back |), and directories of them (a/b.tsv becomes deck a::b).\n"
"Re-importing updates changed notes and keeps all progress. All files are\n"
"imported in one transaction: an error imports nothing.\n"
"\n"
"Anki packages (.apkg, .colpkg) are imported whole: note types, decks,\n"
"presets, notes, cards with their scheduling, the review log, and media\n"
"(into $XDG_DATA_HOME/lemma/media). A .colpkg is merged into the progress\n"
"file, never replaces it. Notes are matched by GUID.\n"
"\n"
"  --deck NAME     put notes in deck NAME (unless the file names a deck column)\n"
"  --dry-run       report what would change, write nothing\n"
"  --update WHEN   update a package's notes that are here already:\n"
"                  if-newer (the default), always, never\n";

int
cmd_import(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "deck",	required_argument,	NULL, 'd' },
		{ "dry-run",	no_argument,		NULL, 'n' },
		{ "update",	required_argument,	NULL, 'u' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct import_opts o;
	struct import_totals t;
	int c, status;

	if (cmd_help_requested(argc, argv, import_help))
		return 0;
	memset(&o, 0, sizeof o);
	optind = 1;
	opterr = 0;	/* cmd_bad_option() says it, made safe */
	while ((c = getopt_long(argc, argv, ":d:nu:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.deck = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'u':
			/* Anki's "update notes": if newer, always, never. */
			if (strcmp(optarg, "if-newer") == 0)
				o.update = IMPORT_UPDATE_IF_NEWER;
			else if (strcmp(optarg, "always") == 0)
				o.update = IMPORT_UPDATE_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				o.update = IMPORT_UPDATE_NEVER;
			else {
				fputs("lemma import: --update takes if-newer, "
				    "always or never\n", stderr);
				return 2;
			}
			break;
		default:
			cmd_bad_option("lemma import", c, argv);
			fputs(import_help, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs("lemma import: no file given\n", stderr);
		fputs(import_help, stderr);
		return 2;
	}
	memset(&t, 0, sizeof t);
	if ((status = import_with_progress(app, (const char *const *)argv +
	    optind, (size_t)(argc - optind), &o, stdout, &t)) != 0)
		return status;
	printf("%s%ld added, %ld updated, %ld unchanged, %ld skipped",
	    o.dry_run ? "dry run, nothing written: " : "", t.added, t.updated,
	    t.unchanged, t.skipped);
	if (t.emptied > 0)
		printf(", %ld card%s now empty", t.emptied,
		    t.emptied == 1 ? "" : "s");
	putchar('\n');
	return 0;
}

/* The lines an import prints while the full-screen program's panel may
 * be up: held, and printed once curses has left. A file full of bad
 * lines would hold them all, so only the first HELD_LINES_MAX are kept
 * and the rest counted. */
#define HELD_LINES_MAX	1000

struct held_lines {
	struct buf	 text;
	size_t		 n, dropped;
};

static void
hold_import_line(void *arg, const char *line)
{
	struct held_lines *h = arg;

	if (h->n++ >= HELD_LINES_MAX) {
		h->dropped++;
		return;
	}
	buf_adds(&h->text, line);
	buf_addc(&h->text, '\n');
}

int
cmd_import_files(struct app *app, int argc, char **argv)
{
	struct import_opts o;
	struct import_totals t;
	struct held_lines held;
	struct ui_progress *up;
	struct err e;
	int rc, stop;

	memset(&o, 0, sizeof o);
	memset(&t, 0, sizeof t);
	memset(&held, 0, sizeof held);
	buf_init(&held.text);
	err_clear(&e);
	o.report = hold_import_line;
	o.report_arg = &held;
	/* In the program's own screen (its panel, where q cancels), not the
	 * command line's line: the screen is what the user asked for. */
	up = ui_progress_begin(app);
	o.progress = ui_progress_get(up);
	rc = import_paths(app->db, (const char *const *)argv, (size_t)argc,
	    &o, app_now(app), &t, &e);
	stop = ui_progress_end(up);
	/* Under the screen, as before: seen on leaving the program. */
	if (held.text.len > 0)
		fputs(held.text.data, stderr);
	if (held.dropped > 0)
		fprintf(stderr, "lemma: and %zu more lines\n", held.dropped);
	buf_free(&held.text);
	if (rc == 0)
		return 0;
	if (stop == UI_PROGRESS_KEY) {
		/* q or Esc: the program goes on, saying so. */
		snprintf(app->notice, sizeof app->notice, "Import cancelled; "
		    "nothing was imported.");
		return 0;
	}
	fail(&e);
	return stop > 0 ? 128 + stop : 1;
}

int
cmd_import_bundled(struct app *app)
{
	struct import_opts o;
	struct import_totals t;
	struct err e;
	char dir[4096];
	const char *paths[1] = { dir };

	snprintf(dir, sizeof dir, "%s/decks", paths_data_dir());
	memset(&o, 0, sizeof o);
	o.report = ignore_line;
	err_clear(&e);
	memset(&t, 0, sizeof t);
	if (import_paths(app->db, paths, 1, &o, app_now(app), &t, &e) < 0) {
		fail(&e);
		return -1;
	}
	return 0;
}

static const char export_help[] =
"usage: lemma export [--deck NAME] [--format anki|markdown|text]\n"
"                    [-o FILE [--force]]\n"
"       lemma export --format apkg [--deck NAME] [--no-scheduling]\n"
"                    [--no-media] [--legacy] -o FILE [--force]\n"
"       lemma export --format colpkg [--no-media] [--legacy] -o FILE [--force]\n"
"\n"
"Write notes as an Anki text file (tab-separated, with the header lines\n"
"Anki reads: decks, note types, tags and GUIDs survive a round trip), as a\n"
"Markdown table, or as text to read (formulas rendered, cloze shown as the\n"
"question and the answer). Sub-decks are included.\n"
"\n"
"Or write an Anki package: apkg (a deck and its sub-decks, or everything)\n"
"or colpkg (the whole collection), with note types, decks, presets, cards\n"
"with their scheduling, the review log and the media files the notes name,\n"
"for Anki, AnkiDroid and AnkiMobile.\n"
"\n"
"  --deck NAME      only this deck and its sub-decks (default: all)\n"
"  --format FORMAT  anki (default), markdown, text, apkg or colpkg\n"
"  -o, --output F   write to F instead of standard output (a package\n"
"                   needs it); F is written whole or not at all (a full\n"
"                   disk leaves it as it was)\n"
"  --force          replace F if it exists (a link is replaced itself,\n"
"                   never written through)\n"
"  --no-scheduling  apkg: every card new, no review log and no presets,\n"
"                   as Anki's export without scheduling information\n"
"  --no-media       leave the media files out\n"
"  --legacy         collection.anki21, for Anki before 2.1.50\n";

int
cmd_export(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "deck",	required_argument,	NULL, 'd' },
		{ "format",	required_argument,	NULL, 'f' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "force",	no_argument,		NULL, 'F' },
		{ "no-scheduling", no_argument,		NULL, 'S' },
		{ "no-media",	no_argument,		NULL, 'M' },
		{ "legacy",	no_argument,		NULL, 'L' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum export_format format = EXPORT_ANKI;
	struct cmd_pkg_export pkg;
	const char *deck = NULL, *output = NULL;
	struct err e;
	int c, rc, force = 0, package = 0, pkg_opts = 0;

	memset(&pkg, 0, sizeof pkg);

	if (cmd_help_requested(argc, argv, export_help))
		return 0;
	optind = 1;
	opterr = 0;	/* cmd_bad_option() says it, made safe */
	while ((c = getopt_long(argc, argv, ":d:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			deck = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "anki") == 0)
				format = EXPORT_ANKI;
			else if (strcmp(optarg, "markdown") == 0)
				format = EXPORT_MARKDOWN;
			else if (strcmp(optarg, "text") == 0)
				format = EXPORT_TEXT;
			else if (strcmp(optarg, "apkg") == 0 ||
			    strcmp(optarg, "colpkg") == 0) {
				package = 1;
				pkg.colpkg = optarg[0] == 'c';
			} else {
				cmd_complain("lemma export: unknown format '%s' "
				    "(anki, markdown, text, apkg or colpkg)\n",
				    optarg);
				return 2;
			}
			break;
		case 'S':
			pkg.no_scheduling = pkg_opts = 1;
			break;
		case 'M':
			pkg.no_media = pkg_opts = 1;
			break;
		case 'L':
			pkg.legacy = pkg_opts = 1;
			break;
		case 'o':
			output = optarg;
			break;
		case 'F':
			force = 1;
			break;
		default:
			cmd_bad_option("lemma export", c, argv);
			fputs(export_help, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		cmd_complain("lemma export: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (package) {
		if (output == NULL) {
			fprintf(stderr, "lemma export: a package needs "
			    "-o FILE\n");
			return 2;
		}
		if (pkg.colpkg && deck != NULL) {
			fprintf(stderr, "lemma export: a .colpkg is the whole "
			    "collection: --deck is for apkg\n");
			return 2;
		}
		if (pkg.colpkg && pkg.no_scheduling) {
			fprintf(stderr, "lemma export: a .colpkg keeps the "
			    "scheduling: --no-scheduling is for apkg\n");
			return 2;
		}
		pkg.deck = deck;
		pkg.output = output;
		pkg.force = force;
		return cmd_export_package(app, &pkg);
	}
	if (pkg_opts) {
		fputs("lemma export: --no-scheduling, --no-media and --legacy "
		    "are for --format apkg or colpkg\n", stderr);
		return 2;
	}
	if (format == EXPORT_TEXT && app->ascii)
		format = EXPORT_TEXT_ASCII;
	err_clear(&e);
	if (output != NULL)
		rc = export_file(app->db, deck, format, output, force, &e);
	else
		rc = export_deck(app->db, deck, format, stdout, &e);
	return rc < 0 ? fail(&e) : 0;
}

static const char due_help[] =
"usage: lemma due [--all]\n"
"\n"
"Print what is due now, one line per deck: new, learning and review counts\n"
"as the deck list shows them (daily limits applied, sub-decks included),\n"
"then the deck name. Decks with nothing due are left out unless --all.\n"
"Exit status 0.\n";

int
cmd_due(struct app *app, int argc, char **argv)
{
	struct deck_counts *counts;
	struct err e;
	size_t n;
	int all = 0;

	if (cmd_help_requested(argc, argv, due_help))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else {
			cmd_complain("lemma due: unexpected argument '%s'\n",
			    argv[i]);
			return 2;
		}
	}
	err_clear(&e);
	if (study_deck_counts(app->db, app_now(app), &counts, &n, &e) < 0)
		return fail(&e);
	for (size_t i = 0; i < n; i++) {
		const struct deck_counts *c = &counts[i];
		char *name;

		if (!all && c->new_count + c->learn_count + c->review_count == 0)
			continue;
		name = termsafe_str(c->name, app->ascii ? TERMSAFE_ASCII : 0);
		printf("%5d new %5d learn %5d due  %s\n", c->new_count,
		    c->learn_count, c->review_count, name);
		free(name);
	}
	study_deck_counts_free(counts, n);
	return 0;
}

static const char check_help[] =
"usage: lemma check [--empty-cards [--delete]]\n"
"\n"
"Check the progress file: SQLite's integrity check, foreign keys, and\n"
"lemma's own invariants. Prints 'ok' and exits 0, or lists the problems\n"
"and exits 1.\n"
"\n"
"  --empty-cards  list the empty cards: cards whose cloze deletion is gone\n"
"                 from the note; they keep their history, out of study\n"
"  --delete       with --empty-cards: delete them and their review history\n";

int
cmd_check(struct app *app, int argc, char **argv)
{
	struct db_totals t;
	char report[8192];
	struct err e;
	size_t nempty = 0;
	int rc, empty_cards = 0, delete = 0;

	if (cmd_help_requested(argc, argv, check_help))
		return 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--empty-cards") == 0)
			empty_cards = 1;
		else if (strcmp(argv[i], "--delete") == 0)
			delete = 1;
		else {
			cmd_complain("lemma check: unexpected argument "
			    "'%s'\n", argv[i]);
			fputs(check_help, stderr);
			return 2;
		}
	}
	if (delete && !empty_cards) {
		fputs("lemma check: --delete goes with --empty-cards\n", stderr);
		return 2;
	}
	if (empty_cards)
		return cmd_empty_cards(app, delete);
	err_clear(&e);
	rc = db_check(app->db, report, sizeof report, &e);
	if (rc < 0)
		return fail(&e);
	if (rc > 0) {
		cmd_complain("%s: problems found:\n%s", db_path(app->db), report);
		return 1;
	}
	if (db_totals(app->db, &t, &e) < 0 ||
	    cmd_empty_cards_count(app, &nempty, &e) < 0)
		return fail(&e);
	printf("ok: %s: %lld decks, %lld notes, %lld cards, %lld reviews\n",
	    db_path(app->db), (long long)t.decks, (long long)t.notes,
	    (long long)t.cards, (long long)t.reviews);
	/* Not a fault, but worth knowing of. */
	if (nempty > 0)
		printf("%zu empty card%s: lemma check --empty-cards lists %s\n",
		    nempty, nempty == 1 ? "" : "s", nempty == 1 ? "it" : "them");
	return 0;
}
