/* Harness: the scenario loader. The input is a scenario file; what loads is
 * stepped a few times (ts_fuzz_simulate). `@include` looks in tests/data, so
 * the seed that includes scenario_world.cfg still loads. */
#include <stdlib.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = ts_fuzz_text(data, size);
	if (!text)
		return -1;
	ts_fuzz_load_and_step(text, "fuzz.cfg", TS_FUZZ_DATA_DIR, NULL, 0);
	free(text);
	return 0;
}
