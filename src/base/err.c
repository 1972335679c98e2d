/* err.c - errors as values; see err.h. */
#include "config.h"

#include "lemma/base/err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lemma/base/termsafe.h"

int
err_set(struct err *e, const char *path, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	snprintf(e->path, sizeof e->path, "%s", path != NULL ? path : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void
err_clear(struct err *e)
{
	if (e != NULL)
		memset(e, 0, sizeof *e);
}

void
err_format(const struct err *e, char *buf, size_t len)
{
	if (e->path[0] != '\0' && e->line > 0 && e->col > 0)
		snprintf(buf, len, "%s:%u:%u: %s", e->path, e->line, e->col, e->msg);
	else if (e->path[0] != '\0' && e->line > 0)
		snprintf(buf, len, "%s:%u: %s", e->path, e->line, e->msg);
	else if (e->path[0] != '\0')
		snprintf(buf, len, "%s: %s", e->path, e->msg);
	else
		snprintf(buf, len, "%s", e->msg);
}

void
err_print(const struct err *e, FILE *f)
{
	char buf[1200], *safe;

	/* A message quotes file names, deck names and cells: what a
	 * terminal would obey in them is shown, not sent. */
	err_format(e, buf, sizeof buf);
	safe = termsafe_str(buf, 0);
	fprintf(f, "%s\n", safe);
	free(safe);
}
