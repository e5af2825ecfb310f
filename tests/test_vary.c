/* Variants of a loaded scenario (sim/scenario/vary.h): the scenario read
 * once, each run's values applied to a copy of its tree. A varied copy must be
 * the scenario a load with the same overrides gives, with the same messages
 * for bad values, and leave the scenario it was made from as it was. */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/output.h>
#include "scenario/spec.h"
#include "scenario/vary.h"
#include "util/sha256.h"

/* A world whose firms come from an included file, so that a message about
 * one of them names that file and its line. */
static const char *const main_text =
	"run = { steps = 10; start = \"2018Q1\"; seed = 5; };\n"
	"countries = {\n"
	"  US = { markets = { chips = { size = 100.0; }; phones = { size = 300.0; government = 0.1; }; }; };\n"
	"  CN = { home_bias = 1.0; markets = { phones = { size = 400.0; government = 0.08; }; }; };\n"
	"};\n"
	"sectors = { chips = { }; phones = { inputs = { chips = 0.3; }; }; };\n"
	"@include \"vary_firms.inc\"\n"
	"measures = {\n"
	"  zte_denial = { type = \"export_control\"; actor = \"US\"; target = \"ZTE\"; start = \"2018Q2\"; end = \"2018Q3\"; };\n"
	"};\n";

static const char *const firms_text =
	"firms = {\n"
	"  Q = { country = \"US\"; sector = \"chips\"; capacity = 300.0; rd_intensity = 0.2; };\n"
	"  S = { country = \"CN\"; sector = \"chips\"; capacity = 100.0; tech = -0.5; };\n"
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 400.0;\n"
	"            suppliers = { chips = { Q = 1.0; }; }; };\n"
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 400.0;\n"
	"          suppliers = { chips = { Q = 0.7; S = 0.3; }; }; };\n"
	"};\n";

static int setup(void **state)
{
	(void)state;
	tu_write_file("vary_world.cfg", main_text);
	tu_write_file("vary_firms.inc", firms_text);
	return 0;
}

static ts_scenario *load_base(void)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load(&s, "vary_world.cfg", NULL, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	return s;
}

/* The status and messages of a load of the file and of a varied copy of base
 * with the same overrides, which must agree; returns the status. */
static int expect_same_outcome(const ts_scenario *base, const ts_override *ov, size_t n, ts_scenario **loaded,
                               ts_scenario **varied, ts_error *why)
{
	ts_error load_err = TS_ERROR_INIT;
	*why = (ts_error)TS_ERROR_INIT;
	int rc = ts_scenario_load(loaded, "vary_world.cfg", ov, n, &load_err);
	assert_int_equal(ts_scenario_vary(varied, base, ov, n, why), rc);
	assert_string_equal(why->message, load_err.message);
	assert_int_equal(why->count, load_err.count);
	return rc;
}

/* The tables of a run of s with seed 9 into a fresh directory `name`. */
static void run_into(const ts_scenario *s, const char *name, char *dir, size_t size)
{
	tu_make_dir(dir, size, name);
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	o.seed = 9;
	ts_error err = TS_ERROR_INIT;
	if (ts_run(s, &o, &err) != TS_OK)
		fail_msg("%s", err.message);
}

/* A real, an integer for a real (coerced), a date, a new member and a
 * value of another type than the one it replaces (a list rebuilt in
 * place): the copy's tree is the loaded one's, setting for setting, and
 * so are its runs. */
static void a_varied_copy_is_the_scenario_a_load_with_the_same_overrides_gives(void **state)
{
	(void)state;
	ts_scenario *base = load_base(), *loaded = NULL, *varied = NULL;
	ts_override ov[] = {{"countries.CN.home_bias", "1.2500000000000002"},
	                    {"firms.Q.capacity", "250"},
	                    {"measures.zte_denial.end", "\"2018Q4\""},
	                    {"firms.S.rd_intensity", "0.15"},
	                    {"firms.ZTE.suppliers.chips.S", "0.30000000000000004"}};
	ts_error why;
	assert_int_equal(expect_same_outcome(base, ov, 5, &loaded, &varied, &why), TS_OK);
	char *a = tu_written(loaded), *b = tu_written(varied);
	assert_string_equal(a, b);
	assert_non_null(strstr(b, "home_bias = 1.2500000000000002;"));
	assert_non_null(strstr(b, "rd_intensity = 0.15;"));
	assert_true(varied->firms[0].capacity == 250.0);
	assert_string_equal(ts_scenario_path(varied), "vary_world.cfg");
	char dir_a[256], dir_b[256];
	run_into(loaded, "vary_loaded", dir_a, sizeof dir_a);
	run_into(varied, "vary_varied", dir_b, sizeof dir_b);
	const char *tables[] = {"countries.csv", "firms.csv", "markets.csv", "events.csv", "scenario.cfg"};
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		char *x = tu_read_in(dir_a, tables[k]), *y = tu_read_in(dir_b, tables[k]);
		if (strcmp(x, y) != 0)
			fail_msg("%s differs between a load and a varied copy", tables[k]);
		free(x);
		free(y);
	}
	free(a);
	free(b);
	ts_scenario_free(loaded);
	ts_scenario_free(varied);
	ts_scenario_free(base);
}

/* Values the scenario rejects: every one reported, "--set PATH: ...", as a
 * load reports them. */
static void rejected_values_get_the_messages_a_load_gives_them(void **state)
{
	(void)state;
	ts_scenario *base = load_base(), *loaded = NULL, *varied = NULL;
	ts_override ov[] = {{"countries.CN.home_bias", "-1.0"}, {"firms.Q.capacity", "\"x\""},
	                    {"firms.Q.capasity", "1.0"}, {"countries.JP.home_bias", "1.0"}};
	ts_error why;
	assert_int_equal(expect_same_outcome(base, ov, 4, &loaded, &varied, &why), TS_EINPUT);
	assert_null(loaded);
	assert_null(varied);
	assert_int_equal(why.count, 4);
	assert_non_null(strstr(why.message, "--set countries.CN.home_bias: expected a number in [0, 10], got -1"));
	assert_non_null(strstr(why.message, "--set firms.Q.capacity: expected a number, got a string \"x\""));
	assert_non_null(strstr(why.message, "--set countries.JP.home_bias: no setting 'countries.JP'"));
	ts_scenario_free(base);
}

/* A value that makes another setting wrong: the message names that
 * setting's file and line, in the included file or in the main one. */
static void a_problem_elsewhere_is_located_at_its_file_and_line(void **state)
{
	(void)state;
	ts_scenario *base = load_base(), *loaded = NULL, *varied = NULL;
	ts_override shares[] = {{"firms.ZTE.suppliers.chips.Q", "0.9"}};
	ts_error why;
	assert_int_equal(expect_same_outcome(base, shares, 1, &loaded, &varied, &why), TS_EINPUT);
	assert_non_null(strstr(why.message, "vary_firms.inc:7: firms.ZTE.suppliers.chips: supplier shares sum to 1.2"));
	ts_override start[] = {{"measures.zte_denial.start", "\"2019Q1\""}};
	assert_int_equal(expect_same_outcome(base, start, 1, &loaded, &varied, &why), TS_EINPUT);
	assert_non_null(strstr(why.message, "vary_world.cfg:9: measures.zte_denial.end: end (step 2 (2018Q3)) must "
	                                    "come after start (step 4 (2019Q1))"));
	ts_scenario_free(base);
}

/* Values of another type rebuild the setting and its later siblings in the
 * copy; the base keeps its tree, its text and its hash. */
static void varying_leaves_the_base_as_it_was(void **state)
{
	(void)state;
	ts_scenario *base = load_base(), *varied = NULL;
	char *before = tu_written(base), hash[65];
	snprintf(hash, sizeof hash, "%s", ts_scenario_hash(base));
	ts_override ov[] = {{"firms.Q.capacity", "\"x\""}, {"firms.S", "5"}, {"countries.CN.home_bias", "2.0"}};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_vary(&varied, base, ov, 3, &err), TS_EINPUT);
	assert_int_equal(ts_scenario_vary(&varied, base, ov + 2, 1, &err), TS_OK);
	char *after = tu_written(base);
	assert_string_equal(before, after);
	assert_string_equal(ts_scenario_hash(base), hash);
	assert_true(base->countries[1].home_bias == 1.0);
	assert_true(varied->countries[1].home_bias == 2.0);
	free(before);
	free(after);
	ts_scenario_free(varied);
	ts_scenario_free(base);
}

/* SHA-256 of "tradesim scenario vary 1", the base's hash and each
 * override's path and value, each followed by a NUL byte, in the order
 * given (docs/sweep.md); without overrides, the base's own hash. */
static void a_varied_copys_hash_covers_the_base_hash_and_its_overrides_in_order(void **state)
{
	(void)state;
	ts_scenario *base = load_base(), *a = NULL, *b = NULL, *none = NULL;
	ts_override ov[] = {{"countries.CN.home_bias", "1.5"}, {"firms.Q.capacity", "250.0"}};
	ts_override swapped[] = {ov[1], ov[0]};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_vary(&a, base, ov, 2, &err), TS_OK);
	assert_int_equal(ts_scenario_vary(&b, base, swapped, 2, &err), TS_OK);
	assert_int_equal(ts_scenario_vary(&none, base, NULL, 0, &err), TS_OK);
	char bytes[512], expected[65];
	size_t n = 0;
	const char *parts[] = {"tradesim scenario vary 1", ts_scenario_hash(base), "countries.CN.home_bias", "1.5",
	                       "firms.Q.capacity", "250.0"};
	for (size_t k = 0; k < 6; k++) {
		memcpy(bytes + n, parts[k], strlen(parts[k]) + 1);
		n += strlen(parts[k]) + 1;
	}
	ts_sha256_hex(bytes, n, expected);
	assert_string_equal(ts_scenario_hash(a), expected);
	assert_string_not_equal(ts_scenario_hash(b), expected);
	assert_string_equal(ts_scenario_hash(none), ts_scenario_hash(base));
	/* Not the hash of its text: a load with the same overrides hashes that. */
	ts_scenario *loaded = NULL;
	assert_int_equal(ts_scenario_load(&loaded, "vary_world.cfg", ov, 2, &err), TS_OK);
	assert_string_not_equal(ts_scenario_hash(loaded), expected);
	ts_scenario_free(loaded);
	ts_scenario_free(none);
	ts_scenario_free(b);
	ts_scenario_free(a);
	ts_scenario_free(base);
}

/* A copy shares the base's settings that no override changes. Overrides
 * that change a setting an earlier one went through (a firm rebuilt after
 * one of its supplier shares was set), one at the top level, and several
 * copies freed in any order: each copy is the loaded scenario, the base
 * keeps its text, and the base's other copies theirs. */
static void copies_share_what_no_override_changes_and_only_that(void **state)
{
	(void)state;
	ts_scenario *base = load_base(), *loaded = NULL, *varied = NULL, *plain = NULL;
	char *before = tu_written(base);
	ts_override ov[] = {{"firms.ZTE.suppliers.chips.S", "0.5"},
	                    {"firms.ZTE.suppliers.chips.Q", "0.5"},
	                    {"firms.ZTE", "{ country = \"CN\"; sector = \"phones\"; capacity = 50.0; "
	                                  "suppliers = { chips = { S = 1.0; }; }; }"},
	                    {"firms.Apple.suppliers.chips.Q", "1.0"},
	                    {"title", "\"shared\""}};
	ts_error why, err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_vary(&plain, base, ov + 3, 1, &err), TS_OK);
	assert_int_equal(expect_same_outcome(base, ov, 5, &loaded, &varied, &why), TS_OK);
	char *a = tu_written(loaded), *b = tu_written(varied);
	assert_string_equal(a, b);
	assert_non_null(strstr(b, "capacity = 50.0;"));
	assert_true(varied->firms[3].capacity == 50.0);
	ts_scenario_free(varied);
	char *after = tu_written(base), *other = tu_written(plain);
	assert_string_equal(before, after);
	assert_null(strstr(other, "capacity = 50.0;"));
	assert_non_null(strstr(other, "Q = 0.7;"));
	free(a);
	free(b);
	free(before);
	free(after);
	free(other);
	ts_scenario_free(loaded);
	ts_scenario_free(plain);
	ts_scenario_free(base);  /* last: its copies read its settings */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_varied_copy_is_the_scenario_a_load_with_the_same_overrides_gives),
		cmocka_unit_test(rejected_values_get_the_messages_a_load_gives_them),
		cmocka_unit_test(a_problem_elsewhere_is_located_at_its_file_and_line),
		cmocka_unit_test(varying_leaves_the_base_as_it_was),
		cmocka_unit_test(a_varied_copys_hash_covers_the_base_hash_and_its_overrides_in_order),
		cmocka_unit_test(copies_share_what_no_override_changes_and_only_that),
	};
	return cmocka_run_group_tests_name("vary", tests, setup, NULL);
}
