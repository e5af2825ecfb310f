#ifndef TS_CLI_H
#define TS_CLI_H
/* The tradesim command: main.c holds the table of commands; each command
 * (or family: sweep and sensitivity) has its handler and help text in
 * cmd_<name>.c. Handlers parse their options with opt.h and report through
 * report.h. */
#include "cli/exec.h"
#include "cli/opt.h"
#include "cli/report.h"

typedef struct cli_command cli_command;

/* argv holds the arguments after the command's name; command_line is the
 * whole line (recorded in run.json, sweep.json). Returns the exit status. */
typedef int (*cli_handler)(const cli_command *cmd, int argc, char **argv, const char *command_line);

struct cli_command {
	const char *name;            /* "run" */
	const char *synopsis;        /* "run FILE", in `tradesim --help` */
	const char *summary;         /* one line, in `tradesim --help` */
	cli_handler handler;
	const char *help;            /* what `tradesim NAME --help` prints */
	int parallel;                /* every MPI rank runs it under mpirun (exec.h) */
};

int cmd_run(const cli_command *cmd, int argc, char **argv, const char *command_line);
int cmd_validate(const cli_command *cmd, int argc, char **argv, const char *command_line);
int cmd_describe(const cli_command *cmd, int argc, char **argv, const char *command_line);
int cmd_compare(const cli_command *cmd, int argc, char **argv, const char *command_line);
int cmd_sweep(const cli_command *cmd, int argc, char **argv, const char *command_line);  /* and sensitivity */
int cmd_merge(const cli_command *cmd, int argc, char **argv, const char *command_line);
int cmd_check(const cli_command *cmd, int argc, char **argv, const char *command_line);
int cmd_calibrate(const cli_command *cmd, int argc, char **argv, const char *command_line);

extern const char cmd_run_help[], cmd_validate_help[], cmd_describe_help[], cmd_compare_help[];
extern const char cmd_sweep_help[], cmd_sensitivity_help[], cmd_merge_help[], cmd_check_help[];
extern const char cmd_calibrate_help[];

#endif
