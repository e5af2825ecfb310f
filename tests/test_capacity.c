/* Firms' capacity dynamics (sim/model/capacity.c; docs/model.md §16):
 * capacity that grows under sustained profit and demand, shrinks under
 * sustained loss, arrives after its build lag and wears out at its yearly
 * rate, pinned with values computed by hand. */
#include <math.h>
#include <stdio.h>
#include "testutil.h"
#include "model_world.h"
#include "output/tables.h"

/* One country buying `size` a year of phones (sigma = 4: gross margin 1/4)
 * from one firm X of capacity 100 with `fixed` bn USD a year of fixed
 * cost; technology frozen; expectations are last step's (half-life 0).
 * `step` is "year" or "quarter"; `dynamics` goes into the model group. */
static tu_run run_x(const char *step, double size, double fixed, const char *dynamics, int steps)
{
	char text[2048];
	snprintf(text, sizeof text,
		 "run = { steps = 40; start = \"%s\"; step = \"%s\"; };\n"
		 "model = { innovation_zeta = 0.0; imitation_zeta = 0.0; expectation_half_life = 0.0; %s };\n"
		 "countries = { A = { markets = { phones = { size = %.17g; }; }; }; };\n"
		 "sectors = { phones = { }; };\n"
		 "firms = { X = { country = \"A\"; sector = \"phones\"; capacity = 100.0; fixed_cost = %.17g; }; };\n",
		 step[0] == 'y' ? "2020" : "2020Q1", step, dynamics, size, fixed);
	return tu_run_text(text, 1, steps);
}

/* The capacity X sells with in step t: run t steps, then one more. */
static double capacity_in_step(const char *step, double size, double fixed, const char *dynamics, int t)
{
	tu_run f = run_x(step, size, fixed, dynamics, t + 1);
	double capacity = f.sim->capacity_eff[0];
	tu_run_free(&f);
	return capacity;
}

/* X's capacity in steps 0 .. n-1 of yearly runs with demand 80 a year:
 * 80% of its first capacity, the knee of the supply curve (§5), so X sells
 * 80 at its base price (price factor 1) in every step as it grows. */
static void expect_yearly_path(const char *dynamics, const double *expected, int n)
{
	for (int t = 0; t < n; t++)
		assert_double_equal(capacity_in_step("year", 80.0, 0.0, dynamics, t), expected[t], 1e-9);
}

/* Yearly depreciation, build lag in years and capital per unit of capacity;
 * target use 0.8, half of profit for capacity. */
#define DYNAMICS(depreciation, lag, kappa) \
	"capacity_depreciation = " #depreciation "; capacity_build_lag = " #lag "; capacity_target_use = 0.8; " \
	"capital_per_capacity = " #kappa "; capacity_profit_share = 0.5;"
/* No wear, build lag in years, capital per unit of capacity; target use
 * 0.4 (a firm that plans to grow), half of profit for capacity. */
#define EXPAND(lag, kappa) \
	"capacity_depreciation = 0.0; capacity_build_lag = " #lag "; capacity_target_use = 0.4; " \
	"capital_per_capacity = " #kappa "; capacity_profit_share = 0.5;"
#define GROW EXPAND(0.0, 0.5)

/* Demand 80 a year, capacity 100, yearly steps, no lag or wear: X sells
 * 80, earns 80 / 4 = 20, wants 80 / 0.4 = 200 and can pay for 0.5 x 20 /
 * 0.5 = 20 of new capacity a year: K grows 100, 120, 140, 160. */
static void capacity_grows_under_sustained_profit_and_demand(void **state)
{
	(void)state;
	const double expected[] = {100.0, 120.0, 140.0, 160.0};
	expect_yearly_path(GROW, expected, 4);
}

/* Demand 80 a year and a fixed cost of 50 a year: X earns 80 / 4 - 50 =
 * -30 (a little more once wear pushes it past the knee and its price
 * rises); its cash flow for capacity, depreciation allowances 0.1 x 0.5 x
 * 100 = 5 plus 0.5 x -30, is negative, so it pays for nothing, and its capacity wears out
 * at 10% a year, however much demand there is: 100 e^-0.1 = 90.4837418,
 * 100 e^-0.2 = 81.8730753. */
static void capacity_shrinks_under_sustained_loss(void **state)
{
	(void)state;
	const char *wear = DYNAMICS(0.1, 0.0, 0.5);
	assert_double_equal(capacity_in_step("year", 80.0, 50.0, wear, 1), 90.4837418, 1e-7);
	assert_double_equal(capacity_in_step("year", 80.0, 50.0, wear, 2), 81.8730753, 1e-7);
	assert_double_equal(capacity_in_step("year", 80.0, 50.0, wear, 2), 100.0 * exp(-0.2), 1e-12);
}

/* Demand 80 a year, capacity 100: X runs at its target use 0.8 and wants
 * 100. With a fixed cost of 20 it breaks even (80 / 4 - 20 = 0), and its
 * depreciation allowances, 0.1 x 0.5 x 100 = 5 a year, pay for 10 of
 * capacity, more than the 100 (1 - e^-0.1) = 9.52 that wore out: its
 * capacity stays 100. */
static void a_firm_that_breaks_even_replaces_what_wears_out(void **state)
{
	(void)state;
	const char *wear = DYNAMICS(0.1, 0.0, 0.5);
	assert_double_equal(capacity_in_step("year", 80.0, 20.0, wear, 1), 100.0, 1e-9);
	assert_double_equal(capacity_in_step("year", 80.0, 20.0, wear, 2), 100.0, 1e-9);
}

/* Depreciation is a yearly rate: four quarters wear capacity as one year
 * does, 100 e^-0.3 = 74.0818221 at a rate of 0.3, whatever the step. */
static void depreciation_over_a_year_is_the_same_at_any_step_length(void **state)
{
	(void)state;
	const char *wear = "capacity_depreciation = 0.3; capacity_profit_share = 0.0;";
	assert_double_equal(capacity_in_step("year", 50.0, 0.0, wear, 1), 74.0818221, 1e-7);
	assert_double_equal(capacity_in_step("quarter", 50.0, 0.0, wear, 4), 100.0 * exp(-0.3), 1e-9);
}

/* With a build lag of 2 years the 20 X orders at the end of step 0 (as in
 * the growth case) is used from step 3 on; in steps 1 and 2 it is on order
 * (the 20 ordered in each of them arrives in steps 4 and 5). */
static void ordered_capacity_arrives_after_the_build_lag(void **state)
{
	(void)state;
	const char *lag = EXPAND(2.0, 0.5);
	const double expected[] = {100.0, 100.0, 100.0, 120.0};
	expect_yearly_path(lag, expected, 4);
}

/* A lag of half a year is two quarters: the quarter's order, 0.5 x 20 / 4
 * / 0.5 = 5 of capacity (profit 80 / 4 / 4 a quarter, 20 a year), is used
 * from the third quarter after it. */
static void a_build_lag_in_years_is_counted_in_steps(void **state)
{
	(void)state;
	const char *lag = EXPAND(0.5, 0.5);
	assert_double_equal(capacity_in_step("quarter", 80.0, 0.0, lag, 2), 100.0, 1e-9);
	assert_double_equal(capacity_in_step("quarter", 80.0, 0.0, lag, 3), 105.0, 1e-9);
}

/* Profit limits the order: with capital of 2 per unit of capacity X can pay
 * for 0.5 x 20 / 2 = 5 a year of the 100 it wants. */
static void a_firm_orders_no_more_capacity_than_its_profit_pays_for(void **state)
{
	(void)state;
	const char *dear = EXPAND(0.0, 2.0);
	tu_run f = run_x("year", 80.0, 0.0, dear, 1);
	assert_double_equal(f.sim->capacity_own[0], 105.0, 1e-9);
	assert_double_equal(f.sim->capacity_investment[0], 10.0, 1e-9);  /* 5 x 2 bn USD */
	const ts_table *firms = ts_table_find("firms");  /* and firms.csv shows it */
	int c = 0;
	while (c < firms->n_columns && strcmp(firms->columns[c].name, "capacity_orders_bn_usd") != 0)
		c++;
	assert_true(c < firms->n_columns);
	assert_double_equal(ts_table_value(firms, f.sim, 0, c), 10.0, 1e-9);
	tu_run_free(&f);
}

/* Demand 60 a year for capacity 100: X wants 60 / 0.8 = 75 and orders
 * nothing while wear takes its capacity down toward it. */
static void a_firm_with_spare_capacity_orders_none(void **state)
{
	(void)state;
	const char *wear = DYNAMICS(0.1, 0.0, 0.5);
	tu_run f = run_x("year", 60.0, 0.0, wear, 2);
	assert_double_equal(f.sim->capacity_investment[0], 0.0, 0.0);
	assert_double_equal(f.sim->capacity_own[0], 100.0 * exp(-0.2), 1e-9);
	tu_run_free(&f);
}

/* Capacity a government builds (§3.5) counts toward what the firm wants
 * and stays on top of its own. With capital at 0.1 per unit profit does not
 * bind: X, given 30 at step 0, sells 104 (80% of its 130: at the knee,
 * base price), wants 104 / 0.5 = 208 and orders 208 - 100 - 30 = 78 (not
 * 108); in step 1 it sells with its own 178 plus the 30 built, 208. */
static void capacity_built_by_investment_counts_in_the_firms_plans_and_stays_on_top(void **state)
{
	(void)state;
	char text[2048];
	snprintf(text, sizeof text,
		 "run = { steps = 4; start = \"2020\"; step = \"year\"; };\n"
		 "model = { innovation_zeta = 0.0; imitation_zeta = 0.0; expectation_half_life = 0.0;\n"
		 "          capacity_depreciation = 0.0; capacity_build_lag = 0.0; capital_per_capacity = 0.1;\n"
		 "          capacity_target_use = 0.5; };\n"
		 "countries = { A = { markets = { phones = { size = 104.0; }; }; }; };\n"
		 "sectors = { phones = { }; };\n"
		 "firms = { X = { country = \"A\"; sector = \"phones\"; capacity = 100.0; }; };\n"
		 "measures = { fab = { type = \"capacity_investment\"; actor = \"A\"; target = \"X\"; capacity = 30.0;\n"
		 "                     build_months = 0; budget = 1.0; start = 0; }; };\n");
	tu_run f = tu_run_text(text, 1, 1);
	assert_double_equal(f.sim->capacity_eff[0], 130.0, 1e-9);
	assert_double_equal(f.sim->capacity_own[0], 178.0, 1e-9);
	tu_run_steps(f.sim, 1);
	assert_double_equal(f.sim->capacity_eff[0], 208.0, 1e-9);
	tu_run_free(&f);
}

/* Expectations are adaptive with a half-life in years (0.5 here): X, of B,
 * sold 60 a year in the open market; A bans it from step 0, and its
 * expected sales close 1 - 2^(-1/2) of the gap to 0 each quarter:
 * 60 x 2^(-1/2) = 42.4264069, then 30 after two quarters, half a year. */
static void expected_sales_follow_sales_with_their_half_life(void **state)
{
	(void)state;
	tu_run f = tu_run_text(
		"run = { steps = 4; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; expectation_half_life = 0.5; };\n"
		"countries = { A = { markets = { phones = { size = 60.0; }; }; }; B = { }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { X = { country = \"B\"; sector = \"phones\"; capacity = 100.0; }; };\n"
		"measures = { ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; }; };\n",
		1, 1);
	assert_double_equal(f.sim->expected_sales[0], 42.4264069, 1e-7);
	tu_run_steps(f.sim, 1);
	assert_double_equal(f.sim->expected_sales[0], 30.0, 1e-9);
	tu_run_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capacity_grows_under_sustained_profit_and_demand),
		cmocka_unit_test(expected_sales_follow_sales_with_their_half_life),
		cmocka_unit_test(capacity_shrinks_under_sustained_loss),
		cmocka_unit_test(a_firm_that_breaks_even_replaces_what_wears_out),
		cmocka_unit_test(depreciation_over_a_year_is_the_same_at_any_step_length),
		cmocka_unit_test(ordered_capacity_arrives_after_the_build_lag),
		cmocka_unit_test(a_build_lag_in_years_is_counted_in_steps),
		cmocka_unit_test(a_firm_orders_no_more_capacity_than_its_profit_pays_for),
		cmocka_unit_test(a_firm_with_spare_capacity_orders_none),
		cmocka_unit_test(capacity_built_by_investment_counts_in_the_firms_plans_and_stays_on_top),
	};
	return cmocka_run_group_tests_name("capacity", tests, NULL, NULL);
}
