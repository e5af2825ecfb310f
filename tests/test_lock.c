/* One writer per output directory (sim/util/lock.c). */
#include "testutil.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "util/lock.h"

static void a_second_lock_on_a_held_directory_is_refused_as_busy(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "lock_busy");
	ts_dir_lock first = TS_DIR_LOCK_INIT, second = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&first, dir, &err), TS_OK);
	assert_int_equal(ts_dir_lock_acquire(&second, dir, &err), TS_EBUSY);
	assert_non_null(strstr(err.message, "in use by another tradesim process"));
	assert_non_null(strstr(err.message, dir));
	assert_int_equal(second.fd, -1);
	ts_dir_lock_release(&first);
	ts_dir_lock_release(&first);  /* safe to repeat */
	ts_error_clear(&err);
	assert_int_equal(ts_dir_lock_acquire(&second, dir, &err), TS_OK);
	ts_dir_lock_release(&second);
}

static void a_symbolic_link_in_place_of_the_lock_file_is_not_followed(void **state)
{
	(void)state;
	char dir[256], link_path[512], target[512];
	tu_make_dir(dir, sizeof dir, "lock_symlink");
	snprintf(target, sizeof target, "%s/target", dir);
	snprintf(link_path, sizeof link_path, "%s/.tradesim.lock", dir);
	assert_int_equal(symlink("target", link_path), 0);
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_EIO);
	assert_int_equal(access(target, F_OK), -1);  /* nothing created through the link */
}

static void locking_a_missing_directory_fails_with_its_name(void **state)
{
	(void)state;
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, "no/such/dir", &err), TS_EIO);
	assert_non_null(strstr(err.message, "no/such/dir/.tradesim.lock"));
}

/* The lock path is DIR + "/.tradesim.lock" + NUL in 4096 bytes: a name of
 * 4080 characters fits (and is tried: no such directory), 4081 do not. */
static void a_directory_name_too_long_for_the_lock_path_is_refused_before_any_open(void **state)
{
	(void)state;
	static char dir[4082];
	memset(dir, 'd', 4081);
	dir[4081] = '\0';
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_EINPUT);
	assert_non_null(strstr(err.message, "directory name too long"));
	dir[4080] = '\0';
	ts_error_clear(&err);
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_EIO);
	assert_non_null(strstr(err.message, "cannot open the lock file"));
}

/* Whatever the record held before, a failed acquire leaves it unheld and a
 * release leaves it unheld, so that releasing again closes nothing. */
static void a_lock_record_is_unheld_after_a_failure_or_a_release(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "lock_record");
	ts_dir_lock lock = {123};
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, "no/such/dir", &err), TS_EIO);
	assert_int_equal(lock.fd, -1);
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_OK);
	assert_true(lock.fd >= 0);
	ts_dir_lock_release(&lock);
	assert_int_equal(lock.fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_second_lock_on_a_held_directory_is_refused_as_busy),
		cmocka_unit_test(a_symbolic_link_in_place_of_the_lock_file_is_not_followed),
		cmocka_unit_test(locking_a_missing_directory_fails_with_its_name),
		cmocka_unit_test(a_directory_name_too_long_for_the_lock_path_is_refused_before_any_open),
		cmocka_unit_test(a_lock_record_is_unheld_after_a_failure_or_a_release),
	};
	return cmocka_run_group_tests_name("lock", tests, NULL, NULL);
}
