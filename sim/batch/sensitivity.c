/* Sobol sensitivity indices from a Saltelli design: first order by Saltelli
 * et al. (2010) Table 2 (b), total by Jansen (1999) (Table 2 (f)), with
 * bootstrap percentile intervals over the base rows (Efron and Tibshirani
 * 1993). See sensitivity.h for the formulas and conventions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <tradesim/sensitivity.h>

/* Point estimates from the base rows pick[0 .. n-1] (pick == NULL: rows
 * 0 .. n-1). acc holds 2d doubles of scratch. Writes first[i] and total[i]
 * for i < d; returns whether they are defined: not (all NaN) when the
 * pooled f(A), f(B) values are all equal or their variance is not a
 * positive finite number. */
static int estimate(size_t n, size_t d, const double *y, const size_t *pick, double *acc,
                    double *first, double *total)
{
	const size_t stride = d + 2;
	double sum = 0.0, lowest = INFINITY, highest = -INFINITY;
	for (size_t m = 0; m < n; m++) {
		const double *row = y + (pick ? pick[m] : m) * stride;
		sum += row[0] + row[1];
		lowest = fmin(lowest, fmin(row[0], row[1]));
		highest = fmax(highest, fmax(row[0], row[1]));
	}
	/* Centring on the pooled mean: exact arithmetic would not change the
	 * estimates' expectation; it keeps f(B) (f(AB) - f(A)) from carrying a
	 * large mean times a zero-mean noise term. */
	const double mean = sum / (2.0 * (double)n);
	double squares = 0.0;
	for (size_t m = 0; m < n; m++) {
		const double *row = y + (pick ? pick[m] : m) * stride;
		double a = row[0] - mean, b = row[1] - mean;
		squares += a * a + b * b;
	}
	const double variance = squares / (2.0 * (double)n);
	/* A constant output's computed variance is rounding noise, not zero:
	 * test equality of the values themselves. */
	if (lowest == highest || !(variance > 0.0) || !isfinite(variance)) {
		for (size_t i = 0; i < d; i++)
			first[i] = total[i] = NAN;
		return 0;
	}
	memset(acc, 0, 2 * d * sizeof *acc);
	for (size_t m = 0; m < n; m++) {
		const double *row = y + (pick ? pick[m] : m) * stride;
		const double fa = row[0] - mean, fb = row[1] - mean;
		for (size_t i = 0; i < d; i++) {
			const double fab = row[2 + i] - mean;
			acc[i] += fb * (fab - fa);                /* Saltelli et al. 2010 (b) */
			acc[d + i] += (fa - fab) * (fa - fab);    /* Jansen 1999 (f), times 2 */
		}
	}
	for (size_t i = 0; i < d; i++) {
		first[i] = acc[i] / (double)n / variance;
		total[i] = acc[d + i] / (2.0 * (double)n) / variance;
	}
	return 1;
}

/* Percentile interval of the `count` values in v (sorted here). */
static void percentile_interval(double *v, size_t count, double confidence, double *lo, double *hi)
{
	if (count == 0) {
		*lo = *hi = NAN;
		return;
	}
	gsl_sort(v, 1, count);
	*lo = gsl_stats_quantile_from_sorted_data(v, 1, count, (1.0 - confidence) / 2.0);
	*hi = gsl_stats_quantile_from_sorted_data(v, 1, count, (1.0 + confidence) / 2.0);
}

/* The arguments, and every y finite (each bad one named). */
static int check_args(size_t n, int d, const double *y, int n_boot, double confidence, uint32_t seed,
                      const ts_sobol_index *out, ts_error *err)
{
	if (d < 1)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: dimension %d, need at least 1", d);
	if (n < 2)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: %zu base rows, need at least 2", n);
	if (!y || !out)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: no outputs or no result array");
	if (!(confidence > 0.0 && confidence < 1.0))
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: confidence %g outside (0, 1)", confidence);
	if (n_boot < 0)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: %d bootstrap resamples", n_boot);
	if (n_boot > 0 && seed == 0)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: seed must be in [1, 4294967295], got 0");
	/* gsl_rng_uniform_int draws below mt19937's range, 2^32 - 1. */
	if (n_boot > 0 && n > 4294967295u)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: %zu base rows, the bootstrap "
		                    "handles at most 4294967295", n);
	const size_t stride = (size_t)d + 2;
	if (n > SIZE_MAX / sizeof(size_t) || stride > SIZE_MAX / sizeof(double) / n)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: %zu base rows x %d dimensions overflow", n, d);
	if ((size_t)n_boot > SIZE_MAX / sizeof(double) / 2 / (size_t)d)
		return ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: %d resamples x %d dimensions overflow",
		                    n_boot, d);
	int bad = 0;
	for (size_t k = 0; k < n * stride; k++) {
		if (isfinite(y[k]))
			continue;
		size_t block = k % stride;
		if (block < 2)
			ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: y[%zu] (base row %zu, f(%s)) is %g, "
			             "not finite", k, k / stride, block == 0 ? "A" : "B", y[k]);
		else
			ts_error_set(err, TS_EINPUT, "ts_sensitivity_sobol: y[%zu] (base row %zu, f(AB^(%zu))) is %g, "
			             "not finite", k, k / stride, block - 1, y[k]);
		bad = 1;
	}
	return bad ? TS_EINPUT : TS_OK;
}

/* Percentile intervals from `boot` resamples of the base rows. first, total
 * and acc are scratch (d doubles each, acc 2d); pick n, boot_first 2 d boot. */
static void bootstrap(size_t n, size_t d, const double *y, size_t boot, double confidence, gsl_rng *rng,
                      size_t *pick, double *acc, double *first, double *total, double *boot_first,
                      ts_sobol_index *out)
{
	/* boot_first[i * boot + b]: S_i of resample b; boot_total likewise. */
	double *boot_total = boot_first + d * boot;
	size_t kept = 0;
	for (size_t b = 0; b < boot; b++) {
		for (size_t m = 0; m < n; m++)
			pick[m] = (size_t)gsl_rng_uniform_int(rng, (unsigned long)n);
		if (!estimate(n, d, y, pick, acc, first, total))
			continue;  /* a resample of constant outputs says nothing */
		for (size_t i = 0; i < d; i++) {
			boot_first[i * boot + kept] = first[i];
			boot_total[i * boot + kept] = total[i];
		}
		kept++;
	}
	for (size_t i = 0; i < d; i++) {
		percentile_interval(boot_first + i * boot, kept, confidence, &out[i].first_lo, &out[i].first_hi);
		percentile_interval(boot_total + i * boot, kept, confidence, &out[i].total_lo, &out[i].total_hi);
	}
}

int ts_sensitivity_sobol(size_t n, int d, const double *y, int n_boot, double confidence, uint32_t seed,
                         ts_sobol_index *out, ts_error *err)
{
	int rc = check_args(n, d, y, n_boot, confidence, seed, out, err);
	if (rc != TS_OK)
		return rc;
	const size_t dim = (size_t)d, boot = (size_t)n_boot;
	double *acc = malloc(2 * dim * sizeof *acc);
	double *first = malloc(2 * dim * sizeof *first), *total = first ? first + dim : NULL;
	size_t *pick = boot ? malloc(n * sizeof *pick) : NULL;
	double *boot_first = boot ? malloc(2 * dim * boot * sizeof *boot_first) : NULL;
	gsl_rng *rng = boot ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
	if (!acc || !first || (boot && (!pick || !boot_first || !rng))) {
		rc = ts_error_set(err, TS_ENOMEM, "ts_sensitivity_sobol: out of memory");
	} else {
		estimate(n, dim, y, NULL, acc, first, total);
		for (size_t i = 0; i < dim; i++) {
			out[i].first = first[i];
			out[i].total = total[i];
			out[i].first_lo = out[i].first_hi = out[i].total_lo = out[i].total_hi = NAN;
		}
		if (boot && !isnan(first[0])) {
			gsl_rng_set(rng, seed);
			bootstrap(n, dim, y, boot, confidence, rng, pick, acc, first, total, boot_first, out);
		}
	}
	free(acc);
	free(first);
	free(pick);
	free(boot_first);
	if (rng)
		gsl_rng_free(rng);
	return rc;
}
