#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H
/* Helpers shared by the tests: cmocka's includes, loading scenario text,
 * running the CLI and reading files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <tradesim/tradesim.h>

/* Load scenario text; fails the test with the loader's message on error. */
ts_scenario *tu_load(const char *text);

/* Load scenario text expecting failure; returns the error (status, message). */
ts_error tu_load_error(const char *text);

/* Run `TS_CLI_PATH args...` through /bin/sh; returns the exit status and
 * stores the captured stderr (caller frees) when err_out != NULL. */
int tu_cli(char **err_out, const char *fmt, ...);

/* Whole file as a NUL-terminated string (caller frees), or NULL. */
char *tu_read_file(const char *path);

/* A fresh empty directory under the test's working directory. */
void tu_make_dir(char *buf, size_t size, const char *name);

#endif
