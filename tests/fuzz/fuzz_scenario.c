/* Harness: the scenario loader. The input is a scenario file; what loads is
 * stepped a few times (ts_fuzz_simulate). `@include` looks in tests/data, so
 * the seed that includes scenario_world.cfg still loads. */
#include <stdlib.h>
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = ts_fuzz_text(data, size);
	if (!text)
		return -1;
	ts_error err = TS_ERROR_INIT;
	ts_scenario *s = NULL;
	int rc = ts_scenario_load_string(&s, text, "fuzz.cfg", TS_FUZZ_DATA_DIR, NULL, 0, &err);
	ts_fuzz_check_load(rc, s, &err);
	if (s)
		ts_fuzz_simulate(s);
	ts_scenario_free(s);
	free(text);
	return 0;
}
