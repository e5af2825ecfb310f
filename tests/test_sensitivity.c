/* Sobol sensitivity indices from Saltelli designs: the Ishigami benchmark,
 * a linear model, constant and non-finite outputs, bootstrap determinism. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/design.h>
#include <tradesim/sensitivity.h>
#include "testutil.h"

#define PI 3.14159265358979323846

typedef double (*model_fn)(const double *u);  /* u in [0, 1]^d */

/* Saltelli design of n base rows in d dimensions and the model's outputs at
 * its points; the caller frees the returned array of n * (d + 2) outputs. */
static double *evaluate(size_t n, int d, model_fn f)
{
	size_t rows = n * (size_t)(d + 2);
	double *x = malloc(rows * (size_t)d * sizeof *x), *y = malloc(rows * sizeof *y);
	assert_non_null(x);
	assert_non_null(y);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_saltelli(n, d, x, &err), TS_OK);
	for (size_t r = 0; r < rows; r++)
		y[r] = f(x + r * (size_t)d);
	free(x);
	return y;
}

/* Ishigami and Homma (1990), with a = 7, b = 0.1 and x_i uniform on
 * [-pi, pi]: f = sin x1 + a sin^2 x2 + b x3^4 sin x1. */
enum { ISHIGAMI_A = 7 };
#define ISHIGAMI_B 0.1

static double ishigami(const double *u)
{
	double x1 = ts_design_scale(u[0], -PI, PI, 0), x2 = ts_design_scale(u[1], -PI, PI, 0);
	double x3 = ts_design_scale(u[2], -PI, PI, 0);
	double s2 = sin(x2);
	return sin(x1) + ISHIGAMI_A * s2 * s2 + ISHIGAMI_B * pow(x3, 4) * sin(x1);
}

/* Its analytic indices (e.g. Saltelli et al. 2008, Global Sensitivity
 * Analysis: The Primer, sect. 4.7; Sobol' and Levitan 1999):
 *   V   = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
 *   V1  = (1 + b pi^4/5)^2 / 2,  V2 = a^2/8,  V3 = 0,
 *   V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225, no other interaction;
 * S = (0.3139, 0.4424, 0), S_T = (0.5576, 0.4424, 0.2437). */
static void ishigami_indices(double first[3], double total[3])
{
	const double a = ISHIGAMI_A, b = ISHIGAMI_B, pi4 = pow(PI, 4), pi8 = pow(PI, 8);
	const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
	const double v1 = (1 + b * pi4 / 5) * (1 + b * pi4 / 5) / 2, v2 = a * a / 8;
	const double v13 = 8 * b * b * pi8 / 225;
	first[0] = v1 / v;
	first[1] = v2 / v;
	first[2] = 0.0;
	total[0] = (v1 + v13) / v;
	total[1] = v2 / v;
	total[2] = v13 / v;
}

/* 2^14 base rows (81,920 model runs), 200 resamples. The design is
 * deterministic, so the point estimates are too: all six lie within 0.0003
 * of the truth, and the tolerance 0.01 is some 30 times that. The Sobol
 * points make the errors far smaller than the bootstrap (which assumes
 * independent rows) expects: the 95 % intervals are 0.011 to 0.051 wide,
 * and over bootstrap seeds 1..500 every interval held the truth, at least
 * 0.0046 inside its nearer bound (0.0070 at 2^13, 0.0172 at 2^10 rows). */
static void ishigami_estimates_match_the_analytic_indices(void **state)
{
	(void)state;
	const size_t n = 1u << 14;
	double *y = evaluate(n, 3, ishigami);
	ts_sobol_index s[3];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(n, 3, y, 200, 0.95, 2024, s, &err), TS_OK);
	double first[3], total[3];
	ishigami_indices(first, total);
	assert_double_equal(first[0], 0.3139, 1e-4);  /* the formulas above */
	assert_double_equal(total[2], 0.2437, 1e-4);
	for (int i = 0; i < 3; i++) {
		print_message("x%d: S %.4f [%.4f, %.4f] (true %.4f), ST %.4f [%.4f, %.4f] (true %.4f)\n", i + 1,
		              s[i].first, s[i].first_lo, s[i].first_hi, first[i],
		              s[i].total, s[i].total_lo, s[i].total_hi, total[i]);
		assert_double_equal(s[i].first, first[i], 0.01);
		assert_double_equal(s[i].total, total[i], 0.01);
		assert_true(s[i].first_lo <= s[i].first && s[i].first <= s[i].first_hi);
		assert_true(s[i].total_lo <= s[i].total && s[i].total <= s[i].total_hi);
		assert_true(s[i].first_lo < first[i] && first[i] < s[i].first_hi);
		assert_true(s[i].total_lo < total[i] && total[i] < s[i].total_hi);
	}
	free(y);
}

static double linear(const double *u)
{
	return 2.0 * u[0] + u[1];
}

/* y = 2 x1 + x2, x uniform on [0, 1]: V = 4/12 + 1/12, no interaction, so
 * S_i = S_Ti = (0.8, 0.2). */
static void linear_model_splits_variance_by_squared_coefficients(void **state)
{
	(void)state;
	const size_t n = 4096;
	double *y = evaluate(n, 2, linear);
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(n, 2, y, 0, 0.95, 1, s, &err), TS_OK);
	assert_double_equal(s[0].first, 0.8, 0.01);
	assert_double_equal(s[1].first, 0.2, 0.01);
	assert_double_equal(s[0].total, 0.8, 0.01);
	assert_double_equal(s[1].total, 0.2, 0.01);
	/* n_boot = 0: no intervals. */
	assert_true(isnan(s[0].first_lo) && isnan(s[0].first_hi) && isnan(s[1].total_lo) && isnan(s[1].total_hi));
	free(y);
}

static double constant(const double *u)
{
	(void)u;
	return 0.1;
}

static void constant_output_gives_nan_indices(void **state)
{
	(void)state;
	const size_t n = 256;
	double *y = evaluate(n, 2, constant);
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(n, 2, y, 50, 0.95, 3, s, &err), TS_OK);
	for (int i = 0; i < 2; i++) {
		assert_true(isnan(s[i].first) && isnan(s[i].total));
		assert_true(isnan(s[i].first_lo) && isnan(s[i].first_hi));
		assert_true(isnan(s[i].total_lo) && isnan(s[i].total_hi));
	}
	free(y);
}

static void bootstrap_intervals_are_the_same_for_the_same_seed(void **state)
{
	(void)state;
	const size_t n = 512;
	double *y = evaluate(n, 3, ishigami);
	ts_sobol_index a[3], b[3], c[3];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(n, 3, y, 100, 0.9, 77, a, &err), TS_OK);
	assert_int_equal(ts_sensitivity_sobol(n, 3, y, 100, 0.9, 77, b, &err), TS_OK);
	assert_int_equal(ts_sensitivity_sobol(n, 3, y, 100, 0.9, 78, c, &err), TS_OK);
	assert_memory_equal(a, b, sizeof a);
	/* Another seed: same point estimates, other intervals. */
	for (int i = 0; i < 3; i++) {
		assert_true(a[i].first == c[i].first && a[i].total == c[i].total);
		assert_true(a[i].first_lo != c[i].first_lo || a[i].first_hi != c[i].first_hi);
	}
	free(y);
}

static void non_finite_outputs_are_rejected_naming_the_row(void **state)
{
	(void)state;
	const size_t n = 8;
	double *y = evaluate(n, 2, linear);
	y[4 * 2 + 1] = NAN;    /* base row 1 (stride 4), f(B) */
	y[6 * 4 + 3] = INFINITY;  /* base row 6, f(AB^(2)) */
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(n, 2, y, 10, 0.95, 1, s, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "y[9] (base row 2, f(B)) is nan"));
	free(y);
}

/* Two base rows, two inputs, outputs chosen so that every step is exact:
 *   row 0: f(A) = 1, f(B) = 4, f(AB1) = 2, f(AB2) = 0
 *   row 1: f(A) = 5, f(B) = 2, f(AB1) = 4, f(AB2) = 5
 * pooled f(A), f(B): 1, 4, 5, 2, mean 3, V = (4 + 1 + 4 + 1) / 4 = 2.5.
 * Centred (minus 3): row 0 fa = -2, fb = 1, fab = (-1, -3); row 1 fa = 2,
 * fb = -1, fab = (1, 2).
 *   V1 = [1 (-1 + 2) + (-1)(1 - 2)] / 2 = 1,   S1 = 1 / 2.5 = 0.4
 *   V2 = [1 (-3 + 2) + (-1)(2 - 2)] / 2 = -0.5, S2 = -0.2
 *   VT1 = [(-2 + 1)^2 + (2 - 1)^2] / 4 = 0.5,  ST1 = 0.2
 *   VT2 = [(-2 + 3)^2 + (2 - 2)^2] / 4 = 0.25, ST2 = 0.1 */
static void two_base_rows_give_the_indices_computed_by_hand(void **state)
{
	(void)state;
	const double y[] = {1, 4, 2, 0, 5, 2, 4, 5};
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, 0, 0.95, 1, s, &err), TS_OK);
	assert_double_equal(s[0].first, 0.4, 1e-15);
	assert_double_equal(s[1].first, -0.2, 1e-15);
	assert_double_equal(s[0].total, 0.2, 1e-15);
	assert_double_equal(s[1].total, 0.1, 1e-15);
}

/* One input, rows (f(A), f(B), f(AB)) = (1, 1, 1) and (1, 3, 2).
 * All rows: pooled 1, 1, 1, 3, mean 1.5, V = 0.75; row 0 adds nothing, row 1
 * fa = -0.5, fb = 1.5, fab = 0.5: S = 1.5 (1) / 2 / 0.75 = 1,
 * ST = (-1)^2 / 4 / 0.75 = 1/3.
 * Resamples of two rows drawn with replacement: {0, 0} has constant outputs
 * and is left out (a quarter of them); {0, 1} and {1, 0} give the estimates
 * above (half); {1, 1} (a quarter) has pooled 1, 3, 1, 3, mean 2, V = 1,
 * fa = -1, fb = 1, fab = 0: S = 2 (1) / 2 / 1 = 1, ST = 2 (1) / 4 / 1 = 0.5.
 * Of the kept resamples two thirds give ST = 1/3 and one third 0.5, so the
 * 5 % and 95 % quantiles of 1000 of them are exactly those two values. */
static void resamples_of_constant_outputs_are_left_out_of_the_intervals(void **state)
{
	(void)state;
	const double y[] = {1, 1, 1, 1, 3, 2};
	ts_sobol_index s[1];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(2, 1, y, 1000, 0.9, 5, s, &err), TS_OK);
	assert_double_equal(s[0].first, 1.0, 1e-15);
	assert_double_equal(s[0].total, 1.0 / 3.0, 1e-15);
	assert_double_equal(s[0].first_lo, 1.0, 1e-12);
	assert_double_equal(s[0].first_hi, 1.0, 1e-12);
	assert_double_equal(s[0].total_lo, 1.0 / 3.0, 1e-12);
	assert_double_equal(s[0].total_hi, 0.5, 1e-12);
}

/* Sizes are checked before any output is read: y here holds 4 values. */
static void sizes_that_overflow_are_refused_before_reading_the_outputs(void **state)
{
	(void)state;
	double y[4] = {1, 2, 3, 4};
	ts_sobol_index s[1];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(SIZE_MAX / 4, 1, y, 0, 0.95, 1, s, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "base rows x 1 dimensions overflow"));
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(SIZE_MAX / 16, 2, y, 0, 0.95, 1, s, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "base rows x 2 dimensions overflow"));
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol((size_t)1 << 33, 1, y, 1, 0.95, 1, s, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "the bootstrap handles at most 4294967295"));
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2147483647, y, 1 << 30, 0.95, 1, s, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "resamples x 2147483647 dimensions overflow"));
}

/* Each bound of each argument, with the message naming it. */
static void each_argument_is_checked_at_its_bounds(void **state)
{
	(void)state;
	const double y[] = {1, 4, 2, 0, 5, 2, 4, 5};
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	struct { size_t n; int d, boot; double confidence; uint32_t seed; const char *message; } bad[] = {
		{1, 2, 0, 0.95, 1, "1 base rows, need at least 2"},
		{2, 0, 0, 0.95, 1, "dimension 0, need at least 1"},
		{2, 2, 0, 0.0, 1, "confidence 0 outside (0, 1)"},
		{2, 2, 0, 1.0, 1, "confidence 1 outside (0, 1)"},
		{2, 2, -1, 0.95, 1, "-1 bootstrap resamples"},
		{2, 2, 1, 0.95, 0, "seed must be in [1, 4294967295], got 0"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		ts_error_clear(&err);
		assert_int_equal(ts_sensitivity_sobol(bad[k].n, bad[k].d, y, bad[k].boot, bad[k].confidence, bad[k].seed,
		                                      s, &err), TS_EINPUT);
		if (!strstr(err.message, bad[k].message))
			fail_msg("case %zu: %s", k, err.message);
	}
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2, NULL, 0, 0.95, 1, s, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no outputs or no result array"));
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, 0, 0.95, 1, NULL, &err), TS_EINPUT);
	/* No resamples: the seed is not used, so 0 is fine. */
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, 0, 0.95, 0, s, &err), TS_OK);
}

/* Every non-finite output is named, f(A), f(B) and f(AB^(i)) alike. */
static void every_non_finite_output_is_named_with_its_block(void **state)
{
	(void)state;
	double y[] = {1, 4, 2, 0, 5, 2, 4, 5};
	y[0] = NAN;        /* base row 0, f(A) */
	y[6] = -INFINITY;  /* base row 1, f(AB^(1)) */
	y[7] = INFINITY;   /* base row 1, f(AB^(2)) */
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, 0, 0.95, 1, s, &err), TS_EINPUT);
	assert_int_equal(err.count, 3);
	assert_non_null(strstr(err.message, "y[0] (base row 0, f(A)) is nan"));
	assert_non_null(strstr(err.message, "y[6] (base row 1, f(AB^(1))) is -inf"));
	assert_non_null(strstr(err.message, "y[7] (base row 1, f(AB^(2))) is inf"));
}

/* Rows (f(A), f(B), f(AB)) = (1, 1, 1) and (3, 3, 3): pooled mean 2, V = 1,
 * every f(AB) - f(A) = 0, so S = ST = 0. One resample: mt19937 seeded 1
 * draws the rows {0, 1} (the estimates again: intervals [0, 0]); seeded 2 it
 * draws {0, 0}, constant outputs, so no resample is kept and the intervals
 * are undefined (NaN) while the estimates stand. */
static void intervals_with_no_resample_kept_are_undefined(void **state)
{
	(void)state;
	const double y[] = {1, 1, 1, 3, 3, 3};
	ts_sobol_index s[1];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(2, 1, y, 1, 0.95, 1, s, &err), TS_OK);
	assert_true(s[0].first == 0.0 && s[0].total == 0.0);
	assert_true(s[0].first_lo == 0.0 && s[0].first_hi == 0.0 && s[0].total_lo == 0.0 && s[0].total_hi == 0.0);
	assert_int_equal(ts_sensitivity_sobol(2, 1, y, 1, 0.95, 2, s, &err), TS_OK);
	assert_true(s[0].first == 0.0 && s[0].total == 0.0);
	assert_true(isnan(s[0].first_lo) && isnan(s[0].first_hi) && isnan(s[0].total_lo) && isnan(s[0].total_hi));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ishigami_estimates_match_the_analytic_indices),
		cmocka_unit_test(linear_model_splits_variance_by_squared_coefficients),
		cmocka_unit_test(constant_output_gives_nan_indices),
		cmocka_unit_test(bootstrap_intervals_are_the_same_for_the_same_seed),
		cmocka_unit_test(non_finite_outputs_are_rejected_naming_the_row),
		cmocka_unit_test(two_base_rows_give_the_indices_computed_by_hand),
		cmocka_unit_test(resamples_of_constant_outputs_are_left_out_of_the_intervals),
		cmocka_unit_test(sizes_that_overflow_are_refused_before_reading_the_outputs),
		cmocka_unit_test(each_argument_is_checked_at_its_bounds),
		cmocka_unit_test(every_non_finite_output_is_named_with_its_block),
		cmocka_unit_test(intervals_with_no_resample_kept_are_undefined),
	};
	return cmocka_run_group_tests_name("sensitivity", tests, NULL, NULL);
}
