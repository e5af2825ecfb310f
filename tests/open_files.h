#ifndef TS_OPEN_FILES_H
#define TS_OPEN_FILES_H
/* How many file descriptors this process holds, for the tests that check a
 * function leaves none open behind it. */
#include <dirent.h>

/* Entries of /proc/self/fd, less the one the listing itself holds; -1 if
 * /proc cannot be read. */
static inline int open_descriptors(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

#endif
