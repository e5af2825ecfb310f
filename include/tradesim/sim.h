#ifndef TRADESIM_SIM_H
#define TRADESIM_SIM_H
/* The discrete-step engine. A ts_sim holds all state of one run in flat
 * arrays allocated once by ts_sim_alloc(); ts_sim_step() allocates nothing. */
#include <tradesim/api.h>
#include <stdint.h>
#include <tradesim/error.h>
#include <tradesim/scenario.h>

TS_BEGIN_DECLS

typedef struct ts_sim ts_sim;

/* Build the run state for `scenario` (which must outlive the sim) with RNG
 * seed `seed` in [1, 2^32). The caller frees it with ts_sim_free(). */
TS_API int ts_sim_alloc(ts_sim **out, const ts_scenario *scenario, uint32_t seed,
                 ts_error *err);
TS_API void ts_sim_free(ts_sim *sim);

/* Advance one step. Returns TS_OK, or TS_ERUN if an invariant broke (the
 * message names the entity and value): that step does not count as done,
 * and every later call returns TS_ERUN without stepping. */
TS_API int ts_sim_step(ts_sim *sim, ts_error *err);

TS_API int ts_sim_current_step(const ts_sim *sim);   /* steps done so far */

/* The value at the end of the last step of a numeric column of one of the
 * run's tables, as its CSV holds it (README "Output"): `table` "countries",
 * "firms", "markets" or "relations"; `entity` the row's key, its key
 * columns joined by dots ("CN", "Huawei", "CN.smartphones.government",
 * "CN.US"); `column` the CSV column ("revenue_bn_usd"). NaN where the CSV
 * cell is empty. TS_EINPUT for an unknown table, entity or column, or
 * before the first step. */
TS_API int ts_sim_value(const ts_sim *sim, const char *table, const char *entity, const char *column,
                        double *value, ts_error *err);

TS_END_DECLS

#endif
