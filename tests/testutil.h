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

/* |a - b| <= tolerance in double precision (cmocka 1.1.5 has only a float
 * version); reports both values and the caller's file and line. */
void tu_assert_close(double a, double b, double tolerance, const char *a_text, const char *b_text,
                     const char *file, int line);
#undef assert_double_equal
#define assert_double_equal(a, b, tolerance) \
	tu_assert_close((a), (b), (tolerance), #a, #b, __FILE__, __LINE__)

/* Load scenario text; fails the test with the loader's message on error. */
ts_scenario *tu_load(const char *text);

/* Load scenario text expecting failure; returns the error (status, message). */
ts_error tu_load_error(const char *text);

/* Loads text expecting TS_EINPUT with every fragment of the NULL-terminated
 * list in the message; fails the test otherwise. */
void tu_expect_load_error(const char *text, ...);

/* Run `TS_CLI_PATH args...` through /bin/sh; returns the exit status and
 * stores the captured stderr (caller frees) when err_out != NULL. */
int tu_cli(char **err_out, const char *fmt, ...);

/* `tradesim ARGS` (stdout discarded) must exit 2 with `message` in its
 * stderr; else the test fails naming the command, status and stderr. */
void tu_expect_cli_refusal(const char *args, const char *message);

/* ts_scenario_write() of s as a string (caller frees); failing fails the test. */
char *tu_written(const ts_scenario *s);

/* Whole file as a NUL-terminated string (caller frees), or NULL. */
char *tu_read_file(const char *path);
/* DIR/NAME as tu_read_file() does; a missing file fails the test. */
char *tu_read_in(const char *dir, const char *name);
/* Writes text to path; failing fails the test. */
void tu_write_file(const char *path, const char *text);
/* Number of '\n' in text. */
int tu_count_lines(const char *text);

/* A fresh empty directory under the test's working directory. */
void tu_make_dir(char *buf, size_t size, const char *name);

#endif
