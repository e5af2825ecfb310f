/* R&D and technology (docs/model.md §8), after the K+S model of
 * Dosi, Fagiolo and Roventini (2010), "Schumpeter meeting Keynes", JEDC 34:
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
 * Every firm draws exactly four uniforms per step whatever happens, so runs
 * that differ only in policy share their random numbers. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
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

static double imitation_target(const struct ts_sim *w, int i, double u)
{
	const ts_scenario *s = w->scn;
	int k = s->firms[i].sector;
	int first = w->sector_firm_first[k], count = w->sector_firm_count[k];
	double total = 0.0;
	for (int n = first; n < first + count; n++) {
		int j = w->sector_firms[n];
		if (w->tech[j] > w->tech[i] && !w->tech_denied[s->firms[j].country * w->nf + i])
			total += 1.0 / (w->tech[j] - w->tech[i]);
	}
	if (total <= 0.0)
		return -INFINITY;
	double pick = u * total, acc = 0.0, last = -INFINITY;
	for (int n = first; n < first + count; n++) {
		int j = w->sector_firms[n];
		if (w->tech[j] > w->tech[i] && !w->tech_denied[s->firms[j].country * w->nf + i]) {
			acc += 1.0 / (w->tech[j] - w->tech[i]);
			last = w->tech[j];
			if (pick < acc)
				return w->tech[j];
		}
	}
	return last;  /* rounding at the top end */
}

void ts_innovation_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	const ts_model_params *p = &s->model;
	/* generic_tech describes w->tech: refreshed after last step's R&D. */
	for (int i = 0; i < w->nf; i++) {
		double u_innovate = gsl_rng_uniform(w->rng);
		double u_size = gsl_rng_uniform(w->rng);
		double u_imitate = gsl_rng_uniform(w->rng);
		double u_whom = gsl_rng_uniform(w->rng);
		double rd = w->rd_spending[i];
		double innovation = p->innovation_share * rd, imitation = (1.0 - p->innovation_share) * rd;
		double best = w->tech[i];
		if (u_innovate < 1.0 - exp(-p->innovation_zeta * innovation)) {
			double x = gsl_cdf_beta_Pinv(u_size, p->beta_a, p->beta_b);
			best = fmax(best, w->tech[i] + p->tech_step_min + (p->tech_step_max - p->tech_step_min) * x);
		}
		if (u_imitate < 1.0 - exp(-p->imitation_zeta * imitation)) {
			double target = imitation_target(w, i, u_whom);
			if (isfinite(target))
				best = fmax(best, w->tech[i] + p->imitation_fraction * (target - w->tech[i]));
		}
		w->ceiling[i] = tech_ceiling(w, i);
		w->tech_next[i] = fmax(w->tech[i], fmin(w->ceiling[i], best));
	}
	double *swap = w->tech;
	w->tech = w->tech_next;
	w->tech_next = swap;
}
