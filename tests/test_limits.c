/* What a scenario may hold and the ranges its numbers may take
 * (sim/scenario/limits.h, docs/scenario.md "Limits" and "Numeric ranges"):
 * each limit refused with its location, status and message, and the extreme
 * values allowed run and finish. */
#define _GNU_SOURCE
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "scenario/limits.h"
#include "scenario/spec.h"

/* ---- building big texts ---- */

typedef struct text {
	char *data;
	size_t len, cap;
} text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->data && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		t->cap = t->cap * 2 + (size_t)n + 4096;
		t->data = realloc(t->data, t->cap);
		assert_non_null(t->data);
	}
}

/* A world with nc countries, ns sectors and nf firms (spread over them),
 * every country buying every sector; `extra` goes at the end. */
static char *world(int nc, int ns, int nf, const char *extra)
{
	text t = { 0 };
	put(&t, "run = { steps = 4; start = \"2018Q1\"; };\ncountries = {\n");
	for (int c = 0; c < nc; c++)
		put(&t, "  C%d = { bloc = \"w\"; alignment = 1.0; };\n", c);
	put(&t, "};\nsectors = {\n");
	for (int k = 0; k < ns; k++)
		put(&t, "  S%d = { };\n", k);
	put(&t, "};\nfirms = {\n");
	for (int i = 0; i < nf; i++)
		put(&t, "  F%d = { country = \"C%d\"; sector = \"S%d\"; capacity = 1.0; };\n", i, i % nc, i % ns);
	put(&t, "};\n%s", extra ? extra : "");
	return t.data;
}

static void expect_refused(const char *scenario, const char *want)
{
	tu_expect_load_error(scenario, want, NULL);
}

/* ---- numeric ranges ---- */

static const char *const small =
	"run = { steps = 4; start = \"2018Q1\"; };\n"                                   /* 1 */
	"model = { beta_a = 3.0; beta_b = 3.0; tech_weight = 1.0; };\n"                 /* 2 */
	"countries = { US = { markets = { chips = { size = 10.0; growth = 0.1; }; }; };\n" /* 3 */
	"              CN = { rd_budget = 1.0; }; };\n"                                 /* 4 */
	"sectors = { chips = { elasticity = 4.0; node = { tech_per_node = 0.35; }; };\n"  /* 5 */
	"            phones = { inputs = { chips = 0.3; }; }; };\n"                     /* 6 */
	"firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 5.0; tech = 0.5; unit_cost = 1.0; };\n" /* 7 */
	"          P = { country = \"CN\"; sector = \"phones\"; capacity = 5.0; suppliers = { chips = { Q = 1.0; }; };\n" /* 8 */
	"                stockpile_months = { chips = 3.0; }; restock_rate = 0.5; anticipation_months = 3.0; }; };\n" /* 9 */
	"measures = { rd = { type = \"rd_investment\"; actor = \"CN\"; budget = 1.0; start = 1; }; };\n"; /* 10 */

/* `small` with one override refused: TS_EINPUT, located at --set PATH. */
static void expect_override_refused(const char *path, const char *value, const char *want)
{
	ts_override o[] = { { path, value } };
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load_string(&s, small, "test.cfg", NULL, o, 1, &err), TS_EINPUT);
	assert_null(s);
	if (!strstr(err.message, want))
		fail_msg("--set %s=%s: expected \"%s\" in:\n%s", path, value, want, err.message);
}

static void beta_shapes_gsl_cannot_invert_are_refused_at_their_override(void **state)
{
	(void)state;
	/* 1e155 and 1e200 hung gsl_cdf_beta_Pinv; 1e-320 made it return NaN. */
	expect_override_refused("model.beta_a", "1e155", "--set model.beta_a: expected a number in [0.5, 50], got 1e+155");
	expect_override_refused("model.beta_b", "1e200", "--set model.beta_b: expected a number in [0.5, 50], got 1e+200");
	expect_override_refused("model.beta_a", "1e-320", "--set model.beta_a: expected a number in [0.5, 50], got 9.99989e-321");
	expect_override_refused("model.beta_b", "0.1", "--set model.beta_b: expected a number in [0.5, 50], got 0.1");
}

static void a_market_size_of_1e308_is_refused_at_its_line(void **state)
{
	(void)state;
	char *scenario = strdup(small);
	assert_non_null(scenario);
	char *at = strstr(scenario, "size = 10.0;");
	memcpy(at, "size = 1e308", 12);
	expect_refused(scenario, "test.cfg:3: countries.US.markets.chips.size: expected a number in [0, 1e+09], got 1e+308");
	free(scenario);
}

static void technology_beyond_what_the_ces_weights_hold_is_refused(void **state)
{
	(void)state;
	/* exp(tech_weight x tech) overflowed a double from tech_weight x tech > 709. */
	expect_override_refused("firms.Q.tech", "800", "--set firms.Q.tech: expected a number in [-10, 10], got 800");
	expect_override_refused("model.tech_weight", "100", "--set model.tech_weight: expected a number in [0, 5], got 100");
	expect_override_refused("sectors.chips.base_tech", "-50", "expected a number in [-10, 10], got -50");
	expect_override_refused("model.tech_step_max", "5", "--set model.tech_step_max: expected a number in [-1, 1], got 5");
	expect_override_refused("sectors.chips.node.reference_tech", "1e300", "expected a number in [-10, 10]");
}

static void an_elasticity_next_to_one_is_refused(void **state)
{
	(void)state;
	/* The price index raises a sum to 1 / (1 - sigma): -100 at sigma = 1.01. */
	expect_override_refused("sectors.chips.elasticity", "1.01",
				"--set sectors.chips.elasticity: expected a number in [1.2, 50], got 1.01");
	expect_override_refused("sectors.chips.elasticity", "1000", "expected a number in [1.2, 50], got 1000");
}

static void unit_costs_far_from_the_reference_are_refused(void **state)
{
	(void)state;
	expect_override_refused("firms.Q.unit_cost", "1e-9", "--set firms.Q.unit_cost: expected a number in [0.01, 100], got 1e-09");
	expect_override_refused("firms.Q.unit_cost", "1e9", "expected a number in [0.01, 100], got 1e+09");
}

static void money_beyond_1e9_bn_usd_is_refused(void **state)
{
	(void)state;
	expect_override_refused("firms.Q.capacity", "1e12", "--set firms.Q.capacity: expected a number in (0, 1e+09], got 1e+12");
	expect_override_refused("countries.CN.rd_budget", "1e300", "expected a number in [0, 1e+09]");
	expect_override_refused("measures.rd.budget", "2e9", "--set measures.rd.budget: expected a number in [0, 1e+09]");
	expect_override_refused("firms.Q.fixed_cost", "1e10", "expected a number in [0, 1e+09]");
}

static void periods_beyond_1000_are_refused(void **state)
{
	(void)state;
	expect_override_refused("firms.P.stockpile_months.chips", "1e6", "--set firms.P.stockpile_months.chips: expected a number in [0, 1000]");
	expect_override_refused("firms.P.restock_rate", "1e300", "expected a number in [0, 1000]");
	expect_override_refused("firms.P.anticipation_months", "5000", "expected a number in [0, 1000]");
}

static void a_node_step_of_almost_nothing_is_refused(void **state)
{
	(void)state;
	expect_override_refused("sectors.chips.node.tech_per_node", "1e-9", "expected a number in [0.01, 10], got 1e-09");
}

static void growth_that_overflows_within_the_run_is_refused_at_the_growth(void **state)
{
	(void)state;
	/* 10 x 2^399 bn USD a year by the 400th year: past 1e9 (and past a double). */
	ts_override o[] = { { "run.step", "year" }, { "run.start", "\"2018\"" }, { "run.steps", "400" },
			    { "countries.US.markets.chips.growth", "1.0" } };
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load_string(&s, small, "test.cfg", NULL, o, 4, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "--set countries.US.markets.chips.growth: growth 1 a year takes the market "
				"of 10 bn USD a year past 1e+09 by the run's last step (399 years on)"));
	/* Over 20 years the same growth is fine: 10 x 2^19 = 5.2e6. */
	o[2].value = "20";
	assert_int_equal(ts_scenario_load_string(&s, small, "test.cfg", NULL, o, 4, &err), TS_OK);
	ts_scenario_free(s);
}

/* ---- the extreme values allowed run ---- */

static const char *const extreme =
	"run = { steps = 5; start = \"2018Q1\"; seed = 7; };\n"
	"model = { innovation_zeta = 1000.0; imitation_zeta = 1000.0; beta_a = 0.5; beta_b = 50.0;\n"
	"          tech_step_min = -1.0; tech_step_max = 1.0; tech_weight = 5.0; share_tolerance = 0.01;\n"
	"          tension_memory_per_year = 0.0; };\n"
	"countries = {\n"
	"  US = { home_bias = 10.0; rd_budget = 1e9; alignment = 1.0; bloc = \"w\";\n"
	"         markets = { chips = { size = 1e9; government = 0.5; infrastructure = 0.5; };\n"
	"                     phones = { size = 1e9; growth = -0.999999; }; }; };\n"
	"  CN = { rules = ( { rival = \"US\"; kind = \"escalate\"; menu = [\"ban\"]; } );\n"
	"         markets = { chips = { size = 1e-300; }; phones = { size = 1e9; }; }; };\n"
	"  JP = { bloc = \"w\"; alignment = 1.0; markets = { phones = { size = 1.0; growth = 10.0; }; }; };\n"
	"};\n"
	"sectors = {\n"
	"  chips = { elasticity = 1.2; base_tech = -10.0; ceiling_margin = 1e300;\n"
	"            node = { reference_tech = 10.0; reference_nm = 1e6; tech_per_node = 0.01; }; };\n"
	"  phones = { elasticity = 50.0; base_tech = 10.0; inputs = { chips = 0.999; }; };\n"
	"};\n"
	"firms = {\n"
	"  A = { country = \"US\"; sector = \"chips\"; capacity = 1e9; unit_cost = 0.01; tech = 10.0;\n"
	"        rd_intensity = 0.99; jobs_per_bn = 1e9; fixed_cost = 1e9; };\n"
	"  B = { country = \"CN\"; sector = \"chips\"; capacity = 1e-300; unit_cost = 100.0; tech = -10.0; };\n"
	"  C = { country = \"US\"; sector = \"phones\"; capacity = 1e9; unit_cost = 100.0; tech = -10.0;\n"
	"        restock_rate = 1000.0; anticipation_months = 1000.0; substitution_half_life = 0.0;\n"
	"        suppliers = { chips = { A = 0.995; }; }; stockpile_months = { chips = 1000.0; }; };\n"
	"  D = { country = \"CN\"; sector = \"phones\"; capacity = 1e9; unit_cost = 0.01; tech = 10.0;\n"
	"        suppliers = { chips = { A = 0.5; B = 0.5; }; }; };\n"
	"};\n"
	"measures = {\n"
	"  tariff = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 10.0; start = 0; };\n"
	"  tariff2 = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 10.0; start = 1; };\n"
	"  sub = { type = \"subsidy\"; actor = \"CN\"; rate = 0.9; start = 0; };\n"
	"  comp = { type = \"compliance\"; actor = \"CN\"; requirement = \"certification\"; cost = 1.0; start = 0; };\n"
	"  ctl = { type = \"export_control\"; actor = \"US\"; target = \"D\"; start = 2; };\n"
	"  rd = { type = \"rd_investment\"; actor = \"CN\"; budget = 1e9; start = 0; };\n"
	"  cap = { type = \"capacity_investment\"; actor = \"US\"; target = \"B\"; capacity = 1e9; budget = 1e9;\n"
	"          build_months = 0; start = 1; };\n"
	"  ban = { type = \"market_ban\"; actor = \"CN\"; target = \"A\"; };\n"
	"};\n"
	"deals = { d = { lifts = [\"tariff\"]; fine = 1e9; payer = \"D\"; purchase = 1e9; buyer = \"US\";\n"
	"                seller = \"CN\"; sector = \"phones\"; }; };\n";

static void the_extreme_allowed_values_run_five_steps_and_finish(void **state)
{
	(void)state;
	/* Every corner the ranges allow: the weights' exponents at their largest
	 * and smallest, the Beta shapes both ways, sigma 1.2 and 50 swapped. */
	static const ts_override corners[][4] = {
		{ { "model.beta_a", "0.5" } },
		{ { "model.beta_a", "50" }, { "model.beta_b", "0.5" } },
		{ { "sectors.chips.elasticity", "50" }, { "sectors.phones.elasticity", "1.2" } },
		{ { "firms.A.tech", "-10" }, { "firms.B.tech", "10" }, { "firms.C.tech", "10" }, { "firms.D.tech", "-10" } },
		{ { "firms.A.unit_cost", "100" }, { "firms.B.unit_cost", "0.01" }, { "sectors.chips.elasticity", "50" } },
		{ { "model.tech_weight", "0" }, { "model.tech_step_min", "-1" }, { "model.tech_step_max", "-0.5" } },
	};
	for (size_t k = 0; k < sizeof corners / sizeof corners[0]; k++) {
		size_t n = 0;
		while (n < 4 && corners[k][n].path)
			n++;
		ts_scenario *s = NULL;
		ts_error err = TS_ERROR_INIT;
		if (ts_scenario_load_string(&s, extreme, "extreme.cfg", NULL, corners[k], n, &err) != TS_OK)
			fail_msg("corner %zu did not load: %s", k, err.message);
		ts_sim *sim = NULL;
		assert_int_equal(ts_sim_alloc(&sim, s, ts_scenario_seed(s), &err), TS_OK);
		for (int t = 0; t < ts_scenario_steps(s); t++)
			if (ts_sim_step(sim, &err) != TS_OK)
				fail_msg("corner %zu, step %d: %s", k, t, err.message);
		ts_sim_free(sim);
		ts_scenario_free(s);
	}
}

/* ---- sizes ---- */

static void more_than_1000_countries_are_refused(void **state)
{
	(void)state;
	char *scenario = world(TS_MAX_COUNTRIES + 1, 1, 1, NULL);
	expect_refused(scenario, "test.cfg:2: countries: 1001 countries, at most 1000 (docs/scenario.md, \"Limits\")");
	free(scenario);
	scenario = world(TS_MAX_COUNTRIES, 1, 1, NULL);
	ts_scenario_free(tu_load(scenario));
	free(scenario);
}

static void more_than_1000_sectors_are_refused(void **state)
{
	(void)state;
	char *scenario = world(1, TS_MAX_SECTORS + 1, 1, NULL);
	expect_refused(scenario, "test.cfg:5: sectors: 1001 sectors, at most 1000");
	free(scenario);
}

static void more_than_25000_firms_are_refused_before_libconfig_parses_them(void **state)
{
	(void)state;
	char *scenario = world(1, 1, TS_MAX_FIRMS + 1, NULL);
	/* Refused by the source scan: libconfig would spend about 15 s comparing
	 * each new member with all earlier ones before anything could refuse. */
	expect_refused(scenario, "test.cfg:8: firms: more than 25000 settings in one group");
	free(scenario);
}

static void more_than_25000_firms_in_the_list_form_are_refused_by_their_count(void **state)
{
	(void)state;
	text t = { 0 };
	put(&t, "run = { steps = 4; start = \"2018Q1\"; };\ncountries = ( { id = \"C\"; } );\n"
		"sectors = ( { id = \"S\"; } );\nfirms = (\n");
	for (int i = 0; i <= TS_MAX_FIRMS; i++)
		put(&t, "%s  { id = \"F%d\"; country = \"C\"; sector = \"S\"; capacity = 1.0; }", i ? ",\n" : "", i);
	put(&t, "\n);\n");
	/* A list costs libconfig no comparisons: the loader counts its entries. */
	expect_refused(t.data, "test.cfg:4: firms: 25001 firms, at most 25000 (docs/scenario.md, \"Limits\")");
	free(t.data);
}

static void more_than_2000000_country_firm_pairs_are_refused(void **state)
{
	(void)state;
	/* 1000 x 2001 = 2,001,000: about 160 bytes each in a run. */
	char *scenario = world(1000, 1, 2001, NULL);
	expect_refused(scenario, "firms: 2001000 country-firm pairs (countries x firms, the run's bans and wedges), "
			"at most 2000000");
	free(scenario);
}

static void more_than_100000_markets_are_refused(void **state)
{
	(void)state;
	char *scenario = world(1000, 101, 1, NULL);
	expect_refused(scenario, "sectors: 101000 markets (countries x sectors), at most 100000");
	free(scenario);
}

static void more_than_1e7_country_pairs_times_sectors_are_refused(void **state)
{
	(void)state;
	/* 1000 x 1000 x 11 = 1.1e7 dependences of generic producers. */
	char *scenario = world(1000, 11, 1, NULL);
	expect_refused(scenario, "sectors: 11000000 country pairs x sectors");
	free(scenario);
}

static void more_than_10000_measures_are_refused(void **state)
{
	(void)state;
	text extra = { 0 };
	put(&extra, "measures = {\n");
	for (int j = 0; j <= TS_MAX_MEASURES; j++)
		put(&extra, "m%d = { type = \"market_ban\"; actor = \"C0\"; target = \"C1\"; start = 0; };\n", j);
	put(&extra, "};\n");
	char *scenario = world(2, 1, 1, extra.data);
	expect_refused(scenario, "test.cfg:12: measures: 10001 measures, at most 10000");
	free(scenario);
	free(extra.data);
}

static void more_than_1000_deals_are_refused(void **state)
{
	(void)state;
	text extra = { 0 };
	put(&extra, "measures = { m = { type = \"market_ban\"; actor = \"C0\"; target = \"C1\"; start = 0; }; };\n"
		    "deals = {\n");
	for (int d = 0; d <= TS_MAX_DEALS; d++)
		put(&extra, "d%d = { lifts = [\"m\"]; };\n", d);
	put(&extra, "};\n");
	char *scenario = world(2, 1, 1, extra.data);
	expect_refused(scenario, "test.cfg:13: deals: 1001 deals, at most 1000");
	free(scenario);
	free(extra.data);
}

static void more_rules_than_rivals_are_refused(void **state)
{
	(void)state;
	const char *scenario =
		"run = { steps = 4; start = \"2018Q1\"; };\n"
		"countries = { US = { }; CN = { rules = ( { rival = \"US\"; kind = \"none\"; }, { rival = \"US\"; kind = \"none\"; } ); }; };\n"
		"sectors = { chips = { }; };\n"
		"firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 1.0; }; };\n";
	expect_refused(scenario, "test.cfg:2: countries.CN.rules: 2 rules (one per rival), at most 1");
}

static void more_than_100000_measures_rules_and_pressure_can_start_are_refused(void **state)
{
	(void)state;
	text extra = { 0 };
	/* 101 pressures on every other country of the bloc but the ban's target:
	 * 101 x 998 = 100,798 allies under pressure. */
	put(&extra, "measures = {\n  m = { type = \"market_ban\"; actor = \"C0\"; target = \"C1\"; start = 0; };\n");
	for (int j = 0; j < 101; j++)
		put(&extra, "  p%d = { type = \"alliance_pressure\"; actor = \"C0\"; measure = \"m\"; pressure_per_year = 0.5; start = 0; };\n", j);
	put(&extra, "};\n");
	char *scenario = world(1000, 1, 1, extra.data);
	expect_refused(scenario, "measures: 100798 measures rules and alliance pressure can start");
	free(scenario);
	free(extra.data);
}

static void an_id_longer_than_64_characters_is_refused(void **state)
{
	(void)state;
	char id[TS_MAX_ID_LENGTH + 2], scenario[1024], want[256];
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	snprintf(scenario, sizeof scenario,
		 "run = { steps = 4; start = \"2018Q1\"; };\ncountries = { US = { }; %s = { }; };\n"
		 "sectors = { chips = { }; };\nfirms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 1.0; }; };\n", id);
	snprintf(want, sizeof want, "test.cfg:2: countries.%s: id '%.64s...' is 65 characters long, at most 64", id, id);
	expect_refused(scenario, want);
}

static void a_reference_to_a_200000_character_id_is_refused_at_once(void **state)
{
	(void)state;
	/* A country of 200,000 U and a reference one character off: the
	 * did-you-mean's edit distance between them, 4e10 cells, ran for over ten
	 * minutes. */
	enum { LONG = 200000 };
	text t = { 0 };
	put(&t, "run = { steps = 4; start = \"2018Q1\"; };\ncountries = { US = { }; ");
	for (int k = 0; k < LONG / 10; k++)
		put(&t, "UUUUUUUUUU");
	put(&t, " = { }; };\nsectors = { chips = { }; };\nfirms = { Q = { country = \"");
	for (int k = 0; k < LONG / 10 - 1; k++)
		put(&t, "UUUUUUUUUU");
	put(&t, "UUUUUUUUUV\"; sector = \"chips\"; capacity = 1.0; }; };\n");
	ts_error err = tu_load_error(t.data);
	assert_int_equal(err.status, TS_EINPUT);
	assert_non_null(strstr(err.message, "test.cfg:2: countries.UUUU"));  /* the id itself: too long */
	assert_non_null(strstr(err.message, "is 200000 characters long, at most 64"));
	assert_non_null(strstr(err.message, "test.cfg:4: firms.Q.country: no country 'UUUU"));
	free(t.data);
}

static void a_scenario_over_16_mib_with_its_includes_is_refused(void **state)
{
	(void)state;
	text big = { 0 };
	while (big.len < 9u << 20)
		put(&big, "# nine mebibytes of comment lines, twice: over the 16 MiB a scenario may have\n");
	tu_write_file("limits_part.cfg", big.data);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	text main_text = { 0 };
	put(&main_text, "%s@include \"%s/limits_part.cfg\"\nrun = { steps = 4; start = \"2018Q1\"; };\n", big.data, cwd);
	expect_refused(main_text.data, "test.cfg: larger than 16 MiB with the files it includes, the most tradesim parses");
	remove("limits_part.cfg");
	free(big.data);
	free(main_text.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(beta_shapes_gsl_cannot_invert_are_refused_at_their_override),
		cmocka_unit_test(a_market_size_of_1e308_is_refused_at_its_line),
		cmocka_unit_test(technology_beyond_what_the_ces_weights_hold_is_refused),
		cmocka_unit_test(an_elasticity_next_to_one_is_refused),
		cmocka_unit_test(unit_costs_far_from_the_reference_are_refused),
		cmocka_unit_test(money_beyond_1e9_bn_usd_is_refused),
		cmocka_unit_test(periods_beyond_1000_are_refused),
		cmocka_unit_test(a_node_step_of_almost_nothing_is_refused),
		cmocka_unit_test(growth_that_overflows_within_the_run_is_refused_at_the_growth),
		cmocka_unit_test(the_extreme_allowed_values_run_five_steps_and_finish),
		cmocka_unit_test(more_than_1000_countries_are_refused),
		cmocka_unit_test(more_than_1000_sectors_are_refused),
		cmocka_unit_test(more_than_25000_firms_are_refused_before_libconfig_parses_them),
		cmocka_unit_test(more_than_25000_firms_in_the_list_form_are_refused_by_their_count),
		cmocka_unit_test(more_than_2000000_country_firm_pairs_are_refused),
		cmocka_unit_test(more_than_100000_markets_are_refused),
		cmocka_unit_test(more_than_1e7_country_pairs_times_sectors_are_refused),
		cmocka_unit_test(more_than_10000_measures_are_refused),
		cmocka_unit_test(more_than_1000_deals_are_refused),
		cmocka_unit_test(more_rules_than_rivals_are_refused),
		cmocka_unit_test(more_than_100000_measures_rules_and_pressure_can_start_are_refused),
		cmocka_unit_test(an_id_longer_than_64_characters_is_refused),
		cmocka_unit_test(a_reference_to_a_200000_character_id_is_refused_at_once),
		cmocka_unit_test(a_scenario_over_16_mib_with_its_includes_is_refused),
	};
	return cmocka_run_group_tests_name("limits", tests, NULL, NULL);
}
