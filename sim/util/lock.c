/* flock(2) is BSD, not POSIX: it locks the open file description, so two
 * opens in one process exclude each other too (fcntl locks would not). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "util/lock.h"

static const char lock_name[] = ".tradesim.lock";

int ts_dir_lock_acquire(ts_dir_lock *lock, const char *dir, ts_error *err)
{
	lock->fd = -1;
	size_t n = strlen(dir);
	char path[4096];
	if (n + sizeof lock_name + 1 > sizeof path)
		return ts_error_set(err, TS_EINPUT, "%s: directory name too long", dir);
	memcpy(path, dir, n);
	path[n] = '/';
	memcpy(path + n + 1, lock_name, sizeof lock_name);
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return ts_error_set(err, TS_EIO, "%s: cannot open the lock file: %s", path, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		if (e == EINTR)
			continue;
		close(fd);
		if (e == EWOULDBLOCK)
			return ts_error_set(err, TS_EBUSY, "%s: in use by another tradesim process "
			                    "(wait for it to finish, or choose another -o)", dir);
		return ts_error_set(err, TS_EIO, "%s: cannot lock: %s", path, strerror(e));
	}
	lock->fd = fd;
	return TS_OK;
}

void ts_dir_lock_release(ts_dir_lock *lock)
{
	if (lock->fd >= 0)
		close(lock->fd);  /* closing the only descriptor drops the flock */
	lock->fd = -1;
}
