/* tradesim compare: replications of two scenarios with common random numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tradesim/tradesim.h>
#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/scenario_opts.h"
#include "cli/sweep_opts.h"

const char cmd_compare_help[] =
	"usage: tradesim compare A.cfg B.cfg [--reps R] [-o DIR] [--force] [-j N] [--seed N] [--set PATH=VALUE]...\n"
	"                        [--set-a PATH=VALUE]... [--set-b PATH=VALUE]... [--disable-a ID]... [--disable-b ID]...\n"
	"                        [--total METRIC]...\n"
	"\n"
	"Run A and B R times each (default 30), replication r of both with the same\n"
	"seed (common random numbers), and write into DIR compare_countries.csv,\n"
	"compare_firms.csv, compare_markets.csv, compare_relations.csv (B - A per\n"
	"replication: mean, sd and 95% confidence interval of the mean difference),\n"
	"compare_totals.csv (the same for each --total), events_a.csv and events_b.csv\n"
	"(each side's measures starting and ending, every replication), reps.csv and\n"
	"run.json. DIR is locked while written. A comparison of A and B in DIR is\n"
	"replaced; anything else of tradesim's there (a run, replications, a sweep, a\n"
	"comparison of other scenarios) is refused unless --force.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (default: out/<B's name>)\n"
	"      --force            first remove every file tradesim writes from DIR (refused,\n"
	"                         naming them, if DIR holds other files)\n"
	"      --reps R           replications (default 30)\n"
	"  -j, --jobs N           threads (default: one per processor)\n"
	"      --seed N           base seed of the replications' seeds (default: A's run.seed)\n"
	"      --independent      give B seeds of its own (no common random numbers)\n"
	"      --progress         progress line on stderr even when it is not a terminal\n"
	"      --set PATH=VALUE   override a setting in both scenarios (repeatable)\n"
	"      --set-a PATH=VALUE, --set-b PATH=VALUE\n"
	"                         override a setting in A or in B alone (repeatable)\n"
	"      --disable-a ID, --disable-b ID\n"
	"                         disable measure ID in A or in B alone (repeatable): a\n"
	"                         counterfactual is one scenario compared with itself,\n"
	"                         e.g. compare S.cfg S.cfg --disable-b ID\n"
	"      --total METRIC     a metric of each replication of A and of B, B - A in\n"
	"                         compare_totals.csv (repeatable): [annualise:]STAT:WHAT\n"
	"                         [:FROM[:TO]] as sweep's --metric (docs/sweep.md), e.g.\n"
	"                         sum:firms.Qualcomm.revenue_bn_usd:2019Q2:2021Q4\n"
	"  -h, --help             show this help\n"
	"\n"
	"exit status:\n"
	"  0    written\n"
	"  1    a run failed (write error, a value that must be finite was not)\n"
	"  2    bad usage, an unreadable or invalid scenario, scenarios with different\n"
	"       entities or calendars, a --total that is not a metric, DIR holding\n"
	"       another output, or DIR in use by another tradesim process\n"
	"  130  interrupted (Ctrl-C, SIGTERM): stopped at a step boundary, nothing written\n";

static const cli_option compare_options[] = {
	RUN_OPTIONS,
	{OPT_INDEPENDENT, 0, "independent", NULL},
	{OPT_SET_A, 0, "set-a", "PATH=VALUE"},
	{OPT_SET_B, 0, "set-b", "PATH=VALUE"},
	{OPT_DISABLE_A, 0, "disable-a", "a measure id"},
	{OPT_DISABLE_B, 0, "disable-b", "a measure id"},
	{OPT_TOTAL, 0, "total", "[annualise:]STAT:WHAT[:FROM[:TO]]"},
	{0, 0, NULL, NULL},
};

static int compare_into(const ts_scenario *a, const ts_scenario *b, const scenario_args *args, const char *dir,
                        const char *command_line, ts_error *err)
{
	ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = args->reps ? (int)args->reps : 30;
	o.jobs = (int)args->jobs;
	o.base_seed = (uint32_t)args->seed;
	o.independent = args->independent;
	o.force = args->force;
	o.command_line = command_line;
	o.totals = args->totals;
	o.n_totals = args->n_totals;
	o.cancel = cli_interrupt_catch(1);
	progress_state ps;
	progress_init(&ps, progress_wanted(args->progress));
	o.progress = progress_update;
	o.progress_ctx = &ps;
	int rc = ts_compare_run(a, b, &o, err);
	progress_end(&ps);
	cli_interrupt_release();
	if (rc == TS_OK)
		printf("%s vs %s: %d replications compared in %s\n", args->files[0], args->files[1], o.reps, dir);
	return rc;
}

static int compare_files(const cli_command *cmd, const scenario_args *args, const char *command_line)
{
	ts_scenario *a = NULL, *b = NULL;
	int code = scenario_args_load_side(&a, args, args->files[0], 1);
	if (code == EXIT_OK)
		code = scenario_args_load_side(&b, args, args->files[1], 2);
	if (code == EXIT_OK) {
		ts_error err = TS_ERROR_INIT;
		char *dir = args->output_dir ? NULL : default_output_dir(args->files[1]);
		const char *out = args->output_dir ? args->output_dir : dir;
		int rc = out ? compare_into(a, b, args, out, command_line, &err)
		             : ts_error_set(&err, TS_ENOMEM, "out of memory");
		if (rc == TS_EINPUT && strncmp(err.message, "total '", 7) == 0)
			fprintf(stderr, "tradesim %s: --", cmd->name);  /* the library's "total 'TEXT': ..." is --total's */
		code = rc == TS_OK ? cli_flush_stdout(EXIT_OK) : cli_report(cmd->name, &err);
		free(dir);
	}
	ts_scenario_free(a);
	ts_scenario_free(b);
	return code;
}

int cmd_compare(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	scenario_args a;
	int code = scenario_args_parse(&a, cmd->name, compare_options, 2, argc, argv);
	if (code == EXIT_OK && a.help)
		code = cli_print_help(cmd->help);
	else if (code == EXIT_OK)
		code = compare_files(cmd, &a, command_line);
	scenario_args_free(&a);
	return code;
}
