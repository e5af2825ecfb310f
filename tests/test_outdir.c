/* Output directories (sim/output/outdir.c): created as mkdir -p does,
 * refused when not a directory, and switched to a new set of files only on
 * commit, with the stale outputs of other kinds removed and nothing else;
 * and what they hold (dir_contents.c): another kind of output or another
 * scenario's refused, saying what is there, or cleared with force, which
 * never removes a file tradesim does not write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "dir_listing.h"
#include "output/outdir.h"

static void expect_entries(const char *dir, const char *expected)
{
	char left[2048];
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, expected);
}

static void write_in(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	tu_write_file(path, text);
}

/* Opens d on dir and writes each of the NULL-terminated names (the last one
 * vouching for the others, as run.json does) with the text "new". */
static int write_set(ts_outdir *d, const char *dir, const char *const *names, ts_error *err)
{
	int n = 0;
	while (names[n])
		n++;
	int rc = ts_outdir_open(d, dir, n, NULL, err);
	for (int i = 0; i < n && rc == TS_OK; i++) {
		ts_csv *f = ts_outdir_add(d);
		rc = ts_csv_open(f, dir, names[i], NULL, err);
		if (rc == TS_OK) {
			ts_csv_text(f, "new");
			rc = ts_csv_close(f, err);
		}
	}
	return rc;
}

static void nested_directories_are_made_and_an_existing_one_is_fine(void **state)
{
	(void)state;
	char base[256], path[512];
	tu_make_dir(base, sizeof base, "outdir_nested");
	snprintf(path, sizeof path, "%s/a/b/c", base);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_make_dirs(path, &err), TS_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(ts_make_dirs(path, &err), TS_OK);
	snprintf(path, sizeof path, "%s/a/d/", base);  /* a trailing slash */
	assert_int_equal(ts_make_dirs(path, &err), TS_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(err.status, TS_OK);
}

static void an_output_path_that_is_a_file_or_under_one_is_refused(void **state)
{
	(void)state;
	char base[256], path[512];
	tu_make_dir(base, sizeof base, "outdir_file");
	write_in(base, "plain", "x");
	snprintf(path, sizeof path, "%s/plain", base);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_make_dirs(path, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "plain: output path is not a directory"));
	snprintf(path, sizeof path, "%s/plain/sub", base);
	ts_error_clear(&err);
	assert_int_equal(ts_make_dirs(path, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "plain/sub: cannot create output directory: "));
	assert_non_null(strstr(err.message, strerror(ENOTDIR)));
}

/* Old outputs of every kind tradesim writes go, unless a new file takes the
 * name; files tradesim never writes stay. */
static void a_commit_replaces_the_old_outputs_and_keeps_other_files(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "outdir_commit");
	const char *old[] = {"firms.csv", "markets.csv", "summary_firms.csv", "compare_markets.csv", "reps.csv",
	                     "scenario.cfg", "run.json", "notes.txt", "summary_notes.csv"};
	for (size_t i = 0; i < sizeof old / sizeof old[0]; i++)
		write_in(dir, old[i], "old");
	const char *const names[] = {"firms.csv", "reps.csv", "run.json", NULL};
	ts_outdir d;
	ts_error err = TS_ERROR_INIT;
	int rc = write_set(&d, dir, names, &err);
	assert_int_equal(ts_outdir_commit(&d, rc, &err), TS_OK);
	ts_outdir_close(&d);
	expect_entries(dir, "firms.csv notes.txt reps.csv run.json summary_notes.csv");
	for (int i = 0; names[i]; i++) {
		char *text = tu_read_in(dir, names[i]);
		assert_string_equal(text, "new");
		free(text);
	}
}

/* A failed set commits nothing: the old outputs stay as they were and the
 * new temporaries go. */
static void a_failed_set_leaves_the_old_outputs_untouched(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "outdir_failed");
	write_in(dir, "firms.csv", "old");
	write_in(dir, "run.json", "old");
	const char *const names[] = {"firms.csv", "run.json", NULL};
	ts_outdir d;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(write_set(&d, dir, names, &err), TS_OK);
	assert_int_equal(ts_outdir_commit(&d, TS_ERUN, &err), TS_ERUN);
	ts_outdir_close(&d);
	ts_outdir_close(&d);  /* safe to repeat once it held files */
	expect_entries(dir, "firms.csv run.json");
	char *text = tu_read_in(dir, "run.json");
	assert_string_equal(text, "old");
	free(text);
}

/* An old run.json that cannot be removed (here a directory with a file in
 * it) stops the commit before any file moves. */
static void an_old_run_json_that_cannot_go_stops_the_commit(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "outdir_stuck");
	snprintf(path, sizeof path, "%s/run.json", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_in(path, "inside", "x");
	write_in(dir, "firms.csv", "old");
	const char *const names[] = {"firms.csv", "run.json", NULL};
	ts_outdir d;
	ts_error err = TS_ERROR_INIT;
	int rc = write_set(&d, dir, names, &err);
	assert_int_equal(ts_outdir_commit(&d, rc, &err), TS_EIO);
	assert_non_null(strstr(err.message, "run.json: cannot replace"));
	ts_outdir_close(&d);
	expect_entries(dir, "firms.csv run.json");
	char *text = tu_read_in(dir, "firms.csv");
	assert_string_equal(text, "old");
	free(text);
}

/* A stale output that cannot be removed (a directory with a file in it,
 * under the name of a summary) stops the commit with its path. */
static void a_stale_output_that_cannot_go_stops_the_commit(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "outdir_stale");
	snprintf(path, sizeof path, "%s/summary_firms.csv", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_in(path, "inside", "x");
	const char *const names[] = {"firms.csv", "run.json", NULL};
	ts_outdir d;
	ts_error err = TS_ERROR_INIT;
	int rc = write_set(&d, dir, names, &err);
	assert_int_equal(ts_outdir_commit(&d, rc, &err), TS_EIO);
	assert_non_null(strstr(err.message, "summary_firms.csv: cannot remove the output of an earlier run"));
	ts_outdir_close(&d);
	expect_entries(dir, "summary_firms.csv");
}

/* Opening clears the temporaries a killed writer left, and only them. */
static void opening_removes_stale_temporaries_only(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "outdir_temps");
	write_in(dir, ".firms.csv.1.a.0.tmp", "dead");
	write_in(dir, "firms.csv", "kept");
	ts_outdir d;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_outdir_open(&d, dir, 1, NULL, &err), TS_OK);
	expect_entries(dir, "firms.csv");
	ts_outdir_close(&d);
	ts_outdir_close(&d);  /* safe to repeat */
}

/* ---- claims (dir_contents.c) ---- */

static int claim(const char *dir, ts_output_kind kind, const char *scenario, const char *scenario_b, int force,
                 ts_error *err)
{
	ts_output_claim c = {kind, scenario, scenario_b, force};
	ts_error_clear(err);
	return ts_output_claim_dir(dir, &c, err);
}

static void expect_refusal(const char *dir, ts_output_kind kind, const char *scenario, const char *message_after_dir)
{
	ts_error err = TS_ERROR_INIT;
	char expected[1024];
	snprintf(expected, sizeof expected, "%s %s", dir, message_after_dir);
	assert_int_equal(claim(dir, kind, scenario, kind == TS_OUTPUT_COMPARISON ? scenario : NULL, 0, &err),
	                 TS_EINPUT);
	assert_string_equal(err.message, expected);
}

static const char sweep_json[] = "{\"tradesim_version\": \"0.1.0\", \"sweep\": \"s.cfg\", \"scenario\": \"y.cfg\"}";

/* Every kind of output says what it holds, to every other kind; an empty
 * directory, and the same kind of the same scenario, are fine (a sweep's
 * directory to any sweep: the journal tells sweeps apart). */
static void a_directory_of_another_kind_of_output_is_refused_saying_what_is_there(void **state)
{
	(void)state;
	char dir[256];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "claim_kinds");
	for (int k = 0; k < TS_OUTPUT_KINDS; k++)
		assert_int_equal(claim(dir, (ts_output_kind)k, "x.cfg", "x.cfg", 0, &err), TS_OK);
	write_in(dir, "sweep.json", sweep_json);
	write_in(dir, "sweep.csv", "run\n");
	expect_refusal(dir, TS_OUTPUT_RUN, "y.cfg", "holds a sweep of y.cfg (sweep.json); use --force to replace it "
	               "or another -o");
	expect_refusal(dir, TS_OUTPUT_COMPARISON, "y.cfg", "holds a sweep of y.cfg (sweep.json); use --force to "
	               "replace it or another -o");
	assert_int_equal(claim(dir, TS_OUTPUT_SWEEP, "z.cfg", NULL, 0, &err), TS_OK);
	char path[512];
	snprintf(path, sizeof path, "%s/sweep.json", dir);
	assert_int_equal(unlink(path), 0);
	expect_refusal(dir, TS_OUTPUT_REPLICATIONS, "y.cfg", "holds a sweep's files without its sweep.json "
	               "(sweep.csv); use --force to replace them or another -o");
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	assert_int_equal(unlink(path), 0);
	write_in(dir, "run.json", "{\"kind\": \"replications\", \"scenario\": \"x.cfg\", \"reps\": 20}");
	expect_refusal(dir, TS_OUTPUT_SWEEP, "x.cfg", "holds 20 replications of x.cfg (run.json); use --force to "
	               "replace it or another -o");
	expect_refusal(dir, TS_OUTPUT_RUN, "x.cfg", "holds 20 replications of x.cfg (run.json); use --force to "
	               "replace it or another -o");
	assert_int_equal(claim(dir, TS_OUTPUT_REPLICATIONS, "x.cfg", NULL, 0, &err), TS_OK);
	expect_refusal(dir, TS_OUTPUT_REPLICATIONS, "w.cfg", "holds 20 replications of x.cfg (run.json), not of "
	               "w.cfg; use --force to replace it or another -o");
}

/* run.json of earlier versions has no "kind": its keys tell. */
static void a_run_json_without_kind_is_read_by_its_keys(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "claim_legacy");
	write_in(dir, "run.json", "{\"scenario_a\": \"a.cfg\", \"scenario_b\": \"b.cfg\", \"reps\": 3}");
	expect_refusal(dir, TS_OUTPUT_REPLICATIONS, "a.cfg", "holds a comparison of a.cfg and b.cfg (run.json); use "
	               "--force to replace it or another -o");
	write_in(dir, "run.json", "{\"scenario\": \"a.cfg\", \"reps\": 3}");
	expect_refusal(dir, TS_OUTPUT_RUN, "a.cfg", "holds 3 replications of a.cfg (run.json); use --force to replace "
	               "it or another -o");
	write_in(dir, "run.json", "{\"scenario\": \"a.cfg\", \"seed\": 3}");
	expect_refusal(dir, TS_OUTPUT_REPLICATIONS, "a.cfg", "holds a run of a.cfg (run.json); use --force to replace "
	               "it or another -o");
}

/* One scenario under two names (./x.cfg, x.cfg) is the same scenario. */
static void the_same_scenario_file_under_another_name_is_the_same_scenario(void **state)
{
	(void)state;
	char dir[256];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "claim_same_file");
	tu_write_file("claim_x.cfg", "");
	write_in(dir, "run.json", "{\"kind\": \"run\", \"scenario\": \"./claim_x.cfg\"}");
	assert_int_equal(claim(dir, TS_OUTPUT_RUN, "claim_x.cfg", NULL, 0, &err), TS_OK);
	unlink("claim_x.cfg");
}

/* Force clears every file tradesim writes (tables, summaries, metadata,
 * sweep files, a sweep's runs/ tree, the plots of analysis/, what run.json
 * lists) and keeps the lock; with a file of the user's anywhere in it (in
 * runs/<run>/ too), it refuses and names them, and nothing goes. */
static void force_clears_tradesim_files_only_and_refuses_the_users(void **state)
{
	(void)state;
	char dir[256], path[512];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "claim_force");
	const char *ours[] = {"firms.csv", "summary_firms.csv", "compare_markets.csv", "reps.csv", "scenario.cfg",
	                      "sweep.csv", "sweep.csv.part", "points.csv", "sweep.json", "sensitivity.csv",
	                      "check.csv", "firms_revenue.png", "ensemble_firms_tech_level.png", "sweep_x.png",
	                      "compare_totals.csv"};
	for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
		write_in(dir, ours[i], "old");
	write_in(dir, "run.json", "{\"kind\": \"comparison\", \"files\": [\"compare_totals.csv\", \"run.json\"]}");
	snprintf(path, sizeof path, "%s/runs", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/runs/7", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	write_in(path, "firms.csv", "old");
	write_in(path, ".tradesim.lock", "");
	write_in(path, "notes.txt", "mine");
	write_in(dir, "summary_notes.txt", "mine");
	snprintf(path, sizeof path, "%s/mine", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	char before[2048];
	assert_int_equal(dir_entries_but_lock(dir, before, sizeof before), 0);
	assert_int_equal(claim(dir, TS_OUTPUT_RUN, "x.cfg", NULL, 1, &err), TS_EINPUT);
	char expected[1024];
	snprintf(expected, sizeof expected, "%s holds files tradesim did not write: ", dir);
	assert_true(strncmp(err.message, expected, strlen(expected)) == 0);
	const char *named[] = {"runs/7/notes.txt", "summary_notes.txt", "mine/", "--force removes only tradesim's"};
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
		if (!strstr(err.message, named[i]))
			fail_msg("'%s' not named in: %s", named[i], err.message);
	expect_entries(dir, before);
	snprintf(path, sizeof path, "%s/runs/7/notes.txt", dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof path, "%s/summary_notes.txt", dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof path, "%s/mine", dir);
	assert_int_equal(rmdir(path), 0);
	write_in(dir, ".tradesim.lock", "");
	if (claim(dir, TS_OUTPUT_RUN, "x.cfg", NULL, 1, &err) != TS_OK)
		fail_msg("forced claim refused: %s", err.message);
	expect_entries(dir, "");
	snprintf(path, sizeof path, "%s/.tradesim.lock", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
}

/* A run.json tradesim cannot read stops a claim, naming it; force clears it. */
static void an_unreadable_run_json_is_refused_and_force_clears_it(void **state)
{
	(void)state;
	char dir[256], expected[1024];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "claim_bad_json");
	write_in(dir, "run.json", "{\"kind\": ");
	assert_int_equal(claim(dir, TS_OUTPUT_RUN, "x.cfg", NULL, 0, &err), TS_EINPUT);
	snprintf(expected, sizeof expected, "%s holds a run.json that tradesim cannot read (%s/run.json:1: ", dir, dir);
	assert_true(strncmp(err.message, expected, strlen(expected)) == 0);
	assert_int_equal(claim(dir, TS_OUTPUT_RUN, "x.cfg", NULL, 1, &err), TS_OK);
	expect_entries(dir, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nested_directories_are_made_and_an_existing_one_is_fine),
		cmocka_unit_test(an_output_path_that_is_a_file_or_under_one_is_refused),
		cmocka_unit_test(a_commit_replaces_the_old_outputs_and_keeps_other_files),
		cmocka_unit_test(a_failed_set_leaves_the_old_outputs_untouched),
		cmocka_unit_test(an_old_run_json_that_cannot_go_stops_the_commit),
		cmocka_unit_test(a_stale_output_that_cannot_go_stops_the_commit),
		cmocka_unit_test(opening_removes_stale_temporaries_only),
		cmocka_unit_test(a_directory_of_another_kind_of_output_is_refused_saying_what_is_there),
		cmocka_unit_test(a_run_json_without_kind_is_read_by_its_keys),
		cmocka_unit_test(the_same_scenario_file_under_another_name_is_the_same_scenario),
		cmocka_unit_test(force_clears_tradesim_files_only_and_refuses_the_users),
		cmocka_unit_test(an_unreadable_run_json_is_refused_and_force_clears_it),
	};
	return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
