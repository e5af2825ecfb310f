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

static void years_below_1000_are_zero_padded_and_parse_back(void **state)
{
	(void)state;
	/* "%lld" wrote year 999 as "999Q4", which the parser (four digits)
	 * refused: the label of a step could not name it again. */
	ts_run_spec run = calendar(4, 999, 4);
	assert_label(&run, 0, "0999Q4");
	assert_label(&run, 1, "1000Q1");
	ts_run_spec early = calendar(12, 5, 1);
	assert_label(&early, 0, "0005-01");
	int step = 12345;
	assert_int_equal(ts_calendar_parse(&run, "0999Q4", &step), 0);
	assert_int_equal(step, 0);
	assert_int_equal(ts_calendar_parse(&early, "0004-12", &step), 0);
	assert_int_equal(step, -1);
}

static void years_before_0_have_a_minus_sign_and_parse_back(void **state)
{
	(void)state;
	ts_run_spec run = calendar(1, 0, 1);
	assert_label(&run, -1, "-0001");
	assert_label(&run, -12345, "-12345");
	ts_run_spec quarters = calendar(4, 0, 1);
	assert_label(&quarters, -1, "-0001Q4");  /* the last quarter of year -1 */
	int step = 0;
	assert_int_equal(ts_calendar_parse(&quarters, "-0001Q4", &step), 0);
	assert_int_equal(step, -1);
}

static void every_label_parses_back_to_its_step_from_year_0_to_past_9999(void **state)
{
	(void)state;
	const int starts[] = { 0, 7, 999, 1000, 2018, 9998 };
	const int pers[] = { 12, 4, 1 };
	for (size_t p = 0; p < 3; p++)
		for (size_t y = 0; y < sizeof starts / sizeof starts[0]; y++) {
			ts_run_spec run = calendar(pers[p], starts[y], 1);
			for (int step = -30000; step <= 30000; step += 7) {
				char buf[32];
				int parsed = 12345;
				assert_int_equal(ts_calendar_label(&run, step, buf, sizeof buf), 0);
				if (ts_calendar_parse(&run, buf, &parsed) != 0 || parsed != step)
					fail_msg("step %d of a calendar from %d: label %s parsed as %d", step, starts[y], buf, parsed);
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
	const char *bad_years[] = { "2018Q1", "2018-01", "218", "-218", "+2018", "2018 ", "1234567890", "year" };
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
		cmocka_unit_test(years_below_1000_are_zero_padded_and_parse_back),
		cmocka_unit_test(years_before_0_have_a_minus_sign_and_parse_back),
		cmocka_unit_test(every_label_parses_back_to_its_step_from_year_0_to_past_9999),
		cmocka_unit_test(parsing_gives_steps_relative_to_the_start),
		cmocka_unit_test(labels_of_another_calendar_or_malformed_ones_are_rejected),
	};
	return cmocka_run_group_tests_name("calendar", calendar_tests, NULL, NULL);
}
