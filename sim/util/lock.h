#ifndef TS_LOCK_H
#define TS_LOCK_H
/* One writer per output directory. A run, a set of replications, a comparison
 * or a sweep takes an exclusive lock on its directory before it writes there
 * and keeps it until it has committed its files; a second tradesim process
 * (or thread) aiming at the same directory meanwhile is refused with TS_EBUSY
 * instead of mixing its files with the first one's. The lock is flock(2) on
 * DIR/.tradesim.lock, opened without following a symbolic link; the system
 * drops it when the process ends, however it ends, so a killed run never
 * leaves a directory locked. Local file systems only: NFS may not honour it. */
#include <tradesim/error.h>

typedef struct ts_dir_lock {
	int fd;                      /* -1: not held */
} ts_dir_lock;

#define TS_DIR_LOCK_INIT {-1}

/* Takes the lock of `dir` (which must exist) without waiting. TS_EBUSY when
 * another holder has it ("DIR is in use by another tradesim process"),
 * TS_EIO when the lock file cannot be opened (read-only directory, a symbolic
 * link in its place). */
int ts_dir_lock_acquire(ts_dir_lock *lock, const char *dir, ts_error *err);

/* Releases the lock if held; safe to repeat. The lock file stays (removing it
 * would race with a process that has just opened it). */
void ts_dir_lock_release(ts_dir_lock *lock);

#endif
