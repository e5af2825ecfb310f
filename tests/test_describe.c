/* The readable description of a scenario (sim/describe.c, `tradesim
 * describe`): rules, deals, alliance pressure, on-call and disabled
 * measures, process nodes; and the shipped episodes through the CLI. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "scenario/spec.h"

/* US, CN and JP; chips have process nodes (TSMC-like Q at 7 nm, S four
 * nodes behind); CN answers the US in kind, the US presses JP, and a deal
 * settles the denial of ZTE with a fine and a purchase. */
static const char *const world =
	"run = { steps = 12; start = \"2018Q1\"; seed = 7; };\n"
	"countries = {\n"
	"  US = { bloc = \"west\"; markets = { chips = { size = 100.0; }; phones = { size = 300.0; government = 0.1; }; };\n"
	"         rules = ( { rival = \"CN\"; kind = \"negotiate\"; loss_threshold = 2.5; } ); };\n"
	"  CN = { markets = { chips = { size = 50.0; }; phones = { size = 400.0; government = 0.1; }; };\n"
	"         rules = ( { rival = \"US\"; kind = \"escalate\"; cap = 1; factor = 2.0; noise_per_year = 0.4214;\n"
	"                     menu = [\"cn_apple_ban\", \"cn_tariff\"]; } ); };\n"
	"  JP = { bloc = \"west\"; alignment = 0.8; markets = { phones = { size = 50.0; }; }; };\n"
	"};\n"
	"sectors = { chips = { node = { reference_tech = 0.0; reference_nm = 7.0; tech_per_node = 0.175; }; };\n"
	"            phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 300.0; };\n"
	"  S = { country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -0.7; };\n"
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 400.0; suppliers = { chips = { Q = 1.0; }; }; };\n"
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 400.0; suppliers = { chips = { Q = 0.7; S = 0.3; }; }; };\n"
	"};\n"
	"measures = {\n"
	"  zte_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; sectors = [\"chips\"];\n"
	"                 licence_share = 0.25; start = \"2018Q2\"; };\n"
	"  us_state_ban = { type = \"procurement_ban\"; actor = \"US\"; target = \"ZTE\"; segment = \"government\";\n"
	"                   start = \"2018Q1\"; };\n"
	"  us_presses_jp = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"us_state_ban\";\n"
	"                    allies = [\"JP\"]; pressure_per_year = 0.5; delay_months = 6; start = \"2018Q2\"; };\n"
	"  cn_apple_ban = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"government\"; };\n"
	"  cn_tariff = { type = \"tariff\"; actor = \"CN\"; target = \"US\"; rate = 0.2; };\n"
	"  counterfactual = { type = \"market_ban\"; actor = \"US\"; target = \"S\"; start = \"2019Q1\"; enabled = false; };\n"
	"};\n"
	"deals = { settlement = { lifts = [\"zte_denial\"]; earliest = \"2018Q3\"; loss_threshold = 0.5;\n"
	"                         fine = 1.4; payer = \"ZTE\";\n"
	"                         purchase = 20.0; buyer = \"CN\"; seller = \"US\"; sector = \"chips\"; purchase_months = 24; }; };\n";

/* The description of a loaded scenario (caller frees). */
static char *describe(const ts_scenario *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_describe(s, mem, &err), TS_OK);
	assert_int_equal(err.status, TS_OK);
	fclose(mem);
	return text;
}

static void expect_line(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("expected \"%s\" in the description:\n%s", want, text);
}

/* Model v2's behaviour settings show where they are set: a rule's
 * tolerance of harm (§10), a country's support at full denial and its
 * de-risking (§8.1, §17), a firm's R&D response to denial. */
static void describe_shows_tolerance_denial_response_and_derisking(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(
		"run = { steps = 1; start = \"2020Q1\"; };\n"
		"countries = { US = { derisk_suppliers = 0.25; markets = { chips = { size = 10.0; }; }; };\n"
		"  CN = { rd_support_on_denial = 9.5; derisk_buyers = 0.1; markets = { phones = { size = 50.0; }; };\n"
		"         rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; tolerance_bn_usd = 3.0; menu = [\"t\"]; } ); }; };\n"
		"sectors = { chips = { }; phones = { inputs = { chips = 0.2; }; }; };\n"
		"firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 20.0; };\n"
		"  H = { country = \"CN\"; sector = \"phones\"; capacity = 60.0; rd_intensity = 0.14; rd_denial_response = 1.2;\n"
		"        suppliers = { chips = { Q = 1.0; }; }; }; };\n"
		"measures = { t = { type = \"tariff\"; actor = \"CN\"; target = \"US\"; rate = 0.1; }; };\n");
	char *text = describe(s);
	expect_line(text, "US  de-risking suppliers 0.25, buyers 0.00");
	expect_line(text, "CN  9.50 bn USD/yr more at full denial of its firms, de-risking suppliers 0.00, buyers 0.10");
	expect_line(text, "rule toward US: tit_for_tat, bears up to 3.00 bn USD/yr of harm; menu t");
	expect_line(text, "R&D 14.0% of revenue (x2.20 at full denial), de-risking suppliers 0.00, buyers 0.10");
	free(text);
	ts_scenario_free(s);
}

static void describe_lists_each_countrys_rules_with_their_menus(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	char *text = describe(s);
	expect_line(text, "rule toward US: escalate, one more measure per 3 months of hostility, at most 1 in force, "
			  "its tariffs x2 with each, misperceives 0.42 times a year; menu cn_apple_ban, cn_tariff");
	expect_line(text, "rule toward CN: negotiate, lifts its measures once each side has lost over 2.50 bn USD");
	/* under its own country: CN's rule comes after CN's line, before JP's */
	const char *cn = strstr(text, "\n  CN\n");  /* no name, no bloc: the id alone */
	const char *jp = strstr(text, "\n  JP  ");
	const char *rule = strstr(text, "rule toward US");
	assert_non_null(cn);
	assert_non_null(jp);
	assert_true(cn < rule && rule < jp);
	free(text);
	ts_scenario_free(s);
}

static void describe_shows_on_call_measures_and_who_starts_them(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	char *text = describe(s);
	expect_line(text, "on call  CN  procurement_ban  -> Apple  government segment  [all sectors]  "
			  "started by CN's rule toward US  (cn_apple_ban)");
	expect_line(text, "on call  CN  tariff           -> US (all its firms)  20.0% ad valorem  [all sectors]  "
			  "started by CN's rule toward US  (cn_tariff)");
	free(text);
	ts_scenario_free(s);
}

static void describe_marks_disabled_measures(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	char *text = describe(s);
	expect_line(text, "(counterfactual)  disabled: never in force");
	assert_null(strstr(text, "(zte_denial)  disabled"));
	free(text);
	ts_scenario_free(s);
}

static void describe_gives_alliance_pressure_its_allies_and_delay(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	char *text = describe(s);
	expect_line(text, "alliance_pressure  presses JP to adopt us_state_ban, pressure 0.50 a year, "
			  "in force 2 quarters after adoption  (us_presses_jp)");
	free(text);
	ts_scenario_free(s);
	/* without allies: the actor's bloc partners, named */
	char *bloc = malloc(strlen(world) + 1);
	strcpy(bloc, world);
	char *allies = strstr(bloc, "allies = [\"JP\"];");
	memset(allies, ' ', strlen("allies = [\"JP\"];"));
	s = tu_load(bloc);
	text = describe(s);
	expect_line(text, "presses JP (bloc west) to adopt us_state_ban");
	free(text);
	ts_scenario_free(s);
	free(bloc);
}

static void describe_lists_deals_with_conditions_fine_and_purchase(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	char *text = describe(s);
	expect_line(text, "Deals (1)\n  settlement  lifts zte_denial (between US and CN) from 2018Q3 once each "
			  "side has lost over 0.50 bn USD; ZTE pays US a fine of 1.40 bn USD; CN buys 20.00 bn "
			  "USD/yr of chips from US's firms for 8 quarters\n");
	expect_line(text, "export_control   -> ZTE  25% licensed  [chips]");
	free(text);
	ts_scenario_free(s);
}

static void describe_gives_each_firm_its_process_node_at_step_0(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	char *text = describe(s);
	const char *q = strstr(text, "\n  Q      US  chips ");
	const char *sm = strstr(text, "\n  S      CN  chips ");
	assert_non_null(q);
	assert_non_null(sm);
	assert_true(strstr(q, ", node 7nm\n") == strchr(q + 1, '\n') - strlen(", node 7nm"));
	assert_true(strstr(sm, ", node 28nm\n") == strchr(sm + 1, '\n') - strlen(", node 28nm"));
	const char *apple = strstr(text, "\n  Apple ");
	assert_non_null(apple);
	const char *end = strchr(apple + 1, '\n');
	const char *node = strstr(apple, "node");
	assert_true(node == NULL || node > end);  /* phones have no node scale */
	free(text);
	ts_scenario_free(s);
}

/* `tradesim describe` on a shipped scenario, into a string (caller frees). */
static char *describe_shipped(const char *name)
{
	char out[256];
	snprintf(out, sizeof out, "describe_%s.txt", name);
	assert_int_equal(tu_cli(NULL, "describe '%s/scenarios/%s.cfg' >%s", TS_SOURCE_DIR, name, out), 0);
	char *text = tu_read_file(out);
	assert_non_null(text);
	return text;
}

/* Times `needle` occurs in text. */
static int count(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void describe_of_the_decoupling_episode_shows_its_rules_and_menus(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/scenarios/decoupling.cfg", TS_SOURCE_DIR);
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	assert_int_equal(ts_scenario_load(&s, path, NULL, 0, &err), TS_OK);
	char *text = describe_shipped("decoupling");
	assert_int_equal(count(text, "    rule toward "), s->n_rules);
	int on_call = 0, pressures = 0;
	for (int i = 0; i < s->n_measures; i++) {
		on_call += s->measures[i].start == INT_MAX;
		pressures += s->measures[i].kind == TS_MEASURE_ALLIANCE_PRESSURE;
	}
	assert_int_equal(count(text, "\n  on call "), on_call);
	assert_int_equal(count(text, "started by "), on_call);  /* each names who starts it */
	assert_int_equal(count(text, "alliance_pressure  presses "), pressures);
	free(text);
	ts_scenario_free(s);
}

static void describe_of_the_huawei_episode_shows_nodes_and_pressure(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof path, "%s/scenarios/huawei_2019_2020.cfg", TS_SOURCE_DIR);
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	assert_int_equal(ts_scenario_load(&s, path, NULL, 0, &err), TS_OK);
	char *text = describe_shipped("huawei_2019_2020");
	int noded = 0, pressures = 0;
	for (int i = 0; i < s->n_firms; i++)
		noded += s->sectors[s->firms[i].sector].has_node;
	for (int i = 0; i < s->n_measures; i++)
		pressures += s->measures[i].kind == TS_MEASURE_ALLIANCE_PRESSURE;
	assert_true(noded > 0);
	assert_int_equal(count(text, ", node "), noded);
	assert_int_equal(count(text, "alliance_pressure  presses "), pressures);
	assert_int_equal(count(text, "after adoption") + count(text, "in force on adoption"), pressures);
	free(text);
	ts_scenario_free(s);
}

/* A stream that refuses writes (here one opened for reading) is reported
 * through the error record, as every failure of the library is. */
static void describing_to_a_stream_that_fails_reports_an_input_output_error(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(world);
	FILE *f = fopen("/dev/null", "r");
	assert_non_null(f);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_describe(s, f, &err), TS_EIO);
	assert_int_equal(err.status, TS_EIO);
	assert_non_null(strstr(err.message, "cannot write the description of test.cfg"));
	fclose(f);
	ts_scenario_free(s);
}

/* One world with every kind of rule, measure, supplier, deal and setting the
 * description shows, on a one-month calendar. Each line below was checked
 * against the scenario by hand: the timeline in start order (file order
 * among equals, on-call measures last), widths from the longest id, S at
 * 7 nm x 0.7^(-0.7 / 0.175) = 29.2 nm shown as the standard 28nm, the
 * bloc partners press_bloc presses, one month (not "months") where a count
 * is 1, "(after the run)" for an end past the single step. */
static const char *const everything =
	"title = \"Every kind of thing\";\n"
	"run = { steps = 1; start = \"2018-01\"; step = \"month\"; seed = 11; };\n"
	"countries = {\n"
	"  US = { name = \"United States\"; bloc = \"west\"; home_bias = 0.5; rd_budget = 2.0;\n"
	"         markets = { chips = { size = 100.0; growth = 0.05; infrastructure = 0.2; }; phones = "
	"{ size = 300.0; government = 0.1; }; };\n"
	"         rules = ( { rival = \"CN\"; kind = \"generous_tit_for_tat\"; forgive_per_year = 1.15; menu = "
	"[\"us_tariff\"]; },\n"
	"                   { rival = \"EU\"; kind = \"proportional\"; ratio = 2.0; noise_per_year = 0.2; menu = "
	"[\"us_eu_ban\"]; } ); };\n"
	"  CN = { markets = { chips = { size = 50.0; }; phones = { size = 400.0; }; };\n"
	"         rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_audit\", \"cn_apple_ban\"]; "
	"} ); };\n"
	"  EU = { bloc = \"west\"; alignment = 0.6; markets = { phones = { size = 50.0; }; }; };\n"
	"  JP = { bloc = \"west\"; alignment = 0.9; };\n"
	"};\n"
	"sectors = { chips = { name = \"Semiconductors\"; elasticity = 3.0; base_tech = -0.3; node = { "
	"reference_tech = 0.0; reference_nm = 7.0; tech_per_node = 0.175; }; };\n"
	"            phones = { inputs = { chips = 0.3; }; }; };\n"
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 300.0; rd_intensity = 0.125; };\n"
	"  S = { name = \"SMIC\"; country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -0.7; "
	"state_owned = true; unit_cost = 0.8; };\n"
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 400.0; suppliers = { chips = { Q = "
	"1.0; }; }; };\n"
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 400.0; suppliers = { chips = { Q = "
	"0.6; S = 0.3; CN = 0.1; }; };\n"
	"          stockpile_months = { chips = 1.5; }; };\n"
	"  Nokia = { country = \"EU\"; sector = \"phones\"; capacity = 50.0; suppliers = { chips = { Q = "
	"1.0; }; }; };\n"
	"};\n"
	"measures = {\n"
	"  late = { type = \"market_ban\"; actor = \"US\"; target = \"S\"; start = \"2018-01\"; end = "
	"\"2018-03\"; };\n"
	"  zte_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; sectors = [\"chips\"]; "
	"licence_share = 0.25;\n"
	"                 foreign_direct_product = true; fdp_threshold = 0.5; tech_denial = false; "
	"start = 0; };\n"
	"  unlicensed = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 0; enabled = "
	"false; };\n"
	"  us_tariff = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 0.25; sectors = "
	"[\"phones\", \"chips\"]; };\n"
	"  us_eu_ban = { type = \"procurement_ban\"; actor = \"US\"; target = \"Nokia\"; segment = "
	"\"infrastructure\"; };\n"
	"  cn_audit = { type = \"compliance\"; actor = \"CN\"; target = \"US\"; requirement = \"source_code\"; "
	"cost = 0.1; segment = \"government\"; };\n"
	"  cn_apple_ban = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = "
	"\"government\"; };\n"
	"  us_rd = { type = \"rd_investment\"; actor = \"US\"; budget = 1.5; sectors = [\"chips\"]; start = "
	"0; };\n"
	"  cn_subsidy = { type = \"subsidy\"; actor = \"CN\"; rate = 0.2; start = 0; };\n"
	"  fab = { type = \"capacity_investment\"; actor = \"US\"; target = \"Q\"; capacity = 20.0; "
	"build_months = 3; budget = 5.0; start = 0; };\n"
	"  open_audit = { type = \"compliance\"; actor = \"US\"; requirement = \"certification\"; start = 0; "
	"};\n"
	"  press_bloc = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"zte_denial\"; pressure_per_year = "
	"0.5; delay_months = 1; start = 0; };\n"
	"  press_jp = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"us_tariff\"; allies = "
	"[\"JP\", \"EU\"]; pressure_per_year = 0.3; start = 0; };\n"
	"};\n"
	"deals = { settle = { lifts = [\"zte_denial\"]; earliest = \"2018-02\"; loss_threshold = 0.5; fine "
	"= 1.4; payer = \"ZTE\";\n"
	"                     purchase = 20.0; buyer = \"CN\"; seller = \"US\"; sector = \"chips\"; "
	"purchase_months = 1; };\n"
	"          quiet = { lifts = [\"late\"]; loss_threshold = 0.25; }; };\n";

/* After the title, the path and the hash. */
static const char *const everything_described =
	"\n"
	"Run: 1 month, 2018-01 .. 2018-01, seed 11\n"
	"Model: innovation zeta 0.3, imitation zeta 0.3, innovation share 0.5, Beta(3, 3) on [-0.15, "
	"0.15], imitation closes 1 of the gap, tech weight 1\n"
	"\n"
	"Countries (4)\n"
	"  US  United States, bloc west (alignment 0.00), home bias 0.50, R&D support 2.00 bn USD/yr\n"
	"        buys chips     100.00 bn USD/yr, growth  +5.0%/yr; government   0%, infrastructure  "
	"20%, private  80%\n"
	"        buys phones    300.00 bn USD/yr, growth  +0.0%/yr; government  10%, infrastructure   "
	"0%, private  90%\n"
	"        rule toward CN: generous_tit_for_tat, forgives at 1.15 a year; menu us_tariff\n"
	"        rule toward EU: proportional, bite 2 x damage received, misperceives 0.20 times a year; "
	"menu us_eu_ban\n"
	"  CN\n"
	"        buys chips      50.00 bn USD/yr, growth  +0.0%/yr; government   0%, infrastructure   "
	"0%, private 100%\n"
	"        buys phones    400.00 bn USD/yr, growth  +0.0%/yr; government   0%, infrastructure   "
	"0%, private 100%\n"
	"        rule toward US: tit_for_tat; menu cn_audit, cn_apple_ban\n"
	"  EU  bloc west (alignment 0.60)\n"
	"        buys phones     50.00 bn USD/yr, growth  +0.0%/yr; government   0%, infrastructure   "
	"0%, private 100%\n"
	"  JP  bloc west (alignment 0.90)\n"
	"\n"
	"Sectors (2)\n"
	"  chips   Semiconductors: elasticity 3.00, ceiling margin 0.50, base tech -0.30\n"
	"  phones  elasticity 4.00, ceiling margin 0.50, base tech +0.00; inputs chips 30%\n"
	"\n"
	"Firms (5)\n"
	"  Q      US  chips   capacity   300.00 bn USD/yr, tech +0.00, unit cost 1.00, R&D 12.5% of "
	"revenue, node 7nm\n"
	"  S      CN  chips   capacity   100.00 bn USD/yr, tech -0.70, unit cost 0.80, state-owned, "
	"node 28nm  (SMIC)\n"
	"  Apple  US  phones  capacity   400.00 bn USD/yr, tech +0.00, unit cost 1.00\n"
	"           chips from Q 100%\n"
	"  ZTE    CN  phones  capacity   400.00 bn USD/yr, tech +0.00, unit cost 1.00\n"
	"           chips from Q 60%, S 30%, CN generic 10%; stockpile 1.50 months of use\n"
	"  Nokia  EU  phones  capacity    50.00 bn USD/yr, tech +0.00, unit cost 1.00\n"
	"           chips from Q 100%\n"
	"\n"
	"Timeline (13 measures)\n"
	"  2018-01  US  market_ban       -> S  [all sectors]  until 2018-03 (after the run)  (late)\n"
	"  2018-01  US  export_control   -> ZTE  25% licensed  foreign direct product (suppliers >= 50% "
	"on US technology)  imitation still allowed  [chips]  (zte_denial)\n"
	"  2018-01  US  export_control   -> CN (all its firms)  [all sectors]  (unlicensed)  disabled: "
	"never in force\n"
	"  2018-01  US  rd_investment    1.50 bn USD/yr  [chips]  (us_rd)\n"
	"  2018-01  CN  subsidy          20% of unit cost  [all sectors]  (cn_subsidy)\n"
	"  2018-01  US  capacity_investment  -> Q  +20.00 bn USD/yr capacity over 3 steps  (fab)\n"
	"  2018-01  US  compliance       -> every foreign firm  certification, cost 0% of unit cost  "
	"[all sectors]  (open_audit)\n"
	"  2018-01  US  alliance_pressure  presses EU, JP (bloc west) to adopt zte_denial, pressure "
	"0.50 a year, in force 1 month after adoption  (press_bloc)\n"
	"  2018-01  US  alliance_pressure  presses JP, EU to adopt us_tariff, pressure 0.30 a year, in force "
	"on adoption  (press_jp)\n"
	"  on call  US  tariff           -> CN (all its firms)  25.0% ad valorem  [phones, chips]  "
	"started by US's rule toward CN, pressure press_jp (for allies)  (us_tariff)\n"
	"  on call  US  procurement_ban  -> Nokia  infrastructure segment  [all sectors]  started by "
	"US's rule toward EU  (us_eu_ban)\n"
	"  on call  CN  compliance       -> US (all its firms)  source_code, cost 10% of unit cost  "
	"government segment  [all sectors]  started by CN's rule toward US  (cn_audit)\n"
	"  on call  CN  procurement_ban  -> Apple  government segment  [all sectors]  started by CN's "
	"rule toward US  (cn_apple_ban)\n"
	"\n"
	"Deals (2)\n"
	"  settle  lifts zte_denial (between US and CN) from 2018-02 once each side has lost over 0.50 "
	"bn USD; ZTE pays US a fine of 1.40 bn USD; CN buys 20.00 bn USD/yr of chips from US's firms "
	"for 1 month\n"
	"  quiet   lifts late (between US and CN) once each side has lost over 0.25 bn USD\n";

static void the_description_of_a_world_with_everything_is_exactly_as_written(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(everything);
	char *text = describe(s), head[256];
	snprintf(head, sizeof head, "Every kind of thing\ntest.cfg\nsha256 %s\n", ts_scenario_hash(s));
	assert_true(strncmp(text, head, strlen(head)) == 0);
	assert_string_equal(text + strlen(head), everything_described);
	free(text);
	ts_scenario_free(s);
}

/* No measures: the timeline says so; one measure is singular. */
static void a_timeline_of_no_measure_says_none_and_of_one_is_singular(void **state)
{
	(void)state;
	const char *base =
		"run = { steps = 2; start = \"2018\"; step = \"year\"; };\n"
		"countries = { US = { markets = { chips = { size = 10.0; }; }; }; CN = { }; };\n"
		"sectors = { chips = { }; };\n"
		"firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 30.0; };\n"
		"          S = { country = \"CN\"; sector = \"chips\"; capacity = 30.0; }; };\n";
	ts_scenario *s = tu_load(base);
	char *text = describe(s);
	expect_line(text, "Run: 2 years, 2018 .. 2019, seed 1\n");
	expect_line(text, "\nTimeline (0 measures)\n  none\n");
	assert_null(strstr(text, "Deals"));
	free(text);
	ts_scenario_free(s);
	char one[1024];
	snprintf(one, sizeof one, "%smeasures = { ban = { type = \"market_ban\"; actor = \"US\"; target = \"S\"; "
	         "start = 1; }; };\n", base);
	s = tu_load(one);
	text = describe(s);
	expect_line(text, "\nTimeline (1 measure)\n  2019     US  market_ban       -> S  [all sectors]  (ban)\n");
	free(text);
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(describe_lists_each_countrys_rules_with_their_menus),
		cmocka_unit_test(describe_shows_tolerance_denial_response_and_derisking),
		cmocka_unit_test(describing_to_a_stream_that_fails_reports_an_input_output_error),
		cmocka_unit_test(describe_shows_on_call_measures_and_who_starts_them),
		cmocka_unit_test(describe_marks_disabled_measures),
		cmocka_unit_test(describe_gives_alliance_pressure_its_allies_and_delay),
		cmocka_unit_test(describe_lists_deals_with_conditions_fine_and_purchase),
		cmocka_unit_test(describe_gives_each_firm_its_process_node_at_step_0),
		cmocka_unit_test(describe_of_the_decoupling_episode_shows_its_rules_and_menus),
		cmocka_unit_test(describe_of_the_huawei_episode_shows_nodes_and_pressure),
		cmocka_unit_test(the_description_of_a_world_with_everything_is_exactly_as_written),
		cmocka_unit_test(a_timeline_of_no_measure_says_none_and_of_one_is_singular),
	};
	return cmocka_run_group_tests_name("describe", tests, NULL, NULL);
}
