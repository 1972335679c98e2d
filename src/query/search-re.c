/*
 * search-re.c - PCRE2 for the search language. See search-re.h.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH	8

#include "search-re.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "lemma/base/xmalloc.h"

struct search_re {
	pcre2_code		*code;
	pcre2_match_data	*md;
	int			 jit;	/* the JIT took the pattern */
	struct buf		*copy;	/* the subject, padded (below) */
};

/*
 * PCRE2's JIT reads its subject 16 bytes at a time, past the end of the
 * last whole chunk (harmless on a real page, but memcheck reports it, and
 * the subject is SQLite's buffer, not ours). A JIT match runs on a copy
 * with this many zero bytes after it, so every read is inside memory the
 * copy owns.
 */
#define JIT_SLACK	32

struct search_re *
search_re_compile(const char *pattern, char *msg, size_t len, size_t *at)
{
	struct search_re *re;
	PCRE2_SIZE off = 0;
	int code = 0;
	pcre2_code *c;

	/*
	 * UTF and UCP: as Rust's regex, \w \d \b and case-insensitive
	 * matching know all of Unicode. MATCH_INVALID_UTF: a field with a
	 * bad byte is still searched (the bytes around it match).
	 */
	c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
	if (c == NULL) {
		PCRE2_UCHAR buf[256];

		if (pcre2_get_error_message(code, buf, sizeof buf) < 0)
			snprintf((char *)buf, sizeof buf, "error %d", code);
		snprintf(msg, len, "%s", (const char *)buf);
		*at = off;
		return NULL;
	}
	/* The JIT makes a scan over every note several times faster; where
	 * it is missing, the interpreter gives the same answers. */
	re = xmalloc(sizeof *re);
	re->jit = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
	re->copy = xmalloc(sizeof *re->copy);
	buf_init(re->copy);
	re->code = c;
	if ((re->md = pcre2_match_data_create_from_pattern(c, NULL)) == NULL)
		fatal("out of memory");
	return re;
}

int
search_re_match(const struct search_re *re, const char *text, size_t len)
{
	if (re->jit) {
		buf_reset(re->copy);
		buf_add(re->copy, text, len);
		for (int i = 0; i < JIT_SLACK; i++)
			buf_addc(re->copy, '\0');
		text = re->copy->data;
	}
	return pcre2_match(re->code, (PCRE2_SPTR)text, len, 0, 0, re->md,
	    NULL) >= 0;
}

void
search_re_free(struct search_re *re)
{
	if (re == NULL)
		return;
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	buf_free(re->copy);
	free(re->copy);
	free(re);
}
