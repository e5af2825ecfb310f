/* The replications' values in a temporary file (rep_values.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "batch/rep_values.h"
#include "util/assert.h"

int ts_rep_values_open(ts_rep_values *v, const char *dir, const char *name, int reps, size_t per_rep,
                       ts_error *err)
{
	memset(v, 0, sizeof *v);
	v->per_rep = per_rep;
	v->reps = reps;
	int rc = ts_csv_open(&v->file, dir, name, NULL, err);
	if (rc != TS_OK)
		return rc;
	v->read_fd = open(v->file.tmp_path, O_RDONLY | O_CLOEXEC);  /* now, so that reads need no lock */
	if (v->read_fd < 0) {
		rc = ts_error_set(err, TS_EIO, "%s: cannot reopen: %s", v->file.tmp_path, strerror(errno));
		ts_csv_discard(&v->file);
		return rc;
	}
	v->reading = 1;
	return TS_OK;
}

/* The byte offset of value `first` of replication rep. */
static off_t offset_of(const ts_rep_values *v, int rep, size_t first)
{
	return (off_t)(((size_t)rep * v->per_rep + first) * sizeof(double));
}

int ts_rep_values_put(ts_rep_values *v, int rep, const double *values, ts_error *err)
{
	TS_ASSERT(v->file.fp && rep >= 0 && rep < v->reps);
	const char *p = (const char *)values;
	size_t left = v->per_rep * sizeof *values;
	off_t at = offset_of(v, rep, 0);
	while (left > 0) {
		ssize_t n = pwrite(fileno(v->file.fp), p, left, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ts_error_set(err, TS_EIO, "%s: write failed: %s (the replications' values, kept for the summaries)",
			                    v->file.tmp_path, n < 0 ? strerror(errno) : "nothing written");
		p += n;
		left -= (size_t)n;
		at += n;
	}
	return TS_OK;
}

/* Reads size bytes at `at` into p; a short file is an error. */
static int read_at(const ts_rep_values *v, char *p, size_t size, off_t at, ts_error *err)
{
	while (size > 0) {
		ssize_t n = pread(v->read_fd, p, size, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ts_error_set(err, TS_EIO, "%s: cannot read back: %s", v->file.tmp_path,
			                    n < 0 ? strerror(errno) : "file too short");
		p += n;
		size -= (size_t)n;
		at += n;
	}
	return TS_OK;
}

int ts_rep_values_get(ts_rep_values *v, size_t first, size_t n, double *out, ts_error *err)
{
	TS_ASSERT(v->file.tmp_path && first + n <= v->per_rep);
	TS_ASSERT(v->reading);
	int rc = TS_OK;
	for (int q = 0; q < v->reps && rc == TS_OK; q++)
		rc = read_at(v, (char *)(out + (size_t)q * n), n * sizeof *out, offset_of(v, q, first), err);
	return rc;
}

void ts_rep_values_close(ts_rep_values *v)
{
	if (v->reading)
		close(v->read_fd);
	v->reading = 0;
	ts_csv_discard(&v->file);  /* closes without a sync and removes it */
}
