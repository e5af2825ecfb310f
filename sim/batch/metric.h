#ifndef TS_METRIC_H
#define TS_METRIC_H
/* Series addresses and run metrics. A series is one numeric column of one
 * entity of a per-entity table, written "TABLE.KEY.COLUMN":
 * "firms.Qualcomm.revenue_bn_usd", "countries.CN.consumer_welfare_bn_usd",
 * "markets.CN.smartphones.government.served_bn_usd" (the key is the row's
 * key columns joined by dots). A metric reduces one run to one number
 * (docs/sweep.md, "Metrics"): a series over a window of steps (the whole
 * run by default) to its value at the last step (whatever it is: an
 * undefined value there gives NaN), its mean, min or max (non-finite values
 * skipped; none left: NaN) or its sum (NaN if a value in the window is not
 * finite), a sum optionally per year; or the run's event log (events.csv)
 * to the first step a measure starts, the measures rules or allies started,
 * or whether a country's rules retaliated. Written as text,
 * "[diff:][annualise:]STAT:WHAT[:FROM[:TO]]". */
#include <stddef.h>
#include <tradesim/error.h>
#include "output/tables.h"
#include "scenario/cfgcheck.h"

struct ts_innovation_sizes;

typedef enum ts_stat {
	TS_STAT_FINAL = 0, TS_STAT_MEAN, TS_STAT_MIN, TS_STAT_MAX, TS_STAT_SUM,  /* of a series */
	TS_STAT_FIRST_START,         /* step a measure first starts; NaN: never */
	TS_STAT_RULE_STARTS,         /* measures rules started (each start counts) */
	TS_STAT_ALLY_STARTS,         /* copies of pressed measures allies started */
	TS_STAT_RETALIATED,          /* 1 if the country's rules started a measure, else 0 */
	TS_STAT_COUNT
} ts_stat;
#define TS_STAT_SERIES_COUNT (TS_STAT_SUM + 1)  /* stats below it reduce a series */
extern const char *const ts_stat_names[TS_STAT_COUNT];

/* The stat named `word`, or -1. */
int ts_stat_find(const char *word);

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

/* A metric: one number per run. Zeroed, it is `final` of an unset series
 * over the whole run. */
typedef struct ts_metric {
	char *name;                  /* column of sweep.csv (owned by whoever fills it) */
	ts_series series;            /* series stats */
	ts_stat stat;
	int diff;                    /* a sweep subtracts the same metric of its base scenario */
	int window;                  /* 1: steps from .. to (both included); 0: the whole run */
	int from, to;
	int annualise;               /* sum: divided by the window's length in years */
	double years;                /* that length (set by ts_metric_finish) */
	int measure, ally;           /* first_start: scenario measure index, and the ally whose copy
	                              * ("ID@ALLY") is meant, or -1 */
	char measure_id[80];         /* that measure's id: a run of another scenario (compare's B)
	                              * may order its measures otherwise */
	int country;                 /* rule_starts, ally_starts: the starting country, -1 any;
	                              * retaliated: the country */
} ts_metric;

/* A date of scenario s's calendar ("2019", "2019Q2", "2019-05") as its
 * first step, or with `end` its last (2019 in a quarterly run: 2019Q4);
 * false with the reason in msg when it is no date or outside the run. */
bool ts_metric_date(const ts_scenario *s, const char *label, int end, int *step, char *msg, size_t size);

/* Setting `key` of group g as a date (a label, or a step number), with
 * ts_metric_date's meaning of `end`: TS_CFG_SET, ABSENT or BAD (reported). */
int ts_metric_read_date(ts_cfg *c, const config_setting_t *g, const char *key, const ts_scenario *s, int end,
                        int *step);

/* What the metric reads, by its stat: a series address, a measure id (or
 * "ID@ALLY", an ally's copy), a country id, for rule_starts and ally_starts
 * also "all" or NULL (every country). TS_EINPUT with a did-you-mean,
 * prefixed by `where`. */
int ts_metric_target(ts_metric *m, const char *what, const ts_scenario *s, const char *where, ts_error *err);

/* Checks what the metric's stat takes (a window, annualise), sets the whole
 * run as the window when none was given and, when m->name is NULL, names it
 * in the text form (malloc'd). TS_EINPUT prefixed by `where`, TS_ENOMEM. */
int ts_metric_finish(ts_metric *m, const ts_scenario *s, const char *where, ts_error *err);

/* A metric from its text form "[diff:][annualise:]STAT:WHAT[:FROM[:TO]]"
 * (one date: that period; two: from the first's start to the second's
 * end), named by the text (malloc'd into out->name, also on failure: free
 * it). Errors are prefixed by `where` and quote the text. */
int ts_metric_parse(ts_metric *out, const char *text, const ts_scenario *s, const char *where, ts_error *err);

/* The unit of a metric's value: a column's unit from its name
 * ("bn_usd" of revenue_bn_usd; per year when annualised), "step",
 * "measures", "0/1", or "" (none). */
const char *ts_metric_unit(const ts_metric *m, char *buf, size_t size);

/* Running reduction of a series. */
typedef struct ts_stat_acc {
	double final, sum, min, max;
	long n;                      /* finite values added */
	long n_bad;                  /* others */
} ts_stat_acc;

void ts_stat_acc_init(ts_stat_acc *a);
void ts_stat_acc_add(ts_stat_acc *a, double value);
double ts_stat_acc_result(const ts_stat_acc *a, ts_stat stat);

/* One run's progress on a list of metrics, step by step. */
typedef struct ts_metric_state {
	ts_stat_acc acc;
	int row;                     /* the series' row, found at the first step; -1 */
	double first;                /* first_start: the step; NaN */
	long count;                  /* starts counted */
} ts_metric_state;

/* Before a run. */
void ts_metric_states_init(ts_metric_state *st, int n);
/* After each step of the run of sim w: TS_ERUN when a series' entity is
 * not in the run. */
int ts_metric_states_step(const ts_metric *metrics, ts_metric_state *st, int n, const struct ts_sim *w,
                          ts_error *err);
/* The metrics' values after the run into values[0 .. n). */
void ts_metric_states_values(const ts_metric *metrics, const ts_metric_state *st, int n, double *values);

/* Runs scn with seed (its single-run files into dir when dir is not NULL,
 * else in memory only) and writes metric k's value to values[k], k < n. A
 * series whose entity the run lacks is TS_ERUN. */
int ts_metrics_run(const ts_metric *metrics, int n, const ts_scenario *scn, uint32_t seed, const char *dir,
                   double *values, ts_error *err);
/* ts_metrics_run() with a table of innovation sizes kept across the
 * caller's runs on this thread (model/innovation_sizes.h; NULL: none),
 * used by a run in memory only. */
int ts_metrics_run_sized(const ts_metric *metrics, int n, const ts_scenario *scn, uint32_t seed, const char *dir,
                         struct ts_innovation_sizes *sizes, double *values, ts_error *err);

#endif
