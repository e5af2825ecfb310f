#ifndef TRADESIM_SIM_H
#define TRADESIM_SIM_H
/* The discrete-step engine. A ts_sim holds all state of one run in flat
 * arrays allocated once by ts_sim_alloc(); ts_sim_step() allocates nothing. */
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>

typedef struct ts_sim ts_sim;

/* Build the run state for `scenario` (which must outlive the sim) with RNG
 * seed `seed` in [1, 2^32). The caller frees it with ts_sim_free(). */
int ts_sim_alloc(ts_sim **out, const ts_scenario *scenario, uint32_t seed,
                 ts_error *err);
void ts_sim_free(ts_sim *sim);

/* Advance one step. Returns TS_OK, or TS_ERUN if an invariant broke (the
 * message names the entity and value): that step does not count as done,
 * and every later call returns TS_ERUN without stepping. */
int ts_sim_step(ts_sim *sim, ts_error *err);

int ts_sim_current_step(const ts_sim *sim);   /* steps done so far */

#endif
