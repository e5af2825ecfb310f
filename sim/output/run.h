#ifndef TS_OUTPUT_RUN_H
#define TS_OUTPUT_RUN_H
/* A run stepped to its end, with a visitor after each step: the piece that
 * single runs, ensembles, comparisons and sweeps share (run.c). */
#include <stdint.h>
#include <stdio.h>
#include <tradesim/output.h>
#include "model/world.h"

/* Called after each step with the step's calendar label; a non-OK return
 * stops the run with that status (err filled by the visitor). */
typedef int (*ts_step_visitor)(const struct ts_sim *w, const char *date, void *ctx, ts_error *err);

/* ts_run() calling visit after each step's rows are written. */
int ts_run_visited(const ts_scenario *s, const ts_run_options *o, ts_step_visitor visit, void *ctx,
                   ts_error *err);
/* A run in memory only (no files); seed 0: the scenario's. */
int ts_simulate(const ts_scenario *s, uint32_t seed, ts_step_visitor visit, void *ctx, ts_error *err);

/* mkdir -p with a check that the result is a writable directory. */
int ts_make_dirs(const char *path, ts_error *err);

/* Writes `text` JSON-escaped and quoted. */
void ts_json_string(FILE *fp, const char *text);

#endif
