/* Reading a whole file through an in-memory stream (textfile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "util/textfile.h"

char *ts_read_file(const char *path, size_t *length, ts_read_status *status)
{
	ts_read_status st = TS_READ_OK;
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int saved = errno;
		if (status)
			*status = TS_READ_OPEN;
		errno = saved;
		return NULL;
	}
	FILE *mem = open_memstream(&text, &len);
	char chunk[8192];
	size_t n;
	while (mem && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, mem);
	int read_error = ferror(f);
	fclose(f);
	if (!mem || fclose(mem) != 0 || !text)
		st = TS_READ_NOMEM;
	else if (read_error)
		st = TS_READ_IO;
	if (st != TS_READ_OK) {
		free(text);
		text = NULL;
	}
	if (status)
		*status = st;
	if (length)
		*length = text ? len : 0;
	return text;
}
