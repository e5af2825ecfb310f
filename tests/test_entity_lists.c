/* Entity tables as lists of groups with an `id` (docs/scenario.md, "Two
 * forms of the entity tables"): `firms = ( { id = "Q"; ... }, ... );` loads
 * to the same scenario as `firms = { Q = { ... }; ... };`, with the same
 * checks (duplicate ids naming both lines, unknown keys with a
 * did-you-mean), and overrides and sweeps name its entries by id. */
#define _GNU_SOURCE
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sweep.h>
#include "scenario/spec.h"
#include "small_world.h"

/* small_world.h's world with every entity table as a list, line for line. */
static const char *const list_world =
	"run = { steps = 10; start = \"2018Q1\"; seed = 5; };\n"
	"countries = (\n"
	"  { id = \"US\"; markets = { chips = { size = 100.0; }; phones = { size = 300.0; government = 0.1; }; }; },\n"
	"  { id = \"CN\"; markets = { phones = { size = 400.0; government = 0.08; }; }; }\n"
	");\n"
	"sectors = ( { id = \"chips\"; }, { id = \"phones\"; inputs = { chips = 0.3; }; } );\n"
	"firms = (\n"
	"  { id = \"Q\"; country = \"US\"; sector = \"chips\"; capacity = 300.0; rd_intensity = 0.2; },\n"
	"  { id = \"S\"; country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -0.5; rd_intensity = 0.1; },\n"
	"  { id = \"Apple\"; country = \"US\"; sector = \"phones\"; capacity = 400.0; rd_intensity = 0.06; jobs_per_bn = 500.0;\n"
	"            suppliers = { chips = { Q = 1.0; }; }; },\n"
	"  { id = \"ZTE\"; country = \"CN\"; sector = \"phones\"; capacity = 400.0; rd_intensity = 0.1;\n"
	"          suppliers = { chips = { Q = 0.7; S = 0.3; }; }; stockpile_months = { chips = 2.1; }; }\n"
	");\n"
	"measures = (\n"
	"  { id = \"zte_denial\"; type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; start = \"2018Q2\"; end = \"2018Q3\"; },\n"
	"  { id = \"state_ban\"; type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"government\"; start = 6; }\n"
	");\n"
	"deals = ( { id = \"settle\"; lifts = [\"zte_denial\"]; earliest = \"2018Q3\"; } );\n";

/* list_world with `from` (which must occur once) replaced by `to`: the
 * caller frees. */
static char *edited(const char *from, const char *to)
{
	const char *at = strstr(list_world, from);
	if (!at || strstr(at + 1, from))
		fail_msg("'%s' does not occur once in the list world", from);
	char *text = NULL;
	if (asprintf(&text, "%.*s%s%s", (int)(at - list_world), list_world, to, at + strlen(from)) < 0)
		fail_msg("out of memory");
	return text;
}

static void expect_edit_refused(const char *from, const char *to, const char *message)
{
	char *text = edited(from, to);
	tu_expect_load_error(text, message, NULL);
	free(text);
}

static char *described(const ts_scenario *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ts_error err = TS_ERROR_INIT;
	assert_non_null(f);
	assert_int_equal(ts_scenario_describe(s, f, &err), TS_OK);
	fclose(f);
	return text;
}

static ts_scenario *load_overridden(const char *text, const ts_override *o, size_t n)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load_string(&s, text, "world.cfg", NULL, o, n, &err) != TS_OK)
		fail_msg("did not load: %s", err.message);
	return s;
}

static void the_list_form_loads_to_the_same_scenario_as_the_group_form(void **state)
{
	(void)state;
	char *with_deal = NULL;
	assert_true(asprintf(&with_deal, "%sdeals = { settle = { lifts = [\"zte_denial\"]; earliest = \"2018Q3\"; }; };\n",
			     small_world) > 0);
	ts_scenario *groups = tu_load(with_deal), *lists = tu_load(list_world);
	char *a = described(groups), *b = described(lists);
	/* All but the header: the path and the hash of the text. */
	assert_non_null(strstr(a, "\n\nRun: "));
	assert_string_equal(strstr(a, "\n\nRun: "), strstr(b, "\n\nRun: "));
	assert_int_equal(lists->n_firms, 4);
	assert_string_equal(lists->firms[3].id, "ZTE");
	assert_int_equal(lists->firms[3].line, groups->firms[3].line);  /* line for line */
	assert_double_equal(lists->slots[lists->firms[3].slot_first].stockpile,
			    groups->slots[groups->firms[3].slot_first].stockpile, 0.0);
	assert_string_equal(lists->deals[0].id, "settle");
	free(a);
	free(b);
	free(with_deal);
	ts_scenario_free(groups);
	ts_scenario_free(lists);
}

/* The hash is of the effective text, and the forms are different texts. */
static void the_two_forms_hash_apart_and_each_reads_back_to_its_own_hash(void **state)
{
	(void)state;
	ts_scenario *groups = tu_load(small_world), *lists = tu_load(list_world);
	assert_string_not_equal(ts_scenario_hash(groups), ts_scenario_hash(lists));
	char *written = tu_written(lists);
	assert_non_null(strstr(written, "firms = (\n  {\n    id = \"Q\";\n"));
	ts_scenario *again = tu_load(written);
	assert_string_equal(ts_scenario_hash(again), ts_scenario_hash(lists));
	free(written);
	ts_scenario_free(again);
	ts_scenario_free(groups);
	ts_scenario_free(lists);
}

static void a_repeated_firm_id_is_refused_naming_both_lines(void **state)
{
	(void)state;
	expect_edit_refused("{ id = \"S\"; country", "{ id = \"Q\"; country",
			    "test.cfg:9: firms.Q.id: duplicate id 'Q': also a firm at test.cfg:8");
}

static void an_id_repeated_across_kinds_is_refused_naming_both_lines(void **state)
{
	(void)state;
	expect_edit_refused("{ id = \"chips\"; }", "{ id = \"CN\"; }",
			    "test.cfg:6: sectors.CN.id: duplicate id 'CN': also a country at test.cfg:4");
}

static void a_repeated_measure_or_deal_id_is_refused_naming_both_lines(void **state)
{
	(void)state;
	expect_edit_refused("{ id = \"state_ban\";", "{ id = \"zte_denial\";",
			    "test.cfg:17: measures.zte_denial.id: duplicate id 'zte_denial': also a measure at test.cfg:16");
	expect_edit_refused("deals = ( { id = \"settle\"; lifts = [\"zte_denial\"]; earliest = \"2018Q3\"; } );",
			    "deals = ( { id = \"d\"; lifts = [\"zte_denial\"]; },\n { id = \"d\"; lifts = [\"state_ban\"]; } );",
			    "test.cfg:20: deals.d.id: duplicate id 'd': also a deal at test.cfg:19");
}

static void an_entry_without_an_id_is_refused_at_its_line(void **state)
{
	(void)state;
	expect_edit_refused("{ id = \"S\"; country", "{ country",
			    "test.cfg:9: firms[1].id: required setting missing: the firm's id, a string");
	expect_edit_refused("{ id = \"state_ban\";", "{",
			    "test.cfg:17: measures[1].id: required setting missing: the measure's id, a string");
}

static void an_id_that_is_not_a_string_is_refused_at_its_line(void **state)
{
	(void)state;
	expect_edit_refused("{ id = \"S\"; country", "{ id = 7; country",
			    "test.cfg:9: firms[1].id: expected the firm's id as a string (id = \"ID\"), got an integer");
	expect_edit_refused("{ id = \"S\"; country", "{ id = \"7S\"; country",
			    "test.cfg:9: firms[1].id: id '7S' must start with a letter");
}

static void an_entry_that_is_not_a_group_is_refused(void **state)
{
	(void)state;
	expect_edit_refused("( { id = \"chips\"; },", "( \"chips\",",
			    "test.cfg:6: sectors[0]: expected a group { id = \"ID\"; ... } describing a sector, got a string");
	expect_edit_refused("sectors = ( { id = \"chips\"; }, { id = \"phones\"; inputs = { chips = 0.3; }; } );",
			    "sectors = [ 1, 2 ];",
			    "test.cfg:6: sectors: expected a group { ID = { ... }; ... } or a list ( { id = \"ID\"; ... }, ... ), "
			    "got an array");
}

static void an_unknown_setting_in_a_list_entry_gets_a_did_you_mean(void **state)
{
	(void)state;
	expect_edit_refused("capacity = 300.0; rd_intensity = 0.2;", "capasity = 300.0; rd_intensity = 0.2;",
			    "test.cfg:8: firms.Q.capasity: unknown setting 'capasity' (did you mean 'capacity'?)");
	expect_edit_refused("segment = \"government\"; start = 6;", "segment = \"government\"; strat = 6;",
			    "test.cfg:17: measures.state_ban.strat: unknown setting 'strat' (did you mean 'start'?)");
}

/* In the group form the name is the id: an `id` setting is unknown there. */
static void an_id_setting_in_the_group_form_is_unknown(void **state)
{
	(void)state;
	char *text = NULL;
	const char *at = strstr(small_world, "Q = { country");
	assert_non_null(at);
	assert_true(asprintf(&text, "%.*sQ = { id = \"Q\"; country%s", (int)(at - small_world), small_world,
			     at + strlen("Q = { country")) > 0);
	tu_expect_load_error(text, "firms.Q.id: unknown setting 'id'", NULL);
	free(text);
}

static void an_override_names_a_list_entry_by_its_id(void **state)
{
	(void)state;
	ts_override o[] = {
		{ "firms.ZTE.capacity", "123.5" },
		{ "countries.CN.rd_budget", "2.0" },
		{ "measures.zte_denial.end", "\"2019Q1\"" },
		{ "firms.S.stockpile_months", "{ }" },  /* a new member of an entry */
	};
	ts_scenario *s = load_overridden(list_world, o, 4);
	assert_double_equal(s->firms[3].capacity, 123.5, 0.0);
	assert_double_equal(s->countries[1].rd_budget, 2.0, 0.0);
	assert_int_equal(s->measures[0].end, 4);  /* 2019Q1: step 4 from 2018Q1 */
	char *written = tu_written(s);
	assert_non_null(strstr(written, "id = \"ZTE\";\n    country = \"CN\";\n    sector = \"phones\";\n    capacity = 123.5;\n"));
	free(written);
	ts_scenario_free(s);
	/* By index, as for any list. */
	ts_override by_index[] = { { "firms[3].capacity", "7.0" } };
	s = load_overridden(list_world, by_index, 1);
	assert_double_equal(s->firms[3].capacity, 7.0, 0.0);
	ts_scenario_free(s);
}

/* --set PATH=VALUE on the list world must fail with `message` in the error. */
static void expect_override_refused(const char *path, const char *value, const char *message)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	ts_override o[] = { { path, value } };
	assert_int_equal(ts_scenario_load_string(&s, list_world, "world.cfg", NULL, o, 1, &err), TS_EINPUT);
	if (!strstr(err.message, message))
		fail_msg("expected \"%s\" in the error:\n%s", message, err.message);
}

static void an_override_of_a_missing_list_entry_gets_a_did_you_mean(void **state)
{
	(void)state;
	expect_override_refused("firms.ZTF.capacity", "1.0",
				"--set firms.ZTF.capacity: no setting 'firms.ZTF' (did you mean 'ZTE'?)");
}

static void an_overridden_bad_value_in_a_list_entry_is_located_at_the_override(void **state)
{
	(void)state;
	expect_override_refused("firms.ZTE.capacity", "-1.0",
				"--set firms.ZTE.capacity: expected a number in (0, 1e+09], got -1");
}

/* The same sweep over a scenario in either form: the same parameter paths. */
static void a_sweep_names_list_entries_as_it_names_group_members(void **state)
{
	(void)state;
	const char *sweep =
		"scenario = \"%s\";\n"
		"parameters = ( { path = \"firms.ZTE.capacity\"; values = [200.0, 500.0]; },\n"
		"               { path = \"measures.zte_denial.end\"; values = [\"2018Q4\"]; } );\n"
		"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n";
	tu_write_file("lists_sweep_world.cfg", list_world);
	char text[1024];
	snprintf(text, sizeof text, sweep, "lists_sweep_world.cfg");
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_load_string(&s, text, "sweep.cfg", ".", NULL, 0, 0, &err) != TS_OK)
		fail_msg("sweep did not load: %s", err.message);
	assert_int_equal(ts_sweep_points(s), 2);
	ts_sweep_free(s);
	/* A misspelt entry is reported at the parameter. */
	char *bad = strdup(text), *at = strstr(bad, "firms.ZTE.");
	at[8] = 'X';
	err = (ts_error)TS_ERROR_INIT;
	assert_int_equal(ts_sweep_load_string(&s, bad, "sweep.cfg", ".", NULL, 0, 0, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "sweep.cfg:2: parameters[0].path: firms.ZTX.capacity = 200.0 does not apply"));
	assert_non_null(strstr(err.message, "no setting 'firms.ZTX' (did you mean 'ZTE'?)"));
	free(bad);
}

static void tables_of_either_form_mix_in_one_scenario(void **state)
{
	(void)state;
	/* small_world's group-form firms with list_world's other tables. */
	const char *firms = strstr(small_world, "firms = {"), *end = strstr(small_world, "measures = {");
	const char *lfirms = strstr(list_world, "firms = ("), *lend = strstr(list_world, "measures = (");
	char *text = NULL;
	assert_true(asprintf(&text, "%.*s%.*s%s", (int)(lfirms - list_world), list_world, (int)(end - firms), firms,
			     lend) > 0);
	ts_scenario *s = tu_load(text);
	assert_int_equal(s->n_firms, 4);
	assert_int_equal(s->firms[3].country, 1);
	ts_scenario_free(s);
	free(text);
}

/* docs/scenario.md's whole scenario in the list form, as written. */
static void the_documented_list_form_example_loads(void **state)
{
	(void)state;
	char *doc = tu_read_file(TS_SOURCE_DIR "/docs/scenario.md");
	assert_non_null(doc);
	const char *marker = "(the tests load\nthis block):\n\n";
	char *at = strstr(doc, marker);
	assert_non_null(at);
	char *example = calloc(strlen(at) + 1, 1), *w = example;
	for (const char *line = at + strlen(marker); strncmp(line, "    ", 4) == 0;) {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		memcpy(w, line + 4, (size_t)(end - line - 3));  /* the line and its newline */
		w += end - line - 3;
		line = end + 1;
	}
	ts_scenario *s = tu_load(example);
	assert_int_equal(s->n_firms, 3);
	assert_int_equal(s->n_measures, 1);
	assert_int_equal(s->n_deals, 1);
	ts_scenario_free(s);
	free(example);
	free(doc);
}

/* The command line: a list-form file validates; a repeated id in it exits
 * 2 naming the file and both lines. */
static void the_cli_validates_a_list_form_file_and_names_both_lines_of_a_repeated_id(void **state)
{
	(void)state;
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "validate %s/list_world.cfg", TS_TEST_DATA_DIR), 0);
	free(err);
	char *text = tu_read_file(TS_TEST_DATA_DIR "/list_world.cfg"), *at = strstr(text, "{ id = \"S\";");
	assert_non_null(at);
	at[8] = 'Q';  /* { id = "Q"; country = "CN"; ... } */
	tu_write_file("lists_repeated.cfg", text);
	tu_expect_cli_refusal("validate lists_repeated.cfg",
			      "lists_repeated.cfg:11: firms.Q.id: duplicate id 'Q': also a firm at lists_repeated.cfg:10");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_list_form_loads_to_the_same_scenario_as_the_group_form),
		cmocka_unit_test(the_two_forms_hash_apart_and_each_reads_back_to_its_own_hash),
		cmocka_unit_test(a_repeated_firm_id_is_refused_naming_both_lines),
		cmocka_unit_test(an_id_repeated_across_kinds_is_refused_naming_both_lines),
		cmocka_unit_test(a_repeated_measure_or_deal_id_is_refused_naming_both_lines),
		cmocka_unit_test(an_entry_without_an_id_is_refused_at_its_line),
		cmocka_unit_test(an_id_that_is_not_a_string_is_refused_at_its_line),
		cmocka_unit_test(an_entry_that_is_not_a_group_is_refused),
		cmocka_unit_test(an_unknown_setting_in_a_list_entry_gets_a_did_you_mean),
		cmocka_unit_test(an_id_setting_in_the_group_form_is_unknown),
		cmocka_unit_test(an_override_names_a_list_entry_by_its_id),
		cmocka_unit_test(an_override_of_a_missing_list_entry_gets_a_did_you_mean),
		cmocka_unit_test(an_overridden_bad_value_in_a_list_entry_is_located_at_the_override),
		cmocka_unit_test(a_sweep_names_list_entries_as_it_names_group_members),
		cmocka_unit_test(tables_of_either_form_mix_in_one_scenario),
		cmocka_unit_test(the_documented_list_form_example_loads),
		cmocka_unit_test(the_cli_validates_a_list_form_file_and_names_both_lines_of_a_repeated_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
