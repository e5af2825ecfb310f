/* A run to a directory: countries.csv, firms.csv, markets.csv,
 * relations.csv and events.csv streamed as steps run, then scenario.cfg (the
 * effective scenario) and run.json (what makes the run reproducible).
 * Everything is written under temporary names in the locked directory;
 * only a run that finished and flushed every byte renames its files into
 * place, run.json last (outdir.c), so a directory with run.json holds one
 * complete run. */
#include <stdlib.h>
#include <string.h>
#include <tradesim/output.h>
#include <tradesim/sim.h>
#include <tradesim/version.h>
#include "output/csv.h"
#include "output/json.h"
#include "output/outdir.h"
#include "output/tables.h"
#include "output/run.h"
#include "util/parallel.h"
#include "model/world.h"

/* The per-run tables come first, in ts_tables[] order, then scenario.cfg and
 * run.json. */
#define F_COUNT (ts_n_tables + 2)

static void write_run_json(FILE *fp, const ts_outdir *d, const ts_scenario *s, const ts_run_options *o,
                           uint32_t seed)
{
	char first[32], last[32];
	ts_calendar_label(&s->run, 0, first, sizeof first);
	ts_calendar_label(&s->run, s->run.steps - 1, last, sizeof last);
	fputs("{\n  \"tradesim_version\": ", fp);
	ts_json_string(fp, TS_VERSION_STRING);
	fputs(",\n  \"kind\": \"run\",\n  \"scenario\": ", fp);
	ts_json_string(fp, s->path);
	fputs(",\n  \"scenario_sha256\": ", fp);
	ts_json_string(fp, s->hash);
	fprintf(fp, ",\n  \"seed\": %lu,\n  \"steps\": %d,\n  \"steps_per_year\": %d,\n",
	        (unsigned long)seed, s->run.steps, s->run.steps_per_year);
	fputs("  \"first_date\": ", fp);
	ts_json_string(fp, first);
	fputs(",\n  \"last_date\": ", fp);
	ts_json_string(fp, last);
	fputs(",\n", fp);
	ts_json_overrides(fp, o->overrides, o->n_overrides);
	fputs("  \"command_line\": ", fp);
	ts_json_string(fp, o->command_line);
	fputs(",\n  ", fp);
	ts_outdir_json_files(fp, d);
	fputs("\n}\n", fp);
}

static int write_run_json_file(ts_outdir *d, const ts_scenario *s, const ts_run_options *o, uint32_t seed,
                               ts_error *err)
{
	ts_csv *file = ts_outdir_add(d);
	int rc = ts_csv_open(file, d->path, "run.json", NULL, err);
	if (rc != TS_OK)
		return rc;
	write_run_json(file->fp, d, s, o, seed);
	return ts_csv_close(file, err);
}

int ts_write_scenario_file(ts_csv *file, const char *dir, const ts_scenario *s, ts_error *err)
{
	int rc = ts_csv_open(file, dir, "scenario.cfg", NULL, err);
	if (rc == TS_OK)
		rc = ts_scenario_write(s, file->fp, err);
	return rc == TS_OK ? ts_csv_close(file, err) : rc;
}

int ts_check_cancel(volatile sig_atomic_t *cancel, int step, ts_error *err)
{
	if (!cancel || !*cancel)
		return TS_OK;
	if (step < 0)
		return ts_error_set(err, TS_ECANCELED, "interrupted; nothing was written");
	return ts_error_set(err, TS_ECANCELED, "interrupted before step %d; nothing was written", step);
}

/* Steps the run to its end; with files (ts_n_tables of them, open), each
 * step's rows go to them before visit sees the step. */
static int run_steps(const ts_scenario *s, uint32_t seed, ts_innovation_sizes *sizes, ts_csv *files,
                     volatile sig_atomic_t *cancel, ts_step_visitor visit, void *ctx, ts_error *err)
{
	ts_sim *sim = NULL;
	int rc = ts_sim_alloc(&sim, s, seed, err);
	if (rc != TS_OK)
		return rc;
	ts_sim_use_innovation_sizes(sim, sizes);
	char date[32];
	for (int t = 0; t < s->run.steps && rc == TS_OK; t++) {
		rc = ts_check_cancel(cancel, t, err);  /* a step boundary: stop cleanly */
		if (rc == TS_OK)
			rc = ts_sim_step(sim, err);
		if (rc != TS_OK)
			break;
		ts_calendar_label(&s->run, t, date, sizeof date);
		for (int f = 0; files && f < ts_n_tables && rc == TS_OK; f++)
			rc = ts_table_write(&ts_tables[f], &files[f], sim, date, -1, err);
		for (int f = 0; files && f < ts_n_tables && rc == TS_OK; f++)
			if (ferror(files[f].fp))
				rc = ts_csv_close(&files[f], err);  /* reports the error */
		if (rc == TS_OK && visit)
			rc = visit(sim, date, ctx, err);
	}
	ts_sim_free(sim);
	return rc;
}

int ts_simulate(const ts_scenario *s, uint32_t seed, ts_step_visitor visit, void *ctx, ts_error *err)
{
	return ts_simulate_sized(s, seed, NULL, visit, ctx, err);
}

int ts_simulate_sized(const ts_scenario *s, uint32_t seed, ts_innovation_sizes *sizes, ts_step_visitor visit,
                      void *ctx, ts_error *err)
{
	return run_steps(s, seed ? seed : s->run.seed, sizes, NULL, NULL, visit, ctx, err);
}

/* The caller's per-step callback (ts_run_options.on_step) as a visitor. */
static int call_on_step(const struct ts_sim *w, const char *date, void *ctx, ts_error *err)
{
	(void)date;
	const ts_run_options *o = ctx;
	if (o->on_step((const ts_sim *)w, o->on_step_ctx) == 0)
		return TS_OK;
	return ts_error_set(err, TS_ECANCELED, "stopped by the step callback after %d steps; nothing was written",
	                    ts_sim_current_step((const ts_sim *)w));
}

int ts_run(const ts_scenario *s, const ts_run_options *o, ts_error *err)
{
	if (o && o->on_step)
		return ts_run_visited(s, o, call_on_step, (void *)o, err);
	return ts_run_visited(s, o, NULL, NULL, err);
}

/* Every file of the run into d, under temporary names, in commit order. */
static int write_run(ts_outdir *d, const ts_scenario *s, const ts_run_options *o, ts_step_visitor visit,
                     void *ctx, ts_error *err)
{
	uint32_t seed = o->seed ? o->seed : s->run.seed;
	int rc = TS_OK;
	for (int f = 0; f < ts_n_tables && rc == TS_OK; f++) {
		char *header = ts_table_header(&ts_tables[f], 0);
		rc = header ? ts_csv_open(ts_outdir_add(d), d->path, ts_tables[f].file, header, err)
		            : ts_error_set(err, TS_ENOMEM, "out of memory");
		free(header);
	}
	if (rc == TS_OK)
		rc = run_steps(s, seed, NULL, d->files, o->cancel, visit, ctx, err);
	for (int f = 0; f < ts_n_tables && rc == TS_OK; f++)
		rc = ts_csv_close(&d->files[f], err);
	if (rc == TS_OK)
		rc = ts_write_scenario_file(ts_outdir_add(d), d->path, s, err);
	if (rc == TS_OK)
		rc = write_run_json_file(d, s, o, seed, err);
	return rc;
}

int ts_run_visited(const ts_scenario *s, const ts_run_options *o, ts_step_visitor visit, void *ctx,
                   ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	ts_outdir d;
	ts_output_claim claim = {TS_OUTPUT_RUN, s->path, NULL, o->force};
	int rc = ts_outdir_open(&d, o->output_dir, F_COUNT, &claim, err);
	/* Numbers in the "C" locale whatever the process locale: '.' decimals. */
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	if (rc == TS_OK)
		rc = ts_c_locale_enter(&loc, err);
	if (rc == TS_OK)
		rc = write_run(&d, s, o, visit, ctx, err);
	rc = ts_outdir_commit(&d, rc, err);  /* run.json is last */
	if (loc.c)
		ts_c_locale_leave(&loc);
	ts_outdir_close(&d);
	return rc;
}
