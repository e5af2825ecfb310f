/* What the loader and the engine share about rules and alliance pressure
 * (docs/model.md §10-§13): questions about the scenario alone, so that the
 * loader can size the run's tables without calling into the model. */
#include <string.h>
#include "scenario/policy.h"
#include "util/assert.h"

bool ts_policy_kind_is_aimed(ts_measure_kind kind)
{
	return kind != TS_MEASURE_RD_INVESTMENT && kind != TS_MEASURE_SUBSIDY &&
	       kind != TS_MEASURE_CAPACITY_INVESTMENT && kind != TS_MEASURE_ALLIANCE_PRESSURE;
}

int ts_measure_target_country(const ts_scenario *s, const ts_measure_spec *m)
{
	TS_ASSERT(m->target_firm < s->n_firms && m->target_country < s->n_countries);
	return m->target_firm >= 0 ? s->firms[m->target_firm].country : m->target_country;
}

int ts_policy_pressure_allies(const ts_scenario *s, int measure, int *out)
{
	TS_ASSERT(measure >= 0 && measure < s->n_measures);
	const ts_measure_spec *p = &s->measures[measure];
	if (p->kind != TS_MEASURE_ALLIANCE_PRESSURE || p->actor < 0 || p->pressed_measure < 0 ||
	    p->pressed_measure >= s->n_measures)
		return 0;
	int pressed_target = ts_measure_target_country(s, &s->measures[p->pressed_measure]);
	const char *bloc = s->countries[p->actor].bloc;
	int n = 0, candidates = p->n_allies > 0 ? p->n_allies : s->n_countries;
	for (int k = 0; k < candidates; k++) {
		int c = p->n_allies > 0 ? s->measure_allies[p->ally_first + k] : k;
		if (p->n_allies == 0 && !(bloc && bloc[0] && s->countries[c].bloc &&
					  strcmp(s->countries[c].bloc, bloc) == 0))
			continue;
		if (c == p->actor || c == pressed_target)  /* never against itself */
			continue;
		if (out)
			out[n] = c;
		n++;
	}
	return n;
}

int ts_policy_pressure_pairs(const ts_scenario *s)
{
	int n = 0;
	for (int j = 0; j < s->n_measures; j++)
		n += ts_policy_pressure_allies(s, j, NULL);
	return n;
}

int ts_policy_dynamic_slots(const ts_scenario *s)
{
	return s->n_rule_menu + ts_policy_pressure_pairs(s);
}
