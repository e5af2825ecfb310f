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

void ts_csv_over(ts_csv *csv, FILE *fp)
{
	memset(csv, 0, sizeof *csv);
	csv->fp = fp;
	csv->first_field = 1;
}

int ts_csv_open(ts_csv *csv, const char *dir, const char *name, const char *header, ts_error *err)
{
	ts_csv_over(csv, NULL);
	csv->fp = open_temp(dir, name, &csv->tmp_path, &csv->final_path, err);
	if (!csv->fp)
		return err->status;
	/* Rows go out as steps run; a large buffer keeps write calls few. Given
	 * no buffer, glibc ignores the size and takes the file system's block
	 * (4 KiB): 16 times the write calls. */
	csv->buffer = malloc(TS_CSV_BUFFER);
	if (csv->buffer)
		setvbuf(csv->fp, csv->buffer, _IOFBF, TS_CSV_BUFFER);
	csv->row_cap = 4096;  /* grown as a row needs */
	if (!(csv->row = malloc(csv->row_cap))) {
		ts_csv_discard(csv);
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	}
	if (header) {
		fputs(header, csv->fp);
		fputc('\n', csv->fp);
	}
	return TS_OK;
}

int ts_csv_release(ts_csv *csv)
{
	int failed = csv->row_failed;
	free(csv->row);
	csv->row = NULL;
	csv->row_len = csv->row_cap = 0;
	csv->row_failed = 0;
	return failed;
}

/* Room for `extra` more bytes in the row; 0 (and the row marked failed, all
 * later fields dropped) if memory runs out. */
static int row_room(ts_csv *csv, size_t extra)
{
	if (csv->row_failed)
		return 0;
	if (csv->row_cap - csv->row_len >= extra)
		return 1;
	size_t cap = 2 * csv->row_cap + extra;
	char *row = realloc(csv->row, cap);
	if (!row) {
		csv->row_failed = 1;
		return 0;
	}
	csv->row = row;
	csv->row_cap = cap;
	return 1;
}

static void separator(ts_csv *csv)
{
	if (!csv->first_field)
		csv->row[csv->row_len++] = ',';
	csv->first_field = 0;
}

void ts_csv_text(ts_csv *csv, const char *text)
{
	size_t n = strlen(text);
	if (!row_room(csv, 2 * n + 3))  /* every character doubled, two quotes, the separator */
		return;
	separator(csv);
	char *start = csv->row + csv->row_len, *p = start;
	int special = 0;
	for (const char *t = text; *t; t++) {
		special |= *t == ',' || *t == '"' || *t == '\n' || *t == '\r';
		*p++ = *t;
	}
	if (special) {  /* RFC 4180 quoting, written again */
		p = start;
		*p++ = '"';
		for (const char *t = text; *t; t++) {
			if (*t == '"')
				*p++ = '"';
			*p++ = *t;
		}
		*p++ = '"';
	}
	csv->row_len = (size_t)(p - csv->row);
}

void ts_csv_int(ts_csv *csv, long value)
{
	if (!row_room(csv, 24))
		return;
	separator(csv);
	char digits[24], *d = digits + sizeof digits;
	unsigned long m = value < 0 ? 0ul - (unsigned long)value : (unsigned long)value;
	do
		*--d = (char)('0' + m % 10);
	while ((m /= 10) != 0);
	if (value < 0)
		*--d = '-';
	size_t n = (size_t)(digits + sizeof digits - d);
	memcpy(csv->row + csv->row_len, d, n);
	csv->row_len += n;
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
	if (!row_room(csv, 33))  /* the separator and ts_shortest_format's 32 bytes */
		return;
	separator(csv);
	if (value == 0.0)  /* over a third of the tables' numbers: "0", as ts_shortest_format() writes it */
		csv->row[csv->row_len++] = '0';
	else if (isfinite(value))
		csv->row_len += ts_shortest_format(csv->row + csv->row_len, value);
}

void ts_csv_end_row(ts_csv *csv)
{
	if (row_room(csv, 1)) {
		csv->row[csv->row_len++] = '\n';
		fwrite(csv->row, 1, csv->row_len, csv->fp);
	}
	csv->row_len = 0;
	csv->first_field = 1;
}

int ts_csv_close(ts_csv *csv, ts_error *err)
{
	if (!csv->fp)
		return TS_OK;
	if (csv->row_len > 0 && !csv->row_failed)  /* a row not ended */
		fwrite(csv->row, 1, csv->row_len, csv->fp);
	csv->row_len = 0;
	int failed = ferror(csv->fp) || fflush(csv->fp) != 0;
	int saved = errno;
	if (csv->row_failed) {
		failed = 1;
		saved = ENOMEM;
	}
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
	free(csv->row);
	csv->buffer = csv->row = NULL;
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
	free(csv->row);
	csv->buffer = csv->row = NULL;
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
