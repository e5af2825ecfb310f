/* Facts files (sim/batch/facts.c): each statistic pinned on a series written
 * by hand, dates and windows in the scenario's calendar, counterfactuals
 * shared as variants, and every loader error with its FILE:LINE and
 * setting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "small_world.h"
#include "batch/facts.h"

static ts_scenario *world;

static int setup(void **state)
{
	(void)state;
	tu_write_file("facts_world.cfg", small_world);
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load(&world, "facts_world.cfg", NULL, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_scenario_free(world);
	return 0;
}

/* One fact's group body wrapped in a facts file. */
static ts_facts *load_fact(const char *body)
{
	char text[4096];
	snprintf(text, sizeof text, "facts = (\n  {\n%s\n  }\n);\n", body);
	ts_facts *f = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_facts_load_string(&f, text, "f.cfg", world, NULL, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	return f;
}

/* Loads text expecting TS_EINPUT with `want` in the message. */
static void expect_error(const char *text, const char *want)
{
	ts_facts *f = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_facts_load_string(&f, text, "f.cfg", world, NULL, 0, &err);
	if (rc != TS_EINPUT || !strstr(err.message, want))
		fail_msg("expected TS_EINPUT with \"%s\", got %d:\n%s", want, rc, err.message);
	assert_null(f);
}

#define SERIES "series = \"firms.ZTE.revenue_bn_usd\"; "
#define TARGET "observed = 1.0; tolerance = 0.5; source = \"seed 001\"; "

/* A fact over x = 1, 2, 4, 8, 16, 32, 64, 128, 256, 512 (steps 0-9). */
static double stat_of(const char *window)
{
	static const double x[10] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
	char body[1024];
	snprintf(body, sizeof body, "name = \"a\"; " SERIES TARGET "%s", window);
	ts_facts *f = load_fact(body);
	double v = ts_fact_stat_of(&f->facts[0], x);
	ts_facts_free(f);
	return v;
}

static void value_reads_the_step_of_its_date(void **state)
{
	(void)state;
	assert_double_equal(stat_of("stat = \"value\"; at = \"2018Q3\";"), 4.0, 0.0);
}

static void sum_mean_min_and_max_cover_both_ends_of_the_window(void **state)
{
	(void)state;
	const char *w = "from = \"2018Q2\"; to = \"2018Q4\";";  /* steps 1-3: 2, 4, 8 */
	char b[200];
	snprintf(b, sizeof b, "stat = \"sum\"; %s", w);
	assert_double_equal(stat_of(b), 14.0, 0.0);
	snprintf(b, sizeof b, "stat = \"mean\"; %s", w);
	assert_double_equal(stat_of(b), 14.0 / 3.0, 1e-15);
	snprintf(b, sizeof b, "stat = \"min\"; %s", w);
	assert_double_equal(stat_of(b), 2.0, 0.0);
	snprintf(b, sizeof b, "stat = \"max\"; %s", w);
	assert_double_equal(stat_of(b), 8.0, 0.0);
}

static void a_year_as_to_ends_at_its_last_quarter(void **state)
{
	(void)state;
	/* 2018 in a quarterly run: steps 0-3, 1 + 2 + 4 + 8 */
	assert_double_equal(stat_of("stat = \"sum\"; from = \"2018\"; to = \"2018\";"), 15.0, 0.0);
}

static void change_and_growth_compare_the_two_dates(void **state)
{
	(void)state;
	assert_double_equal(stat_of("stat = \"change\"; from = \"2018Q2\"; to = \"2019Q1\";"), 16.0 - 2.0, 0.0);
	assert_double_equal(stat_of("stat = \"growth\"; from = \"2018Q2\"; to = \"2019Q1\";"), 16.0 / 2.0 - 1.0, 0.0);
}

static void ratio_divides_the_reduced_window_by_the_base_windows_mean(void **state)
{
	(void)state;
	const char *base = "base_from = \"2018Q1\"; base_to = \"2018Q2\";";  /* mean 1.5 */
	char b[300];
	snprintf(b, sizeof b, "stat = \"ratio\"; from = \"2019Q1\"; to = \"2019Q2\"; %s", base);
	assert_double_equal(stat_of(b), 24.0 / 1.5, 1e-15);  /* mean of 16, 32 */
	snprintf(b, sizeof b, "stat = \"ratio\"; reduce = \"min\"; from = \"2019Q1\"; to = \"2019Q2\"; %s", base);
	assert_double_equal(stat_of(b), 16.0 / 1.5, 1e-15);
	snprintf(b, sizeof b, "stat = \"ratio\"; reduce = \"sum\"; from = \"2019Q1\"; to = \"2019Q2\"; %s", base);
	assert_double_equal(stat_of(b), 48.0 / 1.5, 1e-15);
}

static void a_non_finite_value_in_the_window_gives_nan(void **state)
{
	(void)state;
	double x[10] = {1, NAN, 4, 8, 16, 32, 64, 128, 256, 512};
	ts_facts *f = load_fact("name = \"a\"; " SERIES TARGET "stat = \"sum\"; from = \"2018Q1\"; to = \"2018Q3\";");
	assert_true(isnan(ts_fact_stat_of(&f->facts[0], x)));
	ts_facts_free(f);
}

static void per_divides_the_statistic_by_that_of_the_denominator(void **state)
{
	(void)state;
	static const double x[10] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
	static const double y[10] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, zero[10] = {0};
	ts_facts *f = load_fact("name = \"a\"; " SERIES TARGET "per = \"firms.Q.revenue_bn_usd\"; stat = \"sum\"; "
	                        "from = \"2018Q2\"; to = \"2018Q4\";");
	assert_int_equal(f->facts[0].n_per, 1);
	assert_double_equal(ts_fact_value_of(&f->facts[0], x, y), 14.0 / 9.0, 1e-15);
	assert_true(isnan(ts_fact_value_of(&f->facts[0], x, zero)));
	f->facts[0].n_per = 0;  /* without per: the statistic itself */
	assert_double_equal(ts_fact_value_of(&f->facts[0], x, y), 14.0, 0.0);
	ts_facts_free(f);
}

static void a_list_of_series_is_resolved_address_by_address(void **state)
{
	(void)state;
	ts_facts *f = load_fact("name = \"a\"; series = [\"firms.ZTE.revenue_bn_usd\", \"countries.CN.jobs\"]; "
	                        TARGET "stat = \"value\"; at = 0;");
	assert_int_equal(f->facts[0].n_series, 2);
	assert_string_equal(f->facts[0].series[1].key, "CN");
	ts_facts_free(f);
}

static void contrasts_are_the_difference_or_the_relative_change(void **state)
{
	(void)state;
	ts_facts *f = load_fact("name = \"a\"; " SERIES TARGET "stat = \"value\"; at = \"2018Q2\"; "
	                        "counterfactual = [\"measures.zte_denial.enabled=false\"];");
	assert_double_equal(ts_fact_contrast_of(&f->facts[0], 3.0, 4.0), -1.0, 0.0);
	f->facts[0].contrast = TS_CONTRAST_RELATIVE;
	assert_double_equal(ts_fact_contrast_of(&f->facts[0], 3.0, 4.0), -0.25, 0.0);
	f->facts[0].variant = 0;  /* no counterfactual: the value itself */
	assert_double_equal(ts_fact_contrast_of(&f->facts[0], 3.0, 4.0), 3.0, 0.0);
	ts_facts_free(f);
}

static void facts_with_the_same_counterfactual_share_one_variant(void **state)
{
	(void)state;
	ts_facts *f = NULL;
	ts_error err = TS_ERROR_INIT;
	const char *cf = "counterfactual = [\"measures.zte_denial.enabled=false\"]; ";
	char text[2048];
	snprintf(text, sizeof text,
	         "facts = ( { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 1; %s },\n"
	         "          { name = \"b\"; " SERIES TARGET "stat = \"value\"; at = 2; %s },\n"
	         "          { name = \"c\"; " SERIES TARGET "stat = \"value\"; at = 2; "
	         "counterfactual = [\"measures.state_ban.enabled=false\"]; },\n"
	         "          { name = \"d\"; " SERIES TARGET "stat = \"value\"; at = 2; } );\n", cf, cf);
	if (ts_facts_load_string(&f, text, "f.cfg", world, NULL, 0, &err) != TS_OK)
		fail_msg("%s", err.message);
	assert_int_equal(f->n_variants, 3);
	assert_int_equal(f->facts[0].variant, 1);
	assert_int_equal(f->facts[1].variant, 1);
	assert_int_equal(f->facts[2].variant, 2);
	assert_int_equal(f->facts[3].variant, 0);
	assert_non_null(f->variants[1].scenario);
	ts_facts_free(f);
}

static void a_standard_error_gives_a_tolerance_of_two_of_them(void **state)
{
	(void)state;
	ts_facts *f = load_fact("name = \"a\"; " SERIES "observed = 1.0; standard_error = 0.3; source = \"s\"; "
	                        "stat = \"value\"; at = 0;");
	assert_double_equal(f->facts[0].tolerance, 0.6, 1e-15);
	ts_facts_free(f);
}

/* Errors: each names the file, the line and the setting. */
static void an_unknown_key_is_named_with_a_did_you_mean(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0;\n tolerence = 1.0; }\n);\n",
	             "f.cfg:3: facts[0].tolerence: unknown setting 'tolerence' (did you mean 'tolerance'?)");
	expect_error("fact = ();\n", "f.cfg:1: fact: unknown setting 'fact' (did you mean 'facts'?)");
}

static void a_fact_without_source_or_observed_is_refused(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES "stat = \"value\"; at = 0; tolerance = 1.0; }\n);\n",
	             "f.cfg:2: facts[0].source: required setting missing");
	expect_error("facts = (\n { name = \"a\"; " SERIES "stat = \"value\"; at = 0; tolerance = 1.0; source = \"s\"; }\n);\n",
	             "f.cfg:2: facts[0].observed: required setting missing");
	expect_error("facts = (\n { name = \"a\"; " SERIES "stat = \"value\"; at = 0; observed = 1.0; source = \"s\"; }\n);\n",
	             "f.cfg:2: facts[0].tolerance: missing: give tolerance (absolute) or standard_error");
}

static void tolerance_and_standard_error_together_are_refused(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0;\n"
	             "   standard_error = 0.1; }\n);\n",
	             "f.cfg:3: facts[0].standard_error: give tolerance or standard_error, not both");
}

static void a_bad_or_outside_date_is_refused(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\";\n at = \"2018Q5\"; }\n);\n",
	             "f.cfg:3: facts[0].at: '2018Q5' is not a date");
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"sum\"; from = \"2018Q1\";\n to = \"2021Q1\"; }\n);\n",
	             "f.cfg:3: facts[0].to: '2021Q1' is outside the run of facts_world.cfg (2018Q1 .. 2020Q2)");
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"sum\"; from = \"2018Q3\";\n to = \"2018Q2\"; }\n);\n",
	             "f.cfg:3: facts[0].to: ends before `from`");
}

static void an_unknown_series_gets_a_did_you_mean(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " TARGET "stat = \"value\"; at = 0;\n series = \"firms.ZTF.revenue_bn_usd\"; }\n);\n",
	             "f.cfg:3: facts[0].series: 'firms.ZTF.revenue_bn_usd': no firm 'ZTF' in facts_world.cfg (did you mean 'ZTE'?)");
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0;\n per = \"firms.Apple.revnue_bn_usd\"; }\n);\n",
	             "f.cfg:3: facts[0].per: 'firms.Apple.revnue_bn_usd': unknown numeric column 'revnue_bn_usd' of firms "
	             "(did you mean 'revenue_bn_usd'?)");
	expect_error("facts = (\n { name = \"a\"; " TARGET "stat = \"value\"; at = 0;\n series = [\"firms.ZTE.revenue\"]; }\n);\n",
	             "f.cfg:3: facts[0].series[0]: 'firms.ZTE.revenue': unknown numeric column 'revenue' of firms "
	             "(did you mean 'revenue_bn_usd'?)");
}

static void an_unknown_stat_gets_a_did_you_mean(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "\n stat = \"grwth\"; }\n);\n",
	             "f.cfg:3: facts[0].stat: expected one of value, sum, mean, min, max, change, growth, ratio, got "
	             "'grwth' (did you mean 'growth'?)");
}

static void a_window_key_the_stat_does_not_take_is_refused(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"sum\"; from = 0; to = 1;\n at = 0; }\n);\n",
	             "f.cfg:3: facts[0].at: stat 'sum' does not take at");
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"ratio\"; from = 0; to = 1; }\n);\n",
	             "f.cfg:2: facts[0].base_from: missing: stat 'ratio' needs it");
}

static void a_bad_counterfactual_is_refused_where_it_is_written(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0;\n"
	             " counterfactual = [\"measures.zte_denial.enabled\"]; }\n);\n",
	             "f.cfg:3: facts[0].counterfactual[0]: expected \"PATH=VALUE\"");
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0;\n"
	             " counterfactual = [\"measures.zte_denail.enabled=false\"]; }\n);\n",
	             "f.cfg:3: facts[0].counterfactual: does not apply to facts_world.cfg:");
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0;\n"
	             " contrast = \"relative\"; }\n);\n",
	             "f.cfg:3: facts[0].contrast: applies to a fact with a counterfactual");
}

static void two_facts_with_one_name_are_refused(void **state)
{
	(void)state;
	expect_error("facts = (\n { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 0; },\n"
	             " { name = \"a\"; " SERIES TARGET "stat = \"value\"; at = 1; }\n);\n",
	             "f.cfg:3: facts[1].name: a fact named 'a' exists already (line 2)");
}

static void every_problem_of_a_file_is_reported_at_once(void **state)
{
	(void)state;
	ts_facts *f = NULL;
	ts_error err = TS_ERROR_INIT;
	const char *text = "facts = (\n { name = \"a\"; " SERIES "stat = \"value\"; at = 0; tolerance = 1.0; },\n"
	                   " { name = \"b\"; " SERIES TARGET "stat = \"mean\"; from = 0; }\n);\n";
	assert_int_equal(ts_facts_load_string(&f, text, "f.cfg", world, NULL, 0, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "f.cfg:2: facts[0].observed: required setting missing"));
	assert_non_null(strstr(err.message, "f.cfg:3: facts[1].to: missing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_reads_the_step_of_its_date),
		cmocka_unit_test(sum_mean_min_and_max_cover_both_ends_of_the_window),
		cmocka_unit_test(a_year_as_to_ends_at_its_last_quarter),
		cmocka_unit_test(change_and_growth_compare_the_two_dates),
		cmocka_unit_test(ratio_divides_the_reduced_window_by_the_base_windows_mean),
		cmocka_unit_test(a_non_finite_value_in_the_window_gives_nan),
		cmocka_unit_test(per_divides_the_statistic_by_that_of_the_denominator),
		cmocka_unit_test(a_list_of_series_is_resolved_address_by_address),
		cmocka_unit_test(contrasts_are_the_difference_or_the_relative_change),
		cmocka_unit_test(facts_with_the_same_counterfactual_share_one_variant),
		cmocka_unit_test(a_standard_error_gives_a_tolerance_of_two_of_them),
		cmocka_unit_test(an_unknown_key_is_named_with_a_did_you_mean),
		cmocka_unit_test(a_fact_without_source_or_observed_is_refused),
		cmocka_unit_test(tolerance_and_standard_error_together_are_refused),
		cmocka_unit_test(a_bad_or_outside_date_is_refused),
		cmocka_unit_test(an_unknown_series_gets_a_did_you_mean),
		cmocka_unit_test(an_unknown_stat_gets_a_did_you_mean),
		cmocka_unit_test(a_window_key_the_stat_does_not_take_is_refused),
		cmocka_unit_test(a_bad_counterfactual_is_refused_where_it_is_written),
		cmocka_unit_test(two_facts_with_one_name_are_refused),
		cmocka_unit_test(every_problem_of_a_file_is_reported_at_once),
	};
	return cmocka_run_group_tests_name("facts", tests, setup, teardown);
}
