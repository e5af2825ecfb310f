/* A run to a directory: countries.csv, firms.csv, markets.csv and events.csv
 * streamed as steps run, then scenario.cfg (the effective scenario) and
 * run.json (what makes the run reproducible). Everything is written under
 * temporary names; only a run that finished and flushed every byte renames
 * its files into place, run.json last, so a directory with run.json holds
 * one complete run. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tradesim/output.h>
#include <tradesim/sim.h>
#include <tradesim/version.h>
#include "output/csv.h"
#include "output/tables.h"
#include "output/run.h"
#include "util/parallel.h"
#include "model/world.h"

/* The per-run tables come first, in ts_tables[] order, then scenario.cfg and
 * run.json. */
#define TS_MAX_TABLES 16
#define F_COUNT (ts_n_tables + 2)
#define F_SCENARIO (ts_n_tables)
#define F_RUN (ts_n_tables + 1)

static const char *file_name(int f)
{
	return f < ts_n_tables ? ts_tables[f].file : f == F_SCENARIO ? "scenario.cfg" : "run.json";
}

/* mkdir -p; an existing directory is fine. */
int ts_make_dirs(const char *path, ts_error *err)
{
	char *copy = strdup(path);
	if (!copy)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			int e = errno;
			free(copy);
			return ts_error_set(err, TS_EINPUT, "%s: cannot create output directory: %s", path, strerror(e));
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return ts_error_set(err, TS_EINPUT, "%s: output path is not a directory", path);
	if (access(path, W_OK | X_OK) != 0)
		return ts_error_set(err, TS_EINPUT, "%s: output directory is not writable: %s", path, strerror(errno));
	return TS_OK;
}

void ts_json_string(FILE *fp, const char *text)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

static void write_run_json(FILE *fp, const ts_scenario *s, const ts_run_options *o, uint32_t seed)
{
	char first[32], last[32];
	ts_calendar_label(&s->run, 0, first, sizeof first);
	ts_calendar_label(&s->run, s->run.steps - 1, last, sizeof last);
	fputs("{\n  \"tradesim_version\": ", fp);
	ts_json_string(fp, TS_VERSION_STRING);
	fputs(",\n  \"scenario\": ", fp);
	ts_json_string(fp, s->path);
	fputs(",\n  \"scenario_sha256\": ", fp);
	ts_json_string(fp, s->hash);
	fprintf(fp, ",\n  \"seed\": %lu,\n  \"steps\": %d,\n  \"steps_per_year\": %d,\n",
	        (unsigned long)seed, s->run.steps, s->run.steps_per_year);
	fputs("  \"first_date\": ", fp);
	ts_json_string(fp, first);
	fputs(",\n  \"last_date\": ", fp);
	ts_json_string(fp, last);
	fputs(",\n  \"overrides\": [", fp);
	for (size_t i = 0; i < o->n_overrides; i++) {
		fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", fp);
		ts_json_string(fp, o->overrides[i].path);
		fputs(", \"value\": ", fp);
		ts_json_string(fp, o->overrides[i].value);
		fputc('}', fp);
	}
	fputs(o->n_overrides ? "\n  ],\n" : "],\n", fp);
	fputs("  \"command_line\": ", fp);
	ts_json_string(fp, o->command_line);
	fputs(",\n  \"files\": [", fp);
	for (int f = 0; f < F_COUNT; f++) {
		fputs(f ? ", " : "", fp);
		ts_json_string(fp, file_name(f));
	}
	fputs("]\n}\n", fp);
}

/* Writes a whole small file (scenario.cfg, run.json) to a temporary name. */
static int write_small_file(ts_csv *file, const char *dir, int which, const ts_scenario *s,
                            const ts_run_options *o, uint32_t seed, ts_error *err)
{
	memset(file, 0, sizeof *file);
	file->fp = ts_open_temp(dir, file_name(which), &file->tmp_path, &file->final_path, err);
	if (!file->fp)
		return err->status;
	if (which == F_SCENARIO) {
		int rc = ts_scenario_write(s, file->fp, err);
		if (rc != TS_OK)
			return rc;
	} else {
		write_run_json(file->fp, s, o, seed);
	}
	return ts_csv_close(file, err);
}

static int run_steps(const ts_scenario *s, uint32_t seed, ts_csv *files,
                     ts_step_visitor visit, void *ctx, ts_error *err)
{
	ts_sim *sim = NULL;
	int rc = ts_sim_alloc(&sim, s, seed, err);
	if (rc != TS_OK)
		return rc;
	char date[32];
	for (int t = 0; t < s->run.steps && rc == TS_OK; t++) {
		rc = ts_sim_step(sim, err);
		if (rc != TS_OK)
			break;
		ts_calendar_label(&s->run, t, date, sizeof date);
		for (int f = 0; files && f < ts_n_tables; f++)
			ts_table_write(&ts_tables[f], &files[f], sim, date, -1);
		for (int f = 0; files && f < ts_n_tables; f++)
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
	return run_steps(s, seed ? seed : s->run.seed, NULL, visit, ctx, err);
}

int ts_run(const ts_scenario *s, const ts_run_options *o, ts_error *err)
{
	return ts_run_visited(s, o, NULL, NULL, err);
}

int ts_run_visited(const ts_scenario *s, const ts_run_options *o, ts_step_visitor visit, void *ctx,
                   ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	uint32_t seed = o->seed ? o->seed : s->run.seed;
	int rc = ts_make_dirs(o->output_dir, err);
	if (rc != TS_OK)
		return rc;

	/* Numbers in the "C" locale whatever the process locale: '.' decimals. */
	ts_c_locale loc;
	if ((rc = ts_c_locale_enter(&loc, err)) != TS_OK)
		return rc;

	ts_csv files[TS_MAX_TABLES + 2];
	memset(files, 0, sizeof files);
	for (int f = 0; f < ts_n_tables && rc == TS_OK; f++) {
		char *header = ts_table_header(&ts_tables[f], 0);
		rc = header ? ts_csv_open(&files[f], o->output_dir, ts_tables[f].file, header, err)
		            : ts_error_set(err, TS_ENOMEM, "out of memory");
		free(header);
	}
	if (rc == TS_OK)
		rc = run_steps(s, seed, files, visit, ctx, err);
	for (int f = 0; f < ts_n_tables && rc == TS_OK; f++)
		rc = ts_csv_close(&files[f], err);
	if (rc == TS_OK)
		rc = write_small_file(&files[F_SCENARIO], o->output_dir, F_SCENARIO, s, o, seed, err);
	if (rc == TS_OK)
		rc = write_small_file(&files[F_RUN], o->output_dir, F_RUN, s, o, seed, err);
	rc = ts_csv_commit_all(files, F_COUNT, rc, err);  /* run.json (F_RUN) is last */
	ts_c_locale_leave(&loc);
	return rc;
}
