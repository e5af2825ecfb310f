/* Harness: `--set PATH=VALUE` overrides. The first byte of the input picks
 * one of the scenarios below; the rest is one override per line, PATH=VALUE
 * split at the first '=' as the command line splits `--set` (a line without
 * '=' or with an empty path, which the command line refuses, is left out).
 * What loads is stepped a few times (ts_fuzz_simulate). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "util/textfile.h"

#define FUZZ_MAX_OVERRIDES 64

/* In a fixed order, so that a saved input picks the same scenario for ever:
 * add new ones at the end. Folders are relative to the source tree. */
static const struct {
	const char *dir, *file;
} scenarios[] = {
	{ "scenarios", "default.cfg" }, { "scenarios", "zte_2018.cfg" }, { "scenarios", "huawei_2019_2020.cfg" },
	{ "scenarios", "cyberlaw_2017.cfg" }, { "scenarios", "decoupling.cfg" }, { "scenarios", "tit_for_tat_2023.cfg" },
	{ "tests/data", "mpi_world.cfg" },
};
#define N_SCENARIOS (sizeof scenarios / sizeof scenarios[0])
static char scenario_dirs[N_SCENARIOS][4096];
static char *scenario_texts[N_SCENARIOS];

/* Reads the scenarios once. A missing one is a broken build tree, not a
 * finding: stop with the path rather than fuzz with fewer scenarios. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (size_t k = 0; k < N_SCENARIOS; k++) {
		char path[8192];
		ts_error err = TS_ERROR_INIT;
		int n_dir = snprintf(scenario_dirs[k], sizeof scenario_dirs[k], "%s/%s", TS_SOURCE_DIR, scenarios[k].dir);
		int n_path = snprintf(path, sizeof path, "%s/%s", scenario_dirs[k], scenarios[k].file);
		if (n_dir >= (int)sizeof scenario_dirs[k] || n_path >= (int)sizeof path ||
		    ts_read_file(&scenario_texts[k], NULL, path, &err) != TS_OK) {
			fprintf(stderr, "fuzz_override: cannot read %s: %s\n", path, err.message);
			exit(2);
		}
	}
	return 0;
}

/* Splits text in place into at most FUZZ_MAX_OVERRIDES overrides; returns
 * how many. */
static size_t split_overrides(char *text, ts_override *ov)
{
	size_t n = 0;
	for (char *line = text; line && n < FUZZ_MAX_OVERRIDES;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *eq = strchr(line, '=');
		if (eq && eq != line) {
			*eq = '\0';
			ov[n].path = line;
			ov[n].value = eq + 1;
			n++;
		}
		line = next;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return -1;
	char *text = ts_fuzz_text(data + 1, size - 1);
	if (!text)
		return -1;
	ts_override ov[FUZZ_MAX_OVERRIDES];
	size_t n = split_overrides(text, ov);
	size_t k = data[0] % N_SCENARIOS;
	ts_fuzz_load_and_step(scenario_texts[k], scenarios[k].file, scenario_dirs[k], ov, n);
	free(text);
	return 0;
}
