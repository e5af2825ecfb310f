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

/* §12, "Time": an ally adopts at alignment x pressure_per_year a year,
 * drawn monthly from the pressure's own stream, so runs at any step share
 * the draws: with 2 a year (0.154 a month at NL's alignment 1, 0.080 at
 * JP's 0.5), a quarterly run of the same seed starts each ally's copy at the
 * nearest quarter boundary to the month a monthly run starts it (adopted in
 * a quarter's first two months: that quarter; in its third: the next), for
 * every seed. */
static void a_quarterly_run_adopts_when_a_monthly_run_of_the_seed_does(void **state)
{
	(void)state;
	const char *run_q = "run = { steps = 12; start = \"2020Q1\"; };\n";
	const char *run_m = "run = { steps = 36; start = \"2020-01\"; step = \"month\"; };\n";
	const char *rest =
		"countries = { US = { bloc = \"west\"; markets = { phones = { size = 100.0; }; }; };\n"
		"  CN = { markets = { phones = { size = 100.0; }; }; };\n"
		"  NL = { bloc = \"west\"; alignment = 1.0; markets = { phones = { size = 100.0; }; }; };\n"
		"  JP = { bloc = \"west\"; alignment = 0.5; markets = { phones = { size = 100.0; }; }; }; };\n"
		"sectors = { phones = { }; };\n"
		"firms = { Apple = { country = \"US\"; sector = \"phones\"; capacity = 200.0; };\n"
		"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 200.0; }; };\n"
		"measures = { us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = \"2020Q1\"; };\n"
		"  press = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"us_ban\"; pressure_per_year = 2.0;\n"
		"            start = \"2020Q1\"; }; };\n";
	char text[4096];
	snprintf(text, sizeof text, "%s%s", run_q, rest);
	ts_scenario *q = tu_load(text);
	snprintf(text, sizeof text, "%s%s", run_m, rest);
	ts_scenario *m = tu_load(text);
	int adopted = 0;
	for (uint32_t seed = 1; seed <= 20; seed++) {
		ts_sim *wq = NULL, *wm = NULL;
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(ts_sim_alloc(&wq, q, seed, &err), TS_OK);
		assert_int_equal(ts_sim_alloc(&wm, m, seed, &err), TS_OK);
		for (int t = 0; t < 36; t++) {
			assert_int_equal(ts_sim_step(wm, &err), TS_OK);
			if (t < 12)
				assert_int_equal(ts_sim_step(wq, &err), TS_OK);
		}
		const char *allies[] = { "NL", "JP" };
		for (int k = 0; k < 2; k++) {
			char id[32];
			snprintf(id, sizeof id, "us_ban@%s", allies[k]);
			int jq = made(wq, id, allies[k]), jm = made(wm, id, allies[k]);
			assert_int_equal(jq >= 0, jm >= 0);
			if (jm < 0)
				continue;
			char month[32];
			int expected = -1;
			assert_true(ts_calendar_label(&m->run, wm->minst[jm].start, month, sizeof month));
			assert_true(ts_calendar_parse(&q->run, month, &expected));
			if (wq->minst[jq].start != expected)
				fail_msg("seed %u: %s's monthly copy from %s, quarterly from step %d", seed, allies[k], month,
					 wq->minst[jq].start);
			adopted++;
		}
		ts_sim_free(wq);
		ts_sim_free(wm);
	}
	print_message("%d of 40 allies and seeds adopted within 3 years\n", adopted);
	assert_true(adopted >= 20);
	ts_scenario_free(q);
	ts_scenario_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_aligned_ally_follows_at_once_and_an_unaligned_one_never),
		cmocka_unit_test(without_pressure_no_ally_follows),
		cmocka_unit_test(an_allys_copy_ends_when_its_original_is_lifted_early),
		cmocka_unit_test(a_quarterly_run_adopts_when_a_monthly_run_of_the_seed_does),
	};
	return cmocka_run_group_tests_name("alliances", tests, NULL, NULL);
}
