/*
 * test_mediaref.c - the media files a card's HTML names (mediaref.h), as
 * Anki's extract_media_refs finds them: <img src> in any quoting,
 * [sound:...], entities decoded, each once, remote references left out.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "lemma/render/mediaref.h"

/* "i:name s:name" for what mediaref_each gives. */
static void
collect(void *arg, enum mediaref_kind kind, const char *name)
{
	char *out = arg;
	size_t used = strlen(out);

	snprintf(out + used, 512 - used, "%s%s:%s", used > 0 ? " " : "",
	    kind == MEDIAREF_IMAGE ? "i" : "s", name);
}

static void
test_each(void **state)
{
	static const struct {
		const char	*html;
		const char	*want;
	} cases[] = {
		{ "", "" },
		{ "no media here [sound:] <img>", "" },
		{ "<img src=\"a.png\">", "i:a.png" },
		{ "<IMG SRC='b c.jpg' alt=x>", "i:b c.jpg" },
		{ "<img alt=\"x\" src=d.gif>", "i:d.gif" },
		{ "<img src=e.png/>", "i:e.png" },
		{ "x[sound:f.mp3]y[sound:g h.ogg]", "s:f.mp3 s:g h.ogg" },
		/* Entities in HTML attributes are decoded; not in [sound:]. */
		{ "<img src=\"a&amp;b.png\">[sound:a&amp;b.mp3]",
		  "i:a&b.png s:a&amp;b.mp3" },
		/* Each name once, in order of first appearance. */
		{ "[sound:f.mp3]<img src=a.png>[sound:f.mp3]<img src=a.png>",
		  "s:f.mp3 i:a.png" },
		/* URLs are no file of the media folder (Anki's
		 * is_remote_filename). */
		{ "<img src=\"https://x.org/a.png\"><img src='data:image/png;"
		  "base64,AAAA'><img src=\"HTTP://y/b.png\"><img src=ok.png>",
		  "i:ok.png" },
		/* Not an img tag, and an unclosed sound. */
		{ "<imgx src=a.png><image src=b.png>[sound:c.mp3", "" },
		/* A tag cut short still names its file. */
		{ "<img src=\"z.png\"", "i:z.png" },
		/* Names that try to leave the folder are given as written:
		 * the caller decides (the study view does not open them). */
		{ "<img src=\"../../etc/passwd\">", "i:../../etc/passwd" },
		{ "<img src=\"\x1b]0;t\x07.png\">", "i:\x1b]0;t\x07.png" },
	};
	char out[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out[0] = '\0';
		mediaref_each(cases[i].html, strlen(cases[i].html), collect,
		    out);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu: %s\n got  %s\n want %s", i,
			    cases[i].html, out, cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
