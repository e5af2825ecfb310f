#ifndef TS_BATCH_CELLS_H
#define TS_BATCH_CELLS_H
/* Per-cell statistics of replications: summary_<table>.csv and
 * compare_<table>.csv, one row per step, entity and numeric column of each
 * per-entity table, computed from every replication's values read back
 * from disk (rep_values.h) a block of cells at a time. Blocks are computed
 * on the worker threads and written in order by the calling thread, so -j
 * changes no byte, and memory is bounded by the block size whatever the
 * number of replications (but for the reps doubles an exact quantile of one
 * cell needs). */
#include <tradesim/error.h>
#include <tradesim/scenario.h>
#include "batch/rep_values.h"
#include "output/csv.h"
#include "output/tables.h"

#define TS_CELLS_MAX_TABLES 16

/* One per-entity table's numeric values within a replication's: value
 * ((step * rows + row) * nnum + k) of the table is value first + that of
 * the replication's. */
typedef struct ts_cell_table {
	const ts_table *t;
	int rows, nnum;
	int num[TS_TABLE_MAX_COLUMNS]; /* column index of the k-th numeric column */
	size_t first, cells;         /* cells = steps * rows * nnum */
} ts_cell_table;

/* Writes the statistics of one cell: the replications' values a[0..reps)
 * (and b's for a comparison), with scratch room for reps doubles. */
typedef void (*ts_cell_writer)(ts_csv *csv, const double *a, const double *b, int reps, double *scratch,
                               const void *arg);

typedef struct ts_cells_spec {
	const char *dir, *prefix;    /* files dir/<prefix>_<table>.csv */
	const char *columns;         /* the header after step,date,<keys>: ",metric,n,..." */
	const ts_scenario *s;        /* A's: the entities' keys and the calendar */
	const ts_cell_table *tab;    /* [ntab], the same shapes in A and B */
	int ntab, reps, jobs;
	ts_rep_values *a, *b;        /* b: NULL but for a comparison */
	size_t block_values;         /* values of all replications a block holds (per operand) */
	ts_cell_writer cell;
	const void *arg;             /* for cell */
} ts_cells_spec;

/* TS_EINPUT unless A's and B's tables have the same entities (keys) in the
 * same order, as a comparison needs. */
int ts_cells_same_keys(const ts_scenario *a, const ts_scenario *b, const ts_cell_table *ta,
                       const ts_cell_table *tb, ts_error *err);

/* Opens csv[t] (zeroed slots, e.g. from ts_outdir_add) for each table and
 * writes and closes it. The first failure is returned. */
int ts_cells_write(const ts_cells_spec *spec, ts_csv *const *csv, ts_error *err);

#endif
