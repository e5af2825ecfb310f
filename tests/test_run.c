/* Whole runs through ts_run() and the CLI: files, determinism, metadata,
 * locale, failures that must leave nothing complete-looking behind, and
 * the exit status of every class of bad input. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "testutil.h"
#include "cli_process.h"
#include "dir_listing.h"
#include "small_world.h"
#include "util/lock.h"
#include "output/run.h"
#include "output/tables.h"

static const char *files[] = {"countries.csv", "firms.csv", "markets.csv", "events.csv", "scenario.cfg", "run.json"};
#define N_FILES (sizeof files / sizeof files[0])

static ts_scenario *scenario;

static int setup(void **state)
{
	(void)state;
	scenario = tu_load(small_world);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_scenario_free(scenario);
	return 0;
}

/* Nothing in dir but the lock file. */
static void expect_nothing_written(const char *dir)
{
	char left[1024];
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");
}

static void run_into(const char *dir, uint32_t seed)
{
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.seed = seed;
	if (ts_run(scenario, &o, &err) != TS_OK)
		fail_msg("run failed: %s", err.message);
}

static void the_same_seed_gives_byte_identical_files(void **state)
{
	(void)state;
	char a[256], b[256];
	tu_make_dir(a, sizeof a, "det_a");
	tu_make_dir(b, sizeof b, "det_b");
	run_into(a, 42);
	run_into(b, 42);
	for (size_t f = 0; f < N_FILES; f++) {
		char *x = tu_read_in(a, files[f]), *y = tu_read_in(b, files[f]);
		assert_non_null(x);
		assert_non_null(y);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	/* Another seed changes the technology paths. */
	run_into(b, 43);
	char *x = tu_read_in(a, "firms.csv"), *y = tu_read_in(b, "firms.csv");
	assert_true(strcmp(x, y) != 0);
	free(x);
	free(y);
}

static void files_have_a_header_and_one_row_per_entity_per_step(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "rows");
	run_into(dir, 1);
	char *firms = tu_read_in(dir, "firms.csv"), *countries = tu_read_in(dir, "countries.csv");
	assert_true(strncmp(firms, "step,date,firm,country,sector,revenue_bn_usd,", 45) == 0);
	assert_true(strncmp(countries, "step,date,country,price_index,consumer_welfare_bn_usd,", 54) == 0);
	assert_int_equal(tu_count_lines(firms), 1 + 10 * 4);
	assert_int_equal(tu_count_lines(countries), 1 + 10 * 2);
	assert_non_null(strstr(firms, "\n3,2018Q4,ZTE,CN,phones,"));
	free(firms);
	free(countries);
}

static void events_record_every_start_and_end_with_its_date(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "events");
	run_into(dir, 1);
	char *events = tu_read_in(dir, "events.csv");
	assert_string_equal(events,
		"step,date,id,actor,target,measure,action,cause\n"
		"1,2018Q2,zte_denial,US,ZTE,export_control,start,\n"
		"2,2018Q3,zte_denial,US,ZTE,export_control,end,\n"
		"6,2019Q3,state_ban,CN,Apple,procurement_ban,start,\n");
	free(events);
}

static void run_json_records_scenario_hash_seed_overrides_and_version(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "meta");
	ts_override ov[] = {{"run.steps", "8"}};
	ts_scenario *s = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load_string(&s, small_world, "meta.cfg", NULL, ov, 1, &err), TS_OK);
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	o.overrides = ov;
	o.n_overrides = 1;
	o.command_line = "tradesim run meta.cfg --set run.steps=8";
	assert_int_equal(ts_run(s, &o, &err), TS_OK);
	char *json = tu_read_in(dir, "run.json");
	char hash_line[128];
	snprintf(hash_line, sizeof hash_line, "\"scenario_sha256\": \"%s\"", ts_scenario_hash(s));
	assert_non_null(strstr(json, hash_line));
	assert_non_null(strstr(json, "\"seed\": 5,"));
	assert_non_null(strstr(json, "{\"path\": \"run.steps\", \"value\": \"8\"}"));
	assert_non_null(strstr(json, "\"tradesim_version\": \"" TS_VERSION_STRING "\""));
	assert_non_null(strstr(json, "\"command_line\": \"tradesim run meta.cfg --set run.steps=8\""));
	free(json);
	/* The effective scenario holds the override and hashes to the same value. */
	char *cfg = tu_read_in(dir, "scenario.cfg");
	assert_non_null(strstr(cfg, "steps = 8;"));
	free(cfg);
	ts_scenario_free(s);
}

static void numbers_use_a_decimal_point_whatever_the_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_ALL, "de_DE.UTF-8"))
		skip();  /* .ci/run generates this locale */
	char probe[32];
	snprintf(probe, sizeof probe, "%.1f", 1.5);
	assert_string_equal(probe, "1,5");  /* the locale really is active */
	char dir[256];
	tu_make_dir(dir, sizeof dir, "locale");
	run_into(dir, 1);
	setlocale(LC_ALL, "C");
	char *firms = tu_read_in(dir, "firms.csv");
	char *row = strchr(firms, '\n') + 1;
	int commas = 0, header_commas = 0;
	for (char *p = firms; *p != '\n'; p++)
		header_commas += *p == ',';
	for (char *p = row; *p != '\n'; p++)
		commas += *p == ',';
	assert_int_equal(commas, header_commas);  /* no decimal comma split a field */
	assert_non_null(strstr(row, "."));
	free(firms);
}

static void a_write_error_exits_1_and_leaves_no_output_behind(void **state)
{
	(void)state;
	char dir[256], cmd[1024];
	tu_make_dir(dir, sizeof dir, "full");
	tu_write_file("full.cfg", small_world);
	/* A file-size limit of 4 KiB makes writes fail like a full disk. */
	snprintf(cmd, sizeof cmd, "sh -c \"trap '' XFSZ; ulimit -f 8; '%s' run full.cfg -o %s --set run.steps=400 2>full.err\"",
	         TS_CLI_PATH, dir);
	int status = system(cmd);
	assert_int_equal(WEXITSTATUS(status), 1);
	char *err = tu_read_file("full.err");
	assert_non_null(strstr(err, "write failed"));
	free(err);
	char left[1024];
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");  /* nothing, not even temporary files */
}

static void cli_runs_validates_and_describes(void **state)
{
	(void)state;
	tu_write_file("cli.cfg", small_world);
	char dir[256];
	tu_make_dir(dir, sizeof dir, "cli");
	assert_int_equal(tu_cli(NULL, "run cli.cfg -o %s --seed 9 --set run.steps=7 >/dev/null", dir), 0);
	char *json = tu_read_in(dir, "run.json");
	assert_non_null(strstr(json, "\"seed\": 9,"));
	free(json);
	assert_int_equal(tu_cli(NULL, "validate cli.cfg >/dev/null"), 0);
	assert_int_equal(tu_cli(NULL, "describe cli.cfg >describe.txt"), 0);
	char *text = tu_read_file("describe.txt");
	assert_non_null(strstr(text, "ZTE"));
	assert_non_null(strstr(text, "2018Q2"));
	free(text);
	assert_int_equal(tu_cli(NULL, "--version >/dev/null"), 0);
	const char *helps[] = {"--help", "run --help", "validate --help", "describe --help", "help run"};
	for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
		assert_int_equal(tu_cli(NULL, "%s >/dev/null", helps[i]), 0);
}

static void cli_bad_usage_exits_2_with_a_message(void **state)
{
	(void)state;
	tu_write_file("usage.cfg", small_world);
	struct { const char *args, *message; } cases[] = {
		{"", "usage"},
		{"frobnicate usage.cfg", "unknown command 'frobnicate'"},
		{"run usage.cfg --sede 3", "unknown option '--sede'"},
		{"run usage.cfg --seed 0", "--seed must be an integer"},
		{"run usage.cfg --seed 4294967296", "--seed must be an integer"},
		{"run usage.cfg --seed 12abc", "--seed must be an integer"},
		{"run usage.cfg --set run.steps", "--set expects PATH=VALUE"},
		{"run", "missing scenario FILE"},
		{"run no_such_file.cfg", "no_such_file.cfg"},
		{"run usage.cfg -o usage.cfg/sub", "usage.cfg/sub"},
		{"run usage.cfg --set run.steps=0", "run.steps"},
		{"validate usage.cfg --set countries.XX.home_bias=1", "countries.XX"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		tu_expect_cli_refusal(cases[i].args, cases[i].message);
}

/* Every class of bad scenario: exit 2, and a message with file, line and
 * the setting's path. */
static void cli_bad_scenarios_exit_2_naming_file_line_and_setting(void **state)
{
	(void)state;
	struct { const char *find, *replace, *message; } cases[] = {
		{"seed = 5;", "seed = = 5;", "bad.cfg:1:"},                                     /* syntax */
		{"seed = 5;", "seed = 5; sede = 4;", "bad.cfg:1: run.sede: unknown setting 'sede' (did you mean 'seed'?)"},
		{"seed = 5;", "seed = \"five\";", "bad.cfg:1: run.seed"},                         /* type */
		{"size = 400.0;", "size = -400.0;", "bad.cfg:4: countries.CN.markets.phones.size"},
		{"government = 0.08;", "government = 1.5;", "bad.cfg:4: countries.CN.markets.phones.government"},
		{"steps = 10;", "steps = 0;", "bad.cfg:1: run.steps"},
		{"target = \"ZTE\"", "target = \"ZTF\"", "bad.cfg:16: measures.zte_denial.target"},
		{"country = \"CN\"; sector = \"chips\"", "country = \"CX\"; sector = \"chips\"", "bad.cfg:9: firms.S.country"},
		{"  S = { country", "  Q = { country", "bad.cfg:9: duplicate"},                 /* duplicate id */
		{"Q = 0.7; S = 0.3;", "Q = 0.7; S = 0.2;", "bad.cfg:13: firms.ZTE.suppliers.chips"},
		{"seed = 5;", "seed = 4000000000;", "bad.cfg:1: run.seed"},                       /* wrapped integer */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *at = strstr(small_world, cases[i].find);
		assert_non_null(at);
		FILE *f = fopen("bad.cfg", "w");
		fprintf(f, "%.*s%s%s", (int)(at - small_world), small_world, cases[i].replace, at + strlen(cases[i].find));
		fclose(f);
		char dir[256];
		tu_make_dir(dir, sizeof dir, "bad");
		char *err = NULL;
		int code = tu_cli(&err, "run bad.cfg -o %s >/dev/null", dir);
		if (code != 2 || !err || !strstr(err, cases[i].message))
			fail_msg("case %zu (%s): exit %d, stderr: %s", i, cases[i].replace, code, err ? err : "(none)");
		free(err);
		char left[1024];
		assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
		assert_string_equal(left, "");
	}
}

/* The CLI's messages and status when another writer holds the directory. */
static void a_run_into_a_directory_another_writer_holds_exits_2_and_writes_nothing(void **state)
{
	(void)state;
	char dir[256], left[1024];
	tu_make_dir(dir, sizeof dir, "held");
	tu_write_file("held.cfg", small_world);
	ts_dir_lock lock = TS_DIR_LOCK_INIT;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_dir_lock_acquire(&lock, dir, &err), TS_OK);
	char *message = NULL;
	int code = tu_cli(&message, "run held.cfg -o %s >/dev/null", dir);
	int code_reps = tu_cli(NULL, "run held.cfg --reps 2 -o %s >/dev/null 2>&1", dir);
	int code_compare = tu_cli(NULL, "compare held.cfg held.cfg --reps 2 -o %s >/dev/null 2>&1", dir);
	ts_dir_lock_release(&lock);
	assert_int_equal(code, 2);
	assert_int_equal(code_reps, 2);
	assert_int_equal(code_compare, 2);
	assert_non_null(strstr(message, dir));
	assert_non_null(strstr(message, "in use by another tradesim process"));
	free(message);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");
}

/* Every table and scenario.cfg of dir equal to those of ref. */
static int same_output(const char *dir, const char *ref)
{
	const char *names[] = {"countries.csv", "firms.csv", "markets.csv", "relations.csv", "events.csv", "scenario.cfg"};
	int same = 1;
	for (size_t f = 0; f < sizeof names / sizeof names[0]; f++) {
		char *x = tu_read_in(dir, names[f]), *y = tu_read_in(ref, names[f]);
		same = same && strcmp(x, y) == 0;
		free(x);
		free(y);
	}
	return same;
}

/* Four runs with seeds 1 to 4 started together into one directory, again
 * and again: each either writes its whole run or is refused (exit 2), and
 * run.json always describes the CSV files beside it. (Without the lock, one
 * trial in ten or so left one run's run.json beside another's CSVs.) */
#define RACERS 4
static void concurrent_runs_into_one_directory_never_mix_their_files(void **state)
{
	(void)state;
	char ref[RACERS][256], dir[256], seeds[RACERS][8], outs[RACERS][32];
	tu_write_file("race.cfg", small_world);
	for (int k = 0; k < RACERS; k++) {
		snprintf(seeds[k], sizeof seeds[k], "%d", k + 1);
		snprintf(outs[k], sizeof outs[k], "race_%d.out", k);
		snprintf(dir, sizeof dir, "race_ref%d", k + 1);
		tu_make_dir(ref[k], sizeof ref[k], dir);
		assert_int_equal(tu_cli(NULL, "run race.cfg -o %s --seed %d >/dev/null", ref[k], k + 1), 0);
	}
	for (int trial = 0; trial < 40; trial++) {
		tu_make_dir(dir, sizeof dir, "race");
		pid_t pid[RACERS];
		for (int k = 0; k < RACERS; k++) {
			char *argv[] = {"tradesim", "run", "race.cfg", "-o", dir, "--seed", seeds[k], NULL};
			pid[k] = cli_spawn(argv, NULL, outs[k]);
		}
		int written = 0;
		for (int k = 0; k < RACERS; k++) {
			int code = cli_wait(pid[k]);
			if (code != 0 && code != 2)
				fail_msg("trial %d: exit status %d", trial, code);
			written += code == 0;
		}
		assert_true(written > 0);
		char *json = tu_read_in(dir, "run.json");
		char *at = strstr(json, "\"seed\": ");
		int seed = at ? atoi(at + 8) : 0;
		free(json);
		assert_true(seed >= 1 && seed <= RACERS);
		if (!same_output(dir, ref[seed - 1]))
			fail_msg("trial %d: run.json of seed %d beside files of another run", trial, seed);
	}
}

/* A run killed outright (SIGKILL: no handler can clean) leaves its
 * temporaries; the next run into the directory removes them. */
static void a_run_removes_the_temporaries_a_killed_run_left(void **state)
{
	(void)state;
	char dir[256], left[1024];
	tu_make_dir(dir, sizeof dir, "killed");
	tu_write_file("killed.cfg", small_world);
	char *argv[] = {"tradesim", "run", "killed.cfg", "--set", "run.steps=30000", "-o", dir, NULL};
	pid_t pid = cli_spawn(argv, NULL, "killed.out");
	assert_int_equal(wait_for_temporaries(dir), 0);
	kill(pid, SIGKILL);
	assert_int_equal(cli_wait(pid), -1);
	assert_true(temporaries_in(dir) > 0);
	assert_int_equal(tu_cli(NULL, "run killed.cfg -o %s >/dev/null", dir), 0);
	assert_int_equal(temporaries_in(dir), 0);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "countries.csv events.csv firms.csv markets.csv relations.csv run.json scenario.cfg");
}

/* Replications leave summaries and reps.csv: a run into their directory is
 * refused, saying what is there, and nothing is touched (plot_ensemble.py
 * would plot the old summaries beside the new run). With force, the run
 * replaces them, but not while a file tradesim does not write is there
 * (named in the message); plots of analysis/ are tradesim's and go. */
static void a_run_over_replications_is_refused_unless_forced(void **state)
{
	(void)state;
	char dir[256], path[512], left[2048];
	tu_make_dir(dir, sizeof dir, "over_reps");
	ts_ensemble_options eo = TS_ENSEMBLE_OPTIONS_INIT;
	eo.output_dir = dir;
	eo.reps = 2;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_ensemble_run(scenario, &eo, &err), TS_OK);
	char before[2048];
	assert_int_equal(dir_entries_but_lock(dir, before, sizeof before), 0);
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	assert_int_equal(ts_run(scenario, &o, &err), TS_EINPUT);
	char expected[1024];
	snprintf(expected, sizeof expected, "%s holds 2 replications of test.cfg (run.json); use --force to replace it "
	         "or another -o", dir);
	assert_string_equal(err.message, expected);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, before);
	snprintf(path, sizeof path, "%s/summary_notes.txt", dir);
	tu_write_file(path, "mine");
	snprintf(path, sizeof path, "%s/ensemble_firms_revenue_bn_usd.png", dir);
	tu_write_file(path, "a plot");
	o.force = 1;
	ts_error_clear(&err);
	assert_int_equal(ts_run(scenario, &o, &err), TS_EINPUT);
	snprintf(expected, sizeof expected, "%s holds files tradesim did not write: summary_notes.txt; --force removes "
	         "only tradesim's files: move them away or use another -o", dir);
	assert_string_equal(err.message, expected);
	snprintf(path, sizeof path, "%s/summary_notes.txt", dir);
	assert_int_equal(unlink(path), 0);
	ts_error_clear(&err);
	assert_int_equal(ts_run(scenario, &o, &err), TS_OK);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "countries.csv events.csv firms.csv markets.csv relations.csv run.json scenario.cfg");
	char *firms = tu_read_in(dir, "firms.csv");
	assert_true(strncmp(firms, "step,date,firm,", 15) == 0);  /* the run's, not the replications' */
	free(firms);
}

/* A run of the same scenario is replaced, as often as asked; a run of
 * another scenario is refused, naming both. */
static void a_run_replaces_a_run_of_its_scenario_and_refuses_another_s(void **state)
{
	(void)state;
	char dir[256], expected[1024];
	tu_make_dir(dir, sizeof dir, "over_run");
	run_into(dir, 3);
	run_into(dir, 4);
	ts_scenario *other = NULL;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_scenario_load_string(&other, small_world, "other.cfg", NULL, NULL, 0, &err), TS_OK);
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	assert_int_equal(ts_run(other, &o, &err), TS_EINPUT);
	snprintf(expected, sizeof expected, "%s holds a run of test.cfg (run.json), not of other.cfg; use --force to "
	         "replace it or another -o", dir);
	assert_string_equal(err.message, expected);
	ts_scenario_free(other);
	char *json = tu_read_in(dir, "run.json");
	assert_non_null(strstr(json, "\"seed\": 4,"));
	free(json);
}

/* run.json holds the scenario path, the overrides and the command line as
 * given: a Latin-1 file name and an override with a stray byte made it
 * invalid JSON. It must parse as strict UTF-8 JSON. */
static void run_json_is_valid_json_whatever_bytes_the_path_and_overrides_hold(void **state)
{
	(void)state;
	if (system("python3 -c 'import json' 2>/dev/null") != 0)
		skip();
	char dir[256], cmd[1024];
	tu_make_dir(dir, sizeof dir, "utf8");
	tu_write_file("caf\xe9.cfg", small_world);
	assert_int_equal(tu_cli(NULL, "run 'caf\xe9.cfg' -o %s --set 'title=ab\xff\xc0\xaf" "cd' >/dev/null", dir), 0);
	snprintf(cmd, sizeof cmd,
	         "python3 -c 'import json,sys; d = json.load(open(sys.argv[1], encoding=\"utf-8\")); "
	         "sys.exit(0 if d[\"scenario\"] == \"caf\\ufffd.cfg\" and "
	         "d[\"overrides\"][0][\"value\"] == \"ab\\ufffd\\ufffd\\ufffdcd\" else 1)' %s/run.json", dir);
	assert_int_equal(system(cmd), 0);
}

/* A run whose cancel flag is set stops before its next step with
 * TS_ECANCELED and leaves nothing behind. */
static void a_run_asked_to_stop_writes_nothing(void **state)
{
	(void)state;
	char dir[256], left[1024];
	tu_make_dir(dir, sizeof dir, "canceled");
	volatile sig_atomic_t stop = 1;
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	o.cancel = &stop;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_run(scenario, &o, &err), TS_ECANCELED);
	assert_string_equal(err.message, "interrupted before step 0; nothing was written");
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");
}

/* The caller's step callback: what it reads of the sim, and after how many
 * steps it asks to stop (0: never). */
typedef struct step_calls {
	int calls, stop_after;
	double s_revenue[16];
} step_calls;

static int on_step(const ts_sim *sim, void *ctx)
{
	step_calls *c = ctx;
	ts_error err = TS_ERROR_INIT;
	if (c->calls < 16 && ts_sim_value(sim, "firms", "S", "revenue_bn_usd", &c->s_revenue[c->calls], &err) != TS_OK)
		fail_msg("%s", err.message);
	c->calls++;
	return c->stop_after > 0 && c->calls >= c->stop_after;
}

/* on_step sees every step after it is written, reading S's revenue as
 * firms.csv holds it; returning non-zero after 3 steps stops the run
 * there with TS_ECANCELED, writing nothing. */
static void a_step_callback_reads_each_step_and_may_stop_the_run(void **state)
{
	(void)state;
	char dir[256], left[1024];
	tu_make_dir(dir, sizeof dir, "step_callback");
	step_calls calls = {0};
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	o.on_step = on_step;
	o.on_step_ctx = &calls;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_run(scenario, &o, &err), TS_OK);
	assert_int_equal(calls.calls, ts_scenario_steps(scenario));
	char *firms = tu_read_in(dir, "firms.csv"), *save = NULL;
	int seen = 0;
	for (char *line = strtok_r(firms, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int t;
		char firm[16];
		double revenue;  /* step,date,firm,country,sector,revenue_bn_usd,... */
		if (sscanf(line, "%d,%*[^,],%15[^,],%*[^,],%*[^,],%lf", &t, firm, &revenue) == 3 && strcmp(firm, "S") == 0) {
			assert_true(t >= 0 && t < calls.calls && revenue == calls.s_revenue[t]);
			seen++;
		}
	}
	assert_int_equal(seen, calls.calls);
	free(firms);
	tu_make_dir(dir, sizeof dir, "step_callback_stops");
	step_calls stop = {.stop_after = 3};
	o.output_dir = dir;
	o.on_step_ctx = &stop;
	assert_int_equal(ts_run(scenario, &o, &err), TS_ECANCELED);
	assert_string_equal(err.message, "stopped by the step callback after 3 steps; nothing was written");
	assert_int_equal(stop.calls, 3);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
}

/* run.json, whole: the version, the scenario and its hash, the seed used,
 * the calendar, the overrides, the command line and the files. */
static void run_json_holds_exactly_what_a_rerun_needs(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "meta_whole");
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	ts_error err = TS_ERROR_INIT;
	o.output_dir = dir;
	o.seed = 42;
	assert_int_equal(ts_run(scenario, &o, &err), TS_OK);
	char expected[2048];
	snprintf(expected, sizeof expected,
	         "{\n  \"tradesim_version\": \"%s\",\n  \"kind\": \"run\",\n  \"scenario\": \"%s\",\n"
	         "  \"scenario_sha256\": \"%s\",\n  \"seed\": 42,\n  \"steps\": 10,\n  \"steps_per_year\": 4,\n"
	         "  \"first_date\": \"2018Q1\",\n  \"last_date\": \"2020Q2\",\n  \"overrides\": [],\n"
	         "  \"command_line\": \"\",\n  \"files\": [\"countries.csv\", \"firms.csv\", \"markets.csv\", "
	         "\"relations.csv\", \"events.csv\", \"scenario.cfg\", \"run.json\"]\n}\n",
	         TS_VERSION_STRING, ts_scenario_path(scenario), ts_scenario_hash(scenario));
	char *json = tu_read_in(dir, "run.json");
	assert_string_equal(json, expected);
	free(json);
}

/* The steps a visitor saw, and a step at which it sets a flag or fails. */
typedef struct visits {
	int steps;
	char last_date[32];
	int stop_at, fail_at;
	volatile sig_atomic_t *flag;
	double s_revenue;            /* firm S's, at the last step seen */
} visits;

static int visit_step(const struct ts_sim *w, const char *date, void *ctx, ts_error *err)
{
	visits *v = ctx;
	v->steps++;
	snprintf(v->last_date, sizeof v->last_date, "%s", date);
	const ts_table *firms = ts_table_find("firms");
	for (int c = 0; c < firms->n_columns; c++)
		if (strcmp(firms->columns[c].name, "revenue_bn_usd") == 0)
			v->s_revenue = ts_table_value(firms, w, 1, c);  /* rows in scenario order: Q, S, Apple, ZTE */
	if (v->steps == v->stop_at)
		*v->flag = 1;
	if (v->steps == v->fail_at)
		return ts_error_set(err, TS_ERUN, "visitor failed at %s", date);
	return TS_OK;
}

/* Set during step 3, the flag stops the run before step 4: nothing written. */
static void a_run_stopped_between_steps_writes_nothing(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "stopped_midway");
	volatile sig_atomic_t stop = 0;
	visits v = {0, "", 4, 0, &stop, 0.0};
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	o.cancel = &stop;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_run_visited(scenario, &o, visit_step, &v, &err), TS_ECANCELED);
	assert_string_equal(err.message, "interrupted before step 4; nothing was written");
	assert_int_equal(v.steps, 4);
	assert_string_equal(v.last_date, "2018Q4");
	expect_nothing_written(dir);
}

/* A visitor's failure stops the run with its error: nothing written. */
static void a_visitor_that_fails_stops_the_run_and_nothing_is_written(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "visitor_failed");
	volatile sig_atomic_t unused = 0;
	visits v = {0, "", 0, 3, &unused, 0.0};
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	o.output_dir = dir;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_run_visited(scenario, &o, visit_step, &v, &err), TS_ERUN);
	assert_string_equal(err.message, "visitor failed at 2018Q3");
	assert_int_equal(v.steps, 3);
	expect_nothing_written(dir);
}

/* In memory, every step is visited, with seed 0 meaning the scenario's own
 * (run.seed = 5): the same path as seed 5, another than seed 6's. */
static void a_simulation_visits_every_step_and_seed_0_is_the_scenario_s_seed(void **state)
{
	(void)state;
	volatile sig_atomic_t unused = 0;
	visits v0 = {0, "", 0, 0, &unused, 0.0}, v5 = v0, v6 = v0;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_simulate(scenario, 0, visit_step, &v0, &err), TS_OK);
	assert_int_equal(ts_simulate(scenario, 5, visit_step, &v5, &err), TS_OK);
	assert_int_equal(ts_simulate(scenario, 6, visit_step, &v6, &err), TS_OK);
	assert_int_equal(v0.steps, 10);
	assert_string_equal(v0.last_date, "2020Q2");
	assert_true(v0.s_revenue == v5.s_revenue);
	assert_true(v0.s_revenue != v6.s_revenue);
}

static void a_run_needs_an_output_directory_and_a_set_flag_after_the_runs_says_so(void **state)
{
	(void)state;
	ts_error err = TS_ERROR_INIT;
	assert_int_equal(ts_run(scenario, NULL, &err), TS_EINPUT);
	assert_string_equal(err.message, "no output directory given");
	ts_run_options o = TS_RUN_OPTIONS_INIT;
	ts_error_clear(&err);
	assert_int_equal(ts_run(scenario, &o, &err), TS_EINPUT);
	volatile sig_atomic_t stop = 0;
	ts_error_clear(&err);
	assert_int_equal(ts_check_cancel(&stop, -1, &err), TS_OK);
	assert_int_equal(ts_check_cancel(NULL, 3, &err), TS_OK);
	stop = 1;
	assert_int_equal(ts_check_cancel(&stop, -1, &err), TS_ECANCELED);
	assert_string_equal(err.message, "interrupted; nothing was written");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_same_seed_gives_byte_identical_files),
		cmocka_unit_test(files_have_a_header_and_one_row_per_entity_per_step),
		cmocka_unit_test(events_record_every_start_and_end_with_its_date),
		cmocka_unit_test(run_json_records_scenario_hash_seed_overrides_and_version),
		cmocka_unit_test(numbers_use_a_decimal_point_whatever_the_locale),
		cmocka_unit_test(a_write_error_exits_1_and_leaves_no_output_behind),
		cmocka_unit_test(cli_runs_validates_and_describes),
		cmocka_unit_test(cli_bad_usage_exits_2_with_a_message),
		cmocka_unit_test(cli_bad_scenarios_exit_2_naming_file_line_and_setting),
		cmocka_unit_test(a_run_into_a_directory_another_writer_holds_exits_2_and_writes_nothing),
		cmocka_unit_test(concurrent_runs_into_one_directory_never_mix_their_files),
		cmocka_unit_test(a_run_removes_the_temporaries_a_killed_run_left),
		cmocka_unit_test(a_run_over_replications_is_refused_unless_forced),
		cmocka_unit_test(a_run_replaces_a_run_of_its_scenario_and_refuses_another_s),
		cmocka_unit_test(run_json_is_valid_json_whatever_bytes_the_path_and_overrides_hold),
		cmocka_unit_test(a_run_asked_to_stop_writes_nothing),
		cmocka_unit_test(a_step_callback_reads_each_step_and_may_stop_the_run),
		cmocka_unit_test(run_json_holds_exactly_what_a_rerun_needs),
		cmocka_unit_test(a_run_stopped_between_steps_writes_nothing),
		cmocka_unit_test(a_visitor_that_fails_stops_the_run_and_nothing_is_written),
		cmocka_unit_test(a_simulation_visits_every_step_and_seed_0_is_the_scenario_s_seed),
		cmocka_unit_test(a_run_needs_an_output_directory_and_a_set_flag_after_the_runs_says_so),
	};
	return cmocka_run_group_tests_name("run", tests, setup, teardown);
}
