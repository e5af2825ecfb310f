/* A run to a directory: countries.csv, firms.csv, markets.csv and events.csv
 * streamed as steps run, then scenario.cfg (the effective scenario) and
 * run.json (what makes the run reproducible). Everything is written under
 * temporary names; only a run that finished and flushed every byte renames
 * its files into place, run.json last, so a directory with run.json holds
 * one complete run. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tradesim/output.h>
#include <tradesim/sim.h>
#include <tradesim/version.h>
#include "csv.h"
#include "world.h"

enum { F_COUNTRIES, F_FIRMS, F_MARKETS, F_EVENTS, F_SCENARIO, F_RUN, F_COUNT };

static const char *const file_names[F_COUNT] = {
	"countries.csv", "firms.csv", "markets.csv", "events.csv", "scenario.cfg", "run.json"
};

static const char *const headers[F_EVENTS + 1] = {
	"step,date,country,price_index,consumer_welfare_bn_usd,producer_profit_bn_usd,"
	"exports_bn_usd,imports_bn_usd,self_sufficiency,tech_gap,rd_spending_bn_usd,jobs,"
	"unmet_demand_bn_usd",
	"step,date,firm,country,sector,revenue_bn_usd,final_sales_bn_usd,input_sales_bn_usd,"
	"profit_bn_usd,capacity_use,supply_factor,stockpile_periods,tech_level,"
	"rd_spending_bn_usd,jobs,price",
	"step,date,country,sector,segment,demand_bn_usd,served_bn_usd,price_index,"
	"domestic_share,hhi,firms_allowed",
	"step,date,id,actor,target,measure,action,cause",
};

/* mkdir -p; an existing directory is fine. */
static int make_dirs(const char *path, ts_error *err)
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

static void row_start(ts_csv *csv, const ts_sim *w, const char *date)
{
	ts_csv_int(csv, w->step);
	ts_csv_text(csv, date);
}

static void write_countries(ts_csv *csv, const ts_sim *w, const char *date)
{
	const ts_scenario *s = w->scn;
	for (int c = 0; c < w->nc; c++) {
		row_start(csv, w, date);
		ts_csv_text(csv, s->countries[c].id);
		ts_csv_num(csv, w->price_index[c]);
		ts_csv_num(csv, w->welfare[c]);
		ts_csv_num(csv, w->producer_profit[c]);
		ts_csv_num(csv, w->exports[c]);
		ts_csv_num(csv, w->imports[c]);
		ts_csv_num(csv, w->inputs_total[c] > 0.0 ? w->inputs_domestic[c] / w->inputs_total[c] : NAN);
		ts_csv_num(csv, w->tech_gap[c]);
		ts_csv_num(csv, w->country_rd[c]);
		ts_csv_num(csv, w->country_jobs[c]);
		ts_csv_num(csv, w->country_unmet[c]);
		ts_csv_end_row(csv);
	}
}

static void write_firms(ts_csv *csv, const ts_sim *w, const char *date)
{
	const ts_scenario *s = w->scn;
	double spy = s->run.steps_per_year;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		double stock = NAN;  /* the scarcest input's stockpile */
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++)
			stock = isnan(stock) ? w->stock[q] : fmin(stock, w->stock[q]);
		row_start(csv, w, date);
		ts_csv_text(csv, f->id);
		ts_csv_text(csv, s->countries[f->country].id);
		ts_csv_text(csv, s->sectors[f->sector].id);
		ts_csv_num(csv, w->revenue[i]);
		ts_csv_num(csv, w->final_sales[i]);
		ts_csv_num(csv, w->input_sales[i]);
		ts_csv_num(csv, w->profit[i]);
		ts_csv_num(csv, w->revenue[i] / (f->capacity / spy));
		ts_csv_num(csv, w->supply_factor[i]);
		ts_csv_num(csv, stock);
		ts_csv_num(csv, w->tech[i]);
		ts_csv_num(csv, w->rd_spending[i]);
		ts_csv_num(csv, w->jobs[i]);
		ts_csv_num(csv, w->price[i]);
		ts_csv_end_row(csv);
	}
}

static void write_markets(ts_csv *csv, const ts_sim *w, const char *date)
{
	const ts_scenario *s = w->scn;
	for (int m = 0; m < w->nmseg; m++) {
		const ts_mseg *ms = &w->msegs[m];
		int k = ms->sector, nfs = w->sector_firm_count[k];
		const double *row = w->sales + w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		double domestic = 0.0, hhi = 0.0;
		long allowed = 0;
		for (int a = 0; a < nfs; a++) {
			int i = w->sector_firms[w->sector_firm_first[k] + a];
			double share = w->served[m] > 0.0 ? row[a] / w->served[m] : 0.0;
			hhi += share * share;  /* Herfindahl-Hirschman index of served sales */
			if (s->firms[i].country == ms->country)
				domestic += share;
			if (!(w->ban[ms->country * w->nf + i] & (1u << ms->segment)))
				allowed++;
		}
		row_start(csv, w, date);
		ts_csv_text(csv, s->countries[ms->country].id);
		ts_csv_text(csv, s->sectors[k].id);
		ts_csv_text(csv, ts_segment_names[ms->segment]);
		ts_csv_num(csv, w->demand[m]);
		ts_csv_num(csv, w->served[m]);
		ts_csv_num(csv, w->price_ratio[m]);
		ts_csv_num(csv, w->served[m] > 0.0 ? domestic : NAN);
		ts_csv_num(csv, w->served[m] > 0.0 ? hhi : NAN);
		ts_csv_int(csv, allowed);
		ts_csv_end_row(csv);
	}
}

static void write_events(ts_csv *csv, const ts_sim *w, const char *date)
{
	const ts_scenario *s = w->scn;
	for (int e = 0; e < w->n_events; e++) {
		const ts_minst *x = &w->minst[w->events[e].inst];
		const ts_measure_spec *m = &s->measures[x->spec];
		const char *target = m->target_firm >= 0 ? s->firms[m->target_firm].id
		                     : m->target_country >= 0 ? s->countries[m->target_country].id : "";
		row_start(csv, w, date);
		ts_csv_text(csv, x->id);
		ts_csv_text(csv, s->countries[x->actor].id);
		ts_csv_text(csv, target);
		ts_csv_text(csv, ts_measure_kind_names[m->kind]);
		ts_csv_text(csv, w->events[e].action == TS_EVENT_START ? "start" : "end");
		ts_csv_text(csv, w->events[e].cause);
		ts_csv_end_row(csv);
	}
}

static void json_string(FILE *fp, const char *text)
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
	json_string(fp, TS_VERSION_STRING);
	fputs(",\n  \"scenario\": ", fp);
	json_string(fp, s->path);
	fputs(",\n  \"scenario_sha256\": ", fp);
	json_string(fp, s->hash);
	fprintf(fp, ",\n  \"seed\": %lu,\n  \"steps\": %d,\n  \"steps_per_year\": %d,\n",
	        (unsigned long)seed, s->run.steps, s->run.steps_per_year);
	fputs("  \"first_date\": ", fp);
	json_string(fp, first);
	fputs(",\n  \"last_date\": ", fp);
	json_string(fp, last);
	fputs(",\n  \"overrides\": [", fp);
	for (size_t i = 0; i < o->n_overrides; i++) {
		fputs(i ? ",\n    {\"path\": " : "\n    {\"path\": ", fp);
		json_string(fp, o->overrides[i].path);
		fputs(", \"value\": ", fp);
		json_string(fp, o->overrides[i].value);
		fputc('}', fp);
	}
	fputs(o->n_overrides ? "\n  ],\n" : "],\n", fp);
	fputs("  \"command_line\": ", fp);
	json_string(fp, o->command_line);
	fputs(",\n  \"files\": [", fp);
	for (int f = 0; f < F_COUNT; f++) {
		fputs(f ? ", " : "", fp);
		json_string(fp, file_names[f]);
	}
	fputs("]\n}\n", fp);
}

/* Writes a whole small file (scenario.cfg, run.json) to a temporary name. */
static int write_small_file(ts_csv *file, const char *dir, int which, const ts_scenario *s,
                            const ts_run_options *o, uint32_t seed, ts_error *err)
{
	memset(file, 0, sizeof *file);
	file->fp = ts_open_temp(dir, file_names[which], &file->tmp_path, &file->final_path, err);
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

static int run_steps(const ts_scenario *s, uint32_t seed, ts_csv *files, ts_error *err)
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
		write_countries(&files[F_COUNTRIES], sim, date);
		write_firms(&files[F_FIRMS], sim, date);
		write_markets(&files[F_MARKETS], sim, date);
		write_events(&files[F_EVENTS], sim, date);
		for (int f = F_COUNTRIES; f <= F_EVENTS; f++)
			if (ferror(files[f].fp))
				rc = ts_csv_close(&files[f], err);  /* reports the error */
	}
	ts_sim_free(sim);
	return rc;
}

int ts_run(const ts_scenario *s, const ts_run_options *o, ts_error *err)
{
	if (!o || !o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	uint32_t seed = o->seed ? o->seed : s->run.seed;
	int rc = make_dirs(o->output_dir, err);
	if (rc != TS_OK)
		return rc;

	/* Numbers in the "C" locale whatever the process locale: '.' decimals. */
	locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (c_locale == (locale_t)0)
		return ts_error_set(err, TS_ENOMEM, "cannot create the C locale");
	locale_t previous = uselocale(c_locale);

	ts_csv files[F_COUNT];
	memset(files, 0, sizeof files);
	for (int f = F_COUNTRIES; f <= F_EVENTS && rc == TS_OK; f++)
		rc = ts_csv_open(&files[f], o->output_dir, file_names[f], headers[f], err);
	if (rc == TS_OK)
		rc = run_steps(s, seed, files, err);
	for (int f = F_COUNTRIES; f <= F_EVENTS && rc == TS_OK; f++)
		rc = ts_csv_close(&files[f], err);
	if (rc == TS_OK)
		rc = write_small_file(&files[F_SCENARIO], o->output_dir, F_SCENARIO, s, o, seed, err);
	if (rc == TS_OK)
		rc = write_small_file(&files[F_RUN], o->output_dir, F_RUN, s, o, seed, err);
	if (rc == TS_OK) {
		/* An older run.json would vouch for a mix of files while we rename. */
		char *old = files[F_RUN].final_path;
		if (unlink(old) != 0 && errno != ENOENT)
			rc = ts_error_set(err, TS_EIO, "%s: cannot replace: %s", old, strerror(errno));
	}
	for (int f = 0; f < F_COUNT && rc == TS_OK; f++)
		rc = ts_csv_commit(&files[f], err);
	for (int f = 0; f < F_COUNT; f++)
		ts_csv_discard(&files[f]);

	uselocale(previous);
	freelocale(c_locale);
	return rc;
}
