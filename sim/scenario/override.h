#ifndef TS_OVERRIDE_H
#define TS_OVERRIDE_H
/* `--set PATH=VALUE` overrides applied to a parsed scenario tree. */
#include <stddef.h>
#include <libconfig.h>
#include <tradesim/scenario.h>
#include "scenario/cfgcheck.h"

/* Applies overrides in order to cfg. Every setting an override writes carries
 * its path as hook (freed by the config's destructor, which this sets to
 * free()), so later diagnostics say "--set PATH" instead of a file line.
 * Problems are reported through c; returns the number reported. */
int ts_override_apply(config_t *cfg, const ts_override *overrides, size_t n, ts_cfg *c);

#endif
