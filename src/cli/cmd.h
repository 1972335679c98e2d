/*
 * cmd.h - the non-interactive subcommands. Each takes the open app (NULL
 * when only --help was asked for) and its own argv (argv[0] is the command
 * name), prints to stdout/stderr and returns the exit status: 0 ok, 1
 * runtime error, 2 usage error.
 */
#ifndef LEMMA_CMD_H
#define LEMMA_CMD_H

#include <stddef.h>

struct app;
struct err;

int	cmd_import(struct app *app, int argc, char **argv);
int	cmd_export(struct app *app, int argc, char **argv);
/* export --format apkg|colpkg (cmd-pkgexport.c): what the options said. */
struct cmd_pkg_export {
	const char	*deck, *output;
	int		 colpkg, no_scheduling, no_media, legacy, force;
};
int	cmd_export_package(struct app *app, const struct cmd_pkg_export *c);
int	cmd_due(struct app *app, int argc, char **argv);
int	cmd_stats(struct app *app, int argc, char **argv);
int	cmd_search(struct app *app, int argc, char **argv);
int	cmd_check(struct app *app, int argc, char **argv);
int	cmd_restore(struct app *app, int argc, char **argv);
/* `lemma package info`: an Anki package described (cmd-package.c). */
int	cmd_package(struct app *app, int argc, char **argv);
int	cmd_optimize(struct app *app, int argc, char **argv);
int	cmd_simulate(struct app *app, int argc, char **argv);
int	cmd_notetype(struct app *app, int argc, char **argv);
int	cmd_deck(struct app *app, int argc, char **argv);
int	cmd_preset(struct app *app, int argc, char **argv);
/* A message on stderr, printf-style, made safe for the terminal first
 * (cmd-complain.c): every message that quotes the user's input. */
void	cmd_complain(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* getopt_long's complaint about argv's word (c is what it returned: '?'
 * or ':'), in place of its own, which echoes the word raw: commands call
 * getopt with opterr = 0 and ':' first in the option string. cmd is the
 * message's prefix ("lemma stats"). */
void	cmd_bad_option(const char *cmd, int c, char **argv);

/* "lemma --db PATH restore", PATH quoted for the shell if need be: what to
 * run when the progress file is damaged. */
void	cmd_restore_hint(const char *db_path, char *buf, size_t len);

/* Whether argv (before any "--") asks for --help or -h: main asks before
 * it opens a progress file, each command before it parses options. */
int	cmd_wants_help(int argc, char **argv);
/* cmd_wants_help, and then help printed on stdout. */
int	cmd_help_requested(int argc, char **argv, const char *help);

/* Import the bundled decks into a new progress file (quietly). */
int	cmd_import_bundled(struct app *app);

/* Import the files given on the full-screen program's command line, before
 * its screen starts: the progress in the screen's panel (ui-progress.h),
 * the summary on stderr. 0 (also when q or Esc cancelled it: then
 * app->notice says so), or the exit status after printing the error (1,
 * or 128 + the signal that cancelled it; ^C is SIGINT). */
int	cmd_import_files(struct app *app, int argc, char **argv);

/* check --empty-cards (cmd-empty.c): list the empty cards, or with delete
 * delete them with their history; returns the exit status. The count, for
 * check's summary: 0, or -1 with e filled. */
int	cmd_empty_cards(struct app *app, int delete);
int	cmd_empty_cards_count(struct app *app, size_t *n, struct err *e);

#endif
