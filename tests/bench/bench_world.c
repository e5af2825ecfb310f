/* Benchmark: a synthetic world (default 50 countries, 2,000 firms, 10
 * sectors, 100 quarterly steps) run in memory, then to CSV. Prints
 * nanoseconds of CPU per firm-market-step (a firm-market is one firm and one
 * market segment it could sell in) of the whole step, of each of its phases
 * and of its market phase (docs/model.md §5), the same for one multiply-add
 * pass over as many doubles (the memory yardstick, madd_seconds()), the
 * ratios of the step and of the market phase to it on lines of their own
 * (`step_vs_madd RATIO`, `market_vs_madd RATIO`), the CPU the CSV files
 * add to a run against the same run without them (`csv_vs_run RATIO`),
 * split into what the process does (the same rows written to /dev/null)
 * and the rest, the CPU formatting the run's numbers alone takes against
 * the run (`format_vs_run RATIO`), and the peak resident memory.
 * usage: bench_world [countries firms sectors steps] */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <tradesim/tradesim.h>
#include "model/world.h"
#include "output/csv.h"
#include "output/run.h"
#include "output/tables.h"
#include "util/shortest.h"

typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		b->cap = b->cap * 2 + (size_t)n + 1;
		b->data = realloc(b->data, b->cap);
		if (!b->data) {
			fputs("out of memory\n", stderr);
			exit(1);
		}
	}
}

/* The entity tables in either form (docs/scenario.md, "Two forms of the
 * entity tables"): `KEY = { ID = { ... }; ... };` or the list
 * `KEY = ( { id = "ID"; ... }, ... );`, which loads in linear time. */
static void open_table(buf *b, int list, const char *key)
{
	put(b, "%s = %s\n", key, list ? "(" : "{");
}

static void close_table(buf *b, int list)
{
	put(b, list ? "\n);\n" : "};\n");
}

/* Entry `index` of a table, named `prefix` `number` (C3, F12, ...). */
static void begin_entry(buf *b, int list, int index, const char *prefix, int number)
{
	if (list)
		put(b, "%s  { id = \"%s%d\";", index ? ",\n" : "", prefix, number);
	else
		put(b, "  %s%d = {", prefix, number);
}

static void end_entry(buf *b, int list)
{
	put(b, list ? " }" : " };\n");
}

/* Sector k buys sector k+1 as its critical input (a supply chain); each firm
 * has three suppliers; every country buys every sector, a tenth of it by
 * government and a fifth by infrastructure; a tenth of the countries ban or
 * control someone, on a staggered timeline. The same world in either form. */
static char *synthetic_world(int nc, int nf, int ns, int steps, int list)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 2024);
	buf b = {malloc(1 << 20), 0, 1 << 20};
	put(&b, "run = { steps = %d; start = \"2000Q1\"; seed = 1; };\n", steps);
	open_table(&b, list, "countries");
	for (int c = 0; c < nc; c++) {
		begin_entry(&b, list, c, "C", c);
		put(&b, " home_bias = %.3f; rd_budget = 1.0; markets = {", 0.3 * gsl_rng_uniform(r));
		for (int k = 0; k < ns; k++)
			put(&b, " S%d = { size = %.2f; growth = 0.02; government = 0.1; infrastructure = 0.2; };",
			    k, 10.0 + 90.0 * gsl_rng_uniform(r));
		put(&b, " };");
		end_entry(&b, list);
	}
	close_table(&b, list);
	open_table(&b, list, "sectors");
	for (int k = 0; k < ns; k++) {
		begin_entry(&b, list, k, "S", k);
		put(&b, " elasticity = 4.0; base_tech = -1.0;%s%.0d%s", k + 1 < ns ? " inputs = { S" : "",
		    k + 1 < ns ? k + 1 : 0, k + 1 < ns ? " = 0.3; };" : "");
		end_entry(&b, list);
	}
	close_table(&b, list);
	open_table(&b, list, "firms");
	int per_sector = nf / ns;
	for (int i = 0; i < nf; i++) {
		int k = i / per_sector < ns ? i / per_sector : ns - 1;
		begin_entry(&b, list, i, "F", i);
		put(&b, " country = \"C%d\"; sector = \"S%d\"; capacity = %.2f; tech = %.3f; "
		        "rd_intensity = 0.05; substitution_half_life = 1.645;", (int)gsl_rng_uniform_int(r, (unsigned long)nc),
		    k, 50.0 + 100.0 * gsl_rng_uniform(r), 0.2 * gsl_rng_uniform(r));
		if (k + 1 < ns) {
			int first = (k + 1) * per_sector;
			int a = first + (int)gsl_rng_uniform_int(r, (unsigned long)per_sector), c2 = a, d = a;
			while (c2 == a)
				c2 = first + (int)gsl_rng_uniform_int(r, (unsigned long)per_sector);
			while (d == a || d == c2)
				d = first + (int)gsl_rng_uniform_int(r, (unsigned long)per_sector);
			put(&b, " suppliers = { S%d = { F%d = 0.5; F%d = 0.3; F%d = 0.2; }; }; stockpile_months = { S%d = 3.0; };",
			    k + 1, a, c2, d, k + 1);
		}
		end_entry(&b, list);
	}
	close_table(&b, list);
	open_table(&b, list, "measures");
	for (int c = 0; c < nc / 10; c++) {
		int target = (c * 7 + 3) % nc == c ? (c + 1) % nc : (c * 7 + 3) % nc;
		begin_entry(&b, list, c, "m", c);
		put(&b, " type = \"%s\"; actor = \"C%d\"; target = \"C%d\"; start = %d; end = %d;",
		    c % 2 ? "market_ban" : "export_control", c, target, (c * 9) % steps, (c * 9) % steps + steps / 3 + 1);
		end_entry(&b, list);
	}
	close_table(&b, list);
	gsl_rng_free(r);
	return b.data;
}

static double seconds_of(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_seconds(void)
{
	return seconds_of(CLOCK_MONOTONIC);
}

/* CPU time of this process: what a loaded machine does not inflate as it
 * does wall time (the bench is single-threaded). */
static double cpu_seconds(void)
{
	return seconds_of(CLOCK_PROCESS_CPUTIME_ID);
}

/* CPU seconds of each phase of a step (engine.c's names), summed over
 * the steps of a run: the hook ts_engine_step() calls after each phase. */
#define MAX_PHASES 32
typedef struct phase_times {
	const char *name[MAX_PHASES];
	double seconds[MAX_PHASES];
	int n;
	double last;  /* CPU clock at the end of the last phase */
} phase_times;

static void phase_done(void *ctx, const char *name)
{
	phase_times *pt = ctx;
	double now = cpu_seconds();
	int p = 0;
	while (p < pt->n && strcmp(pt->name[p], name) != 0)
		p++;
	if (p == pt->n && pt->n < MAX_PHASES)
		pt->name[pt->n++] = name;
	if (p < MAX_PHASES)
		pt->seconds[p] += now - pt->last;
	pt->last = now;
}

static double phase_total(const phase_times *pt)
{
	double total = 0.0;
	for (int p = 0; p < pt->n; p++)
		total += pt->seconds[p];
	return total;
}

/* The market phase (docs/model.md §5): ts_market_prepare and
 * ts_market_allocate. */
static double market_phase(const phase_times *pt)
{
	double total = 0.0;
	for (int p = 0; p < pt->n; p++)
		if (strncmp(pt->name[p], "market_", 7) == 0)
			total += pt->seconds[p];
	return total;
}

/* Runs `steps` steps of a fresh simulation of s, timing its phases: the
 * CPU time of phase p in step t goes to best[t * MAX_PHASES + p] where it
 * is less (best of the runs, step by step, the least disturbed by other
 * load: the step's counterpart of the multiply-add's best pass), the
 * phases' names to *names; the steps' wall time is added to *wall. */
static int time_run(const ts_scenario *s, int steps, double *best, phase_times *names, double *wall, ts_error *err)
{
	ts_sim *sim = NULL;
	int rc = ts_sim_alloc(&sim, s, 1, err);
	double t0 = now_seconds();
	for (int t = 0; t < steps && rc == TS_OK; t++) {
		phase_times pt = {.n = 0, .last = cpu_seconds()};
		rc = ts_engine_step(sim, phase_done, &pt, err);
		for (int p = 0; p < pt.n; p++)
			best[t * MAX_PHASES + p] = fmin(best[t * MAX_PHASES + p], pt.seconds[p]);
		*names = pt;
	}
	*wall += now_seconds() - t0;
	ts_sim_free(sim);
	return rc;
}

/* GCC: the loop of madd_pass() starts a cache line. Where it happened to
 * straddle one, the pass measured 0.31 ns a double instead of 0.21 on this
 * project's machines, and which it did moved with any change to the
 * binary. */
#if defined(__GNUC__) && !defined(__clang__)
#define LOOP_ALIGNED __attribute__((optimize("align-loops=64")))
#else
#define LOOP_ALIGNED
#endif

/* One multiply-add pass, y[i] += a x[i] for i < n; not inlined, so that
 * passes stay apart and each is timed whole. */
__attribute__((noinline, aligned(64))) LOOP_ALIGNED static void madd_pass(double *restrict y, const double *restrict x,
                                                                         double a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		y[i] += a * x[i];
}

/* The memory yardstick the step is measured against: CPU seconds of one
 * multiply-add pass y[i] += a x[i] over two arrays x and y of n doubles
 * each, n the world's firm-markets (one double per cell a market step
 * visits): it reads 2n doubles and writes n, at the compiler's best
 * vectorised code, the arrays warm like the run state between steps. Best
 * of `passes` passes (the least disturbed by other load), spread over
 * PLACEMENTS pairs of arrays allocated side by side, all kept until the
 * end: a pair's speed can depend on where its pages fall, and the
 * yardstick is the best the machine does. In each pair y starts 512 bytes
 * past a multiple of 4 KiB from x, so that loads of x never wait on stores
 * to y at the same offset in a page. */
#define PLACEMENTS 4
static double madd_seconds(size_t n, int passes)
{
	size_t y_at = (n + 511) / 512 * 512 + 64;  /* doubles: 512 bytes past a 4 KiB multiple */
	double *pair[PLACEMENTS], best = 1e300;
	for (int k = 0; k < PLACEMENTS; k++) {
		double *x = pair[k] = aligned_alloc(4096, (y_at + n + 511) / 512 * 4096), *y = x + y_at;
		if (!x) {
			fputs("out of memory\n", stderr);
			exit(1);
		}
		for (size_t i = 0; i < n; i++) {
			x[i] = 1.0 + 1e-6 * (double)(i % 1000);
			y[i] = 0.0;
		}
		for (int p = 0; p < passes / PLACEMENTS; p++) {
			double c0 = cpu_seconds();
			madd_pass(y, x, 1e-3, n);
			double c = cpu_seconds() - c0;
			best = c < best ? c : best;
		}
		volatile double sink = y[n / 2];  /* the passes' result is used */
		(void)sink;
	}
	for (int k = 0; k < PLACEMENTS; k++)
		free(pair[k]);
	return best;
}

/* The step's figures from the phases of the best run (pt), `cells` its
 * firm-market-steps, against `madd_per_double`, CPU seconds of the
 * multiply-add pass per double. */
static void print_step_figures(const phase_times *pt, double wall, double cells, double madd_per_double)
{
	double step = phase_total(pt) / cells, market = market_phase(pt) / cells;
	printf("engine only:            %8.3f s wall %8.3f s CPU  %8.2f ns CPU per firm-market-step (best of 5 runs, step by step)\n",
	       wall, phase_total(pt), 1e9 * step);
	for (int p = 0; p < pt->n; p++)
		printf("  %-20s %8.3f ns CPU per firm-market-step  %5.1f%%\n", pt->name[p], 1e9 * pt->seconds[p] / cells,
		       100.0 * pt->seconds[p] / phase_total(pt));
	printf("market phase:                                %8.3f ns CPU per firm-market-step (prepare + allocate)\n",
	       1e9 * market);
	printf("multiply-add pass:                           %8.3f ns CPU per double (y[i] += a x[i], best of 200)\n",
	       1e9 * madd_per_double);
	printf("step_vs_madd %.2f\n", step / madd_per_double);
	printf("market_vs_madd %.2f\n", market / madd_per_double);
}

/* A step visitor that writes every table's rows to /dev/null (ctx: one
 * ts_csv over it per table): the CSV files' work in the process, the
 * numbers formatted, the rows built and handed to stdio, without the file
 * system's. */
static int rows_to_null(const struct ts_sim *w, const char *date, void *ctx, ts_error *err)
{
	ts_csv *sinks = ctx;
	for (int f = 0; f < ts_n_tables; f++) {
		int rc = ts_table_write(&ts_tables[f], &sinks[f], w, date, -1, err);
		if (rc != TS_OK)
			return rc;
	}
	return TS_OK;
}

/* CPU seconds of a run of s with its rows written to /dev/null (the best
 * of three), or a negative number if /dev/null cannot be opened or a run
 * fails (err says why). */
static double null_sink_seconds(const ts_scenario *s, ts_error *err)
{
	enum { MAX_TABLES = 16 };
	FILE *null = ts_n_tables <= MAX_TABLES ? fopen("/dev/null", "w") : NULL;
	if (!null)
		return -1.0;
	ts_csv sinks[MAX_TABLES];
	double best = INFINITY;
	for (int r = 0; r < 3 && best >= 0.0; r++) {
		for (int f = 0; f < ts_n_tables; f++)
			ts_csv_over(&sinks[f], null);
		double c0 = cpu_seconds();
		int rc = ts_simulate(s, 0, rows_to_null, sinks, err);
		best = rc == TS_OK ? fmin(best, cpu_seconds() - c0) : -1.0;
		for (int f = 0; f < ts_n_tables; f++)
			ts_csv_release(&sinks[f]);
	}
	fclose(null);
	return best;
}

/* Every number the tables write in a run (their NUM columns), in order. */
typedef struct numbers {
	double *v;
	size_t n, cap;
	int failed;  /* out of memory */
} numbers;

/* A step visitor that appends the step's numbers to ctx (a numbers). */
static int collect_numbers(const struct ts_sim *w, const char *date, void *ctx, ts_error *err)
{
	(void)date;
	(void)err;
	numbers *x = ctx;
	for (int f = 0; f < ts_n_tables; f++) {
		const ts_table *t = &ts_tables[f];
		for (int r = 0; r < t->rows(w); r++)
			for (int c = 0; c < t->n_columns; c++) {
				if (t->columns[c].type != TS_COL_NUM)
					continue;
				if (x->n == x->cap) {
					size_t cap = x->cap ? 2 * x->cap : 1 << 16;
					double *v = realloc(x->v, cap * sizeof *v);
					if (!v) {
						x->failed = 1;
						return TS_OK;
					}
					x->v = v;
					x->cap = cap;
				}
				x->v[x->n++] = t->columns[c].num(w, r);
			}
	}
	return TS_OK;
}

static volatile size_t format_sink;

/* CPU seconds to format every number a run of s writes as ts_csv_num()
 * does (the best of three passes), or a negative number on failure; the
 * count of numbers to *count. */
static double format_seconds(const ts_scenario *s, size_t *count, ts_error *err)
{
	numbers x = {0};
	if (ts_simulate(s, 0, collect_numbers, &x, err) != TS_OK || x.failed) {
		free(x.v);
		return -1.0;
	}
	double best = INFINITY;
	size_t bytes = 0;
	for (int r = 0; r < 3; r++) {
		char text[32];
		double c0 = cpu_seconds();
		for (size_t i = 0; i < x.n; i++)
			bytes += x.v[i] == 0.0 ? 1 : isfinite(x.v[i]) ? ts_shortest_format(text, x.v[i]) : 0;
		best = fmin(best, cpu_seconds() - c0);
	}
	format_sink = bytes;  /* the text is used: the passes stay */
	*count = x.n;
	free(x.v);
	return best;
}

/* Loads the synthetic world in the list (list = 1) or group form: wall and
 * CPU seconds of the load into *wall, *cpu. */
static int load_world(ts_scenario **s, int nc, int nf, int ns, int steps, int list, double *wall, double *cpu,
		      ts_error *err)
{
	char *text = synthetic_world(nc, nf, ns, steps, list);
	double t0 = now_seconds(), c0 = cpu_seconds();
	int rc = ts_scenario_load_string(s, text, "synthetic.cfg", NULL, NULL, 0, err);
	*wall = now_seconds() - t0;
	*cpu = cpu_seconds() - c0;
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
#ifdef __GLIBC__
	/* Every run's large arrays mapped afresh, as in a process that makes
	 * one run: glibc otherwise raises its mmap threshold when the first
	 * run's arrays are freed, and the later runs take theirs from the heap
	 * with their pages already touched, so that how many page faults a
	 * run pays (and its peak memory) moves with the order of allocations. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	int nc = 50, nf = 2000, ns = 10, steps = 100;
	if (argc == 5) {
		nc = atoi(argv[1]);
		nf = atoi(argv[2]);
		ns = atoi(argv[3]);
		steps = atoi(argv[4]);
	} else if (argc != 1) {
		fprintf(stderr, "usage: bench_world [countries firms sectors steps]\n");
		return 2;
	}
	gsl_set_error_handler_off();
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	double t_load, c_load;
	if (load_world(&s, nc, nf, ns, steps, 1, &t_load, &c_load, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}

	ts_sim *sim = NULL;
	if (ts_sim_alloc(&sim, s, 1, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	double firm_markets = 0.0;  /* firm x market-segment pairs per step */
	for (int k = 0; k < sim->ns; k++)
		firm_markets += (double)sim->sector_firm_count[k] * sim->sector_mseg_count[k];
	ts_sim_free(sim);
	/* RUNS fresh runs, each phase of each step timed; the best of the runs
	 * step by step and phase by phase, summed over the steps. */
	enum { RUNS = 5 };
	double *by_step = malloc((size_t)steps * MAX_PHASES * sizeof *by_step), t_engine = 0.0;
	if (!by_step) {
		fputs("out of memory\n", stderr);
		return 1;
	}
	for (int x = 0; x < steps * MAX_PHASES; x++)
		by_step[x] = INFINITY;
	phase_times best = {.n = 0};
	for (int r = 0; r < RUNS; r++)
		if (time_run(s, steps, by_step, &best, &t_engine, &err) != TS_OK) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
	for (int p = 0; p < best.n; p++) {
		best.seconds[p] = 0.0;
		for (int t = 0; t < steps; t++)
			best.seconds[p] += by_step[t * MAX_PHASES + p];
	}
	free(by_step);
	t_engine /= RUNS;
	double madd = madd_seconds((size_t)firm_markets, 200);

	char dir[] = "/tmp/tradesim_bench_XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* The run with its files against the same run without them
	 * (ts_simulate): what the CSV costs. Best of three pairs each. */
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	double t_run = INFINITY, c_run = INFINITY, c_sim = INFINITY;
	for (int r = 0; r < 3; r++) {
		double c0 = cpu_seconds();
		if (ts_simulate(s, 0, NULL, NULL, &err) != TS_OK) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		c_sim = fmin(c_sim, cpu_seconds() - c0);
		double t0 = now_seconds();
		c0 = cpu_seconds();
		if (ts_run(s, &o, &err) != TS_OK) {
			fprintf(stderr, "%s\n", err.message);
			return 1;
		}
		t_run = fmin(t_run, now_seconds() - t0);
		c_run = fmin(c_run, cpu_seconds() - c0);
	}
	struct rusage ru;  /* the runs' peak, before the measurements below */
	getrusage(RUSAGE_SELF, &ru);
	double c_null = null_sink_seconds(s, &err);
	if (c_null < 0.0) {
		fprintf(stderr, "rows to /dev/null: %s\n", err.message[0] ? err.message : "cannot open /dev/null");
		return 1;
	}
	size_t n_numbers = 0;
	double c_format = format_seconds(s, &n_numbers, &err);
	if (c_format < 0.0) {
		fprintf(stderr, "the run's numbers: %s\n", err.message[0] ? err.message : "out of memory");
		return 1;
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
	ts_scenario_free(s);

	printf("world: %d countries, %d firms, %d sectors, %d steps (%.0f firm-markets a step)\n",
	       nc, nf, ns, steps, firm_markets);
	printf("load + validate:        %8.3f s wall %8.3f s CPU  (entity tables as lists)\n", t_load, c_load);
	print_step_figures(&best, t_engine, firm_markets * steps, madd / firm_markets);
	printf("run with CSV output:    %8.3f s wall %8.3f s CPU  %8.2f ns CPU per firm-market-step (best of 3)\n",
	       t_run, c_run, 1e9 * c_run / (firm_markets * steps));
	printf("same run, no files:     %8s        %8.3f s CPU  %8.2f ns CPU per firm-market-step (best of 3)\n", "",
	       c_sim, 1e9 * c_sim / (firm_markets * steps));
	printf("CSV output:             %8s        %8.3f s CPU  %8.2f ns CPU per firm-market-step (the difference: "
	       "formatting, writes, scenario.cfg, run.json)\n", "", c_run - c_sim, 1e9 * (c_run - c_sim) / (firm_markets * steps));
	printf("  of which in the process:                %8.3f s CPU  (the same rows to /dev/null: numbers formatted, rows "
	       "built, stdio)\n", c_null - c_sim);
	printf("  of which the file system's:             %8.3f s CPU  (the rest: the kernel's copies into the page cache, "
	       "fsync, scenario.cfg, run.json)\n", c_run - c_null);
	printf("csv_vs_run %.2f\n", (c_run - c_sim) / c_sim);
	printf("number formatting:      %8s        %8.3f s CPU  %8.2f ns CPU per number (the run's %zu numbers, as the "
	       "tables write them; best of 3)\n", "", c_format, 1e9 * c_format / (double)n_numbers, n_numbers);
	printf("format_vs_run %.2f\n", c_format / c_sim);
	printf("peak resident memory:   %8.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
	/* After the memory figure, which is the list-form run's. */
	ts_scenario *g = NULL;
	if (load_world(&g, nc, nf, ns, steps, 0, &t_load, &c_load, &err) != TS_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	ts_scenario_free(g);
	printf("load + validate:        %8.3f s wall %8.3f s CPU  (entity tables as groups: libconfig's "
	       "parser is quadratic in a group's size)\n", t_load, c_load);
	return 0;
}
