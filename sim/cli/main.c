/* tradesim: the command-line front end. A thin layer on libtradesim: parse
 * arguments, call the library, print its diagnostics, map status to exit
 * codes (0 ok, 1 run failure, 2 bad usage or input). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <tradesim/tradesim.h>
#include <tradesim/ensemble.h>
#include "cli.h"


static const char *const usage_main =
	"usage: tradesim <command> [options]\n"
	"\n"
	"Agent-based trade-retaliation simulator.\n"
	"\n"
	"commands:\n"
	"  run FILE        run a scenario and write CSV time series\n"
	"  validate FILE   check a scenario without running it\n"
	"  describe FILE   print a readable summary of the world and its timeline\n"
	"  compare A B     replications of two scenarios with common random numbers\n"
	"  sweep FILE      run a parameter sweep (docs/sweep.md) into sweep.csv\n"
	"  sensitivity FILE  Sobol indices of a sweep's metrics (Saltelli design)\n"
	"  merge DIR...    join the directories of a sharded sweep\n"
	"\n"
	"options:\n"
	"  -h, --help      show this help (or `tradesim <command> --help`)\n"
	"  -V, --version   print the version\n"
	"\n"
	"exit status: 0 ok, 1 run failure (write error, broken invariant), 2 bad usage or input\n";

static const char *const usage_run =
	"usage: tradesim run FILE [-o DIR] [--seed N] [--set PATH=VALUE]... [--reps R [-j N]]\n"
	"\n"
	"Run the scenario FILE and write into DIR: countries.csv, firms.csv, markets.csv,\n"
	"events.csv, scenario.cfg (the effective scenario) and run.json (metadata).\n"
	"Files appear only when the run completed; run.json is written last.\n"
	"With --reps R: R replications with seeds derived from the base seed, a `rep`\n"
	"column first in every table, reps.csv (rep,seed) and summary_<table>.csv\n"
	"(n, mean, sd, 5/50/95% quantiles per step, entity and column).\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (default: out/<scenario name>)\n"
	"      --seed N           random seed in [1, 4294967295] (default: run.seed);\n"
	"                         with --reps, the base seed of the replications' seeds\n"
	"      --reps R           run R replications\n"
	"  -j, --jobs N           threads for replications (default: one per processor)\n"
	"      --set PATH=VALUE   override a setting, e.g. --set countries.CN.rd_budget=20\n"
	"                         (repeatable; VALUE in libconfig syntax, bare words are strings)\n"
	"  -h, --help             show this help\n";

static const char *const usage_compare =
	"usage: tradesim compare A.cfg B.cfg [--reps R] [-o DIR] [-j N] [--seed N] [--set PATH=VALUE]...\n"
	"\n"
	"Run A and B R times each (default 30), replication r of both with the same\n"
	"seed (common random numbers), and write into DIR compare_countries.csv,\n"
	"compare_firms.csv, compare_markets.csv (B - A per replication: mean, sd and\n"
	"95% confidence interval of the mean difference), reps.csv and run.json.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (default: out/<B's name>)\n"
	"      --reps R           replications (default 30)\n"
	"  -j, --jobs N           threads (default: one per processor)\n"
	"      --seed N           base seed of the replications' seeds (default: A's run.seed)\n"
	"      --independent      give B seeds of its own (no common random numbers)\n"
	"      --set PATH=VALUE   override a setting in both scenarios (repeatable)\n"
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
	const char *file_b;        /* compare: scenario B */
	long reps;                 /* 0: a single run */
	long jobs;                 /* 0: one thread per processor */
	int independent;           /* compare: no common random numbers */
	const char *output_dir;
	unsigned long seed;        /* 0: the scenario's */
	ts_override *overrides;
	size_t n_overrides;
	int help;
} cli_args;

int cli_usage_error(const char *command, const char *fmt, const char *arg)
{
	fprintf(stderr, "tradesim%s%s: ", command ? " " : "", command ? command : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tradesim %s%s--help'.\n", command ? command : "", command ? " " : "");
	return EXIT_USAGE;
}

int cli_parse_seed(const char *text, unsigned long *seed)
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

int cli_parse_count(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)text[0]))
		return -1;
	long v = strtol(text, &end, 10);
	if (errno || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Value of option `name` (long form) or `short_name` at argv[*i]: "--name V",
 * "--name=V" or "-s V". NULL and *matched = 0 if argv[*i] is another option. */
static const char *option_value(int argc, char **argv, int *i, const char *name, const char *short_name,
                                int *matched)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	*matched = 1;
	if (strcmp(arg, name) == 0 || (short_name && strcmp(arg, short_name) == 0))
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	if (short_name && strncmp(arg, short_name, 2) == 0 && arg[2] != '\0' && short_name[2] == '\0')
		return arg + 2;  /* -j4 */
	*matched = 0;
	return NULL;
}

/* Options of run/validate/describe/compare; `allow_run` enables -o and --seed. */
static int parse_args(const char *command, int argc, char **argv, int allow_run, cli_args *a)
{
	int is_compare = strcmp(command, "compare") == 0;
	int is_run = strcmp(command, "run") == 0;
	memset(a, 0, sizeof *a);
	a->overrides = calloc((size_t)argc, sizeof *a->overrides);
	if (!a->overrides) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = NULL;
		int matched = 0;
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = 1;
			return EXIT_OK;
		}
		if (strcmp(arg, "--set") == 0 || strncmp(arg, "--set=", 6) == 0) {
			value = arg[5] == '=' ? arg + 6 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value)
				return cli_usage_error(command, "option '%s' needs PATH=VALUE", "--set");
			char *eq = strchr(value, '=');
			if (!eq || eq == value)
				return cli_usage_error(command, "--set expects PATH=VALUE, got '%s'", value);
			*eq = '\0';  /* argv is ours to split */
			a->overrides[a->n_overrides].path = value;
			a->overrides[a->n_overrides].value = eq + 1;
			a->n_overrides++;
		} else if (allow_run && (strcmp(arg, "-o") == 0 || strcmp(arg, "--output") == 0 ||
		                         strncmp(arg, "--output=", 9) == 0)) {
			value = arg[8] == '=' ? arg + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value || !*value)
				return cli_usage_error(command, "option '%s' needs a directory", arg);
			a->output_dir = value;
		} else if (allow_run && (strcmp(arg, "--seed") == 0 || strncmp(arg, "--seed=", 7) == 0)) {
			value = arg[6] == '=' ? arg + 7 : (i + 1 < argc ? argv[++i] : NULL);
			if (!value)
				return cli_usage_error(command, "option '%s' needs a number", "--seed");
			if (cli_parse_seed(value, &a->seed) != 0)
				return cli_usage_error(command, "--seed must be an integer in [1, 4294967295], got '%s'", value);
		} else if ((is_run || is_compare) && (value = option_value(argc, argv, &i, "--reps", NULL, &matched), matched)) {
			if (!value || cli_parse_count(value, 1, 1000000, &a->reps) != 0)
				return cli_usage_error(command, "--reps must be an integer in [1, 1000000], got '%s'", value ? value : "");
		} else if ((is_run || is_compare) && (value = option_value(argc, argv, &i, "--jobs", "-j", &matched), matched)) {
			if (!value || cli_parse_count(value, 1, 4096, &a->jobs) != 0)
				return cli_usage_error(command, "-j must be an integer in [1, 4096], got '%s'", value ? value : "");
		} else if (is_compare && strcmp(arg, "--independent") == 0) {
			a->independent = 1;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error(command, "unknown option '%s'", arg);
		} else if (!a->file) {
			a->file = arg;
		} else if (is_compare && !a->file_b) {
			a->file_b = arg;
		} else {
			return cli_usage_error(command, "unexpected argument '%s'", arg);
		}
	}
	if (!a->file)
		return cli_usage_error(command, "missing scenario %s", is_compare ? "A.cfg" : "FILE");
	if (is_compare && !a->file_b)
		return cli_usage_error(command, "missing scenario %s", "B.cfg");
	if (is_compare && a->reps == 0)
		a->reps = 30;
	if (a->jobs && !a->reps && is_run)
		return cli_usage_error(command, "%s needs --reps", "-j");
	return EXIT_OK;
}

static int exit_code(int status)
{
	return status == TS_EINPUT || status == TS_EBUSY ? EXIT_USAGE : EXIT_RUN;
}

int cli_report(const ts_error *err)
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
	int is_run = strcmp(name, "run") == 0, is_compare = strcmp(name, "compare") == 0;
	cli_args a;
	int code = parse_args(name, argc, argv, is_run || is_compare, &a);
	if (code != EXIT_OK || a.help) {
		if (a.help)
			fputs(is_run ? usage_run : is_compare ? usage_compare
			      : strcmp(name, "validate") == 0 ? usage_validate : usage_describe, stdout);
		free(a.overrides);
		return code;
	}
	ts_error err = TS_ERROR_INIT;
	ts_scenario *scenario = NULL, *scenario_b = NULL;
	int rc = ts_scenario_load(&scenario, a.file, a.overrides, a.n_overrides, &err);
	if (rc == TS_OK && is_compare)
		rc = ts_scenario_load(&scenario_b, a.file_b, a.overrides, a.n_overrides, &err);
	if (rc != TS_OK) {
		ts_scenario_free(scenario);
		free(a.overrides);
		cli_report(&err);
		return EXIT_USAGE;  /* a scenario that cannot be read or is invalid is bad input */
	}
	if (is_compare) {
		ts_compare_options opt = TS_COMPARE_OPTIONS_INIT;
		char *dir = a.output_dir ? NULL : default_output_dir(a.file_b);
		opt.output_dir = a.output_dir ? a.output_dir : dir;
		opt.reps = (int)a.reps;
		opt.jobs = (int)a.jobs;
		opt.base_seed = (uint32_t)a.seed;
		opt.independent = a.independent;
		opt.command_line = command_line;
		rc = opt.output_dir ? ts_compare_run(scenario, scenario_b, &opt, &err)
		                    : ts_error_set(&err, TS_ENOMEM, "out of memory");
		if (rc == TS_OK)
			printf("%s vs %s: %d replications compared in %s\n", a.file, a.file_b, opt.reps, opt.output_dir);
		free(dir);
	} else if (strcmp(name, "validate") == 0) {
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
		if (a.reps > 0) {
			ts_ensemble_options eo = TS_ENSEMBLE_OPTIONS_INIT;
			eo.output_dir = opt.output_dir;
			eo.reps = (int)a.reps;
			eo.jobs = (int)a.jobs;
			eo.base_seed = opt.seed;
			eo.command_line = command_line;
			eo.overrides = a.overrides;
			eo.n_overrides = a.n_overrides;
			rc = eo.output_dir ? ts_ensemble_run(scenario, &eo, &err)
			                   : ts_error_set(&err, TS_ENOMEM, "out of memory");
		} else {
			rc = opt.output_dir ? ts_run(scenario, &opt, &err)
			                    : ts_error_set(&err, TS_ENOMEM, "out of memory");
		}
		if (rc == TS_OK && a.reps > 0)
			printf("%s: %ld replications of %d steps written to %s\n", a.file, a.reps,
			       ts_scenario_steps(scenario), opt.output_dir);
		else if (rc == TS_OK)
			printf("%s: %d steps written to %s\n", a.file, ts_scenario_steps(scenario), opt.output_dir);
		free(dir);
	}
	ts_scenario_free(scenario);
	ts_scenario_free(scenario_b);
	free(a.overrides);
	if (rc != TS_OK)
		return cli_report(&err);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tradesim: error writing to standard output\n");
		return EXIT_RUN;
	}
	return EXIT_OK;
}

static int known_command(const char *cmd)
{
	static const char *const names[] = {"run", "validate", "describe", "compare", "sweep", "sensitivity", "merge"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(cmd, names[i]) == 0)
			return 1;
	return 0;
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
			if (!known_command(argv[2]))
				return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
			if (strcmp(argv[2], "sweep") == 0 || strcmp(argv[2], "sensitivity") == 0 || strcmp(argv[2], "merge") == 0)
				return cli_sweep(argv[2], 1, help_args, NULL);
			return command(argv[2], 1, help_args, NULL);
		}
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("tradesim %s\n", TS_VERSION_STRING);
		return EXIT_OK;
	}
	if (!known_command(cmd))
		return cli_usage_error(NULL, "unknown command '%s'", cmd);
	char *command_line = join_command_line(argc, argv);
	int code;
	if (strcmp(cmd, "sweep") == 0 || strcmp(cmd, "sensitivity") == 0 || strcmp(cmd, "merge") == 0) {
		cli_parallel_init(&argc, &argv);
		code = cli_sweep(cmd, argc - 2, argv + 2, command_line);
		code = cli_parallel_finish(code);
	} else {
		code = command(cmd, argc - 2, argv + 2, command_line);
	}
	free(command_line);
	return code;
}
