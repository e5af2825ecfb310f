/* Options and scenario loading shared by run, compare, validate and
 * describe (scenario_opts.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/scenario_opts.h"
#include "util/assert.h"

/* --set PATH=VALUE (--set-a, --set-b for one side): split in place (argv
 * is ours). */
static int add_override(scenario_args *a, const char *command, char *value, int side)
{
	static const char *const names[] = {"--set", "--set-a", "--set-b"};
	char *eq = strchr(value, '=');
	if (!eq || eq == value)
		return cli_usage_error(command, "%s expects PATH=VALUE, got '%s'", names[side], value);
	*eq = '\0';
	a->overrides[a->n_overrides].path = value;
	a->overrides[a->n_overrides].value = eq + 1;
	a->side[a->n_overrides++] = (unsigned char)side;
	return EXIT_OK;
}

/* --disable-a ID, --disable-b ID: measures.ID.enabled=false on one side. */
static int add_disable(scenario_args *a, const char *command, const char *id, int side)
{
	if (strchr(id, '.') || strchr(id, '='))
		return cli_usage_error(command, "--disable-%c expects a measure id, got '%s'", side == 1 ? 'a' : 'b', id);
	size_t n = strlen(id) + sizeof "measures..enabled";
	char *path = malloc(n);
	if (!path) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	snprintf(path, n, "measures.%s.enabled", id);
	a->owned[a->n_owned++] = path;
	a->overrides[a->n_overrides].path = path;
	a->overrides[a->n_overrides].value = "false";
	a->side[a->n_overrides++] = (unsigned char)side;
	return EXIT_OK;
}

/* One option of the table; `value` is its argument (NULL for flags). */
static int take_option(scenario_args *a, const char *command, int id, char *value)
{
	switch (id) {
	case OPT_HELP:
		a->help = 1;
		return EXIT_OK;
	case OPT_SET:
		return add_override(a, command, value, 0);
	case OPT_SET_A:
	case OPT_SET_B:
		return add_override(a, command, value, id == OPT_SET_A ? 1 : 2);
	case OPT_DISABLE_A:
	case OPT_DISABLE_B:
		return add_disable(a, command, value, id == OPT_DISABLE_A ? 1 : 2);
	case OPT_OUTPUT:
		a->output_dir = value;
		return EXIT_OK;
	case OPT_SEED:
		if (cli_parse_seed(value, &a->seed) != 0)
			return cli_usage_error(command, "--seed must be an integer in [1, 4294967295], got '%s'", value);
		return EXIT_OK;
	case OPT_REPS:
		if (cli_parse_count(value, 1, 1000000, &a->reps) != 0)
			return cli_usage_error(command, "--reps must be an integer in [1, 1000000], got '%s'", value);
		return EXIT_OK;
	case OPT_JOBS:
		if (cli_parse_count(value, 1, 4096, &a->jobs) != 0)
			return cli_usage_error(command, "-j must be an integer in [1, 4096], got '%s'", value);
		return EXIT_OK;
	case OPT_INDEPENDENT:
		a->independent = 1;
		return EXIT_OK;
	case OPT_PROGRESS:
		a->progress = 1;
		return EXIT_OK;
	case OPT_FORCE:
		a->force = 1;
		return EXIT_OK;
	case OPT_TOTAL:
		a->totals[a->n_totals++] = value;
		return EXIT_OK;
	}
	TS_ASSERT(!"an option id without a case");
	return EXIT_USAGE;
}

int scenario_args_parse(scenario_args *a, const char *command, const cli_option *options, int max_files,
                        int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	a->overrides = calloc((size_t)argc + 1, sizeof *a->overrides);  /* at most one per argument */
	a->side = calloc((size_t)argc + 1, 1);
	a->owned = calloc((size_t)argc + 1, sizeof *a->owned);
	a->totals = calloc((size_t)argc + 1, sizeof *a->totals);
	if (!a->overrides || !a->side || !a->owned || !a->totals) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	cli_opt_parser p;
	cli_opt_init(&p, command, options, argc, argv);
	int code = EXIT_OK;
	for (int id; code == EXIT_OK && !a->help && (id = cli_opt_next(&p)) != CLI_OPT_END;) {
		if (id == CLI_OPT_BAD)
			code = EXIT_USAGE;
		else if (id != CLI_OPT_OPERAND)
			code = take_option(a, command, id, p.value);
		else if (a->n_files < max_files)
			a->files[a->n_files++] = p.value;
		else
			code = cli_usage_error(command, "unexpected argument '%s'", p.value);
	}
	if (code != EXIT_OK || a->help || a->n_files == max_files)
		return code;
	if (max_files == 1)
		return cli_usage_error(command, "missing scenario %s", "FILE");
	return cli_usage_error(command, "missing scenario %s", a->n_files == 0 ? "A.cfg" : "B.cfg");
}

void scenario_args_free(scenario_args *a)
{
	for (size_t k = 0; k < a->n_owned; k++)
		free(a->owned[k]);
	free(a->owned);
	free(a->totals);
	free(a->side);
	free(a->overrides);
	a->overrides = NULL;
	a->side = NULL;
	a->owned = NULL;
}

int scenario_args_load_side(ts_scenario **out, const scenario_args *a, const char *file, int side)
{
	ts_error err = TS_ERROR_INIT;
	ts_override *mine = calloc(a->n_overrides + 1, sizeof *mine);
	if (!mine) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	size_t n = 0;
	for (size_t k = 0; k < a->n_overrides; k++)  /* both sides' first, in the order given */
		if (a->side[k] == 0 || a->side[k] == side)
			mine[n++] = a->overrides[k];
	int rc = ts_scenario_load(out, file, mine, n, &err);
	free(mine);
	return rc == TS_OK ? EXIT_OK : cli_report_input(&err);
}

int scenario_args_load(ts_scenario **out, const scenario_args *a, const char *file)
{
	return scenario_args_load_side(out, a, file, 0);
}

int scenario_command(const cli_command *cmd, int argc, char **argv,
                     int (*act)(const cli_command *cmd, const scenario_args *a, const ts_scenario *s))
{
	static const cli_option options[] = {SCENARIO_OPTIONS, {0, 0, NULL, NULL}};
	scenario_args a;
	ts_scenario *s = NULL;
	int code = scenario_args_parse(&a, cmd->name, options, 1, argc, argv);
	if (code == EXIT_OK && a.help)
		code = cli_print_help(cmd->help);
	else if (code == EXIT_OK && (code = scenario_args_load(&s, &a, a.files[0])) == EXIT_OK)
		code = act(cmd, &a, s);
	ts_scenario_free(s);
	scenario_args_free(&a);
	return code;
}

char *default_output_dir(const char *file)
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
