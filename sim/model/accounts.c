/* Accounts of a step (docs/model.md §7): firms' revenue, R&D, profit
 * and jobs; countries' CES price index, consumer welfare, producer profits,
 * trade, self-sufficiency in critical inputs and technology gap. */
#include <math.h>
#include "util/fminmax.h"
#include "model/sums.h"
#include "model/world.h"

/* docs/model.md §7: profit = revenue - cost of goods (real output / mu_i)
 * - fixed cost - own R&D (government support is not a cost); jobs close
 * the share of the gap to jobs_per_bn x yearly revenue that their
 * half-life gives a step. */
static void firm_accounts(struct ts_sim *w, int i)
{
	const ts_firm_spec *f = &w->scn->firms[i];
	double spy = w->scn->run.steps_per_year;
	w->profit[i] = w->revenue[i] - ts_firm_cost_of_goods(w, i) - f->fixed_cost / spy
	               - w->rd_applied[i] * w->revenue[i];
	w->jobs[i] += w->jobs_share[i] * (f->jobs_per_bn * w->revenue[i] * spy - w->jobs[i]);
}

/* §8.1: the support country c pays because of its firms' denial, bn USD per
 * year: rd_support_on_denial x the largest denial of its firms. */
static double denial_budget(const struct ts_sim *w, int c)
{
	return w->scn->countries[c].rd_support_on_denial * w->rd_denial_max[c];
}

/* §8.1: the part of it firm i gets as a denied firm: without
 * rd_support_sectors, split among c's firms by revenue x D_i (by capacity x
 * D_i when the denied have no revenue); with them, none (it goes to the
 * listed sectors, as an rd_investment budget does). */
static double denial_support(const struct ts_sim *w, int i)
{
	int c = w->scn->firms[i].country;
	double budget = denial_budget(w, c);
	if (!(budget > 0.0) || w->scn->countries[c].n_support_sectors > 0)
		return 0.0;
	if (w->rd_denied_revenue[c] > 0.0)
		return budget * w->rd_denial[i] * w->revenue[i] / w->rd_denied_revenue[c];
	return w->rd_denied_capacity[c] > 0.0 ? budget * w->rd_denial[i] * w->capacity_eff[i] / w->rd_denied_capacity[c] : 0.0;
}

/* R&D spending (docs/model.md §8; Dosi et al. 2010): intensity (§8.1) x
 * revenue, plus government support split among the country's firms by
 * revenue (by capacity when none has revenue) and the support that follows
 * denial. bn USD per step. */
static void rd_spending(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double spy = s->run.steps_per_year;
	ts_innovation_intensity(w);
	for (int x = 0; x < w->nc * w->ns; x++)
		w->revenue_cs[x] = 0.0;
	for (int c = 0; c < w->nc; c++)
		w->country_revenue[c] = 0.0;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		w->revenue_cs[f->country * w->ns + f->sector] += w->revenue[i];
		w->country_revenue[f->country] += w->revenue[i];
	}
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		int x = f->country * w->ns + f->sector;
		double general = s->countries[f->country].rd_budget;
		double targeted = w->support_per_year[x] + (w->denial_sector[x] ? denial_budget(w, f->country) : 0.0);
		double share_country = w->country_revenue[f->country] > 0.0 ? w->revenue[i] / w->country_revenue[f->country]
		                       : w->capacity_country[f->country] > 0.0  /* capacity worn to nothing: none */
		                           ? w->capacity_eff[i] / w->capacity_country[f->country] : 0.0;
		double share_sector = w->revenue_cs[x] > 0.0 ? w->revenue[i] / w->revenue_cs[x]
		                      : w->capacity_cs[x] > 0.0 ? w->capacity_eff[i] / w->capacity_cs[x] : 0.0;
		double subsidy = (general * share_country + targeted * share_sector + denial_support(w, i)) / spy;
		w->rd_spending[i] = w->rd_applied[i] * w->revenue[i] + subsidy;
		firm_accounts(w, i);
	}
}

/* Segment m's trade, tariffs and market structure from its row of sales:
 * trade at what the exporter earns, the tariff going to the importer's
 * government (docs/model.md §3.1); shares of served sales, their
 * Herfindahl-Hirschman index. A foreign firm's exports are its sales x
 * the share it earns (cell_export, 0 for a domestic firm); the domestic
 * sales are summed over the country's firms of the sector alone
 * (home_pos), in order. imports and squares are given; the rest here. */
static void segment_structure(struct ts_sim *w, int m, size_t at, double imports, double squares)
{
	int c = w->msegs[m].country, k = w->msegs[m].sector, nfs = w->sector_firm_count[k];
	double tariffs = 0.0, domestic = 0.0, served = w->served[m];
	if (ts_sales_kind(w, m) == TS_SALES_FACTORED) {  /* a domestic cell's weight is the home multiplier (no wedge, not barred) */
		const double *u = w->sales_unit + w->sector_firm_first[k];
		for (int j = w->home_first[k * w->nc + c]; j < w->home_first[k * w->nc + c + 1]; j++)
			domestic += w->sales_pw[m] * (w->home_mult[c] * u[w->home_pos[j]]);
	} else {
		for (int j = w->home_first[k * w->nc + c]; j < w->home_first[k * w->nc + c + 1]; j++)
			domestic += ts_market_sale(w, m, at, w->home_pos[j]);
	}
	if (w->mseg_tariffed[m])  /* else every tariff share is 0 */
		tariffs = ts_sum_xy(ts_market_row(w, m, at), w->tariff_share + at, nfs);
	w->imports[c] += imports;
	w->tariff_revenue[c] += tariffs;
	double per_served = served > 0.0 ? 1.0 / served : 0.0;
	w->mseg_domestic_share[m] = served > 0.0 ? domestic * per_served : NAN;
	w->mseg_hhi[m] = served > 0.0 ? squares * per_served * per_served : NAN;
}

/* A segment read cell by cell: each firm's exports in it added to
 * exported[] (by position in its sector). */
static void segment_cells(struct ts_sim *w, int m, size_t at, double *exported)
{
	ts_row row = ts_market_row_of(w, m, at);
	double imports, squares;
	ts_sum_xy_xx_add(&row, w->cell_export + at, exported, w->sector_firm_count[w->msegs[m].sector], &imports,
	                 &squares);  /* exported[a] += row x export share */
	segment_structure(w, m, at, imports, squares);
}

/* Sector k's factored sums (docs/model.md §7, "Implementation"): its
 * firms' unit weights u summed, squared and summed, and those of the
 * firms of country c (home_pos). */
typedef struct unit_sums {
	double all, squares;
} unit_sums;

static double home_units(const struct ts_sim *w, int k, int c, const double *u)
{
	double sum = 0.0;
	for (int j = w->home_first[k * w->nc + c]; j < w->home_first[k * w->nc + c + 1]; j++)
		sum += u[w->home_pos[j]];
	return sum;
}

/* The foreign firms' unit weights in segment m: all less the domestic
 * ones, summed directly where those are more than half. */
static double foreign_units(const struct ts_sim *w, int m, const unit_sums *us, const double *u)
{
	int c = w->msegs[m].country, k = w->msegs[m].sector, f0 = w->sector_firm_first[k];
	double home = home_units(w, k, c, u);
	if (home <= 0.5 * us->all)
		return us->all - home;
	double sum = 0.0;
	for (int a = 0; a < w->sector_firm_count[k]; a++)
		sum += w->sector_home[f0 + a] != c ? u[a] : 0.0;
	return sum;
}

/* A factored segment (market.c: sales = pw x cell_weight x u): a firm's
 * cell weighs 1 and earns all that is spent on it but at the exceptions,
 * so imports are pw (sum of the foreign firms' u + sum over the foreign
 * exceptions of u (cell_receipt - 1)) and the squares pw^2 (sum u^2 + sum
 * over the exceptions of u^2 ((cell_weight)^2 - 1)); each firm's exports
 * are pw u over the foreign segments (export_pw, added once per sector)
 * plus its exceptions' corrections (export_fix); a firm rationed by its
 * inputs (TS_SALES_RATIONED: its u is 0) adds its own sales, cell by cell.
 * Returns 0, having done
 * nothing, where the corrections take away more than half of the imports:
 * the segment is then taken cell by cell (segment_cells()), so that no
 * cancellation shows. The squares need no such test: only foreign firms
 * under a wedge take weight away (a domestic firm's home bias adds), and
 * with half the foreign weight kept the n foreign firms' squares keep at
 * least 1 / (4 n) of what the wedges take. */
static int segment_factored(struct ts_sim *w, int m, size_t at, const unit_sums *us, double *exported)
{
	int c = w->msegs[m].country, k = w->msegs[m].sector, f0 = w->sector_firm_first[k];
	const double *u = w->sales_unit + f0;
	ts_exceptions x = ts_market_exceptions(w, m);
	double pw = w->sales_pw[m], foreign = foreign_units(w, m, us, u), imports = foreign, squares = us->squares;
	for (int e = 0; e < x.n; e++) {
		int a = x.pos[e];
		double ue = u[a], weight = 1.0 + x.weight[e];
		if (w->sector_home[f0 + a] != c)
			imports += ue * x.receipt[e];
		squares += ue * ue * (weight * weight - 1.0);
	}
	if (imports < 0.5 * foreign)
		return 0;
	for (int e = 0; e < x.n; e++) {
		int a = x.pos[e];
		if (w->sector_home[f0 + a] != c)
			w->export_fix[f0 + a] += pw * u[a] * x.receipt[e];
	}
	w->export_pw[c] += pw;
	double rationed_imports = 0.0, rationed_squares = 0.0;
	for (int r = 0; ts_sales_kind(w, m) == TS_SALES_RATIONED && r < w->ration_count[k]; r++) {
		int a = w->ration_pos[f0 + r];
		double sale = ts_market_sale(w, m, at, a), exports = sale * w->cell_export[at + (size_t)a];
		rationed_imports += exports;
		rationed_squares += sale * sale;
		exported[a] += exports;
	}
	segment_structure(w, m, at, pw * imports + rationed_imports, pw * pw * squares + rationed_squares);
	return 1;
}

/* Firm a of sector k's exports in its factored segments, cell by cell:
 * where its corrections take away more than half of them. */
static double factored_exports(const struct ts_sim *w, int k, int a)
{
	int nfs = w->sector_firm_count[k];
	double sum = 0.0;
	for (int b = 0; b < w->sector_mseg_count[k]; b++) {
		int m = w->sector_mseg_first[k] + b;
		size_t at = w->sales_offset[k] + (size_t)b * (size_t)nfs;
		if (w->sales_factored[m] & TS_SALES_SUMMED)  /* marked by sector_accounts() */
			sum += ts_market_sale(w, m, at, a) * w->cell_export[at + (size_t)a];
	}
	return sum;
}

/* Real consumption at open-market step-0 prices: served / (P/P0). A
 * segment without a price (no variety left, §5) serves nothing and is left
 * out of the index: it measures the prices of what the country can buy
 * (§7). */
static void segment_welfare(struct ts_sim *w, int m, double *log_price_weight)
{
	int c = w->msegs[m].country;
	w->country_unmet[c] += w->unmet[m];
	if (!isnan(w->price_ratio[m])) {
		w->welfare[c] += w->served[m] / w->price_ratio[m];
		w->price_index[c] += w->demand[m] * log(w->price_ratio[m]);
		log_price_weight[c] += w->demand[m];
	}
}

/* Sector k's segments' trade and structure, and its firms' exports into
 * their countries'. A segment the split left factored is summed through
 * its factors where its exceptions are few (ts_market_row_sparse()), and
 * marked TS_SALES_SUMMED meanwhile (factored_exports()); others cell by
 * cell. */
static void sector_accounts(struct ts_sim *w, int k)
{
	int f0 = w->sector_firm_first[k], nfs = w->sector_firm_count[k], m0 = w->sector_mseg_first[k];
	double *exported = w->clear_earn + f0, *fix = w->export_fix + f0;  /* scratch: the markets are done with it */
	const double *u = w->sales_unit + f0;
	for (int a = 0; a < nfs; a++)
		exported[a] = fix[a] = 0.0;
	for (int c = 0; c < w->nc; c++)
		w->export_pw[c] = 0.0;
	unit_sums us = {ts_sum(u, nfs), ts_sum_xy(u, u, nfs)};
	int any = 0;
	for (int b = 0; b < w->sector_mseg_count[k]; b++) {
		int m = m0 + b;
		size_t at = w->sales_offset[k] + (size_t)b * (size_t)nfs;
		if (ts_sales_kind(w, m) != TS_SALES_WRITTEN && ts_market_row_sparse(w, m, nfs) &&
		    segment_factored(w, m, at, &us, exported)) {
			w->sales_factored[m] |= TS_SALES_SUMMED;
			any = 1;
		} else {
			segment_cells(w, m, at, exported);
		}
	}
	double all_pw = 0.0;
	for (int c = 0; c < w->nc && any; c++)
		all_pw += w->export_pw[c];
	for (int a = 0; a < nfs && any; a++) {
		double base = u[a] * (all_pw - w->export_pw[w->sector_home[f0 + a]]), total = base + fix[a];
		exported[a] += total >= 0.5 * base ? total : factored_exports(w, k, a);
	}
	for (int b = 0; b < w->sector_mseg_count[k] && any; b++)
		w->sales_factored[m0 + b] &= TS_SALES_KIND;
	for (int a = 0; a < nfs; a++)
		w->exports[w->sector_home[f0 + a]] += exported[a];
}

static void market_accounts(struct ts_sim *w)
{
	double *log_price_weight = w->country_scratch;
	for (int c = 0; c < w->nc; c++) {
		w->welfare[c] = w->price_index[c] = w->country_unmet[c] = w->tariff_revenue[c] = 0.0;
		log_price_weight[c] = 0.0;
	}
	for (int k = 0; k < w->ns; k++) {
		sector_accounts(w, k);
		for (int m = w->sector_mseg_first[k]; m < w->sector_mseg_first[k] + w->sector_mseg_count[k]; m++)
			segment_welfare(w, m, log_price_weight);
	}
	/* Demand-weighted geometric mean of segment price ratios; NaN (no
	 * price) for a country that can buy nothing in the model. */
	for (int c = 0; c < w->nc; c++)
		w->price_index[c] = log_price_weight[c] > 0.0 ? exp(w->price_index[c] / log_price_weight[c]) : NAN;
}

/* docs/model.md §3.4, §3.5: a subsidy at rate r pays r x the firm's cost of
 * goods per unit sold in final markets; at price mu_i phi_i uc (1 - r) that
 * is final_sales r / (mu_i phi_i (1 - r)), bn USD per step, paid by the firm's own
 * government (a subsidy covers only its actor's firms). Capacity investment
 * budgets are added while the capacity is being built. */
static void country_totals(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int c = 0; c < w->nc; c++) {
		w->producer_profit[c] = w->country_jobs[c] = w->country_rd[c] = 0.0;
		w->subsidy_spending[c] = w->capacity_budget[c];
	}
	for (int i = 0; i < w->nf; i++) {
		int c = s->firms[i].country;
		double r = w->subsidy_rate[i];
		w->producer_profit[c] += w->profit[i];
		w->country_jobs[c] += w->jobs[i];
		w->country_rd[c] += w->rd_spending[i];
		if (r > 0.0)
			w->subsidy_spending[c] += w->final_sales[i] * r / (w->cost_markup[i] * w->price_factor[i] * (1.0 - r));
	}
}

/* docs/model.md §1: generic producers have the tech of the country's best
 * firm in the sector, or the sector's base_tech. */
static void refresh_tech(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int x = 0; x < w->nc * w->ns; x++)
		w->best_tech_cs[x] = -INFINITY;
	for (int i = 0; i < w->nf; i++) {
		int x = s->firms[i].country * w->ns + s->firms[i].sector;
		w->best_tech_cs[x] = ts_fmax(w->best_tech_cs[x], w->tech[i]);
	}
	for (int c = 0; c < w->nc; c++)
		for (int k = 0; k < w->ns; k++) {
			int x = c * w->ns + k;
			w->generic_tech[x] = isfinite(w->best_tech_cs[x]) ? w->best_tech_cs[x] : s->sectors[k].base_tech;
		}
}

void ts_accounts_technology(struct ts_sim *w)
{
	refresh_tech(w);
	for (int k = 0; k < w->ns; k++) {
		w->frontier[k] = -INFINITY;
		for (int c = 0; c < w->nc; c++)
			w->frontier[k] = ts_fmax(w->frontier[k], w->best_tech_cs[c * w->ns + k]);
	}
	/* Technology gap: mean over the sectors where the country has firms of
	 * (world frontier - its best firm), log-tech units; NaN with no firms. */
	for (int c = 0; c < w->nc; c++) {
		double gap = 0.0;
		int sectors = 0;
		for (int k = 0; k < w->ns; k++) {
			double best = w->best_tech_cs[c * w->ns + k];
			if (isfinite(best)) {
				gap += w->frontier[k] - best;
				sectors++;
			}
		}
		w->tech_gap[c] = sectors ? gap / sectors : NAN;
	}
}

/* docs/model.md §7: national welfare, bn USD per step. Consumers' real
 * consumption at step-0 prices, plus the income the country's residents and
 * government earn on top of it: its firms' profits, the tariffs and fines
 * its government collects, less what its government pays in subsidies and
 * capacity budgets (Fajgelbaum et al. 2020: consumer loss + producer gain +
 * tariff revenue). Fines move income between countries: the payer's profit
 * falls by what the receiver books. */
double ts_accounts_national_welfare(const struct ts_sim *w, int c)
{
	return w->welfare[c] + w->producer_profit[c] + w->tariff_revenue[c] + w->fines[c] - w->subsidy_spending[c];
}

void ts_accounts_update(struct ts_sim *w)
{
	for (int i = 0; i < w->nf; i++)
		w->revenue[i] = w->final_sales[i] + w->input_sales[i];
	rd_spending(w);
	market_accounts(w);
	country_totals(w);
}
