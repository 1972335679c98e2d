/*
 * pbwire.h - the protocol buffers wire format, for the few messages of an
 * Anki package (its meta member, the media map, the note type, deck and
 * preset blobs of a collection).
 *
 * Not a protobuf library: no schema, no generated code. A reader walks a
 * message field by field (pb_next) and the caller picks the numbers it
 * knows; every other field, of any wire type but the long-dead groups, is
 * stepped over, as protobuf itself skips unknown fields. A writer appends
 * fields to a struct buf. Pure: no I/O.
 */
#ifndef LEMMA_BASE_PBWIRE_H
#define LEMMA_BASE_PBWIRE_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/xmalloc.h"

enum pb_wire {
	PB_VARINT = 0,
	PB_FIXED64 = 1,
	PB_LEN = 2,
	PB_FIXED32 = 5,
};

/* A message being read: the bytes left. */
struct pb_reader {
	const uint8_t	*p;
	const uint8_t	*end;
};

/* One field as read: for PB_VARINT, PB_FIXED32 and PB_FIXED64 the value
 * is in v; for PB_LEN the bytes are p[0..n), inside the message. */
struct pb_field {
	uint32_t	 num;
	enum pb_wire	 wire;
	uint64_t	 v;
	const uint8_t	*p;
	size_t		 n;
};

void	pb_reader_init(struct pb_reader *r, const void *data, size_t n);
/* The next field: 1, 0 at the end of the message, -1 when the bytes are
 * not a message (a truncated value, a varint over 10 bytes, field number
 * 0, a group or an unknown wire type). */
int	pb_next(struct pb_reader *r, struct pb_field *f);

/* A field's value as the scalar types Anki's messages use. */
int32_t	pb_as_sint32(const struct pb_field *f);	/* zigzag */
float	pb_as_float(const struct pb_field *f);	/* fixed32 */
/*
 * A repeated float, packed (one PB_LEN field, proto3's way) or not (one
 * PB_FIXED32 field per value): the values of this field are appended to
 * *v (count *n, capacity *cap; VEC_RESERVE's rule). -1 when a packed run
 * is not a whole number of floats.
 */
int	pb_floats(const struct pb_field *f, float **v, size_t *n, size_t *cap);

/* Writing: each appends one field to out. Following proto3, a scalar
 * that is zero (and an empty string) is left out, except by pb_put_len,
 * which always writes. */
void	pb_put_varint(struct buf *out, uint32_t num, uint64_t v);
void	pb_put_sint32(struct buf *out, uint32_t num, int32_t v);
void	pb_put_float(struct buf *out, uint32_t num, float v);
void	pb_put_len(struct buf *out, uint32_t num, const void *p, size_t n);
void	pb_put_str(struct buf *out, uint32_t num, const char *s);
/* A repeated float, packed; nothing when n is 0. */
void	pb_put_floats(struct buf *out, uint32_t num, const float *v, size_t n);

#endif
