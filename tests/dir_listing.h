#ifndef TS_DIR_LISTING_H
#define TS_DIR_LISTING_H
/* What an output directory holds, for the tests of runs that must leave
 * nothing behind: its entries but the lock file (.tradesim.lock, which
 * stays by design: util/lock.h). */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* The names in dir other than ".", ".." and the lock file, space-separated
 * into buf (empty: nothing there); -1 if dir cannot be read. */
static inline int dir_entries_but_lock(const char *dir, char *buf, size_t size)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	size_t used = 0;
	buf[0] = '\0';
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || strcmp(e->d_name, ".tradesim.lock") == 0)
			continue;
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " " : "", e->d_name);
	}
	closedir(d);
	return 0;
}

#endif
