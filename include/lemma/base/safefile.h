/*
 * safefile.h - a file written whole or not at all.
 *
 * Owns the way lemma replaces a file the user named (export -o): the data
 * goes to a new temporary file beside the target (created exclusively, so
 * never through a link an attacker planted), is synced, and is renamed
 * over the target in one step, then the directory is synced. A write that
 * fails (a full disk) removes the temporary file and leaves the old file
 * as it was. An existing target is replaced only when the caller says
 * force; a symbolic link is then replaced itself, never written through.
 * Never prints.
 */
#ifndef LEMMA_SAFEFILE_H
#define LEMMA_SAFEFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "lemma/base/err.h"

struct safefile {
	FILE	*f;		/* write here between open and commit */
	char	*path;		/* the target */
	char	*tmp;		/* the temporary file beside it */
	int	 force;		/* replace an existing target */
	int	 existed;	/* the target existed at open */
};

/*
 * Start writing path. Without force an existing path (a file, a link, or
 * anything else) is refused: "PATH exists; use --force to replace it".
 * With force, a regular file or a symbolic link to one is replaced (the
 * file keeps its mode); anything else is refused. Returns 0, or -1 with e.
 */
int	safefile_open(struct safefile *sf, const char *path, int force,
	    struct err *e);

/*
 * Flush, sync and rename the temporary file over the target. Returns 0
 * when the new file is in place, or -1 with e: the temporary file is then
 * gone and the target as it was. sf is finished either way.
 */
int	safefile_commit(struct safefile *sf, struct err *e);

/* Give up: remove the temporary file; the target is untouched. */
void	safefile_abort(struct safefile *sf);

#endif
