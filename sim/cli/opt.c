/* The option parser (opt.h) and the parsers of numeric option values. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/opt.h"
#include "cli/report.h"

void cli_opt_init(cli_opt_parser *p, const char *command, const cli_option *options, int argc, char **argv)
{
	memset(p, 0, sizeof *p);
	p->command = command;
	p->options = options;
	p->argc = argc;
	p->argv = argv;
}

static const cli_option *find_long(const cli_option *o, const char *name, size_t len)
{
	for (; o->id; o++)
		if (o->long_name && strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
			return o;
	return NULL;
}

static const cli_option *find_short(const cli_option *o, char c)
{
	for (; o->id; o++)
		if (o->short_name && o->short_name == c)
			return o;
	return NULL;
}

/* "option '-o' needs a directory": a usage error about the option read. */
static int bad_option(const cli_opt_parser *p, const char *what, const char *value)
{
	cli_usage_error(p->command, "option '%s' %s%s", p->name, what, value ? value : "");
	return CLI_OPT_BAD;
}

static int unknown_option(const cli_opt_parser *p)
{
	cli_usage_error(p->command, "unknown option '%s'", p->name);
	return CLI_OPT_BAD;
}

/* The value of option o: attached ("--x=V", "-xV"; NULL if none) or the
 * next argument, which is taken whatever it looks like, as getopt does. */
static int take_value(cli_opt_parser *p, const cli_option *o, char *attached)
{
	if (!o->value) {
		if (attached)
			return bad_option(p, "takes no value", NULL);
		p->value = NULL;
		return o->id;
	}
	if (!attached && p->next < p->argc)
		attached = p->argv[p->next++];
	if (!attached || !*attached)
		return bad_option(p, "needs ", o->value);
	p->value = attached;
	return o->id;
}

/* "--name" or "--name=value" */
static int long_option(cli_opt_parser *p, char *arg)
{
	char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	snprintf(p->name, sizeof p->name, "%.*s", (int)len, arg);
	const cli_option *o = find_long(p->options, arg + 2, len - 2);
	if (!o)
		return unknown_option(p);
	return take_value(p, o, eq ? eq + 1 : NULL);
}

/* "-x", "-x value", "-xvalue" */
static int short_option(cli_opt_parser *p, char *arg)
{
	const cli_option *o = find_short(p->options, arg[1]);
	if (o && !o->value && arg[2]) {  /* "-hx" is no bundle of flags */
		snprintf(p->name, sizeof p->name, "%s", arg);
		return unknown_option(p);
	}
	snprintf(p->name, sizeof p->name, "-%c", arg[1]);
	if (!o)
		return unknown_option(p);
	return take_value(p, o, arg[2] ? arg + 2 : NULL);
}

int cli_opt_next(cli_opt_parser *p)
{
	if (p->next >= p->argc)
		return CLI_OPT_END;
	char *arg = p->argv[p->next++];
	if (!p->operands_only && strcmp(arg, "--") == 0) {
		p->operands_only = 1;
		return cli_opt_next(p);
	}
	if (p->operands_only || arg[0] != '-' || arg[1] == '\0') {  /* "-" is an operand */
		p->value = arg;
		return CLI_OPT_OPERAND;
	}
	return arg[1] == '-' ? long_option(p, arg) : short_option(p, arg);
}

int cli_parse_seed(const char *text, unsigned long *seed)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)text[0]))
		return -1;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end != '\0' || v < 1 || v > 4294967295ULL)
		return -1;
	*seed = (unsigned long)v;
	return 0;
}

int cli_parse_count(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)text[0]))
		return -1;
	long v = strtol(text, &end, 10);
	if (errno || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}
