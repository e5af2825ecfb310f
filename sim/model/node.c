/* Process-node labels (docs/model.md §14): a chip maker's log-tech read as a
 * feature size. Each full node shrinks features about 0.7x (doubling
 * density), so a firm at tech is at
 *     nm = reference_nm * 0.7^((tech - reference_tech) / tech_per_node),
 * labelled with the nearest standard node (nearest on a log scale, since
 * nodes are spaced by ratios), clamped to 250nm .. 2nm. */
#include <math.h>
#include "model/world.h"

static const double node_nm[] = {
	250, 180, 130, 90, 65, 45, 40, 32, 28, 22, 20, 16, 14, 10, 7, 5, 3, 2,
};
static const char *const node_names[] = {
	"250nm", "180nm", "130nm", "90nm", "65nm", "45nm", "40nm", "32nm", "28nm", "22nm", "20nm",
	"16nm", "14nm", "10nm", "7nm", "5nm", "3nm", "2nm",
};

double ts_node_nm(const ts_sector_spec *sec, double tech)
{
	if (!sec->has_node)
		return NAN;
	return sec->node_reference_nm * pow(0.7, (tech - sec->node_reference_tech) / sec->node_tech_per_node);
}

const char *ts_node_label(const ts_sector_spec *sec, double tech)
{
	double nm = ts_node_nm(sec, tech);
	if (!(nm > 0.0))  /* no node group, or NaN tech */
		return sec->has_node && isinf(tech) ? (tech > 0 ? "2nm" : "250nm") : "";
	double x = log(nm), best_distance = INFINITY;
	int best = 0;
	for (int k = 0; k < (int)(sizeof node_nm / sizeof node_nm[0]); k++) {
		double distance = fabs(x - log(node_nm[k]));
		if (distance < best_distance) {
			best_distance = distance;
			best = k;
		}
	}
	return node_names[best];
}
