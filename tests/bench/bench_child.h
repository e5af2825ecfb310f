#ifndef TS_BENCH_CHILD_H
#define TS_BENCH_CHILD_H
/* What bench_batch and bench_reps share: a batch run in a child process of
 * its own, so that its CPU time and peak memory are its own, and the
 * machine's load average printed with the figures. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Times each batch of bench_in_turn() runs at each -j. */
#define BENCH_ROUNDS 3

typedef struct figures {
	double wall_s, cpu_s;
	long peak_rss_kib;
} figures;

static inline double bench_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A batch of `count` runs of scenario at -j`jobs` into dir; 0 for
 * success. */
typedef int bench_batch(const char *scenario, long count, int jobs, const char *dir);

/* Empties dir, then runs batch(scenario, count, jobs, dir) in a child
 * process (its return value is the exit status) and returns its wall time,
 * user + system CPU time and peak RSS. Exits the benchmark, naming `what`,
 * when the child fails. */
static inline figures bench_in_child(bench_batch *batch, const char *scenario, long count, int jobs, const char *dir,
                                     const char *what)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		exit(1);
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0)
		exit(1);
	if (pid == 0)
		_exit(batch(scenario, count, jobs, dir));
	int status = 0;
	struct rusage u;
	if (wait4(pid, &status, 0, &u) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "%s failed\n", what);
		exit(1);
	}
	figures f = {bench_now() - t0,
	             (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec + (double)u.ru_stime.tv_sec +
	                 1e-6 * (double)u.ru_stime.tv_usec,
	             u.ru_maxrss};
	return f;
}

/* The same batch (one(), through bench_in_child()) at -j1 and at -j2,
 * BENCH_ROUNDS times in turn (-j1, -j2, -j1, ...), so that both see the
 * machine as it was: in *best the least wall and the least CPU time of
 * each, in *worst the most (peak RSS: the largest). On a shared machine
 * one batch can take a quarter longer than the next for no reason of its
 * own; the least is the nearest to what the code costs, and the spread
 * shows how noisy the machine was. */
typedef figures bench_one(const char *scenario, long count, int jobs, const char *dir);

static inline void bench_in_turn(bench_one *one, const char *scenario, long count, const char *dir, figures best[2],
                                 figures worst[2])
{
	for (int r = 0; r < BENCH_ROUNDS; r++)
		for (int j = 0; j < 2; j++) {
			figures f = one(scenario, count, j + 1, dir);
			if (r == 0) {
				best[j] = worst[j] = f;
				continue;
			}
			best[j].wall_s = f.wall_s < best[j].wall_s ? f.wall_s : best[j].wall_s;
			best[j].cpu_s = f.cpu_s < best[j].cpu_s ? f.cpu_s : best[j].cpu_s;
			worst[j].wall_s = f.wall_s > worst[j].wall_s ? f.wall_s : worst[j].wall_s;
			worst[j].cpu_s = f.cpu_s > worst[j].cpu_s ? f.cpu_s : worst[j].cpu_s;
			best[j].peak_rss_kib = worst[j].peak_rss_kib =
			    f.peak_rss_kib > best[j].peak_rss_kib ? f.peak_rss_kib : best[j].peak_rss_kib;
		}
}

/* "SCENARIO: load average a b c on N processors", or with scenario NULL
 * "load average after: a b c". */
static inline void bench_print_load(const char *scenario)
{
	double load[3] = {0, 0, 0};
	getloadavg(load, 3);
	if (scenario)
		printf("%s: load average %.2f %.2f %.2f on %ld processors\n", scenario, load[0], load[1], load[2],
		       sysconf(_SC_NPROCESSORS_ONLN));
	else
		printf("load average after: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
}

#endif
