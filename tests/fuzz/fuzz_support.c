/*
 * Fuzz support: see fuzz_support.h. The scratch file lives in /dev/shm when
 * it exists (no disk traffic), else in /tmp.
 */
#include "fuzz_support.h"

#include <stdio.h>
#include <unistd.h>

const char *
fuzz_write_file(const uint8_t *data, size_t size)
{
    static char path[64];
    FILE *f;
    if (path[0] == '\0')
        snprintf(path, sizeof path, "%s/tfp-fuzz-%ld.csv",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
    f = fopen(path, "wb");
    if (f == NULL)
        return NULL;
    if (size > 0 && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return path;
}
