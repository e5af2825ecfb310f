/* Damage and tension (docs/model.md §10, §11, §13), after a step's
 * accounts: the damage each country received from each other's measures,
 * the sales suppliers lost to export controls (together the conflict loss
 * deals and negotiate rules read), the hostile measures in force per pair
 * and the tension index they drive. */
#include <math.h>
#include "scenario/policy.h"
#include "util/assert.h"
#include "model/timing.h"
#include "model/world.h"

/* References from the open market solved before step 0: each firm's share
 * of every segment, and its revenue with every input. */
void ts_tension_init(struct ts_sim *w)
{
	for (int x = 0; x < w->nc * w->nc; x++)
		w->hostile_last[x] = -1;
	for (int m = 0; m < w->nmseg; m++)
		w->ref_scale[m] = 0.0;  /* the shares are written out below */
	for (int k = 0; k < w->ns; k++) {
		int nfs = w->sector_firm_count[k];
		for (int b = 0; b < w->sector_mseg_count[k]; b++) {
			int m = w->sector_mseg_first[k] + b;
			for (int a = 0; a < nfs; a++) {
				size_t x = w->sales_offset[k] + (size_t)b * (size_t)nfs + (size_t)a;
				w->ref_share[x] = w->demand[m] > 0.0 ? ts_market_sale(w, m, x - (size_t)a, a) / w->demand[m] : 0.0;
			}
		}
	}
	for (int i = 0; i < w->nf; i++) {
		w->ref_revenue[i] = w->final_sales[i] + w->input_sales[i];
		w->ref_output[i] = w->final_sales[i] / w->price_factor[i] + w->input_sales[i];
	}
}

/* The shares of the last step allowed are those of the last step's sales
 * in a usual segment (neither barred nor tariffed, with demand), which then
 * keeps only 1 / its demand (ref_scale); a segment that is barred, tariffed
 * or without demand this step takes its shares from ref_share, so they are
 * written out here while the sales are still last step's. */
void ts_tension_keep_shares(struct ts_sim *w)
{
	for (int k = 0; k < w->ns; k++) {
		int nfs = w->sector_firm_count[k];
		for (int b = 0; b < w->sector_mseg_count[k]; b++) {
			int m = w->sector_mseg_first[k] + b;
			double scale = w->ref_scale[m];
			if (scale == 0.0 || (!w->mseg_barred[m] && !w->mseg_tariffed[m] && w->demand[m] > 0.0))
				continue;
			size_t at = w->sales_offset[k] + (size_t)b * (size_t)nfs;
			const double *sales = ts_market_row(w, m, at);
			for (int a = 0; a < nfs; a++)
				w->ref_share[at + (size_t)a] = sales[a] * scale;
			w->ref_scale[m] = 0.0;
		}
	}
}

double ts_tension_ref_share(const struct ts_sim *w, int m, size_t x)
{
	if (w->ref_scale[m] == 0.0)
		return w->ref_share[x];
	int k = w->msegs[m].sector;
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)w->sector_firm_count[k];
	return ts_market_sale(w, m, at, (int)(x - at)) * w->ref_scale[m];
}

/* What a conflict has cost country a in its dealings with b, bn USD since
 * step 0 (§11): the damage b's measures did to it, plus the sales its own
 * suppliers lost because controls cut their flows to b's firms (the mover's
 * own cost: Qualcomm's sales to ZTE, seed 001). */
double ts_tension_conflict_loss(const struct ts_sim *w, int a, int b)
{
	TS_ASSERT(a >= 0 && a < w->nc && b >= 0 && b < w->nc);
	return w->damage_cum[a * w->nc + b] + w->export_loss_cum[a * w->nc + b];
}

/* Whether measure m imposed by `actor` is hostile toward country b (§10). */
static int aims_at(const ts_scenario *s, const ts_measure_spec *m, int actor, int b)
{
	if (!ts_policy_kind_is_aimed(m->kind) || actor == b)
		return 0;
	int target = ts_measure_target_country(s, m);
	return target >= 0 ? target == b : m->kind == TS_MEASURE_COMPLIANCE;
}

/* Sales lost to bans (and exclusions) in other countries' markets: the
 * firm's share of the segment at its last step allowed, times today's
 * demand. Tariffs paid are the duty part of buyers' spending on the firm. */
static void market_damage(struct ts_sim *w)
{
	int nc = w->nc;
	for (int k = 0; k < w->ns; k++) {
		int nfs = w->sector_firm_count[k];
		const int *firms = w->sector_firms + w->sector_firm_first[k];
		for (int b = 0; b < w->sector_mseg_count[k]; b++) {
			int m = w->sector_mseg_first[k] + b;
			const ts_mseg *ms = &w->msegs[m];
			size_t at = w->sales_offset[k] + (size_t)b * (size_t)nfs;
			const double *tariff = w->tariff_share + at;
			double *ref = w->ref_share + at, demand = w->demand[m];
			if (!(demand > 0.0) && !w->mseg_barred[m] && !w->mseg_tariffed[m])
				continue;  /* nothing to update or charge */
			if (!w->mseg_barred[m] && !w->mseg_tariffed[m]) {  /* the usual segment: shares alone */
				w->ref_scale[m] = 1.0 / demand;  /* ref = sales x this, written out when needed */
				continue;
			}
			TS_ASSERT(w->ref_scale[m] == 0.0);  /* ts_tension_keep_shares() */
			const double *sales = ts_market_row(w, m, at);
			const unsigned char *bans = w->ban + (size_t)ms->country * (size_t)w->nf;
			for (int a = 0; a < nfs; a++) {
				int i = firms[a], home = w->home_country[i];
				if (home == ms->country) {
					if (demand > 0.0)
						ref[a] = sales[a] / demand;
					continue;
				}
				double *damage = &w->damage[home * nc + ms->country];
				if ((bans[i] >> ms->segment) & 1u)
					*damage += ref[a] * demand;
				else if (demand > 0.0)
					ref[a] = sales[a] / demand;
				/* Buyers' spending includes the duty; tariff_share is its part (§3.1). */
				*damage += tariff[a] * sales[a];
			}
		}
	}
}

/* Shares of firm i's blocked inputs each country cuts off, into cut[]
 * (per country); returns their total. A blocked link is charged to its
 * supplier's country if that country controls exports to the firm, else (a
 * foreign-direct-product control) shared equally among those that do. */
static double cut_shares(const struct ts_sim *w, int i, double *cut)
{
	const ts_scenario *s = w->scn;
	const ts_firm_spec *f = &s->firms[i];
	int nc = w->nc, nf = w->nf, controllers = 0;
	for (int c = 0; c < nc; c++) {
		cut[c] = 0.0;
		controllers += w->tech_denied[c * nf + i] != 0;
	}
	double total = 0.0;
	for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
		const ts_slot_spec *slot = &s->slots[q];
		for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
			if (!w->link_blocked[l])
				continue;
			int supplier = s->links[l].supplier_country;
			double share = s->links[l].share;
			total += share;
			if (w->tech_denied[supplier * nf + i] || controllers == 0) {
				cut[supplier] += share;
			} else {
				for (int c = 0; c < nc; c++)
					if (w->tech_denied[c * nf + i])
						cut[c] += share / controllers;
			}
		}
	}
	return total;
}

/* Revenue lost to export controls: the firm's revenue at its last step with
 * every input x (1 - supply factor), apportioned among the controlling
 * countries by the shares of its inputs each cuts off. */
static void control_damage(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	double *cut = w->policy_scratch;
	for (int i = 0; i < w->nf; i++) {
		if (w->supply_factor[i] >= 1.0) {
			w->ref_revenue[i] = w->revenue[i];
			w->ref_output[i] = ts_firm_real_sales(w, i);
			continue;
		}
		double total = cut_shares(w, i, cut);
		if (!(total > 0.0))
			continue;
		int home = s->firms[i].country;
		double lost = w->ref_revenue[i] * (1.0 - w->supply_factor[i]);
		for (int c = 0; c < nc; c++)
			if (c != home && cut[c] > 0.0)
				w->damage[home * nc + c] += lost * cut[c] / total;
	}
}

/* Sales suppliers lose to controls: at every cut link, the buyer's input
 * purchases at its last step with every input (its real output then over
 * the sector's markup, as it buys them, §6: a buyer that stopped producing
 * still counts what it used to buy) times the cut share. */
static void export_losses(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		double cogs = ts_firm_ref_input_cost(w, i);
		for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
				int supplier = s->links[l].supplier_country;
				if (w->link_cut[l] > 0.0 && supplier != f->country)
					w->export_loss_cum[supplier * nc + f->country] +=
						cogs * slot->cost_share * s->links[l].share * w->link_cut[l];
			}
		}
	}
}

/* Whether instance x can do harm (§10, "Hostility"): not a tariff at rate
 * 0, an export control whose licences cover every flow, or a compliance
 * demand of cost 0 that every firm it bears on meets. */
static int can_harm(const struct ts_sim *w, const ts_minst *x)
{
	const ts_scenario *s = w->scn;
	const ts_measure_spec *m = &s->measures[x->spec];
	switch (m->kind) {
	case TS_MEASURE_TARIFF:
		return x->rate > 0.0;
	case TS_MEASURE_EXPORT_CONTROL:
		return m->licence_share < 1.0;
	case TS_MEASURE_COMPLIANCE:
		if (m->cost > 0.0)
			return 1;
		for (int i = 0; i < w->nf; i++)
			if ((s->firms[i].refuses & (1u << m->requirement)) && s->firms[i].country != x->actor &&
			    ts_measure_bears_on_firm(s, m, x->actor, i) && ts_measure_covers_sector(s, m, s->firms[i].sector))
				return 1;
		return 0;
	default:
		return 1;
	}
}

/* Hostile measures in force per ordered pair (those that can do harm), and
 * the latest of them. */
static void count_hostile(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int nc = w->nc;
	for (int x = 0; x < nc * nc; x++) {
		w->hostile_count[x] = 0;
		w->hostile_last[x] = -1;
	}
	for (int j = 0; j < w->n_minst; j++) {
		const ts_minst *inst = &w->minst[j];
		if (!inst->active || !can_harm(w, inst))
			continue;
		const ts_measure_spec *m = &s->measures[inst->spec];
		for (int b = 0; b < nc; b++) {
			if (!aims_at(s, m, inst->actor, b))
				continue;
			int x = inst->actor * nc + b;
			w->hostile_count[x]++;
			if (w->hostile_last[x] < 0 || inst->start >= w->minst[w->hostile_last[x]].start)
				w->hostile_last[x] = j;
		}
	}
}

void ts_tension_update(struct ts_sim *w)
{
	int nc = w->nc;
	/* §13: the weight kept after a year, over one step (timing.h). */
	double lambda = ts_step_memory(w->scn->model.tension_memory_per_year,
				       1.0 / w->scn->run.steps_per_year);
	for (int x = 0; x < nc * nc; x++)
		w->damage[x] = 0.0;
	market_damage(w);
	control_damage(w);
	for (int x = 0; x < nc * nc; x++)
		w->damage_cum[x] += w->damage[x];
	export_losses(w);
	count_hostile(w);
	/* §13: T_ab(t) = lambda T_ab(t-1) + (1 - lambda) (n_ab(t) + n_ba(t)). */
	for (int a = 0; a < nc; a++)
		for (int b = a + 1; b < nc; b++) {
			double n = w->hostile_count[a * nc + b] + w->hostile_count[b * nc + a];
			double tension = lambda * w->tension[a * nc + b] + (1.0 - lambda) * n;
			w->tension[a * nc + b] = w->tension[b * nc + a] = tension;
		}
}
