/*
 * deckfile.h - reading deck files: Anki text and Markdown drill tables.
 *
 * Owns the two text forms a deck comes in and turns either into notes,
 * handed one at a time to a callback sink (the shape of ncdu's dir_output):
 *
 *  - Anki text (.txt .tsv .csv) as Anki 2.1.54+ reads it: the header lines
 *    #separator: #html: #tags: #deck: #notetype: #columns: #tags column:
 *    #deck column: #notetype column: #guid column: #if matches:
 *    #match scope: (and the old first line "tags:"), a separator from the
 *    header or guessed (deckfile_separator), CSV quoting, '#' comment
 *    lines. As Anki: the first row (or #columns:) fixes the column count,
 *    the column after the fields is the tags column when the header names
 *    none, the file is HTML when a cell of its first 5 rows is (without
 *    #html:), header values Anki ignores are ignored with a warning, and
 *    fields are NFC.
 *  - The Markdown drill-card form: prose lines (one may say
 *    "deck = NAME"), then a | Front | Back | table.
 *
 * Input is validated as UTF-8; a UTF-8 byte order mark and CRLF or CR
 * line ends are accepted. Every error names path:line:col and what was expected.
 *
 * Pure: no I/O, no SQL, no clock, no globals. The caller feeds bytes in
 * chunks of any size (deckfile_feed), so a large file never has to be in
 * memory at once; deckfile_parse does it for a buffer in one go.
 */
#ifndef LEMMA_DECKFILE_H
#define LEMMA_DECKFILE_H

#include <stddef.h>

#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"
#include "lemma/store/db.h"

struct notetype;

/* Levels a deck name may have ("a::b" has two): deeper names are refused,
 * with their place in the file (the progress file's own limit). */
#define DECKFILE_DECK_DEPTH_MAX	DB_DECK_DEPTH_MAX

enum deckfile_format {
	DECKFILE_AUTO,		/* decide from the content */
	DECKFILE_ANKI,
	DECKFILE_MARKDOWN,
};

/* Note types; the values are those of notes.notetype in the progress file. */
enum deckfile_notetype {
	DECKFILE_NT_NAMED = -2,	/* another name: notetype_name, which the
				   importer looks up among the user's types */
	DECKFILE_NT_UNSET = -1,	/* not given: the importer decides */
	DECKFILE_NT_BASIC = 0,
	DECKFILE_NT_REVERSED = 1,	/* Basic (and reversed card) */
	DECKFILE_NT_CLOZE = 2,
	DECKFILE_NT_OPTIONAL_REVERSED = 3,	/* Basic (optional reversed card) */
	DECKFILE_NT_TYPING = 4,	/* Basic (type in the answer) */
};

/* #if matches: what to do with a row that matches an existing note. */
enum deckfile_if_matches {
	DECKFILE_UPDATE,	/* "update current" (the default) */
	DECKFILE_KEEP_CURRENT,	/* "keep current" */
	DECKFILE_KEEP_BOTH,	/* "keep both": always a new note */
};

/* One note, valid only during the sink call. */
struct deckfile_note {
	const char		*path;
	unsigned		 line;		/* where the row starts */
	const char *const	*fields;	/* in note-type order, extra
						 * columns after; never NULL */
	size_t			 nfields;
	/* How many leading fields the row has cells for; may exceed nfields
	 * (empty cells at the end are dropped) or fall short of it (a short
	 * row is padded to two fields). A re-import keeps a note's fields
	 * from here on, as Anki keeps those a row does not supply. */
	size_t			 ngiven;
	/* NULL, or which of those fields the row gives (a #columns: header
	 * that names some of a type's fields only): a re-import keeps the
	 * others, as Anki keeps the fields no column maps to. */
	const unsigned char	*given;
	const char		*tags;		/* "a b c": sorted, unique, "" */
	int			 tags_from_row;	/* a tags column: tags replace
						 * the note's, else they add */
	const char		*deck;		/* NULL: neither row nor file
						 * names a deck */
	int			 deck_from_row;	/* deck came from a deck column */
	const char		*guid;		/* NULL: no GUID column, or empty */
	enum deckfile_notetype	 notetype;
	const char		*notetype_name;	/* DECKFILE_NT_NAMED: the name */
	unsigned		 notetype_line, notetype_col;	/* and where
						 * it is, for the importer */
	int			 notetype_from_row;	/* a note type column
						 * named it, not #notetype: */
	int			 is_html;	/* fields are HTML (#html:true,
						 * or they clearly are) */
	enum deckfile_if_matches if_matches;
};

/* The sink: note() returns 0 to go on, -1 (with e filled) to stop. Its
 * error is passed back unchanged by deckfile_feed/deckfile_finish. */
struct deckfile_sink {
	int	(*note)(void *arg, const struct deckfile_note *n,
		    struct err *e);
	void	*arg;
	/* The user's note type called name (NULL: none such), valid until
	 * the next call: its fields place the columns of a #columns: header
	 * by name, and Anki's tags column, the first after the fields, is
	 * found for it too. May be NULL: two fields, placed in order. */
	const struct notetype *(*notetype_of)(void *arg, const char *name);
};

/* Names of the note types as Anki spells them, for export and messages. */
const char	*deckfile_notetype_name(enum deckfile_notetype nt);
/* Parse the name of a built-in note type ("Basic", "Basic (and reversed
 * card)", "Cloze", "Basic (optional reversed card)", "Basic (type in the
 * answer)"), ignoring case; DECKFILE_NT_UNSET for any other name (which
 * may be a type of the user's: the parser passes it on as
 * DECKFILE_NT_NAMED). */
enum deckfile_notetype deckfile_notetype_parse(const char *s, size_t len);

/* A parser for one file. path is only used in notes and errors. */
struct deckfile	*deckfile_new(const char *path, enum deckfile_format f,
		    const struct deckfile_sink *sink);
/* Warnings (a deck name or tags that lost control, bidi or zero-width
 * characters; "path:line:col: warning: ...") go to fn; without it they
 * are dropped. */
void		 deckfile_set_warn(struct deckfile *df,
		    void (*fn)(void *arg, const struct err *w), void *arg);
/* Feed the next len bytes. Returns 0, or -1 with e filled (the parser is
 * then dead: free it). */
int		 deckfile_feed(struct deckfile *df, const char *data, size_t len,
		    struct err *e);
/* End of input: flush the last row and check nothing is left open. */
int		 deckfile_finish(struct deckfile *df, struct err *e);
/*
 * How the separator of an Anki text file was chosen. Anki takes the first
 * of tab, pipe, semicolon, colon, comma and space found in the first 8 KiB
 * after the head; lemma does the same unless that choice splits the rows
 * there into different widths while another candidate splits them all
 * into one width of at least 2 columns: then it takes that one
 * (DECKFILE_SEP_CORRECTED). When neither gives one width, or several others
 * do, the guess is ambiguous and Anki's choice stays.
 */
enum deckfile_sep_how {
	DECKFILE_SEP_NONE,	/* not Anki text (Markdown), or not yet known */
	DECKFILE_SEP_HEADER,	/* #separator: */
	DECKFILE_SEP_GUESSED,	/* Anki's guess, consistent */
	DECKFILE_SEP_CORRECTED,	/* lemma's better guess */
	DECKFILE_SEP_AMBIGUOUS,	/* Anki's guess, rows of different widths */
};
/* The separator used and how it was chosen (after the head was read). */
char		 deckfile_separator(const struct deckfile *df,
		    enum deckfile_sep_how *how);
/* Its name as a header spells it ("tab", "semicolon"), or the character. */
const char	*deckfile_separator_name(char sep, char *buf, size_t buflen);

/* Rows that make no note (a note type the notetype column names that
 * lemma does not know) go to fn, which may count them; without it they
 * are a warning. fn returns 0 to go on, -1 (e filled) to stop. */
void		 deckfile_set_skip(struct deckfile *df,
		    int (*fn)(void *arg, const char *path, unsigned line,
		    const char *why, struct err *e), void *arg);

/* The format the content was read as (after the first feed that decided
 * it, or after finish). */
enum deckfile_format deckfile_format_of(const struct deckfile *df);
void		 deckfile_free(struct deckfile *df);

/* All of the above for one buffer. */
int		 deckfile_parse(const char *path, enum deckfile_format f,
		    const char *data, size_t len,
		    const struct deckfile_sink *sink, struct err *e);

#endif
