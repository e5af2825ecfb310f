/* A sweep run's point, seed and parameter values (sim/batch/sweep_point.c):
 * coordinates to values by hand, value lists indexed as docs/sweep.md
 * says, float literals libconfig reads as floats, and seeds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/stats.h>
#include "testutil.h"
#include "small_world.h"
#include "batch/sweep_impl.h"

static ts_sweep *load(const char *design, int common_seeds)
{
	char text[1024];
	snprintf(text, sizeof text,
	         "scenario = \"point_world.cfg\"; design = \"%s\"; points = 4; replications = 3; seed = 9;\n"
	         "common_seeds = %s;\n"
	         "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.0; max = 2.0; },\n"
	         "               { path = \"countries.US.home_bias\"; min = 0.1; max = 10.0; log = true; },\n"
	         "               { path = \"run.steps\"; min = 8.0; max = 15.0; integer = true; },\n"
	         "               { path = \"measures.zte_denial.end\"; values = [\"2018Q3\", \"2019Q1\", \"2019Q3\"]; } );\n"
	         "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n",
	         design, common_seeds ? "true" : "false");
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "point.cfg", ".", NULL, 0, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	return s;
}

static int setup(void **state)
{
	(void)state;
	tu_write_file("point_world.cfg", small_world);
	return 0;
}

static const char *csv_value(const ts_sweep *s, int j, double u)
{
	static char buf[64];
	return ts_sweep_value_csv(s, j, u, buf, sizeof buf);
}

static const char *cfg_value(const ts_sweep *s, int j, double u)
{
	static char buf[64];
	return ts_sweep_value_cfg(s, j, u, buf, sizeof buf);
}

/* Linear: 0 + u (2 - 0); log: 0.1 (10 / 0.1)^u = 0.1 x 100^u, so u = 0.5
 * gives 1 and u = 0.25 gives 0.1 x sqrt(10) = sqrt(0.1); integer:
 * 8 + u (15 - 8), rounded, so u = 0.5 gives 11.5, rounded away from zero to 12. */
static void range_values_follow_the_scale_computed_by_hand(void **state)
{
	(void)state;
	ts_sweep *s = load("lhs", 0);
	assert_string_equal(csv_value(s, 0, 0.25), "0.5");
	assert_string_equal(csv_value(s, 0, 1.0), "2");
	assert_string_equal(csv_value(s, 1, 0.0), "0.1");
	assert_string_equal(csv_value(s, 1, 1.0), "10");
	assert_double_equal(strtod(csv_value(s, 1, 0.5), NULL), 1.0, 1e-15);
	assert_double_equal(strtod(csv_value(s, 1, 0.25), NULL), sqrt(0.1), 1e-15);
	assert_string_equal(csv_value(s, 2, 0.5), "12");
	assert_string_equal(csv_value(s, 2, 0.0), "8");
	ts_sweep_free(s);
}

/* The scenario reads a float parameter as a float literal ("2.0", not the
 * integer "2") and an integer one as an integer. */
static void values_for_the_scenario_are_float_literals_or_whole_numbers(void **state)
{
	(void)state;
	ts_sweep *s = load("lhs", 0);
	assert_string_equal(cfg_value(s, 0, 1.0), "2.0");
	assert_string_equal(cfg_value(s, 0, 0.25), "0.5");
	assert_string_equal(cfg_value(s, 0, 0.0), "0.0");
	assert_string_equal(cfg_value(s, 2, 0.5), "12");
	assert_string_equal(cfg_value(s, 3, 0.0), "\"2018Q3\"");
	ts_sweep_free(s);
	char buf[64];
	const struct { double v; const char *text; } cases[] = {
		{1.0, "1.0"}, {-3.0, "-3.0"}, {2.5, "2.5"}, {1e21, "1e+21"}, {1e-7, "1e-07"}, {123456789.0, "123456789.0"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ts_sweep_float_literal(buf, sizeof buf, cases[k].v);
		assert_string_equal(buf, cases[k].text);
	}
	/* No room for ".0": cut, never past the buffer. */
	char small[4] = "xxx";
	ts_sweep_float_literal(small, 3, 12.0);
	assert_string_equal(small, "12");
}

/* The list parameter's value at each coordinate of u[], against value[],
 * with the design named. */
static void expect_list_values(const char *design, const double *u, const char *const *value, size_t n)
{
	ts_sweep *s = load(design, 0);
	for (size_t k = 0; k < n; k++)
		if (strcmp(csv_value(s, 3, u[k]), value[k]) != 0)
			fail_msg("%s, u = %g: %s, expected %s", design, u[k], csv_value(s, 3, u[k]), value[k]);
	ts_sweep_free(s);
}

/* Other designs take entry floor(u n) of n values, the last one for u = 1. */
static void a_value_list_is_indexed_by_floor_of_u_times_its_length(void **state)
{
	(void)state;
	const double u[] = {0.0, 0.333, 0.334, 0.666, 0.667, 0.999, 1.0};
	const char *const value[] = {"2018Q3", "2018Q3", "2019Q1", "2019Q1", "2019Q3", "2019Q3", "2019Q3"};
	expect_list_values("lhs", u, value, 7);
}

/* A grid spreads n values evenly over [0, 1]: entry round(u (n - 1)). */
static void a_grid_takes_the_nearest_of_its_evenly_spaced_values(void **state)
{
	(void)state;
	const double u[] = {0.0, 0.24, 0.25, 0.5, 0.74, 0.75, 1.0};
	const char *const value[] = {"2018Q3", "2018Q3", "2019Q1", "2019Q1", "2019Q1", "2019Q3", "2019Q3"};
	expect_list_values("grid", u, value, 7);
}

/* Run r's seed derives from the sweep's seed and r, or with common seeds
 * from its replication r % 3, so that every point sees the same ones. */
static void seeds_derive_from_the_run_or_with_common_seeds_from_the_replication(void **state)
{
	(void)state;
	ts_sweep *own = load("lhs", 0), *common = load("lhs", 1);
	for (long run = 0; run < 12; run++) {
		assert_true(ts_sweep_seed(own, run) == ts_seed_derive(9, (uint64_t)run));
		assert_true(ts_sweep_seed(common, run) == ts_seed_derive(9, (uint64_t)(run % 3)));
	}
	ts_sweep_free(own);
	ts_sweep_free(common);
}

/* Points asked for by several callers at once in any order are the
 * design's points (the cursors are shared). */
static void points_asked_in_any_order_are_the_design_s(void **state)
{
	(void)state;
	ts_sweep *s = load("sobol", 0);
	double x[4 * 4], u[4];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_sobol(4, 4, 1, x, &err), TS_OK);
	const long order[] = {3, 0, 2, 2, 1, 3, 0};
	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		assert_int_equal(ts_sweep_point(s, order[k], u, &err), TS_OK);
		assert_memory_equal(u, x + order[k] * 4, sizeof u);
	}
	ts_sweep_free(s);
}

/* A list of strings goes to the scenario as libconfig string literals, with
 * quotes and backslashes escaped, and to sweep.csv as written; integers
 * past 32 bits get libconfig's L suffix; booleans and floats as literals. */
static void listed_values_become_scenario_literals_and_csv_text(void **state)
{
	(void)state;
	char text[4096], long_title[701];
	memset(long_title, 'x', 700);
	long_title[700] = '\0';
	snprintf(text, sizeof text,
	         "scenario = \"point_world.cfg\"; design = \"grid\";\n"
	         "parameters = ( { path = \"title\"; values = [\"say \\\"hi\\\"\", \"back\\\\slash\", \"%s\"]; },\n"
	         "               { path = \"run.seed\"; values = (7, 4000000000L); },\n"
	         "               { path = \"measures.zte_denial.enabled\"; values = [true, false]; },\n"
	         "               { path = \"countries.CN.home_bias\"; values = [1.0, 0.25]; } );\n"
	         "metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n", long_title);
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "lists.cfg", ".", NULL, 0, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	assert_string_equal(cfg_value(s, 0, 0.0), "\"say \\\"hi\\\"\"");
	assert_string_equal(csv_value(s, 0, 0.0), "say \"hi\"");
	assert_string_equal(cfg_value(s, 0, 0.5), "\"back\\\\slash\"");
	assert_string_equal(csv_value(s, 0, 0.5), "back\\slash");
	char quoted[704];
	snprintf(quoted, sizeof quoted, "\"%s\"", long_title);
	assert_string_equal(cfg_value(s, 0, 1.0), quoted);
	assert_string_equal(cfg_value(s, 1, 0.0), "7");
	assert_string_equal(cfg_value(s, 1, 1.0), "4000000000L");
	assert_string_equal(csv_value(s, 1, 1.0), "4000000000");
	assert_string_equal(cfg_value(s, 2, 0.0), "true");
	assert_string_equal(csv_value(s, 2, 1.0), "false");
	assert_string_equal(cfg_value(s, 3, 0.0), "1.0");
	assert_string_equal(csv_value(s, 3, 0.0), "1");
	assert_string_equal(csv_value(s, 3, 1.0), "0.25");
	ts_sweep_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(range_values_follow_the_scale_computed_by_hand),
		cmocka_unit_test(values_for_the_scenario_are_float_literals_or_whole_numbers),
		cmocka_unit_test(a_value_list_is_indexed_by_floor_of_u_times_its_length),
		cmocka_unit_test(a_grid_takes_the_nearest_of_its_evenly_spaced_values),
		cmocka_unit_test(seeds_derive_from_the_run_or_with_common_seeds_from_the_replication),
		cmocka_unit_test(points_asked_in_any_order_are_the_design_s),
		cmocka_unit_test(listed_values_become_scenario_literals_and_csv_text),
	};
	return cmocka_run_group_tests_name("sweep_point", tests, setup, NULL);
}
