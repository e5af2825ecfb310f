/* Measures (sim/model/measures.c and their effects in market.c, supply.c,
 * accounts.c, innovation.c): tariffs, licences, the
 * foreign-direct-product rule, tech denial, compliance, subsidies, capacity
 * investment and disabled measures. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "model_world.h"

/* Loads text (a printf format taking the measures) and runs `steps` steps. */
static tu_run run_text(const char *format, const char *measures, int steps)
{
	char text[8192];
	snprintf(text, sizeof text, format, measures);
	return tu_run_text(text, 1, steps);
}

static int firm(const ts_sim *w, const char *id)
{
	return tu_firm(w, id);
}

static int country(const ts_sim *w, const char *id)
{
	return tu_country(w, id);
}

static int mseg_of(const ts_sim *w, const char *country_id, const char *sector, ts_segment g)
{
	return tu_segment(w, country_id, sector, g);
}

/* Index of the link from supplier firm `supplier` in buyer firm `buyer`'s slots. */
static int link_of(const ts_sim *w, int buyer, int supplier)
{
	const ts_scenario *s = w->scn;
	const ts_firm_spec *f = &s->firms[buyer];
	for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++)
		for (int l = s->slots[q].link_first; l < s->slots[q].link_first + s->slots[q].n_links; l++)
			if (s->links[l].supplier_firm == supplier)
				return l;
	fail_msg("no link");
	return -1;
}

/* Buyers' spending on `firm_id` in segment m during the last step. */
static double spending(const ts_sim *w, int m, const char *firm_id)
{
	return tu_sale(w, m, firm_id);
}

/* Two phone makers selling in A: X from B (unit cost 1), Y from A (0.9),
 * equal tech, no home bias; A buys 400 a year, 10% by government. Technology
 * frozen. sigma = 4: price = 4/3 unit cost. */
static const char *two_firms =
	"run = { steps = 8; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
	"countries = { A = { markets = { phones = { size = 400.0; government = 0.1; }; }; }; B = { }; };\n"
	"sectors = { phones = { elasticity = 4.0; }; };\n"
	"firms = {\n"
	"  X = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; };\n"
	"  Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; unit_cost = 0.9; };\n"
	"  X2 = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; refuses = [\"source_code\"]; };\n"
	"};\n"
	"measures = { %s };\n";

/* CES share of a firm at buyer price p_own against one rival at p_other. */
static double ces_share(double p_own, double p_other, double sigma)
{
	double own = pow(p_own, 1.0 - sigma), other = pow(p_other, 1.0 - sigma);
	return own / (own + other);
}

/* §3.1: two tariffs on one flow add their rates: 0.10 + 0.15 = 0.25, so
 * buyers pay W = 1.25 times X's price: its CES weight is multiplied by
 * 1.25^(1 - 4) = 0.512, it earns 1 / 1.25 = 0.8 of buyers' spending and
 * 0.25 / 1.25 = 0.2 of it is duty. (One tariff alone would give
 * 1.15^-3 = 0.6575.) */
static void two_tariffs_on_one_flow_add_their_rates(void **state)
{
	(void)state;
	tu_run f = run_text(two_firms,
		"t1 = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.10; start = 0; };\n"
		"t2 = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.15; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int a = country(w, "A");
	assert_double_equal(w->tariff_rate[(size_t)a * (size_t)w->nf + (size_t)firm(w, "X")], 0.25, 1e-15);
	for (int g = TS_SEG_GOVERNMENT; g < TS_SEG_COUNT; g += 2) {
		size_t x = tu_cell(w, mseg_of(w, "A", "phones", (ts_segment)g), "X");
		assert_double_equal(w->wedge_weight[x], 0.512, 1e-15);
		assert_double_equal(w->receipt_share[x], 0.8, 1e-15);
		assert_double_equal(w->tariff_share[x], 0.2, 1e-15);
		/* A's own firm pays no duty. */
		size_t y = tu_cell(w, mseg_of(w, "A", "phones", (ts_segment)g), "Y");
		assert_double_equal(w->wedge_weight[y], 1.0, 0.0);
	}
	tu_run_free(&f);
}

/* §3.1: a compliance cost k (a fraction of unit cost) adds k x unit cost to
 * the price p = mu unit cost: W = 1 + k / mu = 1 + 0.3 / (4/3) = 1.225, in
 * the covered segment only; weight 1.225^-3 = 0.543991, receipt
 * 1 / 1.225 = 0.816327, no duty. With a 25% tariff too, the wedges
 * multiply: W = 1.25 x 1.225 = 1.53125, weight 0.278523, receipt 0.653061,
 * duty share still 0.2. */
static void compliance_and_tariff_wedges_take_the_values_computed_by_hand(void **state)
{
	(void)state;
	const char *audit = "audit = { type = \"compliance\"; actor = \"A\"; requirement = \"certification\"; cost = 0.3;\n"
	                    "          segment = \"government\"; start = 0; };\n";
	tu_run f = run_text(two_firms, audit, 1);
	const ts_sim *w = f.sim;
	size_t gov = tu_cell(w, mseg_of(w, "A", "phones", TS_SEG_GOVERNMENT), "X");
	size_t priv = tu_cell(w, mseg_of(w, "A", "phones", TS_SEG_PRIVATE), "X");
	assert_double_equal(w->wedge_weight[gov], 0.5439910241, 1e-10);
	assert_double_equal(w->receipt_share[gov], 0.8163265306, 1e-10);
	assert_double_equal(w->tariff_share[gov], 0.0, 0.0);
	assert_double_equal(w->wedge_weight[priv], 1.0, 0.0);
	tu_run_free(&f);
	char both[1024];
	snprintf(both, sizeof both, "%sduty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", audit);
	f = run_text(two_firms, both, 1);
	w = f.sim;
	gov = tu_cell(w, mseg_of(w, "A", "phones", TS_SEG_GOVERNMENT), "X");
	assert_double_equal(w->wedge_weight[gov], 0.2785234044, 1e-10);
	assert_double_equal(w->receipt_share[gov], 0.6530612245, 1e-10);
	assert_double_equal(w->tariff_share[gov], 0.2, 1e-15);
	tu_run_free(&f);
}

/* §3.4: subsidies add, but pay at most 90% of unit cost: 0.6 + 0.5 gives
 * 0.9, so Y's buyers pay 4/3 x 0.9 x (1 - 0.9) = 0.12, and A pays
 * 0.9 x 0.9 = 0.81 per unit, final_sales x 0.9 / (4/3 x 0.1) in all. */
static void subsidies_together_pay_at_most_ninety_percent_of_unit_cost(void **state)
{
	(void)state;
	tu_run f = run_text(two_firms,
		"s1 = { type = \"subsidy\"; actor = \"A\"; rate = 0.6; start = 0; };\n"
		"s2 = { type = \"subsidy\"; actor = \"A\"; rate = 0.5; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int y = firm(w, "Y");
	assert_double_equal(w->subsidy_rate[y], 0.9, 1e-15);
	assert_double_equal(w->subsidy_rate[firm(w, "X")], 0.0, 0.0);
	assert_double_equal(w->subsidy_spending[country(w, "A")], w->final_sales[y] * 0.9 / (4.0 / 3.0 * 0.1), 1e-9);
	/* Y's weight (0.12)^-3 against X's and X2's (4/3)^-3: share 0.998544. */
	int m = mseg_of(w, "A", "phones", TS_SEG_PRIVATE);
	assert_double_equal(spending(w, m, "Y") / w->demand[m], 0.9985441227, 1e-9);
	tu_run_free(&f);
}

static void a_tariff_shifts_shares_by_the_ces_formula_and_books_its_revenue_to_the_actor(void **state)
{
	(void)state;
	const double r = 0.25, mu = 4.0 / 3.0;
	tu_run f = run_text(two_firms,
		"x2_out = { type = \"market_ban\"; actor = \"A\"; target = \"X2\"; start = 0; };\n"
		"duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", 1);
	const ts_sim *w = f.sim;
	double tariff_paid = 0.0;
	for (int g = TS_SEG_GOVERNMENT; g < TS_SEG_COUNT; g += 2) {
		int m = mseg_of(w, "A", "phones", (ts_segment)g);
		double demand = w->demand[m];
		/* X's buyers pay p_X (1 + r): complete pass-through. */
		double share = ces_share(mu * 1.0 * (1.0 + r), mu * 0.9, 4.0);
		assert_double_equal(spending(w, m, "X"), share * demand, 1e-9 * demand);
		assert_double_equal(spending(w, m, "Y"), (1.0 - share) * demand, 1e-9 * demand);
		tariff_paid += spending(w, m, "X") * r / (1.0 + r);
	}
	/* X earns the pre-tariff value; A collects the rest. */
	int a = country(w, "A"), b = country(w, "B");
	double x_spending = spending(w, mseg_of(w, "A", "phones", TS_SEG_GOVERNMENT), "X") +
	                    spending(w, mseg_of(w, "A", "phones", TS_SEG_PRIVATE), "X");
	assert_double_equal(w->final_sales[firm(w, "X")], x_spending / (1.0 + r), 1e-12);
	assert_double_equal(w->tariff_revenue[a], tariff_paid, 1e-12);
	assert_double_equal(w->tariff_revenue[a], x_spending * r / (1.0 + r), 1e-12);
	assert_true(w->tariff_revenue[a] > 1.0);
	assert_double_equal(w->tariff_revenue[b], 0.0, 0.0);
	/* B's exports are what X earns. */
	assert_double_equal(w->exports[b], x_spending / (1.0 + r), 1e-12);
	/* The index rises against the open market. */
	assert_true(w->price_index[a] > 1.0);
	tu_run_free(&f);
}

static void capacity_binds_on_what_a_firm_earns_not_on_what_buyers_pay_with_the_tariff(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; }; }; }; B = { }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { X = { country = \"B\"; sector = \"phones\"; capacity = 40.0; unit_cost = 0.5; };\n"
		"          Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
		"measures = { %s };\n";
	tu_run f = run_text(text, "duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int m = mseg_of(w, "A", "phones", TS_SEG_PRIVATE);
	/* X can make 10 a quarter in real terms, bound on what it earns over its
	 * price factor (docs/model.md §5): buyers pay 1.25 x what it earns,
	 * 0.25 x of it tariff. */
	int x = firm(w, "X");
	assert_true(w->final_sales[x] / w->price_factor[x] <= 10.0 && w->final_sales[x] / w->price_factor[x] > 9.0);
	assert_true(w->price_factor[x] > 1.0);
	assert_double_equal(spending(w, m, "X"), 1.25 * w->final_sales[x], 1e-9);
	assert_double_equal(w->tariff_revenue[country(w, "A")], 0.25 * w->final_sales[x], 1e-9);
	assert_double_equal(w->served[m], w->demand[m], 1e-9);
	tu_run_free(&f);
}

static void a_subsidy_lowers_the_price_by_its_rate_and_books_its_cost(void **state)
{
	(void)state;
	const double rate = 0.2, mu = 4.0 / 3.0;
	tu_run f = run_text(two_firms,
		"x2_out = { type = \"market_ban\"; actor = \"A\"; target = \"X2\"; start = 0; };\n"
		"help = { type = \"subsidy\"; actor = \"A\"; rate = 0.2; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int m = mseg_of(w, "A", "phones", TS_SEG_PRIVATE);
	double demand = w->demand[m];
	double share_y = ces_share(mu * 0.9 * (1.0 - rate), mu * 1.0, 4.0);
	assert_double_equal(spending(w, m, "Y"), share_y * demand, 1e-9 * demand);
	/* Cost = rate x unit cost x units sold; units = sales / subsidised price. */
	int y = firm(w, "Y");
	double units = w->final_sales[y] / (mu * 0.9 * (1.0 - rate));
	assert_double_equal(w->subsidy_spending[country(w, "A")], rate * 0.9 * units, 1e-12);
	assert_double_equal(w->subsidy_spending[country(w, "B")], 0.0, 0.0);
	assert_double_equal(w->tariff_revenue[country(w, "A")], 0.0, 0.0);
	tu_run_free(&f);
}

static void compliance_raises_the_foreign_price_by_the_cost_and_excludes_refusers_from_covered_segments(void **state)
{
	(void)state;
	const double cost = 0.3, mu = 4.0 / 3.0;
	tu_run base = run_text(two_firms, "", 1);
	tu_run f = run_text(two_firms,
		"audit = { type = \"compliance\"; actor = \"A\"; requirement = \"source_code\"; cost = 0.3;\n"
		"          segment = \"government\"; start = 0; };", 1);
	const ts_sim *w = f.sim;
	int gov = mseg_of(w, "A", "phones", TS_SEG_GOVERNMENT);
	int priv = mseg_of(w, "A", "phones", TS_SEG_PRIVATE);
	/* X2 refuses the audit: out of the government segment only. */
	assert_true(spending(base.sim, gov, "X2") > 0.0);
	assert_true(spending(w, gov, "X2") == 0.0);
	assert_double_equal(spending(w, priv, "X2"), spending(base.sim, priv, "X2"), 1e-12);
	/* X pays the audit: its buyers pay p + cost x unit cost. Y, domestic, does not. */
	double demand = w->demand[gov];
	double share_x = ces_share(mu * 1.0 + cost * 1.0, mu * 0.9, 4.0);
	assert_double_equal(spending(w, gov, "X"), share_x * demand, 1e-9 * demand);
	/* X earns its own price on what it sells: spending x p / (p + cost uc). */
	int x = firm(w, "X");
	double earned_gov = spending(w, gov, "X") * mu / (mu + cost);
	assert_double_equal(w->final_sales[x], earned_gov + spending(w, priv, "X"), 1e-12);
	/* The private segment is uncovered and unchanged. */
	for (const char *const *o = (const char *const[]){"X", "Y", NULL}; *o; o++)
		assert_double_equal(spending(w, priv, *o), spending(base.sim, priv, *o), 1e-12);
	tu_run_free(&base);
	tu_run_free(&f);
}

static void a_compliance_measure_with_a_target_spares_other_foreign_firms(void **state)
{
	(void)state;
	tu_run base = run_text(two_firms, "", 1);
	tu_run f = run_text(two_firms,
		"audit = { type = \"compliance\"; actor = \"A\"; target = \"X2\"; requirement = \"certification\";\n"
		"          cost = 0.5; start = 0; };", 1);
	int x2 = firm(f.sim, "X2"), x = firm(f.sim, "X");
	/* X2 does not refuse certification: it pays, in every segment. */
	assert_true(f.sim->final_sales[x2] < base.sim->final_sales[x2]);
	assert_true(f.sim->final_sales[x2] > 0.0);
	assert_true(f.sim->final_sales[x] > base.sim->final_sales[x]);
	tu_run_free(&base);
	tu_run_free(&f);
}

/* Phone maker Z (CN) buys chips from Q (US, 60%) and T (TW, 40%); chips are
 * 30% of its unit cost; no stockpile, no substitution. */
static const char *supply_world =
	"run = { steps = 6; start = \"2018Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { US = { markets = { chips = { size = 80.0; }; }; }; CN = { markets = { phones = { size = 400.0; }; }; }; TW = { }; };\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  T = { country = \"TW\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { Q = 0.6; T = 0.4; }; }; };\n"
	"  H = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { T = 1.0; }; }; };\n"
	"};\n"
	"measures = { %s };\n";

static void a_licence_share_leaves_exactly_that_share_of_the_controlled_flow(void **state)
{
	(void)state;
	const double licence = 0.4, mu = 4.0 / 3.0;
	tu_run f = run_text(supply_world,
		"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; licence_share = 0.4; start = 1; };", 2);
	const ts_sim *w = f.sim;
	int z = firm(w, "Z"), q = firm(w, "Q"), t = firm(w, "T");
	/* The cut is 0.6 x (1 - 0.4) of Z's chips. */
	assert_double_equal(w->supply_factor[z], 1.0 - 0.6 * (1.0 - licence), 1e-12);
	/* Q still sells Z 40% of what Z's output needs from it; T all of its share. */
	double chips = 0.3 * w->final_sales[z] / mu;
	assert_double_equal(w->input_sales[q], licence * 0.6 * chips, 1e-12);
	assert_double_equal(w->input_sales[t], 0.4 * chips + 0.3 * w->final_sales[firm(w, "H")] / mu, 1e-12);
	/* The link is under control, and a part of it still flows. */
	int l = link_of(w, z, q);
	assert_true(w->link_blocked[l]);
	assert_double_equal(w->link_cut[l], 1.0 - licence, 1e-15);
	tu_run_free(&f);
}

/* Chips need tools (20% of cost). T (TW) buys half its tools from the US
 * maker U, S (KR) a tenth: by their links they depend on US technology
 * 0.5 and 0.1. Z (CN) buys its chips half from T, half from S. */
static const char *fdp_world =
	"run = { steps = 4; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { US = { }; NL = { }; TW = { }; KR = { }; CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
	"sectors = { tools = { }; chips = { inputs = { tools = 0.2; }; }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  U = { country = \"US\"; sector = \"tools\"; capacity = 100.0; };\n"
	"  N = { country = \"NL\"; sector = \"tools\"; capacity = 100.0; };\n"
	"  T = { country = \"TW\"; sector = \"chips\"; capacity = 100.0; suppliers = { tools = { U = 0.5; N = 0.5; }; }; };\n"
	"  S = { country = \"KR\"; sector = \"chips\"; capacity = 100.0; suppliers = { tools = { U = 0.1; N = 0.9; }; }; %s };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { T = 0.5; S = 0.5; }; }; };\n"
	"};\n"
	"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; sectors = [\"chips\"]; start = 1; %s }; };\n";

static double fdp_factor(const char *s_extra, const char *control_extra)
{
	char text[8192];
	snprintf(text, sizeof text, fdp_world, s_extra, control_extra);
	tu_run f = run_text("%s", text, 2);
	int us = country(f.sim, "US");
	/* T's dependence on US technology from its links: 0.2 x 0.5 / 0.2. */
	assert_double_equal(f.sim->dependence[(size_t)firm(f.sim, "T") * (size_t)f.sim->nc + (size_t)us], 0.5, 1e-15);
	double factor = f.sim->supply_factor[firm(f.sim, "Z")];
	tu_run_free(&f);
	return factor;
}

static void the_foreign_direct_product_rule_binds_suppliers_at_or_above_the_threshold_only(void **state)
{
	(void)state;
	/* Without the rule the control binds nothing: Z buys no US chips. */
	assert_double_equal(fdp_factor("", ""), 1.0, 1e-15);
	/* T (0.5) is bound, S (0.1) is not. */
	assert_double_equal(fdp_factor("", "foreign_direct_product = true;"), 0.5, 1e-15);
	assert_double_equal(fdp_factor("", "foreign_direct_product = true; fdp_threshold = 0.5;"), 0.5, 1e-15);
	assert_double_equal(fdp_factor("", "foreign_direct_product = true; fdp_threshold = 0.6;"), 1.0, 1e-15);
	assert_double_equal(fdp_factor("", "foreign_direct_product = true; fdp_threshold = 0.1;"), 0.0, 1e-15);
	/* An explicit dependence replaces the one computed from links. */
	assert_double_equal(fdp_factor("tech_dependence = { US = 0.3; };", "foreign_direct_product = true;"), 0.0, 1e-15);
	assert_double_equal(fdp_factor("tech_dependence = { NL = 0.9; };", "foreign_direct_product = true; fdp_threshold = 0.05;"),
	                    0.5, 1e-15);
	/* Licences apply to the extended control too. */
	assert_double_equal(fdp_factor("", "foreign_direct_product = true; licence_share = 0.5;"), 0.75, 1e-15);
}

static void generic_producers_depend_like_their_countrys_firms(void **state)
{
	(void)state;
	char text[8192];
	snprintf(text, sizeof text, fdp_world, "", "");
	tu_run f = run_text("%s", text, 0);
	const ts_sim *w = f.sim;
	int us = country(w, "US"), tw = country(w, "TW"), cn = country(w, "CN");
	int chips = ts_scenario_sector_index(w->scn, "chips");
	size_t nc = (size_t)w->nc, ns = (size_t)w->ns;
	assert_double_equal(w->generic_dependence[((size_t)tw * ns + (size_t)chips) * nc + (size_t)us], 0.5, 1e-15);
	assert_double_equal(w->generic_dependence[((size_t)cn * ns + (size_t)chips) * nc + (size_t)us], 0.0, 0.0);
	/* A firm without inputs depends on no one. */
	assert_double_equal(w->dependence[(size_t)firm(w, "U") * nc + (size_t)us], 0.0, 0.0);
	tu_run_free(&f);
}

/* Z (CN) is far behind A (US) and imitates whenever it can. */
static const char *imitation_world =
	"run = { steps = 3; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 100.0; innovation_share = 0.0; };\n"
	"countries = { US = { markets = { phones = { size = 100.0; }; }; }; CN = { markets = { phones = { size = 100.0; }; }; }; };\n"
	"sectors = { phones = { }; };\n"
	"firms = {\n"
	"  A = { country = \"US\"; sector = \"phones\"; capacity = 1000.0; tech = 1.0; };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; rd_intensity = 0.5; };\n"
	"};\n"
	"measures = { %s };\n";

static void tech_denial_false_leaves_imitation_open(void **state)
{
	(void)state;
	tu_run denied = run_text(imitation_world,
		"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; start = 0; };", 2);
	tu_run open = run_text(imitation_world,
		"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; tech_denial = false; start = 0; };", 2);
	assert_double_equal(denied.sim->tech[firm(denied.sim, "Z")], 0.0, 0.0);
	assert_double_equal(open.sim->tech[firm(open.sim, "Z")], 1.0, 1e-12);
	tu_run_free(&denied);
	tu_run_free(&open);
}

/* §3.2, §8: tech denial ends with its control: Z cannot imitate A in step
 * 0 and copies it (imitation_fraction 1) in step 1. */
static void imitation_reopens_when_the_control_that_denied_it_ends(void **state)
{
	(void)state;
	tu_run f = run_text(imitation_world,
		"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; start = 0; end = 1; };", 1);
	int z = firm(f.sim, "Z");
	assert_double_equal(f.sim->tech[z], 0.0, 0.0);
	tu_run_steps(f.sim, 1);
	assert_double_equal(f.sim->tech[z], 1.0, 1e-12);
	tu_run_free(&f);
}

/* X (B) has 40 a year and would sell far more; A builds it 20 more over
 * 4 steps from step 1 and pays 8 a year while building. */
static void capacity_investment_ramps_up_linearly_and_its_budget_is_government_spending(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 8; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
		"countries = { A = { markets = { phones = { size = 400.0; }; }; }; B = { }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = {\n"
		"  X = { country = \"B\"; sector = \"phones\"; capacity = 40.0; unit_cost = 0.5; };\n"
		"  Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
		"};\n"
		"measures = { fab = { type = \"capacity_investment\"; actor = \"A\"; target = \"X\"; capacity = 20.0;\n"
		"                     build_months = 12; budget = 8.0; start = 1; }; };\n";
	ts_scenario *s = tu_load(text);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 1, &err), TS_OK);
	int x = ts_scenario_firm_index(s, "X"), a = ts_scenario_country_index(s, "A");
	const double capacity[] = {40, 45, 50, 55, 60, 60, 60, 60};
	const double spent[] = {0, 2, 2, 2, 2, 0, 0, 0};
	for (int t = 0; t < 8; t++) {
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
		assert_double_equal(w->capacity_eff[x], capacity[t], 1e-12);
		/* sells near all it can make, in real terms, at a scarcity price (§5) */
		double real = w->final_sales[x] / w->price_factor[x];
		assert_true(real <= capacity[t] / 4.0 && real > 0.95 * capacity[t] / 4.0);
		assert_double_equal(w->subsidy_spending[a], spent[t], 1e-12);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

static void capacity_built_stays_when_the_investment_ends_early(void **state)
{
	(void)state;
	tu_run f = run_text(two_firms,
		"fab = { type = \"capacity_investment\"; actor = \"A\"; target = \"X\"; capacity = 100.0;\n"
		"        build_months = 12; start = 0; end = 2; };", 5);
	assert_double_equal(f.sim->capacity_eff[firm(f.sim, "X")], 1050.0, 1e-12);
	tu_run_free(&f);
}

static void a_disabled_measure_never_starts(void **state)
{
	(void)state;
	tu_run base = run_text(two_firms, "", 4);
	tu_run off = run_text(two_firms,
		"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X\"; start = 0; enabled = false; };\n"
		"duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 1.0; start = 1; end = 3; enabled = false; };", 0);
	ts_error err = TS_ERROR_INIT;
	for (int j = 0; j < off.sim->n_minst; j++)
		assert_int_equal(off.sim->minst[j].start, INT_MAX);
	for (int t = 0; t < 4; t++) {
		assert_int_equal(ts_sim_step(off.sim, &err), TS_OK);
		assert_int_equal(off.sim->n_events, 0);
	}
	for (int i = 0; i < base.sim->nf; i++)
		assert_double_equal(off.sim->final_sales[i], base.sim->final_sales[i], 0.0);
	assert_double_equal(off.sim->tariff_revenue[country(off.sim, "A")], 0.0, 0.0);
	tu_run_free(&base);
	tu_run_free(&off);
}

/* §3.1, §3.4: the compliance term adds k x unit cost to the price the
 * firm asks, p (1 - z), so with a subsidy z it is k / (mu (1 - z)) of that
 * price: X, subsidised 20% by B, facing A's audit of 0.3 in government
 * purchases, gets W = 1 + 0.3 / (4/3 x 0.8) = 1.28125 there; weight
 * 1.28125^-3 = 1 / 2.10330200 = 0.47544290, receipt 1 / 1.28125
 * = 0.78048780. */
static void a_compliance_cost_on_a_subsidised_firm_adds_the_cost_to_its_subsidised_price(void **state)
{
	(void)state;
	tu_run f = run_text(two_firms,
		"aid = { type = \"subsidy\"; actor = \"B\"; rate = 0.2; start = 0; };\n"
		"audit = { type = \"compliance\"; actor = \"A\"; requirement = \"certification\"; cost = 0.3;\n"
		"          segment = \"government\"; start = 0; };", 1);
	const ts_sim *w = f.sim;
	size_t gov = tu_cell(w, mseg_of(w, "A", "phones", TS_SEG_GOVERNMENT), "X");
	assert_double_equal(w->subsidy_rate[firm(w, "X")], 0.2, 1e-15);
	assert_double_equal(w->wedge_weight[gov], 0.4754428984, 1e-10);
	assert_double_equal(w->receipt_share[gov], 0.7804878049, 1e-10);
	tu_run_free(&f);
}

/* A measure listing two sectors covers both: B's chip maker and its phone
 * maker pay the 10% duty in A. (The R&D budget listing chips comes first in
 * the file, so the tariff's sectors are not the first of the list.) */
static void a_measure_listing_two_sectors_covers_both(void **state)
{
	(void)state;
	tu_run f = tu_run_text(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; }; chips = { size = 100.0; }; }; }; B = { }; };\n"
		"sectors = { chips = { }; phones = { }; tools = { }; };\n"
		"firms = { C = { country = \"B\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"          P = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; };\n"
		"          T = { country = \"B\"; sector = \"tools\"; capacity = 1000.0; }; };\n"
		"measures = { fund = { type = \"rd_investment\"; actor = \"B\"; sectors = [\"chips\"]; budget = 1.0; start = 0; };\n"
		"  duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.1; sectors = [\"chips\", \"phones\"]; start = 0; }; };\n",
		1, 1);
	const ts_sim *w = f.sim;
	size_t a = (size_t)country(w, "A") * (size_t)w->nf;
	assert_double_equal(w->tariff_rate[a + (size_t)firm(w, "C")], 0.1, 0.0);
	assert_double_equal(w->tariff_rate[a + (size_t)firm(w, "P")], 0.1, 0.0);
	assert_double_equal(w->tariff_rate[a + (size_t)firm(w, "T")], 0.0, 0.0);
	tu_run_free(&f);
}

/* Two phone makers, XA in A (first) and XB in B, alike: each sells 50 in
 * each country's 100 a quarter, 100 in all, and spends 10% of it, 10, on
 * R&D. A funds R&D with 4 a year, 1 a quarter, over steps 0-1, without
 * naming sectors. */
static const char *funded_world =
	"run = { steps = 4; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { A = { markets = { phones = { size = 400.0; }; }; }; B = { markets = { phones = { size = 400.0; }; }; }; };\n"
	"sectors = { phones = { }; };\n"
	"firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; rd_intensity = 0.1; };\n"
	"          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; rd_intensity = 0.1; }; };\n"
	"measures = { fund = { type = \"rd_investment\"; actor = \"A\"; budget = 4.0; start = 0; end = 2; };\n"
	"             other = { type = \"tariff\"; actor = \"B\"; target = \"A\"; rate = 0.0; start = 1; }; };\n";

/* §3: without sectors an R&D investment funds every sector of its actor,
 * and nothing of another country's: XA spends 10 + 1, XB its own 10. */
static void an_rd_investment_without_sectors_funds_only_its_actors_firms(void **state)
{
	(void)state;
	tu_run f = tu_run_text(funded_world, 1, 1);
	assert_double_equal(f.sim->rd_spending[firm(f.sim, "XA")], 11.0, 1e-12);
	assert_double_equal(f.sim->rd_spending[firm(f.sim, "XB")], 10.0, 1e-12);
	tu_run_free(&f);
}

/* §3: the budget is paid while the measure is in force, steps 0-1, also
 * when another measure starts meanwhile (step 1), and stops at its end. */
static void an_rd_investment_pays_its_budget_only_while_in_force(void **state)
{
	(void)state;
	tu_run f = tu_run_text(funded_world, 1, 0);
	const double expected[] = {11.0, 11.0, 10.0, 10.0};
	for (int t = 0; t < 4; t++) {
		tu_run_steps(f.sim, 1);
		assert_double_equal(f.sim->rd_spending[firm(f.sim, "XA")], expected[t], 1e-12);
	}
	tu_run_free(&f);
}

/* §3.4: a subsidy keeps its rate while another measure starts (step 1: the
 * masks are rebuilt) and ends with its measure (step 3). */
static void a_subsidy_keeps_its_rate_while_in_force_and_ends_with_its_measure(void **state)
{
	(void)state;
	tu_run f = run_text(two_firms,
		"aid = { type = \"subsidy\"; actor = \"A\"; rate = 0.2; start = 0; end = 3; };\n"
		"ban = { type = \"market_ban\"; actor = \"A\"; target = \"X2\"; start = 1; };", 0);
	const double expected[] = {0.2, 0.2, 0.2, 0.0};
	for (int t = 0; t < 4; t++) {
		tu_run_steps(f.sim, 1);
		assert_double_equal(f.sim->subsidy_rate[firm(f.sim, "Y")], expected[t], 1e-15);
	}
	tu_run_free(&f);
}

/* §3.5: two investments in one firm add up, and so do their budgets. X has
 * 40 a year; 20 more are built over 2 steps from step 1 (budget 4 a year),
 * 8 more over 2 steps from step 2 (budget 8): capacity 40, 50, 64, 68, 68;
 * budgets a quarter 0, 1, 1 + 2 = 3, 2, 0. */
static void two_capacity_investments_add_their_capacity_and_their_budgets(void **state)
{
	(void)state;
	const char *text =
		"run = { steps = 5; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
		"countries = { A = { markets = { phones = { size = 400.0; }; }; }; B = { }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { X = { country = \"B\"; sector = \"phones\"; capacity = 40.0; unit_cost = 0.5; };\n"
		"          Y = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
		"measures = {\n"
		"  fab1 = { type = \"capacity_investment\"; actor = \"A\"; target = \"X\"; capacity = 20.0; build_months = 6;\n"
		"           budget = 4.0; start = 1; };\n"
		"  fab2 = { type = \"capacity_investment\"; actor = \"A\"; target = \"X\"; capacity = 8.0; build_months = 6;\n"
		"           budget = 8.0; start = 2; };\n"
		"};\n";
	tu_run f = tu_run_text(text, 1, 0);
	int x = firm(f.sim, "X"), a = country(f.sim, "A");
	const double capacity[] = {40, 50, 64, 68, 68}, spent[] = {0, 1, 3, 2, 0};
	for (int t = 0; t < 5; t++) {
		tu_run_steps(f.sim, 1);
		assert_double_equal(f.sim->capacity_eff[x], capacity[t], 1e-12);
		assert_double_equal(f.sim->subsidy_spending[a], spent[t], 1e-12);
	}
	tu_run_free(&f);
}

/* §3, §3.1: wedges follow the measures in force. A taxes B's firms 25%
 * and asks every foreign firm for a certification costing 0.3 (in all
 * segments) over steps 0-1; an R&D budget starting at step 1 rebuilds the
 * masks meanwhile. X2's private cell: W = 1.25 x (1 + 0.3 / (4/3))
 * = 1.25 x 1.225 = 1.53125 (weight 0.27852340, receipt 0.65306122) in
 * steps 0 and 1, not doubled by the rebuild; none from step 2. */
static void tariff_and_compliance_wedges_hold_while_their_measures_are_in_force_and_end_with_them(void **state)
{
	(void)state;
	tu_run f = run_text(two_firms,
		"duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; end = 2; };\n"
		"audit = { type = \"compliance\"; actor = \"A\"; requirement = \"certification\"; cost = 0.3; start = 0; end = 2; };\n"
		"fund = { type = \"rd_investment\"; actor = \"A\"; budget = 1.0; start = 1; };", 0);
	const double weight[] = {0.2785234044, 0.2785234044, 1.0, 1.0}, receipt[] = {0.6530612245, 0.6530612245, 1.0, 1.0};
	for (int t = 0; t < 4; t++) {
		tu_run_steps(f.sim, 1);
		size_t x2 = tu_cell(f.sim, mseg_of(f.sim, "A", "phones", TS_SEG_PRIVATE), "X2");
		assert_double_equal(f.sim->wedge_weight[x2], weight[t], 1e-10);
		assert_double_equal(f.sim->receipt_share[x2], receipt[t], 1e-10);
	}
	tu_run_free(&f);
}

/* TW's chip makers: T buys half its tools from the US maker U (dependence
 * on US technology 0.5), T2 all from N in NL (0). Z (CN) buys its chips
 * from TW's chip industry as a whole (its generic producers). `extra`
 * completes the US control on Z's chips. */
static const char *generic_fdp_world =
	"run = { steps = 2; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { US = { }; NL = { }; TW = { }; CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
	"sectors = { tools = { }; chips = { inputs = { tools = 0.2; }; }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  U = { country = \"US\"; sector = \"tools\"; capacity = 100.0; };\n"
	"  N = { country = \"NL\"; sector = \"tools\"; capacity = 100.0; };\n"
	"  T = { country = \"TW\"; sector = \"chips\"; capacity = 100.0; suppliers = { tools = { U = 0.5; N = 0.5; }; }; };\n"
	"  T2 = { country = \"TW\"; sector = \"chips\"; capacity = 100.0; suppliers = { tools = { N = 1.0; }; }; };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { TW = 1.0; }; }; };\n"
	"};\n"
	"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; sectors = [\"chips\"];\n"
	"                     foreign_direct_product = true; start = 0; %s }; };\n";

/* §3.2: TW's generic chip producers depend on US technology as TW's chip
 * makers do on average: (0.5 + 0) / 2 = 0.25. */
static void generic_producers_depend_on_a_technology_as_their_countrys_firms_on_average(void **state)
{
	(void)state;
	tu_run f = run_text(generic_fdp_world, "", 0);
	const ts_sim *w = f.sim;
	size_t nc = (size_t)w->nc, chips = (size_t)ts_scenario_sector_index(w->scn, "chips");
	assert_double_equal(w->generic_dependence[((size_t)country(w, "TW") * (size_t)w->ns + chips) * nc +
	                                          (size_t)country(w, "US")], 0.25, 1e-15);
	tu_run_free(&f);
}

/* §3.2: the rule binds a link from generic producers by their dependence:
 * at a threshold of 0.25 the US control cuts all of Z's chips (supply
 * factor 0), at 0.3 none of them (1). */
static void the_foreign_direct_product_rule_binds_generic_producers_by_their_dependence(void **state)
{
	(void)state;
	tu_run bound = run_text(generic_fdp_world, "fdp_threshold = 0.25;", 1);
	tu_run unbound = run_text(generic_fdp_world, "fdp_threshold = 0.3;", 1);
	assert_double_equal(bound.sim->supply_factor[firm(bound.sim, "Z")], 0.0, 0.0);
	assert_double_equal(unbound.sim->supply_factor[firm(unbound.sim, "Z")], 1.0, 0.0);
	tu_run_free(&bound);
	tu_run_free(&unbound);
}

/* Four countries, two sectors; every measure that moves cells starts and
 * ends on its own step: C's tariff on B, A's compliance demand (B1 refuses
 * it: barred instead), A's subsidy (which moves the wedge of B's
 * compliance cost on A's firms, in force throughout: §3.1), D's market ban
 * on A's firms in chips, C's procurement ban on B0. D's five chip makers
 * give chips eight firms, so that segments with one or two exceptions have
 * their lists copied for the sums (ts_market_exceptions()). */
static tu_run cells_world(int rebuild_all)
{
	tu_run r = tu_run_text(
		"run = { steps = 12; start = \"2020Q1\"; seed = 5; };\n"
		"sectors = { chips = { elasticity = 4.0; }; phones = { elasticity = 3.0; }; };\n"
		"countries = {\n"
		"  A = { home_bias = 0.3; markets = { chips = { size = 50.0; government = 0.1; }; phones = { size = 80.0; }; }; };\n"
		"  B = { home_bias = 0.2; markets = { chips = { size = 40.0; infrastructure = 0.3; }; phones = { size = 60.0; }; }; };\n"
		"  C = { markets = { chips = { size = 30.0; government = 0.2; }; phones = { size = 20.0; }; }; };\n"
		"  D = { markets = { chips = { size = 20.0; }; phones = { size = 10.0; }; }; };\n"
		"};\n"
		"firms = {\n"
		"  A0 = { country = \"A\"; sector = \"chips\"; capacity = 60.0; };\n"
		"  A1 = { country = \"A\"; sector = \"phones\"; capacity = 90.0; };\n"
		"  B0 = { country = \"B\"; sector = \"chips\"; capacity = 50.0; };\n"
		"  B1 = { country = \"B\"; sector = \"phones\"; capacity = 70.0; refuses = [\"source_code\"]; };\n"
		"  C0 = { country = \"C\"; sector = \"chips\"; capacity = 40.0; };\n"
		"  C1 = { country = \"C\"; sector = \"phones\"; capacity = 30.0; };\n"
		"  D0 = { country = \"D\"; sector = \"chips\"; capacity = 20.0; };\n"
		"  D1 = { country = \"D\"; sector = \"chips\"; capacity = 20.0; };\n"
		"  D2 = { country = \"D\"; sector = \"chips\"; capacity = 20.0; };\n"
		"  D3 = { country = \"D\"; sector = \"chips\"; capacity = 20.0; };\n"
		"  D4 = { country = \"D\"; sector = \"chips\"; capacity = 20.0; };\n"
		"};\n"
		"measures = {\n"
		"  t = { type = \"tariff\"; actor = \"C\"; target = \"B\"; rate = 0.3; start = 1; end = 6; };\n"
		"  k = { type = \"compliance\"; actor = \"A\"; requirement = \"source_code\"; cost = 0.1; start = 2; end = 8; };\n"
		"  k2 = { type = \"compliance\"; actor = \"B\"; target = \"A\"; requirement = \"certification\"; cost = 0.2; start = 0; };\n"
		"  s = { type = \"subsidy\"; actor = \"A\"; rate = 0.2; start = 3; end = 9; };\n"
		"  b = { type = \"market_ban\"; actor = \"D\"; target = \"A\"; sectors = [\"chips\"]; start = 4; end = 10; };\n"
		"  p = { type = \"procurement_ban\"; actor = \"C\"; target = \"B0\"; segment = \"government\"; start = 5; end = 7; };\n"
		"};\n", 5, 0);
	r.sim->cells_rebuild_all = rebuild_all;
	return r;
}

/* Segment m's exceptions as the sums read them (ts_market_exceptions())
 * are its lists, where at most a quarter of its cells are exceptions. */
static int expect_copied_exceptions(const ts_sim *w, int m)
{
	int k = w->msegs[m].sector, nfs = w->sector_firm_count[k];
	if (4 * w->exc_count[m] > nfs)
		return 0;
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
	ts_exceptions x = ts_market_exceptions(w, m);
	assert_int_equal(x.n, w->exc_count[m]);
	for (int e = 0; e < x.n; e++) {
		assert_int_equal(x.pos[e], w->exc_pos[at + (size_t)e]);
		assert_true(x.weight[e] == w->exc_weight[at + (size_t)e] && x.receipt[e] == w->exc_receipt[at + (size_t)e]);
	}
	return x.n;
}

/* The wedges and cell weights are built again only in the country-sectors
 * whose bans, tariffs, compliance costs or subsidies moved (measures.c):
 * step by step, every cell and every segment's exceptions are the bytes a
 * rebuild of every cell gives, and so are the sales. */
static void cells_built_again_where_masks_moved_are_all_cells_built_again(void **state)
{
	(void)state;
	tu_run part = cells_world(0), all = cells_world(1);
	const ts_sim *a = part.sim, *b = all.sim;
	size_t n = (size_t)a->sales_offset[a->ns - 1] + (size_t)a->sector_firm_count[a->ns - 1] * (size_t)a->sector_mseg_count[a->ns - 1];
	int partial_steps = 0, copied = 0;
	for (int t = 0; t < 12; t++) {
		tu_run_steps(part.sim, 1);
		tu_run_steps(all.sim, 1);
		int changed = 0;
		for (int x = 0; x < a->nc * a->ns; x++)
			changed += a->cells_changed[x];
		partial_steps += a->n_events > 0 && changed > 0 && changed < a->nc * a->ns;
		const double *pa[] = {a->wedge_weight, a->receipt_share, a->tariff_share, a->cell_weight, a->cell_receipt,
		                      a->cell_export, a->omega_by_firm, a->receipt_by_firm};
		const double *pb[] = {b->wedge_weight, b->receipt_share, b->tariff_share, b->cell_weight, b->cell_receipt,
		                      b->cell_export, b->omega_by_firm, b->receipt_by_firm};
		for (size_t v = 0; v < sizeof pa / sizeof *pa; v++)
			if (memcmp(pa[v], pb[v], n * sizeof(double)) != 0)
				fail_msg("step %d: array %zu differs from a rebuild of every cell", t, v);
		for (int m = 0; m < a->nmseg; m++) {  /* the sales, as their readers see them */
			int k = a->msegs[m].sector, nfs = a->sector_firm_count[k];
			size_t at = a->sales_offset[k] + (size_t)(m - a->sector_mseg_first[k]) * (size_t)nfs;
			for (int c = 0; c < nfs; c++)
				if (memcmp(&(double){ts_market_sale(a, m, at, c)}, &(double){ts_market_sale(b, m, at, c)}, sizeof(double)))
					fail_msg("step %d: segment %d's sales differ from a rebuild of every cell", t, m);
		}
		for (int m = 0; m < a->nmseg; m++) {
			assert_int_equal(a->exc_count[m], b->exc_count[m]);
			assert_int_equal(a->mseg_firms_allowed[m], b->mseg_firms_allowed[m]);
			assert_int_equal(a->mseg_tariffed[m], b->mseg_tariffed[m]);
			assert_int_equal(a->ties_settled[m], b->ties_settled[m]);
			copied += expect_copied_exceptions(a, m);
		}
	}
	assert_true(partial_steps >= 8);  /* most starts and ends moved some country-sectors, not all */
	assert_true(copied > 0);
	tu_run_free(&part);
	tu_run_free(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_tariff_shifts_shares_by_the_ces_formula_and_books_its_revenue_to_the_actor),
		cmocka_unit_test(two_tariffs_on_one_flow_add_their_rates),
		cmocka_unit_test(compliance_and_tariff_wedges_take_the_values_computed_by_hand),
		cmocka_unit_test(subsidies_together_pay_at_most_ninety_percent_of_unit_cost),
		cmocka_unit_test(capacity_binds_on_what_a_firm_earns_not_on_what_buyers_pay_with_the_tariff),
		cmocka_unit_test(a_subsidy_lowers_the_price_by_its_rate_and_books_its_cost),
		cmocka_unit_test(compliance_raises_the_foreign_price_by_the_cost_and_excludes_refusers_from_covered_segments),
		cmocka_unit_test(a_compliance_measure_with_a_target_spares_other_foreign_firms),
		cmocka_unit_test(a_licence_share_leaves_exactly_that_share_of_the_controlled_flow),
		cmocka_unit_test(the_foreign_direct_product_rule_binds_suppliers_at_or_above_the_threshold_only),
		cmocka_unit_test(generic_producers_depend_like_their_countrys_firms),
		cmocka_unit_test(tech_denial_false_leaves_imitation_open),
		cmocka_unit_test(imitation_reopens_when_the_control_that_denied_it_ends),
		cmocka_unit_test(capacity_investment_ramps_up_linearly_and_its_budget_is_government_spending),
		cmocka_unit_test(capacity_built_stays_when_the_investment_ends_early),
		cmocka_unit_test(a_disabled_measure_never_starts),
		cmocka_unit_test(a_compliance_cost_on_a_subsidised_firm_adds_the_cost_to_its_subsidised_price),
		cmocka_unit_test(a_measure_listing_two_sectors_covers_both),
		cmocka_unit_test(an_rd_investment_without_sectors_funds_only_its_actors_firms),
		cmocka_unit_test(an_rd_investment_pays_its_budget_only_while_in_force),
		cmocka_unit_test(a_subsidy_keeps_its_rate_while_in_force_and_ends_with_its_measure),
		cmocka_unit_test(two_capacity_investments_add_their_capacity_and_their_budgets),
		cmocka_unit_test(tariff_and_compliance_wedges_hold_while_their_measures_are_in_force_and_end_with_them),
		cmocka_unit_test(generic_producers_depend_on_a_technology_as_their_countrys_firms_on_average),
		cmocka_unit_test(the_foreign_direct_product_rule_binds_generic_producers_by_their_dependence),
		cmocka_unit_test(cells_built_again_where_masks_moved_are_all_cells_built_again),
	};
	return cmocka_run_group_tests_name("measures", tests, NULL, NULL);
}
