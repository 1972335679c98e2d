/*
 * jobctl.c - a tiny job-control shell for the signal tests: what bash does
 * around Ctrl-Z and `fg`, and nothing else.
 *
 *   jobctl PIDFILE PROGRAM [ARGS...]
 *
 * Runs PROGRAM in its own process group in the foreground of the terminal
 * and writes its pid to PIDFILE. When it stops (SIGTSTP), takes the
 * terminal back and prints "[jobctl: stopped]"; a line typed then ("fg")
 * gives the terminal back and continues the job with SIGCONT. Exits with
 * the program's status (128 + signal if it was killed).
 *
 * Without a shell like this, a program started by forkpty is alone in an
 * orphaned process group, where the kernel discards SIGTSTP: the test
 * would not see a real stop.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct termios shell_modes;
	pid_t child;
	FILE *f;
	int status;

	if (argc < 3) {
		fputs("usage: jobctl PIDFILE PROGRAM [ARGS...]\n", stderr);
		return 2;
	}
	/* A job-control shell ignores these, so it can hand the terminal
	 * around from the background. */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	tcgetattr(STDIN_FILENO, &shell_modes);

	if ((child = fork()) < 0)
		return 127;
	if (child == 0) {
		setpgid(0, 0);
		tcsetpgrp(STDIN_FILENO, getpid());
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	setpgid(child, child);
	tcsetpgrp(STDIN_FILENO, child);
	if ((f = fopen(argv[1], "w")) != NULL) {
		fprintf(f, "%ld\n", (long)child);
		fclose(f);
	}
	for (;;) {
		char line[64];

		if (waitpid(child, &status, WUNTRACED) < 0) {
			if (errno == EINTR)
				continue;
			return 127;
		}
		if (!WIFSTOPPED(status))
			break;
		/* As bash: take the terminal and its modes back, say so, and
		 * wait for "fg". */
		tcsetpgrp(STDIN_FILENO, getpgrp());
		tcsetattr(STDIN_FILENO, TCSADRAIN, &shell_modes);
		fputs("\r\n[jobctl: stopped]\r\n", stdout);
		fflush(stdout);
		if (fgets(line, sizeof line, stdin) == NULL)
			break;
		tcsetpgrp(STDIN_FILENO, child);
		kill(-child, SIGCONT);
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}
