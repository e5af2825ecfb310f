/* tradesim sweep | sensitivity: a sweep (from a file or quick flags) run on
 * threads or MPI ranks, resumable, with a progress line; sensitivity adds
 * the Sobol indices of a finished Saltelli sweep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/sweep.h>
#include "cli/cli.h"
#include "cli/interrupt.h"
#include "cli/sweep_opts.h"

const char cmd_sweep_help[] =
	"usage: tradesim sweep SWEEP.cfg -o DIR [--force] [-j N] [--series] [--shard I/N] [--progress]\n"
	"                      [--design D] [--points N] [--reps R] [--seed N]\n"
	"       tradesim sweep --scenario FILE (--param PATH=LO:HI | --values PATH=A,B,...)...\n"
	"                      --metric METRIC... -o DIR [options as above]\n"
	"\n"
	"Run every point of the sweep's design R times and write DIR/sweep.csv (one row\n"
	"per run: run,point,rep,seed,<parameters>,<metrics>,status,message), points.csv\n"
	"and sweep.json. The sweep file is described in docs/sweep.md. Output is the\n"
	"same for any -j. Interrupted (Ctrl-C, kill), the same command resumes. DIR\n"
	"holding a run, replications, a comparison or another sweep is refused unless\n"
	"--force.\n"
	"Started by `mpirun -n K` (a build with MPI), the runs are spread over the K\n"
	"ranks and rank 0 writes: the same bytes again.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (required)\n"
	"      --force            first remove every file tradesim writes from DIR (the sweep\n"
	"                         starts over; refused, naming them, if DIR holds other files)\n"
	"  -j, --jobs N           threads (default: one per processor); under mpirun,\n"
	"                         per rank (default: the node's processors shared by its ranks)\n"
	"      --series           also write each run's tables to DIR/runs/<run>/\n"
	"      --shard I/N        only runs with run % N == I (join shards with tradesim merge)\n"
	"      --progress         progress line on stderr even when it is not a terminal\n"
	"      --design D         grid, lhs or sobol (overrides the file)\n"
	"      --points N         points (lhs, sobol) or levels per range (grid)\n"
	"      --reps R           replications per point\n"
	"      --seed N           base seed of the runs' seeds\n"
	"      --scenario FILE    quick sweep without a sweep file, with:\n"
	"      --param PATH=LO:HI     a range of a setting (repeatable)\n"
	"      --values PATH=A,B,...  a list of values of a setting (repeatable)\n"
	"      --metric METRIC    [diff:][annualise:]STAT:WHAT[:FROM[:TO]] (repeatable):\n"
	"                         STAT final|mean|min|max|sum of a series WHAT, e.g.\n"
	"                         sum:firms.Qualcomm.revenue_bn_usd:2019Q2:2021Q4 (dates\n"
	"                         of the scenario's calendar; one date: that period);\n"
	"                         first_start:MEASURE (its first step),\n"
	"                         rule_starts[:COUNTRY], ally_starts[:COUNTRY]\n"
	"                         (measures started), retaliated:COUNTRY (0/1);\n"
	"                         annualise: a sum per year (docs/sweep.md, Metrics)\n"
	"  -h, --help             show this help\n"
	"\n"
	"exit status:\n"
	"  0    every run succeeded\n"
	"  1    some runs failed (every run is still written: see the status and message\n"
	"       columns of DIR/sweep.csv), or a write error\n"
	"  2    bad usage, sweep file, or an output directory that holds another output\n"
	"       or another sweep, is in use by another tradesim process or has a symbolic\n"
	"       link in place of a sweep file\n"
	"  130  interrupted (the same command resumes)\n";

const char cmd_sensitivity_help[] =
	"usage: tradesim sensitivity SWEEP.cfg -o DIR [--force] [-j N] [--points N] [--reps R] [--seed N]\n"
	"                            [--progress]\n"
	"\n"
	"Sobol indices of every metric of SWEEP.cfg for every parameter: runs the\n"
	"Saltelli design (points = base rows n, n (d + 2) points) into DIR/sweep.csv\n"
	"(resumable like a sweep) and writes DIR/sensitivity.csv: first-order and\n"
	"total indices (Saltelli / Jansen estimators) with bootstrap intervals\n"
	"(sensitivity.bootstrap, sensitivity.confidence in the sweep file).\n"
	"Under `mpirun -n K`, the runs are spread over the K ranks as for sweep.\n"
	"\n"
	"exit status: 0 done; 1 some runs failed (no indices then: they need every run;\n"
	"see the status column of DIR/sweep.csv), or a write error; 2 bad usage, sweep\n"
	"file or output directory (as for sweep); 130 interrupted (the same command resumes)\n";

/* The sweep file (or quick flags) with the command line's overrides of it. */
static int load_sweep(const sweep_args *a, int sensitivity, ts_sweep **sweep, ts_error *err)
{
	ts_override ov[4];
	size_t n = 0;
	char points[32], reps[32], seed[32], design[32];
	if (a->design) {
		snprintf(design, sizeof design, "\"%s\"", a->design);
		ov[n++] = (ts_override){"design", design};
	}
	if (a->points) {
		snprintf(points, sizeof points, "%ld", a->points);
		ov[n++] = (ts_override){"points", points};
	}
	if (a->reps) {
		snprintf(reps, sizeof reps, "%ld", a->reps);
		ov[n++] = (ts_override){"replications", reps};
	}
	if (a->seed) {
		snprintf(seed, sizeof seed, "%luL", a->seed);
		ov[n++] = (ts_override){"seed", seed};
	}
	if (!a->scenario)
		return ts_sweep_load(sweep, a->file, ov, n, sensitivity, err);
	char *text = quick_sweep_text(a);
	if (!text)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = ts_sweep_load_string(sweep, text, "(command line)", NULL, ov, n, sensitivity, err);
	free(text);
	return rc;
}

/* What resuming repaired (a journal cut at a damaged row), for the user to know. */
static void on_notice(void *command, const char *message)
{
	fprintf(stderr, "tradesim %s: %s\n", (const char *)command, message);
}

/* Every run of the sweep (or the rest of it), Ctrl-C stopping it between runs. */
static int execute(const char *command, const sweep_args *a, const ts_sweep *sweep, const char *command_line,
                   ts_error *err)
{
	progress_state ps;
	progress_init(&ps, progress_wanted(a->progress));
	ps.first_is_start = 1;
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = a->output_dir;
	o.jobs = (int)a->jobs;
	o.shard = a->shard;
	o.shards = a->shards;
	o.series = a->series;
	o.force = a->force;
	o.progress = progress_update;
	o.progress_failed = progress_failed;
	o.progress_ctx = &ps;
	o.command_line = command_line;
	o.notice = on_notice;
	o.notice_ctx = (void *)command;
	o.cancel = cli_interrupt_catch(0);  /* SIGTERM still kills: the sweep resumes */
	int rc = cli_sweep_execute(sweep, &o, err);
	progress_end(&ps);
	cli_interrupt_release();
	return rc;
}

typedef struct sweep_outcome {
	int rc;
	long failed, runs;
} sweep_outcome;

/* After the runs, on the writer: failed runs counted; the indices. */
static void finish(const sweep_args *a, const ts_sweep *sweep, int sensitivity, sweep_outcome *r, ts_error *err)
{
	if (r->rc == TS_OK && cli_is_writer())
		r->rc = ts_sweep_count_failed(sweep, a->output_dir, &r->failed, &r->runs, err);
	if (r->rc == TS_OK && sensitivity && r->failed == 0 && cli_is_writer())
		r->rc = ts_sweep_sensitivity(sweep, a->output_dir, err);
}

static int report(const char *command, const sweep_args *a, const ts_sweep *sweep, const sweep_outcome *r,
                  const ts_error *err)
{
	int sensitivity = strcmp(command, "sensitivity") == 0;
	if (r->rc == TS_ECANCELED) {
		fprintf(stderr, "tradesim %s: interrupted; %s\nrun the same command again to resume\n", command, err->message);
		return EXIT_INTERRUPTED;
	}
	if (r->rc != TS_OK)
		return cli_report(command, err);
	if (!cli_is_writer())
		return EXIT_OK;
	printf("%s: %ld runs (%ld points x %ld) written to %s/%s\n", a->file ? a->file : "sweep", r->runs,
	       ts_sweep_points(sweep), ts_sweep_runs(sweep) / ts_sweep_points(sweep), a->output_dir,
	       sensitivity && !r->failed ? "sensitivity.csv" : "sweep.csv");
	if (!r->failed)
		return EXIT_OK;
	/* Every run is recorded; the failed ones say why in sweep.csv. */
	fprintf(stderr, "tradesim %s: %ld of %ld runs failed (see the status column of %s/sweep.csv)\n", command,
	        r->failed, r->runs, a->output_dir);
	if (sensitivity)
		fprintf(stderr, "tradesim sensitivity: no Sobol indices: they need every run to succeed\n");
	return EXIT_RUN;
}

static int run_sweep(const cli_command *cmd, const sweep_args *a, const char *command_line)
{
	int sensitivity = strcmp(cmd->name, "sensitivity") == 0;
	ts_error err = TS_ERROR_INIT;
	ts_sweep *sweep = NULL;
	int rc = load_sweep(a, sensitivity, &sweep, &err);
	rc = cli_parallel_agree(rc, "sweep", rc == TS_OK ? ts_sweep_hash(sweep) : NULL, &err);
	if (rc != TS_OK) {
		ts_sweep_free(sweep);
		return cli_report_input(&err);
	}
	sweep_outcome r = {execute(cmd->name, a, sweep, command_line, &err), 0, 0};
	finish(a, sweep, sensitivity, &r, &err);
	int code = cli_flush_stdout(report(cmd->name, a, sweep, &r, &err));
	ts_sweep_free(sweep);
	return code;
}

int cmd_sweep(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	sweep_args a;
	int code = sweep_args_parse(&a, cmd->name, argc, argv);
	if (code == EXIT_OK && a.help)
		code = cli_print_help(cmd->help);
	else if (code == EXIT_OK)
		code = run_sweep(cmd, &a, command_line);
	sweep_args_free(&a);
	return code;
}
