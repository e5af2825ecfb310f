#ifndef TS_INNOVATION_SIZES_H
#define TS_INNOVATION_SIZES_H
/* The sizes of innovations kept across runs (innovation_sizes.c): an
 * innovation's size is the Beta(a, b) quantile of a uniform draw, which
 * costs more than the rest of a firm's R&D step, and the runs of a sweep
 * share their seeds (common random numbers) and so their draws. A caller
 * that makes many runs one after another on one thread (a sweep's worker)
 * hands each run's sim the same table; runs on other threads use tables
 * of their own. A kept size is the quantile computed again: outputs do
 * not depend on the table, nor on which runs shared it. */
#include "util/beta_quantile.h"

struct ts_sim;

typedef struct ts_innovation_sizes ts_innovation_sizes;

/* A new, empty table (NULL when out of memory), and its release. */
ts_innovation_sizes *ts_innovation_sizes_new(void);
void ts_innovation_sizes_free(ts_innovation_sizes *t);

/* Lets sim's runs read and fill t (NULL: none, every size computed). t
 * must outlive the sim's steps and serve one thread at a time. */
void ts_sim_use_innovation_sizes(struct ts_sim *sim, ts_innovation_sizes *t);

/* The size quantile ts_beta_quantile(shape, u), from t when kept there
 * (t may be NULL). */
double ts_innovation_size_quantile(ts_innovation_sizes *t, double u, const ts_beta_shape *shape);

#endif
