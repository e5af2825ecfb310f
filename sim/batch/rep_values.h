#ifndef TS_BATCH_REP_VALUES_H
#define TS_BATCH_REP_VALUES_H
/* The numeric values of every replication, on disk: what the summaries of
 * replications and comparisons are computed from, without holding
 * replications x values doubles in memory. One temporary file in the output
 * directory (a hidden .NAME.<pid>.<id>.<n>.tmp, never committed: removed by
 * ts_rep_values_close, or as a stale temporary by the next run there if the
 * process is killed), replication r's values at [r * per_rep, (r + 1) *
 * per_rep). Replications store theirs from any thread, each once, at its own
 * offset, so the order in which they finish changes no byte; the summary
 * pass reads back a block of values of every replication at a time. */
#include <stddef.h>
#include <tradesim/error.h>
#include "output/csv.h"

typedef struct ts_rep_values {
	ts_csv file;        /* the temporary file (written with pwrite on its descriptor) */
	int read_fd;        /* for reading, opened with the file */
	int reading;        /* read_fd is open */
	size_t per_rep;     /* values of one replication */
	int reps;
} ts_rep_values;

/* Creates the temporary file DIR/.NAME...tmp for reps x per_rep doubles.
 * On failure *v holds nothing to close. */
int ts_rep_values_open(ts_rep_values *v, const char *dir, const char *name, int reps, size_t per_rep,
                       ts_error *err);

/* Stores replication rep's values[0 .. per_rep). Any thread; each rep once. */
int ts_rep_values_put(ts_rep_values *v, int rep, const double *values, ts_error *err);

/* out[q * n + i] = value first + i of replication q, for every replication
 * q and i < n (first + n <= per_rep). Any thread, once every replication
 * has stored its values. */
int ts_rep_values_get(ts_rep_values *v, size_t first, size_t n, double *out, ts_error *err);

/* Closes and removes the file. Safe on a zeroed or closed *v. */
void ts_rep_values_close(ts_rep_values *v);

#endif
