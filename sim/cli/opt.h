#ifndef TS_CLI_OPT_H
#define TS_CLI_OPT_H
/* Command-line options, read one argument at a time against a command's
 * table of options: long (--output DIR, --output=DIR) and short (-o DIR,
 * -oDIR) forms, flags, operands anywhere, and "--" ending the options (what
 * follows is an operand even when it starts with '-'). Options are matched
 * exactly: no abbreviations, no bundled short flags. */

typedef struct cli_option {
	int id;                      /* > 0: what cli_opt_next() returns for it */
	char short_name;             /* 'o' for -o; 0: none */
	const char *long_name;       /* "output" for --output; NULL: none */
	const char *value;           /* what it takes, for messages ("a directory");
	                              * NULL: a flag, which takes nothing */
} cli_option;

/* cli_opt_next() results other than an option's id. */
enum { CLI_OPT_END = 0, CLI_OPT_OPERAND = -1, CLI_OPT_BAD = -2 };

typedef struct cli_opt_parser {
	const char *command;         /* messages read "tradesim COMMAND: ..." */
	const cli_option *options;   /* ends with an entry whose id is 0 */
	int argc;
	char **argv;
	int next;                    /* argv index of the next argument */
	int operands_only;           /* after "--" */
	char *value;                 /* the option's value, or the operand (points into argv) */
	char name[64];               /* the option as spelled: "-o", "--output" */
} cli_opt_parser;

void cli_opt_init(cli_opt_parser *p, const char *command, const cli_option *options, int argc, char **argv);

/* The id of the next option (its value, never empty, in p->value; its
 * spelling in p->name), CLI_OPT_OPERAND (the argument in p->value),
 * CLI_OPT_END when every argument is read, or CLI_OPT_BAD after printing a
 * usage error naming the option: unknown, missing or empty value, or a value
 * given to a flag. */
int cli_opt_next(cli_opt_parser *p);

/* An integer in [lo, hi] written in decimal digits only; 0, or -1 if text
 * is anything else. */
int cli_parse_count(const char *text, long lo, long hi, long *out);
/* A seed in [1, 4294967295]; 0, or -1. */
int cli_parse_seed(const char *text, unsigned long *seed);

#endif
