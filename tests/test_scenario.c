/* Scenario loading and validation (sim/scenario.c, sim/cfgcheck.c), the
 * description (sim/describe.c) and the SHA-256 behind the scenario hash. */
#include "testutil.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/spec.h"
#include "util/sha256.h"

/* A small valid world; line numbers matter to the tests below. */
#define WORLD \
	"run = { steps = 20; start = \"2018Q1\"; seed = 42; };\n"                                /* 1 */ \
	"countries = {\n"                                                                          /* 2 */ \
	"  US = { name = \"United States\"; bloc = \"west\"; rd_budget = 1.5;\n"                   /* 3 */ \
	"         markets = { phones = { size = 300.0; growth = 0.02; government = 0.1;\n"         /* 4 */ \
	"                                infrastructure = 0.2; }; chips = { size = 100; }; }; };\n" /* 5 */ \
	"  CN = { markets = { phones = { size = 400.0; }; }; };\n"                                 /* 6 */ \
	"};\n"                                                                                     /* 7 */ \
	"sectors = {\n"                                                                            /* 8 */ \
	"  chips = { elasticity = 3.0; };\n"                                                       /* 9 */ \
	"  litho = { };\n"                                                                         /* 10 */ \
	"  phones = { inputs = { chips = 0.3; litho = 0.1; }; };\n"                                /* 11 */ \
	"};\n"                                                                                     /* 12 */ \
	"firms = {\n"                                                                              /* 13 */ \
	"  Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; };\n"               /* 14 */ \
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 20.0; tech = -0.1;\n"         /* 15 */ \
	"          suppliers = { litho = { US = 1.0; }; chips = { Qualcomm = 0.7; CN = 0.3; }; };\n" /* 16 */ \
	"          stockpile_months = { chips = 4.5; }; };\n"                                      /* 17 */ \
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 200; state_owned = false;\n" /* 18 */ \
	"          suppliers = { chips = { Qualcomm = 1.0; }; litho = { CN = 0.5; US = 0.5; }; }; };\n" /* 19 */ \
	"};\n"                                                                                     /* 20 */

/* The same world's measures, lines 21-27. */
#define MEASURES \
	"measures = {\n"                                                                           /* 21 */ \
	"  zte_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\";\n"          /* 22 */ \
	"                 sectors = [\"chips\"]; start = \"2018Q2\"; end = \"2018Q3\"; };\n"      /* 23 */ \
	"  china_rd = { type = \"rd_investment\"; actor = \"CN\"; budget = 10.0; start = 4; };\n"  /* 24 */ \
	"  iphone = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\";\n"           /* 25 */ \
	"             segment = \"government\"; start = \"2019Q1\"; };\n"                          /* 26 */ \
	"};\n"                                                                                     /* 27 */

/* Minimal world for the error tests, lines 1-4. */
#define MINI_RUN "run = { steps = 20; start = \"2018Q1\"; };\n"
#define MINI_COUNTRIES "countries = { US = { }; CN = { }; };\n"
#define MINI_SECTORS "sectors = { chips = { }; };\n"
#define MINI_FIRMS "firms = { Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; }; };\n"
#define MINI MINI_RUN MINI_COUNTRIES MINI_SECTORS MINI_FIRMS


static void a_valid_world_loads_with_entities_in_file_order(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(WORLD MEASURES);
	assert_int_equal(s->n_countries, 2);
	assert_int_equal(s->n_sectors, 3);
	assert_int_equal(s->n_firms, 3);
	assert_int_equal(s->n_measures, 3);
	assert_string_equal(s->countries[0].id, "US");
	assert_string_equal(s->countries[0].name, "United States");
	assert_string_equal(s->countries[0].bloc, "west");
	assert_true(s->countries[0].rd_budget == 1.5);
	assert_int_equal(s->countries[0].line, 3);
	assert_string_equal(s->sectors[2].id, "phones");
	assert_string_equal(s->firms[1].id, "ZTE");
	assert_int_equal(ts_scenario_country_index(s, "CN"), 1);
	assert_int_equal(ts_scenario_sector_index(s, "litho"), 1);
	assert_int_equal(ts_scenario_firm_index(s, "Apple"), 2);
	assert_int_equal(ts_scenario_firm_index(s, "Nokia"), -1);
	assert_int_equal(s->firms[1].country, 1);
	assert_int_equal(s->firms[1].sector, 2);
	assert_true(s->firms[1].tech == -0.1);
	assert_int_equal(ts_scenario_steps(s), 20);
	assert_int_equal(ts_scenario_seed(s), 42);
	assert_string_equal(ts_scenario_path(s), "test.cfg");
	assert_int_equal(s->run.steps_per_year, 4);
	assert_int_equal(s->run.start_year, 2018);
	assert_int_equal(s->run.start_period, 1);
	ts_scenario_free(s);
}

static void settings_left_out_take_their_documented_defaults(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(MINI);
	assert_int_equal(s->run.seed, 1);
	assert_true(s->model.innovation_zeta == 0.3);
	assert_true(s->model.imitation_zeta == 0.3);
	assert_true(s->model.innovation_share == 0.5);
	assert_true(s->model.beta_a == 3 && s->model.beta_b == 3);
	assert_true(s->model.tech_step_min == -0.15 && s->model.tech_step_max == 0.15);
	assert_true(s->model.tech_weight == 1.0);
	assert_true(s->model.share_tolerance == 1e-6);
	assert_string_equal(s->countries[1].name, "CN");
	assert_string_equal(s->countries[1].bloc, "");
	assert_true(s->sectors[0].elasticity == 4.0);
	assert_true(s->sectors[0].ceiling_margin == 0.5);
	assert_int_equal(s->sectors[0].n_inputs, 0);
	const ts_firm_spec *f = &s->firms[0];
	assert_string_equal(f->name, "Qualcomm");
	assert_true(f->unit_cost == 1.0 && f->restock_rate == 0.25 && f->tech == 0);
	assert_false(f->state_owned);
	assert_int_equal(s->n_measures, 0);
	ts_scenario_free(s);
}

static void markets_are_dense_with_segment_shares_summing_to_one(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(WORLD);
	const ts_market_spec *us_phones = &s->markets[0 * s->n_sectors + 2];
	assert_true(us_phones->size == 300.0);
	assert_true(us_phones->growth == 0.02);
	assert_true(us_phones->segment_share[TS_SEG_GOVERNMENT] == 0.1);
	assert_true(us_phones->segment_share[TS_SEG_INFRASTRUCTURE] == 0.2);
	assert_float_equal(us_phones->segment_share[TS_SEG_PRIVATE], 0.7, 1e-12);
	assert_true(s->markets[0 * s->n_sectors + 0].size == 100.0);  /* int accepted */
	const ts_market_spec *cn_litho = &s->markets[1 * s->n_sectors + 1];
	assert_true(cn_litho->size == 0);
	assert_true(cn_litho->segment_share[TS_SEG_PRIVATE] == 1);
	ts_scenario_free(s);
}

static void slots_follow_the_sector_inputs_and_links_the_order_written(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(WORLD);
	assert_int_equal(s->n_inputs, 2);
	assert_int_equal(s->n_slots, 4);  /* ZTE and Apple, two inputs each */
	const ts_firm_spec *zte = &s->firms[1];
	const ts_slot_spec *chips = &s->slots[zte->slot_first];
	const ts_slot_spec *litho = &s->slots[zte->slot_first + 1];
	assert_int_equal(chips->input_sector, 0);  /* sector order, not supplier order */
	assert_int_equal(litho->input_sector, 1);
	assert_true(chips->cost_share == 0.3);
	assert_true(chips->stockpile == 1.5);
	assert_true(litho->stockpile == 0);
	assert_int_equal(chips->n_links, 2);
	const ts_link_spec *first = &s->links[chips->link_first];
	assert_int_equal(first->supplier_firm, 0);
	assert_int_equal(first->supplier_country, 0);
	assert_true(first->share == 0.7);
	const ts_link_spec *generic = &s->links[chips->link_first + 1];
	assert_int_equal(generic->supplier_firm, -1);
	assert_int_equal(generic->supplier_country, 1);
	assert_int_equal(generic->slot, zte->slot_first);
	const ts_firm_spec *apple = &s->firms[2];
	assert_int_equal(apple->slot_first, zte->slot_first + 2);
	assert_int_equal(s->slots[apple->slot_first + 1].n_links, 2);
	assert_int_equal(s->n_links, 6);
	ts_scenario_free(s);
}

static void measures_resolve_dates_targets_and_sectors(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(WORLD MEASURES);
	const ts_measure_spec *zte = &s->measures[0];
	assert_string_equal(zte->id, "zte_denial");
	assert_int_equal(zte->kind, TS_MEASURE_EXPORT_CONTROL);
	assert_int_equal(zte->actor, 0);
	assert_int_equal(zte->target_firm, 1);
	assert_int_equal(zte->target_country, -1);
	assert_int_equal(zte->start, 1);
	assert_int_equal(zte->end, 2);
	assert_int_equal(zte->n_sectors, 1);
	assert_int_equal(s->measure_sectors[zte->sector_first], 0);
	const ts_measure_spec *rd = &s->measures[1];
	assert_int_equal(rd->kind, TS_MEASURE_RD_INVESTMENT);
	assert_int_equal(rd->target_country, 1);  /* its own firms */
	assert_int_equal(rd->target_firm, -1);
	assert_int_equal(rd->start, 4);
	assert_int_equal(rd->end, INT_MAX);
	assert_int_equal(rd->n_sectors, 0);
	assert_true(rd->budget == 10.0);
	const ts_measure_spec *ban = &s->measures[2];
	assert_int_equal(ban->kind, TS_MEASURE_PROCUREMENT_BAN);
	assert_int_equal(ban->segment, TS_SEG_GOVERNMENT);
	assert_int_equal(ban->start, 4);
	ts_scenario_free(s);
}

static void include_resolves_against_the_including_files_directory(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_scenario_load(&s, TS_TEST_DATA_DIR "/scenario_main.cfg", NULL, 0, &err);
	if (rc != TS_OK)
		fail_msg("%s", err.message);
	assert_int_equal(s->n_firms, 2);
	assert_string_equal(s->firms[0].id, "Huawei");
	assert_int_equal(s->run.steps_per_year, 12);
	assert_int_equal(s->run.start_period, 11);
	assert_int_equal(s->measures[0].start, 2);  /* 2021-01 is two months after 2020-11 */
	assert_int_equal(ts_scenario_seed(s), 3000000000u);
	ts_scenario_free(s);
}

static void an_error_in_an_included_file_names_that_file_and_line(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "@include \"scenario_badpart.cfg\"\n",
		     TS_TEST_DATA_DIR "/scenario_badpart.cfg:4: countries.US.rd_budgt: unknown setting",
		     "did you mean 'rd_budget'?", NULL);
}

static void a_missing_file_is_an_io_error(void **state)
{
	(void)state;
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load(&s, TS_TEST_DATA_DIR "/no_such.cfg", NULL, 0, &err), TS_EIO);
	assert_null(s);
	assert_non_null(strstr(err.message, "no_such.cfg"));
}

static void a_syntax_error_gives_file_and_line(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES "sectors = { chips = { elasticity = 3.0,; }; };\n",
		     "test.cfg:3: syntax error", NULL);
}

static void a_syntax_error_right_after_a_string_is_reported_at_its_line(void **state)
{
	(void)state;
	/* libconfig 1.5 leaks the string here; the sanitizer run suppresses
	 * that leak alone (tests/lsan.supp): anything of ours would still fail. */
	tu_expect_load_error("run = { steps = 4; };\nx = .\"\";\n", "test.cfg:2: syntax error", NULL);
	tu_expect_load_error("x = .\"a\\\"b\";\n", "test.cfg:1: syntax error", NULL);
}

static void a_text_ending_inside_a_string_is_refused_before_libconfig_reads_it(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "title = \"no end;\n", "test.cfg:5: the file ends inside a string (a '\"' is missing)",
			     NULL);
	tu_expect_load_error(MINI "/* no end\n", "test.cfg:5: the file ends inside a comment (a '*/' is missing)", NULL);
}

static void an_unknown_setting_is_reported_with_a_suggestion(void **state)
{
	(void)state;
	tu_expect_load_error("run = { steps = 20; start = \"2018Q1\";\n  sede = 4; };\n"
		     MINI_COUNTRIES MINI_SECTORS MINI_FIRMS,
		     "test.cfg:2: run.sede: unknown setting 'sede' (did you mean 'seed'?)", NULL);
}

static void an_unknown_top_level_group_is_reported(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "modle = { };\n",
		     "test.cfg:5: modle: unknown setting 'modle' (did you mean 'model'?)", NULL);
}

static void a_string_where_a_number_belongs_is_a_type_error(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "countries = {\n  US = { alignment = \"high\"; };\n};\n"
		     MINI_SECTORS "firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 1.0; }; };\n",
		     "test.cfg:3: countries.US.alignment: expected a number, got a string", NULL);
}

static void a_real_where_an_integer_belongs_is_a_type_error(void **state)
{
	(void)state;
	tu_expect_load_error("run = { steps = 20.5; start = \"2018Q1\"; };\n" MINI_COUNTRIES MINI_SECTORS MINI_FIRMS,
		     "test.cfg:1: run.steps: expected an integer, got a real number", NULL);
}

static void a_negative_market_size_is_out_of_range(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "countries = {\n  US = { markets = { chips = { size = -3.0; }; }; };\n};\n"
		     MINI_SECTORS MINI_FIRMS,
		     "test.cfg:3: countries.US.markets.chips.size: expected a number in [0, 1e+09], got -3", NULL);
}

static void a_share_above_one_is_out_of_range(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "countries = {\n  US = { markets = { chips = { size = 3.0;\n"
		     "    government = 1.2; }; }; };\n};\n" MINI_SECTORS MINI_FIRMS,
		     "test.cfg:4: countries.US.markets.chips.government: expected a number in [0, 1], got 1.2",
		     NULL);
}

static void segment_shares_above_one_together_are_rejected(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "countries = {\n  US = { markets = {\n    chips = { size = 3.0; government = 0.6; "
		     "infrastructure = 0.5; }; }; };\n};\n" MINI_SECTORS MINI_FIRMS,
		     "test.cfg:4: countries.US.markets.chips: government + infrastructure = 1.1", NULL);
}

static void zero_steps_are_out_of_range(void **state)
{
	(void)state;
	tu_expect_load_error("run = { steps = 0; start = \"2018Q1\"; };\n" MINI_COUNTRIES MINI_SECTORS MINI_FIRMS,
		     "test.cfg:1: run.steps: expected an integer in [1, 1000000], got 0", NULL);
}

static void an_elasticity_of_one_is_out_of_range(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES "sectors = { chips = { elasticity = 1; }; };\n" MINI_FIRMS,
		     "test.cfg:3: sectors.chips.elasticity: expected a number in [1.2, 50], got 1", NULL);
}

static void an_undefined_country_is_reported_with_a_suggestion(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES MINI_SECTORS
		     "firms = {\n  Qualcomm = { country = \"USA\"; sector = \"chips\"; capacity = 50.0; };\n};\n",
		     "test.cfg:5: firms.Qualcomm.country: no country 'USA' (did you mean 'US'?)", NULL);
}

static void an_undefined_sector_is_reported_with_a_suggestion(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES MINI_SECTORS
		     "firms = {\n  Qualcomm = { country = \"US\"; sector = \"chip\"; capacity = 50.0; };\n};\n",
		     "test.cfg:5: firms.Qualcomm.sector: no sector 'chip' (did you mean 'chips'?)", NULL);
}

static void an_undefined_firm_target_is_reported_with_a_suggestion(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n  m = { type = \"market_ban\"; actor = \"CN\"; target = \"Qualcom\"; start = 0; };\n};\n",
		     "test.cfg:6: measures.m.target: no firm or country 'Qualcom' (did you mean 'Qualcomm'?)",
		     NULL);
}

static void an_id_used_twice_in_one_group_is_reported_at_its_line(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "countries = {\n  US = { };\n  US = { };\n};\n" MINI_SECTORS MINI_FIRMS,
		     "test.cfg:4: duplicate id or setting name", NULL);
}

static void an_id_shared_by_two_kinds_names_the_first_one(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES "sectors = {\n  chips = { };\n  CN = { };\n};\n" MINI_FIRMS,
		     "test.cfg:5: sectors.CN: duplicate id 'CN': also a country at test.cfg:2", NULL);
}

static void supplier_shares_summing_to_0_9_are_rejected_with_their_sum(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		     "firms = {\n  Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; };\n"
		     "  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 20.0;\n"
		     "    suppliers = { chips = { Qualcomm = 0.6; CN = 0.3; }; }; };\n};\n",
		     "test.cfg:7: firms.ZTE.suppliers.chips: supplier shares sum to 0.9, expected 1", NULL);
}

static void supplier_shares_within_the_tolerance_are_normalised_to_sum_to_one(void **state)
{
	(void)state;
	/* 0.5 + 0.495 = 0.995, within a tolerance of 0.01: each share is divided
	 * by 0.995, 0.5 / 0.995 = 0.50251256281407035, 0.495 / 0.995 =
	 * 0.49748743718592964 (a sum of 0.995 made the model's supply factor
	 * negative when controls cut the other side). */
	ts_scenario *s = tu_load("model = { share_tolerance = 0.01; };\n"
				 MINI_RUN MINI_COUNTRIES "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
				 "firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 5.0; };\n"
				 "  P = { country = \"CN\"; sector = \"phones\"; capacity = 5.0;\n"
				 "        suppliers = { chips = { Q = 0.5; CN = 0.495; }; }; }; };\n");
	assert_int_equal(s->n_links, 2);
	assert_double_equal(s->links[0].share + s->links[1].share, 1.0, 1e-15);
	assert_double_equal(s->links[0].share, 0.50251256281407035, 1e-15);
	assert_double_equal(s->links[1].share, 0.49748743718592964, 1e-15);
	ts_scenario_free(s);
}

static void supplier_shares_summing_to_one_in_decimals_are_kept_as_written(void **state)
{
	(void)state;
	/* 0.7 + 0.2 + 0.1 is 1 in decimals and 0.9999999999999999 in doubles:
	 * a rounding of the sum, not a deviation to divide away (dividing would
	 * make 0.7 0.7000000000000001). */
	ts_scenario *s = tu_load(MINI_RUN "countries = { US = { }; CN = { }; JP = { }; };\n"
				 "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
				 "firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 5.0; };\n"
				 "  P = { country = \"CN\"; sector = \"phones\"; capacity = 5.0;\n"
				 "        suppliers = { chips = { Q = 0.7; US = 0.2; JP = 0.1; }; }; }; };\n");
	assert_true(s->links[0].share == 0.7 && s->links[1].share == 0.2 && s->links[2].share == 0.1);
	ts_scenario_free(s);
}

static void a_supplier_must_be_a_firm_of_the_input_sector_or_a_country(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		     "firms = {\n  Apple = { country = \"US\"; sector = \"phones\"; capacity = 50.0;\n"
		     "    suppliers = { chips = { ZTE = 1.0; }; }; };\n"
		     "  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 20.0;\n"
		     "    suppliers = { chips = { CN = 1.0; }; }; };\n};\n",
		     "test.cfg:6: firms.Apple.suppliers.chips.ZTE: supplier 'ZTE' is a firm of sector 'phones', "
		     "not of input sector 'chips'", NULL);
}

static void a_firm_needs_suppliers_for_every_input_and_only_those(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES
		     "sectors = { chips = { }; litho = { }; phones = { inputs = { chips = 0.3; litho = 0.1; }; }; };\n"
		     "firms = {\n  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 20.0;\n"
		     "    suppliers = { chips = { CN = 1.0; }; phones = { CN = 1.0; }; }; };\n};\n",
		     "test.cfg:6: firms.ZTE.suppliers.phones: 'phones' is not an input of sector 'phones'",
		     "test.cfg:6: firms.ZTE.suppliers.litho: required setting missing", NULL);
}

static void input_cost_shares_must_sum_below_one(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES
		     "sectors = { chips = { }; litho = { };\n  phones = { inputs = { chips = 0.6; litho = 0.4; }; }; };\n"
		     "firms = { ZTE = { country = \"CN\"; sector = \"chips\"; capacity = 20.0; }; };\n",
		     "test.cfg:4: sectors.phones.inputs: input cost shares sum to 1, must be below 1", NULL);
}

static void a_wrapped_integer_seed_asks_for_the_L_suffix(void **state)
{
	(void)state;
	tu_expect_load_error("run = { steps = 20; start = \"2018Q1\"; seed = 4000000000; };\n"
		     MINI_COUNTRIES MINI_SECTORS MINI_FIRMS,
		     "test.cfg:1: run.seed: integer 4000000000 is too large", "4000000000L", NULL);
}

static void a_wrapped_integer_is_found_with_its_value_on_the_next_line(void **state)
{
	(void)state;
	tu_expect_load_error("run = { steps = 20; start = \"2018Q1\"; seed =\n  4000000000; };\n"
		     MINI_COUNTRIES MINI_SECTORS MINI_FIRMS,
		     "test.cfg:2: run.seed: integer 4000000000 is too large", NULL);
}

static void a_wrapped_integer_where_a_real_belongs_is_reported(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "countries = {\n  US = { markets = { chips = { size = 5000000000; }; }; };\n};\n"
		     MINI_SECTORS MINI_FIRMS,
		     "test.cfg:3: countries.US.markets.chips.size: integer 5000000000 is too large", NULL);
}

static void a_wrapped_integer_in_an_included_file_is_reported_there(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN "@include \"scenario_bigint.cfg\"\n" MINI_SECTORS MINI_FIRMS,
		     TS_TEST_DATA_DIR "/scenario_bigint.cfg:2: countries.US.markets.chips.size: "
		     "integer 4000000000 is too large", NULL);
}

static void an_integer_beyond_64_bits_is_reported_without_the_L_advice(void **state)
{
	(void)state;
	ts_error err = tu_load_error("run = { steps = 20; start = \"2018Q1\"; seed = 99999999999999999999L; };\n"
				     MINI_COUNTRIES MINI_SECTORS MINI_FIRMS);
	assert_non_null(strstr(err.message, "test.cfg:1: run.seed: integer 99999999999999999999L is too large even for 64 bits"));
}

static void a_seed_with_the_L_suffix_loads(void **state)
{
	(void)state;
	ts_scenario *s = tu_load("run = { steps = 20; start = \"2018Q1\"; seed = 4000000000L; };\n"
				 MINI_COUNTRIES MINI_SECTORS MINI_FIRMS);
	assert_int_equal(ts_scenario_seed(s), 4000000000u);
	ts_scenario_free(s);
}

static void a_seed_beyond_32_bits_is_out_of_range(void **state)
{
	(void)state;
	tu_expect_load_error("run = { steps = 20; start = \"2018Q1\"; seed = 4294967296L; };\n"
		     MINI_COUNTRIES MINI_SECTORS MINI_FIRMS,
		     "test.cfg:1: run.seed: expected an integer in [1, 4294967295], got 4294967296", NULL);
}

static void a_run_before_year_1000_reads_the_labels_it_writes(void **state)
{
	(void)state;
	ts_scenario *s = tu_load("run = { steps = 8; start = \"0999Q3\"; };\n" MINI_COUNTRIES MINI_SECTORS MINI_FIRMS
				 "measures = { m = { type = \"market_ban\"; actor = \"US\"; target = \"CN\";\n"
				 "                   start = \"1000Q1\"; end = \"1000Q4\"; }; };\n");
	assert_int_equal(s->run.start_year, 999);
	assert_int_equal(s->run.start_period, 3);
	assert_int_equal(s->measures[0].start, 2);
	assert_int_equal(s->measures[0].end, 5);
	char label[32];
	assert_true(ts_calendar_label(&s->run, 0, label, sizeof label));
	assert_string_equal(label, "0999Q3");
	ts_scenario_free(s);
}

static void a_start_after_the_run_names_the_runs_dates(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n  m = { type = \"market_ban\"; actor = \"US\"; target = \"CN\";\n"
		     "        start = \"2023Q1\"; };\n};\n",
		     "test.cfg:7: measures.m.start: step 20 (2023Q1) is after the run, which covers 2018Q1 .. 2022Q4",
		     NULL);
}

static void an_end_before_the_start_is_rejected(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n  m = { type = \"market_ban\"; actor = \"US\"; target = \"CN\";\n"
		     "        start = 3; end = \"2018Q2\"; };\n};\n",
		     "test.cfg:7: measures.m.end: end (step 1 (2018Q2)) must come after start (step 3 (2018Q4))",
		     NULL);
}

static void a_procurement_ban_needs_a_segment_that_others_refuse(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n  p = { type = \"procurement_ban\"; actor = \"US\"; target = \"CN\"; start = 0; };\n"
		     "  b = { type = \"market_ban\"; actor = \"US\"; target = \"CN\"; start = 0;\n"
		     "        segment = \"private\"; budget = 1.0; };\n};\n",
		     "test.cfg:6: measures.p.segment: required setting missing",
		     "test.cfg:8: measures.b.segment: 'segment' applies to procurement_ban and compliance only, not to market_ban",
		     "test.cfg:8: measures.b.budget: 'budget' applies to rd_investment and capacity_investment only, not to market_ban", NULL);
}

static void a_ban_cannot_target_its_actor_or_its_firms(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n  a = { type = \"market_ban\"; actor = \"US\"; target = \"US\"; start = 0; };\n"
		     "  b = { type = \"export_control\"; actor = \"US\"; target = \"Qualcomm\"; start = 0; };\n};\n",
		     "test.cfg:6: measures.a.target: a ban or control cannot target its own actor 'US'",
		     "test.cfg:7: measures.b.target: a ban or control cannot target 'Qualcomm', a firm of its own actor 'US'", NULL);
}

static void an_unknown_measure_type_is_reported_with_a_suggestion(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n  m = { type = \"export_controls\"; actor = \"US\"; target = \"CN\"; start = 0; };\n};\n",
		     "test.cfg:6: measures.m.type: unknown measure type \"export_controls\" "
		     "(did you mean 'export_control'?)", NULL);
}

static void several_problems_are_reported_together(void **state)
{
	(void)state;
	ts_error err = tu_load_error("run = { steps = 0; start = \"2018Q1\"; sede = 1; };\n"
				     MINI_COUNTRIES MINI_SECTORS
				     "firms = { Q = { country = \"XX\"; sector = \"chips\"; capacity = -1.0; }; };\n");
	assert_int_equal(err.count, 4);
	assert_non_null(strstr(err.message, "run.steps"));
	assert_non_null(strstr(err.message, "run.sede"));
	assert_non_null(strstr(err.message, "firms.Q.country"));
	assert_non_null(strstr(err.message, "firms.Q.capacity"));
}

static void the_hash_is_stable_for_identical_text(void **state)
{
	(void)state;
	ts_scenario *a = tu_load(WORLD MEASURES), *b = tu_load(WORLD MEASURES);
	assert_int_equal(strlen(ts_scenario_hash(a)), 64);
	assert_string_equal(ts_scenario_hash(a), ts_scenario_hash(b));
	ts_scenario *c = tu_load(MINI);
	assert_string_not_equal(ts_scenario_hash(a), ts_scenario_hash(c));
	ts_scenario_free(a);
	ts_scenario_free(b);
	ts_scenario_free(c);
}

static void the_written_scenario_loads_back_with_the_same_hash(void **state)
{
	(void)state;
	ts_scenario *a = tu_load(WORLD MEASURES);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_write(a, mem, &err), TS_OK);
	fclose(mem);
	ts_scenario *b = tu_load(text);
	assert_string_equal(ts_scenario_hash(a), ts_scenario_hash(b));
	assert_int_equal(b->n_links, a->n_links);
	free(text);
	ts_scenario_free(a);
	ts_scenario_free(b);
}

static void describe_lists_the_world_and_a_sorted_timeline(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(WORLD MEASURES);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_int_equal(ts_scenario_describe(s, mem, NULL), TS_OK);
	fclose(mem);
	assert_non_null(strstr(text, "20 quarters, 2018Q1 .. 2022Q4, seed 42"));
	assert_non_null(strstr(text, "United States"));
	assert_non_null(strstr(text, "chips from Qualcomm 70%, CN generic 30%"));
	const char *zte = strstr(text, "2018Q2   US  export_control   -> ZTE  [chips]  until 2018Q3");
	const char *rd = strstr(text, "2019Q1   CN  rd_investment");
	const char *ban = strstr(text, "2019Q1   CN  procurement_ban  -> Apple  government segment");
	assert_non_null(zte);
	assert_non_null(rd);
	assert_non_null(ban);
	assert_true(zte < rd && rd < ban);  /* by start, then file order */
	free(text);
	ts_scenario_free(s);
}

static void freeing_null_does_nothing(void **state)
{
	(void)state;
	ts_scenario_free(NULL);
}

static void assert_sha256(const char *text, const char *expected)
{
	char hex[65];
	ts_sha256_hex(text, strlen(text), hex);
	assert_string_equal(hex, expected);
}

static void sha256_matches_the_fips_180_vectors(void **state)
{
	(void)state;
	assert_sha256("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_sha256("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void sha256_gives_the_same_digest_fed_in_pieces(void **state)
{
	(void)state;
	const char *text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	ts_sha256 ctx;
	unsigned char digest[32];
	ts_sha256_init(&ctx);
	for (const char *p = text; *p; p++)
		ts_sha256_update(&ctx, p, 1);
	ts_sha256_final(&ctx, digest);
	assert_int_equal(digest[0], 0x24);
	assert_int_equal(digest[31], 0xc1);
}

static void critical_inputs_that_form_a_cycle_are_rejected(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES
	             "sectors = { chips = { inputs = { litho = 0.1; }; }; litho = { inputs = { chips = 0.2; }; }; phones = { }; };\n"
	             "firms = { Qualcomm = { country = \"US\"; sector = \"phones\"; capacity = 50.0; }; };\n",
	             "test.cfg:3: sectors: critical inputs form a cycle among: chips, litho", NULL);
}

/* Issue 3: the new measure kinds, export-control options, firm and sector keys. */
#define BLOC_COUNTRIES "countries = { US = { bloc = \"west\"; }; CN = { }; JP = { bloc = \"west\"; alignment = 0.8; }; NL = { bloc = \"west\"; }; };\n"
#define BLOC_WORLD MINI_RUN BLOC_COUNTRIES MINI_SECTORS \
	"firms = { Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; };\n" \
	"          SMIC = { country = \"CN\"; sector = \"chips\"; capacity = 9.0; refuses = [\"source_code\", \"data_localisation\"];\n" \
	"                   tech_dependence = { US = 0.3; JP = 0.1; }; anticipation_months = 6.0; }; };\n"

static void new_measure_kinds_load_with_their_documented_defaults(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(BLOC_WORLD
		"measures = {\n"
		"  duty = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 0.25; start = 0; };\n"
		"  ctl = { type = \"export_control\"; actor = \"US\"; target = \"SMIC\"; start = 1; };\n"
		"  audit = { type = \"compliance\"; actor = \"CN\"; requirement = \"source_code\"; start = 2; };\n"
		"  fab = { type = \"capacity_investment\"; actor = \"US\"; target = \"Qualcomm\"; capacity = 12.0; start = 3; };\n"
		"  help = { type = \"subsidy\"; actor = \"CN\"; rate = 0.3; start = 0; enabled = false; };\n"
		"  ask = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"ctl2\"; pressure_per_year = 0.5; start = 4; };\n"
		"  ctl2 = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; licence_share = 0.2;\n"
		"           foreign_direct_product = true; fdp_threshold = 0.4; tech_denial = false; };\n"
		"};\n");
	const ts_measure_spec *m = s->measures;
	assert_int_equal(m[0].kind, TS_MEASURE_TARIFF);
	assert_true(m[0].rate == 0.25 && m[0].target_country == 1 && m[0].enabled);
	assert_true(m[1].licence_share == 0 && !m[1].foreign_direct_product && m[1].fdp_threshold == 0.25 && m[1].tech_denial);
	assert_int_equal(m[2].kind, TS_MEASURE_COMPLIANCE);
	assert_int_equal(m[2].requirement, TS_REQ_SOURCE_CODE);
	assert_true(m[2].cost == 0 && m[2].all_segments && m[2].target_country == -1 && m[2].target_firm == -1);
	assert_true(m[3].capacity == 12.0 && m[3].build_steps == 4 && m[3].budget == 0 && m[3].target_firm == 0);
	assert_true(m[4].rate == 0.3 && !m[4].enabled && m[4].target_country == 1);
	assert_int_equal(m[5].pressed_measure, 6);
	assert_true(m[5].pressure_per_year == 0.5 && m[5].delay == 0 && m[5].n_allies == 0);
	assert_int_equal(m[6].start, INT_MAX);  /* on call */
	assert_true(m[6].licence_share == 0.2 && m[6].foreign_direct_product && m[6].fdp_threshold == 0.4 && !m[6].tech_denial);
	assert_int_equal(s->n_dynamic_measures, 2);  /* JP and NL share the US bloc */
	const ts_firm_spec *smic = &s->firms[1];
	assert_int_equal(smic->refuses, (1u << TS_REQ_SOURCE_CODE) | (1u << TS_REQ_DATA_LOCALISATION));
	assert_true(smic->anticipation == 2.0);
	assert_int_equal(smic->n_tech_dependence, 2);
	assert_int_equal(s->tech_dependence[smic->tech_dependence_first].country, 0);
	assert_true(s->tech_dependence[smic->tech_dependence_first].share == 0.3);
	assert_int_equal(s->firms[0].refuses, 0);
	assert_true(s->firms[0].anticipation == 0 && s->firms[0].n_tech_dependence == 0);
	assert_false(s->sectors[0].has_node);
	ts_scenario_free(s);
}

static void alliance_pressure_with_named_allies_and_a_sector_node_load(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(MINI_RUN BLOC_COUNTRIES
		"sectors = { chips = { node = { reference_tech = 0.1; reference_nm = 16.0; }; }; };\n" MINI_FIRMS
		"measures = {\n"
		"  ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; sectors = [\"chips\"]; };\n"
		"  ask = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"ctl\"; pressure_per_year = 1.0; delay_months = 6;\n"
		"          allies = [\"JP\"]; start = 0; end = 8; };\n"
		"};\n");
	const ts_measure_spec *ask = &s->measures[1];
	assert_int_equal(ask->n_allies, 1);
	assert_int_equal(s->measure_allies[ask->ally_first], 2);
	assert_int_equal(ask->delay, 2);
	assert_int_equal(s->n_dynamic_measures, 1);
	const ts_sector_spec *chips = &s->sectors[0];
	assert_true(chips->has_node && chips->node_reference_tech == 0.1 && chips->node_reference_nm == 16.0 &&
	            chips->node_tech_per_node == 0.35);
	ts_scenario_free(s);
}

static void new_measure_settings_of_the_wrong_type_are_reported(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n"
		     "  a = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = \"high\"; start = 0; enabled = 1; };\n"
		     "  b = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; foreign_direct_product = \"yes\"; start = 0; };\n"
		     "  c = { type = \"capacity_investment\"; actor = \"US\"; target = \"Qualcomm\"; capacity = 1.0; build_months = \"long\"; start = 0; };\n"
		     "};\n",
		     "test.cfg:6: measures.a.rate: expected a number",
		     "test.cfg:6: measures.a.enabled: expected true or false",
		     "test.cfg:7: measures.b.foreign_direct_product: expected true or false",
		     "test.cfg:8: measures.c.build_months:", NULL);
}

static void new_measure_settings_out_of_range_are_reported(void **state)
{
	(void)state;
	ts_error err = tu_load_error(MINI "measures = {\n"
		"  a = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 10.5; start = 0; };\n"
		"  b = { type = \"subsidy\"; actor = \"US\"; rate = 0.95; start = 0; };\n"
		"  c = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; licence_share = 1.5; fdp_threshold = 0.0; start = 0; };\n"
		"  d = { type = \"compliance\"; actor = \"CN\"; requirement = \"certification\"; cost = 2.0; start = 0; };\n"
		"  e = { type = \"capacity_investment\"; actor = \"US\"; target = \"Qualcomm\"; capacity = 0.0; build_months = -1; start = 0; };\n"
		"  f = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"a\"; pressure_per_year = -1.5; delay_months = -1; allies = [\"CN\"]; start = 0; };\n"
		"};\n");
	assert_int_equal(err.status, TS_EINPUT);
	const char *want[] = {
		"test.cfg:6: measures.a.rate:", "test.cfg:7: measures.b.rate:", "test.cfg:8: measures.c.licence_share:",
		"test.cfg:8: measures.c.fdp_threshold:", "test.cfg:9: measures.d.cost:", "test.cfg:10: measures.e.capacity:",
		"test.cfg:10: measures.e.build_months:", "test.cfg:11: measures.f.pressure_per_year:", "test.cfg:11: measures.f.delay_months:",
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
		if (!strstr(err.message, want[k]))
			fail_msg("expected \"%s\" in the error:\n%s", want[k], err.message);
	assert_int_equal(err.count, 9);
}

static void keys_that_do_not_apply_to_a_kind_are_reported_with_the_kind(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n"
		     "  a = { type = \"market_ban\"; actor = \"US\"; target = \"CN\"; rate = 0.1; start = 0; };\n"
		     "  b = { type = \"tariff\"; actor = \"US\"; target = \"CN\"; rate = 0.1; licence_share = 0.5; start = 0; };\n"
		     "  c = { type = \"capacity_investment\"; actor = \"US\"; target = \"Qualcomm\"; capacity = 1.0;\n"
		     "        sectors = [\"chips\"]; start = 0; };\n"
		     "  d = { type = \"alliance_pressure\"; actor = \"US\"; target = \"CN\"; measure = \"a\"; pressure_per_year = 1.0;\n"
		     "        allies = [\"CN\"]; start = 0; };\n"
		     "  e = { type = \"subsidy\"; actor = \"US\"; rate = 0.1; requirement = \"certification\"; start = 0; };\n"
		     "};\n",
		     "test.cfg:6: measures.a.rate: 'rate' applies to tariff and subsidy only, not to market_ban",
		     "test.cfg:7: measures.b.licence_share: 'licence_share' applies to export_control only, not to tariff",
		     "test.cfg:9: measures.c.sectors: 'sectors' does not apply to capacity_investment",
		     "test.cfg:10: measures.d.target: 'target' does not apply to alliance_pressure",
		     "test.cfg:12: measures.e.requirement: 'requirement' applies to compliance only, not to subsidy", NULL);
}

static void required_settings_of_the_new_kinds_are_reported_missing(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n"
		     "  a = { type = \"tariff\"; actor = \"US\"; start = 0; };\n"
		     "  b = { type = \"compliance\"; actor = \"CN\"; start = 0; };\n"
		     "  c = { type = \"capacity_investment\"; actor = \"US\"; start = 0; };\n"
		     "  d = { type = \"alliance_pressure\"; actor = \"US\"; allies = [\"CN\"]; start = 0; };\n"
		     "};\n",
		     "test.cfg:6: measures.a.target: required setting missing",
		     "test.cfg:6: measures.a.rate: required setting missing",
		     "test.cfg:7: measures.b.requirement: required setting missing",
		     "test.cfg:8: measures.c.target: required setting missing",
		     "test.cfg:8: measures.c.capacity: required setting missing",
		     "test.cfg:9: measures.d.measure: required setting missing",
		     "test.cfg:9: measures.d.pressure_per_year: required setting missing", NULL);
}

static void a_tariff_targets_a_country_not_a_firm(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n"
		     "  a = { type = \"tariff\"; actor = \"CN\"; target = \"Qualcomm\"; rate = 0.25; start = 0; };\n"
		     "  b = { type = \"tariff\"; actor = \"CN\"; target = \"CN\"; rate = 0.25; start = 0; };\n"
		     "  c = { type = \"capacity_investment\"; actor = \"CN\"; target = \"US\"; capacity = 1.0; start = 0; };\n"
		     "};\n",
		     "test.cfg:6: measures.a.target: 'Qualcomm' is a firm, expected a country (a tariff applies to the firms of a country of origin)",
		     "test.cfg:7: measures.b.target: a tariff cannot target its own actor 'CN'",
		     "test.cfg:8: measures.c.target: 'US' is a country, expected a firm", NULL);
}

static void compliance_and_subsidy_targets_are_checked(void **state)
{
	(void)state;
	tu_expect_load_error(MINI "measures = {\n"
		     "  a = { type = \"compliance\"; actor = \"US\"; target = \"Qualcomm\"; requirement = \"certification\"; start = 0; };\n"
		     "  b = { type = \"subsidy\"; actor = \"US\"; target = \"CN\"; rate = 0.1; start = 0; };\n"
		     "  c = { type = \"compliance\"; actor = \"CN\"; requirement = \"source_codes\"; segment = \"goverment\"; start = 0; };\n"
		     "};\n",
		     "test.cfg:6: measures.a.target: a compliance measure cannot target 'Qualcomm', a firm of its own actor 'US'",
		     "test.cfg:7: measures.b.target: a subsidy targets its actor's own firms: leave 'target' out or set it to 'US'",
		     "test.cfg:8: measures.c.requirement: expected \"certification\", \"source_code\" or \"data_localisation\", "
		     "got \"source_codes\" (did you mean 'source_code'?)",
		     "test.cfg:8: measures.c.segment: expected \"government\", \"infrastructure\" or \"private\", got \"goverment\"",
		     NULL);
}

static void dangling_ids_in_the_new_settings_are_reported_with_a_suggestion(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN BLOC_COUNTRIES MINI_SECTORS
		     "firms = { Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0;\n"
		     "                       refuses = [\"sourcecode\"]; tech_dependence = { JPP = 0.2; }; }; };\n"
		     "measures = {\n"
		     "  ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; start = 0; };\n"
		     "  ask = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"ctll\"; pressure_per_year = 1.0;\n"
		     "          allies = [\"NLL\", \"JP\", \"JP\", \"US\"]; start = 0; };\n"
		     "};\n",
		     "test.cfg:5: firms.Qualcomm.refuses[0]: expected \"certification\", \"source_code\" or \"data_localisation\", "
		     "got \"sourcecode\" (did you mean 'source_code'?)",
		     "test.cfg:5: firms.Qualcomm.tech_dependence.JPP: no country 'JPP' (did you mean 'JP'?)",
		     "test.cfg:8: measures.ask.measure: no measure 'ctll' (did you mean 'ctl'?)",
		     "test.cfg:9: measures.ask.allies[0]: no country 'NLL' (did you mean 'NL'?)",
		     "test.cfg:9: measures.ask.allies[2]: country 'JP' is listed twice",
		     "test.cfg:9: measures.ask.allies[3]: 'US' is the actor itself, not an ally", NULL);
}

static void alliance_pressure_must_press_a_measure_of_its_own_actor(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN BLOC_COUNTRIES MINI_SECTORS MINI_FIRMS
		     "measures = {\n"
		     "  cn_ban = { type = \"market_ban\"; actor = \"CN\"; target = \"US\"; };\n"
		     "  ask = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"cn_ban\"; pressure_per_year = 1.0; start = 0; };\n"
		     "  again = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"ask\"; pressure_per_year = 1.0; start = 0; };\n"
		     "  lonely = { type = \"alliance_pressure\"; actor = \"CN\"; measure = \"cn_ban\"; pressure_per_year = 1.0; start = 0; };\n"
		     "};\n",
		     "test.cfg:7: measures.ask.measure: 'cn_ban' is a measure of 'CN'; 'US' can only press allies to adopt its own measures",
		     "test.cfg:8: measures.again.measure: 'ask' is an alliance_pressure",
		     "test.cfg:9: measures.lonely: no allies to press: 'CN' shares its bloc \"\" with no other country", NULL);
}

static void a_sector_node_needs_positive_sizes_and_known_keys(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES
		     "sectors = { chips = { node = { reference_nm = 0.0; tech_per_node = -0.1; referense_tech = 1.0; }; }; };\n"
		     MINI_FIRMS,
		     "test.cfg:3: sectors.chips.node.reference_nm:",
		     "test.cfg:3: sectors.chips.node.tech_per_node:",
		     "test.cfg:3: sectors.chips.node.referense_tech: unknown setting 'referense_tech' (did you mean 'reference_tech'?)",
		     NULL);
}

static void firm_settings_of_issue_3_are_range_checked(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN MINI_COUNTRIES MINI_SECTORS
		     "firms = { Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; anticipation_months = -1.0;\n"
		     "                       refuses = \"source_code\"; tech_dependence = { CN = 1.5; }; }; };\n",
		     "test.cfg:4: firms.Qualcomm.anticipation_months:",
		     "test.cfg:5: firms.Qualcomm.refuses: expected an array of requirements",
		     "test.cfg:5: firms.Qualcomm.tech_dependence.CN:", NULL);
}


/* ---- time (docs/scenario.md, "run" and "Time") ---- */

#define TIME_WORLD(run) "run = { " run " };\n" MINI_COUNTRIES MINI_SECTORS MINI_FIRMS

/* run.end is the last period, inclusive, in any calendar: 2018Q1 .. 2019Q4
 * is 8 quarters or 24 months; "2019" ends with December 2019 too. */
static void the_runs_length_follows_from_its_end_in_any_calendar(void **state)
{
	(void)state;
	const char *runs[] = { "start = \"2018Q1\"; end = \"2019Q4\";",
			       "start = \"2018Q1\"; end = \"2019Q4\"; step = \"month\";",
			       "start = \"2018-01\"; end = \"2019\"; step = \"month\";",
			       "start = \"2018\"; end = \"2019-12\"; step = \"year\";",
			       "start = \"2018\"; end = \"2019-01\";" };
	const int steps[] = { 8, 24, 24, 2, 5 };
	for (int k = 0; k < 5; k++) {
		char text[1024];
		snprintf(text, sizeof text, TIME_WORLD("%s"), runs[k]);
		ts_scenario *s = tu_load(text);
		if (ts_scenario_steps(s) != steps[k])
			fail_msg("run { %s }: %d steps, expected %d", runs[k], ts_scenario_steps(s), steps[k]);
		ts_scenario_free(s);
	}
}

/* Step 0 is the period of the run's calendar that holds run.start: 2018Q3
 * is the year 2018, and the month 2018-08 the quarter 2018Q3. */
static void the_run_starts_in_the_period_that_holds_its_start(void **state)
{
	(void)state;
	ts_scenario *y = tu_load(TIME_WORLD("start = \"2018Q3\"; step = \"year\"; end = \"2019\";"));
	assert_int_equal(y->run.start_year, 2018);
	assert_int_equal(y->run.start_period, 1);
	assert_int_equal(ts_scenario_steps(y), 2);
	ts_scenario *q = tu_load(TIME_WORLD("start = \"2018-08\"; end = \"2018-12\";"));
	assert_int_equal(q->run.start_period, 3);
	assert_int_equal(ts_scenario_steps(q), 2);
	ts_scenario_free(y);
	ts_scenario_free(q);
}

static void end_and_steps_together_or_an_end_before_the_start_are_errors(void **state)
{
	(void)state;
	tu_expect_load_error(TIME_WORLD("start = \"2018Q1\"; end = \"2019Q4\"; steps = 8;"),
			     "test.cfg:1: run.end: give either run.end (the last period) or run.steps, not both", NULL);
	tu_expect_load_error(TIME_WORLD("start = \"2018Q1\"; end = \"2017Q4\";"),
			     "test.cfg:1: run.end: the run from its start to the end of 2017Q4 would take 0 steps", NULL);
	tu_expect_load_error(TIME_WORLD("start = \"2018Q1\"; end = \"soon\";"),
			     "test.cfg:1: run.end: expected a date label like \"2018Q1\"", NULL);
	tu_expect_load_error(TIME_WORLD("start = \"2018Q1\";"), "test.cfg:1: run.steps: required setting missing", NULL);
}

/* A measure's dates in another calendar fall on the nearest boundary of the
 * run's: in a quarterly run from 2018Q1, "2018-05" is step 1 (2018Q2) and
 * "2018-09" step 3 (2018Q4: 1 Sep is nearer 1 Oct than 1 Jul). */
static void measure_dates_of_another_calendar_fall_on_the_nearest_step(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(MINI_RUN MINI_COUNTRIES MINI_SECTORS MINI_FIRMS
		"measures = { ban = { type = \"market_ban\"; actor = \"CN\"; target = \"US\"; start = \"2018-05\"; end = \"2018-09\"; }; };\n");
	assert_int_equal(s->measures[0].start, 1);
	assert_int_equal(s->measures[0].end, 3);
	ts_scenario_free(s);
}

/* Spans in months become the nearest whole number of steps: 8 months of
 * build time is 3 quarters (8/3 = 2.67), an adoption delay of 1.5 months 0
 * (half a quarter: the tie goes to the fewer), a purchase of 1 month 1
 * quarter (at least one); a quarter's reaction is one step. */
static void spans_in_months_become_the_nearest_whole_number_of_steps(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(MINI_RUN
		"countries = { US = { bloc = \"west\"; }; CN = { markets = { chips = { size = 10.0; }; }; }; JP = { bloc = \"west\"; }; };\n"
		MINI_SECTORS MINI_FIRMS
		"measures = {\n"
		"  fab = { type = \"capacity_investment\"; actor = \"US\"; target = \"Qualcomm\"; capacity = 1.0; build_months = 8; start = 0; };\n"
		"  ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; };\n"
		"  ask = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"ctl\"; pressure_per_year = 1.0; delay_months = 1.5; start = 0; };\n"
		"};\n"
		"deals = { d = { lifts = [\"ctl\"]; purchase = 1.0; buyer = \"CN\"; seller = \"US\"; sector = \"chips\"; purchase_months = 1; }; };\n");
	assert_int_equal(s->measures[0].build_steps, 3);
	assert_int_equal(s->measures[2].delay, 0);
	assert_true(s->measures[2].delay_months == 1.5);
	assert_int_equal(s->deals[0].purchase_steps, 1);
	ts_scenario_free(s);
}

/* Old settings that counted steps name what to write now, at the run's
 * step: 0.5 quarters of stock is 1.5 months; a quarter's re-sourcing share
 * 0.05 is a half-life of ln 2 / (-4 ln 0.95) = 3.378 years; 2 quarters of
 * anticipation 6 months; 2 build steps 6 months; pressure 0.5 a quarter
 * -4 ln(0.5) = 2.773 a year; a delay of 1 quarter 3 months; 4 purchase
 * quarters 12 months. */
static void firm_measure_and_deal_settings_renamed_with_their_unit_say_what_to_write(void **state)
{
	(void)state;
	tu_expect_load_error(MINI_RUN BLOC_COUNTRIES "sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
		"firms = { Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; };\n"
		"          ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 20.0; substitution_rate = 0.05; anticipation = 2;\n"
		"                  suppliers = { chips = { Qualcomm = 1.0; }; }; stockpile = { chips = 0.5; }; }; };\n"
		"measures = {\n"
		"  fab = { type = \"capacity_investment\"; actor = \"US\"; target = \"Qualcomm\"; capacity = 1.0; build_steps = 2; start = 0; };\n"
		"  ctl = { type = \"export_control\"; actor = \"US\"; target = \"CN\"; };\n"
		"  ask = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"ctl\"; pressure = 0.5; delay = 1; start = 0; };\n"
		"};\n"
		"deals = { d = { lifts = [\"ctl\"]; purchase = 1.0; buyer = \"CN\"; seller = \"US\"; sector = \"chips\"; purchase_steps = 4; }; };\n",
		"firms.ZTE.stockpile: 'stockpile' is now 'stockpile_months', in months of use: write stockpile_months = { chips = 1.5; } (was in quarters)",
		"firms.ZTE.substitution_rate: 'substitution_rate' is now 'substitution_half_life', years until half the cut-off "
		"supply is re-sourced: write substitution_half_life = 3.378 (was 0.05 a quarter)",
		"firms.ZTE.anticipation: 'anticipation' is now 'anticipation_months', in months of use: write anticipation_months = 6 (was 2 a quarter)",
		"measures.fab.build_steps: 'build_steps' is now 'build_months', the time to build, in months: write build_months = 6",
		"measures.ask.pressure: 'pressure' is now 'pressure_per_year', alignment x it is the ally's adoptions per year "
		"(a Poisson rate): write pressure_per_year = 2.773 (was 0.5 a quarter)",
		"measures.ask.delay: 'delay' is now 'delay_months', in months: write delay_months = 3 (was 1 a quarter)",
		"deals.d.purchase_steps: 'purchase_steps' is now 'purchase_months', in months: write purchase_months = 12", NULL);
}

int main(void)
{
	const struct CMUnitTest scenario_tests[] = {
		cmocka_unit_test(a_valid_world_loads_with_entities_in_file_order),
		cmocka_unit_test(the_runs_length_follows_from_its_end_in_any_calendar),
		cmocka_unit_test(the_run_starts_in_the_period_that_holds_its_start),
		cmocka_unit_test(end_and_steps_together_or_an_end_before_the_start_are_errors),
		cmocka_unit_test(measure_dates_of_another_calendar_fall_on_the_nearest_step),
		cmocka_unit_test(spans_in_months_become_the_nearest_whole_number_of_steps),
		cmocka_unit_test(firm_measure_and_deal_settings_renamed_with_their_unit_say_what_to_write),
		cmocka_unit_test(settings_left_out_take_their_documented_defaults),
		cmocka_unit_test(markets_are_dense_with_segment_shares_summing_to_one),
		cmocka_unit_test(slots_follow_the_sector_inputs_and_links_the_order_written),
		cmocka_unit_test(measures_resolve_dates_targets_and_sectors),
		cmocka_unit_test(include_resolves_against_the_including_files_directory),
		cmocka_unit_test(an_error_in_an_included_file_names_that_file_and_line),
		cmocka_unit_test(a_missing_file_is_an_io_error),
		cmocka_unit_test(a_syntax_error_gives_file_and_line),
		cmocka_unit_test(a_syntax_error_right_after_a_string_is_reported_at_its_line),
		cmocka_unit_test(a_text_ending_inside_a_string_is_refused_before_libconfig_reads_it),
		cmocka_unit_test(an_unknown_setting_is_reported_with_a_suggestion),
		cmocka_unit_test(an_unknown_top_level_group_is_reported),
		cmocka_unit_test(a_string_where_a_number_belongs_is_a_type_error),
		cmocka_unit_test(a_real_where_an_integer_belongs_is_a_type_error),
		cmocka_unit_test(a_negative_market_size_is_out_of_range),
		cmocka_unit_test(a_share_above_one_is_out_of_range),
		cmocka_unit_test(segment_shares_above_one_together_are_rejected),
		cmocka_unit_test(zero_steps_are_out_of_range),
		cmocka_unit_test(an_elasticity_of_one_is_out_of_range),
		cmocka_unit_test(an_undefined_country_is_reported_with_a_suggestion),
		cmocka_unit_test(an_undefined_sector_is_reported_with_a_suggestion),
		cmocka_unit_test(an_undefined_firm_target_is_reported_with_a_suggestion),
		cmocka_unit_test(an_id_used_twice_in_one_group_is_reported_at_its_line),
		cmocka_unit_test(an_id_shared_by_two_kinds_names_the_first_one),
		cmocka_unit_test(supplier_shares_summing_to_0_9_are_rejected_with_their_sum),
		cmocka_unit_test(supplier_shares_within_the_tolerance_are_normalised_to_sum_to_one),
		cmocka_unit_test(supplier_shares_summing_to_one_in_decimals_are_kept_as_written),
		cmocka_unit_test(a_supplier_must_be_a_firm_of_the_input_sector_or_a_country),
		cmocka_unit_test(a_firm_needs_suppliers_for_every_input_and_only_those),
		cmocka_unit_test(input_cost_shares_must_sum_below_one),
		cmocka_unit_test(a_wrapped_integer_seed_asks_for_the_L_suffix),
		cmocka_unit_test(a_wrapped_integer_is_found_with_its_value_on_the_next_line),
		cmocka_unit_test(a_wrapped_integer_where_a_real_belongs_is_reported),
		cmocka_unit_test(a_wrapped_integer_in_an_included_file_is_reported_there),
		cmocka_unit_test(an_integer_beyond_64_bits_is_reported_without_the_L_advice),
		cmocka_unit_test(a_seed_with_the_L_suffix_loads),
		cmocka_unit_test(a_seed_beyond_32_bits_is_out_of_range),
		cmocka_unit_test(a_run_before_year_1000_reads_the_labels_it_writes),
		cmocka_unit_test(a_start_after_the_run_names_the_runs_dates),
		cmocka_unit_test(an_end_before_the_start_is_rejected),
		cmocka_unit_test(a_procurement_ban_needs_a_segment_that_others_refuse),
		cmocka_unit_test(a_ban_cannot_target_its_actor_or_its_firms),
		cmocka_unit_test(an_unknown_measure_type_is_reported_with_a_suggestion),
		cmocka_unit_test(several_problems_are_reported_together),
		cmocka_unit_test(critical_inputs_that_form_a_cycle_are_rejected),
		cmocka_unit_test(the_hash_is_stable_for_identical_text),
		cmocka_unit_test(the_written_scenario_loads_back_with_the_same_hash),
		cmocka_unit_test(describe_lists_the_world_and_a_sorted_timeline),
		cmocka_unit_test(freeing_null_does_nothing),
		cmocka_unit_test(new_measure_kinds_load_with_their_documented_defaults),
		cmocka_unit_test(alliance_pressure_with_named_allies_and_a_sector_node_load),
		cmocka_unit_test(new_measure_settings_of_the_wrong_type_are_reported),
		cmocka_unit_test(new_measure_settings_out_of_range_are_reported),
		cmocka_unit_test(keys_that_do_not_apply_to_a_kind_are_reported_with_the_kind),
		cmocka_unit_test(required_settings_of_the_new_kinds_are_reported_missing),
		cmocka_unit_test(a_tariff_targets_a_country_not_a_firm),
		cmocka_unit_test(compliance_and_subsidy_targets_are_checked),
		cmocka_unit_test(dangling_ids_in_the_new_settings_are_reported_with_a_suggestion),
		cmocka_unit_test(alliance_pressure_must_press_a_measure_of_its_own_actor),
		cmocka_unit_test(a_sector_node_needs_positive_sizes_and_known_keys),
		cmocka_unit_test(firm_settings_of_issue_3_are_range_checked),
	};
	const struct CMUnitTest sha256_tests[] = {
		cmocka_unit_test(sha256_matches_the_fips_180_vectors),
		cmocka_unit_test(sha256_gives_the_same_digest_fed_in_pieces),
	};
	int failed = cmocka_run_group_tests_name("scenario", scenario_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("sha256", sha256_tests, NULL, NULL);
	return failed;
}
