/* screen-util.c - helpers shared by the screen tests; see screen-util.h. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "screen-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[512];

static void
remove_tmpdir(void)
{
	char cmd[600];

	if (tmpdir[0] == '\0' || getenv("LEMMA_KEEP_TMP") != NULL)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", tmpdir);
}

const char *
st_tmpdir(void)
{
	if (tmpdir[0] == '\0') {
		/* paths_tmpdir()'s rule; the screen tests link no core. */
		const char *dir = getenv("TMPDIR");

		snprintf(tmpdir, sizeof tmpdir, "%s/lemma-screen-XXXXXX",
		    dir != NULL && dir[0] == '/' ? dir : P_tmpdir);
		if (mkdtemp(tmpdir) == NULL) {
			perror("mkdtemp");
			exit(99);
		}
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

const char *
st_path(const char *name)
{
	static char paths[8][600];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 600, "%s/%s", st_tmpdir(), name);
	return p;
}

static const char *
lemma_bin(void)
{
	const char *bin = getenv("LEMMA_BIN");

	return bin != NULL ? bin : "src/lemma";
}

struct vt *
st_start(const char *db, const char *const args[], const char *const env[],
    int rows, int cols)
{
	const char *argv[32];
	int n = 0;

	argv[n++] = lemma_bin();
	argv[n++] = "--db";
	argv[n++] = db;
	for (int i = 0; args != NULL && args[i] != NULL && n < 30; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return vt_spawn(argv, env, rows, cols, st_path("stderr.log"));
}

int
st_run(const char *db, const char *const args[], char *out, size_t len)
{
	const char *argv[32];
	int n = 0, fds[2], status;
	size_t used = 0;
	pid_t pid;

	argv[n++] = lemma_bin();
	argv[n++] = "--db";
	argv[n++] = db;
	for (int i = 0; args != NULL && args[i] != NULL && n < 30; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe(fds) < 0)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		char buf[4096];
		ssize_t r = read(fds[0], buf, sizeof buf);
		if (r <= 0)
			break;
		if (out != NULL && used + 1 < len) {
			size_t take = (size_t)r < len - 1 - used ? (size_t)r :
			    len - 1 - used;
			memcpy(out + used, buf, take);
			used += take;
		}
	}
	close(fds[0]);
	if (out != NULL)
		out[used] = '\0';
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
st_wait_ms(void)
{
	return getenv("LEMMA_UNDER_VALGRIND") != NULL ? 30000 : 5000;
}

void
st_quit(struct vt *vt)
{
	int status;

	/* q leaves a view; from the deck list it quits. */
	for (int i = 0; i < 4; i++) {
		vt_send(vt, "q");
		vt_wait_idle(vt, 30, 300);
	}
	status = vt_close(vt, st_wait_ms());
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("lemma did not exit cleanly (status %#x); see "
		    "stderr.log", status);
}
