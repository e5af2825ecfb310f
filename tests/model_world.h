#ifndef TS_MODEL_WORLD_H
#define TS_MODEL_WORLD_H
/* Helpers shared by the model's tests: a scenario with its run state, run
 * for some steps, and lookups of entities and of cells of the sales-shaped
 * arrays (sales, wedge_weight, receipt_share, tariff_share, ref_share).
 * Each fails the test, with the library's message, on what it cannot do. */
#include <stdint.h>
#include <string.h>
#include "testutil.h"
#include "model/world.h"

typedef struct tu_run {
	ts_scenario *scenario;
	ts_sim *sim;
} tu_run;

/* Does `steps` steps of w. */
static inline void tu_run_steps(ts_sim *w, int steps)
{
	ts_error err = TS_ERROR_INIT;
	for (int t = 0; t < steps; t++)
		if (ts_sim_step(w, &err) != TS_OK)
			fail_msg("step %d: %s", w->step, err.message);
}

/* Loads scenario text, allocates its run state with `seed` and does `steps`
 * steps; tu_run_free() frees both. */
static inline tu_run tu_run_text(const char *text, uint32_t seed, int steps)
{
	tu_run r = {tu_load(text), NULL};
	ts_error err = TS_ERROR_INIT;
	if (ts_sim_alloc(&r.sim, r.scenario, seed, &err) != TS_OK)
		fail_msg("ts_sim_alloc: %s", err.message);
	tu_run_steps(r.sim, steps);
	return r;
}

static inline void tu_run_free(tu_run *r)
{
	ts_sim_free(r->sim);
	ts_scenario_free(r->scenario);
	r->sim = NULL;
	r->scenario = NULL;
}

static inline int tu_firm(const ts_sim *w, const char *id)
{
	int i = ts_scenario_firm_index(w->scn, id);
	if (i < 0)
		fail_msg("no firm %s", id);
	return i;
}

static inline int tu_country(const ts_sim *w, const char *id)
{
	int c = ts_scenario_country_index(w->scn, id);
	if (c < 0)
		fail_msg("no country %s", id);
	return c;
}

/* The market segment g of country `country`'s market for `sector` (NULL:
 * the first sector where it has one). */
static inline int tu_segment(const ts_sim *w, const char *country, const char *sector, ts_segment g)
{
	int c = tu_country(w, country), k = sector ? ts_scenario_sector_index(w->scn, sector) : -1;
	for (int m = 0; m < w->nmseg; m++)
		if (w->msegs[m].country == c && (k < 0 || w->msegs[m].sector == k) && w->msegs[m].segment == g)
			return m;
	fail_msg("no segment %s/%s/%s", country, sector ? sector : "*", ts_segment_names[g]);
	return -1;
}

/* Index of firm `id`'s cell of segment m in the sales-shaped arrays. */
static inline size_t tu_cell(const ts_sim *w, int m, const char *id)
{
	int i = tu_firm(w, id), k = w->msegs[m].sector, nfs = w->sector_firm_count[k];
	for (int a = 0; a < nfs; a++)
		if (w->sector_firms[w->sector_firm_first[k] + a] == i)
			return w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs + (size_t)a;
	fail_msg("firm %s is not in the segment's sector", id);
	return 0;
}

/* Buyers' spending on firm `id` in segment m during the last step
 * (sales[], or the factored split: ts_market_sale()). */
static inline double tu_sale(const ts_sim *w, int m, const char *id)
{
	int k = w->msegs[m].sector;
	size_t x = tu_cell(w, m, id), at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)w->sector_firm_count[k];
	return ts_market_sale(w, m, at, (int)(x - at));
}

#endif
