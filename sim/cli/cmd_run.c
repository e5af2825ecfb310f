/* tradesim run: one run, or replications with --reps. */
#include <stdio.h>
#include <stdlib.h>
#include <tradesim/tradesim.h>
#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/scenario_opts.h"
#include "cli/sweep_opts.h"

const char cmd_run_help[] =
	"usage: tradesim run FILE [-o DIR] [--force] [--seed N] [--set PATH=VALUE]... [--reps R [-j N]]\n"
	"\n"
	"Run the scenario FILE and write into DIR: countries.csv, firms.csv, markets.csv,\n"
	"relations.csv, events.csv, scenario.cfg (the effective scenario) and run.json\n"
	"(metadata). Files appear only when the run completed; run.json is written last.\n"
	"A run of the same scenario in DIR is replaced; DIR holding anything else of\n"
	"tradesim's (replications, a comparison, a sweep, another scenario's run) is\n"
	"refused, saying what is there, unless --force. DIR is locked while the run\n"
	"writes: a second tradesim writing there is refused.\n"
	"FILE may be a variant: a file naming a base scenario and its changes\n"
	"(docs/scenario.md, \"Variants\"); scenario.cfg is then the resolved scenario.\n"
	"With --reps R: R replications with seeds derived from the base seed, a `rep`\n"
	"column first in every table, reps.csv (rep,seed) and summary_<table>.csv\n"
	"(n, mean, sd, 5/50/95% quantiles per step, entity and column).\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (default: out/<scenario name>)\n"
	"      --force            first remove every file tradesim writes from DIR, whatever\n"
	"                         it holds (refused, naming them, if DIR holds other files)\n"
	"      --seed N           random seed in [1, 4294967295] (default: run.seed);\n"
	"                         with --reps, the base seed of the replications' seeds\n"
	"      --reps R           run R replications\n"
	"      --progress         with --reps: progress line on stderr even when it is not a terminal\n"
	"  -j, --jobs N           threads for replications (default: one per processor)\n"
	"      --set PATH=VALUE   override a setting, e.g. --set countries.CN.rd_budget=20\n"
	"                         (repeatable; VALUE in libconfig syntax, bare words are strings)\n"
	"  -h, --help             show this help\n"
	"  --                     end of options: what follows is FILE\n"
	"\n"
	"exit status:\n"
	"  0    written\n"
	"  1    the run failed: a write error (full disk), or a value that must be\n"
	"       finite was not (the message names table, entity, column, step and value)\n"
	"  2    bad usage, an unreadable or invalid scenario, an output directory that\n"
	"       cannot be created or holds another output, or DIR in use by another\n"
	"       tradesim process\n"
	"  130  interrupted (Ctrl-C, SIGTERM): stopped at a step boundary, nothing written\n";

static const cli_option run_options[] = {
	RUN_OPTIONS,
	{0, 0, NULL, NULL},
};

static int run_once(const ts_scenario *s, const scenario_args *a, const char *dir, const char *command_line,
                    volatile sig_atomic_t *cancel, ts_error *err)
{
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	o.seed = (uint32_t)a->seed;
	o.command_line = command_line;
	o.overrides = a->overrides;
	o.n_overrides = a->n_overrides;
	o.cancel = cancel;
	o.force = a->force;
	int rc = ts_run(s, &o, err);
	if (rc == TS_OK)
		printf("%s: %d steps written to %s\n", a->files[0], ts_scenario_steps(s), dir);
	return rc;
}

static int run_reps(const ts_scenario *s, const scenario_args *a, const char *dir, const char *command_line,
                    volatile sig_atomic_t *cancel, ts_error *err)
{
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = (int)a->reps;
	o.jobs = (int)a->jobs;
	o.base_seed = (uint32_t)a->seed;
	o.command_line = command_line;
	o.overrides = a->overrides;
	o.n_overrides = a->n_overrides;
	o.cancel = cancel;
	o.force = a->force;
	progress_state ps;
	progress_init(&ps, progress_wanted(a->progress));
	o.progress = progress_update;
	o.progress_ctx = &ps;
	int rc = ts_ensemble_run(s, &o, err);
	progress_end(&ps);
	if (rc == TS_OK)
		printf("%s: %ld replications of %d steps written to %s\n", a->files[0], a->reps, ts_scenario_steps(s), dir);
	return rc;
}

static int run_file(const cli_command *cmd, const scenario_args *a, const char *command_line)
{
	ts_scenario *s = NULL;
	int code = scenario_args_load(&s, a, a->files[0]);
	if (code != EXIT_OK)
		return code;
	ts_error err = TS_ERROR_INIT;
	char *dir = a->output_dir ? NULL : default_output_dir(a->files[0]);
	const char *out = a->output_dir ? a->output_dir : dir;
	volatile sig_atomic_t *cancel = cli_interrupt_catch(1);
	int rc = !out ? ts_error_set(&err, TS_ENOMEM, "out of memory")
	         : a->reps ? run_reps(s, a, out, command_line, cancel, &err)
	         : run_once(s, a, out, command_line, cancel, &err);
	cli_interrupt_release();
	free(dir);
	ts_scenario_free(s);
	return rc == TS_OK ? cli_flush_stdout(EXIT_OK) : cli_report(cmd->name, &err);
}

int cmd_run(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	scenario_args a;
	int code = scenario_args_parse(&a, cmd->name, run_options, 1, argc, argv);
	if (code == EXIT_OK && a.help)
		code = cli_print_help(cmd->help);
	else if (code == EXIT_OK && (a.jobs || a.progress) && !a.reps)
		code = cli_usage_error(cmd->name, "%s needs --reps", a.jobs ? "-j" : "--progress");
	else if (code == EXIT_OK)
		code = run_file(cmd, &a, command_line);
	scenario_args_free(&a);
	return code;
}
