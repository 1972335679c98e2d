/*
 * search.h - card search in Anki's query language, and the browser's data.
 *
 * Owns the query language: the tokenizer, the parser, and the translation
 * of a query into an SQL WHERE clause with "?" placeholders and a list of
 * values to bind (search.c, pure: no SQLite, no I/O, no clock). Text from
 * the query only ever reaches SQLite as a bound value, so no card text and
 * no search word can change the SQL.
 *
 * Also owns running a compiled query (src/query/db-search.c): the count, one
 * page of rows at a time in any sort order, and the bulk actions on a
 * selection of cards (suspend, move, tags, reset, delete with undo).
 *
 * It must not print, exit or read the clock: "now" and the rollover hour
 * come from the caller, errors go to a struct err.
 *
 * The language, as Anki's (research/peers.md, "Browser and search syntax";
 * tests/unit/test_search_anki.c holds every query of Anki's own tests):
 *
 *   dog cat          both words, anywhere in one of the note's fields
 *   "a dog"          a phrase; dog or cat; -cat; (dog or cat) -mouse;
 *                    a quote ends a word (a"b"(c) is a b (c)); a lone "-"
 *                    is the character; U+00A0 and U+3000 separate words
 *   d_g  d*g         _ is one character, * any run; \_ \* \" \\ \: \( \) \-
 *                    are those characters literally
 *   front:dog        a field (Front, Back, Text, "Back Extra", wildcards
 *                    allowed in the name) whose whole text is dog;
 *                    front:*dog* contains it, front: is empty, front:_* is
 *                    not; a name no note type has matches nothing
 *   re:x  nc:x  w:x  a regex (PCRE2, case-insensitive), text without
 *                    accents, a whole word; also front:re:x, *:re:x,
 *                    front:nc:x, tag:re:x, tag:nc:x; sc:x without cloze
 *                    markup
 *   deck:a           deck a and its sub-decks a::*; deck:a* deck:*::verbs
 *                    deck:current (the caller's deck in focus)
 *   tag:x            tag x and its children x::*; tag:none is untagged,
 *                    tag:* is every note
 *   note:cloze mid:2 note type by name or number
 *   card:2 card:Cloze "card:Card 2"   the card's number or template name
 *   is:new is:learn is:review is:due is:suspended is:buried
 *   is:empty         cards whose cloze number is gone from the note
 *   flag:0..7
 *   prop:ivl>10 prop:due<3 prop:due=-1 prop:lapses>=2 prop:reps!=0
 *   prop:pos<=100 prop:d>0.7 (difficulty 0..1) prop:s<5 (days) prop:r<0.8
 *   prop:rated>-5:3 prop:resched>=-2 (days back from today)
 *   prop:ease prop:cdn:K prop:cds:K has-cd:K   accepted, match nothing
 *   rated:N rated:N:E  graded in the last N study days (with grade E 1..4)
 *   resched:N        reset or rescheduled by hand in the last N days
 *   added:N edited:N introduced:N   created, note edited, first graded in
 *                    the last N study days (1 = today, 0 too)
 *   preset:NAME      decks using the options preset NAME
 *   nid:1,2 cid:3 did:4   note, card and deck ids
 *   dupe:NT,TEXT     notes of type NT whose first field is TEXT
 *
 * Plain matching is case-insensitive by Unicode simple case folding: "ÉTÉ"
 * finds "été" and "ΣΟΦΟΣ" finds "σοφος", but "ß" does not find "ss" (Anki
 * folds ASCII only here: a deliberate difference). Text is not
 * normalised, so a decomposed "é" (e + U+0301) does not match a composed
 * one, except under nc:.
 */
#ifndef LEMMA_SEARCH_H
#define LEMMA_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"

struct db;
struct search;
struct search_result;

/* ---- compiling a query (search.c, pure) ------------------------------- */

/*
 * Compile query (UTF-8) for the instant now, with study days starting at
 * rollover_hour (local time). An empty query matches every card.
 * Returns NULL on a bad query, with e->col the 1-based column (in
 * characters, not bytes) where the problem is and e->msg saying what it
 * is; never fails otherwise. Free with search_free().
 */
struct search	*search_compile(const char *query, time_t now,
		    int rollover_hour, struct err *e);
/* The same, with the deck in focus for deck:current (the browser's: the
 * deck list's selection). With current_deck NULL, as search_compile()
 * has it, deck:current is every deck. */
struct search	*search_compile_in(const char *query, time_t now,
		    int rollover_hour, const char *current_deck,
		    struct err *e);
void		 search_free(struct search *s);

/*
 * The WHERE clause. It refers to the cards table as "c" and the notes
 * table as "n", and calls SQL functions that db-search.c registers
 * (lemma_text, lemma_field, lemma_glob, lemma_tag, lemma_r, lemma_regex
 * and the other re:/nc: kin in db-search.h), so only db-search.c can run
 * it. Valid while s lives.
 */
const char	*search_sql(const struct search *s);

enum search_param_type {
	SEARCH_PARAM_INT,
	SEARCH_PARAM_REAL,
	SEARCH_PARAM_TEXT,
};

/* A value for one "?" of the clause, in order. */
struct search_param {
	enum search_param_type	 type;
	int64_t			 i;
	double			 r;
	const char		*text;	/* SEARCH_PARAM_TEXT: UTF-8, NUL-terminated */
};

size_t		 search_param_count(const struct search *s);
const struct search_param *search_param_get(const struct search *s, size_t i);

/* The clock the query was compiled for, and its study day. */
time_t		 search_now(const struct search *s);
long		 search_today(const struct search *s);

/* Whether the clause reads the notes table, so a query that does not can
 * leave out the join. */
int		 search_uses_notes(const struct search *s);

/*
 * Match text[0..len) against a pattern in the form the query's text values
 * take: folded, "*" any run, "_" one character, "\x" the character x.
 * Case-insensitive by text_fold(). With anywhere the pattern may match
 * any part of text, else it must match all of it. Returns 1 on a match, 0
 * otherwise.
 */
int		 search_glob(const char *pat, const char *text, size_t len,
		    int anywhere);

/* The same with the pattern compiled once, for matching it against many
 * texts (db-search.c keeps one per query). */
struct search_glob;
struct search_glob *search_glob_compile(const char *pat);
int		 search_glob_match(const struct search_glob *g,
		    const char *text, size_t len, int anywhere);
void		 search_glob_free(struct search_glob *g);

/* ---- running a query (db-search.c) ------------------------------------- */

/* The collection's rollover hour (the Default preset's, as the scheduler
 * uses), for search_compile(); 4 when it cannot be read. */
int		 search_rollover(struct db *db);

/* Browser columns a result can be sorted by. */
enum search_sort {
	SEARCH_SORT_FIELD,		/* the note's sort field (first field) */
	SEARCH_SORT_DECK,		/* deck name (case-folded) */
	SEARCH_SORT_DUE,		/* due time; new cards last, by position */
	SEARCH_SORT_INTERVAL,		/* scheduled days */
	SEARCH_SORT_DIFFICULTY,		/* FSRS D; new cards last */
	SEARCH_SORT_STABILITY,		/* FSRS S; new cards last */
	SEARCH_SORT_RETRIEVABILITY,	/* FSRS R now; new cards last */
	SEARCH_SORT_REPS,
	SEARCH_SORT_LAPSES,
	SEARCH_SORT_CREATED,		/* when the card was added */
	SEARCH_NSORTS
};

/* The column's name ("sort", "deck", "due", "interval", "difficulty",
 * "stability", "retrievability", "reps", "lapses", "created"), and the
 * reverse: returns 0 and sets *out, or -1 for an unknown name. */
const char	*search_sort_name(enum search_sort sort);
int		 search_sort_parse(const char *name, enum search_sort *out);

/* One card as the browser shows it. */
struct search_row {
	int64_t		 card_id, note_id;
	const char	*deck;		/* full name with "::" */
	const char	*sort_field;	/* raw card text: render before drawing */
	const char	*tags;		/* " a b " as stored */
	int		 notetype;	/* a notetypes id (notetype.h) */
	int		 ord;		/* card number - 1 */
	int		 state;		/* 0 new, 1 learning, 2 review, 3 relearning */
	time_t		 due;		/* Unix seconds; 0 for a new card */
	int		 ivl_days;	/* scheduled days */
	int		 position;	/* new-card order */
	double		 difficulty;	/* FSRS D 1..10; 0 for a new card */
	double		 stability;	/* days; 0 for a new card */
	double		 retrievability; /* 0..1 now; -1 for a new card */
	int		 reps, lapses;
	int		 flag;		/* 0..7 */
	int		 is_suspended;
	int		 is_buried;	/* buried until a later study day */
	time_t		 created;
	time_t		 last_review;	/* 0 when never graded */
};

/*
 * Run s on db and order the matches by sort (descending when descending;
 * the card id breaks ties, so the order is total and stable). The result
 * keeps ordered card ids (8 bytes a card), not the cards: rows are read a
 * page at a time by search_page(). By sort field, only the first screen of
 * matches is found here and more as they are asked for, so the count may
 * not be known yet (search_count() counts). Reads only; the result does not
 * follow later changes, so run again after a bulk action. s may be freed
 * at once. Returns NULL and fills e on a database error.
 */
struct search_result	*search_run(struct db *db, const struct search *s,
			    enum search_sort sort, int descending,
			    struct err *e);
void			 search_result_free(struct search_result *r);

/* How many cards matched; counts them first when that is not known yet
 * (a pass over the collection: tens of milliseconds at 100,000 cards). */
size_t			 search_count(struct search_result *r);


/* Whether the result holds only the first matches so far (the rest are
 * found when asked for). */
int			 search_is_partial(const struct search_result *r);

/* The id of match i (i < search_count()), for marking and bulk actions;
 * 0 past the end. */
int64_t			 search_card_id(struct search_result *r, size_t i);

/* The position of card_id in the result, or -1: to keep the cursor on a
 * card after a re-sort. May read the whole result. */
long			 search_find(struct search_result *r, int64_t card_id);

/*
 * Read matches offset .. offset+limit-1 into rows (room for limit rows);
 * *n (OUT) gets how many were filled: fewer at the end of the result, or
 * when cards were deleted since search_run(). The rows' strings belong to
 * r and stay valid until the next search_page() or search_result_free(),
 * so only one page is ever held in memory. Returns 0, or -1 and fills e.
 */
int			 search_page(struct search_result *r, size_t offset,
			    size_t limit, struct search_row *rows, size_t *n,
			    struct err *e);

#endif
