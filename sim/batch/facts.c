/* Facts files: strict loading (types, unknown keys with a did-you-mean,
 * every message "FILE:LINE: SETTING: what"), series resolved as sweep
 * metrics are, dates in the scenario's calendar, counterfactuals loaded as
 * variants of the scenario; and the statistics a fact computes from a run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "batch/facts.h"
#include "scenario/cfgcheck.h"
#include "scenario/spec.h"
#include "util/assert.h"
#include "util/textfile.h"

const char *const ts_fact_stat_names[TS_FACT_STAT_COUNT] = {"value", "sum", "mean", "min", "max", "change",
                                                            "growth", "ratio"};
static const char *const contrast_names[] = {"difference", "relative"};

void ts_facts_free(ts_facts *f)
{
	if (!f)
		return;
	for (int k = 0; k < f->n_facts; k++) {
		free(f->facts[k].name);
		free(f->facts[k].source);
	}
	for (int v = 0; v < f->n_variants; v++) {
		for (int o = 0; o < f->variants[v].n_overrides; o++) {
			free((char *)f->variants[v].overrides[o].path);
			free((char *)f->variants[v].overrides[o].value);
		}
		free(f->variants[v].overrides);
		ts_scenario_free(f->variants[v].scenario);
	}
	free(f->variants);
	free(f->facts);
	free(f->path);
	free(f);
}

static int has_control(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

/* A required, non-empty string on one line (it goes into a CSV cell), strdup'd. */
static char *one_line(ts_cfg *c, const config_setting_t *g, const char *key)
{
	const char *text = NULL;
	if (ts_cfg_string(c, g, key, TS_CFG_REQUIRED, &text) != TS_CFG_SET)
		return NULL;
	const config_setting_t *at = config_setting_get_member(g, key);
	if (!text[0] || has_control(text)) {
		ts_cfg_error(c, at, "expected text on one line, not %s", text[0] ? "line breaks" : "an empty string");
		return NULL;
	}
	char *copy = strdup(text);
	if (!copy)
		c->nomem = true;
	return copy;
}

/* A name of names[0 .. n), with a did-you-mean; -1 when bad (reported). */
static int read_choice(ts_cfg *c, const config_setting_t *g, const char *key, const char *const *names, int n,
                       int fallback)
{
	const char *word = NULL;
	int rc = ts_cfg_string(c, g, key, fallback < 0 ? TS_CFG_REQUIRED : 0, &word);
	if (rc != TS_CFG_SET)
		return rc == TS_CFG_ABSENT ? fallback : -1;
	for (int k = 0; k < n; k++)
		if (strcmp(word, names[k]) == 0)
			return k;
	char hint[128], list[256] = "";
	for (int k = 0; k < n; k++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "", names[k]);
	ts_cfg_error(c, config_setting_get_member(g, key), "expected one of %s, got '%s'%s", list, word,
	             ts_cfg_hint(hint, sizeof hint, word, names, (size_t)n));
	return -1;
}

/* One address appended to list[*n]; reported at `at`. */
static void read_address(ts_cfg *c, const config_setting_t *at, const ts_scenario *s, ts_series *list, int *n)
{
	if (config_setting_type(at) != CONFIG_TYPE_STRING) {
		ts_cfg_error(c, at, "expected a series address like \"firms.Huawei.revenue_bn_usd\", got %s",
		             ts_cfg_type_phrase(at));
		return;
	}
	char where[1400], location[1100], path[100];
	ts_cfg_location(c, at, location, sizeof location);
	ts_cfg_path(at, path, sizeof path);
	snprintf(where, sizeof where, "%s: %s: ", location, path);
	if (ts_series_parse(&list[*n], config_setting_get_string(at), s, where, c->err) != TS_OK)
		c->n_errors++;
	else
		(*n)++;
}

/* `series` (required) or `per`: an address, or a list of addresses added
 * step by step. */
static void read_series(ts_cfg *c, const config_setting_t *g, const ts_scenario *s, const char *key,
                        ts_series *list, int *n_list)
{
	const config_setting_t *x = config_setting_get_member(g, key);
	if (!x) {
		if (strcmp(key, "series") == 0)
			ts_cfg_error_in(c, g, key, "missing: expected an address like \"firms.Huawei.revenue_bn_usd\" "
			                "or a list of them (added)");
		return;
	}
	if (!config_setting_is_aggregate(x)) {
		read_address(c, x, s, list, n_list);
		return;
	}
	int n = config_setting_length(x);
	if (n < 1 || n > TS_FACT_MAX_SERIES || config_setting_is_group(x)) {
		ts_cfg_error(c, x, "expected a list of 1 to %d addresses, got %s", TS_FACT_MAX_SERIES,
		             config_setting_is_group(x) ? "a group" : n < 1 ? "an empty list" : "more");
		return;
	}
	for (int k = 0; k < n; k++)
		read_address(c, config_setting_get_elem(x, (unsigned)k), s, list, n_list);
}

/* Which of the window keys the stat takes, and reads them. */
static void read_window(ts_cfg *c, const config_setting_t *g, const ts_scenario *s, ts_fact *f)
{
	static const char *const keys[] = {"at", "from", "to", "base_from", "base_to", "reduce"};
	int takes[6] = {0};  /* 1: required, -1: refused */
	for (int k = 0; k < 6; k++)
		takes[k] = f->stat == TS_FACT_VALUE ? (k == 0 ? 1 : -1)
		         : f->stat == TS_FACT_RATIO ? (k == 0 ? -1 : k == 5 ? 0 : 1)
		                                    : (k == 1 || k == 2 ? 1 : -1);
	for (int k = 0; k < 6; k++) {
		if (takes[k] == 1 && !config_setting_get_member(g, keys[k]))
			ts_cfg_error_in(c, g, keys[k], "missing: stat '%s' needs it", ts_fact_stat_names[f->stat]);
		else if (takes[k] == -1 && config_setting_get_member(g, keys[k]))
			ts_cfg_error(c, config_setting_get_member(g, keys[k]), "stat '%s' does not take %s",
			             ts_fact_stat_names[f->stat], keys[k]);
	}
	if (f->stat == TS_FACT_VALUE) {
		if (ts_metric_read_date(c, g, "at", s, 0, &f->from) == TS_CFG_SET)
			f->to = f->from;
		return;
	}
	int ok = ts_metric_read_date(c, g, "from", s, 0, &f->from) == TS_CFG_SET;
	ok &= ts_metric_read_date(c, g, "to", s, 1, &f->to) == TS_CFG_SET;
	if (ok && f->to < f->from)
		ts_cfg_error(c, config_setting_get_member(g, "to"), "ends before `from`");
	if (f->stat != TS_FACT_RATIO)
		return;
	ok = ts_metric_read_date(c, g, "base_from", s, 0, &f->base_from) == TS_CFG_SET;
	ok &= ts_metric_read_date(c, g, "base_to", s, 1, &f->base_to) == TS_CFG_SET;
	if (ok && f->base_to < f->base_from)
		ts_cfg_error(c, config_setting_get_member(g, "base_to"), "ends before `base_from`");
	int r = read_choice(c, g, "reduce", ts_fact_stat_names + TS_FACT_SUM, 4, 1);
	f->reduce = r < 0 ? TS_FACT_MEAN : (ts_fact_stat)(TS_FACT_SUM + r);
}

/* `observed`, and exactly one of `tolerance` and `standard_error`. */
static void read_target(ts_cfg *c, const config_setting_t *g, ts_fact *f)
{
	ts_cfg_float(c, g, "observed", TS_CFG_REQUIRED, -INFINITY, INFINITY, &f->observed);
	int tol = ts_cfg_float(c, g, "tolerance", TS_CFG_LO_OPEN, 0.0, INFINITY, &f->tolerance);
	int se = ts_cfg_float(c, g, "standard_error", TS_CFG_LO_OPEN, 0.0, INFINITY, &f->standard_error);
	if (tol == TS_CFG_SET && se == TS_CFG_SET)
		ts_cfg_error(c, config_setting_get_member(g, "standard_error"), "give tolerance or standard_error, not both");
	else if (tol == TS_CFG_ABSENT && se == TS_CFG_ABSENT)
		ts_cfg_error_in(c, g, "tolerance", "missing: give tolerance (absolute) or standard_error");
	else if (se == TS_CFG_SET)
		f->tolerance = 2.0 * f->standard_error;  /* about a 95% band */
}

static int same_overrides(const ts_fact_variant *v, const ts_override *o, int n)
{
	if (v->n_overrides != n)
		return 0;
	for (int k = 0; k < n; k++)
		if (strcmp(v->overrides[k].path, o[k].path) != 0 || strcmp(v->overrides[k].value, o[k].value) != 0)
			return 0;
	return 1;
}

/* The variant for overrides o (taken over: freed here unless kept), loaded
 * from s's file when new; its index, or 0 when bad (reported at `at`). */
static int find_variant(ts_cfg *c, ts_facts *f, const config_setting_t *at, const ts_scenario *s, ts_override *o,
                        int n)
{
	for (int v = 1; v < f->n_variants; v++)
		if (same_overrides(&f->variants[v], o, n)) {
			for (int k = 0; k < n; k++) {
				free((char *)o[k].path);
				free((char *)o[k].value);
			}
			free(o);
			return v;
		}
	ts_fact_variant *grown = realloc(f->variants, (size_t)(f->n_variants + 1) * sizeof *grown);
	if (!grown) {
		c->nomem = true;
		return 0;
	}
	f->variants = grown;
	ts_fact_variant *v = &f->variants[f->n_variants++];
	*v = (ts_fact_variant){o, n, NULL};
	ts_error local = TS_ERROR_INIT;
	ts_override *all = malloc((f->n_base + (size_t)n) * sizeof *all);
	if (!all) {
		c->nomem = true;
		return 0;
	}
	for (size_t k = 0; k < f->n_base; k++)
		all[k] = f->base[k];
	for (int k = 0; k < n; k++)
		all[f->n_base + (size_t)k] = o[k];
	int rc = ts_scenario_load(&v->scenario, ts_scenario_path(s), all, f->n_base + (size_t)n, &local);
	free(all);
	if (rc != TS_OK) {
		char *nl = strchr(local.message, '\n');  /* the first diagnostic says why */
		if (nl)
			*nl = '\0';
		ts_cfg_error(c, at, "does not apply to %s: %s", ts_scenario_path(s), local.message);
		return 0;
	}
	return f->n_variants - 1;
}

/* `counterfactual = ["PATH=VALUE", ...]` and `contrast`. */
static void read_counterfactual(ts_cfg *c, ts_facts *f, const config_setting_t *g, const ts_scenario *s,
                                ts_fact *fact)
{
	const config_setting_t *x = config_setting_get_member(g, "counterfactual");
	if (!x) {
		if (config_setting_get_member(g, "contrast"))
			ts_cfg_error(c, config_setting_get_member(g, "contrast"), "applies to a fact with a counterfactual");
		return;
	}
	int n = config_setting_is_aggregate(x) && !config_setting_is_group(x) ? config_setting_length(x) : -1;
	if (n < 1 || n > TS_FACT_MAX_OVERRIDES) {
		ts_cfg_error(c, x, "expected a list of 1 to %d overrides like [\"measures.m.enabled=false\"]",
		             TS_FACT_MAX_OVERRIDES);
		return;
	}
	int contrast = read_choice(c, g, "contrast", contrast_names, 2, 0);
	fact->contrast = contrast < 0 ? TS_CONTRAST_DIFFERENCE : (ts_fact_contrast)contrast;
	ts_override *o = calloc((size_t)n, sizeof *o);
	if (!o) {
		c->nomem = true;
		return;
	}
	int bad = 0;
	for (int k = 0; k < n; k++) {
		const config_setting_t *e = config_setting_get_elem(x, (unsigned)k);
		const char *text = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
		const char *eq = text ? strchr(text, '=') : NULL;
		if (!eq || eq == text) {
			ts_cfg_error(c, e, "expected \"PATH=VALUE\", e.g. \"measures.m.enabled=false\"");
			bad = 1;
		} else if (!(o[k].path = strndup(text, (size_t)(eq - text))) || !(o[k].value = strdup(eq + 1))) {
			c->nomem = true;
			bad = 1;
		}
	}
	if (!bad) {
		fact->variant = find_variant(c, f, x, s, o, n);
		return;
	}
	for (int k = 0; k < n; k++) {
		free((char *)o[k].path);
		free((char *)o[k].value);
	}
	free(o);
}

static void load_fact(ts_cfg *c, ts_facts *f, const config_setting_t *g, const ts_scenario *s, ts_fact *fact)
{
	static const char *const keys[] = {"name", "series", "per", "stat", "at", "from", "to", "base_from", "base_to",
	                                   "reduce", "observed", "tolerance", "standard_error", "counterfactual",
	                                   "contrast", "source", NULL};
	if (!config_setting_is_group(g)) {
		ts_cfg_error(c, g, "expected a group { name = ...; series = ...; stat = ...; observed = ...; ... }");
		return;
	}
	fact->line = ts_cfg_line(c, g);
	ts_cfg_check_keys(c, g, keys);
	fact->name = one_line(c, g, "name");
	fact->source = one_line(c, g, "source");
	read_series(c, g, s, "series", fact->series, &fact->n_series);
	read_series(c, g, s, "per", fact->per, &fact->n_per);
	int stat = read_choice(c, g, "stat", ts_fact_stat_names, TS_FACT_STAT_COUNT, -1);
	if (stat >= 0) {
		fact->stat = (ts_fact_stat)stat;
		read_window(c, g, s, fact);
	}
	read_target(c, g, fact);
	read_counterfactual(c, f, g, s, fact);
}

static void load_tree(ts_cfg *c, ts_facts *f, const config_t *cfg, const ts_scenario *s)
{
	static const char *const keys[] = {"facts", NULL};
	const config_setting_t *root = config_root_setting(cfg);
	ts_cfg_check_keys(c, root, keys);
	const config_setting_t *list = config_setting_get_member(root, "facts");
	if (!list) {
		ts_cfg_error_in(c, root, "facts", "missing: expected facts = ( { name = ...; ... }, ... )");
		return;
	}
	int n = config_setting_is_list(list) ? config_setting_length(list) : 0;
	if (n < 1 || n > TS_FACTS_MAX) {
		ts_cfg_error(c, list, "expected a list of 1 to %d facts ( {...}, {...} ), got %s", TS_FACTS_MAX,
		             n ? "more" : ts_cfg_type_phrase(list));
		return;
	}
	if (!(f->facts = calloc((size_t)n, sizeof *f->facts))) {
		c->nomem = true;
		return;
	}
	for (int k = 0; k < n && !c->nomem; k++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)k);
		load_fact(c, f, g, s, &f->facts[f->n_facts++]);
		for (int i = 0; i < k && f->facts[k].name; i++)
			if (f->facts[i].name && strcmp(f->facts[i].name, f->facts[k].name) == 0)
				ts_cfg_error(c, config_setting_get_member(g, "name"), "a fact named '%s' exists already (line %d)",
				             f->facts[k].name, f->facts[i].line);
	}
}

int ts_facts_load_string(ts_facts **out, const char *text, const char *name, const ts_scenario *s,
                         const ts_override *base, size_t n_base, ts_error *err)
{
	*out = NULL;
	ts_facts *f = calloc(1, sizeof *f);
	if (f && (f->variants = calloc(1, sizeof *f->variants)))
		f->n_variants = 1;
	if (!f || !f->variants || !(f->path = strdup(name))) {
		ts_facts_free(f);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	f->base = base;
	f->n_base = n_base;
	config_t cfg;
	config_init(&cfg);
	ts_cfg c;
	ts_cfg_init(&c, err, name, NULL, text);
	if (ts_cfg_check_source(&c, text) > 0) {
		/* reported: integers libconfig would wrap, groups too large to parse */
	} else if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		ts_cfg_report_parse_error(&c, &cfg);
	} else {
		load_tree(&c, f, &cfg, s);
	}
	int rc = c.nomem ? ts_error_set(err, TS_ENOMEM, "out of memory") : c.n_errors ? TS_EINPUT : TS_OK;
	ts_cfg_release(&c);
	config_destroy(&cfg);
	f->base = NULL;  /* the caller's */
	f->n_base = 0;
	if (rc != TS_OK) {
		if (err->status == TS_OK)
			ts_error_set(err, rc, "%s: invalid facts file", name);
		ts_facts_free(f);
		return rc;
	}
	*out = f;
	return TS_OK;
}

int ts_facts_load(ts_facts **out, const char *path, const ts_scenario *s, const ts_override *base, size_t n_base,
                  ts_error *err)
{
	*out = NULL;
	char *text = NULL;
	if (ts_read_file(&text, NULL, path, err) != TS_OK)
		return err->status;
	int rc = ts_facts_load_string(out, text, path, s, base, n_base, err);
	free(text);
	return rc;
}

/* sum, mean, min or max of x[from .. to] (the metrics' reduction,
 * metric.h); NaN if a value is not finite. */
static double reduce(ts_fact_stat stat, const double *x, int from, int to)
{
	static const ts_stat as_metric[] = {[TS_FACT_SUM] = TS_STAT_SUM, [TS_FACT_MEAN] = TS_STAT_MEAN,
	                                    [TS_FACT_MIN] = TS_STAT_MIN, [TS_FACT_MAX] = TS_STAT_MAX};
	TS_ASSERT(stat >= TS_FACT_SUM && stat <= TS_FACT_MAX);
	ts_stat_acc a;
	ts_stat_acc_init(&a);
	for (int t = from; t <= to; t++)
		ts_stat_acc_add(&a, x[t]);
	return a.n_bad ? NAN : ts_stat_acc_result(&a, as_metric[stat]);
}

/* a / b, NaN when b is zero (no share of nothing). */
static double quotient(double a, double b)
{
	return b != 0.0 ? a / b : NAN;
}

double ts_fact_stat_of(const ts_fact *f, const double *x)
{
	switch (f->stat) {
	case TS_FACT_VALUE:
		return isfinite(x[f->from]) ? x[f->from] : NAN;
	case TS_FACT_CHANGE:
		return reduce(TS_FACT_SUM, x, f->to, f->to) - reduce(TS_FACT_SUM, x, f->from, f->from);
	case TS_FACT_GROWTH:
		return quotient(reduce(TS_FACT_SUM, x, f->to, f->to), reduce(TS_FACT_SUM, x, f->from, f->from)) - 1.0;
	case TS_FACT_RATIO:
		return quotient(reduce(f->reduce, x, f->from, f->to), reduce(TS_FACT_MEAN, x, f->base_from, f->base_to));
	default:
		return reduce(f->stat, x, f->from, f->to);
	}
}

double ts_fact_value_of(const ts_fact *f, const double *x, const double *y)
{
	return f->n_per ? quotient(ts_fact_stat_of(f, x), ts_fact_stat_of(f, y)) : ts_fact_stat_of(f, x);
}

double ts_fact_contrast_of(const ts_fact *f, double a, double b)
{
	if (!f->variant)
		return a;
	return f->contrast == TS_CONTRAST_RELATIVE ? quotient(a, b) - 1.0 : a - b;
}
