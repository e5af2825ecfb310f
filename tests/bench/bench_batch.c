/* Benchmark of batch runs: sweep throughput (runs per second) on a scenario
 * at -j1 and -j2, then the peak resident memory after sweeps of `small` and
 * `large` runs, which should be about equal: results stream.
 * usage: bench_batch SCENARIO [runs_for_rate small large] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <gsl/gsl_errno.h>
#include <tradesim/sweep.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static long peak_rss_kib(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss;
}

/* A sweep of `runs` runs. */
static double sweep(const char *scenario, long runs, int jobs, const char *dir)
{
	char text[2048];
	snprintf(text, sizeof text,
	         "scenario = \"%s\"; design = \"lhs\"; points = %ld;\n"
	         "parameters = ( { path = \"countries.CN.home_bias\"; min = 0.5; max = 1.5; } );\n"
	         "metrics = ( { series = \"countries.CN.consumer_welfare_bn_usd\"; stat = \"mean\"; } );\n",
	         scenario, runs);
	ts_error err = TS_ERROR_INIT;
	ts_sweep *s = NULL;
	if (ts_sweep_load_string(&s, text, "bench", NULL, NULL, 0, 0, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		exit(1);
	}
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		exit(1);
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.jobs = jobs;
	double t0 = now();
	if (ts_sweep_run(s, &o, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		exit(1);
	}
	double elapsed = now() - t0;
	ts_sweep_free(s);
	return elapsed;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	const char *scenario = argc > 1 ? argv[1] : "scenarios/default.cfg";
	long rate_runs = argc > 2 ? atol(argv[2]) : 200;
	long small = argc > 3 ? atol(argv[3]) : 1000, large = argc > 4 ? atol(argv[4]) : 10000;
	double t1 = sweep(scenario, rate_runs, 1, "bench_batch_out");
	double t2 = sweep(scenario, rate_runs, 2, "bench_batch_out");
	printf("%s: %ld runs: -j1 %.1f runs/s, -j2 %.1f runs/s (speed-up %.2fx)\n", scenario, rate_runs,
	       rate_runs / t1, rate_runs / t2, t1 / t2);
	sweep(scenario, small, 2, "bench_batch_out");
	long rss_small = peak_rss_kib();
	sweep(scenario, large, 2, "bench_batch_out");
	long rss_large = peak_rss_kib();
	printf("peak RSS after a %ld-run sweep: %ld KiB; after a %ld-run sweep: %ld KiB\n", small, rss_small, large,
	       rss_large);
	return 0;
}
