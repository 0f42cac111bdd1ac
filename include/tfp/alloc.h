/*
 * The library's allocator (util layer). Every heap allocation in libtfp goes
 * through these functions, which check n * size for overflow (Lua's luaM_)
 * and offer a fault-injection hook for tests (SQLite's OOM loop).
 */
#ifndef TFP_ALLOC_H
#define TFP_ALLOC_H

#include <stddef.h>

void *tfp_malloc(size_t size);
/* n * size bytes, zeroed; NULL on overflow or exhaustion. */
void *tfp_calloc(size_t n, size_t size);
/* n * size bytes, not zeroed; NULL on overflow or exhaustion. */
void *tfp_mallocn(size_t n, size_t size);
/* Resizes p to n * size bytes; on failure p is left intact and NULL returned. */
void *tfp_reallocn(void *p, size_t n, size_t size);
void tfp_free(void *p);
/* Gives the whole pages inside [p, p + bytes) of a block back to the system: their contents
 * are lost (they read as zeros on Linux), the block stays valid (tfp_free it as before). For
 * an array read once and never again, so that memory allocated next reuses those pages. A
 * hint: elsewhere than Linux, or on failure, nothing happens. */
void tfp_discard(void *p, size_t bytes);
/* A copy of s (owned by the caller, free with tfp_free); NULL on failure. */
char *tfp_strdup(const char *s);
char *tfp_strndup(const char *s, size_t n);

/* Test hook: make the k-th allocation from now fail (k >= 1), and every one
 * after it while sticky is non-zero; k = 0 switches failures off. Returns the
 * number of allocations counted since the last call. The counting is atomic
 * (the CSV reader allocates from its chunk threads); setting the hook while
 * other threads allocate is for tests that accept either order. */
size_t tfp_alloc_fail_at(size_t k, int sticky);

#endif /* TFP_ALLOC_H */
