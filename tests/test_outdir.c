/* Output directories (sim/output/outdir.c): created as mkdir -p does,
 * refused when not a directory, and switched to a new set of files only on
 * commit, with the stale outputs of other kinds removed and nothing else. */
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
	int rc = ts_outdir_open(d, dir, n, err);
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
	assert_int_equal(ts_outdir_open(&d, dir, 1, &err), TS_OK);
	expect_entries(dir, "firms.csv");
	ts_outdir_close(&d);
	ts_outdir_close(&d);  /* safe to repeat */
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
	};
	return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
