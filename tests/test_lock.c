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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_second_lock_on_a_held_directory_is_refused_as_busy),
		cmocka_unit_test(a_symbolic_link_in_place_of_the_lock_file_is_not_followed),
		cmocka_unit_test(locking_a_missing_directory_fails_with_its_name),
	};
	return cmocka_run_group_tests_name("lock", tests, NULL, NULL);
}
