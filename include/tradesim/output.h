#ifndef TRADESIM_OUTPUT_H
#define TRADESIM_OUTPUT_H
/* Running a scenario to CSV time series in a directory. */
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>

typedef struct ts_run_options {
	const char *output_dir;       /* created if missing */
	uint32_t seed;                /* 0: the scenario's run.seed */
	const char *command_line;     /* recorded in run.json; may be NULL */
	const ts_override *overrides; /* recorded in run.json */
	size_t n_overrides;
} ts_run_options;

#define TS_RUN_OPTIONS_INIT {NULL, 0, NULL, NULL, 0}

/* Run every step, streaming countries.csv, firms.csv, markets.csv and
 * events.csv, then write scenario.cfg (the effective scenario) and run.json.
 * Files are written under temporary names and renamed only when the whole
 * run succeeded; on failure no final-named file is left behind. */
int ts_run(const ts_scenario *scenario, const ts_run_options *options, ts_error *err);

#endif
