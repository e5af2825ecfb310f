/* Ensemble summaries and per-replication seeds. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <tradesim/stats.h>
#include "testutil.h"

static void summary_of_a_known_set_drops_non_finite_values(void **state)
{
	(void)state;
	double v[] = {7, NAN, 3, 10, 1, INFINITY, 5, 9, 2, -INFINITY, 8, 4, 6};
	ts_summary s;
	ts_summarize(v, sizeof v / sizeof v[0], &s);
	assert_int_equal(s.n, 10);
	assert_double_equal(s.mean, 5.5, 1e-12);
	assert_double_equal(s.sd, sqrt(82.5 / 9.0), 1e-12);  /* sum of squares 82.5, n - 1 = 9 */
	/* gsl_stats_quantile_from_sorted_data: value at position f (n - 1) of the
	 * sorted data, interpolated: 0.45 -> 1.45, 4.5 -> 5.5, 8.55 -> 9.55. */
	assert_double_equal(s.q05, 1.45, 1e-12);
	assert_double_equal(s.q50, 5.5, 1e-12);
	assert_double_equal(s.q95, 9.55, 1e-12);
	for (int k = 0; k < 10; k++)
		assert_true(v[k] == k + 1);  /* finite values sorted at the front */
	for (int k = 10; k < 13; k++)
		assert_false(isfinite(v[k]));
}

static void identical_replications_give_quantiles_equal_to_their_value(void **state)
{
	(void)state;
	double x = 35.05841065700364;  /* a value where (1-d) x + d x is one ulp off */
	double values[5] = {x, x, x, x, x};
	ts_summary sm;
	ts_summarize(values, 5, &sm);
	assert_true(sm.q05 == x && sm.q50 == x && sm.q95 == x && sm.mean == x);
	assert_true(sm.sd == 0.0);
}

static void summary_of_one_value_has_no_standard_deviation(void **state)
{
	(void)state;
	double v[] = {NAN, 4.0};
	ts_summary s;
	ts_summarize(v, 2, &s);
	assert_int_equal(s.n, 1);
	assert_true(s.mean == 4.0 && s.q05 == 4.0 && s.q50 == 4.0 && s.q95 == 4.0);
	assert_true(isnan(s.sd));
}

static void summary_of_no_finite_values_is_all_nan(void **state)
{
	(void)state;
	double v[] = {NAN, NAN};
	ts_summary s;
	ts_summarize(v, 2, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.mean) && isnan(s.sd) && isnan(s.q05) && isnan(s.q50) && isnan(s.q95));
	ts_summarize(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.mean));
}

static uint64_t stats_state = 0x2545f4914f6cdd1du;

static uint64_t stats_random(void)  /* xorshift64 */
{
	stats_state ^= stats_state << 13;
	stats_state ^= stats_state >> 7;
	stats_state ^= stats_state << 17;
	return stats_state;
}

/* values[0 .. n) of kind k: random, few distinct values, all equal,
 * ascending, descending, organ pipe, signed zeros among others, with NaN
 * and infinities strewn in (kind 7); all -0, all the largest negative
 * double, all one subnormal, all equal but the last one ulp above (kinds 8
 * to 11: the summary of equal values takes a way of its own). */
static void fill(double *v, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++) {
		double u = (double)(stats_random() >> 11) * 0x1p-53;
		switch (kind) {
		case 0: v[i] = 100.0 * u - 30.0; break;
		case 1: v[i] = (double)(stats_random() % 3) * 0.1; break;
		case 2: v[i] = 35.05841065700364; break;
		case 3: v[i] = (double)i; break;
		case 4: v[i] = -(double)i * 0.5; break;
		case 5: v[i] = (double)(i < n / 2 ? i : n - i); break;
		case 6: v[i] = stats_random() % 2 ? 0.0 : (stats_random() % 2 ? -0.0 : u); break;
		case 8: v[i] = -0.0; break;
		case 9: v[i] = -DBL_MAX; break;
		case 10: v[i] = 0x1.8p-1060; break;
		case 11: v[i] = i + 1 < n ? 35.05841065700364 : nextafter(35.05841065700364, INFINITY); break;
		default: v[i] = stats_random() % 5 == 0 ? (stats_random() % 2 ? NAN : -INFINITY) : u; break;
		}
	}
}

/* Quantile f of sorted[0..n), as stats.h defines it: position f (n - 1),
 * interpolated as lo + delta (hi - lo). */
static double reference_quantile(const double *sorted, size_t n, double f)
{
	double index = f * (double)(n - 1);
	size_t lo = (size_t)index;
	return lo + 1 >= n ? sorted[n - 1] : sorted[lo] + (index - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

static void expect_same_bits(double got, double want, const char *what, int kind, size_t n)
{
	if (memcmp(&got, &want, sizeof got) != 0)
		fail_msg("kind %d, n %zu: %s %a, expected %a", kind, n, what, got, want);
}

/* The summary equals what GSL's sort and moments give, bit for bit, with
 * the finite values left sorted, and the quantiles stats.h defines of
 * them: for every kind of data above and sizes 0 to 600 (our own sort,
 * with GSL's heapsort as the reference). */
static void summaries_are_gsls_bit_for_bit(void **state)
{
	(void)state;
	enum { MAX = 600 };
	double v[MAX], ref[MAX];
	for (int kind = 0; kind < 12; kind++)
		for (size_t n = 0; n <= MAX; n += n < 40 ? 1 : 37) {
			fill(v, n, kind);
			size_t kept = 0;
			for (size_t i = 0; i < n; i++)
				if (isfinite(v[i]))
					ref[kept++] = v[i];
			gsl_sort(ref, 1, kept);
			ts_summary sm;
			ts_summarize(v, n, &sm);
			assert_int_equal(sm.n, kept);
			for (size_t i = 0; i < kept; i++)
				if (v[i] != ref[i])
					fail_msg("kind %d, n %zu: value %zu is %a, GSL's sort %a", kind, n, i, v[i], ref[i]);
			if (kept == 0)
				continue;
			expect_same_bits(sm.mean, gsl_stats_mean(ref, 1, kept), "mean (GSL's)", kind, n);
			expect_same_bits(sm.q05, reference_quantile(ref, kept, 0.05), "q05", kind, n);
			expect_same_bits(sm.q50, reference_quantile(ref, kept, 0.50), "q50", kind, n);
			expect_same_bits(sm.q95, reference_quantile(ref, kept, 0.95), "q95", kind, n);
			if (kept < 2)
				assert_true(isnan(sm.sd));
			else
				expect_same_bits(sm.sd, gsl_stats_sd(ref, 1, kept), "sd (GSL's)", kind, n);
		}
}

/* Long runs of equal values (columns no replication changes) and sorted
 * input sort in about n log n: 400,000 values of each kind. */
static void large_sets_of_equal_or_sorted_values_summarize_at_once(void **state)
{
	(void)state;
	size_t n = 400000;
	double *v = malloc(n * sizeof *v);
	assert_non_null(v);
	for (int kind = 1; kind <= 5; kind++) {
		fill(v, n, kind);
		ts_summary sm;
		ts_summarize(v, n, &sm);
		assert_int_equal(sm.n, n);
		for (size_t i = 1; i < n; i++)
			assert_true(v[i - 1] <= v[i]);
	}
	free(v);
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Seeds of `count` consecutive indices from `first` are nonzero and distinct. */
static void assert_distinct_nonzero(uint32_t base, uint64_t first, size_t count)
{
	uint32_t *seed = malloc(count * sizeof *seed);
	assert_non_null(seed);
	for (size_t k = 0; k < count; k++) {
		seed[k] = ts_seed_derive(base, first + k);
		assert_true(seed[k] != 0);
	}
	qsort(seed, count, sizeof *seed, compare_u32);
	for (size_t k = 1; k < count; k++)
		if (seed[k] == seed[k - 1])
			fail_msg("base %u: seed %u repeats among indices %llu..%llu", base, seed[k],
			         (unsigned long long)first, (unsigned long long)(first + count - 1));
	free(seed);
}

static void seeds_are_nonzero_and_distinct_across_a_million_indices(void **state)
{
	(void)state;
	const uint32_t bases[] = {1, 0xffffffffu, 0, 2, 20240601};
	for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
		assert_distinct_nonzero(bases[b], 0, 1000000);
	/* The top of the distinct range, where index % (2^32 - 1) is largest. */
	assert_distinct_nonzero(1, 0xfffffffeu - 999999u, 1000000);
}

static void seeds_are_deterministic_and_stay_as_recorded(void **state)
{
	(void)state;
	for (uint64_t i = 0; i < 1000; i++)
		assert_true(ts_seed_derive(12345, i) == ts_seed_derive(12345, i));
	/* Pinned values: changing the derivation would silently change the runs
	 * of every recorded experiment. */
	assert_true(ts_seed_derive(1, 0) == 2114664331u);
	assert_true(ts_seed_derive(1, 1) == 2609535347u);
	assert_true(ts_seed_derive(0xffffffffu, 999999) == 611403488u);
	assert_true(ts_seed_derive(42, (uint64_t)1 << 40) == 4014574892u);  /* past 2^32 - 1 */
}

/* Merge-count the values two sorted arrays share. */
static size_t shared(const uint32_t *a, const uint32_t *b, size_t count)
{
	size_t i = 0, j = 0, common = 0;
	while (i < count && j < count) {
		if (a[i] < b[j])
			i++;
		else if (b[j] < a[i])
			j++;
		else {
			common++;
			i++;
			j++;
		}
	}
	return common;
}

/* seed(b + 1, i) = seed(b, i + 1) would make neighbouring base seeds rerun
 * the same replications. 10,000 seeds from each of two unrelated sequences
 * share 10^8 / 2^32 = 0.02 values on average; a shifted copy shares ~10,000. */
static void neighbouring_bases_do_not_give_shifted_copies(void **state)
{
	(void)state;
	enum { COUNT = 10000 };
	static uint32_t a[COUNT], b[COUNT];
	const uint32_t bases[] = {0, 1, 2, 1000, 0x7fffffffu, 0xfffffffeu};
	for (size_t k = 0; k < sizeof bases / sizeof bases[0]; k++) {
		for (uint64_t i = 0; i < COUNT; i++) {
			a[i] = ts_seed_derive(bases[k], i);
			b[i] = ts_seed_derive(bases[k] + 1u, i);
		}
		qsort(a, COUNT, sizeof a[0], compare_u32);
		qsort(b, COUNT, sizeof b[0], compare_u32);
		assert_true(shared(a, b, COUNT) <= 2);
	}
}

/* Consecutive indices, and the same index under neighbouring bases, differ
 * in 16 of 32 bits on average if unrelated; over 100,000 pairs the mean's
 * standard error is sqrt(8 / 100000) = 0.009, so +-0.1 is 11 of them. Each
 * bit is set half the time: standard error 0.0016, tolerance 0.01. */
static int bits_set(uint32_t x)
{
	int count = 0;
	for (; x; x &= x - 1)
		count++;
	return count;
}

static void seeds_of_consecutive_indices_look_unrelated(void **state)
{
	(void)state;
	enum { PAIRS = 100000 };
	double flips_index = 0.0, flips_base = 0.0;
	long ones[32] = {0};
	for (uint64_t i = 0; i < PAIRS; i++) {
		uint32_t s = ts_seed_derive(7, i);
		flips_index += bits_set(s ^ ts_seed_derive(7, i + 1));
		flips_base += bits_set(s ^ ts_seed_derive(8, i));
		for (int bit = 0; bit < 32; bit++)
			ones[bit] += (s >> bit) & 1u;
	}
	assert_double_equal(flips_index / PAIRS, 16.0, 0.1);
	assert_double_equal(flips_base / PAIRS, 16.0, 0.1);
	for (int bit = 0; bit < 32; bit++)
		assert_double_equal((double)ones[bit] / PAIRS, 0.5, 0.01);
}

/* The one index below 2^32 - 1 whose keyed permutation F lands on
 * M = 2^32 - 1 for base 1 is 2465652347 (found by inverting F: fmix32 is a
 * bijection with a computable inverse). Cycle-walking maps it to F(M) + 1 =
 * 2216116496, a seed no other index of base 1 takes (likewise index
 * 2754786401 of base 5); without the walk it
 * would be M + 1, which wraps to 0, not a valid seed. */
static void the_index_that_lands_on_the_excluded_value_walks_to_a_valid_seed(void **state)
{
	(void)state;
	assert_true(ts_seed_derive(1, 2465652347u) == 2216116496u);
	assert_true(ts_seed_derive(5, 2754786401u) == 3663264956u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_of_a_known_set_drops_non_finite_values),
		cmocka_unit_test(identical_replications_give_quantiles_equal_to_their_value),
		cmocka_unit_test(summary_of_one_value_has_no_standard_deviation),
		cmocka_unit_test(summary_of_no_finite_values_is_all_nan),
		cmocka_unit_test(summaries_are_gsls_bit_for_bit),
		cmocka_unit_test(large_sets_of_equal_or_sorted_values_summarize_at_once),
		cmocka_unit_test(seeds_are_nonzero_and_distinct_across_a_million_indices),
		cmocka_unit_test(seeds_are_deterministic_and_stay_as_recorded),
		cmocka_unit_test(neighbouring_bases_do_not_give_shifted_copies),
		cmocka_unit_test(seeds_of_consecutive_indices_look_unrelated),
		cmocka_unit_test(the_index_that_lands_on_the_excluded_value_walks_to_a_valid_seed),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
