/*
 * test_screen_media.c - M in the study view and the browser's preview:
 * the card's images and sounds with their paths under the media folder
 * ($XDG_DATA_HOME/lemma/media) and whether each is there; a choice opens
 * the file with the xdg-open found on PATH (here a script that records its
 * arguments), never through a shell, and lemma's screen comes back; a
 * name with escape sequences is shown, not sent.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "screen-util.h"

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * A progress file with one note in deck Media: an image on the front
 * (there), a sound and a missing image on the back, and an image whose
 * name holds an escape sequence (&#27; in the HTML). The media folder
 * under st_path("xdg"), and a fake xdg-open in st_path("bin") that
 * writes its argument count and arguments to st_path("opened.txt").
 */
static void
make_media(const char *db)
{
	const char *imp[] = { "import", NULL, NULL };
	char out[4096], dir[1024];

	write_file(st_path("m.txt"), "#separator:tab\n#html:true\n#deck:Media\n"
	    "A cat <img src=\"cat's eye.png\">\tMeow [sound:meow.mp3] "
	    "<img src=\"gone.png\"> <img src=\"t&#27;]0;pwned&#7;.png\">\n");
	imp[1] = st_path("m.txt");
	assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	snprintf(dir, sizeof dir, "%s", st_path("xdg"));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s", st_path("xdg/lemma"));
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s", st_path("xdg/lemma/media"));
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(st_path("xdg/lemma/media/cat's eye.png"), "png");
	write_file(st_path("xdg/lemma/media/meow.mp3"), "mp3");
	snprintf(dir, sizeof dir, "%s", st_path("bin"));
	assert_int_equal(mkdir(dir, 0700), 0);
	{
		char script[2048];

		snprintf(script, sizeof script, "#!/bin/sh\n"
		    "printf '%%s\\n' \"$#\" \"$@\" > '%s'\n", st_path("opened.txt"));
		write_file(st_path("bin/xdg-open"), script);
		assert_int_equal(chmod(st_path("bin/xdg-open"), 0700), 0);
	}
}

static void
test_study_media(void **state)
{
	char db[1024], path_env[2048], xdg_env[1024], want[1024];
	const char *env[3];
	const char *opened;
	struct vt *vt;
	size_t rawlen;
	const char *raw;

	(void)state;
	/* st_path() reuses its buffer: keep a copy. */
	snprintf(db, sizeof db, "%s", st_path("media.db"));
	make_media(db);
	snprintf(path_env, sizeof path_env, "PATH=%s:/usr/bin:/bin",
	    st_path("bin"));
	snprintf(xdg_env, sizeof xdg_env, "XDG_DATA_HOME=%s", st_path("xdg"));
	env[0] = path_env;
	env[1] = xdg_env;
	env[2] = NULL;
	vt = st_start(db, NULL, env, 30, 120);
	st_expect(vt, "Media");
	vt_send(vt, "\r");
	st_expect(vt, "[image: cat's eye.png]");
	/* The front: only the question's media. */
	vt_send(vt, "M");
	st_expect(vt, "The card's media");
	snprintf(want, sizeof want, "%s/lemma/media", st_path("xdg"));
	st_expect(vt, "1  image cat's eye.png");
	assert_false(vt_contains(vt, "meow.mp3"));
	vt_send(vt, "\033");
	st_expect_gone(vt, "The card's media");
	/* The back: every file, with its path and whether it is there. */
	vt_send(vt, " ");
	st_expect(vt, "[sound: meow.mp3]");
	vt_mark(vt);
	vt_send(vt, "M");
	st_expect(vt, "2  sound meow.mp3");
	st_expect(vt, "3  image gone.png");
	st_expect(vt, "(missing)");
	st_expect(vt, "4  image t");
	/* The name's escape sequence is drawn as a picture, never sent. */
	raw = vt_raw_since_mark(vt, &rawlen);
	assert_null(memmem(raw, rawlen, "\033]0;pwned", 9));
	/* Opening the missing one: a message, no xdg-open. */
	vt_send(vt, "3");
	st_expect(vt, "gone.png is not in the media folder.");
	assert_null(slurp(st_path("opened.txt")));
	/* Opening the first: xdg-open gets its full path as one argument,
	 * and lemma's screen is back. */
	vt_send(vt, "M");
	st_expect(vt, "The card's media");
	vt_send(vt, "1");
	st_expect(vt, "Opened cat's eye.png with xdg-open.");
	st_expect(vt, "Again");
	opened = slurp(st_path("opened.txt"));
	assert_non_null(opened);
	snprintf(want, sizeof want, "1\n%s/lemma/media/cat's eye.png\n",
	    st_path("xdg"));
	assert_string_equal(opened, want);
	st_quit(vt);
}

/* The browser's preview: the same list for the selected card; without
 * xdg-open on PATH the paths are shown and nothing is run. */
static void
test_browse_media(void **state)
{
	char db[1024], xdg_env[1024];
	const char *env[3];
	struct vt *vt;

	(void)state;
	snprintf(db, sizeof db, "%s", st_path("browse-media.db"));
	remove(st_path("opened.txt"));
	/* A second set of files under the same folders. */
	{
		const char *imp[] = { "import", NULL, NULL };
		char out[4096];

		write_file(st_path("b.txt"), "#separator:tab\n#html:true\n"
		    "#deck:Media\nDog <img src=\"dog.png\">\tWoof\n");
		imp[1] = st_path("b.txt");
		assert_int_equal(st_run(db, imp, out, sizeof out), 0);
	}
	snprintf(xdg_env, sizeof xdg_env, "XDG_DATA_HOME=%s", st_path("xdg"));
	env[0] = xdg_env;
	env[1] = "PATH=/nonexistent";
	env[2] = NULL;
	vt = st_start(db, NULL, env, 30, 120);
	st_expect(vt, "Media");
	vt_send(vt, "b");
	st_expect(vt, "[image: dog.png]");
	vt_send(vt, "M");
	st_expect(vt, "The card's media");
	st_expect(vt, "1  image dog.png");
	st_expect(vt, "xdg-open is not on PATH");
	vt_send(vt, "1");
	st_expect(vt, "xdg-open is not on PATH; the file is");
	assert_null(slurp(st_path("opened.txt")));
	st_quit(vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_study_media),
		cmocka_unit_test(test_browse_media),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
