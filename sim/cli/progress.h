#ifndef TS_CLI_PROGRESS_H
#define TS_CLI_PROGRESS_H
/* The progress line of every long command (run --reps, compare, sweep,
 * sensitivity, check), redrawn in place on stderr at most five times a
 * second:
 *
 *     45% 18/40 runs  3.1 runs/s  elapsed 0:06  ETA 0:07  2 failed
 *
 * (rate and ETA "--" until a run is done; "N failed" where runs can fail
 * without stopping the command). Shown on a terminal, or always when the
 * command's --progress forces it. The line ends with a newline when the
 * last run is done; a command that stops earlier calls progress_end()
 * before it prints anything, so that its message starts on a line of its
 * own. */
#include <time.h>

typedef struct progress_state {
	int show;
	long start_done;             /* runs done when the command started (a resumed sweep) */
	long failed;                 /* -1: not counted by this command */
	long kill_after;             /* test hook: > 0 dies by SIGKILL after this many runs */
	long interrupt_after;        /* test hook: > 0 raises SIGINT once after this many runs */
	int open;                    /* a line is drawn and not ended */
	int width;                   /* characters of the line drawn last */
	int first_is_start;          /* the first update gives the runs done before (a sweep
	                              * resumed); else the clock runs from progress_init() */
	int started;
	struct timespec start, last;
} progress_state;

/* Whether to draw the line: forced (--progress), or stderr is a terminal. */
int progress_wanted(int forced);

/* show: the line is drawn. The test hooks are read from the environment:
 * TRADESIM_TEST_KILL_AFTER (the resume tests), TRADESIM_TEST_INTERRUPT_AFTER
 * (a Ctrl-C at a known point). */
void progress_init(progress_state *p, int show);

/* The library's progress callbacks (ctx: a progress_state): runs done of
 * total; runs failed so far (called before progress_update). */
void progress_update(void *ctx, long done, long total);
void progress_failed(void *ctx, long failed);

/* Ends a line left open (an interrupted or failed command), so that what
 * is printed next starts on a line of its own. Safe to repeat. */
void progress_end(progress_state *p);

#endif
