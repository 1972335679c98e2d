/*
 * db.h - the progress file.
 *
 * Owns the SQLite connection, the schema and its migrations. Every SQL
 * statement in lemma lives in a db*.c file: src/store/db*.c, and the
 * search runner src/query/db-search.c; no other file includes
 * <sqlite3.h>. Modules that need their own queries (study, import, stats)
 * put them in src/store/db-<module>.c against the private
 * src/store/db-int.h. Callers see cards, decks and reviews as plain structs.
 *
 * Durability: WAL with synchronous=FULL, so a committed grade survives a
 * crash of lemma and a power cut alike (a new file starts with the rollback
 * journal, as safe, until db_settle). Every write runs in a transaction;
 * db_begin()/db_commit() nest, so a caller can group several writes.
 */
#ifndef LEMMA_DB_H
#define LEMMA_DB_H

#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"

struct db;

/* The schema version this build writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION	8

enum db_open_flags {
	DB_CREATE	= 1 << 0,	/* create the file (0600) and its directory (0700) */
	DB_READONLY	= 1 << 1,	/* never write; refuse to migrate */
};

/* Open the progress file at path, creating it with DB_CREATE, and migrate it
 * to DB_SCHEMA_VERSION in one transaction. A file that is not SQLite, not a
 * lemma file, corrupt, or from a newer lemma is refused and left untouched.
 * Returns NULL and fills e on failure. */
struct db	*db_open(const char *path, int flags, struct err *e);
/* db_open, reporting a schema upgrade to p (progress.h), which may stop
 * it: the upgrade is then rolled back, the file left as it was, and e
 * says "Cancelled". */
struct progress;
struct db	*db_open_progress(const char *path, int flags,
		    struct progress *p, struct err *e);
void		 db_close(struct db *db);

/*
 * Make this process the only full-screen lemma on the file: a write lock
 * (fcntl) on PATH.lock beside it (0600, holding the pid for people to
 * read), kept until db_close. The kernel drops it when the process dies,
 * so even kill -9 leaves no stale lock. Two full-screen programs on one
 * file, each with its own undo, put cards out of step with their history.
 * Commands do not take it: SQLite's locks let them write beside the
 * program. Returns -1 with e naming the holder's pid when another has it.
 */
int		 db_lock_instance(struct db *db, struct err *e);

/* Whether db_open() created the file (or found it empty): the program then
 * imports the bundled deck. */
int		 db_was_created(const struct db *db);

/* Switch a new file from its first-import rollback journal to WAL; a no-op
 * otherwise. import_paths and db_close call it. */
void		 db_settle(struct db *db);
const char	*db_path(const struct db *db);

/* Transactions, nestable: only the outermost begin/commit reach SQLite.
 * db_begin takes the write lock at once (BEGIN IMMEDIATE), so a second
 * writer waits up to the busy timeout and then fails clearly. */
int	db_begin(struct db *db, struct err *e);
int	db_commit(struct db *db, struct err *e);
void	db_rollback(struct db *db);

/* Integrity check: SQLite's own, foreign keys, and lemma's invariants
 * (card states, every card has a note and a deck, every review-log row a
 * card). Appends one line per
 * problem to report (a buffer of len bytes); returns 0 when all is well,
 * 1 when problems were found, -1 on error. */
int	db_check(struct db *db, char *report, size_t len, struct err *e);

/* Settings: a small key/value table. get returns 0 and copies the value,
 * or -1 when unset. */
int	db_setting_get(struct db *db, const char *key, char *val, size_t len);
int	db_setting_set(struct db *db, const char *key, const char *val,
	    struct err *e);

/* Decks. Names use "::" for hierarchy as in Anki ("Lang::French"). */

/* Levels a deck name may have ("a::b" has two). */
#define DB_DECK_DEPTH_MAX	32

struct deck {
	int64_t	 id;
	char	*name;		/* full name with "::" */
	int64_t	 config_id;
	int	 collapsed;
};

/* Find or create deck name and its parents; returns its id, or -1 (also
 * for a name deeper than DB_DECK_DEPTH_MAX levels). */
int64_t	db_deck_ensure(struct db *db, const char *name, time_t now,
	    struct err *e);
/* Returns the id of deck name, 0 when there is none, -1 on error. */
int64_t	db_deck_find(struct db *db, const char *name, struct err *e);
/* All decks sorted by name; *out is an array of *n decks, free with
 * db_decks_free. */
int	db_deck_list(struct db *db, struct deck **out, size_t *n,
	    struct err *e);
void	db_decks_free(struct deck *decks, size_t n);
int	db_deck_set_collapsed(struct db *db, int64_t id, int collapsed,
	    struct err *e);

/* Totals for a quick summary: notes, cards, review-log rows. */
struct db_totals {
	int64_t	notes, cards, reviews, decks;
};
int	db_totals(struct db *db, struct db_totals *t, struct err *e);

/* Grades given from instant since on: how many, how many Again, and the
 * answer time in ms. */
struct db_review_summary {
	int64_t	count, again, time_ms, cards;
};
int	db_reviews_since(struct db *db, time_t since,
	    struct db_review_summary *out, struct err *e);

#endif
