/* Deals (docs/model.md §11): a settlement between two countries lifts a set
 * of measures once each side's loss in the conflict exceeds its threshold;
 * it may fine a firm once and commit a buyer to purchases from the seller's
 * firms for some steps. */
#include <math.h>
#include "util/assert.h"
#include "util/fminmax.h"
#include "model/world.h"

/* A deal's purchase goes to the buyer's biggest segment of the sector. */
void ts_deals_init(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		w->deal_step[d] = w->deal_mseg[d] = -1;
		if (deal->purchase <= 0 || deal->buyer < 0 || deal->sector < 0)
			continue;
		int k = deal->sector;
		for (int m = w->sector_mseg_first[k]; m < w->sector_mseg_first[k] + w->sector_mseg_count[k]; m++)
			if (w->msegs[m].country == deal->buyer &&
			    (w->deal_mseg[d] < 0 || w->msegs[m].base_demand > w->msegs[w->deal_mseg[d]].base_demand))
				w->deal_mseg[d] = m;
	}
}

static int deal_lifts(const ts_scenario *s, const ts_deal_spec *d, int measure)
{
	for (int q = d->lifts_first; q < d->lifts_first + d->n_lifts; q++)
		if (s->deal_lifts[q] == measure)
			return 1;
	return 0;
}

/* Whether an instance of one of the deal's measures, imposed by that
 * measure's own actor, was in force at the end of the last step. */
static int any_in_force(const struct ts_sim *w, const ts_deal_spec *deal)
{
	const ts_scenario *s = w->scn;
	for (int j = 0; j < w->n_minst; j++) {
		const ts_minst *x = &w->minst[j];
		if (x->active && x->actor == s->measures[x->spec].actor && deal_lifts(s, deal, x->spec))
			return 1;
	}
	return 0;
}

/* Ends, at the current step, every instance of the deal's measures imposed
 * by their own actor (allies' copies follow their original: alliances.c),
 * and bars rules from restarting them. */
static void lift(struct ts_sim *w, const ts_deal_spec *deal)
{
	const ts_scenario *s = w->scn;
	int t = w->step;
	for (int j = 0; j < w->n_minst; j++) {
		ts_minst *x = &w->minst[j];
		if (x->actor != s->measures[x->spec].actor || !deal_lifts(s, deal, x->spec) || x->end <= t)
			continue;
		x->end = t;
		x->end_cause = deal->id;
	}
	for (int q = deal->lifts_first; q < deal->lifts_first + deal->n_lifts; q++)
		w->lifted[s->deal_lifts[q]] = 1;
}

/* A deal triggers the first step t >= earliest at which, at the end of t-1,
 * one of its measures was in force and each side's conflict loss exceeded
 * loss_threshold; it triggers once. */
void ts_deals_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		if (w->deal_step[d] >= 0 || w->step < deal->earliest || deal->side_a < 0)
			continue;
		int a = deal->side_a, b = deal->side_b;
		if (!any_in_force(w, deal) || !(ts_tension_conflict_loss(w, a, b) > deal->loss_threshold) ||
		    !(ts_tension_conflict_loss(w, b, a) > deal->loss_threshold))
			continue;
		w->deal_step[d] = w->step;
		lift(w, deal);
	}
}

/* Whether firm i sells what the deal's buyer buys in segment ms: one of
 * the seller's firms, allowed in the segment. */
static int sells(const struct ts_sim *w, const ts_deal_spec *deal, const ts_mseg *ms, int i)
{
	return w->scn->firms[i].country == deal->seller && !(w->ban[ms->country * w->nf + i] & (1u << ms->segment));
}

/* The deal's purchase of the step in segment m (§11): split among the
 * sellers by effective capacity, each selling at most the capacity it has
 * left after the market (real capacity - real final sales, at its price
 * factor: docs/model.md §5); what they cannot make is
 * not bought, so demand and served grow by what is. */
static void buy(struct ts_sim *w, const ts_deal_spec *deal, int m)
{
	const ts_mseg *ms = &w->msegs[m];
	TS_ASSERT(ms->sector == deal->sector && ms->country == deal->buyer);  /* ts_deals_init() */
	int k = deal->sector, f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k];
	double amount = deal->purchase / w->scn->run.steps_per_year, capacity = 0.0, bought = 0.0;
	for (int a = 0; a < nfs; a++)
		if (sells(w, deal, ms, w->sector_firms[f0 + a]))
			capacity += w->capacity_eff[w->sector_firms[f0 + a]];
	ts_market_write_row(w, m);
	double *row = w->sales + w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
	for (int a = 0; a < nfs; a++) {
		int i = w->sector_firms[f0 + a];
		if (!sells(w, deal, ms, i))
			continue;
		double left = ts_fmax(0.0, ts_market_final_room(w, i) - w->final_sales[i] / w->price_factor[i])
		              * w->price_factor[i];  /* real room at the market's price (§5) */
		double part = ts_fmin(amount * w->capacity_eff[i] / capacity, left);
		row[a] += part;
		w->final_sales[i] += part;
		bought += part;
	}
	w->demand[m] += bought;
	w->served[m] += bought;
}

void ts_deals_purchases(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int t = w->step;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		int m = w->deal_mseg[d];
		if (m >= 0 && w->deal_step[d] >= 0 && t >= w->deal_step[d] && t < w->deal_step[d] + deal->purchase_steps)
			buy(w, deal, m);
	}
}

/* A deal's fine is paid by its payer firm in the step the deal triggers
 * and booked by the side that lifts measures against it. */
void ts_deals_fines(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int c = 0; c < w->nc; c++)
		w->fines[c] = 0.0;
	for (int d = 0; d < s->n_deals; d++) {
		const ts_deal_spec *deal = &s->deals[d];
		if (w->deal_step[d] != w->step || !(deal->fine > 0.0) || deal->payer < 0)
			continue;
		w->profit[deal->payer] -= deal->fine;
		w->producer_profit[s->firms[deal->payer].country] -= deal->fine;
		if (deal->fine_recipient >= 0)
			w->fines[deal->fine_recipient] += deal->fine;
	}
}
