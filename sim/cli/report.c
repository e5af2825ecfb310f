/* Usage errors, diagnostics and exit statuses (report.h). */
#include <stdarg.h>
#include <stdio.h>
#include "cli/report.h"

int cli_usage_error(const char *command, const char *fmt, ...)
{
	fprintf(stderr, "tradesim%s%s: ", command ? " " : "", command ? command : "");
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'tradesim %s%s--help'.\n", command ? command : "", command ? " " : "");
	return EXIT_USAGE;
}

int cli_exit_status(int status)
{
	switch (status) {
	case TS_OK: return EXIT_OK;
	case TS_EINPUT: case TS_EBUSY: return EXIT_USAGE;
	case TS_ECANCELED: return EXIT_INTERRUPTED;
	default: return EXIT_RUN;
	}
}

static void print_diagnostics(const ts_error *err)
{
	fprintf(stderr, "%s\n", err->message);
	if (err->count > TS_ERROR_MAX_DIAGNOSTICS)
		fprintf(stderr, "(%d more problems not shown)\n", err->count - TS_ERROR_MAX_DIAGNOSTICS);
}

int cli_report(const char *command, const ts_error *err)
{
	if (err->status == TS_ECANCELED && command)
		fprintf(stderr, "tradesim %s: ", command);
	print_diagnostics(err);
	return cli_exit_status(err->status);
}

int cli_report_input(const ts_error *err)
{
	print_diagnostics(err);
	return err->status == TS_ENOMEM ? EXIT_RUN : EXIT_USAGE;
}

int cli_flush_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tradesim: error writing to standard output\n");
		return code == EXIT_OK ? EXIT_RUN : code;
	}
	return code;
}

int cli_print_help(const char *help)
{
	fputs(help, stdout);
	return cli_flush_stdout(EXIT_OK);
}
