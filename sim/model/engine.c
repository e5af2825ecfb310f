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

/* The phases of a step in order (docs/model.md §2); their names are what
 * ts_engine_step() hands its hook. */
typedef struct phase {
	const char *name;
	void (*run)(struct ts_sim *w);
} phase;

static const phase phases[] = {
	{"deals", ts_deals_update},                  /* 0. policy (docs/model.md §10-§13): deals, */
	{"rules", ts_rules_update},                  /*    retaliation rules, */
	{"alliances", ts_alliances_update},          /*    alliance pressure, */
	{"anticipation", ts_supply_anticipate},      /*    stockpile targets */
	{"measures", ts_measures_update},            /* 1. events */
	{"derisking", ts_derisk_update},             /*    de-risking (§17) */
	{"supply", ts_supply_update},                /* 2. supply of critical inputs */
	{"market_prepare", ts_market_prepare},       /* 3. markets: final sales first (§5) */
	{"market_allocate", ts_market_allocate},
	{"deal_purchases", ts_deals_purchases},      /*    purchases deals commit to */
	{"purchases", ts_supply_purchases},          /* 4. intermediate orders, in the room left */
	{"accounts", ts_accounts_update},            /* 5. accounts */
	{"fines", ts_deals_fines},                   /*    fines, */
	{"tension", ts_tension_update},              /*    damage, tension */
	{"capacity", ts_capacity_update},            /*    capacity for the next step (§16) */
	{"innovation", ts_innovation_update},        /* 6. R&D */
	{"technology", ts_accounts_technology},
};

int ts_engine_step(struct ts_sim *w, ts_phase_hook *hook, void *ctx, ts_error *err)
{
	if (w->failed_step >= 0)  /* its state is broken: nothing after it can be trusted */
		return ts_error_set(err, TS_ERUN, "step %d broke an invariant: the run cannot go on", w->failed_step);
	w->step = w->n_steps_done;
	w->n_events = 0;
	for (size_t p = 0; p < sizeof phases / sizeof phases[0]; p++) {
		phases[p].run(w);
		if (hook)
			hook(ctx, phases[p].name);
	}
	int rc = ts_invariants_check(w, err);  /* 7. a broken one stops the run */
	if (hook)
		hook(ctx, "invariants");
	if (rc != TS_OK)
		w->failed_step = w->step;  /* not done: its outputs are not written */
	else
		w->n_steps_done++;
	return rc;
}

int ts_sim_step(ts_sim *w, ts_error *err)
{
	return ts_engine_step(w, NULL, NULL, err);
}
