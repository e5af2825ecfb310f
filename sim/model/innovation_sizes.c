/* A table of Beta quantiles by their arguments (innovation_sizes.h): one
 * entry per slot, the slot chosen by the bits of the uniform draw; a
 * newer quantile replaces an older one in its slot. Entries are compared
 * on all three arguments, so a table serves sweeps of the shapes too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/innovation_sizes.h"
#include "model/world.h"

/* Slots: a default run draws 19 firms x 3 months x 28 steps sizes at
 * most, fewer innovate; 4,096 slots keep most of a run's. */
#define TS_SIZE_SLOTS_BITS 12
#define TS_SIZE_SLOTS (1u << TS_SIZE_SLOTS_BITS)

/* x = the Beta(a, b) quantile of u. An empty slot, all zeros, holds a true
 * entry too: the quantile of 0 is 0. */
typedef struct size_entry {
	double u, a, b, x;
} size_entry;

struct ts_innovation_sizes {
	size_entry slot[TS_SIZE_SLOTS];
};

ts_innovation_sizes *ts_innovation_sizes_new(void)
{
	return calloc(1, sizeof(ts_innovation_sizes));
}

void ts_innovation_sizes_free(ts_innovation_sizes *t)
{
	free(t);
}

void ts_sim_use_innovation_sizes(struct ts_sim *sim, ts_innovation_sizes *t)
{
	sim->innovation_sizes = t;
}

double ts_innovation_size_quantile(ts_innovation_sizes *t, double u, const ts_beta_shape *shape)
{
	double a = shape->a, b = shape->b;
	if (!t)
		return ts_beta_quantile(shape, u);
	uint64_t bits;
	memcpy(&bits, &u, sizeof bits);
	/* Fibonacci hashing: the top bits of the product mix all of u's. */
	size_entry *e = &t->slot[(bits * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - TS_SIZE_SLOTS_BITS)];
	if (e->u == u && e->a == a && e->b == b)
		return e->x;
	*e = (size_entry){u, a, b, ts_beta_quantile(shape, u)};
	return e->x;
}
