/* util/beta_quantile.h: the Beta CDF and its inverse, pinned where they
 * have closed forms and compared with GSL's (gsl_cdf_beta_P, _Q, _Pinv)
 * over the shapes a scenario may give (0.5 .. 50). */
#include <float.h>
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "testutil.h"
#include "util/beta_quantile.h"

/* Beta(3, 3): I_x = 10 x^3 - 15 x^4 + 6 x^5 (the binomial sum of I_x(a,
 * n - a + 1) for whole shapes, DLMF 8.17.5), so I_1/4 = 10/64 - 15/256 +
 * 6/1024 = 0.103515625 and I_1/2 = 1/2 by symmetry; Beta(2, 1): I_x = x^2;
 * Beta(1, 2): I_x = 1 - (1 - x)^2; Beta(1, 1): I_x = x; Beta(1/2, 1/2), the
 * arcsine law: I_x = (2 / pi) asin(sqrt x). Both sides of the mean, where
 * the CDF takes its fraction at x or at 1 - x. */
static ts_beta_shape s33, s21, s12, s11, half;

static int shapes_with_closed_forms(void **state)
{
	(void)state;
	s33 = ts_beta_shape_of(3.0, 3.0);
	s21 = ts_beta_shape_of(2.0, 1.0);
	s12 = ts_beta_shape_of(1.0, 2.0);
	s11 = ts_beta_shape_of(1.0, 1.0);
	half = ts_beta_shape_of(0.5, 0.5);
	return 0;
}

static void the_cdf_takes_its_closed_forms(void **state)
{
	(void)state;
	assert_double_equal(ts_beta_cdf(&s33, 0.25), 0.103515625, 1e-15);
	assert_double_equal(ts_beta_cdf(&s33, 0.75), 1.0 - 0.103515625, 1e-15);
	assert_double_equal(ts_beta_cdf(&s33, 0.5), 0.5, 1e-15);
	for (double x = 0.05; x < 1.0; x += 0.1) {
		assert_double_equal(ts_beta_cdf(&s21, x), x * x, 1e-15);
		assert_double_equal(ts_beta_cdf(&s12, x), 1.0 - (1.0 - x) * (1.0 - x), 1e-15);
		assert_double_equal(ts_beta_cdf(&s11, x), x, 1e-15);
		assert_double_equal(ts_beta_cdf(&half, x), M_2_PI * asin(sqrt(x)), 1e-15);
	}
	assert_true(ts_beta_cdf(&s33, 0.0) == 0.0 && ts_beta_cdf(&s33, -1.0) == 0.0);
	assert_true(ts_beta_cdf(&s33, 1.0) == 1.0 && ts_beta_cdf(&s33, 2.0) == 1.0);
}

/* The inverses of the same closed forms: sqrt p, 1 - sqrt(1 - p), p and
 * sin^2(pi p / 2), below and above the median, and the ends. */
static void the_quantile_inverts_the_closed_forms(void **state)
{
	(void)state;
	assert_double_equal(ts_beta_quantile(&s33, 0.103515625), 0.25, 1e-15);
	assert_double_equal(ts_beta_quantile(&s33, 1.0 - 0.103515625), 0.75, 1e-15);
	assert_double_equal(ts_beta_quantile(&s33, 0.5), 0.5, 1e-15);
	for (double p = 1e-9; p < 1.0; p = p < 0.05 ? p * 10.0 : p + 0.1) {
		assert_double_equal(ts_beta_quantile(&s21, p), sqrt(p), 1e-15);
		assert_double_equal(ts_beta_quantile(&s12, p), 1.0 - sqrt(1.0 - p), 1e-15);
		assert_double_equal(ts_beta_quantile(&s11, p), p, 1e-15);
		double root = sin(M_PI_2 * p);
		assert_double_equal(ts_beta_quantile(&half, p), root * root, 1e-15);
	}
	assert_true(ts_beta_quantile(&s33, 0.0) == 0.0 && ts_beta_quantile(&s33, 1.0) == 1.0);
}

/* 2,000 draws as the model makes them (multiples of 2^-32) and the
 * extreme draws 2^-32 and 1 - 2^-32, at every pair of ten shapes from 0.5
 * to 50: the quantile is GSL's to 2e-12 of the nearer end's distance (the
 * two solve the same equation to about an ulp of x), GSL's CDF takes it
 * back to p to 1e-13 relative in the tail it is in (plus what the last
 * bits of x move p by), and quantiles rise with p. */
static void the_quantile_is_gsls_and_goes_back_to_p(void **state)
{
	(void)state;
	const double shapes[] = {0.5, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 20.0, 50.0};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	assert_non_null(r);
	static double p[2002];
	for (int n = 0; n < 2000; n++)
		p[n] = gsl_rng_uniform(r);
	p[2000] = ldexp(1.0, -32);
	p[2001] = 1.0 - ldexp(1.0, -32);
	for (int i = 0; i < 10; i++)
		for (int j = 0; j < 10; j++) {
			double a = shapes[i], b = shapes[j];
			ts_beta_shape s = ts_beta_shape_of(a, b);
			for (int n = 0; n < 2002; n++) {
				double x = ts_beta_quantile(&s, p[n]), gsl = gsl_cdf_beta_Pinv(p[n], a, b);
				assert_double_equal(x, gsl, 2e-12 * fmax(fmin(x, 1.0 - x), 1e-300));
				if (x > 0.0 && x < 1.0) {
					double tail = p[n] <= 0.5 ? gsl_cdf_beta_P(x, a, b) : gsl_cdf_beta_Q(x, a, b);
					double want = p[n] <= 0.5 ? p[n] : 1.0 - p[n];
					/* x is a double: p moves by the density x its last bits */
					double grain = 4.0 * DBL_EPSILON * x * gsl_ran_beta_pdf(x, a, b);
					assert_double_equal(tail, want, 1e-13 * want + grain);
				}
			}
			for (int n = 1; n <= 100; n++)
				assert_true(ts_beta_quantile(&s, (n - 1) / 100.0) <= ts_beta_quantile(&s, n / 100.0));
		}
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_cdf_takes_its_closed_forms),
		cmocka_unit_test(the_quantile_inverts_the_closed_forms),
		cmocka_unit_test(the_quantile_is_gsls_and_goes_back_to_p),
	};
	return cmocka_run_group_tests_name("beta_quantile", tests, shapes_with_closed_forms, NULL);
}
