#ifndef TS_DIR_LISTING_H
#define TS_DIR_LISTING_H
/* What an output directory holds, for the tests of runs that must leave
 * nothing behind or nothing stale: its entries but the lock file
 * (.tradesim.lock, which stays by design: util/lock.h). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int dir_listing_compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in dir other than ".", ".." and the lock file, sorted and
 * space-separated into buf ("" when there is nothing else); -1 if dir
 * cannot be read. */
static inline int dir_entries_but_lock(const char *dir, char *buf, size_t size)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char *names[256];
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL && n < 256;)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 && strcmp(e->d_name, ".tradesim.lock") != 0)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], dir_listing_compare);
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	return 0;
}

#endif
