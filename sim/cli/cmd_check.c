/* tradesim check: score a scenario against a facts file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/tradesim.h>
#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/progress.h"

const char cmd_check_help[] =
	"usage: tradesim check SCENARIO FACTS [--reps R] [-j N] [--seed N] [-o DIR] [--progress]\n"
	"                      [--set PATH=VALUE]...\n"
	"\n"
	"Run SCENARIO, and each counterfactual its FACTS name, R times (default 20)\n"
	"with the seeds `run --reps` uses (replication r of every variant with the\n"
	"same seed), and print per fact the observed value and tolerance, the mean\n"
	"and 5%-95% range of the simulated values, the seeds within tolerance and\n"
	"pass or fail: a fact passes when at least 95% of the seeds are within its\n"
	"tolerance (19 of 20). With -o, the same table goes to DIR/check.csv.\n"
	"Facts files: docs/calibration.md.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR   also write DIR/check.csv\n"
	"      --reps R       seeds (default 20)\n"
	"  -j, --jobs N       threads (default: one per processor); results do not depend on it\n"
	"      --seed N       base seed of the replications' seeds (default: the scenario's run.seed)\n"
	"      --progress     progress line on stderr even when it is not a terminal\n"
	"      --set PATH=VALUE  override a setting of SCENARIO and of every counterfactual,\n"
	"                     before the counterfactual's own (repeatable)\n"
	"  -h, --help         show this help\n"
	"\n"
	"exit status:\n"
	"  0    every fact passes\n"
	"  1    a fact fails, or a run failed\n"
	"  2    bad usage, an unreadable or invalid scenario or facts file\n"
	"  130  interrupted (Ctrl-C)\n";

enum { CHECK_HELP = 1, CHECK_OUTPUT, CHECK_REPS, CHECK_JOBS, CHECK_SEED, CHECK_SET, CHECK_PROGRESS };

typedef struct check_args {
	const char *files[2];
	int n_files, help, progress;
	const char *output_dir;
	long reps, jobs;
	unsigned long seed;
	ts_override *overrides;      /* owned array, at most one per argument; texts point into argv */
	size_t n_overrides;
} check_args;

static int take(check_args *a, int id, char *value)
{
	char *eq = id == CHECK_SET ? strchr(value, '=') : NULL;
	if (id == CHECK_SET && (!eq || eq == value))
		return cli_usage_error("check", "--set expects PATH=VALUE, got '%s'", value);
	if (eq) {
		*eq = '\0';
		a->overrides[a->n_overrides++] = (ts_override){value, eq + 1};
	} else if (id == CHECK_HELP)
		a->help = 1;
	else if (id == CHECK_PROGRESS)
		a->progress = 1;
	else if (id == CHECK_OUTPUT)
		a->output_dir = value;
	else if (id == CHECK_REPS && cli_parse_count(value, 1, 1000000, &a->reps) != 0)
		return cli_usage_error("check", "--reps must be an integer in [1, 1000000], got '%s'", value);
	else if (id == CHECK_JOBS && cli_parse_count(value, 1, 4096, &a->jobs) != 0)
		return cli_usage_error("check", "--jobs must be an integer in [1, 4096], got '%s'", value);
	else if (id == CHECK_SEED && cli_parse_seed(value, &a->seed) != 0)
		return cli_usage_error("check", "--seed must be an integer in [1, 4294967295], got '%s'", value);
	return EXIT_OK;
}

static int parse(check_args *a, int argc, char **argv)
{
	static const cli_option options[] = {
		{CHECK_HELP, 'h', "help", NULL}, {CHECK_OUTPUT, 'o', "output", "a directory"},
		{CHECK_REPS, 0, "reps", "a number"}, {CHECK_JOBS, 'j', "jobs", "a number"},
		{CHECK_SEED, 0, "seed", "a number"}, {CHECK_SET, 0, "set", "PATH=VALUE"},
		{CHECK_PROGRESS, 0, "progress", NULL}, {0, 0, NULL, NULL},
	};
	*a = (check_args){.reps = 20, .overrides = calloc((size_t)argc + 1, sizeof(ts_override))};
	if (!a->overrides) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	cli_opt_parser p;
	cli_opt_init(&p, "check", options, argc, argv);
	int code = EXIT_OK;
	for (int id; code == EXIT_OK && !a->help && (id = cli_opt_next(&p)) != CLI_OPT_END;) {
		if (id == CLI_OPT_BAD)
			code = EXIT_USAGE;
		else if (id != CLI_OPT_OPERAND)
			code = take(a, id, p.value);
		else if (a->n_files < 2)
			a->files[a->n_files++] = p.value;
		else
			code = cli_usage_error("check", "unexpected argument '%s'", p.value);
	}
	if (code != EXIT_OK || a->help || a->n_files == 2)
		return code;
	return cli_usage_error("check", "missing %s", a->n_files == 0 ? "SCENARIO and FACTS" : "FACTS");
}

static void print_scores(const ts_check *c)
{
	printf("%-40s %12s %10s %12s %12s %12s %8s\n", "fact", "observed", "tolerance", "mean", "q05", "q95",
	       "within");
	for (int k = 0; k < ts_check_facts(c); k++) {
		ts_fact_score s;
		ts_check_score(c, k, &s);
		printf("%-40s %12.6g %10.4g %12.6g %12.6g %12.6g %4d/%-3d %s\n", s.name, s.observed, s.tolerance, s.mean,
		       s.q05, s.q95, s.within, s.reps, s.pass ? "pass" : "FAIL");
	}
}

static int check(const check_args *a, ts_check *c, ts_error *err)
{
	ts_check_options o = TS_CHECK_OPTIONS_INIT;
	o.reps = (int)a->reps;
	o.jobs = (int)a->jobs;
	o.base_seed = (uint32_t)a->seed;
	o.cancel = cli_interrupt_catch(0);
	progress_state ps;
	progress_init(&ps, progress_wanted(a->progress));
	o.progress = progress_update;
	o.progress_failed = progress_failed;
	o.progress_ctx = &ps;
	int rc = ts_check_run(c, &o, err);
	progress_end(&ps);
	cli_interrupt_release();
	if (rc == TS_OK && a->output_dir)
		rc = ts_check_write_csv(c, a->output_dir, err);
	if (rc != TS_OK)
		return rc;
	print_scores(c);
	return TS_OK;
}

int cmd_check(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	check_args a;
	int code = parse(&a, argc, argv);
	if (code != EXIT_OK || a.help) {
		free(a.overrides);
		return code == EXIT_OK ? cli_print_help(cmd->help) : code;
	}
	ts_scenario *s = NULL;
	ts_check *c = NULL;
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_load(&s, a.files[0], a.overrides, a.n_overrides, &err) != TS_OK ||
	    ts_check_load(&c, s, a.files[1], a.overrides, a.n_overrides, &err) != TS_OK) {
		code = cli_report_input(&err);
	} else if (check(&a, c, &err) != TS_OK) {
		code = cli_report(cmd->name, &err);
	} else {
		code = cli_flush_stdout(ts_check_passed(c) ? EXIT_OK : EXIT_RUN);
	}
	ts_check_free(c);
	ts_scenario_free(s);
	free(a.overrides);
	return code;
}
