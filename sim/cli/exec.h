#ifndef TS_CLI_EXEC_H
#define TS_CLI_EXEC_H
/* Sweeps on threads, or across MPI ranks when started by mpirun (exec.c).
 * cli_parallel_init: MPI_Init when a launcher started us (ranks other than
 * 0 then print nothing). cli_parallel_agree: every rank's status after
 * loading the sweep or calibration (what: "sweep" or "calibration"; hash:
 * its SHA-256, NULL on failure) made one: the first failing rank's,
 * reported on rank 0's err. cli_calibrate_share: under mpirun with more
 * than one rank, the share that spreads a calibration over the ranks, *jobs
 * (0: the default) set to this rank's threads; else NULL. cli_sweep_execute:
 * every rank calls it; rank 0 writes. cli_parallel_finish: the job's exit
 * code (rank 0's, else any rank's), then MPI_Finalize. Without MPI these
 * pass through. */
#include <tradesim/calibrate.h>
#include <tradesim/error.h>
#include <tradesim/sweep.h>

void cli_parallel_init(int *argc, char ***argv);
int cli_parallel_agree(int status, const char *what, const char *hash, ts_error *err);
const ts_calibrate_share *cli_calibrate_share(int *jobs);
int cli_sweep_execute(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err);
int cli_parallel_finish(int code);
int cli_is_writer(void);  /* the process that writes files and prints results */

#endif
