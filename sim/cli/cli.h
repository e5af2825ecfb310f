#ifndef TS_CLI_H
#define TS_CLI_H
/* Shared by the command-line front end's files. */
#include <tradesim/error.h>
#include <tradesim/sweep.h>

enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* "tradesim COMMAND: message" and a hint at --help; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, const char *arg);
int cli_parse_count(const char *text, long lo, long hi, long *out);
int cli_parse_seed(const char *text, unsigned long *seed);
/* Prints err's diagnostics; returns the exit code of its status. */
int cli_report(const ts_error *err);

/* sweep, sensitivity, merge (sweep_cli.c). */
int cli_sweep(const char *command, int argc, char **argv, const char *command_line);

/* Runs a sweep on threads, or across MPI ranks when started by mpirun
 * (exec.c). Only the writing process prints results. */
void cli_parallel_init(int *argc, char ***argv);
void cli_parallel_finish(void);
int cli_sweep_execute(const ts_sweep *sweep, const ts_sweep_options *options, ts_error *err);
int cli_is_writer(void);

#endif
