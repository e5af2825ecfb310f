/* Sweep files (sim/batch/sweep_file.c) loaded in memory: defaults, where
 * the scenario is found, duplicates, the size limits at their bounds, and
 * the sweep's hash, which every setting that changes a run must change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "testutil.h"
#include "small_world.h"
#include "batch/sweep_impl.h"

static const char *base_text =
	"scenario = \"file_world.cfg\"; design = \"lhs\"; points = 4; replications = 2; seed = 3;\n"
	"parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; },\n"
	"               { path = \"measures.zte_denial.end\"; values = [\"2018Q3\", \"2019Q1\"]; } );\n"
	"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; } );\n";

static int setup(void **state)
{
	(void)state;
	tu_write_file("file_world.cfg", small_world);
	mkdir("file_sub", 0755);
	tu_write_file("file_sub/file_world.cfg", small_world);
	return 0;
}

static ts_sweep *load_text(const char *text, const char *dir, int saltelli)
{
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "file.cfg", dir, NULL, 0, saltelli, &err) != TS_OK)
		fail_msg("%s", err.message);
	return s;
}

static ts_error load_error(const char *text, int saltelli)
{
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "file.cfg", ".", NULL, 0, saltelli, &err) == TS_OK) {
		ts_sweep_free(s);
		fail_msg("loaded: %s", text);
	}
	assert_null(s);
	return err;
}

/* base_text with `find` replaced by `replace`. */
static void edited(char *out, size_t size, const char *find, const char *replace)
{
	const char *at = strstr(base_text, find);
	assert_non_null(at);
	snprintf(out, size, "%.*s%s%s", (int)(at - base_text), base_text, replace, at + strlen(find));
}

static void a_sweep_file_without_optional_settings_takes_the_documented_defaults(void **state)
{
	(void)state;
	ts_sweep *s = load_text("scenario = \"file_world.cfg\";\n"
	                        "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; } );\n"
	                        "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; },\n"
	                        "            { series = \"firms.Q.revenue_bn_usd\"; stat = \"max\"; diff = true; } );\n",
	                        ".", 0);
	assert_int_equal(s->design, TS_SWEEP_GRID);
	assert_int_equal(s->points_setting, 3);       /* a grid's levels */
	assert_int_equal(ts_sweep_points(s), 3);
	assert_int_equal(s->reps, 1);
	assert_int_equal(s->seed, 5);                 /* the scenario's run.seed */
	assert_true(s->common_seeds);
	assert_int_equal(s->bootstrap, 1000);
	assert_true(s->confidence == 0.95);
	assert_string_equal(s->metrics[0].name, "final:firms.ZTE.revenue_bn_usd");
	assert_string_equal(s->metrics[1].name, "diff:max:firms.Q.revenue_bn_usd");
	assert_true(s->any_diff);
	ts_sweep_free(s);
	s = load_text("scenario = \"file_world.cfg\"; design = \"sobol\";\n"
	              "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; } );\n"
	              "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n", ".", 0);
	assert_int_equal(ts_sweep_points(s), 10);    /* other designs: 10 points */
	assert_false(s->any_diff);
	ts_sweep_free(s);
}

static void sensitivity_settings_are_read_and_need_two_base_rows(void **state)
{
	(void)state;
	char text[2048];
	edited(text, sizeof text, "seed = 3;", "seed = 3; sensitivity = { bootstrap = 0; confidence = 0.8; };");
	ts_sweep *s = load_text(text, ".", 1);
	assert_int_equal(s->design, TS_SWEEP_SALTELLI);
	assert_int_equal(s->bootstrap, 0);
	assert_true(s->confidence == 0.8);
	assert_int_equal(ts_sweep_points(s), 4 * (2 + 2));
	assert_int_equal(ts_sweep_runs(s), 4 * 4 * 2);
	ts_sweep_free(s);
	edited(text, sizeof text, "points = 4;", "points = 1;");
	ts_error err = load_error(text, 1);
	assert_non_null(strstr(err.message, "file.cfg:1: points: sensitivity needs at least 2 base rows, got 1"));
	edited(text, sizeof text, "points = 4;", "points = 2;");
	ts_sweep_free(load_text(text, ".", 1));
}

/* The scenario is named relative to the sweep file's directory, unless
 * that is the working directory or the name is absolute. */
static void the_scenario_is_found_beside_the_sweep_file(void **state)
{
	(void)state;
	ts_sweep *s = load_text(base_text, "file_sub", 0);
	assert_string_equal(s->scenario_path, "file_sub/file_world.cfg");
	assert_string_equal(ts_scenario_path(s->base), "file_sub/file_world.cfg");
	ts_sweep_free(s);
	s = load_text(base_text, ".", 0);
	assert_string_equal(s->scenario_path, "file_world.cfg");
	ts_sweep_free(s);
	s = load_text(base_text, NULL, 0);
	assert_string_equal(s->scenario_path, "file_world.cfg");
	ts_sweep_free(s);
	char cwd[1024], text[4096], absolute[1100];
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(absolute, sizeof absolute, "\"%s/file_world.cfg\"", cwd);
	edited(text, sizeof text, "\"file_world.cfg\"", absolute);
	s = load_text(text, "file_sub", 0);
	assert_true(s->scenario_path[0] == '/');
	assert_string_equal(s->scenario_path + strlen(cwd), "/file_world.cfg");
	ts_sweep_free(s);
}

static void a_parameter_varied_twice_or_a_metric_named_twice_is_refused(void **state)
{
	(void)state;
	char text[2048];
	edited(text, sizeof text, "\"measures.zte_denial.end\"", "\"countries.CN.home_bias\"");
	ts_error err = load_error(text, 0);
	assert_non_null(strstr(err.message, "parameters[1]: parameter 'countries.CN.home_bias' is already varied "
	                                    "(parameters.[0])"));
	edited(text, sizeof text, "stat = \"mean\"; }", "stat = \"mean\"; }, { series = \"firms.ZTE.revenue_bn_usd\"; "
	       "stat = \"mean\"; }");
	err = load_error(text, 0);
	assert_non_null(strstr(err.message, "a metric named 'mean:firms.ZTE.revenue_bn_usd' exists already"));
}

/* A list needs at least one value; one is enough. */
static void a_value_list_needs_one_value(void **state)
{
	(void)state;
	char text[2048];
	edited(text, sizeof text, "[\"2018Q3\", \"2019Q1\"]", "[]");
	ts_error err = load_error(text, 0);
	assert_non_null(strstr(err.message, "expected a non-empty list of values"));
	edited(text, sizeof text, "[\"2018Q3\", \"2019Q1\"]", "[\"2019Q1\"]");
	ts_sweep *s = load_text(text, ".", 0);
	assert_int_equal(s->params[1].n_values, 1);
	ts_sweep_free(s);
}

/* The limits of docs/sweep.md at their bounds: equal passes, one more
 * fails. None of these designs builds its points to load. */
static void the_size_limits_hold_at_their_bounds(void **state)
{
	(void)state;
	char text[2048];
	/* runs = points x replications <= 4 x 10^9 */
	edited(text, sizeof text, "design = \"lhs\"; points = 4; replications = 2;",
	       "design = \"sobol\"; points = 100000000; replications = 40;");
	ts_sweep *s = load_text(text, ".", 0);
	assert_int_equal(ts_sweep_runs(s), 4000000000L);
	ts_sweep_free(s);
	edited(text, sizeof text, "design = \"lhs\"; points = 4; replications = 2;",
	       "design = \"sobol\"; points = 99999999; replications = 41;");
	ts_error err = load_error(text, 0);
	assert_non_null(strstr(err.message, "99999999 points x 41 replications = 4099999959 runs, at most 4000000000"));
	/* sensitivity: n (d + 2) x metrics <= 10^8, here d = 2, one metric */
	edited(text, sizeof text, "points = 4;", "points = 25000000;");
	s = load_text(text, ".", 1);
	assert_int_equal(ts_sweep_points(s), 100000000);
	ts_sweep_free(s);
	edited(text, sizeof text, "points = 4;", "points = 25000001;");
	err = load_error(text, 1);
	assert_non_null(strstr(err.message, "n (d + 2) x metrics = 100000004, at most 100000000"));
	/* with two metrics, half the base rows: 12,500,001 x 4 x 2 */
	char two[2048];
	edited(two, sizeof two, "stat = \"mean\"; }", "stat = \"mean\"; }, { series = \"firms.Q.revenue_bn_usd\"; }");
	char *points = strstr(two, "points = 4;");
	assert_non_null(points);
	char rest[2048];
	snprintf(rest, sizeof rest, "%s", points + strlen("points = 4;"));
	snprintf(points, sizeof two - (size_t)(points - two), "points = 12500001;%s", rest);
	err = load_error(two, 1);
	assert_non_null(strstr(err.message, "n (d + 2) x metrics = 100000008, at most 100000000"));
	/* a grid of 10^4 x 10^4 levels: 10^8 points; 10^4 x 10,001 is past it */
	const char *grid = "scenario = \"file_world.cfg\"; design = \"grid\";\n"
	                   "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; levels = 10000; },\n"
	                   "               { path = \"countries.US.home_bias\"; min = 0.0; max = 1.0; levels = %d; } );\n"
	                   "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n";
	snprintf(text, sizeof text, grid, 10000);
	s = load_text(text, ".", 0);
	assert_int_equal(ts_sweep_points(s), 100000000);
	ts_sweep_free(s);
	snprintf(text, sizeof text, grid, 10001);
	err = load_error(text, 0);
	assert_non_null(strstr(err.message, "a grid of more than 100000000 points (levels multiply past it at "
	                                    "parameters.[1])"));
}

/* More than 1000 parameters, or more than Saltelli's 20. */
static void too_many_parameters_are_refused(void **state)
{
	(void)state;
	size_t size = 1001 * 64 + 512;
	char *text = malloc(size);
	assert_non_null(text);
	strcpy(text, "scenario = \"file_world.cfg\"; parameters = (");
	for (int i = 0; i < 1001; i++)
		strcat(text, i ? ", { path = \"run.seed\"; values = [1]; }" : "{ path = \"run.seed\"; values = [1]; }");
	strcat(text, "); metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n");
	ts_error err = load_error(text, 0);
	assert_non_null(strstr(err.message, "at most 1000 parameters, got 1001"));
	strcpy(text, "scenario = \"file_world.cfg\"; points = 2; parameters = (");
	for (int i = 0; i < 21; i++)
		snprintf(text + strlen(text), size - strlen(text), "%s{ path = \"run.seed\"; values = [%d]; }",
		         i ? ", " : "", i + 1);
	strcat(text, "); metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n");
	err = load_error(text, 1);
	assert_non_null(strstr(err.message, "the saltelli design supports at most 20 parameters"));
	free(text);
}

/* Every setting that changes what runs changes the hash; the same file
 * gives the same hash. */
static void every_setting_that_changes_a_run_changes_the_hash(void **state)
{
	(void)state;
	static const char *const edits[][2] = {
		{"seed = 3;", "seed = 4;"},
		{"replications = 2;", "replications = 3;"},
		{"seed = 3;", "seed = 3; common_seeds = false;"},
		{"design = \"lhs\"; points = 4;", "design = \"sobol\"; points = 4;"},
		{"points = 4;", "points = 5;"},
		{"min = 0.0;", "min = 0.1;"},
		{"max = 1.0;", "max = 0.9;"},
		{"max = 1.0;", "max = 1.0; integer = true;"},
		{"min = 0.0; max = 1.0;", "min = 0.1; max = 1.0; log = true;"},
		{"\"2019Q1\"]", "\"2019Q2\"]"},
		{"\"2019Q1\"]", "\"2019Q1\", \"2019Q2\"]"},
		{"stat = \"mean\";", "stat = \"max\";"},
		{"stat = \"mean\";", "stat = \"mean\"; diff = true;"},
		{"stat = \"mean\";", "stat = \"mean\"; name = \"zte\";"},
		{"firms.ZTE.revenue_bn_usd", "firms.Q.revenue_bn_usd"},
		{"firms.ZTE.revenue_bn_usd", "firms.ZTE.profit_bn_usd"},
		{"\"countries.CN.home_bias\"", "\"countries.US.home_bias\""},
		{"stat = \"mean\";", "stat = \"mean\"; from = \"2019\";"},
		{"stat = \"mean\";", "stat = \"mean\"; to = \"2019\";"},
		{"stat = \"mean\";", "stat = \"sum\"; from = \"2019\";"},
		{"stat = \"mean\";", "stat = \"sum\"; from = \"2019\"; annualise = true;"},
		{"{ series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; }", "\"rule_starts:CN\""},
		{"{ series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; }", "\"rule_starts:US\""},
		{"{ series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; }", "\"first_start:zte_denial\""},
		{"{ series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; }", "\"first_start:state_ban\""},
	};
	enum { N = sizeof edits / sizeof edits[0] };
	char hashes[N + 2][65], text[2048];
	ts_sweep *s = load_text(base_text, ".", 0);
	snprintf(hashes[0], 65, "%s", ts_sweep_hash(s));
	ts_sweep_free(s);
	s = load_text(base_text, ".", 0);
	assert_string_equal(ts_sweep_hash(s), hashes[0]);
	ts_sweep_free(s);
	for (int k = 0; k < N; k++) {
		edited(text, sizeof text, edits[k][0], edits[k][1]);
		s = load_text(text, ".", 0);
		snprintf(hashes[k + 1], 65, "%s", ts_sweep_hash(s));
		ts_sweep_free(s);
	}
	/* the scenario's content: a sweep file naming a changed copy */
	char *world = malloc(strlen(small_world) + 64);
	assert_non_null(world);
	sprintf(world, "%stitle = \"changed\";\n", small_world);
	tu_write_file("file_sub/file_world.cfg", world);
	free(world);
	s = load_text(base_text, "file_sub", 0);
	snprintf(hashes[N + 1], 65, "%s", ts_sweep_hash(s));
	ts_sweep_free(s);
	tu_write_file("file_sub/file_world.cfg", small_world);
	for (int a = 0; a < N + 2; a++) {
		assert_int_equal(strlen(hashes[a]), 64);
		for (int b = a + 1; b < N + 2; b++)
			if (strcmp(hashes[a], hashes[b]) == 0)
				fail_msg("edits %d and %d give the same hash", a - 1, b - 1);
	}
}

/* Each misuse of a parameter, a metric or the lists, with its line and
 * setting (base_text's parameters are on lines 2 and 3). */
static void misused_settings_are_refused_naming_line_and_setting(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{"values = [\"2018Q3\", \"2019Q1\"]", "values = [\"2018Q3\"]; min = 0.0",
		 "file.cfg:3: parameters[1].values: give either values or min and max, not both"},
		{"values = [\"2018Q3\", \"2019Q1\"]", "values = ( \"2018Q3\", [1] )",
		 "file.cfg:3: parameters[1].values[1]: expected a number, boolean or string, got an array"},
		{"values = [\"2018Q3\", \"2019Q1\"]", "values = [\"2018Q3\"]; levels = 2",
		 "parameters[1].levels: levels applies to a range (min, max); a list has its own values"},
		{"values = [\"2018Q3\", \"2019Q1\"]", "values = [\"2018Q3\"]; log = true",
		 "parameters[1].log: applies to a range (min, max) only"},
		{"values = [\"2018Q3\", \"2019Q1\"]", "values = [\"2018Q3\"]; integer = true",
		 "parameters[1].integer: applies to a range (min, max) only"},
		{"min = 0.0; max = 1.0;", "min = 0.0;", "file.cfg:2: parameters[0].max: missing: a parameter needs min and max"},
		{"min = 0.0; max = 1.0;", "max = 1.0;", "file.cfg:2: parameters[0].min: missing: a parameter needs min and max"},
		{"min = 0.0; max = 1.0;", "min = 0.0; max = 1.0; log = true;",
		 "file.cfg:2: parameters[0].min: a log-scale range needs min > 0, got 0"},
		{"min = 0.0; max = 1.0;", "min = 0.0; max = 1.0; levels = 3;",
		 "parameters[0].levels: levels applies to the grid design only (design is lhs)"},
		{"{ path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; }", "[1.0]",
		 "file.cfg:2: parameters[0]: expected a group { path = ...; min = ...; max = ...; }"},
		{"{ series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; }", "\"firms.ZTE.revenue_bn_usd\"",
		 "file.cfg:4: metrics[0]: 'firms.ZTE.revenue_bn_usd' is not [diff:][annualise:]STAT:WHAT[:FROM[:TO]]"},
		{"{ series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; }", "[1.0]",
		 "file.cfg:4: metrics[0]: expected a group { series = "},
		{"parameters = (", "parameters = (); params = (", "file.cfg:2: parameters: expected a non-empty list"},
		{"metrics = (", "metric = (", "file.cfg: metrics: missing: expected a list like"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[2048];
		edited(text, sizeof text, cases[k][0], cases[k][1]);
		ts_error err = load_error(text, 0);
		if (!strstr(err.message, cases[k][2]))
			fail_msg("case %zu: expected \"%s\" in \"%s\"", k, cases[k][2], err.message);
	}
}


/* A metric group with a window, annualise and the event stats' keys, and
 * the same metrics in the text form: the same windows and default names. */
static void metric_groups_and_texts_read_windows_and_events_alike(void **state)
{
	(void)state;
	char text[2048];
	edited(text, sizeof text, "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; } );",
	       "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; stat = \"sum\"; from = \"2018Q2\"; to = 3;"
	       " annualise = true; },\n"
	       "  { stat = \"first_start\"; measure = \"zte_denial\"; },\n"
	       "  { stat = \"retaliated\"; country = \"CN\"; from = \"2019\"; },\n"
	       "  \"rule_starts\", \"mean:firms.Q.profit_bn_usd:2019\" );");
	ts_sweep *s = load_text(text, ".", 0);
	assert_int_equal(s->n_metrics, 5);
	assert_string_equal(s->metrics[0].name, "annualise:sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4");
	assert_int_equal(s->metrics[0].from, 1);
	assert_int_equal(s->metrics[0].to, 3);
	assert_true(s->metrics[0].years == 0.75);
	assert_string_equal(s->metrics[1].name, "first_start:zte_denial");
	assert_int_equal(s->metrics[1].measure, 0);
	assert_string_equal(s->metrics[2].name, "retaliated:CN:2019Q1:2020Q2");  /* to the run's end */
	assert_int_equal(s->metrics[2].from, 4);
	assert_int_equal(s->metrics[2].to, 9);
	assert_string_equal(s->metrics[3].name, "rule_starts");
	assert_int_equal(s->metrics[3].country, -1);
	assert_string_equal(s->metrics[4].name, "mean:firms.Q.profit_bn_usd:2019");
	assert_int_equal(s->metrics[4].from, 4);
	assert_int_equal(s->metrics[4].to, 7);
	ts_sweep_free(s);
}

/* A metric group's misuses, each at its file and line. */
static void bad_metric_groups_are_refused_at_their_line(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"stat = \"mean\"; from = \"2019Q9\";", "file.cfg:4: metrics[0].from: '2019Q9' is not a date"},
		{"stat = \"mean\"; to = 12;", "file.cfg:4: metrics[0].to: expected an integer in [0, 9]"},
		{"stat = \"mean\"; from = \"2019\"; to = \"2018\";", "file.cfg:4: metrics[0]: the window ends (step 3) "
		 "before it starts (step 4)"},
		{"stat = \"mean\"; annualise = true;", "file.cfg:4: metrics[0]: annualise applies to stat sum, not mean"},
		{"stat = \"final\"; from = 2;", "file.cfg:4: metrics[0]: stat final takes no window"},
		{"stat = \"first_start\";", "file.cfg:4: metrics[0].series: stat first_start does not take series (it "
		 "reads measure)"},
		{"stat = \"mean\"; measure = \"zte_denial\";", "file.cfg:4: metrics[0].measure: stat mean does not take "
		 "measure (it reads series)"},
		{"stat = \"sum\"; annualise = 1;", "file.cfg:4: metrics[0].annualise: expected true or false"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[2048];
		edited(text, sizeof text, "stat = \"mean\";", cases[k][0]);
		ts_error err = load_error(text, 0);
		if (!strstr(err.message, cases[k][1]))
			fail_msg("case %zu: expected \"%s\" in \"%s\"", k, cases[k][1], err.message);
	}
	ts_error err = load_error("scenario = \"file_world.cfg\";\n"
	                          "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 1.0; } );\n"
	                          "metrics = ( { stat = \"retaliated\"; },\n"
	                          "  \"first_start:zte\" );\n", 0);
	assert_non_null(strstr(err.message, "file.cfg:3: metrics[0].country: required setting missing"));
	assert_non_null(strstr(err.message, "file.cfg:4: metrics[1]: 'first_start:zte': 'zte': no measure 'zte' in "
	                       "file_world.cfg"));
}

/* Overrides of the sweep file's own settings apply before it is read. */
static void overrides_apply_to_the_sweep_file_before_it_is_read(void **state)
{
	(void)state;
	const ts_override ov[] = {{"replications", "3"}, {"design", "\"sobol\""}, {"points", "6"}};
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_load_string(&s, base_text, "file.cfg", ".", ov, 3, 0, &err), TS_OK);
	assert_int_equal(s->reps, 3);
	assert_int_equal(s->design, TS_SWEEP_SOBOL);
	assert_int_equal(ts_sweep_runs(s), 18);
	ts_sweep_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sweep_file_without_optional_settings_takes_the_documented_defaults),
		cmocka_unit_test(sensitivity_settings_are_read_and_need_two_base_rows),
		cmocka_unit_test(the_scenario_is_found_beside_the_sweep_file),
		cmocka_unit_test(a_parameter_varied_twice_or_a_metric_named_twice_is_refused),
		cmocka_unit_test(a_value_list_needs_one_value),
		cmocka_unit_test(the_size_limits_hold_at_their_bounds),
		cmocka_unit_test(too_many_parameters_are_refused),
		cmocka_unit_test(every_setting_that_changes_a_run_changes_the_hash),
		cmocka_unit_test(metric_groups_and_texts_read_windows_and_events_alike),
		cmocka_unit_test(bad_metric_groups_are_refused_at_their_line),
		cmocka_unit_test(misused_settings_are_refused_naming_line_and_setting),
		cmocka_unit_test(overrides_apply_to_the_sweep_file_before_it_is_read),
	};
	return cmocka_run_group_tests_name("sweep_file", tests, setup, NULL);
}
