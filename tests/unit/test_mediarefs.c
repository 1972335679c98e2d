/*
 * test_mediarefs.c - the media names a field gives, against what Anki's
 * extract_media_refs and filename_is_safe give for the same text
 * (rslib/src/text.rs and its tests): quoted, single-quoted and bare src,
 * data of an object, any case, entities decoded, sound tags, and what is
 * not a name (URLs, paths, "..", empty, other tags, a tag never closed).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lemma/base/xmalloc.h"
#include "lemma/formats/mediarefs.h"

static const struct {
	const char	*field;
	const char	*want;	/* the names, each followed by '|' */
} cases[] = {
	{ "", "" },
	{ "plain text", "" },
	{ "<img src=\"a.jpg\">", "a.jpg|" },
	{ "<IMG SRC='b c.png'>", "b c.png|" },
	{ "<img src=bare.gif>", "bare.gif|" },
	{ "<img class=x src=bare.gif width=3>", "bare.gif|" },
	{ "<img alt=\"q\" src=\"x&amp;y.png\" />", "x&y.png|" },
	{ "<object data=\"movie.swf\"></object>", "movie.swf|" },
	{ "<audio src=\"s.mp3\"><source src=\"t.ogg\"></audio>", "s.mp3|t.ogg|" },
	{ "<video controls src=\"v.webm\">", "v.webm|" },
	{ "[sound:one.mp3] and [sound:two.ogg]", "one.mp3|two.ogg|" },
	{ "<img src=\"i.png\">[sound:s.mp3]<img src='j.png'>",
	  "i.png|j.png|s.mp3|" },
	/* not names: a URL, a path, "..", an empty name */
	{ "<img src=\"http://example.com/x.png\">", "" },
	{ "<img src=\"../secret\">[sound:a/b.mp3]", "" },
	{ "[sound:..]<img src=\"..\">", "" },
	{ "<img src=\"\">", "" },
	/* not media tags, or no src */
	{ "<imgx src=\"a.png\"><span src=\"b.png\">", "" },
	{ "<img alt=\"a.png\">", "" },
	{ "<img srcset=\"a.png\">", "" },
	/* a tag that never closes is not one */
	{ "<img src=\"a.png\"", "" },
	/* a src ended by a space then '>' */
	{ "<img src=c.png >", "c.png|" },
	/* [sound:] names run to the first ']' */
	{ "[sound:x]y]", "x|" },
	{ "[sound:", "" },
};

static void
collect(void *arg, const char *name)
{
	struct buf *b = arg;

	buf_adds(b, name);
	buf_addc(b, '|');
}

static void
test_refs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b;
		size_t n, bars = 0;

		buf_init(&b);
		buf_add(&b, "", 0);
		n = mediarefs_each(cases[i].field, collect, &b);
		for (const char *p = cases[i].want; *p != '\0'; p++)
			bars += *p == '|';
		if (strcmp(b.data != NULL ? b.data : "", cases[i].want) != 0 ||
		    n != bars)
			fail_msg("case %zu (%s): got \"%s\" (%zu), want \"%s\"",
			    i, cases[i].field, b.data, n, cases[i].want);
		buf_free(&b);
	}
}

static void
test_name_safe(void **state)
{
	(void)state;
	assert_true(mediarefs_name_safe("a.png"));
	assert_true(mediarefs_name_safe("with space.mp3"));
	assert_false(mediarefs_name_safe(""));
	assert_false(mediarefs_name_safe("."));
	assert_false(mediarefs_name_safe(".."));
	assert_false(mediarefs_name_safe("/etc/passwd"));
	assert_false(mediarefs_name_safe("a/b"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_name_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
