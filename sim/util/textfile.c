/* Reading a whole file (textfile.h): only regular files, and at most
 * TS_TEXTFILE_MAX_BYTES of them, so that /dev/zero, a FIFO or a file that
 * keeps growing is refused instead of filling memory or blocking. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/textfile.h"

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* Reads fd to its end into a buffer sized for `expected` bytes, a NUL and
 * one byte more (which tells a file that grew); TS_OK, or TS_EINPUT past the
 * limit, TS_EIO, TS_ENOMEM. */
static int read_all(int fd, size_t expected, char **text, size_t *length)
{
	size_t cap = expected + 2, len = 0;
	char *buf = malloc(cap);
	int rc = buf ? TS_OK : TS_ENOMEM;
	while (rc == TS_OK) {
		if (len + 1 >= cap) {
			size_t bigger = cap * 2 > (size_t)TS_TEXTFILE_MAX_BYTES + 2 ? (size_t)TS_TEXTFILE_MAX_BYTES + 2 : cap * 2;
			char *grown = bigger > cap ? realloc(buf, bigger) : NULL;
			rc = bigger <= cap ? TS_EINPUT : grown ? TS_OK : TS_ENOMEM;
			if (rc != TS_OK)
				break;
			buf = grown;
			cap = bigger;
		}
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? TS_EIO : TS_OK;
			break;
		}
		len += (size_t)n;
	}
	if (rc == TS_OK && len > (size_t)TS_TEXTFILE_MAX_BYTES)
		rc = TS_EINPUT;
	if (rc != TS_OK) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*text = buf;
	*length = len;
	return TS_OK;
}

static int too_large(const char *path, ts_error *err)
{
	return ts_error_set(err, TS_EINPUT, "%s: larger than %ld MiB, the most tradesim reads of a file",
			    path, TS_TEXTFILE_MAX_BYTES >> 20);
}

/* A regular file of at most the limit, switched back to blocking reads;
 * *size gets its size. */
static int check_regular(int fd, const char *path, size_t *size, ts_error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return ts_error_set(err, TS_EIO, "%s: cannot read: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ts_error_set(err, TS_EINPUT, "%s: %s, not a regular file", path, file_kind(st.st_mode));
	if (st.st_size > TS_TEXTFILE_MAX_BYTES)
		return too_large(path, err);
	if (fcntl(fd, F_SETFL, 0) != 0)
		return ts_error_set(err, TS_EIO, "%s: cannot read: %s", path, strerror(errno));
	*size = (size_t)st.st_size;
	return TS_OK;
}

int ts_read_file(char **text, size_t *length, const char *path, ts_error *err)
{
	*text = NULL;
	if (length)
		*length = 0;
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ts_error_set(err, TS_EIO, "%s: cannot open: %s", path, strerror(errno));
	size_t size = 0, len = 0;
	int rc = check_regular(fd, path, &size, err);
	if (rc == TS_OK) {
		rc = read_all(fd, size, text, &len);
		if (rc == TS_EIO)
			ts_error_set(err, TS_EIO, "%s: cannot read: %s", path, strerror(errno));
		else if (rc == TS_ENOMEM)
			ts_error_set(err, TS_ENOMEM, "%s: out of memory", path);
		else if (rc == TS_EINPUT)
			too_large(path, err);  /* it grew while read */
	}
	close(fd);
	if (rc == TS_OK && length)
		*length = len;
	return rc;
}

int ts_read_text_file(char **text, size_t *length, const char *path, ts_error *err)
{
	size_t len = 0;
	int rc = ts_read_file(text, &len, path, err);
	if (rc == TS_OK && strlen(*text) != len) {
		free(*text);
		*text = NULL;
		len = 0;
		rc = ts_error_set(err, TS_EINPUT, "%s: not a text file (holds a NUL byte)", path);
	}
	if (length)
		*length = len;
	return rc;
}
