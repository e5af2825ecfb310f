/* Retaliation rules, deals, alliance pressure, tension and anticipation
 * (sim/policy.c, sim/scenario_policy.c; docs/model.md §10-§13): the rules'
 * textbook behaviour, deals' timing and money, an ally's adoption, the
 * tension recursion, and the loader's diagnostics. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "scenario/policy.h"
#include "scenario/spec.h"
#include "model/world.h"

/* US, CN and JP: phones need chips; ZTE buys most of its chips from the
 * US firm Q. `us`, `cn` are spliced into those countries' groups (rules),
 * `measures` into the measures group, `tail` at the end. */
static char text_buf[16384];

static const char *world(const char *us, const char *cn, const char *measures, const char *tail)
{
	snprintf(text_buf, sizeof text_buf,
		 "run = { steps = 20; start = \"2018Q1\"; seed = 7; };\n"
		 "countries = {\n"
		 "  US = { bloc = \"west\"; markets = { chips = { size = 100.0; };\n"
		 "         phones = { size = 300.0; government = 0.1; infrastructure = 0.1; }; }; %s };\n"
		 "  CN = { markets = { chips = { size = 50.0; };\n"
		 "         phones = { size = 400.0; government = 0.1; infrastructure = 0.1; }; }; %s };\n"
		 "  JP = { bloc = \"west\"; markets = { phones = { size = 50.0; }; }; };\n"
		 "};\n"
		 "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		 "firms = {\n"
		 "  Q = { country = \"US\"; sector = \"chips\"; capacity = 300.0; rd_intensity = 0.2; };\n"
		 "  S = { country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -0.5; rd_intensity = 0.1; };\n"
		 "  Apple = { country = \"US\"; sector = \"phones\"; capacity = 400.0; rd_intensity = 0.06;\n"
		 "            suppliers = { chips = { Q = 1.0; }; }; };\n"
		 "  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 400.0; rd_intensity = 0.1;\n"
		 "          suppliers = { chips = { Q = 0.7; S = 0.3; }; }; stockpile = { chips = 0.7; }; };\n"
		 "  Sony = { country = \"JP\"; sector = \"phones\"; capacity = 50.0; suppliers = { chips = { Q = 1.0; }; }; };\n"
		 "};\n"
		 "measures = {\n%s};\n%s",
		 us, cn, measures, tail);
	return text_buf;
}

/* China's answers, on call: bans on Apple segment by segment, and on Q. */
#define CN_GOV "  cn_gov = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"government\"; };\n"
#define CN_INFRA "  cn_infra = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"infrastructure\"; };\n"
#define CN_PRIV "  cn_priv = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"private\"; };\n"
#define CN_Q "  cn_q = { type = \"market_ban\"; actor = \"CN\"; target = \"Q\"; };\n"
/* The US answer, on call. */
#define US_GOV "  us_gov = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\"; };\n"
/* A US ban on ZTE in every US segment from step 2 on. */
#define US_BAN_FROM_2 "  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; };\n"
#define CN_TFT "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; } );"
#define US_TFT "rules = ( { rival = \"CN\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; } );"

static ts_sim *sim_new(const ts_scenario *s, uint32_t seed)
{
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&w, s, seed, &err) != TS_OK)
		fail_msg("ts_sim_alloc: %s", err.message);
	return w;
}

static void step(ts_sim *w)
{
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_step(w, &err) != TS_OK)
		fail_msg("step %d: %s", w->step, err.message);
}

/* Index of the instance made during the run with this id and actor, or -1. */
static int made(const ts_sim *w, const char *id, const char *actor)
{
	int c = ts_scenario_country_index(w->scn, actor);
	for (int j = w->nm; j < w->n_minst; j++)
		if (strcmp(w->minst[j].id, id) == 0 && w->minst[j].actor == c)
			return j;
	return -1;
}

static int active_made(const ts_sim *w, const char *id, const char *actor)
{
	int j = made(w, id, actor);
	return j >= 0 && w->minst[j].active;
}

/* Measures rules and pressure made that are in force this step. */
static int n_made_in_force(const ts_sim *w)
{
	int n = 0;
	for (int j = w->nm; j < w->n_minst; j++)
		n += w->minst[j].active;
	return n;
}

/* The event of this step for instance j, or NULL. */
static const ts_event *event_of(const ts_sim *w, int j)
{
	for (int e = 0; e < w->n_events; e++)
		if (w->events[e].inst == j)
			return &w->events[e];
	return NULL;
}

static int country(const ts_sim *w, const char *id)
{
	return ts_scenario_country_index(w->scn, id);
}

/* ---- rules ---- */

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
	snprintf(us_tft, sizeof us_tft, "rules = ( { rival = \"CN\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; noise = 0.05; } );");
	snprintf(cn_tft, sizeof cn_tft, "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; noise = 0.05; } );");
	snprintf(us_gtft, sizeof us_gtft, "rules = ( { rival = \"CN\"; kind = \"generous_tit_for_tat\"; menu = [\"us_gov\"]; noise = 0.05; } );");
	snprintf(cn_gtft, sizeof cn_gtft, "rules = ( { rival = \"US\"; kind = \"generous_tit_for_tat\"; menu = [\"cn_gov\"]; noise = 0.05; } );");
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
		"rules = ( { rival = \"CN\"; kind = \"tit_for_tat\"; menu = [\"us_gov\"]; noise = 0.2; } );",
		"rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_infra\"]; noise = 0.2; } );",
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

/* ---- alliance pressure ---- */

/* The alliance_pressure kind is read by the measures loader; here its
 * fields are set on a loaded placeholder measure. */
static ts_scenario *pressure_world(double pressure, int delay)
{
	ts_scenario *s = tu_load(
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
		"  press = { type = \"rd_investment\"; actor = \"US\"; budget = 0.0; start = 2; };\n"
		"};\n");
	ts_measure_spec *m = &s->measures[1];
	m->kind = TS_MEASURE_ALLIANCE_PRESSURE;
	m->pressed_measure = 0;
	m->pressure = pressure;
	m->delay = delay;
	m->n_allies = 0;  /* the actor's bloc */
	m->enabled = true;
	s->n_dynamic_measures = ts_policy_dynamic_slots(s);
	return s;
}

static void an_aligned_ally_follows_at_once_and_an_unaligned_one_never(void **state)
{
	(void)state;
	ts_scenario *s = pressure_world(1.0, 2);
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
	ts_scenario *s = pressure_world(0.0, 0);
	ts_sim *w = sim_new(s, 3);
	for (int t = 0; t < s->run.steps; t++)
		step(w);
	assert_int_equal(w->n_minst, w->nm);
	ts_sim_free(w);
	ts_scenario_free(s);
}

/* ---- deals ---- */

#define DEAL_MEASURES \
	"  us_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; start = 1; };\n" \
	"  cn_apple = { type = \"market_ban\"; actor = \"CN\"; target = \"Apple\"; start = 1; };\n"

static const char *deal_text(double fine, double purchase)
{
	static char tail[512];
	snprintf(tail, sizeof tail,
		 "deals = { settle = { lifts = [\"us_denial\", \"cn_apple\"]; earliest = 3; loss_threshold = 0.5;\n"
		 "  fine = %.17g; payer = \"ZTE\"; purchase = %.17g; buyer = \"CN\"; seller = \"US\"; sector = \"chips\";\n"
		 "  purchase_steps = 2; }; };\n", fine, purchase);
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

/* ---- tension and anticipation ---- */

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

static void anticipation_raises_the_stock_target_and_purchases_as_tension_rises(void **state)
{
	(void)state;
	/* A US ban on ZTE's government sales: tension, but no supply cut. */
	const char *text = world("", "",
		"  us_gov = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\"; start = 2; };\n", "");
	ts_scenario *calm = tu_load(text), *wary = tu_load(text);
	int zte = ts_scenario_firm_index(wary, "ZTE"), q = ts_scenario_firm_index(wary, "Q");
	wary->firms[zte].anticipation = 2.0;
	int slot = wary->firms[zte].slot_first;  /* chips */
	ts_sim *a = sim_new(calm, 7), *b = sim_new(wary, 7);
	for (int t = 0; t < 5; t++) {
		step(a);
		step(b);
		if (t <= 2) {  /* tension is 0 until the end of step 2 */
			assert_double_equal(b->stock_target[slot], 0.7, 0.0);
			assert_true(a->input_sales[q] == b->input_sales[q]);
		}
	}
	/* Step 3 read T = 0.2 (lambda 0.8, one measure); step 4 T = 0.36. */
	assert_double_equal(b->stock_target[slot], 0.7 + 2.0 * (1.0 - exp(-0.36)), 1e-12);
	assert_double_equal(a->stock_target[slot], 0.7, 0.0);
	assert_true(b->stock[slot] > a->stock[slot]);
	assert_true(b->input_sales[q] > a->input_sales[q]);
	ts_sim_free(a);
	ts_sim_free(b);
	ts_scenario_free(calm);
	ts_scenario_free(wary);
}

/* ---- loader ---- */


static void rules_and_deals_load_with_their_defaults(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world(
		"rules = ( { rival = \"CN\"; kind = \"generous_tit_for_tat\"; menu = [\"us_gov\"]; },\n"
		"          { rival = \"JP\"; kind = \"negotiate\"; } );",
		"rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\", \"cn_q\"]; noise = 0.1; } );",
		US_GOV CN_GOV CN_Q,
		"deals = { d = { lifts = [\"cn_gov\"]; }; };\n"));
	assert_int_equal(s->n_rules, 3);
	assert_int_equal(s->n_dynamic_measures, 3);
	const ts_rule_spec *g = &s->rules[0], *n = &s->rules[1], *e = &s->rules[2];
	assert_int_equal(g->kind, TS_RULE_GENEROUS_TFT);
	assert_double_equal(g->forgive, 1.0 / 3.0, 1e-15);
	assert_double_equal(g->noise, 0.0, 0.0);
	assert_int_equal(n->kind, TS_RULE_NEGOTIATE);
	assert_int_equal(n->n_menu, 0);
	assert_double_equal(n->loss_threshold, 1.0, 0.0);
	assert_int_equal(e->kind, TS_RULE_ESCALATE);
	assert_int_equal(e->cap, 2);
	assert_double_equal(e->factor, 1.5, 0.0);
	assert_double_equal(e->noise, 0.1, 0.0);
	assert_string_equal(s->deals[0].id, "d");
	assert_int_equal(s->deals[0].earliest, 0);
	assert_int_equal(s->deals[0].side_a, ts_scenario_country_index(s, "CN"));
	assert_int_equal(s->deals[0].side_b, ts_scenario_country_index(s, "US"));
	assert_double_equal(s->model.tension_memory, 0.8, 0.0);
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
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; forgive = 0.5; } );", CN_GOV, ""),
		     "forgive: 'forgive' applies to generous_tit_for_tat only, not to tit_for_tat", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"cn_gov\"]; factor = 1.0; } );", CN_GOV, ""),
		     "factor: expected a number > 1", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; } );", "", ""),
		     "menu: required setting missing", NULL);
	tu_expect_load_error(world("", "rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; nosie = 0.1; } );", CN_GOV, ""),
		     "unknown setting 'nosie' (did you mean 'noise'?)", NULL);
	tu_expect_load_error(world("", "rules = { rival = \"US\"; kind = \"none\"; };", "", ""),
		     "countries.CN.rules: expected a list", NULL);
	tu_expect_load_error(world("", "", "", "model = { tension_memory = 1.0; };\n"), "model.tension_memory:", NULL);
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

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(tit_for_tat_answers_an_always_hostile_rival_from_the_step_after_its_first_act),
	cmocka_unit_test(tit_for_tat_against_tit_for_tat_never_acts_without_noise),
	cmocka_unit_test(grim_trigger_never_forgives_while_tit_for_tat_does),
	cmocka_unit_test(with_noise_tit_for_tat_echoes_and_generous_tit_for_tat_recovers),
	cmocka_unit_test(proportional_answers_larger_damage_with_more_menu_measures),
	cmocka_unit_test(escalate_adds_one_measure_per_consecutive_hostile_step_up_to_its_cap),
	cmocka_unit_test(a_rule_that_never_acts_changes_nothing),
	cmocka_unit_test(the_same_seed_gives_identical_runs_with_rules_and_noise),
	cmocka_unit_test(an_aligned_ally_follows_at_once_and_an_unaligned_one_never),
	cmocka_unit_test(without_pressure_no_ally_follows),
	cmocka_unit_test(a_deal_lifts_its_measures_at_the_first_step_its_condition_holds_and_fines_the_payer),
	cmocka_unit_test(a_deal_purchase_adds_to_the_sellers_sales_for_its_steps),
	cmocka_unit_test(a_rule_cannot_restart_what_a_deal_lifted),
	cmocka_unit_test(negotiate_lifts_its_own_measures_once_both_sides_are_hurt),
	cmocka_unit_test(the_tension_index_follows_its_recursion),
	cmocka_unit_test(anticipation_raises_the_stock_target_and_purchases_as_tension_rises),
	cmocka_unit_test(rules_and_deals_load_with_their_defaults),
	cmocka_unit_test(a_misspelt_rule_kind_gets_a_did_you_mean),
	cmocka_unit_test(a_country_cannot_be_its_own_rival),
	cmocka_unit_test(two_rules_toward_one_rival_are_an_error),
	cmocka_unit_test(a_menu_lists_only_measures_on_call),
	cmocka_unit_test(a_menu_lists_only_the_countrys_own_measures_against_the_rival),
	cmocka_unit_test(keys_of_other_rule_kinds_are_rejected),
	cmocka_unit_test(an_on_call_measure_nothing_uses_is_an_error),
	cmocka_unit_test(a_deal_names_existing_measures_between_one_pair),
};

int main(void)
{
	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
