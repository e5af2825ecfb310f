/* Benchmark of sweeps: a sweep of `runs` runs of a scenario (one parameter,
 * one metric, no series) at -j1 and at -j2, each in a child process of its
 * own so that its CPU time and peak memory are its own; then the peak
 * resident memory of a sweep of `small` and of `large` runs, which should be
 * about equal: rows stream to the journal. The load average is printed with
 * the figures: on a shared machine the wall-time speed-up is only as good as
 * the second core is free (sweep_cores_busy_j2, CPU over wall time at -j2,
 * shows how much of two cores the sweep got). First, in this process and
 * in thread CPU time, which other processes do not inflate much: what
 * preparing a run's scenario costs when its text is parsed again with the
 * run's value (as sweeps did) and as a variant of the scenario read once
 * (scenario/vary.h), against the run's simulation.
 * The sweeps at -j1 and -j2 run BENCH_ROUNDS times in turn, and the best
 * of each is printed with the slowest (bench_in_turn()).
 * usage: bench_batch SCENARIO [runs small] */
#define _DEFAULT_SOURCE  /* wait4, getloadavg */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_errno.h>
#include <tradesim/sim.h>
#include <tradesim/sweep.h>
#include "model/innovation_sizes.h"
#include "scenario/vary.h"
#include "util/textfile.h"
#include "bench_child.h"

/* The child: a sweep of `runs` runs at -j`jobs` into dir, loading included. */
static int run_child(const char *scenario, long runs, int jobs, const char *dir)
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
		return 1;
	}
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = dir;
	o.jobs = jobs;
	int rc = ts_sweep_run(s, &o, &err);
	if (rc != TS_OK)
		fprintf(stderr, "%s\n", err.message);
	ts_sweep_free(s);
	return rc == TS_OK ? 0 : 1;
}

static figures sweep(const char *scenario, long runs, int jobs, const char *dir)
{
	char what[64];
	snprintf(what, sizeof what, "bench_batch: a sweep of %ld runs", runs);
	return bench_in_child(run_child, scenario, runs, jobs, dir, what);
}

static double thread_cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void check(int rc, const ts_error *err)
{
	if (rc != TS_OK) {
		fprintf(stderr, "bench_batch: %s\n", err->message);
		exit(1);
	}
}

/* Milliseconds of thread CPU per scenario prepared (parsed again, or
 * varied) and per simulation, over `n` of each. */
static void per_run(const char *scenario, int n)
{
	ts_error err = TS_ERROR_INIT;
	char *text = NULL;
	ts_scenario *base = NULL, *s = NULL;
	check(ts_read_file(&text, NULL, scenario, &err), &err);
	check(ts_scenario_load(&base, scenario, NULL, 0, &err), &err);
	ts_override ov = {"countries.CN.home_bias", "0.75"};
	double t0 = thread_cpu();
	for (int i = 0; i < n; i++) {
		check(ts_scenario_load_string(&s, text, scenario, NULL, &ov, 1, &err), &err);
		ts_scenario_free(s);
	}
	double t1 = thread_cpu();
	for (int i = 0; i < n; i++) {
		check(ts_scenario_vary(&s, base, &ov, 1, &err), &err);
		ts_scenario_free(s);
	}
	double t2 = thread_cpu();
	for (int i = 0; i < n; i++) {
		ts_sim *sim = NULL;
		check(ts_sim_alloc(&sim, base, (uint32_t)(i + 1), &err), &err);
		for (int k = 0; k < ts_scenario_steps(base); k++)
			check(ts_sim_step(sim, &err), &err);
		ts_sim_free(sim);
	}
	double t3 = thread_cpu();
	ts_innovation_sizes *sizes = ts_innovation_sizes_new();  /* as a sweep's worker: one seed, one table */
	for (int i = 0; i < n && sizes; i++) {
		ts_sim *sim = NULL;
		check(ts_sim_alloc(&sim, base, 1, &err), &err);
		ts_sim_use_innovation_sizes(sim, sizes);
		for (int k = 0; k < ts_scenario_steps(base); k++)
			check(ts_sim_step(sim, &err), &err);
		ts_sim_free(sim);
	}
	ts_innovation_sizes_free(sizes);
	double t4 = thread_cpu();
	double parse_ms = 1e3 * (t1 - t0) / n, vary_ms = 1e3 * (t2 - t1) / n, sim_ms = 1e3 * (t3 - t2) / n;
	double sized_ms = 1e3 * (t4 - t3) / n;
	printf("a run's scenario, thread CPU: parsed with its value %.3f ms, varied %.3f ms (%.1fx less); "
	       "its simulation %.3f ms, %.3f ms as in a sweep (one seed, the worker's table of innovation sizes)\n",
	       parse_ms, vary_ms, parse_ms / vary_ms, sim_ms, sized_ms);
	printf("run_ms_in_sweep %.3f\n", vary_ms + sized_ms);
	printf("scenario_parse_vs_vary %.2f\n", parse_ms / vary_ms);
	printf("scenario_share_of_run_before %.2f\n", parse_ms / (parse_ms + sim_ms));
	printf("scenario_share_of_run_after %.2f\n", vary_ms / (vary_ms + sim_ms));
	ts_scenario_free(base);
	free(text);
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	const char *scenario = argc > 1 ? argv[1] : "scenarios/default.cfg";
	long runs = argc > 2 ? atol(argv[2]) : 10000;
	long small = argc > 3 ? atol(argv[3]) : 1000;
	const char *dir = "bench_batch_out";
	bench_print_load(scenario);
	per_run(scenario, runs < 200 ? (int)runs : 200);
	figures best[2], worst[2];
	bench_in_turn(sweep, scenario, runs, dir, best, worst);
	figures j1 = best[0], j2 = best[1];
	printf("sweep of %ld runs, the best of %d at each -j, in turn: -j1 wall %.2f s, CPU %.2f s (%.1f runs/s); "
	       "-j2 wall %.2f s, CPU %.2f s (%.1f runs/s); the slowest: -j1 CPU %.2f s, -j2 wall %.2f s, CPU %.2f s\n",
	       runs, BENCH_ROUNDS, j1.wall_s, j1.cpu_s, runs / j1.wall_s, j2.wall_s, j2.cpu_s, runs / j2.wall_s,
	       worst[0].cpu_s, worst[1].wall_s, worst[1].cpu_s);
	printf("sweep_cpu_s_j1 %.2f\n", j1.cpu_s);
	printf("sweep_cpu_s_j2 %.2f\n", j2.cpu_s);
	printf("sweep_wall_s_j2 %.2f\n", j2.wall_s);
	printf("sweep_speedup_j2 %.2f\n", j1.wall_s / j2.wall_s);
	/* CPU over wall: how many cores the sweep kept busy; below 2 at -j2 by
	 * what is serial, or by what other processes took. */
	printf("sweep_cores_busy_j2 %.2f\n", j2.cpu_s / j2.wall_s);
	figures fs = sweep(scenario, small, 2, dir);
	printf("peak RSS of a %ld-run sweep at -j2: %ld KiB; of the %ld-run sweep: %ld KiB\n", small, fs.peak_rss_kib, runs,
	       j2.peak_rss_kib);
	bench_print_load(NULL);
	return system("rm -rf bench_batch_out") == 0 ? 0 : 1;
}
