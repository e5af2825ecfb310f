/* CSV streams: temporary file, checked writes, commit by rename. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/csv.h"

static char *join_path(const char *dir, const char *prefix, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
	return p;
}

FILE *ts_open_temp(const char *dir, const char *name, char **tmp_path, char **final_path, ts_error *err)
{
	*final_path = join_path(dir, "", name, "");
	*tmp_path = NULL;
	int fd = -1, saved = 0;
	/* Unique per process, object and attempt; mode 0666 so the umask decides
	 * the final permissions, as for any file the user writes. */
	for (unsigned attempt = 0; *final_path && fd < 0 && attempt < 100; attempt++) {
		char suffix[64];
		snprintf(suffix, sizeof suffix, ".%ld.%lx.%u.tmp", (long)getpid(), (unsigned long)(uintptr_t)tmp_path, attempt);
		free(*tmp_path);
		*tmp_path = join_path(dir, ".", name, suffix);
		if (!*tmp_path)
			break;
		fd = open(*tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		saved = errno;
		if (fd < 0 && saved != EEXIST)
			break;
	}
	if (!*tmp_path || !*final_path) {
		free(*tmp_path);
		free(*final_path);
		*tmp_path = *final_path = NULL;
		ts_error_set(err, TS_ENOMEM, "out of memory");
		return NULL;
	}
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fp) {
		ts_error_set(err, TS_EIO, "%s: cannot create: %s", *final_path, strerror(fd >= 0 ? errno : saved));
		if (fd >= 0) {
			close(fd);
			unlink(*tmp_path);
		}
		free(*tmp_path);
		free(*final_path);
		*tmp_path = *final_path = NULL;
		return NULL;
	}
	return fp;
}

int ts_csv_open(ts_csv *csv, const char *dir, const char *name, const char *header, ts_error *err)
{
	memset(csv, 0, sizeof *csv);
	csv->fp = ts_open_temp(dir, name, &csv->tmp_path, &csv->final_path, err);
	if (!csv->fp)
		return err->status;
	/* Rows go out as steps run; a large buffer keeps write calls few. */
	setvbuf(csv->fp, NULL, _IOFBF, 1 << 16);
	if (header) {
		fputs(header, csv->fp);
		fputc('\n', csv->fp);
	}
	csv->first_field = 1;
	return TS_OK;
}

static void separator(ts_csv *csv)
{
	if (!csv->first_field)
		fputc(',', csv->fp);
	csv->first_field = 0;
}

void ts_csv_text(ts_csv *csv, const char *text)
{
	separator(csv);
	if (strpbrk(text, ",\"\n\r") == NULL) {
		fputs(text, csv->fp);
		return;
	}
	fputc('"', csv->fp);  /* RFC 4180 quoting */
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			fputc('"', csv->fp);
		fputc(*p, csv->fp);
	}
	fputc('"', csv->fp);
}

void ts_csv_int(ts_csv *csv, long value)
{
	separator(csv);
	fprintf(csv->fp, "%ld", value);
}

void ts_format_double(char *buf, size_t size, double value)
{
	if (!isfinite(value)) {
		buf[0] = '\0';
		return;
	}
	if (value == 0.0) {
		snprintf(buf, size, "0");  /* also folds -0 */
		return;
	}
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, size, "%.*g", digits, value);
		if (strtod(buf, NULL) == value)
			return;
	}
}

void ts_csv_num(ts_csv *csv, double value)
{
	char buf[40];
	ts_format_double(buf, sizeof buf, value);
	separator(csv);
	fputs(buf, csv->fp);
}

void ts_csv_end_row(ts_csv *csv)
{
	fputc('\n', csv->fp);
	csv->first_field = 1;
}

int ts_csv_close(ts_csv *csv, ts_error *err)
{
	if (!csv->fp)
		return TS_OK;
	int failed = ferror(csv->fp) || fflush(csv->fp) != 0;
	int saved = errno;
	if (!failed && fsync(fileno(csv->fp)) != 0 && errno != EINVAL && errno != EROFS) {
		failed = 1;
		saved = errno;
	}
	if (fclose(csv->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	csv->fp = NULL;
	if (failed)
		return ts_error_set(err, TS_EIO, "%s: write failed: %s", csv->final_path,
		                    saved ? strerror(saved) : "unknown error");
	return TS_OK;
}

int ts_csv_commit(ts_csv *csv, ts_error *err)
{
	if (rename(csv->tmp_path, csv->final_path) != 0)
		return ts_error_set(err, TS_EIO, "%s: cannot rename into place: %s", csv->final_path,
		                    strerror(errno));
	free(csv->tmp_path);
	csv->tmp_path = NULL;
	return TS_OK;
}

void ts_csv_discard(ts_csv *csv)
{
	if (csv->fp)
		fclose(csv->fp);
	csv->fp = NULL;
	if (csv->tmp_path)
		unlink(csv->tmp_path);
	free(csv->tmp_path);
	free(csv->final_path);
	csv->tmp_path = csv->final_path = NULL;
}

int ts_csv_commit_all(ts_csv *files, int n, int rc, ts_error *err)
{
	if (rc == TS_OK && n > 0) {
		const char *old = files[n - 1].final_path;
		if (unlink(old) != 0 && errno != ENOENT)
			rc = ts_error_set(err, TS_EIO, "%s: cannot replace: %s", old, strerror(errno));
	}
	for (int i = 0; i < n && rc == TS_OK; i++)
		rc = ts_csv_commit(&files[i], err);
	for (int i = 0; i < n; i++)
		ts_csv_discard(&files[i]);
	return rc;
}
