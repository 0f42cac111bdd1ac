/*
 * The library's allocator (util layer): overflow-checked sizes and a
 * fault-injection counter for out-of-memory tests (SQLite's OOM loop).
 * Large blocks are advised into transparent huge pages (Linux madvise).
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise and MADV_HUGEPAGE */
#endif

#include "tfp/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "tfp/config.h"

/* Fault injection state, set by tests. Atomic because the CSV reader allocates from its
 * chunk threads: the count stays exact, though which allocation is the k-th then depends on
 * the threads' timing. Relaxed order suffices for a counter. */
static atomic_size_t alloc_count;
static atomic_size_t alloc_fail_k;
static atomic_int alloc_fail_sticky;

static int
should_fail(void)
{
    size_t c = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    size_t k = atomic_load_explicit(&alloc_fail_k, memory_order_relaxed);
    if (k == 0)
        return 0;
    if (c == k)
        return 1;
    return atomic_load_explicit(&alloc_fail_sticky, memory_order_relaxed) && c > k;
}

size_t
tfp_alloc_fail_at(size_t k, int sticky)
{
    size_t n = atomic_exchange_explicit(&alloc_count, 0, memory_order_relaxed);
    atomic_store_explicit(&alloc_fail_k, k, memory_order_relaxed);
    atomic_store_explicit(&alloc_fail_sticky, sticky, memory_order_relaxed);
    return n;
}

/*
 * Blocks of at least TFP_HUGEPAGE_MIN_BYTES are asked to live in transparent huge pages (Linux
 * with THP in "madvise" mode, as Debian sets it; a hint, whose failure changes nothing):
 * tfp_malloc aligns them to 2 MiB, and the aligned inside of every such block is advised.
 * Every first touch of a 4 KiB page is a page fault, and on the 2-core virtual machines of the
 * benchmarks (shadow paging) one costs about 20 us: 100 MB took 0.35-0.6 s to fault in, in
 * 2 MiB pages 0.015 s (measured; benchmarks/README.md). Such blocks are arrays written whole,
 * so the larger pages waste no memory; the unused head that alignment leaves is never touched.
 */
#define HUGE_PAGE ((size_t)2 << 20)

static void *
advise_large(void *p, size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = HUGE_PAGE;
    if (p != NULL && size >= TFP_HUGEPAGE_MIN_BYTES) {
        uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
        uintptr_t b = ((uintptr_t)p + size) & ~(huge - 1);
        if (b > a)
            (void)madvise((void *)a, (size_t)(b - a), MADV_HUGEPAGE);
    }
#else
    (void)size;
#endif
    return p;
}

void *
tfp_malloc(size_t size)
{
    if (should_fail())
        return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (size >= TFP_HUGEPAGE_MIN_BYTES) {
        /* Rounded up to whole huge pages, so that the block's tail is one too (a 3 MB array
         * would otherwise fault its last 1 MB in 4 KiB pages); at most 2 MiB of address
         * space more, touched only as far as the array is used. */
        size_t whole =
            size <= SIZE_MAX - (HUGE_PAGE - 1) ? (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1) : size;
        void *p;
        return posix_memalign(&p, HUGE_PAGE, whole) == 0 ? advise_large(p, whole) : NULL;
    }
#endif
    return malloc(size == 0 ? 1 : size);
}

void *
tfp_mallocn(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    return tfp_malloc(n * size);
}

void *
tfp_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    return advise_large(calloc(n == 0 ? 1 : n, size == 0 ? 1 : size), n * size);
}

void *
tfp_reallocn(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    return advise_large(realloc(p, n * size == 0 ? 1 : n * size), n * size);
}

void
tfp_free(void *p)
{
    free(p);
}

void
tfp_discard(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_DONTNEED)
    long ps = sysconf(_SC_PAGESIZE);
    const uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096;
    uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t b = ((uintptr_t)p + bytes) & ~(page - 1);
    if (p != NULL && b > a)
        (void)madvise((void *)a, (size_t)(b - a), MADV_DONTNEED);
#else
    (void)p;
    (void)bytes;
#endif
}

char *
tfp_strndup(const char *s, size_t n)
{
    char *d = tfp_malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
tfp_strdup(const char *s)
{
    return tfp_strndup(s, strlen(s));
}
