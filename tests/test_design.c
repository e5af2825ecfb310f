/* Experimental designs: grids, Latin hypercubes, Sobol and Saltelli samples,
 * scaling to parameter ranges. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <tradesim/design.h>
#include "testutil.h"
#include "batch/design_plan.h"

static void grid_varies_the_last_dimension_fastest(void **state)
{
	(void)state;
	const int levels[] = {2, 3};
	double out[6 * 2];
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_grid(2, levels, out, &n, &err), TS_OK);
	assert_int_equal(n, 6);
	const double expected[6][2] = {{0, 0}, {0, 0.5}, {0, 1}, {1, 0}, {1, 0.5}, {1, 1}};
	for (int r = 0; r < 6; r++)
		for (int j = 0; j < 2; j++)
			assert_true(out[r * 2 + j] == expected[r][j]);
}

static void grid_with_one_level_sits_at_the_midpoint(void **state)
{
	(void)state;
	const int levels[] = {1, 2};
	double out[2 * 2];
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_grid(2, levels, out, &n, &err), TS_OK);
	assert_int_equal(n, 2);
	assert_true(out[0] == 0.5 && out[1] == 0.0 && out[2] == 0.5 && out[3] == 1.0);
}

static void grid_without_output_only_counts_points(void **state)
{
	(void)state;
	const int levels[] = {4, 5, 6};
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_grid(3, levels, NULL, &n, &err), TS_OK);
	assert_int_equal(n, 120);
}

static void grid_larger_than_the_cap_or_overflowing_is_rejected(void **state)
{
	(void)state;
	const int huge[] = {100000, 100000};         /* 1e10 > 1e8 */
	const int overflow[] = {65536, 65536, 65536, 65536, 65536}; /* 2^80 */
	const int zero[] = {3, 0};
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_grid(2, huge, NULL, &n, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "100000000"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_grid(5, overflow, NULL, &n, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_design_grid(2, zero, NULL, &n, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimension 1 has 0 levels"));
	/* Exactly at the cap is fine. */
	const int cap[] = {10000, 10000};
	ts_error_clear(&err);
	assert_int_equal(ts_design_grid(2, cap, NULL, &n, &err), TS_OK);
	assert_int_equal(n, 100000000);
}

static void lhs_puts_exactly_one_point_in_each_stratum_of_every_dimension(void **state)
{
	(void)state;
	enum { N = 1000, D = 5 };
	double *x = malloc(N * D * sizeof *x);
	int count[N];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(N, D, 42, x, &err), TS_OK);
	for (int j = 0; j < D; j++) {
		memset(count, 0, sizeof count);
		for (int i = 0; i < N; i++) {
			double v = x[i * D + j];
			assert_true(v >= 0.0 && v < 1.0);
			count[(int)floor(v * N)]++;
		}
		for (int k = 0; k < N; k++)
			assert_int_equal(count[k], 1);
	}
	free(x);
}

static void lhs_is_the_same_for_the_same_seed_and_differs_for_another(void **state)
{
	(void)state;
	enum { N = 64, D = 3 };
	double a[N * D], b[N * D], c[N * D];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(N, D, 7, a, &err), TS_OK);
	assert_int_equal(ts_design_lhs(N, D, 7, b, &err), TS_OK);
	assert_int_equal(ts_design_lhs(N, D, 8, c, &err), TS_OK);
	assert_memory_equal(a, b, sizeof a);
	int same = 0;
	for (int k = 0; k < N * D; k++)
		same += a[k] == c[k];
	assert_int_equal(same, 0);
}

/* The construction design.h documents, written out with GSL: per dimension
 * j, one gsl_ran_shuffle of the strata 0 .. n-1, then one uniform per point;
 * x = (stratum + u) / n. ts_design_lhs must give these very doubles. */
static void lhs_is_the_documented_construction_draw_for_draw(void **state)
{
	(void)state;
	enum { N = 50, D = 4 };
	double x[N * D], expect[N * D];
	size_t stratum[N];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 99);
	for (int j = 0; j < D; j++) {
		for (int i = 0; i < N; i++)
			stratum[i] = (size_t)i;
		gsl_ran_shuffle(rng, stratum, N, sizeof *stratum);
		for (int i = 0; i < N; i++)
			expect[i * D + j] = ((double)stratum[i] + gsl_rng_uniform(rng)) / N;
	}
	gsl_rng_free(rng);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(N, D, 99, x, &err), TS_OK);
	assert_memory_equal(x, expect, sizeof x);
}

static void lhs_rejects_seed_zero(void **state)
{
	(void)state;
	double x[4];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(2, 2, 0, x, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "seed"));
}

/* The Sobol sequence's first points in dimensions 1 and 2 (Bratley and Fox
 * 1988; every dimension starts 1/2, dimension 1 is van der Corput's). */
static void sobol_starts_with_the_known_sequence_after_the_zero_point(void **state)
{
	(void)state;
	const double expected[6][2] = {
		{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125},
	};
	double x[6 * 2];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_sobol(6, 2, 1, x, &err), TS_OK);
	for (int r = 0; r < 6; r++)
		for (int j = 0; j < 2; j++)
			assert_true(x[r * 2 + j] == expected[r][j]);
	/* skip = 0 starts at the zero point; skip = 3 at x_3. */
	assert_int_equal(ts_design_sobol(2, 2, 0, x, &err), TS_OK);
	assert_true(x[0] == 0.0 && x[1] == 0.0 && x[2] == 0.5 && x[3] == 0.5);
	assert_int_equal(ts_design_sobol(1, 2, 3, x, &err), TS_OK);
	assert_true(x[0] == 0.25 && x[1] == 0.75);
}

static void sobol_rejects_more_than_forty_dimensions_with_a_message(void **state)
{
	(void)state;
	double x[41];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_sobol(1, 41, 1, x, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimension 41 outside [1, 40]"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_sobol(1, 0, 1, x, &err), TS_EINPUT);
	ts_error_clear(&err);
	assert_int_equal(ts_design_sobol(1, 40, 1, x, &err), TS_OK);
}

static void sobol_rejects_points_past_the_end_of_the_sequence(void **state)
{
	(void)state;
	double x[1];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_sobol(2, 1, TS_DESIGN_SOBOL_INDEX_MAX, x, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "sequence ends"));
}

static void sobol_points_lie_in_the_half_open_unit_cube(void **state)
{
	(void)state;
	enum { N = 4096, D = 40 };
	double *x = malloc(N * D * sizeof *x);
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_sobol(N, D, 1, x, &err), TS_OK);
	for (int k = 0; k < N * D; k++)
		assert_true(x[k] >= 0.0 && x[k] < 1.0);
	/* Low discrepancy: in every dimension the 4096 points x_0 .. x_4095 put
	 * one point in each stratum [k/4096, (k+1)/4096), as every
	 * one-dimensional projection of the first 2^m Sobol points is a
	 * (0, m, 1)-net (Sobol' 1967). */
	for (int j = 0; j < D; j++) {
		static int count[N];
		memset(count, 0, sizeof count);
		count[0]++;  /* x_0 = 0 */
		for (int i = 0; i < N - 1; i++)
			count[(int)(x[i * D + j] * N)]++;
		for (int k = 0; k < N; k++)
			assert_int_equal(count[k], 1);
	}
	free(x);
}

static void saltelli_ab_rows_are_a_with_one_column_from_b(void **state)
{
	(void)state;
	enum { N = 16, D = 4, ROWS = N * (D + 2) };
	double x[ROWS * D], base[N * 2 * D];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_saltelli(N, D, x, &err), TS_OK);
	assert_int_equal(ts_design_sobol(N, 2 * D, 1, base, &err), TS_OK);
	for (int j = 0; j < N; j++) {
		const double *a = x + (j * (D + 2)) * D, *b = a + D;
		for (int c = 0; c < D; c++) {
			assert_true(a[c] == base[j * 2 * D + c]);
			assert_true(b[c] == base[j * 2 * D + D + c]);
		}
		for (int i = 0; i < D; i++) {
			const double *ab = a + (2 + i) * D;
			for (int c = 0; c < D; c++)
				assert_true(ab[c] == (c == i ? b[c] : a[c]));
		}
	}
}

static void saltelli_rejects_more_than_twenty_dimensions(void **state)
{
	(void)state;
	double x[1];
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_saltelli(1, 21, x, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimension 21 outside [1, 20]"));
}

static void scale_maps_linearly_or_log_uniformly(void **state)
{
	(void)state;
	assert_true(ts_design_scale(0.0, 2.0, 6.0, 0) == 2.0);
	assert_true(ts_design_scale(1.0, 2.0, 6.0, 0) == 6.0);
	assert_double_equal(ts_design_scale(0.25, 2.0, 6.0, 0), 3.0, 1e-15);
	assert_double_equal(ts_design_scale(0.25, -1.0, 1.0, 0), -0.5, 1e-15);
	assert_true(ts_design_scale(0.0, 0.01, 100.0, 1) == 0.01);
	assert_true(ts_design_scale(1.0, 0.01, 100.0, 1) == 100.0);
	assert_double_equal(ts_design_scale(0.5, 0.01, 100.0, 1), 1.0, 1e-14);
	assert_double_equal(ts_design_scale(0.75, 0.01, 100.0, 1), 10.0, 1e-13);
	assert_true(isnan(ts_design_scale(0.5, 0.0, 100.0, 1)));
	assert_true(isnan(ts_design_scale(0.5, -1.0, 100.0, 1)));
}

/* Every point of plan p, asked for in `order`, equals row order[k] of array x. */
static void plan_matches_array(ts_design_plan *p, const double *x, const size_t *order, size_t n)
{
	int d = ts_design_plan_dims(p);
	ts_design_cursor *c = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_cursor_alloc(&c, p, &err), TS_OK);
	double u[40];
	for (size_t k = 0; k < n; k++) {
		ts_design_point(c, order[k], u);
		for (int j = 0; j < d; j++)
			if (u[j] != x[order[k] * (size_t)d + (size_t)j])
				fail_msg("point %zu coordinate %d: %.17g, the array has %.17g", order[k], j, u[j],
				         x[order[k] * (size_t)d + (size_t)j]);
	}
	ts_design_cursor_free(c);
	ts_design_plan_free(p);
}

/* In order, backwards, and in a scramble that revisits points. */
static void check_plan_orders(ts_design_plan *(*make)(void), const double *x, size_t n)
{
	size_t *order = malloc(3 * n * sizeof *order);
	for (size_t k = 0; k < n; k++) {
		order[k] = k;
		order[n + k] = n - 1 - k;
		order[2 * n + k] = (k * 7 + 3) % n;
	}
	plan_matches_array(make(), x, order, 3 * n);
	free(order);
}

enum { PN = 37, PD = 3 };

static ts_design_plan *make_grid(void)
{
	const int levels[PD] = {3, 1, 4};
	ts_design_plan *p = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_plan_grid(&p, PD, levels, &err), TS_OK);
	return p;
}

static ts_design_plan *make_lhs(void)
{
	ts_design_plan *p = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_plan_lhs(&p, PN, PD, 11, &err), TS_OK);
	return p;
}

static ts_design_plan *make_sobol(void)
{
	ts_design_plan *p = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_plan_sobol(&p, PN, PD, &err), TS_OK);
	return p;
}

static ts_design_plan *make_saltelli(void)
{
	ts_design_plan *p = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_plan_saltelli(&p, PN, PD, &err), TS_OK);
	return p;
}

static void points_on_demand_equal_the_arrays_in_any_order_of_asking(void **state)
{
	(void)state;
	static double x[PN * (PD + 2) * PD];
	const int levels[PD] = {3, 1, 4};
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_grid(PD, levels, x, &n, &err), TS_OK);
	check_plan_orders(make_grid, x, n);
	assert_int_equal(ts_design_lhs(PN, PD, 11, x, &err), TS_OK);
	check_plan_orders(make_lhs, x, PN);
	assert_int_equal(ts_design_sobol(PN, PD, 1, x, &err), TS_OK);
	check_plan_orders(make_sobol, x, PN);
	assert_int_equal(ts_design_saltelli(PN, PD, x, &err), TS_OK);
	check_plan_orders(make_saltelli, x, PN * (PD + 2));
}

static void a_cursor_walks_forward_and_restarts_only_to_go_back(void **state)
{
	(void)state;
	ts_design_plan *p = make_sobol();
	ts_design_cursor *c = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_cursor_alloc(&c, p, &err), TS_OK);
	double u[PD];
	/* Point i is x_{i+1}: from a fresh cursor, i + 1 steps. */
	assert_int_equal(ts_design_cursor_distance(c, 9), 10);
	ts_design_point(c, 9, u);
	assert_int_equal(ts_design_cursor_distance(c, 9), 0);
	assert_int_equal(ts_design_cursor_distance(c, 12), 3);
	assert_int_equal(ts_design_cursor_distance(c, 4), 5);  /* behind: from the start */
	ts_design_cursor_free(c);
	ts_design_plan_free(p);
	p = make_grid();
	assert_int_equal(ts_design_cursor_alloc(&c, p, &err), TS_OK);
	assert_int_equal(ts_design_cursor_distance(c, 11), 0);  /* a grid point is its index's digits */
	ts_design_cursor_free(c);
	ts_design_plan_free(p);
}

static void an_lhs_plan_refuses_more_than_32_bit_point_indices(void **state)
{
	(void)state;
	ts_design_plan *p = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_plan_lhs(&p, (size_t)UINT32_MAX + 1, 1, 3, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "at most 4294967295"));
	assert_null(p);
}

/* Designs are written into caller arrays sized n x d: nothing past them. */
static void each_design_writes_its_points_and_nothing_past_them(void **state)
{
	(void)state;
	enum { GUARD = 8 };
	double x[6 * 2 + GUARD];
	const int levels[] = {2, 3};
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	for (int k = 0; k < 4; k++) {
		for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
			x[i] = -7.0;
		int rc = k == 0 ? ts_design_grid(2, levels, x, &n, &err)
		       : k == 1 ? ts_design_lhs(6, 2, 5, x, &err)
		       : k == 2 ? ts_design_sobol(6, 2, 1, x, &err)
		       : ts_design_saltelli(1, 2, x, &err);  /* 1 x (2 + 2) rows of 2: 8 doubles */
		assert_int_equal(rc, TS_OK);
		size_t used = k == 3 ? 8 : 12;
		for (size_t i = 0; i < used; i++)
			assert_true(x[i] >= 0.0 && x[i] <= 1.0);
		for (size_t i = used; i < sizeof x / sizeof x[0]; i++)
			assert_true(x[i] == -7.0);
	}
}

/* Sizes are checked before anything is allocated: n x d past SIZE_MAX is
 * an overflow, named as such (not mistaken for another limit). */
static void designs_whose_size_overflows_are_refused_as_overflowing(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(SIZE_MAX / 2, 3, 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimensions overflow"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_lhs(SIZE_MAX / 4, 1, 1, NULL, &err), TS_EINPUT);  /* x 8 bytes overflows */
	assert_non_null(strstr(err.message, "dimensions overflow"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_saltelli(SIZE_MAX / 2, 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimensions overflow"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_saltelli(SIZE_MAX / 12, 5, NULL, &err), TS_EINPUT);  /* x 7 fits, x 5 more not */
	assert_non_null(strstr(err.message, "dimensions overflow"));
}

/* The largest sizes each design accepts pass the checks (an array function
 * given no array then says so, before any work); one more is refused. */
static void each_design_accepts_sizes_up_to_its_limit_inclusive(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(UINT32_MAX, 1, 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output array"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_lhs((size_t)UINT32_MAX + 1, 1, 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "at most 4294967295"));
	ts_error_clear(&err);
	/* Sobol: x_skip .. x_{skip+n-1} must end at or before x_{2^30 - 1}. */
	assert_int_equal(ts_design_sobol(1, 1, TS_DESIGN_SOBOL_INDEX_MAX, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output array"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_sobol(2, 1, TS_DESIGN_SOBOL_INDEX_MAX - 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output array"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_sobol(1, 1, TS_DESIGN_SOBOL_INDEX_MAX + 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "sequence ends"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_saltelli(TS_DESIGN_SOBOL_INDEX_MAX, 20, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output array"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_saltelli(TS_DESIGN_SOBOL_INDEX_MAX + 1, 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "the Sobol sequence has 1073741823"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_saltelli(1, 0, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimension 0 outside [1, 20]"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_lhs(1, 0, 1, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimension 0, need at least 1"));
}

/* Zero points is a valid, empty request for every design. */
static void designs_of_zero_points_are_empty_and_write_nothing(void **state)
{
	(void)state;
	double x[2] = {-1.0, -1.0};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_lhs(0, 2, 3, x, &err), TS_OK);
	assert_int_equal(ts_design_sobol(0, 2, 1, x, &err), TS_OK);
	assert_int_equal(ts_design_saltelli(0, 2, x, &err), TS_OK);
	assert_true(x[0] == -1.0 && x[1] == -1.0);
	/* Nothing to write: no array needed either. */
	assert_int_equal(ts_design_lhs(0, 2, 3, NULL, &err), TS_OK);
	assert_int_equal(ts_design_sobol(0, 2, 1, NULL, &err), TS_OK);
	assert_int_equal(ts_design_saltelli(0, 2, NULL, &err), TS_OK);
	ts_design_plan *p = NULL;
	assert_int_equal(ts_design_plan_lhs(&p, 0, 2, 3, &err), TS_OK);
	assert_int_equal(ts_design_plan_points(p), 0);
	ts_design_plan_free(p);
	assert_int_equal(ts_design_plan_saltelli(&p, 0, 2, &err), TS_OK);
	assert_int_equal(ts_design_plan_points(p), 0);
	ts_design_plan_free(p);
	assert_int_equal(err.status, TS_OK);
}

/* A Saltelli plan of n base rows in d dimensions has n (d + 2) points of d
 * coordinates; a Sobol plan n points of d. */
static void plans_count_their_points_and_dimensions(void **state)
{
	(void)state;
	ts_design_plan *p = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_plan_saltelli(&p, 10, 3, &err), TS_OK);
	assert_int_equal(ts_design_plan_points(p), 50);
	assert_int_equal(ts_design_plan_dims(p), 3);
	ts_design_plan_free(p);
	assert_int_equal(ts_design_plan_sobol(&p, 10, 3, &err), TS_OK);
	assert_int_equal(ts_design_plan_points(p), 10);
	ts_design_plan_free(p);
	const int levels[] = {2, 5};
	assert_int_equal(ts_design_plan_grid(&p, 2, levels, &err), TS_OK);
	assert_int_equal(ts_design_plan_points(p), 10);
	assert_int_equal(ts_design_plan_dims(p), 2);
	ts_design_plan_free(p);
}

/* log(lo) + u (log(hi) - log(lo)) needs both bounds positive; with one
 * not, the result is NaN everywhere, even at u = 0 and u = 1 where the
 * bounds themselves would otherwise be returned. */
static void a_log_scale_with_a_bound_not_positive_is_nan_even_at_the_ends(void **state)
{
	(void)state;
	const double bounds[][2] = {{0.0, 100.0}, {1.0, 0.0}, {1.0, -2.0}, {-1.0, 5.0}};
	const double us[] = {0.0, 0.5, 1.0};
	for (size_t b = 0; b < 4; b++)
		for (size_t k = 0; k < 3; k++)
			if (!isnan(ts_design_scale(us[k], bounds[b][0], bounds[b][1], 1)))
				fail_msg("u %g in [%g, %g] on a log scale: %g", us[k], bounds[b][0], bounds[b][1],
				         ts_design_scale(us[k], bounds[b][0], bounds[b][1], 1));
	/* A linear scale takes any bounds. */
	assert_true(ts_design_scale(0.5, 1.0, -2.0, 0) == -0.5);
}

/* One dimension of three levels: 0, 1/2, 1. */
static void a_one_dimensional_grid_spans_the_unit_interval(void **state)
{
	(void)state;
	const int levels[] = {3};
	double out[3];
	size_t n = 0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_design_grid(1, levels, out, &n, &err), TS_OK);
	assert_int_equal(n, 3);
	assert_true(out[0] == 0.0 && out[1] == 0.5 && out[2] == 1.0);
	assert_int_equal(ts_design_grid(0, levels, out, &n, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "dimension 0, need at least 1"));
}

/* Plans check what the arrays check, and leave *out NULL when refused. */
static void plans_refuse_what_the_designs_refuse(void **state)
{
	(void)state;
	ts_design_plan *p = (ts_design_plan *)&p;  /* not NULL before the call */
	ts_error err = TS_ERROR_INIT;
	const int levels[] = {2, 2};
	assert_int_equal(ts_design_plan_grid(&p, 0, levels, &err), TS_EINPUT);
	assert_null(p);
	p = (ts_design_plan *)&p;
	assert_int_equal(ts_design_plan_sobol(&p, 4, 41, &err), TS_EINPUT);
	assert_null(p);
	p = (ts_design_plan *)&p;
	assert_int_equal(ts_design_plan_saltelli(&p, 4, 21, &err), TS_EINPUT);
	assert_null(p);
	p = (ts_design_plan *)&p;
	assert_int_equal(ts_design_plan_lhs(&p, 4, 2, 0, &err), TS_EINPUT);
	assert_null(p);
	ts_error_clear(&err);
	size_t n = 0;
	assert_int_equal(ts_design_grid(2, NULL, NULL, &n, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no levels or no output count"));
	ts_error_clear(&err);
	assert_int_equal(ts_design_grid(2, levels, NULL, NULL, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no levels or no output count"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grid_varies_the_last_dimension_fastest),
		cmocka_unit_test(grid_with_one_level_sits_at_the_midpoint),
		cmocka_unit_test(grid_without_output_only_counts_points),
		cmocka_unit_test(grid_larger_than_the_cap_or_overflowing_is_rejected),
		cmocka_unit_test(lhs_puts_exactly_one_point_in_each_stratum_of_every_dimension),
		cmocka_unit_test(lhs_is_the_same_for_the_same_seed_and_differs_for_another),
		cmocka_unit_test(lhs_is_the_documented_construction_draw_for_draw),
		cmocka_unit_test(lhs_rejects_seed_zero),
		cmocka_unit_test(sobol_starts_with_the_known_sequence_after_the_zero_point),
		cmocka_unit_test(sobol_rejects_more_than_forty_dimensions_with_a_message),
		cmocka_unit_test(sobol_rejects_points_past_the_end_of_the_sequence),
		cmocka_unit_test(sobol_points_lie_in_the_half_open_unit_cube),
		cmocka_unit_test(saltelli_ab_rows_are_a_with_one_column_from_b),
		cmocka_unit_test(saltelli_rejects_more_than_twenty_dimensions),
		cmocka_unit_test(scale_maps_linearly_or_log_uniformly),
		cmocka_unit_test(points_on_demand_equal_the_arrays_in_any_order_of_asking),
		cmocka_unit_test(a_cursor_walks_forward_and_restarts_only_to_go_back),
		cmocka_unit_test(an_lhs_plan_refuses_more_than_32_bit_point_indices),
		cmocka_unit_test(each_design_writes_its_points_and_nothing_past_them),
		cmocka_unit_test(designs_whose_size_overflows_are_refused_as_overflowing),
		cmocka_unit_test(each_design_accepts_sizes_up_to_its_limit_inclusive),
		cmocka_unit_test(designs_of_zero_points_are_empty_and_write_nothing),
		cmocka_unit_test(plans_count_their_points_and_dimensions),
		cmocka_unit_test(a_log_scale_with_a_bound_not_positive_is_nan_even_at_the_ends),
		cmocka_unit_test(a_one_dimensional_grid_spans_the_unit_interval),
		cmocka_unit_test(plans_refuse_what_the_designs_refuse),
	};
	return cmocka_run_group_tests_name("design", tests, NULL, NULL);
}
