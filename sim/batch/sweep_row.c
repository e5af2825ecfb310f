/* A run's row of sweep.csv: the scenario with the point's values applied,
 * run with the run's seed (to DIR/runs/RUN/ with --series), its metrics
 * reduced, minus the baseline's for `diff` metrics. A run that fails (a
 * value the scenario rejects, a broken invariant) is a "failed" row with its
 * message; only what stops the sweep itself (memory, a symbolic link in the
 * output directory) is an error of the call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "batch/sweep_impl.h"
#include "model/innovation_sizes.h"
#include "output/csv.h"
#include "scenario/vary.h"
#include "util/parallel.h"

/* Baseline metrics of replication rep (common seeds): computed once, by the
 * first thread that needs them; the others wait for it. */
static const ts_baseline *baseline(const ts_sweep *cs, int rep)
{
	ts_sweep *s = (ts_sweep *)cs;  /* the cache is the only mutable part */
	ts_baseline *b = &s->baselines[rep];
	pthread_mutex_lock(&s->lock);
	while (b->state == 1)
		pthread_cond_wait(&s->baseline_done, &s->lock);
	if (b->state == 2) {
		pthread_mutex_unlock(&s->lock);
		return b;
	}
	b->state = 1;
	pthread_mutex_unlock(&s->lock);
	ts_error err = TS_ERROR_INIT;
	double *values = calloc((size_t)s->n_metrics, sizeof *values);
	int rc = values ? ts_metrics_run(s->metrics, s->n_metrics, s->base, ts_sweep_seed(s, rep), NULL, values, &err)
	                : ts_error_set(&err, TS_ENOMEM, "out of memory");
	pthread_mutex_lock(&s->lock);
	b->values = values;
	b->failed = rc != TS_OK;
	b->message = rc != TS_OK ? strdup(err.message) : NULL;
	b->state = 2;
	pthread_cond_broadcast(&s->baseline_done);
	pthread_mutex_unlock(&s->lock);
	return b;
}

/* values[k] -= the base scenario's metric k (same seed) for `diff` metrics;
 * a failed baseline fails the run (run_err). */
static int subtract_baseline(const ts_sweep *s, long run, double *values, ts_error *run_err)
{
	const double *base;
	double *own = NULL;
	if (s->common_seeds) {
		const ts_baseline *b = baseline(s, (int)(run % s->reps));
		if (b->failed)
			return ts_error_set(run_err, TS_ERUN, "baseline run failed: %s", b->message ? b->message : "");
		base = b->values;
	} else {
		ts_error base_err = TS_ERROR_INIT;
		own = calloc((size_t)s->n_metrics, sizeof *own);
		if (!own)
			return ts_error_set(run_err, TS_ENOMEM, "out of memory");
		int rc = ts_metrics_run(s->metrics, s->n_metrics, s->base, ts_sweep_seed(s, run), NULL, own, &base_err);
		if (rc != TS_OK) {
			free(own);
			return ts_error_set(run_err, rc, "baseline run failed: %s", base_err.message);
		}
		base = own;
	}
	for (int k = 0; k < s->n_metrics; k++)
		if (s->metrics[k].diff)
			values[k] -= base[k];
	free(own);
	return TS_OK;
}

int ts_sweep_series_dir(const char *output_dir, long run, char **path, ts_error *err)
{
	size_t m = strlen(output_dir) + 32;
	*path = malloc(m);
	if (!*path)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	snprintf(*path, m, "%s/runs", output_dir);
	int rc = ts_sweep_real_dir(*path, err);
	snprintf(*path, m, "%s/runs/%ld", output_dir, run);
	if (rc == TS_OK)
		rc = ts_sweep_real_dir(*path, err);
	if (rc != TS_OK) {
		free(*path);
		*path = NULL;
	}
	return rc;
}

/* The sweep's scenario with the point's values applied to a copy of it (read
 * once, when the sweep was loaded); a value it rejects goes to run_err (the
 * run fails), what stops the sweep to err. */
static int load_point(const ts_sweep *s, const double *u, ts_scenario **scn, ts_error *run_err, ts_error *err)
{
	int n = s->n_params;
	ts_override *ov = calloc((size_t)(n ? n : 1), sizeof *ov);
	char (*bufs)[64] = calloc((size_t)(n ? n : 1), sizeof *bufs);
	int rc = ov && bufs ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int j = 0; j < n && rc == TS_OK; j++) {
		ov[j].path = s->params[j].path;
		ov[j].value = ts_sweep_value_cfg(s, j, u[j], bufs[j], sizeof bufs[j]);
	}
	if (rc == TS_OK && ts_scenario_vary(scn, s->base, ov, (size_t)n, run_err) == TS_ENOMEM)
		rc = ts_error_set(err, TS_ENOMEM, "%s", run_err->message);
	free(bufs);
	free(ov);
	return rc;
}

/* Runs run `run` and reduces its metrics into values: a failure of the run
 * goes to run_err, what stops the sweep (memory, the series directory) to
 * err, and is returned. */
static int compute(const ts_sweep *s, long run, const double *u, const char *output_dir, int series,
                   ts_innovation_sizes *sizes, double *values, ts_error *run_err, ts_error *err)
{
	ts_scenario *scn = NULL;
	char *dir = NULL;
	int rc = load_point(s, u, &scn, run_err, err);
	if (rc == TS_OK && scn && series && output_dir)
		rc = ts_sweep_series_dir(output_dir, run, &dir, err);
	if (rc == TS_OK && scn) {
		int run_rc = ts_metrics_run_sized(s->metrics, s->n_metrics, scn, ts_sweep_seed(s, run), dir, sizes, values,
		                                  run_err);
		if (run_rc == TS_OK && s->any_diff)
			run_rc = subtract_baseline(s, run, values, run_err);
		if (run_rc == TS_ENOMEM)  /* not the run's doing: a failed row would keep it failed on resume */
			rc = ts_error_set(err, TS_ENOMEM, "%s", run_err->message);
	}
	ts_scenario_free(scn);
	free(dir);
	return rc;
}

/* One line, so sweep.csv keeps one record per line. */
static void flatten(char *text)
{
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = (p[1] == '\0') ? '\0' : ' ';
}

/* The row's text: run,point,rep,seed,values...,metrics...,status,message. */
static int format_row(const ts_sweep *s, long run, const double *u, const double *values, const ts_error *run_err,
                      char **row, ts_error *err)
{
	size_t len = 0;
	char *message = run_err->status != TS_OK ? strdup(run_err->message[0] ? run_err->message
	                                                                         : ts_status_name(run_err->status))
	                                         : NULL;
	FILE *fp = run_err->status != TS_OK && !message ? NULL : open_memstream(row, &len);
	if (!fp) {
		free(message);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	ts_csv csv;
	ts_csv_over(&csv, fp);
	if (message)
		flatten(message);
	ts_csv_int(&csv, run);
	ts_csv_int(&csv, run / s->reps);
	ts_csv_int(&csv, run % s->reps);
	ts_csv_int(&csv, (long)ts_sweep_seed(s, run));
	char buf[64];
	for (int j = 0; j < s->n_params; j++)
		ts_csv_text(&csv, ts_sweep_value_csv(s, j, u[j], buf, sizeof buf));
	for (int k = 0; k < s->n_metrics; k++) {
		if (message)
			ts_csv_text(&csv, "");
		else
			ts_csv_num(&csv, values[k]);
	}
	ts_csv_text(&csv, message ? "failed" : "ok");
	ts_csv_text(&csv, message ? message : "");
	ts_csv_end_row(&csv);
	free(message);
	if ((ts_csv_release(&csv) | fclose(fp)) != 0) {
		free(*row);
		*row = NULL;
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	return TS_OK;
}

int ts_sweep_run_row(const ts_sweep *s, long run, const char *output_dir, int series, char **row, ts_error *err)
{
	return ts_sweep_run_row_sized(s, run, output_dir, series, NULL, row, err);
}

int ts_sweep_run_row_sized(const ts_sweep *s, long run, const char *output_dir, int series,
                           ts_innovation_sizes *sizes, char **row, ts_error *err)
{
	*row = NULL;
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	int rc = ts_c_locale_enter(&loc, err);  /* threads start in the global locale */
	if (rc != TS_OK)
		return rc;
	double *u = calloc((size_t)(s->n_params ? s->n_params : 1), sizeof *u);
	double *values = calloc((size_t)(s->n_metrics ? s->n_metrics : 1), sizeof *values);
	ts_error run_err = TS_ERROR_INIT;
	rc = u && values ? ts_sweep_point(s, run / s->reps, u, err) : ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK)
		rc = compute(s, run, u, output_dir, series, sizes, values, &run_err, err);
	if (rc == TS_OK)
		rc = format_row(s, run, u, values, &run_err, row, err);
	free(values);
	free(u);
	ts_c_locale_leave(&loc);
	return rc;
}
