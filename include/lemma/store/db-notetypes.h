/*
 * db-notetypes.h - note types in the progress file (notetypes, nt_fields,
 * nt_templates; migration 6 in db-schema.h).
 *
 * Owns every SQL statement about note types: reading one with its fields
 * and templates, finding one by name, listing them, adding a user's type.
 * The built-in ones (notetype.h's NOTETYPE_BASIC ...) come with the schema.
 */
#ifndef LEMMA_DB_NOTETYPES_H
#define LEMMA_DB_NOTETYPES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lemma/base/err.h"
#include "lemma/model/notetype.h"
#include "lemma/store/db.h"

/* Read note type id into out (free with notetype_free); -1 and e when there
 * is none. */
int	db_notetype_get(struct db *db, int64_t id, struct notetype *out,
	    struct err *e);

/* The id of the type called name: exact first, else the one name matches
 * ignoring ASCII case (Anki's names are unique that way). -1 and e when
 * there is none. */
int64_t	db_notetype_find(struct db *db, const char *name, struct err *e);

/* Every note type by id, each with its fields and templates, into *out
 * (free each with notetype_free, then the array). Returns how many, or -1. */
ssize_t	db_notetype_list(struct db *db, struct notetype **out, struct err *e);

/* How many notes use type id; -1 on error. */
int64_t	db_notetype_use_count(struct db *db, int64_t id, struct err *e);

/*
 * Add nt (its id is ignored) as a new note type, in one transaction: a
 * name already taken, no field, no template, two fields or templates of one
 * name, a template that does not parse (message names it) or a question
 * that can never make a card are errors and nothing is written. Returns
 * the new id, or -1.
 */
int64_t	db_notetype_add(struct db *db, const struct notetype *nt, time_t now,
	    struct err *e);

#endif
