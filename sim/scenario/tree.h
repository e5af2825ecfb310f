#ifndef TS_TREE_H
#define TS_TREE_H
/* The effective scenario tree: the libconfig tree after includes and
 * overrides, which ts_scenario_write() writes out and the hash is taken of.
 * Private to the scenario layer: spec.h, which the model and the output read,
 * knows only the opaque struct ts_scenario_tree. */
#include <libconfig.h>

struct ts_scenario_tree {
	config_t config;
};

#endif
