/* Accounts of a step (sim/model/accounts.c; docs/model.md §7): firms'
 * profit, jobs and R&D, countries' price index, welfare, trade, tariffs and
 * unmet demand, technology gaps, pinned with values computed by hand. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "model_world.h"
#include "rationed_world.h"

/* Phones, sigma = 4 (markup 4/3), technology frozen. A spends 400 a year,
 * 100 a quarter: 25 by government, 75 private; C spends 200 a year, 50 a
 * quarter, half by government. X and W are B's, Y is A's; C has no firm. No home bias.
 * Weights a p^(1 - sigma), p = 4/3 unit cost:
 *   X: unit cost 1, tech 0:          (4/3)^-3       = 0.421875
 *   W: unit cost 1, tech ln 2:       2 (4/3)^-3     = 0.84375
 *   Y: unit cost 1.2, tech 0: (1.6)^-3             = 0.244140625 */
static const char *world_text =
	"run = { steps = 3; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = {\n"
	"  A = { markets = { phones = { size = 400.0; government = 0.25; }; }; };\n"
	"  B = { };\n"
	"  C = { markets = { phones = { size = 200.0; government = 0.5; }; }; };\n"
	"};\n"
	"sectors = { phones = { }; };\n"
	"firms = {\n"
	"  X = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; rd_intensity = 0.1; jobs_per_bn = 500.0;\n"
	"        fixed_cost = 8.0; };\n"
	"  W = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; tech = 0.69314718055994531; };\n"
	"  Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; unit_cost = 1.2; };\n"
	"};\n"
	"measures = { %s };\n";

static tu_run run_world(const char *measures, int steps)
{
	char text[4096];
	snprintf(text, sizeof text, world_text, measures);
	return tu_run_text(text, 1, steps);
}

static int country(const ts_sim *w, const char *id)
{
	return tu_country(w, id);
}

static int firm(const ts_sim *w, const char *id)
{
	return tu_firm(w, id);
}

static int segment(const ts_sim *w, const char *c, ts_segment g)
{
	return tu_segment(w, c, NULL, g);
}

/* Open market, weights 0.421875, 0.84375, 0.244140625 (sum 1.509765625):
 * X sells 0.421875 / 1.509765625 = 0.279430789 of each segment: of A's 100
 * and C's 50 a quarter, 41.9146184 a quarter.
 *   profit = revenue (1 - 3/4) - 8/4 - 0.1 revenue = 0.15 x 41.9146184 - 2
 *          = 4.28719276
 *   jobs   = 500 x 41.9146184 x 4 = 83829.2368
 *   R&D    = 0.1 x 41.9146184     = 4.19146184 (B has no R&D budget) */
static void profit_jobs_and_rd_follow_their_formulas(void **state)
{
	(void)state;
	tu_run f = run_world("", 1);
	const ts_sim *w = f.sim;
	int x = firm(w, "X");
	double share = 0.421875 / 1.509765625, revenue = 150.0 * share;
	assert_double_equal(revenue, 41.9146184, 1e-7);
	assert_double_equal(w->revenue[x], revenue, 1e-12);
	assert_double_equal(w->profit[x], 0.15 * revenue - 2.0, 1e-12);
	assert_double_equal(w->profit[x], 4.28719276, 1e-7);
	assert_double_equal(w->jobs[x], 83829.2368, 1e-3);
	assert_double_equal(w->rd_spending[x], 4.19146184, 1e-7);
	tu_run_free(&f);
}

/* §7: jobs close 1 - 2^(-dt / half-life) of the gap to jobs_per_bn x
 * yearly revenue each step. X sells 41.9146184 a quarter in the open
 * market: 83829.2368 jobs; banned everywhere from step 0 it earns nothing
 * and, with a half-life of half a year, keeps 2^(-1/2) of them after a
 * quarter, 59275.6... = 83829.2368 x 0.707106781, and half after two. */
static void jobs_adjust_to_revenue_with_their_half_life(void **state)
{
	(void)state;
	tu_run f = run_world("ba = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; };\n"
	                     "bc = { type = \"market_ban\"; actor = \"C\"; target = \"X\"; start = 0; };", 1);
	int x = firm(f.sim, "X");
	assert_double_equal(f.sim->revenue[x], 0.0, 0.0);
	assert_double_equal(f.sim->jobs[x], 83829.2368 * sqrt(0.5), 1e-3);
	tu_run_steps(f.sim, 1);
	assert_double_equal(f.sim->jobs[x], 83829.2368 / 2.0, 1e-3);
	tu_run_free(&f);
}

/* Jobs' half-life is in years: X, of B, employs 500 x 60 = 30000 for its
 * 60 a year of sales in A; banned from the first step it keeps half of them
 * after half a year, 15000, at quarterly and at monthly steps alike. */
static void jobs_after_half_a_year_do_not_depend_on_the_step_length(void **state)
{
	(void)state;
	const char *steps[][2] = {{"quarter", "2020Q1"}, {"month", "2020-01"}};
	const int half_year[] = {2, 6};
	for (int k = 0; k < 2; k++) {
		char text[1024];
		snprintf(text, sizeof text,
		         "run = { steps = 6; start = \"%s\"; step = \"%s\"; };\n"
		         "countries = { A = { markets = { phones = { size = 60.0; }; }; }; B = { }; };\n"
		         "sectors = { phones = { }; };\n"
		         "firms = { X = { country = \"B\"; sector = \"phones\"; capacity = 100.0; jobs_per_bn = 500.0;\n"
		         "                jobs_half_life = 0.5; }; };\n"
		         "measures = { ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; }; };\n",
		         steps[k][1], steps[k][0]);
		tu_run f = tu_run_text(text, 1, half_year[k]);
		assert_double_equal(f.sim->jobs[0], 15000.0, 1e-8);
		tu_run_free(&f);
	}
}

/* §7: a firm's gross margin sets its cost of goods, revenue (1 - margin),
 * not its price: with gross_margin 0.4 X sells as before, 41.9146184, and
 * earns 0.4 x 41.9146184 - 8 / 4 - 0.1 x 41.9146184 = 10.5743855. */
static void a_firms_gross_margin_sets_its_cost_of_goods_not_its_sales(void **state)
{
	(void)state;
	char text[4096], patched[4200];
	snprintf(text, sizeof text, world_text, "");
	const char *at = strstr(text, "fixed_cost = 8.0;");  /* X's */
	assert_non_null(at);
	snprintf(patched, sizeof patched, "%.*sgross_margin = 0.4; %s", (int)(at - text), text, at);
	tu_run f = tu_run_text(patched, 1, 1);
	int x = firm(f.sim, "X");
	assert_double_equal(f.sim->revenue[x], 41.9146184, 1e-7);
	assert_double_equal(f.sim->profit[x], 0.3 * f.sim->revenue[x] - 2.0, 1e-12);
	assert_double_equal(f.sim->profit[x], 10.5743855, 1e-7);
	tu_run_free(&f);
}

/* §6, §7: inputs per unit of output are the sector's: P, with a gross
 * margin of 0.6 and chips at 0.5 of unit cost, sells all of B's 100 a
 * quarter and buys 100 / (4/3) x 0.5 = 37.5 of chips from K, as a firm at
 * the sector's margin 1/4 would; its margin shows in its profit, 100 x 0.6
 * = 60, not in what it buys (100 x 0.4 x 0.5 = 20). */
static void a_firms_gross_margin_does_not_change_its_inputs_per_unit_of_output(void **state)
{
	(void)state;
	tu_run f = tu_run_text(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { }; B = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.5; }; }; };\n"
		"firms = {\n"
		"  P = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; gross_margin = 0.6;\n"
		"        suppliers = { chips = { K = 1.0; }; }; };\n"
		"  K = { country = \"B\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"};\n", 1, 1);
	assert_double_equal(f.sim->revenue[firm(f.sim, "P")], 100.0, 1e-12);
	assert_double_equal(f.sim->input_sales[firm(f.sim, "K")], 37.5, 1e-12);
	assert_double_equal(f.sim->profit[firm(f.sim, "P")], 60.0, 1e-12);
	tu_run_free(&f);
}

/* Exports are what B's firms earn abroad, imports what A and C buy from
 * abroad: X and W sell (0.421875 + 0.84375) / 1.509765625 = 0.838292367 of
 * every segment, 125.743855 of the 150; Y sells in C 50 x 0.161707633
 * = 8.08538163. */
static void exports_and_imports_are_sales_across_borders(void **state)
{
	(void)state;
	tu_run f = run_world("", 1);
	const ts_sim *w = f.sim;
	double foreign = (0.421875 + 0.84375) / 1.509765625;
	assert_double_equal(w->exports[country(w, "B")], 150.0 * foreign, 1e-12);
	assert_double_equal(w->exports[country(w, "B")], 125.743855, 1e-6);
	assert_double_equal(w->exports[country(w, "A")], 8.08538163, 1e-8);
	assert_double_equal(w->exports[country(w, "A")], 50.0 * (1.0 - foreign), 1e-12);
	assert_double_equal(w->imports[country(w, "A")], 100.0 * foreign, 1e-12);
	assert_double_equal(w->imports[country(w, "C")], 50.0, 1e-12);
	assert_double_equal(w->imports[country(w, "B")], 0.0, 0.0);
	tu_run_free(&f);
}

/* A tariff of 25% on B's firms in A: buyers pay W = 1.25 x their price, so
 * their weights in A become 1.25^-3 = 0.512 of the open market's:
 *   X 0.216, W 0.432, Y 0.244140625, sum 0.892140625;
 * in A's private segment X takes 75 x 0.216 / 0.892140625 = 18.1585722 of
 * buyers' spending, of which 0.25 / 1.25 = 1/5 is duty: 3.63171445. The
 * price index of the segment: P / P0 = (0.892140625 / 1.509765625)^(-1/3)
 * = 0.590913^(-1/3) = 1.19167750. */
static void tariff_revenue_is_the_duty_share_of_buyers_spending(void **state)
{
	(void)state;
	tu_run f = run_world("duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", 1);
	const ts_sim *w = f.sim;
	double sum = 0.216 + 0.432 + 0.244140625;
	double duty = 100.0 * (0.216 + 0.432) / sum * 0.2;  /* both segments of A, X and W */
	assert_double_equal(w->tariff_revenue[country(w, "A")], duty, 1e-12);
	assert_double_equal(75.0 * 0.216 / sum * 0.2, 3.63171445, 1e-8);
	int m = segment(w, "A", TS_SEG_PRIVATE);
	assert_double_equal(w->price_ratio[m], pow(sum / 1.509765625, -1.0 / 3.0), 1e-12);
	assert_double_equal(w->price_ratio[m], 1.19167750, 1e-8);
	tu_run_free(&f);
}

/* §7: national welfare = consumer welfare + producer profit + tariff
 * revenue + fines - subsidy spending. A taxes B's firms 25% and subsidises
 * its own Y at 20% of unit cost: Y's weight becomes 0.244140625 / 0.8^3
 * = 0.476837158 everywhere, B's firms' in A 0.216 and 0.432 (as above):
 *   A's sum 1.12483716, P / P0 = (1.12483716 / 1.509765625)^(-1/3)
 *     = 1.10307902; consumer welfare 100 / 1.10307902 = 90.6553364
 *   tariff 100 x 0.648 / 1.12483716 x 0.25 / 1.25 = 11.5216677
 *   Y sells 100 x 0.476837158 / 1.12483716 = 42.3916613 in A and
 *     50 x 0.476837158 / 1.74246216 = 13.6828555 in C: 56.0745168;
 *     profit 56.0745168 / 4 = 14.0186292 (§3.4: revenue (1 - 1/mu))
 *   subsidy 56.0745168 x 0.2 / (4/3 x 0.8) = 10.5139719
 *   national = 90.6553364 + 14.0186292 + 11.5216677 - 10.5139719
 *     = 105.681661 */
static void national_welfare_adds_tariffs_and_profits_to_consumption_and_takes_off_subsidies(void **state)
{
	(void)state;
	tu_run f = run_world("duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };\n"
	                     "aid = { type = \"subsidy\"; actor = \"A\"; rate = 0.2; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int a = country(w, "A");
	assert_double_equal(w->welfare[a], 90.6553364, 1e-7);
	assert_double_equal(w->producer_profit[a], 14.0186292, 1e-7);
	assert_double_equal(w->tariff_revenue[a], 11.5216677, 1e-7);
	assert_double_equal(w->subsidy_spending[a], 10.5139719, 1e-7);
	assert_double_equal(ts_accounts_national_welfare(w, a), 105.681661, 1e-6);
	tu_run_free(&f);
}

/* §7: the price index is the demand-weighted geometric mean of the
 * segments' P / P0. A bans X from its government segment: that segment's
 * index is (1.087890625 / 1.509765625)^(-1/3) = 1.11542772, the private one
 * stays 1; A's index = exp((25 ln 1.11542772 + 75 ln 1) / 100)
 * = 1.11542772^(1/4) = 1.02768581. Welfare = served / (P / P0) summed:
 * 25 / 1.11542772 + 75 = 97.4129270. */
static void the_country_price_index_is_the_demand_weighted_geometric_mean_of_its_segments(void **state)
{
	(void)state;
	tu_run f = run_world("pb = { type = \"procurement_ban\"; actor = \"A\"; target = \"X\"; segment = \"government\"; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int a = country(w, "A");
	double gov = pow(1.087890625 / 1.509765625, -1.0 / 3.0);
	assert_double_equal(gov, 1.11542772, 1e-8);
	assert_double_equal(w->price_ratio[segment(w, "A", TS_SEG_GOVERNMENT)], gov, 1e-12);
	assert_double_equal(w->price_index[a], pow(gov, 0.25), 1e-12);
	assert_double_equal(w->price_index[a], 1.02768581, 1e-8);
	assert_double_equal(w->welfare[a], 25.0 / gov + 75.0, 1e-12);
	assert_double_equal(w->welfare[a], 97.4129270, 1e-7);
	tu_run_free(&f);
}

/* §5, §7: C bans B's firms and Y, every firm there is: no variety is left
 * in its segments, so the good is unavailable. Each segment has no price
 * (NaN: an empty cell), sells nothing, and all its demand (25 a quarter
 * each) is unmet; C, which can buy nothing, has no price index (not 1:
 * nothing is at open-market prices) and no consumption. */
static void a_segment_with_no_variety_left_has_no_price_and_its_demand_goes_unmet(void **state)
{
	(void)state;
	tu_run f = run_world("cb = { type = \"market_ban\"; actor = \"C\"; target = \"B\"; start = 0; };\n"
	                      "cy = { type = \"market_ban\"; actor = \"C\"; target = \"Y\"; start = 0; };", 2);
	const ts_sim *w = f.sim;
	int m = segment(w, "C", TS_SEG_PRIVATE), c = country(w, "C");
	assert_true(isnan(w->price_ratio[m]));
	assert_double_equal(w->served[m], 0.0, 0.0);
	assert_double_equal(w->unmet[m], 25.0, 1e-12);
	assert_double_equal(w->country_unmet[c], 50.0, 1e-12);
	assert_true(isnan(w->price_index[c]));
	assert_double_equal(w->welfare[c], 0.0, 0.0);
	assert_int_equal(w->mseg_firms_allowed[m], 0);
	tu_run_free(&f);
}

/* C's government bans every variety (X and W by a ban on B, Y by one on
 * Y): that segment has no price; C's index is that of what it can buy, the
 * private segment, where nothing changed: 1. The loss shows in welfare, 25
 * instead of 50, and in the 25 unmet. */
static void a_countrys_price_index_leaves_out_segments_with_no_variety(void **state)
{
	(void)state;
	tu_run f = run_world(
		"gb = { type = \"procurement_ban\"; actor = \"C\"; target = \"B\"; segment = \"government\"; start = 0; };\n"
		"gy = { type = \"procurement_ban\"; actor = \"C\"; target = \"Y\"; segment = \"government\"; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int c = country(w, "C");
	assert_true(isnan(w->price_ratio[segment(w, "C", TS_SEG_GOVERNMENT)]));
	assert_double_equal(w->price_ratio[segment(w, "C", TS_SEG_PRIVATE)], 1.0, 1e-15);
	assert_double_equal(w->price_index[c], 1.0, 1e-15);
	assert_double_equal(w->welfare[c], 25.0, 1e-12);
	assert_double_equal(w->country_unmet[c], 25.0, 1e-12);
	tu_run_free(&f);
}

/* B buys nothing in the model: no price index either. */
static void a_country_without_markets_has_no_price_index(void **state)
{
	(void)state;
	tu_run f = run_world("", 1);
	int b = country(f.sim, "B");
	assert_true(isnan(f.sim->price_index[b]));
	assert_double_equal(f.sim->welfare[b], 0.0, 0.0);
	tu_run_free(&f);
}

/* Market structure of A's private segment in the open market: shares
 * 0.279430789 (X), 0.558861578 (W), 0.161707633 (Y); HHI = the sum of
 * their squares = 0.0780816 + 0.3123262 + 0.0261494 = 0.41655719; A's
 * firms' share 0.161707633. */
static void market_structure_is_the_shares_of_served_sales(void **state)
{
	(void)state;
	tu_run f = run_world("", 1);
	const ts_sim *w = f.sim;
	int m = segment(w, "A", TS_SEG_PRIVATE);
	double sx = 0.421875 / 1.509765625, sw = 0.84375 / 1.509765625, sy = 0.244140625 / 1.509765625;
	assert_double_equal(w->mseg_hhi[m], sx * sx + sw * sw + sy * sy, 1e-12);
	assert_double_equal(w->mseg_hhi[m], 0.41655719, 1e-8);
	assert_double_equal(w->mseg_domestic_share[m], sy, 1e-12);
	assert_int_equal(w->mseg_firms_allowed[m], 3);
	tu_run_free(&f);
}

/* Trade and market structure cell by cell, from the sales as the market
 * left them (ts_market_sale()): each country's exports and imports (the
 * trade in inputs given, NULL: none) and each segment's HHI and domestic
 * share, against the accounts', which sum a factored segment through its
 * factors (docs/model.md §5, "Implementation"); rel is their tolerance. */
static void expect_trade_of_the_cells_besides(const ts_sim *w, double rel, const double *input_exports,
                                             const double *input_imports)
{
	double exports[8] = {0}, imports[8] = {0};
	assert_true(w->nc <= 8);
	for (int c = 0; c < w->nc && input_exports; c++) {
		exports[c] = input_exports[c];
		imports[c] = input_imports[c];
	}
	for (int m = 0; m < w->nmseg; m++) {
		int k = w->msegs[m].sector, c = w->msegs[m].country, nfs = w->sector_firm_count[k];
		size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		double squares = 0.0, domestic = 0.0;
		for (int a = 0; a < nfs; a++) {
			double sale = ts_market_sale(w, m, at, a);
			int home = w->sector_home[w->sector_firm_first[k] + a];
			squares += sale * sale;
			domestic += home == c ? sale : 0.0;
			if (home != c) {
				exports[home] += sale * w->receipt_share[at + (size_t)a];
				imports[c] += sale * w->receipt_share[at + (size_t)a];
			}
		}
		assert_double_equal(w->mseg_hhi[m], squares / (w->served[m] * w->served[m]), rel * w->mseg_hhi[m]);
		assert_double_equal(w->mseg_domestic_share[m], domestic / w->served[m], rel * w->mseg_domestic_share[m]);
	}
	for (int c = 0; c < w->nc; c++) {
		assert_double_equal(w->exports[c], exports[c], rel * exports[c]);
		assert_double_equal(w->imports[c], imports[c], rel * imports[c]);
	}
}

static void expect_trade_of_the_cells(const ts_sim *w, double rel)
{
	expect_trade_of_the_cells_besides(w, rel, NULL, NULL);
}

/* Segment m was summed through the split's factors, with exceptions. */
static void expect_factored(const ts_sim *w, int m)
{
	int nfs = w->sector_firm_count[w->msegs[m].sector];
	assert_true(w->sales_factored[m] && ts_market_row_sparse(w, m, nfs) && w->exc_count[m] > 0);
}

/* Firms of one country in a world of phones: `count` alike, capacity 300
 * a year, at `tech` and `unit_cost`; named the country's id and 1, 2, ... */
typedef struct firm_group {
	const char *country;
	int count;
	double tech, unit_cost;
} firm_group;

/* The world `head` (run, sectors, countries, measures) with the groups'
 * firms (up to a NULL country), after one step. */
static tu_run trade_world(const char *head, const firm_group *groups)
{
	char text[8192];
	int n = snprintf(text, sizeof text, "%sfirms = {\n", head);
	for (const firm_group *g = groups; g->country; g++)
		for (int j = 1; j <= g->count; j++)
			n += snprintf(text + n, sizeof text - (size_t)n,
			              "  %s%d = { country = \"%s\"; sector = \"phones\"; capacity = 300.0; tech = %g;"
			              " unit_cost = %g; };\n", g->country, j, g->country, g->tech, g->unit_cost);
	snprintf(text + n, sizeof text - (size_t)n, "};\n");
	return tu_run_text(text, 1, 1);
}

/* Home bias makes A's firm the one exception of A's segments, a 25%
 * tariff C's on D's firms the two of C's (eight firms: sparse). */
static void trade_summed_through_the_splits_factors_is_trade_cell_by_cell(void **state)
{
	(void)state;
	tu_run f = trade_world(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"sectors = { phones = { elasticity = 3.0; }; };\n"
		"countries = {\n"
		"  A = { home_bias = 0.3; markets = { phones = { size = 400.0; government = 0.2; }; }; };\n"
		"  B = { markets = { phones = { size = 100.0; }; }; };\n"
		"  C = { markets = { phones = { size = 200.0; }; }; };\n"
		"  D = { markets = { phones = { size = 150.0; }; }; };\n"
		"};\n"
		"measures = { t = { type = \"tariff\"; actor = \"C\"; target = \"D\"; rate = 0.25; start = 0; }; };\n",
		(const firm_group[]){{"A", 1, 0.0, 1.0}, {"B", 2, 0.2, 1.1}, {"C", 3, 0.0, 0.9}, {"D", 2, 0.1, 1.0}, {NULL, 0, 0.0, 0.0}});
	const ts_sim *w = f.sim;
	expect_factored(w, segment(w, "A", TS_SEG_PRIVATE));
	expect_factored(w, segment(w, "C", TS_SEG_PRIVATE));
	expect_trade_of_the_cells(w, 1e-13);
	tu_run_free(&f);
}

/* A tariff of 1000% at elasticity 8 on X's firms, in C and in D (whose
 * markets have no firms of their own). */
static const char *const tariff_on_x =
	"run = { steps = 2; start = \"2020Q1\"; };\n"
	"sectors = { phones = { elasticity = 8.0; }; };\n"
	"countries = {\n"
	"  X = { };\n"
	"  C = { markets = { phones = { size = 200.0; }; }; };\n"
	"  D = { markets = { phones = { size = 150.0; }; }; };\n"
	"};\n"
	"measures = {\n"
	"  c = { type = \"tariff\"; actor = \"C\"; target = \"X\"; rate = 10.0; start = 0; };\n"
	"  d = { type = \"tariff\"; actor = \"D\"; target = \"X\"; rate = 10.0; start = 0; };\n"
	"};\n";

/* The tariff leaves X's firms 11^-8 of what they would earn in C and D,
 * their only markets. X's firms are C's only foreign ones: the
 * corrections of C's imports, and of X's exports in D's segments, take
 * away all but that much of the factored sums, which are then taken cell
 * by cell (a cancellation would leave an error of about 1e-8 of them);
 * D's segments are factored. */
static void sums_that_tariffs_nearly_close_are_taken_cell_by_cell(void **state)
{
	(void)state;
	tu_run f = trade_world(tariff_on_x, (const firm_group[]){{"X", 2, 0.0, 1.0}, {"C", 6, 0.0, 1.0}, {NULL, 0, 0.0, 0.0}});
	const ts_sim *w = f.sim;
	expect_factored(w, segment(w, "D", TS_SEG_PRIVATE));
	assert_true(w->exports[country(w, "X")] > 0.0 && w->exports[country(w, "X")] < 1e-4);
	assert_true(w->imports[country(w, "C")] > 0.0 && w->imports[country(w, "C")] < 1e-4);
	expect_trade_of_the_cells(w, 1e-13);
	tu_run_free(&f);
}

/* X1, e^2 times the weight of each other firm, is most of C's squares:
 * under the tariff its share, and its square, are nearly gone, and the
 * factored sum of squares loses four fifths of itself, yet rounds as the
 * cells' sum does; C's imports, from X1 and eight firms of D (which only
 * exports), keep more than half (so the segment is factored). */
static void squares_that_a_tariff_nearly_closes_are_summed_through_the_factors(void **state)
{
	(void)state;
	tu_run f = trade_world(tariff_on_x, (const firm_group[]){{"X", 1, 2.0, 1.0}, {"C", 3, 0.0, 1.0}, {"D", 8, 0.0, 1.0},
	                                                         {NULL, 0, 0.0, 0.0}});
	const ts_sim *w = f.sim;
	int m = segment(w, "C", TS_SEG_PRIVATE);
	expect_factored(w, m);
	assert_true(w->mseg_hhi[m] < 0.1);
	expect_trade_of_the_cells(w, 1e-13);
	tu_run_free(&f);
}

/* C's own firms, e^30 times X's weight, make all but 1e-13 of C's
 * segments' weight: its imports, the sum of the foreign firms' weights,
 * are summed over them, not taken as all less the domestic ones. */
static void imports_beside_dominant_domestic_firms_are_summed_over_the_foreign_ones(void **state)
{
	(void)state;
	tu_run f = trade_world("run = { steps = 2; start = \"2020Q1\"; };\n"
	                       "model = { tech_weight = 3.0; };\n"
	                       "sectors = { phones = { elasticity = 3.0; }; };\n"
	                       "countries = { X = { }; C = { markets = { phones = { size = 200.0; }; }; }; };\n"
	                       "measures = { };\n",
	                       (const firm_group[]){{"X", 2, 0.0, 1.0}, {"C", 2, 10.0, 1.0}, {NULL, 0, 0.0, 0.0}});
	const ts_sim *w = f.sim;
	int m = segment(w, "C", TS_SEG_PRIVATE);
	assert_true(w->sales_factored[m] && ts_market_row_sparse(w, m, 4));
	assert_true(w->imports[country(w, "C")] > 0.0 && w->imports[country(w, "C")] < 1e-9);
	expect_trade_of_the_cells(w, 1e-13);
	tu_run_free(&f);
}

/* The trade in inputs of a step: exports and imports once the purchases
 * are made, before the accounts add the final sales' (engine.c). */
typedef struct input_trade {
	const ts_sim *w;
	double exports[8], imports[8];
} input_trade;

static void keep_input_trade(void *ctx, const char *phase)
{
	input_trade *t = ctx;
	for (int c = 0; c < t->w->nc && !strcmp(phase, "purchases"); c++) {
		t->exports[c] = t->w->exports[c];
		t->imports[c] = t->w->imports[c];
	}
}

/* X and Z, rationed by their inputs, keep the first clearing's sales at
 * half in CN's factored segments (TS_SALES_RATIONED): their own terms are
 * added to the factored sums, X's to JP's exports, Z's to the domestic
 * sales. */
static void a_rationed_firms_sales_in_a_factored_segment_are_its_own_terms(void **state)
{
	(void)state;
	tu_run f = tu_run_text(rationed_world, 1, 1);
	ts_sim *w = f.sim;
	input_trade t = {.w = w};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_engine_step(w, keep_input_trade, &t, &err), TS_OK);
	int m = segment(w, "CN", TS_SEG_PRIVATE);
	assert_double_equal(w->supply_factor[firm(w, "X")], 0.5, 1e-15);
	assert_double_equal(w->supply_factor[firm(w, "Z")], 0.5, 1e-15);
	assert_int_equal(w->sales_factored[m], TS_SALES_RATIONED);
	assert_true(w->exports[country(w, "JP")] > t.exports[country(w, "JP")] + 10.0);
	expect_trade_of_the_cells_besides(w, 1e-13, t.exports, t.imports);
	tu_run_free(&f);
}

/* §8: with no revenue anywhere in the country (B bars all of A's firms from
 * its markets, the only ones), A's rd_budget of 8 a year is split among its
 * firms by capacity, 100 : 300 : 600 of 1000, and the rd_investment of 4 a
 * year in phones among its phone makers by capacity, 100 : 300 of 400; a
 * quarter is a fourth of a year:
 *   P: (8 x 0.1 + 4 x 0.25) / 4 = (0.8 + 1.0) / 4 = 0.45
 *   Q: (8 x 0.3 + 4 x 0.75) / 4 = (2.4 + 3.0) / 4 = 1.35
 *   C: (8 x 0.6 + 0)        / 4 = 4.8 / 4         = 1.2 */
static void rd_support_goes_by_capacity_to_firms_that_earned_nothing(void **state)
{
	(void)state;
	tu_run f = tu_run_text(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { rd_budget = 8.0; };\n"
		"              B = { markets = { phones = { size = 400.0; }; chips = { size = 40.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { }; };\n"
		"firms = {\n"
		"  P = { country = \"A\"; sector = \"phones\"; capacity = 100.0; };\n"
		"  Q = { country = \"A\"; sector = \"phones\"; capacity = 300.0; };\n"
		"  C = { country = \"A\"; sector = \"chips\"; capacity = 600.0; };\n"
		"  R = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; };\n"
		"  K = { country = \"B\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"};\n"
		"measures = { ban = { type = \"market_ban\"; actor = \"B\"; target = \"A\"; start = 0; };\n"
		"  push = { type = \"rd_investment\"; actor = \"A\"; sectors = [\"phones\"]; budget = 4.0; start = 0; }; };\n",
		1, 1);
	const ts_sim *w = f.sim;
	assert_double_equal(w->revenue[firm(w, "P")] + w->revenue[firm(w, "Q")] + w->revenue[firm(w, "C")], 0.0, 0.0);
	assert_double_equal(w->rd_spending[firm(w, "P")], 0.45, 1e-15);
	assert_double_equal(w->rd_spending[firm(w, "Q")], 1.35, 1e-15);
	assert_double_equal(w->rd_spending[firm(w, "C")], 1.2, 1e-15);
	tu_run_free(&f);
}

/* §7: a country's R&D, jobs and producer profit are the sums over its
 * firms. In the open market X earns 41.9146184 a quarter
 * (profit_jobs_and_rd_follow_their_formulas) and W, twice X's weight,
 * 83.8292367 with no R&D, jobs or fixed cost of its own; so B's
 *   R&D    = 0.1 x 41.9146184 + 0                 = 4.19146184
 *   jobs   = 500 x 41.9146184 x 4 + 0             = 83829.2368
 *   profit = 4.28719276 + 83.8292367 x (1 - 3/4)  = 4.28719276 + 20.9573092
 *          = 25.2445019 */
static void a_countrys_rd_jobs_and_profit_are_the_sums_over_its_firms(void **state)
{
	(void)state;
	tu_run f = run_world("", 1);
	const ts_sim *w = f.sim;
	int b = country(w, "B");
	assert_double_equal(w->profit[firm(w, "W")], 20.9573092, 1e-7);
	assert_double_equal(w->country_rd[b], 4.19146184, 1e-7);
	assert_double_equal(w->country_jobs[b], 83829.2368, 1e-3);
	assert_double_equal(w->producer_profit[b], 25.2445019, 1e-7);
	tu_run_free(&f);
}

/* Technology frozen: chips at -1 (A1) and -0.25 (B1), phones at 0.5 (A2)
 * and -0.5 (B2); frontiers -0.25 and 0.5. C has no firm, and buys phones
 * for 2 a year, 0.5 a quarter. */
static const char *gap_world =
	"run = { steps = 2; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { A = { markets = { phones = { size = 400.0; }; chips = { size = 40.0; }; }; };\n"
	"              B = { markets = { phones = { size = 400.0; }; }; };\n"
	"              C = { markets = { phones = { size = 2.0; }; }; }; };\n"
	"sectors = { chips = { }; phones = { }; };\n"
	"firms = {\n"
	"  A1 = { country = \"A\"; sector = \"chips\"; capacity = 1000.0; tech = -1.0; };\n"
	"  A2 = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; tech = 0.5; };\n"
	"  B1 = { country = \"B\"; sector = \"chips\"; capacity = 1000.0; tech = -0.25; };\n"
	"  B2 = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; tech = -0.5; };\n"
	"};\n";

/* §7: the gap is the mean over the country's sectors of frontier - its best
 * firm: A ((-0.25 + 1) + (0.5 - 0.5)) / 2 = 0.375, B (0 + (0.5 + 0.5)) / 2
 * = 0.5; C, without firms, has none. The frontier of a sector whose firms
 * are all below 0 is its best firm, -0.25, not 0. */
static void the_technology_gap_is_the_mean_distance_to_the_frontier_over_the_countrys_sectors(void **state)
{
	(void)state;
	tu_run f = tu_run_text(gap_world, 1, 1);
	const ts_sim *w = f.sim;
	assert_double_equal(w->frontier[ts_scenario_sector_index(w->scn, "chips")], -0.25, 0.0);
	assert_double_equal(w->tech_gap[country(w, "A")], 0.375, 1e-15);
	assert_double_equal(w->tech_gap[country(w, "B")], 0.5, 1e-15);
	assert_true(isnan(w->tech_gap[country(w, "C")]));
	tu_run_free(&f);
}

/* §7: the price index is defined wherever a country buys something, however
 * little: C spends 0.5 a quarter at open-market prices, index 1. */
static void a_country_that_buys_little_still_has_a_price_index(void **state)
{
	(void)state;
	tu_run f = tu_run_text(gap_world, 1, 1);
	assert_double_equal(f.sim->price_index[country(f.sim, "C")], 1.0, 1e-15);
	assert_double_equal(f.sim->welfare[country(f.sim, "C")], 0.5, 1e-15);
	tu_run_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profit_jobs_and_rd_follow_their_formulas),
		cmocka_unit_test(jobs_adjust_to_revenue_with_their_half_life),
		cmocka_unit_test(jobs_after_half_a_year_do_not_depend_on_the_step_length),
		cmocka_unit_test(a_firms_gross_margin_sets_its_cost_of_goods_not_its_sales),
		cmocka_unit_test(a_firms_gross_margin_does_not_change_its_inputs_per_unit_of_output),
		cmocka_unit_test(exports_and_imports_are_sales_across_borders),
		cmocka_unit_test(tariff_revenue_is_the_duty_share_of_buyers_spending),
		cmocka_unit_test(national_welfare_adds_tariffs_and_profits_to_consumption_and_takes_off_subsidies),
		cmocka_unit_test(the_country_price_index_is_the_demand_weighted_geometric_mean_of_its_segments),
		cmocka_unit_test(a_segment_with_no_variety_left_has_no_price_and_its_demand_goes_unmet),
		cmocka_unit_test(a_countrys_price_index_leaves_out_segments_with_no_variety),
		cmocka_unit_test(a_country_without_markets_has_no_price_index),
		cmocka_unit_test(market_structure_is_the_shares_of_served_sales),
		cmocka_unit_test(trade_summed_through_the_splits_factors_is_trade_cell_by_cell),
		cmocka_unit_test(sums_that_tariffs_nearly_close_are_taken_cell_by_cell),
		cmocka_unit_test(squares_that_a_tariff_nearly_closes_are_summed_through_the_factors),
		cmocka_unit_test(imports_beside_dominant_domestic_firms_are_summed_over_the_foreign_ones),
		cmocka_unit_test(a_rationed_firms_sales_in_a_factored_segment_are_its_own_terms),
		cmocka_unit_test(rd_support_goes_by_capacity_to_firms_that_earned_nothing),
		cmocka_unit_test(a_countrys_rd_jobs_and_profit_are_the_sums_over_its_firms),
		cmocka_unit_test(the_technology_gap_is_the_mean_distance_to_the_frontier_over_the_countrys_sectors),
		cmocka_unit_test(a_country_that_buys_little_still_has_a_price_index),
	};
	return cmocka_run_group_tests_name("accounts", tests, NULL, NULL);
}
