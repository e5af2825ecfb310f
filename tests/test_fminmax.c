/* util/fminmax.h: the model's inline fmax and fmin give the same bits as
 * the C library's, so that using them changes no output. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "testutil.h"
#include "util/fminmax.h"

static uint64_t bits(double x)
{
	uint64_t b;
	memcpy(&b, &x, sizeof b);
	return b;
}

/* Every pair of these, both ways round: signed zeros, infinities, quiet
 * NaNs of both signs, subnormals, the extremes, ordinary numbers. */
static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, INFINITY, -INFINITY, NAN, -NAN,
                                 4.9e-324, -4.9e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                                 -1.7976931348623157e308, 3.0, 1e-6, 0.99, 1.0 + 2.220446049250313e-16};

static void they_match_the_c_library_on_special_values(void **state)
{
	(void)state;
	size_t n = sizeof special / sizeof special[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double x = special[i], y = special[j];
			assert_true(bits(ts_fmax(x, y)) == bits(fmax(x, y)));
			assert_true(bits(ts_fmin(x, y)) == bits(fmin(x, y)));
		}
}

/* Pinned by hand: the larger and the smaller, the number beside a NaN, and
 * of two equal zeros the second (glibc's MAXSD/MINSD rule). */
static void they_keep_the_pinned_values(void **state)
{
	(void)state;
	assert_true(ts_fmax(2.0, 3.0) == 3.0 && ts_fmax(3.0, 2.0) == 3.0);
	assert_true(ts_fmin(2.0, 3.0) == 2.0 && ts_fmin(3.0, 2.0) == 2.0);
	assert_true(ts_fmax(NAN, -7.0) == -7.0 && ts_fmax(-7.0, NAN) == -7.0);
	assert_true(ts_fmin(NAN, 7.0) == 7.0 && ts_fmin(7.0, NAN) == 7.0);
	assert_true(isnan(ts_fmax(NAN, NAN)) && isnan(ts_fmin(NAN, NAN)));
	assert_true(signbit(ts_fmax(0.0, -0.0)) && !signbit(ts_fmax(-0.0, 0.0)));
	assert_true(signbit(ts_fmin(0.0, -0.0)) && !signbit(ts_fmin(-0.0, 0.0)));
}

/* A million random pairs, bits drawn at random (xorshift), NaNs included. */
static void they_match_the_c_library_on_random_bits(void **state)
{
	(void)state;
	uint64_t s = 0x9e3779b97f4a7c15u;
	for (int n = 0; n < 1000000; n++) {
		double x, y;
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		memcpy(&x, &s, sizeof x);
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		memcpy(&y, &s, sizeof y);
		if (isnan(x) || isnan(y))  /* quiet NaNs only: the model makes no signalling one */
			continue;
		if (n % 3 == 0)
			y = x;
		assert_true(bits(ts_fmax(x, y)) == bits(fmax(x, y)));
		assert_true(bits(ts_fmin(x, y)) == bits(fmin(x, y)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(they_match_the_c_library_on_special_values),
		cmocka_unit_test(they_keep_the_pinned_values),
		cmocka_unit_test(they_match_the_c_library_on_random_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
