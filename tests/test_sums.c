/* model/sums.h: a row of cells summed in four interleaved partial sums in
 * a fixed order, whatever the build. */
#include <math.h>
#include "testutil.h"
#include "model/sums.h"

/* 1e16 + 1 rounds back to 1e16 (the spacing of doubles there is 2), so
 * the order of the additions shows. In the fixed order element a goes to
 * partial sum a mod 4: s0 = 1e16 - 1e16 = 0, s1 = s2 = s3 = 1 + 1 = 2,
 * (0 + 2) + (2 + 2) = 6, then the tail element: 7 (the exact sum). One
 * chain in element order would give 1e16 + 1 + 1 + 1 = 1e16, - 1e16 = 0,
 * then + 4 = 4. */
static const double row[9] = {1e16, 1.0, 1.0, 1.0, -1e16, 1.0, 1.0, 1.0, 1.0};

static void a_sum_takes_four_interleaved_partial_sums_then_the_tail(void **state)
{
	(void)state;
	assert_true(ts_sum(row, 9) == 7.0);
	assert_true(ts_sum(row, 3) == 1e16);  /* only a tail, in order: 1e16 + 1 = 1e16 (a tie, to even), + 1 */
	assert_true(ts_sum(row, 0) == 0.0);
}

/* The products follow the same order: x = row, y = 2 gives 14; with z = 0.5
 * too, (x y) z gives back 7. */
static void products_are_summed_in_the_same_order(void **state)
{
	(void)state;
	double two[9], half[9];
	for (int a = 0; a < 9; a++) {
		two[a] = 2.0;
		half[a] = 0.5;
	}
	assert_true(ts_sum_xy(row, two, 9) == 14.0);
	assert_true(ts_sum_xyz(row, two, half, 9) == 7.0);
	assert_true(ts_sum_xy(two, half, 5) == 5.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_sum_takes_four_interleaved_partial_sums_then_the_tail),
		cmocka_unit_test(products_are_summed_in_the_same_order),
	};
	return cmocka_run_group_tests_name("sums", tests, NULL, NULL);
}
