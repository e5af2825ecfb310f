#define _GNU_SOURCE
#include "testutil.h"
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

char *tu_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
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
