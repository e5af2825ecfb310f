/* The progress line of long commands (progress.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/progress.h"

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

int progress_wanted(int forced)
{
	return forced || isatty(STDERR_FILENO);
}

void progress_init(progress_state *p, int show)
{
	memset(p, 0, sizeof *p);
	p->show = show;
	p->failed = -1;
	const char *kill_after = getenv("TRADESIM_TEST_KILL_AFTER");
	const char *interrupt_after = getenv("TRADESIM_TEST_INTERRUPT_AFTER");
	p->kill_after = kill_after ? atol(kill_after) : 0;
	p->interrupt_after = interrupt_after ? atol(interrupt_after) : 0;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void progress_failed(void *ctx, long failed)
{
	progress_state *p = ctx;
	p->failed = failed;
}

/* "m:ss", or "h:mm:ss" from an hour on. */
static void format_duration(char *buf, size_t size, double seconds)
{
	long s = (long)(seconds + 0.5);
	if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

/* The line's text, without the carriage return that starts it. */
static int format_line(const progress_state *p, char *buf, size_t size, long done, long total, double elapsed)
{
	double rate = elapsed > 0 && done > p->start_done ? (double)(done - p->start_done) / elapsed : 0.0;
	long percent = total > 0 ? (long)(100.0 * (double)done / (double)total) : 100;
	char rate_text[32] = "--", spent[32], eta[32] = "--";
	format_duration(spent, sizeof spent, elapsed);
	if (rate > 0) {
		snprintf(rate_text, sizeof rate_text, rate >= 100 ? "%.0f" : "%.3g", rate);
		format_duration(eta, sizeof eta, (double)(total - done) / rate);
	}
	int n = snprintf(buf, size, "%3ld%% %ld/%ld runs  %s runs/s  elapsed %s  ETA %s", percent, done, total,
	                 rate_text, spent, eta);
	if (p->failed >= 0 && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "  %ld failed", p->failed);
	return n < 0 ? 0 : (size_t)n < size ? n : (int)size - 1;
}

static void draw(progress_state *p, long done, long total, const struct timespec *now)
{
	char line[256];
	int n = format_line(p, line, sizeof line, done, total, seconds_between(&p->start, now));
	/* Spaces over what a longer line before left on the screen. */
	fprintf(stderr, "\r%s%*s", line, p->width > n ? p->width - n : 0, "");
	p->width = n;
	p->open = done < total;
	if (!p->open)
		fputc('\n', stderr);
	fflush(stderr);
}

void progress_update(void *ctx, long done, long total)
{
	progress_state *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!p->started && p->first_is_start) {
		p->start = now;  /* a sweep: from the runs it resumes after */
		p->start_done = done;
	}
	p->started = 1;
	long ran = done - p->start_done;
	/* Test hook: die as if killed once k runs were written by this process. */
	if (p->kill_after > 0 && ran >= p->kill_after)
		raise(SIGKILL);
	/* Test hook: Ctrl-C once k runs were done, the line drawn and open. */
	int interrupt = p->interrupt_after > 0 && ran >= p->interrupt_after;
	int first = p->width == 0;
	if (p->show && (first || interrupt || done >= total || seconds_between(&p->last, &now) >= 0.2)) {
		p->last = now;  /* at most five redraws a second, but the first and the last */
		draw(p, done, total, &now);
	}
	if (interrupt) {
		p->interrupt_after = 0;
		raise(SIGINT);
	}
}

void progress_end(progress_state *p)
{
	if (!p->open)
		return;
	fputc('\n', stderr);
	fflush(stderr);
	p->open = 0;
}
