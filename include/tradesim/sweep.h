#ifndef TRADESIM_SWEEP_H
#define TRADESIM_SWEEP_H
/* Parameter sweeps: a sweep file (docs/sweep.md) names a scenario, the
 * parameters to vary (the same paths as `--set`) with ranges or value lists,
 * a design (grid, lhs, sobol; saltelli for sensitivity), replications per
 * point and the metrics to record. Run r is point r / replications,
 * replication r % replications; results go to sweep.csv in run order
 * whatever the number of threads, processes or shards. */
#include <tradesim/api.h>
#include <signal.h>
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>

TS_BEGIN_DECLS

typedef struct ts_sweep ts_sweep;  /* a loaded, checked sweep: immutable, shareable */

/* Load and check a sweep file; `overrides` (`--set`-style paths of the sweep
 * file itself, e.g. {"design", "\"lhs\""}) apply first. Every problem is
 * reported as "FILE:LINE: SETTING: message"; parameter paths are checked by
 * applying them to the scenario, metrics by resolving them. force_saltelli:
 * the design is Saltelli's, whatever the file says (sensitivity). On success
 * *out owns a sweep to release with ts_sweep_free(). */
TS_API int ts_sweep_load(ts_sweep **out, const char *path, const ts_override *overrides, size_t n_overrides,
                  int force_saltelli, ts_error *err);
/* The same from text; `name` stands for the file and `dir` (may be NULL:
 * working directory) is where the scenario path is resolved. */
TS_API int ts_sweep_load_string(ts_sweep **out, const char *text, const char *name, const char *dir,
                         const ts_override *overrides, size_t n_overrides, int force_saltelli,
                         ts_error *err);
TS_API void ts_sweep_free(ts_sweep *sweep);

TS_API long ts_sweep_runs(const ts_sweep *sweep);       /* points x replications */
TS_API long ts_sweep_points(const ts_sweep *sweep);
TS_API const char *ts_sweep_hash(const ts_sweep *sweep); /* 64 hex digits: identity for resume and merge */

typedef struct ts_sweep_options {
	const char *output_dir;
	int jobs;                     /* threads; 0: one per processor */
	int shard, shards;            /* run ids with id % shards == shard; 0/1: all */
	int series;                   /* also write runs/<run>/ single-run outputs */
	volatile sig_atomic_t *cancel;/* set (e.g. by a SIGINT handler) to stop launching runs */
	/* Called on the calling thread after each result written (and once at
	 * the start): runs of this shard done, of total. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	/* May be NULL. Called just before each call of progress, with the same
	 * ctx: how many of the runs done (resumed ones included) failed. */
	void (*progress_failed)(void *ctx, long failed);
	const char *command_line;
	/* Called on the calling thread with a one-line message when resuming
	 * had to repair the journal (rows cut, to be run again); may be NULL. */
	void (*notice)(void *ctx, const char *message);
	void *notice_ctx;
	/* 1: first remove every file tradesim writes from output_dir (the
	 * sweep starts over), refused if it holds any other file; 0: a
	 * directory that holds a run, replications or a comparison, or another
	 * sweep, is refused (TS_EINPUT), and one of this sweep resumes. */
	int force;
} ts_sweep_options;

#define TS_SWEEP_OPTIONS_INIT {NULL, 0, 0, 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0}

/* Runs the sweep (or the rest of it: finished runs recorded in output_dir
 * are skipped) and writes output_dir/sweep.csv, points.csv and sweep.json,
 * holding output_dir's lock throughout. A failing run is recorded with
 * status "failed" and its message. Returns TS_OK when every run of the
 * shard is written; TS_ECANCELED if *cancel was set (the runs finished so
 * far are kept: the same call resumes); TS_EINPUT if output_dir holds
 * another sweep, a damaged sweep.json or a symbolic link in place of a
 * sweep file; TS_EBUSY if another process is writing there. */
TS_API int ts_sweep_run(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err);

/* Joins shard directories (each a complete `--shard i/N` of the same sweep,
 * every i once) into out_dir, locked meanwhile (TS_EBUSY): the sweep.csv an
 * unsharded sweep writes. */
TS_API int ts_sweep_merge(const char *const *dirs, int n_dirs, const char *out_dir, ts_error *err);

/* Counts the rows of dir/sweep.csv (a finished sweep, shard or merge of
 * this sweep): *runs of them, *failed with status "failed". */
TS_API int ts_sweep_count_failed(const ts_sweep *sweep, const char *dir, long *failed, long *runs, ts_error *err);

/* Sobol indices of every metric for every parameter from a finished
 * Saltelli sweep in dir (replications averaged per point); writes
 * dir/sensitivity.csv, with dir locked meanwhile (TS_EBUSY). */
TS_API int ts_sweep_sensitivity(const ts_sweep *sweep, const char *dir, ts_error *err);

/* Lower-level pieces for other drivers (MPI): the row of sweep.csv for run
 * `run` ("...\n", malloc'd, caller frees) — a run that fails becomes a
 * "failed" row; only what stops the sweep itself returns an error (out of
 * memory; with series, a runs/RUN directory that cannot be made or is a
 * symbolic link). Baselines for `diff` metrics are computed on first use
 * (thread-safe). */
TS_API int ts_sweep_run_row(const ts_sweep *sweep, long run, const char *output_dir, int series, char **row,
                     ts_error *err);

/* The journal of a sweep directory: locks the directory (TS_EBUSY while
 * another process holds it), checks or writes sweep.json and points.csv,
 * opens (or resumes, cutting it at the first row that does not check, said
 * through options->notice) the journal, and tells which of the shard's runs
 * come next. options must outlive the journal; closing it releases the lock.
 * A symbolic link in place of a file the sweep writes is TS_EINPUT. */
typedef struct ts_sweep_journal ts_sweep_journal;
TS_API int ts_sweep_journal_open(ts_sweep_journal **out, const ts_sweep *sweep, const ts_sweep_options *options,
                          ts_error *err);
TS_API long ts_sweep_journal_done(const ts_sweep_journal *j);   /* runs of the shard written */
TS_API long ts_sweep_journal_total(const ts_sweep_journal *j);  /* runs of the shard */
TS_API long ts_sweep_journal_run_id(const ts_sweep_journal *j, long k); /* k-th run id of the shard */
/* The run id of the k-th run of shard `shard` of `shards` (<= 0: one):
 * runs are dealt to the shards in turn. */
TS_API long ts_sweep_shard_run_id(int shard, int shards, long k);
/* Calls the options' progress_failed and progress with the runs of the
 * shard written (done, counting the failed ones among them) and the total. */
TS_API void ts_sweep_journal_report(const ts_sweep_journal *j);
/* Appends the next row (the k-th, k = done) and makes it durable in batches. */
TS_API int ts_sweep_journal_append(ts_sweep_journal *j, const char *row, ts_error *err);
/* Flushes; when complete, renames the journal to sweep.csv. */
TS_API int ts_sweep_journal_close(ts_sweep_journal *j, ts_error *err);

TS_END_DECLS

#endif
