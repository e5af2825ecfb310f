/* Benchmark of replications (run --reps): wall and CPU time of R
 * replications at -j1 and -j2, and the peak resident memory of a set of
 * `small` and of `large` replications, which should be about equal: rows
 * and values stream to disk. Each set runs in a child process of its own, so
 * that its peak memory and CPU time are its own. The load average is
 * printed with the figures: on a shared machine the wall-time speed-up is
 * only as good as the second core is free (reps_cores_busy_j2, CPU over
 * wall time at -j2, shows how much of two cores the run got).
 * The replications at -j1 and -j2 run BENCH_ROUNDS times in turn, and the
 * best of each is printed with the slowest (bench_in_turn()).
 * usage: bench_reps SCENARIO [reps_for_rate small large] */
#define _DEFAULT_SOURCE  /* wait4, getloadavg */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <tradesim/ensemble.h>
#include <tradesim/scenario.h>
#include "bench_child.h"

/* The child: `reps` replications of scenario at -j`jobs` into dir. */
static int run_child(const char *scenario, long reps, int jobs, const char *dir)
{
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	if (ts_scenario_load(&s, scenario, NULL, 0, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = (int)reps;
	o.jobs = jobs;
	int rc = ts_ensemble_run(s, &o, &err);
	if (rc != TS_OK)
		fprintf(stderr, "%s\n", err.message);
	ts_scenario_free(s);
	return rc == TS_OK ? 0 : 1;
}

static figures replications(const char *scenario, long reps, int jobs, const char *dir)
{
	char what[64];
	snprintf(what, sizeof what, "bench_reps: %ld replications", reps);
	return bench_in_child(run_child, scenario, reps, jobs, dir, what);
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	const char *scenario = argc > 1 ? argv[1] : "scenarios/default.cfg";
	int rate_reps = argc > 2 ? atoi(argv[2]) : 200;
	int small = argc > 3 ? atoi(argv[3]) : 100, large = argc > 4 ? atoi(argv[4]) : 1000;
	const char *dir = "bench_reps_out";
	bench_print_load(scenario);
	figures best[2], worst[2];
	bench_in_turn(replications, scenario, rate_reps, dir, best, worst);
	figures j1 = best[0], j2 = best[1];
	printf("%d replications, the best of %d at each -j, in turn: -j1 wall %.2f s, CPU %.2f s; -j2 wall %.2f s, "
	       "CPU %.2f s; the slowest: -j1 wall %.2f s, -j2 wall %.2f s\n",
	       rate_reps, BENCH_ROUNDS, j1.wall_s, j1.cpu_s, j2.wall_s, j2.cpu_s, worst[0].wall_s, worst[1].wall_s);
	printf("reps_speedup_j2 %.2f\n", j1.wall_s / j2.wall_s);
	/* CPU over wall: how many cores the replications kept busy; below 2 at
	 * -j2 by what is serial, or by what other processes took. */
	printf("reps_cores_busy_j2 %.2f\n", j2.cpu_s / j2.wall_s);
	figures fs = replications(scenario, small, 2, dir), fl = replications(scenario, large, 2, dir);
	printf("peak RSS of %d replications: %ld KiB (wall %.2f s, CPU %.2f s); of %d: %ld KiB (wall %.2f s, CPU %.2f s)\n",
	       small, fs.peak_rss_kib, fs.wall_s, fs.cpu_s, large, fl.peak_rss_kib, fl.wall_s, fl.cpu_s);
	bench_print_load(NULL);
	return system("rm -rf bench_reps_out") == 0 ? 0 : 1;
}
