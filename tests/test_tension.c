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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_tension_index_follows_its_recursion),
	};
	return cmocka_run_group_tests_name("tension", tests, NULL, NULL);
}
