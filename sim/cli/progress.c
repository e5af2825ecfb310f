/* The progress line of sweeps (sweep_opts.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/sweep_opts.h"

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

void progress_init(progress_state *p, int show)
{
	memset(p, 0, sizeof *p);
	p->show = show;
	const char *kill_after = getenv("TRADESIM_TEST_KILL_AFTER");
	p->kill_after = kill_after ? atol(kill_after) : 0;
}

void progress_update(void *ctx, long done, long total)
{
	progress_state *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->start.tv_sec == 0 && p->start.tv_nsec == 0) {
		p->start = now;
		p->start_done = done;
	}
	/* Test hook: die as if killed once k runs were written by this process. */
	if (p->kill_after > 0 && done - p->start_done >= p->kill_after)
		raise(SIGKILL);
	if (!p->show)
		return;
	if (done < total && seconds_between(&p->last, &now) < 0.2)
		return;  /* at most five redraws a second */
	p->last = now;
	double elapsed = seconds_between(&p->start, &now);
	double rate = elapsed > 0 ? (double)(done - p->start_done) / elapsed : 0.0;
	long eta = rate > 0 ? (long)((double)(total - done) / rate + 0.5) : -1;
	if (eta >= 0)
		fprintf(stderr, "\r%ld/%ld runs  %.1f runs/s  ETA %ld:%02ld  ", done, total, rate, eta / 60, eta % 60);
	else
		fprintf(stderr, "\r%ld/%ld runs  ", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}
