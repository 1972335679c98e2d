/*
 * test_paths.c - where lemma looks for its installed data (themes/,
 * decks/): $LEMMA_DATADIR when set, else the $(pkgdatadir) it was
 * configured with; never the folder it was built in, which an installed
 * binary must not know (and which made two builds in two folders differ).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lemma/base/paths.h"

/* The build passes -DLEMMA_DATADIR='"$(pkgdatadir)"' to every file. */
#ifndef LEMMA_DATADIR
#error "LEMMA_DATADIR is not defined: the build must pass $(pkgdatadir)"
#endif

static void
test_data_dir_from_environment(void **state)
{
	(void)state;
	setenv("LEMMA_DATADIR", "/somewhere/else", 1);
	assert_string_equal(paths_data_dir(), "/somewhere/else");
	unsetenv("LEMMA_DATADIR");
}

/* Unset or empty: the configured folder, whether or not it exists (before
 * the install, it does not), and even when started in the source tree. */
static void
test_data_dir_installed(void **state)
{
	static const char *const values[] = { NULL, "" };
	char cwd[4096];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(LEMMA_SRCDIR), 0);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		if (values[i] == NULL)
			unsetenv("LEMMA_DATADIR");
		else
			setenv("LEMMA_DATADIR", values[i], 1);
		assert_string_equal(paths_data_dir(), LEMMA_DATADIR);
	}
	assert_int_equal(chdir(cwd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_dir_from_environment),
		cmocka_unit_test(test_data_dir_installed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
