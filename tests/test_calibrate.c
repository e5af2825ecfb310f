/* tradesim calibrate (sim/batch/calibrate*.c, sim/cli/cmd_calibrate.c): the
 * loss pinned by hand; known parameters recovered from facts the model
 * generated (tests/data/calib_*); a parameter no fact depends on comes out
 * with a wide acceptance range; failed candidates recorded; the same bytes
 * whatever -j and after a kill; strict calibration files. */
#define _GNU_SOURCE
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include "testutil.h"

#define DATA TS_TEST_DATA_DIR "/"

static const char *const output_files[] = {"calibrate.csv", "best.csv", "best.cfg", "check.csv", "acceptance.csv",
                                           "profile.csv", "calibrate.json", NULL};

/* The field of `column` in the first row of csv whose first fields are `row` ("a,b,"). */
static double field_of(const char *csv, const char *row, const char *column)
{
	const char *line = strstr(csv, row);
	assert_non_null(line);
	while (line != csv && line[-1] != '\n')
		assert_non_null(line = strstr(line + 1, row));
	size_t hlen = strcspn(csv, "\n");
	char *header = strndup(csv, hlen), *p = header, *tok;
	int col = 0, found = -1;
	for (; (tok = strsep(&p, ",")) != NULL; col++)
		if (strcmp(tok, column) == 0)
			found = col;
	free(header);
	assert_true(found >= 0);
	for (int k = 0; k < found; k++)
		line = strchr(line, ',') + 1;
	return line[0] == ',' || line[0] == '\n' ? NAN : strtod(line, NULL);
}

/* Runs the calibration file at path into a fresh directory `name`. */
static ts_calibration *calibrate(const char *path, const char *name, char *dir, size_t size, int jobs)
{
	tu_make_dir(dir, size, name);
	ts_error err = TS_ERROR_INIT;
	ts_calibration *c = NULL;
	if (ts_calibration_load(&c, path, &err) != TS_OK)
		fail_msg("%s", err.message);
	ts_calibrate_options o = TS_CALIBRATE_OPTIONS_INIT;
	o.output_dir = dir;
	o.jobs = jobs;
	if (ts_calibration_run(c, &o, &err) != TS_OK)
		fail_msg("%s", err.message);
	return c;
}

static int exists_in(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void same_outputs(const char *a, const char *b)
{
	for (const char *const *f = output_files; *f; f++) {
		char *x = tu_read_in(a, *f), *y = tu_read_in(b, *f);
		if (strcmp(x, y) != 0)
			fail_msg("%s differs between %s and %s", *f, a, b);
		free(x);
		free(y);
	}
}

/* Phones are bought from Apple and ZTE alone, with capacity to spare, so
 * their 2019 revenue is the two markets' sizes: US + CN (400). With US
 * 200, 300, 400 (a one-point Sobol design is the centre; a profile of 3
 * points is the bounds and the centre):
 *   total 700: ((700 - 750) / 20)^2 + ((700 - 620) / (2 x 5))^2 = 6.25 + 64 = 70.25
 *   total 600: (-150 / 20)^2 + (-20 / 10)^2 = 56.25 + 4 = 60.25
 *   total 800: (50 / 20)^2 + (180 / 10)^2 = 6.25 + 324 = 330.25
 * A standard error counts twice over as a tolerance: 620 +- 10. */
static void the_loss_sums_squared_misfits_over_tolerances(void **state)
{
	(void)state;
	tu_write_file("calib_loss_facts.cfg",
	              "facts = (\n"
	              "  { name = \"phones\"; series = [\"firms.Apple.revenue_bn_usd\", \"firms.ZTE.revenue_bn_usd\"];\n"
	              "    stat = \"sum\"; from = \"2019\"; to = \"2019\"; observed = 750.0; tolerance = 20.0; source = \"t\"; },\n"
	              "  { name = \"phones_se\"; series = [\"firms.Apple.revenue_bn_usd\", \"firms.ZTE.revenue_bn_usd\"];\n"
	              "    stat = \"sum\"; from = \"2019\"; to = \"2019\"; observed = 620.0; standard_error = 5.0; source = \"t\"; }\n"
	              ");\n");
	tu_write_file("calib_loss.cfg", "scenario = \"" DATA "calib_world.cfg\"; facts = \"calib_loss_facts.cfg\";\n"
	              "replications = 2; points = 1; starts = 0; profile = 3;\n"
	              "parameters = ( { path = \"countries.US.markets.phones.size\"; min = 200.0; max = 400.0; } );\n");
	char dir[256];
	ts_calibration *c = calibrate("calib_loss.cfg", "calib_loss", dir, sizeof dir, 2);
	assert_double_equal(ts_calibration_best_value(c, 0), 300.0, 0.0);
	assert_double_equal(ts_calibration_best_loss(c), 70.25, 1e-9);
	char *profile = tu_read_in(dir, "profile.csv"), *evals = tu_read_in(dir, "calibrate.csv");
	assert_double_equal(field_of(profile, "countries.US.markets.phones.size,200,", "loss"), 60.25, 1e-9);
	assert_double_equal(field_of(profile, "countries.US.markets.phones.size,300,", "loss"), 70.25, 1e-9);
	assert_double_equal(field_of(profile, "countries.US.markets.phones.size,400,", "loss"), 330.25, 1e-9);
	assert_double_equal(field_of(evals, "0,design,0,300,", "loss"), 70.25, 1e-9);
	assert_double_equal(field_of(evals, "1,profile,0,200,", "loss"), 60.25, 1e-9);
	assert_double_equal(field_of(evals, "0,design,0,300,", "mean.phones"), 700.0, 1e-9);
	assert_double_equal(field_of(evals, "0,design,0,300,", "within.phones_se"), 0.0, 0.0);
	assert_string_equal(strchr(evals, '\n') + 1,  /* the whole first row, read back as written */
	                    "0,design,0,300,70.25,700,700,0,0,0,ok,\n1,profile,0,200,60.25,600,600,0,0,0,ok,\n"
	                    "2,profile,0,300,70.25,700,700,0,0,0,ok,\n3,profile,0,400,330.25,800,800,0,0,0,ok,\n");
	assert_double_equal(field_of(evals, "0,design,0,300,", "within.phones"), 0.0, 0.0);   /* 50 off, within 20: no */
	assert_double_equal(field_of(evals, "2,profile,0,300,", "within.phones"), 0.0, 0.0);
	assert_double_equal(field_of(evals, "1,profile,0,200,", "within.phones_se"), 0.0, 0.0); /* 20 off, within 10: no */
	assert_int_equal(ts_calibration_accepted(c), 0);
	char *best = tu_read_in(dir, "best.csv");
	assert_string_equal(best, "loss,eval,phase,group,countries.US.markets.phones.size\n70.25,0,design,0,300\n");
	free(best);
	free(profile);
	free(evals);
	ts_calibration_free(c);
}

/* tests/data/calib_facts.cfg holds the model's own means at US 285, CN 420;
 * the calibration starts from bounds [250, 350] x [350, 450] and must land
 * within 1 bn USD (1% of each range) of both. */
static void known_parameters_are_recovered_from_facts_the_model_generated(void **state)
{
	(void)state;
	char dir[256];
	ts_calibration *c = calibrate(DATA "calib_recover.cfg", "calib_recover", dir, sizeof dir, 2);
	assert_double_equal(ts_calibration_best_value(c, 0), 285.0, 1.0);
	assert_double_equal(ts_calibration_best_value(c, 1), 420.0, 1.0);
	assert_true(ts_calibration_best_loss(c) < 1e-3);
	/* The best point's fit, as `tradesim check` scores it: every fact passes. */
	char *check = tu_read_in(dir, "check.csv");
	assert_int_equal(tu_count_lines(check), 4);
	assert_null(strstr(check, ",fail,"));
	char again[256];
	tu_make_dir(again, sizeof again, "calib_recheck");
	assert_int_equal(tu_cli(NULL, "check %s/best.cfg " DATA "calib_facts.cfg --reps 4 -o %s >/dev/null", dir, again), 0);
	char *rechecked = tu_read_in(again, "check.csv");
	assert_string_equal(rechecked, check);
	free(rechecked);
	free(check);
	ts_calibration_free(c);
}

/* With `seed`, every candidate runs the seeds `check --seed` gives: the
 * best point's check.csv is that of `tradesim check best.cfg --seed 11`,
 * and not that of the scenario's own run.seed. */
static void candidates_run_the_seeds_of_check_with_the_calibration_seed(void **state)
{
	(void)state;
	tu_write_file("calib_seed.cfg", "scenario = \"" DATA "calib_world.cfg\"; facts = \"" DATA "calib_facts.cfg\";\n"
	              "replications = 3; seed = 11; points = 1; starts = 0; profile = 0;\n"
	              "parameters = ( { path = \"countries.US.markets.phones.size\"; min = 250.0; max = 350.0; } );\n");
	char dir[256], same[256], other[256];
	ts_calibration_free(calibrate("calib_seed.cfg", "calib_seed", dir, sizeof dir, 2));
	tu_make_dir(same, sizeof same, "calib_seed_11");
	tu_make_dir(other, sizeof other, "calib_seed_5");
	tu_cli(NULL, "check %s/best.cfg " DATA "calib_facts.cfg --reps 3 --seed 11 -o %s >/dev/null", dir, same);
	tu_cli(NULL, "check %s/best.cfg " DATA "calib_facts.cfg --reps 3 -o %s >/dev/null", dir, other);
	char *got = tu_read_in(dir, "check.csv"), *a = tu_read_in(same, "check.csv"), *b = tu_read_in(other, "check.csv");
	assert_string_equal(got, a);
	assert_string_not_equal(got, b);
	free(got);
	free(a);
	free(b);
}

/* Apple's jobs per bn USD moves no fact: its accepted design points span
 * nearly its whole range (in the log coordinates it is drawn in), its loss
 * profile is flat, while the two markets' ranges are narrow. */
static void a_parameter_no_fact_depends_on_has_a_wide_acceptance_range(void **state)
{
	(void)state;
	char dir[256];
	ts_calibration *c = calibrate(DATA "calib_recover.cfg", "calib_wide", dir, sizeof dir, 2);
	assert_true(ts_calibration_accepted(c) >= 5);
	char *acc = tu_read_in(dir, "acceptance.csv"), *profile = tu_read_in(dir, "profile.csv");
	assert_true(field_of(acc, "firms.Apple.jobs_per_bn,", "width_share") >= 0.85);
	assert_true(field_of(acc, "countries.US.markets.phones.size,", "width_share") <= 0.5);
	assert_true(field_of(acc, "countries.CN.markets.phones.size,", "width_share") <= 0.5);
	/* each parameter's scale as its file declares it, for the plots */
	assert_non_null(strstr(acc, "\nfirms.Apple.jobs_per_bn,100,1000,log,"));
	assert_non_null(strstr(acc, "\ncountries.US.markets.phones.size,"));
	assert_non_null(strstr(strstr(acc, "\ncountries.US.markets.phones.size,"), ",linear,"));
	/* the set is the design's accepted rows, not the search's (which crowd the best point) */
	char *evals = tu_read_in(dir, "calibrate.csv");
	long design = 0, search = 0;
	for (const char *line = evals; (line = strchr(line, '\n')) && line[1]; line++) {
		const char *end = strchr(line + 1, '\n');
		int accepted = end - line > 10 && strncmp(end - 6, ",1,ok,", 6) == 0;
		design += accepted && strncmp(strchr(line + 1, ','), ",design,", 8) == 0;
		search += accepted && strncmp(strchr(line + 1, ','), ",search,", 8) == 0;
	}
	free(evals);
	assert_int_equal(ts_calibration_accepted(c), design);
	assert_true(search > 0);
	assert_double_equal(field_of(acc, "firms.Apple.jobs_per_bn,", "accepted"), (double)design, 0.0);
	double lo, hi;
	ts_calibration_range(c, 2, &lo, &hi);
	assert_true(lo < 150.0 && hi > 900.0);
	double flat = field_of(profile, "firms.Apple.jobs_per_bn,100,", "loss");
	assert_double_equal(field_of(profile, "firms.Apple.jobs_per_bn,1000,", "loss"), flat, 0.0);
	assert_double_equal(flat, ts_calibration_best_loss(c), 0.0);
	assert_true(field_of(profile, "countries.US.markets.phones.size,250,", "loss") > 1.0);
	free(acc);
	free(profile);
	ts_calibration_free(c);
}

/* Government plus infrastructure shares above 1 are refused by the
 * scenario: each bound alone applies, so the calibration loads, and the
 * candidates where both are high fail, recorded, while the rest go on. */
static void a_failed_candidate_is_recorded_and_the_calibration_goes_on(void **state)
{
	(void)state;
	tu_write_file("calib_fail.cfg", "scenario = \"" DATA "calib_world.cfg\"; facts = \"" DATA "calib_facts.cfg\";\n"
	              "replications = 2; points = 16; starts = 1; evaluations = 12; profile = 3;\n"
	              "parameters = ( { path = \"countries.US.markets.phones.government\"; min = 0.0; max = 0.8; },\n"
	              "  { path = \"countries.US.markets.phones.infrastructure\"; min = 0.0; max = 0.8; } );\n");
	char dir[256], *err = NULL;
	tu_make_dir(dir, sizeof dir, "calib_fail");
	assert_int_equal(tu_cli(&err, "calibrate calib_fail.cfg -o %s >/dev/null", dir), 1);
	assert_non_null(strstr(err, "evaluations failed"));
	char *evals = tu_read_in(dir, "calibrate.csv");
	const char *failed = strstr(evals, ",,failed,");
	assert_non_null(failed);
	assert_non_null(strstr(failed, "must not exceed 1"));
	assert_non_null(strstr(evals, ",ok,\n"));
	char *best = tu_read_in(dir, "best.csv");
	assert_true(field_of(best, "", "countries.US.markets.phones.government") +
	            field_of(best, "", "countries.US.markets.phones.infrastructure") <= 1.0);
	free(best);
	free(evals);
	free(err);
}

static void the_outputs_are_the_same_bytes_whatever_jobs(void **state)
{
	(void)state;
	char d1[256], d2[256];
	tu_make_dir(d1, sizeof d1, "calib_j1");
	tu_make_dir(d2, sizeof d2, "calib_j2");
	assert_int_equal(tu_cli(NULL, "calibrate " DATA "calib_recover.cfg -j 1 -o %s >/dev/null", d1), 0);
	assert_int_equal(tu_cli(NULL, "calibrate " DATA "calib_recover.cfg -j 2 -o %s >/dev/null", d2), 0);
	same_outputs(d1, d2);
}

/* Killed after 70 evaluations (in the search), then run again: the same
 * bytes as a run never interrupted; so too when a journaled row was
 * damaged (it is computed again) or the calibration had finished. */
static void a_killed_calibration_resumes_to_the_same_bytes(void **state)
{
	(void)state;
	char whole[256], killed[256];
	tu_make_dir(whole, sizeof whole, "calib_whole");
	tu_make_dir(killed, sizeof killed, "calib_killed");
	assert_int_equal(tu_cli(NULL, "calibrate " DATA "calib_recover.cfg -o %s >/dev/null", whole), 0);
	char cmd[800], part[300];
	snprintf(cmd, sizeof cmd, "TRADESIM_TEST_KILL_AFTER=70 '%s' calibrate " DATA "calib_recover.cfg -o %s >/dev/null 2>&1",
	         TS_CLI_PATH, killed);
	assert_int_not_equal(system(cmd), 0);
	snprintf(part, sizeof part, "%s/calibrate.csv.part", killed);
	char *journal = tu_read_file(part);
	assert_non_null(journal);
	assert_true(tu_count_lines(journal) >= 60 && tu_count_lines(journal) < 136);
	/* damage row 3's loss: it no longer writes back the same, so it and the rest are run again */
	char *row = strstr(journal, "\n3,design,3,");
	assert_non_null(row);
	char *comma = row;
	for (int k = 0; k < 7; k++)
		comma = strchr(comma + 1, ',');
	comma[1] = comma[1] == '9' ? '8' : '9';
	tu_write_file(part, journal);
	free(journal);
	assert_int_equal(tu_cli(NULL, "calibrate " DATA "calib_recover.cfg -o %s >/dev/null", killed), 0);
	same_outputs(whole, killed);
	assert_int_equal(tu_cli(NULL, "calibrate " DATA "calib_recover.cfg -o %s >/dev/null", killed), 0);
	same_outputs(whole, killed);
}

/* Stops the calibration once `after` evaluations are done. */
typedef struct stopper {
	volatile sig_atomic_t flag;
	long after, done, total;     /* the last progress reported */
} stopper;

static void stop_after(void *ctx, long done, long total)
{
	stopper *s = ctx;
	assert_true(done <= total && done >= s->done);
	s->done = done;
	s->total = total;
	if (done >= s->after)
		s->flag = 1;
}

/* Interrupted through its cancel flag in the design (30) and again in the
 * search (90): TS_ECANCELED, the journal kept; the third call finishes with
 * the bytes of a calibration never interrupted. */
static void an_interrupted_calibration_resumes_to_the_same_bytes(void **state)
{
	(void)state;
	char whole[256], stopped[256];
	ts_calibration_free(calibrate(DATA "calib_recover.cfg", "calib_uncut", whole, sizeof whole, 2));
	tu_make_dir(stopped, sizeof stopped, "calib_stopped");
	ts_error err = TS_ERROR_INIT;
	ts_calibration *c = NULL;
	assert_int_equal(ts_calibration_load(&c, DATA "calib_recover.cfg", &err), TS_OK);
	const long stops[] = {30, 90, 1000000};
	for (int k = 0; k < 3; k++) {
		stopper s = {0, stops[k], 0, 0};
		ts_calibrate_options o = TS_CALIBRATE_OPTIONS_INIT;
		o.output_dir = stopped;
		o.jobs = 2;
		o.cancel = &s.flag;
		o.progress = stop_after;
		o.progress_ctx = &s;
		ts_error_clear(&err);
		assert_int_equal(ts_calibration_run(c, &o, &err), k < 2 ? TS_ECANCELED : TS_OK);
		assert_int_equal(err.status, k < 2 ? TS_ECANCELED : TS_OK);  /* the error says so too */
		if (k < 2) {  /* it stopped at once: the evaluation under way was dropped, not journaled */
			char part[300];
			snprintf(part, sizeof part, "%s/calibrate.csv.part", stopped);
			char *journal = tu_read_file(part);
			assert_non_null(journal);
			assert_int_equal(tu_count_lines(journal) - 1, stops[k]);
			free(journal);
		}
		if (k == 2)  /* the progress reaches its total, and the run counts its own evaluations */
			assert_true(s.done == s.total && s.total == ts_calibration_budget(c));
	}
	char *evals = tu_read_in(stopped, "calibrate.csv");
	assert_int_equal(ts_calibration_evaluations(c), tu_count_lines(evals) - 1);
	free(evals);
	same_outputs(whole, stopped);
	ts_calibration_free(c);
}

/* A calibration file at path of one seed and `points` design points over the
 * US phone market's size, with no search and no profile: the quickest. */
static void write_design_only(const char *path, int points)
{
	char text[512];
	snprintf(text, sizeof text,
	         "scenario = \"" DATA "calib_world.cfg\"; facts = \"" DATA "calib_facts.cfg\";\n"
	         "replications = 1; points = %d; starts = 0; profile = 0;\n"
	         "parameters = ( { path = \"countries.US.markets.phones.size\"; min = 250.0; max = 350.0; } );\n",
	         points);
	tu_write_file(path, text);
}

static void a_directory_of_another_calibration_is_refused(void **state)
{
	(void)state;
	char dir[256], args[600];
	tu_make_dir(dir, sizeof dir, "calib_other");
	write_design_only("calib_small.cfg", 2);
	assert_int_equal(tu_cli(NULL, "calibrate calib_small.cfg -o %s >/dev/null", dir), 0);
	write_design_only("calib_small2.cfg", 3);
	snprintf(args, sizeof args, "calibrate calib_small2.cfg -o %s", dir);
	tu_expect_cli_refusal(args, "holds another calibration");
	/* calibrate.json is read as JSON: calib_small2's hash under another key
	 * is still another calibration, and a file that is not JSON is damaged */
	ts_calibration *c = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_calibration_load(&c, "calib_small2.cfg", &err), TS_OK);
	char path[512], json[512];
	snprintf(path, sizeof path, "%s/calibrate.json", dir);
	snprintf(json, sizeof json, "{\"calibration\": \"%s\", \"calibration_sha256\": \"0\"}\n", ts_calibration_hash(c));
	tu_write_file(path, json);
	tu_expect_cli_refusal(args, "holds another calibration");
	tu_write_file(path, "calibration_sha256\n");
	tu_expect_cli_refusal(args, "not the calibrate.json tradesim writes (damaged?)");
	ts_calibration_free(c);
}

/* A calibration is one output of its own (output/dir_contents.h): a run
 * into its directory is refused saying what is there, a calibration into a
 * run's directory too, and --force replaces either. */
static void a_calibration_and_a_run_refuse_each_others_directory_unless_forced(void **state)
{
	(void)state;
	char calib[256], run[256], args[800];
	tu_make_dir(calib, sizeof calib, "calib_kind");
	tu_make_dir(run, sizeof run, "calib_kind_run");
	write_design_only("calib_kind.cfg", 2);
	assert_int_equal(tu_cli(NULL, "calibrate calib_kind.cfg -o %s >/dev/null", calib), 0);
	snprintf(args, sizeof args, "run %scalib_world.cfg -o %s", DATA, calib);
	tu_expect_cli_refusal(args, "holds a calibration (calibrate.json); use --force");
	assert_int_equal(tu_cli(NULL, "run %scalib_world.cfg -o %s --force >/dev/null", DATA, calib), 0);
	assert_true(exists_in(calib, "firms.csv"));
	assert_false(exists_in(calib, "calibrate.csv"));
	assert_int_equal(tu_cli(NULL, "run %scalib_world.cfg -o %s >/dev/null", DATA, run), 0);
	snprintf(args, sizeof args, "calibrate calib_kind.cfg -o %s", run);
	tu_expect_cli_refusal(args, "holds a run of");
	assert_int_equal(tu_cli(NULL, "calibrate calib_kind.cfg -o %s --force >/dev/null", run), 0);
	assert_true(exists_in(run, "calibrate.csv"));
	assert_false(exists_in(run, "firms.csv"));
}

static void bad_input_exits_2_naming_file_line_and_setting(void **state)
{
	(void)state;
	tu_write_file("calib_bad.cfg", "scenario = \"" DATA "calib_world.cfg\"; facts = \"" DATA "calib_facts.cfg\";\n"
	              "points = 4; starts = 5; tolerance = 2.0; simplex = 0.0;\n"
	              "desing = \"lhs\";\n"
	              "parameters = ( { path = \"countries.US.markets.phones.size\"; min = 3.0; max = 2.0; },\n"
	              "  { path = \"countries.US.markets.phones.government\"; min = 0.5; max = 1.5; },\n"
	              "  { path = \"firms.Apple.jobs_per_bn\"; min = -1.0; max = 10.0; log = true; } );\n");
	const char *const messages[] = {
		"calib_bad.cfg:3: desing: unknown setting 'desing' (did you mean 'design'?)",
		"calib_bad.cfg:4: parameters[0].max: expected max > min (3), got 2",
		"calib_bad.cfg:5: parameters[1].max: countries.US.markets.phones.government = 1.5 does not apply to",
		"calib_bad.cfg:6: parameters[2].min: a log scale needs min > 0, got -1",
		"calib_bad.cfg:2: starts: expected at most `points` (4) starts, got 5",
		"calib_bad.cfg:2: tolerance:",
		"calib_bad.cfg:2: simplex:",
	};
	for (size_t k = 0; k < sizeof messages / sizeof *messages; k++)
		tu_expect_cli_refusal("calibrate calib_bad.cfg -o calib_bad_out", messages[k]);
	tu_write_file("calib_bad2.cfg", "scenario = \"no_such.cfg\"; facts = \"" DATA "calib_facts.cfg\";\n"
	              "parameters = ( { path = \"countries.US.markets.phones.size\"; min = 3.0; max = 4.0; } );\n");
	tu_expect_cli_refusal("calibrate calib_bad2.cfg -o calib_bad_out", "calib_bad2.cfg:1: scenario: cannot use no_such.cfg");
	tu_expect_cli_refusal("calibrate calib_bad.cfg", "missing -o DIR");
	tu_expect_cli_refusal("calibrate -o x", "missing CALIBRATION.cfg");
	tu_expect_cli_refusal("calibrate calib_bad.cfg -o x -j 0", "--jobs must be an integer");
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_loss_sums_squared_misfits_over_tolerances),
		cmocka_unit_test(known_parameters_are_recovered_from_facts_the_model_generated),
		cmocka_unit_test(candidates_run_the_seeds_of_check_with_the_calibration_seed),
		cmocka_unit_test(a_parameter_no_fact_depends_on_has_a_wide_acceptance_range),
		cmocka_unit_test(a_failed_candidate_is_recorded_and_the_calibration_goes_on),
		cmocka_unit_test(the_outputs_are_the_same_bytes_whatever_jobs),
		cmocka_unit_test(a_killed_calibration_resumes_to_the_same_bytes),
		cmocka_unit_test(an_interrupted_calibration_resumes_to_the_same_bytes),
		cmocka_unit_test(a_directory_of_another_calibration_is_refused),
		cmocka_unit_test(a_calibration_and_a_run_refuse_each_others_directory_unless_forced),
		cmocka_unit_test(bad_input_exits_2_naming_file_line_and_setting),
	};
	return cmocka_run_group_tests_name("calibrate", tests, NULL, NULL);
}
