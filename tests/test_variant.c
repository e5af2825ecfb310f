/* Scenario variants (sim/scenario/variant.c, docs/scenario.md "Variants"):
 * a file naming a base scenario and its changes resolves to the scenario
 * the same overrides of the base give, byte for byte; every problem is
 * reported at the file and line it was written at. The files are written
 * into a fresh directory; the base is the small world, whose lines are:
 *   7 firms = {   8 Q   9 S   15 measures = {   16 zte_denial   17 state_ban */
#include "testutil.h"
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "scenario/spec.h"
#include "scenario/variant.h"
#include "small_world.h"

static char dir[256];

static void put(const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	tu_write_file(path, text);
}

/* The file `name` of the directory loaded with overrides; fails the test
 * with the diagnostics on error. */
static ts_scenario *load(const char *name, const ts_override *o, size_t n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load(&s, path, o, n, &err) != TS_OK)
		fail_msg("%s: %s", path, err.message);
	return s;
}

/* Loading `name` fails with TS_EINPUT and every fragment in the message
 * (a fragment starting with '!': not in it). */
static void expect_error(const char *name, ...)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_scenario_load(&s, path, NULL, 0, &err);
	ts_scenario_free(s);
	if (rc != TS_EINPUT)
		fail_msg("%s: status %d, expected TS_EINPUT: %s", path, rc, err.message);
	va_list ap;
	va_start(ap, name);
	for (const char *want; (want = va_arg(ap, const char *)) != NULL;) {
		if (want[0] == '!' && strstr(err.message, want + 1))
			fail_msg("did not expect \"%s\" in the error:\n%s", want + 1, err.message);
		if (want[0] != '!' && !strstr(err.message, want))
			fail_msg("expected \"%s\" in the error:\n%s", want, err.message);
	}
	va_end(ap);
}

/* Both scenarios write the same text, and so have the same hash. */
static void assert_same_scenario(const ts_scenario *a, const ts_scenario *b)
{
	char *ta = tu_written(a), *tb = tu_written(b);
	assert_string_equal(ta, tb);
	assert_string_equal(ts_scenario_hash(a), ts_scenario_hash(b));
	free(ta);
	free(tb);
}

static int fresh_dir(void **state)
{
	(void)state;
	tu_make_dir(dir, sizeof dir, "variant");
	put("base.cfg", small_world);
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- resolution ---- */

static void a_variant_without_changes_is_its_base(void **state)
{
	(void)state;
	put("v.cfg", "# nothing changed\nbase = \"base.cfg\";\n");
	ts_scenario *v = load("v.cfg", NULL, 0), *b = load("base.cfg", NULL, 0);
	assert_same_scenario(v, b);
	assert_non_null(strstr(ts_scenario_path(v), "/v.cfg"));
	ts_scenario_free(v);
	ts_scenario_free(b);
}

static void set_pairs_change_the_base_as_the_same_overrides_do(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\n"
		     "set = ( (\"firms.Q.capacity\", 250.0), (\"measures.zte_denial.end\", \"2018Q4\"),\n"
		     "        (\"run.seed\", 9), (\"measures.zte_denial.sectors\", [\"chips\"]) );\n");
	const ts_override o[] = {
		{"firms.Q.capacity", "250.0"}, {"measures.zte_denial.end", "\"2018Q4\""},
		{"run.seed", "9"}, {"measures.zte_denial.sectors", "[\"chips\"]"},
	};
	ts_scenario *v = load("v.cfg", NULL, 0), *b = load("base.cfg", o, 4);
	assert_same_scenario(v, b);
	assert_true(v->firms[0].capacity == 250.0);
	assert_int_equal(ts_scenario_seed(v), 9);
	assert_int_equal(v->measures[0].end, 3);  /* 2018Q4, from step 0 in 2018Q1 */
	ts_scenario_free(v);
	ts_scenario_free(b);
}

static void disable_turns_measures_off_as_enabled_false_does(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\ndisable = [\"state_ban\", \"zte_denial\"];\n");
	const ts_override o[] = {{"measures.state_ban.enabled", "false"}, {"measures.zte_denial.enabled", "false"}};
	ts_scenario *v = load("v.cfg", NULL, 0), *b = load("base.cfg", o, 2);
	assert_same_scenario(v, b);
	assert_false(v->measures[0].enabled);
	assert_false(v->measures[1].enabled);
	ts_scenario_free(v);
	ts_scenario_free(b);
}

static void set_pairs_apply_in_order_and_disable_after_them(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\ndisable = [\"zte_denial\"];\n"
		     "set = ( (\"firms.Q.capacity\", 250.0), (\"firms.Q.capacity\", 260.0),\n"
		     "        (\"measures.zte_denial.enabled\", true) );\n");
	ts_scenario *v = load("v.cfg", NULL, 0);
	assert_true(v->firms[0].capacity == 260.0);
	assert_false(v->measures[0].enabled);
	assert_true(v->measures[1].enabled);
	ts_scenario_free(v);
}

#define TARIFF "type = \"tariff\"; actor = \"CN\"; target = \"US\"; sectors = [\"chips\"]; rate = 0.25; start = 3;"

static void measures_added_in_the_list_form_join_a_group_table_after_its_own(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nmeasures = ( { id = \"chip_tariff\"; " TARIFF " } );\n");
	const ts_override o[] = {{"measures.chip_tariff", "{ " TARIFF " }"}};
	ts_scenario *v = load("v.cfg", NULL, 0), *b = load("base.cfg", o, 1);
	assert_same_scenario(v, b);
	assert_int_equal(v->n_measures, 3);
	assert_string_equal(v->measures[2].id, "chip_tariff");
	ts_scenario_free(v);
	ts_scenario_free(b);
}

/* A world in the list form, and the same with one more measure. */
#define LIST_WORLD \
	"run = { steps = 8; start = \"2018Q1\"; };\n" \
	"countries = ( { id = \"US\"; markets = { chips = { size = 100.0; }; }; },\n" \
	"              { id = \"CN\"; markets = { chips = { size = 50.0; }; }; } );\n" \
	"sectors = ( { id = \"chips\"; } );\n" \
	"firms = ( { id = \"Q\"; country = \"US\"; sector = \"chips\"; capacity = 300.0; },\n" \
	"          { id = \"S\"; country = \"CN\"; sector = \"chips\"; capacity = 100.0; } );\n" \
	"measures = ( { id = \"ban\"; type = \"market_ban\"; actor = \"CN\"; target = \"Q\"; start = 2; }"
#define LIST_TARIFF "{ id = \"chip_tariff\"; " TARIFF " }"

static void a_group_entry_added_to_a_list_table_takes_its_name_as_its_id(void **state)
{
	(void)state;
	put("list.cfg", LIST_WORLD " );\n");
	put("plain.cfg", LIST_WORLD ",\n  " LIST_TARIFF " );\n");
	put("v.cfg", "base = \"list.cfg\";\nmeasures = { chip_tariff = { " TARIFF " }; };\n");
	ts_scenario *v = load("v.cfg", NULL, 0), *p = load("plain.cfg", NULL, 0);
	assert_same_scenario(v, p);
	ts_scenario_free(v);
	ts_scenario_free(p);
}

static void a_table_the_base_lacks_is_added_whole(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\n"
		     "deals = { settlement = { lifts = [\"zte_denial\"]; earliest = \"2018Q3\"; }; };\n");
	ts_scenario *v = load("v.cfg", NULL, 0);
	assert_int_equal(v->n_deals, 1);
	char *text = tu_written(v);
	assert_non_null(strstr(text, "deals = {\n  settlement = {\n"));
	free(text);
	ts_scenario_free(v);
}

static void the_variants_title_and_description_replace_the_bases(void **state)
{
	(void)state;
	put("titled.cfg", "title = \"Base\";\ndescription = \"the base\";\n" "@include \"base.cfg\"\n");
	put("v.cfg", "base = \"titled.cfg\";\ntitle = \"Variant\";\n");
	put("w.cfg", "base = \"v.cfg\";\ndescription = \"no denial\";\n");
	const ts_override o[] = {{"title", "\"Variant\""}, {"description", "\"no denial\""}};
	ts_scenario *w = load("w.cfg", NULL, 0), *b = load("titled.cfg", o, 2);
	assert_same_scenario(w, b);
	assert_string_equal(w->title, "Variant");
	ts_scenario_free(w);
	ts_scenario_free(b);
}

static void a_chain_applies_the_deepest_base_first_each_against_its_own_directory(void **state)
{
	(void)state;
	char sub[300];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put("v1.cfg", "base = \"base.cfg\";\nset = ( (\"firms.Q.capacity\", 250.0) );\ndisable = [\"state_ban\"];\n");
	put("sub/v2.cfg", "base = \"../v1.cfg\";\nset = ( (\"firms.Q.capacity\", 260.0) );\n");
	ts_scenario *v = load("sub/v2.cfg", NULL, 0);
	assert_true(v->firms[0].capacity == 260.0);
	assert_true(v->measures[0].enabled);
	assert_false(v->measures[1].enabled);
	ts_scenario_free(v);
}

static void a_bases_includes_resolve_against_the_bases_directory(void **state)
{
	(void)state;
	char sub[300];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put("sub/world.cfg", small_world);
	put("sub/main.cfg", "title = \"included\";\n@include \"world.cfg\"\n");
	put("v.cfg", "base = \"sub/main.cfg\";\n");
	ts_scenario *v = load("v.cfg", NULL, 0);
	assert_string_equal(v->title, "included");
	ts_scenario_free(v);
	/* An error in the included file is at its own line. */
	put("sub/world.cfg", "\n\nrun = { steps = 0; };\n");
	expect_error("v.cfg", "sub/world.cfg:3: run.steps:", NULL);
}

static void the_resolved_scenario_reads_back_to_the_same_hash(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nset = ( (\"firms.S.tech\", -0.25) );\ndisable = [\"zte_denial\"];\n");
	ts_scenario *v = load("v.cfg", NULL, 0);
	char *text = tu_written(v);
	assert_null(strstr(text, "base"));
	ts_scenario *again = tu_load(text);
	assert_string_equal(ts_scenario_hash(again), ts_scenario_hash(v));
	free(text);
	ts_scenario_free(again);
	ts_scenario_free(v);
}

static void an_override_applies_to_the_resolved_scenario(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nset = ( (\"firms.Q.capacity\", 250.0) );\n");
	const ts_override o[] = {{"firms.Q.capacity", "270.0"}};
	ts_scenario *v = load("v.cfg", o, 1);
	assert_true(v->firms[0].capacity == 270.0);
	ts_scenario_free(v);
}

/* ---- chains ---- */

static void a_cycle_of_bases_is_an_error_naming_both_files(void **state)
{
	(void)state;
	put("a.cfg", "base = \"b.cfg\";\n");
	put("b.cfg", "# b\nbase = \"a.cfg\";\n");
	char cycle[1200];
	snprintf(cycle, sizeof cycle, "%s/a.cfg -> %s/b.cfg -> %s/a.cfg", dir, dir, dir);
	expect_error("a.cfg", "/b.cfg:2: base: \"a.cfg\" makes a cycle of bases: ", cycle, NULL);
	put("self.cfg", "base = \"self.cfg\";\n");
	expect_error("self.cfg", "/self.cfg:1: base: \"self.cfg\" makes a cycle of bases", NULL);
}

static void a_chain_of_more_bases_than_the_limit_is_refused(void **state)
{
	(void)state;
	/* c0 -> c1 -> ... -> c(MAX-1) -> base.cfg: MAX bases. */
	char name[64], text[128];
	for (int k = 0; k < TS_VARIANT_MAX_DEPTH; k++) {
		snprintf(name, sizeof name, "c%d.cfg", k);
		if (k + 1 < TS_VARIANT_MAX_DEPTH)
			snprintf(text, sizeof text, "base = \"c%d.cfg\";\n", k + 1);
		else
			snprintf(text, sizeof text, "base = \"base.cfg\";\nset = ( (\"run.seed\", 11) );\n");
		put(name, text);
	}
	ts_scenario *s = load("c0.cfg", NULL, 0);
	assert_int_equal(ts_scenario_seed(s), 11);
	ts_scenario_free(s);
	put("top.cfg", "base = \"c0.cfg\";\n");
	snprintf(text, sizeof text, "/c%d.cfg:1: base: \"base.cfg\": more than %d bases", TS_VARIANT_MAX_DEPTH - 1,
		 TS_VARIANT_MAX_DEPTH);
	expect_error("top.cfg", text, NULL);
}

/* ---- errors, each at the file and line it was written at ---- */

static void a_bad_set_value_is_reported_at_the_variants_line(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nset = ( (\"run.seed\", 3),\n"
		     "        (\"firms.Q.capacity\", -1.0) );\n");
	expect_error("v.cfg", "/v.cfg:3: firms.Q.capacity: expected", NULL);
}

static void an_error_in_the_base_is_reported_at_the_bases_line(void **state)
{
	(void)state;
	/* small_world with firm S's tech out of range, on line 9. */
	char *bad = strdup(small_world);
	char *at = strstr(bad, "tech = -0.5");
	assert_non_null(at);
	memcpy(at, "tech = -50 ", 11);
	put("bad.cfg", bad);
	free(bad);
	put("v.cfg", "base = \"bad.cfg\";\nset = ( (\"firms.Q.capacity\", 250.0) );\n");
	expect_error("v.cfg", "/bad.cfg:9: firms.S.tech:", NULL);
	/* A variant may set it right: the resolved scenario is what is validated. */
	put("fix.cfg", "base = \"bad.cfg\";\nset = ( (\"firms.S.tech\", -0.5) );\n");
	ts_scenario_free(load("fix.cfg", NULL, 0));
}

static void a_syntax_error_or_a_lost_integer_is_at_the_line_of_its_own_file(void **state)
{
	(void)state;
	put("syntax.cfg", "# a base\n\nrun = { steps = = 4; };\n");
	put("v.cfg", "base = \"syntax.cfg\";\n");
	expect_error("v.cfg", "/syntax.cfg:3: syntax error", NULL);
	put("w.cfg", "base = \"base.cfg\";\nset = ( (\"firms.Q.capacity\" 250.0) );\n");
	expect_error("w.cfg", "/w.cfg:2: syntax error", NULL);
	put("big.cfg", "# a base\n\nx = 4000000000;\n");
	put("v.cfg", "base = \"big.cfg\";\n");
	expect_error("v.cfg", "/big.cfg:3: x: integer 4000000000 is too large", NULL);
}

static void a_set_path_that_does_not_exist_names_the_pair(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\n\nset = ( (\"firms.QQ.capacity\", 250.0) );\n");
	expect_error("v.cfg", "/v.cfg:3: set firms.QQ.capacity: no setting 'firms.QQ' (did you mean 'Q'?)", NULL);
}

static void set_must_be_a_list_of_pairs(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nset = ( (\"run.seed\", 3), \"run.seed\",\n (\"run.seed\", 1, 2) );\n");
	expect_error("v.cfg", "/v.cfg:2: set[1]: expected a pair (\"PATH\", VALUE)",
		     "/v.cfg:3: set[2]: expected a pair", NULL);
	put("v.cfg", "base = \"base.cfg\";\nset = { run = 3; };\n");
	expect_error("v.cfg", "/v.cfg:2: set: expected a list of (\"PATH\", VALUE) pairs", NULL);
}

static void disabling_what_the_base_lacks_is_an_error_with_a_suggestion(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\ndisable = (\"state_ban\",\n \"zte_denail\", 4);\n");
	expect_error("v.cfg", "/v.cfg:3: disable[1]: no measure 'zte_denail' in the base (did you mean 'zte_denial'?)",
		     "disable[2]: expected a measure id, a string, got an integer", NULL);
	put("v.cfg", "base = \"base.cfg\";\ndisable = \"zte_denial\";\n");
	expect_error("v.cfg", "/v.cfg:2: disable: expected an array of measure ids", NULL);
}

static void adding_an_id_the_base_has_is_an_error_naming_both_lines(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nmeasures = {\n  zte_denial = { " TARIFF " }; };\n");
	char want[600];
	snprintf(want, sizeof want, "/v.cfg:3: measures.zte_denial: the base already has a measure 'zte_denial' "
		 "(%s/base.cfg:16)", dir);
	expect_error("v.cfg", want, NULL);
	put("v.cfg", "base = \"base.cfg\";\nfirms = ( { country = \"US\"; } );\nmeasures = 3;\n");
	expect_error("v.cfg", "/v.cfg:2: firms[0]: expected a group with the firm's id as a string",
		     "/v.cfg:3: measures: expected the measures to add to the base's", NULL);
}

static void a_bad_setting_of_an_added_entity_is_at_the_variants_line(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nfirms = {\n  N = { country = \"XX\"; sector = \"chips\"; capacity = 1.0; };\n};\n");
	expect_error("v.cfg", "/v.cfg:3: firms.N.country: no country 'XX'", NULL);
}

static void a_base_that_cannot_be_read_is_an_error_at_the_base_setting(void **state)
{
	(void)state;
	put("v.cfg", "# a variant\nbase = \"nowhere.cfg\";\n");
	expect_error("v.cfg", "/v.cfg:2: base: cannot read the base scenario: ", "nowhere.cfg", NULL);
	put("v.cfg", "base = 3;\n");
	expect_error("v.cfg", "/v.cfg:1: base: expected the file of the base scenario, a string", NULL);
	put("v.cfg", "base = \".\";\n");
	expect_error("v.cfg", "/v.cfg:1: base: cannot read the base scenario: ", NULL);
}

static void a_variant_holds_changes_only(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\nrun = { seed = 7; };\nsett = ();\n");
	expect_error("v.cfg", "/v.cfg:2: run: not allowed in a variant", "set = ( (\"run.seed\", 7) );",
		     "/v.cfg:3: sett: unknown setting 'sett' (did you mean 'set'?)", NULL);
	/* set and disable without a base: small_world is 18 lines */
	char text[4096];
	snprintf(text, sizeof text, "%sset = ( (\"run.seed\", 3) );\ndisable = [\"zte_denial\"];\n", small_world);
	put("plain.cfg", text);
	expect_error("plain.cfg", "/plain.cfg:19: set: only a variant changes a scenario",
		     "/plain.cfg:20: disable: only a variant", "!unknown setting", NULL);
}

static void the_data_variant_resolves_its_base_and_the_bases_include(void **state)
{
	(void)state;
	ts_scenario *v = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load(&v, TS_TEST_DATA_DIR "/variant_main.cfg", NULL, 0, &err), TS_OK);
	assert_string_equal(v->title, "Included world, Apple's capacity doubled");
	assert_int_equal(ts_scenario_steps(v), 6);
	assert_int_equal(ts_scenario_seed(v), 3000000000u);  /* the base's */
	assert_true(v->firms[ts_scenario_firm_index(v, "Apple")].capacity == 180.0);
	assert_int_equal(v->n_measures, 2);
	assert_false(v->measures[0].enabled);
	assert_string_equal(v->measures[1].id, "tariff");
	assert_true(v->measures[1].rate == 0.1);
	ts_scenario_free(v);
}

/* ---- the shipped example ---- */

static void the_shipped_example_is_the_default_world_without_the_listing(void **state)
{
	(void)state;
	const char *example = TS_SOURCE_DIR "/docs/examples/no_huawei_listing.cfg";
	config_t cfg;
	config_init(&cfg);
	assert_int_equal(config_read_file(&cfg, example), CONFIG_TRUE);
	const char *title, *description;
	assert_true(config_lookup_string(&cfg, "title", &title));
	assert_true(config_lookup_string(&cfg, "description", &description));
	char quoted_title[512], quoted_description[1024];
	snprintf(quoted_title, sizeof quoted_title, "\"%s\"", title);
	snprintf(quoted_description, sizeof quoted_description, "\"%s\"", description);
	const ts_override o[] = {
		{"measures.huawei_entity_list.enabled", "false"}, {"measures.huawei_phones_entity_list.enabled", "false"},
		{"measures.huawei_fdpr.enabled", "false"}, {"measures.huawei_phones_fdpr.enabled", "false"},
		{"title", quoted_title}, {"description", quoted_description},
	};
	ts_scenario *v = NULL, *b = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load(&v, example, NULL, 0, &err), TS_OK);
	assert_int_equal(ts_scenario_load(&b, TS_SOURCE_DIR "/scenarios/default.cfg", o, 6, &err), TS_OK);
	assert_same_scenario(v, b);
	config_destroy(&cfg);
	ts_scenario_free(v);
	ts_scenario_free(b);
}

/* ---- the command ---- */

/* Whether DIR_A/name and DIR_B/name hold the same bytes. */
static void assert_same_file(const char *a, const char *b, const char *name)
{
	char *ta = tu_read_in(a, name), *tb = tu_read_in(b, name);
	if (strcmp(ta, tb) != 0)
		fail_msg("%s differs between %s and %s", name, a, b);
	free(ta);
	free(tb);
}

static void a_variant_runs_byte_for_byte_as_its_base_with_the_same_overrides(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\ntitle = \"no denial\";\n"
		     "set = ( (\"countries.CN.rd_budget\", 2.5) );\ndisable = [\"zte_denial\"];\n");
	assert_int_equal(tu_cli(NULL, "run %s/v.cfg -o %s/by_variant >/dev/null", dir, dir), 0);
	assert_int_equal(tu_cli(NULL, "run %s/base.cfg --set countries.CN.rd_budget=2.5 --set "
				"measures.zte_denial.enabled=false --set 'title=\"no denial\"' -o %s/by_set >/dev/null",
				dir, dir), 0);
	char a[300], b[300], c[300];
	snprintf(a, sizeof a, "%s/by_variant", dir);
	snprintf(b, sizeof b, "%s/by_set", dir);
	static const char *const files[] = {"countries.csv", "firms.csv", "markets.csv", "relations.csv",
					    "events.csv", "scenario.cfg"};
	for (size_t k = 0; k < sizeof files / sizeof *files; k++)
		assert_same_file(a, b, files[k]);
	char *ja = tu_read_in(a, "run.json"), *jb = tu_read_in(b, "run.json");
	const char *ha = strstr(ja, "\"scenario_sha256\""), *hb = strstr(jb, "\"scenario_sha256\"");
	assert_non_null(ha);
	assert_non_null(hb);
	assert_memory_equal(ha, hb, 90);
	free(ja);
	free(jb);
	/* The resolved scenario.cfg reproduces the run. */
	assert_int_equal(tu_cli(NULL, "run %s/scenario.cfg -o %s/again >/dev/null", a, dir), 0);
	snprintf(c, sizeof c, "%s/again", dir);
	for (size_t k = 0; k < sizeof files / sizeof *files; k++)
		assert_same_file(a, c, files[k]);
}

static void every_command_that_takes_a_scenario_takes_a_variant(void **state)
{
	(void)state;
	put("v.cfg", "base = \"base.cfg\";\ndisable = [\"zte_denial\"];\n");
	assert_int_equal(tu_cli(NULL, "validate %s/v.cfg >/dev/null", dir), 0);
	char *out = NULL;
	assert_int_equal(tu_cli(NULL, "describe %s/v.cfg > %s/describe.txt", dir, dir), 0);
	out = tu_read_in(dir, "describe.txt");
	assert_non_null(strstr(out, "state_ban"));
	free(out);
	assert_int_equal(tu_cli(NULL, "compare %s/base.cfg %s/v.cfg --reps 2 -j 1 -o %s/cmp >/dev/null",
				dir, dir, dir), 0);
	put("sweep.cfg", "scenario = \"v.cfg\";\ndesign = \"grid\";\nreplications = 1;\n"
			 "parameters = ( { path = \"countries.CN.rd_budget\"; values = [0.0, 1.0]; } );\n"
			 "metrics = ( { name = \"ZTE\"; series = \"firms.ZTE.revenue_bn_usd\"; stat = \"mean\"; } );\n");
	assert_int_equal(tu_cli(NULL, "sweep %s/sweep.cfg -j 1 -o %s/sweep >/dev/null", dir, dir), 0);
	/* A bad variant: exit 2, the file and line. */
	put("bad.cfg", "base = \"base.cfg\";\ndisable = [\"zte\"];\n");
	char args[600];
	snprintf(args, sizeof args, "validate %s/bad.cfg", dir);
	tu_expect_cli_refusal(args, "/bad.cfg:2: disable[0]: no measure 'zte' in the base");
	snprintf(args, sizeof args, "run %s/bad.cfg -o %s/bad_run", dir, dir);
	tu_expect_cli_refusal(args, "/bad.cfg:2: disable[0]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fresh_dir, remove_dir)
		T(a_variant_without_changes_is_its_base),
		T(set_pairs_change_the_base_as_the_same_overrides_do),
		T(disable_turns_measures_off_as_enabled_false_does),
		T(set_pairs_apply_in_order_and_disable_after_them),
		T(measures_added_in_the_list_form_join_a_group_table_after_its_own),
		T(a_group_entry_added_to_a_list_table_takes_its_name_as_its_id),
		T(a_table_the_base_lacks_is_added_whole),
		T(the_variants_title_and_description_replace_the_bases),
		T(a_chain_applies_the_deepest_base_first_each_against_its_own_directory),
		T(a_bases_includes_resolve_against_the_bases_directory),
		T(the_resolved_scenario_reads_back_to_the_same_hash),
		T(an_override_applies_to_the_resolved_scenario),
		T(a_cycle_of_bases_is_an_error_naming_both_files),
		T(a_chain_of_more_bases_than_the_limit_is_refused),
		T(a_bad_set_value_is_reported_at_the_variants_line),
		T(an_error_in_the_base_is_reported_at_the_bases_line),
		T(a_syntax_error_or_a_lost_integer_is_at_the_line_of_its_own_file),
		T(a_set_path_that_does_not_exist_names_the_pair),
		T(set_must_be_a_list_of_pairs),
		T(disabling_what_the_base_lacks_is_an_error_with_a_suggestion),
		T(adding_an_id_the_base_has_is_an_error_naming_both_lines),
		T(a_bad_setting_of_an_added_entity_is_at_the_variants_line),
		T(a_base_that_cannot_be_read_is_an_error_at_the_base_setting),
		T(a_variant_holds_changes_only),
		T(the_data_variant_resolves_its_base_and_the_bases_include),
		T(the_shipped_example_is_the_default_world_without_the_listing),
		T(a_variant_runs_byte_for_byte_as_its_base_with_the_same_overrides),
		T(every_command_that_takes_a_scenario_takes_a_variant),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
