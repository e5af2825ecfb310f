/* Sweep files: strict loading (types, ranges, unknown keys with a
 * did-you-mean, every message "FILE:LINE: SETTING: what"), parameter paths
 * checked by applying them to the scenario, metrics by resolving them, the
 * design's size against the limits below, then the design (its points are
 * computed on demand: design_plan.h) and the sweep's identity hash. */
#include <errno.h>
#include <stdarg.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/design.h>
#include "scenario/cfgcheck.h"
#include "output/csv.h"
#include "scenario/override.h"
#include "scenario/spec.h"
#include "scenario/vary.h"
#include "util/sha256.h"
#include "batch/sweep_impl.h"
#include "util/textfile.h"
#include "util/assert.h"

const char *const ts_sweep_design_names[TS_SWEEP_DESIGN_COUNT] = {"grid", "lhs", "sobol", "saltelli"};

/* Limits on a sweep's size (docs/sweep.md), so that what is kept in memory
 * stays bounded and a typo cannot ask for the impossible. */
#define MAX_PARAMS 1000
#define MAX_POINTS 100000000L          /* `points`; a grid's product of levels: TS_DESIGN_GRID_MAX */
#define MAX_RUNS 4000000000.0          /* points x replications */
#define MAX_LHS_CELLS 100000000.0      /* LHS points x parameters: its permutations, 4 bytes each */
#define MAX_SOBOL_VALUES 100000000.0   /* sensitivity: points n (d + 2) x metrics, 8 bytes each */

static char *read_text(const char *path, ts_error *err)
{
	char *text;
	ts_read_file(&text, NULL, path, err);
	return text;
}

void ts_sweep_free(ts_sweep *s)
{
	if (!s)
		return;
	for (int j = 0; j < s->n_params; j++) {
		ts_sweep_param *p = &s->params[j];
		for (int k = 0; k < p->n_values; k++) {
			free(p->values_cfg[k]);
			free(p->values_csv[k]);
		}
		free(p->values_cfg);
		free(p->values_csv);
		free(p->path);
	}
	for (int m = 0; m < s->n_metrics; m++)
		free(s->metrics[m].name);
	for (int c = 0; c < s->n_cursors; c++)
		ts_design_cursor_free(s->cursors[c]);
	free(s->cursors);
	ts_design_plan_free(s->plan);
	if (s->baselines) {
		for (int r = 0; r < s->reps; r++) {
			free(s->baselines[r].values);
			free(s->baselines[r].message);
		}
		free(s->baselines);
	}
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->baseline_done);
	free(s->params);
	free(s->metrics);
	ts_scenario_free(s->base);
	free(s->scenario_path);
	free(s->path);
	free(s);
}

/* Text with a line break or another control character (ASCII 0-31, 127):
 * sweep.csv keeps one row per line (docs/sweep.md), so such text is refused
 * where it is written, not quoted across lines. */
static int has_control(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

/* A string as a libconfig string literal ("..." with \" and \\), malloc'd. */
static char *string_literal(const char *str)
{
	size_t n = 3;
	for (const char *p = str; *p; p++)
		n += (*p == '"' || *p == '\\') ? 2 : 1;
	char *q = malloc(n), *w = q;
	if (!q)
		return NULL;
	*w++ = '"';
	for (const char *p = str; *p; p++) {
		if (*p == '"' || *p == '\\')
			*w++ = '\\';
		*w++ = *p;
	}
	*w++ = '"';
	*w = '\0';
	return q;
}

/* A scalar of a value list as scenario text and CSV text: TS_CFG_SET, or
 * TS_CFG_BAD (reported, or c->nomem). */
static int list_value(ts_cfg *c, const config_setting_t *v, char **cfg_text, char **csv_text)
{
	char buf[1200];
	long long i;
	switch (config_setting_type(v)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		if (ts_cfg_int_value(c, v, &i) != TS_CFG_SET)
			return TS_CFG_BAD;
		snprintf(buf, sizeof buf, "%lld%s", i, (i > 2147483647LL || i < -2147483648LL) ? "L" : "");
		*cfg_text = strdup(buf);
		snprintf(buf, sizeof buf, "%lld", i);
		*csv_text = strdup(buf);
		break;
	case CONFIG_TYPE_FLOAT:
		ts_sweep_float_literal(buf, sizeof buf, config_setting_get_float(v));
		*cfg_text = strdup(buf);
		ts_format_double(buf, sizeof buf, config_setting_get_float(v));
		*csv_text = strdup(buf);
		break;
	case CONFIG_TYPE_BOOL:
		*cfg_text = strdup(config_setting_get_bool(v) ? "true" : "false");
		*csv_text = strdup(config_setting_get_bool(v) ? "true" : "false");
		break;
	case CONFIG_TYPE_STRING:
		if (has_control(config_setting_get_string(v))) {
			ts_cfg_error(c, v, "no line breaks or other control characters in a value (sweep.csv keeps one run "
			             "per line)");
			return TS_CFG_BAD;
		}
		*cfg_text = string_literal(config_setting_get_string(v));
		*csv_text = strdup(config_setting_get_string(v));
		break;
	default:
		ts_cfg_error(c, v, "expected a number, boolean or string, got %s", ts_cfg_type_phrase(v));
		return TS_CFG_BAD;
	}
	if (!*cfg_text || !*csv_text) {
		c->nomem = true;
		return TS_CFG_BAD;
	}
	return TS_CFG_SET;
}

/* Applies path = value to the scenario; reports at the parameter on failure. */
static void try_value(ts_cfg *c, ts_sweep *s, const config_setting_t *at, const char *path, const char *value)
{
	ts_override ov = {path, value};
	ts_error local = TS_ERROR_INIT;
	ts_scenario *scn = NULL;
	if (ts_scenario_vary(&scn, s->base, &ov, 1, &local) == TS_OK) {
		ts_scenario_free(scn);
		return;
	}
	/* First line of the scenario's diagnostics is enough to say why. */
	char *nl = strchr(local.message, '\n');
	if (nl)
		*nl = '\0';
	ts_cfg_error(c, at, "%s = %s does not apply to %s: %s", path, value, s->scenario_path, local.message);
}

/* `values = [...]`, exclusive of a range and of levels, log and integer. */
static void load_values(ts_cfg *c, const config_setting_t *g, const config_setting_t *values, ts_sweep_param *p,
                        int has_range_end, int has_levels)
{
	if (has_range_end)
		ts_cfg_error(c, values, "give either values or min and max, not both");
	if (!config_setting_is_aggregate(values) || config_setting_length(values) < 1) {
		ts_cfg_error(c, values, "expected a non-empty list of values, e.g. [1.0, 2.0] or [\"2018Q3\", \"2019Q1\"]");
		return;
	}
	int n = config_setting_length(values);
	p->values_cfg = calloc((size_t)n, sizeof *p->values_cfg);
	p->values_csv = calloc((size_t)n, sizeof *p->values_csv);
	if (!p->values_cfg || !p->values_csv) {
		c->nomem = true;
		return;
	}
	for (int k = 0; k < n; k++) {
		if (list_value(c, config_setting_get_elem(values, (unsigned)k), &p->values_cfg[k], &p->values_csv[k]) !=
		    TS_CFG_SET)
			return;
		p->n_values++;
	}
	if (has_levels == TS_CFG_SET)
		ts_cfg_error_in(c, g, "levels", "levels applies to a range (min, max); a list has its own values");
	if (p->log_scale || p->integer)
		ts_cfg_error_in(c, g, p->log_scale ? "log" : "integer", "applies to a range (min, max) only");
}

/* `min`, `max` (and `levels` for grids): TS_CFG_SET when the range is usable. */
static int load_range(ts_cfg *c, const ts_sweep *s, const config_setting_t *g, ts_sweep_param *p, int has_min,
                      int has_max, int has_levels, long long levels)
{
	if (has_min != TS_CFG_SET || has_max != TS_CFG_SET) {
		if (has_min != TS_CFG_BAD && has_max != TS_CFG_BAD)
			ts_cfg_error_in(c, g, has_min == TS_CFG_SET ? "max" : "min",
			                "missing: a parameter needs min and max, or values");
		return TS_CFG_BAD;
	}
	p->is_range = 1;
	if (!(p->lo < p->hi))
		ts_cfg_error_in(c, g, "max", "must be greater than min (%g), got %g", p->lo, p->hi);
	else if (p->log_scale && !(p->lo > 0.0))
		ts_cfg_error_in(c, g, "min", "a log-scale range needs min > 0, got %g", p->lo);
	p->levels = has_levels == TS_CFG_SET ? (int)levels : 0;
	if (has_levels == TS_CFG_SET && s->design != TS_SWEEP_GRID)
		ts_cfg_error_in(c, g, "levels", "levels applies to the grid design only (design is %s)",
		                ts_sweep_design_names[s->design]);
	return TS_CFG_SET;
}

/* Dangling paths, wrong types, values out of range: the scenario says. */
static void check_applies(ts_cfg *c, ts_sweep *s, const config_setting_t *g, const ts_sweep_param *p)
{
	const config_setting_t *at = config_setting_get_member(g, "path");
	char buf[64];
	if (!p->is_range) {
		/* The first value shows the path and type; a later value the
		 * scenario rejects makes its runs fail, recorded in sweep.csv. */
		try_value(c, s, at, p->path, p->values_cfg[0]);
		return;
	}
	double ends[2] = {p->lo, p->hi};
	for (int e = 0; e < 2; e++) {
		if (p->integer)
			snprintf(buf, sizeof buf, "%.0f", round(ends[e]));
		else
			ts_sweep_float_literal(buf, sizeof buf, ends[e]);
		int before = c->n_errors;
		try_value(c, s, at, p->path, buf);
		if (c->n_errors > before)
			break;
	}
}

/* An optional boolean `key` of g into *out (left as it is when absent or bad). */
static void read_flag(ts_cfg *c, const config_setting_t *g, const char *key, int *out)
{
	bool flag = false;
	if (ts_cfg_bool(c, g, key, 0, &flag) == TS_CFG_SET)
		*out = flag;
}

static void load_param(ts_cfg *c, ts_sweep *s, const config_setting_t *g, ts_sweep_param *p)
{
	static const char *const keys[] = {"path", "min", "max", "log", "levels", "integer", "values", NULL};
	if (!config_setting_is_group(g)) {
		ts_cfg_error(c, g, "expected a group { path = ...; min = ...; max = ...; } or { path = ...; values = [...]; }");
		return;
	}
	ts_cfg_check_keys(c, g, keys);
	p->line = (int)config_setting_source_line(g);
	const char *path = NULL;
	ts_cfg_string(c, g, "path", TS_CFG_REQUIRED, &path);
	if (path && !(p->path = strdup(path)))
		c->nomem = true;
	int has_min = ts_cfg_float(c, g, "min", 0, -INFINITY, INFINITY, &p->lo);
	int has_max = ts_cfg_float(c, g, "max", 0, -INFINITY, INFINITY, &p->hi);
	read_flag(c, g, "log", &p->log_scale);
	read_flag(c, g, "integer", &p->integer);
	long long levels = 0;
	int has_levels = ts_cfg_int(c, g, "levels", 0, 1, 1000000, &levels);
	const config_setting_t *values = config_setting_get_member(g, "values");
	if (values)
		load_values(c, g, values, p, has_min != TS_CFG_ABSENT || has_max != TS_CFG_ABSENT, has_levels);
	else if (load_range(c, s, g, p, has_min, has_max, has_levels, levels) != TS_CFG_SET)
		return;
	if (p->path && c->n_errors == 0 && !c->nomem)
		check_applies(c, s, g, p);
}

/* "FILE:LINE: PATH: " of setting at, for messages. */
static void where_of(ts_cfg *c, const config_setting_t *at, char *where, size_t size)
{
	char location[1100], path[100];
	ts_cfg_location(c, at, location, sizeof location);
	ts_cfg_path(at, path, sizeof path);
	snprintf(where, size, "%s: %s: ", location, path);
}

/* What a metric group's stat reads: `series`, `measure` or `country`, the
 * others refused. NULL with *bad set when missing or misplaced (reported). */
static const char *metric_target(ts_cfg *c, const config_setting_t *g, ts_stat stat, const config_setting_t **at,
                                 int *bad)
{
	static const char *const keys[] = {"series", "measure", "country"};
	int want = stat < TS_STAT_SERIES_COUNT ? 0 : stat == TS_STAT_FIRST_START ? 1 : 2;
	const char *what = NULL;
	for (int k = 0; k < 3; k++) {
		const config_setting_t *x = config_setting_get_member(g, keys[k]);
		if (x && k != want) {
			ts_cfg_error(c, x, "stat %s does not take %s (it reads %s)", ts_stat_names[stat], keys[k], keys[want]);
			*bad = 1;
		}
	}
	*at = config_setting_get_member(g, keys[want]);
	int required = stat == TS_STAT_RULE_STARTS || stat == TS_STAT_ALLY_STARTS ? 0 : TS_CFG_REQUIRED;
	if (ts_cfg_string(c, g, keys[want], (unsigned)required, &what) == TS_CFG_BAD)
		*bad = 1;
	return what;
}

/* `from` and `to` of a metric group (either alone: to the run's end, from its start). */
static int metric_window(ts_cfg *c, const config_setting_t *g, const ts_scenario *s, ts_metric *m)
{
	int from = ts_metric_read_date(c, g, "from", s, 0, &m->from);
	int to = ts_metric_read_date(c, g, "to", s, 1, &m->to);
	if (from == TS_CFG_BAD || to == TS_CFG_BAD)
		return TS_CFG_BAD;
	m->window = from == TS_CFG_SET || to == TS_CFG_SET;
	if (from != TS_CFG_SET)
		m->from = 0;
	if (to != TS_CFG_SET)
		m->to = s->run.steps - 1;
	return TS_CFG_SET;
}

/* A metric in its text form, "[diff:][annualise:]STAT:WHAT[:FROM[:TO]]". */
static void load_metric_text(ts_cfg *c, ts_sweep *s, const config_setting_t *g, ts_metric *m)
{
	char where[1400];
	where_of(c, g, where, sizeof where);
	const char *text = config_setting_get_string(g);
	if (has_control(text)) {
		ts_cfg_error(c, g, "no line breaks or other control characters in a metric (it heads a column of "
		             "sweep.csv)");
		return;
	}
	if (ts_metric_parse(m, text, s->base, where, c->err) != TS_OK) {
		c->n_errors++;
		free(m->name);
		m->name = NULL;
	}
}

static void load_metric(ts_cfg *c, ts_sweep *s, const config_setting_t *g, ts_metric *m)
{
	static const char *const keys[] = {"name", "series", "stat", "diff", "from", "to", "annualise", "measure",
	                                   "country", NULL};
	if (config_setting_type(g) == CONFIG_TYPE_STRING) {
		load_metric_text(c, s, g, m);
		return;
	}
	if (!config_setting_is_group(g)) {
		ts_cfg_error(c, g, "expected a group { series = \"firms.ID.revenue_bn_usd\"; stat = \"final\"; } or "
		             "a string \"STAT:WHAT\"");
		return;
	}
	ts_cfg_check_keys(c, g, keys);
	const char *stat = "final", *name = NULL;
	m->ally = m->country = -1;
	if (ts_cfg_string(c, g, "stat", 0, &stat) == TS_CFG_SET) {
		int k = ts_stat_find(stat);
		if (k < 0) {
			char hint[128];
			ts_cfg_error(c, config_setting_get_member(g, "stat"), "expected final, mean, min, max, sum, first_start, "
			             "rule_starts, ally_starts or retaliated, got '%s'%s", stat,
			             ts_cfg_hint(hint, sizeof hint, stat, ts_stat_names, TS_STAT_COUNT));
			return;
		}
		m->stat = (ts_stat)k;
	}
	read_flag(c, g, "diff", &m->diff);
	read_flag(c, g, "annualise", &m->annualise);
	if (ts_cfg_string(c, g, "name", 0, &name) == TS_CFG_SET && has_control(name)) {
		ts_cfg_error(c, config_setting_get_member(g, "name"), "no line breaks or other control characters in a "
		             "metric name (it heads a column of sweep.csv)");
		return;
	}
	const config_setting_t *at = NULL;
	int bad = 0;
	const char *what = metric_target(c, g, m->stat, &at, &bad);
	if (metric_window(c, g, s->base, m) != TS_CFG_SET || bad)
		return;
	char where[1400];
	where_of(c, at ? at : g, where, sizeof where);
	if (ts_metric_target(m, what, s->base, where, c->err) != TS_OK) {
		c->n_errors++;
		return;
	}
	if (name && !(m->name = strdup(name)))
		c->nomem = true;
	where_of(c, g, where, sizeof where);
	if (!c->nomem && ts_metric_finish(m, s->base, where, c->err) != TS_OK)
		c->n_errors++;
}

/* Group members of root as a list of groups (list or array of groups). */
static const config_setting_t *list_of_groups(ts_cfg *c, const config_setting_t *root, const char *key,
                                              const char *example)
{
	const config_setting_t *l = config_setting_get_member(root, key);
	if (!l) {
		ts_cfg_error_in(c, root, key, "missing: expected a list like %s", example);
		return NULL;
	}
	if (!config_setting_is_list(l) || config_setting_length(l) < 1) {
		ts_cfg_error(c, l, "expected a non-empty list ( {...}, {...} ) like %s, got %s", example,
		             ts_cfg_type_phrase(l));
		return NULL;
	}
	return l;
}

static void hash_text(ts_sha256 *h, const char *text)
{
	ts_sha256_update(h, text, strlen(text) + 1);
}

/* Identity of what the sweep computes: any change makes resume refuse. */
static void sweep_hash(ts_sweep *s)
{
	ts_sha256 h;
	char buf[512];
	ts_sha256_init(&h);
	hash_text(&h, "tradesim sweep 1");
	hash_text(&h, ts_scenario_hash(s->base));
	snprintf(buf, sizeof buf, "%s %ld %ld %d %lu %d", ts_sweep_design_names[s->design], s->points_setting,
	         s->n_points, s->reps, (unsigned long)s->seed, s->common_seeds);
	hash_text(&h, buf);
	for (int j = 0; j < s->n_params; j++) {
		const ts_sweep_param *p = &s->params[j];
		hash_text(&h, p->path);
		snprintf(buf, sizeof buf, "%d %.17g %.17g %d %d %d %d", p->is_range, p->lo, p->hi, p->log_scale,
		         p->integer, p->levels, p->n_values);
		hash_text(&h, buf);
		for (int k = 0; k < p->n_values; k++)
			hash_text(&h, p->values_cfg[k]);
	}
	for (int m = 0; m < s->n_metrics; m++) {
		const ts_metric *x = &s->metrics[m];
		if (x->stat < TS_STAT_SERIES_COUNT)
			snprintf(buf, sizeof buf, "%s.%s.%s %d %d", x->series.table->name, x->series.key,
			         x->series.table->columns[x->series.column].name, x->stat, x->diff);
		else
			snprintf(buf, sizeof buf, "%d %d %d %d %d", x->stat, x->diff, x->measure, x->ally, x->country);
		hash_text(&h, x->name);
		hash_text(&h, buf);
		if (x->window || x->annualise) {  /* what a sweep of whole-run metrics hashed stays as it was */
			snprintf(buf, sizeof buf, "window %d %d %d", x->from, x->to, x->annualise);
			hash_text(&h, buf);
		}
	}
	unsigned char digest[32];
	ts_sha256_final(&h, digest);
	for (int i = 0; i < 32; i++)
		snprintf(s->hash + 2 * i, 3, "%02x", digest[i]);
}

/* Levels of grid dimension j: a range's `levels` (default `points`), a list's values. */
static int grid_levels(const ts_sweep *s, int j)
{
	const ts_sweep_param *p = &s->params[j];
	return p->is_range ? (p->levels ? p->levels : (int)s->points_setting) : p->n_values;
}

/* Reports at root's member key, or at root when the file does not set it. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void report_at(ts_cfg *c, const config_setting_t *root, const char *key, const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	const config_setting_t *m = config_setting_get_member(root, key);
	if (m)
		ts_cfg_error(c, m, "%s", message);
	else
		ts_cfg_error_in(c, root, key, "%s", message);
}

/* The design's points, checked against the limits (docs/sweep.md), reported
 * at the setting that breaks them. Counted in doubles: nothing overflows. */
static void check_size(ts_cfg *c, ts_sweep *s, const config_setting_t *root)
{
	double n = (double)s->points_setting, d = s->n_params;
	if (s->design == TS_SWEEP_GRID) {
		n = 1;
		for (int j = 0; j < s->n_params; j++)
			if ((n *= grid_levels(s, j)) > TS_DESIGN_GRID_MAX) {
				report_at(c, root, "parameters", "a grid of more than %d points (levels multiply past it at "
				          "parameters.[%d]); use fewer levels, or lhs or sobol", TS_DESIGN_GRID_MAX, j);
				return;
			}
	} else if (s->design == TS_SWEEP_SALTELLI) {
		n *= d + 2;
	}
	if (s->design == TS_SWEEP_LHS && n * d > MAX_LHS_CELLS)
		report_at(c, root, "points", "a Latin hypercube keeps its strata in memory: points x parameters = %.0f, at "
		          "most %.0f (4 bytes each); use fewer points, or sobol", n * d, MAX_LHS_CELLS);
	else if (s->design == TS_SWEEP_SALTELLI && n * s->n_metrics > MAX_SOBOL_VALUES)
		report_at(c, root, "points", "the Sobol analysis keeps every run's metrics: n (d + 2) x metrics = %.0f, at "
		          "most %.0f (8 bytes each); use fewer base rows or metrics", n * s->n_metrics, MAX_SOBOL_VALUES);
	else if (n * s->reps > MAX_RUNS)
		report_at(c, root, "replications", "%.0f points x %d replications = %.0f runs, at most %.0f", n, s->reps,
		          n * s->reps, MAX_RUNS);
	s->n_points = (long)n;
}

/* The design's plan, once the file checked out (check_size set n_points). */
static int make_design(ts_sweep *s, ts_error *err)
{
	int d = s->n_params, rc;
	size_t n = (size_t)s->points_setting;
	if (s->design == TS_SWEEP_GRID) {
		int *levels = malloc((size_t)d * sizeof *levels);
		if (!levels)
			return ts_error_set(err, TS_ENOMEM, "out of memory");
		for (int j = 0; j < d; j++)
			levels[j] = grid_levels(s, j);
		rc = ts_design_plan_grid(&s->plan, d, levels, err);
		free(levels);
	} else if (s->design == TS_SWEEP_LHS) {
		rc = ts_design_plan_lhs(&s->plan, n, d, s->seed, err);
	} else if (s->design == TS_SWEEP_SOBOL) {
		rc = ts_design_plan_sobol(&s->plan, n, d, err);
	} else {
		rc = ts_design_plan_saltelli(&s->plan, n, d, err);
	}
	TS_ASSERT(rc != TS_OK || ts_design_plan_points(s->plan) == (size_t)s->n_points);
	return rc;
}

static void report_parse_error(ts_cfg *c, const config_t *cfg)
{
	char file[1024];
	ts_cfg_file_name(c, config_error_file(cfg), file, sizeof file);
	c->n_errors++;
	ts_error_set(c->err, TS_EINPUT, "%s:%d: %s", file, config_error_line(cfg), config_error_text(cfg));
}

/* `scenario`, resolved against the sweep file's directory, read and loaded. */
static int load_scenario(ts_cfg *c, ts_sweep *s, const config_setting_t *root, const char *dir)
{
	const char *scenario = NULL;
	if (ts_cfg_string(c, root, "scenario", TS_CFG_REQUIRED, &scenario) != TS_CFG_SET)
		return TS_CFG_BAD;
	size_t n = strlen(scenario) + (dir ? strlen(dir) : 0) + 2;
	s->scenario_path = malloc(n);
	if (!s->scenario_path) {
		c->nomem = true;
		return TS_CFG_BAD;
	}
	if (scenario[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
		snprintf(s->scenario_path, n, "%s", scenario);
	else
		snprintf(s->scenario_path, n, "%s/%s", dir, scenario);
	ts_error local = TS_ERROR_INIT;
	ts_scenario_load(&s->base, s->scenario_path, NULL, 0, &local);
	if (!s->base) {
		ts_cfg_error(c, config_setting_get_member(root, "scenario"), "cannot use %s:\n%s", s->scenario_path,
		             local.message);
		return TS_CFG_BAD;
	}
	return TS_CFG_SET;
}

/* `design` and `points`. */
static void load_design(ts_cfg *c, ts_sweep *s, const config_setting_t *root, int force_saltelli)
{
	const char *design = "grid";
	if (ts_cfg_string(c, root, "design", 0, &design) != TS_CFG_BAD) {
		int k = 0;
		while (k < TS_SWEEP_SALTELLI && strcmp(design, ts_sweep_design_names[k]) != 0)
			k++;
		if (k == TS_SWEEP_SALTELLI && !force_saltelli) {
			char hint[128];
			ts_cfg_error(c, config_setting_get_member(root, "design"), "expected grid, lhs or sobol, got '%s'%s", design,
			             ts_cfg_hint(hint, sizeof hint, design, ts_sweep_design_names, TS_SWEEP_SALTELLI));
		}
		s->design = force_saltelli ? TS_SWEEP_SALTELLI : (ts_design_kind)k;
	}
	long long v = 0;
	s->points_setting = s->design == TS_SWEEP_GRID ? 3 : 10;
	if (ts_cfg_int(c, root, "points", 0, 1, MAX_POINTS, &v) == TS_CFG_SET)
		s->points_setting = (long)v;
	if (s->design == TS_SWEEP_SALTELLI && s->points_setting < 2)
		ts_cfg_error(c, config_setting_get_member(root, "points"), "sensitivity needs at least 2 base rows, got %ld",
		             s->points_setting);
}

/* `replications`, `seed`, `common_seeds` and the `sensitivity` group. */
static void load_runs(ts_cfg *c, ts_sweep *s, const config_setting_t *root)
{
	long long v = 0;
	s->reps = 1;
	if (ts_cfg_int(c, root, "replications", 0, 1, 1000000, &v) == TS_CFG_SET)
		s->reps = (int)v;
	s->seed = ts_scenario_seed(s->base);
	if (ts_cfg_int(c, root, "seed", 0, 1, 4294967295LL, &v) == TS_CFG_SET)
		s->seed = (uint32_t)v;
	bool common = true;
	ts_cfg_bool(c, root, "common_seeds", 0, &common);
	s->common_seeds = common;
	s->bootstrap = 1000;
	s->confidence = 0.95;
	config_setting_t *sens = NULL;
	if (ts_cfg_group(c, root, "sensitivity", 0, &sens) == TS_CFG_SET) {
		static const char *const skeys[] = {"bootstrap", "confidence", NULL};
		ts_cfg_check_keys(c, sens, skeys);
		if (ts_cfg_int(c, sens, "bootstrap", 0, 0, 100000, &v) == TS_CFG_SET)
			s->bootstrap = (int)v;
		ts_cfg_float(c, sens, "confidence", TS_CFG_LO_OPEN | TS_CFG_HI_OPEN, 0.0, 1.0, &s->confidence);
	}
}

static void load_params(ts_cfg *c, ts_sweep *s, const config_setting_t *root)
{
	const config_setting_t *params = list_of_groups(c, root, "parameters",
	                                                "( { path = \"countries.CN.rd_budget\"; min = 10.0; max = 40.0; } )");
	if (!params)
		return;
	int np = config_setting_length(params);
	if (np > MAX_PARAMS) {
		ts_cfg_error(c, params, "at most %d parameters, got %d", MAX_PARAMS, np);
		return;
	}
	int dmax = s->design == TS_SWEEP_SALTELLI ? TS_DESIGN_SOBOL_DIM_MAX / 2 : TS_DESIGN_SOBOL_DIM_MAX;
	if ((s->design == TS_SWEEP_SOBOL || s->design == TS_SWEEP_SALTELLI) && np > dmax)
		ts_cfg_error(c, params, "the %s design supports at most %d parameters (Sobol sequences have %d dimensions), got %d",
		             ts_sweep_design_names[s->design], dmax, TS_DESIGN_SOBOL_DIM_MAX, np);
	if (!(s->params = calloc((size_t)np, sizeof *s->params))) {
		c->nomem = true;
		return;
	}
	for (int j = 0; j < np; j++) {
		load_param(c, s, config_setting_get_elem(params, (unsigned)j), &s->params[j]);
		s->n_params++;
		for (int i = 0; i < j && s->params[j].path; i++)
			if (s->params[i].path && strcmp(s->params[i].path, s->params[j].path) == 0)
				ts_cfg_error(c, config_setting_get_elem(params, (unsigned)j), "parameter '%s' is already varied (parameters.[%d])",
				             s->params[j].path, i);
	}
}

static void load_metrics(ts_cfg *c, ts_sweep *s, const config_setting_t *root)
{
	const config_setting_t *metrics = list_of_groups(c, root, "metrics",
	                                                 "( { series = \"firms.Qualcomm.revenue_bn_usd\"; stat = \"final\"; } ) "
	                                                 "or ( \"final:firms.Qualcomm.revenue_bn_usd\" )");
	if (!metrics)
		return;
	int nm = config_setting_length(metrics);
	if (!(s->metrics = calloc((size_t)nm, sizeof *s->metrics))) {
		c->nomem = true;
		return;
	}
	for (int m = 0; m < nm; m++) {
		load_metric(c, s, config_setting_get_elem(metrics, (unsigned)m), &s->metrics[m]);
		s->n_metrics++;
		s->any_diff |= s->metrics[m].diff;
		for (int i = 0; i < m && s->metrics[m].name; i++)
			if (s->metrics[i].name && strcmp(s->metrics[i].name, s->metrics[m].name) == 0)
				ts_cfg_error(c, config_setting_get_elem(metrics, (unsigned)m), "a metric named '%s' exists already",
				             s->metrics[m].name);
	}
}

static void load_tree(ts_cfg *c, ts_sweep *s, config_t *cfg, const char *dir, int force_saltelli)
{
	static const char *const keys[] = {"scenario", "design", "points", "replications", "seed", "common_seeds",
	                                   "parameters", "metrics", "sensitivity", NULL};
	const config_setting_t *root = config_root_setting(cfg);
	ts_cfg_check_keys(c, root, keys);
	if (load_scenario(c, s, root, dir) != TS_CFG_SET)
		return;
	load_design(c, s, root, force_saltelli);
	load_runs(c, s, root);
	load_params(c, s, root);
	load_metrics(c, s, root);
	if (c->n_errors == 0 && !c->nomem)
		check_size(c, s, root);
}

int ts_sweep_load_string(ts_sweep **out, const char *text, const char *name, const char *dir,
                         const ts_override *overrides, size_t n_overrides, int force_saltelli, ts_error *err)
{
	*out = NULL;
	ts_sweep *s = calloc(1, sizeof *s);
	if (!s || !(s->path = strdup(name))) {
		free(s);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->baseline_done, NULL);
	config_t cfg;
	config_init(&cfg);
	if (dir)
		config_set_include_dir(&cfg, dir);
	ts_cfg c;
	ts_cfg_init(&c, err, name, dir, text);
	if (ts_cfg_check_source(&c, text) > 0) {
		/* reported: integers libconfig would wrap, groups too large to parse */
	} else if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		report_parse_error(&c, &cfg);
	} else {
		ts_override_apply(&cfg, overrides, n_overrides, &c);
		if (c.n_errors == 0)
			load_tree(&c, s, &cfg, dir, force_saltelli);
	}
	int rc = c.nomem ? ts_error_set(err, TS_ENOMEM, "out of memory") : c.n_errors ? TS_EINPUT : TS_OK;
	ts_cfg_release(&c);
	config_destroy(&cfg);
	if (rc == TS_OK)
		rc = make_design(s, err);
	if (rc == TS_OK) {
		s->baselines = calloc((size_t)s->reps, sizeof *s->baselines);
		if (!s->baselines)
			rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	if (rc != TS_OK) {
		if (err->status == TS_OK)
			ts_error_set(err, rc, "%s: invalid sweep", name);
		ts_sweep_free(s);
		return rc;
	}
	sweep_hash(s);
	*out = s;
	return TS_OK;
}

int ts_sweep_load(ts_sweep **out, const char *path, const ts_override *overrides, size_t n_overrides,
                  int force_saltelli, ts_error *err)
{
	*out = NULL;
	char *text = read_text(path, err);
	if (!text)
		return err->status;
	char *copy = strdup(path);
	int rc = copy ? ts_sweep_load_string(out, text, path, dirname(copy), overrides, n_overrides, force_saltelli, err)
	              : ts_error_set(err, TS_ENOMEM, "out of memory");
	free(copy);
	free(text);
	return rc;
}

long ts_sweep_runs(const ts_sweep *s) { return s->n_points * s->reps; }
long ts_sweep_points(const ts_sweep *s) { return s->n_points; }
const char *ts_sweep_hash(const ts_sweep *s) { return s->hash; }
