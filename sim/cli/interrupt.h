#ifndef TS_CLI_INTERRUPT_H
#define TS_CLI_INTERRUPT_H
/* Ctrl-C (SIGINT) and, for runs, SIGTERM: instead of killing the process
 * mid-write, they set a flag that the library reads at step boundaries
 * (runs, replications, comparisons: TS_ECANCELED, nothing written) or
 * between runs (sweeps: the runs in flight finish). A second signal kills
 * at once, as usual. */
#include <signal.h>

/* Catches SIGINT, and SIGTERM too when `terminate` is set; returns the
 * flag they set (cleared now), for the library's `cancel` option. */
volatile sig_atomic_t *cli_interrupt_catch(int terminate);

/* Puts back the handlers that were there before cli_interrupt_catch(). */
void cli_interrupt_release(void);

#endif
