/* The interruption flag (interrupt.h). Process-wide by nature: signals are. */
#include <string.h>
#include "cli/interrupt.h"

static volatile sig_atomic_t interrupted;
static struct sigaction old_int, old_term;
static int caught_term;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

volatile sig_atomic_t *cli_interrupt_catch(int terminate)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;  /* a second signal kills at once */
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	caught_term = terminate;
	if (terminate)
		sigaction(SIGTERM, &sa, &old_term);
	return &interrupted;
}

void cli_interrupt_release(void)
{
	sigaction(SIGINT, &old_int, NULL);
	if (caught_term)
		sigaction(SIGTERM, &old_term, NULL);
	caught_term = 0;
}
