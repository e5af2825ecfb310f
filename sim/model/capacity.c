/* Firms' capacity dynamics (docs/model.md §16), after the K+S model (Dosi,
 * Fagiolo and Roventini 2010, "Schumpeter meeting Keynes", JEDC 34): a firm
 * expects the sales and profit it has been making, wants the capacity its
 * expected sales need at its target use, orders what is missing as far as
 * its profits pay for it, and gets it after a build lag; capacity wears out
 * at a yearly rate. Runs at the end of a step; the next step's markets read
 * the capacity it leaves. Allocates nothing. */
#include <math.h>
#include "util/fminmax.h"
#include "model/world.h"

int ts_capacity_lag_steps(const ts_scenario *s, int i)
{
	return (int)lround(s->firms[i].dynamics.build_lag * s->run.steps_per_year);
}

/* Adaptive expectations of yearly sales (real output at base prices) and
 * profit, closing the share of the gap that the half-life gives a step. */
static void expect(struct ts_sim *w, int i, double spy)
{
	double sales = ts_firm_real_sales(w, i) * spy;
	w->expected_sales[i] += w->expectation_share * (sales - w->expected_sales[i]);
	w->expected_profit[i] += w->expectation_share * (w->profit[i] * spy - w->expected_profit[i]);
}

/* Capacity on order that arrives now (ordered pipeline_steps ago, in the
 * ring slot this step's order will take) and the total still on order
 * after it, bn USD/yr. */
static double take_arrival(struct ts_sim *w, int i, double *on_order)
{
	int n = w->pipeline_steps[i];
	double *ring = w->pipeline + w->pipeline_first[i];
	if (n == 0) {
		*on_order = 0.0;
		return 0.0;
	}
	int slot = w->step % n;
	double arrived = ring[slot];
	ring[slot] = 0.0;
	*on_order = 0.0;
	for (int k = 0; k < n; k++)
		*on_order += ring[k];
	return arrived;
}

/* §16: K <- K e^(-delta dt) + arrived; order min(max(0, K* - K - built -
 * on order), budget / kappa) with K* = expected sales / target use and the
 * budget the firm's cash flow for capacity, max(0, delta kappa K + s x
 * expected profit) x dt: its depreciation allowances (inside its costs)
 * and a share of its profit; the order arrives after the lag (at once, for
 * the next step, without one). */
static void build(struct ts_sim *w, int i, double dt)
{
	const ts_firm_dynamics *d = &w->scn->firms[i].dynamics;
	double on_order;
	double built = w->capacity_eff[i] - w->capacity_own[i];  /* by capacity investment (§3.5): stays */
	double arrived = take_arrival(w, i, &on_order);
	double capacity = w->capacity_own[i] * (1.0 - w->depreciation_share[i]) + arrived;
	double desired = w->expected_sales[i] / d->target_use;
	double allowance = d->depreciation * d->capital_per_capacity * w->capacity_own[i];  /* bn USD a year */
	double budget = ts_fmax(0.0, allowance + d->profit_share * w->expected_profit[i]) * dt;
	double order = ts_fmin(ts_fmax(0.0, desired - capacity - built - on_order), budget / d->capital_per_capacity);
	w->capacity_investment[i] = order * d->capital_per_capacity;
	if (w->pipeline_steps[i] == 0)
		capacity += order;
	else
		w->pipeline[w->pipeline_first[i] + w->step % w->pipeline_steps[i]] = order;
	w->capacity_own[i] = capacity;
}

void ts_capacity_update(struct ts_sim *w)
{
	double spy = w->scn->run.steps_per_year;
	for (int i = 0; i < w->nf; i++) {
		expect(w, i, spy);
		build(w, i, 1.0 / spy);
	}
}
