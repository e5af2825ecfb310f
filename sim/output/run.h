#ifndef TS_OUTPUT_RUN_H
#define TS_OUTPUT_RUN_H
/* A run stepped to its end, with a visitor after each step: the piece that
 * single runs, ensembles, comparisons and sweeps share (run.c). Other
 * writers of a directory also find here its pieces: ts_make_dirs and the
 * commit (outdir.h), JSON strings (json.h). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <tradesim/output.h>
#include "model/innovation_sizes.h"
#include "model/world.h"
#include "output/json.h"
#include "output/outdir.h"

/* Called after each step with the step's calendar label; a non-OK return
 * stops the run with that status (err filled by the visitor). */
typedef int (*ts_step_visitor)(const struct ts_sim *w, const char *date, void *ctx, ts_error *err);

/* ts_run() calling visit after each step's rows are written. */
int ts_run_visited(const ts_scenario *s, const ts_run_options *o, ts_step_visitor visit, void *ctx,
                   ts_error *err);
/* A run in memory only (no files); seed 0: the scenario's. */
int ts_simulate(const ts_scenario *s, uint32_t seed, ts_step_visitor visit, void *ctx, ts_error *err);
/* ts_simulate() with a table of innovation sizes kept across the caller's
 * runs on this thread (model/innovation_sizes.h; NULL: none). */
int ts_simulate_sized(const ts_scenario *s, uint32_t seed, ts_innovation_sizes *sizes, ts_step_visitor visit,
                      void *ctx, ts_error *err);

/* TS_ECANCELED if *cancel (may be NULL) is set: "interrupted before step
 * N" (step < 0: once the steps are done), "nothing was written". */
int ts_check_cancel(volatile sig_atomic_t *cancel, int step, ts_error *err);

/* scenario.cfg (the effective scenario) written and closed under a temporary
 * name in dir, into *file (zeroed). */
int ts_write_scenario_file(ts_csv *file, const char *dir, const ts_scenario *s, ts_error *err);

#endif
