/* Replications and comparisons: every replication runs on its own sim and
 * gsl_rng (one thread each), streams its rows to temporary files of its own
 * and stores its numeric values in a slot no other replication touches; the
 * files are joined in replication order at the end, so -j never changes a
 * byte. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_cdf.h>
#include <tradesim/ensemble.h>
#include <tradesim/sim.h>
#include <tradesim/stats.h>
#include <tradesim/version.h>
#include "output/run.h"
#include "util/parallel.h"
#include "output/csv.h"
#include "output/tables.h"

#define MAX_TABLES 16

/* Values of one per-entity table: [((step * rows + row) * nnum + k) * reps + rep]. */
typedef struct ens_table {
	const ts_table *t;
	int rows, nnum;
	int num[64];                 /* column index of the k-th numeric column */
	double *values;
} ens_table;

typedef struct ensemble {
	const ts_scenario *s;
	int steps, reps;
	const uint32_t *seeds;
	ens_table tab[MAX_TABLES];
	int ntab;
	const char *dir;             /* rows to per-replication temporary files; NULL: none */
	ts_csv *files;               /* [rep * ts_n_tables + table] */
	ts_error *errs;              /* per replication */
} ensemble;

typedef struct rep_ctx {
	ensemble *e;
	int rep;
} rep_ctx;

static int collect_step(const struct ts_sim *w, const char *date, void *arg, ts_error *err)
{
	rep_ctx *c = arg;
	ensemble *e = c->e;
	if (e->files) {
		ts_csv *f = &e->files[(size_t)c->rep * (size_t)ts_n_tables];
		for (int t = 0; t < ts_n_tables; t++) {
			ts_table_write(&ts_tables[t], &f[t], w, date, c->rep);
			if (ferror(f[t].fp))
				return ts_csv_close(&f[t], err);
		}
	}
	for (int t = 0; t < e->ntab; t++) {
		ens_table *et = &e->tab[t];
		if (et->t->rows(w) != et->rows)
			return ts_error_set(err, TS_ERUN, "%s: %d rows at step %d, expected %d", et->t->file,
			                    et->t->rows(w), w->step, et->rows);
		for (int r = 0; r < et->rows; r++)
			for (int k = 0; k < et->nnum; k++) {
				size_t at = (((size_t)w->step * (size_t)et->rows + (size_t)r) * (size_t)et->nnum + (size_t)k) *
				            (size_t)e->reps + (size_t)c->rep;
				et->values[at] = ts_table_value(et->t, w, r, et->num[k]);
			}
	}
	return TS_OK;
}

static void run_rep(int rep, int worker, void *arg)
{
	(void)worker;
	ensemble *e = arg;
	ts_error *err = &e->errs[rep];
	rep_ctx c = {e, rep};
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	int rc = ts_c_locale_enter(&loc, err);  /* threads start in the global locale */
	if (e->files) {
		ts_csv *f = &e->files[(size_t)rep * (size_t)ts_n_tables];
		for (int t = 0; t < ts_n_tables && rc == TS_OK; t++)
			rc = ts_csv_open(&f[t], e->dir, ts_tables[t].file, NULL, err);
	}
	if (rc == TS_OK)
		rc = ts_simulate(e->s, e->seeds[rep], collect_step, &c, err);
	if (e->files) {
		ts_csv *f = &e->files[(size_t)rep * (size_t)ts_n_tables];
		for (int t = 0; t < ts_n_tables; t++) {
			int crc = ts_csv_close(&f[t], err);
			if (rc == TS_OK)
				rc = crc;
		}
	}
	if (rc != TS_OK && err->status == TS_OK)
		ts_error_set(err, rc, "replication %d failed", rep);
	if (loc.c)
		ts_c_locale_leave(&loc);
}

/* Probe sim for the tables' row counts and the entities' keys. */
static int ensemble_init(ensemble *e, const ts_scenario *s, int reps, const uint32_t *seeds, ts_error *err)
{
	memset(e, 0, sizeof *e);
	e->s = s;
	e->steps = ts_scenario_steps(s);
	e->reps = reps;
	e->seeds = seeds;
	e->errs = calloc((size_t)reps, sizeof *e->errs);
	if (!e->errs)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	ts_sim *probe = NULL;
	int rc = ts_sim_alloc(&probe, s, seeds[0], err);
	if (rc != TS_OK)
		return rc;
	for (int t = 0; t < ts_n_tables; t++) {
		const ts_table *tb = &ts_tables[t];
		if (!tb->per_entity)
			continue;
		ens_table *et = &e->tab[e->ntab++];
		et->t = tb;
		et->rows = tb->rows(probe);
		for (int c = 0; c < tb->n_columns; c++)
			if (tb->columns[c].type != TS_COL_TEXT && et->nnum < 64)
				et->num[et->nnum++] = c;
		size_t n = (size_t)e->steps * (size_t)et->rows * (size_t)et->nnum * (size_t)reps;
		et->values = malloc((n ? n : 1) * sizeof *et->values);
		if (!et->values) {
			rc = ts_error_set(err, TS_ENOMEM, "out of memory for %zu values of %s", n, tb->file);
			break;
		}
		for (size_t i = 0; i < n; i++)
			et->values[i] = NAN;
	}
	ts_sim_free(probe);
	return rc;
}

static void ensemble_release(ensemble *e)
{
	for (int t = 0; t < e->ntab; t++)
		free(e->tab[t].values);
	if (e->files) {
		for (size_t i = 0; i < (size_t)e->reps * (size_t)ts_n_tables; i++)
			ts_csv_discard(&e->files[i]);
		free(e->files);
	}
	free(e->errs);
}

/* Runs every replication; the first failure (in replication order) wins. */
static int ensemble_execute(ensemble *e, int jobs, ts_error *err)
{
	int rc = ts_parallel_for(e->reps, jobs, run_rep, e, err);
	for (int r = 0; r < e->reps && rc == TS_OK; r++)
		if (e->errs[r].status != TS_OK) {
			*err = e->errs[r];
			rc = err->status;
		}
	return rc;
}

/* The key texts of every row of a per-entity table, "K1\0K2\0" packed per
 * row into one malloc'd array of n_keys pointers per row (caller frees both). */
typedef struct key_list {
	char *text;
	const char **keys;           /* [row * n_keys + k] */
} key_list;

static int key_list_make(key_list *kl, const ts_scenario *s, const ens_table *et, ts_error *err)
{
	memset(kl, 0, sizeof *kl);
	ts_sim *probe = NULL;
	int rc = ts_sim_alloc(&probe, s, ts_scenario_seed(s), err);
	if (rc != TS_OK)
		return rc;
	size_t len = 0, n = (size_t)et->rows * (size_t)et->t->n_keys;
	for (int r = 0; r < et->rows; r++)
		for (int k = 0; k < et->t->n_keys; k++)
			len += strlen(et->t->columns[k].text(probe, r)) + 1;
	kl->text = malloc(len + 1);
	kl->keys = malloc((n + 1) * sizeof *kl->keys);
	if (!kl->text || !kl->keys) {
		ts_sim_free(probe);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	char *p = kl->text;
	for (int r = 0; r < et->rows; r++)
		for (int k = 0; k < et->t->n_keys; k++) {
			const char *key = et->t->columns[k].text(probe, r);
			size_t m = strlen(key) + 1;
			memcpy(p, key, m);
			kl->keys[(size_t)r * (size_t)et->t->n_keys + (size_t)k] = p;
			p += m;
		}
	ts_sim_free(probe);
	return TS_OK;
}

static void key_list_free(key_list *kl)
{
	free(kl->text);
	free(kl->keys);
}

static char *summary_header(const ts_table *t, const char *tail)
{
	size_t n = strlen(tail) + 32;
	for (int k = 0; k < t->n_keys; k++)
		n += strlen(t->columns[k].name) + 1;
	char *h = malloc(n);
	if (!h)
		return NULL;
	strcpy(h, "step,date");
	for (int k = 0; k < t->n_keys; k++) {
		strcat(h, ",");
		strcat(h, t->columns[k].name);
	}
	strcat(h, tail);
	return h;
}

static int open_with_header(ts_csv *csv, const char *dir, const char *name, char *header, ts_error *err)
{
	if (!header)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = ts_csv_open(csv, dir, name, header, err);
	free(header);
	return rc;
}

/* Writes the statistics of one cell: the replications' values a[0..reps)
 * (and b's for a comparison), with scratch room for reps doubles. */
typedef void (*cell_writer)(ts_csv *csv, const double *a, const double *b, int reps, double *scratch,
                            const void *arg);

/* <prefix>_<table>.csv: one row per step, entity and numeric column of the
 * table ta (with tb, of the same shape, for a comparison): step, date, the
 * entity's keys, the metric name, then what `cell` writes. */
static int write_cells(ts_csv *csv, const char *dir, const char *prefix, const char *columns,
                       const ensemble *e, const ens_table *ta, const ens_table *tb, cell_writer cell,
                       const void *arg, ts_error *err)
{
	char name[64];
	snprintf(name, sizeof name, "%s_%s", prefix, ta->t->file);
	int rc = open_with_header(csv, dir, name, summary_header(ta->t, columns), err);
	key_list kl;
	if (rc == TS_OK)
		rc = key_list_make(&kl, e->s, ta, err);
	if (rc != TS_OK)
		return rc;
	int reps = e->reps;
	double *scratch = malloc((size_t)reps * sizeof *scratch);
	if (!scratch) {
		key_list_free(&kl);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	const ts_run_spec *run = &((const struct ts_scenario *)e->s)->run;
	for (int step = 0; step < e->steps; step++) {
		char date[32];
		ts_calendar_label(run, step, date, sizeof date);
		for (int r = 0; r < ta->rows; r++)
			for (int k = 0; k < ta->nnum; k++) {
				size_t at = (((size_t)step * (size_t)ta->rows + (size_t)r) * (size_t)ta->nnum + (size_t)k) *
				            (size_t)reps;
				ts_csv_int(csv, step);
				ts_csv_text(csv, date);
				for (int q = 0; q < ta->t->n_keys; q++)
					ts_csv_text(csv, kl.keys[(size_t)r * (size_t)ta->t->n_keys + (size_t)q]);
				ts_csv_text(csv, ta->t->columns[ta->num[k]].name);
				cell(csv, ta->values + at, tb ? tb->values + at : NULL, reps, scratch, arg);
				ts_csv_end_row(csv);
			}
	}
	free(scratch);
	key_list_free(&kl);
	return ts_csv_close(csv, err);
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

static int write_summary(ts_csv *csv, const char *dir, const ensemble *e, const ens_table *et, ts_error *err)
{
	return write_cells(csv, dir, "summary", ",metric,n,mean,sd,q05,q50,q95", e, et, NULL, summary_cell,
	                   NULL, err);
}

/* Appends the bytes of a closed temporary file to out and removes it. */
static int append_file(ts_csv *out, ts_csv *part, ts_error *err)
{
	FILE *in = fopen(part->tmp_path, "rb");
	if (!in)
		return ts_error_set(err, TS_EIO, "%s: cannot reopen: %s", part->tmp_path, strerror(errno));
	char buf[1 << 15];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out->fp);
	int bad = ferror(in);
	fclose(in);
	ts_csv_discard(part);
	if (bad)
		return ts_error_set(err, TS_EIO, "%s: read failed", out->final_path);
	return TS_OK;
}

static void write_seed_list(FILE *fp, const uint32_t *seeds, int n)
{
	for (int r = 0; r < n; r++)
		fprintf(fp, "%s%lu", r ? ", " : "", (unsigned long)seeds[r]);
}

static int write_json(ts_csv *f, const char *dir, const ts_scenario *s, const ts_scenario *b,
                      const char *command_line, const ts_override *ov, size_t n_ov, int reps,
                      uint32_t base, const uint32_t *seeds, const uint32_t *seeds_b, ts_error *err)
{
	memset(f, 0, sizeof *f);
	f->fp = ts_open_temp(dir, "run.json", &f->tmp_path, &f->final_path, err);
	if (!f->fp)
		return err->status;
	FILE *fp = f->fp;
	fputs("{\n  \"tradesim_version\": ", fp);
	ts_json_string(fp, TS_VERSION_STRING);
	fputs(b ? ",\n  \"scenario_a\": " : ",\n  \"scenario\": ", fp);
	ts_json_string(fp, ts_scenario_path(s));
	fputs(b ? ",\n  \"scenario_a_sha256\": " : ",\n  \"scenario_sha256\": ", fp);
	ts_json_string(fp, ts_scenario_hash(s));
	if (b) {
		fputs(",\n  \"scenario_b\": ", fp);
		ts_json_string(fp, ts_scenario_path(b));
		fputs(",\n  \"scenario_b_sha256\": ", fp);
		ts_json_string(fp, ts_scenario_hash(b));
	}
	fprintf(fp, ",\n  \"steps\": %d,\n  \"reps\": %d,\n  \"base_seed\": %lu,\n  \"seeds\": [",
	        ts_scenario_steps(s), reps, (unsigned long)base);
	write_seed_list(fp, seeds, reps);
	if (b) {
		fputs("],\n  \"seeds_b\": [", fp);
		write_seed_list(fp, seeds_b, reps);
	}
	fputs("],\n  \"overrides\": [", fp);
	for (size_t i = 0; i < n_ov; i++) {
		fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", fp);
		ts_json_string(fp, ov[i].path);
		fputs(", \"value\": ", fp);
		ts_json_string(fp, ov[i].value);
		fputc('}', fp);
	}
	fputs(n_ov ? "\n  ],\n" : "],\n", fp);
	fputs("  \"command_line\": ", fp);
	ts_json_string(fp, command_line);
	fputs("\n}\n", fp);
	return ts_csv_close(f, err);
}

static int jobs_or_all(int jobs)
{
	return jobs > 0 ? jobs : ts_cpu_count();
}

int ts_ensemble_run(const ts_scenario *s, const ts_ensemble_options *o, ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	if (o->reps < 1)
		return ts_error_set(err, TS_EINPUT, "replications must be at least 1, got %d", o->reps);
	int rc = ts_make_dirs(o->output_dir, err);
	if (rc != TS_OK)
		return rc;
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	if ((rc = ts_c_locale_enter(&loc, err)) != TS_OK)
		return rc;
	uint32_t base = o->base_seed ? o->base_seed : ts_scenario_seed(s);
	uint32_t *seeds = malloc((size_t)o->reps * sizeof *seeds);
	/* tables, summaries, reps.csv, scenario.cfg, run.json */
	int n_out = ts_n_tables + MAX_TABLES + 3;
	ts_csv *out = calloc((size_t)n_out, sizeof *out);
	ensemble e;
	memset(&e, 0, sizeof e);
	if (!seeds || !out) {
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	for (int r = 0; r < o->reps; r++)
		seeds[r] = ts_seed_derive(base, (uint64_t)r);
	rc = ensemble_init(&e, s, o->reps, seeds, err);
	if (rc == TS_OK) {
		e.dir = o->output_dir;
		e.files = calloc((size_t)o->reps * (size_t)ts_n_tables, sizeof *e.files);
		if (!e.files)
			rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	if (rc == TS_OK)
		rc = ensemble_execute(&e, jobs_or_all(o->jobs), err);
	int n = 0;
	for (int t = 0; t < ts_n_tables && rc == TS_OK; t++, n++) {
		rc = open_with_header(&out[n], o->output_dir, ts_tables[t].file, ts_table_header(&ts_tables[t], 1), err);
		for (int r = 0; r < o->reps && rc == TS_OK; r++)
			rc = append_file(&out[n], &e.files[(size_t)r * (size_t)ts_n_tables + (size_t)t], err);
		if (rc == TS_OK)
			rc = ts_csv_close(&out[n], err);
	}
	for (int t = 0; t < e.ntab && rc == TS_OK; t++, n++)
		rc = write_summary(&out[n], o->output_dir, &e, &e.tab[t], err);
	if (rc == TS_OK) {
		rc = ts_csv_open(&out[n], o->output_dir, "reps.csv", "rep,seed", err);
		for (int r = 0; r < o->reps && rc == TS_OK; r++) {
			ts_csv_int(&out[n], r);
			ts_csv_int(&out[n], (long)seeds[r]);
			ts_csv_end_row(&out[n]);
		}
		if (rc == TS_OK)
			rc = ts_csv_close(&out[n], err);
		n++;
	}
	if (rc == TS_OK) {
		out[n].fp = ts_open_temp(o->output_dir, "scenario.cfg", &out[n].tmp_path, &out[n].final_path, err);
		rc = out[n].fp ? ts_scenario_write(s, out[n].fp, err) : err->status;
		if (rc == TS_OK)
			rc = ts_csv_close(&out[n], err);
		n++;
	}
	if (rc == TS_OK)
		rc = write_json(&out[n++], o->output_dir, s, NULL, o->command_line, o->overrides, o->n_overrides,
		                o->reps, base, seeds, NULL, err);
	rc = ts_csv_commit_all(out, n, rc, err);
done:
	for (int i = 0; out && i < n_out; i++)
		ts_csv_discard(&out[i]);
	ensemble_release(&e);
	free(out);
	free(seeds);
	ts_c_locale_leave(&loc);
	return rc;
}

/* Same entities in the same order in A and B. */
static int same_rows(const ts_scenario *a, const ts_scenario *b, const ens_table *ta, const ens_table *tb,
                     ts_error *err)
{
	if (ta->rows != tb->rows)
		return ts_error_set(err, TS_EINPUT, "%s: A has %d rows per step, B %d: compare needs the same entities",
		                    ta->t->file, ta->rows, tb->rows);
	key_list ka, kb;
	int rc = key_list_make(&ka, a, ta, err);
	if (rc != TS_OK)
		return rc;
	rc = key_list_make(&kb, b, tb, err);
	if (rc != TS_OK) {
		key_list_free(&ka);
		return rc;
	}
	for (size_t i = 0; i < (size_t)ta->rows * (size_t)ta->t->n_keys && rc == TS_OK; i++)
		if (strcmp(ka.keys[i], kb.keys[i]) != 0)
			rc = ts_error_set(err, TS_EINPUT, "%s: row %zu is '%s' in A but '%s' in B: compare needs the same entities",
			                  ta->t->file, i / (size_t)ta->t->n_keys, ka.keys[i], kb.keys[i]);
	key_list_free(&ka);
	key_list_free(&kb);
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

static int write_compare(ts_csv *csv, const char *dir, const ensemble *ea, const ensemble *eb, int t,
                         double confidence, ts_error *err)
{
	return write_cells(csv, dir, "compare", ",metric,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi",
	                   ea, &ea->tab[t], &eb->tab[t], compare_cell, &confidence, err);
}

int ts_compare_run(const ts_scenario *a, const ts_scenario *b, const ts_compare_options *o, ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	if (o->reps < 1)
		return ts_error_set(err, TS_EINPUT, "replications must be at least 1, got %d", o->reps);
	double confidence = o->confidence > 0.0 ? o->confidence : 0.95;
	if (!(confidence < 1.0))
		return ts_error_set(err, TS_EINPUT, "confidence must be in (0, 1), got %g", confidence);
	if (ts_scenario_steps(a) != ts_scenario_steps(b))
		return ts_error_set(err, TS_EINPUT, "A runs %d steps and B %d: compare needs the same calendar",
		                    ts_scenario_steps(a), ts_scenario_steps(b));
	int rc = ts_make_dirs(o->output_dir, err);
	if (rc != TS_OK)
		return rc;
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	if ((rc = ts_c_locale_enter(&loc, err)) != TS_OK)
		return rc;
	uint32_t base = o->base_seed ? o->base_seed : ts_scenario_seed(a);
	uint32_t *seeds = malloc(2 * (size_t)o->reps * sizeof *seeds);
	int n_out = MAX_TABLES + 2;
	ts_csv *out = calloc((size_t)n_out, sizeof *out);
	ensemble ea, eb;
	memset(&ea, 0, sizeof ea);
	memset(&eb, 0, sizeof eb);
	int n = 0;
	if (!seeds || !out) {
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	uint32_t *seeds_b = seeds + o->reps;
	for (int r = 0; r < o->reps; r++) {
		seeds[r] = ts_seed_derive(base, (uint64_t)r);
		/* Independent streams: B takes the indices after A's. */
		seeds_b[r] = o->independent ? ts_seed_derive(base, (uint64_t)(o->reps + r)) : seeds[r];
	}
	rc = ensemble_init(&ea, a, o->reps, seeds, err);
	if (rc == TS_OK)
		rc = ensemble_init(&eb, b, o->reps, seeds_b, err);
	for (int t = 0; t < ea.ntab && rc == TS_OK; t++)
		rc = same_rows(a, b, &ea.tab[t], &eb.tab[t], err);
	if (rc == TS_OK)
		rc = ensemble_execute(&ea, jobs_or_all(o->jobs), err);
	if (rc == TS_OK)
		rc = ensemble_execute(&eb, jobs_or_all(o->jobs), err);
	for (int t = 0; t < ea.ntab && rc == TS_OK; t++, n++)
		rc = write_compare(&out[n], o->output_dir, &ea, &eb, t, confidence, err);
	if (rc == TS_OK) {
		rc = ts_csv_open(&out[n], o->output_dir, "reps.csv", "rep,seed_a,seed_b", err);
		for (int r = 0; r < o->reps && rc == TS_OK; r++) {
			ts_csv_int(&out[n], r);
			ts_csv_int(&out[n], (long)seeds[r]);
			ts_csv_int(&out[n], (long)seeds_b[r]);
			ts_csv_end_row(&out[n]);
		}
		if (rc == TS_OK)
			rc = ts_csv_close(&out[n], err);
		n++;
	}
	if (rc == TS_OK)
		rc = write_json(&out[n++], o->output_dir, a, b, o->command_line, NULL, 0, o->reps, base, seeds,
		                seeds_b, err);
	rc = ts_csv_commit_all(out, n, rc, err);
done:
	for (int i = 0; out && i < n_out; i++)
		ts_csv_discard(&out[i]);
	ensemble_release(&ea);
	ensemble_release(&eb);
	free(out);
	free(seeds);
	ts_c_locale_leave(&loc);
	return rc;
}
