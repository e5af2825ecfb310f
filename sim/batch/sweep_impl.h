#ifndef TS_SWEEP_IMPL_H
#define TS_SWEEP_IMPL_H
/* A loaded sweep and the pieces the sweep files share:
 *   sweep_file.c    loading a sweep file: checks, size limits, the design, the hash
 *   sweep_point.c   a run's point, replication, seed and parameter values
 *   sweep_dir.c     a sweep directory's paths; no writing through links
 *   sweep_csv.c     sweep.csv: its header, its rows read back and checked
 *   sweep_row.c     a run's row of sweep.csv, and the baselines of `diff`
 *   sweep_journal.c the directory's lock, sweep.json, points.csv and the
 *                   journal (sweep.csv.part): resume and recovery
 *   sweep.c         running a sweep on the thread executor
 *   sweep_merge.c   joining shards
 *   sweep_sobol.c   Sobol indices from a finished Saltelli sweep */
#include <pthread.h>
#include <stdint.h>
#include <tradesim/sweep.h>
#include "batch/design_plan.h"
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

typedef struct ts_baseline {
	int state;                   /* 0 not run, 1 running, 2 done */
	int failed;
	double *values;              /* [n_metrics] */
	char *message;
} ts_baseline;

struct ts_sweep {
	char *path;                  /* the sweep file as named */
	char *scenario_path;         /* resolved against the sweep file's directory */
	ts_scenario *base;           /* the scenario without parameters applied: read,
	                              * checked and hashed once; every run applies its
	                              * values to a copy (scenario/variant.h) */
	ts_design_kind design;
	long points_setting;         /* `points` as given */
	long n_points;               /* design points (Saltelli: n (d + 2)) */
	int reps;
	uint32_t seed;
	int common_seeds;
	int n_params;
	ts_sweep_param *params;
	int n_metrics;
	ts_metric *metrics;
	int any_diff;
	ts_design_plan *plan;        /* the design's points, computed on demand */
	int bootstrap;
	double confidence;
	char hash[65];
	/* The mutable caches, behind `lock`: baselines (computed once, by the
	 * first thread that needs them) and idle design cursors. */
	pthread_mutex_t lock;
	pthread_cond_t baseline_done;
	ts_baseline *baselines;      /* [reps] with common seeds */
	ts_design_cursor **cursors;  /* [n_cursors] idle, of cap_cursors */
	int n_cursors, cap_cursors;
};

/* ---- sweep_point.c ---- */

/* Seed of run `run`. */
uint32_t ts_sweep_seed(const ts_sweep *s, long run);
/* The unit-cube coordinates u[0 .. n_params) of design point `point`
 * (0 <= point < n_points). TS_ENOMEM only (a new design cursor). */
int ts_sweep_point(const ts_sweep *s, long point, double *u, ts_error *err);

/* ts_sweep_run_row() reading and filling a table of innovation sizes kept
 * across the calling thread's runs (model/innovation_sizes.h; NULL: none):
 * the same row. */
int ts_sweep_run_row_sized(const ts_sweep *s, long run, const char *output_dir, int series,
                           struct ts_innovation_sizes *sizes, char **row, ts_error *err);
/* Parameter j's value at coordinate u: as libconfig text for the scenario,
 * and as written in sweep.csv and points.csv (buf: 64 bytes or more; the
 * result may instead point into the sweep). */
const char *ts_sweep_value_cfg(const ts_sweep *s, int j, double u, char *buf, size_t size);
const char *ts_sweep_value_csv(const ts_sweep *s, int j, double u, char *buf, size_t size);
/* The text libconfig reads back as the double v (a float literal). */
void ts_sweep_float_literal(char *buf, size_t size, double v);

/* ---- sweep_csv.c ---- */

/* The header line of sweep.csv (no newline; malloc'd, caller frees), and
 * its number of fields: run, point, rep, seed, parameters, metrics, status,
 * message. */
char *ts_sweep_header(const ts_sweep *s);
int ts_sweep_field_count(const ts_sweep *s);
/* Splits one CSV line (its '\n' included or not) in place into fields[],
 * at most max of them: quoted fields (RFC 4180, "" for a quote) are
 * unquoted. *n gets the number of fields (max + 1 if there are more);
 * TS_EINPUT when a quote is misplaced. */
int ts_csv_split(char *line, char **fields, int max, int *n, ts_error *err);
/* Checks that `line` (one line of sweep.csv, '\n' included) is the row of
 * run `run`: its field count, run, point, rep, seed and parameter values as
 * this sweep computes them, a status "ok" with numbers (or empty cells)
 * for the metrics and no message, or "failed" with empty metrics and a
 * message. fields[] has room for ts_sweep_field_count() + 1 entries; line
 * is split in place. TS_OK, TS_EINPUT with why (one line) in err, or
 * TS_ENOMEM. */
int ts_sweep_row_check(const ts_sweep *s, long run, char *line, char **fields, ts_error *err);

/* ---- sweep_dir.c ---- */

/* DIR/NAME, malloc'd (caller frees), or NULL. */
char *ts_sweep_path(const char *dir, const char *name);
/* TS_EINPUT, naming the file, when dir/name is a symbolic link: a sweep
 * never writes through one. */
int ts_sweep_refuse_link(const char *dir, const char *name, ts_error *err);
/* mkdir path (an existing one is fine), then checks that it is a directory
 * and not a link to one (TS_EINPUT). */
int ts_sweep_real_dir(const char *path, ts_error *err);
/* Takes dir's writer lock (util/lock.h: TS_EBUSY while another writer
 * holds it), then removes the temporaries that killed writers left there
 * (output/csv.h): every writer of a sweep directory starts so. */
struct ts_dir_lock;
int ts_sweep_lock(struct ts_dir_lock *lock, const char *dir, ts_error *err);
/* A file written under a temporary name (output/csv.h) into place as
 * dir/name when rc is TS_OK: closed, checked not to replace a link, renamed;
 * discarded in every case. Returns the first failure, or rc. */
struct ts_csv;
int ts_sweep_commit(struct ts_csv *f, const char *dir, const char *name, int rc, ts_error *err);

/* ---- sweep_row.c ---- */

/* Directory of run `run`'s single-run files under a sweep directory
 * ("DIR/runs/RUN"), created if need be; refuses a symbolic link in place of
 * DIR/runs or of it (TS_EINPUT). *path is malloc'd; caller frees. */
int ts_sweep_series_dir(const char *output_dir, long run, char **path, ts_error *err);

#endif
