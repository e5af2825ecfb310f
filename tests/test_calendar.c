/* Calendar labels of steps and their parsing (sim/calendar.c). */
#include "testutil.h"
#include <string.h>
#include "scenario/spec.h"

static ts_run_spec calendar(int steps_per_year, int start_year, int start_period)
{
	ts_run_spec run = { .steps = 40, .steps_per_year = steps_per_year,
			    .start_year = start_year, .start_period = start_period, .seed = 1 };
	return run;
}

static void assert_label(const ts_run_spec *run, int step, const char *expected)
{
	char buf[32];
	assert_int_equal(ts_calendar_label(run, step, buf, sizeof buf), 0);
	assert_string_equal(buf, expected);
}

static void quarter_labels_roll_over_into_the_next_year(void **state)
{
	(void)state;
	ts_run_spec run = calendar(4, 2018, 2);
	assert_label(&run, 0, "2018Q2");
	assert_label(&run, 2, "2018Q4");
	assert_label(&run, 3, "2019Q1");
	assert_label(&run, 11, "2021Q1");
}

static void month_labels_roll_over_into_the_next_year(void **state)
{
	(void)state;
	ts_run_spec run = calendar(12, 2019, 11);
	assert_label(&run, 0, "2019-11");
	assert_label(&run, 1, "2019-12");
	assert_label(&run, 2, "2020-01");
	assert_label(&run, 14, "2021-01");
}

static void year_labels_count_years(void **state)
{
	(void)state;
	ts_run_spec run = calendar(1, 2018, 1);
	assert_label(&run, 0, "2018");
	assert_label(&run, 7, "2025");
}

static void steps_before_the_start_have_earlier_labels(void **state)
{
	(void)state;
	ts_run_spec quarters = calendar(4, 2018, 1);
	assert_label(&quarters, -1, "2017Q4");
	assert_label(&quarters, -5, "2016Q4");
	ts_run_spec months = calendar(12, 2018, 1);
	assert_label(&months, -1, "2017-12");
}

static void a_too_small_buffer_is_an_error(void **state)
{
	(void)state;
	ts_run_spec run = calendar(4, 2018, 1);
	char buf[4];
	assert_int_equal(ts_calendar_label(&run, 0, buf, sizeof buf), -1);
}

static void labels_parse_back_to_their_step_in_every_calendar(void **state)
{
	(void)state;
	const ts_run_spec runs[] = { calendar(12, 2019, 7), calendar(4, 2018, 3), calendar(1, 2000, 1) };
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		for (int step = -30; step <= 100; step++) {
			char buf[32];
			int parsed = 12345;
			assert_int_equal(ts_calendar_label(&runs[r], step, buf, sizeof buf), 0);
			assert_int_equal(ts_calendar_parse(&runs[r], buf, &parsed), 0);
			assert_int_equal(parsed, step);
		}
	}
}

static void parsing_gives_steps_relative_to_the_start(void **state)
{
	(void)state;
	ts_run_spec run = calendar(4, 2018, 2);
	int step;
	assert_int_equal(ts_calendar_parse(&run, "2019Q1", &step), 0);
	assert_int_equal(step, 3);
	assert_int_equal(ts_calendar_parse(&run, "2018Q1", &step), 0);
	assert_int_equal(step, -1);
}

static void labels_of_another_calendar_or_malformed_ones_are_rejected(void **state)
{
	(void)state;
	ts_run_spec quarters = calendar(4, 2018, 1), months = calendar(12, 2018, 1),
		    years = calendar(1, 2018, 1);
	int step;
	const char *bad_quarters[] = { "2018-01", "2018", "2018Q5", "2018Q0", "2018Q1x", "18Q1", "", "Q1" };
	for (size_t i = 0; i < sizeof bad_quarters / sizeof bad_quarters[0]; i++)
		assert_int_equal(ts_calendar_parse(&quarters, bad_quarters[i], &step), -1);
	const char *bad_months[] = { "2018Q1", "2018-13", "2018-00", "2018-1", "2018-011", "2018/01" };
	for (size_t i = 0; i < sizeof bad_months / sizeof bad_months[0]; i++)
		assert_int_equal(ts_calendar_parse(&months, bad_months[i], &step), -1);
	const char *bad_years[] = { "2018Q1", "2018-01", "218", "20180", "year" };
	for (size_t i = 0; i < sizeof bad_years / sizeof bad_years[0]; i++)
		assert_int_equal(ts_calendar_parse(&years, bad_years[i], &step), -1);
}

int main(void)
{
	const struct CMUnitTest calendar_tests[] = {
		cmocka_unit_test(quarter_labels_roll_over_into_the_next_year),
		cmocka_unit_test(month_labels_roll_over_into_the_next_year),
		cmocka_unit_test(year_labels_count_years),
		cmocka_unit_test(steps_before_the_start_have_earlier_labels),
		cmocka_unit_test(a_too_small_buffer_is_an_error),
		cmocka_unit_test(labels_parse_back_to_their_step_in_every_calendar),
		cmocka_unit_test(parsing_gives_steps_relative_to_the_start),
		cmocka_unit_test(labels_of_another_calendar_or_malformed_ones_are_rejected),
	};
	return cmocka_run_group_tests_name("calendar", calendar_tests, NULL, NULL);
}
