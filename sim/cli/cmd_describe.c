/* tradesim describe: a scenario's world, rules, timeline and deals, readable. */
#include <stdio.h>
#include <tradesim/tradesim.h>
#include "cli/cli.h"
#include "cli/scenario_opts.h"

const char cmd_describe_help[] =
	"usage: tradesim describe FILE [--set PATH=VALUE]...\n"
	"\n"
	"Print a readable summary of the world in FILE: countries and markets,\n"
	"sectors, firms and suppliers, and the timeline of measures.\n"
	"\n"
	"options:\n"
	"      --set PATH=VALUE   override a setting (repeatable)\n"
	"  -h, --help             show this help\n"
	"\n"
	"exit status: 0 described; 1 standard output could not be written; 2 bad usage,\n"
	"or FILE unreadable or invalid\n";

static int describe(const cli_command *cmd, const scenario_args *a, const ts_scenario *s)
{
	(void)a;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_describe(s, stdout, &err) != TS_OK)
		return cli_report(cmd->name, &err);
	return cli_flush_stdout(EXIT_OK);
}

int cmd_describe(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	return scenario_command(cmd, argc, argv, describe);
}
