/* A calibration's run and its reports (docs/calibration.md): best.csv (the
 * best point and its loss), best.cfg (the scenario there), check.csv (each
 * fact's fit there, as `tradesim check` writes it), acceptance.csv (the
 * range of each parameter over the accepted design points) and profile.csv
 * (the loss along each parameter through the best point). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "batch/calibrate_impl.h"
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "util/parallel.h"

void ts_calib_accept(ts_calibration *c)
{
	c->accepted = 0;
	for (int j = 0; j < c->n_params; j++)
		c->acc_lo[j] = c->acc_hi[j] = NAN;
	for (long i = 0; i < c->n_evals; i++) {
		const ts_calib_eval *e = &c->evals[i];
		if (e->phase != TS_CALIB_DESIGN || e->failed || !ts_calib_accepts(c, e->mean))
			continue;
		c->accepted++;
		for (int j = 0; j < c->n_params; j++) {
			c->acc_lo[j] = c->accepted == 1 ? e->value[j] : fmin(c->acc_lo[j], e->value[j]);
			c->acc_hi[j] = c->accepted == 1 ? e->value[j] : fmax(c->acc_hi[j], e->value[j]);
		}
	}
}

/* The unit-cube coordinate of value v of parameter j (log: of log v). */
static double coordinate(const ts_calib_param *p, double v)
{
	return p->log_scale ? log(v / p->lo) / log(p->hi / p->lo) : (v - p->lo) / (p->hi - p->lo);
}

static int write_best(const ts_calibration *c, const char *dir, ts_error *err)
{
	ts_csv f;
	char *header = ts_calib_header(c), *end = header ? strstr(header, ",loss,") : NULL;
	if (!end) {
		free(header);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	*end = '\0';  /* eval,phase,group and the parameters' paths */
	size_t n = strlen(header) + 8;
	char *line = malloc(n);
	if (line)
		snprintf(line, n, "loss,%s", header);
	free(header);
	int rc = line ? ts_csv_open(&f, dir, "best.csv", line, err) : ts_error_set(err, TS_ENOMEM, "out of memory");
	free(line);
	if (rc != TS_OK)
		return rc;
	const ts_calib_eval *e = c->best >= 0 ? &c->evals[c->best] : NULL;
	ts_csv_num(&f, e ? e->loss : NAN);
	if (e)
		ts_csv_int(&f, c->best);
	else
		ts_csv_text(&f, "");
	ts_csv_text(&f, e ? ts_calib_phase_names[e->phase] : "");
	if (e)
		ts_csv_int(&f, e->group);
	else
		ts_csv_text(&f, "");
	for (int j = 0; j < c->n_params; j++)
		ts_csv_num(&f, e ? e->value[j] : NAN);
	ts_csv_end_row(&f);
	return ts_sweep_commit(&f, dir, "best.csv", TS_OK, err);
}

static int write_acceptance(const ts_calibration *c, const char *dir, ts_error *err)
{
	ts_csv f;
	int rc = ts_csv_open(&f, dir, "acceptance.csv", "parameter,lo,hi,scale,best,min,max,width_share,accepted,points", err);
	if (rc != TS_OK)
		return rc;
	for (int j = 0; j < c->n_params; j++) {
		const ts_calib_param *p = &c->params[j];
		ts_csv_text(&f, p->path);
		ts_csv_num(&f, p->lo);
		ts_csv_num(&f, p->hi);
		ts_csv_text(&f, p->log_scale ? "log" : "linear");
		ts_csv_num(&f, c->best >= 0 ? c->evals[c->best].value[j] : NAN);
		ts_csv_num(&f, c->acc_lo[j]);
		ts_csv_num(&f, c->acc_hi[j]);
		ts_csv_num(&f, coordinate(p, c->acc_hi[j]) - coordinate(p, c->acc_lo[j]));
		ts_csv_int(&f, c->accepted);
		ts_csv_int(&f, c->points);
		ts_csv_end_row(&f);
	}
	return ts_sweep_commit(&f, dir, "acceptance.csv", TS_OK, err);
}

static int write_profile(const ts_calibration *c, const char *dir, ts_error *err)
{
	ts_csv f;
	int rc = ts_csv_open(&f, dir, "profile.csv", "parameter,value,loss,accepted,status", err);
	if (rc != TS_OK)
		return rc;
	for (long i = 0; i < c->n_evals; i++) {
		const ts_calib_eval *e = &c->evals[i];
		if (e->phase != TS_CALIB_PROFILE)
			continue;
		ts_csv_text(&f, c->params[e->group].path);
		ts_csv_num(&f, e->value[e->group]);
		ts_csv_num(&f, e->loss);
		ts_csv_text(&f, e->failed ? "" : ts_calib_accepts(c, e->mean) ? "1" : "0");
		ts_csv_text(&f, e->failed ? "failed" : "ok");
		ts_csv_end_row(&f);
	}
	return ts_sweep_commit(&f, dir, "profile.csv", TS_OK, err);
}

static int write_scenario(const ts_calibration *c, const char *dir, ts_error *err)
{
	ts_csv f;
	int rc = ts_csv_open(&f, dir, "best.cfg", NULL, err);
	if (rc != TS_OK)
		return rc;
	rc = ts_scenario_write(c->best_scenario, f.fp, err);
	return ts_sweep_commit(&f, dir, "best.cfg", rc, err);
}

int ts_calib_write(const ts_calibration *c, const char *dir, ts_error *err)
{
	int rc = TS_OK;
	const char *const files[] = {"best.csv", "best.cfg", "check.csv", "acceptance.csv", "profile.csv", NULL};
	for (const char *const *name = files; rc == TS_OK && *name; name++)
		rc = ts_sweep_refuse_link(dir, *name, err);
	if (rc == TS_OK)
		rc = write_best(c, dir, err);
	if (rc == TS_OK && c->best_scenario)
		rc = write_scenario(c, dir, err);
	if (rc == TS_OK && c->best_check)
		rc = ts_check_write_csv(c->best_check, dir, err);
	if (rc == TS_OK)
		rc = write_acceptance(c, dir, err);
	if (rc == TS_OK)
		rc = write_profile(c, dir, err);
	return rc;
}

/* Forgets an earlier run's results. */
static void reset(ts_calibration *c)
{
	for (long i = 0; i < c->n_evals; i++)
		ts_calib_eval_release(&c->evals[i]);
	c->n_evals = 0;
	c->best = -1;
	c->accepted = 0;
	ts_check_free(c->best_check);
	ts_scenario_free(c->best_scenario);
	c->best_check = NULL;
	c->best_scenario = NULL;
}

/* The best point scored again: its scenario and check (for best.cfg, check.csv). */
static int score_best(ts_calib_run *r, ts_error *err)
{
	ts_calibration *c = r->c;
	int rc = TS_OK;
	if (c->best >= 0) {
		const double *value = c->evals[c->best].value;
		rc = ts_calib_scenario(c, value, &c->best_scenario, err);
		if (rc == TS_OK)
			rc = ts_calib_check(c, c->best_scenario, value, r->jobs, r->cancel, &c->best_check, err);
	}
	r->done++;
	if (rc == TS_OK && r->progress)
		r->progress(r->progress_ctx, r->done, r->total);
	return rc;
}

/* Process 0 (or a process alone) locks and claims the directory and reads
 * back its journal; every process of a share then holds the same rows. */
static int open_journal(ts_calib_journal *j, const ts_calibration *c, const ts_calibrate_options *o, ts_error *err)
{
	const ts_calibrate_share *share = o->share;
	if (share && (share->processes < 1 || share->process < 0 || share->process >= share->processes ||
	              share->batch < 1 || !share->exchange))
		return ts_error_set(err, TS_EINPUT, "calibrate: a share needs 0 <= process < processes, a batch and an exchange");
	int rc = TS_OK;
	if (share && share->process > 0)
		ts_calib_journal_quiet(j, c);
	else
		rc = ts_calib_journal_open(j, c, o->output_dir, o->force, err);
	if (share) {
		if (rc != TS_OK)
			ts_calib_journal_quiet(j, c);  /* closed by the failed open */
		rc = ts_calib_journal_share(j, share, rc, err);
		if (rc != TS_OK)
			ts_calib_journal_close(j, 0, NULL);
	}
	return rc;
}

int ts_calibration_run(ts_calibration *c, const ts_calibrate_options *o, ts_error *err)
{
	reset(c);
	if (!o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory");
	if (!c->acc_lo && (!(c->acc_lo = calloc((size_t)c->n_params, sizeof(double))) ||
	                   !(c->acc_hi = calloc((size_t)c->n_params, sizeof(double)))))
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	ts_c_locale loc;
	int rc = ts_c_locale_enter(&loc, err);  /* numbers written and read back with '.' */
	if (rc != TS_OK)
		return rc;
	int jobs = o->jobs > 0 ? o->jobs : ts_cpu_count(), writes = !o->share || o->share->process == 0;
	ts_calib_journal journal;
	rc = open_journal(&journal, c, o, err);
	if (rc == TS_OK) {
		ts_calib_run r = {c, o->share, &journal, jobs > 4096 ? 4096 : jobs, o->cancel, o->progress,
		                  o->progress_ctx, 0, ts_calibration_budget(c), 0};
		rc = ts_calib_search(&r, err);
		/* A failure here after the last exchange (a row written, or read
		 * back) told the others; they are at their next exchange, or this. */
		if (o->share && !r.told)
			rc = o->share->exchange(o->share->ctx, NULL, 0, rc, err);
		if (rc == TS_OK && writes)  /* the files' content: the others need none of it */
			rc = score_best(&r, err);
		if (rc == TS_OK) {
			ts_calib_accept(c);
			if (writes)
				rc = ts_calib_write(c, o->output_dir, err);
		}
		int closed = ts_calib_journal_close(&journal, rc == TS_OK, err);
		rc = rc == TS_OK ? closed : rc;
	}
	ts_c_locale_leave(&loc);
	return rc;
}

double ts_calibration_best_loss(const ts_calibration *c) { return c->best >= 0 ? c->evals[c->best].loss : NAN; }
double ts_calibration_best_value(const ts_calibration *c, int j) { return c->best >= 0 ? c->evals[c->best].value[j] : NAN; }
long ts_calibration_accepted(const ts_calibration *c) { return c->accepted; }
long ts_calibration_evaluations(const ts_calibration *c) { return c->n_evals; }

void ts_calibration_range(const ts_calibration *c, int j, double *lo, double *hi)
{
	*lo = c->acc_lo ? c->acc_lo[j] : NAN;
	*hi = c->acc_hi ? c->acc_hi[j] : NAN;
}

long ts_calibration_failed(const ts_calibration *c)
{
	long n = 0;
	for (long i = 0; i < c->n_evals; i++)
		n += c->evals[i].failed;
	return n;
}
