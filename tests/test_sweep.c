/* Sweeps through the CLI: sweep files and their errors, -j, resume after a
 * kill, failed runs, shards and merge, sensitivity, output directories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "small_world.h"
#include "dir_listing.h"
#include "util/lock.h"

static const char *sweep_file =
	"scenario = \"sweep_world.cfg\";\n"
	"design = \"lhs\";\n"
	"points = 5;\n"
	"replications = 2;\n"
	"parameters = (\n"
	"  { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; },\n"
	"  { path = \"measures.zte_denial.end\"; values = [\"2018Q3\", \"2019Q1\"]; }\n"
	");\n"
	"metrics = (\n"
	"  { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; },\n"
	"  { name = \"cn_welfare\"; series = \"countries.CN.consumer_welfare_bn_usd\"; stat = \"final\"; diff = true; },\n"
	"  { series = \"markets.CN.phones.government.served_bn_usd\"; stat = \"min\"; }\n"
	");\n";

/* 1500 short runs: long enough that two sweeps started together overlap. */
static const char *long_sweep_file =
	"scenario = \"sweep_world.cfg\"; design = \"grid\"; replications = 500;\n"
	"parameters = ( { path = \"countries.CN.home_bias\"; values = [0.5, 0.7, 0.9]; } );\n"
	"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; } );\n";

static int setup(void **state)
{
	(void)state;
	tu_write_file("sweep_world.cfg", small_world);
	tu_write_file("sweep.cfg", sweep_file);
	tu_write_file("sweep_long.cfg", long_sweep_file);
	return 0;
}

/* Nothing but the lock file in dir. */
static void only_the_lock_file_in(const char *dir)
{
	char entries[1024];
	assert_int_equal(dir_entries_but_lock(dir, entries, sizeof entries), 0);
	assert_string_equal(entries, "");
}

static char *sweep_csv(const char *dir)
{
	return tu_read_in(dir, "sweep.csv");
}

static void a_sweep_writes_one_row_per_run_with_parameters_metrics_and_status(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "sweep_rows");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s -j 1 >/dev/null", dir), 0);
	char *csv = sweep_csv(dir);
	const char *header = "run,point,rep,seed,countries.CN.home_bias,measures.zte_denial.end,"
	                     "mean:firms.ZTE.revenue_bn_usd,cn_welfare,min:markets.CN.phones.government.served_bn_usd,"
	                     "status,message\n";
	assert_true(strncmp(csv, header, strlen(header)) == 0);
	assert_int_equal(tu_count_lines(csv), 1 + 10);
	assert_non_null(strstr(csv, "\n9,4,1,"));
	assert_null(strstr(csv, "failed"));
	free(csv);
}

static void jobs_1_and_2_give_byte_identical_sweep_csv(void **state)
{
	(void)state;
	char a[256], b[256];
	tu_make_dir(a, sizeof a, "sweep_j1");
	tu_make_dir(b, sizeof b, "sweep_j2");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s -j 1 --reps 3 >/dev/null", a), 0);
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s -j 2 --reps 3 >/dev/null", b), 0);
	char *x = sweep_csv(a), *y = sweep_csv(b);
	assert_string_equal(x, y);
	free(x);
	free(y);
}

static void a_killed_sweep_resumes_to_identical_output(void **state)
{
	(void)state;
	char whole[256], killed[256];
	tu_make_dir(whole, sizeof whole, "sweep_whole");
	tu_make_dir(killed, sizeof killed, "sweep_killed");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s -j 2 >/dev/null", whole), 0);
	/* The test hook raises SIGKILL once 4 rows are written. */
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "TRADESIM_TEST_KILL_AFTER=4 '%s' sweep sweep.cfg -o %s -j 2 >/dev/null 2>&1",
	         TS_CLI_PATH, killed);
	assert_true(system(cmd) != 0);
	char path[512];
	snprintf(path, sizeof path, "%s/sweep.csv", killed);
	struct stat st;
	assert_int_not_equal(stat(path, &st), 0);  /* not complete */
	/* A torn last line must be cut on resume. */
	snprintf(path, sizeof path, "%s/sweep.csv.part", killed);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("4,2,0,123", f);
	fclose(f);
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s -j 2 >/dev/null", killed), 0);
	char *x = sweep_csv(whole), *y = sweep_csv(killed);
	assert_string_equal(x, y);
	free(x);
	free(y);
	/* Again: already complete, nothing to do. */
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s >/dev/null", killed), 0);
}

static void a_changed_sweep_refuses_to_resume(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "sweep_changed");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s >/dev/null", dir), 0);
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "sweep sweep.cfg -o %s --points 6 >/dev/null", dir), 2);
	assert_non_null(strstr(err, "another sweep"));
	free(err);
}

/* A quick sweep's windowed and event metrics against the run's own files
 * (--series): ZTE's revenue summed over 2018Q2 .. 2018Q4 (steps 1 .. 3, in
 * step order as the metric adds it), the same per year (0.75 years), the
 * step the Apple ban starts (6, as scheduled) and the small world's rule
 * starts (it has no rules: 0). */
static void quick_metrics_with_windows_and_events_match_the_run_s_files(void **state)
{
	(void)state;
	char dir[256], run[300];
	tu_make_dir(dir, sizeof dir, "sweep_windows");
	assert_int_equal(tu_cli(NULL, "sweep --scenario sweep_world.cfg --values countries.CN.home_bias=0.5 --series "
	                              "--metric sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4 "
	                              "--metric annualise:sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4 "
	                              "--metric first_start:state_ban --metric rule_starts -o %s >/dev/null", dir), 0);
	char *csv = sweep_csv(dir);
	const char *header = "run,point,rep,seed,countries.CN.home_bias,sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4,"
	                     "annualise:sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4,first_start:state_ban,rule_starts,"
	                     "status,message\n";
	assert_true(strncmp(csv, header, strlen(header)) == 0);
	double sum, per_year, first, starts;
	assert_int_equal(sscanf(csv + strlen(header), "0,0,0,%*u,0.5,%lf,%lf,%lf,%lf,ok,", &sum, &per_year, &first,
	                        &starts), 4);
	free(csv);
	snprintf(run, sizeof run, "%s/runs/0", dir);
	char *firms = tu_read_in(run, "firms.csv");
	double want = 0.0;
	for (const char *line = strchr(firms, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		int step;
		double revenue;
		if (sscanf(line + 1, "%d,%*[^,],ZTE,%*[^,],%*[^,],%lf", &step, &revenue) == 2 && step >= 1 && step <= 3)
			want += revenue;
	}
	free(firms);
	assert_true(want > 0.0);
	assert_true(sum == want);
	assert_true(per_year == want / 0.75);
	assert_true(first == 6.0);
	assert_true(starts == 0.0);
}

static void a_failing_run_is_recorded_and_others_succeed_and_exit_1(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "sweep_fail");
	/* home_bias -1 is out of range: those runs fail, the others do not. */
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "sweep --scenario sweep_world.cfg --values countries.CN.home_bias=0.5,-1,0.7 "
	                              "--metric final:firms.Q.revenue_bn_usd --reps 2 -o %s >/dev/null", dir), 1);
	char expect[512];
	snprintf(expect, sizeof expect, "2 of 6 runs failed (see the status column of %s/sweep.csv)\n", dir);
	assert_non_null(err);
	assert_non_null(strstr(err, expect));
	free(err);
	/* Resumed (already complete), the count is the same. */
	assert_int_equal(tu_cli(NULL, "sweep --scenario sweep_world.cfg --values countries.CN.home_bias=0.5,-1,0.7 "
	                              "--metric final:firms.Q.revenue_bn_usd --reps 2 -o %s >/dev/null", dir), 1);
	char *csv = sweep_csv(dir);
	assert_int_equal(tu_count_lines(csv), 1 + 6);
	assert_non_null(strstr(csv, "\n2,1,0,"));
	assert_non_null(strstr(csv, ",-1,,failed,\"--set countries.CN.home_bias: expected a number in [0, 10], got -1\"\n"));
	const char *p = csv;
	int ok = 0;
	while ((p = strstr(p, ",ok,\n")) != NULL) {
		ok++;
		p++;
	}
	assert_int_equal(ok, 4);
	free(csv);
}

static void shards_merged_equal_the_unsharded_sweep(void **state)
{
	(void)state;
	char whole[256], s0[256], s1[256], merged[256];
	tu_make_dir(whole, sizeof whole, "shard_whole");
	tu_make_dir(s0, sizeof s0, "shard_0");
	tu_make_dir(s1, sizeof s1, "shard_1");
	tu_make_dir(merged, sizeof merged, "shard_merged");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s >/dev/null", whole), 0);
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s --shard 0/2 >/dev/null", s0), 0);
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "merge %s -o %s >/dev/null", s0, merged), 2);  /* shard 1 missing */
	assert_non_null(strstr(err, "missing"));
	free(err);
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s --shard 1/2 >/dev/null", s1), 0);
	assert_int_equal(tu_cli(NULL, "merge %s %s -o %s >/dev/null", s1, s0, merged), 0);
	char *x = sweep_csv(whole), *y = sweep_csv(merged);
	assert_string_equal(x, y);
	free(x);
	free(y);
}

static void sensitivity_writes_indices_for_every_metric_and_parameter(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "sensitivity");
	tu_write_file("sens.cfg",
	           "scenario = \"sweep_world.cfg\"; points = 8; sensitivity = { bootstrap = 50; confidence = 0.9; };\n"
	           "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 2.0; },\n"
	           "               { path = \"countries.US.home_bias\"; min = 0.0; max = 2.0; } );\n"
	           "metrics = ( { series = \"firms.Apple.revenue_bn_usd\"; stat = \"final\"; } );\n");
	assert_int_equal(tu_cli(NULL, "sensitivity sens.cfg -o %s >/dev/null", dir), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
	char *csv = tu_read_file(path);
	assert_non_null(csv);
	const char *header = "metric,parameter,first,first_lo,first_hi,total,total_lo,total_hi,n,confidence\n";
	assert_true(strncmp(csv, header, strlen(header)) == 0);
	assert_int_equal(tu_count_lines(csv), 3);
	assert_non_null(strstr(csv, "\nfinal:firms.Apple.revenue_bn_usd,countries.US.home_bias,"));
	assert_non_null(strstr(csv, ",8,0.9\n"));
	free(csv);
	char *runs = sweep_csv(dir);
	assert_int_equal(tu_count_lines(runs), 1 + 8 * 4);  /* n (d + 2) */
	free(runs);
}

static void sensitivity_with_failed_runs_writes_the_runs_and_exits_1(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "sensitivity_fail");
	/* The second value of the list is out of range: the points that take it fail. */
	tu_write_file("sens_fail.cfg",
	           "scenario = \"sweep_world.cfg\"; points = 4; sensitivity = { bootstrap = 10; };\n"
	           "parameters = ( { path = \"countries.CN.home_bias\"; values = [0.5, -1.0]; },\n"
	           "               { path = \"countries.US.home_bias\"; min = 0.0; max = 2.0; } );\n"
	           "metrics = ( { series = \"firms.Apple.revenue_bn_usd\"; stat = \"final\"; } );\n");
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "sensitivity sens_fail.cfg -o %s >/dev/null", dir), 1);
	assert_non_null(err);
	assert_non_null(strstr(err, " runs failed (see the status column of "));
	assert_non_null(strstr(err, "no Sobol indices"));
	free(err);
	char *runs = sweep_csv(dir);
	assert_int_equal(tu_count_lines(runs), 1 + 4 * 4);
	assert_non_null(strstr(runs, ",failed,"));
	assert_non_null(strstr(runs, ",ok,"));
	free(runs);
	char path[512];
	snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
	struct stat st;
	assert_int_not_equal(stat(path, &st), 0);
}

/* Each case replaces `find` in the sweep file by `replace`. */
static void bad_sweep_files_give_file_line_errors_and_exit_2(void **state)
{
	(void)state;
	char sobol41[4096] = "design = \"sobol\"; parameters = (";
	for (int i = 0; i < 41; i++)
		snprintf(sobol41 + strlen(sobol41), sizeof sobol41 - strlen(sobol41),
		         "%s{ path = \"run.seed\"; values = [%d]; }", i ? ", " : "", i + 1);
	strcat(sobol41, ");");
	struct { const char *find, *replace, *message; } cases[] = {
		{"points = 5;", "points = 5; pionts = 3;", "bad_sweep.cfg:3: pionts: unknown setting 'pionts' (did you mean 'points'?)"},
		{"points = 5;", "points = \"5\";", "bad_sweep.cfg:3: points: expected an integer"},
		{"points = 5;", "points = 0;", "bad_sweep.cfg:3: points"},
		{"design = \"lhs\";", "design = \"lsh\";", "bad_sweep.cfg:2: design: expected grid, lhs or sobol, got 'lsh' (did you mean 'lhs'?)"},
		{"countries.CN.home_bias", "countries.CN.home_bais", "bad_sweep.cfg:6: parameters[0].path: countries.CN.home_bais"},
		{"min = 0.0; max = 1.0;", "min = 0.0; max = 11.0;", "bad_sweep.cfg:6: parameters[0].path: countries.CN.home_bias = 11.0 does not apply"},
		{"min = 0.0; max = 1.0;", "min = 1.0; max = 0.5;", "bad_sweep.cfg:6: parameters[0].max: must be greater than min"},
		{"firms.ZTE.revenue", "firms.ZTF.revenue", "bad_sweep.cfg:10: metrics[0].series: 'firms.ZTF.revenue_bn_usd': no firm 'ZTF'"},
		{"firms.ZTE.revenue_bn_usd", "firms.ZTE.revenue", "unknown numeric column 'revenue' of firms (did you mean 'revenue_bn_usd'?)"},
		{"firms.ZTE.revenue_bn_usd", "frims.ZTE.revenue_bn_usd", "unknown table 'frims' (did you mean 'firms'?)"},
		{"stat = \"mean\"", "stat = \"avg\"", "bad_sweep.cfg:10: metrics[0].stat: expected final, mean, min, max, sum, first_start"},
		{"\"sweep_world.cfg\"", "\"no_such.cfg\"", "bad_sweep.cfg:1: scenario: cannot use no_such.cfg"},
		{"replications = 2;", "replications = = 2;", "bad_sweep.cfg:4:"},  /* syntax */
		{"\"2018Q3\", \"2019Q1\"", "\"2018Q3\", \"2019\\nQ1\"", "bad_sweep.cfg:7: parameters[1].values[1]: no line breaks or other "
		 "control characters in a value"},
		{"name = \"cn_welfare\"", "name = \"cn\\twelfare\"", "bad_sweep.cfg:11: metrics[1].name: no line breaks"},
		{"points = 5;", "points = 60000000;", "bad_sweep.cfg:3: points: a Latin hypercube keeps its strata in memory: "
		 "points x parameters = 120000000, at most 100000000"},
		{"design = \"lhs\";\npoints = 5;\nreplications = 2;", "design = \"sobol\";\npoints = 100000000;\nreplications = 50;",
		 "bad_sweep.cfg:4: replications: 100000000 points x 50 replications = 5000000000 runs, at most 4000000000"},
		{"design = \"lhs\";\npoints = 5;", "design = \"grid\";\npoints = 100000000;", "bad_sweep.cfg:5: parameters: a "
		 "grid of more than 100000000 points (levels multiply past it at parameters.[1])"},
		{"design = \"lhs\";", sobol41, "supports at most 40 parameters"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *at = strstr(sweep_file, cases[i].find);
		assert_non_null(at);
		char text[8192];
		snprintf(text, sizeof text, "%.*s%s%s", (int)(at - sweep_file), sweep_file, cases[i].replace,
		         at + strlen(cases[i].find));
		if (i == sizeof cases / sizeof cases[0] - 1) {  /* the 41 parameters replace the file's */
			char *params = strstr(text, "parameters = (\n");
			char *end = strstr(params, ");\nmetrics");
			memmove(params, end + 3, strlen(end + 3) + 1);
		}
		tu_write_file("bad_sweep.cfg", text);
		char dir[256];
		tu_make_dir(dir, sizeof dir, "bad_sweep");
		rmdir(dir);
		char *err = NULL;
		int code = tu_cli(&err, "sweep bad_sweep.cfg -o %s >/dev/null", dir);
		if (code != 2 || !err || !strstr(err, cases[i].message))
			fail_msg("case %zu (%s): exit %d, stderr: %s", i, cases[i].replace, code, err ? err : "(none)");
		free(err);
		struct stat st;
		assert_int_not_equal(stat(dir, &st), 0);  /* nothing created */
	}
}

static void cli_usage_errors_and_unwritable_output_exit_2(void **state)
{
	(void)state;
	struct { const char *args, *message; } cases[] = {
		{"sweep sweep.cfg", "missing output directory"},
		{"sweep -o x", "missing sweep file"},
		{"sweep sweep.cfg -o x --shard 2/2", "--shard expects I/N"},
		{"sweep sweep.cfg -o x --design box", "--design must be"},
		{"sweep sweep.cfg -o x -j 0", "-j must be"},
		{"sweep sweep.cfg -o x --param a=1:2", "need --scenario"},
		{"sweep --scenario sweep_world.cfg -o x --param run.seed", "--param expects PATH=LO:HI"},
		{"sweep --scenario sweep_world.cfg -o x --values run.seed=1,2", "needs --param or --values, and --metric"},
		{"merge -o x", "missing shard DIR"},
		{"sweep sweep.cfg -o sweep.cfg/sub", "sweep.cfg/sub"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		tu_expect_cli_refusal(cases[i].args, cases[i].message);
	/* A directory without write permission (root ignores modes: skip then). */
	char dir[256];
	tu_make_dir(dir, sizeof dir, "readonly");
	chmod(dir, 0555);
	char probe[300];
	snprintf(probe, sizeof probe, "%s/probe", dir);
	FILE *f = fopen(probe, "w");
	if (f) {
		fclose(f);
		remove(probe);
	} else {
		char *err = NULL;
		assert_int_equal(tu_cli(&err, "sweep sweep.cfg -o %s/out >/dev/null", dir), 2);
		free(err);
		char cmd[512];
		snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s)\"", dir);
		assert_int_equal(system(cmd), 0);
	}
	chmod(dir, 0755);
}

static void with_the_lock_held_a_sweep_sensitivity_or_merge_exits_2_and_writes_nothing(void **state)
{
	(void)state;
	char dir[256], shard[256];
	tu_make_dir(dir, sizeof dir, "sweep_locked");
	tu_make_dir(shard, sizeof shard, "sweep_locked_shard");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s >/dev/null", shard), 0);
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_OK);
	const char *commands[] = {"sweep sweep.cfg -o", "sensitivity sweep.cfg --points 2 -o", "merge %s -o"};
	for (int i = 0; i < 3; i++) {
		char args[512], *out = NULL;
		snprintf(args, sizeof args, commands[i], shard);
		assert_int_equal(tu_cli(&out, "%s %s >/dev/null", args, dir), 2);
		if (!out || !strstr(out, "in use by another tradesim process"))
			fail_msg("%s: %s", args, out ? out : "(no message)");
		free(out);
		only_the_lock_file_in(dir);
	}
	ts_dir_lock_release(&lock);
}

static void two_identical_sweeps_into_one_directory_leave_one_complete_sweep(void **state)
{
	(void)state;
	char lone[256];
	tu_make_dir(lone, sizeof lone, "sweep_lone");
	assert_int_equal(tu_cli(NULL, "sweep sweep_long.cfg -o %s -j 1 >/dev/null", lone), 0);
	char *expect = sweep_csv(lone);
	for (int trial = 0; trial < 4; trial++) {
		char dir[256], cmd[2048];
		tu_make_dir(dir, sizeof dir, "sweep_twice");
		/* Both start at once; each writes its exit status to a file. */
		snprintf(cmd, sizeof cmd,
		         "cd %s && ('%s' sweep ../sweep_long.cfg -o . -j 1 >/dev/null 2>a.err; echo $? >a.status) & "
		         "cd %s && ('%s' sweep ../sweep_long.cfg -o . -j 1 >/dev/null 2>b.err; echo $? >b.status) & wait",
		         dir, TS_CLI_PATH, dir, TS_CLI_PATH);
		assert_int_equal(system(cmd), 0);
		char *a = tu_read_in(dir, "a.status"), *b = tu_read_in(dir, "b.status");
		int sa = atoi(a), sb = atoi(b);
		if (!((sa == 0 && sb == 2) || (sa == 2 && sb == 0)))
			fail_msg("trial %d: exit statuses %d and %d, expected 0 and 2", trial, sa, sb);
		char *refused = tu_read_in(dir, sa == 2 ? "a.err" : "b.err");
		assert_non_null(strstr(refused, "in use by another tradesim process"));
		char *got = sweep_csv(dir);
		assert_string_equal(got, expect);
		free(got);
		free(refused);
		free(a);
		free(b);
	}
	free(expect);
}

static void resuming_a_damaged_journal_says_what_it_cut(void **state)
{
	(void)state;
	char whole[256], dir[256], path[512];
	tu_make_dir(whole, sizeof whole, "sweep_cut_whole");
	tu_make_dir(dir, sizeof dir, "sweep_cut");
	assert_int_equal(tu_cli(NULL, "sweep sweep.cfg -o %s >/dev/null", whole), 0);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cp %s/sweep.json %s/points.csv %s/ && head -n 4 %s/sweep.csv >%s/sweep.csv.part && "
	         "echo 'not a row' >>%s/sweep.csv.part", whole, whole, dir, whole, dir, dir);
	assert_int_equal(system(cmd), 0);
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "sweep sweep.cfg -o %s >/dev/null", dir), 0);
	snprintf(path, sizeof path, "tradesim sweep: %s/sweep.csv.part:5: ", dir);
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "cut the journal there (3 rows kept, 10 bytes dropped)"));
	free(err);
	char *x = sweep_csv(whole), *y = sweep_csv(dir);
	assert_string_equal(x, y);
	free(x);
	free(y);
}

static long peak_rss_kib(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss;
}

/* 10^7 points x 20 parameters were 1.6 GB of doubles built before the first
 * run; the points are now computed when a run needs them. */
static void a_large_design_loads_without_building_its_points(void **state)
{
	(void)state;
	static const char *const paths[20] = {
		"countries.US.home_bias", "countries.CN.home_bias", "countries.US.rd_budget", "countries.CN.rd_budget",
		"countries.US.alignment", "countries.CN.alignment", "firms.Q.rd_intensity", "firms.S.rd_intensity",
		"firms.Apple.rd_intensity", "firms.ZTE.rd_intensity", "firms.Q.unit_cost", "firms.S.unit_cost",
		"firms.Apple.unit_cost", "firms.ZTE.unit_cost", "firms.Q.tech", "firms.S.tech", "firms.Apple.tech",
		"firms.ZTE.tech", "firms.Q.fixed_cost", "firms.S.fixed_cost"};
	char text[4096];
	int n = snprintf(text, sizeof text, "scenario = \"sweep_world.cfg\"; design = \"sobol\"; points = 10000000;\n"
	                 "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\nparameters = (\n");
	for (int j = 0; j < 20; j++)
		n += snprintf(text + n, sizeof text - (size_t)n, "  { path = \"%s\"; min = 0.2; max = 0.3; }%s\n", paths[j],
		              j < 19 ? "," : "");
	snprintf(text + n, sizeof text - (size_t)n, ");\n");
	long before = peak_rss_kib();
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "large.cfg", ".", NULL, 0, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	assert_int_equal(ts_sweep_points(s), 10000000);
	long grown = peak_rss_kib() - before;
	ts_sweep_free(s);
	if (grown > 64 * 1024)
		fail_msg("loading grew the peak memory by %ld KiB", grown);
}

/* A Saltelli sweep of 2 base rows over 2 parameters (8 points), 2
 * replications each, one metric; its sweep.csv written by hand. */
static const char *hand_sweep_text =
	"scenario = \"sweep_world.cfg\"; points = 2; replications = 2; sensitivity = { bootstrap = 0; };\n"
	"parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; },\n"
	"               { path = \"countries.US.home_bias\"; min = 0.0; max = 1.0; } );\n"
	"metrics = ( { name = \"m\"; series = \"firms.Apple.revenue_bn_usd\"; stat = \"final\"; } );\n";

/* sweep.csv with the header and, for run r (point r / 2, rep r % 2), the
 * metric value mean[point] - 0.5 for rep 0 and + 0.5 for rep 1, then tail. */
static void write_hand_sweep(const char *dir, const double *mean, const char *tail)
{
	char path[512], text[4096] = "run,point,rep,seed,countries.CN.home_bias,countries.US.home_bias,m,status,message\n";
	for (int r = 0; r < 16; r++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "%d,%d,%d,7,0.5,0.5,%g,ok,\n", r, r / 2, r % 2,
		         mean[r / 2] + (r % 2 ? 0.5 : -0.5));
	snprintf(text + strlen(text), sizeof text - strlen(text), "%s", tail);
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	tu_write_file(path, text);
}

static ts_sweep *hand_sweep(void)
{
	ts_sweep *sw = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&sw, hand_sweep_text, "hand.cfg", ".", NULL, 0, 1, &err) != TS_OK)
		fail_msg("%s", err.message);
	return sw;
}

/* The per-point means are f(A), f(B), f(AB1), f(AB2) = (1, 4, 2, 0) and
 * (5, 2, 4, 5): test_sensitivity.c computes S = (0.4, -0.2) and
 * ST = (0.2, 0.1) for them by hand. With bootstrap = 0 the bounds are empty. */
static void sensitivity_averages_the_replications_of_each_point_before_the_indices(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "sensitivity_hand");
	const double mean[8] = {1, 4, 2, 0, 5, 2, 4, 5};
	write_hand_sweep(dir, mean, "");
	ts_sweep *sw = hand_sweep();
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_OK);
	char *csv = tu_read_in(dir, "sensitivity.csv");
	assert_string_equal(csv, "metric,parameter,first,first_lo,first_hi,total,total_lo,total_hi,n,confidence\n"
	                         "m,countries.CN.home_bias,0.4,,,0.2,,,2,0.95\n"
	                         "m,countries.US.home_bias,-0.2,,,0.1,,,2,0.95\n");
	free(csv);
	ts_sweep_free(sw);
}

static void sensitivity_refuses_failed_malformed_or_empty_sweep_files(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "sensitivity_bad");
	const double mean[8] = {1, 4, 2, 0, 5, 2, 4, 5};
	ts_sweep *sw = hand_sweep();
	ts_error err = TS_ERROR_INIT;
	write_hand_sweep(dir, mean, "16,8,0,7,0.5,0.5,1,ok,\n");  /* point 8 of 0..7 */
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv: malformed row"));
	ts_error_clear(&err);
	write_hand_sweep(dir, mean, "16,x,0,7,0.5,0.5,1,ok,\n");
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_EIO);
	assert_non_null(strstr(err.message, "malformed row"));
	ts_error_clear(&err);
	write_hand_sweep(dir, mean, "16,7,0,7,0.5,0.5,1,ok\n");  /* a field short */
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_EIO);
	assert_non_null(strstr(err.message, "malformed row"));
	ts_error_clear(&err);
	write_hand_sweep(dir, mean, "16,3,0,7,0.5,0.5,,failed,boom\n17,5,1,7,0.5,0.5,,failed,boom\n");
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_ERUN);
	assert_non_null(strstr(err.message, "sweep.csv: 2 runs failed (first: run 16); Sobol indices need every point"));
	ts_error_clear(&err);
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	tu_write_file(path, "");
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv: empty"));
	ts_error_clear(&err);
	unlink(path);
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_EIO);
	assert_non_null(strstr(err.message, "sweep.csv: cannot open"));
	snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
	assert_int_equal(access(path, F_OK), -1);
	ts_sweep_free(sw);
}

/* Points with no run at all have no mean: NaN, which the indices refuse. */
static void sensitivity_with_a_point_never_run_names_its_output(void **state)
{
	(void)state;
	char dir[256], path[512];
	tu_make_dir(dir, sizeof dir, "sensitivity_missing");
	snprintf(path, sizeof path, "%s/sweep.csv", dir);
	tu_write_file(path, "header\n0,0,0,7,0.5,0.5,1,ok,\n");
	ts_sweep *sw = hand_sweep();
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_sensitivity(sw, dir, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "y[1] (base row 0, f(B)) is nan"));
	assert_null(strstr(err.message, "y[0]"));
	ts_sweep_free(sw);
}

static void sensitivity_of_a_design_other_than_saltelli_is_refused(void **state)
{
	(void)state;
	ts_sweep *sw = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_load_string(&sw, sweep_file, "sweep.cfg", ".", NULL, 0, 0, &err), TS_OK);
	assert_int_equal(ts_sweep_sensitivity(sw, ".", &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "sensitivity needs a Saltelli design"));
	ts_sweep_free(sw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sweep_writes_one_row_per_run_with_parameters_metrics_and_status),
		cmocka_unit_test(jobs_1_and_2_give_byte_identical_sweep_csv),
		cmocka_unit_test(a_killed_sweep_resumes_to_identical_output),
		cmocka_unit_test(a_changed_sweep_refuses_to_resume),
		cmocka_unit_test(a_failing_run_is_recorded_and_others_succeed_and_exit_1),
		cmocka_unit_test(quick_metrics_with_windows_and_events_match_the_run_s_files),
		cmocka_unit_test(sensitivity_with_failed_runs_writes_the_runs_and_exits_1),
		cmocka_unit_test(shards_merged_equal_the_unsharded_sweep),
		cmocka_unit_test(sensitivity_writes_indices_for_every_metric_and_parameter),
		cmocka_unit_test(bad_sweep_files_give_file_line_errors_and_exit_2),
		cmocka_unit_test(cli_usage_errors_and_unwritable_output_exit_2),
		cmocka_unit_test(with_the_lock_held_a_sweep_sensitivity_or_merge_exits_2_and_writes_nothing),
		cmocka_unit_test(two_identical_sweeps_into_one_directory_leave_one_complete_sweep),
		cmocka_unit_test(resuming_a_damaged_journal_says_what_it_cut),
		cmocka_unit_test(a_large_design_loads_without_building_its_points),
		cmocka_unit_test(sensitivity_averages_the_replications_of_each_point_before_the_indices),
		cmocka_unit_test(sensitivity_refuses_failed_malformed_or_empty_sweep_files),
		cmocka_unit_test(sensitivity_with_a_point_never_run_names_its_output),
		cmocka_unit_test(sensitivity_of_a_design_other_than_saltelli_is_refused),
	};
	return cmocka_run_group_tests_name("sweep", tests, setup, NULL);
}
