/* model/sums.h: a row of cells summed in eight interleaved partial sums in
 * a fixed order, whatever the build. */
#include <math.h>
#include <stdint.h>
#include "testutil.h"
#include "model/sums.h"

/* 1e16 + 1 rounds back to 1e16 (the spacing of doubles there is 2), so
 * the order of the additions shows. In the fixed order element a goes to
 * partial sum a mod 8: s0 = 1e16 - 1e16 = 0, s1 .. s7 = 1 + 1 = 2,
 * ((0 + 2) + (2 + 2)) + ((2 + 2) + (2 + 2)) = 14, then the tail element:
 * 15 (the exact sum). Four partial sums would give 14 (1e16 + 1 - 1e16 + 1
 * = 1 in the first), one chain in element order 8 (1e16 + 1 + ... = 1e16,
 * - 1e16 = 0, then the eight ones after it). */
static const double row[17] = {1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                               -1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};

static void a_sum_takes_eight_interleaved_partial_sums_then_the_tail(void **state)
{
	(void)state;
	assert_true(ts_sum(row, 17) == 15.0);
	assert_true(ts_sum(row, 7) == 1e16);  /* only a tail, in order: 1e16 + 1 = 1e16 (a tie, to even), ... */
	assert_true(ts_sum(row, 0) == 0.0);
}

/* The products follow the same order: x = row, y = 2 gives 30; with z = 0.5
 * too, (x y) z gives back 15. */
static void products_are_summed_in_the_same_order(void **state)
{
	(void)state;
	double two[17], half[17];
	for (int a = 0; a < 17; a++) {
		two[a] = 2.0;
		half[a] = 0.5;
	}
	assert_true(ts_sum_xy(row, two, 17) == 30.0);
	assert_true(ts_sum_xyz(row, two, half, 17) == 15.0);
	assert_true(ts_sum_xy(two, half, 5) == 5.0);
}

/* The accounts' one pass gives ts_sum_xy's two sums bit for bit, whatever
 * the length (every tail), and adds each product to acc: on the row above
 * 30 (its order shows), and on random rows against ts_sum_xy itself. */
static void the_accounts_pass_sums_as_ts_sum_xy_does(void **state)
{
	(void)state;
	double two[17], acc[17], xy, xx;
	for (int a = 0; a < 17; a++) {
		two[a] = 2.0;
		acc[a] = 1.0;
	}
	ts_sum_xy_xx_add(&(ts_row){.x = row}, two, acc, 17, &xy, &xx);
	assert_true(xy == 30.0);
	assert_true(xx == ts_sum_xy(row, row, 17));
	assert_true(acc[0] == 2e16 + 1.0 && acc[8] == -2e16 + 1.0 && acc[16] == 3.0);
	uint64_t s = 88172645463325252u;
	double x[40], y[40], sum[40];
	for (int n = 0; n <= 40; n++) {
		for (int a = 0; a < n; a++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			x[a] = (double)(s >> 11) * 0x1p-40 * (s & 1 ? 1e12 : 1e-3);
			y[a] = (double)(s & 0xffff) / 7.0;
			sum[a] = (double)a;
		}
		ts_sum_xy_xx_add(&(ts_row){.x = x}, y, sum, n, &xy, &xx);
		assert_true(xy == ts_sum_xy(x, y, n));
		assert_true(xx == ts_sum_xy(x, x, n));
		for (int a = 0; a < n; a++)
			assert_true(sum[a] == (double)a + x[a] * y[a]);
	}
}

/* The invariants' one pass gives ts_sum bit for bit (the row above: 15)
 * and the or of the elements' bits: its sign bit is set by a negative
 * element or -0 anywhere, body or tail, and by nothing else. */
static void the_invariants_pass_sums_as_ts_sum_does(void **state)
{
	(void)state;
	unsigned long long bits;
	assert_true(ts_sum_or_bits(&(ts_row){.x = row}, 17, &bits) == 15.0 && (bits >> 63));  /* -1e16 */
	assert_true(ts_sum_or_bits(&(ts_row){.x = row}, 8, &bits) == ts_sum(row, 8) && !(bits >> 63));
	double x[21];
	for (int n = 0; n <= 21; n++)
		for (int neg = -1; neg < n; neg++) {
			for (int a = 0; a < n; a++)
				x[a] = 0.25 * a + 1e10 * (a % 3);
			if (neg >= 0)
				x[neg] = neg % 2 ? -0.0 : -3.0;
			double sum = ts_sum_or_bits(&(ts_row){.x = x}, n, &bits);
			assert_true(sum == ts_sum(x, n));
			assert_true((int)(bits >> 63) == (neg >= 0));
		}
}

/* A factored row (scale x (weight[a] x unit[a]), market.c) sums and ors
 * as the row written out does, bit for bit, whatever the length. */
static void a_factored_row_sums_as_its_row_written_out(void **state)
{
	(void)state;
	uint64_t s = 2463534242u;
	double weight[27], unit[27], x[27], y[27], acc_a[27], acc_b[27];
	for (int n = 0; n <= 27; n++) {
		double scale = 0.37 + n;
		for (int a = 0; a < n; a++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			weight[a] = a % 5 == 0 ? 1.0 : (double)(s >> 11) * 0x1p-52;
			unit[a] = (double)(s & 0xfffff) * (s & 2 ? 1e-9 : 3.0);
			y[a] = (double)(s >> 40) / 9.0;
			x[a] = scale * (weight[a] * unit[a]);
			acc_a[a] = acc_b[a] = (double)a;
		}
		ts_row factored = {.weight = weight, .unit = unit, .scale = scale}, written = {.x = x};
		double xy_a, xx_a, xy_b, xx_b;
		unsigned long long bits_a, bits_b;
		ts_sum_xy_xx_add(&factored, y, acc_a, n, &xy_a, &xx_a);
		ts_sum_xy_xx_add(&written, y, acc_b, n, &xy_b, &xx_b);
		assert_memory_equal(&xy_a, &xy_b, sizeof xy_a);
		assert_memory_equal(&xx_a, &xx_b, sizeof xx_a);
		if (n > 0)
			assert_memory_equal(acc_a, acc_b, (size_t)n * sizeof *acc_a);
		double sum_a = ts_sum_or_bits(&factored, n, &bits_a), sum_b = ts_sum_or_bits(&written, n, &bits_b);
		assert_memory_equal(&sum_a, &sum_b, sizeof sum_a);
		assert_true(bits_a == bits_b);
		for (int a = 0; a < n; a++)
			assert_memory_equal(&(double){ts_row_at(&factored, a)}, &x[a], sizeof(double));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sum_takes_eight_interleaved_partial_sums_then_the_tail),
		cmocka_unit_test(products_are_summed_in_the_same_order),
		cmocka_unit_test(the_accounts_pass_sums_as_ts_sum_xy_does),
		cmocka_unit_test(the_invariants_pass_sums_as_ts_sum_does),
		cmocka_unit_test(a_factored_row_sums_as_its_row_written_out),
	};
	return cmocka_run_group_tests_name("sums", tests, NULL, NULL);
}
