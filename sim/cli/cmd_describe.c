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

static const cli_option describe_options[] = {
	{OPT_HELP, 'h', "help", NULL},
	{OPT_SET, 0, "set", "PATH=VALUE"},
	{0, 0, NULL, NULL},
};

int cmd_describe(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	scenario_args a;
	ts_scenario *s = NULL;
	int code = scenario_args_parse(&a, cmd->name, describe_options, 1, argc, argv);
	if (code == EXIT_OK && a.help)
		code = cli_print_help(cmd->help);
	else if (code == EXIT_OK && (code = scenario_args_load(&s, &a, a.files[0])) == EXIT_OK) {
		ts_error err = TS_ERROR_INIT;
		code = ts_scenario_describe(s, stdout, &err) == TS_OK ? cli_flush_stdout(EXIT_OK) : cli_report(cmd->name, &err);
	}
	ts_scenario_free(s);
	scenario_args_free(&a);
	return code;
}
