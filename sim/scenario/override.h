#ifndef TS_OVERRIDE_H
#define TS_OVERRIDE_H
/* `--set PATH=VALUE` overrides applied to a parsed scenario tree. */
#include <stdbool.h>
#include <stddef.h>
#include <libconfig.h>
#include <tradesim/scenario.h>
#include "scenario/cfgcheck.h"

/* Applies overrides in order to cfg. Every setting an override writes carries
 * its path as hook (freed by the config's destructor, which this sets to
 * free()), so later diagnostics say "--set PATH" instead of a file line.
 * Problems are reported through c; returns the number reported. */
int ts_override_apply(config_t *cfg, const ts_override *overrides, size_t n, ts_cfg *c);

/* Makes the settings that applying o to cfg (a tree sharing another's,
 * ts_tree_share) could change cfg's own: the aggregates on its path copied
 * holding the same shared members, everything under the one that holds its
 * last part copied whole. Changes nothing when the path leads nowhere
 * (ts_override_apply then reports it). false when out of memory. */
bool ts_override_own_path(config_t *cfg, const ts_override *o);

/* The same change with a value already parsed (a variant's `set` entry,
 * variant.c): the setting at `path` gets a copy of `value`, unmarked, so
 * that it keeps value's line and later diagnostics point at it. Problems
 * are reported through c as "WHERE: ..."; 0 or -1. */
int ts_override_set(config_t *cfg, const char *path, const config_setting_t *value, const char *where, ts_cfg *c);

#endif
