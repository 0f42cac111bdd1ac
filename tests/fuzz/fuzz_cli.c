/*
 * libFuzzer target: the command-line parser. The input is split at NUL
 * bytes into arguments for `tfp estimate` on a small fixed data file;
 * standard output and error go to /dev/null. Property: any argument list
 * ends with an exit code from DESIGN section 4, never a crash.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"

int tfp_cli_main(int argc, char **argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char table[] = "province,year,grdp,employment,capital\n"
                                "Alpha,2019,100,50,200\nAlpha,2020,110,51,220\n"
                                "Alpha,2021,121,52.02,242\n";
    static char file[64];
    char *buf, *argv[66];
    int argc = 0, rc, null_fd, out_fd, err_fd;
    size_t i, start = 0;
    if (size > 2048)
        return 0;
    if (file[0] == '\0') {
        const char *p = fuzz_write_file((const uint8_t *)table, sizeof table - 1);
        if (p == NULL)
            return 0;
        snprintf(file, sizeof file, "%s", p);
    }
    buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[argc++] = (char *)"tfp";
    argv[argc++] = (char *)"estimate";
    argv[argc++] = file;
    for (i = 0; i <= size && argc < 64; i++) {
        if (i == size || buf[i] == '\0') {
            if (i > start) {
                /* Never let the fuzzer choose an output file or stdin. */
                if (strncmp(buf + start, "-o", 2) == 0 ||
                    strncmp(buf + start, "--output", 8) == 0 || strcmp(buf + start, "-") == 0)
                    buf[start] = 'x';
                argv[argc++] = buf + start;
            }
            start = i + 1;
        }
    }
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    null_fd = open("/dev/null", O_WRONLY);
    out_fd = dup(1);
    err_fd = dup(2);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    rc = tfp_cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    close(out_fd);
    close(err_fd);
    close(null_fd);
    free(buf);
    if (rc < 0 || rc > 4)
        abort();
    return 0;
}
