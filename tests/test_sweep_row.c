/* A sweep run's row (sim/batch/sweep_row.c) against the same runs done by
 * hand with ts_metrics_run: the point's values applied, the run's seed, a
 * `diff` metric minus the base scenario's (same seed with common seeds, the
 * run's own otherwise), and failed runs as one-line "failed" rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "testutil.h"
#include "small_world.h"
#include "batch/sweep_impl.h"
#include "util/sha256.h"

static ts_sweep *load(int common_seeds, const char *values)
{
	char text[2048];
	snprintf(text, sizeof text,
	         "scenario = \"row_world.cfg\"; design = \"grid\"; replications = 2; seed = 21; common_seeds = %s;\n"
	         "parameters = ( { path = \"countries.CN.home_bias\"; values = [%s]; } );\n"
	         "metrics = ( { name = \"zte\"; series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; },\n"
	         "            { name = \"s_diff\"; series = \"firms.S.revenue_bn_usd\"; diff = true; } );\n",
	         common_seeds ? "true" : "false", values);
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "row.cfg", ".", NULL, 0, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	return s;
}

static int setup(void **state)
{
	(void)state;
	tu_write_file("row_world.cfg", small_world);
	return 0;
}

/* The two metrics of the world with home_bias = bias (NULL: the base
 * scenario) run with seed. */
static void metrics_by_hand(const ts_sweep *s, const char *bias, uint32_t seed, double out[2])
{
	ts_override ov = {"countries.CN.home_bias", bias};
	ts_scenario *scn = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load(&scn, s->scenario_path, &ov, bias ? 1 : 0, &err), TS_OK);
	assert_int_equal(ts_metrics_run(s->metrics, 2, scn, seed, NULL, out, &err), TS_OK);
	ts_scenario_free(scn);
}

static char *row_of(const ts_sweep *s, long run)
{
	char *row = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_run_row(s, run, NULL, 0, &row, &err) != TS_OK)
		fail_msg("%s", err.message);
	return row;
}

/* Run 3 is point 1 (home_bias 0.9), replication 1. */
static void check_run_3(int common_seeds)
{
	ts_sweep *s = load(common_seeds, "0.5, 0.9");
	uint32_t seed = ts_sweep_seed(s, 3);
	uint32_t base_seed = ts_seed_derive(21, common_seeds ? 1 : 3);
	assert_true(seed == ts_seed_derive(21, common_seeds ? 1 : 3));
	double own[2], base[2];
	metrics_by_hand(s, "0.9", seed, own);
	metrics_by_hand(s, NULL, base_seed, base);
	assert_true(own[1] - base[1] != own[1]);  /* the baseline is not zero */
	char expected[512], zte[40], diff[40];
	ts_format_double(zte, sizeof zte, own[0]);
	ts_format_double(diff, sizeof diff, own[1] - base[1]);
	snprintf(expected, sizeof expected, "3,1,1,%lu,0.9,%s,%s,ok,\n", (unsigned long)seed, zte, diff);
	char *row = row_of(s, 3);
	assert_string_equal(row, expected);
	free(row);
	ts_sweep_free(s);
}

static void a_row_holds_the_run_s_metrics_and_the_diff_from_the_baseline_with_the_same_seed(void **state)
{
	(void)state;
	check_run_3(1);
}

static void without_common_seeds_the_baseline_runs_with_the_run_s_own_seed(void **state)
{
	(void)state;
	check_run_3(0);
}

/* A value the scenario rejects fails the run: empty metrics, status
 * failed, the scenario's message on one line (its line breaks flattened). */
static void a_rejected_value_makes_a_failed_row_with_a_one_line_message(void **state)
{
	(void)state;
	ts_sweep *s = load(1, "0.5, -1.0");
	char *row = row_of(s, 2);
	char prefix[64];
	snprintf(prefix, sizeof prefix, "2,1,0,%lu,-1,,,failed,", (unsigned long)ts_sweep_seed(s, 2));
	assert_true(strncmp(row, prefix, strlen(prefix)) == 0);
	assert_non_null(strstr(row, "countries.CN.home_bias"));
	assert_int_equal(tu_count_lines(row), 1);
	assert_true(row[strlen(row) - 1] == '\n');
	char *fields[16];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_row_check(s, 2, row, fields, &err), TS_OK);
	free(row);
	ts_sweep_free(s);
}

/* With --series each run's single-run files go to DIR/runs/RUN, and the
 * row's final metric is the last value there. */
static void a_series_run_writes_its_files_under_runs_and_its_number(void **state)
{
	(void)state;
	ts_sweep *s = load(1, "0.5, 0.9");
	char dir[256], *row = NULL, *path = NULL;
	tu_make_dir(dir, sizeof dir, "row_series");
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run_row(s, 1, dir, 1, &row, &err), TS_OK);
	char runs[512];
	snprintf(runs, sizeof runs, "%s/runs/1", dir);
	char *firms = tu_read_in(runs, "firms.csv");
	assert_int_equal(tu_count_lines(firms), 1 + 10 * 4);
	free(firms);
	free(row);
	assert_int_equal(ts_sweep_series_dir(dir, 12, &path, &err), TS_OK);
	snprintf(runs, sizeof runs, "%s/runs/12", dir);
	assert_string_equal(path, runs);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(path);
	ts_sweep_free(s);
}

/* A series run's run.json records the hash of the sweep's scenario and the
 * run's values (docs/sweep.md, "Scenario hashes"), computed without writing
 * the scenario out; its scenario.cfg is the scenario `run --set` would run,
 * with that run's hash. */
static void a_series_run_records_the_hash_of_the_sweeps_scenario_and_its_values(void **state)
{
	(void)state;
	ts_sweep *s = load(1, "0.5, 0.9");
	char dir[256], runs[512], *row = NULL;
	tu_make_dir(dir, sizeof dir, "row_hash");
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run_row(s, 3, dir, 1, &row, &err), TS_OK);  /* point 1: home_bias 0.9 */
	char bytes[256], hash[65], line[128];
	const char *parts[] = {"tradesim scenario vary 1", ts_scenario_hash(s->base), "countries.CN.home_bias", "0.9"};
	size_t n = 0;
	for (size_t k = 0; k < 4; k++) {
		memcpy(bytes + n, parts[k], strlen(parts[k]) + 1);
		n += strlen(parts[k]) + 1;
	}
	ts_sha256_hex(bytes, n, hash);
	snprintf(line, sizeof line, "\"scenario_sha256\": \"%s\"", hash);
	snprintf(runs, sizeof runs, "%s/runs/3", dir);
	char *json = tu_read_in(runs, "run.json");
	assert_non_null(strstr(json, line));
	ts_scenario *recorded = NULL, *set = NULL;
	ts_override ov = {"countries.CN.home_bias", "0.9"};
	snprintf(runs, sizeof runs, "%s/runs/3/scenario.cfg", dir);
	assert_int_equal(ts_scenario_load(&recorded, runs, NULL, 0, &err), TS_OK);
	assert_int_equal(ts_scenario_load(&set, "row_world.cfg", &ov, 1, &err), TS_OK);
	assert_string_equal(ts_scenario_hash(recorded), ts_scenario_hash(set));
	ts_scenario_free(recorded);
	ts_scenario_free(set);
	free(json);
	free(row);
	ts_sweep_free(s);
}

/* Two values the scenario rejects (point 3 of the grid, where both lists
 * take their second value): two diagnostics, one line each, joined on the
 * row's single line with a space. */
static void a_message_of_several_lines_is_flattened_to_one(void **state)
{
	(void)state;
	const char *text =
		"scenario = \"row_world.cfg\"; design = \"grid\";\n"
		"parameters = ( { path = \"countries.CN.home_bias\"; values = [0.5, -1.0]; },\n"
		"               { path = \"countries.US.home_bias\"; values = [0.5, -2.0]; } );\n"
		"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n";
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_load_string(&s, text, "two.cfg", ".", NULL, 0, 0, &err), TS_OK);
	ts_override ov[2] = {{"countries.CN.home_bias", "-1.0"}, {"countries.US.home_bias", "-2.0"}};
	ts_scenario *scn = NULL;
	ts_error why = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load(&scn, s->scenario_path, ov, 2, &why), TS_EINPUT);
	assert_int_equal(why.count, 2);
	for (char *p = why.message; *p; p++)
		if (*p == '\n')
			*p = ' ';
	char *row = row_of(s, 3), *fields[16];
	assert_int_equal(tu_count_lines(row), 1);
	assert_int_equal(ts_sweep_row_check(s, 3, row, fields, &err), TS_OK);
	assert_string_equal(fields[7], "failed");  /* run,point,rep,seed,2 values,1 metric,status,message */
	assert_string_equal(fields[8], why.message);
	free(row);
	ts_sweep_free(s);
}

/* The series directory must be a directory: a file in its place, or under
 * a file, is refused naming the path. */
static void a_series_directory_in_place_of_a_file_is_refused(void **state)
{
	(void)state;
	char dir[256], path[512], *series = NULL;
	tu_make_dir(dir, sizeof dir, "row_series_file");
	snprintf(path, sizeof path, "%s/runs", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/runs/4", dir);
	tu_write_file(path, "not a directory");
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_series_dir(dir, 4, &series, &err), TS_EINPUT);
	assert_null(series);
	assert_non_null(strstr(err.message, "/runs/4: not a directory"));
	char under[512];
	snprintf(under, sizeof under, "%s/runs/4", dir);
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_real_dir(strcat(under, "/x"), &err), TS_EIO);
	assert_non_null(strstr(err.message, "/runs/4/x: cannot create: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_row_holds_the_run_s_metrics_and_the_diff_from_the_baseline_with_the_same_seed),
		cmocka_unit_test(without_common_seeds_the_baseline_runs_with_the_run_s_own_seed),
		cmocka_unit_test(a_rejected_value_makes_a_failed_row_with_a_one_line_message),
		cmocka_unit_test(a_series_run_writes_its_files_under_runs_and_its_number),
		cmocka_unit_test(a_series_run_records_the_hash_of_the_sweeps_scenario_and_its_values),
		cmocka_unit_test(a_message_of_several_lines_is_flattened_to_one),
		cmocka_unit_test(a_series_directory_in_place_of_a_file_is_refused),
	};
	return cmocka_run_group_tests_name("sweep_row", tests, setup, NULL);
}
