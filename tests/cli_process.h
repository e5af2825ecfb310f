#ifndef TS_CLI_PROCESS_H
#define TS_CLI_PROCESS_H
/* The tradesim command as a child process the test controls: started with
 * exact arguments and environment (no shell), signalled while it writes,
 * waited for. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "output/csv.h"

/* Starts TS_CLI_PATH with argv (argv[0] included, NULL-terminated) and, if
 * envp is not NULL, exactly that environment; stdout and stderr go to
 * out_path. */
static inline pid_t cli_spawn(char *const argv[], char *const envp[], const char *out_path)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		if (envp)
			execve(TS_CLI_PATH, argv, envp);
		else
			execv(TS_CLI_PATH, argv);
		_exit(127);
	}
	return pid;
}

/* The exit status of pid, or -1 if a signal ended it. */
static inline int cli_wait(pid_t pid)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Number of entries of dir named like csv.c's temporaries. */
static inline int temporaries_in(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL;)
		n += ts_csv_is_temp_name(e->d_name);
	if (d)
		closedir(d);
	return n;
}

/* Waits (up to 60 s, for slow sanitizer builds) until dir holds a
 * temporary: the run is writing. 0 on success, -1 on timeout. */
static inline int wait_for_temporaries(const char *dir)
{
	for (int i = 0; i < 60000; i++) {
		if (temporaries_in(dir) > 0)
			return 0;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	return -1;
}

#endif
