/*
 * json-mini.h - a small JSON reader for the tests (not part of the core).
 *
 * Parses a whole document into a tree; enough for the FSRS vector files.
 * Numbers are doubles; strings are decoded (\uXXXX to UTF-8).
 */
#ifndef LEMMA_JSON_MINI_H
#define LEMMA_JSON_MINI_H

#include <stddef.h>

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type	 type;
	double		 num;		/* JSON_NUMBER, JSON_BOOL (0/1) */
	char		*str;		/* JSON_STRING */
	size_t		 n;		/* JSON_ARRAY, JSON_OBJECT: members */
	struct json	*items;		/* n values */
	char		**keys;		/* JSON_OBJECT: n keys */
};

/* Parse text; NULL on error with a message ("line 3: ...") in err. */
struct json		*json_parse(const char *text, char *err, size_t errlen);
/* Read and parse a file; NULL with err filled on failure. */
struct json		*json_load(const char *path, char *err, size_t errlen);
void			 json_free(struct json *j);
/* Free what j holds, not j itself. */
void			 json_free_members(struct json *j);

/* Member key of an object, or NULL (also when j is NULL or not an object). */
const struct json	*json_get(const struct json *j, const char *key);
/* The number at key, or def when absent or not a number. */
double			 json_num(const struct json *j, const char *key, double def);
/* The string at key, or NULL. */
const char		*json_str(const struct json *j, const char *key);
int			 json_is_null(const struct json *j);

#endif
