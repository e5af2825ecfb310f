/* What a stepped run holds now, by the names of its CSV tables
 * (tradesim/sim.h: ts_sim_value): the tables' own descriptors (tables.h),
 * so a program embedding the library reads exactly what the CSV says. */
#include <math.h>
#include <string.h>
#include <tradesim/sim.h>
#include "output/tables.h"

/* Row of `entity` in t at the current step, or -1. */
static int row_of(const ts_table *t, const struct ts_sim *w, const char *entity)
{
	char key[256];
	for (int r = 0; r < t->rows(w); r++) {
		ts_table_row_key(t, w, r, key, sizeof key);
		if (strcmp(key, entity) == 0)
			return r;
	}
	return -1;
}

int ts_sim_value(const ts_sim *sim, const char *table, const char *entity, const char *column, double *value,
                 ts_error *err)
{
	const struct ts_sim *w = (const struct ts_sim *)sim;
	const ts_table *t = ts_table_find(table);
	if (!t || !t->per_entity)
		return ts_error_set(err, TS_EINPUT, "ts_sim_value: no table '%s' (countries, firms, markets, relations)",
		                    table);
	if (ts_sim_current_step(sim) < 1)
		return ts_error_set(err, TS_EINPUT, "ts_sim_value: no step done yet");
	int col = -1;
	for (int c = t->n_keys; c < t->n_columns && col < 0; c++)
		if (strcmp(t->columns[c].name, column) == 0 && t->columns[c].type != TS_COL_TEXT)
			col = c;
	if (col < 0)
		return ts_error_set(err, TS_EINPUT, "ts_sim_value: no numeric column '%s' in %s", column, t->file);
	int row = row_of(t, w, entity);
	if (row < 0)
		return ts_error_set(err, TS_EINPUT, "ts_sim_value: no entity '%s' in %s", entity, t->file);
	double v = ts_table_value(t, w, row, col);
	*value = isfinite(v) ? v : NAN;  /* an empty cell */
	return TS_OK;
}
