#ifndef TS_BATCH_H
#define TS_BATCH_H
/* Internal pieces shared by single runs, ensembles, comparisons and sweeps. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <tradesim/output.h>
#include "world.h"

/* Called after each step with the step's calendar label; a non-OK return
 * stops the run with that status (err filled by the visitor). */
typedef int (*ts_step_visitor)(const struct ts_sim *w, const char *date, void *ctx, ts_error *err);

/* ts_run() calling visit after each step's rows are written. */
int ts_run_visited(const ts_scenario *s, const ts_run_options *o, ts_step_visitor visit, void *ctx,
                   ts_error *err);
/* A run in memory only (no files); seed 0: the scenario's. */
int ts_simulate(const ts_scenario *s, uint32_t seed, ts_step_visitor visit, void *ctx, ts_error *err);

/* mkdir -p with a check that the result is a writable directory (output.c). */
int ts_make_dirs(const char *path, ts_error *err);

/* Writes `text` JSON-escaped and quoted. */
void ts_json_string(FILE *fp, const char *text);

/* Runs fn(i, ctx, worker) for i in [0, n) on `jobs` threads (1: the calling
 * thread). Items are taken in increasing order. Returns TS_ENOMEM if threads
 * cannot be started (no item has run then). */
int ts_parallel_for(int n, int jobs, void (*fn)(int i, int worker, void *ctx), void *ctx, ts_error *err);

/* The calling thread in the C locale ('.' decimals) until leave. */
typedef struct ts_c_locale {
	locale_t c, previous;
} ts_c_locale;
int ts_c_locale_enter(ts_c_locale *l, ts_error *err);
void ts_c_locale_leave(ts_c_locale *l);

/* Number of online processors (>= 1). */
int ts_cpu_count(void);

#endif
