/* A sweep's output directory and its journal. The directory is locked
 * (util/lock.h) from the journal's opening to its closing, so a second
 * sweep aimed at it is refused instead of interleaving rows. sweep.json
 * says which sweep (and shard) the directory holds, points.csv its design;
 * finished rows are appended in run order to sweep.csv.part, flushed at once,
 * and the journal becomes sweep.csv when every run of the shard is in it.
 * Resuming checks sweep.json strictly, then every row of the journal (a
 * kill can tear the last one; anything else is damage) and cuts it at the
 * first bad row, saying so through the options' notice callback. Files are
 * never written through a symbolic link: a link in place of one of them is
 * refused. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <tradesim/version.h>
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "output/json.h"
#include "output/outdir.h"
#include "util/json_reader.h"
#include "util/lock.h"
#include "util/parallel.h"
#include "util/textfile.h"

struct ts_sweep_journal {
	const ts_sweep *s;
	const ts_sweep_options *o;
	char *dir;
	int shard, shards;
	long total, done;
	long failed;                 /* rows of failed runs among the done */
	FILE *fp;                    /* the journal, open for appending (NULL when sweep.csv is there) */
	char *part_path, *final_path;
	time_t last_sync;
	ts_dir_lock lock;
};

/* The files a sweep writes in its directory; none may be a symbolic link. */
static const char *const sweep_files[] = {"sweep.json", "points.csv", "sweep.csv", "sweep.csv.part", "runs"};

static int exists(const char *dir, const char *name)
{
	char *path = ts_sweep_path(dir, name);
	struct stat st;
	int yes = path && lstat(path, &st) == 0;
	free(path);
	return yes;
}

/* Makes a rename in dir durable, as far as the file system allows: best
 * effort, since the rename itself has already succeeded. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* ---- sweep.json and points.csv ---- */

/* Writes a small file whole under a temporary name (created afresh, so no
 * link is followed), then renames it over DIR/NAME, which must not be a link. */
static int write_whole(const char *dir, const char *name, int (*fill)(FILE *fp, const void *arg, ts_error *err),
                       const void *arg, ts_error *err)
{
	ts_csv f;
	int rc = ts_csv_open(&f, dir, name, NULL, err);
	if (rc != TS_OK)
		return rc;
	return ts_sweep_commit(&f, dir, name, fill(f.fp, arg, err), err);
}

static int fill_json(FILE *fp, const void *arg, ts_error *err)
{
	(void)err;
	const ts_sweep_journal *j = arg;
	const ts_sweep *s = j->s;
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
	        s->common_seeds ? "true" : "false", j->shard, j->shards);
	ts_json_string(fp, j->o->command_line);
	fputs("\n}\n", fp);
	return TS_OK;
}

/* point,<parameters>: every point, computed one after the other. */
static int fill_points(FILE *fp, const void *arg, ts_error *err)
{
	const ts_sweep *s = arg;
	ts_csv csv;
	ts_csv_over(&csv, fp);
	fputs("point", fp);
	for (int j = 0; j < s->n_params; j++) {
		fputc(',', fp);
		fputs(s->params[j].path, fp);
	}
	fputc('\n', fp);
	double *u = malloc((size_t)s->n_params * sizeof *u);
	int rc = u ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	char buf[64];
	for (long p = 0; p < s->n_points && rc == TS_OK; p++) {
		rc = ts_sweep_point(s, p, u, err);
		ts_csv_int(&csv, p);
		for (int j = 0; j < s->n_params && rc == TS_OK; j++)
			ts_csv_text(&csv, ts_sweep_value_csv(s, j, u[j], buf, sizeof buf));
		ts_csv_end_row(&csv);
	}
	free(u);
	if (ts_csv_release(&csv) && rc == TS_OK)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	return rc;
}

/* sweep.json of an existing directory: this sweep (hash) and this shard? */
static int check_identity(const ts_sweep_journal *j, ts_error *err)
{
	char *path = ts_sweep_path(j->dir, "sweep.json");
	size_t length = 0;
	char *text = NULL;
	if (path)
		ts_read_file(&text, &length, path, NULL);
	if (!text) {
		int rc = ts_error_set(err, path ? TS_EIO : TS_ENOMEM, "%s: cannot read", path ? path : j->dir);
		free(path);
		return rc;
	}
	ts_json_object json;
	const char *hash = NULL, *shard = NULL;
	int rc = ts_json_parse_object(&json, text, length, path, err);
	if (rc == TS_OK)
		rc = ts_json_get_string(&json, "sweep_sha256", &hash, err);
	if (rc == TS_OK)
		rc = ts_json_get_string(&json, "shard", &shard, err);
	char want[40];
	snprintf(want, sizeof want, "%d/%d", j->shard, j->shards);
	if (rc == TS_ENOMEM)
		;
	else if (rc != TS_OK)
		ts_error_set(err, rc, "%s: not the sweep.json tradesim writes (damaged?): remove %s or choose another "
		             "output directory", path, j->dir);
	else if (strcmp(hash, j->s->hash) != 0)
		rc = ts_error_set(err, TS_EINPUT, "%s holds the results of another sweep (the sweep file or its scenario "
		                  "changed: sweep_sha256 %.12s..., now %.12s...); use --force to replace it or another -o",
		                  j->dir, hash, j->s->hash);
	else if (strcmp(shard, want) != 0)
		rc = ts_error_set(err, TS_EINPUT, "%s: holds shard %.20s of this sweep, not %s", j->dir, shard, want);
	ts_json_object_free(&json);
	free(text);
	free(path);
	return rc;
}

/* A new sweep directory: nothing of another sweep may be in it. */
static int write_identity(const ts_sweep_journal *j, ts_error *err)
{
	static const char *const results[] = {"sweep.csv", "sweep.csv.part"};
	for (int f = 0; f < 2; f++)
		if (exists(j->dir, results[f]))
			return ts_error_set(err, TS_EINPUT, "%s/%s exists but %s/sweep.json does not: not a tradesim sweep "
			                    "directory, or a damaged one; remove it or choose another output directory",
			                    j->dir, results[f], j->dir);
	int rc = write_whole(j->dir, "points.csv", fill_points, j->s, err);
	return rc == TS_OK ? write_whole(j->dir, "sweep.json", fill_json, j, err) : rc;
}

/* ---- the journal file ---- */

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

void ts_sweep_journal_report(const ts_sweep_journal *j)
{
	if (j->o->progress_failed)
		j->o->progress_failed(j->o->progress_ctx, j->failed);
	if (j->o->progress)
		j->o->progress(j->o->progress_ctx, j->done, j->total);
}

/* Whether a row (sweep_row.c) records a run that succeeded: its status is
 * "ok" and its message, the last field, empty. A failed run's message is
 * never empty, and one that ends in ",ok," holds commas, so is quoted. */
static int row_succeeded(const char *row)
{
	size_t n = strlen(row);
	return n >= 5 && strcmp(row + n - 5, ",ok,\n") == 0;
}

static void notify(const ts_sweep_journal *j, const char *fmt, ...)
{
	if (!j->o->notice)
		return;
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	j->o->notice(j->o->notice_ctx, message);
}

/* Where reading the journal from its start stopped. */
typedef struct scan_result {
	long good;                   /* rows that check, in order; -1: the header does not */
	long failed;                 /* rows among them of failed runs */
	off_t keep;                  /* bytes of the header and those rows */
	long bad_line;               /* the first line that does not check (0: none) */
	ts_error why;                /* what is wrong with it */
} scan_result;

/* The header, then the rows of the shard's runs in order for as long as
 * each checks (sweep_csv.c). */
static int scan(ts_sweep_journal *j, const char *header, scan_result *r, ts_error *err)
{
	memset(r, 0, sizeof *r);
	int nf = ts_sweep_field_count(j->s), rc = TS_OK;
	char **fields = malloc((size_t)(nf + 1) * sizeof *fields), *line = NULL;
	size_t cap = 0;
	if (!fields)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	rewind(j->fp);
	ssize_t n = getline(&line, &cap, j->fp);
	if (n <= 0 || line[n - 1] != '\n' || (size_t)n != strlen(header) + 1 || memcmp(line, header, (size_t)n - 1) != 0) {
		r->good = -1;
		r->bad_line = 1;
		ts_error_set(&r->why, TS_EINPUT, "not this sweep's header");
	} else {
		r->keep = n;
		for (long at = 2; (n = getline(&line, &cap, j->fp)) > 0; at++) {
			if (r->good >= j->total)
				rc = ts_error_set(&r->why, TS_EINPUT, "a row after the shard's last run");
			else if (strlen(line) != (size_t)n)
				rc = ts_error_set(&r->why, TS_EINPUT, "a NUL byte");
			else
				rc = ts_sweep_row_check(j->s, ts_sweep_journal_run_id(j, r->good), line, fields, &r->why);
			if (rc != TS_OK) {
				r->bad_line = at;
				break;
			}
			r->keep += n;
			r->good++;
			r->failed += strcmp(fields[nf - 2], "failed") == 0;
		}
	}
	if (rc == TS_ENOMEM)
		ts_error_set(err, rc, "out of memory");
	else if (ferror(j->fp))
		rc = ts_error_set(err, TS_EIO, "%s: cannot read: %s", j->part_path, strerror(errno));
	else
		rc = TS_OK;
	free(line);
	free(fields);
	return rc;
}

/* Keeps the journal's good prefix (or only a new header) and says what was cut. */
static int recover(ts_sweep_journal *j, const char *header, ts_error *err)
{
	scan_result r;
	int rc = scan(j, header, &r, err);
	struct stat st;
	if (rc == TS_OK && fstat(fileno(j->fp), &st) != 0)
		rc = ts_error_set(err, TS_EIO, "%s: %s", j->part_path, strerror(errno));
	if (rc != TS_OK)
		return rc;
	if (r.keep < st.st_size) {
		if (ftruncate(fileno(j->fp), r.keep) != 0)
			return ts_error_set(err, TS_EIO, "%s: cannot truncate: %s", j->part_path, strerror(errno));
		notify(j, "%s:%ld: %s; cut the journal there (%ld rows kept, %lld bytes dropped): the runs from there on "
		       "run again", j->part_path, r.bad_line, r.why.message, r.good > 0 ? r.good : 0,
		       (long long)(st.st_size - r.keep));
	}
	if (fseek(j->fp, 0, SEEK_END) != 0)  /* from reading to appending */
		return ts_error_set(err, TS_EIO, "%s: %s", j->part_path, strerror(errno));
	if (r.good < 0)
		fprintf(j->fp, "%s\n", header);
	j->done = r.good > 0 ? r.good : 0;
	j->failed = r.good > 0 ? r.failed : 0;
	return TS_OK;
}

/* sweep.csv.part, opened for appending without following a link; *created
 * when it did not exist. */
static int open_part(ts_sweep_journal *j, int *created, ts_error *err)
{
	const int flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC;
	int fd = open(j->part_path, flags);
	*created = fd < 0 && errno == ENOENT;
	if (*created)
		fd = open(j->part_path, flags | O_CREAT | O_EXCL, 0666);
	if (fd < 0) {
		if (errno == ELOOP || errno == EEXIST)
			return ts_error_set(err, TS_EINPUT, "%s is a symbolic link: a sweep does not write through links "
			                    "(remove it, or choose another output directory)", j->part_path);
		return ts_error_set(err, TS_EINPUT, "%s: cannot write: %s", j->part_path, strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ts_error_set(err, TS_EINPUT, "%s: not a regular file", j->part_path);
	}
	if (!(j->fp = fdopen(fd, "r+b"))) {
		close(fd);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	return TS_OK;
}

/* The journal to append to, resumed or new; none when sweep.csv is there. */
static int open_journal(ts_sweep_journal *j, ts_error *err)
{
	if (exists(j->dir, "sweep.csv")) {
		long runs;
		j->done = j->total;  /* finished earlier */
		return ts_sweep_count_failed(j->s, j->dir, &j->failed, &runs, err);
	}
	char *header = ts_sweep_header(j->s);
	int created = 0;
	int rc = header ? open_part(j, &created, err) : ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK && created)
		fprintf(j->fp, "%s\n", header);
	else if (rc == TS_OK)
		rc = recover(j, header, err);
	if (rc == TS_OK && (fflush(j->fp) != 0 || fsync(fileno(j->fp)) != 0))
		rc = ts_error_set(err, TS_EIO, "%s: write failed: %s", j->part_path, strerror(errno));
	free(header);
	return rc;
}

static void journal_free(ts_sweep_journal *j)
{
	if (!j)
		return;
	if (j->fp)
		fclose(j->fp);
	ts_dir_lock_release(&j->lock);
	free(j->dir);
	free(j->part_path);
	free(j->final_path);
	free(j);
}

static ts_sweep_journal *journal_new(const ts_sweep *s, const ts_sweep_options *o, int shards)
{
	ts_sweep_journal *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->lock.fd = -1;
	j->s = s;
	j->o = o;
	j->shard = o->shard;
	j->shards = shards;
	long runs = ts_sweep_runs(s);
	j->total = runs > o->shard ? (runs - o->shard + shards - 1) / shards : 0;
	if (!(j->dir = strdup(o->output_dir)) || !(j->part_path = ts_sweep_path(o->output_dir, "sweep.csv.part")) ||
	    !(j->final_path = ts_sweep_path(o->output_dir, "sweep.csv"))) {
		journal_free(j);
		return NULL;
	}
	return j;
}

/* Locked, no links, the right sweep; then the journal. */
static int journal_prepare(ts_sweep_journal *j, ts_error *err)
{
	ts_output_claim claim = {TS_OUTPUT_SWEEP, j->s->scenario_path, NULL, j->o->force};
	int rc = ts_sweep_lock(&j->lock, j->dir, err);
	if (rc == TS_OK)
		rc = ts_output_claim_dir(j->dir, &claim, err);
	for (size_t f = 0; f < sizeof sweep_files / sizeof sweep_files[0] && rc == TS_OK; f++)
		rc = ts_sweep_refuse_link(j->dir, sweep_files[f], err);
	ts_c_locale loc = {(locale_t)0, (locale_t)0};
	if (rc == TS_OK)
		rc = ts_c_locale_enter(&loc, err);  /* numbers read and written with '.' */
	if (rc == TS_OK) {
		rc = exists(j->dir, "sweep.json") ? check_identity(j, err) : write_identity(j, err);
		if (rc == TS_OK)
			rc = open_journal(j, err);
		ts_c_locale_leave(&loc);
	}
	return rc;
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
	ts_sweep_journal *j = journal_new(s, o, shards);
	if (!j)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	rc = journal_prepare(j, err);
	if (rc != TS_OK) {
		journal_free(j);
		return rc;
	}
	j->last_sync = time(NULL);
	*out = j;
	return TS_OK;
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
	j->failed += !row_succeeded(row);
	time_t now = time(NULL);
	if (now != j->last_sync) {
		j->last_sync = now;
		if (fdatasync(fileno(j->fp)) != 0 && errno != EINVAL)
			return ts_error_set(err, TS_EIO, "%s: sync failed: %s", j->part_path, strerror(errno));
	}
	return TS_OK;
}

/* Flushes and closes the journal; renames it to sweep.csv when complete. */
static int journal_finish(ts_sweep_journal *j, ts_error *err)
{
	int bad = fflush(j->fp) != 0 || (fsync(fileno(j->fp)) != 0 && errno != EINVAL);
	int saved = errno;
	if (fclose(j->fp) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	j->fp = NULL;
	if (bad)
		return ts_error_set(err, TS_EIO, "%s: write failed: %s", j->part_path, strerror(saved));
	if (j->done < j->total)
		return TS_OK;
	int rc = ts_sweep_refuse_link(j->dir, "sweep.csv", err);
	if (rc == TS_OK && rename(j->part_path, j->final_path) != 0)
		rc = ts_error_set(err, TS_EIO, "%s: cannot rename into place: %s", j->final_path, strerror(errno));
	if (rc == TS_OK)
		sync_dir(j->dir);
	return rc;
}

int ts_sweep_journal_close(ts_sweep_journal *j, ts_error *err)
{
	if (!j)
		return TS_OK;
	int rc = j->fp ? journal_finish(j, err) : TS_OK;
	journal_free(j);  /* and the directory's lock */
	return rc;
}
