/*
 * walltime CMD [ARG...]: runs CMD (its output to /dev/null unless WALLTIME_KEEP is set),
 * then prints its wall-clock time in seconds (fork to wait, CLOCK_MONOTONIC).
 * bench_growth.sh times every peer with it: date(1) around a command costs several
 * milliseconds of its own.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    struct timespec a, b; int st; pid_t p;
    if (argc < 2) return 2;
    clock_gettime(CLOCK_MONOTONIC, &a);
    p = fork();
    if (p == 0) { if (!getenv("WALLTIME_KEEP")) { int fd = open("/dev/null", O_WRONLY); dup2(fd, 1); dup2(fd, 2); } execvp(argv[1], argv + 1); _exit(127); }
    waitpid(p, &st, 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%.6f\n", (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec));
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
