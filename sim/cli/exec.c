/* Sweep execution for the CLI: threads in one process (ts_sweep_run), or,
 * in a build with TRADESIM_MPI started by mpirun with more than one rank,
 * rank 0 writing the journal and handing out runs, the other ranks running
 * them. Either way sweep.csv holds the same bytes. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#ifndef TRADESIM_HAVE_MPI

void cli_parallel_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}

void cli_parallel_finish(void) {}

int cli_is_writer(void) { return 1; }

int cli_sweep_execute(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err)
{
	return ts_sweep_run(sweep, options, err);
}

#endif
