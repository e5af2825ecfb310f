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

/* The values of `column` in the rows of DIR/firms.csv for `firm`, in step
 * order, into out (at most max); returns how many. */
static int series_in_firms_csv(const char *dir, const char *firm, const char *column, double *out, int max)
{
	char *csv = tu_read_in(dir, "firms.csv");
	char *line = strtok(csv, "\n");
	int col = -1, k = 0, firm_col = -1, count = 0;
	for (char *f = line; f; f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL, k++) {
		if (strncmp(f, column, strlen(column)) == 0 && (f[strlen(column)] == ',' || !f[strlen(column)]))
			col = k;
		if (strncmp(f, "firm,", 5) == 0)
			firm_col = k;
	}
	assert_true(col >= 0 && firm_col >= 0);
	while ((line = strtok(NULL, "\n")) != NULL && count < max) {
		char *fields[64];
		int n = 0;
		for (char *f = line; f && n < 64; f = strchr(f, ',') ? strchr(f, ',') + 1 : NULL)
			fields[n++] = f;
		if (strncmp(fields[firm_col], firm, strlen(firm)) == 0 && fields[firm_col][strlen(firm)] == ',')
			out[count++] = strtod(fields[col], NULL);
	}
	free(csv);
	return count;
}

/* Each reduction of a run's series against the series in the run's own
 * firms.csv (10 steps): final, mean, min and max. */
static void a_run_s_metrics_reduce_the_series_its_files_hold(void **state)
{
	(void)state;
	ts_metric m[TS_STAT_COUNT];
	memset(m, 0, sizeof m);
	ts_error err = TS_ERROR_INIT;
	for (int k = 0; k < TS_STAT_COUNT; k++) {
		m[k].name = (char *)ts_stat_names[k];
		m[k].stat = (ts_stat)k;
		assert_int_equal(ts_series_parse(&m[k].series, "firms.ZTE.revenue_bn_usd", world, "", &err), TS_OK);
	}
	char dir[256];
	tu_make_dir(dir, sizeof dir, "metric_run");
	double values[TS_STAT_COUNT], again[TS_STAT_COUNT], x[16];
	assert_int_equal(ts_metrics_run(m, TS_STAT_COUNT, world, 7, dir, values, &err), TS_OK);
	assert_int_equal(series_in_firms_csv(dir, "ZTE", "revenue_bn_usd", x, 16), 10);
	double sum = 0.0, lo = x[0], hi = x[0];
	for (int i = 0; i < 10; i++) {
		sum += x[i];
		lo = fmin(lo, x[i]);
		hi = fmax(hi, x[i]);
	}
	assert_true(lo < hi);  /* a series that moves, so that the four differ */
	assert_true(values[TS_STAT_FINAL] == x[9]);
	assert_double_equal(values[TS_STAT_MEAN], sum / 10, 1e-12 * fabs(sum));
	assert_true(values[TS_STAT_MIN] == lo);
	assert_true(values[TS_STAT_MAX] == hi);
	/* In memory only: the same numbers. */
	assert_int_equal(ts_metrics_run(m, TS_STAT_COUNT, world, 7, NULL, again, &err), TS_OK);
	assert_memory_equal(values, again, sizeof values);
}

/* Two metrics of two entities in one run: each reads its own row. */
static void metrics_of_different_entities_read_their_own_rows(void **state)
{
	(void)state;
	ts_metric m[2];
	memset(m, 0, sizeof m);
	ts_error err = TS_ERROR_INIT;
	m[0].name = "zte";
	m[1].name = "apple";
	assert_int_equal(ts_series_parse(&m[0].series, "firms.ZTE.revenue_bn_usd", world, "", &err), TS_OK);
	assert_int_equal(ts_series_parse(&m[1].series, "firms.Apple.revenue_bn_usd", world, "", &err), TS_OK);
	char dir[256];
	tu_make_dir(dir, sizeof dir, "metric_rows");
	double values[2], zte[16], apple[16];
	assert_int_equal(ts_metrics_run(m, 2, world, 3, dir, values, &err), TS_OK);
	assert_int_equal(series_in_firms_csv(dir, "ZTE", "revenue_bn_usd", zte, 16), 10);
	assert_int_equal(series_in_firms_csv(dir, "Apple", "revenue_bn_usd", apple, 16), 10);
	assert_true(zte[9] != apple[9]);
	assert_true(values[0] == zte[9]);
	assert_true(values[1] == apple[9]);
}

/* The key buffer holds 255 characters: an entity of 255 is looked up (and
 * not found), one of 256 is refused as too long. */
static void an_entity_name_of_256_characters_is_too_long_and_255_is_looked_up(void **state)
{
	(void)state;
	char address[400] = "firms.";
	memset(address + 6, 'Z', 256);
	strcpy(address + 262, ".revenue_bn_usd");
	expect_parse_error(address, "entity name too long");
	memset(address + 6, 'Z', 255);
	strcpy(address + 261, ".revenue_bn_usd");
	expect_parse_error(address, "no firm 'ZZZ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_address_names_a_numeric_column_of_one_entity),
		cmocka_unit_test(a_misspelt_table_column_or_entity_gets_a_did_you_mean),
		cmocka_unit_test(an_address_without_three_parts_or_with_a_text_column_is_refused),
		cmocka_unit_test(the_reductions_skip_non_finite_values_except_the_final_one),
		cmocka_unit_test(a_series_with_no_finite_value_reduces_to_nan),
		cmocka_unit_test(a_run_s_metrics_reduce_the_series_its_files_hold),
		cmocka_unit_test(metrics_of_different_entities_read_their_own_rows),
		cmocka_unit_test(an_entity_name_of_256_characters_is_too_long_and_255_is_looked_up),
	};
	return cmocka_run_group_tests_name("metric", tests, setup, teardown);
}
