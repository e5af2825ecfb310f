/* tradesim merge: the shards of a sweep joined into the output of an
 * unsharded one. */
#include <stdio.h>
#include <tradesim/sweep.h>
#include "cli/cli.h"
#include "cli/sweep_opts.h"

const char cmd_merge_help[] =
	"usage: tradesim merge DIR... -o OUT\n"
	"\n"
	"Join the output directories of `tradesim sweep --shard I/N` (every I once, the\n"
	"same sweep) into OUT: the sweep.csv, points.csv and sweep.json of an unsharded\n"
	"sweep.\n"
	"\n"
	"exit status: 0 merged; 1 write error; 2 bad usage, shards missing, unfinished\n"
	"or of different sweeps, or OUT in use by another tradesim process\n";

int cmd_merge(const cli_command *cmd, int argc, char **argv, const char *command_line)
{
	(void)command_line;
	sweep_args a;
	int code = sweep_args_parse(&a, cmd->name, argc, argv);
	if (code == EXIT_OK && a.help) {
		code = cli_print_help(cmd->help);
	} else if (code == EXIT_OK && cli_is_writer()) {  /* under mpirun, rank 0 merges */
		ts_error err = TS_ERROR_INIT;
		if (ts_sweep_merge(a.dirs, a.n_dirs, a.output_dir, &err) == TS_OK) {
			printf("%d shards merged into %s/sweep.csv\n", a.n_dirs, a.output_dir);
			code = cli_flush_stdout(EXIT_OK);
		} else {
			code = cli_report(cmd->name, &err);
		}
	}
	sweep_args_free(&a);
	return code;
}
