/* De-risking (docs/model.md §17): suppliers of a controlling country
 * withhold sales from the controlled country's other firms, and buyers of
 * the controlled country move inputs to home or friendly suppliers, both by
 * shares rising with the tension. */
#include <math.h>
#include <stdio.h>
#include "testutil.h"
#include "model_world.h"

/* The US controls chip exports to Z (CN) from the first step. Q (US) sells
 * chips to Z and to H (CN, not targeted); T (TW) and C (CN) sell chips too.
 * Chips are 30% of a phone maker's unit cost; every firm has room to spare.
 * Tension forgets at once (memory 0), so the control alone sets T_US,CN = 1
 * from the end of step 0. */
static const char *world_text =
	"run = { steps = %d; start = \"2018-01\"; step = \"%s\"; seed = 3; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; tension_memory_per_year = 0.0; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 80.0; }; }; %s };\n"
	"  CN = { bloc = \"%s\"; markets = { phones = { size = 400.0; }; }; };\n"
	"  TW = { bloc = \"%s\"; };\n"
	"};\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; derisk_suppliers = %.17g; };\n"
	"  T = { country = \"TW\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  C = { country = \"CN\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { Q = 0.6; T = 0.4; }; }; };\n"
	"  H = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; derisk_buyers = %.17g; %s\n"
	"        suppliers = { chips = { %s }; }; };\n"
	"};\n"
	"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; sectors = [\"chips\"]; start = 0;\n"
	"              licence_share = %.17g; }; };\n";

typedef struct setup {
	int steps;
	const char *step;          /* "month" or "quarter" */
	const char *tw_bloc;       /* "east": TW is in CN's bloc (friendly) */
	double derisk_suppliers;   /* Q's */
	double derisk_buyers;      /* H's */
	const char *half_life;     /* H's substitution_half_life setting, or "" */
	const char *h_suppliers;
	double licence_share;      /* of the control on Z */
	const char *us_settings;   /* more settings of the US, or NULL */
	const char *cn_bloc;       /* CN's bloc; NULL: "east" */
} setup;

static tu_run start(setup u)
{
	char text[4096];
	snprintf(text, sizeof text, world_text, u.steps, u.step, u.us_settings ? u.us_settings : "",
	         u.cn_bloc ? u.cn_bloc : "east", u.tw_bloc, u.derisk_suppliers, u.derisk_buyers,
	         u.half_life, u.h_suppliers, u.licence_share);
	return tu_run_text(text, 3, 0);
}

static void step(ts_sim *w)
{
	tu_run_steps(w, 1);
}

/* Holds the tension of US and CN at T (both cells), as if the last step had
 * ended with it: T = ln 2 gives the risk 1 - exp(-T) = 1/2. */
static void hold_tension(ts_sim *w, double tension)
{
	int us = tu_country(w, "US"), cn = tu_country(w, "CN");
	w->tension[us * w->nc + cn] = w->tension[cn * w->nc + us] = tension;
}

/* The world of u after step 0 and then step 1 run at a risk of 1/2 (the
 * tension held at ln 2 between them). */
static tu_run at_half_risk(setup u)
{
	tu_run r = start(u);
	step(r.sim);
	hold_tension(r.sim, log(2.0));
	step(r.sim);
	return r;
}

/* H's chip purchases this step: its real output over the markup times the
 * cost share (§6; no stockpile, so no restocking). */
static double h_chip_use(const ts_sim *w)
{
	int h = tu_firm(w, "H");
	double cogs = (w->final_sales[h] / w->price_factor[h] + w->input_sales[h]) / w->markup[w->scn->firms[h].sector];
	return 0.3 * cogs;
}

static const setup supplier_world = { 4, "quarter", "", 0.5, 0.0, "", "Q = 0.5; C = 0.5;", 0.0, NULL, NULL };

static void a_supplier_of_the_controlling_country_withholds_its_share_times_the_risk_from_untargeted_firms(void **state)
{
	(void)state;
	tu_run r = start(supplier_world);
	ts_sim *w = r.sim;
	int q = tu_firm(w, "Q"), h = tu_firm(w, "H");
	step(w);  /* step 0: T = 0 at its start */
	step(w);  /* step 1: T = 1 from the control of step 0 */
	/* Withheld share d (1 - exp(-T)) = 0.5 x 0.6321206 = 0.3160603 of the
	 * link Q -> H (share 0.5); Z's link is cut by the control already. */
	double share = 0.5 * (1.0 - exp(-1.0));
	assert_double_equal(share, 0.3160603, 1e-7);
	double use = h_chip_use(w);
	assert_double_equal(w->derisk_lost[q], use * 0.5 * share, 1e-12 * use);
	assert_double_equal(w->input_sales[q], use * 0.5 * (1.0 - share), 1e-12 * use);
	/* relations.csv: what the US's suppliers withhold from CN's firms. */
	int us = tu_country(w, "US"), cn = tu_country(w, "CN");
	assert_double_equal(w->pair_withheld[us * w->nc + cn], use * 0.5 * share, 1e-12 * use);
	assert_true(w->pair_withheld[cn * w->nc + us] == 0.0);
	/* H lacks the withheld part (no half-life: it never re-sources): 1 - 0.5 x 0.3160603. */
	assert_double_equal(w->supply_factor[h], 0.8419699, 1e-7);
	tu_run_free(&r);
}

/* The buyer treats the withheld share as a cut (§4): with a half-life of 0
 * it re-sources all of it from home producers at once and lacks nothing. */
static void the_buyer_re_sources_a_withheld_share_from_home_producers(void **state)
{
	(void)state;
	setup u = supplier_world;
	u.half_life = "substitution_half_life = 0.0;";
	tu_run r = start(u);
	ts_sim *w = r.sim;
	tu_run_steps(w, 2);
	/* C sells its own 0.5 plus the withheld 0.5 x 0.3160603. */
	double use = h_chip_use(w), share = 0.5 * (1.0 - exp(-1.0));
	assert_true(w->supply_factor[tu_firm(w, "H")] == 1.0);
	assert_double_equal(w->input_sales[tu_firm(w, "C")], use * (0.5 + 0.5 * share), 1e-12 * use);
	tu_run_free(&r);
}

static void supplier_derisking_does_nothing_at_zero_tension(void **state)
{
	(void)state;
	tu_run r = start(supplier_world);
	ts_sim *w = r.sim;
	step(w);  /* the control is in force, the tension still 0 */
	assert_true(w->derisk_lost[tu_firm(w, "Q")] == 0.0);
	assert_true(w->supply_factor[tu_firm(w, "H")] == 1.0);
	tu_run_free(&r);
}

static void supplier_derisking_does_nothing_when_its_setting_is_zero(void **state)
{
	(void)state;
	setup u = supplier_world;
	u.derisk_suppliers = 0.0;
	tu_run r = start(u);
	ts_sim *w = r.sim;
	for (int t = 0; t < 4; t++) {
		step(w);
		assert_true(w->derisk_lost[tu_firm(w, "Q")] == 0.0);
		assert_true(w->supply_factor[tu_firm(w, "H")] == 1.0);
	}
	tu_run_free(&r);
}

/* The targeted firm's link is cut by the control already: de-risking
 * withholds only what goes beyond it, and a link the control cuts whole
 * loses nothing more. */
static void supplier_derisking_withholds_only_what_the_control_leaves_on_a_targeted_link(void **state)
{
	(void)state;
	setup u = supplier_world;
	u.h_suppliers = "C = 1.0;";  /* Q sells only to Z */
	u.licence_share = 0.8;       /* the control cuts 0.2 of the link */
	tu_run r = start(u);
	ts_sim *w = r.sim;
	int q = tu_firm(w, "Q"), z = tu_firm(w, "Z");
	tu_run_steps(w, 2);
	/* Z's link (share 0.6) is cut max(0.2, 0.3160603): de-risking withholds
	 * 0.6 x (0.3160603 - 0.2) of Z's chips, Z lacks 0.6 x 0.3160603. */
	double zcogs = (w->final_sales[z] / w->price_factor[z] + w->input_sales[z]) / w->markup[w->scn->firms[z].sector];
	double use = 0.3 * zcogs, cut = 0.5 * (1.0 - exp(-1.0));
	assert_double_equal(w->derisk_lost[q], use * 0.6 * (cut - 0.2), 1e-12 * use);
	assert_double_equal(w->supply_factor[z], 1.0 - 0.6 * cut, 1e-12);
	tu_run_free(&r);
	u.licence_share = 0.0;       /* cut whole */
	r = start(u);
	tu_run_steps(r.sim, 2);
	assert_true(r.sim->derisk_lost[q] == 0.0);
	assert_double_equal(r.sim->supply_factor[z], 0.4, 1e-12);
	tu_run_free(&r);
}

/* H buys 50% of its chips from Q (US), 30% from C (home), 20% from T (TW,
 * outside CN's bloc unless said). */
static const setup buyer_world = { 4, "quarter", "", 0.0, 0.5, "substitution_half_life = 0.0;",
                                   "Q = 0.5; C = 0.3; T = 0.2;", 0.0, NULL, NULL };

static void a_buyer_under_controls_moves_its_share_times_the_risk_to_home_suppliers(void **state)
{
	(void)state;
	tu_run r = at_half_risk(buyer_world);
	ts_sim *w = r.sim;
	int q = tu_firm(w, "Q"), c = tu_firm(w, "C"), h = tu_firm(w, "H");
	/* Shifted: derisk_buyers x s_Q x (1 - exp(-ln 2)) = 0.5 x 0.5 x 0.5 =
	 * 0.125 of H's chips, at once (half-life 0), all to C (the only home or
	 * friendly supplier): Q 0.375, C 0.425, T (outside the bloc) keeps 0.2. */
	double use = h_chip_use(w);
	assert_double_equal(w->input_shift[h], 0.125, 1e-12);
	assert_double_equal(w->input_sales[q], 0.375 * use, 1e-12 * use);
	assert_double_equal(w->input_sales[c], 0.425 * use, 1e-12 * use);
	/* relations.csv: what CN's firms moved away from the US's suppliers. */
	int us = tu_country(w, "US"), cn = tu_country(w, "CN");
	assert_double_equal(w->pair_shifted[cn * w->nc + us], 0.125 * use, 1e-12 * use);
	assert_true(w->pair_shifted[us * w->nc + cn] == 0.0);
	tu_run_free(&r);
}

static void buyer_derisking_raises_the_controlled_countrys_self_sufficiency(void **state)
{
	(void)state;
	setup off = buyer_world;
	off.derisk_buyers = 0.0;
	tu_run a = start(off), b = start(buyer_world);
	int cn = tu_country(a.sim, "CN");
	for (int t = 0; t < 3; t++) {
		step(a.sim);
		step(b.sim);
	}
	double before = a.sim->inputs_domestic[cn] / a.sim->inputs_total[cn];
	double after = b.sim->inputs_domestic[cn] / b.sim->inputs_total[cn];
	assert_true(after > before + 0.05);
	tu_run_free(&a);
	tu_run_free(&b);
}

static void buyer_derisking_sends_the_shift_to_friendly_suppliers_by_their_shares(void **state)
{
	(void)state;
	setup u = buyer_world;
	u.tw_bloc = "east";
	tu_run r = at_half_risk(u);
	ts_sim *w = r.sim;
	int q = tu_firm(w, "Q"), c = tu_firm(w, "C");
	/* 0.125 split C : T = 0.3 : 0.2: C 0.3 + 0.075 = 0.375; T's sales also
	 * hold Z's 0.4, so read C and Q. */
	double use = h_chip_use(w);
	assert_double_equal(w->input_sales[q], 0.375 * use, 1e-12 * use);
	assert_double_equal(w->input_sales[c], 0.375 * use, 1e-12 * use);
	tu_run_free(&r);
}

/* Two countries without a bloc ("") are not in one: the shift goes to C,
 * as in buyer_world, none to T. */
static void countries_without_a_bloc_are_not_friends(void **state)
{
	(void)state;
	setup u = buyer_world;
	u.cn_bloc = "";
	tu_run r = at_half_risk(u);
	ts_sim *w = r.sim;
	int c = tu_firm(w, "C");
	double use = h_chip_use(w);
	assert_double_equal(w->input_sales[c], 0.425 * use, 1e-12 * use);
	tu_run_free(&r);
}

static void without_home_or_friendly_suppliers_the_shift_goes_to_home_producers(void **state)
{
	(void)state;
	setup u = buyer_world;
	u.h_suppliers = "Q = 0.5; T = 0.5;";
	tu_run r = at_half_risk(u);
	ts_sim *w = r.sim;
	int c = tu_firm(w, "C"), cn = tu_country(w, "CN");
	/* 0.125 of H's chips from CN's producers: C, its only chip maker. */
	double use = h_chip_use(w);
	assert_double_equal(w->input_sales[c], 0.125 * use, 1e-12 * use);
	assert_double_equal(w->inputs_domestic[cn], 0.125 * use, 1e-12 * use);
	tu_run_free(&r);
}

static void buyer_derisking_does_nothing_at_zero_tension(void **state)
{
	(void)state;
	tu_run r = start(buyer_world);
	ts_sim *w = r.sim;
	step(w);
	assert_true(w->input_shift[tu_firm(w, "H")] == 0.0);
	assert_true(w->input_sales[tu_firm(w, "C")] == 0.3 * h_chip_use(w));
	tu_run_free(&r);
}

/* With a half-life of one year the shift closes the gap to its target b as
 * dx/dt = kappa (b - x): a quarter from 0 uses on average b (1 - (1 - 2^(-1/4))
 * / (ln 2 / 4)) = b (1 - 0.9181518) = 0.0818482 b. */
static void the_shift_moves_over_the_substitution_half_life(void **state)
{
	(void)state;
	setup u = buyer_world;
	u.half_life = "substitution_half_life = 1.0;";
	tu_run r = at_half_risk(u);
	ts_sim *w = r.sim;
	int h = tu_firm(w, "H");
	double mean_keep = (1.0 - pow(2.0, -0.25)) / (log(2.0) / 4.0);
	assert_double_equal(mean_keep, 0.9181518, 1e-7);  /* 0.1591036 / 0.1732868 */
	assert_double_equal(w->input_shift[h], 0.125 * (1.0 - mean_keep), 1e-12);
	tu_run_free(&r);
}

/* A share that no longer flows cannot stay shifted: when the tension falls
 * to 0 the target is 0 and the buyer is back with its suppliers at once. */
static void the_shift_ends_at_once_when_its_target_falls_to_zero(void **state)
{
	(void)state;
	setup u = buyer_world;
	u.half_life = "substitution_half_life = 1.0;";
	tu_run r = start(u);
	ts_sim *w = r.sim;
	int h = tu_firm(w, "H"), q = tu_firm(w, "Q");
	for (int t = 0; t < 3; t++) {
		hold_tension(w, log(2.0));
		step(w);
	}
	assert_true(w->input_shift[h] > 0.01);
	hold_tension(w, 0.0);
	step(w);
	assert_true(w->input_shift[h] == 0.0);
	assert_double_equal(w->input_sales[q], 0.5 * h_chip_use(w), 1e-12 * h_chip_use(w));
	tu_run_free(&r);
}

/* A year at constant tension: each quarter's shifted share is the mean of
 * its three months', and the sales withheld add up to the quarter's. */
static void derisking_is_the_same_at_monthly_and_quarterly_steps(void **state)
{
	(void)state;
	setup u = buyer_world;
	u.derisk_suppliers = 0.4;
	u.half_life = "substitution_half_life = 0.5;";
	setup m = u;
	m.steps = 12;
	m.step = "month";
	tu_run quarterly = start(u), monthly = start(m);
	int h = tu_firm(quarterly.sim, "H"), q = tu_firm(quarterly.sim, "Q");
	for (int k = 0; k < 4; k++) {
		double shift = 0.0, withheld = 0.0;
		for (int month = 0; month < 3; month++) {
			hold_tension(monthly.sim, 0.7);
			step(monthly.sim);
			shift += monthly.sim->input_shift[h] / 3.0;
			withheld += monthly.sim->derisk_lost[q];
		}
		hold_tension(quarterly.sim, 0.7);
		step(quarterly.sim);
		assert_true(quarterly.sim->input_shift[h] > 0.0);
		assert_double_equal(quarterly.sim->input_shift[h], shift, 1e-12);
		assert_double_equal(quarterly.sim->derisk_lost[q], withheld, 1e-9 * withheld);
	}
	tu_run_free(&quarterly);
	tu_run_free(&monthly);
}

/* A country's derisk_suppliers is its generic producers' and the default
 * of its firms: H buys half its chips from the US's generic producers. */
static void a_countrys_generic_producers_derisk_by_its_setting(void **state)
{
	(void)state;
	setup u = supplier_world;
	u.derisk_suppliers = 0.0;
	u.us_settings = "derisk_suppliers = 0.5;";
	u.h_suppliers = "US = 0.5; C = 0.5;";
	tu_run r = start(u);
	ts_sim *w = r.sim;
	tu_run_steps(w, 2);
	/* 1 - 0.5 x 0.5 x (1 - exp(-1)), as for firm Q above; the generic
	 * producers' withheld sales show in relations.csv only. */
	assert_double_equal(w->supply_factor[tu_firm(w, "H")], 0.8419699, 1e-7);
	double use = h_chip_use(w);
	int us = tu_country(w, "US"), cn = tu_country(w, "CN");
	assert_double_equal(w->pair_withheld[us * w->nc + cn], use * 0.5 * 0.5 * (1.0 - exp(-1.0)), 1e-12 * use);
	tu_run_free(&r);
}

static void a_firm_takes_its_countrys_derisking_unless_it_sets_its_own(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(
		"run = { steps = 1; start = \"2018Q1\"; };\n"
		"countries = { US = { derisk_suppliers = 0.3; derisk_buyers = 0.2; }; };\n"
		"sectors = { chips = { }; };\n"
		"firms = { A = { country = \"US\"; sector = \"chips\"; capacity = 1.0; };\n"
		"          B = { country = \"US\"; sector = \"chips\"; capacity = 1.0; derisk_suppliers = 0.0;\n"
		"                derisk_buyers = 0.7; }; };\n");
	assert_true(s->countries[0].derisk_suppliers == 0.3 && s->countries[0].derisk_buyers == 0.2);
	assert_true(s->firms[0].derisk_suppliers == 0.3 && s->firms[0].derisk_buyers == 0.2);
	assert_true(s->firms[1].derisk_suppliers == 0.0 && s->firms[1].derisk_buyers == 0.7);
	ts_scenario_free(s);
}

static void derisking_settings_outside_zero_to_one_are_refused_with_file_line_and_setting(void **state)
{
	(void)state;
	tu_expect_load_error(
		"run = { steps = 1; start = \"2018Q1\"; };\n"
		"countries = { US = { derisk_suppliers = 1.5;\n"
		"                     derisk_buyers = -0.1; }; };\n"
		"sectors = { chips = { }; };\n"
		"firms = { A = { country = \"US\"; sector = \"chips\"; capacity = 1.0; derisk_suppliers = -1.0;\n"
		"                derisk_buyers = 2.0; }; };\n",
		"test.cfg:2: countries.US.derisk_suppliers:", "test.cfg:3: countries.US.derisk_buyers:",
		"test.cfg:5: firms.A.derisk_suppliers:", "test.cfg:6: firms.A.derisk_buyers:", "[0, 1]", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_supplier_of_the_controlling_country_withholds_its_share_times_the_risk_from_untargeted_firms),
		cmocka_unit_test(the_buyer_re_sources_a_withheld_share_from_home_producers),
		cmocka_unit_test(supplier_derisking_does_nothing_at_zero_tension),
		cmocka_unit_test(supplier_derisking_does_nothing_when_its_setting_is_zero),
		cmocka_unit_test(supplier_derisking_withholds_only_what_the_control_leaves_on_a_targeted_link),
		cmocka_unit_test(a_buyer_under_controls_moves_its_share_times_the_risk_to_home_suppliers),
		cmocka_unit_test(buyer_derisking_raises_the_controlled_countrys_self_sufficiency),
		cmocka_unit_test(buyer_derisking_sends_the_shift_to_friendly_suppliers_by_their_shares),
		cmocka_unit_test(countries_without_a_bloc_are_not_friends),
		cmocka_unit_test(without_home_or_friendly_suppliers_the_shift_goes_to_home_producers),
		cmocka_unit_test(buyer_derisking_does_nothing_at_zero_tension),
		cmocka_unit_test(the_shift_moves_over_the_substitution_half_life),
		cmocka_unit_test(the_shift_ends_at_once_when_its_target_falls_to_zero),
		cmocka_unit_test(derisking_is_the_same_at_monthly_and_quarterly_steps),
		cmocka_unit_test(a_countrys_generic_producers_derisk_by_its_setting),
		cmocka_unit_test(a_firm_takes_its_countrys_derisking_unless_it_sets_its_own),
		cmocka_unit_test(derisking_settings_outside_zero_to_one_are_refused_with_file_line_and_setting),
	};
	return cmocka_run_group_tests_name("derisking", tests, NULL, NULL);
}
