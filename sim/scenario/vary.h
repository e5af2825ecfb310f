#ifndef TS_VARY_H
#define TS_VARY_H
/* Varied copies of a loaded scenario: the same scenario with other values, for
 * the many runs of a sweep, without reading its text again (scenario.c). */
#include <stddef.h>
#include <tradesim/scenario.h>

/* The scenario base (loaded by ts_scenario_load or ts_scenario_load_string)
 * with the overrides applied to a copy of its tree, checked as a load with
 * those overrides would check them, with the same messages ("FILE:LINE" of
 * the base's file, "--set PATH" of an override). Its hash is not that of its
 * text: SHA-256 over "tradesim scenario vary 1", base's hash and each
 * override's path and value as given, in the order given, each followed by
 * a NUL byte (the base's hash without overrides; docs/sweep.md). base is
 * only read, so threads may vary one base at once; it must outlive the
 * variant. *out is the caller's to free with ts_scenario_free(). TS_OK,
 * TS_EINPUT (reported) or TS_ENOMEM. */
int ts_scenario_vary(ts_scenario **out, const ts_scenario *base, const ts_override *overrides,
		     size_t n_overrides, ts_error *err);

#endif
