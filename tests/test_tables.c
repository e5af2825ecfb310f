/* The per-run tables (sim/output/tables.c): headers, keys, the values of a
 * row on a tiny world computed by hand, and the check that a column that
 * must be defined holds a finite number. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "output/tables.h"
#include "model/world.h"

/* Two countries, one sector, two identical firms (tech 0, unit cost 1,
 * elasticity sigma = 4 by default), quarters. */
static const char *const tiny_world =
	"run = { steps = 2; start = \"2020Q1\"; seed = 1; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 80.0; government = 0.25; }; }; };\n"
	"  CN = { markets = { chips = { size = 40.0; }; }; };\n"
	"};\n"
	"sectors = { chips = { }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 200.0; jobs_per_bn = 10.0; fixed_cost = 4.0; };\n"
	"  S = { country = \"CN\"; sector = \"chips\"; capacity = 200.0; };\n"
	"};\n";

static ts_scenario *scenario;
static ts_sim *sim;  /* after step 0 */

static int setup(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	scenario = tu_load(tiny_world);
	if (ts_sim_alloc(&sim, scenario, 1, &err) != TS_OK || ts_sim_step(sim, &err) != TS_OK)
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

static const ts_table *table(const char *name)
{
	const ts_table *t = ts_table_find(name);
	if (!t)
		fail_msg("no table %s", name);
	return t;
}

/* The value in `column` of the row whose key is `key` ("US.chips.private"). */
static double value_of(const char *table_name, const char *key, const char *column)
{
	const ts_table *t = table(table_name);
	int col = -1;
	for (int c = 0; c < t->n_columns; c++)
		if (strcmp(t->columns[c].name, column) == 0)
			col = c;
	if (col < 0 || t->columns[col].type == TS_COL_TEXT)
		fail_msg("%s has no numeric column %s", table_name, column);
	for (int r = 0; r < t->rows(sim); r++) {
		char k[128];
		ts_table_row_key(t, sim, r, k, sizeof k);
		if (strcmp(k, key) == 0)
			return ts_table_value(t, sim, r, col);
	}
	fail_msg("%s has no row %s", table_name, key);
	return NAN;
}

static void expect_header(const char *name, int with_rep, const char *expected)
{
	char *h = ts_table_header(table(name), with_rep);
	assert_string_equal(h, expected);
	free(h);
}

/* P holds 4.5 months of chips and nothing cuts them: whatever the step,
 * firms.csv shows 4.5 months (the state counts steps of use: 4.5 months,
 * 1.5 quarters, 0.375 years). */
static double stockpile_months_at(const char *step)
{
	char text[1024];
	snprintf(text, sizeof text,
		"run = { steps = 1; step = \"%s\"; start = \"2020-01\"; seed = 1; };\n"
		"countries = { A = { markets = { chips = { size = 10.0; }; phones = { size = 50.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.2; }; }; };\n"
		"firms = { C = { country = \"A\"; sector = \"chips\"; capacity = 100.0; };\n"
		"          P = { country = \"A\"; sector = \"phones\"; capacity = 100.0;\n"
		"                suppliers = { chips = { C = 1.0; }; }; stockpile_months = { chips = 4.5; }; }; };\n", step);
	ts_scenario *s = tu_load(text);
	ts_sim *keep = sim;
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&sim, s, 1, &err) != TS_OK || ts_sim_step(sim, &err) != TS_OK)
		fail_msg("%s", err.message);
	double months = value_of("firms", "P", "stockpile_months");
	ts_sim_free(sim);
	ts_scenario_free(s);
	sim = keep;
	return months;
}

static void the_stockpile_is_in_months_whatever_the_step(void **state)
{
	(void)state;
	assert_double_equal(stockpile_months_at("month"), 4.5, 1e-12);
	assert_double_equal(stockpile_months_at("quarter"), 4.5, 1e-12);
	assert_double_equal(stockpile_months_at("year"), 4.5, 1e-12);
}

static void each_table_has_its_header(void **state)
{
	(void)state;
	expect_header("countries", 0, "step,date,country,price_index,consumer_welfare_bn_usd,producer_profit_bn_usd,"
	              "exports_bn_usd,imports_bn_usd,self_sufficiency,tech_gap,rd_spending_bn_usd,jobs,"
	              "unmet_demand_bn_usd,tariff_revenue_bn_usd,subsidy_spending_bn_usd,fines_bn_usd,"
	              "national_welfare_bn_usd");
	expect_header("firms", 0, "step,date,firm,country,sector,revenue_bn_usd,final_sales_bn_usd,input_sales_bn_usd,"
	              "profit_bn_usd,capacity_use,supply_factor,stockpile_months,tech_level,rd_spending_bn_usd,rd_intensity,"
	              "tech_denial,jobs,"
	              "price,capacity_bn_usd_per_year,capacity_orders_bn_usd,derisk_withheld_bn_usd,derisk_shifted_share,node");
	expect_header("markets", 0, "step,date,country,sector,segment,demand_bn_usd,served_bn_usd,price_index,"
	              "domestic_share,hhi,firms_allowed");
	expect_header("relations", 0, "step,date,country,rival,tension,damage_received_bn_usd,"
	              "cumulative_damage_bn_usd,stance,measures_in_force,derisk_withheld_bn_usd,derisk_shifted_bn_usd");
	expect_header("events", 1, "rep,step,date,id,actor,target,measure,action,cause");
	assert_int_equal(ts_n_tables, 5);
	assert_null(ts_table_find("country"));
}

/* Every row's key, in scenario order; markets only where a segment buys. */
static void each_table_names_its_rows_by_its_key_columns(void **state)
{
	(void)state;
	struct { const char *table, *keys; } cases[] = {
		{"countries", "US CN "},
		{"firms", "Q S "},
		{"markets", "US.chips.government US.chips.private CN.chips.private "},
		{"relations", "US.CN CN.US "},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const ts_table *t = table(cases[i].table);
		assert_true(t->per_entity);
		char all[256] = "", key[64];
		for (int r = 0; r < t->rows(sim); r++) {
			ts_table_row_key(t, sim, r, key, sizeof key);
			strcat(all, key);
			strcat(all, " ");
		}
		assert_string_equal(all, cases[i].keys);
	}
	assert_int_equal(table("markets")->n_keys, 3);
	assert_false(table("events")->per_entity);
}

/* Per step (a quarter) the US spends 80 / 4 = 20 on chips, 5 of it by the
 * government (share 0.25), 15 private; CN spends 40 / 4 = 10. Q and S are
 * alike, so CES gives each half of every segment (docs/model.md §5):
 * served 5 and 15 in the US, Q sells 2.5 + 7.5 + 5 = 15. */
static void a_market_row_matches_a_hand_computation(void **state)
{
	(void)state;
	assert_double_equal(value_of("markets", "US.chips.government", "demand_bn_usd"), 5.0, 1e-12);
	assert_double_equal(value_of("markets", "US.chips.government", "served_bn_usd"), 5.0, 1e-12);
	assert_double_equal(value_of("markets", "US.chips.private", "demand_bn_usd"), 15.0, 1e-12);
	assert_double_equal(value_of("markets", "US.chips.private", "price_index"), 1.0, 1e-12); /* P/P0, no measures */
	assert_double_equal(value_of("markets", "US.chips.private", "domestic_share"), 0.5, 1e-12);
	assert_double_equal(value_of("markets", "US.chips.private", "hhi"), 0.5, 1e-12);       /* 0.5^2 + 0.5^2 */
	assert_double_equal(value_of("markets", "CN.chips.private", "firms_allowed"), 2.0, 0.0);
}

/* Q: revenue 15; price mu x unit cost = 4/3 (sigma = 4); capacity 200/4 = 50
 * a quarter, used 15/50 = 0.3; profit 15 (1 - 1/mu) - fixed 4/4 = 3.75 - 1
 * = 2.75; jobs 10 per bn USD a year x 15 x 4 = 600 (§7). */
static void a_firm_row_matches_a_hand_computation(void **state)
{
	(void)state;
	assert_double_equal(value_of("firms", "Q", "revenue_bn_usd"), 15.0, 1e-12);
	assert_double_equal(value_of("firms", "Q", "final_sales_bn_usd"), 15.0, 1e-12);
	assert_double_equal(value_of("firms", "Q", "input_sales_bn_usd"), 0.0, 0.0);
	assert_double_equal(value_of("firms", "Q", "price"), 4.0 / 3.0, 1e-15);
	assert_double_equal(value_of("firms", "Q", "capacity_use"), 0.3, 1e-12);
	assert_double_equal(value_of("firms", "Q", "profit_bn_usd"), 2.75, 1e-12);
	assert_double_equal(value_of("firms", "Q", "jobs"), 600.0, 1e-9);
	assert_double_equal(value_of("firms", "S", "profit_bn_usd"), 3.75, 1e-12);  /* no fixed cost */
	assert_double_equal(value_of("firms", "Q", "supply_factor"), 1.0, 0.0);     /* no critical inputs */
	assert_true(isnan(value_of("firms", "Q", "stockpile_months")));           /* so no stockpile: empty */
	assert_double_equal(value_of("firms", "Q", "capacity_bn_usd_per_year"), 200.0, 0.0);
}

/* US: exports Q's sales in CN, 5; imports S's in the US, 2.5 + 7.5 = 10;
 * real consumption 20 at P/P0 = 1; profit Q's 2.75; no inputs bought, so
 * self-sufficiency is undefined; both firms at tech 0: no gap; national
 * welfare 20 + 2.75 with no tariff, fine or subsidy (§7). */
static void a_country_row_matches_a_hand_computation(void **state)
{
	(void)state;
	assert_double_equal(value_of("countries", "US", "exports_bn_usd"), 5.0, 1e-12);
	assert_double_equal(value_of("countries", "US", "imports_bn_usd"), 10.0, 1e-12);
	assert_double_equal(value_of("countries", "CN", "exports_bn_usd"), 10.0, 1e-12);
	assert_double_equal(value_of("countries", "US", "consumer_welfare_bn_usd"), 20.0, 1e-12);
	assert_double_equal(value_of("countries", "US", "price_index"), 1.0, 1e-12);
	assert_double_equal(value_of("countries", "US", "producer_profit_bn_usd"), 2.75, 1e-12);
	assert_double_equal(value_of("countries", "US", "jobs"), 600.0, 1e-9);
	assert_true(isnan(value_of("countries", "US", "self_sufficiency")));
	assert_double_equal(value_of("countries", "US", "tech_gap"), 0.0, 0.0);
	assert_double_equal(value_of("countries", "US", "unmet_demand_bn_usd"), 0.0, 0.0);
	assert_double_equal(value_of("countries", "US", "national_welfare_bn_usd"), 22.75, 1e-12);
}

/* A world with every part of national welfare: US tariffs on CN's chips,
 * CN subsidises its firm and pays for capacity at it, the US bans ZTE's
 * phones and controls its chips until a deal fines ZTE. */
static const char *const welfare_world =
	"run = { steps = 8; start = \"2020Q1\"; seed = 3; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 80.0; }; phones = { size = 200.0; government = 0.2; }; }; };\n"
	"  CN = { markets = { chips = { size = 40.0; }; phones = { size = 300.0; }; }; };\n"
	"};\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 200.0; fixed_cost = 4.0; rd_intensity = 0.1; };\n"
	"  S = { country = \"CN\"; sector = \"chips\"; capacity = 100.0; };\n"
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 300.0; suppliers = { chips = { Q = 0.6; S = 0.4; }; }; };\n"
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 300.0; suppliers = { chips = { Q = 1.0; }; }; };\n"
	"};\n"
	"measures = {\n"
	"  duty = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 0.25; start = 0; };\n"
	"  aid = { type = \"subsidy\"; actor = \"CN\"; sectors = [\"chips\"]; rate = 0.2; start = 1; };\n"
	"  fab = { type = \"capacity_investment\"; actor = \"CN\"; target = \"S\"; capacity = 20.0; budget = 8.0;\n"
	"          build_months = 12; start = 1; };\n"
	"  denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; start = 1; };\n"
	"  ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 1; };\n"
	"};\n"
	"deals = { settle = { lifts = [\"denial\", \"ban\"]; earliest = 3; loss_threshold = 0.0; fine = 1.0;\n"
	"  payer = \"ZTE\"; }; };\n";

static int column_of(const ts_table *t, const char *name)
{
	for (int c = 0; c < t->n_columns; c++)
		if (strcmp(t->columns[c].name, name) == 0)
			return c;
	fail_msg("%s has no column %s", t->name, name);
	return -1;
}

/* §7: in every row of every step, national welfare is consumer welfare +
 * producer profit + tariff revenue + fines - subsidy spending, as written;
 * and each part is at work somewhere in the run (else the sum would not
 * be tested). */
static void national_welfare_is_the_sum_of_its_parts_in_every_row(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(welfare_world);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&w, s, 3, &err) != TS_OK)
		fail_msg("%s", err.message);
	const ts_table *t = table("countries");
	const char *parts[] = {"consumer_welfare_bn_usd", "producer_profit_bn_usd", "tariff_revenue_bn_usd",
	                       "fines_bn_usd", "subsidy_spending_bn_usd"};
	const double sign[] = {1, 1, 1, 1, -1};
	double seen[5] = {0};
	int national = column_of(t, "national_welfare_bn_usd");
	for (int step = 0; step < s->run.steps; step++) {
		if (ts_sim_step(w, &err) != TS_OK)
			fail_msg("%s", err.message);
		for (int r = 0; r < t->rows(w); r++) {
			double sum = 0.0;
			for (int p = 0; p < 5; p++) {
				double v = ts_table_value(t, w, r, column_of(t, parts[p]));
				sum += sign[p] * v;
				seen[p] += fabs(v);
			}
			assert_double_equal(ts_table_value(t, w, r, national), sum, 1e-12 * (1.0 + fabs(sum)));
		}
	}
	for (int p = 0; p < 5; p++)
		assert_true(seen[p] > 0.0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The columns that may be empty are the ones README's Output section and
 * docs/model.md §7 say can be undefined; no other. */
static void only_the_documented_columns_may_be_empty(void **state)
{
	(void)state;
	char empty[512] = "";
	for (int t = 0; t < ts_n_tables; t++)
		for (int c = 0; c < ts_tables[t].n_columns; c++)
			if (ts_tables[t].columns[c].may_be_empty) {
				assert_int_equal(ts_tables[t].columns[c].type, TS_COL_NUM);
				snprintf(empty + strlen(empty), sizeof empty - strlen(empty), "%s.%s ", ts_tables[t].name,
				         ts_tables[t].columns[c].name);
			}
	assert_string_equal(empty, "countries.price_index countries.self_sufficiency countries.tech_gap firms.stockpile_months "
	                           "markets.price_index markets.domestic_share markets.hhi ");
}

static void a_non_finite_value_in_a_column_that_must_be_defined_fails_naming_it(void **state)
{
	(void)state;
	double saved = sim->exports[1];
	sim->exports[1] = INFINITY;  /* CN */
	ts_error err = TS_ERROR_INIT;
	int rc = ts_table_check(table("countries"), sim, "2020Q1", &err);
	sim->exports[1] = saved;
	assert_int_equal(rc, TS_ERUN);
	assert_string_equal(err.message, "step 0 (2020Q1): countries.csv: CN: exports_bn_usd is inf, "
	                                 "not a finite number (a broken model invariant)");
}

static void a_nan_fails_as_an_infinity_does(void **state)
{
	(void)state;
	double saved = sim->demand[2];
	sim->demand[2] = NAN;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_table_check(table("markets"), sim, "2020Q1", &err);
	sim->demand[2] = saved;
	assert_int_equal(rc, TS_ERUN);
	assert_non_null(strstr(err.message, "markets.csv: CN.chips.private: demand_bn_usd is nan"));
}

static void an_undefined_value_where_the_column_may_be_empty_passes(void **state)
{
	(void)state;
	double saved = sim->mseg_hhi[0];
	sim->mseg_hhi[0] = NAN;  /* as when nothing is served */
	ts_error err = TS_ERROR_INIT;
	int rc = ts_table_check(table("markets"), sim, "2020Q1", &err);
	sim->mseg_hhi[0] = saved;
	assert_int_equal(rc, TS_OK);
	assert_int_equal(err.status, TS_OK);
}

/* ts_table_write stops before the bad row: the rows before it are written,
 * not a row with an empty cell that would pass for "undefined". */
static void a_row_with_a_non_finite_value_is_not_written(void **state)
{
	(void)state;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	assert_non_null(fp);
	ts_csv csv;
	ts_csv_over(&csv, fp);
	double saved = sim->revenue[1];
	sim->revenue[1] = -INFINITY;  /* S */
	ts_error err = TS_ERROR_INIT;
	int rc = ts_table_write(table("firms"), &csv, sim, "2020Q1", -1, &err);
	sim->revenue[1] = saved;
	assert_int_equal(ts_csv_release(&csv), 0);
	fclose(fp);
	assert_int_equal(rc, TS_ERUN);
	assert_non_null(strstr(err.message, "firms.csv: S: revenue_bn_usd is -inf"));
	assert_true(strncmp(text, "0,2020Q1,Q,US,chips,15,", 23) == 0);
	assert_null(strstr(text, ",S,"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_table_has_its_header),
		cmocka_unit_test(each_table_names_its_rows_by_its_key_columns),
		cmocka_unit_test(a_market_row_matches_a_hand_computation),
		cmocka_unit_test(a_firm_row_matches_a_hand_computation),
		cmocka_unit_test(the_stockpile_is_in_months_whatever_the_step),
		cmocka_unit_test(a_country_row_matches_a_hand_computation),
		cmocka_unit_test(national_welfare_is_the_sum_of_its_parts_in_every_row),
		cmocka_unit_test(only_the_documented_columns_may_be_empty),
		cmocka_unit_test(a_non_finite_value_in_a_column_that_must_be_defined_fails_naming_it),
		cmocka_unit_test(a_nan_fails_as_an_infinity_does),
		cmocka_unit_test(an_undefined_value_where_the_column_may_be_empty_passes),
		cmocka_unit_test(a_row_with_a_non_finite_value_is_not_written),
	};
	return cmocka_run_group_tests_name("tables", tests, setup, teardown);
}
