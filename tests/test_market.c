/* Markets: CES shares, bans, capacity limits, price index. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "model_world.h"
#include "model/sums.h"

/* Three phone makers; A has all three segments, B only private demand.
 * Technology is frozen (zeta = 0) so runs differ only by their measures. */
static const char *world_text =
	"run = { steps = 4; start = \"2020Q1\"; seed = 7; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = {\n"
	"  A = { home_bias = 0.2; markets = { phones = { size = 400.0; government = 0.1; infrastructure = 0.2; }; }; };\n"
	"  B = { markets = { phones = { size = 200.0; }; }; };\n"
	"};\n"
	"sectors = { phones = { elasticity = 4.0; }; };\n"
	"firms = {\n"
	"  X = { country = \"B\"; sector = \"phones\"; capacity = %g; tech = 0.1; };\n"
	"  Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
	"  Z = { country = \"A\"; sector = \"phones\"; capacity = %g; unit_cost = 0.9; tech = -0.1; };\n"
	"};\n"
	"measures = { %s };\n";

static tu_run make_world(double cap_x, double cap_z, const char *measures, int steps)
{
	char text[4096];
	snprintf(text, sizeof text, world_text, cap_x, cap_z, measures);
	return tu_run_text(text, 7, steps);
}

static int mseg_of(const ts_sim *w, const char *country, ts_segment g)
{
	return tu_segment(w, country, NULL, g);
}

/* Sales of `firm` in segment m during the last step. */
static double sales(const ts_sim *w, int m, const char *firm)
{
	return tu_sale(w, m, firm);
}

static void market_ban_removes_exactly_the_banned_firms_sales_and_others_absorb_them(void **state)
{
	(void)state;
	tu_run base = make_world(1000, 1000, "", 1);
	tu_run ban = make_world(1000, 1000,
		"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; };", 1);
	for (int g = 0; g < TS_SEG_COUNT; g++) {
		int m = mseg_of(base.sim, "A", (ts_segment)g);
		double lost = sales(base.sim, m, "X");
		double demand = base.sim->demand[m];
		assert_true(lost > 0.0);
		assert_true(sales(ban.sim, m, "X") == 0.0);
		/* Y and Z keep their relative weights and split X's sales between them. */
		for (const char *const *o = (const char *const[]){"Y", "Z", NULL}; *o; o++)
			assert_double_equal(sales(ban.sim, m, *o), sales(base.sim, m, *o) * demand / (demand - lost),
			                    1e-9 * demand);
		assert_double_equal(ban.sim->served[m], demand, 1e-9 * demand);
		/* X's tie is cut, the others' are 1: settled all the same (X
		 * weighs 0 whatever its tie), so the split keeps factors. */
		assert_true(ban.sim->relation[tu_cell(ban.sim, m, "X")] == 0.0);
		assert_true(ban.sim->ties_settled[m] && ban.sim->sales_factored[m] == TS_SALES_FACTORED);
	}
	/* The ban is A's: X's sales in B are untouched. */
	int mb = mseg_of(base.sim, "B", TS_SEG_PRIVATE);
	assert_double_equal(sales(ban.sim, mb, "X"), sales(base.sim, mb, "X"), 1e-12);
	tu_run_free(&base);
	tu_run_free(&ban);
}

static void procurement_ban_touches_only_the_government_segment(void **state)
{
	(void)state;
	tu_run base = make_world(1000, 1000, "", 1);
	tu_run ban = make_world(1000, 1000,
		"pb = { type = \"procurement_ban\"; actor = \"A\"; target = \"X\"; segment = \"government\"; start = 0; };", 1);
	int gov = mseg_of(base.sim, "A", TS_SEG_GOVERNMENT);
	assert_true(sales(base.sim, gov, "X") > 0.0);
	assert_true(sales(ban.sim, gov, "X") == 0.0);
	for (int g = TS_SEG_INFRASTRUCTURE; g < TS_SEG_COUNT; g++) {
		int m = mseg_of(base.sim, "A", (ts_segment)g);
		for (const char *const *o = (const char *const[]){"X", "Y", "Z", NULL}; *o; o++)
			assert_double_equal(sales(ban.sim, m, *o), sales(base.sim, m, *o), 1e-12);
	}
	tu_run_free(&base);
	tu_run_free(&ban);
}

static void shares_in_each_market_sum_to_one_with_and_without_capacity_limits(void **state)
{
	(void)state;
	/* X and Z tightly capacity-bound: Y absorbs what they cannot serve. */
	double caps[][2] = {{1000, 1000}, {40, 1000}, {40, 60}};
	for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
		tu_run f = make_world(caps[c][0], caps[c][1],
			"pb = { type = \"procurement_ban\"; actor = \"A\"; target = \"X\"; segment = \"infrastructure\"; start = 1; };", 3);
		const ts_sim *w = f.sim;
		for (int m = 0; m < w->nmseg; m++) {
			double total = sales(w, m, "X") + sales(w, m, "Y") + sales(w, m, "Z");
			assert_double_equal(total, w->served[m], 1e-9 * w->demand[m]);
			assert_double_equal(w->served[m] + w->unmet[m], w->demand[m], 1e-9 * w->demand[m]);
		}
		tu_run_free(&f);
	}
}

/* §5: phi(u) = 1 + kappa ((u - u0)+ / (1 - u))^2 with the defaults u0 =
 * 0.8, kappa = 0.01: 1 up to the knee; at u = 0.9, z = 0.1 / 0.1 = 1,
 * phi = 1.01; at u = 0.95, z = 0.15 / 0.05 = 3, phi = 1.09; and back: at
 * phi = 1.09, z = sqrt(0.09 / 0.01) = 3, u = (0.8 + 3) / (1 + 3) = 0.95. */
static void the_supply_curve_takes_the_values_computed_by_hand(void **state)
{
	(void)state;
	assert_double_equal(ts_clearing_factor(0.5, 0.8, 0.01), 1.0, 0.0);
	assert_double_equal(ts_clearing_factor(0.8, 0.8, 0.01), 1.0, 0.0);
	assert_double_equal(ts_clearing_factor(0.9, 0.8, 0.01), 1.01, 1e-15);
	assert_double_equal(ts_clearing_factor(0.95, 0.8, 0.01), 1.09, 1e-14);
	assert_true(isinf(ts_clearing_factor(1.0, 0.8, 0.01)));
	assert_double_equal(ts_clearing_use(1.09, 0.8, 0.01), 0.95, 1e-14);
	assert_double_equal(ts_clearing_use(1.0, 0.8, 0.01), 0.8, 0.0);
}

/* X can make 40 a year, 10 a quarter, and would sell about 27 at base
 * prices: it raises its price until its demand is what its supply curve
 * gives at that price, in real terms, K u(phi); the others serve the rest. */
static void a_firm_near_capacity_raises_its_price_until_its_demand_fits(void **state)
{
	(void)state;
	tu_run open = make_world(1000, 1000, "", 1);
	tu_run f = make_world(40, 1000, "", 1);
	const ts_sim *w = f.sim;
	int x = ts_scenario_firm_index(w->scn, "X");
	double phi = w->price_factor[x], real = w->final_sales[x] / phi;
	assert_double_equal(open.sim->price_factor[x], 1.0, 0.0);
	assert_true(phi > 1.05);
	assert_double_equal(real, 10.0 * ts_clearing_use(phi, 0.8, 0.01), 1e-8);
	assert_true(real < 10.0);
	assert_double_equal(ts_firm_capacity_use(w, x), ts_clearing_use(phi, 0.8, 0.01), 1e-9);
	assert_true(w->final_sales[x] < open.sim->final_sales[x]);
	for (int m = 0; m < w->nmseg; m++)
		assert_double_equal(w->served[m], w->demand[m], 1e-9 * w->demand[m]);
	tu_run_free(&open);
	tu_run_free(&f);
}

/* B bans A's firms: X, with 10 a quarter, is B's only seller against 50
 * of demand there besides its sales in A. It still serves all of B, at a
 * scarcity price, and within its capacity; Z, also tight, likewise. */
static void no_demand_goes_unmet_while_an_allowed_firm_has_room(void **state)
{
	(void)state;
	tu_run f = make_world(40, 60, "b = { type = \"market_ban\"; actor = \"B\"; target = \"A\"; start = 0; };", 3);
	const ts_sim *w = f.sim;
	int mb = mseg_of(w, "B", TS_SEG_PRIVATE), x = ts_scenario_firm_index(w->scn, "X");
	assert_true(sales(w, mb, "Y") == 0.0 && sales(w, mb, "Z") == 0.0);
	for (int m = 0; m < w->nmseg; m++) {
		assert_double_equal(w->unmet[m], 0.0, 0.0);
		assert_double_equal(w->served[m], w->demand[m], 1e-9 * w->demand[m]);
	}
	assert_double_equal(sales(w, mb, "X"), w->demand[mb], 1e-9 * w->demand[mb]);
	assert_true(w->price_factor[x] > 2.0);
	tu_run_free(&f);
}

/* Several steps of tight capacities and bans coming and going: every firm's
 * real sales (revenue over its price factor) stay within its capacity. */
static void no_firm_sells_beyond_its_capacity_in_real_terms(void **state)
{
	(void)state;
	tu_run f = make_world(40, 60,
		"b = { type = \"market_ban\"; actor = \"B\"; target = \"A\"; start = 1; end = 3; };", 0);
	for (int t = 0; t < 5; t++) {
		tu_run_steps(f.sim, 1);
		const ts_sim *w = f.sim;
		for (int i = 0; i < w->nf; i++) {
			double capacity = w->capacity_eff[i] / 4.0;
			assert_true(w->revenue[i] / w->price_factor[i] <= capacity * (1.0 + 1e-12));
			assert_true(w->price_factor[i] >= 1.0);
		}
	}
	tu_run_free(&f);
}

/* A bars B's only firm: no allowed seller is left in A, so all of A's demand
 * is unmet and its segments have no price. */
static void demand_is_unmet_only_where_no_allowed_firm_is_left(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 1; start = \"2020Q1\"; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; }; }; }; B = { markets = { phones = { size = 200.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { X = { country = \"B\"; sector = \"phones\"; capacity = 40.0; }; };\n"
		"measures = { ban = { type = \"market_ban\"; actor = \"A\"; target = \"B\"; start = 0; }; };\n";
	tu_run f = tu_run_text(text, 1, 1);
	const ts_sim *w = f.sim;
	int ma = mseg_of(w, "A", TS_SEG_PRIVATE), mb = mseg_of(w, "B", TS_SEG_PRIVATE);
	assert_double_equal(w->unmet[ma], 100.0, 1e-12);
	assert_true(isnan(w->price_ratio[ma]));
	assert_double_equal(w->unmet[mb], 0.0, 0.0);  /* X alone in B, 50 of demand, 10 of capacity */
	assert_double_equal(w->served[mb], 50.0, 1e-9);
	tu_run_free(&f);
}

/* The market world with model settings `model` and measures `measures`,
 * run for `steps` of its 12 steps (or of `steps`, if more). */
static tu_run world_with_model(const char *model, const char *measures, int steps)
{
	char text[4096], body[4096];
	snprintf(body, sizeof body, world_text, 1000.0, 1000.0, measures);
	const char *after_model = strstr(body, "countries");
	snprintf(text, sizeof text,
		"run = { steps = %d; start = \"2020Q1\"; seed = 7; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; %s };\n%s", steps > 12 ? steps : 12, model,
		after_model);
	return tu_run_text(text, 7, steps);
}

/* A bans X over steps 0-3; with a half-life of half a year (2 quarters)
 * buyers' ties to X grow back by 1 - 2^(-1/2) = 0.29289322 of the gap a
 * step: 0.29289322 at step 4, 0.5 at step 5, one half-life after the lift.
 * X's CES weight in A's private 70 is scaled by them (weights as in
 * ces_shares_take_the_values_computed_by_hand): at step 4,
 * 70 x 0.46624398 x 0.29289322 / (0.13656158 + 0.51527929 + 0.63956650)
 * = 7.40215144; at step 5, 70 x 0.23312199 / 1.38796778 = 11.75714562;
 * while banned 0, and without inertia back to 20.1328015 at step 4. */
static void a_firm_whose_ban_is_lifted_regains_its_sales_over_the_half_life(void **state)
{
	(void)state;
	const char *ban = "ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; end = 4; };";
	tu_run f = world_with_model("share_half_life = 0.5;", ban, 0);
	const double expected[] = {0.0, 0.0, 0.0, 0.0, 7.4021514399, 11.7571456206};
	for (int t = 0; t < 6; t++) {
		tu_run_steps(f.sim, 1);
		int m = mseg_of(f.sim, "A", TS_SEG_PRIVATE);
		assert_double_equal(sales(f.sim, m, "X"), expected[t], 1e-8);
		assert_double_equal(f.sim->served[m], f.sim->demand[m], 1e-9);
	}
	tu_run_free(&f);
	tu_run at_once = world_with_model("share_half_life = 0.0;", ban, 5);
	assert_double_equal(sales(at_once.sim, mseg_of(at_once.sim, "A", TS_SEG_PRIVATE), "X"), 20.1328015, 1e-7);
	tu_run_free(&at_once);
}

/* Ties that growth no longer moves are 1 (§5): at the default half-life of
 * a year, a quarter closes 1 - 2^(-1/4) = 0.159 of the gap, and from 0
 * after X's ban of step 0 the sum t + 0.159 (1 - t) rounds back to t
 * 3.3e-16 short of 1, 205 steps after the lift. After 220 steps X's ties
 * in all of A's segments are 1 and A's segments are settled again. */
static void ties_that_growth_no_longer_moves_are_one(void **state)
{
	(void)state;
	tu_run f = world_with_model("", "ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; end = 1; };",
	                            220);
	for (int g = 0; g < TS_SEG_COUNT; g++) {
		int m = mseg_of(f.sim, "A", (ts_segment)g);
		assert_true(f.sim->relation[tu_cell(f.sim, m, "X")] == 1.0);
		assert_true(f.sim->ties_settled[m]);
	}
	tu_run_free(&f);
}

/* A ban takes a firm's customers at once, whatever the half-life: Y and Z
 * split X's 70 by their weights, 0.51527929 : 0.63956650. */
static void a_banned_firm_loses_its_sales_at_once(void **state)
{
	(void)state;
	tu_run f = world_with_model("share_half_life = 5.0;",
		"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 1; };", 2);
	int m = mseg_of(f.sim, "A", TS_SEG_PRIVATE);
	assert_true(sales(f.sim, m, "X") == 0.0);
	assert_double_equal(sales(f.sim, m, "Y"), 31.2332178445, 1e-8);
	assert_double_equal(sales(f.sim, m, "Z"), 38.7667821555, 1e-8);
	tu_run_free(&f);
}

/* X and Z tight, so both are above the knee: solving a sector again from
 * phi = 1 (cold) gives the warm-started solution to the solver's
 * tolerance, and solving it again from the solution moves nothing (one
 * pass finds the firms above the knee, then none moves). */
static void the_clearing_from_a_cold_start_equals_the_warm_started_one(void **state)
{
	(void)state;
	tu_run f = make_world(40, 60, "b = { type = \"market_ban\"; actor = \"B\"; target = \"A\"; start = 0; };", 3);
	ts_sim *w = f.sim;
	int x = tu_firm(w, "X"), z = tu_firm(w, "Z");
	double warm_x = w->price_factor[x], warm_z = w->price_factor[z];
	assert_true(warm_x > 1.0 && warm_z > 1.0);
	assert_true(ts_clearing_solve(w, 0) <= 1);
	assert_true(w->price_factor[x] == warm_x && w->price_factor[z] == warm_z);
	for (int i = 0; i < w->nf; i++)
		w->price_factor[i] = 1.0;
	int iterations = ts_clearing_solve(w, 0);
	assert_true(iterations > 1 && iterations < 60);
	assert_double_equal(w->price_factor[x], warm_x, 1e-9 * warm_x);
	assert_double_equal(w->price_factor[z], warm_z, 1e-9 * warm_z);
	tu_run_free(&f);
}

/* One quarter of A's phone market, 400 a year, shared by X, Y and Z of A
 * (elasticity 8) with capacities x, y and z a year. */
static tu_run three_rivals(double x, double y, double z)
{
	char text[1024];
	snprintf(text, sizeof text,
		"run = { steps = 1; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { phones = { elasticity = 8.0; }; };\n"
		"firms = { X = { country = \"A\"; sector = \"phones\"; capacity = %.17g; };\n"
		"          Y = { country = \"A\"; sector = \"phones\"; capacity = %.17g; };\n"
		"          Z = { country = \"A\"; sector = \"phones\"; capacity = %.17g; }; };\n", x, y, z);
	return tu_run_text(text, 7, 1);
}

/* Three alike rivals with 140 a year, 35 a quarter, share A's 100 a
 * quarter: each gets 100/3 of spending, so its real sales 100 / (3 phi)
 * must equal 35 u(phi). With phi = 1 + 0.01 z^2, u = (0.8 + z) / (1 + z),
 * bisection on z gives z = 1.694904880, phi = 1.028727026, u = 0.925785878.
 * Their common price level is the slow mode of a firm-by-firm iteration
 * (about 60 rounds here); solving them jointly takes a few. */
static void rivals_at_capacity_clear_jointly_in_a_few_iterations(void **state)
{
	(void)state;
	tu_run f = three_rivals(140.0, 140.0, 140.0);
	ts_sim *w = f.sim;
	for (int i = 0; i < w->nf; i++) {
		assert_double_equal(w->price_factor[i], 1.028727026, 1e-9);
		assert_double_equal(ts_firm_capacity_use(w, i), 0.925785878, 1e-9);
		w->price_factor[i] = 1.0;
	}
	assert_true(ts_clearing_solve(w, 0) <= 10);
	assert_double_equal(w->price_factor[0], 1.028727026, 1e-9);
	tu_run_free(&f);
}

/* X has room to spare but starts the solve at phi = 1.5 (a warm start
 * from a step when it was tight), Y and Z are tight: X's demand at phi = 1
 * is below its knee, so it falls to the flat end of its curve and leaves
 * the active set while Y and Z rise; the solve ends in about ten
 * iterations with X at exactly 1 and Y and Z where a cold start puts them. */
static void a_firm_falling_below_its_knee_leaves_the_solve(void **state)
{
	(void)state;
	tu_run f = three_rivals(1000.0, 130.0, 120.0);
	ts_sim *w = f.sim;
	int x = tu_firm(w, "X"), y = tu_firm(w, "Y"), z = tu_firm(w, "Z");
	for (int i = 0; i < w->nf; i++)
		w->price_factor[i] = 1.0;
	ts_clearing_solve(w, 0);
	double cold_y = w->price_factor[y], cold_z = w->price_factor[z];
	assert_true(w->price_factor[x] == 1.0 && cold_y > 1.0 && cold_z > cold_y);
	w->price_factor[x] = 1.5;
	w->price_factor[y] = w->price_factor[z] = 1.0;
	int iterations = ts_clearing_solve(w, 0);
	assert_true(iterations > 1 && iterations < 20);  /* the cap is 60: a firm stuck at phi = 1 would hit it */
	assert_true(w->price_factor[x] == 1.0);
	assert_double_equal(w->price_factor[y], cold_y, 1e-9 * cold_y);
	assert_double_equal(w->price_factor[z], cold_z, 1e-9 * cold_z);
	tu_run_free(&f);
}

/* The log phi a solve keeps for each firm (memo_log_phi, the Newton
 * step's limiter) is log of the phi it is kept with, bit for bit, after
 * solves that moved the factors from a cold start and back. */
static void the_kept_log_of_a_price_factor_is_its_log(void **state)
{
	(void)state;
	tu_run f = three_rivals(1000.0, 130.0, 120.0);
	ts_sim *w = f.sim;
	int kept = 0;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < w->nf; i++)
			w->price_factor[i] = round == 0 ? 1.0 : 1.5;
		ts_clearing_solve(w, 0);
		for (int i = 0; i < w->nf; i++) {
			if (isnan(w->memo_log_phi_at[i]))
				continue;
			assert_true(w->memo_log_phi[i] == log(w->memo_log_phi_at[i]));
			kept++;
		}
	}
	assert_true(kept >= 2);  /* Y and Z were solved for in both rounds */
	tu_run_free(&f);
}

/* Solves three_rivals(x, y, z) again from phi = 1, checks the price
 * factors against `expected` (to 1e-9) and returns the iterations used. */
static int cold_solve_of_three_rivals(double x, double y, double z, const double expected[3])
{
	tu_run f = three_rivals(x, y, z);
	ts_sim *w = f.sim;
	for (int i = 0; i < w->nf; i++)
		w->price_factor[i] = 1.0;
	int iterations = ts_clearing_solve(w, 0);
	for (int i = 0; i < w->nf; i++)
		assert_double_equal(w->price_factor[i], expected[i], 1e-9);
	tu_run_free(&f);
	return iterations;
}

/* X, Y and Z with 150, 120 and 100 a year share A's 100 a quarter: firm
 * i's real demand 100 phi_i^-8 / sum_j phi_j^-7 must equal its quarter's
 * capacity x u(z_i). Bisection on each z for a given sum, and on the sum,
 * gives phi = 1.1052680566, 1.1358709752, 1.1616245618. From phi = 1 the
 * exact Newton matrix (each column's d log phi / dz, on and off the
 * diagonal) takes 9 iterations; another firm's slope in a column makes
 * the convergence linear (17 or more). */
static void unequal_rivals_clear_in_few_newton_iterations(void **state)
{
	(void)state;
	const double expected[3] = {1.1052680566, 1.1358709752, 1.1616245618};
	assert_true(cold_solve_of_three_rivals(150.0, 120.0, 100.0, expected) <= 12);
}

/* X with 180 a year, Y and Z with 40: at phi = 1 each would sell 100/3
 * a quarter, below X's knee (0.8 x 45 = 36), but Y and Z are far beyond
 * capacity, and once their prices rise X's demand passes its knee too.
 * The pass that confirms Y and Z's solution finds X above its knee and
 * the three are solved jointly: bisection gives phi = 1.4814974839 for X,
 * 1.7868112210 for Y and Z. */
static void a_firm_pushed_past_its_knee_by_its_rivals_prices_joins_the_solve(void **state)
{
	(void)state;
	const double expected[3] = {1.4814974839, 1.7868112210, 1.7868112210};
	cold_solve_of_three_rivals(180.0, 40.0, 40.0, expected);
}

/* Forty rivals in one phone market of 400 a year (elasticity 8): firm f
 * has capacity cap + step x ((17 f) mod 50) a year and is of country A,
 * or, with `home` (the home bias of A and B, each with a market), of A
 * and B in turn. One step run, so every firm has its price factor. */
static tu_run forty_rivals(double cap, double step, const char *home)
{
	char text[8192];
	int len = snprintf(text, sizeof text,
		"run = { steps = 1; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { home_bias = %s; markets = { phones = { size = 400.0; }; }; }; %s%s%s };\n"
		"sectors = { phones = { elasticity = 8.0; }; };\nfirms = {\n", home ? home : "0.0",
		home ? "B = { home_bias = " : "", home ? home : "", home ? "; markets = { phones = { size = 400.0; }; }; };" : "");
	for (int f = 0; f < 40; f++)
		len += snprintf(text + len, sizeof text - (size_t)len,
		                "  F%d = { country = \"%s\"; sector = \"phones\"; capacity = %.1f; };\n", f,
		                home && f % 2 == 0 ? "B" : "A", cap + step * (double)((f * 17) % 50));
	snprintf(text + len, sizeof text - (size_t)len, "};\n");
	return tu_run_text(text, 7, 1);
}

/* forty_rivals(cap, step, home) solved again from phi = 1, more firms
 * than the dense block takes: every firm ends above its knee, its real
 * demand its quarter's capacity x u(phi) (its supply curve, §5), the
 * market cleared. Returns the solve's iterations. */
static int cold_solve_of_forty_rivals(double cap, double step, const char *home)
{
	tu_run f = forty_rivals(cap, step, home);
	ts_sim *w = f.sim;
	assert_true(w->clear_dense < 40);
	for (int i = 0; i < w->nf; i++)
		w->price_factor[i] = 1.0;
	int iterations = ts_clearing_solve(w, 0);
	for (int i = 0; i < w->nf; i++) {
		double phi = w->price_factor[i], capacity = w->scn->firms[i].capacity / 4.0;
		assert_true(phi > 1.0);
		assert_double_equal(w->desired[i], capacity * ts_clearing_use(phi, 0.8, 0.01), 1e-8 * capacity);
	}
	tu_run_free(&f);
	return iterations;
}

/* Forty alike rivals with 10.5 a year each share A's 100 a quarter: each's
 * real sales 2.5 / phi must equal 2.625 u(phi), the three rivals'
 * equation above times 3/40, so phi = 1.028727026 and u = 0.925785878
 * again. Forty active firms are more than the dense block takes
 * (clear_dense): the Newton step has their cross terms' common part of
 * rank two, which holds their common price level, the mode that a
 * firm-by-firm iteration closes by 1/8 a round (about 60 rounds, the
 * solver's limit); with it, a few iterations from phi = 1. */
static void many_rivals_at_capacity_clear_jointly_in_a_few_iterations(void **state)
{
	(void)state;
	tu_run f = forty_rivals(10.5, 0.0, NULL);
	ts_sim *w = f.sim;
	assert_true(w->clear_dense < 40);
	for (int i = 0; i < w->nf; i++) {
		assert_double_equal(w->price_factor[i], 1.028727026, 1e-9);
		assert_double_equal(ts_firm_capacity_use(w, i), 0.925785878, 1e-9);
		w->price_factor[i] = 1.0;
	}
	assert_true(ts_clearing_solve(w, 0) <= 10);
	for (int i = 0; i < w->nf; i++)
		assert_double_equal(w->price_factor[i], 1.028727026, 1e-9);
	tu_run_free(&f);
}

/* Forty rivals of A with 8 to 12.9 a year share its 100 a quarter, all
 * above their knee: from phi = 1, the structured step clears them in as
 * many iterations as the whole Newton matrix solved densely does (15). */
static void many_unequal_rivals_clear_in_few_newton_iterations(void **state)
{
	(void)state;
	assert_true(cold_solve_of_forty_rivals(8.0, 0.1, NULL) <= 20);
}

/* Forty rivals, twenty of A and twenty of B, 16 to 25.8 a year each,
 * share A's and B's 100 a quarter, with home bias 2 in both (a domestic
 * firm weighs e^2 = 7.4 times a foreign one): each country's firms
 * compete mostly among themselves, and the cross terms' common part
 * misses that (their shared exceptions carry most of the coupling). The
 * solve then goes on with the whole Newton matrix, by GMRES: from phi = 1
 * it clears in 18 iterations (the whole matrix solved densely takes 15;
 * the common part alone, or the old dense block of 32 firms with the other
 * eight on their own, stops at the limit of 60 short of a solution). */
static void rivals_who_compete_mostly_at_home_clear_in_few_iterations(void **state)
{
	(void)state;
	assert_true(cold_solve_of_forty_rivals(16.0, 0.2, "2.0") <= 24);
}

/* (diag(delta) - c (p1 q1' + p2 q2')) x = f with delta = (4, 5, 6), c = 2,
 * p1 = (1, 2, 0), p2 = (0, 1, 1), q1 = (1, 0, 1), q2 = (1, 1, 0): the
 * matrix is ((2, 0, -2), (-6, 3, -4), (-2, -2, 6)), and f = (1, 2, 3)
 * gives x = (-9/4, -15/2, -11/4) by elimination. With delta_2 = 0 the
 * second row is left out (x_2 = 0): ((2, -2), (-2, 6)) x = (1, 3) gives
 * (3/2, 1). One row with delta = c p1 q1 is singular: the diagonal step. */
static void the_rank_two_newton_step_takes_the_values_computed_by_hand(void **state)
{
	(void)state;
	double delta[3] = {4.0, 5.0, 6.0}, p1[3] = {1.0, 2.0, 0.0}, p2[3] = {0.0, 1.0, 1.0};
	double q1[3] = {1.0, 0.0, 1.0}, q2[3] = {1.0, 1.0, 0.0}, z1[3], z2[3];
	double f[3] = {1.0, 2.0, 3.0};
	ts_clearing_rank2_solve(3, delta, p1, p2, q1, q2, 2.0, f, z1, z2);
	assert_double_equal(f[0], -2.25, 1e-14);
	assert_double_equal(f[1], -7.5, 1e-14);
	assert_double_equal(f[2], -2.75, 1e-14);
	double g[3] = {1.0, 2.0, 3.0};
	delta[1] = 0.0;
	ts_clearing_rank2_solve(3, delta, p1, p2, q1, q2, 2.0, g, z1, z2);
	assert_double_equal(g[0], 1.5, 1e-14);
	assert_true(g[1] == 0.0);
	assert_double_equal(g[2], 1.0, 1e-14);
	double one = 1.0, none = 0.0, h = 3.0;
	ts_clearing_rank2_solve(1, &one, &one, &none, &one, &none, 1.0, &h, z1, z2);
	assert_true(h == 3.0);
}

/* The same world twice gives the same price factors, bit for bit. */
static void the_clearing_is_deterministic(void **state)
{
	(void)state;
	tu_run a = make_world(40, 60, "", 4), b = make_world(40, 60, "", 4);
	for (int i = 0; i < a.sim->nf; i++)
		assert_memory_equal(&a.sim->price_factor[i], &b.sim->price_factor[i], sizeof(double));
	assert_true(a.sim->price_factor[tu_firm(a.sim, "X")] > 1.0);
	tu_run_free(&a);
	tu_run_free(&b);
}

static void price_index_rises_when_a_variety_is_banned(void **state)
{
	(void)state;
	tu_run base = make_world(1000, 1000, "", 1);
	tu_run ban = make_world(1000, 1000,
		"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; };", 1);
	int a = ts_scenario_country_index(base.sim->scn, "A");
	int b = ts_scenario_country_index(base.sim->scn, "B");
	assert_double_equal(base.sim->price_index[a], 1.0, 1e-12);
	assert_true(ban.sim->price_index[a] > 1.0 + 1e-6);
	assert_true(ban.sim->welfare[a] < base.sim->welfare[a]);
	assert_double_equal(ban.sim->price_index[b], base.sim->price_index[b], 1e-12);
	tu_run_free(&base);
	tu_run_free(&ban);
}

/* §5: s_i = a_i p_i^(1 - sigma) / sum_j a_j p_j^(1 - sigma), sigma = 4,
 * p = 4/3 unit cost, a = exp(tech) x exp(0.2) for A's own firms in A:
 *   X (B):  exp(0.1) (4/3)^-3        = 1.10517092 x 0.421875   = 0.46624398
 *   Y (A):  exp(0.2) (4/3)^-3        = 1.22140276 x 0.421875   = 0.51527929
 *   Z (A):  exp(0.1) (1.2)^-3        = 1.10517092 x 0.57870370 = 0.63956650
 *   sum 1.62108977; shares 0.28761145, 0.31785981, 0.39452874; of A's
 *   private 70 a quarter: 20.1328015, 22.2501868, 27.6170117.
 * In B (no home bias for anyone): exp(0.1) 0.421875, 0.421875,
 *   exp(-0.1) 0.5787037: shares 0.33025918, 0.29883087, 0.37090995. */
static void ces_shares_take_the_values_computed_by_hand(void **state)
{
	(void)state;
	tu_run f = make_world(1000, 1000, "", 1);
	const ts_sim *w = f.sim;
	int m = mseg_of(w, "A", TS_SEG_PRIVATE);
	assert_double_equal(w->demand[m], 70.0, 1e-12);
	assert_double_equal(sales(w, m, "X"), 20.1328015, 1e-7);
	assert_double_equal(sales(w, m, "Y"), 22.2501868, 1e-7);
	assert_double_equal(sales(w, m, "Z"), 27.6170117, 1e-7);
	int b = mseg_of(w, "B", TS_SEG_PRIVATE);
	assert_double_equal(sales(w, b, "X") / w->demand[b], 0.33025918, 1e-8);
	assert_double_equal(sales(w, b, "Y") / w->demand[b], 0.29883087, 1e-8);
	assert_double_equal(sales(w, b, "Z") / w->demand[b], 0.37090995, 1e-8);
	tu_run_free(&f);
}

/* §5: banning X from A leaves P / P0 = ((0.51527929 + 0.63956650) /
 * 1.62108977)^(-1/3) = 0.71238855^(-1/3) = 1.11968112 in each of A's
 * segments, so A's price index is that too; B's stays 1. */
static void the_price_index_takes_the_value_computed_by_hand(void **state)
{
	(void)state;
	tu_run ban = make_world(1000, 1000,
		"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; };", 1);
	const ts_sim *w = ban.sim;
	for (int g = 0; g < TS_SEG_COUNT; g++)
		assert_double_equal(w->price_ratio[mseg_of(w, "A", (ts_segment)g)], 1.11968112, 1e-8);
	assert_double_equal(w->price_index[ts_scenario_country_index(w->scn, "A")], 1.11968112, 1e-8);
	assert_double_equal(w->price_index[ts_scenario_country_index(w->scn, "B")], 1.0, 1e-15);
	tu_run_free(&ban);
}

/* Phones come second, after chips (C sells A's chips), so that each
 * phone's cells sit past the start of the state's tables. In A's phone
 * market X (from B, unit cost 0.5, 40 a year of capacity: 10 a quarter)
 * faces a 25% duty; Y is A's own. sigma = 4: weights (4/3 x 0.5)^-3
 * = 3.375 for X, (4/3)^-3 = 0.421875 for Y. */
static const char *later_sector_format =
	"run = { steps = 2; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { A = { markets = { chips = { size = 100.0; }; phones = { size = 400.0; }; }; }; B = { }; };\n"
	"sectors = { chips = { }; phones = { }; };\n"
	"firms = { C = { country = \"A\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"          X = { country = \"B\"; sector = \"phones\"; capacity = %g; unit_cost = 0.5; };\n"
	"          Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
	"measures = { duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; sectors = [\"phones\"]; rate = 0.25; start = 0; }; };\n";

static tu_run later_sector(double capacity_x)
{
	char text[2048];
	snprintf(text, sizeof text, later_sector_format, capacity_x);
	return tu_run_text(text, 1, 1);
}

/* §5, §3.1: X's capacity, 10 a quarter, binds in real terms on what it
 * earns (buyers' spending over the wedge 1.25) over its price factor: it
 * is on its supply curve there; buyers pay 1.25 x what it earns, a fifth
 * of it duty. */
static void capacity_binds_on_what_a_firm_earns_in_any_sector(void **state)
{
	(void)state;
	tu_run f = later_sector(40.0);
	const ts_sim *w = f.sim;
	int m = tu_segment(w, "A", "phones", TS_SEG_PRIVATE), x = tu_firm(w, "X");
	double phi = w->price_factor[x];
	assert_double_equal(w->final_sales[x] / phi, 10.0 * ts_clearing_use(phi, 0.8, 0.01), 1e-8);
	assert_double_equal(sales(w, m, "X"), 1.25 * w->final_sales[x], 1e-9);
	assert_double_equal(w->tariff_revenue[tu_country(w, "A")], 0.25 * w->final_sales[x], 1e-9);
	assert_double_equal(w->served[m], 100.0, 1e-9);
	tu_run_free(&f);
}

/* §5, §3.1: with room to spare (1000 a year: X's 64 a quarter is below
 * the knee) the duty multiplies X's weight by 1.25^-3 = 0.512 in the index:
 * P / P0 = ((0.512 x 3.375 + 0.421875) / (3.375 + 0.421875))^(-1/3)
 * = (2.149875 / 3.796875)^(-1/3) = 0.56622222^(-1/3) = 1.20875337. */
static void the_price_index_of_a_later_sector_carries_its_wedges(void **state)
{
	(void)state;
	tu_run f = later_sector(1000.0);
	const ts_sim *w = f.sim;
	assert_double_equal(w->price_factor[tu_firm(w, "X")], 1.0, 0.0);
	assert_double_equal(w->price_ratio[tu_segment(w, "A", "phones", TS_SEG_PRIVATE)], 1.20875337, 1e-8);
	assert_double_equal(w->price_ratio[tu_segment(w, "A", "chips", TS_SEG_PRIVATE)], 1.0, 1e-15);
	tu_run_free(&f);
}

/* The market's model settings: their defaults, and each range checked
 * with the file, line and setting named. */
static void the_market_settings_have_defaults_and_checked_ranges(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text, world_text, 1000.0, 1000.0, "");
	ts_scenario *s = tu_load(text);
	assert_double_equal(s->model.capacity_knee, 0.8, 0.0);
	assert_double_equal(s->model.capacity_steepness, 0.01, 0.0);
	assert_double_equal(s->model.share_half_life, 1.0, 0.0);
	ts_scenario_free(s);
	const char *bad[][2] = {
		{"capacity_knee = 1.0;", "test.cfg:2: model.capacity_knee:"},
		{"capacity_knee = -0.1;", "test.cfg:2: model.capacity_knee:"},
		{"capacity_steepness = 0.0;", "test.cfg:2: model.capacity_steepness:"},
		{"capacity_steepness = 101.0;", "test.cfg:2: model.capacity_steepness:"},
		{"share_half_life = -1.0;", "test.cfg:2: model.share_half_life:"},
		{"share_half_life = 101.0;", "test.cfg:2: model.share_half_life:"},
	};
	for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
		char model[256], body[4096];
		snprintf(model, sizeof model, "model = { %s };\n", bad[b][0]);
		snprintf(body, sizeof body, "run = { steps = 1; start = \"2020Q1\"; };\n%s%s", model, strstr(text, "countries"));
		tu_expect_load_error(body, bad[b][1], NULL);
	}
}

/* Measures, home bias and bans folded into one weight per cell (§5,
 * "Implementation"): A's 25% tariff on B's X gives X the wedge factor
 * 1.25^(1 - 4) = 0.512 in A's segments, and X earns 1 / 1.25 = 0.8 of
 * what buyers spend (cell_receipt 0.512 x 0.8 = 0.4096); A's own Y and Z
 * get A's home multiplier exp(0.2) = 1.2214027581601699; A's procurement
 * ban gives X nothing in A's government segment, where two firms are
 * allowed. In B's market (no home bias, no measure) every cell weighs 1. */
static void each_cell_weighs_its_wedge_times_the_home_multiplier_and_nothing_when_barred(void **state)
{
	(void)state;
	tu_run f = make_world(1000, 1000,
		"t = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };\n"
		"pb = { type = \"procurement_ban\"; actor = \"A\"; target = \"X\"; segment = \"government\"; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int gov = mseg_of(w, "A", TS_SEG_GOVERNMENT), priv = mseg_of(w, "A", TS_SEG_PRIVATE);
	int b = mseg_of(w, "B", TS_SEG_PRIVATE);
	assert_true(w->cell_weight[tu_cell(w, gov, "X")] == 0.0 && w->cell_receipt[tu_cell(w, gov, "X")] == 0.0);
	assert_double_equal(w->cell_weight[tu_cell(w, priv, "X")], 0.512, 1e-15);
	assert_double_equal(w->cell_receipt[tu_cell(w, priv, "X")], 0.4096, 1e-15);
	for (const char *const *o = (const char *const[]){"Y", "Z", NULL}; *o; o++) {
		assert_double_equal(w->cell_weight[tu_cell(w, gov, *o)], 1.2214027581601699, 1e-15);
		assert_double_equal(w->cell_receipt[tu_cell(w, priv, *o)], 1.2214027581601699, 1e-15);
	}
	for (const char *const *o = (const char *const[]){"X", "Y", "Z", NULL}; *o; o++)
		assert_true(w->cell_weight[tu_cell(w, b, *o)] == 1.0);
	assert_int_equal(w->mseg_firms_allowed[gov], 2);
	assert_int_equal(w->mseg_firms_allowed[priv], 3);
	tu_run_free(&f);
}

/* The price index of a step (§5) comes from the clearing's last sums of
 * the cells' weights at the prices found: with X and Z tight (phi > 1), a
 * tariff and a ban, it equals the index summed here cell by cell, ties x
 * cell weight x base weight x phi^(1 - sigma), over P0, to rounding. */
static void the_price_index_is_the_clearing_sum_at_the_prices_found(void **state)
{
	(void)state;
	tu_run f = make_world(120, 90,
		"t = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };\n"
		"pb = { type = \"procurement_ban\"; actor = \"A\"; target = \"X\"; segment = \"government\"; start = 1; };", 2);
	const ts_sim *w = f.sim;
	assert_true(w->price_factor[tu_firm(w, "X")] > 1.0 && w->price_factor[tu_firm(w, "Z")] > 1.0);
	for (int m = 0; m < w->nmseg; m++) {
		double sum = 0.0;
		for (const char *const *o = (const char *const[]){"X", "Y", "Z", NULL}; *o; o++) {
			size_t x = tu_cell(w, m, *o);
			int i = tu_firm(w, *o);
			sum += w->relation[x] * w->cell_weight[x] * w->base_weight[i] * w->factor_weight[i];
		}
		double expected = pow(sum, 1.0 / (1.0 - 4.0)) / w->msegs[m].p0;
		assert_double_equal(w->price_ratio[m], expected, 1e-12 * expected);
	}
	tu_run_free(&f);
}

/* What each firm earns in final markets is what buyers spend on it net
 * of the wedges, summed over its cells: final_sales = sum_g x_ig r_ig
 * (§3.1, §5). Here while buyers' ties to X are growing back after A's ban
 * (below 1) and X pays A's 25% tariff (r = 0.8), with room to spare, and
 * with X and Z tight (price factors above 1). */
static void a_firm_earns_the_spending_on_it_net_of_wedges(void **state)
{
	(void)state;
	tu_run runs[2] = {
		world_with_model("share_half_life = 0.5;",
			"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; end = 4; };\n"
			"t = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", 5),
		make_world(120, 90, "t = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", 2),
	};
	assert_true(runs[0].sim->relation[tu_cell(runs[0].sim, mseg_of(runs[0].sim, "A", TS_SEG_PRIVATE), "X")] < 1.0);
	assert_true(runs[1].sim->price_factor[tu_firm(runs[1].sim, "Z")] > 1.0);
	for (int r = 0; r < 2; r++) {
		const ts_sim *w = runs[r].sim;
		for (const char *const *o = (const char *const[]){"X", "Y", "Z", NULL}; *o; o++) {
			double earned = 0.0;
			for (int m = 0; m < w->nmseg; m++)
				earned += tu_sale(w, m, *o) * w->receipt_share[tu_cell(w, m, *o)];
			assert_true(earned > 0.0);
			assert_double_equal(w->final_sales[tu_firm(w, *o)], earned, 1e-12 * earned);
		}
		tu_run_free(&runs[r]);
	}
}

/* Twelve phone makers, of capacity `capacity` a year: F0 and F1 of A
 * (home bias 0.2), F2 of C, F3..F11 of B, with technology 0, 1, 2 or 3
 * x tech_step, in a sector of the given elasticity; A puts a tariff on
 * C's firms at the rate `tariff`, if above 0. */
static tu_run twelve_makers(double tariff, double capacity, double tech_step, double elasticity, const char *measures,
                            int steps)
{
	char text[8192], firms[4096], t[256] = "";
	int len = 0;
	for (int f = 0; f < 12; f++)
		len += snprintf(firms + len, sizeof firms - (size_t)len,
		                "  F%d = { country = \"%s\"; sector = \"phones\"; capacity = %g; tech = %.2f; };\n",
		                f, f < 2 ? "A" : f == 2 ? "C" : "B", capacity, tech_step * (double)(f % 4));
	if (tariff > 0.0)
		snprintf(t, sizeof t, "t = { type = \"tariff\"; actor = \"A\"; target = \"C\"; rate = %g; start = 0; };", tariff);
	snprintf(text, sizeof text,
		"run = { steps = 8; start = \"2020Q1\"; seed = 7; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; share_half_life = 0.5; };\n"
		"countries = {\n"
		"  A = { home_bias = 0.2; markets = { phones = { size = 400.0; government = 0.1; }; }; };\n"
		"  B = { markets = { phones = { size = 300.0; }; }; };\n"
		"  C = { markets = { phones = { size = 20.0; }; }; };\n"
		"};\n"
		"sectors = { phones = { elasticity = %g; }; };\n"
		"firms = {\n%s};\n"
		"measures = { %s %s };\n", elasticity, firms,
		t, measures);
	return tu_run_text(text, 7, steps);
}

/* A settled segment with few exceptions (docs/model.md §5,
 * "Implementation"): A's private segment lists exactly its two domestic
 * firms (weight exp(0.2) - 1) and the tariffed F2 (0.512 - 1, receipt
 * 0.512 x 0.8 - 1), in order; its sums start from the sum over all twelve
 * firms and correct for the three, which is the cell-by-cell sum to
 * rounding, and the clearing's earnings are what the sales give. */
static void a_settled_segments_sums_correct_the_sum_over_all_firms_for_its_exceptions(void **state)
{
	(void)state;
	tu_run f = twelve_makers(0.25, 1000.0, 0.05, 4.0, "", 2);
	const ts_sim *w = f.sim;
	int m = mseg_of(w, "A", TS_SEG_PRIVATE), b = mseg_of(w, "B", TS_SEG_PRIVATE), nfs = w->sector_firm_count[0];
	size_t at = tu_cell(w, m, "F0");
	assert_true(w->ties_settled[m] && ts_market_row_sparse(w, m, nfs));
	assert_int_equal(w->exc_count[m], 3);
	assert_int_equal(w->exc_count[b], 0);
	const char *ids[] = {"F0", "F1", "F2"};
	const double weight[] = {1.2214027581601699 - 1.0, 1.2214027581601699 - 1.0, 0.512 - 1.0};
	const double receipt[] = {1.2214027581601699 - 1.0, 1.2214027581601699 - 1.0, 0.4096 - 1.0};
	for (int e = 0; e < 3; e++) {
		assert_int_equal(w->exc_pos[at + (size_t)e], (int)(tu_cell(w, m, ids[e]) - at));
		assert_double_equal(w->exc_weight[at + (size_t)e], weight[e], 1e-15);
		assert_double_equal(w->exc_receipt[at + (size_t)e], receipt[e], 1e-15);
	}
	double unit[12], dense = 0.0, corrected;
	for (int a = 0; a < nfs; a++) {
		unit[a] = 1.0 + 0.1 * a;
		dense += w->cell_weight[at + (size_t)a] * unit[a];
	}
	double sum = ts_sum(unit, nfs);
	corrected = sum + weight[0] * unit[w->exc_pos[at]] + weight[1] * unit[w->exc_pos[at + 1]] + weight[2] * unit[w->exc_pos[at + 2]];
	assert_true(ts_market_row_sum(w, m, unit, sum) == corrected);
	assert_double_equal(ts_market_row_total(w, m, unit), dense, 1e-14 * dense);
	for (int i = 0; i < w->nf; i++) {
		double earned = 0.0;
		for (int g = 0; g < w->nmseg; g++)
			earned += ts_market_sale(w, g, w->sales_offset[0] + (size_t)g * (size_t)nfs, i) *
			          w->receipt_share[w->sales_offset[0] + (size_t)g * (size_t)nfs + (size_t)i];
		assert_double_equal(w->final_sales[w->sector_firms[i]], earned, 1e-12 * earned);
	}
	tu_run_free(&f);
}

/* Where a segment's exceptions take away more than half of the sum over
 * all firms, their corrections would round badly (here F2, under a 400%
 * tariff, weight 5^-3, holds almost all the weight: 1e12 against 1): its
 * sum is taken cell by cell, exactly as the dense sum in the order of
 * sums.h. */
static void a_segment_whose_exceptions_hold_most_weight_is_summed_cell_by_cell(void **state)
{
	(void)state;
	tu_run f = twelve_makers(4.0, 1000.0, 0.05, 4.0, "", 1);
	const ts_sim *w = f.sim;
	int m = mseg_of(w, "A", TS_SEG_PRIVATE), nfs = w->sector_firm_count[0];
	size_t at = tu_cell(w, m, "F0");
	double unit[12];
	for (int a = 0; a < nfs; a++)
		unit[a] = 1.0;
	unit[tu_cell(w, m, "F2") - at] = 1e12;
	double dense = ts_sum_xy(w->cell_weight + at, unit, nfs);
	assert_true(ts_market_row_sum(w, m, unit, ts_sum(unit, nfs)) == dense);
	tu_run_free(&f);
}

/* In an unchanged market every step's price index is exactly P0: the open
 * market's sum (home bias alone) corrects the sum over all firms for the
 * same domestic firms, in the same order, as the step's sparse segments.
 * At elasticity 1.2 the index is the sum to the power -5, so that a sum
 * one rounding off would show. */
static void an_unchanged_market_keeps_its_price_index_at_exactly_one(void **state)
{
	(void)state;
	for (int c = 0; c < 8; c++) {  /* unequal firms, whose weights round differently */
		tu_run f = twelve_makers(0.0, 1000.0, 0.037 * (double)c, 1.2, "", 3);
		const ts_sim *w = f.sim;
		assert_true(ts_market_row_sparse(w, mseg_of(w, "A", TS_SEG_PRIVATE), w->sector_firm_count[0]));
		for (int m = 0; m < w->nmseg; m++)
			assert_true(w->price_ratio[m] == 1.0);
		tu_run_free(&f);
	}
}

/* The clearing reads its active firms' cells by firm (omega_by_firm,
 * receipt_by_firm): after a ban on F3 is lifted and buyers' ties to it
 * grow back, and with a tariff, every one is the cell's weight x its tie
 * and its receipt share. */
static void the_cells_by_firm_are_the_cells(void **state)
{
	(void)state;
	tu_run f = twelve_makers(0.25, 40.0, 0.05, 4.0, "ban = { type = \"market_ban\"; actor = \"A\"; target = \"F3\"; start = 0; end = 2; };", 4);
	const ts_sim *w = f.sim;
	int nfs = w->sector_firm_count[0], nms = w->sector_mseg_count[0];
	assert_true(w->relation[tu_cell(w, mseg_of(w, "A", TS_SEG_PRIVATE), "F3")] < 1.0);
	for (int b = 0; b < nms; b++)
		for (int a = 0; a < nfs; a++) {
			size_t at = w->sales_offset[0] + (size_t)b * (size_t)nfs, by_firm = w->sales_offset[0] + (size_t)a * (size_t)nms + (size_t)b;
			assert_true(w->omega_by_firm[by_firm] == ts_market_omega(w, b, at, a));
			assert_true(w->receipt_by_firm[by_firm] == w->receipt_share[at + (size_t)a]);
		}
	tu_run_free(&f);
}

/* Each of a sector's solves in a step (the first, and the one again with
 * firms rationed by their inputs) leaves where it ended for the same solve
 * of the next step: the first's tightness is the price factor the
 * rationed solve started from, and with nothing rationed only the first
 * runs. */
static void each_solve_of_a_step_leaves_its_own_warm_start(void **state)
{
	(void)state;
	tu_run f = twelve_makers(0.0, 30.0, 0.05, 4.0, "", 3);
	ts_sim *w = f.sim;
	assert_int_equal(w->clear_warm_step[0], 2);
	assert_true(w->clear_warm_step[w->ns] < 0);  /* nothing rationed: no second solve */
	int tight = 0;
	for (int i = 0; i < w->nf; i++) {
		assert_true(w->clear_warm[i] == w->clear_z[i]);
		tight += w->clear_z[i] > 0.0;
	}
	assert_true(tight > 0);
	tu_run_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(market_ban_removes_exactly_the_banned_firms_sales_and_others_absorb_them),
		cmocka_unit_test(each_cell_weighs_its_wedge_times_the_home_multiplier_and_nothing_when_barred),
		cmocka_unit_test(the_price_index_is_the_clearing_sum_at_the_prices_found),
		cmocka_unit_test(a_settled_segments_sums_correct_the_sum_over_all_firms_for_its_exceptions),
		cmocka_unit_test(a_segment_whose_exceptions_hold_most_weight_is_summed_cell_by_cell),
		cmocka_unit_test(an_unchanged_market_keeps_its_price_index_at_exactly_one),
		cmocka_unit_test(the_cells_by_firm_are_the_cells),
		cmocka_unit_test(each_solve_of_a_step_leaves_its_own_warm_start),
		cmocka_unit_test(a_firm_earns_the_spending_on_it_net_of_wedges),
		cmocka_unit_test(procurement_ban_touches_only_the_government_segment),
		cmocka_unit_test(shares_in_each_market_sum_to_one_with_and_without_capacity_limits),
		cmocka_unit_test(many_rivals_at_capacity_clear_jointly_in_a_few_iterations),
		cmocka_unit_test(many_unequal_rivals_clear_in_few_newton_iterations),
		cmocka_unit_test(the_rank_two_newton_step_takes_the_values_computed_by_hand),
		cmocka_unit_test(rivals_who_compete_mostly_at_home_clear_in_few_iterations),
		cmocka_unit_test(the_supply_curve_takes_the_values_computed_by_hand),
		cmocka_unit_test(a_firm_near_capacity_raises_its_price_until_its_demand_fits),
		cmocka_unit_test(no_demand_goes_unmet_while_an_allowed_firm_has_room),
		cmocka_unit_test(no_firm_sells_beyond_its_capacity_in_real_terms),
		cmocka_unit_test(demand_is_unmet_only_where_no_allowed_firm_is_left),
		cmocka_unit_test(a_firm_whose_ban_is_lifted_regains_its_sales_over_the_half_life),
		cmocka_unit_test(a_banned_firm_loses_its_sales_at_once),
		cmocka_unit_test(ties_that_growth_no_longer_moves_are_one),
		cmocka_unit_test(the_clearing_from_a_cold_start_equals_the_warm_started_one),
		cmocka_unit_test(rivals_at_capacity_clear_jointly_in_a_few_iterations),
		cmocka_unit_test(a_firm_falling_below_its_knee_leaves_the_solve),
		cmocka_unit_test(the_clearing_is_deterministic),
		cmocka_unit_test(the_market_settings_have_defaults_and_checked_ranges),
		cmocka_unit_test(price_index_rises_when_a_variety_is_banned),
		cmocka_unit_test(ces_shares_take_the_values_computed_by_hand),
		cmocka_unit_test(the_price_index_takes_the_value_computed_by_hand),
		cmocka_unit_test(capacity_binds_on_what_a_firm_earns_in_any_sector),
		cmocka_unit_test(the_price_index_of_a_later_sector_carries_its_wedges),
		cmocka_unit_test(the_kept_log_of_a_price_factor_is_its_log),
		cmocka_unit_test(unequal_rivals_clear_in_few_newton_iterations),
		cmocka_unit_test(a_firm_pushed_past_its_knee_by_its_rivals_prices_joins_the_solve),
	};
	return cmocka_run_group_tests_name("market", tests, NULL, NULL);
}
