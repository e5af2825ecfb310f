#ifndef TS_TREE_H
#define TS_TREE_H
/* The effective scenario tree: the libconfig tree after includes and
 * overrides, which ts_scenario_write() writes out and the hash is taken of.
 * Private to the scenario layer: spec.h, which the model and the output read,
 * knows only the opaque struct ts_scenario_tree. */
#include <stdio.h>
#include <libconfig.h>
#include <tradesim/error.h>

struct ts_scenario_tree {
	config_t config;
};

/* Writes the tree to f in libconfig syntax that reads back to the same tree:
 * reals with the fewest digits that read back to the same double, 64-bit
 * integers with L, strings escaped as libconfig reads them; one setting a
 * line, two spaces of indent a level (tree.c). Stream errors are the
 * caller's to check (ferror). Returns TS_OK, or TS_EINPUT for a real that is
 * not finite (which validation never lets through). */
int ts_tree_write(const struct ts_scenario_tree *t, FILE *f, ts_error *err);

#endif
