/* The clearing's factored sums (docs/model.md §5, "Implementation"): in a
 * sector with many firms above their knee, the Newton terms summed as the
 * sparse segments' common parts plus each firm's exceptions, plus the
 * other segments cell by cell, are the sums over every cell to rounding;
 * and a run cleared so is a run cleared cell by cell, to the solver's
 * tolerance. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include "model_world.h"

/* Twelve countries of three segments each buy one sector from n_firms
 * firms (a multiple of 12), as many in each country, whose capacity (the
 * same in all whatever their number) falls short of demand (every firm
 * above its knee); home bias everywhere (the domestic firms are each
 * segment's exceptions), C0's tariff on C1's firms from step 0 and C4's
 * on C5's from step 3 (wedges: measures that change the cells mid-run),
 * and C2's ban on C3's firms over steps 0-2, lifted so that its segments'
 * ties grow back and settle (share half-life 0.05 years). */
static tu_run sector_of(int cells_only, int n_firms)
{
	char text[16384];
	int len = snprintf(text, sizeof text,
		"run = { steps = 16; start = \"2020Q1\"; seed = 3; };\n"
		"model = { innovation_zeta = 0.0; imitation_zeta = 0.0; share_half_life = 0.05; };\n"
		"sectors = { chips = { elasticity = 4.0; }; };\n"
		"countries = {\n");
	for (int c = 0; c < 12; c++)
		len += snprintf(text + len, sizeof text - (size_t)len,
		                "  C%d = { home_bias = %.2f; markets = { chips = { size = %.1f; government = 0.1; "
		                "infrastructure = 0.2; }; }; };\n", c, 0.1 + 0.05 * c, 80.0 + 10.0 * c);
	len += snprintf(text + len, sizeof text - (size_t)len, "};\nfirms = {\n");
	for (int f = 0; f < n_firms; f++)
		len += snprintf(text + len, sizeof text - (size_t)len,
		                "  F%d = { country = \"C%d\"; sector = \"chips\"; capacity = %.1f; tech = %.2f; };\n",
		                f, f / (n_firms / 12), (14.0 + (double)(f % 7)) * 48.0 / n_firms, 0.03 * (double)(f % 5));
	snprintf(text + len, sizeof text - (size_t)len, "};\n"
		"measures = {\n"
		"  t1 = { type = \"tariff\"; actor = \"C0\"; target = \"C1\"; rate = 0.25; start = 0; };\n"
		"  t2 = { type = \"tariff\"; actor = \"C4\"; target = \"C5\"; rate = 0.5; start = 3; };\n"
		"  ban = { type = \"market_ban\"; actor = \"C2\"; target = \"C3\"; start = 0; end = 2; };\n"
		"};\n");
	tu_run r = tu_run_text(text, 3, 0);
	r.sim->clear_cells_only = cells_only;
	return r;
}

/* The sector of 48 firms, four in each country: more above their knee
 * than the dense block takes. */
static tu_run crowded_sector(int cells_only)
{
	return sector_of(cells_only, 48);
}

/* |a - b| within `relative` of the larger of the two. */
#define assert_near(a, b, relative) assert_double_equal((a), (b), (relative) * fmax(fabs(a), fabs(b)))

/* Whether the active firms' terms of sector 0 are summed factored: some
 * segment sparse and enough firms active. */
static int factors(const ts_sim *w, int n)
{
	return w->fexc_min_active[0] != INT_MAX && n >= w->fexc_min_active[0];
}

/* After each step, both runs' terms at the factored run's prices (copied
 * into the other): the same active firms, each's real demand d, its own
 * share part D, the active firms' weight in every segment, to 1e-12
 * relative, and the cross terms: the dense block where it takes every
 * active firm, else their common part (H, and each row's e and f, to
 * 1e-12 of H: they sum terms of both signs), each row's own term and
 * their product with a vector; counted, the steps where the
 * sums were factored, with some segment read cell by cell beside them or
 * none, and those whose cross terms were the common part. */
static void the_factored_terms_are_the_sums_over_every_cell(void **state)
{
	(void)state;
	tu_run f = crowded_sector(0), c = crowded_sector(1);
	ts_sim *a = f.sim, *b = c.sim;
	int factored_steps = 0, mixed_steps = 0, sparse_steps = 0, common_steps = 0;
	for (int t = 0; t < 16; t++) {
		tu_run_steps(a, 1);
		tu_run_steps(b, 1);
		for (int i = 0; i < a->nf; i++) {  /* the same state: the factored run's prices */
			b->clear_z[i] = a->clear_z[i];
			b->price_factor[i] = a->price_factor[i];
			b->factor_weight[i] = a->factor_weight[i];
		}
		int n = ts_clearing_terms(a, 0);
		assert_int_equal(ts_clearing_terms(b, 0), n);
		factored_steps += factors(a, n);
		mixed_steps += factors(a, n) && a->dense_seg_count[0] > 0;
		sparse_steps += factors(a, n) && a->dense_seg_count[0] == 0;
		for (int q = 0; q < n; q++) {
			assert_near(a->clear_d[q], b->clear_d[q], 1e-12);
			assert_near(a->clear_cs[q], b->clear_cs[q], 1e-12);
		}
		for (int m = 0; m < a->nmseg; m++)
			assert_near(a->clear_active[m], b->clear_active[m], 1e-12);
		if (n <= a->clear_dense) {
			for (int x = 0; x < n * n; x++)
				assert_near(a->clear_matrix[x], b->clear_matrix[x], 1e-12);
			continue;
		}
		common_steps++;
		double h = a->clear_cross_common;
		assert_true(h > 0.0);
		assert_near(h, b->clear_cross_common, 1e-12);
		double v[48], ya[48], yb[48];
		assert_true(n <= 48);
		for (int q = 0; q < n; q++) {
			assert_double_equal(a->clear_cross_e[q], b->clear_cross_e[q], 1e-12 * h);
			assert_double_equal(a->clear_cross_f[q], b->clear_cross_f[q], 1e-12 * h);
			assert_near(a->clear_cross_diag[q], b->clear_cross_diag[q], 1e-12);
			v[q] = 1.0 + 0.125 * q;
		}
		ts_clearing_cross_apply(a, 0, n, v, ya);
		ts_clearing_cross_apply(b, 0, n, v, yb);
		for (int q = 0; q < n; q++)
			assert_near(ya[q], yb[q], 1e-12);
	}
	assert_true(common_steps >= 14);  /* 48 firms above their knee, more than the dense block takes */
	assert_true(factored_steps >= 14);
	assert_true(mixed_steps >= 1);   /* while C2's ties grow back */
	assert_true(sparse_steps >= 1);  /* once they have settled */
	tu_run_free(&f);
	tu_run_free(&c);
}

/* Twelve firms, one in each country, all above their knee: few enough
 * for the dense block. After each step, the product of the cross terms
 * with a vector of positive entries, applied without forming them (the
 * Newton steps of more firms than the dense block takes), is the dense
 * block times the vector, to 1e-12 relative (every term is positive), in
 * the run summed factored and in the one summed cell by cell. */
static void the_cross_terms_applied_are_the_dense_block_times_a_vector(void **state)
{
	(void)state;
	for (int cells_only = 0; cells_only <= 1; cells_only++) {
		tu_run r = sector_of(cells_only, 12);
		ts_sim *w = r.sim;
		for (int t = 0; t < 16; t++) {
			tu_run_steps(w, 1);
			int n = ts_clearing_terms(w, 0);
			assert_int_equal(n, 12);
			assert_true(n <= w->clear_dense);
			double v[12], y[12];
			for (int q = 0; q < n; q++)
				v[q] = 1.0 + 0.25 * q;
			ts_clearing_cross_apply(w, 0, n, v, y);
			for (int q = 0; q < n; q++) {
				double dense = 0.0;
				for (int x = 0; x < n; x++)
					dense += w->clear_matrix[q * n + x] * v[x];
				assert_true(dense > 0.0);
				assert_near(y[q], dense, 1e-12);
			}
		}
		tu_run_free(&r);
	}
}

/* Run on their own, the two clear to the same prices and sales: the
 * solver's tolerance (1e-10 in log excess demand) apart at most. */
static void a_run_cleared_factored_is_a_run_cleared_cell_by_cell(void **state)
{
	(void)state;
	tu_run f = crowded_sector(0), c = crowded_sector(1);
	for (int t = 0; t < 16; t++) {
		tu_run_steps(f.sim, 1);
		tu_run_steps(c.sim, 1);
		for (int i = 0; i < f.sim->nf; i++) {
			assert_true(f.sim->price_factor[i] > 1.0);  /* every firm above its knee */
			assert_near(f.sim->price_factor[i], c.sim->price_factor[i], 1e-9);
			assert_near(f.sim->final_sales[i], c.sim->final_sales[i], 1e-9);
		}
	}
	tu_run_free(&f);
	tu_run_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_factored_terms_are_the_sums_over_every_cell),
		cmocka_unit_test(a_run_cleared_factored_is_a_run_cleared_cell_by_cell),
		cmocka_unit_test(the_cross_terms_applied_are_the_dense_block_times_a_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
