#ifndef TS_FILE_LIMIT_H
#define TS_FILE_LIMIT_H
/* A file-size limit for the tests of write failures: writes past it fail
 * with EFBIG, as they would on a full disk (SIGXFSZ ignored meanwhile). */
#include <signal.h>
#include <sys/resource.h>
#include "testutil.h"

typedef struct file_limit {
	struct rlimit old;
	void (*old_handler)(int);
} file_limit;

/* Files of this process may grow to `bytes` from now on. */
static inline void file_limit_set(file_limit *l, rlim_t bytes)
{
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &l->old), 0);
	struct rlimit small = l->old;
	small.rlim_cur = bytes;
	l->old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
}

static inline void file_limit_lift(const file_limit *l)
{
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &l->old), 0);
	signal(SIGXFSZ, l->old_handler);
}

#endif
