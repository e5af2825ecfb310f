/* Harness: sweep files. The input is a sweep file whose scenario path is
 * resolved in tests/data (so "mpi_world.cfg" and "../../scenarios/X.cfg"
 * name real scenarios); a text that mentions `sensitivity` is loaded as
 * `tradesim sensitivity` would (Saltelli's design). After loading: the
 * counts, the hash, the coordinates, parameter values and seeds of the
 * first design points and of the last, and the scenario with the last
 * visited point applied, stepped a few times. Designs too slow to set up
 * or walk are skipped (slow_design, visited_points). */
#include <libconfig.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "batch/sweep_impl.h"
#include "scenario/vary.h"

/* A Latin hypercube keeps its permutations (points x parameters indices),
 * drawn when the sweep loads; a Sobol or Saltelli point is reached by
 * walking the sequence from the first. Beyond these an execution takes too
 * long to be worth it; the shipped sweeps have at most 160 points. */
#define FUZZ_MAX_LHS_CELLS 65536.0
#define FUZZ_MAX_WALK 4096L
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

/* A Latin hypercube whose permutations (`points`, 10 by default, times the
 * parameters) are too many to draw quickly. */
static int slow_design(const char *text, int saltelli)
{
	config_t cfg;
	config_init(&cfg);
	config_set_include_dir(&cfg, TS_FUZZ_DATA_DIR);
	int slow = 0;
	if (!saltelli && config_read_string(&cfg, text) == CONFIG_TRUE) {
		const config_setting_t *root = config_root_setting(&cfg);
		const config_setting_t *params = config_setting_get_member(root, "parameters");
		const char *design = "grid";
		config_setting_lookup_string(root, "design", &design);
		int d = params && config_setting_is_aggregate(params) ? config_setting_length(params) : 0;
		slow = strcmp(design, "lhs") == 0 && number(root, "points", 10.0) * d > FUZZ_MAX_LHS_CELLS;
	}
	config_destroy(&cfg);
	return slow;
}

/* Point p's coordinates into u (n_params of them, each in [0, 1]), its
 * parameter values and its first run's seed, as a run reads them
 * (sweep_row.c). */
static void read_point(const ts_sweep *sw, long p, double *u)
{
	char cfg[64], csv[64];
	ts_error err = TS_ERROR_INIT;
	if (ts_sweep_point(sw, p, u, &err) != TS_OK)
		abort();
	for (int j = 0; j < sw->n_params; j++)
		if (!(u[j] >= 0.0 && u[j] <= 1.0) || !ts_sweep_value_cfg(sw, j, u[j], cfg, sizeof cfg) ||
		    !ts_sweep_value_csv(sw, j, u[j], csv, sizeof csv))
			abort();
	if (ts_sweep_seed(sw, p * sw->reps) == 0)  /* seeds are in [1, 2^32) */
		abort();
}

/* The first points and the last one (when reaching it is quick: a grid's
 * point comes from its index, a sequence's by walking); returns the last
 * point visited. */
static long visit_points(const ts_sweep *sw, double *u)
{
	long points = ts_sweep_points(sw);
	if (points < 1 || ts_sweep_runs(sw) < points || strlen(ts_sweep_hash(sw)) != 64)
		abort();
	long last = points - 1, shown = points < FUZZ_POINTS_SHOWN ? points : FUZZ_POINTS_SHOWN;
	for (long p = 0; p < shown; p++)
		read_point(sw, p, u);
	if (last < shown || (sw->design != TS_SWEEP_GRID && points > FUZZ_MAX_WALK))
		return shown - 1;
	read_point(sw, last, u);
	return last;
}

/* The scenario as point p's runs load it (ts_sweep_run_row: the point's
 * values applied to a copy of the sweep's scenario), stepped; it must agree
 * with a load of the scenario file with the same overrides: the same status
 * and the same messages. */
static void run_point(const ts_sweep *sw, long p, double *u)
{
	int n = sw->n_params;
	ts_override *ov = calloc((size_t)n, sizeof *ov);
	char (*bufs)[64] = calloc((size_t)n, sizeof *bufs);
	ts_error err = TS_ERROR_INIT, loaded_err = TS_ERROR_INIT;
	if (ov && bufs && ts_sweep_point(sw, p, u, &err) == TS_OK) {
		for (int j = 0; j < n; j++) {
			ov[j].path = sw->params[j].path;
			ov[j].value = ts_sweep_value_cfg(sw, j, u[j], bufs[j], sizeof bufs[j]);
		}
		ts_scenario *varied = NULL, *loaded = NULL;
		int rc = ts_scenario_vary(&varied, sw->base, ov, (size_t)n, &err);
		int loaded_rc = ts_scenario_load(&loaded, sw->scenario_path, ov, (size_t)n, &loaded_err);
		if (rc != loaded_rc || strcmp(err.message, loaded_err.message) != 0)
			abort();
		ts_fuzz_check_load(rc, varied, &err);
		if (varied)
			ts_fuzz_simulate(varied);
		ts_scenario_free(varied);
		ts_scenario_free(loaded);
	}
	free(ov);
	free(bufs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = ts_fuzz_text(data, size);
	int saltelli = text && strstr(text, "sensitivity") != NULL;
	if (!text || slow_design(text, saltelli)) {
		free(text);
		return -1;
	}
	ts_error err = TS_ERROR_INIT;
	ts_sweep *sw = NULL;
	int rc = ts_sweep_load_string(&sw, text, "fuzz_sweep.cfg", TS_FUZZ_DATA_DIR, NULL, 0, saltelli, &err);
	ts_fuzz_check_load(rc, sw, &err);
	double *u = sw ? calloc((size_t)sw->n_params, sizeof *u) : NULL;
	if (u)
		run_point(sw, visit_points(sw, u), u);
	free(u);
	ts_sweep_free(sw);
	free(text);
	return 0;
}
