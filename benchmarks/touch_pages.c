/*
 * touch_pages MODE MB: maps MB MiB of anonymous memory and writes one byte per 4 KiB page,
 * then prints how long the mapping and the touching took. It shows what a first touch of
 * memory costs on this machine, which is what tfp's time was made of right after an R run
 * (benchmarks/README.md):
 *   MODE 0  4 KiB pages (a fault per page)
 *   MODE 1  4 KiB pages, MAP_POPULATE
 *   MODE 2  2 MiB-aligned, MADV_HUGEPAGE (a fault per 2 MiB)
 *   MODE 3  as 2, populated with MADV_POPULATE_WRITE before the touch
 * Example: touch_pages 0 700 (a 700 MB process, as R's plm run), then touch_pages 2 64.
 * Build: cc -O2 -o touch_pages benchmarks/touch_pages.c
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int
main(int argc, char **argv)
{
    const size_t huge = (size_t)2 << 20;
    size_t n, i;
    int mode;
    double t0, t1, t2;
    char *p;
    if (argc != 3)
        return 2;
    mode = atoi(argv[1]);
    n = (size_t)atol(argv[2]) << 20;
    t0 = now();
    if (mode == 1)
        p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1,
                 0);
    else
        p = mmap(NULL, n + (mode >= 2 ? huge : 0), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    if (mode >= 2) {
        p = (char *)(((size_t)p + huge - 1) & ~(huge - 1));
        (void)madvise(p, n, MADV_HUGEPAGE);
        if (mode == 3)
            (void)madvise(p, n, MADV_POPULATE_WRITE);
    }
    t1 = now();
    for (i = 0; i < n; i += 4096)
        p[i] = 1;
    t2 = now();
    printf("mode %d, %zu MB: map %.4f s, touch %.4f s, total %.4f s\n", mode, n >> 20, t1 - t0,
           t2 - t1, t2 - t0);
    return 0;
}
