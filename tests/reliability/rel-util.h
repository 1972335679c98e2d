/*
 * rel-util.h - what the reliability tests share: lemma run as a command
 * with both outputs captured (optionally as the unprivileged user nobody,
 * since a test running as root ignores file modes), the progress file read
 * with SQLite directly, generated decks, and a seeded random source so a
 * failing run can be replayed (LEMMA_SEED).
 */
#ifndef LEMMA_TEST_REL_UTIL_H
#define LEMMA_TEST_REL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ru_result {
	int	status;		/* exit code, or 128 + signal */
	char	out[16384];	/* stdout, NUL-terminated, truncated */
	char	err[16384];	/* stderr, likewise */
};

/* Run $LEMMA_BIN --db db args... (args NULL-ended); env adds "K=V" strings
 * (NULL-ended, may be NULL). With as_nobody, the child drops to uid/gid
 * nobody first. Returns r->status. */
int		 ru_lemmav(struct ru_result *r, const char *db, const char *const env[],
		    int as_nobody, const char *const args[]);
/* The same with the arguments inline: ru_lemma(&r, db, "check", NULL). */
int		 ru_lemma(struct ru_result *r, const char *db, ...);

/* $LEMMA_BIN, or src/lemma. */
const char	*ru_lemma_bin(void);

/* Start lemma in a background process (no pty, stdout and stderr to
 * /dev/null) and return its pid, for tests that kill it. */
pid_t		 ru_spawn(const char *db, const char *const env[], const char *const args[]);

/* `lemma check` on db: fails the test unless it exits 0 saying "ok:". */
void		 ru_check_ok(const char *db);

/* One integer from a query on db (opened read-write so that a WAL left by
 * a killed process is recovered); -1 when there is no row. */
long long	 ru_int(const char *db, const char *sql);
/* Run sql (no rows) on db. */
void		 ru_exec(const char *db, const char *sql);

/* Write len bytes (or strlen when len is (size_t)-1) to path. */
void		 ru_write(const char *path, const char *data, size_t len);
/* Read a whole file; NULL when it does not exist. *len may be NULL. */
char		*ru_read(const char *path, size_t *len);
/* Copy a file byte for byte. */
void		 ru_copy(const char *from, const char *to);

/* A deck file of n notes "Qnnnnn ..." / "Annnnn ..." in deck name. */
void		 ru_write_deck(const char *path, const char *deck, int n);

/* Whether children may drop to nobody: we are root, so a mode alone would
 * not stop us. */
int		 ru_is_root(void);
uid_t		 ru_nobody_uid(void);
gid_t		 ru_nobody_gid(void);
/* Make path (and, with recursive, all below it) belong to nobody. */
void		 ru_chown_nobody(const char *path);

/* A seeded generator (xorshift), so a run can be replayed: the seed comes
 * from $LEMMA_SEED, else the given default, and is printed. */
void		 ru_seed(uint64_t dflt);
uint64_t	 ru_seed_value(void);
uint32_t	 ru_rand(uint32_t below);	/* 0 .. below-1 */

/* Milliseconds on the monotonic clock. */
long		 ru_ms(void);
/* Sleep for us microseconds (tests that aim a kill at a moment). */
void		 ru_usleep(long us);

#endif
