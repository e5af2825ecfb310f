/* The tradesim command (sim/cli/): usage errors of every command, the
 * option parser's forms and '--', `version`, help texts and the exit
 * statuses they document, and interruption by SIGINT or SIGTERM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <regex.h>
#include <sys/stat.h>
#include "testutil.h"
#include "cli_process.h"
#include "dir_listing.h"
#include "small_world.h"

static int setup(void **state)
{
	(void)state;
	tu_write_file("cli_world.cfg", small_world);
	return 0;
}

static void expect_usage_error(const char *args, const char *message)
{
	char *err = NULL;
	int code = tu_cli(&err, "%s >/dev/null", args);
	if (code != 2 || !err || !strstr(err, message) || !strstr(err, "Try 'tradesim"))
		fail_msg("'tradesim %s': exit %d, stderr: %s (expected '%s')", args, code, err ? err : "(none)", message);
	free(err);
}

static void usage_errors_of_run_name_the_option_and_exit_2(void **state)
{
	(void)state;
	expect_usage_error("run", "tradesim run: missing scenario FILE");
	expect_usage_error("run cli_world.cfg -o", "option '-o' needs a directory");
	expect_usage_error("run cli_world.cfg --output", "option '--output' needs a directory");
	expect_usage_error("run cli_world.cfg --output=", "option '--output' needs a directory");
	expect_usage_error("run cli_world.cfg -o ''", "option '-o' needs a directory");
	expect_usage_error("run cli_world.cfg --seed", "option '--seed' needs a number");
	expect_usage_error("run cli_world.cfg --set", "option '--set' needs PATH=VALUE");
	expect_usage_error("run cli_world.cfg --set=run.steps", "--set expects PATH=VALUE, got 'run.steps'");
	expect_usage_error("run cli_world.cfg --bogus", "unknown option '--bogus'");
	expect_usage_error("run cli_world.cfg --bogus=3", "unknown option '--bogus'");
	expect_usage_error("run cli_world.cfg -x", "unknown option '-x'");
	expect_usage_error("run cli_world.cfg -hx", "unknown option '-hx'");
	expect_usage_error("run cli_world.cfg --help=yes", "option '--help' takes no value");
	expect_usage_error("run cli_world.cfg --independent", "unknown option '--independent'");
	expect_usage_error("run cli_world.cfg other.cfg", "unexpected argument 'other.cfg'");
	expect_usage_error("run cli_world.cfg -j 2", "-j needs --reps");
	expect_usage_error("run cli_world.cfg --progress", "--progress needs --reps");
	expect_usage_error("run cli_world.cfg --reps=0", "--reps must be an integer in [1, 1000000], got '0'");
	expect_usage_error("run cli_world.cfg --reps 2 -j0", "-j must be an integer in [1, 4096], got '0'");
	expect_usage_error("run cli_world.cfg --seed=-1", "--seed must be an integer in [1, 4294967295]");
}

/* The last progress line in a command's stderr: the text after the last
 * carriage return, up to its newline (copied into buf). */
static const char *last_progress_line(const char *err, char *buf, size_t size)
{
	const char *cr = err ? strrchr(err, '\r') : NULL;
	if (!cr)
		return NULL;
	size_t n = strcspn(cr + 1, "\n");
	snprintf(buf, size, "%.*s", (int)n, cr + 1);
	return buf;
}

/* stderr's last progress line matches `pattern` (a POSIX extended regex). */
static void expect_progress_line(const char *err, const char *pattern)
{
	char line[512];
	regex_t re;
	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	int ok = last_progress_line(err, line, sizeof line) && regexec(&re, line, 0, NULL, 0) == 0;
	regfree(&re);
	if (!ok)
		fail_msg("no progress line matching /%s/ in: %s", pattern, err ? err : "(none)");
}

/* Rate, elapsed and ETA of a finished command's line: "N runs/s" (or "--"
 * when too quick to time), "elapsed M:SS", "ETA 0:00". */
#define PROGRESS_TIMES "  ([0-9.]+|--) runs/s  elapsed [0-9]+:[0-5][0-9]  ETA (0:00|--)"

/* --progress draws the progress line on stderr even when it is no
 * terminal, up to every replication of a run (3/3) and both sides' of a
 * comparison (2 x 2 = 4/4), with the percentage, rate, elapsed time and
 * ETA; without it, a redirected stderr gets none. */
static void replications_and_comparisons_show_progress_when_asked(void **state)
{
	(void)state;
	char dir[256], dir2[300], *err = NULL;
	tu_make_dir(dir, sizeof dir, "cli_progress");
	snprintf(dir2, sizeof dir2, "%s/cmp", dir);
	assert_int_equal(tu_cli(&err, "run cli_world.cfg --reps 3 --progress -o %s >/dev/null", dir), 0);
	expect_progress_line(err, "^100% 3/3 runs" PROGRESS_TIMES " *$");
	free(err);
	assert_int_equal(tu_cli(&err, "compare cli_world.cfg cli_world.cfg --reps 2 --progress -o %s >/dev/null", dir2), 0);
	expect_progress_line(err, "^100% 4/4 runs" PROGRESS_TIMES " *$");
	assert_non_null(strstr(err, "\n"));  /* the finished line ends */
	free(err);
	assert_int_equal(tu_cli(&err, "run cli_world.cfg --reps 2 -o %s >/dev/null", dir), 0);
	assert_true(err && err[0] == '\0');
	free(err);
}

/* A sweep where two of four runs fail (a negative budget is refused): the
 * line counts them, from the first line (none done) to the last. A rerun of the finished sweep starts at
 * 4/4 with the same count, read back from sweep.csv. */
static void a_sweeps_progress_line_counts_its_failed_runs(void **state)
{
	(void)state;
	char dir[256], *err = NULL;
	tu_make_dir(dir, sizeof dir, "cli_progress_failed");
	const char *args = "sweep --scenario cli_world.cfg --values countries.CN.rd_budget=2,-5,3,-1 "
	                   "--metric final:countries.CN.tech_gap -j 1 --progress -o";
	assert_int_equal(tu_cli(&err, "%s %s >/dev/null", args, dir), 1);
	expect_progress_line(err, "^100% 4/4 runs" PROGRESS_TIMES "  2 failed *$");
	if (!strstr(err, "\r  0% 0/4 runs  -- runs/s  elapsed 0:00  ETA --  0 failed"))
		fail_msg("no first line in: %s", err);
	free(err);
	assert_int_equal(tu_cli(&err, "%s %s >/dev/null", args, dir), 1);
	expect_progress_line(err, "^100% 4/4 runs  -- runs/s  elapsed 0:00  ETA --  2 failed *$");
	free(err);
}

/* Interrupted with its progress line half drawn (the test hook raises
 * SIGINT after two runs), a command ends that line before its message, so
 * the message starts a line of its own: replications, a comparison, a
 * sweep, a check. */
static void the_interrupt_message_starts_on_a_line_of_its_own(void **state)
{
	(void)state;
	char dir[256], *err = NULL;
	tu_make_dir(dir, sizeof dir, "cli_progress_int");
	tu_write_file("cli_progress_facts.cfg", "facts = ({ name = \"gap\"; series = \"countries.CN.tech_gap\";\n"
	              "  stat = \"value\"; at = \"2020Q2\"; observed = 0.5; tolerance = 10.0; source = \"a test\"; });\n");
	const char *commands[][2] = {
		{"run cli_world.cfg --reps 6 -j 1 --progress -o %s/reps", "tradesim run: interrupted"},
		{"compare cli_world.cfg cli_world.cfg --reps 3 -j 1 --progress -o %s/cmp", "tradesim compare: interrupted"},
		{"sweep --scenario cli_world.cfg --values countries.CN.rd_budget=1,-1%s "
		 "--metric final:countries.CN.tech_gap -j 1 --progress -o %s/sweep", "tradesim sweep: interrupted"},
		{"check cli_world.cfg cli_progress_facts.cfg --reps 6 -j 1 --progress -o %s", "tradesim check: interrupted"},
	};
	char budgets[256] = "";  /* the sweep: 41 good values, the second one bad */
	for (int k = 2; k <= 41; k++)
		snprintf(budgets + strlen(budgets), sizeof budgets - strlen(budgets), ",%d", k);
	setenv("TRADESIM_TEST_INTERRUPT_AFTER", "2", 1);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char args[768];
		if (i == 2)
			snprintf(args, sizeof args, commands[i][0], budgets, dir);
		else
			snprintf(args, sizeof args, commands[i][0], dir);
		int code = tu_cli(&err, "%s >/dev/null", args);
		const char *message = err ? strstr(err, commands[i][1]) : NULL;
		if (code != 130 || !message || !memchr(err, '\r', (size_t)(message - err)) || message[-1] != '\n')
			fail_msg("'tradesim %s': exit %d, the message not on a line of its own after the progress line:\n%s",
			         args, code, err ? err : "(none)");
		if (i == 2)  /* the line the interruption left: 2 of 42 is 4% (rounded down), the second run failed */
			expect_progress_line(err, "^  4% 2/42 runs  [0-9.]+ runs/s  elapsed 0:[0-5][0-9]  ETA [0-9:]+  1 failed *$");
		free(err);
	}
	unsetenv("TRADESIM_TEST_INTERRUPT_AFTER");
}

/* A command refused an output directory: exit 2, the message naming what
 * the directory holds. */
static void expect_dir_refusal(const char *args, const char *dir, const char *what)
{
	char *err = NULL, expected[1024];
	snprintf(expected, sizeof expected, "%s holds %s; use --force to replace it or another -o\n", dir, what);
	int code = tu_cli(&err, "%s >/dev/null", args);
	if (code != 2 || !err || strcmp(err, expected) != 0)
		fail_msg("'tradesim %s': exit %d, stderr: %s (expected: %s)", args, code, err ? err : "(none)", expected);
	free(err);
}

/* Output directories hold one kind of output: a run into a sweep's, a
 * sweep into a run's, replications into a comparison's are refused (exit
 * 2, saying what is there); --force clears them first; a rerun of the same
 * kind and scenario goes on as before (a run replaces, a sweep resumes). */
static void commands_refuse_a_directory_of_another_output_unless_forced(void **state)
{
	(void)state;
	char base[256], sweep_dir[300], run_dir[300], cmp_dir[300], args[1024], what[512];
	tu_make_dir(base, sizeof base, "cli_claims");
	snprintf(sweep_dir, sizeof sweep_dir, "%s/sweep", base);
	snprintf(run_dir, sizeof run_dir, "%s/run", base);
	snprintf(cmp_dir, sizeof cmp_dir, "%s/cmp", base);
	const char *sweep = "sweep --scenario cli_world.cfg --values countries.CN.rd_budget=1,2 "
	                    "--metric final:countries.CN.tech_gap -j 1";
	assert_int_equal(tu_cli(NULL, "%s -o %s >/dev/null", sweep, sweep_dir), 0);
	snprintf(args, sizeof args, "run cli_world.cfg -o %s", sweep_dir);
	expect_dir_refusal(args, sweep_dir, "a sweep of cli_world.cfg (sweep.json)");
	assert_int_equal(tu_cli(NULL, "run cli_world.cfg -o %s >/dev/null", run_dir), 0);
	assert_int_equal(tu_cli(NULL, "run cli_world.cfg -o %s --seed 9 >/dev/null", run_dir), 0);  /* replaced */
	snprintf(args, sizeof args, "%s -o %s", sweep, run_dir);
	expect_dir_refusal(args, run_dir, "a run of cli_world.cfg (run.json)");
	assert_int_equal(tu_cli(NULL, "compare cli_world.cfg cli_world.cfg --reps 2 -o %s >/dev/null", cmp_dir), 0);
	snprintf(args, sizeof args, "run cli_world.cfg --reps 2 -o %s", cmp_dir);
	snprintf(what, sizeof what, "a comparison of cli_world.cfg and cli_world.cfg (run.json)");
	expect_dir_refusal(args, cmp_dir, what);
	/* --force: each of them replaced by the other kind. */
	assert_int_equal(tu_cli(NULL, "run cli_world.cfg --force -o %s >/dev/null", sweep_dir), 0);
	assert_int_equal(tu_cli(NULL, "%s --force -o %s >/dev/null", sweep, run_dir), 0);
	assert_int_equal(tu_cli(NULL, "run cli_world.cfg --reps 2 --force -o %s >/dev/null", cmp_dir), 0);
	char left[1024];
	assert_int_equal(dir_entries_but_lock(sweep_dir, left, sizeof left), 0);
	assert_string_equal(left, "countries.csv events.csv firms.csv markets.csv relations.csv run.json scenario.cfg");
	assert_int_equal(dir_entries_but_lock(run_dir, left, sizeof left), 0);
	assert_string_equal(left, "points.csv sweep.csv sweep.json");
	char *json = tu_read_in(cmp_dir, "run.json");
	assert_non_null(strstr(json, "\"kind\": \"replications\""));
	free(json);
}

/* Differences of one step, firm and metric in DIR/compare_firms.csv. */
static double compare_diff(const char *dir, const char *step_firm_metric)
{
	char path[320];
	snprintf(path, sizeof path, "%s/compare_firms.csv", dir);
	char *csv = tu_read_file(path);
	assert_non_null(csv);
	const char *row = strstr(csv, step_firm_metric);
	if (!row)
		fail_msg("no row %s in %s", step_firm_metric, path);
	double a, b;  /* ...,n,mean_a,mean_b,diff_mean,... */
	const char *p = row + strlen(step_firm_metric);
	assert_int_equal(sscanf(strchr(p, ',') + 1, "%lf,%lf", &a, &b), 2);
	free(csv);
	return b - a;
}

/* A counterfactual in one line: compare S S --disable-b M changes only B
 * (ZTE earns more in 2018Q3 without the denial); --set-a and --set-b
 * apply to their side alone: the same change on both leaves no
 * difference, on B alone one. */
static void compare_changes_one_side_with_set_a_set_b_and_disable(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "cli_counterfactual");
	assert_int_equal(tu_cli(NULL, "compare cli_world.cfg cli_world.cfg --disable-b zte_denial --reps 2 -o %s >/dev/null",
				dir), 0);
	assert_true(compare_diff(dir, "\n2,2018Q3,ZTE,revenue_bn_usd,") > 0.0);
	assert_true(compare_diff(dir, "\n0,2018Q1,ZTE,revenue_bn_usd,") == 0.0);
	assert_int_equal(tu_cli(NULL, "compare cli_world.cfg cli_world.cfg --set-a measures.zte_denial.enabled=false "
				"--set-b measures.zte_denial.enabled=false --reps 2 -o %s >/dev/null", dir), 0);
	assert_true(compare_diff(dir, "\n2,2018Q3,ZTE,revenue_bn_usd,") == 0.0);
	assert_int_equal(tu_cli(NULL, "compare cli_world.cfg cli_world.cfg --set-b measures.zte_denial.enabled=false "
				"--reps 2 -o %s >/dev/null", dir), 0);
	assert_true(compare_diff(dir, "\n2,2018Q3,ZTE,revenue_bn_usd,") > 0.0);
	/* ZTE's revenue in 2018Q3 with --total: the difference compare_firms.csv has */
	assert_int_equal(tu_cli(NULL, "compare cli_world.cfg cli_world.cfg --disable-b zte_denial --reps 2 -o %s "
				"--total sum:firms.ZTE.revenue_bn_usd:2018Q3 --total=retaliated:CN >/dev/null", dir), 0);
	char path[320], row[256];
	snprintf(path, sizeof path, "%s/compare_totals.csv", dir);
	char *csv = tu_read_file(path);
	assert_non_null(csv);
	snprintf(row, sizeof row, "\nsum:firms.ZTE.revenue_bn_usd:2018Q3,bn_usd,2,");
	const char *at = strstr(csv, row);
	assert_non_null(at);
	double a, b;
	assert_int_equal(sscanf(at + strlen(row), "%lf,%lf", &a, &b), 2);
	assert_true(b - a == compare_diff(dir, "\n2,2018Q3,ZTE,revenue_bn_usd,"));
	assert_non_null(strstr(csv, "\nretaliated:CN,0/1,2,0,0,0,0,0,0\n"));
	free(csv);
}

static void usage_errors_of_validate_describe_and_compare_exit_2(void **state)
{
	(void)state;
	expect_usage_error("validate", "tradesim validate: missing scenario FILE");
	expect_usage_error("validate cli_world.cfg -o x", "unknown option '-o'");
	expect_usage_error("validate cli_world.cfg --seed 3", "unknown option '--seed'");
	expect_usage_error("describe", "tradesim describe: missing scenario FILE");
	expect_usage_error("describe cli_world.cfg --reps 3", "unknown option '--reps'");
	expect_usage_error("describe cli_world.cfg cli_world.cfg", "unexpected argument 'cli_world.cfg'");
	expect_usage_error("compare", "tradesim compare: missing scenario A.cfg");
	expect_usage_error("compare cli_world.cfg", "missing scenario B.cfg");
	expect_usage_error("compare cli_world.cfg cli_world.cfg x.cfg", "unexpected argument 'x.cfg'");
	expect_usage_error("compare cli_world.cfg cli_world.cfg --independent=1", "option '--independent' takes no value");
	expect_usage_error("compare cli_world.cfg cli_world.cfg --disable-b", "option '--disable-b' needs a measure id");
	expect_usage_error("compare cli_world.cfg cli_world.cfg --disable-a a.b", "--disable-a expects a measure id, got 'a.b'");
	expect_usage_error("compare cli_world.cfg cli_world.cfg --set-b run.steps", "--set-b expects PATH=VALUE, got 'run.steps'");
	expect_usage_error("run cli_world.cfg --disable-b zte_denial", "unknown option '--disable-b'");
	expect_usage_error("compare cli_world.cfg cli_world.cfg -j", "option '-j' needs a number");
	expect_usage_error("compare cli_world.cfg cli_world.cfg --total", "option '--total' needs [annualise:]STAT:WHAT");
	char *err = NULL;
	assert_int_equal(tu_cli(&err, "compare cli_world.cfg cli_world.cfg --reps 2 -o cli_bad_total --total "
	                        "sum:firms.ZTE.revenue >/dev/null"), 2);
	assert_non_null(err);
	assert_string_equal(err, "tradesim compare: --total 'sum:firms.ZTE.revenue': 'firms.ZTE.revenue': unknown numeric "
	                    "column 'revenue' of firms (did you mean 'revenue_bn_usd'?)\n");
	free(err);
	struct stat st;
	assert_true(stat("cli_bad_total", &st) != 0);  /* refused before anything is written */
}

static void usage_errors_of_sweep_sensitivity_and_merge_exit_2(void **state)
{
	(void)state;
	expect_usage_error("sweep", "tradesim sweep: missing sweep file SWEEP.cfg");
	expect_usage_error("sweep s.cfg", "missing output directory -o DIR");
	expect_usage_error("sweep s.cfg -o", "option '-o' needs a directory");
	expect_usage_error("sweep s.cfg -o x --series=yes", "option '--series' takes no value");
	expect_usage_error("sweep s.cfg -o x --bogus", "unknown option '--bogus'");
	expect_usage_error("sweep s.cfg t.cfg -o x", "unexpected argument 't.cfg'");
	expect_usage_error("sweep s.cfg -o x --metric", "option '--metric' needs [diff:][annualise:]STAT:WHAT[:FROM[:TO]]");
	expect_usage_error("sensitivity s.cfg -o x --series", "unknown option '--series'");
	expect_usage_error("sensitivity -o x", "tradesim sensitivity: missing sweep file SWEEP.cfg");
	expect_usage_error("merge -o x", "tradesim merge: missing shard DIR");
	expect_usage_error("merge d -o x --jobs 2", "unknown option '--jobs'");
	expect_usage_error("merge d", "missing output directory -o DIR");
}

static void usage_errors_of_tradesim_itself_exit_2(void **state)
{
	(void)state;
	expect_usage_error("frobnicate", "tradesim: unknown command 'frobnicate'");
	expect_usage_error("--bogus", "tradesim: unknown option '--bogus'");
	expect_usage_error("help frobnicate", "unknown command 'frobnicate'");
	expect_usage_error("help run extra", "unexpected argument 'extra'");
	expect_usage_error("version extra", "tradesim version: unexpected argument 'extra'");
	expect_usage_error("version --bogus", "unknown option '--bogus'");
	char *err = NULL;
	assert_int_equal(tu_cli(&err, ""), 2);  /* no command: the usage, on stderr */
	assert_non_null(strstr(err, "usage: tradesim <command>"));
	free(err);
}

/* "-o" as the last argument: its value was read from arg[8] of the 3-byte
 * string "-o", that is from the bytes that follow it in memory, the
 * environment. With XXXXX=DIR first there, arg[8] is '=' and the run went
 * to DIR with exit status 0. */
static void an_option_missing_its_value_at_the_end_reads_nothing_beyond_it(void **state)
{
	(void)state;
	char dir[256], env0[300];
	tu_make_dir(dir, sizeof dir, "env_o");
	rmdir(dir);
	snprintf(env0, sizeof env0, "XXXXX=%s", dir);
	char *argv[] = {"tradesim", "run", "cli_world.cfg", "-o", NULL};
	char *envp[] = {env0, NULL};
	int code = cli_wait(cli_spawn(argv, envp, "env_o.out"));
	char *out = tu_read_file("env_o.out");
	assert_int_equal(code, 2);
	assert_non_null(strstr(out, "option '-o' needs a directory"));
	assert_int_equal(access(dir, F_OK), -1);  /* nothing written there */
	free(out);
}

/* After "--" every argument is an operand, even one that starts with '-'. */
static void double_dash_ends_the_options(void **state)
{
	(void)state;
	char dir[256];
	tu_make_dir(dir, sizeof dir, "dashdash");
	tu_write_file("-dash.cfg", small_world);
	expect_usage_error("run -dash.cfg", "unknown option '-d'");
	assert_int_equal(tu_cli(NULL, "run -o %s -- -dash.cfg >/dev/null", dir), 0);
	char *json = tu_read_in(dir, "run.json");
	assert_non_null(strstr(json, "\"scenario\": \"-dash.cfg\""));
	free(json);
	expect_usage_error("run -- cli_world.cfg -o x", "unexpected argument '-o'");
	assert_int_equal(tu_cli(NULL, "validate -- cli_world.cfg >/dev/null"), 0);
}

static void long_and_short_options_take_their_value_in_every_form(void **state)
{
	(void)state;
	const char *forms[] = {"-o %s", "-o%s", "--output %s", "--output=%s"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char dir[256], option[300], args[512];
		tu_make_dir(dir, sizeof dir, "forms");
		snprintf(option, sizeof option, forms[i], dir);
		snprintf(args, sizeof args, "run cli_world.cfg %s --seed=9 --set run.steps=7 >/dev/null", option);
		assert_int_equal(tu_cli(NULL, "%s", args), 0);
		char *json = tu_read_in(dir, "run.json");
		assert_non_null(strstr(json, "\"seed\": 9,"));
		assert_non_null(strstr(json, "\"steps\": 7,"));
		free(json);
	}
}

static void version_is_a_command_printing_what_dash_dash_version_prints(void **state)
{
	(void)state;
	assert_int_equal(tu_cli(NULL, "version >version.txt"), 0);
	assert_int_equal(tu_cli(NULL, "--version >version2.txt"), 0);
	assert_int_equal(tu_cli(NULL, "-V >version3.txt"), 0);
	char *a = tu_read_file("version.txt"), *b = tu_read_file("version2.txt"), *c = tu_read_file("version3.txt");
	assert_string_equal(a, "tradesim " TS_VERSION_STRING "\n");
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	free(a);
	free(b);
	free(c);
}

/* tradesim --help lists every command; each command's help (by --help and
 * by `help COMMAND`, the same text) documents every exit status the command
 * can return. */
static void every_help_documents_the_exit_statuses_of_its_command(void **state)
{
	(void)state;
	struct { const char *command, *statuses[4]; } cases[] = {
		{"run", {"0", "1", "2", "130"}},        {"compare", {"0", "1", "2", "130"}},
		{"sweep", {"0", "1", "2", "130"}},      {"sensitivity", {"0", "1", "2", "130"}},
		{"validate", {"0", "2", NULL, NULL}},   {"describe", {"0", "1", "2", NULL}},
		{"merge", {"0", "1", "2", NULL}},       {"version", {"0", "1", "2", NULL}},
		{"help", {"0", "2", NULL, NULL}},
	};
	assert_int_equal(tu_cli(NULL, "--help >help_main.txt"), 0);
	char *main_help = tu_read_file("help_main.txt");
	assert_non_null(strstr(main_help, "130 interrupted"));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char line[64];
		snprintf(line, sizeof line, "\n  %s ", cases[i].command);
		if (!strstr(main_help, line))
			fail_msg("tradesim --help does not list %s", cases[i].command);
		assert_int_equal(tu_cli(NULL, "%s --help >help_a.txt", cases[i].command), 0);
		assert_int_equal(tu_cli(NULL, "help %s >help_b.txt", cases[i].command), 0);
		char *a = tu_read_file("help_a.txt"), *b = tu_read_file("help_b.txt");
		assert_string_equal(a, b);
		char *section = strstr(a, "exit status");
		if (!section)
			fail_msg("%s --help has no exit status section", cases[i].command);
		for (int k = 0; k < 4 && cases[i].statuses[k]; k++) {
			char status[16];
			snprintf(status, sizeof status, "%s ", cases[i].statuses[k]);
			if (!strstr(section, status))
				fail_msg("%s --help does not document exit status %s", cases[i].command, cases[i].statuses[k]);
		}
		free(a);
		free(b);
	}
	free(main_help);
}

/* Starts `tradesim ARGS... -o dir` on a long run, signals it once it is
 * writing, and checks: exit 130, a message, and nothing in dir but the
 * lock file (no temporary, no output). */
static void interrupt_while_writing(char **args, int sig, const char *name)
{
	char dir[256], out[300], left[1024];
	tu_make_dir(dir, sizeof dir, name);
	snprintf(out, sizeof out, "%s.out", name);
	char *argv[16];
	int n = 0;
	argv[n++] = "tradesim";
	for (; *args; args++)
		argv[n++] = *args;
	argv[n++] = "-o";
	argv[n++] = dir;
	argv[n] = NULL;
	pid_t pid = cli_spawn(argv, NULL, out);
	assert_int_equal(wait_for_temporaries(dir), 0);
	kill(pid, sig);
	int code = cli_wait(pid);
	char *text = tu_read_file(out);
	if (code != 130 || !strstr(text, "interrupted"))
		fail_msg("%s: exit %d, output: %s", name, code, text);
	free(text);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");
}

static void sigint_stops_a_run_at_a_step_boundary_with_nothing_written(void **state)
{
	(void)state;
	char *args[] = {"run", "cli_world.cfg", "--set", "run.steps=30000", NULL};
	interrupt_while_writing(args, SIGINT, "int_run");
}

static void sigterm_stops_a_run_at_a_step_boundary_with_nothing_written(void **state)
{
	(void)state;
	char *args[] = {"run", "cli_world.cfg", "--set", "run.steps=30000", NULL};
	interrupt_while_writing(args, SIGTERM, "term_run");
}

static void sigint_stops_replications_with_nothing_written(void **state)
{
	(void)state;
	char *args[] = {"run", "cli_world.cfg", "--reps", "6", "-j", "2", "--set", "run.steps=3000", NULL};
	interrupt_while_writing(args, SIGINT, "int_reps");
}

static void sigterm_stops_replications_with_nothing_written(void **state)
{
	(void)state;
	char *args[] = {"run", "cli_world.cfg", "--reps", "6", "-j", "2", "--set", "run.steps=3000", NULL};
	interrupt_while_writing(args, SIGTERM, "term_reps");
}

/* A comparison writes no temporary before its summaries: it is signalled
 * while its replications run, once the lock file is there. */
static void sigint_stops_a_comparison_with_nothing_written(void **state)
{
	(void)state;
	char dir[256], lock[300], left[1024];
	tu_make_dir(dir, sizeof dir, "int_compare");
	snprintf(lock, sizeof lock, "%s/.tradesim.lock", dir);
	char *argv[] = {"tradesim", "compare", "cli_world.cfg", "cli_world.cfg", "--reps", "6", "-j", "2",
	                "--set", "run.steps=3000", "-o", dir, NULL};
	pid_t pid = cli_spawn(argv, NULL, "int_compare.out");
	for (int i = 0; i < 60000 && access(lock, F_OK) != 0; i++) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	kill(pid, SIGINT);
	int code = cli_wait(pid);
	char *text = tu_read_file("int_compare.out");
	if (code != 130 || !strstr(text, "tradesim compare: interrupted"))
		fail_msg("exit %d, output: %s", code, text);
	free(text);
	assert_int_equal(dir_entries_but_lock(dir, left, sizeof left), 0);
	assert_string_equal(left, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(usage_errors_of_run_name_the_option_and_exit_2),
		cmocka_unit_test(usage_errors_of_validate_describe_and_compare_exit_2),
		cmocka_unit_test(compare_changes_one_side_with_set_a_set_b_and_disable),
		cmocka_unit_test(replications_and_comparisons_show_progress_when_asked),
		cmocka_unit_test(a_sweeps_progress_line_counts_its_failed_runs),
		cmocka_unit_test(the_interrupt_message_starts_on_a_line_of_its_own),
		cmocka_unit_test(commands_refuse_a_directory_of_another_output_unless_forced),
		cmocka_unit_test(usage_errors_of_sweep_sensitivity_and_merge_exit_2),
		cmocka_unit_test(usage_errors_of_tradesim_itself_exit_2),
		cmocka_unit_test(an_option_missing_its_value_at_the_end_reads_nothing_beyond_it),
		cmocka_unit_test(double_dash_ends_the_options),
		cmocka_unit_test(long_and_short_options_take_their_value_in_every_form),
		cmocka_unit_test(version_is_a_command_printing_what_dash_dash_version_prints),
		cmocka_unit_test(every_help_documents_the_exit_statuses_of_its_command),
		cmocka_unit_test(sigint_stops_a_run_at_a_step_boundary_with_nothing_written),
		cmocka_unit_test(sigterm_stops_a_run_at_a_step_boundary_with_nothing_written),
		cmocka_unit_test(sigint_stops_replications_with_nothing_written),
		cmocka_unit_test(sigterm_stops_replications_with_nothing_written),
		cmocka_unit_test(sigint_stops_a_comparison_with_nothing_written),
	};
	return cmocka_run_group_tests_name("cli", tests, setup, NULL);
}
