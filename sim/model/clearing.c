/* Markets that clear by price (docs/model.md §5): each firm has a short-run
 * supply curve, a price factor phi >= 1 over its base price that is flat
 * up to a knee of capacity use and rises convexly to infinity at full
 * capacity,
 *     phi(u) = 1 + kappa ((u - u0)+ / (1 - u))^2
 * (convex short-run supply: Boehm and Pandalai-Nayar 2022, AER 112(12)).
 * With z = (u - u0) / (1 - u), the firm's "tightness", phi = 1 + kappa z^2
 * and u = (u0 + z) / (1 + z): both smooth in z, so the solver works in z.
 *
 * A sector's segments are solved jointly, since a firm's capacity is shared
 * by all of them. Real demand for firm i,
 *     d_i = sum_g E_g s_ig r_ig / phi_i,
 * (s_ig its CES share of segment spending at the prices phi, with buyers'
 * ties to it, market.c; r_ig = 1 / wedge, the share of spending it earns)
 * must equal its supply to final markets,
 *     K_i u(z_i)   where z_i > 0,
 * and not exceed K_i u0 where z_i = 0, K_i its real capacity. A firm short
 * of inputs (§4) is not solved for: rationed at its price, its sales are
 * fixed (market.c) and the others share the rest. Intermediate orders do
 * not enter: they are served at
 * base price with the real capacity final sales leave, their country's
 * generic producers making the rest (§6), so the price factor is set by
 * final markets alone and a supplier's revenue on orders never grows with
 * it. Newton's method on F_i = log d_i - log supply_i over the
 * firms above the knee (the others sit at phi = 1), jointly (dense, partial
 * pivoting) for up to clear_dense firms and one by one beyond; warm-started
 * from the last step's phi; each step moves no log phi by more than
 * TS_CLEAR_MAX_MOVE. An iteration passes over the active firms' cells
 * only, the inactive firms' weight in each segment held at its sum, and
 * keeps the last cross terms unless a price moved by more than
 * TS_CLEAR_CHORD_MOVE; a full pass over the sector's cells follows when
 * a firm falls to its knee and confirms a solution, checking every firm
 * off the set against its knee; when firms enter the set, a pass sums the
 * rows and the active firms' terms only (the others' demand waits for the
 * confirming pass). Newton because the common price level of firms at
 * capacity is a slow mode for a firm-by-firm iteration (each round closes
 * only 1 - 1/elasticity of the gap), and because the Jacobian is cheap: the
 * active firms are few. Gross substitutes make the matrix an M-matrix up to
 * column scaling, so it is never singular for z > 0. */
#include <math.h>
#include "util/assert.h"
#include "model/sums.h"
#include "model/world.h"

#define TS_CLEAR_TOLERANCE 1e-10  /* |log excess demand| at a solution */
#define TS_CLEAR_MAX_ITER 60
#define TS_CLEAR_MAX_MOVE 0.5     /* largest change of log phi in one Newton step */
#define TS_CLEAR_CHORD_MOVE 0.01  /* steps of log phi up to this keep the last cross terms */

double ts_clearing_factor(double u, double knee, double steepness)
{
	if (u <= knee)
		return 1.0;
	if (u >= 1.0)
		return INFINITY;
	double z = (u - knee) / (1.0 - u);
	return 1.0 + steepness * z * z;
}

double ts_clearing_use(double phi, double knee, double steepness)
{
	double z = phi > 1.0 ? sqrt((phi - 1.0) / steepness) : 0.0;
	return (knee + z) / (1.0 + z);
}

/* The settings of a sector's clearing. */
typedef struct clear_ctx {
	int k, nfs, nms, m0, f0;
	const int *firms;
	double sigma, knee, steepness;
} clear_ctx;

static double factor_at(const clear_ctx *cx, double z)
{
	return 1.0 + cx->steepness * z * z;
}

/* Real supply to final markets at tightness z: the curve's output K u(z),
 * u(z) = (u0 + z) / (1 + z). Rises with z. Intermediate orders take only
 * what final sales leave (§6). */
static double supply_at(const struct ts_sim *w, const clear_ctx *cx, int i, double z)
{
	return w->cap_step[i] * (cx->knee + z) / (1.0 + z);
}

/* d log phi / dz = 2 kappa z / phi. */
static double phi_slope(const clear_ctx *cx, double z)
{
	return 2.0 * cx->steepness * z / factor_at(cx, z);
}

/* log phi of firm i, kept with the phi it is of (memo_log_phi). */
static double log_factor(struct ts_sim *w, int i, double phi)
{
	if (phi != w->memo_log_phi_at[i]) {
		w->memo_log_phi_at[i] = phi;
		w->memo_log_phi[i] = log(phi);
	}
	return w->memo_log_phi[i];
}

/* max(0, x), inline (x is never -0: a difference of sums of products
 * of non-negative numbers). */
static double nonneg(double x)
{
	return x > 0.0 ? x : 0.0;
}

/* d log supply / dz = 1 / (u0 + z) - 1 / (1 + z). */
static double supply_slope(const clear_ctx *cx, double z)
{
	return (1.0 - cx->knee) / ((1.0 + z) * (cx->knee + z));
}

/* The parts of sector k's demand that do not move with the price factors,
 * once per solve: clear_base[] gets each firm's base weight, 0 where it
 * cannot sell or is rationed by its inputs (a firm's CES weight in a
 * segment is then omega x base x phi^(1-sigma), omega its cell's weight
 * with the measures, home bias and ties: ts_market_omega()), and
 * clear_spend[] the spending the unrationed firms share (a rationed firm
 * sells its fixed sales, market.c, and the others share the rest).
 * clear_list holds the rationed firms' positions meanwhile. */
static void clear_setup(struct ts_sim *w, const clear_ctx *cx)
{
	double *base = w->clear_base + cx->f0;
	int n_rationed = 0;
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		if (ts_market_rationed(w, i))
			w->clear_list[n_rationed++] = a;
		base[a] = !ts_market_rationed(w, i) && w->cap_step[i] > 0.0 && w->output_cap[i] > 0.0 ? w->base_weight[i] : 0.0;
	}
	for (int b = 0; b < cx->nms; b++) {
		const double *fixed = w->sales + w->sales_offset[cx->k] + (size_t)b * (size_t)cx->nfs;
		double spend = w->demand[cx->m0 + b];
		for (int r = 0; r < n_rationed; r++)
			spend -= fixed[w->clear_list[r]];  /* the sales of firms rationed by their inputs (market.c) */
		w->clear_spend[cx->m0 + b] = spend;
	}
}

/* Active row q's cells of `by_firm` (omega_by_firm, receipt_by_firm):
 * its firm's segments in order. */
static const double *firm_cells(const struct ts_sim *w, const clear_ctx *cx, const double *by_firm, int q)
{
	return by_firm + w->sales_offset[cx->k] + (size_t)w->clear_list[q] * (size_t)cx->nms;
}

/* Each segment's CES weight of the n active firms, sum_q omega_qg x
 * unit_q, into clear_active[]: firm by firm, every segment's sum in the
 * firms' order, so that the loop over the segments vectorises. */
static void active_weights(struct ts_sim *w, const clear_ctx *cx, int n)
{
	double *restrict act = w->clear_active + cx->m0;
	for (int b = 0; b < cx->nms; b++)
		act[b] = 0.0;
	for (int q = 0; q < n; q++) {
		const double *restrict omega = firm_cells(w, cx, w->omega_by_firm, q);
		double unit = w->clear_act_unit[q];
		for (int b = 0; b < cx->nms; b++)
			act[b] += omega[b] * unit;
	}
}

/* Segment b's scale factors at its sum of weights `total`: spending per
 * unit of weight and 1 / total, both 0 where no variety can sell (the
 * segment then adds nothing to any firm's terms: unmet, market.c). */
static void set_scale(struct ts_sim *w, const clear_ctx *cx, int b, double total)
{
	int positive = total > 0.0;
	w->clear_per_weight[cx->m0 + b] = positive ? w->clear_spend[cx->m0 + b] / total : 0.0;
	w->clear_inv_total[cx->m0 + b] = positive ? 1.0 / total : 0.0;
}

/* The Newton terms of the n active firms at the segments' scales
 * (set_scale), by row q: real demand d_q = sum_g c_qg, c_qg = E_g r_qg
 * s_qg / phi_q, into clear_d; D_q = sum_g c_qg s_qg into clear_cs, each
 * summed over the segments in their order; and for the first n_dense the
 * factors of the dense block, c_qg and s_qg, into row q of clear_cross_c
 * and clear_cross_s (cross_terms() sums them). */
static void active_terms(struct ts_sim *w, const clear_ctx *cx, int n, int n_dense)
{
	const double *restrict per_weight = w->clear_per_weight + cx->m0, *restrict inv_total = w->clear_inv_total + cx->m0;
	int nms = cx->nms;
	for (int q = 0; q < n; q++) {
		const double *restrict omega = firm_cells(w, cx, w->omega_by_firm, q);
		const double *restrict receipt = firm_cells(w, cx, w->receipt_by_firm, q);
		double *restrict cross_c = w->clear_cross_c + (size_t)q * (size_t)nms;
		double *restrict share = w->clear_cross_s + (size_t)q * (size_t)nms;
		double unit = w->clear_act_unit[q], inv_phi = w->clear_inv_phi[q], d = 0.0, cs = 0.0;
		if (q < n_dense) {
			for (int b = 0; b < nms; b++) {
				double weight = omega[b] * unit, s = weight * inv_total[b];
				double c = per_weight[b] * weight * receipt[b] * inv_phi;
				d += c;
				cs += c * s;
				share[b] = s;
				cross_c[b] = c > 0.0 ? c : 0.0;  /* a segment without demand gives no cross terms */
			}
		} else {  /* beyond the dense block */
			for (int b = 0; b < nms; b++) {
				double weight = omega[b] * unit;
				double c = per_weight[b] * weight * receipt[b] * inv_phi;
				d += c;
				cs += c * (weight * inv_total[b]);
			}
		}
		w->clear_d[q] = d;
		w->clear_cs[q] = cs;
	}
}

/* The dense block Q_qr = sum_g c_qg s_rg over the sector's nms segments
 * (active_terms()), into clear_matrix: each entry summed over the
 * segments in their order, in tiles of 2 rows x 4 columns held in
 * registers. */
static void cross_terms(struct ts_sim *w, int n_dense, int nms)
{
	const double *c = w->clear_cross_c, *s = w->clear_cross_s;
	for (int q = 0; q < n_dense; q += 2) {
		int q1 = q + 1 < n_dense ? q + 1 : q;  /* an odd last row is computed twice */
		const double *c0 = c + (size_t)q * (size_t)nms, *c1 = c + (size_t)q1 * (size_t)nms;
		for (int r = 0; r < n_dense; r += 4) {
			const double *s0 = s + (size_t)r * (size_t)nms;  /* columns past n_dense repeat the last */
			const double *s1 = s + (size_t)(r + 1 < n_dense ? r + 1 : n_dense - 1) * (size_t)nms;
			const double *s2 = s + (size_t)(r + 2 < n_dense ? r + 2 : n_dense - 1) * (size_t)nms;
			const double *s3 = s + (size_t)(r + 3 < n_dense ? r + 3 : n_dense - 1) * (size_t)nms;
			double t00 = 0.0, t01 = 0.0, t02 = 0.0, t03 = 0.0, t10 = 0.0, t11 = 0.0, t12 = 0.0, t13 = 0.0;
			for (int g = 0; g < nms; g++) {
				double a0 = c0[g], a1 = c1[g];
				t00 += a0 * s0[g], t01 += a0 * s1[g], t02 += a0 * s2[g], t03 += a0 * s3[g];
				t10 += a1 * s0[g], t11 += a1 * s1[g], t12 += a1 * s2[g], t13 += a1 * s3[g];
			}
			double t0[4] = {t00, t01, t02, t03}, t1[4] = {t10, t11, t12, t13};
			for (int j = 0; j < 4 && r + j < n_dense; j++) {
				w->clear_matrix[q * n_dense + r + j] = t0[j];
				w->clear_matrix[q1 * n_dense + r + j] = t1[j];
			}
		}
	}
}

/* Sets clear_inv_phi and clear_act_unit of the n active firms at the
 * current prices. */
static void active_prices(struct ts_sim *w, const clear_ctx *cx, int n)
{
	for (int q = 0; q < n; q++) {
		w->clear_inv_phi[q] = 1.0 / w->price_factor[cx->firms[w->clear_list[q]]];
		w->clear_act_unit[q] = w->clear_unit[cx->f0 + w->clear_list[q]];
	}
}

/* The active firms' real demand from their rows. */
static void store_demand(struct ts_sim *w, const clear_ctx *cx, int n)
{
	for (int q = 0; q < n; q++)
		w->desired[cx->firms[w->clear_list[q]]] = w->clear_d[q];
}

/* Q_qr / d_q, the mean share of active firm r in firm q's demand, in
 * place of Q_qr, with d_q of the pass the factors are from. */
static void normalise_terms(struct ts_sim *w, int n_dense)
{
	for (int q = 0; q < n_dense; q++) {
		double d = w->clear_cross_d[q];
		for (int r = 0; r < n_dense; r++)
			w->clear_matrix[q * n_dense + r] = d > 0.0 ? w->clear_matrix[q * n_dense + r] / d : 0.0;
	}
}

/* A pass that stored the factors of the cross terms of its n_dense rows
 * leaves them to be summed when a Newton step needs them (the pass that
 * confirms a solution needs none): d_q is kept with them. */
static void defer_cross_terms(struct ts_sim *w, int n_dense)
{
	if (n_dense <= 0)
		return;  /* no dense block: the last one stands */
	for (int q = 0; q < n_dense; q++)
		w->clear_cross_d[q] = w->clear_d[q];
	w->clear_cross_n = n_dense;
}

/* The dense block of the last factors stored, if not summed yet. */
static void settle_cross_terms(struct ts_sim *w, const clear_ctx *cx)
{
	if (w->clear_cross_n <= 0)
		return;
	cross_terms(w, w->clear_cross_n, cx->nms);
	normalise_terms(w, w->clear_cross_n);
	w->clear_cross_n = 0;
}

/* earn[a] += scale x receipt[a] (x ties[a]; ties NULL where all are 1):
 * a segment's spending per unit of weight, at what each firm earns. */
static void add_earnings(double *restrict earn, const double *restrict receipt, const double *restrict ties,
                         double scale, int nfs)
{
	if (ties)
		for (int a = 0; a < nfs; a++)
			earn[a] += scale * receipt[a] * ties[a];
	else
		for (int a = 0; a < nfs; a++)
			earn[a] += scale * receipt[a];
}

/* Real demand for every firm of the sector at the current phi, and the
 * Newton terms of the n active firms; clear_total[] gets each segment's
 * sum of weights and clear_rest[] that of the inactive firms, which the
 * active passes hold fixed. A firm's real demand is its unit weight
 * (clear_unit: base weight x phi^(1-sigma)) times sum_g E_g / T_g x omega_g
 * x r_g (cell_receipt: omega without the ties x the receipt share), over
 * its price factor. Sets clear_fresh: clear_total[] holds the sums at the
 * current prices. Without `inactive`, only the sums and the active firms'
 * terms: the inactive firms' demand (and clear_earn) is left as it was. */
static void full_pass(struct ts_sim *w, const clear_ctx *cx, int n, int inactive)
{
	int n_dense = n < w->clear_dense ? n : w->clear_dense;
	double *fw = w->clear_weight + cx->f0, *unit = w->clear_unit + cx->f0, *earn = w->clear_earn + cx->f0;
	const double *base = w->clear_base + cx->f0;
	for (int a = 0; a < cx->nfs; a++) {
		fw[a] = w->factor_weight[cx->firms[a]];
		unit[a] = base[a] * fw[a];
		earn[a] = 0.0;
	}
	active_prices(w, cx, n);
	active_weights(w, cx, n);
	double unit_sum = ts_sum(unit, cx->nfs), common = 0.0;  /* spending per weight of the sparse segments */
	for (int b = 0; b < cx->nms; b++) {
		int m = cx->m0 + b;
		size_t at = w->sales_offset[cx->k] + (size_t)b * (size_t)cx->nfs;
		double total = ts_market_row_sum(w, m, unit, unit_sum);
		w->clear_total[m] = total;
		set_scale(w, cx, b, total);
		w->clear_rest[m] = total > 0.0 ? nonneg(total - w->clear_active[m]) : 0.0;
		if (!inactive || !(total > 0.0))  /* no variety able to sell: unmet (market.c) */
			continue;
		if (ts_market_row_sparse(w, m, cx->nfs)) {  /* every firm earns it, its exceptions corrected */
			common += w->clear_per_weight[m];
			for (int e = 0; e < w->exc_count[m]; e++)
				earn[w->exc_pos[at + (size_t)e]] += w->exc_receipt[at + (size_t)e] * w->clear_per_weight[m];
		} else {
			add_earnings(earn, w->cell_receipt + at, w->ties_settled[m] ? NULL : w->relation + at,
			             w->clear_per_weight[m], cx->nfs);
		}
	}
	for (int a = 0; a < cx->nfs && inactive; a++)
		earn[a] = nonneg(earn[a] + common);
	active_terms(w, cx, n, n_dense);
	defer_cross_terms(w, n_dense);
	store_demand(w, cx, n);
	for (int a = 0; a < cx->nfs && inactive; a++) {
		int i = cx->firms[a];
		if (w->clear_index[i] < 0)
			w->desired[i] = unit[a] * earn[a] / w->price_factor[i];
	}
	w->clear_fresh = inactive;
}

/* Real demand and Newton terms of the n active firms alone at the current
 * phi, the inactive firms' weight held at clear_rest[]: a pass over the
 * active firms' cells only. The inactive firms' demand is not updated.
 * With new_set (the set changed, no price moved), clear_rest[] is first
 * recomputed from clear_total[]; with cross, the cross terms are rebuilt,
 * else the last ones are kept (newton_step). */
static void active_pass(struct ts_sim *w, const clear_ctx *cx, int n, int new_set, int cross)
{
	int n_dense = !cross ? 0 : n < w->clear_dense ? n : w->clear_dense;
	active_prices(w, cx, n);
	active_weights(w, cx, n);
	for (int b = 0; b < cx->nms; b++) {
		int m = cx->m0 + b;
		if (new_set)
			w->clear_rest[m] = nonneg(w->clear_total[m] - w->clear_active[m]);
		set_scale(w, cx, b, w->clear_rest[m] + w->clear_active[m]);
	}
	active_terms(w, cx, n, n_dense);
	defer_cross_terms(w, n_dense);
	store_demand(w, cx, n);
}

/* Sets firm i (position a in the sector) at tightness z. */
static void set_tightness(struct ts_sim *w, const clear_ctx *cx, int a, double z)
{
	int i = cx->firms[a];
	double phi = factor_at(cx, z);
	w->clear_z[i] = z;
	w->price_factor[i] = phi;
	if (z > 0.0 && phi != w->memo_phi[i]) {  /* a firm at its last phi keeps its weight */
		w->memo_phi[i] = phi;
		w->memo_phi_weight[i] = exp((1.0 - cx->sigma) * log_factor(w, i, phi));  /* phi^(1 - sigma) */
	}
	w->factor_weight[i] = w->clear_weight[cx->f0 + a] = z > 0.0 ? w->memo_phi_weight[i] : 1.0;
	w->clear_unit[cx->f0 + a] = w->clear_base[cx->f0 + a] * w->clear_weight[cx->f0 + a];
	w->clear_fresh = 0;  /* a price may have moved since the last full pass */
}

/* A first tightness for a firm entering the active set with real demand
 * d: from 1e-6 up, doubled until its supply reaches d or half its
 * capacity. */
static double entry_tightness(const struct ts_sim *w, const clear_ctx *cx, int i, double d)
{
	double z = 1e-6, want = fmin(d, 0.5 * w->cap_step[i]);
	for (int doubling = 0; doubling < 60; doubling++) {
		double s = supply_at(w, cx, i, z);
		if (s >= want && s > 0.0)
			break;
		z *= 2.0;
	}
	return z;
}

/* The firms above the knee (z > 0) or with more demand than their supply at
 * the knee, in sector order, as clear_list (local positions) and
 * clear_index (rows); a firm with demand leaving the set returns to phi = 1
 * (one without demand keeps its phi: nothing sets it). Returns the count,
 * whether the set changed and whether any price moved. */
static int mark_active(struct ts_sim *w, const clear_ctx *cx, int *changed, int *moved)
{
	int n = 0;
	*changed = *moved = 0;
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		double d = w->desired[i];
		int active = d > 0.0 && (w->clear_z[i] > 0.0 || d > supply_at(w, cx, i, 0.0) * (1.0 + TS_CLEAR_TOLERANCE));
		if (active != (w->clear_index[i] >= 0))
			*changed = 1;
		if (active && !(w->clear_z[i] > 0.0)) {
			set_tightness(w, cx, a, entry_tightness(w, cx, i, d));
			*moved = 1;
		} else if (!active && d > 0.0 && w->clear_z[i] > 0.0) {
			set_tightness(w, cx, a, 0.0);
			*moved = 1;
		}
		w->clear_index[i] = active ? n : -1;
		if (active)
			w->clear_list[n++] = a;
	}
	return n;
}

/* F_i = log d_i - log supply_i of the active firms into clear_f; whether
 * all are within the tolerance. */
static int residuals(struct ts_sim *w, const clear_ctx *cx, int n)
{
	int converged = 1;
	for (int q = 0; q < n; q++) {
		int i = cx->firms[w->clear_list[q]];
		w->clear_f[q] = log(w->desired[i] / supply_at(w, cx, i, w->clear_z[i]));
		converged = converged && fabs(w->clear_f[q]) <= TS_CLEAR_TOLERANCE;
	}
	return converged;
}

/* -dF_i/dz_i: the demand's fall through phi (own price, own share) and
 * the supply's rise with z. */
static double own_slope(const struct ts_sim *w, const clear_ctx *cx, int q, double g)
{
	int i = cx->firms[w->clear_list[q]];
	double z = w->clear_z[i], d = w->desired[i];  /* g = d log phi / dz at z */
	double elasticity = 1.0 + (cx->sigma - 1.0) * (d - w->clear_cs[q]) / d;
	return elasticity * g + supply_slope(cx, z);
}

/* Solves M x = f in place (n x n, row-major; partial pivoting); a column
 * without a pivot leaves its unknown at 0. */
static void solve_dense(double *m, double *f, int n)
{
	for (int c = 0; c < n; c++) {
		int p = c;
		for (int r = c + 1; r < n; r++)
			p = fabs(m[r * n + c]) > fabs(m[p * n + c]) ? r : p;
		if (!(fabs(m[p * n + c]) > 1e-300))
			continue;
		for (int x = 0; x < n && p != c; x++) {
			double t = m[c * n + x]; m[c * n + x] = m[p * n + x]; m[p * n + x] = t;
		}
		double t = f[c]; f[c] = f[p]; f[p] = t;
		for (int r = c + 1; r < n; r++) {
			double factor = m[r * n + c] / m[c * n + c];
			for (int x = c; x < n; x++)
				m[r * n + x] -= factor * m[c * n + x];
			f[r] -= factor * f[c];
		}
	}
	for (int c = n - 1; c >= 0; c--) {
		double sum = f[c];
		for (int x = c + 1; x < n; x++)
			sum -= m[c * n + x] * f[x];
		f[c] = fabs(m[c * n + c]) > 1e-300 ? sum / m[c * n + c] : 0.0;
	}
}

/* The Newton step dz = M^-1 F into clear_f: M_ii = own_slope, and for the
 * dense block M_ij = -(sigma - 1) Q_ij / d_i x dlog phi_j/dz_j, with
 * Q_ij / d_i from the last full pass (it moves little with the prices: a
 * chord method off the diagonal, exact on it). */
static void newton_step(struct ts_sim *w, const clear_ctx *cx, int n)
{
	int nd = n < w->clear_dense ? n : w->clear_dense;
	double *m = w->clear_jacobian;
	double *g = w->clear_phi_slope;
	settle_cross_terms(w, cx);
	for (int q = 0; q < nd; q++)
		g[q] = phi_slope(cx, w->clear_z[cx->firms[w->clear_list[q]]]);
	for (int r = 0; r < nd; r++) {
		for (int q = 0; q < nd; q++)
			m[r * nd + q] = q == r ? own_slope(w, cx, r, g[r]) : -(cx->sigma - 1.0) * w->clear_matrix[r * nd + q] * g[q];
	}
	solve_dense(m, w->clear_f, nd);
	for (int q = nd; q < n; q++) {  /* beyond the dense block: each on its own */
		double slope = own_slope(w, cx, q, phi_slope(cx, w->clear_z[cx->firms[w->clear_list[q]]]));
		w->clear_f[q] = slope > 0.0 ? w->clear_f[q] / slope : 0.0;
	}
}

/* Where a Newton step would take firm i: z + step, its log phi moved by at
 * most TS_CLEAR_MAX_MOVE (each firm clipped on its own, so that one far
 * from its solution does not hold the others back), z >= 0, and halved
 * back toward z while its final supply would not be positive there (it is
 * at z). *log_phi gets log phi at z. */
static double moved(struct ts_sim *w, const clear_ctx *cx, int i, double step, double *log_phi_at_z)
{
	double z = w->clear_z[i], next = fmax(0.0, z + step);
	double log_phi = log_factor(w, i, factor_at(cx, z)), log_next = log_factor(w, i, factor_at(cx, next));
	*log_phi_at_z = log_phi;
	if (fabs(log_next - log_phi) > TS_CLEAR_MAX_MOVE) {
		double phi = exp(log_phi + (log_next > log_phi ? TS_CLEAR_MAX_MOVE : -TS_CLEAR_MAX_MOVE));
		next = phi > 1.0 ? sqrt((phi - 1.0) / cx->steepness) : 0.0;
	}
	for (int halving = 0; halving < 60 && !(supply_at(w, cx, i, next) > 0.0); halving++)
		next = 0.5 * (next + z);
	return next;
}

/* Takes the Newton step; returns 2 if a firm reached the flat end of its
 * curve (it leaves the set: a full pass), 1 if some log phi moved by more
 * than TS_CLEAR_CHORD_MOVE (the cross terms are rebuilt), else 0. */
static int take_step(struct ts_sim *w, const clear_ctx *cx, int n)
{
	int how = 0;
	for (int q = 0; q < n; q++) {
		int a = w->clear_list[q], i = cx->firms[a];
		double log_before;  /* of price_factor = factor_at(clear_z) (set_tightness) */
		set_tightness(w, cx, a, moved(w, cx, i, w->clear_f[q], &log_before));
		if (!(w->clear_z[i] > 0.0))
			how = 2;
		else if (how == 0 && fabs(log_factor(w, i, w->price_factor[i]) - log_before) > TS_CLEAR_CHORD_MOVE)
			how = 1;
	}
	return how;
}

/* Sets every firm of the sector at its first tightness, off the active
 * set: where the same pass over the sector ended last step (its first
 * clearing in a step, or its clearing again with firms rationed by their
 * inputs, whose prices differ), else at its price as it stands; a
 * rationed firm keeps its price (§5). Returns the pass: 1 if any firm of
 * the sector is rationed. */
static int warm_start(struct ts_sim *w, const clear_ctx *cx)
{
	int pass = 0;
	for (int a = 0; a < cx->nfs; a++)
		pass |= ts_market_rationed(w, cx->firms[a]);
	int warm = w->clear_warm_step[pass * w->ns + cx->k] == w->step - 1;
	const double *warm_z = w->clear_warm + (size_t)pass * (size_t)w->nf;
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		double phi = w->price_factor[i];
		set_tightness(w, cx, a, warm && !ts_market_rationed(w, i) ? warm_z[i] : phi > 1.0 ? sqrt((phi - 1.0) / cx->steepness) : 0.0);
		w->clear_index[i] = -1;
	}
	return pass;
}

int ts_clearing_solve(struct ts_sim *w, int k)
{
	TS_ASSERT(k >= 0 && k < w->ns);
	const ts_scenario *s = w->scn;
	clear_ctx cx = {
		.k = k, .nfs = w->sector_firm_count[k], .nms = w->sector_mseg_count[k], .m0 = w->sector_mseg_first[k],
		.f0 = w->sector_firm_first[k], .firms = w->sector_firms + w->sector_firm_first[k],
		.sigma = s->sectors[k].elasticity, .knee = s->model.capacity_knee, .steepness = s->model.capacity_steepness,
	};
	int pass = warm_start(w, &cx);
	/* Newton iterations on the active firms alone, each over their cells
	 * only; a full pass whenever the active set changes and to confirm a
	 * solution, since the inactive firms' demand moves with the others'
	 * prices and one may cross its knee. */
	int changed, moved, n = 0, iterations = 0, full = 1;
	w->clear_cross_n = 0;
	clear_setup(w, &cx);
	full_pass(w, &cx, 0, 1);
	for (; iterations < TS_CLEAR_MAX_ITER; iterations++) {
		if (full) {
			n = mark_active(w, &cx, &changed, &moved);
			if (moved) {  /* the inactive firms are checked again when a solution is confirmed */
				full_pass(w, &cx, n, 0);
				full = 0;
				continue;
			}
			if (changed)  /* the same prices: every demand stands */
				active_pass(w, &cx, n, 1, 1);
		}
		if (residuals(w, &cx, n)) {
			if (full)
				break;
			full_pass(w, &cx, n, 1);
			full = 1;
			continue;
		}
		newton_step(w, &cx, n);
		int how = take_step(w, &cx, n);
		full = how == 2;
		if (full)
			full_pass(w, &cx, n, 1);
		else
			active_pass(w, &cx, n, 0, how == 1);
	}
	for (int a = 0; a < cx.nfs; a++)  /* where the next step's same pass starts */
		w->clear_warm[(size_t)pass * (size_t)w->nf + (size_t)cx.firms[a]] = w->clear_z[cx.firms[a]];
	w->clear_warm_step[pass * w->ns + k] = w->step;
	return iterations;
}
