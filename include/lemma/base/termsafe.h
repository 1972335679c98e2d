/*
 * termsafe.h - what may be written to a terminal, and what stands in for
 * the rest.
 *
 * The one rule for every byte of user data (card text, deck names, tags,
 * file names) that lemma writes to a terminal, from the full-screen
 * program and from the commands alike. A terminal obeys C0 and C1 control
 * characters (ESC starts OSC 52 clipboard writes, title changes, screen
 * clears), reorders text around bidi controls, and shows nothing for
 * zero-width and other format characters, so text can hide or pose as
 * other text. Pure: no locale, no I/O.
 */
#ifndef LEMMA_TERMSAFE_H
#define LEMMA_TERMSAFE_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/xmalloc.h"

enum termsafe_class {
	TERMSAFE_OK,		/* show it */
	TERMSAFE_CONTROL,	/* C0, DEL, C1, U+2028/9: a stand-in */
	TERMSAFE_INVISIBLE,	/* bidi controls, zero-width and other
				 * format characters: dropped */
	TERMSAFE_INVALID,	/* not UTF-8: U+FFFD */
};

/* Flags for termsafe_append and termsafe_str. */
#define TERMSAFE_LINES	0x1	/* keep '\n' and '\t' (else stand-ins) */
#define TERMSAFE_ASCII	0x2	/* the terminal is not UTF-8: every
				 * non-ASCII character becomes '?' */

/* The class of code point cp, as utf8_decode gave it (ok = 0: invalid). */
enum termsafe_class termsafe_class(uint32_t cp, int ok);

/* What to write for cp: cp itself, a visible stand-in (U+2400 + cp for a
 * C0 control, so ESC shows as U+241B; U+2421 for DEL; U+FFFD for the
 * rest; '?' with ascii), or 0 to write nothing. */
uint32_t	termsafe_cp(uint32_t cp, int ok, int ascii);

/* The stand-in as text, for a rendered card, where a picture has room:
 * termsafe_cp's (UTF-8 encoded), except that with ascii a C0 control or
 * DEL is written in caret notation ("^[" for ESC, "^?" for DEL), which
 * says more than '?'. Returns the bytes written to out (1-4). Only for
 * what termsafe_cp would replace. */
size_t		termsafe_picture(uint32_t cp, int ok, int ascii, char out[4]);

/* Append s[0..n) to out made safe; returns how many code points were
 * replaced or dropped (0: s was safe as it is). */
size_t		termsafe_append(struct buf *out, const char *s, size_t n,
		    unsigned flags);

/* s made safe, NUL-terminated; the caller frees it. */
char		*termsafe_str(const char *s, unsigned flags);

/*
 * A name (deck, tag) with what termsafe would replace or drop removed,
 * as Anki removes control characters from deck names: appended to out.
 * Returns how many code points were removed.
 */
size_t		termsafe_strip(struct buf *out, const char *s, size_t n);

#endif
