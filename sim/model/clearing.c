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
 * firms above the knee (the others sit at phi = 1), jointly: the Newton
 * matrix solved whole (dense, partial pivoting) for up to clear_dense
 * firms, beyond through its structure (a common part of rank two, and
 * GMRES on the whole matrix where that part is not enough:
 * structured_step()); warm-started
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
#include <limits.h>
#include <math.h>
#include "util/assert.h"
#include "util/fminmax.h"
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
		size_t at = w->sales_offset[cx->k] + (size_t)b * (size_t)cx->nfs;
		double spend = w->demand[cx->m0 + b];
		for (int r = 0; r < n_rationed; r++)  /* the sales of firms rationed by their inputs (market.c) */
			spend -= ts_market_sale(w, cx->m0 + b, at, w->clear_list[r]);
		w->clear_spend[cx->m0 + b] = spend;
	}
}

/* Active row q's cells of `by_firm` (omega_by_firm, receipt_by_firm):
 * its firm's segments in order. */
static const double *firm_cells(const struct ts_sim *w, const clear_ctx *cx, const double *by_firm, int q)
{
	return by_firm + w->sales_offset[cx->k] + (size_t)w->clear_list[q] * (size_t)cx->nms;
}

/* Sector k's cells by firm in the sparse segments (ts_market_row_sparse():
 * every cell weighs 1 and earns all that is spent on it but for the
 * segment's exceptions), as lists of each firm's exceptions (fexc_*, from
 * the segments' lists, in segment order), and the other segments, read
 * cell by cell (dense_seg); clear_one[] marks the sparse ones. The lists
 * lie one after another from the sector's place in fexc_* (fexc_first: a
 * firm's first), so that a rebuild writes a few pages, not a row of every
 * firm's (the untouched pages of a fresh run would fault in the step).
 * Rebuilt only when the segments' lists or their kind changed (market.c
 * clears fexc_built). */
static void firm_exceptions(struct ts_sim *w, const clear_ctx *cx)
{
	if (w->fexc_built[cx->k])
		return;
	size_t off = w->sales_offset[cx->k], read = 0;  /* cells read by the factored sums */
	int *count = w->fexc_count + cx->f0, *first = w->fexc_first + cx->f0, n_dense = 0;
	for (int a = 0; a < cx->nfs; a++)
		count[a] = 0;
	for (int b = 0; b < cx->nms; b++) {  /* how many each firm has */
		int m = cx->m0 + b, sparse = ts_market_row_sparse(w, m, cx->nfs);
		w->clear_one[m] = sparse ? 1.0 : 0.0;
		read += sparse ? (size_t)w->exc_count[m] : (size_t)cx->nfs;
		if (!sparse) {
			w->dense_seg[cx->m0 + n_dense++] = b;
			continue;
		}
		ts_exceptions x = ts_market_exceptions(w, m);
		for (int e = 0; e < x.n; e++)
			count[x.pos[e]]++;
	}
	for (int a = 0, next = 0; a < cx->nfs; a++) {
		first[a] = next;
		next += count[a];
		count[a] = 0;
	}
	for (int j = 0, b = 0; b < cx->nms; b++) {  /* the lists, in segment order */
		if (j < n_dense && w->dense_seg[cx->m0 + j] == b) {
			j++;
			continue;
		}
		ts_exceptions x = ts_market_exceptions(w, cx->m0 + b);
		for (int e = 0; e < x.n; e++) {
			int a = x.pos[e];
			size_t slot = off + (size_t)first[a] + (size_t)count[a]++;
			w->fexc_seg[slot] = b;
			w->fexc_alpha[slot] = x.receipt[e];
			w->fexc_beta[slot] = x.weight[e];
		}
	}
	w->dense_seg_count[cx->k] = n_dense;
	/* factored(): n (reads / nfs + 2 nms / n) <= n nms / 4, i.e.
	 * n (nms - 4 reads / nfs) >= 8 nms */
	double spare = cx->nfs > 0 ? cx->nms - 4.0 * (double)read / cx->nfs : 0.0;
	double least = spare > 0.0 ? ceil(8.0 * cx->nms / spare) : INFINITY;
	w->fexc_min_active[cx->k] = least < (double)INT_MAX ? (int)least : INT_MAX;
	w->fexc_built[cx->k] = 1;
}

/* Whether the terms of n active firms of sector k are summed as common
 * parts and exceptions (firm_exceptions()): where the cells they read so,
 * with two sums over the segments, are at most a quarter of their cells
 * (a loop over every cell runs faster per cell than one over exceptions,
 * and the common sums cost as much as a few firms' cells); *n_seg gets
 * how many segments are read cell by cell, all of them if not. */
static int factored(const struct ts_sim *w, const clear_ctx *cx, int n, int *n_seg)
{
	int yes = !w->clear_cells_only && n >= w->fexc_min_active[cx->k];
	*n_seg = yes ? w->dense_seg_count[cx->k] : cx->nms;
	return yes;
}

/* Active row q's firm: its exceptions' first slot in fexc_* and count
 * (0 where the terms are not factored). */
static size_t firm_slot(const struct ts_sim *w, const clear_ctx *cx, int q, int fac, int *count)
{
	int a = w->clear_list[q];
	*count = fac ? w->fexc_count[cx->f0 + a] : 0;
	return w->sales_offset[cx->k] + (size_t)w->fexc_first[cx->f0 + a];
}

/* Each segment's CES weight of the n active firms, sum_q omega_qg x
 * unit_q, into clear_active[]: in a sparse segment the active firms' sum
 * plus their exceptions' corrections (docs/model.md §5, "Implementation"),
 * in order, summed cell by cell instead where the corrections take away
 * more than half of it; in the others cell by cell, in the firms' order. */
static void active_weights(struct ts_sim *w, const clear_ctx *cx, int n)
{
	double *restrict act = w->clear_active + cx->m0;
	const double *one = w->clear_one + cx->m0, *unit = w->clear_act_unit;
	const int *dense = w->dense_seg + cx->m0;
	int n_dense;
	if (!factored(w, cx, n, &n_dense)) {  /* every segment cell by cell, a loop that vectorises */
		for (int b = 0; b < cx->nms; b++)
			act[b] = 0.0;
		for (int q = 0; q < n; q++) {
			const double *restrict omega = firm_cells(w, cx, w->omega_by_firm, q);
			for (int b = 0; b < cx->nms; b++)
				act[b] += omega[b] * unit[q];
		}
		return;
	}
	double sum = 0.0;
	for (int q = 0; q < n; q++)
		sum += unit[q];
	for (int b = 0; b < cx->nms; b++)
		act[b] = one[b] * sum;
	for (int q = 0; q < n; q++) {
		int count;
		size_t slot = firm_slot(w, cx, q, 1, &count);
		const double *omega = firm_cells(w, cx, w->omega_by_firm, q);
		for (int e = 0; e < count; e++)
			act[w->fexc_seg[slot + (size_t)e]] += w->fexc_beta[slot + (size_t)e] * unit[q];
		for (int j = 0; j < n_dense; j++)
			act[dense[j]] += omega[dense[j]] * unit[q];
	}
	for (int b = 0; b < cx->nms; b++) {
		if (one[b] == 0.0 || act[b] >= 0.5 * sum)
			continue;
		act[b] = 0.0;  /* its rounding would show: cell by cell */
		for (int q = 0; q < n; q++)
			act[b] += firm_cells(w, cx, w->omega_by_firm, q)[b] * unit[q];
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

/* sum_g x_g over the sparse segments (clear_one), in their order. */
static double sparse_sum(const clear_ctx *cx, const double *one, const double *x)
{
	double sum = 0.0;
	for (int b = 0; b < cx->nms; b++)
		sum += one[b] * x[b];
	return sum;
}

/* *sd = d0 + sum_g pw_g alpha_g, *scs = cs0 + sum_g pw_g it_g alpha_g
 * omega_g, alpha = omega x receipt, over the n segments `seg` (every one
 * of the nms in order when n == nms). */
static inline void dense_terms(const double *restrict pw, const double *restrict it, const double *restrict omega,
                               const double *restrict receipt, const int *seg, int n, int nms, double d0, double cs0,
                               double *sd, double *scs)
{
	double d = d0, cs = cs0;
	if (n == nms) {
		for (int b = 0; b < nms; b++) {
			double alpha = omega[b] * receipt[b];
			d += pw[b] * alpha;
			cs += pw[b] * it[b] * alpha * omega[b];
		}
	} else {
		for (int j = 0; j < n; j++) {
			int b = seg[j];
			double alpha = omega[b] * receipt[b];
			d += pw[b] * alpha;
			cs += pw[b] * it[b] * alpha * omega[b];
		}
	}
	*sd = d;
	*scs = cs;
}

/* The Newton terms of the n active firms at the segments' scales
 * (set_scale), by row q: real demand d_q = sum_g c_qg, c_qg = E_g / T_g x
 * omega_qg r_qg x unit_q / phi_q, into clear_d, and D_q = sum_g c_qg
 * s_qg, s_qg = omega_qg unit_q / T_g, into clear_cs. Each sum is the
 * sparse segments' common sum (every cell alpha = omega r = 1 and beta =
 * omega = 1) plus the firm's exceptions' corrections, plus the other
 * segments cell by cell (docs/model.md §5, "Implementation"); summed cell
 * by cell over all its segments instead where the corrections take away
 * more than half of the common sum. With `cross`, every row's factors of
 * the cross terms are kept (cross_terms() sums them). */
static void active_terms(struct ts_sim *w, const clear_ctx *cx, int n, int cross)
{
	const double *restrict pw = w->clear_per_weight + cx->m0, *restrict it = w->clear_inv_total + cx->m0;
	const double *one = w->clear_one + cx->m0;
	const int *dense = w->dense_seg + cx->m0;
	int nd_seg, fac = factored(w, cx, n, &nd_seg);
	double common_d = 0.0, common_cs = 0.0;
	for (int b = 0; b < cx->nms && fac; b++) {
		common_d += one[b] * pw[b];
		common_cs += one[b] * (pw[b] * it[b]);
	}
	for (int q = 0; q < n; q++) {
		int count;
		size_t slot = firm_slot(w, cx, q, fac, &count);
		const double *omega = firm_cells(w, cx, w->omega_by_firm, q), *receipt = firm_cells(w, cx, w->receipt_by_firm, q);
		double fix_d = 0.0, fix_cs = 0.0;
		for (int e = 0; e < count; e++) {
			int b = w->fexc_seg[slot + (size_t)e];
			double alpha = w->fexc_alpha[slot + (size_t)e], beta = w->fexc_beta[slot + (size_t)e];
			fix_d += pw[b] * alpha;
			fix_cs += pw[b] * it[b] * (alpha + beta + alpha * beta);  /* omega^2 r - 1 */
		}
		/* every segment cell by cell where not factored or where the
		 * corrections' rounding would show */
		int all = !fac || !(common_d + fix_d >= 0.5 * common_d) || !(common_cs + fix_cs >= 0.5 * common_cs);
		double sd, scs;
		dense_terms(pw, it, omega, receipt, dense, all ? cx->nms : nd_seg, cx->nms, all ? 0.0 : common_d + fix_d,
		            all ? 0.0 : common_cs + fix_cs, &sd, &scs);
		double unit = w->clear_act_unit[q], inv_phi = w->clear_inv_phi[q];
		w->clear_d[q] = unit * inv_phi * sd;
		w->clear_cs[q] = unit * unit * inv_phi * scs;
	}
	if (!cross || n <= 0)
		return;
	double *h = w->clear_cross_h + cx->m0;
	for (int b = 0; b < cx->nms; b++)  /* a segment without demand gives no cross terms */
		h[b] = pw[b] > 0.0 ? pw[b] * it[b] : 0.0;
	for (int q = 0; q < n; q++) {
		w->clear_cross_unit[q] = w->clear_act_unit[q];
		w->clear_cross_scale[q] = w->clear_act_unit[q] * w->clear_inv_phi[q];
	}
}

/* Row q of the dense block, Q_qr / d_q for each r, from its sum
 * sum_g h_g alpha_qg beta_rg = `sum` (cross_terms()). */
static void store_cross(struct ts_sim *w, int n_dense, int q, int r, double sum)
{
	double d = w->clear_cross_d[q], qr = w->clear_cross_scale[q] * w->clear_cross_unit[r] * nonneg(sum);
	w->clear_matrix[q * n_dense + r] = d > 0.0 ? qr / d : 0.0;
}

/* The dense block where every segment is read cell by cell: rows x_q =
 * h alpha_q into clear_cross_x, then each entry summed over the segments
 * in order, in tiles of 2 rows x 4 columns held in registers (the
 * columns' beta_r are their omega_by_firm rows). */
static void cross_terms_cells(struct ts_sim *w, const clear_ctx *cx, int n_dense)
{
	const double *h = w->clear_cross_h + cx->m0;
	int nms = cx->nms;
	for (int q = 0; q < n_dense; q++) {
		const double *omega = firm_cells(w, cx, w->omega_by_firm, q), *receipt = firm_cells(w, cx, w->receipt_by_firm, q);
		double *x = w->clear_cross_x + (size_t)q * (size_t)nms;
		for (int b = 0; b < nms; b++)
			x[b] = h[b] * (omega[b] * receipt[b]);
	}
	if (n_dense < 4) {  /* a block too small for the tiles: entry by entry */
		for (int q = 0; q < n_dense; q++)
			for (int r = 0; r < n_dense; r++) {
				const double *x = w->clear_cross_x + (size_t)q * (size_t)nms, *o = firm_cells(w, cx, w->omega_by_firm, r);
				double sum = 0.0;
				for (int g = 0; g < nms; g++)
					sum += x[g] * o[g];
				store_cross(w, n_dense, q, r, sum);
			}
		return;
	}
	for (int q = 0; q < n_dense; q += 2) {
		int q1 = q + 1 < n_dense ? q + 1 : q;  /* an odd last row is computed twice */
		const double *x0 = w->clear_cross_x + (size_t)q * (size_t)nms, *x1 = w->clear_cross_x + (size_t)q1 * (size_t)nms;
		for (int r = 0; r < n_dense; r += 4) {
			const double *o[4];
			for (int j = 0; j < 4; j++)  /* columns past the last repeat it */
				o[j] = firm_cells(w, cx, w->omega_by_firm, r + j < n_dense ? r + j : n_dense - 1);
			double t00 = 0.0, t01 = 0.0, t02 = 0.0, t03 = 0.0, t10 = 0.0, t11 = 0.0, t12 = 0.0, t13 = 0.0;
			for (int g = 0; g < nms; g++) {
				double a0 = x0[g], a1 = x1[g];
				t00 += a0 * o[0][g], t01 += a0 * o[1][g], t02 += a0 * o[2][g], t03 += a0 * o[3][g];
				t10 += a1 * o[0][g], t11 += a1 * o[1][g], t12 += a1 * o[2][g], t13 += a1 * o[3][g];
			}
			double t0[4] = {t00, t01, t02, t03}, t1[4] = {t10, t11, t12, t13};
			for (int j = 0; j < 4 && r + j < n_dense; j++) {
				store_cross(w, n_dense, q, r + j, t0[j]);
				store_cross(w, n_dense, q1, r + j, t1[j]);
			}
		}
	}
}

/* The cross terms of n rows, more than the dense block takes, as their
 * common part: sum_g h_g alpha_qg beta_rg with alpha = 1 + a, beta = 1 + b
 * is H + e_q + f_r + sum_g h_g a_qg b_rg, and the last sum, over the
 * segments where both firms are exceptions, is left out (docs/model.md
 * §5, "Implementation"): H = sum_g h_g over every segment into
 * clear_cross_common, e_q = sum_g h_g a_qg and f_q = sum_g h_g b_qg into
 * clear_cross_e and _f, over each firm's exceptions in the sparse
 * segments and over every cell of the others. */
static void cross_rank2_terms(struct ts_sim *w, const clear_ctx *cx, int n)
{
	int nd_seg, fac = factored(w, cx, n, &nd_seg);
	const double *h = w->clear_cross_h + cx->m0;
	const int *dense = w->dense_seg + cx->m0;
	double common = 0.0, sparse = fac ? sparse_sum(cx, w->clear_one + cx->m0, h) : 0.0;
	for (int b = 0; b < cx->nms; b++)
		common += h[b];
	w->clear_cross_common = common;
	for (int q = 0; q < n; q++) {
		int count;
		size_t slot = firm_slot(w, cx, q, fac, &count);
		const double *omega = firm_cells(w, cx, w->omega_by_firm, q), *receipt = firm_cells(w, cx, w->receipt_by_firm, q);
		double e = 0.0, f = 0.0, own = sparse;  /* own: sum_g h_g alpha_qg beta_qg, exactly */
		for (int x = 0; x < count; x++) {
			double hb = h[w->fexc_seg[slot + (size_t)x]], a = w->fexc_alpha[slot + (size_t)x], b = w->fexc_beta[slot + (size_t)x];
			e += hb * a;
			f += hb * b;
			own += hb * (a + b + a * b);
		}
		for (int j = 0; j < (fac ? nd_seg : cx->nms); j++) {
			int b = fac ? dense[j] : j;
			e += h[b] * (omega[b] * receipt[b] - 1.0);
			f += h[b] * (omega[b] - 1.0);
			own += h[b] * (omega[b] * receipt[b]) * omega[b];
		}
		w->clear_cross_e[q] = e;
		w->clear_cross_f[q] = f;
		double d = w->clear_cross_d[q];
		w->clear_cross_diag[q] = d > 0.0 ? w->clear_cross_scale[q] * w->clear_cross_unit[q] * own / d : 0.0;
	}
}

/* y = Q v over the n rows of the factors stored, Q_rq = s_r u_q sum_g h_g
 * alpha_rg beta_qg (the dense block's entries; s_r = scale_r / d_r), the
 * whole sum, without forming Q: T_g = sum_q beta_qg u_q v_q for each
 * segment, then y_r = s_r sum_g h_g alpha_rg T_g, each as the sparse
 * segments' common sum plus the exceptions, and the other segments cell
 * by cell (docs/model.md §5, "Implementation"). */
static void cross_apply(struct ts_sim *w, const clear_ctx *cx, int n, const double *v, double *y)
{
	int nd_seg, fac = factored(w, cx, n, &nd_seg), n_seg = fac ? nd_seg : cx->nms;
	const double *h = w->clear_cross_h + cx->m0, *one = w->clear_one + cx->m0;
	const int *dense = w->dense_seg + cx->m0;
	double *t = w->clear_seg_sum + cx->m0, uv = 0.0;
	for (int q = 0; q < n; q++)
		uv += w->clear_cross_unit[q] * v[q];
	for (int b = 0; b < cx->nms; b++)  /* a dense segment (one 0) is summed cell by cell */
		t[b] = fac ? one[b] * uv : 0.0;
	for (int q = 0; q < n; q++) {
		int count;
		size_t slot = firm_slot(w, cx, q, fac, &count);
		const double *omega = firm_cells(w, cx, w->omega_by_firm, q);
		double uvq = w->clear_cross_unit[q] * v[q];
		for (int x = 0; x < count; x++)
			t[w->fexc_seg[slot + (size_t)x]] += w->fexc_beta[slot + (size_t)x] * uvq;
		for (int j = 0; j < n_seg; j++) {
			int b = fac ? dense[j] : j;
			t[b] += omega[b] * uvq;
		}
	}
	double common = 0.0;
	for (int b = 0; b < cx->nms && fac; b++)
		common += one[b] * (h[b] * t[b]);
	for (int r = 0; r < n; r++) {
		int count;
		size_t slot = firm_slot(w, cx, r, fac, &count);
		const double *omega = firm_cells(w, cx, w->omega_by_firm, r), *receipt = firm_cells(w, cx, w->receipt_by_firm, r);
		double sum = common;
		for (int x = 0; x < count; x++) {
			int b = w->fexc_seg[slot + (size_t)x];
			sum += h[b] * w->fexc_alpha[slot + (size_t)x] * t[b];
		}
		for (int j = 0; j < n_seg; j++) {
			int b = fac ? dense[j] : j;
			sum += h[b] * (omega[b] * receipt[b]) * t[b];
		}
		double d = w->clear_cross_d[r];
		y[r] = d > 0.0 ? w->clear_cross_scale[r] / d * sum : 0.0;
	}
}

/* The dense block Q_qr = sum_g c_qg s_rg / d_q, c and s at the pass that
 * stored the factors (active_terms()), into clear_matrix: Q_qr = scale_q
 * unit_r sum_g h_g alpha_qg beta_rg with h_g = (E_g / T_g)+ / T_g. Where
 * factored, the sum is the common part H = sum_sparse h_g, plus q's
 * corrections, plus r's, plus the segments where both are exceptions and
 * the segments read cell by cell, through row q's h alpha scattered over
 * the segments; else cross_terms_cells(). */
static void cross_terms(struct ts_sim *w, const clear_ctx *cx, int n_dense)
{
	if (n_dense > w->clear_dense) {  /* more rows than the dense block takes */
		cross_rank2_terms(w, cx, n_dense);
		return;
	}
	int nd_seg, fac = factored(w, cx, n_dense, &nd_seg);
	if (!fac) {
		cross_terms_cells(w, cx, n_dense);
		return;
	}
	const double *h = w->clear_cross_h + cx->m0;
	const int *dense = w->dense_seg + cx->m0;
	double *x = w->clear_scatter + cx->m0, common = sparse_sum(cx, w->clear_one + cx->m0, h);
	for (int q = 0; q < n_dense; q++) {
		int count;
		size_t slot = firm_slot(w, cx, q, 1, &count);
		double e_sum = 0.0, f_sum = 0.0;
		for (int e = 0; e < count; e++) {
			double hb = h[w->fexc_seg[slot + (size_t)e]];
			e_sum += hb * w->fexc_alpha[slot + (size_t)e];
			f_sum += hb * w->fexc_beta[slot + (size_t)e];
		}
		w->clear_cross_e[q] = e_sum;
		w->clear_cross_f[q] = f_sum;
	}
	for (int q = 0; q < n_dense; q++) {
		int count;
		size_t slot = firm_slot(w, cx, q, 1, &count);
		const double *omega = firm_cells(w, cx, w->omega_by_firm, q), *receipt = firm_cells(w, cx, w->receipt_by_firm, q);
		for (int e = 0; e < count; e++)
			x[w->fexc_seg[slot + (size_t)e]] = h[w->fexc_seg[slot + (size_t)e]] * w->fexc_alpha[slot + (size_t)e];
		for (int j = 0; j < nd_seg; j++)
			x[dense[j]] = h[dense[j]] * (omega[dense[j]] * receipt[dense[j]]);
		for (int r = 0; r < n_dense; r++) {
			int count_r;
			size_t slot_r = firm_slot(w, cx, r, 1, &count_r);
			const double *omega_r = firm_cells(w, cx, w->omega_by_firm, r);
			double both = 0.0;
			for (int e = 0; e < count_r; e++)
				both += x[w->fexc_seg[slot_r + (size_t)e]] * w->fexc_beta[slot_r + (size_t)e];
			for (int j = 0; j < nd_seg; j++)
				both += x[dense[j]] * omega_r[dense[j]];
			store_cross(w, n_dense, q, r, common + w->clear_cross_e[q] + w->clear_cross_f[r] + both);
		}
		for (int e = 0; e < count; e++)
			x[w->fexc_seg[slot + (size_t)e]] = 0.0;
		for (int j = 0; j < nd_seg; j++)
			x[dense[j]] = 0.0;
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

/* A pass that stored the factors of the cross terms of its n rows leaves
 * them to be summed when a Newton step needs them (the pass that confirms
 * a solution needs none): d_q is kept with them. */
static void defer_cross_terms(struct ts_sim *w, int n)
{
	if (n <= 0)
		return;  /* none stored: the last ones stand */
	for (int q = 0; q < n; q++)
		w->clear_cross_d[q] = w->clear_d[q];
	w->clear_cross_n = n;
}

/* The dense block of the last factors stored, if not summed yet. */
static void settle_cross_terms(struct ts_sim *w, const clear_ctx *cx)
{
	if (w->clear_cross_n <= 0)
		return;
	cross_terms(w, cx, w->clear_cross_n);
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
			ts_exceptions x = ts_market_exceptions(w, m);
			common += w->clear_per_weight[m];
			for (int e = 0; e < x.n; e++)
				earn[x.pos[e]] += x.receipt[e] * w->clear_per_weight[m];
		} else {
			add_earnings(earn, w->cell_receipt + at, w->ties_settled[m] ? NULL : w->relation + at,
			             w->clear_per_weight[m], cx->nfs);
		}
	}
	for (int a = 0; a < cx->nfs && inactive; a++)
		earn[a] = nonneg(earn[a] + common);
	active_terms(w, cx, n, 1);
	defer_cross_terms(w, n);
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
	active_prices(w, cx, n);
	active_weights(w, cx, n);
	for (int b = 0; b < cx->nms; b++) {
		int m = cx->m0 + b;
		if (new_set)
			w->clear_rest[m] = nonneg(w->clear_total[m] - w->clear_active[m]);
		set_scale(w, cx, b, w->clear_rest[m] + w->clear_active[m]);
	}
	active_terms(w, cx, n, cross);
	defer_cross_terms(w, cross ? n : 0);
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
	double z = 1e-6, want = ts_fmin(d, 0.5 * w->cap_step[i]);
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

/* row[x] -= factor x pivot[x] and row2[x] -= factor2 x pivot[x] for x in
 * [from, n): three distinct rows, two entries at a time in vector pairs
 * (the compiler's own vector loop, with its alias checks and peeling, runs
 * mostly scalar on rows this short: 1 to 31 entries). */
static void eliminate2(double *restrict row, double *restrict row2, const double *restrict pivot, double factor,
                       double factor2, int from, int n)
{
	ts_pair f = {factor, factor}, f2 = {factor2, factor2};
	int x = from;
	for (; x + 2 <= n; x += 2) {
		ts_pair p = ts_pair_load(pivot + x);
		ts_pair_store(row + x, ts_pair_load(row + x) - f * p);
		ts_pair_store(row2 + x, ts_pair_load(row2 + x) - f2 * p);
	}
	for (; x < n; x++) {
		row[x] -= factor * pivot[x];
		row2[x] -= factor2 * pivot[x];
	}
}

/* row[x] -= factor x pivot[x] for x in [from, n): two distinct rows. */
static void eliminate(double *restrict row, const double *restrict pivot, double factor, int from, int n)
{
	for (int x = from; x < n; x++)
		row[x] -= factor * pivot[x];
}

/* Solves M x = f in place (n x n, row-major; partial pivoting); a column
 * without a pivot leaves its unknown at 0. Below the pivot, a row's entry
 * in the pivot's column is read only to find its factor, so elimination
 * starts past it; rows go two at a time. */
static void solve_dense(double *m, double *f, int n)
{
	for (int c = 0; c < n; c++) {
		int p = c;
		double largest = fabs(m[c * n + c]);  /* the first of the largest */
		for (int r = c + 1; r < n; r++) {
			double size = fabs(m[r * n + c]);
			p = size > largest ? r : p;
			largest = size > largest ? size : largest;
		}
		if (!(largest > 1e-300))
			continue;
		for (int x = 0; x < n && p != c; x++) {
			double t = m[c * n + x]; m[c * n + x] = m[p * n + x]; m[p * n + x] = t;
		}
		double t = f[c]; f[c] = f[p]; f[p] = t;
		const double *pivot = m + c * n;
		int r = c + 1;
		for (; r + 1 < n; r += 2) {
			double factor = m[r * n + c] / pivot[c], factor2 = m[(r + 1) * n + c] / pivot[c];
			eliminate2(m + r * n, m + (r + 1) * n, pivot, factor, factor2, c + 1, n);
			f[r] -= factor * f[c];
			f[r + 1] -= factor2 * f[c];
		}
		if (r < n) {
			double factor = m[r * n + c] / pivot[c];
			eliminate(m + r * n, pivot, factor, c + 1, n);
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

void ts_clearing_rank2_solve(int n, const double *delta, const double *p1, const double *p2, const double *q1,
                             const double *q2, double c, double *f, double *z1, double *z2)
{
	double c11 = 1.0, c12 = 0.0, c21 = 0.0, c22 = 1.0, t1 = 0.0, t2 = 0.0;
	for (int r = 0; r < n; r++) {
		double inv = delta[r] > 0.0 ? 1.0 / delta[r] : 0.0;  /* a row without a slope stays */
		f[r] *= inv;                /* y = D^-1 f */
		z1[r] = c * p1[r] * inv;    /* Z = D^-1 U, U = c (p1 p2) */
		z2[r] = c * p2[r] * inv;
		c11 -= q1[r] * z1[r];       /* C = I - V' Z, V = (q1 q2) */
		c12 -= q1[r] * z2[r];
		c21 -= q2[r] * z1[r];
		c22 -= q2[r] * z2[r];
		t1 += q1[r] * f[r];         /* t = V' y */
		t2 += q2[r] * f[r];
	}
	double det = c11 * c22 - c12 * c21;
	if (!(fabs(det) > 1e-14))
		return;  /* no coupling to solve for: the diagonal step */
	double w1 = (c22 * t1 - c12 * t2) / det, w2 = (c11 * t2 - c21 * t1) / det;
	if (!isfinite(w1) || !isfinite(w2))
		return;
	for (int r = 0; r < n; r++)
		f[r] += z1[r] * w1 + z2[r] * w2;  /* x = y + Z C^-1 t */
}

/* The Newton matrix of more active firms than the dense block takes,
 * M = diag(own) - (sigma - 1) (Q - diag Q) diag(g) (g = d log phi / dz,
 * own the own slopes), applied without forming it (cross_apply()), and its
 * preconditioner P: Q's common part, Q_rq ~ s_r u_q (H + e_r + f_q)
 * (cross_rank2_terms(): the sum over the segments where both firms are
 * exceptions left out), two outer products, so that P = diag(delta) -
 * (sigma - 1) (p1 q1' + p2 q2') with p1 = s (H + e), p2 = s, q1 = u g,
 * q2 = u g f and delta the own slopes plus (sigma - 1) times the products'
 * diagonal, which M does not have. */
typedef struct newton_op {
	struct ts_sim *w;
	const clear_ctx *cx;
	int n;
	double c;                               /* sigma - 1 */
	double *own, *g, *x, *gx, *y;           /* by row: own slopes, g; work */
	double *delta, *p1, *p2, *q1, *q2, *z1, *z2;
} newton_op;

static newton_op newton_op_of(struct ts_sim *w, const clear_ctx *cx, int n)
{
	double *k = w->clear_krylov + (size_t)(TS_CLEAR_KRYLOV + 1) * (size_t)n, *r = w->clear_rank;
	newton_op op = {
		.w = w, .cx = cx, .n = n, .c = cx->sigma - 1.0, .own = k, .g = w->clear_phi_slope, .x = k + n,
		.gx = k + 2 * n, .y = k + 3 * n, .delta = r, .p1 = r + n, .p2 = r + 2 * n, .q1 = r + 3 * n,
		.q2 = r + 4 * n, .z1 = r + 5 * n, .z2 = r + 6 * n,
	};
	double common = w->clear_cross_common;
	for (int q = 0; q < n; q++) {
		double d = w->clear_cross_d[q], s = d > 0.0 ? w->clear_cross_scale[q] / d : 0.0;
		double ug = w->clear_cross_unit[q] * op.g[q];
		op.own[q] = own_slope(w, cx, q, op.g[q]);
		op.p1[q] = s * (common + w->clear_cross_e[q]);
		op.p2[q] = s;
		op.q1[q] = ug;
		op.q2[q] = ug * w->clear_cross_f[q];
		op.delta[q] = op.own[q] + op.c * (op.p1[q] * op.q1[q] + op.p2[q] * op.q2[q]);
	}
	return op;
}

/* out = P^-1 v (out may be v). */
static void precondition(const newton_op *op, const double *v, double *out)
{
	for (int q = 0; q < op->n; q++)
		out[q] = v[q];
	ts_clearing_rank2_solve(op->n, op->delta, op->p1, op->p2, op->q1, op->q2, op->c, out, op->z1, op->z2);
}

/* out = M P^-1 v. */
static void apply_preconditioned(const newton_op *op, const double *v, double *out)
{
	int n = op->n;
	precondition(op, v, op->x);
	for (int q = 0; q < n; q++)
		op->gx[q] = op->g[q] * op->x[q];
	cross_apply(op->w, op->cx, n, op->gx, op->y);
	for (int q = 0; q < n; q++)
		out[q] = op->own[q] * op->x[q] - op->c * (op->y[q] - op->w->clear_cross_diag[q] * op->gx[q]);
}

static double dot(const double *a, const double *b, int n)
{
	double sum = 0.0;
	for (int q = 0; q < n; q++)
		sum += a[q] * b[q];
	return sum;
}

/* GMRES's small matrices: the Hessenberg matrix H (TS_CLEAR_KRYLOV + 1
 * rows, row-major), reduced to triangular by Givens rotations (cs, sn)
 * applied also to the right-hand side |F| e_1 (rhs). */
typedef struct krylov {
	double h[(TS_CLEAR_KRYLOV + 1) * TS_CLEAR_KRYLOV], cs[TS_CLEAR_KRYLOV], sn[TS_CLEAR_KRYLOV];
	double rhs[TS_CLEAR_KRYLOV + 1];
} krylov;

/* Vector k + 1 of the basis v (vector j at v + j n): M P^-1 v_k made
 * orthogonal to v_0..v_k (modified Gram-Schmidt, the coefficients into
 * column k of H) and normed; returns its norm before (0: v_k's image lies
 * in the basis). */
static double arnoldi(const newton_op *op, double *v, int k, krylov *kr)
{
	int n = op->n;
	double *next = v + (size_t)(k + 1) * (size_t)n;
	apply_preconditioned(op, v + (size_t)k * (size_t)n, next);
	for (int i = 0; i <= k; i++) {
		const double *vi = v + (size_t)i * (size_t)n;
		double hik = dot(next, vi, n);
		kr->h[i * TS_CLEAR_KRYLOV + k] = hik;
		for (int q = 0; q < n; q++)
			next[q] -= hik * vi[q];
	}
	double norm = sqrt(dot(next, next, n));
	for (int q = 0; q < n && norm > 0.0; q++)
		next[q] /= norm;
	return norm;
}

/* Column k of H, whose entry below the diagonal is `norm`, rotated by the
 * earlier rotations and a new one that zeroes that entry; the right-hand
 * side with it. Returns 0 where no rotation exists (a zero column). */
static int rotate(krylov *kr, int k, double norm)
{
	double *h = kr->h;
	for (int i = 0; i < k; i++) {
		double a = h[i * TS_CLEAR_KRYLOV + k], b = h[(i + 1) * TS_CLEAR_KRYLOV + k];
		h[i * TS_CLEAR_KRYLOV + k] = kr->cs[i] * a + kr->sn[i] * b;
		h[(i + 1) * TS_CLEAR_KRYLOV + k] = -kr->sn[i] * a + kr->cs[i] * b;
	}
	double a = h[k * TS_CLEAR_KRYLOV + k], r = hypot(a, norm);
	if (!(r > 0.0) || !isfinite(r))
		return 0;
	kr->cs[k] = a / r;
	kr->sn[k] = norm / r;
	h[k * TS_CLEAR_KRYLOV + k] = r;
	kr->rhs[k + 1] = -kr->sn[k] * kr->rhs[k];
	kr->rhs[k] = kr->cs[k] * kr->rhs[k];
	return 1;
}

/* dz = P^-1 V y into f, y solving the k x k triangular system left. */
static void krylov_step_of(const newton_op *op, const double *v, krylov *kr, int k, double *f)
{
	double coef[TS_CLEAR_KRYLOV];
	for (int i = k - 1; i >= 0; i--) {
		double sum = kr->rhs[i];
		for (int j = i + 1; j < k; j++)
			sum -= kr->h[i * TS_CLEAR_KRYLOV + j] * coef[j];
		coef[i] = sum / kr->h[i * TS_CLEAR_KRYLOV + i];
	}
	for (int q = 0; q < op->n; q++) {
		double sum = 0.0;
		for (int i = 0; i < k; i++)
			sum += coef[i] * v[(size_t)i * (size_t)op->n + (size_t)q];
		f[q] = sum;
	}
	precondition(op, f, f);
}

/* The Newton step of more active firms than the dense block takes. The
 * first TS_CLEAR_QUASI_STEPS of a solve are P^-1 F, O(n): a quasi-Newton
 * step, as good as Newton's where P is M (no two active firms share an
 * exception), and close to it where their shared exceptions weigh
 * little, as on the bench world (3.7 iterations a clearing; the dense
 * block of 32 firms it replaced took 4.8). A solve that needs more, where
 * firms share much (strong home bias: each country's firms compete
 * mostly among themselves), takes M dz = F by GMRES (Saad and Schultz
 * 1986), right-preconditioned by P, from dz = 0, until the residual is
 * TS_CLEAR_KRYLOV_TOL of |F| or TS_CLEAR_KRYLOV vectors are spent (the
 * step is then inexact). Each vector costs a product with Q (cross_apply(): a pass over
 * the active firms' cells and exceptions) instead of the n^3 / 3 of a
 * dense solve. */
#define TS_CLEAR_QUASI_STEPS 4
#define TS_CLEAR_KRYLOV_TOL 1e-9
static void structured_step(struct ts_sim *w, const clear_ctx *cx, int n, int step)
{
	newton_op op = newton_op_of(w, cx, n);
	double *f = w->clear_f, *v = w->clear_krylov;  /* vector j at v + j n */
	if (step < TS_CLEAR_QUASI_STEPS) {
		precondition(&op, f, f);
		return;
	}
	double beta = sqrt(dot(f, f, n));
	if (!(beta > 0.0) || !isfinite(beta)) {
		for (int q = 0; q < n; q++)
			f[q] = 0.0;
		return;
	}
	krylov kr;
	for (int q = 0; q < n; q++)
		v[q] = f[q] / beta;
	kr.rhs[0] = beta;
	int k = 0;  /* vectors in the step */
	while (k < TS_CLEAR_KRYLOV) {
		double norm = arnoldi(&op, v, k, &kr);
		if (!rotate(&kr, k, norm))
			break;
		k++;
		if (fabs(kr.rhs[k]) <= TS_CLEAR_KRYLOV_TOL * beta || !(norm > 0.0))
			break;  /* small enough, or exact: the residual lies in the basis */
	}
	krylov_step_of(&op, v, &kr, k, f);
}

/* The Newton step dz = M^-1 F into clear_f: M_ii = own_slope, and M_ij =
 * -(sigma - 1) Q_ij / d_i x dlog phi_j/dz_j, with Q_ij / d_i from the last
 * pass that stored them (it moves little with the prices: a chord method
 * off the diagonal, exact on it); solved whole up to clear_dense firms,
 * beyond as the solve's `step`th needs (structured_step()). */
static void newton_step(struct ts_sim *w, const clear_ctx *cx, int n, int step)
{
	double *g = w->clear_phi_slope;
	settle_cross_terms(w, cx);
	for (int q = 0; q < n; q++)
		g[q] = phi_slope(cx, w->clear_z[cx->firms[w->clear_list[q]]]);
	if (n > w->clear_dense) {
		structured_step(w, cx, n, step);
		return;
	}
	double *m = w->clear_jacobian;
	for (int r = 0; r < n; r++) {
		for (int q = 0; q < n; q++)
			m[r * n + q] = q == r ? own_slope(w, cx, r, g[r]) : -(cx->sigma - 1.0) * w->clear_matrix[r * n + q] * g[q];
	}
	solve_dense(m, w->clear_f, n);
}

/* Where a Newton step would take firm i: z + step, its log phi moved by at
 * most TS_CLEAR_MAX_MOVE (each firm clipped on its own, so that one far
 * from its solution does not hold the others back), z >= 0, and halved
 * back toward z while its final supply would not be positive there (it is
 * at z). *log_phi gets log phi at z. */
static double moved(struct ts_sim *w, const clear_ctx *cx, int i, double step, double *log_phi_at_z)
{
	double z = w->clear_z[i], next = ts_fmax(0.0, z + step);
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

/* The settings of sector k's clearing. */
static clear_ctx sector_context(const struct ts_sim *w, int k)
{
	TS_ASSERT(k >= 0 && k < w->ns);
	const ts_scenario *s = w->scn;
	clear_ctx cx = {
		.k = k, .nfs = w->sector_firm_count[k], .nms = w->sector_mseg_count[k], .m0 = w->sector_mseg_first[k],
		.f0 = w->sector_firm_first[k], .firms = w->sector_firms + w->sector_firm_first[k],
		.sigma = s->sectors[k].elasticity, .knee = s->model.capacity_knee, .steepness = s->model.capacity_steepness,
	};
	return cx;
}

void ts_clearing_cross_apply(struct ts_sim *w, int k, int n, const double *v, double *y)
{
	clear_ctx cx = sector_context(w, k);
	cross_apply(w, &cx, n, v, y);
}

int ts_clearing_terms(struct ts_sim *w, int k)
{
	clear_ctx cx = sector_context(w, k);
	firm_exceptions(w, &cx);
	clear_setup(w, &cx);
	int n = 0;
	for (int a = 0; a < cx.nfs; a++) {
		int i = cx.firms[a], active = w->clear_z[i] > 0.0;
		w->clear_index[i] = active ? n : -1;
		if (active)
			w->clear_list[n++] = a;
	}
	w->clear_cross_n = 0;
	full_pass(w, &cx, n, 1);
	active_pass(w, &cx, n, 1, 1);
	settle_cross_terms(w, &cx);
	return n;
}

int ts_clearing_solve(struct ts_sim *w, int k)
{
	clear_ctx cx = sector_context(w, k);
	int pass = warm_start(w, &cx);
	/* Newton iterations on the active firms alone, each over their cells
	 * only; a full pass whenever the active set changes and to confirm a
	 * solution, since the inactive firms' demand moves with the others'
	 * prices and one may cross its knee. */
	int changed, moved, n = 0, iterations = 0, full = 1, steps = 0;
	w->clear_cross_n = 0;
	firm_exceptions(w, &cx);
	clear_setup(w, &cx);
	full_pass(w, &cx, 0, 1);
	for (int limit = w->clear_stop_short ? 0 : TS_CLEAR_MAX_ITER; iterations < limit; iterations++) {
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
		newton_step(w, &cx, n, steps++);
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
