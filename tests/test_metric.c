/* Series addresses and run metrics (batch/metric.h): what an address may
 * name, the messages with a did-you-mean, the reductions with values worked
 * out by hand, and a run's metrics against the run's own files. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "small_world.h"
#include "batch/metric.h"

static ts_scenario *world;

static int setup(void **state)
{
	(void)state;
	world = tu_load(small_world);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_scenario_free(world);
	return 0;
}

static void expect_parse_error(const char *address, const char *message)
{
	ts_series series;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_series_parse(&series, address, world, "here: ", &err), TS_EINPUT);
	if (!strstr(err.message, message))
		fail_msg("%s: expected \"%s\" in \"%s\"", address, message, err.message);
}

static void an_address_names_a_numeric_column_of_one_entity(void **state)
{
	(void)state;
	ts_series s;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_series_parse(&s, "firms.ZTE.revenue_bn_usd", world, "", &err), TS_OK);
	assert_string_equal(s.table->name, "firms");
	assert_string_equal(s.key, "ZTE");
	assert_string_equal(s.table->columns[s.column].name, "revenue_bn_usd");
	assert_int_equal(ts_series_parse(&s, "markets.CN.phones.government.served_bn_usd", world, "", &err), TS_OK);
	assert_string_equal(s.key, "CN.phones.government");
}

static void a_misspelt_table_column_or_entity_gets_a_did_you_mean(void **state)
{
	(void)state;
	expect_parse_error("frims.ZTE.revenue_bn_usd", "here: 'frims.ZTE.revenue_bn_usd': unknown table 'frims' "
	                   "(did you mean 'firms'?)");
	expect_parse_error("firms.ZTE.revenu_bn_usd", "unknown numeric column 'revenu_bn_usd' of firms (did you mean "
	                   "'revenue_bn_usd'?)");
	expect_parse_error("firms.ZTE.revenue", "(did you mean 'revenue_bn_usd'?)");  /* a prefix */
	expect_parse_error("firms.ZTF.revenue_bn_usd", "no firm 'ZTF' in test.cfg (did you mean 'ZTE'?)");
	expect_parse_error("markets.CN.phones.govt.served_bn_usd", "no market (country.sector.segment) 'CN.phones.govt'");
}

static void an_address_without_three_parts_or_with_a_text_column_is_refused(void **state)
{
	(void)state;
	expect_parse_error("firms.revenue_bn_usd", "is not TABLE.ENTITY.COLUMN");
	expect_parse_error("firms.ZTE.", "is not TABLE.ENTITY.COLUMN");
	expect_parse_error(".ZTE.revenue_bn_usd", "is not TABLE.ENTITY.COLUMN");
	expect_parse_error("firms.ZTE.country", "unknown numeric column 'country'");
	expect_parse_error("events.x.y", "unknown table 'events'");  /* not per entity */
	char longer[400] = "firms.";
	memset(longer + 6, 'Z', 300);
	strcpy(longer + 306, ".revenue_bn_usd");
	expect_parse_error(longer, "entity name too long");
}

static void the_reductions_skip_non_finite_values_except_the_final_one(void **state)
{
	(void)state;
	/* 4, NaN, 1, inf, 7: the finite values are 4, 1, 7, so mean = 12 / 3 = 4,
	 * min 1, max 7; final is the last step's value, 7. */
	ts_stat_acc a;
	ts_stat_acc_init(&a);
	const double series[] = {4, NAN, 1, INFINITY, 7};
	for (int i = 0; i < 5; i++)
		ts_stat_acc_add(&a, series[i]);
	assert_true(ts_stat_acc_result(&a, TS_STAT_FINAL) == 7.0);
	assert_true(ts_stat_acc_result(&a, TS_STAT_MEAN) == 4.0);
	assert_true(ts_stat_acc_result(&a, TS_STAT_MIN) == 1.0);
	assert_true(ts_stat_acc_result(&a, TS_STAT_MAX) == 7.0);
	/* 2.5, -0.5, then NaN at the last step: final is NaN (undefined there),
	 * mean (2.5 - 0.5) / 2 = 1, min -0.5, max 2.5. */
	ts_stat_acc_init(&a);
	ts_stat_acc_add(&a, 2.5);
	ts_stat_acc_add(&a, -0.5);
	ts_stat_acc_add(&a, NAN);
	assert_true(isnan(ts_stat_acc_result(&a, TS_STAT_FINAL)));
	assert_true(ts_stat_acc_result(&a, TS_STAT_MEAN) == 1.0);
	assert_true(ts_stat_acc_result(&a, TS_STAT_MIN) == -0.5);
	assert_true(ts_stat_acc_result(&a, TS_STAT_MAX) == 2.5);
}

static void a_series_with_no_finite_value_reduces_to_nan(void **state)
{
	(void)state;
	ts_stat_acc a;
	ts_stat_acc_init(&a);
	for (int s = 0; s < TS_STAT_COUNT; s++)
		assert_true(isnan(ts_stat_acc_result(&a, (ts_stat)s)));  /* no step at all */
	ts_stat_acc_add(&a, -INFINITY);
	ts_stat_acc_add(&a, NAN);
	for (int s = TS_STAT_MEAN; s < TS_STAT_COUNT; s++)
		assert_true(isnan(ts_stat_acc_result(&a, (ts_stat)s)));
}

/* The value of `column` in the last row of DIR/firms.csv for `firm`. */
static double last_value_in_firms_csv(const char *dir, const char *firm, const char *column)
{
	char *csv = tu_read_in(dir, "firms.csv");
	char *line = strtok(csv, "\n");
	int col = -1, k = 0, firm_col = -1;
	for (char *f = line; f; f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL, k++) {
		if (strncmp(f, column, strlen(column)) == 0 && (f[strlen(column)] == ',' || !f[strlen(column)]))
			col = k;
		if (strncmp(f, "firm,", 5) == 0)
			firm_col = k;
	}
	assert_true(col >= 0 && firm_col >= 0);
	double last = NAN;
	while ((line = strtok(NULL, "\n")) != NULL) {
		char *fields[64];
		int n = 0;
		for (char *f = line; f && n < 64; f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL)
			fields[n++] = f;
		if (strncmp(fields[firm_col], firm, strlen(firm)) == 0 && fields[firm_col][strlen(firm)] == ',')
			last = strtod(fields[col], NULL);
	}
	free(csv);
	return last;
}

static void a_run_s_final_metric_is_the_last_value_its_files_hold(void **state)
{
	(void)state;
	ts_metric m[2];
	memset(m, 0, sizeof m);
	ts_error err = TS_ERROR_INIT;
	m[0].name = "final";
	m[0].stat = TS_STAT_FINAL;
	assert_int_equal(ts_series_parse(&m[0].series, "firms.ZTE.revenue_bn_usd", world, "", &err), TS_OK);
	m[1] = m[0];
	m[1].name = "max";
	m[1].stat = TS_STAT_MAX;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "metric_run");
	double values[2], again[2];
	assert_int_equal(ts_metrics_run(m, 2, world, 7, dir, values, &err), TS_OK);
	assert_true(values[0] == last_value_in_firms_csv(dir, "ZTE", "revenue_bn_usd"));
	assert_true(values[1] >= values[0]);
	/* In memory only: the same numbers. */
	assert_int_equal(ts_metrics_run(m, 2, world, 7, NULL, again, &err), TS_OK);
	assert_memory_equal(values, again, sizeof values);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_address_names_a_numeric_column_of_one_entity),
		cmocka_unit_test(a_misspelt_table_column_or_entity_gets_a_did_you_mean),
		cmocka_unit_test(an_address_without_three_parts_or_with_a_text_column_is_refused),
		cmocka_unit_test(the_reductions_skip_non_finite_values_except_the_final_one),
		cmocka_unit_test(a_series_with_no_finite_value_reduces_to_nan),
		cmocka_unit_test(a_run_s_final_metric_is_the_last_value_its_files_hold),
	};
	return cmocka_run_group_tests_name("metric", tests, setup, teardown);
}
