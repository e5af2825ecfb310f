#ifndef TS_POLICY_H
#define TS_POLICY_H
/* What the loader and the engine share about rules and alliance pressure
 * (scenario/policy.c; docs/model.md §10-§13). The step functions are in
 * model/world.h. */
#include <stdbool.h>
#include "scenario/spec.h"

/* Whether a measure of this kind is aimed at a country (a ban, control,
 * tariff or compliance demand), as opposed to spending on one's own firms
 * (rd_investment, subsidy, capacity_investment) or asking allies
 * (alliance_pressure). Only aimed measures count as hostile. */
bool ts_policy_kind_is_aimed(ts_measure_kind kind);

/* The country a measure aims at: its target firm's home, else its target
 * country (-1 with neither). */
int ts_measure_target_country(const ts_scenario *s, const ts_measure_spec *m);

/* The countries alliance pressure `measure` (an index) asks: its `allies`,
 * or every other country of the actor's bloc, less any the pressed measure
 * targets. Writes them to out (room for n_countries; may be NULL) and
 * returns how many. 0 for a measure of another kind. */
int ts_policy_pressure_allies(const ts_scenario *s, int measure, int *out);

/* Sum of ts_policy_pressure_allies() over every alliance pressure. */
int ts_policy_pressure_pairs(const ts_scenario *s);

/* Measure instances rules and pressure can create in one run: one per rule
 * menu entry (an entry is reused when restarted) and one per pressure-ally
 * pair (an ally adopts once). */
int ts_policy_dynamic_slots(const ts_scenario *s);

#endif
