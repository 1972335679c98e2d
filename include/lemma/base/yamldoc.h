/*
 * yamldoc.h - the YAML reader that config.yaml and keys.yaml use: a file's
 * top-level `key: value` pairs, in order. Theme files, which nest, walk
 * the whole document through yamldoc-nodes.h. This header needs no
 * <yaml.h>, so its callers (the config, the key bindings) never see
 * libyaml.
 */
#ifndef LEMMA_BASE_YAMLDOC_H
#define LEMMA_BASE_YAMLDOC_H

#include "lemma/base/err.h"

/* Limits on any YAML file lemma reads: its size (a theme or config is a
 * few KiB) and how deep lists and mappings nest (each level costs libyaml
 * work per token; 100,000 levels took 28 s). */
#define YAMLDOC_MAX_SIZE	(1 << 20)
#define YAMLDOC_MAX_NESTING	64

/*
 * Call fn for each `key: value` pair of the top-level mapping of the file
 * at path, in order; value is NULL when the value is not a scalar (a
 * mapping, an empty list). A non-empty list `key: [a, b]` is one call per
 * item, list_index counting from 1 (0 for a plain value), each with the
 * item's own line and column. Lines and columns are 1-based. fn returns 0 to go on or
 * -1 (having set e) to stop. Returns 0, 1 when path does not exist, or -1
 * with e set ("path:line:col: message") on a YAML error, a top level that
 * is not a mapping, or fn's -1.
 */
struct yamldoc_pair {
	const char	*key;
	const char	*value;
	unsigned	 key_line, key_col;
	unsigned	 value_line, value_col;
	unsigned	 list_index;	/* key: [a, b]: 1, 2 (one call each); else 0 */
};
int	yamldoc_read_pairs(const char *path,
	    int (*fn)(void *arg, const char *path, const struct yamldoc_pair *,
	    struct err *), void *arg, struct err *e);

#endif
