#ifndef TRADESIM_OUTPUT_H
#define TRADESIM_OUTPUT_H
/* Running a scenario to CSV time series in a directory. */
#include <tradesim/api.h>
#include <signal.h>
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>
#include <tradesim/sim.h>

TS_BEGIN_DECLS

typedef struct ts_run_options {
	const char *output_dir;       /* created if missing */
	uint32_t seed;                /* 0: the scenario's run.seed */
	const char *command_line;     /* recorded in run.json; may be NULL */
	const ts_override *overrides; /* recorded in run.json */
	size_t n_overrides;
	/* May be NULL. Set (e.g. by a SIGINT handler) to stop the run at the
	 * next step boundary: TS_ECANCELED, and no file is written. */
	volatile sig_atomic_t *cancel;
	/* May be NULL. Called after each step's rows are written, with the sim
	 * (read it with ts_sim_value(), tradesim/sim.h) and on_step_ctx; a
	 * non-zero return stops the run as cancel does: TS_ECANCELED, and no
	 * file is written. */
	int (*on_step)(const ts_sim *sim, void *ctx);
	void *on_step_ctx;
	/* 1: first remove every file tradesim writes from output_dir, whatever
	 * output it holds (refused, naming them, if it holds any other file);
	 * 0: refuse a directory that holds another kind of output or another
	 * scenario's (below). */
	int force;
} ts_run_options;

#define TS_RUN_OPTIONS_INIT {NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, 0}

/* Run every step, streaming countries.csv, firms.csv, markets.csv,
 * relations.csv and events.csv, then write scenario.cfg (the effective
 * scenario) and run.json ("kind": "run", the scenario, seed, overrides and
 * "files"). Files are written under temporary names and renamed only when
 * the whole run succeeded, run.json last; on failure no final-named file is
 * left behind.
 *
 * The output directory: created if missing; locked while the run writes
 * (TS_EBUSY if another tradesim run, replication set, comparison or sweep
 * holds it); temporaries that killed runs left there are removed first. A
 * directory that holds replications, a comparison, a sweep or a run of
 * another scenario is refused (TS_EINPUT, saying what it holds) unless
 * force; a run of the same scenario is replaced. When the run commits,
 * tradesim files of other kinds left without their run.json are removed,
 * so that the directory holds this run and nothing stale. TS_ERUN when a
 * value that must be defined is not finite (the message names the table,
 * entity, column, step and value). */
TS_API int ts_run(const ts_scenario *scenario, const ts_run_options *options, ts_error *err);

TS_END_DECLS

#endif
