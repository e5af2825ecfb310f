/* R&D and technology (docs/model.md §8), after the K+S model of
 * Dosi, Fagiolo and Roventini (2010), "Schumpeter meeting Keynes", JEDC 34,
 * on a clock of one month whatever the step (§8, "Time"): a step of k months
 * makes k monthly draws, with the month's R&D (the yearly rate over 12):
 *   IN = xi RD, IM = (1 - xi) RD
 *   P(innovation) = 1 - exp(-zeta_in IN): tech' = tech + x,
 *       x ~ Beta(a, b) scaled to [tech_step_min, tech_step_max]
 *   P(imitation)  = 1 - exp(-zeta_im IM): move toward a better firm of the
 *       sector, drawn with probability proportional to technological
 *       proximity 1 / |tech_j - tech_i|, closing imitation_fraction of the
 *       gap (1 = K+S's full copy); a firm cannot imitate firms of a country
 *       that controls exports to it.
 * A firm keeps the best of old and new, capped by its ceiling: the best input
 * technology it can still get plus the sector's ceiling_margin (SMIC's 7 nm
 * "push[es] lithography machines close to their limits", seed 000).
 * Every firm draws exactly four uniforms per month whatever happens, months
 * in order and firms in file order within a month, so runs that differ only
 * in policy, or only in the length of their step, share their random
 * numbers. */
#include <math.h>
#include "util/fminmax.h"
#include "model/innovation_sizes.h"
#include "model/timing.h"
#include "model/world.h"

/* Best technology of input sector k that firm i can still buy (links not
 * blocked, plus home producers), plus the margin; +inf without inputs. */
static double tech_ceiling(const struct ts_sim *w, int i)
{
	const ts_scenario *s = w->scn;
	const ts_firm_spec *f = &s->firms[i];
	const ts_sector_spec *sec = &s->sectors[f->sector];
	double ceiling = INFINITY;
	for (int q = f->slot_first; q < f->slot_first + sec->n_inputs; q++) {
		const ts_slot_spec *slot = &s->slots[q];
		double best = w->generic_tech[f->country * w->ns + slot->input_sector];
		for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
			if (w->link_cut[l] >= 1.0)  /* a licensed share still brings the technology */
				continue;
			const ts_link_spec *link = &s->links[l];
			double t = link->supplier_firm >= 0 ? w->tech[link->supplier_firm]
			           : w->generic_tech[link->supplier_country * w->ns + slot->input_sector];
			best = ts_fmax(best, t);
		}
		ceiling = ts_fmin(ceiling, best + sec->ceiling_margin);
	}
	return ceiling;
}

/* The firm to imitate, for firm i now at `own` (its tech within the step):
 * the tech of a better firm of its sector, drawn by proximity; -inf if none.
 * The proximities are summed in sector order, each sum so far kept
 * (imitation_weight, by position in the sector; a firm no better adds 0,
 * which leaves it as it was); the draw is the first firm whose sum so far
 * exceeds u x the total, found by bisection (the sums never fall, and the
 * one where they first pass it rose there: a candidate), or the last
 * candidate where rounding leaves none. The sector's techs are read from
 * sector_tech (the step's, in sector order), and the countries' denials
 * only for a firm some country denies. */
static double imitation_target(struct ts_sim *w, int i, double own, double u)
{
	int k = w->scn->firms[i].sector;
	int first = w->sector_firm_first[k], count = w->sector_firm_count[k], last = -1;
	const double *tech = w->sector_tech + first;
	double *sums = w->imitation_weight + first, total = 0.0;
	if (w->tech_denied_any[i]) {
		const unsigned char *denied = w->tech_denied + i;  /* [c * nf]: c denies firm i */
		const int *home = w->sector_home + first;
		for (int n = 0; n < count; n++) {
			int candidate = tech[n] > own && !denied[(size_t)home[n] * (size_t)w->nf];
			total += candidate ? 1.0 / (tech[n] - own) : 0.0;
			sums[n] = total;
			last = candidate ? n : last;
		}
	} else {
		for (int n = 0; n < count; n++) {
			int candidate = tech[n] > own;
			total += candidate ? 1.0 / (tech[n] - own) : 0.0;
			sums[n] = total;
			last = candidate ? n : last;
		}
	}
	if (total <= 0.0)
		return -INFINITY;
	double pick = u * total;
	int lo = 0, hi = count;  /* the first n with sums[n] > pick, in [lo, hi] */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (sums[mid] > pick)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo < count ? tech[lo] : tech[last];  /* rounding at the top end */
}

/* One month of firm i's R&D, from its tech `own` so far in the step: the
 * best of own, an innovation and an imitation, capped by the ceiling (which,
 * like the other firms' tech, is that of the start of the step). */
static double month_of_rd(struct ts_sim *w, int i, double own)
{
	const ts_model_params *p = &w->scn->model;
	double u_innovate = ts_mt19937_uniform(&w->rng);
	double u_size = ts_mt19937_uniform(&w->rng);
	double u_imitate = ts_mt19937_uniform(&w->rng);
	double u_whom = ts_mt19937_uniform(&w->rng);
	double best = own;
	if (u_innovate < w->rd_p_innovate[i]) {
		double x = ts_innovation_size_quantile(w->innovation_sizes, u_size, &w->size_shape);
		best = ts_fmax(best, own + p->tech_step_min + (p->tech_step_max - p->tech_step_min) * x);
	}
	if (u_imitate < w->rd_p_imitate[i]) {
		double target = imitation_target(w, i, own, u_whom);
		if (isfinite(target))
			best = ts_fmax(best, own + p->imitation_fraction * (target - own));
	}
	return ts_fmax(own, ts_fmin(w->ceiling[i], best));
}

/* §8.1: D_i, the share of firm i's scarcest critical input cut off by
 * export controls this step (the licensed share excepted; before
 * re-sourcing and stockpiles, which keep output but not the technology),
 * 0 for a firm without critical inputs. */
static double denial(const struct ts_sim *w, int i)
{
	const ts_firm_spec *f = &w->scn->firms[i];
	double d = 0.0;
	for (int q = f->slot_first; q < f->slot_first + w->scn->sectors[f->sector].n_inputs; q++)
		d = ts_fmax(d, w->controlled[q]);
	return ts_fmin(1.0, d);
}

void ts_innovation_init(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	double dt = 1.0 / s->run.steps_per_year;
	w->size_shape = ts_beta_shape_of(s->model.beta_a, s->model.beta_b);
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		w->rd_level[i] = w->rd_applied[i] = f->rd_intensity;
		w->rd_gap0[i] = w->frontier[f->sector] - w->tech[i];
		/* dx/dt = kappa (T - x), kappa = ln 2 / half-life: over a step the
		 * gap keeps exp(-kappa dt) and its mean over the step is
		 * (1 - keep) / (kappa dt) of where it began (timing.h). */
		double keep = 1.0 - ts_step_share_of_half_life(f->dynamics.rd_response_half_life, dt);
		double kappa_dt = -log(keep);  /* +inf at a half-life of 0 */
		w->rd_keep[i] = keep;
		w->rd_mean_keep[i] = kappa_dt > 0.0 ? -expm1(-kappa_dt) / kappa_dt : 1.0;
	}
	for (int c = 0; c < w->nc; c++) {
		const ts_country_spec *country = &s->countries[c];
		for (int n = 0; n < country->n_support_sectors; n++)
			w->denial_sector[c * w->ns + s->measure_sectors[country->support_sector_first + n]] = 1;
	}
}

/* docs/model.md §8.1: each firm's R&D intensity moves toward
 *   T_i = min(0.99, rd_intensity_i (1 + rd_denial_response_i D_i + rd_gap_response_i G_i))
 * with G_i = max(0, frontier - tech_i - gap at step 0), at its half-life;
 * the step spends the path's mean over the step, so that three months
 * spend what a quarter does. Also each country's largest D and its firms'
 * revenue and capacity weighted by D, for the support that follows denial. */
void ts_innovation_intensity(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int c = 0; c < w->nc; c++)
		w->rd_denial_max[c] = w->rd_denied_revenue[c] = w->rd_denied_capacity[c] = 0.0;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		const ts_firm_dynamics *d = &f->dynamics;
		double D = denial(w, i);
		double G = ts_fmax(0.0, w->frontier[f->sector] - w->tech[i] - w->rd_gap0[i]);
		double target = ts_fmin(0.99, f->rd_intensity * (1.0 + d->rd_denial_response * D + d->rd_gap_response * G));
		w->rd_applied[i] = target - (target - w->rd_level[i]) * w->rd_mean_keep[i];
		w->rd_level[i] = target - (target - w->rd_level[i]) * w->rd_keep[i];
		w->rd_denial[i] = D;
		w->rd_denial_max[f->country] = ts_fmax(w->rd_denial_max[f->country], D);
		w->rd_denied_revenue[f->country] += D * w->revenue[i];
		w->rd_denied_capacity[f->country] += D * w->capacity_eff[i];
	}
}

/* A month's chances of firm i, the same every month of the step: hazard
 * zeta x R&D rate per year, over one month (timing.h). */
static void month_chances(struct ts_sim *w, int i)
{
	const ts_model_params *p = &w->scn->model;
	double rd_per_year = w->rd_spending[i] * w->scn->run.steps_per_year;
	double innovation = p->innovation_share * rd_per_year;
	double imitation = (1.0 - p->innovation_share) * rd_per_year;
	w->rd_p_innovate[i] = ts_step_probability(p->innovation_zeta * innovation, 1.0 / 12.0);
	w->rd_p_imitate[i] = ts_step_probability(p->imitation_zeta * imitation, 1.0 / 12.0);
}

void ts_innovation_update(struct ts_sim *w)
{
	int months = 12 / w->scn->run.steps_per_year;
	/* generic_tech describes w->tech: refreshed after last step's R&D. */
	for (int n = 0; n < w->nf; n++)
		w->sector_tech[n] = w->tech[w->sector_firms[n]];
	for (int i = 0; i < w->nf; i++) {
		w->ceiling[i] = tech_ceiling(w, i);
		w->tech_next[i] = w->tech[i];
		month_chances(w, i);
	}
	for (int month = 0; month < months; month++)
		for (int i = 0; i < w->nf; i++)
			w->tech_next[i] = month_of_rd(w, i, w->tech_next[i]);
	double *swap = w->tech;
	w->tech = w->tech_next;
	w->tech_next = swap;
}
