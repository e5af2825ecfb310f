#ifndef TS_ASSERT_H
#define TS_ASSERT_H
/* Assertions for programming errors: a broken internal contract (an index out
 * of its table, a slot count the loader got wrong, a status nobody may drop)
 * stops a debug build at the line that noticed it, with the condition, file
 * and line on stderr (the one place the library may print: a debug build's
 * crash report). Release builds (NDEBUG) compile them out. Never for input a
 * user can write: that is validated, with a message (docs/architecture.md). */
#include <assert.h>

#define TS_ASSERT(cond) assert(cond)

/* A status that must be TS_OK because the caller made failure impossible
 * (e.g. sized a table beforehand); evaluated in every build. */
#define TS_ASSERT_OK(expr)                          \
	do {                                        \
		int ts_assert_rc_ = (expr);         \
		TS_ASSERT(ts_assert_rc_ == 0);      \
		(void)ts_assert_rc_;                \
	} while (0)

#endif
