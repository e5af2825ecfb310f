/* tradesim validate: load and check a scenario, run nothing. */
#include <stdio.h>
#include <tradesim/tradesim.h>
#include "cli/cli.h"
#include "cli/scenario_opts.h"

const char cmd_validate_help[] =
	"usage: tradesim validate FILE [--set PATH=VALUE]...\n"
	"\n"
	"Check FILE (with overrides applied) and report every problem found as\n"
	"FILE:LINE: SETTING: message.\n"
	"\n"
	"options:\n"
	"      --set PATH=VALUE   override a setting (repeatable)\n"
	"  -h, --help             show this help\n"
	"\n"
	"exit status: 0 valid; 2 bad usage, or FILE unreadable or invalid\n";

static int validate(const cli_command *cmd, const scenario_args *a, const ts_scenario *s)
{
	(void)cmd;
	printf("%s: valid (%d steps)\n", a->files[0], ts_scenario_steps(s));
	return cli_flush_stdout(EXIT_OK);
}

int cmd_validate(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	return scenario_command(cmd, argc, argv, validate);
}
