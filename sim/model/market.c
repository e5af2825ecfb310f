/* Markets (docs/model.md §5): each country-sector market splits into
 * government, infrastructure and private segments; within a segment the
 * firms allowed to sell share demand by a CES rule over price and
 * technology with home bias,
 *     s*_i = a_i (p_i phi_i)^(1-sigma) / sum_j a_j (p_j phi_j)^(1-sigma),
 *     a_i = exp(theta tech_i) * exp(home_bias [i domestic])
 * (Armington 1969; Anderson, de Palma and Thisse 1992 for the logit/CES
 * equivalence), toward which their shares move with a half-life (share
 * inertia), at prices that clear capacity: phi_i is the firm's scarcity
 * factor on its short-run supply curve (clearing.c). The CES price index is
 * P = (sum_j a_j (p_j phi_j)^(1-sigma))^(1/(1-sigma)), so losing a variety
 * or a price rise raises it.
 * Measures enter as price wedges (docs/model.md §3.1): a subsidised firm's
 * price is p_i (1 - subsidy_i); buyers in a segment pay W times it (tariff,
 * compliance cost), with complete pass-through, so the weight is multiplied
 * by W^(1-sigma) in the shares and in the price index; the firm earns 1/W of
 * what buyers spend on it, and capacity binds on what it earns over phi:
 * its real output. */
#include <math.h>
#include "util/assert.h"
#include "util/fminmax.h"
#include "model/sums.h"
#include "model/timing.h"
#include "model/world.h"

void ts_market_prepare(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double theta = s->model.tech_weight;
	for (int i = 0; i < w->nf; i++) {
		int k = s->firms[i].sector;
		double sigma = s->sectors[k].elasticity;
		double price = w->price[i] * (1.0 - w->subsidy_rate[i]);  /* §3.4 */
		if (w->tech[i] != w->memo_tech[i]) {  /* most firms' tech and price stand from step to step */
			w->memo_tech[i] = w->tech[i];
			w->memo_tech_weight[i] = exp(theta * w->tech[i]);
		}
		if (price != w->memo_price[i]) {
			w->memo_price[i] = price;
			w->memo_price_weight[i] = pow(price, 1.0 - sigma);
		}
		w->base_weight[i] = w->memo_tech_weight[i] * w->memo_price_weight[i];
		w->cap_step[i] = w->capacity_eff[i] / s->run.steps_per_year;  /* real, all sales (§5) */
	}
}

/* Copies the lists of sector k's segments with at most a quarter of
 * their cells exceptions one after another (exc_first, pexc_*): each
 * holds at most a quarter of the sector's firms, so the copies fit from a
 * quarter of the sector's place in sales[] (world.h). */
static void copy_exceptions(struct ts_sim *w, int k)
{
	int nfs = w->sector_firm_count[k];
	size_t next = w->sales_offset[k] / 4;
	for (int b = 0; b < w->sector_mseg_count[k]; b++) {
		int m = w->sector_mseg_first[k] + b, n = 4 * w->exc_count[m] <= nfs ? w->exc_count[m] : 0;
		size_t at = w->sales_offset[k] + (size_t)b * (size_t)nfs;
		w->exc_first[m] = next;
		for (int e = 0; e < n; e++) {
			w->pexc_pos[next] = w->exc_pos[at + (size_t)e];
			w->pexc_weight[next] = w->exc_weight[at + (size_t)e];
			w->pexc_receipt[next++] = w->exc_receipt[at + (size_t)e];
		}
	}
	TS_ASSERT(next <= (w->sales_offset[k] + (size_t)w->sector_mseg_count[k] * (size_t)nfs) / 4);
}

/* W = wedge_weight x the home multiplier of a domestic firm: a domestic
 * firm pays no wedge (no tariff or compliance cost falls on the actor's
 * own firms, docs/model.md §3), so one factor is always 1 and the product
 * is exact: a CES weight bw x W rounds as (bw x home) x wedge did. 0 where
 * the firm is barred from the segment. */
void ts_market_cell_weights(struct ts_sim *w, const unsigned char *changed)
{
	for (int m = 0; m < w->nmseg; m++) {
		const ts_mseg *ms = &w->msegs[m];
		if (changed && !changed[ms->country * w->ns + ms->sector])
			continue;
		ts_market_write_row(w, m);  /* its sales are the last step's: read before they are written again */
		int k = ms->sector, nfs = w->sector_firm_count[k], allowed = 0;
		const int *firms = w->sector_firms + w->sector_firm_first[k];
		size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		const unsigned char *bans = w->ban + (size_t)ms->country * (size_t)w->nf;
		double home = w->home_mult[ms->country];
		unsigned char tariffed = 0;
		int nms = w->sector_mseg_count[k];
		size_t by_firm = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]);  /* column of the segment */
		int n_exc = 0;
		for (int a = 0; a < nfs; a++) {
			int i = firms[a], barred = (bans[i] >> ms->segment) & 1u, domestic = w->home_country[i] == ms->country;
			double wedge = w->wedge_weight[at + (size_t)a];
			allowed += !barred;
			tariffed |= w->tariff_share[at + (size_t)a] != 0.0;
			double weight = barred ? 0.0 : domestic ? wedge * home : wedge;
			double receipt = weight * w->receipt_share[at + (size_t)a];
			w->cell_weight[at + (size_t)a] = weight;
			w->cell_receipt[at + (size_t)a] = receipt;
			w->cell_export[at + (size_t)a] = domestic ? 0.0 : w->receipt_share[at + (size_t)a];
			w->omega_by_firm[by_firm + (size_t)a * (size_t)nms] = ts_market_omega(w, m, at, a);
			w->receipt_by_firm[by_firm + (size_t)a * (size_t)nms] = w->receipt_share[at + (size_t)a];
			if (weight != 1.0 || receipt != 1.0) {
				w->exc_pos[at + (size_t)n_exc] = a;
				w->exc_weight[at + (size_t)n_exc] = weight - 1.0;
				w->exc_receipt[at + (size_t)n_exc++] = receipt - 1.0;
			}
		}
		w->exc_count[m] = n_exc;
		w->mseg_firms_allowed[m] = allowed;
		w->mseg_barred[m] = (unsigned char)(allowed < nfs);
		w->mseg_tariffed[m] = tariffed;
		w->ties_settled[m] = 0;  /* ties to cut or to regrow: update_relations() settles it again */
		w->fexc_built[k] = 0;  /* the clearing's lists by firm follow (clearing.c) */
	}
	for (int k = 0; k < w->ns; k++) {
		int rebuilt = !changed;
		for (int c = 0; c < w->nc && !rebuilt; c++)
			rebuilt = changed[c * w->ns + k];
		if (rebuilt)
			copy_exceptions(w, k);
	}
}

/* sum + sum_e delta_e x unit[pos_e] over n corrections, in order (delta
 * NULL: each is `same`); the plain sum `dense` instead where the
 * corrections take away more than half of `sum` (their rounding would
 * then show). */
static double corrected_sum(double sum, const int *pos, const double *delta, double same, int n, const double *unit,
                            double (*dense)(const struct ts_sim *, int, const double *), const struct ts_sim *w, int m)
{
	double total = sum;
	for (int e = 0; e < n; e++)
		total += (delta ? delta[e] : same) * unit[pos[e]];
	return total >= 0.5 * sum ? total : dense(w, m, unit);
}

/* Segment m's sum over its cells, cell by cell, in the order of sums.h. */
static double dense_total(const struct ts_sim *w, int m, const double *unit)
{
	const ts_mseg *ms = &w->msegs[m];
	int k = ms->sector, nfs = w->sector_firm_count[k];
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
	if (w->ties_settled[m])
		return ts_sum_xy(w->cell_weight + at, unit, nfs);
	return ts_sum_xyz(w->cell_weight + at, w->relation + at, unit, nfs);
}

/* A settled segment with few exceptions: the sum over all the sector's
 * firms, corrected for its exceptions (docs/model.md §5, "Implementation");
 * others cell by cell. */
double ts_market_row_sum(const struct ts_sim *w, int m, const double *unit, double unit_sum)
{
	const ts_mseg *ms = &w->msegs[m];
	int k = ms->sector, nfs = w->sector_firm_count[k];
	if (!ts_market_row_sparse(w, m, nfs))
		return dense_total(w, m, unit);
	ts_exceptions x = ts_market_exceptions(w, m);
	return corrected_sum(unit_sum, x.pos, x.weight, 0.0, x.n, unit, dense_total, w, m);
}

double ts_market_row_total(const struct ts_sim *w, int m, const double *unit)
{
	int nfs = w->sector_firm_count[w->msegs[m].sector];
	return ts_market_row_sum(w, m, unit, ts_market_row_sparse(w, m, nfs) ? ts_sum(unit, nfs) : 0.0);
}

/* Positions in sector k of the firms rationed by their inputs that can
 * sell (the price index counts them at their virtual factor_weight, §5),
 * into clear_list (scratch once the clearing is done); returns how many. */
static int rationed_sellers(struct ts_sim *w, int k)
{
	int n = 0, f0 = w->sector_firm_first[k];
	for (int a = 0; a < w->sector_firm_count[k]; a++) {
		int i = w->sector_firms[f0 + a];
		if (ts_market_rationed(w, i) && w->output_cap[i] > 0.0 && w->cap_step[i] > 0.0)
			w->clear_list[n++] = a;
	}
	return n;
}

/* Sum of the CES weights in segment m of the firms able to sell there,
 * with the measures and ties: those the clearing solved for (clear_unit;
 * `solved`, their sum, when known, else NAN), then the n_rationed of
 * rationed_sellers() in order. */
static double index_sum(const struct ts_sim *w, int m, double solved, int n_rationed)
{
	const ts_mseg *ms = &w->msegs[m];
	int k = ms->sector, nfs = w->sector_firm_count[k], f0 = w->sector_firm_first[k];
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
	double sum = isnan(solved) ? ts_market_row_total(w, m, w->clear_unit + f0) : solved;
	for (int r = 0; r < n_rationed; r++) {
		int a = w->clear_list[r], i = w->sector_firms[f0 + a];
		sum += ts_market_omega(w, m, at, a) * (w->base_weight[i] * w->factor_weight[i]);
	}
	return sum;
}

/* The open market's sum of segment m cell by cell: its weights in
 * index_base (open_index_sum()) x unit, in the order of sums.h. */
static double open_dense(const struct ts_sim *w, int m, const double *unit)
{
	int k = w->msegs[m].sector, f0 = w->sector_firm_first[k];
	return ts_sum_xy(w->index_base + f0, unit, w->sector_firm_count[k]);
}

/* CES price index of segment m over every firm of its sector, no wedge,
 * no ties: P0 (world.c), summed as the step's indexes are, so that an
 * unchanged market has P / P0 = 1 exactly. */
static double open_index_sum(struct ts_sim *w, int m)
{
	const ts_mseg *ms = &w->msegs[m];
	int k = ms->sector, nfs = w->sector_firm_count[k], f0 = w->sector_firm_first[k];
	double *weight = w->index_base + f0, *unit = w->index_factor + f0, home = w->home_mult[ms->country];
	for (int a = 0; a < nfs; a++) {
		int i = w->sector_firms[f0 + a];
		weight[a] = w->home_country[i] == ms->country ? home : 1.0;
		unit[a] = w->base_weight[i] * w->factor_weight[i];
	}
	/* Its exceptions are the domestic firms, if home bias moves their
	 * weight: summed as a segment of the step with the same cells is
	 * (ts_market_row_sum()). */
	int first = w->home_first[k * w->nc + ms->country], n_home = home != 1.0 ? w->home_first[k * w->nc + ms->country + 1] - first : 0;
	if (4 * n_home > nfs)
		return open_dense(w, m, unit);
	return corrected_sum(ts_sum(unit, nfs), w->home_pos + first, NULL, home - 1.0, n_home, unit, open_dense, w, m);
}

double ts_market_price_index(struct ts_sim *w, int m, int open_market)
{
	TS_ASSERT(m >= 0 && m < w->nmseg);
	double sum = open_market ? open_index_sum(w, m) : index_sum(w, m, NAN, rationed_sellers(w, w->msegs[m].sector));
	if (sum <= 0.0)
		return INFINITY;
	return pow(sum, 1.0 / (1.0 - w->scn->sectors[w->msegs[m].sector].elasticity));
}

/* A segment's row of the split: row[a] = per_weight x omega_a x unit[a]
 * for the firms not fixed (omega = weight x ties, ties NULL where all are
 * 1; fixed NULL: none is, or none but firms with unit 0), and, with
 * earn, what each earns, row x receipt, added to earn[a]. */
/* Entry a of a segment's row of the split: per_weight x omega_a x
 * unit[a], omega = weight x ties (ties NULL where all are 1). */
static inline double split_share(double per_weight, const double *weight, const double *ties, const double *unit, int a)
{
	return per_weight * ((ties ? weight[a] * ties[a] : weight[a]) * unit[a]);
}

static void split_row(double *restrict row, double *restrict earn, const double *restrict weight,
                      const double *restrict ties, const double *restrict receipt, const double *restrict unit,
                      const unsigned char *restrict fixed, double per_weight, int nfs)
{
	if (!fixed && !earn && !ties) {  /* every row entry written: a firm that cannot sell has unit 0 */
		for (int a = 0; a < nfs; a++)
			row[a] = split_share(per_weight, weight, NULL, unit, a);
		return;
	}
	if (!earn && !ties) {  /* the same, the fixed entries written back as they were: a loop that vectorises */
		for (int a = 0; a < nfs; a++) {
			double share = split_share(per_weight, weight, NULL, unit, a);
			row[a] = fixed[a] ? row[a] : share;
		}
		return;
	}
	for (int a = 0; a < nfs; a++) {
		if (fixed && fixed[a])
			continue;
		row[a] = split_share(per_weight, weight, ties, unit, a);
		if (earn)
			earn[a] += row[a] * receipt[a];  /* what the firm earns */
	}
}

/* A factored segment's sales written into row[] (at: its start in
 * sales[]), each entry as ts_market_sale() gives it. */
static void factored_row(const struct ts_sim *w, int m, size_t at, double *restrict row)
{
	int k = w->msegs[m].sector, nfs = w->sector_firm_count[k], f0 = w->sector_firm_first[k];
	const double *restrict weight = w->cell_weight + at, *restrict unit = w->sales_unit + f0;
	split_row(row, NULL, weight, NULL, NULL, unit, NULL, w->sales_pw[m], nfs);
	if (ts_sales_kind(w, m) != TS_SALES_RATIONED)
		return;
	const double *unit1 = w->sales_unit1 + f0, *ration = w->sales_ration + f0;
	for (int r = 0; r < w->ration_count[k]; r++) {
		int a = w->ration_pos[f0 + r];
		row[a] = split_share(w->sales_pw1[m], weight, NULL, unit1, a) * ration[a];
	}
}

const double *ts_market_row(const struct ts_sim *w, int m, size_t at)
{
	if (ts_sales_kind(w, m) == TS_SALES_WRITTEN)
		return w->sales + at;
	factored_row(w, m, at, w->row_scratch);
	return w->row_scratch;
}

void ts_market_write_row(struct ts_sim *w, int m)
{
	if (ts_sales_kind(w, m) == TS_SALES_WRITTEN)
		return;
	int k = w->msegs[m].sector;
	size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)w->sector_firm_count[k];
	factored_row(w, m, at, w->sales + at);
	w->sales_factored[m] = TS_SALES_WRITTEN;
}

/* The factored split of a settled segment (docs/model.md §5,
 * "Implementation"): no cell written, the row's spending per unit of
 * weight kept (its unit weights are the sector's sales_unit), and with
 * earn what each firm not fixed earns added, each entry as split_row()
 * computes it. With `fixed` (firms rationed by their inputs, whose sales
 * keep_rationed() kept as factors) the segment is TS_SALES_RATIONED. */
static void split_factored(struct ts_sim *w, int m, double *restrict earn, const double *restrict weight,
                           const double *restrict receipt, const double *restrict unit,
                           const unsigned char *restrict fixed, double per_weight, int nfs)
{
	w->sales_factored[m] = fixed ? TS_SALES_RATIONED : TS_SALES_FACTORED;
	w->sales_pw[m] = per_weight;
	for (int a = 0; a < nfs && earn; a++)
		if (!(fixed && fixed[a]))
			earn[a] += split_share(per_weight, weight, NULL, unit, a) * receipt[a];
}

/* The sales of firm a, fixed in the safety pass, in segment m (at: its
 * start in sales[]) before the segment is split again: as written, or, in
 * a factored segment (the split's first round), those of a firm rationed
 * by its inputs this step, and 0 for one that cannot sell (fix_unable();
 * the segment's factors may still be last step's). */
static double fixed_sale(const struct ts_sim *w, int m, size_t at, int a, int any_rationed)
{
	if (ts_sales_kind(w, m) == TS_SALES_WRITTEN)
		return w->sales[at + (size_t)a];
	int f = w->sector_firm_first[w->msegs[m].sector] + a;
	return any_rationed && w->sales_ration[f] >= 0.0 ? ts_market_sale(w, m, at, a) : 0.0;
}

/* Writes sector k's factored segments out (fix_at_capacity() then
 * scales their entries). */
static void write_sector(struct ts_sim *w, int k)
{
	for (int b = 0; b < w->sector_mseg_count[k]; b++)
		ts_market_write_row(w, w->sector_mseg_first[k] + b);
}

/* One round of the safety pass of sector k (its firms `firms`, block
 * `block` of sales[]): each segment's spending left by the firms fixed at
 * capacity (constrained[], by position in sector_firms) is split among
 * the other able firms in proportion to their CES weights at the
 * clearing's prices (ts_market_omega() x clear_unit); desired[] gets what
 * each firm would earn. In the first round the firms fixed are those the
 * clearing left out, so when its last full pass is at the current prices
 * its sums serve: each segment's weight and spending, and what each firm
 * earns (clear_unit x clear_earn, the same sum over the segments); then,
 * with `only`, only the n_only entries of each row at those positions are
 * written (the others' sales would be written again before they are read:
 * allocate_sector()). */
static void split_round(struct ts_sim *w, int k, const int *firms, double *block, int round, int any_rationed,
                        const int *only, int n_only, int may_factor)
{
	int nfs = w->sector_firm_count[k], m0 = w->sector_mseg_first[k], f0 = w->sector_firm_first[k];
	const unsigned char *fixed = w->constrained + f0;
	double *earn = w->clear_earn + f0, *unit = w->sales_unit + f0;  /* the weights of the firms not fixed */
	int known = round == 0 && w->clear_fresh;
	may_factor = may_factor && round == 0;
	for (int a = 0; a < nfs; a++) {
		unit[a] = fixed[a] ? 0.0 : w->clear_unit[f0 + a];
		if (!known)
			earn[a] = 0.0;
	}
	for (int b = 0; b < w->sector_mseg_count[k]; b++) {
		int m = m0 + b;
		size_t at = w->sales_offset[k] + (size_t)b * (size_t)nfs;
		double *row = block + (size_t)b * (size_t)nfs;
		double residual = w->clear_spend[m], total_weight = w->clear_total[m];
		if (!known) {
			residual = w->demand[m];
			for (int a = 0; a < nfs; a++)
				residual -= fixed[a] ? fixed_sale(w, m, at, a, any_rationed) : 0.0;
			total_weight = ts_market_row_total(w, m, unit);
		}
		w->unmet[m] = total_weight > 0.0 ? 0.0 : ts_fmax(0.0, residual);
		double per_weight = total_weight > 0.0 ? residual / total_weight : 0.0;
		const double *weight = w->cell_weight + at, *ties = w->ties_settled[m] ? NULL : w->relation + at;
		/* Factored where settled: in a sector with firms rationed, where
		 * their sales are factored too (keep_rationed()). */
		if (may_factor && !ties && (!any_rationed || ts_sales_kind(w, m) == TS_SALES_RATIONED)) {
			split_factored(w, m, known ? NULL : earn, weight, w->receipt_share + at, unit, any_rationed ? fixed : NULL,
			               per_weight, nfs);
			continue;
		}
		TS_ASSERT(ts_sales_kind(w, m) == TS_SALES_WRITTEN || !any_rationed);  /* its rationed entries are written */
		w->sales_factored[m] = TS_SALES_WRITTEN;  /* the entries not written now are written before they are read */
		for (int j = 0; j < n_only && only; j++)
			row[only[j]] = split_share(per_weight, weight, ties, unit, only[j]);
		if (!only)
			split_row(row, known ? NULL : earn, weight, ties, w->receipt_share + at, unit,
			          round == 0 && !any_rationed ? NULL : fixed, per_weight, nfs);
	}
	for (int a = 0; a < nfs; a++)
		w->desired[firms[a]] = known ? unit[a] * earn[a] : earn[a];
}

/* What firm i may earn in final markets at its price factor: its real
 * capacity, at most what its inputs allow, at that price (§5). */
static double revenue_limit(const struct ts_sim *w, int i)
{
	return ts_fmax(0.0, ts_market_final_room(w, i)) * w->price_factor[i];
}

/* Whether a firm of the round, not fixed yet, would earn more than its
 * limit (fix_at_capacity() scales it). */
static int any_over_capacity(const struct ts_sim *w, int k, const int *firms)
{
	const unsigned char *fixed = w->constrained + w->sector_firm_first[k];
	for (int a = 0; a < w->sector_firm_count[k]; a++)
		if (!fixed[a] && w->desired[firms[a]] > revenue_limit(w, firms[a]))
			return 1;
	return 0;
}

/* Scales every firm of the round that would earn more than its limit
 * down to it, across all segments, and fixes it. Returns whether any was. */
static int fix_at_capacity(struct ts_sim *w, int k, const int *firms, double *block)
{
	int nfs = w->sector_firm_count[k], nms = w->sector_mseg_count[k], newly_fixed = 0;
	unsigned char *fixed = w->constrained + w->sector_firm_first[k];
	for (int a = 0; a < nfs; a++) {
		int i = firms[a];
		double limit = revenue_limit(w, i);
		if (fixed[a] || w->desired[i] <= limit)
			continue;
		double scale = limit / w->desired[i];
		if (!newly_fixed)
			write_sector(w, k);
		for (int b = 0; b < nms; b++)
			block[(size_t)b * (size_t)nfs + a] *= scale;
		fixed[a] = 1;
		newly_fixed = 1;
	}
	return newly_fixed;
}

/* Sets up sector k's block (sales[]) before it is cleared: a firm rationed
 * by its inputs (§4, ts_market_rationed()) keeps the sales of the sector's
 * first clearing, scaled to the share its inputs allow, and is fixed
 * (constrained[], by position): in a factored segment as the factors of
 * that clearing (sales_pw1, sales_unit1) and the share (sales_ration),
 * the segment becoming TS_SALES_RATIONED; in a written one in place. The
 * other entries are written or factored by the split (fix_unable() zeroes
 * those of firms it never writes). Returns whether any firm is rationed. */
static int keep_rationed(struct ts_sim *w, int k, const int *firms, double *block)
{
	int nfs = w->sector_firm_count[k], nms = w->sector_mseg_count[k], f0 = w->sector_firm_first[k], any = 0;
	unsigned char *fixed = w->constrained + f0;
	for (int a = 0; a < nfs; a++)
		any |= fixed[a] = (unsigned char)ts_market_rationed(w, firms[a]);
	if (!any)
		return 0;
	w->ration_count[k] = 0;
	for (int a = 0; a < nfs; a++) {  /* the factored segments' rationed sales: the first clearing's x f */
		w->sales_unit1[f0 + a] = w->sales_unit[f0 + a];
		w->sales_ration[f0 + a] = fixed[a] ? w->supply_factor[firms[a]] : -1.0;
		if (fixed[a])
			w->ration_pos[f0 + w->ration_count[k]++] = a;
	}
	for (int b = 0; b < nms; b++) {
		int m = w->sector_mseg_first[k] + b;
		if (ts_sales_kind(w, m) == TS_SALES_FACTORED) {
			w->sales_factored[m] = TS_SALES_RATIONED;
			w->sales_pw1[m] = w->sales_pw[m];
			continue;
		}
		for (int r = 0; r < w->ration_count[k]; r++) {  /* written: scaled in place */
			int a = w->ration_pos[f0 + r];
			block[(size_t)b * (size_t)nfs + a] *= w->sales_ration[f0 + a];
		}
	}
	return 1;
}

/* Fixes the firms of sector k that can earn nothing in final markets at
 * 0 in every segment (a rationed firm keeps its sales). */
static void fix_unable(struct ts_sim *w, int k, const int *firms, double *block)
{
	int nfs = w->sector_firm_count[k], nms = w->sector_mseg_count[k];
	unsigned char *fixed = w->constrained + w->sector_firm_first[k];
	for (int a = 0; a < nfs; a++) {
		if (fixed[a] || revenue_limit(w, firms[a]) > 0.0)
			continue;
		fixed[a] = 1;
		for (int b = 0; b < nms; b++)
			block[(size_t)b * (size_t)nfs + a] = 0.0;
	}
}

/* Clears sector k by price (clearing.c), then splits each segment's
 * spending by the shares found: the safety pass. At a solution no firm
 * exceeds its capacity and one round suffices; should the solver stop
 * short of one, a firm whose sales would exceed its real capacity is scaled
 * down to it and fixed, and the spending it cannot serve moves to the
 * others by their shares, until none exceeds (at most n + 1 rounds); what
 * no able firm can take is unmet. With n_short firms short of inputs
 * (short_positions(): the sector is cleared again with them rationed,
 * and the split then writes every other entry), a first round that fixes
 * no firm writes only their sales in a segment it does not factor, which
 * the rationing keeps. */
static void allocate_sector(struct ts_sim *w, int k, int n_short)
{
	int nfs = w->sector_firm_count[k], nms = w->sector_mseg_count[k];
	const int *firms = w->sector_firms + w->sector_firm_first[k];
	double *block = w->sales + w->sales_offset[k];
	const double *receipts = w->receipt_share + w->sales_offset[k];

	int any_fixed = keep_rationed(w, k, firms, block), any_rationed = any_fixed;
	ts_clearing_solve(w, k);
	fix_unable(w, k, firms, block);
	for (int round = 0; round <= nfs; round++) {
		int partial = n_short > 0 && round == 0 && w->clear_fresh && !any_rationed;
		split_round(w, k, firms, block, round, any_rationed, partial ? w->short_pos : NULL, n_short, 1);
		if (partial && any_over_capacity(w, k, firms))  /* the rows are scaled: written whole */
			split_round(w, k, firms, block, round, any_rationed, NULL, 0, 0);
		if (!fix_at_capacity(w, k, firms, block))
			break;
		any_fixed = 1;
	}
	if (!any_fixed) {  /* the usual case: what each earns is what the split summed, in the same order */
		for (int a = 0; a < nfs; a++)
			w->final_sales[firms[a]] = w->desired[firms[a]];
		return;
	}
	double *earned = w->clear_earn + w->sector_firm_first[k];  /* buyers' spending net of wedges, */
	for (int a = 0; a < nfs; a++)
		earned[a] = 0.0;
	for (int b = 0; b < nms; b++) {  /* summed over the segments in order, row by row */
		const double *row = ts_market_row(w, w->sector_mseg_first[k] + b, w->sales_offset[k] + (size_t)b * (size_t)nfs);
		for (int a = 0; a < nfs; a++)
			earned[a] += row[a] * receipts[(size_t)b * (size_t)nfs + a];
	}
	for (int a = 0; a < nfs; a++)
		w->final_sales[firms[a]] = earned[a];
}

/* Buyers' ties to each firm in each segment (§5): cut to 0 while it is
 * barred from the segment, they grow back toward 1 by the share of the gap
 * a half-life of model.share_half_life years closes in a step (timing.h),
 * so a firm whose ban is lifted regains its customers over time; 1 from
 * the open market before step 0. They multiply the firm's CES weight. A
 * tie the growth no longer moves is 1: near 1, the growth of a step is
 * below half the spacing of doubles and rounds away, and the segment
 * would never count as settled again. */
static void update_relations(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double regain = w->shares_set ? ts_step_share_of_half_life(s->model.share_half_life, 1.0 / s->run.steps_per_year) : 1.0;
	for (int m = 0; m < w->nmseg; m++) {
		if (w->ties_settled[m])  /* every tie 1 but a barred firm's, 0: 1 + regain x 0 leaves them */
			continue;
		const ts_mseg *ms = &w->msegs[m];
		int k = ms->sector, nfs = w->sector_firm_count[k];
		const int *firms = w->sector_firms + w->sector_firm_first[k];
		size_t at = w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]) * (size_t)nfs;
		double *ties = w->relation + at, *omega = w->omega_by_firm + w->sales_offset[k] + (size_t)(m - w->sector_mseg_first[k]);
		const unsigned char *bans = w->ban + (size_t)ms->country * (size_t)w->nf;
		int settled = 1, nms = w->sector_mseg_count[k];
		for (int a = 0; a < nfs; a++) {
			double grown = ties[a] + regain * (1.0 - ties[a]);  /* == ties[a]: rounding stops it short of 1 */
			int barred = (bans[firms[a]] >> ms->segment) & 1u;
			double tie = barred ? 0.0 : grown == ties[a] ? 1.0 : grown;
			settled &= barred || tie == 1.0;  /* a barred firm weighs 0 whatever its tie */
			if (tie == ties[a])  /* omega is cell_weight x ties wherever either is written: it stands */
				continue;
			ties[a] = tie;
			omega[(size_t)a * (size_t)nms] = w->cell_weight[at + (size_t)a] * tie;  /* ts_market_omega() */
		}
		if (settled)  /* the segment's cells now sum sparsely: the clearing's lists follow */
			w->fexc_built[k] = 0;
		w->ties_settled[m] = (unsigned char)settled;
	}
	w->shares_set = 1;
}

/* Positions in sector k of its firms short of inputs (supply factor
 * below 1, docs/model.md §4, §5), into short_pos; returns how many. */
static int short_positions(struct ts_sim *w, int k)
{
	const int *firms = w->sector_firms + w->sector_firm_first[k];
	int n = 0;
	for (int a = 0; a < w->sector_firm_count[k]; a++)
		if (w->supply_factor[firms[a]] < 1.0)
			w->short_pos[n++] = a;
	return n;
}

/* A firm short of inputs (supply factor f < 1; the n_short of
 * short_positions()) is rationed: it makes f of what it would have sold
 * in each segment, in real terms, at the price it would have sold at, and
 * the sector clears again with its sales fixed, the others sharing what
 * it leaves. */
static void ration_short_firms(struct ts_sim *w, int k, int n_short)
{
	const int *firms = w->sector_firms + w->sector_firm_first[k];
	for (int j = 0; j < n_short; j++) {
		int i = firms[w->short_pos[j]];
		w->output_cap[i] = w->supply_factor[i] * w->final_sales[i] / w->price_factor[i];
	}
}

/* The weight in the price index (§5) of a firm rationed to f of its sales
 * at price factor phi: that of its virtual price phi f^(-1/sigma), at
 * which its buyers would want no more than they get (Neary and Roberts
 * 1980, holding the index fixed), so that the shortage raises the index. */
static void virtual_weights(struct ts_sim *w, int k)
{
	double sigma = w->scn->sectors[k].elasticity;
	for (int n = w->sector_firm_first[k]; n < w->sector_firm_first[k] + w->sector_firm_count[k]; n++) {
		int i = w->sector_firms[n];
		if (ts_market_rationed(w, i))  /* f = 0: weight 0, and not able to sell (§5) */
			w->factor_weight[i] = pow(w->price_factor[i], 1.0 - sigma) *
			                      pow(w->supply_factor[i], (sigma - 1.0) / sigma);
	}
}

/* Served demand and P / P0 of sector k's segments, just cleared: the
 * clearing's last sums of weights (at the prices found), with the firms
 * rationed by their inputs added (index_sum()). */
static void price_ratios(struct ts_sim *w, int k)
{
	double exponent = 1.0 / (1.0 - w->scn->sectors[k].elasticity);
	int n_rationed = rationed_sellers(w, k);
	for (int b = 0; b < w->sector_mseg_count[k]; b++) {
		int m = w->sector_mseg_first[k] + b;
		double sum = index_sum(w, m, w->clear_fresh ? w->clear_total[m] : NAN, n_rationed);
		w->served[m] = w->demand[m] - w->unmet[m];
		/* No variety able to sell: the CES index is infinite, the good
		 * unavailable; the segment has no price (§5), NaN. */
		double index = sum > 0.0 ? pow(sum, exponent) : INFINITY;
		w->price_ratio[m] = isfinite(index) ? index / w->msegs[m].p0 : NAN;
	}
}

void ts_market_allocate(struct ts_sim *w)
{
	for (int m = 0; m < w->nmseg; m++)
		w->demand[m] = ts_mseg_demand(w, m, w->step);
	ts_tension_keep_shares(w);  /* before the sales are written again */
	for (int i = 0; i < w->nf; i++)
		w->output_cap[i] = INFINITY;
	update_relations(w);
	for (int k = 0; k < w->ns; k++) {
		int n_short = short_positions(w, k);
		allocate_sector(w, k, n_short);
		if (n_short > 0) {
			ration_short_firms(w, k, n_short);
			allocate_sector(w, k, 0);
			virtual_weights(w, k);
		}
		price_ratios(w, k);  /* while the clearing's sums are the sector's */
	}
}
