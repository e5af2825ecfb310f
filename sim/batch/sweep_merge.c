/* Joining shards: `--shard I/N` directories of one sweep (each sweep.json
 * read strictly: the same sweep_sha256, every I of N once, each finished)
 * become the sweep.csv an unsharded sweep writes, rows dealt back in run
 * order (run r from shard r % N), with the shards' points.csv and a
 * sweep.json whose shard is 0/1. The output directory is locked while it is
 * written, and no output is written through a symbolic link. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "output/outdir.h"
#include "util/json_reader.h"
#include "util/lock.h"
#include "util/textfile.h"

typedef struct shard_dir {
	const char *dir;
	int index, of;               /* shard index/of */
	char hash[65];
	long long runs;
	char *json;                  /* sweep.json's text */
	size_t shard_start, shard_end;/* where its "shard" value lies in json */
	FILE *csv;                   /* sweep.csv */
} shard_dir;

typedef struct merge {
	shard_dir *shards;           /* by shard index once ordered */
	int n;
	const char *first_dir;       /* the first directory named */
	int n_fields;                /* of the header */
	char *line;
	size_t cap;
} merge;

/* "I/N" with 0 <= I < N, nothing else. */
static int parse_shard(const char *text, int *index, int *of)
{
	char tail;
	return sscanf(text, "%d/%d%c", index, of, &tail) == 2 && *of >= 1 && *index >= 0 && *index < *of;
}

/* sweep.json of a shard directory: its sweep, shard and runs. */
static int read_identity(shard_dir *d, ts_error *err)
{
	char *path = ts_sweep_path(d->dir, "sweep.json");
	size_t length = 0;
	if (!path)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	ts_read_file(&d->json, &length, path, NULL);
	if (!d->json) {
		free(path);
		return ts_error_set(err, TS_EINPUT, "%s: no sweep.json: not a sweep directory", d->dir);
	}
	ts_json_object o;
	const char *hash = NULL, *shard = NULL;
	int rc = ts_json_parse_object(&o, d->json, length, path, err);
	if (rc == TS_OK)
		rc = ts_json_get_string(&o, "sweep_sha256", &hash, err);
	if (rc == TS_OK)
		rc = ts_json_get_string(&o, "shard", &shard, err);
	if (rc == TS_OK)
		rc = ts_json_get_integer(&o, "runs", 0, 4000000000LL, &d->runs, err);
	if (rc == TS_OK && (strlen(hash) != 64 || !parse_shard(shard, &d->index, &d->of)))
		rc = ts_error_set(err, TS_EINPUT, "%s: sweep.json has no valid %s", d->dir,
		                  strlen(hash) != 64 ? "sweep_sha256" : "shard");
	if (rc == TS_OK) {
		const ts_json_member *m = ts_json_find(&o, "shard");
		d->shard_start = m->start;
		d->shard_end = m->end;
		snprintf(d->hash, sizeof d->hash, "%s", hash);
	}
	ts_json_object_free(&o);
	free(path);
	return rc;
}

/* Reads every directory's identity and puts them in shard order. */
static int order_shards(merge *m, const char *const *dirs, ts_error *err)
{
	shard_dir *by_index = calloc((size_t)m->n, sizeof *by_index);
	if (!by_index)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = TS_OK;
	for (int i = 0; i < m->n && rc == TS_OK; i++) {
		shard_dir *d = &m->shards[i], *first = &m->shards[0];
		d->dir = dirs[i];
		rc = read_identity(d, err);
		if (rc != TS_OK)
			break;
		if (strcmp(d->hash, first->hash) != 0)
			rc = ts_error_set(err, TS_EINPUT, "%s: another sweep than %s (sweep_sha256 %.12s... vs %.12s...)",
			                  d->dir, first->dir, d->hash, first->hash);
		else if (d->of != first->of)
			rc = ts_error_set(err, TS_EINPUT, "%s: shard %d/%d, but %s is one of %d shards", d->dir, d->index,
			                  d->of, first->dir, first->of);
		else if (d->index < m->n && by_index[d->index].dir)
			rc = ts_error_set(err, TS_EINPUT, "%s and %s are both shard %d/%d", by_index[d->index].dir, d->dir,
			                  d->index, d->of);
		else if (d->index < m->n)
			by_index[d->index] = *d;
	}
	for (int si = 0; rc == TS_OK && si < m->shards[0].of; si++)
		if (si >= m->n || !by_index[si].dir)
			rc = ts_error_set(err, TS_EINPUT, "merge: shard %d/%d is missing", si, m->shards[0].of);
	if (rc == TS_OK) {
		memcpy(m->shards, by_index, (size_t)m->n * sizeof *by_index);  /* the texts move with them */
	} else {
		for (int i = 0; i < m->n; i++)
			free(m->shards[i].json);
		memset(m->shards, 0, (size_t)m->n * sizeof *m->shards);
	}
	free(by_index);
	return rc;
}

/* Each shard's finished sweep.csv, the headers all equal; the first header
 * goes to out. */
static int open_inputs(merge *m, FILE *out, ts_error *err)
{
	char *header = NULL;
	int rc = TS_OK;
	for (int si = 0; si < m->n && rc == TS_OK; si++) {
		shard_dir *d = &m->shards[si];
		char *path = ts_sweep_path(d->dir, "sweep.csv");
		d->csv = path ? fopen(path, "rb") : NULL;
		free(path);
		if (!d->csv) {
			rc = ts_error_set(err, TS_EINPUT, "%s: no sweep.csv: shard %d/%d is not finished (run its command again)",
			                  d->dir, si, d->of);
		} else if (getline(&m->line, &m->cap, d->csv) <= 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: empty", d->dir);
		} else if (si == 0) {
			fputs(m->line, out);
			header = strdup(m->line);
			char **fields = malloc((strlen(m->line) + 2) * sizeof *fields);
			ts_error why = TS_ERROR_INIT;
			if (!header || !fields)
				rc = ts_error_set(err, TS_ENOMEM, "out of memory");
			else if (ts_csv_split(m->line, fields, (int)strlen(m->line) + 1, &m->n_fields, &why) != TS_OK)
				rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: header: %s", d->dir, why.message);
			free(fields);
		} else if (strcmp(header, m->line) != 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: header differs from %s/sweep.csv", d->dir,
			                  m->shards[0].dir);
		}
	}
	free(header);
	return rc;
}

/* Run r's row from shard r % N, checked: whole, its run id, its field count. */
static int copy_rows(merge *m, FILE *out, ts_error *err)
{
	char **fields = malloc((size_t)(m->n_fields + 1) * sizeof *fields);
	int rc = fields ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	char expect[32];
	ts_error why = TS_ERROR_INIT;  /* written only when a row is bad: the loop stops then */
	for (long long r = 0; r < m->shards[0].runs && rc == TS_OK; r++) {
		shard_dir *d = &m->shards[r % m->n];
		ssize_t len = getline(&m->line, &m->cap, d->csv);
		int e = snprintf(expect, sizeof expect, "%lld,", r);
		if (len <= 0 || m->line[len - 1] != '\n' || strncmp(m->line, expect, (size_t)e) != 0) {
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: run %lld missing or out of order", d->dir, r);
			break;
		}
		fputs(m->line, out);
		int n = 0;
		if (ts_csv_split(m->line, fields, m->n_fields, &n, &why) != TS_OK || n != m->n_fields)
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: run %lld: not %d fields%s%s", d->dir, r, m->n_fields,
			                  why.message[0] ? ": " : "", why.message);
	}
	for (int si = 0; si < m->n && rc == TS_OK; si++)
		if (getline(&m->line, &m->cap, m->shards[si].csv) > 0)
			rc = ts_error_set(err, TS_EINPUT, "%s/sweep.csv: more runs than the sweep has", m->shards[si].dir);
	free(fields);
	return rc;
}

/* Writes text (with the bytes [cut_start, cut_end) replaced by insert) to
 * out_dir/name under a temporary name, committed over a non-link. */
static int write_file(const char *out_dir, const char *name, const char *text, size_t cut_start, size_t cut_end,
                      const char *insert, ts_error *err)
{
	ts_csv f;
	int rc = ts_csv_open(&f, out_dir, name, NULL, err);
	if (rc != TS_OK)
		return rc;
	fwrite(text, 1, cut_start, f.fp);
	fputs(insert, f.fp);
	fputs(text + cut_end, f.fp);
	return ts_sweep_commit(&f, out_dir, name, TS_OK, err);
}

/* sweep.csv, then points.csv as every shard wrote it, then sweep.json of an
 * unsharded sweep (that of the first directory named, with shard "0/1"). */
static int write_merged(merge *m, const char *out_dir, ts_error *err)
{
	ts_csv out;
	int rc = ts_csv_open(&out, out_dir, "sweep.csv", NULL, err);
	if (rc == TS_OK)
		rc = open_inputs(m, out.fp, err);
	if (rc == TS_OK)
		rc = copy_rows(m, out.fp, err);
	char *points_path = ts_sweep_path(m->shards[0].dir, "points.csv");
	char *points = NULL;
	if (points_path)
		ts_read_file(&points, NULL, points_path, NULL);
	if (rc == TS_OK)
		rc = write_file(out_dir, "points.csv", points ? points : "", 0, 0, "", err);
	const shard_dir *first = &m->shards[0];
	for (int si = 0; si < m->n; si++)
		if (m->shards[si].dir == m->first_dir)
			first = &m->shards[si];
	if (rc == TS_OK)
		rc = write_file(out_dir, "sweep.json", first->json, first->shard_start, first->shard_end, "\"0/1\"", err);
	rc = ts_sweep_commit(&out, out_dir, "sweep.csv", rc, err);  /* last: it vouches for the others */
	free(points);
	free(points_path);
	return rc;
}

int ts_sweep_merge(const char *const *dirs, int n, const char *out_dir, ts_error *err)
{
	if (n < 1)
		return ts_error_set(err, TS_EINPUT, "merge: no shard directories given");
	merge m = {calloc((size_t)n, sizeof *m.shards), n, dirs[0], 0, NULL, 0};
	if (!m.shards)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	int rc = order_shards(&m, dirs, err);
	if (rc == TS_OK)
		rc = ts_make_dirs(out_dir, err);
	if (rc == TS_OK)
		rc = ts_sweep_lock(&lock, out_dir, err);
	if (rc == TS_OK)
		rc = write_merged(&m, out_dir, err);
	ts_dir_lock_release(&lock);
	for (int i = 0; i < n; i++) {
		if (m.shards[i].csv)
			fclose(m.shards[i].csv);
		free(m.shards[i].json);
	}
	free(m.shards);
	free(m.line);
	return rc;
}
