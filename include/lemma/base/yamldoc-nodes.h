/*
 * yamldoc-nodes.h - a YAML file as one libyaml document, for a reader that
 * walks nested nodes (theme.c). Includes <yaml.h>: only the YAML readers
 * include this header. The limits are yamldoc.h's.
 */
#ifndef LEMMA_BASE_YAMLDOC_NODES_H
#define LEMMA_BASE_YAMLDOC_NODES_H

#include <stddef.h>

#include <yaml.h>

#include "lemma/base/err.h"
#include "lemma/base/yamldoc.h"

struct yamldoc {
	const char	*path;		/* as the caller wrote it, for messages */
	char		*data;
	size_t		 len;
	yaml_document_t	 doc;
	int		 has_doc;
};

/* Read and parse f->path (set by the caller; the rest is filled). On
 * success f->doc holds the one document (with no root for an empty file);
 * free it with yamldoc_free(). A second document, an undefined alias, too
 * deep a nesting, a file that is too large or not a regular file, or text
 * that is not UTF-8 is an error at its line and column. */
int		 yamldoc_open(struct yamldoc *f, struct err *e);
void		 yamldoc_free(struct yamldoc *f);

/* The node at index (NULL when there is none), and a scalar's text. */
yaml_node_t	*yamldoc_node(struct yamldoc *f, int index);
const char	*yamldoc_scalar(const yaml_node_t *n);
/* An empty plain scalar: `key:` with nothing after it, or `fg: #abc`,
 * where YAML reads the '#' as the start of a comment. */
int		 yamldoc_is_empty(const yaml_node_t *n);
/* The key and value of a mapping pair; an error unless the key is a
 * scalar. */
int		 yamldoc_pair_key(struct yamldoc *f, yaml_node_pair_t *pr,
		    yaml_node_t **key, yaml_node_t **val, struct err *e);
/* What kind of node n is, for messages: "a list", "a mapping"... */
const char	*yamldoc_type_name(const yaml_node_t *n);
/* Set e at node's line and column (1-based); returns -1. */
int		 yamldoc_err(struct err *e, const char *path,
		    const yaml_node_t *node, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));

#endif
