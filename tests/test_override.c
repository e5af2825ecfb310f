/* `--set PATH=VALUE` overrides (sim/override.c) as the loader applies them. */
#include "testutil.h"
#include <stdlib.h>
#include <string.h>
#include "scenario/spec.h"

#define WORLD \
	"run = { steps = 20; start = \"2018Q1\"; seed = 42; };\n" \
	"model = { tech_weight = 2.0; };\n" \
	"countries = {\n" \
	"  US = { rd_budget = 1.5; markets = { phones = { size = 300.0; }; }; };\n" \
	"  CN = { markets = { phones = { size = 400.0; }; }; };\n" \
	"};\n" \
	"sectors = { chips = { }; litho = { }; phones = { inputs = { chips = 0.3; }; }; };\n" \
	"firms = {\n" \
	"  Qualcomm = { country = \"US\"; sector = \"chips\"; capacity = 50.0; };\n" \
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 20.0;\n" \
	"          suppliers = { chips = { Qualcomm = 0.7; CN = 0.3; }; }; };\n" \
	"};\n" \
	"measures = {\n" \
	"  zte_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\";\n" \
	"                 sectors = [\"chips\"]; start = \"2018Q2\"; end = \"2018Q3\"; };\n" \
	"};\n"

static int load_with(ts_scenario **s, ts_error *err, const ts_override *o, size_t n)
{
	return ts_scenario_load_string(s, WORLD, "test.cfg", TS_TEST_DATA_DIR, o, n, err);
}

static ts_scenario *load_ok(const ts_override *o, size_t n)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (load_with(&s, &err, o, n) != TS_OK)
		fail_msg("override should load: %s", err.message);
	return s;
}

static void expect_override_error(const ts_override *o, size_t n, const char *want)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(load_with(&s, &err, o, n), TS_EINPUT);
	assert_null(s);
	if (!strstr(err.message, want))
		fail_msg("expected \"%s\" in the error:\n%s", want, err.message);
}

static void a_real_override_replaces_a_real_setting(void **state)
{
	(void)state;
	ts_override o[] = { { "model.tech_weight", "2.5" }, { "countries.US.rd_budget", "0.02" } };
	ts_scenario *s = load_ok(o, 2);
	assert_true(s->model.tech_weight == 2.5);
	assert_true(s->countries[0].rd_budget == 0.02);
	ts_scenario_free(s);
}

static void an_integer_setting_takes_an_integer_or_an_exact_real(void **state)
{
	(void)state;
	ts_override o[] = { { "run.steps", "30" } };
	ts_scenario *s = load_ok(o, 1);
	assert_int_equal(ts_scenario_steps(s), 30);
	ts_scenario_free(s);
	ts_override exact[] = { { "run.steps", "31.0" } };
	s = load_ok(exact, 1);
	assert_int_equal(ts_scenario_steps(s), 31);
	char *text = tu_written(s);
	assert_non_null(strstr(text, "steps = 31;"));  /* still an integer */
	free(text);
	ts_scenario_free(s);
}

static void an_integer_given_to_a_real_setting_stays_real(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.CN.markets.phones.size", "250" } };
	ts_scenario *s = load_ok(o, 1);
	assert_true(s->markets[1 * s->n_sectors + 2].size == 250.0);
	char *text = tu_written(s);
	assert_non_null(strstr(text, "size = 250.0;"));
	free(text);
	ts_scenario_free(s);
}

static void a_fractional_value_for_an_integer_is_a_type_error_at_the_override(void **state)
{
	(void)state;
	ts_override o[] = { { "run.steps", "2.5" } };
	expect_override_error(o, 1, "--set run.steps: expected an integer, got a real number 2.5");
}

static void a_new_key_is_added_then_rejected_as_unknown(void **state)
{
	(void)state;
	ts_override o[] = { { "run.sede", "5" } };
	expect_override_error(o, 1, "--set run.sede: unknown setting 'sede' (did you mean 'seed'?)");
}

static void a_new_known_key_is_added_and_used(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.CN.home_bias", "0.5" } };
	ts_scenario *s = load_ok(o, 1);
	assert_true(s->countries[1].home_bias == 0.5);
	ts_scenario_free(s);
}

static void a_missing_parent_is_an_error_with_a_suggestion(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.CNN.rd_budget", "1" } };
	expect_override_error(o, 1, "--set countries.CNN.rd_budget: no setting 'countries.CNN' (did you mean 'CN'?)");
}

static void an_element_of_the_sectors_array_can_be_replaced(void **state)
{
	(void)state;
	ts_override o[] = { { "measures.zte_denial.sectors.0", "\"litho\"" } };
	ts_scenario *s = load_ok(o, 1);
	const ts_measure_spec *m = &s->measures[0];
	assert_int_equal(m->n_sectors, 1);
	assert_int_equal(s->measure_sectors[m->sector_first], 1);
	ts_scenario_free(s);
}

static void a_whole_sectors_array_can_be_replaced(void **state)
{
	(void)state;
	ts_override o[] = { { "measures.zte_denial.sectors", "[\"litho\", \"chips\"]" } };
	ts_scenario *s = load_ok(o, 1);
	const ts_measure_spec *m = &s->measures[0];
	assert_int_equal(m->n_sectors, 2);
	assert_int_equal(s->measure_sectors[m->sector_first], 1);
	assert_int_equal(s->measure_sectors[m->sector_first + 1], 0);
	ts_scenario_free(s);
}

static void an_error_inside_an_overridden_array_names_the_override(void **state)
{
	(void)state;
	ts_override o[] = { { "measures.zte_denial.sectors", "[\"chips\", \"phone\"]" } };
	expect_override_error(o, 1, "--set measures.zte_denial.sectors: measures.zte_denial.sectors[1]: "
			      "no sector 'phone' (did you mean 'phones'?)");
}

static void a_bare_word_is_taken_as_a_string(void **state)
{
	(void)state;
	ts_override o[] = { { "run.start", "2017Q3" }, { "measures.zte_denial.end", "2018Q4" } };
	ts_scenario *s = load_ok(o, 2);
	assert_int_equal(s->run.start_year, 2017);
	assert_int_equal(s->run.start_period, 3);
	assert_int_equal(s->measures[0].start, 3);  /* 2018Q2 */
	assert_int_equal(s->measures[0].end, 5);
	ts_scenario_free(s);
}

static void a_value_that_fails_to_parse_after_a_string_is_a_bare_word(void **state)
{
	(void)state;
	/* libconfig reads ."x" as a real and a string, a syntax error (and
	 * leaks the string: tests/lsan.supp); the value is then text. */
	ts_override o[] = { { "countries.US.name", ".\"x\"" }, { "countries.CN.name", "\"open" } };
	ts_scenario *s = load_ok(o, 2);
	assert_string_equal(s->countries[0].name, ".\"x\"");
	assert_string_equal(s->countries[1].name, "\"open");  /* ends inside a string: never given to libconfig */
	ts_scenario_free(s);
}

static void a_string_where_a_number_belongs_is_a_type_error_at_the_override(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.US.rd_budget", "lots" } };
	expect_override_error(o, 1, "--set countries.US.rd_budget: expected a number, got a string \"lots\"");
}

static void an_integer_too_large_in_an_override_asks_for_the_L_suffix(void **state)
{
	(void)state;
	ts_override o[] = { { "run.seed", "4000000000" } };
	expect_override_error(o, 1, "--set run.seed: integer 4000000000 is too large");
	ts_override fixed[] = { { "run.seed", "4000000000L" } };
	ts_scenario *s = load_ok(fixed, 1);
	assert_int_equal(ts_scenario_seed(s), 4000000000u);
	ts_scenario_free(s);
}

static void replacing_a_whole_entity_keeps_its_place(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.US", "{ rd_budget = 9.0; }" } };
	ts_scenario *s = load_ok(o, 1);
	assert_string_equal(s->countries[0].id, "US");
	assert_string_equal(s->countries[1].id, "CN");
	assert_true(s->countries[0].rd_budget == 9.0);
	assert_true(s->markets[0 * s->n_sectors + 2].size == 0);  /* its markets went */
	ts_scenario_free(s);
}

static void the_hash_changes_with_an_overridden_value_only(void **state)
{
	(void)state;
	ts_scenario *plain = load_ok(NULL, 0);
	ts_override same[] = { { "model.tech_weight", "2.0" } };
	ts_scenario *unchanged = load_ok(same, 1);
	ts_override other[] = { { "model.tech_weight", "2.5" } };
	ts_scenario *changed = load_ok(other, 1);
	assert_string_equal(ts_scenario_hash(plain), ts_scenario_hash(unchanged));
	assert_string_not_equal(ts_scenario_hash(plain), ts_scenario_hash(changed));
	ts_scenario_free(plain);
	ts_scenario_free(unchanged);
	ts_scenario_free(changed);
}

static void a_malformed_path_is_an_error(void **state)
{
	(void)state;
	ts_override o[] = { { "run..steps", "3" } };
	expect_override_error(o, 1, "--set run..steps: not a setting path");
}

static void an_element_index_beyond_the_array_is_an_error(void **state)
{
	(void)state;
	ts_override o[] = { { "measures.zte_denial.sectors.3", "\"chips\"" } };
	expect_override_error(o, 1, "--set measures.zte_denial.sectors.3: no element 3 (the array has 1)");
}

/* "Time": a scenario with run.end switches its step by run.step alone:
 * zte_2018.cfg runs 2018-01 .. 2019-06, 18 months or 6 quarters, and its
 * order of "2018-04" falls on 2018Q2; its deal's earliest "2018-07" on 2018Q3. */
static void overriding_the_step_alone_keeps_the_runs_dates(void **state)
{
	(void)state;
	ts_override o[] = { { "run.step", "quarter" } };
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load(&s, TS_SOURCE_DIR "/scenarios/zte_2018.cfg", o, 1, &err), TS_OK);
	assert_int_equal(s->run.steps_per_year, 4);
	assert_int_equal(ts_scenario_steps(s), 6);
	int order = -1;
	for (int j = 0; j < s->n_measures; j++)
		if (strcmp(s->measures[j].id, "zte_denial") == 0)
			order = s->measures[j].start;
	assert_int_equal(order, 1);
	assert_int_equal(s->deals[0].earliest, 2);
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest override_tests[] = {
		cmocka_unit_test(a_real_override_replaces_a_real_setting),
		cmocka_unit_test(an_integer_setting_takes_an_integer_or_an_exact_real),
		cmocka_unit_test(an_integer_given_to_a_real_setting_stays_real),
		cmocka_unit_test(a_fractional_value_for_an_integer_is_a_type_error_at_the_override),
		cmocka_unit_test(a_new_key_is_added_then_rejected_as_unknown),
		cmocka_unit_test(a_new_known_key_is_added_and_used),
		cmocka_unit_test(a_missing_parent_is_an_error_with_a_suggestion),
		cmocka_unit_test(an_element_of_the_sectors_array_can_be_replaced),
		cmocka_unit_test(a_whole_sectors_array_can_be_replaced),
		cmocka_unit_test(an_error_inside_an_overridden_array_names_the_override),
		cmocka_unit_test(a_bare_word_is_taken_as_a_string),
		cmocka_unit_test(a_value_that_fails_to_parse_after_a_string_is_a_bare_word),
		cmocka_unit_test(a_string_where_a_number_belongs_is_a_type_error_at_the_override),
		cmocka_unit_test(an_integer_too_large_in_an_override_asks_for_the_L_suffix),
		cmocka_unit_test(replacing_a_whole_entity_keeps_its_place),
		cmocka_unit_test(the_hash_changes_with_an_overridden_value_only),
		cmocka_unit_test(a_malformed_path_is_an_error),
		cmocka_unit_test(an_element_index_beyond_the_array_is_an_error),
		cmocka_unit_test(overriding_the_step_alone_keeps_the_runs_dates),
	};
	return cmocka_run_group_tests_name("override", override_tests, NULL, NULL);
}
