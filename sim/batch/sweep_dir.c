/* The files of a sweep directory: their paths, and the rule that a sweep
 * never writes through a symbolic link (docs/sweep.md): a link where a
 * sweep file or directory goes is refused, naming it, so its target is
 * left as it is. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "batch/sweep_impl.h"
#include "output/csv.h"
#include "util/lock.h"

char *ts_sweep_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int ts_sweep_lock(struct ts_dir_lock *lock, const char *dir, ts_error *err)
{
	int rc = ts_dir_lock_acquire(lock, dir, err);
	return rc == TS_OK ? ts_csv_remove_stale(dir, err) : rc;
}

int ts_sweep_refuse_link(const char *dir, const char *name, ts_error *err)
{
	char *path = ts_sweep_path(dir, name);
	if (!path)
		return ts_error_set(err, TS_ENOMEM, "out of memory");
	struct stat st;
	int rc = TS_OK;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		rc = ts_error_set(err, TS_EINPUT, "%s is a symbolic link: a sweep does not write through links "
		                  "(remove it, or choose another output directory)", path);
	free(path);
	return rc;
}

int ts_sweep_real_dir(const char *path, ts_error *err)
{
	struct stat st;
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		return ts_error_set(err, TS_EIO, "%s: cannot create: %s", path, strerror(errno));
	if (lstat(path, &st) != 0)
		return ts_error_set(err, TS_EIO, "%s: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return ts_error_set(err, TS_EINPUT, "%s is a symbolic link: a sweep does not write through links "
		                    "(remove it)", path);
	if (!S_ISDIR(st.st_mode))
		return ts_error_set(err, TS_EINPUT, "%s: not a directory", path);
	return TS_OK;
}


int ts_sweep_commit(ts_csv *f, const char *dir, const char *name, int rc, ts_error *err)
{
	if (rc == TS_OK)
		rc = ts_csv_close(f, err);
	if (rc == TS_OK)
		rc = ts_sweep_refuse_link(dir, name, err);
	if (rc == TS_OK)
		rc = ts_csv_commit(f, err);
	ts_csv_discard(f);
	return rc;
}
