/* Running a sweep in one process: the shard's runs on the thread executor
 * (util/parallel.h), each on its own thread's sim and gsl_rng, their rows
 * handed over in run order through the executor's window (memory flat in
 * the number of runs) and appended to the journal, which a later call
 * resumes from. */
#include <stdlib.h>
#include "batch/sweep_impl.h"
#include "model/innovation_sizes.h"
#include "util/parallel.h"

typedef struct sweep_job {
	const ts_sweep *s;
	const ts_sweep_options *o;
	const ts_sweep_journal *j;
	ts_innovation_sizes **sizes;  /* per worker: the runs on one thread share their draws */
} sweep_job;

/* Item k is the shard's k-th run; its result, the row. */
static int run_item(long k, int worker, void *ctx, void **result, ts_error *err)
{
	const sweep_job *job = ctx;
	char *row = NULL;
	if (!job->sizes[worker])  /* the worker's first run: its table, NULL when out of memory (none) */
		job->sizes[worker] = ts_innovation_sizes_new();
	int rc = ts_sweep_run_row_sized(job->s, ts_sweep_journal_run_id(job->j, k), job->o->output_dir, job->o->series,
	                                job->sizes[worker], &row, err);
	*result = row;
	return rc;
}

/* Appends rows as the executor hands them over, in run order, until it is
 * drained or a write fails. Returns the rows written in *written. */
static int write_rows(ts_executor *x, ts_sweep_journal *j, long *written, ts_error *err)
{
	long k;
	void *row;
	int rc = TS_OK;
	*written = ts_sweep_journal_done(j);
	while (rc == TS_OK && ts_executor_next(x, -1, &k, &row) == TS_EXECUTOR_RESULT) {
		rc = ts_sweep_journal_append(j, row, err);
		free(row);
		if (rc == TS_OK) {
			*written = k + 1;
			ts_sweep_journal_report(j);
		}
	}
	return rc;
}

int ts_sweep_run(const ts_sweep *s, const ts_sweep_options *o, ts_error *err)
{
	ts_sweep_journal *j = NULL;
	int rc = ts_sweep_journal_open(&j, s, o, err);
	if (rc != TS_OK)
		return rc;
	int jobs = o->jobs > 0 ? o->jobs : ts_cpu_count();
	sweep_job job = {s, o, j, calloc((size_t)jobs, sizeof *job.sizes)};
	if (!job.sizes) {
		ts_sweep_journal_close(j, NULL);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	ts_executor_options xo = TS_EXECUTOR_OPTIONS_INIT;
	xo.jobs = jobs;
	xo.begin = ts_sweep_journal_done(j);
	xo.end = ts_sweep_journal_total(j);
	xo.window = 4 * (long)jobs + 16;  /* a few rows per thread may wait for a slow one */
	xo.cancel = o->cancel;
	xo.work = run_item;
	xo.ctx = &job;
	ts_sweep_journal_report(j);
	ts_executor *x = NULL;
	long written = xo.begin;
	rc = ts_executor_start(&x, &xo, err);
	if (rc == TS_OK) {
		rc = write_rows(x, j, &written, err);
		int xrc = ts_executor_finish(x, rc == TS_OK ? err : NULL);
		if (rc == TS_OK)
			rc = xrc;
	}
	if (rc == TS_OK && written < xo.end)
		rc = ts_error_set(err, TS_ECANCELED, "%s: stopped after %ld of %ld runs", o->output_dir, written, xo.end);
	int crc = ts_sweep_journal_close(j, rc == TS_OK ? err : NULL);
	for (int w = 0; w < jobs; w++)
		ts_innovation_sizes_free(job.sizes[w]);
	free(job.sizes);
	return rc == TS_OK ? crc : rc;
}
