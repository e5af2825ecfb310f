/* Replications (ts_ensemble_run, run --reps) and comparisons
 * (ts_compare_run, compare): seeds, the rep column, summaries, -j, common
 * random numbers. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tradesim/ensemble.h>
#include <tradesim/stats.h>
#include <tradesim/version.h>
#include <unistd.h>
#include "output/csv.h"
#include "output/tables.h"
#include "testutil.h"
#include "dir_listing.h"
#include "file_limit.h"
#include "small_world.h"
#include "util/lock.h"

static ts_scenario *scenario;

static int setup(void **state)
{
	(void)state;
	scenario = tu_load(small_world);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_scenario_free(scenario);
	return 0;
}

static void ensemble_into(const char *dir, int reps, int jobs)
{
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.reps = reps;
	o.jobs = jobs;
	if (ts_ensemble_run(scenario, &o, &err) != TS_OK)
		fail_msg("ensemble failed: %s", err.message);
}

static void replications_have_distinct_recorded_seeds_and_a_rep_column(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "reps");
	ensemble_into(dir, 4, 2);
	char *reps = tu_read_in(dir, "reps.csv");
	char expected[256] = "rep,seed\n";
	for (int r = 0; r < 4; r++)
		snprintf(expected + strlen(expected), sizeof expected - strlen(expected), "%d,%lu\n", r,
		         (unsigned long)ts_seed_derive(5, (uint64_t)r));
	assert_string_equal(reps, expected);
	for (int a = 0; a < 4; a++)
		for (int b = a + 1; b < 4; b++)
			assert_true(ts_seed_derive(5, (uint64_t)a) != ts_seed_derive(5, (uint64_t)b));
	char *firms = tu_read_in(dir, "firms.csv");
	assert_true(strncmp(firms, "rep,step,date,firm,country,sector,revenue_bn_usd,", 49) == 0);
	assert_int_equal(tu_count_lines(firms), 1 + 4 * 10 * 4);
	assert_non_null(strstr(firms, "\n3,9,2020Q2,ZTE,CN,phones,"));
	char *events = tu_read_in(dir, "events.csv");
	assert_non_null(strstr(events, "\n2,1,2018Q2,zte_denial,US,ZTE,export_control,start,\n"));
	char *json = tu_read_in(dir, "run.json");
	assert_non_null(strstr(json, "\"reps\": 4,"));
	assert_non_null(strstr(json, "\"base_seed\": 5,"));
	free(reps);
	free(firms);
	free(events);
	free(json);
}

/* revenue_bn_usd of `firm` at `step` in each replication, from firms.csv. */
static int revenues(const char *firms, const char *firm, int step, double *out)
{
	int n = 0;
	for (const char *line = strchr(firms, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		int rep, s;
		char name[32];
		double revenue;
		if (sscanf(line + 1, "%d,%d,%*[^,],%31[^,],%*[^,],%*[^,],%lf", &rep, &s, name, &revenue) == 4 &&
		    s == step && strcmp(name, firm) == 0)
			out[n++] = revenue;
	}
	return n;
}

static void summaries_equal_a_direct_computation(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "summary");
	ensemble_into(dir, 5, 1);
	char *firms = tu_read_in(dir, "firms.csv"), *summary = tu_read_in(dir, "summary_firms.csv");
	assert_true(strncmp(summary, "step,date,firm,metric,n,mean,sd,q05,q50,q95\n", 44) == 0);
	double x[8];
	assert_int_equal(revenues(firms, "S", 9, x), 5);
	double mean = 0, ss = 0;
	for (int i = 0; i < 5; i++)
		mean += x[i] / 5;
	for (int i = 0; i < 5; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	const char *row = strstr(summary, "\n9,2020Q2,S,revenue_bn_usd,");
	assert_non_null(row);
	int n;
	double m, sd, q05, q50, q95;
	assert_int_equal(sscanf(row + strlen("\n9,2020Q2,S,revenue_bn_usd,"), "%d,%lf,%lf,%lf,%lf,%lf", &n, &m, &sd, &q05,
	                        &q50, &q95), 6);
	assert_int_equal(n, 5);
	assert_double_equal(m, mean, 1e-12 * fabs(mean));
	assert_double_equal(sd, sqrt(ss / 4), 1e-9 * sqrt(ss / 4) + 1e-15);
	double lo = x[0], hi = x[0];
	for (int i = 1; i < 5; i++) {
		lo = fmin(lo, x[i]);
		hi = fmax(hi, x[i]);
	}
	assert_true(q05 >= lo - 1e-12 && q95 <= hi + 1e-12 && q05 <= q50 && q50 <= q95);
	/* One row per step, firm and numeric column (the text column `node` is not summarized). */
	int numeric = 0;
	const ts_table *t = ts_table_find("firms");
	for (int c = t->n_keys; c < t->n_columns; c++)
		numeric += t->columns[c].type != TS_COL_TEXT;
	assert_int_equal(numeric, 17);
	assert_int_equal(tu_count_lines(summary), 1 + 10 * 4 * numeric);
	free(firms);
	free(summary);
}

static void ensemble_blocks_into(const char *dir, int reps, int jobs, size_t block_values)
{
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.reps = reps;
	o.jobs = jobs;
	o.summary_block_values = block_values;
	if (ts_ensemble_run(scenario, &o, &err) != TS_OK)
		fail_msg("ensemble failed: %s", err.message);
}

/* The fields of one CSV line (no quoting in these tables), cut in place. */
static int split_fields(char *line, char **fields, int max)
{
	int n = 0;
	for (char *p = line; n < max; p++) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p = '\0';
	}
	return n;
}

static void append_num(char **text, size_t *len, size_t *cap, const char *format, ...)
{
	char piece[512];
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(piece, sizeof piece, format, ap);
	va_end(ap);
	if (*len + (size_t)n + 1 > *cap) {
		*cap = 2 * (*cap + (size_t)n + 1);
		*text = realloc(*text, *cap);
		assert_non_null(*text);
	}
	memcpy(*text + *len, piece, (size_t)n + 1);
	*len += (size_t)n;
}

static const char *num_text(char *buf, double v)
{
	ts_format_double(buf, 32, v);
	return buf;
}

/* summary_<table>.csv as it should be, computed directly from the joined
 * table of `reps` replications: every cell's values over the replications
 * (empty cells as NaN), ts_summarize, one row per step, entity and numeric
 * column. Caller frees. */
static char *summary_from_rows(const char *dir, const char *table, int reps, int steps)
{
	const ts_table *t = ts_table_find(table);
	char name[64];
	snprintf(name, sizeof name, "%s.csv", table);
	char *rows = tu_read_in(dir, name);
	int lines = tu_count_lines(rows) - 1, per_step = lines / (reps * steps);
	assert_int_equal(per_step * reps * steps, lines);
	char ***cells = calloc((size_t)lines, sizeof *cells);  /* [(rep * steps + step) * per_step + row] */
	char *line = strchr(rows, '\n') + 1;
	for (int i = 0; i < lines; i++) {
		char *end = strchr(line, '\n');
		*end = '\0';
		cells[i] = calloc(3 + (size_t)t->n_columns, sizeof **cells);
		assert_int_equal(split_fields(line, cells[i], 3 + t->n_columns), 3 + t->n_columns);
		line = end + 1;
	}
	size_t len = 0, cap = 0;
	char *text = NULL, b[5][32];
	append_num(&text, &len, &cap, "step,date");
	for (int k = 0; k < t->n_keys; k++)
		append_num(&text, &len, &cap, ",%s", t->columns[k].name);
	append_num(&text, &len, &cap, ",metric,n,mean,sd,q05,q50,q95\n");
	double *x = malloc((size_t)reps * sizeof *x);
	for (int step = 0; step < steps; step++)
		for (int r = 0; r < per_step; r++)
			for (int c = 0; c < t->n_columns; c++) {
				if (t->columns[c].type == TS_COL_TEXT)
					continue;
				char **first = cells[step * per_step + r];
				append_num(&text, &len, &cap, "%s,%s", first[1], first[2]);
				for (int k = 0; k < t->n_keys; k++)
					append_num(&text, &len, &cap, ",%s", first[3 + k]);
				for (int q = 0; q < reps; q++) {
					const char *v = cells[(q * steps + step) * per_step + r][3 + c];
					x[q] = *v ? strtod(v, NULL) : NAN;
				}
				ts_summary sm;
				ts_summarize(x, (size_t)reps, &sm);
				append_num(&text, &len, &cap, ",%s,%zu,%s,%s,%s,%s,%s\n", t->columns[c].name, sm.n,
				           num_text(b[0], sm.mean), num_text(b[1], sm.sd), num_text(b[2], sm.q05),
				           num_text(b[3], sm.q50), num_text(b[4], sm.q95));
			}
	for (int i = 0; i < lines; i++)
		free(cells[i]);
	free(cells);
	free(x);
	free(rows);
	return text;
}

/* The summaries are read back from disk a block of cells at a time (here
 * 3 values of every replication: blocks that straddle entities and steps);
 * every row of every summary equals the direct computation from the rows
 * of the tables, byte for byte. */
static void every_summary_row_is_the_summary_of_its_cell_in_the_tables(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "summary_rows");
	ensemble_blocks_into(dir, 5, 2, 3 * 5);
	const char *tables[] = {"countries", "firms", "markets", "relations"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "summary_%s.csv", tables[i]);
		char *expected = summary_from_rows(dir, tables[i], 5, 10), *got = tu_read_in(dir, name);
		assert_string_equal(got, expected);
		free(expected);
		free(got);
	}
}

/* Blocks of one value per replication, of a few, and the default: the same
 * bytes in every file of replications and of a comparison. */
static void the_summary_block_size_changes_no_byte(void **state)
{
	(void)state;
	const size_t blocks[] = {0, 1, 7 * 6};
	const char *files[] = {"countries.csv", "firms.csv", "markets.csv", "relations.csv", "events.csv",
	                       "summary_countries.csv", "summary_firms.csv", "summary_markets.csv",
	                       "summary_relations.csv", "compare_firms.csv", "compare_markets.csv"};
	char first[256];
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		char dir[256], name[32];
		snprintf(name, sizeof name, "blocks_%zu", i);
		tu_make_dir(dir, sizeof dir, name);
		if (i == 0)
			strcpy(first, dir);
		ensemble_blocks_into(dir, 6, 2, blocks[i]);
		char cdir[300];
		snprintf(cdir, sizeof cdir, "%s/compare", dir);
		ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
		o.output_dir = cdir;
		o.reps = 6;
		o.summary_block_values = blocks[i];
		ts_error err = TS_ERROR_INIT;
		assert_int_equal(ts_compare_run(scenario, scenario, &o, &err), TS_OK);
		for (size_t f = 0; i > 0 && f < sizeof files / sizeof files[0]; f++) {
			int cmp = strncmp(files[f], "compare", 7) == 0;
			char a[320], b[320];
			snprintf(a, sizeof a, "%s%s", first, cmp ? "/compare" : "");
			snprintf(b, sizeof b, "%s%s", dir, cmp ? "/compare" : "");
			char *x = tu_read_in(a, files[f]), *y = tu_read_in(b, files[f]);
			assert_string_equal(x, y);
			free(x);
			free(y);
		}
	}
}

static void jobs_do_not_change_a_byte(void **state)
{
	(void)state;
	char a[256], b[256];
	tu_make_dir(a, sizeof a, "jobs1");
	tu_make_dir(b, sizeof b, "jobs3");
	ensemble_into(a, 6, 1);
	ensemble_into(b, 6, 3);
	const char *files[] = {"countries.csv", "firms.csv", "markets.csv", "events.csv", "reps.csv",
	                       "summary_countries.csv", "summary_firms.csv", "summary_markets.csv", "run.json"};
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char *x = tu_read_in(a, files[f]), *y = tu_read_in(b, files[f]);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
}

/* diff_sd of firm S's revenue at the last step, from compare_firms.csv. */
static double diff_sd(const char *dir)
{
	char *text = tu_read_in(dir, "compare_firms.csv");
	const char *header = "step,date,firm,metric,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi\n";
	assert_true(strncmp(text, header, strlen(header)) == 0);
	const char *row = strstr(text, "\n9,2020Q2,S,revenue_bn_usd,");
	assert_non_null(row);
	double mean_a, mean_b, mean, sd, lo, hi;
	int n;
	assert_int_equal(sscanf(row + strlen("\n9,2020Q2,S,revenue_bn_usd,"), "%d,%lf,%lf,%lf,%lf,%lf,%lf", &n, &mean_a,
	                        &mean_b, &mean, &sd, &lo, &hi), 7);
	assert_int_equal(n, 40);
	assert_true(lo <= mean && mean <= hi);
	free(text);
	return sd;
}

static void common_random_numbers_shrink_the_variance_of_the_difference(void **state)
{
	(void)state;
	/* B: the export control on ZTE lasts a year longer. */
	ts_override ov = {"measures.zte_denial.end", "\"2019Q3\""};
	ts_scenario *b = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load_string(&b, small_world, "b.cfg", NULL, &ov, 1, &err), TS_OK);
	char crn[256], ind[256];
	tu_make_dir(crn, sizeof crn, "crn");
	tu_make_dir(ind, sizeof ind, "independent");
	ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
	o.reps = 40;
	o.output_dir = crn;
	assert_int_equal(ts_compare_run(scenario, b, &o, &err), TS_OK);
	o.output_dir = ind;
	o.independent = 1;
	assert_int_equal(ts_compare_run(scenario, b, &o, &err), TS_OK);
	double sd_crn = diff_sd(crn), sd_ind = diff_sd(ind);
	print_message("diff sd: CRN %g, independent %g\n", sd_crn, sd_ind);
	assert_true(sd_crn * sd_crn < 0.25 * sd_ind * sd_ind);
	char *reps = tu_read_in(crn, "reps.csv");
	assert_true(strncmp(reps, "rep,seed_a,seed_b\n", 18) == 0);
	free(reps);
	ts_scenario_free(b);
}

static void cli_replications_and_compare(void **state)
{
	(void)state;
	tu_write_file("batch.cfg", small_world);
	char dir[256];
	tu_make_dir(dir, sizeof dir, "cli_reps");
	assert_int_equal(tu_cli(NULL, "run batch.cfg --reps 3 -j 2 --seed 11 -o %s >/dev/null", dir), 0);
	char *reps = tu_read_in(dir, "reps.csv");
	assert_int_equal(tu_count_lines(reps), 4);
	free(reps);
	tu_make_dir(dir, sizeof dir, "cli_compare");
	assert_int_equal(tu_cli(NULL, "compare batch.cfg batch.cfg --reps 3 -o %s --set run.steps=7 >/dev/null", dir), 0);
	char *cmp = tu_read_in(dir, "compare_countries.csv");
	/* A against itself: every difference is exactly zero. */
	assert_non_null(strstr(cmp, "\n3,2018Q4,CN,price_index,3,"));
	assert_non_null(strstr(cmp, ",0,0,0,0\n"));
	free(cmp);
	struct { const char *args, *message; } cases[] = {
		{"run batch.cfg --reps 0", "--reps must be"},
		{"run batch.cfg -j 2", "-j needs --reps"},
		{"compare batch.cfg", "missing scenario B.cfg"},
		{"compare batch.cfg batch.cfg --reps x", "--reps must be"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		tu_expect_cli_refusal(cases[i].args, cases[i].message);
}

static int compare_into(const char *dir, int reps, volatile sig_atomic_t *cancel, ts_error *err)
{
	ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = reps;
	o.cancel = cancel;
	return ts_compare_run(scenario, scenario, &o, err);
}

static void expect_entries(const char *dir, const char *expected)
{
	char left[2048];
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, expected);
}

/* Replications into a comparison's directory are refused, saying what is
 * there (compare_*.csv would sit beside the new summaries); with force,
 * the comparison's files go and the replications' come. */
static void replications_over_a_comparison_are_refused_unless_forced(void **state)
{
	(void)state;
	char dir[256], expected[1024];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "reps_over_compare");
	assert_int_equal(compare_into(dir, 2, NULL, &err), TS_OK);
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = 2;
	assert_int_equal(ts_ensemble_run(scenario, &o, &err), TS_EINPUT);
	snprintf(expected, sizeof expected, "%s holds a comparison of test.cfg and test.cfg (run.json); use --force to "
	         "replace it or another -o", dir);
	assert_string_equal(err.message, expected);
	expect_entries(dir, "compare_countries.csv compare_firms.csv compare_markets.csv compare_relations.csv "
	                    "compare_totals.csv events_a.csv events_b.csv reps.csv run.json");
	o.force = 1;
	ts_error_clear(&err);
	assert_int_equal(ts_ensemble_run(scenario, &o, &err), TS_OK);
	expect_entries(dir, "countries.csv events.csv firms.csv markets.csv relations.csv reps.csv run.json scenario.cfg "
	                    "summary_countries.csv summary_firms.csv summary_markets.csv summary_relations.csv");
	char *reps = tu_read_in(dir, "reps.csv");
	assert_true(strncmp(reps, "rep,seed\n", 9) == 0);  /* the replications' */
	free(reps);
}

/* A comparison over a single run is refused; forced, the run's tables and
 * scenario.cfg go. A comparison of other scenarios over a comparison is
 * refused naming both pairs; of the same ones, it replaces it. */
static void a_comparison_over_a_run_or_another_comparison_is_refused_unless_forced(void **state)
{
	(void)state;
	char dir[256], expected[1024];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "compare_over_run");
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	assert_int_equal(ts_run(scenario, &o, &err), TS_OK);
	assert_int_equal(compare_into(dir, 2, NULL, &err), TS_EINPUT);
	snprintf(expected, sizeof expected, "%s holds a run of test.cfg (run.json); use --force to replace it or "
	         "another -o", dir);
	assert_string_equal(err.message, expected);
	ts_compare_options co = TS_COMPARE_OPTIONS_INIT;
	co.output_dir = dir;
	co.reps = 2;
	co.force = 1;
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, scenario, &co, &err), TS_OK);
	expect_entries(dir, "compare_countries.csv compare_firms.csv compare_markets.csv compare_relations.csv "
	                    "compare_totals.csv events_a.csv events_b.csv reps.csv run.json");
	assert_int_equal(compare_into(dir, 3, NULL, &err), TS_OK);  /* the same pair: replaced */
	ts_scenario *b = tu_load(small_world);  /* named test.cfg too: another name, below */
	ts_scenario *other = NULL;
	assert_int_equal(ts_scenario_load_string(&other, small_world, "other.cfg", NULL, NULL, 0, &err), TS_OK);
	co.force = 0;
	assert_int_equal(ts_compare_run(scenario, other, &co, &err), TS_EINPUT);
	snprintf(expected, sizeof expected, "%s holds a comparison of test.cfg and test.cfg (run.json), not of test.cfg "
	         "and other.cfg; use --force to replace it or another -o", dir);
	assert_string_equal(err.message, expected);
	ts_scenario_free(other);
	ts_scenario_free(b);
}

static void replications_and_comparisons_into_a_held_directory_are_refused(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "batch_held");
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_OK);
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = 2;
	assert_int_equal(ts_ensemble_run(scenario, &o, &err), TS_EBUSY);
	assert_non_null(strstr(err.message, "in use by another tradesim process"));
	ts_error_clear(&err);
	assert_int_equal(compare_into(dir, 2, NULL, &err), TS_EBUSY);
	ts_dir_lock_release(&lock);
	expect_entries(dir, "");
}

/* Set before the call, the cancel flag stops every replication before its
 * first step: TS_ECANCELED, and not even a replication's temporary stays. */
static void replications_and_comparisons_asked_to_stop_write_nothing(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "batch_canceled");
	volatile sig_atomic_t stop = 1;
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = 3;
	o.jobs = 2;
	o.cancel = &stop;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_ensemble_run(scenario, &o, &err), TS_ECANCELED);
	assert_string_equal(err.message, "interrupted before step 0; nothing was written");  /* not after the runs */
	expect_entries(dir, "");
	ts_error_clear(&err);
	assert_int_equal(compare_into(dir, 3, &stop, &err), TS_ECANCELED);
	assert_string_equal(err.message, "interrupted before step 0; nothing was written");
	expect_entries(dir, "");
}

/* small_world with `find` replaced by `replace` (every occurrence, up to
 * four), loaded as scenario B. */
static ts_scenario *variant(const char *find, const char *replace, const char *find2, const char *replace2)
{
	char text[4096] = "";
	const char *p = small_world;
	for (const char *at; (at = strstr(p, find)) != NULL; p = at + strlen(find)) {
		strncat(text, p, (size_t)(at - p));
		strcat(text, replace);
	}
	strcat(text, p);
	if (find2) {
		char *at = strstr(text, find2);
		assert_non_null(at);
		char rest[4096];
		strcpy(rest, at + strlen(find2));
		strcpy(at, replace2);
		strcat(text, rest);
	}
	return tu_load(text);
}

/* run.json of replications, whole: what a reader needs to rerun them. */
static void replications_record_scenario_seeds_overrides_and_command_in_run_json(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "reps_json");
	ts_override ov = {"run.seed", "5"};
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.reps = 3;
	o.base_seed = 77;
	o.overrides = &ov;
	o.n_overrides = 1;
	o.command_line = "tradesim run x.cfg --reps 3";
	assert_int_equal(ts_ensemble_run(scenario, &o, &err), TS_OK);
	char expected[2048];
	snprintf(expected, sizeof expected,
	         "{\n  \"tradesim_version\": \"%s\",\n  \"kind\": \"replications\",\n  \"scenario\": \"%s\",\n"
	         "  \"scenario_sha256\": \"%s\",\n"
	         "  \"steps\": 10,\n  \"reps\": 3,\n  \"base_seed\": 77,\n  \"seeds\": [%lu, %lu, %lu],\n"
	         "  \"overrides\": [\n    {\"path\": \"run.seed\", \"value\": \"5\"}\n  ],\n"
	         "  \"command_line\": \"tradesim run x.cfg --reps 3\",\n"
	         "  \"files\": [\"countries.csv\", \"firms.csv\", \"markets.csv\", \"relations.csv\", \"events.csv\", "
	         "\"summary_countries.csv\", \"summary_firms.csv\", \"summary_markets.csv\", "
	         "\"summary_relations.csv\", \"reps.csv\", \"scenario.cfg\", \"run.json\"]\n}\n",
	         TS_VERSION_STRING, ts_scenario_path(scenario), ts_scenario_hash(scenario),
	         (unsigned long)ts_seed_derive(77, 0), (unsigned long)ts_seed_derive(77, 1),
	         (unsigned long)ts_seed_derive(77, 2));
	char *json = tu_read_in(dir, "run.json");
	assert_string_equal(json, expected);
	free(json);
}

/* With independent seeds B's replication r takes index reps + r; run.json
 * and reps.csv say so, with both scenarios and their hashes. */
static void a_comparison_records_both_scenarios_and_both_seed_lists(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "compare_json");
	ts_scenario *b = variant("capacity = 300.0", "capacity = 290.0", NULL, NULL);
	ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.reps = 2;
	o.independent = 1;
	o.command_line = "tradesim compare";
	assert_int_equal(ts_compare_run(scenario, b, &o, &err), TS_OK);
	unsigned long a0 = ts_seed_derive(5, 0), a1 = ts_seed_derive(5, 1);
	unsigned long b0 = ts_seed_derive(5, 2), b1 = ts_seed_derive(5, 3);
	char expected[2048];
	snprintf(expected, sizeof expected,
	         "{\n  \"tradesim_version\": \"%s\",\n  \"kind\": \"comparison\",\n  \"scenario_a\": \"%s\",\n"
	         "  \"scenario_a_sha256\": \"%s\",\n"
	         "  \"scenario_b\": \"%s\",\n  \"scenario_b_sha256\": \"%s\",\n"
	         "  \"steps\": 10,\n  \"reps\": 2,\n  \"base_seed\": 5,\n  \"seeds\": [%lu, %lu],\n"
	         "  \"seeds_b\": [%lu, %lu],\n  \"overrides\": [],\n  \"command_line\": \"tradesim compare\",\n"
	         "  \"files\": [\"events_a.csv\", \"events_b.csv\", \"compare_countries.csv\", \"compare_firms.csv\", "
	         "\"compare_markets.csv\", \"compare_relations.csv\", \"compare_totals.csv\", \"reps.csv\", \"run.json\"]\n}\n",
	         TS_VERSION_STRING, ts_scenario_path(scenario), ts_scenario_hash(scenario), ts_scenario_path(b),
	         ts_scenario_hash(b), a0, a1, b0, b1);
	char *json = tu_read_in(dir, "run.json");
	assert_string_equal(json, expected);
	free(json);
	snprintf(expected, sizeof expected, "rep,seed_a,seed_b\n0,%lu,%lu\n1,%lu,%lu\n", a0, b0, a1, b1);
	char *reps = tu_read_in(dir, "reps.csv");
	assert_string_equal(reps, expected);
	free(reps);
	ts_scenario_free(b);
}

/* The row of ZTE's revenue at step 3 in compare_firms.csv. */
static void compare_row(const char *dir, int *n, double v[6])
{
	char *text = tu_read_in(dir, "compare_firms.csv");
	const char *row = strstr(text, "\n3,2018Q4,ZTE,revenue_bn_usd,");
	assert_non_null(row);
	assert_int_equal(sscanf(row + strlen("\n3,2018Q4,ZTE,revenue_bn_usd,"), "%d,%lf,%lf,%lf,%lf,%lf,%lf", n, &v[0],
	                        &v[1], &v[2], &v[3], &v[4], &v[5]), 7);
	free(text);
}

/* Replication r of A and of B in a comparison run with seed
 * ts_seed_derive(base, r), as replication r of an ensemble does: so the
 * ensembles' firms.csv give each difference, and the columns follow by hand.
 * diff_lo, diff_hi = mean -+ t sd / sqrt(n), with t the quantile
 * p = (1 + confidence) / 2 of Student's t with n - 1 = 4 degrees of freedom,
 * which has a closed form (Shaw 2006, J. Comput. Finance 9(4):37-73):
 * t = 2 sqrt(q - 1), q = cos(arccos(sqrt(a)) / 3) / sqrt(a), a = 4p(1 - p);
 * 2.7764 at 0.95 and 2.1318 at 0.9, as printed tables give. */
static double student_t4_quantile(double p)
{
	double a = 4.0 * p * (1.0 - p), q = cos(acos(sqrt(a)) / 3.0) / sqrt(a);
	return 2.0 * sqrt(q - 1.0);
}

/* Student's t with one degree of freedom is Cauchy's law: its quantile is
 * tan(pi (p - 1/2)); 12.7062 at 0.975, as printed tables give. */
static double student_t1_quantile(double p)
{
	return tan(3.14159265358979323846 * (p - 0.5));
}

/* B, the small world whose control on ZTE ends in 2019Q3, and `reps`
 * replications of A (into dirs "<name>_a") and of B ("<name>_b") with the
 * seeds a comparison gives them (base 5, the small world's seed). */
static ts_scenario *ensembles_of_a_and_b(char *ea, char *eb, size_t size, int reps, const char *name)
{
	ts_override ov = {"measures.zte_denial.end", "\"2019Q3\""};
	ts_scenario *b = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load_string(&b, small_world, "b.cfg", NULL, &ov, 1, &err), TS_OK);
	char sub[256];
	snprintf(sub, sizeof sub, "%s_a", name);
	tu_make_dir(ea, size, sub);
	snprintf(sub, sizeof sub, "%s_b", name);
	tu_make_dir(eb, size, sub);
	ensemble_into(ea, reps, 1);
	ts_ensemble_options eo = TS_ENSEMBLE_OPTIONS_INIT;
	eo.output_dir = eb;
	eo.reps = reps;
	eo.base_seed = 5;
	assert_int_equal(ts_ensemble_run(b, &eo, &err), TS_OK);
	return b;
}

/* Means of xa and xb, of the differences xb - xa, and their sd, by hand. */
typedef struct paired {
	double mean_a, mean_b, mean, sd;
} paired;

static paired paired_stats(const double *xa, const double *xb, int reps)
{
	paired p = {0, 0, 0, 0};
	double ss = 0;
	for (int r = 0; r < reps; r++) {
		p.mean_a += xa[r] / reps;
		p.mean_b += xb[r] / reps;
		p.mean += (xb[r] - xa[r]) / reps;
	}
	for (int r = 0; r < reps; r++)
		ss += (xb[r] - xa[r] - p.mean) * (xb[r] - xa[r] - p.mean);
	p.sd = sqrt(ss / (reps - 1));
	return p;
}

/* Compares the small world with a variant whose control on ZTE ends in
 * 2019Q3 over `reps` replications and checks ZTE's revenue at step 3
 * against the two ensembles' own differences, the interval with t_quantile
 * (that of Student's t with reps - 1 degrees of freedom). */
static void compare_against_the_ensembles(int reps, double (*t_quantile)(double p), const char *name)
{
	char ea[256], eb[256], cmp[256];
	ts_error err = TS_ERROR_INIT;
	ts_scenario *b = ensembles_of_a_and_b(ea, eb, sizeof ea, reps, name);
	char *fa = tu_read_in(ea, "firms.csv"), *fb = tu_read_in(eb, "firms.csv");
	double xa[8], xb[8];
	assert_true(reps >= 2 && reps <= 8);
	assert_int_equal(revenues(fa, "ZTE", 3, xa), reps);  /* B's export control still holds at step 3 */
	assert_int_equal(revenues(fb, "ZTE", 3, xb), reps);
	free(fa);
	free(fb);
	paired p = paired_stats(xa, xb, reps);
	double mean_a = p.mean_a, mean_b = p.mean_b, mean = p.mean, sd = p.sd;
	assert_true(sd > 0.0);
	const double confidence[2] = {0.95, 0.9};
	for (int k = 0; k < 2; k++) {
		char sub[64];
		snprintf(sub, sizeof sub, "%s_%s", name, k ? "90" : "95");
		tu_make_dir(cmp, sizeof cmp, sub);
		ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
		o.output_dir = cmp;
		o.reps = reps;
		o.confidence = confidence[k];
		assert_int_equal(ts_compare_run(scenario, b, &o, &err), TS_OK);
		int n = 0;
		double v[6];
		compare_row(cmp, &n, v);
		double scale = fabs(mean_a) + fabs(mean_b);
		assert_int_equal(n, reps);
		assert_double_equal(v[0], mean_a, 1e-12 * scale);
		assert_double_equal(v[1], mean_b, 1e-12 * scale);
		assert_double_equal(v[2], mean, 1e-12 * scale);
		assert_double_equal(v[3], sd, 1e-9 * sd);
		double half = t_quantile((1.0 + confidence[k]) / 2.0) * sd / sqrt((double)reps);
		assert_double_equal(v[4], mean - half, 1e-9 * half + 1e-12 * scale);
		assert_double_equal(v[5], mean + half, 1e-9 * half + 1e-12 * scale);
	}
	ts_scenario_free(b);
}

static void compare_columns_are_the_means_and_t_interval_of_the_differences(void **state)
{
	(void)state;
	assert_double_equal(student_t4_quantile(0.975), 2.7764, 1e-4);
	assert_double_equal(student_t4_quantile(0.95), 2.1318, 1e-4);
	compare_against_the_ensembles(5, student_t4_quantile, "compare_known");
}

/* Two replications are the fewest with a spread: the interval is there,
 * wide (t = 12.7 at 95%). */
static void a_comparison_of_two_replications_has_an_interval(void **state)
{
	(void)state;
	assert_double_equal(student_t1_quantile(0.975), 12.7062, 1e-4);
	compare_against_the_ensembles(2, student_t1_quantile, "compare_two");
}

/* One replication has no spread: the interval is empty cells. */
static void a_comparison_of_one_replication_has_no_interval(void **state)
{
	(void)state;
	char dir[256];
	ts_error err = TS_ERROR_INIT;
	tu_make_dir(dir, sizeof dir, "compare_one");
	assert_int_equal(compare_into(dir, 1, NULL, &err), TS_OK);
	char *text = tu_read_in(dir, "compare_firms.csv");
	const char *row = strstr(text, "\n9,2020Q2,S,revenue_bn_usd,1,");
	assert_non_null(row);
	const char *end = strchr(row + 1, '\n');
	assert_non_null(end);
	assert_true(end - row > 5 && strncmp(end - 5, ",0,,,\n", 6) == 0);  /* diff 0, then no sd, lo, hi */
	free(text);
}

/* The row of compare_totals.csv that starts with `total`: n and the six
 * numbers after its unit, which must be `unit`. */
static void totals_row(const char *dir, const char *total, const char *unit, int *n, double v[6])
{
	char *text = tu_read_in(dir, "compare_totals.csv"), head[512];
	assert_true(strncmp(text, "total,unit,n,mean_a,mean_b,diff_mean,diff_sd,diff_lo,diff_hi\n", 61) == 0);
	snprintf(head, sizeof head, "\n%s,%s,", total, unit);
	const char *row = strstr(text, head);
	if (!row)
		fail_msg("no row %s in %s", head + 1, text);
	assert_int_equal(sscanf(row + strlen(head), "%d,%lf,%lf,%lf,%lf,%lf,%lf", n, &v[0], &v[1], &v[2], &v[3], &v[4],
	                        &v[5]), 7);
	free(text);
}

/* Totals by hand from the two ensembles with the comparison's seeds (see
 * compare_against_the_ensembles): ZTE's revenue summed over 2018Q2 ..
 * 2018Q4 (steps 1 .. 3) in each replication, per year over those 0.75
 * years; the differences' mean, sd and t interval (5 replications: 4
 * degrees of freedom). Each side's events are its ensemble's events.csv,
 * byte for byte, and -j changes no byte of either. */
static void compare_totals_are_the_differences_of_each_replication_s_totals(void **state)
{
	(void)state;
	enum { REPS = 5 };
	ts_error err = TS_ERROR_INIT;
	char ea[256], eb[256], cmp[256], cmp3[256];
	ts_scenario *b = ensembles_of_a_and_b(ea, eb, sizeof ea, REPS, "totals");
	tu_make_dir(cmp, sizeof cmp, "totals_cmp");
	tu_make_dir(cmp3, sizeof cmp3, "totals_cmp3");
	char *fa = tu_read_in(ea, "firms.csv"), *fb = tu_read_in(eb, "firms.csv");
	double ta[REPS] = {0}, tb[REPS] = {0}, x[8];
	for (int step = 1; step <= 3; step++) {
		assert_int_equal(revenues(fa, "ZTE", step, x), REPS);
		for (int r = 0; r < REPS; r++)
			ta[r] += x[r];
		assert_int_equal(revenues(fb, "ZTE", step, x), REPS);
		for (int r = 0; r < REPS; r++)
			tb[r] += x[r];
	}
	free(fa);
	free(fb);
	paired p = paired_stats(ta, tb, REPS);
	double mean_a = p.mean_a, mean_b = p.mean_b, mean = p.mean, sd = p.sd;
	double half = student_t4_quantile(0.975) * sd / sqrt(REPS);
	assert_true(sd > 0.0 && mean < 0.0);  /* B's control ends later: ZTE loses revenue */
	const char *totals[] = {"sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4",
	                        "annualise:sum:firms.ZTE.revenue_bn_usd:2018Q2:2018Q4"};
	for (int j = 0; j < 2; j++) {
		ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
		o.output_dir = j ? cmp3 : cmp;
		o.reps = REPS;
		o.jobs = j ? 3 : 1;
		o.totals = totals;
		o.n_totals = 2;
		assert_int_equal(ts_compare_run(scenario, b, &o, &err), TS_OK);
	}
	for (int k = 0; k < 2; k++) {
		double per = k ? 0.75 : 1.0, scale = (fabs(mean_a) + fabs(mean_b)) / per, v[6];
		int n = 0;
		totals_row(cmp, totals[k], k ? "bn_usd_per_year" : "bn_usd", &n, v);
		assert_int_equal(n, REPS);
		assert_double_equal(v[0], mean_a / per, 1e-12 * scale);
		assert_double_equal(v[1], mean_b / per, 1e-12 * scale);
		assert_double_equal(v[2], mean / per, 1e-12 * scale);
		assert_double_equal(v[3], sd / per, 1e-9 * sd / per);
		assert_double_equal(v[4], (mean - half) / per, 1e-9 * half / per + 1e-12 * scale);
		assert_double_equal(v[5], (mean + half) / per, 1e-9 * half / per + 1e-12 * scale);
	}
	const char *same[][2] = {{"events_a.csv", "events.csv"}, {"events_b.csv", "events.csv"}};
	for (int side = 0; side < 2; side++) {
		char *got = tu_read_in(cmp, same[side][0]), *want = tu_read_in(side ? eb : ea, same[side][1]);
		char *other = tu_read_in(cmp3, same[side][0]);
		assert_string_equal(got, want);
		assert_string_equal(other, got);
		free(got);
		free(want);
		free(other);
	}
	char *x1 = tu_read_in(cmp, "compare_totals.csv"), *x3 = tu_read_in(cmp3, "compare_totals.csv");
	assert_string_equal(x1, x3);
	free(x1);
	free(x3);
	ts_scenario_free(b);
}

/* A total reads each side's own measures by id: B lists the small world's
 * measures the other way round, and zte_denial starts at step 1 on both
 * sides (the same seeds: no spread). */
static void a_total_finds_a_measure_by_its_id_on_each_side(void **state)
{
	(void)state;
	const char *first = strstr(small_world, "  zte_denial = {"), *second = strstr(small_world, "  state_ban = {");
	const char *end = strstr(second, "};\n") + 3;
	assert_true(first && second && first < second);
	char text[4096];
	snprintf(text, sizeof text, "%.*s%.*s%.*s%s", (int)(first - small_world), small_world, (int)(end - second), second,
	         (int)(second - first), first, end);
	ts_scenario *b = tu_load(text);
	char dir[256];
	tu_make_dir(dir, sizeof dir, "total_by_id");
	const char *totals[] = {"first_start:zte_denial", "first_start:state_ban"};
	ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.reps = 2;
	o.totals = totals;
	o.n_totals = 2;
	assert_int_equal(ts_compare_run(scenario, b, &o, &err), TS_OK);
	char *csv = tu_read_in(dir, "compare_totals.csv");
	assert_non_null(strstr(csv, "\nfirst_start:zte_denial,step,2,1,1,0,0,0,0\n"));
	assert_non_null(strstr(csv, "\nfirst_start:state_ban,step,2,6,6,0,0,0,0\n"));
	free(csv);
	ts_scenario_free(b);
}

/* A total that is not one is refused before anything runs, quoting it. */
static void a_bad_total_is_refused_quoting_it(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"sum:firms.ZTF.revenue_bn_usd", "total 'sum:firms.ZTF.revenue_bn_usd': 'firms.ZTF.revenue_bn_usd': no firm "
		 "'ZTF' in test.cfg (did you mean 'ZTE'?)"},
		{"sum:firms.ZTE.revenue_bn_usd:2031", "total 'sum:firms.ZTE.revenue_bn_usd:2031': '2031' is outside the run"},
		{"diff:sum:firms.ZTE.revenue_bn_usd", "total 'diff:sum:firms.ZTE.revenue_bn_usd': diff: is for sweeps"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char dir[256];
		tu_make_dir(dir, sizeof dir, "bad_total");
		ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
		ts_error err = TS_ERROR_INIT;
		o.output_dir = dir;
		o.reps = 2;
		o.totals = &cases[k][0];
		o.n_totals = 1;
		assert_int_equal(ts_compare_run(scenario, scenario, &o, &err), TS_EINPUT);
		if (!strstr(err.message, cases[k][1]))
			fail_msg("case %zu: expected \"%s\" in \"%s\"", k, cases[k][1], err.message);
		expect_entries(dir, "");
	}
}

static void replications_and_comparisons_check_their_options(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	ts_ensemble_options e = TS_ENSEMBLE_OPTIONS_INIT;
	assert_int_equal(ts_ensemble_run(scenario, &e, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output directory given"));
	ts_error_clear(&err);
	assert_int_equal(ts_ensemble_run(scenario, NULL, &err), TS_EINPUT);
	ts_error_clear(&err);
	e.output_dir = "unused";
	e.reps = 0;
	assert_int_equal(ts_ensemble_run(scenario, &e, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "replications must be at least 1, got 0"));
	ts_compare_options c = TS_COMPARE_OPTIONS_INIT;
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, scenario, &c, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "no output directory given"));
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, scenario, NULL, &err), TS_EINPUT);
	c.output_dir = "unused";
	c.reps = 0;
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, scenario, &c, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "replications must be at least 1, got 0"));
	c.reps = 2;
	c.confidence = 1.0;
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, scenario, &c, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "confidence must be in (0, 1), got 1"));
	assert_int_equal(access("unused", F_OK), -1);  /* refused before the directory was made */
}

/* B must have A's calendar and A's entities, row for row. */
static void a_comparison_needs_the_same_calendar_and_entities(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "compare_mismatch");
	ts_compare_options o = TS_COMPARE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = 2;
	ts_error err = TS_ERROR_INIT;
	ts_scenario *shorter = variant("steps = 10", "steps = 7", NULL, NULL);
	assert_int_equal(ts_compare_run(scenario, shorter, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "A runs 10 steps and B 7: compare needs the same calendar"));
	ts_scenario_free(shorter);
	ts_scenario *more = variant("  S = {", "  Q2 = { country = \"US\"; sector = \"chips\"; capacity = 10.0; };\n  S = {",
	                            NULL, NULL);
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, more, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "firms.csv: A has 4 rows per step, B 5: compare needs the same entities"));
	ts_scenario_free(more);
	ts_scenario *renamed = variant("  S = {", "  T = {", "S = 0.3", "T = 0.3");
	ts_error_clear(&err);
	assert_int_equal(ts_compare_run(scenario, renamed, &o, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "firms.csv: row 1 is 'S' in A but 'T' in B: compare needs the same entities"));
	ts_scenario_free(renamed);
	expect_entries(dir, "");
}

/* A replication whose rows cannot all be written (a file-size limit, as a
 * full disk) fails the set with the file's name; nothing is committed. */
static void replications_that_cannot_write_their_rows_fail_and_commit_nothing(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "reps_full");
	ts_ensemble_options o = TS_ENSEMBLE_OPTIONS_INIT;
	o.output_dir = dir;
	o.reps = 4;
	for (int jobs = 1; jobs <= 3; jobs++) {  /* on the calling thread alone, and beside one or two workers */
		o.jobs = jobs;
		file_limit limit;
		file_limit_set(&limit, 2048);  /* a replication's firms rows pass this within a few steps */
		ts_error err = TS_ERROR_INIT;
		int rc = ts_ensemble_run(scenario, &o, &err);
		file_limit_lift(&limit);
		assert_int_equal(rc, TS_EIO);
		assert_non_null(strstr(err.message, ".csv: write failed: "));
		expect_entries(dir, "");
	}
}

/* "k1,k2,k3" of each row of text whose first fields are prefix (e.g.
 * "0,9," or "9,2020Q2,"), read from the field after `skip` more fields;
 * consecutive repeats (one row per metric) counted once. Returns the keys
 * joined by ';'. */
static void keys_of_rows(const char *text, const char *prefix, int skip, char *out, size_t size)
{
	out[0] = '\0';
	char last[128] = "";
	for (const char *line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		if (strncmp(line + 1, prefix, strlen(prefix)) != 0)
			continue;
		const char *p = line + 1 + strlen(prefix);
		for (int k = 0; k < skip; k++)
			p = strchr(p, ',') + 1;
		char key[128];
		const char *end = p;
		for (int k = 0; k < 3; k++)
			end = strchr(end, ',') + 1;
		snprintf(key, sizeof key, "%.*s", (int)(end - p - 1), p);
		if (strcmp(key, last) != 0)
			snprintf(out + strlen(out), size - strlen(out), "%s;", key);
		snprintf(last, sizeof last, "%s", key);
	}
}

/* A market is named by three keys (country, sector, segment): every
 * summary row carries all three, in the order markets.csv lists them. */
static void summaries_name_each_entity_by_all_its_keys_in_table_order(void **state)
{
	(void)state;
	char dir[256], runs_keys[1024], summary_keys[1024];
	tu_make_dir(dir, sizeof dir, "summary_keys");
	ensemble_into(dir, 2, 1);
	char *markets = tu_read_in(dir, "markets.csv"), *summary = tu_read_in(dir, "summary_markets.csv");
	keys_of_rows(markets, "0,9,", 1, runs_keys, sizeof runs_keys);          /* rep,step,date,keys */
	keys_of_rows(summary, "9,2020Q2,", 0, summary_keys, sizeof summary_keys); /* step,date,keys */
	assert_string_equal(runs_keys, "US,chips,private;US,phones,government;US,phones,private;"
	                               "CN,phones,government;CN,phones,private;");
	assert_string_equal(summary_keys, runs_keys);
	free(markets);
	free(summary);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(replications_have_distinct_recorded_seeds_and_a_rep_column),
		cmocka_unit_test(summaries_equal_a_direct_computation),
		cmocka_unit_test(every_summary_row_is_the_summary_of_its_cell_in_the_tables),
		cmocka_unit_test(the_summary_block_size_changes_no_byte),
		cmocka_unit_test(jobs_do_not_change_a_byte),
		cmocka_unit_test(common_random_numbers_shrink_the_variance_of_the_difference),
		cmocka_unit_test(cli_replications_and_compare),
		cmocka_unit_test(replications_over_a_comparison_are_refused_unless_forced),
		cmocka_unit_test(a_comparison_over_a_run_or_another_comparison_is_refused_unless_forced),
		cmocka_unit_test(replications_and_comparisons_into_a_held_directory_are_refused),
		cmocka_unit_test(replications_and_comparisons_asked_to_stop_write_nothing),
		cmocka_unit_test(replications_record_scenario_seeds_overrides_and_command_in_run_json),
		cmocka_unit_test(a_comparison_records_both_scenarios_and_both_seed_lists),
		cmocka_unit_test(compare_columns_are_the_means_and_t_interval_of_the_differences),
		cmocka_unit_test(a_comparison_of_two_replications_has_an_interval),
		cmocka_unit_test(a_comparison_of_one_replication_has_no_interval),
		cmocka_unit_test(compare_totals_are_the_differences_of_each_replication_s_totals),
		cmocka_unit_test(a_bad_total_is_refused_quoting_it),
		cmocka_unit_test(a_total_finds_a_measure_by_its_id_on_each_side),
		cmocka_unit_test(replications_and_comparisons_check_their_options),
		cmocka_unit_test(a_comparison_needs_the_same_calendar_and_entities),
		cmocka_unit_test(replications_that_cannot_write_their_rows_fail_and_commit_nothing),
		cmocka_unit_test(summaries_name_each_entity_by_all_its_keys_in_table_order),
	};
	return cmocka_run_group_tests_name("batch", tests, setup, teardown);
}
