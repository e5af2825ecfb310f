/* Series addresses resolved against the table descriptors, the reductions
 * that turn a series into a run metric, and a run that computes them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sim.h>
#include "scenario/cfgcheck.h"
#include "batch/metric.h"
#include "output/run.h"

const char *const ts_stat_names[TS_STAT_COUNT] = {"final", "mean", "min", "max"};

int ts_series_row(const ts_series *series, const struct ts_sim *w)
{
	char key[256];
	int n = series->table->rows(w);
	for (int r = 0; r < n; r++) {
		ts_table_row_key(series->table, w, r, key, sizeof key);
		if (strcmp(key, series->key) == 0)
			return r;
	}
	return -1;
}

/* The table before the first dot: a per-entity one. */
static int parse_table(ts_series *out, const char *address, const char *dot, const char *where, ts_error *err)
{
	char table[64], hint[300];
	snprintf(table, sizeof table, "%.*s", (int)(dot - address), address);
	const char *names[16];
	int n_names = 0;
	for (int t = 0; t < ts_n_tables; t++)
		if (ts_tables[t].per_entity && n_names < 16)
			names[n_names++] = ts_tables[t].name;
	const ts_table *tb = ts_table_find(table);
	if (!tb || !tb->per_entity)
		return ts_error_set(err, TS_EINPUT, "%s'%s': unknown table '%s'%s (tables: countries, firms, markets)",
		                    where, address, table, ts_cfg_hint(hint, sizeof hint, table, names, (size_t)n_names));
	out->table = tb;
	return TS_OK;
}

/* The column after the last dot: a numeric column of the table. */
static int parse_column(ts_series *out, const char *address, const char *column, const char *where, ts_error *err)
{
	const ts_table *tb = out->table;
	const char *cols[64] = {NULL};
	char hint[300];
	int n_cols = 0;
	out->column = -1;
	for (int c = 0; c < tb->n_columns; c++)
		if (tb->columns[c].type != TS_COL_TEXT) {
			if (n_cols < 64)
				cols[n_cols++] = tb->columns[c].name;
			if (strcmp(tb->columns[c].name, column) == 0)
				out->column = c;
		}
	if (out->column >= 0)
		return TS_OK;
	ts_cfg_hint(hint, sizeof hint, column, cols, (size_t)n_cols);
	for (int c = 0; c < n_cols && !hint[0]; c++)  /* "revenue" for "revenue_bn_usd" */
		if (strncmp(cols[c], column, strlen(column)) == 0)
			snprintf(hint, sizeof hint, " (did you mean '%s'?)", cols[c]);
	return ts_error_set(err, TS_EINPUT, "%s'%s': unknown numeric column '%s' of %s%s", where, address, column,
	                    tb->name, hint);
}

/* The entity, which must be a row of the table in a sim of scenario s. */
static int check_entity(const ts_series *out, const char *address, const ts_scenario *s, const char *where,
                        ts_error *err)
{
	ts_sim *w = NULL;
	ts_error local = TS_ERROR_INIT;
	if (ts_sim_alloc(&w, s, ts_scenario_seed(s), &local) != TS_OK)
		return ts_error_set(err, local.status, "%s%s", where, local.message);
	const ts_table *tb = out->table;
	int rc = TS_OK, rows = tb->rows(w);
	if (ts_series_row(out, w) < 0) {
		char hint[300] = "";
		char (*keys)[256] = malloc((size_t)(rows ? rows : 1) * sizeof *keys);
		const char **ptrs = malloc((size_t)(rows ? rows : 1) * sizeof *ptrs);
		if (keys && ptrs) {
			for (int r = 0; r < rows; r++) {
				ts_table_row_key(tb, w, r, keys[r], sizeof keys[r]);
				ptrs[r] = keys[r];
			}
			ts_cfg_hint(hint, sizeof hint, out->key, ptrs, (size_t)rows);
		}
		rc = ts_error_set(err, TS_EINPUT, "%s'%s': no %s '%s' in %s%s", where, address,
		                  tb->n_keys == 1 ? tb->columns[0].name : "market (country.sector.segment)",
		                  out->key, ts_scenario_path(s), hint);
		free(keys);
		free(ptrs);
	}
	ts_sim_free(w);
	return rc;
}

int ts_series_parse(ts_series *out, const char *address, const ts_scenario *s, const char *where,
                    ts_error *err)
{
	memset(out, 0, sizeof *out);
	const char *dot = strchr(address, '.'), *last = strrchr(address, '.');
	if (!dot || dot == last || dot == address || !last[1])
		return ts_error_set(err, TS_EINPUT, "%s'%s' is not TABLE.ENTITY.COLUMN, e.g. firms.Qualcomm.revenue_bn_usd",
		                    where, address);
	int rc = parse_table(out, address, dot, where, err);
	if (rc == TS_OK)
		rc = parse_column(out, address, last + 1, where, err);
	if (rc != TS_OK)
		return rc;
	if ((size_t)(last - dot - 1) >= sizeof out->key)
		return ts_error_set(err, TS_EINPUT, "%s'%s': entity name too long", where, address);
	snprintf(out->key, sizeof out->key, "%.*s", (int)(last - dot - 1), dot + 1);
	return check_entity(out, address, s, where, err);
}

void ts_stat_acc_init(ts_stat_acc *a)
{
	a->final = NAN;
	a->sum = 0.0;
	a->min = INFINITY;
	a->max = -INFINITY;
	a->n = 0;
}

void ts_stat_acc_add(ts_stat_acc *a, double value)
{
	a->final = value;
	if (!isfinite(value))
		return;
	a->sum += value;
	a->min = fmin(a->min, value);
	a->max = fmax(a->max, value);
	a->n++;
}

double ts_stat_acc_result(const ts_stat_acc *a, ts_stat stat)
{
	if (stat == TS_STAT_FINAL)
		return a->final;
	if (a->n == 0)
		return NAN;
	return stat == TS_STAT_MEAN ? a->sum / (double)a->n : stat == TS_STAT_MIN ? a->min : a->max;
}

typedef struct metrics_run {
	const ts_metric *metrics;
	int n;
	int *rows;                   /* per metric, resolved at the first step */
	ts_stat_acc *acc;
} metrics_run;

static int metrics_step(const struct ts_sim *w, const char *date, void *arg, ts_error *err)
{
	(void)date;
	metrics_run *m = arg;
	for (int k = 0; k < m->n; k++) {
		const ts_series *series = &m->metrics[k].series;
		if (m->rows[k] < 0 && (m->rows[k] = ts_series_row(series, w)) < 0)
			return ts_error_set(err, TS_ERUN, "metric %s: no %s '%s' in this run", m->metrics[k].name,
			                    series->table->name, series->key);
		ts_stat_acc_add(&m->acc[k], ts_table_value(series->table, w, m->rows[k], series->column));
	}
	return TS_OK;
}

int ts_metrics_run(const ts_metric *metrics, int n, const ts_scenario *scn, uint32_t seed, const char *dir,
                   double *values, ts_error *err)
{
	int *rows = malloc((size_t)(n > 0 ? n : 1) * sizeof *rows);
	ts_stat_acc *acc = malloc((size_t)(n > 0 ? n : 1) * sizeof *acc);
	if (!rows || !acc) {
		free(rows);
		free(acc);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	for (int k = 0; k < n; k++) {
		rows[k] = -1;
		ts_stat_acc_init(&acc[k]);
	}
	metrics_run m = {metrics, n, rows, acc};
	int rc;
	if (dir) {
		ts_run_options o = TS_RUN_OPTIONS_INIT;
		o.output_dir = dir;
		o.seed = seed;
		rc = ts_run_visited(scn, &o, metrics_step, &m, err);
	} else {
		rc = ts_simulate(scn, seed, metrics_step, &m, err);
	}
	for (int k = 0; k < n; k++)
		values[k] = ts_stat_acc_result(&acc[k], metrics[k].stat);
	free(rows);
	free(acc);
	return rc;
}
