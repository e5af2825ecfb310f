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

static const cli_option validate_options[] = {
	{OPT_HELP, 'h', "help", NULL},
	{OPT_SET, 0, "set", "PATH=VALUE"},
	{0, 0, NULL, NULL},
};

int cmd_validate(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	scenario_args a;
	ts_scenario *s = NULL;
	int code = scenario_args_parse(&a, cmd->name, validate_options, 1, argc, argv);
	if (code == EXIT_OK && a.help)
		code = cli_print_help(cmd->help);
	else if (code == EXIT_OK && (code = scenario_args_load(&s, &a, a.files[0])) == EXIT_OK) {
		printf("%s: valid (%d steps)\n", a.files[0], ts_scenario_steps(s));
		code = cli_flush_stdout(EXIT_OK);
	}
	ts_scenario_free(s);
	scenario_args_free(&a);
	return code;
}
