/* The step loop (docs/model.md §2): synchronous phases, each reading the
 * state left by the previous step, none seeing another agent's same-step
 * move. ts_sim_step() allocates nothing. */
#include <math.h>
#include <stdlib.h>
#include <tradesim/sim.h>
#include "model/world.h"

int ts_sim_alloc(ts_sim **out, const ts_scenario *scenario, uint32_t seed, ts_error *err)
{
	*out = NULL;
	if (seed == 0)
		return ts_error_set(err, TS_EINPUT, "seed must be in [1, 4294967295], got 0");
	ts_sim *sim = malloc(sizeof *sim);
	if (!sim)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	int rc = ts_world_init(sim, scenario, seed, err);
	if (rc != TS_OK) {
		free(sim);
		return rc;
	}
	*out = sim;
	return TS_OK;
}

void ts_sim_free(ts_sim *sim)
{
	if (!sim)
		return;
	ts_world_release(sim);
	free(sim);
}

int ts_sim_current_step(const ts_sim *sim)
{
	return sim->n_steps_done;
}

int ts_sim_step(ts_sim *w, ts_error *err)
{
	if (w->failed_step >= 0)  /* its state is broken: nothing after it can be trusted */
		return ts_error_set(err, TS_ERUN, "step %d broke an invariant: the run cannot go on", w->failed_step);
	w->step = w->n_steps_done;
	w->n_events = 0;

	ts_deals_update(w);                    /* 0. policy (docs/model.md §10-§13): deals, */
	ts_rules_update(w);                    /*    retaliation rules, */
	ts_alliances_update(w);                /*    alliance pressure, */
	ts_supply_anticipate(w);               /*    stockpile targets */
	ts_measures_update(w);                 /* 1. events */
	ts_derisk_update(w);                   /*    de-risking (§17) */
	ts_supply_update(w);                   /* 2. supply of critical inputs */
	ts_market_prepare(w);                  /* 3. markets: final sales first (§5) */
	ts_market_allocate(w);
	ts_deals_purchases(w);                 /*    purchases deals commit to */
	ts_supply_purchases(w);                /* 4. intermediate orders, in the room left */
	ts_accounts_update(w);                 /* 5. accounts */
	ts_deals_fines(w);                     /*    fines, */
	ts_tension_update(w);                  /*    damage, tension */
	ts_capacity_update(w);                 /*    capacity for the next step (§16) */
	ts_innovation_update(w);               /* 6. R&D */
	ts_accounts_technology(w);

	int rc = ts_invariants_check(w, err);  /* a broken one stops the run */
	if (rc != TS_OK)
		w->failed_step = w->step;  /* not done: its outputs are not written */
	else
		w->n_steps_done++;
	return rc;
}
