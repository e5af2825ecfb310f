/* Series addresses resolved against the table descriptors, metrics read
 * from their text form (the dates of their windows, the measures and
 * countries of event metrics), the reductions that turn a run into a
 * metric, and a run that computes them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sim.h>
#include "batch/metric.h"
#include "model/innovation_sizes.h"
#include "model/world.h"
#include "output/run.h"
#include "scenario/spec.h"

const char *const ts_stat_names[TS_STAT_COUNT] = {"final", "mean", "min", "max", "sum", "first_start",
                                                  "rule_starts", "ally_starts", "retaliated"};

int ts_stat_find(const char *word)
{
	for (int k = 0; k < TS_STAT_COUNT; k++)
		if (strcmp(word, ts_stat_names[k]) == 0)
			return k;
	return -1;
}

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

bool ts_metric_date(const ts_scenario *s, const char *label, int end, int *step, char *msg, size_t size)
{
	long long first_month;
	int months, t;
	if (!ts_calendar_months(label, &first_month, &months) || !ts_calendar_parse(&s->run, label, &t)) {
		snprintf(msg, size, "'%s' is not a date: expected 2019, 2019Q2, 2019-05 or a step number", label);
		return false;
	}
	if (end)
		t += ts_calendar_span_steps(&s->run, months) - 1;
	if (t < 0 || t >= s->run.steps) {
		char first[32] = "", last[32] = "";
		ts_calendar_label(&s->run, 0, first, sizeof first);
		ts_calendar_label(&s->run, s->run.steps - 1, last, sizeof last);
		snprintf(msg, size, "'%s' is outside the run of %s (%s .. %s)", label, ts_scenario_path(s), first, last);
		return false;
	}
	*step = t;
	return true;
}

int ts_metric_read_date(ts_cfg *c, const config_setting_t *g, const char *key, const ts_scenario *s, int end,
                        int *step)
{
	const config_setting_t *at = config_setting_get_member(g, key);
	if (at && config_setting_type(at) == CONFIG_TYPE_INT) {  /* a step number, as in scenarios */
		long long number = 0;
		if (ts_cfg_int(c, g, key, 0, 0, s->run.steps - 1, &number) != TS_CFG_SET)
			return TS_CFG_BAD;
		*step = (int)number;
		return TS_CFG_SET;
	}
	const char *label = NULL;
	int rc = ts_cfg_string(c, g, key, 0, &label);
	if (rc != TS_CFG_SET)
		return rc;
	char msg[512];
	if (!ts_metric_date(s, label, end, step, msg, sizeof msg)) {
		ts_cfg_error(c, at, "%s", msg);
		return TS_CFG_BAD;
	}
	return TS_CFG_SET;
}

/* A did-you-mean for `word` among the ids of s's countries (or measures) into hint. */
static void id_hint(char *hint, size_t size, const char *word, const ts_scenario *s, int countries)
{
	int n = countries ? s->n_countries : s->n_measures;
	hint[0] = '\0';
	const char **ids = n > 0 ? malloc((size_t)n * sizeof *ids) : NULL;
	if (!ids)
		return;
	for (int k = 0; k < n; k++)
		ids[k] = countries ? s->countries[k].id : s->measures[k].id;
	ts_cfg_hint(hint, size, word, ids, (size_t)n);
	free(ids);
}

/* Index of the measure with id `id` in s, or -1 with a did-you-mean in hint. */
static int find_measure(const ts_scenario *s, const char *id, char *hint, size_t size)
{
	hint[0] = '\0';
	for (int j = 0; j < s->n_measures; j++)
		if (strcmp(s->measures[j].id, id) == 0)
			return j;
	id_hint(hint, size, id, s, 0);
	return -1;
}

/* Index of country `id` in s, or -1 with a did-you-mean in hint. */
static int find_country(const ts_scenario *s, const char *id, char *hint, size_t size)
{
	int c = ts_scenario_country_index(s, id);
	hint[0] = '\0';
	if (c < 0)
		id_hint(hint, size, id, s, 1);
	return c;
}

/* first_start's "ID" or "ID@ALLY". */
static int target_measure(ts_metric *m, const char *what, const ts_scenario *s, const char *where, ts_error *err)
{
	char id[256], hint[300];
	const char *at = strchr(what, '@');
	snprintf(id, sizeof id, "%.*s", (int)(at ? at - what : (long)strlen(what)), what);
	if ((m->measure = find_measure(s, id, hint, sizeof hint)) < 0)
		return ts_error_set(err, TS_EINPUT, "%s'%s': no measure '%s' in %s%s", where, what, id, ts_scenario_path(s),
		                    hint);
	snprintf(m->measure_id, sizeof m->measure_id, "%.79s", s->measures[m->measure].id);  /* ids: at most 64 */
	m->ally = -1;
	if (at && (m->ally = find_country(s, at + 1, hint, sizeof hint)) < 0)
		return ts_error_set(err, TS_EINPUT, "%s'%s': no country '%s' in %s%s (ID@COUNTRY is that ally's copy "
		                    "of a pressed measure)", where, what, at + 1, ts_scenario_path(s), hint);
	return TS_OK;
}

int ts_metric_target(ts_metric *m, const char *what, const ts_scenario *s, const char *where, ts_error *err)
{
	char hint[300];
	const char *stat = ts_stat_names[m->stat];
	if (m->stat < TS_STAT_SERIES_COUNT || m->stat == TS_STAT_FIRST_START || m->stat == TS_STAT_RETALIATED) {
		if (!what || !what[0])
			return ts_error_set(err, TS_EINPUT, "%sstat %s needs %s", where, stat,
			                    m->stat < TS_STAT_SERIES_COUNT ? "a series, e.g. firms.Qualcomm.revenue_bn_usd"
			                    : m->stat == TS_STAT_FIRST_START ? "a measure id" : "a country id");
		if (m->stat < TS_STAT_SERIES_COUNT)
			return ts_series_parse(&m->series, what, s, where, err);
		if (m->stat == TS_STAT_FIRST_START)
			return target_measure(m, what, s, where, err);
	}
	m->country = -1;
	if (m->stat != TS_STAT_RETALIATED && (!what || strcmp(what, "all") == 0))
		return TS_OK;
	if ((m->country = find_country(s, what, hint, sizeof hint)) < 0)
		return ts_error_set(err, TS_EINPUT, "%s'%s': no country '%s' in %s%s", where, what, what,
		                    ts_scenario_path(s), hint);
	return TS_OK;
}

/* "[diff:][annualise:]STAT:WHAT[:FROM:TO]" for m into buf. */
static void text_form(const ts_metric *m, const ts_scenario *s, char *buf, size_t size)
{
	char what[400] = "", from[32] = "", to[32] = "";
	if (m->stat < TS_STAT_SERIES_COUNT)
		snprintf(what, sizeof what, "%s.%s.%s", m->series.table->name, m->series.key,
		         m->series.table->columns[m->series.column].name);
	else if (m->stat == TS_STAT_FIRST_START)
		snprintf(what, sizeof what, "%s%s%s", s->measures[m->measure].id, m->ally >= 0 ? "@" : "",
		         m->ally >= 0 ? s->countries[m->ally].id : "");
	else
		snprintf(what, sizeof what, "%s", m->country >= 0 ? s->countries[m->country].id : "all");
	if (m->window) {
		ts_calendar_label(&s->run, m->from, from, sizeof from);
		ts_calendar_label(&s->run, m->to, to, sizeof to);
	}
	snprintf(buf, size, "%s%s%s:%s%s%s%s%s", m->diff ? "diff:" : "", m->annualise ? "annualise:" : "",
	         ts_stat_names[m->stat], what, m->window ? ":" : "", from, m->window ? ":" : "", to);
}

int ts_metric_finish(ts_metric *m, const ts_scenario *s, const char *where, ts_error *err)
{
	if (m->stat == TS_STAT_FINAL && m->window)
		return ts_error_set(err, TS_EINPUT, "%sstat final takes no window (from, to): it is the value at the "
		                    "last step; mean over a one-period window is the value of that period", where);
	if (m->annualise && m->stat != TS_STAT_SUM)
		return ts_error_set(err, TS_EINPUT, "%sannualise applies to stat sum, not %s", where,
		                    ts_stat_names[m->stat]);
	if (m->window && m->to < m->from)
		return ts_error_set(err, TS_EINPUT, "%sthe window ends (step %d) before it starts (step %d)", where, m->to,
		                    m->from);
	if (!m->window) {
		m->from = 0;
		m->to = s->run.steps - 1;
	}
	m->years = (double)(m->to - m->from + 1) / s->run.steps_per_year;
	if (m->name)
		return TS_OK;
	char buf[600];
	text_form(m, s, buf, sizeof buf);
	return (m->name = strdup(buf)) ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
}

/* The window of the text form: one date (that period) or two. */
static int parse_window(ts_metric *m, char *const *field, int n, const ts_scenario *s, const char *where,
                        const char *text, ts_error *err)
{
	char msg[512];
	if (n == 0)
		return TS_OK;
	m->window = 1;
	if (!ts_metric_date(s, field[0], 0, &m->from, msg, sizeof msg) ||
	    !ts_metric_date(s, field[n - 1], 1, &m->to, msg, sizeof msg))
		return ts_error_set(err, TS_EINPUT, "%s'%s': %s", where, text, msg);
	return TS_OK;
}

/* Splits text at ':' into at most 8 fields of buf; their number. */
static int split_fields(char *buf, char **field)
{
	int n = 0;
	for (char *p = buf; p && n < 8; n++) {
		field[n] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	return n;
}

int ts_metric_parse(ts_metric *out, const char *text, const ts_scenario *s, const char *where, ts_error *err)
{
	memset(out, 0, sizeof *out);
	out->ally = out->country = -1;
	if (!(out->name = strdup(text)))
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	char buf[1024], *field[8], hint[300];
	if (strlen(text) >= sizeof buf)
		return ts_error_set(err, TS_EINPUT, "%s'%.40s...': too long", where, text);
	strcpy(buf, text);
	int n = split_fields(buf, field), k = 0;
	for (; k < n && (strcmp(field[k], "diff") == 0 || strcmp(field[k], "annualise") == 0); k++)
		*(strcmp(field[k], "diff") == 0 ? &out->diff : &out->annualise) = 1;
	int stat = k < n ? ts_stat_find(field[k]) : -1;
	if (n - k < 1 || n - k > 4 || (stat < 0 && n - k == 1) || strchr(text, '"'))
		return ts_error_set(err, TS_EINPUT, "%s'%s' is not [diff:][annualise:]STAT:WHAT[:FROM[:TO]], e.g. "
		                    "annualise:sum:firms.Qualcomm.revenue_bn_usd:2019Q2:2021Q4", where, text);
	for (int i = k; i < n; i++)
		if (!field[i][0])
			return ts_error_set(err, TS_EINPUT, "%s'%s': empty field %d", where, text, i + 1);
	if (stat < 0)
		return ts_error_set(err, TS_EINPUT, "%s'%s': unknown stat '%s'%s (stats: final, mean, min, max, sum, "
		                    "first_start, rule_starts, ally_starts, retaliated)", where, text, field[k],
		                    ts_cfg_hint(hint, sizeof hint, field[k], ts_stat_names, TS_STAT_COUNT));
	out->stat = (ts_stat)stat;
	char at[1100];
	snprintf(at, sizeof at, "%s'%s': ", where, text);
	int rc = ts_metric_target(out, n - k > 1 ? field[k + 1] : NULL, s, at, err);
	if (rc == TS_OK)
		rc = parse_window(out, field + k + 2, n - k > 2 ? n - k - 2 : 0, s, where, text, err);
	return rc == TS_OK ? ts_metric_finish(out, s, at, err) : rc;
}

const char *ts_metric_unit(const ts_metric *m, char *buf, size_t size)
{
	static const char *const units[] = {"bn_usd_per_year", "bn_usd", "months", "jobs", NULL};
	buf[0] = '\0';
	if (m->stat == TS_STAT_FIRST_START)
		snprintf(buf, size, "step");
	else if (m->stat == TS_STAT_RULE_STARTS || m->stat == TS_STAT_ALLY_STARTS)
		snprintf(buf, size, "measures");
	else if (m->stat == TS_STAT_RETALIATED)
		snprintf(buf, size, "0/1");
	if (buf[0] || !m->series.table)
		return buf;
	const char *col = m->series.table->columns[m->series.column].name;
	size_t len = strlen(col);
	for (int u = 0; units[u] && !buf[0]; u++) {
		size_t lu = strlen(units[u]);
		if (len >= lu && strcmp(col + len - lu, units[u]) == 0 && (len == lu || col[len - lu - 1] == '_'))
			snprintf(buf, size, "%s%s", units[u], m->annualise ? "_per_year" : "");
	}
	return buf;
}

void ts_stat_acc_init(ts_stat_acc *a)
{
	a->final = NAN;
	a->sum = 0.0;
	a->min = INFINITY;
	a->max = -INFINITY;
	a->n = a->n_bad = 0;
}

void ts_stat_acc_add(ts_stat_acc *a, double value)
{
	a->final = value;
	if (!isfinite(value)) {
		a->n_bad++;
		return;
	}
	a->sum += value;
	a->min = fmin(a->min, value);
	a->max = fmax(a->max, value);
	a->n++;
}

double ts_stat_acc_result(const ts_stat_acc *a, ts_stat stat)
{
	if (stat == TS_STAT_FINAL)
		return a->final;
	if (a->n == 0 || (stat == TS_STAT_SUM && a->n_bad))
		return NAN;
	switch (stat) {
	case TS_STAT_MEAN:
		return a->sum / (double)a->n;
	case TS_STAT_MIN:
		return a->min;
	case TS_STAT_MAX:
		return a->max;
	case TS_STAT_SUM:
		return a->sum;
	default:
		return NAN;  /* not a series stat */
	}
}

void ts_metric_states_init(ts_metric_state *st, int n)
{
	for (int k = 0; k < n; k++) {
		ts_stat_acc_init(&st[k].acc);
		st[k].row = -1;
		st[k].first = NAN;
		st[k].count = 0;
	}
}

/* Who started measure instance `inst`: 0 the scenario, 1 a rule, 2 an ally
 * adopting a pressed measure (world.h: scenario measures come first, then
 * the slots rules and pressure fill). */
static int instance_origin(const struct ts_sim *w, int inst)
{
	if (inst < w->nm)
		return 0;
	for (int p = 0; p < w->npa; p++)
		if (w->pa_inst[p] == inst)
			return 2;
	return 1;
}

/* The step's events as metric m sees them. */
static void count_events(const ts_metric *m, ts_metric_state *st, const struct ts_sim *w)
{
	for (int e = 0; e < w->n_events; e++) {
		if (w->events[e].action != TS_EVENT_START)
			continue;
		int inst = w->events[e].inst, origin = instance_origin(w, inst);
		const ts_minst *x = &w->minst[inst];
		if (m->stat == TS_STAT_FIRST_START) {
			if (isnan(st->first) && (origin == 2) == (m->ally >= 0) && (m->ally < 0 || x->actor == m->ally) &&
			    strcmp(w->scn->measures[x->spec].id, m->measure_id) == 0)
				st->first = w->step;
		} else if (origin == (m->stat == TS_STAT_ALLY_STARTS ? 2 : 1) && (m->country < 0 || x->actor == m->country)) {
			st->count++;
		}
	}
}

int ts_metric_states_step(const ts_metric *metrics, ts_metric_state *st, int n, const struct ts_sim *w,
                          ts_error *err)
{
	for (int k = 0; k < n; k++) {
		const ts_metric *m = &metrics[k];
		if (m->window && (w->step < m->from || w->step > m->to))
			continue;
		if (m->stat >= TS_STAT_SERIES_COUNT) {
			count_events(m, &st[k], w);
			continue;
		}
		if (st[k].row < 0 && (st[k].row = ts_series_row(&m->series, w)) < 0)
			return ts_error_set(err, TS_ERUN, "metric %s: no %s '%s' in this run", m->name, m->series.table->name,
			                    m->series.key);
		ts_stat_acc_add(&st[k].acc, ts_table_value(m->series.table, w, st[k].row, m->series.column));
	}
	return TS_OK;
}

void ts_metric_states_values(const ts_metric *metrics, const ts_metric_state *st, int n, double *values)
{
	for (int k = 0; k < n; k++) {
		const ts_metric *m = &metrics[k];
		switch (m->stat) {
		case TS_STAT_FIRST_START:
			values[k] = st[k].first;
			break;
		case TS_STAT_RULE_STARTS:
		case TS_STAT_ALLY_STARTS:
			values[k] = (double)st[k].count;
			break;
		case TS_STAT_RETALIATED:
			values[k] = st[k].count > 0 ? 1.0 : 0.0;
			break;
		default:
			values[k] = ts_stat_acc_result(&st[k].acc, m->stat) / (m->annualise ? m->years : 1.0);
		}
	}
}

typedef struct metrics_run {
	const ts_metric *metrics;
	int n;
	ts_metric_state *st;
} metrics_run;

static int metrics_step(const struct ts_sim *w, const char *date, void *arg, ts_error *err)
{
	(void)date;
	metrics_run *m = arg;
	return ts_metric_states_step(m->metrics, m->st, m->n, w, err);
}

int ts_metrics_run(const ts_metric *metrics, int n, const ts_scenario *scn, uint32_t seed, const char *dir,
                   double *values, ts_error *err)
{
	return ts_metrics_run_sized(metrics, n, scn, seed, dir, NULL, values, err);
}

int ts_metrics_run_sized(const ts_metric *metrics, int n, const ts_scenario *scn, uint32_t seed, const char *dir,
                         ts_innovation_sizes *sizes, double *values, ts_error *err)
{
	ts_metric_state *st = malloc((size_t)(n > 0 ? n : 1) * sizeof *st);
	if (!st)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	ts_metric_states_init(st, n);
	metrics_run m = {metrics, n, st};
	int rc;
	if (dir) {
		ts_run_options o = TS_RUN_OPTIONS_INIT;
		o.output_dir = dir;
		o.seed = seed;
		rc = ts_run_visited(scn, &o, metrics_step, &m, err);
	} else {
		rc = ts_simulate_sized(scn, seed, sizes, metrics_step, &m, err);
	}
	ts_metric_states_values(metrics, st, n, values);
	free(st);
	return rc;
}
