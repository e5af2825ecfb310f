/* Retaliation rules (sim/model/rules.c; docs/model.md §10): the textbook
 * behaviour of each kind, noise, and what rules may not do. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include "policy_world.h"

static void tit_for_tat_answers_an_always_hostile_rival_from_the_step_after_its_first_act(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", CN_TFT, US_BAN_FROM_2 CN_GOV, ""));
	assert_int_equal(s->n_dynamic_measures, 1);
	ts_sim *w = sim_new(s, 7);
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		assert_int_equal(active_made(w, "cn_gov", "CN"), t >= 3);
		if (t == 3) {
			const ts_event *e = event_of(w, made(w, "cn_gov", "CN"));
			assert_non_null(e);
			assert_int_equal(e->action, TS_EVENT_START);
			assert_string_equal(e->cause, "us_ban");  /* what it answers */
		}
		assert_int_equal(w->stance[country(w, "CN") * w->nc + country(w, "US")],
				 t >= 3 ? TS_STANCE_DEFECT : TS_STANCE_COOPERATE);
	}
	assert_int_equal(w->n_minst, w->nm + 1);  /* one slot, in force throughout */
	ts_sim_free(w);
	ts_scenario_free(s);
}


static void tit_for_tat_against_tit_for_tat_never_acts_without_noise(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world(US_TFT, CN_TFT, US_GOV CN_GOV, ""));
	assert_int_equal(s->n_dynamic_measures, 2);
	ts_sim *w = sim_new(s, 7);
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		assert_int_equal(w->n_minst, w->nm);  /* no instance ever made */
		assert_int_equal(w->stance[country(w, "US") * w->nc + country(w, "CN")], TS_STANCE_COOPERATE);
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* The rival's act lasts two steps (2 and 3). */
static void grim_trigger_never_forgives_while_tit_for_tat_does(void **state)
{
	(void)state;
#define US_TWO_STEPS "  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; end = 4; };\n"
	ts_scenario *grim = tu_load(world("", "rules = ( { rival = \"US\"; kind = \"grim_trigger\"; menu = [\"cn_gov\"]; } );",
					  US_TWO_STEPS CN_GOV, ""));
	ts_scenario *tft = tu_load(world("", CN_TFT, US_TWO_STEPS CN_GOV, ""));
	ts_sim *g = sim_new(grim, 7), *f = sim_new(tft, 7);
	for (int t = 0; t < grim->run.steps; t++) {
		step(g);
		step(f);
		assert_int_equal(active_made(g, "cn_gov", "CN"), t >= 3);
		assert_int_equal(active_made(f, "cn_gov", "CN"), t == 3 || t == 4);
	}
	ts_sim_free(g);
	ts_sim_free(f);
	ts_scenario_free(grim);
	ts_scenario_free(tft);
}

/* Share of steps with any rule-made measure in force, over `seeds` runs. */
static void share_at_war(const ts_scenario *s, int seeds, double *mean, double *se)
{
	double sum = 0.0, sum2 = 0.0;
	for (int r = 0; r < seeds; r++) {
		ts_sim *w = sim_new(s, (uint32_t)(1000 + r));
		int at_war = 0;
		for (int t = 0; t < s->run.steps; t++) {
			step(w);
			at_war += n_made_in_force(w) > 0;
		}
		double share = (double)at_war / s->run.steps;
		sum += share;
		sum2 += share * share;
		ts_sim_free(w);
	}
	*mean = sum / seeds;
	double var = (sum2 - seeds * *mean * *mean) / (seeds - 1);
	*se = sqrt(fmax(var, 0.0) / seeds);
}

/* Axelrod's point under noise (DESIGN notes): one misperception sets two
 * tit-for-tat players echoing each other's retaliation until another
 * error; generous tit-for-tat forgives its way back to peace. */
static void with_noise_tit_for_tat_echoes_and_generous_tit_for_tat_recovers(void **state)
{
	(void)state;
	const char *tail = "";
	char us_tft[256], cn_tft[256], us_gtft[256], cn_gtft[256];
	snprintf(us_tft, sizeof us_tft, "rules = ( { rival = \"CN\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; noise_per_year = 0.20517317755020215; } );");
	snprintf(cn_tft, sizeof cn_tft, "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; noise_per_year = 0.20517317755020215; } );");
	snprintf(us_gtft, sizeof us_gtft, "rules = ( { rival = \"CN\"; kind = \"generous_tit_for_tat\"; menu = [\"us_gov\"]; noise_per_year = 0.20517317755020215; } );");
	snprintf(cn_gtft, sizeof cn_gtft, "rules = ( { rival = \"US\"; kind = \"generous_tit_for_tat\"; menu = [\"cn_gov\"]; noise_per_year = 0.20517317755020215; } );");
	char *a = strdup(world(us_tft, cn_tft, US_GOV CN_GOV, tail));
	char *b = strdup(world(us_gtft, cn_gtft, US_GOV CN_GOV, tail));
	ts_scenario *tft = tu_load(a), *gtft = tu_load(b);
	double m_tft, se_tft, m_gtft, se_gtft;
	share_at_war(tft, 100, &m_tft, &se_tft);
	share_at_war(gtft, 100, &m_gtft, &se_gtft);
	double z = (m_tft - m_gtft) / sqrt(se_tft * se_tft + se_gtft * se_gtft);
	print_message("share of steps at war: TFT %.3f (SE %.3f), GTFT %.3f (SE %.3f), %.1f SEs apart\n",
		      m_tft, se_tft, m_gtft, se_gtft, z);
	assert_true(z > 5.0);
	free(a);
	free(b);
	ts_scenario_free(tft);
	ts_scenario_free(gtft);
}

static void proportional_answers_larger_damage_with_more_menu_measures(void **state)
{
	(void)state;
	const char *rule = "rules = ( { rival = \"US\"; kind = \"proportional\"; menu = [\"cn_gov\", \"cn_infra\", \"cn_priv\"]; } );";
	ts_scenario *small = tu_load(world("", rule, CN_GOV CN_INFRA CN_PRIV
		"  us_small = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\"; start = 2; };\n", ""));
	ts_scenario *large = tu_load(world("", rule, CN_GOV CN_INFRA CN_PRIV US_BAN_FROM_2, ""));
	ts_sim *ws = sim_new(small, 7), *wl = sim_new(large, 7);
	for (int t = 0; t < small->run.steps; t++) {
		step(ws);
		step(wl);
		if (t < 3) {
			assert_int_equal(n_made_in_force(ws), 0);
			assert_int_equal(n_made_in_force(wl), 0);
		}
	}
	int us = country(ws, "US"), cn = country(ws, "CN");
	print_message("damage to CN per step: small %.3f, large %.3f; answers: %d, %d measures\n",
		      ws->damage[cn * ws->nc + us], wl->damage[cn * wl->nc + us], n_made_in_force(ws),
		      n_made_in_force(wl));
	assert_true(wl->damage[cn * wl->nc + us] > ws->damage[cn * ws->nc + us]);
	assert_int_equal(n_made_in_force(ws), 1);
	assert_int_equal(n_made_in_force(wl), 3);
	ts_sim_free(ws);
	ts_sim_free(wl);
	ts_scenario_free(small);
	ts_scenario_free(large);
}

static void escalate_adds_one_measure_per_consecutive_hostile_step_up_to_its_cap(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("",
		"rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_infra\", \"cn_priv\", \"cn_q\"]; cap = 3; } );",
		US_BAN_FROM_2 CN_GOV CN_INFRA CN_PRIV CN_Q, ""));
	ts_sim *w = sim_new(s, 7);
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		int streak = t >= 3 ? t - 2 : 0;
		assert_int_equal(n_made_in_force(w), streak < 3 ? streak : 3);
	}
	assert_int_equal(made(w, "cn_q", "CN"), -1);  /* beyond the cap */
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* A rule with nothing to answer draws from the policy's own stream: the
 * firms' R&D draws, and so the whole run, are unchanged. */
static void a_rule_that_never_acts_changes_nothing(void **state)
{
	(void)state;
	char *plain = strdup(world("", "", "", ""));
	ts_scenario *a = tu_load(plain);
	ts_scenario *b = tu_load(world("rules = ( { rival = \"CN\"; kind = \"generous_tit_for_tat\"; menu = [\"us_gov\"]; } );",
				       "", US_GOV, ""));
	ts_sim *wa = sim_new(a, 11), *wb = sim_new(b, 11);
	for (int t = 0; t < a->run.steps; t++) {
		step(wa);
		step(wb);
		for (int i = 0; i < wa->nf; i++) {
			assert_true(wa->tech[i] == wb->tech[i]);
			assert_true(wa->revenue[i] == wb->revenue[i]);
		}
	}
	ts_sim_free(wa);
	ts_sim_free(wb);
	ts_scenario_free(a);
	ts_scenario_free(b);
	free(plain);
}

static void the_same_seed_gives_identical_runs_with_rules_and_noise(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world(
		"rules = ( { rival = \"CN\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; noise_per_year = 0.8925742052568391; } );",
		"rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_infra\"]; noise_per_year = 0.8925742052568391; } );",
		US_GOV CN_GOV CN_INFRA, ""));
	ts_sim *a = sim_new(s, 99), *b = sim_new(s, 99);
	int acted = 0;
	for (int t = 0; t < s->run.steps; t++) {
		step(a);
		step(b);
		assert_int_equal(a->n_minst, b->n_minst);
		assert_int_equal(a->n_events, b->n_events);
		for (int j = 0; j < a->n_minst; j++) {
			assert_int_equal(a->minst[j].start, b->minst[j].start);
			assert_int_equal(a->minst[j].end, b->minst[j].end);
			assert_int_equal(a->minst[j].active, b->minst[j].active);
		}
		for (int x = 0; x < a->nc * a->nc; x++) {
			assert_true(a->tension[x] == b->tension[x]);
			assert_true(a->damage_cum[x] == b->damage_cum[x]);
		}
		for (int i = 0; i < a->nf; i++)
			assert_true(a->revenue[i] == b->revenue[i] && a->tech[i] == b->tech[i]);
		acted += n_made_in_force(a);
	}
	assert_true(acted > 0);  /* noise made them act */
	ts_sim_free(a);
	ts_sim_free(b);
	ts_scenario_free(s);
}


/* A lifted measure stays lifted: rules may not restart it. */
static void a_rule_cannot_restart_what_a_deal_lifted(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", CN_TFT, US_BAN_FROM_2 CN_GOV,
		"deals = { truce = { lifts = [\"us_ban\", \"cn_gov\"]; earliest = 8; }; };\n"));
	ts_sim *w = sim_new(s, 7);
	int truce = -1;
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		if (truce < 0 && w->deal_step[0] >= 0)
			truce = w->deal_step[0];
		assert_int_equal(active_made(w, "cn_gov", "CN"), t >= 3 && (truce < 0 || t < truce));
	}
	assert_int_equal(truce, 8);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* negotiate: once each side has received more than loss_threshold from the
 * other, the country lifts its own measures against the rival. */
static void negotiate_lifts_its_own_measures_once_both_sides_are_hurt(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", "rules = ( { rival = \"US\"; kind = \"negotiate\"; loss_threshold = 0.5; } );",
				       DEAL_MEASURES, ""));
	ts_sim *w = sim_new(s, 7);
	int us = country(w, "US"), cn = country(w, "CN"), expected = -1;
	for (int t = 0; t < s->run.steps; t++) {
		if (expected < 0 && w->damage_cum[us * w->nc + cn] > 0.5 && w->damage_cum[cn * w->nc + us] > 0.5)
			expected = t;
		step(w);
	}
	assert_true(expected > 1);
	assert_int_equal(w->minst[1].end, expected);  /* cn_apple */
	assert_string_equal(w->minst[1].end_cause, "negotiated");
	assert_int_equal(w->minst[0].end, INT_MAX);   /* the US keeps its control */
	assert_int_equal(w->n_minst, w->nm);
	ts_sim_free(w);
	ts_scenario_free(s);
}


/* ---- generous tit for tat's forgiveness (docs/model.md §10) ---- */

#define CN_GTFT(forgive) \
	"rules = ( { rival = \"US\"; kind = \"generous_tit_for_tat\"; menu = [\"cn_gov\"]; forgive_per_year = " forgive "; } );"

/* Steps 3..19 on which CN's answer to the US ban (from step 2) is in force,
 * summed over seeds 1..seeds; fails if it is ever in force before step 3. */
static int steps_retaliating(const char *rule, int seeds)
{
	ts_scenario *s = tu_load(world("", rule, US_BAN_FROM_2 CN_GOV, ""));
	int total = 0;
	for (int seed = 1; seed <= seeds; seed++) {
		ts_sim *w = sim_new(s, (uint32_t)seed);
		for (int t = 0; t < s->run.steps; t++) {
			step(w);
			int on = active_made(w, "cn_gov", "CN");
			assert_true(t >= 3 || !on);
			total += on;
		}
		ts_sim_free(w);
	}
	ts_scenario_free(s);
	return total;
}

static void generous_tit_for_tat_that_always_forgives_never_retaliates(void **state)
{
	(void)state;
	assert_int_equal(steps_retaliating(CN_GTFT("1e6"), 20), 0);  /* 1 - exp(-250000) a quarter */
}

static void generous_tit_for_tat_that_never_forgives_answers_every_hostile_step(void **state)
{
	(void)state;
	assert_int_equal(steps_retaliating(CN_GTFT("0"), 20), 20 * 17);
}

/* Each hostile step, the rule forgives with probability 1 - exp(-forgive_per_year
 * dt): forgive_per_year = -4 ln(0.75) = 1.1507282898071236 is 0.25 a quarter; over 100 seeds x 17 hostile steps (3..19), 1700 draws, the
 * share retaliating is 0.75 with standard error sqrt(0.75 x 0.25 / 1700)
 * = 0.0105; within 5 of them, 0.0525 (a false failure below 1e-6). A rule
 * that forgave with probability 1 - forgive would give 0.25. */
static void generous_tit_for_tat_retaliates_with_probability_one_minus_forgive(void **state)
{
	(void)state;
	double share = steps_retaliating(CN_GTFT("1.1507282898071236"), 100) / 1700.0;
	print_message("share of hostile steps answered: %.4f (expected 0.75)\n", share);
	assert_double_equal(share, 0.75, 0.0525);
}

/* ---- known values: two mirror countries with rules ---- */

/* The mirror world of policy_world.h (A and B spend 100 a quarter on
 * phones; XA and XB are alike and sell 50 of each market before any
 * measure) with chips: both phone makers buy their chips (30% of unit cost)
 * from A's chip maker CA; XB refuses to hand over source code. A's phone
 * market is half government, half private (25 of XB's 50 in each). B bars
 * XA from its market from step 0, so A loses 50 a step (§10). V, a car
 * maker of A with no market, only buys chips from CA after everyone else.
 * `a_rule` and `b_rule` go into A's and B's groups, `measures` into the
 * measures; rule_mirror() sets the size of each market, bn USD a year. */
static ts_sim *rule_mirror(ts_scenario **out, double size_a, double size_b, const char *a_rule, const char *b_rule,
			   const char *measures)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "run = { steps = 6; start = \"2020Q1\"; };\n"
		 "model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		 "countries = { A = { markets = { phones = { size = %.17g; government = 0.5; }; }; %s };\n"
		 "              B = { markets = { phones = { size = %.17g; }; }; %s }; };\n"
		 "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; cars = { inputs = { chips = 0.2; }; }; };\n"
		 "firms = { CA = { country = \"A\"; sector = \"chips\"; capacity = 1000.0; };\n"
		 "          XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { CA = 1.0; }; }; };\n"
		 "          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; suppliers = { chips = { CA = 1.0; }; };\n"
		 "                 refuses = [\"source_code\"]; };\n"
		 "          V = { country = \"A\"; sector = \"cars\"; capacity = 1000.0; suppliers = { chips = { CA = 1.0; }; }; }; };\n"
		 "measures = { b_ban = { type = \"market_ban\"; actor = \"B\"; target = \"XA\"; start = 0; };\n%s};\n",
		 size_a, a_rule, size_b, b_rule, measures);
	*out = tu_load(text);
	return sim_new(*out, 1);
}

static ts_sim *mirror_with_rules(ts_scenario **out, const char *a_rule, const char *b_rule, const char *measures)
{
	return rule_mirror(out, 400.0, 400.0, a_rule, b_rule, measures);
}

/* How many measures of `menu` A's proportional rule (ratio `ratio`) toward
 * B puts in force at step 1, its first answer, read from step 0. */
static int first_answer(const char *ratio, const char *menu, const char *measures)
{
	char rule[512];
	snprintf(rule, sizeof rule, "rules = ( { rival = \"B\"; kind = \"proportional\"; ratio = %s; menu = [%s]; } );",
		 ratio, menu);
	ts_scenario *s = NULL;
	ts_sim *w = mirror_with_rules(&s, rule, "", measures);
	step(w);
	step(w);
	int n = n_made_in_force(w);
	ts_sim_free(w);
	ts_scenario_free(s);
	return n;
}

/* A's answers on call, each against B or its firm XB. A ban on XB takes
 * its 25 + 25 in A's two segments, 50; a tariff or a compliance cost of
 * 0.6 takes 0.6 x 50 = 30; source code, which XB refuses, shuts it out of
 * A: 50. */
#define A_BAN "a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"XB\"; };\n"
#define A_TARIFF(id) "" id " = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.6; };\n"
#define A_AUDIT(id, requirement) \
	"" id " = { type = \"compliance\"; actor = \"A\"; target = \"B\"; requirement = \"" requirement "\"; cost = 0.6; };\n"
#define A_CONTROL "ctl = { type = \"export_control\"; actor = \"A\"; target = \"B\"; };\n"
#define A_LICENSED_CONTROL "ctl = { type = \"export_control\"; actor = \"A\"; target = \"B\"; licence_share = 0.2; };\n"

/* §10: A's damage in step 0 is 50, and a ban on XB bites 50 (the mirror
 * image: the same number): the first measure meets the goal, and the
 * answer stops there. */
static void a_proportional_answer_stops_at_the_first_measure_whose_bite_meets_the_damage(void **state)
{
	(void)state;
	assert_int_equal(first_answer("1.0", "\"a_ban\", \"t1\"", A_BAN A_TARIFF("t1")), 1);
}

/* §10: bites add up in menu order: tariffs biting 30 each reach the 50 of
 * damage with the second, 30 + 30 = 60, so two are put in force, not
 * three. */
static void a_proportional_answer_adds_the_bites_of_its_measures_in_menu_order(void **state)
{
	(void)state;
	assert_int_equal(first_answer("1.0", "\"t1\", \"t2\", \"t3\"", A_TARIFF("t1") A_TARIFF("t2") A_TARIFF("t3")), 2);
}

/* §10: a compliance demand bites `cost` x the sales of a firm that meets
 * it (30: two needed for 50), all the sales of one that refuses (50: one
 * is enough). */
static void a_compliance_demand_bites_its_cost_or_all_the_sales_of_a_refuser(void **state)
{
	(void)state;
	assert_int_equal(first_answer("1.0", "\"c1\", \"c2\", \"a_ban\"",
				      A_AUDIT("c1", "certification") A_AUDIT("c2", "certification") A_BAN), 2);
	assert_int_equal(first_answer("1.0", "\"c3\", \"a_ban\"", A_AUDIT("c3", "source_code") A_BAN), 1);
}

/* §10: an export control bites the target's purchases from the actor at
 * its last step with every input: XB earned 150 in step 0 (all of B's 100,
 * XA being barred, and 50 in A), so it bought chips for 150 / (4/3) x 0.3
 * = 33.75 from CA. That meets a goal of 0.6 x 50 = 30 alone, not one of
 * 0.7 x 50 = 35. A licensed share of the flow is not bitten. */
static void an_export_control_bites_the_targets_purchases_from_the_actor(void **state)
{
	(void)state;
	assert_int_equal(first_answer("0.6", "\"ctl\", \"a_ban\"", A_CONTROL A_BAN), 1);
	assert_int_equal(first_answer("0.7", "\"ctl\", \"a_ban\"", A_CONTROL A_BAN), 2);
	/* With a licence for 20% the control bites 0.8 x 33.75 = 27: enough for
	 * 0.5 x 50 = 25, not for 30. */
	assert_int_equal(first_answer("0.5", "\"ctl\", \"a_ban\"", A_LICENSED_CONTROL A_BAN), 1);
	assert_int_equal(first_answer("0.6", "\"ctl\", \"a_ban\"", A_LICENSED_CONTROL A_BAN), 2);
}

/* §10: a negotiate rule cooperates from the start; a rule of kind none
 * takes no stance. */
static void a_negotiate_rule_cooperates_and_a_rule_of_kind_none_takes_no_stance(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = mirror_with_rules(&s, "rules = ( { rival = \"B\"; kind = \"negotiate\"; loss_threshold = 1000.0; } );",
				      "rules = ( { rival = \"A\"; kind = \"none\"; } );", "");
	step(w);
	assert_int_equal(w->stance[country(w, "A") * w->nc + country(w, "B")], TS_STANCE_COOPERATE);
	assert_int_equal(w->stance[country(w, "B") * w->nc + country(w, "A")], TS_STANCE_NONE);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* Where a negotiate rule of A's with a threshold of 100 lifts A's ban on XB
 * (A and B barring each other's phone maker from step 0) in a mirror world
 * whose markets are `size_a` and `size_b` a year. */
static int negotiated_at(double size_a, double size_b)
{
	ts_scenario *s = NULL;
	ts_sim *w = rule_mirror(&s, size_a, size_b,
				 "rules = ( { rival = \"B\"; kind = \"negotiate\"; loss_threshold = 100.0; } );", "",
				 "a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"XB\"; start = 0; };\n");
	for (int t = 0; t < 5; t++)
		step(w);
	const ts_minst *a_ban = &w->minst[1];  /* scenario measure j is instance j */
	assert_string_equal(a_ban->id, "a_ban");
	assert_string_equal(a_ban->end_cause, "negotiated");
	int end = a_ban->end;
	ts_sim_free(w);
	ts_scenario_free(s);
	return end;
}

/* §10, §11: each side loses half the other's market a step (a quarter of
 * its yearly size): with markets of 400 and 600 a year, A loses 50 a step
 * (50, 100, 150 at the ends of steps 0, 1, 2) and B 75 (75, 150, ...).
 * Negotiating needs both losses strictly above the threshold, 100: A's
 * passes it only at the end of step 2, so the ban ends at step 3, not 2;
 * and the same with the sizes swapped, where B's loss is the one that
 * meets 100 at the end of step 1. */
static void negotiate_needs_both_losses_strictly_above_its_threshold(void **state)
{
	(void)state;
	assert_int_equal(negotiated_at(600.0, 400.0), 3);
	assert_int_equal(negotiated_at(400.0, 600.0), 3);
}

/* §10: tit for tat answers each bout of hostility: the US bars ZTE over
 * steps 2-3 and again over 6-7; China's answer is in force over 3-4 and
 * again over 7-8, in its one slot. */
static void tit_for_tat_answers_again_when_the_rival_turns_hostile_again(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world("", CN_TFT,
		"  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; end = 4; };\n"
		"  us_again = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 6; end = 8; };\n" CN_GOV, ""));
	ts_sim *w = sim_new(s, 7);
	for (int t = 0; t < 12; t++) {
		step(w);
		assert_int_equal(active_made(w, "cn_gov", "CN"), t == 3 || t == 4 || t == 7 || t == 8);
	}
	assert_int_equal(w->n_minst, w->nm + 1);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10, "Time": China escalates against a US ban from 2018Q2 (1 April) with
 * the defaults, reaction 3 months and one more measure every 3 months. A
 * quarterly run sees the ban at the end of 2018Q2 and answers in 2018Q3
 * with cn_gov, adds cn_infra in 2018Q4 and cn_priv in 2019Q1; a monthly
 * run answers three months after the ban's first month, in 2018-07, and
 * adds one measure every third month: so in each month as many measures
 * are in force as in its quarter. */
static void escalation_keeps_the_same_dates_in_monthly_and_quarterly_runs(void **state)
{
	(void)state;
	const char *text = world("", "rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_infra\", \"cn_priv\"]; } );",
				 "  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = \"2018Q2\"; };\n"
				 CN_GOV CN_INFRA CN_PRIV, "");
	ts_scenario *q = tu_load(text), *m = tu_load(monthly(text));
	ts_sim *wq = sim_new(q, 7), *wm = sim_new(m, 7);
	const int expected[] = { 0, 0, 1, 2, 3, 3, 3, 3 };  /* by quarter from 2018Q1 */
	for (int t = 0; t < 24; t++) {
		step(wm);
		if (t % 3 == 0) {
			step(wq);
			assert_int_equal(n_made_in_force(wq), expected[t / 3]);
		}
		if (n_made_in_force(wm) != expected[t / 3])
			fail_msg("month %d: %d measures in force, its quarter %d", t, n_made_in_force(wm), expected[t / 3]);
	}
	ts_sim_free(wq);
	ts_sim_free(wm);
	ts_scenario_free(q);
	ts_scenario_free(m);
}

/* ---- harm (§10): hostility read from the damage received ---- */

/* The mirror world of policy_world.h (each firm sells 50 a quarter in each
 * market) with B's tariff at `rate` on A's firm from step 0, and A's rule
 * toward B (`rule`: the group's settings after the rival) answering with a
 * ban on XB. `step_text` is the run's step ("quarter" or "month"). */
static ts_sim *duty_world(ts_scenario **out, const char *rule, const char *rate, const char *step_text)
{
	char text[4096];
	int monthly_run = strcmp(step_text, "month") == 0;
	snprintf(text, sizeof text,
		 "run = { steps = %d; start = \"%s\"; step = \"%s\"; };\n"
		 "model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; share_half_life = 0.0; capacity_knee = 0.99; };\n"
		 "countries = { A = { markets = { phones = { size = 400.0; }; };\n"
		 "                    rules = ( { rival = \"B\"; %s menu = [\"a_ban\"]; } ); };\n"
		 "              B = { markets = { phones = { size = 400.0; }; }; }; };\n"
		 "sectors = { phones = { }; };\n"
		 "firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
		 "          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
		 "measures = { duty = { type = \"tariff\"; actor = \"B\"; target = \"A\"; rate = %s; start = 0; };\n"
		 "             a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"XB\"; }; };\n",
		 monthly_run ? 18 : 6, monthly_run ? "2020-01" : "2020Q1", step_text, rule, rate);
	*out = tu_load(text);
	return sim_new(*out, 1);
}

/* Steps (of the first 6 quarters, or 18 months) at which A's rule has its
 * answer in force, as a bit mask. */
static unsigned answered_steps(const char *rule, const char *rate, const char *step_text)
{
	ts_scenario *s = NULL;
	ts_sim *w = duty_world(&s, rule, rate, step_text);
	unsigned mask = 0;
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		mask |= (unsigned)(n_made_in_force(w) > 0) << t;
	}
	ts_sim_free(w);
	ts_scenario_free(s);
	return mask;
}

/* Issue 10: a 0% tariff does no harm (its duty is 0 x the sales), so no
 * rule that reads hostility answers it; a 50% one does, from step 1 (the
 * rule reads the end of step 0, a quarter before). */
static void a_zero_tariff_provokes_no_retaliation_and_a_large_one_does_under_every_rule_kind(void **state)
{
	(void)state;
	const char *rules[] = {
		"kind = \"tit_for_tat\";", "kind = \"generous_tit_for_tat\"; forgive_per_year = 0.0;",
		"kind = \"grim_trigger\";", "kind = \"proportional\";", "kind = \"escalate\";",
	};
	for (size_t k = 0; k < sizeof rules / sizeof rules[0]; k++) {
		unsigned zero = answered_steps(rules[k], "0.0", "quarter");
		unsigned large = answered_steps(rules[k], "0.5", "quarter");
		print_message("%s: steps answered at 0%%: %#x, at 50%%: %#x\n", rules[k], zero, large);
		assert_int_equal(zero, 0u);
		assert_int_equal(large, 0x3eu);  /* steps 1 to 5 */
	}
}

/* §10: B's 25% tariff costs A 6.77248677 a quarter (test_tension.c: XA's
 * duty in B, 100 x 0.512 / 1.512 / 5), 27.0899471 bn USD a year. A rule
 * with a tolerance of 27.0 a year answers it; one of 27.2 does not. */
static void harm_below_the_tolerance_provokes_nothing_and_above_it_does(void **state)
{
	(void)state;
	assert_int_equal(answered_steps("kind = \"tit_for_tat\"; tolerance_bn_usd = 27.0;", "0.25", "quarter"), 0x3eu);
	assert_int_equal(answered_steps("kind = \"tit_for_tat\"; tolerance_bn_usd = 27.2;", "0.25", "quarter"), 0u);
}

/* §10: the tolerance is per year: in monthly steps the harm a step is a
 * third of a quarter's, 27.09 a year all the same, and the same tolerances
 * give the same answers (from month 3: reaction_months 3). */
static void the_tolerance_reads_harm_per_year_whatever_the_step(void **state)
{
	(void)state;
	assert_int_equal(answered_steps("kind = \"tit_for_tat\"; tolerance_bn_usd = 27.0;", "0.25", "month"), 0x3fff8u);
	assert_int_equal(answered_steps("kind = \"tit_for_tat\"; tolerance_bn_usd = 27.2;", "0.25", "month"), 0u);
}

/* A's tariffs on B, on call, at written rates. */
#define A_TARIFF_AT(id, rate) "" id " = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = " rate "; };\n"

/* The rate of A's instance of menu tariff `id`, in force. */
static double made_rate(ts_sim *w, const char *id)
{
	int j = made(w, id, "A");
	assert_true(j >= 0 && w->minst[j].active);
	return w->minst[j].rate;
}

/* §10: B's ban on XA costs A XA's 50 a quarter in B's market of 400 a year
 * (rule_mirror), 25 in one of 200. A proportional rule with ratio 0.5 wants
 * a bite of 25 or 12.5; its 60% tariff on XB would bite 0.6 x 50 = 30, so
 * it comes at 0.6 x 25 / 30 = 0.5 or 0.6 x 12.5 / 30 = 0.25: the answer
 * grows with the harm. With ratio 1 the goal, 50, is above the bite at the
 * written rate: the tariff comes at that rate, 0.6, a ceiling. */
static void a_proportional_tariff_is_sized_to_ratio_times_the_harm_up_to_its_written_rate(void **state)
{
	(void)state;
	const double size_b[] = { 400.0, 200.0, 400.0 }, expect[] = { 0.5, 0.25, 0.6 };
	const char *rules[] = {
		"rules = ( { rival = \"B\"; kind = \"proportional\"; ratio = 0.5; menu = [\"t1\"]; } );",
		"rules = ( { rival = \"B\"; kind = \"proportional\"; ratio = 0.5; menu = [\"t1\"]; } );",
		"rules = ( { rival = \"B\"; kind = \"proportional\"; ratio = 1.0; menu = [\"t1\"]; } );",
	};
	for (int k = 0; k < 3; k++) {
		ts_scenario *s = NULL;
		ts_sim *w = rule_mirror(&s, 400.0, size_b[k], rules[k], "", A_TARIFF_AT("t1", "0.6"));
		step(w);
		step(w);
		int a = country(w, "A"), b = country(w, "B"), xb = ts_scenario_firm_index(s, "XB");
		print_message("damage %.6f, rate %.6f\n", w->damage[a * w->nc + b], made_rate(w, "t1"));
		assert_double_equal(made_rate(w, "t1"), expect[k], 1e-9);
		assert_double_equal(w->tariff_rate[a * w->nf + xb], expect[k], 1e-9);
		if (k == 0) {
			/* Step 2: under its own 50% tariff XB earned 100 x 1.5^-3 / (1 + 1.5^-3)
			 * / 1.5 = 15.24 in A, so the 25 needs 25 / 15.24 = 1.64 > 0.6: the
			 * tariff in force is resized to its ceiling, and the wedge follows. */
			step(w);
			assert_double_equal(made_rate(w, "t1"), 0.6, 1e-12);
			assert_double_equal(w->tariff_rate[a * w->nf + xb], 0.6, 1e-12);
		}
		ts_sim_free(w);
		ts_scenario_free(s);
	}
}

/* §10: escalate with factor 2 and cap 2, menu 10% and 20% tariffs, against
 * B's ban from step 0, one interval a quarter: step 1, the first at its
 * written 0.1; step 2, one further interval: both, x 2: 0.2 and 0.4 (0.6 on
 * XB); step 3 on, the cap: factor^(cap - 1) = 2 at most, 0.6 still. */
static void escalate_multiplies_its_tariffs_rate_by_its_factor_per_interval_up_to_its_cap(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = rule_mirror(&s, 400.0, 400.0,
				"rules = ( { rival = \"B\"; kind = \"escalate\"; factor = 2.0; cap = 2; menu = [\"t1\", \"t2\"]; } );",
				"", A_TARIFF_AT("t1", "0.1") A_TARIFF_AT("t2", "0.2"));
	int a = country(w, "A"), xb = ts_scenario_firm_index(s, "XB");
	const double total[] = { 0.0, 0.1, 0.6, 0.6, 0.6, 0.6 };
	for (int t = 0; t < s->run.steps; t++) {
		step(w);
		assert_double_equal(w->tariff_rate[a * w->nf + xb], total[t], 1e-12);
		if (t >= 2) {
			assert_double_equal(made_rate(w, "t1"), 0.2, 1e-12);
			assert_double_equal(made_rate(w, "t2"), 0.4, 1e-12);
		}
	}
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* §10: a menu tariff the scenario disabled is skipped when the answer is
 * sized: the next one takes the whole goal, 25 of a bite of 30 at its
 * written 0.6, so 0.5 (as in the test above). */
static void a_proportional_answer_sizes_the_first_menu_measure_it_may_use(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_sim *w = rule_mirror(&s, 400.0, 400.0,
				"rules = ( { rival = \"B\"; kind = \"proportional\"; ratio = 0.5; menu = [\"t0\", \"t1\"]; } );", "",
				"t0 = { type = \"tariff\"; actor = \"A\"; target = \"B\"; rate = 0.6; enabled = false; };\n"
				A_TARIFF_AT("t1", "0.6"));
	step(w);
	step(w);
	assert_int_equal(made(w, "t0", "A"), -1);
	assert_double_equal(made_rate(w, "t1"), 0.5, 1e-9);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* docs/scenario.md: tolerance_bn_usd is >= 0 and belongs to the rules that
 * watch the rival. */
static void a_tolerance_is_non_negative_and_only_for_rules_that_watch_the_rival(void **state)
{
	(void)state;
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; tolerance_bn_usd = -1.0; } );", CN_GOV, ""),
			     "tolerance_bn_usd: expected a number >= 0", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"negotiate\"; tolerance_bn_usd = 1.0; } );", "", ""),
			     "'tolerance_bn_usd' applies to the rules that watch the rival", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tit_for_tat_answers_an_always_hostile_rival_from_the_step_after_its_first_act),
		cmocka_unit_test(tit_for_tat_against_tit_for_tat_never_acts_without_noise),
		cmocka_unit_test(grim_trigger_never_forgives_while_tit_for_tat_does),
		cmocka_unit_test(with_noise_tit_for_tat_echoes_and_generous_tit_for_tat_recovers),
		cmocka_unit_test(proportional_answers_larger_damage_with_more_menu_measures),
		cmocka_unit_test(escalate_adds_one_measure_per_consecutive_hostile_step_up_to_its_cap),
		cmocka_unit_test(a_rule_that_never_acts_changes_nothing),
		cmocka_unit_test(the_same_seed_gives_identical_runs_with_rules_and_noise),
		cmocka_unit_test(a_rule_cannot_restart_what_a_deal_lifted),
		cmocka_unit_test(negotiate_lifts_its_own_measures_once_both_sides_are_hurt),
		cmocka_unit_test(generous_tit_for_tat_that_always_forgives_never_retaliates),
		cmocka_unit_test(generous_tit_for_tat_that_never_forgives_answers_every_hostile_step),
		cmocka_unit_test(generous_tit_for_tat_retaliates_with_probability_one_minus_forgive),
		cmocka_unit_test(a_proportional_answer_stops_at_the_first_measure_whose_bite_meets_the_damage),
		cmocka_unit_test(a_proportional_answer_adds_the_bites_of_its_measures_in_menu_order),
		cmocka_unit_test(a_compliance_demand_bites_its_cost_or_all_the_sales_of_a_refuser),
		cmocka_unit_test(an_export_control_bites_the_targets_purchases_from_the_actor),
		cmocka_unit_test(a_negotiate_rule_cooperates_and_a_rule_of_kind_none_takes_no_stance),
		cmocka_unit_test(negotiate_needs_both_losses_strictly_above_its_threshold),
		cmocka_unit_test(tit_for_tat_answers_again_when_the_rival_turns_hostile_again),
		cmocka_unit_test(escalation_keeps_the_same_dates_in_monthly_and_quarterly_runs),
		cmocka_unit_test(a_zero_tariff_provokes_no_retaliation_and_a_large_one_does_under_every_rule_kind),
		cmocka_unit_test(harm_below_the_tolerance_provokes_nothing_and_above_it_does),
		cmocka_unit_test(the_tolerance_reads_harm_per_year_whatever_the_step),
		cmocka_unit_test(a_proportional_tariff_is_sized_to_ratio_times_the_harm_up_to_its_written_rate),
		cmocka_unit_test(escalate_multiplies_its_tariffs_rate_by_its_factor_per_interval_up_to_its_cap),
		cmocka_unit_test(a_tolerance_is_non_negative_and_only_for_rules_that_watch_the_rival),
		cmocka_unit_test(a_proportional_answer_sizes_the_first_menu_measure_it_may_use),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
