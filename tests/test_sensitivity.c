/* Sobol sensitivity indices from Saltelli designs: the Ishigami benchmark,
 * a linear model, constant and non-finite outputs, bootstrap determinism. */
#include <math.h>
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

static void bad_arguments_are_rejected(void **state)
{
	(void)state;
	double y[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	ts_sobol_index s[2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_sensitivity_sobol(1, 2, y, 0, 0.95, 1, s, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, 0, 1.0, 1, s, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, -1, 0.95, 1, s, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 2, y, 10, 0.95, 0, s, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_sensitivity_sobol(2, 0, y, 0, 0.95, 1, s, &err), TS_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ishigami_estimates_match_the_analytic_indices),
		cmocka_unit_test(linear_model_splits_variance_by_squared_coefficients),
		cmocka_unit_test(constant_output_gives_nan_indices),
		cmocka_unit_test(bootstrap_intervals_are_the_same_for_the_same_seed),
		cmocka_unit_test(non_finite_outputs_are_rejected_naming_the_row),
		cmocka_unit_test(bad_arguments_are_rejected),
	};
	return cmocka_run_group_tests_name("sensitivity", tests, NULL, NULL);
}
