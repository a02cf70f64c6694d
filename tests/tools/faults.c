/* faults.c - runs a command and reports its page faults and CPU time
 * (getrusage of the child), for tests/run-startup. */

/*
 * faults OUTFILE COMMAND [ARG...] runs COMMAND (standard input, output and
 * error are its own) and writes "MINOR MAJOR USER_US SYS_US" to OUTFILE:
 * the child's minor and major page faults and its user and system CPU
 * time in microseconds.  Exits with the command's status (128 + N when
 * signal N killed it).  Page faults, unlike time, do not depend on how
 * busy the machine is: they are what a test can hold start-up to.
 */

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static long long
usec(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	FILE *fp;
	pid_t pid;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: faults OUTFILE COMMAND [ARG...]\n");
		return 2;
	}
	/*
	 * posix_spawn, not fork: glibc spawns with the parent's memory
	 * (CLONE_VM), so the count has no copy-on-write faults of ours
	 * before the exec, as perf stat's has none.
	 */
	if ((errno = posix_spawnp(&pid, argv[2], NULL, NULL, argv + 2,
	    environ)) != 0) {
		fprintf(stderr, "faults: %s: %s\n", argv[2], strerror(errno));
		return 127;
	}
	while (wait4(pid, &st, 0, &ru) == -1) {
		if (errno != EINTR) {
			perror("faults: wait4");
			return 2;
		}
	}
	if ((fp = fopen(argv[1], "w")) == NULL ||
	    fprintf(fp, "%ld %ld %lld %lld\n", ru.ru_minflt, ru.ru_majflt,
	    usec(ru.ru_utime), usec(ru.ru_stime)) < 0 || fclose(fp) != 0) {
		perror(argv[1]);
		return 2;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
