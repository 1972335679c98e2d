/* config.c - the user's settings file; see config.h. */
#include "config.h"

#include "lemma/app/config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lemma/base/err.h"
#include "lemma/base/yamldoc.h"

/* Every key the file may hold: its name and where its value goes. */
static const struct {
	const char	*name;
	size_t		 offset;	/* of a char array in struct config */
	size_t		 size;
} keys[] = {
	{ "theme", offsetof(struct config, theme), sizeof ((struct config *)0)->theme },
};
#define NKEYS (sizeof keys / sizeof keys[0])

struct reading {
	struct config	 c;
	unsigned char	 seen[NKEYS];
};

static int
config_pair(void *arg, const char *path, const struct yamldoc_pair *p,
    struct err *e)
{
	struct reading *r = arg;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(p->key, keys[i].name) == 0)
			break;
	if (i == NKEYS) {
		char known[256] = "";

		for (size_t j = 0; j < NKEYS; j++)
			snprintf(known + strlen(known), sizeof known - strlen(known),
			    "%s%s", j > 0 ? ", " : "", keys[j].name);
		return err_set(e, path, p->key_line, p->key_col,
		    "unknown setting '%.64s' (known: %s)", p->key, known);
	}
	if (p->list_index > 1)
		return 0;	/* reported with the first item */
	if (p->list_index == 1)
		return err_set(e, path, p->value_line, p->value_col,
		    "'%s' takes one value, not a list", keys[i].name);
	if (r->seen[i]++)
		return err_set(e, path, p->key_line, p->key_col,
		    "'%s' is set twice", keys[i].name);
	if (p->value == NULL || p->value[0] == '\0')
		return err_set(e, path, p->value_line, p->value_col,
		    "'%s' needs a value", keys[i].name);
	if (strlen(p->value) >= keys[i].size)
		return err_set(e, path, p->value_line, p->value_col,
		    "the value of '%s' is too long", keys[i].name);
	memcpy((char *)&r->c + keys[i].offset, p->value, strlen(p->value) + 1);
	return 0;
}

void
config_init(struct config *c)
{
	memset(c, 0, sizeof *c);
}

int
config_load(struct config *c, const char *path, struct err *e)
{
	struct reading r;
	int rc;

	r.c = *c;
	memset(r.seen, 0, sizeof r.seen);
	if ((rc = yamldoc_read_pairs(path, config_pair, &r, e)) == -1)
		return -1;
	if (rc == 0)
		*c = r.c;
	return 0;
}
