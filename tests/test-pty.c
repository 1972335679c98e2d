/* test-pty.c - pseudo-terminals for the tests; see test-pty.h. */
#include "config.h"

#include "test-pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(HAVE_FORKPTY) && defined(HAVE_OPENPTY)
#if defined(HAVE_PTY_H)
#include <pty.h>
#define HAVE_SYSTEM_PTY 1
#elif defined(HAVE_UTIL_H)
#include <util.h>
#define HAVE_SYSTEM_PTY 1
#elif defined(HAVE_LIBUTIL_H)
#include <libutil.h>
#define HAVE_SYSTEM_PTY 1
#endif
#endif

int
test_openpty_posix(int *master, int *slave, const struct winsize *ws)
{
	const char *name;
	int m, s, saved;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		return -1;
	if (grantpt(m) < 0 || unlockpt(m) < 0 || (name = ptsname(m)) == NULL)
		goto fail;
	if ((s = open(name, O_RDWR | O_NOCTTY)) < 0)
		goto fail;
	if (ws != NULL && ioctl(s, TIOCSWINSZ, ws) < 0) {
		saved = errno;
		close(s);
		errno = saved;
		goto fail;
	}
	*master = m;
	*slave = s;
	return 0;
fail:
	saved = errno;
	close(m);
	errno = saved;
	return -1;
}

pid_t
test_forkpty_posix(int *master, const struct winsize *ws)
{
	int m, s;
	pid_t pid;

	if (test_openpty_posix(&m, &s, ws) < 0)
		return -1;
	if ((pid = fork()) < 0) {
		int saved = errno;
		close(m);
		close(s);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		/* A new session has no controlling terminal; the slave, opened
		 * before it, becomes one only through TIOCSCTTY. */
		close(m);
		if (setsid() < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
			_exit(126);
		if (dup2(s, 0) < 0 || dup2(s, 1) < 0 || dup2(s, 2) < 0)
			_exit(126);
		if (s > 2)
			close(s);
		return 0;
	}
	close(s);
	*master = m;
	return pid;
}

#ifdef HAVE_SYSTEM_PTY
/* LEMMA_TEST_PTY=posix: the fallback even where the system has forkpty. */
static int
use_posix(void)
{
	const char *how = getenv("LEMMA_TEST_PTY");

	return how != NULL && strcmp(how, "posix") == 0;
}
#endif

int
test_openpty(int *master, int *slave, const struct winsize *ws)
{
#ifdef HAVE_SYSTEM_PTY
	/* A copy: macOS declares the last argument without const. */
	struct winsize size;

	if (ws != NULL)
		size = *ws;
	if (!use_posix())
		return openpty(master, slave, NULL, NULL, ws != NULL ? &size : NULL);
#endif
	return test_openpty_posix(master, slave, ws);
}

pid_t
test_forkpty(int *master, const struct winsize *ws)
{
#ifdef HAVE_SYSTEM_PTY
	struct winsize size;

	if (ws != NULL)
		size = *ws;
	if (!use_posix())
		return forkpty(master, NULL, NULL, ws != NULL ? &size : NULL);
#endif
	return test_forkpty_posix(master, ws);
}
