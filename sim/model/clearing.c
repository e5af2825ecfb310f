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
 * TS_CLEAR_MAX_MOVE. Newton because the common price level of firms at
 * capacity is a slow mode for a firm-by-firm iteration (each round closes
 * only 1 - 1/elasticity of the gap), and because the Jacobian is cheap: the
 * active firms are few. Gross substitutes make the matrix an M-matrix up to
 * column scaling, so it is never singular for z > 0. */
#include <math.h>
#include "util/assert.h"
#include "model/world.h"

#define TS_CLEAR_TOLERANCE 1e-10  /* |log excess demand| at a solution */
#define TS_CLEAR_MAX_ITER 60
#define TS_CLEAR_MAX_MOVE 0.5     /* largest change of log phi in one Newton step */

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
	int k, nfs, nms, m0;
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

/* d log supply / dz = 1 / (u0 + z) - 1 / (1 + z). */
static double supply_slope(const clear_ctx *cx, double z)
{
	return (1.0 - cx->knee) / ((1.0 + z) * (cx->knee + z));
}

/* Shares of spending and real demand of one segment at the current phi
 * (a firm rationed by its inputs sells its fixed sales and takes no share;
 * the others share the rest of the segment's spending);
 * with the Newton terms C_i = sum_g c_ig, c_ig = E r s_ig / phi,
 * D_i = sum_g c_ig s_ig, and for the first n_dense active firms the dense
 * block Q_ij += c_ig s_jg. */
static void clear_segment(struct ts_sim *w, const clear_ctx *cx, int b, int n_dense)
{
	const ts_mseg *ms = &w->msegs[cx->m0 + b];
	size_t at = w->sales_offset[cx->k] + (size_t)b * (size_t)cx->nfs;
	double *row = w->clear_share + at;
	const double *ties = w->relation + at, *wedge = w->wedge_weight + at, *receipt = w->receipt_share + at;
	double total = 0.0, demand = w->demand[cx->m0 + b];
	const double *fixed = w->sales + at;  /* the sales of firms rationed by their inputs (market.c) */
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		row[a] = 0.0;
		if (ts_market_rationed(w, i))
			demand -= fixed[a];  /* fixed: the others share what it leaves */
		if (!ts_market_able(w, ms, i) || ts_market_rationed(w, i))
			continue;
		row[a] = ties[a] * w->base_weight[i] * wedge[a] * w->factor_weight[i];
		if (w->scn->firms[i].country == ms->country)
			row[a] *= w->home_mult[ms->country];
		total += row[a];
	}
	if (!(total > 0.0))
		return;  /* no variety able to sell: unmet (market.c) */
	for (int q = 0; q < n_dense; q++)
		w->clear_star[q] = row[w->clear_list[q]] / total;
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		if (row[a] <= 0.0)
			continue;
		row[a] /= total;
		double c = demand * row[a] * receipt[a] / w->price_factor[i];
		w->desired[i] += c;
		int r = w->clear_index[i];
		if (r < 0)
			continue;  /* no Newton terms for a firm at the flat end */
		w->clear_c[i] += c;
		w->clear_cs[i] += c * row[a];
		for (int q = 0; r < n_dense && q < n_dense; q++)
			w->clear_matrix[r * n_dense + q] += c * w->clear_star[q];
	}
}

/* One pass over sector k at the current phi: clear_share, desired (real
 * demand) and the Newton terms. */
static void clear_pass(struct ts_sim *w, const clear_ctx *cx, int n_active)
{
	int n_dense = n_active < w->clear_dense ? n_active : w->clear_dense;
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		w->desired[i] = w->clear_c[i] = w->clear_cs[i] = 0.0;
	}
	for (int x = 0; x < n_dense * n_dense; x++)
		w->clear_matrix[x] = 0.0;
	for (int b = 0; b < cx->nms; b++)
		clear_segment(w, cx, b, n_dense);
}

static void set_tightness(struct ts_sim *w, const clear_ctx *cx, int i, double z)
{
	w->clear_z[i] = z;
	w->price_factor[i] = factor_at(cx, z);
	w->factor_weight[i] = z > 0.0 ? pow(w->price_factor[i], 1.0 - cx->sigma) : 1.0;
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
 * (one without demand keeps its phi: nothing sets it). Returns the count
 * and whether the set changed. */
static int mark_active(struct ts_sim *w, const clear_ctx *cx, int *changed)
{
	int n = 0;
	*changed = 0;
	for (int a = 0; a < cx->nfs; a++) {
		int i = cx->firms[a];
		double d = w->desired[i];
		int active = d > 0.0 && (w->clear_z[i] > 0.0 || d > supply_at(w, cx, i, 0.0) * (1.0 + TS_CLEAR_TOLERANCE));
		if (active != (w->clear_index[i] >= 0))
			*changed = 1;
		if (active && !(w->clear_z[i] > 0.0))
			set_tightness(w, cx, i, entry_tightness(w, cx, i, d));
		else if (!active && d > 0.0 && w->clear_z[i] > 0.0)
			set_tightness(w, cx, i, 0.0);
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
		w->clear_f[q] = log(w->desired[i]) - log(supply_at(w, cx, i, w->clear_z[i]));
		converged = converged && fabs(w->clear_f[q]) <= TS_CLEAR_TOLERANCE;
	}
	return converged;
}

/* -dF_i/dz_i: the demand's fall through phi (own price, own share) and
 * the supply's rise with z. */
static double own_slope(const struct ts_sim *w, const clear_ctx *cx, int i)
{
	double z = w->clear_z[i], d = w->desired[i];
	double g = 2.0 * cx->steepness * z / factor_at(cx, z);  /* d log phi / dz */
	double elasticity = 1.0 + (cx->sigma - 1.0) * (w->clear_c[i] - w->clear_cs[i]) / d;
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
 * dense block M_ij = -(sigma - 1) Q_ij / d_i x dlog phi_j/dz_j. */
static void newton_step(struct ts_sim *w, const clear_ctx *cx, int n)
{
	int nd = n < w->clear_dense ? n : w->clear_dense;
	for (int r = 0; r < nd; r++) {
		int i = cx->firms[w->clear_list[r]];
		for (int q = 0; q < nd; q++) {
			int j = cx->firms[w->clear_list[q]];
			double g = 2.0 * cx->steepness * w->clear_z[j] / factor_at(cx, w->clear_z[j]);
			w->clear_matrix[r * nd + q] = q == r ? own_slope(w, cx, i)
			                                     : -(cx->sigma - 1.0) * w->clear_matrix[r * nd + q] / w->desired[i] * g;
		}
	}
	solve_dense(w->clear_matrix, w->clear_f, nd);
	for (int q = nd; q < n; q++) {  /* beyond the dense block: each on its own */
		double slope = own_slope(w, cx, cx->firms[w->clear_list[q]]);
		w->clear_f[q] = slope > 0.0 ? w->clear_f[q] / slope : 0.0;
	}
}

/* Where a Newton step would take firm i: z + step, its log phi moved by at
 * most TS_CLEAR_MAX_MOVE (each firm clipped on its own, so that one far
 * from its solution does not hold the others back), z >= 0, and halved
 * back toward z while its final supply would not be positive there (it is
 * at z). */
static double moved(const struct ts_sim *w, const clear_ctx *cx, int i, double step)
{
	double z = w->clear_z[i], next = fmax(0.0, z + step);
	double log_phi = log(factor_at(cx, z)), log_next = log(factor_at(cx, next));
	if (fabs(log_next - log_phi) > TS_CLEAR_MAX_MOVE) {
		double phi = exp(log_phi + (log_next > log_phi ? TS_CLEAR_MAX_MOVE : -TS_CLEAR_MAX_MOVE));
		next = phi > 1.0 ? sqrt((phi - 1.0) / cx->steepness) : 0.0;
	}
	for (int halving = 0; halving < 60 && !(supply_at(w, cx, i, next) > 0.0); halving++)
		next = 0.5 * (next + z);
	return next;
}

static void take_step(struct ts_sim *w, const clear_ctx *cx, int n)
{
	for (int q = 0; q < n; q++) {
		int i = cx->firms[w->clear_list[q]];
		set_tightness(w, cx, i, moved(w, cx, i, w->clear_f[q]));
	}
}

int ts_clearing_solve(struct ts_sim *w, int k)
{
	TS_ASSERT(k >= 0 && k < w->ns);
	const ts_scenario *s = w->scn;
	clear_ctx cx = {
		.k = k, .nfs = w->sector_firm_count[k], .nms = w->sector_mseg_count[k], .m0 = w->sector_mseg_first[k],
		.firms = w->sector_firms + w->sector_firm_first[k], .sigma = s->sectors[k].elasticity,
		.knee = s->model.capacity_knee, .steepness = s->model.capacity_steepness,
	};
	for (int a = 0; a < cx.nfs; a++) {  /* warm start: last step's phi */
		int i = cx.firms[a];
		set_tightness(w, &cx, i, w->price_factor[i] > 1.0 ? sqrt((w->price_factor[i] - 1.0) / cx.steepness) : 0.0);
		w->clear_index[i] = -1;
	}
	int changed, n = 0, iterations = 0;
	clear_pass(w, &cx, 0);
	for (; iterations < TS_CLEAR_MAX_ITER; iterations++) {
		n = mark_active(w, &cx, &changed);
		if (!changed && residuals(w, &cx, n))
			break;
		if (!changed) {
			newton_step(w, &cx, n);
			take_step(w, &cx, n);
		}
		clear_pass(w, &cx, n);
	}
	return iterations;
}
