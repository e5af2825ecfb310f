/* tradesim: the command-line front end. A thin layer on libtradesim: parse
 * arguments, call the library, print its diagnostics, map status to exit
 * codes (0 ok, 1 run failure, 2 bad usage or input). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <tradesim/tradesim.h>

enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_USAGE = 2 };

static const char *const usage_main =
	"usage: tradesim <command> [options]\n"
	"\n"
	"Agent-based trade-retaliation simulator.\n"
	"\n"
	"commands:\n"
	"  run FILE        run a scenario and write CSV time series\n"
	"  validate FILE   check a scenario without running it\n"
	"  describe FILE   print a readable summary of the world and its timeline\n"
	"\n"
	"options:\n"
	"  -h, --help      show this help (or `tradesim <command> --help`)\n"
	"  -V, --version   print the version\n"
	"\n"
	"exit status: 0 ok, 1 run failure (write error, broken invariant), 2 bad usage or input\n";

static const char *const usage_run =
	"usage: tradesim run FILE [-o DIR] [--seed N] [--set PATH=VALUE]...\n"
	"\n"
	"Run the scenario FILE and write into DIR: countries.csv, firms.csv, markets.csv,\n"
	"events.csv, scenario.cfg (the effective scenario) and run.json (metadata).\n"
	"Files appear only when the run completed; run.json is written last.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (default: out/<scenario name>)\n"
	"      --seed N           random seed in [1, 4294967295] (default: run.seed)\n"
	"      --set PATH=VALUE   override a setting, e.g. --set countries.CN.rd_budget=20\n"
	"                         (repeatable; VALUE in libconfig syntax, bare words are strings)\n"
	"  -h, --help             show this help\n";

static const char *const usage_validate =
	"usage: tradesim validate FILE [--set PATH=VALUE]...\n"
	"\n"
	"Check FILE (with overrides applied) and report every problem found as\n"
	"FILE:LINE: SETTING: message. Exit status 0 if valid, 2 if not.\n";

static const char *const usage_describe =
	"usage: tradesim describe FILE [--set PATH=VALUE]...\n"
	"\n"
	"Print a readable summary of the world in FILE: countries and markets,\n"
	"sectors, firms and suppliers, and the timeline of measures.\n";

typedef struct cli_args {
	const char *file;
	const char *output_dir;
	unsigned long seed;        /* 0: the scenario's */
	ts_override *overrides;
	size_t n_overrides;
	int help;
} cli_args;

static int usage_error(const char *command, const char *fmt, const char *arg)
{
	fprintf(stderr, "tradesim%s%s: ", command ? " " : "", command ? command : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tradesim %s%s--help'.\n", command ? command : "", command ? " " : "");
	return EXIT_USAGE;
}

static int parse_seed(const char *text, unsigned long *seed)
{
	char *end;
	errno = 0;
	if (text[0] == '-' || text[0] == '+' || text[0] == '\0')
		return -1;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end != '\0' || v < 1 || v > 4294967295ULL)
		return -1;
	*seed = (unsigned long)v;
	return 0;
}

/* Options of run/validate/describe; `allow_run` enables -o and --seed. */
static int parse_args(const char *command, int argc, char **argv, int allow_run, cli_args *a)
{
	memset(a, 0, sizeof *a);
	a->overrides = calloc((size_t)argc, sizeof *a->overrides);
	if (!a->overrides) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = NULL;
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = 1;
			return EXIT_OK;
		}
		if (strcmp(arg, "--set") == 0 || strncmp(arg, "--set=", 6) == 0) {
			value = arg[5] == '=' ? arg + 6 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value)
				return usage_error(command, "option '%s' needs PATH=VALUE", "--set");
			char *eq = strchr(value, '=');
			if (!eq || eq == value)
				return usage_error(command, "--set expects PATH=VALUE, got '%s'", value);
			*eq = '\0';  /* argv is ours to split */
			a->overrides[a->n_overrides].path = value;
			a->overrides[a->n_overrides].value = eq + 1;
			a->n_overrides++;
		} else if (allow_run && (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
		                         strncmp(arg, "--output=", 9) == 0)) {
			value = arg[8] == '=' ? arg + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value || !*value)
				return usage_error(command, "option '%s' needs a directory", arg);
			a->output_dir = value;
		} else if (allow_run && (strcmp(arg, "--seed") == 0 || strncmp(arg, "--seed=", 7) == 0)) {
			value = arg[6] == '=' ? arg + 7 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value)
				return usage_error(command, "option '%s' needs a number", "--seed");
			if (parse_seed(value, &a->seed) != 0)
				return usage_error(command, "--seed must be an integer in [1, 4294967295], got '%s'", value);
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return usage_error(command, "unknown option '%s'", arg);
		} else if (!a->file) {
			a->file = arg;
		} else {
			return usage_error(command, "unexpected argument '%s'", arg);
		}
	}
	if (!a->file)
		return usage_error(command, "missing scenario %s", "FILE");
	return EXIT_OK;
}

static int exit_code(int status)
{
	return status == TS_EINPUT ? EXIT_USAGE : EXIT_RUN;
}

static int report(const ts_error *err)
{
	fprintf(stderr, "%s\n", err->message);
	if (err->count > TS_ERROR_MAX_DIAGNOSTICS)
		fprintf(stderr, "(%d more problems not shown)\n", err->count - TS_ERROR_MAX_DIAGNOSTICS);
	return exit_code(err->status);
}

/* out/<basename without .cfg> */
static char *default_output_dir(const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".cfg") == 0)
		n -= 4;
	char *dir = malloc(n + 5);
	if (dir)
		snprintf(dir, n + 5, "out/%.*s", (int)n, base);
	return dir;
}

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

static int command(const char *name, int argc, char **argv, char *command_line)
{
	int is_run = strcmp(name, "run") == 0;
	cli_args a;
	int code = parse_args(name, argc, argv, is_run, &a);
	if (code != EXIT_OK || a.help) {
		if (a.help)
			fputs(is_run ? usage_run : strcmp(name, "validate") == 0 ? usage_validate : usage_describe, stdout);
		free(a.overrides);
		return code;
	}
	ts_error err = TS_ERROR_INIT;
	ts_scenario *scenario = NULL;
	int rc = ts_scenario_load(&scenario, a.file, a.overrides, a.n_overrides, &err);
	if (rc != TS_OK) {
		free(a.overrides);
		report(&err);
		return EXIT_USAGE;  /* a scenario that cannot be read or is invalid is bad input */
	}
	if (strcmp(name, "validate") == 0) {
		printf("%s: valid (%d steps)\n", a.file, ts_scenario_steps(scenario));
	} else if (strcmp(name, "describe") == 0) {
		ts_scenario_describe(scenario, stdout);
	} else {
		char *dir = a.output_dir ? NULL : default_output_dir(a.file);
		ts_run_options opt = TS_RUN_OPTIONS_INIT;
		opt.output_dir = a.output_dir ? a.output_dir : dir;
		opt.seed = (uint32_t)a.seed;
		opt.command_line = command_line;
		opt.overrides = a.overrides;
		opt.n_overrides = a.n_overrides;
		rc = opt.output_dir ? ts_run(scenario, &opt, &err)
		                    : ts_error_set(&err, TS_ENOMEM, "out of memory");
		if (rc == TS_OK)
			printf("%s: %d steps written to %s\n", a.file, ts_scenario_steps(scenario), opt.output_dir);
		free(dir);
	}
	ts_scenario_free(scenario);
	free(a.overrides);
	if (rc != TS_OK)
		return report(&err);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tradesim: error writing to standard output\n");
		return EXIT_RUN;
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();  /* the library checks GSL's return codes */
	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			char *help_args[] = {"--help"};
			if (strcmp(argv[2], "run") != 0 && strcmp(argv[2], "validate") != 0 &&
			    strcmp(argv[2], "describe") != 0)
				return usage_error(NULL, "unknown command '%s'", argv[2]);
			return command(argv[2], 1, help_args, NULL);
		}
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("tradesim %s\n", TS_VERSION_STRING);
		return EXIT_OK;
	}
	if (strcmp(cmd, "run") != 0 && strcmp(cmd, "validate") != 0 && strcmp(cmd, "describe") != 0)
		return usage_error(NULL, "unknown command '%s'", cmd);
	char *command_line = join_command_line(argc, argv);
	int code = command(cmd, argc - 2, argv + 2, command_line);
	free(command_line);
	return code;
}
