/* tradesim calibrate: fit a scenario's free parameters to a facts file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <tradesim/tradesim.h>
#include "cli/cli.h"
#include "cli/exec.h"
#include "cli/interrupt.h"
#include "cli/sweep_opts.h"

const char cmd_calibrate_help[] =
	"usage: tradesim calibrate CALIBRATION.cfg -o DIR [--force] [-j N] [--progress]\n"
	"\n"
	"Estimate the free parameters CALIBRATION.cfg names by the method of simulated\n"
	"moments: each candidate runs the scenario (and the counterfactuals its facts\n"
	"need) over the same R seeds, and its loss is the sum over facts of\n"
	"((simulated mean - observed) / tolerance)^2. The search: a Sobol or Latin\n"
	"hypercube design over the bounds, then Nelder-Mead from the best design\n"
	"points; then the loss along each parameter through the best point.\n"
	"Writes DIR/calibrate.csv (every evaluation), best.csv, best.cfg (the scenario\n"
	"at the best point), check.csv (each fact's fit there), acceptance.csv (each\n"
	"parameter's range over the design points that fit every fact within its\n"
	"tolerance) and profile.csv. The outputs do not depend on -j; interrupted, the\n"
	"same command resumes. DIR holding another output (a run, a sweep, another\n"
	"calibration) is refused unless --force. Calibration files: docs/calibration.md.\n"
	"Started by `mpirun -n K` (a build with MPI), the design and profile points are\n"
	"spread over the K ranks, every rank runs the same search and rank 0 writes:\n"
	"the same bytes again.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR   output directory (required)\n"
	"      --force        first remove every file tradesim writes from DIR (refused,\n"
	"                     naming them, if DIR holds other files); start over\n"
	"  -j, --jobs N       threads (default: one per processor); under mpirun, per\n"
	"                     rank (default: the node's processors shared by its ranks)\n"
	"      --progress     progress line on stderr even when it is not a terminal\n"
	"  -h, --help         show this help\n"
	"\n"
	"exit status:\n"
	"  0    done, every evaluation ran\n"
	"  1    done, but some evaluations failed (see the status column of\n"
	"       DIR/calibrate.csv), none succeeded, or a write error\n"
	"  2    bad usage, calibration, scenario or facts file, or an output directory\n"
	"       that holds another calibration or is in use by another tradesim process\n"
	"  130  interrupted (the same command resumes)\n";

enum { CAL_HELP = 1, CAL_OUTPUT, CAL_JOBS, CAL_PROGRESS, CAL_FORCE };

typedef struct calibrate_args {
	const char *file, *output_dir;
	long jobs;
	int progress, force, help;
} calibrate_args;

static int parse(calibrate_args *a, int argc, char **argv)
{
	static const cli_option options[] = {
		{CAL_HELP, 'h', "help", NULL}, {CAL_OUTPUT, 'o', "output", "a directory"},
		{CAL_JOBS, 'j', "jobs", "a number"}, {CAL_PROGRESS, 0, "progress", NULL},
		{CAL_FORCE, 0, "force", NULL}, {0, 0, NULL, NULL},
	};
	*a = (calibrate_args){0};
	cli_opt_parser p;
	cli_opt_init(&p, "calibrate", options, argc, argv);
	for (int id; !a->help && (id = cli_opt_next(&p)) != CLI_OPT_END;) {
		if (id == CLI_OPT_BAD)
			return EXIT_USAGE;
		if (id == CAL_HELP)
			a->help = 1;
		else if (id == CAL_OUTPUT)
			a->output_dir = p.value;
		else if (id == CAL_PROGRESS)
			a->progress = 1;
		else if (id == CAL_FORCE)
			a->force = 1;
		else if (id == CAL_JOBS && cli_parse_count(p.value, 1, 4096, &a->jobs) != 0)
			return cli_usage_error("calibrate", "--jobs must be an integer in [1, 4096], got '%s'", p.value);
		else if (id == CLI_OPT_OPERAND && a->file)
			return cli_usage_error("calibrate", "unexpected argument '%s'", p.value);
		else if (id == CLI_OPT_OPERAND)
			a->file = p.value;
	}
	if (a->help)
		return EXIT_OK;
	if (!a->file)
		return cli_usage_error("calibrate", "missing CALIBRATION.cfg");
	if (!a->output_dir)
		return cli_usage_error("calibrate", "missing -o DIR");
	return EXIT_OK;
}

static void print_result(const ts_calibration *c, const char *dir)
{
	printf("best loss %.6g after %ld evaluations; written to %s\n", ts_calibration_best_loss(c),
	       ts_calibration_evaluations(c), dir);
	printf("%-44s %12s %12s %12s\n", "parameter", "best", "accepted_min", "accepted_max");
	for (int j = 0; j < ts_calibration_params(c); j++) {
		double lo, hi;
		ts_calibration_range(c, j, &lo, &hi);
		printf("%-44s %12.6g %12.6g %12.6g\n", ts_calibration_param_path(c, j), ts_calibration_best_value(c, j), lo,
		       hi);
	}
	printf("accepted design points: %ld (fit per fact: %s/check.csv)\n", ts_calibration_accepted(c), dir);
}

static int calibrate(const calibrate_args *a, ts_calibration *c, ts_error *err)
{
	progress_state ps;
	progress_init(&ps, progress_wanted(a->progress));
	ts_calibrate_options o = TS_CALIBRATE_OPTIONS_INIT;
	o.output_dir = a->output_dir;
	o.jobs = (int)a->jobs;
	o.share = cli_calibrate_share(&o.jobs);  /* under mpirun: every rank searches, rank 0 writes */
	if (cli_is_writer()) {
		o.progress = progress_update;
		o.progress_ctx = &ps;
	}
	o.force = a->force;
	o.cancel = cli_interrupt_catch(0);
	int rc = ts_calibration_run(c, &o, err);
	progress_end(&ps);
	cli_interrupt_release();
	return rc;
}

int cmd_calibrate(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	calibrate_args a;
	int code = parse(&a, argc, argv);
	if (code != EXIT_OK || a.help)
		return code == EXIT_OK ? cli_print_help(cmd->help) : code;
	ts_calibration *c = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_calibration_load(&c, a.file, &err);
	rc = cli_parallel_agree(rc, "calibration", rc == TS_OK ? ts_calibration_hash(c) : NULL, &err);
	if (rc != TS_OK) {
		ts_calibration_free(c);
		return cli_report_input(&err);
	}
	rc = calibrate(&a, c, &err);
	if (rc == TS_ECANCELED) {
		fprintf(stderr, "tradesim calibrate: interrupted; run the same command again to resume\n");
		code = EXIT_INTERRUPTED;
	} else if (rc != TS_OK) {
		code = cli_report(cmd->name, &err);
	} else {
		print_result(c, a.output_dir);
		long failed = ts_calibration_failed(c);
		if (failed)
			fprintf(stderr, "tradesim calibrate: %ld of %ld evaluations failed (see the status column of %s/calibrate.csv)\n",
			        failed, ts_calibration_evaluations(c), a.output_dir);
		if (!isfinite(ts_calibration_best_loss(c)))
			fprintf(stderr, "tradesim calibrate: no evaluation gave a loss: no best point\n");
		code = cli_flush_stdout(failed || !isfinite(ts_calibration_best_loss(c)) ? EXIT_RUN : EXIT_OK);
	}
	ts_calibration_free(c);
	return code;
}
