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
	assert_true(ts_calendar_label(run, step, buf, sizeof buf));
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
	assert_false(ts_calendar_label(&run, 0, buf, sizeof buf));
}

static void labels_parse_back_to_their_step_in_every_calendar(void **state)
{
	(void)state;
	const ts_run_spec runs[] = { calendar(12, 2019, 7), calendar(4, 2018, 3), calendar(1, 2000, 1) };
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		for (int step = -30; step <= 100; step++) {
			char buf[32];
			int parsed = 12345;
			assert_true(ts_calendar_label(&runs[r], step, buf, sizeof buf));
			assert_true(ts_calendar_parse(&runs[r], buf, &parsed));
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
	assert_true(ts_calendar_parse(&run, "0999Q4", &step));
	assert_int_equal(step, 0);
	assert_true(ts_calendar_parse(&early, "0004-12", &step));
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
	assert_true(ts_calendar_parse(&quarters, "-0001Q4", &step));
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
				assert_true(ts_calendar_label(&run, step, buf, sizeof buf));
				if (!ts_calendar_parse(&run, buf, &parsed) || parsed != step)
					fail_msg("step %d of a calendar from %d: label %s parsed as %d", step, starts[y], buf, parsed);
			}
		}
}

static void parsing_gives_steps_relative_to_the_start(void **state)
{
	(void)state;
	ts_run_spec run = calendar(4, 2018, 2);
	int step;
	assert_true(ts_calendar_parse(&run, "2019Q1", &step));
	assert_int_equal(step, 3);
	assert_true(ts_calendar_parse(&run, "2018Q1", &step));
	assert_int_equal(step, -1);
}

static void malformed_labels_are_rejected_in_every_calendar(void **state)
{
	(void)state;
	const ts_run_spec runs[] = { calendar(4, 2018, 1), calendar(12, 2018, 1), calendar(1, 2018, 1) };
	const char *bad[] = { "2018Q5", "2018Q0", "2018Q1x", "18Q1", "", "Q1", "2018-13", "2018-00", "2018-1",
			      "2018-011", "2018/01", "218", "-218", "+2018", "2018 ", "1234567890", "year" };
	int step;
	for (size_t r = 0; r < 3; r++)
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
			if (ts_calendar_parse(&runs[r], bad[i], &step))
				fail_msg("\"%s\" parsed as step %d", bad[i], step);
}

static int step_of(const ts_run_spec *run, const char *label)
{
	int step = 12345;
	if (!ts_calendar_parse(run, label, &step))
		fail_msg("\"%s\" did not parse", label);
	return step;
}

/* A month falls on the nearest quarter boundary: 1 Feb is a month after
 * 1 Jan and two before 1 Apr, so 2018-02 is 2018Q1; 1 Mar is nearer 1 Apr. */
static void a_month_in_a_quarterly_run_falls_on_the_nearest_quarter_boundary(void **state)
{
	(void)state;
	ts_run_spec run = calendar(4, 2018, 1);
	assert_int_equal(step_of(&run, "2018-01"), 0);
	assert_int_equal(step_of(&run, "2018-02"), 0);
	assert_int_equal(step_of(&run, "2018-03"), 1);
	assert_int_equal(step_of(&run, "2018-04"), 1);
	assert_int_equal(step_of(&run, "2018-06"), 2);
	assert_int_equal(step_of(&run, "2017-12"), 0);
	assert_int_equal(step_of(&run, "2017-11"), -1);
	assert_int_equal(step_of(&run, "2019"), 4);
}

/* 1 July is half a year from both boundaries: the tie goes to the earlier
 * year, so a measure from 2018Q3 is in force in 2018 (at its midpoint, the
 * instant it starts); from 2018-08 it is not. */
static void a_quarter_or_month_in_a_yearly_run_falls_on_the_nearest_year_boundary(void **state)
{
	(void)state;
	ts_run_spec run = calendar(1, 2018, 1);
	assert_int_equal(step_of(&run, "2018Q2"), 0);
	assert_int_equal(step_of(&run, "2018Q3"), 0);
	assert_int_equal(step_of(&run, "2018-07"), 0);
	assert_int_equal(step_of(&run, "2018-08"), 1);
	assert_int_equal(step_of(&run, "2018Q4"), 1);
	assert_int_equal(step_of(&run, "2017-06"), -1);
}

static void a_quarter_or_year_in_a_monthly_run_is_its_first_month(void **state)
{
	(void)state;
	ts_run_spec run = calendar(12, 2018, 3);
	assert_int_equal(step_of(&run, "2018Q2"), 1);
	assert_int_equal(step_of(&run, "2019"), 10);
	assert_int_equal(step_of(&run, "2018Q1"), -2);
}

static void every_calendar_reads_the_first_month_and_length_of_a_label(void **state)
{
	(void)state;
	long long first = 0;
	int months = 0;
	assert_true(ts_calendar_months("2019-05", &first, &months));
	assert_true(first == 2019 * 12 + 4 && months == 1);
	assert_true(ts_calendar_months("2019Q2", &first, &months));
	assert_true(first == 2019 * 12 + 3 && months == 3);
	assert_true(ts_calendar_months("2019", &first, &months));
	assert_true(first == 2019 * 12 && months == 12);
	assert_true(ts_calendar_months("-0001Q4", &first, &months));
	assert_true(first == -12 + 9 && months == 3);
	assert_false(ts_calendar_months("2019Q5", &first, &months));
}

/* Spans round like dates: 1.5 months in a quarterly run (half a step) is 0
 * steps, 2 months 1; a year is 4 quarters or 12 months; 6 months in a
 * yearly run is 0 years, 7 months 1. */
static void a_span_of_months_is_the_nearest_whole_number_of_steps(void **state)
{
	(void)state;
	ts_run_spec quarters = calendar(4, 2018, 1), months = calendar(12, 2018, 1), years = calendar(1, 2018, 1);
	assert_int_equal(ts_calendar_span_steps(&quarters, 12), 4);
	assert_int_equal(ts_calendar_span_steps(&quarters, 1), 0);
	assert_int_equal(ts_calendar_span_steps(&quarters, 1.5), 0);
	assert_int_equal(ts_calendar_span_steps(&quarters, 2), 1);
	assert_int_equal(ts_calendar_span_steps(&months, 3), 3);
	assert_int_equal(ts_calendar_span_steps(&months, 0), 0);
	assert_int_equal(ts_calendar_span_steps(&years, 6), 0);
	assert_int_equal(ts_calendar_span_steps(&years, 7), 1);
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
		cmocka_unit_test(malformed_labels_are_rejected_in_every_calendar),
		cmocka_unit_test(a_month_in_a_quarterly_run_falls_on_the_nearest_quarter_boundary),
		cmocka_unit_test(a_quarter_or_month_in_a_yearly_run_falls_on_the_nearest_year_boundary),
		cmocka_unit_test(a_quarter_or_year_in_a_monthly_run_is_its_first_month),
		cmocka_unit_test(every_calendar_reads_the_first_month_and_length_of_a_label),
		cmocka_unit_test(a_span_of_months_is_the_nearest_whole_number_of_steps),
	};
	return cmocka_run_group_tests_name("calendar", calendar_tests, NULL, NULL);
}
