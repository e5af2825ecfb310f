/* Alliance pressure (sim/model/alliances.c; docs/model.md §12): who
 * adopts a pressed measure, when, and how long the copy lasts. */
#include <stdio.h>
#include "scenario/policy.h"
#include "policy_world.h"

/* The US (bloc "west") bans ZTE over steps 1-8 and, from step 2, presses
 * its bloc to follow: JP (alignment 0) and NL (alignment 1). `measures` and
 * `tail` are added to the measures group and the file. */
static ts_scenario *pressure_world(double pressure, int delay, const char *measures, const char *tail)
{
	char text[4096];
	snprintf(text, sizeof text,
		"run = { steps = 12; start = \"2018Q1\"; seed = 3; };\n"
		"countries = {\n"
		"  US = { bloc = \"west\"; markets = { phones = { size = 100.0; }; }; };\n"
		"  JP = { bloc = \"west\"; alignment = 0.0; markets = { phones = { size = 100.0; }; }; };\n"
		"  NL = { bloc = \"west\"; alignment = 1.0; markets = { phones = { size = 100.0; }; }; };\n"
		"  CN = { markets = { phones = { size = 100.0; }; }; };\n"
		"};\n"
		"sectors = { phones = { }; };\n"
		"firms = {\n"
		"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 200.0; };\n"
		"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 200.0; };\n"
		"};\n"
		"measures = {\n"
		"  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 1; end = 9; };\n"
		"  press = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"us_ban\"; pressure_per_year = %.17g;\n"
		"            delay_months = %d; start = 2; };\n"
		"%s};\n%s",
		pressure, 3 * delay, measures, tail);  /* quarters */
	return tu_load(text);
}

static void an_aligned_ally_follows_at_once_and_an_unaligned_one_never(void **state)
{
	(void)state;
	ts_scenario *s = pressure_world(1e6, 2, "", "");
	assert_int_equal(ts_policy_pressure_allies(s, 1, NULL), 2);  /* JP and NL */
	assert_int_equal(s->n_dynamic_measures, 2);
	ts_sim *w = sim_new(s, 3);
	int nl = country(w, "NL"), cn = country(w, "CN");
	int zte = ts_scenario_firm_index(s, "ZTE");
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		assert_int_equal(made(w, "us_ban@JP", "JP"), -1);
		int copy = made(w, "us_ban@NL", "NL");
		assert_int_equal(copy >= 0, t >= 2);  /* adopted at the pressure's first step */
		if (copy < 0)
			continue;
		assert_int_equal(w->minst[copy].start, 4);  /* after the delay */
		assert_int_equal(w->minst[copy].end, 9);    /* with the original */
		assert_int_equal(w->minst[copy].active, t >= 4 && t < 9);
		/* NL applies it as itself. */
		assert_int_equal(w->ban[nl * w->nf + zte] != 0, t >= 4 && t < 9);
		assert_int_equal(w->hostile_count[nl * w->nc + cn], t >= 4 && t < 9);
		if (t == 4) {
			const ts_event *e = event_of(w, copy);
			assert_non_null(e);
			assert_int_equal(e->action, TS_EVENT_START);
			assert_string_equal(e->cause, "press");
		}
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

static void without_pressure_no_ally_follows(void **state)
{
	(void)state;
	ts_scenario *s = pressure_world(0.0, 0, "", "");
	ts_sim *w = sim_new(s, 3);
	for (int t = 0; t < s->run.steps; t++)
		step(w);
	assert_int_equal(w->n_minst, w->nm);
	ts_sim_free(w);
	ts_scenario_free(s);
}


/* China bans Apple too, so both sides are hurt and the truce lifts both
 * bans at step 5, its earliest. NL's copy of the US ban, adopted at step 2
 * with the original's end (9), ends with the original at 5, for the same
 * reason. */
static void an_allys_copy_ends_when_its_original_is_lifted_early(void **state)
{
	(void)state;
	ts_scenario *s = pressure_world(1e6, 0,
		"  cn_ban = { type = \"market_ban\"; actor = \"CN\"; target = \"Apple\"; start = 1; };\n",
		"deals = { truce = { lifts = [\"us_ban\", \"cn_ban\"]; earliest = 5; loss_threshold = 0.0; }; };\n");
	ts_sim *w = sim_new(s, 3);
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		int copy = made(w, "us_ban@NL", "NL");
		assert_int_equal(copy >= 0, t >= 2);
		if (copy < 0)
			continue;
		assert_int_equal(w->minst[copy].active, t >= 2 && t < 5);
		if (t == 5) {
			const ts_event *e = event_of(w, copy);
			assert_non_null(e);
			assert_int_equal(e->action, TS_EVENT_END);
			assert_string_equal(e->cause, "truce");
		}
	}
	assert_int_equal(w->minst[made(w, "us_ban@NL", "NL")].end, 5);
	assert_int_equal(w->minst[0].end, 5);
	ts_sim_free(w);
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_aligned_ally_follows_at_once_and_an_unaligned_one_never),
		cmocka_unit_test(without_pressure_no_ally_follows),
		cmocka_unit_test(an_allys_copy_ends_when_its_original_is_lifted_early),
	};
	return cmocka_run_group_tests_name("alliances", tests, NULL, NULL);
}
