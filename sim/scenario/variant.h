#ifndef TS_VARIANT_H
#define TS_VARIANT_H
/* Scenario variants (variant.c, docs/scenario.md "Variants"): a scenario
 * file that names a base scenario (`base = "FILE";`) and changes it: values
 * set by path (`set`), measures disabled (`disable`), entities added (the
 * entity tables), its own `title` and `description`. The base may itself be
 * a variant. */
#include <stdbool.h>
#include <libconfig.h>
#include "scenario/cfgcheck.h"

/* Most bases one chain may hold (a variant of a variant ... of a plain
 * scenario): enough for any layering a reader can follow, and a stop for a
 * chain that a typo in `base` makes run on. */
#define TS_VARIANT_MAX_DEPTH 8

/* Reads `text`, the scenario file c->name (its includes and base resolved
 * against c->include_dir), into cfg, an empty config: a plain scenario as
 * written, a variant resolved into the plain scenario it stands for, every
 * setting located (ts_cfg_location) in the file it was written in. Returns
 * false when no tree could be read (a syntax error, a base that cannot be
 * read, a cycle: reported through c; or c->nomem); true otherwise, with any
 * problems of the changes reported through c. */
bool ts_variant_read(ts_cfg *c, config_t *cfg, const char *text);

#endif
