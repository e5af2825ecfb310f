/* Per-year rates as one step's (sim/model/timing.h): values by hand, and
 * the property the conversions exist for: k steps of dt/k compound to one
 * step of dt. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "model/timing.h"

/* rate 0.5 per year over a quarter: 1 - exp(-0.125) = 0.117503097...
 * over a year: 1 - exp(-0.5) = 0.393469340... */
static void a_yearly_rate_closes_one_minus_exp_of_rate_times_dt(void **state)
{
	(void)state;
	assert_float_equal(ts_step_share_of_rate(0.5, 0.25), 0.11750309742, 1e-10);
	assert_float_equal(ts_step_share_of_rate(0.5, 1.0), 0.39346934028, 1e-10);
	assert_float_equal(ts_step_share_of_rate(0.0, 0.25), 0.0, 0.0);
}

/* half-life 1 year: a year closes 1/2, a quarter 1 - 2^-0.25 = 0.159103584...;
 * half-life 0.5 years over a year closes 3/4. */
static void a_half_life_closes_half_the_gap_in_its_time(void **state)
{
	(void)state;
	assert_float_equal(ts_step_share_of_half_life(1.0, 1.0), 0.5, 1e-15);
	assert_float_equal(ts_step_share_of_half_life(1.0, 0.25), 0.15910358474, 1e-10);
	assert_float_equal(ts_step_share_of_half_life(0.5, 1.0), 0.75, 1e-15);
	assert_float_equal(ts_step_share_of_half_life(0.0, 0.25), 1.0, 0.0);
}

/* memory 0.4096 per year kept over a quarter: 0.4096^0.25 = 0.8;
 * forgetting at once stays 0 at any step. */
static void a_yearly_memory_is_its_dt_th_power(void **state)
{
	(void)state;
	assert_float_equal(ts_step_memory(0.4096, 0.25), 0.8, 1e-15);
	assert_float_equal(ts_step_memory(0.0, 1.0 / 12.0), 0.0, 0.0);
	assert_float_equal(ts_step_memory(1.0, 0.25), 1.0, 0.0);
}

/* hazard 2 per year over a month: 1 - exp(-1/6) = 0.153518275... */
static void a_hazard_gives_the_chance_of_at_least_one_event(void **state)
{
	(void)state;
	assert_float_equal(ts_step_probability(2.0, 1.0 / 12.0), 0.15351827510, 1e-10);
}

/* What is left of a gap after three months equals what is left after one
 * quarter, for every conversion. */
static void three_months_compound_to_one_quarter(void **state)
{
	(void)state;
	double r = 1.0 - ts_step_share_of_rate(0.7, 1.0 / 12.0);
	assert_float_equal(r * r * r, 1.0 - ts_step_share_of_rate(0.7, 0.25), 1e-14);
	double h = 1.0 - ts_step_share_of_half_life(0.3, 1.0 / 12.0);
	assert_float_equal(h * h * h, 1.0 - ts_step_share_of_half_life(0.3, 0.25), 1e-14);
	double m = ts_step_memory(0.2, 1.0 / 12.0);
	assert_float_equal(m * m * m, ts_step_memory(0.2, 0.25), 1e-14);
	double q = 1.0 - ts_step_probability(1.5, 1.0 / 12.0);
	assert_float_equal(q * q * q, 1.0 - ts_step_probability(1.5, 0.25), 1e-14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_yearly_rate_closes_one_minus_exp_of_rate_times_dt),
		cmocka_unit_test(a_half_life_closes_half_the_gap_in_its_time),
		cmocka_unit_test(a_yearly_memory_is_its_dt_th_power),
		cmocka_unit_test(a_hazard_gives_the_chance_of_at_least_one_event),
		cmocka_unit_test(three_months_compound_to_one_quarter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
