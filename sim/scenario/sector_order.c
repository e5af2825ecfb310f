/* Order of sectors along the supply chain: buyers before their inputs. */
#include <stdlib.h>
#include "scenario/spec.h"
#include "util/assert.h"

int ts_sector_order(const ts_scenario *s, int *order, int *n_ordered)
{
	int ns = s->n_sectors;
	int *buyers = calloc(ns ? (size_t)ns : 1, sizeof *buyers); /* unordered buyers per sector */
	*n_ordered = 0;
	if (!buyers)
		return -2;
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
	return n == ns ? 0 : -1;
}
