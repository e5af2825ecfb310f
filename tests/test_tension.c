/* Damage and tension (sim/model/tension.c; docs/model.md §10, §11, §13):
 * damage per pair, conflict losses and the tension index. */
#include "model_world.h"
#include "policy_world.h"

static void the_tension_index_follows_its_recursion(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", "",
		"  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; end = 6; };\n"
		"  us_gov = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\"; start = 3; };\n"
		"  cn_q = { type = \"market_ban\"; actor = \"CN\"; target = \"Q\"; start = 4; end = 10; };\n"
		"  jp_rd = { type = \"rd_investment\"; actor = \"JP\"; budget = 1.0; start = 1; };\n",
		"model = { tension_memory_per_year = 0.1296; };\n"));
	ts_sim *w = sim_new(s, 7);
	int us = country(w, "US"), cn = country(w, "CN"), jp = country(w, "JP");
	double expected = 0.0;
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		int n = (t >= 2 && t < 6) + (t >= 3) + (t >= 4 && t < 10);
		expected = 0.6 * expected + 0.4 * n;
		assert_double_equal(w->tension[us * w->nc + cn], expected, 1e-12);
		assert_double_equal(w->tension[cn * w->nc + us], expected, 1e-12);
		assert_double_equal(w->tension[us * w->nc + jp], 0.0, 0.0);  /* R&D aims at no one */
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}


/* Each ban takes the banned firm's 50 a quarter (policy_world.h): the
 * damage each side receives is 50 a step, 50 (t + 1) since step 0. */
static void a_ban_damages_the_target_by_its_sales_before_the_ban(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, MIRROR_BANS, "");
	int a = country(w, "A"), b = country(w, "B");
	for (int t = 0; t < 4; t++) {
		step(w);
		assert_double_equal(w->damage[b * w->nc + a], 50.0, 1e-12);
		assert_double_equal(w->damage[a * w->nc + b], 50.0, 1e-12);
		assert_double_equal(w->damage_cum[b * w->nc + a], 50.0 * (t + 1), 1e-12);
		assert_double_equal(ts_tension_conflict_loss(w, b, a), 50.0 * (t + 1), 1e-12);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* A 25% tariff on B's firm: in A, XB's weight is 1.25^-3 = 0.512 of XA's,
 * so buyers spend 100 x 0.512 / 1.512 = 33.8624339 on it, of which
 * 0.25 / 1.25 = 1/5, 6.77248677, is duty: B's damage from A. */
static void tariffs_paid_are_damage_to_the_exporters_country(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, "duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };", "");
	step(w);
	int a = country(w, "A"), b = country(w, "B");
	assert_double_equal(w->damage[b * w->nc + a], 100.0 * 0.512 / 1.512 / 5.0, 1e-12);
	assert_double_equal(w->damage[b * w->nc + a], 6.77248677, 1e-8);
	assert_double_equal(w->damage[a * w->nc + b], 0.0, 0.0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* T(t) = 0.8 T(t-1) + 0.2 (n_AB + n_BA), two bans in force from step 0:
 *   T(0) = 0.2 x 2 = 0.4, T(1) = 0.32 + 0.4 = 0.72, T(2) = 0.576 + 0.4
 *   = 0.976, T(3) = 0.7808 + 0.4 = 1.1808. */
static void the_tension_index_takes_the_values_computed_by_hand(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, MIRROR_BANS, "");
	const double expected[] = {0.4, 0.72, 0.976, 1.1808};
	int a = country(w, "A"), b = country(w, "B");
	for (int t = 0; t < 4; t++) {
		step(w);
		assert_int_equal(w->hostile_count[a * w->nc + b], 1);
		assert_double_equal(w->tension[a * w->nc + b], expected[t], 1e-12);
		assert_double_equal(w->tension[b * w->nc + a], expected[t], 1e-12);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10: a ban takes the barred firm's sales in every segment it covers: A
 * buys 25 a quarter for its government and 75 privately, XA and XB share
 * each half and half, so A's ban on XB costs B 12.5 + 37.5 = 50 a step. */
static void a_ban_damages_the_target_by_its_sales_in_every_segment_it_covers(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; government = 0.25; }; }; };\n"
		"              B = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
		"          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
		"measures = { a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"XB\"; start = 0; }; };\n");
	ts_sim *w = sim_new(s, 1);
	step(w);
	assert_double_equal(w->damage[country(w, "B") * w->nc + country(w, "A")], 50.0, 1e-12);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10: a ban costs the barred firm its share at its last step allowed: A
 * taxes XB 25% from step 0 and bars it from step 2. Under the tariff XB's
 * buyers spend 100 x 0.512 / 1.512 = 33.8624339 a quarter on it (see
 * tariffs_paid_are_damage_to_the_exporters_country), so the ban costs B
 * that much, not the 50 of the open market. */
static void a_ban_damages_the_target_by_its_share_at_its_last_step_allowed(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0,
		"duty = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.25; start = 0; };\n"
		"a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"XB\"; start = 2; };\n", "");
	for (int t = 0; t < 3; t++)
		step(w);
	assert_double_equal(w->damage[country(w, "B") * w->nc + country(w, "A")], 33.8624339, 1e-7);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10: the share at the last step allowed is that step's, not an earlier
 * one's, after steps whose shares a market without bans or tariffs set (the
 * step keeps such a segment's shares as its sales, ts_tension_keep_shares):
 * A subsidises XA by 30% from step 1, which takes share from XB at home and
 * abroad, and bars XB from step 2. B's damage at step 2 is XB's share of
 * step 1, not the half of step 0, times step 2's demand; a rule's bite of a
 * ban on XB at step 2 reads the same share. */
static void a_ban_after_steps_without_measures_on_the_segment_takes_the_share_of_the_step_before(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0,
		"aid = { type = \"subsidy\"; actor = \"A\"; sectors = [\"phones\"]; rate = 0.3; start = 1; };\n"
		"a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"XB\"; start = 2; };\n", "");
	int m = tu_segment(w, "A", NULL, TS_SEG_PRIVATE);
	size_t x = tu_cell(w, m, "XB");
	step(w);
	step(w);
	double share = tu_sale(w, m, "XB") / w->demand[m];
	assert_true(share < 0.45);  /* the subsidy moved it from 0.5 */
	assert_double_equal(ts_tension_ref_share(w, m, x), share, 1e-15);
	step(w);
	assert_double_equal(w->damage[country(w, "B") * w->nc + country(w, "A")], share * w->demand[m], 1e-12);
	assert_double_equal(ts_tension_ref_share(w, m, x), share, 1e-15);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* CN's phone makers Z and Z2 buy all their chips from TW's T, which buys
 * its tools half from the US (U) and half from JP (J): it depends 0.5 on
 * each. The US and JP both control chip exports to CN under the
 * foreign-direct-product rule from step `start`, each binding T's links to
 * Z and Z2: the phone makers lose all their chips. CN spends 400 a year,
 * 100 a quarter, growing by `growth` a year. */
static ts_sim *co_controlled_at(ts_scenario **out, int start, double growth, double phone_capacity)
{
	char text[4096];
	snprintf(text, sizeof text,
		"run = { steps = 4; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { US = { }; JP = { }; TW = { }; CN = { markets = { phones = { size = 400.0; growth = %.17g; }; }; }; };\n"
		"sectors = { tools = { }; chips = { inputs = { tools = 0.2; }; }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = {\n"
		"  U = { country = \"US\"; sector = \"tools\"; capacity = 1000.0; };\n"
		"  J = { country = \"JP\"; sector = \"tools\"; capacity = 1000.0; };\n"
		"  T = { country = \"TW\"; sector = \"chips\"; capacity = 1000.0; suppliers = { tools = { U = 0.5; J = 0.5; }; }; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = %.17g; suppliers = { chips = { T = 1.0; }; }; };\n"
		"  Z2 = { country = \"CN\"; sector = \"phones\"; capacity = %.17g; suppliers = { chips = { T = 1.0; }; }; };\n"
		"};\n"
		"measures = {\n"
		"  us = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; sectors = [\"chips\"];\n"
		"         foreign_direct_product = true; fdp_threshold = 0.5; start = %d; };\n"
		"  jp = { type = \"export_control\"; actor = \"JP\"; target = \"CN\"; sectors = [\"chips\"];\n"
		"         foreign_direct_product = true; fdp_threshold = 0.5; start = %d; };\n"
		"};\n", growth, phone_capacity, phone_capacity, start, start);
	*out = tu_load(text);
	return sim_new(*out, 1);
}

static ts_sim *co_controlled(ts_scenario **out, int start, double growth)
{
	return co_controlled_at(out, start, growth, 1000.0);
}

/* §10: Z and Z2 each earned 50 a quarter with every input and now make
 * nothing: CN loses 100 a step to the controls. TW, whose links are cut,
 * controls nothing, so the loss is shared between the two controlling
 * countries: 50 from each. */
static void a_foreign_direct_product_control_damages_the_target_by_its_lost_revenue_shared_among_the_controllers(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = co_controlled(&s, 0, 0.0);
	step(w);
	int cn = country(w, "CN");
	assert_double_equal(w->supply_factor[ts_scenario_firm_index(s, "Z")], 0.0, 0.0);
	assert_double_equal(w->damage[cn * w->nc + country(w, "US")], 50.0, 1e-12);
	assert_double_equal(w->damage[cn * w->nc + country(w, "JP")], 50.0, 1e-12);
	assert_double_equal(w->damage[cn * w->nc + country(w, "TW")], 0.0, 0.0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10: the revenue lost is the firm's at its last step with every input:
 * with CN's market growing 20% a year, Z and Z2 earn 50 x 1.2^(1/4)
 * = 52.3317570 each in step 1, the last before the controls of step 2, so
 * the US's half of CN's loss is 52.3317570, not the 50 of step 0. */
static void control_damage_is_the_revenue_of_the_last_step_with_every_input(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = co_controlled(&s, 2, 0.2);
	for (int t = 0; t < 3; t++)
		step(w);
	assert_double_equal(w->damage[country(w, "CN") * w->nc + country(w, "US")], 52.3317570, 1e-7);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §11: the sales T cannot make to Z and Z2 count in TW's conflict loss with
 * CN: each phone maker bought chips for 50 / (4/3) x 0.3 = 11.25 a quarter
 * at its last step with every input, so TW loses 22.5 a step. */
static void suppliers_cut_off_count_their_lost_sales_in_their_countrys_conflict_loss(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = co_controlled(&s, 0, 0.0);
	int tw = country(w, "TW"), cn = country(w, "CN");
	for (int t = 0; t < 3; t++) {
		step(w);
		assert_double_equal(w->export_loss_cum[tw * w->nc + cn], 22.5 * (t + 1), 1e-12);
		assert_double_equal(ts_tension_conflict_loss(w, tw, cn), 22.5 * (t + 1), 1e-12);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §11, §6: with capacity 200 a year, 50 a quarter, Z and Z2 sell at a
 * scarcity premium before the controls of step 1: each earns 50 at phi =
 * 1 + 0.01 z^2 with 50 / phi = 50 u(z), u = (0.8 + z) / (1 + z), z =
 * 2.472247414, phi = 1.061120073; it buys chips for its real output,
 * 50 / phi / (4/3) x 0.3 = 10.6020047, so TW loses 21.2040094 a step, not
 * the 22.5 its revenue would say. */
static void a_supplier_loses_what_its_buyer_bought_for_its_real_output(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = co_controlled_at(&s, 1, 0.0, 200.0);
	int tw = country(w, "TW"), cn = country(w, "CN");
	step(w);
	assert_double_equal(w->price_factor[ts_scenario_firm_index(s, "Z")], 1.061120073, 1e-9);
	assert_double_equal(w->export_loss_cum[tw * w->nc + cn], 0.0, 0.0);
	step(w);
	assert_double_equal(w->export_loss_cum[tw * w->nc + cn], 21.2040094, 1e-7);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Damage CN receives from the US in step 0 when the US cuts its 60% of
 * Z's chips, with tech_denial `denial`. */
static double direct_control_damage(const char *denial)
{
	char text[2048];
	snprintf(text, sizeof text,
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		"countries = { US = { }; TW = { }; CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"          T = { country = \"TW\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"          Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { Q = 0.6; T = 0.4; }; }; }; };\n"
		"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; tech_denial = %s; start = 0; }; };\n",
		denial);
	ts_scenario *s = tu_load(text);
	ts_sim *w = sim_new(s, 1);
	step(w);
	double damage = w->damage[country(w, "CN") * w->nc + country(w, "US")];
	ts_sim_free(w);
	ts_scenario_free(s);
	return damage;
}

/* §10: Z, CN's only phone maker, earned 100 a quarter with every input;
 * without the US's 60% of its chips it makes 40% of that: CN loses 60, all
 * charged to the US, whose link it was, whether or not the control also
 * denies Z the US's technology. */
static void a_direct_control_damages_the_target_by_its_lost_revenue_with_or_without_tech_denial(void **state)
{
	(void)state;
	assert_double_equal(direct_control_damage("true"), 60.0, 1e-12);
	assert_double_equal(direct_control_damage("false"), 60.0, 1e-12);
}

/* §10: a measure's cause is the rival's latest measure in force at the end
 * of the last step. The US bars ZTE from step 0 on (us_early) and also over
 * step 2 alone (us_late); China escalates by one measure a step. Its
 * fourth, started at step 4, answers what was in force at the end of step
 * 3: us_early, us_late having ended. */
static void an_answer_cites_the_rivals_latest_measure_still_in_force(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("",
		"rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_infra\", \"cn_priv\", \"cn_q\"]; } );",
		"  us_early = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 0; };\n"
		"  us_late = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; end = 3; };\n"
		CN_GOV CN_INFRA CN_PRIV CN_Q, ""));
	ts_sim *w = sim_new(s, 7);
	const char *cause[] = {NULL, "us_early", "us_early", "us_late", "us_early"};
	const char *answer[] = {NULL, "cn_gov", "cn_infra", "cn_priv", "cn_q"};
	for (int t = 0; t < 5; t++) {
		step(w);
		if (t == 0)
			continue;
		const ts_event *e = event_of(w, made(w, answer[t], "CN"));
		assert_non_null(e);
		assert_string_equal(e->cause, cause[t]);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10: a compliance demand without a target bears on every foreign firm:
 * it is hostile toward every other country, and toward none else. */
static void a_compliance_demand_without_target_is_hostile_toward_every_other_country(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", "",
		"  audit = { type = \"compliance\"; actor = \"US\"; requirement = \"certification\"; cost = 0.1; start = 0; };\n", ""));
	ts_sim *w = sim_new(s, 7);
	step(w);
	int us = country(w, "US"), cn = country(w, "CN"), jp = country(w, "JP"), nc = w->nc;
	assert_int_equal(w->hostile_count[us * nc + cn], 1);
	assert_int_equal(w->hostile_count[us * nc + jp], 1);
	assert_int_equal(w->hostile_count[us * nc + us], 0);
	assert_int_equal(w->hostile_count[cn * nc + us], 0);
	assert_int_equal(w->hostile_count[jp * nc + us], 0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §13: each pair has its own index. China bars JP's Sony from step 0 and
 * nothing else is hostile: T(CN, JP) = 0.2, 0.36, 0.488, 0.5904 (lambda
 * 0.8, one measure: 0.8 T + 0.2), in both orders; the US's pairs stay 0. */
static void each_pair_of_countries_has_its_own_tension_index(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", "",
		"  cn_sony = { type = \"market_ban\"; actor = \"CN\"; target = \"Sony\"; start = 0; };\n", ""));
	ts_sim *w = sim_new(s, 7);
	int us = country(w, "US"), cn = country(w, "CN"), jp = country(w, "JP"), nc = w->nc;
	const double expected[] = {0.2, 0.36, 0.488, 0.5904};
	for (int t = 0; t < 4; t++) {
		step(w);
		assert_double_equal(w->tension[cn * nc + jp], expected[t], 1e-12);
		assert_double_equal(w->tension[jp * nc + cn], expected[t], 1e-12);
		assert_double_equal(w->tension[us * nc + jp], 0.0, 0.0);
		assert_double_equal(w->tension[us * nc + cn], 0.0, 0.0);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §13, "Time": the tension memory is the weight kept after a year. With
 * 0.1296 and one hostile measure from the first step, a year on T = 1 -
 * 0.1296 = 0.8704 in a quarterly run (4 steps of 0.6) and in a monthly one
 * (12 steps of 0.1296^(1/12) = 0.8434327); after a quarter 1 - 0.6 = 0.4. */
static void the_tension_memory_is_the_weight_kept_after_a_year_whatever_the_step(void **state)
{
	(void)state;
	const char *text = world("", "", "  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = \"2018Q1\"; };\n",
				 "model = { tension_memory_per_year = 0.1296; };\n");
	ts_scenario *q = tu_load(text), *m = tu_load(monthly(text));
	ts_sim *wq = sim_new(q, 7), *wm = sim_new(m, 7);
	int us = country(wq, "US"), cn = country(wq, "CN"), nc = wq->nc;
	for (int t = 0; t < 12; t++) {
		step(wm);
		if (t % 3 == 2) {
			step(wq);
			assert_double_equal(wm->tension[us * nc + cn], wq->tension[us * nc + cn], 1e-12);
		}
		if (t == 2)
			assert_double_equal(wm->tension[us * nc + cn], 0.4, 1e-12);
	}
	assert_double_equal(wq->tension[us * nc + cn], 0.8704, 1e-12);
	ts_sim_free(wq);
	ts_sim_free(wm);
	ts_scenario_free(q);
	ts_scenario_free(m);
}

/* §10, §13: a measure that can do no harm is not hostile: a 0% tariff, an
 * export control whose licences cover every flow, a compliance demand of
 * cost 0 that every firm meets (XB refuses nothing). In force from step 0,
 * they count for nothing and the tension stays 0; the same measures with a
 * bite count three hostile measures: T = 0.2 x 3 after step 0 (the weight
 * kept over a quarter is 0.8). */
static void measures_that_can_do_no_harm_are_not_hostile_and_raise_no_tension(void **state)
{
	(void)state;
	const char *harmless =
		"t0 = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.0; start = 0; };\n"
		"c1 = { type = \"export_control\"; actor = \"A\"; target = \"B\"; licence_share = 1.0; start = 0; };\n"
		"k0 = { type = \"compliance\"; actor = \"A\"; target = \"B\"; requirement = \"certification\"; cost = 0.0; start = 0; };\n";
	const char *harmful =
		"t0 = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.1; start = 0; };\n"
		"c1 = { type = \"export_control\"; actor = \"A\"; target = \"B\"; licence_share = 0.9; start = 0; };\n"
		"k0 = { type = \"compliance\"; actor = \"A\"; target = \"B\"; requirement = \"certification\"; cost = 0.1; start = 0; };\n";
	for (int k = 0; k < 2; k++) {
		ts_scenario *s = NULL;
		ts_sim *w = mirror(&s, 1000.0, k == 0 ? harmless : harmful, "");
		int a = country(w, "A"), b = country(w, "B");
		step(w);
		assert_int_equal(w->hostile_count[a * w->nc + b], k == 0 ? 0 : 3);
		assert_int_equal(w->hostile_last[a * w->nc + b] >= 0, k);
		assert_double_equal(w->tension[a * w->nc + b], k == 0 ? 0.0 : 0.2 * 3, 1e-12);
		ts_sim_free(w);
		ts_scenario_free(s);
	}
}

/* §10: a compliance demand of cost 0 is hostile all the same when a firm it
 * bears on refuses it: the firm is shut out. */
static void a_free_compliance_demand_a_firm_refuses_is_hostile(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(
		"run = { steps = 2; start = \"2020Q1\"; };\n"
		"countries = { A = { markets = { phones = { size = 400.0; }; }; };\n"
		"              B = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
		"          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; refuses = [\"source_code\"]; }; };\n"
		"measures = { k0 = { type = \"compliance\"; actor = \"A\"; target = \"B\"; requirement = \"source_code\";\n"
		"                    cost = 0.0; start = 0; }; };\n");
	ts_sim *w = sim_new(s, 1);
	int a = country(w, "A"), b = country(w, "B");
	step(w);
	assert_int_equal(w->hostile_count[a * w->nc + b], 1);
	ts_sim_free(w);
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_tension_index_follows_its_recursion),
		cmocka_unit_test(measures_that_can_do_no_harm_are_not_hostile_and_raise_no_tension),
		cmocka_unit_test(a_free_compliance_demand_a_firm_refuses_is_hostile),
		cmocka_unit_test(the_tension_memory_is_the_weight_kept_after_a_year_whatever_the_step),
		cmocka_unit_test(a_ban_damages_the_target_by_its_sales_before_the_ban),
		cmocka_unit_test(tariffs_paid_are_damage_to_the_exporters_country),
		cmocka_unit_test(the_tension_index_takes_the_values_computed_by_hand),
		cmocka_unit_test(a_ban_damages_the_target_by_its_sales_in_every_segment_it_covers),
		cmocka_unit_test(a_ban_damages_the_target_by_its_share_at_its_last_step_allowed),
		cmocka_unit_test(a_ban_after_steps_without_measures_on_the_segment_takes_the_share_of_the_step_before),
		cmocka_unit_test(a_foreign_direct_product_control_damages_the_target_by_its_lost_revenue_shared_among_the_controllers),
		cmocka_unit_test(control_damage_is_the_revenue_of_the_last_step_with_every_input),
		cmocka_unit_test(suppliers_cut_off_count_their_lost_sales_in_their_countrys_conflict_loss),
		cmocka_unit_test(a_supplier_loses_what_its_buyer_bought_for_its_real_output),
		cmocka_unit_test(a_direct_control_damages_the_target_by_its_lost_revenue_with_or_without_tech_denial),
		cmocka_unit_test(an_answer_cites_the_rivals_latest_measure_still_in_force),
		cmocka_unit_test(a_compliance_demand_without_target_is_hostile_toward_every_other_country),
		cmocka_unit_test(each_pair_of_countries_has_its_own_tension_index),
	};
	return cmocka_run_group_tests_name("tension", tests, NULL, NULL);
}
