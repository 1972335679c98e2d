/*
 * test_fsrs_oracle.c - lemma's fit against fsrs-rs on the same simulated
 * log: bench/optim-oracle.cjs fits the items with the npm binding
 * (@open-spaced-repetition/binding 0.5.0 = fsrs-rs 6.5.0) and scores the
 * defaults, its fit and lemma's with the binding's evaluate. lemma's fit
 * must be within the bounds: log loss <= fsrs-rs's x 1.002 and
 * RMSE(bins) <= fsrs-rs's + 0.002, both below the defaults'.
 *
 * The binding is looked for in $LEMMA_FSRS_BINDING (a node_modules
 * folder), then in the build tree's bench/node/node_modules (where `make
 * bench` installs it); make check never installs it. Without node or the
 * binding the case does not apply.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "../test-note.h"
#include "fsrs-sim.h"
#include "json-mini.h"
#include "lemma/model/fsrs-eval.h"
#include "lemma/model/fsrs-optim.h"

static void
test_oracle(void **state)
{
	const char *src = getenv("LEMMA_SRCDIR"), *build = getenv("LEMMA_BUILDDIR");
	char modules[2048], probe[2300], dir[] = "/tmp/lemma-oracle-XXXXXX";
	char items[64], params[64], out[64], cmd[8192], jerr[128];
	struct fsrs_train_config c;
	struct fsrs_fit_info info;
	struct fsrs_data d;
	struct json *j;
	struct stat st;
	struct err e;
	double w[FSRS_NPARAMS], b_ll, b_rmse, l_ll, l_rmse, d_ll, d_rmse;

	(void)state;
	if (getenv("LEMMA_FSRS_BINDING") != NULL)
		snprintf(modules, sizeof modules, "%s",
		    getenv("LEMMA_FSRS_BINDING"));
	else
		snprintf(modules, sizeof modules, "%s/bench/node/node_modules",
		    build != NULL ? build : ".");
	snprintf(probe, sizeof probe, "%s/@open-spaced-repetition/binding",
	    modules);
	if (system("node --version >/dev/null 2>&1") != 0)
		not_applicable("no node");
	if (stat(probe, &st) != 0)
		not_applicable("no fsrs-rs binding in %s (make bench-optim "
		    "installs it; or set LEMMA_FSRS_BINDING)", modules);
	assert_non_null(mkdtemp(dir));
	snprintf(items, sizeof items, "%s/items.txt", dir);
	snprintf(params, sizeof params, "%s/params.txt", dir);
	snprintf(out, sizeof out, "%s/out.json", dir);

	fsrs_data_init(&d);
	fsrs_sim(&d, fsrs_sim_w_true, 800, 20, 2024, 0);
	print_message("# %zu items from %zu cards\n", d.nitems, d.ncards);
	fsrs_train_config_default(&c);
	if (fsrs_fit(&d, d.nitems, &c, NULL, NULL, w, &info, &e) < 0)
		fail_msg("fit: %s", e.msg);
	assert_int_equal(fsrs_sim_export(&d, items), 0);
	assert_int_equal(fsrs_sim_export_params(w, params), 0);
	fsrs_data_free(&d);
	snprintf(cmd, sizeof cmd, "NODE_PATH='%s' node '%s/bench/optim-oracle.cjs' "
	    "'%s' '%s' 5 > '%s'", modules, src != NULL ? src : ".", items,
	    params, out);
	assert_int_equal(system(cmd), 0);
	j = json_load(out, jerr, sizeof jerr);
	if (j == NULL)
		fail_msg("%s: %s", out, jerr);
	b_ll = json_num(json_get(j, "binding"), "log_loss", -1);
	b_rmse = json_num(json_get(j, "binding"), "rmse_bins", -1);
	l_ll = json_num(json_get(j, "lemma"), "log_loss", -1);
	l_rmse = json_num(json_get(j, "lemma"), "rmse_bins", -1);
	d_ll = json_num(json_get(j, "defaults"), "log_loss", -1);
	d_rmse = json_num(json_get(j, "defaults"), "rmse_bins", -1);
	json_free(j);
	print_message("# binding's evaluate: log loss defaults %.5f fsrs-rs "
	    "%.5f lemma %.5f; RMSE(bins) %.5f %.5f %.5f\n", d_ll, b_ll, l_ll,
	    d_rmse, b_rmse, l_rmse);
	assert_true(b_ll > 0 && l_ll > 0);
	assert_true(l_ll <= b_ll * 1.002);
	assert_true(l_rmse <= b_rmse + 0.002);
	assert_true(l_ll < d_ll);
	unlink(items);
	unlink(params);
	unlink(out);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
