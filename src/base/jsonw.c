/*
 * jsonw.c - JSON strings and numbers (see jsonw.h).
 */
#include "config.h"

#include "lemma/base/jsonw.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lemma/base/termsafe.h"
#include "lemma/base/utf8.h"

void
jsonw_str(struct buf *out, const char *s)
{
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;
	int ok;

	buf_addc(out, '"');
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp, &ok);
		if (cp == '"' || cp == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)cp);
		} else if (cp == '\n')
			buf_adds(out, "\\n");
		else if (cp == '\t')
			buf_adds(out, "\\t");
		else if (termsafe_class(cp, ok) == TERMSAFE_OK)
			buf_add(out, s + i, n);
		else if (cp >= 0x10000)		/* a UTF-16 surrogate pair */
			buf_printf(out, "\\u%04x\\u%04x",
			    (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
			    (unsigned)(0xDC00 + ((cp - 0x10000) & 0x3FF)));
		else	/* an invalid byte decoded to U+FFFD */
			buf_printf(out, "\\u%04x", (unsigned)cp);
		i += n;
	}
	buf_addc(out, '"');
}

void
jsonw_num(struct buf *out, double v)
{
	if (!isfinite(v))
		buf_adds(out, "null");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(out, "%.0f", v);
	else
		buf_printf(out, "%.6g", v);
}
