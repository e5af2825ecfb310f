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
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
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
			best = fmax(best, t);
		}
		ceiling = fmin(ceiling, best + sec->ceiling_margin);
	}
	return ceiling;
}

/* The firm to imitate, for firm i now at `own` (its tech within the step):
 * the tech of a better firm of its sector, drawn by proximity; -inf if none. */
static double imitation_target(const struct ts_sim *w, int i, double own, double u)
{
	const ts_scenario *s = w->scn;
	int k = s->firms[i].sector;
	int first = w->sector_firm_first[k], count = w->sector_firm_count[k];
	double total = 0.0;
	for (int n = first; n < first + count; n++) {
		int j = w->sector_firms[n];
		if (w->tech[j] > own && !w->tech_denied[s->firms[j].country * w->nf + i])
			total += 1.0 / (w->tech[j] - own);
	}
	if (total <= 0.0)
		return -INFINITY;
	double pick = u * total, acc = 0.0, last = -INFINITY;
	for (int n = first; n < first + count; n++) {
		int j = w->sector_firms[n];
		if (w->tech[j] > own && !w->tech_denied[s->firms[j].country * w->nf + i]) {
			acc += 1.0 / (w->tech[j] - own);
			last = w->tech[j];
			if (pick < acc)
				return w->tech[j];
		}
	}
	return last;  /* rounding at the top end */
}

/* One month of firm i's R&D, from its tech `own` so far in the step: the
 * best of own, an innovation and an imitation, capped by the ceiling (which,
 * like the other firms' tech, is that of the start of the step). */
static double month_of_rd(struct ts_sim *w, int i, double own)
{
	const ts_model_params *p = &w->scn->model;
	double u_innovate = gsl_rng_uniform(w->rng);
	double u_size = gsl_rng_uniform(w->rng);
	double u_imitate = gsl_rng_uniform(w->rng);
	double u_whom = gsl_rng_uniform(w->rng);
	double rd_per_year = w->rd_spending[i] * w->scn->run.steps_per_year;
	double innovation = p->innovation_share * rd_per_year;
	double imitation = (1.0 - p->innovation_share) * rd_per_year;
	double best = own;
	/* Hazard zeta x R&D rate per year, over one month (timing.h). */
	if (u_innovate < ts_step_probability(p->innovation_zeta * innovation, 1.0 / 12.0)) {
		double x = gsl_cdf_beta_Pinv(u_size, p->beta_a, p->beta_b);
		best = fmax(best, own + p->tech_step_min + (p->tech_step_max - p->tech_step_min) * x);
	}
	if (u_imitate < ts_step_probability(p->imitation_zeta * imitation, 1.0 / 12.0)) {
		double target = imitation_target(w, i, own, u_whom);
		if (isfinite(target))
			best = fmax(best, own + p->imitation_fraction * (target - own));
	}
	return fmax(own, fmin(w->ceiling[i], best));
}

void ts_innovation_update(struct ts_sim *w)
{
	int months = 12 / w->scn->run.steps_per_year;
	/* generic_tech describes w->tech: refreshed after last step's R&D. */
	for (int i = 0; i < w->nf; i++) {
		w->ceiling[i] = tech_ceiling(w, i);
		w->tech_next[i] = w->tech[i];
	}
	for (int month = 0; month < months; month++)
		for (int i = 0; i < w->nf; i++)
			w->tech_next[i] = month_of_rd(w, i, w->tech_next[i]);
	double *swap = w->tech;
	w->tech = w->tech_next;
	w->tech_next = swap;
}
