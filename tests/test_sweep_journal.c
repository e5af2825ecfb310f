/* A sweep directory and its journal (sweep_journal.c, through
 * ts_sweep_run): resume after damage cuts the journal at the first bad row
 * and says so, and then ends with the bytes of an uninterrupted sweep;
 * sweep.json is read strictly; nothing is written through a symbolic link;
 * a locked directory is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "small_world.h"
#include "dir_listing.h"
#include "file_limit.h"
#include "util/lock.h"
#include "batch/sweep_impl.h"
#include <tradesim/version.h>

/* Two failing values (home_bias -1 and 11) give quoted messages with commas. */
static const char *sweep_text =
	"scenario = \"journal_world.cfg\";\n"
	"design = \"grid\";\n"
	"replications = 2;\n"
	"parameters = (\n"
	"  { path = \"countries.CN.home_bias\"; values = [0.5, -1.0, 0.7, 11.0]; },\n"
	"  { path = \"measures.zte_denial.end\"; values = [\"2018Q3\", \"2019Q1\"]; }\n"
	");\n"
	"metrics = (\n"
	"  { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; },\n"
	"  { name = \"welfare, \\\"CN\\\"\"; series = \"countries.CN.consumer_welfare_bn_usd\"; diff = true; }\n"
	");\n";

static ts_sweep *sweep;
static char whole[256];                    /* an uninterrupted sweep's directory */
static char notices[4096];

static void on_notice(void *ctx, const char *message)
{
	(void)ctx;
	snprintf(notices + strlen(notices), sizeof notices - strlen(notices), "%s\n", message);
}

static int run_into(const char *dir, ts_error *err)
{
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.jobs = 2;
	o.notice = on_notice;
	notices[0] = '\0';
	return ts_sweep_run(sweep, &o, err);
}

static int setup(void **state)
{
	(void)state;
	tu_write_file("journal_world.cfg", small_world);
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&sweep, sweep_text, "journal.cfg", ".", NULL, 0, 0, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	tu_make_dir(whole, sizeof whole, "journal_whole");
	return run_into(whole, &err) == TS_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ts_sweep_free(sweep);
	return 0;
}

static void write_in(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	tu_write_file(path, text);
}

/* A copy of the whole sweep's directory whose journal holds its header and
 * first `rows` rows, then `tail`, and no sweep.csv. */
static void interrupted_copy(char *dir, size_t size, const char *name, int rows, const char *tail)
{
	tu_make_dir(dir, size, name);
	char *csv = tu_read_in(whole, "sweep.csv"), *json = tu_read_in(whole, "sweep.json");
	char *points = tu_read_in(whole, "points.csv");
	char *cut = csv;
	for (int k = 0; k <= rows; k++)
		cut = strchr(cut, '\n') + 1;
	*cut = '\0';
	char *part = malloc(strlen(csv) + strlen(tail) + 1);
	assert_non_null(part);
	strcpy(part, csv);
	strcat(part, tail);
	write_in(dir, "sweep.csv.part", part);
	write_in(dir, "sweep.json", json);
	write_in(dir, "points.csv", points);
	free(part);
	free(points);
	free(json);
	free(csv);
}

/* Resumes dir and checks it ends with the whole sweep's bytes. */
static void resume_matches_the_whole_sweep(const char *dir)
{
	ts_error err = TS_ERROR_INIT;
	if (run_into(dir, &err) != TS_OK)
		fail_msg("resume failed: %s", err.message);
	char *a = tu_read_in(whole, "sweep.csv"), *b = tu_read_in(dir, "sweep.csv");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* Row k of the whole sweep (0-based), its '\n' included. */
static char *whole_row(int k)
{
	char *csv = tu_read_in(whole, "sweep.csv"), *p = csv;
	for (int i = 0; i <= k; i++)
		p = strchr(p, '\n') + 1;
	char *end = strchr(p, '\n');
	char *row = strndup(p, (size_t)(end - p + 1));
	free(csv);
	return row;
}

static void expect_notice(const char *fragment)
{
	if (!strstr(notices, fragment))
		fail_msg("expected \"%s\" in the notices: \"%s\"", fragment, notices);
}

static void a_torn_row_at_the_end_is_cut_and_the_resume_matches(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_torn", 5, "5,2,1,");
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:7: torn row (no end of line); cut the journal there (5 rows kept, 6 bytes dropped)");
}

static void a_torn_row_followed_by_a_newline_is_cut_and_the_resume_matches(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_torn_nl", 5, "5,2,1,\n");
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:7: 4 fields, expected 10; cut the journal there (5 rows kept, 7 bytes dropped)");
}

static void an_appended_garbage_row_is_cut_with_the_good_rows_after_it(void **state)
{
	(void)state;
	char dir[256], tail[1024];
	char *r3 = whole_row(3), *r4 = whole_row(4);
	snprintf(tail, sizeof tail, "%sgarbage\n%s", r3, r4);
	free(r3);
	free(r4);
	interrupted_copy(dir, sizeof dir, "journal_garbage", 3, tail);
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:6: 1 fields, expected 10; cut the journal there (4 rows kept");
}

static void a_duplicated_row_is_cut_where_the_run_order_breaks(void **state)
{
	(void)state;
	/* What two sweeps writing one journal at once used to leave. */
	char dir[256];
	char *r2 = whole_row(2);
	interrupted_copy(dir, sizeof dir, "journal_duplicate", 3, r2);
	free(r2);
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:5: run is '2', expected '3'");
}

static void a_row_of_another_sweep_with_the_same_header_is_cut(void **state)
{
	(void)state;
	char dir[256], tail[1024];
	char *r3 = whole_row(3);
	/* run 3 with another seed, then one with a value this sweep never uses */
	snprintf(tail, sizeof tail, "3,1,1,999,0.5,2019Q1,1,2,ok,\n");
	interrupted_copy(dir, sizeof dir, "journal_seed", 3, tail);
	resume_matches_the_whole_sweep(dir);
	expect_notice("seed is '999', expected");
	char *other = strdup(r3);
	char *value = strstr(other, ",2019Q1,");
	assert_non_null(value);
	memcpy(value, ",2019Q2,", 8);
	interrupted_copy(dir, sizeof dir, "journal_value", 3, other);
	resume_matches_the_whole_sweep(dir);
	expect_notice("measures.zte_denial.end is '2019Q2', expected '2019Q1'");
	free(other);
	free(r3);
}

/* Row k of the whole sweep with field f (no quotes before it) replaced. */
static char *whole_row_with(int k, int f, const char *value)
{
	char *row = whole_row(k), *start = row;
	for (int i = 0; i < f; i++)
		start = strchr(start, ',') + 1;
	char *end = start + strcspn(start, ",\n");
	char *out = malloc(strlen(row) + strlen(value) + 1);
	assert_non_null(out);
	sprintf(out, "%.*s%s%s", (int)(start - row), row, value, end);
	free(row);
	return out;
}

static void a_row_with_a_bad_status_or_number_is_cut(void **state)
{
	(void)state;
	/* Fields: run,point,rep,seed,home_bias,end,mean,welfare,status,message;
	 * run 4 (home_bias -1) is the first failed run. */
	char dir[256];
	char *bad = whole_row_with(4, 8, "faild");
	interrupted_copy(dir, sizeof dir, "journal_status", 4, bad);
	resume_matches_the_whole_sweep(dir);
	expect_notice("status is 'faild', expected ok or failed");
	free(bad);
	bad = whole_row_with(2, 6, "1.5x");
	interrupted_copy(dir, sizeof dir, "journal_number", 2, bad);
	resume_matches_the_whole_sweep(dir);
	expect_notice("mean:firms.ZTE.revenue_bn_usd is '1.5x', expected a number or an empty cell");
	free(bad);
	bad = whole_row_with(4, 6, "3");  /* a failed run with a metric */
	interrupted_copy(dir, sizeof dir, "journal_failed_number", 4, bad);
	resume_matches_the_whole_sweep(dir);
	expect_notice("is '3', expected an empty cell (failed run)");
	free(bad);
	bad = whole_row_with(2, 9, "why");  /* an ok run with a message */
	interrupted_copy(dir, sizeof dir, "journal_ok_message", 2, bad);
	resume_matches_the_whole_sweep(dir);
	expect_notice("an ok run with a message");
	free(bad);
}

static void rows_with_quoted_messages_and_names_resume_without_a_cut(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_quoted", 6, "");  /* runs 4, 5 failed */
	char *part = tu_read_in(dir, "sweep.csv.part");
	assert_non_null(strstr(part, ",\"welfare, \"\"CN\"\"\","));  /* the header's quoted name */
	assert_non_null(strstr(part, ",failed,\""));                   /* a quoted message */
	free(part);
	resume_matches_the_whole_sweep(dir);
	assert_string_equal(notices, "");
}

static void a_damaged_header_starts_the_journal_afresh(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_header", 4, "");
	char path[512];
	snprintf(path, sizeof path, "%s/sweep.csv.part", dir);
	FILE *f = fopen(path, "r+");
	assert_non_null(f);
	fputc('X', f);  /* "Xun,point,..." */
	fclose(f);
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:1: not this sweep's header; cut the journal there (0 rows kept");
}

/* A sweep killed while writing sweep.json or points.csv leaves their
 * temporaries; the next writer of the directory removes them, and only them. */
static void a_resumed_sweep_removes_the_temporaries_killed_writers_left(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_temps", 2, "");
	write_in(dir, ".points.csv.4242.abc.0.tmp", "dead");
	write_in(dir, "notes.txt", "kept");
	resume_matches_the_whole_sweep(dir);
	char path[512];
	snprintf(path, sizeof path, "%s/.points.csv.4242.abc.0.tmp", dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	assert_int_equal(access(path, F_OK), 0);
}

static void a_malformed_sweep_json_is_refused_with_its_line(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_json", 2, "");
	char *json = tu_read_in(dir, "sweep.json");
	char *comma = strstr(json, "\",\n  \"scenario\"");
	assert_non_null(comma);
	comma[1] = ' ';  /* a missing comma on line 4 */
	write_in(dir, "sweep.json", json);
	free(json);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(run_into(dir, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "/sweep.json:5: expected ',' or '}' after a member, got '\"'"));
	assert_non_null(strstr(err.message, "not the sweep.json tradesim writes"));
}

static void a_journal_without_sweep_json_is_refused(void **state)
{
	(void)state;
	char dir[256], path[512];
	interrupted_copy(dir, sizeof dir, "journal_no_json", 2, "");
	snprintf(path, sizeof path, "%s/sweep.json", dir);
	assert_int_equal(unlink(path), 0);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(run_into(dir, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "sweep.csv.part exists but"));
	struct stat st;
	assert_int_not_equal(stat(path, &st), 0);  /* nothing written */
}

/* DIR/NAME -> DIR/target, a file whose bytes must survive. */
static void plant_link(const char *dir, const char *name, int as_dir)
{
	char target[512], link[512];
	snprintf(target, sizeof target, "%s/target", dir);
	snprintf(link, sizeof link, "%s/%s", dir, name);
	if (as_dir)
		assert_int_equal(mkdir(target, 0755), 0);
	else
		tu_write_file(target, "precious\n");
	assert_int_equal(symlink("target", link), 0);
}

static void a_symbolic_link_in_place_of_a_sweep_file_is_refused_and_its_target_untouched(void **state)
{
	(void)state;
	const char *names[] = {"sweep.csv.part", "sweep.json", "points.csv", "sweep.csv", "runs"};
	for (int fresh = 0; fresh < 2; fresh++)
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			char dir[256], path[512];
			if (fresh)
				tu_make_dir(dir, sizeof dir, "journal_link_new");
			else
				interrupted_copy(dir, sizeof dir, "journal_link", 2, "");
			snprintf(path, sizeof path, "%s/%s", dir, names[i]);
			unlink(path);
			plant_link(dir, names[i], i == 4);
			ts_error err = TS_ERROR_INIT;
			assert_int_equal(run_into(dir, &err), TS_EINPUT);
			if (!strstr(err.message, "is a symbolic link"))
				fail_msg("%s (%s): %s", names[i], fresh ? "new" : "resumed", err.message);
			snprintf(path, sizeof path, "%s/target", dir);
			if (i < 4) {
				char *target = tu_read_file(path);
				assert_string_equal(target, "precious\n");
				free(target);
			}
		}
}

static void a_series_directory_link_fails_the_sweep_and_writes_nothing_there(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "journal_series");
	snprintf(path, sizeof path, "%s/runs", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/elsewhere", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/runs/0", dir);
	assert_int_equal(symlink("../elsewhere", path), 0);
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.jobs = 1;
	o.series = 1;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run(sweep, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "/runs/0 is a symbolic link"));
	char entries[256];
	snprintf(path, sizeof path, "%s/elsewhere", dir);
	assert_int_equal(dir_entries_but_lock(path, entries, sizeof entries), 0);
	assert_string_equal(entries, "");
}

static void a_directory_locked_by_another_writer_is_refused_and_left_as_it_is(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "journal_locked");
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_OK);
	assert_int_equal(run_into(dir, &err), TS_EBUSY);
	assert_non_null(strstr(err.message, "in use by another tradesim process"));
	char entries[256];
	assert_int_equal(dir_entries_but_lock(dir, entries, sizeof entries), 0);
	assert_string_equal(entries, "");
	ts_dir_lock_release(&lock);
	assert_int_equal(run_into(dir, &err), TS_OK);  /* once free, it runs */
}

static void the_sobol_analysis_into_a_locked_directory_is_refused_and_writes_nothing(void **state)
{
	(void)state;
	const char *text = "scenario = \"journal_world.cfg\"; points = 3; sensitivity = { bootstrap = 5; };\n"
	                   "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 2.0; } );\n"
	                   "metrics = ( { series = \"firms.Apple.revenue_bn_usd\"; } );\n";
	ts_sweep *saltelli = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_load_string(&saltelli, text, "sobol.cfg", ".", NULL, 0, 1, &err), TS_OK);
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "journal_sobol");
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	assert_int_equal(ts_sweep_run(saltelli, &o, &err), TS_OK);
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_OK);
	assert_int_equal(ts_sweep_sensitivity(saltelli, dir, &err), TS_EBUSY);
	snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
	struct stat st;
	assert_int_not_equal(stat(path, &st), 0);
	ts_dir_lock_release(&lock);
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_sensitivity(saltelli, dir, &err), TS_OK);
	assert_int_equal(stat(path, &st), 0);
	ts_sweep_free(saltelli);
}

/* sweep.json and points.csv of the whole sweep, byte for byte: the grid's
 * points with the last parameter varying fastest. */
static void sweep_json_and_points_csv_describe_the_sweep_exactly(void **state)
{
	(void)state;
	char *points = tu_read_in(whole, "points.csv");
	assert_string_equal(points, "point,countries.CN.home_bias,measures.zte_denial.end\n"
	                            "0,0.5,2018Q3\n1,0.5,2019Q1\n2,-1,2018Q3\n3,-1,2019Q1\n"
	                            "4,0.7,2018Q3\n5,0.7,2019Q1\n6,11,2018Q3\n7,11,2019Q1\n");
	free(points);
	char expected[2048];
	snprintf(expected, sizeof expected,
	         "{\n  \"tradesim_version\": \"%s\",\n  \"sweep\": \"journal.cfg\",\n  \"sweep_sha256\": \"%s\",\n"
	         "  \"scenario\": \"journal_world.cfg\",\n  \"scenario_sha256\": \"%s\",\n  \"design\": \"grid\",\n"
	         "  \"points\": 8,\n  \"replications\": 2,\n  \"runs\": 16,\n  \"seed\": 5,\n  \"common_seeds\": true,\n"
	         "  \"shard\": \"0/1\",\n  \"command_line\": \"\"\n}\n",
	         TS_VERSION_STRING, ts_sweep_hash(sweep), ts_scenario_hash(sweep->base));
	char *json = tu_read_in(whole, "sweep.json");
	assert_string_equal(json, expected);
	free(json);
}

static ts_sweep_journal *open_shard(const char *dir, ts_sweep_options *o, int shard, int shards)
{
	*o = (ts_sweep_options)TS_SWEEP_OPTIONS_INIT;
	o->output_dir = dir;
	o->shard = shard;
	o->shards = shards;
	o->notice = on_notice;
	notices[0] = '\0';
	ts_sweep_journal *j = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_journal_open(&j, sweep, o, &err) != TS_OK)
		fail_msg("%s", err.message);
	return j;
}

static void append_run(ts_sweep_journal *j, long run)
{
	char *row = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run_row(sweep, run, NULL, 0, &row, &err), TS_OK);
	if (ts_sweep_journal_append(j, row, &err) != TS_OK)
		fail_msg("%s", err.message);
	free(row);
}

/* 16 runs dealt to 3 shards in turn: shard 0 has runs 0, 3, .., 15 (6),
 * shards 1 and 2 five each; the k-th run of shard i is 3k + i. */
static void runs_are_dealt_to_the_shards_in_turn(void **state)
{
	(void)state;
	const long totals[3] = {6, 5, 5};
	for (int shard = 0; shard < 3; shard++) {
		char dir[256];
		tu_make_dir(dir, sizeof dir, shard == 0 ? "journal_shard0" : shard == 1 ? "journal_shard1" : "journal_shard2");
		ts_sweep_options o;
		ts_sweep_journal *j = open_shard(dir, &o, shard, 3);
		assert_int_equal(ts_sweep_journal_total(j), totals[shard]);
		assert_int_equal(ts_sweep_journal_done(j), 0);
		for (long k = 0; k < totals[shard]; k++)
			assert_int_equal(ts_sweep_journal_run_id(j, k), 3 * k + shard);
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(ts_sweep_journal_close(j, &err), TS_OK);
		char *json = tu_read_in(dir, "sweep.json");
		char want[32];
		snprintf(want, sizeof want, "\"shard\": \"%d/3\"", shard);
		assert_non_null(strstr(json, want));
		free(json);
	}
	assert_int_equal(ts_sweep_shard_run_id(0, 0, 7), 7);  /* no shards: one */
}

static void a_shard_outside_its_count_or_no_directory_is_refused(void **state)
{
	(void)state;
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	ts_sweep_journal *j = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_journal_open(&j, sweep, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output directory given"));
	o.output_dir = "journal_never_made";
	o.shard = 3;
	o.shards = 3;
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_journal_open(&j, sweep, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "shard 3/3: the shard must be in [0, 3)"));
	o.shard = -1;
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_journal_open(&j, sweep, &o, &err), TS_EINPUT);
	o.shard = 1;
	o.shards = 0;  /* one shard: only 0 */
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_journal_open(&j, sweep, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "shard 1/1"));
	assert_null(j);
	assert_int_equal(access("journal_never_made", F_OK), -1);
}

/* A journal closed before its last run stays sweep.csv.part and resumes
 * where it stopped; the last row makes it sweep.csv; nothing more goes in. */
static void a_journal_resumes_where_it_stopped_and_completes_into_sweep_csv(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "journal_api");
	ts_sweep_options o;
	ts_error err = TS_ERROR_INIT;
	ts_sweep_journal *j = open_shard(dir, &o, 1, 3);
	append_run(j, 1);
	append_run(j, 4);
	assert_int_equal(ts_sweep_journal_done(j), 2);
	assert_int_equal(ts_sweep_journal_close(j, &err), TS_OK);
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	assert_int_equal(access(path, F_OK), -1);
	j = open_shard(dir, &o, 1, 3);
	assert_int_equal(ts_sweep_journal_done(j), 2);
	assert_string_equal(notices, "");
	for (long k = 2; k < 5; k++)
		append_run(j, ts_sweep_journal_run_id(j, k));
	assert_int_equal(ts_sweep_journal_append(j, "anything\n", &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no run left to append"));
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_journal_close(j, &err), TS_OK);
	char *csv = tu_read_in(dir, "sweep.csv");
	assert_int_equal(tu_count_lines(csv), 1 + 5);
	free(csv);
	snprintf(path, sizeof path, "%s/sweep.csv.part", dir);
	assert_int_equal(access(path, F_OK), -1);
	j = open_shard(dir, &o, 1, 3);  /* finished: nothing to do */
	assert_int_equal(ts_sweep_journal_done(j), 5);
	assert_int_equal(ts_sweep_journal_append(j, "anything\n", &err), TS_EINPUT);
	assert_int_equal(ts_sweep_journal_close(j, &err), TS_OK);
}

static void a_row_past_the_shard_s_last_run_or_with_a_nul_byte_is_cut(void **state)
{
	(void)state;
	char dir[256], tail[2048];
	char *r15 = whole_row(15);
	snprintf(tail, sizeof tail, "%s", r15);  /* 17 rows: one after run 15 */
	interrupted_copy(dir, sizeof dir, "journal_past_end", 16, tail);
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:18: a row after the shard's last run; cut the journal there (16 rows kept");
	free(r15);
	char *r3 = whole_row(3);
	interrupted_copy(dir, sizeof dir, "journal_nul", 3, r3);
	char path[512];
	snprintf(path, sizeof path, "%s/sweep.csv.part", dir);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, -3, SEEK_END), 0);
	fputc('\0', f);  /* inside run 3's row */
	fclose(f);
	resume_matches_the_whole_sweep(dir);
	expect_notice("sweep.csv.part:5: a NUL byte; cut the journal there (3 rows kept");
	free(r3);
}

/* A directory holding another sweep, or another shard of this one. */
static void a_directory_of_another_sweep_or_shard_is_refused(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_other", 2, "");
	char *json = tu_read_in(dir, "sweep.json");
	char *hash = strstr(json, ts_sweep_hash(sweep));
	assert_non_null(hash);
	hash[0] = hash[0] == '0' ? '1' : '0';
	write_in(dir, "sweep.json", json);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(run_into(dir, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "holds the results of another sweep"));
	free(json);
	interrupted_copy(dir, sizeof dir, "journal_other_shard", 2, "");
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.shard = 1;
	o.shards = 2;
	ts_sweep_journal *j = NULL;
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_journal_open(&j, sweep, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "holds shard 0/1 of this sweep, not 1/2"));
	/* The refusal let go of the directory: its own shard opens it now. */
	o.shard = 0;
	o.shards = 1;
	ts_error_clear(&err);
	assert_int_equal(ts_sweep_journal_open(&j, sweep, &o, &err), TS_OK);
	assert_int_equal(ts_sweep_journal_done(j), 2);
	assert_int_equal(ts_sweep_journal_close(j, &err), TS_OK);
}

/* Progress calls: once at the start with the runs done so far, then after
 * each row written, in run order, with the shard's total. */
typedef struct progress_log {
	long calls, done[64], total;
} progress_log;

static void on_progress(void *ctx, long done, long total)
{
	progress_log *p = ctx;
	if (p->calls < 64)
		p->done[p->calls] = done;
	p->calls++;
	p->total = total;
}

static void progress_is_reported_at_the_start_and_after_every_row(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_progress", 10, "");
	progress_log log;
	memset(&log, 0, sizeof log);
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.jobs = 2;
	o.progress = on_progress;
	o.progress_ctx = &log;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run(sweep, &o, &err), TS_OK);
	assert_int_equal(log.calls, 1 + 6);
	assert_int_equal(log.total, 16);
	for (long k = 0; k < log.calls; k++)
		assert_int_equal(log.done[k], 10 + k);
}

/* A sweep asked to stop before it starts runs nothing, says how far it
 * got, and keeps its journal for the same call to resume. */
static void a_sweep_asked_to_stop_says_how_far_it_got_and_resumes_later(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_stopped", 3, "");
	volatile sig_atomic_t stop = 1;
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.cancel = &stop;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run(sweep, &o, &err), TS_ECANCELED);
	char expected[512];
	snprintf(expected, sizeof expected, "%s: stopped after 3 of 16 runs", dir);
	assert_string_equal(err.message, expected);
	char *part = tu_read_in(dir, "sweep.csv.part");
	assert_int_equal(tu_count_lines(part), 1 + 3);
	free(part);
	resume_matches_the_whole_sweep(dir);
}

/* Repairs are said only to a caller that listens: none, and the repair
 * still happens. */
static void a_journal_repaired_with_no_one_listening_still_resumes(void **state)
{
	(void)state;
	char dir[256];
	interrupted_copy(dir, sizeof dir, "journal_unheard", 5, "5,2,1,");
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run(sweep, &o, &err), TS_OK);
	char *a = tu_read_in(whole, "sweep.csv"), *b = tu_read_in(dir, "sweep.csv");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* A copy of the whole sweep's first rows with NAME replaced by a directory
 * (fifo = 0) or a FIFO: resuming it fails with status and message. */
static void refused_with_in_place_of(const char *name, int fifo, int status, const char *message)
{
	char dir[256], path[512];
	interrupted_copy(dir, sizeof dir, fifo ? "journal_fifo" : "journal_dir", 2, "");
	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(fifo ? mkfifo(path, 0644) : mkdir(path, 0755), 0);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(run_into(dir, &err), status);
	if (!strstr(err.message, message))
		fail_msg("%s: expected \"%s\" in \"%s\"", name, message, err.message);
}

/* A sweep.json that cannot be read, and a journal that is not a regular
 * file (a directory, a FIFO), are refused naming the file. */
static void unreadable_sweep_json_or_a_journal_that_is_not_a_file_is_refused(void **state)
{
	(void)state;
	refused_with_in_place_of("sweep.json", 0, TS_EIO, "/sweep.json: cannot read");
	refused_with_in_place_of("sweep.csv.part", 0, TS_EINPUT, "/sweep.csv.part: cannot write: ");
	refused_with_in_place_of("sweep.csv.part", 1, TS_EINPUT, "/sweep.csv.part: not a regular file");
}

/* A row the file-size limit lets through only in part (as a full disk
 * would): the append reports the write failure with the journal's name. */
static void a_row_that_cannot_be_written_is_reported_with_the_journal_s_name(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "journal_full");
	ts_sweep_options o;
	ts_sweep_journal *j = open_shard(dir, &o, 0, 1);
	char *row = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_run_row(sweep, 0, NULL, 0, &row, &err), TS_OK);
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s/sweep.csv.part", dir);
	assert_int_equal(stat(path, &st), 0);
	file_limit limit;
	file_limit_set(&limit, (rlim_t)st.st_size + 5);  /* the header is there; 5 bytes of a row fit */
	int rc = ts_sweep_journal_append(j, row, &err);
	file_limit_lift(&limit);
	assert_int_equal(rc, TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv.part: write failed: "));
	assert_int_equal(ts_sweep_journal_done(j), 0);
	free(row);
	ts_error_clear(&err);
	ts_sweep_journal_close(j, &err);
}

/* Rows that cannot be appended (a file-size limit just past the journal's
 * present size, as a full disk) stop the sweep with the write failure, not
 * as an interruption. */
static void a_sweep_whose_journal_cannot_grow_fails_with_the_write_error(void **state)
{
	(void)state;
	char dir[256], path[512];
	interrupted_copy(dir, sizeof dir, "journal_cannot_grow", 3, "");
	snprintf(path, sizeof path, "%s/sweep.csv.part", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	file_limit limit;
	file_limit_set(&limit, (rlim_t)st.st_size + 5);
	ts_error err = TS_ERROR_INIT;
	int rc = run_into(dir, &err);
	file_limit_lift(&limit);
	assert_int_equal(rc, TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv.part: write failed: "));
	assert_null(strstr(err.message, "stopped after"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_torn_row_at_the_end_is_cut_and_the_resume_matches),
		cmocka_unit_test(a_torn_row_followed_by_a_newline_is_cut_and_the_resume_matches),
		cmocka_unit_test(an_appended_garbage_row_is_cut_with_the_good_rows_after_it),
		cmocka_unit_test(a_duplicated_row_is_cut_where_the_run_order_breaks),
		cmocka_unit_test(a_row_of_another_sweep_with_the_same_header_is_cut),
		cmocka_unit_test(a_row_with_a_bad_status_or_number_is_cut),
		cmocka_unit_test(rows_with_quoted_messages_and_names_resume_without_a_cut),
		cmocka_unit_test(a_damaged_header_starts_the_journal_afresh),
		cmocka_unit_test(a_resumed_sweep_removes_the_temporaries_killed_writers_left),
		cmocka_unit_test(a_malformed_sweep_json_is_refused_with_its_line),
		cmocka_unit_test(a_journal_without_sweep_json_is_refused),
		cmocka_unit_test(a_symbolic_link_in_place_of_a_sweep_file_is_refused_and_its_target_untouched),
		cmocka_unit_test(a_series_directory_link_fails_the_sweep_and_writes_nothing_there),
		cmocka_unit_test(a_directory_locked_by_another_writer_is_refused_and_left_as_it_is),
		cmocka_unit_test(the_sobol_analysis_into_a_locked_directory_is_refused_and_writes_nothing),
		cmocka_unit_test(sweep_json_and_points_csv_describe_the_sweep_exactly),
		cmocka_unit_test(runs_are_dealt_to_the_shards_in_turn),
		cmocka_unit_test(a_shard_outside_its_count_or_no_directory_is_refused),
		cmocka_unit_test(a_journal_resumes_where_it_stopped_and_completes_into_sweep_csv),
		cmocka_unit_test(a_row_past_the_shard_s_last_run_or_with_a_nul_byte_is_cut),
		cmocka_unit_test(a_directory_of_another_sweep_or_shard_is_refused),
		cmocka_unit_test(progress_is_reported_at_the_start_and_after_every_row),
		cmocka_unit_test(a_sweep_asked_to_stop_says_how_far_it_got_and_resumes_later),
		cmocka_unit_test(a_journal_repaired_with_no_one_listening_still_resumes),
		cmocka_unit_test(unreadable_sweep_json_or_a_journal_that_is_not_a_file_is_refused),
		cmocka_unit_test(a_row_that_cannot_be_written_is_reported_with_the_journal_s_name),
		cmocka_unit_test(a_sweep_whose_journal_cannot_grow_fails_with_the_write_error),
	};
	return cmocka_run_group_tests_name("journal", tests, setup, teardown);
}
