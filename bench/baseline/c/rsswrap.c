/*
 * rsswrap runs a program and writes the program's own peak resident set
 * (kB) to a file: rsswrap RSSFILE PROGRAM ARGS...
 *
 * Why: Linux keeps a process's RSS high-water mark across execve, and Go
 * starts children with vfork, so a program the harness starts directly
 * reports at least the harness's RSS. Here the program is fork()ed from
 * this small process and its rusage comes from wait4 on it alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: rsswrap RSSFILE PROGRAM ARGS...\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("rsswrap: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("rsswrap: exec");
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("rsswrap: wait4");
		return 2;
	}
	FILE *f = fopen(argv[1], "w");
	if (f != NULL) {
		fprintf(f, "%ld\n", ru.ru_maxrss);
		fclose(f);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
