#ifndef TS_TABLES_H
#define TS_TABLES_H
/* The per-run tables (countries.csv, firms.csv, ...) described once: name,
 * key columns and value columns, each column a name and a getter reading a
 * row of the current step from a ts_sim. output.c writes single runs from
 * them; ensembles, summaries, comparisons and sweep metrics read the same
 * descriptors, so adding a column is adding one entry in tables.c. */
#include <stddef.h>
#include "output/csv.h"
#include "model/world.h"
#include "util/assert.h"

typedef enum ts_column_type {
	TS_COL_NUM = 0,   /* double, shortest round-trip text */
	TS_COL_INT = 1,   /* whole number, printed with %ld (still read as double) */
	TS_COL_TEXT = 2   /* string, never summarized */
} ts_column_type;

typedef struct ts_column {
	const char *name;
	ts_column_type type;
	double (*num)(const struct ts_sim *w, int row);       /* NUM and INT */
	const char *(*text)(const struct ts_sim *w, int row); /* TEXT */
	/* NUM: 1 if the value may be undefined (NaN or infinite, written as an
	 * empty cell: README "Output" says when), 0 if a non-finite value is a
	 * broken run. */
	int may_be_empty;
} ts_column;

typedef struct ts_table {
	const char *name;            /* "firms": file firms.csv, metric prefix "firms." */
	const char *file;            /* "firms.csv" */
	int n_keys;                  /* leading TEXT columns naming the row's entity */
	int n_columns;               /* keys included */
	const ts_column *columns;
	int (*rows)(const struct ts_sim *w);  /* rows this step */
	int per_entity;              /* 1: the same rows every step, in scenario order
	                              * (summaries, metrics); 0: a log (events) */
} ts_table;

extern const ts_table ts_tables[];
extern const int ts_n_tables;

/* The table named `name` ("firms"), or NULL. */
const ts_table *ts_table_find(const char *name);

/* "step,date,<columns>" (with "rep," first when with_rep) into a malloc'd
 * string the caller frees; NULL when out of memory. */
char *ts_table_header(const ts_table *t, int with_rep);

/* Most columns a table may have (a row's values are checked before they are
 * written). */
#define TS_TABLE_MAX_COLUMNS 64

/* Writes the table's rows of the current step: [rep,]step,date,columns
 * (rep < 0: no rep column; csv NULL: nothing written). A row with a non-finite value in a column that
 * must be defined is not written: TS_ERUN naming the table, the row's
 * entity, the column, the step and the value. */
int ts_table_write(const ts_table *t, ts_csv *csv, const struct ts_sim *w, const char *date, long rep,
                   ts_error *err);

/* The same check over every row of the current step, writing nothing (for
 * runs whose rows are not written, e.g. comparisons). */
int ts_table_check(const ts_table *t, const struct ts_sim *w, const char *date, ts_error *err);

/* The entity key of a row as "K1.K2.K3" into buf. */
void ts_table_row_key(const ts_table *t, const struct ts_sim *w, int row, char *buf, size_t size);

/* The value of column `col` (a numeric one) of row `row`. */
static inline double ts_table_value(const ts_table *t, const struct ts_sim *w, int row, int col)
{
	TS_ASSERT(col >= 0 && col < t->n_columns && t->columns[col].type != TS_COL_TEXT);
	return t->columns[col].num(w, row);
}

#endif
