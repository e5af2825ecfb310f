/* Experimental designs in the unit cube: full-factorial grids, Latin
 * hypercubes (McKay, Beckman and Conover 1979), Sobol sequences (Bratley and
 * Fox 1988, through gsl_qrng_sobol) and Saltelli's A/B/AB sampling for Sobol
 * indices (Saltelli 2002; Saltelli et al. 2010). Sources are cited at each
 * function in design.h. Each design is one plan (design_plan.h) that gives
 * point i on demand; the array functions of design.h walk a plan from its
 * first point. GSL is called only with arguments checked here, so its error
 * handler is never reached except on allocation failure. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "batch/design_plan.h"
#include "util/assert.h"

typedef enum plan_kind { PLAN_GRID, PLAN_LHS, PLAN_SOBOL, PLAN_SALTELLI } plan_kind;

struct ts_design_plan {
	plan_kind kind;
	int d;                       /* coordinates of a point */
	size_t n;                    /* points */
	int *levels;                 /* grid: [d] */
	uint32_t *stratum;           /* lhs: [j * n + i], the stratum of point i in dimension j */
	gsl_rng **jitter;            /* lhs: [d], the generator right after dimension j's shuffle */
};

struct ts_design_cursor {
	const ts_design_plan *p;
	size_t at;                   /* Sobol: index k of x_k in `last` (0: none yet);
	                                lhs: draws taken from each jitter generator */
	gsl_qrng *q;                 /* Sobol, Saltelli */
	gsl_rng **jitter;            /* lhs: [d] */
	double *last;                /* Sobol: x_at (2d coordinates for Saltelli); lhs: point at - 1 */
};

/* rows * cols would overflow size_t. */
static int size_overflows(size_t rows, size_t cols)
{
	return cols != 0 && rows > SIZE_MAX / cols;
}

static ts_design_plan *plan_new(plan_kind kind, int d, size_t n, ts_error *err)
{
	ts_design_plan *p = calloc(1, sizeof *p);
	if (!p) {
		ts_error_set(err, TS_ENOMEM, "out of memory");
		return NULL;
	}
	p->kind = kind;
	p->d = d;
	p->n = n;
	return p;
}

void ts_design_plan_free(ts_design_plan *p)
{
	if (!p)
		return;
	if (p->jitter)
		for (int j = 0; j < p->d; j++)
			if (p->jitter[j])
				gsl_rng_free(p->jitter[j]);
	free(p->jitter);
	free(p->stratum);
	free(p->levels);
	free(p);
}

size_t ts_design_plan_points(const ts_design_plan *p) { return p->n; }
int ts_design_plan_dims(const ts_design_plan *p) { return p->d; }

/* ---- grids ---- */

/* The number of points of a grid, checked against TS_DESIGN_GRID_MAX. */
static int grid_size(int d, const int *levels, size_t *n_out, ts_error *err)
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
	if (size_overflows(n, (size_t)d))
		return ts_error_set(err, TS_EINPUT, "ts_design_grid: %zu points x %d dimensions overflow", n, d);
	*n_out = n;
	return TS_OK;
}

/* Point r: the mixed-radix digits of r, last dimension least significant. */
static void grid_point(int d, const int *levels, size_t r, double *u)
{
	size_t rest = r;
	for (int j = d - 1; j >= 0; j--) {
		size_t k = rest % (size_t)levels[j];
		rest /= (size_t)levels[j];
		u[j] = levels[j] == 1 ? 0.5 : (double)k / (double)(levels[j] - 1);
	}
}

int ts_design_plan_grid(ts_design_plan **out, int d, const int *levels, ts_error *err)
{
	*out = NULL;
	size_t n = 0;
	int rc = grid_size(d, levels, &n, err);
	if (rc != TS_OK)
		return rc;
	ts_design_plan *p = plan_new(PLAN_GRID, d, n, err);
	if (!p)
		return TS_ENOMEM;
	p->levels = malloc((size_t)d * sizeof *p->levels);
	if (!p->levels) {
		ts_design_plan_free(p);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	memcpy(p->levels, levels, (size_t)d * sizeof *levels);
	*out = p;
	return TS_OK;
}

int ts_design_grid(int d, const int *levels, double *out, size_t *n_out, ts_error *err)
{
	size_t n = 0;
	int rc = grid_size(d, levels, n_out ? &n : NULL, err);  /* no count to fill: refused there */
	if (rc != TS_OK)
		return rc;
	*n_out = n;
	for (size_t r = 0; out && r < n; r++)
		grid_point(d, levels, r, out + r * (size_t)d);
	return TS_OK;
}

/* ---- Latin hypercubes ---- */

static int lhs_check(size_t n, int d, uint32_t seed, ts_error *err)
{
	if (d < 1)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: dimension %d, need at least 1", d);
	if (seed == 0)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: seed must be in [1, 4294967295], got 0");
	if (size_overflows(n, (size_t)d) || size_overflows(n * (size_t)d, sizeof(double)))
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: %zu points x %d dimensions overflow", n, d);
	if (n > UINT32_MAX)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: %zu points, at most %lu", n, (unsigned long)UINT32_MAX);
	return TS_OK;
}

/* Per dimension j in order: one gsl_ran_shuffle of the strata 0 .. n-1 (its
 * draws do not depend on the element size, so 32-bit strata shuffle as
 * size_t ones would), then one uniform per point, which the cursor redraws
 * from the state saved here. */
static int lhs_strata(ts_design_plan *p, uint32_t seed, ts_error *err)
{
	size_t n = p->n, d = (size_t)p->d;
	p->stratum = malloc((n ? n : 1) * d * sizeof *p->stratum);
	p->jitter = calloc(d, sizeof *p->jitter);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = p->stratum && p->jitter && rng ? TS_OK : ts_error_set(err, TS_ENOMEM, "ts_design_lhs: out of memory");
	if (rng)
		gsl_rng_set(rng, seed);
	for (size_t j = 0; j < d && rc == TS_OK; j++) {
		uint32_t *s = p->stratum + j * n;
		for (size_t i = 0; i < n; i++)
			s[i] = (uint32_t)i;
		if (n > 0)  /* gsl_ran_shuffle counts down from n - 1 */
			gsl_ran_shuffle(rng, s, n, sizeof *s);
		if (!(p->jitter[j] = gsl_rng_clone(rng)))
			rc = ts_error_set(err, TS_ENOMEM, "ts_design_lhs: out of memory");
		for (size_t i = 0; i < n; i++)
			(void)gsl_rng_uniform(rng);
	}
	if (rng)
		gsl_rng_free(rng);
	return rc;
}

int ts_design_plan_lhs(ts_design_plan **out, size_t n, int d, uint32_t seed, ts_error *err)
{
	*out = NULL;
	int rc = lhs_check(n, d, seed, err);
	if (rc != TS_OK)
		return rc;
	ts_design_plan *p = plan_new(PLAN_LHS, d, n, err);
	if (!p)
		return TS_ENOMEM;
	rc = lhs_strata(p, seed, err);
	if (rc != TS_OK) {
		ts_design_plan_free(p);
		return rc;
	}
	*out = p;
	return TS_OK;
}

/* Coordinates of point i: stratum plus a uniform in [0, 1), over n. */
static void lhs_point(ts_design_cursor *c, size_t i, double *u)
{
	const ts_design_plan *p = c->p;
	if (c->at == i + 1) {  /* asked again (replications of a point) */
		memcpy(u, c->last, (size_t)p->d * sizeof *u);
		return;
	}
	if (c->at > i) {
		for (int j = 0; j < p->d; j++)
			gsl_rng_memcpy(c->jitter[j], p->jitter[j]);
		c->at = 0;
	}
	/* gsl_rng_uniform is in [0, 1); (n - 1 + v) / n can still round up to 1
	 * for large n, hence the clamp. */
	const double below_one = nextafter(1.0, 0.0);
	for (int j = 0; j < p->d; j++) {
		for (size_t k = c->at; k < i; k++)
			(void)gsl_rng_uniform(c->jitter[j]);
		double v = gsl_rng_uniform(c->jitter[j]);
		double x = ((double)p->stratum[(size_t)j * p->n + i] + v) / (double)p->n;
		u[j] = c->last[j] = x < 1.0 ? x : below_one;
	}
	c->at = i + 1;
}

/* ---- Sobol and Saltelli ---- */

static int sobol_check(size_t n, int d, size_t skip, ts_error *err)
{
	if (d < 1 || d > TS_DESIGN_SOBOL_DIM_MAX)
		return ts_error_set(err, TS_EINPUT, "ts_design_sobol: dimension %d outside [1, %d] "
		                    "(gsl_qrng_sobol's limit)", d, TS_DESIGN_SOBOL_DIM_MAX);
	if (n > 0 && (skip > TS_DESIGN_SOBOL_INDEX_MAX || n - 1 > TS_DESIGN_SOBOL_INDEX_MAX - skip))
		return ts_error_set(err, TS_EINPUT, "ts_design_sobol: points %zu to %zu requested, the "
		                    "sequence ends at %u", skip, skip + (n - 1), TS_DESIGN_SOBOL_INDEX_MAX);
	if (size_overflows(n, (size_t)d))
		return ts_error_set(err, TS_EINPUT, "ts_design_sobol: %zu points x %d dimensions overflow", n, d);
	return TS_OK;
}

static int saltelli_check(size_t n, int d, ts_error *err)
{
	if (d < 1 || d > TS_DESIGN_SOBOL_DIM_MAX / 2)
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: dimension %d outside [1, %d] "
		                    "(needs a Sobol sequence of twice the dimension)", d, TS_DESIGN_SOBOL_DIM_MAX / 2);
	if (size_overflows(n, (size_t)d + 2) || size_overflows(n * ((size_t)d + 2), (size_t)d))
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: %zu base rows x %d dimensions overflow", n, d);
	if (n > TS_DESIGN_SOBOL_INDEX_MAX)
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: %zu base rows, the Sobol sequence "
		                    "has %u", n, TS_DESIGN_SOBOL_INDEX_MAX);
	return TS_OK;
}

int ts_design_plan_sobol(ts_design_plan **out, size_t n, int d, ts_error *err)
{
	*out = NULL;
	int rc = sobol_check(n, d, 1, err);
	if (rc != TS_OK)
		return rc;
	*out = plan_new(PLAN_SOBOL, d, n, err);
	return *out ? TS_OK : TS_ENOMEM;
}

int ts_design_plan_saltelli(ts_design_plan **out, size_t n, int d, ts_error *err)
{
	*out = NULL;
	int rc = saltelli_check(n, d, err);
	if (rc != TS_OK)
		return rc;
	*out = plan_new(PLAN_SALTELLI, d, n * ((size_t)d + 2), err);
	return *out ? TS_OK : TS_ENOMEM;
}

/* Moves the cursor to x_k (k >= 1) of its Sobol sequence: forward from where
 * it stands, or from the start. GSL's k-th call returns x_k. */
static void sobol_seek(ts_design_cursor *c, size_t k)
{
	if (k < c->at) {
		gsl_qrng_init(c->q);
		c->at = 0;
	}
	for (; c->at < k; c->at++) {
		int rc = gsl_qrng_get(c->q, c->last);
		TS_ASSERT(rc == 0);  /* the plan checked k against the sequence's end */
		(void)rc;
	}
}

/* Block b of a Saltelli base row: A, B, or A with column b - 2 from B. */
static void saltelli_block(const double *base, size_t d, size_t b, double *u)
{
	const double *a = base, *bb = base + d;
	for (size_t c = 0; c < d; c++)
		u[c] = b == 1 || (b >= 2 && c == b - 2) ? bb[c] : a[c];
}

/* ---- cursors ---- */

int ts_design_cursor_alloc(ts_design_cursor **out, const ts_design_plan *p, ts_error *err)
{
	*out = NULL;
	ts_design_cursor *c = calloc(1, sizeof *c);
	int sobol_dims = p->kind == PLAN_SALTELLI ? 2 * p->d : p->d;
	int ok = c && (c->last = calloc((size_t)sobol_dims, sizeof *c->last));
	if (ok && (p->kind == PLAN_SOBOL || p->kind == PLAN_SALTELLI))
		ok = (c->q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)sobol_dims)) != NULL;
	if (ok && p->kind == PLAN_LHS) {
		ok = (c->jitter = calloc((size_t)p->d, sizeof *c->jitter)) != NULL;
		for (int j = 0; ok && j < p->d; j++)
			ok = (c->jitter[j] = gsl_rng_clone(p->jitter[j])) != NULL;
	}
	if (c)
		c->p = p;
	if (!ok) {
		ts_design_cursor_free(c);
		return ts_error_set(err, TS_ENOMEM, "out of memory for a design cursor");
	}
	*out = c;
	return TS_OK;
}

void ts_design_cursor_free(ts_design_cursor *c)
{
	if (!c)
		return;
	if (c->q)
		gsl_qrng_free(c->q);
	if (c->jitter)
		for (int j = 0; j < c->p->d; j++)
			if (c->jitter[j])
				gsl_rng_free(c->jitter[j]);
	free(c->jitter);
	free(c->last);
	free(c);
}

/* The index the cursor's generator must stand at for point i: x_k for Sobol
 * (k = i + 1), for Saltelli the base row's, for LHS i + 1 draws. */
static size_t target(const ts_design_plan *p, size_t i)
{
	return p->kind == PLAN_SALTELLI ? i / ((size_t)p->d + 2) + 1 : i + 1;
}

size_t ts_design_cursor_distance(const ts_design_cursor *c, size_t i)
{
	if (c->p->kind == PLAN_GRID)
		return 0;
	size_t k = target(c->p, i);
	return k >= c->at ? k - c->at : k;
}

void ts_design_point(ts_design_cursor *c, size_t i, double *u)
{
	const ts_design_plan *p = c->p;
	TS_ASSERT(i < p->n);
	switch (p->kind) {
	case PLAN_GRID:
		grid_point(p->d, p->levels, i, u);
		break;
	case PLAN_LHS:
		lhs_point(c, i, u);
		break;
	case PLAN_SOBOL:
		sobol_seek(c, target(p, i));
		memcpy(u, c->last, (size_t)p->d * sizeof *u);
		break;
	case PLAN_SALTELLI:
		sobol_seek(c, target(p, i));
		saltelli_block(c->last, (size_t)p->d, i % ((size_t)p->d + 2), u);
		break;
	}
}

/* ---- whole designs into arrays (design.h) ---- */

/* Points 0 .. n-1 of plan p into out, row-major; frees p. */
static int plan_to_array(ts_design_plan *p, double *out, ts_error *err)
{
	ts_design_cursor *c = NULL;
	int rc = ts_design_cursor_alloc(&c, p, err);
	for (size_t i = 0; rc == TS_OK && i < p->n; i++)
		ts_design_point(c, i, out + i * (size_t)p->d);
	ts_design_cursor_free(c);
	ts_design_plan_free(p);
	return rc;
}

int ts_design_lhs(size_t n, int d, uint32_t seed, double *out, ts_error *err)
{
	int rc = lhs_check(n, d, seed, err);
	if (rc != TS_OK || n == 0)
		return rc;
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_design_lhs: no output array");
	ts_design_plan *p = NULL;
	rc = ts_design_plan_lhs(&p, n, d, seed, err);
	return rc == TS_OK ? plan_to_array(p, out, err) : rc;
}

int ts_design_sobol(size_t n, int d, size_t skip, double *out, ts_error *err)
{
	int rc = sobol_check(n, d, skip, err);
	if (rc != TS_OK || n == 0)
		return rc;
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
	/* GSL's k-th call returns x_k; discard x_1 .. x_{skip-1}. The index
	 * check above keeps every call inside the sequence. */
	for (size_t k = 1; k < skip; k++)
		TS_ASSERT_OK(gsl_qrng_get(q, out));
	for (; r < n; r++)
		TS_ASSERT_OK(gsl_qrng_get(q, out + r * (size_t)d));
	gsl_qrng_free(q);
	return TS_OK;
}

int ts_design_saltelli(size_t n, int d, double *out, ts_error *err)
{
	int rc = saltelli_check(n, d, err);
	if (rc != TS_OK || n == 0)
		return rc;
	if (!out)
		return ts_error_set(err, TS_EINPUT, "ts_design_saltelli: no output array");
	ts_design_plan *p = NULL;
	rc = ts_design_plan_saltelli(&p, n, d, err);
	return rc == TS_OK ? plan_to_array(p, out, err) : rc;
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
