#ifndef TS_CLI_REPORT_H
#define TS_CLI_REPORT_H
/* What the tradesim command tells the user and the shell: usage errors,
 * the library's diagnostics, and exit statuses. The only place statuses
 * become exit codes. */
#include <tradesim/error.h>

/* Exit statuses, as every --help documents them. */
enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* "tradesim COMMAND: message" (command NULL: "tradesim: message") and a
 * hint at --help, on stderr; returns EXIT_USAGE. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int cli_usage_error(const char *command, const char *fmt, ...);

/* The exit status for a library status: 0 ok; 2 bad input or an output
 * directory in use (TS_EINPUT, TS_EBUSY); 130 interrupted (TS_ECANCELED);
 * 1 anything else (a write error, a broken run, memory). */
int cli_exit_status(int status);

/* Prints err's diagnostics, one per line, on stderr (an interruption as
 * "tradesim COMMAND: message"); returns cli_exit_status(err->status). */
int cli_report(const char *command, const ts_error *err);

/* The same for input that could not be loaded (a scenario, a sweep file):
 * bad input, 2, unless memory ran out (1). */
int cli_report_input(const ts_error *err);

/* Prints a command's help on standard output; its exit status. */
int cli_print_help(const char *help);

/* Flushes standard output; a failed write (a full disk, a closed pipe) is
 * reported and makes the status 1. Returns `code` otherwise. */
int cli_flush_stdout(int code);

#endif
