/*
 * hashtab.c - a hash table of 64-bit keys (see hashtab.h).
 */
#include "config.h"

#include "lemma/base/hashtab.h"

#include <stdlib.h>
#include <string.h>

#include "lemma/base/xmalloc.h"

/* The home slot of key: Fibonacci hashing, so that ids in a row (note
 * ids are times in ms) spread over the table as well as hashes do. */
static size_t
home(const struct hashtab *t, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (t->cap - 1);
}

/* The first empty slot from key's home on. */
static size_t
free_slot(const struct hashtab *t, uint64_t key)
{
	size_t i = home(t, key);

	while (t->keys[i] != 0)
		i = (i + 1) & (t->cap - 1);
	return i;
}

/* Room for one more entry with the table at most half full. */
static void
reserve(struct hashtab *t)
{
	struct hashtab old = *t;
	size_t start;

	if ((t->n + 1) * 2 <= t->cap)
		return;
	t->cap = vec_cap_for(old.cap, old.cap + 1, old.first);
	t->keys = xcalloc(t->cap, sizeof *t->keys);
	t->vals = t->vsize > 0 ? xcalloc(t->cap, t->vsize) : NULL;
	/* In probe order, from an empty slot on (the table was at most half
	 * full), so that entries with one key keep the order they were
	 * added in: each lands after the ones before it. */
	for (start = 0; start < old.cap && old.keys[start] != 0; start++)
		;
	for (size_t k = 1; k <= old.cap; k++) {
		size_t i, j = (start + k) & (old.cap - 1);

		if (old.keys[j] == 0)
			continue;
		i = free_slot(t, old.keys[j]);
		t->keys[i] = old.keys[j];
		if (t->vsize > 0)
			memcpy(t->vals + i * t->vsize, old.vals + j * t->vsize,
			    t->vsize);
	}
	free(old.keys);
	free(old.vals);
}

void
hashtab_free(struct hashtab *t)
{
	free(t->keys);
	free(t->vals);
	t->keys = NULL;
	t->vals = NULL;
	t->cap = t->n = 0;
}

void *
hashtab_add(struct hashtab *t, uint64_t key)
{
	size_t i;

	reserve(t);
	i = free_slot(t, key);
	t->keys[i] = key;
	t->n++;
	return t->vsize > 0 ? t->vals + i * t->vsize : NULL;
}

int
hashtab_put(struct hashtab *t, uint64_t key)
{
	size_t i;

	reserve(t);
	for (i = home(t, key); t->keys[i] != 0; i = (i + 1) & (t->cap - 1))
		if (t->keys[i] == key)
			return 0;
	t->keys[i] = key;
	t->n++;
	return 1;
}

int
hashtab_has(const struct hashtab *t, uint64_t key)
{
	if (t->cap == 0)
		return 0;
	for (size_t i = home(t, key); t->keys[i] != 0;
	    i = (i + 1) & (t->cap - 1))
		if (t->keys[i] == key)
			return 1;
	return 0;
}

void *
hashtab_next(const struct hashtab *t, uint64_t key, size_t *pos)
{
	size_t i;

	if (t->cap == 0 || t->vsize == 0)
		return NULL;
	i = *pos == HASHTAB_START ? home(t, key) : (*pos + 1) & (t->cap - 1);
	for (; t->keys[i] != 0; i = (i + 1) & (t->cap - 1))
		if (t->keys[i] == key) {
			*pos = i;
			return t->vals + i * t->vsize;
		}
	return NULL;
}
