#ifndef TS_METRIC_H
#define TS_METRIC_H
/* Series addresses and run metrics. A series is one numeric column of one
 * entity of a per-entity table, written "TABLE.KEY.COLUMN":
 * "firms.Qualcomm.revenue_bn_usd", "countries.CN.consumer_welfare_bn_usd",
 * "markets.CN.smartphones.government.served_bn_usd" (the key is the row's
 * key columns joined by dots). A metric reduces a series over the steps of
 * a run to one number: its value at the last step (whatever it is: an
 * undefined value there gives NaN), or its mean, min or max over the steps
 * (non-finite values skipped; none left: NaN). */
#include <stddef.h>
#include <tradesim/error.h>
#include "output/tables.h"

typedef enum ts_stat { TS_STAT_FINAL = 0, TS_STAT_MEAN, TS_STAT_MIN, TS_STAT_MAX, TS_STAT_COUNT } ts_stat;
extern const char *const ts_stat_names[TS_STAT_COUNT];

typedef struct ts_series {
	const ts_table *table;
	int column;                  /* numeric column of table */
	char key[256];               /* "Qualcomm", "CN.smartphones.government" */
} ts_series;

/* Parses and checks `address` against the tables and the entities of
 * scenario s: unknown table, entity or column give a message with a
 * did-you-mean in err (status TS_EINPUT), prefixed by `where` ("sweep.cfg:12:
 * metrics.[0].series: ", may be ""). */
int ts_series_parse(ts_series *out, const char *address, const ts_scenario *s, const char *where,
                    ts_error *err);

/* Row of the series' entity in sim w, or -1. */
int ts_series_row(const ts_series *series, const struct ts_sim *w);

/* A metric: a series reduced to one number per run. */
typedef struct ts_metric {
	char *name;                  /* column of sweep.csv (owned by whoever fills it) */
	ts_series series;
	ts_stat stat;
	int diff;                    /* a sweep subtracts the same metric of its base scenario */
} ts_metric;

/* Runs scn with seed (its single-run files into dir when dir is not NULL,
 * else in memory only) and writes metric k's reduction over the steps to
 * values[k], k < n. A series whose entity the run lacks is TS_ERUN. */
int ts_metrics_run(const ts_metric *metrics, int n, const ts_scenario *scn, uint32_t seed, const char *dir,
                   double *values, ts_error *err);

/* Running reduction of a series. */
typedef struct ts_stat_acc {
	double final, sum, min, max;
	long n;
} ts_stat_acc;

void ts_stat_acc_init(ts_stat_acc *a);
void ts_stat_acc_add(ts_stat_acc *a, double value);
double ts_stat_acc_result(const ts_stat_acc *a, ts_stat stat);

#endif
