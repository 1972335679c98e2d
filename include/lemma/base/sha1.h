/*
 * sha1.h - SHA-1 (FIPS 180-4), for what Anki's formats name by it: the
 * checksum of each media file in a package's media map, and a note's
 * csum column (the first 8 hex digits of the SHA-1 of its sort field).
 *
 * Not for security: SHA-1 is broken for collisions; Anki uses it only to
 * tell files and fields apart. Pure: no I/O.
 */
#ifndef LEMMA_BASE_SHA1_H
#define LEMMA_BASE_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN	20

struct sha1 {
	uint32_t	h[5];
	uint64_t	total;		/* bytes so far */
	uint8_t		block[64];
	size_t		fill;		/* bytes in block */
};

void	sha1_init(struct sha1 *s);
void	sha1_update(struct sha1 *s, const void *data, size_t n);
void	sha1_final(struct sha1 *s, uint8_t out[SHA1_LEN]);
/* The digest of data[0..n) in one call. */
void	sha1_digest(const void *data, size_t n, uint8_t out[SHA1_LEN]);
/* out as 40 lower-case hex digits and a NUL. */
void	sha1_hex(const uint8_t d[SHA1_LEN], char out[2 * SHA1_LEN + 1]);

#endif
