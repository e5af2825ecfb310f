/* Allocation of the run state from a validated scenario. Everything a step
 * touches is allocated here, once; ts_world_release() frees it. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <tradesim/sim.h>
#include "scenario/policy.h"
#include "model/world.h"

/* Every array of the state, so that allocation and release stay in step. */
#define TS_FOR_EACH_DOUBLE_ARRAY(X) \
	X(markup, ns) X(demand, nmseg) X(served, nmseg) X(unmet, nmseg) X(price_ratio, nmseg) \
	X(mseg_domestic_share, nmseg) X(mseg_hhi, nmseg) \
	X(tech, nf) X(tech_next, nf) X(price, nf) X(base_weight, nf) X(supply_factor, nf) \
	X(cap_step, nf) X(desired, nf) X(final_sales, nf) X(input_sales, nf) \
	X(input_sales_prev, nf) X(revenue, nf) X(profit, nf) X(rd_spending, nf) X(jobs, nf) \
	X(ceiling, nf) X(capacity_eff, nf) X(subsidy_rate, nf) X(dependence, nfc) \
	X(link_cut, nlinks) X(tariff_rate, ncf) X(compliance_cost, ncfg) X(generic_dependence, ncsc) \
	X(tariff_revenue, nc) X(subsidy_spending, nc) X(capacity_budget, nc) \
	X(stock, nslots) X(stock_target, nslots) X(controlled, nslots) X(substituted, nslots) \
	X(shortfall, nslots) X(draw, nslots) X(restock, nslots) \
	X(support_per_year, ncs) X(generic_tech, ncs) X(substitute_purchases, ncs) \
	X(capacity_cs, ncs) X(revenue_cs, ncs) X(best_tech_cs, ncs) \
	X(price_index, nc) X(welfare, nc) X(producer_profit, nc) X(exports, nc) X(imports, nc) \
	X(inputs_domestic, nc) X(inputs_total, nc) X(tech_gap, nc) X(country_rd, nc) \
	X(country_jobs, nc) X(country_unmet, nc) X(country_revenue, nc) X(home_mult, nc) X(capacity_country, nc) X(country_scratch, nc) X(frontier, ns)

#define TS_FOR_EACH_INT_ARRAY(X) \
	X(mseg_firms_allowed, nmseg) \
	X(sector_order, ns) X(sector_firm_first, ns) X(sector_firm_count, ns) X(sector_firms, nf) \
	X(sector_mseg_first, ns) X(sector_mseg_count, ns)

#define TS_FOR_EACH_BYTE_ARRAY(X) \
	X(constrained, nf) X(link_blocked, nlinks) X(ban, ncf) X(tech_denied, ncf)

/* ---- Retaliation rules, deals, alliance pressure and tension (policy.c).
 * Sizes: ncc = countries^2, nrules, nmenu = rule menu entries, npa =
 * pressure-ally pairs, ndeals, nmeasures. ---- */
#define TS_FOR_EACH_POLICY_DOUBLE_ARRAY(X) \
	X(tension, ncc) X(damage, ncc) X(damage_cum, ncc) X(export_loss_cum, ncc) X(fines, nc) \
	X(policy_scratch, nc) X(ref_revenue, nf)
#define TS_FOR_EACH_POLICY_INT_ARRAY(X) \
	X(hostile_count, ncc) X(hostile_last, ncc) X(rule_menu_inst, nmenu) X(rule_streak, nrules) \
	X(pa_pressure, npa) X(pa_ally, npa) X(pa_inst, npa) X(deal_step, ndeals) X(deal_mseg, ndeals)
#define TS_FOR_EACH_POLICY_BYTE_ARRAY(X) \
	X(stance, ncc) X(rule_triggered, nrules) X(lifted, nmeasures)
#define TS_FOR_EACH_POLICY_OTHER_ARRAY(X) X(pa_name, npa)
/* ---- end of rules ---- */

int ts_world_init(struct ts_sim *w, const ts_scenario *s, uint32_t seed, ts_error *err)
{
	memset(w, 0, sizeof *w);
	w->scn = s;
	w->nc = s->n_countries;
	w->ns = s->n_sectors;
	w->nf = s->n_firms;
	w->nslots = s->n_slots;
	w->nlinks = s->n_links;
	w->nm = s->n_measures;
	size_t nc = (size_t)w->nc, ns = (size_t)w->ns, nf = (size_t)w->nf;
	size_t nslots = (size_t)w->nslots, nlinks = (size_t)w->nlinks;
	size_t ncs = nc * ns, ncf = nc * nf, nfc = nf * nc, ncfg = ncf * TS_SEG_COUNT, ncsc = ncs * nc;

	/* Market segments with positive demand, grouped by sector. */
	size_t nmseg = 0;
	for (int c = 0; c < w->nc; c++)
		for (int k = 0; k < w->ns; k++)
			for (int g = 0; g < TS_SEG_COUNT; g++) {
				const ts_market_spec *mk = &s->markets[c * w->ns + k];
				if (mk->size > 0 && mk->segment_share[g] > 0)
					nmseg++;
			}
	w->nmseg = (int)nmseg;

	int ok = 1;
#define TS_ALLOC(name, count) ok = ok && (w->name = calloc((count) ? (count) : 1, sizeof *w->name)) != NULL;
	TS_FOR_EACH_DOUBLE_ARRAY(TS_ALLOC)
	TS_FOR_EACH_INT_ARRAY(TS_ALLOC)
	TS_FOR_EACH_BYTE_ARRAY(TS_ALLOC)
	TS_ALLOC(msegs, nmseg)
	TS_ALLOC(sales_offset, ns)
	w->cap_minst = w->nm + s->n_dynamic_measures;
	TS_ALLOC(minst, (size_t)w->cap_minst)
	TS_ALLOC(events, (size_t)w->cap_minst)
	/* rules, deals, pressure */
	w->npa = ts_policy_pressure_pairs(s);
	size_t ncc = nc * nc, nrules = (size_t)s->n_rules, nmenu = (size_t)s->n_rule_menu;
	size_t npa = (size_t)w->npa, ndeals = (size_t)s->n_deals, nmeasures = (size_t)s->n_measures;
	TS_FOR_EACH_POLICY_DOUBLE_ARRAY(TS_ALLOC)
	TS_FOR_EACH_POLICY_INT_ARRAY(TS_ALLOC)
	TS_FOR_EACH_POLICY_BYTE_ARRAY(TS_ALLOC)
	TS_FOR_EACH_POLICY_OTHER_ARRAY(TS_ALLOC)
#undef TS_ALLOC
	if (!ok) {
		ts_world_release(w);
		return ts_error_set(err, TS_ENOMEM, "out of memory allocating the run state");
	}

	int n_ordered = 0;
	int rc = ts_sector_order(s, w->sector_order, &n_ordered);
	if (rc != 0) {  /* the loader rejects cycles: only a hand-built scenario gets here */
		ts_world_release(w);
		if (rc == -2)
			return ts_error_set(err, TS_ENOMEM, "out of memory ordering sectors");
		return ts_error_set(err, TS_EINPUT, "%s: sectors: critical inputs form a cycle", s->path);
	}

	/* Firms grouped by sector, in file order within a sector. */
	int pos = 0;
	for (int k = 0; k < w->ns; k++) {
		w->sector_firm_first[k] = pos;
		for (int i = 0; i < w->nf; i++)
			if (s->firms[i].sector == k)
				w->sector_firms[pos++] = i;
		w->sector_firm_count[k] = pos - w->sector_firm_first[k];
	}

	/* Market segments grouped by sector; sales blocks per sector. */
	int m = 0;
	size_t offset = 0;
	for (int k = 0; k < w->ns; k++) {
		w->sector_mseg_first[k] = m;
		for (int c = 0; c < w->nc; c++) {
			const ts_market_spec *mk = &s->markets[c * w->ns + k];
			for (int g = 0; g < TS_SEG_COUNT; g++) {
				if (!(mk->size > 0 && mk->segment_share[g] > 0))
					continue;
				ts_mseg *ms = &w->msegs[m++];
				ms->country = c;
				ms->sector = k;
				ms->segment = (ts_segment)g;
				/* Spending per step (docs/model.md §5). */
				ms->base_demand = mk->size * mk->segment_share[g] / s->run.steps_per_year;
				ms->growth_per_step = pow(1.0 + mk->growth, 1.0 / s->run.steps_per_year);
			}
		}
		w->sector_mseg_count[k] = m - w->sector_mseg_first[k];
		w->sales_offset[k] = offset;
		offset += (size_t)w->sector_mseg_count[k] * (size_t)w->sector_firm_count[k];
	}
	w->sales = calloc(offset ? offset : 1, sizeof *w->sales);
	w->wedge_weight = calloc(offset ? offset : 1, sizeof *w->wedge_weight);
	w->receipt_share = calloc(offset ? offset : 1, sizeof *w->receipt_share);
	w->tariff_share = calloc(offset ? offset : 1, sizeof *w->tariff_share);
	w->ref_share = calloc(offset ? offset : 1, sizeof *w->ref_share);  /* rules */
	if (!w->sales || !w->wedge_weight || !w->receipt_share || !w->tariff_share || !w->ref_share) {
		ts_world_release(w);
		return ts_error_set(err, TS_ENOMEM, "out of memory allocating sales");
	}

	for (int k = 0; k < w->ns; k++) {
		double sigma = s->sectors[k].elasticity;
		w->markup[k] = sigma / (sigma - 1.0);  /* CES monopolistic competition markup */
	}
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		w->tech[i] = f->tech;
		w->price[i] = w->markup[f->sector] * f->unit_cost;
		w->supply_factor[i] = 1.0;
		w->capacity_eff[i] = f->capacity;
		w->capacity_cs[f->country * w->ns + f->sector] += f->capacity;
		w->capacity_country[f->country] += f->capacity;
	}
	for (int c = 0; c < w->nc; c++)
		w->home_mult[c] = exp(s->countries[c].home_bias);
	for (size_t x = 0; x < offset; x++) {  /* no wedge before any measure */
		w->wedge_weight[x] = 1.0;
		w->receipt_share[x] = 1.0;
	}
	ts_measures_dependence(w);
	for (int j = 0; j < w->nm; j++) {
		const ts_measure_spec *spec = &s->measures[j];
		/* A disabled measure never starts (counterfactuals, docs/scenario.md). */
		ts_measures_add(w, j, spec->actor, spec->enabled ? spec->start : INT_MAX, spec->end, spec->id, "");
	}
	for (int q = 0; q < w->nslots; q++) {
		w->stock[q] = s->slots[q].stockpile;
		w->stock_target[q] = s->slots[q].stockpile;
	}

	/* Reference price indexes: every firm allowed, step-0 technology. */
	ts_market_prepare(w);
	for (int j = 0; j < w->nmseg; j++)
		w->msegs[j].p0 = ts_market_price_index(w, j, 1);

	/* Step -1, the open market before any measure: it gives step 0 the
	 * intermediate orders it reads (every phase reads the previous step). */
	for (int i = 0; i < w->nf; i++)
		w->cap_step[i] = s->firms[i].capacity / s->run.steps_per_year;
	w->step = 0;
	ts_market_allocate(w);
	ts_supply_purchases(w);
	ts_accounts_technology(w);

	w->rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!w->rng) {
		ts_world_release(w);
		return ts_error_set(err, TS_ENOMEM, "out of memory allocating the random generator");
	}
	gsl_rng_set(w->rng, seed);
	if (ts_policy_init(w, seed) != 0) {
		ts_world_release(w);
		return ts_error_set(err, TS_ENOMEM, "out of memory setting up the retaliation rules");
	}
	return TS_OK;
}

void ts_world_release(struct ts_sim *w)
{
#define TS_FREE(name, count) free(w->name); w->name = NULL;
	TS_FOR_EACH_DOUBLE_ARRAY(TS_FREE)
	TS_FOR_EACH_INT_ARRAY(TS_FREE)
	TS_FOR_EACH_BYTE_ARRAY(TS_FREE)
	TS_FREE(msegs, 0)
	TS_FREE(sales_offset, 0)
	TS_FREE(minst, 0)
	TS_FREE(events, 0)
	TS_FREE(sales, 0)
	TS_FREE(wedge_weight, 0)
	TS_FREE(receipt_share, 0)
	TS_FREE(tariff_share, 0)
	TS_FOR_EACH_POLICY_DOUBLE_ARRAY(TS_FREE)
	TS_FOR_EACH_POLICY_INT_ARRAY(TS_FREE)
	TS_FOR_EACH_POLICY_BYTE_ARRAY(TS_FREE)
	TS_FOR_EACH_POLICY_OTHER_ARRAY(TS_FREE)
	TS_FREE(ref_share, 0)
	ts_policy_release(w);  /* pa_names, policy_rng */
#undef TS_FREE
	if (w->rng)
		gsl_rng_free(w->rng);
	w->rng = NULL;
}
