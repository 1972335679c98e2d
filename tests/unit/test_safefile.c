/*
 * test_safefile.c - a file written whole or not at all: the temporary file
 * beside the target, what an existing target, a link, a name made by
 * someone else meanwhile and an abandoned write do.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lemma/base/paths.h"
#include "lemma/base/safefile.h"
#include "lemma/base/xmalloc.h"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/lemma-test-safefile-XXXXXX",
	    paths_tmpdir());
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh directory for one case, and a path in it. */
static char *
case_dir(const char *name)
{
	char *dir = xasprintf("%s/%s", tmpdir, name);

	assert_int_equal(mkdir(dir, 0700), 0);
	return dir;
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The file's text (up to 255 bytes), or "" when missing. */
static const char *
text_of(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;	/* a temporary file (".out.txt-XXXXXX") too */
	closedir(d);
	return n;
}

static void
test_new_and_replace(void **state)
{
	char *dir = case_dir("new"), *path = xasprintf("%s/out.txt", dir);
	struct safefile sf;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(safefile_open(&sf, path, 0, &e), 0);
	fputs("first", sf.f);
	/* Nothing under the real name until the commit. */
	assert_string_equal(text_of(path), "");
	assert_int_equal(entries(dir), 1);
	assert_int_equal(safefile_commit(&sf, &e), 0);
	assert_string_equal(text_of(path), "first");
	assert_int_equal(entries(dir), 1);

	assert_int_equal(safefile_open(&sf, path, 0, &e), -1);
	assert_non_null(strstr(e.msg, "exists; use --force to replace it"));
	assert_int_equal(safefile_open(&sf, path, 1, &e), 0);
	fputs("second", sf.f);
	assert_string_equal(text_of(path), "first");
	assert_int_equal(safefile_commit(&sf, &e), 0);
	assert_string_equal(text_of(path), "second");
	assert_int_equal(entries(dir), 1);
	free(path);
	free(dir);
}

/* Someone makes the name while the file is being written: without force
 * the commit refuses it rather than overwrite, and cleans up. */
static void
test_made_meanwhile(void **state)
{
	char *dir = case_dir("meanwhile"), *path = xasprintf("%s/out.txt", dir);
	struct safefile sf;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(safefile_open(&sf, path, 0, &e), 0);
	fputs("ours", sf.f);
	put(path, "theirs");
	assert_int_equal(safefile_commit(&sf, &e), -1);
	assert_non_null(strstr(e.msg, "exists; use --force to replace it"));
	assert_string_equal(text_of(path), "theirs");
	assert_int_equal(entries(dir), 1);
	free(path);
	free(dir);
}

static void
test_abort_and_links(void **state)
{
	char *dir = case_dir("links"), *path = xasprintf("%s/out.txt", dir);
	char *target = xasprintf("%s/target.txt", dir);
	char *devlink = xasprintf("%s/null", dir);
	struct safefile sf;
	struct err e;

	(void)state;
	err_clear(&e);
	put(target, "keep me");
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(symlink("/dev/null", devlink), 0);

	/* Abandoned: the temporary file goes, the link stays. */
	assert_int_equal(safefile_open(&sf, path, 1, &e), 0);
	fputs("half", sf.f);
	safefile_abort(&sf);
	assert_int_equal(entries(dir), 3);
	assert_string_equal(text_of(target), "keep me");

	/* Replaced: the link itself, not what it points at. */
	assert_int_equal(safefile_open(&sf, path, 1, &e), 0);
	fputs("new", sf.f);
	assert_int_equal(safefile_commit(&sf, &e), 0);
	assert_string_equal(text_of(target), "keep me");
	assert_string_equal(text_of(path), "new");

	/* A link to a device, and a device: never replaced. */
	assert_int_equal(safefile_open(&sf, devlink, 1, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
	assert_int_equal(safefile_open(&sf, "/dev/null", 1, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
	assert_int_equal(entries(dir), 3);
	free(devlink);
	free(target);
	free(path);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_and_replace),
		cmocka_unit_test(test_made_meanwhile),
		cmocka_unit_test(test_abort_and_links),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
