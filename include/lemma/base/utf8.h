/*
 * utf8.h - UTF-8 decoding and validation.
 *
 * Pure functions over byte strings; no locale, no I/O. Display width and
 * wrapping live in render.h, which owns everything about terminal cells.
 */
#ifndef LEMMA_UTF8_H
#define LEMMA_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFD

/* Decode one code point from s (n bytes available). Returns the number of
 * bytes used (1-4) and stores the code point in *cp; for an invalid or
 * truncated sequence returns 1 and stores UTF8_REPLACEMENT, and *ok = 0. */
size_t	utf8_decode(const char *s, size_t n, uint32_t *cp, int *ok);

/* Encode cp into out (at least 4 bytes); returns the byte count. */
size_t	utf8_encode(uint32_t cp, char *out);

/* Return the byte offset of the first invalid sequence in s[0..n), or
 * (size_t)-1 when all of it is valid UTF-8. Overlong forms, surrogates and
 * code points above U+10FFFF are invalid. */
size_t	utf8_invalid_offset(const char *s, size_t n);

/* Number of code points in s[0..n) (invalid bytes count one each). */
size_t	utf8_count(const char *s, size_t n);

#endif
