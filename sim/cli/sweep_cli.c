/* tradesim sweep | sensitivity | merge: argument parsing, the quick sweep
 * built from flags, SIGINT, the progress line. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <tradesim/sweep.h>
#include "cli.h"

static const char *const usage_sweep =
	"usage: tradesim sweep SWEEP.cfg -o DIR [-j N] [--series] [--shard I/N] [--progress]\n"
	"                      [--design D] [--points N] [--reps R] [--seed N]\n"
	"       tradesim sweep --scenario FILE (--param PATH=LO:HI | --values PATH=A,B,...)...\n"
	"                      --metric [diff:]STAT:SERIES... -o DIR [options as above]\n"
	"\n"
	"Run every point of the sweep's design R times and write DIR/sweep.csv (one row\n"
	"per run: run,point,rep,seed,<parameters>,<metrics>,status,message), points.csv\n"
	"and sweep.json. The sweep file is described in docs/sweep.md. Output is the\n"
	"same for any -j. Interrupted (Ctrl-C, kill), the same command resumes.\n"
	"Started by `mpirun -n K` (a build with MPI), the runs are spread over the K\n"
	"ranks and rank 0 writes: the same bytes again.\n"
	"\n"
	"options:\n"
	"  -o, --output DIR       output directory (required)\n"
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
	"      --metric [diff:]STAT:SERIES  STAT final|mean|min|max, SERIES e.g.\n"
	"                         firms.Qualcomm.revenue_bn_usd (repeatable)\n"
	"  -h, --help             show this help\n"
	"\n"
	"exit status:\n"
	"  0    every run succeeded\n"
	"  1    some runs failed (every run is still written: see the status and message\n"
	"       columns of DIR/sweep.csv), or a write error\n"
	"  2    bad usage, sweep file, or an output directory that holds another sweep,\n"
	"       is in use by another tradesim process or has a symbolic link in place of\n"
	"       a sweep file\n"
	"  130  interrupted (the same command resumes)\n";

static const char *const usage_sensitivity =
	"usage: tradesim sensitivity SWEEP.cfg -o DIR [-j N] [--points N] [--reps R] [--seed N] [--progress]\n"
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

static const char *const usage_merge =
	"usage: tradesim merge DIR... -o OUT\n"
	"\n"
	"Join the output directories of `tradesim sweep --shard I/N` (every I once, the\n"
	"same sweep) into OUT: the sweep.csv, points.csv and sweep.json of an unsharded\n"
	"sweep.\n"
	"\n"
	"exit status: 0 merged; 1 write error; 2 bad usage, shards missing, unfinished\n"
	"or of different sweeps, or OUT in use by another tradesim process\n";

typedef struct sweep_args {
	const char *file, *scenario, *output_dir;
	long jobs, points, reps;
	unsigned long seed;
	int series, progress, shard, shards;
	const char *design;
	char **params;               /* "--param" and "--values" arguments, tagged */
	int n_params;
	char **metrics;
	int n_metrics;
	const char **dirs;           /* merge */
	int n_dirs;
	int help;
} sweep_args;

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct progress_state {
	int show;
	long start_done, kill_after;
	struct timespec start, last;
} progress_state;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

static void on_progress(void *ctx, long done, long total)
{
	progress_state *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->start.tv_sec == 0 && p->start.tv_nsec == 0) {
		p->start = now;
		p->start_done = done;
	}
	/* Test hook: die as if killed once k runs were written by this process. */
	if (p->kill_after > 0 && done - p->start_done >= p->kill_after)
		raise(SIGKILL);
	if (!p->show)
		return;
	if (done < total && seconds_between(&p->last, &now) < 0.2)
		return;
	p->last = now;
	double elapsed = seconds_between(&p->start, &now);
	double rate = elapsed > 0 ? (double)(done - p->start_done) / elapsed : 0.0;
	long eta = rate > 0 ? (long)((double)(total - done) / rate + 0.5) : -1;
	if (eta >= 0)
		fprintf(stderr, "\r%ld/%ld runs  %.1f runs/s  ETA %ld:%02ld  ", done, total, rate, eta / 60, eta % 60);
	else
		fprintf(stderr, "\r%ld/%ld runs  ", done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* What resuming repaired (a journal cut at a damaged row), for the user to know. */
static void on_notice(void *ctx, const char *message)
{
	fprintf(stderr, "tradesim %s: %s\n", (const char *)ctx, message);
}

static int take_value(int argc, char **argv, int *i, const char *command, const char **value)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	if (arg[1] == '-' && eq) {
		*value = eq + 1;
		return 0;
	}
	if (arg[1] != '-' && arg[2]) {
		*value = arg + 2;  /* -j4, -oDIR */
		return 0;
	}
	if (*i + 1 >= argc) {
		cli_usage_error(command, "option '%s' needs a value", arg);
		return -1;
	}
	*value = argv[++*i];
	return 0;
}

/* "--name" or "--name=..." */
static int is_option(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_sweep_args(const char *command, int argc, char **argv, sweep_args *a)
{
	memset(a, 0, sizeof *a);
	a->shards = 1;
	a->params = calloc((size_t)argc + 1, sizeof *a->params);
	a->metrics = calloc((size_t)argc + 1, sizeof *a->metrics);
	a->dirs = calloc((size_t)argc + 1, sizeof *a->dirs);
	if (!a->params || !a->metrics || !a->dirs) {
		fputs("tradesim: out of memory\n", stderr);
		return EXIT_RUN;
	}
	int is_merge = strcmp(command, "merge") == 0, is_sweep = strcmp(command, "sweep") == 0;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *v = NULL;
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			a->help = 1;
			return EXIT_OK;
		}
		if (strncmp(arg, "-o", 2) == 0 || is_option(arg, "--output")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (!*v)
				return cli_usage_error(command, "option '%s' needs a directory", "-o");
			a->output_dir = v;
		} else if (is_merge) {
			if (arg[0] == '-')
				return cli_usage_error(command, "unknown option '%s'", arg);
			a->dirs[a->n_dirs++] = arg;
		} else if (strncmp(arg, "-j", 2) == 0 || is_option(arg, "--jobs")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (cli_parse_count(v, 1, 4096, &a->jobs) != 0)
				return cli_usage_error(command, "-j must be an integer in [1, 4096], got '%s'", v);
		} else if (is_option(arg, "--points")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (cli_parse_count(v, 1, 100000000, &a->points) != 0)
				return cli_usage_error(command, "--points must be an integer in [1, 100000000], got '%s'", v);
		} else if (is_option(arg, "--reps")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (cli_parse_count(v, 1, 1000000, &a->reps) != 0)
				return cli_usage_error(command, "--reps must be an integer in [1, 1000000], got '%s'", v);
		} else if (is_option(arg, "--seed")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (cli_parse_seed(v, &a->seed) != 0)
				return cli_usage_error(command, "--seed must be an integer in [1, 4294967295], got '%s'", v);
		} else if (strcmp(arg, "--progress") == 0) {
			a->progress = 1;
		} else if (is_sweep && strcmp(arg, "--series") == 0) {
			a->series = 1;
		} else if (is_sweep && is_option(arg, "--shard")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			char tail;
			if (sscanf(v, "%d/%d%c", &a->shard, &a->shards, &tail) != 2 || a->shards < 1 || a->shards > 100000 ||
			    a->shard < 0 || a->shard >= a->shards)
				return cli_usage_error(command, "--shard expects I/N with 0 <= I < N, got '%s'", v);
		} else if (is_sweep && is_option(arg, "--design")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (strcmp(v, "grid") != 0 && strcmp(v, "lhs") != 0 && strcmp(v, "sobol") != 0)
				return cli_usage_error(command, "--design must be grid, lhs or sobol, got '%s'", v);
			a->design = v;
		} else if (is_sweep && is_option(arg, "--scenario")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			a->scenario = v;
		} else if (is_sweep && (is_option(arg, "--param") || is_option(arg, "--values"))) {
			int range = is_option(arg, "--param");
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || !eq[1] || (range && !strchr(eq, ':')))
				return cli_usage_error(command, range ? "--param expects PATH=LO:HI, got '%s'"
				                                      : "--values expects PATH=A,B,..., got '%s'", v);
			if (strpbrk(v, "\"\\"))
				return cli_usage_error(command, "quotes and backslashes are not allowed here: '%s' (use a sweep file)", v);
			size_t n = strlen(v) + 2;
			char *tagged = malloc(n);
			if (!tagged)
				return EXIT_RUN;
			snprintf(tagged, n, "%c%s", range ? 'r' : 'v', v);
			a->params[a->n_params++] = tagged;
		} else if (is_sweep && is_option(arg, "--metric")) {
			if (take_value(argc, argv, &i, command, &v) != 0)
				return EXIT_USAGE;
			if (!strchr(v, ':') || strpbrk(v, "\"\\"))
				return cli_usage_error(command, "--metric expects [diff:]STAT:SERIES, got '%s'", v);
			a->metrics[a->n_metrics++] = (char *)v;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return cli_usage_error(command, "unknown option '%s'", arg);
		} else if (!a->file) {
			a->file = arg;
		} else {
			return cli_usage_error(command, "unexpected argument '%s'", arg);
		}
	}
	if (is_merge) {
		if (a->n_dirs == 0)
			return cli_usage_error(command, "missing shard %s", "DIR");
	} else if (is_sweep && a->scenario) {
		if (a->file)
			return cli_usage_error(command, "give a sweep file or --scenario, not both ('%s')", a->file);
		if (a->n_params == 0 || a->n_metrics == 0)
			return cli_usage_error(command, "a quick sweep needs --param or --values, and --metric%s", "");
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

static void free_args(sweep_args *a)
{
	for (int i = 0; a->params && i < a->n_params; i++)
		free(a->params[i]);
	free(a->params);
	free(a->metrics);
	free(a->dirs);
}

/* A list item of --values as a libconfig literal: a number stays one. */
static void literal(FILE *f, const char *item, size_t len)
{
	char buf[256], *end;
	snprintf(buf, sizeof buf, "%.*s", (int)len, item);
	errno = 0;
	if (buf[0] && (strtod(buf, &end), *end == '\0') && !errno)
		fputs(buf, f);
	else if (strcmp(buf, "true") == 0 || strcmp(buf, "false") == 0)
		fputs(buf, f);
	else
		fprintf(f, "\"%s\"", buf);
}

/* The sweep file the quick flags stand for. */
static char *quick_sweep_text(const sweep_args *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	fprintf(f, "scenario = \"%s\";\nparameters = (\n", a->scenario);
	for (int i = 0; i < a->n_params; i++) {
		const char *p = a->params[i] + 1, *eq = strchr(p, '=');
		fprintf(f, "  { path = \"%.*s\"; ", (int)(eq - p), p);
		if (a->params[i][0] == 'r') {
			const char *colon = strchr(eq, ':');
			fputs("min = ", f);
			literal(f, eq + 1, (size_t)(colon - eq - 1));
			fputs("; max = ", f);
			literal(f, colon + 1, strlen(colon + 1));
			fputs("; }", f);
		} else {
			fputs("values = (", f);
			for (const char *q = eq + 1; ; ) {
				size_t n = strcspn(q, ",");
				literal(f, q, n);
				if (!q[n])
					break;
				fputs(", ", f);
				q += n + 1;
			}
			fputs("); }", f);
		}
		fputs(i + 1 < a->n_params ? ",\n" : "\n", f);
	}
	fputs(");\nmetrics = (\n", f);
	for (int i = 0; i < a->n_metrics; i++) {
		const char *m = a->metrics[i];
		int diff = strncmp(m, "diff:", 5) == 0;
		if (diff)
			m += 5;
		const char *colon = strchr(m, ':');
		if (colon)
			fprintf(f, "  { name = \"%s\"; series = \"%s\"; stat = \"%.*s\"; diff = %s; }", a->metrics[i], colon + 1,
			        (int)(colon - m), m, diff ? "true" : "false");
		else
			fprintf(f, "  { series = \"%s\"; }", m);
		fputs(i + 1 < a->n_metrics ? ",\n" : "\n", f);
	}
	fputs(");\n", f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int status_exit(int status)
{
	return status == TS_EINPUT || status == TS_EBUSY ? EXIT_USAGE : status == TS_ECANCELED ? EXIT_INTERRUPTED : EXIT_RUN;
}

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

int cli_sweep(const char *command, int argc, char **argv, const char *command_line)
{
	sweep_args a;
	int code = parse_sweep_args(command, argc, argv, &a);
	int is_merge = strcmp(command, "merge") == 0, is_sens = strcmp(command, "sensitivity") == 0;
	if (code != EXIT_OK || a.help) {
		if (a.help)
			fputs(is_merge ? usage_merge : is_sens ? usage_sensitivity : usage_sweep, stdout);
		free_args(&a);
		return code;
	}
	ts_error err = TS_ERROR_INIT;
	if (is_merge) {
		if (!cli_is_writer()) {  /* under mpirun, rank 0 merges */
			free_args(&a);
			return EXIT_OK;
		}
		int rc = ts_sweep_merge(a.dirs, a.n_dirs, a.output_dir, &err);
		free_args(&a);
		if (rc != TS_OK)
			return cli_report(&err) ? status_exit(rc) : status_exit(rc);
		printf("%d shards merged into %s/sweep.csv\n", a.n_dirs, a.output_dir);
		return EXIT_OK;
	}
	ts_sweep *sweep = NULL;
	int rc = load_sweep(&a, is_sens, &sweep, &err);
	rc = cli_parallel_agree(rc, rc == TS_OK ? ts_sweep_hash(sweep) : NULL, &err);
	if (rc != TS_OK) {
		ts_sweep_free(sweep);
		free_args(&a);
		cli_report(&err);
		return rc == TS_ENOMEM ? EXIT_RUN : EXIT_USAGE;
	}
	progress_state ps;
	memset(&ps, 0, sizeof ps);
	ps.show = a.progress || isatty(STDERR_FILENO);
	const char *kill_after = getenv("TRADESIM_TEST_KILL_AFTER");
	ps.kill_after = kill_after ? atol(kill_after) : 0;
	ts_sweep_options o = TS_SWEEP_OPTIONS_INIT;
	o.output_dir = a.output_dir;
	o.jobs = (int)a.jobs;
	o.shard = a.shard;
	o.shards = a.shards;
	o.series = a.series;
	o.cancel = &interrupted;
	o.progress = on_progress;
	o.progress_ctx = &ps;
	o.command_line = command_line;
	o.notice = on_notice;
	o.notice_ctx = (void *)command;
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sa.sa_flags = SA_RESETHAND;  /* a second Ctrl-C kills at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	rc = cli_sweep_execute(sweep, &o, &err);
	sigaction(SIGINT, &old, NULL);
	long failed = 0, runs = 0;
	if (rc == TS_OK && cli_is_writer())
		rc = ts_sweep_count_failed(sweep, a.output_dir, &failed, &runs, &err);
	if (rc == TS_OK && is_sens && failed == 0 && cli_is_writer())
		rc = ts_sweep_sensitivity(sweep, a.output_dir, &err);
	if (rc == TS_ECANCELED) {
		fprintf(stderr, "tradesim %s: interrupted; %s\nrun the same command again to resume\n", command, err.message);
	} else if (rc != TS_OK) {
		cli_report(&err);
	} else if (cli_is_writer()) {
		printf("%s: %ld runs (%ld points x %ld) written to %s/%s\n", a.file ? a.file : "sweep",
		       runs, ts_sweep_points(sweep), ts_sweep_runs(sweep) / ts_sweep_points(sweep), a.output_dir,
		       is_sens && !failed ? "sensitivity.csv" : "sweep.csv");
		if (failed) {
			/* Every run is recorded; the failed ones say why in sweep.csv. */
			fprintf(stderr, "tradesim %s: %ld of %ld runs failed (see the status column of %s/sweep.csv)\n",
			        command, failed, runs, a.output_dir);
			if (is_sens)
				fprintf(stderr, "tradesim sensitivity: no Sobol indices: they need every run to succeed\n");
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tradesim: error writing to standard output\n");
		rc = rc == TS_OK ? TS_EIO : rc;
	}
	ts_sweep_free(sweep);
	free_args(&a);
	if (rc == TS_OK && failed)
		return EXIT_RUN;
	return rc == TS_OK ? EXIT_OK : status_exit(rc);
}
