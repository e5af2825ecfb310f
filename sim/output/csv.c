/* CSV streams: temporary file, checked writes, commit by rename. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output/csv.h"
#include "util/assert.h"
#include "util/shortest.h"

static char *join_path(const char *dir, const char *prefix, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
	return p;
}

/* A temporary sibling of DIR/NAME opened for writing
 * ("DIR/.NAME.<pid>.<id>.<attempt>.tmp"); *tmp_path and *final_path are
 * malloc'd for the ts_csv that holds them (ts_csv_discard frees them), both
 * NULL on failure. */
static FILE *open_temp(const char *dir, const char *name, char **tmp_path, char **final_path, ts_error *err)
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
	csv->fp = open_temp(dir, name, &csv->tmp_path, &csv->final_path, err);
	if (!csv->fp)
		return err->status;
	/* Rows go out as steps run; a large buffer keeps write calls few. Given
	 * no buffer, glibc ignores the size and takes the file system's block
	 * (4 KiB): 16 times the write calls. */
	csv->buffer = malloc(TS_CSV_BUFFER);
	if (csv->buffer)
		setvbuf(csv->fp, csv->buffer, _IOFBF, TS_CSV_BUFFER);
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
	TS_ASSERT(size > 0);
	if (!isfinite(value)) {
		buf[0] = '\0';
		return;
	}
	if (size >= 32) {
		ts_shortest_format(buf, value);  /* shortest round trip, in "%.15g"'s layout */
		return;
	}
	char text[32];
	size_t n = ts_shortest_format(text, value);
	n = n < size - 1 ? n : size - 1;  /* cut to the buffer, never past it */
	memcpy(buf, text, n);
	buf[n] = '\0';
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
	free(csv->buffer);
	csv->buffer = NULL;
	if (failed)
		return ts_error_set(err, TS_EIO, "%s: write failed: %s", csv->final_path,
		                    saved ? strerror(saved) : "unknown error");
	return TS_OK;
}

int ts_csv_commit(ts_csv *csv, ts_error *err)
{
	TS_ASSERT(!csv->fp);  /* closed first (ts_csv_close), so a failed flush was reported */
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
	free(csv->buffer);
	csv->buffer = NULL;
	if (csv->tmp_path)
		unlink(csv->tmp_path);
	free(csv->tmp_path);
	free(csv->final_path);
	csv->tmp_path = csv->final_path = NULL;
}

/* Digits (decimal or hex) backwards from *end, at least one, stopping at a
 * '.', which *end is left on; 0 if the run is empty or hits something else. */
static int digits_back(const char *start, const char **end, int hex)
{
	const char *p = *end;
	while (p > start && (hex ? isxdigit((unsigned char)p[-1]) : isdigit((unsigned char)p[-1])))
		p--;
	if (p == *end || p == start || p[-1] != '.')
		return 0;
	*end = p - 1;
	return 1;
}

/* ".NAME.<pid>.<hex id>.<attempt>.tmp", NAME not empty (open_temp). */
int ts_csv_is_temp_name(const char *name)
{
	size_t n = strlen(name);
	if (n < 4 || name[0] != '.' || strcmp(name + n - 4, ".tmp") != 0)
		return 0;
	const char *end = name + n - 4;
	return digits_back(name, &end, 0) && digits_back(name, &end, 1) && digits_back(name, &end, 0) &&
	       end > name + 1;
}

int ts_csv_remove_stale(const char *dir, ts_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return ts_error_set(err, TS_EIO, "%s: cannot list: %s", dir, strerror(errno));
	int rc = TS_OK;
	for (struct dirent *e; rc == TS_OK && (errno = 0, e = readdir(d)) != NULL;) {
		struct stat st;
		if (!ts_csv_is_temp_name(e->d_name) || fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			continue;  /* not a file tradesim writes: not ours to remove */
		if (unlinkat(dirfd(d), e->d_name, 0) != 0 && errno != ENOENT)
			rc = ts_error_set(err, TS_EIO, "%s/%s: cannot remove a stale temporary file: %s", dir, e->d_name,
			                  strerror(errno));
	}
	if (rc == TS_OK && errno != 0)
		rc = ts_error_set(err, TS_EIO, "%s: cannot list: %s", dir, strerror(errno));
	closedir(d);
	return rc;
}
