#ifndef TS_CLI_SWEEP_OPTS_H
#define TS_CLI_SWEEP_OPTS_H
/* The options of sweep, sensitivity and merge (sweep_opts.c) and the sweep
 * file that a quick sweep's flags stand for (quick_sweep.c). The progress
 * line that these and other long commands draw: cli/progress.h. */
#include "cli/progress.h"

typedef struct sweep_args {
	const char *file, *scenario, *output_dir;
	long jobs, points, reps;
	unsigned long seed;
	int series, progress, force, shard, shards;
	const char *design;
	char **params;               /* --param / --values arguments tagged 'r' / 'v' (each malloc'd) */
	int n_params;
	char **metrics;              /* --metric arguments (point into argv) */
	int n_metrics;
	const char **dirs;           /* merge: the shard directories */
	int n_dirs;
	int help;
} sweep_args;

/* Reads the arguments of `command` (sweep, sensitivity or merge). Returns
 * EXIT_OK or the exit status of a usage error (printed). Free with
 * sweep_args_free() in every case. */
int sweep_args_parse(sweep_args *a, const char *command, int argc, char **argv);
void sweep_args_free(sweep_args *a);

/* The sweep file the quick flags (--scenario, --param, --values, --metric)
 * stand for, malloc'd for the caller; NULL when out of memory. */
char *quick_sweep_text(const sweep_args *a);

#endif
