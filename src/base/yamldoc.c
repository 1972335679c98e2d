/*
 * yamldoc.c - YAML files read into one libyaml document, for themes,
 * config.yaml and keys.yaml; see yamldoc.h and yamldoc-nodes.h. With
 * theme.c, the only file that includes <yaml.h>, and the only one that
 * runs libyaml's parser.
 *
 * A file is read whole (at most YAMLDOC_MAX_SIZE bytes, a regular file
 * only), parsed event by event with lists and mappings nested at most
 * YAMLDOC_MAX_NESTING deep, and every error carries path:line:col.
 */
#include "config.h"

#include "lemma/base/yamldoc.h"
#include "lemma/base/yamldoc-nodes.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/err.h"
#include "lemma/base/xmalloc.h"

#define MAX_NESTING	YAMLDOC_MAX_NESTING
#define MAX_FILE_SIZE	YAMLDOC_MAX_SIZE

/* A message about a node: its mark is 0-based, struct err is 1-based. */
int
yamldoc_err(struct err *e, const char *path, const yaml_node_t *node,
    const char *fmt, ...)
{
	char msg[sizeof e->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, path, (unsigned)node->start_mark.line + 1,
	    (unsigned)node->start_mark.column + 1, "%s", msg);
}

const char *
yamldoc_type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a single value";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

void
yamldoc_free(struct yamldoc *f)
{
	if (f->has_doc)
		yaml_document_delete(&f->doc);
	free(f->data);
	f->data = NULL;
	f->has_doc = 0;
}

/* Read the file whole, so a reader error's byte offset can become a line. */
static int
read_all(struct yamldoc *f, struct err *e)
{
	FILE *fp;
	struct buf b;
	char chunk[4096];
	size_t n;

	struct stat st;

	if ((fp = fopen(f->path, "rb")) == NULL)
		return err_set(e, f->path, 0, 0, "cannot open: %s", strerror(errno));
	/* A FIFO or a terminal (inherit: /dev/stdin) would block the start. */
	if (fstat(fileno(fp), &st) == -1 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return err_set(e, f->path, 0, 0, "not a regular file");
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b.len + n > MAX_FILE_SIZE) {
			fclose(fp);
			buf_free(&b);
			return err_set(e, f->path, 0, 0,
			    "file is larger than %d bytes", MAX_FILE_SIZE);
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(fp)) {
		int saved = errno;

		fclose(fp);
		buf_free(&b);
		return err_set(e, f->path, 0, 0, "cannot read: %s", strerror(saved));
	}
	fclose(fp);
	f->len = b.len;
	f->data = buf_steal(&b);
	return 0;
}

static int
yaml_error(struct yamldoc *f, yaml_parser_t *p, struct err *e)
{
	unsigned line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		fatal("out of memory reading %s", f->path);
	case YAML_READER_ERROR:
		/* The reader gives a byte offset, not a mark: count lines. */
		line = 1;
		col = 1;
		for (size_t i = 0; i < p->problem_offset && i < f->len; i++) {
			if (f->data[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)f->data[i] & 0xC0) != 0x80)
				col++;
		}
		return err_set(e, f->path, line, col, "not valid text: %s",
		    p->problem != NULL ? p->problem : "reader error");
	default:
		line = (unsigned)p->problem_mark.line + 1;
		col = (unsigned)p->problem_mark.column + 1;
		if (p->context != NULL)
			return err_set(e, f->path, line, col,
			    "YAML syntax error: %s (%s at line %u)",
			    p->problem != NULL ? p->problem : "unknown problem",
			    p->context, (unsigned)p->context_mark.line + 1);
		return err_set(e, f->path, line, col, "YAML syntax error: %s",
		    p->problem != NULL ? p->problem : "unknown problem");
	}
}

/*
 * Building f->doc from parser events. libyaml's own loader
 * (yaml_parser_load) cannot be stopped early, and its scanner does work
 * for every open flow level at each token: 100,000 '[' took 28 seconds.
 * Here each event is added to the document as it comes, and the 65th
 * level of nesting stops the read at its line and column.
 */
struct anchor {
	char	*name;
	int	 node;
};

struct composer {
	struct yamldoc	*f;
	int		 stack[MAX_NESTING];	/* open lists and mappings */
	int		 key[MAX_NESTING];	/* a mapping's key, awaiting its value */
	char		*anchor[MAX_NESTING];	/* its &name, or NULL */
	int		 depth;
	struct anchor	*anchors;
	size_t		 nanchors;
};

/* Remember a finished node's anchor (&name, which this takes); an alias
 * may then use it. Registered when the node is complete, so a node cannot
 * contain itself. */
static void
anchor_add(struct composer *c, char *name, int node)
{
	if (name == NULL)
		return;
	c->anchors = xreallocarray(c->anchors, c->nanchors + 1,
	    sizeof *c->anchors);
	c->anchors[c->nanchors].name = name;
	c->anchors[c->nanchors].node = node;
	c->nanchors++;
}

static int
anchor_find(const struct composer *c, const yaml_char_t *name)
{
	/* The latest definition wins, as in YAML. */
	for (size_t i = c->nanchors; i-- > 0;)
		if (strcmp(c->anchors[i].name, (const char *)name) == 0)
			return c->anchors[i].node;
	return 0;
}

/* Attach node to whatever is open: the document's root, a list, or a
 * mapping (as its key, then as the value of that key). */
static void
attach(struct composer *c, int node)
{
	yaml_document_t *d = &c->f->doc;
	int top;

	if (c->depth == 0)
		return;		/* the root: the first node added */
	top = c->stack[c->depth - 1];
	if (d->nodes.start[top - 1].type == YAML_SEQUENCE_NODE) {
		if (!yaml_document_append_sequence_item(d, top, node))
			fatal("out of memory");
	} else if (c->key[c->depth - 1] == 0)
		c->key[c->depth - 1] = node;
	else {
		if (!yaml_document_append_mapping_pair(d, top,
		    c->key[c->depth - 1], node))
			fatal("out of memory");
		c->key[c->depth - 1] = 0;
	}
}

/* A mark as struct err's 1-based line and column. */
static int __attribute__((format(printf, 4, 5)))
mark_err(struct err *e, const char *path, yaml_mark_t m, const char *fmt, ...)
{
	char msg[sizeof e->msg];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, path, (unsigned)m.line + 1, (unsigned)m.column + 1,
	    "%s", msg);
}

/* One event into the document; 1 at the end of the stream, 0 to go on,
 * -1 with e filled. */
static int
compose(struct composer *c, yaml_event_t *ev, int *ndocs, struct err *e)
{
	yaml_document_t *d = &c->f->doc;
	const char *path = c->f->path;
	int node;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
		return 0;
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++*ndocs == 1) {
			if (!yaml_document_initialize(d, NULL, NULL, NULL, 1, 1))
				fatal("out of memory");
			c->f->has_doc = 1;
		}
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		return 0;
	default:
		break;
	}
	/* A second document would be silently ignored: refuse it. */
	if (*ndocs > 1)
		return mark_err(e, path, ev->start_mark, "only one YAML "
		    "document is allowed (remove the '---')");
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		if ((node = anchor_find(c, ev->data.alias.anchor)) == 0)
			return mark_err(e, path, ev->start_mark,
			    "YAML syntax error: found undefined alias");
		attach(c, node);
		return 0;
	case YAML_SCALAR_EVENT:
		node = yaml_document_add_scalar(d, NULL,
		    ev->data.scalar.value, (int)ev->data.scalar.length,
		    ev->data.scalar.style);
		if (node == 0)
			fatal("out of memory");
		d->nodes.start[node - 1].start_mark = ev->start_mark;
		d->nodes.start[node - 1].end_mark = ev->end_mark;
		attach(c, node);
		if (ev->data.scalar.anchor != NULL)
			anchor_add(c, xstrdup((const char *)
			    ev->data.scalar.anchor), node);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		const yaml_char_t *anchor;

		if (c->depth == MAX_NESTING)
			return mark_err(e, path, ev->start_mark, "the YAML "
			    "nests more than %d levels of lists and mappings",
			    MAX_NESTING);
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			node = yaml_document_add_sequence(d, NULL,
			    ev->data.sequence_start.style);
			anchor = ev->data.sequence_start.anchor;
		} else {
			node = yaml_document_add_mapping(d, NULL,
			    ev->data.mapping_start.style);
			anchor = ev->data.mapping_start.anchor;
		}
		if (node == 0)
			fatal("out of memory");
		d->nodes.start[node - 1].start_mark = ev->start_mark;
		attach(c, node);
		c->stack[c->depth] = node;
		c->key[c->depth] = 0;
		c->anchor[c->depth] = anchor != NULL ?
		    xstrdup((const char *)anchor) : NULL;
		c->depth++;
		return 0;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		/* libyaml ends only what it started. */
		assert(c->depth > 0);
		c->depth--;
		node = c->stack[c->depth];
		d->nodes.start[node - 1].end_mark = ev->end_mark;
		anchor_add(c, c->anchor[c->depth], node);
		c->anchor[c->depth] = NULL;
		return 0;
	default:
		return 0;
	}
}

/* Read and parse f->path. On success f->doc holds the one document. */
int
yamldoc_open(struct yamldoc *f, struct err *e)
{
	struct composer c;
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, ndocs = 0;

	f->data = NULL;
	f->has_doc = 0;
	if (read_all(f, e) == -1)
		return -1;
	if (!yaml_parser_initialize(&p))
		fatal("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)f->data, f->len);
	memset(&c, 0, sizeof c);
	c.f = f;
	while (rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = yaml_error(f, &p, e);
			break;
		}
		rc = compose(&c, &ev, &ndocs, e);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	for (int i = 0; i < c.depth; i++)
		free(c.anchor[i]);
	for (size_t i = 0; i < c.nanchors; i++)
		free(c.anchors[i].name);
	free(c.anchors);
	if (rc == -1) {
		yamldoc_free(f);
		return -1;
	}
	/* An empty file: a document with no root, as yaml_parser_load gave. */
	if (!f->has_doc) {
		if (!yaml_document_initialize(&f->doc, NULL, NULL, NULL, 1, 1))
			fatal("out of memory");
		f->has_doc = 1;
	}
	return 0;
}

yaml_node_t *
yamldoc_node(struct yamldoc *f, int index)
{
	return yaml_document_get_node(&f->doc, index);
}

const char *
yamldoc_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* An empty plain scalar: `key:` with nothing after it, or `fg: #abc`,
 * where YAML reads the '#' as the start of a comment. */
int
yamldoc_is_empty(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0;
}

/* The key of a mapping pair as a string, or an error if it is not one. */
int
yamldoc_pair_key(struct yamldoc *f, yaml_node_pair_t *pr, yaml_node_t **key,
    yaml_node_t **val, struct err *e)
{
	*key = yamldoc_node(f, pr->key);
	*val = yamldoc_node(f, pr->value);
	if (*key == NULL || *val == NULL)
		return err_set(e, f->path, 0, 0, "malformed YAML document");
	if ((*key)->type != YAML_SCALAR_NODE)
		return yamldoc_err(e, f->path, *key,
		    "a key must be a single word, not %s",
		    yamldoc_type_name(*key));
	return 0;
}

/* ---- key: value files (config.yaml, keys.yaml) -------------------------- */

int
yamldoc_read_pairs(const char *path,
    int (*fn)(void *, const char *, const struct yamldoc_pair *, struct err *),
    void *arg, struct err *e)
{
	struct yamldoc f = { .path = path };
	yaml_node_t *root;
	int rc = 0;

	if (access(path, F_OK) == -1 && errno == ENOENT)
		return 1;
	if (yamldoc_open(&f, e) == -1)
		return -1;
	root = yaml_document_get_root_node(&f.doc);
	if (root != NULL && !yamldoc_is_empty(root) &&
	    root->type != YAML_MAPPING_NODE)
		rc = yamldoc_err(e, path, root, "expected a mapping of key: "
		    "value, not %s", yamldoc_type_name(root));
	else if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
		    rc == 0 && pr < root->data.mapping.pairs.top; pr++) {
			struct yamldoc_pair tp;
			yaml_node_t *k, *v;

			if ((rc = yamldoc_pair_key(&f, pr, &k, &v, e)) == -1)
				break;
			tp.key = yamldoc_scalar(k);
			tp.key_line = (unsigned)k->start_mark.line + 1;
			tp.key_col = (unsigned)k->start_mark.column + 1;
			tp.list_index = 0;
			if (v->type == YAML_SEQUENCE_NODE &&
			    v->data.sequence.items.top >
			    v->data.sequence.items.start) {
				/* key: [a, b]: one call per item, each with
				 * its own place in the file. */
				for (yaml_node_item_t *it =
				    v->data.sequence.items.start; rc == 0 &&
				    it < v->data.sequence.items.top; it++) {
					yaml_node_t *iv = yamldoc_node(&f, *it);
					const yaml_node_t *at = iv != NULL ? iv : v;

					tp.value = iv != NULL && iv->type ==
					    YAML_SCALAR_NODE ? yamldoc_scalar(iv) :
					    NULL;
					tp.value_line = (unsigned)at->start_mark.line
					    + 1;
					tp.value_col = (unsigned)
					    at->start_mark.column + 1;
					tp.list_index++;
					rc = fn(arg, path, &tp, e);
				}
				continue;
			}
			tp.value = v->type == YAML_SCALAR_NODE ?
			    yamldoc_scalar(v) : NULL;
			tp.value_line = (unsigned)v->start_mark.line + 1;
			tp.value_col = (unsigned)v->start_mark.column + 1;
			rc = fn(arg, path, &tp, e);
		}
	}
	yamldoc_free(&f);
	return rc;
}
