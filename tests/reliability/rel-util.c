/* rel-util.c - helpers shared by the reliability tests; see rel-util.h. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rel-util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *
ru_lemma_bin(void)
{
	const char *bin = getenv("LEMMA_BIN");

	return bin != NULL ? bin : "src/lemma";
}

uid_t
ru_nobody_uid(void)
{
	struct passwd *pw = getpwnam("nobody");

	return pw != NULL ? pw->pw_uid : 65534;
}

gid_t
ru_nobody_gid(void)
{
	struct passwd *pw = getpwnam("nobody");

	return pw != NULL ? pw->pw_gid : 65534;
}

int
ru_is_root(void)
{
	return geteuid() == 0;
}

void
ru_chown_nobody(const char *path)
{
	if (lchown(path, ru_nobody_uid(), ru_nobody_gid()) < 0)
		fail_msg("chown %s: %s", path, strerror(errno));
}

static void
drop_to_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setgid(ru_nobody_gid()) < 0 ||
	    setuid(ru_nobody_uid()) < 0)
		_exit(126);
}

static void
put_env(const char *const env[])
{
	for (int i = 0; env != NULL && env[i] != NULL; i++) {
		char *kv = strdup(env[i]), *eq = strchr(kv, '=');
		if (eq != NULL && eq[1] == '\0') {
			*eq = '\0';
			unsetenv(kv);	/* "K=" removes K */
		} else
			putenv(kv);
	}
}

static void
build_argv(const char **argv, const char *db, const char *const args[])
{
	int n = 0;

	argv[n++] = ru_lemma_bin();
	if (db != NULL) {
		argv[n++] = "--db";
		argv[n++] = db;
	}
	for (int i = 0; args != NULL && args[i] != NULL && n < 62; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
}

static int
status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

int
ru_lemmav(struct ru_result *r, const char *db, const char *const env[],
    int as_nobody, const char *const args[])
{
	const char *argv[64];
	int out[2], err[2], status;
	size_t used[2] = { 0, 0 };
	pid_t pid;

	build_argv(argv, db, args);
	if (pipe(out) < 0 || pipe(err) < 0)
		fail_msg("pipe: %s", strerror(errno));
	if ((pid = fork()) == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		put_env(env);
		if (as_nobody)
			drop_to_nobody();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	{
		struct pollfd p[2] = { { .fd = out[0], .events = POLLIN },
		    { .fd = err[0], .events = POLLIN } };
		char *dst[2] = { r->out, r->err };
		int open_fds = 2;

		while (open_fds > 0) {
			if (poll(p, 2, -1) < 0 && errno != EINTR)
				break;
			for (int i = 0; i < 2; i++) {
				char buf[8192];
				ssize_t n;

				if (p[i].fd < 0 ||
				    !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				n = read(p[i].fd, buf, sizeof buf);
				if (n <= 0) {
					close(p[i].fd);
					p[i].fd = -1;
					open_fds--;
					continue;
				}
				if (used[i] + 1 < sizeof r->out) {
					size_t take = (size_t)n;
					if (take > sizeof r->out - 1 - used[i])
						take = sizeof r->out - 1 - used[i];
					memcpy(dst[i] + used[i], buf, take);
					used[i] += take;
				}
			}
		}
	}
	r->out[used[0]] = '\0';
	r->err[used[1]] = '\0';
	if (waitpid(pid, &status, 0) < 0)
		fail_msg("waitpid: %s", strerror(errno));
	r->status = status_code(status);
	return r->status;
}

int
ru_lemma(struct ru_result *r, const char *db, ...)
{
	const char *args[60];
	va_list ap;
	int n = 0;

	va_start(ap, db);
	while (n < 59 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	return ru_lemmav(r, db, NULL, 0, args);
}

pid_t
ru_spawn(const char *db, const char *const env[], const char *const args[])
{
	const char *argv[64];
	pid_t pid;

	build_argv(argv, db, args);
	if ((pid = fork()) == 0) {
		int fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		put_env(env);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

void
ru_check_ok(const char *db)
{
	struct ru_result *r = calloc(1, sizeof *r);

	ru_lemma(r, db, "check", NULL);
	if (r->status != 0 || strncmp(r->out, "ok: ", 4) != 0) {
		fprintf(stderr, "# lemma check: status %d\n# %s\n# %s\n",
		    r->status, r->out, r->err);
		free(r);
		fail_msg("lemma check failed on %s", db);
	}
	free(r);
}

static sqlite3 *
open_db(const char *db)
{
	sqlite3 *s;

	if (sqlite3_open_v2(db, &s, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("cannot open %s: %s", db, sqlite3_errmsg(s));
	sqlite3_busy_timeout(s, 5000);
	return s;
}

long long
ru_int(const char *db, const char *sql)
{
	sqlite3 *s = open_db(db);
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(s));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return v;
}

void
ru_exec(const char *db, const char *sql)
{
	sqlite3 *s = open_db(db);
	char *msg = NULL;

	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(s);
}

void
ru_write(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	if (len == (size_t)-1)
		len = strlen(data);
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0)
		fail_msg("cannot write %s", path);
}

char *
ru_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t used = 0, cap = 4096, n;
	char *buf;

	if (f == NULL)
		return NULL;
	/* Read to the end rather than trust the size: /proc files have none. */
	buf = malloc(cap + 1);
	while ((n = fread(buf + used, 1, cap - used, f)) > 0) {
		used += n;
		if (used == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	buf[used] = '\0';
	fclose(f);
	if (len != NULL)
		*len = used;
	return buf;
}

void
ru_copy(const char *from, const char *to)
{
	size_t len;
	char *data = ru_read(from, &len);

	if (data == NULL)
		fail_msg("cannot read %s", from);
	ru_write(to, data, len);
	free(data);
}

void
ru_write_deck(const char *path, const char *deck, int n)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		fail_msg("cannot write %s", path);
	fprintf(f, "#separator:tab\n#html:false\n#deck:%s\n", deck);
	for (int i = 0; i < n; i++)
		fprintf(f, "Q%05d what is %d times %d?\tA%05d it is %d\n", i, i,
		    7, i, i * 7);
	if (fclose(f) != 0)
		fail_msg("cannot write %s", path);
}

static uint64_t seed_state, seed_first;

void
ru_seed(uint64_t dflt)
{
	const char *s = getenv("LEMMA_SEED");

	seed_first = s != NULL && *s != '\0' ? strtoull(s, NULL, 0) : dflt;
	if (seed_first == 0)
		seed_first = 1;
	seed_state = seed_first;
	fprintf(stderr, "# seed %llu (replay with LEMMA_SEED=%llu)\n",
	    (unsigned long long)seed_first, (unsigned long long)seed_first);
}

uint64_t
ru_seed_value(void)
{
	return seed_first;
}

uint32_t
ru_rand(uint32_t below)
{
	uint64_t x = seed_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	seed_state = x;
	return below == 0 ? 0 : (uint32_t)(x % below);
}

long
ru_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void
ru_usleep(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
