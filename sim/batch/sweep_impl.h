#ifndef TS_SWEEP_IMPL_H
#define TS_SWEEP_IMPL_H
/* A loaded sweep (sweep_file.c fills it, sweep.c runs it). */
#include <pthread.h>
#include <stdint.h>
#include <tradesim/sweep.h>
#include "batch/metric.h"

typedef enum ts_design_kind {
	TS_SWEEP_GRID = 0, TS_SWEEP_LHS, TS_SWEEP_SOBOL, TS_SWEEP_SALTELLI, TS_SWEEP_DESIGN_COUNT
} ts_design_kind;
extern const char *const ts_sweep_design_names[TS_SWEEP_DESIGN_COUNT];

typedef struct ts_sweep_param {
	char *path;                  /* a `--set` path of the scenario */
	int line;                    /* in the sweep file, for messages */
	int is_range;                /* 1: [lo, hi]; 0: values */
	double lo, hi;
	int log_scale, integer;      /* log-uniform; round to whole numbers */
	int levels;                  /* grid: values of a range */
	int n_values;
	char **values_cfg;           /* libconfig text given to the scenario */
	char **values_csv;           /* as written in sweep.csv */
} ts_sweep_param;

typedef struct ts_sweep_metric {
	char *name;                  /* column of sweep.csv */
	ts_series series;
	ts_stat stat;
	int diff;                    /* minus the same metric of the base scenario, same seed */
} ts_sweep_metric;

typedef struct ts_baseline {
	int state;                   /* 0 not run, 1 running, 2 done */
	int failed;
	double *values;              /* [n_metrics] */
	char *message;
} ts_baseline;

struct ts_sweep {
	char *path;                  /* the sweep file as named */
	char *scenario_path;         /* resolved against the sweep file's directory */
	char *scenario_dir;          /* where the scenario's @include looks */
	char *scenario_text;         /* read once; every run parses it with its overrides */
	ts_scenario *base;           /* the scenario without parameters applied */
	ts_design_kind design;
	long points_setting;         /* `points` as given */
	long n_points;               /* design points (Saltelli: n (d + 2)) */
	int reps;
	uint32_t seed;
	int common_seeds;
	int series;
	int n_params;
	ts_sweep_param *params;
	int n_metrics;
	ts_sweep_metric *metrics;
	int any_diff;
	double *unit;                /* [n_points * n_params] design in [0,1] */
	int bootstrap;
	double confidence;
	char hash[65];
	pthread_mutex_t lock;        /* baselines */
	pthread_cond_t baseline_done;
	ts_baseline *baselines;      /* [reps] with common seeds */
};

/* Libconfig value text (for the scenario) and CSV text of parameter j at point p. */
const char *ts_sweep_value_cfg(const ts_sweep *s, long point, int j, char *buf, size_t size);
const char *ts_sweep_value_csv(const ts_sweep *s, long point, int j, char *buf, size_t size);

/* Seed of run `run`. */
uint32_t ts_sweep_seed(const ts_sweep *s, long run);

#endif
