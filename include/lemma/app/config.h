/*
 * config.h - the user's settings file, $XDG_CONFIG_HOME/lemma/config.yaml.
 *
 * Owns struct config and the list of keys the file may hold. The caller
 * (main.c, through paths) finds the file; this module does no environment
 * lookups, and reads YAML only through yamldoc_read_pairs(), so that it
 * never sees libyaml. A key it does not know is an error with
 * its line and column, so a typo is never silently ignored.
 */
#ifndef LEMMA_CONFIG_H
#define LEMMA_CONFIG_H

#include "lemma/base/err.h"

struct config {
	char	 theme[256];	/* `theme:` name or path; "" when not set */
	/* A new setting is a field here and a row in config.c's keys[]. */
};

/* The settings lemma uses when the file does not say otherwise. */
void	config_init(struct config *c);

/*
 * Read the file at path over c. A missing file is not an error (0, c
 * unchanged). On a YAML error, an unknown or repeated key, or a bad value,
 * c is unchanged, e holds "path:line:col: message" and -1 is returned.
 */
int	config_load(struct config *c, const char *path, struct err *e);

#endif
