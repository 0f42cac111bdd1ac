/*
 * The library's allocator (util layer): overflow-checked sizes and a
 * fault-injection counter for out-of-memory tests (SQLite's OOM loop).
 */
#include "tfp/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

void *
tfp_malloc(size_t size)
{
    if (should_fail())
        return NULL;
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
    return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

void *
tfp_reallocn(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    return realloc(p, n * size == 0 ? 1 : n * size);
}

void
tfp_free(void *p)
{
    free(p);
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
