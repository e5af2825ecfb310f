/* Damage and tension (sim/model/tension.c; docs/model.md §10, §11, §13):
 * damage per pair, conflict losses and the tension index. */
#include "policy_world.h"

static void the_tension_index_follows_its_recursion(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", "",
		"  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; end = 6; };\n"
		"  us_gov = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\"; start = 3; };\n"
		"  cn_q = { type = \"market_ban\"; actor = \"CN\"; target = \"Q\"; start = 4; end = 10; };\n"
		"  jp_rd = { type = \"rd_investment\"; actor = \"JP\"; budget = 1.0; start = 1; };\n",
		"model = { tension_memory = 0.6; };\n"));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_tension_index_follows_its_recursion),
		cmocka_unit_test(a_ban_damages_the_target_by_its_sales_before_the_ban),
		cmocka_unit_test(tariffs_paid_are_damage_to_the_exporters_country),
		cmocka_unit_test(the_tension_index_takes_the_values_computed_by_hand),
	};
	return cmocka_run_group_tests_name("tension", tests, NULL, NULL);
}
