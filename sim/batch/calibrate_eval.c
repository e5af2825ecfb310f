/* One candidate of a calibration: the scenario with the free parameters at
 * its values, run over the same R seeds as every other candidate (common
 * random numbers) and scored fact by fact as `tradesim check` scores it;
 * the loss of the method of simulated moments from the means. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/design.h>
#include "batch/calibrate_impl.h"
#include "batch/sweep_impl.h"

const char *const ts_calib_phase_names[4] = {"design", "search", "profile", "best"};

double ts_calib_value(const ts_calibration *c, int j, double u)
{
	const ts_calib_param *p = &c->params[j];
	return ts_design_scale(u < 0.0 ? 0.0 : u > 1.0 ? 1.0 : u, p->lo, p->hi, p->log_scale);
}

double ts_calib_loss(const ts_calibration *c, const double *mean)
{
	double loss = 0.0;
	for (int k = 0; k < c->facts->n_facts; k++) {
		const ts_fact *f = &c->facts->facts[k];
		double z = (mean[k] - f->observed) / f->tolerance;
		loss += z * z;
	}
	return isfinite(loss) ? loss : NAN;
}

int ts_calib_accepts(const ts_calibration *c, const double *mean)
{
	for (int k = 0; k < c->facts->n_facts; k++) {
		const ts_fact *f = &c->facts->facts[k];
		if (!(fabs(mean[k] - f->observed) <= f->tolerance))
			return 0;
	}
	return 1;
}

int ts_calib_eval_alloc(const ts_calibration *c, ts_calib_eval *e)
{
	size_t d = (size_t)c->n_params, nk = (size_t)c->facts->n_facts;
	e->u = calloc(d, sizeof *e->u);
	e->value = calloc(d, sizeof *e->value);
	e->mean = calloc(nk, sizeof *e->mean);
	e->loss = NAN;
	e->failed = 0;
	e->message = NULL;
	return e->u && e->value && e->mean ? TS_OK : TS_ENOMEM;
}

void ts_calib_eval_release(ts_calib_eval *e)
{
	free(e->u);
	free(e->value);
	free(e->mean);
	free(e->message);
	e->u = e->value = e->mean = NULL;
	e->message = NULL;
}

/* The overrides of the values (texts in buf, 64 bytes each). */
static void overrides_of(const ts_calibration *c, const double *value, ts_override *ov, char (*buf)[64])
{
	for (int j = 0; j < c->n_params; j++) {
		ts_sweep_float_literal(buf[j], 64, value[j]);
		ov[j] = (ts_override){c->params[j].path, buf[j]};
	}
}

int ts_calib_scenario(const ts_calibration *c, const double *value, ts_scenario **out, ts_error *err)
{
	ts_override ov[TS_CALIB_MAX_PARAMS];
	char buf[TS_CALIB_MAX_PARAMS][64];
	overrides_of(c, value, ov, buf);
	return ts_scenario_load_string(out, c->scenario_text, c->scenario_path, c->scenario_dir, ov,
	                               (size_t)c->n_params, err);
}

int ts_calib_check(const ts_calibration *c, const ts_scenario *s, const double *value, int jobs,
                   volatile sig_atomic_t *cancel, ts_check **out, ts_error *err)
{
	ts_override ov[TS_CALIB_MAX_PARAMS];
	char buf[TS_CALIB_MAX_PARAMS][64];
	overrides_of(c, value, ov, buf);
	int rc = ts_check_load(out, s, c->facts_path, ov, (size_t)c->n_params, err);
	if (rc != TS_OK)
		return rc;
	ts_check_options o = TS_CHECK_OPTIONS_INIT;
	o.reps = c->reps;
	o.jobs = jobs;
	o.base_seed = (uint32_t)c->seed;
	o.cancel = cancel;
	rc = ts_check_run(*out, &o, err);
	if (rc != TS_OK) {
		ts_check_free(*out);
		*out = NULL;
	}
	return rc;
}

/* The first line of a failure's message, kept in e. */
static int record_failure(ts_calib_eval *e, const ts_error *local)
{
	const char *nl = strchr(local->message, '\n');
	size_t n = nl ? (size_t)(nl - local->message) : strlen(local->message);
	e->failed = 1;
	e->loss = NAN;
	e->message = strndup(local->message, n);
	return e->message ? TS_OK : TS_ENOMEM;
}

int ts_calib_evaluate(const ts_calibration *c, ts_calib_eval *e, int jobs, volatile sig_atomic_t *cancel,
                      ts_error *err)
{
	for (int j = 0; j < c->n_params; j++)
		e->value[j] = ts_calib_value(c, j, e->u[j]);
	for (int k = 0; k < c->facts->n_facts; k++)
		e->mean[k] = NAN;
	ts_error local = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	ts_check *chk = NULL;
	int rc = ts_calib_scenario(c, e->value, &s, &local);
	if (rc == TS_OK)
		rc = ts_calib_check(c, s, e->value, jobs, cancel, &chk, &local);
	if (rc == TS_OK) {
		for (int k = 0; k < c->facts->n_facts; k++) {
			ts_fact_score score;
			ts_check_score(chk, k, &score);
			e->mean[k] = score.mean;
		}
		e->loss = ts_calib_loss(c, e->mean);
	}
	ts_check_free(chk);
	ts_scenario_free(s);
	if (rc == TS_ENOMEM || rc == TS_ECANCELED)
		return ts_error_set(err, rc, "%s", local.message);
	return rc == TS_OK ? TS_OK : record_failure(e, &local) == TS_OK ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
}
