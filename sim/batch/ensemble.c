/* Replications and comparisons: every replication runs on its own sim and
 * gsl_rng (one thread each), writes its rows to its thread's scratch files,
 * copied into the tables in replication order while later replications run
 * (rep_rows.h), and its numeric values to its own slot of a temporary file
 * (rep_values.h), from which the summaries are computed a block of cells at
 * a time (cells.h). So -j never changes a byte, and memory does not grow
 * with the number of replications. */
#define _GNU_SOURCE  /* sync_file_range */
#include <fcntl.h>
#include <pthread.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <tradesim/ensemble.h>
#include <tradesim/sim.h>
#include <tradesim/stats.h>
#include <tradesim/version.h>
#include "batch/cells.h"
#include "batch/metric.h"
#include "batch/rep_rows.h"
#include "batch/rep_values.h"
#include "output/csv.h"
#include "output/json.h"
#include "output/outdir.h"
#include "output/run.h"
#include "output/tables.h"
#include "util/assert.h"
#include "util/parallel.h"
#include "util/progress.h"

/* Values a worker of the summary pass holds at once by default (2 MiB of
 * doubles; a comparison holds two such blocks): about 1,300 cells of 200
 * replications, so that the blocks (25 for default.cfg) share out evenly
 * over the workers. */
#define DEFAULT_BLOCK_VALUES ((size_t)1 << 18)

typedef struct ensemble {
	const ts_scenario *s;
	int steps, reps, jobs;
	const uint32_t *seeds;
	ts_cell_table tab[TS_CELLS_MAX_TABLES];
	int ntab;
	size_t per_rep;              /* numeric values of one replication, every table */
	double *rep_buf;             /* [worker * per_rep + ...]: the running replication's values */
	ts_rep_values values;        /* every replication's values, on disk */
	size_t block_values;         /* values of all replications the summary pass holds at once */
	ts_rep_rows rows;            /* replications' rows on their way to the tables */
	int has_rows;                /* 0: rows are only checked */
	int row_tables[TS_REP_ROWS_MAX_TABLES]; /* the tables whose rows are kept, in ts_tables order */
	int n_row_tables;            /* (the others' rows are only checked) */
	const ts_metric *totals;     /* metrics of each replication (a comparison's totals) */
	int n_totals;
	ts_metric_state *total_states; /* [worker * n_totals + k]: the running replication's */
	double *total_values;        /* [k * reps + rep] */
	ts_error *errs;              /* [worker]: the failure of the first replication that failed there */
	int *failed_rep;             /* [worker]: that replication; -1: none */
	volatile sig_atomic_t *cancel; /* may be NULL */
	/* may be NULL: the caller's progress callback, once per finished run
	 * (A's and B's runs of a comparison count together) */
	ts_progress_counter *progress;
} ensemble;

typedef struct rep_ctx {
	ensemble *e;
	int rep;
	double *values;              /* the worker's slice of rep_buf */
	ts_csv *files;               /* the worker's row files, one per kept table; NULL: none */
	ts_metric_state *totals;     /* the worker's states of the totals */
} rep_ctx;

/* The step's rows of the kept tables to the replication's files, and for
 * the others (all of them with no files) only the check that every value
 * that must be defined is finite. A write error shows at the end of the
 * replication (ts_rep_rows_end). */
static int write_step(const rep_ctx *c, const struct ts_sim *w, const char *date, ts_error *err)
{
	const ensemble *e = c->e;
	int rc = TS_OK, k = 0;
	for (int t = 0; t < ts_n_tables && rc == TS_OK; t++) {
		int kept = c->files && k < e->n_row_tables && e->row_tables[k] == t;
		rc = kept ? ts_table_write(&ts_tables[t], &c->files[k++], w, date, c->rep, err)
		          : ts_table_check(&ts_tables[t], w, date, err);
	}
	if (rc == TS_OK && e->n_totals)
		rc = ts_metric_states_step(e->totals, c->totals, e->n_totals, w, err);
	return rc;
}

static int collect_step(const struct ts_sim *w, const char *date, void *arg, ts_error *err)
{
	rep_ctx *c = arg;
	ensemble *e = c->e;
	int rc = ts_check_cancel(e->cancel, w->step + 1, err);
	if (rc == TS_OK)
		rc = write_step(c, w, date, err);
	for (int t = 0; t < e->ntab && rc == TS_OK; t++) {
		ts_cell_table *et = &e->tab[t];
		if (et->t->rows(w) != et->rows)
			return ts_error_set(err, TS_ERUN, "%s: %d rows at step %d, expected %d", et->t->file,
			                    et->t->rows(w), w->step, et->rows);
		double *v = c->values + et->first + (size_t)w->step * (size_t)et->rows * (size_t)et->nnum;
		for (int r = 0; r < et->rows; r++)
			for (int k = 0; k < et->nnum; k++)
				*v++ = ts_table_value(et->t, w, r, et->num[k]);
	}
	return rc;
}

/* The totals of replication rep, its states done, to their places. */
static void put_totals(ensemble *e, int rep, const ts_metric_state *st)
{
	double v[64];
	for (int k0 = 0; k0 < e->n_totals; k0 += 64) {
		int n = e->n_totals - k0 < 64 ? e->n_totals - k0 : 64;
		ts_metric_states_values(e->totals + k0, st + k0, n, v);
		for (int k = 0; k < n; k++)
			e->total_values[(size_t)(k0 + k) * (size_t)e->reps + (size_t)rep] = v[k];
	}
}

/* Runs replication rep on `worker`: its rows to the worker's row files
 * (where they lie into *chunk) if the ensemble keeps rows, its values to
 * its slot on disk. A failure is also kept for first_failure. */
static int run_one(ensemble *e, int rep, int worker, ts_rep_chunk *chunk, ts_error *err)
{
	rep_ctx c = {e, rep, e->rep_buf + (size_t)worker * e->per_rep,
	             e->has_rows ? ts_rep_rows_files(&e->rows, worker) : NULL,
	             e->n_totals ? e->total_states + (size_t)worker * (size_t)e->n_totals : NULL};
	for (size_t i = 0; i < e->per_rep; i++)
		c.values[i] = NAN;
	ts_metric_states_init(c.totals, e->n_totals);
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	int rc = ts_c_locale_enter(&loc, err);  /* threads start in the global locale */
	if (rc == TS_OK)
		rc = ts_check_cancel(e->cancel, 0, err);  /* interrupted before it started */
	if (rc == TS_OK && c.files)
		ts_rep_rows_begin(&e->rows, worker, chunk);
	if (rc == TS_OK)
		rc = ts_simulate(e->s, e->seeds[rep], collect_step, &c, err);
	if (rc == TS_OK && c.files)
		rc = ts_rep_rows_end(&e->rows, worker, chunk, err);
	if (rc == TS_OK)
		rc = ts_rep_values_put(&e->values, rep, c.values, err);
	if (rc == TS_OK)
		put_totals(e, rep, c.totals);
	if (rc != TS_OK && err->status == TS_OK)
		ts_error_set(err, rc, "replication %d failed", rep);
	if (loc.c)
		ts_c_locale_leave(&loc);
	if (rc != TS_OK && (e->failed_rep[worker] < 0 || rep < e->failed_rep[worker])) {
		e->failed_rep[worker] = rep;  /* each worker its own slot: no lock */
		e->errs[worker] = *err;
	}
	if (rc == TS_OK)
		ts_progress_count(e->progress, 0);
	return rc;
}

/* A replication with rows (executor item): *result is where they lie. */
static int rep_item(long item, int worker, void *ctx, void **result, ts_error *err)
{
	ensemble *e = ctx;
	ts_rep_chunk *chunk = malloc(sizeof *chunk);
	if (!chunk)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = run_one(e, (int)item, worker, chunk, err);
	if (rc == TS_OK)
		*result = chunk;
	else
		free(chunk);
	return rc;
}

/* Probe sim for the tables' row counts and numeric columns, and where each
 * table's values lie within a replication's. */
static int ensemble_tables(ensemble *e, const ts_scenario *s, ts_error *err)
{
	ts_sim *probe = NULL;
	int rc = ts_sim_alloc(&probe, s, e->seeds[0], err);
	if (rc != TS_OK)
		return rc;
	for (int t = 0; t < ts_n_tables; t++) {
		const ts_table *tb = &ts_tables[t];
		if (!tb->per_entity)
			continue;
		TS_ASSERT(e->ntab < TS_CELLS_MAX_TABLES);
		ts_cell_table *et = &e->tab[e->ntab++];
		et->t = tb;
		et->rows = tb->rows(probe);
		for (int c = 0; c < tb->n_columns; c++)
			if (tb->columns[c].type != TS_COL_TEXT) {
				TS_ASSERT(et->nnum < TS_TABLE_MAX_COLUMNS);
				et->num[et->nnum++] = c;
			}
		et->first = e->per_rep;
		et->cells = (size_t)e->steps * (size_t)et->rows * (size_t)et->nnum;
		e->per_rep += et->cells;
	}
	ts_sim_free(probe);
	return TS_OK;
}

/* The tables' shapes, a values buffer per worker and the temporary file of
 * values in dir. Memory: jobs x per_rep doubles, whatever the number of
 * replications. */
static int ensemble_init(ensemble *e, const ts_scenario *s, int reps, int jobs, const uint32_t *seeds,
                         const char *dir, volatile sig_atomic_t *cancel, ts_error *err)
{
	memset(e, 0, sizeof *e);
	e->s = s;
	e->steps = ts_scenario_steps(s);
	e->reps = reps;
	e->jobs = jobs < reps ? jobs : reps;
	e->seeds = seeds;
	e->cancel = cancel;
	e->block_values = DEFAULT_BLOCK_VALUES;
	e->errs = calloc((size_t)e->jobs, sizeof *e->errs);
	e->failed_rep = malloc((size_t)e->jobs * sizeof *e->failed_rep);
	if (!e->errs || !e->failed_rep)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int w = 0; w < e->jobs; w++)
		e->failed_rep[w] = -1;
	int rc = ensemble_tables(e, s, err);
	if (rc == TS_OK && !(e->rep_buf = malloc(((size_t)e->jobs * e->per_rep + 1) * sizeof *e->rep_buf)))
		rc = ts_error_set(err, TS_ENOMEM, "out of memory for %d x %zu values", e->jobs, e->per_rep);
	if (rc == TS_OK)
		rc = ts_rep_values_open(&e->values, dir, "replication_values", reps, e->per_rep, err);
	return rc;
}

/* The rows of tables[0 .. n) (in ts_tables order) go to per-worker scratch
 * files in dir, named after names[k], copied into the files the caller
 * gives ensemble_stream in replication order while later replications run
 * (rep_rows.h). */
static int ensemble_stream_to(ensemble *e, const char *dir, const int *tables, const char *const *names, int n,
                              ts_error *err)
{
	TS_ASSERT(n <= TS_REP_ROWS_MAX_TABLES);
	for (int k = 0; k < n; k++)
		e->row_tables[k] = tables[k];
	e->n_row_tables = n;
	e->has_rows = 1;
	return ts_rep_rows_open(&e->rows, dir, e->jobs, n, names, err);
}

/* Every table's rows, as `run --reps` keeps them. */
static int ensemble_stream_all(ensemble *e, const char *dir, ts_error *err)
{
	const char *names[TS_REP_ROWS_MAX_TABLES];
	int tables[TS_REP_ROWS_MAX_TABLES];
	TS_ASSERT(ts_n_tables <= TS_REP_ROWS_MAX_TABLES);
	for (int t = 0; t < ts_n_tables; t++) {
		names[t] = ts_tables[t].file;
		tables[t] = t;
	}
	return ensemble_stream_to(e, dir, tables, names, ts_n_tables, err);
}

/* Room for the totals of every replication and the workers' states. */
static int ensemble_totals(ensemble *e, const ts_metric *totals, int n, ts_error *err)
{
	e->totals = totals;
	e->n_totals = n;
	if (n == 0)
		return TS_OK;
	e->total_states = malloc((size_t)e->jobs * (size_t)n * sizeof *e->total_states);
	e->total_values = malloc((size_t)e->reps * (size_t)n * sizeof *e->total_values);
	if (!e->total_states || !e->total_values)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	for (size_t i = 0; i < (size_t)e->reps * (size_t)n; i++)
		e->total_values[i] = NAN;
	return TS_OK;
}

static void ensemble_release(ensemble *e)
{
	ts_rep_values_close(&e->values);
	ts_rep_rows_close(&e->rows);
	free(e->rep_buf);
	free(e->total_states);
	free(e->total_values);
	free(e->errs);
	free(e->failed_rep);
}

/* The first failure of a replication, in replication order (items start in
 * order and those running when one fails finish, so every replication
 * before a failed one has run): into err, its status returned. */
static int first_failure(const ensemble *e, ts_error *err)
{
	int first = -1;
	for (int w = 0; w < e->jobs; w++)
		if (e->failed_rep[w] >= 0 && (first < 0 || e->failed_rep[w] < e->failed_rep[first]))
			first = w;
	if (first < 0)
		return TS_OK;
	*err = e->errs[first];
	return err->status;
}

/* How streaming the replications ended: the first replication that
 * failed (in replication order), else a failure to copy rows (copy_rc,
 * copy_err), else rc and run_err. */
static int stream_outcome(const ensemble *e, int copy_rc, const ts_error *copy_err, int rc, const ts_error *run_err,
                          ts_error *err)
{
	if (first_failure(e, err) != TS_OK)
		return err->status;
	if (copy_rc != TS_OK || rc != TS_OK) {
		*err = copy_rc != TS_OK ? *copy_err : *run_err;
		return err->status;
	}
	return TS_OK;
}

/* The replications one after the other on the calling thread, each one's
 * rows copied into out[table] after it (-j 1). */
static int stream_serially(ensemble *e, ts_csv *const *out, ts_error *err)
{
	ts_error copy_err = TS_ERROR_INIT, run_err = TS_ERROR_INIT;
	int rc = TS_OK, copy_rc = TS_OK;
	for (int rep = 0; rep < e->reps && rc == TS_OK && copy_rc == TS_OK; rep++) {
		ts_rep_chunk chunk;
		rc = run_one(e, rep, 0, &chunk, &run_err);
		if (rc == TS_OK)
			copy_rc = ts_rep_rows_copy(&e->rows, &chunk, out, &copy_err);
	}
	return stream_outcome(e, copy_rc, &copy_err, rc, &run_err, err);
}

/* Replication `item` on the calling thread (worker `worker`), claimed from
 * x and its result given back; a failure stops x. */
static void run_claimed(ensemble *e, ts_executor *x, long item, int worker)
{
	void *chunk = NULL;
	ts_error run_err = TS_ERROR_INIT, put_err = TS_ERROR_INIT;
	if (rep_item(item, worker, e, &chunk, &run_err) != TS_OK)
		ts_executor_fail(x, &run_err);  /* kept for first_failure too (run_one) */
	(void)ts_executor_put(x, item, chunk, &put_err);  /* claimed just before: cannot fail */
}

/* Runs every replication, copying its rows into out[table] as soon as the
 * replications before it are in; the first failure (in replication order)
 * wins over a failure to copy. The calling thread is one of the jobs: jobs
 * - 1 workers run replications, and it copies what is ready and runs a
 * replication itself when nothing is, so that -j N keeps N cores busy,
 * the copying included (a copier beside N workers would take a core of
 * its own at -j 1 and share theirs beyond). */
static int ensemble_stream(ensemble *e, ts_csv *const *out, ts_error *err)
{
	if (e->jobs == 1)
		return stream_serially(e, out, err);
	ts_executor_options xo = TS_EXECUTOR_OPTIONS_INIT;
	xo.jobs = e->jobs - 1;
	xo.end = e->reps;
	xo.window = 4 * (long)e->jobs + 16;  /* a few replications may wait for a slow one */
	xo.work = rep_item;  /* no xo.cancel: an item checks it and fails, which stops the rest */
	xo.ctx = e;
	ts_executor *x = NULL;
	int rc = ts_executor_start(&x, &xo, err);
	if (rc != TS_OK)
		return rc;
	long item, done = 0;
	void *chunk;
	ts_error copy_err = TS_ERROR_INIT, run_err = TS_ERROR_INIT;
	int copy_rc = TS_OK;
	while (copy_rc == TS_OK) {
		ts_executor_state st = ts_executor_next(x, 0, &item, &chunk);
		long mine;
		if (st == TS_EXECUTOR_TIMEOUT && ts_executor_claim(x, 1, &mine) == 1) {
			run_claimed(e, x, mine, e->jobs - 1);
			continue;
		}
		if (st == TS_EXECUTOR_TIMEOUT)  /* nothing to claim: the workers have the rest */
			st = ts_executor_next(x, -1, &item, &chunk);
		if (st != TS_EXECUTOR_RESULT)
			break;
		copy_rc = ts_rep_rows_copy(&e->rows, chunk, out, &copy_err);
		free(chunk);
		done = item + 1;
	}
	rc = ts_executor_finish(x, &run_err);  /* the workers are done: their failures are in */
	rc = stream_outcome(e, copy_rc, &copy_err, rc, &run_err, err);
	TS_ASSERT(rc != TS_OK || done == e->reps);  /* the executor drains early only on a failure */
	(void)done;                                 /* release builds */
	return rc;
}

/* summary_<table>.csv: n, mean, sd and quantiles over the replications. */
static void summary_cell(ts_csv *csv, const double *a, const double *b, int reps, double *scratch,
                         const void *arg)
{
	(void)b;
	(void)arg;
	memcpy(scratch, a, (size_t)reps * sizeof *scratch);  /* ts_summarize sorts */
	ts_summary sm;
	ts_summarize(scratch, (size_t)reps, &sm);
	ts_csv_int(csv, (long)sm.n);
	ts_csv_num(csv, sm.mean);
	ts_csv_num(csv, sm.sd);
	ts_csv_num(csv, sm.q05);
	ts_csv_num(csv, sm.q50);
	ts_csv_num(csv, sm.q95);
}

/* What replications and comparisons share around their runs: the locked
 * output directory and its files (output/outdir.h), the C locale, the
 * seeds. */
typedef struct batch_out {
	ts_outdir dir;
	ts_c_locale loc;
	int reps;
	uint32_t base;               /* the base seed, recorded in run.json */
	uint32_t *seeds;             /* [2 reps]: A's (or the only ones), then B's */
} batch_out;

/* Replication r runs with ts_seed_derive(base, r); with `independent`, B's
 * take the indices after A's, else B shares A's seeds. */
static int batch_open(batch_out *b, const char *dir, int n_files, const ts_output_claim *claim, int reps,
                      uint32_t base, int independent, ts_error *err)
{
	memset(b, 0, sizeof *b);
	b->reps = reps;
	b->base = base;
	int rc = ts_outdir_open(&b->dir, dir, n_files, claim, err);
	if (rc == TS_OK)
		rc = ts_c_locale_enter(&b->loc, err);
	if (rc == TS_OK && !(b->seeds = malloc(2 * (size_t)reps * sizeof *b->seeds)))
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int r = 0; r < reps && rc == TS_OK; r++) {
		b->seeds[r] = ts_seed_derive(base, (uint64_t)r);
		b->seeds[reps + r] = independent ? ts_seed_derive(base, (uint64_t)(reps + r)) : b->seeds[r];
	}
	return rc;
}

/* Commits the files if rc is TS_OK, then lets go of everything. */
static int batch_close(batch_out *b, int rc, ts_error *err)
{
	rc = ts_outdir_commit(&b->dir, rc, err);
	ts_outdir_close(&b->dir);
	if (b->loc.c)
		ts_c_locale_leave(&b->loc);
	free(b->seeds);
	return rc;
}

/* reps.csv: rep,seed (or rep,seed_a,seed_b for a comparison). */
static int write_reps(batch_out *b, int compare, ts_error *err)
{
	ts_csv *csv = ts_outdir_add(&b->dir);
	int rc = ts_csv_open(csv, b->dir.path, "reps.csv", compare ? "rep,seed_a,seed_b" : "rep,seed", err);
	for (int r = 0; r < b->reps && rc == TS_OK; r++) {
		ts_csv_int(csv, r);
		ts_csv_int(csv, (long)b->seeds[r]);
		if (compare)
			ts_csv_int(csv, (long)b->seeds[b->reps + r]);
		ts_csv_end_row(csv);
	}
	return rc == TS_OK ? ts_csv_close(csv, err) : rc;
}

static void write_seed_list(FILE *fp, const uint32_t *seeds, int n)
{
	for (int r = 0; r < n; r++)
		fprintf(fp, "%s%lu", r ? ", " : "", (unsigned long)seeds[r]);
}

/* What run.json records of replications (b NULL) or of a comparison. */
typedef struct batch_meta {
	const ts_scenario *a, *b;
	const char *command_line;
	const ts_override *overrides;
	size_t n_overrides;
} batch_meta;

static void write_json_text(FILE *fp, const batch_out *bo, const batch_meta *m)
{
	fputs("{\n  \"tradesim_version\": ", fp);
	ts_json_string(fp, TS_VERSION_STRING);
	fputs(m->b ? ",\n  \"kind\": \"comparison\"" : ",\n  \"kind\": \"replications\"", fp);
	fputs(m->b ? ",\n  \"scenario_a\": " : ",\n  \"scenario\": ", fp);
	ts_json_string(fp, ts_scenario_path(m->a));
	fputs(m->b ? ",\n  \"scenario_a_sha256\": " : ",\n  \"scenario_sha256\": ", fp);
	ts_json_string(fp, ts_scenario_hash(m->a));
	if (m->b) {
		fputs(",\n  \"scenario_b\": ", fp);
		ts_json_string(fp, ts_scenario_path(m->b));
		fputs(",\n  \"scenario_b_sha256\": ", fp);
		ts_json_string(fp, ts_scenario_hash(m->b));
	}
	fprintf(fp, ",\n  \"steps\": %d,\n  \"reps\": %d,\n  \"base_seed\": %lu,\n  \"seeds\": [",
	        ts_scenario_steps(m->a), bo->reps, (unsigned long)bo->base);
	write_seed_list(fp, bo->seeds, bo->reps);
	if (m->b) {
		fputs("],\n  \"seeds_b\": [", fp);
		write_seed_list(fp, bo->seeds + bo->reps, bo->reps);
	}
	fputs("],\n", fp);
	ts_json_overrides(fp, m->overrides, m->n_overrides);
	fputs("  \"command_line\": ", fp);
	ts_json_string(fp, m->command_line);
	fputs(",\n  ", fp);
	ts_outdir_json_files(fp, &bo->dir);
	fputs("\n}\n", fp);
}

/* run.json, the last file of the set: it vouches for the others. */
static int write_json(batch_out *bo, const batch_meta *m, ts_error *err)
{
	ts_csv *f = ts_outdir_add(&bo->dir);
	int rc = ts_csv_open(f, bo->dir.path, "run.json", NULL, err);
	if (rc != TS_OK)
		return rc;
	write_json_text(f->fp, bo, m);
	return ts_csv_close(f, err);
}

static int jobs_or_all(int jobs)
{
	return jobs > 0 ? jobs : ts_cpu_count();
}

/* One <prefix>_<table>.csv per per-entity table into b's next slots. */
static int write_all_cells(batch_out *b, const char *prefix, const char *columns, const ensemble *ea,
                           const ensemble *eb, ts_cell_writer cell, const void *arg, ts_error *err)
{
	ts_csv *csv[TS_CELLS_MAX_TABLES];
	for (int t = 0; t < ea->ntab; t++)
		csv[t] = ts_outdir_add(&b->dir);
	ts_cells_spec sp = {b->dir.path, prefix, columns, ea->s, ea->tab, ea->ntab, ea->reps, ea->jobs,
	                    (ts_rep_values *)&ea->values, eb ? (ts_rep_values *)&eb->values : NULL,
	                    ea->block_values, cell, arg};
	return ts_cells_write(&sp, csv, err);
}

static int write_summaries(batch_out *b, const ensemble *e, ts_error *err)
{
	return write_all_cells(b, "summary", ",metric,n,mean,sd,q05,q50,q95", e, NULL, summary_cell, NULL, err);
}

/* Every table with its rep column, opened with its header into b's next
 * slots (out[table]); the replications' rows follow as they come. */
static int open_tables(batch_out *b, ts_csv **out, ts_error *err)
{
	int rc = TS_OK;
	for (int t = 0; t < ts_n_tables && rc == TS_OK; t++) {
		out[t] = ts_outdir_add(&b->dir);
		char *header = ts_table_header(&ts_tables[t], 1);
		rc = header ? ts_csv_open(out[t], b->dir.path, ts_tables[t].file, header, err)
		            : ts_error_set(err, TS_ENOMEM, "out of memory");
		free(header);
	}
	return rc;
}

/* Starts writing a table's data to disk (Linux: sync_file_range), so that
 * its fsync before the commit, after the summaries, finds little left to
 * wait for. A failure here is no error: ts_csv_close syncs and reports. */
static void start_writeback(ts_csv *csv)
{
#ifdef SYNC_FILE_RANGE_WRITE
	if (csv->fp && fflush(csv->fp) == 0)
		(void)sync_file_range(fileno(csv->fp), 0, 0, SYNC_FILE_RANGE_WRITE);
#else
	(void)csv;
#endif
}

/* The files of replications after the tables, in commit order, run.json
 * last; the tables are closed (synced) after the summaries, their data
 * going to disk while the summaries are computed. */
static int write_ensemble(batch_out *b, ensemble *e, ts_csv **tables, const ts_ensemble_options *o,
                          ts_error *err)
{
	int rc = ts_check_cancel(o->cancel, -1, err);
	for (int t = 0; t < ts_n_tables && rc == TS_OK; t++)
		start_writeback(tables[t]);
	if (rc == TS_OK)
		rc = write_summaries(b, e, err);
	for (int t = 0; t < ts_n_tables && rc == TS_OK; t++)
		rc = ts_csv_close(tables[t], err);
	if (rc == TS_OK)
		rc = write_reps(b, 0, err);
	if (rc == TS_OK)
		rc = ts_write_scenario_file(ts_outdir_add(&b->dir), b->dir.path, e->s, err);
	batch_meta m = {e->s, NULL, o->command_line, o->overrides, o->n_overrides};
	if (rc == TS_OK)
		rc = write_json(b, &m, err);
	return rc;
}

int ts_ensemble_run(const ts_scenario *s, const ts_ensemble_options *o, ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	if (o->reps < 1)
		return ts_error_set(err, TS_EINPUT, "replications must be at least 1, got %d", o->reps);
	/* The tables, their summaries, reps.csv, scenario.cfg, run.json. */
	int n_files = 2 * ts_n_tables + 3;
	uint32_t base = o->base_seed ? o->base_seed : ts_scenario_seed(s);
	batch_out b;
	ensemble e;
	memset(&e, 0, sizeof e);
	ts_csv *tables[TS_REP_ROWS_MAX_TABLES];
	TS_ASSERT(ts_n_tables <= TS_REP_ROWS_MAX_TABLES);
	ts_output_claim claim = {TS_OUTPUT_REPLICATIONS, ts_scenario_path(s), NULL, o->force};
	int rc = batch_open(&b, o->output_dir, n_files, &claim, o->reps, base, 0, err);
	if (rc == TS_OK)
		rc = open_tables(&b, tables, err);
	if (rc == TS_OK)
		rc = ensemble_init(&e, s, o->reps, jobs_or_all(o->jobs), b.seeds, o->output_dir, o->cancel, err);
	e.block_values = o->summary_block_values ? o->summary_block_values : e.block_values;
	ts_progress_counter p = TS_PROGRESS_COUNTER_INIT(o->reps, o->progress, NULL, o->progress_ctx);
	e.progress = &p;
	if (rc == TS_OK)
		rc = ensemble_stream_all(&e, o->output_dir, err);
	if (rc == TS_OK)
		rc = ensemble_stream(&e, tables, err);
	if (rc == TS_OK)
		rc = write_ensemble(&b, &e, tables, o, err);
	rc = batch_close(&b, rc, err);
	ensemble_release(&e);
	return rc;
}

/* Mean of the finite values of x[0..n); NaN when none. */
static double mean_finite(const double *x, int n)
{
	double sum = 0.0;
	int m = 0;
	for (int i = 0; i < n; i++)
		if (isfinite(x[i])) {
			sum += x[i];
			m++;
		}
	return m ? sum / m : NAN;
}

/* compare_<table>.csv: B - A per replication (same seeds), its mean, sd and
 * a t confidence interval of the mean, beside both means. */
static void compare_cell(ts_csv *csv, const double *a, const double *b, int reps, double *diff,
                         const void *arg)
{
	double confidence = *(const double *)arg;
	for (int q = 0; q < reps; q++)
		diff[q] = b[q] - a[q];
	ts_summary sm;
	ts_summarize(diff, (size_t)reps, &sm);
	double half = NAN;
	if (sm.n >= 2)
		half = gsl_cdf_tdist_Pinv(0.5 + confidence / 2.0, (double)(sm.n - 1)) * sm.sd / sqrt((double)sm.n);
	ts_csv_int(csv, (long)sm.n);
	ts_csv_num(csv, mean_finite(a, reps));
	ts_csv_num(csv, mean_finite(b, reps));
	ts_csv_num(csv, sm.mean);
	ts_csv_num(csv, sm.sd);
	ts_csv_num(csv, sm.mean - half);
	ts_csv_num(csv, sm.mean + half);
}

static int write_compares(batch_out *b, const ensemble *ea, const ensemble *eb, const double *confidence,
                          ts_error *err)
{
	return write_all_cells(b, "compare", ",metric,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi", ea, eb,
	                       compare_cell, confidence, err);
}

/* The options and calendars a comparison needs; *confidence from o. */
static int compare_check(const ts_scenario *a, const ts_scenario *b, const ts_compare_options *o,
                         double *confidence, ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	if (o->reps < 1)
		return ts_error_set(err, TS_EINPUT, "replications must be at least 1, got %d", o->reps);
	*confidence = o->confidence > 0.0 ? o->confidence : 0.95;
	if (!(*confidence < 1.0))
		return ts_error_set(err, TS_EINPUT, "confidence must be in (0, 1), got %g", *confidence);
	if (ts_scenario_steps(a) != ts_scenario_steps(b))
		return ts_error_set(err, TS_EINPUT, "A runs %d steps and B %d: compare needs the same calendar",
		                    ts_scenario_steps(a), ts_scenario_steps(b));
	return TS_OK;
}

/* The comparison's totals (o->totals) read against A, into *out (NULL:
 * none), which free_totals frees also after a failure. */
static int parse_totals(ts_metric **out, const ts_scenario *a, const ts_compare_options *o, ts_error *err)
{
	*out = NULL;
	if (o->n_totals == 0)
		return TS_OK;
	if (o->n_totals > 100000)
		return ts_error_set(err, TS_EINPUT, "%zu totals: at most 100000", o->n_totals);
	ts_metric *m = calloc(o->n_totals, sizeof *m);
	if (!m)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	*out = m;
	for (size_t k = 0; k < o->n_totals; k++) {
		int rc = ts_metric_parse(&m[k], o->totals[k], a, "total ", err);
		if (rc != TS_OK)
			return rc;
		if (m[k].diff)
			return ts_error_set(err, TS_EINPUT, "total '%s': diff: is for sweeps (a total is already B - A)",
			                    o->totals[k]);
	}
	return TS_OK;
}

static void free_totals(ts_metric *m, size_t n)
{
	for (size_t k = 0; m && k < n; k++)
		free(m[k].name);
	free(m);
}

/* compare_totals.csv: each total's B - A per replication, as compare_cell
 * gives a cell's. */
static int write_totals(batch_out *b, const ensemble *ea, const ensemble *eb, const double *confidence,
                        ts_error *err)
{
	ts_csv *csv = ts_outdir_add(&b->dir);
	int rc = ts_csv_open(csv, b->dir.path, "compare_totals.csv",
	                     "total,unit,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi", err);
	double *scratch = malloc(((size_t)ea->reps + 1) * sizeof *scratch);
	if (rc == TS_OK && !scratch)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int k = 0; k < ea->n_totals && rc == TS_OK; k++) {
		char unit[64];
		size_t at = (size_t)k * (size_t)ea->reps;
		ts_csv_text(csv, ea->totals[k].name);
		ts_csv_text(csv, ts_metric_unit(&ea->totals[k], unit, sizeof unit));
		compare_cell(csv, ea->total_values + at, eb->total_values + at, ea->reps, scratch, confidence);
		ts_csv_end_row(csv);
	}
	free(scratch);
	return rc == TS_OK ? ts_csv_close(csv, err) : rc;
}

/* events_a.csv and events_b.csv, each with its rep column, into events[2]. */
static int open_events(batch_out *b, ts_csv **events, ts_error *err)
{
	const ts_table *t = ts_table_find("events");
	TS_ASSERT(t != NULL);
	char *header = ts_table_header(t, 1);
	int rc = header ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	for (int side = 0; side < 2 && rc == TS_OK; side++) {
		events[side] = ts_outdir_add(&b->dir);
		rc = ts_csv_open(events[side], b->dir.path, side ? "events_b.csv" : "events_a.csv", header, err);
	}
	free(header);
	return rc;
}

/* Runs A's replications, then B's, each side's events in replication order
 * into events[side] (the other tables' rows are only checked). */
static int compare_execute(ensemble *ea, ensemble *eb, const char *dir, ts_csv **events, ts_error *err)
{
	int table = (int)(ts_table_find("events") - ts_tables);
	static const char *const names[2] = {"events_a.csv", "events_b.csv"};
	ensemble *side[2] = {ea, eb};
	int rc = TS_OK;
	for (int k = 0; k < 2 && rc == TS_OK; k++) {
		rc = ensemble_stream_to(side[k], dir, &table, &names[k], 1, err);
		if (rc == TS_OK)
			rc = ensemble_stream(side[k], &events[k], err);
	}
	return rc;
}

/* The files of a comparison after the events (closed here), in commit
 * order, run.json last. */
static int write_comparison(batch_out *b, const ensemble *ea, const ensemble *eb, ts_csv **events,
                            double confidence, const ts_compare_options *o, ts_error *err)
{
	for (int side = 0; side < 2; side++) {
		int rc = ts_csv_close(events[side], err);
		if (rc != TS_OK)
			return rc;
	}
	int rc = ts_check_cancel(o->cancel, -1, err);
	if (rc == TS_OK)
		rc = write_compares(b, ea, eb, &confidence, err);
	if (rc == TS_OK)
		rc = write_totals(b, ea, eb, &confidence, err);
	if (rc == TS_OK)
		rc = write_reps(b, 1, err);
	batch_meta m = {ea->s, eb->s, o->command_line, NULL, 0};
	if (rc == TS_OK)
		rc = write_json(b, &m, err);
	return rc;
}

int ts_compare_run(const ts_scenario *a, const ts_scenario *b, const ts_compare_options *o, ts_error *err)
{
	double confidence = 0.95;
	int rc = compare_check(a, b, o, &confidence, err);
	if (rc != TS_OK)
		return rc;
	ts_metric *totals = NULL;
	if ((rc = parse_totals(&totals, a, o, err)) != TS_OK) {
		free_totals(totals, o->n_totals);
		return rc;
	}
	uint32_t base = o->base_seed ? o->base_seed : ts_scenario_seed(a);
	batch_out out;
	ensemble ea, eb;
	memset(&ea, 0, sizeof ea);
	memset(&eb, 0, sizeof eb);
	ts_output_claim claim = {TS_OUTPUT_COMPARISON, ts_scenario_path(a), ts_scenario_path(b), o->force};
	ts_csv *events[2] = {NULL, NULL};
	/* events_a.csv, events_b.csv, compare_<table>.csv, compare_totals.csv, reps.csv, run.json */
	rc = batch_open(&out, o->output_dir, ts_n_tables + 5, &claim, o->reps, base, o->independent, err);
	if (rc == TS_OK)
		rc = open_events(&out, events, err);
	if (rc == TS_OK)
		rc = ensemble_init(&ea, a, o->reps, jobs_or_all(o->jobs), out.seeds, o->output_dir, o->cancel, err);
	if (rc == TS_OK)
		rc = ensemble_init(&eb, b, o->reps, jobs_or_all(o->jobs), out.seeds + o->reps, o->output_dir, o->cancel,
		                   err);
	for (int k = 0; k < 2 && rc == TS_OK; k++)
		rc = ensemble_totals(k ? &eb : &ea, totals, (int)o->n_totals, err);
	ea.block_values = eb.block_values = o->summary_block_values ? o->summary_block_values : ea.block_values;
	ts_progress_counter p = TS_PROGRESS_COUNTER_INIT(2L * o->reps, o->progress, NULL, o->progress_ctx);
	ea.progress = eb.progress = &p;
	for (int t = 0; t < ea.ntab && rc == TS_OK; t++)
		rc = ts_cells_same_keys(a, b, &ea.tab[t], &eb.tab[t], err);
	if (rc == TS_OK)
		rc = compare_execute(&ea, &eb, o->output_dir, events, err);
	if (rc == TS_OK)
		rc = write_comparison(&out, &ea, &eb, events, confidence, o, err);
	rc = batch_close(&out, rc, err);
	ensemble_release(&ea);
	ensemble_release(&eb);
	free_totals(totals, o->n_totals);
	return rc;
}
