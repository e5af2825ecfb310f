#ifndef TRADESIM_SCENARIO_H
#define TRADESIM_SCENARIO_H
/* Scenario files: loading, strict validation, overrides, description. */
#include <tradesim/api.h>
#include <stdint.h>
#include <stdio.h>
#include <tradesim/error.h>

TS_BEGIN_DECLS

typedef struct ts_scenario ts_scenario;  /* opaque, immutable once loaded */

/* One `--set path=value` override: path in dotted form, e.g.
 * "countries.CN.rd_budget"; value in libconfig syntax (a bare word that is not
 * a libconfig value is taken as a string). */
typedef struct ts_override {
	const char *path;
	const char *value;
} ts_override;

/* Load and validate a scenario file. A relative `@include` resolves against
 * the directory of `path`, an absolute one as written. Overrides are applied
 * before validation. On success *out owns a scenario to release with
 * ts_scenario_free(). On failure *out is NULL, err holds every diagnostic
 * found (up to TS_ERROR_MAX_DIAGNOSTICS) and the result is TS_EINPUT (bad
 * input, including a path that is no regular file or a file past the limits
 * of docs/scenario.md), TS_EIO (unreadable file) or TS_ENOMEM. */
TS_API int ts_scenario_load(ts_scenario **out, const char *path,
                     const ts_override *overrides, size_t n_overrides,
                     ts_error *err);

/* The same from text in memory; `name` stands for the file name in messages
 * and `include_dir` (may be NULL) is where `@include` looks. */
TS_API int ts_scenario_load_string(ts_scenario **out, const char *text, const char *name,
                            const char *include_dir,
                            const ts_override *overrides, size_t n_overrides,
                            ts_error *err);

TS_API void ts_scenario_free(ts_scenario *scenario);

/* The effective scenario (after includes and overrides) as libconfig text
 * that reads back to the same scenario: reals with the fewest digits that
 * read back to the same double (docs/scenario.md, "Scenario hash"); and the
 * SHA-256 of that text as 64 lowercase hex digits plus NUL. */
TS_API int ts_scenario_write(const ts_scenario *scenario, FILE *stream, ts_error *err);
TS_API const char *ts_scenario_hash(const ts_scenario *scenario);

/* Readable summary of the world and its timeline; TS_EIO if the stream
 * reports an error. */
TS_API int ts_scenario_describe(const ts_scenario *scenario, FILE *stream, ts_error *err);

TS_API const char *ts_scenario_path(const ts_scenario *scenario);
TS_API uint32_t ts_scenario_seed(const ts_scenario *scenario);
TS_API int ts_scenario_steps(const ts_scenario *scenario);

TS_END_DECLS

#endif
