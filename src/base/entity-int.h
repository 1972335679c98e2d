/*
 * entity-int.h - the generated tables behind entity.c (entity-table.c,
 * written by tools/gen-entities.py).
 */
#ifndef LEMMA_ENTITY_INT_H
#define LEMMA_ENTITY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lemma/base/entity.h"

struct entity_name {
	const char	*name;			/* without '&', with ';' if any */
	uint32_t	 cp[ENTITY_MAX_CPS];	/* unused ones are 0 */
};

extern const struct entity_name	entity_names[];	/* sorted by strcmp */
extern const size_t		entity_names_len;
extern const size_t		entity_name_max;	/* with its ';' */
extern const size_t		entity_legacy_max;	/* names without ';' */
extern const uint16_t		entity_c1[32];		/* &#128; .. &#159; */

#endif
