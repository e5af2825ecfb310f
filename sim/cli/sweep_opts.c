/* Options of sweep, sensitivity and merge (sweep_opts.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opt.h"
#include "cli/report.h"
#include "cli/sweep_opts.h"
#include "util/assert.h"

enum {
	SW_HELP = 1, SW_OUTPUT, SW_JOBS, SW_POINTS, SW_REPS, SW_SEED, SW_PROGRESS, SW_FORCE,
	SW_SERIES, SW_SHARD, SW_DESIGN, SW_SCENARIO, SW_PARAM, SW_VALUES, SW_METRIC
};

#define SW_COMMON \
	{SW_HELP, 'h', "help", NULL}, {SW_OUTPUT, 'o', "output", "a directory"}, \
	{SW_JOBS, 'j', "jobs", "a number"}, {SW_POINTS, 0, "points", "a number"}, \
	{SW_REPS, 0, "reps", "a number"}, {SW_SEED, 0, "seed", "a number"}, \
	{SW_PROGRESS, 0, "progress", NULL}, {SW_FORCE, 0, "force", NULL}

static const cli_option sweep_options[] = {
	SW_COMMON,
	{SW_SERIES, 0, "series", NULL},
	{SW_SHARD, 0, "shard", "I/N"},
	{SW_DESIGN, 0, "design", "grid, lhs or sobol"},
	{SW_SCENARIO, 0, "scenario", "a scenario file"},
	{SW_PARAM, 0, "param", "PATH=LO:HI"},
	{SW_VALUES, 0, "values", "PATH=A,B,..."},
	{SW_METRIC, 0, "metric", "[diff:][annualise:]STAT:WHAT[:FROM[:TO]]"},
	{0, 0, NULL, NULL},
};

static const cli_option sensitivity_options[] = {SW_COMMON, {0, 0, NULL, NULL}};

static const cli_option merge_options[] = {
	{SW_HELP, 'h', "help", NULL},
	{SW_OUTPUT, 'o', "output", "a directory"},
	{0, 0, NULL, NULL},
};

/* -j, --points, --reps, --seed, --shard, --design. */
static int numeric_option(sweep_args *a, const char *command, int id, const char *v)
{
	char tail;
	switch (id) {
	case SW_JOBS:
		if (cli_parse_count(v, 1, 4096, &a->jobs) != 0)
			return cli_usage_error(command, "-j must be an integer in [1, 4096], got '%s'", v);
		break;
	case SW_POINTS:
		if (cli_parse_count(v, 1, 100000000, &a->points) != 0)
			return cli_usage_error(command, "--points must be an integer in [1, 100000000], got '%s'", v);
		break;
	case SW_REPS:
		if (cli_parse_count(v, 1, 1000000, &a->reps) != 0)
			return cli_usage_error(command, "--reps must be an integer in [1, 1000000], got '%s'", v);
		break;
	case SW_SEED:
		if (cli_parse_seed(v, &a->seed) != 0)
			return cli_usage_error(command, "--seed must be an integer in [1, 4294967295], got '%s'", v);
		break;
	case SW_SHARD:
		if (sscanf(v, "%d/%d%c", &a->shard, &a->shards, &tail) != 2 || a->shards < 1 || a->shards > 100000 ||
		    a->shard < 0 || a->shard >= a->shards)
			return cli_usage_error(command, "--shard expects I/N with 0 <= I < N, got '%s'", v);
		break;
	case SW_DESIGN:
		if (strcmp(v, "grid") != 0 && strcmp(v, "lhs") != 0 && strcmp(v, "sobol") != 0)
			return cli_usage_error(command, "--design must be grid, lhs or sobol, got '%s'", v);
		a->design = v;
		break;
	default:
		TS_ASSERT(!"not a numeric option");
	}
	return EXIT_OK;
}

/* --param PATH=LO:HI, --values PATH=A,B,...: kept tagged 'r' or 'v'. */
static int param_option(sweep_args *a, const char *command, int range, const char *v)
{
	const char *eq = strchr(v, '=');
	if (!eq || eq == v || !eq[1] || (range && !strchr(eq, ':')))
		return cli_usage_error(command, range ? "--param expects PATH=LO:HI, got '%s'"
		                                      : "--values expects PATH=A,B,..., got '%s'", v);
	if (strpbrk(v, "\"\\"))
		return cli_usage_error(command, "quotes and backslashes are not allowed here: '%s' (use a sweep file)", v);
	size_t n = strlen(v) + 2;
	char *tagged = malloc(n);
	if (!tagged) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	snprintf(tagged, n, "%c%s", range ? 'r' : 'v', v);
	a->params[a->n_params++] = tagged;
	return EXIT_OK;
}

static int take_option(sweep_args *a, const char *command, int id, char *v)
{
	switch (id) {
	case SW_HELP:
		a->help = 1;
		return EXIT_OK;
	case SW_OUTPUT:
		a->output_dir = v;
		return EXIT_OK;
	case SW_PROGRESS:
		a->progress = 1;
		return EXIT_OK;
	case SW_FORCE:
		a->force = 1;
		return EXIT_OK;
	case SW_SERIES:
		a->series = 1;
		return EXIT_OK;
	case SW_SCENARIO:
		a->scenario = v;
		return EXIT_OK;
	case SW_PARAM:
	case SW_VALUES:
		return param_option(a, command, id == SW_PARAM, v);
	case SW_METRIC:
		if (!v[0] || strpbrk(v, "\"\\"))
			return cli_usage_error(command, "--metric expects [diff:][annualise:]STAT:WHAT[:FROM[:TO]], got '%s'",
			                       v);
		a->metrics[a->n_metrics++] = v;
		return EXIT_OK;
	default:
		return numeric_option(a, command, id, v);
	}
}

/* What a command needs once every argument is read. */
static int check_args(const sweep_args *a, const char *command)
{
	if (strcmp(command, "merge") == 0) {
		if (a->n_dirs == 0)
			return cli_usage_error(command, "missing shard %s", "DIR");
	} else if (a->scenario) {
		if (a->file)
			return cli_usage_error(command, "give a sweep file or --scenario, not both ('%s')", a->file);
		if (a->n_params == 0 || a->n_metrics == 0)
			return cli_usage_error(command, "a quick sweep needs --param or --values, and --metric");
	} else {
		if (!a->file)
			return cli_usage_error(command, "missing sweep file %s", "SWEEP.cfg");
		if (a->n_params || a->n_metrics)
			return cli_usage_error(command, "--param, --values and --metric need --scenario instead of a sweep file (%s)",
			                       a->file);
	}
	if (!a->output_dir)
		return cli_usage_error(command, "missing output directory %s", "-o DIR");
	return EXIT_OK;
}

/* An operand: merge's shard directories, or the sweep file. */
static int take_operand(sweep_args *a, const char *command, const char *arg)
{
	if (strcmp(command, "merge") == 0)
		a->dirs[a->n_dirs++] = arg;
	else if (!a->file)
		a->file = arg;
	else
		return cli_usage_error(command, "unexpected argument '%s'", arg);
	return EXIT_OK;
}

int sweep_args_parse(sweep_args *a, const char *command, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	a->shards = 1;
	a->params = calloc((size_t)argc + 1, sizeof *a->params);  /* at most one per argument */
	a->metrics = calloc((size_t)argc + 1, sizeof *a->metrics);
	a->dirs = calloc((size_t)argc + 1, sizeof *a->dirs);
	if (!a->params || !a->metrics || !a->dirs) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	const cli_option *options = strcmp(command, "merge") == 0 ? merge_options
	                            : strcmp(command, "sensitivity") == 0 ? sensitivity_options : sweep_options;
	cli_opt_parser p;
	cli_opt_init(&p, command, options, argc, argv);
	int code = EXIT_OK;
	for (int id; code == EXIT_OK && !a->help && (id = cli_opt_next(&p)) != CLI_OPT_END;)
		code = id == CLI_OPT_BAD ? EXIT_USAGE
		       : id == CLI_OPT_OPERAND ? take_operand(a, command, p.value)
		       : take_option(a, command, id, p.value);
	return code != EXIT_OK || a->help ? code : check_args(a, command);
}

void sweep_args_free(sweep_args *a)
{
	for (int i = 0; a->params && i < a->n_params; i++)
		free(a->params[i]);
	free(a->params);
	free(a->metrics);
	free(a->dirs);
	a->params = a->metrics = NULL;
	a->dirs = NULL;
}
