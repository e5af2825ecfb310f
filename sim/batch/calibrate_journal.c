/* calibrate.csv: one row per evaluation, in the order the calibration makes
 * them, appended as each is made (calibrate.csv.part until the calibration
 * is complete). The search is a function of the losses alone, so a resumed
 * calibration takes its first evaluations from the rows a killed one left:
 * a row is reused when, read back, it writes the same bytes as the
 * evaluation it stands for (same phase, group and parameter values); the
 * journal is cut at the first row that does not, and the rest computed. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "batch/calibrate_impl.h"
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "output/dir_contents.h"
#include "util/json_reader.h"
#include "util/textfile.h"

/* A growing string. */
typedef struct text {
	char *s;
	size_t n, cap;
	int nomem;
} text;

static void put(text *t, const char *s, size_t n)
{
	if (t->nomem)
		return;
	if (t->n + n + 1 > t->cap) {
		size_t cap = 2 * (t->n + n + 1) + 64;
		char *p = realloc(t->s, cap);
		if (!p) {
			t->nomem = 1;
			return;
		}
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

/* A field (after a comma unless first), quoted when it holds a comma or quote. */
static void field(text *t, const char *s)
{
	if (t->n)
		put(t, ",", 1);
	if (!strpbrk(s, ",\"")) {
		put(t, s, strlen(s));
		return;
	}
	put(t, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			put(t, "\"", 1);  /* a quote is doubled */
		put(t, p, 1);
	}
	put(t, "\"", 1);
}

static void number(text *t, double v)
{
	char buf[40];
	ts_format_double(buf, sizeof buf, v);
	field(t, buf);
}

static void prefixed(text *t, const char *prefix, const char *name)
{
	size_t n = strlen(prefix) + strlen(name) + 1;
	char *s = malloc(n);
	if (!s) {
		t->nomem = 1;
		return;
	}
	snprintf(s, n, "%s%s", prefix, name);
	field(t, s);
	free(s);
}

char *ts_calib_header(const ts_calibration *c)
{
	text t = {0};
	field(&t, "eval");
	field(&t, "phase");
	field(&t, "group");
	for (int j = 0; j < c->n_params; j++)
		field(&t, c->params[j].path);
	field(&t, "loss");
	for (int k = 0; k < c->facts->n_facts; k++)
		prefixed(&t, "mean.", c->facts->facts[k].name);
	for (int k = 0; k < c->facts->n_facts; k++)
		prefixed(&t, "within.", c->facts->facts[k].name);
	field(&t, "accepted");
	field(&t, "status");
	field(&t, "message");
	if (t.nomem) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

char *ts_calib_row(const ts_calibration *c, const ts_calib_eval *e, long index)
{
	text t = {0};
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", index);
	field(&t, buf);
	field(&t, ts_calib_phase_names[e->phase]);
	snprintf(buf, sizeof buf, "%d", e->group);
	field(&t, buf);
	for (int j = 0; j < c->n_params; j++)
		number(&t, e->value[j]);
	number(&t, e->loss);
	for (int k = 0; k < c->facts->n_facts; k++)
		number(&t, e->mean[k]);
	for (int k = 0; k < c->facts->n_facts; k++) {
		const ts_fact *f = &c->facts->facts[k];
		field(&t, e->failed ? "" : fabs(e->mean[k] - f->observed) <= f->tolerance ? "1" : "0");
	}
	field(&t, e->failed ? "" : ts_calib_accepts(c, e->mean) ? "1" : "0");
	field(&t, e->failed ? "failed" : "ok");
	field(&t, e->failed ? e->message : "");
	put(&t, "\n", 1);
	if (t.nomem) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

/* The complete lines of text after its first (the header, which must be
 * `header`; NULL: no header line), as a malloc'd array of malloc'd lines. */
static int cache_lines(ts_calib_journal *j, const char *content, const char *header)
{
	const char *p = content;
	if (header) {
		size_t hn = strlen(header);
		if (strncmp(content, header, hn) != 0 || content[hn] != '\n')
			return TS_OK;
		p = content + hn + 1;
	}
	for (const char *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		char **grown = realloc(j->cached, (size_t)(j->n_cached + 1) * sizeof *grown);
		if (!grown)
			return TS_ENOMEM;
		j->cached = grown;
		if (!(j->cached[j->n_cached] = strndup(p, (size_t)(nl - p + 1))))
			return TS_ENOMEM;
		j->n_cached++;
	}
	return TS_OK;
}

/* The identity file: DIR/calibrate.json names the calibration's hash. A
 * journal is read back only under the same hash; another is refused. */
static int check_identity(ts_calib_journal *j, int *same, ts_error *err)
{
	char *path = ts_sweep_path(j->dir, "calibrate.json"), *content = NULL;
	*same = 0;
	if (!path)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = TS_OK;
	if (access(path, F_OK) == 0) {
		ts_error local = TS_ERROR_INIT;
		size_t length = 0;
		ts_json_object json = {0};
		const char *hash = NULL;
		rc = ts_read_file(&content, &length, path, &local);
		if (rc == TS_OK)
			rc = ts_json_parse_object(&json, content, length, path, &local);
		if (rc == TS_OK)
			rc = ts_json_get_string(&json, "calibration_sha256", &hash, &local);
		if (rc == TS_ENOMEM || rc == TS_EIO)
			ts_error_set(err, rc, "%s", local.message);
		else if (rc != TS_OK)
			ts_error_set(err, rc, "%s: not the calibrate.json tradesim writes (damaged?): %s; use --force to "
			             "replace it or another -o", path, local.message);
		else if (strcmp(hash, j->c->hash) != 0)
			rc = ts_error_set(err, TS_EINPUT, "%s: the directory holds another calibration (or another version "
			                  "of its scenario or facts); use --force to replace it or another -o", path);
		else
			*same = 1;
		ts_json_object_free(&json);
	}
	free(content);
	free(path);
	return rc;
}

static int write_identity(ts_calib_journal *j, ts_error *err)
{
	ts_csv f;
	int rc = ts_sweep_refuse_link(j->dir, "calibrate.json", err);
	if (rc == TS_OK)
		rc = ts_csv_open(&f, j->dir, "calibrate.json", NULL, err);
	if (rc != TS_OK)
		return rc;
	fprintf(f.fp, "{\n  \"calibration\": \"%s\",\n  \"calibration_sha256\": \"%s\",\n  \"evaluations_max\": %ld\n}\n",
	        "calibrate.csv", j->c->hash, ts_calibration_budget(j->c));
	return ts_sweep_commit(&f, j->dir, "calibrate.json", TS_OK, err);
}

/* Reads back the journal, or the finished calibrate.csv, of the same calibration. */
static int read_back(ts_calib_journal *j, const char *header, ts_error *err)
{
	char *done = ts_sweep_path(j->dir, "calibrate.csv"), *content = NULL;
	int rc = done ? TS_OK : ts_error_set(err, TS_ENOMEM, "out of memory");
	const char *from = rc == TS_OK && access(j->path, F_OK) == 0 ? j->path : done;
	if (rc == TS_OK && access(from, F_OK) == 0 && ts_read_file(&content, NULL, from, err) != TS_OK)
		rc = err->status;
	if (rc == TS_OK && content && from == done && rename(done, j->path) != 0)
		rc = ts_error_set(err, TS_EIO, "%s: cannot rename: %s", done, strerror(errno));
	if (rc == TS_OK && content && cache_lines(j, content, header) != TS_OK)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	free(content);
	free(done);
	return rc;
}

int ts_calib_journal_open(ts_calib_journal *j, const ts_calibration *c, const char *dir, int force, ts_error *err)
{
	*j = (ts_calib_journal){.c = c, .lock = {-1}, .writes = 1};
	int rc = ts_sweep_real_dir(dir, err), same = 0;
	if (rc != TS_OK)
		return rc;
	j->dir = strdup(dir);
	j->path = j->dir ? ts_sweep_path(dir, "calibrate.csv.part") : NULL;
	char *header = ts_calib_header(c);
	if (!j->dir || !j->path || !header)
		rc = ts_error_set(err, TS_ENOMEM, "out of memory");
	if (rc == TS_OK)
		rc = ts_sweep_lock(&j->lock, dir, err);
	ts_output_claim claim = {TS_OUTPUT_CALIBRATION, c->path, NULL, force};
	if (rc == TS_OK)
		rc = ts_output_claim_dir(dir, &claim, err);
	for (const char *const *n = (const char *const[]){"calibrate.csv", "calibrate.csv.part", NULL}; rc == TS_OK && *n; n++)
		rc = ts_sweep_refuse_link(dir, *n, err);
	if (rc == TS_OK)
		rc = check_identity(j, &same, err);
	if (rc == TS_OK && same)
		rc = read_back(j, header, err);
	j->replaying = j->n_cached > 0;
	if (rc == TS_OK)
		rc = write_identity(j, err);
	if (rc == TS_OK && j->n_cached == 0 && (!(j->fp = fopen(j->path, "w")) || fprintf(j->fp, "%s\n", header) < 0))
		rc = ts_error_set(err, TS_EIO, "%s: %s", j->path, strerror(errno));
	free(header);
	if (rc != TS_OK)
		ts_calib_journal_close(j, 0, err);
	return rc;
}

/* Cuts the journal after its first `keep` rows and opens it for appending. */
static int cut(ts_calib_journal *j)
{
	char *header = ts_calib_header(j->c);
	FILE *fp = header ? fopen(j->path, "w") : NULL;
	int ok = fp && fprintf(fp, "%s\n", header) >= 0;
	for (long k = 0; ok && k < j->next; k++)
		ok = fputs(j->cached[k], fp) >= 0;
	for (long k = 0; k < j->n_cached; k++)
		free(j->cached[k]);
	free(j->cached);
	free(header);
	j->cached = NULL;
	j->n_cached = 0;
	j->fp = fp;
	return ok && fflush(fp) == 0 ? TS_OK : TS_EIO;
}

int ts_calib_from_row(const ts_calibration *c, ts_calib_eval *e, long index, const char *row)
{
	int nf = 3 + c->n_params + 1 + 2 * c->facts->n_facts + 3, n = 0, same = 0;
	char *line = strdup(row), **fields = calloc((size_t)nf + 1, sizeof *fields);
	ts_error local = TS_ERROR_INIT;
	if (line && fields && ts_csv_split(line, fields, nf, &n, &local) == TS_OK && n == nf) {
		for (int j = 0; j < c->n_params; j++)
			e->value[j] = ts_calib_value(c, j, e->u[j]);
		for (int k = 0; k < c->facts->n_facts; k++)
			e->mean[k] = fields[4 + c->n_params + k][0] ? strtod(fields[4 + c->n_params + k], NULL) : NAN;
		e->failed = strcmp(fields[nf - 2], "failed") == 0;
		e->message = e->failed ? strdup(fields[nf - 1]) : NULL;
		e->loss = e->failed ? NAN : ts_calib_loss(c, e->mean);
		char *again = (!e->failed || e->message) ? ts_calib_row(c, e, index) : NULL;
		same = again && strcmp(again, row) == 0;
		free(again);
	}
	free(fields);
	free(line);
	if (!same) {
		free(e->message);
		e->message = NULL;
		e->failed = 0;
	}
	return same;
}

int ts_calib_journal_take(ts_calib_journal *j, ts_calib_eval *e)
{
	if (!j->replaying || j->next >= j->n_cached)
		return 0;
	if (ts_calib_from_row(j->c, e, j->next, j->cached[j->next])) {
		j->next++;
		return 1;
	}
	j->replaying = 0;  /* the rest is computed again */
	return 0;
}

int ts_calib_journal_append(ts_calib_journal *j, const ts_calib_eval *e, ts_error *err)
{
	if (!j->writes) {
		j->next++;
		return TS_OK;
	}
	if (!j->fp && cut(j) != TS_OK)
		return ts_error_set(err, TS_EIO, "%s: %s", j->path, strerror(errno));
	char *row = ts_calib_row(j->c, e, j->next);
	if (!row)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	/* Flushed, so a killed process leaves it whole; synced once, at the end:
	 * a row lost or cut by a crash of the machine is computed again. */
	int ok = fputs(row, j->fp) >= 0 && fflush(j->fp) == 0;
	free(row);
	if (!ok)
		return ts_error_set(err, TS_EIO, "%s: %s", j->path, strerror(errno));
	j->next++;
	return TS_OK;
}

int ts_calib_journal_close(ts_calib_journal *j, int complete, ts_error *err)
{
	int rc = TS_OK;
	if (complete && !j->fp && j->writes)
		rc = cut(j) == TS_OK ? TS_OK : ts_error_set(err, TS_EIO, "%s: %s", j->path, strerror(errno));
	if (j->fp && complete && rc == TS_OK && (fflush(j->fp) != 0 || fsync(fileno(j->fp)) != 0))
		rc = ts_error_set(err, TS_EIO, "%s: %s", j->path, strerror(errno));
	if (j->fp && fclose(j->fp) != 0 && rc == TS_OK)
		rc = ts_error_set(err, TS_EIO, "%s: %s", j->path, strerror(errno));
	j->fp = NULL;
	if (complete && rc == TS_OK && j->writes) {
		char *done = ts_sweep_path(j->dir, "calibrate.csv");
		if (!done || rename(j->path, done) != 0)
			rc = ts_error_set(err, TS_EIO, "%s: cannot rename: %s", j->path, done ? strerror(errno) : "out of memory");
		free(done);
	}
	for (long k = 0; k < j->n_cached; k++)
		free(j->cached[k]);
	free(j->cached);
	j->cached = NULL;
	j->n_cached = 0;
	free(j->path);
	free(j->dir);
	j->path = j->dir = NULL;
	ts_dir_lock_release(&j->lock);
	return rc;
}

void ts_calib_journal_quiet(ts_calib_journal *j, const ts_calibration *c)
{
	*j = (ts_calib_journal){.c = c, .lock = {-1}, .writes = 0};
}

/* The cached rows end to end (process 0's part of the share). */
static char *joined(const ts_calib_journal *j)
{
	text t = {0};
	put(&t, "", 0);
	for (long k = 0; k < j->n_cached; k++)
		put(&t, j->cached[k], strlen(j->cached[k]));
	if (t.nomem) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

int ts_calib_journal_share(ts_calib_journal *j, const ts_calibrate_share *share, int status, ts_error *err)
{
	char *rows[1] = {NULL};
	if (status == TS_OK && share->process == 0 && !(rows[0] = joined(j)))
		status = ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = share->exchange(share->ctx, rows, 1, status, err);
	if (rc == TS_OK && share->process > 0) {
		if (cache_lines(j, rows[0], NULL) != TS_OK)
			rc = ts_error_set(err, TS_ENOMEM, "out of memory");
		j->replaying = j->n_cached > 0;
	}
	free(rows[0]);
	return rc;
}
