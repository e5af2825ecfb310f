#ifndef TRADESIM_STATS_H
#define TRADESIM_STATS_H
/* Ensemble summaries (one statistic over many replications) and the seeds
 * that make each replication reproducible. */
#include <tradesim/api.h>
#include <stddef.h>
#include <stdint.h>

TS_BEGIN_DECLS

/* Summary of one output over an ensemble, in the output's own units. */
typedef struct ts_summary {
	double mean;       /* arithmetic mean */
	double sd;         /* sample standard deviation, denominator n - 1 */
	double q05, q50, q95;  /* 5 %, 50 % and 95 % quantiles */
	size_t n;          /* finite values summarized */
} ts_summary;

/* Summarize values[0 .. n-1]. Non-finite values (NaN, +-inf: failed or
 * diverged runs) are dropped first; out->n counts the finite ones, so
 * n - out->n were dropped. On return values[0 .. out->n-1] holds the finite
 * values sorted ascending (as gsl_sort leaves them) and the dropped ones
 * follow in unspecified order. mean and sd are gsl_stats_mean's and
 * gsl_stats_sd's of the sorted values, bit for bit (denominator n - 1; sd
 * is NaN when out->n < 2). Quantiles follow
 * gsl_stats_quantile_from_sorted_data: linear interpolation at position
 * f (n - 1) of the sorted data (Hyndman and Fan 1996, definition 7).
 * out->n == 0 gives NaN for every statistic. values may be NULL when n == 0. */
TS_API void ts_summarize(double *values, size_t n, ts_summary *out);

/* Seed in [1, 2^32) for replication or run `index` of an experiment whose
 * base seed (as the user recorded it) is `base`. Deterministic; for a fixed
 * base, distinct indices below 2^32 - 1 give distinct seeds (a bijection
 * onto [1, 2^32), proof in stats.c); consecutive indices and neighbouring
 * bases give unrelated seeds (murmur3's fmix32 finalizer, Appleby 2008,
 * keyed by base). Indices from 2^32 - 1 on are served by further keyed
 * permutations and may repeat earlier seeds. */
TS_API uint32_t ts_seed_derive(uint32_t base, uint64_t index);

TS_END_DECLS

#endif
