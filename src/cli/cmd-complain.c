/*
 * cmd-complain.c - the commands' messages on stderr. They quote what the
 * user typed (an argument, an option, a path, a deck name), and a word of
 * argv may hold escape sequences a terminal would obey (retitle it, move
 * the cursor, answer back): every message goes through termsafe first,
 * and getopt's own messages, which echo argv raw, are replaced.
 */
#include "config.h"

#include "cmd.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lemma/base/termsafe.h"
#include "lemma/base/xmalloc.h"

void
cmd_complain(const char *fmt, ...)
{
	va_list ap;
	char *msg, *safe;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* Lines and tabs are the message's own layout. */
	safe = termsafe_str(msg, TERMSAFE_LINES);
	fputs(safe, stderr);
	free(safe);
	free(msg);
}

void
cmd_bad_option(const char *cmd, int c, char **argv)
{
	/* optind has moved past the word getopt complains about (unless a
	 * cluster of short options goes on: optopt names the letter). */
	const char *word = optind > 0 ? argv[optind - 1] : "";

	if (c == ':')
		cmd_complain("%s: %s wants a value\n", cmd, word);
	else if (optopt != 0 && word[0] == '-' && word[1] != '-')
		cmd_complain("%s: unknown option '-%c'\n", cmd, optopt);
	else
		cmd_complain("%s: unknown option '%s'\n", cmd, word);
}
