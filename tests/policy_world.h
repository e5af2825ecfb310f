#ifndef TS_POLICY_WORLD_H
#define TS_POLICY_WORLD_H
/* The world of the policy tests (rules, deals, alliances, tension): US, CN
 * and JP, chips and phones, with helpers to run it and find the measure
 * instances rules and pressure make. */
#include <stdio.h>
#include <string.h>
#include "testutil.h"
#include "model/world.h"

/* US, CN and JP: phones need chips; ZTE buys most of its chips from the
 * US firm Q. `us`, `cn` are spliced into those countries' groups (rules),
 * `measures` into the measures group, `tail` at the end. */
static char text_buf[16384];

static inline const char *world(const char *us, const char *cn, const char *measures, const char *tail)
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
		 "          suppliers = { chips = { Q = 0.7; S = 0.3; }; }; stockpile_months = { chips = 2.1; }; };\n"
		 "  Sony = { country = \"JP\"; sector = \"phones\"; capacity = 50.0; suppliers = { chips = { Q = 1.0; }; }; };\n"
		 "};\n"
		 "measures = {\n%s};\n%s",
		 us, cn, measures, tail);
	return text_buf;
}

/* The world's text (from world()) in monthly steps over the same 5 years:
 * only the run line changes (docs/model.md, "Time"). */
static inline const char *monthly(const char *text)
{
	static char buf[sizeof text_buf];
	const char *run = "run = { steps = 20; start = \"2018Q1\"; seed = 7; };";
	const char *at = strstr(text, run);
	if (!at)
		return text;
	snprintf(buf, sizeof buf, "%.*srun = { steps = 60; start = \"2018-01\"; step = \"month\"; seed = 7; };%s",
		 (int)(at - text), text, at + strlen(run));
	return buf;
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

static inline ts_sim *sim_new(const ts_scenario *s, uint32_t seed)
{
	ts_sim *w = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&w, s, seed, &err) != TS_OK)
		fail_msg("ts_sim_alloc: %s", err.message);
	return w;
}

static inline void step(ts_sim *w)
{
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_step(w, &err) != TS_OK)
		fail_msg("step %d: %s", w->step, err.message);
}

/* Index of the instance made during the run with this id and actor, or -1. */
static inline int made(const ts_sim *w, const char *id, const char *actor)
{
	int c = ts_scenario_country_index(w->scn, actor);
	for (int j = w->nm; j < w->n_minst; j++)
		if (strcmp(w->minst[j].id, id) == 0 && w->minst[j].actor == c)
			return j;
	return -1;
}

static inline int active_made(const ts_sim *w, const char *id, const char *actor)
{
	int j = made(w, id, actor);
	return j >= 0 && w->minst[j].active;
}

/* Measures rules and pressure made that are in force this step. */
static inline int n_made_in_force(const ts_sim *w)
{
	int n = 0;
	for (int j = w->nm; j < w->n_minst; j++)
		n += w->minst[j].active;
	return n;
}

/* The event of this step for instance j, or NULL. */
static inline const ts_event *event_of(const ts_sim *w, int j)
{
	for (int e = 0; e < w->n_events; e++)
		if (w->events[e].inst == j)
			return &w->events[e];
	return NULL;
}

static inline int country(const ts_sim *w, const char *id)
{
	return ts_scenario_country_index(w->scn, id);
}

/* A US control on ZTE and a Chinese ban on Apple, both from step 1. */
#define DEAL_MEASURES \
	"  us_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; start = 1; };\n" \
	"  cn_apple = { type = \"market_ban\"; actor = \"CN\"; target = \"Apple\"; start = 1; };\n"

/* ---- two mirror countries, for values computed by hand ---- */

/* A and B each spend 400 a year, 100 a quarter, on phones; XA (A) and XB
 * (B) are alike; prices flat up to 99% of capacity and no share inertia
 * (docs/model.md §5), so that the values stay simple (no home bias, same tech and cost), so each sells 50 in
 * each market before any measure. With MIRROR_BANS each bans the other's
 * firm from step 0: each side's damage is then the banned firm's share at
 * its last step allowed, 0.5, times the demand, 100: 50 a step, so its loss
 * at the end of step t is 50 (t + 1). `measures` may add to or replace the bans;
 * `deal` is the body of deals.truce ("" for none). */
static inline ts_sim *mirror(ts_scenario **out, double capacity_xa, const char *measures, const char *deal)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "run = { steps = 8; start = \"2020Q1\"; };\n"
		 "model = { innovation_zeta = 0.0; imitation_zeta = 0.0; capacity_depreciation = 0.0; capacity_profit_share = 0.0; share_half_life = 0.0; capacity_knee = 0.99; };\n"
		 "countries = { A = { markets = { phones = { size = 400.0; }; }; };\n"
		 "              B = { markets = { phones = { size = 400.0; }; }; }; };\n"
		 "sectors = { phones = { }; };\n"
		 "firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = %.17g; };\n"
		 "          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
		 "measures = { %s };\n"
		 "%s%s%s",
		 capacity_xa, measures, *deal ? "deals = { truce = { " : "", deal, *deal ? " }; };\n" : "");
	*out = tu_load(text);
	return sim_new(*out, 1);
}

/* The mirror world with markets of `size_a` and `size_b` bn USD a year
 * (mirror() has 400 each): each side's loss to a ban is then half the other
 * side's market per step, a quarter of its yearly size. */
static inline ts_sim *mirror_markets(ts_scenario **out, double size_a, double size_b, const char *measures,
				     const char *deal)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "run = { steps = 8; start = \"2020Q1\"; };\n"
		 "model = { innovation_zeta = 0.0; imitation_zeta = 0.0; };\n"
		 "countries = { A = { markets = { phones = { size = %.17g; }; }; };\n"
		 "              B = { markets = { phones = { size = %.17g; }; }; }; };\n"
		 "sectors = { phones = { }; };\n"
		 "firms = { XA = { country = \"A\"; sector = \"phones\"; capacity = 1000.0; };\n"
		 "          XB = { country = \"B\"; sector = \"phones\"; capacity = 1000.0; }; };\n"
		 "measures = { %s };\n"
		 "%s%s%s",
		 size_a, size_b, measures, *deal ? "deals = { truce = { " : "", deal, *deal ? " }; };\n" : "");
	*out = tu_load(text);
	return sim_new(*out, 1);
}

#define MIRROR_BANS \
	"a_ban = { type = \"market_ban\"; actor = \"A\"; target = \"B\"; start = 0; };\n" \
	"b_ban = { type = \"market_ban\"; actor = \"B\"; target = \"A\"; start = 0; };\n"

#endif
