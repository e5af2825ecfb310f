/* Joining shard directories (sim/batch/sweep_merge.c), built here by hand:
 * rows dealt back in run order, points.csv and sweep.json carried over,
 * and every way a set of directories can fail to be one sweep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "testutil.h"
#include "dir_listing.h"

static const char hash_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char hash_b[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static void write_in(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	tu_write_file(path, text);
}

/* Fills dir as a shard directory: sweep.json naming hash, shard and runs;
 * points.csv; sweep.csv (NULL: none, an unfinished shard). */
static void fill_shard(const char *dir, const char *hash, const char *shard, long runs, const char *csv)
{
	char json[512], path[512];
	snprintf(json, sizeof json, "{\n  \"sweep\": \"s.cfg\",\n  \"sweep_sha256\": \"%s\",\n  \"runs\": %ld,\n"
	         "  \"shard\": \"%s\",\n  \"command_line\": \"x\"\n}\n", hash, runs, shard);
	write_in(dir, "sweep.json", json);
	write_in(dir, "points.csv", "point,p\n0,0.5\n1,1.5\n");
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	if (csv)
		tu_write_file(path, csv);
	else
		unlink(path);
}

/* A fresh shard directory. */
static void make_shard(char *dir, size_t size, const char *name, const char *hash, const char *shard, long runs,
                       const char *csv)
{
	tu_make_dir(dir, size, name);
	fill_shard(dir, hash, shard, runs, csv);
}

static const char shard0_csv[] = "run,point,rep,seed,p,m,status,message\n"
                                 "0,0,0,11,0.5,1.25,ok,\n"
                                 "2,1,0,13,1.5,,failed,\"it broke, badly\"\n";
static const char shard1_csv[] = "run,point,rep,seed,p,m,status,message\n"
                                 "1,0,1,12,0.5,2,ok,\n"
                                 "3,1,1,14,1.5,3.5,ok,\n";

/* Named in any order, the shards' rows come back in run order: run r from
 * shard r % 2. sweep.json is the first named directory's, as shard 0/1. */
static void shards_named_in_any_order_merge_into_run_order(void **state)
{
	(void)state;
	char s0[256], s1[256], out[256];
	make_shard(s0, sizeof s0, "merge_s0", hash_a, "0/2", 4, shard0_csv);
	make_shard(s1, sizeof s1, "merge_s1", hash_a, "1/2", 4, shard1_csv);
	tu_make_dir(out, sizeof out, "merge_out");
	const char *dirs[] = {s1, s0};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_merge(dirs, 2, out, &err), TS_OK);
	char *csv = tu_read_in(out, "sweep.csv");
	assert_string_equal(csv, "run,point,rep,seed,p,m,status,message\n"
	                         "0,0,0,11,0.5,1.25,ok,\n"
	                         "1,0,1,12,0.5,2,ok,\n"
	                         "2,1,0,13,1.5,,failed,\"it broke, badly\"\n"
	                         "3,1,1,14,1.5,3.5,ok,\n");
	free(csv);
	char *json = tu_read_in(out, "sweep.json"), *points = tu_read_in(out, "points.csv");
	char expected[512];
	snprintf(expected, sizeof expected, "{\n  \"sweep\": \"s.cfg\",\n  \"sweep_sha256\": \"%s\",\n  \"runs\": 4,\n"
	         "  \"shard\": \"0/1\",\n  \"command_line\": \"x\"\n}\n", hash_a);
	assert_string_equal(json, expected);
	assert_string_equal(points, "point,p\n0,0.5\n1,1.5\n");
	free(json);
	free(points);
	char left[512];
	assert_int_equal(dir_entries_but_lock(out, left, sizeof left), 0);
	assert_string_equal(left, "points.csv sweep.csv sweep.json");
}

/* One shard of one: a copy. */
static void a_single_shard_merges_into_itself(void **state)
{
	(void)state;
	char s0[256], out[256];
	make_shard(s0, sizeof s0, "merge_single", hash_a, "0/1", 2,
	           "run,point,rep,seed,p,m,status,message\n0,0,0,1,0.5,1,ok,\n1,1,0,2,1.5,2,ok,\n");
	tu_make_dir(out, sizeof out, "merge_single_out");
	const char *dirs[] = {s0};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_merge(dirs, 1, out, &err), TS_OK);
	char *a = tu_read_in(s0, "sweep.csv"), *b = tu_read_in(out, "sweep.csv");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* Two shard directories and an output directory the refusals share: a
 * refused merge writes nothing into it. */
static char bad0[256], bad1[256], bad_out[256];

static int setup(void **state)
{
	(void)state;
	tu_make_dir(bad0, sizeof bad0, "merge_bad0");
	tu_make_dir(bad1, sizeof bad1, "merge_bad1");
	tu_make_dir(bad_out, sizeof bad_out, "merge_bad_out");
	return 0;
}

/* Merges two shards with the given texts; expects TS_EINPUT with message
 * and nothing written but the lock. */
static void expect_refused(const char *hash1, const char *shard0, const char *shard1, long runs, const char *csv0,
                           const char *csv1, const char *message)
{
	const char *s0 = bad0, *s1 = bad1, *out = bad_out;
	fill_shard(s0, hash_a, shard0, runs, csv0);
	fill_shard(s1, hash1, shard1, runs, csv1);
	const char *dirs[] = {s0, s1};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_merge(dirs, 2, out, &err), TS_EINPUT);
	if (!strstr(err.message, message))
		fail_msg("expected \"%s\" in \"%s\"", message, err.message);
	char left[512];
	assert_int_equal(dir_entries_but_lock(out, left, sizeof left), 0);
	assert_string_equal(left, "");
}

static void directories_that_are_not_the_shards_of_one_sweep_are_refused(void **state)
{
	(void)state;
	expect_refused(hash_b, "0/2", "1/2", 4, shard0_csv, shard1_csv, "merge_bad1_");
	expect_refused(hash_b, "0/2", "1/2", 4, shard0_csv, shard1_csv, ": another sweep than ");
	expect_refused(hash_a, "0/2", "1/3", 4, shard0_csv, shard1_csv, ": shard 1/3, but ");
	expect_refused(hash_a, "0/2", "0/2", 4, shard0_csv, shard1_csv, " are both shard 0/2");
	expect_refused(hash_a, "0/3", "1/3", 4, shard0_csv, shard1_csv, "merge: shard 2/3 is missing");
	expect_refused(hash_a, "0/2", "2/2", 4, shard0_csv, shard1_csv, "sweep.json has no valid shard");
	expect_refused(hash_a, "0/2", "1/2x", 4, shard0_csv, shard1_csv, "sweep.json has no valid shard");
	expect_refused(hash_a, "0/2", "-1/2", 4, shard0_csv, shard1_csv, "sweep.json has no valid shard");
	expect_refused(hash_a, "0/2", "1/0", 4, shard0_csv, shard1_csv, "sweep.json has no valid shard");
	expect_refused("abc", "0/2", "1/2", 4, shard0_csv, shard1_csv, "sweep.json has no valid sweep_sha256");
}

static void unfinished_or_damaged_shards_are_refused(void **state)
{
	(void)state;
	expect_refused(hash_a, "0/2", "1/2", 4, shard0_csv, NULL, "no sweep.csv: shard 1/2 is not finished");
	expect_refused(hash_a, "0/2", "1/2", 4, shard0_csv, "", "merge_bad1_");
	expect_refused(hash_a, "0/2", "1/2", 4, shard0_csv, "", "/sweep.csv: empty");
	expect_refused(hash_a, "0/2", "1/2", 4, shard0_csv, "run,point\n1,0\n3,1\n", "header differs from ");
	expect_refused(hash_a, "0/2", "1/2", 4, "run,\"point\n", shard1_csv, "/sweep.csv: header: field 2: no closing quote");
	/* shard 1's rows after its header: run 1 missing, torn, with a field too
	 * many or too few, with a stray quote; or a run past the last */
	static const char *const rows[][2] = {
		{"3,1,1,14,1.5,3.5,ok,\n", "merge_bad1_"},
		{"3,1,1,14,1.5,3.5,ok,\n", "/sweep.csv: run 1 missing or out of order"},
		{"1,0,1,12,0.5,2,ok,", "/sweep.csv: run 1 missing or out of order"},
		{"1,0,1,12,0.5,2,ok,,x\n3,1,1,14,1.5,3.5,ok,\n", "/sweep.csv: run 1: not 8 fields"},
		{"1,0,1,12,0.5,2,ok\n3,1,1,14,1.5,3.5,ok,\n", "/sweep.csv: run 1: not 8 fields"},
		{"1,0,\"1,12,0.5,2,ok,\n3,1,1,14,1.5,3.5,ok,\n", "/sweep.csv: run 1: not 8 fields: field 3: no closing quote"},
		{"1,0,1,12,0.5,2,ok,\n3,1,1,14,1.5,3.5,ok,\n5,2,1,1,1,1,ok,\n", "/sweep.csv: more runs than the sweep has"},
	};
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
		char csv[512];
		snprintf(csv, sizeof csv, "run,point,rep,seed,p,m,status,message\n%s", rows[k][0]);
		expect_refused(hash_a, "0/2", "1/2", 4, shard0_csv, csv, rows[k][1]);
	}
	expect_refused(hash_a, "0/2", "1/2", 3, shard0_csv, shard1_csv, "/sweep.csv: more runs than the sweep has");
}

static void a_merge_needs_directories_holding_sweep_json(void **state)
{
	(void)state;
	char out[256], empty[256];
	tu_make_dir(out, sizeof out, "merge_none_out");
	tu_make_dir(empty, sizeof empty, "merge_empty");
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_merge(NULL, 0, out, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "merge: no shard directories given"));
	const char *dirs[] = {empty};
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_merge(dirs, 1, out, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, ": no sweep.json: not a sweep directory"));
	write_in(empty, "sweep.json", "{\"sweep_sha256\": \"x\"}");
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_merge(dirs, 1, out, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "shard: missing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shards_named_in_any_order_merge_into_run_order),
		cmocka_unit_test(a_single_shard_merges_into_itself),
		cmocka_unit_test(directories_that_are_not_the_shards_of_one_sweep_are_refused),
		cmocka_unit_test(unfinished_or_damaged_shards_are_refused),
		cmocka_unit_test(a_merge_needs_directories_holding_sweep_json),
	};
	return cmocka_run_group_tests_name("sweep_merge", tests, setup, NULL);
}
