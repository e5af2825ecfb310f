/* Running sweeps: one run per (point, replication), each on its own thread's
 * sim and gsl_rng; rows reordered into run order through a bounded window
 * (memory flat in the number of runs) and appended to a journal,
 * DIR/sweep.csv.part, that a later call resumes from; the journal becomes
 * sweep.csv when every run of the shard is in it. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <tradesim/output.h>
#include <tradesim/sensitivity.h>
#include <tradesim/stats.h>
#include <tradesim/version.h>
#include "output/run.h"
#include "util/parallel.h"
#include "output/csv.h"
#include "batch/sweep_impl.h"
#include "util/textfile.h"

uint32_t ts_sweep_seed(const ts_sweep *s, long run)
{
	/* Common seeds: replication r of every point sees the same random numbers. */
	return ts_seed_derive(s->seed, (uint64_t)(s->common_seeds ? run % s->reps : run));
}

/* ---- metrics of one run ---- */

typedef struct metric_run {
	const ts_sweep *s;
	int *rows;                   /* per metric, resolved at the first step */
	ts_stat_acc *acc;
} metric_run;

static int metric_step(const struct ts_sim *w, const char *date, void *arg, ts_error *err)
{
	(void)date;
	metric_run *m = arg;
	for (int k = 0; k < m->s->n_metrics; k++) {
		const ts_series *series = &m->s->metrics[k].series;
		if (m->rows[k] < 0 && (m->rows[k] = ts_series_row(series, w)) < 0)
			return ts_error_set(err, TS_ERUN, "metric %s: no %s '%s' in this run", m->s->metrics[k].name,
			                    series->table->name, series->key);
		ts_stat_acc_add(&m->acc[k], ts_table_value(series->table, w, m->rows[k], series->column));
	}
	return TS_OK;
}

/* Runs scn with seed (to dir when not NULL) and reduces every metric. */
static int run_metrics(const ts_sweep *s, const ts_scenario *scn, uint32_t seed, const char *dir, double *values,
                       ts_error *err)
{
	int n = s->n_metrics ? s->n_metrics : 1;
	int *rows = malloc((size_t)n * sizeof *rows);
	ts_stat_acc *acc = malloc((size_t)n * sizeof *acc);
	if (!rows || !acc) {
		free(rows);
		free(acc);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	for (int k = 0; k < s->n_metrics; k++) {
		rows[k] = -1;
		ts_stat_acc_init(&acc[k]);
	}
	metric_run m = {s, rows, acc};
	int rc;
	if (dir) {
		ts_run_options o = TS_RUN_OPTIONS_INIT;
		o.output_dir = dir;
		o.seed = seed;
		rc = ts_run_visited(scn, &o, metric_step, &m, err);
	} else {
		rc = ts_simulate(scn, seed, metric_step, &m, err);
	}
	for (int k = 0; k < s->n_metrics; k++)
		values[k] = ts_stat_acc_result(&acc[k], s->metrics[k].stat);
	free(rows);
	free(acc);
	return rc;
}

/* Baseline metrics of replication rep (common seeds): computed once, by the
 * first thread that needs them; others wait. */
static const ts_baseline *baseline(const ts_sweep *cs, int rep)
{
	ts_sweep *s = (ts_sweep *)cs;  /* the cache is the only mutable part */
	ts_baseline *b = &s->baselines[rep];
	pthread_mutex_lock(&s->lock);
	while (b->state == 1)
		pthread_cond_wait(&s->baseline_done, &s->lock);
	if (b->state == 2) {
		pthread_mutex_unlock(&s->lock);
		return b;
	}
	b->state = 1;
	pthread_mutex_unlock(&s->lock);
	ts_error err = TS_ERROR_INIT;
	double *values = calloc((size_t)(s->n_metrics ? s->n_metrics : 1), sizeof *values);
	int rc = values ? run_metrics(s, s->base, ts_sweep_seed(s, rep), NULL, values, &err)
	                : ts_error_set(&err, TS_ENOMEM, "out of memory");
	pthread_mutex_lock(&s->lock);
	b->values = values;
	b->failed = rc != TS_OK;
	b->message = rc != TS_OK ? strdup(err.message) : NULL;
	b->state = 2;
	pthread_cond_broadcast(&s->baseline_done);
	pthread_mutex_unlock(&s->lock);
	return b;
}

/* One line, so sweep.csv keeps one record per line. */
static void flatten(char *text)
{
	for (char *p = text; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = (p[1] == '\0') ? '\0' : ' ';
}

int ts_sweep_run_row(const ts_sweep *s, long run, const char *output_dir, int series, char **row, ts_error *err)
{
	*row = NULL;
	long point = run / s->reps;
	int rep = (int)(run % s->reps);
	uint32_t seed = ts_sweep_seed(s, run);
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	if (ts_c_locale_enter(&loc, err) != TS_OK)
		return err->status;
	int n = s->n_params, nm = s->n_metrics;
	ts_override *ov = calloc((size_t)(n ? n : 1), sizeof *ov);
	char (*bufs)[64] = calloc((size_t)(n ? n : 1), sizeof *bufs);
	double *values = calloc((size_t)(nm ? nm : 1), sizeof *values), *base = NULL;
	char *dir = NULL, *message = NULL;
	size_t len = 0;
	ts_csv csv;
	memset(&csv, 0, sizeof csv);
	csv.fp = open_memstream(row, &len);
	csv.first_field = 1;
	if (!ov || !bufs || !values || !csv.fp) {
		free(ov);
		free(bufs);
		free(values);
		if (csv.fp)
			fclose(csv.fp);
		free(*row);
		*row = NULL;
		ts_c_locale_leave(&loc);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	for (int j = 0; j < n; j++) {
		ov[j].path = s->params[j].path;
		ov[j].value = ts_sweep_value_cfg(s, point, j, bufs[j], sizeof bufs[j]);
	}
	ts_error run_err = TS_ERROR_INIT;
	ts_scenario *scn = NULL;
	int rc = ts_scenario_load_string(&scn, s->scenario_text, s->scenario_path, s->scenario_dir, ov, (size_t)n, &run_err);
	if (rc == TS_OK && series && output_dir) {
		size_t m = strlen(output_dir) + 32;
		dir = malloc(m);
		if (dir)
			snprintf(dir, m, "%s/runs/%ld", output_dir, run);
		else
			rc = ts_error_set(&run_err, TS_ENOMEM, "out of memory");
	}
	if (rc == TS_OK)
		rc = run_metrics(s, scn, seed, dir, values, &run_err);
	if (rc == TS_OK && s->any_diff) {
		ts_error base_err = TS_ERROR_INIT;
		if (s->common_seeds) {
			const ts_baseline *b = baseline(s, rep);
			if (b->failed)
				rc = ts_error_set(&run_err, TS_ERUN, "baseline run failed: %s", b->message ? b->message : "");
			base = b->values;
		} else {
			base = calloc((size_t)nm, sizeof *base);
			rc = base ? run_metrics(s, s->base, seed, NULL, base, &base_err) : ts_error_set(&run_err, TS_ENOMEM, "out of memory");
			if (rc != TS_OK && base)
				ts_error_set(&run_err, rc, "baseline run failed: %s", base_err.message);
		}
		for (int k = 0; k < nm && rc == TS_OK; k++)
			if (s->metrics[k].diff)
				values[k] -= base[k];
		if (!s->common_seeds)
			free(base);
	}
	ts_scenario_free(scn);
	if (rc != TS_OK) {
		message = strdup(run_err.message[0] ? run_err.message : ts_status_name(rc));
		if (message)
			flatten(message);
	}
	ts_csv_int(&csv, run);
	ts_csv_int(&csv, point);
	ts_csv_int(&csv, rep);
	ts_csv_int(&csv, (long)seed);
	char buf[64];
	for (int j = 0; j < n; j++)
		ts_csv_text(&csv, ts_sweep_value_csv(s, point, j, buf, sizeof buf));
	for (int k = 0; k < nm; k++) {
		if (rc == TS_OK)
			ts_csv_num(&csv, values[k]);
		else
			ts_csv_text(&csv, "");
	}
	ts_csv_text(&csv, rc == TS_OK ? "ok" : "failed");
	ts_csv_text(&csv, rc == TS_OK ? "" : message ? message : "failed");
	ts_csv_end_row(&csv);
	int bad = fclose(csv.fp) != 0;
	free(message);
	free(dir);
	free(values);
	free(bufs);
	free(ov);
	ts_c_locale_leave(&loc);
	if (bad || !*row) {
		free(*row);
		*row = NULL;
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	return TS_OK;
}

/* ---- the journal ---- */

struct ts_sweep_journal {
	const ts_sweep *s;
	char *dir;
	int shard, shards;
	long total, done;
	FILE *fp;
	char *part_path, *final_path;
	time_t last_sync;
};

static char *path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static char *sweep_header(const ts_sweep *s)
{
	size_t n = 64;
	for (int j = 0; j < s->n_params; j++)
		n += strlen(s->params[j].path) + 3;
	for (int k = 0; k < s->n_metrics; k++)
		n += strlen(s->metrics[k].name) + 3;
	char *h = malloc(n), *w = h;
	if (!h)
		return NULL;
	w += sprintf(w, "run,point,rep,seed");
	for (int j = 0; j < s->n_params; j++)
		w += sprintf(w, ",%s", s->params[j].path);
	for (int k = 0; k < s->n_metrics; k++) {
		/* names with a comma or quote are quoted as CSV text */
		if (strpbrk(s->metrics[k].name, ",\"")) {
			*w++ = ',';
			*w++ = '"';
			for (const char *p = s->metrics[k].name; *p; p++) {
				if (*p == '"')
					*w++ = '"';
				*w++ = *p;
			}
			*w++ = '"';
			*w = '\0';
		} else {
			w += sprintf(w, ",%s", s->metrics[k].name);
		}
	}
	strcpy(w, ",status,message");
	return h;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Writes a small file whole under a temporary name, then renames it. */
static int write_whole(const char *dir, const char *name, int (*fill)(FILE *fp, const void *arg), const void *arg,
                       ts_error *err)
{
	ts_csv f;
	memset(&f, 0, sizeof f);
	f.fp = ts_open_temp(dir, name, &f.tmp_path, &f.final_path, err);
	if (!f.fp)
		return err->status;
	int rc = fill(f.fp, arg);
	if (rc != TS_OK)
		rc = ts_error_set(err, TS_ENOMEM, "%s: out of memory", f.final_path);
	if (rc == TS_OK)
		rc = ts_csv_close(&f, err);
	if (rc == TS_OK)
		rc = ts_csv_commit(&f, err);
	ts_csv_discard(&f);
	return rc;
}

typedef struct json_arg {
	const ts_sweep *s;
	int shard, shards;
	const char *command_line;
} json_arg;

static int fill_json(FILE *fp, const void *arg)
{
	const json_arg *a = arg;
	const ts_sweep *s = a->s;
	fputs("{\n  \"tradesim_version\": ", fp);
	ts_json_string(fp, TS_VERSION_STRING);
	fputs(",\n  \"sweep\": ", fp);
	ts_json_string(fp, s->path);
	fputs(",\n  \"sweep_sha256\": ", fp);
	ts_json_string(fp, s->hash);
	fputs(",\n  \"scenario\": ", fp);
	ts_json_string(fp, s->scenario_path);
	fputs(",\n  \"scenario_sha256\": ", fp);
	ts_json_string(fp, ts_scenario_hash(s->base));
	fprintf(fp, ",\n  \"design\": \"%s\",\n  \"points\": %ld,\n  \"replications\": %d,\n  \"runs\": %ld,\n"
	        "  \"seed\": %lu,\n  \"common_seeds\": %s,\n  \"shard\": \"%d/%d\",\n  \"command_line\": ",
	        ts_sweep_design_names[s->design], s->n_points, s->reps, ts_sweep_runs(s), (unsigned long)s->seed,
	        s->common_seeds ? "true" : "false", a->shard, a->shards);
	ts_json_string(fp, a->command_line);
	fputs("\n}\n", fp);
	return TS_OK;
}

static int fill_points(FILE *fp, const void *arg)
{
	const ts_sweep *s = arg;
	ts_csv csv = {fp, NULL, NULL, 1};
	fputs("point", fp);
	for (int j = 0; j < s->n_params; j++) {
		fputc(',', fp);
		fputs(s->params[j].path, fp);
	}
	fputc('\n', fp);
	char buf[64];
	for (long p = 0; p < s->n_points; p++) {
		ts_csv_int(&csv, p);
		for (int j = 0; j < s->n_params; j++)
			ts_csv_text(&csv, ts_sweep_value_csv(s, p, j, buf, sizeof buf));
		ts_csv_end_row(&csv);
	}
	return TS_OK;
}

/* The value of "key": "..." in a small JSON text we wrote, or "". */
static void json_field(const char *text, const char *key, char *buf, size_t size)
{
	char pattern[64];
	snprintf(pattern, sizeof pattern, "\"%s\": \"", key);
	const char *p = text ? strstr(text, pattern) : NULL;
	buf[0] = '\0';
	if (!p)
		return;
	p += strlen(pattern);
	const char *end = strchr(p, '"');
	if (end && (size_t)(end - p) < size)
		snprintf(buf, size, "%.*s", (int)(end - p), p);
}

long ts_sweep_shard_run_id(int shard, int shards, long k)
{
	return k * (shards > 0 ? shards : 1) + shard;
}

long ts_sweep_journal_run_id(const ts_sweep_journal *j, long k)
{
	return ts_sweep_shard_run_id(j->shard, j->shards, k);
}

long ts_sweep_journal_done(const ts_sweep_journal *j) { return j->done; }
long ts_sweep_journal_total(const ts_sweep_journal *j) { return j->total; }

/* Keeps the rows of the journal that are whole and in order; returns how many. */
static long recover(ts_sweep_journal *j, const char *header, ts_error *err)
{
	FILE *f = fopen(j->part_path, "r+b");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long good = 0;
	off_t keep = 0;
	n = getline(&line, &cap, f);
	if (n > 0 && line[n - 1] == '\n' && (size_t)n == strlen(header) + 1 && strncmp(line, header, (size_t)n - 1) == 0) {
		keep = n;
		while ((n = getline(&line, &cap, f)) > 0) {
			char expect[32];
			int m = snprintf(expect, sizeof expect, "%ld,", ts_sweep_journal_run_id(j, good));
			if (line[n - 1] != '\n' || strncmp(line, expect, (size_t)m) != 0 || good >= j->total)
				break;  /* torn by a kill, or not ours: cut here */
			keep += n;
			good++;
		}
	} else {
		good = -1;  /* no usable header: start afresh */
	}
	free(line);
	fclose(f);
	if (good >= 0 && truncate(j->part_path, keep) != 0) {
		ts_error_set(err, TS_EIO, "%s: cannot truncate: %s", j->part_path, strerror(errno));
		return -2;
	}
	return good;
}

int ts_sweep_journal_open(ts_sweep_journal **out, const ts_sweep *s, const ts_sweep_options *o, ts_error *err)
{
	*out = NULL;
	if (!o->output_dir)
		return ts_error_set(err, TS_EINPUT, "no output directory given");
	int shards = o->shards > 0 ? o->shards : 1;
	if (o->shard < 0 || o->shard >= shards)
		return ts_error_set(err, TS_EINPUT, "shard %d/%d: the shard must be in [0, %d)", o->shard, shards, shards);
	int rc = ts_make_dirs(o->output_dir, err);
	if (rc != TS_OK)
		return rc;
	ts_sweep_journal *j = calloc(1, sizeof *j);
	char *json_path = path_in(o->output_dir, "sweep.json");
	char *header = sweep_header(s);
	if (!j || !json_path || !header || !(j->dir = strdup(o->output_dir)) ||
	    !(j->part_path = path_in(o->output_dir, "sweep.csv.part")) ||
	    !(j->final_path = path_in(o->output_dir, "sweep.csv"))) {
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		goto fail;
	}
	j->s = s;
	j->shard = o->shard;
	j->shards = shards;
	long runs = ts_sweep_runs(s);
	j->total = runs > o->shard ? (runs - o->shard + shards - 1) / shards : 0;
	char *json;
	ts_read_file(&json, NULL, json_path, NULL);
	if (json) {
		char hash[80], shard[40], want[40];
		json_field(json, "sweep_sha256", hash, sizeof hash);
		json_field(json, "shard", shard, sizeof shard);
		free(json);
		snprintf(want, sizeof want, "%d/%d", o->shard, shards);
		if (strcmp(hash, s->hash) != 0) {
			rc = ts_error_set(err, TS_EINPUT,
			                  "%s: holds the results of another sweep (the sweep file or its scenario changed: "
			                  "sweep_sha256 %.12s..., now %.12s...); use another output directory or remove it",
			                  o->output_dir, hash[0] ? hash : "none", s->hash);
			goto fail;
		}
		if (strcmp(shard, want) != 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s: holds shard %s of this sweep, not %s", o->output_dir, shard, want);
			goto fail;
		}
	} else {
		json_arg a = {s, o->shard, shards, o->command_line};
		rc = write_whole(o->output_dir, "points.csv", fill_points, s, err);
		if (rc == TS_OK)
			rc = write_whole(o->output_dir, "sweep.json", fill_json, &a, err);
		if (rc != TS_OK)
			goto fail;
	}
	struct stat st;
	if (stat(j->final_path, &st) == 0) {
		j->done = j->total;  /* finished earlier */
	} else {
		long good = recover(j, header, err);
		if (good == -2) {
			rc = err->status;
			goto fail;
		}
		if (good >= 0) {
			j->done = good;
			j->fp = fopen(j->part_path, "ab");
		} else {
			j->fp = fopen(j->part_path, "wb");
			if (j->fp)
				fprintf(j->fp, "%s\n", header);
		}
		if (!j->fp) {
			rc = ts_error_set(err, TS_EINPUT, "%s: cannot write: %s", j->part_path, strerror(errno));
			goto fail;
		}
		if (fflush(j->fp) != 0 || fsync(fileno(j->fp)) != 0) {
			rc = ts_error_set(err, TS_EIO, "%s: write failed: %s", j->part_path, strerror(errno));
			goto fail;
		}
	}
	j->last_sync = time(NULL);
	free(json_path);
	free(header);
	*out = j;
	return TS_OK;
fail:
	if (j) {
		if (j->fp)
			fclose(j->fp);
		free(j->dir);
		free(j->part_path);
		free(j->final_path);
		free(j);
	}
	free(json_path);
	free(header);
	return rc;
}

int ts_sweep_journal_append(ts_sweep_journal *j, const char *row, ts_error *err)
{
	if (!j->fp || j->done >= j->total)
		return ts_error_set(err, TS_EINPUT, "sweep journal: no run left to append");
	/* Flushed at once so a kill loses no written row; synced once a second
	 * against power loss (the resume check cuts a torn tail anyway). */
	if (fputs(row, j->fp) < 0 || fflush(j->fp) != 0)
		return ts_error_set(err, TS_EIO, "%s: write failed: %s", j->part_path, strerror(errno));
	j->done++;
	time_t now = time(NULL);
	if (now != j->last_sync) {
		j->last_sync = now;
		if (fdatasync(fileno(j->fp)) != 0 && errno != EINVAL)
			return ts_error_set(err, TS_EIO, "%s: sync failed: %s", j->part_path, strerror(errno));
	}
	return TS_OK;
}

int ts_sweep_journal_close(ts_sweep_journal *j, ts_error *err)
{
	if (!j)
		return TS_OK;
	int rc = TS_OK;
	if (j->fp) {
		int bad = fflush(j->fp) != 0 || (fsync(fileno(j->fp)) != 0 && errno != EINVAL);
		if (fclose(j->fp) != 0)
			bad = 1;
		if (bad)
			rc = ts_error_set(err, TS_EIO, "%s: write failed: %s", j->part_path, strerror(errno));
		if (rc == TS_OK && j->done == j->total) {
			if (rename(j->part_path, j->final_path) != 0)
				rc = ts_error_set(err, TS_EIO, "%s: cannot rename into place: %s", j->final_path, strerror(errno));
			else
				sync_dir(j->dir);
		}
	}
	free(j->dir);
	free(j->part_path);
	free(j->final_path);
	free(j);
	return rc;
}

/* ---- threads ---- */

typedef struct executor {
	const ts_sweep *s;
	ts_sweep_journal *j;
	const ts_sweep_options *o;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long next_k, written_k, total;
	int window;
	char **slots;                /* [k % window]: finished rows waiting for their turn */
	int active;                  /* workers still running */
	int fatal;                   /* an allocation failed: stop */
	ts_error fatal_err;
} executor;

static int canceled(const executor *x)
{
	return x->o->cancel && *x->o->cancel;
}

static void *executor_worker(void *arg)
{
	executor *x = arg;
	for (;;) {
		pthread_mutex_lock(&x->lock);
		while (!canceled(x) && !x->fatal && x->next_k < x->total && x->next_k >= x->written_k + x->window)
			pthread_cond_wait(&x->cond, &x->lock);
		if (canceled(x) || x->fatal || x->next_k >= x->total) {
			x->active--;
			pthread_cond_broadcast(&x->cond);
			pthread_mutex_unlock(&x->lock);
			return NULL;
		}
		long k = x->next_k++;
		pthread_mutex_unlock(&x->lock);
		char *row = NULL;
		ts_error err = TS_ERROR_INIT;
		int rc = ts_sweep_run_row(x->s, ts_sweep_journal_run_id(x->j, k), x->o->output_dir, x->o->series, &row, &err);
		pthread_mutex_lock(&x->lock);
		if (rc != TS_OK) {
			if (!x->fatal)
				x->fatal_err = err;
			x->fatal = 1;
		} else {
			x->slots[k % x->window] = row;
		}
		pthread_cond_broadcast(&x->cond);
		pthread_mutex_unlock(&x->lock);
	}
}

int ts_sweep_run(const ts_sweep *s, const ts_sweep_options *o, ts_error *err)
{
	ts_sweep_journal *j = NULL;
	int rc = ts_sweep_journal_open(&j, s, o, err);
	if (rc != TS_OK)
		return rc;
	int jobs = o->jobs > 0 ? o->jobs : ts_cpu_count();
	executor x;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.j = j;
	x.o = o;
	x.next_k = x.written_k = ts_sweep_journal_done(j);
	x.total = ts_sweep_journal_total(j);
	x.window = 4 * jobs + 16;
	x.slots = calloc((size_t)x.window, sizeof *x.slots);
	pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
	pthread_mutex_init(&x.lock, NULL);
	pthread_cond_init(&x.cond, NULL);
	if (!x.slots || !threads) {
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	if (o->progress)
		o->progress(o->progress_ctx, x.written_k, x.total);
	if (x.next_k < x.total) {
		int started = 0;
		pthread_mutex_lock(&x.lock);
		for (; started < jobs && started < x.total - x.next_k; started++) {
			if (pthread_create(&threads[started], NULL, executor_worker, &x) != 0)
				break;
			x.active++;
		}
		if (started == 0) {
			pthread_mutex_unlock(&x.lock);
			rc = ts_error_set(err, TS_ENOMEM, "cannot start threads");
			goto done;
		}
		/* Write rows in order as they arrive; the window bounds how far
		 * ahead workers may run. */
		for (;;) {
			char *row = x.written_k < x.total ? x.slots[x.written_k % x.window] : NULL;
			if (row && rc == TS_OK) {
				x.slots[x.written_k % x.window] = NULL;
				pthread_mutex_unlock(&x.lock);
				rc = ts_sweep_journal_append(j, row, err);
				free(row);
				if (rc == TS_OK && o->progress)
					o->progress(o->progress_ctx, x.written_k + 1, x.total);
				pthread_mutex_lock(&x.lock);
				x.written_k++;
				if (rc != TS_OK)
					x.fatal = 1;
				pthread_cond_broadcast(&x.cond);
				continue;
			}
			if (x.active == 0)
				break;
			pthread_cond_wait(&x.cond, &x.lock);
		}
		pthread_mutex_unlock(&x.lock);
		for (int t = 0; t < started; t++)
			pthread_join(threads[t], NULL);
	}
	if (rc == TS_OK && x.fatal) {
		*err = x.fatal_err;
		rc = err->status;
	}
	if (rc == TS_OK && x.written_k < x.total)
		rc = ts_error_set(err, TS_ECANCELED, "%s: stopped after %ld of %ld runs", o->output_dir, x.written_k, x.total);
done:
	if (x.slots)
		for (int i = 0; i < x.window; i++)
			free(x.slots[i]);
	free(x.slots);
	free(threads);
	pthread_mutex_destroy(&x.lock);
	pthread_cond_destroy(&x.cond);
	int crc = ts_sweep_journal_close(j, err);
	return rc == TS_OK ? crc : rc;
}

/* ---- merge ---- */

int ts_sweep_merge(const char *const *dirs, int n, const char *out_dir, ts_error *err)
{
	if (n < 1)
		return ts_error_set(err, TS_EINPUT, "merge: no shard directories given");
	int shards = -1;
	char hash[80] = "";
	long runs = -1;
	FILE **in = calloc((size_t)n, sizeof *in);
	int *order = malloc((size_t)n * sizeof *order);  /* shard index -> dirs index */
	char *line = NULL, *header = NULL, *first_json = NULL;
	size_t cap = 0;
	int rc = TS_OK;
	ts_csv out;
	memset(&out, 0, sizeof out);
	if (!in || !order) {
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < n; i++)
		order[i] = -1;
	for (int i = 0; i < n && rc == TS_OK; i++) {
		char *json_path = path_in(dirs[i], "sweep.json");
		char *json = NULL;
		if (json_path)
			ts_read_file(&json, NULL, json_path, NULL);
		free(json_path);
		if (!json) {
			rc = ts_error_set(err, TS_EINPUT, "%s: no sweep.json: not a sweep directory", dirs[i]);
			break;
		}
		char h[80], shard[40];
		json_field(json, "sweep_sha256", h, sizeof h);
		json_field(json, "shard", shard, sizeof shard);
		const char *r = strstr(json, "\"runs\": ");
		long this_runs = r ? atol(r + 8) : -1;
		int si = -1, sn = -1;
		if (sscanf(shard, "%d/%d", &si, &sn) != 2 || sn < 1 || si < 0 || si >= sn) {
			free(json);
			rc = ts_error_set(err, TS_EINPUT, "%s: sweep.json has no valid shard", dirs[i]);
			break;
		}
		if (i == 0) {
			snprintf(hash, sizeof hash, "%s", h);
			shards = sn;
			runs = this_runs;
			first_json = json;
		} else {
			free(json);
		}
		if (strcmp(h, hash) != 0)
			rc = ts_error_set(err, TS_EINPUT, "%s: another sweep than %s (sweep_sha256 %.12s... vs %.12s...)",
			                  dirs[i], dirs[0], h, hash);
		else if (sn != shards)
			rc = ts_error_set(err, TS_EINPUT, "%s: shard %d/%d, but %s is one of %d shards", dirs[i], si, sn, dirs[0], shards);
		else if (si < n && order[si] >= 0)
			rc = ts_error_set(err, TS_EINPUT, "%s and %s are both shard %d/%d", dirs[order[si]], dirs[i], si, sn);
		else if (si < n)
			order[si] = i;
	}
	if (rc == TS_OK && n != shards) {
		for (int si = 0; si < shards && si < n; si++)
			if (order[si] < 0) {
				rc = ts_error_set(err, TS_EINPUT, "merge: shard %d/%d is missing", si, shards);
				break;
			}
		if (rc == TS_OK)
			rc = ts_error_set(err, TS_EINPUT, "merge: %d of %d shards given; the others are missing", n, shards);
	}
	for (int si = 0; si < n && rc == TS_OK; si++) {
		if (order[si] < 0) {
			rc = ts_error_set(err, TS_EINPUT, "merge: shard %d/%d is missing", si, shards);
			break;
		}
		char *p = path_in(dirs[order[si]], "sweep.csv");
		in[si] = p ? fopen(p, "rb") : NULL;
		free(p);
		if (!in[si])
			rc = ts_error_set(err, TS_EINPUT, "%s: no sweep.csv: shard %d/%d is not finished (run its command again)",
			                  dirs[order[si]], si, shards);
	}
	if (rc == TS_OK)
		rc = ts_make_dirs(out_dir, err);
	if (rc == TS_OK)
		rc = ts_csv_open(&out, out_dir, "sweep.csv", NULL, err);
	for (int si = 0; si < n && rc == TS_OK; si++) {
		ssize_t m = getline(&line, &cap, in[si]);
		if (m <= 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: empty", dirs[order[si]]);
		} else if (si == 0) {
			header = strdup(line);
			fputs(line, out.fp);
		} else if (!header || strcmp(header, line) != 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: header differs from %s/sweep.csv", dirs[order[si]], dirs[order[0]]);
		}
	}
	for (long r = 0; r < runs && rc == TS_OK; r++) {
		int si = (int)(r % shards);
		ssize_t m = getline(&line, &cap, in[si]);
		char expect[32];
		int e = snprintf(expect, sizeof expect, "%ld,", r);
		if (m <= 0 || strncmp(line, expect, (size_t)e) != 0)
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: run %ld missing or out of order", dirs[order[si]], r);
		else
			fputs(line, out.fp);
	}
	for (int si = 0; si < n && rc == TS_OK; si++)
		if (getline(&line, &cap, in[si]) > 0)
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: more runs than the sweep has", dirs[order[si]]);
	if (rc == TS_OK)
		rc = ts_csv_close(&out, err);
	if (rc == TS_OK) {
		/* points.csv as every shard wrote it; sweep.json of an unsharded sweep. */
		char *src = path_in(dirs[order[0]], "points.csv");
		char *points = NULL;
		if (src)
			ts_read_file(&points, NULL, src, NULL);
		free(src);
		ts_csv f;
		memset(&f, 0, sizeof f);
		f.fp = ts_open_temp(out_dir, "points.csv", &f.tmp_path, &f.final_path, err);
		if (!f.fp) {
			rc = err->status;
		} else {
			fputs(points ? points : "", f.fp);
			char *at = first_json ? strstr(first_json, "\"shard\": \"") : NULL;
			rc = ts_csv_close(&f, err);
			if (rc == TS_OK)
				rc = ts_csv_commit(&f, err);
			ts_csv_discard(&f);
			if (rc == TS_OK && at) {
				f.fp = ts_open_temp(out_dir, "sweep.json", &f.tmp_path, &f.final_path, err);
				if (!f.fp) {
					rc = err->status;
				} else {
					const char *end = strchr(at + 10, '"');
					fprintf(f.fp, "%.*s\"shard\": \"0/1\"%s", (int)(at - first_json), first_json, end ? end + 1 : "");
					rc = ts_csv_close(&f, err);
					if (rc == TS_OK)
						rc = ts_csv_commit(&f, err);
					ts_csv_discard(&f);
				}
			}
		}
		free(points);
	}
	if (rc == TS_OK)
		rc = ts_csv_commit(&out, err);
done:
	ts_csv_discard(&out);
	for (int i = 0; in && i < n; i++)
		if (in[i])
			fclose(in[i]);
	free(in);
	free(order);
	free(line);
	free(header);
	free(first_json);
	return rc;
}

/* ---- sensitivity ---- */

/* Splits a CSV line (RFC 4180 quotes, no embedded newlines) in place. */
static int split_csv(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return n;
		if (*p == '"') {
			char *w = ++p;
			fields[n++] = w;
			for (; *p; p++) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p++;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p;
				}
			}
			*w = '\0';
		} else {
			fields[n++] = p;
			p += strcspn(p, ",\n");
		}
		if (*p != ',') {
			*p = '\0';
			return n;
		}
		*p++ = '\0';
	}
}

int ts_sweep_count_failed(const ts_sweep *s, const char *dir, long *failed, long *runs, ts_error *err)
{
	*failed = *runs = 0;
	int nf = 4 + s->n_params + s->n_metrics + 2;
	char **fields = malloc((size_t)nf * sizeof *fields);
	char *path = path_in(dir, "sweep.csv"), *line = NULL;
	FILE *f = path ? fopen(path, "rb") : NULL;
	size_t cap = 0;
	int rc = TS_OK;
	if (!fields || !path)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	else if (!f)
		rc = ts_error_set(err, TS_EIO, "%s: cannot open: %s", path, strerror(errno));
	else if (getline(&line, &cap, f) <= 0)
		rc = ts_error_set(err, TS_EIO, "%s: empty", path);
	while (rc == TS_OK && getline(&line, &cap, f) > 0) {
		if (split_csv(line, fields, nf) != nf) {
			rc = ts_error_set(err, TS_EIO, "%s: malformed row %ld", path, *runs + 1);
			break;
		}
		++*runs;
		if (strcmp(fields[nf - 2], "failed") == 0)
			++*failed;
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	free(fields);
	return rc;
}

int ts_sweep_sensitivity(const ts_sweep *s, const char *dir, ts_error *err)
{
	if (s->design != TS_SWEEP_SALTELLI)
		return ts_error_set(err, TS_EINPUT, "sensitivity needs a Saltelli design");
	int d = s->n_params, nm = s->n_metrics, nf = 4 + d + nm + 2;
	size_t np = (size_t)s->n_points;
	double *y = calloc(np * (size_t)(nm ? nm : 1), sizeof *y);
	int *count = calloc(np, sizeof *count);
	char **fields = malloc((size_t)nf * sizeof *fields);
	ts_sobol_index *idx = malloc((size_t)d * sizeof *idx);
	char *path = path_in(dir, "sweep.csv");
	FILE *f = path ? fopen(path, "rb") : NULL;
	char *line = NULL;
	size_t cap = 0;
	int rc = TS_OK;
	ts_csv out;
	memset(&out, 0, sizeof out);
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	if (!y || !count || !fields || !idx || !path) {
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		goto done;
	}
	if (!f) {
		rc = ts_error_set(err, TS_EIO, "%s: cannot open: %s", path, strerror(errno));
		goto done;
	}
	if (getline(&line, &cap, f) <= 0) {
		rc = ts_error_set(err, TS_EIO, "%s: empty", path);
		goto done;
	}
	/* Mean of each metric over a point's replications. */
	long failed = 0, first_failed = -1;
	while (getline(&line, &cap, f) > 0) {
		if (split_csv(line, fields, nf) != nf) {
			rc = ts_error_set(err, TS_EIO, "%s: malformed row", path);
			goto done;
		}
		long point = atol(fields[1]);
		if (point < 0 || (size_t)point >= np)
			continue;
		if (strcmp(fields[nf - 2], "ok") != 0) {
			if (failed++ == 0)
				first_failed = atol(fields[0]);
			continue;
		}
		for (int k = 0; k < nm; k++)
			y[(size_t)k * np + (size_t)point] += strtod(fields[4 + d + k], NULL);
		count[point]++;
	}
	if (failed) {
		rc = ts_error_set(err, TS_ERUN, "%s: %ld runs failed (first: run %ld); Sobol indices need every point",
		                  path, failed, first_failed);
		goto done;
	}
	for (int k = 0; k < nm; k++)
		for (size_t p = 0; p < np; p++)
			y[(size_t)k * np + p] = count[p] ? y[(size_t)k * np + p] / count[p] : NAN;
	if ((rc = ts_c_locale_enter(&loc, err)) != TS_OK)
		goto done;
	rc = ts_csv_open(&out, dir, "sensitivity.csv", "metric,parameter,first,first_lo,first_hi,total,total_lo,total_hi,n,confidence", err);
	for (int k = 0; k < nm && rc == TS_OK; k++) {
		rc = ts_sensitivity_sobol((size_t)s->points_setting, d, y + (size_t)k * np, s->bootstrap, s->confidence,
		                          ts_seed_derive(s->seed, 0xB007u), idx, err);
		for (int j = 0; j < d && rc == TS_OK; j++) {
			ts_csv_text(&out, s->metrics[k].name);
			ts_csv_text(&out, s->params[j].path);
			ts_csv_num(&out, idx[j].first);
			ts_csv_num(&out, idx[j].first_lo);
			ts_csv_num(&out, idx[j].first_hi);
			ts_csv_num(&out, idx[j].total);
			ts_csv_num(&out, idx[j].total_lo);
			ts_csv_num(&out, idx[j].total_hi);
			ts_csv_int(&out, s->points_setting);
			ts_csv_num(&out, s->confidence);
			ts_csv_end_row(&out);
		}
	}
	if (rc == TS_OK)
		rc = ts_csv_close(&out, err);
	if (rc == TS_OK)
		rc = ts_csv_commit(&out, err);
done:
	if (loc.c)
		ts_c_locale_leave(&loc);
	ts_csv_discard(&out);
	if (f)
		fclose(f);
	free(line);
	free(path);
	free(idx);
	free(fields);
	free(count);
	free(y);
	return rc;
}
