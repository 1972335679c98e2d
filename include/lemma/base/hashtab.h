/*
 * hashtab.h - a hash table of 64-bit keys, for sets of ids and for
 * indexes by a hash.
 *
 * Open addressing with linear probing, at most half full, so a lookup
 * reads one or two slots. Keys are not 0 (0 marks an empty slot). Each
 * entry may carry a value of vsize bytes; with vsize 0 the table is a set.
 * The same key may be added more than once (an index by a hash holds
 * every entry with that hash; hashtab_next visits them in the order they
 * were added). Import indexes notes and decks with it; the study queue
 * keeps the notes it has seen.
 */
#ifndef LEMMA_BASE_HASHTAB_H
#define LEMMA_BASE_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

struct hashtab {
	uint64_t	*keys;		/* cap slots; 0: empty */
	unsigned char	*vals;		/* cap values of vsize bytes */
	size_t		 vsize;
	size_t		 first;		/* slots at the first add */
	size_t		 cap, n;	/* cap: 0 or a power of two */
};

/* An empty table; nothing is allocated until the first add. first (a
 * power of two) is the number of slots to start with. */
#define HASHTAB_INIT(vsize, first)	{ NULL, NULL, (vsize), (first), 0, 0 }

/* Where hashtab_next starts. */
#define HASHTAB_START	((size_t)-1)

void	 hashtab_free(struct hashtab *t);

/* Add an entry for key (another one if key is there already); returns its
 * value, vsize zero bytes for the caller to fill (NULL for a set). */
void	*hashtab_add(struct hashtab *t, uint64_t key);

/* Add key unless it is there: 1 when added, 0 when it was there. */
int	 hashtab_put(struct hashtab *t, uint64_t key);

/* Whether key is in t. */
int	 hashtab_has(const struct hashtab *t, uint64_t key);

/* The value of the next entry for key after *pos (start with *pos =
 * HASHTAB_START), or NULL when there are no more. A set's entries have
 * no value: use hashtab_has. */
void	*hashtab_next(const struct hashtab *t, uint64_t key, size_t *pos);

#endif
