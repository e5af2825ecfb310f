/* Calibration files (docs/calibration.md): strict loading, every message
 * "FILE:LINE: SETTING: what"; the scenario and facts they name loaded and
 * checked, each parameter's bounds applied to the scenario. */
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "batch/calibrate_impl.h"
#include "batch/sweep_impl.h"
#include "scenario/cfgcheck.h"
#include "util/sha256.h"
#include "util/textfile.h"

void ts_calibration_free(ts_calibration *c)
{
	if (!c)
		return;
	for (int j = 0; j < c->n_params; j++)
		free(c->params[j].path);
	for (long i = 0; i < c->n_evals; i++)
		ts_calib_eval_release(&c->evals[i]);
	free(c->evals);
	free(c->params);
	ts_check_free(c->best_check);
	ts_scenario_free(c->best_scenario);
	ts_facts_free(c->facts);
	ts_scenario_free(c->base);
	free(c->acc_lo);
	free(c->acc_hi);
	free(c->facts_text);
	free(c->facts_path);
	free(c->scenario_text);
	free(c->scenario_dir);
	free(c->scenario_path);
	free(c->text);
	free(c->dir);
	free(c->path);
	free(c);
}

/* A file named by `key`, resolved against the calibration file's directory. */
static char *resolve(ts_cfg *cfg, const ts_calibration *c, const config_setting_t *root, const char *key)
{
	const char *name = NULL;
	if (ts_cfg_string(cfg, root, key, TS_CFG_REQUIRED, &name) != TS_CFG_SET)
		return NULL;
	size_t n = strlen(name) + strlen(c->dir) + 2;
	char *path = malloc(n);
	if (!path)
		cfg->nomem = true;
	else if (name[0] == '/' || strcmp(c->dir, ".") == 0)
		snprintf(path, n, "%s", name);
	else
		snprintf(path, n, "%s/%s", c->dir, name);
	return path;
}

/* `scenario` and `facts`, read and loaded. */
static void load_inputs(ts_cfg *cfg, ts_calibration *c, const config_setting_t *root)
{
	ts_error local = TS_ERROR_INIT;
	if ((c->scenario_path = resolve(cfg, c, root, "scenario"))) {
		char *copy = strdup(c->scenario_path);
		c->scenario_dir = copy ? strdup(dirname(copy)) : NULL;
		free(copy);
		if (ts_read_file(&c->scenario_text, NULL, c->scenario_path, &local) == TS_OK)
			ts_scenario_load_string(&c->base, c->scenario_text, c->scenario_path, c->scenario_dir, NULL, 0, &local);
		if (!c->base)
			ts_cfg_error(cfg, config_setting_get_member(root, "scenario"), "cannot use %s:\n%s", c->scenario_path,
			             local.message);
	}
	if (!(c->facts_path = resolve(cfg, c, root, "facts")) || !c->base)
		return;
	ts_error_clear(&local);
	if (ts_read_file(&c->facts_text, NULL, c->facts_path, &local) == TS_OK)
		ts_facts_load_string(&c->facts, c->facts_text, c->facts_path, c->base, NULL, 0, &local);
	if (!c->facts)
		ts_cfg_error(cfg, config_setting_get_member(root, "facts"), "cannot use %s:\n%s", c->facts_path,
		             local.message);
}

/* Applies path = value to the scenario; reports at the parameter on failure. */
static void try_bound(ts_cfg *cfg, const ts_calibration *c, const config_setting_t *at, const char *path, double v)
{
	char value[64];
	ts_sweep_float_literal(value, sizeof value, v);
	ts_override ov = {path, value};
	ts_error local = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	if (ts_scenario_load_string(&s, c->scenario_text, c->scenario_path, c->scenario_dir, &ov, 1, &local) == TS_OK) {
		ts_scenario_free(s);
		return;
	}
	char *nl = strchr(local.message, '\n');
	if (nl)
		*nl = '\0';
	ts_cfg_error(cfg, at, "%s = %s does not apply to %s: %s", path, value, c->scenario_path, local.message);
}

static void load_param(ts_cfg *cfg, ts_calibration *c, const config_setting_t *g, ts_calib_param *p)
{
	static const char *const keys[] = {"path", "min", "max", "log", NULL};
	if (!config_setting_is_group(g)) {
		ts_cfg_error(cfg, g, "expected a group { path = \"...\"; min = ...; max = ...; }");
		return;
	}
	p->line = ts_cfg_line(cfg, g);
	ts_cfg_check_keys(cfg, g, keys);
	const char *path = NULL;
	bool log_scale = false;
	int ok = ts_cfg_string(cfg, g, "path", TS_CFG_REQUIRED, &path) == TS_CFG_SET;
	ok &= ts_cfg_float(cfg, g, "min", TS_CFG_REQUIRED, -INFINITY, INFINITY, &p->lo) == TS_CFG_SET;
	ok &= ts_cfg_float(cfg, g, "max", TS_CFG_REQUIRED, -INFINITY, INFINITY, &p->hi) == TS_CFG_SET;
	ok &= ts_cfg_bool(cfg, g, "log", 0, &log_scale) != TS_CFG_BAD;
	p->log_scale = log_scale;
	if (path && !(p->path = strdup(path)))
		cfg->nomem = true;
	if (!ok || !p->path)
		return;
	if (!(p->lo < p->hi))
		ts_cfg_error(cfg, config_setting_get_member(g, "max"), "expected max > min (%g), got %g", p->lo, p->hi);
	else if (p->log_scale && p->lo <= 0.0)
		ts_cfg_error(cfg, config_setting_get_member(g, "min"), "a log scale needs min > 0, got %g", p->lo);
	else if (c->scenario_text) {
		try_bound(cfg, c, config_setting_get_member(g, "min"), p->path, p->lo);
		try_bound(cfg, c, config_setting_get_member(g, "max"), p->path, p->hi);
	}
}

static void load_params(ts_cfg *cfg, ts_calibration *c, const config_setting_t *root)
{
	const config_setting_t *list = config_setting_get_member(root, "parameters");
	int n = list && config_setting_is_list(list) ? config_setting_length(list) : 0;
	if (!list) {
		ts_cfg_error_in(cfg, root, "parameters", "missing: expected parameters = ( { path = ...; min = ...; max = ...; } )");
		return;
	}
	if (n < 1 || n > TS_CALIB_MAX_PARAMS) {
		ts_cfg_error(cfg, list, "expected a list of 1 to %d parameters ( {...}, {...} ), got %s", TS_CALIB_MAX_PARAMS,
		             n ? "more" : ts_cfg_type_phrase(list));
		return;
	}
	if (!(c->params = calloc((size_t)n, sizeof *c->params))) {
		cfg->nomem = true;
		return;
	}
	for (int j = 0; j < n && !cfg->nomem; j++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)j);
		load_param(cfg, c, g, &c->params[c->n_params++]);
		for (int i = 0; i < j && c->params[j].path; i++)
			if (c->params[i].path && strcmp(c->params[i].path, c->params[j].path) == 0)
				ts_cfg_error(cfg, g, "parameter '%s' is already free (parameters[%d])", c->params[j].path, i);
	}
}

/* design, points, replications, seed and the search's settings. */
static void load_search(ts_cfg *cfg, ts_calibration *c, const config_setting_t *root)
{
	static const char *const designs[] = {"sobol", "lhs"};
	const char *design = "sobol";
	if (ts_cfg_string(cfg, root, "design", 0, &design) == TS_CFG_SET) {
		c->design_lhs = strcmp(design, "lhs") == 0;
		if (!c->design_lhs && strcmp(design, "sobol") != 0) {
			char hint[128];
			ts_cfg_error(cfg, config_setting_get_member(root, "design"), "expected sobol or lhs, got '%s'%s", design,
			             ts_cfg_hint(hint, sizeof hint, design, designs, 2));
		}
	}
	long long v = 0;
	if (ts_cfg_int(cfg, root, "replications", 0, 1, 100000, &v) == TS_CFG_SET)
		c->reps = (int)v;
	if (ts_cfg_int(cfg, root, "seed", 0, 1, 4294967295LL, &v) == TS_CFG_SET)
		c->seed = (unsigned long)v;
	else if (c->base)
		c->seed = ts_scenario_seed(c->base);
	if (ts_cfg_int(cfg, root, "points", 0, 1, 100000, &v) == TS_CFG_SET)
		c->points = (long)v;
	if (ts_cfg_int(cfg, root, "starts", 0, 0, 1000, &v) == TS_CFG_SET)
		c->starts = (int)v;
	if (c->starts > c->points)
		ts_cfg_error(cfg, config_setting_get_member(root, "starts"), "expected at most `points` (%ld) starts, got %d",
		             c->points, c->starts);
	if (ts_cfg_int(cfg, root, "evaluations", 0, 1, 100000, &v) == TS_CFG_SET)
		c->evaluations = (long)v;
	if (c->n_params > 0 && c->starts > 0 && c->evaluations < c->n_params + 1)
		ts_cfg_error(cfg, config_setting_get_member(root, "evaluations"),
		             "a simplex of %d parameters needs at least %d evaluations, got %ld", c->n_params, c->n_params + 1,
		             c->evaluations);
	ts_cfg_float(cfg, root, "simplex", TS_CFG_LO_OPEN, 0.0, 1.0, &c->simplex);
	ts_cfg_float(cfg, root, "tolerance", TS_CFG_LO_OPEN, 0.0, 1.0, &c->tolerance);
	if (ts_cfg_int(cfg, root, "profile", 0, 0, 1000, &v) == TS_CFG_SET)
		c->profile = (int)v;
	if (c->profile == 1)
		ts_cfg_error(cfg, config_setting_get_member(root, "profile"), "expected 0 (no profiles) or 2 to 1000 points, got 1");
}

static void load_tree(ts_cfg *cfg, ts_calibration *c, const config_t *tree)
{
	static const char *const keys[] = {"scenario", "facts", "parameters", "replications", "seed", "design", "points",
	                                   "starts", "evaluations", "simplex", "tolerance", "profile", NULL};
	const config_setting_t *root = config_root_setting(tree);
	ts_cfg_check_keys(cfg, root, keys);
	load_inputs(cfg, c, root);
	load_params(cfg, c, root);
	load_search(cfg, c, root);
}

/* The identity a journal is checked against: the file, the scenario as
 * loaded and the facts file's text. */
static void calibration_hash(ts_calibration *c)
{
	ts_sha256 h;
	unsigned char digest[32];
	ts_sha256_init(&h);
	const char *parts[] = {c->text, ts_scenario_hash(c->base), c->facts_text};
	for (int k = 0; k < 3; k++)
		ts_sha256_update(&h, parts[k], strlen(parts[k]) + 1);
	ts_sha256_final(&h, digest);
	for (int k = 0; k < 32; k++)
		snprintf(c->hash + 2 * k, 3, "%02x", digest[k]);
}

static ts_calibration *calibration_new(const char *text, const char *name, const char *dir)
{
	ts_calibration *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	*c = (ts_calibration){.reps = 10, .points = 32, .starts = 3, .evaluations = 60, .simplex = 0.1,
	                      .tolerance = 1e-3, .profile = 11, .best = -1};
	c->path = strdup(name);
	c->dir = strdup(dir && dir[0] ? dir : ".");
	c->text = strdup(text);
	if (!c->path || !c->dir || !c->text) {
		ts_calibration_free(c);
		return NULL;
	}
	return c;
}

int ts_calibration_load_string(ts_calibration **out, const char *text, const char *name, const char *dir,
                               ts_error *err)
{
	*out = NULL;
	ts_calibration *c = calibration_new(text, name, dir);
	if (!c)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	config_t tree;
	config_init(&tree);
	ts_cfg cfg;
	ts_cfg_init(&cfg, err, name, NULL, text);
	if (ts_cfg_check_source(&cfg, text) > 0) {
		/* reported: integers libconfig would wrap, groups too large to parse */
	} else if (config_read_string(&tree, text) != CONFIG_TRUE) {
		ts_cfg_report_parse_error(&cfg, &tree);
	} else {
		load_tree(&cfg, c, &tree);
	}
	int rc = cfg.nomem ? ts_error_set(err, TS_ENOMEM, "out of memory") : cfg.n_errors ? TS_EINPUT : TS_OK;
	ts_cfg_release(&cfg);
	config_destroy(&tree);
	if (rc != TS_OK) {
		if (err->status == TS_OK)
			ts_error_set(err, rc, "%s: invalid calibration file", name);
		ts_calibration_free(c);
		return rc;
	}
	calibration_hash(c);
	*out = c;
	return TS_OK;
}

int ts_calibration_load(ts_calibration **out, const char *path, ts_error *err)
{
	*out = NULL;
	char *text = NULL;
	if (ts_read_file(&text, NULL, path, err) != TS_OK)
		return err->status;
	char *copy = strdup(path);
	int rc = copy ? ts_calibration_load_string(out, text, path, dirname(copy), err)
	              : ts_error_set(err, TS_ENOMEM, "out of memory");
	free(copy);
	free(text);
	return rc;
}

int ts_calibration_params(const ts_calibration *c) { return c->n_params; }
const char *ts_calibration_param_path(const ts_calibration *c, int j) { return c->params[j].path; }

long ts_calibration_budget(const ts_calibration *c)
{
	return c->points + (long)c->starts * c->evaluations + (long)c->n_params * c->profile + 1;
}

const char *ts_calibration_hash(const ts_calibration *c) { return c->hash; }
