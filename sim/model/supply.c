/* Supply of critical inputs (docs/model.md §4): export controls cut
 * the share bought from controlled suppliers; firms draw down stockpiles,
 * then lose output, and re-source from home producers at their
 * substitution half-life; firms that anticipate controls stock up as tension
 * rises (§13). After the markets clear, firms buy the inputs their output
 * needs, which is where suppliers earn intermediate revenue; de-risking
 * (derisking.c, §17) adds to the cuts and moves shares between links. */
#include <math.h>
#include "util/fminmax.h"
#include "model/timing.h"
#include "model/world.h"

/* §13: the stockpile target of each slot of a firm that anticipates is the
 * scenario's stockpile plus anticipation x the risk 1 - exp(-T) of the
 * tensest foreign supplier country, T read at the end of the last step. */
void ts_supply_anticipate(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		if (!(f->anticipation > 0.0))
			continue;
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			double tension = 0.0;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
				int supplier = s->links[l].supplier_country;
				if (supplier != f->country)
					tension = ts_fmax(tension, w->tension[f->country * w->nc + supplier]);
			}
			w->stock_target[q] = slot->stockpile + f->anticipation * (1.0 - exp(-tension));
		}
	}
}

/* §4: re-sourcing closes the gap to the cut share c as dr/dt = kappa (c - r),
 * kappa = ln 2 / half-life. Over a step of length dt from r0 it ends at
 * c - (c - r0) keep and averages c - (c - r0) mean_keep, with keep =
 * exp(-kappa dt) (timing.h) and mean_keep = (1 - keep) / (kappa dt). A step
 * uses the mean, so that three months re-source what one quarter does. */
ts_resourcing ts_supply_resourcing(double half_life_years, double dt)
{
	double keep = 1.0 - ts_step_share_of_half_life(half_life_years, dt);
	double kappa_dt = -log(keep);  /* 0 without re-sourcing, inf when it is immediate */
	ts_resourcing r = { keep, kappa_dt > 0.0 ? (1.0 - keep) / kappa_dt : 1.0 };
	return r;
}

/* The re-sourced share a step uses (its mean over the step), given last
 * step's cut and mean and this step's cut: r0 is where last step's path
 * ended, c_last - (c_last - mean_last) keep / mean_keep; none once the cut
 * is lifted (old suppliers return), at most the cut. */
static double resourced_share(ts_resourcing r, double cut_last, double mean_last, double cut)
{
	double start = r.mean_keep > 0.0 ? cut_last - (cut_last - mean_last) * r.keep / r.mean_keep : cut_last;
	if (cut <= 0.0)
		return 0.0;
	start = ts_fmin(ts_fmax(start, 0.0), cut);
	return cut - (cut - start) * r.mean_keep;
}

void ts_supply_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		int n_slots = s->sectors[f->sector].n_inputs;
		double factor = 1.0;
		ts_resourcing resource = { w->resource_keep[i], w->resource_mean_keep[i] };
		for (int q = f->slot_first; q < f->slot_first + n_slots; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			/* Share of the input cut off: each controlled link loses all but
			 * its licensed share (docs/model.md §3.2, §4), each de-risked one
			 * what its supplier withholds (§17). */
			double cut = 0.0;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++)
				cut += s->links[l].share * ts_link_cut(w, l);
			/* At most the whole input, whatever the shares add up to (the
			 * loader allows share_tolerance): so 0 <= 1 - missing + drawn <= 1. */
			cut = ts_fmin(1.0, cut);
			/* Re-sourcing takes time: home suppliers are found for the cut-off
			 * share at the firm's half-life, from the step the cut begins. */
			w->substituted[q] = resourced_share(resource, w->controlled[q], w->substituted[q], cut);
			double missing = ts_fmax(0.0, cut - w->substituted[q]);
			double drawn = ts_fmin(w->stock[q], missing);  /* periods of use */
			w->stock[q] -= drawn;
			w->controlled[q] = cut;
			w->shortfall[q] = missing;
			w->draw[q] = drawn;
			/* Leontief in critical inputs: the scarcest input binds output. */
			factor = ts_fmin(factor, 1.0 - missing + drawn);
			w->restock[q] = 0.0;
			if (missing <= 0.0 && w->stock[q] < w->stock_target[q]) {
				double buy = ts_fmin(f->restock_rate, w->stock_target[q] - w->stock[q]);
				w->stock[q] += buy;
				w->restock[q] = buy;
			}
		}
		w->supply_factor[i] = factor;
	}
}

static void book_purchase(struct ts_sim *w, int buyer_country, int supplier_country, double amount)
{
	w->inputs_total[buyer_country] += amount;
	if (supplier_country == buyer_country) {
		w->inputs_domestic[buyer_country] += amount;
	} else {
		w->exports[supplier_country] += amount;
		w->imports[buyer_country] += amount;
	}
}

/* Real room firm j has left in the step for intermediate orders: its real
 * capacity less its final sales at its price factor and the orders it
 * already makes, bn USD at its base price (docs/model.md §6). */
static double order_room(const struct ts_sim *w, int j)
{
	double real_final = w->final_sales[j] / w->price_factor[j];
	return ts_fmax(0.0, w->capacity_eff[j] / w->scn->run.steps_per_year - real_final - w->input_sales[j]);
}

/* Orders on sector k's firms are complete once every buyer of k has
 * ordered (buyers come first). A firm makes them at its base price (its
 * country's generic producers of k, the rest of its industry, make the
 * same input at base price, so no scarcity premium can be charged on them)
 * with the real capacity its final sales leave; the generic producers make
 * the rest, which stays booked to that country: buyers get all their
 * inputs, the trade accounts do not change, and no firm sells beyond its
 * capacity (docs/model.md §6). input_orders keeps what it was asked. */
static void ration_orders(struct ts_sim *w, int k)
{
	int first = w->sector_firm_first[k], count = w->sector_firm_count[k];
	for (int n = first; n < first + count; n++) {
		int j = w->sector_firms[n];
		w->input_orders[j] = w->input_sales[j];
		w->input_sales[j] = 0.0;  /* order_room() counts the orders it already makes */
		w->input_sales[j] = ts_fmin(w->input_orders[j], order_room(w, j));
	}
}

/* Re-sourced purchases of sector k from country c go to c's firms in k in
 * proportion to capacity, each up to the real room it has left this step
 * (at base price, as ration_orders()); the rest is made by c's generic
 * producers (docs/model.md §6). */
static void distribute_substitutes(struct ts_sim *w, int k)
{
	const ts_scenario *s = w->scn;
	int first = w->sector_firm_first[k], count = w->sector_firm_count[k];
	for (int n = first; n < first + count; n++) {
		int j = w->sector_firms[n];
		int x = s->firms[j].country * w->ns + k;
		if (w->substitute_purchases[x] <= 0.0)
			continue;
		double asked = w->substitute_purchases[x] * w->capacity_eff[j] / w->capacity_cs[x];
		w->input_sales[j] += ts_fmin(order_room(w, j), asked);
		w->input_orders[j] += asked;
	}
}

/* Firm slot q's purchases of `use` bn USD of its input (§6): from each
 * link its flowing share (all but what controls and the supplier's
 * de-risking stop, §3.2, §17) plus or minus what the buyer shifts (§17),
 * from home producers what it re-sourced (§4) and what it shifted to them.
 * What a supplier firm withholds by de-risking is booked as its loss. */
static void buy_slot(struct ts_sim *w, int q, double use)
{
	const ts_scenario *s = w->scn;
	const ts_slot_spec *slot = &s->slots[q];
	int country = s->firms[slot->firm].country;
	for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
		const ts_link_spec *link = &s->links[l];
		double cut = ts_link_cut(w, l);
		double amount = use * (link->share * (1.0 - cut) + w->link_shift[l]);
		if (cut > w->link_cut[l]) {
			double withheld = use * link->share * (cut - w->link_cut[l]);
			w->pair_withheld[link->supplier_country * w->nc + country] += withheld;
			if (link->supplier_firm >= 0)
				w->derisk_lost[link->supplier_firm] += withheld;
		}
		if (w->link_shift[l] < 0.0)
			w->pair_shifted[country * w->nc + link->supplier_country] -= use * w->link_shift[l];
		if (amount <= 0.0)
			continue;
		if (link->supplier_firm >= 0)
			w->input_sales[link->supplier_firm] += amount;
		book_purchase(w, country, link->supplier_country, amount);
	}
	double resourced = use * (w->substituted[q] + w->shift_generic[q]);
	if (resourced > 0.0) {
		int x = country * w->ns + slot->input_sector;
		if (w->capacity_cs[x] > 0.0)
			w->substitute_purchases[x] += resourced;
		book_purchase(w, country, country, resourced);
	}
}

void ts_supply_purchases(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++)
		w->input_sales[i] = w->derisk_lost[i] = 0.0;
	for (int c = 0; c < w->nc; c++)
		w->exports[c] = w->imports[c] = w->inputs_domestic[c] = w->inputs_total[c] = 0.0;
	for (int x = 0; x < w->nc * w->ns; x++)
		w->substitute_purchases[x] = 0.0;
	for (int x = 0; x < w->nc * w->nc; x++)
		w->pair_withheld[x] = w->pair_shifted[x] = 0.0;

	/* Buyers before their suppliers, so a supplier's output includes what
	 * its buyers ordered before it orders its own inputs. */
	for (int o = 0; o < w->ns; o++) {
		int k = w->sector_order[o];
		ration_orders(w, k);
		distribute_substitutes(w, k);
		int first = w->sector_firm_first[k], count = w->sector_firm_count[k];
		for (int n = first; n < first + count; n++) {
			int i = w->sector_firms[n];
			const ts_firm_spec *f = &s->firms[i];
			/* Inputs for the real output at the sector's markup (docs/model.md
			 * §6, §7): final sales at base price (over the price factor, §5),
			 * the subsidised ones at full unit cost (§3.4); a scarcity premium
			 * buys no inputs. */
			double real_final = w->final_sales[i] / (w->price_factor[i] * (1.0 - w->subsidy_rate[i]));
			double cogs = (real_final + w->input_sales[i]) / w->markup[k];
			for (int q = f->slot_first; q < f->slot_first + s->sectors[k].n_inputs; q++)
				buy_slot(w, q, s->slots[q].cost_share * cogs * (1.0 + w->restock[q]));
		}
	}
}
