#ifndef TS_CLI_SWEEP_OPTS_H
#define TS_CLI_SWEEP_OPTS_H
/* The options of sweep, sensitivity and merge (sweep_opts.c), the sweep
 * file that a quick sweep's flags stand for (quick_sweep.c) and the
 * progress line (progress.c). */
#include <time.h>

typedef struct sweep_args {
	const char *file, *scenario, *output_dir;
	long jobs, points, reps;
	unsigned long seed;
	int series, progress, shard, shards;
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

/* The progress line ("12/40 runs  3.1 runs/s  ETA 0:09") for
 * ts_sweep_options.progress, on stderr when `show`. */
typedef struct progress_state {
	int show;
	long start_done;
	long kill_after;             /* test hook: > 0 dies by SIGKILL after this many runs */
	struct timespec start, last;
} progress_state;

/* show: the line is drawn; the kill hook is read from the environment
 * (TRADESIM_TEST_KILL_AFTER, for the resume tests). */
void progress_init(progress_state *p, int show);
void progress_update(void *ctx, long done, long total);

#endif
