#ifndef TRADESIM_SENSITIVITY_H
#define TRADESIM_SENSITIVITY_H
/* Variance-based global sensitivity analysis (Sobol' 1993, 2001): how much
 * of an output's variance each input explains alone (first-order index S_i)
 * and with all its interactions (total index S_Ti), estimated from a
 * Saltelli design (ts_design_saltelli in design.h). */
#include <tradesim/api.h>
#include <stddef.h>
#include <stdint.h>
#include <tradesim/error.h>

TS_BEGIN_DECLS

typedef struct ts_sobol_index {
	double first, first_lo, first_hi;   /* S_i and its bootstrap interval */
	double total, total_lo, total_hi;   /* S_Ti and its bootstrap interval */
} ts_sobol_index;

/* Sobol indices of the d inputs from y, the model's outputs at the n * (d + 2)
 * points of ts_design_saltelli(n, d, ...), in the same order: for base row j,
 * y[j*(d+2)] = f(A_j), y[j*(d+2)+1] = f(B_j), y[j*(d+2)+2+i] = f(AB_j^(i)).
 * Writes out[0 .. d-1], one entry per input; indices are dimensionless
 * shares of the output variance.
 *
 * Estimators (Saltelli et al. 2010, Comput. Phys. Commun. 181:259-270,
 * Table 2): first order by their eq. (b),
 *     V_i  = mean_j f(B_j) (f(AB_j^(i)) - f(A_j)),
 * total by Jansen (1999), Comput. Phys. Commun. 117:35-43 (their eq. (f)),
 *     VT_i = mean_j (f(A_j) - f(AB_j^(i)))^2 / 2,
 * both divided by V, the variance (denominator 2n) of all 2n values f(A_j)
 * and f(B_j) together. The outputs are first centred on that pooled mean: the
 * estimates are unchanged in expectation and less noisy for outputs far from
 * zero. Sampling noise can put estimates slightly outside [0, 1].
 *
 * Intervals: bootstrap percentile intervals (Efron and Tibshirani 1993, ch.
 * 13) at level `confidence` in (0, 1), e.g. 0.95, from n_boot resamples of
 * the base rows j drawn with replacement (gsl_rng mt19937 seeded with `seed`
 * in [1, 2^32); deterministic per seed). The bootstrap treats the base rows
 * as independent draws, which makes it conservative for quasi-random (Sobol)
 * designs. n_boot = 0 gives NaN bounds (and seed is then ignored).
 *
 * Zero output variance (a constant output): every index and bound is NaN and
 * the call still returns TS_OK. Resamples with zero variance are left out of
 * the intervals.
 *
 * Returns TS_EINPUT if n < 2, d < 1, confidence is outside (0, 1), n_boot < 0,
 * or any y is not finite (each such y[k] is named with its base row and block:
 * callers filter failed runs). TS_ENOMEM if the bootstrap's work arrays
 * cannot be allocated. */
TS_API int ts_sensitivity_sobol(size_t n, int d, const double *y, int n_boot, double confidence, uint32_t seed,
                         ts_sobol_index *out, ts_error *err);

TS_END_DECLS

#endif
