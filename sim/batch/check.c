/* tradesim check: a scenario and the counterfactual variants its facts name,
 * run over R seeds with common random numbers on the thread executor; each
 * run's series kept step by step, each fact's statistic computed per seed
 * and summarized against the observed value. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/check.h>
#include <tradesim/stats.h>
#include "batch/facts.h"
#include "output/csv.h"
#include "output/run.h"
#include "util/parallel.h"
#include "util/progress.h"

struct ts_check {
	const ts_scenario *scenario;
	ts_facts *facts;
	int reps, steps;
	double *values;              /* [k * reps + r]: fact k's simulated value at seed r */
	ts_fact_score *scores;       /* [k], after a run */
};

int ts_check_load(ts_check **out, const ts_scenario *s, const char *facts_path, const ts_override *overrides,
                  size_t n_overrides, ts_error *err)
{
	*out = NULL;
	ts_check *c = calloc(1, sizeof *c);
	if (!c)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = ts_facts_load(&c->facts, facts_path, s, overrides, n_overrides, err);
	if (rc != TS_OK) {
		free(c);
		return rc;
	}
	c->scenario = s;
	c->steps = ts_scenario_steps(s);
	*out = c;
	return TS_OK;
}

void ts_check_free(ts_check *c)
{
	if (!c)
		return;
	ts_facts_free(c->facts);
	free(c->values);
	free(c->scores);
	free(c);
}

/* One run (a seed of a variant) in progress: its series, fact by fact. */
typedef struct check_run {
	const ts_facts *facts;
	int *rows;                   /* [(2k + d) * TS_FACT_MAX_SERIES + j], resolved at the first step */
	double *x;                   /* [(2k + d) * steps + t]: d = 0 the series, 1 the denominator */
	int steps, t;
	volatile sig_atomic_t *cancel;
} check_run;

/* The sum of the n series of list at this step into slot `at` of m. */
static int record_sum(check_run *m, const struct ts_sim *w, const ts_fact *f, const ts_series *list, int n, int at,
                      ts_error *err)
{
	double sum = 0.0;
	for (int j = 0; j < n; j++) {
		const ts_series *s = &list[j];
		int *row = &m->rows[at * TS_FACT_MAX_SERIES + j];
		if (*row < 0 && (*row = ts_series_row(s, w)) < 0)
			return ts_error_set(err, TS_ERUN, "fact %s: no %s '%s' in this run", f->name, s->table->name, s->key);
		sum += ts_table_value(s->table, w, *row, s->column);
	}
	m->x[(size_t)at * m->steps + m->t] = sum;
	return TS_OK;
}

static int record_step(const struct ts_sim *w, const char *date, void *arg, ts_error *err)
{
	(void)date;
	check_run *m = arg;
	for (int k = 0; k < m->facts->n_facts; k++) {
		const ts_fact *f = &m->facts->facts[k];
		int rc = record_sum(m, w, f, f->series, f->n_series, 2 * k, err);
		if (rc == TS_OK)
			rc = record_sum(m, w, f, f->per, f->n_per, 2 * k + 1, err);
		if (rc != TS_OK)
			return rc;
	}
	m->t++;
	return ts_check_cancel(m->cancel, m->t, err);
}

/* The executor's view of a check: item i is seed i / n_variants of variant
 * i % n_variants; each item leaves its series in its own slot. */
typedef struct check_job {
	ts_check *c;
	uint32_t base_seed;
	volatile sig_atomic_t *cancel;
	double **series;             /* [item]: n_facts x 2 x steps values (check_run.x), owned */
	int *status;                 /* [item] */
	char **message;              /* [item]: a failure's diagnostics, owned */
	ts_progress_counter *progress;
} check_job;

static void run_item(int item, int worker, void *ctx)
{
	(void)worker;
	check_job *job = ctx;
	const ts_facts *facts = job->c->facts;
	int nv = facts->n_variants, rep = item / nv, v = item % nv, nk = facts->n_facts;
	const ts_scenario *scn = v ? facts->variants[v].scenario : job->c->scenario;
	ts_error err = TS_ERROR_INIT;
	check_run m = {facts, malloc((size_t)nk * 2 * TS_FACT_MAX_SERIES * sizeof(int)),
	               malloc((size_t)nk * 2 * (size_t)job->c->steps * sizeof(double)), job->c->steps, 0, job->cancel};
	int rc;
	if (!m.rows || !m.x) {
		rc = ts_error_set(&err, TS_ENOMEM, "out of memory");
	} else {
		for (int k = 0; k < nk * 2 * TS_FACT_MAX_SERIES; k++)
			m.rows[k] = -1;
		uint32_t seed = ts_seed_derive(job->base_seed, (uint64_t)rep);
		rc = ts_simulate(scn, seed, record_step, &m, &err);
		if (rc != TS_OK && rc != TS_ECANCELED)
			ts_error_set(&err, rc, "the run with seed %lu (replication %d%s) failed", (unsigned long)seed, rep,
			             v ? ", counterfactual" : "");
	}
	free(m.rows);
	job->status[item] = rc;
	ts_progress_count(job->progress, rc != TS_OK && rc != TS_ECANCELED);
	if (rc == TS_OK) {
		job->series[item] = m.x;
		return;
	}
	free(m.x);
	job->message[item] = strdup(err.message);
}

/* Every fact's simulated value per seed, from the runs' series. */
static void score_values(ts_check *c, double **series)
{
	const ts_facts *facts = c->facts;
	int nv = facts->n_variants;
	size_t steps = (size_t)c->steps;
	for (int k = 0; k < facts->n_facts; k++) {
		const ts_fact *f = &facts->facts[k];
		for (int r = 0; r < c->reps; r++) {
			const double *x = series[r * nv] + 2 * (size_t)k * steps;
			double a = ts_fact_value_of(f, x, x + steps), b = NAN;
			if (f->variant) {
				const double *y = series[r * nv + f->variant] + 2 * (size_t)k * steps;
				b = ts_fact_value_of(f, y, y + steps);
			}
			c->values[(size_t)k * c->reps + r] = ts_fact_contrast_of(f, a, b);
		}
	}
}

/* The summaries and the pass rule (docs/calibration.md). */
static void summarize(ts_check *c, double *scratch)
{
	for (int k = 0; k < c->facts->n_facts; k++) {
		const ts_fact *f = &c->facts->facts[k];
		ts_fact_score *s = &c->scores[k];
		const double *v = c->values + (size_t)k * c->reps;
		*s = (ts_fact_score){f->name, f->source, f->observed, f->tolerance, NAN, NAN, NAN, 0, c->reps, 0};
		for (int r = 0; r < c->reps; r++) {
			s->within += isfinite(v[r]) && fabs(v[r] - f->observed) <= f->tolerance;
			scratch[r] = v[r];
		}
		ts_summary sum;
		ts_summarize(scratch, (size_t)c->reps, &sum);
		s->mean = sum.mean;
		s->q05 = sum.q05;
		s->q95 = sum.q95;
		s->pass = ts_check_passes(s->within, c->reps);
	}
}

/* The first failed item's diagnostics (the lowest item: the same whatever -j). */
static int first_failure(const check_job *job, long items, ts_error *err)
{
	for (long i = 0; i < items; i++)
		if (job->status[i] == TS_ECANCELED)
			return ts_error_set(err, TS_ECANCELED, "interrupted; nothing was written");
	for (long i = 0; i < items; i++)
		if (job->status[i] != TS_OK)
			return ts_error_set(err, job->status[i], "%s", job->message[i] ? job->message[i] : "out of memory");
	return TS_OK;
}

int ts_check_run(ts_check *c, const ts_check_options *o, ts_error *err)
{
	long items = (long)o->reps * c->facts->n_variants;
	if (o->reps < 1 || items > 100000000L)
		return ts_error_set(err, TS_EINPUT, "replications must be in [1, %ld], got %d",
		                    100000000L / c->facts->n_variants, o->reps);
	ts_progress_counter progress = TS_PROGRESS_COUNTER_INIT(items, o->progress, o->progress_failed, o->progress_ctx);
	check_job job = {c, o->base_seed ? o->base_seed : ts_scenario_seed(c->scenario), o->cancel,
	                 calloc((size_t)items, sizeof(double *)), calloc((size_t)items, sizeof(int)),
	                 calloc((size_t)items, sizeof(char *)), &progress};
	free(c->values);
	free(c->scores);
	c->reps = o->reps;
	c->values = malloc((size_t)c->facts->n_facts * (size_t)o->reps * sizeof *c->values);
	c->scores = calloc((size_t)c->facts->n_facts, sizeof *c->scores);
	double *scratch = malloc((size_t)o->reps * sizeof *scratch);
	int rc = TS_OK;
	if (!job.series || !job.status || !job.message || !c->values || !c->scores || !scratch)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK)
		rc = ts_parallel_for((int)items, o->jobs > 0 ? o->jobs : ts_cpu_count(), run_item, &job, err);
	if (rc == TS_OK)
		rc = first_failure(&job, items, err);
	if (rc == TS_OK) {
		score_values(c, job.series);
		summarize(c, scratch);
	}
	for (long i = 0; job.series && job.message && i < items; i++) {
		free(job.series[i]);
		free(job.message[i]);
	}
	free(job.series);
	free(job.status);
	free(job.message);
	free(scratch);
	if (rc != TS_OK) {
		free(c->scores);
		c->scores = NULL;
	}
	return rc;
}

int ts_check_passes(int within, int reps)
{
	return 100L * within >= 95L * reps;
}

int ts_check_facts(const ts_check *c)
{
	return c->facts->n_facts;
}

void ts_check_score(const ts_check *c, int k, ts_fact_score *out)
{
	*out = c->scores[k];
}

int ts_check_passed(const ts_check *c)
{
	for (int k = 0; k < c->facts->n_facts; k++)
		if (!c->scores[k].pass)
			return 0;
	return 1;
}

int ts_check_write_csv(const ts_check *c, const char *dir, ts_error *err)
{
	int rc = ts_make_dirs(dir, err);
	ts_csv csv;
	if (rc == TS_OK)
		rc = ts_csv_open(&csv, dir, "check.csv",
		                 "fact,observed,tolerance,mean,q05,q95,within,reps,share_within,pass,source", err);
	if (rc != TS_OK)
		return rc;
	for (int k = 0; k < c->facts->n_facts; k++) {
		const ts_fact_score *s = &c->scores[k];
		ts_csv_text(&csv, s->name);
		ts_csv_num(&csv, s->observed);
		ts_csv_num(&csv, s->tolerance);
		ts_csv_num(&csv, s->mean);
		ts_csv_num(&csv, s->q05);
		ts_csv_num(&csv, s->q95);
		ts_csv_int(&csv, s->within);
		ts_csv_int(&csv, s->reps);
		ts_csv_num(&csv, (double)s->within / s->reps);
		ts_csv_text(&csv, s->pass ? "pass" : "fail");
		ts_csv_text(&csv, s->source);
		ts_csv_end_row(&csv);
	}
	rc = ts_csv_close(&csv, err);
	if (rc == TS_OK)
		rc = ts_csv_commit(&csv, err);
	ts_csv_discard(&csv);
	return rc;
}
