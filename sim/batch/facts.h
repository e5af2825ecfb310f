#ifndef TS_FACTS_H
#define TS_FACTS_H
/* Facts files (docs/calibration.md): what is known about an episode, as
 * data. A fact is a statistic of a series over a window of dates, possibly
 * against a counterfactual variant of the scenario, with the observed value,
 * a tolerance and a source. Loading is strict like scenarios and sweep
 * files: every message names FILE:LINE and the setting. */
#include <tradesim/error.h>
#include <tradesim/scenario.h>
#include "batch/metric.h"

#define TS_FACT_MAX_SERIES 16      /* addresses summed into one series */
#define TS_FACTS_MAX 1000          /* facts in one file */
#define TS_FACT_MAX_OVERRIDES 64   /* settings of one counterfactual */

typedef enum ts_fact_stat {
	TS_FACT_VALUE = 0,  /* the value at `at` */
	TS_FACT_SUM,        /* over from .. to, both included */
	TS_FACT_MEAN,
	TS_FACT_MIN,
	TS_FACT_MAX,
	TS_FACT_CHANGE,     /* x(to) - x(from) */
	TS_FACT_GROWTH,     /* x(to) / x(from) - 1 */
	TS_FACT_RATIO,      /* reduce(from .. to) / mean(base_from .. base_to) */
	TS_FACT_STAT_COUNT
} ts_fact_stat;
extern const char *const ts_fact_stat_names[TS_FACT_STAT_COUNT];

typedef enum ts_fact_contrast {
	TS_CONTRAST_DIFFERENCE = 0,  /* x - x_counterfactual */
	TS_CONTRAST_RELATIVE         /* x / x_counterfactual - 1 */
} ts_fact_contrast;

typedef struct ts_fact {
	char *name;                  /* owned */
	char *source;                /* owned: the citation */
	int line;                    /* of the fact's group in the facts file */
	ts_series series[TS_FACT_MAX_SERIES];
	int n_series;                /* the series' values are added step by step */
	ts_series per[TS_FACT_MAX_SERIES];
	int n_per;                   /* > 0: the fact is stat(series) / stat(per) */
	ts_fact_stat stat;
	ts_fact_stat reduce;         /* ratio's numerator: sum, mean, min or max */
	int from, to;                /* steps, from <= to; value: both `at` */
	int base_from, base_to;      /* ratio's denominator window */
	double observed;
	double tolerance;            /* absolute half-width: `tolerance`, or 2 x `standard_error` */
	double standard_error;       /* 0 when the file gives a tolerance */
	int variant;                 /* 0: none; else the counterfactual variant's index */
	ts_fact_contrast contrast;
} ts_fact;

/* A counterfactual: the scenario under a list of overrides. Facts with the
 * same list share one variant (and its runs). */
typedef struct ts_fact_variant {
	ts_override *overrides;      /* owned, path and value strings owned */
	int n_overrides;
	ts_scenario *scenario;       /* owned: the scenario loaded with them */
} ts_fact_variant;

typedef struct ts_facts {
	char *path;                  /* owned */
	ts_fact *facts;
	int n_facts;
	ts_fact_variant *variants;   /* [0] is the scenario itself (no overrides, scenario NULL) */
	int n_variants;
	const ts_override *base;     /* while loading only: the scenario's own overrides, which */
	size_t n_base;               /* every variant's come after */
} ts_facts;

/* Loads the facts file at path against scenario s, which was loaded from
 * its file with overrides base[0 .. n_base) (its series, dates and
 * counterfactual overrides are checked against s; a counterfactual is
 * loaded from s's file with base and then its own overrides). On failure
 * err lists every problem found, "FILE:LINE: SETTING: what", and the status
 * is TS_EINPUT (TS_EIO unreadable, TS_ENOMEM). *out is freed by
 * ts_facts_free. */
int ts_facts_load(ts_facts **out, const char *path, const ts_scenario *s, const ts_override *base, size_t n_base,
                  ts_error *err);
/* The same from text; name stands for the file in messages. */
int ts_facts_load_string(ts_facts **out, const char *text, const char *name, const ts_scenario *s,
                         const ts_override *base, size_t n_base, ts_error *err);
void ts_facts_free(ts_facts *f);

/* Fact f's statistic of one run's series x[0 .. steps) (the sum of its
 * addresses at each step), before any contrast; NaN when a value it reads
 * is not finite or a denominator is zero. */
double ts_fact_stat_of(const ts_fact *f, const double *x);
/* The fact's statistic of one run: of its series x, or with `per` of x
 * over that of the denominator series y (NaN when that is zero). */
double ts_fact_value_of(const ts_fact *f, const double *x, const double *y);
/* The fact's simulated value from its statistic in the scenario's run (a)
 * and, with a counterfactual, in the variant's run with the same seed (b). */
double ts_fact_contrast_of(const ts_fact *f, double a, double b);

#endif
