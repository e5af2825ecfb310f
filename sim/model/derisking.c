/* De-risking (docs/model.md §17): how firms answer export controls they are
 * not themselves bound by. A supplier of a controlling country C withholds
 * a share of its sales to the firms of a controlled country D, and a buyer
 * of D moves a share of its inputs from C's suppliers to home or friendly
 * ones; both shares rise with the tension T_CD (§13) read at the end of the
 * last step, through the risk 1 - exp(-T) that also drives anticipation. */
#include <math.h>
#include <string.h>
#include "util/fminmax.h"
#include "model/timing.h"
#include "model/world.h"

/* Risk of the pair (a, b): 1 - exp(-T_ab), in [0, 1). */
static double pair_risk(const struct ts_sim *w, int a, int b)
{
	return -expm1(-w->tension[a * w->nc + b]);
}

/* Whether country a has an export control in force on a firm of b. */
static int controls(const struct ts_sim *w, int a, int b)
{
	return a != b && w->controls_on[a * w->nc + b];
}

/* A supplier of country c is friendly to a buyer of d when it is at home,
 * or in d's bloc and not controlling d. */
static int friendly(const struct ts_sim *w, int c, int d)
{
	return c == d || (!controls(w, c, d) && w->same_bloc[c * w->nc + d]);
}

void ts_derisk_init(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int a = 0; a < w->nc; a++)
		for (int b = 0; b < w->nc; b++) {
			const char *bloc = s->countries[b].bloc;
			w->same_bloc[a * w->nc + b] = a != b && bloc[0] != '\0' && strcmp(bloc, s->countries[a].bloc) == 0;
		}
}

/* §17, suppliers: link l from a supplier of C to a firm of D under C's
 * controls loses derisk_suppliers x (1 - exp(-T_CD)) of its flow (a firm's
 * own setting, generic producers their country's). */
static void cut_supplier_links(struct ts_sim *w, int i)
{
	const ts_scenario *s = w->scn;
	const ts_firm_spec *f = &s->firms[i];
	for (int q = f->slot_first; q < f->slot_first + s->sectors[f->sector].n_inputs; q++) {
		const ts_slot_spec *slot = &s->slots[q];
		for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
			const ts_link_spec *link = &s->links[l];
			int c = link->supplier_country;
			double derisk = link->supplier_firm >= 0 ? s->firms[link->supplier_firm].derisk_suppliers
			                                         : s->countries[c].derisk_suppliers;
			w->derisk_cut[l] = derisk > 0.0 && controls(w, c, f->country)
			                           ? derisk * pair_risk(w, c, f->country) : 0.0;
		}
	}
}

/* §17, buyers: the target share of slot q to move, b = derisk_buyers x
 * sum over links from controlling countries C of (flowing share) x (1 -
 * exp(-T_CD)); the shifted share x follows dx/dt = kappa (b - x) at the
 * substitution half-life (§4; it drops to b at once when b falls below it)
 * and the step uses its mean. Each controlling link gives up its part of x
 * in proportion to its part of b; friendly links take x in proportion to
 * their flowing shares, home generic producers when there are none. */
static void shift_slot(struct ts_sim *w, int q, double derisk, ts_resourcing r)
{
	const ts_scenario *s = w->scn;
	const ts_slot_spec *slot = &s->slots[q];
	int d = s->firms[slot->firm].country;
	double target = 0.0, friendly_share = 0.0;
	for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
		int c = s->links[l].supplier_country;
		double flowing = s->links[l].share * (1.0 - ts_link_cut(w, l));
		if (controls(w, c, d))
			target += flowing * derisk * pair_risk(w, c, d);
		else if (friendly(w, c, d))
			friendly_share += flowing;
	}
	double start = ts_fmin(w->shift_end[q], target);
	w->shift_end[q] = target - (target - start) * r.keep;
	double mean = target - (target - start) * r.mean_keep;
	w->shifted[q] = mean;
	w->shift_generic[q] = friendly_share > 0.0 ? 0.0 : mean;
	for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++) {
		int c = s->links[l].supplier_country;
		double flowing = s->links[l].share * (1.0 - ts_link_cut(w, l));
		if (controls(w, c, d))
			w->link_shift[l] = target > 0.0 ? -flowing * derisk * pair_risk(w, c, d) * mean / target : 0.0;
		else
			w->link_shift[l] = friendly_share > 0.0 && friendly(w, c, d) ? mean * flowing / friendly_share : 0.0;
	}
}

void ts_derisk_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++) {
		const ts_firm_spec *f = &s->firms[i];
		int n_slots = s->sectors[f->sector].n_inputs;
		if (n_slots == 0)
			continue;
		cut_supplier_links(w, i);
		if (!(f->derisk_buyers > 0.0))
			continue;
		ts_resourcing r = { w->resource_keep[i], w->resource_mean_keep[i] };
		double weighted = 0.0, weights = 0.0;
		for (int q = f->slot_first; q < f->slot_first + n_slots; q++) {
			shift_slot(w, q, f->derisk_buyers, r);
			weighted += s->slots[q].cost_share * w->shifted[q];
			weights += s->slots[q].cost_share;
		}
		w->input_shift[i] = weighted / weights;
	}
}
