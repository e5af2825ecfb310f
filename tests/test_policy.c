/* The loader's retaliation rules and deals (sim/scenario/rules.c,
 * sim/scenario/policy.c; docs/scenario.md, "rules" and "deals"): defaults
 * and diagnostics. What rules, deals, alliances and tension do in a run is
 * in test_rules.c, test_deals.c, test_alliances.c and test_tension.c. */
#include <math.h>
#include "scenario/policy.h"
#include "scenario/spec.h"
#include "policy_world.h"

static void rules_and_deals_load_with_their_defaults(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world(
		"rules = ( { rival = \"CN\"; kind = \"generous_tit_for_tat\"; menu = [\"us_gov\"]; },\n"
		"          { rival = \"JP\"; kind = \"negotiate\"; } );",
		"rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_q\"]; noise_per_year = 0.1; } );",
		US_GOV CN_GOV CN_Q,
		"deals = { d = { lifts = [\"cn_gov\"]; }; };\n"));
	assert_int_equal(s->n_rules, 3);
	assert_int_equal(s->n_dynamic_measures, 3);
	const ts_rule_spec *g = &s->rules[0], *n = &s->rules[1], *e = &s->rules[2];
	assert_int_equal(g->kind, TS_RULE_GENEROUS_TFT);
	assert_double_equal(g->forgive_per_year, -4.0 * log(2.0 / 3.0), 1e-15);  /* 1/3 a quarter */
	assert_double_equal(g->noise_per_year, 0.0, 0.0);
	assert_int_equal(n->kind, TS_RULE_NEGOTIATE);
	assert_int_equal(n->n_menu, 0);
	assert_double_equal(n->loss_threshold, 1.0, 0.0);
	assert_int_equal(e->kind, TS_RULE_ESCALATE);
	assert_int_equal(e->cap, 2);
	assert_double_equal(e->factor, 1.5, 0.0);
	assert_double_equal(e->noise_per_year, 0.1, 0.0);
	assert_double_equal(e->interval_months, 3.0, 0.0);
	assert_string_equal(s->deals[0].id, "d");
	assert_int_equal(s->deals[0].earliest, 0);
	assert_int_equal(s->deals[0].side_a, ts_scenario_country_index(s, "CN"));
	assert_int_equal(s->deals[0].side_b, ts_scenario_country_index(s, "US"));
	assert_double_equal(s->model.tension_memory_per_year, 0.4096, 0.0);  /* 0.8 a quarter */
	ts_scenario_free(s);
}

static void a_misspelt_rule_kind_gets_a_did_you_mean(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tit\"; menu = [\"cn_gov\"]; } );", CN_GOV, ""),
		     "test.cfg:6: countries.CN.rules[0].kind: unknown rule kind \"tit_for_tit\" (did you mean 'tit_for_tat'?)", NULL);
}

static void a_country_cannot_be_its_own_rival(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"CN\"; kind = \"none\"; } );", "", ""),
		     "test.cfg:6:", "rival: a country cannot be its own rival ('CN')", NULL);
}

static void two_rules_toward_one_rival_are_an_error(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; },\n"
			   "          { rival = \"US\"; kind = \"none\"; } );", CN_GOV, ""),
		     "test.cfg:7:", "rules[1].rival: a second rule toward 'US' (the first is at line 6)", NULL);
}

static void a_menu_lists_only_measures_on_call(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_now\"]; } );",
			   "  cn_now = { type = \"market_ban\"; actor = \"CN\"; target = \"Apple\"; start = 1; };\n", ""),
		     "countries.CN.rules[0].menu[0]: measure 'cn_now' has a start: a menu lists measures on call", NULL);
}

static void a_menu_lists_only_the_countrys_own_measures_against_the_rival(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; } );", US_GOV, ""),
		     "measure 'us_gov' is imposed by 'US', not by 'CN'", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_sony\"]; } );",
			   "  cn_sony = { type = \"market_ban\"; actor = \"CN\"; target = \"Sony\"; };\n", ""),
		     "measure 'cn_sony' targets 'JP', not the rival 'US' or its firms", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gvo\"]; } );", CN_GOV, ""),
		     "menu[0]: no measure 'cn_gvo' (did you mean 'cn_gov'?)", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\", \"cn_gov\"]; } );", CN_GOV, ""),
		     "menu[1]: measure 'cn_gov' is listed twice", NULL);
}

static void keys_of_other_rule_kinds_are_rejected(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; forgive_per_year = 0.5; } );", CN_GOV, ""),
		     "forgive_per_year: 'forgive_per_year' applies to generous_tit_for_tat only, not to tit_for_tat", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; interval_months = 6; } );", CN_GOV, ""),
		     "interval_months: 'interval_months' applies to escalate only, not to tit_for_tat", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\"]; factor = 1.0; } );", CN_GOV, ""),
		     "factor: expected a number > 1", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; } );", "", ""),
		     "menu: required setting missing", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; nosie = 0.1; } );", CN_GOV, ""),
		     "unknown setting 'nosie' (did you mean 'noise'?)", NULL);
	tu_expect_load_error(world("", "rules = { rival = \"US\"; kind = \"none\"; };", "", ""),
		     "countries.CN.rules: expected a list", NULL);
	tu_expect_load_error(world("", "", "", "model = { tension_memory_per_year = 1.0; };\n"), "model.tension_memory_per_year:", NULL);
}

/* Settings whose unit became one of time name what to write now, converted
 * from the old value at the run's step (quarters here): noise 0.1 a quarter
 * is -4 ln(0.9) = 0.4214 a year; forgive 1/2 a quarter -4 ln(0.5) = 2.773;
 * tension memory 0.8 a quarter keeps 0.8^4 = 0.4096 after a year. */
static void a_setting_renamed_with_its_unit_says_what_to_write_now(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"generous_tit_for_tat\"; menu = [\"cn_gov\"];\n"
				   "            noise = 0.1; forgive = 0.5; } );", CN_GOV, "model = { tension_memory = 0.8; };\n"),
			     "noise: 'noise' is now 'noise_per_year', misperceptions per year: write noise_per_year = 0.4214 (was 0.1 a quarter)",
			     "forgive: 'forgive' is now 'forgive_per_year', a rate per year of forgiving: write forgive_per_year = 2.773 (was 0.5 a quarter)",
			     "model.tension_memory: 'tension_memory' is now 'tension_memory_per_year', the weight kept after a year: "
			     "write tension_memory_per_year = 0.4096 (was 0.8 a quarter)", NULL);
}

static void an_on_call_measure_nothing_uses_is_an_error(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "", CN_GOV, ""),
		     "test.cfg:20: measures.cn_gov: measure 'cn_gov' has no start and no rule or alliance pressure uses it", NULL);
}

static void a_deal_names_existing_measures_between_one_pair(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "", DEAL_MEASURES, "deals = { d = { lifts = [\"us_denail\"]; }; };\n"),
		     "deals.d.lifts[0]: no measure 'us_denail' (did you mean 'us_denial'?)", NULL);
	tu_expect_load_error(world("", "", DEAL_MEASURES "  us_sony = { type = \"market_ban\"; actor = \"US\"; target = \"Sony\"; start = 1; };\n",
			   "deals = { d = { lifts = [\"us_denial\", \"us_sony\"]; }; };\n"),
		     "measure 'us_sony' is between 'US' and 'JP', not between 'US' and 'CN'", NULL);
	tu_expect_load_error(world("", "", DEAL_MEASURES, "deals = { d = { lifts = [\"us_denial\"]; fine = 1.0; }; };\n"),
		     "deals.d.payer: required setting missing", NULL);
	tu_expect_load_error(world("", "", DEAL_MEASURES, "deals = { d = { lifts = [\"us_denial\"]; purchase = 1.0; buyer = \"CN\"; seller = \"JP\"; sector = \"chips\"; }; };\n"),
		     "deals.d.sector: seller 'JP' has no firm in 'chips' to buy from", NULL);
	tu_expect_load_error(world("", "", DEAL_MEASURES, "deals = { d = { lifts = [\"us_denial\"]; purchase = 1.0; buyer = \"JP\"; seller = \"US\"; sector = \"chips\"; }; };\n"),
		     "buyer 'JP' has no market for 'chips'", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_and_deals_load_with_their_defaults),
		cmocka_unit_test(a_misspelt_rule_kind_gets_a_did_you_mean),
		cmocka_unit_test(a_country_cannot_be_its_own_rival),
		cmocka_unit_test(two_rules_toward_one_rival_are_an_error),
		cmocka_unit_test(a_menu_lists_only_measures_on_call),
		cmocka_unit_test(a_menu_lists_only_the_countrys_own_measures_against_the_rival),
		cmocka_unit_test(keys_of_other_rule_kinds_are_rejected),
		cmocka_unit_test(a_setting_renamed_with_its_unit_says_what_to_write_now),
		cmocka_unit_test(an_on_call_measure_nothing_uses_is_an_error),
		cmocka_unit_test(a_deal_names_existing_measures_between_one_pair),
	};
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
