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
	for (int s = 0; s < TS_STAT_SERIES_COUNT; s++)
		assert_true(isnan(ts_stat_acc_result(&a, (ts_stat)s)));  /* no step at all */
	ts_stat_acc_add(&a, -INFINITY);
	ts_stat_acc_add(&a, NAN);
	for (int s = TS_STAT_MEAN; s < TS_STAT_SERIES_COUNT; s++)
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
	ts_metric m[TS_STAT_MAX + 1];
	memset(m, 0, sizeof m);
	ts_error err = TS_ERROR_INIT;
	for (int k = 0; k <= TS_STAT_MAX; k++) {
		m[k].name = (char *)ts_stat_names[k];
		m[k].stat = (ts_stat)k;
		assert_int_equal(ts_series_parse(&m[k].series, "firms.ZTE.revenue_bn_usd", world, "", &err), TS_OK);
	}
	char dir[256];
	tu_make_dir(dir, sizeof dir, "metric_run");
	double values[TS_STAT_MAX + 1], again[TS_STAT_MAX + 1], x[16];
	assert_int_equal(ts_metrics_run(m, TS_STAT_MAX + 1, world, 7, dir, values, &err), TS_OK);
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
	assert_int_equal(ts_metrics_run(m, TS_STAT_MAX + 1, world, 7, NULL, again, &err), TS_OK);
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


/* A sum is NaN when a value of its window is not finite (no silent gaps):
 * 4 + 1 + 7 = 12; with a NaN among them, NaN; mean still skips it. */
static void a_sum_adds_every_value_and_is_undefined_with_a_gap(void **state)
{
	(void)state;
	ts_stat_acc a;
	ts_stat_acc_init(&a);
	ts_stat_acc_add(&a, 4);
	ts_stat_acc_add(&a, 1);
	ts_stat_acc_add(&a, 7);
	assert_true(ts_stat_acc_result(&a, TS_STAT_SUM) == 12.0);
	ts_stat_acc_add(&a, NAN);
	assert_true(isnan(ts_stat_acc_result(&a, TS_STAT_SUM)));
	assert_true(ts_stat_acc_result(&a, TS_STAT_MEAN) == 4.0);
}

/* annualise divides a sum by the window's years: 1 + 2 + 3 over three
 * quarters (0.75 years) is 6 / 0.75 = 8 a year. */
static void an_annualised_sum_is_the_sum_over_the_window_s_years(void **state)
{
	(void)state;
	ts_metric m;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_metric_parse(&m, "annualise:sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4", world, "", &err),
	                 TS_OK);
	assert_int_equal(m.from, 1);
	assert_int_equal(m.to, 3);
	assert_true(m.years == 0.75);
	ts_metric_state st;
	ts_metric_states_init(&st, 1);
	ts_stat_acc_add(&st.acc, 1);
	ts_stat_acc_add(&st.acc, 2);
	ts_stat_acc_add(&st.acc, 3);
	double v;
	ts_metric_states_values(&m, &st, 1, &v);
	assert_true(v == 8.0);
	free(m.name);
}

/* The text form's dates in the scenario's calendar (2018Q1 is step 0,
 * quarterly): one date is its period (2019: steps 4 .. 7), two dates run
 * from the first's start to the second's end; no date: the whole run. */
static void a_window_is_one_period_or_from_one_date_to_another(void **state)
{
	(void)state;
	static const struct { const char *text; int from, to; } cases[] = {
		{"mean:firms.ZTE.revenue_bn_usd:2019", 4, 7},
		{"sum:firms.ZTE.revenue_bn_usd:2018Q3", 2, 2},
		{"sum:firms.ZTE.revenue_bn_usd:2018Q2:2019", 1, 7},
		{"max:firms.ZTE.revenue_bn_usd", 0, 9},
		{"rule_starts:all:2018Q4:2019Q1", 3, 4},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		ts_metric m;
		ts_error err = TS_ERROR_INIT;
		if (ts_metric_parse(&m, cases[k].text, world, "", &err) != TS_OK)
			fail_msg("%s: %s", cases[k].text, err.message);
		if (m.from != cases[k].from || m.to != cases[k].to)
			fail_msg("%s: steps %d .. %d, expected %d .. %d", cases[k].text, m.from, m.to, cases[k].from, cases[k].to);
		assert_string_equal(m.name, cases[k].text);
		free(m.name);
	}
}

static void expect_metric_error(const char *text, const char *message)
{
	ts_metric m;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_metric_parse(&m, text, world, "--metric ", &err), TS_EINPUT);
	free(m.name);
	if (!strstr(err.message, message))
		fail_msg("%s: expected \"%s\" in \"%s\"", text, message, err.message);
}

/* Every way the text form can be wrong, each named with the text. */
static void a_bad_metric_text_says_what_is_wrong(void **state)
{
	(void)state;
	expect_metric_error("sun:firms.ZTE.revenue_bn_usd", "--metric 'sun:firms.ZTE.revenue_bn_usd': unknown stat 'sun' "
	                    "(did you mean 'sum'?)");
	expect_metric_error("firms.ZTE.revenue_bn_usd", "is not [diff:][annualise:]STAT:WHAT[:FROM[:TO]]");
	expect_metric_error("sum:firms.ZTE.revenue_bn_usd:2018:2019:2020", "is not [diff:][annualise:]STAT:WHAT");
	expect_metric_error("sum::2019", "empty field 2");
	expect_metric_error("sum", "stat sum needs a series");
	expect_metric_error("sum:firms.ZTE.revenue_bn_usd:2019Q5", "'2019Q5' is not a date");
	expect_metric_error("sum:firms.ZTE.revenue_bn_usd:2021", "'2021' is outside the run of test.cfg (2018Q1 .. 2020Q2)");
	expect_metric_error("sum:firms.ZTE.revenue_bn_usd:2019:2018Q3", "the window ends (step 2) before it starts (step 4)");
	expect_metric_error("final:firms.ZTE.revenue_bn_usd:2019", "stat final takes no window");
	expect_metric_error("annualise:mean:firms.ZTE.revenue_bn_usd", "annualise applies to stat sum, not mean");
	expect_metric_error("sum:firms.ZTF.revenue_bn_usd", "no firm 'ZTF' in test.cfg (did you mean 'ZTE'?)");
	expect_metric_error("first_start:zte_denail", "'zte_denail': no measure 'zte_denail' in test.cfg (did you mean "
	                    "'zte_denial'?)");
	expect_metric_error("first_start:zte_denial@UK", "no country 'UK' in test.cfg (did you mean 'US'?)");
	expect_metric_error("retaliated", "stat retaliated needs a country id");
	expect_metric_error("rule_starts:CM", "no country 'CM' in test.cfg (did you mean 'CN'?)");
}

/* US, CN and JP. The US bans ZTE over steps 2 and 3, and again from step
 * 6; its pressure makes JP, fully aligned, adopt the first ban at once, its
 * copy starting 3 months (a step) later; CN answers hostility from the US
 * by tit for tat with a ban on Apple in its government segment. */
static const char *const event_world =
	"run = { steps = 10; start = \"2018Q1\"; seed = 3; };\n"
	"countries = {\n"
	"  US = { bloc = \"west\"; markets = { phones = { size = 300.0; government = 0.1; }; }; };\n"
	"  CN = { markets = { phones = { size = 400.0; government = 0.1; }; };\n"
	"         rules = ( { rival = \"US\"; kind = \"tit_for_tat\"; menu = [\"cn_gov\"]; } ); };\n"
	"  JP = { bloc = \"west\"; alignment = 1.0; markets = { phones = { size = 50.0; }; }; };\n"
	"};\n"
	"sectors = { phones = { }; };\n"
	"firms = {\n"
	"  Apple = { country = \"US\"; sector = \"phones\"; capacity = 400.0; };\n"
	"  ZTE = { country = \"CN\"; sector = \"phones\"; capacity = 400.0; };\n"
	"  Sony = { country = \"JP\"; sector = \"phones\"; capacity = 50.0; };\n"
	"};\n"
	"measures = {\n"
	"  us_ban = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 2; end = 4; };\n"
	"  us_ban_again = { type = \"market_ban\"; actor = \"US\"; target = \"ZTE\"; start = 6; };\n"
	"  press = { type = \"alliance_pressure\"; actor = \"US\"; measure = \"us_ban\"; pressure_per_year = 1e6;\n"
	"            delay_months = 3; start = 2; };\n"
	"  cn_gov = { type = \"procurement_ban\"; actor = \"CN\"; target = \"Apple\"; segment = \"government\"; };\n"
	"};\n";

/* Start rows of DIR/events.csv with this id (any id: NULL) and cause
 * (NULL: any, "": scripted); the first one's step into *first (-1: none). */
static int starts_in_events_csv(const char *dir, const char *id, int *first)
{
	char *csv = tu_read_in(dir, "events.csv");
	int count = 0;
	*first = -1;
	for (char *line = strtok(csv, "\n"); line; line = strtok(NULL, "\n")) {
		char row_id[128], action[16];
		int step;
		if (sscanf(line, "%d,%*[^,],%127[^,],%*[^,],%*[^,],%*[^,],%15[^,]", &step, row_id, action) == 3 &&
		    strcmp(action, "start") == 0 && strcmp(row_id, id) == 0) {
			if (!count++)
				*first = step;
		}
	}
	free(csv);
	return count;
}

/* Event metrics against the run's own events.csv and the world above:
 * us_ban starts at step 2 (scripted), JP's copy at 3, CN's rule answers
 * after it (its starts counted as the log has them), the US never
 * retaliates; a window after a start does not see it. */
static void event_metrics_count_what_the_event_log_holds(void **state)
{
	(void)state;
	ts_scenario *s = tu_load(event_world);
	static const char *const texts[] = {"first_start:us_ban", "first_start:us_ban@JP", "first_start:cn_gov",
	                                    "ally_starts", "ally_starts:CN", "rule_starts:CN", "rule_starts:US",
	                                    "retaliated:CN", "retaliated:US", "first_start:us_ban:2018Q4:2019Q4",
	                                    "ally_starts:JP:2018Q1:2018Q3", "ally_starts:JP:2018Q4",
	                                    "diff:rule_starts:all", "rule_starts:CN:2019"};
	enum { N = sizeof texts / sizeof texts[0] };
	ts_metric m[N];
	ts_error err = TS_ERROR_INIT;
	for (int k = 0; k < N; k++)
		if (ts_metric_parse(&m[k], texts[k], s, "", &err) != TS_OK)
			fail_msg("%s: %s", texts[k], err.message);
	char dir[256];
	tu_make_dir(dir, sizeof dir, "metric_events");
	double v[N];
	assert_int_equal(ts_metrics_run(m, N, s, 3, dir, v, &err), TS_OK);
	int first_copy, first_rule;
	assert_int_equal(starts_in_events_csv(dir, "us_ban@JP", &first_copy), 1);
	int rule_starts = starts_in_events_csv(dir, "cn_gov", &first_rule);
	assert_int_equal(rule_starts, 2);  /* answers us_ban (step 3), lifted, answers us_ban_again (7) */
	assert_true(v[0] == 2.0);
	assert_true(v[1] == 3.0 && first_copy == 3);
	assert_true(v[2] == first_rule && first_rule == 3);  /* tit for tat answers the next step */
	assert_true(v[3] == 1.0 && v[4] == 0.0);
	assert_true(v[5] == rule_starts && v[6] == 0.0);
	assert_true(v[7] == 1.0 && v[8] == 0.0);
	assert_true(isnan(v[9]));           /* us_ban started before the window */
	assert_true(v[10] == 0.0);          /* step 3 is 2018Q4: outside 2018Q1 .. 2018Q3 */
	assert_true(v[11] == 1.0);          /* ... inside 2018Q4 */
	assert_true(v[12] == rule_starts);  /* diff is for sweeps; the run's own value */
	assert_true(v[13] == 1.0);          /* 2019: steps 4 .. 7, the second answer only */
	for (int k = 0; k < N; k++)
		free(m[k].name);
	ts_scenario_free(s);
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
		cmocka_unit_test(a_sum_adds_every_value_and_is_undefined_with_a_gap),
		cmocka_unit_test(an_annualised_sum_is_the_sum_over_the_window_s_years),
		cmocka_unit_test(a_window_is_one_period_or_from_one_date_to_another),
		cmocka_unit_test(a_bad_metric_text_says_what_is_wrong),
		cmocka_unit_test(event_metrics_count_what_the_event_log_holds),
	};
	return cmocka_run_group_tests_name("metric", tests, setup, teardown);
}
