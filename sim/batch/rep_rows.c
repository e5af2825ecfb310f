/* Replications' rows through per-worker scratch files (rep_rows.h). */
#define _GNU_SOURCE  /* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "batch/rep_rows.h"
#include "util/assert.h"

int ts_rep_rows_open(ts_rep_rows *r, const char *dir, int jobs, int n_tables, const char *const *names,
                     ts_error *err)
{
	memset(r, 0, sizeof *r);
	TS_ASSERT(jobs >= 1 && n_tables <= TS_REP_ROWS_MAX_TABLES);
	size_t n = (size_t)jobs * (size_t)n_tables;
	r->scratch = calloc(n, sizeof *r->scratch);
	r->read_fd = malloc(n * sizeof *r->read_fd);
	if (!r->scratch || !r->read_fd) {
		ts_rep_rows_close(r);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	r->jobs = jobs;
	r->n_tables = n_tables;
	for (size_t i = 0; i < n; i++)
		r->read_fd[i] = -1;
	int rc = TS_OK;
	for (size_t i = 0; i < n && rc == TS_OK; i++)
		rc = ts_csv_open(&r->scratch[i], dir, names[i % (size_t)n_tables], NULL, err);
	return rc;
}

ts_csv *ts_rep_rows_files(ts_rep_rows *r, int worker)
{
	TS_ASSERT(worker >= 0 && worker < r->jobs);
	return &r->scratch[(size_t)worker * (size_t)r->n_tables];
}

/* Every file is flushed at the end of the replication before, so the
 * stream's position is the file's size. */
void ts_rep_rows_begin(ts_rep_rows *r, int worker, ts_rep_chunk *c)
{
	ts_csv *f = ts_rep_rows_files(r, worker);
	c->worker = worker;
	for (int t = 0; t < r->n_tables; t++)
		c->start[t] = c->end[t] = ftello(f[t].fp);
}

int ts_rep_rows_end(ts_rep_rows *r, int worker, ts_rep_chunk *c, ts_error *err)
{
	ts_csv *f = ts_rep_rows_files(r, worker);
	for (int t = 0; t < r->n_tables; t++) {
		if (ferror(f[t].fp) || fflush(f[t].fp) != 0)
			return ts_error_set(err, TS_EIO, "%s: write failed: %s", f[t].final_path,
			                    errno ? strerror(errno) : "unknown error");
		c->end[t] = ftello(f[t].fp);
	}
	return TS_OK;
}

/* Frees the disk blocks of bytes [start, end) of a scratch file once they
 * are copied (Linux: a hole), so that the scratch files take about the
 * rows of the replications in flight rather than a second copy of the
 * tables. Where the file system cannot, the bytes stay until the end. */
static void release_range(int fd, off_t start, off_t end)
{
#ifdef FALLOC_FL_PUNCH_HOLE
	if (end > start)
		(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, end - start);
#else
	(void)fd, (void)start, (void)end;
#endif
}

/* Appends bytes [start, end) of the scratch file i to out. */
static int copy_range(ts_rep_rows *r, size_t i, off_t start, off_t end, ts_csv *out, ts_error *err)
{
	if (r->read_fd[i] < 0 && (r->read_fd[i] = open(r->scratch[i].tmp_path, O_RDWR | O_CLOEXEC)) < 0)
		return ts_error_set(err, TS_EIO, "%s: cannot reopen: %s", r->scratch[i].tmp_path, strerror(errno));
	off_t first = start;
	char buf[1 << 16];
	while (start < end) {
		size_t want = end - start < (off_t)sizeof buf ? (size_t)(end - start) : sizeof buf;
		ssize_t n = pread(r->read_fd[i], buf, want, start);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ts_error_set(err, TS_EIO, "%s: cannot read back: %s", r->scratch[i].tmp_path,
			                    n < 0 ? strerror(errno) : "file too short");
		if (fwrite(buf, 1, (size_t)n, out->fp) != (size_t)n)
			return ts_error_set(err, TS_EIO, "%s: write failed: %s", out->final_path, strerror(errno));
		start += n;
	}
	release_range(r->read_fd[i], first, end);
	return TS_OK;
}

int ts_rep_rows_copy(ts_rep_rows *r, const ts_rep_chunk *c, ts_csv *const *out, ts_error *err)
{
	int rc = TS_OK;
	for (int t = 0; t < r->n_tables && rc == TS_OK; t++)
		rc = copy_range(r, (size_t)c->worker * (size_t)r->n_tables + (size_t)t, c->start[t], c->end[t], out[t],
		                err);
	return rc;
}

void ts_rep_rows_close(ts_rep_rows *r)
{
	size_t n = (size_t)r->jobs * (size_t)r->n_tables;
	for (size_t i = 0; r->read_fd && i < n; i++)
		if (r->read_fd[i] >= 0)
			close(r->read_fd[i]);
	for (size_t i = 0; r->scratch && i < n; i++)
		ts_csv_discard(&r->scratch[i]);  /* no sync: removed at once */
	free(r->scratch);
	free(r->read_fd);
	memset(r, 0, sizeof *r);
}
