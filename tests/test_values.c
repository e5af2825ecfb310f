/* Reading a stepped run by the names of its tables (sim/output/values.c,
 * ts_sim_value): the values the CSV would hold, an empty cell as NaN, and
 * a clear refusal of anything that names no value. */
#include <math.h>
#include <string.h>
#include "testutil.h"
#include <tradesim/tradesim.h>

/* Country A spends 40 a year, 10 a quarter, on chips from two alike firms
 * of its own (unit cost 1, elasticity 4: price 4/3, cost of goods 3/4 of
 * revenue): each earns 5 a quarter and keeps 5 / 4 = 1.25; B buys nothing. */
static const char *const tiny_world =
	"run = { steps = 2; start = \"2020Q1\"; seed = 1; };\n"
	"countries = { A = { markets = { chips = { size = 40.0; }; }; }; B = { }; };\n"
	"sectors = { chips = { }; };\n"
	"firms = { P = { country = \"A\"; sector = \"chips\"; capacity = 100.0; };\n"
	"          R = { country = \"A\"; sector = \"chips\"; capacity = 100.0; }; };\n";

static ts_scenario *scenario;
static ts_sim *sim;

static int setup(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	scenario = tu_load(tiny_world);
	if (ts_sim_alloc(&sim, scenario, 1, &err) != TS_OK)
		fail_msg("%s", err.message);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_sim_free(sim);
	ts_scenario_free(scenario);
	return 0;
}

static double value(const char *table, const char *entity, const char *column)
{
	ts_error err = TS_ERROR_INIT;
	double v = -1.0;
	if (ts_sim_value(sim, table, entity, column, &v, &err) != TS_OK)
		fail_msg("%s", err.message);
	return v;
}

static void expect_refused(const char *table, const char *entity, const char *column, const char *message)
{
	ts_error err = TS_ERROR_INIT;
	double v = 7.0;
	assert_int_equal(ts_sim_value(sim, table, entity, column, &v, &err), TS_EINPUT);
	if (!strstr(err.message, message))
		fail_msg("expected \"%s\" in \"%s\"", message, err.message);
	assert_true(v == 7.0);  /* untouched */
}

/* Before any step there is nothing to read. */
static void nothing_is_read_before_the_first_step(void **state)
{
	(void)state;
	expect_refused("firms", "P", "profit_bn_usd", "no step done yet");
}

/* After step 0: P's revenue 5, profit 1.25 and price 4/3 as in firms.csv; a
 * market and a relation by their dotted keys; no stockpile (no inputs) is
 * NaN. */
static void a_step_reads_as_its_csv_rows(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_step(sim, &err), TS_OK);
	assert_double_equal(value("firms", "P", "revenue_bn_usd"), 5.0, 1e-12);
	assert_double_equal(value("firms", "P", "profit_bn_usd"), 1.25, 1e-12);
	assert_double_equal(value("firms", "R", "price"), 4.0 / 3.0, 1e-15);
	assert_double_equal(value("markets", "A.chips.private", "demand_bn_usd"), 10.0, 1e-12);
	assert_double_equal(value("relations", "A.B", "measures_in_force"), 0.0, 0.0);
	assert_true(isnan(value("firms", "P", "stockpile_months")));
}

static void names_that_hold_no_value_are_refused(void **state)
{
	(void)state;
	expect_refused("firm", "P", "profit_bn_usd", "no table 'firm'");
	expect_refused("events", "P", "profit_bn_usd", "no table 'events'");
	expect_refused("firms", "Z", "profit_bn_usd", "no entity 'Z' in firms.csv");
	expect_refused("firms", "P", "profit", "no numeric column 'profit' in firms.csv");
	expect_refused("firms", "P", "country", "no numeric column 'country' in firms.csv");  /* a key, text */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_is_read_before_the_first_step),
		cmocka_unit_test(a_step_reads_as_its_csv_rows),
		cmocka_unit_test(names_that_hold_no_value_are_refused),
	};
	return cmocka_run_group_tests_name("values", tests, setup, teardown);
}
