/* Order of sectors along the supply chain: buyers before their inputs. */
#include <stdio.h>
#include <stdlib.h>
#include "scenario/spec.h"
#include "util/assert.h"

/* "A, B, C": the sectors left out of order[0 .. n), into buf. */
static void cycle_names(const ts_scenario *s, const int *order, int n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < s->n_sectors && used + 1 < size; k++) {
		int ordered = 0;
		for (int j = 0; j < n; j++)
			ordered |= order[j] == k;
		if (!ordered)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", s->sectors[k].id);
	}
}

int ts_sector_order(int *order, int *n_ordered, const ts_scenario *s, ts_error *err)
{
	int ns = s->n_sectors;
	int *buyers = calloc(ns ? (size_t)ns : 1, sizeof *buyers); /* unordered buyers per sector */
	*n_ordered = 0;
	if (!buyers)
		return ts_error_set(err, TS_ENOMEM, "out of memory ordering sectors");
	for (int b = 0; b < ns; b++)
		for (int k = 0; k < s->sectors[b].n_inputs; k++) {
			int input = s->inputs[s->sectors[b].input_first + k].sector;
			TS_ASSERT(input >= 0 && input < ns);  /* the loader resolved every input */
			buyers[input]++;
		}
	/* Kahn's algorithm: take any sector no remaining sector buys from. */
	int n = 0, progressed = 1;
	while (n < ns && progressed) {
		progressed = 0;
		for (int x = 0; x < ns; x++) {
			if (buyers[x] != 0)
				continue;
			buyers[x] = -1;  /* taken */
			order[n++] = x;
			progressed = 1;
			for (int k = 0; k < s->sectors[x].n_inputs; k++)
				buyers[s->inputs[s->sectors[x].input_first + k].sector]--;
		}
	}
	free(buyers);
	*n_ordered = n;
	if (n == ns)
		return TS_OK;
	char names[512];
	cycle_names(s, order, n, names, sizeof names);
	return ts_error_set(err, TS_EINPUT, "critical inputs form a cycle among: %s", names);
}
