#ifndef TS_CLI_SCENARIO_OPTS_H
#define TS_CLI_SCENARIO_OPTS_H
/* What the commands that read scenarios (run, compare, validate, describe)
 * share: their options, loading the scenario files they name with the
 * overrides given, and the default output directory. */
#include <tradesim/scenario.h>
#include "cli/opt.h"

/* Option ids, for the commands' tables of cli_option. */
enum { OPT_HELP = 1, OPT_SET, OPT_OUTPUT, OPT_SEED, OPT_REPS, OPT_JOBS, OPT_INDEPENDENT, OPT_SET_A, OPT_SET_B,
       OPT_DISABLE_A, OPT_DISABLE_B, OPT_PROGRESS, OPT_FORCE, OPT_TOTAL };

/* The options of every command that reads scenarios, and those of the
 * commands that run them too (run, compare), for their tables. */
#define SCENARIO_OPTIONS {OPT_HELP, 'h', "help", NULL}, {OPT_SET, 0, "set", "PATH=VALUE"}
#define RUN_OPTIONS \
	SCENARIO_OPTIONS, {OPT_OUTPUT, 'o', "output", "a directory"}, {OPT_SEED, 0, "seed", "a number"}, \
	{OPT_REPS, 0, "reps", "a number"}, {OPT_JOBS, 'j', "jobs", "a number"}, {OPT_PROGRESS, 0, "progress", NULL}, \
	{OPT_FORCE, 0, "force", NULL}

typedef struct scenario_args {
	const char *files[2];        /* FILE (compare: A.cfg, B.cfg) */
	int n_files;
	const char *output_dir;      /* NULL: default_output_dir() */
	unsigned long seed;          /* 0: the scenario's */
	long reps;                   /* 0: not given */
	long jobs;                   /* 0: one thread per processor */
	int independent;             /* compare: no common random numbers */
	int progress;                /* --progress: the progress line even when stderr is no terminal */
	int force;                   /* --force: clear the output directory of tradesim's files first */
	int help;
	ts_override *overrides;      /* owned array; the texts point into argv or into owned */
	unsigned char *side;         /* per override: 0 both scenarios, 1 A only, 2 B only (compare) */
	size_t n_overrides;
	char **owned;                /* texts made here ("measures.ID.enabled"), freed with the args */
	size_t n_owned;
	const char **totals;         /* compare --total: metrics' text forms (point into argv) */
	size_t n_totals;
} scenario_args;

/* Reads argv with the command's options (a subset of the ids above) and
 * up to max_files scenario files ("missing scenario FILE" unless -h, or
 * A.cfg/B.cfg when max_files is 2). Returns EXIT_OK or the exit status of
 * a usage error (printed). Free with scenario_args_free() in every case. */
int scenario_args_parse(scenario_args *a, const char *command, const cli_option *options, int max_files,
                        int argc, char **argv);
void scenario_args_free(scenario_args *a);

/* Loads `file` with a's overrides. On failure, prints the diagnostics and
 * returns the exit status (2: unreadable or invalid); EXIT_OK otherwise. */
int scenario_args_load(ts_scenario **out, const scenario_args *a, const char *file);
/* The same with the overrides for both sides and those for side 1 (A) or
 * 2 (B) alone (compare's --set-a, --disable-b, ...). */
int scenario_args_load_side(ts_scenario **out, const scenario_args *a, const char *file, int side);

struct cli_command;

/* A command that reads one scenario and runs nothing (validate, describe):
 * options {help, set}; -h prints cmd's help; else `act` gets the loaded
 * scenario and returns the exit status. */
int scenario_command(const struct cli_command *cmd, int argc, char **argv,
                     int (*act)(const struct cli_command *cmd, const scenario_args *a, const ts_scenario *s));

/* "out/<file's base name without .cfg>", malloc'd for the caller; NULL when
 * out of memory. */
char *default_output_dir(const char *file);

#endif
