/*
 * maxrss.c - test helper: run a command and report its peak resident set size.
 *
 * Usage: dbt_maxrss OUTFILE CMD [ARG...]
 * Runs CMD (stdin/stdout/stderr inherited), writes its peak RSS in KiB (getrusage's
 * ru_maxrss of the waited child, i.e. VmHWM) to OUTFILE, and exits with CMD's status
 * (128 + N if it was killed by signal N).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int status = 0;
    struct rusage ru;
    pid_t pid;
    FILE *f;

    if (argc < 3) {
        fprintf(stderr, "usage: dbt_maxrss OUTFILE CMD [ARG...]\n");
        return 2;
    }
    pid = fork();
    if (pid < 0) {
        perror("dbt_maxrss: fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("dbt_maxrss: exec");
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid) {
        perror("dbt_maxrss: wait4");
        return 1;
    }
    if (!(f = fopen(argv[1], "w"))) {
        perror("dbt_maxrss: output file");
        return 1;
    }
    fprintf(f, "%ld\n", ru.ru_maxrss);
    if (fclose(f) != 0) {
        perror("dbt_maxrss: output file");
        return 1;
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
