/* peak-rss.c - runs a command and reports its peak resident set size. */

/*
 * peak-rss OUTFILE COMMAND [ARG...] runs COMMAND (standard input, output
 * and error are its own), writes its peak RSS in KiB (getrusage's
 * ru_maxrss of the child) to OUTFILE and exits with the command's status
 * (128 + N when signal N killed it).  For tests/run-memory: /usr/bin/time
 * is not on every machine.
 */

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	FILE *fp;
	pid_t pid;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: peak-rss OUTFILE COMMAND [ARG...]\n");
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("peak-rss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "peak-rss: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("peak-rss: wait4");
			return 2;
		}
	}
	if ((fp = fopen(argv[1], "w")) == NULL ||
	    fprintf(fp, "%ld\n", ru.ru_maxrss) < 0 || fclose(fp) != 0) {
		perror(argv[1]);
		return 2;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
