/* model/sums.h: a row of cells summed in eight interleaved partial sums in
 * a fixed order, whatever the build. */
#include <math.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sum_takes_eight_interleaved_partial_sums_then_the_tail),
		cmocka_unit_test(products_are_summed_in_the_same_order),
	};
	return cmocka_run_group_tests_name("sums", tests, NULL, NULL);
}
