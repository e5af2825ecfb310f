/* Sobol indices from a finished Saltelli sweep: each metric's mean over a
 * point's replications, read back from DIR/sweep.csv, goes to
 * ts_sensitivity_sobol (sensitivity.h); DIR/sensitivity.csv gets one row per
 * metric and parameter. The directory is locked while it is written. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sensitivity.h>
#include <tradesim/stats.h>
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "util/lock.h"
#include "util/parallel.h"

/* y[k * n_points + point]: metric k's mean over the point's replications.
 * A failed run stops the analysis: the indices need every point. */
static int read_means(const ts_sweep *s, FILE *f, const char *path, double *y, ts_error *err)
{
	int d = s->n_params, nm = s->n_metrics, nf = ts_sweep_field_count(s);
	size_t np = (size_t)s->n_points;
	int *count = calloc(np, sizeof *count);
	char **fields = malloc((size_t)(nf + 1) * sizeof *fields), *line = NULL, *end;
	size_t cap = 0;
	long failed = 0, first_failed = -1;
	int rc = count && fields ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK && getline(&line, &cap, f) <= 0)
		rc = ts_error_set(err, TS_EIO, "%s: empty", path);
	ts_error why = TS_ERROR_INIT;  /* the reason is not reported: the row is "malformed" */
	while (rc == TS_OK && getline(&line, &cap, f) > 0) {
		long point = -1;
		int n = 0;
		if (ts_csv_split(line, fields, nf, &n, &why) == TS_OK && n == nf)
			point = strtol(fields[1], &end, 10);
		if (point < 0 || (size_t)point >= np || *end != '\0') {
			rc = ts_error_set(err, TS_EIO, "%s: malformed row", path);
		} else if (strcmp(fields[nf - 2], "ok") != 0) {
			if (failed++ == 0)
				first_failed = atol(fields[0]);
		} else {
			for (int k = 0; k < nm; k++)
				y[(size_t)k * np + (size_t)point] += strtod(fields[4 + d + k], NULL);
			count[point]++;
		}
	}
	if (rc == TS_OK && failed)
		rc = ts_error_set(err, TS_ERUN, "%s: %ld runs failed (first: run %ld); Sobol indices need every point", path,
		                  failed, first_failed);
	for (int k = 0; k < nm && rc == TS_OK; k++)
		for (size_t p = 0; p < np; p++)
			y[(size_t)k * np + p] = count[p] ? y[(size_t)k * np + p] / count[p] : NAN;
	free(line);
	free(fields);
	free(count);
	return rc;
}

/* sensitivity.csv from the means y. */
static int write_indices(const ts_sweep *s, const char *dir, const double *y, ts_error *err)
{
	int d = s->n_params;
	ts_sobol_index *idx = malloc((size_t)d * sizeof *idx);
	ts_csv out;
	int rc = idx ? ts_csv_open(&out, dir, "sensitivity.csv",
	                           "metric,parameter,first,first_lo,first_hi,total,total_lo,total_hi,n,confidence", err)
	             : ts_error_set(err, TS_ENOMEM, "out of memory");
	if (!idx)
		memset(&out, 0, sizeof out);
	for (int k = 0; k < s->n_metrics && rc == TS_OK; k++) {
		rc = ts_sensitivity_sobol((size_t)s->points_setting, d, y + (size_t)k * (size_t)s->n_points, s->bootstrap,
		                          s->confidence, ts_seed_derive(s->seed, 0xB007u), idx, err);
		for (int j = 0; j < d && rc == TS_OK; j++) {
			ts_csv_text(&out, s->metrics[k].name);
			ts_csv_text(&out, s->params[j].path);
			ts_csv_num(&out, idx[j].first);
			ts_csv_num(&out, idx[j].first_lo);
			ts_csv_num(&out, idx[j].first_hi);
			ts_csv_num(&out, idx[j].total);
			ts_csv_num(&out, idx[j].total_lo);
			ts_csv_num(&out, idx[j].total_hi);
			ts_csv_int(&out, s->points_setting);
			ts_csv_num(&out, s->confidence);
			ts_csv_end_row(&out);
		}
	}
	rc = ts_sweep_commit(&out, dir, "sensitivity.csv", rc, err);
	free(idx);
	return rc;
}

int ts_sweep_sensitivity(const ts_sweep *s, const char *dir, ts_error *err)
{
	if (s->design != TS_SWEEP_SALTELLI)
		return ts_error_set(err, TS_EINPUT, "sensitivity needs a Saltelli design");
	size_t n = (size_t)s->n_points * (size_t)s->n_metrics;
	double *y = calloc(n ? n : 1, sizeof *y);
	char *path = ts_sweep_path(dir, "sweep.csv");
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	int rc = y && path ? ts_sweep_lock(&lock, dir, err) : ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK)
		rc = ts_c_locale_enter(&loc, err);  /* numbers read and written with '.' */
	FILE *f = rc == TS_OK ? fopen(path, "rb") : NULL;
	if (rc == TS_OK && !f)
		rc = ts_error_set(err, TS_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (rc == TS_OK)
		rc = read_means(s, f, path, y, err);
	if (rc == TS_OK)
		rc = write_indices(s, dir, y, err);
	if (f)
		fclose(f);
	if (loc.c)
		ts_c_locale_leave(&loc);
	ts_dir_lock_release(&lock);
	free(path);
	free(y);
	return rc;
}
