/* Scheduled measures: start and end them, and turn the set in force into the
 * masks the other phases read (docs/model.md §3). */
#include <string.h>
#include "world.h"

static int covers_sector(const ts_scenario *s, const ts_measure_spec *m, int sector)
{
	if (m->n_sectors == 0)
		return 1;
	for (int k = 0; k < m->n_sectors; k++)
		if (s->measure_sectors[m->sector_first + k] == sector)
			return 1;
	return 0;
}

static int targets_firm(const ts_scenario *s, const ts_measure_spec *m, int firm)
{
	if (m->target_firm >= 0)
		return m->target_firm == firm;
	return m->target_country >= 0 && s->firms[firm].country == m->target_country;
}

static void apply_ban(struct ts_sim *w, const ts_measure_spec *m, unsigned char bits)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++)
		if (targets_firm(s, m, i) && covers_sector(s, m, s->firms[i].sector))
			w->ban[m->actor * w->nf + i] |= bits;
}

/* The actor's firms and generic producers stop supplying the target in the
 * covered input sectors; the actor also withholds technology (imitation). */
static void apply_export_control(struct ts_sim *w, const ts_measure_spec *m)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++) {
		if (!targets_firm(s, m, i))
			continue;
		w->tech_denied[m->actor * w->nf + i] = 1;
		const ts_firm_spec *f = &s->firms[i];
		int n_slots = s->sectors[f->sector].n_inputs;
		for (int q = f->slot_first; q < f->slot_first + n_slots; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			if (!covers_sector(s, m, slot->input_sector))
				continue;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++)
				if (s->links[l].supplier_country == m->actor)
					w->link_blocked[l] = 1;
		}
	}
}

static void apply_rd_investment(struct ts_sim *w, const ts_measure_spec *m)
{
	for (int k = 0; k < w->ns; k++)
		if (covers_sector(w->scn, m, k))
			w->support_per_year[m->actor * w->ns + k] += m->budget;
}

static void rebuild_masks(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	size_t ncf = (size_t)w->nc * (size_t)w->nf;
	memset(w->ban, 0, ncf);
	memset(w->tech_denied, 0, ncf);
	memset(w->link_blocked, 0, (size_t)w->nlinks);
	for (int x = 0; x < w->nc * w->ns; x++)
		w->support_per_year[x] = 0.0;
	for (int j = 0; j < w->nm; j++) {
		if (!w->measure_active[j])
			continue;
		const ts_measure_spec *m = &s->measures[j];
		switch (m->kind) {
		case TS_MEASURE_MARKET_BAN:
			apply_ban(w, m, (1u << TS_SEG_COUNT) - 1u);
			break;
		case TS_MEASURE_PROCUREMENT_BAN:
			apply_ban(w, m, (unsigned char)(1u << m->segment));
			break;
		case TS_MEASURE_EXPORT_CONTROL:
			apply_export_control(w, m);
			break;
		case TS_MEASURE_RD_INVESTMENT:
			apply_rd_investment(w, m);
			break;
		case TS_MEASURE_KIND_COUNT:
			break;
		}
	}
}

void ts_measures_update(struct ts_sim *w)
{
	const ts_scenario *s = w->scn;
	int changed = 0;
	w->n_events = 0;
	for (int j = 0; j < w->nm; j++) {
		const ts_measure_spec *m = &s->measures[j];
		unsigned char now = (unsigned char)(w->step >= m->start && w->step < m->end);
		if (now == w->measure_active[j])
			continue;
		w->measure_active[j] = now;
		w->events[w->n_events].measure = j;
		w->events[w->n_events].action = now ? TS_EVENT_START : TS_EVENT_END;
		w->n_events++;
		changed = 1;
	}
	if (changed)
		rebuild_masks(w);
}
