/*
 * The library's allocator (util layer): overflow-checked sizes and a
 * fault-injection counter for out-of-memory tests (SQLite's OOM loop).
 */
#include "tfp/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Fault injection state: only touched by tests, which run single-threaded. */
static size_t alloc_count;
static size_t alloc_fail_k;
static int alloc_fail_sticky;

static int
should_fail(void)
{
    alloc_count++;
    if (alloc_fail_k == 0)
        return 0;
    if (alloc_count == alloc_fail_k)
        return 1;
    return alloc_fail_sticky && alloc_count > alloc_fail_k;
}

size_t
tfp_alloc_fail_at(size_t k, int sticky)
{
    size_t n = alloc_count;
    alloc_count = 0;
    alloc_fail_k = k;
    alloc_fail_sticky = sticky;
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
