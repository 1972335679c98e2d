/*
 * test_pty.c - the tests' pseudo-terminals (tests/test-pty.c) through the
 * POSIX fallback, which a system with forkpty never uses otherwise: the
 * child must get the pty as its controlling terminal, with the window size
 * given, and the two ends must carry bytes both ways.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../test-pty.h"

/* Read from fd until EOF (EIO on a pty master once the child is gone), a
 * quiet second, or out is full. */
static size_t
read_all(int fd, char *out, size_t len)
{
	size_t used = 0;

	while (used + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			break;
		n = read(fd, out + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	out[used] = '\0';
	return used;
}

/* The controlling terminal: /dev/tty opens only when the child has one,
 * and stty reports the size the pty was made with. */
static void
test_forkpty_posix_controlling_terminal(void **state)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char out[512];
	int fd, status;
	pid_t pid;

	(void)state;
	pid = test_forkpty_posix(&fd, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c",
		    "exec 2>&1; stty size </dev/tty && echo ctty-ok", (char *)NULL);
		_exit(127);
	}
	read_all(fd, out, sizeof out);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (strstr(out, "24 80") == NULL || strstr(out, "ctty-ok") == NULL)
		fail_msg("the child saw: \"%s\"", out);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* The child is a session leader of its own: job control and SIGHUP on
 * hang-up, which the signal tests rely on, follow from that. */
static void
test_forkpty_posix_new_session(void **state)
{
	char out[64];
	int fd, status;
	pid_t pid;

	(void)state;
	pid = test_forkpty_posix(&fd, NULL);
	assert_true(pid >= 0);
	if (pid == 0) {
		printf("%d %d\n", (int)getpid(), (int)getsid(0));
		fflush(stdout);
		_exit(0);
	}
	read_all(fd, out, sizeof out);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	{
		int child = -1, sid = -2;

		assert_int_equal(sscanf(out, "%d %d", &child, &sid), 2);
		assert_int_equal(child, (int)pid);
		assert_int_equal(sid, (int)pid);
	}
}

/* Bytes written to the slave arrive at the master, and the other way. */
static void
test_openpty_posix_both_ways(void **state)
{
	struct winsize ws = { .ws_row = 10, .ws_col = 33 }, got;
	char buf[64];
	int master, slave;
	ssize_t n;

	(void)state;
	assert_int_equal(test_openpty_posix(&master, &slave, &ws), 0);
	assert_int_equal(ioctl(slave, TIOCGWINSZ, &got), 0);
	assert_int_equal(got.ws_row, 10);
	assert_int_equal(got.ws_col, 33);
	assert_int_equal(write(slave, "out", 3), 3);
	n = read(master, buf, sizeof buf - 1);
	assert_true(n >= 3);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "out"));
	assert_int_equal(write(master, "in\n", 3), 3);
	n = read(slave, buf, sizeof buf - 1);
	assert_true(n >= 2);
	assert_memory_equal(buf, "in", 2);
	close(slave);
	close(master);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forkpty_posix_controlling_terminal),
		cmocka_unit_test(test_forkpty_posix_new_session),
		cmocka_unit_test(test_openpty_posix_both_ways),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
