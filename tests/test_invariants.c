/* The per-step invariants (sim/model/invariants.c, docs/model.md §15): an
 * intact world passes, and each check fails, naming the entity, the step
 * and the value, once one value of the state is corrupted. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "small_world.h"
#include "model_world.h"
#include "rationed_world.h"

/* The small world after `steps` steps (its export control on ZTE runs over
 * steps 1-2, the state ban on Apple from step 6). */
static tu_run world_after(int steps)
{
	return tu_run_text(small_world, 5, steps);
}

/* Runs the check on the corrupted world and expects TS_ERUN with `text`. */
static void expect_broken(const ts_sim *w, const char *text)
{
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_invariants_check(w, &err), TS_ERUN);
	if (!strstr(err.message, text))
		fail_msg("expected \"%s\" in \"%s\"", text, err.message);
}

static int firm(const ts_sim *w, const char *id)
{
	return tu_firm(w, id);
}

static int segment(const ts_sim *w, const char *c, const char *k, ts_segment g)
{
	return tu_segment(w, c, k, g);
}

/* Firm `id`'s cell of segment m in sales[], its row written out. */
static double *cell(ts_sim *w, int m, const char *id)
{
	ts_market_write_row(w, m);
	return &w->sales[tu_cell(w, m, id)];
}

static void an_intact_world_passes_after_every_step(void **state)
{
	(void)state;
	tu_run f = world_after(0);
	ts_error err = TS_ERROR_INIT;
	for (int t = 0; t < 10; t++) {
		assert_int_equal(ts_sim_step(f.sim, &err), TS_OK);
		assert_int_equal(ts_invariants_check(f.sim, &err), TS_OK);
	}
	tu_run_free(&f);
}

static void a_supply_factor_below_zero_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(2);
	f.sim->supply_factor[firm(f.sim, "ZTE")] = -0.01;
	expect_broken(f.sim, "step 1: firm ZTE: supply_factor -0.01 is outside [0, 1]");
	tu_run_free(&f);
}

static void a_supply_factor_above_one_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->supply_factor[firm(f.sim, "Apple")] = 1.25;
	expect_broken(f.sim, "step 0: firm Apple: supply_factor 1.25 is outside [0, 1]");
	tu_run_free(&f);
}

/* Apple can make 400 a year, 100 a quarter, in real terms: at a price
 * factor of 1.25, revenue 187.5 is 150 real, capacity_use 1.5. */
static void sales_beyond_a_firms_capacity_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int apple = firm(f.sim, "Apple");
	f.sim->price_factor[apple] = 1.25;
	f.sim->revenue[apple] = 187.5;
	expect_broken(f.sim, "step 0: firm Apple: capacity_use 1.5 is above 1");
	tu_run_free(&f);
}

/* §5, §6: intermediate sales use capacity at base price. Q can make 300 a
 * year, 75 a quarter: at a price factor of 1.25, final sales 31.25 are 25
 * real and input sales 55 are 55, 80 of 75 (capacity_use 80 / 75 =
 * 1.0666666666666667), though revenue 86.25 over the price factor is only 69. */
static void intermediate_sales_beyond_capacity_at_base_price_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int q = firm(f.sim, "Q");
	f.sim->price_factor[q] = 1.25;
	f.sim->input_sales[q] = 55.0;
	f.sim->revenue[q] = 31.25 + 55.0;
	expect_broken(f.sim, "step 0: firm Q: capacity_use 1.0666666666666667 is above 1");
	tu_run_free(&f);
}

/* §5: capacity is real output: revenue 120 at a price factor of 1.25 is 96
 * real of Apple's 100, within capacity, though above it in dollars. */
static void revenue_above_capacity_at_a_scarcity_price_is_within_capacity(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int apple = firm(f.sim, "Apple");
	f.sim->price_factor[apple] = 1.25;
	f.sim->revenue[apple] = 120.0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_invariants_check(f.sim, &err), TS_OK);
	tu_run_free(&f);
}

static void a_price_factor_below_one_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->price_factor[firm(f.sim, "Apple")] = 0.75;
	expect_broken(f.sim, "step 0: firm Apple: price_factor 0.75 is not a finite value >= 1");
	tu_run_free(&f);
}

static void an_infinite_price_factor_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->price_factor[firm(f.sim, "Apple")] = INFINITY;
	expect_broken(f.sim, "step 0: firm Apple: price_factor inf is not a finite value >= 1");
	tu_run_free(&f);
}

static void a_negative_stockpile_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(3);
	f.sim->stock[f.sim->scn->firms[firm(f.sim, "ZTE")].slot_first] = -0.5;
	expect_broken(f.sim, "step 2: firm ZTE, input chips: stockpile (steps of use) -0.5 is not a finite value >= 0");
	tu_run_free(&f);
}

/* Bars firm `id` from segment m, its sales left as they are, and expects
 * them reported (`entity`: the message's start) as sales to a barred firm. */
static void expect_barred_sale_reported(ts_sim *w, int m, const char *id, const char *entity)
{
	w->ban[w->msegs[m].country * w->nf + firm(w, id)] |= 1u << w->msegs[m].segment;
	expect_broken(w, entity);
	expect_broken(w, "to a firm barred from the segment");
}

static void sales_to_a_firm_barred_from_the_segment_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	ts_sim *w = f.sim;
	int m = segment(w, "CN", "phones", TS_SEG_GOVERNMENT);
	assert_true(*cell(w, m, "Apple") > 0.0);
	expect_barred_sale_reported(w, m, "Apple", "step 0: market CN/phones/government, firm Apple: sales_bn_usd");
	tu_run_free(&f);
}

static void negative_sales_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = segment(f.sim, "US", "phones", TS_SEG_PRIVATE);
	*cell(f.sim, m, "ZTE") = -2.0;
	expect_broken(f.sim, "step 0: market US/phones/private, firm ZTE: sales_bn_usd -2 is not a finite value >= 0");
	tu_run_free(&f);
}

static void sales_that_do_not_add_up_to_what_was_served_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = segment(f.sim, "US", "phones", TS_SEG_PRIVATE);
	*cell(f.sim, m, "ZTE") += 1e-3 * f.sim->demand[m];
	expect_broken(f.sim, "step 0: market US/phones/private: sum of firms' sales");
	expect_broken(f.sim, "differs from served_bn_usd");
	tu_run_free(&f);
}

/* The split left US/phones/private factored (docs/model.md §5,
 * "Implementation"): its sales are checked through their factors. */
static int factored_segment(const ts_sim *w)
{
	int m = segment(w, "US", "phones", TS_SEG_PRIVATE);
	assert_true(w->sales_factored[m]);
	return m;
}

static void a_factored_segment_whose_sales_do_not_add_up_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = factored_segment(f.sim);
	f.sim->sales_pw[m] *= 1.001;
	expect_broken(f.sim, "step 0: market US/phones/private: sum of firms' sales");
	tu_run_free(&f);
}

/* A firm barred from a factored segment whose cell still weighs, and so
 * sells, is reported as in a written row. */
static void sales_to_a_barred_firm_in_a_factored_segment_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	expect_barred_sale_reported(f.sim, factored_segment(f.sim), "ZTE", "step 0: market US/phones/private, firm ZTE: sales_bn_usd");
	tu_run_free(&f);
}

/* A negative unit weight (the sector's), pw or exception weight makes a
 * sale negative: the culprit is named as a written row's is. */
static void a_factored_segment_with_a_negative_factor_is_reported(void **state)
{
	(void)state;
	for (int what = 0; what < 3; what++) {
		tu_run f = world_after(1);
		ts_sim *w = f.sim;
		int m = factored_segment(w), k = w->msegs[m].sector, nfs = w->sector_firm_count[k];
		size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		int zte = (int)(tu_cell(w, m, "ZTE") - at);
		if (what == 0) {
			w->sales_unit[w->sector_firm_first[k] + zte] *= -1.0;
			expect_broken(w, ", firm ZTE: sales_bn_usd -");  /* in the sector's first segment: u is the sector's */
		} else if (what == 1) {
			w->sales_pw[m] *= -1.0;
			expect_broken(w, "step 0: market US/phones/private, firm ");
		} else {  /* home bias: A's firm is its segment's one exception in four */
			tu_run_free(&f);
			f = tu_run_text("run = { steps = 4; start = \"2020Q1\"; };\n"
			                "sectors = { phones = { elasticity = 3.0; }; };\n"
			                "countries = { A = { home_bias = 0.3; markets = { phones = { size = 80.0; }; }; };\n"
			                "              B = { markets = { phones = { size = 60.0; }; }; }; };\n"
			                "firms = { A1 = { country = \"A\"; sector = \"phones\"; capacity = 90.0; };\n"
			                "          B1 = { country = \"B\"; sector = \"phones\"; capacity = 70.0; };\n"
			                "          B2 = { country = \"B\"; sector = \"phones\"; capacity = 60.0; };\n"
			                "          B3 = { country = \"B\"; sector = \"phones\"; capacity = 50.0; }; };\n", 5, 1);
			w = f.sim;
			m = tu_segment(w, "A", "phones", TS_SEG_PRIVATE);
			at = tu_cell(w, m, "A1");
			assert_true(w->sales_factored[m] && ts_market_row_sparse(w, m, 4) && w->cell_weight[at] > 1.0);
			size_t row = w->sales_offset[0] + (size_t)(m - w->sector_mseg_first[0]) * 4;
			assert_true(w->exc_count[m] == 1 && row + (size_t)w->exc_pos[row] == at);
			w->cell_weight[at] = -w->cell_weight[at];  /* the cell's weight, and its exception's */
			w->exc_weight[row] = w->pexc_weight[w->exc_first[m]] = w->cell_weight[at] - 1.0;
			expect_broken(w, "step 0: market A/phones/private, firm A1: sales_bn_usd -");
		}
		expect_broken(w, "is not a finite value >= 0");
		tu_run_free(&f);
	}
}

/* A rationed firm's sales in a factored segment (TS_SALES_RATIONED) are
 * its own terms: a negative one (its first clearing's unit weight
 * negative) is named. */
static void a_rationed_firms_negative_sale_in_a_factored_segment_is_reported(void **state)
{
	(void)state;
	tu_run f = tu_run_text(rationed_world, 1, 2);
	ts_sim *w = f.sim;
	int m = segment(w, "CN", "phones", TS_SEG_PRIVATE), k = w->msegs[m].sector;
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)w->sector_firm_count[k];
	assert_int_equal(w->sales_factored[m], TS_SALES_RATIONED);
	w->sales_unit1[w->sector_firm_first[k] + (int)(tu_cell(w, m, "X") - at)] *= -1.0;
	expect_broken(w, ", firm X: sales_bn_usd -");
	tu_run_free(&f);
}

static void unmet_demand_beyond_the_demand_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = segment(f.sim, "US", "chips", TS_SEG_PRIVATE);
	f.sim->unmet[m] = 2.0 * f.sim->demand[m];
	expect_broken(f.sim, "step 0: market US/chips/private: unmet demand");
	tu_run_free(&f);
}

static void sales_in_a_segment_without_a_price_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = segment(f.sim, "CN", "phones", TS_SEG_PRIVATE);
	f.sim->price_ratio[m] = NAN;
	expect_broken(f.sim, "step 0: market CN/phones/private: price_index nan yet sales were made");
	tu_run_free(&f);
}

static void world_exports_that_differ_from_world_imports_are_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->exports[ts_scenario_country_index(f.sim->scn, "CN")] += 0.5;
	expect_broken(f.sim, "step 0: world: exports_bn_usd");
	expect_broken(f.sim, "differ from the world's imports");
	tu_run_free(&f);
}

static void a_non_finite_firm_value_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(4);
	f.sim->profit[firm(f.sim, "S")] = INFINITY;
	expect_broken(f.sim, "step 3: firm S: profit_bn_usd inf is not finite");
	tu_run_free(&f);
}

static void a_non_finite_country_value_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->welfare[ts_scenario_country_index(f.sim->scn, "US")] = NAN;
	expect_broken(f.sim, "step 0: country US: consumer_welfare_bn_usd nan is not finite");
	tu_run_free(&f);
}

static void a_negative_tension_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->tension[0 * f.sim->nc + 1] = -1.0;
	expect_broken(f.sim, "step 0: countries US and CN: tension -1 is not a finite value >= 0");
	tu_run_free(&f);
}

/* §15: a segment's price (P / P0) is positive and finite wherever it is
 * defined. */
static void a_segment_price_that_is_not_positive_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = segment(f.sim, "US", "phones", TS_SEG_PRIVATE);
	f.sim->price_ratio[m] = -1.5;
	expect_broken(f.sim, "step 0: market US/phones/private: price_index -1.5 is not a finite value > 0");
	f.sim->price_ratio[m] = 0.0;
	expect_broken(f.sim, "step 0: market US/phones/private: price_index 0 is not a finite value > 0");
	f.sim->price_ratio[m] = INFINITY;
	expect_broken(f.sim, "step 0: market US/phones/private: price_index inf is not a finite value > 0");
	tu_run_free(&f);
}

/* §15: world exports equal world imports to 1e-9 of world exports; a
 * difference that small is rounding, not a broken account. */
static void world_exports_that_differ_from_imports_by_rounding_pass(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	double exports = 0.0;
	for (int c = 0; c < f.sim->nc; c++)
		exports += f.sim->exports[c];
	assert_true(exports > 10.0);
	f.sim->exports[0] += 0.5e-9 * exports;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_invariants_check(f.sim, &err), TS_OK);
	tu_run_free(&f);
}

static void a_negative_intermediate_sale_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->input_sales[firm(f.sim, "Q")] = -1.0;
	expect_broken(f.sim, "step 0: firm Q: input_sales_bn_usd -1 is not a finite value >= 0");
	tu_run_free(&f);
}

static void a_stockpile_target_that_is_not_finite_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->stock_target[f.sim->scn->firms[firm(f.sim, "ZTE")].slot_first] = INFINITY;
	expect_broken(f.sim, "step 0: firm ZTE, input chips: stockpile target inf is not finite");
	tu_run_free(&f);
}

/* §7, §15: a country's price index is NaN (none) or positive and finite. */
static void a_country_price_index_that_is_not_positive_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->price_index[ts_scenario_country_index(f.sim->scn, "CN")] = 0.0;
	expect_broken(f.sim, "step 0: country CN: price_index 0 is not a finite value > 0");
	tu_run_free(&f);
}

static void a_demand_that_is_not_finite_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	int m = segment(f.sim, "CN", "phones", TS_SEG_GOVERNMENT);
	f.sim->demand[m] = -5.0;
	expect_broken(f.sim, "step 0: market CN/phones/government: demand_bn_usd -5 is not a finite value >= 0");
	f.sim->demand[m] = INFINITY;
	expect_broken(f.sim, "step 0: market CN/phones/government: demand_bn_usd inf is not a finite value >= 0");
	tu_run_free(&f);
}

static void negative_unmet_demand_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->unmet[segment(f.sim, "US", "chips", TS_SEG_PRIVATE)] = -0.25;
	expect_broken(f.sim, "step 0: market US/chips/private: unmet demand -0.25 is outside [0, demand]");
	tu_run_free(&f);
}

static void a_cumulative_damage_that_is_not_finite_is_reported(void **state)
{
	(void)state;
	tu_run f = world_after(1);
	f.sim->damage_cum[1 * f.sim->nc + 0] = NAN;
	expect_broken(f.sim, "step 0: countries CN and US: cumulative_damage_bn_usd nan is not a finite value >= 0");
	tu_run_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_intact_world_passes_after_every_step),
		cmocka_unit_test(a_supply_factor_below_zero_is_reported),
		cmocka_unit_test(a_supply_factor_above_one_is_reported),
		cmocka_unit_test(sales_beyond_a_firms_capacity_are_reported),
		cmocka_unit_test(a_factored_segment_whose_sales_do_not_add_up_is_reported),
		cmocka_unit_test(sales_to_a_barred_firm_in_a_factored_segment_are_reported),
		cmocka_unit_test(a_factored_segment_with_a_negative_factor_is_reported),
		cmocka_unit_test(a_rationed_firms_negative_sale_in_a_factored_segment_is_reported),
		cmocka_unit_test(intermediate_sales_beyond_capacity_at_base_price_are_reported),
		cmocka_unit_test(revenue_above_capacity_at_a_scarcity_price_is_within_capacity),
		cmocka_unit_test(a_price_factor_below_one_is_reported),
		cmocka_unit_test(an_infinite_price_factor_is_reported),
		cmocka_unit_test(a_negative_stockpile_is_reported),
		cmocka_unit_test(sales_to_a_firm_barred_from_the_segment_are_reported),
		cmocka_unit_test(negative_sales_are_reported),
		cmocka_unit_test(sales_that_do_not_add_up_to_what_was_served_are_reported),
		cmocka_unit_test(unmet_demand_beyond_the_demand_is_reported),
		cmocka_unit_test(sales_in_a_segment_without_a_price_are_reported),
		cmocka_unit_test(world_exports_that_differ_from_world_imports_are_reported),
		cmocka_unit_test(a_non_finite_firm_value_is_reported),
		cmocka_unit_test(a_non_finite_country_value_is_reported),
		cmocka_unit_test(a_negative_tension_is_reported),
		cmocka_unit_test(a_segment_price_that_is_not_positive_is_reported),
		cmocka_unit_test(world_exports_that_differ_from_imports_by_rounding_pass),
		cmocka_unit_test(a_negative_intermediate_sale_is_reported),
		cmocka_unit_test(a_stockpile_target_that_is_not_finite_is_reported),
		cmocka_unit_test(a_country_price_index_that_is_not_positive_is_reported),
		cmocka_unit_test(a_demand_that_is_not_finite_is_reported),
		cmocka_unit_test(negative_unmet_demand_is_reported),
		cmocka_unit_test(a_cumulative_damage_that_is_not_finite_is_reported),
	};
	return cmocka_run_group_tests_name("invariants", tests, NULL, NULL);
}
