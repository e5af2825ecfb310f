#ifndef TS_FUZZ_H
#define TS_FUZZ_H
/* What the fuzz harnesses share (docs/fuzzing.md). Each harness is one file
 * that defines libFuzzer's entry point (and its initializer if it needs
 * set-up); libFuzzer calls them in a clang build (-DTRADESIM_FUZZ=ON), the
 * regression driver (regress.c) in every build. A harness never prints and
 * frees everything it allocates: a leak is a finding like a crash. */
#include <stddef.h>
#include <stdint.h>
#include <tradesim/tradesim.h>

/* Optional, as in libFuzzer: a harness that needs set-up defines it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Returns 0, or -1 for an input not worth keeping in the corpus (libFuzzer
 * then leaves it out); crashes, hangs and leaks are the findings. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (caller frees), or NULL when it
 * holds a NUL byte (the file loaders refuse those: "not a text file") or
 * memory runs out. */
char *ts_fuzz_text(const uint8_t *data, size_t size);

/* Stops the process (a finding) unless a load's result keeps the error
 * convention: TS_OK with a result, or a negative status with no result,
 * the same status in err and a message. */
void ts_fuzz_check_load(int rc, const void *result, const ts_error *err);

/* Loads a scenario from text as ts_scenario_load_string does, checks the
 * result (ts_fuzz_check_load), steps what loads (ts_fuzz_simulate) and
 * stops the process unless its effective scenario, written as a run records
 * it, loads again with the same hash. */
void ts_fuzz_load_and_step(const char *text, const char *name, const char *dir, const ts_override *overrides,
                           size_t n_overrides);

/* Allocates a run of s and runs its first few steps, unless the world is too
 * large for that to be quick (the caps are in fuzz_common.c); a step may fail
 * (TS_ERUN, with a message) but not crash. */
void ts_fuzz_simulate(const ts_scenario *s);

#endif
