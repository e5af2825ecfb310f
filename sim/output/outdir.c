/* Output directories: mkdir -p, the writer's lock, stale temporaries and
 * stale outputs, commit in an order that never shows a run.json beside
 * files it does not describe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output/json.h"
#include "output/outdir.h"
#include "output/tables.h"
#include "util/assert.h"

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

int ts_outdir_open(ts_outdir *d, const char *path, int capacity, const ts_output_claim *claim, ts_error *err)
{
	*d = (ts_outdir)TS_OUTDIR_INIT;
	d->path = path;
	int rc = ts_make_dirs(path, err);
	if (rc == TS_OK)
		rc = ts_dir_lock_acquire(&d->lock, path, err);
	/* Holding the lock, any temporary here belongs to a writer that died. */
	if (rc == TS_OK)
		rc = ts_csv_remove_stale(path, err);
	if (rc == TS_OK && claim)
		rc = ts_output_claim_dir(path, claim, err);
	if (rc == TS_OK && !(d->files = calloc((size_t)capacity, sizeof *d->files)))
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK)
		d->capacity = capacity;
	return rc;
}

ts_csv *ts_outdir_add(ts_outdir *d)
{
	TS_ASSERT(d->n < d->capacity);
	return &d->files[d->n++];
}

void ts_outdir_json_files(FILE *fp, const ts_outdir *d)
{
	size_t dir_len = strlen(d->path);
	fputs("\"files\": [", fp);
	for (int i = 0; i < d->n; i++) {
		fputs(i ? ", " : "", fp);
		ts_json_string(fp, d->files[i].final_path ? d->files[i].final_path + dir_len + 1 : "");
	}
	fputc(']', fp);
}

/* Whether one of the new files will take the name `name`. */
static int replaced(const ts_outdir *d, const char *name)
{
	size_t dir_len = strlen(d->path);
	for (int i = 0; i < d->n; i++)
		if (d->files[i].final_path && strcmp(d->files[i].final_path + dir_len + 1, name) == 0)
			return 1;
	return 0;
}

static int remove_if_stale(const ts_outdir *d, const char *name, ts_error *err)
{
	if (replaced(d, name))
		return TS_OK;
	char path[4096];
	if (snprintf(path, sizeof path, "%s/%s", d->path, name) >= (int)sizeof path)
		return ts_error_set(err, TS_EINPUT, "%s: directory name too long", d->path);
	if (unlink(path) != 0 && errno != ENOENT)
		return ts_error_set(err, TS_EIO, "%s: cannot remove the output of an earlier run: %s", path,
		                    strerror(errno));
	return TS_OK;
}

/* Every name a run, replications or a comparison write (the tables,
 * summary_ and compare_ of each per-entity table, reps.csv, scenario.cfg,
 * run.json, a comparison's totals and events) that the new files do not
 * replace. */
static int remove_stale_outputs(const ts_outdir *d, ts_error *err)
{
	static const char *const fixed[] = {"reps.csv", "scenario.cfg", "run.json", "compare_totals.csv",
	                                    "events_a.csv", "events_b.csv"};
	int rc = TS_OK;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && rc == TS_OK; i++)
		rc = remove_if_stale(d, fixed[i], err);
	for (int t = 0; t < ts_n_tables && rc == TS_OK; t++) {
		char name[128];
		rc = remove_if_stale(d, ts_tables[t].file, err);
		for (int k = 0; k < 2 && rc == TS_OK && ts_tables[t].per_entity; k++) {
			snprintf(name, sizeof name, "%s_%s", k ? "compare" : "summary", ts_tables[t].file);
			rc = remove_if_stale(d, name, err);
		}
	}
	return rc;
}

int ts_outdir_commit(ts_outdir *d, int rc, ts_error *err)
{
	if (rc == TS_OK && d->n > 0) {
		/* run.json goes first, so that no moment shows it beside a mix of
		 * old and new files, and comes back last. */
		const char *vouching = d->files[d->n - 1].final_path;
		if (unlink(vouching) != 0 && errno != ENOENT)
			rc = ts_error_set(err, TS_EIO, "%s: cannot replace: %s", vouching, strerror(errno));
		if (rc == TS_OK)
			rc = remove_stale_outputs(d, err);
	}
	for (int i = 0; i < d->n && rc == TS_OK; i++)
		rc = ts_csv_commit(&d->files[i], err);
	for (int i = 0; i < d->n; i++)
		ts_csv_discard(&d->files[i]);
	return rc;
}

void ts_outdir_close(ts_outdir *d)
{
	for (int i = 0; i < d->n; i++)
		ts_csv_discard(&d->files[i]);
	free(d->files);
	d->files = NULL;
	d->n = d->capacity = 0;
	ts_dir_lock_release(&d->lock);
}
