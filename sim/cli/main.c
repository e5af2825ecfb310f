/* tradesim: the command-line front end, a thin layer on libtradesim. This
 * file holds the table of commands and chooses one; each command parses its
 * own options (opt.h) in cmd_<name>.c, calls the library and maps its status
 * to the exit status (report.h): 0 ok, 1 run failure, 2 bad usage or input,
 * 130 interrupted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <tradesim/version.h>
#include "cli/cli.h"

static int cmd_version(const cli_command *cmd, int argc, char **argv, const char *command_line);
static int cmd_help(const cli_command *cmd, int argc, char **argv, const char *command_line);

static const char version_help[] =
	"usage: tradesim version   (or tradesim --version, -V)\n"
	"\n"
	"Print the version of tradesim.\n"
	"\n"
	"exit status: 0 printed; 1 standard output could not be written; 2 bad usage\n";

static const char help_help[] =
	"usage: tradesim help [COMMAND]   (or tradesim --help, tradesim COMMAND --help)\n"
	"\n"
	"Print the list of commands, or the help of COMMAND.\n"
	"\n"
	"exit status: 0 printed; 2 unknown command or bad usage\n";

/* One entry per command, in the order `tradesim --help` lists them. */
static const cli_command commands[] = {
	{"run", "run FILE", "run a scenario and write CSV time series", cmd_run, cmd_run_help, 0},
	{"validate", "validate FILE", "check a scenario without running it", cmd_validate, cmd_validate_help, 0},
	{"describe", "describe FILE", "print a readable summary of the world and its timeline", cmd_describe,
	 cmd_describe_help, 0},
	{"compare", "compare A B", "replications of two scenarios with common random numbers", cmd_compare,
	 cmd_compare_help, 0},
	{"check", "check SCENARIO FACTS", "score a scenario against a facts file (docs/calibration.md)", cmd_check, cmd_check_help, 0},
	{"calibrate", "calibrate FILE", "fit a scenario's free parameters to its facts (docs/calibration.md)", cmd_calibrate,
	 cmd_calibrate_help, 1},
	{"sweep", "sweep FILE", "run a parameter sweep (docs/sweep.md) into sweep.csv", cmd_sweep, cmd_sweep_help, 1},
	{"sensitivity", "sensitivity FILE", "Sobol indices of a sweep's metrics (Saltelli design)", cmd_sweep,
	 cmd_sensitivity_help, 1},
	{"merge", "merge DIR...", "join the directories of a sharded sweep", cmd_merge, cmd_merge_help, 1},
	{"version", "version", "print the version", cmd_version, version_help, 0},
	{"help", "help [COMMAND]", "show this help, or a command's", cmd_help, help_help, 0},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_usage(FILE *f)
{
	fputs("usage: tradesim <command> [options]\n\nAgent-based trade-retaliation simulator.\n\ncommands:\n", f);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-18s %s\n", commands[i].synopsis, commands[i].summary);
	fputs("\n"
	      "options:\n"
	      "  -h, --help         show this help (or `tradesim <command> --help`)\n"
	      "  -V, --version      print the version\n"
	      "\n"
	      "exit status: 0 ok; 1 run failure (write error, broken invariant); 2 bad usage or\n"
	      "input (or an output directory in use by another tradesim process);\n"
	      "130 interrupted (Ctrl-C; SIGTERM for run and compare)\n", f);
}

/* A command that takes no options and no operands but -h. */
static int no_arguments(const cli_command *cmd, int argc, char **argv, int *help)
{
	static const cli_option options[] = {{1, 'h', "help", NULL}, {0, 0, NULL, NULL}};
	cli_opt_parser p;
	cli_opt_init(&p, cmd->name, options, argc, argv);
	*help = 0;
	for (int id; (id = cli_opt_next(&p)) != CLI_OPT_END;) {
		if (id == CLI_OPT_BAD)
			return EXIT_USAGE;
		if (id == CLI_OPT_OPERAND)
			return cli_usage_error(cmd->name, "unexpected argument '%s'", p.value);
		*help = 1;
	}
	return EXIT_OK;
}

static int cmd_version(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	int help = 0, code = no_arguments(cmd, argc, argv, &help);
	if (code != EXIT_OK || help)
		return code == EXIT_OK ? cli_print_help(cmd->help) : code;
	printf("tradesim %s\n", TS_VERSION_STRING);
	return cli_flush_stdout(EXIT_OK);
}

static int cmd_help(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	if (argc > 0 && argv[0][0] != '-') {  /* help COMMAND */
		const cli_command *c = find_command(argv[0]);
		if (!c)
			return cli_usage_error(NULL, "unknown command '%s'", argv[0]);
		return argc > 1 ? cli_usage_error(cmd->name, "unexpected argument '%s'", argv[1]) : cli_print_help(c->help);
	}
	int help = 0, code = no_arguments(cmd, argc, argv, &help);
	if (code != EXIT_OK)
		return code;
	if (help)
		return cli_print_help(cmd->help);
	print_usage(stdout);
	return cli_flush_stdout(EXIT_OK);
}

/* The line as typed, for run.json and sweep.json (malloc'd; NULL when out of memory). */
static char *join_command_line(int argc, char **argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *line = malloc(n);
	if (!line)
		return NULL;
	line[0] = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return line;
}

/* "--help", "-h", "--version", "-V" before any command. */
static const cli_command *option_command(const char *arg)
{
	if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
		return find_command("help");
	if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0)
		return find_command("version");
	return NULL;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();  /* the library checks GSL's return codes */
	if (argc < 2) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	const cli_command *cmd = option_command(argv[1]);
	if (!cmd && !(cmd = find_command(argv[1])))
		return cli_usage_error(NULL, argv[1][0] == '-' ? "unknown option '%s'" : "unknown command '%s'", argv[1]);
	char *command_line = join_command_line(argc, argv);
	if (!command_line) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	int code;
	if (cmd->parallel) {
		cli_parallel_init(&argc, &argv);  /* under mpirun, every rank parses and runs */
		code = cli_parallel_finish(cmd->handler(cmd, argc - 2, argv + 2, command_line));
	} else {
		code = cmd->handler(cmd, argc - 2, argv + 2, command_line);
	}
	free(command_line);
	return code;
}
