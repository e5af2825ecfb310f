#ifndef TS_BATCH_REP_ROWS_H
#define TS_BATCH_REP_ROWS_H
/* The rows of replications on their way to the joined tables (every rep's
 * rows, reps in order). Each worker thread writes the replications it runs
 * to scratch files of its own, one per table, one after the other; a
 * replication's rows are the byte range [start, end) of those files that
 * ts_rep_rows_end records. The calling thread copies the ranges into the
 * tables in replication order as replications are handed over, while later
 * ones run: no file per replication (creating and removing thousands of
 * files serialises threads on the directory), no join after the last
 * replication, and memory independent of the number of replications.
 * Scratch files are hidden temporaries in the output directory, never
 * synced nor committed; the ranges copied are freed at once (holes, where
 * the file system allows), and ts_rep_rows_close removes the files. */
#include <sys/types.h>
#include <tradesim/error.h>
#include "output/csv.h"

#define TS_REP_ROWS_MAX_TABLES 16

typedef struct ts_rep_rows {
	int jobs, n_tables;
	ts_csv *scratch;             /* [worker * n_tables + table] */
	int *read_fd;                /* likewise; -1 until the copier first reads it */
} ts_rep_rows;

/* Where one replication's rows lie. */
typedef struct ts_rep_chunk {
	int worker;
	off_t start[TS_REP_ROWS_MAX_TABLES], end[TS_REP_ROWS_MAX_TABLES];
} ts_rep_chunk;

/* Creates n_tables scratch files in dir for each of `jobs` workers, named
 * after names[table] (so that write errors name the table). Call
 * ts_rep_rows_close in every case. */
int ts_rep_rows_open(ts_rep_rows *r, const char *dir, int jobs, int n_tables, const char *const *names,
                     ts_error *err);

/* The worker's files, one per table, to write one replication's rows into
 * between ts_rep_rows_begin and ts_rep_rows_end (the worker's thread only). */
ts_csv *ts_rep_rows_files(ts_rep_rows *r, int worker);
void ts_rep_rows_begin(ts_rep_rows *r, int worker, ts_rep_chunk *c);
/* Flushes the worker's files and records where the rows end; a write error
 * (e.g. a full disk) is TS_EIO naming the table. */
int ts_rep_rows_end(ts_rep_rows *r, int worker, ts_rep_chunk *c, ts_error *err);

/* Appends the chunk's rows of each table to out[table] (the calling
 * thread, which alone calls it). TS_EIO on a failed read or write. */
int ts_rep_rows_copy(ts_rep_rows *r, const ts_rep_chunk *c, ts_csv *const *out, ts_error *err);

/* Closes and removes the scratch files. Safe on a zeroed *r and to repeat. */
void ts_rep_rows_close(ts_rep_rows *r);

#endif
