/* Deals (sim/model/deals.c; docs/model.md §11): when a settlement
 * triggers, what it lifts, its fine and its purchases. */
#include "policy_world.h"

static const char *deal_text(double fine, double purchase)
{
	static char tail[512];
	snprintf(tail, sizeof tail,
		 "deals = { settle = { lifts = [\"us_denial\", \"cn_apple\"]; earliest = 3; loss_threshold = 0.5;\n"
		 "  fine = %.17g; payer = \"ZTE\"; purchase = %.17g; buyer = \"CN\"; seller = \"US\"; sector = \"chips\";\n"
		 "  purchase_months = 6; }; };\n"
		 "model = { capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n",  /* capacity fixed (§16) */
		 fine, purchase);
	return world("", "", DEAL_MEASURES, tail);
}

/* Runs the deal world; returns the step the deal triggered and, per step,
 * ZTE's profit and Q's final sales. */
static int run_deal(double fine, double purchase, double *profit, double *q_sales, double *fine_received)
{
	ts_scenario *s = tu_load(deal_text(fine, purchase));
	ts_sim *w = sim_new(s, 7);
	int us = country(w, "US"), cn = country(w, "CN");
	int zte = ts_scenario_firm_index(s, "ZTE"), q = ts_scenario_firm_index(s, "Q");
	int expected = -1, triggered = -1;
	for (int t = 0; t < s->run.steps; t++) {
		/* The condition, read at the end of step t-1. */
		if (expected < 0 && t >= 3 && w->minst[0].active && w->damage_cum[us * w->nc + cn] > 0.5 &&
		    w->damage_cum[cn * w->nc + us] > 0.5)
			expected = t;
		step(w);
		profit[t] = w->profit[zte];
		q_sales[t] = w->final_sales[q];
		fine_received[t] = w->fines[us];
		if (w->minst[0].end == t && triggered < 0) {
			triggered = t;
			for (int j = 0; j < 2; j++) {
				assert_int_equal(w->minst[j].end, t);
				assert_string_equal(w->minst[j].end_cause, "settle");
				const ts_event *e = event_of(w, j);
				assert_non_null(e);
				assert_int_equal(e->action, TS_EVENT_END);
				assert_string_equal(e->cause, "settle");
			}
		}
	}
	assert_true(expected >= 3);
	assert_int_equal(triggered, expected);
	assert_int_equal(w->deal_step[0], expected);
	ts_sim_free(w);
	ts_scenario_free(s);
	return triggered;
}

static void a_deal_lifts_its_measures_at_the_first_step_its_condition_holds_and_fines_the_payer(void **state)
{
	(void)state;
	double p0[20], p1[20], q0[20], q1[20], f0[20], f1[20];
	int t0 = run_deal(0.0, 0.0, p0, q0, f0);
	int t1 = run_deal(1.4, 0.0, p1, q1, f1);
	assert_int_equal(t0, t1);
	for (int t = 0; t < 20; t++) {
		assert_double_equal(p0[t] - p1[t], t == t1 ? 1.4 : 0.0, 1e-9);
		assert_double_equal(f1[t], t == t1 ? 1.4 : 0.0, 0.0);
	}
}

static void a_deal_purchase_adds_to_the_sellers_sales_for_its_steps(void **state)
{
	(void)state;
	double p0[20], p1[20], q0[20], q1[20], f0[20], f1[20];
	run_deal(0.0, 0.0, p0, q0, f0);
	int t = run_deal(0.0, 8.0, p1, q1, f1);
	for (int k = 0; k < t; k++)
		assert_true(q0[k] == q1[k]);
	/* 8 bn USD a year = 2 a quarter, all to Q, the US's only chip maker. */
	assert_double_equal(q1[t] - q0[t], 2.0, 1e-9);
}

/* ---- known values: two mirror countries ---- */

/* The step the deal triggered in `steps` steps, or -1. */
static int trigger_step(const char *measures, const char *deal, int steps)
{
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, measures, deal);
	for (int t = 0; t < steps; t++)
		step(w);
	int triggered = w->deal_step[0];
	ts_sim_free(w);
	ts_scenario_free(s);
	return triggered;
}

/* Losses at the end of steps 0, 1, 2: 50, 100, 150 on each side; a deal
 * triggers at the step after both exceed the threshold (strictly). */
static void a_deal_triggers_the_step_after_both_losses_exceed_its_threshold(void **state)
{
	(void)state;
	assert_int_equal(trigger_step(MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 120.0;", 8), 3);
	assert_int_equal(trigger_step(MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 100.0;", 8), 3);
	assert_int_equal(trigger_step(MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 99.0;", 8), 2);
	assert_int_equal(trigger_step(MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 0.0;", 8), 1);
}

static void a_deal_waits_for_its_earliest_step(void **state)
{
	(void)state;
	assert_int_equal(trigger_step(MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 0.0; earliest = 5;", 8), 5);
}

/* Only A bans: B loses 50 a step, A nothing, so no threshold is ever passed
 * on both sides. */
static void a_deal_needs_both_sides_hurt(void **state)
{
	(void)state;
	assert_int_equal(trigger_step("a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"B\"; start = 0; };\n",
				      "lifts = [\"a_ban\"]; loss_threshold = 0.0;", 8), -1);
}

static void a_deal_lifts_its_measures_at_the_step_it_triggers_with_its_id_as_the_cause(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 120.0;");
	for (int t = 0; t < 4; t++)
		step(w);
	for (int j = 0; j < 2; j++) {
		assert_int_equal(w->minst[j].end, 3);
		assert_string_equal(w->minst[j].end_cause, "truce");
		assert_false(w->minst[j].active);
		assert_true(w->lifted[j]);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* XA can make 420 a year, 105 a quarter. Once the bans are lifted at step 3
 * it sells 50 in each market, 100, so B's purchase of 40 a year, 10 a
 * quarter, gets the 5 XA has left: capacity binds on deal purchases too. */
static void a_deal_purchase_buys_only_what_the_sellers_capacity_leaves(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 420.0, MIRROR_BANS,
		"lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 120.0;\n"
		"purchase = 40.0; buyer = \"B\"; seller = \"A\"; sector = \"phones\"; purchase_months = 6;");
	int xa = ts_scenario_firm_index(s, "XA"), b = -1;
	for (int m = 0; m < w->nmseg; m++)
		if (w->msegs[m].country == ts_scenario_country_index(s, "B"))
			b = m;
	const double xa_sales[] = {100, 100, 100, 105, 105, 100, 100, 100};
	for (int t = 0; t < 8; t++) {
		step(w);
		assert_double_equal(w->final_sales[xa], xa_sales[t], 1e-9);
		assert_double_equal(w->demand[b], t == 3 || t == 4 ? 105.0 : 100.0, 1e-9);
		assert_double_equal(w->served[b], w->demand[b], 1e-9);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The deal lifts only A's ban: B still bars XA, so B's purchase from A's
 * firms finds no seller allowed in its market and buys nothing. */
static void a_deal_purchase_skips_sellers_barred_from_the_buyers_market(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, MIRROR_BANS,
		"lifts = [\"a_ban\"]; loss_threshold = 120.0;\n"
		"purchase = 40.0; buyer = \"B\"; seller = \"A\"; sector = \"phones\"; purchase_months = 6;");
	int xa = ts_scenario_firm_index(s, "XA");
	for (int t = 0; t < 5; t++) {
		step(w);
		/* XA: all of A's 100 while XB is banned there, then half. */
		assert_double_equal(w->final_sales[xa], t < 3 ? 100.0 : 50.0, 1e-9);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* A sells phones (60 a quarter to its government, 40 privately) and chips
 * (200 a quarter); B phones (100). A and B ban each other's firms from step
 * 0 and the truce lifts both at step 1 (each side lost something in step
 * 0); A then buys 40 a year, 10 a quarter, of phones from B's firm for two
 * steps. */
static const char *purchase_world =
	"run = { steps = 4; start = \"2020Q1\"; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = { A = { markets = { phones = { size = 400.0; government = 0.6; }; chips = { size = 800.0; }; }; };\n"
	"              B = { markets = { phones = { size = 400.0; }; }; }; };\n"
	"sectors = { phones = { }; chips = { }; };\n"
	"firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
	"          CA = { country = \"A\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
	"measures = {\n" MIRROR_BANS "};\n"
	"deals = { truce = { lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 0.0; purchase = 40.0; buyer = \"A\";\n"
	"                    seller = \"B\"; sector = \"phones\"; purchase_months = 6; }; };\n";

/* §11: the purchase is added to the buyer's largest segment of the deal's
 * sector: A's government phone market, 60 + 10 = 70 a quarter, not its
 * private one (40), nor its chip market (200, a bigger segment of another
 * sector). */
static void a_deal_purchase_goes_to_the_buyers_largest_segment_of_the_deals_sector(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(purchase_world);
	ts_sim *w = sim_new(s, 1);
	step(w);
	step(w);
	assert_int_equal(w->deal_step[0], 1);
	int gov = -1, priv = -1, chips = -1;
	for (int m = 0; m < w->nmseg; m++) {
		const ts_mseg *ms = &w->msegs[m];
		if (ms->country != country(w, "A"))
			continue;
		if (ms->sector == ts_scenario_sector_index(s, "chips"))
			chips = m;
		else if (ms->segment == TS_SEG_GOVERNMENT)
			gov = m;
		else
			priv = m;
	}
	assert_double_equal(w->demand[gov], 70.0, 1e-12);
	assert_double_equal(w->served[gov], 70.0, 1e-12);
	assert_double_equal(w->demand[priv], 40.0, 1e-12);
	assert_double_equal(w->demand[chips], 200.0, 1e-12);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §11: the truce lifts the mirror bans at step 3 (losses 150 > 120 on both
 * sides at the end of step 2). XA then sells 50 in each market, 100 a
 * quarter, for a profit of 100 (1 - 3/4) = 25 (no fixed cost, no R&D); the
 * fine of 2 it pays that step leaves 23, for XA and for A's producers, and
 * B, which lifts its ban on A's firms, books it. */
static void a_fine_comes_out_of_the_payers_profit_and_its_countrys_producer_profit(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror(&s, 1000.0, MIRROR_BANS,
		"lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 120.0; fine = 2.0; payer = \"XA\";");
	for (int t = 0; t < 4; t++)
		step(w);
	assert_int_equal(w->deal_step[0], 3);
	assert_double_equal(w->profit[ts_scenario_firm_index(s, "XA")], 23.0, 1e-12);
	assert_double_equal(w->producer_profit[country(w, "A")], 23.0, 1e-12);
	assert_double_equal(w->fines[country(w, "B")], 2.0, 0.0);
	assert_double_equal(w->fines[country(w, "A")], 0.0, 0.0);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The step a truce with a threshold of 100 lifting the mirror bans
 * triggers, with markets of `size_a` and `size_b` a year. */
static int truce_step(double size_a, double size_b)
{
	ts_scenario *s = NULL;
	ts_sim *w = mirror_markets(&s, size_a, size_b, MIRROR_BANS, "lifts = [\"a_ban\", \"b_ban\"]; loss_threshold = 100.0;");
	for (int t = 0; t < 6; t++)
		step(w);
	int triggered = w->deal_step[0];
	ts_sim_free(w);
	ts_scenario_free(s);
	return triggered;
}

/* §11: with markets of 400 and 600 a year, A loses 50 a step to B's ban
 * (50, 100, 150 at the ends of steps 0, 1, 2) and B 75 to A's (75, 150):
 * both losses pass 100 strictly only at the end of step 2, so the deal
 * triggers at step 3, not 2, though A's loss meets 100 at the end of step
 * 1; the same with the sizes swapped, where B's loss is the one that meets
 * it. */
static void a_deal_needs_each_sides_loss_strictly_above_its_threshold(void **state)
{
	(void)state;
	assert_int_equal(truce_step(600.0, 400.0), 3);
	assert_int_equal(truce_step(400.0, 600.0), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_deal_lifts_its_measures_at_the_first_step_its_condition_holds_and_fines_the_payer),
		cmocka_unit_test(a_deal_purchase_adds_to_the_sellers_sales_for_its_steps),
		cmocka_unit_test(a_deal_triggers_the_step_after_both_losses_exceed_its_threshold),
		cmocka_unit_test(a_deal_waits_for_its_earliest_step),
		cmocka_unit_test(a_deal_needs_both_sides_hurt),
		cmocka_unit_test(a_deal_lifts_its_measures_at_the_step_it_triggers_with_its_id_as_the_cause),
		cmocka_unit_test(a_deal_purchase_buys_only_what_the_sellers_capacity_leaves),
		cmocka_unit_test(a_deal_purchase_skips_sellers_barred_from_the_buyers_market),
		cmocka_unit_test(a_deal_purchase_goes_to_the_buyers_largest_segment_of_the_deals_sector),
		cmocka_unit_test(a_fine_comes_out_of_the_payers_profit_and_its_countrys_producer_profit),
		cmocka_unit_test(a_deal_needs_each_sides_loss_strictly_above_its_threshold),
	};
	return cmocka_run_group_tests_name("deals", tests, NULL, NULL);
}
