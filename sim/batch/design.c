/* Experimental designs in the unit cube: full-factorial grids, Latin
 * hypercubes (McKay, Beckman and Conover 1979), Sobol sequences (Bratley and
 * Fox 1988, through gsl_qrng_sobol) and Saltelli's A/B/AB sampling for Sobol
 * indices (Saltelli 2002; Saltelli et al. 2010). Sources are cited at each
 * function in design.h. GSL is called only with arguments checked here, so
 * its error handler is never reached except on allocation failure. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <tradesim/design.h>

/* rows * cols without overflowing size_t; 0 on success. */
static int size_mul(size_t rows, size_t cols, size_t *out)
{
	if (cols != 0 && rows > SIZE_MAX / cols)
		return -1;
	*out = rows * cols;
	return 0;
}

int ts_design_grid(int d, const int *levels, double *out, size_t *n_out, ts_error *err)
{
	if (d < 1)
		return ts_error_set(err, TS_EINPUT, "ts_design_grid: dimension %d, need at least 1", d);
	if (!levels || !n_out)
		return ts_error_set(err, TS_EINPUT, "ts_design_grid: no levels or no output count");
	size_t n = 1;
	for (int j = 0; j < d; j++) {
		if (levels[j] < 1)
			return ts_error_set(err, TS_EINPUT, "ts_design_grid: dimension %d has %d levels, need at least 1",
			                    j, levels[j]);
		/* Checked before multiplying, so n never exceeds the cap. */
		if (n > TS_DESIGN_GRID_MAX / (size_t)levels[j])
			return ts_error_set(err, TS_EINPUT, "ts_design_grid: more than %d points (levels multiply "
			                    "past it at dimension %d)", TS_DESIGN_GRID_MAX, j);
		n *= (size_t)levels[j];
	}
	size_t cells;
	if (size_mul(n, (size_t)d, &cells))
		return ts_error_set(err, TS_EINPUT, "ts_design_grid: %zu points x %d dimensions overflow", n, d);
	*n_out = n;
	if (!out)
		return TS_OK;
	for (size_t r = 0; r < n; r++) {
		size_t rest = r;  /* mixed-radix digits of r, last dimension least significant */
		for (int j = d - 1; j >= 0; j--) {
			size_t k = rest % (size_t)levels[j];
			rest /= (size_t)levels[j];
			out[r * (size_t)d + (size_t)j] = levels[j] == 1 ? 0.5 : (double)k / (double)(levels[j] - 1);
		}
	}
	return TS_OK;
}

int ts_design_lhs(size_t n, int d, uint32_t seed, double *out, ts_error *err)
{
	if (d < 1)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: dimension %d, need at least 1", d);
	if (seed == 0)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: seed must be in [1, 4294967295], got 0");
	size_t cells;
	if (size_mul(n, (size_t)d, &cells) || n > SIZE_MAX / sizeof(size_t))
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: %zu points x %d dimensions overflow", n, d);
	if (n == 0)
		return TS_OK;
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: no output array");
	size_t *stratum = malloc(n * sizeof *stratum);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!stratum || !rng) {
		free(stratum);
		if (rng)
			gsl_rng_free(rng);
		return ts_error_set(err, TS_ENOMEM, "ts_design_lhs: out of memory");
	}
	gsl_rng_set(rng, seed);
	const double below_one = nextafter(1.0, 0.0);
	for (int j = 0; j < d; j++) {
		for (size_t i = 0; i < n; i++)
			stratum[i] = i;
		gsl_ran_shuffle(rng, stratum, n, sizeof *stratum);
		for (size_t i = 0; i < n; i++) {
			/* gsl_rng_uniform is in [0, 1); (n - 1 + u) / n can still round
			 * up to 1 for large n, hence the clamp. */
			double x = ((double)stratum[i] + gsl_rng_uniform(rng)) / (double)n;
			out[i * (size_t)d + (size_t)j] = x < 1.0 ? x : below_one;
		}
	}
	gsl_rng_free(rng);
	free(stratum);
	return TS_OK;
}

int ts_design_sobol(size_t n, int d, size_t skip, double *out, ts_error *err)
{
	if (d < 1 || d > TS_DESIGN_SOBOL_DIM_MAX)
		return ts_error_set(err, TS_EINPUT, "ts_design_sobol: dimension %d outside [1, %d] "
		                    "(gsl_qrng_sobol's limit)", d, TS_DESIGN_SOBOL_DIM_MAX);
	if (n == 0)
		return TS_OK;
	if (skip > TS_DESIGN_SOBOL_INDEX_MAX || n - 1 > TS_DESIGN_SOBOL_INDEX_MAX - skip)
		return ts_error_set(err, TS_EINPUT, "ts_design_sobol: points %zu to %zu requested, the "
		                    "sequence ends at %u", skip, skip + (n - 1), TS_DESIGN_SOBOL_INDEX_MAX);
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_design_sobol: no output array");
	gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)d);
	if (!q)
		return ts_error_set(err, TS_ENOMEM, "ts_design_sobol: out of memory");
	size_t r = 0;
	if (skip == 0) {  /* x_0, which GSL does not emit */
		for (int j = 0; j < d; j++)
			out[j] = 0.0;
		r = 1;
	}
	/* GSL's k-th call returns x_k; discard x_1 .. x_{skip-1}. */
	for (size_t k = 1; k < skip; k++)
		if (gsl_qrng_get(q, out) != 0)
			goto exhausted;
	for (; r < n; r++)
		if (gsl_qrng_get(q, out + r * (size_t)d) != 0)
			goto exhausted;
	gsl_qrng_free(q);
	return TS_OK;
exhausted:  /* unreachable given the index check above; kept as a guard */
	gsl_qrng_free(q);
	return ts_error_set(err, TS_ERUN, "ts_design_sobol: gsl_qrng_sobol ran out of points");
}

int ts_design_saltelli(size_t n, int d, double *out, ts_error *err)
{
	if (d < 1 || d > TS_DESIGN_SOBOL_DIM_MAX / 2)
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: dimension %d outside [1, %d] "
		                    "(needs a Sobol sequence of twice the dimension)", d, TS_DESIGN_SOBOL_DIM_MAX / 2);
	size_t rows, cells;
	if (size_mul(n, (size_t)d + 2, &rows) || size_mul(rows, (size_t)d, &cells))
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: %zu base rows x %d dimensions overflow", n, d);
	if (n == 0)
		return TS_OK;
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: no output array");
	if (n > TS_DESIGN_SOBOL_INDEX_MAX)
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: %zu base rows, the Sobol sequence "
		                    "has %u", n, TS_DESIGN_SOBOL_INDEX_MAX);
	gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * d));
	if (!q)
		return ts_error_set(err, TS_ENOMEM, "ts_design_saltelli: out of memory");
	const size_t dim = (size_t)d, block = (dim + 2) * dim;
	double base[TS_DESIGN_SOBOL_DIM_MAX];
	for (size_t j = 0; j < n; j++) {
		if (gsl_qrng_get(q, base) != 0) {  /* unreachable given the check above */
			gsl_qrng_free(q);
			return ts_error_set(err, TS_ERUN, "ts_design_saltelli: gsl_qrng_sobol ran out of points");
		}
		double *a = out + j * block, *b = a + dim;
		for (size_t c = 0; c < dim; c++) {
			a[c] = base[c];
			b[c] = base[dim + c];
		}
		for (size_t i = 0; i < dim; i++) {
			double *ab = a + (2 + i) * dim;
			for (size_t c = 0; c < dim; c++)
				ab[c] = c == i ? b[c] : a[c];
		}
	}
	gsl_qrng_free(q);
	return TS_OK;
}

double ts_design_scale(double u, double lo, double hi, int log_scale)
{
	if (log_scale && !(lo > 0.0 && hi > 0.0))
		return NAN;
	if (u == 0.0)
		return lo;
	if (u == 1.0)
		return hi;
	if (log_scale)
		return exp(log(lo) + u * (log(hi) - log(lo)));
	return lo + u * (hi - lo);
}
