/* Supply: export controls, stockpiles, substitution, suppliers' losses. */
#include <math.h>
#include <stdio.h>
#include "testutil.h"
#include "model_world.h"

/* Phone maker Z (CN) buys chips from Q (US, 60%) and T (TW, 40%); chips are
 * 30% of its unit cost. The US controls chip exports to Z from step 2. */
static const char *world_text =
	"run = { steps = 12; start = \"2018Q1\"; seed = 3; };\n"
	"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 80.0; }; }; };\n"
	"  CN = { markets = { phones = { size = 400.0; }; }; };\n"
	"  TW = { };\n"
	"};\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  T = { country = \"TW\"; sector = \"chips\"; capacity = 1000.0; };\n"
	"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; %s\n"
	"        suppliers = { chips = { Q = 0.6; T = 0.4; }; }; stockpile_months = { chips = %.17g; }; };\n"
	"  H = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { T = 1.0; }; }; };\n"
	"};\n"
	"measures = { %s };\n";

typedef struct series {
	double z_sales[12];  /* real: final sales over the price factor */
	double z_factor[12], q_input_sales[12], t_input_sales[12], h_sales[12];
} series;

static series run_world(double substitution, double stockpile, const char *measures)
{
	char text[4096], sub[128] = "";
	/* A share re-sourced a quarter as a half-life in years: (1 - share)^(4 h) = 1/2. */
	if (substitution > 0.0)
		snprintf(sub, sizeof sub, "substitution_half_life = %.17g;",
			 substitution >= 1.0 ? 0.0 : log(2.0) / (-4.0 * log1p(-substitution)));
	snprintf(text, sizeof text, world_text, sub, 3.0 * stockpile, measures);  /* quarters -> months */
	ts_scenario *s = tu_load(text);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 3, &err), TS_OK);
	int z = ts_scenario_firm_index(s, "Z"), q = ts_scenario_firm_index(s, "Q");
	int t = ts_scenario_firm_index(s, "T"), h = ts_scenario_firm_index(s, "H");
	series out;
	for (int step = 0; step < 12; step++) {
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
		out.z_sales[step] = w->final_sales[z] / w->price_factor[z];  /* real (docs/model.md §5) */
		out.z_factor[step] = w->supply_factor[z];
		out.q_input_sales[step] = w->input_sales[q];
		out.t_input_sales[step] = w->input_sales[t];
		out.h_sales[step] = w->final_sales[h];
	}
	ts_sim_free(w);
	ts_scenario_free(s);
	return out;
}

static const char *control =
	"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; sectors = [\"chips\"]; start = 2; };";

static void export_control_with_k_periods_of_stockpile_keeps_output_for_k_periods_then_cuts_it_by_the_dependence(void **state)
{
	(void)state;
	const double dependence = 0.6;
	for (int k = 0; k <= 4; k++) {
		/* k periods of the controlled supply = k * dependence periods of use. */
		series base = run_world(0.0, k * dependence, "");
		series cut = run_world(0.0, k * dependence, control);
		for (int step = 0; step < 2 + k; step++)
			assert_double_equal(cut.z_sales[step], base.z_sales[step], 1e-9 * base.z_sales[step]);
		for (int step = 2 + k; step < 12; step++) {
			assert_double_equal(cut.z_sales[step], (1.0 - dependence) * base.z_sales[step],
			                    1e-9 * base.z_sales[step]);
			/* H takes the demand Z cannot serve. */
			assert_true(cut.h_sales[step] > base.h_sales[step]);
		}
	}
}

static void the_controlling_countrys_supplier_loses_exactly_its_sales_to_the_target(void **state)
{
	(void)state;
	series base = run_world(0.0, 1.2, "");
	series cut = run_world(0.0, 1.2, control);
	for (int step = 0; step < 2; step++)
		assert_double_equal(cut.q_input_sales[step], base.q_input_sales[step], 1e-12);
	for (int step = 2; step < 12; step++) {
		/* Before the stock runs out Z still makes its full output: Q's loss is
		 * then exactly what Z bought from it, 0.6 x 0.3 x Z's cost of goods. */
		assert_true(base.q_input_sales[step] > 0.0);
		assert_true(cut.q_input_sales[step] == 0.0);
	}
	double markup = 4.0 / 3.0;
	assert_double_equal(base.q_input_sales[3], 0.6 * 0.3 * base.z_sales[3] / markup, 1e-9);
	/* T keeps selling Z its 40% share (of Z's full output while stock lasts). */
	assert_double_equal(cut.t_input_sales[3], base.t_input_sales[3], 1e-9);
}

static void substitution_restores_output_at_the_firms_rate(void **state)
{
	(void)state;
	series cut = run_world(0.5, 0.0, control);
	/* Half-life a quarter: kappa dt = ln 2, keep 1/2 a quarter. The cut 0.6
	 * from step 2 is re-sourced along r(t) = 0.6 (1 - 2^-t), t in quarters;
	 * a step uses r's mean over it, so the missing share in quarter k (from
	 * 0) is 0.6 2^-k (1 - 1/2) / ln 2 = 0.6 x 0.7213475 x 2^-k = 0.4328085,
	 * 0.2164043, 0.1082021, 0.0541011: factor 1 - missing. */
	double expected[] = {1.0, 1.0, 0.5671915, 0.7835957, 0.8917979, 0.9458989};
	for (int step = 0; step < 6; step++)
		assert_double_equal(cut.z_factor[step], expected[step], 1e-7);
}

static void lifting_the_control_restores_output(void **state)
{
	(void)state;
	series base = run_world(0.0, 0.0, "");
	series cut = run_world(0.0, 0.0,
		"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; start = 2; end = 5; };");
	assert_double_equal(cut.z_sales[4], 0.4 * base.z_sales[4], 1e-9);
	for (int step = 5; step < 12; step++)
		assert_double_equal(cut.z_sales[step], base.z_sales[step], 1e-9 * base.z_sales[step]);
}

static void a_control_on_a_country_binds_all_its_firms_in_the_covered_sectors(void **state)
{
	(void)state;
	series base = run_world(0.0, 0.0, "");
	series cut = run_world(0.0, 0.0,
		"ctl = { type = \"export_control\"; actor = \"TW\"; target = \"CN\"; sectors = [\"chips\"]; start = 1; };");
	assert_double_equal(cut.z_factor[1], 0.6, 1e-12);        /* Z loses T's 40% */
	assert_true(cut.h_sales[1] == 0.0);                      /* H bought only from T */
	assert_true(cut.t_input_sales[1] == 0.0);
	assert_double_equal(cut.z_sales[0], base.z_sales[0], 1e-12);
}

static void resourced_purchases_never_push_a_home_supplier_past_its_capacity(void **state)
{
	(void)state;
	/* Z loses all its chips from step 1 and re-sources them at home, where
	 * the only chip maker, S, can make 4 bn USD a quarter. */
	const char *text =
		"run = { steps = 8; start = \"2018Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
		"countries = { US = { }; CN = { markets = { phones = { size = 400.0; }; chips = { size = 8.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = {\n"
		"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"  S = { country = \"CN\"; sector = \"chips\"; capacity = 16.0; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; substitution_half_life = 0.0;\n"
		"        suppliers = { chips = { Q = 1.0; }; }; };\n"
		"};\n"
		"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; start = 1; }; };\n";
	ts_scenario *s = tu_load(text);
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 1, &err), TS_OK);
	int sm = ts_scenario_firm_index(s, "S"), z = ts_scenario_firm_index(s, "Z");
	for (int step = 0; step < 8; step++) {
		assert_int_equal(ts_sim_step(w, &err), TS_OK);
		/* in real terms: revenue over the price factor (docs/model.md §5) */
		assert_true((w->final_sales[sm] + w->input_sales[sm]) / w->price_factor[sm] <= 4.0 * (1.0 + 1e-12));
	}
	assert_double_equal(w->supply_factor[z], 1.0, 1e-12);  /* fully re-sourced */
	assert_double_equal((w->final_sales[sm] + w->input_sales[sm]) / w->price_factor[sm], 4.0, 1e-9);  /* S sells all it can */
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The loader lets supplier shares miss 1 by model.share_tolerance (and
 * normalises them); the model keeps the supply factor in [0, 1] whatever
 * the shares: here Z's shares are set to 0.61 + 0.40 = 1.01 after loading
 * and both suppliers are cut off, so the cut share is 1, not 1.01. */
static void the_supply_factor_stays_in_zero_one_when_supplier_shares_sum_above_one(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text, world_text, "", 0.0,
		"us = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; start = 1; };\n"
		"tw = { type = \"export_control\"; actor = \"TW\"; target = \"Z\"; start = 1; };");
	ts_scenario *s = tu_load(text);
	int z = ts_scenario_firm_index(s, "Z");
	const ts_slot_spec *slot = &s->slots[s->firms[z].slot_first];
	assert_int_equal(slot->n_links, 2);
	s->links[slot->link_first].share = 0.61;
	s->links[slot->link_first + 1].share = 0.40;
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&w, s, 3, &err), TS_OK);
	for (int step = 0; step < 4; step++) {
		if (ts_sim_step(w, &err) != TS_OK)
			fail_msg("step %d: %s", step, err.message);
		assert_double_equal(w->supply_factor[z], step >= 1 ? 0.0 : 1.0, 0.0);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §13: a US ban on Z (which sells nothing in the US: tension, no damage,
 * no supply cut) from step 2. Tension is 0 until the end of step 2; with
 * lambda 0.8 and one hostile measure it is 0.2 then, 0.36 at the end of
 * step 3, so step 4's target is 0.7 + 2 (1 - exp(-0.36))
 * = 0.7 + 2 x 0.3023237 = 1.3046474 periods. */
static void anticipation_raises_the_stock_target_and_purchases_as_tension_rises(void **state)
{
	(void)state;
	char text[4096];
	snprintf(text, sizeof text, world_text, "", 2.1,
		"ban = { type = \"market_ban\"; actor = \"US\"; target = \"Z\"; start = 2; };");
	ts_scenario *calm = tu_load(text), *wary = tu_load(text);
	int z = ts_scenario_firm_index(wary, "Z"), q = ts_scenario_firm_index(wary, "Q");
	wary->firms[z].anticipation = 2.0;
	int slot = wary->firms[z].slot_first;  /* chips */
	ts_sim *a = NULL, *b = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sim_alloc(&a, calm, 3, &err), TS_OK);
	assert_int_equal(ts_sim_alloc(&b, wary, 3, &err), TS_OK);
	for (int step = 0; step < 5; step++) {
		assert_int_equal(ts_sim_step(a, &err), TS_OK);
		assert_int_equal(ts_sim_step(b, &err), TS_OK);
		if (step <= 2) {
			assert_double_equal(b->stock_target[slot], 0.7, 1e-15);  /* 2.1 months in quarters */
			assert_true(a->input_sales[q] == b->input_sales[q]);
		}
	}
	assert_double_equal(b->stock_target[slot], 0.7 + 2.0 * (1.0 - exp(-0.36)), 1e-12);
	assert_double_equal(b->stock_target[slot], 1.3046473478579, 1e-12);
	assert_double_equal(a->stock_target[slot], 0.7, 1e-15);
	assert_true(b->stock[slot] > a->stock[slot]);
	assert_true(b->input_sales[q] > a->input_sales[q]);
	ts_sim_free(a);
	ts_sim_free(b);
	ts_scenario_free(calm);
	ts_scenario_free(wary);
}

/* A chip maker with orders beyond its room (docs/model.md §5, §6). S can
 * make 16 a year, 4 a quarter, in real terms; CN's chip buyers outside the
 * model spend 16.568 a year, 4.142 a quarter, all on S (the only chip
 * firm). Phone maker Z (`inputs`: chips 0.3 from S) or Z without inputs
 * sells CN's 400 a year, 100 a quarter (sigma 4, markup 4/3). */
static tu_run orders_world(int with_orders)
{
	char text[1024];
	snprintf(text, sizeof text,
		"run = { steps = 4; start = \"2018Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
		"countries = { CN = { markets = { phones = { size = 400.0; }; chips = { size = 16.568; }; }; }; };\n"
		"sectors = { chips = { }; phones = { %s }; };\n"
		"firms = {\n"
		"  S = { country = \"CN\"; sector = \"chips\"; capacity = 16.0; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; %s };\n"
		"};\n",
		with_orders ? "inputs = { chips = 0.3; };" : "",
		with_orders ? "suppliers = { chips = { S = 1.0; }; };" : "");
	return tu_run_text(text, 1, 0);
}

/* The final market alone sets S's price factor: real sales 4 u at
 * 4.142 / phi(u) = 4 u holds at u = 0.95 (z = 0.15 / 0.05 = 3, phi = 1 +
 * 0.01 x 9 = 1.09; 4 x 0.95 x 1.09 = 4.142), the same with or without Z's
 * orders. Z orders 0.3 x 100 / (4/3) = 22.5 a quarter; S makes them at its
 * base price with the real room its final sales leave, 4 - 3.8 = 0.2, so
 * its revenue is 4.142 + 0.2 = 4.342 and its capacity use 3.8 + 0.2 = 4 of
 * 4; CN's other chip producers make the other 22.3, so Z gets all its chips
 * and CN books all 22.5 as bought at home; no chip demand goes unmet. */
static void a_supplier_makes_orders_beyond_its_room_at_base_price_and_generics_make_the_rest(void **state)
{
	(void)state;
	tu_run r = orders_world(1), alone = orders_world(0);
	const ts_sim *w = r.sim;
	int sm = tu_firm(w, "S"), z = tu_firm(w, "Z");
	for (int step = 0; step < 4; step++) {
		tu_run_steps(r.sim, 1);
		tu_run_steps(alone.sim, 1);
		assert_double_equal(w->final_sales[z], 100.0, 1e-12);
		assert_double_equal(w->price_factor[sm], 1.09, 1e-9);
		assert_double_equal(w->price_factor[sm], alone.sim->price_factor[sm], 0.0);
		assert_double_equal(w->final_sales[sm], 4.142, 1e-9);
		assert_double_equal(w->input_orders[sm], 22.5, 1e-12);
		assert_double_equal(w->input_sales[sm], 0.2, 1e-9);
		assert_double_equal(w->revenue[sm], 4.342, 1e-9);
		assert_double_equal(ts_firm_capacity_use(w, sm), 1.0, 1e-9);
		assert_double_equal(w->country_unmet[0], 0.0, 1e-12);
		assert_double_equal(w->inputs_total[0], 22.5, 1e-12);
		assert_double_equal(w->inputs_domestic[0], 22.5, 1e-12);
	}
	tu_run_free(&r);
	tu_run_free(&alone);
}

/* A phone maker past its knee buys inputs for its real output (docs/model.md
 * §6): Z, the only phone maker, can make 380 a year, 95 a quarter, and CN
 * spends 100 a quarter on phones, so its price factor solves
 * 100 / phi = 95 (0.8 + z) / (1 + z), phi = 1 + 0.01 z^2: z = 3.2369883,
 * phi = 1.1047809, real sales 100 / phi = 90.515683. It orders chips for
 * 0.3 x 90.515683 / (4/3) = 20.366029 a quarter, not for its revenue's
 * 22.5: the scarcity premium is profit and buys no chips. */
static void a_firm_past_its_knee_buys_inputs_for_its_real_output_not_its_premium(void **state)
{
	(void)state;
	tu_run r = tu_run_text(
		"run = { steps = 2; start = \"2018Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"
		"countries = { CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = {\n"
		"  S = { country = \"CN\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 380.0; suppliers = { chips = { S = 1.0; }; }; };\n"
		"};\n", 1, 1);
	const ts_sim *w = r.sim;
	int sm = tu_firm(w, "S"), z = tu_firm(w, "Z");
	assert_double_equal(w->price_factor[z], 1.1047809, 1e-7);
	assert_double_equal(w->final_sales[z], 100.0, 1e-9);
	assert_double_equal(w->input_orders[sm], 20.366029, 1e-6);
	tu_run_free(&r);
}

/* CN's phone makers Z and Z2 are alike but for their capacities a year and
 * Z's chip suppliers (`z_chips`, firm settings), and split CN's 400 a year,
 * 100 a quarter, 50 : 50 while both have their inputs and room; each
 * orders chips for 50 / (4/3) x 0.3 = 11.25 a quarter. Z2 buys its chips
 * from CN's S, which can make `capacity_s` a year; from step 1
 * (`with_control`) the US cuts its maker Q's sales to CN. */
static tu_run cut_world(double capacity_s, double capacity_z, double capacity_z2, const char *z_chips,
                        int with_control)
{
	char text[2048];
	snprintf(text, sizeof text,
		"run = { steps = 2; start = \"2018Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
		"countries = { US = { }; CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = {\n"
		"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"  S = { country = \"CN\"; sector = \"chips\"; capacity = %.17g; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = %.17g; %s };\n"
		"  Z2 = { country = \"CN\"; sector = \"phones\"; capacity = %.17g; suppliers = { chips = { S = 1.0; }; }; };\n"
		"};\n"
		"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 1; enabled = %s; }; };\n",
		capacity_s, capacity_z, z_chips, capacity_z2, with_control ? "true" : "false");
	return tu_run_text(text, 1, 2);
}

/* §6: a home supplier's link orders come first, re-sourced orders in the
 * room they leave. Z buys from Q until it is cut off, then re-sources at
 * once from CN's chip makers, S alone. S, which can make 60 a year, 15 a
 * quarter, and sells only to Z and Z2, makes Z2's 11.25 and 3.75 of Z's
 * 11.25: 15, asked 22.5; CN's other chip producers make the other 7.5. */
static void a_home_supplier_makes_re_sourced_orders_in_the_room_its_link_orders_leave(void **state)
{
	(void)state;
	tu_run r = cut_world(60.0, 1000.0, 1000.0, "substitution_half_life = 0.0; suppliers = { chips = { Q = 1.0; }; };", 1);
	const ts_sim *w = r.sim;
	int sm = tu_firm(w, "S");
	assert_double_equal(w->supply_factor[tu_firm(w, "Z")], 1.0, 0.0);
	assert_double_equal(w->input_sales[sm], 15.0, 1e-9);
	assert_double_equal(w->input_orders[sm], 22.5, 1e-9);
	assert_double_equal(w->inputs_domestic[tu_country(w, "CN")], 22.5, 1e-9);
	tu_run_free(&r);
}

/* A firm short of inputs (docs/model.md §5): Z buys half its chips from Q,
 * half from S (1000 a year); cut off from Q, with no stockpile and no
 * re-sourcing, it has supply factor 0.5. */
static tu_run rationing_world(double capacity_z, double capacity_z2, int with_control)
{
	return cut_world(1000.0, capacity_z, capacity_z2, "suppliers = { chips = { Q = 0.5; S = 0.5; }; };", with_control);
}

/* Z is rationed at its price: with Z2's 1000 a year (both far below the
 * knee: price factor 1) Z makes 25, at its price factor of 1 (its revenue
 * falls by its supply factor, whatever the step), and Z2 serves the other
 * 75; nothing goes unmet. In the price index Z counts at its virtual price
 * 0.5^(-1/4) (sigma 4), weight 0.5^(3/4) = 0.59460356 of Z2's: P / P0 =
 * ((0.59460356 + 1) / 2)^(-1/3) = 0.79730178^(-1/3) = 1.07843115. */
static void a_firm_short_of_inputs_sells_its_share_at_its_price_and_rivals_serve_the_rest(void **state)
{
	(void)state;
	tu_run r = rationing_world(1000.0, 1000.0, 1);
	const ts_sim *w = r.sim;
	int z = tu_firm(w, "Z"), z2 = tu_firm(w, "Z2"), m = tu_segment(w, "CN", "phones", TS_SEG_PRIVATE);
	assert_double_equal(w->supply_factor[z], 0.5, 1e-15);
	assert_double_equal(w->final_sales[z], 25.0, 1e-9);
	assert_double_equal(w->price_factor[z], 1.0, 0.0);
	assert_double_equal(ts_market_final_room(w, z), 25.0, 1e-9);  /* a deal can buy no more of it (§11) */
	assert_double_equal(w->final_sales[z2], 75.0, 1e-9);
	assert_double_equal(w->price_factor[z2], 1.0, 0.0);
	assert_double_equal(w->unmet[m], 0.0, 0.0);
	assert_double_equal(w->price_ratio[m], 1.07843115, 1e-8);
	tu_run_free(&r);
}

/* §5, the safety pass, where the solver stops short: held to its first
 * pass, from phi = 1. Z (400 a year, 100 a quarter) and Z2 (120, 30) are
 * each asked 50 of CN's 100 a quarter. Step 0: Z2 is scaled down to its
 * 30 and fixed, and Z takes the other 20, to 70. Step 1, Z cut to half its
 * chips: the first clearing gives Z 70 and Z2 30 again, so Z is rationed
 * to 35; cleared again, Z2 is asked 65, held to 30, and the other 35 go
 * unmet. With `lifted`, CN bars a third phone maker, X (Japan's, which
 * can make 0.1 a quarter), in step 0 alone: from step 1 buyers' ties to
 * X regrow, at a half-life of 50 years (0.35% of its weight back a
 * quarter; X takes at most its 0.1 of what would go unmet, and less from
 * Z's first sales), so that the segments' ties are not settled and
 * their rows are written, not factored (market.c): the first clearing of
 * a sector with a firm short of inputs then writes only that firm's sales
 * when no firm is fixed; here Z2 is, and the rows must be written whole
 * first: scaled from last step's, Z2's fixed sales would be 30 x 30 / 50 =
 * 18, Z's first sales 82 and its rationed 41. */
static void stop_short(int lifted)
{
	char text[2048];
	snprintf(text, sizeof text,
		"run = { steps = 2; start = \"2018Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0;\n"
		"          share_half_life = 50.0; };\n"
		"countries = { US = { }; JP = { }; CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = {\n"
		"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"  S = { country = \"CN\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 400.0; suppliers = { chips = { Q = 0.5; S = 0.5; }; }; };\n"
		"  Z2 = { country = \"CN\"; sector = \"phones\"; capacity = 120.0; suppliers = { chips = { S = 1.0; }; }; };\n"
		"  %s\n"
		"};\n"
		"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 1; };\n"
		"  %s };\n",
		lifted ? "X = { country = \"JP\"; sector = \"phones\"; capacity = 0.4; suppliers = { chips = { S = 1.0; }; }; };" : "",
		lifted ? "bar = { type = \"market_ban\"; actor = \"CN\"; target = \"X\"; start = 0; end = 1; };" : "");
	tu_run r = tu_run_text(text, 1, 0);
	ts_sim *w = r.sim;
	w->clear_stop_short = 1;
	for (int i = 0; i < w->nf; i++)
		w->price_factor[i] = 1.0;
	int z = tu_firm(w, "Z"), z2 = tu_firm(w, "Z2"), m = tu_segment(w, "CN", "phones", TS_SEG_PRIVATE);
	double near = lifted ? 0.2 : 1e-9;  /* what X takes */
	tu_run_steps(w, 1);
	assert_double_equal(w->final_sales[z], 70.0, 1e-9);
	assert_double_equal(w->final_sales[z2], 30.0, 1e-9);
	assert_double_equal(w->unmet[m], 0.0, 1e-9);
	tu_run_steps(w, 1);
	assert_int_equal(w->ties_settled[m], !lifted);
	assert_double_equal(w->supply_factor[z], 0.5, 1e-15);
	assert_double_equal(w->price_factor[z2], 1.0, 0.0);
	assert_double_equal(w->final_sales[z], 35.0, near);
	assert_double_equal(w->final_sales[z2], 30.0, 1e-9);
	assert_double_equal(w->unmet[m], 35.0, near);
	tu_run_free(&r);
}

static void a_solver_stopped_short_leaves_the_safety_pass_to_fix_firms_at_capacity(void **state)
{
	(void)state;
	stop_short(0);
	stop_short(1);
}

/* §5: Z rationed keeps the price it would have sold at. With 200 a year,
 * 50 a quarter, Z is past its knee (40) and sells at a price factor above
 * 1; under the control it keeps the factor of the same world without it
 * and makes half its real sales there. In the index its weight, share s of
 * the segment's CES sum without the control, is cut to 0.5^(3/4) of it at
 * its virtual price (Z2, with 1000 a year, stays at 1): P / P0 = (P / P0
 * without the control) x (1 - s (1 - 0.5^(3/4)))^(-1/3), s = Z's final
 * sales there over the 100 spent (no wedges). */
static void a_rationed_firm_keeps_its_price_and_counts_at_its_virtual_price(void **state)
{
	(void)state;
	tu_run r = rationing_world(200.0, 1000.0, 1), cf = rationing_world(200.0, 1000.0, 0);
	const ts_sim *w = r.sim;
	int z = tu_firm(w, "Z"), m = tu_segment(w, "CN", "phones", TS_SEG_PRIVATE);
	double phi = cf.sim->price_factor[z], s_z = cf.sim->final_sales[z] / 100.0;
	assert_true(phi > 1.01);
	assert_double_equal(w->price_factor[z], phi, 1e-12);
	assert_double_equal(w->final_sales[z], 0.5 * cf.sim->final_sales[z], 1e-9);
	assert_double_equal(ts_market_final_room(w, z), 0.5 * cf.sim->final_sales[z] / phi, 1e-9);  /* real */
	assert_double_equal(w->price_ratio[m], cf.sim->price_ratio[m] * pow(1.0 - s_z * (1.0 - pow(0.5, 0.75)), -1.0 / 3.0),
	                    1e-9);
	tu_run_free(&r);
	tu_run_free(&cf);
}

/* §5: the rivals' prices answer a rationed firm's shortage. With Z2 able
 * to make 320 a year, 80 a quarter, the 75 Z leaves (all of it Z2's: the
 * only other phone maker) is above its knee, 64: Z2 raises its price
 * factor until 75 / phi = 80 u(phi) on its supply curve; Z still sells 25
 * at a price factor of 1, and nothing goes unmet. */
static void a_rationed_firms_rivals_raise_their_price_when_its_buyers_fill_them(void **state)
{
	(void)state;
	tu_run r = rationing_world(1000.0, 320.0, 1);
	const ts_sim *w = r.sim;
	int z = tu_firm(w, "Z"), z2 = tu_firm(w, "Z2"), m = tu_segment(w, "CN", "phones", TS_SEG_PRIVATE);
	double phi = w->price_factor[z2];
	assert_true(phi > 1.0);
	assert_double_equal(w->final_sales[z2], 75.0, 1e-9);
	assert_double_equal(w->final_sales[z2] / phi, 80.0 * ts_clearing_use(phi, 0.8, 0.01), 1e-9);
	assert_double_equal(w->final_sales[z], 25.0, 1e-9);
	assert_double_equal(w->price_factor[z], 1.0, 0.0);
	assert_double_equal(w->unmet[m], 0.0, 0.0);
	tu_run_free(&r);
}

/* CN's phone makers Z and Z2 buy their chips from the US maker Q; the US
 * cuts them off from step 1 and both re-source at home at once
 * (substitution rate 1), from CN's chip makers S1 and S2, whose capacities
 * a year are `s1` and `s2`. */
static tu_run resourcing_world(double s1, double s2)
{
	char text[4096];
	snprintf(text, sizeof text,
		"run = { steps = 4; start = \"2018Q1\"; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; };\n"  /* capacity fixed (§16) */
		"countries = { US = { }; CN = { markets = { phones = { size = 400.0; }; }; }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = {\n"
		"  Q = { country = \"US\"; sector = \"chips\"; capacity = 1000.0; };\n"
		"  S1 = { country = \"CN\"; sector = \"chips\"; capacity = %.17g; };\n"
		"  S2 = { country = \"CN\"; sector = \"chips\"; capacity = %.17g; };\n"
		"  Z = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; substitution_half_life = 0.0;\n"
		"        suppliers = { chips = { Q = 1.0; }; }; };\n"
		"  Z2 = { country = \"CN\"; sector = \"phones\"; capacity = 1000.0; substitution_half_life = 0.0;\n"
		"         suppliers = { chips = { Q = 1.0; }; }; };\n"
		"};\n"
		"measures = { ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 1; }; };\n",
		s1, s2);
	return tu_run_text(text, 1, 3);
}

/* §4, §6: at step 2 the phone makers have re-sourced everything (supply
 * factor 1) and sell 50 a quarter each; each needs chips for 50 / (4/3) x
 * 0.3 = 11.25, 22.5 together, all bought at home and split among S1 and S2
 * by capacity, 300 : 100: 16.875 and 5.625, well within what they can make
 * (75 and 25 a quarter). */
static void resourced_purchases_are_split_among_home_suppliers_by_capacity(void **state)
{
	(void)state;
	tu_run f = resourcing_world(300.0, 100.0);
	const ts_sim *w = f.sim;
	assert_double_equal(w->supply_factor[tu_firm(w, "Z")], 1.0, 0.0);
	assert_double_equal(w->input_sales[tu_firm(w, "S1")], 16.875, 1e-12);
	assert_double_equal(w->input_sales[tu_firm(w, "S2")], 5.625, 1e-12);
	assert_double_equal(w->input_sales[tu_firm(w, "Q")], 0.0, 0.0);
	tu_run_free(&f);
}

/* §6: however small a home supplier, it gets its share of re-sourced
 * orders: with 0.4 and 0.4 a year (0.1 a quarter each), S1 and S2 make
 * 0.1 each of the 22.5, and CN's other chip producers the rest. */
static void small_home_suppliers_still_get_resourced_orders(void **state)
{
	(void)state;
	tu_run f = resourcing_world(0.4, 0.4);
	const ts_sim *w = f.sim;
	assert_double_equal(w->input_sales[tu_firm(w, "S1")], 0.1, 1e-15);
	assert_double_equal(w->input_sales[tu_firm(w, "S2")], 0.1, 1e-15);
	assert_double_equal(w->inputs_domestic[tu_country(w, "CN")], 22.5, 1e-12);
	tu_run_free(&f);
}

/* §4, §6: Z holds 0.5 periods of chips. The control over step 1 alone
 * takes Q's 60% and Z draws its stockpile to 0 (0.5 of the 0.6 missing).
 * Once the control ends Z rebuys 0.25 periods a step (its restock rate) in
 * steps 2 and 3, buying 1.25 times its chips for its output, and then, the
 * stockpile back at 0.5, as much as before the control. */
static void a_firm_restocks_at_its_rate_until_its_stockpile_is_back_then_buys_as_before(void **state)
{
	(void)state;
	series base = run_world(0.0, 0.5, "");
	series cut = run_world(0.0, 0.5,
		"ctl = { type = \"export_control\"; actor = \"US\"; target = \"Z\"; start = 1; end = 2; };");
	const double ratio[] = {1.0, 0.0, 1.25, 1.25, 1.0, 1.0};
	for (int step = 0; step < 6; step++)
		assert_double_equal(cut.q_input_sales[step], ratio[step] * base.q_input_sales[step],
		                    1e-12 * base.q_input_sales[step]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(export_control_with_k_periods_of_stockpile_keeps_output_for_k_periods_then_cuts_it_by_the_dependence),
		cmocka_unit_test(the_controlling_countrys_supplier_loses_exactly_its_sales_to_the_target),
		cmocka_unit_test(substitution_restores_output_at_the_firms_rate),
		cmocka_unit_test(lifting_the_control_restores_output),
		cmocka_unit_test(a_control_on_a_country_binds_all_its_firms_in_the_covered_sectors),
		cmocka_unit_test(resourced_purchases_never_push_a_home_supplier_past_its_capacity),
		cmocka_unit_test(a_supplier_makes_orders_beyond_its_room_at_base_price_and_generics_make_the_rest),
		cmocka_unit_test(a_firm_past_its_knee_buys_inputs_for_its_real_output_not_its_premium),
		cmocka_unit_test(a_home_supplier_makes_re_sourced_orders_in_the_room_its_link_orders_leave),
		cmocka_unit_test(a_firm_short_of_inputs_sells_its_share_at_its_price_and_rivals_serve_the_rest),
		cmocka_unit_test(a_rationed_firms_rivals_raise_their_price_when_its_buyers_fill_them),
		cmocka_unit_test(a_rationed_firm_keeps_its_price_and_counts_at_its_virtual_price),
		cmocka_unit_test(the_supply_factor_stays_in_zero_one_when_supplier_shares_sum_above_one),
		cmocka_unit_test(a_solver_stopped_short_leaves_the_safety_pass_to_fix_firms_at_capacity),
		cmocka_unit_test(anticipation_raises_the_stock_target_and_purchases_as_tension_rises),
		cmocka_unit_test(resourced_purchases_are_split_among_home_suppliers_by_capacity),
		cmocka_unit_test(small_home_suppliers_still_get_resourced_orders),
		cmocka_unit_test(a_firm_restocks_at_its_rate_until_its_stockpile_is_back_then_buys_as_before),
	};
	return cmocka_run_group_tests_name("supply", tests, NULL, NULL);
}
