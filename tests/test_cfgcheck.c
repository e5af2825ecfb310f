/* Checked reads of libconfig trees and the source scan (sim/scenario/cfgcheck.c,
 * sim/scenario/source.c): typed reads and ranges, unknown keys, did-you-mean,
 * integer literals libconfig would wrap, groups too large for its parser,
 * @include expansion and the locations of what is read. */
#include "testutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>
#include <tradesim/sweep.h>
#include "scenario/cfgcheck.h"
#include "scenario/source.h"
#include "small_world.h"

/* Text read as the scenario loader reads it: the source expanded and scanned
 * (includes against tests/data), then parsed by libconfig. */
typedef struct parsed {
	config_t cfg;
	ts_cfg c;
	ts_error err;
	bool ok;                     /* the source passed its scan and parsed */
} parsed;

static parsed *parse(const char *text)
{
	parsed *p = calloc(1, sizeof *p);
	assert_non_null(p);
	config_init(&p->cfg);
	ts_cfg_init(&p->c, &p->err, "test.cfg", TS_TEST_DATA_DIR, text);
	const char *source = ts_cfg_read_source(&p->c, text);
	p->ok = source && config_read_string(&p->cfg, source) == CONFIG_TRUE;
	return p;
}

static void release(parsed *p)
{
	ts_cfg_release(&p->c);
	config_destroy(&p->cfg);
	free(p);
}

/* The group at `path` of a text that must parse. */
static config_setting_t *group_of(parsed *p, const char *path)
{
	if (!p->ok)
		fail_msg("did not parse: %s", p->err.message);
	config_setting_t *g = config_lookup(&p->cfg, path);
	assert_non_null(g);
	return g;
}

/* The source scan of text fails with TS_EINPUT and `want` in the message. */
static void expect_scan_error(const char *text, const char *want)
{
	parsed *p = parse(text);
	assert_false(p->ok);
	assert_int_equal(p->err.status, TS_EINPUT);
	if (!strstr(p->err.message, want))
		fail_msg("expected \"%s\" in:\n%s", want, p->err.message);
	release(p);
}

/* The source scan alone passes text (libconfig does not parse it: a group
 * at the member limit takes its parser seconds, compared name by name). */
static void expect_scan_passes(const char *text)
{
	ts_cfg c;
	ts_error err = TS_ERROR_INIT;
	ts_cfg_init(&c, &err, "test.cfg", TS_TEST_DATA_DIR, text);
	if (!ts_cfg_read_source(&c, text))
		fail_msg("expected the scan to pass, got: %s", err.message);
	assert_int_equal(err.status, TS_OK);
	ts_cfg_release(&c);
}

static void expect_clean_scan(const char *text)
{
	parsed *p = parse(text);
	if (!p->ok)
		fail_msg("expected a clean parse, got: %s", p->err.message);
	release(p);
}

/* ---- typed reads and ranges ---- */

static void a_real_within_its_range_is_read(void **state)
{
	(void)state;
	parsed *p = parse("g = { x = 0.5; };\n");
	double v = -1;
	assert_int_equal(ts_cfg_float(&p->c, group_of(p, "g"), "x", 0, 0, 1, &v), TS_CFG_SET);
	assert_double_equal(v, 0.5, 0);
	release(p);
}

static void an_integer_is_read_where_a_real_belongs(void **state)
{
	(void)state;
	parsed *p = parse("g = { x = 4; };\n");
	double v = -1;
	assert_int_equal(ts_cfg_float(&p->c, group_of(p, "g"), "x", 0, 0, 10, &v), TS_CFG_SET);
	assert_double_equal(v, 4.0, 0);
	release(p);
}

static void a_real_outside_its_range_names_file_line_path_and_range(void **state)
{
	(void)state;
	parsed *p = parse("g = {\n  x = 1.5; };\n");
	double v = -1;
	assert_int_equal(ts_cfg_float(&p->c, group_of(p, "g"), "x", 0, 0, 1, &v), TS_CFG_BAD);
	assert_string_equal(p->err.message, "test.cfg:2: g.x: expected a number in [0, 1], got 1.5");
	assert_double_equal(v, -1, 0);  /* untouched */
	release(p);
}

static void an_open_bound_excludes_the_bound_itself(void **state)
{
	(void)state;
	parsed *p = parse("g = { x = 0.0; };\n");
	double v = -1;
	assert_int_equal(ts_cfg_float(&p->c, group_of(p, "g"), "x", TS_CFG_LO_OPEN, 0, 1, &v), TS_CFG_BAD);
	assert_non_null(strstr(p->err.message, "expected a number in (0, 1], got 0"));
	release(p);
}

static void a_string_where_an_integer_belongs_is_a_type_error(void **state)
{
	(void)state;
	parsed *p = parse("g = { n = \"ten\"; };\n");
	long long v = 0;
	assert_int_equal(ts_cfg_int(&p->c, group_of(p, "g"), "n", 0, 0, 100, &v), TS_CFG_BAD);
	assert_string_equal(p->err.message, "test.cfg:1: g.n: expected an integer, got a string \"ten\"");
	release(p);
}

static void a_missing_required_setting_is_reported_at_its_group(void **state)
{
	(void)state;
	parsed *p = parse("\ng = { x = 1.0; };\n");
	double v = 0;
	assert_int_equal(ts_cfg_float(&p->c, group_of(p, "g"), "y", TS_CFG_REQUIRED, 0, 1, &v), TS_CFG_BAD);
	assert_string_equal(p->err.message, "test.cfg:2: g.y: required setting missing");
	release(p);
}

static void an_absent_optional_setting_keeps_the_default(void **state)
{
	(void)state;
	parsed *p = parse("g = { x = 1.0; };\n");
	double v = 0.25;
	assert_int_equal(ts_cfg_float(&p->c, group_of(p, "g"), "y", 0, 0, 1, &v), TS_CFG_ABSENT);
	assert_double_equal(v, 0.25, 0);
	assert_int_equal(p->c.n_errors, 0);
	release(p);
}

/* ---- unknown keys and did-you-mean ---- */

static void an_unknown_key_is_reported_with_the_closest_allowed_one(void **state)
{
	(void)state;
	static const char *const allowed[] = { "steps", "start", "seed", NULL };
	parsed *p = parse("run = { steps = 4;\n  sede = 3; };\n");
	assert_int_equal(ts_cfg_check_keys(&p->c, group_of(p, "run"), allowed), 1);
	assert_string_equal(p->err.message, "test.cfg:2: run.sede: unknown setting 'sede' (did you mean 'seed'?)");
	release(p);
}

static void edit_distance_counts_insertions_deletions_and_substitutions(void **state)
{
	(void)state;
	/* kitten -> sitten (k/s) -> sittin (e/i) -> sitting (+g): 3 edits. */
	assert_int_equal(ts_cfg_edit_distance("kitten", "sitting", 5), 3);
	assert_int_equal(ts_cfg_edit_distance("sitting", "kitten", 5), 3);
	/* sede -> seed: two substitutions (a swap costs two). */
	assert_int_equal(ts_cfg_edit_distance("sede", "seed", 2), 2);
	assert_int_equal(ts_cfg_edit_distance("", "abc", 3), 3);
	assert_int_equal(ts_cfg_edit_distance("CapaCity", "capacity", 2), 0);  /* case is ignored */
}

static void edit_distance_beyond_the_limit_is_the_limit_plus_one(void **state)
{
	(void)state;
	assert_int_equal(ts_cfg_edit_distance("kitten", "sitting", 2), 3);
	assert_int_equal(ts_cfg_edit_distance("kitten", "sitting", 1), 2);
	assert_int_equal(ts_cfg_edit_distance("a", "abcdef", 2), 3);  /* lengths alone differ by 5 */
}

static void a_suggestion_is_the_closest_candidate_within_reach(void **state)
{
	(void)state;
	const char *const names[] = { "unit_cost", "capacity", "tech", NULL };
	assert_string_equal(ts_cfg_suggest("capcity", names, 4), "capacity");
	assert_string_equal(ts_cfg_suggest("tehc", names, 4), "tech");
	assert_null(ts_cfg_suggest("jobs", names, 4));  /* no candidate within two edits */
}

static void equally_close_candidates_suggest_the_first(void **state)
{
	(void)state;
	const char *const names[] = { "US", "UK" };
	assert_string_equal(ts_cfg_suggest("UX", names, 2), "US");
}

static void a_word_past_the_cap_gets_no_suggestion(void **state)
{
	(void)state;
	char word[TS_CFG_HINT_MAX_WORD + 2];
	memset(word, 'a', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	const char *const names[] = { word };
	assert_null(ts_cfg_suggest(word, names, 1));  /* even itself */
	word[TS_CFG_HINT_MAX_WORD] = '\0';
	assert_string_equal(ts_cfg_suggest(word, names, 1), word);
}

static void did_you_mean_on_a_200000_character_word_takes_no_time(void **state)
{
	(void)state;
	/* Quadratic edit distances took over ten minutes on such a word. */
	enum { LONG = 200000, N = 20000 };
	char *word = malloc(LONG + 1), *ids = malloc((size_t)N * 16);
	const char **names = malloc(N * sizeof *names);
	assert_true(word && ids && names);
	memset(word, 'F', LONG);
	word[LONG] = '\0';
	for (int i = 0; i < N; i++) {
		snprintf(ids + (size_t)i * 16, 16, "F%d", i);
		names[i] = ids + (size_t)i * 16;
	}
	names[N - 1] = word;  /* a candidate as long as the word */
	/* Past the cap, no suggestion, not even the identical candidate: the
	 * work is bounded by construction (TS_CFG_HINT_MAX_WORD), not by luck. */
	assert_null(ts_cfg_suggest(word, names, N));
	/* F1998x: one edit from F1998 and from F19980; the first wins. */
	assert_string_equal(ts_cfg_suggest("F1998x", names, N), "F1998");
	free(word);
	free(ids);
	free(names);
}

/* ---- integer literals libconfig would not keep ---- */

static void a_plain_integer_beyond_32_bits_is_reported_with_the_L_advice(void **state)
{
	(void)state;
	expect_scan_error("run = { steps = 4294967306; };\n",
			  "test.cfg:1: run.steps: integer 4294967306 is too large for a plain (32-bit) integer, "
			  "which libconfig would wrap; write it with the L suffix (4294967306L)");
}

static void a_value_six_lines_below_its_name_is_reported_at_its_own_line(void **state)
{
	(void)state;
	/* The old check looked a few lines around the setting's: this read as 10. */
	expect_scan_error("run = { steps =\n\n\n\n\n\n  4294967306; };\n",
			  "test.cfg:7: run.steps: integer 4294967306 is too large");
}

static void a_wrapped_value_below_a_valid_one_of_the_same_name_is_reported(void **state)
{
	(void)state;
	/* 4294967306 wraps to 10, which the line above holds for another size. */
	expect_scan_error("m = {\n  chips = { size = 10; };\n  phones = { size = 4294967306; };\n};\n",
			  "test.cfg:3: m.phones.size: integer 4294967306 is too large");
}

static void the_32_bit_bounds_are_exact(void **state)
{
	(void)state;
	expect_clean_scan("a = 2147483647; b = -2147483648; c = 0;\n");
	expect_scan_error("a = 2147483648;\n", "a: integer 2147483648 is too large");
	expect_scan_error("b = -2147483649;\n", "b: integer -2147483649 is too large");
}

static void an_L_suffix_keeps_64_bits(void **state)
{
	(void)state;
	expect_clean_scan("a = 4294967306L; b = 9223372036854775807L; c = -9223372036854775808LL;\n");
	expect_scan_error("a = 9223372036854775808L;\n", "a: integer 9223372036854775808L is too large even for 64 bits");
	expect_scan_error("a = 99999999999999999999;\n", "a: integer 99999999999999999999 is too large even for 64 bits");
}

static void hex_literals_keep_32_bits_of_pattern_plain_and_64_with_L(void **state)
{
	(void)state;
	expect_clean_scan("a = 0xFFFFFFFF; b = 0x100000000L; c = 0xFFFFFFFFFFFFFFFFL;\n");
	expect_scan_error("a = 0x100000000;\n", "a: integer 0x100000000 is too large for a plain (32-bit) integer");
	expect_scan_error("a = 0x10000000000000000L;\n", "a: integer 0x10000000000000000L is too large even for 64 bits");
}

static void numbers_in_strings_comments_and_reals_are_not_integer_literals(void **state)
{
	(void)state;
	expect_clean_scan("title = \"4294967306 \\\" 5000000000\"; # 4294967306\n"
			  "// 4294967306\n/* 4294967306\n 5000000000 */ x = 12345678901.5; y = 1e20; z = 4294967306.0;\n");
}

static void a_list_element_is_located_by_its_index(void **state)
{
	(void)state;
	expect_scan_error("m = { x = [1,\n  4294967306]; l = ( 1, { a = 5000000000; } ); };\n",
			  "test.cfg:2: m.x[1]: integer 4294967306 is too large");
	expect_scan_error("m = { l = ( 1, { a = 5000000000; } ); };\n", "test.cfg:1: m.l[1].a: integer 5000000000");
}

static void every_wrapped_literal_is_reported(void **state)
{
	(void)state;
	parsed *p = parse("a = 5000000000;\nb = 1;\nc = 6000000000;\n");
	assert_false(p->ok);
	assert_int_equal(p->c.n_errors, 2);
	assert_non_null(strstr(p->err.message, "test.cfg:1: a: integer 5000000000"));
	assert_non_null(strstr(p->err.message, "test.cfg:3: c: integer 6000000000"));
	release(p);
}

static void a_wrapped_literal_in_an_included_file_is_reported_in_that_file(void **state)
{
	(void)state;
	expect_scan_error("a = 1;\n@include \"scenario_bigint.cfg\"\n",
			  TS_TEST_DATA_DIR "/scenario_bigint.cfg:2: countries.US.markets.chips.size: integer 4000000000");
}

static void a_wrapped_sweep_value_is_reported_at_its_line(void **state)
{
	(void)state;
	tu_write_file("cfgcheck_world.cfg", small_world);
	const char *sweep =
		"scenario = \"cfgcheck_world.cfg\";\n"
		"parameters = ( { path = \"run.steps\";\n"
		"                 values = [4, 4294967306]; } );\n"
		"metrics = ( { series = \"firms.ZTE.revenue_bn_usd\"; } );\n";
	ts_sweep *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sweep_load_string(&s, sweep, "sweep.cfg", ".", NULL, 0, 0, &err), TS_EINPUT);
	assert_null(s);
	assert_non_null(strstr(err.message, "sweep.cfg:3: parameters[0].values[1]: integer 4294967306 is too large "
				"for a plain (32-bit) integer"));
}

/* ---- groups too large for libconfig's parser ---- */

/* "g = { F0 = 1; F1 = 1; ... };" with n members, in a buffer the caller frees. */
static char *big_group(const char *name, int n)
{
	size_t size = (size_t)n * 16 + 64, used = 0;
	char *text = malloc(size);
	assert_non_null(text);
	used += (size_t)snprintf(text, size, "%s = {\n", name);
	for (int i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, size - used, "F%d = 1;\n", i);
	snprintf(text + used, size - used, "};\n");
	return text;
}

static void a_group_of_more_than_25000_members_is_refused_before_parsing(void **state)
{
	(void)state;
	char *text = big_group("firms", TS_SOURCE_MAX_GROUP_MEMBERS + 1);
	expect_scan_error(text, "test.cfg:1: firms: more than 25000 settings in one group");
	free(text);
	text = big_group("firms", TS_SOURCE_MAX_GROUP_MEMBERS);
	expect_scan_passes(text);
	free(text);
}

static void groups_too_large_together_are_refused_before_parsing(void **state)
{
	(void)state;
	/* 100 groups of 5000: 100 x 5000 x 4999 / 2 = 1.25e9 name comparisons. */
	size_t size = 100 * 70000, used = 0;
	char *text = malloc(size);
	assert_non_null(text);
	for (int g = 0; g < 100; g++) {
		char *one = big_group("g", 5000);
		used += (size_t)snprintf(text + used, size - used, "%c%d%s", 'g', g, one + 1);
		free(one);
	}
	expect_scan_error(text, ": too many settings in large groups: libconfig compares each new member");
	expect_scan_error(text, "write big entity tables as lists of groups with an id, which cost none");
	free(text);
}

/* ---- @include and locations ---- */

static void a_setting_from_an_included_file_is_located_in_that_file(void **state)
{
	(void)state;
	parsed *p = parse("a = 1;\n@include \"scenario_world.cfg\"\nb = 2;\n");
	config_setting_t *us = group_of(p, "countries.CN");
	char where[512];
	ts_cfg_location(&p->c, us, where, sizeof where);
	assert_string_equal(where, TS_TEST_DATA_DIR "/scenario_world.cfg:4");
	ts_cfg_location(&p->c, group_of(p, "b"), where, sizeof where);
	assert_string_equal(where, "test.cfg:3");  /* the main file's lines go on after the include */
	assert_int_equal(ts_cfg_line(&p->c, group_of(p, "b")), 3);
	release(p);
}

static void an_absolute_include_is_read_as_written(void **state)
{
	(void)state;
	/* libconfig 1.5 put the include directory in front of it and failed. */
	parsed *p = parse("@include \"" TS_TEST_DATA_DIR "/scenario_world.cfg\"\n");
	assert_non_null(group_of(p, "firms.Huawei"));
	release(p);
}

static void a_missing_include_names_the_directive_and_the_file(void **state)
{
	(void)state;
	expect_scan_error("a = 1;\n@include \"no_such.cfg\"\n",
			  "test.cfg:2: @include \"no_such.cfg\": " TS_TEST_DATA_DIR "/no_such.cfg: cannot open");
}

static void an_include_of_a_directory_is_refused(void **state)
{
	(void)state;
	expect_scan_error("@include \".\"\n", "test.cfg:1: @include \".\": " TS_TEST_DATA_DIR "/.: a directory, not a regular file");
}

static void a_file_that_includes_itself_stops_at_the_depth_limit(void **state)
{
	(void)state;
	tu_write_file("cfgcheck_self.cfg", "x = 1;\n@include \"cfgcheck_self.cfg\"\n");
	parsed *p = calloc(1, sizeof *p);
	assert_non_null(p);
	config_init(&p->cfg);
	const char *text = "@include \"cfgcheck_self.cfg\"\n";
	ts_cfg_init(&p->c, &p->err, "test.cfg", ".", text);
	assert_null(ts_cfg_read_source(&p->c, text));
	assert_non_null(strstr(p->err.message, "cfgcheck_self.cfg:2: @include \"cfgcheck_self.cfg\": files include each "
				"other more than 10 deep"));
	release(p);
}

static void an_included_file_ending_inside_a_comment_is_refused(void **state)
{
	(void)state;
	tu_write_file("cfgcheck_open.cfg", "x = 1; /* never closed\n");
	parsed *p = calloc(1, sizeof *p);
	assert_non_null(p);
	config_init(&p->cfg);
	const char *text = "@include \"cfgcheck_open.cfg\"\ny = 2; /* */\n";
	ts_cfg_init(&p->c, &p->err, "test.cfg", ".", text);
	assert_null(ts_cfg_read_source(&p->c, text));
	assert_non_null(strstr(p->err.message, "cfgcheck_open.cfg:1: the file ends inside a comment"));
	release(p);
}

static void an_include_in_a_comment_or_string_is_no_directive(void **state)
{
	(void)state;
	expect_clean_scan("/*\n@include \"no_such.cfg\"\n*/ s = \"\n@include \\\"no_such.cfg\\\"\n\";\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_real_within_its_range_is_read),
		cmocka_unit_test(an_integer_is_read_where_a_real_belongs),
		cmocka_unit_test(a_real_outside_its_range_names_file_line_path_and_range),
		cmocka_unit_test(an_open_bound_excludes_the_bound_itself),
		cmocka_unit_test(a_string_where_an_integer_belongs_is_a_type_error),
		cmocka_unit_test(a_missing_required_setting_is_reported_at_its_group),
		cmocka_unit_test(an_absent_optional_setting_keeps_the_default),
		cmocka_unit_test(an_unknown_key_is_reported_with_the_closest_allowed_one),
		cmocka_unit_test(edit_distance_counts_insertions_deletions_and_substitutions),
		cmocka_unit_test(edit_distance_beyond_the_limit_is_the_limit_plus_one),
		cmocka_unit_test(a_suggestion_is_the_closest_candidate_within_reach),
		cmocka_unit_test(equally_close_candidates_suggest_the_first),
		cmocka_unit_test(a_word_past_the_cap_gets_no_suggestion),
		cmocka_unit_test(did_you_mean_on_a_200000_character_word_takes_no_time),
		cmocka_unit_test(a_plain_integer_beyond_32_bits_is_reported_with_the_L_advice),
		cmocka_unit_test(a_value_six_lines_below_its_name_is_reported_at_its_own_line),
		cmocka_unit_test(a_wrapped_value_below_a_valid_one_of_the_same_name_is_reported),
		cmocka_unit_test(the_32_bit_bounds_are_exact),
		cmocka_unit_test(an_L_suffix_keeps_64_bits),
		cmocka_unit_test(hex_literals_keep_32_bits_of_pattern_plain_and_64_with_L),
		cmocka_unit_test(numbers_in_strings_comments_and_reals_are_not_integer_literals),
		cmocka_unit_test(a_list_element_is_located_by_its_index),
		cmocka_unit_test(every_wrapped_literal_is_reported),
		cmocka_unit_test(a_wrapped_literal_in_an_included_file_is_reported_in_that_file),
		cmocka_unit_test(a_wrapped_sweep_value_is_reported_at_its_line),
		cmocka_unit_test(a_group_of_more_than_25000_members_is_refused_before_parsing),
		cmocka_unit_test(groups_too_large_together_are_refused_before_parsing),
		cmocka_unit_test(a_setting_from_an_included_file_is_located_in_that_file),
		cmocka_unit_test(an_absolute_include_is_read_as_written),
		cmocka_unit_test(a_missing_include_names_the_directive_and_the_file),
		cmocka_unit_test(an_include_of_a_directory_is_refused),
		cmocka_unit_test(a_file_that_includes_itself_stops_at_the_depth_limit),
		cmocka_unit_test(an_included_file_ending_inside_a_comment_is_refused),
		cmocka_unit_test(an_include_in_a_comment_or_string_is_no_directive),
	};
	return cmocka_run_group_tests_name("cfgcheck", tests, NULL, NULL);
}
