/*
 * pbwire.c - the protocol buffers wire format (see pbwire.h).
 *
 * The encoding is the one in protobuf's "Encoding" guide: a field is a
 * varint key (number << 3 | wire type) and a value; varints are 7 bits a
 * byte, least significant first; fixed32/fixed64 are little-endian;
 * length-delimited values are a varint length and the bytes.
 */
#include "config.h"

#include "lemma/base/pbwire.h"

#include <string.h>

void
pb_reader_init(struct pb_reader *r, const void *data, size_t n)
{
	r->p = data;
	r->end = r->p + n;
}

static int
get_varint(struct pb_reader *r, uint64_t *v)
{
	uint64_t x = 0;

	for (int shift = 0; shift < 70; shift += 7) {
		if (r->p >= r->end)
			return -1;
		uint8_t b = *r->p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			*v = x;
			return 0;
		}
	}
	return -1;	/* over 10 bytes */
}

static uint64_t
get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int
pb_next(struct pb_reader *r, struct pb_field *f)
{
	uint64_t key, len;

	if (r->p >= r->end)
		return 0;
	if (get_varint(r, &key) < 0 || (key >> 3) == 0 || (key >> 3) > UINT32_MAX)
		return -1;
	memset(f, 0, sizeof *f);
	f->num = (uint32_t)(key >> 3);
	f->wire = (enum pb_wire)(key & 7);
	switch (key & 7) {
	case PB_VARINT:
		return get_varint(r, &f->v) < 0 ? -1 : 1;
	case PB_FIXED64:
		if (r->end - r->p < 8)
			return -1;
		f->v = get_le(r->p, 8);
		r->p += 8;
		return 1;
	case PB_FIXED32:
		if (r->end - r->p < 4)
			return -1;
		f->v = get_le(r->p, 4);
		r->p += 4;
		return 1;
	case PB_LEN:
		if (get_varint(r, &len) < 0 || len > (uint64_t)(r->end - r->p))
			return -1;
		f->p = r->p;
		f->n = (size_t)len;
		r->p += len;
		return 1;
	default:	/* 3 and 4 are groups (proto2, unused by Anki); 6, 7 none */
		return -1;
	}
}

int32_t
pb_as_sint32(const struct pb_field *f)
{
	uint32_t u = (uint32_t)f->v;

	return (int32_t)((u >> 1) ^ (0u - (u & 1)));
}

float
pb_as_float(const struct pb_field *f)
{
	uint32_t u = (uint32_t)f->v;
	float x;

	memcpy(&x, &u, sizeof x);
	return x;
}

int
pb_floats(const struct pb_field *f, float **v, size_t *n, size_t *cap)
{
	if (f->wire == PB_FIXED32) {
		VEC_RESERVE(*v, *cap, *n + 1, 8);
		(*v)[(*n)++] = pb_as_float(f);
		return 0;
	}
	if (f->wire != PB_LEN || f->n % 4 != 0)
		return -1;
	for (size_t i = 0; i < f->n; i += 4) {
		uint32_t u = (uint32_t)get_le(f->p + i, 4);
		float x;

		memcpy(&x, &u, sizeof x);
		VEC_RESERVE(*v, *cap, *n + 1, 8);
		(*v)[(*n)++] = x;
	}
	return 0;
}

static void
put_raw_varint(struct buf *out, uint64_t v)
{
	char b[10];
	size_t n = 0;

	do {
		b[n] = (char)(v & 0x7f);
		v >>= 7;
		if (v != 0)
			b[n] = (char)(b[n] | 0x80);
		n++;
	} while (v != 0);
	buf_add(out, b, n);
}

static void
put_key(struct buf *out, uint32_t num, enum pb_wire wire)
{
	put_raw_varint(out, (uint64_t)num << 3 | (uint64_t)wire);
}

void
pb_put_varint(struct buf *out, uint32_t num, uint64_t v)
{
	if (v == 0)
		return;
	put_key(out, num, PB_VARINT);
	put_raw_varint(out, v);
}

void
pb_put_sint32(struct buf *out, uint32_t num, int32_t v)
{
	uint32_t u = ((uint32_t)v << 1) ^ (uint32_t)(v >> 31);

	pb_put_varint(out, num, u);
}

static void
put_raw_float(struct buf *out, float v)
{
	uint32_t u;
	char b[4];

	memcpy(&u, &v, sizeof u);
	for (int i = 0; i < 4; i++)
		b[i] = (char)(u >> (8 * i));
	buf_add(out, b, 4);
}

void
pb_put_float(struct buf *out, uint32_t num, float v)
{
	if (v == 0.0f)
		return;
	put_key(out, num, PB_FIXED32);
	put_raw_float(out, v);
}

void
pb_put_len(struct buf *out, uint32_t num, const void *p, size_t n)
{
	put_key(out, num, PB_LEN);
	put_raw_varint(out, n);
	buf_add(out, p, n);
}

void
pb_put_str(struct buf *out, uint32_t num, const char *s)
{
	if (s != NULL && *s != '\0')
		pb_put_len(out, num, s, strlen(s));
}

void
pb_put_floats(struct buf *out, uint32_t num, const float *v, size_t n)
{
	if (n == 0)
		return;
	put_key(out, num, PB_LEN);
	put_raw_varint(out, 4 * (uint64_t)n);
	for (size_t i = 0; i < n; i++)
		put_raw_float(out, v[i]);
}
