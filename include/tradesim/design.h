#ifndef TRADESIM_DESIGN_H
#define TRADESIM_DESIGN_H
/* Experimental designs in the unit cube [0,1]^d for batch experiments.
 * Every design is written row-major into a caller-owned array: point r,
 * coordinate j is out[r * d + j]. Map coordinates to parameter ranges with
 * ts_design_scale(). All functions are pure (no global state) and
 * deterministic; none allocates memory that outlives the call. */
#include <tradesim/api.h>
#include <stddef.h>
#include <stdint.h>
#include <tradesim/error.h>

TS_BEGIN_DECLS

#define TS_DESIGN_GRID_MAX 100000000   /* most points a grid may have */
#define TS_DESIGN_SOBOL_DIM_MAX 40     /* gsl_qrng_sobol's dimension limit */
#define TS_DESIGN_SOBOL_INDEX_MAX 1073741823u /* 2^30 - 1: last Sobol point GSL gives */

/* Full-factorial grid: levels[j] >= 1 values in dimension j, value k of
 * dimension j being k / (levels[j] - 1) (0.5 when levels[j] == 1). Rows are
 * ordered with the LAST dimension varying fastest (like nested loops with
 * dimension 0 outermost). *n_out = product of the levels. out must hold
 * product * d doubles; with out == NULL only *n_out is computed.
 * Returns TS_EINPUT if d < 1, a level is < 1, or the product overflows or
 * exceeds TS_DESIGN_GRID_MAX. */
TS_API int ts_design_grid(int d, const int *levels, double *out, size_t *n_out, ts_error *err);

/* Latin hypercube of n points (McKay, Beckman and Conover 1979,
 * Technometrics 21(2):239-245): each dimension is split into n equal strata
 * [k/n, (k+1)/n), each stratum holds exactly one point, placed uniformly at
 * random inside it, and the strata are permuted independently per dimension.
 * Random numbers come from a gsl_rng mt19937 seeded with `seed` (in
 * [1, 2^32)); per dimension j in order: one gsl_ran_shuffle of 0..n-1, then
 * one uniform per point. Same seed, same design. Points lie in [0, 1).
 * out must hold n * d doubles. */
TS_API int ts_design_lhs(size_t n, int d, uint32_t seed, double *out, ts_error *err);

/* Points x_skip, ..., x_{skip+n-1} of the d-dimensional Sobol sequence
 * (Sobol' 1967; Bratley and Fox 1988, ACM TOMS 14(1):88-100, the
 * implementation behind gsl_qrng_sobol), indexed from x_0 = (0, ..., 0).
 * GSL never emits x_0 itself (its first point is x_1 = (0.5, ..., 0.5)), so
 * skip = 1, the usual choice, starts at x_1; skip = 0 writes the zero point
 * first. Points lie in [0, 1). out must hold n * d doubles.
 * Returns TS_EINPUT if d is outside [1, TS_DESIGN_SOBOL_DIM_MAX] (GSL would
 * silently return garbage) or skip + n - 1 > TS_DESIGN_SOBOL_INDEX_MAX (GSL's
 * 30-bit direction numbers run out). */
TS_API int ts_design_sobol(size_t n, int d, size_t skip, double *out, ts_error *err);

/* Saltelli sampling for Sobol indices (Saltelli 2002, Comput. Phys. Commun.
 * 145:280-297; Saltelli et al. 2010, Comput. Phys. Commun. 181:259-270).
 * Base rows come from the 2d-dimensional Sobol sequence x_1, ..., x_n
 * (ts_design_sobol with skip = 1, hence d <= TS_DESIGN_SOBOL_DIM_MAX / 2):
 * A_j is the first d coordinates of x_{j+1}, B_j the last d. Writes
 * n * (d + 2) rows of d coordinates, in one block of d + 2 rows per base row
 * j: A_j, B_j, AB_j^(1), ..., AB_j^(d), where AB^(i) is A with column i taken
 * from B. Row (j, block b) is out[(j * (d + 2) + b) * d ...]. Feed the model's
 * outputs, in the same order, to ts_sensitivity_sobol(). out must hold
 * n * (d + 2) * d doubles. */
TS_API int ts_design_saltelli(size_t n, int d, double *out, ts_error *err);

/* Map a unit-cube coordinate u in [0, 1] to [lo, hi]: linearly,
 * lo + u (hi - lo), or, when log_scale, log-uniformly, lo (hi / lo)^u (so
 * equal steps in u multiply the value by equal factors; requires lo > 0 and
 * hi > 0). u = 0 gives lo and u = 1 gives hi exactly. Returns NaN when
 * log_scale and lo or hi is not positive. */
TS_API double ts_design_scale(double u, double lo, double hi, int log_scale);

TS_END_DECLS

#endif
