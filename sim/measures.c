/* Scheduled measures: start and end them, and turn the set in force into the
 * masks the other phases read (docs/model.md §3). */
#include <limits.h>
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

static void apply_ban(struct ts_sim *w, const ts_measure_spec *m, int actor, unsigned char bits)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++)
		if (targets_firm(s, m, i) && covers_sector(s, m, s->firms[i].sector))
			w->ban[actor * w->nf + i] |= bits;
}

/* The actor's firms and generic producers stop supplying the target in the
 * covered input sectors; the actor also withholds technology (imitation). */
static void apply_export_control(struct ts_sim *w, const ts_measure_spec *m, int actor)
{
	const ts_scenario *s = w->scn;
	for (int i = 0; i < w->nf; i++) {
		if (!targets_firm(s, m, i))
			continue;
		w->tech_denied[actor * w->nf + i] = 1;
		const ts_firm_spec *f = &s->firms[i];
		int n_slots = s->sectors[f->sector].n_inputs;
		for (int q = f->slot_first; q < f->slot_first + n_slots; q++) {
			const ts_slot_spec *slot = &s->slots[q];
			if (!covers_sector(s, m, slot->input_sector))
				continue;
			for (int l = slot->link_first; l < slot->link_first + slot->n_links; l++)
				if (s->links[l].supplier_country == actor)
					w->link_blocked[l] = 1;
		}
	}
}

static void apply_rd_investment(struct ts_sim *w, const ts_measure_spec *m, int actor)
{
	for (int k = 0; k < w->ns; k++)
		if (covers_sector(w->scn, m, k))
			w->support_per_year[actor * w->ns + k] += m->budget;
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
	for (int j = 0; j < w->n_minst; j++) {
		if (!w->minst[j].active)
			continue;
		const ts_measure_spec *m = &s->measures[w->minst[j].spec];
		int actor = w->minst[j].actor;
		switch (m->kind) {
		case TS_MEASURE_MARKET_BAN:
			apply_ban(w, m, actor, (1u << TS_SEG_COUNT) - 1u);
			break;
		case TS_MEASURE_PROCUREMENT_BAN:
			apply_ban(w, m, actor, (unsigned char)(1u << m->segment));
			break;
		case TS_MEASURE_EXPORT_CONTROL:
			apply_export_control(w, m, actor);
			break;
		case TS_MEASURE_RD_INVESTMENT:
			apply_rd_investment(w, m, actor);
			break;
		default:  /* kinds the loader does not accept yet */
			break;
		}
	}
}

int ts_measures_add(struct ts_sim *w, int spec, int actor, int start, int end,
                    const char *id, const char *cause)
{
	if (w->n_minst >= w->cap_minst)
		return -1;
	w->minst[w->n_minst] = (ts_minst){ .spec = spec, .actor = actor, .start = start, .end = end,
	                                   .id = id, .cause = cause ? cause : "", .end_cause = "",
	                                   .active = 0 };
	return w->n_minst++;
}

/* Events of the step are the instances whose state changed (appended to
 * those of the step so far; the engine empties the list as a step begins). */
void ts_measures_update(struct ts_sim *w)
{
	int changed = 0;
	for (int j = 0; j < w->n_minst; j++) {
		ts_minst *x = &w->minst[j];
		unsigned char now = (unsigned char)(w->step >= x->start && w->step < x->end);
		if (now == x->active)
			continue;
		x->active = now;
		w->events[w->n_events].inst = j;
		w->events[w->n_events].action = now ? TS_EVENT_START : TS_EVENT_END;
		w->events[w->n_events].cause = now ? x->cause : x->end_cause;
		w->n_events++;
		changed = 1;
	}
	if (changed)
		rebuild_masks(w);
}
