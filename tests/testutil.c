#define _GNU_SOURCE
#include "testutil.h"
#include "util/textfile.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void tu_assert_close(double a, double b, double tolerance, const char *a_text, const char *b_text,
                     const char *file, int line)
{
	if (fabs(a - b) <= tolerance)
		return;
	print_error("%s = %.17g\n%s = %.17g\ndiffer by %.3g > %.3g\n", a_text, a, b_text, b, fabs(a - b), tolerance);
	_fail(file, line);
}

ts_scenario *tu_load(const char *text)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_scenario_load_string(&s, text, "test.cfg", TS_TEST_DATA_DIR, NULL, 0, &err);
	if (rc != TS_OK)
		fail_msg("scenario did not load: %s", err.message);
	return s;
}

ts_error tu_load_error(const char *text)
{
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	int rc = ts_scenario_load_string(&s, text, "test.cfg", TS_TEST_DATA_DIR, NULL, 0, &err);
	if (rc == TS_OK) {
		ts_scenario_free(s);
		fail_msg("scenario loaded but should have failed");
	}
	assert_null(s);
	return err;
}

int tu_cli(char **err_out, const char *fmt, ...)
{
	char args[4096], cmd[8192], errpath[64];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	snprintf(errpath, sizeof errpath, "cli_stderr_%ld.txt", (long)getpid());
	snprintf(cmd, sizeof cmd, "'%s' %s 2>%s", TS_CLI_PATH, args, errpath);
	int status = system(cmd);
	if (err_out)
		*err_out = tu_read_file(errpath);
	unlink(errpath);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

void tu_expect_cli_refusal(const char *args, const char *message)
{
	char *err = NULL;
	int code = tu_cli(&err, "%s >/dev/null", args);
	if (code != 2 || !err || !strstr(err, message))
		fail_msg("'tradesim %s': exit %d, stderr: %s", args, code, err ? err : "(none)");
	free(err);
}

void tu_expect_load_error(const char *text, ...)
{
	ts_error err = tu_load_error(text);
	assert_int_equal(err.status, TS_EINPUT);
	va_list ap;
	va_start(ap, text);
	for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
		if (!strstr(err.message, want))
			fail_msg("expected \"%s\" in the error:\n%s", want, err.message);
	va_end(ap);
}

char *tu_written(const ts_scenario *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		fail_msg("cannot open a memory stream");
	ts_error err = TS_ERROR_INIT;
	if (ts_scenario_write(s, mem, &err) != TS_OK)
		fail_msg("cannot write the scenario: %s", err.message);
	if (fclose(mem) != 0)
		fail_msg("cannot close a memory stream");
	return text;
}

char *tu_read_file(const char *path)
{
	char *text;
	ts_read_file(&text, NULL, path, NULL);
	return text;
}

char *tu_read_in(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *text = tu_read_file(path);
	if (!text)
		fail_msg("%s: missing", path);
	return text;
}

void tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0)
		fail_msg("cannot write %s", path);
}

int tu_count_lines(const char *text)
{
	int n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

void tu_make_dir(char *buf, size_t size, const char *name)
{
	char cmd[512];
	snprintf(buf, size, "tmp_%s_%ld", name, (long)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", buf);
	if (system(cmd) != 0)
		fail_msg("cannot clear %s", buf);
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		fail_msg("cannot create %s", buf);
}
