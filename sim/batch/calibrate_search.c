/* The search of a calibration (docs/calibration.md): a space-filling design
 * over the bounds (Sobol or Latin hypercube), Nelder-Mead (GSL's
 * nmsimplex2) from the best design points in coordinates folded into the
 * bounds, and the loss profile along each parameter through the best point.
 * Design and profile points are evaluated -j at a time, one thread each
 * (spread over the processes of a share, a batch at a time); the search's
 * evaluations one after another, each on -j threads (of process 0). Every
 * evaluation is journaled in order, so the outputs do not depend on -j or
 * on the processes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <tradesim/design.h>
#include "batch/calibrate_impl.h"
#include "util/parallel.h"

/* A new evaluation at u, at the end of c->evals; its index in *index. */
static int push_eval(ts_calibration *c, ts_calib_phase phase, int group, const double *u, long *index)
{
	if (c->n_evals == c->cap_evals) {
		long cap = 2 * c->cap_evals + 64;
		ts_calib_eval *grown = realloc(c->evals, (size_t)cap * sizeof *grown);
		if (!grown)
			return TS_ENOMEM;
		c->evals = grown;
		c->cap_evals = cap;
	}
	ts_calib_eval *e = &c->evals[c->n_evals];
	memset(e, 0, sizeof *e);
	int rc = ts_calib_eval_alloc(c, e);
	c->n_evals++;  /* released with the calibration even if incomplete */
	if (rc != TS_OK)
		return rc;
	e->phase = phase;
	e->group = group;
	memcpy(e->u, u, (size_t)c->n_params * sizeof *u);
	*index = c->n_evals - 1;
	return TS_OK;
}

static void progress(ts_calib_run *r, long more)
{
	r->done += more;
	if (r->progress)
		r->progress(r->progress_ctx, r->done, r->total);
}

/* Several evaluations on the executor: one thread each, or all the threads
 * when there is one. */
typedef struct batch {
	ts_calib_run *r;
	long first, *items;          /* items[i]: the i-th evaluation this process makes, from first */
	int threads, *status;
	ts_error *errors;
} batch;

static void batch_item(int i, int worker, void *ctx)
{
	(void)worker;
	batch *b = ctx;
	ts_c_locale loc;
	b->status[i] = ts_c_locale_enter(&loc, &b->errors[i]);  /* threads start in the global locale */
	if (b->status[i] != TS_OK)
		return;
	b->status[i] = ts_calib_evaluate(b->r->c, &b->r->c->evals[b->first + b->items[i]], b->threads, b->r->cancel,
	                                 &b->errors[i]);
	ts_c_locale_leave(&loc);
}

/* This process's share of evaluations first .. first + n - 1 (item i is
 * process i % processes's), each then written as its row into rows[i]. */
static int make_own(ts_calib_run *r, long first, long n, long *items, char **rows, ts_error *err)
{
	int p = r->share ? r->share->process : 0, np = r->share ? r->share->processes : 1, mine = 0;
	for (long i = p; i < n; i += np)
		items[mine++] = i;
	if (mine == 0)
		return TS_OK;
	int *status = calloc((size_t)mine, sizeof *status);
	ts_error *errors = calloc((size_t)mine, sizeof *errors);
	batch b = {r, first, items, n == 1 ? r->jobs : 1, status, errors};
	int rc = status && errors ? ts_parallel_for(mine, r->jobs, batch_item, &b, err)
	                          : ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int i = 0; rc == TS_OK && i < mine; i++) {
		if ((rc = status[i]) != TS_OK)
			ts_error_set(err, rc, "%s", errors[i].message);
		else if (!(rows[items[i]] = ts_calib_row(r->c, &r->c->evals[first + items[i]], r->journal->next + items[i])))
			rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	free(status);
	free(errors);
	return rc;
}

/* Evaluations first .. first + n - 1 (pushed, n <= the batch size): made
 * here or by the other processes, then journaled in order. */
static int make(ts_calib_run *r, long first, long n, ts_error *err)
{
	char **rows = calloc((size_t)n, sizeof *rows);
	long *items = calloc((size_t)n, sizeof *items);
	int rc = rows && items ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK && r->cancel && *r->cancel)
		rc = ts_error_set(err, TS_ECANCELED, "interrupted");
	if (rc == TS_OK)
		rc = make_own(r, first, n, items, rows, err);
	if (r->share && (rc = r->share->exchange(r->share->ctx, rows, n, rc, err)) != TS_OK)
		r->told = 1;
	for (long i = 0; rc == TS_OK && i < n; i++) {
		ts_calib_eval *e = &r->c->evals[first + i];
		if (r->share && i % r->share->processes != r->share->process &&
		    !ts_calib_from_row(r->c, e, r->journal->next, rows[i]))
			rc = ts_error_set(err, TS_EIO, "evaluation %ld: the row process %ld made does not read back",
			                  r->journal->next, i % r->share->processes);
		else if ((rc = ts_calib_journal_append(r->journal, e, err)) == TS_OK)
			progress(r, 1);
	}
	for (long i = 0; rows && i < n; i++)
		free(rows[i]);
	free(rows);
	free(items);
	return rc;
}

/* Evaluations first .. first + n - 1 (pushed): those the journal holds,
 * then the rest a batch at a time. */
static int settle_batch(ts_calib_run *r, long first, long n, ts_error *err)
{
	long size = r->share ? r->share->batch : r->jobs;
	int rc = TS_OK;
	for (long at = first; rc == TS_OK && at < first + n;) {
		while (at < first + n && ts_calib_journal_take(r->journal, &r->c->evals[at])) {
			at++;
			progress(r, 1);
		}
		long chunk = first + n - at < size ? first + n - at : size;
		if (chunk > 0)
			rc = make(r, at, chunk, err);
		at += chunk;
	}
	return rc;
}

static int run_design(ts_calib_run *r, ts_error *err)
{
	ts_calibration *c = r->c;
	int d = c->n_params;
	double *points = malloc((size_t)c->points * (size_t)d * sizeof *points);
	if (!points)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = c->design_lhs ? ts_design_lhs((size_t)c->points, d, (uint32_t)c->seed, points, err)
	                       : ts_design_sobol((size_t)c->points, d, 1, points, err);
	long first = c->n_evals, index = -1;
	for (long i = 0; rc == TS_OK && i < c->points; i++)
		if (push_eval(c, TS_CALIB_DESIGN, (int)i, points + i * d, &index) != TS_OK)
			rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	free(points);
	return rc == TS_OK ? settle_batch(r, first, c->points, err) : rc;
}

/* u folded into [0, 1]: reflected at each bound, so the simplex moves freely
 * and a step past a bound comes back inside (continuous, no flat region). */
static double fold(double x)
{
	double y = fmod(fabs(x), 2.0);
	return y > 1.0 ? 2.0 - y : y;
}

typedef struct nm_ctx {
	ts_calib_run *r;
	int start, rc;
	long used;
	ts_error *err;
} nm_ctx;

static double nm_loss(const gsl_vector *x, void *arg)
{
	nm_ctx *m = arg;
	ts_calibration *c = m->r->c;
	double u[TS_CALIB_MAX_PARAMS];
	long index = -1;
	if (m->rc != TS_OK)
		return TS_CALIB_PENALTY;
	for (int j = 0; j < c->n_params; j++)
		u[j] = fold(gsl_vector_get(x, (size_t)j));
	m->used++;
	if ((m->rc = push_eval(c, TS_CALIB_SEARCH, m->start, u, &index)) != TS_OK)
		ts_error_set(m->err, m->rc, "out of memory");
	else
		m->rc = settle_batch(m->r, index, 1, m->err);
	if (m->rc != TS_OK)
		return TS_CALIB_PENALTY;
	double loss = c->evals[index].loss;
	return isfinite(loss) ? loss : TS_CALIB_PENALTY;
}

/* Nelder-Mead from design point u0, within the start's budget of evaluations. */
static int search_from(ts_calib_run *r, int start, const double *u0, ts_error *err)
{
	ts_calibration *c = r->c;
	size_t d = (size_t)c->n_params;
	nm_ctx m = {r, start, TS_OK, 0, err};
	gsl_multimin_function fn = {nm_loss, d, &m};
	gsl_vector *x = gsl_vector_alloc(d), *step = gsl_vector_alloc(d);
	gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, d);
	if (!x || !step || !s)
		m.rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	for (size_t j = 0; m.rc == TS_OK && j < d; j++) {
		gsl_vector_set(x, j, u0[j]);
		gsl_vector_set(step, j, u0[j] + c->simplex <= 1.0 ? c->simplex : -c->simplex);  /* inward */
	}
	int status = m.rc == TS_OK ? gsl_multimin_fminimizer_set(s, &fn, x, step) : GSL_FAILURE;
	/* An iteration evaluates at most d + 2 points (reflect, expand or
	 * contract, or shrink d corners): start none that could pass the budget. */
	while (status == GSL_SUCCESS && m.rc == TS_OK && m.used + (long)d + 2 <= c->evaluations) {
		status = gsl_multimin_fminimizer_iterate(s);
		if (status == GSL_SUCCESS && gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), c->tolerance) != GSL_CONTINUE)
			break;
	}
	if (m.rc == TS_OK)
		progress(r, c->evaluations - m.used);  /* the budget left unused */
	gsl_multimin_fminimizer_free(s);
	gsl_vector_free(x);
	gsl_vector_free(step);
	return m.rc;
}

/* Whether evaluation i comes before k in loss order: finite before
 * undefined, then the lower loss, then the earlier. */
static int before(const ts_calib_eval *e, long i, long k)
{
	int fi = isfinite(e[i].loss), fk = isfinite(e[k].loss);
	if (fi != fk)
		return fi;
	if (fi && e[i].loss != e[k].loss)
		return e[i].loss < e[k].loss;
	return i < k;
}

static long best_of(const ts_calibration *c)
{
	long best = -1;
	for (long i = 0; i < c->n_evals; i++) {
		const ts_calib_eval *e = &c->evals[i];
		if ((e->phase == TS_CALIB_DESIGN || e->phase == TS_CALIB_SEARCH) && isfinite(e->loss) &&
		    (best < 0 || e->loss < c->evals[best].loss))
			best = i;
	}
	return best;
}

/* The `starts` best design evaluations, best first, into order[]. */
static void best_points(const ts_calibration *c, long *order)
{
	long n = 0;
	for (long i = 0; i < c->points; i++) {  /* the design's evaluations are the first */
		long at = n < c->starts ? n++ : c->starts;
		for (; at > 0 && before(c->evals, i, order[at - 1]); at--)
			if (at < c->starts)
				order[at] = order[at - 1];
		if (at < c->starts)
			order[at] = i;
	}
}

static int run_searches(ts_calib_run *r, ts_error *err)
{
	ts_calibration *c = r->c;
	if (c->starts == 0)
		return TS_OK;
	long *order = malloc((size_t)c->starts * sizeof *order);
	if (!order)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	best_points(c, order);
	int rc = TS_OK;
	double u0[TS_CALIB_MAX_PARAMS];
	for (int k = 0; rc == TS_OK && k < c->starts; k++) {
		if (!isfinite(c->evals[order[k]].loss)) {
			progress(r, c->evaluations);  /* no start here */
			continue;
		}
		memcpy(u0, c->evals[order[k]].u, (size_t)c->n_params * sizeof *u0);
		rc = search_from(r, k, u0, err);
	}
	free(order);
	return rc;
}

static int run_profiles(ts_calib_run *r, ts_error *err)
{
	ts_calibration *c = r->c;
	if (c->profile < 2 || c->best < 0) {
		progress(r, (long)c->n_params * c->profile);
		return TS_OK;
	}
	double u[TS_CALIB_MAX_PARAMS];
	long first = c->n_evals, index = -1;
	for (int j = 0; j < c->n_params; j++)
		for (int k = 0; k < c->profile; k++) {
			memcpy(u, c->evals[c->best].u, (size_t)c->n_params * sizeof *u);
			u[j] = (double)k / (c->profile - 1);
			if (push_eval(c, TS_CALIB_PROFILE, j, u, &index) != TS_OK)
				return ts_error_set(err, TS_ENOMEM, "out of memory");
		}
	return settle_batch(r, first, (long)c->n_params * c->profile, err);
}

int ts_calib_search(ts_calib_run *r, ts_error *err)
{
	progress(r, 0);
	int rc = run_design(r, err);
	if (rc == TS_OK)
		rc = run_searches(r, err);
	if (rc == TS_OK) {
		r->c->best = best_of(r->c);
		rc = run_profiles(r, err);
	}
	return rc;
}
