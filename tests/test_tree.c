/* The effective scenario written out and hashed (sim/scenario/tree.c): every
 * value reads back to the same tree, reals with their round-trip digits, so
 * that the hash tells apart runs that differ in the 17th digit and a recorded
 * scenario.cfg reproduces its run byte for byte. */
#define _GNU_SOURCE
#include "testutil.h"
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sweep.h>
#include "scenario/spec.h"
#include "scenario/tree.h"
#include "small_world.h"

/* The small world with a `model` group for the overrides to change. */
static char model_world[4096];

static int setup(void **state)
{
	(void)state;
	snprintf(model_world, sizeof model_world, "%smodel = { tech_weight = 1.0; beta_a = 3.0; };\n", small_world);
	tu_write_file("tree_world.cfg", model_world);
	return 0;
}

static ts_scenario *load_with(const ts_override *o, size_t n)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load_string(&s, model_world, "world.cfg", NULL, o, n, &err) != TS_OK)
		fail_msg("did not load: %s", err.message);
	return s;
}

/* The text `model.tech_weight` (a real) is written as when set to value. */
static void expect_real_written(const char *value, const char *line)
{
	ts_override o[] = { { "model.tech_weight", value } };
	ts_scenario *s = load_with(o, 1);
	char *text = tu_written(s);
	if (!strstr(text, line))
		fail_msg("expected \"%s\" in:\n%s", line, text);
	free(text);
	ts_scenario_free(s);
}

static void reals_are_written_with_their_shortest_round_trip_digits(void **state)
{
	(void)state;
	expect_real_written("0.1", "tech_weight = 0.1;\n");
	/* 0.1 + 0.2 is 0.30000000000000004: 15 digits would make it 0.3. */
	expect_real_written("0.30000000000000004", "tech_weight = 0.30000000000000004;\n");
	expect_real_written("0.3", "tech_weight = 0.3;\n");
	/* The double nearest 1/3 is 0.333333333333333314829616256247...: 16
	 * digits read back to it, 15 (0.333333333333333) do not. */
	expect_real_written("0.333333333333333314829616256247", "tech_weight = 0.3333333333333333;\n");
	expect_real_written("2.5", "tech_weight = 2.5;\n");
	expect_real_written("2", "tech_weight = 2.0;\n");  /* a real stays a real */
	expect_real_written("0.00005", "tech_weight = 5e-05;\n");
	expect_real_written("0", "tech_weight = 0.0;\n");
}

static uint64_t bits_of(double v)
{
	uint64_t b;
	memcpy(&b, &v, sizeof b);
	return b;
}

/* The writer's digits as they were found before the shortest decimal's
 * length was computed: printf's rounding to 1, 2, ... digits until strtod
 * reads the value back. */
static void printf_reference(char *buf, size_t size, double v)
{
	int digits = 17;
	for (int d = 1; d < 17; d++) {
		snprintf(buf, size, "%.*e", d - 1, v);
		double back = strtod(buf, NULL);
		if (memcmp(&back, &v, sizeof v) == 0) {
			digits = d;
			break;
		}
	}
	snprintf(buf, size, "%.*e", digits - 1, v);
	int exponent = atoi(strchr(buf, 'e') + 1);
	if (exponent >= -4 && exponent < 16)
		snprintf(buf, size, "%.*f", digits - 1 - exponent > 0 ? digits - 1 - exponent : 0, v);
	if (!strpbrk(buf, ".eE"))
		strncat(buf, ".0", size - strlen(buf) - 1);
}

static void expect_as_printf(double v)
{
	char got[64], want[64];
	ts_tree_format_real(got, sizeof got, v);
	printf_reference(want, sizeof want, v);
	if (strcmp(got, want) != 0)
		fail_msg("%.17g (bits %016llx) written as %s, printf's search gives %s", v,
			 (unsigned long long)bits_of(v), got, want);
}

/* shortest.c finds the length, printf's rounding the digits: the same text
 * as the printf search alone, so no scenario's hash changed. */
static void reals_are_written_as_printfs_digit_search_writes_them(void **state)
{
	(void)state;
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 30000; i++) {
		x ^= x << 13;  /* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof v);
		if (isfinite(v))
			expect_as_printf(v);
		expect_as_printf((double)(x % 1000000) / 100.0);  /* what scenarios hold: 123.45 */
		expect_as_printf((double)(x % 100000) * 1e-7);
	}
	for (int e = -1074; e <= 1023; e++) {  /* powers of two and their neighbours */
		double p = ldexp(1.0, e);
		expect_as_printf(p);
		expect_as_printf(-p);
		expect_as_printf(nextafter(p, 0.0));
		expect_as_printf(nextafter(p, INFINITY));
	}
	for (int e = -320; e <= 308; e++)  /* powers of ten */
		expect_as_printf(pow(10.0, e));
	const double special[] = { 0.0, -0.0, 5e-324, DBL_MAX, -DBL_MAX, DBL_MIN, 1e16, 9999999999999998.0,
				   1e-4, 9.9999999999999991e-5, 0.30000000000000004, 1.0 / 3.0 };
	for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
		expect_as_printf(special[k]);
}

static void a_real_differing_in_the_17th_digit_changes_the_hash(void **state)
{
	(void)state;
	/* 1.0000000000000002 and 1.0000000000000004 are 1 + 1 ulp and 1 + 2 ulp:
	 * both 1.00000000000000 in 15 digits. */
	ts_override a[] = { { "model.tech_weight", "1.0000000000000002" } };
	ts_override b[] = { { "model.tech_weight", "1.0000000000000004" } };
	ts_scenario *sa = load_with(a, 1), *sb = load_with(b, 1);
	assert_true(sa->model.tech_weight != sb->model.tech_weight);
	assert_string_not_equal(ts_scenario_hash(sa), ts_scenario_hash(sb));
	ts_scenario_free(sa);
	ts_scenario_free(sb);
}

static void the_written_tree_reads_back_to_the_same_hash_and_values(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.US.markets.chips.size", "100.00000000000001" },
			    { "model.beta_a", "3.0000000000000004" },
			    { "run.seed", "4000000000L" } };
	ts_scenario *a = load_with(o, 3);
	char *text = tu_written(a);
	ts_scenario *b = tu_load(text);
	assert_string_equal(ts_scenario_hash(a), ts_scenario_hash(b));
	assert_true(b->markets[0].size == a->markets[0].size);
	assert_true(b->model.beta_a == a->model.beta_a);
	assert_int_equal(ts_scenario_seed(b), 4000000000u);
	assert_non_null(strstr(text, "seed = 4000000000L;"));  /* 64 bits keep their L */
	char *again = tu_written(b);
	assert_string_equal(again, text);
	free(again);
	free(text);
	ts_scenario_free(a);
	ts_scenario_free(b);
}

static void strings_are_escaped_as_libconfig_reads_them(void **state)
{
	(void)state;
	ts_override o[] = { { "countries.US.name", "\"q\\\"b\\\\s\\n\\t\\x01\\x7f é\"" } };
	ts_scenario *a = load_with(o, 1);
	assert_string_equal(a->countries[0].name, "q\"b\\s\n\t\x01\x7f é");
	char *text = tu_written(a);
	assert_non_null(strstr(text, "name = \"q\\\"b\\\\s\\n\\t\\x01\\x7F é\";\n"));
	ts_scenario *b = tu_load(text);
	assert_string_equal(b->countries[0].name, a->countries[0].name);
	free(text);
	ts_scenario_free(a);
	ts_scenario_free(b);
}

static void groups_lists_and_arrays_keep_their_kind_and_order(void **state)
{
	(void)state;
	const char *world =
		"run = { steps = 4; start = \"2018Q1\"; };\n"
		"countries = { US = { }; CN = { rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"b\", \"a\"]; } ); }; };\n"
		"sectors = { chips = { }; };\n"
		"firms = { Q = { country = \"US\"; sector = \"chips\"; capacity = 50.0; refuses = [ ]; }; };\n"
		"measures = { a = { type = \"market_ban\"; actor = \"CN\"; target = \"US\"; };\n"
		"             b = { type = \"market_ban\"; actor = \"CN\"; target = \"Q\"; }; };\n";
	ts_scenario *a = tu_load(world);
	char *text = tu_written(a);
	assert_non_null(strstr(text, "    rules = (\n      {\n        rival = \"US\";\n        kind = \"tit_for_tat\";\n"
				"        menu = [ \"b\", \"a\" ];\n      }\n    );\n"));
	assert_non_null(strstr(text, "  US = { };\n"));
	assert_non_null(strstr(text, "refuses = [ ];\n"));
	ts_scenario *b = tu_load(text);
	assert_string_equal(ts_scenario_hash(a), ts_scenario_hash(b));
	assert_int_equal(b->rule_menu[0], 1);  /* b before a, as written */
	free(text);
	ts_scenario_free(a);
	ts_scenario_free(b);
}

/* Every CSV of run directory a is byte-identical in b. */
static void expect_same_csvs(const char *a, const char *b)
{
	static const char *const tables[] = { "countries.csv", "firms.csv", "markets.csv", "events.csv", "relations.csv" };
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
		char *x = tu_read_in(a, tables[k]), *y = tu_read_in(b, tables[k]);
		if (strcmp(x, y) != 0)
			fail_msg("%s differs between %s and %s", tables[k], a, b);
		free(x);
		free(y);
	}
}

static void a_recorded_scenario_cfg_reproduces_every_byte_of_its_run(void **state)
{
	(void)state;
	char first[256], again[256], recorded[512];
	tu_make_dir(first, sizeof first, "tree_first");
	tu_make_dir(again, sizeof again, "tree_again");
	/* Values that 15 digits would round: the CSVs differ if they are lost. */
	assert_int_equal(tu_cli(NULL, "run tree_world.cfg -o %s --set countries.CN.markets.phones.size=400.00000000000006 "
				"--set firms.Q.capacity=300.00000000000006 --set model.tech_weight=1.0000000000000002", first), 0);
	snprintf(recorded, sizeof recorded, "%s/scenario.cfg", first);
	assert_int_equal(tu_cli(NULL, "run %s -o %s", recorded, again), 0);
	expect_same_csvs(first, again);
	char *json_a = tu_read_in(first, "run.json"), *json_b = tu_read_in(again, "run.json");
	char *hash_a = strstr(json_a, "\"scenario_sha256\""), *hash_b = strstr(json_b, "\"scenario_sha256\"");
	assert_non_null(hash_a);
	assert_non_null(hash_b);
	assert_memory_equal(hash_a, hash_b, 20 + 64);
	free(json_a);
	free(json_b);
}

static void a_sweep_over_a_scenario_changed_in_the_17th_digit_has_another_hash(void **state)
{
	(void)state;
	const char *sweep =
		"scenario = \"%s\";\n"
		"parameters = ( { path = \"countries.CN.home_bias\"; values = [0.0, 0.5]; } );\n"
		"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n";
	char *changed = malloc(strlen(small_world) + 64), text[1024];
	assert_non_null(changed);
	/* The same world with a capacity 1 ulp above 300 (the same in 15 digits). */
	const char *at = strstr(small_world, "capacity = 300.0;");
	assert_non_null(at);
	sprintf(changed, "%.*scapacity = 300.00000000000006;%s", (int)(at - small_world), small_world,
		at + strlen("capacity = 300.0;"));
	tu_write_file("tree_sweep_a.cfg", small_world);
	tu_write_file("tree_sweep_b.cfg", changed);
	char hashes[2][65];
	for (int k = 0; k < 2; k++) {
		snprintf(text, sizeof text, sweep, k == 0 ? "tree_sweep_a.cfg" : "tree_sweep_b.cfg");
		ts_sweep *s = NULL;
		ts_error err = TS_ERROR_INIT;
		if (ts_sweep_load_string(&s, text, "sweep.cfg", ".", NULL, 0, 0, &err) != TS_OK)
			fail_msg("sweep did not load: %s", err.message);
		snprintf(hashes[k], sizeof hashes[k], "%s", ts_sweep_hash(s));
		ts_sweep_free(s);
	}
	assert_string_not_equal(hashes[0], hashes[1]);
	free(changed);
}

static void reals_read_and_write_with_dots_in_a_comma_decimal_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "de_DE.UTF-8") && !setlocale(LC_ALL, "de_DE.utf8"))
		skip();  /* no such locale installed */
	ts_override o[] = { { "model.tech_weight", "0.5" } };
	ts_scenario *s = load_with(o, 1);
	char *text = tu_written(s);
	setlocale(LC_ALL, "C");
	assert_true(s->model.tech_weight == 0.5);  /* atof in de_DE reads "0.5" as 0 */
	assert_non_null(strstr(text, "tech_weight = 0.5;\n"));
	free(text);
	ts_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reals_are_written_with_their_shortest_round_trip_digits),
		cmocka_unit_test(reals_are_written_as_printfs_digit_search_writes_them),
		cmocka_unit_test(a_real_differing_in_the_17th_digit_changes_the_hash),
		cmocka_unit_test(the_written_tree_reads_back_to_the_same_hash_and_values),
		cmocka_unit_test(strings_are_escaped_as_libconfig_reads_them),
		cmocka_unit_test(groups_lists_and_arrays_keep_their_kind_and_order),
		cmocka_unit_test(a_recorded_scenario_cfg_reproduces_every_byte_of_its_run),
		cmocka_unit_test(a_sweep_over_a_scenario_changed_in_the_17th_digit_has_another_hash),
		cmocka_unit_test(reals_read_and_write_with_dots_in_a_comma_decimal_locale),
	};
	return cmocka_run_group_tests_name("tree", tests, setup, NULL);
}
