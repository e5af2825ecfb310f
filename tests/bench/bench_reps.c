/* Benchmark of replications (run --reps): wall and CPU time of R
 * replications at -j1 and -j2, and the peak resident memory of a set of
 * `small` and of `large` replications, which should be about equal: rows
 * and values stream to disk. Each set runs in a child process of its own, so
 * that its peak memory and CPU time are its own. The load average is
 * printed with the figures: on a shared machine the wall-time speed-up is
 * only as good as the second core is free (reps_cores_busy_j2, CPU over
 * wall time at -j2, shows how much of two cores the run got).
 * usage: bench_reps SCENARIO [reps_for_rate small large] */
#define _DEFAULT_SOURCE  /* wait4, getloadavg */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <gsl/gsl_errno.h>
#include <tradesim/ensemble.h>
#include <tradesim/scenario.h>

typedef struct figures {
	double wall_s, cpu_s;
	long peak_rss_kib;
} figures;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The child: `reps` replications of scenario at -j`jobs` into dir. */
static int run_child(const char *scenario, int reps, int jobs, const char *dir)
{
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	if (ts_scenario_load(&s, scenario, NULL, 0, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = reps;
	o.jobs = jobs;
	int rc = ts_ensemble_run(s, &o, &err);
	if (rc != TS_OK)
		fprintf(stderr, "%s\n", err.message);
	ts_scenario_free(s);
	return rc == TS_OK ? 0 : 1;
}

static figures replications(const char *scenario, int reps, int jobs, const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		exit(1);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		exit(1);
	if (pid == 0)
		_exit(run_child(scenario, reps, jobs, dir));
	int status = 0;
	struct rusage u;
	if (wait4(pid, &status, 0, &u) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_reps: %d replications failed\n", reps);
		exit(1);
	}
	figures f = {now() - t0,
	             (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec + (double)u.ru_stime.tv_sec +
	                 1e-6 * (double)u.ru_stime.tv_usec,
	             u.ru_maxrss};
	return f;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	const char *scenario = argc > 1 ? argv[1] : "scenarios/default.cfg";
	int rate_reps = argc > 2 ? atoi(argv[2]) : 200;
	int small = argc > 3 ? atoi(argv[3]) : 100, large = argc > 4 ? atoi(argv[4]) : 1000;
	const char *dir = "bench_reps_out";
	double load[3] = {0, 0, 0};
	getloadavg(load, 3);
	printf("%s: load average %.2f %.2f %.2f on %ld processors\n", scenario, load[0], load[1], load[2],
	       sysconf(_SC_NPROCESSORS_ONLN));
	figures j1 = replications(scenario, rate_reps, 1, dir), j2 = replications(scenario, rate_reps, 2, dir);
	printf("%d replications: -j1 wall %.2f s, CPU %.2f s; -j2 wall %.2f s, CPU %.2f s\n", rate_reps, j1.wall_s,
	       j1.cpu_s, j2.wall_s, j2.cpu_s);
	printf("reps_speedup_j2 %.2f\n", j1.wall_s / j2.wall_s);
	/* CPU over wall: how many cores the replications kept busy; below 2 at
	 * -j2 by what is serial, or by what other processes took. */
	printf("reps_cores_busy_j2 %.2f\n", j2.cpu_s / j2.wall_s);
	figures fs = replications(scenario, small, 2, dir), fl = replications(scenario, large, 2, dir);
	printf("peak RSS of %d replications: %ld KiB (wall %.2f s, CPU %.2f s); of %d: %ld KiB (wall %.2f s, CPU %.2f s)\n",
	       small, fs.peak_rss_kib, fs.wall_s, fs.cpu_s, large, fl.peak_rss_kib, fl.wall_s, fl.cpu_s);
	getloadavg(load, 3);
	printf("load average after: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
	return system("rm -rf bench_reps_out") == 0 ? 0 : 1;
}
