/* Harness: sweep files. The input is a sweep file whose scenario path is
 * resolved in tests/data (so "mpi_world.cfg" and "../../scenarios/X.cfg"
 * name real scenarios); a text that mentions `sensitivity` is loaded as
 * `tradesim sensitivity` would (Saltelli's design). After loading: the
 * counts, the hash, parameter values and seeds of the first and last design
 * points, and the scenario with the last point applied, stepped a few
 * times. Designs too large to build quickly are skipped before loading
 * (big_design). */
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "batch/sweep_impl.h"

/* Designs are built in memory when a sweep loads (n_points x parameters
 * doubles): beyond this many points an execution takes too long to be
 * worth it. The shipped sweeps have at most 80. */
#define FUZZ_MAX_POINTS 4096.0
#define FUZZ_POINTS_SHOWN 8

/* The number of a setting, whatever its numeric type; `otherwise` when it
 * is absent or not a number (the loader reports those). */
static double number(const config_setting_t *group, const char *name, double otherwise)
{
	const config_setting_t *s = group ? config_setting_get_member(group, name) : NULL;
	if (!s)
		return otherwise;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT: return config_setting_get_int(s);
	case CONFIG_TYPE_INT64: return (double)config_setting_get_int64(s);
	case CONFIG_TYPE_FLOAT: return config_setting_get_float(s);
	default: return otherwise;
	}
}

/* An upper estimate of the design's points from the tree alone
 * (docs/sweep.md): Saltelli's n (d + 2), a grid's product of each
 * parameter's value count or levels (default `points`, itself 3 by
 * default), `points` (10 by default) for the other designs. */
static double design_points(const config_setting_t *root, int saltelli)
{
	const config_setting_t *params = config_setting_get_member(root, "parameters");
	int d = params && config_setting_is_aggregate(params) ? config_setting_length(params) : 0;
	const char *design = "grid";
	config_setting_lookup_string(root, "design", &design);
	int grid = !saltelli && strcmp(design, "grid") == 0;
	double points = number(root, "points", grid ? 3.0 : 10.0);
	if (saltelli)
		return points * (d + 2);
	if (!grid)
		return points;
	double product = 1.0;
	for (int j = 0; j < d; j++) {
		const config_setting_t *p = config_setting_get_elem(params, (unsigned)j);
		const config_setting_t *values = p ? config_setting_get_member(p, "values") : NULL;
		product *= values ? config_setting_length(values) : number(p, "levels", points);
	}
	return product;
}

static int big_design(const char *text, int saltelli)
{
	config_t cfg;
	config_init(&cfg);
	config_set_include_dir(&cfg, TS_FUZZ_DATA_DIR);
	int big = config_read_string(&cfg, text) == CONFIG_TRUE &&
	          design_points(config_root_setting(&cfg), saltelli) > FUZZ_MAX_POINTS;
	config_destroy(&cfg);
	return big;
}

/* Everything a run takes from the design, for a few points. */
static void read_design(const ts_sweep *sw)
{
	char cfg[64], csv[64];
	long points = ts_sweep_points(sw), runs = ts_sweep_runs(sw);
	if (points < 1 || runs < points || strlen(ts_sweep_hash(sw)) != 64)
		abort();
	for (long p = 0; p < points; p++) {
		if (p == FUZZ_POINTS_SHOWN)
			p = points - 1;
		for (int j = 0; j < sw->n_params; j++)
			if (!ts_sweep_value_cfg(sw, p, j, cfg, sizeof cfg) || !ts_sweep_value_csv(sw, p, j, csv, sizeof csv))
				abort();
		if (ts_sweep_seed(sw, p) == 0)  /* seeds are in [1, 2^32) */
			abort();
	}
}

/* The scenario as the last point's runs load it (ts_sweep_run_row). */
static void run_last_point(const ts_sweep *sw)
{
	int n = sw->n_params;
	ts_override *ov = calloc((size_t)n, sizeof *ov);
	char (*bufs)[64] = calloc((size_t)n, sizeof *bufs);
	if (ov && bufs) {
		for (int j = 0; j < n; j++) {
			ov[j].path = sw->params[j].path;
			ov[j].value = ts_sweep_value_cfg(sw, ts_sweep_points(sw) - 1, j, bufs[j], sizeof bufs[j]);
		}
		ts_fuzz_load_and_step(sw->scenario_text, sw->scenario_path, sw->scenario_dir, ov, (size_t)n);
	}
	free(ov);
	free(bufs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = ts_fuzz_text(data, size);
	int saltelli = text && strstr(text, "sensitivity") != NULL;
	if (!text || big_design(text, saltelli)) {
		free(text);
		return -1;
	}
	ts_error err = TS_ERROR_INIT;
	ts_sweep *sw = NULL;
	int rc = ts_sweep_load_string(&sw, text, "fuzz_sweep.cfg", TS_FUZZ_DATA_DIR, NULL, 0, saltelli, &err);
	ts_fuzz_check_load(rc, sw, &err);
	if (sw) {
		read_design(sw);
		run_last_point(sw);
	}
	ts_sweep_free(sw);
	free(text);
	return 0;
}
