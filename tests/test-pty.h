/*
 * test-pty.h - pseudo-terminals for the tests, on any POSIX system.
 *
 * forkpty and openpty are not POSIX: they live in libc or libutil, and are
 * declared in <pty.h> (glibc), <util.h> (macOS, NetBSD, OpenBSD) or
 * <libutil.h> (FreeBSD). configure looks for them; where they are missing,
 * or when LEMMA_TEST_PTY=posix is set (to run the tests over the other
 * path on a system that has both), these functions use posix_openpt,
 * grantpt, unlockpt and ptsname, then fork, setsid and TIOCSCTTY.
 */
#ifndef LEMMA_TEST_PTY_H
#define LEMMA_TEST_PTY_H

#include <sys/ioctl.h>
#include <sys/types.h>

/* A new pseudo-terminal: its master and slave ends, both read/write; the
 * window size is ws unless ws is NULL. Returns 0, or -1 with errno set. */
int	test_openpty(int *master, int *slave, const struct winsize *ws);

/* fork(), with the child in a session of its own whose controlling
 * terminal is a new pseudo-terminal (its stdin, stdout and stderr). The
 * parent gets the master end in *master. Returns as fork() does. */
pid_t	test_forkpty(int *master, const struct winsize *ws);

/* The same through POSIX calls only, whatever configure found; tests call
 * these directly so that the fallback is tried on every system. */
int	test_openpty_posix(int *master, int *slave, const struct winsize *ws);
pid_t	test_forkpty_posix(int *master, const struct winsize *ws);

#endif
