#ifndef TRADESIM_ENSEMBLE_H
#define TRADESIM_ENSEMBLE_H
/* Replications of one scenario and comparisons of two, with seeds derived
 * from a base seed (ts_seed_derive in stats.h): replication r runs with
 * ts_seed_derive(base, r), so any -j gives the same files. */
#include <tradesim/api.h>
#include <signal.h>
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>

TS_BEGIN_DECLS

typedef struct ts_ensemble_options {
	const char *output_dir;       /* created if missing */
	int reps;                     /* replications, >= 1 */
	int jobs;                     /* threads; 0: one per processor */
	uint32_t base_seed;           /* 0: the scenario's run.seed */
	const char *command_line;     /* recorded in run.json; may be NULL */
	const ts_override *overrides; /* recorded in run.json */
	size_t n_overrides;
	/* May be NULL. Set (e.g. by a SIGINT handler) to stop every replication
	 * at its next step boundary: TS_ECANCELED, and no file is written. */
	volatile sig_atomic_t *cancel;
	/* Values (of all replications together) each thread of the summary pass
	 * holds in memory at once; 0: 2^20 (8 MiB). Changes no byte of the
	 * output. */
	size_t summary_block_values;
	/* May be NULL. Called as replications finish (from the worker threads,
	 * one call at a time) with how many are done of how many; it must not
	 * call into the ensemble. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	int force;                    /* as in ts_run_options (output.h) */
} ts_ensemble_options;

#define TS_ENSEMBLE_OPTIONS_INIT {NULL, 1, 0, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, 0}

/* Runs `reps` replications and writes into output_dir: every per-run table
 * with a leading `rep` column (reps in order), reps.csv (rep,seed),
 * summary_<table>.csv (step,date,<keys>,metric,n,mean,sd,q05,q50,q95 for
 * every numeric column of every entity), scenario.cfg and run.json (last;
 * "kind": "replications"). Files are renamed into place only when every
 * replication succeeded. The output directory is handled as by ts_run()
 * (output.h): locked while written (TS_EBUSY), cleared of stale
 * temporaries, refused when it holds another output than replications of
 * this scenario (unless force). Memory does not grow
 * with the number of replications but for a few dozen bytes each (seeds;
 * one cell's values per thread for its exact quantiles): rows go through
 * per-thread scratch files into the tables, each replication's numeric
 * values (steps x entities x columns doubles) to its own slot of a hidden
 * temporary file in output_dir, and the summaries read them back
 * summary_block_values at a time per thread. Disk while it runs: the
 * tables, the rows of the replications in flight (where the file system
 * can free the rows already copied; else the tables twice), plus 8 bytes
 * per replication and value. */
TS_API int ts_ensemble_run(const ts_scenario *scenario, const ts_ensemble_options *options, ts_error *err);

typedef struct ts_compare_options {
	const char *output_dir;
	int reps;
	int jobs;
	uint32_t base_seed;           /* 0: scenario A's run.seed */
	int independent;              /* 1: B uses seeds of its own (no common random numbers) */
	double confidence;            /* of the interval of the mean difference; 0: 0.95 */
	const char *command_line;
	volatile sig_atomic_t *cancel; /* as in ts_ensemble_options; may be NULL */
	size_t summary_block_values;   /* as in ts_ensemble_options (two such blocks: A's and B's) */
	void (*progress)(void *ctx, long done, long total); /* as in ts_ensemble_options: 2 x reps runs */
	void *progress_ctx;
	int force;                    /* as in ts_run_options (output.h) */
	/* Totals: metrics in their text form (docs/sweep.md, "Metrics"), e.g.
	 * "sum:firms.Qualcomm.revenue_bn_usd:2019Q2:2021Q4", computed for each
	 * replication of A and of B; compare_totals.csv holds their B - A.
	 * Checked against A before anything runs (TS_EINPUT, quoting the text);
	 * a measure is found by its id in each side's runs. Memory: 8 bytes per
	 * replication, side and total. */
	const char *const *totals;
	size_t n_totals;
} ts_compare_options;

#define TS_COMPARE_OPTIONS_INIT {NULL, 1, 0, 0, 0, 0.95, NULL, NULL, 0, NULL, NULL, 0, NULL, 0}

/* Runs A and B `reps` times each, replication r of both with the same seed
 * (common random numbers), and writes compare_<table>.csv:
 * step,date,<keys>,metric,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi
 * with diff = B - A per replication and [diff_lo, diff_hi] the t interval of
 * the mean difference; compare_totals.csv, one row per total:
 * total,unit,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi (the same
 * statistics of the totals' values per replication; n counts the
 * replications where both are defined); events_a.csv and events_b.csv,
 * each side's events.csv of every replication (rep,step,date,id,...); plus
 * reps.csv (rep,seed_a,seed_b) and run.json. A and
 * B must have the same entities (rows) in every table compared. run.json says
 * "kind": "comparison". The output directory is handled as by ts_run():
 * refused when it holds another output than a comparison of A and B
 * (unless force). */
TS_API int ts_compare_run(const ts_scenario *a, const ts_scenario *b, const ts_compare_options *options,
                   ts_error *err);

TS_END_DECLS

#endif
